
/*
 * Copyright (C) posko developers
 *
 * posko_open311's answers in JSON: the service list, a service's
 * definition, requests, and the spec's error lists.  Every text is
 * escaped as a JSON string; the lookups have already masked what the
 * pilgrim typed (posko_excerpt()).
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_posko_open311.h"


static u_char *ngx_http_posko_o311_service_json(ngx_http_request_t *r,
    u_char *p, ngx_str_t *code, ngx_str_t *name);
static u_char *ngx_http_posko_o311_attribute(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_http_posko_rule_t *rule,
    ngx_uint_t order, u_char *p);
static ngx_int_t ngx_http_posko_o311_value_name(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_str_t *kind, ngx_str_t *value,
    ngx_str_t *name);
static ngx_int_t ngx_http_posko_o311_tidy(ngx_pool_t *pool, ngx_str_t *code,
    ngx_str_t *out);
static ngx_int_t ngx_http_posko_o311_kind(ngx_str_t *name);
static u_char *ngx_http_posko_o311_pair(u_char *p, char *prefix,
    char *value);
static int ngx_libc_cdecl ngx_http_posko_o311_newer(const void *one,
    const void *two);
static ngx_http_posko_o311_service_t *ngx_http_posko_o311_service(
    ngx_str_t *code);


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

ngx_int_t
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


ngx_int_t
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
    return ngx_http_posko_send_json(r, status, body.data, p);
}


/* services.json: a service for each value of the kategori rule. */

ngx_int_t
ngx_http_posko_o311_services(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk)
{
    u_char                         *p;
    size_t                          len;
    ngx_int_t                       k;
    ngx_str_t                       body, *code, *name;
    ngx_uint_t                      i, n;
    ngx_http_posko_rule_t          *kategori;
    ngx_http_posko_loc_conf_t      *plcf;

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
        if (i) {
            *p++ = ',';
        }

        p = ngx_http_posko_o311_service_json(r, p, &code[i], &name[i]);
        if (p == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    p = ngx_cpymem(p, "]\n", 2);
    return ngx_http_posko_send_json(r, NGX_HTTP_OK, body.data, p);
}


/* One service of the list. */

static u_char *
ngx_http_posko_o311_service_json(ngx_http_request_t *r, u_char *p,
    ngx_str_t *code, ngx_str_t *name)
{
    ngx_str_t                       text;
    ngx_http_posko_o311_service_t  *svc, other;

    svc = ngx_http_posko_o311_service(code);

    if (svc == NULL) {
        /* a category an operator added: described by its name */
        other.description = NULL;
        other.keywords = NULL;
        other.group = "lainnya";
        svc = &other;
    }

    p = ngx_cpymem(p, "{\"service_code\":",
                   sizeof("{\"service_code\":") - 1);
    p = ngx_http_posko_json_string(p, code->data, code->len);
    p = ngx_cpymem(p, ",\"service_name\":",
                   sizeof(",\"service_name\":") - 1);
    p = ngx_http_posko_json_string(p, name->data, name->len);
    p = ngx_cpymem(p, ",\"description\":",
                   sizeof(",\"description\":") - 1);

    if (svc->description) {
        p = ngx_http_posko_json_string(p, (u_char *) svc->description,
                                       ngx_strlen(svc->description));

    } else {
        text.data = ngx_pnalloc(r->pool, name->len + 64);
        if (text.data == NULL) {
            return NULL;
        }

        text.len = ngx_sprintf(text.data, "Laporan tentang %V.",
                               name)
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
        p = ngx_http_posko_json_string(p, name->data, name->len);
    }

    p = ngx_sprintf(p, ",\"group\":\"%s\"}", svc->group);

    return p;
}


/*
 * services/CODE.json: the form's other fields as attributes.  jenis is
 * not required here when it defaults to aduan.
 */

ngx_int_t
ngx_http_posko_o311_definition(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk)
{
    u_char                     *p;
    size_t                      len;
    ngx_str_t                   body, *v;
    ngx_uint_t                  i, j, order;
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

        if (order++) {
            *p++ = ',';
        }

        p = ngx_http_posko_o311_attribute(r, lk, &rule[i], order, p);
        if (p == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    p = ngx_cpymem(p, "]}\n", 3);
    return ngx_http_posko_send_json(r, NGX_HTTP_OK, body.data, p);
}


/* One attribute of a definition: a field of the form, as Open311 has it. */

static u_char *
ngx_http_posko_o311_attribute(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_http_posko_rule_t *rule,
    ngx_uint_t order, u_char *p)
{
    static char  *chars[] = {   /* by posko_chars_t */
        "", ": huruf, angka, - dan /", ": angka, +, spasi, - dan tanda kurung",
        ": satu alamat e-mail"
    };

    ngx_str_t   *v, name, text;
    ngx_str_t    aduan = ngx_string("aduan");
    ngx_uint_t   j, required;

    required = rule->required;

    if (rule->name.len == 5
        && ngx_strncmp(rule->name.data, "jenis", 5) == 0
        && ngx_http_posko_rule_check(rule, aduan.data, aduan.len,
                                     r->connection->log)
           == POSKO_ERR_NONE)
    {
        required = 0;
    }

    p = ngx_cpymem(p, "{\"variable\":true,\"code\":",
                   sizeof("{\"variable\":true,\"code\":") - 1);
    p = ngx_http_posko_json_string(p, rule->name.data,
                                   rule->name.len);
    p = ngx_sprintf(p, ",\"datatype\":\"%s\",\"required\":%s,"
                    "\"datatype_description\":",
                    rule->values ? "singlevaluelist" : "string",
                    required ? "true" : "false");

    if (rule->values) {
        p = ngx_cpymem(p, "null", 4);

    } else {
        text.data = ngx_pnalloc(r->pool, 128 + rule->pattern_text.len);
        if (text.data == NULL) {
            return NULL;
        }

        text.len = ngx_sprintf(text.data,
                               "Paling banyak %uz karakter%s%s%V.",
                               rule->max_chars, chars[rule->chars],
                               rule->pattern_text.len
                               ? "; sesuai pola " : "",
                               &rule->pattern_text)
                   - text.data;

        p = ngx_http_posko_json_string(p, text.data, text.len);
    }

    p = ngx_sprintf(p, ",\"order\":%ui,\"description\":", order);
    p = ngx_http_posko_json_string(p, rule->label.data,
                                   rule->label.len);
    p = ngx_cpymem(p, ",\"values\":[", sizeof(",\"values\":[") - 1);

    if (rule->values) {
        v = rule->values->elts;

        for (j = 0; j < rule->values->nelts; j++) {
            if (ngx_http_posko_o311_value_name(r, lk, &rule->name,
                                               &v[j], &name)
                != NGX_OK)
            {
                return NULL;
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

    return p;
}


/* requests/ID.json and requests.json: a list of requests, newest first. */

ngx_int_t
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
    return ngx_http_posko_send_json(r, NGX_HTTP_OK, body.data, p);
}


/* A value's name: from the reference data when read, else from its code. */

static ngx_int_t
ngx_http_posko_o311_value_name(ngx_http_request_t *r,
    ngx_http_posko_o311_lookup_t *lk, ngx_str_t *kind, ngx_str_t *value,
    ngx_str_t *name)
{
    ngx_uint_t                  i;
    ngx_http_posko_o311_ref_t  *ref;

    if (lk->base.rc == NGX_OK && lk->refs) {
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
