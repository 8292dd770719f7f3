
/*
 * Copyright (C) posko developers
 *
 * posko_status: the pilgrim's status page.
 *
 * GET ?kode=CODE answers with the complaint's status, its times and its
 * public notes, read from the database that posko_db names, in a thread
 * of the pool: SQLite never blocks the event loop.  Programs that send
 * "Accept: application/json" get JSON.  A code that fails its check
 * character is called mistyped; a well-formed code that is not in the
 * database yet is said to be received and waiting, which is all that can
 * be told without telling whether the code exists.  The page shows
 * nothing personal and nothing about any other complaint.
 *
 * Once a complaint is solved the page asks the pilgrim whether it really
 * is (ya or tidak), with a 1-5 rating of how it was handled and an
 * optional comment.  That answer (POST, include/posko_feedback.h) goes
 * through the WAL and group commit like a submission; ingest applies it.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <pthread.h>
#include <sqlite3.h>

#include "ngx_http_posko.h"
#include "posko_feedback.h"
#include "posko_kode.h"
#include "posko_wal.h"


#define NGX_HTTP_POSKO_STATUS_EVENTS  16
#define NGX_HTTP_POSKO_NOTE_MAX       600
#define NGX_HTTP_POSKO_WAS            (3 * 3600)  /* Asia/Riyadh, no DST */


typedef struct {
    char                       aksi[24];
    char                       at[32];
    char                       note[NGX_HTTP_POSKO_NOTE_MAX + 1];
} ngx_http_posko_event_t;


/* One lookup: filled in a thread, answered on the event loop. */

typedef struct {
    ngx_http_request_t        *request;
    u_char                    *db;         /* the path, NUL-terminated */
    char                       kode[POSKO_KODE_LEN + 1];
    ngx_int_t                  found;      /* 1, 0, or NGX_ERROR */
    char                       status[24];
    char                       received[32];
    char                       updated[32];
    char                       solved[32];
    ngx_uint_t                 asks;       /* feedback wanted */
    ngx_uint_t                 nevents;
    ngx_http_posko_event_t     event[NGX_HTTP_POSKO_STATUS_EVENTS];
    char                       error[160];
} ngx_http_posko_lookup_t;


/* A pool thread's own read-only connection, kept between lookups. */

typedef struct {
    u_char                    *path;
    sqlite3                   *db;
    sqlite3_stmt              *begin;
    sqlite3_stmt              *complaint;
    sqlite3_stmt              *events;
    sqlite3_stmt              *commit;
} ngx_http_posko_reader_t;


typedef struct {
    char                      *name;
    char                      *label;
    char                      *label_en;
    char                      *text;
} ngx_http_posko_state_t;


static ngx_int_t ngx_http_posko_status_get(ngx_http_request_t *r);
static ngx_int_t ngx_http_posko_status_ask(ngx_http_request_t *r);
static ngx_int_t ngx_http_posko_status_mistyped(ngx_http_request_t *r,
    int why);
static void ngx_http_posko_lookup_thread(void *data, ngx_log_t *log);
static ngx_http_posko_reader_t *ngx_http_posko_reader(u_char *path,
    char *error, size_t size);
static void ngx_http_posko_reader_free(void *data);
static void ngx_http_posko_reader_key_make(void);
static void ngx_http_posko_lookup_done(ngx_event_t *ev);
static ngx_int_t ngx_http_posko_status_reply(ngx_http_request_t *r,
    ngx_http_posko_lookup_t *lk);
static ngx_int_t ngx_http_posko_status_json(ngx_http_request_t *r,
    ngx_http_posko_lookup_t *lk, ngx_http_posko_state_t *st);
static ngx_int_t ngx_http_posko_status_html(ngx_http_request_t *r,
    ngx_http_posko_lookup_t *lk, ngx_http_posko_state_t *st);
static ngx_int_t ngx_http_posko_status_page(ngx_http_request_t *r,
    ngx_uint_t status, u_char *body, size_t len);
static u_char *ngx_http_posko_local_time(u_char *p, const char *iso);
static ngx_http_posko_state_t *ngx_http_posko_state(const char *name);
static char *ngx_http_posko_event_label(const char *aksi);
static void ngx_http_posko_feedback_stored(ngx_http_request_t *r,
    ngx_int_t rc);


static pthread_key_t   ngx_http_posko_reader_key;
static pthread_once_t  ngx_http_posko_reader_once = PTHREAD_ONCE_INIT;
static ngx_int_t       ngx_http_posko_reader_key_ok;


static ngx_http_posko_state_t  ngx_http_posko_states[] = {

    { "menunggu_diproses", "Diterima, menunggu diproses",
      "Received, waiting to be processed",
      "Laporan dengan kode ini sudah kami terima dan akan tampil di sini "
      "dalam beberapa menit." },

    { "diterima", "Diterima", "Received",
      "Laporan Anda sudah kami terima dan menunggu diperiksa petugas." },

    { "verifikasi", "Sedang diverifikasi", "Being verified",
      "Petugas sedang memeriksa laporan Anda di lapangan." },

    { "faktual", "Terverifikasi: faktual", "Verified: factual",
      "Laporan Anda terbukti dan akan ditindaklanjuti." },

    { "tidak_faktual", "Terverifikasi: tidak faktual",
      "Verified: not factual",
      "Petugas tidak menemukan hal yang dilaporkan di lapangan." },

    { "ditindaklanjuti", "Sedang ditindaklanjuti", "Being acted on",
      "Unit petugas sedang menangani laporan Anda." },

    { "selesai", "Selesai", "Solved",
      "Laporan Anda sudah diselesaikan." },

    { "ditutup", "Ditutup", "Closed",
      "Laporan ini ditutup, misalnya karena sama dengan laporan lain." },

    { NULL, NULL, NULL, NULL }
};


static char *ngx_http_posko_event_labels[][2] = {
    { "mulai_verifikasi", "Verifikasi dimulai" },
    { "faktual", "Dinyatakan faktual" },
    { "tidak_faktual", "Dinyatakan tidak faktual" },
    { "tugaskan", "Diteruskan ke unit petugas" },
    { "tindakan", "Tindakan dilakukan" },
    { "selesai", "Diselesaikan" },
    { "tutup", "Ditutup" },
    { "dikonfirmasi", "Jemaah menyatakan sudah selesai" },
    { "dibuka_kembali", "Jemaah menyatakan belum selesai; dibuka kembali" },
    { NULL, NULL }
};


ngx_int_t
ngx_http_posko_status_handler(ngx_http_request_t *r)
{
    ngx_str_t  allow = ngx_string("GET, HEAD, POST");

    if (r->method & NGX_HTTP_POST) {
        /* the pilgrim's answer: read and checked like a submission */
        return ngx_http_posko_handler(r);
    }

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        if (ngx_http_discard_request_body(r) != NGX_OK
            || ngx_http_posko_add_header(r, "Allow", &allow) == NULL)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return ngx_http_posko_reply_error(r, NGX_HTTP_NOT_ALLOWED,
                   "Metode tidak diizinkan; buka halaman ini dengan GET.",
                   "Method not allowed; open this page with GET.");
    }

    if (ngx_http_discard_request_body(r) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_posko_status_get(r);
}


static ngx_int_t
ngx_http_posko_status_get(ngx_http_request_t *r)
{
    int                         rc;
    u_char                     *dst, *src, *typed;
    size_t                      len;
    ngx_str_t                   arg, no_store = ngx_string("no-store");
    ngx_uint_t                  i;
    ngx_thread_task_t          *task;
    ngx_http_posko_lookup_t    *lk;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    /* a status is the pilgrim's own business: no cache keeps it */

    if (ngx_http_posko_add_header(r, "Cache-Control", &no_store) == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_arg(r, (u_char *) "kode", 4, &arg) != NGX_OK
        || arg.len == 0)
    {
        return ngx_http_posko_status_ask(r);
    }

    if (arg.len > 64) {
        return ngx_http_posko_status_mistyped(r, POSKO_KODE_BAD_LEN);
    }

    /* a form's GET: "+" is a space, then %XX */

    typed = ngx_pnalloc(r->pool, arg.len);
    if (typed == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    for (i = 0; i < arg.len; i++) {
        typed[i] = (arg.data[i] == '+') ? ' ' : arg.data[i];
    }

    src = typed;
    dst = typed;
    ngx_unescape_uri(&dst, &src, arg.len, NGX_UNESCAPE_URI);
    len = dst - typed;

    task = ngx_thread_task_alloc(r->pool, sizeof(ngx_http_posko_lookup_t));
    if (task == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    lk = task->ctx;

    rc = posko_kode_normalize((char *) typed, len, lk->kode);
    if (rc != POSKO_KODE_OK) {
        return ngx_http_posko_status_mistyped(r, rc);
    }

    lk->request = r;
    lk->db = plcf->db.data;

    task->handler = ngx_http_posko_lookup_thread;
    task->event.handler = ngx_http_posko_lookup_done;
    task->event.data = lk;

    if (ngx_thread_task_post(plcf->thread_pool, task) != NGX_OK) {
        return ngx_http_posko_reply_unavailable(r);
    }

    /* the request stays until the thread has answered */

    r->main->count++;
    r->main->blocked++;

    return NGX_DONE;
}


/* The page without a code: a field to type one. */

static ngx_int_t
ngx_http_posko_status_ask(ngx_http_request_t *r)
{
    static u_char  page[] =
        "<main><h1>Status laporan</h1>"
        "<p>Ketik kode pelacakan dari tanda terima laporan Anda.</p>"
        "<form method=\"get\"><label for=\"kode\">Kode pelacakan</label> "
        "<input id=\"kode\" name=\"kode\" required autocomplete=\"off\" "
        "autocapitalize=\"characters\" placeholder=\"XXXX-XXXX-XXXX\" "
        "size=\"16\"> <button>Lihat status</button></form>"
        "<p lang=\"en\">Type the tracking code from your receipt.</p>"
        "</main>";

    if (ngx_http_posko_wants_json(r)) {
        return ngx_http_posko_reply_error(r, NGX_HTTP_BAD_REQUEST,
                   "Kode pelacakan wajib diisi: ?kode=XXXX-XXXX-XXXX.",
                   "The tracking code is required: ?kode=XXXX-XXXX-XXXX.");
    }

    return ngx_http_posko_status_page(r, NGX_HTTP_OK, page,
                                      sizeof(page) - 1);
}


static ngx_int_t
ngx_http_posko_status_mistyped(ngx_http_request_t *r, int why)
{
    u_char  *p, *body;
    char    *id, *en;

    if (why == POSKO_KODE_BAD_CHECK) {
        id = "Kode ini tampaknya salah ketik: huruf pemeriksanya tidak "
             "cocok. Periksa kembali kode pada tanda terima Anda.";
        en = "This code seems mistyped: its check character does not "
             "match. Check the code on your receipt.";

    } else {
        id = "Ini bukan kode pelacakan posko. Kode terdiri dari 12 huruf "
             "dan angka, misalnya 7K3M-9QXR-2B4D.";
        en = "This is not a posko tracking code. A code has 12 letters and "
             "digits, for example 7K3M-9QXR-2B4D.";
    }

    if (ngx_http_posko_wants_json(r)) {
        return ngx_http_posko_reply_error(r, NGX_HTTP_BAD_REQUEST, id, en);
    }

    body = ngx_pnalloc(r->pool, 1024);
    if (body == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_slprintf(body, body + 1024,
                     "<main><h1>Kode tidak dikenali</h1><p>%s</p>"
                     "<p lang=\"en\">%s</p>"
                     "<p><a href=\"?\">Ketik kode lagi</a></p></main>",
                     id, en);

    return ngx_http_posko_status_page(r, NGX_HTTP_BAD_REQUEST, body,
                                      p - body);
}


/* -- in a thread of the pool ------------------------------------------------ */

static void
ngx_http_posko_lookup_thread(void *data, ngx_log_t *log)
{
    ngx_http_posko_lookup_t *lk = data;

    int                       rc;
    sqlite3_stmt             *st;
    const unsigned char      *rated;
    ngx_http_posko_event_t   *ev;
    ngx_http_posko_reader_t  *rd;

    rd = ngx_http_posko_reader(lk->db, lk->error, sizeof(lk->error));
    if (rd == NULL) {
        lk->found = NGX_ERROR;
        return;
    }

    /* both reads from one snapshot, and one shared lock instead of two */

    (void) sqlite3_step(rd->begin);
    sqlite3_reset(rd->begin);

    st = rd->complaint;
    sqlite3_bind_text(st, 1, lk->kode, POSKO_KODE_LEN, SQLITE_STATIC);

    rc = sqlite3_step(st);

    if (rc == SQLITE_ROW) {
        lk->found = 1;
        ngx_http_posko_copy_text(lk->status, sizeof(lk->status),
                                 sqlite3_column_text(st, 0));
        ngx_http_posko_copy_text(lk->received, sizeof(lk->received),
                                 sqlite3_column_text(st, 1));
        ngx_http_posko_copy_text(lk->updated, sizeof(lk->updated),
                                 sqlite3_column_text(st, 2));
        ngx_http_posko_copy_text(lk->solved, sizeof(lk->solved),
                                 sqlite3_column_text(st, 3));

        /* asked once a complaint is solved, until the pilgrim answered */

        rated = sqlite3_column_text(st, 4);
        lk->asks = ngx_strcmp(lk->status, "selesai") == 0
                   && (rated == NULL
                       || ngx_strcmp(rated, (u_char *) lk->solved) < 0);

    } else if (rc == SQLITE_DONE) {
        lk->found = 0;

    } else {
        lk->found = NGX_ERROR;
        ngx_cpystrn((u_char *) lk->error,
                    (u_char *) sqlite3_errmsg(rd->db), sizeof(lk->error));
    }

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);

    if (lk->found != 1) {
        (void) sqlite3_step(rd->commit);
        sqlite3_reset(rd->commit);
        return;
    }

    st = rd->events;
    sqlite3_bind_text(st, 1, lk->kode, POSKO_KODE_LEN, SQLITE_STATIC);

    while (lk->nevents < NGX_HTTP_POSKO_STATUS_EVENTS
           && sqlite3_step(st) == SQLITE_ROW)
    {
        ev = &lk->event[lk->nevents++];

        ngx_http_posko_copy_text(ev->aksi, sizeof(ev->aksi),
                                 sqlite3_column_text(st, 0));
        ngx_http_posko_copy_text(ev->at, sizeof(ev->at),
                                 sqlite3_column_text(st, 1));
        ngx_http_posko_copy_text(ev->note, sizeof(ev->note),
                                 sqlite3_column_text(st, 2));
    }

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);

    (void) sqlite3_step(rd->commit);
    sqlite3_reset(rd->commit);
}


/*
 * The thread's connection to path, opened read-only on first use and
 * kept; its statements prepared once.  Public notes only: what the team
 * wrote when it found a complaint not factual, solved or closed it, and
 * what the pilgrim answered.
 */

static ngx_http_posko_reader_t *
ngx_http_posko_reader(u_char *path, char *error, size_t size)
{
    ngx_http_posko_reader_t  *rd;

    if (pthread_once(&ngx_http_posko_reader_once,
                     ngx_http_posko_reader_key_make) != 0
        || !ngx_http_posko_reader_key_ok)
    {
        ngx_cpystrn((u_char *) error, (u_char *) "no thread key", size);
        return NULL;
    }

    rd = pthread_getspecific(ngx_http_posko_reader_key);

    if (rd != NULL && rd->path == path) {
        return rd;
    }

    if (rd != NULL) {
        /* another posko_db at this location: start again */
        ngx_http_posko_reader_free(rd);
        (void) pthread_setspecific(ngx_http_posko_reader_key, NULL);
    }

    rd = calloc(1, sizeof(ngx_http_posko_reader_t));
    if (rd == NULL) {
        ngx_cpystrn((u_char *) error, (u_char *) "out of memory", size);
        return NULL;
    }

    rd->path = path;

    if (sqlite3_open_v2((char *) path, &rd->db,
                        SQLITE_OPEN_READONLY|SQLITE_OPEN_NOMUTEX, NULL)
        != SQLITE_OK
        || sqlite3_busy_timeout(rd->db, 2000) != SQLITE_OK
        || sqlite3_prepare_v3(rd->db, "BEGIN", -1, SQLITE_PREPARE_PERSISTENT,
                              &rd->begin, NULL)
           != SQLITE_OK
        || sqlite3_prepare_v3(rd->db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT,
                              &rd->commit, NULL)
           != SQLITE_OK
        || sqlite3_prepare_v3(rd->db,
               "SELECT status, received_at, updated_at, solved_at,"
               " dinilai_at FROM complaints WHERE kode = ?1",
               -1, SQLITE_PREPARE_PERSISTENT, &rd->complaint, NULL)
           != SQLITE_OK
        || sqlite3_prepare_v3(rd->db,
               "SELECT aksi, at, CASE WHEN aksi IN ('tidak_faktual',"
               " 'selesai', 'tutup', 'dikonfirmasi', 'dibuka_kembali')"
               " THEN catatan END FROM events WHERE kode = ?1"
               " ORDER BY at, id",
               -1, SQLITE_PREPARE_PERSISTENT, &rd->events, NULL)
           != SQLITE_OK)
    {
        ngx_cpystrn((u_char *) error,
                    (u_char *) (rd->db ? sqlite3_errmsg(rd->db)
                                       : "out of memory"), size);
        ngx_http_posko_reader_free(rd);
        return NULL;
    }

    if (pthread_setspecific(ngx_http_posko_reader_key, rd) != 0) {
        ngx_cpystrn((u_char *) error, (u_char *) "no thread key", size);
        ngx_http_posko_reader_free(rd);
        return NULL;
    }

    return rd;
}


/* Closes a thread's connection when the thread ends. */

static void
ngx_http_posko_reader_free(void *data)
{
    ngx_http_posko_reader_t *rd = data;

    sqlite3_finalize(rd->begin);
    sqlite3_finalize(rd->complaint);
    sqlite3_finalize(rd->events);
    sqlite3_finalize(rd->commit);
    sqlite3_close(rd->db);
    free(rd);
}


static void
ngx_http_posko_reader_key_make(void)
{
    ngx_http_posko_reader_key_ok =
        (pthread_key_create(&ngx_http_posko_reader_key,
                            ngx_http_posko_reader_free) == 0);
}


/* Text into a fixed room, cut at a character's start, never mid-UTF-8. */

void
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


/* -- back on the event loop ----------------------------------------------------- */

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

    if (lk->found == NGX_ERROR) {
        ngx_log_error(NGX_LOG_ERR, c->log, 0,
                      "posko_db \"%s\" cannot be read: %s", lk->db,
                      lk->error);
        rc = ngx_http_posko_reply_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                 "Status laporan belum dapat dilihat. Coba lagi beberapa "
                 "saat lagi.",
                 "The status cannot be shown right now. Try again in a "
                 "moment.");

    } else {
        rc = ngx_http_posko_status_reply(r, lk);
    }

    ngx_http_finalize_request(r, rc);
    ngx_http_run_posted_requests(c);
}


static ngx_int_t
ngx_http_posko_status_reply(ngx_http_request_t *r,
    ngx_http_posko_lookup_t *lk)
{
    ngx_http_posko_state_t  *st;

    st = ngx_http_posko_state(lk->found ? lk->status : "menunggu_diproses");

    if (ngx_http_posko_wants_json(r)) {
        return ngx_http_posko_status_json(r, lk, st);
    }

    return ngx_http_posko_status_html(r, lk, st);
}


static ngx_int_t
ngx_http_posko_status_json(ngx_http_request_t *r,
    ngx_http_posko_lookup_t *lk, ngx_http_posko_state_t *st)
{
    char                    *updated;
    u_char                  *p, *body;
    size_t                   len;
    ngx_uint_t               i;
    ngx_str_t                out;
    ngx_http_posko_event_t  *ev;

    len = 1024 + lk->nevents * (128 + 6 * NGX_HTTP_POSKO_NOTE_MAX);

    body = ngx_pnalloc(r->pool, len);
    if (body == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_sprintf(body, "{\"kode\":\"%s\",\"status\":\"%s\","
                    "\"status_label\":\"%s\",\"status_label_en\":\"%s\","
                    "\"keterangan\":\"%s\"",
                    lk->kode, st->name, st->label, st->label_en, st->text);

    if (lk->found) {
        /* from the database: escaped like any stored text */

        p = ngx_cpymem(p, ",\"diterima\":", sizeof(",\"diterima\":") - 1);
        p = ngx_http_posko_json_string(p, (u_char *) lk->received,
                                       ngx_strlen(lk->received));
        p = ngx_cpymem(p, ",\"diperbarui\":",
                       sizeof(",\"diperbarui\":") - 1);
        updated = lk->updated[0] ? lk->updated : lk->received;
        p = ngx_http_posko_json_string(p, (u_char *) updated,
                                       ngx_strlen(updated));

        if (lk->solved[0]) {
            p = ngx_cpymem(p, ",\"selesai\":", sizeof(",\"selesai\":") - 1);
            p = ngx_http_posko_json_string(p, (u_char *) lk->solved,
                                           ngx_strlen(lk->solved));
        }

        p = ngx_sprintf(p, ",\"penilaian_diminta\":%s,\"riwayat\":[",
                        lk->asks ? "true" : "false");

        for (i = 0; i < lk->nevents; i++) {
            ev = &lk->event[i];

            if (i) {
                *p++ = ',';
            }

            p = ngx_cpymem(p, "{\"aksi\":", sizeof("{\"aksi\":") - 1);
            p = ngx_http_posko_json_string(p, (u_char *) ev->aksi,
                                           ngx_strlen(ev->aksi));
            p = ngx_cpymem(p, ",\"at\":", 6);
            p = ngx_http_posko_json_string(p, (u_char *) ev->at,
                                           ngx_strlen(ev->at));

            if (ev->note[0]) {
                p = ngx_cpymem(p, ",\"catatan\":", 11);
                p = ngx_http_posko_json_string(p, (u_char *) ev->note,
                                               ngx_strlen(ev->note));
            }

            *p++ = '}';
        }

        *p++ = ']';
    }

    p = ngx_cpymem(p, "}\n", 2);

    out.data = body;
    out.len = p - body;

    return ngx_http_posko_send(r, NGX_HTTP_OK, &ngx_http_posko_json_type,
                               &out);
}


static ngx_int_t
ngx_http_posko_status_html(ngx_http_request_t *r,
    ngx_http_posko_lookup_t *lk, ngx_http_posko_state_t *st)
{
    u_char                  *p, *body;
    size_t                   len;
    ngx_uint_t               i;
    ngx_http_posko_event_t  *ev;

    len = 4096 + lk->nevents * (256 + 6 * NGX_HTTP_POSKO_NOTE_MAX);

    body = ngx_pnalloc(r->pool, len);
    if (body == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_sprintf(body, "<main><h1>Status laporan</h1>"
                    "<p class=\"kode\">Kode <strong>%s</strong></p>"
                    "<p class=\"status status-%s\"><strong>%s</strong> "
                    "<span lang=\"en\">(%s)</span></p><p>%s</p>",
                    lk->kode, st->name, st->label, st->label_en, st->text);

    if (lk->found) {
        p = ngx_cpymem(p, "<h2>Riwayat</h2><ol class=\"riwayat\">"
                       "<li>Laporan diterima <time>",
                       sizeof("<h2>Riwayat</h2><ol class=\"riwayat\">"
                              "<li>Laporan diterima <time>") - 1);
        p = ngx_http_posko_local_time(p, lk->received);
        p = ngx_cpymem(p, "</time></li>", sizeof("</time></li>") - 1);

        for (i = 0; i < lk->nevents; i++) {
            ev = &lk->event[i];

            p = ngx_sprintf(p, "<li>%s <time>",
                            ngx_http_posko_event_label(ev->aksi));
            p = ngx_http_posko_local_time(p, ev->at);
            p = ngx_cpymem(p, "</time>", sizeof("</time>") - 1);

            if (ev->note[0]) {
                p = ngx_cpymem(p, "<br><q>", sizeof("<br><q>") - 1);
                p = (u_char *) ngx_escape_html(p, (u_char *) ev->note,
                                               ngx_strlen(ev->note));
                p = ngx_cpymem(p, "</q>", sizeof("</q>") - 1);
            }

            p = ngx_cpymem(p, "</li>", sizeof("</li>") - 1);
        }

        p = ngx_cpymem(p, "</ol>", sizeof("</ol>") - 1);
    }

    if (lk->asks) {
        p = ngx_sprintf(p,
            "<h2>Apakah laporan Anda benar-benar sudah selesai?</h2>"
            "<form method=\"post\" class=\"penilaian\">"
            "<input type=\"hidden\" name=\"kode\" value=\"%s\">"
            "<fieldset><legend>Sudah selesai?</legend>"
            "<label><input type=\"radio\" name=\"puas\" value=\"ya\" "
            "required> Ya, sudah selesai</label> "
            "<label><input type=\"radio\" name=\"puas\" value=\"tidak\"> "
            "Belum, masalahnya masih ada</label></fieldset>"
            "<fieldset><legend>Bagaimana penanganannya? (1 buruk, 5 sangat "
            "baik)</legend>"
            "<label><input type=\"radio\" name=\"rating\" value=\"1\" "
            "required> 1</label> "
            "<label><input type=\"radio\" name=\"rating\" value=\"2\"> 2"
            "</label> "
            "<label><input type=\"radio\" name=\"rating\" value=\"3\"> 3"
            "</label> "
            "<label><input type=\"radio\" name=\"rating\" value=\"4\"> 4"
            "</label> "
            "<label><input type=\"radio\" name=\"rating\" value=\"5\"> 5"
            "</label></fieldset>"
            "<label for=\"komentar\">Komentar (boleh dikosongkan)</label>"
            "<textarea id=\"komentar\" name=\"komentar\" rows=\"3\" "
            "maxlength=\"1000\"></textarea>"
            "<button>Kirim penilaian</button></form>", lk->kode);
    }

    p = ngx_cpymem(p, "<p><a href=\"?\">Lihat kode lain</a></p></main>",
                   sizeof("<p><a href=\"?\">Lihat kode lain</a></p></main>")
                   - 1);

    return ngx_http_posko_status_page(r, NGX_HTTP_OK, body, p - body);
}


/* The page around a body: the same light frame as the form's pages. */

static ngx_int_t
ngx_http_posko_status_page(ngx_http_request_t *r, ngx_uint_t status,
    u_char *body, size_t len)
{
    static u_char  head[] =
        "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\"><title>Status laporan - posko</title><style>"
        "body{font-family:sans-serif;max-width:36em;margin:0 auto;"
        "padding:1em;line-height:1.5;color:#222}"
        ".status{font-size:1.3em}.status-selesai{color:#17734f}"
        ".status-menunggu_diproses,.status-diterima{color:#555}"
        "ol.riwayat{padding-left:1.2em}time{color:#555;font-size:.9em}"
        "fieldset{border:1px solid #ccc;margin:.8em 0}"
        ".penilaian fieldset:first-of-type label{display:block;"
        "padding:.3em 0}"
        ".penilaian input[type=radio]{width:1.2em;height:1.2em}"
        "textarea{width:100%;box-sizing:border-box}"
        "button{font-size:1em;padding:.5em 1em;margin-top:.6em}"
        "input[name=kode]{font-size:1.1em;text-transform:uppercase}"
        "</style></head><body>";
    static u_char  tail[] = "</body></html>\n";

    u_char     *p;
    ngx_str_t   page;

    page.len = sizeof(head) - 1 + len + sizeof(tail) - 1;
    page.data = ngx_pnalloc(r->pool, page.len);
    if (page.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_cpymem(page.data, head, sizeof(head) - 1);
    p = ngx_cpymem(p, body, len);
    ngx_memcpy(p, tail, sizeof(tail) - 1);

    return ngx_http_posko_send(r, status, &ngx_http_posko_html_type, &page);
}


/* "2026-06-15T11:05:00.000Z" as "15-06-2026 14:05 WAS" (UTC+3). */

static u_char *
ngx_http_posko_local_time(u_char *p, const char *iso)
{
    ngx_tm_t    tm;
    ngx_int_t   y, mo, d, h, mi;
    time_t      t;

    if (ngx_strlen(iso) < 16) {
        return ngx_cpymem(p, "-", 1);
    }

    y = ngx_atoi((u_char *) iso, 4);
    mo = ngx_atoi((u_char *) iso + 5, 2);
    d = ngx_atoi((u_char *) iso + 8, 2);
    h = ngx_atoi((u_char *) iso + 11, 2);
    mi = ngx_atoi((u_char *) iso + 14, 2);

    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23
        || mi < 0 || mi > 59)
    {
        return ngx_cpymem(p, "-", 1);
    }

    /* days since 1970 of a civil date (March-based years) */

    if (mo <= 2) {
        y--;
    }

    t = (time_t) (365 * y + y / 4 - y / 100 + y / 400
                  + (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
                  - 719468);
    t = t * 86400 + h * 3600 + mi * 60 + NGX_HTTP_POSKO_WAS;

    ngx_gmtime(t, &tm);

    return ngx_sprintf(p, "%02d-%02d-%4d %02d:%02d WAS",
                       tm.ngx_tm_mday, tm.ngx_tm_mon, tm.ngx_tm_year,
                       tm.ngx_tm_hour, tm.ngx_tm_min);
}


static ngx_http_posko_state_t *
ngx_http_posko_state(const char *name)
{
    ngx_http_posko_state_t  *st;

    for (st = ngx_http_posko_states; st->name; st++) {
        if (ngx_strcmp(st->name, name) == 0) {
            return st;
        }
    }

    /* a status this module does not know: shown as received */
    return &ngx_http_posko_states[1];
}


static char *
ngx_http_posko_event_label(const char *aksi)
{
    ngx_uint_t  i;

    for (i = 0; ngx_http_posko_event_labels[i][0]; i++) {
        if (ngx_strcmp(ngx_http_posko_event_labels[i][0], aksi) == 0) {
            return ngx_http_posko_event_labels[i][1];
        }
    }

    return "Diperbarui";
}


/* -- the pilgrim's answer ------------------------------------------------------- */

ngx_int_t
ngx_http_posko_feedback_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form)
{
    u_char                *rec, *p;
    size_t                 len;
    ngx_str_t             *v;
    ngx_uint_t             i;
    ngx_http_posko_ctx_t  *ctx;
    u_char                 kode[POSKO_KODE_LEN + 1];
    u_char                 at[NGX_HTTP_POSKO_ISO_SIZE];

    v = form->value;

    if (form->error[POSKO_FB_KODE] == POSKO_ERR_NONE
        && v[POSKO_FB_KODE].len
        && posko_kode_normalize((char *) v[POSKO_FB_KODE].data,
                                v[POSKO_FB_KODE].len, (char *) kode)
           != POSKO_KODE_OK)
    {
        form->error[POSKO_FB_KODE] = POSKO_ERR_KODE;
        form->nerrors++;
    }

    if (form->nerrors) {
        return ngx_http_posko_reply_invalid(r, form);
    }

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);
    ngx_memcpy(ctx->kode, kode, sizeof(kode));
    ctx->aksi = v[POSKO_FB_PUAS];

    ngx_http_posko_time_iso(at);

    len = posko_wal_field_size(sizeof("kode") - 1, POSKO_KODE_LEN)
          + posko_wal_field_size(sizeof("at") - 1, sizeof(at) - 1);

    for (i = POSKO_FB_PUAS; i < POSKO_FB_COUNT; i++) {
        if (v[i].len) {
            len += posko_wal_field_size(ngx_strlen(posko_feedback_fields[i]
                                                   .name), v[i].len);
        }
    }

    rec = ngx_pnalloc(r->pool, POSKO_WAL_FRAME_SIZE + len);
    if (rec == NULL) {
        return ngx_http_posko_reply_unavailable(r);
    }

    p = rec + POSKO_WAL_FRAME_SIZE;
    p = posko_wal_field_put(p, "kode", sizeof("kode") - 1, kode,
                            POSKO_KODE_LEN);

    for (i = POSKO_FB_PUAS; i < POSKO_FB_COUNT; i++) {
        if (v[i].len) {
            p = posko_wal_field_put(p, posko_feedback_fields[i].name,
                                    ngx_strlen(posko_feedback_fields[i].name),
                                    v[i].data, v[i].len);
        }
    }

    p = posko_wal_field_put(p, "at", sizeof("at") - 1, at, sizeof(at) - 1);

    posko_wal_frame_unsummed(rec, POSKO_REC_FEEDBACK, (uint32_t) len);

    ctx->wait.handler = ngx_http_posko_feedback_stored;

    if (ngx_http_posko_wal_append(r, plcf, &ctx->wait, rec,
                                  POSKO_WAL_FRAME_SIZE + len)
        != NGX_OK)
    {
        return ngx_http_posko_reply_unavailable(r);
    }

    return NGX_DONE;
}


static void
ngx_http_posko_feedback_stored(ngx_http_request_t *r, ngx_int_t rc)
{
    u_char                *p, *body;
    ngx_str_t              out;
    ngx_http_posko_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);

    if (rc != NGX_OK) {
        ngx_http_finalize_request(r, ngx_http_posko_reply_unavailable(r));
        return;
    }

    body = ngx_pnalloc(r->pool, 1024);
    if (body == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    if (ngx_http_posko_wants_json(r)) {
        p = ngx_sprintf(body, "{\"kode\":\"%s\",\"puas\":\"%V\"}\n",
                        ctx->kode, &ctx->aksi);
        out.data = body;
        out.len = p - body;

        ngx_http_finalize_request(r, ngx_http_posko_send(r,
                                         NGX_HTTP_CREATED,
                                         &ngx_http_posko_json_type, &out));
        return;
    }

    p = ngx_sprintf(body, "<main><h1>Terima kasih</h1>"
                    "<p>Penilaian Anda untuk laporan <strong>%s</strong> "
                    "sudah kami terima.%s</p>"
                    "<p lang=\"en\">Thank you: your answer was received.</p>"
                    "<p><a href=\"?kode=%s\">Kembali ke status laporan</a>"
                    "</p></main>",
                    ctx->kode,
                    ctx->aksi.len == 5
                        ? " Tim kami akan menindaklanjuti laporan Anda "
                          "kembali."
                        : "",
                    ctx->kode);

    ngx_http_finalize_request(r, ngx_http_posko_status_page(r, NGX_HTTP_OK,
                                                            body, p - body));
}
