/* The socket commands of cycles. */
#include "config.h"

#include "cycle.h"
#include "handlers.h"
#include "request.h"

int h_cycle_add(struct req *r)
{
	return req_answer(
	    r, cycle_add(&r->w, arg_str(r, "name"), arg_str(r, "from"), arg_str(r, "to")));
}

int h_cycle_list(struct req *r)
{
	return req_answer(r, cycle_list(&r->w));
}

int h_cycle_update(struct req *r)
{
	return req_answer(r, cycle_update(&r->w, arg_int(r, "id", 0), arg_str(r, "name"),
					  arg_str(r, "from"), arg_str(r, "to")));
}
