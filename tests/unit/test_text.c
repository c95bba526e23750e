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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(folds_case_accents_and_separators),
	    cmocka_unit_test(email_syntax),
	    cmocka_unit_test(html_is_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
