/* Each command of the table (common/cmdtable.c) bound to its handler: the
 * daemon's side of the table, so that the table itself, shared with adfctl,
 * knows nothing of the daemon. test_cmdtable checks every entry has one. */
#include "config.h"

#include <string.h>

#include "cmdtable.h"
#include "handlers.h"

static const struct {
	const char *name;
	cmd_handler fn;
} bindings[] = {
    {"status", h_status},
    {"departement.list", h_departement_list},
    {"departement.show", h_departement_show},
    {"cycle.add", h_cycle_add},
    {"cycle.list", h_cycle_list},
    {"cycle.show", h_cycle_show},
    {"cycle.update", h_cycle_update},
    {"cycle.delete", h_cycle_delete},
    {"tour.plan", h_tour_plan},
    {"atelier.add", h_atelier_add},
    {"atelier.list", h_atelier_list},
    {"atelier.show", h_atelier_show},
    {"atelier.update", h_atelier_update},
    {"atelier.schedule", h_atelier_schedule},
    {"atelier.cancel", h_atelier_cancel},
    {"atelier.reopen", h_atelier_reopen},
    {"atelier.held", h_atelier_held},
    {"atelier.delete", h_atelier_delete},
    {"atelier.programme", h_atelier_programme},
    {"atelier.ical", h_atelier_ical},
    {"atelier.check", h_atelier_check},
    {"cycle.ical", h_cycle_ical},
    {"person.add", h_person_add},
    {"person.list", h_person_list},
    {"person.show", h_person_show},
    {"person.update", h_person_update},
    {"person.schedule", h_person_schedule},
    {"session.add", h_session_add},
    {"session.list", h_session_list},
    {"session.show", h_session_show},
    {"session.update", h_session_update},
    {"session.move", h_session_move},
    {"session.delete", h_session_delete},
    {"speaker.add", h_speaker_add},
    {"speaker.remove", h_speaker_remove},
    {"practice.add", h_practice_add},
    {"practice.search", h_practice_search},
    {"practice.list", h_practice_list},
    {"practice.show", h_practice_show},
    {"register", h_register},
    {"registration.list", h_registration_list},
    {"registration.show", h_registration_show},
    {"registration.cancel", h_registration_cancel},
    {"registration.checkin", h_registration_checkin},
    {"registration.import", h_registration_import},
    {"registration.export", h_registration_export},
    {"atelier.stats", h_atelier_stats},
    {"cycle.stats", h_cycle_stats},
    {"person.forget", h_person_forget},
    {"privacy.report", h_privacy_report},
    {"mail.queue", h_mail_queue},
    {"mail.upcoming", h_mail_upcoming},
    {"mail.preview", h_mail_preview},
    {"mail.failed", h_mail_failed},
    {"mail.retry", h_mail_retry},
    {"mail.test", h_mail_test},
    {"reminder.list", h_reminder_list},
    {"reminder.set", h_reminder_set},
    {"reminder.clear", h_reminder_clear},
    {"backup", h_backup},
    {"reload", h_reload},
    {"audit.list", h_audit_list},
};

cmd_handler handler_for(const struct cmd_entry *cmd)
{
	/* resolved once per entry: the table's order is the cache's */
	static cmd_handler resolved[256];
	size_t index = (size_t)(cmd - cmd_table);
	if (index < sizeof resolved / sizeof resolved[0] && resolved[index])
		return resolved[index];
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
		if (!strcmp(bindings[i].name, cmd->name)) {
			if (index < sizeof resolved / sizeof resolved[0])
				resolved[index] = bindings[i].fn;
			return bindings[i].fn;
		}
	return NULL;
}
