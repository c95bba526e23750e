/* The socket command of the tour. */
#include "config.h"

#include "handlers.h"
#include "request.h"
#include "tour.h"

int h_tour_plan(struct req *r)
{
	return req_answer(r, tour_plan(&r->w, arg_int(r, "cycle", 0), arg_str(r, "rule"),
				       arg_str(r, "time"), arg_bool(r, "apply"),
				       arg_bool(r, "force")));
}
