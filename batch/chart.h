/*
 * chart.h - drawing the report's charts and text with cairo and pango.
 *
 * Everything is drawn in the cairo context's user units, so one chart
 * function serves both the PDF page (points) and the PNG files (pixels,
 * usually under a scale).  Text sizes are absolute, in user units too.
 */
#ifndef POSKO_CHART_H
#define POSKO_CHART_H

#include <cairo.h>

/* The font family of every piece of text in the reports. */
#define POSKO_CHART_FONT "DejaVu Sans, Sans"

typedef enum {
    POSKO_ALIGN_LEFT,
    POSKO_ALIGN_CENTER,
    POSKO_ALIGN_RIGHT
} posko_align_t;

/* Measures text at a font size (in user units), bold or not. */
void posko_chart_text_size(cairo_t *cr, const char *text, double size, int bold,
                           double *width, double *height);

/* Draws text in the current source colour with its top at y and x as the
 * left edge, the centre or the right edge, as align says.  With a positive
 * wrap the text is broken into lines no wider than that.  Returns the
 * height of what was drawn. */
double posko_chart_text(cairo_t *cr, double x, double y, const char *text,
                        double size, int bold, posko_align_t align,
                        double wrap);

/* Draws a horizontal bar chart into the box (x, y, w, h): the title on
 * top, one bar per label with its value written at the bar's end, and a
 * value axis from zero whose tick step comes from a 1-2-5 table.  Values
 * are counts (never negative); an all-zero chart still shows its axis. */
void posko_chart_bars(cairo_t *cr, double x, double y, double w, double h,
                      const char *title, const char *const *labels,
                      const long *values, int n);

/* Releases the font map and caches that pango and cairo keep for the
 * whole process.  Call once, after every surface has been destroyed, when
 * no more drawing follows. */
void posko_chart_cleanup(void);

#endif
