/*
 * posko.h - what the files of the `posko` batch command share: the
 * subcommand entry points, the database helpers and the exit codes.
 */
#ifndef POSKO_H
#define POSKO_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes, documented in `posko help`. */
#define POSKO_EXIT_OK 0
#define POSKO_EXIT_FAIL 1  /* the job could not be done */
#define POSKO_EXIT_USAGE 2 /* wrong flags or arguments */

/* Subcommands: each gets argv[0] = its own name. */
int posko_cmd_ingest(int argc, char **argv);
int posko_cmd_report(int argc, char **argv);
int posko_cmd_dashboard(int argc, char **argv);
int posko_cmd_export(int argc, char **argv);
int posko_cmd_prune(int argc, char **argv);
int posko_cmd_status(int argc, char **argv);
int posko_cmd_help(int argc, char **argv);
int posko_cmd_wal(int argc, char **argv);

/* Short usage of one subcommand, for `posko help NAME` and on errors. */
const char *posko_usage(const char *name);

/* Opens (creating and migrating if writable) the database.  Prints a
 * sentence to stderr and returns NULL on failure. */
sqlite3 *posko_db_open(const char *path, int readonly);

/* Prints the database's last error with a context to stderr. */
void posko_db_error(sqlite3 *db, const char *context);

/* The segments of a WAL directory, sorted by name (segments.c). */
typedef struct {
    char **names;
    int *finished; /* a newer segment of the same writer exists */
    size_t count;
} posko_segment_list_t;

int posko_segments_list(const char *dir, posko_segment_list_t *list);
void posko_segments_free(posko_segment_list_t *list);

/* Accepts exactly YYYY-MM-DD naming a real calendar day (dates.c). */
int posko_parse_date(const char *s, int *y, int *m, int *d);

/* Whether tz names a compiled zone of the time zone database; glibc
 * would take any other name for UTC (dates.c). */
int posko_tz_known(const char *tz);

/* Reads a whole segment file into a malloc'd buffer. */
int posko_segment_read(const char *path, uint8_t **out, size_t *size);

#endif
