/*
 * ingest.c - `posko ingest`: loads the write-ahead log into SQLite.
 *
 * Each segment is loaded in its own transaction, which also stores how far
 * into the segment ingest has come (table checkpoints).  Because the
 * position and the rows commit together, ingest can be stopped at any
 * moment and run again without loading anything twice.  Only one ingest
 * runs on a database at a time (FILE.lock); the position is also read
 * inside the write transaction (BEGIN IMMEDIATE), so even ingests that
 * bypass the lock could not load a record twice.
 *
 * The segment is walked with the shared reader (include/posko_walread.h):
 *   - an intact record is loaded, or quarantined with the reason when its
 *     content cannot be loaded (unknown type, missing field, a tracking
 *     code already loaded); seal records are skipped;
 *   - a damaged stretch is quarantined with its bytes and offset, and
 *     loading goes on after it, so one flipped bit never hides the records
 *     behind it;
 *   - an unfinished tail (the writer may still be writing it) stops the
 *     segment; the checkpoint stays before it and the next run looks again.
 */
#include "apply.h"
#include "posko.h"
#include "posko_form.h"
#include "posko_record.h"
#include "posko_wal.h"
#include "posko_walread.h"
#include "progress.h"
#include "quarantine.h"
#include "reference.h"
#include "times.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *get_checkpoint;
    sqlite3_stmt *put_checkpoint;
    sqlite3_stmt *insert_complaint;
    posko_quarantine_t quarantine;
    posko_apply_t *followups;
    posko_apply_t *feedback;
    posko_targets_t targets;
    posko_progress_t progress;
    uint64_t done_bytes; /* of the segments finished this run */
    uint64_t seen;       /* records read this run */
    long loaded;
    long segments;
    long pending_bytes; /* unfinished tails left for next time */
    long events;        /* follow-ups applied */
} posko_ingest_t;


static int posko_ingest_prepare(posko_ingest_t *in) {
    /* parenthesised: each SQL statement is one concatenated literal */
    static const char *const sql[] = {
        POSKO_CHECKPOINT_SQL,
        ("INSERT INTO checkpoints(segment, node, writer_pid, writer_start,"
         " sequence, offset, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
         " ON CONFLICT(segment) DO UPDATE SET offset = excluded.offset,"
         " updated_at = excluded.updated_at"),
        ("INSERT INTO complaints(kode, received_at, jenis, pelapor, kategori,"
         " lokasi, embarkasi, kloter, uraian, nama, telepon, email, rating,"
         " wal_segment, wal_offset, due_verify, due_solve) VALUES (?1, ?2,"
         " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
         " ?17)"),
    };
    sqlite3_stmt **const st[] = {&in->get_checkpoint, &in->put_checkpoint,
                                 &in->insert_complaint};

    if (posko_db_prepare_all(in->db, sql, st, sizeof(st) / sizeof(st[0]),
                             "cannot prepare ingest statements") != 0) {
        return -1;
    }
    return posko_quarantine_open(&in->quarantine, in->db);
}

static void posko_ingest_finalize(posko_ingest_t *in) {
    sqlite3_finalize(in->get_checkpoint);
    sqlite3_finalize(in->put_checkpoint);
    sqlite3_finalize(in->insert_complaint);
    posko_quarantine_close(&in->quarantine);
}

/* A record that names no code and no officer. */
static int posko_quarantine(posko_ingest_t *in, const posko_place_t *at,
                            const char *reason) {
    posko_value_t none = {NULL, 0};

    return posko_quarantine_put(&in->quarantine, at, reason, none, none);
}

/* Reads a submission's payload (posko_record.h); NULL or the reason it
 * cannot be loaded. */
static const char *posko_submission_parse(const posko_wal_record_t *rec,
                                          posko_record_t *sub) {
    const char *why;

    if (posko_record_decode(rec->type, rec->payload, rec->length, sub, &why) !=
        0) {
        return why;
    }
    if (sub->slot[POSKO_SUB_KODE].data == NULL ||
        sub->slot[POSKO_SUB_RECEIVED_AT].data == NULL) {
        return "missing kode or received_at";
    }
    for (int i = 0; i < POSKO_F_COUNT; i++) {
        if (posko_fields[i].required &&
            sub->slot[POSKO_SUB_FORM + i].data == NULL) {
            return "missing a required field";
        }
    }
    return NULL;
}

/* Loads one intact record.  Returns -1 only on a database failure. */
static int posko_ingest_record(posko_ingest_t *in,
                               const posko_wal_record_t *rec,
                               const posko_place_t *at) {
    posko_record_t sub;
    const char *why;
    posko_value_t kategori, received_at, rating;
    double verify_hours, solve_hours;
    char due_verify[32], due_solve[32];
    sqlite3_stmt *st = in->insert_complaint;
    int rc;

    if (rec->type == POSKO_REC_SEAL) {
        return 0; /* the writer closed the segment here */
    }
    if (rec->type == POSKO_REC_FOLLOWUP) {
        return posko_followups_take(in->followups, rec, at);
    }
    if (rec->type == POSKO_REC_FEEDBACK) {
        return posko_feedback_take(in->feedback, rec, at);
    }
    if (rec->type != POSKO_REC_SUBMISSION) {
        return posko_quarantine(in, at, "unknown record type");
    }
    why = posko_submission_parse(rec, &sub);
    if (why != NULL) {
        return posko_quarantine(in, at, why);
    }

    /* columns 1-12: kode, received_at and the form's text fields, in
     * slot order as the INSERT lists them */
    for (int i = POSKO_SUB_KODE; i < POSKO_SUB_FORM + POSKO_F_RATING; i++) {
        posko_db_bind_value(st, 1 + i, sub.slot[i]);
    }
    rating = sub.slot[POSKO_SUB_FORM + POSKO_F_RATING];
    if (rating.data != NULL && rating.len > 0) {
        sqlite3_bind_int(st, 13, rating.data[0] - '0');
    } else {
        sqlite3_bind_null(st, 13);
    }
    sqlite3_bind_text(st, 14, at->segment, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 15, at->offset);

    /* deadlines from the service-level targets of its category */
    kategori = sub.slot[POSKO_SUB_FORM + POSKO_F_KATEGORI];
    received_at = sub.slot[POSKO_SUB_RECEIVED_AT];
    posko_targets_for(&in->targets, (const char *)kategori.data, kategori.len,
                      &verify_hours, &solve_hours);
    if (posko_due_time((const char *)received_at.data, received_at.len,
                       verify_hours, due_verify) != 0 ||
        posko_due_time((const char *)received_at.data, received_at.len,
                       solve_hours, due_solve) != 0) {
        sqlite3_clear_bindings(st);
        return posko_quarantine(in, at, "received_at is not a UTC time");
    }
    sqlite3_bind_text(st, 16, due_verify, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 17, due_solve, -1, SQLITE_STATIC);

    rc = posko_db_done_unique(st, "cannot insert a complaint");
    if (rc == 1) {
        return posko_quarantine(in, at, "tracking code already loaded");
    }
    if (rc != 0) {
        return -1;
    }
    in->loaded++;
    return 0;
}

/* The segment's checkpoint: 0 when it has none yet, -1 on a database
 * failure. */
static long posko_checkpoint_get(posko_ingest_t *in, const char *segment) {
    long long offset = posko_checkpoint_of(in->get_checkpoint, segment);

    return offset == -1 ? 0 : offset == -2 ? -1 : (long)offset;
}

static int posko_checkpoint_put(posko_ingest_t *in, const char *segment,
                                const posko_wal_segment_t *seg, long offset) {
    sqlite3_stmt *st = in->put_checkpoint;
    char now[POSKO_TIME_SIZE];

    posko_time_now(now);
    sqlite3_bind_text(st, 1, segment, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, seg->node, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, seg->writer_pid);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)seg->writer_start);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)seg->sequence);
    sqlite3_bind_int64(st, 6, offset);
    sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
    return posko_db_done(st, "cannot store the checkpoint");
}

/* Walks the records of one segment from offset; returns the new offset,
 * or -1 on a database failure. */
static long posko_ingest_records(posko_ingest_t *in, const char *segment,
                                 const uint8_t *buf, size_t size, long offset,
                                 int finished) {
    posko_walread_t rd;
    posko_walread_item_t it;
    char reason[96];

    posko_walread_init(&rd, buf, size, (size_t)offset, finished);
    for (;;) {
        posko_walread_next(&rd, &it);
        posko_place_t at = {segment, (long)it.offset, buf + it.offset,
                            it.length};

        posko_progress_tick(&in->progress,
                            in->done_bytes + (rd.offset - (size_t)offset),
                            ++in->seen);
        if (it.kind == POSKO_READ_RECORD) {
            if (posko_ingest_record(in, &it.record, &at) != 0) {
                return -1;
            }
            continue;
        }
        if (it.kind == POSKO_READ_DAMAGED) {
            snprintf(reason, sizeof(reason), "damaged record (%s)",
                     posko_wal_strerror(it.error));
            if (posko_quarantine(in, &at, reason) != 0) {
                return -1;
            }
            continue;
        }
        break; /* the end, or a tail still being written */
    }
    in->pending_bytes += (long)(size - rd.offset);
    in->done_bytes += size - (size_t)offset;
    return (long)rd.offset;
}

static int posko_ingest_segment(posko_ingest_t *in, const char *dir,
                                const char *name, int finished) {
    char path[4096];
    uint8_t *buf = NULL;
    size_t size = 0;
    posko_wal_segment_t seg;
    long offset, done;
    int rc;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (posko_segment_read(path, &buf, &size) != 0) {
        return -1;
    }
    if (size < POSKO_WAL_HEADER_SIZE) {
        free(buf); /* being created: its header is not complete yet */
        return 0;
    }

    if (sqlite3_exec(in->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
        SQLITE_OK) {
        posko_db_error(in->db, "cannot begin a transaction");
        free(buf);
        return -1;
    }
    offset = posko_checkpoint_get(in, name);
    if (offset < 0) {
        posko_db_error(in->db, "cannot read the checkpoint");
        goto failed;
    }

    rc = posko_wal_header_decode(buf, size, &seg);
    if (rc != POSKO_WAL_OK) {
        posko_place_t header = {name, 0, buf, POSKO_WAL_HEADER_SIZE};

        if (offset == 0 &&
            posko_quarantine(in, &header, "segment header is damaged") != 0) {
            goto failed;
        }
        /* the records carry their own checksums: still load them */
        memset(&seg, 0, sizeof(seg));
        strcpy(seg.node, "?");
    }
    if (offset == 0) {
        offset = POSKO_WAL_HEADER_SIZE;
    }
    done = posko_ingest_records(in, name, buf, size, offset, finished);
    if (done < 0) {
        goto failed;
    }
    if (posko_checkpoint_put(in, name, &seg, done) != 0) {
        goto failed;
    }
    if (sqlite3_exec(in->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        posko_db_error(in->db, "cannot commit");
        goto failed;
    }
    in->segments++;
    free(buf);
    return 0;

failed:
    sqlite3_exec(in->db, "ROLLBACK", NULL, NULL, NULL);
    free(buf);
    return -1;
}

/* Bytes of the WAL not loaded yet, for the progress line. */
static uint64_t posko_ingest_todo(posko_ingest_t *in, const char *dir,
                                  const posko_segment_list_t *list) {
    uint64_t todo = 0;
    char path[4096];
    struct stat st;

    for (size_t i = 0; i < list->count; i++) {
        long offset = posko_checkpoint_get(in, list->names[i]);

        snprintf(path, sizeof(path), "%s/%s", dir, list->names[i]);
        if (offset >= 0 && stat(path, &st) == 0 && st.st_size > offset) {
            todo += (uint64_t)(st.st_size - (offset > 0 ? offset : 0));
        }
    }
    return todo;
}

/* The reference data and targets, in a transaction of their own. */
static int posko_ingest_reference(posko_ingest_t *in, const char *path) {
    if (sqlite3_exec(in->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
        SQLITE_OK) {
        posko_db_error(in->db, "cannot begin a transaction");
        return -1;
    }
    if (posko_reference_load(in->db, path, &in->targets) != 0) {
        sqlite3_exec(in->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    if (sqlite3_exec(in->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        posko_db_error(in->db, "cannot commit the reference data");
        sqlite3_exec(in->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

typedef struct {
    const char *wal;
    const char *db_path;
    const char *ref;
} posko_ingest_args_t;

static const char posko_ingest_about[] =
    "Reads every segment in DIR and loads each complete record that the\n"
    "database does not hold yet: complaints, and officers' follow-ups\n"
    "along the lifecycle.  Safe to run again at any time, and to kill:\n"
    "the position reached in each segment is stored in the same\n"
    "transaction as the rows, so nothing is loaded twice.  Records that\n"
    "cannot be loaded are kept in the table quarantine with the reason.\n"
    "On a terminal it shows its progress; it always ends with one line:\n"
    "ingest: N loaded, N quarantined, N segments, N bytes waiting,\n"
    "N follow-ups applied.  Exit 1 when another ingest runs on FILE, the\n"
    "reference data are wrong, or the database fails.\n";

static const posko_opt_t posko_ingest_opts[] = {
    POSKO_OPT_WAL(posko_ingest_args_t),
    {"--db", POSKO_OPT_VALUE, "FILE", 1, offsetof(posko_ingest_args_t, db_path),
     "the database, made when missing"},
    {"--ref", POSKO_OPT_VALUE, "FILE", 0, offsetof(posko_ingest_args_t, ref),
     "the reference data: categories,\nlocations, embarkations, units,\n"
     "service-level targets (default\n" POSKO_DEFAULT_REF ")"},
    POSKO_OPT_END,
};

static int posko_ingest_run(int argc, char **argv) {
    posko_ingest_args_t args = {0};
    const char *wal, *dbpath, *ref;
    posko_ingest_t in;
    posko_segment_list_t list;
    int lock, status = POSKO_EXIT_OK;
    int rc = posko_opt_parse(&posko_ingest_command, argc, argv, &args);

    if (rc != POSKO_OPT_GO) {
        return rc;
    }
    wal = args.wal;
    dbpath = args.db_path;
    ref = args.ref != NULL ? args.ref : POSKO_DEFAULT_REF;

    lock = posko_ingest_lock(dbpath, "ingest", "loaded");
    if (lock < 0) {
        return POSKO_EXIT_FAIL;
    }
    if (posko_segments_list(wal, &list) != 0) {
        close(lock);
        return POSKO_EXIT_FAIL;
    }

    memset(&in, 0, sizeof(in));
    in.db = posko_db_open(dbpath, 0);
    if (in.db == NULL || posko_ingest_prepare(&in) != 0 ||
        (in.followups = posko_followups_open(in.db, &in.quarantine)) ==
            NULL ||
        (in.feedback = posko_feedback_open(in.db, &in.quarantine)) == NULL ||
        posko_ingest_reference(&in, ref) != 0) {
        status = POSKO_EXIT_FAIL;
    }
    posko_progress_start(&in.progress, "ingest",
                         status == POSKO_EXIT_OK
                             ? posko_ingest_todo(&in, wal, &list)
                             : 0);
    for (size_t i = 0; i < list.count && status == POSKO_EXIT_OK; i++) {
        if (posko_ingest_segment(&in, wal, list.names[i], list.finished[i]) !=
            0) {
            fprintf(stderr, "posko: ingest stopped at segment %s\n",
                    list.names[i]);
            status = POSKO_EXIT_FAIL;
        }
    }
    posko_progress_end(&in.progress);

    /* follow-ups that waited for their complaint or an earlier step */
    if (status == POSKO_EXIT_OK && posko_followups_settle(in.followups) != 0) {
        fprintf(stderr, "posko: ingest could not settle pending follow-ups\n");
        status = POSKO_EXIT_FAIL;
    }
    if (in.followups != NULL) {
        in.events = in.followups->applied;
    }
    if (in.feedback != NULL) {
        /* the pilgrims' answers count as follow-ups in the summary */
        in.events += in.feedback->applied;
    }
    posko_apply_close(in.followups);
    posko_apply_close(in.feedback);
    posko_segments_free(&list);
    posko_ingest_finalize(&in);
    sqlite3_close(in.db);
    close(lock);

    if (status == POSKO_EXIT_OK) {
        printf("ingest: %ld loaded, %ld quarantined, %ld segments, "
               "%ld bytes waiting, %ld follow-ups applied\n",
               in.loaded, in.quarantine.count, in.segments, in.pending_bytes,
               in.events);
    }
    return status;
}

const posko_command_t posko_ingest_command = {
    "ingest", posko_ingest_run, posko_ingest_opts, NULL,
    "load new WAL records into the SQLite database",
    posko_ingest_about, NULL};
