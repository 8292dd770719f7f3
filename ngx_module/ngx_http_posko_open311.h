
/*
 * Copyright (C) posko developers
 *
 * What the four files of posko_open311 share: ngx_http_posko_open311.c
 * (configuration, keys, routing and the lookups' course),
 * ngx_http_posko_open311_query.c (requests.json's arguments and the
 * reads in the pool thread), ngx_http_posko_open311_post.c (a new
 * request, and the endpoint's table) and ngx_http_posko_open311_json.c
 * (every answer's JSON, errors included).
 */


#ifndef _NGX_HTTP_POSKO_OPEN311_H_INCLUDED_
#define _NGX_HTTP_POSKO_OPEN311_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_posko.h"


#define NGX_HTTP_POSKO_O311_MAX         50      /* requests in one answer */
#define NGX_HTTP_POSKO_O311_REFS        256     /* reference names kept */
#define NGX_HTTP_POSKO_O311_KEY_MAX     256
#define NGX_HTTP_POSKO_O311_KEY_SIZE    32      /* SHA-256 */
#define NGX_HTTP_POSKO_O311_DAYS        90      /* the spec's default span */

/* room for a description and a note: a whole one, or one in a list */
#define NGX_HTTP_POSKO_O311_DESC_ONE    16384
#define NGX_HTTP_POSKO_O311_NOTE_ONE    8192
#define NGX_HTTP_POSKO_O311_DESC_LIST   4096
#define NGX_HTTP_POSKO_O311_NOTE_LIST   2048

/* what the path names */
#define NGX_HTTP_POSKO_O311_NONE        0
#define NGX_HTTP_POSKO_O311_SERVICES    1
#define NGX_HTTP_POSKO_O311_DEFINITION  2
#define NGX_HTTP_POSKO_O311_REQUESTS    3
#define NGX_HTTP_POSKO_O311_ONE         4

/* what a lookup reads, besides the above */
#define NGX_HTTP_POSKO_O311_IDS         5
#define NGX_HTTP_POSKO_O311_LIST        6

/* the status filter */
#define NGX_HTTP_POSKO_O311_OPEN        1
#define NGX_HTTP_POSKO_O311_CLOSED      2

#define NGX_HTTP_POSKO_O311_AGENCY                                            \
    "Tim Pemantauan dan Evaluasi Kinerja Petugas dan Layanan"

/* A name from the reference tables: a category, a location, a city. */

typedef struct {
    char                           kind[12];
    char                           kode[64];
    char                           name[128];
} ngx_http_posko_o311_ref_t;


/* One complaint as the API shows it; the texts already masked. */

typedef struct {
    char                           kode[POSKO_KODE_LEN + 1];
    char                           status[24];
    char                           kategori[64];
    char                           service_name[128];
    char                           unit[64];
    char                           agency[160];
    char                           received[32];
    char                           updated[32];
    char                           due[32];
    char                          *description;
    char                          *note;
} ngx_http_posko_o311_item_t;


/* One lookup: asked on the event loop, read in a thread, answered back. */

typedef struct {
    ngx_http_posko_lookup_t        base;
    ngx_uint_t                     what;
    ngx_str_t                      service;     /* a definition's code */

    ngx_uint_t                     nkodes;
    char                           kodes[NGX_HTTP_POSKO_O311_MAX]
                                        [POSKO_KODE_LEN + 1];
    char                           start[32];
    char                           end[32];     /* "" for none */
    char                          *codes;       /* ",a,b," or NULL */
    ngx_uint_t                     states;
    size_t                         desc_size;
    size_t                         note_size;

    ngx_uint_t                     nitems;
    ngx_uint_t                     max_items;
    ngx_http_posko_o311_item_t    *items;
    ngx_uint_t                     nrefs;
    ngx_http_posko_o311_ref_t     *refs;
} ngx_http_posko_o311_lookup_t;


/* One entry of an error list. */

typedef struct {
    ngx_uint_t                     code;
    ngx_str_t                      id;
    ngx_str_t                      en;
} ngx_http_posko_o311_err_t;


/* What the service list says of the shipped categories. */

typedef struct {
    char                          *code;
    char                          *description;
    char                          *keywords;
    char                          *group;
} ngx_http_posko_o311_service_t;


/* ngx_http_posko_open311.c */

ngx_int_t ngx_http_posko_open311_handler(ngx_http_request_t *r);
char *ngx_http_posko_open311_merge(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_http_posko_loc_conf_t *prev,
    ngx_http_posko_loc_conf_t *conf);
ngx_int_t ngx_http_posko_o311_key_ok(ngx_http_posko_loc_conf_t *plcf,
    ngx_str_t *key);
ngx_int_t ngx_http_posko_o311_forbidden(ngx_http_request_t *r);


/* ngx_http_posko_open311_query.c */

extern ngx_http_posko_queries_t  ngx_http_posko_o311_queries;

ngx_int_t ngx_http_posko_o311_states(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_array_t *errs);
ngx_int_t ngx_http_posko_o311_codes(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_array_t *errs);
ngx_int_t ngx_http_posko_o311_dates(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_array_t *errs);
ngx_int_t ngx_http_posko_o311_get_ids(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_str_t *ids, ngx_array_t *errs);
ngx_int_t ngx_http_posko_o311_items(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_uint_t n, size_t desc,
    size_t note);
void ngx_http_posko_o311_read(void *data, ngx_http_posko_reader_t *rd);


/* ngx_http_posko_open311_json.c */

ngx_int_t ngx_http_posko_open311_error(ngx_http_request_t *r,
    ngx_uint_t status, char *id, char *en);
ngx_int_t ngx_http_posko_o311_err_add(ngx_http_request_t *r,
    ngx_array_t *errs, ngx_uint_t code, ngx_str_t *name, char *id, char *en);
ngx_int_t ngx_http_posko_o311_reply_errors(ngx_http_request_t *r,
    ngx_uint_t status, ngx_array_t *errs);
ngx_int_t ngx_http_posko_o311_services(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk);
ngx_int_t ngx_http_posko_o311_definition(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk);
ngx_int_t ngx_http_posko_o311_requests(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk);


#endif /* _NGX_HTTP_POSKO_OPEN311_H_INCLUDED_ */
