/* The sessions of an Atelier and who speaks at them. */
#ifndef ADF_SESSION_H
#define ADF_SESSION_H

#include <jansson.h>
#include <stdbool.h>

struct work;

/* A session's hours must fit its Atelier's day; an overlap or a speaker
 * booked elsewhere at the time only with force. */
json_t *session_get(struct work *w, long long id);
/* The sessions in time order, each with its speakers (moderators first). */
json_t *session_list_json(struct work *w, long long atelier);
/* The same, the Atelier checked first. */
json_t *session_list(struct work *w, long long atelier);
json_t *session_add(struct work *w, long long atelier, const char *kind, const char *title,
		    const char *start, const char *end, bool force);
/* NULL: kept. */
json_t *session_update(struct work *w, long long id, const char *kind, const char *title,
		       const char *start, const char *end, bool force);
/* Keeps the duration. */
json_t *session_move(struct work *w, long long id, const char *start, bool force);
json_t *session_delete(struct work *w, long long id);
/* position 0: after the others of that role. */
json_t *speaker_add(struct work *w, long long session, long long person, const char *role,
		    long long position, bool force);
json_t *speaker_remove(struct work *w, long long session, long long person);
/* Every conflict and gap of an Atelier's programme: {severity, message}. */
json_t *session_check_json(struct work *w, long long atelier);

#endif
