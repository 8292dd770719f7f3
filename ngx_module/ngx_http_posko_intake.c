
/*
 * Copyright (C) posko developers
 *
 * posko_intake: a pilgrim's or an officer's submission (criticism,
 * suggestion, complaint, information).  The form is read and checked by
 * the kit (ngx_http_posko_body.c); here it gets its tracking code and
 * goes to the WAL, and the answer waits until the record is durable: a
 * tracking code in the pilgrim's hand means the record is on disk.  A
 * browser is sent on to the thank-you page with its code, a program gets
 * 201 with JSON.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_posko.h"


static ngx_int_t ngx_http_posko_intake_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form);
static void ngx_http_posko_intake_stored(ngx_http_request_t *r,
    ngx_int_t rc);
static ngx_int_t ngx_http_posko_reply_created(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, u_char *kode);


ngx_http_posko_endpoint_t  ngx_http_posko_intake_endpoint = {
    "posko_intake",
    ngx_http_posko_read_form,
    ngx_http_posko_intake_process,
    NULL,
    NULL,
    0
};


/* The form read: refused with every field's message, or written. */

static ngx_int_t
ngx_http_posko_intake_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form)
{
    if (form->nerrors) {
        return ngx_http_posko_reply_invalid(r, form);
    }

    /* the answer comes when the record is durable */

    return ngx_http_posko_submission_write(r, plcf, plcf->rules, form->value,
                                           ngx_http_posko_intake_stored);
}


/* Called by the WAL writer once the record is on disk, or cannot be. */

static void
ngx_http_posko_intake_stored(ngx_http_request_t *r, ngx_int_t rc)
{
    ngx_http_posko_ctx_t       *ctx;
    ngx_http_posko_loc_conf_t  *plcf;

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "posko %s durable: %i", ctx->kode, rc);
    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    if (rc == NGX_OK) {
        rc = ngx_http_posko_reply_created(r, plcf, ctx->kode);

    } else {
        rc = ngx_http_posko_reply_unavailable(r);
    }

    ngx_http_finalize_request(r, rc);
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

        p = ngx_sprintf(body.data,
                        "{\"kode\":\"%s\",\"status\":\"diterima\"}\n", kode);
        return ngx_http_posko_send_json(r, NGX_HTTP_CREATED, body.data, p);
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
