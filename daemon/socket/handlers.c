/* Each command of the table (common/cmdtable.c) bound to what runs it: the
 * daemon's side of the table, so that the table itself, shared with adfctl,
 * knows nothing of the daemon. test_cmdtable checks every entry has one. */
#include "config.h"

#include <string.h>

#include "atelier.h"
#include "cmdtable.h"
#include "cycle.h"
#include "handlers.h"
#include "person.h"
#include "practice.h"
#include "reminder.h"
#include "request.h"
#include "roster.h"
#include "session.h"
#include "stats.h"

/* A command is a handler of cmd_<noun>.c, or, when it is one call of the
 * domain with the id its key argument names (and force), that function. */
struct binding {
	const char *name;
	cmd_handler fn;
	json_t *(*by_id)(struct work *w, long long id);
	json_t *(*by_id_force)(struct work *w, long long id, bool force);
	const char *key;
};

static const struct binding bindings[] = {
    {"status", .fn = h_status},
    {"departement.list", .fn = h_departement_list},
    {"departement.show", .fn = h_departement_show},
    {"cycle.add", .fn = h_cycle_add},
    {"cycle.list", .fn = h_cycle_list},
    {"cycle.update", .fn = h_cycle_update},
    {"cycle.restitution", .fn = h_cycle_restitution},
    {"tour.plan", .fn = h_tour_plan},
    {"atelier.add", .fn = h_atelier_add},
    {"atelier.list", .fn = h_atelier_list},
    {"atelier.update", .fn = h_atelier_update},
    {"atelier.links", .fn = h_atelier_links},
    {"atelier.cancel", .fn = h_atelier_cancel},
    {"atelier.programme", .fn = h_atelier_programme},
    {"atelier.ical", .fn = h_atelier_ical},
    {"cycle.ical", .fn = h_cycle_ical},
    {"person.add", .fn = h_person_add},
    {"person.list", .fn = h_person_list},
    {"person.update", .fn = h_person_update},
    {"session.add", .fn = h_session_add},
    {"session.update", .fn = h_session_update},
    {"session.move", .fn = h_session_move},
    {"speaker.add", .fn = h_speaker_add},
    {"speaker.remove", .fn = h_speaker_remove},
    {"practice.add", .fn = h_practice_add},
    {"practice.update", .fn = h_practice_update},
    {"practice.search", .fn = h_practice_search},
    {"practice.list", .fn = h_practice_list},
    {"register", .fn = h_register},
    {"registration.list", .fn = h_registration_list},
    {"registration.show", .fn = h_registration_show},
    {"registration.cancel", .fn = h_registration_cancel},
    {"registration.checkin", .fn = h_registration_checkin},
    {"checkin", .fn = h_checkin},
    {"watch", .fn = h_watch},
    {"atelier.emargement", .by_id = roster_sheet, .key = "id"},
    {"atelier.badges", .by_id = roster_badges, .key = "id"},
    {"atelier.attestations", .by_id = roster_attended, .key = "id"},
    {"registration.attestation", .by_id = roster_attestation, .key = "id"},
    {"registration.import", .fn = h_registration_import},
    {"registration.export", .fn = h_registration_export},
    {"person.forget", .fn = h_person_forget},
    {"privacy.report", .fn = h_privacy_report},
    {"mail.queue", .fn = h_mail_queue},
    {"mail.upcoming", .fn = h_mail_upcoming},
    {"mail.preview", .fn = h_mail_preview},
    {"mail.failed", .fn = h_mail_failed},
    {"mail.retry", .fn = h_mail_retry},
    {"mail.test", .fn = h_mail_test},
    {"reminder.set", .fn = h_reminder_set},
    {"reminder.disable", .fn = h_reminder_disable},
    {"reminder.enable", .fn = h_reminder_enable},
    {"backup", .fn = h_backup},
    {"reload", .fn = h_reload},
    {"audit.list", .fn = h_audit_list},
    /* one call of the domain with an id */
    {"cycle.show", .by_id = cycle_show, .key = "id"},
    {"cycle.delete", .by_id = cycle_delete, .key = "id"},
    {"atelier.show", .by_id = atelier_get, .key = "id"},
    {"atelier.delete", .by_id = atelier_delete, .key = "id"},
    {"atelier.check", .by_id = session_check_json, .key = "id"},
    {"person.show", .by_id = person_show, .key = "id"},
    {"person.schedule", .by_id = person_schedule, .key = "id"},
    {"session.list", .by_id = session_list, .key = "atelier"},
    {"session.show", .by_id = session_get, .key = "id"},
    {"session.delete", .by_id = session_delete, .key = "id"},
    {"practice.show", .by_id = practice_get, .key = "id"},
    {"practice.delete", .by_id = practice_delete, .key = "id"},
    {"atelier.stats", .by_id = stats_atelier, .key = "id"},
    {"cycle.stats", .by_id = stats_cycle, .key = "id"},
    {"reminder.list", .by_id = reminder_list, .key = "atelier"},
    {"reminder.clear", .by_id = reminder_clear, .key = "atelier"},
    {"atelier.schedule", .by_id_force = atelier_schedule, .key = "id"},
    {"atelier.reopen", .by_id_force = atelier_reopen, .key = "id"},
    {"atelier.held", .by_id_force = atelier_held, .key = "id"},
};

const struct binding *binding_for(const struct cmd_entry *cmd)
{
	/* resolved once per entry: the table's order is the cache's */
	static const struct binding *resolved[256];
	size_t index = (size_t)(cmd - cmd_table);
	if (index < sizeof resolved / sizeof resolved[0] && resolved[index])
		return resolved[index];
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
		if (!strcmp(bindings[i].name, cmd->name)) {
			if (index < sizeof resolved / sizeof resolved[0])
				resolved[index] = &bindings[i];
			return &bindings[i];
		}
	return NULL;
}

int binding_run(const struct binding *b, struct req *r)
{
	if (b->fn)
		return b->fn(r);
	long long id = arg_int(r, b->key, 0);
	return req_answer(r, b->by_id ? b->by_id(&r->w, id)
				      : b->by_id_force(&r->w, id, arg_bool(r, "force")));
}
