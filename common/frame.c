#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "frame.h"

void frame_init(struct frame *f, size_t max_line)
{
	memset(f, 0, sizeof *f);
	f->max_line = max_line;
}

void frame_free(struct frame *f)
{
	free(f->buf);
	memset(f, 0, sizeof *f);
}

size_t frame_pending(const struct frame *f)
{
	return f->len - f->start;
}

int frame_feed(struct frame *f, const void *data, size_t n)
{
	if (f->start > 0) {
		/* Returned lines are dead: slide the rest down before growing. */
		memmove(f->buf, f->buf + f->start, f->len - f->start);
		f->len -= f->start;
		f->start = 0;
	}
	if (f->len + n + 1 > f->cap) {
		size_t cap = f->cap ? f->cap : 4096;
		while (cap < f->len + n + 1)
			cap *= 2;
		char *buf = realloc(f->buf, cap);
		if (!buf)
			return -1;
		f->buf = buf;
		f->cap = cap;
	}
	memcpy(f->buf + f->len, data, n);
	f->len += n;
	return 0;
}

enum frame_status frame_next(struct frame *f, char **line, size_t *len)
{
	char *begin = f->buf + f->start;
	size_t avail = f->len - f->start;
	char *nl = avail > f->scanned ? memchr(begin + f->scanned, '\n', avail - f->scanned) : NULL;
	if (!nl) {
		f->scanned = avail;
		return avail > f->max_line ? FRAME_TOO_LONG : FRAME_NEED_MORE;
	}
	size_t n = (size_t)(nl - begin);
	if (n > f->max_line)
		return FRAME_TOO_LONG;
	f->start += n + 1;
	f->scanned = 0;
	if (n > 0 && begin[n - 1] == '\r')
		n--;
	begin[n] = '\0';
	*line = begin;
	*len = n;
	return FRAME_LINE;
}
