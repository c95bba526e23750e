/* adfctl's parts: the connection, the command line read through the
 * command table, and the two renderings of an answer. */
#ifndef ADF_CTL_H
#define ADF_CTL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "cmdtable.h"
#include "frame.h"
#include "i18n.h"
#include "proto.h"

enum ctl_exit {
	EXIT_OK = 0,
	EXIT_REFUSED = 1,
	EXIT_USAGE = 2,
	EXIT_NO_DAEMON = 3,
	EXIT_PROTOCOL = 4, /* adfd speaks another version of the protocol */
	EXIT_PARTIAL = 5   /* done, but rows of the file were skipped */
};

struct conn {
	int fd;
	struct frame in;
};

/* The socket to use: -s, then $ADF_SOCKET, then the system one if present,
 * then ./state/adfd.sock (the quick start's). */
const char *conn_default_path(void);
int conn_open(struct conn *c, const char *path);
void conn_close(struct conn *c);
/* 0 sent; -2 adfd closed while it was sent (its answer may say why); -1 an
 * error, printed. */
int conn_send(struct conn *c, const char *data, size_t len);
/* Reads one answer into a (common/proto.c's reader); returns EXIT_OK, or
 * the exit status having printed why (EXIT_PROTOCOL: another version). */
int conn_receive(struct conn *c, struct proto_answer *a);
/* Sends one request (args stolen) and reads its first answer; EXIT_OK or
 * the exit status having printed why. */
int conn_call(struct conn *c, const char *command, json_t *args, struct proto_answer *a);
/* Whether adfd has closed this idle connection (or it never opened). */
bool conn_closed_by_peer(struct conn *c);
/* Forwards NDJSON requests from in, answers to out, pipelined. */
int conn_batch(struct conn *c, FILE *in, FILE *out);

/* Builds args from the words after the command name; prints why not and
 * returns -1 on a usage error. */
int args_parse(const struct cmd_entry *cmd, int argc, char **argv, json_t **args);
void help_command(FILE *out, const struct cmd_entry *cmd);
void help_all(FILE *out, const char *noun);

/* The rows of a CSV file of registrations, each with its "line"; NULL
 * after printing why. */
json_t *csv_read_rows(const char *path);

void output_human(FILE *out, const struct cmd_entry *cmd, json_t *data);
/* An instant "2026-12-01T13:28:00Z" as people read it, Paris time; false
 * if s is none. */
bool instant_text(const char *s, char *out, size_t n);
/* The hour of an instant, Paris time: "9 h 12" in French, "09:12". */
const char *hour_text(const char *instant, char *out, size_t n);

/* A printed document of the day (a "=pdf" command) as A4 PDF on standard
 * output, laid out by adf-print; local_args holds adfctl's own options
 * (e.g. blank lines); -1 after saying why. */
int print_document(const struct cmd_entry *cmd, json_t *data, json_t *local_args);

/* Draws the live view of the day as adfd sends it, until Ctrl-C (exit 0)
 * or adfd's end; returns the exit status. */
int watch_run(const char *socket_path, const struct cmd_entry *cmd, json_t *args, bool json_output);

/* The door: one checkin answer as one line (a bell when a person must look);
 * true when the person is in. scanning: the hints say "!", else --force. */
bool door_print(FILE *out, json_t *answer, bool scanning);
/* Reads codes (or "+ name; e-mail; organisation; category" walk-ins, or
 * "!" to let the last one in regardless) from in, one line each, answering
 * each at once; returns the exit status. */
int door_scan(const char *socket_path, json_t *args, FILE *in, FILE *out);

/* Whether name (a file or folder) is beside the adfctl that runs, in a
 * build tree, and allows mode (access(2)); its path in out. */
bool beside_adfctl(const char *name, int mode, char *out, size_t n);
/* Sets the locale and the catalogue (po/fr.po): adfctl speaks the user's
 * language, from $ADF_LOCALEDIR, else its own build's po/locale, else the
 * installed catalogue. */
void words_init(void);
/* A status of the protocol ("waitlisted") as people read it, NULL if the
 * word is none. */
const char *status_text(const char *word);
/* A category of the protocol ("elu") as people read it ("élu"), NULL if
 * the word is none. */
const char *category_word(const char *code);
/* A reminder's outcome or an audit entry's, as people read it. */
const char *outcome_text(const char *s, char *out, size_t n);
/* An error code's name in the user's language ("conflict": "conflit"). */
const char *code_text(const char *code);
/* An error of an answer ({message, format?, values?}) in the user's
 * language: its template translated and filled, else its message. */
const char *error_text(json_t *error, char *out, size_t n);
/* A row's note in the user's language, from its note_format and
 * note_values (tour plan), else as it is. */
const char *note_text(json_t *row, char *out, size_t n);
/* The same for an error adfctl found itself. */
const char *error_text_local(const struct adf_error *err, char *out, size_t n);

#endif
