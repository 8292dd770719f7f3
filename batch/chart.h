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

/* Lays text out in at most lines lines no wider than width, broken
 * between words (or inside a word too long for a line) and cut with an
 * ellipsis after the last; draws it with its top at (x, y) when draw is
 * set.  Returns the height it takes. */
double posko_chart_text_lines(cairo_t *cr, double x, double y,
                              const char *text, double size, int bold,
                              double width, int lines, int draw);

/* Draws a horizontal bar chart into the box (x, y, w, h): the title on
 * top, one bar per label with its value written at the bar's end, and a
 * value axis from zero with nice ticks (axis.h).  Values are counts (a
 * negative one draws as zero); an all-zero chart still shows its axis. */
void posko_chart_bars(cairo_t *cr, double x, double y, double w, double h,
                      const char *title, const char *const *labels,
                      const long *values, int n);

/* Every chart below draws inside its box (x, y, w, h) and nowhere else:
 * text is measured before anything is placed, labels that would collide
 * are left out (rrdtool's rule), text too long for its room is cut with
 * an ellipsis, and the box is a clip as well.  Values that are not finite
 * (NAN) are gaps: no bar, a break in a line. */

/* Two series over n days, for example submissions (a) and solutions (b,
 * may be NULL): a as bars while a day has 3 units or more and as a line
 * when the days are many, b as a line, a legend with a_name and b_name under
 * the title, a value axis with nice ticks, x labels (xlabels may be NULL)
 * thinned to a step of 1, 2, 3, 7, 14, 28, ... days counted from the
 * marker day, so that they never crowd.  The day marker (0 .. n-1, or -1
 * for none) gets a band behind it and its label in bold. */
void posko_chart_series(cairo_t *cr, double x, double y, double w, double h,
                        const char *title, const char *const *xlabels, int n,
                        const double *a, const char *a_name, const double *b,
                        const char *b_name, int marker);

/* Small multiples: one row per name, values row-major (rows x n).  The
 * name on the left, a sparkline with the same x scale for every row and
 * each row's own y scale, the last value written at the right end, the
 * marker day (or -1) as a dot.  Rows that do not fit even in a small font
 * are summed up in a last line "+ k lainnya". */
void posko_chart_sparklines(cairo_t *cr, double x, double y, double w, double h,
                            const char *title, const char *const *names,
                            const double *values, int rows, int n, int marker);

/* Stephen Few's bullet graph on a scale from 0 to max: qualitative bands
 * up to target, up to 1.5 x target and beyond (darker is worse, so the
 * order turns round when lower_is_better, as for response times), the
 * value as a dark bar, the target as a short line across it, the label
 * on the left and value_text (or the value, when NULL) on the right, and
 * the scale's ticks below when the box is tall enough.  The label's
 * column is 28% of w and the value's at least 16%, so that bullet graphs
 * stacked in boxes of one width line up.  A value above max is drawn to
 * max with a break in the bar and an arrow past its end.  A max <= 0
 * becomes 2 x target (or the value). */
void posko_chart_bullet(cairo_t *cr, double x, double y, double w, double h,
                        const char *label, double value, double target,
                        double max, const char *value_text,
                        int lower_is_better);

/* A table at (x, y), w wide: the header row in bold (header may be NULL),
 * then the rows of cells (row-major, rows x cols; a NULL cell is "–"),
 * with zebra stripes.  widths are the columns' shares of w (NULL: equal;
 * normalised when they do not sum to 1), align their alignment (NULL:
 * left).  A cell too long for its column is cut with an ellipsis and
 * never runs into the next one.  size is the font size (<= 0: 9).
 * Returns the height drawn. */
double posko_chart_table(cairo_t *cr, double x, double y, double w,
                         const char *const *header, const double *widths,
                         const posko_align_t *align, int cols,
                         const char *const *cells, int rows, double size);

/* A headline card, like a city 311 dashboard's: the label small on top
 * ("Diterima hari ini"), the value large ("1.234"), the note small at the
 * bottom ("musim ini 12.345"), in up to two lines; any of them may be
 * NULL.  The value's font shrinks until it fits the box; the note, then
 * the label, are left out when the box is too low for them.  Returns the value's font size. */
double posko_chart_card(cairo_t *cr, double x, double y, double w, double h,
                        const char *label, const char *value, const char *note);

/* How a card speaks: plain, or alert (a measure below its standard): the
 * stripe and the value in red, so that it is seen before it is read. */
typedef enum {
    POSKO_TONE_PLAIN,
    POSKO_TONE_ALERT
} posko_tone_t;

/* posko_chart_card() in a tone. */
double posko_chart_card_toned(cairo_t *cr, double x, double y, double w,
                              double h, const char *label, const char *value,
                              const char *note, posko_tone_t tone);

#endif
