/* Folding names for twins, e-mail syntax, HTML escaping. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

static void folds_case_accents_and_separators(void **state)
{
	(void)state;
	char out[128];
	text_fold("Éric  GORDE", out, sizeof out);
	assert_string_equal(out, "eric gorde");
	text_fold(" Jean-Marie Bernard ", out, sizeof out);
	assert_string_equal(out, "jean marie bernard");
	text_fold("Cœur d'Île", out, sizeof out);
	assert_string_equal(out, "coeur d ile");
	text_fold("Ça BOUGE à Mâcon", out, sizeof out);
	assert_string_equal(out, "ca bouge a macon");
	/* a small buffer is cut, still terminated */
	text_fold("Saône-et-Loire", out, 6);
	assert_true(strlen(out) < 6);
}

static void email_syntax(void **state)
{
	(void)state;
	assert_true(email_valid("marie@example.fr"));
	assert_true(email_valid("l.barthe+adf@univ-toulouse.fr"));
	assert_false(email_valid("marie"));
	assert_false(email_valid("hélène@example.fr"));
	assert_false(email_valid("marie@exämple.fr"));
	assert_false(email_valid("marie@"));
	assert_false(email_valid("@example.fr"));
	assert_false(email_valid("marie@example"));
	assert_false(email_valid("marie@@example.fr"));
	assert_false(email_valid("ma rie@example.fr"));
	assert_false(email_valid("marie@exa..mple.fr"));
	assert_false(email_valid("marie.@example.fr"));
	assert_false(email_valid("marie@example.fr\nBcc: x@y.fr"));
	assert_false(email_valid("<marie@example.fr>"));
	char longlocal[80];
	memset(longlocal, 'a', 65);
	strcpy(longlocal + 65, "@example.fr");
	assert_false(email_valid(longlocal));
}

static void html_is_escaped(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	html_write(f, "<b title=\"x\">l'été & co</b>");
	fclose(f);
	assert_string_equal(text, "&lt;b title=&quot;x&quot;&gt;l&#39;été &amp; co&lt;/b&gt;");
	free(text);
}

/* The rule of name_split, on names as organisers type them: written out
 * here by hand, not derived from the code. */
static void names_split_as_a_french_sheet_reads_them(void **state)
{
	(void)state;
	static const struct {
		const char *typed, *first, *last, *key, *sheet;
	} cases[] = {
	    {"Marie Dupont", "Marie", "Dupont", "dupont", "DUPONT Marie"},
	    {"Yannick Le Goff", "Yannick", "Le Goff", "le goff", "LE GOFF Yannick"},
	    {"Jean-Pierre de La Fontaine", "Jean-Pierre", "de La Fontaine", "la fontaine",
	     "de LA FONTAINE Jean-Pierre"},
	    {"Valéry Giscard d'Estaing", "Valéry Giscard", "d'Estaing", "estaing",
	     "d'ESTAING Valéry Giscard"},
	    {"Charles de Gaulle", "Charles", "de Gaulle", "gaulle", "de GAULLE Charles"},
	    {"Anne du Pont", "Anne", "du Pont", "pont", "du PONT Anne"},
	    {"Vincent van Gogh", "Vincent", "van Gogh", "gogh", "van GOGH Vincent"},
	    {"Marie De Gaulle", "Marie", "De Gaulle", "de gaulle", "DE GAULLE Marie"},
	    {"Jean de la Fontaine", "Jean", "de la Fontaine", "fontaine", "de la FONTAINE Jean"},
	    {"Sophie Dupont-Moretti", "Sophie", "Dupont-Moretti", "dupont moretti",
	     "DUPONT-MORETTI Sophie"},
	    {"DUPONT Marie", "Marie", "DUPONT", "dupont", "DUPONT Marie"},
	    {"Jean Pierre MARTIN LEROY", "Jean Pierre", "MARTIN LEROY", "martin leroy",
	     "MARTIN LEROY Jean Pierre"},
	    {"Éléonore Éluard", "Éléonore", "Éluard", "eluard", "ÉLUARD Éléonore"},
	    {"Madonna", "", "Madonna", "madonna", "MADONNA"},
	    {"  Marie   Dupont  ", "Marie", "Dupont", "dupont", "DUPONT Marie"},
	    {"MARIE DUPONT", "MARIE", "DUPONT", "dupont", "DUPONT MARIE"},
	    {"LE GOFF", "", "LE GOFF", "le goff", "LE GOFF"},
	    {"de La Fontaine", "", "de La Fontaine", "la fontaine", "de LA FONTAINE"},
	    {"Le Goff", "", "Le Goff", "le goff", "LE GOFF"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char first[256], last[256], key[256], sheet[512];
		name_split(cases[i].typed, first, sizeof first, last, sizeof last);
		assert_string_equal(first, cases[i].first);
		assert_string_equal(last, cases[i].last);
		surname_key(last, key, sizeof key);
		assert_string_equal(key, cases[i].key);
		name_sheet(first, last, sheet, sizeof sheet);
		assert_string_equal(sheet, cases[i].sheet);
	}
}

/* One greeting rule for every mail, on people as they come: written out
 * here by hand. */
static void greetings_follow_one_rule(void **state)
{
	(void)state;
	static const struct {
		const char *civility, *role, *first, *last, *greeting;
	} cases[] = {
	    {"M.", "Président du Département des Hautes-Alpes", "Jean-Marie", "Bernard",
	     "Monsieur le Président,"},
	    {"Mme", "Présidente du Département de la Gironde", "Anne", "Martin",
	     "Madame la Présidente,"},
	    {"Mme", "Président du Département", "Anne", "Martin", "Madame la Présidente,"},
	    {"M.", "Vice-président chargé des solidarités", "Paul", "Roux",
	     "Monsieur le Vice-président,"},
	    {"Mme", "Préfète des Hautes-Alpes", "Claire", "Dumas", "Madame la Préfète,"},
	    {"M.", "Maire de Gap", "Roger", "Didier", "Monsieur le Maire,"},
	    {"Mme", "enseignante-chercheure en géographie", "L.", "Barthe", "Madame,"},
	    {"M.", NULL, "Éric", "Gorde", "Monsieur,"},
	    {NULL, "Président du Département", "Jean", "Bernard", "Bonjour Jean BERNARD,"},
	    {NULL, NULL, "Yannick", "Le Goff", "Bonjour Yannick LE GOFF,"},
	    {NULL, NULL, "Jean-Pierre", "de La Fontaine", "Bonjour Jean-Pierre de LA FONTAINE,"},
	    {NULL, NULL, "", "Madonna", "Bonjour MADONNA,"},
	    {NULL, NULL, NULL, NULL, "Bonjour,"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[300];
		greeting_fr(cases[i].civility, cases[i].role, cases[i].first, cases[i].last, out,
			    sizeof out);
		assert_string_equal(out, cases[i].greeting);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(folds_case_accents_and_separators),
	    cmocka_unit_test(email_syntax),
	    cmocka_unit_test(html_is_escaped),
	    cmocka_unit_test(names_split_as_a_french_sheet_reads_them),
	    cmocka_unit_test(greetings_follow_one_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
