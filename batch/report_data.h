/*
 * report_data.h - every figure of the daily evaluation report, computed
 * from the database as of the end of the report's day (report_data.c).
 *
 * The day runs from local midnight to local midnight in the report's
 * zone; "as of" means counting only what had happened before the day
 * ended, so a report for a past day gives the same figures however much
 * was loaded since.  The definitions, in the words leadership reads them,
 * are in docs/report.md.
 */
#ifndef POSKO_REPORT_DATA_H
#define POSKO_REPORT_DATA_H

#include "times.h"

#include <sqlite3.h>
#include <stddef.h>

#define POSKO_RD_JENIS 4   /* kritik, saran, aduan, informasi */
#define POSKO_RD_GROUPS 64 /* rows of a breakdown at most */
#define POSKO_RD_DAYS 60   /* days of the trend at most */
#define POSKO_RD_LIST 10   /* complaints listed at most */
#define POSKO_RD_ATTENTION 3

/* The share of complaints handled within target that the minimum service
 * standard asks for, in percent. */
#define POSKO_RD_STANDARD 80.0

/* One row of a breakdown: a code, the name people read, counts. */
typedef struct {
    char key[64];
    char name[96];
    long day;
    long season;
} posko_rd_count_t;

typedef struct {
    posko_rd_count_t row[POSKO_RD_GROUPS];
    int n;
} posko_rd_breakdown_t;

/* A service category's or an officers' unit's season, as of the day. */
typedef struct {
    char key[64];
    char name[96];
    long volume;          /* received */
    long verified;        /* verified (factual or not) */
    long factual;         /* of those, factual */
    long solve_due;       /* solved, or factual and past its solve deadline */
    long solved_on_time;  /* solved by its deadline */
    long verify_due;      /* verified, or past its verification deadline */
    long verified_on_time;
    long rating_n;        /* pilgrims' ratings given */
    long day_verified, day_factual, day_solved, solved;
    long open, overdue;          /* at the day's end */
    double oldest_overdue_days;  /* the longest wait past a deadline */
    double rating_mean;   /* 1..5, 0 when none */
    long handling_n;      /* pilgrims' ratings of the handling, once solved */
    double handling_mean; /* 1..5, 0 when none */
    long verify_n, solve_n;        /* response times known */
    double verify_p50, verify_p90; /* hours from receipt */
    double solve_p50, solve_p90;
    double verify_target, solve_target; /* hours, from the targets */
} posko_rd_eval_t;

typedef struct {
    posko_rd_eval_t row[POSKO_RD_GROUPS];
    int n;
} posko_rd_evals_t;

/* A complaint in a list: never a name, a phone number or an e-mail. */
typedef struct {
    char kode[16];
    char kategori[96];
    char lokasi[96];
    char embarkasi[96];      /* "Solo (SOC)" */
    char embarkasi_kode[16]; /* "SOC", for narrow columns */
    char status[24];
    double age_days; /* from receipt to the end of the day */
    char excerpt[400]; /* the description's start, numbers and addresses hidden */
} posko_rd_item_t;

typedef struct {
    posko_rd_item_t item[POSKO_RD_LIST];
    int n;
    long total; /* how many there are in all */
} posko_rd_list_t;

typedef struct {
    /* the window */
    char date[11];    /* YYYY-MM-DD, the report's day */
    char tz[64];
    char from_utc[POSKO_TIME_SIZE]; /* the day's bounds, as stored times */
    char to_utc[POSKO_TIME_SIZE];
    char season_start[11]; /* the first day with a submission, or date */
    double tz_hours;  /* the zone's offset from UTC on the day */

    /* page one */
    long day_jenis[POSKO_RD_JENIS], season_jenis[POSKO_RD_JENIS];
    long day_total, season_total;
    /* every complaint as one evaluation row, the categories' rows summed:
     * verified, factual, solved, on time over the season, day_verified,
     * day_factual, day_solved on the day, open and overdue at its end */
    posko_rd_eval_t all;
    char attention[POSKO_RD_ATTENTION][320];
    int nattention;

    /* the trend, one point per local day, the report's day last */
    char day_label[POSKO_RD_DAYS][11];
    double day_in[POSKO_RD_DAYS];
    double day_out[POSKO_RD_DAYS];
    int ndays;
    /* received per day for each eval_kategori row, for small multiples */
    double kategori_day_in[POSKO_RD_GROUPS][POSKO_RD_DAYS];

    /* breakdowns */
    posko_rd_breakdown_t by_kategori, by_lokasi, by_embarkasi, by_pelapor;

    /* evaluation and response times */
    posko_rd_evals_t eval_kategori, eval_unit;

    /* lists */
    posko_rd_list_t oldest_open, new_factual;
} posko_report_data_t;

/* Computes every figure for the day (YYYY-MM-DD, checked by the caller)
 * in the zone, in one read transaction.  Prints a sentence and returns -1
 * on a database failure. */
int posko_report_data_load(sqlite3 *db, const char *date, const char *tz,
                           posko_report_data_t *d);

/* 12345 -> "12.345": whole numbers as Indonesian writes them. */
const char *posko_rd_int(long v, char buf[32]);

/* 85.71 -> "85,7": one decimal, with the comma Indonesian writes. */
const char *posko_rd_decimal(double v, char buf[32]);

/* Percent a of b, 0 when b is 0. */
double posko_rd_percent(long a, long b);

#endif
