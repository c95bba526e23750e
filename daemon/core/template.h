/* The French mail templates: built in, replaceable by files; checked when
 * loaded, so that an unknown variable is an error then, not a blank in a
 * sent mail. */
#ifndef ADF_TEMPLATE_H
#define ADF_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

#include "proto.h"

struct template
{
	char name[64];
	char source[320]; /* the file it came from, for messages */
	char *subject;
	char *body;
};

struct templates {
	struct template *items;
	size_t len;
};

/* The built-in templates, each replaced by dir/NAME.txt when that exists,
 * plus any other dir/NAME.txt. Errors read "file:line: what". */
int templates_load(struct templates *out, const char *dir, struct adf_error *err);
void templates_free(struct templates *t);
const struct template *template_find(const struct templates *t, const char *name);
/* Replaces each {{variable}} with vars' string (missing: empty). The
 * caller frees both results. */
int template_render(const struct template *t, json_t *vars, char **subject, char **body);
/* The variables a template may use, '\n'-separated, for help texts. */
extern const char *const template_variables[];

#endif
