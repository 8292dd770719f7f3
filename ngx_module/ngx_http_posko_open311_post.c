
/*
 * Copyright (C) posko developers
 *
 * posko_open311's POST requests.json: a new request, read by the kit's
 * body reader under the location's own rule set (the form's rules renamed
 * to what Open311 clients send: ngx_http_posko_open311_merge()), checked
 * exactly as the form's, and written as the same submission record to
 * the same WAL writer.  This file also holds the endpoint's table; its
 * GETs are routed and looked up by ngx_http_posko_open311.c.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_posko_open311.h"


static ngx_int_t ngx_http_posko_open311_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form);
static ngx_int_t ngx_http_posko_o311_defaults(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form);
static void ngx_http_posko_o311_stored(ngx_http_request_t *r, ngx_int_t rc);
static ngx_int_t ngx_http_posko_o311_field_errors(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form,
    ngx_uint_t status);


ngx_http_posko_endpoint_t  ngx_http_posko_open311_endpoint = {
    "posko_open311",
    ngx_http_posko_open311_handler,
    ngx_http_posko_open311_process,
    ngx_http_posko_open311_error,
    ngx_http_posko_open311_merge,
    0
};


/*
 * Called by the kit's body reader with the body parsed under this
 * location's rule set.  Then: the key, the defaults, the joined name,
 * and the same record the form makes, to the same WAL writer.
 */

static ngx_int_t
ngx_http_posko_open311_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form)
{
    ngx_int_t   kategori;
    ngx_str_t   key;
    ngx_uint_t  api;

    /* the key first: without it, nothing about the fields is told */

    api = plcf->form_rules->nelts + 1;
    key = form->value[api];

    if (form->error[api] != POSKO_ERR_NONE) {
        ngx_str_null(&key);

    } else if (key.len == 0) {
        if (ngx_http_posko_arg(r, "api_key", &key) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    if (ngx_http_posko_o311_key_ok(plcf, &key) != NGX_OK) {
        return ngx_http_posko_o311_forbidden(r);
    }

    if (ngx_http_posko_o311_defaults(r, plcf, form) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (form->nerrors) {
        /* an unknown service is a resource not found (the spec's 404) */

        kategori = ngx_http_posko_rule_find(plcf->form_rules,
                                            (u_char *) "kategori", 8);

        return ngx_http_posko_o311_field_errors(r, plcf, form,
                   form->error[kategori] == POSKO_ERR_NOT_IN_LIST
                   ? NGX_HTTP_NOT_FOUND : NGX_HTTP_BAD_REQUEST);
    }

    if (ngx_http_posko_no_store(r) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* the record, field for field as the intake makes it */

    return ngx_http_posko_submission_write(r, plcf, plcf->form_rules,
                                           form->value,
                                           ngx_http_posko_o311_stored);
}


/*
 * What Open311 leaves to the provider: jenis is aduan (a complaint)
 * unless told, when the rules allow it; first_name and last_name are one
 * name, checked again as one.
 */

static ngx_int_t
ngx_http_posko_o311_defaults(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form)
{
    u_char                 *p;
    size_t                  len;
    ngx_int_t               jenis, nama;
    ngx_str_t              *v, aduan = ngx_string("aduan");
    ngx_uint_t              last;
    posko_err_t             err;
    ngx_http_posko_rule_t  *rule;

    v = form->value;
    rule = plcf->form_rules->elts;
    last = plcf->form_rules->nelts;

    jenis = ngx_http_posko_rule_find(plcf->form_rules, (u_char *) "jenis", 5);
    nama = ngx_http_posko_rule_find(plcf->form_rules, (u_char *) "nama", 4);

    /* jenis: aduan (a complaint) unless told, when the rules allow it */

    if (v[jenis].len == 0 && form->error[jenis] == POSKO_ERR_NONE) {
        err = ngx_http_posko_rule_check(&rule[jenis], aduan.data, aduan.len,
                                        r->connection->log);

        if (err == POSKO_ERR_NONE) {
            v[jenis] = aduan;

        } else if (rule[jenis].required) {
            form->error[jenis] = POSKO_ERR_REQUIRED;
            form->nerrors++;
        }
    }

    /* nama: first_name and last_name, checked again as one */

    if (v[last].len && form->error[last] == POSKO_ERR_NONE) {

        if (form->error[nama] == POSKO_ERR_REQUIRED) {
            /* a last name alone is a name */
            form->error[nama] = POSKO_ERR_NONE;
            form->nerrors--;
        }

        if (form->error[nama] == POSKO_ERR_NONE) {
            if (v[nama].len == 0) {
                v[nama] = v[last];

            } else {
                p = ngx_pnalloc(r->pool, v[nama].len + 1 + v[last].len);
                if (p == NULL) {
                    return NGX_ERROR;
                }

                len = ngx_sprintf(p, "%V %V", &v[nama], &v[last]) - p;
                v[nama].data = p;
                v[nama].len = len;

                err = ngx_http_posko_rule_check(&rule[nama], p, len,
                                                r->connection->log);
                if (err != POSKO_ERR_NONE) {
                    form->error[nama] = err;
                    form->nerrors++;
                }
            }
        }
    }

    return NGX_OK;
}


/* Called by the WAL writer once the record is on disk, or cannot be. */

static void
ngx_http_posko_o311_stored(ngx_http_request_t *r, ngx_int_t rc)
{
    u_char                *p;
    ngx_str_t              body, location;
    ngx_http_posko_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);

    if (rc != NGX_OK) {
        ngx_http_finalize_request(r, ngx_http_posko_reply_unavailable(r));
        return;
    }

    /* where it can be followed: requests/ID.json beside requests.json */

    location.len = r->uri.len - (sizeof("requests.json") - 1)
                   + sizeof("requests/.json") - 1 + POSKO_KODE_LEN;
    location.data = ngx_pnalloc(r->pool, location.len);

    body.data = ngx_pnalloc(r->pool, 512);

    if (location.data == NULL || body.data == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    p = ngx_cpymem(location.data, r->uri.data,
                   r->uri.len - (sizeof("requests.json") - 1));
    ngx_sprintf(p, "requests/%s.json", ctx->kode);

    r->headers_out.location = ngx_http_posko_add_header(r, "Location",
                                                        &location);
    if (r->headers_out.location == NULL) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    p = ngx_sprintf(body.data,
                    "[{\"service_request_id\":\"%s\","
                    "\"service_notice\":\"Laporan Anda sudah kami terima. "
                    "Simpan kode pelacakan ini untuk melihat statusnya. / "
                    "Your report was received. Keep this tracking code to "
                    "follow its status.\","
                    "\"account_id\":null}]\n", ctx->kode);
    body.len = p - body.data;

    ngx_http_finalize_request(r, ngx_http_posko_send(r, NGX_HTTP_CREATED,
                                  &ngx_http_posko_json_type, &body));
}


/* One entry for each refused field, named as the client sent it. */

static ngx_int_t
ngx_http_posko_o311_field_errors(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form,
    ngx_uint_t status)
{
    char                       *id, *en;
    ngx_uint_t                  i, n, code;
    ngx_array_t                *errs;
    posko_err_t                 err;
    ngx_http_posko_rule_t      *rule, *form_rule;
    ngx_http_posko_o311_err_t  *e;

    rule = plcf->rules->elts;
    form_rule = plcf->form_rules->elts;
    n = plcf->rules->nelts;

    errs = ngx_array_create(r->pool, form->nerrors + 1,
                            sizeof(ngx_http_posko_o311_err_t));
    if (errs == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    for (i = 0; i < n; i++) {
        err = form->error[i];

        if (err == POSKO_ERR_NONE) {
            continue;
        }

        code = NGX_HTTP_BAD_REQUEST;
        id = (char *) posko_err_message_id(err);
        en = (char *) posko_err_message_en(err);

        if (i < plcf->form_rules->nelts
            && form_rule[i].name.len == 8
            && ngx_strncmp(form_rule[i].name.data, "kategori", 8) == 0
            && err == POSKO_ERR_NOT_IN_LIST)
        {
            code = NGX_HTTP_NOT_FOUND;
            id = "tidak dikenal; daftar layanan ada di services.json.";
            en = "is unknown; services.json lists the services.";

        } else if (i < plcf->form_rules->nelts
                   && form_rule[i].name.len == 4
                   && ngx_strncmp(form_rule[i].name.data, "nama", 4) == 0
                   && err == POSKO_ERR_TOO_LONG
                   && form->value[plcf->form_rules->nelts].len)
        {
            id = "(bersama last_name) terlalu panjang.";
            en = "(with last_name) is too long.";

        } else if (rule[i].message.len
                   && (err == POSKO_ERR_NOT_IN_LIST
                       || err == POSKO_ERR_BAD_CHARS
                       || err == POSKO_ERR_PATTERN))
        {
            /* the operator's own sentence (posko_field message=) */

            e = ngx_array_push(errs);
            if (e == NULL) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            e->code = code;
            e->id = rule[i].message;

            if (rule[i].message_en.len) {
                e->en = rule[i].message_en;
                continue;
            }

            e->en.data = ngx_pnalloc(r->pool, rule[i].name.len + 1
                                              + ngx_strlen(en));
            if (e->en.data == NULL) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            e->en.len = ngx_sprintf(e->en.data, "%V %s", &rule[i].name, en)
                        - e->en.data;
            continue;
        }

        if (ngx_http_posko_o311_err_add(r, errs, code, &rule[i].name, id, en)
            != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    return ngx_http_posko_o311_reply_errors(r, status, errs);
}
