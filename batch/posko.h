/*
 * posko.h - what the files of the `posko` batch command share: the
 * subcommands, the database helpers, the WAL's segments, making folders
 * and the exit codes.
 */
#ifndef POSKO_H
#define POSKO_H

#include "options.h"
#include "posko_record.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes, documented in `posko help`. */
#define POSKO_EXIT_OK 0
#define POSKO_EXIT_FAIL 1  /* the job could not be done */
#define POSKO_EXIT_USAGE 2 /* wrong flags or arguments */

/* The subcommands, each described in the file that runs it; `posko
 * help` and the option parser read these (options.h). */
extern const posko_command_t posko_ingest_command;
extern const posko_command_t posko_report_command;
extern const posko_command_t posko_dashboard_command;
extern const posko_command_t posko_export_command;
extern const posko_command_t posko_prune_command;
extern const posko_command_t posko_health_command;
extern const posko_command_t posko_wal_command;

/* Opens (creating and migrating if writable) the database.  Prints a
 * sentence to stderr and returns NULL on failure. */
sqlite3 *posko_db_open(const char *path, int readonly);

/* Prints the database's last error with a context to stderr. */
void posko_db_error(sqlite3 *db, const char *context);

/* Prepares sql[i] into *st[i] for each of the n; -1 after
 * posko_db_error() with context when one fails (the ones prepared are
 * the caller's to finalize). */
int posko_db_prepare_all(sqlite3 *db, const char *const *sql,
                         sqlite3_stmt **const *st, size_t n,
                         const char *context);

/* Steps a statement that returns no row, then resets it and clears its
 * bindings for the next use.  0 when it ran; -1 after posko_db_error()
 * with context otherwise (db_step.c). */
int posko_db_done(sqlite3_stmt *st, const char *context);

/* The same, but a constraint that refuses the row (a UNIQUE one: the row
 * is there already) returns 1 and prints nothing. */
int posko_db_done_unique(sqlite3_stmt *st, const char *context);

/* Steps a query for its one row: 1 when there is one, to read before
 * the statement is reset; 0 when there is none; -1 after
 * posko_db_error() with context otherwise. */
int posko_db_row(sqlite3_stmt *st, const char *context);

/* The first column of the first row of sql as a number, or -1 when the
 * query fails or gives no row. */
long long posko_db_number(sqlite3 *db, const char *sql);

/* A record's value (posko_record.h) bound as text, NULL when absent; it
 * must stay put until the statement is reset. */
void posko_db_bind_value(sqlite3_stmt *st, int col, posko_value_t v);

/* A column of the current row as a value, absent when NULL; it points
 * into the row until the statement steps or is reset. */
posko_value_t posko_db_column_value(sqlite3_stmt *st, int col);

/* Takes the lock of one ingest at a time on the database dbpath
 * (dbpath.lock) without waiting: its descriptor, to keep open while the
 * work goes on, or -1 after "posko CMD: ... nothing was UNDONE, try
 * again when it ends" (ingest_lock.c). */
int posko_ingest_lock(const char *dbpath, const char *cmd, const char *undone);

/* Makes dir and every folder above it that is missing, mode 0750 (as
 * mkdir -p).  -1 with errno set on failure (mkdirs.c). */
int posko_mkdirs(const char *dir);

/* The segments of a WAL directory, sorted by name (segments.c). */
typedef struct {
    char **names;
    int *finished; /* a newer segment of the same writer exists */
    size_t count;
} posko_segment_list_t;

int posko_segments_list(const char *dir, posko_segment_list_t *list);
void posko_segments_free(posko_segment_list_t *list);

/* Reads a whole segment file into a malloc'd buffer. */
int posko_segment_read(const char *path, uint8_t **out, size_t *size);

/* How far ingest has loaded a segment, as the table checkpoints keeps
 * it: st is POSKO_CHECKPOINT_SQL, prepared once.  The offset (0 or
 * more), -1 when the segment has none yet, -2 on a database failure (of
 * which nothing is said); st is left ready for the next segment. */
#define POSKO_CHECKPOINT_SQL                                                   \
    "SELECT offset FROM checkpoints WHERE segment = ?1"
long long posko_checkpoint_of(sqlite3_stmt *st, const char *segment);

#endif
