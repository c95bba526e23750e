/* The door of an Atelier: what one scanned or typed line means (a badge's
 * code, an e-mail, part of a name) and the check-in it makes. Every line
 * gets an answer with an outcome, never an error for a person who is not
 * on the list: the door goes on with the next one. */
#include "config.h"

#include <string.h>

#include "atelier.h"
#include "checkin.h"
#include "db.h"
#include "paris.h"
#include "registration.h"
#include "text.h"
#include "work.h"

/* At most this many people named in an ambiguous answer. */
#define CANDIDATES_MAX 5

/* The digits a barcode scanner set for QWERTY types on an AZERTY keyboard:
 * the unshifted keys of the digit row, 1 to 0. */
static const char *const azerty_row[10] = {"\xc3\xa0", "&", "\xc3\xa9", "\"", "'",
					   "(",	       "-", "\xc3\xa8", "_",  "\xc3\xa7"};

/* The badge code in text, spaces and dashes aside, or typed through an
 * AZERTY layout; false if text is no code. */
static bool code_of(const char *text, char *out)
{
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (*p < '0' || *p > '9' || n == CHECKIN_CODE_LEN)
			goto azerty;
		out[n++] = *p;
	}
	out[n] = '\0';
	if (n == CHECKIN_CODE_LEN)
		return true;
azerty:
	n = 0;
	for (const char *p = text; *p;) {
		if (*p == ' ') {
			p++;
			continue;
		}
		int digit = -1;
		for (int k = 0; k < 10 && digit < 0; k++)
			if (!strncmp(p, azerty_row[k], strlen(azerty_row[k])))
				digit = k;
		if (digit < 0 || n == CHECKIN_CODE_LEN)
			return false;
		out[n++] = (char)('0' + digit);
		p += strlen(azerty_row[digit]);
	}
	out[n] = '\0';
	return n == CHECKIN_CODE_LEN;
}

/* How well the folded query names the folded name: 3 the whole name, 2
 * each word a whole word of it, 1 each word a part of it, 0 not. */
static int name_match(const char *name_key, const char *query_key)
{
	if (!strcmp(name_key, query_key))
		return 3;
	char word[256], padded[260];
	snprintf(padded, sizeof padded, " %s ", name_key);
	int score = 2;
	for (const char *p = query_key; *p;) {
		size_t len = strcspn(p, " ");
		if (len > 0 && len + 2 < sizeof word) {
			snprintf(word, sizeof word, " %.*s ", (int)len, p);
			if (!strstr(padded, word)) {
				word[len + 1] = '\0';
				if (!strstr(name_key, word + 1))
					return 0;
				score = 1;
			}
		}
		p += len;
		p += *p == ' ';
	}
	return score;
}

/* The registrations of the Atelier that the words of text name best
 * ("Luc Martin" is not "Luc Martinez"; "flood 5" is not "Flood 105"),
 * cancelled ones last: [{id, name, organisation, status}]. */
static json_t *by_name(struct work *w, long long atelier, const char *text)
{
	char query[256], key[256];
	text_fold(text, query, sizeof query);
	if (!*query)
		return json_array();
	json_t *rows =
	    db_rows_json(w->db,
			 db_query(w->db, &w->err,
				  "SELECT id, civility, name, organisation, status"
				  " FROM registration WHERE atelier_id = ?"
				  " AND anonymised_at IS NULL"
				  " ORDER BY status = 'cancelled', name COLLATE NOCASE, id",
				  "I", atelier),
			 &w->err);
	if (!rows)
		return NULL;
	json_t *found = json_array();
	int best = 1;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		text_fold(json_str(row, "name"), key, sizeof key);
		int score = name_match(key, query);
		if (score > best) {
			json_array_clear(found);
			best = score;
		}
		if (score == best)
			json_array_append(found, row);
	}
	json_decref(rows);
	return found;
}

static json_t *outcome(const char *what, const char *text)
{
	return json_pack("{s:s,s:s}", "outcome", what, "input", text);
}

/* The id the line names, 0 if none; *answer is set instead when the line
 * names several people or another Atelier's badge. */
static long long lookup(struct work *w, long long atelier, const char *text, json_t **answer)
{
	char code[CHECKIN_CODE_LEN + 1], key[256];
	*answer = NULL;
	if (code_of(text, code)) {
		long long id = db_scalar(w->db, &w->err,
					 "SELECT id FROM registration WHERE checkin_code = ?"
					 " AND atelier_id = ?",
					 "sI", code, atelier);
		if (id != 0)
			return id;
		long long other = db_scalar(
		    w->db, &w->err, "SELECT atelier_id FROM registration WHERE checkin_code = ?",
		    "s", code);
		if (other > 0)
			*answer = json_with(outcome("other_atelier", text), "atelier",
					    json_integer(other));
		else if (other == 0) /* the code as read: a mistyped one shows */
			*answer = json_with(outcome("unknown", text), "code", json_string(code));
		return other < 0 ? -1 : 0;
	}
	if (strchr(text, '@')) {
		registration_email_key(text, key, sizeof key);
		return db_scalar(w->db, &w->err,
				 "SELECT id FROM registration WHERE atelier_id = ?"
				 " AND email_key = ?",
				 "Is", atelier, key);
	}
	json_t *found = by_name(w, atelier, text);
	if (!found)
		return -1;
	size_t active = 0, i;
	json_t *row;
	json_array_foreach(found, i, row) active +=
	    strcmp(json_str(row, "status"), "cancelled") != 0;
	long long id = 0;
	if (active == 1 || (active == 0 && json_array_size(found) == 1))
		id = json_int(json_array_get(found, 0), "id");
	else if (json_array_size(found) > 1) {
		/* the active ones come first: the cancelled are no candidates then */
		size_t all = active ? active : json_array_size(found);
		size_t keep = all < CANDIDATES_MAX ? all : CANDIDATES_MAX;
		while (json_array_size(found) > keep)
			json_array_remove(found, json_array_size(found) - 1);
		*answer = json_with(
		    json_with(outcome("ambiguous", text), "candidates", json_incref(found)), "more",
		    json_integer((json_int_t)(all - keep)));
	}
	json_decref(found);
	return id;
}

json_t *checkin_scan(struct work *w, long long atelier_id, const char *text, bool force)
{
	json_t *atelier = atelier_get(w, atelier_id);
	int open = atelier ? registration_checkin_open(w, atelier, force) : -1;
	json_decref(atelier);
	if (open < 0)
		return NULL;
	json_t *answer;
	long long id = lookup(w, atelier_id, text, &answer);
	if (id < 0)
		return NULL;
	if (answer)
		return answer;
	if (id == 0)
		return outcome("unknown", text);
	json_t *reg = registration_get(w, id);
	if (!reg)
		return NULL;
	const char *status = json_str(reg, "status");
	/* forced, someone on the waiting list or who had cancelled comes in */
	const char *what = !strcmp(status, "attended")		     ? "already"
			   : !strcmp(status, "cancelled") && !force  ? "cancelled"
			   : !strcmp(status, "waitlisted") && !force ? "waitlisted"
								     : "checked_in";
	if (!strcmp(what, "checked_in")) {
		snprintf(w->target, sizeof w->target, "registration:%lld", id);
		if (registration_attend(w, id) < 0) {
			json_decref(reg);
			return NULL;
		}
		json_decref(reg);
		if (!(reg = registration_get(w, id)))
			return NULL;
	}
	return json_with(outcome(what, text), "registration", reg);
}

json_t *checkin_recent(struct work *w, long long atelier, long long n)
{
	return db_rows_json(
	    w->db,
	    db_query(w->db, &w->err,
		     "SELECT id, civility, name, organisation, attended_at"
		     " FROM registration WHERE atelier_id = ? AND status = 'attended'"
		     " AND anonymised_at IS NULL ORDER BY attended_at DESC, id DESC"
		     " LIMIT ?",
		     "II", atelier, n),
	    &w->err);
}

long long checkin_atelier_now(struct work *w)
{
	char today[11];
	paris_today(today);
	long long id = db_scalar(w->db, &w->err,
				 "SELECT id FROM atelier WHERE status IN ('scheduled', 'held')"
				 " AND date >= ? ORDER BY date, start_time, id LIMIT 1",
				 "s", today);
	if (id == 0)
		work_fail(w, ADF_E_NOT_FOUND, "no Atelier today or ahead: name one");
	return id > 0 ? id : -1;
}
