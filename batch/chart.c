/*
 * chart.c - the report's charts, drawn with cairo, text through pango.
 *
 * The model is rrdtool's grapher: every piece of text is measured before
 * anything is placed, so labels never overlap the plot, and the value
 * axis takes its tick step from a 1-2-5 table, picking the finest step
 * whose labels still fit side by side.  Counts are whole numbers, so the
 * step is never below one.
 *
 * Font hinting of metrics is switched off so that a chart is laid out the
 * same in the PDF and in the PNG, whatever the device.
 */
#include "chart.h"

#include <limits.h>
#include <pango/pangocairo.h>
#include <stdio.h>

/* Colours, as RGB in 0..1. */
#define POSKO_INK 0.13, 0.15, 0.18   /* titles and labels */
#define POSKO_MUTED 0.40, 0.43, 0.47 /* tick labels, captions */
#define POSKO_GRID 0.86, 0.88, 0.90  /* grid lines */
#define POSKO_AXIS 0.45, 0.47, 0.50  /* the zero line */
#define POSKO_BAR 0.09, 0.45, 0.33   /* the bars: a quiet green */

/* Font sizes, in user units. */
#define POSKO_TITLE_SIZE 11.0
#define POSKO_LABEL_SIZE 8.5
#define POSKO_TICK_SIZE 7.5

/* The most ticks an axis gets, however wide it is. */
#define POSKO_MAX_TICKS 8

/* An axis never ends below this, so that an empty day still has a
 * readable scale. */
#define POSKO_MIN_AXIS_TOP 5

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
    pango_layout_context_changed(layout);

    font = pango_font_description_from_string(POSKO_CHART_FONT);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD
                                                 : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
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

/* The finest step from the 1-2-5 table that covers top with at most
 * max_ticks intervals. */
static long posko_chart_step(long top, int max_ticks) {
    static const long mult[] = {1, 2, 5};

    for (long p = 1; p <= LONG_MAX / 10; p *= 10) {
        for (size_t i = 0; i < sizeof(mult) / sizeof(mult[0]); i++) {
            long step = mult[i] * p;

            if (top / step + (top % step != 0) <= max_ticks) {
                return step;
            }
        }
    }
    return top;
}

static void posko_chart_fmt(char *buf, size_t size, long v) {
    snprintf(buf, size, "%ld", v);
}

void posko_chart_bars(cairo_t *cr, double x, double y, double w, double h,
                      const char *title, const char *const *labels,
                      const long *values, int n) {
    double title_h, label_w = 0, tick_w, tick_h, value_w;
    double plot_x, plot_y, plot_w, plot_h, band;
    long vmax = 0, step, top;
    int max_ticks;
    char buf[32];

    cairo_save(cr);
    cairo_set_source_rgb(cr, POSKO_INK);
    title_h = posko_chart_text(cr, x, y, title, POSKO_TITLE_SIZE, 1,
                               POSKO_ALIGN_LEFT, w);

    for (int i = 0; i < n; i++) {
        double lw;

        posko_chart_text_size(cr, labels[i], POSKO_LABEL_SIZE, 0, &lw, NULL);
        if (lw > label_w) {
            label_w = lw;
        }
        if (values[i] > vmax) {
            vmax = values[i];
        }
    }
    if (vmax < POSKO_MIN_AXIS_TOP) {
        vmax = POSKO_MIN_AXIS_TOP;
    }

    /* Room on the right for the longest value written past a bar's end,
     * and below for the tick labels and the axis caption. */
    posko_chart_fmt(buf, sizeof(buf), vmax);
    posko_chart_text_size(cr, buf, POSKO_LABEL_SIZE, 1, &value_w, NULL);
    posko_chart_text_size(cr, buf, POSKO_TICK_SIZE, 0, &tick_w, &tick_h);

    plot_x = x + label_w + 10;
    plot_y = y + title_h + 10;
    plot_w = w - (plot_x - x) - value_w - 8;
    plot_h = h - (plot_y - y) - 2 * tick_h - 8;
    if (n <= 0 || plot_w <= 20 || plot_h <= 10) {
        cairo_restore(cr);
        return;
    }

    /* The finest 1-2-5 step whose labels stay two label widths apart. */
    max_ticks = (int)(plot_w / (tick_w + 2.5 * POSKO_TICK_SIZE));
    if (max_ticks > POSKO_MAX_TICKS) {
        max_ticks = POSKO_MAX_TICKS;
    }
    if (max_ticks < 1) {
        max_ticks = 1;
    }
    step = posko_chart_step(vmax, max_ticks);
    top = (vmax / step + (vmax % step != 0)) * step;

    /* Grid lines and tick labels. */
    cairo_set_line_width(cr, 0.5);
    for (long t = 0; t <= top; t += step) {
        double gx = plot_x + plot_w * (double)t / (double)top;

        if (t > 0) {
            cairo_set_source_rgb(cr, POSKO_GRID);
            cairo_move_to(cr, gx, plot_y);
            cairo_line_to(cr, gx, plot_y + plot_h);
            cairo_stroke(cr);
        }
        cairo_set_source_rgb(cr, POSKO_MUTED);
        posko_chart_fmt(buf, sizeof(buf), t);
        posko_chart_text(cr, gx, plot_y + plot_h + 3, buf, POSKO_TICK_SIZE, 0,
                         POSKO_ALIGN_CENTER, 0);
        if (top - t < step) {
            break;
        }
    }
    cairo_set_source_rgb(cr, POSKO_MUTED);
    posko_chart_text(cr, plot_x + plot_w, plot_y + plot_h + 5 + tick_h,
                     "Jumlah laporan", POSKO_TICK_SIZE, 0, POSKO_ALIGN_RIGHT,
                     0);

    /* One band per label, the bar in its middle. */
    band = plot_h / n;
    for (int i = 0; i < n; i++) {
        double cy = plot_y + band * (i + 0.5);
        double bar_h = band * 0.62;
        double bar_w = plot_w * (double)values[i] / (double)top;
        double th;

        cairo_set_source_rgb(cr, POSKO_INK);
        posko_chart_text_size(cr, labels[i], POSKO_LABEL_SIZE, 0, NULL, &th);
        posko_chart_text(cr, plot_x - 8, cy - th / 2, labels[i],
                         POSKO_LABEL_SIZE, 0, POSKO_ALIGN_RIGHT, 0);

        if (bar_w > 0) {
            cairo_set_source_rgb(cr, POSKO_BAR);
            cairo_rectangle(cr, plot_x, cy - bar_h / 2, bar_w, bar_h);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, POSKO_INK);
        posko_chart_fmt(buf, sizeof(buf), values[i]);
        posko_chart_text(cr, plot_x + bar_w + 4, cy - th / 2, buf,
                         POSKO_LABEL_SIZE, 1, POSKO_ALIGN_LEFT, 0);
    }

    /* The zero line last, over the bars' left edges. */
    cairo_set_source_rgb(cr, POSKO_AXIS);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, plot_x, plot_y);
    cairo_line_to(cr, plot_x, plot_y + plot_h);
    cairo_stroke(cr);
    cairo_restore(cr);
}

void posko_chart_cleanup(void) {
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
}
