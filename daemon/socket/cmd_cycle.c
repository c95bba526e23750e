/* The socket commands of cycles. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cycle.h"
#include "handlers.h"
#include "request.h"
#include "restitution.h"

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

int h_cycle_restitution(struct req *r)
{
	json_t *data = restitution_data(&r->w, arg_int(r, "id", 0));
	const char *format = arg_str(r, "format");
	/* the page for html; the data itself for adf-print's PDF */
	if (data && (!format || !strcmp(format, "html"))) {
		char *html = restitution_html(data);
		if (!html) {
			json_decref(data);
			return req_fail(r, ADF_E_INTERNAL, "out of memory");
		}
		json_object_set_new(data, "content", json_string(html));
		free(html);
	}
	return req_answer(r, data);
}
