/* Baseline for reminder dispatch: sends one message N times to an SMTP
 * server with libcurl over one reused connection, one after the other, and
 * prints messages per second.
 * Usage: smtp_plain HOST:PORT MESSAGE_FILE N */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct source {
	const char *data;
	size_t len, off;
};

static size_t feed(char *buf, size_t size, size_t n, void *arg)
{
	struct source *s = arg;
	size_t want = size * n, left = s->len - s->off;
	if (want > left)
		want = left;
	memcpy(buf, s->data + s->off, want);
	s->off += want;
	return want;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	FILE *f = fopen(argv[2], "rb");
	if (!f)
		return 1;
	static char message[1 << 20];
	size_t len = fread(message, 1, sizeof message, f);
	fclose(f);
	int n = atoi(argv[3]);
	char url[300];
	snprintf(url, sizeof url, "smtp://%s", argv[1]);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = curl_slist_append(NULL, "<bench@example.fr>");
	struct source src;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, "<ateliers@example.fr>");
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
	curl_easy_setopt(c, CURLOPT_READDATA, &src);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++) {
		src = (struct source){message, len, 0};
		CURLcode rc = curl_easy_perform(c);
		if (rc != CURLE_OK) {
			fprintf(stderr, "message %d: %s\n", i, curl_easy_strerror(rc));
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f\n",
	       n / ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	return 0;
}
