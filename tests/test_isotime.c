/*
 * test_isotime.c - unit tests for the ISO 8601 times of Open311's date
 * arguments and the day number of a civil date (include/posko_isotime.c).
 *
 * Each accepted form is checked against timegm() of the same fields, less
 * the offset, computed here; each refusal by the part it gets wrong.  The
 * day numbers are checked against timegm() for every day of 1600 to 2400
 * and for some days far from 1970 on either side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "posko_isotime.h"
#include "unit.h"

#define H 3600
#define M 60

/* -- the forms taken ---------------------------------------------------- */

static const struct {
    const char *in;
    int y, mo, d, h, mi, s;
    int east; /* the offset, in seconds east of UTC */
} good[] = {
    /* a date alone is midnight UTC */
    {"2026-06-01", 2026, 6, 1, 0, 0, 0, 0},
    {"1970-01-01", 1970, 1, 1, 0, 0, 0, 0},
    {"9999-12-31", 9999, 12, 31, 0, 0, 0, 0},
    /* hours and minutes */
    {"2026-06-01T08:30Z", 2026, 6, 1, 8, 30, 0, 0},
    {"2026-06-01t08:30z", 2026, 6, 1, 8, 30, 0, 0},
    {"2026-06-01 08:30Z", 2026, 6, 1, 8, 30, 0, 0},
    {"2026-06-01T08:30", 2026, 6, 1, 8, 30, 0, 0}, /* no zone: UTC */
    {"2026-06-01T00:00Z", 2026, 6, 1, 0, 0, 0, 0},
    {"2026-06-01T23:59Z", 2026, 6, 1, 23, 59, 0, 0},
    /* seconds */
    {"2026-06-01T08:30:15Z", 2026, 6, 1, 8, 30, 15, 0},
    {"2026-06-01T08:30:15", 2026, 6, 1, 8, 30, 15, 0},
    {"2026-06-01T23:59:60Z", 2026, 6, 1, 23, 59, 60, 0}, /* a leap second */
    /* a fraction, dropped */
    {"2026-06-01T08:30:00.5Z", 2026, 6, 1, 8, 30, 0, 0},
    {"2026-06-01T08:30:59.999999Z", 2026, 6, 1, 8, 30, 59, 0},
    {"2026-06-01T08:30:00,25Z", 2026, 6, 1, 8, 30, 0, 0},
    {"2026-06-01T08:30:00.Z", 2026, 6, 1, 8, 30, 0, 0},
    {"2026-06-01T08:30:00.125", 2026, 6, 1, 8, 30, 0, 0},
    {"2026-06-01T08:30:00.5+03:00", 2026, 6, 1, 8, 30, 0, 3 * H},
    /* offsets, in each of their three forms */
    {"2026-06-01T08:30:00+03:00", 2026, 6, 1, 8, 30, 0, 3 * H},
    {"2026-06-01T08:30:00-05:00", 2026, 6, 1, 8, 30, 0, -5 * H},
    {"2026-06-01T08:30+0530", 2026, 6, 1, 8, 30, 0, 5 * H + 30 * M},
    {"2026-06-01T08:30-0930", 2026, 6, 1, 8, 30, 0, -9 * H - 30 * M},
    {"2026-06-01T08:30+03", 2026, 6, 1, 8, 30, 0, 3 * H},
    {"2026-06-01T08:30-11", 2026, 6, 1, 8, 30, 0, -11 * H},
    {"2026-06-01T08:30:00+00:00", 2026, 6, 1, 8, 30, 0, 0},
    {"2026-06-01T08:30:00-00:00", 2026, 6, 1, 8, 30, 0, 0},
    {"2026-06-01T08:30:00+14:59", 2026, 6, 1, 8, 30, 0, 14 * H + 59 * M},
    {"2026-06-01T08:30:00-14:00", 2026, 6, 1, 8, 30, 0, -14 * H},
    /* a "+" that arrived as a space */
    {"2026-06-01T08:30:00 03:00", 2026, 6, 1, 8, 30, 0, 3 * H},
    {"2026-06-01 08:30 0300", 2026, 6, 1, 8, 30, 0, 3 * H},
    /* an offset moves the day, the month and the year */
    {"2026-06-01T01:00+03:00", 2026, 6, 1, 1, 0, 0, 3 * H},
    {"2026-12-31T23:00-02:00", 2026, 12, 31, 23, 0, 0, -2 * H},
    /* leap days */
    {"2024-02-29", 2024, 2, 29, 0, 0, 0, 0},
    {"2000-02-29T12:00Z", 2000, 2, 29, 12, 0, 0, 0},
    {"2024-03-01", 2024, 3, 1, 0, 0, 0, 0},
    {"2100-03-01", 2100, 3, 1, 0, 0, 0, 0},
    /* a day past the month's end is counted on, as timegm() does */
    {"2026-02-29", 2026, 2, 29, 0, 0, 0, 0},
    {"2026-02-31", 2026, 2, 31, 0, 0, 0, 0},
    {"2026-04-31", 2026, 4, 31, 0, 0, 0, 0},
    {"2100-02-29", 2100, 2, 29, 0, 0, 0, 0},
    /* before 1970, clamped to 0 */
    {"1970-01-01T00:00+01:00", 1970, 1, 1, 0, 0, 0, 1 * H},
    {"1970-01-01T02:00:00+14:00", 1970, 1, 1, 2, 0, 0, 14 * H},
};

static int64_t expected(int i) {
    struct tm tm;
    int64_t t;

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = good[i].y - 1900;
    tm.tm_mon = good[i].mo - 1;
    tm.tm_mday = good[i].d;
    tm.tm_hour = good[i].h;
    tm.tm_min = good[i].mi;
    tm.tm_sec = good[i].s;
    t = (int64_t)timegm(&tm) - good[i].east;
    return t < 0 ? 0 : t;
}

static int parse_exact(const char *s, size_t len, int64_t *t) {
    uint8_t *copy = dup_exact(s, len);
    int rc = posko_isotime_parse((const char *)copy, len, t);

    free(copy);
    return rc;
}

static void test_good(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        int64_t t = -1;
        int rc = parse_exact(good[i].in, strlen(good[i].in), &t);

        if (rc != 0 || t != expected((int)i)) {
            fail_msg("%s: rc %d, %lld, expected %lld", good[i].in, rc,
                     (long long)t, (long long)expected((int)i));
        }
    }
}

/* The last second of 9999 with the farthest offset west. */
static void test_far(void **state) {
    int64_t t;

    (void)state;
    assert_int_equal(posko_isotime_parse("9999-12-31T23:59:60-14:59", 25, &t),
                     0);
    assert_true(t ==
                (posko_days_from_civil(10000, 1, 1) * 86400 + 14 * H + 59 * M));
}

/* -- the refusals -------------------------------------------------------- */

static const struct {
    const char *in;
    size_t len; /* 0: strlen */
    const char *why;
} bad[] = {
    {"", 0, "empty"},
    {"2026-06-0", 0, "too short"},
    {"2026-6-01", 0, "too short: one-digit month"},
    {"26-06-01", 0, "too short: two-digit year"},
    {"2026/06/01", 0, "not a hyphen"},
    {"20260601", 0, "the basic format"},
    {"2026-06-01x", 0, "trailing junk after the date"},
    {"2026-06-01Z", 0, "a zone without a time"},
    {"2026-06-01T", 0, "a T alone"},
    {"2026-06-01 ", 0, "a space alone"},
    {"2026-06-01T08", 0, "hours alone"},
    {"2026-06-01T08:3", 0, "one digit of minutes"},
    {"2026-06-01T0830Z", 0, "no colon"},
    {"2026-06-01X08:30Z", 0, "not T"},
    {"1969-12-31", 0, "before 1970"},
    {"0000-01-01", 0, "year 0"},
    {"+026-06-01", 0, "a sign in the year"},
    {"2o26-06-01", 0, "a letter in the year"},
    {"2026-00-01", 0, "month 0"},
    {"2026-13-01", 0, "month 13"},
    {"2026-1a-01", 0, "a letter in the month"},
    {"2026-06-00", 0, "day 0"},
    {"2026-06-32", 0, "day 32"},
    {"2026-06- 1", 0, "a space in the day"},
    {"2026-06-01T24:00Z", 0, "hour 24"},
    {"2026-06-01T-1:00Z", 0, "a negative hour"},
    {"2026-06-01T08:60Z", 0, "minute 60"},
    {"2026-06-01T08:+5Z", 0, "a sign in the minutes"},
    {"2026-06-01T08:30:61Z", 0, "second 61"},
    {"2026-06-01T08:30:6Z", 0, "one digit of seconds"},
    {"2026-06-01T08:30:0", 0, "too short: seconds"},
    {"2026-06-01T08:30:", 0, "a colon alone"},
    {"2026-06-01T08:30.5Z", 0, "a fraction without seconds"},
    {"2026-06-01T08:30:00.5x", 0, "junk after the fraction"},
    {"2026-06-01T08:30ZZ", 0, "two zones"},
    {"2026-06-01T08:30Z ", 0, "a space after the zone"},
    {"2026-06-01T08:30Zjunk", 0, "junk after the zone"},
    {"2026-06-01T08:30UTC", 0, "a zone's name"},
    {"2026-06-01T08:30+15:00", 0, "an offset of 15 hours"},
    {"2026-06-01T08:30+03:60", 0, "an offset of 60 minutes"},
    {"2026-06-01T08:30+3", 0, "a one-digit offset"},
    {"2026-06-01T08:30+03:0", 0, "a three-digit offset"},
    {"2026-06-01T08:30+030", 0, "three digits"},
    {"2026-06-01T08:30+03:00:00", 0, "seconds in the offset"},
    {"2026-06-01T08:30+0300x", 0, "junk after the offset"},
    {"2026-06-01T08:30+03-00", 0, "not a colon in the offset"},
    {"2026-06-01T08:30+ab", 0, "letters in the offset"},
    {"2026-06-01T08:30+", 0, "a sign alone"},
    {"2026-06-01T08:30:00+", 0, "a sign alone after seconds"},
    {" 2026-06-01", 0, "a space before"},
    {"2026-06-01\0T08:30Z", 16, "a NUL after the date"},
    {"2026-06-01T08:30\0", 17, "a NUL at the end"},
};

static void test_bad(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].in);
        int64_t t = -1;

        if (parse_exact(bad[i].in, len, &t) != -1 || t != 0) {
            fail_msg("%s (%s): taken as %lld", bad[i].in, bad[i].why,
                     (long long)t);
        }
    }
}

/* A prefix of a good time is a good time or a refusal, never a read past
 * what it is given. */
static void test_prefixes(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        size_t len = strlen(good[i].in);

        for (size_t n = 0; n <= len; n++) {
            int64_t t;
            int rc = parse_exact(good[i].in, n, &t);

            assert_true(rc == 0 || rc == -1);
            if (n < 10) {
                assert_int_equal(rc, -1);
            }
        }
    }
}

/* -- days of civil dates ------------------------------------------------- */

static int64_t days_timegm(int y, int m, int d) {
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = 12; /* away from any edge */
    return ((int64_t)timegm(&tm) - 12 * H) / 86400;
}

static void test_days_every_day(void **state) {
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    int64_t want = days_timegm(1600, 1, 1);

    (void)state;
    assert_true(posko_days_from_civil(1970, 1, 1) == 0);
    for (int y = 1600; y <= 2400; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

        for (int m = 1; m <= 12; m++) {
            int n = mdays[m - 1] + (m == 2 && leap);

            for (int d = 1; d <= n; d++) {
                int64_t got = posko_days_from_civil(y, m, d);

                if (got != want) {
                    fail_msg("%04d-%02d-%02d: %lld, expected %lld", y, m, d,
                             (long long)got, (long long)want);
                }
                want++;
            }
        }
    }
    /* the count and timegm() agree at the end */
    assert_true(want == days_timegm(2401, 1, 1));
}

static void test_days_far(void **state) {
    static const int dates[][3] = {
        {1, 1, 1},      {1, 3, 1},     {4, 2, 29},      {99, 12, 31},
        {100, 3, 1},    {400, 2, 29},  {1000, 6, 15},   {1582, 10, 15},
        {1969, 12, 31}, {1970, 1, 2},  {2038, 1, 19},   {2106, 2, 7},
        {9999, 12, 31}, {10000, 1, 1}, {0, 3, 1},       {0, 1, 1},
        {-1, 12, 31},   {-400, 2, 29}, {-4713, 11, 24},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
        int y = dates[i][0], m = dates[i][1], d = dates[i][2];
        int64_t got = posko_days_from_civil(y, m, d);

        if (got != days_timegm(y, m, d)) {
            fail_msg("%d-%02d-%02d: %lld, expected %lld", y, m, d,
                     (long long)got, (long long)days_timegm(y, m, d));
        }
    }
}

/* past a month's end, counted on as timegm() counts */
static void test_days_counted_on(void **state) {
    (void)state;
    for (int m = 1; m <= 12; m++) {
        for (int d = 28; d <= 31; d++) {
            assert_true(posko_days_from_civil(2023, m, d) ==
                        days_timegm(2023, m, d));
            assert_true(posko_days_from_civil(2024, m, d) ==
                        days_timegm(2024, m, d));
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_far),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_days_every_day),
        cmocka_unit_test(test_days_far),
        cmocka_unit_test(test_days_counted_on),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
