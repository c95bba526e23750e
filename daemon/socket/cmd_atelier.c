/* The socket commands of Ateliers. */
#include "config.h"

#include "atelier.h"
#include "handlers.h"
#include "request.h"

/* The fields by their domain names: --waitlist-max is waitlist_max. */
static json_t *fields_of_args(struct req *r)
{
	json_t *fields = json_copy(r->args);
	json_t *max = json_object_get(fields, "waitlist-max");
	if (max)
		json_object_set(fields, "waitlist_max", max);
	return fields;
}

int h_atelier_add(struct req *r)
{
	json_t *fields = fields_of_args(r);
	int rc =
	    req_answer(r, atelier_add(&r->w, fields, arg_bool(r, "draft"), arg_bool(r, "force")));
	json_decref(fields);
	return rc;
}

int h_atelier_list(struct req *r)
{
	return req_answer(r, atelier_list_json(&r->w, json_object_get(r->args, "cycle"),
					       json_object_get(r->args, "status"),
					       json_object_get(r->args, "departement")));
}

int h_atelier_update(struct req *r)
{
	json_t *fields = fields_of_args(r);
	int rc =
	    req_answer(r, atelier_update(&r->w, arg_int(r, "id", 0), fields, arg_bool(r, "force")));
	json_decref(fields);
	return rc;
}

int h_atelier_cancel(struct req *r)
{
	return req_answer(r, atelier_cancel(&r->w, arg_int(r, "id", 0), arg_str(r, "reason")));
}

int h_atelier_links(struct req *r)
{
	const char *replay = arg_str(r, "replay-url"), *slides = arg_str(r, "slides-url");
	if (!replay && !slides)
		return req_fail(r, ADF_E_BAD_REQUEST,
				"atelier.links: give replay-url, slides-url or both");
	return req_answer(r, atelier_links(&r->w, arg_int(r, "id", 0), replay, slides));
}
