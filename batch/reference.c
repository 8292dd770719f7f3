/*
 * reference.c - loads the reference data file into the database and
 * computes complaints' deadlines from its service-level targets.
 *
 * The file is INI, read with inih (Debian's libinih):
 *
 *   [kategori] [lokasi] [unit]   CODE = name people read
 *   [embarkasi]                  CODE = city
 *   [tenggat]                    verifikasi = HOURS, selesai = HOURS,
 *                                verifikasi.KATEGORI = HOURS, ...
 *
 * Every run replaces the reference tables with the file's content, in the
 * ingest's transaction, so the database always says what the file said.
 * Deadlines are stored with each complaint (due_verify, due_solve) so
 * that the dashboard and the report sort and count by them with an index;
 * when a target changes, they are computed again for every complaint.
 */
#include "reference.h"
#include "posko.h"
#include "times.h"

#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *insert[4]; /* kategori, lokasi, embarkasi, unit */
    sqlite3_stmt *insert_sla;
    posko_targets_t *targets;
    char error[160];
} posko_ref_load_t;

static const char *const posko_ref_tables[4] = {"kategori", "lokasi",
                                                "embarkasi", "unit"};

static int posko_ref_fail(posko_ref_load_t *ld, const char *msg,
                          const char *a, const char *b) {
    snprintf(ld->error, sizeof(ld->error), msg, a, b);
    return 0;
}

static int posko_ref_insert(sqlite3_stmt *st, const char *a, const char *b,
                            double hours, int with_hours) {
    int rc;

    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    if (with_hours) {
        sqlite3_bind_double(st, 3, hours);
    }
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* A target: "verifikasi", "selesai", or either with ".KATEGORI". */
static int posko_ref_target(posko_ref_load_t *ld, const char *name,
                            const char *value) {
    posko_targets_t *t = ld->targets;
    const char *dot = strchr(name, '.');
    size_t step_len = dot ? (size_t)(dot - name) : strlen(name);
    const char *kategori = dot ? dot + 1 : "*";
    char *end;
    double hours = strtod(value, &end);
    int verify, rc;
    size_t i;

    if (step_len == 10 && memcmp(name, "verifikasi", 10) == 0) {
        verify = 1;
    } else if (step_len == 7 && memcmp(name, "selesai", 7) == 0) {
        verify = 0;
    } else {
        return posko_ref_fail(ld,
                              "[tenggat] %s: the step must be verifikasi or "
                              "selesai%s",
                              name, "");
    }
    if (end == value || *end != '\0' || !(hours > 0) || !isfinite(hours) ||
        hours > 24 * 366) {
        return posko_ref_fail(ld,
                              "[tenggat] %s = %s: hours must be a number "
                              "above 0",
                              name, value);
    }
    if (strcmp(kategori, "*") == 0) {
        if (verify) {
            t->default_verify_hours = hours;
        } else {
            t->default_solve_hours = hours;
        }
    } else {
        for (i = 0; i < t->count; i++) {
            if (strcmp(t->kategori[i], kategori) == 0) {
                break;
            }
        }
        if (i == t->count) {
            return posko_ref_fail(ld,
                                  "[tenggat] %s: no category %s in "
                                  "[kategori] above it",
                                  name, kategori);
        }
        if (verify) {
            t->verify_hours[i] = hours;
        } else {
            t->solve_hours[i] = hours;
        }
    }
    rc = posko_ref_insert(ld->insert_sla, verify ? "verifikasi" : "selesai",
                          kategori, hours, 1);
    if (rc != SQLITE_DONE) {
        return posko_ref_fail(ld, "%s: %s", name, sqlite3_errmsg(ld->db));
    }
    return 1;
}

static int posko_ref_line(void *user, const char *section, const char *name,
                          const char *value) {
    posko_ref_load_t *ld = user;
    posko_targets_t *t = ld->targets;
    int rc;

    if (strcmp(section, "tenggat") == 0) {
        return posko_ref_target(ld, name, value);
    }
    for (int i = 0; i < 4; i++) {
        if (strcmp(section, posko_ref_tables[i]) != 0) {
            continue;
        }
        if (*value == '\0' || strlen(name) > 63) {
            return posko_ref_fail(ld,
                                  "[%s] %s: a code of at most 63 bytes needs "
                                  "a name",
                                  section, name);
        }
        rc = posko_ref_insert(ld->insert[i], name, value, 0, 0);
        if (rc == SQLITE_CONSTRAINT) {
            return posko_ref_fail(ld, "[%s] %s is listed twice", section,
                                  name);
        }
        if (rc != SQLITE_DONE) {
            return posko_ref_fail(ld, "%s: %s", name, sqlite3_errmsg(ld->db));
        }
        if (i == 0) {
            if (t->count == POSKO_REF_MAX_KATEGORI) {
                return posko_ref_fail(ld, "[kategori] %s: more than 64 "
                                          "categories%s",
                                      name, "");
            }
            snprintf(t->kategori[t->count], sizeof(t->kategori[0]), "%s",
                     name);
            t->verify_hours[t->count] = -1;
            t->solve_hours[t->count] = -1;
            t->count++;
        }
        return 1;
    }
    return posko_ref_fail(ld,
                          "unknown section [%s]; known: kategori, lokasi, "
                          "embarkasi, unit, tenggat%s",
                          section, "");
}

/* The targets as one string, to see whether a run changed them. */
static char *posko_sla_text(sqlite3 *db) {
    sqlite3_stmt *st;
    char *out = NULL;

    if (sqlite3_prepare_v2(db,
                           "SELECT group_concat(langkah || kategori || '=' || "
                           "jam, ',') FROM (SELECT * FROM sla ORDER BY 1, 2)",
                           -1, &st, NULL) != SQLITE_OK) {
        return NULL;
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);

        out = strdup(s != NULL ? s : "");
    }
    sqlite3_finalize(st);
    return out;
}

/* Every complaint's due times again, from the sla table (in SQL, ||
 * binds tighter than *: the parentheses matter). */
static int posko_due_recompute(sqlite3 *db) {
    static const char sql[] =
        "UPDATE complaints SET"
        " due_verify = strftime('%Y-%m-%dT%H:%M:%fZ',"
        "   substr(received_at, 1, 23), '+' || ((SELECT jam FROM sla"
        "   WHERE langkah = 'verifikasi' AND kategori IN"
        "   (complaints.kategori, '*') ORDER BY kategori = '*' LIMIT 1)"
        "   * 3600) || ' seconds'),"
        " due_solve = strftime('%Y-%m-%dT%H:%M:%fZ',"
        "   substr(received_at, 1, 23), '+' || ((SELECT jam FROM sla"
        "   WHERE langkah = 'selesai' AND kategori IN"
        "   (complaints.kategori, '*') ORDER BY kategori = '*' LIMIT 1)"
        "   * 3600) || ' seconds')";

    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int posko_reference_load(sqlite3 *db, const char *path,
                         posko_targets_t *targets) {
    static const char *const inserts[4] = {
        "INSERT INTO ref_kategori(kode, nama) VALUES (?1, ?2)",
        "INSERT INTO ref_lokasi(kode, nama) VALUES (?1, ?2)",
        "INSERT INTO ref_embarkasi(kode, kota) VALUES (?1, ?2)",
        "INSERT INTO ref_unit(kode, nama) VALUES (?1, ?2)",
    };
    posko_ref_load_t ld;
    char *before = NULL, *after = NULL;
    int rc = -1, line;

    memset(&ld, 0, sizeof(ld));
    memset(targets, 0, sizeof(*targets));
    ld.db = db;
    ld.targets = targets;

    before = posko_sla_text(db);
    if (sqlite3_exec(db,
                     "DELETE FROM ref_kategori; DELETE FROM ref_lokasi;"
                     "DELETE FROM ref_embarkasi; DELETE FROM ref_unit;"
                     "DELETE FROM sla;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        posko_db_error(db, "cannot clear the reference tables");
        goto done;
    }
    for (int i = 0; i < 4; i++) {
        if (sqlite3_prepare_v2(db, inserts[i], -1, &ld.insert[i], NULL) !=
            SQLITE_OK) {
            posko_db_error(db, "cannot prepare reference statements");
            goto done;
        }
    }
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO sla(langkah, kategori, jam) VALUES "
                           "(?1, ?2, ?3) ON CONFLICT DO UPDATE SET jam = "
                           "excluded.jam",
                           -1, &ld.insert_sla, NULL) != SQLITE_OK) {
        posko_db_error(db, "cannot prepare reference statements");
        goto done;
    }

    line = ini_parse(path, posko_ref_line, &ld);
    if (line < 0) {
        fprintf(stderr, "posko: cannot read the reference file %s\n", path);
        goto done;
    }
    if (line > 0) {
        fprintf(stderr, "posko: %s line %d: %s\n", path, line,
                ld.error[0] ? ld.error : "not a \"name = value\" line");
        goto done;
    }
    if (targets->default_verify_hours <= 0 ||
        targets->default_solve_hours <= 0) {
        fprintf(stderr,
                "posko: %s: [tenggat] needs verifikasi = HOURS and "
                "selesai = HOURS\n",
                path);
        goto done;
    }
    after = posko_sla_text(db);
    if (before == NULL || after == NULL) {
        posko_db_error(db, "cannot read the targets");
        goto done;
    }
    if (strcmp(before, after) != 0 && posko_due_recompute(db) != 0) {
        posko_db_error(db, "cannot compute the deadlines again");
        goto done;
    }
    rc = 0;

done:
    for (int i = 0; i < 4; i++) {
        sqlite3_finalize(ld.insert[i]);
    }
    sqlite3_finalize(ld.insert_sla);
    free(before);
    free(after);
    return rc;
}

void posko_targets_for(const posko_targets_t *t, const char *kategori,
                       size_t len, double *verify_hours,
                       double *solve_hours) {
    *verify_hours = t->default_verify_hours;
    *solve_hours = t->default_solve_hours;
    for (size_t i = 0; i < t->count; i++) {
        if (strlen(t->kategori[i]) == len &&
            memcmp(t->kategori[i], kategori, len) == 0) {
            if (t->verify_hours[i] > 0) {
                *verify_hours = t->verify_hours[i];
            }
            if (t->solve_hours[i] > 0) {
                *solve_hours = t->solve_hours[i];
            }
            return;
        }
    }
}

int posko_due_time(const char *received_at, size_t len, double hours,
                   char out[POSKO_TIME_SIZE]) {
    long long at = posko_time_parse_n(received_at, len);

    if (at < 0) {
        return -1;
    }
    return posko_time_format(at + llround(hours * 3600000.0), out);
}
