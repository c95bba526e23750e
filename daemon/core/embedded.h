/* Text files compiled into adfd by schema/embed.awk: the migrations of
 * schema/ (the database's user_version counts those applied) and the
 * default mail templates of conf/templates/. */
#ifndef ADF_EMBEDDED_H
#define ADF_EMBEDDED_H

struct embedded_file {
	const char *name;
	const char *text;
};

extern const struct embedded_file schema_files[];
extern const unsigned schema_files_len;
extern const struct embedded_file template_files[];
extern const unsigned template_files_len;

#endif
