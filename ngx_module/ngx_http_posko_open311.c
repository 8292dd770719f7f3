
/*
 * Copyright (C) posko developers
 *
 * posko_open311: the Open311 GeoReport v2 API (JSON only) under its
 * location, so that city-style 311 apps can send and follow complaints.
 * This file holds its configuration, the routing of a request (what the
 * path names is include/posko_open311_route.c's) and the lookups;
 * ngx_http_posko_open311_post.c takes a new request and
 * ngx_http_posko_open311_json.c writes the answers.
 *
 *     GET  services.json             the service list: one service for
 *                                    each value of the kategori rule
 *     GET  services/CODE.json        its definition: the form's other
 *                                    fields as attributes
 *     POST requests.json             a complaint, through the same rules,
 *                                    WAL record and group commit as the
 *                                    form (ngx_http_posko_intake.c)
 *     GET  requests/ID.json          one complaint, by its tracking code
 *     GET  requests.json             several, by codes or by filters
 *
 * A POST is read by the kit's body reader and form parser.  They
 * know fields by the names of the rules in force, so a posko_open311
 * location gets its own rule set (ngx_http_posko_open311_merge): the
 * form's rules at the same places, renamed to what an Open311 client
 * sends (kategori is service_code, uraian description, nama first_name,
 * telepon phone, every other field attribute[NAME]), with last_name and
 * api_key after them.  Every value is thus tidied and checked exactly as
 * the form's; the record is then written under the form's own names.
 *
 * Lookups read the database that posko_db names in a thread of the pool,
 * on a read-only connection each thread keeps, as the status page does
 * (ngx_http_posko_reader.c).  They show nothing personal: descriptions
 * and notes go through posko_excerpt(), which hides phone, passport and
 * e-mail numbers; name, phone and e-mail are never read.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ngx_http_posko_open311.h"
#include "posko_open311_route.h"


#if (NGX_HTTP_POSKO_O311_NONE != POSKO_O311_NONE                              \
     || NGX_HTTP_POSKO_O311_SERVICES != POSKO_O311_SERVICES                   \
     || NGX_HTTP_POSKO_O311_DEFINITION != POSKO_O311_DEFINITION               \
     || NGX_HTTP_POSKO_O311_REQUESTS != POSKO_O311_REQUESTS                   \
     || NGX_HTTP_POSKO_O311_ONE != POSKO_O311_ONE)
#error "what an Open311 path names differs from posko_open311_route.h"
#endif


static ngx_int_t ngx_http_posko_o311_rename(ngx_conf_t *cf,
    ngx_http_posko_rule_t *rule);
static ngx_uint_t ngx_http_posko_o311_route(ngx_http_request_t *r,
    ngx_str_t *id, ngx_uint_t *json);
static ngx_int_t ngx_http_posko_o311_get(ngx_http_request_t *r,
    ngx_uint_t what, ngx_str_t *id);
static ngx_int_t ngx_http_posko_o311_get_services(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_str_t *id);
static ngx_int_t ngx_http_posko_o311_post(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_thread_task_t *task);
static ngx_int_t ngx_http_posko_o311_get_one(ngx_http_request_t *r,
    ngx_thread_task_t *task, ngx_str_t *id);
static ngx_int_t ngx_http_posko_o311_get_list(ngx_http_request_t *r,
    ngx_thread_task_t *task);
static ngx_int_t ngx_http_posko_o311_done(ngx_http_request_t *r,
    void *data);


/* -- config --------------------------------------------------------------- */

/*
 * The location's own rule set (see the top of this file).  The form's
 * rules keep their places, so slot i of a parsed POST is the form's rule
 * i; last_name and api_key follow them.  An "if" block or a location
 * inside a posko_open311 location takes its parent's sets as they are.
 */

char *
ngx_http_posko_open311_merge(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_http_posko_loc_conf_t *prev,
    ngx_http_posko_loc_conf_t *conf)
{
    ngx_uint_t              i, n;
    ngx_array_t            *form, *rules;
    ngx_http_posko_rule_t  *f, *rule;

    if (prev->form_rules) {
        if (conf->own_rules) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "posko_field is not allowed in a location "
                               "inside a posko_open311 location");
            return NGX_CONF_ERROR;
        }

        conf->form_rules = prev->form_rules;
        conf->rules = prev->rules;

        return NGX_CONF_OK;
    }

    form = conf->rules;
    n = form->nelts;
    f = form->elts;

    rules = ngx_array_create(cf->pool, n + 2, sizeof(ngx_http_posko_rule_t));
    if (rules == NULL) {
        return NGX_CONF_ERROR;
    }

    for (i = 0; i < n; i++) {
        rule = ngx_array_push(rules);
        if (rule == NULL) {
            return NGX_CONF_ERROR;
        }

        *rule = f[i];

        if (ngx_http_posko_o311_rename(cf, rule) != NGX_OK) {
            return NGX_CONF_ERROR;
        }
    }

    /* last_name: the rest of the name, under the name's rule */

    rule = ngx_array_push(rules);
    if (rule == NULL) {
        return NGX_CONF_ERROR;
    }

    *rule = f[ngx_http_posko_rule_find(form, (u_char *) "nama", 4)];
    ngx_str_set(&rule->name, "last_name");
    rule->required = 0;

    rule = ngx_array_push(rules);
    if (rule == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memzero(rule, sizeof(ngx_http_posko_rule_t));
    ngx_str_set(&rule->name, "api_key");
    rule->slot = -1;
    ngx_str_set(&rule->label, "api_key");
    rule->max_chars = NGX_HTTP_POSKO_O311_KEY_MAX;
    rule->chars = POSKO_CHARS_TEXT;

    conf->form_rules = form;
    conf->rules = rules;

    return NGX_CONF_OK;
}


/*
 * A form rule under the name an Open311 client sends: kategori is
 * service_code, uraian description, nama first_name, telepon phone, and
 * every other field attribute[NAME].
 */

static ngx_int_t
ngx_http_posko_o311_rename(ngx_conf_t *cf, ngx_http_posko_rule_t *rule)
{
    u_char     *p;
    ngx_str_t   name;

    name = rule->name;

#define ngx_http_posko_is(s)                                                  \
    (name.len == sizeof(s) - 1                                                \
     && ngx_strncmp(name.data, s, sizeof(s) - 1) == 0)

    if (ngx_http_posko_is("kategori")) {
        ngx_str_set(&rule->name, "service_code");
        rule->required = 1;

    } else if (ngx_http_posko_is("uraian")) {
        ngx_str_set(&rule->name, "description");

    } else if (ngx_http_posko_is("nama")) {
        ngx_str_set(&rule->name, "first_name");

    } else if (ngx_http_posko_is("telepon")) {
        ngx_str_set(&rule->name, "phone");

    } else if (!ngx_http_posko_is("email")) {
        if (ngx_http_posko_is("jenis")) {
            /* aduan when not given: ngx_http_posko_o311_defaults() */
            rule->required = 0;
        }

        p = ngx_pnalloc(cf->pool, name.len + sizeof("attribute[]"));
        if (p == NULL) {
            return NGX_ERROR;
        }

        rule->name.data = p;
        rule->name.len = ngx_sprintf(p, "attribute[%V]", &name) - p;
    }

#undef ngx_http_posko_is

    return NGX_OK;
}


/*
 * posko_open311_api_key KEY...;  Keys are kept as their SHA-256, so that
 * a key sent is compared in constant time whatever its length.
 */

char *
ngx_http_posko_open311_api_key(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_posko_loc_conf_t *plcf = conf;

    u_char      *md;
    ngx_str_t   *value;
    ngx_uint_t   i;

    if (plcf->api_keys != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    plcf->api_keys = ngx_array_create(cf->pool, cf->args->nelts - 1,
                                      NGX_HTTP_POSKO_O311_KEY_SIZE);
    if (plcf->api_keys == NULL) {
        return NGX_CONF_ERROR;
    }

    for (i = 1; i < cf->args->nelts; i++) {
        if (value[i].len == 0 || value[i].len > NGX_HTTP_POSKO_O311_KEY_MAX) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "an Open311 api key must be 1 to %d "
                               "characters", NGX_HTTP_POSKO_O311_KEY_MAX);
            return NGX_CONF_ERROR;
        }

        md = ngx_array_push(plcf->api_keys);
        if (md == NULL) {
            return NGX_CONF_ERROR;
        }

        if (EVP_Digest(value[i].data, value[i].len, md, NULL, EVP_sha256(),
                       NULL)
            != 1)
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "EVP_Digest() failed");
            return NGX_CONF_ERROR;
        }
    }

    return NGX_CONF_OK;
}


/* -- requests ------------------------------------------------------------- */

ngx_int_t
ngx_http_posko_open311_handler(ngx_http_request_t *r)
{
    char       *allow;
    ngx_str_t   id;
    ngx_uint_t  what, json, methods;

    what = ngx_http_posko_o311_route(r, &id, &json);

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "posko open311: resource %ui, json %ui", what, json);

    if (what == NGX_HTTP_POSKO_O311_NONE || !json) {
        if (ngx_http_discard_request_body(r) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (what != NGX_HTTP_POSKO_O311_NONE) {
            return ngx_http_posko_open311_error(r, NGX_HTTP_NOT_FOUND,
                       "Hanya format JSON yang tersedia: ganti akhiran "
                       "alamat dengan .json.",
                       "Only the JSON format is served: end the path in "
                       ".json.");
        }

        return ngx_http_posko_open311_error(r, NGX_HTTP_NOT_FOUND,
                   "Alamat ini tidak dikenal. Yang tersedia: services.json, "
                   "services/KODE.json, requests.json, requests/KODE.json.",
                   "Unknown resource. There are services.json, "
                   "services/CODE.json, requests.json and "
                   "requests/CODE.json.");
    }

    methods = NGX_HTTP_GET|NGX_HTTP_HEAD;
    allow = "GET, HEAD";

    if (what == NGX_HTTP_POSKO_O311_REQUESTS) {
        methods |= NGX_HTTP_POST;
        allow = "GET, HEAD, POST";
    }

    if (!(r->method & methods)) {
        return ngx_http_posko_reply_not_allowed(r, allow,
                   "Metode tidak diizinkan untuk alamat ini.",
                   "Method not allowed for this resource.");
    }

    if (r->method & NGX_HTTP_POST) {
        /* read and checked like a form; the endpoint's process follows */
        return ngx_http_posko_read_form(r);
    }

    if (ngx_http_discard_request_body(r) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_posko_o311_get(r, what, &id);
}


/* What the path names under the location (include/posko_open311_route.c). */

static ngx_uint_t
ngx_http_posko_o311_route(ngx_http_request_t *r, ngx_str_t *id,
    ngx_uint_t *json)
{
    posko_o311_route_t         route;
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    (void) posko_o311_route((char *) clcf->name.data, clcf->name.len,
                            (char *) r->uri.data, r->uri.len, &route);

    id->data = (u_char *) route.id;
    id->len = route.id_len;
    *json = route.json;

    return route.kind;
}


static ngx_int_t
ngx_http_posko_o311_get(ngx_http_request_t *r, ngx_uint_t what,
    ngx_str_t *id)
{
    ngx_int_t                      rc;
    ngx_thread_task_t             *task;
    ngx_http_posko_loc_conf_t     *plcf;
    ngx_http_posko_o311_lookup_t  *lk;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    task = ngx_thread_task_alloc(r->pool,
                                 sizeof(ngx_http_posko_o311_lookup_t));
    if (task == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    lk = task->ctx;
    lk->base.queries = &ngx_http_posko_o311_queries;
    lk->base.read = ngx_http_posko_o311_read;
    lk->base.done = ngx_http_posko_o311_done;
    lk->what = what;

    if (what == NGX_HTTP_POSKO_O311_SERVICES
        || what == NGX_HTTP_POSKO_O311_DEFINITION)
    {
        rc = ngx_http_posko_o311_get_services(r, lk, id);

        if (rc != NGX_DECLINED) {
            return rc;
        }

        return ngx_http_posko_o311_post(r, plcf, task);
    }

    /* a request's status is its sender's business: no cache keeps it */

    if (ngx_http_posko_no_store(r) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (plcf->db.len == 0) {
        return ngx_http_posko_open311_error(r, NGX_HTTP_NOT_FOUND,
                   "Status laporan tidak dapat dilihat melalui alamat ini.",
                   "Requests cannot be looked up here (no posko_db).");
    }

    if (what == NGX_HTTP_POSKO_O311_ONE) {
        return ngx_http_posko_o311_get_one(r, task, id);
    }

    return ngx_http_posko_o311_get_list(r, task);
}


/*
 * services.json and services/CODE.json: names from the reference tables
 * when there is a database, else from the codes, answered at once.
 * NGX_DECLINED: the names are to be read, the lookup posted; anything
 * else is the answer.
 */

static ngx_int_t
ngx_http_posko_o311_get_services(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_str_t *id)
{
    ngx_int_t                   k;
    ngx_http_posko_rule_t      *kategori;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    if (lk->what == NGX_HTTP_POSKO_O311_DEFINITION) {
        lk->service = *id;

        k = ngx_http_posko_rule_find(plcf->form_rules,
                                     (u_char *) "kategori", 8);
        kategori = (ngx_http_posko_rule_t *) plcf->form_rules->elts + k;

        if (ngx_http_posko_rule_check(kategori, id->data, id->len,
                                      r->connection->log)
            != POSKO_ERR_NONE)
        {
            return ngx_http_posko_open311_error(r, NGX_HTTP_NOT_FOUND,
                       "service_code tidak dikenal; daftar layanan ada "
                       "di services.json.",
                       "Unknown service_code; services.json lists the "
                       "services.");
        }
    }

    if (plcf->db.len == 0) {
        /* names from the codes */
        lk->base.rc = NGX_ERROR;

        return (lk->what == NGX_HTTP_POSKO_O311_SERVICES)
               ? ngx_http_posko_o311_services(r, lk)
               : ngx_http_posko_o311_definition(r, lk);
    }

    lk->refs = ngx_palloc(r->pool, NGX_HTTP_POSKO_O311_REFS
                                   * sizeof(ngx_http_posko_o311_ref_t));
    if (lk->refs == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return NGX_DECLINED;
}


static ngx_int_t
ngx_http_posko_o311_post(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_thread_task_t *task)
{
    if (ngx_http_posko_lookup_post(r, plcf, task) != NGX_DONE) {
        return ngx_http_posko_open311_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                   "Layanan sedang sibuk; coba lagi sebentar.",
                   "The service is busy; try again shortly.");
    }

    return NGX_DONE;
}


/* requests/ID.json: a code read the forgiving way, or 400 */

static ngx_int_t
ngx_http_posko_o311_get_one(ngx_http_request_t *r, ngx_thread_task_t *task,
    ngx_str_t *id)
{
    int                            rc;
    ngx_http_posko_loc_conf_t     *plcf;
    ngx_http_posko_o311_lookup_t  *lk;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);
    lk = task->ctx;

    rc = (id->len > 64) ? POSKO_KODE_BAD_LEN
                        : posko_kode_normalize((char *) id->data, id->len,
                                               lk->kodes[0]);

    if (rc == POSKO_KODE_BAD_CHECK) {
        return ngx_http_posko_open311_error(r, NGX_HTTP_BAD_REQUEST,
                   "service_request_id tampaknya salah ketik: huruf "
                   "pemeriksanya tidak cocok.",
                   "service_request_id seems mistyped: its check "
                   "character does not match.");
    }

    if (rc != POSKO_KODE_OK) {
        return ngx_http_posko_open311_error(r, NGX_HTTP_BAD_REQUEST,
                   "service_request_id bukan kode pelacakan posko, "
                   "misalnya 7K3M-9QXR-2B4D.",
                   "service_request_id is not a posko tracking code, "
                   "such as 7K3M-9QXR-2B4D.");
    }

    lk->nkodes = 1;

    if (ngx_http_posko_o311_items(r, lk, 1, NGX_HTTP_POSKO_O311_DESC_ONE,
                                  NGX_HTTP_POSKO_O311_NOTE_ONE)
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_posko_o311_post(r, plcf, task);
}


/*
 * requests.json: by service_request_id (which overrides the rest), or by
 * service_code, status, start_date and end_date.
 */

static ngx_int_t
ngx_http_posko_o311_get_list(ngx_http_request_t *r, ngx_thread_task_t *task)
{
    ngx_int_t                      rc;
    ngx_str_t                      ids, key;
    ngx_array_t                   *errs;
    ngx_http_posko_loc_conf_t     *plcf;
    ngx_http_posko_o311_lookup_t  *lk;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);
    lk = task->ctx;

    errs = ngx_array_create(r->pool, 4, sizeof(ngx_http_posko_o311_err_t));
    if (errs == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_posko_arg(r, "service_request_id", &ids) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ids.len) {
        rc = ngx_http_posko_o311_get_ids(r, lk, &ids, errs);

    } else {
        /* everybody's complaints: for the holders of a key, if any */

        if (ngx_http_posko_arg(r, "api_key", &key) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (ngx_http_posko_o311_key_ok(plcf, &key) != NGX_OK) {
            return ngx_http_posko_o311_forbidden(r);
        }

        lk->what = NGX_HTTP_POSKO_O311_LIST;

        rc = ngx_http_posko_o311_states(r, lk, errs);

        if (rc == NGX_OK) {
            rc = ngx_http_posko_o311_codes(r, lk, errs);
        }

        if (rc == NGX_OK) {
            rc = ngx_http_posko_o311_dates(r, lk, errs);
        }

        if (rc == NGX_OK && errs->nelts == 0) {
            rc = ngx_http_posko_o311_items(r, lk, NGX_HTTP_POSKO_O311_MAX,
                                           NGX_HTTP_POSKO_O311_DESC_LIST,
                                           NGX_HTTP_POSKO_O311_NOTE_LIST);
        }
    }

    if (rc != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (errs->nelts) {
        return ngx_http_posko_o311_reply_errors(r, NGX_HTTP_BAD_REQUEST,
                                                errs);
    }

    return ngx_http_posko_o311_post(r, plcf, task);
}


/*
 * Whether key is one of posko_open311_api_key's (any key when there are
 * none).  Every key is compared, by its SHA-256 and in constant time, so
 * that neither the time taken nor the order tells anything.
 */

ngx_int_t
ngx_http_posko_o311_key_ok(ngx_http_posko_loc_conf_t *plcf, ngx_str_t *key)
{
    u_char      *k;
    ngx_uint_t   i, found;
    u_char       md[NGX_HTTP_POSKO_O311_KEY_SIZE];

    if (plcf->api_keys == NULL) {
        return NGX_OK;
    }

    if (key->len == 0 || key->len > NGX_HTTP_POSKO_O311_KEY_MAX
        || EVP_Digest(key->data, key->len, md, NULL, EVP_sha256(), NULL)
           != 1)
    {
        return NGX_DECLINED;
    }

    k = plcf->api_keys->elts;
    found = 0;

    for (i = 0; i < plcf->api_keys->nelts; i++) {
        found |= (CRYPTO_memcmp(md, k + i * NGX_HTTP_POSKO_O311_KEY_SIZE,
                                NGX_HTTP_POSKO_O311_KEY_SIZE)
                  == 0);
    }

    return found ? NGX_OK : NGX_DECLINED;
}


ngx_int_t
ngx_http_posko_o311_forbidden(ngx_http_request_t *r)
{
    return ngx_http_posko_open311_error(r, NGX_HTTP_FORBIDDEN,
               "api_key tidak ada atau tidak sah.",
               "Missing or invalid api_key.");
}


/* -- back on the event loop ----------------------------------------------- */

static ngx_int_t
ngx_http_posko_o311_done(ngx_http_request_t *r, void *data)
{
    ngx_http_posko_o311_lookup_t *lk = data;

    ngx_int_t          rc;
    ngx_connection_t  *c;

    c = r->connection;

    if (lk->what == NGX_HTTP_POSKO_O311_SERVICES
        || lk->what == NGX_HTTP_POSKO_O311_DEFINITION)
    {
        if (lk->base.rc != NGX_OK) {
            /* the codes stand for themselves until ingest made the names */
            ngx_log_error(NGX_LOG_WARN, c->log, 0,
                          "posko_db \"%s\" cannot be read: %s; services "
                          "are named from their codes", lk->base.db,
                          lk->base.error);
        }

        rc = (lk->what == NGX_HTTP_POSKO_O311_SERVICES)
             ? ngx_http_posko_o311_services(r, lk)
             : ngx_http_posko_o311_definition(r, lk);

    } else if (lk->base.rc != NGX_OK) {
        ngx_log_error(NGX_LOG_ERR, c->log, 0,
                      "posko_db \"%s\" cannot be read: %s", lk->base.db,
                      lk->base.error);
        rc = ngx_http_posko_open311_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                 "Status laporan belum dapat dilihat. Coba lagi beberapa "
                 "saat lagi.",
                 "Requests cannot be looked up right now. Try again in a "
                 "moment.");

    } else if (lk->what == NGX_HTTP_POSKO_O311_ONE && lk->nitems == 0) {
        rc = ngx_http_posko_open311_error(r, NGX_HTTP_NOT_FOUND,
                 "service_request_id tidak ditemukan. Laporan yang baru "
                 "dikirim tampil di sini dalam beberapa menit.",
                 "service_request_id not found. A request sent moments "
                 "ago shows here within a few minutes.");

    } else {
        rc = ngx_http_posko_o311_requests(r, lk);
    }

    return rc;
}
