/*
 * dashboard.h - what the files of `posko dashboard` share: the run's
 * settings and results, the page buffer with its one escaping function,
 * the page frame, times and names as the team reads them, and writing a
 * file so that nginx never serves half of it.
 *
 *   dashboard.c             options, the secret, the lock, the run
 *   dashboard_html.c        the buffer, escaping, the page frame, times
 *   dashboard_worklist.c    kerja-*.html: the worklist and its filters
 *   dashboard_complaint.c   aduan/KODE.html: one page per complaint, with
 *                           the follow-up form and its token
 *   dashboard_quarantine.c  karantina.html: follow-ups that were refused
 *   dashboard_index.c       index.html: today's figures and the charts
 *
 * The rule of every page: text that came from a pilgrim, an officer or
 * the database goes into a page only through dash_esc(), in element
 * content and in attribute values alike.  Markup written here and
 * numbers formatted here go in with dash_put() and dash_printf().
 */
#ifndef POSKO_DASHBOARD_H
#define POSKO_DASHBOARD_H

#include "posko_record.h"
#include "posko_token.h"
#include "report_data.h"

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#define DASH_PAGE_ROWS 50  /* complaints on one worklist page */
#define DASH_URGENT 10     /* the most urgent ones on the index */
#define DASH_RECENT_DAYS 7 /* closed complaints keep their page so long */
#define DASH_TOKEN_LIFE (24 * 3600)
#define DASH_TOKEN_RENEW (12 * 3600) /* a page's token is made again */

/* A page (or a part of one) being written. */
typedef struct {
    char *p;
    size_t len, cap;
    int failed; /* out of memory: the page is not written */
} dash_buf_t;

/* A reference table (ref_kategori, ...): codes and the names people
 * read, in the order of data/referensi.ini. */
typedef struct {
    char *code;
    char *name;
} dash_ref_t;

typedef struct {
    dash_ref_t *v;
    int n;
} dash_refs_t;

typedef struct {
    /* settings */
    sqlite3 *db;
    const char *out_dir;
    const char *followup_url; /* the form's action */
    const char *base;         /* the site path of out_dir, ending in '/' */
    const char *tz;
    int every; /* minutes between runs */
    time_t now;
    unsigned char secret[POSKO_SECRET_LEN];

    /* worked out from them */
    char zone[16];           /* "WAS" */
    char now_utc[32];        /* as stored times compare */
    char recent_utc[32];     /* DASH_RECENT_DAYS before now */
    char today[11];          /* YYYY-MM-DD in tz */
    char open_statuses[160]; /* "'diterima', ..." for SQL's IN () */
    dash_refs_t kategori, lokasi, embarkasi, unit;

    /* what the parts found, for the index and the summary */
    long open;          /* complaints in the worklist */
    long overdue_now;   /* of those, past their next deadline now */
    dash_buf_t urgent;  /* rows of the first DASH_URGENT */
    dash_buf_t filters; /* links to every filter's first page */
    long worklist_pages;
    long quarantined;
    long pages_written, pages_kept, pages_removed;
} dash_t;

/* -- dashboard_html.c ------------------------------------------------------ */

void dash_put(dash_buf_t *b, const char *s);
void dash_putn(dash_buf_t *b, const char *s, size_t n);
__attribute__((format(printf, 2, 3))) void dash_printf(dash_buf_t *b,
                                                       const char *fmt, ...);

/* Appends text (NULL as nothing) with & < > " ' written as entities and
 * control characters other than tab and line breaks left out: the one
 * way anything that was not written here enters a page. */
void dash_escn(dash_buf_t *b, const char *s, size_t n);
void dash_esc(dash_buf_t *b, const char *s);

void dash_buf_free(dash_buf_t *b);

/* The page's start: head, style, the links of every page, the title as
 * h1 and the made / next-update stamp.  up is the way to out_dir from
 * the page ("" or "../"); title is plain text. */
void dash_page_begin(const dash_t *d, dash_buf_t *b, const char *up,
                     const char *title, const char *stamp_note);
void dash_page_end(dash_buf_t *b);

/* Writes b to out_dir/rel through a temporary name and a rename.
 * Prints a sentence and returns -1 on failure. */
int dash_write(const dash_t *d, const char *rel, const dash_buf_t *b);

/* Puts tmp, when ok says it was written in full, in the place of path;
 * otherwise, or when the rename fails, removes it after "cannot write
 * PATH" with errno's reason and returns -1. */
int dash_rename(const char *tmp, const char *path, int ok);

/* Times: a stored UTC time as Unix time, or -1; a time as the team
 * reads it, "15 Jun 14:05" (with_year: "15 Jun 2026 14:05"); a span,
 * "5 jam", "2 hari 3 jam". */
time_t dash_stored_time(const char *s);
const char *dash_local(time_t t, int with_year, char out[40]);
const char *dash_span(long long seconds, char out[40]);

/* The name for a code of a reference table; a code the table does not
 * know, tidied ("bimbingan_ibadah" -> "Bimbingan ibadah"), into buf;
 * NULL or empty as "(tidak diisi)". */
const char *dash_name(const dash_refs_t *refs, const char *code, char *buf,
                      size_t size);

/* "diterima" -> "Diterima", "verifikasi" -> "Sedang diverifikasi", ...;
 * an unknown status as it is. */
const char *dash_status_label(const char *status);

/* "mulai_verifikasi" -> "Mulai verifikasi", ...; an unknown action as it
 * is (len bytes, not NUL-terminated). */
const char *dash_aksi_label(const char *aksi, size_t len, char *buf,
                            size_t size);

/* Whether s is a canonical tracking code (XXXX-XXXX-XXXX), safe in a
 * file name and fit for a token. */
int dash_kode_ok(const char *s);

/* -- dashboard_quarantine.c ------------------------------------------------ */

/* Reads a quarantined follow-up's fields from its WAL record (frame and
 * payload, as the quarantine table keeps it) into out's POSKO_FUP_ slots
 * (posko_record.h), pointing into raw; a fault in the payload leaves the
 * fields before it.  1 when raw is a follow-up record, else 0 (a damaged
 * record or a complaint: nothing of it is shown). */
int dash_followup_read(const void *raw, size_t len, posko_record_t *out);

/* -- dashboard_worklist.c -------------------------------------------------- */

/* The worklist's table around rows the worklist wrote, as each of its
 * pages and the index's most urgent show it. */
void dash_worklist_table(dash_buf_t *b, const dash_buf_t *rows);

/* -- the pages ------------------------------------------------------------- */

int dash_worklist(dash_t *d);
int dash_complaints(dash_t *d);
int dash_quarantine(dash_t *d);

int dash_index(dash_t *d, const posko_report_data_t *r);

#endif
