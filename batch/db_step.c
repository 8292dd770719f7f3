/*
 * db_step.c - running a prepared statement once and saying what went
 * wrong, the same way everywhere: a statement that writes is stepped,
 * reset and cleared of its bindings for the next use, and a failure is
 * one sentence on stderr with what was being done; a query of one number
 * is prepared, stepped and finalized in one call; the statements a part
 * of a command keeps are prepared together.
 */
#include "posko.h"

int posko_db_prepare_all(sqlite3 *db, const char *const *sql,
                         sqlite3_stmt **const *st, size_t n,
                         const char *context) {
    for (size_t i = 0; i < n; i++) {
        if (sqlite3_prepare_v2(db, sql[i], -1, st[i], NULL) != SQLITE_OK) {
            posko_db_error(db, context);
            return -1;
        }
    }
    return 0;
}

/* One step, and the statement made ready for its next use. */
static int posko_db_step_once(sqlite3_stmt *st) {
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

int posko_db_done(sqlite3_stmt *st, const char *context) {
    if (posko_db_step_once(st) != SQLITE_DONE) {
        posko_db_error(sqlite3_db_handle(st), context);
        return -1;
    }
    return 0;
}

int posko_db_done_unique(sqlite3_stmt *st, const char *context) {
    int rc = posko_db_step_once(st);

    if (rc == SQLITE_DONE || rc == SQLITE_CONSTRAINT) {
        return rc == SQLITE_CONSTRAINT;
    }
    posko_db_error(sqlite3_db_handle(st), context);
    return -1;
}

long long posko_db_number(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    long long v = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        return -1;
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}
