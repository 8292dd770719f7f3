/*
 * axis.c - nice ticks for a value axis, and the labels written on them.
 *
 * The ticks follow Heckbert's "nice numbers": a step of 1, 2 or 5 times a
 * power of ten reads at a glance, and an axis that starts and ends on a
 * multiple of the step never needs a label like 13.7.  Heckbert rounds a
 * rough step to the nearest nice one; here the candidates are walked from
 * below instead, 1, 2, 5, 10, 20, ..., and the first that covers the data
 * in at most max_ticks ticks wins, so the promise on the count always
 * holds.
 *
 * Multiples of a decimal step are computed as k * mant / 10^n rather than
 * k * step: 7 / 10 is the double nearest 0.7, while 7 * 0.1 is not, and an
 * axis from 0 to 0.7 must really end at or above the data's 0.7.
 *
 * Labels are written the Indonesian way, like the rest of the report:
 * '.' between thousands, ',' before the decimals.
 */
#include "axis.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The most decimals a label gets, however fine the step. */
#define POSKO_MAX_DECIMALS 20

/* Steps finer than this part of the data's magnitude are below what a
 * double can tell apart; data spread less than this counts as one value. */
#define POSKO_RESOLUTION 1e-12

/* Enough candidates to walk from the finest step to the coarsest. */
#define POSKO_MAX_CANDIDATES 700

/* A candidate step: mant (1, 2 or 5) times ten to the exp. */
typedef struct {
    double mant;
    int exp;
} posko_step_t;

/* The k-th multiple of the step. */
static double posko_step_multiple(posko_step_t s, double k) {
    if (s.exp >= 0) {
        return k * s.mant * pow(10.0, s.exp);
    }
    return k * s.mant / pow(10.0, -s.exp);
}

static posko_step_t posko_step_next(posko_step_t s) {
    if (s.mant == 1) {
        s.mant = 2;
    } else if (s.mant == 2) {
        s.mant = 5;
    } else {
        s.mant = 1;
        s.exp++;
    }
    return s;
}

/* A candidate at or below v (v > 0); a decade lower than needed is
 * harmless, it only costs a few more turns of the walk. */
static posko_step_t posko_step_below(double v) {
    posko_step_t s;

    s.mant = 1;
    s.exp = (int)floor(log10(v)) - 1;
    return s;
}

/* The largest k with k * step <= v. */
static double posko_floor_multiple(posko_step_t s, double v) {
    double k = floor(v / posko_step_multiple(s, 1));

    for (int i = 0; i < 4 && posko_step_multiple(s, k) > v; i++) {
        k -= 1;
    }
    for (int i = 0; i < 4 && posko_step_multiple(s, k + 1) <= v; i++) {
        k += 1;
    }
    return k;
}

/* The smallest k with k * step >= v. */
static double posko_ceil_multiple(posko_step_t s, double v) {
    double k = ceil(v / posko_step_multiple(s, 1));

    for (int i = 0; i < 4 && posko_step_multiple(s, k) < v; i++) {
        k += 1;
    }
    for (int i = 0; i < 4 && posko_step_multiple(s, k - 1) >= v; i++) {
        k -= 1;
    }
    return k;
}

void posko_nice_ticks(double min, double max, int max_ticks, int integer,
                      posko_ticks_t *t) {
    double magnitude, raw;
    posko_step_t s;

    if (!isfinite(min)) {
        min = 0;
    }
    if (!isfinite(max)) {
        max = 0;
    }
    if (min > max) {
        double swap = min;

        min = max;
        max = swap;
    }
    magnitude = fmax(fabs(min), fabs(max));
    if (max - min <= magnitude * POSKO_RESOLUTION) {
        if (min > 0) {
            min = 0;
        } else if (max < 0) {
            max = 0;
        } else {
            min = 0;
            max = integer ? 5 : 1;
        }
        magnitude = fmax(fabs(min), fabs(max));
    }
    if (max_ticks < 2) {
        max_ticks = 2;
    }
    if (max_ticks < 3 && min < 0 && max > 0) {
        max_ticks = 3;
    }

    /* No step finer than the data over max_ticks - 1 intervals can do;
     * halving first keeps the difference of huge values finite. */
    raw = (max / 2 - min / 2) / (max_ticks - 1) * 2;
    raw = fmax(raw, magnitude * POSKO_RESOLUTION);
    if (integer) {
        raw = fmax(raw, 1);
    }
    s = posko_step_below(raw);
    if (integer && s.exp < 0) {
        s.mant = 1;
        s.exp = 0;
    }
    for (int i = 0; i < POSKO_MAX_CANDIDATES; i++, s = posko_step_next(s)) {
        double step = posko_step_multiple(s, 1), k_lo, k_hi;

        if (!isfinite(step)) {
            break;
        }
        k_lo = posko_floor_multiple(s, min);
        k_hi = posko_ceil_multiple(s, max);
        if (k_hi - k_lo + 1 <= max_ticks) {
            t->lo = posko_step_multiple(s, k_lo) + 0.0; /* never -0 */
            t->hi = posko_step_multiple(s, k_hi) + 0.0;
            t->step = step;
            t->count = (int)(k_hi - k_lo) + 1;
            return;
        }
    }

    /* Only data near the ends of the doubles gets here. */
    t->lo = min;
    t->hi = max;
    t->step = max - min;
    t->count = 2;
}

/* The decimals a label needs to tell ticks step apart. */
static int posko_decimals(double step) {
    if (!(step > 0) || !isfinite(step)) {
        return 0;
    }
    for (int d = 0; d < POSKO_MAX_DECIMALS; d++) {
        double scaled = step * pow(10.0, d);

        if (fabs(scaled - rint(scaled)) <= scaled * 1e-9) {
            return d;
        }
    }
    return POSKO_MAX_DECIMALS;
}

double posko_tick_value(const posko_ticks_t *t, int i) {
    double v = t->lo + i * t->step;
    int d = posko_decimals(t->step);

    if (d > 0) {
        double scale = pow(10.0, d);

        v = rint(v * scale) / scale;
    } else if (fabs(v) < 0x1p52) {
        v = rint(v);
    }
    return v + 0.0;
}

int posko_format_number(double v, double step, char *buf, size_t size) {
    /* DBL_MAX has 309 digits, a '.' for every three of them. */
    char digits[400], label[600];
    int decimals = posko_decimals(step), len = 0;
    size_t int_len;

    if (!isfinite(v)) {
        return snprintf(buf, size, "%s", "\u2013");
    }
    snprintf(digits, sizeof(digits), "%.*f", decimals, fabs(v));
    if (v < 0 && strspn(digits, "0.") != strlen(digits)) {
        label[len++] = '-';
    }
    int_len = strcspn(digits, ".");
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0) {
            label[len++] = '.';
        }
        label[len++] = digits[i];
    }
    if (digits[int_len] == '.') {
        label[len++] = ',';
        for (size_t i = int_len + 1; digits[i] != '\0'; i++) {
            label[len++] = digits[i];
        }
    }
    label[len] = '\0';
    return snprintf(buf, size, "%s", label);
}
