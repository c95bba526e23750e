/* adf-print: the printed documents of an Atelier's day, laid out by pango
 * on cairo as A4 PDF: the sign-in sheet, the badges, the certificates of
 * attendance. They are for the people in the room, so they speak French
 * whatever the organiser's locale. adfd gives the data ({atelier, people});
 * adfctl runs this program on it: a long document never holds up adfd's
 * other clients, and adfctl loads no font library for its other commands. */
#include "config.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "date.h"
#include "text.h"

/* Formats into a fixed buffer; what does not fit is cut on a character
 * boundary and ends with "…", never in the middle of a character and
 * never silently. */
static void __attribute__((format(printf, 3, 4))) fitted(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(out, n, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len < n || n < 4)
		return;
	size_t end = n - 4; /* room for "…" (3 bytes) and the NUL */
	while (end > 0 && ((unsigned char)out[end] & 0xC0) == 0x80)
		end--;
	memcpy(out + end, "…", sizeof "…");
}

#define MM(x) ((x)*72.0 / 25.4)
#define A4_W MM(210)
#define A4_H MM(297)
#define MARGIN MM(15)
#define FONT "DejaVu Sans"
#define SERIES "Les Ateliers des Départements de France"

/* Avery L7165 (and its equivalents): 8 labels of 99.1 x 67.7 mm, 2 across,
 * 4 down, from 4.65 mm left and 13.1 mm top, 101.6 mm apart across. */
#define LABEL_W MM(99.1)
#define LABEL_H MM(67.7)
#define LABEL_LEFT MM(4.65)
#define LABEL_TOP MM(13.1)
#define LABEL_PITCH_X MM(101.6)
#define LABELS_ACROSS 2
#define LABELS_DOWN 4
#define QR_SIZE MM(27)

struct doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoLayout *layout;
};

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
						    : CAIRO_STATUS_WRITE_ERROR;
}

static void doc_open(struct doc *d, FILE *out, const char *title)
{
	d->surface = cairo_pdf_surface_create_for_stream(write_out, out, A4_W, A4_H);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "adf " VERSION);
	d->cr = cairo_create(d->surface);
	d->layout = pango_cairo_create_layout(d->cr);
}

/* Ends the document; -1 (having said why) if it could not be written. */
static int doc_close(struct doc *d)
{
	g_object_unref(d->layout);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surface);
	cairo_status_t st = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "adfctl: PDF: %s\n", cairo_status_to_string(st));
		return -1;
	}
	return 0;
}

/* Sets the layout to text, wrapped to width (0: one line); returns its
 * height in points. */
static double text_set(struct doc *d, const char *text, double size, bool bold, double width,
		       PangoAlignment align)
{
	PangoFontDescription *font = pango_font_description_new();
	pango_font_description_set_family(font, FONT);
	pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
	pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(d->layout, font);
	pango_font_description_free(font);
	pango_layout_set_width(d->layout, width > 0 ? (int)(width * PANGO_SCALE) : -1);
	pango_layout_set_wrap(d->layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(d->layout, align);
	pango_layout_set_height(d->layout, -1000);
	pango_layout_set_ellipsize(d->layout, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_text(d->layout, text ? text : "", -1);
	int w, h;
	pango_layout_get_size(d->layout, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void text_draw(struct doc *d, double x, double y)
{
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, d->layout);
}

/* Sets, and draws when draw; returns the height. */
static double text_put(struct doc *d, bool draw, double x, double y, const char *text, double size,
		       bool bold, double width, PangoAlignment align)
{
	double h = text_set(d, text, size, bold, width, align);
	if (draw)
		text_draw(d, x, y);
	return h;
}

static double text_at(struct doc *d, double x, double y, const char *text, double size, bool bold,
		      double width, PangoAlignment align)
{
	return text_put(d, true, x, y, text, size, bold, width, align);
}

/* A category as people read it, agreeing with the civility. */
static const char *category_fr(json_t *person)
{
	const char *c = json_str(person, "category"), *civ = json_str(person, "civility");
	bool f = civ && !strcmp(civ, "Mme"), m = civ && !strcmp(civ, "M.");
	if (!c)
		return "";
	if (!strcmp(c, "elu"))
		return f ? "élue" : m ? "élu" : "élu·e";
	if (!strcmp(c, "agent"))
		return f ? "agente" : m ? "agent" : "agent·e";
	return c;
}

/* "Mme Marie Dupont" */
static void person_name(json_t *person, char *out, size_t n)
{
	const char *civ = json_str(person, "civility");
	fitted(out, n, "%s%s%s", civ ? civ : "", civ ? " " : "",
	       json_str(person, "name") ? json_str(person, "name") : "");
}

/* "mardi 1er décembre 2026, de 9 h à 12 h 30" */
static void when_fr(json_t *atelier, char *out, size_t n)
{
	int y, m, d, h, min, eh, emin;
	char day[64] = "", start[16] = "", end[16] = "";
	const char *date = json_str(atelier, "date"), *time = json_str(atelier, "time"),
		   *end_time = json_str(atelier, "end");
	if (date && date_parse(date, &y, &m, &d))
		date_fr(day, sizeof day, y, m, d);
	if (time && time_parse(time, &h, &min))
		time_fr(start, sizeof start, h, min);
	if (end_time && time_parse(end_time, &eh, &emin))
		time_fr(end, sizeof end, eh, emin);
	if (*start && *end)
		snprintf(out, n, "%s, de %s à %s", day, start, end);
	else if (*start)
		snprintf(out, n, "%s, à %s", day, start);
	else
		snprintf(out, n, "%s", day);
}

/* "Hôtel du Département, Gap (Hautes-Alpes)" */
static void place_fr(json_t *atelier, char *out, size_t n)
{
	const char *venue = json_str(atelier, "venue"), *city = json_str(atelier, "city"),
		   *dept = json_str(atelier, "departement_name");
	fitted(out, n, "%s%s%s%s%s%s", venue ? venue : "", venue && city ? ", " : "",
	       city ? city : "", dept ? " (" : "", dept ? dept : "", dept ? ")" : "");
}

/* --- the sign-in sheet --- */

enum { COL_NUMBER, COL_CIVILITY, COL_NAME, COL_ORG, COL_CATEGORY, COL_SIGNATURE, COLS };
static const double col_width[COLS] = {MM(9), MM(16), MM(44), MM(46), MM(22), MM(43)};
static const char *const col_title[COLS] = {"N°",	    "Civilité",	 "NOM Prénom",
					    "Organisation", "Catégorie", "Signature"};
#define CELL_PAD MM(1.5)
#define ROW_MIN MM(11) /* room to sign */
#define SHEET_TEXT 9.5

static double column_x(int col)
{
	double x = MARGIN;
	for (int i = 0; i < col; i++)
		x += col_width[i];
	return x;
}

/* The cells of a row: the person's, or an empty line's (person NULL). */
static void row_cells(json_t *person, long number, char cells[COLS][400])
{
	for (int i = 0; i < COLS; i++)
		cells[i][0] = '\0';
	snprintf(cells[COL_NUMBER], 400, "%ld", number);
	if (!person)
		return;
	fitted(cells[COL_CIVILITY], 400, "%s", json_str(person, "civility") ?: "");
	fitted(cells[COL_NAME], 400, "%s",
	       json_str(person, "sheet_name") ?: json_str(person, "name") ?: "");
	fitted(cells[COL_ORG], 400, "%s", json_str(person, "organisation") ?: "");
	snprintf(cells[COL_CATEGORY], 400, "%s", category_fr(person));
}

static double row_height(struct doc *d, char cells[COLS][400], bool bold)
{
	double h = 0;
	for (int i = 0; i < COLS; i++) {
		double t = text_set(d, cells[i], SHEET_TEXT, bold, col_width[i] - 2 * CELL_PAD,
				    PANGO_ALIGN_LEFT);
		h = t > h ? t : h;
	}
	h += 2 * CELL_PAD;
	return h < ROW_MIN && !bold ? ROW_MIN : h;
}

static void row_draw(struct doc *d, double y, double h, char cells[COLS][400], bool bold)
{
	cairo_set_line_width(d->cr, 0.5);
	for (int i = 0; i < COLS; i++) {
		double x = column_x(i);
		cairo_rectangle(d->cr, x, y, col_width[i], h);
		cairo_stroke(d->cr);
		text_at(d, x + CELL_PAD, y + CELL_PAD, cells[i], SHEET_TEXT, bold,
			col_width[i] - 2 * CELL_PAD, PANGO_ALIGN_LEFT);
	}
}

/* The head of each page; returns where the table starts. */
static double sheet_head(struct doc *d, json_t *atelier, long expected, bool draw)
{
	char when[600], place[400], count[64];
	double y = MARGIN, width = A4_W - 2 * MARGIN;
	when_fr(atelier, when, sizeof when);
	place_fr(atelier, place, sizeof place);
	snprintf(count, sizeof count, "%ld %s attendue%s", expected,
		 expected > 1 ? "personnes" : "personne", expected > 1 ? "s" : "");
	const struct {
		const char *text;
		double size;
		bool bold;
	} lines[] = {{"Feuille d'émargement", 16, true},
		     {json_str(atelier, "title") ?: "Atelier des Départements", 12, true},
		     {when, 10, false},
		     {place, 10, false},
		     {count, 9, false}};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		y += text_put(d, draw, MARGIN, y, lines[i].text, lines[i].size, lines[i].bold,
			      width, PANGO_ALIGN_LEFT) +
		     MM(1);
	y += MM(3);
	char titles[COLS][400];
	for (int c = 0; c < COLS; c++)
		snprintf(titles[c], sizeof titles[c], "%s", col_title[c]);
	double h = row_height(d, titles, true);
	if (draw)
		row_draw(d, y, h, titles, true);
	return y + h;
}

static void page_foot(struct doc *d, int page, int pages)
{
	char text[64];
	snprintf(text, sizeof text, "Page %d / %d", page, pages);
	text_at(d, MARGIN, A4_H - MARGIN + MM(3), text, 8, false, A4_W - 2 * MARGIN,
		PANGO_ALIGN_RIGHT);
	text_at(d, MARGIN, A4_H - MARGIN + MM(3), SERIES, 8, false, A4_W - 2 * MARGIN,
		PANGO_ALIGN_LEFT);
}

/* Lays the rows out, page after page; draw false only counts the pages. */
static int sheet_pass(struct doc *d, json_t *atelier, json_t *people, long blank, int pages,
		      bool draw)
{
	char cells[COLS][400];
	long expected = (long)json_array_size(people), total = expected + blank;
	int page = 0;
	double y = 0;
	for (long i = 0; i < total || page == 0; i++) {
		double h = 0;
		if (i < total) {
			row_cells(json_array_get(people, (size_t)i), i + 1, cells);
			h = row_height(d, cells, false);
		}
		if (page == 0 || y + h > A4_H - MARGIN - MM(2)) {
			if (page > 0 && draw) {
				page_foot(d, page, pages);
				cairo_show_page(d->cr);
			}
			page++;
			y = sheet_head(d, atelier, expected, draw);
		}
		if (i < total) {
			if (draw)
				row_draw(d, y, h, cells, false);
			y += h;
		}
	}
	if (draw) {
		page_foot(d, page, pages);
		cairo_show_page(d->cr);
	}
	return page;
}

static int print_sheet(json_t *data, long blank, FILE *out)
{
	struct doc d;
	json_t *atelier = json_object_get(data, "atelier"),
	       *people = json_object_get(data, "people");
	doc_open(&d, out, "Feuille d'émargement");
	int pages = sheet_pass(&d, atelier, people, blank, 0, false);
	sheet_pass(&d, atelier, people, blank, pages, true);
	return doc_close(&d);
}

/* --- the badges --- */

/* The QR code of text as black squares, size points wide, quiet zone
 * included. */
static int draw_qr(cairo_t *cr, const char *text, double x, double y, double size)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return -1;
	const int quiet = 4;
	double module = size / (qr->width + 2 * quiet);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int row = 0; row < qr->width; row++)
		for (int col = 0; col < qr->width; col++)
			if (qr->data[row * qr->width + col] & 1)
				cairo_rectangle(cr, x + (quiet + col) * module,
						y + (quiet + row) * module, module, module);
	cairo_fill(cr);
	QRcode_free(qr);
	return 0;
}

static int draw_badge(struct doc *d, json_t *atelier, json_t *person, double x, double y)
{
	char name[400], head[400], day[64] = "", code[32];
	const double pad = MM(5), text_w = LABEL_W - 3 * pad - QR_SIZE;
	int yy, mm, dd;
	const char *date = json_str(atelier, "date");
	if (date && date_parse(date, &yy, &mm, &dd))
		date_fr(day, sizeof day, yy, mm, dd);
	fitted(head, sizeof head, "Atelier des Départements — %s, %s",
	       json_str(atelier, "city") ?: "", day);
	cairo_set_source_rgb(d->cr, 0.35, 0.35, 0.35);
	double top = y + pad;
	top += text_at(d, x + pad, top, head, 7.5, false, LABEL_W - 2 * pad, PANGO_ALIGN_LEFT);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	/* the name as large as fits in two lines */
	person_name(person, name, sizeof name);
	top += MM(3);
	double size = 18;
	for (;; size -= 2) {
		text_set(d, name, size, true, text_w, PANGO_ALIGN_LEFT);
		if (pango_layout_get_line_count(d->layout) <= 2 || size <= 10)
			break;
	}
	pango_layout_set_height(d->layout, -3);
	pango_layout_set_ellipsize(d->layout, PANGO_ELLIPSIZE_END);
	text_draw(d, x + pad, top);
	int lw, lh;
	pango_layout_get_size(d->layout, &lw, &lh);
	top += (double)lh / PANGO_SCALE + MM(2);
	const char *org = json_str(person, "organisation");
	if (org) {
		/* three lines at most: a badge has no room for more */
		text_set(d, org, 10, false, text_w, PANGO_ALIGN_LEFT);
		pango_layout_set_height(d->layout, -3);
		pango_layout_set_ellipsize(d->layout, PANGO_ELLIPSIZE_END);
		text_draw(d, x + pad, top);
		pango_layout_get_size(d->layout, &lw, &lh);
		top += (double)lh / PANGO_SCALE + MM(1);
	}
	char category[64];
	snprintf(category, sizeof category, "%s", category_fr(person));
	if (*category) {
		/* "Élue": a capital as a badge shows it */
		gunichar first = g_utf8_get_char(category);
		char upper[8] = "";
		int n = g_unichar_to_utf8(g_unichar_toupper(first), upper);
		upper[n] = '\0';
		char shown[80];
		snprintf(shown, sizeof shown, "%s%s", upper, g_utf8_next_char(category));
		cairo_set_source_rgb(d->cr, 0.2, 0.2, 0.45);
		text_at(d, x + pad, top, shown, 10, true, text_w, PANGO_ALIGN_LEFT);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
	}
	/* the QR code at the right, its digits under it for a person to type */
	const char *checkin = json_str(person, "checkin_code");
	double qx = x + LABEL_W - pad - QR_SIZE, qy = y + LABEL_H - pad - QR_SIZE - MM(4);
	if (!checkin || draw_qr(d->cr, checkin, qx, qy, QR_SIZE) < 0)
		return -1;
	/* "1234 5678 9012", or the code as it is if it has another length */
	if (strlen(checkin) == 12)
		snprintf(code, sizeof code, "%.4s %.4s %.4s", checkin, checkin + 4, checkin + 8);
	else
		fitted(code, sizeof code, "%s", checkin);
	text_at(d, qx, qy + QR_SIZE, code, 7, false, QR_SIZE, PANGO_ALIGN_CENTER);
	return 0;
}

static int print_badges(json_t *data, FILE *out)
{
	struct doc d;
	json_t *atelier = json_object_get(data, "atelier"),
	       *people = json_object_get(data, "people");
	doc_open(&d, out, "Badges");
	size_t i, per_page = LABELS_ACROSS * LABELS_DOWN;
	json_t *person;
	int rc = 0;
	json_array_foreach(people, i, person)
	{
		size_t slot = i % per_page;
		if (i > 0 && slot == 0)
			cairo_show_page(d.cr);
		double x = LABEL_LEFT + (double)(slot % LABELS_ACROSS) * LABEL_PITCH_X;
		double y = LABEL_TOP + (double)(slot / LABELS_ACROSS) * LABEL_H;
		if (draw_badge(&d, atelier, person, x, y) < 0)
			rc = -1;
	}
	cairo_show_page(d.cr);
	if (rc < 0)
		fprintf(stderr, "adfctl: a badge has no check-in code\n");
	return doc_close(&d) < 0 ? -1 : rc;
}

/* --- the certificates of attendance --- */

static void draw_attestation(struct doc *d, json_t *atelier, json_t *person, const char *today)
{
	char name[400], when[200], place[400], title[400], done[100];
	const double width = A4_W - 2 * MARGIN - MM(20), x = MARGIN + MM(10);
	double y = MARGIN + MM(10);
	y += text_at(d, x, y, SERIES, 11, false, width, PANGO_ALIGN_CENTER) + MM(18);
	y += text_at(d, x, y, "Attestation de présence", 24, true, width, PANGO_ALIGN_CENTER) +
	     MM(20);
	y += text_at(d, x, y, "Les Ateliers des Départements de France attestent que", 12, false,
		     width, PANGO_ALIGN_LEFT) +
	     MM(6);
	person_name(person, name, sizeof name);
	y += text_at(d, x, y, name, 16, true, width, PANGO_ALIGN_CENTER) + MM(2);
	const char *org = json_str(person, "organisation");
	if (org)
		y += text_at(d, x, y, org, 12, false, width, PANGO_ALIGN_CENTER);
	y += MM(6);
	y += text_at(d, x, y, "a participé à l'Atelier des Départements de France", 12, false,
		     width, PANGO_ALIGN_LEFT) +
	     MM(6);
	fitted(title, sizeof title, "« %s »", json_str(atelier, "title") ?: "");
	y += text_at(d, x, y, title, 14, true, width, PANGO_ALIGN_CENTER) + MM(6);
	when_fr(atelier, when, sizeof when);
	place_fr(atelier, place, sizeof place);
	char both[700];
	fitted(both, sizeof both, "le %s,\n%s.", when, place);
	y += text_at(d, x, y, both, 12, false, width, PANGO_ALIGN_LEFT) + MM(25);
	snprintf(done, sizeof done, "Fait le %s.", today);
	y += text_at(d, x, y, done, 12, false, width, PANGO_ALIGN_RIGHT) + MM(6);
	text_at(d, x, y, "Pour les organisateurs", 12, false, width, PANGO_ALIGN_RIGHT);
	cairo_show_page(d->cr);
}

static int print_attestations(json_t *data, FILE *out)
{
	struct doc d;
	json_t *atelier = json_object_get(data, "atelier"),
	       *people = json_object_get(data, "people");
	char today[64];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm); /* adfctl runs on Paris time (words_init) */
	date_fr(today, sizeof today, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	/* "Fait le 1er décembre 2026": the day without its name */
	const char *day = strchr(today, ' ');
	doc_open(&d, out, "Attestation de présence");
	size_t i;
	json_t *person;
	json_array_foreach(people, i, person)
	    draw_attestation(&d, atelier, person, day ? day + 1 : today);
	if (json_array_size(people) == 0) {
		/* an empty PDF would be no document: a page says why */
		text_at(&d, MARGIN, MARGIN, "Aucune présence n'a été enregistrée pour cet Atelier.",
			12, false, A4_W - 2 * MARGIN, PANGO_ALIGN_LEFT);
		cairo_show_page(d.cr);
	}
	return doc_close(&d);
}

/* --- the cycle's restitution --- */

/* Text flowing down the pages, a new page when the next block would not
 * fit. */
struct flow {
	struct doc *d;
	double y;
	int page;
};

static void flow_break(struct flow *f)
{
	char n[32];
	snprintf(n, sizeof n, "%d", f->page);
	text_at(f->d, MARGIN, A4_H - MARGIN + MM(3), SERIES, 8, false, A4_W - 2 * MARGIN,
		PANGO_ALIGN_LEFT);
	text_at(f->d, MARGIN, A4_H - MARGIN + MM(3), n, 8, false, A4_W - 2 * MARGIN,
		PANGO_ALIGN_RIGHT);
	cairo_show_page(f->d->cr);
	f->page++;
	f->y = MARGIN;
}

static void flow_text(struct flow *f, const char *text, double size, bool bold, double after)
{
	if (!text || !*text)
		return;
	double h = text_set(f->d, text, size, bold, A4_W - 2 * MARGIN, PANGO_ALIGN_LEFT);
	if (f->y + h > A4_H - MARGIN - MM(4) && f->y > MARGIN)
		flow_break(f);
	text_draw(f->d, MARGIN, f->y);
	f->y += h + after;
}

static const char *const category_plural_fr[][2] = {
    {"elu", "élus"},	  {"agent", "agents"},		 {"partenaire", "partenaires"},
    {"presse", "presse"}, {"entreprise", "entreprises"}, {"public", "public"}};
static const char *const survey_short_fr[] = {"themes",	       "thèmes",  "speakers",
					      "interventions", "welcome", "organisation",
					      "usefulness",    "utilité"};

static void attendance_line(json_t *att, char *out, size_t n)
{
	long long registered = json_int(att, "confirmed") + json_int(att, "attended"),
		  present = json_int(att, "attended");
	size_t used = (size_t)snprintf(out, n, "%lld inscrit%s, %lld présent%s", registered,
				       registered > 1 ? "s" : "", present, present > 1 ? "s" : "");
	/* who came, by category */
	json_t *cat = json_object_get(att, "by_category");
	bool any = false;
	for (size_t k = 0; k < 6 && used < n; k++) {
		long long c = json_int(json_object_get(cat, category_plural_fr[k][0]), "attended");
		if (c)
			used += (size_t)snprintf(out + used, n - used, "%s%s : %lld",
						 any ? ", " : " — ", category_plural_fr[k][1], c);
		any |= c > 0;
	}
}

static void survey_line(json_t *survey, char *out, size_t n)
{
	out[0] = '\0';
	long long answers = json_int(survey, "answers");
	if (!answers)
		return;
	if (json_is_true(json_object_get(survey, "withheld"))) {
		snprintf(out, n,
			 "Satisfaction : %lld réponse%s, moins de 5 : comptée%s dans les "
			 "résultats du cycle seulement, pour que personne ne soit reconnu.",
			 answers, answers > 1 ? "s" : "", answers > 1 ? "s" : "");
		return;
	}
	size_t used = (size_t)snprintf(
	    out, n, "Satisfaction, notes moyennes sur 5 (%lld réponse%s) :", answers,
	    answers > 1 ? "s" : "");
	json_t *avg = json_object_get(survey, "averages");
	for (size_t q = 0; q < 4 && used < n; q++) {
		json_t *v = json_object_get(avg, survey_short_fr[2 * q]);
		if (!json_is_number(v))
			continue;
		char mean[16];
		snprintf(mean, sizeof mean, "%.1f", json_number_value(v));
		char *dot = strchr(mean, '.');
		if (dot)
			*dot = ','; /* "4,2": a French decimal */
		used += (size_t)snprintf(out + used, n - used, " %s %s%s",
					 survey_short_fr[2 * q + 1], mean, q < 3 ? " ·" : "");
	}
}

static int print_restitution(json_t *data, FILE *out)
{
	struct doc d;
	struct flow f = {&d, MARGIN, 1};
	char line[1200];
	json_t *cycle = json_object_get(data, "cycle"), *totals = json_object_get(data, "totals");
	fitted(line, sizeof line, "Restitution : %s", json_str(cycle, "name") ?: "");
	doc_open(&d, out, line);
	flow_text(&f, SERIES, 11, false, MM(4));
	flow_text(&f, line, 22, true, MM(3));
	long long count = json_int(totals, "ateliers");
	if (count == 0)
		snprintf(line, sizeof line, "Aucun Atelier de ce cycle n'a encore été annoncé.");
	else
		snprintf(line, sizeof line, "%lld Atelier%s", count, count > 1 ? "s" : "");
	flow_text(&f, line, 12, false, MM(10));
	size_t i, j;
	json_t *a, *x;
	json_array_foreach(json_object_get(data, "ateliers"), i, a)
	{
		if (i > 0)
			flow_break(&f);
		flow_text(&f, json_str(a, "edition_fr"), 10, false, MM(1));
		/* the organisers' and participants' texts whole, as the HTML has them */
		char *text = g_strdup_printf("%s — %s", json_str(a, "departement_name") ?: "",
					     json_str(a, "title") ?: "");
		flow_text(&f, text, 16, true, MM(1));
		g_free(text);
		text = g_strdup_printf("%s, %s, %s", json_str(a, "when_fr") ?: "",
				       json_str(a, "venue") ?: "", json_str(a, "city") ?: "");
		flow_text(&f, text, 10, false, MM(4));
		g_free(text);
		attendance_line(json_object_get(a, "attendance"), line, sizeof line);
		flow_text(&f, line, 11, false, MM(1));
		survey_line(json_object_get(a, "survey"), line, sizeof line);
		flow_text(&f, line, 11, false, MM(4));
		if (json_array_size(json_object_get(a, "sessions")))
			flow_text(&f, "Le programme", 12, true, MM(2));
		json_array_foreach(json_object_get(a, "sessions"), j, x)
		{
			const char *who = json_str(x, "speakers_fr");
			char *item =
			    g_strdup_printf("• %s%s%s", json_str(x, "title") ?: "",
					    who && *who ? " — " : "", who && *who ? who : "");
			flow_text(&f, item, 10, false, MM(1.5));
			g_free(item);
		}
		if (json_array_size(json_object_get(a, "practices")))
			flow_text(&f, "Les bonnes pratiques présentées", 12, true, MM(2));
		json_array_foreach(json_object_get(a, "practices"), j, x)
		{
			flow_text(&f, json_str(x, "title"), 11, true, MM(1));
			flow_text(&f, json_str(x, "summary"), 10, false, MM(3));
		}
		json_t *comments = json_object_get(json_object_get(a, "survey"), "comments");
		json_array_foreach(comments, j, x)
		{
			if (j == 0)
				flow_text(&f, "Ce qu'en disent les participants", 12, true, MM(2));
			char *said = g_strdup_printf("« %s »", json_string_value(x) ?: "");
			flow_text(&f, said, 10, false, MM(2));
			g_free(said);
		}
	}
	flow_break(&f);
	flow_text(&f, "Le cycle en chiffres", 16, true, MM(4));
	attendance_line(totals, line, sizeof line);
	flow_text(&f, line, 11, false, MM(1));
	survey_line(json_object_get(totals, "survey"), line, sizeof line);
	flow_text(&f, line, 11, false, MM(1));
	flow_break(&f);
	return doc_close(&d);
}

/* adf-print emargement|badges|attestations|restitution [BLANK]: the data on standard
 * input, the PDF on standard output. */
int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr,
			"usage: adf-print emargement|badges|attestations [BLANK] < data.json\n");
		return 2;
	}
	json_error_t error;
	json_t *data = json_loadf(stdin, 0, &error);
	bool restitution = !strcmp(argv[1], "restitution");
	if (!json_is_object(data) ||
	    (restitution ? !json_is_array(json_object_get(data, "ateliers"))
			 : !json_is_object(json_object_get(data, "atelier")) ||
			       !json_is_array(json_object_get(data, "people")))) {
		fprintf(stderr, "adf-print: no document data on standard input%s%s\n",
			data ? "" : ": ", data ? "" : error.text);
		json_decref(data);
		return 1;
	}
	tzset();
	int rc;
	if (!strcmp(argv[1], "emargement"))
		rc = print_sheet(data, argc > 2 ? atol(argv[2]) : 0, stdout);
	else if (!strcmp(argv[1], "badges"))
		rc = print_badges(data, stdout);
	else if (restitution)
		rc = print_restitution(data, stdout);
	else
		rc = print_attestations(data, stdout);
	json_decref(data);
	/* a full disk or a closed pipe: the stream's error, whenever it came */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (rc == 0)
			fprintf(stderr, "adf-print: the PDF could not be written\n");
		rc = -1;
	}
	return rc < 0 ? 1 : 0;
}
