/*
 * axis.h - the arithmetic of a chart's value axis: where the ticks go and
 * how their labels read.  No drawing here; chart.c measures the labels and
 * asks again with fewer ticks when they would crowd.
 */
#ifndef POSKO_AXIS_H
#define POSKO_AXIS_H

#include <stddef.h>

/* An axis from lo to hi with a tick every step: count ticks, both ends
 * included. */
typedef struct {
    double lo, hi, step;
    int count;
} posko_ticks_t;

/* Picks "nice" ticks for data from min to max (Heckbert, "Nice numbers for
 * graph labels", Graphics Gems, 1990): the step is 1, 2 or 5 times a power
 * of ten, lo <= min and hi >= max are multiples of the step, and there are
 * at most max_ticks ticks (the finest step that allows it).  max_ticks
 * below 2 counts as 2, and as 3 when min < 0 < max, since zero is then a
 * tick between two others.  With integer set the step is never below 1,
 * for counts.
 *
 * Degenerate data still gives a usable axis: min == max is widened to take
 * in zero (0..0 becomes 0..1, or 0..5 with integer); min > max is swapped;
 * a value that is not finite counts as 0. */
void posko_nice_ticks(double min, double max, int max_ticks, int integer,
                      posko_ticks_t *t);

/* The i-th tick (0 .. count-1), rounded to the decimals of the step so
 * that 0.1 + 0.2 lands on 0.3 exactly. */
double posko_tick_value(const posko_ticks_t *t, int i);

/* Writes v with as many decimals as step needs (none for a step of 1 or
 * more, one for 0.5, two for 0.25; none when step <= 0) and Indonesian
 * digit grouping: "12.500", "2,5", "-1.234,75".  A value that is not
 * finite is written "–".  Returns the length of the whole label, like
 * snprintf; the label is cut when that is size or more. */
int posko_format_number(double v, double step, char *buf, size_t size);

#endif
