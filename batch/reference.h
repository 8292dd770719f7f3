/*
 * reference.h - the reference data file (data/referensi.ini): names of
 * categories, locations, embarkations and officers' units, and the
 * service-level targets that complaints' deadlines come from
 * (reference.c).
 */
#ifndef POSKO_REFERENCE_H
#define POSKO_REFERENCE_H

#include "times.h"

#include <sqlite3.h>
#include <stddef.h>

#define POSKO_REF_MAX_KATEGORI 64

/* The targets, in hours from receipt, by service category. */
typedef struct {
    char kategori[POSKO_REF_MAX_KATEGORI][64];
    double verify_hours[POSKO_REF_MAX_KATEGORI];
    double solve_hours[POSKO_REF_MAX_KATEGORI];
    size_t count;
    double default_verify_hours;
    double default_solve_hours;
} posko_targets_t;

/* Reads FILE and stores it in the database's reference tables, inside the
 * caller's transaction; when a target changed, every complaint's due
 * times are computed again.  Fills targets for new complaints.  Prints a
 * sentence naming the file and line and returns -1 on a bad file or a
 * database failure. */
int posko_reference_load(sqlite3 *db, const char *path,
                         posko_targets_t *targets);

/* The due time hours after a stored time (2026-06-01T08:30:00.000Z, len
 * bytes) into out; 0, or -1 when the time does not parse. */
int posko_due_time(const char *received_at, size_t len, double hours,
                   char out[POSKO_TIME_SIZE]);

/* The targets for a category (the defaults for one not listed). */
void posko_targets_for(const posko_targets_t *t, const char *kategori,
                       size_t len, double *verify_hours, double *solve_hours);

#endif
