/* An Atelier's programme, rendered in French. */
#ifndef ADF_PROGRAMME_H
#define ADF_PROGRAMME_H

#include <jansson.h>

struct work;

/* PROGRAMME_HTML_FRAGMENT: the header and sessions of PROGRAMME_HTML,
 * without the page around them, for the public site. */
enum programme_format {
	PROGRAMME_TEXT,
	PROGRAMME_MARKDOWN,
	PROGRAMME_HTML,
	PROGRAMME_HTML_FRAGMENT
};

/* The style of the HTML programme. */
extern const char programme_css[];

/* The programme as a new string (the caller frees), or NULL with w->err. */
char *programme_render(struct work *w, long long atelier, enum programme_format format);
/* Between these two calls (one transaction of the mail planner) the text
 * programme of an Atelier is rendered once: a burst of reminders, each
 * with the programme in its text and its invitation, reuses it. */
/* As an answer {format, content}; name: text (NULL), markdown, html. */
json_t *programme_answer(struct work *w, long long atelier, const char *name);
void programme_memo_begin(void);
void programme_memo_end(void);

#endif
