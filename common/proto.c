#include "config.h"

#include <stdio.h>
#include <string.h>

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

json_t *proto_answer_error(json_t *id, enum adf_code code, const char *message)
{
	/* messages quote the request: a cut or hostile one must not make the
	 * answer itself impossible (found by fuzzing) */
	char clean[sizeof((struct adf_error *)0)->message];
	snprintf(clean, sizeof clean, "%s", message);
	utf8_clean(clean);
	json_t *a =
	    json_pack("{s:O?,s:i,s:b,s:{s:s,s:s}}", "id", id, ADF_PROTO_MEMBER, ADF_PROTO_VERSION,
		      "ok", 0, "error", "code", adf_code_name(code), "message", clean);
	return a ? a
		 : json_pack("{s:n,s:b,s:{s:s,s:s}}", "id", "ok", 0, "error", "code", "internal",
			     "message", "out of memory");
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
