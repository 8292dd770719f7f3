/*
 * report_data.c - computes every figure of the daily evaluation report
 * from the database, as of the end of the report's day.
 *
 * A handful of scans, each grouping in SQLite what it can, so that a
 * season of a million complaints takes well under two seconds:
 *
 *   - submissions by type and their breakdowns (one GROUP BY over all
 *     complaints received by the day's end, summed up here);
 *   - the lifecycle's counts (verified, factual, solved, open, overdue,
 *     within target), for the season and per category and unit;
 *   - response times per category, streamed in order for the medians and
 *     90th percentiles;
 *   - the trend per local day, and the lists.
 *
 * "As of the day's end" uses the times each complaint carries
 * (verified_at, solved_at, closed_at, due_verify, due_solve) compared
 * with the day's end, so later follow-ups do not change a past report.
 */
#include "report_data.h"
#include "posko.h"
#include "posko_form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The conditions, as of ?2 (the day's end). */
#define RD_V "(verified_at IS NOT NULL AND verified_at < ?2)"
#define RD_S "(solved_at IS NOT NULL AND solved_at < ?2)"
#define RD_C "(closed_at IS NOT NULL AND closed_at < ?2)"
#define RD_OPEN                                                                \
    "(NOT " RD_S " AND NOT " RD_C " AND NOT (" RD_V " AND faktual = 0))"
#define RD_OVERDUE                                                             \
    "(" RD_OPEN " AND (CASE WHEN " RD_V " THEN due_solve < ?2"              \
    " ELSE due_verify < ?2 END))"
#define RD_VERIFY_DUE "(" RD_V " OR (NOT " RD_C " AND due_verify < ?2))"
#define RD_VERIFIED_ON_TIME "(" RD_V " AND verified_at <= due_verify)"
#define RD_SOLVE_DUE                                                           \
    "(" RD_S " OR (" RD_V " AND faktual = 1 AND NOT " RD_C                   \
    " AND due_solve < ?2))"
#define RD_SOLVED_ON_TIME "(" RD_S " AND solved_at <= due_solve)"

/* The columns of an evaluation row, after its key. */
#define RD_EVAL_COLUMNS                                                        \
    "count(*), sum(" RD_V "), sum(" RD_V " AND faktual = 1), sum("            \
    RD_SOLVE_DUE "), sum(" RD_SOLVED_ON_TIME "), sum(" RD_VERIFY_DUE        \
    "), sum(" RD_VERIFIED_ON_TIME "), count(rating), avg(rating),"           \
    " sum(" RD_V " AND verified_at >= ?1),"                                 \
    " sum(" RD_V " AND verified_at >= ?1 AND faktual = 1),"                 \
    " sum(" RD_S " AND solved_at >= ?1), sum(" RD_S "),"                    \
    " sum(" RD_OPEN "), sum(" RD_OVERDUE "),"                               \
    " max(CASE WHEN " RD_OVERDUE " THEN julianday(?2) -"                    \
    " julianday(received_at) END)"

typedef struct {
    sqlite3 *db;
    posko_report_data_t *d;
    char trend_from[32]; /* the first trend day's start, UTC */
    char week_from[32];  /* seven days before the day, UTC */
    char shift[32];      /* "+180 minutes": UTC to local time */
} rd_t;

/* 12345 -> "12.345", as Indonesian writes numbers */
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

static int rd_utc(time_t t, char *buf, size_t size) {
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL ||
        strftime(buf, size, "%Y-%m-%dT%H:%M:%S.000Z", &tm) == 0) {
        return -1;
    }
    return 0;
}

/* Local midnight of the day that is `shift` days from date, in TZ. */
static time_t rd_midnight(const char *date, int shift) {
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = atoi(date) - 1900;
    tm.tm_mon = atoi(date + 5) - 1;
    tm.tm_mday = atoi(date + 8) + shift;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

static int rd_window(rd_t *rd, const char *date, const char *tz) {
    posko_report_data_t *d = rd->d;
    time_t from, to, noon;
    struct tm local;

    snprintf(d->date, sizeof(d->date), "%s", date);
    snprintf(d->tz, sizeof(d->tz), "%s", tz);
    setenv("TZ", tz, 1);
    tzset();
    from = rd_midnight(date, 0);
    to = rd_midnight(date, 1);
    noon = from + 12 * 3600;
    if (from == (time_t)-1 || to == (time_t)-1 ||
        localtime_r(&noon, &local) == NULL ||
        rd_utc(from, d->from_utc, sizeof(d->from_utc)) != 0 ||
        rd_utc(to, d->to_utc, sizeof(d->to_utc)) != 0 ||
        rd_utc(rd_midnight(date, -7), rd->week_from, sizeof(rd->week_from)) !=
            0) {
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

/* The row for key, added (in the form's order first) if new. */
static posko_rd_count_t *rd_row(posko_rd_breakdown_t *b, const char *key) {
    const char *k = key != NULL ? key : "";

    for (int i = 0; i < b->n; i++) {
        if (strcmp(b->row[i].key, k) == 0) {
            return &b->row[i];
        }
    }
    if (b->n == POSKO_RD_GROUPS) {
        return &b->row[POSKO_RD_GROUPS - 1]; /* counted with the last */
    }
    snprintf(b->row[b->n].key, sizeof(b->row[0].key), "%s", k);
    return &b->row[b->n++];
}

static void rd_breakdown_init(posko_rd_breakdown_t *b, posko_field_id_t f) {
    memset(b, 0, sizeof(*b));
    for (const char *const *v = posko_fields[f].values; v && *v; v++) {
        rd_row(b, *v);
    }
}

static void rd_breakdown_names(rd_t *rd, posko_rd_breakdown_t *b,
                               const char *table) {
    for (int i = 0; i < b->n; i++) {
        rd_name(rd, table, b->row[i].key, b->row[i].name,
                sizeof(b->row[i].name));
    }
}

static int rd_submissions(rd_t *rd) {
    posko_report_data_t *d = rd->d;
    sqlite3_stmt *st;
    int rc;

    rd_breakdown_init(&d->by_kategori, POSKO_F_KATEGORI);
    rd_breakdown_init(&d->by_lokasi, POSKO_F_LOKASI);
    rd_breakdown_init(&d->by_embarkasi, POSKO_F_EMBARKASI);
    rd_breakdown_init(&d->by_pelapor, POSKO_F_PELAPOR);
    if (rd_prepare(rd,
                   "SELECT jenis, kategori, lokasi, embarkasi, pelapor,"
                   " received_at >= ?1, count(*) FROM complaints"
                   " WHERE received_at < ?2 GROUP BY 1, 2, 3, 4, 5, 6",
                   &st) != 0) {
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *jenis = (const char *)sqlite3_column_text(st, 0);
        int today = sqlite3_column_int(st, 5);
        long n = (long)sqlite3_column_int64(st, 6);
        posko_rd_count_t *row[4];

        for (int j = 0; j < POSKO_RD_JENIS; j++) {
            if (jenis != NULL &&
                strcmp(jenis, posko_fields[POSKO_F_JENIS].values[j]) == 0) {
                d->season_jenis[j] += n;
                d->day_jenis[j] += today ? n : 0;
            }
        }
        d->season_total += n;
        d->day_total += today ? n : 0;
        row[0] = rd_row(&d->by_kategori, (const char *)sqlite3_column_text(st, 1));
        row[1] = rd_row(&d->by_lokasi, (const char *)sqlite3_column_text(st, 2));
        row[2] = rd_row(&d->by_embarkasi, (const char *)sqlite3_column_text(st, 3));
        row[3] = rd_row(&d->by_pelapor, (const char *)sqlite3_column_text(st, 4));
        for (int i = 0; i < 4; i++) {
            row[i]->season += n;
            row[i]->day += today ? n : 0;
        }
    }
    if (rd_done(rd, st, rc) != 0) {
        return -1;
    }
    rd_breakdown_names(rd, &d->by_kategori, "ref_kategori");
    rd_breakdown_names(rd, &d->by_lokasi, "ref_lokasi");
    rd_breakdown_names(rd, &d->by_embarkasi, "ref_embarkasi");
    rd_breakdown_names(rd, &d->by_pelapor, NULL);
    return 0;
}

/* -- the lifecycle's counts: the categories' rows summed ------------------ */

static void rd_lifecycle(posko_report_data_t *d) {
    for (int i = 0; i < d->eval_kategori.n; i++) {
        const posko_rd_eval_t *r = &d->eval_kategori.row[i];

        d->day_verified += r->day_verified;
        d->season_verified += r->verified;
        d->day_factual += r->day_factual;
        d->season_factual += r->factual;
        d->day_solved += r->day_solved;
        d->season_solved += r->solved;
        d->open += r->open;
        d->overdue += r->overdue;
        d->verify_due += r->verify_due;
        d->verified_on_time += r->verified_on_time;
        d->solve_due += r->solve_due;
        d->solved_on_time += r->solved_on_time;
    }
}

/* -- evaluation per category and per unit ---------------------------------- */

static int rd_evals(rd_t *rd, const char *column, const char *table,
                    posko_rd_evals_t *e) {
    char sql[2048];
    sqlite3_stmt *st;
    int rc;

    snprintf(sql, sizeof(sql),
             "SELECT %s, " RD_EVAL_COLUMNS " FROM complaints"
             " WHERE received_at < ?2 AND %s IS NOT NULL GROUP BY 1",
             column, column);
    memset(e, 0, sizeof(*e));
    if (rd_prepare(rd, sql, &st) != 0) {
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && e->n < POSKO_RD_GROUPS) {
        posko_rd_eval_t *r = &e->row[e->n++];

        rd_copy(r->key, sizeof(r->key), sqlite3_column_text(st, 0));
        r->volume = (long)sqlite3_column_int64(st, 1);
        r->verified = (long)sqlite3_column_int64(st, 2);
        r->factual = (long)sqlite3_column_int64(st, 3);
        r->solve_due = (long)sqlite3_column_int64(st, 4);
        r->solved_on_time = (long)sqlite3_column_int64(st, 5);
        r->verify_due = (long)sqlite3_column_int64(st, 6);
        r->verified_on_time = (long)sqlite3_column_int64(st, 7);
        r->rating_n = (long)sqlite3_column_int64(st, 8);
        r->rating_mean = sqlite3_column_double(st, 9);
        r->day_verified = (long)sqlite3_column_int64(st, 10);
        r->day_factual = (long)sqlite3_column_int64(st, 11);
        r->day_solved = (long)sqlite3_column_int64(st, 12);
        r->solved = (long)sqlite3_column_int64(st, 13);
        r->open = (long)sqlite3_column_int64(st, 14);
        r->overdue = (long)sqlite3_column_int64(st, 15);
        r->oldest_overdue_days = sqlite3_column_double(st, 16);
    }
    if (rc == SQLITE_ROW) {
        rc = SQLITE_DONE; /* more groups than room: the rest left out */
    }
    if (rd_done(rd, st, rc) != 0) {
        return -1;
    }
    for (int i = 0; i < e->n; i++) {
        rd_name(rd, table, e->row[i].key, e->row[i].name,
                sizeof(e->row[i].name));
    }
    return 0;
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

/* Nearest-rank percentile of n sorted values. */
static double rd_percentile(const double *v, long n, double p) {
    long rank;

    if (n == 0) {
        return 0;
    }
    rank = (long)ceil(p * (double)n);
    return v[(rank < 1 ? 1 : rank) - 1];
}

/* Medians and 90th percentiles per category, of the hours from receipt
 * to the time in column. */
static int rd_times(rd_t *rd, const char *column, int solve) {
    posko_report_data_t *d = rd->d;
    char sql[512];
    sqlite3_stmt *st;
    double *v = NULL;
    long n = 0, cap = 0;
    char key[64] = "";
    int rc, first = 1;

    snprintf(sql, sizeof(sql),
             "SELECT kategori, (julianday(%s) - julianday(received_at)) * 24"
             " FROM complaints WHERE %s IS NOT NULL AND %s < ?2"
             " AND received_at < ?2 ORDER BY 1, 2",
             column, column, column);
    if (rd_prepare(rd, sql, &st) != 0) {
        return -1;
    }
    for (;;) {
        const char *k = NULL;

        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            k = (const char *)sqlite3_column_text(st, 0);
        }
        if (!first && (rc != SQLITE_ROW || strcmp(k ? k : "", key) != 0)) {
            /* the previous category is complete */
            for (int i = 0; i < d->eval_kategori.n; i++) {
                posko_rd_eval_t *r = &d->eval_kategori.row[i];

                if (strcmp(r->key, key) != 0) {
                    continue;
                }
                if (solve) {
                    r->solve_n = n;
                    r->solve_p50 = rd_percentile(v, n, 0.5);
                    r->solve_p90 = rd_percentile(v, n, 0.9);
                } else {
                    r->verify_n = n;
                    r->verify_p50 = rd_percentile(v, n, 0.5);
                    r->verify_p90 = rd_percentile(v, n, 0.9);
                }
            }
            n = 0;
        }
        if (rc != SQLITE_ROW) {
            break;
        }
        first = 0;
        snprintf(key, sizeof(key), "%s", k ? k : "");
        if (n == cap) {
            double *more;

            cap = cap ? cap * 2 : 4096;
            more = realloc(v, (size_t)cap * sizeof(*v));
            if (more == NULL) {
                fprintf(stderr, "posko report: out of memory\n");
                free(v);
                sqlite3_finalize(st);
                return -1;
            }
            v = more;
        }
        v[n++] = sqlite3_column_double(st, 1);
    }
    free(v);
    return rd_done(rd, st, rc);
}

/* -- the trend -------------------------------------------------------------- */

static int rd_day_index(const posko_report_data_t *d, const char *day) {
    for (int i = 0; i < d->ndays; i++) {
        if (strcmp(d->day_label[i], day) == 0) {
            return i;
        }
    }
    return -1;
}

static int rd_trend(rd_t *rd) {
    posko_report_data_t *d = rd->d;
    sqlite3_stmt *st;
    char first[40] = "";
    int rc, back;

    /* the season's first day, in local time */
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

    /* the days shown: from the season's start, at most POSKO_RD_DAYS */
    for (back = POSKO_RD_DAYS - 1; back > 0; back--) {
        char label[11];
        time_t t = rd_midnight(d->date, -back) + 12 * 3600;
        struct tm tm;

        localtime_r(&t, &tm);
        strftime(label, sizeof(label), "%Y-%m-%d", &tm);
        if (strcmp(label, d->season_start) >= 0) {
            break;
        }
    }
    d->ndays = 0;
    for (int i = back; i >= 0; i--) {
        time_t t = rd_midnight(d->date, -i) + 12 * 3600;
        struct tm tm;

        localtime_r(&t, &tm);
        strftime(d->day_label[d->ndays], sizeof(d->day_label[0]), "%Y-%m-%d",
                 &tm);
        d->day_in[d->ndays] = 0;
        d->day_out[d->ndays] = 0;
        d->ndays++;
    }
    if (rd_utc(rd_midnight(d->date, -back), rd->trend_from,
               sizeof(rd->trend_from)) != 0) {
        return -1;
    }

    for (int pass = 0; pass < 2; pass++) {
        const char *sql =
            pass == 0 ? "SELECT strftime('%Y-%m-%d', received_at, ?3),"
                        " count(*) FROM complaints WHERE received_at >= ?4"
                        " AND received_at < ?2 GROUP BY 1"
                      : "SELECT strftime('%Y-%m-%d', solved_at, ?3),"
                        " count(*) FROM complaints WHERE solved_at >= ?4"
                        " AND solved_at < ?2 GROUP BY 1";

        if (rd_prepare(rd, sql, &st) != 0) {
            return -1;
        }
        sqlite3_bind_text(st, 3, rd->shift, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, rd->trend_from, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int i = rd_day_index(d, (const char *)sqlite3_column_text(st, 0));

            if (i >= 0) {
                (pass == 0 ? d->day_in : d->day_out)[i] =
                    (double)sqlite3_column_int64(st, 1);
            }
        }
        if (rd_done(rd, st, rc) != 0) {
            return -1;
        }
    }
    return 0;
}

/* -- lists ------------------------------------------------------------------ */

/* How many bytes from p must not be shown: a word holding '@' (at a
 * word's start), or six or more digits in a run, with spaces, dots and
 * dashes between them (a phone, passport or registration number). */
static size_t rd_secret_at(const char *p, size_t len, int word_start) {
    size_t i = 0, digits = 0, word = 0;

    while (word < len && p[word] != ' ' && p[word] != '\n' && p[word] != '\t') {
        word++;
    }
    if (word_start && memchr(p, '@', word) != NULL) {
        return word;
    }
    while (i < len && ((p[i] >= '0' && p[i] <= '9') ||
                       ((p[i] == ' ' || p[i] == '-' || p[i] == '.') &&
                        i + 1 < len && p[i + 1] >= '0' && p[i + 1] <= '9'))) {
        digits += p[i] >= '0' && p[i] <= '9';
        i++;
    }
    return digits >= 6 ? i : 0;
}

void posko_rd_excerpt(const char *text, size_t len, char *out, size_t max) {
    static const char hidden[] = "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2";
    static const char more[] = "\xe2\x80\xa6";
    size_t i = 0, o = 0;
    int word_start = 1;

    if (max < sizeof(hidden) + sizeof(more)) {
        if (max > 0) {
            out[0] = '\0';
        }
        return;
    }
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        int digit_start = c >= '0' && c <= '9' &&
                          (i == 0 || text[i - 1] < '0' || text[i - 1] > '9');
        size_t skip = word_start || digit_start
                          ? rd_secret_at(text + i, len - i, word_start)
                          : 0;
        size_t step = 1;

        if (skip > 0) {
            if (o + sizeof(hidden) - 1 + sizeof(more) > max) {
                break;
            }
            memcpy(out + o, hidden, sizeof(hidden) - 1);
            o += sizeof(hidden) - 1;
            i += skip;
            word_start = 0;
            continue;
        }
        if (c >= 0xf0) {
            step = 4;
        } else if (c >= 0xe0) {
            step = 3;
        } else if (c >= 0xc0) {
            step = 2;
        }
        if (i + step > len || o + step + sizeof(more) > max) {
            break;
        }
        if (c == '\n' || c == '\r' || c == '\t') {
            out[o++] = ' ';
        } else {
            memcpy(out + o, text + i, step);
            o += step;
        }
        word_start = c == ' ' || c == '\n' || c == '\t' || c == '(';
        i += step;
    }
    if (i < len) {
        memcpy(out + o, more, sizeof(more) - 1);
        o += sizeof(more) - 1;
    }
    out[o] = '\0';
}

static int rd_list(rd_t *rd, const char *where, const char *order,
                   posko_rd_list_t *l) {
    char sql[2048];
    sqlite3_stmt *st;
    int rc;

    snprintf(sql, sizeof(sql),
             "SELECT kode, kategori, lokasi, embarkasi,"
             " CASE WHEN " RD_V " THEN 'menunggu penyelesaian'"
             " ELSE 'menunggu verifikasi' END,"
             " julianday(?2) - julianday(received_at), uraian"
             " FROM complaints WHERE received_at < ?2 AND %s ORDER BY %s"
             " LIMIT %d",
             where, order, POSKO_RD_LIST);
    memset(l, 0, sizeof(*l));
    if (rd_prepare(rd, sql, &st) != 0) {
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        posko_rd_item_t *it = &l->item[l->n++];

        rd_copy(it->kode, sizeof(it->kode), sqlite3_column_text(st, 0));
        rd_name(rd, "ref_kategori", (const char *)sqlite3_column_text(st, 1),
                it->kategori, sizeof(it->kategori));
        rd_name(rd, "ref_lokasi", (const char *)sqlite3_column_text(st, 2),
                it->lokasi, sizeof(it->lokasi));
        rd_name(rd, "ref_embarkasi", (const char *)sqlite3_column_text(st, 3),
                it->embarkasi, sizeof(it->embarkasi));
        rd_copy(it->status, sizeof(it->status), sqlite3_column_text(st, 4));
        it->age_days = sqlite3_column_double(st, 5);
        posko_rd_excerpt((const char *)sqlite3_column_text(st, 6),
                         (size_t)sqlite3_column_bytes(st, 6), it->excerpt,
                         160);
    }
    return rd_done(rd, st, rc);
}

/* -- what needs attention --------------------------------------------------- */

typedef struct {
    double weight;
    char text[320];
} rd_point_t;

static void rd_point(rd_point_t *p, int *n, double weight, const char *text) {
    if (*n < 8) {
        p[*n].weight = weight;
        snprintf(p[*n].text, sizeof(p[*n].text), "%s", text);
        (*n)++;
    }
}

static int rd_attention(rd_t *rd) {
    posko_report_data_t *d = rd->d;
    rd_point_t points[8];
    char text[320];
    sqlite3_stmt *st;
    int n = 0, rc;

    /* the categories with the most complaints past their deadline */
    for (int i = 0; i < d->eval_kategori.n; i++) {
        const posko_rd_eval_t *r = &d->eval_kategori.row[i];
        char count[32];

        if (r->overdue > 0) {
            snprintf(text, sizeof(text),
                     "%s laporan %s melewati tenggat; yang terlama sudah "
                     "menunggu %.0f hari.",
                     posko_rd_int(r->overdue, count), r->name,
                     floor(r->oldest_overdue_days));
            rd_point(points, &n, 100.0 + (double)r->overdue, text);
        }
    }

    /* a service category below the minimum standard */
    for (int i = 0; i < d->eval_kategori.n; i++) {
        const posko_rd_eval_t *r = &d->eval_kategori.row[i];
        double share = posko_rd_percent(r->solved_on_time, r->solve_due);

        if (r->solve_due >= 5 && share < POSKO_RD_STANDARD) {
            snprintf(text, sizeof(text),
                     "Layanan %s: hanya %.0f%% aduan faktual selesai tepat "
                     "waktu (standar %.0f%%).",
                     r->name, share, POSKO_RD_STANDARD);
            rd_point(points, &n, 50.0 + (POSKO_RD_STANDARD - share), text);
        }
    }

    /* a category with twice its usual number of reports today */
    if (rd_prepare(rd,
                   "SELECT kategori, sum(received_at >= ?1),"
                   " sum(received_at < ?1) / 7.0 FROM complaints"
                   " WHERE received_at >= ?3 AND received_at < ?2"
                   " GROUP BY 1 ORDER BY 2 DESC",
                   &st) != 0) {
        return -1;
    }
    sqlite3_bind_text(st, 3, rd->week_from, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long today = (long)sqlite3_column_int64(st, 1);
        double usual = sqlite3_column_double(st, 2);
        char name[96];

        if (today >= 5 && (double)today >= 2.0 * usual) {
            rd_name(rd, "ref_kategori",
                    (const char *)sqlite3_column_text(st, 0), name,
                    sizeof(name));
            snprintf(text, sizeof(text),
                     "Laporan %s melonjak: %ld hari ini, rata-rata 7 hari "
                     "sebelumnya %.1f.",
                     name, today, usual);
            rd_point(points, &n, 40.0 + (double)today / (usual + 1.0), text);
        }
    }
    if (rd_done(rd, st, rc) != 0) {
        return -1;
    }

    if (n == 0 && d->open > 0) {
        snprintf(text, sizeof(text),
                 "Tidak ada laporan yang melewati tenggat; %ld masih "
                 "ditangani.",
                 d->open);
        rd_point(points, &n, 0, text);
    } else if (n == 0) {
        rd_point(points, &n, 0,
                 "Tidak ada laporan yang menunggu tindak lanjut.");
    }

    /* the heaviest first */
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            if (points[j].weight > points[i].weight) {
                rd_point_t t = points[i];

                points[i] = points[j];
                points[j] = t;
            }
        }
    }
    d->nattention = n < POSKO_RD_ATTENTION ? n : POSKO_RD_ATTENTION;
    for (int i = 0; i < d->nattention; i++) {
        snprintf(d->attention[i], sizeof(d->attention[i]), "%s",
                 points[i].text);
    }
    return 0;
}

/* -- all of it -------------------------------------------------------------- */

int posko_report_data_load(sqlite3 *db, const char *date, const char *tz,
                           posko_report_data_t *d) {
    rd_t rd;
    int rc = -1;

    memset(d, 0, sizeof(*d));
    rd.db = db;
    rd.d = d;
    if (rd_window(&rd, date, tz) != 0) {
        return -1;
    }

    /* one read transaction: every figure from the same moment, while
     * ingest may be writing */
    if (sqlite3_exec(db, "PRAGMA mmap_size = 4294967296", NULL, NULL,
                     NULL) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        posko_db_error(db, "cannot read the database");
        return -1;
    }
    if (rd_submissions(&rd) == 0 &&
        rd_evals(&rd, "kategori", "ref_kategori", &d->eval_kategori) == 0 &&
        rd_evals(&rd, "unit", "ref_unit", &d->eval_unit) == 0 &&
        rd_times(&rd, "verified_at", 0) == 0 &&
        rd_times(&rd, "solved_at", 1) == 0 && rd_trend(&rd) == 0 &&
        (rd_lifecycle(d), 1) &&
        rd_list(&rd, RD_OPEN, "received_at, kode", &d->oldest_open) == 0 &&
        rd_list(&rd, RD_V " AND verified_at >= ?1 AND faktual = 1",
                "verified_at, kode", &d->new_factual) == 0 &&
        rd_attention(&rd) == 0) {
        rc = 0;
    }
    for (int i = 0; i < d->eval_kategori.n; i++) {
        rd_targets(&rd, &d->eval_kategori.row[i]);
    }
    d->oldest_open.total = d->open;
    d->new_factual.total = d->day_factual;
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc;
}
