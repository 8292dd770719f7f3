
/*
 * Copyright (C) posko developers
 *
 * What the files of the posko module share.  The module is built in
 * layers; each file depends only on the layers below it:
 *
 *     ngx_http_posko_module.c      the module object, its directives and
 *                                  configuration; it names the endpoints
 *
 *     endpoints, one file each:    what one location directive does
 *       ngx_http_posko_intake.c      posko_intake: a new submission
 *       ngx_http_posko_followup.c    posko_followup: an officer's event
 *       ngx_http_posko_status.c      posko_status: the pilgrim's page
 *       ngx_http_posko_answer.c        and the pilgrim's answer on it
 *       ngx_http_posko_open311*.c    posko_open311: GeoReport v2
 *
 *     the kit:                     what every endpoint uses
 *       ngx_http_posko_body.c        read a POST body, parse the form
 *       ngx_http_posko_reply.c       errors, the form page, JSON, headers
 *       ngx_http_posko_record.c      tracking codes, one record to the WAL
 *       ngx_http_posko_reader.c      read-only SQLite in pool threads
 *       ngx_http_posko_rules.c       the form rules (posko_field)
 *       ngx_http_posko_wal.c         the WAL writer, group commit
 *
 * An endpoint is a small table (ngx_http_posko_endpoint_t) that its
 * directive puts into the location's configuration: the kit calls back
 * through it, never by name.  docs/architecture.md draws the whole.
 */


#ifndef _NGX_HTTP_POSKO_H_INCLUDED_
#define _NGX_HTTP_POSKO_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <sqlite3.h>

#include "posko_feedback.h"
#include "posko_form.h"
#include "posko_kode.h"
#include "posko_record.h"
#include "posko_wal.h"


#define NGX_HTTP_POSKO_MAX_FIELDS  48

#define NGX_HTTP_POSKO_RETRY_AFTER  "5"

/* "2026-06-01T08:30:00.000Z" and its NUL */
#define NGX_HTTP_POSKO_ISO_SIZE     sizeof("2026-06-01T00:00:00.000Z")

/* room for the message of a failed lookup */
#define NGX_HTTP_POSKO_ERROR_SIZE   160


typedef struct ngx_http_posko_endpoint_s  ngx_http_posko_endpoint_t;


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
    int                        slot;        /* in a submission record, or
                                               -1: written as an extra */
} ngx_http_posko_rule_t;


typedef struct {
    ngx_str_t                  node;
    ngx_array_t               *default_rules;
    ngx_array_t               *followup_rules;
    ngx_array_t               *feedback_rules;
} ngx_http_posko_main_conf_t;


typedef struct {
    ngx_str_t                  wal;
    ngx_http_posko_endpoint_t *endpoint;    /* what this location does */
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


typedef ngx_int_t (*ngx_http_posko_process_pt)(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form);
typedef ngx_int_t (*ngx_http_posko_error_pt)(ngx_http_request_t *r,
    ngx_uint_t status, char *id, char *en);
typedef char *(*ngx_http_posko_merge_pt)(ngx_conf_t *cf,
    ngx_http_posko_main_conf_t *pmcf, ngx_http_posko_loc_conf_t *prev,
    ngx_http_posko_loc_conf_t *conf);


/*
 * An endpoint: what its location directive sets.  The content handler
 * takes the request; a POST it hands to ngx_http_posko_read_form(), which
 * calls process with the parsed form.  error, when set, answers every
 * refusal made at the location (Open311 answers with its error lists);
 * merge completes the location's configuration (its rules, its checks).
 */

struct ngx_http_posko_endpoint_s {
    char                      *directive;
    ngx_http_handler_pt        handler;
    ngx_http_posko_process_pt  process;
    ngx_http_posko_error_pt    error;
    ngx_http_posko_merge_pt    merge;
    ngx_flag_t                 needs_db;
};


/* A request waiting for its record to be durable. */

typedef struct {
    ngx_queue_t                queue;
    uint64_t                   end;         /* in the writer's stream */
    ngx_http_request_t        *request;
    void                     (*handler)(ngx_http_request_t *r, ngx_int_t rc);
} ngx_http_posko_wait_t;


/* What the headers said about the body, and what the answer needs. */

typedef struct {
    const uint8_t             *boundary;    /* NULL for urlencoded */
    size_t                     boundary_len;
    ngx_http_posko_wait_t      wait;
    u_char                     kode[POSKO_KODE_LEN + 1];
    ngx_str_t                  aksi;        /* a follow-up's action */
    ngx_str_t                  petugas;     /* and its officer */
    ngx_str_t                  back;
    ngx_str_t                  puas;        /* the pilgrim's ya or tidak */
} ngx_http_posko_ctx_t;


typedef struct ngx_http_posko_reader_s  ngx_http_posko_reader_t;


/*
 * The SQL statements one endpoint reads with, prepared once on each pool
 * thread's read-only connection.  slot is the endpoint's own place among
 * a thread's connections.
 */

typedef struct {
    ngx_uint_t                 slot;
    ngx_uint_t                 n;
    const char                *sql[8];
} ngx_http_posko_queries_t;


/*
 * A lookup: asked on the event loop, read in a pool thread, answered on
 * the event loop again.  An endpoint's own lookup starts with this.
 * read runs in the thread inside one read transaction; done runs on the
 * event loop and returns what finalizes the request.
 */

typedef struct {
    ngx_http_request_t        *request;
    u_char                    *db;          /* NUL-terminated */
    ngx_http_posko_queries_t  *queries;
    void                     (*read)(void *lookup,
                                     ngx_http_posko_reader_t *rd);
    ngx_int_t                (*done)(ngx_http_request_t *r, void *lookup);
    ngx_int_t                  rc;          /* NGX_OK or NGX_ERROR */
    char                       error[NGX_HTTP_POSKO_ERROR_SIZE];
} ngx_http_posko_lookup_t;


/* A text column of a row and the room in a struct that takes it. */

typedef struct {
    int                        column;
    size_t                     offset;
    size_t                     size;
} ngx_http_posko_column_t;

#define ngx_http_posko_column(type, field, column)                            \
    { column, offsetof(type, field), sizeof(((type *) 0)->field) }


extern ngx_str_t  ngx_http_posko_node;
extern ngx_str_t  ngx_http_posko_html_type;
extern ngx_str_t  ngx_http_posko_json_type;
extern ngx_module_t  ngx_http_posko_module;


/* the endpoints, for the directives of ngx_http_posko_module.c */

extern ngx_http_posko_endpoint_t  ngx_http_posko_intake_endpoint;
extern ngx_http_posko_endpoint_t  ngx_http_posko_followup_endpoint;
extern ngx_http_posko_endpoint_t  ngx_http_posko_status_endpoint;
extern ngx_http_posko_endpoint_t  ngx_http_posko_open311_endpoint;


/* ngx_http_posko_body.c: a POST body, read and parsed */

ngx_int_t ngx_http_posko_read_form(ngx_http_request_t *r);


/* ngx_http_posko_reply.c: answers */

ngx_table_elt_t *ngx_http_posko_header_in(ngx_http_request_t *r,
    char *name, size_t len);
ngx_int_t ngx_http_posko_wants_json(ngx_http_request_t *r);
ngx_int_t ngx_http_posko_wants_english(ngx_http_request_t *r);
ngx_int_t ngx_http_posko_reply_error(ngx_http_request_t *r,
    ngx_uint_t status, char *id, char *en);
ngx_int_t ngx_http_posko_reply_invalid(ngx_http_request_t *r,
    ngx_http_posko_form_t *form);
ngx_int_t ngx_http_posko_reply_unavailable(ngx_http_request_t *r);
ngx_int_t ngx_http_posko_reply_not_allowed(ngx_http_request_t *r,
    char *allow, char *id, char *en);
ngx_int_t ngx_http_posko_reply_page(ngx_http_request_t *r,
    ngx_uint_t status, u_char *body, size_t len);
ngx_int_t ngx_http_posko_send(ngx_http_request_t *r, ngx_uint_t status,
    ngx_str_t *type, ngx_str_t *body);
ngx_int_t ngx_http_posko_send_json(ngx_http_request_t *r, ngx_uint_t status,
    u_char *start, u_char *end);
ngx_table_elt_t *ngx_http_posko_add_header(ngx_http_request_t *r,
    char *name, ngx_str_t *value);
ngx_int_t ngx_http_posko_no_store(ngx_http_request_t *r);
u_char *ngx_http_posko_json_string(u_char *p, u_char *s, size_t len);
ngx_int_t ngx_http_posko_arg(ngx_http_request_t *r, char *name,
    ngx_str_t *value);


/* ngx_http_posko_record.c: tracking codes and records */

ngx_int_t ngx_http_posko_make_kode(ngx_http_request_t *r, u_char *kode);
void ngx_http_posko_time_iso(u_char *at);
ngx_int_t ngx_http_posko_record_write(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, posko_record_t *rec,
    void (*stored)(ngx_http_request_t *r, ngx_int_t rc));
ngx_int_t ngx_http_posko_submission_write(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_array_t *rules, ngx_str_t *value,
    void (*stored)(ngx_http_request_t *r, ngx_int_t rc));
void ngx_http_posko_value_set(posko_value_t *v, u_char *data, size_t len);
void ngx_http_posko_record_init_process(void);


/* ngx_http_posko_reader.c: lookups in the thread pool */

ngx_int_t ngx_http_posko_lookup_post(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_thread_task_t *task);
sqlite3_stmt *ngx_http_posko_reader_stmt(ngx_http_posko_reader_t *rd,
    ngx_uint_t i);
const char *ngx_http_posko_reader_errmsg(ngx_http_posko_reader_t *rd);
void ngx_http_posko_reader_row(sqlite3_stmt *st, void *to,
    const ngx_http_posko_column_t *col);


/* ngx_http_posko_wal.c: the WAL writer */

ngx_int_t ngx_http_posko_wal_init_process(ngx_cycle_t *cycle);
void ngx_http_posko_wal_exit_process(ngx_cycle_t *cycle);
ngx_int_t ngx_http_posko_wal_append(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_wait_t *wait,
    u_char *rec, size_t len);


/* ngx_http_posko_rules.c: the form rules */

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


/* ngx_http_posko_answer.c: the pilgrim's answer, for posko_status */

ngx_int_t ngx_http_posko_answer_process(ngx_http_request_t *r,
    ngx_http_posko_loc_conf_t *plcf, ngx_http_posko_form_t *form);


/* ngx_http_posko_open311.c: the directive posko_open311_api_key */

char *ngx_http_posko_open311_api_key(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);


#endif /* _NGX_HTTP_POSKO_H_INCLUDED_ */
