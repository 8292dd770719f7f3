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
#include "times.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    const char *db_path;
    const char *date; /* YYYY-MM-DD, checked */
    const char *out_dir;
    const char *tz;
    int text; /* --text: the figures as text on stdout */
    posko_opt_list_t mail_to;
    const char *mail_from;
} posko_report_args_t;

/* -- arguments ------------------------------------------------------------ */

static const char posko_report_about[] =
    "Writes DIR/posko-YYYY-MM-DD.pdf (six A4 pages: summary, trend,\n"
    "breakdowns, response times, evaluation, lists), its charts as PNG\n"
    "files beside it, and points DIR/latest.pdf at the newest day.  The\n"
    "day runs from midnight to midnight in ZONE; every figure is as of\n"
    "its end.  The mail goes through sendmail (POSKO_SENDMAIL names\n"
    "another program) with the figures as text and the PDF attached.\n";

static const posko_opt_t posko_report_opts[] = {
    POSKO_OPT_DB_READ(posko_report_args_t),
    {"--date", POSKO_OPT_VALUE, "YYYY-MM-DD", 1,
     offsetof(posko_report_args_t, date), "the report's day"},
    {"--out", POSKO_OPT_VALUE, "DIR", 0, offsetof(posko_report_args_t, out_dir),
     "where the PDF and the charts go;\nrequired unless --text alone"},
    POSKO_OPT_TZ(posko_report_args_t, "the zone the day runs in"),
    {"--text", POSKO_OPT_FLAG, NULL, 0, offsetof(posko_report_args_t, text),
     "print the figures as text"},
    {"--mail-to", POSKO_OPT_LIST, "ADDR", 0,
     offsetof(posko_report_args_t, mail_to),
     "mail the report there (up to 8 times)"},
    {"--mail-from", POSKO_OPT_VALUE, "ADDR", 0,
     offsetof(posko_report_args_t, mail_from),
     "the mail's sender (default posko@HOST)"},
    POSKO_OPT_END,
};

/* Checks the values of the options. */
static int posko_report_check(const posko_command_t *cmd, void *a) {
    posko_report_args_t *args = a;

    if (args->out_dir == NULL && !(args->text && args->mail_to.n == 0)) {
        return posko_opt_usage(cmd, "--out DIR is required");
    }
    if (posko_opt_date(cmd, "--date", args->date) != POSKO_OPT_GO ||
        posko_opt_tz(cmd, &args->tz) != POSKO_OPT_GO) {
        return POSKO_EXIT_USAGE;
    }
    for (int i = 0; i < args->mail_to.n; i++) {
        if (!posko_mail_address_ok(args->mail_to.v[i])) {
            return posko_opt_usage(cmd,
                                   "--mail-to '%s' is not one e-mail address",
                                   args->mail_to.v[i]);
        }
    }
    if (args->mail_from != NULL && !posko_mail_address_ok(args->mail_from)) {
        return posko_opt_usage(cmd,
                               "--mail-from '%s' is not one e-mail address",
                               args->mail_from);
    }
    return POSKO_OPT_GO;
}

/* -- the files ------------------------------------------------------------ */

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

static int posko_report_run(int argc, char **argv) {
    posko_report_args_t args = {0};
    posko_report_data_t *data;
    sqlite3 *db;
    char pdf[4200], from[300], host[256];
    mode_t old_mask;
    int rc;

    rc = posko_opt_parse(&posko_report_command, argc, argv, &args);
    if (rc != POSKO_OPT_GO) {
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

    if (rc == 0 && args.mail_to.n > 0) {
        if (args.mail_from == NULL) {
            if (gethostname(host, sizeof(host)) != 0) {
                snprintf(host, sizeof(host), "localhost");
            }
            host[sizeof(host) - 1] = '\0';
            snprintf(from, sizeof(from), "posko@%s", host);
        }
        for (int i = 0; rc == 0 && i < args.mail_to.n; i++) {
            rc = posko_mail_report(args.mail_to.v[i],
                                   args.mail_from ? args.mail_from : from,
                                   data, pdf);
        }
    }
    if (rc == 0 && !args.text) {
        printf("report: %s (%ld submissions on %s, %d charts", pdf,
               data->day_total, args.date, POSKO_REPORT_PNGS);
        printf(args.mail_to.n ? ", mailed to %d)\n" : ")\n", args.mail_to.n);
    }
    free(data);
    return rc == 0 ? POSKO_EXIT_OK : POSKO_EXIT_FAIL;
}

const posko_command_t posko_report_command = {
    "report", posko_report_run, posko_report_opts, posko_report_check,
    "write the daily evaluation report (PDF and PNG charts)",
    posko_report_about, NULL};
