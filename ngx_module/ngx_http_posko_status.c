
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
 * optional comment.  That answer (POST, include/posko_feedback.h) is
 * ngx_http_posko_answer.c's.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <sqlite3.h>

#include "ngx_http_posko.h"
#include "posko_isotime.h"
#include "posko_kode.h"


#define NGX_HTTP_POSKO_STATUS_EVENTS  16
#define NGX_HTTP_POSKO_NOTE_MAX       600
#define NGX_HTTP_POSKO_WAS            (3 * 3600)  /* Asia/Riyadh, no DST */

/* the statements of ngx_http_posko_status_queries */
#define NGX_HTTP_POSKO_Q_COMPLAINT    0
#define NGX_HTTP_POSKO_Q_EVENTS       1


typedef struct {
    char                       aksi[24];
    char                       at[32];
    char                       note[NGX_HTTP_POSKO_NOTE_MAX + 1];
} ngx_http_posko_event_t;


/* One lookup: filled in a thread, answered on the event loop. */

typedef struct {
    ngx_http_posko_lookup_t    base;
    char                       kode[POSKO_KODE_LEN + 1];
    ngx_uint_t                 found;
    char                       status[24];
    char                       received[32];
    char                       updated[32];
    char                       solved[32];
    ngx_uint_t                 asks;       /* feedback wanted */
    ngx_uint_t                 nevents;
    ngx_http_posko_event_t     event[NGX_HTTP_POSKO_STATUS_EVENTS];
} ngx_http_posko_status_lookup_t;


typedef struct {
    char                      *name;
    char                      *label;
    char                      *label_en;
    char                      *text;
} ngx_http_posko_state_t;


static ngx_int_t ngx_http_posko_status_handler(ngx_http_request_t *r);
static char *ngx_http_posko_status_merge(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_http_posko_loc_conf_t *prev,
    ngx_http_posko_loc_conf_t *conf);
static ngx_int_t ngx_http_posko_status_get(ngx_http_request_t *r);
static ngx_int_t ngx_http_posko_status_ask(ngx_http_request_t *r);
static ngx_int_t ngx_http_posko_status_mistyped(ngx_http_request_t *r,
    int why);
static void ngx_http_posko_status_read(void *data,
    ngx_http_posko_reader_t *rd);
static void ngx_http_posko_status_events(ngx_http_posko_status_lookup_t *lk,
    ngx_http_posko_reader_t *rd);
static ngx_int_t ngx_http_posko_status_done(ngx_http_request_t *r,
    void *data);
static u_char *ngx_http_posko_status_json(u_char *p,
    ngx_http_posko_status_lookup_t *lk, ngx_http_posko_state_t *st);
static u_char *ngx_http_posko_status_html(u_char *p,
    ngx_http_posko_status_lookup_t *lk, ngx_http_posko_state_t *st);
static u_char *ngx_http_posko_local_time(u_char *p, const char *iso);
static ngx_http_posko_state_t *ngx_http_posko_state(const char *name);
static char *ngx_http_posko_event_label(const char *aksi);


ngx_http_posko_endpoint_t  ngx_http_posko_status_endpoint = {
    "posko_status",
    ngx_http_posko_status_handler,
    ngx_http_posko_answer_process,
    NULL,
    ngx_http_posko_status_merge,
    1
};


/*
 * Public notes only: what the team wrote when it found a complaint not
 * factual, solved or closed it, and what the pilgrim answered.
 */

static ngx_http_posko_queries_t  ngx_http_posko_status_queries = {
    0, 2, {
        "SELECT status, received_at, updated_at, solved_at,"
        " dinilai_at FROM complaints WHERE kode = ?1",

        "SELECT aksi, at, CASE WHEN aksi IN ('tidak_faktual',"
        " 'selesai', 'tutup', 'dikonfirmasi', 'dibuka_kembali')"
        " THEN catatan END FROM events WHERE kode = ?1"
        " ORDER BY at, id"
    }
};


/* What the statements' rows hold, by column. */

static ngx_http_posko_column_t  ngx_http_posko_status_columns[] = {
    ngx_http_posko_column(ngx_http_posko_status_lookup_t, status, 0),
    ngx_http_posko_column(ngx_http_posko_status_lookup_t, received, 1),
    ngx_http_posko_column(ngx_http_posko_status_lookup_t, updated, 2),
    ngx_http_posko_column(ngx_http_posko_status_lookup_t, solved, 3),
    { 0, 0, 0 }
};


static ngx_http_posko_column_t  ngx_http_posko_event_columns[] = {
    ngx_http_posko_column(ngx_http_posko_event_t, aksi, 0),
    ngx_http_posko_column(ngx_http_posko_event_t, at, 1),
    ngx_http_posko_column(ngx_http_posko_event_t, note, 2),
    { 0, 0, 0 }
};


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


/* The pilgrim's answer to a solved complaint: its own fields. */

static char *
ngx_http_posko_status_merge(ngx_conf_t *cf, ngx_http_posko_main_conf_t *pmcf,
    ngx_http_posko_loc_conf_t *prev, ngx_http_posko_loc_conf_t *conf)
{
    conf->rules = ngx_http_posko_feedback_rules(cf, pmcf, conf->own_rules);
    if (conf->rules == NULL) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_posko_status_handler(ngx_http_request_t *r)
{
    if (r->method & NGX_HTTP_POST) {
        /* the pilgrim's answer: read and checked like a submission */
        return ngx_http_posko_read_form(r);
    }

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return ngx_http_posko_reply_not_allowed(r, "GET, HEAD, POST",
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
    int                              rc;
    ngx_str_t                        typed;
    ngx_thread_task_t               *task;
    ngx_http_posko_loc_conf_t       *plcf;
    ngx_http_posko_status_lookup_t  *lk;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    /* a status is the pilgrim's own business: no cache keeps it */

    if (ngx_http_posko_no_store(r) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_posko_arg(r, "kode", &typed) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (typed.len == 0) {
        return ngx_http_posko_status_ask(r);
    }

    if (typed.len > 64) {
        return ngx_http_posko_status_mistyped(r, POSKO_KODE_BAD_LEN);
    }

    task = ngx_thread_task_alloc(r->pool,
                                 sizeof(ngx_http_posko_status_lookup_t));
    if (task == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    lk = task->ctx;

    rc = posko_kode_normalize((char *) typed.data, typed.len, lk->kode);
    if (rc != POSKO_KODE_OK) {
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "posko status: code refused (%d)", rc);
        return ngx_http_posko_status_mistyped(r, rc);
    }

    lk->base.queries = &ngx_http_posko_status_queries;
    lk->base.read = ngx_http_posko_status_read;
    lk->base.done = ngx_http_posko_status_done;

    if (ngx_http_posko_lookup_post(r, plcf, task) != NGX_DONE) {
        return ngx_http_posko_reply_unavailable(r);
    }

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

    return ngx_http_posko_reply_page(r, NGX_HTTP_OK, page,
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

    return ngx_http_posko_reply_page(r, NGX_HTTP_BAD_REQUEST, body,
                                      p - body);
}


/* -- in a thread of the pool ---------------------------------------------- */

static void
ngx_http_posko_status_read(void *data, ngx_http_posko_reader_t *rd)
{
    ngx_http_posko_status_lookup_t *lk = data;

    int                      rc;
    sqlite3_stmt            *st;
    const unsigned char     *rated;

    st = ngx_http_posko_reader_stmt(rd, NGX_HTTP_POSKO_Q_COMPLAINT);
    sqlite3_bind_text(st, 1, lk->kode, POSKO_KODE_LEN, SQLITE_STATIC);

    rc = sqlite3_step(st);

    if (rc == SQLITE_ROW) {
        lk->found = 1;
        ngx_http_posko_reader_row(st, lk, ngx_http_posko_status_columns);

        /* asked once a complaint is solved, until the pilgrim answered */

        rated = sqlite3_column_text(st, 4);
        lk->asks = ngx_strcmp(lk->status, "selesai") == 0
                   && (rated == NULL
                       || ngx_strcmp(rated, (u_char *) lk->solved) < 0);

    } else if (rc != SQLITE_DONE) {
        lk->base.rc = NGX_ERROR;
        ngx_cpystrn((u_char *) lk->base.error,
                    (u_char *) ngx_http_posko_reader_errmsg(rd),
                    sizeof(lk->base.error));
    }

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);

    if (lk->found) {
        ngx_http_posko_status_events(lk, rd);
    }
}


/* The complaint's events, oldest first, public notes only. */

static void
ngx_http_posko_status_events(ngx_http_posko_status_lookup_t *lk,
    ngx_http_posko_reader_t *rd)
{
    sqlite3_stmt            *st;
    ngx_http_posko_event_t  *ev;

    st = ngx_http_posko_reader_stmt(rd, NGX_HTTP_POSKO_Q_EVENTS);
    sqlite3_bind_text(st, 1, lk->kode, POSKO_KODE_LEN, SQLITE_STATIC);

    while (lk->nevents < NGX_HTTP_POSKO_STATUS_EVENTS
           && sqlite3_step(st) == SQLITE_ROW)
    {
        ev = &lk->event[lk->nevents++];
        ngx_http_posko_reader_row(st, ev, ngx_http_posko_event_columns);
    }

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}


/* -- back on the event loop ----------------------------------------------- */

static ngx_int_t
ngx_http_posko_status_done(ngx_http_request_t *r, void *data)
{
    ngx_http_posko_status_lookup_t *lk = data;

    u_char                  *p, *body;
    size_t                   len;
    ngx_http_posko_state_t  *st;

    if (lk->base.rc != NGX_OK) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "posko_db \"%s\" cannot be read: %s", lk->base.db,
                      lk->base.error);

        return ngx_http_posko_reply_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                   "Status laporan belum dapat dilihat. Coba lagi beberapa "
                   "saat lagi.",
                   "The status cannot be shown right now. Try again in a "
                   "moment.");
    }

    st = ngx_http_posko_state(lk->found ? lk->status : "menunggu_diproses");

    /* room for either answer, every note escaped at its worst */

    len = 4096 + lk->nevents * (256 + 6 * NGX_HTTP_POSKO_NOTE_MAX);

    body = ngx_pnalloc(r->pool, len);
    if (body == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_posko_wants_json(r)) {
        p = ngx_http_posko_status_json(body, lk, st);
        return ngx_http_posko_send_json(r, NGX_HTTP_OK, body, p);
    }

    p = ngx_http_posko_status_html(body, lk, st);

    return ngx_http_posko_reply_page(r, NGX_HTTP_OK, body, p - body);
}


/* The status for programs, written at p. */

static u_char *
ngx_http_posko_status_json(u_char *p, ngx_http_posko_status_lookup_t *lk,
    ngx_http_posko_state_t *st)
{
    char                    *updated;
    ngx_uint_t               i;
    ngx_http_posko_event_t  *ev;

    p = ngx_sprintf(p, "{\"kode\":\"%s\",\"status\":\"%s\","
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

    return ngx_cpymem(p, "}\n", 2);
}


/* The status page's main part, written at p. */

static u_char *
ngx_http_posko_status_html(u_char *p, ngx_http_posko_status_lookup_t *lk,
    ngx_http_posko_state_t *st)
{
    ngx_uint_t               i;
    ngx_http_posko_event_t  *ev;

    p = ngx_sprintf(p, "<main><h1>Status laporan</h1>"
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

    return ngx_cpymem(p, "<p><a href=\"?\">Lihat kode lain</a></p></main>",
                      sizeof("<p><a href=\"?\">Lihat kode lain</a></p>"
                             "</main>") - 1);
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

    t = (time_t) posko_days_from_civil(y, mo, d) * 86400
        + h * 3600 + mi * 60 + NGX_HTTP_POSKO_WAS;

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
