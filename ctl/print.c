/* adfctl's printed documents: it hands the answer's data to adf-print,
 * which writes the PDF on adfctl's standard output. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl.h"
#include "i18n.h"
#include "text.h"

bool beside_adfctl(const char *name, int mode, char *out, size_t n)
{
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len <= 0)
		return false;
	self[len] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return snprintf(out, n, "%s/%s", self, name) < (int)n && access(out, mode) == 0;
}

/* $ADF_PRINT, else adf-print beside adfctl (a build tree), else the
 * installed one. */
static const char *print_program(char *out, size_t n)
{
	const char *env = getenv("ADF_PRINT");
	if (env && *env)
		return env;
	return beside_adfctl("adf-print", X_OK, out, n) ? out : PKGLIBEXECDIR "/adf-print";
}

int print_document(const struct cmd_entry *cmd, json_t *data, json_t *local_args)
{
	char path[PATH_MAX + 16], blank[24];
	const char *program = print_program(path, sizeof path);
	const char *kind = strchr(cmd->name, '.') + 1;
	snprintf(blank, sizeof blank, "%lld", json_int(local_args, "blank"));
	int fds[2];
	fflush(stdout);
	if (pipe(fds) < 0) {
		fprintf(stderr, _("adfctl: pipe: %s\n"), strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, _("adfctl: fork: %s\n"), strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		execl(program, "adf-print", kind, blank, (char *)NULL);
		fprintf(stderr, _("adfctl: cannot run %s: %s\n"), program, strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	/* adf-print may stop reading early: its status says why, not SIGPIPE */
	void (*was)(int) = signal(SIGPIPE, SIG_IGN);
	FILE *to = fdopen(fds[1], "w");
	if (to) {
		json_dumpf(data, to, JSON_COMPACT);
		fclose(to);
	} else {
		close(fds[1]);
	}
	signal(SIGPIPE, was);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 127)
		fprintf(stderr, _("adfctl: the PDF was not written whole: do not use it\n"));
	return -1;
}
