/* The message builder: any text in the name, subject and body. Property:
 * CRLF line ends only, no line over 998 octets, and nothing typed ever
 * starts a header of its own. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"

static void check(const char *msg)
{
	size_t line = 0;
	const char *body = strstr(msg, "\r\n\r\n");
	for (const char *p = msg; *p; p++) {
		if (*p == '\r' && p[1] != '\n')
			abort();
		if (*p == '\n' && (p == msg || p[-1] != '\r'))
			abort();
		line = *p == '\n' ? 0 : line + 1;
		if (line > 998)
			abort();
		/* in the headers, a new line starts a known header or a fold */
		if (p < body && *p == '\n' && p[1] != ' ' && p[1] != '\r' &&
		    strncmp(p + 1, "Date:", 5) && strncmp(p + 1, "From:", 5) &&
		    strncmp(p + 1, "To:", 3) && strncmp(p + 1, "Subject:", 8) &&
		    strncmp(p + 1, "Message-ID:", 11) && strncmp(p + 1, "MIME-Version:", 13) &&
		    strncmp(p + 1, "Auto-Submitted:", 15) && strncmp(p + 1, "Content-", 8) &&
		    strncmp(p + 1, "Reply-To:", 9))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* three NUL-separated pieces: name, subject, body */
	char *copy = malloc(size + 3);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = copy[size + 1] = copy[size + 2] = '\0';
	const char *name = copy;
	const char *subject = name + strlen(name) + 1;
	const char *body = subject + strlen(subject) + 1;
	if (body > copy + size)
		body = "";
	if (subject > copy + size)
		subject = "";
	struct mail_parts p = {.from = "ateliers@departements.fr",
			       .from_name = name,
			       .to = "marie@example.fr",
			       .to_name = name,
			       .subject = subject,
			       .body = body,
			       .ics = size % 2 ? body : NULL,
			       .ics_method = "REQUEST",
			       .message_id = "adf.fuzz@departements.fr",
			       .date = 0};
	size_t len;
	char *msg = mime_build(&p, &len);
	if (msg)
		check(msg);
	free(msg);
	free(copy);
	return 0;
}
