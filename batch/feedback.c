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
#include "feedback.h"
#include "posko.h"
#include "posko_kode.h"
#include "posko_record.h"
#include "quarantine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POSKO_FEEDBACK_OFFICER "jemaah"

typedef struct {
    const char *p;
    int len; /* -1: absent */
} posko_fb_text_t;

typedef struct {
    posko_fb_text_t kode, puas, rating, komentar, at;
} posko_fb_record_t;

struct posko_feedback_s {
    sqlite3 *db;
    sqlite3_stmt *state_of;
    sqlite3_stmt *insert_event;
    sqlite3_stmt *update_complaint;
    posko_quarantine_t *quarantine;
    long applied;
};

static const char *const posko_feedback_sql[] = {
    ("SELECT status, solved_at, dinilai_at FROM complaints WHERE kode = ?1"),
    ("INSERT INTO events(kode, aksi, petugas, catatan, at, status_before,"
     " status_after, wal_segment, wal_offset)"
     " VALUES (?1, ?2, '" POSKO_FEEDBACK_OFFICER "', ?3, ?4, 'selesai', ?5,"
     " ?6, ?7)"),
    ("UPDATE complaints SET puas = ?2, rating_penanganan = ?3,"
     " komentar_jemaah = ?4, dinilai_at = ?5, updated_at = ?5,"
     " status = ?6, solved_at = CASE WHEN ?2 THEN solved_at END"
     " WHERE kode = ?1"),
};

posko_feedback_t *posko_feedback_open(sqlite3 *db,
                                      posko_quarantine_t *quarantine) {
    posko_feedback_t *fb = calloc(1, sizeof(*fb));

    if (fb == NULL) {
        fprintf(stderr, "posko: out of memory\n");
        return NULL;
    }
    fb->db = db;
    fb->quarantine = quarantine;
    sqlite3_stmt **const st[] = {&fb->state_of, &fb->insert_event,
                                 &fb->update_complaint};
    if (posko_db_prepare_all(db, posko_feedback_sql, st,
                             sizeof(st) / sizeof(st[0]),
                             "cannot prepare feedback statements") != 0) {
        posko_feedback_close(fb);
        return NULL;
    }
    return fb;
}

void posko_feedback_close(posko_feedback_t *fb) {
    if (fb == NULL) {
        return;
    }
    sqlite3_finalize(fb->state_of);
    sqlite3_finalize(fb->insert_event);
    sqlite3_finalize(fb->update_complaint);
    free(fb);
}

long posko_feedback_applied(const posko_feedback_t *fb) {
    return fb->applied;
}

static int posko_fb_is(posko_fb_text_t t, const char *s) {
    return t.len >= 0 && (size_t)t.len == strlen(s) &&
           memcmp(t.p, s, (size_t)t.len) == 0;
}

static void posko_fb_bind(sqlite3_stmt *st, int col, posko_fb_text_t t) {
    if (t.len < 0) {
        sqlite3_bind_null(st, col);
    } else {
        sqlite3_bind_text(st, col, t.p, t.len, SQLITE_STATIC);
    }
}

/* A field of the record; a value over 100000 bytes counts as absent. */
static posko_fb_text_t posko_fb_text(posko_value_t v) {
    posko_fb_text_t t = {NULL, -1};

    if (v.data != NULL && v.len <= 100000) {
        t.p = (const char *)v.data;
        t.len = (int)v.len;
    }
    return t;
}

/* Reads the record's fields (posko_record.h); NULL, or why it can never
 * be applied.  The fields read stay in fr for the quarantine. */
static const char *posko_fb_parse(const posko_wal_record_t *rec,
                                  posko_fb_record_t *fr) {
    posko_fb_text_t *const to[POSKO_FBK_COUNT] = {
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
        *to[i] = posko_fb_text(r.slot[i]);
    }
    if (rc != 0) {
        return why;
    }
    if (fr->kode.len != POSKO_KODE_LEN || fr->at.len <= 0 ||
        !(posko_fb_is(fr->puas, "ya") || posko_fb_is(fr->puas, "tidak")) ||
        fr->rating.len != 1 || fr->rating.p[0] < '1' || fr->rating.p[0] > '5') {
        return "umpan balik jemaah tidak lengkap / the pilgrim's feedback "
               "is incomplete";
    }
    if (posko_kode_normalize(fr->kode.p, POSKO_KODE_LEN, canonical) !=
            POSKO_KODE_OK ||
        memcmp(canonical, fr->kode.p, POSKO_KODE_LEN) != 0) {
        return "bukan kode pelacakan yang sah / not a tracking code";
    }
    return NULL;
}

static int posko_fb_quarantine(posko_feedback_t *fb, const char *segment,
                               long offset, const char *reason,
                               posko_fb_text_t kode, const uint8_t *raw,
                               size_t raw_len) {
    posko_quarantined_t q = {
        .segment = segment,
        .offset = offset,
        .reason = reason,
        .raw = raw,
        .raw_len = raw_len,
        .kode = kode.len >= 0 ? kode.p : NULL,
        .kode_len = kode.len,
        .petugas = POSKO_FEEDBACK_OFFICER,
        .petugas_len = -1,
    };

    return posko_quarantine_put(fb->quarantine, &q);
}

/* Why the complaint cannot take this answer now, or NULL; -1 in *failed
 * on a database failure. */
static const char *posko_fb_refusal(posko_feedback_t *fb,
                                    const posko_fb_record_t *fr,
                                    int *failed) {
    sqlite3_stmt *st = fb->state_of;
    const char *why = NULL;
    int rc;

    *failed = 0;
    posko_fb_bind(st, 1, fr->kode);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
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
    } else if (rc == SQLITE_DONE) {
        why = "kode tidak dikenal / unknown tracking code";
    } else {
        posko_db_error(fb->db, "cannot look up a complaint");
        *failed = 1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return why;
}

int posko_feedback_take(posko_feedback_t *fb, const char *segment,
                        long offset, const posko_wal_record_t *rec,
                        const uint8_t *raw, size_t raw_len) {
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
        return posko_fb_quarantine(fb, segment, offset, why, fr.kode, raw,
                                   raw_len);
    }
    yes = posko_fb_is(fr.puas, "ya");

    st = fb->insert_event;
    posko_fb_bind(st, 1, fr.kode);
    sqlite3_bind_text(st, 2, yes ? "dikonfirmasi" : "dibuka_kembali", -1,
                      SQLITE_STATIC);
    posko_fb_bind(st, 3, fr.komentar);
    posko_fb_bind(st, 4, fr.at);
    sqlite3_bind_text(st, 5, yes ? "selesai" : "ditindaklanjuti", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 6, segment, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, offset);
    rc = posko_db_done_unique(st, "cannot record the pilgrim's answer");
    if (rc != 0) {
        return rc < 0 ? -1 : 0; /* 1: this very record was applied before */
    }

    st = fb->update_complaint;
    posko_fb_bind(st, 1, fr.kode);
    sqlite3_bind_int(st, 2, yes);
    sqlite3_bind_int(st, 3, fr.rating.p[0] - '0');
    posko_fb_bind(st, 4, fr.komentar);
    posko_fb_bind(st, 5, fr.at);
    sqlite3_bind_text(st, 6, yes ? "selesai" : "ditindaklanjuti", -1,
                      SQLITE_STATIC);
    if (posko_db_done(st, "cannot update a complaint") != 0) {
        return -1;
    }
    fb->applied++;
    return 0;
}
