/*
 * chart.c - the report's charts, drawn with cairo, text through pango.
 *
 * The model is rrdtool's grapher: every piece of text is measured before
 * anything is placed, so labels never overlap the plot, and a label that
 * would collide with one already placed is left out rather than squeezed
 * in.  Value axes take nice ticks from axis.c and ask for fewer while
 * their labels would crowd.  Every chart draws into a box given by the
 * caller and stays inside it, so a page is laid out box by box; the box is
 * also set as a clip, a last guard for glyphs that ink past their metrics.
 *
 * Font hinting of metrics is switched off so that a chart is laid out the
 * same in the PDF and in the PNG, whatever the device.  Hairlines are moved
 * onto whole device pixels on image surfaces only, where a line between
 * two pixel rows would blur into two grey ones; the PDF keeps the exact
 * positions.
 */
#include "chart.h"
#include "axis.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>

/* Colours, as RGB in 0..1. */
#define POSKO_INK 0.13, 0.15, 0.18    /* titles and labels */
#define POSKO_MUTED 0.40, 0.43, 0.47  /* tick labels, captions */
#define POSKO_GRID 0.86, 0.88, 0.90   /* grid lines */
#define POSKO_AXIS 0.45, 0.47, 0.50   /* the zero line */
#define POSKO_BAR 0.09, 0.45, 0.33    /* the bars: a quiet green */
#define POSKO_LINE 0.13, 0.31, 0.60   /* a second series: dark blue */
#define POSKO_MARK 0.99, 0.92, 0.76   /* the marker day's band */
#define POSKO_DOT 0.80, 0.24, 0.13    /* the marker day's dot, overflow */
#define POSKO_STRIPE 0.95, 0.96, 0.97 /* zebra stripes, card ground */
#define POSKO_SPARK 0.30, 0.33, 0.37  /* sparklines */

/* A bullet graph's bands, from worse to better. */
#define POSKO_BAND_WORSE 0.70, 0.72, 0.74
#define POSKO_BAND_MIDDLE 0.82, 0.83, 0.85
#define POSKO_BAND_BETTER 0.92, 0.93, 0.94

/* Font sizes, in user units. */
#define POSKO_TITLE_SIZE 11.0
#define POSKO_LABEL_SIZE 8.5
#define POSKO_TICK_SIZE 7.5
#define POSKO_TABLE_SIZE 9.0
#define POSKO_CARD_VALUE_SIZE 26.0
#define POSKO_MIN_SIZE 5.5 /* the smallest text a chart shrinks to */

/* The most ticks an axis gets, however long it is. */
#define POSKO_MAX_TICKS 8

/* An axis of counts never ends below this, so that an empty day still has
 * a readable scale. */
#define POSKO_MIN_AXIS_TOP 5

/* How close a glyph's ink may come to the edge of its room, in device
 * pixels: an image surface puts glyphs on whole pixels, half a pixel away
 * from where they were asked to go at worst. */
#define POSKO_INK_MARGIN 0.6

/* Room for the label of any double (axis.h), with its separators. */
#define POSKO_NUMBER_LEN 512

/* The most labels one chart keeps track of; more are left out. */
#define POSKO_MAX_PLACED 256

/* A rectangle in user units. */
typedef struct {
    double x0, y0, x1, y1;
} posko_rect_t;

/* The labels placed so far in a chart, and the box they must stay in. */
typedef struct {
    posko_rect_t box;
    int n;
    posko_rect_t taken[POSKO_MAX_PLACED];
} posko_placed_t;

/* Where the points of a series go: point i at x0 + i * dx, value lo at
 * y_lo and hi at y_hi. */
typedef struct {
    double x0, dx;
    double lo, hi, y_lo, y_hi;
} posko_map_t;

/* -- text ----------------------------------------------------------------- */

static PangoLayout *posko_layout(cairo_t *cr, const char *text, double size,
                                 int bold) {
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoContext *ctx = pango_layout_get_context(layout);
    PangoFontDescription *font;
    cairo_font_options_t *opts;

    opts = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, opts);
    cairo_font_options_destroy(opts);
    /* Glyphs where the font puts them, not rounded to whole units: a unit
     * is a point in the PDF but two pixels in the PNG. */
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_layout_context_changed(layout);

    font = pango_font_description_from_string(POSKO_CHART_FONT);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD
                                                 : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    /* Alignment is the chart's, not flipped for an Arabic label; the
     * label's own runs are still laid out right to left. */
    pango_layout_set_auto_dir(layout, FALSE);
    pango_layout_set_text(layout, text, -1);
    return layout;
}

void posko_chart_text_size(cairo_t *cr, const char *text, double size, int bold,
                           double *width, double *height) {
    PangoLayout *layout = posko_layout(cr, text, size, bold);
    int w, h;

    pango_layout_get_size(layout, &w, &h);
    g_object_unref(layout);
    if (width != NULL) {
        *width = (double)w / PANGO_SCALE;
    }
    if (height != NULL) {
        *height = (double)h / PANGO_SCALE;
    }
}

double posko_chart_text(cairo_t *cr, double x, double y, const char *text,
                        double size, int bold, posko_align_t align,
                        double wrap) {
    PangoLayout *layout = posko_layout(cr, text, size, bold);
    int w, h;

    if (wrap > 0) {
        pango_layout_set_width(layout, (int)(wrap * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD);
    }
    pango_layout_get_size(layout, &w, &h);
    if (wrap <= 0) {
        if (align == POSKO_ALIGN_CENTER) {
            x -= (double)w / PANGO_SCALE / 2;
        } else if (align == POSKO_ALIGN_RIGHT) {
            x -= (double)w / PANGO_SCALE;
        }
    } else if (align == POSKO_ALIGN_CENTER) {
        pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
        x -= wrap / 2;
    } else if (align == POSKO_ALIGN_RIGHT) {
        pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
        x -= wrap;
    }
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
    cairo_new_path(cr);
    g_object_unref(layout);
    return (double)h / PANGO_SCALE;
}

/* The size of a device pixel in user units on an image surface; 0 on
 * the others, which place glyphs exactly. */
static double posko_pixel(cairo_t *cr) {
    double dx = 1, dy = 0;

    if (cairo_surface_get_type(cairo_get_target(cr)) !=
        CAIRO_SURFACE_TYPE_IMAGE) {
        return 0;
    }
    cairo_device_to_user_distance(cr, &dx, &dy);
    return hypot(dx, dy);
}

/* The room a line of text needs: its width, and on an image surface the
 * margins posko_show_line keeps. */
static double posko_text_width(cairo_t *cr, const char *text, double size,
                               int bold) {
    double w;

    posko_chart_text_size(cr, text, size, bold, &w, NULL);
    return w + 2 * POSKO_INK_MARGIN * posko_pixel(cr);
}

/* The height of one line of text at a size. */
static double posko_line_height(cairo_t *cr, double size, int bold) {
    double h;

    posko_chart_text_size(cr, "Ag", size, bold, NULL, &h);
    return h;
}

double posko_chart_text_lines(cairo_t *cr, double x, double y,
                              const char *text, double size, int bold,
                              double width, int lines, int draw) {
    PangoLayout *layout;
    int h;

    if (text == NULL || text[0] == '\0' || !(width > 0)) {
        return 0;
    }
    layout = posko_layout(cr, text, size, bold);
    pango_layout_set_width(layout, (int)ceil(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_height(layout, -lines);
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    pango_layout_get_size(layout, NULL, &h);
    if (draw) {
        cairo_move_to(cr, x, y);
        pango_cairo_show_layout(cr, layout);
        cairo_new_path(cr);
    }
    g_object_unref(layout);
    return (double)h / PANGO_SCALE;
}

/* Draws text as one line in [x, x + width], its top at y, aligned in that
 * room; text longer than the room is cut with an ellipsis, and nothing is
 * drawn when not even the ellipsis fits.  On an image surface the line
 * keeps a margin from the room's ends (posko_text_width counts it), and
 * glyphs that ink past their advance (J, j, T) are nudged back inside.
 * Returns the line's height, or 0 when nothing was drawn. */
static double posko_show_line(cairo_t *cr, double x, double y, double width,
                              const char *text, double size, int bold,
                              posko_align_t align) {
    static const PangoAlignment pango_align[] = {
        PANGO_ALIGN_LEFT, PANGO_ALIGN_CENTER, PANGO_ALIGN_RIGHT};
    double margin = POSKO_INK_MARGIN * posko_pixel(cr), lo, hi, ink_lo, ink_hi;
    PangoLayout *layout;
    PangoRectangle ink;
    int h;

    lo = x + margin;
    hi = x + width - margin;
    if (text == NULL || text[0] == '\0' || !(hi > lo) ||
        (posko_text_width(cr, text, size, bold) > width &&
         posko_text_width(cr, "\u2026", size, bold) > width)) {
        return 0;
    }
    layout = posko_layout(cr, text, size, bold);
    pango_layout_set_single_paragraph_mode(layout, TRUE);
    /* A room measured for this very text must not cut it: round up. */
    pango_layout_set_width(layout, (int)ceil((hi - lo) * PANGO_SCALE) + 1);
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    pango_layout_set_alignment(layout, pango_align[align]);
    pango_layout_get_extents(layout, &ink, NULL);
    pango_layout_get_size(layout, NULL, &h);
    ink_lo = lo + (double)ink.x / PANGO_SCALE;
    ink_hi = ink_lo + (double)ink.width / PANGO_SCALE;
    if (ink_lo < lo) {
        x = lo + (lo - ink_lo);
    } else if (ink_hi > hi) {
        x = lo - (ink_hi - hi);
    } else {
        x = lo;
    }
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
    cairo_new_path(cr);
    g_object_unref(layout);
    return (double)h / PANGO_SCALE;
}

/* The width of a line drawn by posko_show_line in at most width. */
static double posko_fitted_width(cairo_t *cr, const char *text, double size,
                                 int bold, double width) {
    if (text == NULL) {
        return 0;
    }
    return fmin(posko_text_width(cr, text, size, bold), width);
}

/* -- placing labels ------------------------------------------------------- */

static void posko_placed_init(posko_placed_t *p, double x, double y, double w,
                              double h) {
    p->box.x0 = x;
    p->box.y0 = y;
    p->box.x1 = x + w;
    p->box.y1 = y + h;
    p->n = 0;
}

/* Takes the rectangle for a label if it lies inside the box and keeps gap
 * away from every label taken before; returns whether it did. */
static int posko_place(posko_placed_t *p, posko_rect_t r, double gap) {
    if (r.x0 < p->box.x0 || r.x1 > p->box.x1 || r.y0 < p->box.y0 ||
        r.y1 > p->box.y1 || p->n == POSKO_MAX_PLACED) {
        return 0;
    }
    for (int i = 0; i < p->n; i++) {
        const posko_rect_t *t = &p->taken[i];

        if (r.x0 < t->x1 + gap && t->x0 < r.x1 + gap && r.y0 < t->y1 + gap &&
            t->y0 < r.y1 + gap) {
            return 0;
        }
    }
    p->taken[p->n++] = r;
    return 1;
}

/* Draws a one-line label of natural width centred on cx, moved sideways
 * to stay in the box, if it does not collide; returns whether it did. */
static int posko_place_label(cairo_t *cr, posko_placed_t *p, double cx,
                             double top, const char *text, double size,
                             int bold) {
    double room = p->box.x1 - p->box.x0;
    double w = posko_fitted_width(cr, text, size, bold, room);
    double h = posko_line_height(cr, size, bold);
    posko_rect_t r;

    r.x0 = fmax(p->box.x0, fmin(cx - w / 2, p->box.x1 - w));
    r.x1 = r.x0 + w;
    r.y0 = top;
    r.y1 = top + h;
    if (text == NULL || text[0] == '\0' || !posko_place(p, r, 3)) {
        return 0;
    }
    posko_show_line(cr, r.x0, r.y0, w, text, size, bold, POSKO_ALIGN_LEFT);
    return 1;
}

/* -- lines ---------------------------------------------------------------- */

/* Keeps all drawing inside the chart's box.  The layout already does;
 * tests/test_chart.c builds with POSKO_CHART_NO_CLIP to check that it
 * does without this guard. */
static void posko_clip(cairo_t *cr, double x, double y, double w, double h) {
#ifndef POSKO_CHART_NO_CLIP
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
#else
    (void)cr;
    (void)x;
    (void)y;
    (void)w;
    (void)h;
#endif
}

/* On an image surface, moves the position v of a line (an x when
 * vertical, else a y) of width lw so that the line covers whole pixels;
 * on any other surface v stays as it is. */
static double posko_snap(cairo_t *cr, double v, double lw, int vertical) {
    double px = vertical ? v : 0, py = vertical ? 0 : v;
    double dx = vertical ? lw : 0, dy = vertical ? 0 : lw;
    double width, d;

    if (cairo_surface_get_type(cairo_get_target(cr)) !=
        CAIRO_SURFACE_TYPE_IMAGE) {
        return v;
    }
    cairo_user_to_device_distance(cr, &dx, &dy);
    cairo_user_to_device(cr, &px, &py);
    width = rint(fabs(vertical ? dx : dy));
    d = vertical ? px : py;
    d = (width < 1 || fmod(width, 2) == 1) ? floor(d) + 0.5 : rint(d);
    if (vertical) {
        px = d;
    } else {
        py = d;
    }
    cairo_device_to_user(cr, &px, &py);
    return vertical ? px : py;
}

/* A line lw wide from (x0, y0) to (x1, y1), its ends cut square. */
static void posko_stroke_line(cairo_t *cr, double x0, double y0, double x1,
                              double y1, double lw) {
    cairo_set_line_width(cr, lw);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

static void posko_hline(cairo_t *cr, double x0, double x1, double y,
                        double lw) {
    y = posko_snap(cr, y, lw, 0);
    posko_stroke_line(cr, x0, y, x1, y, lw);
}

static void posko_vline(cairo_t *cr, double x, double y0, double y1,
                        double lw) {
    x = posko_snap(cr, x, lw, 1);
    posko_stroke_line(cr, x, y0, x, y1, lw);
}

static double posko_map_x(const posko_map_t *m, int i) {
    return m->x0 + m->dx * i;
}

static double posko_map_y(const posko_map_t *m, double v) {
    if (m->hi == m->lo) {
        return (m->y_lo + m->y_hi) / 2;
    }
    return m->y_lo + (m->y_hi - m->y_lo) * (v - m->lo) / (m->hi - m->lo);
}

/* Strokes a line through the finite values, broken where a value is not;
 * a point with no finite neighbour becomes a dot.  With dot > 0 every
 * point gets a dot of that radius. */
static void posko_polyline(cairo_t *cr, const posko_map_t *m, const double *v,
                           int n, double lw, double dot) {
    int run = 0;

    cairo_set_line_width(cr, lw);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < n; i++) {
        if (!isfinite(v[i])) {
            run = 0;
        } else if (run++ == 0) {
            cairo_move_to(cr, posko_map_x(m, i), posko_map_y(m, v[i]));
        } else {
            cairo_line_to(cr, posko_map_x(m, i), posko_map_y(m, v[i]));
        }
    }
    cairo_stroke(cr);
    for (int i = 0; i < n; i++) {
        int alone = (i == 0 || !isfinite(v[i - 1])) &&
                    (i == n - 1 || !isfinite(v[i + 1]));

        if (isfinite(v[i]) && (dot > 0 || alone)) {
            cairo_arc(cr, posko_map_x(m, i), posko_map_y(m, v[i]),
                      dot > 0 ? dot : lw, 0, 2 * G_PI);
            cairo_fill(cr);
        }
    }
}

/* -- axes ----------------------------------------------------------------- */

/* Whether every finite value is a whole number: counts get whole ticks. */
static int posko_integral(const double *v, int n) {
    for (int i = 0; v != NULL && i < n; i++) {
        if (isfinite(v[i]) && v[i] != floor(v[i])) {
            return 0;
        }
    }
    return 1;
}

/* Widens lo and hi to take in the finite values. */
static void posko_range(const double *v, int n, double *lo, double *hi) {
    for (int i = 0; v != NULL && i < n; i++) {
        if (isfinite(v[i])) {
            *lo = fmin(*lo, v[i]);
            *hi = fmax(*hi, v[i]);
        }
    }
}

/* The width of the widest tick label. */
static double posko_ticks_width(cairo_t *cr, const posko_ticks_t *t) {
    double widest = 0;
    char buf[POSKO_NUMBER_LEN];

    for (int i = 0; i < t->count; i++) {
        posko_format_number(posko_tick_value(t, i), t->step, buf, sizeof(buf));
        widest = fmax(widest, posko_text_width(cr, buf, POSKO_TICK_SIZE, 0));
    }
    return widest;
}

/* Nice ticks from lo to hi along an axis length long: the most ticks (up
 * to POSKO_MAX_TICKS) whose labels keep apart, side by side on a
 * horizontal axis, one above the other on a vertical one. */
static void posko_axis_fit(cairo_t *cr, double lo, double hi, int integer,
                           double length, int vertical, posko_ticks_t *t) {
    double tick_h = posko_line_height(cr, POSKO_TICK_SIZE, 0);

    for (int max_ticks = POSKO_MAX_TICKS;; max_ticks--) {
        double need;

        posko_nice_ticks(lo, hi, max_ticks, integer, t);
        if (max_ticks <= 2) {
            return;
        }
        need = vertical ? 1.8 * tick_h
                        : posko_ticks_width(cr, t) + 2.5 * POSKO_TICK_SIZE;
        if (length / (t->count - 1) >= need) {
            return;
        }
    }
}

/* -- bars ----------------------------------------------------------------- */

/* Draws the labels of the ticks of a horizontal axis from x0 to x0 + len,
 * their tops at top, leaving out any that would collide or leave the box,
 * and vertical grid lines from y0 to y1 (none when y1 <= y0). */
static void posko_x_ticks(cairo_t *cr, posko_placed_t *placed,
                          const posko_ticks_t *t, double x0, double len,
                          double top, double y0, double y1) {
    double tick_h = posko_line_height(cr, POSKO_TICK_SIZE, 0);
    char buf[POSKO_NUMBER_LEN];

    for (int i = 0; i < t->count; i++) {
        double v = posko_tick_value(t, i);
        double gx = x0 + len * (v - t->lo) / (t->hi - t->lo);
        double lw;
        posko_rect_t r;

        if (y1 > y0 && i > 0) {
            cairo_set_source_rgb(cr, POSKO_GRID);
            posko_vline(cr, gx, y0, y1, 0.5);
        }
        posko_format_number(v, t->step, buf, sizeof(buf));
        lw = posko_text_width(cr, buf, POSKO_TICK_SIZE, 0);
        r.x0 = gx - lw / 2;
        r.x1 = gx + lw / 2;
        r.y0 = top;
        r.y1 = top + tick_h;
        if (posko_place(placed, r, 4)) {
            cairo_set_source_rgb(cr, POSKO_MUTED);
            posko_show_line(cr, r.x0, r.y0, lw, buf, POSKO_TICK_SIZE, 0,
                            POSKO_ALIGN_LEFT);
        }
    }
}

void posko_chart_bars(cairo_t *cr, double x, double y, double w, double h,
                      const char *title, const char *const *labels,
                      const long *values, int n) {
    double title_h, label_w = 0, value_w = 0, tick_h, label_h, hi_w;
    double plot_x, plot_y, plot_w, plot_h, band, right;
    posko_placed_t placed;
    posko_ticks_t t;
    long vmax = 0;
    int every = 1;
    char buf[POSKO_NUMBER_LEN];

    cairo_save(cr);
    posko_clip(cr, x, y, w, h);
    posko_placed_init(&placed, x, y, w, h);
    cairo_set_source_rgb(cr, POSKO_INK);
    title_h = posko_show_line(cr, x, y, w, title, POSKO_TITLE_SIZE, 1,
                              POSKO_ALIGN_LEFT);

    for (int i = 0; i < n; i++) {
        if (labels[i] != NULL) {
            label_w = fmax(
                label_w, posko_text_width(cr, labels[i], POSKO_LABEL_SIZE, 0));
        }
        if (values[i] > vmax) {
            vmax = values[i];
        }
        posko_format_number((double)values[i], 1, buf, sizeof(buf));
        value_w = fmax(value_w, posko_text_width(cr, buf, POSKO_LABEL_SIZE, 1));
    }
    label_w = fmin(label_w, w * 0.4);
    if (vmax < POSKO_MIN_AXIS_TOP) {
        vmax = POSKO_MIN_AXIS_TOP;
    }
    tick_h = posko_line_height(cr, POSKO_TICK_SIZE, 0);
    label_h = posko_line_height(cr, POSKO_LABEL_SIZE, 0);

    /* Room on the left for the labels, on the right for the longest value
     * written past a bar's end, and below for the tick labels and the
     * axis caption. */
    plot_x = x + (label_w > 0 ? label_w + 8 : 0);
    plot_y = y + title_h + 10;
    plot_h = y + h - plot_y - 2 * tick_h - 8;
    right = value_w + 6;
    plot_w = x + w - right - plot_x;
    if (n <= 0 || plot_w <= 20 || plot_h <= 10) {
        cairo_restore(cr);
        return;
    }

    /* The last tick label is centred on the plot's right end: when half of
     * it is wider than the values' room, the plot makes way. */
    posko_axis_fit(cr, 0, (double)vmax, 1, plot_w, 0, &t);
    posko_format_number(t.hi, t.step, buf, sizeof(buf));
    hi_w = posko_text_width(cr, buf, POSKO_TICK_SIZE, 0);
    if (hi_w / 2 > right) {
        plot_w = x + w - hi_w / 2 - plot_x;
        if (plot_w <= 20) {
            cairo_restore(cr);
            return;
        }
        posko_axis_fit(cr, 0, (double)vmax, 1, plot_w, 0, &t);
    }

    posko_x_ticks(cr, &placed, &t, plot_x, plot_w, plot_y + plot_h + 3, plot_y,
                  plot_y + plot_h);
    cairo_set_source_rgb(cr, POSKO_MUTED);
    posko_show_line(cr, x, plot_y + plot_h + 5 + tick_h, plot_x + plot_w - x,
                    "Jumlah laporan", POSKO_TICK_SIZE, 0, POSKO_ALIGN_RIGHT);

    /* One band per label, the bar in its middle; when the bands are lower
     * than a line of text, only every few get their label and value. */
    band = plot_h / n;
    if (band < label_h) {
        every = (int)ceil(label_h / band);
    }
    for (int i = 0; i < n; i++) {
        double cy = plot_y + band * (i + 0.5);
        double bar_h = band * 0.62;
        double bar_w = plot_w * (double)(values[i] > 0 ? values[i] : 0) / t.hi;

        if (bar_w > 0) {
            cairo_set_source_rgb(cr, POSKO_BAR);
            cairo_rectangle(cr, plot_x, cy - bar_h / 2, bar_w, bar_h);
            cairo_fill(cr);
        }
        if (i % every != 0) {
            continue;
        }
        cairo_set_source_rgb(cr, POSKO_INK);
        posko_show_line(cr, x, cy - label_h / 2, label_w, labels[i],
                        POSKO_LABEL_SIZE, 0, POSKO_ALIGN_RIGHT);
        posko_format_number((double)values[i], 1, buf, sizeof(buf));
        posko_show_line(cr, plot_x + bar_w + 4, cy - label_h / 2, value_w, buf,
                        POSKO_LABEL_SIZE, 1, POSKO_ALIGN_LEFT);
    }

    /* The zero line last, over the bars' left edges. */
    cairo_set_source_rgb(cr, POSKO_AXIS);
    posko_vline(cr, plot_x, plot_y, plot_y + plot_h, 0.8);
    cairo_restore(cr);
}

/* -- two series over days ------------------------------------------------- */

/* The steps, in days, between x labels: 1, 2, 3, a week, then doubling. */
static int posko_day_stride(double slot, double label_w) {
    static const int first[] = {1, 2, 3, 7};

    for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++) {
        if (first[i] * slot >= label_w) {
            return first[i];
        }
    }
    for (int stride = 14; stride < (1 << 20); stride *= 2) {
        if (stride * slot >= label_w) {
            return stride;
        }
    }
    return 1 << 20;
}

/* One entry of a legend at (x, y): a swatch (a square for bars, a short
 * line otherwise) and the name, in at most room.  Returns its width. */
static double posko_legend_item(cairo_t *cr, double x, double y, double room,
                                int bars, double r, double g, double b,
                                const char *name) {
    double lh = posko_line_height(cr, POSKO_LABEL_SIZE, 0), cy = y + lh / 2;
    const double swatch = 12, gap = 4;

    if (name == NULL || room < swatch + gap) {
        return 0;
    }
    cairo_set_source_rgb(cr, r, g, b);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    if (bars) {
        cairo_rectangle(cr, x + 2, cy - 4, 8, 8);
        cairo_fill(cr);
    } else {
        cairo_set_line_width(cr, 1.6);
        cairo_move_to(cr, x, cy);
        cairo_line_to(cr, x + swatch, cy);
        cairo_stroke(cr);
    }
    cairo_set_source_rgb(cr, POSKO_INK);
    posko_show_line(cr, x + swatch + gap, y, room - swatch - gap, name,
                    POSKO_LABEL_SIZE, 0, POSKO_ALIGN_LEFT);
    return swatch + gap +
           posko_fitted_width(cr, name, POSKO_LABEL_SIZE, 0,
                              room - swatch - gap);
}

/* Draws the ticks of a vertical value axis: grid lines across the plot
 * and labels right-aligned against its left edge, each centred on its
 * line, left out when they would collide. */
static void posko_y_ticks(cairo_t *cr, posko_placed_t *placed,
                          const posko_ticks_t *t, const posko_map_t *m,
                          double plot_x, double plot_w) {
    double tick_h = posko_line_height(cr, POSKO_TICK_SIZE, 0);
    char buf[POSKO_NUMBER_LEN];

    for (int i = 0; i < t->count; i++) {
        double v = posko_tick_value(t, i), gy = posko_map_y(m, v), lw;
        posko_rect_t r;

        cairo_set_source_rgb(cr, POSKO_GRID);
        posko_hline(cr, plot_x, plot_x + plot_w, gy, 0.5);
        posko_format_number(v, t->step, buf, sizeof(buf));
        lw = posko_text_width(cr, buf, POSKO_TICK_SIZE, 0);
        r.x0 = plot_x - 5 - lw;
        r.x1 = plot_x - 5;
        r.y0 = gy - tick_h / 2;
        r.y1 = gy + tick_h / 2;
        if (posko_place(placed, r, 1)) {
            cairo_set_source_rgb(cr, POSKO_MUTED);
            posko_show_line(cr, r.x0, r.y0, lw, buf, POSKO_TICK_SIZE, 0,
                            POSKO_ALIGN_LEFT);
        }
    }
}

void posko_chart_series(cairo_t *cr, double x, double y, double w, double h,
                        const char *title, const char *const *xlabels, int n,
                        const double *a, const char *a_name, const double *b,
                        const char *b_name, int marker) {
    double title_h = 0, legend_h, tick_h, xlabel_h = 0, top, bottom;
    double plot_x, plot_y, plot_w, plot_h, slot, lo = 0, hi = 0, lx;
    int integral, bars, anchor, stride;
    posko_placed_t placed;
    posko_ticks_t t;
    posko_map_t m;

    cairo_save(cr);
    posko_clip(cr, x, y, w, h);
    posko_placed_init(&placed, x, y, w, h);
    if (title != NULL && title[0] != '\0') {
        cairo_set_source_rgb(cr, POSKO_INK);
        title_h = posko_show_line(cr, x, y, w, title, POSKO_TITLE_SIZE, 1,
                                  POSKO_ALIGN_LEFT) +
                  4;
    }
    legend_h = posko_line_height(cr, POSKO_LABEL_SIZE, 0);
    tick_h = posko_line_height(cr, POSKO_TICK_SIZE, 0);
    if (xlabels != NULL) {
        xlabel_h = posko_line_height(cr, POSKO_TICK_SIZE, 1) + 3;
    }
    if (n <= 0 || a == NULL) {
        cairo_restore(cr);
        return;
    }

    /* The value axis: from zero, or below it for negative data; counts
     * get whole ticks and a top of at least POSKO_MIN_AXIS_TOP. */
    posko_range(a, n, &lo, &hi);
    posko_range(b, n, &lo, &hi);
    integral = posko_integral(a, n) && posko_integral(b, n);
    if (integral && hi < POSKO_MIN_AXIS_TOP) {
        hi = POSKO_MIN_AXIS_TOP;
    }
    /* The plot takes what is left; in a low box the legend makes way
     * before the plot gets too low for two ticks. */
    top = y + title_h + legend_h + 8;
    bottom = y + h - xlabel_h - 2;
    if (bottom - top - tick_h / 2 < 3 * tick_h) {
        legend_h = 0;
        top = y + title_h + 2;
    }
    plot_y = top + tick_h / 2;
    plot_h = bottom - plot_y;
    if (plot_h < 1.5 * tick_h) {
        cairo_restore(cr);
        return;
    }
    posko_axis_fit(cr, lo, hi, integral, plot_h, 1, &t);
    plot_x = x + posko_ticks_width(cr, &t) + 5;
    plot_w = x + w - 2 - plot_x;
    if (plot_w < 10) {
        cairo_restore(cr);
        return;
    }
    slot = plot_w / n;
    bars = slot >= 3;
    m.x0 = plot_x + slot / 2;
    m.dx = slot;
    m.lo = t.lo;
    m.hi = t.hi;
    m.y_lo = bottom;
    m.y_hi = plot_y;

    /* The legend, under the title. */
    if (legend_h > 0) {
        lx = x + posko_legend_item(cr, x, y + title_h, b != NULL ? w / 2 : w,
                                   bars, POSKO_BAR, a_name);
        if (b != NULL) {
            posko_legend_item(cr, lx + 14, y + title_h, x + w - lx - 14, 0,
                              POSKO_LINE, b_name);
        }
    }

    /* The marker day's band behind everything, 3 to 30 units wide. */
    if (marker >= 0 && marker < n) {
        double bw = fmax(fmin(slot, 30), 3);
        double bx = posko_map_x(&m, marker) - bw / 2;

        bx = fmax(plot_x, fmin(bx, plot_x + plot_w - bw));
        cairo_set_source_rgb(cr, POSKO_MARK);
        cairo_rectangle(cr, bx, plot_y, fmin(bw, plot_w), plot_h);
        cairo_fill(cr);
    }
    posko_y_ticks(cr, &placed, &t, &m, plot_x, plot_w);

    /* The first series as bars when each day has 3 units or more, else
     * as a line; the second always as a line, with dots while there is
     * room for them. */
    cairo_set_source_rgb(cr, POSKO_BAR);
    if (bars) {
        double bar_w = fmin(slot * 0.7, 24), zero = posko_map_y(&m, 0);

        for (int i = 0; i < n; i++) {
            if (isfinite(a[i]) && a[i] != 0) {
                double top_y = posko_map_y(&m, a[i]);

                cairo_rectangle(cr, posko_map_x(&m, i) - bar_w / 2,
                                fmin(top_y, zero), bar_w, fabs(zero - top_y));
            }
        }
        cairo_fill(cr);
    } else {
        posko_polyline(cr, &m, a, n, 1.2, 0);
    }
    if (b != NULL) {
        cairo_set_source_rgb(cr, POSKO_LINE);
        posko_polyline(cr, &m, b, n, 1.6, slot >= 10 ? 1.8 : 0);
    }
    cairo_set_source_rgb(cr, POSKO_AXIS);
    posko_hline(cr, plot_x, plot_x + plot_w, posko_map_y(&m, 0), 0.8);

    /* The x labels: the marker day's first, in bold, then every stride
     * days counted from it (or from the last day), as long as they keep
     * clear of each other, of the value labels and of the box's edges. */
    if (xlabels == NULL) {
        cairo_restore(cr);
        return;
    }
    lx = 0;
    for (int i = 0; i < n; i++) {
        if (xlabels[i] != NULL) {
            lx = fmax(lx, posko_text_width(cr, xlabels[i], POSKO_TICK_SIZE, 0));
        }
    }
    stride = posko_day_stride(slot, lx + 8);
    anchor = marker >= 0 && marker < n ? marker : n - 1;
    if (anchor == marker) {
        cairo_set_source_rgb(cr, POSKO_INK);
        posko_place_label(cr, &placed, posko_map_x(&m, marker), bottom + 3,
                          xlabels[marker], POSKO_TICK_SIZE, 1);
    }
    cairo_set_source_rgb(cr, POSKO_MUTED);
    for (int i = anchor % stride; i < n; i += stride) {
        if (i != marker) {
            posko_place_label(cr, &placed, posko_map_x(&m, i), bottom + 3,
                              xlabels[i], POSKO_TICK_SIZE, 0);
        }
    }
    cairo_restore(cr);
}

/* -- small multiples ------------------------------------------------------ */

/* The step a series' values are written with: whole numbers for counts,
 * one decimal otherwise. */
static double posko_value_step(const double *v, int n) {
    return posko_integral(v, n) ? 1 : 0.1;
}

void posko_chart_sparklines(cairo_t *cr, double x, double y, double w, double h,
                            const char *title, const char *const *names,
                            const double *values, int rows, int n, int marker) {
    double title_h = 0, top, avail, per_size, size, row_h, line_h;
    double name_w = 0, value_w = 0, spark_x, spark_w;
    int shown = rows, more = 0;
    char buf[POSKO_NUMBER_LEN];

    cairo_save(cr);
    posko_clip(cr, x, y, w, h);
    if (title != NULL && title[0] != '\0') {
        cairo_set_source_rgb(cr, POSKO_INK);
        title_h = posko_show_line(cr, x, y, w, title, POSKO_TITLE_SIZE, 1,
                                  POSKO_ALIGN_LEFT) +
                  4;
    }
    top = y + title_h;
    avail = y + h - top;
    if (rows <= 0 || n <= 0 || avail <= 0) {
        cairo_restore(cr);
        return;
    }

    /* The rows share the height; the font follows the rows down to
     * POSKO_MIN_SIZE, and rows that do not fit even then are left for a
     * last line that says how many. */
    per_size = posko_line_height(cr, 10, 0) / 10;
    row_h = avail / rows;
    size = fmin(POSKO_LABEL_SIZE, (row_h - 2) / per_size);
    if (size < POSKO_MIN_SIZE) {
        size = POSKO_MIN_SIZE;
        shown = (int)(avail / (size * per_size + 2));
        if (shown < rows) {
            more = rows - (shown - 1);
            shown = shown - 1;
            row_h = size * per_size + 2;
        }
        if (shown < 0) {
            cairo_restore(cr);
            return;
        }
    }
    line_h = posko_line_height(cr, size, 0);

    /* Columns: names on the left, the last values on the right, the
     * sparklines between them, one x scale for all. */
    for (int r = 0; r < shown; r++) {
        const double *v = values + (size_t)r * (size_t)n;

        if (names[r] != NULL) {
            name_w = fmax(name_w, posko_text_width(cr, names[r], size, 0));
        }
        posko_format_number(v[n - 1], posko_value_step(v, n), buf, sizeof(buf));
        value_w = fmax(value_w, posko_text_width(cr, buf, size, 1));
    }
    name_w = fmin(name_w, w * 0.35);
    value_w = fmin(value_w, w * 0.25);
    spark_x = x + name_w + 8;
    spark_w = x + w - value_w - 8 - spark_x;

    for (int r = 0; r < shown; r++) {
        const double *v = values + (size_t)r * (size_t)n;
        double ry = top + r * row_h, text_y = ry + (row_h - line_h) / 2;
        double pad = fmax(1.5, row_h * 0.18), lo = INFINITY, hi = -INFINITY;
        posko_map_t m;

        if (r > 0) {
            cairo_set_source_rgb(cr, POSKO_GRID);
            posko_hline(cr, x, x + w, ry, 0.5);
        }
        cairo_set_source_rgb(cr, POSKO_INK);
        posko_show_line(cr, x, text_y, name_w, names[r], size, 0,
                        POSKO_ALIGN_LEFT);
        posko_format_number(v[n - 1], posko_value_step(v, n), buf, sizeof(buf));
        posko_show_line(cr, x + w - value_w, text_y, value_w, buf, size, 1,
                        POSKO_ALIGN_RIGHT);
        if (spark_w < 8) {
            continue;
        }

        /* The row's own scale, from its least to its greatest value. */
        posko_range(v, n, &lo, &hi);
        m.x0 = n > 1 ? spark_x : spark_x + spark_w / 2;
        m.dx = n > 1 ? spark_w / (n - 1) : 0;
        m.lo = lo;
        m.hi = hi;
        m.y_lo = ry + row_h - pad;
        m.y_hi = ry + pad;
        cairo_set_source_rgb(cr, POSKO_SPARK);
        posko_polyline(cr, &m, v, n, 1.0, 0);
        if (marker >= 0 && marker < n && isfinite(v[marker])) {
            cairo_set_source_rgb(cr, POSKO_DOT);
            cairo_arc(cr, posko_map_x(&m, marker), posko_map_y(&m, v[marker]),
                      fmin(2.2, pad), 0, 2 * G_PI);
            cairo_fill(cr);
        }
    }
    if (more > 0) {
        snprintf(buf, sizeof(buf), "+ %d lainnya", more);
        cairo_set_source_rgb(cr, POSKO_MUTED);
        posko_show_line(cr, x, top + shown * row_h + 1, w, buf, size, 0,
                        POSKO_ALIGN_LEFT);
    }
    cairo_restore(cr);
}

/* -- bullet graph --------------------------------------------------------- */

void posko_chart_bullet(cairo_t *cr, double x, double y, double w, double h,
                        const char *label, double value, double target,
                        double max, const char *value_text,
                        int lower_is_better) {
    const double gap = 8;
    double label_w, text_w, line_h, tick_h, band_h, group_h, gx, gy, gw;
    double edges[4], v;
    int has_target = isfinite(target) && target > 0, scale, over;
    posko_placed_t placed;
    char buf[POSKO_NUMBER_LEN];

    cairo_save(cr);
    posko_clip(cr, x, y, w, h);
    posko_placed_init(&placed, x, y, w, h);
    if (!(max > 0) || !isfinite(max)) {
        max = has_target                     ? 2 * target
              : isfinite(value) && value > 0 ? value
                                             : 1;
    }
    if (value_text == NULL) {
        posko_format_number(value, posko_value_step(&value, 1), buf,
                            sizeof(buf));
        value_text = buf;
    }

    /* Label | graph | value, side by side; the scale's labels under the
     * graph when the box is tall enough, the whole centred in the box.
     * The columns are shares of the box, not of the text, so that bullet
     * graphs stacked in boxes of one width line up. */
    line_h = posko_line_height(cr, POSKO_LABEL_SIZE, 1);
    tick_h = posko_line_height(cr, POSKO_TICK_SIZE, 0);
    label_w = label != NULL ? w * 0.28 : 0;
    text_w = fmax(w * 0.16, posko_fitted_width(cr, value_text, POSKO_LABEL_SIZE,
                                               1, w * 0.25));
    scale = h - tick_h - 5 >= 10;
    band_h = fmin(18, scale ? h - tick_h - 5 : h);
    group_h = band_h + (scale ? tick_h + 5 : 0);
    gy = y + (h - group_h) / 2;
    gx = x + (label_w > 0 ? label_w + gap : 0);
    gw = x + w - text_w - gap - gx;

    cairo_set_source_rgb(cr, POSKO_INK);
    posko_show_line(cr, x, gy + (band_h - line_h) / 2, label_w, label,
                    POSKO_LABEL_SIZE, 1, POSKO_ALIGN_LEFT);
    posko_show_line(cr, x + w - text_w, gy + (band_h - line_h) / 2, text_w,
                    value_text, POSKO_LABEL_SIZE, 1, POSKO_ALIGN_RIGHT);
    if (gw < 12 || band_h < 3) {
        cairo_restore(cr);
        return;
    }

    /* The qualitative bands: up to the target, up to 1.5 x target, and
     * beyond (thirds of the scale without a target), darker for worse. */
    edges[0] = 0;
    edges[1] = fmin(max, has_target ? target : max / 3);
    edges[2] = fmin(max, has_target ? 1.5 * target : 2 * max / 3);
    edges[3] = max;
    for (int i = 0; i < 3; i++) {
        int worse = lower_is_better ? i == 2 : i == 0;
        int better = lower_is_better ? i == 0 : i == 2;

        if (worse) {
            cairo_set_source_rgb(cr, POSKO_BAND_WORSE);
        } else if (better) {
            cairo_set_source_rgb(cr, POSKO_BAND_BETTER);
        } else {
            cairo_set_source_rgb(cr, POSKO_BAND_MIDDLE);
        }
        cairo_rectangle(cr, gx + gw * edges[i] / max, gy,
                        gw * (edges[i + 1] - edges[i]) / max, band_h);
        cairo_fill(cr);
    }

    /* The measure, a third of the band high; past max it stops at the end
     * of the scale with a break across it and an arrow beyond. */
    v = isfinite(value) ? fmax(0, value) : 0;
    over = v > max;
    v = fmin(v, max);
    cairo_set_source_rgb(cr, POSKO_INK);
    cairo_rectangle(cr, gx, gy + band_h / 3, gw * v / max, band_h / 3);
    cairo_fill(cr);
    if (over) {
        double bx = gx + gw - 6, y0 = gy + band_h / 3, y1 = y0 + band_h / 3;

        cairo_set_source_rgb(cr, POSKO_BAND_BETTER);
        cairo_set_line_width(cr, 1.6);
        cairo_move_to(cr, bx - 1.5, y1 + 1);
        cairo_line_to(cr, bx + 1.5, y0 - 1);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, POSKO_DOT);
        cairo_move_to(cr, gx + gw + 1.5, y0 - 1);
        cairo_line_to(cr, gx + gw + 6, (y0 + y1) / 2);
        cairo_line_to(cr, gx + gw + 1.5, y1 + 1);
        cairo_close_path(cr);
        cairo_fill(cr);
    }

    /* The target, a short line across the band. */
    if (has_target && target <= max) {
        double tx = fmin(gx + gw * target / max, gx + gw - 1);

        cairo_set_source_rgb(cr, POSKO_INK);
        posko_vline(cr, tx, gy + band_h * 0.15, gy + band_h * 0.85, 2);
    }

    /* The scale: ticks and labels up to max, under the band. */
    if (scale) {
        posko_ticks_t t;
        posko_rect_t text_box;

        text_box.x0 = x + w - text_w;
        text_box.x1 = x + w;
        text_box.y0 = gy + (band_h - line_h) / 2;
        text_box.y1 = text_box.y0 + line_h;
        posko_place(&placed, text_box, 0);
        /* Ticks past max are not drawn, so the spacing that counts is
         * that of the step along the scale, not of the whole axis. */
        for (int max_ticks = POSKO_MAX_TICKS; max_ticks >= 2; max_ticks--) {
            posko_nice_ticks(0, max, max_ticks, posko_integral(&max, 1), &t);
            if (gw * t.step / max >=
                posko_ticks_width(cr, &t) + 2.5 * POSKO_TICK_SIZE) {
                break;
            }
        }
        for (int i = 0; i < t.count; i++) {
            double tv = posko_tick_value(&t, i), tx = gx + gw * tv / max, lw;
            posko_rect_t r;

            if (tv > max * (1 + 1e-9)) {
                break;
            }
            cairo_set_source_rgb(cr, POSKO_MUTED);
            posko_vline(cr, fmin(tx, gx + gw - 0.25), gy + band_h,
                        gy + band_h + 2.5, 0.5);
            posko_format_number(tv, t.step, buf, sizeof(buf));
            lw = posko_text_width(cr, buf, POSKO_TICK_SIZE, 0);
            r.x0 = tx - lw / 2;
            r.x1 = tx + lw / 2;
            r.y0 = gy + band_h + 3;
            r.y1 = r.y0 + tick_h;
            if (posko_place(&placed, r, 4)) {
                posko_show_line(cr, r.x0, r.y0, lw, buf, POSKO_TICK_SIZE, 0,
                                POSKO_ALIGN_LEFT);
            }
        }
    }
    cairo_restore(cr);
}

/* -- table ---------------------------------------------------------------- */

double posko_chart_table(cairo_t *cr, double x, double y, double w,
                         const char *const *header, const double *widths,
                         const posko_align_t *align, int cols,
                         const char *const *cells, int rows, double size) {
    double total = 0, line_h, row_h, pad, height, cy;
    int lines;

    if (cols <= 0 || rows < 0 || !(w > 0)) {
        return 0;
    }
    if (!(size > 0)) {
        size = POSKO_TABLE_SIZE;
    }
    for (int c = 0; c < cols; c++) {
        total += widths != NULL && widths[c] > 0 ? widths[c] : 0;
    }
    if (widths == NULL || !(total > 0)) {
        widths = NULL;
        total = cols;
    }
    line_h = posko_line_height(cr, size, 1);
    row_h = line_h + size * 0.8;
    pad = size * 0.6;
    lines = rows + (header != NULL);
    height = lines * row_h;

    cairo_save(cr);
    posko_clip(cr, x, y, w, height);
    cy = y;
    for (int r = header != NULL ? -1 : 0; r < rows; r++, cy += row_h) {
        double cx = x;

        /* The header and every other row on a stripe. */
        if (r % 2 != 0) {
            cairo_set_source_rgb(cr, POSKO_STRIPE);
            cairo_rectangle(cr, x, cy, w, row_h);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, POSKO_INK);
        for (int c = 0; c < cols; c++) {
            double share = widths != NULL ? fmax(widths[c], 0) : 1;
            double cw = w * share / total;
            const char *text = r < 0           ? header[c]
                               : cells != NULL ? cells[r * cols + c]
                                               : NULL;

            if (r >= 0 && text == NULL) {
                text = "\u2013";
            }
            posko_show_line(cr, cx + pad, cy + (row_h - line_h) / 2,
                            cw - 2 * pad, text, size, r < 0,
                            align != NULL ? align[c] : POSKO_ALIGN_LEFT);
            cx += cw;
        }
        if (r < 0) {
            cairo_set_source_rgb(cr, POSKO_AXIS);
            posko_hline(cr, x, x + w, cy + row_h - 0.4, 0.8);
        }
    }
    cairo_set_source_rgb(cr, POSKO_AXIS);
    posko_hline(cr, x, x + w, y + height - 0.4, 0.8);
    cairo_restore(cr);
    return height;
}

/* -- headline card -------------------------------------------------------- */

double posko_chart_card(cairo_t *cr, double x, double y, double w, double h,
                        const char *label, const char *value,
                        const char *note) {
    return posko_chart_card_toned(cr, x, y, w, h, label, value, note,
                                  POSKO_TONE_PLAIN);
}

double posko_chart_card_toned(cairo_t *cr, double x, double y, double w,
                              double h, const char *label, const char *value,
                              const char *note, posko_tone_t tone) {
    const double accent = 3, small = POSKO_LABEL_SIZE, tiny = POSKO_TICK_SIZE;
    double pad = fmin(8, fmin(w, h) * 0.1), per_size, ix, iw, room;
    double label_h = 0, note_h = 0, size = 0, vw;

    cairo_save(cr);
    posko_clip(cr, x, y, w, h);
    cairo_set_source_rgb(cr, POSKO_STRIPE);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
    if (tone == POSKO_TONE_ALERT) {
        cairo_set_source_rgb(cr, POSKO_DOT);
    } else {
        cairo_set_source_rgb(cr, POSKO_BAR);
    }
    cairo_rectangle(cr, x, y, fmin(accent, w), h);
    cairo_fill(cr);

    ix = x + accent + pad;
    iw = x + w - pad - ix;
    per_size = posko_line_height(cr, 10, 1) / 10;
    if (label != NULL && label[0] != '\0') {
        label_h = posko_line_height(cr, small, 0) + 2;
    }
    if (note != NULL && note[0] != '\0') {
        note_h = posko_chart_text_lines(cr, ix, 0, note, tiny, 0, iw, 2, 0) + 2;
    }

    /* The value gets what the label and the note leave; when that is
     * below a readable size, the note goes, then the label. */
    room = h - 2 * pad - label_h - note_h;
    if (room < POSKO_MIN_SIZE * per_size && note_h > 0) {
        room += note_h;
        note_h = 0;
    }
    if (room < POSKO_MIN_SIZE * per_size && label_h > 0) {
        room += label_h;
        label_h = 0;
    }
    if (value != NULL && value[0] != '\0' && iw > 0 &&
        room >= POSKO_MIN_SIZE * per_size) {
        size = fmin(POSKO_CARD_VALUE_SIZE, room / per_size);
        for (int i = 0; i < 4; i++) {
            vw = posko_text_width(cr, value, size, 1);
            if (vw <= iw || size <= POSKO_MIN_SIZE) {
                break;
            }
            size = fmax(POSKO_MIN_SIZE, size * iw / vw * 0.98);
        }
        if (tone == POSKO_TONE_ALERT) {
            cairo_set_source_rgb(cr, POSKO_DOT);
        } else {
            cairo_set_source_rgb(cr, POSKO_INK);
        }
        posko_show_line(cr, ix, y + pad + label_h, iw, value, size, 1,
                        POSKO_ALIGN_LEFT);
    }
    cairo_set_source_rgb(cr, POSKO_MUTED);
    if (label_h > 0) {
        posko_show_line(cr, ix, y + pad, iw, label, small, 0, POSKO_ALIGN_LEFT);
    }
    if (note_h > 0) {
        posko_chart_text_lines(cr, ix, y + h - pad - note_h + 2, note, tiny, 0,
                               iw, 2, 1);
    }
    cairo_restore(cr);
    return size;
}
