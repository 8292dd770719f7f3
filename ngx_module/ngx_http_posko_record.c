
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
#include "posko_record.h"


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
 * One record to the WAL, encoded by include/posko_record.h and framed
 * (the writer adds the checksum, which depends on the segment), appended
 * to this worker's writer.  The request waits; stored is called once the
 * record is durable, or cannot be, and finalizes the request.  NGX_DONE,
 * or the answer of a refusal.
 */

ngx_int_t
ngx_http_posko_record_write(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, posko_record_t *rec,
    void (*stored)(ngx_http_request_t *r, ngx_int_t rc))
{
    u_char                *buf;
    size_t                 len;
    ngx_http_posko_ctx_t  *ctx;

    len = posko_record_size(rec);

    buf = ngx_pnalloc(r->pool, len);
    if (buf == NULL) {
        return ngx_http_posko_reply_unavailable(r);
    }

    (void) posko_record_encode(buf, rec);

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "posko record type %d, %uz bytes", (int) rec->type, len);

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);
    ctx->wait.handler = stored;

    if (ngx_http_posko_wal_append(r, plcf, &ctx->wait, buf, len) != NGX_OK) {
        return ngx_http_posko_reply_unavailable(r);
    }

    return NGX_DONE;
}


/*
 * A submission: a new tracking code (in the request's context), the time
 * received, and the form's values under the rules' names.  A field the
 * shipped form does not know (posko_field added it) goes along as an
 * extra.  The intake and Open311 write it alike.
 */

ngx_int_t
ngx_http_posko_submission_write(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_array_t *rules, ngx_str_t *value,
    void (*stored)(ngx_http_request_t *r, ngx_int_t rc))
{
    ngx_uint_t              i;
    posko_extra_t          *extra;
    posko_record_t          rec;
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

    posko_record_init(&rec, POSKO_REC_SUBMISSION);
    ngx_http_posko_value_set(&rec.slot[POSKO_SUB_KODE], ctx->kode,
                             POSKO_KODE_LEN);
    ngx_http_posko_value_set(&rec.slot[POSKO_SUB_RECEIVED_AT], at,
                             sizeof(at) - 1);

    rule = rules->elts;

    for (i = 0; i < rules->nelts; i++) {
        if (value[i].len == 0) {
            continue;
        }

        if (rule[i].slot >= POSKO_SUB_FORM) {
            ngx_http_posko_value_set(&rec.slot[rule[i].slot], value[i].data,
                                     value[i].len);
            continue;
        }

        if (rule[i].slot >= 0) {
            /* a field named kode or received_at: the record's own */
            continue;
        }

        /* the rules hold at most NGX_HTTP_POSKO_MAX_FIELDS fields */

        extra = &rec.extra[rec.nextra++];
        extra->name = (char *) rule[i].name.data;
        extra->name_len = rule[i].name.len;
        ngx_http_posko_value_set(&extra->value, value[i].data, value[i].len);
    }

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "posko submission: kode %s", ctx->kode);

    return ngx_http_posko_record_write(r, plcf, &rec, stored);
}


/* A value of a record's slot, from what the request holds. */

void
ngx_http_posko_value_set(posko_value_t *v, u_char *data, size_t len)
{
    v->data = data;
    v->len = len;
}


/* Each worker starts with an empty pool: no two processes share bits. */

void
ngx_http_posko_record_init_process(void)
{
    ngx_http_posko_random_left = 0;
}
