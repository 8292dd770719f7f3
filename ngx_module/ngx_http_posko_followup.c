
/*
 * Copyright (C) posko developers
 *
 * posko_followup: an officer's event for a complaint (start verification,
 * factual or not, assigned to a unit, action taken, solved, closed).
 *
 * The body is read and checked like a submission, with the follow-up
 * form's rules (include/posko_followup.c); then the fields that depend on
 * each other are checked, the codes are read the forgiving way tracking
 * codes are, and the record goes through the same WAL and group commit.
 * The officer is the user nginx authenticated ($remote_user, or what
 * posko_officer names), never a field of the form: this location belongs
 * behind auth_basic or auth_request.  Whether the code exists and whether
 * the action fits the complaint's state is for ingest to judge; it
 * quarantines what does not fit, with the reason, for the dashboard.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_posko.h"
#include "posko_followup.h"
#include "posko_token.h"


#define NGX_HTTP_POSKO_OFFICER_MAX  100


static char *ngx_http_posko_followup_merge(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_http_posko_loc_conf_t *prev,
    ngx_http_posko_loc_conf_t *conf);
static ngx_int_t ngx_http_posko_followup_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form);
static void ngx_http_posko_followup_check(ngx_http_posko_form_t *form);
static ngx_int_t ngx_http_posko_followup_write(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form,
    u_char *dup);
static ngx_int_t ngx_http_posko_followup_officer(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_str_t *officer);
static ngx_int_t ngx_http_posko_followup_kode(ngx_http_posko_form_t *form,
    ngx_uint_t field, u_char *out);
static ngx_int_t ngx_http_posko_followup_token(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_str_t *token, u_char *kode);
static ngx_int_t ngx_http_posko_followup_forged(ngx_http_request_t *r,
    ngx_int_t rc);
static void ngx_http_posko_followup_stored(ngx_http_request_t *r,
    ngx_int_t rc);
static ngx_int_t ngx_http_posko_followup_reply(ngx_http_request_t *r,
    ngx_http_posko_ctx_t *ctx);


ngx_http_posko_endpoint_t  ngx_http_posko_followup_endpoint = {
    "posko_followup",
    ngx_http_posko_read_form,
    ngx_http_posko_followup_process,
    NULL,
    ngx_http_posko_followup_merge,
    0
};


/*
 * The follow-up form's own fields, which posko_field may adjust, and the
 * tokens' secret: beside the segments unless told ("posko.secret").
 */

static char *
ngx_http_posko_followup_merge(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_http_posko_loc_conf_t *prev,
    ngx_http_posko_loc_conf_t *conf)
{
    conf->rules = ngx_http_posko_followup_rules(cf, pmcf, conf->own_rules);
    if (conf->rules == NULL) {
        return NGX_CONF_ERROR;
    }

    if (conf->secret.len) {
        return NGX_CONF_OK;
    }

    conf->secret.len = conf->wal.len + sizeof("/posko.secret") - 1;
    conf->secret.data = ngx_pnalloc(cf->pool, conf->secret.len + 1);
    if (conf->secret.data == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_sprintf(conf->secret.data, "%V/posko.secret%Z", &conf->wal);

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_posko_followup_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form)
{
    ngx_int_t              rc;
    ngx_str_t              officer;
    ngx_http_posko_ctx_t  *ctx;
    u_char                 kode[POSKO_KODE_LEN + 1];
    u_char                 dup[POSKO_KODE_LEN + 1];

    /* who: decided by nginx's authentication, before the form is read */

    if (ngx_http_posko_followup_officer(r, plcf, &officer) != NGX_OK) {
        return ngx_http_posko_reply_error(r, NGX_HTTP_FORBIDDEN,
                   "Tindak lanjut hanya dapat dicatat oleh petugas yang "
                   "sudah masuk (login).",
                   "Follow-ups can only be recorded by a signed-in officer.");
    }

    ngx_http_posko_followup_check(form);

    /* codes as officers type them: case, hyphens and I/L/O forgiven */

    if (ngx_http_posko_followup_kode(form, POSKO_FU_KODE, kode) != NGX_OK
        || ngx_http_posko_followup_kode(form, POSKO_FU_DUPLIKAT_DARI, dup)
           != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (form->nerrors) {
        return ngx_http_posko_reply_invalid(r, form);
    }

    /* made by the dashboard for this complaint, and not too long ago */

    rc = ngx_http_posko_followup_token(r, plcf, &form->token, kode);
    if (rc != POSKO_TOKEN_OK) {
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "posko followup: token refused (%i)", rc);
        return ngx_http_posko_followup_forged(r, rc);
    }

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);

    ngx_memcpy(ctx->kode, kode, sizeof(kode));
    ctx->aksi = form->value[POSKO_FU_AKSI];
    ctx->petugas = officer;

    /* a path on this site only, so that it cannot send an officer away */

    if (posko_followup_back_ok((char *) form->back.data, form->back.len)) {
        ctx->back = form->back;
    }

    return ngx_http_posko_followup_write(r, plcf, form, dup);
}


/* The record: what, who, when, and the optional fields given. */

static ngx_int_t
ngx_http_posko_followup_write(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form,
    u_char *dup)
{
    ngx_str_t             *v;
    posko_record_t         rec;
    ngx_http_posko_ctx_t  *ctx;
    u_char                 at[NGX_HTTP_POSKO_ISO_SIZE];

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);
    v = form->value;

    ngx_http_posko_time_iso(at);

    posko_record_init(&rec, POSKO_REC_FOLLOWUP);

    ngx_http_posko_value_set(&rec.slot[POSKO_FUP_KODE], ctx->kode,
                             POSKO_KODE_LEN);
    ngx_http_posko_value_set(&rec.slot[POSKO_FUP_AT], at, sizeof(at) - 1);
    ngx_http_posko_value_set(&rec.slot[POSKO_FUP_PETUGAS], ctx->petugas.data,
                             ctx->petugas.len);
    ngx_http_posko_value_set(&rec.slot[POSKO_FUP_AKSI], ctx->aksi.data,
                             ctx->aksi.len);
    ngx_http_posko_value_set(&rec.slot[POSKO_FUP_CATATAN],
                             v[POSKO_FU_CATATAN].data,
                             v[POSKO_FU_CATATAN].len);
    ngx_http_posko_value_set(&rec.slot[POSKO_FUP_UNIT], v[POSKO_FU_UNIT].data,
                             v[POSKO_FU_UNIT].len);

    if (v[POSKO_FU_DUPLIKAT_DARI].len) {
        /* the code as read the forgiving way */
        ngx_http_posko_value_set(&rec.slot[POSKO_FUP_DUPLIKAT_DARI], dup,
                                 POSKO_KODE_LEN);
    }

    return ngx_http_posko_record_write(r, plcf, &rec,
                                       ngx_http_posko_followup_stored);
}


/*
 * The fields that depend on the action: a note, a unit, a note or the
 * code this one duplicates.
 */

static void
ngx_http_posko_followup_check(ngx_http_posko_form_t *form)
{
    ngx_int_t    aksi;
    ngx_str_t   *v;
    ngx_uint_t   needs;

    v = form->value;

    aksi = NGX_ERROR;

    if (form->error[POSKO_FU_AKSI] == POSKO_ERR_NONE
        && v[POSKO_FU_AKSI].len)
    {
        aksi = posko_aksi_find((char *) v[POSKO_FU_AKSI].data,
                               v[POSKO_FU_AKSI].len);

        if (aksi < 0) {
            /* a posko_field line allowed a value the lifecycle lacks */
            form->error[POSKO_FU_AKSI] = POSKO_ERR_NOT_IN_LIST;
            form->nerrors++;
        }
    }

    if (aksi >= 0) {
        needs = posko_aksi_needs(aksi);

        if ((needs & POSKO_NEEDS_NOTE) && v[POSKO_FU_CATATAN].len == 0
            && form->error[POSKO_FU_CATATAN] == POSKO_ERR_NONE)
        {
            form->error[POSKO_FU_CATATAN] = POSKO_ERR_REQUIRED;
            form->nerrors++;
        }

        if ((needs & POSKO_NEEDS_UNIT) && v[POSKO_FU_UNIT].len == 0
            && form->error[POSKO_FU_UNIT] == POSKO_ERR_NONE)
        {
            form->error[POSKO_FU_UNIT] = POSKO_ERR_REQUIRED;
            form->nerrors++;
        }

        if ((needs & POSKO_NEEDS_NOTE_OR_DUP)
            && v[POSKO_FU_CATATAN].len == 0
            && v[POSKO_FU_DUPLIKAT_DARI].len == 0
            && form->error[POSKO_FU_CATATAN] == POSKO_ERR_NONE
            && form->error[POSKO_FU_DUPLIKAT_DARI] == POSKO_ERR_NONE)
        {
            form->error[POSKO_FU_CATATAN] = POSKO_ERR_REQUIRED;
            form->nerrors++;
        }
    }
}


/*
 * The authenticated officer: posko_officer's value, or the user that
 * auth_basic checked.  Refused when empty, too long, not UTF-8 or with
 * control characters: it goes into the record and onto the dashboard.
 */

static ngx_int_t
ngx_http_posko_followup_officer(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_str_t *officer)
{
    ngx_uint_t  i;

    if (plcf->officer) {
        if (ngx_http_complex_value(r, plcf->officer, officer) != NGX_OK) {
            return NGX_ERROR;
        }

    } else {
        if (ngx_http_auth_basic_user(r) != NGX_OK) {
            return NGX_ERROR;
        }

        *officer = r->headers_in.user;
    }

    if (officer->len == 0 || officer->len > NGX_HTTP_POSKO_OFFICER_MAX
        || posko_utf8_chars(officer->data, officer->len) < 0)
    {
        return NGX_ERROR;
    }

    for (i = 0; i < officer->len; i++) {
        if (officer->data[i] < 0x20 || officer->data[i] == 0x7f) {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/* The canonical form of a typed code into out, or an error on the field. */

static ngx_int_t
ngx_http_posko_followup_kode(ngx_http_posko_form_t *form, ngx_uint_t field,
    u_char *out)
{
    ngx_str_t  *v;

    v = &form->value[field];
    out[0] = '\0';

    if (v->len == 0 || form->error[field] != POSKO_ERR_NONE) {
        return NGX_OK;
    }

    if (posko_kode_normalize((char *) v->data, v->len, (char *) out)
        != POSKO_KODE_OK)
    {
        form->error[field] = POSKO_ERR_KODE;
        form->nerrors++;
    }

    return NGX_OK;
}


/*
 * The token the dashboard put into the form (include/posko_token.h): a
 * browser signed in with auth_basic sends its credentials to this
 * location from any page, so only a form that carries a token made with
 * the secret, for this very complaint and lately, records anything.
 */

static ngx_int_t
ngx_http_posko_followup_token(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_str_t *token, u_char *kode)
{
    int            rc;
    unsigned char  secret[POSKO_SECRET_LEN];

    if (posko_secret_read((char *) plcf->secret.data, secret) != 0) {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, ngx_errno,
                      "posko_secret \"%V\" cannot be read (posko dashboard "
                      "creates it; nginx's user must be able to read it)",
                      &plcf->secret);
        return NGX_ERROR;
    }

    rc = posko_token_check(secret, sizeof(secret), (char *) kode,
                           (char *) token->data, token->len, ngx_time());

    ngx_explicit_memzero(secret, sizeof(secret));

    return rc;
}


/* The answer to a follow-up without a good token; it writes nothing. */

static ngx_int_t
ngx_http_posko_followup_forged(ngx_http_request_t *r, ngx_int_t rc)
{
    if (rc == NGX_ERROR) {
        return ngx_http_posko_reply_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                   "Tindak lanjut belum dapat dicatat: server belum siap. "
                   "Hubungi operator.",
                   "Follow-ups cannot be recorded yet: the server is not "
                   "ready. Contact the operator.");
    }

    if (rc == POSKO_TOKEN_EXPIRED) {
        return ngx_http_posko_reply_error(r, NGX_HTTP_FORBIDDEN,
                   "Formulir tindak lanjut ini sudah kedaluwarsa. Muat ulang "
                   "halaman dasbor, lalu kirim lagi.",
                   "This follow-up form has expired. Reload the dashboard "
                   "page and send it again.");
    }

    return ngx_http_posko_reply_error(r, NGX_HTTP_FORBIDDEN,
               "Formulir tindak lanjut tidak sah: kirim dari halaman dasbor "
               "posko.",
               "The follow-up form is not valid: send it from the posko "
               "dashboard page.");
}


static void
ngx_http_posko_followup_stored(ngx_http_request_t *r, ngx_int_t rc)
{
    ngx_http_posko_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);

    if (rc == NGX_OK) {
        rc = ngx_http_posko_followup_reply(r, ctx);

    } else {
        rc = ngx_http_posko_reply_unavailable(r);
    }

    ngx_http_finalize_request(r, rc);
}


/*
 * 201 with JSON for programs; for a browser, 303 to "kembali" when it
 * names a page of this site, else a short page saying it was recorded.
 */

static ngx_int_t
ngx_http_posko_followup_reply(ngx_http_request_t *r,
    ngx_http_posko_ctx_t *ctx)
{
    u_char     *p;
    size_t      len;
    ngx_str_t   body;

    len = sizeof("{\"kode\":,\"aksi\":,\"petugas\":}\n") + POSKO_KODE_LEN + 2
          + 6 * (ctx->aksi.len + ctx->petugas.len) + 4
          + sizeof("<!DOCTYPE html><html lang=\"id\"><head>"
                   "<meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width\">"
                   "<title>Tindak lanjut tercatat</title></head><body>"
                   "<h1>Tindak lanjut tercatat</h1><p>Kode <b></b>: </p>"
                   "<p lang=\"en\">Follow-up recorded.</p></body></html>\n");

    body.data = ngx_pnalloc(r->pool, len);
    if (body.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_posko_wants_json(r)) {
        p = ngx_sprintf(body.data, "{\"kode\":\"%s\",\"aksi\":", ctx->kode);
        p = ngx_http_posko_json_string(p, ctx->aksi.data, ctx->aksi.len);
        p = ngx_cpymem(p, ",\"petugas\":", sizeof(",\"petugas\":") - 1);
        p = ngx_http_posko_json_string(p, ctx->petugas.data,
                                       ctx->petugas.len);
        p = ngx_cpymem(p, "}\n", 2);
        return ngx_http_posko_send_json(r, NGX_HTTP_CREATED, body.data, p);
    }

    if (ctx->back.len) {
        r->headers_out.location = ngx_http_posko_add_header(r, "Location",
                                                            &ctx->back);
        if (r->headers_out.location == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_str_set(&body, "");

        return ngx_http_posko_send(r, NGX_HTTP_SEE_OTHER,
                                   &ngx_http_posko_html_type, &body);
    }

    /* the action is one of the form's listed values: plain ASCII */

    p = ngx_sprintf(body.data,
                    "<!DOCTYPE html><html lang=\"id\"><head>"
                    "<meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width\">"
                    "<title>Tindak lanjut tercatat</title></head><body>"
                    "<h1>Tindak lanjut tercatat</h1><p>Kode <b>%s</b>: ",
                    ctx->kode);
    p = (u_char *) ngx_escape_html(p, ctx->aksi.data, ctx->aksi.len);
    p = ngx_sprintf(p, "</p><p lang=\"en\">Follow-up recorded.</p>"
                       "</body></html>\n");
    body.len = p - body.data;

    return ngx_http_posko_send(r, NGX_HTTP_OK, &ngx_http_posko_html_type,
                               &body);
}
