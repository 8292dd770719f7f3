/*
 * report.c - `posko report`: the daily evaluation report for leadership.
 *
 *   posko report --db FILE --date YYYY-MM-DD --out DIR [--tz ZONE]
 *
 * writes DIR/posko-YYYY-MM-DD.pdf, one A4 page, and the category chart as
 * DIR/posko-YYYY-MM-DD-kategori.png beside it.  The day runs from local
 * midnight to local midnight in ZONE (Asia/Riyadh unless told otherwise);
 * the database stores UTC, so the day's bounds are turned into UTC strings
 * that compare directly with complaints.received_at.
 *
 * The report only counts.  It never shows a name, a phone number or an
 * e-mail address, and it never quotes a description.
 *
 * The output is reproducible: the PDF's dates are the report's date, not
 * the time the report was made.  Each file is written under a temporary
 * name in DIR and renamed into place, so a reader never sees half a file.
 */
#include "chart.h"
#include "posko.h"
#include "report_data.h"
#include "report_text.h"
#include "posko_form.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POSKO_DEFAULT_TZ "Asia/Riyadh"

/* A4 in points, and the page's margins. */
#define POSKO_PAGE_W 595.276
#define POSKO_PAGE_H 841.89
#define POSKO_MARGIN 56.0

/* The PNG chart: pixels, drawn at twice the size of its user units. */
#define POSKO_PNG_W 1200
#define POSKO_PNG_H 700
#define POSKO_PNG_SCALE 2.0

/* Enough room for any of the shipped value lists. */
#define POSKO_MAX_VALUES 32

#define POSKO_CHART_TITLE "Laporan per kategori layanan"

typedef struct {
    const char *db_path;
    const char *date; /* YYYY-MM-DD, checked */
    const char *out_dir;
    const char *tz;
    int text; /* --text: the figures as text on stdout */
} posko_report_args_t;

/* Counts for one list of values (jenis or kategori). */
typedef struct {
    const char *const *values; /* from posko_fields, NULL-terminated */
    int n;
    long count[POSKO_MAX_VALUES];
    long other; /* rows whose value is not in the list */
} posko_tally_t;

typedef struct {
    const posko_report_args_t *args;
    char from_utc[32]; /* the day's bounds, as received_at strings */
    char to_utc[32];
    long day_total;
    long season_total;
    posko_tally_t day_jenis;
    posko_tally_t season_jenis;
    posko_tally_t day_kategori;
} posko_report_t;

/* -- arguments ------------------------------------------------------------ */

static int posko_report_usage(const char *fmt, const char *what) {
    fprintf(stderr, "posko report: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\nusage: %s", posko_usage("report"));
    return POSKO_EXIT_USAGE;
}

static int posko_is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Accepts exactly YYYY-MM-DD naming a real calendar day. */
static int posko_parse_date(const char *s, int *y, int *m, int *d) {
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return -1;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return -1;
        }
    }
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    if (*y < 1970 || *m < 1 || *m > 12 || *d < 1) {
        return -1;
    }
    if (*d > mdays[*m - 1] + (*m == 2 && posko_is_leap(*y))) {
        return -1;
    }
    return 0;
}

/* A zone is a name from the time zone database; glibc would silently
 * take an unknown name for UTC, which would shift the whole day. */
static int posko_tz_known(const char *tz) {
    const char *dir = getenv("TZDIR");
    char path[4096];

    if (tz[0] == '\0' || tz[0] == '/' || strstr(tz, "..") != NULL) {
        return 0;
    }
    if (dir == NULL || dir[0] == '\0') {
        dir = "/usr/share/zoneinfo";
    }
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, tz) >=
        sizeof(path)) {
        return 0;
    }
    return access(path, R_OK) == 0;
}

static int posko_report_parse(int argc, char **argv,
                              posko_report_args_t *args) {
    static const char *const flags[] = {"--db", "--date", "--out", "--tz"};
    const char **slots[] = {&args->db_path, &args->date, &args->out_dir,
                            &args->tz};
    int y, m, d;

    memset(args, 0, sizeof(*args));
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        size_t k;

        if (strcmp(arg, "--text") == 0) {
            args->text = 1;
            continue;
        }
        for (k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
            size_t len = strlen(flags[k]);

            if (strcmp(arg, flags[k]) == 0) {
                if (i + 1 >= argc) {
                    return posko_report_usage("%s needs a value", arg);
                }
                value = argv[++i];
                break;
            }
            if (strncmp(arg, flags[k], len) == 0 && arg[len] == '=') {
                value = arg + len + 1;
                break;
            }
        }
        if (k == sizeof(flags) / sizeof(flags[0])) {
            return posko_report_usage("unknown option '%s'", arg);
        }
        if (*slots[k] != NULL) {
            return posko_report_usage("%s given more than once", flags[k]);
        }
        if (value[0] == '\0') {
            return posko_report_usage("%s needs a value", flags[k]);
        }
        *slots[k] = value;
    }
    for (size_t k = 0; k < 3; k++) {
        if (*slots[k] == NULL && !(k == 2 && args->text)) {
            return posko_report_usage("%s is required", flags[k]);
        }
    }
    if (posko_parse_date(args->date, &y, &m, &d) != 0) {
        return posko_report_usage(
            "--date '%s' is not a calendar date (YYYY-MM-DD)", args->date);
    }
    if (args->tz == NULL) {
        args->tz = POSKO_DEFAULT_TZ;
    }
    if (!posko_tz_known(args->tz)) {
        return posko_report_usage("--tz '%s' is not a known time zone",
                                  args->tz);
    }
    return POSKO_EXIT_OK;
}

/* -- the day's bounds ----------------------------------------------------- */

static int posko_utc_string(time_t t, char *buf, size_t size) {
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL ||
        strftime(buf, size, "%Y-%m-%dT%H:%M:%S.000Z", &tm) == 0) {
        return -1;
    }
    return 0;
}

/* Local midnight of the date and of the day after, in the report's zone,
 * as UTC strings. */
static int posko_day_bounds(posko_report_t *r) {
    struct tm tm;
    time_t from, to;
    int y, m, d;

    posko_parse_date(r->args->date, &y, &m, &d);
    setenv("TZ", r->args->tz, 1);
    tzset();

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_isdst = -1;
    from = mktime(&tm);

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d + 1;
    tm.tm_isdst = -1;
    to = mktime(&tm);

    if (from == (time_t)-1 || to == (time_t)-1 ||
        posko_utc_string(from, r->from_utc, sizeof(r->from_utc)) != 0 ||
        posko_utc_string(to, r->to_utc, sizeof(r->to_utc)) != 0) {
        fprintf(stderr, "posko report: cannot place %s in time zone %s\n",
                r->args->date, r->args->tz);
        return -1;
    }
    return 0;
}

/* -- counting ------------------------------------------------------------- */

static void posko_tally_init(posko_tally_t *t, posko_field_id_t field) {
    memset(t, 0, sizeof(*t));
    t->values = posko_fields[field].values;
    while (t->n < POSKO_MAX_VALUES && t->values[t->n] != NULL) {
        t->n++;
    }
}

static void posko_tally_add(posko_tally_t *t, const char *value, long n) {
    for (int i = 0; value != NULL && i < t->n; i++) {
        if (strcmp(t->values[i], value) == 0) {
            t->count[i] += n;
            return;
        }
    }
    t->other += n;
}

/* Runs "SELECT column, count(*) ... GROUP BY column" with the bounds bound
 * to ?1 and ?2 and adds each group to the tally.  Returns the total. */
static long posko_count(sqlite3 *db, const char *sql, const char *from,
                        const char *to, posko_tally_t *t) {
    sqlite3_stmt *st = NULL;
    long total = 0;
    int rc;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        posko_db_error(db, "cannot count complaints");
        return -1;
    }
    sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long n = (long)sqlite3_column_int64(st, 1);

        posko_tally_add(t, (const char *)sqlite3_column_text(st, 0), n);
        total += n;
    }
    if (rc != SQLITE_DONE) {
        posko_db_error(db, "cannot count complaints");
        total = -1;
    }
    sqlite3_finalize(st);
    return total;
}

static int posko_report_load(posko_report_t *r) {
    sqlite3 *db = posko_db_open(r->args->db_path, 1);
    posko_tally_t kategori_season;
    int rc = 0;

    if (db == NULL) {
        return -1;
    }
    posko_tally_init(&r->day_jenis, POSKO_F_JENIS);
    posko_tally_init(&r->season_jenis, POSKO_F_JENIS);
    posko_tally_init(&r->day_kategori, POSKO_F_KATEGORI);
    posko_tally_init(&kategori_season, POSKO_F_KATEGORI);

    /* One read transaction, so that the day and the season agree even
     * while ingest is writing. */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        posko_db_error(db, "cannot read the database");
        sqlite3_close(db);
        return -1;
    }
    r->day_total = posko_count(db,
                               "SELECT jenis, count(*) FROM complaints "
                               "WHERE received_at >= ?1 AND received_at < ?2 "
                               "GROUP BY jenis",
                               r->from_utc, r->to_utc, &r->day_jenis);
    r->season_total = posko_count(db,
                                  "SELECT jenis, count(*) FROM complaints "
                                  "WHERE received_at < ?2 "
                                  "GROUP BY jenis",
                                  r->from_utc, r->to_utc, &r->season_jenis);
    if (r->day_total < 0 || r->season_total < 0 ||
        posko_count(db,
                    "SELECT kategori, count(*) FROM complaints "
                    "WHERE received_at >= ?1 AND received_at < ?2 "
                    "GROUP BY kategori",
                    r->from_utc, r->to_utc, &r->day_kategori) < 0) {
        rc = -1;
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* -- drawing -------------------------------------------------------------- */

/* "bimbingan_ibadah" -> "Bimbingan ibadah": the stored values are lower
 * case words joined by '_', which reads well once capitalised. */
static void posko_human_label(const char *value, char *buf, size_t size) {
    size_t i;

    for (i = 0; value[i] != '\0' && i + 1 < size; i++) {
        char c = value[i] == '_' ? ' ' : value[i];

        if (i == 0 && c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        buf[i] = c;
    }
    buf[i] = '\0';
}

static void posko_rule(cairo_t *cr, double x0, double x1, double y,
                       double width) {
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
}

/* Draws the category chart of the day into the box. */
static void posko_draw_kategori(cairo_t *cr, const posko_report_t *r, double x,
                                double y, double w, double h) {
    char names[POSKO_MAX_VALUES][64];
    const char *labels[POSKO_MAX_VALUES];
    const posko_tally_t *t = &r->day_kategori;

    for (int i = 0; i < t->n; i++) {
        posko_human_label(t->values[i], names[i], sizeof(names[i]));
        labels[i] = names[i];
    }
    posko_chart_bars(cr, x, y, w, h, POSKO_CHART_TITLE, labels, t->count, t->n);
}

/* One row of the table by jenis; returns the row's height. */
static double posko_table_row(cairo_t *cr, double x, double y,
                              const double *cols, const char *const *cells,
                              int bold, int shaded) {
    const double row_h = 18.0, pad = 6.0;
    double right = x + cols[0] + cols[1] + cols[2];

    if (shaded) {
        cairo_set_source_rgb(cr, 0.94, 0.95, 0.96);
        cairo_rectangle(cr, x, y, right - x, row_h);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.13, 0.15, 0.18);
    posko_chart_text(cr, x + pad, y + 4, cells[0], 9.0, bold, POSKO_ALIGN_LEFT,
                     0);
    posko_chart_text(cr, x + cols[0] + cols[1] - pad, y + 4, cells[1], 9.0,
                     bold, POSKO_ALIGN_RIGHT, 0);
    posko_chart_text(cr, right - pad, y + 4, cells[2], 9.0, bold,
                     POSKO_ALIGN_RIGHT, 0);
    cairo_set_source_rgb(cr, 0.80, 0.82, 0.85);
    posko_rule(cr, x, right, y + row_h, 0.5);
    return row_h;
}

static double posko_draw_jenis_table(cairo_t *cr, const posko_report_t *r,
                                     double x, double y, double w) {
    const double cols[3] = {w - 2 * 130.0, 130.0, 130.0};
    const posko_tally_t *day = &r->day_jenis, *season = &r->season_jenis;
    const char *cells[3];
    char label[64], a[32], b[32];
    double y0 = y;

    cells[0] = "Jenis laporan";
    cells[1] = "Hari ini";
    cells[2] = "Sejak awal musim";
    y += posko_table_row(cr, x, y, cols, cells, 1, 1);
    for (int i = 0; i < day->n; i++) {
        posko_human_label(day->values[i], label, sizeof(label));
        snprintf(a, sizeof(a), "%ld", day->count[i]);
        snprintf(b, sizeof(b), "%ld", season->count[i]);
        cells[0] = label;
        cells[1] = a;
        cells[2] = b;
        y += posko_table_row(cr, x, y, cols, cells, 0, 0);
    }
    /* Rows outside the shipped list are still counted, never hidden. */
    if (day->other > 0 || season->other > 0) {
        snprintf(a, sizeof(a), "%ld", day->other);
        snprintf(b, sizeof(b), "%ld", season->other);
        cells[0] = "Jenis lain";
        cells[1] = a;
        cells[2] = b;
        y += posko_table_row(cr, x, y, cols, cells, 0, 0);
    }
    snprintf(a, sizeof(a), "%ld", r->day_total);
    snprintf(b, sizeof(b), "%ld", r->season_total);
    cells[0] = "Jumlah";
    cells[1] = a;
    cells[2] = b;
    y += posko_table_row(cr, x, y, cols, cells, 1, 1);
    cairo_set_source_rgb(cr, 0.45, 0.47, 0.50);
    posko_rule(cr, x, x + w, y0, 0.8);
    return y - y0;
}

static void posko_draw_page(cairo_t *cr, const posko_report_t *r) {
    const double x = POSKO_MARGIN, w = POSKO_PAGE_W - 2 * POSKO_MARGIN;
    const char *date = r->args->date, *tz = r->args->tz;
    char line[256];
    double y = POSKO_MARGIN;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);

    /* Heading. */
    cairo_set_source_rgb(cr, 0.09, 0.45, 0.33);
    y += posko_chart_text(cr, x, y,
                          "Tim Pemantauan dan Evaluasi Kinerja Petugas dan "
                          "Layanan",
                          8.5, 1, POSKO_ALIGN_LEFT, w);
    y += 4;
    cairo_set_source_rgb(cr, 0.13, 0.15, 0.18);
    y += posko_chart_text(cr, x, y,
                          "Laporan Evaluasi Harian Posko Pengaduan Jemaah "
                          "Haji",
                          15.0, 1, POSKO_ALIGN_LEFT, w);
    y += 6;
    snprintf(line, sizeof(line), "Tanggal: %s (%s)", date, tz);
    y += posko_chart_text(cr, x, y, line, 10.0, 0, POSKO_ALIGN_LEFT, w);
    y += 2;
    cairo_set_source_rgb(cr, 0.40, 0.43, 0.47);
    snprintf(line, sizeof(line),
             "Rentang waktu (UTC): %.10s %.5s s.d. %.10s %.5s", r->from_utc,
             r->from_utc + 11, r->to_utc, r->to_utc + 11);
    y += posko_chart_text(cr, x, y, line, 8.0, 0, POSKO_ALIGN_LEFT, w);
    y += 10;
    cairo_set_source_rgb(cr, 0.09, 0.45, 0.33);
    posko_rule(cr, x, x + w, y, 1.5);
    y += 16;

    /* The day's figure, then the table by jenis. */
    cairo_set_source_rgb(cr, 0.13, 0.15, 0.18);
    snprintf(line, sizeof(line), "Jumlah laporan hari ini: %ld", r->day_total);
    y += posko_chart_text(cr, x, y, line, 13.0, 1, POSKO_ALIGN_LEFT, w);
    y += 18;
    y += posko_chart_text(cr, x, y, "Laporan menurut jenis", 11.0, 1,
                          POSKO_ALIGN_LEFT, w);
    y += 8;
    y += posko_draw_jenis_table(cr, r, x, y, w);
    y += 5;
    cairo_set_source_rgb(cr, 0.40, 0.43, 0.47);
    snprintf(line, sizeof(line),
             "Sejak awal musim: semua laporan yang diterima sampai akhir "
             "tanggal %s.",
             date);
    y += posko_chart_text(cr, x, y, line, 7.5, 0, POSKO_ALIGN_LEFT, w);
    y += 24;

    /* The chart by kategori. */
    posko_draw_kategori(cr, r, x, y, w, 340);
    y += 340 + 14;
    cairo_set_source_rgb(cr, 0.40, 0.43, 0.47);
    posko_chart_text(cr, x, y,
                     "Laporan ini hanya memuat jumlah; nama, telepon dan "
                     "email pelapor tidak ditampilkan.",
                     7.5, 0, POSKO_ALIGN_LEFT, w);

    /* Footer. */
    cairo_set_source_rgb(cr, 0.80, 0.82, 0.85);
    posko_rule(cr, x, x + w, POSKO_PAGE_H - 40, 0.5);
    cairo_set_source_rgb(cr, 0.40, 0.43, 0.47);
    snprintf(line, sizeof(line), "posko \u2014 %s (%s) \u2014 halaman 1", date,
             tz);
    posko_chart_text(cr, POSKO_PAGE_W / 2, POSKO_PAGE_H - 34, line, 7.5, 0,
                     POSKO_ALIGN_CENTER, 0);
}

/* -- files ---------------------------------------------------------------- */

/* mkdir -p, with 0750 for what it creates. */
static int posko_mkdirs(const char *dir) {
    char path[4096];
    size_t len = strlen(dir);
    struct stat sb;

    if (len == 0 || len >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0') {
            continue;
        }
        path[i] = '\0';
        if (mkdir(path, 0750) != 0 && errno != EEXIST) {
            return -1;
        }
        path[i] = dir[i];
    }
    if (stat(dir, &sb) != 0) {
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* Moves a finished temporary file into place, or removes it. */
static int posko_commit_file(const char *tmp, const char *path,
                             cairo_status_t status) {
    if (status != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "posko report: cannot write %s: %s\n", path,
                cairo_status_to_string(status));
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "posko report: cannot rename %s to %s: %s\n", tmp, path,
                strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int posko_write_pdf(const posko_report_t *r, const char *path) {
    char tmp[4200], create[32], title[128];
    cairo_surface_t *surface;
    cairo_status_t status;
    cairo_t *cr;

    snprintf(tmp, sizeof(tmp), "%s/.posko-%s.pdf.%ld.tmp", r->args->out_dir,
             r->args->date, (long)getpid());
    snprintf(create, sizeof(create), "%sT00:00:00", r->args->date);
    snprintf(title, sizeof(title),
             "Laporan Evaluasi Harian Posko Pengaduan Jemaah Haji %s",
             r->args->date);

    surface = cairo_pdf_surface_create(tmp, POSKO_PAGE_W, POSKO_PAGE_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(
        surface, CAIRO_PDF_METADATA_AUTHOR,
        "Tim Pemantauan dan Evaluasi Kinerja Petugas dan Layanan");
    cairo_pdf_surface_set_metadata(
        surface, CAIRO_PDF_METADATA_SUBJECT,
        "Laporan harian pengaduan, kritik, saran dan informasi jemaah haji");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                   "posko report");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   create);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE,
                                   create);

    cr = cairo_create(surface);
    posko_draw_page(cr, r);
    cairo_show_page(cr);
    status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_status(surface);
    }
    cairo_surface_destroy(surface);
    return posko_commit_file(tmp, path, status);
}

static int posko_write_png(const posko_report_t *r, const char *path) {
    char tmp[4200];
    cairo_surface_t *surface;
    cairo_status_t status;
    cairo_t *cr;
    const double w = POSKO_PNG_W / POSKO_PNG_SCALE;
    const double h = POSKO_PNG_H / POSKO_PNG_SCALE;

    snprintf(tmp, sizeof(tmp), "%s/.posko-%s-kategori.png.%ld.tmp",
             r->args->out_dir, r->args->date, (long)getpid());
    surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, POSKO_PNG_W,
                                         POSKO_PNG_H);
    cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, POSKO_PNG_SCALE, POSKO_PNG_SCALE);
    posko_draw_kategori(cr, r, 20, 18, w - 40, h - 36);
    status = cairo_status(cr);
    cairo_destroy(cr);
    if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_write_to_png(surface, tmp);
    }
    cairo_surface_destroy(surface);
    return posko_commit_file(tmp, path, status);
}

/* -- the command ---------------------------------------------------------- */

int posko_cmd_report(int argc, char **argv) {
    posko_report_args_t args;
    posko_report_t report;
    char pdf[4200], png[4200];
    mode_t old_mask;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: %s", posko_usage("report"));
            return POSKO_EXIT_OK;
        }
    }
    rc = posko_report_parse(argc, argv, &args);
    if (rc != POSKO_EXIT_OK) {
        return rc;
    }

    if (args.text) {
        sqlite3 *db = posko_db_open(args.db_path, 1);
        posko_report_data_t *data = calloc(1, sizeof(*data));

        rc = db != NULL && data != NULL &&
             posko_report_data_load(db, args.date, args.tz, data) == 0;
        if (rc) {
            posko_report_text(stdout, data);
        }
        free(data);
        sqlite3_close(db);
        if (!rc) {
            return POSKO_EXIT_FAIL;
        }
        if (args.out_dir == NULL) {
            return POSKO_EXIT_OK;
        }
    }

    memset(&report, 0, sizeof(report));
    report.args = &args;
    if (posko_day_bounds(&report) != 0 || posko_report_load(&report) != 0) {
        return POSKO_EXIT_FAIL;
    }
    if (posko_mkdirs(args.out_dir) != 0) {
        fprintf(stderr, "posko report: cannot create directory %s: %s\n",
                args.out_dir, strerror(errno));
        return POSKO_EXIT_FAIL;
    }
    if ((size_t)snprintf(pdf, sizeof(pdf), "%s/posko-%s.pdf", args.out_dir,
                         args.date) >= sizeof(pdf) ||
        (size_t)snprintf(png, sizeof(png), "%s/posko-%s-kategori.png",
                         args.out_dir, args.date) >= sizeof(png)) {
        fprintf(stderr, "posko report: the path %s is too long\n",
                args.out_dir);
        return POSKO_EXIT_FAIL;
    }

    /* Reports stay within the team, like the database they come from. */
    old_mask = umask(027);
    rc = posko_write_pdf(&report, pdf) != 0 || posko_write_png(&report, png);
    umask(old_mask);
    posko_chart_cleanup();
    if (rc != 0) {
        return POSKO_EXIT_FAIL;
    }
    printf("report: %s (%ld submissions on %s)\n", pdf, report.day_total,
           args.date);
    return POSKO_EXIT_OK;
}
