/* Without libFuzzer, a harness replays its seed corpus: each file named on
 * the command line (or found in a directory) is one input. make check runs
 * this, so every seed stays a regression test. */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	static uint8_t buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	int count = 0, rc = 0;
	/* make check names no file: the seeds of this harness, then */
	char seeds[4096];
	const char *corpus = getenv("FUZZ_CORPUS");
	char *defaults[] = {argv[0], seeds};
	if (argc == 1 && corpus) {
		snprintf(seeds, sizeof seeds, "%s/%s", corpus, FUZZ_NAME);
		argv = defaults;
		argc = 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			if (!d) {
				perror(argv[i]);
				rc = 1;
			}
			struct dirent *e;
			while (d && (e = readdir(d))) {
				if (e->d_name[0] == '.')
					continue;
				char path[4096];
				snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
				rc |= replay_file(path);
				count++;
			}
			if (d)
				closedir(d);
		} else {
			rc |= replay_file(argv[i]);
			count++;
		}
	}
	/* no input replayed is a failure: a moved corpus must not pass */
	if (count == 0)
		rc = 1;
	/* TAP, for automake's driver */
	printf("1..1\n%s 1 - replayed %d input(s)\n", rc ? "not ok" : "ok", count);
	return rc;
}
