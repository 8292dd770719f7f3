
/*
 * Copyright (C) posko developers
 *
 * What a posko_open311 lookup asks for and how it is read: the query
 * arguments of requests.json (service_request_id, status, service_code,
 * start_date, end_date) checked into the lookup, and, in a thread of the
 * pool, the statements that read the database for it.  What is shown of
 * the pilgrim's text goes through posko_excerpt(), which hides phone,
 * passport and e-mail numbers; name, phone and e-mail are never read.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <sqlite3.h>

#include "ngx_http_posko_open311.h"
#include "posko_excerpt.h"
#include "posko_isotime.h"


/* the statements of ngx_http_posko_o311_queries */
#define NGX_HTTP_POSKO_Q_ONE            0
#define NGX_HTTP_POSKO_Q_LIST           1
#define NGX_HTTP_POSKO_Q_REFS           2

#define NGX_HTTP_POSKO_O311_SELECT                                            \
    "SELECT c.kode, c.status, c.kategori, k.nama, c.uraian, c.unit,"          \
    " u.nama, c.received_at, c.updated_at, c.due_solve,"                      \
    " (SELECT e.catatan FROM events e WHERE e.kode = c.kode"                  \
    "  AND e.aksi IN ('tidak_faktual', 'selesai', 'tutup', 'dikonfirmasi',"   \
    "  'dibuka_kembali') AND ifnull(e.catatan, '') <> ''"                     \
    "  ORDER BY e.at DESC, e.id DESC LIMIT 1)"                                \
    " FROM complaints c"                                                      \
    " LEFT JOIN ref_kategori k ON k.kode = c.kategori"                        \
    " LEFT JOIN ref_unit u ON u.kode = c.unit"


static ngx_int_t ngx_http_posko_o311_date(ngx_http_request_t *r, char *arg,
    time_t *t, ngx_array_t *errs);
static ngx_int_t ngx_http_posko_o311_next(ngx_str_t *list, ngx_str_t *item);
static void ngx_http_posko_o311_iso(char *out, time_t t, char *ms);
static int ngx_http_posko_o311_read_refs(ngx_http_posko_o311_lookup_t *lk,
    ngx_http_posko_reader_t *rd);
static int ngx_http_posko_o311_read_codes(ngx_http_posko_o311_lookup_t *lk,
    ngx_http_posko_reader_t *rd);
static int ngx_http_posko_o311_read_list(ngx_http_posko_o311_lookup_t *lk,
    ngx_http_posko_reader_t *rd);
static void ngx_http_posko_o311_fill(ngx_http_posko_o311_lookup_t *lk,
    sqlite3_stmt *st);


/* The columns read never include name, phone or e-mail. */

ngx_http_posko_queries_t  ngx_http_posko_o311_queries = {
    1, 3, {
        NGX_HTTP_POSKO_O311_SELECT " WHERE c.kode = ?1",

        NGX_HTTP_POSKO_O311_SELECT
        " WHERE c.received_at >= ?1"
        " AND (?2 IS NULL OR c.received_at <= ?2)"
        " AND (?3 & CASE WHEN c.status IN ('selesai', 'tidak_faktual',"
        " 'ditutup') THEN 2 ELSE 1 END) <> 0"
        " AND (?4 IS NULL OR instr(?4, ',' || c.kategori || ',') > 0)"
        " ORDER BY c.received_at DESC, c.id DESC LIMIT ?5",

        "SELECT 'kategori', kode, nama FROM ref_kategori"
        " UNION ALL SELECT 'lokasi', kode, nama FROM ref_lokasi"
        " UNION ALL SELECT 'embarkasi', kode, kota FROM ref_embarkasi"
    }
};


/* What the rows of the statements hold, by column. */

static ngx_http_posko_column_t  ngx_http_posko_o311_ref_columns[] = {
    ngx_http_posko_column(ngx_http_posko_o311_ref_t, kind, 0),
    ngx_http_posko_column(ngx_http_posko_o311_ref_t, kode, 1),
    ngx_http_posko_column(ngx_http_posko_o311_ref_t, name, 2),
    { 0, 0, 0 }
};


static ngx_http_posko_column_t  ngx_http_posko_o311_item_columns[] = {
    ngx_http_posko_column(ngx_http_posko_o311_item_t, kode, 0),
    ngx_http_posko_column(ngx_http_posko_o311_item_t, status, 1),
    ngx_http_posko_column(ngx_http_posko_o311_item_t, kategori, 2),
    ngx_http_posko_column(ngx_http_posko_o311_item_t, service_name, 3),
    ngx_http_posko_column(ngx_http_posko_o311_item_t, unit, 5),
    ngx_http_posko_column(ngx_http_posko_o311_item_t, agency, 6),
    ngx_http_posko_column(ngx_http_posko_o311_item_t, received, 7),
    ngx_http_posko_column(ngx_http_posko_o311_item_t, updated, 8),
    ngx_http_posko_column(ngx_http_posko_o311_item_t, due, 9),
    { 0, 0, 0 }
};


/* status=open,closed: both when not given. */

ngx_int_t
ngx_http_posko_o311_states(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_array_t *errs)
{
    ngx_str_t  states, item, name;

    if (ngx_http_posko_arg(r, "status", &states) != NGX_OK) {
        return NGX_ERROR;
    }

    while (ngx_http_posko_o311_next(&states, &item) == NGX_OK) {
        if (item.len == 4 && ngx_strncmp(item.data, "open", 4) == 0) {
            lk->states |= NGX_HTTP_POSKO_O311_OPEN;

        } else if (item.len == 6 && ngx_strncmp(item.data, "closed", 6) == 0)
        {
            lk->states |= NGX_HTTP_POSKO_O311_CLOSED;

        } else {
            ngx_str_set(&name, "status");

            if (ngx_http_posko_o311_err_add(r, errs, NGX_HTTP_BAD_REQUEST,
                    &name, "hanya boleh open atau closed.",
                    "must be open or closed.")
                != NGX_OK)
            {
                return NGX_ERROR;
            }

            break;
        }
    }

    if (lk->states == 0) {
        lk->states = NGX_HTTP_POSKO_O311_OPEN|NGX_HTTP_POSKO_O311_CLOSED;
    }

    return NGX_OK;
}


/* service_code=a,b: codes the form knows, as ",a,b," for SQL. */

ngx_int_t
ngx_http_posko_o311_codes(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_array_t *errs)
{
    u_char                     *p;
    ngx_int_t                   k;
    ngx_str_t                   codes, item, name;
    ngx_http_posko_rule_t      *kategori;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    if (ngx_http_posko_arg(r, "service_code", &codes) != NGX_OK) {
        return NGX_ERROR;
    }

    if (codes.len) {
        k = ngx_http_posko_rule_find(plcf->form_rules,
                                     (u_char *) "kategori", 8);
        kategori = (ngx_http_posko_rule_t *) plcf->form_rules->elts + k;

        lk->codes = ngx_pnalloc(r->pool, codes.len + 3);
        if (lk->codes == NULL) {
            return NGX_ERROR;
        }

        p = (u_char *) lk->codes;
        *p++ = ',';

        while (ngx_http_posko_o311_next(&codes, &item) == NGX_OK) {
            if (ngx_http_posko_rule_check(kategori, item.data, item.len,
                                          r->connection->log)
                != POSKO_ERR_NONE)
            {
                ngx_str_set(&name, "service_code");

                if (ngx_http_posko_o311_err_add(r, errs,
                        NGX_HTTP_BAD_REQUEST, &name,
                        "tidak dikenal; daftar layanan ada di "
                        "services.json.",
                        "is unknown; services.json lists the services.")
                    != NGX_OK)
                {
                    return NGX_ERROR;
                }

                break;
            }

            p = ngx_cpymem(p, item.data, item.len);
            *p++ = ',';
        }

        *p = '\0';
    }

    return NGX_OK;
}


ngx_int_t
ngx_http_posko_o311_dates(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_array_t *errs)
{
    time_t     start, end;
    ngx_int_t  rc;
    ngx_str_t  name;

    rc = ngx_http_posko_o311_date(r, "end_date", &end, errs);

    if (rc == NGX_ERROR) {
        return NGX_ERROR;
    }

    if (rc == NGX_OK) {
        ngx_http_posko_o311_iso(lk->end, end, "999");
    }

    rc = ngx_http_posko_o311_date(r, "start_date", &start, errs);

    if (rc == NGX_ERROR) {
        return NGX_ERROR;
    }

    if (rc == NGX_OK && lk->end[0] && start > end) {
        ngx_str_set(&name, "start_date");

        if (ngx_http_posko_o311_err_add(r, errs, NGX_HTTP_BAD_REQUEST,
                &name, "lebih akhir daripada end_date.",
                "is later than end_date.")
            != NGX_OK)
        {
            return NGX_ERROR;
        }

    } else if (rc == NGX_DONE) {
        start = (lk->end[0] ? end : ngx_time())
                - NGX_HTTP_POSKO_O311_DAYS * 86400;

        if (start < 0) {
            start = 0;
        }
    }

    ngx_http_posko_o311_iso(lk->start, start, "000");

    return NGX_OK;
}


/*
 * A date argument: NGX_OK with the time, NGX_DONE when not given,
 * NGX_DECLINED when refused (the reason is in errs), NGX_ERROR.  The
 * forms of ISO 8601 taken are include/posko_isotime.h's.
 */

static ngx_int_t
ngx_http_posko_o311_date(ngx_http_request_t *r, char *arg, time_t *t,
    ngx_array_t *errs)
{
    int64_t    at;
    ngx_str_t  date, name;

    *t = 0;

    if (ngx_http_posko_arg(r, arg, &date) != NGX_OK) {
        return NGX_ERROR;
    }

    if (date.len == 0) {
        return NGX_DONE;
    }

    if (posko_isotime_parse((char *) date.data, date.len, &at) == 0) {
        *t = (time_t) at;
        return NGX_OK;
    }

    name.data = (u_char *) arg;
    name.len = ngx_strlen(arg);

    if (ngx_http_posko_o311_err_add(r, errs, NGX_HTTP_BAD_REQUEST, &name,
            "bukan waktu ISO 8601 yang sah, misalnya 2026-06-01T00:00:00Z.",
            "is not an ISO 8601 date and time, such as "
            "2026-06-01T00:00:00Z.")
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    return NGX_DECLINED;
}


/*
 * service_request_id=A,B,...: at most 50 codes, each a code; what is
 * wrong with them goes to errs.
 */

ngx_int_t
ngx_http_posko_o311_get_ids(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_str_t *ids, ngx_array_t *errs)
{
    int         rc;
    ngx_str_t   item, name;
    ngx_uint_t  i, n;
    char        kode[POSKO_KODE_LEN + 1];

    lk->what = NGX_HTTP_POSKO_O311_IDS;
    ngx_str_set(&name, "service_request_id");

    n = 0;

    while (ngx_http_posko_o311_next(ids, &item) == NGX_OK) {

        if (++n > NGX_HTTP_POSKO_O311_MAX) {
            if (ngx_http_posko_o311_err_add(r, errs, NGX_HTTP_BAD_REQUEST,
                    &name, "paling banyak 50 kode sekaligus.",
                    "takes at most 50 codes at once.")
                != NGX_OK)
            {
                return NGX_ERROR;
            }

            return NGX_OK;
        }

        rc = (item.len > 64) ? POSKO_KODE_BAD_LEN
                             : posko_kode_normalize((char *) item.data,
                                                    item.len, kode);

        if (rc != POSKO_KODE_OK) {
            if (errs->nelts < 10
                && ngx_http_posko_o311_err_add(r, errs, NGX_HTTP_BAD_REQUEST,
                       &name, "berisi kode yang bukan kode pelacakan yang "
                       "sah; periksa kembali ketikannya.",
                       "holds a code that is not a valid tracking code; "
                       "check it for typos.")
                   != NGX_OK)
            {
                return NGX_ERROR;
            }

            continue;
        }

        for (i = 0; i < lk->nkodes; i++) {
            if (ngx_strcmp(lk->kodes[i], kode) == 0) {
                break;
            }
        }

        if (i == lk->nkodes) {
            ngx_memcpy(lk->kodes[lk->nkodes++], kode, sizeof(kode));
        }
    }

    if (errs->nelts) {
        return NGX_OK;
    }

    return ngx_http_posko_o311_items(r, lk, lk->nkodes,
                                     NGX_HTTP_POSKO_O311_DESC_LIST,
                                     NGX_HTTP_POSKO_O311_NOTE_LIST);
}


/* Room for n complaints and their texts, filled in by the thread. */

ngx_int_t
ngx_http_posko_o311_items(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_uint_t n, size_t desc, size_t note)
{
    u_char      *text;
    ngx_uint_t   i;

    if (n == 0) {
        return NGX_OK;
    }

    lk->items = ngx_pcalloc(r->pool, n * sizeof(ngx_http_posko_o311_item_t));
    text = ngx_pnalloc(r->pool, n * (desc + note));

    if (lk->items == NULL || text == NULL) {
        return NGX_ERROR;
    }

    for (i = 0; i < n; i++) {
        lk->items[i].description = (char *) text;
        lk->items[i].note = (char *) text + desc;
        text += desc + note;
    }

    lk->max_items = n;
    lk->desc_size = desc;
    lk->note_size = note;

    return NGX_OK;
}


/* The next item of a comma-separated list, spaces around it dropped. */

static ngx_int_t
ngx_http_posko_o311_next(ngx_str_t *list, ngx_str_t *item)
{
    u_char  *p, *last, *end;

    last = list->data + list->len;

    for ( ;; ) {
        if (list->len == 0) {
            return NGX_DONE;
        }

        end = ngx_strlchr(list->data, last, ',');
        if (end == NULL) {
            end = last;
        }

        p = list->data;

        list->data = (end < last) ? end + 1 : last;
        list->len = last - list->data;

        while (p < end && *p == ' ') {
            p++;
        }

        while (end > p && end[-1] == ' ') {
            end--;
        }

        if (end > p) {
            item->data = p;
            item->len = end - p;
            return NGX_OK;
        }
    }
}


/* A time as the database stores times: "2026-06-01T08:30:00.000Z". */

static void
ngx_http_posko_o311_iso(char *out, time_t t, char *ms)
{
    u_char    *p;
    ngx_tm_t   tm;

    ngx_gmtime(t, &tm);

    p = ngx_sprintf((u_char *) out, "%4d-%02d-%02dT%02d:%02d:%02d.%sZ",
                    tm.ngx_tm_year, tm.ngx_tm_mon, tm.ngx_tm_mday,
                    tm.ngx_tm_hour, tm.ngx_tm_min, tm.ngx_tm_sec, ms);
    *p = '\0';
}


/* -- in a thread of the pool ---------------------------------------------- */

void
ngx_http_posko_o311_read(void *data, ngx_http_posko_reader_t *rd)
{
    ngx_http_posko_o311_lookup_t *lk = data;

    int  rc;

    switch (lk->what) {

    case NGX_HTTP_POSKO_O311_SERVICES:
    case NGX_HTTP_POSKO_O311_DEFINITION:
        rc = ngx_http_posko_o311_read_refs(lk, rd);
        break;

    case NGX_HTTP_POSKO_O311_ONE:
    case NGX_HTTP_POSKO_O311_IDS:
        rc = ngx_http_posko_o311_read_codes(lk, rd);
        break;

    default: /* NGX_HTTP_POSKO_O311_LIST */
        rc = ngx_http_posko_o311_read_list(lk, rd);
        break;
    }

    if (rc != SQLITE_DONE) {
        lk->base.rc = NGX_ERROR;
        ngx_cpystrn((u_char *) lk->base.error,
                    (u_char *) ngx_http_posko_reader_errmsg(rd),
                    sizeof(lk->base.error));
    }
}


/* The reference tables' names, for services and definitions. */

static int
ngx_http_posko_o311_read_refs(ngx_http_posko_o311_lookup_t *lk,
    ngx_http_posko_reader_t *rd)
{
    int                         rc;
    sqlite3_stmt               *st;
    ngx_http_posko_o311_ref_t  *ref;

    rc = SQLITE_DONE;
    st = ngx_http_posko_reader_stmt(rd, NGX_HTTP_POSKO_Q_REFS);

    while (lk->nrefs < NGX_HTTP_POSKO_O311_REFS
           && (rc = sqlite3_step(st)) == SQLITE_ROW)
    {
        ref = &lk->refs[lk->nrefs++];
        ngx_http_posko_reader_row(st, ref, ngx_http_posko_o311_ref_columns);
    }

    sqlite3_reset(st);

    return (rc == SQLITE_ROW) ? SQLITE_DONE : rc;
}


/* The complaints of the codes asked for, each read by its code. */

static int
ngx_http_posko_o311_read_codes(ngx_http_posko_o311_lookup_t *lk,
    ngx_http_posko_reader_t *rd)
{
    int            rc;
    ngx_uint_t     i;
    sqlite3_stmt  *st;

    rc = SQLITE_DONE;
    st = ngx_http_posko_reader_stmt(rd, NGX_HTTP_POSKO_Q_ONE);

    for (i = 0; i < lk->nkodes; i++) {
        sqlite3_bind_text(st, 1, lk->kodes[i], POSKO_KODE_LEN, SQLITE_STATIC);

        rc = sqlite3_step(st);

        if (rc == SQLITE_ROW) {
            ngx_http_posko_o311_fill(lk, st);
            rc = SQLITE_DONE;
        }

        sqlite3_reset(st);
        sqlite3_clear_bindings(st);

        if (rc != SQLITE_DONE) {
            break;
        }
    }

    return rc;
}


/* The newest complaints that pass the filters. */

static int
ngx_http_posko_o311_read_list(ngx_http_posko_o311_lookup_t *lk,
    ngx_http_posko_reader_t *rd)
{
    int            rc;
    sqlite3_stmt  *st;

    rc = SQLITE_DONE;
    st = ngx_http_posko_reader_stmt(rd, NGX_HTTP_POSKO_Q_LIST);

    sqlite3_bind_text(st, 1, lk->start, -1, SQLITE_STATIC);

    if (lk->end[0]) {
        sqlite3_bind_text(st, 2, lk->end, -1, SQLITE_STATIC);
    }

    sqlite3_bind_int(st, 3, (int) lk->states);

    if (lk->codes) {
        sqlite3_bind_text(st, 4, lk->codes, -1, SQLITE_STATIC);
    }

    sqlite3_bind_int(st, 5, NGX_HTTP_POSKO_O311_MAX);

    while (lk->nitems < lk->max_items
           && (rc = sqlite3_step(st)) == SQLITE_ROW)
    {
        ngx_http_posko_o311_fill(lk, st);
    }

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);

    return (rc == SQLITE_ROW) ? SQLITE_DONE : rc;
}


/* One row of NGX_HTTP_POSKO_O311_SELECT into the next item. */

static void
ngx_http_posko_o311_fill(ngx_http_posko_o311_lookup_t *lk, sqlite3_stmt *st)
{
    const char                  *text;
    ngx_http_posko_o311_item_t  *it;

    if (lk->nitems >= lk->max_items) {
        return;
    }

    it = &lk->items[lk->nitems++];

    ngx_http_posko_reader_row(st, it, ngx_http_posko_o311_item_columns);

    /* what is shown of the pilgrim's text and the team's public note */

    text = (const char *) sqlite3_column_text(st, 4);
    posko_excerpt(text ? text : "", text ? sqlite3_column_bytes(st, 4) : 0,
                  it->description, lk->desc_size);

    text = (const char *) sqlite3_column_text(st, 10);
    posko_excerpt(text ? text : "", text ? sqlite3_column_bytes(st, 10) : 0,
                  it->note, lk->note_size);
}
