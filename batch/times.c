/*
 * times.c - times and days as posko stores, takes and shows them
 * (times.h): making and reading a stored time, checking a day and a
 * time zone given on the command line so that every command refuses the
 * same things with the same care, the zone put to use and a local day's
 * start found in it, and the Indonesian names of days and months for the
 * pages and the report.
 */
#include "times.h"
#include "posko_isotime.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const posko_day_names[7] = {"Minggu", "Senin", "Selasa", "Rabu",
                                        "Kamis",  "Jumat", "Sabtu"};
const char *const posko_month_names[12] = {
    "Januari", "Februari", "Maret",     "April",   "Mei",      "Juni",
    "Juli",    "Agustus",  "September", "Oktober", "November", "Desember"};

/* -- stored times ---------------------------------------------------------- */

long long posko_time_now_ms(void) {
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int posko_time_format(long long ms, char out[POSKO_TIME_SIZE]) {
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    size_t n;

    if (ms < 0 || gmtime_r(&t, &tm) == NULL ||
        (n = strftime(out, POSKO_TIME_SIZE, "%Y-%m-%dT%H:%M:%S", &tm)) == 0) {
        return -1;
    }
    snprintf(out + n, POSKO_TIME_SIZE - n, ".%03dZ", (int)(ms % 1000));
    return 0;
}

void posko_time_now(char out[POSKO_TIME_SIZE]) {
    if (posko_time_format(posko_time_now_ms(), out) != 0) {
        out[0] = '\0'; /* before 1970: the clock is broken */
    }
}

static int posko_digits(const char *s, int n) {
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

long long posko_time_parse_n(const char *s, size_t len) {
    int y, mo, d, h, mi, se, ms;
    long long days;

    if (s == NULL || len != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
        s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z') {
        return -1;
    }
    y = posko_digits(s, 4);
    mo = posko_digits(s + 5, 2);
    d = posko_digits(s + 8, 2);
    h = posko_digits(s + 11, 2);
    mi = posko_digits(s + 14, 2);
    se = posko_digits(s + 17, 2);
    ms = posko_digits(s + 20, 3);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || mi < 0 ||
        se < 0 || ms < 0) {
        return -1;
    }
    days = posko_days_from_civil(y, mo, d);
    return ((days * 24 + h) * 60 + mi) * 60000LL + se * 1000LL + ms;
}

long long posko_time_parse(const char *s) {
    return s != NULL ? posko_time_parse_n(s, strlen(s)) : -1;
}

/* -- what the command line gives ------------------------------------------- */

static int posko_is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int posko_parse_date(const char *s, int *y, int *m, int *d) {
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return -1;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return -1;
        }
    }
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    if (*y < 1970 || *m < 1 || *m > 12 || *d < 1) {
        return -1;
    }
    if (*d > mdays[*m - 1] + (*m == 2 && posko_is_leap(*y))) {
        return -1;
    }
    return 0;
}

/* A zone is a compiled file of the time zone database (it starts with
 * "TZif").  glibc would silently take any other name, a folder such as
 * "Asia" included, for UTC, which would shift the day by hours. */
int posko_tz_known(const char *tz) {
    const char *dir = getenv("TZDIR");
    char path[4096], magic[4];
    int fd;
    ssize_t n;

    if (tz[0] == '\0' || tz[0] == '/' || strstr(tz, "..") != NULL) {
        return 0;
    }
    if (dir == NULL || dir[0] == '\0') {
        dir = "/usr/share/zoneinfo";
    }
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, tz) >=
        sizeof(path)) {
        return 0;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    n = read(fd, magic, sizeof(magic));
    close(fd);
    return n == (ssize_t)sizeof(magic) && memcmp(magic, "TZif", 4) == 0;
}

/* -- local days ------------------------------------------------------------ */

void posko_tz_use(const char *tz) {
    setenv("TZ", tz, 1);
    tzset();
}

time_t posko_day_start(const char *date, int shift) {
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = atoi(date) - 1900;
    tm.tm_mon = atoi(date + 5) - 1;
    tm.tm_mday = atoi(date + 8) + shift;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

/* -- names ----------------------------------------------------------------- */

void posko_date_long(const struct tm *tm, char *out, size_t size) {
    snprintf(out, size, "%s, %d %s %d", posko_day_names[tm->tm_wday],
             tm->tm_mday, posko_month_names[tm->tm_mon], tm->tm_year + 1900);
}
