/*
 * db.c - opening posko's SQLite database and keeping its schema current.
 *
 * The schema is versioned with PRAGMA user_version: each entry of
 * posko_migrations moves the database one version forward, inside one
 * transaction, so a database made by an older posko is brought up to date
 * the first time a newer one opens it for writing.  Readers (the report)
 * never migrate.
 *
 * Times are TEXT in UTC, ISO 8601 with milliseconds
 * (2026-06-01T08:30:00.000Z), so that they sort and compare as strings.
 */
#include "posko.h"

#include <stdio.h>
#include <sys/stat.h>

static const char *const posko_migrations[] = {
    /* 1: the walking skeleton's tables. */
    "CREATE TABLE complaints ("
    "  id          INTEGER PRIMARY KEY,"
    "  kode        TEXT NOT NULL UNIQUE,"
    "  jenis       TEXT NOT NULL,"
    "  pelapor     TEXT,"
    "  kategori    TEXT NOT NULL,"
    "  lokasi      TEXT,"
    "  embarkasi   TEXT,"
    "  kloter      TEXT,"
    "  uraian      TEXT NOT NULL,"
    "  nama        TEXT,"
    "  telepon     TEXT,"
    "  email       TEXT,"
    "  rating      INTEGER,"
    "  received_at TEXT NOT NULL,"
    "  status      TEXT NOT NULL DEFAULT 'diterima',"
    "  wal_segment TEXT NOT NULL,"
    "  wal_offset  INTEGER NOT NULL"
    ");"
    "CREATE INDEX complaints_received ON complaints(received_at);"
    "CREATE INDEX complaints_status ON complaints(status);"
    "CREATE TABLE events ("
    "  id       INTEGER PRIMARY KEY,"
    "  kode     TEXT NOT NULL REFERENCES complaints(kode),"
    "  aksi     TEXT NOT NULL,"
    "  petugas  TEXT,"
    "  catatan  TEXT,"
    "  at       TEXT NOT NULL"
    ");"
    "CREATE INDEX events_kode ON events(kode);"
    /* One row per segment: how far ingest has loaded it. */
    "CREATE TABLE checkpoints ("
    "  segment     TEXT PRIMARY KEY,"
    "  node        TEXT NOT NULL,"
    "  writer_pid  INTEGER NOT NULL,"
    "  writer_start INTEGER NOT NULL,"
    "  sequence    INTEGER NOT NULL,"
    "  offset      INTEGER NOT NULL,"
    "  updated_at  TEXT NOT NULL"
    ");"
    /* Records that could not be loaded, with the reason and the bytes. */
    "CREATE TABLE quarantine ("
    "  id          INTEGER PRIMARY KEY,"
    "  segment     TEXT NOT NULL,"
    "  offset      INTEGER NOT NULL,"
    "  reason      TEXT NOT NULL,"
    "  raw         BLOB,"
    "  at          TEXT NOT NULL,"
    "  UNIQUE(segment, offset)"
    ");",

    /* 2: officers' follow-ups.  A complaint keeps its current state
     * (status, unit, the times it was verified, solved and closed); each
     * applied follow-up is an event, tied to its WAL record so that it is
     * applied once.  A follow-up that cannot be applied yet (its complaint
     * or an earlier step not loaded so far) waits in pending_events until
     * the end of the run; what still cannot be applied then is quarantined
     * with the code and the officer, for the dashboard. */
    "ALTER TABLE complaints ADD COLUMN unit TEXT;"
    "ALTER TABLE complaints ADD COLUMN duplikat_dari TEXT;"
    "ALTER TABLE complaints ADD COLUMN verified_at TEXT;"
    "ALTER TABLE complaints ADD COLUMN solved_at TEXT;"
    "ALTER TABLE complaints ADD COLUMN closed_at TEXT;"
    "ALTER TABLE complaints ADD COLUMN updated_at TEXT;"
    "CREATE INDEX complaints_kategori ON complaints(kategori, received_at);"
    "CREATE INDEX complaints_lokasi ON complaints(lokasi, received_at);"
    "CREATE INDEX complaints_unit ON complaints(unit, status);"
    "ALTER TABLE events ADD COLUMN unit TEXT;"
    "ALTER TABLE events ADD COLUMN duplikat_dari TEXT;"
    "ALTER TABLE events ADD COLUMN status_before TEXT;"
    "ALTER TABLE events ADD COLUMN status_after TEXT;"
    "ALTER TABLE events ADD COLUMN wal_segment TEXT;"
    "ALTER TABLE events ADD COLUMN wal_offset INTEGER;"
    "CREATE UNIQUE INDEX events_wal ON events(wal_segment, wal_offset);"
    "CREATE INDEX events_at ON events(at);"
    "CREATE TABLE pending_events ("
    "  id            INTEGER PRIMARY KEY,"
    "  kode          TEXT NOT NULL,"
    "  aksi          TEXT NOT NULL,"
    "  petugas       TEXT NOT NULL,"
    "  catatan       TEXT,"
    "  unit          TEXT,"
    "  duplikat_dari TEXT,"
    "  at            TEXT NOT NULL,"
    "  wal_segment   TEXT NOT NULL,"
    "  wal_offset    INTEGER NOT NULL,"
    "  raw           BLOB NOT NULL,"
    "  UNIQUE(wal_segment, wal_offset)"
    ");"
    "ALTER TABLE quarantine ADD COLUMN kode TEXT;"
    "ALTER TABLE quarantine ADD COLUMN petugas TEXT;"
    "CREATE INDEX quarantine_kode ON quarantine(kode);",

    /* 3: reference data (data/referensi.ini, replaced on every ingest)
     * and each complaint's deadlines from its service-level targets. */
    "CREATE TABLE ref_kategori (kode TEXT PRIMARY KEY, nama TEXT NOT NULL);"
    "CREATE TABLE ref_lokasi (kode TEXT PRIMARY KEY, nama TEXT NOT NULL);"
    "CREATE TABLE ref_embarkasi (kode TEXT PRIMARY KEY, kota TEXT NOT NULL);"
    "CREATE TABLE ref_unit (kode TEXT PRIMARY KEY, nama TEXT NOT NULL);"
    /* hours from receipt to each step; kategori '*' for the default */
    "CREATE TABLE sla ("
    "  langkah   TEXT NOT NULL,"
    "  kategori  TEXT NOT NULL,"
    "  jam       REAL NOT NULL,"
    "  PRIMARY KEY(langkah, kategori)"
    ");"
    "ALTER TABLE complaints ADD COLUMN due_verify TEXT;"
    "ALTER TABLE complaints ADD COLUMN due_solve TEXT;"
    "CREATE INDEX complaints_due_verify ON complaints(status, due_verify);"
    "CREATE INDEX complaints_due_solve ON complaints(status, due_solve);",

    /* 4: the outcome of verification (1 factual, 0 not factual), which a
     * later status such as ditutup hides; and the indexes the report's
     * time windows use. */
    "ALTER TABLE complaints ADD COLUMN faktual INTEGER;"
    "UPDATE complaints SET faktual = (SELECT e.aksi = 'faktual' FROM events e"
    "  WHERE e.kode = complaints.kode AND e.aksi IN ('faktual',"
    "  'tidak_faktual') ORDER BY e.id DESC LIMIT 1);"
    "CREATE INDEX complaints_verified ON complaints(verified_at);"
    "CREATE INDEX complaints_solved ON complaints(solved_at);",

    /* 5: the pilgrim's answer once a complaint is solved (the status
     * page, batch/feedback.c): solved indeed (1) or not (0), a 1-5 rating
     * of how it was handled, a comment, and when. */
    "ALTER TABLE complaints ADD COLUMN puas INTEGER;"
    "ALTER TABLE complaints ADD COLUMN rating_penanganan INTEGER;"
    "ALTER TABLE complaints ADD COLUMN komentar_jemaah TEXT;"
    "ALTER TABLE complaints ADD COLUMN dinilai_at TEXT;",
};

#define POSKO_SCHEMA_VERSION                                                   \
    ((int)(sizeof(posko_migrations) / sizeof(posko_migrations[0])))

void posko_db_error(sqlite3 *db, const char *context) {
    fprintf(stderr, "posko: %s: %s\n", context,
            db != NULL ? sqlite3_errmsg(db) : "out of memory");
}

static int posko_db_version(sqlite3 *db) {
    return (int)posko_db_number(db, "PRAGMA user_version");
}

static int posko_db_migrate(sqlite3 *db) {
    int v = posko_db_version(db);

    if (v < 0) {
        posko_db_error(db, "cannot read the schema version");
        return -1;
    }
    if (v > POSKO_SCHEMA_VERSION) {
        fprintf(stderr,
                "posko: the database has schema version %d, newer than "
                "this posko knows (%d); upgrade posko\n",
                v, POSKO_SCHEMA_VERSION);
        return -1;
    }
    for (; v < POSKO_SCHEMA_VERSION; v++) {
        char pragma[64];

        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
                SQLITE_OK ||
            sqlite3_exec(db, posko_migrations[v], NULL, NULL, NULL) !=
                SQLITE_OK ||
            sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            posko_db_error(db, "cannot migrate the schema");
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

sqlite3 *posko_db_open(const char *path, int readonly) {
    sqlite3 *db = NULL;
    /* each posko command is one thread: no mutex around every call */
    int flags = (readonly ? SQLITE_OPEN_READONLY
                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                SQLITE_OPEN_NOMUTEX;
    mode_t old_mask;
    int rc;

    /* Personal data: the database is never world-readable. */
    old_mask = umask(027);
    rc = sqlite3_open_v2(path, &db, flags, NULL);
    umask(old_mask);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "posko: cannot open database %s: %s\n", path,
                db != NULL ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 10000);
    if (readonly) {
        int v = posko_db_version(db);

        if (v < 1) {
            fprintf(stderr,
                    "posko: %s is not a posko database (run posko ingest "
                    "first)\n",
                    path);
            sqlite3_close(db);
            return NULL;
        }
        if (v < POSKO_SCHEMA_VERSION) {
            /* only a writer migrates; readers never change the file */
            fprintf(stderr,
                    "posko: %s has schema version %d and this posko reads "
                    "version %d: run posko ingest once to upgrade it\n",
                    path, v, POSKO_SCHEMA_VERSION);
            sqlite3_close(db);
            return NULL;
        }
        return db;
    }
    if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA cache_size = -65536", NULL, NULL, NULL) !=
            SQLITE_OK ||
        posko_db_migrate(db) != 0) {
        posko_db_error(db, path);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}
