/*
 * quarantine.c - the one insert into the table quarantine, for every
 * part of ingest that meets a record it cannot load (quarantine.h).
 *
 * The row keeps the record's place in the WAL (unique: loading the same
 * segment again adds nothing), the reason, the bytes, when it happened
 * and, for a follow-up or a pilgrim's answer, the code and the officer,
 * so that the dashboard can show the team what was refused.
 */
#include "quarantine.h"
#include "posko.h"
#include "times.h"

int posko_quarantine_open(posko_quarantine_t *q, sqlite3 *db) {
    q->count = 0;
    if (sqlite3_prepare_v2(db,
                           "INSERT OR IGNORE INTO quarantine(segment, offset,"
                           " reason, raw, at, kode, petugas)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           -1, &q->insert, NULL) != SQLITE_OK) {
        posko_db_error(db, "cannot prepare the quarantine");
        return -1;
    }
    return 0;
}

void posko_quarantine_close(posko_quarantine_t *q) {
    sqlite3_finalize(q->insert);
    q->insert = NULL;
}

int posko_quarantine_put(posko_quarantine_t *q, const posko_place_t *at,
                         const char *reason, posko_value_t kode,
                         posko_value_t petugas) {
    sqlite3_stmt *st = q->insert;
    char now[POSKO_TIME_SIZE];

    posko_time_now(now);
    sqlite3_bind_text(st, 1, at->segment, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, at->offset);
    sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, at->raw, (int)at->raw_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
    posko_db_bind_value(st, 6, kode);
    posko_db_bind_value(st, 7, petugas);
    if (posko_db_done(st, "cannot quarantine a record") != 0) {
        return -1;
    }
    q->count++;
    return 0;
}
