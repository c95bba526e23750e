/* The migrations in schema/, compiled in (see schema/embed.awk). The
 * database's user_version counts the files applied. */
#ifndef ADF_SCHEMA_H
#define ADF_SCHEMA_H

struct schema_file {
	const char *name;
	const char *sql;
};

extern const struct schema_file schema_files[];
extern const unsigned schema_files_len;

#endif
