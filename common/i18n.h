/* adfctl's words for people go through gettext: English in the source, the
 * catalogue po/fr.po for a French locale. adfd never sets a locale: its
 * logs and answers stay English, and its error formats are translated by
 * adfctl from the answer's template and values. */
#ifndef ADF_I18N_H
#define ADF_I18N_H

#include <libintl.h>

#define _(text) gettext(text)
/* marked for the catalogue, translated where it is printed */
#define N_(text) text
/* the same in a context, where one English word has two French ones
 * ("cancelled", a status, and "cancelled", a column of counts) */
#define NC_(context, text) context "\004" text

/* A word marked with NC_, translated; untranslated, the word alone. */
static inline const char *C_(const char *marked)
{
	const char *t = gettext(marked);
	const char *word = marked;
	while (*word && *word != '\004')
		word++;
	return t != marked ? t : *word ? word + 1 : marked;
}

#endif
