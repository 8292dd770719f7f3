/*
 * posko_isotime.h - the ISO 8601 times an Open311 client sends as
 * start_date and end_date, and the day number of a civil date.
 *
 * The forms read are those of the W3C note on ISO 8601 that GeoReport v2
 * points to:
 *
 *     2026-06-01                   midnight, UTC
 *     2026-06-01T08:30Z            hours and minutes
 *     2026-06-01T08:30:00+03:00    seconds; an offset +hh:mm, +hhmm or +hh
 *     2026-06-01T08:30:00.5Z       a fraction of a second (, or .), dropped
 *
 * T may be t or a space, Z may be z, and a time without a zone is UTC.  A
 * "+" sent unescaped in a query string arrives as a space, so a space
 * before an offset is read as a "+".  Years run from 1970 to 9999, offsets
 * up to 14:59.  A day up to 31 is taken in any month and counted on, as
 * timegm() does (2026-02-30 is 2026-03-02), and second 60 is the next
 * minute's first.  A time before 1970, which only 1970-01-01 with an
 * offset east of UTC can give, is 0.
 */
#ifndef POSKO_ISOTIME_H
#define POSKO_ISOTIME_H

#include <stddef.h>
#include <stdint.h>

/* Reads len bytes of s (no NUL needed) into *t, the seconds since
 * 1970-01-01T00:00:00Z.  Returns 0, or -1 when s is none of the forms
 * above (then *t is 0). */
int posko_isotime_parse(const char *s, size_t len, int64_t *t);

/* Days from 1970-01-01 to the day d of month m (1-12) of year y in the
 * Gregorian calendar, negative before 1970.  A day past the month's end
 * is counted on into the next months. */
int64_t posko_days_from_civil(int y, int m, int d);

#endif
