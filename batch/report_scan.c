/*
 * report_scan.c - one pass over every complaint received before the
 * report's day ended, counting in C what the report needs.
 *
 * A season is a million rows at most.  Reading each row once, with its
 * times as the ISO 8601 strings they are stored as (they compare as
 * strings), and counting here is several times faster than asking SQLite
 * for each figure with its own GROUP BY: the whole report stays within
 * the two seconds leadership's morning run allows.
 *
 * Every condition is "as of the day's end" (d->to_utc): a complaint
 * counts as verified, solved or closed only if that happened before the
 * day ended.
 */
#include "report_scan.h"
#include "posko.h"
#include "times.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Response times gathered per category row, for percentiles at the end. */
typedef struct {
    double *v;
    long n, cap;
} rd_times_t;

typedef struct {
    rd_times_t verify[POSKO_RD_GROUPS];
    rd_times_t solve[POSKO_RD_GROUPS];
} rd_all_times_t;

static int rd_push(rd_times_t *t, double hours) {
    if (t->n == t->cap) {
        long cap = t->cap ? t->cap * 2 : 1024;
        double *v = realloc(t->v, (size_t)cap * sizeof(*v));

        if (v == NULL) {
            return -1;
        }
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n++] = hours;
    return 0;
}

/* Moves the k-th smallest of v[0 .. n-1] (k from 0) to v[k], the smaller
 * ones before it and the larger after it: Hoare's selection, linear on
 * average, where sorting a category's hundred thousand times was a tenth
 * of the report. */
static void rd_select(double *v, long n, long k) {
    long lo = 0, hi = n - 1;

    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        long i = lo, j = hi;

        while (i <= j) {
            while (v[i] < pivot) {
                i++;
            }
            while (v[j] > pivot) {
                j--;
            }
            if (i <= j) {
                double t = v[i];

                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (k <= j) {
            hi = j;
        } else if (k >= i) {
            lo = i;
        } else {
            return; /* v[j+1 .. i-1] all equal the pivot */
        }
    }
}

/* Nearest-rank percentile p of n values (p ascending over calls: each
 * call leaves the values above its rank for the next). */
static double rd_percentile(double *v, long n, double p) {
    long rank = (long)(p * (double)n + 0.999999999);

    if (n == 0) {
        return 0;
    }
    rank = rank < 1 ? 1 : rank;
    rd_select(v, n, rank - 1);
    return v[rank - 1];
}

/* Keeps the picks with the smallest (at, kode), at most POSKO_RD_LIST. */
static void rd_pick(posko_rd_pick_t *picks, int *n, const char *at,
                    const char *kode) {
    int i;

    if (*n == POSKO_RD_LIST &&
        (strcmp(at, picks[*n - 1].at) > 0 ||
         (strcmp(at, picks[*n - 1].at) == 0 &&
          strcmp(kode, picks[*n - 1].kode) >= 0))) {
        return;
    }
    i = *n < POSKO_RD_LIST ? (*n)++ : POSKO_RD_LIST - 1;
    while (i > 0 && (strcmp(at, picks[i - 1].at) < 0 ||
                     (strcmp(at, picks[i - 1].at) == 0 &&
                      strcmp(kode, picks[i - 1].kode) < 0))) {
        picks[i] = picks[i - 1];
        i--;
    }
    snprintf(picks[i].at, sizeof(picks[i].at), "%s", at);
    snprintf(picks[i].kode, sizeof(picks[i].kode), "%s", kode);
}

posko_rd_count_t *posko_rd_count_row(posko_rd_breakdown_t *b,
                                     const char *key) {
    const char *k = key != NULL ? key : "";

    for (int i = 0; i < b->n; i++) {
        /* the first byte rules most rows out without a call */
        if (b->row[i].key[0] == k[0] && strcmp(b->row[i].key, k) == 0) {
            return &b->row[i];
        }
    }
    if (b->n == POSKO_RD_GROUPS) {
        return &b->row[POSKO_RD_GROUPS - 1];
    }
    snprintf(b->row[b->n].key, sizeof(b->row[0].key), "%s", k);
    return &b->row[b->n++];
}

static int rd_eval_index(posko_rd_evals_t *e, const char *key) {
    for (int i = 0; i < e->n; i++) {
        if (e->row[i].key[0] == key[0] && strcmp(e->row[i].key, key) == 0) {
            return i;
        }
    }
    if (e->n == POSKO_RD_GROUPS) {
        return POSKO_RD_GROUPS - 1;
    }
    memset(&e->row[e->n], 0, sizeof(e->row[0]));
    snprintf(e->row[e->n].key, sizeof(e->row[0].key), "%s", key);
    return e->n++;
}

/* What one complaint adds to an evaluation row. */
typedef struct {
    int v, s, open, overdue, verify_due, verified_on_time, solve_due;
    int solved_on_time, factual, day_v, day_f, day_s, rating, handling;
    double overdue_days;
} rd_facts_t;

static void rd_eval_add(posko_rd_eval_t *r, const rd_facts_t *f) {
    r->volume++;
    r->verified += f->v;
    r->factual += f->v && f->factual;
    r->solve_due += f->solve_due;
    r->solved_on_time += f->solved_on_time;
    r->verify_due += f->verify_due;
    r->verified_on_time += f->verified_on_time;
    if (f->rating > 0) {
        r->rating_mean += f->rating; /* a sum until the end */
        r->rating_n++;
    }
    if (f->handling > 0) {
        r->handling_mean += f->handling; /* a sum until the end */
        r->handling_n++;
    }
    r->day_verified += f->day_v;
    r->day_factual += f->day_f;
    r->day_solved += f->day_s;
    r->solved += f->s;
    r->open += f->open;
    r->overdue += f->overdue;
    if (f->overdue && f->overdue_days > r->oldest_overdue_days) {
        r->oldest_overdue_days = f->overdue_days;
    }
}

/* At the end: the rating sums made means. */
static void rd_eval_means(posko_rd_eval_t *r) {
    if (r->rating_n > 0) {
        r->rating_mean /= (double)r->rating_n;
    }
    if (r->handling_n > 0) {
        r->handling_mean /= (double)r->handling_n;
    }
}

static int rd_before(const char *t, const char *bound) {
    return t != NULL && strcmp(t, bound) < 0;
}

int posko_rd_scan(sqlite3 *db, posko_report_data_t *d, posko_rd_scan_t *s) {
    static const char sql[] =
        "SELECT kode, jenis, kategori, lokasi, embarkasi, pelapor, unit,"
        " received_at, verified_at, solved_at, closed_at, due_verify,"
        " due_solve, faktual, rating, rating_penanganan, dinilai_at"
        " FROM complaints"
        /* the unary + keeps SQLite from the index: a season is most of the
         * table, read faster in order than through the index */
        " WHERE +received_at < ?1";
    const char *from = d->from_utc, *to = d->to_utc;
    long long to_ms = posko_time_parse(to);
    long long shift_ms = (long long)(d->tz_hours * 3600000.0);
    rd_all_times_t *times = calloc(1, sizeof(*times));
    sqlite3_stmt *st = NULL;
    int rc = SQLITE_ERROR, failed = 0;

    if (times == NULL) {
        fprintf(stderr, "posko report: out of memory\n");
        return -1;
    }
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        posko_db_error(db, "cannot read the complaints");
        free(times);
        return -1;
    }
    sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);

    while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *col[13];
        int faktual;
        rd_facts_t f;
        long long received_ms;
        int today, k, u;

        for (int i = 0; i < 13; i++) {
            col[i] = (const char *)sqlite3_column_text(st, i);
        }
        /* faktual and rating are numbers: read as such, not as text */
        faktual = sqlite3_column_type(st, 13) == SQLITE_NULL
                      ? -1
                      : sqlite3_column_int(st, 13);
        /* 7 received, 8 verified, 9 solved, 10 closed, 11 due_verify,
         * 12 due_solve, 13 faktual, 14 rating */
        received_ms = posko_time_parse(col[7]);
        today = strcmp(col[7], from) >= 0;

        /* submissions, by type and in each breakdown */
        for (int j = 0; j < POSKO_RD_JENIS; j++) {
            static const char *const jenis[] = {"kritik", "saran", "aduan",
                                                "informasi"};

            if (col[1] != NULL && col[1][0] == jenis[j][0] &&
                strcmp(col[1], jenis[j]) == 0) {
                d->season_jenis[j]++;
                d->day_jenis[j] += today;
                break;
            }
        }
        d->season_total++;
        d->day_total += today;
        {
            posko_rd_count_t *row[4] = {
                posko_rd_count_row(&d->by_kategori, col[2]),
                posko_rd_count_row(&d->by_lokasi, col[3]),
                posko_rd_count_row(&d->by_embarkasi, col[4]),
                posko_rd_count_row(&d->by_pelapor, col[5])};

            for (int i = 0; i < 4; i++) {
                row[i]->season++;
                row[i]->day += today;
            }
        }

        /* where the complaint stood when the day ended */
        memset(&f, 0, sizeof(f));
        f.v = rd_before(col[8], to);
        f.s = rd_before(col[9], to);
        f.factual = faktual == 1;
        {
            int closed = rd_before(col[10], to);
            int not_factual = f.v && faktual == 0;

            f.open = !f.s && !closed && !not_factual;
            f.overdue = f.open && (f.v ? rd_before(col[12], to)
                                       : rd_before(col[11], to));
            f.verify_due = f.v || (!closed && rd_before(col[11], to));
            f.verified_on_time =
                f.v && col[11] != NULL && strcmp(col[8], col[11]) <= 0;
            f.solve_due =
                f.s || (f.v && f.factual && !closed && rd_before(col[12], to));
            f.solved_on_time =
                f.s && col[12] != NULL && strcmp(col[9], col[12]) <= 0;
        }
        f.day_v = f.v && strcmp(col[8], from) >= 0;
        f.day_f = f.day_v && f.factual;
        f.day_s = f.s && strcmp(col[9], from) >= 0;
        f.rating = sqlite3_column_int(st, 14); /* 0 when NULL */
        /* the pilgrim's rating of the handling, given by the day's end */
        {
            const char *rated = (const char *)sqlite3_column_text(st, 16);

            f.handling = rd_before(rated, to) ? sqlite3_column_int(st, 15)
                                              : 0;
        }
        f.overdue_days = (double)(to_ms - received_ms) / 86400000.0;

        k = rd_eval_index(&d->eval_kategori, col[2] != NULL ? col[2] : "");
        rd_eval_add(&d->eval_kategori.row[k], &f);
        rd_eval_add(&d->all, &f);
        if (col[6] != NULL) {
            u = rd_eval_index(&d->eval_unit, col[6]);
            rd_eval_add(&d->eval_unit.row[u], &f);
        }

        /* response times, in hours */
        if (f.v && rd_push(&times->verify[k],
                           (double)(posko_time_parse(col[8]) - received_ms) /
                               3600000.0) != 0) {
            failed = 1;
        }
        if (f.s && rd_push(&times->solve[k],
                           (double)(posko_time_parse(col[9]) - received_ms) /
                               3600000.0) != 0) {
            failed = 1;
        }

        /* the trend per local day */
        {
            long day = (long)((received_ms + shift_ms) / 86400000LL) -
                       s->first_day;

            if (day >= 0 && day < d->ndays) {
                d->day_in[day]++;
                d->kategori_day_in[k][day]++;
            }
            if (f.s) {
                day = (long)((posko_time_parse(col[9]) + shift_ms) /
                             86400000LL) -
                      s->first_day;
                if (day >= 0 && day < d->ndays) {
                    d->day_out[day]++;
                }
            }
        }

        /* the week before the day, for a category that suddenly grows */
        if (!today && strcmp(col[7], s->week_from) >= 0) {
            s->week[k]++;
        }

        /* the lists */
        if (f.open) {
            rd_pick(s->oldest, &s->noldest, col[7], col[0]);
        }
        if (f.day_f) {
            rd_pick(s->fresh, &s->nfresh, col[8], col[0]);
        }
    }
    sqlite3_finalize(st);

    /* medians and 90th percentiles; rating means */
    for (int i = 0; i < d->eval_kategori.n; i++) {
        posko_rd_eval_t *r = &d->eval_kategori.row[i];
        rd_times_t *v = &times->verify[i], *so = &times->solve[i];

        r->verify_n = v->n;
        r->verify_p50 = rd_percentile(v->v, v->n, 0.5);
        r->verify_p90 = rd_percentile(v->v, v->n, 0.9);
        r->solve_n = so->n;
        r->solve_p50 = rd_percentile(so->v, so->n, 0.5);
        r->solve_p90 = rd_percentile(so->v, so->n, 0.9);
    }
    for (int i = 0; i < POSKO_RD_GROUPS; i++) {
        free(times->verify[i].v);
        free(times->solve[i].v);
    }
    free(times);
    for (int g = 0; g < 2; g++) {
        posko_rd_evals_t *e = g ? &d->eval_unit : &d->eval_kategori;

        for (int i = 0; i < e->n; i++) {
            rd_eval_means(&e->row[i]);
        }
    }
    rd_eval_means(&d->all);
    if (failed) {
        fprintf(stderr, "posko report: out of memory\n");
        return -1;
    }
    if (rc != SQLITE_DONE) {
        posko_db_error(db, "cannot read the complaints");
        return -1;
    }
    return 0;
}
