/* Backups: online through adfctl, restores offline through adfd. */
#ifndef ADF_BACKUP_H
#define ADF_BACKUP_H

#include <jansson.h>

#include "proto.h"

struct work;

/* An online copy into the state folder's backups/ under a plain name. */
json_t *backup_make(struct work *w, const char *name);

/* Replaces database with a checked copy of file (adfd must not run). */
int backup_restore(const char *file, const char *database, struct adf_error *err);

#endif
