/*
 * report_data.c - computes every figure of the daily evaluation report
 * from the database, as of the end of the report's day.
 *
 * It places the day in its time zone, sets up the rows of the breakdowns
 * and evaluations in the form's order, lets report_scan.c read every
 * complaint once (each into its category's row, its unit's and the row
 * of all), and then finishes: names from the reference tables, targets,
 * the points that need attention, and the details of the listed
 * complaints.
 *
 * "As of the day's end" uses the times each complaint carries
 * (verified_at, solved_at, closed_at, due_verify, due_solve) compared
 * with the day's end, so later follow-ups do not change a past report.
 */
#include "report_data.h"
#include "report_scan.h"
#include "posko.h"
#include "posko_excerpt.h"
#include "posko_form.h"
#include "times.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    sqlite3 *db;
    posko_report_data_t *d;
    char week_from[POSKO_TIME_SIZE]; /* seven days before the day, UTC */
    char shift[32];     /* "+180 minutes": UTC to local time */
    posko_rd_scan_t scan;
} rd_t;

/* 12345 -> "12.345", as Indonesian writes numbers */
const char *posko_rd_decimal(double v, char buf[32]) {
    char *dot;

    snprintf(buf, 32, "%.1f", v);
    if ((dot = strchr(buf, '.')) != NULL) {
        *dot = ',';
    }
    return buf;
}

const char *posko_rd_int(long v, char buf[32]) {
    char digits[32];
    int n = snprintf(digits, sizeof(digits), "%ld", v < 0 ? -v : v);
    int o = 0;

    if (v < 0) {
        buf[o++] = '-';
    }
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            buf[o++] = '.';
        }
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

double posko_rd_percent(long a, long b) {
    return b > 0 ? 100.0 * (double)a / (double)b : 0.0;
}

/* -- small helpers -------------------------------------------------------- */

static int rd_prepare(rd_t *rd, const char *sql, sqlite3_stmt **st) {
    if (sqlite3_prepare_v2(rd->db, sql, -1, st, NULL) != SQLITE_OK) {
        posko_db_error(rd->db, "cannot read the report's figures");
        return -1;
    }
    sqlite3_bind_text(*st, 1, rd->d->from_utc, -1, SQLITE_STATIC);
    sqlite3_bind_text(*st, 2, rd->d->to_utc, -1, SQLITE_STATIC);
    return 0;
}

static int rd_done(rd_t *rd, sqlite3_stmt *st, int rc) {
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        posko_db_error(rd->db, "cannot read the report's figures");
        return -1;
    }
    return 0;
}

static void rd_copy(char *dst, size_t size, const unsigned char *src) {
    snprintf(dst, size, "%s", src != NULL ? (const char *)src : "");
}

static int rd_window(rd_t *rd, const char *date, const char *tz) {
    posko_report_data_t *d = rd->d;
    time_t from, to, noon;
    struct tm local;

    snprintf(d->date, sizeof(d->date), "%s", date);
    snprintf(d->tz, sizeof(d->tz), "%s", tz);
    posko_tz_use(tz);
    from = posko_day_start(date, 0);
    to = posko_day_start(date, 1);
    noon = from + 12 * 3600;
    if (from == (time_t)-1 || to == (time_t)-1 ||
        localtime_r(&noon, &local) == NULL ||
        posko_time_format((long long)from * 1000, d->from_utc) != 0 ||
        posko_time_format((long long)to * 1000, d->to_utc) != 0 ||
        posko_time_format((long long)posko_day_start(date, -7) * 1000,
                          rd->week_from) != 0) {
        fprintf(stderr, "posko report: cannot place %s in time zone %s\n",
                date, tz);
        return -1;
    }
    d->tz_hours = (double)local.tm_gmtoff / 3600.0;
    snprintf(rd->shift, sizeof(rd->shift), "%+ld minutes",
             (long)(local.tm_gmtoff / 60));
    return 0;
}

/* -- names ---------------------------------------------------------------- */

/* The name people read for a code, from a reference table; the code,
 * tidied, when the table does not know it. */
static void rd_name(rd_t *rd, const char *table, const char *key, char *out,
                    size_t size) {
    char sql[128];
    sqlite3_stmt *st;

    if (key == NULL || key[0] == '\0') {
        snprintf(out, size, "(tidak diisi)");
        return;
    }
    snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE kode = ?1",
             table != NULL && strcmp(table, "ref_embarkasi") == 0
                 ? "kota || ' (' || kode || ')'"
                 : "nama",
             table != NULL ? table : "");
    if (table != NULL &&
        sqlite3_prepare_v2(rd->db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            rd_copy(out, size, sqlite3_column_text(st, 0));
            sqlite3_finalize(st);
            return;
        }
        sqlite3_finalize(st);
    }
    /* "bimbingan_ibadah" reads as "Bimbingan ibadah" */
    snprintf(out, size, "%s", key);
    for (char *p = out; *p; p++) {
        if (*p == '_') {
            *p = ' ';
        }
    }
    if (out[0] >= 'a' && out[0] <= 'z') {
        out[0] = (char)(out[0] - 'a' + 'A');
    }
}

/* -- breakdowns ----------------------------------------------------------- */

static void rd_breakdown_init(posko_rd_breakdown_t *b, posko_field_id_t f) {
    memset(b, 0, sizeof(*b));
    for (const char *const *v = posko_fields[f].values; v && *v; v++) {
        posko_rd_count_row(b, *v);
    }
}

static void rd_breakdown_names(rd_t *rd, posko_rd_breakdown_t *b,
                               const char *table) {
    for (int i = 0; i < b->n; i++) {
        rd_name(rd, table, b->row[i].key, b->row[i].name,
                sizeof(b->row[i].name));
    }
}

/* The targets in hours for a category (the defaults for one not listed). */
static void rd_targets(rd_t *rd, posko_rd_eval_t *r) {
    sqlite3_stmt *st;
    static const char sql[] =
        "SELECT (SELECT jam FROM sla WHERE langkah = 'verifikasi' AND"
        " kategori IN (?1, '*') ORDER BY kategori = '*' LIMIT 1),"
        " (SELECT jam FROM sla WHERE langkah = 'selesai' AND"
        " kategori IN (?1, '*') ORDER BY kategori = '*' LIMIT 1)";

    if (sqlite3_prepare_v2(rd->db, sql, -1, &st, NULL) != SQLITE_OK) {
        return;
    }
    sqlite3_bind_text(st, 1, r->key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->verify_target = sqlite3_column_double(st, 0);
        r->solve_target = sqlite3_column_double(st, 1);
    }
    sqlite3_finalize(st);
}

/* -- the trend's days ------------------------------------------------------ */

/* The days the trend shows: from the season's first day (in local time),
 * at most POSKO_RD_DAYS, the report's day last. */
static int rd_trend_days(rd_t *rd) {
    posko_report_data_t *d = rd->d;
    sqlite3_stmt *st;
    char first[40] = "", midnight[32];
    int rc, back;

    if (rd_prepare(rd,
                   "SELECT strftime('%Y-%m-%d', min(received_at), ?3)"
                   " FROM complaints WHERE received_at < ?2",
                   &st) != 0) {
        return -1;
    }
    sqlite3_bind_text(st, 3, rd->shift, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        rd_copy(first, sizeof(first), sqlite3_column_text(st, 0));
        rc = SQLITE_DONE;
    }
    if (rd_done(rd, st, rc) != 0) {
        return -1;
    }
    snprintf(d->season_start, sizeof(d->season_start), "%s",
             first[0] ? first : d->date);

    for (back = POSKO_RD_DAYS - 1; back > 0; back--) {
        char label[11];
        time_t t = posko_day_start(d->date, -back) + 12 * 3600;
        struct tm tm;

        localtime_r(&t, &tm);
        strftime(label, sizeof(label), "%Y-%m-%d", &tm);
        if (strcmp(label, d->season_start) >= 0) {
            break;
        }
    }
    d->ndays = 0;
    for (int i = back; i >= 0; i--) {
        time_t t = posko_day_start(d->date, -i) + 12 * 3600;
        struct tm tm;

        localtime_r(&t, &tm);
        strftime(d->day_label[d->ndays], sizeof(d->day_label[0]), "%Y-%m-%d",
                 &tm);
        d->ndays++;
    }

    /* the first day's number, counted in local days since 1970 */
    snprintf(midnight, sizeof(midnight), "%sT00:00:00.000Z", d->day_label[0]);
    rd->scan.first_day = (long)(posko_time_parse(midnight) / 86400000LL);
    return 0;
}

/* -- lists ------------------------------------------------------------------ */

/* The listed complaints' details, in the order they were picked. */
static int rd_list(rd_t *rd, const posko_rd_pick_t *picks, int n,
                   posko_rd_list_t *l) {
    sqlite3_stmt *st;
    int rc = SQLITE_DONE;

    l->n = 0;
    if (rd_prepare(rd,
                   "SELECT kode, kategori, lokasi, embarkasi,"
                   " CASE WHEN verified_at IS NOT NULL AND verified_at < ?2"
                   " THEN 'menunggu penyelesaian' ELSE 'menunggu verifikasi'"
                   " END, julianday(?2) - julianday(received_at), uraian"
                   " FROM complaints WHERE kode = ?3",
                   &st) != 0) {
        return -1;
    }
    for (int i = 0; i < n; i++) {
        posko_rd_item_t *it = &l->item[l->n];

        sqlite3_bind_text(st, 3, picks[i].kode, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            rd_copy(it->kode, sizeof(it->kode), sqlite3_column_text(st, 0));
            rd_name(rd, "ref_kategori",
                    (const char *)sqlite3_column_text(st, 1), it->kategori,
                    sizeof(it->kategori));
            rd_name(rd, "ref_lokasi", (const char *)sqlite3_column_text(st, 2),
                    it->lokasi, sizeof(it->lokasi));
            rd_name(rd, "ref_embarkasi",
                    (const char *)sqlite3_column_text(st, 3), it->embarkasi,
                    sizeof(it->embarkasi));
            rd_copy(it->embarkasi_kode, sizeof(it->embarkasi_kode),
                    sqlite3_column_text(st, 3));
            rd_copy(it->status, sizeof(it->status),
                    sqlite3_column_text(st, 4));
            it->age_days = sqlite3_column_double(st, 5);
            posko_excerpt((const char *)sqlite3_column_text(st, 6),
                          (size_t)sqlite3_column_bytes(st, 6), it->excerpt,
                          160);
            l->n++;
            rc = SQLITE_DONE;
        } else if (rc != SQLITE_DONE) {
            break;
        }
        sqlite3_reset(st);
    }
    return rd_done(rd, st, rc);
}

/* -- what needs attention --------------------------------------------------- */

/* The kinds of sentence, each with its band of weights. */
enum { RD_OVERDUE, RD_BELOW_STANDARD, RD_SURGE, RD_CALM, RD_KINDS };

typedef struct {
    int kind;
    double weight;
    char text[320];
} rd_point_t;

#define RD_POINTS (3 * POSKO_RD_GROUPS + 1)

static void rd_point(rd_point_t *p, int *n, int kind, double weight,
                     const char *text) {
    if (*n < RD_POINTS) {
        p[*n].kind = kind;
        p[*n].weight = weight;
        snprintf(p[*n].text, sizeof(p[*n].text), "%s", text);
        (*n)++;
    }
}

/* Orders points by weight, the heaviest first; equal weights keep their
 * order (the form's order of categories). */
static void rd_points_sort(rd_point_t *p, int n) {
    for (int i = 1; i < n; i++) {
        rd_point_t t = p[i];
        int j = i;

        for (; j > 0 && p[j - 1].weight < t.weight; j--) {
            p[j] = p[j - 1];
        }
        p[j] = t;
    }
}

/* Sentences from the figures: categories with complaints past their
 * deadline (weight 100 + how many), categories below the minimum
 * standard (50 + how far below), categories with twice their usual
 * reports today (40 + the ratio).  The heaviest of each kind is taken
 * first, so that three categories overdue do not hide one far below the
 * standard; the rest by weight; then all of them heaviest first. */
static void rd_attention(rd_t *rd) {
    posko_report_data_t *d = rd->d;
    rd_point_t *points = calloc(RD_POINTS, sizeof(*points));
    rd_point_t chosen[POSKO_RD_ATTENTION];
    int taken[RD_POINTS] = {0}, kind_done[RD_KINDS] = {0}, nchosen = 0;
    char text[320], count[32];
    int n = 0;

    if (points == NULL) {
        return;
    }
    for (int i = 0; i < d->eval_kategori.n; i++) {
        const posko_rd_eval_t *r = &d->eval_kategori.row[i];
        double share = posko_rd_percent(r->solved_on_time, r->solve_due);
        double usual = (double)rd->scan.week[i] / 7.0;
        long today = 0;

        if (r->overdue > 0) {
            snprintf(text, sizeof(text),
                     "%s laporan %s melewati tenggat; yang terlama sudah "
                     "menunggu %.0f hari.",
                     posko_rd_int(r->overdue, count), r->name,
                     floor(r->oldest_overdue_days));
            rd_point(points, &n, RD_OVERDUE, 100.0 + (double)r->overdue, text);
        }
        if (r->solve_due >= 5 && share < POSKO_RD_STANDARD) {
            snprintf(text, sizeof(text),
                     "Layanan %s: hanya %s%% aduan faktual selesai tepat "
                     "waktu (standar %.0f%%).",
                     r->name, posko_rd_decimal(share, count), POSKO_RD_STANDARD);
            rd_point(points, &n, RD_BELOW_STANDARD,
                     50.0 + (POSKO_RD_STANDARD - share), text);
        }
        for (int j = 0; j < d->by_kategori.n; j++) {
            if (strcmp(d->by_kategori.row[j].key, r->key) == 0) {
                today = d->by_kategori.row[j].day;
            }
        }
        if (today >= 5 && (double)today >= 2.0 * usual) {
            char mean[32];

            snprintf(text, sizeof(text),
                     "Laporan %s melonjak: %s hari ini, rata-rata 7 hari "
                     "sebelumnya %s.",
                     r->name, posko_rd_int(today, count),
                     posko_rd_decimal(usual, mean));
            rd_point(points, &n, RD_SURGE, 40.0 + (double)today / (usual + 1.0),
                     text);
        }
    }
    if (n == 0 && d->all.open > 0) {
        snprintf(text, sizeof(text),
                 "Tidak ada laporan yang melewati tenggat; %s masih "
                 "ditangani.",
                 posko_rd_int(d->all.open, count));
        rd_point(points, &n, RD_CALM, 0, text);
    } else if (n == 0) {
        rd_point(points, &n, RD_CALM, 0,
                 "Tidak ada laporan yang menunggu tindak lanjut.");
    }

    rd_points_sort(points, n);
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < n && nchosen < POSKO_RD_ATTENTION; i++) {
            if (taken[i] || (pass == 0 && kind_done[points[i].kind])) {
                continue;
            }
            taken[i] = 1;
            kind_done[points[i].kind] = 1;
            chosen[nchosen++] = points[i];
        }
    }
    rd_points_sort(chosen, nchosen);
    d->nattention = nchosen;
    for (int i = 0; i < nchosen; i++) {
        snprintf(d->attention[i], sizeof(d->attention[i]), "%s",
                 chosen[i].text);
    }
    free(points);
}

/* -- all of it -------------------------------------------------------------- */

int posko_report_data_load(sqlite3 *db, const char *date, const char *tz,
                           posko_report_data_t *d) {
    rd_t rd;
    int rc = -1;

    memset(d, 0, sizeof(*d));
    memset(&rd, 0, sizeof(rd));
    rd.db = db;
    rd.d = d;
    rd.scan.week_from = rd.week_from;
    if (rd_window(&rd, date, tz) != 0) {
        return -1;
    }

    /* the rows in the form's order, so that charts keep their order */
    rd_breakdown_init(&d->by_kategori, POSKO_F_KATEGORI);
    rd_breakdown_init(&d->by_lokasi, POSKO_F_LOKASI);
    rd_breakdown_init(&d->by_embarkasi, POSKO_F_EMBARKASI);
    rd_breakdown_init(&d->by_pelapor, POSKO_F_PELAPOR);
    for (const char *const *v = posko_fields[POSKO_F_KATEGORI].values; *v;
         v++) {
        snprintf(d->eval_kategori.row[d->eval_kategori.n++].key,
                 sizeof(d->eval_kategori.row[0].key), "%s", *v);
    }

    /* one read transaction: every figure from the same moment, while
     * ingest may be writing */
    if (sqlite3_exec(db, "PRAGMA mmap_size = 0", NULL, NULL,
                     NULL) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        posko_db_error(db, "cannot read the database");
        return -1;
    }
    if (rd_trend_days(&rd) == 0 && posko_rd_scan(db, d, &rd.scan) == 0) {
        rd_breakdown_names(&rd, &d->by_kategori, "ref_kategori");
        rd_breakdown_names(&rd, &d->by_lokasi, "ref_lokasi");
        rd_breakdown_names(&rd, &d->by_embarkasi, "ref_embarkasi");
        rd_breakdown_names(&rd, &d->by_pelapor, NULL);
        for (int g = 0; g < 2; g++) {
            posko_rd_evals_t *e = g ? &d->eval_unit : &d->eval_kategori;

            for (int i = 0; i < e->n; i++) {
                rd_name(&rd, g ? "ref_unit" : "ref_kategori", e->row[i].key,
                        e->row[i].name, sizeof(e->row[i].name));
                if (!g) {
                    rd_targets(&rd, &e->row[i]);
                }
            }
        }
        rd_attention(&rd);
        if (rd_list(&rd, rd.scan.oldest, rd.scan.noldest, &d->oldest_open) ==
                0 &&
            rd_list(&rd, rd.scan.fresh, rd.scan.nfresh, &d->new_factual) ==
                0) {
            rc = 0;
        }
    }
    d->oldest_open.total = d->all.open;
    d->new_factual.total = d->all.day_factual;
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc;
}
