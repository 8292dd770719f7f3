
/*
 * Copyright (C) posko developers
 *
 * Answers: what every endpoint sends.  A refusal in the client's terms
 * (a page in Indonesian, or JSON for programs, or the endpoint's own
 * format), the form page again with each message beside its field, a
 * page in the light frame, JSON strings, headers, query arguments.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_posko.h"
#include "posko_page.h"


static ngx_int_t ngx_http_posko_reply_form_page(ngx_http_request_t *r,
    ngx_http_posko_form_t *form, ngx_str_t *id, ngx_str_t *en);
static u_char *ngx_http_posko_invalid_list(u_char *p, ngx_uint_t n,
    ngx_http_posko_form_t *form, ngx_str_t *id, ngx_str_t *en);
static ngx_int_t ngx_http_posko_field_message(ngx_http_request_t *r,
    ngx_http_posko_rule_t *rule, posko_err_t err, ngx_uint_t en,
    ngx_str_t *out);
static u_char *ngx_http_posko_json_errors(u_char *p, ngx_array_t *rules,
    ngx_http_posko_form_t *form, ngx_str_t *message);


ngx_str_t  ngx_http_posko_html_type =
    ngx_string("text/html; charset=utf-8");
ngx_str_t  ngx_http_posko_json_type =
    ngx_string("application/json; charset=utf-8");


ngx_table_elt_t *
ngx_http_posko_header_in(ngx_http_request_t *r, char *name, size_t len)
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

    h = ngx_http_posko_header_in(r, "Accept", sizeof("Accept") - 1);

    return h != NULL
           && ngx_strlcasestrn(h->value.data, h->value.data + h->value.len,
                               (u_char *) "application/json",
                               sizeof("application/json") - 2)
              != NULL;
}


/* English beside Indonesian when the client's first language is English */

ngx_int_t
ngx_http_posko_wants_english(ngx_http_request_t *r)
{
    ngx_table_elt_t  *h;

    h = ngx_http_posko_header_in(r, "Accept-Language",
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

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "posko refused: %ui \"%s\"", status, en);

    if (plcf->endpoint && plcf->endpoint->error) {
        /* the Open311 API answers every refusal with its error list */
        return plcf->endpoint->error(r, status, id, en);
    }

    if (status == NGX_HTTP_SERVICE_UNAVAILABLE) {
        if (ngx_http_posko_add_header(r, "Retry-After", &retry) == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    /* worst case, every byte is escaped as \u00XX */

    len = sizeof("<!DOCTYPE html><html lang=\"id\"><head>"
                 "<meta charset=\"utf-8\">"
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
        return ngx_http_posko_send_json(r, status, body.data, p);
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
ngx_http_posko_reply_unavailable(ngx_http_request_t *r)
{
    return ngx_http_posko_reply_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
               "Laporan belum tersimpan karena gangguan server; "
               "silakan kirim ulang sebentar lagi.",
               "The report could not be stored; please resend it "
               "shortly.");
}


/* 405 with the methods this location takes; the body is not wanted. */

ngx_int_t
ngx_http_posko_reply_not_allowed(ngx_http_request_t *r, char *allow,
    char *id, char *en)
{
    ngx_str_t  value;

    value.data = (u_char *) allow;
    value.len = ngx_strlen(allow);

    if (ngx_http_discard_request_body(r) != NGX_OK
        || ngx_http_posko_add_header(r, "Allow", &value) == NULL)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_posko_reply_error(r, NGX_HTTP_NOT_ALLOWED, id, en);
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

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "posko refused: %ui fields, json %ui", form->nerrors, json);

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
        return ngx_http_posko_send_json(r, NGX_HTTP_BAD_REQUEST, body.data, p);
    }

    if (plcf->form_page.len) {
        return ngx_http_posko_reply_form_page(r, form, id, en);
    }

    body.len = ngx_http_posko_invalid_list(body.data, n, form, id, en)
               - body.data;

    return ngx_http_posko_send(r, NGX_HTTP_BAD_REQUEST,
                               &ngx_http_posko_html_type, &body);
}


/* The page of refusals when there is no form page: a list of reasons. */

static u_char *
ngx_http_posko_invalid_list(u_char *p, ngx_uint_t n,
    ngx_http_posko_form_t *form, ngx_str_t *id, ngx_str_t *en)
{
    ngx_uint_t  i;

    p = ngx_sprintf(p,
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
    return p;
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


/*
 * A page around a body: the light frame of the status page and the
 * pilgrim's answer.
 */

ngx_int_t
ngx_http_posko_reply_page(ngx_http_request_t *r, ngx_uint_t status,
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


/* A JSON answer: the bytes from start to end. */

ngx_int_t
ngx_http_posko_send_json(ngx_http_request_t *r, ngx_uint_t status,
    u_char *start, u_char *end)
{
    ngx_str_t  body;

    body.data = start;
    body.len = end - start;

    return ngx_http_posko_send(r, status, &ngx_http_posko_json_type, &body);
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


/* A status is its sender's business: no cache keeps it. */

ngx_int_t
ngx_http_posko_no_store(ngx_http_request_t *r)
{
    ngx_str_t  no_store = ngx_string("no-store");

    if (ngx_http_posko_add_header(r, "Cache-Control", &no_store) == NULL) {
        return NGX_ERROR;
    }

    return NGX_OK;
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


/* A query argument, "+" and %XX undone; empty when not given. */

ngx_int_t
ngx_http_posko_arg(ngx_http_request_t *r, char *name, ngx_str_t *value)
{
    u_char      *dst, *src;
    ngx_str_t    arg;
    ngx_uint_t   i;

    ngx_str_null(value);

    if (ngx_http_arg(r, (u_char *) name, ngx_strlen(name), &arg) != NGX_OK
        || arg.len == 0)
    {
        return NGX_OK;
    }

    value->data = ngx_pnalloc(r->pool, arg.len);
    if (value->data == NULL) {
        return NGX_ERROR;
    }

    for (i = 0; i < arg.len; i++) {
        value->data[i] = (arg.data[i] == '+') ? ' ' : arg.data[i];
    }

    src = value->data;
    dst = value->data;
    ngx_unescape_uri(&dst, &src, arg.len, NGX_UNESCAPE_URI);
    value->len = dst - value->data;

    return NGX_OK;
}
