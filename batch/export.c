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

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define POSKO_DEFAULT_TZ "Asia/Riyadh"

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

__attribute__((format(printf, 1, 2))) static int
posko_export_usage(const char *fmt, ...) {
    va_list ap;

    fprintf(stderr, "posko export: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "; see 'posko help export'\n");
    return POSKO_EXIT_USAGE;
}

static int posko_export_parse(int argc, char **argv, posko_export_args_t *a) {
    static const char *const flags[] = {"--db", "--format", "--since", "--tz"};
    const char **slots[] = {&a->db_path, &a->format, &a->since, &a->tz};
    const size_t nflags = sizeof(flags) / sizeof(flags[0]);
    int y, m, d;

    memset(a, 0, sizeof(*a));
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        size_t k;

        if (strcmp(arg, "--personal") == 0) {
            if (a->personal) {
                return posko_export_usage("--personal given more than once");
            }
            a->personal = 1;
            continue;
        }
        if (strncmp(arg, "--personal=", 11) == 0) {
            return posko_export_usage("--personal takes no value, not '%s'",
                                      arg + 11);
        }
        for (k = 0; k < nflags; k++) {
            size_t len = strlen(flags[k]);

            if (strcmp(arg, flags[k]) == 0) {
                if (i + 1 >= argc) {
                    return posko_export_usage("%s needs a value", arg);
                }
                value = argv[++i];
                break;
            }
            if (strncmp(arg, flags[k], len) == 0 && arg[len] == '=') {
                value = arg + len + 1;
                break;
            }
        }
        if (k == nflags) {
            return posko_export_usage(arg[0] == '-'
                                          ? "unknown option '%s'"
                                          : "unexpected argument '%s'",
                                      arg);
        }
        if (*slots[k] != NULL) {
            return posko_export_usage("%s given more than once", flags[k]);
        }
        if (value[0] == '\0') {
            return posko_export_usage("%s needs a value", flags[k]);
        }
        *slots[k] = value;
    }
    if (a->db_path == NULL) {
        return posko_export_usage("--db FILE is required");
    }
    if (a->format == NULL) {
        return posko_export_usage("--format csv or --format json is required");
    }
    if (strcmp(a->format, "csv") != 0 && strcmp(a->format, "json") != 0) {
        return posko_export_usage("--format '%s' is not csv or json",
                                  a->format);
    }
    if (a->since != NULL && posko_parse_date(a->since, &y, &m, &d) != 0) {
        return posko_export_usage(
            "--since '%s' is not a calendar date (YYYY-MM-DD)", a->since);
    }
    if (a->tz == NULL) {
        a->tz = POSKO_DEFAULT_TZ;
    }
    if (!posko_tz_known(a->tz)) {
        return posko_export_usage("--tz '%s' is not a known time zone", a->tz);
    }
    return POSKO_EXIT_OK;
}

/* The local midnight that starts the day `date` in `tz`, as a UTC string
 * like received_at's. */
static int posko_export_since(const char *date, const char *tz, char out[32]) {
    struct tm tm;
    time_t t;
    int y, m, d;

    posko_parse_date(date, &y, &m, &d);
    setenv("TZ", tz, 1);
    tzset();
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_isdst = -1;
    t = mktime(&tm);
    if (t == (time_t)-1 || gmtime_r(&t, &tm) == NULL ||
        strftime(out, 32, "%Y-%m-%dT%H:%M:%S.000Z", &tm) == 0) {
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

int posko_cmd_export(int argc, char **argv) {
    posko_export_args_t args;
    char since_utc[32] = "";
    sqlite3 *db;
    long rows;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: %s", posko_usage("export"));
            return POSKO_EXIT_OK;
        }
    }
    rc = posko_export_parse(argc, argv, &args);
    if (rc != POSKO_EXIT_OK) {
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
