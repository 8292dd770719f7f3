/*
 * followups.c - applies officers' follow-ups to complaints during ingest.
 *
 * A follow-up record (POSKO_REC_FOLLOWUP, written by posko_followup) names
 * a complaint's code, an action, the officer and the time.  Applying it
 * moves the complaint along its lifecycle (include/posko_followup.c),
 * records an event tied to the record's place in the WAL, and keeps the
 * complaint's current state (status, unit, when it was verified, solved,
 * closed) on its row.
 *
 * Segments are loaded one after another, and the records of one complaint
 * can sit in segments of different workers: a follow-up may be read before
 * its complaint, or before the step it follows.  Such a follow-up waits in
 * pending_events (committed with its segment's checkpoint, so it is read
 * exactly once) until the end of the run; then the waiting ones are tried
 * again, oldest first, as long as any of them fits.  What still does not
 * fit is quarantined with the reason, the code and the officer, where the
 * dashboard shows it.
 */
#include "apply.h"
#include "posko.h"
#include "posko_followup.h"
#include "posko_kode.h"
#include "posko_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A follow-up, its fields pointing into the record or into a
 * statement's row. */
typedef struct {
    posko_value_t kode, aksi, petugas, at, catatan, unit, duplikat_dari;
    posko_place_t where;
} posko_event_t;

enum { POSKO_APPLIED, POSKO_NOT_NOW };

enum {
    POSKO_FU_STATUS_OF,
    POSKO_FU_INSERT_EVENT,
    POSKO_FU_UPDATE,
    POSKO_FU_DEFER,
    POSKO_FU_PENDING_IDS,
    POSKO_FU_PENDING_GET,
    POSKO_FU_PENDING_DELETE,
    POSKO_FU_SQL
};

static const char *const posko_followups_sql[POSKO_FU_SQL] = {
    [POSKO_FU_STATUS_OF] = ("SELECT status FROM complaints WHERE kode = ?1"),
    [POSKO_FU_INSERT_EVENT] =
        ("INSERT INTO events(kode, aksi, petugas, catatan, at, unit,"
         " duplikat_dari, status_before, status_after, wal_segment,"
         " wal_offset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
    [POSKO_FU_UPDATE] =
        ("UPDATE complaints SET status = ?2, updated_at = ?3,"
         " unit = coalesce(?4, unit),"
         " duplikat_dari = coalesce(?5, duplikat_dari),"
         " verified_at = coalesce(?6, verified_at),"
         " solved_at = coalesce(?7, solved_at),"
         " closed_at = coalesce(?8, closed_at),"
         " faktual = coalesce(?9, faktual) WHERE kode = ?1"),
    [POSKO_FU_DEFER] =
        ("INSERT OR IGNORE INTO pending_events(kode, aksi, petugas, catatan,"
         " unit, duplikat_dari, at, wal_segment, wal_offset, raw)"
         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
    [POSKO_FU_PENDING_IDS] = ("SELECT id FROM pending_events ORDER BY at, id"),
    [POSKO_FU_PENDING_GET] =
        ("SELECT kode, aksi, petugas, catatan, unit, duplikat_dari, at,"
         " wal_segment, wal_offset, raw FROM pending_events WHERE id = ?1"),
    [POSKO_FU_PENDING_DELETE] = ("DELETE FROM pending_events WHERE id = ?1"),
};

posko_apply_t *posko_followups_open(sqlite3 *db,
                                    posko_quarantine_t *quarantine) {
    return posko_apply_open(db, quarantine, posko_followups_sql, POSKO_FU_SQL,
                            "cannot prepare follow-up statements");
}

static int posko_event_quarantine(posko_apply_t *fu, const posko_event_t *ev,
                                  const char *reason) {
    return posko_quarantine_put(fu->quarantine, &ev->where, reason, ev->kode,
                                ev->petugas);
}

/* The status of the complaint with this code: 1 found (*status set),
 * 0 not loaded, -1 on a database failure. */
static int posko_status_of(posko_apply_t *fu, posko_value_t kode,
                           int *status) {
    sqlite3_stmt *st = fu->st[POSKO_FU_STATUS_OF];
    int rc;

    posko_db_bind_value(st, 1, kode);
    rc = posko_db_row(st, "cannot look up a complaint");
    if (rc == 1) {
        const char *s = (const char *)sqlite3_column_text(st, 0);

        *status = posko_status_find(s, (size_t)sqlite3_column_bytes(st, 0));
        rc = *status >= 0 ? 1 : 0;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* Applies ev if the lifecycle allows it now: POSKO_APPLIED, or
 * POSKO_NOT_NOW with *why set; -1 on a database failure. */
static int posko_event_apply(posko_apply_t *fu, const posko_event_t *ev,
                             const char **why) {
    posko_value_t none = {NULL, 0};
    int status, other, next, aksi, rc;
    sqlite3_stmt *st;

    rc = posko_status_of(fu, ev->kode, &status);
    if (rc <= 0) {
        *why = "kode tidak dikenal / unknown tracking code";
        return rc < 0 ? -1 : POSKO_NOT_NOW;
    }
    aksi = posko_aksi_find((const char *)ev->aksi.data, ev->aksi.len);
    if (ev->duplikat_dari.data != NULL) {
        if (ev->duplikat_dari.len == ev->kode.len &&
            memcmp(ev->duplikat_dari.data, ev->kode.data, ev->kode.len) == 0) {
            *why = "aduan tidak dapat menjadi duplikat dirinya sendiri / a "
                   "complaint cannot duplicate itself";
            return POSKO_NOT_NOW;
        }
        rc = posko_status_of(fu, ev->duplikat_dari, &other);
        if (rc <= 0) {
            *why = "kode asal duplikat tidak dikenal / the code it "
                   "duplicates is unknown";
            return rc < 0 ? -1 : POSKO_NOT_NOW;
        }
    }
    next = posko_lifecycle_step(status, aksi, why);
    if (next < 0) {
        return POSKO_NOT_NOW;
    }

    st = fu->st[POSKO_FU_INSERT_EVENT];
    posko_db_bind_value(st, 1, ev->kode);
    posko_db_bind_value(st, 2, ev->aksi);
    posko_db_bind_value(st, 3, ev->petugas);
    posko_db_bind_value(st, 4, ev->catatan);
    posko_db_bind_value(st, 5, ev->at);
    posko_db_bind_value(st, 6, ev->unit);
    posko_db_bind_value(st, 7, ev->duplikat_dari);
    sqlite3_bind_text(st, 8, posko_status_names[status], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, posko_status_names[next], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, ev->where.segment, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, ev->where.offset);
    rc = posko_db_done_unique(st, "cannot record an event");
    if (rc == 1) {
        return POSKO_APPLIED; /* this very record was applied before */
    }
    if (rc != 0) {
        return -1;
    }

    st = fu->st[POSKO_FU_UPDATE];
    posko_db_bind_value(st, 1, ev->kode);
    sqlite3_bind_text(st, 2, posko_status_names[next], -1, SQLITE_STATIC);
    posko_db_bind_value(st, 3, ev->at);
    posko_db_bind_value(st, 4, aksi == POSKO_A_TUGASKAN ? ev->unit : none);
    posko_db_bind_value(st, 5,
                        aksi == POSKO_A_TUTUP ? ev->duplikat_dari : none);
    posko_db_bind_value(st, 6,
                        aksi == POSKO_A_FAKTUAL || aksi == POSKO_A_TIDAK_FAKTUAL
                            ? ev->at
                            : none);
    posko_db_bind_value(st, 7, aksi == POSKO_A_SELESAI ? ev->at : none);
    posko_db_bind_value(st, 8, aksi == POSKO_A_TUTUP ? ev->at : none);
    if (aksi == POSKO_A_FAKTUAL || aksi == POSKO_A_TIDAK_FAKTUAL) {
        sqlite3_bind_int(st, 9, aksi == POSKO_A_FAKTUAL);
    }
    if (posko_db_done(st, "cannot update a complaint") != 0) {
        return -1;
    }
    fu->applied++;
    return POSKO_APPLIED;
}

/* Reads a follow-up's fields (posko_record.h); NULL, or why it cannot be
 * applied ever.  The fields read stay in ev for the quarantine. */
static const char *posko_event_parse(const posko_wal_record_t *rec,
                                     posko_event_t *ev) {
    posko_value_t *const to[POSKO_FUP_COUNT] = {
        [POSKO_FUP_KODE] = &ev->kode,
        [POSKO_FUP_AT] = &ev->at,
        [POSKO_FUP_PETUGAS] = &ev->petugas,
        [POSKO_FUP_AKSI] = &ev->aksi,
        [POSKO_FUP_CATATAN] = &ev->catatan,
        [POSKO_FUP_UNIT] = &ev->unit,
        [POSKO_FUP_DUPLIKAT_DARI] = &ev->duplikat_dari,
    };
    posko_record_t fr;
    char canonical[POSKO_KODE_LEN + 1];
    const char *why;
    int rc, aksi;

    rc = posko_record_decode(rec->type, rec->payload, rec->length, &fr, &why);
    for (int i = 0; i < POSKO_FUP_COUNT; i++) {
        *to[i] = fr.slot[i];
    }
    for (int i = 0; i < POSKO_FUP_COUNT; i++) {
        if (fr.slot[i].len > 1000000) {
            return "follow-up field too long";
        }
    }
    if (rc != 0) {
        return why;
    }
    if (ev->kode.data == NULL || ev->aksi.data == NULL ||
        ev->petugas.data == NULL || ev->petugas.len == 0 ||
        ev->at.data == NULL) {
        return "follow-up without kode, aksi, petugas or at";
    }
    aksi = posko_aksi_find((const char *)ev->aksi.data, ev->aksi.len);
    if (aksi < 0) {
        return "tindakan tidak dikenal / unknown action";
    }
    if (posko_kode_normalize((const char *)ev->kode.data, ev->kode.len,
                             canonical) != POSKO_KODE_OK ||
        ev->kode.len != POSKO_KODE_LEN ||
        memcmp(canonical, ev->kode.data, POSKO_KODE_LEN) != 0) {
        return "bukan kode pelacakan yang sah / not a tracking code";
    }
    return NULL;
}

int posko_followups_take(posko_apply_t *fu, const posko_wal_record_t *rec,
                         const posko_place_t *at) {
    posko_event_t ev;
    const char *why;
    sqlite3_stmt *st;
    int rc;

    ev.where = *at;
    why = posko_event_parse(rec, &ev);
    if (why != NULL) {
        return posko_event_quarantine(fu, &ev, why);
    }

    rc = posko_event_apply(fu, &ev, &why);
    if (rc != POSKO_NOT_NOW) {
        return rc < 0 ? -1 : 0;
    }

    /* its complaint or an earlier step may be in a later segment */
    st = fu->st[POSKO_FU_DEFER];
    posko_db_bind_value(st, 1, ev.kode);
    posko_db_bind_value(st, 2, ev.aksi);
    posko_db_bind_value(st, 3, ev.petugas);
    posko_db_bind_value(st, 4, ev.catatan);
    posko_db_bind_value(st, 5, ev.unit);
    posko_db_bind_value(st, 6, ev.duplikat_dari);
    posko_db_bind_value(st, 7, ev.at);
    sqlite3_bind_text(st, 8, at->segment, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, at->offset);
    sqlite3_bind_blob(st, 10, at->raw, (int)at->raw_len, SQLITE_STATIC);
    return posko_db_done(st, "cannot keep a follow-up for later");
}

/* The pending follow-up that st stands on, pointing into its row
 * (valid until st is reset). */
static void posko_pending_event(sqlite3_stmt *st, posko_event_t *ev) {
    ev->kode = posko_db_column_value(st, 0);
    ev->aksi = posko_db_column_value(st, 1);
    ev->petugas = posko_db_column_value(st, 2);
    ev->catatan = posko_db_column_value(st, 3);
    ev->unit = posko_db_column_value(st, 4);
    ev->duplikat_dari = posko_db_column_value(st, 5);
    ev->at = posko_db_column_value(st, 6);
    ev->where.segment = (const char *)sqlite3_column_text(st, 7);
    ev->where.offset = (long)sqlite3_column_int64(st, 8);
    ev->where.raw = sqlite3_column_blob(st, 9);
    ev->where.raw_len = (size_t)sqlite3_column_bytes(st, 9);
}

static int posko_pending_delete(posko_apply_t *fu, sqlite3_int64 id) {
    sqlite3_stmt *st = fu->st[POSKO_FU_PENDING_DELETE];

    sqlite3_bind_int64(st, 1, id);
    return posko_db_done(st, "cannot remove a pending follow-up");
}

/* Tries every pending follow-up once; with final set, quarantines those
 * that do not fit.  Returns how many were applied, or -1. */
static long posko_pending_pass(posko_apply_t *fu, int final) {
    sqlite3_stmt *list = fu->st[POSKO_FU_PENDING_IDS];
    sqlite3_stmt *get = fu->st[POSKO_FU_PENDING_GET];
    sqlite3_int64 *ids = NULL;
    size_t n = 0, cap = 0;
    long applied = 0;
    int rc = 0;

    while ((rc = sqlite3_step(list)) == SQLITE_ROW) {
        if (n == cap) {
            sqlite3_int64 *more;

            cap = cap ? cap * 2 : 64;
            more = realloc(ids, cap * sizeof(*ids));
            if (more == NULL) {
                fprintf(stderr, "posko: out of memory\n");
                free(ids);
                sqlite3_reset(list);
                return -1;
            }
            ids = more;
        }
        ids[n++] = sqlite3_column_int64(list, 0);
    }
    sqlite3_reset(list);
    if (rc != SQLITE_DONE) {
        posko_db_error(fu->db, "cannot list pending follow-ups");
        free(ids);
        return -1;
    }

    for (size_t i = 0; i < n && applied >= 0; i++) {
        posko_event_t ev;
        const char *why = NULL;
        int gone = 0;
        int got;

        sqlite3_bind_int64(get, 1, ids[i]);
        got = posko_db_row(get, "cannot read a pending follow-up");
        if (got <= 0) { /* 0: gone */
            applied = got < 0 ? -1 : applied;
            sqlite3_reset(get);
            continue;
        }
        posko_pending_event(get, &ev);
        rc = posko_event_apply(fu, &ev, &why);
        if (rc == POSKO_NOT_NOW && final) {
            rc = posko_event_quarantine(fu, &ev, why);
            gone = rc == 0;
        }
        sqlite3_reset(get);
        sqlite3_clear_bindings(get);
        if (rc < 0) {
            applied = -1;
        } else if (rc == POSKO_APPLIED || gone) {
            if (posko_pending_delete(fu, ids[i]) != 0) {
                applied = -1;
            } else if (!gone) {
                applied++;
            }
        }
    }
    free(ids);
    return applied;
}

int posko_followups_settle(posko_apply_t *fu) {
    long applied;

    if (sqlite3_exec(fu->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
        SQLITE_OK) {
        posko_db_error(fu->db, "cannot begin a transaction");
        return -1;
    }
    do {
        applied = posko_pending_pass(fu, 0);
    } while (applied > 0);
    if (applied == 0) {
        applied = posko_pending_pass(fu, 1);
    }
    if (applied < 0 ||
        sqlite3_exec(fu->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        posko_db_error(fu->db, "cannot settle pending follow-ups");
        sqlite3_exec(fu->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}
