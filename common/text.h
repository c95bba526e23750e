/* Text facts shared by both programs: folding for comparisons, e-mail
 * syntax, HTML escaping. */
#ifndef ADF_TEXT_H
#define ADF_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The string member key of an object, or NULL (absent, null, not a string). */
const char *json_str(json_t *o, const char *key);
/* o with value set at key, both stolen; NULL (both let go) when either is
 * NULL: a lookup and its part fail together. */
json_t *json_with(json_t *o, const char *key, json_t *value);
/* Characters (code points) of UTF-8 text: a column's width. */
size_t utf8_width(const char *s);
/* The integer member key of an object, or 0. */
long long json_int(json_t *o, const char *key);

/* Lower case with French accents and ligatures folded ("Éric Gorde" ->
 * "eric gorde"), spaces collapsed; for finding twins, not for display. */
void text_fold(const char *in, char *out, size_t n);
/* A plausible address: one '@', a dotted domain, no spaces or controls,
 * at most 254 octets (64 before the '@'). */
bool email_valid(const char *s);
/* Whether every byte is ASCII. */
bool text_is_ascii(const char *s);
/* Whether s holds what no name or comment should: controls (newlines and
 * tabs allowed with newlines_ok), bidirectional overrides, invisible
 * format characters (see text.c). */
bool text_has_control(const char *s, bool newlines_ok);
/* Replaces each byte that does not belong to a valid UTF-8 sequence by '?',
 * in place: a message quoting a cut or hostile input stays valid JSON. */
void utf8_clean(char *s);
/* Fills out with 2 * bytes lowercase hex digits of the kernel's randomness
 * and a NUL (out holds 2 * bytes + 1). */
void random_hex(char *out, size_t bytes);
/* n random decimal digits and a NUL. */
void random_digits(char *out, size_t n);
/* A person's name typed in one field ("Jean-Pierre de La Fontaine",
 * "DUPONT Marie") split into first name and surname, by the rule of
 * text.c: a run of words in capitals is the surname (with the particles
 * before it); else the surname begins at a particle (de, d', du, des, van,
 * von...) or an article (Le, La, De...) after the first word; else it is
 * the last word. Capitals are kept as typed. */
void name_split(const char *full, char *first, size_t nf, char *last, size_t nl);
/* What a surname sorts by, folded: its lower-case particles dropped ("de La
 * Fontaine" sorts as "la fontaine", "d'Estaing" as "estaing"), capitalised
 * articles kept ("Le Goff" as "le goff"). */
void surname_key(const char *last, char *out, size_t n);
/* "NOM Prénom" as a French sheet prints it: "de LA FONTAINE Jean-Pierre". */
void name_sheet(const char *first, const char *last, char *out, size_t n);
/* How a mail greets a person, one rule for every mail: a protocol title
 * when the role gives one and the civility is known ("Monsieur le
 * Président,", "Madame la Présidente,"), else the civility ("Madame,"),
 * else "Bonjour Prénom NOM,". */
void greeting_fr(const char *civility, const char *role, const char *first, const char *last,
		 char *out, size_t n);
/* Writes s escaped for HTML text and attribute values. */
void html_write(FILE *out, const char *s);

#endif
