/*
 * progress.c - draws "ingest: 52% 120000 records 48000/s 0:03 left" on
 * one terminal line, over and over, while a batch job runs.  Nothing is
 * drawn when stderr is not a terminal (cron, systemd timers, tests), so
 * logs hold only the job's one-line summary.
 */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double posko_now(void) {
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void posko_progress_start(posko_progress_t *p, const char *what,
                          uint64_t total) {
    p->on = isatty(STDERR_FILENO);
    p->what = what;
    p->total = total;
    p->done = 0;
    p->records = 0;
    p->started = posko_now();
    p->drawn = p->started - 1; /* the first tick draws at once */
    p->shown = 0;
}

void posko_progress_tick(posko_progress_t *p, uint64_t done,
                         uint64_t records) {
    double now, elapsed, rate, left = -1;
    int percent = -1;

    p->done = done;
    p->records = records;
    if (!p->on || (records & 255) != 0) {
        return;
    }
    now = posko_now();
    if (now - p->drawn < 0.2) {
        return;
    }
    p->drawn = now;
    elapsed = now - p->started;
    rate = elapsed > 0 ? (double)records / elapsed : 0;
    if (p->total > 0 && done <= p->total) {
        percent = (int)(100.0 * (double)done / (double)p->total);
        if (done > 0) {
            left = elapsed * (double)(p->total - done) / (double)done;
        }
    }
    fprintf(stderr, "\r%s: ", p->what);
    if (percent >= 0) {
        fprintf(stderr, "%3d%% ", percent);
    }
    fprintf(stderr, "%llu records %.0f/s", (unsigned long long)records, rate);
    if (left >= 0) {
        fprintf(stderr, " %d:%02d left", (int)left / 60, (int)left % 60);
    }
    fprintf(stderr, "\033[K");
    fflush(stderr);
    p->shown = 1;
}

void posko_progress_end(posko_progress_t *p) {
    if (p->on && p->shown) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
    p->shown = 0;
}
