
/*
 * Copyright (C) posko developers
 *
 * posko_open311: the Open311 GeoReport v2 API (JSON only) under its
 * location, so that city-style 311 apps can send and follow complaints.
 *
 *     GET  services.json             the service list: one service for
 *                                    each value of the kategori rule
 *     GET  services/CODE.json        its definition: the form's other
 *                                    fields as attributes
 *     POST requests.json             a complaint, through the same rules,
 *                                    WAL record and group commit as the
 *                                    form (ngx_http_posko_module.c)
 *     GET  requests/ID.json          one complaint, by its tracking code
 *     GET  requests.json             several, by codes or by filters
 *
 * A POST is read by the module's own body reader and form parser.  They
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
 * (ngx_http_posko_status.c).  They show nothing personal: descriptions
 * and notes go through posko_excerpt(), which hides phone, passport and
 * e-mail numbers; name, phone and e-mail are never read.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <pthread.h>
#include <sqlite3.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ngx_http_posko.h"
#include "posko_excerpt.h"
#include "posko_kode.h"
#include "posko_wal.h"


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
    ngx_http_request_t            *request;
    u_char                        *db;          /* NUL-terminated */
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

    ngx_int_t                      rc;          /* NGX_OK or NGX_ERROR */
    char                           error[160];
    ngx_uint_t                     nitems;
    ngx_uint_t                     max_items;
    ngx_http_posko_o311_item_t    *items;
    ngx_uint_t                     nrefs;
    ngx_http_posko_o311_ref_t     *refs;
} ngx_http_posko_o311_lookup_t;


/* A pool thread's own read-only connection, kept between lookups. */

typedef struct {
    u_char                        *path;
    sqlite3                       *db;
    sqlite3_stmt                  *begin;
    sqlite3_stmt                  *one;
    sqlite3_stmt                  *list;
    sqlite3_stmt                  *refs;
    sqlite3_stmt                  *commit;
} ngx_http_posko_o311_reader_t;


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


static ngx_uint_t ngx_http_posko_o311_route(ngx_http_request_t *r,
    ngx_str_t *id, ngx_uint_t *json);
static ngx_int_t ngx_http_posko_o311_get(ngx_http_request_t *r,
    ngx_uint_t what, ngx_str_t *id);
static ngx_int_t ngx_http_posko_o311_get_one(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_str_t *id);
static ngx_int_t ngx_http_posko_o311_get_list(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_array_t *errs);
static ngx_int_t ngx_http_posko_o311_get_ids(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_str_t *ids, ngx_array_t *errs);
static ngx_int_t ngx_http_posko_o311_items(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_uint_t n, size_t desc,
    size_t note);
static ngx_int_t ngx_http_posko_o311_arg(ngx_http_request_t *r, char *name,
    ngx_str_t *value);
static ngx_int_t ngx_http_posko_o311_next(ngx_str_t *list, ngx_str_t *item);
static ngx_int_t ngx_http_posko_o311_time(ngx_str_t *s, time_t *t);
static void ngx_http_posko_o311_iso(char *out, time_t t, char *ms);
static ngx_int_t ngx_http_posko_o311_key_ok(ngx_http_posko_loc_conf_t *plcf,
    ngx_str_t *key);
static ngx_int_t ngx_http_posko_o311_forbidden(ngx_http_request_t *r);
static ngx_int_t ngx_http_posko_o311_err_add(ngx_http_request_t *r,
    ngx_array_t *errs, ngx_uint_t code, ngx_str_t *name, char *id, char *en);
static ngx_int_t ngx_http_posko_o311_reply_errors(ngx_http_request_t *r,
    ngx_uint_t status, ngx_array_t *errs);
static ngx_int_t ngx_http_posko_o311_field_errors(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form,
    ngx_uint_t status);

static void ngx_http_posko_o311_thread(void *data, ngx_log_t *log);
static void ngx_http_posko_o311_fill(ngx_http_posko_o311_lookup_t *lk,
    sqlite3_stmt *st);
static ngx_http_posko_o311_reader_t *ngx_http_posko_o311_reader(u_char *path,
    char *error, size_t size);
static void ngx_http_posko_o311_reader_free(void *data);
static void ngx_http_posko_o311_key_make(void);

static void ngx_http_posko_o311_done(ngx_event_t *ev);
static ngx_int_t ngx_http_posko_o311_services(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk);
static ngx_int_t ngx_http_posko_o311_definition(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk);
static ngx_int_t ngx_http_posko_o311_requests(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk);
static ngx_int_t ngx_http_posko_o311_value_name(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_str_t *kind, ngx_str_t *value,
    ngx_str_t *name);
static ngx_int_t ngx_http_posko_o311_tidy(ngx_pool_t *pool, ngx_str_t *code,
    ngx_str_t *out);
static ngx_int_t ngx_http_posko_o311_kind(ngx_str_t *name);
static u_char *ngx_http_posko_o311_pair(u_char *p, char *key, char *value);
static int ngx_libc_cdecl ngx_http_posko_o311_newer(const void *one,
    const void *two);
static ngx_http_posko_o311_service_t *ngx_http_posko_o311_service(
    ngx_str_t *code);
static ngx_int_t ngx_http_posko_o311_kode(ngx_http_request_t *r,
    u_char *kode);
static void ngx_http_posko_o311_stored(ngx_http_request_t *r, ngx_int_t rc);


static pthread_key_t   ngx_http_posko_o311_key;
static pthread_once_t  ngx_http_posko_o311_once = PTHREAD_ONCE_INIT;
static ngx_int_t       ngx_http_posko_o311_key_made;


static ngx_http_posko_o311_service_t  ngx_http_posko_o311_services_known[] = {

    { "akomodasi",
      "Hotel dan pemondokan jemaah: kamar, air, listrik, pendingin udara, "
      "kebersihan, jarak ke masjid.",
      "hotel, kamar, pemondokan, air, listrik, AC", "layanan" },

    { "konsumsi",
      "Makanan jemaah: katering, jadwal, porsi, rasa dan kebersihannya.",
      "makan, katering, nasi, minum", "layanan" },

    { "transportasi",
      "Angkutan jemaah: bus shalawat, bus antarkota, bandara, Armuzna.",
      "bus, shalawat, bandara, angkutan, Armuzna", "layanan" },

    { "kesehatan",
      "Layanan kesehatan jemaah: KKHI, klinik sektor, obat, rujukan.",
      "sakit, obat, dokter, KKHI, klinik", "layanan" },

    { "bimbingan_ibadah",
      "Bimbingan manasik dan ibadah: pembimbing, jadwal, informasi ibadah.",
      "manasik, ibadah, pembimbing, umrah", "layanan" },

    { "petugas",
      "Sikap dan kinerja petugas haji.",
      "petugas, sikap, pelayanan", "petugas" },

    { "dokumen",
      "Dokumen jemaah: paspor, visa, gelang dan kartu identitas.",
      "paspor, visa, gelang, identitas", "layanan" },

    { "lainnya",
      "Hal lain tentang layanan dan petugas haji.",
      "lain-lain", "lainnya" },

    { NULL, NULL, NULL, NULL }
};


/* -- config ---------------------------------------------------------------- */

/*
 * The location's own rule set (see the top of this file).  The form's
 * rules keep their places, so slot i of a parsed POST is the form's rule
 * i; last_name and api_key follow them.  An "if" block or a location
 * inside a posko_open311 location takes its parent's sets as they are.
 */

char *
ngx_http_posko_open311_merge(ngx_conf_t *cf, ngx_http_posko_loc_conf_t *prev,
    ngx_http_posko_loc_conf_t *conf)
{
    u_char                 *p;
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

#define ngx_http_posko_is(s)                                                  \
    (f[i].name.len == sizeof(s) - 1                                           \
     && ngx_strncmp(f[i].name.data, s, sizeof(s) - 1) == 0)

        if (ngx_http_posko_is("kategori")) {
            ngx_str_set(&rule->name, "service_code");
            rule->required = 1;

        } else if (ngx_http_posko_is("uraian")) {
            ngx_str_set(&rule->name, "description");

        } else if (ngx_http_posko_is("nama")) {
            ngx_str_set(&rule->name, "first_name");

        } else if (ngx_http_posko_is("telepon")) {
            ngx_str_set(&rule->name, "phone");

        } else if (ngx_http_posko_is("email")) {
            /* the same name */

        } else {
            if (ngx_http_posko_is("jenis")) {
                /* aduan when not given: ngx_http_posko_open311_process */
                rule->required = 0;
            }

            p = ngx_pnalloc(cf->pool, f[i].name.len + sizeof("attribute[]"));
            if (p == NULL) {
                return NGX_CONF_ERROR;
            }

            rule->name.data = p;
            rule->name.len = ngx_sprintf(p, "attribute[%V]", &f[i].name) - p;
        }

#undef ngx_http_posko_is
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
    ngx_str_set(&rule->label, "api_key");
    rule->max_chars = NGX_HTTP_POSKO_O311_KEY_MAX;
    rule->chars = POSKO_CHARS_TEXT;

    conf->form_rules = form;
    conf->rules = rules;

    return NGX_CONF_OK;
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


/* -- requests -------------------------------------------------------------- */

ngx_int_t
ngx_http_posko_open311_handler(ngx_http_request_t *r)
{
    ngx_str_t   id, allow;
    ngx_uint_t  what, json, methods;

    what = ngx_http_posko_o311_route(r, &id, &json);

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
    ngx_str_set(&allow, "GET, HEAD");

    if (what == NGX_HTTP_POSKO_O311_REQUESTS) {
        methods |= NGX_HTTP_POST;
        ngx_str_set(&allow, "GET, HEAD, POST");
    }

    if (!(r->method & methods)) {
        if (ngx_http_discard_request_body(r) != NGX_OK
            || ngx_http_posko_add_header(r, "Allow", &allow) == NULL)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return ngx_http_posko_open311_error(r, NGX_HTTP_NOT_ALLOWED,
                   "Metode tidak diizinkan untuk alamat ini.",
                   "Method not allowed for this resource.");
    }

    if (r->method & NGX_HTTP_POST) {
        /*
         * read and checked like a form: ngx_http_posko_process() calls
         * ngx_http_posko_open311_process() once the body is parsed
         */
        return ngx_http_posko_handler(r);
    }

    if (ngx_http_discard_request_body(r) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_posko_o311_get(r, what, &id);
}


/*
 * What the path names, after the location's prefix ("services.json",
 * "requests/ID.json", ...); under a regex location, from the path's last
 * segments.
 */

static ngx_uint_t
ngx_http_posko_o311_route(ngx_http_request_t *r, ngx_str_t *id,
    ngx_uint_t *json)
{
    u_char                    *p, *last, *dot, *slash;
    ngx_str_t                  rest, stem;
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    ngx_str_null(id);
    *json = 0;

    last = r->uri.data + r->uri.len;

    if (clcf->name.len && clcf->name.data[clcf->name.len - 1] == '/'
        && r->uri.len > clcf->name.len
        && ngx_strncmp(r->uri.data, clcf->name.data, clcf->name.len) == 0)
    {
        rest.data = r->uri.data + clcf->name.len;

    } else {
        /* "services.json", or "requests/ID.json" with its parent */

        for (p = last; p > r->uri.data && p[-1] != '/'; p--) { /* void */ }

        rest.data = p;

        if (p > r->uri.data) {
            for (p--; p > r->uri.data && p[-1] != '/'; p--) { /* void */ }

            if ((size_t) (rest.data - 1 - p) == sizeof("services") - 1
                && (ngx_strncmp(p, "services", 8) == 0
                    || ngx_strncmp(p, "requests", 8) == 0))
            {
                rest.data = p;
            }
        }
    }

    rest.len = last - rest.data;

    dot = NULL;

    for (p = rest.data; p < last; p++) {
        if (*p == '.') {
            dot = p;
        }
    }

    if (dot == NULL) {
        return NGX_HTTP_POSKO_O311_NONE;
    }

    *json = ((size_t) (last - dot) == sizeof(".json") - 1
             && ngx_strncmp(dot, ".json", 5) == 0);

    stem.data = rest.data;
    stem.len = dot - rest.data;

    if (stem.len == 8 && ngx_strncmp(stem.data, "services", 8) == 0) {
        return NGX_HTTP_POSKO_O311_SERVICES;
    }

    if (stem.len == 8 && ngx_strncmp(stem.data, "requests", 8) == 0) {
        return NGX_HTTP_POSKO_O311_REQUESTS;
    }

    if (stem.len <= sizeof("services/") - 1) {
        return NGX_HTTP_POSKO_O311_NONE;
    }

    id->data = stem.data + sizeof("services/") - 1;
    id->len = stem.len - (sizeof("services/") - 1);

    slash = ngx_strlchr(id->data, id->data + id->len, '/');
    if (slash != NULL) {
        return NGX_HTTP_POSKO_O311_NONE;
    }

    if (ngx_strncmp(stem.data, "services/", 9) == 0) {
        return NGX_HTTP_POSKO_O311_DEFINITION;
    }

    if (ngx_strncmp(stem.data, "requests/", 9) == 0) {
        return NGX_HTTP_POSKO_O311_ONE;
    }

    return NGX_HTTP_POSKO_O311_NONE;
}


static ngx_int_t
ngx_http_posko_o311_get(ngx_http_request_t *r, ngx_uint_t what,
    ngx_str_t *id)
{
    ngx_int_t                      rc, k;
    ngx_str_t                      no_store = ngx_string("no-store");
    ngx_array_t                   *errs;
    ngx_thread_task_t             *task;
    ngx_http_posko_rule_t         *kategori;
    ngx_http_posko_loc_conf_t     *plcf;
    ngx_http_posko_o311_lookup_t  *lk;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    task = ngx_thread_task_alloc(r->pool,
                                 sizeof(ngx_http_posko_o311_lookup_t));
    if (task == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    lk = task->ctx;
    lk->request = r;
    lk->db = plcf->db.data;
    lk->what = what;

    if (what == NGX_HTTP_POSKO_O311_SERVICES
        || what == NGX_HTTP_POSKO_O311_DEFINITION)
    {
        if (what == NGX_HTTP_POSKO_O311_DEFINITION) {
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
            lk->rc = NGX_ERROR;

            return (what == NGX_HTTP_POSKO_O311_SERVICES)
                   ? ngx_http_posko_o311_services(r, lk)
                   : ngx_http_posko_o311_definition(r, lk);
        }

        lk->refs = ngx_palloc(r->pool, NGX_HTTP_POSKO_O311_REFS
                                       * sizeof(ngx_http_posko_o311_ref_t));
        if (lk->refs == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        goto post;
    }

    /* a request's status is its sender's business: no cache keeps it */

    if (ngx_http_posko_add_header(r, "Cache-Control", &no_store) == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (plcf->db.len == 0) {
        return ngx_http_posko_open311_error(r, NGX_HTTP_NOT_FOUND,
                   "Status laporan tidak dapat dilihat melalui alamat ini.",
                   "Requests cannot be looked up here (no posko_db).");
    }

    if (what == NGX_HTTP_POSKO_O311_ONE) {
        rc = ngx_http_posko_o311_get_one(r, lk, id);

    } else {
        errs = ngx_array_create(r->pool, 4,
                                sizeof(ngx_http_posko_o311_err_t));
        if (errs == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        rc = ngx_http_posko_o311_get_list(r, lk, errs);

        if (rc == NGX_DECLINED) {
            return ngx_http_posko_o311_reply_errors(r, NGX_HTTP_BAD_REQUEST,
                                                    errs);
        }
    }

    if (rc != NGX_OK) {
        return rc;
    }

post:

    task->handler = ngx_http_posko_o311_thread;
    task->event.handler = ngx_http_posko_o311_done;
    task->event.data = lk;

    if (ngx_thread_task_post(plcf->thread_pool, task) != NGX_OK) {
        return ngx_http_posko_open311_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                   "Layanan sedang sibuk; coba lagi sebentar.",
                   "The service is busy; try again shortly.");
    }

    /* the request stays until the thread has answered */

    r->main->count++;
    r->main->blocked++;

    return NGX_DONE;
}


/* requests/ID.json: a code read the forgiving way, or 400 */

static ngx_int_t
ngx_http_posko_o311_get_one(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_str_t *id)
{
    int  rc;

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

    return ngx_http_posko_o311_items(r, lk, 1, NGX_HTTP_POSKO_O311_DESC_ONE,
                                     NGX_HTTP_POSKO_O311_NOTE_ONE);
}


/*
 * requests.json: by service_request_id (which overrides the rest), or by
 * service_code, status, start_date and end_date.  NGX_DECLINED: the
 * problems are in errs.
 */

static ngx_int_t
ngx_http_posko_o311_get_list(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_array_t *errs)
{
    u_char                     *p;
    time_t                      start, end;
    ngx_int_t                   k;
    ngx_str_t                   ids, key, codes, states, date, item;
    ngx_str_t                   name;
    ngx_http_posko_rule_t      *kategori;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    if (ngx_http_posko_o311_arg(r, "service_request_id", &ids) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ids.len) {
        return ngx_http_posko_o311_get_ids(r, lk, &ids, errs);
    }

    /* everybody's complaints: for the holders of a key, when there are keys */

    if (ngx_http_posko_o311_arg(r, "api_key", &key) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_posko_o311_key_ok(plcf, &key) != NGX_OK) {
        return ngx_http_posko_o311_forbidden(r);
    }

    lk->what = NGX_HTTP_POSKO_O311_LIST;

    /* status=open,closed */

    if (ngx_http_posko_o311_arg(r, "status", &states) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
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
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            break;
        }
    }

    if (lk->states == 0) {
        lk->states = NGX_HTTP_POSKO_O311_OPEN|NGX_HTTP_POSKO_O311_CLOSED;
    }

    /* service_code=a,b: codes the form knows */

    if (ngx_http_posko_o311_arg(r, "service_code", &codes) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (codes.len) {
        k = ngx_http_posko_rule_find(plcf->form_rules,
                                     (u_char *) "kategori", 8);
        kategori = (ngx_http_posko_rule_t *) plcf->form_rules->elts + k;

        lk->codes = ngx_pnalloc(r->pool, codes.len + 3);
        if (lk->codes == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
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
                    return NGX_HTTP_INTERNAL_SERVER_ERROR;
                }

                break;
            }

            p = ngx_cpymem(p, item.data, item.len);
            *p++ = ',';
        }

        *p = '\0';
    }

    /* start_date, end_date: 90 days up to the end (or now) by default */

    start = 0;
    end = 0;

    if (ngx_http_posko_o311_arg(r, "end_date", &date) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (date.len) {
        ngx_str_set(&name, "end_date");

        if (ngx_http_posko_o311_time(&date, &end) != NGX_OK) {
            if (ngx_http_posko_o311_err_add(r, errs, NGX_HTTP_BAD_REQUEST,
                    &name, "bukan waktu ISO 8601 yang sah, misalnya "
                    "2026-06-01T00:00:00Z.",
                    "is not an ISO 8601 date and time, such as "
                    "2026-06-01T00:00:00Z.")
                != NGX_OK)
            {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

        } else {
            ngx_http_posko_o311_iso(lk->end, end, "999");
        }
    }

    if (ngx_http_posko_o311_arg(r, "start_date", &date) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (date.len) {
        ngx_str_set(&name, "start_date");

        if (ngx_http_posko_o311_time(&date, &start) != NGX_OK) {
            if (ngx_http_posko_o311_err_add(r, errs, NGX_HTTP_BAD_REQUEST,
                    &name, "bukan waktu ISO 8601 yang sah, misalnya "
                    "2026-06-01T00:00:00Z.",
                    "is not an ISO 8601 date and time, such as "
                    "2026-06-01T00:00:00Z.")
                != NGX_OK)
            {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

        } else if (lk->end[0] && start > end) {
            if (ngx_http_posko_o311_err_add(r, errs, NGX_HTTP_BAD_REQUEST,
                    &name, "lebih akhir daripada end_date.",
                    "is later than end_date.")
                != NGX_OK)
            {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }
        }

    } else {
        start = (lk->end[0] ? end : ngx_time())
                - NGX_HTTP_POSKO_O311_DAYS * 86400;

        if (start < 0) {
            start = 0;
        }
    }

    ngx_http_posko_o311_iso(lk->start, start, "000");

    if (errs->nelts) {
        return NGX_DECLINED;
    }

    return ngx_http_posko_o311_items(r, lk, NGX_HTTP_POSKO_O311_MAX,
                                     NGX_HTTP_POSKO_O311_DESC_LIST,
                                     NGX_HTTP_POSKO_O311_NOTE_LIST);
}


/* service_request_id=A,B,...: at most 50 codes, each a code */

static ngx_int_t
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
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            return NGX_DECLINED;
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
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
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
        return NGX_DECLINED;
    }

    return ngx_http_posko_o311_items(r, lk, lk->nkodes,
                                     NGX_HTTP_POSKO_O311_DESC_LIST,
                                     NGX_HTTP_POSKO_O311_NOTE_LIST);
}


/* Room for n complaints and their texts, filled in by the thread. */

static ngx_int_t
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
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
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


/* A query argument, "+" and %XX undone; empty when not given. */

static ngx_int_t
ngx_http_posko_o311_arg(ngx_http_request_t *r, char *name, ngx_str_t *value)
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


/*
 * An ISO 8601 time as the spec's w3 note has it: 2026-06-01,
 * 2026-06-01T08:30Z, 2026-06-01T08:30:00+03:00, 2026-06-01T08:30:00.5Z;
 * without a zone, UTC.  A "+" sent unescaped arrives as a space.
 */

static ngx_int_t
ngx_http_posko_o311_time(ngx_str_t *s, time_t *t)
{
    u_char     *p, *last;
    time_t      days;
    ngx_int_t   y, mo, d, h, mi, sec, zh, zm, sign;

    p = s->data;
    last = s->data + s->len;

    if (s->len < 10 || p[4] != '-' || p[7] != '-') {
        return NGX_ERROR;
    }

    y = ngx_atoi(p, 4);
    mo = ngx_atoi(p + 5, 2);
    d = ngx_atoi(p + 8, 2);
    h = 0;
    mi = 0;
    sec = 0;
    zh = 0;
    zm = 0;
    sign = 1;

    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31) {
        return NGX_ERROR;
    }

    p += 10;

    if (p < last) {
        if (*p != 'T' && *p != 't' && *p != ' ') {
            return NGX_ERROR;
        }

        p++;

        if (last - p < 5 || p[2] != ':') {
            return NGX_ERROR;
        }

        h = ngx_atoi(p, 2);
        mi = ngx_atoi(p + 3, 2);
        p += 5;

        if (p < last && *p == ':') {
            if (last - p < 3) {
                return NGX_ERROR;
            }

            sec = ngx_atoi(p + 1, 2);
            p += 3;

            if (p < last && (*p == '.' || *p == ',')) {
                for (p++; p < last && *p >= '0' && *p <= '9'; p++) {
                    /* void */
                }
            }
        }

        if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) {
            return NGX_ERROR;
        }

        if (p < last && (*p == 'Z' || *p == 'z')) {
            p++;

        } else if (p < last && (*p == '+' || *p == '-' || *p == ' ')) {
            sign = (*p == '-') ? -1 : 1;
            p++;

            if (last - p == 5 && p[2] == ':') {
                zh = ngx_atoi(p, 2);
                zm = ngx_atoi(p + 3, 2);

            } else if (last - p == 4) {
                zh = ngx_atoi(p, 2);
                zm = ngx_atoi(p + 2, 2);

            } else if (last - p == 2) {
                zh = ngx_atoi(p, 2);

            } else {
                return NGX_ERROR;
            }

            if (zh < 0 || zh > 14 || zm < 0 || zm > 59) {
                return NGX_ERROR;
            }

            p = last;
        }

        if (p != last) {
            return NGX_ERROR;
        }
    }

    /* days since 1970 of a civil date (March-based years) */

    if (mo <= 2) {
        y--;
    }

    days = (time_t) (365 * y + y / 4 - y / 100 + y / 400
                     + (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
                     - 719468);

    *t = days * 86400 + h * 3600 + mi * 60 + sec
         - sign * (zh * 3600 + zm * 60);

    if (*t < 0) {
        *t = 0;
    }

    return NGX_OK;
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


/*
 * Whether key is one of posko_open311_api_key's (any key when there are
 * none).  Every key is compared, by its SHA-256 and in constant time, so
 * that neither the time taken nor the order tells anything.
 */

static ngx_int_t
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


static ngx_int_t
ngx_http_posko_o311_forbidden(ngx_http_request_t *r)
{
    return ngx_http_posko_open311_error(r, NGX_HTTP_FORBIDDEN,
               "api_key tidak ada atau tidak sah.",
               "Missing or invalid api_key.");
}


/* -- a new request (POST) -------------------------------------------------- */

/*
 * Called by ngx_http_posko_process() with the body parsed under this
 * location's rule set.  Then: the key, the defaults, the joined name,
 * and the same record the form makes, to the same WAL writer.
 */

ngx_int_t
ngx_http_posko_open311_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form)
{
    u_char                 *rec, *p;
    size_t                  len;
    ngx_int_t               jenis, nama, kategori;
    ngx_str_t              *v, key, aduan = ngx_string("aduan");
    ngx_str_t               no_store = ngx_string("no-store");
    ngx_uint_t              i, n, last, api;
    posko_err_t             err;
    ngx_http_posko_ctx_t   *ctx;
    ngx_http_posko_rule_t  *rule;
    u_char                  kode[POSKO_KODE_LEN + 1];
    u_char                  at[NGX_HTTP_POSKO_ISO_SIZE];

    v = form->value;
    rule = plcf->form_rules->elts;
    n = plcf->form_rules->nelts;
    last = n;
    api = n + 1;

    /* the key first: without it, nothing about the fields is told */

    key = v[api];

    if (form->error[api] != POSKO_ERR_NONE) {
        ngx_str_null(&key);

    } else if (key.len == 0) {
        if (ngx_http_posko_o311_arg(r, "api_key", &key) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    if (ngx_http_posko_o311_key_ok(plcf, &key) != NGX_OK) {
        return ngx_http_posko_o311_forbidden(r);
    }

    jenis = ngx_http_posko_rule_find(plcf->form_rules, (u_char *) "jenis", 5);
    nama = ngx_http_posko_rule_find(plcf->form_rules, (u_char *) "nama", 4);
    kategori = ngx_http_posko_rule_find(plcf->form_rules,
                                        (u_char *) "kategori", 8);

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
                    return NGX_HTTP_INTERNAL_SERVER_ERROR;
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

    if (form->nerrors) {
        /* an unknown service is a resource not found (the spec's 404) */

        return ngx_http_posko_o311_field_errors(r, plcf, form,
                   form->error[kategori] == POSKO_ERR_NOT_IN_LIST
                   ? NGX_HTTP_NOT_FOUND : NGX_HTTP_BAD_REQUEST);
    }

    ctx = ngx_http_get_module_ctx(r, ngx_http_posko_module);

    if (ngx_http_posko_add_header(r, "Cache-Control", &no_store) == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* the record, field for field as the intake makes it */

    if (ngx_http_posko_o311_kode(r, kode) != NGX_OK) {
        return ngx_http_posko_open311_error(r, NGX_HTTP_SERVICE_UNAVAILABLE,
                   "Layanan sedang terganggu; coba lagi sebentar.",
                   "Service unavailable; try again shortly.");
    }

    ngx_http_posko_time_iso(at);

    len = posko_wal_field_size(sizeof("kode") - 1, POSKO_KODE_LEN)
          + posko_wal_field_size(sizeof("received_at") - 1, sizeof(at) - 1);

    for (i = 0; i < n; i++) {
        if (v[i].len) {
            len += posko_wal_field_size(rule[i].name.len, v[i].len);
        }
    }

    rec = ngx_pnalloc(r->pool, POSKO_WAL_FRAME_SIZE + len);
    if (rec == NULL) {
        return ngx_http_posko_reply_unavailable(r);
    }

    p = rec + POSKO_WAL_FRAME_SIZE;
    p = posko_wal_field_put(p, "kode", sizeof("kode") - 1,
                            kode, POSKO_KODE_LEN);
    p = posko_wal_field_put(p, "received_at", sizeof("received_at") - 1,
                            at, sizeof(at) - 1);

    for (i = 0; i < n; i++) {
        if (v[i].len) {
            p = posko_wal_field_put(p, (char *) rule[i].name.data,
                                    rule[i].name.len,
                                    v[i].data, v[i].len);
        }
    }

    posko_wal_frame_unsummed(rec, POSKO_REC_SUBMISSION, (uint32_t) len);

    /* the answer comes when the record is durable */

    ngx_memcpy(ctx->kode, kode, sizeof(kode));
    ctx->wait.handler = ngx_http_posko_o311_stored;

    if (ngx_http_posko_wal_append(r, plcf, &ctx->wait, rec,
                                  POSKO_WAL_FRAME_SIZE + len)
        != NGX_OK)
    {
        return ngx_http_posko_reply_unavailable(r);
    }

    return NGX_DONE;
}


/* A new tracking code, as the intake makes one (posko_kode.h). */

static ngx_int_t
ngx_http_posko_o311_kode(ngx_http_request_t *r, u_char *kode)
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


/* -- errors ---------------------------------------------------------------- */

/*
 * The spec's error list, [{"code":..,"description":".."}], with one
 * entry: the answer of every refusal at an Open311 location, including
 * those the module's shared code makes (ngx_http_posko_reply_error()).
 */

ngx_int_t
ngx_http_posko_open311_error(ngx_http_request_t *r, ngx_uint_t status,
    char *id, char *en)
{
    ngx_array_t                *errs;
    ngx_http_posko_o311_err_t  *e;

    errs = ngx_array_create(r->pool, 1, sizeof(ngx_http_posko_o311_err_t));
    if (errs == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    e = ngx_array_push(errs);
    if (e == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    e->code = status;
    e->id.data = (u_char *) id;
    e->id.len = ngx_strlen(id);
    e->en.data = (u_char *) en;
    e->en.len = ngx_strlen(en);

    return ngx_http_posko_o311_reply_errors(r, status, errs);
}


/* An entry "NAME reason", the name the client sent in both languages. */

static ngx_int_t
ngx_http_posko_o311_err_add(ngx_http_request_t *r, ngx_array_t *errs,
    ngx_uint_t code, ngx_str_t *name, char *id, char *en)
{
    ngx_http_posko_o311_err_t  *e;

    e = ngx_array_push(errs);
    if (e == NULL) {
        return NGX_ERROR;
    }

    e->code = code;

    e->id.data = ngx_pnalloc(r->pool, name->len + 1 + ngx_strlen(id));
    e->en.data = ngx_pnalloc(r->pool, name->len + 1 + ngx_strlen(en));
    if (e->id.data == NULL || e->en.data == NULL) {
        return NGX_ERROR;
    }

    e->id.len = ngx_sprintf(e->id.data, "%V %s", name, id) - e->id.data;
    e->en.len = ngx_sprintf(e->en.data, "%V %s", name, en) - e->en.data;

    return NGX_OK;
}


static ngx_int_t
ngx_http_posko_o311_reply_errors(ngx_http_request_t *r, ngx_uint_t status,
    ngx_array_t *errs)
{
    u_char                     *p;
    size_t                      len;
    ngx_str_t                   body, text;
    ngx_str_t                   retry = ngx_string(NGX_HTTP_POSKO_RETRY_AFTER);
    ngx_uint_t                  i;
    ngx_http_posko_o311_err_t  *e;

    if (status == NGX_HTTP_SERVICE_UNAVAILABLE
        && ngx_http_posko_add_header(r, "Retry-After", &retry) == NULL)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    e = errs->elts;
    len = sizeof("[]\n");

    for (i = 0; i < errs->nelts; i++) {
        /* the worst escaping: \u00XX */
        len += sizeof("{\"code\":,\"description\":\" / \"},") + NGX_INT_T_LEN
               + 6 * (e[i].id.len + e[i].en.len);
    }

    body.data = ngx_pnalloc(r->pool, len);
    if (body.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = body.data;
    *p++ = '[';

    for (i = 0; i < errs->nelts; i++) {
        if (i) {
            *p++ = ',';
        }

        /* "Indonesian / English", one string */

        text.len = e[i].id.len + sizeof(" / ") - 1 + e[i].en.len;
        text.data = ngx_pnalloc(r->pool, text.len);
        if (text.data == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_sprintf(text.data, "%V / %V", &e[i].id, &e[i].en);

        p = ngx_sprintf(p, "{\"code\":%ui,\"description\":", e[i].code);
        p = ngx_http_posko_json_string(p, text.data, text.len);
        *p++ = '}';
    }

    p = ngx_cpymem(p, "]\n", 2);
    body.len = p - body.data;

    return ngx_http_posko_send(r, status, &ngx_http_posko_json_type, &body);
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


/* -- in a thread of the pool ----------------------------------------------- */

static void
ngx_http_posko_o311_thread(void *data, ngx_log_t *log)
{
    ngx_http_posko_o311_lookup_t *lk = data;

    int                            rc;
    ngx_uint_t                     i;
    sqlite3_stmt                  *st;
    ngx_http_posko_o311_ref_t     *ref;
    ngx_http_posko_o311_reader_t  *rd;

    rd = ngx_http_posko_o311_reader(lk->db, lk->error, sizeof(lk->error));
    if (rd == NULL) {
        lk->rc = NGX_ERROR;
        return;
    }

    lk->rc = NGX_OK;

    /* every read from one snapshot, under one shared lock */

    (void) sqlite3_step(rd->begin);
    sqlite3_reset(rd->begin);

    rc = SQLITE_DONE;

    switch (lk->what) {

    case NGX_HTTP_POSKO_O311_SERVICES:
    case NGX_HTTP_POSKO_O311_DEFINITION:

        st = rd->refs;

        while (lk->nrefs < NGX_HTTP_POSKO_O311_REFS
               && (rc = sqlite3_step(st)) == SQLITE_ROW)
        {
            ref = &lk->refs[lk->nrefs++];

            ngx_http_posko_copy_text(ref->kind, sizeof(ref->kind),
                                     sqlite3_column_text(st, 0));
            ngx_http_posko_copy_text(ref->kode, sizeof(ref->kode),
                                     sqlite3_column_text(st, 1));
            ngx_http_posko_copy_text(ref->name, sizeof(ref->name),
                                     sqlite3_column_text(st, 2));
        }

        if (rc == SQLITE_ROW) {
            rc = SQLITE_DONE;
        }

        sqlite3_reset(st);
        break;

    case NGX_HTTP_POSKO_O311_ONE:
    case NGX_HTTP_POSKO_O311_IDS:

        st = rd->one;

        for (i = 0; i < lk->nkodes; i++) {
            sqlite3_bind_text(st, 1, lk->kodes[i], POSKO_KODE_LEN,
                              SQLITE_STATIC);

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

        break;

    default: /* NGX_HTTP_POSKO_O311_LIST */

        st = rd->list;

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

        if (rc == SQLITE_ROW) {
            rc = SQLITE_DONE;
        }

        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        break;
    }

    if (rc != SQLITE_DONE) {
        lk->rc = NGX_ERROR;
        ngx_cpystrn((u_char *) lk->error,
                    (u_char *) sqlite3_errmsg(rd->db), sizeof(lk->error));
    }

    (void) sqlite3_step(rd->commit);
    sqlite3_reset(rd->commit);
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

    ngx_http_posko_copy_text(it->kode, sizeof(it->kode),
                             sqlite3_column_text(st, 0));
    ngx_http_posko_copy_text(it->status, sizeof(it->status),
                             sqlite3_column_text(st, 1));
    ngx_http_posko_copy_text(it->kategori, sizeof(it->kategori),
                             sqlite3_column_text(st, 2));
    ngx_http_posko_copy_text(it->service_name, sizeof(it->service_name),
                             sqlite3_column_text(st, 3));
    ngx_http_posko_copy_text(it->unit, sizeof(it->unit),
                             sqlite3_column_text(st, 5));
    ngx_http_posko_copy_text(it->agency, sizeof(it->agency),
                             sqlite3_column_text(st, 6));
    ngx_http_posko_copy_text(it->received, sizeof(it->received),
                             sqlite3_column_text(st, 7));
    ngx_http_posko_copy_text(it->updated, sizeof(it->updated),
                             sqlite3_column_text(st, 8));
    ngx_http_posko_copy_text(it->due, sizeof(it->due),
                             sqlite3_column_text(st, 9));

    /* what is shown of the pilgrim's text and the team's public note */

    text = (const char *) sqlite3_column_text(st, 4);
    posko_excerpt(text ? text : "", text ? sqlite3_column_bytes(st, 4) : 0,
                  it->description, lk->desc_size);

    text = (const char *) sqlite3_column_text(st, 10);
    posko_excerpt(text ? text : "", text ? sqlite3_column_bytes(st, 10) : 0,
                  it->note, lk->note_size);
}


/*
 * The thread's connection to path, opened read-only on first use and
 * kept, its statements prepared once.  The columns read never include
 * name, phone or e-mail.
 */

static ngx_http_posko_o311_reader_t *
ngx_http_posko_o311_reader(u_char *path, char *error, size_t size)
{
    ngx_http_posko_o311_reader_t  *rd;

    if (pthread_once(&ngx_http_posko_o311_once, ngx_http_posko_o311_key_make)
        != 0
        || !ngx_http_posko_o311_key_made)
    {
        ngx_cpystrn((u_char *) error, (u_char *) "no thread key", size);
        return NULL;
    }

    rd = pthread_getspecific(ngx_http_posko_o311_key);

    if (rd != NULL && rd->path == path) {
        return rd;
    }

    if (rd != NULL) {
        /* another posko_db at this location: start again */
        ngx_http_posko_o311_reader_free(rd);
        (void) pthread_setspecific(ngx_http_posko_o311_key, NULL);
    }

    rd = calloc(1, sizeof(ngx_http_posko_o311_reader_t));
    if (rd == NULL) {
        ngx_cpystrn((u_char *) error, (u_char *) "out of memory", size);
        return NULL;
    }

    rd->path = path;

    if (sqlite3_open_v2((char *) path, &rd->db,
                        SQLITE_OPEN_READONLY|SQLITE_OPEN_NOMUTEX, NULL)
        != SQLITE_OK
        || sqlite3_busy_timeout(rd->db, 2000) != SQLITE_OK
        || sqlite3_prepare_v3(rd->db, "BEGIN", -1, SQLITE_PREPARE_PERSISTENT,
                              &rd->begin, NULL)
           != SQLITE_OK
        || sqlite3_prepare_v3(rd->db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT,
                              &rd->commit, NULL)
           != SQLITE_OK
        || sqlite3_prepare_v3(rd->db,
               NGX_HTTP_POSKO_O311_SELECT " WHERE c.kode = ?1",
               -1, SQLITE_PREPARE_PERSISTENT, &rd->one, NULL)
           != SQLITE_OK
        || sqlite3_prepare_v3(rd->db,
               NGX_HTTP_POSKO_O311_SELECT
               " WHERE c.received_at >= ?1"
               " AND (?2 IS NULL OR c.received_at <= ?2)"
               " AND (?3 & CASE WHEN c.status IN ('selesai', 'tidak_faktual',"
               " 'ditutup') THEN 2 ELSE 1 END) <> 0"
               " AND (?4 IS NULL OR instr(?4, ',' || c.kategori || ',') > 0)"
               " ORDER BY c.received_at DESC, c.id DESC LIMIT ?5",
               -1, SQLITE_PREPARE_PERSISTENT, &rd->list, NULL)
           != SQLITE_OK
        || sqlite3_prepare_v3(rd->db,
               "SELECT 'kategori', kode, nama FROM ref_kategori"
               " UNION ALL SELECT 'lokasi', kode, nama FROM ref_lokasi"
               " UNION ALL SELECT 'embarkasi', kode, kota FROM ref_embarkasi",
               -1, SQLITE_PREPARE_PERSISTENT, &rd->refs, NULL)
           != SQLITE_OK)
    {
        ngx_cpystrn((u_char *) error,
                    (u_char *) (rd->db ? sqlite3_errmsg(rd->db)
                                       : "out of memory"), size);
        ngx_http_posko_o311_reader_free(rd);
        return NULL;
    }

    if (pthread_setspecific(ngx_http_posko_o311_key, rd) != 0) {
        ngx_cpystrn((u_char *) error, (u_char *) "no thread key", size);
        ngx_http_posko_o311_reader_free(rd);
        return NULL;
    }

    return rd;
}


/* Closes a thread's connection when the thread ends. */

static void
ngx_http_posko_o311_reader_free(void *data)
{
    ngx_http_posko_o311_reader_t *rd = data;

    sqlite3_finalize(rd->begin);
    sqlite3_finalize(rd->one);
    sqlite3_finalize(rd->list);
    sqlite3_finalize(rd->refs);
    sqlite3_finalize(rd->commit);
    sqlite3_close(rd->db);
    free(rd);
}


static void
ngx_http_posko_o311_key_make(void)
{
    ngx_http_posko_o311_key_made =
        (pthread_key_create(&ngx_http_posko_o311_key,
                            ngx_http_posko_o311_reader_free) == 0);
}


/* -- back on the event loop ------------------------------------------------ */

static void
ngx_http_posko_o311_done(ngx_event_t *ev)
{
    ngx_http_posko_o311_lookup_t *lk = ev->data;

    ngx_int_t            rc;
    ngx_connection_t    *c;
    ngx_http_request_t  *r;

    r = lk->request;
    c = r->connection;

    r->main->blocked--;

    if (lk->what == NGX_HTTP_POSKO_O311_SERVICES
        || lk->what == NGX_HTTP_POSKO_O311_DEFINITION)
    {
        if (lk->rc != NGX_OK) {
            /* the codes stand for themselves until ingest made the names */
            ngx_log_error(NGX_LOG_WARN, c->log, 0,
                          "posko_db \"%s\" cannot be read: %s; services "
                          "are named from their codes", lk->db, lk->error);
        }

        rc = (lk->what == NGX_HTTP_POSKO_O311_SERVICES)
             ? ngx_http_posko_o311_services(r, lk)
             : ngx_http_posko_o311_definition(r, lk);

    } else if (lk->rc != NGX_OK) {
        ngx_log_error(NGX_LOG_ERR, c->log, 0,
                      "posko_db \"%s\" cannot be read: %s", lk->db,
                      lk->error);
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

    ngx_http_finalize_request(r, rc);
    ngx_http_run_posted_requests(c);
}


/* services.json: a service for each value of the kategori rule. */

static ngx_int_t
ngx_http_posko_o311_services(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk)
{
    u_char                         *p;
    size_t                          len;
    ngx_int_t                       k;
    ngx_str_t                       body, *code, *name, text;
    ngx_uint_t                      i, n;
    ngx_http_posko_rule_t          *kategori;
    ngx_http_posko_loc_conf_t      *plcf;
    ngx_http_posko_o311_service_t  *svc, other;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    k = ngx_http_posko_rule_find(plcf->form_rules, (u_char *) "kategori", 8);
    kategori = (ngx_http_posko_rule_t *) plcf->form_rules->elts + k;

    n = kategori->values ? kategori->values->nelts : 0;
    code = kategori->values ? kategori->values->elts : NULL;

    name = ngx_palloc(r->pool, (n + 1) * sizeof(ngx_str_t));
    if (name == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    len = sizeof("[]\n");

    for (i = 0; i < n; i++) {
        if (ngx_http_posko_o311_value_name(r, lk, &kategori->name, &code[i],
                                           &name[i])
            != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        len += 1024 + 6 * (code[i].len + 2 * name[i].len);
    }

    body.data = ngx_pnalloc(r->pool, len);
    if (body.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = body.data;
    *p++ = '[';

    for (i = 0; i < n; i++) {
        svc = ngx_http_posko_o311_service(&code[i]);

        if (svc == NULL) {
            /* a category an operator added: described by its name */
            other.description = NULL;
            other.keywords = NULL;
            other.group = "lainnya";
            svc = &other;
        }

        if (i) {
            *p++ = ',';
        }

        p = ngx_cpymem(p, "{\"service_code\":",
                       sizeof("{\"service_code\":") - 1);
        p = ngx_http_posko_json_string(p, code[i].data, code[i].len);
        p = ngx_cpymem(p, ",\"service_name\":",
                       sizeof(",\"service_name\":") - 1);
        p = ngx_http_posko_json_string(p, name[i].data, name[i].len);
        p = ngx_cpymem(p, ",\"description\":",
                       sizeof(",\"description\":") - 1);

        if (svc->description) {
            p = ngx_http_posko_json_string(p, (u_char *) svc->description,
                                           ngx_strlen(svc->description));

        } else {
            text.data = ngx_pnalloc(r->pool, name[i].len + 64);
            if (text.data == NULL) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            text.len = ngx_sprintf(text.data, "Laporan tentang %V.",
                                   &name[i])
                       - text.data;
            p = ngx_http_posko_json_string(p, text.data, text.len);
        }

        p = ngx_cpymem(p, ",\"metadata\":true,\"type\":\"realtime\","
                       "\"keywords\":",
                       sizeof(",\"metadata\":true,\"type\":\"realtime\","
                              "\"keywords\":") - 1);

        if (svc->keywords) {
            p = ngx_http_posko_json_string(p, (u_char *) svc->keywords,
                                           ngx_strlen(svc->keywords));

        } else {
            p = ngx_http_posko_json_string(p, name[i].data, name[i].len);
        }

        p = ngx_sprintf(p, ",\"group\":\"%s\"}", svc->group);
    }

    p = ngx_cpymem(p, "]\n", 2);
    body.len = p - body.data;

    return ngx_http_posko_send(r, NGX_HTTP_OK, &ngx_http_posko_json_type,
                               &body);
}


/*
 * services/CODE.json: the form's other fields as attributes.  jenis is
 * not required here when it defaults to aduan.
 */

static ngx_int_t
ngx_http_posko_o311_definition(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk)
{
    static char  *chars[] = {   /* by posko_chars_t */
        "", ": huruf, angka, - dan /", ": angka, +, spasi, - dan tanda kurung",
        ": satu alamat e-mail"
    };

    u_char                     *p;
    size_t                      len;
    ngx_str_t                   body, *v, name, text;
    ngx_str_t                   aduan = ngx_string("aduan");
    ngx_uint_t                  i, j, order, required;
    ngx_http_posko_rule_t      *rule;
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_http_get_module_loc_conf(r, ngx_http_posko_module);

    rule = plcf->form_rules->elts;

    len = 256 + 6 * lk->service.len;

    for (i = 0; i < plcf->form_rules->nelts; i++) {
        len += 512 + 6 * (rule[i].name.len + rule[i].label.len
                          + rule[i].pattern_text.len);

        if (rule[i].values) {
            v = rule[i].values->elts;

            for (j = 0; j < rule[i].values->nelts; j++) {
                /* a name: the code tidied, or at most 127 bytes read */
                len += 32 + 6 * (v[j].len + ngx_max(v[j].len, 128));
            }
        }
    }

    body.data = ngx_pnalloc(r->pool, len);
    if (body.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_cpymem(body.data, "{\"service_code\":",
                   sizeof("{\"service_code\":") - 1);
    p = ngx_http_posko_json_string(p, lk->service.data, lk->service.len);
    p = ngx_cpymem(p, ",\"attributes\":[", sizeof(",\"attributes\":[") - 1);

    order = 0;

    for (i = 0; i < plcf->form_rules->nelts; i++) {
        if (ngx_http_posko_o311_kind(&rule[i].name) != 0) {
            /* a field of the request itself, not an attribute */
            continue;
        }

        required = rule[i].required;

        if (rule[i].name.len == 5
            && ngx_strncmp(rule[i].name.data, "jenis", 5) == 0
            && ngx_http_posko_rule_check(&rule[i], aduan.data, aduan.len,
                                         r->connection->log)
               == POSKO_ERR_NONE)
        {
            required = 0;
        }

        if (order++) {
            *p++ = ',';
        }

        p = ngx_cpymem(p, "{\"variable\":true,\"code\":",
                       sizeof("{\"variable\":true,\"code\":") - 1);
        p = ngx_http_posko_json_string(p, rule[i].name.data,
                                       rule[i].name.len);
        p = ngx_sprintf(p, ",\"datatype\":\"%s\",\"required\":%s,"
                        "\"datatype_description\":",
                        rule[i].values ? "singlevaluelist" : "string",
                        required ? "true" : "false");

        if (rule[i].values) {
            p = ngx_cpymem(p, "null", 4);

        } else {
            text.data = ngx_pnalloc(r->pool, 128 + rule[i].pattern_text.len);
            if (text.data == NULL) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            text.len = ngx_sprintf(text.data,
                                   "Paling banyak %uz karakter%s%s%V.",
                                   rule[i].max_chars, chars[rule[i].chars],
                                   rule[i].pattern_text.len
                                   ? "; sesuai pola " : "",
                                   &rule[i].pattern_text)
                       - text.data;

            p = ngx_http_posko_json_string(p, text.data, text.len);
        }

        p = ngx_sprintf(p, ",\"order\":%ui,\"description\":", order);
        p = ngx_http_posko_json_string(p, rule[i].label.data,
                                       rule[i].label.len);
        p = ngx_cpymem(p, ",\"values\":[", sizeof(",\"values\":[") - 1);

        if (rule[i].values) {
            v = rule[i].values->elts;

            for (j = 0; j < rule[i].values->nelts; j++) {
                if (ngx_http_posko_o311_value_name(r, lk, &rule[i].name,
                                                   &v[j], &name)
                    != NGX_OK)
                {
                    return NGX_HTTP_INTERNAL_SERVER_ERROR;
                }

                if (j) {
                    *p++ = ',';
                }

                p = ngx_cpymem(p, "{\"key\":", sizeof("{\"key\":") - 1);
                p = ngx_http_posko_json_string(p, v[j].data, v[j].len);
                p = ngx_cpymem(p, ",\"name\":", sizeof(",\"name\":") - 1);
                p = ngx_http_posko_json_string(p, name.data, name.len);
                *p++ = '}';
            }
        }

        p = ngx_cpymem(p, "]}", 2);
    }

    p = ngx_cpymem(p, "]}\n", 3);
    body.len = p - body.data;

    return ngx_http_posko_send(r, NGX_HTTP_OK, &ngx_http_posko_json_type,
                               &body);
}


/* requests/ID.json and requests.json: a list of requests, newest first. */

static ngx_int_t
ngx_http_posko_o311_requests(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk)
{
    u_char                      *p;
    size_t                       len;
    ngx_str_t                    body, code, name;
    ngx_uint_t                   i, closed;
    ngx_http_posko_o311_item_t  *it;

    if (lk->what == NGX_HTTP_POSKO_O311_IDS && lk->nitems > 1) {
        ngx_qsort(lk->items, lk->nitems, sizeof(ngx_http_posko_o311_item_t),
                  ngx_http_posko_o311_newer);
    }

    len = sizeof("[]\n");

    for (i = 0; i < lk->nitems; i++) {
        it = &lk->items[i];

        len += 1024
               + 6 * (ngx_strlen(it->status) + 2 * ngx_strlen(it->kategori)
                      + ngx_strlen(it->service_name) + ngx_strlen(it->unit)
                      + ngx_strlen(it->agency) + ngx_strlen(it->received)
                      + ngx_strlen(it->updated) + ngx_strlen(it->due)
                      + ngx_strlen(it->description) + ngx_strlen(it->note)
                      + sizeof(NGX_HTTP_POSKO_O311_AGENCY));
    }

    body.data = ngx_pnalloc(r->pool, len);
    if (body.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = body.data;
    *p++ = '[';

    for (i = 0; i < lk->nitems; i++) {
        it = &lk->items[i];

        closed = ngx_strcmp(it->status, "selesai") == 0
                 || ngx_strcmp(it->status, "tidak_faktual") == 0
                 || ngx_strcmp(it->status, "ditutup") == 0;

        if (i) {
            *p++ = ',';
        }

        p = ngx_http_posko_o311_pair(p, "{\"service_request_id\":", it->kode);
        p = ngx_sprintf(p, ",\"status\":\"%s\"", closed ? "closed" : "open");
        p = ngx_http_posko_o311_pair(p, ",\"status_notes\":", it->note);

        /* the category's name from the reference data, else its code */

        if (it->service_name[0] == '\0') {
            code.data = (u_char *) it->kategori;
            code.len = ngx_strlen(it->kategori);

            if (ngx_http_posko_o311_tidy(r->pool, &code, &name) != NGX_OK) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            p = ngx_cpymem(p, ",\"service_name\":",
                           sizeof(",\"service_name\":") - 1);
            p = ngx_http_posko_json_string(p, name.data, name.len);

        } else {
            p = ngx_http_posko_o311_pair(p, ",\"service_name\":",
                                         it->service_name);
        }

        p = ngx_http_posko_o311_pair(p, ",\"service_code\":", it->kategori);
        p = ngx_http_posko_o311_pair(p, ",\"description\":", it->description);

        /* the unit assigned, else the team that receives every complaint */

        p = ngx_http_posko_o311_pair(p, ",\"agency_responsible\":",
                                     it->agency[0] ? it->agency
                                     : it->unit[0] ? it->unit
                                     : NGX_HTTP_POSKO_O311_AGENCY);

        p = ngx_cpymem(p, ",\"service_notice\":null",
                       sizeof(",\"service_notice\":null") - 1);
        p = ngx_http_posko_o311_pair(p, ",\"requested_datetime\":",
                                     it->received);
        p = ngx_http_posko_o311_pair(p, ",\"updated_datetime\":",
                                     it->updated[0] ? it->updated
                                                    : it->received);
        p = ngx_http_posko_o311_pair(p, ",\"expected_datetime\":", it->due);
        p = ngx_cpymem(p, ",\"address\":null,\"lat\":null,\"long\":null}",
                       sizeof(",\"address\":null,\"lat\":null,\"long\":null}")
                       - 1);
    }

    p = ngx_cpymem(p, "]\n", 2);
    body.len = p - body.data;

    return ngx_http_posko_send(r, NGX_HTTP_OK, &ngx_http_posko_json_type,
                               &body);
}


/* A value's name: from the reference data when read, else from its code. */

static ngx_int_t
ngx_http_posko_o311_value_name(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_str_t *kind, ngx_str_t *value,
    ngx_str_t *name)
{
    ngx_uint_t                  i;
    ngx_http_posko_o311_ref_t  *ref;

    if (lk->rc == NGX_OK && lk->refs) {
        for (i = 0; i < lk->nrefs; i++) {
            ref = &lk->refs[i];

            if (ngx_strlen(ref->kind) == kind->len
                && ngx_strncmp(ref->kind, kind->data, kind->len) == 0
                && ngx_strlen(ref->kode) == value->len
                && ngx_strncmp(ref->kode, value->data, value->len) == 0
                && ref->name[0])
            {
                name->data = (u_char *) ref->name;
                name->len = ngx_strlen(ref->name);
                return NGX_OK;
            }
        }
    }

    return ngx_http_posko_o311_tidy(r->pool, value, name);
}


/* "bimbingan_ibadah" as "Bimbingan ibadah". */

static ngx_int_t
ngx_http_posko_o311_tidy(ngx_pool_t *pool, ngx_str_t *code, ngx_str_t *out)
{
    ngx_uint_t  i;

    out->data = ngx_pnalloc(pool, code->len + 1);
    if (out->data == NULL) {
        return NGX_ERROR;
    }

    for (i = 0; i < code->len; i++) {
        out->data[i] = (code->data[i] == '_' || code->data[i] == '-')
                       ? ' ' : code->data[i];
    }

    if (code->len && out->data[0] >= 'a' && out->data[0] <= 'z') {
        out->data[0] -= 'a' - 'A';
    }

    out->len = code->len;

    return NGX_OK;
}


/*
 * 1 for the form's fields that a request carries itself (service_code,
 * description, the name, phone, e-mail); 0 for an attribute.
 */

static ngx_int_t
ngx_http_posko_o311_kind(ngx_str_t *name)
{
    static ngx_str_t  own[] = {
        ngx_string("kategori"), ngx_string("uraian"), ngx_string("nama"),
        ngx_string("telepon"), ngx_string("email")
    };

    ngx_uint_t  i;

    for (i = 0; i < sizeof(own) / sizeof(ngx_str_t); i++) {
        if (own[i].len == name->len
            && ngx_strncmp(own[i].data, name->data, name->len) == 0)
        {
            return 1;
        }
    }

    return 0;
}


/* A member: its prefix (",\"key\":") then the value, or null if empty. */

static u_char *
ngx_http_posko_o311_pair(u_char *p, char *prefix, char *value)
{
    p = ngx_cpymem(p, prefix, ngx_strlen(prefix));

    if (value == NULL || value[0] == '\0') {
        return ngx_cpymem(p, "null", 4);
    }

    return ngx_http_posko_json_string(p, (u_char *) value,
                                      ngx_strlen(value));
}


/* Newest first, by the time received. */

static int ngx_libc_cdecl
ngx_http_posko_o311_newer(const void *one, const void *two)
{
    const ngx_http_posko_o311_item_t  *a = one;
    const ngx_http_posko_o311_item_t  *b = two;

    return ngx_strcmp(b->received, a->received);
}


static ngx_http_posko_o311_service_t *
ngx_http_posko_o311_service(ngx_str_t *code)
{
    ngx_http_posko_o311_service_t  *svc;

    for (svc = ngx_http_posko_o311_services_known; svc->code; svc++) {
        if (ngx_strlen(svc->code) == code->len
            && ngx_strncmp(svc->code, code->data, code->len) == 0)
        {
            return svc;
        }
    }

    return NULL;
}
