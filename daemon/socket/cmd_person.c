/* The socket commands of people. */
#include "config.h"

#include "handlers.h"
#include "person.h"
#include "request.h"

int h_person_add(struct req *r)
{
	return req_answer(r, person_add(&r->w, r->args, arg_bool(r, "force")));
}

int h_person_update(struct req *r)
{
	return req_answer(r,
			  person_update(&r->w, arg_int(r, "id", 0), r->args, arg_bool(r, "force")));
}

int h_person_list(struct req *r)
{
	return req_answer(r, person_list(&r->w, arg_str(r, "search")));
}
