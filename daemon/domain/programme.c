/* The printed programme of an Atelier: one data path (the Atelier and its
 * sessions with their speakers), three renderings through one vtable:
 * plain text for an e-mail, Markdown, a standalone HTML page. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atelier.h"
#include "date.h"
#include "programme.h"
#include "session.h"
#include "text.h"
#include "work.h"

struct head {
	const char *title, *edition, *date_line, *place, *status_note;
};

struct renderer {
	void (*begin)(FILE *out, const struct head *h);
	/* index counts the sessions from 0 */
	void (*session)(FILE *out, size_t index, const char *hours, const char *kind,
			const char *title);
	/* label is "Animateur", "Intervenants"...; lines are speaker lines */
	void (*group)(FILE *out, const char *label, char **lines, size_t n);
	void (*end)(FILE *out, size_t sessions);
};

static const char *kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
	    {"accueil", "Accueil"},  {"discours", "Discours"}, {"table-ronde", "Table ronde"},
	    {"labo", "Laboratoire"}, {"pause", "Pause"},       {"cloture", "Clôture"}};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].kind, kind) == 0)
			return labels[i].label;
	return kind;
}

/* "M. Marc Ventre, Président du conseil d'administration d'ArianeGroup":
 * the organisation is added when the title does not already name it. */
static char *speaker_line(json_t *p)
{
	const char *title = json_str(p, "title"), *org = json_str(p, "organisation");
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);
	if (!f)
		return NULL;
	fputs(json_str(p, "name"), f);
	if (title)
		fprintf(f, ", %s", title);
	if (org && (!title || !strstr(title, org)))
		fprintf(f, ", %s", org);
	fclose(f);
	return line;
}

/* French labels agree with number and, for one person, with civility. */
static const char *group_label(const char *role, size_t n, json_t *first)
{
	bool woman =
	    n == 1 && json_str(first, "civility") && !strcmp(json_str(first, "civility"), "Mme");
	if (strcmp(role, "animateur") == 0)
		return n > 1 ? "Animateurs" : woman ? "Animatrice" : "Animateur";
	return n > 1 ? "Intervenants" : woman ? "Intervenante" : "Intervenant";
}

static void render_group(const struct renderer *rr, FILE *out, json_t *speakers, const char *role)
{
	char *lines[64];
	size_t n = 0, i;
	json_t *p, *first = NULL;
	json_array_foreach(speakers, i, p)
	{
		if (strcmp(json_str(p, "role"), role) != 0 || n == 64)
			continue;
		if (!first)
			first = p;
		lines[n] = speaker_line(p);
		if (lines[n])
			n++;
	}
	if (n > 0)
		rr->group(out, group_label(role, n, first), lines, n);
	for (i = 0; i < n; i++)
		free(lines[i]);
}

static void render(const struct renderer *rr, FILE *out, json_t *atelier, json_t *sessions)
{
	char date_line[128], place[512];
	date_line_fr(date_line, sizeof date_line, json_str(atelier, "date"),
		     json_str(atelier, "time"));
	const char *venue = json_str(atelier, "venue"), *city = json_str(atelier, "city");
	snprintf(place, sizeof place, "%s%s%s", venue ? venue : "", venue && city ? ", " : "",
		 city ? city : "");
	const char *status = json_str(atelier, "status");
	struct head h = {
	    .title =
		json_str(atelier, "title") ? json_str(atelier, "title") : "Atelier en préparation",
	    .edition = json_str(atelier, "edition_fr"),
	    .date_line = date_line,
	    .place = place,
	    .status_note = !strcmp(status, "cancelled") ? "ANNULÉ"
			   : !strcmp(status, "draft")	? "En préparation"
							: NULL,
	};
	rr->begin(out, &h);
	size_t i;
	json_t *s;
	json_array_foreach(sessions, i, s)
	{
		int sh, sm, eh, em;
		char from[16], to[16], hours[40];
		time_parse(json_str(s, "start"), &sh, &sm);
		time_parse(json_str(s, "end"), &eh, &em);
		time_fr(from, sizeof from, sh, sm);
		time_fr(to, sizeof to, eh, em);
		snprintf(hours, sizeof hours, "%s - %s", from, to);
		rr->session(out, i, hours, kind_label(json_str(s, "kind")), json_str(s, "title"));
		render_group(rr, out, json_object_get(s, "speakers"), "animateur");
		render_group(rr, out, json_object_get(s, "speakers"), "intervenant");
	}
	rr->end(out, json_array_size(sessions));
}

/* Plain text, for an e-mail body. */
static void text_begin(FILE *out, const struct head *h)
{
	fprintf(out, "LES ATELIERS DES DÉPARTEMENTS DE FRANCE\n\n%s\n", h->title);
	if (h->edition)
		fprintf(out, "%s\n", h->edition);
	if (h->status_note)
		fprintf(out, "%s\n", h->status_note);
	fprintf(out, "\n%s\n%s\n", h->date_line, h->place);
}

static void text_session(FILE *out, size_t index, const char *hours, const char *kind,
			 const char *title)
{
	(void)index;
	fprintf(out, "\n%s · %s\n%s\n", hours, kind, title);
}

static void text_group(FILE *out, const char *label, char **lines, size_t n)
{
	if (n == 1) {
		fprintf(out, "  %s : %s\n", label, lines[0]);
		return;
	}
	fprintf(out, "  %s :\n", label);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  - %s\n", lines[i]);
}

static void text_end(FILE *out, size_t sessions)
{
	(void)out;
	(void)sessions;
}

/* Markdown: what an organiser pastes into a site or a document. Only
 * what could be read as markup is escaped ("Hautes-Alpes" stays as it
 * is): emphasis, code, links, HTML and table bars anywhere; a heading, a
 * list or a quote, and "1." or "1)", where a line starts. */
static void md_write(FILE *out, const char *s)
{
	const char *digits = s;
	while (*digits >= '0' && *digits <= '9')
		digits++;
	if (*s && strchr("#+->", *s)) {
		fputc('\\', out);
	} else if (digits > s && (*digits == '.' || *digits == ')')) {
		fwrite(s, 1, (size_t)(digits - s), out);
		fputc('\\', out);
		s = digits;
	}
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|", *s) || (*s == '!' && s[1] == '['))
			fputc('\\', out);
		fputc(*s, out);
	}
}

static void md_begin(FILE *out, const struct head *h)
{
	fputs("# ", out);
	md_write(out, h->title);
	fputs("\n\n*Les Ateliers des Départements de France", out);
	if (h->edition) {
		fputs(" — ", out);
		md_write(out, h->edition);
	}
	fputs("*\n\n", out);
	if (h->status_note) {
		fputs("**", out);
		md_write(out, h->status_note);
		fputs("**\n\n", out);
	}
	fputs("**", out);
	md_write(out, h->date_line);
	fputs("**  \n", out);
	md_write(out, h->place);
	fputc('\n', out);
}

static void md_session(FILE *out, size_t index, const char *hours, const char *kind,
		       const char *title)
{
	(void)index;
	fputs("\n## ", out);
	md_write(out, hours);
	fputs(" · ", out);
	md_write(out, kind);
	fputs(" : ", out);
	md_write(out, title);
	fputs("\n\n", out);
}

static void md_group(FILE *out, const char *label, char **lines, size_t n)
{
	fprintf(out, "- %s :", label);
	if (n == 1) {
		fputc(' ', out);
		md_write(out, lines[0]);
		fputc('\n', out);
		return;
	}
	fputc('\n', out);
	for (size_t i = 0; i < n; i++) {
		fputs("  - ", out);
		md_write(out, lines[i]);
		fputc('\n', out);
	}
}

/* HTML: a standalone page that prints well; everything is escaped. The
 * public site serves the same fragment (header and sessions) in its own
 * page, with this style sheet as a file, since its CSP forbids inline
 * styles. */
const char programme_css[] =
    "body{font-family:Georgia,serif;max-width:42rem;margin:2rem auto;padding:0 1rem;"
    "color:#222;line-height:1.4}\n"
    "header{text-align:center;border-bottom:2px solid #234;margin-bottom:1.5rem}\n"
    ".series{letter-spacing:.2em;text-transform:uppercase;font-size:.8rem}\n"
    ".date{font-weight:bold;letter-spacing:.05em}\n"
    ".status{color:#a00;font-weight:bold}\n"
    "section{margin:1rem 0;break-inside:avoid}\n"
    "h2{font-size:1.1rem;margin:.2rem 0}\n.hours{color:#555;font-size:.9rem}\n"
    "@media print{body{margin:0;max-width:none;font-size:11pt}"
    "header{border-color:#000}a{color:inherit}}\n";

static void html_fragment_begin(FILE *out, const struct head *h)
{
	fputs("<header>\n<p class=\"series\">Les Ateliers des Départements de France</p>\n<h1>",
	      out);
	html_write(out, h->title);
	fputs("</h1>\n", out);
	if (h->edition) {
		fputs("<p class=\"edition\">", out);
		html_write(out, h->edition);
		fputs("</p>\n", out);
	}
	if (h->status_note) {
		fputs("<p class=\"status\">", out);
		html_write(out, h->status_note);
		fputs("</p>\n", out);
	}
	fputs("<p class=\"date\">", out);
	html_write(out, h->date_line);
	fputs("</p>\n<p class=\"place\">", out);
	html_write(out, h->place);
	fputs("</p>\n</header>\n<main>\n", out);
}

static void html_begin(FILE *out, const struct head *h)
{
	fputs("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      out);
	html_write(out, h->title);
	fputs("</title>\n<style>\n", out);
	fputs(programme_css, out);
	fputs("</style>\n</head>\n<body>\n", out);
	html_fragment_begin(out, h);
}

static void html_session(FILE *out, size_t index, const char *hours, const char *kind,
			 const char *title)
{
	if (index > 0)
		fputs("</section>\n", out);
	fputs("<section>\n<p class=\"hours\">", out);
	html_write(out, hours);
	fputs(" · ", out);
	html_write(out, kind);
	fputs("</p>\n<h2>", out);
	html_write(out, title);
	fputs("</h2>\n", out);
}

static void html_group(FILE *out, const char *label, char **lines, size_t n)
{
	fputs("<p>", out);
	html_write(out, label);
	fputs(" :</p>\n<ul>\n", out);
	for (size_t i = 0; i < n; i++) {
		fputs("<li>", out);
		html_write(out, lines[i]);
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
}

static void html_fragment_end(FILE *out, size_t sessions)
{
	if (sessions > 0)
		fputs("</section>\n", out);
	fputs("</main>\n", out);
}

static void html_end(FILE *out, size_t sessions)
{
	html_fragment_end(out, sessions);
	fputs("</body>\n</html>\n", out);
}

static const struct renderer renderers[] = {
    {text_begin, text_session, text_group, text_end},
    {md_begin, md_session, md_group, text_end},
    {html_begin, html_session, html_group, html_end},
    {html_fragment_begin, html_session, html_group, html_fragment_end},
};

static struct {
	bool on;
	long long atelier;
	char *text;
} memo;

void programme_memo_begin(void)
{
	programme_memo_end();
	memo.on = true;
}

void programme_memo_end(void)
{
	free(memo.text);
	memo.text = NULL;
	memo.atelier = 0;
	memo.on = false;
}

static char *render_once(struct work *w, long long atelier_id, enum programme_format format);

char *programme_render(struct work *w, long long atelier_id, enum programme_format format)
{
	if (!memo.on || format != PROGRAMME_TEXT)
		return render_once(w, atelier_id, format);
	if (memo.text && memo.atelier == atelier_id)
		return strdup(memo.text);
	char *text = render_once(w, atelier_id, format);
	if (text) {
		free(memo.text);
		memo.text = strdup(text);
		memo.atelier = atelier_id;
	}
	return text;
}

static char *render_once(struct work *w, long long atelier_id, enum programme_format format)
{
	json_t *atelier = atelier_get(w, atelier_id);
	json_t *sessions = atelier ? session_list_json(w, atelier_id) : NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *out = sessions ? open_memstream(&text, &len) : NULL;
	if (out) {
		render(&renderers[format], out, atelier, sessions);
		fclose(out);
	} else if (sessions) {
		work_fail(w, ADF_E_INTERNAL, "out of memory");
	}
	json_decref(sessions);
	json_decref(atelier);
	return text;
}

json_t *programme_answer(struct work *w, long long id, const char *name)
{
	name = name ? name : "text";
	enum programme_format format = !strcmp(name, "html")	   ? PROGRAMME_HTML
				       : !strcmp(name, "markdown") ? PROGRAMME_MARKDOWN
								   : PROGRAMME_TEXT;
	char *text = programme_render(w, id, format);
	if (!text)
		return NULL;
	json_t *answer = json_pack("{s:s,s:s}", "format", name, "content", text);
	free(text);
	if (!answer)
		work_fail(w, ADF_E_INTERNAL, "out of memory");
	return answer;
}
