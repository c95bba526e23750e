/* The sessions of an Atelier and who speaks at them. */
#ifndef ADF_SESSION_H
#define ADF_SESSION_H

#include <jansson.h>

struct req;

/* The sessions in time order, each with its speakers (moderators first). */
json_t *session_list_json(struct req *r, long long atelier);
/* Every conflict and gap of an Atelier's programme: {severity, message}. */
json_t *session_check_json(struct req *r, long long atelier);

#endif
