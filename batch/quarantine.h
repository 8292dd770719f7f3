/*
 * quarantine.h - keeping a record that ingest cannot load in the table
 * quarantine, with why, where it lies in the WAL and its bytes
 * (quarantine.c).  Ingest, the follow-ups and the pilgrims' answers all
 * quarantine through the one statement here.
 */
#ifndef POSKO_QUARANTINE_H
#define POSKO_QUARANTINE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    sqlite3_stmt *insert;
    long count; /* records quarantined since open */
} posko_quarantine_t;

/* One record that cannot be loaded.  Text is absent when its pointer is
 * NULL; a length below 0 means up to the NUL. */
typedef struct {
    const char *segment;
    long offset;
    const char *reason;
    const uint8_t *raw; /* the record's bytes, frame and payload */
    size_t raw_len;
    const char *kode; /* the tracking code it names, when known */
    int kode_len;
    const char *petugas; /* who sent it, when known */
    int petugas_len;
} posko_quarantined_t;

/* Prepares the statement; -1 after a message on failure. */
int posko_quarantine_open(posko_quarantine_t *q, sqlite3 *db);
void posko_quarantine_close(posko_quarantine_t *q);

/* Keeps r, inside the caller's transaction, stamped with the time now.
 * A record quarantined before (the same segment and offset) stays as it
 * was.  Returns -1 after a message on a database failure. */
int posko_quarantine_put(posko_quarantine_t *q, const posko_quarantined_t *r);

#endif
