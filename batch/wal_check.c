/*
 * wal_check.c - `posko wal check DIR`: reads every segment of a WAL
 * directory the way ingest does and reports what it finds, without
 * touching any database: each segment's header, its records, whether it
 * is sealed, and every damaged stretch and unfinished tail with offsets.
 *
 * Exit status: 0 when nothing is damaged (an unfinished tail is normal
 * while nginx writes), 1 when something is, 2 on wrong usage.
 */
#include "posko.h"
#include "posko_wal.h"
#include "posko_walread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    long records;
    long damaged;
    long tails;
    long bad_headers;
} posko_check_totals_t;

static void posko_check_segment(const char *dir, const char *name, int finished,
                                posko_check_totals_t *t) {
    char path[4096];
    uint8_t *buf;
    size_t size;
    posko_wal_segment_t seg;
    posko_walread_t rd;
    posko_walread_item_t it;
    long records = 0, by_type[4] = {0, 0, 0, 0};
    int rc;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (posko_segment_read(path, &buf, &size) != 0) {
        t->bad_headers++;
        return;
    }
    printf("%s: %zu bytes\n", name, size);
    rc = posko_wal_header_decode(buf, size, &seg);
    if (rc == POSKO_WAL_OK) {
        printf("  node %s, writer %u started %llu, sequence %llu\n", seg.node,
               seg.writer_pid, (unsigned long long)seg.writer_start,
               (unsigned long long)seg.sequence);
    } else if (rc == POSKO_WAL_SHORT) {
        printf("  header incomplete (%zu of %d bytes): being created\n", size,
               POSKO_WAL_HEADER_SIZE);
        free(buf);
        return;
    } else {
        printf("  DAMAGED header at offset 0: %s\n", posko_wal_strerror(rc));
        t->bad_headers++;
    }

    posko_walread_init(&rd, buf, size, POSKO_WAL_HEADER_SIZE, finished);
    for (;;) {
        posko_walread_next(&rd, &it);
        if (it.kind == POSKO_READ_RECORD) {
            if (it.record.type == POSKO_REC_SEAL) {
                continue; /* shown as "sealed", not counted */
            }
            records++;
            by_type[it.record.type < POSKO_REC_SEAL ? it.record.type : 0]++;
        } else if (it.kind == POSKO_READ_DAMAGED) {
            printf("  DAMAGED at offset %zu: %zu bytes (%s)\n", it.offset,
                   it.length, posko_wal_strerror(it.error));
            t->damaged++;
        } else if (it.kind == POSKO_READ_TAIL) {
            printf("  unfinished tail at offset %zu: %zu bytes (%s)\n",
                   it.offset, it.length, posko_wal_strerror(it.error));
            t->tails++;
            break;
        } else {
            break;
        }
    }
    printf("  %ld records: %ld submissions, %ld follow-ups, %ld other; %s\n",
           records, by_type[POSKO_REC_SUBMISSION], by_type[POSKO_REC_FOLLOWUP],
           by_type[0],
           rd.sealed  ? "sealed"
           : finished ? "finished"
                      : "open");
    t->records += records;
    free(buf);
}

typedef struct {
    posko_opt_list_t words; /* "check" DIR */
} posko_wal_args_t;

/* "check" is the one thing `posko wal` does. */
static int posko_wal_check(const posko_command_t *cmd, void *args) {
    const posko_wal_args_t *a = args;

    if (strcmp(a->words.v[0], "check") != 0) {
        return posko_opt_usage(cmd,
                               "'%s' is not a wal command (wal check DIR)",
                               a->words.v[0]);
    }
    return POSKO_OPT_GO;
}

static int posko_wal_run(int argc, char **argv) {
    posko_wal_args_t args = {0};
    posko_segment_list_t list;
    posko_check_totals_t t;
    const char *dir;
    int rc = posko_opt_parse(&posko_wal_command, argc, argv, &args);

    if (rc != POSKO_OPT_GO) {
        return rc;
    }
    dir = args.words.v[1];
    if (posko_segments_list(dir, &list) != 0) {
        return POSKO_EXIT_FAIL;
    }
    memset(&t, 0, sizeof(t));
    for (size_t i = 0; i < list.count; i++) {
        posko_check_segment(dir, list.names[i], list.finished[i], &t);
    }
    printf("wal check: %zu segments, %ld records, %ld damaged, "
           "%ld unfinished tails, %ld bad headers\n",
           list.count, t.records, t.damaged, t.tails, t.bad_headers);
    posko_segments_free(&list);
    return t.damaged || t.bad_headers ? POSKO_EXIT_FAIL : POSKO_EXIT_OK;
}

static const char posko_wal_about[] =
    "Reports every segment in DIR: its header, its records, whether it is\n"
    "sealed, and every damaged stretch and unfinished tail with its\n"
    "offset.  Exit status 1 when anything is damaged.\n";

static const posko_operands_t posko_wal_operands = {
    "check DIR", 2, 2, offsetof(posko_wal_args_t, words)};

const posko_command_t posko_wal_command = {
    "wal", posko_wal_run, NULL, posko_wal_check,
    "check a WAL directory for damage",
    posko_wal_about, &posko_wal_operands};
