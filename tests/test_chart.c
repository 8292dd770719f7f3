/*
 * test_chart.c - unit tests for the chart primitives (batch/chart.c).
 *
 * Each primitive draws on an image surface filled first with a colour no
 * chart uses; afterwards every pixel outside the primitive's box must
 * still have that colour, some pixel inside must not, and cairo must
 * report no error.  The cases are the edges a daily report meets: one
 * day and a season of 120, empty days, huge numbers, gaps, values past
 * the scale, a 300-character label in Latin and Arabic script with an
 * emoji, boxes from roomy to a few units, at scale 1 and 2 (the PNG).
 *
 * chart.c clips to the box as a last guard; this test builds it with
 * POSKO_CHART_NO_CLIP (see the Makefile), so what is checked is that the
 * layout itself stays inside.
 *
 * A sheet with every primitive goes to build/chart-demo.png for a person
 * to look at, and through a PDF surface to check the vector path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "chart.h"

#define CANVAS_W 420 /* user units */
#define CANVAS_H 320
#define BOX_X 13 /* every box starts here, away from the canvas edge */
#define BOX_Y 11
#define MAX_DAYS 120
#define DEMO_PNG "build/chart-demo.png"

/* A colour no chart draws with: magenta, opaque. */
#define BACKGROUND 0xFFFF00FFu

/* 300 characters: Indonesian, Arabic (with its own digits) and an emoji. */
static const char long_label[] =
    "Pelayanan jemaah di Makkah \u062e\u062f\u0645\u0629 "
    "\u0627\u0644\u062d\u062c\u0627\u062c \U0001F54B sangat baik "
    "\u0665\u0664\u0663 dan katering \u0637\u0639\u0627\u0645 "
    "\u0627\u0644\u062d\u062c\u0627\u062c \U0001F35B terlambat tiga hari "
    "berturut-turut di hotel sektor 4 dekat Masjidil Haram; "
    "\u0627\u0644\u0645\u0633\u062c\u062f \u0627\u0644\u062d\u0631\u0627\u0645 "
    "\U0001F54C mohon segera ditindaklanjuti oleh petugas daker Makkah, "
    "terima kasih banyak atas perhatian dan kerja keras seluruh petugas "
    "haji Indonesia tahun ini, semoga mabrur.";

/* The box sizes every case is drawn in, from roomy to hopeless. */
static const struct {
    double w, h;
} boxes[] = {
    {390, 290}, {250, 150}, {160, 70}, {90, 40}, {40, 16}, {8, 5},
};

static const double scales[] = {1, 2};

typedef void (*draw_fn)(cairo_t *cr, double x, double y, double w, double h,
                        const void *arg);

/* -- the canvas ----------------------------------------------------------- */

static size_t utf8_chars(const char *s) {
    size_t n = 0;

    for (; *s != '\0'; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

/* An image surface of the canvas at a scale, filled with BACKGROUND. */
static cairo_t *canvas_new(double scale) {
    cairo_surface_t *surface = cairo_image_surface_create(
        CAIRO_FORMAT_ARGB32, (int)(CANVAS_W * scale), (int)(CANVAS_H * scale));
    cairo_t *cr = cairo_create(surface);

    cairo_surface_destroy(surface); /* cr holds it */
    cairo_set_source_rgb(cr, 1, 0, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    return cr;
}

/* Checks that cairo is fine, that no pixel outside the box (in user units
 * at the scale) changed, and that at least one inside did.  Returns the
 * number of changed pixels. */
static long canvas_check(cairo_t *cr, double scale, double x, double y,
                         double w, double h, const char *what) {
    cairo_surface_t *surface = cairo_get_target(cr);
    int sw = cairo_image_surface_get_width(surface);
    int sh = cairo_image_surface_get_height(surface);
    int stride = cairo_image_surface_get_stride(surface);
    long x0 = (long)floor(x * scale), x1 = (long)ceil((x + w) * scale);
    long y0 = (long)floor(y * scale), y1 = (long)ceil((y + h) * scale);
    const unsigned char *data;
    long changed = 0;

    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        fail_msg("%s: cairo says %s", what,
                 cairo_status_to_string(cairo_status(cr)));
    }
    cairo_surface_flush(surface);
    assert_int_equal(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
    data = cairo_image_surface_get_data(surface);
    for (int py = 0; py < sh; py++) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)py * stride);

        for (int px = 0; px < sw; px++) {
            int inside = px >= x0 && px < x1 && py >= y0 && py < y1;

            if (row[px] == BACKGROUND) {
                continue;
            }
            if (!inside) {
                fail_msg("%s: pixel (%d, %d) outside the box "
                         "[%ld, %ld) x [%ld, %ld) at scale %g is 0x%08x",
                         what, px, py, x0, x1, y0, y1, scale, row[px]);
            }
            changed++;
        }
    }
    return changed;
}

/* Draws a case in every box at every scale; checks each. */
static void sweep(const char *what, draw_fn draw, const void *arg) {
    char name[256];

    for (size_t s = 0; s < sizeof(scales) / sizeof(scales[0]); s++) {
        for (size_t b = 0; b < sizeof(boxes) / sizeof(boxes[0]); b++) {
            cairo_t *cr = canvas_new(scales[s]);
            long changed;

            snprintf(name, sizeof(name), "%s in %gx%g", what, boxes[b].w,
                     boxes[b].h);
            draw(cr, BOX_X, BOX_Y, boxes[b].w, boxes[b].h, arg);
            changed = canvas_check(cr, scales[s], BOX_X, BOX_Y, boxes[b].w,
                                   boxes[b].h, name);
            if (b == 0 && changed == 0) {
                fail_msg("%s: nothing drawn", name);
            }
            cairo_destroy(cr);
        }
    }
}

/* -- data ----------------------------------------------------------------- */

typedef struct {
    const char *title;
    int n, marker, with_b, labels;
    double a[MAX_DAYS], b[MAX_DAYS];
    char label_text[MAX_DAYS][16];
    const char *xlabels[MAX_DAYS];
} series_case_t;

/* Days of June and July, the season's submissions and solutions. */
static void series_fill(series_case_t *c, int n, double scale_by) {
    c->n = n;
    for (int i = 0; i < n; i++) {
        int day = 1 + i % 30, month = 6 + i / 30;

        snprintf(c->label_text[i], sizeof(c->label_text[i]), "%d/%d", day,
                 month);
        c->xlabels[i] = c->label_text[i];
        c->a[i] = floor(scale_by * (40 + 30 * sin(i / 5.0) + i % 7));
        c->b[i] = floor(scale_by * (30 + 25 * sin(i / 5.0 - 0.6)));
    }
}

static void draw_series(cairo_t *cr, double x, double y, double w, double h,
                        const void *arg) {
    const series_case_t *c = arg;

    posko_chart_series(cr, x, y, w, h, c->title, c->labels ? c->xlabels : NULL,
                       c->n, c->a, "Diterima", c->with_b ? c->b : NULL,
                       "Diselesaikan", c->marker);
}

typedef struct {
    const char *title;
    const char *names[64];
    double values[64 * MAX_DAYS];
    int rows, n, marker;
} spark_case_t;

static void draw_sparklines(cairo_t *cr, double x, double y, double w, double h,
                            const void *arg) {
    const spark_case_t *c = arg;

    posko_chart_sparklines(cr, x, y, w, h, c->title, c->names, c->values,
                           c->rows, c->n, c->marker);
}

typedef struct {
    const char *label, *text;
    double value, target, max;
    int lower_is_better;
} bullet_case_t;

static void draw_bullet(cairo_t *cr, double x, double y, double w, double h,
                        const void *arg) {
    const bullet_case_t *c = arg;

    posko_chart_bullet(cr, x, y, w, h, c->label, c->value, c->target, c->max,
                       c->text, c->lower_is_better);
}

typedef struct {
    const char *title;
    const char *labels[12];
    long values[12];
    int n;
} bars_case_t;

static void draw_bars(cairo_t *cr, double x, double y, double w, double h,
                      const void *arg) {
    const bars_case_t *c = arg;

    posko_chart_bars(cr, x, y, w, h, c->title, c->labels, c->values, c->n);
}

typedef struct {
    const char *label, *value, *note;
} card_case_t;

static void draw_card(cairo_t *cr, double x, double y, double w, double h,
                      const void *arg) {
    const card_case_t *c = arg;

    posko_chart_card(cr, x, y, w, h, c->label, c->value, c->note);
}

/* -- the primitives ------------------------------------------------------- */

static void test_long_label(void **state) {
    (void)state;
    assert_true(utf8_chars(long_label) >= 300);
}

static void test_series(void **state) {
    static series_case_t c;
    static const int days[] = {1, 2, 7, 30, 31, 120};

    (void)state;
    for (size_t d = 0; d < sizeof(days) / sizeof(days[0]); d++) {
        memset(&c, 0, sizeof(c));
        c.title = "Laporan diterima dan diselesaikan per hari";
        c.labels = 1;
        c.with_b = 1;
        series_fill(&c, days[d], 1);
        c.marker = days[d] - 1;
        sweep("series", draw_series, &c);
        c.marker = days[d] / 2; /* a day in the middle */
        sweep("series, marker in the middle", draw_series, &c);
        c.marker = -1;
        c.with_b = 0;
        sweep("series, one series, no marker", draw_series, &c);
        c.labels = 0;
        c.marker = 0;
        sweep("series, no x labels", draw_series, &c);
    }

    memset(&c, 0, sizeof(c));
    c.title = "Hari kosong";
    c.labels = c.with_b = 1;
    series_fill(&c, 30, 0); /* every value zero */
    c.marker = 29;
    sweep("series, all zero", draw_series, &c);

    series_fill(&c, 120, 3e10); /* tens of billions */
    sweep("series, huge values", draw_series, &c);

    series_fill(&c, 120, 0.013); /* decimals below one */
    sweep("series, decimals", draw_series, &c);

    series_fill(&c, 60, 1);
    for (int i = 0; i < 60; i++) {
        if (i % 9 < 3) {
            c.a[i] = NAN;
        }
        if (i % 13 == 0) {
            c.b[i] = NAN;
        }
        c.b[i] -= 40; /* below zero too */
    }
    sweep("series, gaps and negatives", draw_series, &c);

    series_fill(&c, 14, 1);
    c.title = long_label;
    for (int i = 0; i < 14; i++) {
        c.xlabels[i] = long_label;
    }
    c.marker = 13;
    sweep("series, long labels", draw_series, &c);
}

static void test_sparklines(void **state) {
    static spark_case_t c;
    static const int rows[] = {1, 3, 8, 20, 64};
    static const int days[] = {1, 2, 30, 120};

    (void)state;
    for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
        for (size_t d = 0; d < sizeof(days) / sizeof(days[0]); d++) {
            memset(&c, 0, sizeof(c));
            c.title = "Per kategori, 30 hari terakhir";
            c.rows = rows[r];
            c.n = days[d];
            c.marker = days[d] - 1;
            for (int i = 0; i < c.rows; i++) {
                c.names[i] = i == 2 ? long_label : "Akomodasi";
                for (int j = 0; j < c.n; j++) {
                    c.values[i * c.n + j] =
                        i == 1   ? 0 /* a row of zeros */
                        : i == 3 ? 1e12 * j
                        : i == 4 ? (j % 5 == 0 ? NAN : 10.5 + j % 4)
                                 : (j * (i + 3)) % 17;
                }
            }
            sweep("sparklines", draw_sparklines, &c);
            c.marker = -1;
            c.title = NULL;
            sweep("sparklines, no title or marker", draw_sparklines, &c);
        }
    }
}

static void test_bullet(void **state) {
    static const bullet_case_t cases[] = {
        {"Waktu tanggap (jam)", "18,5 jam", 18.5, 24, 72, 1},
        {"Waktu tanggap (jam)", "96,0 jam", 96, 24, 72, 1}, /* past max */
        {"Tingkat penyelesaian", "85,7%", 85.7, 80, 100, 0},
        {"Tingkat penyelesaian", NULL, 0, 80, 100, 0},
        {"Tanpa target", NULL, 12, 0, 20, 0},
        {"Target di luar skala", NULL, 12, 50, 20, 0},
        {"Skala nol", NULL, 30, 24, 0, 1},
        {"Tanpa angka", NULL, NAN, 24, 72, 1},
        {"Sangat besar", NULL, 1e15, 1e9, 2e9, 0},
        {long_label, long_label, 1e6, 10, 20, 1},
        {NULL, NULL, 5, 10, 20, 1},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        sweep("bullet", draw_bullet, &cases[k]);
    }
}

static void test_bars(void **state) {
    static const bars_case_t cases[] = {
        {"Laporan per kategori layanan",
         {"Akomodasi", "Konsumsi", "Transportasi", "Kesehatan"},
         {12, 0, 7, 31},
         4},
        {"Kosong", {"Akomodasi", "Konsumsi"}, {0, 0}, 2},
        {"Satu", {"Akomodasi"}, {1}, 1},
        {"Besar", {"Akomodasi", "Konsumsi"}, {4000000000000000000L, 7}, 2},
        {long_label, {long_label, "", NULL}, {5, -3, 1234567}, 3},
        {"Banyak",
         {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"},
         {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
         12},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        sweep("bars", draw_bars, &cases[k]);
    }
}

static void test_card(void **state) {
    static const card_case_t cases[] = {
        {"Diterima hari ini", "1.234", "musim ini 12.345"},
        {"Diterima hari ini", "1.234.567.890.123.456", "musim ini"},
        {NULL, "0", NULL},
        {long_label, long_label, long_label},
        {"Tanpa angka", NULL, "catatan"},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        sweep("card", draw_card, &cases[k]);
    }
}

/* The table decides its own height; that height, at the given width, is
 * the box it must stay in. */
static void test_table(void **state) {
    static const char *const header[] = {"Kode", "Kategori", "Lokasi", "Jam"};
    static const double widths[] = {0.25, 0.35, 0.25, 0.15};
    static const double loose[] = {2, 3, 0, 1}; /* not summing to 1 */
    static const posko_align_t align[] = {POSKO_ALIGN_LEFT, POSKO_ALIGN_LEFT,
                                          POSKO_ALIGN_CENTER,
                                          POSKO_ALIGN_RIGHT};
    const char *cells[6 * 4] = {
        "K3MA-SW9N-F6Y2",
        "Akomodasi",
        "Makkah",
        "12,5",
        "Q5TK-1V58-CGGM",
        long_label,
        long_label,
        "1.234.567",
        NULL,
        NULL,
        NULL,
        NULL,
        "\u0645\u0643\u0629",
        "Konsumsi \U0001F35B",
        "Madinah",
        "0",
        "",
        "",
        "",
        "",
        "BDYX-Z5FX-ENYG",
        "Transportasi",
        "Arafah",
        "3",
    };
    static const double widths_w[] = {400, 200, 60, 6};

    (void)state;
    for (size_t s = 0; s < sizeof(scales) / sizeof(scales[0]); s++) {
        for (size_t k = 0; k < sizeof(widths_w) / sizeof(widths_w[0]); k++) {
            for (int variant = 0; variant < 4; variant++) {
                cairo_t *cr = canvas_new(scales[s]);
                char name[128];
                double height;

                height = posko_chart_table(
                    cr, BOX_X, BOX_Y, widths_w[k], variant == 2 ? NULL : header,
                    variant == 0   ? widths
                    : variant == 1 ? loose
                                   : NULL,
                    variant == 3 ? NULL : align, 4, cells, 6 - variant,
                    variant == 3 ? 6.5 : 0);
                snprintf(name, sizeof(name), "table %d at %g", variant,
                         widths_w[k]);
                assert_true(height > 0);
                if (canvas_check(cr, scales[s], BOX_X, BOX_Y, widths_w[k],
                                 height, name) == 0) {
                    fail_msg("%s: nothing drawn", name);
                }
                cairo_destroy(cr);
            }
        }
    }
}

/* The height is a whole number of rows: the header and each row. */
static void test_table_height(void **state) {
    static const char *const header[] = {"A", "B"};
    static const char *const cells[] = {"1", "2", "3", "4", "5", "6"};
    cairo_t *cr = canvas_new(1);
    double one, three, bare;

    (void)state;
    one = posko_chart_table(cr, 0, 0, 100, header, NULL, NULL, 2, cells, 0, 9);
    three =
        posko_chart_table(cr, 0, 0, 100, header, NULL, NULL, 2, cells, 2, 9);
    bare = posko_chart_table(cr, 0, 0, 100, NULL, NULL, NULL, 2, cells, 3, 9);
    assert_true(one > 0);
    assert_true(fabs(three - 3 * one) < 1e-9);
    assert_true(fabs(bare - 3 * one) < 1e-9);
    assert_true(posko_chart_table(cr, 0, 0, 100, header, NULL, NULL, 0, cells,
                                  3, 9) == 0);
    cairo_destroy(cr);
}

/* A value that fits keeps the card's full size; a long one shrinks. */
static void test_card_shrinks(void **state) {
    cairo_t *cr = canvas_new(1);
    double roomy, narrow;

    (void)state;
    roomy = posko_chart_card(cr, 0, 0, 160, 70, "Diterima", "1.234", "musim");
    narrow = posko_chart_card(cr, 0, 0, 160, 70, "Diterima",
                              "1.234.567.890.123", "musim");
    assert_true(roomy > 10);
    assert_true(narrow < roomy);
    assert_true(posko_chart_card(cr, 0, 0, 160, 70, "x", NULL, "y") == 0);
    cairo_destroy(cr);
}

/* The colour of the pixel at (x, y) of the canvas, 0xRRGGBB. */
static uint32_t canvas_pixel(cairo_t *cr, int x, int y) {
    cairo_surface_t *surface = cairo_get_target(cr);
    const unsigned char *data;

    cairo_surface_flush(surface);
    data = cairo_image_surface_get_data(surface);
    return ((const uint32_t *)(data + (size_t)y *
                               cairo_image_surface_get_stride(surface)))[x] &
           0xffffff;
}

/* An alert card's stripe is red, a plain one's green. */
static void test_card_tone(void **state) {
    cairo_t *cr = canvas_new(1);
    uint32_t plain, alert;

    (void)state;
    posko_chart_card_toned(cr, 0, 0, 160, 70, "Selesai", "27,1%", "x",
                           POSKO_TONE_PLAIN);
    plain = canvas_pixel(cr, 1, 35);
    posko_chart_card_toned(cr, 0, 0, 160, 70, "Selesai", "27,1%", "x",
                           POSKO_TONE_ALERT);
    alert = canvas_pixel(cr, 1, 35);
    assert_true((plain >> 8 & 0xff) > (plain >> 16 & 0xff)); /* green */
    assert_true((alert >> 16 & 0xff) > 0xa0 &&
                (alert >> 16 & 0xff) > 2 * (alert >> 8 & 0xff)); /* red */
    cairo_destroy(cr);
}

/* -- the demo sheet ------------------------------------------------------- */

static void outline(cairo_t *cr, double x, double y, double w, double h) {
    static const double dash[] = {2, 2};

    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.80, 0.80, 0.86);
    cairo_set_line_width(cr, 0.5);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_rectangle(cr, x - 2.25, y - 2.25, w + 4.5, h + 4.5);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Draws every primitive on an A4-sized sheet (in points). */
static void demo_sheet(cairo_t *cr) {
    static series_case_t season, week, one;
    static spark_case_t spark;
    static const char *const names[] = {
        "Akomodasi",           "Konsumsi",
        "Transportasi",        "Kesehatan",
        "Bimbingan ibadah",    "\u0645\u0643\u0629 Makkah \U0001F54B",
        "Waktu tanggap (jam)", long_label};
    static const char *const header[] = {"Kode", "Kategori", "Lokasi",
                                         "Hari ini", "Musim ini"};
    static const double widths[] = {0.24, 0.30, 0.18, 0.14, 0.14};
    static const posko_align_t align[] = {POSKO_ALIGN_LEFT, POSKO_ALIGN_LEFT,
                                          POSKO_ALIGN_LEFT, POSKO_ALIGN_RIGHT,
                                          POSKO_ALIGN_RIGHT};
    const char *cells[] = {
        "K3MA-SW9N-F6Y2",
        "Akomodasi",
        "Makkah",
        "12",
        "1.204",
        "Q5TK-1V58-CGGM",
        long_label,
        "Madinah",
        "3",
        "318",
        NULL,
        "Konsumsi \U0001F35B",
        "\u0645\u0643\u0629",
        NULL,
        "0",
        "BDYX-Z5FX-ENYG",
        "Transportasi",
        "Arafah",
        "1.234.567",
        "12.345.678",
    };
    static const char *const kategori[] = {"Akomodasi",        "Konsumsi",
                                           "Transportasi",     "Kesehatan",
                                           "Bimbingan ibadah", "Petugas"};
    static const long counts[] = {31, 12, 7, 0, 3, 1204};
    const double x = 36, w = 523;
    double y = 30, th;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.13, 0.15, 0.18);
    y += posko_chart_text(cr, x, y, "posko chart primitives (dashed: boxes)",
                          13, 1, POSKO_ALIGN_LEFT, w);
    y += 10;

    memset(&season, 0, sizeof(season));
    season.title = "Musim ini: diterima dan diselesaikan per hari (120 hari)";
    season.labels = season.with_b = 1;
    series_fill(&season, 120, 1);
    season.marker = 100;
    outline(cr, x, y, w, 150);
    draw_series(cr, x, y, w, 150, &season);
    y += 162;

    memset(&week, 0, sizeof(week));
    week.title = "Tujuh hari terakhir";
    week.labels = week.with_b = 1;
    series_fill(&week, 7, 1);
    week.marker = 6;
    outline(cr, x, y, 255, 120);
    draw_series(cr, x, y, 255, 120, &week);
    memset(&one, 0, sizeof(one));
    one.title = "Hari pertama, kosong";
    one.labels = one.with_b = 1;
    series_fill(&one, 1, 0);
    one.marker = 0;
    outline(cr, x + 268, y, 255, 120);
    draw_series(cr, x + 268, y, 255, 120, &one);
    y += 132;

    outline(cr, x, y, 120, 56);
    posko_chart_card(cr, x, y, 120, 56, "Diterima hari ini", "1.234",
                     "musim ini 12.345");
    outline(cr, x + 134, y, 120, 56);
    posko_chart_card(cr, x + 134, y, 120, 56, "Diselesaikan", "987.654.321",
                     "81,2% dari yang diterima");
    outline(cr, x + 268, y, 120, 56);
    posko_chart_card(cr, x + 268, y, 120, 56, long_label, "\U0001F54B 7",
                     long_label);
    outline(cr, x + 402, y, 121, 30);
    posko_chart_card(cr, x + 402, y, 121, 30, "Kotak rendah", "42",
                     "catatan hilang");
    y += 68;

    outline(cr, x, y, w, 30);
    posko_chart_bullet(cr, x, y, w, 30, "Waktu tanggap", 18.5, 24, 72,
                       "18,5 jam", 1);
    y += 38;
    outline(cr, x, y, w, 30);
    posko_chart_bullet(cr, x, y, w, 30, "Waktu selesai", 96, 24, 72, "96,0 jam",
                       1);
    y += 38;
    outline(cr, x, y, w, 30);
    posko_chart_bullet(cr, x, y, w, 30, "Penyelesaian", 85.7, 80, 100, "85,7%",
                       0);
    y += 38;
    outline(cr, x, y, 255, 16);
    posko_chart_bullet(cr, x, y, 255, 16, long_label, 5, 10, 20, long_label, 1);
    y += 28;

    memset(&spark, 0, sizeof(spark));
    spark.title = "Per kategori, 30 hari (skala tiap baris sendiri)";
    spark.rows = 8;
    spark.n = 30;
    spark.marker = 29;
    for (int i = 0; i < spark.rows; i++) {
        spark.names[i] = names[i];
        for (int j = 0; j < spark.n; j++) {
            spark.values[i * spark.n + j] =
                i == 1   ? 0
                : i == 6 ? (j % 6 == 0 ? NAN : 14 + 9 * sin(j / 3.0))
                         : floor(20 + 15 * sin(j / (2.0 + i)) + (i * j) % 5);
        }
    }
    outline(cr, x, y, 255, 150);
    draw_sparklines(cr, x, y, 255, 150, &spark);
    outline(cr, x + 268, y, 255, 150);
    posko_chart_bars(cr, x + 268, y, 255, 150, "Laporan per kategori", kategori,
                     counts, 6);
    y += 162;

    th = posko_chart_table(cr, x, y, w, header, widths, align, 5, cells, 4, 0);
    outline(cr, x, y, w, th);
}

static void test_demo_sheet(void **state) {
    const double scale = 2;
    cairo_surface_t *surface = cairo_image_surface_create(
        CAIRO_FORMAT_RGB24, (int)(595 * scale), (int)(842 * scale));
    cairo_t *cr = cairo_create(surface);
    struct stat sb;

    (void)state;
    cairo_scale(cr, scale, scale);
    demo_sheet(cr);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    if (stat("build", &sb) == 0 && S_ISDIR(sb.st_mode)) {
        assert_int_equal(cairo_surface_write_to_png(surface, DEMO_PNG),
                         CAIRO_STATUS_SUCCESS);
    }
    cairo_surface_destroy(surface);
}

static cairo_status_t discard(void *closure, const unsigned char *data,
                              unsigned int length) {
    (void)closure;
    (void)data;
    (void)length;
    return CAIRO_STATUS_SUCCESS;
}

/* The same sheet as a PDF page: the vector path, no pixel snapping. */
static void test_demo_pdf(void **state) {
    cairo_surface_t *surface =
        cairo_pdf_surface_create_for_stream(discard, NULL, 595, 842);
    cairo_t *cr = cairo_create(surface);

    (void)state;
    demo_sheet(cr);
    cairo_show_page(cr);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    assert_int_equal(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(surface);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_label),
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_sparklines),
        cmocka_unit_test(test_bullet),
        cmocka_unit_test(test_bars),
        cmocka_unit_test(test_card),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_table_height),
        cmocka_unit_test(test_card_shrinks),
        cmocka_unit_test(test_card_tone),
        cmocka_unit_test(test_demo_sheet),
        cmocka_unit_test(test_demo_pdf),
    };

    return cmocka_run_group_tests_name("chart", tests, NULL, NULL);
}
