/*
 * feedback.h - applying pilgrims' answers to solved complaints during
 * ingest (feedback.c).
 */
#ifndef POSKO_BATCH_FEEDBACK_H
#define POSKO_BATCH_FEEDBACK_H

#include "posko_wal.h"
#include "quarantine.h"

#include <sqlite3.h>
#include <stddef.h>

typedef struct posko_feedback_s posko_feedback_t;

/* Prepares the statements; NULL (after a message) on failure.  What
 * cannot be applied goes to quarantine, which must outlive it. */
posko_feedback_t *posko_feedback_open(sqlite3 *db,
                                      posko_quarantine_t *quarantine);
void posko_feedback_close(posko_feedback_t *fb);

/* One POSKO_REC_FEEDBACK record, inside the caller's transaction: applied
 * to a solved complaint (an event, the rating; "tidak" reopens it), or
 * quarantined with the reason.  Returns -1 only on a database failure. */
int posko_feedback_take(posko_feedback_t *fb, const char *segment,
                        long offset, const posko_wal_record_t *rec,
                        const uint8_t *raw, size_t raw_len);

/* How many were applied since open. */
long posko_feedback_applied(const posko_feedback_t *fb);

#endif
