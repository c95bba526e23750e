/* The socket commands of Départements. */
#include "config.h"

#include "departement.h"
#include "handlers.h"
#include "request.h"

int h_departement_list(struct req *r)
{
	return req_answer(r, departement_list(&r->w, json_object_get(r->args, "region")));
}

int h_departement_show(struct req *r)
{
	return req_answer(r, departement_show(&r->w, json_object_get(r->args, "code")));
}
