
/*
 * Copyright (C) posko developers
 *
 * A POST body, read and parsed for every endpoint: its type
 * (application/x-www-form-urlencoded or multipart/form-data) and length
 * checked from the headers, the body gathered into one buffer, each
 * field decoded, tidied and checked against the rules in force at the
 * location (ngx_http_posko_rules.c).  Then the endpoint's process
 * function takes the form; what it does is its own file's business.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_posko.h"
#include "posko_multipart.h"


#define NGX_HTTP_POSKO_FORM_TYPE  "application/x-www-form-urlencoded"
#define NGX_HTTP_POSKO_MULTIPART  "multipart/form-data"

/* more name=value pairs than any honest form sends */
#define NGX_HTTP_POSKO_MAX_PAIRS    256


static int ngx_http_posko_body_type(ngx_http_request_t *r,
    ngx_http_posko_ctx_t *ctx);
static ngx_int_t ngx_http_posko_discard_body(ngx_http_request_t *r);
static void ngx_http_posko_body_read(ngx_http_request_t *r);
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


/*
 * The content handler of a POST: the body's type and length are checked
 * from the headers, then the body is read; ngx_http_posko_body_read()
 * goes on when it is all there.
 */

ngx_int_t
ngx_http_posko_read_form(ngx_http_request_t *r)
{
    int                         mp;
    ngx_int_t                   rc;
    ngx_str_t                   allow = ngx_string("POST");
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

    mp = ngx_http_posko_body_type(r, ctx);

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

    rc = ngx_http_read_client_request_body(r, ngx_http_posko_body_read);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        return rc;
    }

    return NGX_DONE;
}


/*
 * The body's type: urlencoded (POSKO_MP_OK, no boundary), multipart with
 * its boundary (POSKO_MP_OK), or why neither.
 */

static int
ngx_http_posko_body_type(ngx_http_request_t *r, ngx_http_posko_ctx_t *ctx)
{
    size_t            n;
    ngx_table_elt_t  *ct;

    ct = r->headers_in.content_type;
    n = sizeof(NGX_HTTP_POSKO_FORM_TYPE) - 1;

    if (ct == NULL) {
        return POSKO_MP_NOT_MULTIPART;
    }

    if (ct->value.len >= n
        && ngx_strncasecmp(ct->value.data,
                           (u_char *) NGX_HTTP_POSKO_FORM_TYPE, n) == 0
        && (ct->value.len == n || ct->value.data[n] == ';'
            || ct->value.data[n] == ' '))
    {
        return POSKO_MP_OK;
    }

    return posko_multipart_boundary(ct->value.data, ct->value.len,
                                    &ctx->boundary, &ctx->boundary_len);
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

    h = ngx_http_posko_header_in(r, "Expect", sizeof("Expect") - 1);

    if (h != NULL && r->http_version >= NGX_HTTP_VERSION_11) {
        r->expect_tested = 1;
        r->keepalive = 0;
        r->lingering_close = 1;
        return NGX_OK;
    }

    return ngx_http_discard_request_body(r);
}


static void
ngx_http_posko_body_read(ngx_http_request_t *r)
{
    ngx_int_t  rc;

    rc = ngx_http_posko_process(r);

    if (rc == NGX_DONE) {
        /* waits for the WAL, or a lookup: the endpoint finalizes */
        return;
    }

    ngx_http_finalize_request(r, rc);
}


/* The body read: parsed by its type, then the endpoint takes it. */

static ngx_int_t
ngx_http_posko_process(ngx_http_request_t *r)
{
    ngx_int_t                   rc;
    ngx_str_t                   body;
    ngx_http_posko_ctx_t       *ctx;
    ngx_http_posko_form_t       form;
    ngx_http_posko_loc_conf_t  *plcf;

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

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "posko %s: form read, %ui refused fields",
                   plcf->endpoint->directive, form.nerrors);

    return plcf->endpoint->process(r, plcf, &form);
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
