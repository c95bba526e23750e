#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "proto.h"
#include "text.h"

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

/* The length of the conversion at s ("%lld", "%.60s", "%2$s"), 0 if it is
 * none this file knows. */
static size_t conversion_length(const char *s)
{
	size_t i = 1;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	if (s[i] == '$')
		i++;
	else
		i = 1;
	while (s[i] && strchr("-+ #0", s[i]))
		i++;
	while ((s[i] >= '0' && s[i] <= '9') || s[i] == '*')
		i++;
	if (s[i] == '.')
		for (i++; (s[i] >= '0' && s[i] <= '9') || s[i] == '*'; i++)
			;
	while (s[i] && strchr("hlzjt", s[i]))
		i++;
	return s[i] && strchr("diouxXcsfgeEp%", s[i]) ? i + 1 : 0;
}

/* Formats one conversion of fmt with its argument from ap into out. */
static void format_one(char *out, size_t n, const char *spec, size_t len, va_list *ap)
{
	char one[32];
	if (len >= sizeof one) {
		snprintf(out, n, "?");
		return;
	}
	memcpy(one, spec, len);
	one[len] = '\0';
	int star[2], stars = 0;
	for (const char *p = one; *p && stars < 2; p++)
		if (*p == '*')
			star[stars++] = va_arg(*ap, int);
	char conv = one[len - 1];
	bool ll = strstr(one, "ll") != NULL, l = !ll && strchr(one, 'l') != NULL,
	     z = strchr(one, 'z') != NULL;
#define PUT(value)                                                                                 \
	(stars == 2   ? snprintf(out, n, one, star[0], star[1], value)                             \
	 : stars == 1 ? snprintf(out, n, one, star[0], value)                                      \
		      : snprintf(out, n, one, value))
	if (strchr("di", conv))
		ll  ? PUT(va_arg(*ap, long long))
		: l ? PUT(va_arg(*ap, long))
		: z ? PUT(va_arg(*ap, ssize_t))
		    : PUT(va_arg(*ap, int));
	else if (strchr("ouxX", conv))
		ll  ? PUT(va_arg(*ap, unsigned long long))
		: l ? PUT(va_arg(*ap, unsigned long))
		: z ? PUT(va_arg(*ap, size_t))
		    : PUT(va_arg(*ap, unsigned));
	else if (conv == 'c')
		PUT(va_arg(*ap, int));
	else if (conv == 's')
		PUT(va_arg(*ap, const char *));
	else if (conv == 'p')
		PUT(va_arg(*ap, void *));
	else
		PUT(va_arg(*ap, double));
#undef PUT
}

int adf_vfail(struct adf_error *err, enum adf_code code, const char *fmt, va_list ap)
{
	err->code = code;
	err->format = fmt;
	err->nvalues = 0;
	va_list args;
	va_copy(args, ap);
	size_t at = 0;
	for (const char *p = fmt; *p;) {
		size_t len = *p == '%' ? conversion_length(p) : 0;
		if (*p == '%' && len == 0) {
			/* a conversion this file does not know: the message alone */
			va_end(args);
			vsnprintf(err->message, sizeof err->message, fmt, ap);
			err->format = NULL;
			err->nvalues = 0;
			return -1;
		}
		if (len == 2 && p[1] == '%') {
			if (at + 1 < sizeof err->message)
				err->message[at++] = '%';
		} else if (len) {
			char value[sizeof err->values[0]];
			format_one(value, sizeof value, p, len, &args);
			if (err->nvalues < ADF_ERROR_VALUES)
				snprintf(err->values[err->nvalues++], sizeof err->values[0], "%s",
					 value);
			at += (size_t)snprintf(err->message + at, sizeof err->message - at, "%s",
					       value);
		} else if (at + 1 < sizeof err->message) {
			err->message[at++] = *p;
		}
		if (at >= sizeof err->message)
			at = sizeof err->message - 1;
		p += len ? len : 1;
	}
	err->message[at] = '\0';
	va_end(args);
	return -1;
}

void adf_fill(char *out, size_t n, const char *format, const char *const *values, int nvalues)
{
	size_t at = 0, next = 0;
	for (const char *p = format; *p && at + 1 < n;) {
		size_t len = *p == '%' ? conversion_length(p) : 0;
		if (len == 2 && p[1] == '%') {
			out[at++] = '%';
		} else if (len) {
			size_t index = next++;
			if (p[1] >= '1' && p[1] <= '9' && strchr(p, '$') &&
			    strchr(p, '$') < p + len)
				index = (size_t)strtoul(p + 1, NULL, 10) - 1;
			const char *v = index < (size_t)nvalues ? values[index] : NULL;
			at += (size_t)snprintf(out + at, n - at, "%s", v ? v : "?");
			if (at >= n)
				at = n - 1;
		} else {
			out[at++] = *p;
		}
		p += len ? len : 1;
	}
	out[at < n ? at : n - 1] = '\0';
}

int adf_fail(struct adf_error *err, enum adf_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	adf_vfail(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

json_t *proto_error_json(const struct adf_error *err)
{
	/* messages quote the request: a cut or hostile one must not make the
	 * answer itself impossible (found by fuzzing) */
	char clean[sizeof err->message];
	snprintf(clean, sizeof clean, "%s", err->message);
	utf8_clean(clean);
	json_t *e = json_pack("{s:s}", "message", clean);
	if (e && err->format) {
		json_t *values = json_array();
		for (int i = 0; i < err->nvalues; i++) {
			char value[sizeof err->values[0]];
			snprintf(value, sizeof value, "%s", err->values[i]);
			utf8_clean(value);
			json_array_append_new(values, json_string(value));
		}
		json_object_set_new(e, "format", json_string(err->format));
		json_object_set_new(e, "values", values);
	}
	return e;
}

json_t *proto_answer_refusal(json_t *id, const struct adf_error *err)
{
	json_t *e = json_pack("{s:s}", "code", adf_code_name(err->code)),
	       *body = proto_error_json(err);
	if (!body || json_object_update(e, body) < 0) {
		json_decref(e);
		e = NULL;
	}
	json_decref(body);
	json_t *a = e ? json_pack("{s:O?,s:i,s:b,s:o}", "id", id, ADF_PROTO_MEMBER,
				  ADF_PROTO_VERSION, "ok", 0, "error", e)
		      : NULL;
	return a ? a
		 : json_pack("{s:n,s:b,s:{s:s,s:s}}", "id", "ok", 0, "error", "code", "internal",
			     "message", "out of memory");
}

json_t *proto_answer_error(json_t *id, enum adf_code code, const char *message)
{
	struct adf_error err = {.code = code};
	snprintf(err.message, sizeof err.message, "%s", message);
	return proto_answer_refusal(id, &err);
}

json_t *proto_answer(json_t *id, json_t *data, bool more)
{
	json_t *a = json_pack("{s:O?,s:i,s:b,s:o?}", "id", id, ADF_PROTO_MEMBER, ADF_PROTO_VERSION,
			      "ok", 1, "data", data);
	if (a && more)
		json_object_set_new(a, "more", json_true());
	return a;
}

json_t *proto_request(json_int_t id, const char *cmd, json_t *args)
{
	return json_pack("{s:I,s:i,s:s,s:o}", "id", id, ADF_PROTO_MEMBER, ADF_PROTO_VERSION, "cmd",
			 cmd, "args", args);
}

enum proto_read proto_read_answer(const char *line, size_t len, struct proto_answer *a, char *why,
				  size_t why_len)
{
	json_error_t jerr;
	*a = (struct proto_answer){0};
	json_t *json = json_loadb(line, len, 0, &jerr);
	json_t *ok = json_object_get(json, "ok");
	if (!json_is_object(json) || !json_is_boolean(ok)) {
		snprintf(why, why_len, "adfd sent something that is not an answer%s%s",
			 json ? "" : ": ", json ? "" : jerr.text);
		json_decref(json);
		return PROTO_READ_GARBLED;
	}
	json_t *version = json_object_get(json, ADF_PROTO_MEMBER);
	if (!json_is_integer(version) || json_integer_value(version) != ADF_PROTO_VERSION) {
		snprintf(why, why_len,
			 "adfd answers in protocol version %lld, adfctl speaks %d: use the adfctl "
			 "that came with this adfd",
			 (long long)json_integer_value(version), ADF_PROTO_VERSION);
		json_decref(json);
		return PROTO_READ_VERSION;
	}
	a->json = json;
	a->ok = json_is_true(ok);
	a->more = json_is_true(json_object_get(json, "more"));
	a->data = json_object_get(json, "data");
	a->error = json_object_get(json, "error");
	return PROTO_READ_OK;
}

void proto_answer_free(struct proto_answer *a)
{
	json_decref(a->json);
	*a = (struct proto_answer){0};
}

enum proto_read proto_read_request(const char *line, size_t len, struct proto_request *r, char *why,
				   size_t why_len)
{
	json_error_t jerr;
	*r = (struct proto_request){0};
	r->json = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!r->json) {
		if (json_error_code(&jerr) == json_error_invalid_utf8)
			snprintf(why, why_len, "not valid UTF-8 at byte %d", jerr.position);
		else
			snprintf(why, why_len, "invalid JSON at column %d: %s", jerr.column,
				 jerr.text);
		return PROTO_READ_GARBLED;
	}
	if (!json_is_object(r->json)) {
		snprintf(why, why_len, "a request is a JSON object");
		return PROTO_READ_GARBLED;
	}
	json_t *id = json_object_get(r->json, "id");
	if (id && !json_is_integer(id) && !json_is_string(id) && !json_is_null(id)) {
		snprintf(why, why_len, "id: expected an integer or a string");
		return PROTO_READ_GARBLED;
	}
	r->id = id;
	json_t *cmd = json_object_get(r->json, "cmd");
	if (!json_is_string(cmd)) {
		snprintf(why, why_len, "cmd: expected a command name");
		return PROTO_READ_GARBLED;
	}
	const char *key;
	json_t *value;
	json_object_foreach(r->json, key, value)
	{
		if (strcmp(key, "id") && strcmp(key, "cmd") && strcmp(key, "args") &&
		    strcmp(key, ADF_PROTO_MEMBER)) {
			snprintf(why, why_len, "unknown request member \"%.60s\"", key);
			return PROTO_READ_GARBLED;
		}
	}
	json_t *version = json_object_get(r->json, ADF_PROTO_MEMBER);
	if (version &&
	    (!json_is_integer(version) || json_integer_value(version) != ADF_PROTO_VERSION)) {
		snprintf(why, why_len,
			 "protocol version %lld: this adfd speaks version %d (use the adfctl that "
			 "came with it)",
			 (long long)json_integer_value(version), ADF_PROTO_VERSION);
		return PROTO_READ_VERSION;
	}
	r->cmd = json_string_value(cmd);
	r->args = json_object_get(r->json, "args");
	return PROTO_READ_OK;
}

void proto_request_free(struct proto_request *r)
{
	json_decref(r->json);
	*r = (struct proto_request){0};
}
