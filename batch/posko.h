/*
 * posko.h - what the files of the `posko` batch command share: the
 * subcommand entry points, the database helpers and the exit codes.
 */
#ifndef POSKO_H
#define POSKO_H

#include <sqlite3.h>

/* Exit codes, documented in `posko help`. */
#define POSKO_EXIT_OK 0
#define POSKO_EXIT_FAIL 1  /* the job could not be done */
#define POSKO_EXIT_USAGE 2 /* wrong flags or arguments */

/* Subcommands: each gets argv[0] = its own name. */
int posko_cmd_ingest(int argc, char **argv);
int posko_cmd_report(int argc, char **argv);
int posko_cmd_help(int argc, char **argv);

/* Short usage of one subcommand, for `posko help NAME` and on errors. */
const char *posko_usage(const char *name);

/* Opens (creating and migrating if writable) the database.  Prints a
 * sentence to stderr and returns NULL on failure. */
sqlite3 *posko_db_open(const char *path, int readonly);

/* Prints the database's last error with a context to stderr. */
void posko_db_error(sqlite3 *db, const char *context);

#endif
