/* Drives a line server: C clients (processes), each sending N requests,
 * D at a time (D = 1: wait for each answer), and prints requests per
 * second. A request line may hold %d, replaced by a unique number.
 * Usage: load PATH CLIENTS REQUESTS DEPTH 'LINE' [max]
 * With "max": prints the longest wait for an answer, in microseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double max_wait; /* seconds, in this client */

static int client(const char *path, int id, int requests, int depth, const char *fmt)
{
	double sent_at = 0;
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0)
		return 1;
	FILE *in = fdopen(dup(fd), "r");
	char line[1 << 16], *answer = NULL;
	size_t cap = 0;
	int sent = 0, got = 0;
	while (got < requests) {
		while (sent < requests && sent - got < depth) {
			int unique = id * 10000000 + sent;
			/* the format may hold %d twice: the id and an address */
			int n = snprintf(line, sizeof line, fmt, unique, unique);
			line[n++] = '\n';
			if (write(fd, line, (size_t)n) != n)
				return 1;
			sent++;
			sent_at = now();
		}
		if (getline(&answer, &cap, in) < 0)
			return 1;
		if (depth == 1 && now() - sent_at > max_wait)
			max_wait = now() - sent_at;
		if (!strstr(answer, "\"ok\":true"))
			return 1;
		got++;
	}
	free(answer);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 6 && argc != 7)
		return 2;
	int clients = atoi(argv[2]), requests = atoi(argv[3]), depth = atoi(argv[4]);
	int waits[2];
	if (pipe(waits) < 0)
		return 1;
	double start = now();
	for (int c = 0; c < clients; c++)
		if (fork() == 0) {
			int rc = client(argv[1], c, requests, depth, argv[5]);
			dprintf(waits[1], "%.0f\n", max_wait * 1e6);
			_exit(rc);
		}
	close(waits[1]);
	int failed = 0, status;
	while (wait(&status) > 0)
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	double elapsed = now() - start;
	if (failed) {
		fprintf(stderr, "%d client(s) failed\n", failed);
		return 1;
	}
	FILE *w = fdopen(waits[0], "r");
	double longest = 0, one;
	while (fscanf(w, "%lf", &one) == 1)
		if (one > longest)
			longest = one;
	if (argc == 7)
		printf("%.0f\n", longest);
	else
		printf("%.0f\n", (double)clients * requests / elapsed);
	return 0;
}
