/*
 * report.c - `posko report`: the daily evaluation report for leadership.
 *
 *   posko report --db FILE --date YYYY-MM-DD --out DIR [--tz ZONE]
 *                [--text] [--mail-to ADDR]... [--mail-from ADDR]
 *
 * writes DIR/posko-YYYY-MM-DD.pdf (report_pdf.c), a PNG for each chart
 * beside it, and points DIR/latest.pdf at the newest day's report; --text
 * prints every figure on stdout (report_text.c); --mail-to hands the
 * report to sendmail (report_mail.c).  The day runs from local midnight to
 * local midnight in ZONE (Asia/Riyadh unless told otherwise) and every
 * figure is as of the day's end (report_data.c).
 *
 * The output is reproducible: the PDF's dates are the report's date, not
 * the time the report was made.  Each file is written under a temporary
 * name in DIR and renamed into place, so a reader never sees half a file.
 */
#include "posko.h"
#include "report_data.h"
#include "report_mail.h"
#include "report_pdf.h"
#include "report_text.h"
#include "chart.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define POSKO_DEFAULT_TZ "Asia/Riyadh"
#define POSKO_MAX_MAIL 8

typedef struct {
    const char *db_path;
    const char *date; /* YYYY-MM-DD, checked */
    const char *out_dir;
    const char *tz;
    const char *mail_from;
    const char *mail_to[POSKO_MAX_MAIL];
    int nmail;
    int text; /* --text: the figures as text on stdout */
} posko_report_args_t;

/* -- arguments ------------------------------------------------------------ */

static int posko_report_usage(const char *fmt, const char *what) {
    fprintf(stderr, "posko report: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\nusage: %s", posko_usage("report"));
    return POSKO_EXIT_USAGE;
}

static int posko_report_parse(int argc, char **argv,
                              posko_report_args_t *args) {
    static const char *const flags[] = {"--db", "--date", "--out", "--tz",
                                        "--mail-from", "--mail-to"};
    const char **slots[] = {&args->db_path, &args->date, &args->out_dir,
                            &args->tz, &args->mail_from, NULL};
    size_t nflags = sizeof(flags) / sizeof(flags[0]);
    int y, m, d;

    memset(args, 0, sizeof(*args));
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        size_t k;

        if (strcmp(arg, "--text") == 0) {
            args->text = 1;
            continue;
        }
        for (k = 0; k < nflags; k++) {
            size_t len = strlen(flags[k]);

            if (strcmp(arg, flags[k]) == 0) {
                if (i + 1 >= argc) {
                    return posko_report_usage("%s needs a value", arg);
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
            return posko_report_usage("unknown option '%s'", arg);
        }
        if (value[0] == '\0') {
            return posko_report_usage("%s needs a value", flags[k]);
        }
        if (slots[k] == NULL) { /* --mail-to, as often as needed */
            if (args->nmail == POSKO_MAX_MAIL) {
                return posko_report_usage("at most 8 %s", flags[k]);
            }
            if (!posko_mail_address_ok(value)) {
                return posko_report_usage(
                    "--mail-to '%s' is not one e-mail address", value);
            }
            args->mail_to[args->nmail++] = value;
            continue;
        }
        if (*slots[k] != NULL) {
            return posko_report_usage("%s given more than once", flags[k]);
        }
        *slots[k] = value;
    }
    for (size_t k = 0; k < 3; k++) {
        if (*slots[k] == NULL && !(k == 2 && args->text && !args->nmail)) {
            return posko_report_usage("%s is required", flags[k]);
        }
    }
    if (posko_parse_date(args->date, &y, &m, &d) != 0) {
        return posko_report_usage(
            "--date '%s' is not a calendar date (YYYY-MM-DD)", args->date);
    }
    if (args->tz == NULL) {
        args->tz = POSKO_DEFAULT_TZ;
    }
    if (!posko_tz_known(args->tz)) {
        return posko_report_usage("--tz '%s' is not a known time zone",
                                  args->tz);
    }
    if (args->mail_from != NULL && !posko_mail_address_ok(args->mail_from)) {
        return posko_report_usage(
            "--mail-from '%s' is not one e-mail address", args->mail_from);
    }
    return POSKO_EXIT_OK;
}

/* -- the files ------------------------------------------------------------ */

static int posko_mkdirs(const char *dir) {
    char path[4096];
    size_t len = strlen(dir);
    struct stat sb;

    if (len == 0 || len >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0') {
            continue;
        }
        path[i] = '\0';
        if (mkdir(path, 0750) != 0 && errno != EEXIST) {
            return -1;
        }
        path[i] = dir[i];
    }
    if (stat(dir, &sb) != 0) {
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* Renames tmp into path, or removes it. */
static int posko_commit(const char *tmp, const char *path, int ok) {
    if (ok && rename(tmp, path) == 0) {
        return 0;
    }
    if (ok) {
        fprintf(stderr, "posko report: cannot rename %s to %s: %s\n", tmp,
                path, strerror(errno));
    }
    unlink(tmp);
    return -1;
}

/* Points DIR/latest.pdf at this day's PDF, unless it already points at a
 * later day's: a report made again for a past day leaves it alone. */
static int posko_latest(const char *dir, const char *date) {
    char link[4200], tmp[4200], target[64], now[256];
    ssize_t n;

    snprintf(link, sizeof(link), "%s/latest.pdf", dir);
    snprintf(target, sizeof(target), "posko-%s.pdf", date);
    n = readlink(link, now, sizeof(now) - 1);
    if (n > 0) {
        now[n] = '\0';
        if (strcmp(now, target) > 0) {
            return 0;
        }
    }
    snprintf(tmp, sizeof(tmp), "%s/.latest.pdf.%ld.tmp", dir, (long)getpid());
    unlink(tmp);
    if (symlink(target, tmp) != 0) {
        fprintf(stderr, "posko report: cannot link %s: %s\n", link,
                strerror(errno));
        return -1;
    }
    return posko_commit(tmp, link, 1);
}

static int posko_write_files(const posko_report_args_t *args,
                             const posko_report_data_t *data, char *pdf,
                             size_t size) {
    char tmp[4300], png[4200];
    int rc;

    if (posko_mkdirs(args->out_dir) != 0) {
        fprintf(stderr, "posko report: cannot create directory %s: %s\n",
                args->out_dir, strerror(errno));
        return -1;
    }
    if ((size_t)snprintf(pdf, size, "%s/posko-%s.pdf", args->out_dir,
                         args->date) >= size ||
        strlen(args->out_dir) > 3900) {
        fprintf(stderr, "posko report: the path %s is too long\n",
                args->out_dir);
        return -1;
    }
    snprintf(tmp, sizeof(tmp), "%s/.posko-%s.pdf.%ld.tmp", args->out_dir,
             args->date, (long)getpid());
    rc = posko_commit(tmp, pdf, posko_report_pdf(data, tmp) == 0);
    for (int i = 0; rc == 0 && i < POSKO_REPORT_PNGS; i++) {
        snprintf(png, sizeof(png), "%s/posko-%s-%s.png", args->out_dir,
                 args->date, posko_report_pngs[i].name);
        snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", png, (long)getpid());
        rc = posko_commit(tmp, png, posko_report_png(data, i, tmp) == 0);
    }
    if (rc == 0) {
        rc = posko_latest(args->out_dir, args->date);
    }
    return rc;
}

/* -- the command ----------------------------------------------------------- */

int posko_cmd_report(int argc, char **argv) {
    posko_report_args_t args;
    posko_report_data_t *data;
    sqlite3 *db;
    char pdf[4200], from[300], host[256];
    mode_t old_mask;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: %s", posko_usage("report"));
            return POSKO_EXIT_OK;
        }
    }
    rc = posko_report_parse(argc, argv, &args);
    if (rc != POSKO_EXIT_OK) {
        return rc;
    }

    data = calloc(1, sizeof(*data));
    db = posko_db_open(args.db_path, 1);
    rc = data != NULL && db != NULL &&
         posko_report_data_load(db, args.date, args.tz, data) == 0;
    sqlite3_close(db);
    if (!rc) {
        free(data);
        return POSKO_EXIT_FAIL;
    }
    if (args.text) {
        posko_report_text(stdout, data);
    }
    if (args.out_dir == NULL) {
        free(data);
        return POSKO_EXIT_OK;
    }

    /* reports stay within the team, like the database they come from */
    old_mask = umask(027);
    rc = posko_write_files(&args, data, pdf, sizeof(pdf));
    umask(old_mask);

    if (rc == 0 && args.nmail > 0) {
        if (args.mail_from == NULL) {
            if (gethostname(host, sizeof(host)) != 0) {
                snprintf(host, sizeof(host), "localhost");
            }
            host[sizeof(host) - 1] = '\0';
            snprintf(from, sizeof(from), "posko@%s", host);
        }
        for (int i = 0; rc == 0 && i < args.nmail; i++) {
            rc = posko_mail_report(args.mail_to[i],
                                   args.mail_from ? args.mail_from : from,
                                   data, pdf);
        }
    }
    if (rc == 0 && !args.text) {
        printf("report: %s (%ld submissions on %s, %d charts", pdf,
               data->day_total, args.date, POSKO_REPORT_PNGS);
        printf(args.nmail ? ", mailed to %d)\n" : ")\n", args.nmail);
    }
    free(data);
    return rc == 0 ? POSKO_EXIT_OK : POSKO_EXIT_FAIL;
}
