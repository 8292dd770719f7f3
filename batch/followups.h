/*
 * followups.h - applying officers' follow-ups to complaints during ingest
 * (followups.c).
 */
#ifndef POSKO_FOLLOWUPS_H
#define POSKO_FOLLOWUPS_H

#include "posko_wal.h"
#include "quarantine.h"

#include <sqlite3.h>
#include <stddef.h>

typedef struct posko_followups_s posko_followups_t;

/* Prepares the statements; NULL (after a message) on failure.  What
 * cannot be applied goes to quarantine, which must outlive it. */
posko_followups_t *posko_followups_open(sqlite3 *db,
                                        posko_quarantine_t *quarantine);
void posko_followups_close(posko_followups_t *fu);

/* One follow-up record, inside the caller's transaction: applied, kept
 * for the end of the run when its complaint or an earlier step is not
 * loaded yet, or quarantined when it is malformed.  Returns -1 only on a
 * database failure. */
int posko_followups_take(posko_followups_t *fu, const char *segment,
                         long offset, const posko_wal_record_t *rec,
                         const uint8_t *raw, size_t raw_len);

/* At the end of a run, in a transaction of its own: applies the kept
 * follow-ups that now fit, oldest first, as long as any does; the rest
 * are quarantined with the reason.  Returns -1 on a database failure. */
int posko_followups_settle(posko_followups_t *fu);

/* How many were applied since open. */
long posko_followups_applied(const posko_followups_t *fu);

#endif
