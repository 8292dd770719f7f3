/*
 * report_pdf.c - the daily evaluation report's pages and PNG charts,
 * drawn with cairo from the figures of report_data.c.
 *
 *   1  Ringkasan            headline cards, what needs attention today,
 *                           submissions by type, verification and solving
 *   2  Tren                 submissions and solutions per day over the
 *                           season, the report's day marked; each service
 *                           category as a small multiple
 *   3  Rincian              by category, location, embarkation, reporter
 *   4  Waktu tanggapan      time to verification and to solution per
 *                           category against its target (bullet graphs)
 *   5  Evaluasi kinerja     per service category and per officers' unit
 *   6  Daftar aduan         the oldest open and the day's new factual
 *                           complaints
 *
 * Every page carries the day, the time zone and its number; each section
 * is a bookmark.  The PDF's dates are the report's day, so the same
 * database and day give the same bytes.  All text goes through pango;
 * nothing personal is ever drawn (report_data.c hides numbers and
 * addresses in excerpts and never reads names, phones or e-mails).
 */
#include "report_pdf.h"
#include "chart.h"
#include "chart_png.h"
#include "times.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE_W 595.276 /* A4, points */
#define PAGE_H 841.89
#define MARGIN 40.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define NPAGES 6
#define CARD_H 80.0
#define RECENT_DAYS 14 /* the trend on page one */

#define INK 0.13, 0.15, 0.18
#define MUTED 0.40, 0.43, 0.47
#define ACCENT 0.09, 0.45, 0.33

static const char *const page_titles[NPAGES] = {
    "Ringkasan",       "Tren",
    "Rincian laporan", "Waktu tanggapan",
    "Evaluasi kinerja", "Daftar aduan",
};

/* "2026-06-15" -> "Senin, 15 Juni 2026" */
static void long_date(const char *date, char *out, size_t size) {
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = atoi(date) - 1900;
    tm.tm_mon = atoi(date + 5) - 1;
    tm.tm_mday = atoi(date + 8);
    tm.tm_hour = 12;
    timegm(&tm); /* sets tm_wday */
    posko_date_long(&tm, out, size);
}

static void rule(cairo_t *cr, double x0, double x1, double y, double width) {
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
}

/* The band on top of every page; returns where the content starts. */
static double page_head(cairo_t *cr, const posko_report_data_t *d, int page) {
    char line[160], day[64];
    double y = MARGIN;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, ACCENT);
    y += posko_chart_text(cr, MARGIN, y,
                          "Laporan Evaluasi Harian Posko Pengaduan Jemaah Haji",
                          8.5, 1, POSKO_ALIGN_LEFT, CONTENT_W);
    long_date(d->date, day, sizeof(day));
    snprintf(line, sizeof(line), "%s (%s)", day, d->tz);
    cairo_set_source_rgb(cr, MUTED);
    posko_chart_text(cr, MARGIN + CONTENT_W, MARGIN, line, 8.5, 0,
                     POSKO_ALIGN_RIGHT, 0);
    y += 6;
    cairo_set_source_rgb(cr, INK);
    snprintf(line, sizeof(line), "%d. %s", page + 1, page_titles[page]);
    y += posko_chart_text(cr, MARGIN, y, line, 16.0, 1, POSKO_ALIGN_LEFT,
                          CONTENT_W);
    y += 6;
    cairo_set_source_rgb(cr, ACCENT);
    rule(cr, MARGIN, MARGIN + CONTENT_W, y, 1.2);
    return y + 14;
}

static void page_foot(cairo_t *cr, const posko_report_data_t *d, int page) {
    char line[200];

    cairo_set_source_rgb(cr, 0.80, 0.82, 0.85);
    rule(cr, MARGIN, MARGIN + CONTENT_W, PAGE_H - 34, 0.5);
    cairo_set_source_rgb(cr, MUTED);
    snprintf(line, sizeof(line),
             "posko \xe2\x80\x94 %s (%s) \xe2\x80\x94 halaman %d dari %d",
             d->date, d->tz, page + 1, NPAGES);
    posko_chart_text(cr, PAGE_W / 2, PAGE_H - 28, line, 7.5, 0,
                     POSKO_ALIGN_CENTER, 0);
}

static double heading_at(cairo_t *cr, double x, double y, const char *text) {
    cairo_set_source_rgb(cr, INK);
    return y + posko_chart_text(cr, x, y, text, 11.0, 1, POSKO_ALIGN_LEFT,
                                MARGIN + CONTENT_W - x) +
           6;
}

static double heading(cairo_t *cr, double y, const char *text) {
    return heading_at(cr, MARGIN, y, text);
}

static double note(cairo_t *cr, double y, const char *text) {
    cairo_set_source_rgb(cr, MUTED);
    return y + posko_chart_text(cr, MARGIN, y, text, 7.5, 0, POSKO_ALIGN_LEFT,
                                CONTENT_W);
}

/* Received and solved per day for n days from first, the last marked. */
static void draw_days(cairo_t *cr, const posko_report_data_t *d, int first,
                      int n, const char *title, double x, double y, double w,
                      double h) {
    const char *labels[POSKO_RD_DAYS];
    char short_labels[POSKO_RD_DAYS][8];

    for (int i = 0; i < n; i++) {
        const char *day = d->day_label[first + i];

        /* "2026-06-15" -> "15/6" */
        snprintf(short_labels[i], sizeof(short_labels[i]), "%d/%d",
                 atoi(day + 8), atoi(day + 5));
        labels[i] = short_labels[i];
    }
    posko_chart_series(cr, x, y, w, h, title, labels, n, d->day_in + first,
                       "masuk", d->day_out + first, "selesai", n - 1);
}

/* -- 1. Ringkasan ------------------------------------------------------------ */

/* A card's value and note for a share on time: "–" while nothing is due
 * yet, rather than a 0% that reads as failure. */
static void on_time_card(long on_time, long due, int with_standard,
                         char value[32], char note[96]) {
    char a[32], b[32], pct[32];

    if (due == 0) {
        snprintf(value, 32, "\xe2\x80\x93");
        snprintf(note, 96, "belum ada yang jatuh tempo");
    } else {
        snprintf(value, 32, "%s%%",
                 posko_rd_decimal(posko_rd_percent(on_time, due), pct));
        snprintf(note, 96, "%s dari %s", posko_rd_int(on_time, a),
                 posko_rd_int(due, b));
    }
    if (with_standard) {
        snprintf(note + strlen(note), 96 - strlen(note), "; standar %.0f%%",
                 POSKO_RD_STANDARD);
    }
}

/* Red for a share on time below the minimum standard. */
static posko_tone_t below_standard(long on_time, long due) {
    return due > 0 && posko_rd_percent(on_time, due) < POSKO_RD_STANDARD
               ? POSKO_TONE_ALERT
               : POSKO_TONE_PLAIN;
}

static void page_summary(cairo_t *cr, const posko_report_data_t *d) {
    static const char *const jenis[] = {"Kritik", "Saran", "Aduan",
                                        "Informasi"};
    static const char *const header[] = {"", "Hari ini", "Musim ini"};
    static const double widths[] = {0.5, 0.25, 0.25};
    static const posko_align_t align[] = {POSKO_ALIGN_LEFT, POSKO_ALIGN_RIGHT,
                                          POSKO_ALIGN_RIGHT};
    char v[4][32], n[4][96], num[6][2][32], pa[32];
    const char *cells[6 * 3];
    double y = page_head(cr, d, 0), gap = 8, cw = (CONTENT_W - 3 * gap) / 4;
    double half = (CONTENT_W - 2 * gap) / 2, tables_h;
    int recent;
    char line[400];

    /* four headline cards */
    posko_rd_int(d->day_total, v[0]);
    snprintf(n[0], sizeof(n[0]), "musim ini %s",
             posko_rd_int(d->season_total, pa));
    on_time_card(d->all.solved_on_time, d->all.solve_due, 1, v[1], n[1]);
    posko_rd_int(d->all.open, v[2]);
    snprintf(n[2], sizeof(n[2]), "%s melewati tenggat",
             posko_rd_int(d->all.overdue, pa));
    on_time_card(d->all.verified_on_time, d->all.verify_due, 0, v[3], n[3]);
    posko_chart_card(cr, MARGIN, y, cw, CARD_H, "Laporan masuk hari ini",
                     v[0], n[0]);
    posko_chart_card_toned(cr, MARGIN + (cw + gap), y, cw, CARD_H,
                           "Selesai tepat waktu", v[1], n[1],
                           below_standard(d->all.solved_on_time, d->all.solve_due));
    posko_chart_card(cr, MARGIN + 2 * (cw + gap), y, cw, CARD_H,
                     "Masih ditangani", v[2], n[2]);
    posko_chart_card_toned(cr, MARGIN + 3 * (cw + gap), y, cw, CARD_H,
                           "Diverifikasi tepat waktu", v[3], n[3],
                           below_standard(d->all.verified_on_time,
                                          d->all.verify_due));
    y += CARD_H + 20;

    /* what needs attention */
    y = heading(cr, y, "Perlu perhatian hari ini");
    for (int i = 0; i < d->nattention; i++) {
        snprintf(line, sizeof(line), "%d.  %s", i + 1, d->attention[i]);
        cairo_set_source_rgb(cr, INK);
        y += posko_chart_text(cr, MARGIN, y, line, 10.0, 0, POSKO_ALIGN_LEFT,
                              CONTENT_W) +
             5;
    }
    y += 14;

    /* by type, and the lifecycle, side by side */
    heading_at(cr, MARGIN + half + gap * 2, y, "Verifikasi dan tindak lanjut");
    y = heading(cr, y, "Laporan menurut jenis");
    for (int j = 0; j < 4; j++) {
        cells[j * 3] = jenis[j];
        cells[j * 3 + 1] = posko_rd_int(d->day_jenis[j], num[j][0]);
        cells[j * 3 + 2] = posko_rd_int(d->season_jenis[j], num[j][1]);
    }
    cells[12] = "Jumlah";
    cells[13] = posko_rd_int(d->day_total, num[4][0]);
    cells[14] = posko_rd_int(d->season_total, num[4][1]);
    tables_h = posko_chart_table(cr, MARGIN, y, half, header, widths, align,
                                 3, cells, 5, 9.0);
    {
        static const char *const rows[] = {"Diverifikasi", "Faktual",
                                           "Selesai"};
        long day[] = {d->all.day_verified, d->all.day_factual, d->all.day_solved};
        long season[] = {d->all.verified, d->all.factual,
                         d->all.solved};

        for (int i = 0; i < 3; i++) {
            cells[i * 3] = rows[i];
            cells[i * 3 + 1] = posko_rd_int(day[i], num[i][0]);
            cells[i * 3 + 2] = posko_rd_int(season[i], num[i][1]);
        }
        posko_chart_table(cr, MARGIN + half + gap * 2, y, half, header,
                          widths, align, 3, cells, 3, 9.0);
    }
    y += tables_h + 22;

    /* the last two weeks at a glance; the whole season is on page 2 */
    recent = d->ndays < RECENT_DAYS ? d->ndays : RECENT_DAYS;
    draw_days(cr, d, d->ndays - recent, recent,
              "Laporan masuk dan selesai, 14 hari terakhir", MARGIN, y,
              CONTENT_W, PAGE_H - 110 - y);
    y = PAGE_H - 100;
    snprintf(line, sizeof(line),
             "Musim sejak %s. Semua angka per akhir hari %s waktu %s. Tepat "
             "waktu: diverifikasi atau diselesaikan sebelum tenggat dari "
             "standar pelayanan (data/referensi.ini); standar minimal %.0f%% "
             "tepat waktu. Laporan ini tidak memuat nama, telepon, paspor "
             "atau email pelapor.",
             d->season_start, d->date, d->tz, POSKO_RD_STANDARD);
    note(cr, y, line);
    page_foot(cr, d, 0);
}

/* -- 2. Tren ------------------------------------------------------------------- */

static void draw_multiples(cairo_t *cr, const posko_report_data_t *d,
                           double x, double y, double w, double h) {
    static double values[POSKO_RD_GROUPS * POSKO_RD_DAYS];
    const char *names[POSKO_RD_GROUPS];
    int rows = d->eval_kategori.n;

    for (int r = 0; r < rows; r++) {
        names[r] = d->eval_kategori.row[r].name;
        for (int i = 0; i < d->ndays; i++) {
            values[r * d->ndays + i] = d->kategori_day_in[r][i];
        }
    }
    posko_chart_sparklines(cr, x, y, w, h,
                           "Laporan masuk per hari menurut kategori layanan",
                           names, values, rows, d->ndays, d->ndays - 1);
}

static void page_trend(cairo_t *cr, const posko_report_data_t *d) {
    double y = page_head(cr, d, 1);

    draw_days(cr, d, 0, d->ndays, "Laporan masuk dan selesai per hari",
              MARGIN, y, CONTENT_W, 300);
    y += 300 + 24;
    draw_multiples(cr, d, MARGIN, y, CONTENT_W, PAGE_H - 60 - y - 30);
    page_foot(cr, d, 1);
}

/* -- 3. Rincian ---------------------------------------------------------------- */

static void draw_breakdown(cairo_t *cr, const posko_rd_breakdown_t *b,
                           const char *title, double x, double y, double w,
                           double h) {
    const char *labels[POSKO_RD_GROUPS];
    long values[POSKO_RD_GROUPS];

    for (int i = 0; i < b->n; i++) {
        labels[i] = b->row[i].name;
        values[i] = b->row[i].season;
    }
    posko_chart_bars(cr, x, y, w, h, title, labels, values, b->n);
}

static void page_breakdowns(cairo_t *cr, const posko_report_data_t *d) {
    double y = page_head(cr, d, 2), gap = 18;
    double w = (CONTENT_W - gap) / 2, h = 300;

    draw_breakdown(cr, &d->by_kategori, "Menurut kategori layanan", MARGIN,
                   y, w, h);
    draw_breakdown(cr, &d->by_lokasi, "Menurut lokasi", MARGIN + w + gap, y,
                   w, h);
    y += h + 24;
    draw_breakdown(cr, &d->by_embarkasi, "Menurut embarkasi", MARGIN, y, w,
                   h + 60);
    draw_breakdown(cr, &d->by_pelapor, "Menurut pelapor", MARGIN + w + gap,
                   y, w, 140);
    note(cr, PAGE_H - 60,
         "Jumlah laporan sejak awal musim sampai akhir hari laporan.");
    page_foot(cr, d, 2);
}

/* -- 4. Waktu tanggapan ------------------------------------------------------ */

/* The exact figures behind the bullet graphs, a row per category. */
static double times_table(cairo_t *cr, double y, const posko_rd_evals_t *e) {
    static const double widths[] = {0.2,  0.12, 0.09, 0.09, 0.1,
                                    0.12, 0.09, 0.09, 0.1};
    static const char *const header[] = {
        "Kategori", "Verifikasi", "p90", "target", "n",
        "Selesai",  "p90",        "target", "n"};
    static posko_align_t align[9];
    static char text[POSKO_RD_GROUPS][8][32];
    const char *cells[POSKO_RD_GROUPS * 9];

    for (int c = 1; c < 9; c++) {
        align[c] = POSKO_ALIGN_RIGHT;
    }
    for (int i = 0; i < e->n; i++) {
        const posko_rd_eval_t *r = &e->row[i];
        const char **row = cells + i * 9;

        row[0] = r->name;
        row[1] = posko_rd_decimal(r->verify_p50, text[i][0]);
        row[2] = posko_rd_decimal(r->verify_p90, text[i][1]);
        row[3] = posko_rd_decimal(r->verify_target, text[i][2]);
        row[4] = posko_rd_int(r->verify_n, text[i][3]);
        row[5] = posko_rd_decimal(r->solve_p50, text[i][4]);
        row[6] = posko_rd_decimal(r->solve_p90, text[i][5]);
        row[7] = posko_rd_decimal(r->solve_target, text[i][6]);
        row[8] = posko_rd_int(r->solve_n, text[i][7]);
    }
    return posko_chart_table(cr, MARGIN, y, CONTENT_W, header, widths, align,
                             9, cells, e->n, 8.0);
}

static void page_times(cairo_t *cr, const posko_report_data_t *d) {
    const posko_rd_evals_t *e = &d->eval_kategori;
    double y = page_head(cr, d, 3), name_w = 96, gap = 16, row = 34;
    double bw = (CONTENT_W - name_w - gap) / 2;
    double vx = MARGIN + name_w, sx = vx + bw + gap;
    char text[32];

    cairo_set_source_rgb(cr, MUTED);
    posko_chart_text(cr, vx, y, "Sampai diverifikasi (median, jam)", 9.0, 1,
                     POSKO_ALIGN_LEFT, bw);
    posko_chart_text(cr, sx, y, "Sampai diselesaikan (median, jam)", 9.0, 1,
                     POSKO_ALIGN_LEFT, bw);
    y += 20;
    for (int i = 0; i < e->n; i++) {
        const posko_rd_eval_t *r = &e->row[i];
        double vmax = fmax(r->verify_target * 2, r->verify_p90);
        double smax = fmax(r->solve_target * 2, r->solve_p90);

        cairo_set_source_rgb(cr, INK);
        posko_chart_text_lines(cr, MARGIN, y + 2, r->name, 8.5, 1, name_w - 6,
                               2, 1);
        posko_chart_bullet(cr, vx, y, bw, row - 6, NULL, r->verify_p50,
                           r->verify_target, vmax,
                           posko_rd_decimal(r->verify_p50, text), 1);
        posko_chart_bullet(cr, sx, y, bw, row - 6, NULL, r->solve_p50,
                           r->solve_target, smax,
                           posko_rd_decimal(r->solve_p50, text), 1);
        y += row;
    }
    y += 16;
    y = heading(cr, y, "Angka lengkap: median, p90 dan target dalam jam");
    y += times_table(cr, y, e) + 10;
    note(cr, y,
         "Garis tegak: target standar pelayanan. Batang: median waktu sejak "
         "laporan diterima, untuk laporan yang sudah diverifikasi atau "
         "diselesaikan sampai akhir hari; p90: 9 dari 10 laporan lebih cepat "
         "dari ini; n: jumlah laporan yang dihitung.");
    page_foot(cr, d, 3);
}

/* -- 5. Evaluasi kinerja ------------------------------------------------------ */

static double eval_table(cairo_t *cr, double y, const posko_rd_evals_t *e,
                         const char *first) {
    static const double widths[] = {0.3, 0.09, 0.09, 0.16, 0.08, 0.15, 0.13};
    static const posko_align_t align[] = {
        POSKO_ALIGN_LEFT,  POSKO_ALIGN_RIGHT, POSKO_ALIGN_RIGHT,
        POSKO_ALIGN_RIGHT, POSKO_ALIGN_RIGHT, POSKO_ALIGN_RIGHT,
        POSKO_ALIGN_LEFT};
    const char *header[] = {first,         "Volume", "Faktual",    "Tepat waktu",
                            "Nilai",       "Penanganan", "Standar"};
    static char text[POSKO_RD_GROUPS][5][48];
    const char *cells[POSKO_RD_GROUPS * 7];
    char a[32], b[32];

    for (int i = 0; i < e->n; i++) {
        const posko_rd_eval_t *r = &e->row[i];
        const char **row = cells + i * 7;
        double on_time = posko_rd_percent(r->solved_on_time, r->solve_due);

        row[0] = r->name;
        row[1] = posko_rd_int(r->volume, text[i][0]);
        snprintf(text[i][1], sizeof(text[i][1]), "%s%%",
                 posko_rd_decimal(posko_rd_percent(r->factual, r->verified),
                                  a));
        row[2] = text[i][1];
        snprintf(text[i][2], sizeof(text[i][2]), "%s%% dari %s",
                 posko_rd_decimal(on_time, a),
                 posko_rd_int(r->solve_due, b));
        row[3] = r->solve_due > 0 ? text[i][2] : NULL;
        row[4] = r->rating_n > 0 ? posko_rd_decimal(r->rating_mean,
                                                    text[i][3])
                                 : NULL;
        row[5] = r->handling_n > 0 ? posko_rd_decimal(r->handling_mean,
                                                      text[i][4])
                                   : NULL;
        row[6] = r->solve_due == 0              ? NULL
                 : on_time >= POSKO_RD_STANDARD ? "memenuhi"
                                                : "di bawah";
    }
    return posko_chart_table(cr, MARGIN, y, CONTENT_W, header, widths, align,
                             7, cells, e->n, 8.5);
}

static void page_evaluation(cairo_t *cr, const posko_report_data_t *d) {
    double y = page_head(cr, d, 4);

    y = heading(cr, y, "Per kategori layanan");
    y += eval_table(cr, y, &d->eval_kategori, "Kategori layanan") + 20;
    y = heading(cr, y, "Per unit petugas");
    if (d->eval_unit.n == 0) {
        y = note(cr, y, "Belum ada laporan yang ditugaskan ke unit.") + 20;
    } else {
        y += eval_table(cr, y, &d->eval_unit, "Unit petugas") + 20;
    }
    note(cr, y,
         "Faktual: bagian laporan terverifikasi yang dinyatakan faktual. "
         "Tepat waktu: bagian aduan faktual yang diselesaikan sebelum "
         "tenggatnya, dari yang sudah selesai atau sudah lewat tenggat. "
         "Nilai: rata-rata penilaian jemaah (1-5) saat melapor. Penanganan: "
         "rata-rata penilaian jemaah (1-5) atas penanganan setelah laporan "
         "selesai. Standar: memenuhi bila sedikitnya 80% tepat waktu.");
    page_foot(cr, d, 4);
}

/* -- 6. Daftar aduan ------------------------------------------------------------- */

static double list_table(cairo_t *cr, double y, const posko_rd_list_t *l) {
    static const double widths[] = {0.17, 0.16, 0.12, 0.08, 0.08, 0.39};
    static const posko_align_t align[] = {
        POSKO_ALIGN_LEFT, POSKO_ALIGN_LEFT,  POSKO_ALIGN_LEFT,
        POSKO_ALIGN_LEFT, POSKO_ALIGN_RIGHT, POSKO_ALIGN_LEFT};
    static const char *const header[] = {"Kode", "Kategori", "Lokasi",
                                         "Emb.", "Umur", "Uraian"};
    static char age[POSKO_RD_LIST][32];
    const char *cells[POSKO_RD_LIST * 6];
    char a[32];

    for (int i = 0; i < l->n; i++) {
        const posko_rd_item_t *it = &l->item[i];

        cells[i * 6] = it->kode;
        cells[i * 6 + 1] = it->kategori;
        cells[i * 6 + 2] = it->lokasi;
        cells[i * 6 + 3] = it->embarkasi_kode;
        snprintf(age[i], sizeof(age[i]), "%s hr",
                 posko_rd_decimal(it->age_days, a));
        cells[i * 6 + 4] = age[i];
        cells[i * 6 + 5] = it->excerpt;
    }
    return posko_chart_table(cr, MARGIN, y, CONTENT_W, header, widths, align,
                             6, cells, l->n, 8.0);
}

static void page_lists(cairo_t *cr, const posko_report_data_t *d) {
    double y = page_head(cr, d, 5);
    char title[128], n[32];

    snprintf(title, sizeof(title), "Aduan terbuka terlama (dari %s terbuka)",
             posko_rd_int(d->oldest_open.total, n));
    y = heading(cr, y, title);
    y += list_table(cr, y, &d->oldest_open) + 24;
    snprintf(title, sizeof(title), "Aduan faktual baru hari ini (%s)",
             posko_rd_int(d->new_factual.total, n));
    y = heading(cr, y, title);
    if (d->new_factual.n == 0) {
        y = note(cr, y, "Tidak ada aduan yang dinyatakan faktual hari ini.");
    } else {
        y += list_table(cr, y, &d->new_factual);
    }
    note(cr, y + 14,
         "Emb.: kode embarkasi (nama kotanya di halaman 3). Umur: hari sejak "
         "diterima. Uraian dipotong; nomor telepon, paspor dan alamat email "
         "di dalamnya disamarkan (\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2).");
    page_foot(cr, d, 5);
}

/* -- the files ------------------------------------------------------------------ */

int posko_report_pdf(const posko_report_data_t *d, const char *path) {
    static void (*const pages[NPAGES])(cairo_t *,
                                       const posko_report_data_t *) = {
        page_summary,    page_trend,      page_breakdowns,
        page_times,      page_evaluation, page_lists};
    char create[32], title[128], link[32];
    cairo_surface_t *surface;
    cairo_status_t status;
    cairo_t *cr;

    snprintf(create, sizeof(create), "%sT00:00:00", d->date);
    snprintf(title, sizeof(title),
             "Laporan Evaluasi Harian Posko Pengaduan Jemaah Haji %s",
             d->date);
    surface = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(
        surface, CAIRO_PDF_METADATA_AUTHOR,
        "Tim Pemantauan dan Evaluasi Kinerja Petugas dan Layanan");
    cairo_pdf_surface_set_metadata(
        surface, CAIRO_PDF_METADATA_SUBJECT,
        "Evaluasi harian kinerja petugas dan kualitas layanan haji");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS,
                                   "posko, haji, pengaduan, evaluasi");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                   "posko report");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   create);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE,
                                   create);
    cr = cairo_create(surface);
    for (int p = 0; p < NPAGES; p++) {
        snprintf(link, sizeof(link), "page=%d", p + 1);
        cairo_pdf_surface_add_outline(surface, CAIRO_PDF_OUTLINE_ROOT,
                                      page_titles[p], link, 0);
        pages[p](cr, d);
        cairo_show_page(cr);
    }
    status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_status(surface);
    }
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "posko report: cannot write %s: %s\n", path,
                cairo_status_to_string(status));
        return -1;
    }
    return 0;
}

/* The charts as PNG files, each PNG_W x PNG_H pixels, drawn at twice the
 * size of their user units. */
const posko_png_t posko_report_pngs[POSKO_REPORT_PNGS] = {
    {"tren", 1200, 700},     {"kategori", 1200, 700},
    {"lokasi", 1200, 700},   {"embarkasi", 1200, 900},
    {"per-kategori", 1200, 1000},
};

int posko_report_png(const posko_report_data_t *d, int which,
                     const char *path) {
    const posko_png_t *png = &posko_report_pngs[which];
    cairo_surface_t *surface;
    cairo_status_t status;
    cairo_t *cr;
    double w = png->width / 2.0, h = png->height / 2.0;

    surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, png->width,
                                         png->height);
    cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, 2.0, 2.0);
    switch (which) {
    case 0:
        draw_days(cr, d, 0, d->ndays, "Laporan masuk dan selesai per hari",
                  16, 16, w - 32, h - 32);
        break;
    case 1:
        draw_breakdown(cr, &d->by_kategori, "Laporan menurut kategori layanan",
                       16, 16, w - 32, h - 32);
        break;
    case 2:
        draw_breakdown(cr, &d->by_lokasi, "Laporan menurut lokasi", 16, 16,
                       w - 32, h - 32);
        break;
    case 3:
        draw_breakdown(cr, &d->by_embarkasi, "Laporan menurut embarkasi", 16,
                       16, w - 32, h - 32);
        break;
    default:
        draw_multiples(cr, d, 16, 16, w - 32, h - 32);
        break;
    }
    status = cairo_status(cr);
    cairo_destroy(cr);
    if (status != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        fprintf(stderr, "posko report: cannot draw %s: %s\n", path,
                cairo_status_to_string(status));
        return -1;
    }
    if (posko_png_write(surface, path) != 0) {
        fprintf(stderr, "posko report: cannot write %s: %s\n", path,
                strerror(errno));
        cairo_surface_destroy(surface);
        return -1;
    }
    cairo_surface_destroy(surface);
    return 0;
}
