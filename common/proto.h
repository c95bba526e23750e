/* The wire protocol shared by adfd and adfctl: newline-delimited JSON,
 * one request or answer per line (see doc/design.md §3). */
#ifndef ADF_PROTO_H
#define ADF_PROTO_H

#include <stdarg.h>
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

struct adf_error {
	enum adf_code code;
	char message[512];
};

const char *adf_code_name(enum adf_code code);
enum adf_code adf_code_from_name(const char *name);

/* Sets err and returns -1, so that a failing path reads
 * `return adf_fail(err, ADF_E_NOT_FOUND, "no Atelier %d", id);`. */
int adf_fail(struct adf_error *err, enum adf_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int adf_vfail(struct adf_error *err, enum adf_code code, const char *fmt, va_list ap);

#endif
