/* The restitution of a cycle, as the seeds' document 000 tells a tour:
 * Atelier by Atelier its Département, day, place, theme, tables-rondes and
 * speakers, attendance by category, satisfaction, the good practices
 * presented, and the cycle's totals. One data path; HTML here (print CSS),
 * PDF by adf-print from the same data. */
#ifndef ADF_RESTITUTION_H
#define ADF_RESTITUTION_H

#include <jansson.h>

struct work;

/* {cycle, ateliers: [...], totals}; NULL with w->err. */
json_t *restitution_data(struct work *w, long long cycle);
/* A standalone French HTML page of that data (malloc'd). */
char *restitution_html(json_t *data);

#endif
