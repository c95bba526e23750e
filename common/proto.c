#include "config.h"

#include <stdio.h>
#include <string.h>

#include "proto.h"

static const char *const code_names[ADF_E_COUNT] = {
    [ADF_OK] = "ok",
    [ADF_E_BAD_REQUEST] = "bad_request",
    [ADF_E_NOT_FOUND] = "not_found",
    [ADF_E_CONFLICT] = "conflict",
    [ADF_E_FULL] = "full",
    [ADF_E_FORBIDDEN] = "forbidden",
    [ADF_E_UNAVAILABLE] = "unavailable",
    [ADF_E_INTERNAL] = "internal",
};

const char *adf_code_name(enum adf_code code)
{
	if ((int)code < 0 || code >= ADF_E_COUNT)
		return "internal";
	return code_names[code];
}

enum adf_code adf_code_from_name(const char *name)
{
	for (int i = 0; i < ADF_E_COUNT; i++)
		if (name && strcmp(code_names[i], name) == 0)
			return (enum adf_code)i;
	return ADF_E_INTERNAL;
}

int adf_vfail(struct adf_error *err, enum adf_code code, const char *fmt, va_list ap)
{
	err->code = code;
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	return -1;
}

int adf_fail(struct adf_error *err, enum adf_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	adf_vfail(err, code, fmt, ap);
	va_end(ap);
	return -1;
}
