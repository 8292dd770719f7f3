/*
 * options.h - the one parser of every subcommand's options (options.c).
 *
 * A subcommand describes itself once, in a posko_command_t: its name, a
 * table of its options (the name, whether it takes a value, where in the
 * command's own argument struct the value goes, a line of help) and its
 * operands.  From that table the parser reads argv and `posko help NAME`
 * writes the usage, so the two never disagree.
 */
#ifndef POSKO_OPTIONS_H
#define POSKO_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
    POSKO_OPT_VALUE, /* --name VALUE or --name=VALUE, once: a const char * */
    POSKO_OPT_LIST,  /* the same, up to POSKO_OPT_LIST_MAX times: a list */
    POSKO_OPT_FLAG,  /* --name, once, no value: an int set to 1 */
} posko_opt_kind_t;

#define POSKO_OPT_LIST_MAX 8

/* The values of a POSKO_OPT_LIST option, or the operands. */
typedef struct {
    const char *v[POSKO_OPT_LIST_MAX];
    int n;
} posko_opt_list_t;

typedef struct {
    const char *name; /* "--db"; NULL ends the table */
    posko_opt_kind_t kind;
    const char *value; /* what the value is ("FILE"); NULL for a flag */
    int required;      /* refused when missing: "--db FILE is required" */
    size_t offset;     /* of its slot in the command's argument struct */
    const char *help;  /* for `posko help`; '\n' starts another line */
} posko_opt_t;

/* A command's operands, the arguments that are not options. */
typedef struct {
    const char *usage; /* as the usage names them: "check DIR" */
    int min, max;      /* how many it takes */
    size_t offset;     /* of their posko_opt_list_t in the argument struct */
} posko_operands_t;

/* A subcommand, as the parser and `posko help` know it; each file that
 * runs one defines it, in this order. */
typedef struct posko_command_s posko_command_t;
struct posko_command_s {
    const char *name; /* "export" */
    int (*run)(int argc, char **argv);
    const posko_opt_t *opt; /* the options, or NULL for none */
    /* the command's own checks of the values, after the table's (with
     * posko_opt_usage() on cmd, this command): POSKO_OPT_GO or the exit
     * status; may be NULL */
    int (*check)(const posko_command_t *cmd, void *args);
    const char *summary; /* its line in `posko help` */
    const char *about;      /* the description that follows the options */
    const posko_operands_t *operands; /* NULL: it takes none */
};

/* Rows that several commands' tables share, for an argument struct T
 * with the member db_path, wal or tz; the zone's help ends with the
 * default (times.h). */
#define POSKO_OPT_DB_READ(T)                                                   \
    {"--db", POSKO_OPT_VALUE, "FILE", 1, offsetof(T, db_path),                 \
     "the database (only read)"}
#define POSKO_OPT_WAL(T)                                                       \
    {"--wal", POSKO_OPT_VALUE, "DIR", 1, offsetof(T, wal), "the WAL folder"}
#define POSKO_OPT_TZ(T, help)                                                  \
    {"--tz", POSKO_OPT_VALUE, "ZONE", 0, offsetof(T, tz),                      \
     help " (default\n" POSKO_DEFAULT_TZ ")"}
#define POSKO_OPT_END {NULL, 0, NULL, 0, 0, NULL}

/* What posko_opt_parse() returns when the command goes on. */
#define POSKO_OPT_GO (-1)

/* Reads argv (argv[0] is the command's name) into args, a zeroed struct
 * of the command's, after cmd's table: `--name VALUE`, `--name=VALUE`,
 * `--flag`, operands in any order, then runs cmd->check.  --help or -h
 * anywhere prints the usage.  Returns POSKO_OPT_GO when every option is
 * well, else the command's exit status: POSKO_EXIT_OK after --help,
 * POSKO_EXIT_USAGE after one sentence on stderr (an unknown option, an
 * option given more than once, a missing value, a required option
 * missing, or what cmd->check refused). */
int posko_opt_parse(const posko_command_t *cmd, int argc, char **argv,
                    void *args);

/* Prints "posko NAME: <the sentence>; see 'posko help NAME'" on stderr,
 * for the command's own checks of its values, and returns
 * POSKO_EXIT_USAGE. */
__attribute__((format(printf, 2, 3))) int
posko_opt_usage(const posko_command_t *cmd, const char *fmt, ...);

/* The value of a POSKO_OPT_TZ row: the default zone when it was not
 * given; refused with posko_opt_usage() when it names no zone.  Returns
 * POSKO_OPT_GO or the exit status. */
int posko_opt_tz(const posko_command_t *cmd, const char **tz);

/* The value of the option name, a calendar day (YYYY-MM-DD): POSKO_OPT_GO,
 * or the exit status after "NAME 'VALUE' is not a calendar date
 * (YYYY-MM-DD)" with posko_opt_usage(). */
int posko_opt_date(const posko_command_t *cmd, const char *name,
                   const char *value);

/* Writes "usage: posko NAME ..." with every option and the about. */
void posko_opt_help(const posko_command_t *cmd, FILE *out);

#endif
