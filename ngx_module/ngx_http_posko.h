
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

#include "posko_feedback.h"
#include "posko_form.h"
#include "posko_kode.h"


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
    ngx_array_t               *followup_rules;
    ngx_array_t               *feedback_rules;
} ngx_http_posko_main_conf_t;


typedef struct {
    ngx_str_t                  wal;
    ngx_flag_t                 intake;
    ngx_flag_t                 followup;
    ngx_flag_t                 status;      /* the pilgrim's status page */
    ngx_flag_t                 open311;     /* the Open311 GeoReport v2 API */
    ngx_array_t               *api_keys;    /* their SHA-256, or NULL */
    ngx_str_t                  db;          /* posko_db: lookups read it */
    ngx_http_complex_value_t  *officer;     /* default: $remote_user */
    size_t                     max_body;
    off_t                      segment_size;
    time_t                     segment_age;
    ngx_str_t                  thanks;
    ngx_str_t                  form_page;   /* the template, loaded */
    ngx_flag_t                 sync;
    ngx_str_t                  thread_pool_name;
    ngx_thread_pool_t         *thread_pool;
    ngx_str_t                  secret;      /* follow-up tokens' key file */
    ngx_array_t               *own_rules;   /* posko_field at this level */
    ngx_array_t               *rules;       /* in force here */
    ngx_array_t               *form_rules;  /* open311: the form's, by the
                                               form's names; rules holds
                                               them by Open311's */
} ngx_http_posko_loc_conf_t;


/* A submission as read from the body, one slot per rule. */

typedef struct {
    ngx_str_t                 *value;
    posko_err_t               *error;
    ngx_uint_t                 nerrors;
    ngx_uint_t                 english;
    char                      *refusal;     /* the whole body refused */
    char                      *refusal_en;
    ngx_str_t                  back;        /* "kembali": where to go next */
    ngx_str_t                  token;       /* a follow-up form's token */
} ngx_http_posko_form_t;


/* A request waiting for its record to be durable. */

typedef struct {
    ngx_queue_t                queue;
    uint64_t                   end;         /* in the writer's stream */
    ngx_http_request_t        *request;
    void                     (*handler)(ngx_http_request_t *r, ngx_int_t rc);
} ngx_http_posko_wait_t;


/* What the headers said about the body, and what the answer needs. */

typedef struct {
    const uint8_t             *boundary;   /* NULL for urlencoded */
    size_t                     boundary_len;
    ngx_http_posko_wait_t      wait;
    u_char                     kode[POSKO_KODE_LEN + 1];
    ngx_str_t                  aksi;        /* a follow-up's */
    ngx_str_t                  petugas;
    ngx_str_t                  back;
} ngx_http_posko_ctx_t;


#define NGX_HTTP_POSKO_RETRY_AFTER  "5"

/* "2026-06-01T08:30:00.000Z" and its NUL */
#define NGX_HTTP_POSKO_ISO_SIZE     sizeof("2026-06-01T00:00:00.000Z")


extern ngx_str_t  ngx_http_posko_node;
extern ngx_str_t  ngx_http_posko_html_type;
extern ngx_str_t  ngx_http_posko_json_type;
extern ngx_module_t  ngx_http_posko_module;


/* ngx_http_posko_module.c: answers */

ngx_int_t ngx_http_posko_wants_json(ngx_http_request_t *r);
ngx_int_t ngx_http_posko_reply_error(ngx_http_request_t *r,
    ngx_uint_t status, char *id, char *en);
ngx_int_t ngx_http_posko_reply_invalid(ngx_http_request_t *r,
    ngx_http_posko_form_t *form);
ngx_int_t ngx_http_posko_reply_unavailable(ngx_http_request_t *r);
ngx_int_t ngx_http_posko_send(ngx_http_request_t *r, ngx_uint_t status,
    ngx_str_t *type, ngx_str_t *body);
ngx_table_elt_t *ngx_http_posko_add_header(ngx_http_request_t *r,
    char *name, ngx_str_t *value);
u_char *ngx_http_posko_json_string(u_char *p, u_char *s, size_t len);
void ngx_http_posko_time_iso(u_char *at);

ngx_int_t ngx_http_posko_handler(ngx_http_request_t *r);

/* ngx_http_posko_followup.c */

ngx_int_t ngx_http_posko_followup_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form);


/* ngx_http_posko_status.c */

ngx_int_t ngx_http_posko_status_handler(ngx_http_request_t *r);
/* Text from SQLite into a fixed room, cut at a character's start (for
 * pool threads: no nginx allocation). */
void ngx_http_posko_copy_text(char *dst, size_t size,
    const unsigned char *src);
ngx_int_t ngx_http_posko_feedback_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form);


/* ngx_http_posko_open311.c */

ngx_int_t ngx_http_posko_open311_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_posko_open311_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form);
ngx_int_t ngx_http_posko_open311_error(ngx_http_request_t *r,
    ngx_uint_t status, char *id, char *en);
char *ngx_http_posko_open311_merge(ngx_conf_t *cf,
    ngx_http_posko_loc_conf_t *prev, ngx_http_posko_loc_conf_t *conf);
char *ngx_http_posko_open311_api_key(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);


ngx_int_t ngx_http_posko_wal_init_process(ngx_cycle_t *cycle);
void ngx_http_posko_wal_exit_process(ngx_cycle_t *cycle);
ngx_int_t ngx_http_posko_wal_append(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_wait_t *wait,
    u_char *rec, size_t len);
ngx_int_t ngx_http_posko_random(uint64_t *out);

char *ngx_http_posko_field(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
ngx_array_t *ngx_http_posko_default_rules(ngx_conf_t *cf,
    const posko_field_t *fields, ngx_uint_t n);
ngx_array_t *ngx_http_posko_followup_rules(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_array_t *own);
ngx_array_t *ngx_http_posko_feedback_rules(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_array_t *own);
char *ngx_http_posko_merge_rules(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_http_posko_loc_conf_t *prev,
    ngx_http_posko_loc_conf_t *conf);
ngx_int_t ngx_http_posko_rule_find(ngx_array_t *rules, u_char *name,
    size_t len);
posko_err_t ngx_http_posko_rule_check(ngx_http_posko_rule_t *rule,
    u_char *value, size_t len, ngx_log_t *log);
void ngx_http_posko_rules_exit(void);


#endif /* _NGX_HTTP_POSKO_H_INCLUDED_ */
