
/*
 * Copyright (C) posko developers
 *
 * What the files of the posko module share: its configuration, the form
 * rules (ngx_http_posko_rules.c) and a parsed submission.
 */


#ifndef _NGX_HTTP_POSKO_H_INCLUDED_
#define _NGX_HTTP_POSKO_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "posko_form.h"


#define NGX_HTTP_POSKO_MAX_FIELDS  48


/* One field of the form and what it accepts. */

typedef struct {
    ngx_str_t                  name;
    ngx_str_t                  label;
    ngx_str_t                  message;     /* for a wrong value */
    ngx_str_t                  message_en;
    ngx_array_t               *values;      /* of ngx_str_t, or NULL */
#if (NGX_PCRE)
    ngx_regex_t               *pattern;
#endif
    ngx_str_t                  pattern_text;
    size_t                     max_chars;
    posko_chars_t              chars;
    ngx_flag_t                 required;
} ngx_http_posko_rule_t;


typedef struct {
    ngx_str_t                  node;
    ngx_array_t               *default_rules;
} ngx_http_posko_main_conf_t;


typedef struct {
    ngx_str_t                  wal;
    ngx_flag_t                 intake;
    size_t                     max_body;
    off_t                      segment_size;
    time_t                     segment_age;
    ngx_str_t                  thanks;
    ngx_str_t                  form_page;   /* the template, loaded */
    ngx_flag_t                 sync;
    ngx_str_t                  thread_pool_name;
    ngx_thread_pool_t         *thread_pool;
    ngx_array_t               *own_rules;   /* posko_field at this level */
    ngx_array_t               *rules;       /* in force here */
} ngx_http_posko_loc_conf_t;


/* A submission as read from the body, one slot per rule. */

typedef struct {
    ngx_str_t                 *value;
    posko_err_t               *error;
    ngx_uint_t                 nerrors;
    ngx_uint_t                 english;
    char                      *refusal;     /* the whole body refused */
    char                      *refusal_en;
} ngx_http_posko_form_t;


/* A request waiting for its record to be durable. */

typedef struct {
    ngx_queue_t                queue;
    uint64_t                   end;         /* in the writer's stream */
    ngx_http_request_t        *request;
    void                     (*handler)(ngx_http_request_t *r, ngx_int_t rc);
} ngx_http_posko_wait_t;


extern ngx_str_t  ngx_http_posko_node;


ngx_int_t ngx_http_posko_wal_init_process(ngx_cycle_t *cycle);
void ngx_http_posko_wal_exit_process(ngx_cycle_t *cycle);
ngx_int_t ngx_http_posko_wal_append(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_wait_t *wait,
    u_char *rec, size_t len);
ngx_int_t ngx_http_posko_random(uint64_t *out);

char *ngx_http_posko_field(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
ngx_array_t *ngx_http_posko_default_rules(ngx_conf_t *cf);
char *ngx_http_posko_merge_rules(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_http_posko_loc_conf_t *prev,
    ngx_http_posko_loc_conf_t *conf);
ngx_int_t ngx_http_posko_rule_find(ngx_array_t *rules, u_char *name,
    size_t len);
posko_err_t ngx_http_posko_rule_check(ngx_http_posko_rule_t *rule,
    u_char *value, size_t len, ngx_log_t *log);
void ngx_http_posko_rules_exit(void);


#endif /* _NGX_HTTP_POSKO_H_INCLUDED_ */
