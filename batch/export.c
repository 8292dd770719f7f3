/*
 * export.c - `posko export`: every complaint, for the analysts, as CSV or
 * JSON Lines on standard output.
 *
 *   posko export --db FILE --format csv|json [--since YYYY-MM-DD]
 *                [--tz ZONE] [--personal]
 *
 * Rows come oldest first, by received_at (ingest keeps an index on it), and
 * are written as sqlite3_step() hands them over, so memory stays flat
 * however many complaints there are.  The database is opened read-only;
 * the rows come from one SELECT, so they are one snapshot even while an
 * ingest writes.
 *
 * CSV follows RFC 4180: a header row, CRLF after every row, and a field in
 * double quotes (a quote inside written twice) when it holds a comma, a
 * quote, CR or LF.  NULL is an empty field.  JSON Lines is one object per
 * line with the same keys in the same order: NULL is null, integers (the
 * rating) are numbers, text is a string with quotes, backslashes and
 * control characters escaped and UTF-8 passed through as it is.
 *
 * A pilgrim's name, phone number and e-mail address are personal data:
 * they are written only with --personal, and then after every other
 * column, so that the other columns keep their places either way.
 *
 * --since names a day in the analysts' time zone (Asia/Riyadh unless --tz
 * says otherwise).  Its local midnight, found with the C library's time
 * zone database, becomes a UTC string that compares directly with
 * received_at.
 */
#include "posko.h"
#include "posko_form.h"
#include "times.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Columns of complaints in the order they are written; the personal ones
 * come last and only with --personal. */
static const char *const posko_export_columns[] = {
    "kode",          "jenis",      "pelapor",     "kategori",  "lokasi",
    "embarkasi",     "kloter",     "uraian",      "rating",    "received_at",
    "status",        "unit",       "verified_at", "solved_at", "closed_at",
    "duplikat_dari", "updated_at", "nama",        "telepon",   "email",
};

#define POSKO_EXPORT_ALL                                                       \
    ((int)(sizeof(posko_export_columns) / sizeof(posko_export_columns[0])))
#define POSKO_EXPORT_PERSONAL 3 /* nama, telepon, email */

typedef enum { POSKO_EXPORT_CSV, POSKO_EXPORT_JSON } posko_export_format_t;

typedef struct {
    const char *db_path;
    const char *format;
    const char *since; /* YYYY-MM-DD, or NULL for every complaint */
    const char *tz;
    int personal;
} posko_export_args_t;

/* -- arguments ------------------------------------------------------------ */

static const char posko_export_about[] =
    "Writes every complaint to standard output, oldest first: CSV (RFC\n"
    "4180: a header row, CRLF line ends, NULL as an empty field) or JSON\n"
    "Lines (one object per line, NULL as null).\n";

static const posko_opt_t posko_export_opts[] = {
    POSKO_OPT_DB_READ(posko_export_args_t),
    {"--format", POSKO_OPT_VALUE, "csv|json", 1,
     offsetof(posko_export_args_t, format), "CSV or JSON Lines"},
    {"--since", POSKO_OPT_VALUE, "YYYY-MM-DD", 0,
     offsetof(posko_export_args_t, since),
     "only complaints received on or after\nthe start of that day"},
    POSKO_OPT_TZ(posko_export_args_t, "the zone of that day"),
    {"--personal", POSKO_OPT_FLAG, NULL, 0,
     offsetof(posko_export_args_t, personal),
     "also name, phone and e-mail (nama,\ntelepon, email), as the last "
     "columns"},
    POSKO_OPT_END,
};

/* Checks the values of the options. */
static int posko_export_check(const posko_command_t *cmd, void *args) {
    posko_export_args_t *a = args;

    if (strcmp(a->format, "csv") != 0 && strcmp(a->format, "json") != 0) {
        return posko_opt_usage(cmd, "--format '%s' is not csv or json",
                               a->format);
    }
    if (a->since != NULL &&
        posko_opt_date(cmd, "--since", a->since) != POSKO_OPT_GO) {
        return POSKO_EXIT_USAGE;
    }
    return posko_opt_tz(cmd, &a->tz);
}

/* The local midnight that starts the day `date` in `tz`, as a UTC string
 * like received_at's. */
static int posko_export_since(const char *date, const char *tz,
                              char out[POSKO_TIME_SIZE]) {
    time_t t;

    posko_tz_use(tz);
    t = posko_day_start(date, 0);
    if (t == (time_t)-1 || posko_time_format((long long)t * 1000, out) != 0) {
        fprintf(stderr, "posko export: cannot place %s in time zone %s\n", date,
                tz);
        return -1;
    }
    return 0;
}

/* -- writing -------------------------------------------------------------- */

static void posko_csv_field(FILE *out, const unsigned char *s, size_t n) {
    size_t start = 0, i;

    if (s == NULL) {
        return; /* NULL: an empty field */
    }
    for (i = 0; i < n; i++) {
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') {
            break;
        }
    }
    if (i == n) {
        fwrite(s, 1, n, out);
        return;
    }
    putc('"', out);
    for (i = 0; i < n; i++) {
        if (s[i] == '"') {
            fwrite(s + start, 1, i + 1 - start, out); /* the quote, once */
            start = i;                                /* and again */
        }
    }
    fwrite(s + start, 1, n - start, out);
    putc('"', out);
}

/* The length of the valid UTF-8 sequence at s, or 0 if there is none. */
static size_t posko_utf8_seq(const unsigned char *s, size_t avail) {
    size_t n = s[0] >= 0xc2 && s[0] <= 0xdf   ? 2
               : s[0] >= 0xe0 && s[0] <= 0xef ? 3
               : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
                                              : 0;

    return n != 0 && n <= avail && posko_utf8_chars(s, n) == 1 ? n : 0;
}

/* A JSON string.  Text from the form is valid UTF-8; should a byte ever
 * not be, it becomes U+FFFD, so that every line stays valid JSON. */
static void posko_json_string(FILE *out, const unsigned char *s, size_t n) {
    size_t start = 0, i = 0;

    if (s == NULL) {
        fputs("null", out); /* out of memory: the value is lost */
        return;
    }
    putc('"', out);
    while (i < n) {
        unsigned char c = s[i];
        const char *esc;
        char hex[8];
        size_t seq;

        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (c >= 0x80 && (seq = posko_utf8_seq(s + i, n - i)) > 0) {
            i += seq;
            continue;
        }
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        default:
            if (c >= 0x80) {
                esc = "\\ufffd";
            } else {
                snprintf(hex, sizeof(hex), "\\u%04x", c);
                esc = hex;
            }
        }
        fwrite(s + start, 1, i - start, out);
        fputs(esc, out);
        start = ++i;
    }
    fwrite(s + start, 1, n - start, out);
    putc('"', out);
}

static void posko_json_value(FILE *out, sqlite3_stmt *st, int col) {
    double v;

    switch (sqlite3_column_type(st, col)) {
    case SQLITE_NULL:
        fputs("null", out);
        break;
    case SQLITE_INTEGER:
        fprintf(out, "%lld", (long long)sqlite3_column_int64(st, col));
        break;
    case SQLITE_FLOAT:
        v = sqlite3_column_double(st, col);
        if (isfinite(v)) {
            fprintf(out, "%.17g", v);
        } else {
            fputs("null", out);
        }
        break;
    default:
        posko_json_string(out, sqlite3_column_text(st, col),
                          (size_t)sqlite3_column_bytes(st, col));
    }
}

static void posko_export_row(FILE *out, sqlite3_stmt *st, int ncols,
                             posko_export_format_t format) {
    for (int i = 0; i < ncols; i++) {
        if (format == POSKO_EXPORT_CSV) {
            if (i > 0) {
                putc(',', out);
            }
            posko_csv_field(out, sqlite3_column_text(st, i),
                            (size_t)sqlite3_column_bytes(st, i));
        } else {
            fprintf(out, "%s\"%s\":", i > 0 ? "," : "{",
                    posko_export_columns[i]);
            posko_json_value(out, st, i);
        }
    }
    fputs(format == POSKO_EXPORT_CSV ? "\r\n" : "}\n", out);
}

/* -- reading -------------------------------------------------------------- */

/* Runs the SELECT and writes each row as it comes; the number of rows, or
 * -1 on failure. */
static long posko_export_rows(sqlite3 *db, const char *since_utc, int ncols,
                              posko_export_format_t format) {
    char sql[1024];
    size_t len;
    sqlite3_stmt *st;
    long rows = 0;
    int rc;

    len = (size_t)snprintf(sql, sizeof(sql), "SELECT");
    for (int i = 0; i < ncols; i++) {
        len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s %s",
                                i > 0 ? "," : "", posko_export_columns[i]);
    }
    /* Without --since the bound is "", which every received_at passes;
     * id breaks ties, so the order is the same on every run. */
    snprintf(sql + len, sizeof(sql) - len,
             " FROM complaints WHERE received_at >= ?1"
             " ORDER BY received_at, id");

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        posko_db_error(db, "cannot read the complaints");
        return -1;
    }
    sqlite3_bind_text(st, 1, since_utc, -1, SQLITE_STATIC);

    if (format == POSKO_EXPORT_CSV) {
        for (int i = 0; i < ncols; i++) {
            printf("%s%s", i > 0 ? "," : "", posko_export_columns[i]);
        }
        fputs("\r\n", stdout);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !ferror(stdout)) {
        posko_export_row(stdout, st, ncols, format);
        rows++;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        posko_db_error(db, "cannot read the complaints");
        rows = -1;
    }
    sqlite3_finalize(st);
    return rows;
}

/* -- the command ---------------------------------------------------------- */

static int posko_export_run(int argc, char **argv) {
    posko_export_args_t args = {0};
    char since_utc[POSKO_TIME_SIZE] = "";
    sqlite3 *db;
    long rows;
    int rc;

    rc = posko_opt_parse(&posko_export_command, argc, argv, &args);
    if (rc != POSKO_OPT_GO) {
        return rc;
    }
    if (args.since != NULL &&
        posko_export_since(args.since, args.tz, since_utc) != 0) {
        return POSKO_EXIT_FAIL;
    }

    db = posko_db_open(args.db_path, 1);
    if (db == NULL) {
        return POSKO_EXIT_FAIL;
    }
    rows = posko_export_rows(
        db, since_utc,
        args.personal ? POSKO_EXPORT_ALL
                      : POSKO_EXPORT_ALL - POSKO_EXPORT_PERSONAL,
        strcmp(args.format, "csv") == 0 ? POSKO_EXPORT_CSV : POSKO_EXPORT_JSON);
    sqlite3_close(db);

    /* A full disk or a closed pipe must not pass for a complete export. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "posko export: cannot write the output: %s\n",
                strerror(errno));
        return POSKO_EXIT_FAIL;
    }
    if (rows < 0) {
        return POSKO_EXIT_FAIL;
    }
    fprintf(stderr, "export: %ld complaints\n", rows);
    return POSKO_EXIT_OK;
}

const posko_command_t posko_export_command = {
    "export", posko_export_run, posko_export_opts, posko_export_check,
    "write every complaint as CSV or JSON Lines, for analysis",
    posko_export_about, NULL};
