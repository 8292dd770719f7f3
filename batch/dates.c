/*
 * dates.c - the checks the batch commands make of a day and a time zone
 * given on the command line, shared so that every command refuses the
 * same things with the same care.
 */
#include "posko.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int posko_is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Accepts exactly YYYY-MM-DD naming a real calendar day. */
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
