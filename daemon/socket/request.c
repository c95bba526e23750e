#include "config.h"

#include <stdarg.h>

#include "request.h"

int req_fail(struct req *r, enum adf_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	adf_vfail(&r->w.err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int req_answer(struct req *r, json_t *data)
{
	r->data = data;
	return data ? 0 : -1;
}

const char *arg_str(const struct req *r, const char *name)
{
	return json_string_value(json_object_get(r->args, name));
}

long long arg_int(const struct req *r, const char *name, long long fallback)
{
	json_t *v = json_object_get(r->args, name);
	return json_is_integer(v) ? json_integer_value(v) : fallback;
}

bool arg_bool(const struct req *r, const char *name)
{
	return json_is_true(json_object_get(r->args, name));
}

bool arg_has(const struct req *r, const char *name)
{
	json_t *v = json_object_get(r->args, name);
	return v && !json_is_null(v);
}
