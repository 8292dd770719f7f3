/*
 * dashboard_worklist.c - the worklist: every open complaint, the one
 * whose next deadline passed longest ago on top, then the one due
 * soonest, fifty to a page (kerja-1.html, kerja-2.html, ...), and the same
 * list for each location, service category and officers' unit
 * (kerja-lokasi-makkah-1.html, kerja-kategori-kesehatan-1.html,
 * kerja-unit-daker-makkah-1.html), all linked from a filter bar on every
 * page, so that filtering needs no JavaScript.
 *
 * The next deadline is due_verify while a complaint is not verified and
 * due_solve after that, as the report counts overdue ones.  SQLite sorts
 * the open complaints once; each row is made into HTML once and goes to
 * the whole list and to the lists of its location, category and unit,
 * each of which writes a page as soon as it holds fifty rows.  How many
 * rows each list gets is counted first (GROUP BY), in the same read
 * transaction, so page 1 can already say "halaman 1 dari N".
 *
 * A row never shows a name, a phone number or an e-mail address: the
 * description is an excerpt with numbers and addresses hidden
 * (posko_excerpt.c).  Worklist pages of an earlier run that no list has
 * any more are removed at the end.
 */
#include "dashboard.h"
#include "posko.h"
#include "posko_excerpt.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WL_MAX_VALUES 64  /* filter lists of one kind at most */
#define WL_TEXT_CHARS 600 /* of a description, read for its excerpt */
#define WL_EXCERPT 200    /* bytes of an excerpt */

typedef struct wl_dim wl_dim_t;

/* One list: all open complaints, or those of one filter value. */
typedef struct {
    const wl_dim_t *dim; /* NULL for the whole list */
    char *code;          /* the value; NULL when not given */
    char *name;          /* what people read */
    char stem[96];       /* file names: STEM-N.html */
    long count;          /* rows it will get */
    int pages, page, rows;
    dash_buf_t buf; /* the rows of the page being filled */
} wl_list_t;

/* A kind of filter: location, service category or unit. */
struct wl_dim {
    const char *key;    /* in file names */
    const char *label;  /* what people read */
    const char *column; /* of complaints */
    const dash_refs_t *refs;
    const char *none; /* the name of "not given" */
    wl_list_t *lists;
    int n;
    long hidden; /* open complaints with a value past WL_MAX_VALUES */
};

typedef struct {
    dash_t *d;
    wl_list_t all;
    wl_dim_t dims[3];
    dash_buf_t page;
    char **written; /* file names of this run */
    size_t nwritten, capwritten;
} wl_t;

/* -- file names ------------------------------------------------------------ */

/* A filter value as part of a file name: the code itself when it is
 * plain (a-z, 0-9, '_', '-', starting with a letter or digit), "_kosong"
 * for none, or '_' and a hash of the bytes for anything else; the three
 * cannot be mistaken for one another. */
static void wl_slug(const char *code, char *out, size_t size) {
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t len;
    int plain;

    if (code == NULL) {
        snprintf(out, size, "_kosong");
        return;
    }
    len = strlen(code);
    plain = len > 0 && len <= 48 &&
            ((code[0] >= 'a' && code[0] <= 'z') ||
             (code[0] >= '0' && code[0] <= '9'));
    for (size_t i = 0; plain && i < len; i++) {
        char c = code[i];

        plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                c == '-';
    }
    if (plain) {
        snprintf(out, size, "%s", code);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)code[i]) * 0x100000001b3ULL;
    }
    snprintf(out, size, "_%016llx", (unsigned long long)h);
}

static int wl_remember(wl_t *w, const char *name) {
    if (w->nwritten == w->capwritten) {
        size_t cap = w->capwritten ? w->capwritten * 2 : 256;
        char **v = realloc(w->written, cap * sizeof(*v));

        if (v == NULL) {
            return -1;
        }
        w->written = v;
        w->capwritten = cap;
    }
    w->written[w->nwritten] = strdup(name);
    return w->written[w->nwritten++] != NULL ? 0 : -1;
}

static int wl_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Removes kerja-*.html that this run did not write. */
static void wl_remove_stale(wl_t *w) {
    DIR *dir;
    struct dirent *e;
    char path[4400];

    if (w->nwritten == 0 || (dir = opendir(w->d->out_dir)) == NULL) {
        return;
    }
    qsort(w->written, w->nwritten, sizeof(*w->written), wl_cmp);
    while ((e = readdir(dir)) != NULL) {
        const char *name = e->d_name;
        size_t len = strlen(name);

        if (strncmp(name, "kerja-", 6) != 0 || len < 11 ||
            strcmp(name + len - 5, ".html") != 0 ||
            bsearch(&name, w->written, w->nwritten, sizeof(*w->written),
                    wl_cmp) != NULL) {
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", w->d->out_dir, name);
        if (unlink(path) != 0 && errno != ENOENT) {
            fprintf(stderr, "posko dashboard: cannot remove %s: %s\n", path,
                    strerror(errno));
        }
    }
    closedir(dir);
}

/* -- the lists ------------------------------------------------------------- */

static wl_list_t *wl_add(wl_dim_t *dim, const char *code, const char *name) {
    wl_list_t *v = realloc(dim->lists, (size_t)(dim->n + 1) * sizeof(*v));
    wl_list_t *l;
    char slug[64];

    if (v == NULL) {
        return NULL;
    }
    dim->lists = v;
    l = &v[dim->n];
    memset(l, 0, sizeof(*l));
    l->dim = dim;
    l->code = code != NULL ? strdup(code) : NULL;
    l->name = strdup(name);
    if ((code != NULL && l->code == NULL) || l->name == NULL) {
        free(l->code);
        free(l->name);
        return NULL;
    }
    wl_slug(code, slug, sizeof(slug));
    snprintf(l->stem, sizeof(l->stem), "kerja-%s-%s", dim->key, slug);
    dim->n++;
    return l;
}

static wl_list_t *wl_find(wl_dim_t *dim, const char *code) {
    for (int i = 0; i < dim->n; i++) {
        const char *c = dim->lists[i].code;

        if (c == NULL ? code == NULL : code != NULL && strcmp(c, code) == 0) {
            return &dim->lists[i];
        }
    }
    return NULL;
}

static void wl_set_pages(wl_list_t *l) {
    l->pages = l->count > 0
                   ? (int)((l->count + DASH_PAGE_ROWS - 1) / DASH_PAGE_ROWS)
                   : 1;
}

/* The lists of one kind: the reference table's values in its order,
 * then any other value the open complaints have, and how many each
 * gets. */
static int wl_dim_load(wl_t *w, wl_dim_t *dim) {
    char sql[512], buf[160];
    sqlite3_stmt *st;
    int rc;

    for (int i = 0; i < dim->refs->n; i++) {
        if (wl_add(dim, dim->refs->v[i].code, dim->refs->v[i].name) == NULL) {
            fprintf(stderr, "posko dashboard: out of memory\n");
            return -1;
        }
    }
    snprintf(sql, sizeof(sql),
             "SELECT nullif(%s, ''), count(*) FROM complaints"
             " WHERE status IN (%s) GROUP BY 1 ORDER BY 1 IS NULL, 1",
             dim->column, w->d->open_statuses);
    if (sqlite3_prepare_v2(w->d->db, sql, -1, &st, NULL) != SQLITE_OK) {
        posko_db_error(w->d->db, "cannot count the worklist");
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        long count = (long)sqlite3_column_int64(st, 1);
        wl_list_t *l = wl_find(dim, code);

        if (l == NULL && dim->n >= dim->refs->n + WL_MAX_VALUES) {
            dim->hidden += count;
            continue;
        }
        if (l == NULL) {
            l = wl_add(dim, code,
                       code == NULL ? dim->none
                                    : dash_name(NULL, code, buf, sizeof(buf)));
            if (l == NULL) {
                rc = SQLITE_NOMEM;
                break;
            }
        }
        l->count = count;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        posko_db_error(w->d->db, "cannot count the worklist");
        return -1;
    }
    for (int i = 0; i < dim->n; i++) {
        wl_set_pages(&dim->lists[i]);
    }
    return 0;
}

/* -- the pages ------------------------------------------------------------- */

static void wl_filter_link(dash_buf_t *b, const wl_list_t *l,
                           const wl_list_t *current) {
    dash_printf(b, "<a href=\"%s-1.html\"%s>", l->stem,
                l == current ? " aria-current=\"page\"" : "");
    dash_esc(b, l->name);
    dash_printf(b, "</a>\xc2\xa0(%ld)", l->count);
}

/* Links to every list's first page; the current one marked. */
static void wl_filter_bar(const wl_t *w, dash_buf_t *b,
                          const wl_list_t *current) {
    dash_put(b, "<nav class=\"f\" aria-label=\"Saring daftar kerja\">\n"
                "<p><b>Semua:</b> ");
    wl_filter_link(b, &w->all, current);
    dash_put(b, "</p>\n");
    for (int k = 0; k < 3; k++) {
        const wl_dim_t *dim = &w->dims[k];

        dash_printf(b, "<p><b>%s:</b> ", dim->label);
        for (int i = 0; i < dim->n; i++) {
            if (i > 0) {
                dash_put(b, " \xc2\xb7 ");
            }
            wl_filter_link(b, &dim->lists[i], current);
        }
        if (dim->hidden > 0) {
            dash_printf(b, " \xc2\xb7 %ld aduan dengan nilai lain",
                        dim->hidden);
        }
        dash_put(b, "</p>\n");
    }
    dash_put(b, "</nav>\n");
}

static void wl_pager(dash_buf_t *b, const wl_list_t *l, int page, int pages) {
    dash_put(b, "<nav class=\"pager\" aria-label=\"Halaman\">");
    if (page > 1) {
        dash_printf(b,
                    "<a href=\"%s-%d.html\" rel=\"prev\">\xc2\xab "
                    "Sebelumnya</a>",
                    l->stem, page - 1);
    }
    dash_printf(b, "<span>halaman %d dari %d</span>", page, pages);
    if (page < pages) {
        dash_printf(b,
                    "<a href=\"%s-%d.html\" rel=\"next\">Berikutnya "
                    "\xc2\xbb</a>",
                    l->stem, page + 1);
    }
    dash_put(b, "</nav>\n");
}

void dash_worklist_table(dash_buf_t *b, const dash_buf_t *rows) {
    dash_put(b, "<table class=\"l\">\n<thead><tr><th>Kode</th>"
                "<th>Kategori</th><th>Lokasi</th><th>Embarkasi</th>"
                "<th>Unit</th><th>Status</th><th>Umur</th>"
                "<th>Tenggat berikutnya</th><th>Uraian (cuplikan)</th>"
                "</tr></thead>\n<tbody>\n");
    dash_putn(b, rows->p, rows->len);
    dash_put(b, "</tbody>\n</table>\n");
}

/* Writes the page the list has filled (or its empty page 1). */
static int wl_flush(wl_t *w, wl_list_t *l) {
    dash_buf_t *b = &w->page;
    char title[256], name[128];
    int page = ++l->page, pages = l->pages > page ? l->pages : page;

    if (l->dim == NULL) {
        snprintf(title, sizeof(title), "Daftar kerja");
    } else {
        snprintf(title, sizeof(title), "Daftar kerja \xe2\x80\x94 %s: %s",
                 l->dim->label, l->name);
    }
    b->len = 0;
    dash_page_begin(w->d, b, "", title, NULL);
    dash_printf(b,
                "<p>%ld aduan terbuka, diurutkan menurut tenggat "
                "berikutnya: yang paling lama terlewati di atas, lalu yang "
                "paling dekat.</p>\n",
                l->count);
    wl_filter_bar(w, b, l);
    wl_pager(b, l, page, pages);
    if (l->rows == 0) {
        dash_put(b, "<p>Tidak ada aduan terbuka di sini.</p>\n");
    } else {
        dash_worklist_table(b, &l->buf);
    }
    wl_pager(b, l, page, pages);
    dash_page_end(b);

    snprintf(name, sizeof(name), "%s-%d.html", l->stem, page);
    l->rows = 0;
    l->buf.len = 0;
    if (l->buf.failed) {
        b->failed = 1;
    }
    w->d->worklist_pages++;
    if (wl_remember(w, name) != 0) {
        fprintf(stderr, "posko dashboard: out of memory\n");
        return -1;
    }
    return dash_write(w->d, name, b);
}

static int wl_add_row(wl_t *w, wl_list_t *l, const dash_buf_t *row) {
    dash_putn(&l->buf, row->p, row->len);
    if (++l->rows == DASH_PAGE_ROWS) {
        return wl_flush(w, l);
    }
    return 0;
}

/* -- one row --------------------------------------------------------------- */

/* The description's start, with numbers and addresses hidden.  Only its
 * first WL_TEXT_CHARS characters are read; when that cut it, the cut word
 * and digits before it go too, so half a phone number cannot show. */
static void wl_excerpt(const char *text, int len, int cut, char *out) {
    size_t n = text != NULL && len > 0 ? (size_t)len : 0;

    if (cut) {
        while (n > 0 && text[n - 1] != ' ' && text[n - 1] != '\n' &&
               text[n - 1] != '\t') {
            n--;
        }
        while (n > 0 && strchr("0123456789 .-\n\t", text[n - 1]) != NULL) {
            n--;
        }
    }
    posko_excerpt(text != NULL ? text : "", n, out, WL_EXCERPT);
    if (cut && strstr(out, "\xe2\x80\xa6") == NULL) {
        snprintf(out + strlen(out), WL_EXCERPT - strlen(out), "\xe2\x80\xa6");
    }
}

static const char wl_rows_sql[] =
    "SELECT kode, nullif(kategori, ''), nullif(lokasi, ''), embarkasi,"
    " nullif(unit, ''), status, received_at,"
    " CASE WHEN verified_at IS NULL THEN due_verify ELSE due_solve END,"
    " verified_at IS NULL, substr(uraian, 1, %d), length(uraian) > %d"
    " FROM complaints WHERE status IN (%s)"
    " ORDER BY 8 IS NULL, 8, received_at, kode";

/* One complaint's row; *late when its deadline has passed. */
static void wl_row(wl_t *w, sqlite3_stmt *st, dash_buf_t *row, int *late) {
    const dash_t *d = w->d;
    const char *kode = (const char *)sqlite3_column_text(st, 0);
    const char *emb = (const char *)sqlite3_column_text(st, 3);
    const char *due = (const char *)sqlite3_column_text(st, 7);
    time_t received =
        dash_stored_time((const char *)sqlite3_column_text(st, 6));
    time_t due_t = dash_stored_time(due);
    char buf[160], when[40], span[40], excerpt[WL_EXCERPT];

    *late = due != NULL && strcmp(due, d->now_utc) < 0;
    row->len = 0;
    dash_put(row, *late ? "<tr class=\"late\">" : "<tr>");
    dash_put(row, "<td data-l=\"Kode\">");
    if (dash_kode_ok(kode)) {
        dash_printf(row, "<a href=\"aduan/%s.html\">%s</a>", kode, kode);
    } else {
        dash_esc(row, kode);
    }
    dash_put(row, "</td><td data-l=\"Kategori\">");
    dash_esc(row,
             dash_name(&d->kategori, (const char *)sqlite3_column_text(st, 1),
                       buf, sizeof(buf)));
    dash_put(row, "</td><td data-l=\"Lokasi\">");
    dash_esc(row,
             dash_name(&d->lokasi, (const char *)sqlite3_column_text(st, 2),
                       buf, sizeof(buf)));
    dash_put(row, "</td><td data-l=\"Embarkasi\">");
    if (emb != NULL && emb[0] != '\0') {
        dash_put(row, "<abbr title=\"");
        dash_esc(row, dash_name(&d->embarkasi, emb, buf, sizeof(buf)));
        dash_put(row, "\">");
        dash_esc(row, emb);
        dash_put(row, "</abbr>");
    } else {
        dash_put(row, "\xe2\x80\x94");
    }
    dash_put(row, "</td><td data-l=\"Unit\">");
    if (sqlite3_column_type(st, 4) == SQLITE_NULL) {
        dash_put(row, "\xe2\x80\x94");
    } else {
        dash_esc(row,
                 dash_name(&d->unit, (const char *)sqlite3_column_text(st, 4),
                           buf, sizeof(buf)));
    }
    dash_put(row, "</td><td data-l=\"Status\">");
    dash_esc(row, dash_status_label((const char *)sqlite3_column_text(st, 5)));
    dash_put(row, "</td><td data-l=\"Umur\">");
    dash_put(row, received == (time_t)-1
                      ? "\xe2\x80\x94"
                      : dash_span((long long)(d->now - received), span));
    dash_put(row, "</td><td data-l=\"Tenggat\">");
    if (due_t == (time_t)-1) {
        dash_put(row, "\xe2\x80\x94");
    } else {
        dash_printf(row, "%s %s<br>",
                    sqlite3_column_int(st, 8) ? "verifikasi" : "penyelesaian",
                    dash_local(due_t, 0, when));
        dash_printf(row,
                    *late ? "<span class=\"late\">lewat %s</span>" : "dalam %s",
                    dash_span((long long)(due_t - d->now), span));
    }
    dash_put(row, "</td><td data-l=\"Uraian\">");
    wl_excerpt((const char *)sqlite3_column_text(st, 9),
               sqlite3_column_bytes(st, 9), sqlite3_column_int(st, 10),
               excerpt);
    dash_esc(row, excerpt);
    dash_put(row, "</td></tr>\n");
}

/* Every open complaint, in order, into its lists. */
static int wl_rows(wl_t *w) {
    dash_t *d = w->d;
    dash_buf_t row = {0};
    char sql[1024];
    sqlite3_stmt *st;
    int rc, failed = 0;

    snprintf(sql, sizeof(sql), wl_rows_sql, WL_TEXT_CHARS, WL_TEXT_CHARS,
             d->open_statuses);
    if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK) {
        posko_db_error(d->db, "cannot read the worklist");
        return -1;
    }
    while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int late;

        wl_row(w, st, &row, &late);
        d->overdue_now += late;
        if (d->open < DASH_URGENT) {
            dash_putn(&d->urgent, row.p, row.len);
        }
        d->open++;
        failed = wl_add_row(w, &w->all, &row) != 0;
        for (int k = 0; !failed && k < 3; k++) {
            wl_list_t *l =
                wl_find(&w->dims[k],
                        (const char *)sqlite3_column_text(st, k == 0   ? 2
                                                              : k == 1 ? 1
                                                                       : 4));

            failed = l != NULL && wl_add_row(w, l, &row) != 0;
        }
        if (row.failed) {
            fprintf(stderr, "posko dashboard: out of memory\n");
            failed = 1;
        }
    }
    sqlite3_finalize(st);
    dash_buf_free(&row);
    if (failed) {
        return -1;
    }
    if (rc != SQLITE_DONE) {
        posko_db_error(d->db, "cannot read the worklist");
        return -1;
    }
    return 0;
}

/* The last page of each list: the one half full, or an empty page 1. */
static int wl_finish(wl_t *w, wl_list_t *l) {
    if (l->rows > 0 || l->page == 0) {
        return wl_flush(w, l);
    }
    return 0;
}

static long wl_count_open(dash_t *d) {
    char sql[512];
    long n;

    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM complaints WHERE status IN (%s)",
             d->open_statuses);
    n = (long)posko_db_number(d->db, sql);
    if (n < 0) {
        posko_db_error(d->db, "cannot count the worklist");
    }
    return n;
}

static void wl_free(wl_t *w) {
    dash_buf_free(&w->all.buf);
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < w->dims[k].n; i++) {
            free(w->dims[k].lists[i].code);
            free(w->dims[k].lists[i].name);
            dash_buf_free(&w->dims[k].lists[i].buf);
        }
        free(w->dims[k].lists);
    }
    for (size_t i = 0; i < w->nwritten; i++) {
        free(w->written[i]);
    }
    free(w->written);
    dash_buf_free(&w->page);
}

int dash_worklist(dash_t *d) {
    wl_t w;
    int rc = -1;

    memset(&w, 0, sizeof(w));
    w.d = d;
    w.all.name = "Semua aduan terbuka";
    snprintf(w.all.stem, sizeof(w.all.stem), "kerja");
    w.dims[0] = (wl_dim_t){"lokasi",        "Lokasi", "lokasi", &d->lokasi,
                           "(tidak diisi)", NULL,     0,        0};
    w.dims[1] =
        (wl_dim_t){"kategori",      "Kategori", "kategori", &d->kategori,
                   "(tidak diisi)", NULL,       0,          0};
    w.dims[2] = (wl_dim_t){"unit", "Unit", "unit", &d->unit, "Belum ditugaskan",
                           NULL,   0,      0};

    w.all.count = wl_count_open(d);
    if (w.all.count < 0 || wl_dim_load(&w, &w.dims[0]) != 0 ||
        wl_dim_load(&w, &w.dims[1]) != 0 || wl_dim_load(&w, &w.dims[2]) != 0) {
        goto done;
    }
    wl_set_pages(&w.all);
    wl_filter_bar(&w, &d->filters, NULL);
    if (wl_rows(&w) != 0 || wl_finish(&w, &w.all) != 0) {
        goto done;
    }
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < w.dims[k].n; i++) {
            if (wl_finish(&w, &w.dims[k].lists[i]) != 0) {
                goto done;
            }
        }
    }
    wl_remove_stale(&w);
    rc = 0;
done:
    w.all.name = NULL;
    wl_free(&w);
    return rc;
}
