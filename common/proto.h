/* The wire protocol shared by adfd and adfctl: newline-delimited JSON,
 * one request or answer per line (see doc/design.md §3). */
#ifndef ADF_PROTO_H
#define ADF_PROTO_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Every request of adfctl and every answer of adfd carries the version
 * as "v": a mismatch is a clear error, never a misread answer. */
#define ADF_PROTO_VERSION 1
#define ADF_PROTO_MEMBER "v"

/* A closed, append-only set: a retired code keeps its number. */
enum adf_code {
	ADF_OK = 0,
	ADF_E_BAD_REQUEST,
	ADF_E_NOT_FOUND,
	ADF_E_CONFLICT,
	ADF_E_FULL,
	ADF_E_FORBIDDEN,
	ADF_E_UNAVAILABLE,
	ADF_E_INTERNAL,
	ADF_E_COUNT
};

#define ADF_ERROR_VALUES 8

/* An error as a message, and as its template (the format string, a
 * literal that the French catalogue translates) with each value as it was
 * written in: a reader in another language rewrites the template, never
 * the English message. */
struct adf_error {
	enum adf_code code;
	char message[512];
	const char *format; /* NULL: the message has no template */
	int nvalues;
	char values[ADF_ERROR_VALUES][128];
};

/* The encoder, both ends'. Each returns a new object (NULL: out of
 * memory). A request: {id, v, cmd, args}; args stolen. */
json_t *proto_request(json_int_t id, const char *cmd, json_t *args);
/* An answer with its data (stolen); a chunk of a streamed one while
 * more (the last chunk has no "more"). */
json_t *proto_answer(json_t *id, json_t *data, bool more);
/* A refusal; the message is cut to fit and made valid UTF-8. */
json_t *proto_answer_error(json_t *id, enum adf_code code, const char *message);
/* The same from an error, with its template: {code, message, format,
 * values} (format and values when it has one). */
json_t *proto_answer_refusal(json_t *id, const struct adf_error *err);
/* An error's {message, format?, values?}, for an answer or its details. */
json_t *proto_error_json(const struct adf_error *err);

/* The readers. One request line, read (by adfd): */
struct proto_request {
	json_t *json;	 /* the whole request, owned */
	json_t *id;	 /* borrowed; NULL if none, or unusable (the refusal's id) */
	const char *cmd; /* the command's name */
	json_t *args;	 /* borrowed; NULL when absent */
};
/* One answer line, read (by adfctl): */
struct proto_answer {
	json_t *json; /* the whole answer, owned */
	bool ok;
	bool more;     /* a chunk: more of the same answer follows */
	json_t *data;  /* ok: borrowed from json */
	json_t *error; /* not ok: {code, message, details?}, borrowed */
};
enum proto_read {
	PROTO_READ_OK = 0,
	PROTO_READ_GARBLED = -1, /* not a JSON object, or not an answer */
	PROTO_READ_VERSION = -2	 /* an answer of another protocol version */
};
/* Reads one line into a; on failure why says what in a sentence. */
enum proto_read proto_read_answer(const char *line, size_t len, struct proto_answer *a, char *why,
				  size_t why_len);
void proto_answer_free(struct proto_answer *a);
/* Reads one request line: PROTO_READ_VERSION for another version (a
 * client that would misread the answers), PROTO_READ_GARBLED for anything
 * else not a request; why says what, r->id is set when it could be read. */
enum proto_read proto_read_request(const char *line, size_t len, struct proto_request *r, char *why,
				   size_t why_len);
void proto_request_free(struct proto_request *r);

const char *adf_code_name(enum adf_code code);
enum adf_code adf_code_from_name(const char *name);

/* Sets err and returns -1, so that a failing path reads
 * `return adf_fail(err, ADF_E_NOT_FOUND, "no Atelier %d", id);`. */
int adf_fail(struct adf_error *err, enum adf_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int adf_vfail(struct adf_error *err, enum adf_code code, const char *fmt, va_list ap);
/* Writes a template (a translation of an error's format) with its values
 * in their order, or by position ("%2$s"), into out. */
void adf_fill(char *out, size_t n, const char *format, const char *const *values, int nvalues);

#endif
