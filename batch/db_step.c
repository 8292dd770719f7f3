/*
 * db_step.c - running a prepared statement once and saying what went
 * wrong, the same way everywhere: a statement that writes is stepped,
 * reset and cleared of its bindings for the next use, and a failure is
 * one sentence on stderr with what was being done; a lookup's one row is
 * told from none and from a failure; a query of one number is prepared,
 * stepped and finalized in one call; the statements a part of a command
 * keeps are prepared together; a record's values go in and come out as
 * text, or NULL when absent.
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

/* What a step gave, rc, when it is one of the two outcomes the caller
 * expects: 0 for no, 1 for yes; -1 after posko_db_error() otherwise. */
static int posko_db_either(sqlite3_stmt *st, int rc, int no, int yes,
                           const char *context) {
    if (rc == no || rc == yes) {
        return rc == yes;
    }
    posko_db_error(sqlite3_db_handle(st), context);
    return -1;
}

int posko_db_done_unique(sqlite3_stmt *st, const char *context) {
    return posko_db_either(st, posko_db_step_once(st), SQLITE_DONE,
                           SQLITE_CONSTRAINT, context);
}

int posko_db_row(sqlite3_stmt *st, const char *context) {
    return posko_db_either(st, sqlite3_step(st), SQLITE_DONE, SQLITE_ROW,
                           context);
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

void posko_db_bind_value(sqlite3_stmt *st, int col, posko_value_t v) {
    if (v.data == NULL) {
        sqlite3_bind_null(st, col);
    } else {
        sqlite3_bind_text(st, col, (const char *)v.data, (int)v.len,
                          SQLITE_STATIC);
    }
}

posko_value_t posko_db_column_value(sqlite3_stmt *st, int col) {
    posko_value_t v = {NULL, 0};

    if (sqlite3_column_type(st, col) != SQLITE_NULL) {
        v.data = sqlite3_column_text(st, col);
        v.len = (size_t)sqlite3_column_bytes(st, col);
    }
    return v;
}
