/*
 * dashboard.c - `posko dashboard`: the static pages the monitoring team
 * works from all day, made again every few minutes by a timer.
 *
 *   posko dashboard --db FILE --out DIR [--secret FILE] [--followup-url PATH]
 *                   [--base PATH] [--every MINUTES] [--tz ZONE]
 *                   [--now YYYY-MM-DDTHH:MM:SSZ]
 *
 * writes into DIR: index.html (today's figures, dashboard_index.c), the
 * worklist kerja-N.html and its filters (dashboard_worklist.c), a page
 * per complaint under aduan/ with the follow-up form
 * (dashboard_complaint.c) and karantina.html (dashboard_quarantine.c).
 * nginx serves DIR behind authentication; the pages carry name, phone and
 * e-mail only on a complaint's own page.
 *
 * Every page comes from the same moment of the database: the report's
 * figures are read in a transaction of their own (report_data.c opens
 * it), so this file checks with PRAGMA data_version that nothing was
 * committed between that one and the transaction the pages are read in,
 * and reads again when something was.
 *
 * Runs on one DIR take turns (DIR/.lock).  Each file is written under a
 * temporary name and renamed, mode 0640, so nginx never serves half a
 * page and other users of the machine read none.
 */
#include "dashboard.h"
#include "chart.h"
#include "posko.h"
#include "posko_followup.h"
#include "report_data.h"
#include "times.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define DASH_DEFAULT_FOLLOWUP "tindak-lanjut" /* under --base */
#define DASH_DEFAULT_BASE "/dasbor/"
#define DASH_DEFAULT_EVERY 5
#define DASH_SCHEMA 4 /* the schema version with every column read here */
#define DASH_SNAPSHOT_TRIES 3

typedef struct {
    const char *db_path;
    const char *out_dir;
    const char *secret_path;
    const char *followup_url;
    const char *base;
    const char *every;
    const char *tz;
    const char *now;
} dash_args_t;

/* -- arguments ------------------------------------------------------------- */

static const char dash_about[] =
    "Writes static pages for nginx to serve behind authentication:\n"
    "DIR/index.html (today's figures and charts), the worklist\n"
    "DIR/kerja-N.html ordered by next deadline, 50 a page, the same per\n"
    "location, category and unit (kerja-lokasi-X-N.html, ...),\n"
    "DIR/aduan/KODE.html for each open complaint and each updated in the\n"
    "last 7 days, with its events and the follow-up form, and\n"
    "DIR/karantina.html.  A complaint page is written again only when it\n"
    "changed or its form's token is 12 hours old (DIR/.manifest).\n";

static const posko_opt_t dash_opts[] = {
    POSKO_OPT_DB_READ(dash_args_t),
    {"--out", POSKO_OPT_VALUE, "DIR", 1, offsetof(dash_args_t, out_dir),
     "where the pages go"},
    {"--secret", POSKO_OPT_VALUE, "FILE", 0, offsetof(dash_args_t, secret_path),
     "signs the forms' tokens (default:\nposko.secret beside the database, "
     "made\nwhen missing)"},
    {"--followup-url", POSKO_OPT_VALUE, "PATH", 0,
     offsetof(dash_args_t, followup_url),
     "the posko_followup location (default\n" DASH_DEFAULT_BASE
     DASH_DEFAULT_FOLLOWUP ", under --base)"},
    {"--base", POSKO_OPT_VALUE, "PATH", 0, offsetof(dash_args_t, base),
     "the site path of DIR (default " DASH_DEFAULT_BASE ")"},
    {"--every", POSKO_OPT_VALUE, "MINUTES", 0, offsetof(dash_args_t, every),
     "the minutes between runs, for the\npages' next-update time "
     "(default 5)"},
    POSKO_OPT_TZ(dash_args_t, "the team's zone"),
    {"--now", POSKO_OPT_VALUE, "YYYY-MM-DDTHH:MM:SSZ", 0,
     offsetof(dash_args_t, now), "fixes the time, for tests"},
    POSKO_OPT_END,
};

/* A path on this site: starts with one '/', plain characters only, so it
 * reads the same in a page, an attribute and the module's check. */
static int dash_site_path_ok(const char *s) {
    if (s[0] != '/' || s[1] == '/') {
        return 0;
    }
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || strchr("/._~-", *p) != NULL)) {
            return 0;
        }
    }
    return strstr(s, "/../") == NULL && strstr(s, "/./") == NULL;
}

/* Exactly YYYY-MM-DDTHH:MM:SSZ, a real moment. */
static int dash_parse_now(const char *s, time_t *out) {
    char date[11];
    struct tm tm;
    int y, m, d;

    if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        s[19] != 'Z') {
        return -1;
    }
    for (int i = 11; i < 19; i++) {
        if (i != 13 && i != 16 && (s[i] < '0' || s[i] > '9')) {
            return -1;
        }
    }
    memcpy(date, s, 10);
    date[10] = '\0';
    if (posko_parse_date(date, &y, &m, &d) != 0) {
        return -1;
    }
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = atoi(s + 11);
    tm.tm_min = atoi(s + 14);
    tm.tm_sec = atoi(s + 17);
    if (tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59) {
        return -1;
    }
    *out = timegm(&tm);
    return 0;
}

/* Checks the values and fills the settings of d from them. */
static int dash_settings(const dash_args_t *a, dash_t *d, char *base,
                         size_t base_size) {
    const posko_command_t *cmd = &posko_dashboard_command;
    char *end;
    long every = DASH_DEFAULT_EVERY;

    d->out_dir = a->out_dir;
    d->tz = a->tz;
    if (posko_opt_tz(cmd, &d->tz) != POSKO_OPT_GO) {
        return POSKO_EXIT_USAGE;
    }
    if (a->every != NULL) {
        errno = 0;
        every = strtol(a->every, &end, 10);
        if (errno != 0 || *end != '\0' || a->every[0] < '0' ||
            a->every[0] > '9' || every < 1 || every > 1440) {
            return posko_opt_usage(cmd,
                                   "--every '%s' is not a number of minutes "
                                   "from 1 to 1440",
                                   a->every);
        }
    }
    d->every = (int)every;
    if (a->now != NULL) {
        if (dash_parse_now(a->now, &d->now) != 0) {
            return posko_opt_usage(cmd,
                                   "--now '%s' is not a UTC time "
                                   "(YYYY-MM-DDTHH:MM:SSZ)",
                                   a->now);
        }
    } else {
        d->now = time(NULL);
    }
    d->followup_url = a->followup_url;
    if (d->followup_url != NULL && !dash_site_path_ok(d->followup_url)) {
        return posko_opt_usage(cmd,
                               "--followup-url '%s' is not a path on this site "
                               "(such as /dasbor/tindak-lanjut)",
                               d->followup_url);
    }
    snprintf(base, base_size, "%s", a->base ? a->base : DASH_DEFAULT_BASE);
    if (strlen(base) + 2 >= base_size || !dash_site_path_ok(base)) {
        return posko_opt_usage(cmd,
                               "--base '%s' is not a path on this site "
                               "(such as /dasbor/)",
                               base);
    }
    if (base[strlen(base) - 1] != '/') {
        strcat(base, "/");
    }
    d->base = base;
    if (d->followup_url == NULL) {
        /* beside the pages: a browser sends the officer's credentials to
         * the form's action as it does for the pages, without asking */
        static char url[512 + sizeof(DASH_DEFAULT_FOLLOWUP)];

        snprintf(url, sizeof(url), "%s" DASH_DEFAULT_FOLLOWUP, base);
        d->followup_url = url;
    }
    return POSKO_OPT_GO;
}

/* -- the secret ------------------------------------------------------------ */

/* The secret that signs the forms' tokens: --secret, or posko.secret
 * beside the database; made on the first run. */
static int dash_secret(const dash_args_t *a, dash_t *d) {
    char path[4200];
    const char *slash = strrchr(a->db_path, '/');

    if (a->secret_path != NULL) {
        snprintf(path, sizeof(path), "%s", a->secret_path);
    } else if (slash == NULL) {
        snprintf(path, sizeof(path), "posko.secret");
    } else if ((size_t)(slash - a->db_path) + 14 >= sizeof(path)) {
        fprintf(stderr, "posko dashboard: the path %s is too long\n",
                a->db_path);
        return -1;
    } else {
        snprintf(path, sizeof(path), "%.*s/posko.secret",
                 (int)(slash - a->db_path), a->db_path);
    }
    if (access(path, F_OK) != 0 && errno == ENOENT &&
        posko_secret_create(path) != 0) {
        fprintf(stderr, "posko dashboard: cannot create the secret %s: %s\n",
                path, strerror(errno));
        return -1;
    }
    if (posko_secret_read(path, d->secret) != 0) {
        fprintf(stderr, "posko dashboard: cannot read the secret %s: %s\n",
                path,
                errno == EINVAL ? "it is not 32 bytes long" : strerror(errno));
        return -1;
    }
    return 0;
}

/* -- the database ---------------------------------------------------------- */

static int dash_schema_ok(dash_t *d, const char *path) {
    int v = (int)posko_db_number(d->db, "PRAGMA user_version");

    if (v < DASH_SCHEMA) {
        fprintf(stderr,
                "posko dashboard: %s has an older schema (version %d); run "
                "posko ingest on it first\n",
                path, v);
        return -1;
    }
    return 0;
}

/* Reads today's report figures and leaves a read transaction open on the
 * same moment of the database, for the pages.  An ingest that commits in
 * between makes it read again (a few times at most: then the figures may
 * be seconds older than the lists). */
static int dash_snapshot(dash_t *d, posko_report_data_t *r) {
    for (int attempt = 1;; attempt++) {
        long long before = posko_db_number(d->db, "PRAGMA data_version"), after;

        if (posko_report_data_load(d->db, d->today, d->tz, r) != 0) {
            return -1;
        }
        if (sqlite3_exec(d->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
            posko_db_error(d->db, "cannot read the database");
            return -1;
        }
        after = posko_db_number(d->db, "PRAGMA data_version"); /* starts the snapshot */
        if (after < 0) {
            posko_db_error(d->db, "cannot read the database");
            sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        if (before == after || attempt == DASH_SNAPSHOT_TRIES) {
            return 0;
        }
        sqlite3_exec(d->db, "COMMIT", NULL, NULL, NULL);
    }
}

static void dash_refs_free(dash_refs_t *r) {
    for (int i = 0; i < r->n; i++) {
        free(r->v[i].code);
        free(r->v[i].name);
    }
    free(r->v);
    memset(r, 0, sizeof(*r));
}

/* One reference table, in the order of data/referensi.ini. */
static int dash_refs_load(dash_t *d, const char *sql, dash_refs_t *r) {
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK) {
        posko_db_error(d->db, "cannot read the reference data");
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        dash_ref_t *v = realloc(r->v, (size_t)(r->n + 1) * sizeof(*v));

        if (v == NULL) {
            rc = SQLITE_NOMEM;
            break;
        }
        r->v = v;
        v[r->n].code = strdup(code != NULL ? code : "");
        v[r->n].name = strdup(name != NULL ? name : "");
        r->n++;
        if (v[r->n - 1].code == NULL || v[r->n - 1].name == NULL) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        posko_db_error(d->db, "cannot read the reference data");
        return -1;
    }
    return 0;
}

/* -- the run --------------------------------------------------------------- */

/* Times and names the pages need, worked out once. */
static int dash_prepare(dash_t *d) {
    struct tm tm;
    size_t n = 0;

    posko_tz_use(d->tz);
    if (localtime_r(&d->now, &tm) == NULL ||
        posko_time_format((long long)d->now * 1000, d->now_utc) != 0 ||
        posko_time_format(
            ((long long)d->now - DASH_RECENT_DAYS * 86400) * 1000,
            d->recent_utc) != 0) {
        fprintf(stderr, "posko dashboard: cannot place the time in %s\n",
                d->tz);
        return -1;
    }
    strftime(d->today, sizeof(d->today), "%Y-%m-%d", &tm);
    if (strcmp(d->tz, POSKO_DEFAULT_TZ) == 0) {
        /* Saudi Arabia's zone, as the team names it: Waktu Arab Saudi */
        snprintf(d->zone, sizeof(d->zone), "WAS");
    } else {
        snprintf(d->zone, sizeof(d->zone), "%s%s",
                 tm.tm_zone[0] == '+' || tm.tm_zone[0] == '-' ? "UTC" : "",
                 tm.tm_zone);
    }
    /* the open statuses, from the lifecycle's one list */
    for (int s = 0; s < POSKO_S_COUNT; s++) {
        if (posko_status_open((posko_status_t)s)) {
            n += (size_t)snprintf(d->open_statuses + n,
                                  sizeof(d->open_statuses) - n, "%s'%s'",
                                  n ? ", " : "", posko_status_names[s]);
        }
    }
    return 0;
}

/* DIR, its folders, and the lock that makes runs on it take turns. */
static int dash_folders(const dash_t *d, int *lock_fd) {
    static const char *const subs[] = {"", "/aduan", "/img"};
    char path[4200];

    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", d->out_dir, subs[i]);
        if (strlen(d->out_dir) > 4000 || posko_mkdirs(path) != 0) {
            fprintf(stderr, "posko dashboard: cannot create directory %s: %s\n",
                    path, strerror(errno));
            return -1;
        }
    }
    snprintf(path, sizeof(path), "%s/.lock", d->out_dir);
    *lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (*lock_fd < 0) {
        fprintf(stderr, "posko dashboard: cannot open %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    if (flock(*lock_fd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(stderr,
                "posko dashboard: another posko dashboard is writing %s\n",
                d->out_dir);
        close(*lock_fd);
        *lock_fd = -1;
        return -1;
    }
    return 0;
}

/* Everything from the database, in one read transaction. */
static int dash_pages(dash_t *d, posko_report_data_t *r) {
    int rc = -1;

    if (dash_snapshot(d, r) != 0) {
        return -1;
    }
    if (dash_refs_load(d, "SELECT kode, nama FROM ref_kategori ORDER BY rowid",
                       &d->kategori) == 0 &&
        dash_refs_load(d, "SELECT kode, nama FROM ref_lokasi ORDER BY rowid",
                       &d->lokasi) == 0 &&
        dash_refs_load(d, "SELECT kode, kota FROM ref_embarkasi ORDER BY rowid",
                       &d->embarkasi) == 0 &&
        dash_refs_load(d, "SELECT kode, nama FROM ref_unit ORDER BY rowid",
                       &d->unit) == 0 &&
        dash_worklist(d) == 0 && dash_complaints(d) == 0 &&
        dash_quarantine(d) == 0) {
        rc = 0;
    }
    sqlite3_exec(d->db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

static int dash_run(int argc, char **argv) {
    dash_args_t args = {0};
    dash_t d;
    posko_report_data_t *report = NULL;
    char base[512];
    mode_t old_mask;
    int rc, lock_fd = -1;

    memset(&d, 0, sizeof(d));
    rc = posko_opt_parse(&posko_dashboard_command, argc, argv, &args);
    if (rc == POSKO_OPT_GO) {
        rc = dash_settings(&args, &d, base, sizeof(base));
    }
    if (rc != POSKO_OPT_GO) {
        return rc;
    }

    d.db = posko_db_open(args.db_path, 1);
    if (d.db == NULL) {
        return POSKO_EXIT_FAIL;
    }
    old_mask = umask(027); /* the pages hold personal data */
    rc = -1;
    if (dash_schema_ok(&d, args.db_path) == 0 && dash_secret(&args, &d) == 0 &&
        dash_prepare(&d) == 0 && dash_folders(&d, &lock_fd) == 0) {
        report = calloc(1, sizeof(*report));
        if (report == NULL) {
            fprintf(stderr, "posko dashboard: out of memory\n");
        } else if (dash_pages(&d, report) == 0 && dash_index(&d, report) == 0) {
            rc = 0;
        }
    }
    umask(old_mask);
    sqlite3_close(d.db);
    if (lock_fd >= 0) {
        close(lock_fd);
    }

    if (rc == 0) {
        printf("dashboard: %s (%ld open, %ld worklist pages, %ld complaint "
               "pages written, %ld unchanged, %ld removed, %ld quarantined)\n",
               d.out_dir, d.open, d.worklist_pages, d.pages_written,
               d.pages_kept, d.pages_removed, d.quarantined);
    }
    free(report);
    dash_refs_free(&d.kategori);
    dash_refs_free(&d.lokasi);
    dash_refs_free(&d.embarkasi);
    dash_refs_free(&d.unit);
    dash_buf_free(&d.urgent);
    dash_buf_free(&d.filters);
    memset(d.secret, 0, sizeof(d.secret));
    return rc == 0 ? POSKO_EXIT_OK : POSKO_EXIT_FAIL;
}

const posko_command_t posko_dashboard_command = {
    "dashboard", dash_run, dash_opts, NULL,
    "write the team's dashboard: worklist, complaint pages, charts",
    dash_about, NULL};
