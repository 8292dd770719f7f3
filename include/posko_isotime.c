/*
 * posko_isotime.c - ISO 8601 times and civil dates (see posko_isotime.h).
 */
#include "posko_isotime.h"

/* n decimal digits, or -1 when one of them is not a digit. */
static int posko_isotime_digits(const char *p, size_t n) {
    int v = 0;

    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return -1;
        }
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* The zone after the time of day: "Z", or an offset after its sign
 * (+, - or a space).  *zone is the offset in seconds east of UTC. */
static int posko_isotime_zone(const char *p, const char *end, int64_t *zone) {
    int sign, zh, zm = 0;

    *zone = 0;
    if (p == end) {
        return 0;
    }
    if (*p == 'Z' || *p == 'z') {
        return p + 1 == end ? 0 : -1;
    }
    if (*p != '+' && *p != '-' && *p != ' ') {
        return -1;
    }
    sign = *p++ == '-' ? -1 : 1;

    if (end - p == 5 && p[2] == ':') {
        zh = posko_isotime_digits(p, 2);
        zm = posko_isotime_digits(p + 3, 2);
    } else if (end - p == 4) {
        zh = posko_isotime_digits(p, 2);
        zm = posko_isotime_digits(p + 2, 2);
    } else if (end - p == 2) {
        zh = posko_isotime_digits(p, 2);
    } else {
        return -1;
    }
    if (zh < 0 || zh > 14 || zm < 0 || zm > 59) {
        return -1;
    }
    *zone = (int64_t)sign * (zh * 3600 + zm * 60);
    return 0;
}

/* "T08:30", then ":00" and ".5", then the zone: *secs is the time of day
 * in seconds, less the zone's offset. */
static int posko_isotime_clock(const char *p, const char *end, int64_t *secs) {
    int h, mi, sec = 0;
    int64_t zone;

    if (*p != 'T' && *p != 't' && *p != ' ') {
        return -1;
    }
    p++;
    if (end - p < 5 || p[2] != ':') {
        return -1;
    }
    h = posko_isotime_digits(p, 2);
    mi = posko_isotime_digits(p + 3, 2);
    p += 5;

    if (p < end && *p == ':') {
        if (end - p < 3) {
            return -1;
        }
        sec = posko_isotime_digits(p + 1, 2);
        p += 3;
        if (p < end && (*p == '.' || *p == ',')) {
            for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
            }
        }
    }
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) {
        return -1;
    }
    if (posko_isotime_zone(p, end, &zone) != 0) {
        return -1;
    }
    *secs = (int64_t)h * 3600 + mi * 60 + sec - zone;
    return 0;
}

int posko_isotime_parse(const char *s, size_t len, int64_t *t) {
    int64_t secs = 0;
    int y, mo, d;

    *t = 0;
    if (len < 10 || s[4] != '-' || s[7] != '-') {
        return -1;
    }
    y = posko_isotime_digits(s, 4);
    mo = posko_isotime_digits(s + 5, 2);
    d = posko_isotime_digits(s + 8, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31) {
        return -1;
    }
    if (len > 10 && posko_isotime_clock(s + 10, s + len, &secs) != 0) {
        return -1;
    }
    *t = posko_days_from_civil(y, mo, d) * 86400 + secs;
    if (*t < 0) {
        *t = 0;
    }
    return 0;
}

/* a / b rounded down, for b > 0 */
static int64_t posko_floor_div(int64_t a, int64_t b) {
    return a / b - (a % b < 0);
}

/* Counted in years that start on March 1st, so that a leap day is the
 * last day of its year: the months March to February then have 31, 30,
 * 31, 30, 31, 31, 30, 31, 30, 31, 31 and 28 or 29 days, and the days
 * before month k (March is 0) are (153 k + 2) / 5.  719468 is the day of
 * 1970-01-01 counted from March 1st of year 0. */
int64_t posko_days_from_civil(int y, int m, int d) {
    int64_t year = (int64_t)y - (m <= 2);
    int64_t month = m > 2 ? m - 3 : m + 9;

    return 365 * year + posko_floor_div(year, 4) - posko_floor_div(year, 100) +
           posko_floor_div(year, 400) + (153 * month + 2) / 5 + d - 1 - 719468;
}
