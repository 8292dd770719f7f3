/*
 * times.h - times and days as posko stores, takes and shows them
 * (times.c): the team's default time zone, a stored time (ISO 8601 in
 * UTC with milliseconds, 2026-06-01T08:30:00.000Z, which sorts and
 * compares as a string) made and read, a day and a zone given on the
 * command line checked, a zone put to use and a local day's start, and
 * the Indonesian names of days and months.
 */
#ifndef POSKO_TIMES_H
#define POSKO_TIMES_H

#include <stddef.h>
#include <time.h>

/* The zone of the Hajj season's work, where the team and leadership
 * are: every command's --tz unless told otherwise. */
#define POSKO_DEFAULT_TZ "Asia/Riyadh"

/* Room for a stored time and its NUL, with some to spare. */
#define POSKO_TIME_SIZE 32

/* Milliseconds since 1970 now. */
long long posko_time_now_ms(void);

/* Now as a stored time. */
void posko_time_now(char out[POSKO_TIME_SIZE]);

/* ms (since 1970, 0 or more) as a stored time; -1 when it is not one. */
int posko_time_format(long long ms, char out[POSKO_TIME_SIZE]);

/* Milliseconds since 1970 of a stored time, exactly 24 characters
 * (len of them, or up to the NUL), or -1 when it is not one; NULL is
 * not one. */
long long posko_time_parse_n(const char *s, size_t len);
long long posko_time_parse(const char *s);

/* Accepts exactly YYYY-MM-DD naming a real calendar day. */
int posko_parse_date(const char *s, int *y, int *m, int *d);

/* Whether tz names a compiled zone of the time zone database; glibc
 * would take any other name for UTC. */
int posko_tz_known(const char *tz);

/* Makes tz the zone that local times are in from now on (TZ). */
void posko_tz_use(const char *tz);

/* The local midnight, in the zone in use, that starts the day `shift`
 * days after date (YYYY-MM-DD, already checked; a shift past a month's
 * end goes into the next); (time_t)-1 when it cannot be placed. */
time_t posko_day_start(const char *date, int shift);

/* "Minggu" .. "Sabtu" by tm_wday, "Januari" .. "Desember" by tm_mon;
 * the first three letters are the short month ("Agu"). */
extern const char *const posko_day_names[7];
extern const char *const posko_month_names[12];

/* "Senin, 15 Juni 2026" from tm's weekday, day, month and year. */
void posko_date_long(const struct tm *tm, char *out, size_t size);

#endif
