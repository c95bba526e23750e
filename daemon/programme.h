/* An Atelier's programme, rendered in French. */
#ifndef ADF_PROGRAMME_H
#define ADF_PROGRAMME_H

struct req;

enum programme_format { PROGRAMME_TEXT, PROGRAMME_MARKDOWN, PROGRAMME_HTML };

/* The programme as a new string (the caller frees), or NULL with r->err. */
char *programme_render(struct req *r, long long atelier, enum programme_format format);

#endif
