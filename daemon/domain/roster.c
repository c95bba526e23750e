/* The people of an Atelier as its printed documents list them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "atelier.h"
#include "db.h"
#include "roster.h"
#include "text.h"
#include "work.h"

/* The surname as it sorts ("de La Fontaine" under L), then the first
 * name: a sign-in sheet is read by surname, as French usage has it. */
static void sort_key(json_t *person, char *out, size_t n)
{
	char surname[256], first[256];
	surname_key(json_str(person, "last_name") ?: json_str(person, "name"), surname,
		    sizeof surname);
	text_fold(json_str(person, "first_name") ?: "", first, sizeof first);
	snprintf(out, n, "%s, %s", surname, first);
}

static int by_surname(const void *a, const void *b)
{
	char ka[600], kb[600];
	sort_key(*(json_t *const *)a, ka, sizeof ka);
	sort_key(*(json_t *const *)b, kb, sizeof kb);
	int c = strverscmp(ka, kb); /* "Numéro 2" before "Numéro 10" */
	return c ? c
		 : (json_int(*(json_t *const *)a, "id") > json_int(*(json_t *const *)b, "id")) -
		       (json_int(*(json_t *const *)a, "id") < json_int(*(json_t *const *)b, "id"));
}

static json_t *sorted(json_t *people)
{
	size_t n = json_array_size(people);
	json_t **items = malloc((n ? n : 1) * sizeof *items);
	json_t *out = items ? json_array() : NULL;
	for (size_t i = 0; out && i < n; i++)
		items[i] = json_array_get(people, i);
	if (out) {
		qsort(items, n, sizeof *items, by_surname);
		for (size_t i = 0; i < n; i++)
			json_array_append(out, items[i]);
	}
	free(items);
	json_decref(people);
	return out;
}

static json_t *document(struct work *w, long long atelier_id, json_t *people)
{
	json_t *atelier = people ? atelier_get(w, atelier_id) : NULL;
	/* nobody is expected at a cancelled Atelier, nor at a draft */
	const char *status = atelier ? json_str(atelier, "status") : "";
	bool printable = strcmp(status, "cancelled") && strcmp(status, "draft");
	if (atelier && !printable)
		work_fail(w, ADF_E_CONFLICT, "Atelier %lld is %s: nothing to print", atelier_id,
			  status);
	if (!atelier || !printable) {
		json_decref(atelier);
		json_decref(people);
		return NULL;
	}
	return json_pack("{s:o,s:o}", "atelier", atelier, "people", sorted(people));
}

/* Those expected (confirmed or present), or only those present; the
 * check-in codes only for the badges. */
static json_t *people_of(struct work *w, long long atelier, bool only_present, bool with_codes)
{
	json_t *people = db_rows_json(
	    w->db,
	    db_query(w->db, &w->err,
		     "SELECT id, civility, name, first_name, last_name, organisation, category,"
		     " status, attended_at, checkin_code FROM registration WHERE atelier_id = ?"
		     " AND anonymised_at IS NULL AND (status = 'attended'"
		     "  OR (NOT ? AND status = 'confirmed'))",
		     "Ii", atelier, only_present ? 1 : 0),
	    &w->err);
	size_t i;
	json_t *person;
	json_array_foreach(people, i, person)
	{
		if (!with_codes)
			json_object_del(person, "checkin_code");
		/* "LE GOFF Yannick", as a French sheet lists people */
		char sheet[600];
		name_sheet(json_str(person, "first_name"),
			   json_str(person, "last_name") ?: json_str(person, "name"), sheet,
			   sizeof sheet);
		json_object_set_new(person, "sheet_name", json_string(sheet));
	}
	/* "no Atelier 9" from document(), rather than an empty sheet */
	return document(w, atelier, people);
}

json_t *roster_sheet(struct work *w, long long atelier)
{
	return people_of(w, atelier, false, false);
}

json_t *roster_badges(struct work *w, long long atelier)
{
	return people_of(w, atelier, false, true);
}

json_t *roster_attended(struct work *w, long long atelier)
{
	return people_of(w, atelier, true, false);
}

json_t *roster_attestation(struct work *w, long long id)
{
	json_t *person =
	    work_row(w,
		     db_query(w->db, &w->err,
			      "SELECT id, atelier_id, civility, name, organisation, category,"
			      " status, attended_at FROM registration WHERE id = ?"
			      " AND anonymised_at IS NULL",
			      "I", id),
		     "no registration %lld", id);
	if (!person)
		return NULL;
	long long atelier = json_int(person, "atelier_id");
	json_object_del(person, "atelier_id");
	if (strcmp(json_str(person, "status"), "attended") != 0) {
		work_fail(w, ADF_E_CONFLICT,
			  "registration %lld was not checked in (status: %s): a certificate of "
			  "attendance is for those who came",
			  id, json_str(person, "status"));
		json_decref(person);
		return NULL;
	}
	json_t *people = json_array();
	json_array_append_new(people, person);
	return document(w, atelier, people);
}
