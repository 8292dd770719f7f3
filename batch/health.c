/*
 * health.c - `posko health`: is the system well, in one look, for an
 * operator or a monitoring system.
 *
 *   posko health --wal DIR --db FILE [--reports DIR] [--json]
 *
 * It reports the WAL (segments, bytes, records not loaded yet and how
 * long the oldest of them has waited), the last ingest, the database
 * (schema, complaints, open, past deadline, quarantined), the free space
 * where the WAL and the database live, and with --reports the newest
 * daily report.  It exits 0 when all is well and 1 with the reasons when
 * something needs an operator:
 *
 *   - records wait unloaded for more than 10 minutes (ingest is not
 *     running, or failing);
 *   - less than 5% or less than 1 GiB free where the WAL or the database
 *     is (the intake answers 503 when the disk is full);
 *   - with --reports, no report for yesterday (in the default zone,
 *     Asia/Riyadh) after 06:00.
 *
 * The database is only read; the WAL is only read.  `posko status`, the
 * command's former name, still runs it and says "posko status:" as it
 * always did.
 */
#include "posko.h"
#include "posko_wal.h"
#include "posko_walread.h"
#include "times.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define POSKO_HEALTH_WAIT (10 * 60)           /* seconds unloaded */
#define POSKO_HEALTH_MIN_FREE (1024LL * 1024 * 1024)
#define POSKO_HEALTH_MIN_SHARE 5.0            /* percent free */

typedef struct {
    long segments;
    long long bytes;
    long unloaded;         /* records not in the database yet */
    time_t oldest_waiting; /* mtime of the oldest segment with some */
    char last_ingest[32];
    int schema;
    long complaints, open, overdue, quarantined, pending;
    double wal_free_share, db_free_share;
    long long wal_free, db_free;
    char newest_report[64];
    char problems[4][200];
    int nproblems;
} posko_health_t;

static void posko_problem(posko_health_t *h, const char *text) {
    if (h->nproblems < 4) {
        snprintf(h->problems[h->nproblems++], sizeof(h->problems[0]), "%s",
                 text);
    }
}

/* Records after the checkpoint in every segment. */
static int posko_health_wal(posko_health_t *h, sqlite3 *db, const char *dir) {
    posko_segment_list_t list;
    sqlite3_stmt *st = NULL;

    if (posko_segments_list(dir, &list) != 0) {
        return -1;
    }
    sqlite3_prepare_v2(db, POSKO_CHECKPOINT_SQL, -1, &st, NULL);
    for (size_t i = 0; i < list.count; i++) {
        char path[4096];
        struct stat sb;
        long offset = 0;
        uint8_t *buf;
        size_t size;

        snprintf(path, sizeof(path), "%s/%s", dir, list.names[i]);
        if (stat(path, &sb) != 0) {
            continue;
        }
        h->segments++;
        h->bytes += sb.st_size;
        if (st != NULL) {
            long long loaded = posko_checkpoint_of(st, list.names[i]);

            offset = loaded >= 0 ? (long)loaded : 0;
        }
        if (offset >= sb.st_size ||
            posko_segment_read(path, &buf, &size) != 0) {
            continue;
        }
        if (size > POSKO_WAL_HEADER_SIZE) {
            posko_walread_t rd;
            posko_walread_item_t it;
            long found = 0;

            posko_walread_init(&rd, buf, size,
                               offset > POSKO_WAL_HEADER_SIZE
                                   ? (size_t)offset
                                   : POSKO_WAL_HEADER_SIZE,
                               list.finished[i]);
            for (;;) {
                posko_walread_next(&rd, &it);
                if (it.kind == POSKO_READ_RECORD &&
                    it.record.type != POSKO_REC_SEAL) {
                    found++;
                } else if (it.kind != POSKO_READ_DAMAGED &&
                           it.kind != POSKO_READ_RECORD) {
                    break;
                }
            }
            if (found > 0 &&
                (h->oldest_waiting == 0 || sb.st_mtime < h->oldest_waiting)) {
                h->oldest_waiting = sb.st_mtime;
            }
            h->unloaded += found;
        }
        free(buf);
    }
    sqlite3_finalize(st);
    posko_segments_free(&list);
    return 0;
}

static void posko_health_disk(const char *path, long long *free_bytes,
                              double *share) {
    struct statvfs vfs;

    *free_bytes = -1;
    *share = -1;
    if (statvfs(path, &vfs) == 0 && vfs.f_blocks > 0) {
        *free_bytes = (long long)vfs.f_bavail * (long long)vfs.f_frsize;
        *share = 100.0 * (double)vfs.f_bavail / (double)vfs.f_blocks;
    }
}

static void posko_health_reports(posko_health_t *h, const char *dir) {
    char path[4096], want[64];
    time_t now = time(NULL), yesterday = now - 86400;
    struct tm tm;
    ssize_t n;

    snprintf(path, sizeof(path), "%s/latest.pdf", dir);
    n = readlink(path, h->newest_report, sizeof(h->newest_report) - 1);
    h->newest_report[n > 0 ? n : 0] = '\0';

    /* the day leadership reads in the morning: yesterday, Riyadh time */
    posko_tz_use(POSKO_DEFAULT_TZ);
    localtime_r(&yesterday, &tm);
    strftime(want, sizeof(want), "posko-%Y-%m-%d.pdf", &tm);
    localtime_r(&now, &tm);
    if (tm.tm_hour >= 6 && strcmp(h->newest_report, want) < 0) {
        char text[200];

        snprintf(text, sizeof(text),
                 "no daily report yet for yesterday (%s in %s)", want, dir);
        posko_problem(h, text);
    }
}

/* name is the command's as it was called: "health", or "status" for the
 * scripts written before it was renamed. */
static void posko_health_print(const posko_health_t *h, const char *name,
                               int json, time_t now) {
    if (json) {
        printf("{\"ok\":%s,\"wal\":{\"segments\":%ld,\"bytes\":%lld,"
               "\"unloaded_records\":%ld,\"oldest_unloaded_seconds\":%ld},"
               "\"last_ingest\":%s%s%s,\"db\":{\"schema\":%d,\"complaints\":"
               "%ld,\"open\":%ld,\"overdue\":%ld,\"quarantined\":%ld,"
               "\"pending_followups\":%ld},\"free_bytes\":{\"wal\":%lld,"
               "\"db\":%lld},\"problems\":[",
               h->nproblems ? "false" : "true", h->segments, h->bytes,
               h->unloaded,
               h->oldest_waiting ? (long)(now - h->oldest_waiting) : 0L,
               h->last_ingest[0] ? "\"" : "", h->last_ingest[0] ? h->last_ingest : "null",
               h->last_ingest[0] ? "\"" : "", h->schema, h->complaints,
               h->open, h->overdue, h->quarantined, h->pending, h->wal_free,
               h->db_free);
        for (int i = 0; i < h->nproblems; i++) {
            printf("%s\"", i ? "," : "");
            for (const char *p = h->problems[i]; *p; p++) {
                if (*p == '"' || *p == '\\') {
                    putchar('\\');
                }
                if ((unsigned char)*p >= 0x20) {
                    putchar(*p);
                }
            }
            putchar('"');
        }
        printf("]}\n");
        return;
    }
    printf("posko %s: %s\n", name,
           h->nproblems ? "PERLU PERHATIAN (needs attention)" : "OK");
    for (int i = 0; i < h->nproblems; i++) {
        printf("  ! %s\n", h->problems[i]);
    }
    printf("  WAL: %ld segments, %lld bytes; %ld records not loaded yet",
           h->segments, h->bytes, h->unloaded);
    if (h->oldest_waiting) {
        printf(" (waiting %ld s)", (long)(now - h->oldest_waiting));
    }
    printf("\n  last ingest: %s\n", h->last_ingest[0] ? h->last_ingest
                                                      : "never");
    printf("  database: schema %d, %ld complaints, %ld open, %ld past their "
           "deadline, %ld quarantined, %ld follow-ups waiting\n",
           h->schema, h->complaints, h->open, h->overdue, h->quarantined,
           h->pending);
    printf("  free space: WAL %lld MiB (%.0f%%), database %lld MiB (%.0f%%)\n",
           h->wal_free / 1048576, h->wal_free_share, h->db_free / 1048576,
           h->db_free_share);
    if (h->newest_report[0]) {
        printf("  newest report: %s\n", h->newest_report);
    }
}

typedef struct {
    const char *wal;
    const char *db_path;
    const char *reports;
    int json;
} posko_health_args_t;

static const char posko_health_about[] =
    "Reports the WAL (segments, records not loaded yet), the last\n"
    "ingest, the database (complaints, open, past deadline,\n"
    "quarantined), free disk space and, with --reports, the newest\n"
    "daily report.  Exit status 0 when all is well; 1, with the\n"
    "reasons, when records wait more than 10 minutes to be loaded,\n"
    "when less than 5% or 1 GiB is free where the WAL or the database\n"
    "is, or when yesterday's report is missing after 06:00 in\n"
    POSKO_DEFAULT_TZ ".  'posko status', the former name of this\n"
    "command, still works.\n";

static const posko_opt_t posko_health_opts[] = {
    POSKO_OPT_WAL(posko_health_args_t),
    POSKO_OPT_DB_READ(posko_health_args_t),
    {"--reports", POSKO_OPT_VALUE, "DIR", 0,
     offsetof(posko_health_args_t, reports),
     "the daily reports' folder: is\nyesterday's there?"},
    {"--json", POSKO_OPT_FLAG, NULL, 0, offsetof(posko_health_args_t, json),
     "the same as JSON, for monitoring\nsystems"},
    POSKO_OPT_END,
};

static int posko_health_run(int argc, char **argv) {
    posko_health_args_t args = {0};
    const char *wal, *dbpath;
    char dbdir[4096], text[200], *slash;
    posko_health_t h;
    sqlite3 *db;
    time_t now = time(NULL);
    int rc;

    rc = posko_opt_parse(&posko_health_command, argc, argv, &args);
    if (rc != POSKO_OPT_GO) {
        return rc;
    }
    wal = args.wal;
    dbpath = args.db_path;
    memset(&h, 0, sizeof(h));
    db = posko_db_open(dbpath, 1);
    if (db == NULL) {
        return POSKO_EXIT_FAIL;
    }
    h.schema = (int)posko_db_number(db, "PRAGMA user_version");
    h.complaints = (long)posko_db_number(db, "SELECT count(*) FROM complaints");
    h.quarantined =
        (long)posko_db_number(db, "SELECT count(*) FROM quarantine");
    h.pending =
        h.schema >= 2
            ? (long)posko_db_number(db, "SELECT count(*) FROM pending_events")
            : 0;
    h.open = (long)posko_db_number(
        db, "SELECT count(*) FROM complaints WHERE status IN ('diterima',"
            " 'verifikasi', 'faktual', 'ditindaklanjuti')");
    h.overdue =
        h.schema >= 3
            ? (long)posko_db_number(
                  db, "SELECT count(*) FROM complaints WHERE"
                      " (status IN ('diterima', 'verifikasi') AND"
                      " due_verify < strftime('%Y-%m-%dT%H:%M:%fZ'))"
                      " OR (status IN ('faktual', 'ditindaklanjuti') AND"
                      " due_solve < strftime('%Y-%m-%dT%H:%M:%fZ'))")
            : 0;
    {
        sqlite3_stmt *st;

        if (sqlite3_prepare_v2(db, "SELECT max(updated_at) FROM checkpoints",
                               -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW &&
            sqlite3_column_text(st, 0) != NULL) {
            snprintf(h.last_ingest, sizeof(h.last_ingest), "%s",
                     (const char *)sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
    }
    if (posko_health_wal(&h, db, wal) != 0) {
        sqlite3_close(db);
        return POSKO_EXIT_FAIL;
    }
    sqlite3_close(db);

    if (h.unloaded > 0 && now - h.oldest_waiting > POSKO_HEALTH_WAIT) {
        snprintf(text, sizeof(text),
                 "%ld records have waited %ld minutes to be loaded: is posko "
                 "ingest running?",
                 h.unloaded, (long)(now - h.oldest_waiting) / 60);
        posko_problem(&h, text);
    }
    snprintf(dbdir, sizeof(dbdir), "%s", dbpath);
    slash = strrchr(dbdir, '/');
    if (slash == NULL) {
        snprintf(dbdir, sizeof(dbdir), ".");
    } else {
        *slash = '\0';
    }
    posko_health_disk(wal, &h.wal_free, &h.wal_free_share);
    posko_health_disk(dbdir[0] ? dbdir : "/", &h.db_free, &h.db_free_share);
    for (int i = 0; i < 2; i++) {
        long long free_bytes = i ? h.db_free : h.wal_free;
        double share = i ? h.db_free_share : h.wal_free_share;

        if (free_bytes >= 0 && (free_bytes < POSKO_HEALTH_MIN_FREE ||
                                share < POSKO_HEALTH_MIN_SHARE)) {
            snprintf(text, sizeof(text),
                     "little free space where the %s is: %lld MiB (%.1f%%)",
                     i ? "database" : "WAL", free_bytes / 1048576, share);
            posko_problem(&h, text);
        }
    }
    if (args.reports != NULL) {
        posko_health_reports(&h, args.reports);
    }
    posko_health_print(&h, argv[0], args.json, now);
    return h.nproblems ? POSKO_EXIT_FAIL : POSKO_EXIT_OK;
}

const posko_command_t posko_health_command = {
    "health", posko_health_run, posko_health_opts, NULL,
    "say whether the system is well",
    posko_health_about, NULL};
