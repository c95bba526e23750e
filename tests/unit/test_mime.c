/* Messages: CRLF only, no line over 998 octets, typed text kept in its
 * header, French subjects encoded as RFC 2047 says. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mime.h"

static char *build(const char *to_name, const char *subject, const char *body, const char *ics)
{
	struct mail_parts p = {.from = "ateliers@departements.fr",
			       .from_name = "Les Ateliers des Départements de France",
			       .to = "marie@example.fr",
			       .to_name = to_name,
			       .subject = subject,
			       .body = body,
			       .ics = ics,
			       .ics_method = "REQUEST",
			       .message_id = "adf.0123@departements.fr",
			       .date = 1506493800};
	size_t len;
	char *msg = mime_build(&p, &len);
	assert_non_null(msg);
	assert_int_equal(strlen(msg), len);
	return msg;
}

static void lines_are_crlf_and_short(const char *msg)
{
	size_t line = 0;
	for (const char *p = msg; *p; p++) {
		if (*p == '\r') {
			assert_int_equal(p[1], '\n');
			continue;
		}
		if (*p == '\n') {
			assert_true(p > msg && p[-1] == '\r');
			line = 0;
			continue;
		}
		assert_true(++line <= 998);
	}
}

static void crlf_only_and_bounded(void **state)
{
	(void)state;
	char body[5000];
	memset(body, 'x', 3000); /* a very long line */
	strcpy(body + 3000, "\nlé\r\n.point\n \n");
	char *msg = build("Marie Dupont", "Rappel", body, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
	lines_are_crlf_and_short(msg);
	assert_non_null(strstr(msg, "Content-Type: text/calendar; charset=UTF-8; method=REQUEST"));
	free(msg);
}

static void no_header_injection(void **state)
{
	(void)state;
	char *msg =
	    build("Eve\r\nBcc: victim@example.org", "Sujet\nBcc: other@example.org", "x", NULL);
	lines_are_crlf_and_short(msg);
	assert_null(strstr(msg, "\r\nBcc:"));
	assert_null(strstr(msg, "\nBcc:"));
	free(msg);
}

static void french_subject_is_encoded(void **state)
{
	(void)state;
	char *msg = build("Zoé", "Rappel : Atelier des Départements — mercredi 27 septembre, Gap",
			  "x", NULL);
	assert_non_null(strstr(msg, "Subject: =?UTF-8?B?"));
	assert_non_null(strstr(msg, "To: =?UTF-8?B?Wm/DqQ==?= <marie@example.fr>"));
	assert_non_null(strstr(msg, "Date: Wed, 27 Sep 2017 06:30:00 +0000\r\n"));
	assert_non_null(strstr(msg, "Message-ID: <adf.0123@departements.fr>\r\n"));
	/* every header before the body is 7-bit */
	const char *end = strstr(msg, "\r\n\r\n");
	for (const char *p = msg; p < end; p++)
		assert_true((unsigned char)*p < 0x80);
	free(msg);
}

/* Python's parser decodes "=?...?=" even inside a quoted display name: a
 * plain-ASCII name holding "=?" is encoded like any other. */
static void names_with_encoded_word_markers_are_encoded(void **state)
{
	(void)state;
	char *msg = build("Marie =?UTF-8?B?QQ==?= Dupont", "x", "x", NULL);
	assert_null(strstr(msg, "To: \"Marie"));
	assert_non_null(strstr(msg, "To: =?UTF-8?B?"));
	free(msg);
}

static void long_words_and_names_are_folded(void **state)
{
	(void)state;
	char name[1200], subject[1200];
	memset(name, 'e', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	memset(subject, 'x', sizeof subject - 1);
	subject[sizeof subject - 1] = '\0';
	char *msg = build(name, subject, "x", NULL);
	lines_are_crlf_and_short(msg);
	free(msg);
}

static void same_row_same_bytes(void **state)
{
	(void)state;
	char *a = build("Marie", "Rappel", "Bonjour", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
	char *b = build("Marie", "Rappel", "Bonjour", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(crlf_only_and_bounded),
	    cmocka_unit_test(no_header_injection),
	    cmocka_unit_test(names_with_encoded_word_markers_are_encoded),
	    cmocka_unit_test(french_subject_is_encoded),
	    cmocka_unit_test(long_words_and_names_are_folded),
	    cmocka_unit_test(same_row_same_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
