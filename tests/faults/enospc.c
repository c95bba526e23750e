/* Preloaded into adfd by faults.bats: while the file named by
 * ADF_FAIL_FLAG exists, every write and sync to the database and its WAL
 * fails with ENOSPC, as on a full disk. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int failing(int fd)
{
	const char *flag = getenv("ADF_FAIL_FLAG");
	if (!flag || access(flag, F_OK) != 0)
		return 0;
	char link[64], path[512];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	if (!strstr(path, ".db"))
		return 0;
	errno = ENOSPC;
	return 1;
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	return failing(fd) ? -1 : NEXT(pwrite64)(fd, buf, n, off);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return failing(fd) ? -1 : NEXT(pwrite)(fd, buf, n, off);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return failing(fd) ? -1 : NEXT(write)(fd, buf, n);
}

int fdatasync(int fd)
{
	return failing(fd) ? -1 : NEXT(fdatasync)(fd);
}

int fsync(int fd)
{
	return failing(fd) ? -1 : NEXT(fsync)(fd);
}
