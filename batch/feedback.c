/*
 * feedback.c - a pilgrim's answer to a solved complaint (written by the
 * status page, include/posko_feedback.h), applied at ingest.
 *
 * "ya" confirms the solution; "tidak" reopens the complaint: it goes back
 * to ditindaklanjuti, into the team's worklist, and no longer counts as
 * solved (solved_at is cleared, so a report made afterwards, even for an
 * earlier day, does not count it).  Either way the answer becomes an event
 * by "jemaah" (dikonfirmasi or dibuka_kembali, the comment as its note),
 * and the complaint keeps the rating of how it was handled
 * (rating_penanganan), which the report's evaluation averages.
 *
 * Only a solved complaint takes an answer, and only once for each time it
 * was solved; anything else is quarantined with the reason.  The event's
 * WAL position is unique, so loading the same record twice changes
 * nothing.
 */
#include "apply.h"
#include "posko.h"
#include "posko_kode.h"
#include "posko_record.h"

#include <stdio.h>
#include <string.h>

#define POSKO_FEEDBACK_OFFICER "jemaah"

typedef struct {
    posko_value_t kode, puas, rating, komentar, at;
} posko_fb_record_t;

enum {
    POSKO_FB_STATE_OF,
    POSKO_FB_INSERT_EVENT,
    POSKO_FB_UPDATE,
    POSKO_FB_SQL
};

static const char *const posko_feedback_sql[POSKO_FB_SQL] = {
    [POSKO_FB_STATE_OF] = ("SELECT status, solved_at, dinilai_at FROM"
                           " complaints WHERE kode = ?1"),
    [POSKO_FB_INSERT_EVENT] =
        ("INSERT INTO events(kode, aksi, petugas, catatan, at, status_before,"
         " status_after, wal_segment, wal_offset)"
         " VALUES (?1, ?2, '" POSKO_FEEDBACK_OFFICER "', ?3, ?4, 'selesai', ?5,"
         " ?6, ?7)"),
    [POSKO_FB_UPDATE] =
        ("UPDATE complaints SET puas = ?2, rating_penanganan = ?3,"
         " komentar_jemaah = ?4, dinilai_at = ?5, updated_at = ?5,"
         " status = ?6, solved_at = CASE WHEN ?2 THEN solved_at END"
         " WHERE kode = ?1"),
};

posko_apply_t *posko_feedback_open(sqlite3 *db,
                                   posko_quarantine_t *quarantine) {
    return posko_apply_open(db, quarantine, posko_feedback_sql, POSKO_FB_SQL,
                            "cannot prepare feedback statements");
}

static int posko_fb_is(posko_value_t v, const char *s) {
    return v.data != NULL && v.len == strlen(s) &&
           memcmp(v.data, s, v.len) == 0;
}

/* A field of the record; a value over 100000 bytes counts as absent. */
static posko_value_t posko_fb_value(posko_value_t v) {
    posko_value_t none = {NULL, 0};

    return v.data != NULL && v.len <= 100000 ? v : none;
}

/* Reads the record's fields (posko_record.h); NULL, or why it can never
 * be applied.  The fields read stay in fr for the quarantine. */
static const char *posko_fb_parse(const posko_wal_record_t *rec,
                                  posko_fb_record_t *fr) {
    posko_value_t *const to[POSKO_FBK_COUNT] = {
        [POSKO_FBK_KODE] = &fr->kode,         [POSKO_FBK_AT] = &fr->at,
        [POSKO_FBK_PUAS] = &fr->puas,         [POSKO_FBK_RATING] = &fr->rating,
        [POSKO_FBK_KOMENTAR] = &fr->komentar,
    };
    char canonical[POSKO_KODE_LEN + 1];
    posko_record_t r;
    const char *why;
    int rc;

    rc = posko_record_decode(rec->type, rec->payload, rec->length, &r, &why);
    for (int i = 0; i < POSKO_FBK_COUNT; i++) {
        *to[i] = posko_fb_value(r.slot[i]);
    }
    if (rc != 0) {
        return why;
    }
    if (fr->kode.len != POSKO_KODE_LEN || fr->at.len == 0 ||
        !(posko_fb_is(fr->puas, "ya") || posko_fb_is(fr->puas, "tidak")) ||
        fr->rating.len != 1 || fr->rating.data[0] < '1' ||
        fr->rating.data[0] > '5') {
        return "umpan balik jemaah tidak lengkap / the pilgrim's feedback "
               "is incomplete";
    }
    if (posko_kode_normalize((const char *)fr->kode.data, POSKO_KODE_LEN,
                             canonical) != POSKO_KODE_OK ||
        memcmp(canonical, fr->kode.data, POSKO_KODE_LEN) != 0) {
        return "bukan kode pelacakan yang sah / not a tracking code";
    }
    return NULL;
}

/* Why the complaint cannot take this answer now, or NULL; -1 in *failed
 * on a database failure. */
static const char *posko_fb_refusal(posko_apply_t *fb,
                                    const posko_fb_record_t *fr,
                                    int *failed) {
    sqlite3_stmt *st = fb->st[POSKO_FB_STATE_OF];
    const char *why = NULL;
    int rc;

    posko_db_bind_value(st, 1, fr->kode);
    rc = posko_db_row(st, "cannot look up a complaint");
    *failed = rc < 0;
    if (rc == 1) {
        const char *status = (const char *)sqlite3_column_text(st, 0);
        const char *solved = (const char *)sqlite3_column_text(st, 1);
        const char *rated = (const char *)sqlite3_column_text(st, 2);

        if (status == NULL || strcmp(status, "selesai") != 0) {
            why = "aduan belum selesai / the complaint is not solved";
        } else if (rated != NULL && solved != NULL &&
                   strcmp(rated, solved) >= 0) {
            why = "jemaah sudah menilai penyelesaian ini / the pilgrim has "
                  "already answered for this solution";
        }
    } else if (rc == 0) {
        why = "kode tidak dikenal / unknown tracking code";
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return why;
}

int posko_feedback_take(posko_apply_t *fb, const posko_wal_record_t *rec,
                        const posko_place_t *at) {
    static const posko_value_t jemaah = {
        (const uint8_t *)POSKO_FEEDBACK_OFFICER,
        sizeof(POSKO_FEEDBACK_OFFICER) - 1};
    posko_fb_record_t fr;
    const char *why;
    sqlite3_stmt *st;
    int failed, yes, rc;

    why = posko_fb_parse(rec, &fr);
    if (why == NULL) {
        why = posko_fb_refusal(fb, &fr, &failed);
        if (failed) {
            return -1;
        }
    }
    if (why != NULL) {
        return posko_quarantine_put(fb->quarantine, at, why, fr.kode, jemaah);
    }
    yes = posko_fb_is(fr.puas, "ya");

    st = fb->st[POSKO_FB_INSERT_EVENT];
    posko_db_bind_value(st, 1, fr.kode);
    sqlite3_bind_text(st, 2, yes ? "dikonfirmasi" : "dibuka_kembali", -1,
                      SQLITE_STATIC);
    posko_db_bind_value(st, 3, fr.komentar);
    posko_db_bind_value(st, 4, fr.at);
    sqlite3_bind_text(st, 5, yes ? "selesai" : "ditindaklanjuti", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 6, at->segment, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, at->offset);
    rc = posko_db_done_unique(st, "cannot record the pilgrim's answer");
    if (rc != 0) {
        return rc < 0 ? -1 : 0; /* 1: this very record was applied before */
    }

    st = fb->st[POSKO_FB_UPDATE];
    posko_db_bind_value(st, 1, fr.kode);
    sqlite3_bind_int(st, 2, yes);
    sqlite3_bind_int(st, 3, fr.rating.data[0] - '0');
    posko_db_bind_value(st, 4, fr.komentar);
    posko_db_bind_value(st, 5, fr.at);
    sqlite3_bind_text(st, 6, yes ? "selesai" : "ditindaklanjuti", -1,
                      SQLITE_STATIC);
    if (posko_db_done(st, "cannot update a complaint") != 0) {
        return -1;
    }
    fb->applied++;
    return 0;
}
