/*
 * report_scan.h - the one pass over a season's complaints that most of
 * the report's figures come from (report_scan.c).
 */
#ifndef POSKO_REPORT_SCAN_H
#define POSKO_REPORT_SCAN_H

#include "report_data.h"

#include <sqlite3.h>

/* A complaint picked for a list, by the time it is listed in order of. */
typedef struct {
    char kode[16];
    char at[32];
} posko_rd_pick_t;

typedef struct {
    const char *week_from; /* seven local days before the day, UTC */
    long first_day;        /* the trend's first local day, days since 1970 */

    /* out: what report_data.c finishes */
    posko_rd_pick_t oldest[POSKO_RD_LIST]; /* open, oldest first */
    int noldest;
    posko_rd_pick_t fresh[POSKO_RD_LIST]; /* verified factual in the day */
    int nfresh;
    long week[POSKO_RD_GROUPS]; /* per category row: the 7 days before */
} posko_rd_scan_t;

/* Reads every complaint received before the day's end once and fills the
 * counts, breakdowns, evaluations, response times, trend and the picks.
 * The breakdown and evaluation rows must be set up (report_data.c);
 * returns -1 after a message on a database failure. */
int posko_rd_scan(sqlite3 *db, posko_report_data_t *d, posko_rd_scan_t *s);

/* The breakdown's row for key (NULL: not given), added if new. */
posko_rd_count_t *posko_rd_count_row(posko_rd_breakdown_t *b,
                                     const char *key);

#endif
