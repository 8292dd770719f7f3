
/*
 * Copyright (C) posko developers
 *
 * Lookups in nginx's thread pool, so that SQLite never blocks the event
 * loop.  An endpoint posts a task whose context starts with an
 * ngx_http_posko_lookup_t; in the pool thread its read function runs on
 * the thread's own read-only connection to posko_db, inside one read
 * transaction (one snapshot, one shared lock); back on the event loop its
 * done function answers, and the request is finalized here.
 *
 * Each thread keeps one connection per endpoint that reads (status page,
 * Open311), opened on first use with that endpoint's statements prepared
 * once, and closed when the thread ends.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <pthread.h>
#include <sqlite3.h>

#include "ngx_http_posko.h"


#define NGX_HTTP_POSKO_READERS  2       /* the status page, Open311 */


struct ngx_http_posko_reader_s {
    u_char                    *path;
    sqlite3                   *db;
    sqlite3_stmt              *begin;
    sqlite3_stmt              *commit;
    sqlite3_stmt              *stmt[8];
};


/* A pool thread's connections, one per endpoint that reads. */

typedef struct {
    ngx_http_posko_reader_t   *reader[NGX_HTTP_POSKO_READERS];
} ngx_http_posko_readers_t;


static void ngx_http_posko_lookup_thread(void *data, ngx_log_t *log);
static void ngx_http_posko_lookup_done(ngx_event_t *ev);
static ngx_http_posko_reader_t *ngx_http_posko_reader(
    ngx_http_posko_lookup_t *lk);
static ngx_http_posko_reader_t *ngx_http_posko_reader_open(
    ngx_http_posko_queries_t *q, u_char *path, char *error, size_t size);
static void ngx_http_posko_reader_free(ngx_http_posko_reader_t *rd);
static void ngx_http_posko_readers_free(void *data);
static void ngx_http_posko_readers_key_make(void);
static void ngx_http_posko_copy_text(char *dst, size_t size,
    const unsigned char *src);


static pthread_key_t   ngx_http_posko_readers_key;
static pthread_once_t  ngx_http_posko_readers_once = PTHREAD_ONCE_INIT;
static ngx_int_t       ngx_http_posko_readers_key_ok;


/*
 * Posts the lookup whose context the task holds; the request stays until
 * the thread has answered.  NGX_DONE, or NGX_ERROR when the pool takes no
 * more tasks.
 */

ngx_int_t
ngx_http_posko_lookup_post(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_thread_task_t *task)
{
    ngx_http_posko_lookup_t  *lk;

    lk = task->ctx;
    lk->request = r;
    lk->db = plcf->db.data;

    task->handler = ngx_http_posko_lookup_thread;
    task->event.handler = ngx_http_posko_lookup_done;
    task->event.data = lk;

    if (ngx_thread_task_post(plcf->thread_pool, task) != NGX_OK) {
        return NGX_ERROR;
    }

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "posko lookup posted, reader %ui", lk->queries->slot);

    r->main->count++;
    r->main->blocked++;

    return NGX_DONE;
}


/* -- in a thread of the pool ---------------------------------------------- */

static void
ngx_http_posko_lookup_thread(void *data, ngx_log_t *log)
{
    ngx_http_posko_lookup_t *lk = data;

    ngx_http_posko_reader_t  *rd;

    rd = ngx_http_posko_reader(lk);
    if (rd == NULL) {
        lk->rc = NGX_ERROR;
        return;
    }

    lk->rc = NGX_OK;

    (void) sqlite3_step(rd->begin);
    sqlite3_reset(rd->begin);

    lk->read(lk, rd);

    (void) sqlite3_step(rd->commit);
    sqlite3_reset(rd->commit);
}


/* The thread's connection for this lookup's endpoint, opened once. */

static ngx_http_posko_reader_t *
ngx_http_posko_reader(ngx_http_posko_lookup_t *lk)
{
    ngx_http_posko_reader_t   **slot;
    ngx_http_posko_readers_t   *all;

    if (pthread_once(&ngx_http_posko_readers_once,
                     ngx_http_posko_readers_key_make)
        != 0
        || !ngx_http_posko_readers_key_ok)
    {
        ngx_cpystrn((u_char *) lk->error, (u_char *) "no thread key",
                    sizeof(lk->error));
        return NULL;
    }

    all = pthread_getspecific(ngx_http_posko_readers_key);

    if (all == NULL) {
        all = calloc(1, sizeof(ngx_http_posko_readers_t));

        if (all == NULL
            || pthread_setspecific(ngx_http_posko_readers_key, all) != 0)
        {
            free(all);
            ngx_cpystrn((u_char *) lk->error, (u_char *) "out of memory",
                        sizeof(lk->error));
            return NULL;
        }
    }

    slot = &all->reader[lk->queries->slot];

    if (*slot != NULL && (*slot)->path == lk->db) {
        return *slot;
    }

    if (*slot != NULL) {
        /* another posko_db at this location: start again */
        ngx_http_posko_reader_free(*slot);
    }

    *slot = ngx_http_posko_reader_open(lk->queries, lk->db, lk->error,
                                       sizeof(lk->error));

    return *slot;
}


static ngx_http_posko_reader_t *
ngx_http_posko_reader_open(ngx_http_posko_queries_t *q, u_char *path,
    char *error, size_t size)
{
    int                       rc;
    ngx_uint_t                i;
    ngx_http_posko_reader_t  *rd;

    rd = calloc(1, sizeof(ngx_http_posko_reader_t));
    if (rd == NULL) {
        ngx_cpystrn((u_char *) error, (u_char *) "out of memory", size);
        return NULL;
    }

    rd->path = path;

    rc = sqlite3_open_v2((char *) path, &rd->db,
                         SQLITE_OPEN_READONLY|SQLITE_OPEN_NOMUTEX, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_busy_timeout(rd->db, 2000);
    }

    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v3(rd->db, "BEGIN", -1,
                                SQLITE_PREPARE_PERSISTENT, &rd->begin, NULL);
    }

    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v3(rd->db, "COMMIT", -1,
                                SQLITE_PREPARE_PERSISTENT, &rd->commit, NULL);
    }

    for (i = 0; rc == SQLITE_OK && i < q->n; i++) {
        rc = sqlite3_prepare_v3(rd->db, q->sql[i], -1,
                                SQLITE_PREPARE_PERSISTENT, &rd->stmt[i],
                                NULL);
    }

    if (rc != SQLITE_OK) {
        ngx_cpystrn((u_char *) error,
                    (u_char *) (rd->db ? sqlite3_errmsg(rd->db)
                                       : "out of memory"), size);
        ngx_http_posko_reader_free(rd);
        return NULL;
    }

    return rd;
}


static void
ngx_http_posko_reader_free(ngx_http_posko_reader_t *rd)
{
    ngx_uint_t  i;

    for (i = 0; i < sizeof(rd->stmt) / sizeof(rd->stmt[0]); i++) {
        sqlite3_finalize(rd->stmt[i]);
    }

    sqlite3_finalize(rd->begin);
    sqlite3_finalize(rd->commit);
    sqlite3_close(rd->db);
    free(rd);
}


/* Closes a thread's connections when the thread ends. */

static void
ngx_http_posko_readers_free(void *data)
{
    ngx_http_posko_readers_t *all = data;

    ngx_uint_t  i;

    for (i = 0; i < NGX_HTTP_POSKO_READERS; i++) {
        if (all->reader[i]) {
            ngx_http_posko_reader_free(all->reader[i]);
        }
    }

    free(all);
}


static void
ngx_http_posko_readers_key_make(void)
{
    ngx_http_posko_readers_key_ok =
        (pthread_key_create(&ngx_http_posko_readers_key,
                            ngx_http_posko_readers_free) == 0);
}


sqlite3_stmt *
ngx_http_posko_reader_stmt(ngx_http_posko_reader_t *rd, ngx_uint_t i)
{
    return rd->stmt[i];
}


const char *
ngx_http_posko_reader_errmsg(ngx_http_posko_reader_t *rd)
{
    return sqlite3_errmsg(rd->db);
}


/*
 * A row's text columns into the fixed rooms of a struct, as the columns
 * list says (it ends with a room of size 0).
 */

void
ngx_http_posko_reader_row(sqlite3_stmt *st, void *to,
    const ngx_http_posko_column_t *col)
{
    for ( /* void */ ; col->size; col++) {
        ngx_http_posko_copy_text((char *) to + col->offset, col->size,
                                 sqlite3_column_text(st, col->column));
    }
}


/* Text into a fixed room, cut at a character's start, never mid-UTF-8. */

static void
ngx_http_posko_copy_text(char *dst, size_t size, const unsigned char *src)
{
    size_t  n;

    if (src == NULL) {
        dst[0] = '\0';
        return;
    }

    n = ngx_strlen(src);

    if (n >= size) {
        n = size - 1;

        while (n > 0 && (src[n] & 0xc0) == 0x80) {
            n--;
        }
    }

    ngx_memcpy(dst, src, n);
    dst[n] = '\0';
}


/* -- back on the event loop ----------------------------------------------- */

static void
ngx_http_posko_lookup_done(ngx_event_t *ev)
{
    ngx_http_posko_lookup_t *lk = ev->data;

    ngx_int_t            rc;
    ngx_connection_t    *c;
    ngx_http_request_t  *r;

    r = lk->request;
    c = r->connection;

    r->main->blocked--;

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, c->log, 0,
                   "posko lookup done: %i", lk->rc);

    rc = lk->done(r, lk);

    ngx_http_finalize_request(r, rc);
    ngx_http_run_posted_requests(c);
}
