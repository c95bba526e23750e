/* The socket commands of registrations. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checkin.h"
#include "handlers.h"
#include "registration.h"
#include "registration_csv.h"
#include "request.h"

int h_register(struct req *r)
{
	const char *name = arg_str(r, "name"), *last = arg_str(r, "last");
	if (!name == !last || (arg_has(r, "first") && !last))
		return req_fail(r, ADF_E_BAD_REQUEST,
				"register: give last (and first), or name, one of them");
	struct registration_form f = {.civility = arg_str(r, "civility"),
				      .name = name,
				      .first = arg_str(r, "first"),
				      .last = last,
				      .email = arg_str(r, "email"),
				      .org = arg_str(r, "org"),
				      .category = arg_str(r, "category"),
				      .source = "adfctl",
				      .checkin = arg_bool(r, "checkin"),
				      .force = arg_bool(r, "force")};
	return req_answer(r, registration_register(&r->w, arg_int(r, "atelier", 0), &f));
}

int h_registration_list(struct req *r)
{
	return req_answer(
	    r, registration_list(&r->w, arg_int(r, "atelier", 0), arg_int(r, "after", 0),
				 json_object_get(r->args, "status"),
				 json_object_get(r->args, "category"), arg_int(r, "limit", 1000)));
}

int h_registration_show(struct req *r)
{
	return req_answer(r, registration_show(&r->w, arg_int(r, "id", 0),
					       r->peer && r->peer->role == ROLE_ADMIN));
}

int h_registration_cancel(struct req *r)
{
	return req_answer(
	    r, registration_cancel(&r->w, arg_int(r, "id", 0), arg_str(r, "reason"), false, false));
}

int h_registration_checkin(struct req *r)
{
	return req_answer(r, registration_checkin(&r->w, arg_int(r, "atelier", 0),
						  arg_str(r, "email"), arg_bool(r, "force")));
}

int h_registration_import(struct req *r)
{
	r->dry_run = arg_bool(r, "dry-run");
	return req_answer(r, registration_import(&r->w, arg_int(r, "atelier", 0),
						 json_object_get(r->args, "rows"),
						 arg_bool(r, "skip-invalid"), r->dry_run));
}

/* The export's chunks as the answer's stream. */
struct export_stream {
	struct stream base;
	struct registration_export *export;
};

static int export_next(struct stream *s, struct adfd *d, json_t **chunk, bool *done,
		       struct adf_error *err)
{
	return registration_export_next(((struct export_stream *)s)->export, d->db, chunk, done,
					err);
}

static void export_free(struct stream *s)
{
	free(((struct export_stream *)s)->export);
	free(s);
}

int h_registration_export(struct req *r)
{
	const char *format = arg_str(r, "format"), *separator = arg_str(r, "separator");
	struct export_stream *e = calloc(1, sizeof *e);
	if (!e)
		return req_fail(r, ADF_E_INTERNAL, "out of memory");
	e->base.next = export_next;
	e->base.free = export_free;
	e->export = registration_export_open(&r->w, arg_int(r, "atelier", 0), format,
					     separator ? separator[0] : 0, arg_bool(r, "bom"));
	if (!e->export) {
		free(e);
		return -1;
	}
	/* the first chunk is this answer; the client asks for the rest */
	bool done = false;
	if (export_next(&e->base, r->w.adfd, &r->data, &done, &r->w.err) < 0) {
		export_free(&e->base);
		return -1;
	}
	if (done)
		export_free(&e->base);
	else
		r->stream = &e->base;
	return 0;
}

int h_checkin(struct req *r)
{
	const char *code = arg_str(r, "code");
	if (!code)
		return req_fail(r, ADF_E_BAD_REQUEST,
				"checkin: missing argument \"code\" (or use --scan)");
	return req_answer(
	    r, checkin_scan(&r->w, arg_int(r, "atelier", 0), code, arg_bool(r, "force")));
}
