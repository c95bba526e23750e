/* Every handler of a command of the table (common/cmdtable.c), bound by
 * name in handlers.c. */
#ifndef ADF_HANDLERS_H
#define ADF_HANDLERS_H

struct req;
struct cmd_entry;
struct binding;
typedef int (*cmd_handler)(struct req *);

/* What runs a command of the table, or NULL. */
const struct binding *binding_for(const struct cmd_entry *cmd);
/* Runs it: 0, or -1 with the request's error set. */
int binding_run(const struct binding *b, struct req *r);

int h_status(struct req *r);
int h_departement_list(struct req *r);
int h_departement_show(struct req *r);
int h_cycle_add(struct req *r);
int h_cycle_list(struct req *r);
int h_cycle_update(struct req *r);
int h_cycle_restitution(struct req *r);
int h_tour_plan(struct req *r);
int h_atelier_add(struct req *r);
int h_atelier_list(struct req *r);
int h_atelier_update(struct req *r);
int h_atelier_links(struct req *r);
int h_atelier_cancel(struct req *r);
int h_audit_list(struct req *r);
int h_atelier_programme(struct req *r);
int h_atelier_ical(struct req *r);
int h_cycle_ical(struct req *r);
int h_person_add(struct req *r);
int h_person_list(struct req *r);
int h_person_update(struct req *r);
int h_session_add(struct req *r);
int h_session_update(struct req *r);
int h_session_move(struct req *r);
int h_speaker_add(struct req *r);
int h_speaker_remove(struct req *r);
int h_practice_add(struct req *r);
int h_practice_update(struct req *r);
int h_practice_search(struct req *r);
int h_practice_list(struct req *r);
int h_register(struct req *r);
int h_registration_list(struct req *r);
int h_registration_show(struct req *r);
int h_registration_cancel(struct req *r);
int h_registration_checkin(struct req *r);
int h_checkin(struct req *r);
int h_watch(struct req *r);
int h_registration_import(struct req *r);
int h_registration_export(struct req *r);
int h_person_forget(struct req *r);
int h_privacy_report(struct req *r);
int h_mail_queue(struct req *r);
int h_mail_upcoming(struct req *r);
int h_mail_preview(struct req *r);
int h_mail_failed(struct req *r);
int h_mail_retry(struct req *r);
int h_mail_test(struct req *r);
int h_reminder_set(struct req *r);
int h_reminder_disable(struct req *r);
int h_reminder_enable(struct req *r);
int h_backup(struct req *r);
int h_reload(struct req *r);

#endif
