
/*
 * Copyright (C) posko developers
 *
 * What makes a record: a tracking code from the kernel's random bits, the
 * time as the WAL stores it, and the one way every endpoint writes a
 * record and waits for it to be durable (ngx_http_posko_wal.c).
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <sys/random.h>

#include "ngx_http_posko.h"


static ngx_int_t ngx_http_posko_random(uint64_t *out);


/*
 * 64 random bits from the kernel, taken 4 KiB at a time: one system call
 * serves 512 tracking codes.  The event loop is the only caller; each
 * worker starts with an empty pool, so no two processes share bits.
 */

static uint64_t  ngx_http_posko_random_pool[512];
static size_t    ngx_http_posko_random_left;


/* A new tracking code (include/posko_kode.h) from the kernel's random bits. */

ngx_int_t
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


static ngx_int_t
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


/*
 * One record to the WAL: fields in the order given, framed (the writer
 * adds the checksum, which depends on the segment), appended to this
 * worker's writer.  The request waits; stored is called once the record
 * is durable, or cannot be, and finalizes the request.  NGX_DONE, or the
 * answer of a refusal.
 */

ngx_int_t
ngx_http_posko_record_write(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, uint8_t type, posko_wal_field_t *field,
    ngx_uint_t n, void (*stored)(ngx_http_request_t *r, ngx_int_t rc))
{
    u_char                *rec, *p;
    size_t                 len;
    ngx_uint_t             i;
    ngx_http_posko_ctx_t  *ctx;

    len = 0;

    for (i = 0; i < n; i++) {
        if (field[i].value_len) {
            len += posko_wal_field_size(field[i].name_len,
                                        field[i].value_len);
        }
    }

    rec = ngx_pnalloc(r->pool, POSKO_WAL_FRAME_SIZE + len);
    if (rec == NULL) {
        return ngx_http_posko_reply_unavailable(r);
    }

    p = rec + POSKO_WAL_FRAME_SIZE;

    for (i = 0; i < n; i++) {
        if (field[i].value_len) {
            p = posko_wal_field_put(p, field[i].name, field[i].name_len,
                                    field[i].value, field[i].value_len);
        }
    }

    posko_wal_frame_unsummed(rec, type, (uint32_t) len);

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "posko record type %d, %uz bytes", (int) type, len);

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);
    ctx->wait.handler = stored;

    if (ngx_http_posko_wal_append(r, plcf, &ctx->wait, rec,
                                  POSKO_WAL_FRAME_SIZE + len)
        != NGX_OK)
    {
        return ngx_http_posko_reply_unavailable(r);
    }

    return NGX_DONE;
}


/*
 * A submission: a new tracking code (in the request's context), the time
 * received, and the form's values under the rules' names, in the rules'
 * order.  The intake and Open311 write it alike.
 */

ngx_int_t
ngx_http_posko_submission_write(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_array_t *rules, ngx_str_t *value,
    void (*stored)(ngx_http_request_t *r, ngx_int_t rc))
{
    ngx_uint_t              i, n;
    posko_wal_field_t      *field;
    ngx_http_posko_ctx_t   *ctx;
    ngx_http_posko_rule_t  *rule;
    u_char                  at[NGX_HTTP_POSKO_ISO_SIZE];

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);

    if (ngx_http_posko_make_kode(r, ctx->kode) != NGX_OK) {
        return ngx_http_posko_reply_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                   "Layanan sedang terganggu; coba lagi sebentar.",
                   "Service unavailable; try again shortly.");
    }

    ngx_http_posko_time_iso(at);

    rule = rules->elts;
    n = rules->nelts;

    field = ngx_pcalloc(r->pool, (n + 2) * sizeof(posko_wal_field_t));
    if (field == NULL) {
        return ngx_http_posko_reply_unavailable(r);
    }

    ngx_http_posko_field_set(&field[0], "kode", ctx->kode, POSKO_KODE_LEN);
    ngx_http_posko_field_set(&field[1], "received_at", at, sizeof(at) - 1);

    for (i = 0; i < n; i++) {
        field[i + 2].name = (char *) rule[i].name.data;
        field[i + 2].name_len = rule[i].name.len;
        field[i + 2].value = value[i].data;
        field[i + 2].value_len = value[i].len;
    }

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "posko submission: kode %s", ctx->kode);

    return ngx_http_posko_record_write(r, plcf, POSKO_REC_SUBMISSION, field,
                                       n + 2, stored);
}


/* One field of a record, named by a constant. */

void
ngx_http_posko_field_set(posko_wal_field_t *field, char *name, u_char *value,
    size_t len)
{
    field->name = name;
    field->name_len = ngx_strlen(name);
    field->value = value;
    field->value_len = len;
}


/* Each worker starts with an empty pool: no two processes share bits. */

void
ngx_http_posko_record_init_process(void)
{
    ngx_http_posko_random_left = 0;
}
