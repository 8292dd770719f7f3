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
#include "followups.h"
#include "posko.h"
#include "posko_followup.h"
#include "posko_kode.h"
#include "posko_record.h"
#include "quarantine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A text field, pointing into the record or into a statement's row. */
typedef struct {
    const char *p;
    int len; /* -1: absent */
} posko_text_t;

typedef struct {
    posko_text_t kode, aksi, petugas, at, catatan, unit, duplikat_dari;
    const char *segment;
    long offset;
    const uint8_t *raw;
    size_t raw_len;
} posko_event_t;

struct posko_followups_s {
    sqlite3 *db;
    sqlite3_stmt *status_of;
    sqlite3_stmt *insert_event;
    sqlite3_stmt *update_complaint;
    sqlite3_stmt *defer;
    sqlite3_stmt *pending_ids;
    sqlite3_stmt *pending_get;
    sqlite3_stmt *pending_delete;
    posko_quarantine_t *quarantine;
    long applied;
};

enum { POSKO_APPLIED, POSKO_NOT_NOW };

static const char *const posko_followups_sql[] = {
    ("SELECT status FROM complaints WHERE kode = ?1"),
    ("INSERT INTO events(kode, aksi, petugas, catatan, at, unit,"
     " duplikat_dari, status_before, status_after, wal_segment, wal_offset)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
    ("UPDATE complaints SET status = ?2, updated_at = ?3,"
     " unit = coalesce(?4, unit), duplikat_dari = coalesce(?5, duplikat_dari),"
     " verified_at = coalesce(?6, verified_at),"
     " solved_at = coalesce(?7, solved_at),"
     " closed_at = coalesce(?8, closed_at),"
     " faktual = coalesce(?9, faktual) WHERE kode = ?1"),
    ("INSERT OR IGNORE INTO pending_events(kode, aksi, petugas, catatan,"
     " unit, duplikat_dari, at, wal_segment, wal_offset, raw)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
    ("SELECT id FROM pending_events ORDER BY at, id"),
    ("SELECT kode, aksi, petugas, catatan, unit, duplikat_dari, at,"
     " wal_segment, wal_offset, raw FROM pending_events WHERE id = ?1"),
    ("DELETE FROM pending_events WHERE id = ?1"),
};

posko_followups_t *posko_followups_open(sqlite3 *db,
                                        posko_quarantine_t *quarantine) {
    posko_followups_t *fu = calloc(1, sizeof(*fu));

    if (fu == NULL) {
        fprintf(stderr, "posko: out of memory\n");
        return NULL;
    }
    fu->db = db;
    fu->quarantine = quarantine;
    sqlite3_stmt **const st[] = {
        &fu->status_of,   &fu->insert_event, &fu->update_complaint,
        &fu->defer,       &fu->pending_ids,  &fu->pending_get,
        &fu->pending_delete};
    if (posko_db_prepare_all(db, posko_followups_sql, st,
                             sizeof(st) / sizeof(st[0]),
                             "cannot prepare follow-up statements") != 0) {
        posko_followups_close(fu);
        return NULL;
    }
    return fu;
}

void posko_followups_close(posko_followups_t *fu) {
    if (fu == NULL) {
        return;
    }
    sqlite3_finalize(fu->status_of);
    sqlite3_finalize(fu->insert_event);
    sqlite3_finalize(fu->update_complaint);
    sqlite3_finalize(fu->defer);
    sqlite3_finalize(fu->pending_ids);
    sqlite3_finalize(fu->pending_get);
    sqlite3_finalize(fu->pending_delete);
    free(fu);
}

long posko_followups_applied(const posko_followups_t *fu) {
    return fu->applied;
}

static void posko_bind_text(sqlite3_stmt *st, int col, posko_text_t t) {
    if (t.len < 0) {
        sqlite3_bind_null(st, col);
    } else {
        sqlite3_bind_text(st, col, t.p, t.len, SQLITE_STATIC);
    }
}

static posko_text_t posko_column_text(sqlite3_stmt *st, int col) {
    posko_text_t t = {NULL, -1};

    if (sqlite3_column_type(st, col) != SQLITE_NULL) {
        t.p = (const char *)sqlite3_column_text(st, col);
        t.len = sqlite3_column_bytes(st, col);
    }
    return t;
}

static int posko_event_quarantine(posko_followups_t *fu,
                                  const posko_event_t *ev,
                                  const char *reason) {
    posko_quarantined_t q = {
        .segment = ev->segment,
        .offset = ev->offset,
        .reason = reason,
        .raw = ev->raw,
        .raw_len = ev->raw_len,
        .kode = ev->kode.len >= 0 ? ev->kode.p : NULL,
        .kode_len = ev->kode.len,
        .petugas = ev->petugas.len >= 0 ? ev->petugas.p : NULL,
        .petugas_len = ev->petugas.len,
    };

    return posko_quarantine_put(fu->quarantine, &q);
}

/* The status of the complaint with this code: 1 found (*status set),
 * 0 not loaded, -1 on a database failure. */
static int posko_status_of(posko_followups_t *fu, posko_text_t kode,
                           int *status) {
    sqlite3_stmt *st = fu->status_of;
    int rc;

    posko_bind_text(st, 1, kode);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);

        *status = posko_status_find(s, (size_t)sqlite3_column_bytes(st, 0));
        rc = *status >= 0 ? 1 : 0;
    } else if (rc == SQLITE_DONE) {
        rc = 0;
    } else {
        posko_db_error(fu->db, "cannot look up a complaint");
        rc = -1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* Applies ev if the lifecycle allows it now: POSKO_APPLIED, or
 * POSKO_NOT_NOW with *why set; -1 on a database failure. */
static int posko_event_apply(posko_followups_t *fu, const posko_event_t *ev,
                             const char **why) {
    posko_text_t none = {NULL, -1};
    int status, other, next, aksi, rc;
    sqlite3_stmt *st;

    rc = posko_status_of(fu, ev->kode, &status);
    if (rc <= 0) {
        *why = "kode tidak dikenal / unknown tracking code";
        return rc < 0 ? -1 : POSKO_NOT_NOW;
    }
    aksi = posko_aksi_find(ev->aksi.p, (size_t)ev->aksi.len);
    if (ev->duplikat_dari.len >= 0) {
        if (ev->duplikat_dari.len == ev->kode.len &&
            memcmp(ev->duplikat_dari.p, ev->kode.p, (size_t)ev->kode.len) ==
                0) {
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

    st = fu->insert_event;
    posko_bind_text(st, 1, ev->kode);
    posko_bind_text(st, 2, ev->aksi);
    posko_bind_text(st, 3, ev->petugas);
    posko_bind_text(st, 4, ev->catatan);
    posko_bind_text(st, 5, ev->at);
    posko_bind_text(st, 6, ev->unit);
    posko_bind_text(st, 7, ev->duplikat_dari);
    sqlite3_bind_text(st, 8, posko_status_names[status], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, posko_status_names[next], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, ev->segment, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, ev->offset);
    rc = posko_db_done_unique(st, "cannot record an event");
    if (rc == 1) {
        return POSKO_APPLIED; /* this very record was applied before */
    }
    if (rc != 0) {
        return -1;
    }

    st = fu->update_complaint;
    posko_bind_text(st, 1, ev->kode);
    sqlite3_bind_text(st, 2, posko_status_names[next], -1, SQLITE_STATIC);
    posko_bind_text(st, 3, ev->at);
    posko_bind_text(st, 4, aksi == POSKO_A_TUGASKAN ? ev->unit : none);
    posko_bind_text(st, 5, aksi == POSKO_A_TUTUP ? ev->duplikat_dari : none);
    posko_bind_text(st, 6,
                    aksi == POSKO_A_FAKTUAL || aksi == POSKO_A_TIDAK_FAKTUAL
                        ? ev->at
                        : none);
    posko_bind_text(st, 7, aksi == POSKO_A_SELESAI ? ev->at : none);
    posko_bind_text(st, 8, aksi == POSKO_A_TUTUP ? ev->at : none);
    if (aksi == POSKO_A_FAKTUAL || aksi == POSKO_A_TIDAK_FAKTUAL) {
        sqlite3_bind_int(st, 9, aksi == POSKO_A_FAKTUAL);
    }
    if (posko_db_done(st, "cannot update a complaint") != 0) {
        return -1;
    }
    fu->applied++;
    return POSKO_APPLIED;
}

static posko_text_t posko_text_of(posko_value_t v) {
    posko_text_t t = {(const char *)v.data, v.data != NULL ? (int)v.len : -1};

    return t;
}

/* Reads a follow-up's fields (posko_record.h); NULL, or why it cannot be
 * applied ever.  The fields read stay in ev for the quarantine. */
static const char *posko_event_parse(const posko_wal_record_t *rec,
                                     posko_event_t *ev) {
    posko_text_t *const to[POSKO_FUP_COUNT] = {
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
        *to[i] = posko_text_of(fr.slot[i]);
    }
    for (int i = 0; i < POSKO_FUP_COUNT; i++) {
        if (fr.slot[i].len > 1000000) {
            return "follow-up field too long";
        }
    }
    if (rc != 0) {
        return why;
    }
    if (ev->kode.len < 0 || ev->aksi.len < 0 || ev->petugas.len <= 0 ||
        ev->at.len < 0) {
        return "follow-up without kode, aksi, petugas or at";
    }
    aksi = posko_aksi_find(ev->aksi.p, (size_t)ev->aksi.len);
    if (aksi < 0) {
        return "tindakan tidak dikenal / unknown action";
    }
    if (posko_kode_normalize(ev->kode.p, (size_t)ev->kode.len, canonical) !=
            POSKO_KODE_OK ||
        (size_t)ev->kode.len != POSKO_KODE_LEN ||
        memcmp(canonical, ev->kode.p, POSKO_KODE_LEN) != 0) {
        return "bukan kode pelacakan yang sah / not a tracking code";
    }
    return NULL;
}

int posko_followups_take(posko_followups_t *fu, const char *segment,
                         long offset, const posko_wal_record_t *rec,
                         const uint8_t *raw, size_t raw_len) {
    posko_event_t ev;
    const char *why;
    sqlite3_stmt *st;
    int rc;

    ev.segment = segment;
    ev.offset = offset;
    ev.raw = raw;
    ev.raw_len = raw_len;
    why = posko_event_parse(rec, &ev);
    if (why != NULL) {
        return posko_event_quarantine(fu, &ev, why);
    }

    rc = posko_event_apply(fu, &ev, &why);
    if (rc != POSKO_NOT_NOW) {
        return rc < 0 ? -1 : 0;
    }

    /* its complaint or an earlier step may be in a later segment */
    st = fu->defer;
    posko_bind_text(st, 1, ev.kode);
    posko_bind_text(st, 2, ev.aksi);
    posko_bind_text(st, 3, ev.petugas);
    posko_bind_text(st, 4, ev.catatan);
    posko_bind_text(st, 5, ev.unit);
    posko_bind_text(st, 6, ev.duplikat_dari);
    posko_bind_text(st, 7, ev.at);
    sqlite3_bind_text(st, 8, segment, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, offset);
    sqlite3_bind_blob(st, 10, raw, (int)raw_len, SQLITE_STATIC);
    return posko_db_done(st, "cannot keep a follow-up for later");
}

/* Loads pending row id into ev (pointing into fu->pending_get's row,
 * valid until it is reset).  1 found, 0 gone, -1 failure. */
static int posko_pending_get(posko_followups_t *fu, sqlite3_int64 id,
                             posko_event_t *ev) {
    sqlite3_stmt *st = fu->pending_get;
    int rc;

    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        return 0;
    }
    if (rc != SQLITE_ROW) {
        posko_db_error(fu->db, "cannot read a pending follow-up");
        return -1;
    }
    ev->kode = posko_column_text(st, 0);
    ev->aksi = posko_column_text(st, 1);
    ev->petugas = posko_column_text(st, 2);
    ev->catatan = posko_column_text(st, 3);
    ev->unit = posko_column_text(st, 4);
    ev->duplikat_dari = posko_column_text(st, 5);
    ev->at = posko_column_text(st, 6);
    ev->segment = (const char *)sqlite3_column_text(st, 7);
    ev->offset = (long)sqlite3_column_int64(st, 8);
    ev->raw = sqlite3_column_blob(st, 9);
    ev->raw_len = (size_t)sqlite3_column_bytes(st, 9);
    return 1;
}

static int posko_pending_delete(posko_followups_t *fu, sqlite3_int64 id) {
    sqlite3_bind_int64(fu->pending_delete, 1, id);
    return posko_db_done(fu->pending_delete,
                           "cannot remove a pending follow-up");
}

/* Tries every pending follow-up once; with final set, quarantines those
 * that do not fit.  Returns how many were applied, or -1. */
static long posko_pending_pass(posko_followups_t *fu, int final) {
    sqlite3_int64 *ids = NULL;
    size_t n = 0, cap = 0;
    long applied = 0;
    int rc = 0;

    while ((rc = sqlite3_step(fu->pending_ids)) == SQLITE_ROW) {
        if (n == cap) {
            sqlite3_int64 *more;

            cap = cap ? cap * 2 : 64;
            more = realloc(ids, cap * sizeof(*ids));
            if (more == NULL) {
                fprintf(stderr, "posko: out of memory\n");
                free(ids);
                sqlite3_reset(fu->pending_ids);
                return -1;
            }
            ids = more;
        }
        ids[n++] = sqlite3_column_int64(fu->pending_ids, 0);
    }
    sqlite3_reset(fu->pending_ids);
    if (rc != SQLITE_DONE) {
        posko_db_error(fu->db, "cannot list pending follow-ups");
        free(ids);
        return -1;
    }

    for (size_t i = 0; i < n && applied >= 0; i++) {
        posko_event_t ev;
        const char *why = NULL;
        int gone = 0;
        int got = posko_pending_get(fu, ids[i], &ev);

        if (got <= 0) {
            applied = got < 0 ? -1 : applied;
            sqlite3_reset(fu->pending_get);
            continue;
        }
        rc = posko_event_apply(fu, &ev, &why);
        if (rc == POSKO_NOT_NOW && final) {
            rc = posko_event_quarantine(fu, &ev, why);
            gone = rc == 0;
        }
        sqlite3_reset(fu->pending_get);
        sqlite3_clear_bindings(fu->pending_get);
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

int posko_followups_settle(posko_followups_t *fu) {
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
