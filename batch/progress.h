/*
 * progress.h - a progress line for long batch jobs on a terminal
 * (progress.c).  Under cron or a timer, where stderr is not a terminal,
 * it draws nothing.
 */
#ifndef POSKO_PROGRESS_H
#define POSKO_PROGRESS_H

#include <stdint.h>

typedef struct {
    int on;             /* stderr is a terminal */
    const char *what;   /* "ingest" */
    uint64_t total;     /* bytes to do, 0 when unknown */
    uint64_t done;      /* bytes done */
    uint64_t records;   /* records done */
    double started;     /* seconds, monotonic */
    double drawn;       /* when the line was last drawn */
    int shown;          /* a line is on the screen */
} posko_progress_t;

void posko_progress_start(posko_progress_t *p, const char *what,
                          uint64_t total);

/* Cheap to call for every record: draws at most five times a second. */
void posko_progress_tick(posko_progress_t *p, uint64_t done,
                         uint64_t records);

/* Clears the line, so that the summary that follows stands alone. */
void posko_progress_end(posko_progress_t *p);

#endif
