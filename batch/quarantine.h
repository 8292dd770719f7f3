/*
 * quarantine.h - keeping a record that ingest cannot load in the table
 * quarantine, with why, where it lies in the WAL and its bytes
 * (quarantine.c).  Ingest, the follow-ups and the pilgrims' answers all
 * quarantine through the one statement here.
 */
#ifndef POSKO_QUARANTINE_H
#define POSKO_QUARANTINE_H

#include "posko_record.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    sqlite3_stmt *insert;
    long count; /* records quarantined since open */
} posko_quarantine_t;

/* Where a record lies in the WAL, with its bytes (frame and payload). */
typedef struct {
    const char *segment;
    long offset;
    const uint8_t *raw;
    size_t raw_len;
} posko_place_t;

/* Prepares the statement; -1 after a message on failure. */
int posko_quarantine_open(posko_quarantine_t *q, sqlite3 *db);
void posko_quarantine_close(posko_quarantine_t *q);

/* Keeps the record at `at`, inside the caller's transaction, with the
 * reason, the tracking code it names and who sent it (each absent when
 * not known), stamped with the time now.  A record quarantined before
 * (the same segment and offset) stays as it was.  Returns -1 after a
 * message on a database failure. */
int posko_quarantine_put(posko_quarantine_t *q, const posko_place_t *at,
                         const char *reason, posko_value_t kode,
                         posko_value_t petugas);

#endif
