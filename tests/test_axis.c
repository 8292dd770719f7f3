/*
 * test_axis.c - unit tests for the value axis arithmetic (batch/axis.c).
 *
 * posko_nice_ticks is checked against a table of ranges worked out by hand
 * (empty days, small counts, decimals, negative data, the max_ticks
 * limits, degenerate input), then against its promises over many random
 * ranges from a seeded generator: lo <= min, hi >= max, lo and hi on
 * multiples of the step, a step of 1, 2 or 5 times a power of ten, never
 * below 1 for counts, at most max_ticks ticks, and no finer nice step that
 * would also have fitted.  posko_format_number is table-driven: grouping,
 * decimals, signs, truncation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "axis.h"

#define N_RANDOM 20000 /* random ranges for the property test */

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* A uniform double in [0, 1). */
static double uniform(uint64_t *state) {
    return (double)(splitmix64(state) >> 11) * 0x1p-53;
}

/* Whether v is a whole number, allowing for the rounding of a division. */
static int near_integer(double v) {
    return fabs(v - rint(v)) <= 1e-6 * fmax(1, fabs(v));
}

/* Whether step is 1, 2 or 5 times a power of ten; the mantissa is
 * returned through mant. */
static int is_nice(double step, double *mant) {
    double e = floor(log10(step));
    double m = step / pow(10, e);

    if (m > 9.999999) { /* log10 rounded a power of ten down */
        m /= 10;
    }
    *mant = rint(m);
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9;
}

/* -- ranges worked out by hand -------------------------------------------- */

static const struct {
    double min, max;
    int max_ticks, integer;
    double lo, hi, step;
    int count;
} cases[] = {
    /* an empty day: counts still get an axis */
    {0, 0, 6, 1, 0, 5, 1, 6},
    {0, 0, 4, 1, 0, 6, 2, 4},
    {0, 0, 8, 0, 0, 1, 0.2, 6},
    /* small counts */
    {0, 1, 6, 0, 0, 1, 0.2, 6},
    {0, 1, 6, 1, 0, 1, 1, 2},
    {0, 0.3, 8, 1, 0, 1, 1, 2},
    {0, 7, 8, 1, 0, 7, 1, 8},
    {0, 7, 5, 1, 0, 8, 2, 5},
    {0, 13, 8, 1, 0, 14, 2, 8},
    {0, 13, 6, 1, 0, 15, 5, 4},
    /* data away from zero */
    {3, 97, 8, 0, 0, 100, 20, 6},
    {3, 97, 11, 0, 0, 100, 10, 11},
    {0, 1234567, 8, 1, 0, 1400000, 200000, 8},
    {0, 1234567, 5, 1, 0, 1500000, 500000, 4},
    /* decimals */
    {0.001, 0.009, 5, 0, 0, 0.01, 0.005, 3},
    {0.001, 0.009, 10, 0, 0.001, 0.009, 0.001, 9},
    {0, 0.7, 8, 0, 0, 0.7, 0.1, 8},
    {0.001, 0.009, 5, 1, 0, 1, 1, 2},
    /* negative data */
    {-3.5, 7.2, 8, 0, -4, 8, 2, 7},
    {-120, -30, 6, 0, -120, -20, 20, 6},
    {-1, 1, 2, 0, -1, 1, 1, 3}, /* max_ticks 2 cannot straddle zero */
    /* one value: widened to take in zero */
    {0.5, 0.5, 6, 0, 0, 0.5, 0.1, 6},
    {7, 7, 6, 1, 0, 8, 2, 5},
    {-7, -7, 6, 1, -8, 0, 2, 5},
    /* max_ticks at its limits */
    {0, 97, 2, 0, 0, 100, 100, 2},
    {0, 97, 1, 0, 0, 100, 100, 2},
    {0, 97, -5, 1, 0, 100, 100, 2},
    {9, 11, 2, 0, 0, 20, 20, 2},
    {0, 1, 1000, 0, 0, 1, 0.002, 501},
    /* reversed and not finite */
    {10, 0, 6, 1, 0, 10, 2, 6},
    {NAN, 5, 6, 1, 0, 5, 1, 6},
    {0, INFINITY, 6, 1, 0, 5, 1, 6},
};

static void test_known_ranges(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        posko_ticks_t t;

        posko_nice_ticks(cases[k].min, cases[k].max, cases[k].max_ticks,
                         cases[k].integer, &t);
        if (fabs(t.lo - cases[k].lo) > 1e-12 ||
            fabs(t.hi - cases[k].hi) > 1e-12 ||
            fabs(t.step - cases[k].step) > 1e-12 || t.count != cases[k].count) {
            fail_msg("case %zu (%g..%g, %d, %d): got %g..%g step %g count %d",
                     k, cases[k].min, cases[k].max, cases[k].max_ticks,
                     cases[k].integer, t.lo, t.hi, t.step, t.count);
        }
    }
}

/* The ends land on the decimal exactly, not a rounding error away. */
static void test_exact_ends(void **state) {
    posko_ticks_t t;

    (void)state;
    posko_nice_ticks(0, 0.7, 8, 0, &t);
    assert_true(t.hi >= 0.7);
    assert_true(t.hi == 0.7);
    posko_nice_ticks(0.3, 1.1, 9, 0, &t);
    assert_true(t.lo == 0.3);
    assert_true(t.hi == 1.1);
    assert_true(posko_tick_value(&t, 0) == 0.3);
    assert_true(posko_tick_value(&t, 8) == 1.1);
    posko_nice_ticks(0, 0.3, 4, 0, &t);
    assert_int_equal(t.count, 4);
    assert_true(posko_tick_value(&t, 3) == 0.3);
    assert_false(signbit(posko_tick_value(&t, 0)));
    posko_nice_ticks(-0.3, 0.3, 7, 0, &t);
    assert_false(signbit(posko_tick_value(&t, 3)));
    assert_true(posko_tick_value(&t, 3) == 0);
}

/* -- promises over random ranges ------------------------------------------ */

/* A value whose magnitude spans 10^-6 .. 10^12, sometimes 0. */
static double random_value(uint64_t *state) {
    double r = uniform(state);

    if (r < 0.1) {
        return 0;
    }
    r = pow(10, -6 + 18 * uniform(state)) * (1 + 9 * uniform(state));
    return uniform(state) < 0.3 ? -r : r;
}

/* The largest k with k * step <= v, and the smallest with k * step >= v,
 * without trusting the rounding of v / step. */
static double floor_multiple(double v, double step) {
    double k = floor(v / step);

    return (k + 1) * step <= v ? k + 1 : k * step > v ? k - 1 : k;
}

static double ceil_multiple(double v, double step) {
    double k = ceil(v / step);

    return (k - 1) * step >= v ? k - 1 : k * step < v ? k + 1 : k;
}

static void check_promises(double min, double max, int max_ticks, int integer) {
    double lo = fmin(min, max), hi = fmax(min, max), mant = 0, prev, lower;
    int limit = max_ticks < 2 ? 2 : max_ticks;
    posko_ticks_t t;

    if (limit < 3 && lo < 0 && hi > 0) {
        limit = 3;
    }
    posko_nice_ticks(min, max, max_ticks, integer, &t);
    if (!(t.lo <= lo && t.hi >= hi && t.step > 0 && t.count >= 2 &&
          t.count <= limit && is_nice(t.step, &mant) &&
          near_integer(t.lo / t.step) && near_integer(t.hi / t.step) &&
          fabs((t.hi - t.lo) / t.step + 1 - t.count) < 1e-6 &&
          (!integer || t.step >= 1))) {
        fail_msg("%.17g..%.17g max_ticks %d integer %d: "
                 "%.17g..%.17g step %.17g count %d",
                 min, max, max_ticks, integer, t.lo, t.hi, t.step, t.count);
    }

    /* The next finer nice step would not have fitted (or is below 1 for
     * counts).  Only checked for data that is not one value widened. */
    prev = mant == 5 ? t.step * 0.4 : t.step / 2;
    if (hi - lo > 1e-9 * fmax(fabs(lo), fabs(hi)) && !(integer && prev < 1)) {
        lower = ceil_multiple(hi, prev) - floor_multiple(lo, prev) + 1;
        if (lower <= limit) {
            fail_msg("%.17g..%.17g max_ticks %d: step %.17g, but %.17g "
                     "would fit in %g ticks",
                     min, max, max_ticks, t.step, prev, lower);
        }
    }
}

static void test_random_ranges(void **state) {
    uint64_t seed = 20260615;

    (void)state;
    for (int i = 0; i < N_RANDOM; i++) {
        double a = random_value(&seed), b = random_value(&seed);
        int max_ticks = 2 + (int)(uniform(&seed) * 12);
        int integer = uniform(&seed) < 0.4;

        if (uniform(&seed) < 0.05) {
            b = a; /* one value */
        }
        check_promises(a, b, max_ticks, integer);
        check_promises(0, fabs(b), max_ticks, 1); /* a day's counts */
    }
}

/* Counts from an empty day up to a season, every max_ticks a chart asks. */
static void test_every_count(void **state) {
    (void)state;
    for (int n = 0; n <= 3000; n++) {
        for (int max_ticks = 2; max_ticks <= 10; max_ticks++) {
            check_promises(0, n, max_ticks, 1);
        }
    }
}

/* -- labels --------------------------------------------------------------- */

static const struct {
    double v, step;
    const char *label;
} labels[] = {
    {0, 1, "0"},
    {7, 1, "7"},
    {999, 1, "999"},
    {1000, 1, "1.000"},
    {12500, 1, "12.500"},
    {100000, 1, "100.000"},
    {1234567, 1, "1.234.567"},
    {2000000, 1000000, "2.000.000"},
    {1e20, 1, "100.000.000.000.000.000.000"},
    {-42, 1, "-42"},
    {-1234567, 1, "-1.234.567"},
    {2.5, 0.5, "2,5"},
    {2, 0.5, "2,0"},
    {1000, 0.5, "1.000,0"},
    {-1234.75, 0.25, "-1.234,75"},
    {0.1 + 0.2, 0.1, "0,3"},
    {0.005, 0.001, "0,005"},
    {12345.678, 0.01, "12.345,68"},
    {-0.04, 0.1, "0,0"}, /* no "-0,0" */
    {-0.0, 1, "0"},
    {3.7, 0, "4"}, /* no step: a whole number */
    {3.7, -1, "4"},
    {NAN, 1, "\u2013"},
    {INFINITY, 1, "\u2013"},
};

static void test_format_table(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
        char buf[64];
        int len =
            posko_format_number(labels[k].v, labels[k].step, buf, sizeof(buf));

        if (strcmp(buf, labels[k].label) != 0 ||
            len != (int)strlen(labels[k].label)) {
            fail_msg("case %zu (%g, step %g): '%s' (%d), wanted '%s'", k,
                     labels[k].v, labels[k].step, buf, len, labels[k].label);
        }
    }
}

/* Labels of nice ticks show the step's decimals, the same on each. */
static void test_format_ticks(void **state) {
    static const char *const want[] = {"0,0", "0,5", "1,0", "1,5", "2,0"};
    posko_ticks_t t;
    char buf[32];

    (void)state;
    posko_nice_ticks(0, 2, 5, 0, &t);
    assert_int_equal(t.count, 5);
    for (int i = 0; i < t.count; i++) {
        posko_format_number(posko_tick_value(&t, i), t.step, buf, sizeof(buf));
        assert_string_equal(buf, want[i]);
    }
}

static void test_format_truncates(void **state) {
    char buf[4], big[512];

    (void)state;
    assert_int_equal(posko_format_number(12500, 1, buf, sizeof(buf)), 6);
    assert_string_equal(buf, "12.");
    assert_int_equal(posko_format_number(12500, 1, NULL, 0), 6);
    /* the largest double: 309 digits and 102 separators */
    assert_int_equal(
        posko_format_number(1.7976931348623157e308, 1, big, sizeof(big)), 411);
    assert_int_equal(strlen(big), 411);
    assert_int_equal(
        posko_format_number(-1.7976931348623157e308, 1e-30, big, sizeof(big)),
        1 + 411 + 1 + 20);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_ranges),
        cmocka_unit_test(test_exact_ends),
        cmocka_unit_test(test_random_ranges),
        cmocka_unit_test(test_every_count),
        cmocka_unit_test(test_format_table),
        cmocka_unit_test(test_format_ticks),
        cmocka_unit_test(test_format_truncates),
    };

    return cmocka_run_group_tests_name("axis", tests, NULL, NULL);
}
