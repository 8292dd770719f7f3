/*
 * posko.c - the `posko` batch command: a table of subcommands, each in a
 * file of its own (ingest.c, report.c, export.c, prune.c, wal_check.c),
 * and `posko help`.
 *
 * Every subcommand prints a one-line summary on success and a sentence on
 * stderr on failure, and exits with 0 (done), 1 (failed) or 2 (usage).
 */
#include "posko.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage;
} posko_command_t;

static const posko_command_t posko_commands[] = {
    {"ingest", posko_cmd_ingest,
     "load new WAL records into the SQLite database",
     "posko ingest --wal DIR --db FILE [--ref FILE]\n"
     "\n"
     "Reads every segment in DIR and loads each complete record that the\n"
     "database does not hold yet: complaints, and officers' follow-ups\n"
     "along the lifecycle.  Safe to run again at any time, and to kill:\n"
     "the position reached in each segment is stored in the same\n"
     "transaction as the rows, so nothing is loaded twice.  Records that\n"
     "cannot be loaded are kept in the table quarantine with the reason.\n"
     "--ref names the reference data (categories, locations,\n"
     "embarkations, units, service-level targets; default " POSKO_DEFAULT_REF
     ").\n"
     "On a terminal it shows its progress; it always ends with one line:\n"
     "ingest: N loaded, N quarantined, N segments, N bytes waiting,\n"
     "N follow-ups applied.  Exit 1 when another ingest runs on FILE, the\n"
     "reference data are wrong, or the database fails.\n"},
    {"report", posko_cmd_report,
     "write the daily evaluation report (PDF and PNG charts)",
     "posko report --db FILE --date YYYY-MM-DD --out DIR [--tz ZONE]\n"
     "             [--text] [--mail-to ADDR]... [--mail-from ADDR]\n"
     "\n"
     "Writes DIR/posko-YYYY-MM-DD.pdf (six A4 pages: summary, trend,\n"
     "breakdowns, response times, evaluation, lists), its charts as PNG\n"
     "files beside it, and points DIR/latest.pdf at the newest day.  The\n"
     "day runs in ZONE (default Asia/Riyadh); every figure is as of its\n"
     "end.  --text prints the figures (then --out may be left out);\n"
     "--mail-to hands the report to sendmail (POSKO_SENDMAIL to use\n"
     "another program) with the figures as text and the PDF attached.\n"},
    {"dashboard", posko_cmd_dashboard,
     "write the team's dashboard: worklist, complaint pages, charts",
     "posko dashboard --db FILE --out DIR [--secret FILE]\n"
     "                [--followup-url PATH] [--base PATH] [--every MINUTES]\n"
     "                [--tz ZONE] [--now YYYY-MM-DDTHH:MM:SSZ]\n"
     "\n"
     "Writes static pages for nginx to serve behind authentication:\n"
     "DIR/index.html (today's figures and charts), the worklist\n"
     "DIR/kerja-N.html ordered by next deadline, 50 a page, the same per\n"
     "location, category and unit (kerja-lokasi-X-N.html, ...),\n"
     "DIR/aduan/KODE.html for each open complaint and each updated in the\n"
     "last 7 days, with its events and the follow-up form, and\n"
     "DIR/karantina.html.  A complaint page is written again only when it\n"
     "changed or its form's token is 12 hours old (DIR/.manifest).\n"
     "--secret signs the forms' tokens (default: posko.secret beside\n"
     "FILE, made when missing); --followup-url is the posko_followup\n"
     "location (default /tindak-lanjut); --base the site path of DIR\n"
     "(default /dasbor/); --every the minutes between runs, for the\n"
     "pages' next-update time (default 5); --tz the team's zone (default\n"
     "Asia/Riyadh); --now fixes the time, for tests.\n"},
    {"export", posko_cmd_export,
     "write every complaint as CSV or JSON Lines, for analysis",
     "posko export --db FILE --format csv|json [--since YYYY-MM-DD]\n"
     "                    [--tz ZONE] [--personal]\n"
     "\n"
     "Writes every complaint to standard output, oldest first: CSV (RFC\n"
     "4180: a header row, CRLF line ends, NULL as an empty field) or JSON\n"
     "Lines (one object per line, NULL as null).  --since keeps the\n"
     "complaints received on or after the start of that day in ZONE\n"
     "(default Asia/Riyadh).  Name, phone and e-mail (nama, telepon,\n"
     "email) are written only with --personal, as the last columns.\n"},
    {"prune", posko_cmd_prune, "remove old WAL segments that are loaded",
     "posko prune --wal DIR --db FILE --keep DAYS [--dry-run]\n"
     "\n"
     "Removes each segment in DIR that is sealed, loaded into FILE to its\n"
     "last byte, and last modified more than DAYS days ago; keeps every\n"
     "other one.  Prints a line per removed segment and a summary.\n"
     "--dry-run prints what would be removed and removes nothing.  Exit\n"
     "status 1 when an ingest holds FILE.lock or a segment cannot be\n"
     "removed.\n"},
    {"status", posko_cmd_status, "say whether the system is well",
     "posko status --wal DIR --db FILE [--reports DIR] [--json]\n"
     "\n"
     "Reports the WAL (segments, records not loaded yet), the last\n"
     "ingest, the database (complaints, open, past deadline,\n"
     "quarantined), free disk space and, with --reports, the newest\n"
     "daily report.  Exit status 0 when all is well; 1, with the\n"
     "reasons, when records wait more than 10 minutes to be loaded,\n"
     "when less than 5% or 1 GiB is free where the WAL or the database\n"
     "is, or when yesterday's report is missing after 06:00 Riyadh time.\n"
     "--json prints the same for monitoring systems.\n"},
    {"wal", posko_cmd_wal, "check a WAL directory for damage",
     "posko wal check DIR\n"
     "\n"
     "Reports every segment in DIR: its header, its records, whether it is\n"
     "sealed, and every damaged stretch and unfinished tail with its\n"
     "offset.  Exit status 1 when anything is damaged.\n"},
    {"help", posko_cmd_help, "show this help, or the help of one command",
     "posko help [COMMAND]\n"},
};

#define POSKO_NCOMMANDS (sizeof(posko_commands) / sizeof(posko_commands[0]))

const char *posko_usage(const char *name) {
    for (size_t i = 0; i < POSKO_NCOMMANDS; i++) {
        if (strcmp(posko_commands[i].name, name) == 0) {
            return posko_commands[i].usage;
        }
    }
    return "";
}

int posko_cmd_help(int argc, char **argv) {
    if (argc > 1) {
        for (size_t i = 0; i < POSKO_NCOMMANDS; i++) {
            if (strcmp(posko_commands[i].name, argv[1]) == 0) {
                printf("usage: %s", posko_commands[i].usage);
                return POSKO_EXIT_OK;
            }
        }
        fprintf(stderr, "posko: no command named '%s'; see 'posko help'\n",
                argv[1]);
        return POSKO_EXIT_USAGE;
    }
    printf("posko - batch jobs of the Hajj pilgrims' online complaint post\n"
           "\n"
           "usage: posko COMMAND [OPTIONS]\n"
           "\n"
           "commands:\n");
    for (size_t i = 0; i < POSKO_NCOMMANDS; i++) {
        printf("  %-10s %s\n", posko_commands[i].name,
               posko_commands[i].summary);
    }
    printf("\n"
           "exit codes: 0 done, 1 failed (the reason is on stderr),\n"
           "            2 wrong usage\n"
           "'posko help COMMAND' shows the options of one command.\n");
    return POSKO_EXIT_OK;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        posko_cmd_help(1, argv);
        return POSKO_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        return posko_cmd_help(1, argv);
    }
    for (size_t i = 0; i < POSKO_NCOMMANDS; i++) {
        if (strcmp(posko_commands[i].name, argv[1]) == 0) {
            return posko_commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "posko: unknown command '%s'; see 'posko help'\n", argv[1]);
    return POSKO_EXIT_USAGE;
}
