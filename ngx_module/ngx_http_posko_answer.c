
/*
 * Copyright (C) posko developers
 *
 * The pilgrim's answer, posted on the status page (posko_status) once a
 * complaint is solved: whether it really is (ya or tidak), a 1-5 rating
 * of how it was handled and an optional comment
 * (include/posko_feedback.h).  It goes through the WAL and group commit
 * like a submission; ingest applies it (batch/feedback.c).
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_posko.h"
#include "posko_feedback.h"
#include "posko_kode.h"


static void ngx_http_posko_answer_stored(ngx_http_request_t *r,
    ngx_int_t rc);


/*
 * The answer read with the answer's rules (include/posko_feedback.c):
 * the code read the forgiving way, then the record, as the intake's.
 */

ngx_int_t
ngx_http_posko_answer_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form)
{
    ngx_str_t             *v;
    ngx_uint_t             i;
    posko_record_t         rec;
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
    ctx->puas = v[POSKO_FB_PUAS];

    ngx_http_posko_time_iso(at);

    posko_record_init(&rec, POSKO_REC_FEEDBACK);
    ngx_http_posko_value_set(&rec.slot[POSKO_FBK_KODE], ctx->kode,
                             POSKO_KODE_LEN);
    ngx_http_posko_value_set(&rec.slot[POSKO_FBK_AT], at, sizeof(at) - 1);

    for (i = POSKO_FB_PUAS; i < POSKO_FB_COUNT; i++) {
        ngx_http_posko_value_set(&rec.slot[POSKO_FBK_PUAS + i - POSKO_FB_PUAS],
                                 v[i].data, v[i].len);
    }

    return ngx_http_posko_record_write(r, plcf, &rec,
                                       ngx_http_posko_answer_stored);
}


/* The thanks, once the answer is durable. */

static void
ngx_http_posko_answer_stored(ngx_http_request_t *r, ngx_int_t rc)
{
    u_char                *p, *body;
    ngx_str_t              out;
    ngx_http_posko_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "posko %s durable: %i", ctx->kode, rc);

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
                        ctx->kode, &ctx->puas);
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
                    ctx->puas.len == 5
                        ? " Tim kami akan menindaklanjuti laporan Anda "
                          "kembali."
                        : "",
                    ctx->kode);

    ngx_http_finalize_request(r, ngx_http_posko_reply_page(r, NGX_HTTP_OK,
                                                            body, p - body));
}
