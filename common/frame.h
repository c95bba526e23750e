/* Line framing for the NDJSON protocol: bytes arrive in arbitrary pieces,
 * complete lines come out; a line longer than the limit is an error, never
 * an unbounded buffer. */
#ifndef ADF_FRAME_H
#define ADF_FRAME_H

#include <stddef.h>

enum frame_status { FRAME_LINE, FRAME_NEED_MORE, FRAME_TOO_LONG };

struct frame {
	char *buf;
	size_t len;	/* bytes held */
	size_t start;	/* first byte not yet returned */
	size_t scanned; /* bytes from start already known to hold no '\n' */
	size_t cap;
	size_t max_line; /* longest line accepted, without its '\n' */
};

void frame_init(struct frame *f, size_t max_line);
void frame_free(struct frame *f);
/* Appends bytes; returns -1 on allocation failure. */
int frame_feed(struct frame *f, const void *data, size_t n);
/* On FRAME_LINE, *line points into the frame (NUL-terminated, '\n' and a
 * trailing '\r' removed) and stays valid until the next feed. */
enum frame_status frame_next(struct frame *f, char **line, size_t *len);
/* Bytes received but not yet returned as a line. */
size_t frame_pending(const struct frame *f);

#endif
