/* The people of an Atelier as its printed documents list them: the
 * sign-in sheet, the badges, the certificates of attendance. adfctl lays
 * them out (PDF); adfd gives the data, {atelier, people}. */
#ifndef ADF_ROSTER_H
#define ADF_ROSTER_H

#include <jansson.h>
#include <stdbool.h>

struct work;

/* Who is expected or came (confirmed, attended), by surname: the sign-in
 * sheet; the badges, with each one's check-in code. */
json_t *roster_sheet(struct work *w, long long atelier);
json_t *roster_badges(struct work *w, long long atelier);
/* Who came (attended), by surname: their certificates. */
json_t *roster_attended(struct work *w, long long atelier);
/* One registration's certificate: refused unless it attended. */
json_t *roster_attestation(struct work *w, long long registration);

#endif
