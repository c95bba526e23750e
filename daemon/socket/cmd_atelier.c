/* The socket commands of Ateliers. */
#include "config.h"

#include "atelier.h"
#include "handlers.h"
#include "request.h"

int h_atelier_add(struct req *r)
{
	return req_answer(r,
			  atelier_add(&r->w, r->args, arg_bool(r, "draft"), arg_bool(r, "force")));
}

int h_atelier_list(struct req *r)
{
	return req_answer(r, atelier_list_json(&r->w, json_object_get(r->args, "cycle"),
					       json_object_get(r->args, "status"),
					       json_object_get(r->args, "departement")));
}

int h_atelier_update(struct req *r)
{
	return req_answer(
	    r, atelier_update(&r->w, arg_int(r, "id", 0), r->args, arg_bool(r, "force")));
}

int h_atelier_cancel(struct req *r)
{
	return req_answer(r, atelier_cancel(&r->w, arg_int(r, "id", 0), arg_str(r, "reason")));
}
