/* The socket commands of sessions and their speakers. */
#include "config.h"

#include "handlers.h"
#include "request.h"
#include "session.h"

int h_session_add(struct req *r)
{
	return req_answer(r, session_add(&r->w, arg_int(r, "atelier", 0), arg_str(r, "kind"),
					 arg_str(r, "title"), arg_str(r, "start"),
					 arg_str(r, "end"), arg_bool(r, "force")));
}

int h_session_update(struct req *r)
{
	return req_answer(r, session_update(&r->w, arg_int(r, "id", 0), arg_str(r, "kind"),
					    arg_str(r, "title"), arg_str(r, "start"),
					    arg_str(r, "end"), arg_bool(r, "force")));
}

int h_session_move(struct req *r)
{
	return req_answer(
	    r, session_move(&r->w, arg_int(r, "id", 0), arg_str(r, "start"), arg_bool(r, "force")));
}

int h_speaker_add(struct req *r)
{
	return req_answer(r, speaker_add(&r->w, arg_int(r, "session", 0), arg_int(r, "person", 0),
					 arg_str(r, "role"), arg_int(r, "position", 0),
					 arg_bool(r, "force")));
}

int h_speaker_remove(struct req *r)
{
	return req_answer(r,
			  speaker_remove(&r->w, arg_int(r, "session", 0), arg_int(r, "person", 0)));
}
