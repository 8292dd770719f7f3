/*
 * apply.c - what the follow-ups (followups.c) and the pilgrims' answers
 * (feedback.c) keep alike while ingest applies them (apply.h): their
 * statements, prepared together and finalized together.
 */
#include "apply.h"
#include "posko.h"

#include <stdio.h>
#include <stdlib.h>

posko_apply_t *posko_apply_open(sqlite3 *db, posko_quarantine_t *quarantine,
                                const char *const *sql, size_t n,
                                const char *context) {
    posko_apply_t *a = calloc(1, sizeof(*a) + n * sizeof(a->st[0]));

    if (a == NULL) {
        fprintf(stderr, "posko: out of memory\n");
        return NULL;
    }
    a->db = db;
    a->quarantine = quarantine;
    a->nst = n;
    for (size_t i = 0; i < n; i++) {
        if (sqlite3_prepare_v2(db, sql[i], -1, &a->st[i], NULL) != SQLITE_OK) {
            posko_db_error(db, context);
            posko_apply_close(a);
            return NULL;
        }
    }
    return a;
}

void posko_apply_close(posko_apply_t *a) {
    if (a == NULL) {
        return;
    }
    for (size_t i = 0; i < a->nst; i++) {
        sqlite3_finalize(a->st[i]);
    }
    free(a);
}
