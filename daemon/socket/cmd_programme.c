/* The socket commands of what the tour publishes: programmes, calendars,
 * the bilan. */
#include "config.h"

#include "handlers.h"
#include "ical.h"
#include "programme.h"
#include "request.h"
#include "stats.h"

int h_atelier_programme(struct req *r)
{
	return req_answer(r, programme_answer(&r->w, arg_int(r, "id", 0), arg_str(r, "format")));
}

int h_atelier_ical(struct req *r)
{
	return req_answer(r, ical_atelier(&r->w, arg_int(r, "id", 0), arg_bool(r, "sessions")));
}

int h_cycle_ical(struct req *r)
{
	return req_answer(r, ical_cycle(&r->w, arg_int(r, "id", 0), arg_bool(r, "sessions")));
}
