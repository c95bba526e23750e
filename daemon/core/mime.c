#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(FILE *out, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
			     (i + 2 < n ? s[i + 2] : 0);
		putc_unlocked(b64[v >> 18 & 63], out);
		putc_unlocked(b64[v >> 12 & 63], out);
		putc_unlocked(i + 1 < n ? b64[v >> 6 & 63] : '=', out);
		putc_unlocked(i + 2 < n ? b64[v & 63] : '=', out);
	}
}

/* Typed text never leaves its header: line breaks and controls become
 * spaces before anything is written. */
static char *one_line(const char *s)
{
	char *copy = strdup(s ? s : "");
	for (char *p = copy; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	return copy;
}

/* The longest run without a space: a word that could not be folded. */
static size_t longest_word(const char *s)
{
	size_t longest = 0, run = 0;
	for (; *s; s++) {
		run = *s == ' ' ? 0 : run + 1;
		if (run > longest)
			longest = run;
	}
	return longest;
}

static bool plain_ascii(const char *s, const char *specials)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x7F || strchr(specials, *s))
			return false;
	return true;
}

/* Writes text as RFC 2047 encoded-words of at most 75 octets, each on its
 * own folded line, never splitting a UTF-8 character. */
static void encoded_words(FILE *out, const char *text, int *column)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text);
	bool first = true;
	while (n > 0) {
		/* 45 bytes make 60 base64 characters: with "=?UTF-8?B?" and "?="
		 * the word stays under 75 */
		size_t take = n < 45 ? n : 45;
		while (take < n && take > 0 && (s[take] & 0xC0) == 0x80)
			take--;
		if (take == 0) /* not UTF-8 at all: cut anyway, never stall (fuzzing) */
			take = n < 45 ? n : 45;
		if (!first) {
			fputs("\r\n ", out);
			*column = 1;
		}
		fputs("=?UTF-8?B?", out);
		base64(out, s, take);
		fputs("?=", out);
		*column += 12 + (int)((take + 2) / 3 * 4);
		s += take;
		n -= take;
		first = false;
	}
}

/* A header whose value is free text: ASCII as it is (folded at spaces),
 * anything else encoded. */
static void text_header(FILE *out, const char *name, const char *value)
{
	char *v = one_line(value);
	int column = fprintf(out, "%s: ", name);
	/* encoded words fold anywhere: they also carry ASCII too long to fold
	 * at spaces (found by fuzzing) */
	if (plain_ascii(v, "") && !strstr(v, "=?") && longest_word(v) <= 70) {
		for (char *word = v, *next; word && *word; word = next) {
			next = strchr(word, ' ');
			size_t n = next ? (size_t)(next - word) : strlen(word);
			if (column + (int)n > 76 && column > (int)strlen(name) + 2) {
				fputs("\r\n", out);
				column = 0;
			}
			column += fprintf(out, "%s%.*s", column ? "" : " ", (int)n, word);
			if (next) {
				next++;
				putc_unlocked(' ', out);
				column++;
			}
		}
	} else {
		encoded_words(out, v, &column);
	}
	fputs("\r\n", out);
	free(v);
}

/* "Name" <address>, the name encoded when it is not plain; "=?" too, which
 * some readers (Python's) decode as an encoded word even inside quotes. */
static void address_header(FILE *out, const char *name, const char *display, const char *address)
{
	char *d = one_line(display);
	char *a = one_line(address);
	int column = fprintf(out, "%s: ", name);
	if (d[0] && plain_ascii(d, "\"\\()<>@,;:[]") && !strstr(d, "=?") && strlen(d) <= 60) {
		fprintf(out, "\"%s\" ", d);
	} else if (d[0]) {
		encoded_words(out, d, &column);
		putc_unlocked(' ', out);
	}
	fprintf(out, "<%s>\r\n", a);
	free(d);
	free(a);
}

/* Quoted-printable keeps the body 7-bit with short CRLF lines. */
static void quoted_printable(FILE *out, const char *text)
{
	int column = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			fputs("\r\n", out);
			column = 0;
			continue;
		}
		bool trailing_space = (*p == ' ' || *p == '\t') && (p[1] == '\n' || !p[1]);
		bool literal = *p >= 33 && *p <= 126 && *p != '=' && !(column == 0 && *p == '.');
		int width = literal || (*p == ' ' && !trailing_space) ? 1 : 3;
		if (column + width > 75) {
			fputs("=\r\n", out);
			column = 0;
		}
		if (literal || (*p == ' ' && !trailing_space))
			putc_unlocked(*p, out);
		else
			fprintf(out, "=%02X", *p);
		column += width;
	}
	fputs("\r\n", out);
}

char *mime_build(const struct mail_parts *p, size_t *len)
{
	char *msg = NULL;
	FILE *out = open_memstream(&msg, len);
	if (!out)
		return NULL;
	char date[64];
	struct tm tm;
	gmtime_r(&p->date, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	fprintf(out, "Date: %s\r\n", date);
	address_header(out, "From", p->from_name, p->from);
	if (p->reply_to)
		address_header(out, "Reply-To", "", p->reply_to);
	address_header(out, "To", p->to_name, p->to);
	text_header(out, "Subject", p->subject);
	fprintf(out, "Message-ID: <%s>\r\n", p->message_id);
	/* one click in the mail client cancels the registration (RFC 8058);
	 * settings keep the link printable and short */
	if (p->unsubscribe)
		fprintf(out,
			"List-Unsubscribe: <%s>\r\n"
			"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
			p->unsubscribe);
	fputs("MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n", out);
	/* the boundary comes from the Message-ID: the same row, the same bytes */
	char boundary[128];
	snprintf(boundary, sizeof boundary, "=_adf_%.60s", p->message_id);
	for (char *c = boundary; *c; c++)
		if (*c == '@')
			*c = '_';
	if (p->ics)
		fprintf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n",
			boundary, boundary);
	fputs("Content-Type: text/plain; charset=UTF-8\r\n"
	      "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
	      out);
	quoted_printable(out, p->body);
	if (p->ics) {
		fprintf(out,
			"\r\n--%s\r\nContent-Type: text/calendar; charset=UTF-8; method=%s\r\n"
			"Content-Transfer-Encoding: base64\r\n"
			"Content-Disposition: attachment; filename=\"atelier.ics\"\r\n\r\n",
			boundary, p->ics_method ? p->ics_method : "PUBLISH");
		size_t n = strlen(p->ics);
		for (size_t i = 0; i < n; i += 57) {
			base64(out, (const unsigned char *)p->ics + i, n - i < 57 ? n - i : 57);
			fputs("\r\n", out);
		}
		fprintf(out, "\r\n--%s--\r\n", boundary);
	}
	fclose(out);
	return msg;
}
