
/*
 * Copyright (C) posko developers
 *
 * The form's rules: the shipped defaults of include/posko_form.c, the
 * posko_field directive that replaces or adds fields, how rules are
 * inherited from http to server to location, and the check of one value.
 *
 *     posko_field NAME [required] [max=N] [values=a|b|c] [pattern=RE]
 *                      [chars=text|kloter|phone|email] [label=TEXT]
 *                      [message=TEXT] [message_en=TEXT];
 *
 * Patterns are PCRE2, compiled once at configuration time through
 * ngx_regex, matched against the whole value, and run with match and
 * depth limits so that no value can make one run for long.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_posko.h"


#define NGX_HTTP_POSKO_DEFAULT_MAX    1000
#define NGX_HTTP_POSKO_MATCH_LIMIT    100000
#define NGX_HTTP_POSKO_DEPTH_LIMIT    1000


static char *ngx_http_posko_field_param(ngx_conf_t *cf,
    ngx_http_posko_rule_t *rule, ngx_str_t *param);
static char *ngx_http_posko_param_max(ngx_conf_t *cf,
    ngx_http_posko_rule_t *rule, ngx_str_t *arg, size_t offset);
static char *ngx_http_posko_param_values(ngx_conf_t *cf,
    ngx_http_posko_rule_t *rule, ngx_str_t *arg, size_t offset);
static char *ngx_http_posko_param_chars(ngx_conf_t *cf,
    ngx_http_posko_rule_t *rule, ngx_str_t *arg, size_t offset);
static char *ngx_http_posko_param_pattern(ngx_conf_t *cf,
    ngx_http_posko_rule_t *rule, ngx_str_t *arg, size_t offset);
static char *ngx_http_posko_param_text(ngx_conf_t *cf,
    ngx_http_posko_rule_t *rule, ngx_str_t *arg, size_t offset);
static ngx_int_t ngx_http_posko_rules_fit(ngx_conf_t *cf,
    ngx_array_t *rules);
static ngx_array_t *ngx_http_posko_overlay(ngx_conf_t *cf,
    ngx_array_t *base, ngx_array_t *own);
static ngx_int_t ngx_http_posko_pattern_match(ngx_http_posko_rule_t *rule,
    u_char *value, size_t len, ngx_log_t *log);


/* A parameter of posko_field, NAME=VALUE, and what sets it. */

typedef struct {
    ngx_str_t                  name;
    char                    *(*set)(ngx_conf_t *cf,
                                    ngx_http_posko_rule_t *rule,
                                    ngx_str_t *arg, size_t offset);
    size_t                     offset;
} ngx_http_posko_param_t;


static ngx_http_posko_param_t  ngx_http_posko_params[] = {
    { ngx_string("max"), ngx_http_posko_param_max, 0 },
    { ngx_string("values"), ngx_http_posko_param_values, 0 },
    { ngx_string("chars"), ngx_http_posko_param_chars, 0 },
    { ngx_string("pattern"), ngx_http_posko_param_pattern, 0 },
    { ngx_string("label"), ngx_http_posko_param_text,
      offsetof(ngx_http_posko_rule_t, label) },
    { ngx_string("message"), ngx_http_posko_param_text,
      offsetof(ngx_http_posko_rule_t, message) },
    { ngx_string("message_en"), ngx_http_posko_param_text,
      offsetof(ngx_http_posko_rule_t, message_en) },
    { ngx_null_string, NULL, 0 }
};


static ngx_str_t  ngx_http_posko_chars_names[] = {
    ngx_string("text"),
    ngx_string("kloter"),
    ngx_string("phone"),
    ngx_string("email"),
};


#if (NGX_PCRE2)
static pcre2_match_context  *ngx_http_posko_match_ctx;
static pcre2_match_data     *ngx_http_posko_match_data;
#endif


ngx_array_t *
ngx_http_posko_default_rules(ngx_conf_t *cf, const posko_field_t *fields,
    ngx_uint_t n)
{
    ngx_str_t               *v;
    ngx_uint_t               i;
    ngx_array_t             *rules;
    const char *const       *value;
    const posko_field_t     *f;
    ngx_http_posko_rule_t   *rule;

    rules = ngx_array_create(cf->pool, n, sizeof(ngx_http_posko_rule_t));
    if (rules == NULL) {
        return NULL;
    }

    for (i = 0; i < n; i++) {
        f = &fields[i];

        rule = ngx_array_push(rules);
        if (rule == NULL) {
            return NULL;
        }

        ngx_memzero(rule, sizeof(ngx_http_posko_rule_t));

        rule->name.data = (u_char *) f->name;
        rule->name.len = ngx_strlen(f->name);
        rule->slot = posko_record_find(POSKO_REC_SUBMISSION, f->name,
                                       rule->name.len);
        rule->label.data = (u_char *) f->label;
        rule->label.len = ngx_strlen(f->label);
        rule->required = f->required;
        rule->max_chars = f->max_chars;
        rule->chars = f->chars;

        if (f->values == NULL) {
            continue;
        }

        rule->values = ngx_array_create(cf->pool, 8, sizeof(ngx_str_t));
        if (rule->values == NULL) {
            return NULL;
        }

        for (value = f->values; *value; value++) {
            v = ngx_array_push(rule->values);
            if (v == NULL) {
                return NULL;
            }

            v->data = (u_char *) *value;
            v->len = ngx_strlen(*value);
        }
    }

    return rules;
}


char *
ngx_http_posko_field(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_posko_loc_conf_t *plcf = conf;

    char                   *rv;
    ngx_str_t              *value;
    ngx_uint_t              i;
    ngx_http_posko_rule_t  *rule;

    value = cf->args->elts;

    if (value[1].len == 0 || value[1].len > 64) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "field name \"%V\" must be 1 to 64 characters",
                           &value[1]);
        return NGX_CONF_ERROR;
    }

    for (i = 0; i < value[1].len; i++) {
        if (!((value[1].data[i] >= 'a' && value[1].data[i] <= 'z')
              || (value[1].data[i] >= '0' && value[1].data[i] <= '9')
              || value[1].data[i] == '_'))
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "field name \"%V\" may hold only a-z, 0-9 "
                               "and _", &value[1]);
            return NGX_CONF_ERROR;
        }
    }

    if ((value[1].len == 4 && ngx_strncmp(value[1].data, "kode", 4) == 0)
        || (value[1].len == 11
            && ngx_strncmp(value[1].data, "received_at", 11) == 0))
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "field name \"%V\" is reserved", &value[1]);
        return NGX_CONF_ERROR;
    }

    if (plcf->own_rules == NULL) {
        plcf->own_rules = ngx_array_create(cf->pool, 4,
                                           sizeof(ngx_http_posko_rule_t));
        if (plcf->own_rules == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    if (ngx_http_posko_rule_find(plcf->own_rules, value[1].data,
                                 value[1].len)
        != NGX_ERROR)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "field \"%V\" is already defined here",
                           &value[1]);
        return NGX_CONF_ERROR;
    }

    rule = ngx_array_push(plcf->own_rules);
    if (rule == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memzero(rule, sizeof(ngx_http_posko_rule_t));
    rule->name = value[1];
    rule->label = value[1];
    rule->slot = posko_record_find(POSKO_REC_SUBMISSION,
                                   (char *) rule->name.data, rule->name.len);
    rule->max_chars = NGX_HTTP_POSKO_DEFAULT_MAX;
    rule->chars = POSKO_CHARS_TEXT;

    for (i = 2; i < cf->args->nelts; i++) {
        rv = ngx_http_posko_field_param(cf, rule, &value[i]);
        if (rv != NGX_CONF_OK) {
            return rv;
        }
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_posko_field_param(ngx_conf_t *cf, ngx_http_posko_rule_t *rule,
    ngx_str_t *param)
{
    u_char                  *eq;
    ngx_str_t                arg;
    ngx_http_posko_param_t  *pm;

    if (param->len == 8 && ngx_strncmp(param->data, "required", 8) == 0) {
        rule->required = 1;
        return NGX_CONF_OK;
    }

    eq = ngx_strlchr(param->data, param->data + param->len, '=');

    if (eq != NULL) {
        arg.data = eq + 1;
        arg.len = param->data + param->len - arg.data;

        for (pm = ngx_http_posko_params; pm->name.len; pm++) {
            if ((size_t) (eq - param->data) == pm->name.len
                && ngx_strncmp(param->data, pm->name.data, pm->name.len)
                   == 0)
            {
                return pm->set(cf, rule, &arg, pm->offset);
            }
        }
    }

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid parameter \"%V\" for field \"%V\"",
                       param, &rule->name);

    return NGX_CONF_ERROR;
}


static char *
ngx_http_posko_param_max(ngx_conf_t *cf, ngx_http_posko_rule_t *rule,
    ngx_str_t *arg, size_t offset)
{
    ngx_int_t  n;

    n = ngx_atoi(arg->data, arg->len);
    if (n <= 0 || n > 1000000) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid \"max\" value \"%V\" for field "
                           "\"%V\"", arg, &rule->name);
        return NGX_CONF_ERROR;
    }

    rule->max_chars = n;

    return NGX_CONF_OK;
}


/* values=a|b|c: the only values accepted, none of them empty */

static char *
ngx_http_posko_param_values(ngx_conf_t *cf, ngx_http_posko_rule_t *rule,
    ngx_str_t *arg, size_t offset)
{
    u_char     *p, *last, *start;
    ngx_str_t  *v;

    rule->values = ngx_array_create(cf->pool, 8, sizeof(ngx_str_t));
    if (rule->values == NULL) {
        return NGX_CONF_ERROR;
    }

    last = arg->data + arg->len;

    for (start = arg->data; start <= last; start = p + 1) {
        p = ngx_strlchr(start, last, '|');
        if (p == NULL) {
            p = last;
        }

        if (p == start) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "empty value in \"values\" of field "
                               "\"%V\"", &rule->name);
            return NGX_CONF_ERROR;
        }

        v = ngx_array_push(rule->values);
        if (v == NULL) {
            return NGX_CONF_ERROR;
        }

        v->data = start;
        v->len = p - start;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_posko_param_chars(ngx_conf_t *cf, ngx_http_posko_rule_t *rule,
    ngx_str_t *arg, size_t offset)
{
    ngx_uint_t  i;

    for (i = 0; i < sizeof(ngx_http_posko_chars_names) / sizeof(ngx_str_t);
         i++)
    {
        if (ngx_http_posko_chars_names[i].len == arg->len
            && ngx_strncmp(ngx_http_posko_chars_names[i].data, arg->data,
                           arg->len) == 0)
        {
            rule->chars = (posko_chars_t) i;
            return NGX_CONF_OK;
        }
    }

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid \"chars\" value \"%V\" for field \"%V\", "
                       "use text, kloter, phone or email",
                       arg, &rule->name);

    return NGX_CONF_ERROR;
}


/*
 * pattern=RE: the pattern must match the whole value: PCRE2 is told so
 * at match time, the old PCRE by wrapping the pattern.
 */

static char *
ngx_http_posko_param_pattern(ngx_conf_t *cf, ngx_http_posko_rule_t *rule,
    ngx_str_t *arg, size_t offset)
{
#if (NGX_PCRE)
    ngx_regex_compile_t  rc;
    u_char               errstr[NGX_MAX_CONF_ERRSTR];

    ngx_memzero(&rc, sizeof(ngx_regex_compile_t));

#if (NGX_PCRE2)
    rc.pattern = *arg;
#else
    rc.pattern.len = arg->len + sizeof("^(?:)\\z") - 1;
    rc.pattern.data = ngx_pnalloc(cf->pool, rc.pattern.len);
    if (rc.pattern.data == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_sprintf(rc.pattern.data, "^(?:%V)\\z", arg);
#endif

    rc.pool = cf->pool;
    rc.err.len = NGX_MAX_CONF_ERRSTR;
    rc.err.data = errstr;

    if (ngx_regex_compile(&rc) != NGX_OK) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid \"pattern\" of field \"%V\": %V",
                           &rule->name, &rc.err);
        return NGX_CONF_ERROR;
    }

    rule->pattern = rc.regex;
    rule->pattern_text = *arg;

    return NGX_CONF_OK;
#else
    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "\"pattern\" needs nginx built with PCRE");
    return NGX_CONF_ERROR;
#endif
}


/* label=, message=, message_en=: a text kept as given */

static char *
ngx_http_posko_param_text(ngx_conf_t *cf, ngx_http_posko_rule_t *rule,
    ngx_str_t *arg, size_t offset)
{
    *(ngx_str_t *) ((u_char *) rule + offset) = *arg;

    return NGX_CONF_OK;
}


char *
ngx_http_posko_merge_rules(ngx_conf_t *cf, ngx_http_posko_main_conf_t *pmcf,
    ngx_http_posko_loc_conf_t *prev, ngx_http_posko_loc_conf_t *conf)
{
    ngx_array_t  *base;

    /* the outermost level is merged first, so prev->rules is final */

    if (prev->rules == NULL) {
        prev->rules = ngx_http_posko_overlay(cf, pmcf->default_rules,
                                             prev->own_rules);
        if (prev->rules == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    base = prev->rules;

    conf->rules = ngx_http_posko_overlay(cf, base, conf->own_rules);
    if (conf->rules == NULL) {
        return NGX_CONF_ERROR;
    }

    if (ngx_http_posko_rules_fit(cf, conf->rules) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_posko_rules_fit(ngx_conf_t *cf, ngx_array_t *rules)
{
    if (rules->nelts > NGX_HTTP_POSKO_MAX_FIELDS) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "too many form fields, at most %d",
                           NGX_HTTP_POSKO_MAX_FIELDS);
        return NGX_ERROR;
    }

    return NGX_OK;
}


/*
 * A follow-up location's rules: the follow-up form's fields, with the
 * location's own posko_field lines over them (a list of units, say).  The
 * fields keep their places, so the module finds them by index.
 */

ngx_array_t *
ngx_http_posko_followup_rules(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_array_t *own)
{
    ngx_array_t  *rules;

    rules = ngx_http_posko_overlay(cf, pmcf->followup_rules, own);

    if (rules == NULL || ngx_http_posko_rules_fit(cf, rules) != NGX_OK) {
        return NULL;
    }

    return rules;
}


ngx_array_t *
ngx_http_posko_feedback_rules(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_array_t *own)
{
    return ngx_http_posko_overlay(cf, pmcf->feedback_rules, own);
}


/* base with each rule of own replacing the one of the same name */

static ngx_array_t *
ngx_http_posko_overlay(ngx_conf_t *cf, ngx_array_t *base, ngx_array_t *own)
{
    ngx_int_t               n;
    ngx_uint_t              i;
    ngx_array_t            *rules;
    ngx_http_posko_rule_t  *r, *o, *slot;

    if (own == NULL) {
        return base;
    }

    rules = ngx_array_create(cf->pool, base->nelts + own->nelts,
                             sizeof(ngx_http_posko_rule_t));
    if (rules == NULL) {
        return NULL;
    }

    r = base->elts;

    for (i = 0; i < base->nelts; i++) {
        slot = ngx_array_push(rules);
        if (slot == NULL) {
            return NULL;
        }

        *slot = r[i];
    }

    o = own->elts;

    for (i = 0; i < own->nelts; i++) {
        n = ngx_http_posko_rule_find(rules, o[i].name.data, o[i].name.len);

        if (n == NGX_ERROR) {
            slot = ngx_array_push(rules);
            if (slot == NULL) {
                return NULL;
            }

        } else {
            slot = (ngx_http_posko_rule_t *) rules->elts + n;
        }

        *slot = o[i];
    }

    return rules;
}


ngx_int_t
ngx_http_posko_rule_find(ngx_array_t *rules, u_char *name, size_t len)
{
    ngx_uint_t              i;
    ngx_http_posko_rule_t  *rule;

    rule = rules->elts;

    for (i = 0; i < rules->nelts; i++) {
        if (rule[i].name.len == len
            && ngx_strncmp(rule[i].name.data, name, len) == 0)
        {
            return i;
        }
    }

    return NGX_ERROR;
}


posko_err_t
ngx_http_posko_rule_check(ngx_http_posko_rule_t *rule, u_char *value,
    size_t len, ngx_log_t *log)
{
    long         chars;
    ngx_str_t   *v;
    ngx_uint_t   i;

    chars = posko_utf8_chars(value, len);

    if (chars < 0) {
        return POSKO_ERR_BAD_UTF8;
    }

    if (rule->values) {
        v = rule->values->elts;

        for (i = 0; i < rule->values->nelts; i++) {
            if (v[i].len == len && ngx_strncmp(v[i].data, value, len) == 0) {
                break;
            }
        }

        if (i == rule->values->nelts) {
            return POSKO_ERR_NOT_IN_LIST;
        }
    }

    if ((size_t) chars > rule->max_chars) {
        return POSKO_ERR_TOO_LONG;
    }

    if (!posko_chars_ok(rule->chars, value, len)) {
        return POSKO_ERR_BAD_CHARS;
    }

#if (NGX_PCRE)
    if (rule->pattern
        && ngx_http_posko_pattern_match(rule, value, len, log) != NGX_OK)
    {
        return POSKO_ERR_PATTERN;
    }
#endif

    return POSKO_ERR_NONE;
}


#if (NGX_PCRE)

static ngx_int_t
ngx_http_posko_pattern_match(ngx_http_posko_rule_t *rule, u_char *value,
    size_t len, ngx_log_t *log)
{
#if (NGX_PCRE2)
    int  rc;

    if (ngx_http_posko_match_ctx == NULL) {
        ngx_http_posko_match_ctx = pcre2_match_context_create(NULL);
        ngx_http_posko_match_data = pcre2_match_data_create(1, NULL);

        if (ngx_http_posko_match_ctx == NULL
            || ngx_http_posko_match_data == NULL)
        {
            ngx_http_posko_rules_exit();
            return NGX_ERROR;
        }

        pcre2_set_match_limit(ngx_http_posko_match_ctx,
                              NGX_HTTP_POSKO_MATCH_LIMIT);
        pcre2_set_depth_limit(ngx_http_posko_match_ctx,
                              NGX_HTTP_POSKO_DEPTH_LIMIT);
    }

    rc = pcre2_match(rule->pattern, value, len, 0,
                     PCRE2_ANCHORED|PCRE2_ENDANCHORED,
                     ngx_http_posko_match_data, ngx_http_posko_match_ctx);

    if (rc >= 0) {
        return NGX_OK;
    }

    if (rc != PCRE2_ERROR_NOMATCH) {
        ngx_log_error(NGX_LOG_WARN, log, 0,
                      "posko: pattern of field \"%V\" gave up (%d), "
                      "value refused", &rule->name, rc);
    }

    return NGX_DECLINED;

#else
    ngx_str_t  s;

    s.data = value;
    s.len = len;

    return ngx_regex_exec(rule->pattern, &s, NULL, 0) >= 0
           ? NGX_OK : NGX_DECLINED;
#endif
}

#endif


void
ngx_http_posko_rules_exit(void)
{
#if (NGX_PCRE2)
    if (ngx_http_posko_match_data) {
        pcre2_match_data_free(ngx_http_posko_match_data);
        ngx_http_posko_match_data = NULL;
    }

    if (ngx_http_posko_match_ctx) {
        pcre2_match_context_free(ngx_http_posko_match_ctx);
        ngx_http_posko_match_ctx = NULL;
    }
#endif
}
