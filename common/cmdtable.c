/* Compiled twice: into adfd with ADF_DAEMON defined (handlers wired in) and
 * into adfctl without (handlers NULL), so both read the very same table. */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "cmdtable.h"
#include "date.h"
#include "i18n.h"
#include "text.h"

#define END                                                                                        \
	{                                                                                          \
		NULL, 0, 0, 0, 0, NULL, NULL                                                       \
	}
#define ID_ARG(what)                                                                               \
	{                                                                                          \
		"id", ARG_INT, ARG_REQUIRED | ARG_POS, 1, INT_MAX, NULL, what                      \
	}
#define FORCE_ARG(what)                                                                            \
	{                                                                                          \
		"force", ARG_BOOL, 0, 0, 0, NULL, what                                             \
	}
#define TITLE_MAX 200
#define PLACE_MAX 200
#define STATUSES "draft|scheduled|held|cancelled"

static const struct cmd_arg no_args[] = {END};

static const struct cmd_arg departement_list_args[] = {
    {"region", ARG_STRING, 0, 0, 100, NULL, N_("only the Départements of this region")},
    END,
};
static const struct cmd_arg departement_show_args[] = {
    {"code", ARG_DEPT, ARG_REQUIRED | ARG_POS, 0, 0, NULL,
     N_("INSEE code: 01..95, 2A, 2B, 971..976")},
    END,
};

static const struct cmd_arg cycle_add_args[] = {
    {"name", ARG_STRING, ARG_REQUIRED | ARG_POS, 0, TITLE_MAX, NULL,
     N_("e.g. \"Cycle 2017-2018\"")},
    {"from", ARG_MONTH, ARG_REQUIRED, 0, 0, NULL, N_("first month, YYYY-MM")},
    {"to", ARG_MONTH, ARG_REQUIRED, 0, 0, NULL, N_("last month, YYYY-MM")},
    END,
};
static const struct cmd_arg cycle_show_args[] = {ID_ARG("cycle id"), END};
static const struct cmd_arg cycle_update_args[] = {
    ID_ARG("cycle id"),
    {"name", ARG_STRING, 0, 0, TITLE_MAX, NULL, N_("new name")},
    {"from", ARG_MONTH, 0, 0, 0, NULL, N_("first month, YYYY-MM")},
    {"to", ARG_MONTH, 0, 0, 0, NULL, N_("last month, YYYY-MM")},
    END,
};

static const struct cmd_arg tour_plan_args[] = {
    {"cycle", ARG_INT, ARG_REQUIRED, 1, INT_MAX, NULL, N_("cycle id")},
    {"rule", ARG_STRING, ARG_REQUIRED, 0, 100, NULL,
     N_("monthly rule: \"last wednesday\", \"2nd thursday\", \"premier lundi\"...")},
    {"time", ARG_TIME, ARG_REQUIRED, 0, 0, NULL, N_("start time, HH:MM (Europe/Paris)")},
    {"apply", ARG_BOOL, ARG_WRITE, 0, 0, NULL, N_("create the proposed dates as draft Ateliers")},
    FORCE_ARG("accept despite: creating drafts for days already past"),
    END,
};

#define ATELIER_FIELDS(req)                                                                        \
	{"cycle", ARG_INT, 0, 1, INT_MAX, NULL, N_("cycle id")},                                   \
	    {"departement", ARG_DEPT, 0, 0, 0, NULL, N_("host Département code")},                 \
	    {"date", ARG_DATE, req, 0, 0, NULL, N_("YYYY-MM-DD (Europe/Paris)")},                  \
	    {"time", ARG_TIME, req, 0, 0, NULL, N_("start, HH:MM (Europe/Paris)")},                \
	    {"end", ARG_TIME, 0, 0, 0, NULL, N_("end, HH:MM")},                                    \
	    {"title", ARG_STRING, 0, 0, TITLE_MAX, NULL, N_("title or theme")},                    \
	    {"venue",                                                                              \
	     ARG_STRING,                                                                           \
	     0,                                                                                    \
	     0,                                                                                    \
	     PLACE_MAX,                                                                            \
	     NULL,                                                                                 \
	     N_("venue, e.g. \"Hôtel du Département\"")},                                          \
	    {"city", ARG_STRING, 0, 0, 100, NULL, N_("city")},                                     \
	    {"capacity", ARG_INT, 0, 1, 100000, NULL, N_("seats, 1..100000")},                     \
	    {"waitlist-max",                                                                       \
	     ARG_INT,                                                                              \
	     0,                                                                                    \
	     0,                                                                                    \
	     100000,                                                                               \
	     NULL,                                                                                 \
	     N_("at most this many on the waiting list (default: no bound)")},                     \
	    FORCE_ARG("accept despite: a second Atelier in the month, a public holiday, editions " \
		      "renumbered")

static const struct cmd_arg atelier_add_args[] = {
    ATELIER_FIELDS(ARG_REQUIRED),
    {"draft", ARG_BOOL, 0, 0, 0, NULL, N_("create as a draft: only date and time are required")},
    END,
};
static const struct cmd_arg atelier_list_args[] = {
    {"cycle", ARG_INT, 0, 1, INT_MAX, NULL, N_("only this cycle")},
    {"status", ARG_ENUM, 0, 0, 0, STATUSES, N_("only this status")},
    {"departement", ARG_DEPT, 0, 0, 0, NULL, N_("only this Département")},
    END,
};
static const struct cmd_arg atelier_show_args[] = {ID_ARG("Atelier id"), END};
static const struct cmd_arg atelier_update_args[] = {
    ID_ARG("Atelier id"),
    ATELIER_FIELDS(0),
    END,
};
static const struct cmd_arg atelier_force_args[] = {
    ID_ARG("Atelier id"),
    FORCE_ARG(
	"accept despite: a second Atelier in the month, a public holiday, editions renumbered"),
    END,
};
static const struct cmd_arg atelier_held_args[] = {
    ID_ARG("Atelier id"),
    FORCE_ARG("accept despite: marking held an Atelier whose day has not come"),
    END,
};
static const struct cmd_arg atelier_reopen_args[] = {
    ID_ARG("Atelier id"),
    FORCE_ARG(
	"accept despite: a second Atelier in the month, a public holiday, editions renumbered"),
    END,
};

static const struct cmd_arg atelier_cancel_args[] = {
    ID_ARG("Atelier id"),
    {"reason", ARG_STRING, 0, 0, 500, NULL, N_("why it is cancelled")},
    END,
};

static const struct cmd_arg audit_list_args[] = {
    {"since", ARG_DATE, 0, 0, 0, NULL,
     N_("only entries from this day on (from midnight, Paris time), YYYY-MM-DD")},
    {"uid", ARG_INT, 0, 0, INT_MAX, NULL, N_("only this peer uid")},
    {"limit", ARG_INT, 0, 1, 10000, NULL, N_("at most this many, newest first (default 100)")},
    END,
};

#define PERSON_FIELDS(req)                                                                         \
	{"civility", ARG_ENUM, 0, 0, 0, "M.|Mme", N_("M. or Mme")},                                \
	    {"first", ARG_STRING, req, 0, 100, NULL, N_("first name")},                            \
	    {"last", ARG_STRING, req, 0, 100, NULL, N_("last name")},                              \
	    {"role",                                                                               \
	     ARG_STRING,                                                                           \
	     0,                                                                                    \
	     0,                                                                                    \
	     300,                                                                                  \
	     NULL,                                                                                 \
	     N_("what they are, e.g. \"Président du Département des Hautes-Alpes\"")},             \
	    {"org", ARG_STRING, 0, 0, 200, NULL, N_("organisation")},                              \
	    {"email", ARG_STRING, 0, 0, 254, NULL, N_("e-mail address")},                          \
	    {"phone", ARG_STRING, 0, 0, 40, NULL, N_("phone number")},                             \
	    FORCE_ARG("accept despite: a person with the same name already exists")

static const struct cmd_arg person_add_args[] = {PERSON_FIELDS(ARG_REQUIRED), END};
static const struct cmd_arg person_update_args[] = {ID_ARG("person id"), PERSON_FIELDS(0), END};
static const struct cmd_arg person_show_args[] = {ID_ARG("person id"), END};
static const struct cmd_arg person_list_args[] = {
    {"search", ARG_STRING, 0, 0, 100, NULL, N_("part of a name, case and accents ignored")},
    END,
};

#define SESSION_KINDS "accueil|discours|table-ronde|labo|pause|cloture"
static const struct cmd_arg session_add_args[] = {
    {"atelier", ARG_INT, ARG_REQUIRED | ARG_POS, 1, INT_MAX, NULL, N_("Atelier id")},
    {"kind", ARG_ENUM, ARG_REQUIRED, 0, 0, SESSION_KINDS, N_("kind of session")},
    {"title", ARG_STRING, ARG_REQUIRED, 0, TITLE_MAX, NULL, N_("title")},
    {"start", ARG_TIME, ARG_REQUIRED, 0, 0, NULL, N_("start, HH:MM")},
    {"end", ARG_TIME, ARG_REQUIRED, 0, 0, NULL, N_("end, HH:MM")},
    FORCE_ARG("accept despite: overlapping sessions, a speaker booked elsewhere"),
    END,
};
static const struct cmd_arg session_list_args[] = {
    {"atelier", ARG_INT, ARG_REQUIRED | ARG_POS, 1, INT_MAX, NULL, N_("Atelier id")},
    END,
};
static const struct cmd_arg session_update_args[] = {
    ID_ARG("session id"),
    {"kind", ARG_ENUM, 0, 0, 0, SESSION_KINDS, N_("kind of session")},
    {"title", ARG_STRING, 0, 0, TITLE_MAX, NULL, N_("title")},
    {"start", ARG_TIME, 0, 0, 0, NULL, N_("start, HH:MM")},
    {"end", ARG_TIME, 0, 0, 0, NULL, N_("end, HH:MM")},
    FORCE_ARG("accept despite: overlapping sessions, a speaker booked elsewhere"),
    END,
};
static const struct cmd_arg session_move_args[] = {
    ID_ARG("session id"),
    {"start", ARG_TIME, ARG_REQUIRED, 0, 0, NULL, N_("new start, HH:MM; the length stays")},
    FORCE_ARG("accept despite: overlapping sessions, a speaker booked elsewhere"),
    END,
};
static const struct cmd_arg session_show_args[] = {ID_ARG("session id"), END};
static const struct cmd_arg speaker_add_args[] = {
    {"session", ARG_INT, ARG_REQUIRED | ARG_POS, 1, INT_MAX, NULL, N_("session id")},
    {"person", ARG_INT, ARG_REQUIRED | ARG_POS, 1, INT_MAX, NULL, N_("person id")},
    {"role", ARG_ENUM, ARG_REQUIRED, 0, 0, "animateur|intervenant", N_("animateur or intervenant")},
    {"position", ARG_INT, 0, 1, 100, NULL, N_("order among the session's speakers")},
    FORCE_ARG("accept despite: the person speaks elsewhere at the same time, or in another city "
	      "that day"),
    END,
};
static const struct cmd_arg speaker_remove_args[] = {
    {"session", ARG_INT, ARG_REQUIRED | ARG_POS, 1, INT_MAX, NULL, N_("session id")},
    {"person", ARG_INT, ARG_REQUIRED | ARG_POS, 1, INT_MAX, NULL, N_("person id")},
    END,
};

static const struct cmd_arg programme_args[] = {
    ID_ARG("Atelier id"),
    {"format", ARG_ENUM, 0, 0, 0, "text|markdown|html", N_("text (default), markdown or html")},
    END,
};
static const struct cmd_arg ical_args[] = {
    ID_ARG("id"),
    {"sessions", ARG_BOOL, 0, 0, 0, NULL, N_("one event per session too")},
    END,
};

static const struct cmd_arg practice_add_args[] = {
    {"departement", ARG_DEPT, ARG_REQUIRED, 0, 0, NULL, N_("Département code")},
    {"title", ARG_STRING, ARG_REQUIRED, 0, TITLE_MAX, NULL, N_("title")},
    {"theme", ARG_STRING, ARG_REQUIRED, 0, 100, NULL, N_("theme, e.g. logement")},
    {"summary", ARG_TEXT, ARG_REQUIRED, 0, 4000, NULL, N_("what it is")},
    {"atelier", ARG_INT, 0, 1, INT_MAX, NULL, N_("the Atelier where it was presented")},
    {"session", ARG_INT, 0, 1, INT_MAX, NULL, N_("the session where it was presented")},
    END,
};
static const struct cmd_arg practice_search_args[] = {
    {"query", ARG_STRING, ARG_REQUIRED | ARG_POS, 0, 200, NULL, N_("words to find")},
    {"limit", ARG_INT, 0, 1, 1000, NULL, N_("at most this many (default 20)")},
    END,
};
static const struct cmd_arg practice_list_args[] = {
    {"departement", ARG_DEPT, 0, 0, 0, NULL, N_("only this Département")},
    END,
};
static const struct cmd_arg practice_show_args[] = {ID_ARG("practice id"), END};
static const struct cmd_arg practice_update_args[] = {
    ID_ARG("practice id"),
    {"departement", ARG_DEPT, 0, 0, 0, NULL, N_("Département code")},
    {"title", ARG_STRING, 0, 0, TITLE_MAX, NULL, N_("title")},
    {"theme", ARG_STRING, 0, 0, 100, NULL, N_("theme, e.g. logement")},
    {"summary", ARG_TEXT, 0, 0, 4000, NULL, N_("what it is")},
    {"atelier", ARG_INT, 0, 1, INT_MAX, NULL, N_("the Atelier where it was presented")},
    {"session", ARG_INT, 0, 1, INT_MAX, NULL, N_("the session where it was presented")},
    END,
};

#define CATEGORIES "elu|agent|partenaire|presse|entreprise|public"
#define REG_STATUSES "confirmed|waitlisted|cancelled|attended"
#define ATELIER_POS                                                                                \
	{                                                                                          \
		"atelier", ARG_INT, ARG_REQUIRED | ARG_POS, 1, INT_MAX, NULL, N_("Atelier id")     \
	}
static const struct cmd_arg register_args[] = {
    ATELIER_POS,
    {"civility", ARG_ENUM, 0, 0, 0, "M.|Mme", N_("M. or Mme, for the sign-in sheet and the badge")},
    {"first", ARG_STRING, 0, 0, 100, NULL, N_("first name (with --last)")},
    {"last", ARG_STRING, 0, 0, 100, NULL,
     N_("surname, as written: \"Le Goff\", \"de La Fontaine\"")},
    {"name", ARG_STRING, 0, 0, 200, NULL,
     N_("instead of first and last: the whole name, split where the surname begins (a word in "
	"capitals, a particle, else the last word)")},
    {"email", ARG_STRING, ARG_REQUIRED, 0, 254, NULL, N_("e-mail address")},
    {"org", ARG_STRING, 0, 0, 200, NULL, N_("organisation")},
    {"category", ARG_ENUM, ARG_REQUIRED, 0, 0, CATEGORIES, N_("who they are")},
    {"checkin", ARG_BOOL, 0, 0, 0, NULL, N_("a walk-in: register and check in at once")},
    FORCE_ARG("accept despite: a walk-in beyond capacity, a check-in before the day"),
    END,
};
static const struct cmd_arg registration_list_args[] = {
    ATELIER_POS,
    {"status", ARG_ENUM, 0, 0, 0, REG_STATUSES, N_("only this status")},
    {"category", ARG_ENUM, 0, 0, 0, CATEGORIES, N_("only this category")},
    {"limit", ARG_INT, 0, 1, 100000, NULL, N_("at most this many (default 1000)")},
    {"after", ARG_INT, 0, 0, INT_MAX, NULL, N_("only ids after this one (next page)")},
    END,
};
static const struct cmd_arg checkin_args[] = {
    ATELIER_POS,
    {"code", ARG_STRING, ARG_POS, 0, 254, NULL, N_("a badge's code, an e-mail or words of a name")},
    {"scan", ARG_BOOL, ARG_LOCAL, 0, 0, NULL,
     N_("read codes line by line from standard input, answering each (a scanner types like a "
	"keyboard); a line \"+ name; e-mail; organisation; category\" checks a walk-in in")},
    FORCE_ARG("accept despite: someone on the waiting list beyond capacity, a check-in before "
	      "the day"),
    END,
};
static const struct cmd_arg emargement_args[] = {
    ID_ARG("Atelier id"),
    {"blank", ARG_INT, ARG_LOCAL, 0, 500, NULL,
     N_("this many empty lines at the end, for walk-ins")},
    END,
};
static const struct cmd_arg watch_args[] = {
    {"id", ARG_INT, ARG_POS, 1, INT_MAX, NULL,
     N_("Atelier id (default: today's, else the next one)")},
    END,
};
static const struct cmd_arg atelier_links_args[] = {
    ID_ARG("Atelier id"),
    {"replay-url", ARG_STRING, 0, 0, 500, NULL,
     N_("where to watch it again, http(s)://... (\"-\" removes it)")},
    {"slides-url", ARG_STRING, 0, 0, 500, NULL,
     N_("where its speakers' slides are, http(s)://... (\"-\" removes it)")},
    END,
};
static const struct cmd_arg restitution_args[] = {
    ID_ARG("cycle id"),
    {"format", ARG_ENUM, 0, 0, 0, "html|pdf", N_("html (default, prints well) or pdf")},
    END,
};
static const struct cmd_arg registration_show_args[] = {ID_ARG("registration id"), END};
static const struct cmd_arg registration_cancel_args[] = {
    ID_ARG("registration id"),
    {"reason", ARG_STRING, 0, 0, 500, NULL, N_("why")},
    END,
};
static const struct cmd_arg registration_checkin_args[] = {
    ATELIER_POS,
    {"email", ARG_STRING, ARG_REQUIRED | ARG_POS, 0, 254, NULL, N_("the registered e-mail")},
    FORCE_ARG("accept despite: checking in someone from the waiting list beyond capacity, or "
	      "before the day"),
    END,
};
static const struct cmd_arg registration_import_args[] = {
    ATELIER_POS,
    {"rows", ARG_ROWS, ARG_REQUIRED | ARG_POS, 0, 100000, NULL,
     N_("CSV file (UTF-8, ',' or ';', a header naming nom/name, email, organisation, categorie)")},
    {"dry-run", ARG_BOOL, 0, 0, 0, NULL, N_("say what would happen, change nothing")},
    {"skip-invalid", ARG_BOOL, 0, 0, 0, NULL, N_("import the good rows, list the bad ones")},
    END,
};
static const struct cmd_arg registration_export_args[] = {
    ATELIER_POS,
    {"format", ARG_ENUM, 0, 0, 0, "tableur|csv|json",
     N_("tableur (default: ';', BOM, French columns and Paris times), csv (',', the keys "
	"of --json) or json")},
    {"separator", ARG_ENUM, 0, 0, 0, ",|;", N_("CSV separator (default: the format's)")},
    {"bom", ARG_BOOL, 0, 0, 0, NULL, N_("start with a UTF-8 BOM (tableur always does)")},
    END,
};
static const struct cmd_arg forget_args[] = {
    {"email", ARG_STRING, ARG_REQUIRED | ARG_POS, 0, 254, NULL, N_("the address to forget")},
    END,
};

#define MAIL_STATES "pending|sending|sent|failed|skipped|cancelled"
static const struct cmd_arg mail_queue_args[] = {
    {"state", ARG_ENUM, 0, 0, 0, MAIL_STATES, N_("only this state")},
    {"atelier", ARG_INT, 0, 1, INT_MAX, NULL, N_("only mail about this Atelier")},
    {"limit", ARG_INT, 0, 1, 100000, NULL, N_("at most this many, newest first (default 100)")},
    END,
};
static const struct cmd_arg mail_failed_args[] = {
    {"atelier", ARG_INT, 0, 1, INT_MAX, NULL, N_("only mail about this Atelier")},
    {"limit", ARG_INT, 0, 1, 100000, NULL, N_("at most this many (default 100)")},
    END,
};
static const struct cmd_arg mail_retry_args[] = {
    {"id", ARG_INT, ARG_POS, 1, INT_MAX, NULL, N_("the failed message")},
    {"to", ARG_STRING, 0, 0, 254, NULL, N_("send it to this corrected address")},
    {"all-failed", ARG_BOOL, 0, 0, 0, NULL, N_("every failed message")},
    END,
};
static const struct cmd_arg mail_test_args[] = {
    {"address", ARG_STRING, ARG_REQUIRED | ARG_POS, 0, 254, NULL, N_("where to send it")},
    END,
};
static const struct cmd_arg mail_upcoming_args[] = {
    {"days", ARG_INT, 0, 1, 366, NULL, N_("how far ahead (default 7)")},
    END,
};
static const struct cmd_arg mail_preview_args[] = {
    {"template", ARG_STRING, ARG_REQUIRED | ARG_POS, 0, 60, NULL,
     N_("template name, e.g. rappel-j7")},
    {"atelier", ARG_INT, ARG_REQUIRED, 1, INT_MAX, NULL, N_("the Atelier it is about")},
    END,
};
static const struct cmd_arg reminder_set_args[] = {
    ATELIER_POS,
    {"name", ARG_STRING, ARG_REQUIRED, 0, 30, NULL, N_("rule name, e.g. j3")},
    {"offset", ARG_STRING, 0, 0, 20, NULL, N_("before the start: 7d, 12h, 90m, 30s")},
    {"after", ARG_STRING, 0, 0, 20, NULL,
     N_("instead, after the end: 1d, 7d (at most 30d), e.g. thanks and the replay")},
    {"audience", ARG_STRING, 0, 0, 60, NULL,
     N_("who gets it, words joined by commas: registrants, speakers; after the end also "
	"attendees (checked in) and noshows (registered, not come) (default: registrants,"
	"speakers before, attendees,speakers after)")},
    {"template", ARG_STRING, ARG_REQUIRED, 0, 60, NULL, N_("template name")},
    END,
};
static const struct cmd_arg reminder_atelier_args[] = {ATELIER_POS, END};
static const struct cmd_arg reminder_switch_args[] = {
    ATELIER_POS,
    {"name", ARG_STRING, ARG_REQUIRED | ARG_POS, 0, 30, NULL,
     N_("the rule's name, as reminder list shows it, e.g. j7")},
    END,
};

static const struct cmd_arg backup_args[] = {
    {"file", ARG_STRING, ARG_REQUIRED | ARG_POS, 0, 1000, NULL,
     N_("a plain file name: the copy goes into the state folder's backups/")},
    END,
};

#define ATELIER_COLUMNS "id,edition,when_fr,departement_name,city,title,status"

const struct cmd_entry cmd_table[] = {
    {"status", ROLE_READ, N_("show the daemon's state and the caller's role"), no_args, NULL},
    {"departement.list", ROLE_READ, N_("list the 101 Départements"), departement_list_args,
     "code,name,region"},
    {"departement.show", ROLE_READ, N_("show one Département and its Ateliers"),
     departement_show_args, NULL},
    {"cycle.add", ROLE_ADMIN, N_("create a cycle (a tour of monthly Ateliers)"), cycle_add_args,
     NULL},
    {"cycle.list", ROLE_READ, N_("list the cycles"), no_args,
     "id,name,first_month,last_month,ateliers"},
    {"cycle.show", ROLE_READ, N_("show a cycle and its Ateliers"), cycle_show_args, NULL},
    {"cycle.update", ROLE_ADMIN, N_("rename a cycle or change its months"), cycle_update_args,
     NULL},
    {"cycle.restitution", ROLE_READ,
     N_("the cycle's restitution: each Atelier's programme, attendance, satisfaction and good "
	"practices, and the totals, as HTML or PDF"),
     restitution_args, "=restitution"},
    {"cycle.delete", ROLE_ADMIN, N_("delete a cycle that holds no Atelier"), cycle_show_args, NULL},
    {"tour.plan", ROLE_READ,
     N_("propose one date a month for the months of a cycle that have no Atelier yet"),
     tour_plan_args, "month,date,when_fr,note,atelier"},
    {"atelier.add", ROLE_ADMIN, N_("create an Atelier (scheduled, or a draft with --draft)"),
     atelier_add_args, NULL},
    {"atelier.list", ROLE_READ, N_("list Ateliers in date order"), atelier_list_args,
     ATELIER_COLUMNS},
    {"atelier.show", ROLE_READ, N_("show one Atelier"), atelier_show_args, NULL},
    {"atelier.update", ROLE_ADMIN, N_("change an Atelier's fields"), atelier_update_args, NULL},
    {"atelier.links", ROLE_ADMIN,
     N_("the replay and slides of an Atelier, for the mails after it and its page"),
     atelier_links_args, NULL},
    {"atelier.schedule", ROLE_ADMIN, N_("turn a complete draft into a scheduled Atelier"),
     atelier_force_args, NULL},
    {"atelier.cancel", ROLE_ADMIN, N_("cancel an Atelier"), atelier_cancel_args, NULL},
    {"atelier.reopen", ROLE_ADMIN,
     N_("schedule again a cancelled Atelier (rules re-checked, people told), or one marked held "
	"whose day has not passed"),
     atelier_reopen_args, NULL},
    {"atelier.held", ROLE_ADMIN, N_("mark a scheduled Atelier as held, on its day or after"),
     atelier_held_args, NULL},
    {"atelier.delete", ROLE_ADMIN, N_("delete a draft Atelier"), atelier_show_args, NULL},
    {"atelier.programme", ROLE_READ, N_("the programme, in French, as text, Markdown or HTML"),
     programme_args, "=content"},
    {"atelier.ical", ROLE_READ, N_("the Atelier as an iCalendar file"), ical_args, "=content"},
    {"atelier.check", ROLE_READ, N_("list conflicts and gaps in an Atelier's programme"),
     atelier_show_args, "severity,message"},
    {"cycle.ical", ROLE_READ, N_("the whole tour of a cycle as an iCalendar file"), ical_args,
     "=content"},
    {"person.add", ROLE_ADMIN, N_("add a person to the directory shared by the tour"),
     person_add_args, NULL},
    {"person.list", ROLE_READ, N_("list people, by name"), person_list_args,
     "id,name,role,organisation"},
    {"person.show", ROLE_READ, N_("show a person and where they speak"), person_show_args, NULL},
    {"person.update", ROLE_ADMIN, N_("change a person's details"), person_update_args, NULL},
    {"person.schedule", ROLE_READ, N_("every session a person speaks at, across the tour"),
     person_show_args, "when_fr,city,start,end,kind,title,role"},
    {"session.add", ROLE_ADMIN, N_("add a session to an Atelier's programme"), session_add_args,
     NULL},
    {"session.list", ROLE_READ, N_("the sessions of an Atelier, in time order"), session_list_args,
     "id,start,end,kind,title,speakers_fr"},
    {"session.show", ROLE_READ, N_("show a session and its speakers"), session_show_args, NULL},
    {"session.update", ROLE_ADMIN, N_("change a session"), session_update_args, NULL},
    {"session.move", ROLE_ADMIN, N_("move a session to a new start, keeping its length"),
     session_move_args, NULL},
    {"session.delete", ROLE_ADMIN, N_("delete a session and its speakers"), session_show_args,
     NULL},
    {"speaker.add", ROLE_ADMIN, N_("book a person in a session as animateur or intervenant"),
     speaker_add_args, NULL},
    {"speaker.remove", ROLE_ADMIN, N_("take a person off a session"), speaker_remove_args, NULL},
    {"practice.add", ROLE_ADMIN, N_("record a good practice of a Département"), practice_add_args,
     NULL},
    {"practice.search", ROLE_READ, N_("full-text search of the good practices, ranked"),
     practice_search_args, "id,departement,title,theme,snippet"},
    {"practice.list", ROLE_READ, N_("list the good practices"), practice_list_args,
     "id,departement,departement_name,title,theme"},
    {"practice.show", ROLE_READ, N_("show a good practice"), practice_show_args, NULL},
    {"practice.update", ROLE_ADMIN,
     N_("correct a good practice: its text, its Département, the Atelier or session where it was "
	"presented"),
     practice_update_args, NULL},
    {"practice.delete", ROLE_ADMIN, N_("delete a good practice"), practice_show_args, NULL},
    {"register", ROLE_ADMIN, N_("register someone to an Atelier (confirmed or waitlisted)"),
     register_args, NULL},
    {"registration.list", ROLE_READ, N_("the registrations of an Atelier"), registration_list_args,
     "id,name,email,organisation,category,status,position"},
    {"registration.show", ROLE_READ, N_("show a registration"), registration_show_args, NULL},
    {"registration.cancel", ROLE_ADMIN, N_("cancel a registration; the waiting list moves up"),
     registration_cancel_args, NULL},
    {"registration.checkin", ROLE_ADMIN, N_("mark a participant as present"),
     registration_checkin_args, NULL},
    {"checkin", ROLE_ADMIN,
     N_("the door: check someone in by a badge's code, an e-mail or a name; --scan for a "
	"scanner"),
     checkin_args, "=checkin"},
    {"watch", ROLE_READ,
     N_("a live view of an Atelier's day: registrations, check-ins, seats, waiting list, mail; "
	"it changes as they do (Ctrl-C to leave)"),
     watch_args, "=watch"},
    {"atelier.emargement", ROLE_READ,
     N_("the sign-in sheet (feuille d'émargement) as a PDF: those expected, by surname"),
     emargement_args, "=pdf"},
    {"atelier.badges", ROLE_ADMIN,
     N_("badges as a PDF on A4 label sheets (Avery L7165), each with its check-in QR code"),
     atelier_show_args, "=pdf"},
    {"atelier.attestations", ROLE_READ,
     N_("the certificates of attendance of everyone who attended, as one PDF"), atelier_show_args,
     "=pdf"},
    {"registration.attestation", ROLE_READ,
     N_("one certificate of attendance as a PDF (only for who attended)"), registration_show_args,
     "=pdf"},
    {"registration.import", ROLE_ADMIN, N_("import registrations from a CSV file, all or nothing"),
     registration_import_args, "line,status,message"},
    {"registration.export", ROLE_READ, N_("export the registrations as CSV or JSON"),
     registration_export_args, "=content"},
    {"atelier.stats", ROLE_READ, N_("registrations by status and category, fill and attendance"),
     atelier_show_args, NULL},
    {"cycle.stats", ROLE_READ, N_("the same across a cycle's Ateliers: the bilan"), cycle_show_args,
     NULL},
    {"person.forget", ROLE_ADMIN, N_("erase an e-mail address and its owner's data everywhere"),
     forget_args, NULL},
    {"privacy.report", ROLE_READ, N_("what personal data is held, and how old"), no_args, NULL},
    {"mail.queue", ROLE_READ, N_("the outbox, newest first"), mail_queue_args,
     "id,kind,recipient,state,attempts,next_attempt,subject"},
    {"mail.upcoming", ROLE_READ, N_("the reminders of the coming days, rendered, to whom"),
     mail_upcoming_args, "due_at,atelier,rule,to,if_attendance,subject"},
    {"mail.preview", ROLE_READ, N_("render a template for an Atelier"), mail_preview_args,
     "=content"},
    {"mail.failed", ROLE_READ, N_("messages that failed for good, with the server's answer"),
     mail_failed_args, "id,recipient,attempts,last_error"},
    {"mail.retry", ROLE_ADMIN, N_("send failed messages again"), mail_retry_args, NULL},
    {"mail.test", ROLE_ADMIN, N_("send a test message"), mail_test_args, NULL},
    {"reminder.list", ROLE_READ,
     N_("the mail rules of an Atelier (reminders before it, mails after it), and what each one "
	"did"),
     reminder_atelier_args, "name,offset,after,audience,template,source,disabled,outcome"},
    {"reminder.set", ROLE_ADMIN,
     N_("give an Atelier its own mail rule: a reminder before it, or a mail after it"),
     reminder_set_args, "name,offset,after,audience,template,source,disabled"},
    {"reminder.disable", ROLE_ADMIN,
     N_("switch one mail rule off for this Atelier only (a configured one or its own)"),
     reminder_switch_args, "name,offset,after,audience,template,source,disabled,outcome"},
    {"reminder.enable", ROLE_ADMIN, N_("switch a mail rule on again for this Atelier"),
     reminder_switch_args, "name,offset,after,audience,template,source,disabled,outcome"},
    {"reminder.clear", ROLE_ADMIN,
     N_("an Atelier goes back to the configured rules: its own removed, none switched off"),
     reminder_atelier_args, "name,offset,after,audience,template,source,disabled"},
    {"backup", ROLE_ADMIN, N_("write a consistent copy of the database while adfd serves"),
     backup_args, NULL},
    {"reload", ROLE_ADMIN, N_("read the config file and templates again (as SIGHUP)"), no_args,
     NULL},
    {"audit.list", ROLE_READ, N_("list the changes made through the socket, newest first"),
     audit_list_args, "id,at,uid,command,target,outcome,count"},
};
const size_t cmd_table_len = sizeof cmd_table / sizeof cmd_table[0];

const struct cmd_entry *cmd_find(const char *name)
{
	for (size_t i = 0; i < cmd_table_len; i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
	return NULL;
}

const struct cmd_arg *cmd_find_arg(const struct cmd_entry *cmd, const char *name)
{
	for (const struct cmd_arg *a = cmd->args; a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

const char *cmd_role_name(enum cmd_role role)
{
	switch (role) {
	case ROLE_READ:
		return N_("read");
	case ROLE_ADMIN:
		return N_("admin");
	default:
		return N_("none");
	}
}

const char *arg_type_name(enum arg_type type)
{
	static const char *const names[] = {N_("text"),	 N_("text"),	   N_("integer"),
					    N_("flag"),	 N_("YYYY-MM-DD"), N_("YYYY-MM"),
					    N_("HH:MM"), N_("code"),	   N_("choice")};
	return names[type];
}

enum cmd_role cmd_required_role(const struct cmd_entry *cmd, const json_t *args)
{
	enum cmd_role role = cmd->role;
	for (const struct cmd_arg *a = cmd->args; a->name; a++)
		if ((a->flags & ARG_WRITE) && json_is_true(json_object_get(args, a->name)))
			role = ROLE_ADMIN;
	return role;
}

static bool is_blank(const char *s)
{
	return s[strspn(s, " \t\n")] == '\0';
}

static bool dept_code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 2 && (strcmp(s, "2A") == 0 || strcmp(s, "2B") == 0))
		return true;
	if (n == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9')
		return strcmp(s, "00") != 0 && strcmp(s, "20") != 0 && strcmp(s, "96") < 0;
	return n == 3 && strncmp(s, "97", 2) == 0 && s[2] >= '1' && s[2] <= '6';
}

static bool enum_has(const char *choices, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = choices; p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, s, n) == 0)
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

/* An array of flat objects: string or null cells, an integer "line". */
static int rows_validate(const struct cmd_arg *arg, const json_t *value, struct adf_error *err)
{
	size_t i;
	json_t *row;
	if (!json_is_array(value))
		return adf_fail(err, ADF_E_BAD_REQUEST, "%s: expected an array of rows", arg->name);
	if (json_array_size(value) > (size_t)arg->max)
		return adf_fail(err, ADF_E_BAD_REQUEST, "%s: more than %ld rows", arg->name,
				arg->max);
	json_array_foreach(value, i, row)
	{
		const char *key;
		json_t *cell;
		if (!json_is_object(row))
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s: row %zu is not an object",
					arg->name, i + 1);
		json_object_foreach(row, key, cell)
		{
			bool ok = strcmp(key, "line") == 0
				      ? json_is_integer(cell)
				      : json_is_string(cell) || json_is_null(cell);
			if (!ok)
				return adf_fail(err, ADF_E_BAD_REQUEST,
						"%s: row %zu: bad cell \"%.40s\"", arg->name, i + 1,
						key);
		}
	}
	return 0;
}

int arg_validate(const struct cmd_arg *arg, const json_t *value, struct adf_error *err)
{
	const char *name = arg->name;
	int a, b, c;

	if (arg->type == ARG_INT) {
		if (!json_is_integer(value))
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s: expected an integer", name);
		json_int_t v = json_integer_value(value);
		if (v < arg->min || v > arg->max)
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s: %lld is out of range %ld..%ld",
					name, (long long)v, arg->min, arg->max);
		return 0;
	}
	if (arg->type == ARG_BOOL) {
		if (!json_is_boolean(value))
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s: expected true or false", name);
		return 0;
	}
	if (arg->type == ARG_ROWS)
		return rows_validate(arg, value, err);
	if (!json_is_string(value))
		return adf_fail(err, ADF_E_BAD_REQUEST, "%s: expected a string", name);
	const char *s = json_string_value(value);
	if (strlen(s) != json_string_length(value))
		return adf_fail(err, ADF_E_BAD_REQUEST, "%s: contains a NUL character", name);

	switch (arg->type) {
	case ARG_STRING:
	case ARG_TEXT:
		if (is_blank(s))
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s: must not be empty", name);
		if (text_has_control(s, arg->type == ARG_TEXT))
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s: contains a control character",
					name);
		if (arg->max && utf8_width(s) > (size_t)arg->max)
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s: longer than %ld characters",
					name, arg->max);
		return 0;
	case ARG_DATE:
		if (!date_parse(s, &a, &b, &c))
			return adf_fail(
			    err, ADF_E_BAD_REQUEST,
			    "%s: \"%.40s\" is not a valid date (YYYY-MM-DD, years %d to %d)", name,
			    s, DATE_YEAR_MIN, DATE_YEAR_MAX);
		return 0;
	case ARG_MONTH:
		if (!month_parse(s, &a, &b))
			return adf_fail(
			    err, ADF_E_BAD_REQUEST,
			    "%s: \"%.40s\" is not a valid month (YYYY-MM, years %d to %d)", name, s,
			    DATE_YEAR_MIN, DATE_YEAR_MAX);
		return 0;
	case ARG_TIME:
		if (!time_parse(s, &a, &b))
			return adf_fail(err, ADF_E_BAD_REQUEST,
					"%s: \"%.40s\" is not a valid time (HH:MM, 00:00 to 23:59)",
					name, s);
		return 0;
	case ARG_DEPT:
		if (!dept_code_valid(s))
			return adf_fail(err, ADF_E_BAD_REQUEST,
					"%s: \"%.40s\" is not a Département code (01..95, 2A, 2B, "
					"971..976)",
					name, s);
		return 0;
	case ARG_ENUM:
		if (!enum_has(arg->choices, s))
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s: \"%.40s\" is not one of %s",
					name, s, arg->choices);
		return 0;
	default:
		return adf_fail(err, ADF_E_INTERNAL, "%s: unknown argument type", name);
	}
}

int cmd_validate(const struct cmd_entry *cmd, const json_t *args, struct adf_error *err)
{
	const char *key;
	json_t *value;

	if (args && !json_is_object(args))
		return adf_fail(err, ADF_E_BAD_REQUEST, "args: expected an object");
	json_object_foreach((json_t *)args, key, value)
	{
		const struct cmd_arg *arg = cmd_find_arg(cmd, key);
		if (!arg)
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s: unknown argument \"%.60s\"",
					cmd->name, key);
		if (json_is_null(value) && !(arg->flags & ARG_REQUIRED))
			continue; /* an explicit null is the same as leaving it out */
		if (arg_validate(arg, value, err) < 0)
			return -1;
	}
	for (const struct cmd_arg *a = cmd->args; a->name; a++)
		if ((a->flags & ARG_REQUIRED) && !json_object_get(args, a->name))
			return adf_fail(err, ADF_E_BAD_REQUEST, "%s: missing argument \"%s\"",
					cmd->name, a->name);
	return 0;
}
