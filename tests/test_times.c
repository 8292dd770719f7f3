/*
 * test_times.c - unit tests for times as posko stores and shows them
 * (batch/times.c): a stored time made from milliseconds and read back,
 * exactly 24 characters or refused, across days, months, leap years and
 * far years; now as a stored time; days given on the command line; and
 * the Indonesian day and month names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "times.h"

static void test_format_parse(void **state) {
    static const struct {
        long long ms;
        const char *s;
    } cases[] = {
        {0, "1970-01-01T00:00:00.000Z"},
        {1, "1970-01-01T00:00:00.001Z"},
        {951782400000LL, "2000-02-29T00:00:00.000Z"},
        {1780302600123LL, "2026-06-01T08:30:00.123Z"},
        {1798761599999LL, "2026-12-31T23:59:59.999Z"},
        {4107542400000LL, "2100-03-01T00:00:00.000Z"},
    };
    char out[POSKO_TIME_SIZE];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(posko_time_format(cases[i].ms, out), 0);
        assert_string_equal(out, cases[i].s);
        assert_true(posko_time_parse(cases[i].s) == cases[i].ms);
        assert_true(posko_time_parse_n(cases[i].s, 24) == cases[i].ms);
    }
    assert_int_equal(posko_time_format(-1, out), -1);
}

static void test_parse_refuses(void **state) {
    static const char *const bad[] = {
        "",
        "2026-06-01T08:30:00Z",
        "2026-06-01T08:30:00.00Z",
        "2026-06-01 08:30:00.000Z",
        "2026-06-01T08:30:00.000",
        "2026-6-01T08:30:00.000ZZ",
        "2026-13-01T08:30:00.000Z",
        "2026-00-01T08:30:00.000Z",
        "2026-06-32T08:30:00.000Z",
        "2026-06-00T08:30:00.000Z",
        "2026-06-01T08:3x:00.000Z",
        "+026-06-01T08:30:00.000Z",
        "2026-06-01T08:30:00.000Z ",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_true(posko_time_parse(bad[i]) == -1);
    }
    assert_true(posko_time_parse(NULL) == -1);
    /* len counts, not the NUL */
    assert_true(posko_time_parse_n("2026-06-01T08:30:00.000Z!", 24) > 0);
    assert_true(posko_time_parse_n("2026-06-01T08:30:00.000Z", 23) == -1);
}

static void test_now(void **state) {
    char now[POSKO_TIME_SIZE];
    long long before = (long long)time(NULL) * 1000, at;

    (void)state;
    posko_time_now(now);
    at = posko_time_parse(now);
    assert_int_equal(strlen(now), 24);
    assert_true(at >= before && at < before + 5000);
}

static void test_parse_date(void **state) {
    int y, m, d;

    (void)state;
    assert_int_equal(posko_parse_date("2024-02-29", &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20240229);
    assert_int_equal(posko_parse_date("2026-02-29", &y, &m, &d), -1);
    assert_int_equal(posko_parse_date("1900-02-28", &y, &m, &d), -1);
    assert_int_equal(posko_parse_date("2026-6-1", &y, &m, &d), -1);
    assert_int_equal(posko_parse_date("2026-06-31", &y, &m, &d), -1);
    assert_int_equal(posko_parse_date("kemarin", &y, &m, &d), -1);
}

/* A day's local start in the zone put to use, with shifts across a
 * month's end. */
static void test_day_start(void **state) {
    (void)state;
    posko_tz_use("UTC");
    assert_int_equal((long long)posko_day_start("2026-06-15", 0), 1781481600);
    assert_int_equal((long long)posko_day_start("2026-06-30", 1),
                     (long long)posko_day_start("2026-07-01", 0));
    assert_int_equal((long long)posko_day_start("2026-03-01", -1),
                     (long long)posko_day_start("2026-02-28", 0));
    posko_tz_use("Asia/Riyadh"); /* UTC+3, no summer time */
    assert_int_equal((long long)posko_day_start("2026-06-15", 0),
                     1781481600 - 3 * 3600);
}

static void test_names(void **state) {
    struct tm tm;
    time_t t = (time_t)1781524800; /* 2026-06-15 12:00 UTC, a Monday */
    char out[64];

    (void)state;
    gmtime_r(&t, &tm);
    posko_date_long(&tm, out, sizeof(out));
    assert_string_equal(out, "Senin, 15 Juni 2026");
    assert_string_equal(posko_day_names[0], "Minggu");
    assert_string_equal(posko_month_names[7], "Agustus");
    for (int i = 0; i < 12; i++) {
        static const char *const shortm[] = {"Jan", "Feb", "Mar", "Apr",
                                             "Mei", "Jun", "Jul", "Agu",
                                             "Sep", "Okt", "Nov", "Des"};

        assert_memory_equal(posko_month_names[i], shortm[i], 3);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test(test_parse_refuses),
        cmocka_unit_test(test_now),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_day_start),
        cmocka_unit_test(test_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
