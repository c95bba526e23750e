/* The socket commands of mail: the queue, failures and retries, a test
 * message, reminder rules, what is coming, previews. */
#include "config.h"

#include "handlers.h"
#include "outbox.h"
#include "reminder.h"
#include "request.h"

int h_mail_queue(struct req *r)
{
	return req_answer(r, outbox_list(&r->w, json_object_get(r->args, "state"),
					 json_object_get(r->args, "atelier"),
					 arg_int(r, "limit", 100)));
}

int h_mail_failed(struct req *r)
{
	json_t *failed = json_string("failed");
	int rc = req_answer(r, outbox_list(&r->w, failed, json_object_get(r->args, "atelier"),
					   arg_int(r, "limit", 100)));
	json_decref(failed);
	return rc;
}

int h_mail_retry(struct req *r)
{
	if (arg_bool(r, "all-failed") && (arg_has(r, "id") || arg_has(r, "to")))
		return req_fail(r, ADF_E_BAD_REQUEST,
				"give a message id (and to), or all-failed, not both");
	if (arg_bool(r, "all-failed"))
		return req_answer(r, outbox_retry_failed(&r->w));
	if (!arg_has(r, "id"))
		return req_fail(r, ADF_E_BAD_REQUEST, "give a message id or all-failed");
	return req_answer(r, outbox_retry(&r->w, arg_int(r, "id", 0), arg_str(r, "to")));
}

int h_mail_test(struct req *r)
{
	return req_answer(r, outbox_test(&r->w, arg_str(r, "address")));
}

int h_mail_upcoming(struct req *r)
{
	return req_answer(r, reminder_upcoming(&r->w, arg_int(r, "days", 7)));
}

int h_mail_preview(struct req *r)
{
	return req_answer(
	    r, reminder_preview(&r->w, arg_str(r, "template"), arg_int(r, "atelier", 0)));
}

int h_reminder_set(struct req *r)
{
	const char *offset = arg_str(r, "offset"), *after = arg_str(r, "after");
	if (!offset == !after)
		return req_fail(r, ADF_E_BAD_REQUEST,
				"reminder.set: give offset (before the start) or after (after the "
				"end), one of them");
	return req_answer(r, reminder_set(&r->w, arg_int(r, "atelier", 0), arg_str(r, "name"),
					  offset ? offset : after, after != NULL,
					  arg_str(r, "template"), arg_str(r, "audience")));
}

int h_reminder_disable(struct req *r)
{
	return req_answer(
	    r, reminder_switch(&r->w, arg_int(r, "atelier", 0), arg_str(r, "name"), false));
}

int h_reminder_enable(struct req *r)
{
	return req_answer(
	    r, reminder_switch(&r->w, arg_int(r, "atelier", 0), arg_str(r, "name"), true));
}
