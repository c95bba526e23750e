/* Registrations in and out of spreadsheets. */
#ifndef ADF_REGISTRATION_CSV_H
#define ADF_REGISTRATION_CSV_H

#include <jansson.h>
#include <stdbool.h>

struct work;
struct db;
struct adf_error;

/* The rows adfctl read from a CSV file, all or nothing (skip_invalid: the
 * good ones), in file order; every bad row named in w->err_details.
 * dry_run is only said in the answer: the caller rolls back. */
json_t *registration_import(struct work *w, long long atelier, json_t *rows, bool skip_invalid,
			    bool dry_run);

/* The export, a chunk at a time, so that 100 000 rows never sit in memory
 * at once: open, then next until *done, then free(). */
struct registration_export;
/* format: "tableur" (NULL: for a French spreadsheet: ';', BOM, French
 * columns, statuses and Paris times), "csv" (',', the protocol's keys and
 * values) or "json"; separator 0: the format's. */
struct registration_export *registration_export_open(struct work *w, long long atelier,
						     const char *format, char separator, bool bom);
/* *chunk: {content, rows so far}. */
int registration_export_next(struct registration_export *e, struct db *db, json_t **chunk,
			     bool *done, struct adf_error *err);

#endif
