/* The socket commands of good practices. */
#include "config.h"

#include "handlers.h"
#include "practice.h"
#include "request.h"

int h_practice_add(struct req *r)
{
	return req_answer(r, practice_add(&r->w, r->args));
}

int h_practice_list(struct req *r)
{
	return req_answer(r, practice_list(&r->w, json_object_get(r->args, "departement")));
}

int h_practice_search(struct req *r)
{
	return req_answer(r, practice_search(&r->w, arg_str(r, "query"), arg_int(r, "limit", 20)));
}

int h_practice_update(struct req *r)
{
	return req_answer(r, practice_update(&r->w, arg_int(r, "id", 0), r->args));
}
