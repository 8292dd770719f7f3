
/*
 * Copyright (C) posko developers
 *
 * The WAL writer: group commit off the event loop.
 *
 * Each worker keeps one writer per WAL directory.  A request's record is
 * copied into the writer's next batch and the request waits.  While no
 * flush is running, the batch is handed to a thread of nginx's thread pool,
 * which writes it to the current segment and calls fdatasync() once for
 * all of it; meanwhile new records gather in the following batch.  When
 * the thread is done, the event loop answers every request of the batch:
 * success only when write and sync both succeeded, 503 otherwise.
 *
 * The thread makes system calls (and computes the records' checksums,
 * which depend on the segment's salt).  It also opens new segments (file,
 * header, fsync, directory fsync) and seals full ones with a seal record,
 * so no blocking call ever runs on the event loop.
 *
 * Segments are preallocated: the thread writes zeros a megabyte ahead of
 * the records, so that fdatasync() after a batch flushes data only and
 * does not wait for the file system's journal to record a new file size.
 * Zeros never pass for a record (docs/wal-format.md), and a sealed segment
 * is cut back to its last record.  After any write or
 * sync error the descriptor is closed and never used again: the next batch
 * starts a new segment (after a failed fsync, Linux may report the next
 * one as a success with the data gone).
 *
 * While a flush is in flight, a non-cancelable timer stays armed, so that
 * a worker told to quit or reload waits for the answers it owes.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_posko.h"
#include "posko_wal.h"


#if !(NGX_THREADS)
#error "ngx_http_posko_module needs nginx built --with-threads"
#endif


/* What one flush asks of the thread, and what it answers. */

typedef struct {
    ngx_fd_t                   fd;          /* in: segment, or invalid */
    ngx_fd_t                   seal_fd;     /* in: a full segment to seal */
    off_t                      seal_at;     /* in: its size */
    uint32_t                   seal_seed;   /* in: its checksum seed */
    uint32_t                   seed;        /* in: fd's checksum seed */
    u_char                    *path;        /* in: a new segment's name */
    u_char                    *dir;
    u_char                     header[POSKO_WAL_HEADER_SIZE];
    u_char                    *data;
    size_t                     len;
    off_t                      start;       /* in: size before the batch */
    off_t                      allocated;   /* in/out: zeros written to */
    off_t                      segment_size;
    ngx_uint_t                 sync;

    ngx_err_t                  err;         /* out */
    const char                *failed;      /* out: the call that failed */
    ngx_uint_t                 opened;      /* out: fd is a new segment */
} ngx_http_posko_flush_t;


typedef struct {
    ngx_str_t                  dir;
    ngx_fd_t                   fd;
    off_t                      size;
    off_t                      allocated;
    uint32_t                   seed;
    off_t                      segment_size;
    time_t                     segment_age;
    time_t                     opened_at;
    uint64_t                   sequence;
    ngx_uint_t                 sync;
    ngx_uint_t                 busy;
    ngx_uint_t                 failures;    /* batches failed in a row */
    ngx_thread_pool_t         *thread_pool;
    ngx_thread_task_t         *task;
    ngx_event_t                guard;       /* armed while busy */
    ngx_log_t                 *log;

    ngx_queue_t                waiting;     /* records in next */
    ngx_queue_t                flushing;    /* records in the thread */
    u_char                    *next;
    size_t                     next_len;
    size_t                     next_size;
    u_char                    *cur;
    size_t                     cur_size;

    u_char                     path[NGX_MAX_PATH];
} ngx_http_posko_writer_t;


static ngx_http_posko_writer_t *ngx_http_posko_writer_get(
    ngx_http_request_t *r, ngx_http_posko_loc_conf_t *plcf);
static void ngx_http_posko_flush_start(ngx_http_posko_writer_t *w);
static void ngx_http_posko_flush_thread(void *data, ngx_log_t *log);
static void ngx_http_posko_flush_done(ngx_event_t *ev);
static void ngx_http_posko_flush_answer(ngx_http_posko_writer_t *w,
    ngx_queue_t *q, ngx_int_t rc);
static void ngx_http_posko_guard_handler(ngx_event_t *ev);
static void ngx_http_posko_preallocate(ngx_http_posko_flush_t *f, off_t end);
static ngx_int_t ngx_http_posko_pwrite_all(ngx_fd_t fd, u_char *p,
    size_t len, off_t offset);


#define NGX_HTTP_POSKO_PREALLOCATE  (1024 * 1024)

static u_char  ngx_http_posko_zeros[NGX_HTTP_POSKO_PREALLOCATE];


static ngx_array_t  *ngx_http_posko_writers;
static uint64_t      ngx_http_posko_start_us;
ngx_str_t            ngx_http_posko_node;


ngx_int_t
ngx_http_posko_wal_init_process(ngx_cycle_t *cycle)
{
    struct timeval  tv;

    ngx_gettimeofday(&tv);
    ngx_http_posko_start_us = (uint64_t) tv.tv_sec * 1000000 + tv.tv_usec;

    ngx_http_posko_writers = ngx_array_create(cycle->pool, 2,
                                         sizeof(ngx_http_posko_writer_t *));
    if (ngx_http_posko_writers == NULL) {
        return NGX_ERROR;
    }

    return NGX_OK;
}


void
ngx_http_posko_wal_exit_process(ngx_cycle_t *cycle)
{
    ngx_uint_t                 i;
    ngx_http_posko_writer_t  **w;

    if (ngx_http_posko_writers == NULL) {
        return;
    }

    w = ngx_http_posko_writers->elts;

    for (i = 0; i < ngx_http_posko_writers->nelts; i++) {
        if (w[i]->fd != NGX_INVALID_FILE && !w[i]->busy) {
            (void) ngx_close_file(w[i]->fd);
            w[i]->fd = NGX_INVALID_FILE;
        }

        ngx_free(w[i]->next);
        ngx_free(w[i]->cur);
    }
}


/*
 * Room for a record of len bytes at the end of the next batch, so that the
 * record is built where it will be written.  The caller fills it and calls
 * ngx_http_posko_wal_append() before it returns to the event loop.
 */

u_char *
ngx_http_posko_wal_reserve(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, size_t len)
{
    u_char                   *p;
    size_t                    size;
    ngx_http_posko_writer_t  *w;

    w = ngx_http_posko_writer_get(r, plcf);
    if (w == NULL) {
        return NULL;
    }

    if (w->next_len + len > w->next_size) {
        size = ngx_max(w->next_size * 2, w->next_len + len);
        size = ngx_max(size, 64 * 1024);

        p = ngx_alloc(size, r->connection->log);
        if (p == NULL) {
            return NULL;
        }

        if (w->next_len) {
            ngx_memcpy(p, w->next, w->next_len);
        }

        ngx_free(w->next);
        w->next = p;
        w->next_size = size;
    }

    return w->next + w->next_len;
}


/*
 * Adds the len bytes just written at the reserved place to the batch; the
 * wait's handler is called once they are durable (NGX_OK) or cannot be
 * made so (NGX_ERROR).
 */

ngx_int_t
ngx_http_posko_wal_append(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_wait_t *wait, size_t len)
{
    ngx_http_posko_writer_t  *w;

    w = ngx_http_posko_writer_get(r, plcf);
    if (w == NULL || w->next_len + len > w->next_size) {
        return NGX_ERROR;
    }

    w->next_len += len;

    wait->request = r;
    ngx_queue_insert_tail(&w->waiting, &wait->queue);

    /* like a thread operation: the request stays until it is answered */

    r->main->blocked++;

    if (!w->busy) {
        ngx_http_posko_flush_start(w);
    }

    return NGX_OK;
}


static ngx_http_posko_writer_t *
ngx_http_posko_writer_get(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf)
{
    ngx_uint_t                 i;
    ngx_http_posko_flush_t    *f;
    ngx_http_posko_writer_t  **wp, *w;

    if (ngx_http_posko_writers == NULL) {
        return NULL;
    }

    wp = ngx_http_posko_writers->elts;

    for (i = 0; i < ngx_http_posko_writers->nelts; i++) {
        if (wp[i]->dir.len == plcf->wal.len
            && ngx_strncmp(wp[i]->dir.data, plcf->wal.data, plcf->wal.len)
               == 0)
        {
            return wp[i];
        }
    }

    w = ngx_pcalloc(ngx_cycle->pool, sizeof(ngx_http_posko_writer_t));
    if (w == NULL) {
        return NULL;
    }

    w->task = ngx_thread_task_alloc(ngx_cycle->pool,
                                    sizeof(ngx_http_posko_flush_t));
    if (w->task == NULL) {
        return NULL;
    }

    wp = ngx_array_push(ngx_http_posko_writers);
    if (wp == NULL) {
        return NULL;
    }

    *wp = w;

    /* the first location to write to a directory sets how */

    w->dir = plcf->wal;
    w->fd = NGX_INVALID_FILE;
    w->segment_size = plcf->segment_size;
    w->segment_age = plcf->segment_age;
    w->sync = plcf->sync;
    w->thread_pool = plcf->thread_pool;
    w->log = ngx_cycle->log;

    ngx_queue_init(&w->waiting);
    ngx_queue_init(&w->flushing);

    w->task->handler = ngx_http_posko_flush_thread;
    w->task->event.handler = ngx_http_posko_flush_done;
    w->task->event.data = w;

    w->guard.handler = ngx_http_posko_guard_handler;
    w->guard.data = w;
    w->guard.log = ngx_cycle->log;

    f = w->task->ctx;
    f->fd = NGX_INVALID_FILE;

    return w;
}


static void
ngx_http_posko_flush_start(ngx_http_posko_writer_t *w)
{
    u_char                  *p;
    size_t                   size;
    uint64_t                 salt;
    ngx_queue_t              q;
    posko_wal_segment_t      seg;
    ngx_http_posko_flush_t  *f;

    if (ngx_queue_empty(&w->waiting)) {
        return;
    }

    /* the batch: next becomes cur, the waiting requests become flushing */

    p = w->cur;
    size = w->cur_size;
    w->cur = w->next;
    w->cur_size = w->next_size;
    w->next = p;
    w->next_size = size;

    f = w->task->ctx;
    ngx_memzero(f, sizeof(ngx_http_posko_flush_t));

    f->data = w->cur;
    f->len = w->next_len;
    f->sync = w->sync;
    f->fd = w->fd;
    f->seal_fd = NGX_INVALID_FILE;
    f->seed = w->seed;
    f->start = w->size;
    f->allocated = w->allocated;
    f->segment_size = w->segment_size;

    w->next_len = 0;

    ngx_queue_add(&w->flushing, &w->waiting);
    ngx_queue_init(&w->waiting);

    if (w->fd != NGX_INVALID_FILE
        && w->size > POSKO_WAL_HEADER_SIZE
        && (w->size + (off_t) f->len > w->segment_size
            || ngx_time() - w->opened_at >= w->segment_age))
    {
        f->seal_fd = w->fd;
        f->seal_at = w->size;
        f->seal_seed = w->seed;
        f->fd = NGX_INVALID_FILE;
        w->fd = NGX_INVALID_FILE;
    }

    if (f->fd == NGX_INVALID_FILE) {
        w->sequence++;

        p = ngx_snprintf(w->path, NGX_MAX_PATH - 1, "%V/%V-%P-%uL-%06uL%s",
                         &w->dir, &ngx_http_posko_node, ngx_pid,
                         ngx_http_posko_start_us, w->sequence,
                         POSKO_WAL_SUFFIX);
        *p = '\0';

        if (ngx_http_posko_random(&salt) != NGX_OK) {
            salt = ngx_http_posko_start_us ^ (w->sequence << 40) ^ ngx_pid;
        }

        ngx_memzero(&seg, sizeof(posko_wal_segment_t));
        seg.salt = salt;
        seg.sequence = w->sequence;
        seg.created_us = (uint64_t) ngx_time() * 1000000;
        seg.writer_pid = (uint32_t) ngx_pid;
        seg.writer_start = ngx_http_posko_start_us;
        ngx_memcpy(seg.node, ngx_http_posko_node.data,
                   ngx_min(ngx_http_posko_node.len, POSKO_WAL_NODE_MAX));

        posko_wal_header_encode(f->header, &seg);
        f->seed = posko_wal_seed(&seg);

        f->path = w->path;
        f->dir = w->dir.data;
        f->start = POSKO_WAL_HEADER_SIZE;
        f->allocated = POSKO_WAL_HEADER_SIZE;
    }

    if (ngx_thread_task_post(w->thread_pool, w->task) != NGX_OK) {
        ngx_log_error(NGX_LOG_ALERT, w->log, 0,
                      "posko: cannot post the WAL flush to the thread pool");

        if (f->seal_fd != NGX_INVALID_FILE) {
            w->fd = f->seal_fd;
        }

        ngx_queue_init(&q);
        ngx_queue_add(&q, &w->flushing);
        ngx_queue_init(&w->flushing);
        ngx_http_posko_flush_answer(w, &q, NGX_ERROR);
        return;
    }

    w->busy = 1;

    if (!w->guard.timer_set) {
        ngx_add_timer(&w->guard, 1000);
    }
}


/* In a thread of the pool: system calls only. */

static void
ngx_http_posko_flush_thread(void *data, ngx_log_t *log)
{
    ngx_http_posko_flush_t *f = data;

    ngx_fd_t  dfd;
    u_char    seal[POSKO_WAL_FRAME_SIZE];

    if (f->seal_fd != NGX_INVALID_FILE) {

        /* a full segment: mark it as finished, then let it go */

        posko_wal_frame(seal, POSKO_REC_SEAL, 0, f->seal_seed);

        if (ngx_http_posko_pwrite_all(f->seal_fd, seal, sizeof(seal),
                                      f->seal_at)
            == NGX_OK
            && ftruncate(f->seal_fd, f->seal_at + sizeof(seal)) == 0)
        {
            (void) fdatasync(f->seal_fd);
        }

        (void) close(f->seal_fd);
    }

    if (f->fd == NGX_INVALID_FILE) {
        f->fd = open((char *) f->path,
                     O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0640);

        if (f->fd == NGX_INVALID_FILE) {
            f->err = ngx_errno;
            f->failed = "open()";
            return;
        }

        f->opened = 1;

        if (ngx_http_posko_pwrite_all(f->fd, f->header,
                                      POSKO_WAL_HEADER_SIZE, 0)
            != NGX_OK)
        {
            f->err = ngx_errno;
            f->failed = "write() of the header";
            goto unlink;
        }

        ngx_http_posko_preallocate(f, f->start + (off_t) f->len);

        if (fsync(f->fd) == -1) {
            f->err = ngx_errno;
            f->failed = "fsync() of the new segment";
            goto unlink;
        }

        /* the new name must survive a crash before any record is acked */

        dfd = open((char *) f->dir, O_RDONLY|O_DIRECTORY|O_CLOEXEC);

        if (dfd == NGX_INVALID_FILE || fsync(dfd) == -1) {
            f->err = ngx_errno;
            f->failed = "fsync() of the directory";

            if (dfd != NGX_INVALID_FILE) {
                (void) close(dfd);
            }

            goto failed;
        }

        (void) close(dfd);
    }

    posko_wal_checksum(f->data, f->len, f->seed);

    if (f->start + (off_t) f->len > f->allocated) {
        ngx_http_posko_preallocate(f, f->start + (off_t) f->len);
    }

    if (ngx_http_posko_pwrite_all(f->fd, f->data, f->len, f->start)
        != NGX_OK)
    {
        f->err = ngx_errno;
        f->failed = "write()";
        goto failed;
    }

    if (f->sync && fdatasync(f->fd) == -1) {
        f->err = ngx_errno;
        f->failed = "fdatasync()";
        goto failed;
    }

    return;

unlink:

    /* a segment that never held a record: leave no empty file behind */

    (void) unlink((char *) f->path);

failed:

    /*
     * The batch is answered 503: cut off what of it reached the file, so
     * that a client who sends it again does not leave two complaints.  At
     * worst the cut is lost in a crash and ingest loads a record whose
     * sender was told to retry.
     */

    (void) ftruncate(f->fd, f->start);
    (void) close(f->fd);
    f->fd = NGX_INVALID_FILE;
}


/*
 * Writes zeros from f->allocated to a megabyte boundary past end, within
 * the segment size.  Best effort: if the disk has no room for them, the
 * file is cut back to its records and the batch extends it as it goes.
 */

static void
ngx_http_posko_preallocate(ngx_http_posko_flush_t *f, off_t end)
{
    off_t   target;
    size_t  n;

    target = end + NGX_HTTP_POSKO_PREALLOCATE;
    target -= target % NGX_HTTP_POSKO_PREALLOCATE;
    target = ngx_min(target, ngx_max(f->segment_size, end));

    while (f->allocated < target) {
        n = (size_t) ngx_min(target - f->allocated,
                             (off_t) sizeof(ngx_http_posko_zeros));

        if (ngx_http_posko_pwrite_all(f->fd, ngx_http_posko_zeros, n,
                                      f->allocated)
            != NGX_OK)
        {
            (void) ftruncate(f->fd, f->start);
            f->allocated = f->start;
            return;
        }

        f->allocated += n;
    }
}


static ngx_int_t
ngx_http_posko_pwrite_all(ngx_fd_t fd, u_char *p, size_t len, off_t offset)
{
    ssize_t  n;

    while (len) {
        n = pwrite(fd, p, len, offset);

        if (n == -1) {
            if (ngx_errno == NGX_EINTR) {
                continue;
            }

            return NGX_ERROR;
        }

        if (n == 0) {
            ngx_set_errno(NGX_ENOSPC);
            return NGX_ERROR;
        }

        p += n;
        len -= n;
        offset += n;
    }

    return NGX_OK;
}


static void
ngx_http_posko_flush_done(ngx_event_t *ev)
{
    ngx_http_posko_writer_t *w = ev->data;

    ngx_int_t                rc;
    ngx_uint_t               level;
    ngx_queue_t              q;
    ngx_http_posko_flush_t  *f;

    f = w->task->ctx;

    w->busy = 0;

    if (f->failed) {

        /* once per incident: the first failure, then quiet until recovery */

        level = w->failures ? NGX_LOG_INFO : NGX_LOG_CRIT;

        ngx_log_error(level, w->log, f->err,
                      "posko: %s of WAL segment \"%s\" failed; %ui "
                      "submissions answered 503, the segment is closed",
                      f->failed, w->path,
                      ngx_http_posko_queue_length(&w->flushing));
        w->failures++;
        w->fd = NGX_INVALID_FILE;
        rc = NGX_ERROR;

    } else {
        if (w->failures) {
            ngx_log_error(NGX_LOG_NOTICE, w->log, 0,
                          "posko: WAL writes to \"%V\" work again after %ui "
                          "failed batches", &w->dir, w->failures);
            w->failures = 0;
        }

        if (f->opened) {
            w->seed = f->seed;
            w->size = POSKO_WAL_HEADER_SIZE;
            w->opened_at = ngx_time();
            ngx_log_error(NGX_LOG_INFO, w->log, 0,
                          "posko: new segment \"%s\"", w->path);
        }

        w->fd = f->fd;
        w->size += f->len;
        w->allocated = ngx_max(f->allocated, w->size);
        rc = NGX_OK;
    }

    ngx_queue_init(&q);
    ngx_queue_add(&q, &w->flushing);
    ngx_queue_init(&w->flushing);

    /* start the next batch first: answering may take a while */

    ngx_http_posko_flush_start(w);

    ngx_http_posko_flush_answer(w, &q, rc);

    if (!w->busy && w->guard.timer_set) {
        ngx_del_timer(&w->guard);
    }
}


static void
ngx_http_posko_flush_answer(ngx_http_posko_writer_t *w, ngx_queue_t *q,
    ngx_int_t rc)
{
    ngx_queue_t            *x;
    ngx_http_request_t     *r;
    ngx_http_posko_wait_t  *wait;

    while (!ngx_queue_empty(q)) {
        x = ngx_queue_head(q);
        ngx_queue_remove(x);

        wait = ngx_queue_data(x, ngx_http_posko_wait_t, queue);
        r = wait->request;

        r->main->blocked--;

        wait->handler(r, rc);
    }
}


ngx_uint_t
ngx_http_posko_queue_length(ngx_queue_t *q)
{
    ngx_uint_t    n;
    ngx_queue_t  *x;

    n = 0;

    for (x = ngx_queue_head(q); x != ngx_queue_sentinel(q);
         x = ngx_queue_next(x))
    {
        n++;
    }

    return n;
}


/* Keeps a quitting worker alive until the flush it waits on is answered. */

static void
ngx_http_posko_guard_handler(ngx_event_t *ev)
{
    ngx_http_posko_writer_t *w = ev->data;

    if (w->busy) {
        ngx_add_timer(ev, 1000);
    }
}
