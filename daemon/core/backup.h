/* Backups: online through adfctl, restores offline through adfd. */
#ifndef ADF_BACKUP_H
#define ADF_BACKUP_H

#include "proto.h"

/* Replaces database with a checked copy of file (adfd must not run). */
int backup_restore(const char *file, const char *database, struct adf_error *err);

#endif
