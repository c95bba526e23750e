/* The one command table (doc/design.md §2): adfd validates, dispatches and
 * checks roles from it; adfctl builds its sub-commands, options, help and
 * human output from it. Adding a command = one entry + one handler (bound
 * to its name in daemon/handlers.c: common/ knows nothing of the daemon). */
#ifndef ADF_CMDTABLE_H
#define ADF_CMDTABLE_H

#include <jansson.h>
#include <stdbool.h>

#include "proto.h"

enum arg_type {
	ARG_STRING, /* one line of text, no control characters */
	ARG_TEXT,   /* text that may hold newlines */
	ARG_INT,
	ARG_BOOL,
	ARG_DATE,  /* YYYY-MM-DD */
	ARG_MONTH, /* YYYY-MM */
	ARG_TIME,  /* HH:MM, 24 h */
	ARG_DEPT,  /* an INSEE Département code: 01..95, 2A, 2B, 971..976 */
	ARG_ENUM,  /* one of `choices`, separated by '|' */
	ARG_ROWS,  /* rows of a CSV file: adfctl reads the file, adfd gets objects */
};

#define ARG_REQUIRED 0x1
#define ARG_POS 0x2   /* adfctl takes it as a positional word, in order */
#define ARG_WRITE 0x4 /* present and true: the command writes (role admin) */
#define ARG_LOCAL 0x8 /* adfctl's own: changes what adfctl does, never sent */

struct cmd_arg {
	const char *name;
	enum arg_type type;
	int flags;
	long min, max; /* ARG_INT: range; strings: max length in characters */
	const char *choices;
	const char *help;
};

enum cmd_role { ROLE_NONE = 0, ROLE_READ, ROLE_ADMIN };

struct cmd_entry {
	const char *name; /* "noun.verb", or one word */
	enum cmd_role role;
	const char *summary;
	const struct cmd_arg *args; /* ends with a NULL name */
	const char *columns;	    /* adfctl's human table for a list answer */
};

extern const struct cmd_entry cmd_table[];
extern const size_t cmd_table_len;

const struct cmd_entry *cmd_find(const char *name);
const struct cmd_arg *cmd_find_arg(const struct cmd_entry *cmd, const char *name);
const char *cmd_role_name(enum cmd_role role);
const char *arg_type_name(enum arg_type type);
/* The role a request needs: the command's, raised by a true ARG_WRITE arg. */
enum cmd_role cmd_required_role(const struct cmd_entry *cmd, const json_t *args);
/* Checks every argument against the table: known, typed, in range,
 * required ones present. */
int cmd_validate(const struct cmd_entry *cmd, const json_t *args, struct adf_error *err);
/* Checks one value against its argument's type. */
int arg_validate(const struct cmd_arg *arg, const json_t *value, struct adf_error *err);

#endif
