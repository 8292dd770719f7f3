/*
 * prune.c - `posko prune`: removes the WAL segments that are no longer
 * needed, so that the WAL folder does not grow for the whole season.
 *
 *   posko prune --wal DIR --db FILE --keep DAYS [--dry-run]
 *
 * A segment is removed only when all three hold:
 *
 *   - it is old: last modified more than DAYS days ago, so that recent
 *     segments stay on disk a while as a second copy of the database;
 *   - it is fully loaded: the checkpoint ingest keeps for it stands at the
 *     file's size, so every record in it is a row (or, damaged, in the
 *     quarantine table with its bytes);
 *   - it is sealed: its last record is a seal record and the file ends
 *     right after it, so its writer will never append to it again.  Read
 *     with the same reader as ingest (include/posko_walread.h).
 *
 * Everything else is kept: the live segment, a segment whose writer died
 * before sealing it, one that ingest has not loaded to the end, one whose
 * header is damaged.  The checks run cheapest first (the file's age, the
 * checkpoint, then reading the segment), so only old, loaded segments are
 * read at all.
 *
 * The database is only read.  Prune takes the ingest lock (FILE.lock)
 * while it works, so it never removes a segment that a running ingest has
 * listed and is about to read.  After the unlinks the directory is
 * fsynced, so the removals are on disk before the summary says so.
 */
#include "posko.h"
#include "posko_wal.h"
#include "posko_walread.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* More days than this is surely a typo (and would overflow time_t). */
#define POSKO_PRUNE_MAX_DAYS 1000000L

typedef struct {
    const char *wal;
    const char *db_path;
    const char *keep;
    long days;
    int dry_run;
} posko_prune_args_t;

typedef struct {
    const posko_prune_args_t *args;
    sqlite3_stmt *checkpoint;
    struct timespec cutoff; /* a segment modified before this is old */
    long removed;
    long long bytes;
    long kept;
    int failed;
} posko_prune_t;

/* -- arguments ------------------------------------------------------------ */

/* DAYS is a whole number of days, 0 or more: digits only. */
static int posko_parse_days(const char *s, long *days) {
    long v = 0;

    if (s[0] == '\0') {
        return -1;
    }
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') {
            return -1;
        }
        v = v * 10 + (*p - '0');
        if (v > POSKO_PRUNE_MAX_DAYS) {
            return -1;
        }
    }
    *days = v;
    return 0;
}

static int posko_prune_check(const posko_command_t *cmd, void *args) {
    posko_prune_args_t *a = args;

    if (posko_parse_days(a->keep, &a->days) != 0) {
        return posko_opt_usage(cmd,
                               "--keep '%s' is not a whole number of days "
                               "from 0 to %ld",
                               a->keep, POSKO_PRUNE_MAX_DAYS);
    }
    return POSKO_OPT_GO;
}

static const char posko_prune_about[] =
    "Removes each segment in DIR that is sealed, loaded into FILE to its\n"
    "last byte, and last modified more than DAYS days ago; keeps every\n"
    "other one.  Prints a line per removed segment and a summary.  Exit\n"
    "status 1 when an ingest holds FILE.lock or a segment cannot be\n"
    "removed.\n";

static const posko_opt_t posko_prune_opts[] = {
    POSKO_OPT_WAL(posko_prune_args_t),
    POSKO_OPT_DB_READ(posko_prune_args_t),
    {"--keep", POSKO_OPT_VALUE, "DAYS", 1, offsetof(posko_prune_args_t, keep),
     "keep every segment modified in the last\nDAYS days"},
    {"--dry-run", POSKO_OPT_FLAG, NULL, 0,
     offsetof(posko_prune_args_t, dry_run),
     "print what would be removed, remove\nnothing"},
    POSKO_OPT_END,
};

/* -- the three conditions ------------------------------------------------- */

static int posko_prune_old(const posko_prune_t *p, const struct stat *sb) {
    return sb->st_mtim.tv_sec < p->cutoff.tv_sec ||
           (sb->st_mtim.tv_sec == p->cutoff.tv_sec &&
            sb->st_mtim.tv_nsec < p->cutoff.tv_nsec);
}

/* Sealed: a seal record is the last thing in the file and nothing, not
 * even preallocated zeros, follows it. */
static int posko_prune_sealed(const uint8_t *buf, size_t size, int finished) {
    posko_wal_segment_t seg;
    posko_walread_t rd;
    posko_walread_item_t it;
    int last_is_seal = 0;

    if (posko_wal_header_decode(buf, size, &seg) != POSKO_WAL_OK) {
        return 0;
    }
    posko_walread_init(&rd, buf, size, POSKO_WAL_HEADER_SIZE, finished);
    for (;;) {
        posko_walread_next(&rd, &it);
        if (it.kind == POSKO_READ_RECORD) {
            last_is_seal = it.record.type == POSKO_REC_SEAL;
        } else if (it.kind == POSKO_READ_DAMAGED) {
            last_is_seal = 0;
        } else {
            break;
        }
    }
    return rd.sealed && last_is_seal && rd.offset == size;
}

/* -- removing ------------------------------------------------------------- */

/* Decides about one segment and removes it if it may go.  Returns -1 only
 * on a database failure, which stops the run. */
static int posko_prune_segment(posko_prune_t *p, const char *name,
                               int finished) {
    char path[4096];
    struct stat sb;
    uint8_t *buf = NULL;
    size_t size = 0;
    long long loaded;
    int sealed;

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", p->args->wal, name) >=
        sizeof(path)) {
        fprintf(stderr, "posko prune: the path of %s is too long\n", name);
        p->failed = 1;
        p->kept++;
        return 0;
    }
    if (lstat(path, &sb) != 0) {
        fprintf(stderr, "posko prune: cannot stat %s: %s\n", path,
                strerror(errno));
        p->failed = 1;
        p->kept++;
        return 0;
    }
    if (!S_ISREG(sb.st_mode) || !posko_prune_old(p, &sb)) {
        p->kept++;
        return 0;
    }
    loaded = posko_checkpoint_of(p->checkpoint, name);
    if (loaded == -2) {
        posko_db_error(sqlite3_db_handle(p->checkpoint),
                       "cannot read the checkpoints");
        return -1;
    }
    if (loaded != (long long)sb.st_size) {
        p->kept++;
        return 0;
    }
    if (posko_segment_read(path, &buf, &size) != 0) {
        p->failed = 1;
        p->kept++;
        return 0;
    }
    /* the bytes read decide: a sealed segment cannot have changed since */
    sealed =
        (long long)size == loaded && posko_prune_sealed(buf, size, finished);
    free(buf);
    if (!sealed) {
        p->kept++;
        return 0;
    }

    if (!p->args->dry_run && unlink(path) != 0) {
        fprintf(stderr, "posko prune: cannot remove %s: %s\n", path,
                strerror(errno));
        p->failed = 1;
        p->kept++;
        return 0;
    }
    printf("%s %s (%zu bytes)\n", p->args->dry_run ? "would remove" : "removed",
           name, size);
    p->removed++;
    p->bytes += (long long)size;
    return 0;
}

/* Makes the removals durable: a directory's entries are its data. */
static int posko_prune_sync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0 || fsync(fd) != 0) {
        fprintf(stderr, "posko prune: cannot sync directory %s: %s\n", dir,
                strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    close(fd);
    return 0;
}

/* -- the command ---------------------------------------------------------- */

static int posko_prune_run(int argc, char **argv) {
    posko_prune_args_t args = {0};
    posko_prune_t p;
    posko_segment_list_t list;
    sqlite3 *db;
    int rc, lock;

    rc = posko_opt_parse(&posko_prune_command, argc, argv, &args);
    if (rc != POSKO_OPT_GO) {
        return rc;
    }
    memset(&p, 0, sizeof(p));
    p.args = &args;
    clock_gettime(CLOCK_REALTIME, &p.cutoff);
    p.cutoff.tv_sec -= (time_t)args.days * 86400;

    /* the database first, so that a mistyped path leaves no lock file */
    db = posko_db_open(args.db_path, 1);
    if (db == NULL) {
        return POSKO_EXIT_FAIL;
    }
    lock = posko_ingest_lock(args.db_path, "prune", "removed");
    if (lock < 0) {
        sqlite3_close(db);
        return POSKO_EXIT_FAIL;
    }
    if (sqlite3_prepare_v2(db, POSKO_CHECKPOINT_SQL, -1, &p.checkpoint,
                           NULL) != SQLITE_OK) {
        posko_db_error(db, "cannot read the checkpoints");
        sqlite3_close(db);
        close(lock);
        return POSKO_EXIT_FAIL;
    }
    if (posko_segments_list(args.wal, &list) != 0) {
        sqlite3_finalize(p.checkpoint);
        sqlite3_close(db);
        close(lock);
        return POSKO_EXIT_FAIL;
    }

    rc = POSKO_EXIT_OK;
    for (size_t i = 0; i < list.count; i++) {
        if (posko_prune_segment(&p, list.names[i], list.finished[i]) != 0) {
            p.kept += (long)(list.count - i);
            rc = POSKO_EXIT_FAIL;
            break;
        }
    }
    if (p.removed > 0 && !args.dry_run && posko_prune_sync_dir(args.wal) != 0) {
        rc = POSKO_EXIT_FAIL;
    }
    posko_segments_free(&list);
    sqlite3_finalize(p.checkpoint);
    sqlite3_close(db);
    close(lock);

    printf("prune: %ld segments %s, %lld bytes; %ld kept%s\n", p.removed,
           args.dry_run ? "would be removed" : "removed", p.bytes, p.kept,
           args.dry_run ? " (dry run: nothing was removed)" : "");
    return p.failed ? POSKO_EXIT_FAIL : rc;
}

const posko_command_t posko_prune_command = {
    "prune", posko_prune_run, posko_prune_opts, posko_prune_check,
    "remove old WAL segments that are loaded",
    posko_prune_about, NULL};
