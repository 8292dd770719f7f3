
/*
 * Copyright (C) posko developers
 *
 * The WAL writer: group commit off the event loop.
 *
 * Each worker keeps one writer per WAL directory.  A request's record is
 * appended to the writer's pending bytes and the request waits.  One task
 * of nginx's thread pool, the flusher, runs while there is anything to
 * write: it takes all pending bytes as one batch, writes them to the
 * current segment, calls fdatasync() once for all of them, tells the event
 * loop how far the log is now durable, and takes the next batch, which
 * gathered meanwhile.  The disk is never idle waiting for the event loop,
 * and the event loop never waits for the disk.
 *
 * Positions: every byte ever appended to a writer has a position in one
 * stream (a 64-bit count).  A waiting request remembers where its record
 * ends; when the flusher reports "durable up to D" (an eventfd wakes the
 * event loop), every request whose record ends at or before D is answered
 * with success.  When a batch fails, the flusher stops and reports the
 * positions it covered; those requests are answered 503, and the next
 * batch goes to a new segment in a new task.
 *
 * The flusher makes system calls (and computes the records' checksums,
 * which depend on the segment's salt, and formats names).  It opens new
 * segments (file, header, fsync, directory fsync) and seals full ones with
 * a seal record.  After any write or sync error the descriptor is closed
 * and never used again (after a failed fsync, Linux may report the next
 * one as a success with the data gone).
 *
 * Segments are preallocated: the flusher writes zeros a megabyte ahead of
 * the records, so that fdatasync() after a batch flushes data only and
 * does not wait for the file system's journal to record a new file size.
 * Zeros never pass for a record (docs/wal-format.md), and a sealed segment
 * is cut back to its last record.
 *
 * The pending bytes and the durable position are shared with the flusher
 * under a mutex; everything about the segment file belongs to the flusher
 * while its task runs and to the event loop only when it does not.  While
 * the task runs or requests wait, a non-cancelable timer stays armed, so
 * that a worker told to quit or reload waits for the answers it owes.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <sys/eventfd.h>
#include <sys/random.h>

#include "ngx_http_posko.h"
#include "posko_wal.h"


#if !(NGX_THREADS)
#error "ngx_http_posko_module needs nginx built --with-threads"
#endif


#define NGX_HTTP_POSKO_PREALLOCATE  (1024 * 1024)


typedef struct {
    /* shared with the flusher, under mutex */

    ngx_thread_mutex_t         mutex;
    u_char                    *pending;
    size_t                     pending_len;
    size_t                     pending_size;
    uint64_t                   appended;    /* stream end of pending */
    uint64_t                   durable;     /* stream end made durable */

    /* the flusher's while the task runs, the event loop's otherwise */

    ngx_fd_t                   fd;
    off_t                      size;        /* bytes of header and records */
    off_t                      allocated;   /* zeros written up to here */
    ngx_uint_t                 no_room;     /* zeros did not fit: stop */
    uint32_t                   seed;        /* the segment's checksum seed */
    time_t                     opened_at;
    uint64_t                   sequence;
    u_char                    *batch;
    size_t                     batch_size;

    uint64_t                   failed_to;   /* a failed batch's end */
    ngx_err_t                  err;
    const char                *failed;      /* the call that failed */

    u_char                     path[NGX_MAX_PATH];
    u_char                     dir_z[NGX_MAX_PATH];

    /* settings, fixed when the writer is made */

    off_t                      segment_size;
    time_t                     segment_age;
    ngx_uint_t                 sync;

    /* the event loop's */

    ngx_str_t                  dir;
    ngx_thread_pool_t         *thread_pool;
    ngx_thread_task_t         *task;
    ngx_uint_t                 running;     /* task posted, not yet done */
    ngx_uint_t                 failures;    /* batches failed in a row */
    ngx_queue_t                waiting;     /* in stream order */
    ngx_event_t                guard;
    ngx_log_t                 *log;
} ngx_http_posko_writer_t;


static ngx_http_posko_writer_t *ngx_http_posko_writer_get(
    ngx_http_request_t *r, ngx_http_posko_loc_conf_t *plcf);
static void ngx_http_posko_flush_post(ngx_http_posko_writer_t *w);
static void ngx_http_posko_flush_thread(void *data, ngx_log_t *log);
static ngx_int_t ngx_http_posko_flush_batch(ngx_http_posko_writer_t *w,
    size_t len);
static ngx_int_t ngx_http_posko_segment_open(ngx_http_posko_writer_t *w,
    size_t len);
static void ngx_http_posko_segment_seal(ngx_http_posko_writer_t *w);
static void ngx_http_posko_preallocate(ngx_http_posko_writer_t *w,
    off_t end);
static ngx_int_t ngx_http_posko_pwrite_all(ngx_fd_t fd, u_char *p,
    size_t len, off_t offset);
static void ngx_http_posko_flush_done(ngx_event_t *ev);
static void ngx_http_posko_notified(ngx_event_t *ev);
static void ngx_http_posko_answer_durable(ngx_http_posko_writer_t *w);
static ngx_uint_t ngx_http_posko_answer_upto(ngx_http_posko_writer_t *w,
    uint64_t end, ngx_int_t rc);
static void ngx_http_posko_guard_update(ngx_http_posko_writer_t *w);
static void ngx_http_posko_guard_handler(ngx_event_t *ev);


static ngx_array_t       *ngx_http_posko_writers;
static uint64_t           ngx_http_posko_start_us;
static ngx_connection_t  *ngx_http_posko_notify_conn;
static int                ngx_http_posko_notify_fd = -1;
static u_char             ngx_http_posko_zeros[NGX_HTTP_POSKO_PREALLOCATE];
ngx_str_t                 ngx_http_posko_node;


ngx_int_t
ngx_http_posko_wal_init_process(ngx_cycle_t *cycle)
{
    int                fd;
    struct timeval     tv;
    ngx_connection_t  *c;

    ngx_gettimeofday(&tv);
    ngx_http_posko_start_us = (uint64_t) tv.tv_sec * 1000000 + tv.tv_usec;

    ngx_http_posko_writers = ngx_array_create(cycle->pool, 2,
                                         sizeof(ngx_http_posko_writer_t *));
    if (ngx_http_posko_writers == NULL) {
        return NGX_ERROR;
    }

    /* the flushers wake the event loop through an eventfd of its own */

    fd = eventfd(0, EFD_NONBLOCK|EFD_CLOEXEC);
    if (fd == -1) {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, ngx_errno,
                      "posko: eventfd() failed");
        return NGX_ERROR;
    }

    c = ngx_get_connection(fd, cycle->log);
    if (c == NULL) {
        (void) close(fd);
        return NGX_ERROR;
    }

    c->read->handler = ngx_http_posko_notified;
    c->read->log = cycle->log;

    if (ngx_add_event(c->read, NGX_READ_EVENT, 0) != NGX_OK) {
        ngx_close_connection(c);
        return NGX_ERROR;
    }

    ngx_http_posko_notify_conn = c;
    ngx_http_posko_notify_fd = fd;

    return NGX_OK;
}


void
ngx_http_posko_wal_exit_process(ngx_cycle_t *cycle)
{
    ngx_uint_t                 i;
    ngx_http_posko_writer_t  **w;

    if (ngx_http_posko_notify_conn) {
        ngx_close_connection(ngx_http_posko_notify_conn);
        ngx_http_posko_notify_conn = NULL;
    }

    if (ngx_http_posko_writers == NULL) {
        return;
    }

    w = ngx_http_posko_writers->elts;

    for (i = 0; i < ngx_http_posko_writers->nelts; i++) {
        if (w[i]->running) {
            continue;   /* killed in the middle of a flush: leave it be */
        }

        if (w[i]->fd != NGX_INVALID_FILE) {
            (void) ngx_close_file(w[i]->fd);
            w[i]->fd = NGX_INVALID_FILE;
        }

        ngx_free(w[i]->pending);
        ngx_free(w[i]->batch);
        (void) ngx_thread_mutex_destroy(&w[i]->mutex, cycle->log);
    }
}


/*
 * Appends the record rec of len bytes, its frame filled but not summed;
 * the wait's handler is called once it is durable (NGX_OK) or cannot be
 * made so (NGX_ERROR).
 */

ngx_int_t
ngx_http_posko_wal_append(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_wait_t *wait,
    u_char *rec, size_t len)
{
    u_char                   *p;
    size_t                    size;
    ngx_http_posko_writer_t  *w;

    w = ngx_http_posko_writer_get(r, plcf);
    if (w == NULL) {
        return NGX_ERROR;
    }

    if (ngx_thread_mutex_lock(&w->mutex, r->connection->log) != NGX_OK) {
        return NGX_ERROR;
    }

    if (w->pending_len + len > w->pending_size) {
        size = ngx_max(w->pending_size * 2, w->pending_len + len);
        size = ngx_max(size, 64 * 1024);

        p = ngx_alloc(size, r->connection->log);
        if (p == NULL) {
            (void) ngx_thread_mutex_unlock(&w->mutex, r->connection->log);
            return NGX_ERROR;
        }

        if (w->pending_len) {
            ngx_memcpy(p, w->pending, w->pending_len);
        }

        ngx_free(w->pending);
        w->pending = p;
        w->pending_size = size;
    }

    ngx_memcpy(w->pending + w->pending_len, rec, len);
    w->pending_len += len;
    w->appended += len;
    wait->end = w->appended;

    (void) ngx_thread_mutex_unlock(&w->mutex, r->connection->log);

    wait->request = r;
    ngx_queue_insert_tail(&w->waiting, &wait->queue);

    /* like a thread operation: the request stays until it is answered */

    r->main->blocked++;

    if (!w->running) {
        ngx_http_posko_flush_post(w);
    }

    ngx_http_posko_guard_update(w);

    return NGX_OK;
}


static ngx_http_posko_writer_t *
ngx_http_posko_writer_get(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf)
{
    ngx_uint_t                 i;
    ngx_http_posko_writer_t  **wp, *w;

    if (ngx_http_posko_writers == NULL
        || plcf->wal.len >= NGX_MAX_PATH - 1)
    {
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
                                    sizeof(ngx_http_posko_writer_t *));
    if (w->task == NULL) {
        return NULL;
    }

    if (ngx_thread_mutex_create(&w->mutex, ngx_cycle->log) != NGX_OK) {
        return NULL;
    }

    wp = ngx_array_push(ngx_http_posko_writers);
    if (wp == NULL) {
        (void) ngx_thread_mutex_destroy(&w->mutex, ngx_cycle->log);
        return NULL;
    }

    *wp = w;

    /* the first location to write to a directory sets how */

    w->dir = plcf->wal;
    ngx_memcpy(w->dir_z, plcf->wal.data, plcf->wal.len);
    w->fd = NGX_INVALID_FILE;
    w->segment_size = plcf->segment_size;
    w->segment_age = plcf->segment_age;
    w->sync = plcf->sync;
    w->thread_pool = plcf->thread_pool;
    w->log = ngx_cycle->log;

    ngx_queue_init(&w->waiting);

    *(ngx_http_posko_writer_t **) w->task->ctx = w;
    w->task->handler = ngx_http_posko_flush_thread;
    w->task->event.handler = ngx_http_posko_flush_done;
    w->task->event.data = w;

    w->guard.handler = ngx_http_posko_guard_handler;
    w->guard.data = w;
    w->guard.log = ngx_cycle->log;

    return w;
}


static void
ngx_http_posko_flush_post(ngx_http_posko_writer_t *w)
{
    uint64_t  durable;

    if (ngx_thread_task_post(w->thread_pool, w->task) == NGX_OK) {
        w->running = 1;
        return;
    }

    ngx_log_error(NGX_LOG_ALERT, w->log, 0,
                  "posko: cannot post the WAL flush to the thread pool");

    /* nothing runs: what is pending is dropped and its senders told so */

    (void) ngx_thread_mutex_lock(&w->mutex, w->log);
    w->pending_len = 0;
    durable = w->durable;
    (void) ngx_thread_mutex_unlock(&w->mutex, w->log);

    ngx_http_posko_answer_upto(w, durable, NGX_OK);
    ngx_http_posko_answer_upto(w, (uint64_t) -1, NGX_ERROR);
}


/* In a thread of the pool: the flusher. */

static void
ngx_http_posko_flush_thread(void *data, ngx_log_t *log)
{
    ngx_http_posko_writer_t *w = *(ngx_http_posko_writer_t **) data;

    u_char    *p;
    size_t     len, size;
    uint64_t   end, one;

    for ( ;; ) {
        (void) ngx_thread_mutex_lock(&w->mutex, log);

        len = w->pending_len;
        end = w->appended;

        if (len) {
            p = w->batch;
            size = w->batch_size;
            w->batch = w->pending;
            w->batch_size = w->pending_size;
            w->pending = p;
            w->pending_size = size;
            w->pending_len = 0;
        }

        (void) ngx_thread_mutex_unlock(&w->mutex, log);

        if (len == 0) {
            return;
        }

        if (ngx_http_posko_flush_batch(w, len) != NGX_OK) {
            w->failed_to = end;
            return;
        }

        (void) ngx_thread_mutex_lock(&w->mutex, log);
        w->durable = end;
        (void) ngx_thread_mutex_unlock(&w->mutex, log);

        one = 1;

        if (write(ngx_http_posko_notify_fd, &one, sizeof(one)) == -1) {
            /* the counter is full or the fd gone: the task's end answers */
        }
    }
}


/* Writes w->batch (len bytes) durably, or closes the segment. */

static ngx_int_t
ngx_http_posko_flush_batch(ngx_http_posko_writer_t *w, size_t len)
{
    time_t  now;

    now = time(NULL);

    if (w->fd != NGX_INVALID_FILE
        && w->size > POSKO_WAL_HEADER_SIZE
        && (w->size + (off_t) len > w->segment_size
            || now - w->opened_at >= w->segment_age))
    {
        ngx_http_posko_segment_seal(w);
    }

    if (w->fd == NGX_INVALID_FILE
        && ngx_http_posko_segment_open(w, len) != NGX_OK)
    {
        return NGX_ERROR;
    }

    posko_wal_checksum(w->batch, len, w->seed);

    if (w->size + (off_t) len > w->allocated && !w->no_room) {
        ngx_http_posko_preallocate(w, w->size + (off_t) len);
    }

    if (ngx_http_posko_pwrite_all(w->fd, w->batch, len, w->size) != NGX_OK) {
        w->err = ngx_errno;
        w->failed = "write()";
        goto failed;
    }

    if (w->sync && fdatasync(w->fd) == -1) {
        w->err = ngx_errno;
        w->failed = "fdatasync()";
        goto failed;
    }

    w->size += len;
    w->allocated = ngx_max(w->allocated, w->size);

    return NGX_OK;

failed:

    /*
     * The batch is answered 503: cut off what of it reached the file, so
     * that a client who sends it again does not leave two complaints.  At
     * worst the cut is lost in a crash and ingest loads a record whose
     * sender was told to retry.
     */

    (void) ftruncate(w->fd, w->size);
    (void) close(w->fd);
    w->fd = NGX_INVALID_FILE;

    return NGX_ERROR;
}


/* A full or old segment: mark it as finished, then let it go. */

static void
ngx_http_posko_segment_seal(ngx_http_posko_writer_t *w)
{
    u_char  seal[POSKO_WAL_FRAME_SIZE];

    posko_wal_frame(seal, POSKO_REC_SEAL, 0, w->seed);

    if (ngx_http_posko_pwrite_all(w->fd, seal, sizeof(seal), w->size)
        == NGX_OK
        && ftruncate(w->fd, w->size + sizeof(seal)) == 0)
    {
        (void) fdatasync(w->fd);
    }

    (void) close(w->fd);
    w->fd = NGX_INVALID_FILE;
}


static ngx_int_t
ngx_http_posko_segment_open(ngx_http_posko_writer_t *w, size_t len)
{
    u_char               *p;
    ngx_fd_t              fd, dfd;
    uint64_t              salt;
    struct timeval        tv;
    posko_wal_segment_t   seg;
    u_char                header[POSKO_WAL_HEADER_SIZE];

    w->sequence++;

    p = ngx_snprintf(w->path, NGX_MAX_PATH - 1, "%V/%V-%P-%uL-%06uL%s",
                     &w->dir, &ngx_http_posko_node, ngx_pid,
                     ngx_http_posko_start_us, w->sequence, POSKO_WAL_SUFFIX);
    *p = '\0';

    if (getrandom(&salt, sizeof(salt), 0) != sizeof(salt)) {
        salt = ngx_http_posko_start_us ^ (w->sequence << 40) ^ ngx_pid;
    }

    (void) gettimeofday(&tv, NULL);

    ngx_memzero(&seg, sizeof(posko_wal_segment_t));
    seg.salt = salt;
    seg.sequence = w->sequence;
    seg.created_us = (uint64_t) tv.tv_sec * 1000000 + tv.tv_usec;
    seg.writer_pid = (uint32_t) ngx_pid;
    seg.writer_start = ngx_http_posko_start_us;
    ngx_memcpy(seg.node, ngx_http_posko_node.data,
               ngx_min(ngx_http_posko_node.len, POSKO_WAL_NODE_MAX));

    posko_wal_header_encode(header, &seg);

    fd = open((char *) w->path, O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0640);

    if (fd == NGX_INVALID_FILE) {
        w->err = ngx_errno;
        w->failed = "open()";
        return NGX_ERROR;
    }

    w->fd = fd;
    w->seed = posko_wal_seed(&seg);
    w->size = POSKO_WAL_HEADER_SIZE;
    w->allocated = POSKO_WAL_HEADER_SIZE;
    w->no_room = 0;
    w->opened_at = tv.tv_sec;

    if (ngx_http_posko_pwrite_all(fd, header, POSKO_WAL_HEADER_SIZE, 0)
        != NGX_OK)
    {
        w->err = ngx_errno;
        w->failed = "write() of the header";
        goto unlink;
    }

    ngx_http_posko_preallocate(w, w->size + (off_t) len);

    if (fsync(fd) == -1) {
        w->err = ngx_errno;
        w->failed = "fsync() of the new segment";
        goto unlink;
    }

    /* the new name must survive a crash before any record is acked */

    dfd = open((char *) w->dir_z, O_RDONLY|O_DIRECTORY|O_CLOEXEC);

    if (dfd == NGX_INVALID_FILE || fsync(dfd) == -1) {
        w->err = ngx_errno;
        w->failed = "fsync() of the directory";

        if (dfd != NGX_INVALID_FILE) {
            (void) close(dfd);
        }

        goto failed;
    }

    (void) close(dfd);

    return NGX_OK;

unlink:

    /* a segment that never held a record: leave no empty file behind */

    (void) unlink((char *) w->path);

failed:

    (void) close(fd);
    w->fd = NGX_INVALID_FILE;

    return NGX_ERROR;
}


/*
 * Writes zeros from w->allocated (never below the records) to a megabyte
 * boundary past end, within the segment size.  Best effort: if the disk
 * has no room for them, the file is cut back to its records, batches
 * extend it as they go, and this segment is not preallocated again.
 */

static void
ngx_http_posko_preallocate(ngx_http_posko_writer_t *w, off_t end)
{
    off_t   target;
    size_t  n;

    target = end + NGX_HTTP_POSKO_PREALLOCATE;
    target -= target % NGX_HTTP_POSKO_PREALLOCATE;
    target = ngx_min(target, ngx_max(w->segment_size, end));

    w->allocated = ngx_max(w->allocated, w->size);

    while (w->allocated < target) {
        n = (size_t) ngx_min(target - w->allocated,
                             (off_t) sizeof(ngx_http_posko_zeros));

        if (ngx_http_posko_pwrite_all(w->fd, ngx_http_posko_zeros, n,
                                      w->allocated)
            != NGX_OK)
        {
            (void) ftruncate(w->fd, w->size);
            w->allocated = w->size;
            w->no_room = 1;
            return;
        }

        w->allocated += n;
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


/* The flusher's task has ended: it ran out of work, or a batch failed. */

static void
ngx_http_posko_flush_done(ngx_event_t *ev)
{
    ngx_http_posko_writer_t *w = ev->data;

    size_t      pending;
    ngx_uint_t  level, n;

    w->running = 0;

    ngx_http_posko_answer_durable(w);

    if (w->failed) {
        n = ngx_http_posko_answer_upto(w, w->failed_to, NGX_ERROR);

        /* once per incident: the first failure, then quiet until recovery */

        level = w->failures ? NGX_LOG_INFO : NGX_LOG_CRIT;

        ngx_log_error(level, w->log, w->err,
                      "posko: %s of WAL segment \"%s\" failed; %ui "
                      "submissions answered 503, the segment is closed",
                      w->failed, w->path, n);

        w->failures++;
        w->failed = NULL;
    }

    (void) ngx_thread_mutex_lock(&w->mutex, w->log);
    pending = w->pending_len;
    (void) ngx_thread_mutex_unlock(&w->mutex, w->log);

    if (pending) {
        ngx_http_posko_flush_post(w);
    }

    ngx_http_posko_guard_update(w);
}


/* The eventfd: some flusher has made more of its log durable. */

static void
ngx_http_posko_notified(ngx_event_t *ev)
{
    uint64_t                   count;
    ngx_uint_t                 i;
    ngx_connection_t          *c;
    ngx_http_posko_writer_t  **w;

    c = ev->data;

    while (read(c->fd, &count, sizeof(count)) == sizeof(count)) {
        /* drain */
    }

    w = ngx_http_posko_writers->elts;

    for (i = 0; i < ngx_http_posko_writers->nelts; i++) {
        ngx_http_posko_answer_durable(w[i]);
        ngx_http_posko_guard_update(w[i]);
    }
}


static void
ngx_http_posko_answer_durable(ngx_http_posko_writer_t *w)
{
    uint64_t  durable;

    (void) ngx_thread_mutex_lock(&w->mutex, w->log);
    durable = w->durable;
    (void) ngx_thread_mutex_unlock(&w->mutex, w->log);

    ngx_http_posko_answer_upto(w, durable, NGX_OK);
}


/* Answers, in order, every waiting request whose record ends by end. */

static ngx_uint_t
ngx_http_posko_answer_upto(ngx_http_posko_writer_t *w, uint64_t end,
    ngx_int_t rc)
{
    ngx_uint_t              n;
    ngx_queue_t            *x;
    ngx_http_request_t     *r;
    ngx_http_posko_wait_t  *wait;

    n = 0;

    while (!ngx_queue_empty(&w->waiting)) {
        x = ngx_queue_head(&w->waiting);
        wait = ngx_queue_data(x, ngx_http_posko_wait_t, queue);

        if (wait->end > end) {
            break;
        }

        if (rc == NGX_OK && w->failures) {
            ngx_log_error(NGX_LOG_NOTICE, w->log, 0,
                          "posko: WAL writes to \"%V\" work again after %ui "
                          "failed batches", &w->dir, w->failures);
            w->failures = 0;
        }

        ngx_queue_remove(x);

        r = wait->request;
        r->main->blocked--;

        wait->handler(r, rc);
        n++;
    }

    return n;
}


/* Keeps a quitting worker alive while it owes answers. */

static void
ngx_http_posko_guard_update(ngx_http_posko_writer_t *w)
{
    if (w->running || !ngx_queue_empty(&w->waiting)) {
        if (!w->guard.timer_set) {
            ngx_add_timer(&w->guard, 1000);
        }

    } else if (w->guard.timer_set) {
        ngx_del_timer(&w->guard);
    }
}


static void
ngx_http_posko_guard_handler(ngx_event_t *ev)
{
    ngx_http_posko_writer_t *w = ev->data;

    if (w->running || !ngx_queue_empty(&w->waiting)) {
        ngx_add_timer(ev, 1000);
    }
}

