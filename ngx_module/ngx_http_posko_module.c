
/*
 * Copyright (C) posko developers
 *
 * ngx_http_posko_module: takes a pilgrim's form POST, checks it against
 * the form rules of include/posko_form.h, gives it a tracking code and
 * appends it as one CRC32C-framed record to this worker's write-ahead log
 * segment (include/posko_wal.h).  It answers only after fdatasync(), so a
 * tracking code in the pilgrim's hand means the record is on disk.
 *
 * The module never opens the database; `posko ingest` loads the log.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <sys/random.h>

#include "ngx_http_posko.h"
#include "posko_kode.h"
#include "posko_multipart.h"
#include "posko_page.h"
#include "posko_followup.h"
#include "posko_wal.h"


#define NGX_HTTP_POSKO_FORM_TYPE  "application/x-www-form-urlencoded"
#define NGX_HTTP_POSKO_MULTIPART  "multipart/form-data"

/* more name=value pairs than any honest form sends */
#define NGX_HTTP_POSKO_MAX_PAIRS    256




static ngx_int_t ngx_http_posko_discard_body(ngx_http_request_t *r);
static void ngx_http_posko_body_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_posko_process(ngx_http_request_t *r);
static ngx_int_t ngx_http_posko_read_body(ngx_http_request_t *r,
    ngx_str_t *body);
static ngx_int_t ngx_http_posko_form_init(ngx_http_request_t *r,
    ngx_http_posko_form_t *form);
static ngx_int_t ngx_http_posko_parse_urlencoded(ngx_http_request_t *r,
    ngx_str_t *body, ngx_http_posko_form_t *form);
static ngx_int_t ngx_http_posko_parse_multipart(ngx_http_request_t *r,
    ngx_str_t *body, ngx_http_posko_form_t *form);
static void ngx_http_posko_too_many(ngx_http_posko_form_t *form);
static void ngx_http_posko_form_add(ngx_http_request_t *r,
    ngx_http_posko_form_t *form, u_char *name, size_t name_len,
    u_char *value, ssize_t value_len);
static void ngx_http_posko_form_finish(ngx_http_request_t *r,
    ngx_http_posko_form_t *form);
static ngx_int_t ngx_http_posko_make_kode(ngx_http_request_t *r,
    u_char *kode);
static ngx_table_elt_t *ngx_http_posko_header(ngx_http_request_t *r,
    char *name, size_t len);
static ngx_int_t ngx_http_posko_wants_english(ngx_http_request_t *r);
static ngx_int_t ngx_http_posko_reply_form_page(ngx_http_request_t *r,
    ngx_http_posko_form_t *form, ngx_str_t *id, ngx_str_t *en);
static ngx_int_t ngx_http_posko_field_message(ngx_http_request_t *r,
    ngx_http_posko_rule_t *rule, posko_err_t err, ngx_uint_t en,
    ngx_str_t *out);
static u_char *ngx_http_posko_json_errors(u_char *p, ngx_array_t *rules,
    ngx_http_posko_form_t *form, ngx_str_t *message);
static void ngx_http_posko_stored(ngx_http_request_t *r, ngx_int_t rc);
static ngx_int_t ngx_http_posko_reply_created(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, u_char *kode);

static void *ngx_http_posko_create_main_conf(ngx_conf_t *cf);
static char *ngx_http_posko_init_main_conf(ngx_conf_t *cf, void *conf);
static void *ngx_http_posko_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_posko_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_posko_wal(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_posko_intake(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_posko_followup(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_posko_status(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_posko_open311(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_posko_form_page(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static ngx_int_t ngx_http_posko_init_process(ngx_cycle_t *cycle);
static void ngx_http_posko_exit_process(ngx_cycle_t *cycle);


static ngx_command_t  ngx_http_posko_commands[] = {

    { ngx_string("posko_wal"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_posko_wal,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_intake"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_posko_intake,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_followup"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_posko_followup,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_status"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_posko_status,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_open311"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_posko_open311,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_open311_api_key"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_posko_open311_api_key,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_db"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, db),
      NULL },

    { ngx_string("posko_officer"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_set_complex_value_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, officer),
      NULL },

    { ngx_string("posko_field"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_posko_field,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_form_page"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_posko_form_page,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_node"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_posko_main_conf_t, node),
      NULL },

    { ngx_string("posko_max_body"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, max_body),
      NULL },

    { ngx_string("posko_wal_segment_size"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_off_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, segment_size),
      NULL },

    { ngx_string("posko_wal_segment_age"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, segment_age),
      NULL },

    { ngx_string("posko_wal_sync"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, sync),
      NULL },

    { ngx_string("posko_thread_pool"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, thread_pool_name),
      NULL },

    { ngx_string("posko_secret"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, secret),
      NULL },

    { ngx_string("posko_thanks"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, thanks),
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_posko_module_ctx = {
    NULL,                                  /* preconfiguration */
    NULL,                                  /* postconfiguration */

    ngx_http_posko_create_main_conf,       /* create main configuration */
    ngx_http_posko_init_main_conf,         /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_posko_create_loc_conf,        /* create location configuration */
    ngx_http_posko_merge_loc_conf          /* merge location configuration */
};


ngx_module_t  ngx_http_posko_module = {
    NGX_MODULE_V1,
    &ngx_http_posko_module_ctx,            /* module context */
    ngx_http_posko_commands,               /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_posko_init_process,           /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_posko_exit_process,           /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


ngx_str_t  ngx_http_posko_html_type =
    ngx_string("text/html; charset=utf-8");
ngx_str_t  ngx_http_posko_json_type =
    ngx_string("application/json; charset=utf-8");



ngx_int_t
ngx_http_posko_handler(ngx_http_request_t *r)
{
    int                         mp;
    ngx_int_t                   rc;
    ngx_str_t                   allow = ngx_string("POST");
    ngx_table_elt_t            *ct;
    ngx_http_posko_ctx_t       *ctx;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    if (!(r->method & NGX_HTTP_POST)) {
        if (ngx_http_posko_discard_body(r) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (ngx_http_posko_add_header(r, "Allow", &allow) == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return ngx_http_posko_reply_error(r, NGX_HTTP_NOT_ALLOWED,
                   "Metode tidak diizinkan; kirim formulir dengan POST.",
                   "Method not allowed; send the form with POST.");
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_posko_ctx_t));
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_http_set_ctx(r, ctx, ngx_http_posko_module);

    ct = r->headers_in.content_type;
    mp = POSKO_MP_NOT_MULTIPART;

    if (ct != NULL
        && ct->value.len >= sizeof(NGX_HTTP_POSKO_FORM_TYPE) - 1
        && ngx_strncasecmp(ct->value.data,
                           (u_char *) NGX_HTTP_POSKO_FORM_TYPE,
                           sizeof(NGX_HTTP_POSKO_FORM_TYPE) - 1) == 0
        && (ct->value.len == sizeof(NGX_HTTP_POSKO_FORM_TYPE) - 1
            || ct->value.data[sizeof(NGX_HTTP_POSKO_FORM_TYPE) - 1] == ';'
            || ct->value.data[sizeof(NGX_HTTP_POSKO_FORM_TYPE) - 1] == ' '))
    {
        mp = POSKO_MP_OK;

    } else if (ct != NULL) {
        mp = posko_multipart_boundary(ct->value.data, ct->value.len,
                                      &ctx->boundary, &ctx->boundary_len);
    }

    if (mp != POSKO_MP_OK) {
        if (ngx_http_posko_discard_body(r) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (mp != POSKO_MP_NOT_MULTIPART) {
            return ngx_http_posko_reply_error(r, NGX_HTTP_BAD_REQUEST,
                       "Batas (boundary) multipart pada Content-Type "
                       "tidak ada atau tidak sah.",
                       "The multipart boundary in Content-Type is missing "
                       "or invalid.");
        }

        return ngx_http_posko_reply_error(r,
                   NGX_HTTP_UNSUPPORTED_MEDIA_TYPE,
                   "Jenis isi tidak didukung; gunakan "
                   NGX_HTTP_POSKO_FORM_TYPE " atau "
                   NGX_HTTP_POSKO_MULTIPART ".",
                   "Unsupported content type; use "
                   NGX_HTTP_POSKO_FORM_TYPE " or "
                   NGX_HTTP_POSKO_MULTIPART ".");
    }

    if (r->headers_in.content_length_n < 0 && !r->headers_in.chunked) {
        return ngx_http_posko_reply_error(r, NGX_HTTP_LENGTH_REQUIRED,
                   "Panjang isi (Content-Length) wajib disebutkan.",
                   "Content-Length is required.");
    }

    /*
     * Too large: refused from its length, except over HTTP/2, where a
     * stream answered before its body was taken makes some clients report
     * a framing error instead of the answer; there the body is read (up
     * to client_max_body_size) and refused after.
     */

    if (r->headers_in.content_length_n > (off_t) plcf->max_body
#if (NGX_HTTP_V2)
        && r->stream == NULL
#endif
       )
    {
        if (ngx_http_posko_discard_body(r) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return ngx_http_posko_reply_error(r,
                   NGX_HTTP_REQUEST_ENTITY_TOO_LARGE,
                   "Isi formulir terlalu besar.",
                   "The form body is too large.");
    }

    rc = ngx_http_read_client_request_body(r, ngx_http_posko_body_handler);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


/*
 * A request refused from its headers alone.  Its body is read and dropped
 * so that the connection can take the next request; but a client that
 * waits for "100 Continue" is never invited to send a body that is already
 * refused: it gets the answer, and the connection closes after it.
 */

static ngx_int_t
ngx_http_posko_discard_body(ngx_http_request_t *r)
{
    ngx_table_elt_t  *h;

    h = ngx_http_posko_header(r, "Expect", sizeof("Expect") - 1);

    if (h != NULL && r->http_version >= NGX_HTTP_VERSION_11) {
        r->expect_tested = 1;
        r->keepalive = 0;
        r->lingering_close = 1;
        return NGX_OK;
    }

    return ngx_http_discard_request_body(r);
}


static void
ngx_http_posko_body_handler(ngx_http_request_t *r)
{
    ngx_int_t  rc;

    rc = ngx_http_posko_process(r);

    if (rc == NGX_DONE) {
        /* waits for the WAL; ngx_http_posko_stored() finalizes */
        return;
    }

    ngx_http_finalize_request(r, rc);
}


static ngx_int_t
ngx_http_posko_process(ngx_http_request_t *r)
{
    u_char                     *rec, *p;
    size_t                      len;
    ngx_int_t                   rc;
    ngx_str_t                   body;
    ngx_uint_t                  i;
    ngx_http_posko_ctx_t       *ctx;
    ngx_http_posko_form_t       form;
    ngx_http_posko_rule_t      *rule;
    ngx_http_posko_loc_conf_t  *plcf;
    u_char                      kode[POSKO_KODE_LEN + 1];
    u_char                      at[NGX_HTTP_POSKO_ISO_SIZE];

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    rc = ngx_http_posko_read_body(r, &body);

    if (rc == NGX_DECLINED) {
        return ngx_http_posko_reply_error(r,
                   NGX_HTTP_REQUEST_ENTITY_TOO_LARGE,
                   "Isi formulir terlalu besar.",
                   "The form body is too large.");
    }

    if (rc != NGX_OK) {
        return rc;
    }

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);

    if (ngx_http_posko_form_init(r, &form) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ctx->boundary) {
        rc = ngx_http_posko_parse_multipart(r, &body, &form);

    } else {
        rc = ngx_http_posko_parse_urlencoded(r, &body, &form);
    }

    if (rc != NGX_OK) {
        return rc;
    }

    if (form.refusal) {
        return ngx_http_posko_reply_error(r, NGX_HTTP_BAD_REQUEST,
                                          form.refusal, form.refusal_en);
    }

    ngx_http_posko_form_finish(r, &form);

    if (plcf->followup) {
        return ngx_http_posko_followup_process(r, plcf, &form);
    }

    if (plcf->open311) {
        return ngx_http_posko_open311_process(r, plcf, &form);
    }

    if (plcf->status) {
        return ngx_http_posko_feedback_process(r, plcf, &form);
    }

    if (form.nerrors) {
        return ngx_http_posko_reply_invalid(r, &form);
    }

    if (ngx_http_posko_make_kode(r, kode) != NGX_OK) {
        return ngx_http_posko_reply_error(r,
                   NGX_HTTP_SERVICE_UNAVAILABLE,
                   "Layanan sedang terganggu; coba lagi sebentar.",
                   "Service unavailable; try again shortly.");
    }

    ngx_http_posko_time_iso(at);

    len = posko_wal_field_size(sizeof("kode") - 1, POSKO_KODE_LEN)
          + posko_wal_field_size(sizeof("received_at") - 1, sizeof(at) - 1);

    rule = plcf->rules->elts;

    for (i = 0; i < plcf->rules->nelts; i++) {
        if (form.value[i].len) {
            len += posko_wal_field_size(rule[i].name.len, form.value[i].len);
        }
    }

    rec = ngx_pnalloc(r->pool, POSKO_WAL_FRAME_SIZE + len);
    if (rec == NULL) {
        return ngx_http_posko_reply_unavailable(r);
    }

    p = rec + POSKO_WAL_FRAME_SIZE;
    p = posko_wal_field_put(p, "kode", sizeof("kode") - 1,
                            kode, POSKO_KODE_LEN);
    p = posko_wal_field_put(p, "received_at", sizeof("received_at") - 1,
                            at, sizeof(at) - 1);

    for (i = 0; i < plcf->rules->nelts; i++) {
        if (form.value[i].len) {
            p = posko_wal_field_put(p, (char *) rule[i].name.data,
                                    rule[i].name.len,
                                    form.value[i].data, form.value[i].len);
        }
    }

    /* the checksum depends on the segment: the WAL writer adds it */

    posko_wal_frame_unsummed(rec, POSKO_REC_SUBMISSION, (uint32_t) len);

    /* the answer comes when the record is durable: ngx_http_posko_stored */

    ngx_memcpy(ctx->kode, kode, sizeof(kode));
    ctx->wait.handler = ngx_http_posko_stored;

    if (ngx_http_posko_wal_append(r, plcf, &ctx->wait, rec,
                                  POSKO_WAL_FRAME_SIZE + len)
        != NGX_OK)
    {
        return ngx_http_posko_reply_unavailable(r);
    }

    return NGX_DONE;
}


ngx_int_t
ngx_http_posko_reply_unavailable(ngx_http_request_t *r)
{
    return ngx_http_posko_reply_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
               "Laporan belum tersimpan karena gangguan server; "
               "silakan kirim ulang sebentar lagi.",
               "The report could not be stored; please resend it "
               "shortly.");
}


/* Called by the WAL writer once the record is on disk, or cannot be. */

static void
ngx_http_posko_stored(ngx_http_request_t *r, ngx_int_t rc)
{
    ngx_http_posko_ctx_t       *ctx;
    ngx_http_posko_loc_conf_t  *plcf;

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);
    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    if (rc == NGX_OK) {
        rc = ngx_http_posko_reply_created(r, plcf, ctx->kode);

    } else {
        rc = ngx_http_posko_reply_unavailable(r);
    }

    ngx_http_finalize_request(r, rc);
}


/*
 * Gathers the body into one buffer, reading what nginx spilled to disk.
 * NGX_DECLINED: larger than posko_max_body (a chunked body says its size
 * only at the end).
 */

static ngx_int_t
ngx_http_posko_read_body(ngx_http_request_t *r, ngx_str_t *body)
{
    u_char                     *p;
    off_t                       size;
    ssize_t                     n;
    ngx_buf_t                  *b;
    ngx_chain_t                *cl;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    ngx_str_null(body);

    if (r->request_body == NULL || r->request_body->bufs == NULL) {
        return NGX_OK;
    }

    size = 0;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        size += ngx_buf_size(cl->buf);
    }

    if (size > (off_t) plcf->max_body) {
        return NGX_DECLINED;
    }

    if (size == 0) {
        return NGX_OK;
    }

    body->data = ngx_pnalloc(r->pool, (size_t) size);
    if (body->data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = body->data;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        b = cl->buf;

        if (ngx_buf_in_memory(b)) {
            p = ngx_cpymem(p, b->pos, b->last - b->pos);
            continue;
        }

        if (b->in_file) {
            n = ngx_read_file(b->file, p, (size_t) (b->file_last - b->file_pos),
                              b->file_pos);

            if (n != (ssize_t) (b->file_last - b->file_pos)) {
                ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                              "posko: short read of request body file");
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            p += n;
        }
    }

    body->len = p - body->data;

    return NGX_OK;
}


static ngx_int_t
ngx_http_posko_form_init(ngx_http_request_t *r, ngx_http_posko_form_t *form)
{
    ngx_uint_t                  n;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    n = plcf->rules->nelts;

    form->nerrors = 0;
    form->english = ngx_http_posko_wants_english(r);
    form->refusal = NULL;
    form->refusal_en = NULL;

    form->value = ngx_pcalloc(r->pool, n * sizeof(ngx_str_t));
    form->error = ngx_pcalloc(r->pool, n * sizeof(posko_err_t));

    if (form->value == NULL || form->error == NULL) {
        return NGX_ERROR;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_posko_parse_urlencoded(ngx_http_request_t *r, ngx_str_t *body,
    ngx_http_posko_form_t *form)
{
    long            n, v;
    u_char         *buf;
    size_t          name_len, value_len;
    ngx_uint_t      pairs;
    const uint8_t  *p, *end, *raw_name, *raw_value;

    /* decoded text is never longer than the encoded text */

    buf = ngx_pnalloc(r->pool, body->len + 1);
    if (buf == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = body->data;
    end = body->data + body->len;
    pairs = 0;

    while (posko_form_next_pair(&p, end, &raw_name, &name_len,
                                &raw_value, &value_len))
    {
        if (++pairs > NGX_HTTP_POSKO_MAX_PAIRS) {
            ngx_http_posko_too_many(form);
            return NGX_OK;
        }

        n = posko_urldecode(buf, raw_name, name_len);
        if (n < 0) {
            /* a name nobody can read belongs to no field: ignored */
            continue;
        }

        v = posko_urldecode(buf + n, raw_value, value_len);

        ngx_http_posko_form_add(r, form, buf, n, buf + n, v);

        buf += n + (v > 0 ? v : 0);
    }

    return NGX_OK;
}


/*
 * multipart/form-data: text parts only.  A part that carries a file is
 * refused until attachments exist, except the empty one a browser sends
 * for a file input left alone.  Values are taken as sent, without
 * percent-decoding, and tidied like any other.
 */

static ngx_int_t
ngx_http_posko_parse_multipart(ngx_http_request_t *r, ngx_str_t *body,
    ngx_http_posko_form_t *form)
{
    int                    rc;
    u_char                *msg_id, *msg_en, *p;
    ngx_uint_t             pairs;
    posko_part_t           part;
    posko_multipart_t     *mp;
    ngx_http_posko_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);

    /* the parser keeps 8 KiB of header space: not for the stack */

    mp = ngx_palloc(r->pool, sizeof(posko_multipart_t));
    if (mp == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    posko_multipart_init(mp, body->data, body->len, ctx->boundary,
                         ctx->boundary_len);

    pairs = 0;

    while ((rc = posko_multipart_next(mp, &part)) == 1) {

        if (++pairs > NGX_HTTP_POSKO_MAX_PAIRS) {
            ngx_http_posko_too_many(form);
            return NGX_OK;
        }

        if (part.is_file) {
            if (part.value_len == 0
                && (part.filename == NULL || part.filename_len == 0))
            {
                continue;
            }

            form->refusal = "Lampiran berkas belum dapat diterima; kirim "
                            "laporan tanpa berkas.";
            form->refusal_en = "File attachments are not accepted yet; "
                               "send the report without a file.";
            return NGX_OK;
        }

        ngx_http_posko_form_add(r, form, (u_char *) part.name, part.name_len,
                                (u_char *) part.value, part.value_len);
    }

    if (rc == 0) {
        return NGX_OK;
    }

    msg_id = ngx_pnalloc(r->pool, 256);
    msg_en = ngx_pnalloc(r->pool, 256);
    if (msg_id == NULL || msg_en == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_snprintf(msg_id, 255, "Isi formulir multipart rusak (%s).",
                     posko_multipart_strerror(rc));
    *p = '\0';
    p = ngx_snprintf(msg_en, 255, "The multipart body is malformed: %s.",
                     posko_multipart_strerror(rc));
    *p = '\0';

    form->refusal = (char *) msg_id;
    form->refusal_en = (char *) msg_en;

    return NGX_OK;
}


static void
ngx_http_posko_too_many(ngx_http_posko_form_t *form)
{
    form->refusal = "Formulir berisi terlalu banyak isian.";
    form->refusal_en = "The form has too many fields.";
}


/*
 * Takes one decoded name and value (value_len -1 when it could not be
 * decoded).  Unknown fields, such as a submit button, are ignored; an
 * empty value counts as not given; a second value for a field is an error.
 */

static void
ngx_http_posko_form_add(ngx_http_request_t *r, ngx_http_posko_form_t *form,
    u_char *name, size_t name_len, u_char *value, ssize_t value_len)
{
    ngx_int_t                   f;
    posko_err_t                 err;
    ngx_http_posko_rule_t      *rule;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    f = ngx_http_posko_rule_find(plcf->rules, name, name_len);

    if (f == NGX_ERROR) {
        if (name_len == 4 && ngx_strncmp(name, "lang", 4) == 0
            && value_len >= 2 && ngx_strncasecmp(value, (u_char *) "en", 2)
                                 == 0)
        {
            form->english = 1;
        }

        /* where a follow-up's browser goes afterwards: checked there */

        if (name_len == 7 && ngx_strncmp(name, "kembali", 7) == 0
            && value_len > 0)
        {
            form->back.data = value;
            form->back.len = value_len;
        }

        /* the dashboard's token against forged follow-ups: checked there */

        if (name_len == 5 && ngx_strncmp(name, "token", 5) == 0
            && value_len > 0)
        {
            form->token.data = value;
            form->token.len = value_len;
        }

        return;
    }

    if (form->error[f] != POSKO_ERR_NONE) {
        return;
    }

    rule = (ngx_http_posko_rule_t *) plcf->rules->elts + f;

    if (value_len < 0) {
        err = POSKO_ERR_BAD_ENCODING;

    } else {
        value_len = posko_text_tidy(value, value_len);

        if (value_len == 0) {
            return;
        }

        if (form->value[f].len) {
            err = POSKO_ERR_REPEATED;

        } else {
            err = ngx_http_posko_rule_check(rule, value, value_len,
                                            r->connection->log);
        }
    }

    if (err != POSKO_ERR_NONE) {
        form->error[f] = err;
        form->nerrors++;

        /* what was typed goes back on the form page; never to the WAL */

        if (err != POSKO_ERR_REPEATED && err != POSKO_ERR_BAD_ENCODING) {
            form->value[f].data = value;
            form->value[f].len = value_len;
        }

        return;
    }

    form->value[f].data = value;
    form->value[f].len = value_len;
}


static void
ngx_http_posko_form_finish(ngx_http_request_t *r, ngx_http_posko_form_t *form)
{
    ngx_uint_t                  i;
    ngx_http_posko_rule_t      *rule;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    rule = plcf->rules->elts;

    for (i = 0; i < plcf->rules->nelts; i++) {
        if (rule[i].required
            && form->value[i].len == 0
            && form->error[i] == POSKO_ERR_NONE)
        {
            form->error[i] = POSKO_ERR_REQUIRED;
            form->nerrors++;
        }
    }
}


static ngx_int_t
ngx_http_posko_make_kode(ngx_http_request_t *r, u_char *kode)
{
    uint64_t    rnd;
    ngx_uint_t  tries;

    for (tries = 0; tries < 64; tries++) {
        if (ngx_http_posko_random(&rnd) != NGX_OK) {
            ngx_log_error(NGX_LOG_ALERT, r->connection->log, ngx_errno,
                          "posko: getrandom() failed");
            return NGX_ERROR;
        }

        if (posko_kode_from_random(rnd, (char *) kode) == POSKO_KODE_OK) {
            return NGX_OK;
        }
    }

    return NGX_ERROR;
}


/* Now, as the WAL stores times: UTC, ISO 8601 with milliseconds. */

void
ngx_http_posko_time_iso(u_char *at)
{
    ngx_tm_t     tm;
    ngx_time_t  *tp;

    tp = ngx_timeofday();
    ngx_gmtime(tp->sec, &tm);
    ngx_sprintf(at, "%4d-%02d-%02dT%02d:%02d:%02d.%03MZ",
                tm.ngx_tm_year, tm.ngx_tm_mon, tm.ngx_tm_mday,
                tm.ngx_tm_hour, tm.ngx_tm_min, tm.ngx_tm_sec, tp->msec);
}


/*
 * 64 random bits from the kernel, taken 4 KiB at a time: one system call
 * serves 512 tracking codes.  The event loop is the only caller; each
 * worker starts with an empty pool, so no two processes share bits.
 */

static uint64_t  ngx_http_posko_random_pool[512];
static size_t    ngx_http_posko_random_left;


ngx_int_t
ngx_http_posko_random(uint64_t *out)
{
    ssize_t    n;
    uint64_t  *pool = ngx_http_posko_random_pool;
    size_t    *left = &ngx_http_posko_random_left;

    if (*left == 0) {
        n = getrandom(pool, sizeof(ngx_http_posko_random_pool), 0);

        if (n < (ssize_t) sizeof(uint64_t)) {
            return NGX_ERROR;
        }

        *left = (size_t) n / sizeof(uint64_t);
    }

    (*left)--;
    *out = pool[*left];
    pool[*left] = 0;

    return NGX_OK;
}


static ngx_table_elt_t *
ngx_http_posko_header(ngx_http_request_t *r, char *name, size_t len)
{
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    part = &r->headers_in.headers.part;
    h = part->elts;

    for (i = 0; /* void */; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                return NULL;
            }

            part = part->next;
            h = part->elts;
            i = 0;
        }

        if (h[i].key.len == len
            && ngx_strncasecmp(h[i].key.data, (u_char *) name, len) == 0)
        {
            return &h[i];
        }
    }
}


ngx_int_t
ngx_http_posko_wants_json(ngx_http_request_t *r)
{
    ngx_table_elt_t  *h;

    h = ngx_http_posko_header(r, "Accept", sizeof("Accept") - 1);

    return h != NULL
           && ngx_strlcasestrn(h->value.data, h->value.data + h->value.len,
                               (u_char *) "application/json",
                               sizeof("application/json") - 2)
              != NULL;
}


/* English beside Indonesian when the client's first language is English */

static ngx_int_t
ngx_http_posko_wants_english(ngx_http_request_t *r)
{
    ngx_table_elt_t  *h;

    h = ngx_http_posko_header(r, "Accept-Language",
                              sizeof("Accept-Language") - 1);

    return h != NULL
           && h->value.len >= 2
           && ngx_strncasecmp(h->value.data, (u_char *) "en", 2) == 0
           && (h->value.len == 2 || h->value.data[2] == '-'
               || h->value.data[2] == ',' || h->value.data[2] == ';');
}


ngx_int_t
ngx_http_posko_reply_error(ngx_http_request_t *r, ngx_uint_t status,
    char *id, char *en)
{
    u_char                     *p;
    size_t                      len;
    ngx_str_t                   body;
    ngx_str_t                   retry = ngx_string(NGX_HTTP_POSKO_RETRY_AFTER);
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    if (plcf->open311) {
        /* the Open311 API answers every refusal with its error list */
        return ngx_http_posko_open311_error(r, status, id, en);
    }

    if (status == NGX_HTTP_SERVICE_UNAVAILABLE) {
        if (ngx_http_posko_add_header(r, "Retry-After", &retry) == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    /* worst case, every byte is escaped as \u00XX */

    len = sizeof("<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
                 "<meta name=\"viewport\" content=\"width=device-width\">"
                 "<title>Laporan belum terkirim</title></head><body>"
                 "<h1>Laporan belum terkirim</h1><p></p>"
                 "<p lang=\"en\"></p><p><a href=\"/\">Kembali ke formulir"
                 "</a></p></body></html>\n")
          + 6 * (ngx_strlen(id) + ngx_strlen(en)) + 64;

    body.data = ngx_pnalloc(r->pool, len);
    if (body.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_posko_wants_json(r)) {
        p = ngx_cpymem(body.data, "{\"error\":", sizeof("{\"error\":") - 1);
        p = ngx_http_posko_json_string(p, (u_char *) id, ngx_strlen(id));
        p = ngx_cpymem(p, ",\"error_en\":", sizeof(",\"error_en\":") - 1);
        p = ngx_http_posko_json_string(p, (u_char *) en, ngx_strlen(en));
        p = ngx_cpymem(p, "}\n", 2);
        body.len = p - body.data;

        return ngx_http_posko_send(r, status, &ngx_http_posko_json_type,
                                   &body);
    }

    /* the messages are our own constants: nothing here needs escaping */

    p = ngx_sprintf(body.data,
                    "<!DOCTYPE html><html lang=\"id\"><head>"
                    "<meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width\">"
                    "<title>Laporan belum terkirim</title></head><body>"
                    "<h1>Laporan belum terkirim</h1><p>%s</p>"
                    "<p lang=\"en\">%s</p><p><a href=\"/\">Kembali ke "
                    "formulir</a></p></body></html>\n", id, en);
    body.len = p - body.data;

    return ngx_http_posko_send(r, status, &ngx_http_posko_html_type, &body);
}


ngx_int_t
ngx_http_posko_reply_invalid(ngx_http_request_t *r,
    ngx_http_posko_form_t *form)
{
    u_char                     *p;
    size_t                      len;
    ngx_str_t                   body, *id, *en;
    ngx_uint_t                  i, n, json;
    ngx_http_posko_rule_t      *rule;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    json = ngx_http_posko_wants_json(r);
    rule = plcf->rules->elts;
    n = plcf->rules->nelts;

    id = ngx_pcalloc(r->pool, 2 * n * sizeof(ngx_str_t));
    if (id == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    en = id + n;

    len = 1024;

    for (i = 0; i < n; i++) {
        if (form->error[i] == POSKO_ERR_NONE) {
            continue;
        }

        if (ngx_http_posko_field_message(r, &rule[i], form->error[i], 0,
                                         &id[i])
            != NGX_OK
            || ngx_http_posko_field_message(r, &rule[i], form->error[i], 1,
                                            &en[i])
               != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        /* the worst escaping: \u00XX (6) in JSON, &quot; (6) in HTML */

        len += 64 + 6 * (2 * rule[i].name.len + id[i].len + en[i].len);
    }

    body.data = ngx_pnalloc(r->pool, len);
    if (body.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (json) {
        p = ngx_cpymem(body.data, "{\"errors\":",
                       sizeof("{\"errors\":") - 1);
        p = ngx_http_posko_json_errors(p, plcf->rules, form, id);
        p = ngx_cpymem(p, ",\"errors_en\":", sizeof(",\"errors_en\":") - 1);
        p = ngx_http_posko_json_errors(p, plcf->rules, form, en);
        p = ngx_cpymem(p, "}\n", 2);
        body.len = p - body.data;

        return ngx_http_posko_send(r, NGX_HTTP_BAD_REQUEST,
                                   &ngx_http_posko_json_type, &body);
    }

    if (plcf->form_page.len) {
        return ngx_http_posko_reply_form_page(r, form, id, en);
    }

    p = ngx_sprintf(body.data,
                    "<!DOCTYPE html><html lang=\"id\"><head>"
                    "<meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width\">"
                    "<title>Periksa kembali laporan Anda</title></head>"
                    "<body><h1>Periksa kembali laporan Anda</h1>"
                    "<p>Laporan belum terkirim karena:</p><ul>");

    for (i = 0; i < n; i++) {
        if (form->error[i] == POSKO_ERR_NONE) {
            continue;
        }

        p = ngx_cpymem(p, "<li>", 4);
        p = (u_char *) ngx_escape_html(p, id[i].data, id[i].len);

        if (form->english) {
            p = ngx_cpymem(p, "<br><span lang=\"en\">",
                           sizeof("<br><span lang=\"en\">") - 1);
            p = (u_char *) ngx_escape_html(p, en[i].data, en[i].len);
            p = ngx_cpymem(p, "</span>", 7);
        }

        p = ngx_cpymem(p, "</li>", 5);
    }

    p = ngx_sprintf(p, "</ul><p><a href=\"/\">Kembali ke formulir</a></p>"
                       "</body></html>\n");
    body.len = p - body.data;

    return ngx_http_posko_send(r, NGX_HTTP_BAD_REQUEST,
                               &ngx_http_posko_html_type, &body);
}


/*
 * The form page again (posko_form_page), with what the pilgrim typed in
 * every field and each message next to its field.
 */

static ngx_int_t
ngx_http_posko_reply_form_page(ngx_http_request_t *r,
    ngx_http_posko_form_t *form, ngx_str_t *id, ngx_str_t *en)
{
    u_char                     *p;
    size_t                      size;
    ngx_str_t                   body, summary, *msg;
    ngx_uint_t                  i, n;
    posko_page_field_t         *fields;
    ngx_http_posko_rule_t      *rule;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    rule = plcf->rules->elts;
    n = plcf->rules->nelts;

    fields = ngx_pcalloc(r->pool, n * sizeof(posko_page_field_t));
    msg = ngx_pcalloc(r->pool, n * sizeof(ngx_str_t));
    if (fields == NULL || msg == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    for (i = 0; i < n; i++) {
        fields[i].name = (char *) rule[i].name.data;
        fields[i].name_len = rule[i].name.len;
        fields[i].value = form->value[i].data;
        fields[i].value_len = form->value[i].len;

        if (form->error[i] == POSKO_ERR_NONE) {
            continue;
        }

        msg[i] = id[i];

        if (form->english) {
            msg[i].data = ngx_pnalloc(r->pool, id[i].len + en[i].len + 3);
            if (msg[i].data == NULL) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            p = ngx_sprintf(msg[i].data, "%V (%V)", &id[i], &en[i]);
            msg[i].len = p - msg[i].data;
        }

        fields[i].error = msg[i].data;
        fields[i].error_len = msg[i].len;
    }

    if (form->english) {
        ngx_str_set(&summary, "Laporan belum terkirim. Periksa isian "
                    "berikut, lalu kirim lagi. (Not sent yet: please check "
                    "these fields and send again.)");

    } else {
        ngx_str_set(&summary, "Laporan belum terkirim. Periksa isian "
                    "berikut, lalu kirim lagi.");
    }

    size = posko_page_render(plcf->form_page.data, plcf->form_page.len,
                             fields, n, summary.data, summary.len, NULL, 0);
    if (size == SIZE_MAX) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    body.data = ngx_pnalloc(r->pool, size);
    if (body.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    body.len = posko_page_render(plcf->form_page.data, plcf->form_page.len,
                                 fields, n, summary.data, summary.len,
                                 body.data, size);

    return ngx_http_posko_send(r, NGX_HTTP_BAD_REQUEST,
                               &ngx_http_posko_html_type, &body);
}


/*
 * The sentence for a refused field: the field's own message for a wrong
 * value when the configuration gives one, else its label (or, in English,
 * its name) and the generic reason.
 */

static ngx_int_t
ngx_http_posko_field_message(ngx_http_request_t *r,
    ngx_http_posko_rule_t *rule, posko_err_t err, ngx_uint_t en,
    ngx_str_t *out)
{
    u_char      *p;
    ngx_str_t   *own;
    const char  *reason;

    own = en ? &rule->message_en : &rule->message;

    if (own->len
        && (err == POSKO_ERR_NOT_IN_LIST || err == POSKO_ERR_BAD_CHARS
            || err == POSKO_ERR_PATTERN))
    {
        *out = *own;
        return NGX_OK;
    }

    reason = en ? posko_err_message_en(err) : posko_err_message_id(err);

    out->data = ngx_pnalloc(r->pool, sizeof("Field ") + rule->label.len
                                     + rule->name.len + ngx_strlen(reason));
    if (out->data == NULL) {
        return NGX_ERROR;
    }

    if (en) {
        p = ngx_sprintf(out->data, "Field %V %s", &rule->name, reason);

    } else {
        p = ngx_sprintf(out->data, "%V %s", &rule->label, reason);
    }

    out->len = p - out->data;

    return NGX_OK;
}


/* {"field":"message",...} */

static u_char *
ngx_http_posko_json_errors(u_char *p, ngx_array_t *rules,
    ngx_http_posko_form_t *form, ngx_str_t *message)
{
    ngx_uint_t              i, first;
    ngx_http_posko_rule_t  *rule;

    rule = rules->elts;

    *p++ = '{';
    first = 1;

    for (i = 0; i < rules->nelts; i++) {
        if (form->error[i] == POSKO_ERR_NONE) {
            continue;
        }

        if (!first) {
            *p++ = ',';
        }

        first = 0;

        p = ngx_http_posko_json_string(p, rule[i].name.data,
                                       rule[i].name.len);
        *p++ = ':';
        p = ngx_http_posko_json_string(p, message[i].data, message[i].len);
    }

    *p++ = '}';

    return p;
}


static ngx_int_t
ngx_http_posko_reply_created(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, u_char *kode)
{
    u_char     *p;
    ngx_str_t   body, location;

    if (ngx_http_posko_wants_json(r)) {
        body.data = ngx_pnalloc(r->pool, 64 + POSKO_KODE_LEN);
        if (body.data == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        p = ngx_sprintf(body.data, "{\"kode\":\"%s\",\"status\":\"diterima\"}\n",
                        kode);
        body.len = p - body.data;

        return ngx_http_posko_send(r, NGX_HTTP_CREATED,
                                   &ngx_http_posko_json_type, &body);
    }

    location.data = ngx_pnalloc(r->pool, plcf->thanks.len
                                         + sizeof("?kode=") + POSKO_KODE_LEN);
    if (location.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_sprintf(location.data, "%V%ckode=%s", &plcf->thanks,
                    ngx_strlchr(plcf->thanks.data,
                                plcf->thanks.data + plcf->thanks.len, '?')
                    ? '&' : '?',
                    kode);
    location.len = p - location.data;

    r->headers_out.location = ngx_http_posko_add_header(r, "Location",
                                                        &location);
    if (r->headers_out.location == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_str_set(&body, "");

    return ngx_http_posko_send(r, NGX_HTTP_SEE_OTHER,
                               &ngx_http_posko_html_type, &body);
}


ngx_int_t
ngx_http_posko_send(ngx_http_request_t *r, ngx_uint_t status,
    ngx_str_t *type, ngx_str_t *body)
{
    ngx_int_t     rc;
    ngx_buf_t    *b;
    ngx_chain_t   out;

    r->headers_out.status = status;
    r->headers_out.content_length_n = body->len;
    r->headers_out.content_type = *type;
    r->headers_out.content_type_len = type->len;
    r->headers_out.content_type_lowcase = NULL;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->pos = body->data;
    b->last = body->data + body->len;
    b->memory = body->len ? 1 : 0;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


ngx_table_elt_t *
ngx_http_posko_add_header(ngx_http_request_t *r, char *name,
    ngx_str_t *value)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NULL;
    }

    h->hash = 1;
    h->key.data = (u_char *) name;
    h->key.len = ngx_strlen(name);
    h->value = *value;

    return h;
}


u_char *
ngx_http_posko_json_string(u_char *p, u_char *s, size_t len)
{
    u_char  c, *end;

    *p++ = '"';

    for (end = s + len; s < end; s++) {
        c = *s;

        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = c;

        } else if (c < 0x20) {
            p = ngx_sprintf(p, "\\u%04xd", (ngx_uint_t) c);

        } else {
            *p++ = c;
        }
    }

    *p++ = '"';

    return p;
}


static void *
ngx_http_posko_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_posko_main_conf_t  *pmcf;

    pmcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_posko_main_conf_t));
    if (pmcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     pmcf->node = { 0, NULL };
     */

    pmcf->default_rules = ngx_http_posko_default_rules(cf, posko_fields,
                                                       POSKO_F_COUNT);
    if (pmcf->default_rules == NULL) {
        return NULL;
    }

    pmcf->followup_rules = ngx_http_posko_default_rules(cf,
                                                        posko_followup_fields,
                                                        POSKO_FU_COUNT);
    if (pmcf->followup_rules == NULL) {
        return NULL;
    }

    pmcf->feedback_rules = ngx_http_posko_default_rules(cf,
                                                        posko_feedback_fields,
                                                        POSKO_FB_COUNT);
    if (pmcf->feedback_rules == NULL) {
        return NULL;
    }

    return pmcf;
}


static char *
ngx_http_posko_init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_posko_main_conf_t *pmcf = conf;

    u_char      *p;
    ngx_uint_t   i;

    if (pmcf->node.data == NULL) {
        pmcf->node.len = cf->cycle->hostname.len;
        pmcf->node.data = ngx_pstrdup(cf->pool, &cf->cycle->hostname);
        if (pmcf->node.data == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    if (pmcf->node.len == 0 || pmcf->node.len > POSKO_WAL_NODE_MAX) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "posko_node must be 1 to %d characters",
                           POSKO_WAL_NODE_MAX);
        return NGX_CONF_ERROR;
    }

    /* the node id goes into segment file names */

    p = pmcf->node.data;

    for (i = 0; i < pmcf->node.len; i++) {
        if (!(isalnum(p[i]) || p[i] == '.' || p[i] == '_')) {
            p[i] = '_';
        }
    }

    ngx_http_posko_node = pmcf->node;

    return NGX_CONF_OK;
}


static void *
ngx_http_posko_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_posko_loc_conf_t));
    if (plcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     plcf->wal = { 0, NULL };
     *     plcf->thanks = { 0, NULL };
     *     plcf->own_rules = NULL;
     *     plcf->rules = NULL;
     *     plcf->form_rules = NULL;
     */

    plcf->intake = NGX_CONF_UNSET;
    plcf->followup = NGX_CONF_UNSET;
    plcf->status = NGX_CONF_UNSET;
    plcf->open311 = NGX_CONF_UNSET;
    plcf->api_keys = NGX_CONF_UNSET_PTR;
    plcf->officer = NGX_CONF_UNSET_PTR;
    plcf->sync = NGX_CONF_UNSET;
    plcf->max_body = NGX_CONF_UNSET_SIZE;
    plcf->segment_size = NGX_CONF_UNSET;
    plcf->segment_age = NGX_CONF_UNSET;

    return plcf;
}


static char *
ngx_http_posko_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_posko_loc_conf_t *prev = parent;
    ngx_http_posko_loc_conf_t *conf = child;

    ngx_http_posko_main_conf_t  *pmcf;

    pmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_posko_module);

    if (ngx_http_posko_merge_rules(cf, pmcf, prev, conf) != NGX_CONF_OK) {
        return NGX_CONF_ERROR;
    }

    ngx_conf_merge_str_value(conf->wal, prev->wal, "");
    ngx_conf_merge_value(conf->intake, prev->intake, 0);
    ngx_conf_merge_value(conf->followup, prev->followup, 0);
    ngx_conf_merge_value(conf->status, prev->status, 0);
    ngx_conf_merge_value(conf->open311, prev->open311, 0);
    ngx_conf_merge_ptr_value(conf->api_keys, prev->api_keys, NULL);
    ngx_conf_merge_str_value(conf->db, prev->db, "");
    ngx_conf_merge_ptr_value(conf->officer, prev->officer, NULL);

    if (conf->db.len
        && ngx_conf_full_name(cf->cycle, &conf->db, 0) != NGX_OK)
    {
        return NGX_CONF_ERROR;
    }

    if (conf->status) {
        /* the pilgrim's answer to a solved complaint */

        conf->rules = ngx_http_posko_feedback_rules(cf, pmcf,
                                                    conf->own_rules);
        if (conf->rules == NULL) {
            return NGX_CONF_ERROR;
        }

        if (conf->db.len == 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "posko_status needs a posko_db file");
            return NGX_CONF_ERROR;
        }
    }

    if (conf->open311) {
        /* the form's rules under the names Open311 clients send */

        if (ngx_http_posko_open311_merge(cf, prev, conf) != NGX_CONF_OK) {
            return NGX_CONF_ERROR;
        }
    }

    if (conf->followup) {
        /* the follow-up form's own fields, which posko_field may adjust */

        conf->rules = ngx_http_posko_followup_rules(cf, pmcf,
                                                    conf->own_rules);
        if (conf->rules == NULL) {
            return NGX_CONF_ERROR;
        }
    }
    ngx_conf_merge_size_value(conf->max_body, prev->max_body, 64 * 1024);
    ngx_conf_merge_off_value(conf->segment_size, prev->segment_size,
                             64 * 1024 * 1024);
    ngx_conf_merge_sec_value(conf->segment_age, prev->segment_age, 3600);
    ngx_conf_merge_str_value(conf->thanks, prev->thanks,
                             "/terima-kasih.html");
    ngx_conf_merge_str_value(conf->form_page, prev->form_page, "");
    ngx_conf_merge_value(conf->sync, prev->sync, 1);
    ngx_conf_merge_str_value(conf->thread_pool_name, prev->thread_pool_name,
                             "default");

    if ((conf->intake || conf->followup || conf->status || conf->open311)
        && conf->wal.len == 0)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "%s needs a posko_wal "
                           "directory", conf->intake ? "posko_intake"
                                        : conf->followup ? "posko_followup"
                                        : conf->status ? "posko_status"
                                                       : "posko_open311");
        return NGX_CONF_ERROR;
    }

    ngx_conf_merge_str_value(conf->secret, prev->secret, "");

    if (conf->followup && conf->secret.len == 0) {
        /* beside the segments, unless told: "posko.secret" */

        conf->secret.len = conf->wal.len + sizeof("/posko.secret") - 1;
        conf->secret.data = ngx_pnalloc(cf->pool, conf->secret.len + 1);
        if (conf->secret.data == NULL) {
            return NGX_CONF_ERROR;
        }

        ngx_sprintf(conf->secret.data, "%V/posko.secret%Z", &conf->wal);

    } else if (conf->secret.len
               && ngx_conf_full_name(cf->cycle, &conf->secret, 0) != NGX_OK)
    {
        return NGX_CONF_ERROR;
    }

    if (conf->intake || conf->followup || conf->status || conf->open311) {
        /* created with 32 threads unless a thread_pool directive says */
        conf->thread_pool = ngx_thread_pool_add(cf, &conf->thread_pool_name);
        if (conf->thread_pool == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_posko_wal(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_posko_loc_conf_t *plcf = conf;

    ngx_str_t        *value;
    ngx_file_info_t   fi;

    if (plcf->wal.data) {
        return "is duplicate";
    }

    value = cf->args->elts;
    plcf->wal = value[1];

    while (plcf->wal.len > 1 && plcf->wal.data[plcf->wal.len - 1] == '/') {
        plcf->wal.len--;
    }

    /* relative paths are taken from the prefix; the result ends in NUL */

    if (ngx_conf_full_name(cf->cycle, &plcf->wal, 0) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    if (ngx_file_info(plcf->wal.data, &fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "posko_wal directory \"%V\" is not usable",
                           &plcf->wal);
        return NGX_CONF_ERROR;
    }

    if (!ngx_is_dir(&fi)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "posko_wal \"%V\" is not a directory", &plcf->wal);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_posko_intake(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_posko_loc_conf_t *plcf = conf;

    ngx_http_core_loc_conf_t  *clcf;

    if (plcf->intake != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    if (plcf->followup == 1 || plcf->open311 == 1) {
        return "cannot share a location with posko_followup or "
               "posko_open311";
    }

    plcf->intake = 1;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_posko_handler;

    return NGX_CONF_OK;
}


static char *
ngx_http_posko_followup(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_posko_loc_conf_t *plcf = conf;

    ngx_http_core_loc_conf_t  *clcf;

    if (plcf->followup != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    if (plcf->intake == 1 || plcf->open311 == 1) {
        return "cannot share a location with posko_intake or posko_open311";
    }

    plcf->followup = 1;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_posko_handler;

    return NGX_CONF_OK;
}


static char *
ngx_http_posko_status(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_posko_loc_conf_t *plcf = conf;

    ngx_http_core_loc_conf_t  *clcf;

    if (plcf->status != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    if (plcf->intake == 1 || plcf->followup == 1 || plcf->open311 == 1) {
        return "cannot share a location with posko_intake, posko_followup "
               "or posko_open311";
    }

    plcf->status = 1;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_posko_status_handler;

    return NGX_CONF_OK;
}


static char *
ngx_http_posko_open311(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_posko_loc_conf_t *plcf = conf;

    ngx_http_core_loc_conf_t  *clcf;

    if (plcf->open311 != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    if (plcf->intake == 1 || plcf->followup == 1 || plcf->status == 1) {
        return "cannot share a location with posko_intake, posko_followup "
               "or posko_status";
    }

    plcf->open311 = 1;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_posko_open311_handler;

    return NGX_CONF_OK;
}


/* Loads the form page once, when nginx reads its configuration. */

static char *
ngx_http_posko_form_page(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_posko_loc_conf_t *plcf = conf;

    off_t             size;
    ssize_t           n;
    ngx_fd_t          fd;
    ngx_str_t        *value, path;
    ngx_file_info_t   fi;

    if (plcf->form_page.data) {
        return "is duplicate";
    }

    value = cf->args->elts;
    path = value[1];

    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    fd = ngx_open_file(path.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_open_file_n " \"%V\" failed", &path);
        return NGX_CONF_ERROR;
    }

    if (ngx_fd_info(fd, &fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_fd_info_n " \"%V\" failed", &path);
        goto failed;
    }

    size = ngx_file_size(&fi);

    if (size == 0 || size > 1024 * 1024) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "form page \"%V\" must be 1 byte to 1 MB", &path);
        goto failed;
    }

    plcf->form_page.data = ngx_pnalloc(cf->pool, (size_t) size);
    if (plcf->form_page.data == NULL) {
        goto failed;
    }

    n = ngx_read_fd(fd, plcf->form_page.data, (size_t) size);

    if (n != (ssize_t) size) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_read_fd_n " \"%V\" failed", &path);
        goto failed;
    }

    plcf->form_page.len = (size_t) size;

    (void) ngx_close_file(fd);

    return NGX_CONF_OK;

failed:

    (void) ngx_close_file(fd);

    return NGX_CONF_ERROR;
}


static ngx_int_t
ngx_http_posko_init_process(ngx_cycle_t *cycle)
{
    ngx_http_posko_random_left = 0;

    return ngx_http_posko_wal_init_process(cycle);
}


static void
ngx_http_posko_exit_process(ngx_cycle_t *cycle)
{
    ngx_http_posko_rules_exit();
    ngx_http_posko_wal_exit_process(cycle);
}
