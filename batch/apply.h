/*
 * apply.h - applying to complaints, during ingest, the records that move
 * them on: officers' follow-ups (followups.c) and pilgrims' answers to
 * solved complaints (feedback.c).
 *
 * Both keep the same things (apply.c): the database, their prepared
 * statements, the quarantine where a record that cannot be applied goes
 * with the reason, and how many were applied.  A record is taken inside
 * the caller's transaction, and a take returns -1 only on a database
 * failure.
 */
#ifndef POSKO_APPLY_H
#define POSKO_APPLY_H

#include "posko_wal.h"
#include "quarantine.h"

#include <sqlite3.h>
#include <stddef.h>

typedef struct {
    sqlite3 *db;
    posko_quarantine_t *quarantine; /* must outlive it */
    long applied;                   /* since open */
    size_t nst;
    sqlite3_stmt *st[]; /* nst of them, in the order of the kind's SQL */
} posko_apply_t;

/* Prepares the n statements of one kind: NULL, after a message with the
 * context, on failure. */
posko_apply_t *posko_apply_open(sqlite3 *db, posko_quarantine_t *quarantine,
                                const char *const *sql, size_t n,
                                const char *context);
void posko_apply_close(posko_apply_t *a); /* NULL: nothing */

/* The follow-ups: one record is applied, kept for the end of the run when
 * its complaint or an earlier step is not loaded yet, or quarantined
 * when it is malformed.  At the end of a run, in a transaction of its
 * own, settle applies the kept ones that now fit, oldest first, as long
 * as any does; the rest are quarantined with the reason (-1 on a
 * database failure). */
posko_apply_t *posko_followups_open(sqlite3 *db,
                                    posko_quarantine_t *quarantine);
int posko_followups_take(posko_apply_t *fu, const posko_wal_record_t *rec,
                         const posko_place_t *at);
int posko_followups_settle(posko_apply_t *fu);

/* The pilgrims' answers: one record is applied to a solved complaint (an
 * event, the rating; "tidak" reopens it), or quarantined with the
 * reason. */
posko_apply_t *posko_feedback_open(sqlite3 *db,
                                   posko_quarantine_t *quarantine);
int posko_feedback_take(posko_apply_t *fb, const posko_wal_record_t *rec,
                        const posko_place_t *at);

#endif
