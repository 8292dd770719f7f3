
/*
 * Copyright (C) posko developers
 *
 * ngx_http_posko_module: the module object, its directives and its
 * configuration.  A location directive (posko_intake, posko_followup,
 * posko_status, posko_open311) puts its endpoint into the location; the
 * endpoint's own file says what it does with a request, and the files of
 * the kit (ngx_http_posko.h) do what they all share.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "ngx_http_posko.h"
#include "posko_followup.h"


static void *ngx_http_posko_create_main_conf(ngx_conf_t *cf);
static char *ngx_http_posko_init_main_conf(ngx_conf_t *cf, void *conf);
static void *ngx_http_posko_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_posko_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_posko_wal(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_posko_endpoint_set(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_posko_form_page(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static ngx_int_t ngx_http_posko_init_process(ngx_cycle_t *cycle);
static void ngx_http_posko_exit_process(ngx_cycle_t *cycle);


static ngx_command_t  ngx_http_posko_commands[] = {

    { ngx_string("posko_wal"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_posko_wal,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_intake"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_posko_endpoint_set,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      &ngx_http_posko_intake_endpoint },

    { ngx_string("posko_followup"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_posko_endpoint_set,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      &ngx_http_posko_followup_endpoint },

    { ngx_string("posko_status"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_posko_endpoint_set,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      &ngx_http_posko_status_endpoint },

    { ngx_string("posko_open311"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_posko_endpoint_set,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      &ngx_http_posko_open311_endpoint },

    { ngx_string("posko_open311_api_key"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_posko_open311_api_key,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_db"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, db),
      NULL },

    { ngx_string("posko_officer"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_set_complex_value_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, officer),
      NULL },

    { ngx_string("posko_field"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_posko_field,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_form_page"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_posko_form_page,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("posko_node"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_posko_main_conf_t, node),
      NULL },

    { ngx_string("posko_max_body"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, max_body),
      NULL },

    { ngx_string("posko_wal_segment_size"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_off_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, segment_size),
      NULL },

    { ngx_string("posko_wal_segment_age"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, segment_age),
      NULL },

    { ngx_string("posko_wal_sync"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, sync),
      NULL },

    { ngx_string("posko_thread_pool"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, thread_pool_name),
      NULL },

    { ngx_string("posko_secret"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, secret),
      NULL },

    { ngx_string("posko_thanks"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_posko_loc_conf_t, thanks),
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_posko_module_ctx = {
    NULL,                                  /* preconfiguration */
    NULL,                                  /* postconfiguration */

    ngx_http_posko_create_main_conf,       /* create main configuration */
    ngx_http_posko_init_main_conf,         /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_posko_create_loc_conf,        /* create location configuration */
    ngx_http_posko_merge_loc_conf          /* merge location configuration */
};


ngx_module_t  ngx_http_posko_module = {
    NGX_MODULE_V1,
    &ngx_http_posko_module_ctx,            /* module context */
    ngx_http_posko_commands,               /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_posko_init_process,           /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_posko_exit_process,           /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static void *
ngx_http_posko_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_posko_main_conf_t  *pmcf;

    pmcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_posko_main_conf_t));
    if (pmcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     pmcf->node = { 0, NULL };
     */

    pmcf->default_rules = ngx_http_posko_default_rules(cf, posko_fields,
                                                       POSKO_F_COUNT);
    if (pmcf->default_rules == NULL) {
        return NULL;
    }

    pmcf->followup_rules = ngx_http_posko_default_rules(cf,
                                                        posko_followup_fields,
                                                        POSKO_FU_COUNT);
    if (pmcf->followup_rules == NULL) {
        return NULL;
    }

    pmcf->feedback_rules = ngx_http_posko_default_rules(cf,
                                                        posko_feedback_fields,
                                                        POSKO_FB_COUNT);
    if (pmcf->feedback_rules == NULL) {
        return NULL;
    }

    return pmcf;
}


static char *
ngx_http_posko_init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_posko_main_conf_t *pmcf = conf;

    u_char      *p;
    ngx_uint_t   i;

    if (pmcf->node.data == NULL) {
        pmcf->node.len = cf->cycle->hostname.len;
        pmcf->node.data = ngx_pstrdup(cf->pool, &cf->cycle->hostname);
        if (pmcf->node.data == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    if (pmcf->node.len == 0 || pmcf->node.len > POSKO_WAL_NODE_MAX) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "posko_node must be 1 to %d characters",
                           POSKO_WAL_NODE_MAX);
        return NGX_CONF_ERROR;
    }

    /* the node id goes into segment file names */

    p = pmcf->node.data;

    for (i = 0; i < pmcf->node.len; i++) {
        if (!(isalnum(p[i]) || p[i] == '.' || p[i] == '_')) {
            p[i] = '_';
        }
    }

    ngx_http_posko_node = pmcf->node;

    return NGX_CONF_OK;
}


static void *
ngx_http_posko_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_posko_loc_conf_t  *plcf;

    plcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_posko_loc_conf_t));
    if (plcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     plcf->wal = { 0, NULL };
     *     plcf->thanks = { 0, NULL };
     *     plcf->own_rules = NULL;
     *     plcf->rules = NULL;
     *     plcf->form_rules = NULL;
     */

    plcf->endpoint = NGX_CONF_UNSET_PTR;
    plcf->api_keys = NGX_CONF_UNSET_PTR;
    plcf->officer = NGX_CONF_UNSET_PTR;
    plcf->sync = NGX_CONF_UNSET;
    plcf->max_body = NGX_CONF_UNSET_SIZE;
    plcf->segment_size = NGX_CONF_UNSET;
    plcf->segment_age = NGX_CONF_UNSET;

    return plcf;
}


static char *
ngx_http_posko_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_posko_loc_conf_t *prev = parent;
    ngx_http_posko_loc_conf_t *conf = child;

    ngx_http_posko_endpoint_t   *ep;
    ngx_http_posko_main_conf_t  *pmcf;

    pmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_posko_module);

    if (ngx_http_posko_merge_rules(cf, pmcf, prev, conf) != NGX_CONF_OK) {
        return NGX_CONF_ERROR;
    }

    ngx_conf_merge_str_value(conf->wal, prev->wal, "");
    ngx_conf_merge_ptr_value(conf->endpoint, prev->endpoint, NULL);
    ngx_conf_merge_ptr_value(conf->api_keys, prev->api_keys, NULL);
    ngx_conf_merge_str_value(conf->db, prev->db, "");
    ngx_conf_merge_ptr_value(conf->officer, prev->officer, NULL);
    ngx_conf_merge_size_value(conf->max_body, prev->max_body, 64 * 1024);
    ngx_conf_merge_off_value(conf->segment_size, prev->segment_size,
                             64 * 1024 * 1024);
    ngx_conf_merge_sec_value(conf->segment_age, prev->segment_age, 3600);
    ngx_conf_merge_str_value(conf->thanks, prev->thanks,
                             "/terima-kasih.html");
    ngx_conf_merge_str_value(conf->form_page, prev->form_page, "");
    ngx_conf_merge_value(conf->sync, prev->sync, 1);
    ngx_conf_merge_str_value(conf->thread_pool_name, prev->thread_pool_name,
                             "default");
    ngx_conf_merge_str_value(conf->secret, prev->secret, "");

    if (conf->db.len
        && ngx_conf_full_name(cf->cycle, &conf->db, 0) != NGX_OK)
    {
        return NGX_CONF_ERROR;
    }

    if (conf->secret.len
        && ngx_conf_full_name(cf->cycle, &conf->secret, 0) != NGX_OK)
    {
        return NGX_CONF_ERROR;
    }

    ep = conf->endpoint;

    if (ep == NULL) {
        return NGX_CONF_OK;
    }

    if (conf->wal.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "%s needs a posko_wal directory", ep->directive);
        return NGX_CONF_ERROR;
    }

    if (ep->needs_db && conf->db.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "%s needs a posko_db file", ep->directive);
        return NGX_CONF_ERROR;
    }

    if (ep->merge && ep->merge(cf, pmcf, prev, conf) != NGX_CONF_OK) {
        return NGX_CONF_ERROR;
    }

    /* created with 32 threads unless a thread_pool directive says */

    conf->thread_pool = ngx_thread_pool_add(cf, &conf->thread_pool_name);
    if (conf->thread_pool == NULL) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_posko_wal(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_posko_loc_conf_t *plcf = conf;

    ngx_str_t        *value;
    ngx_file_info_t   fi;

    if (plcf->wal.data) {
        return "is duplicate";
    }

    value = cf->args->elts;
    plcf->wal = value[1];

    while (plcf->wal.len > 1 && plcf->wal.data[plcf->wal.len - 1] == '/') {
        plcf->wal.len--;
    }

    /* relative paths are taken from the prefix; the result ends in NUL */

    if (ngx_conf_full_name(cf->cycle, &plcf->wal, 0) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    if (ngx_file_info(plcf->wal.data, &fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "posko_wal directory \"%V\" is not usable",
                           &plcf->wal);
        return NGX_CONF_ERROR;
    }

    if (!ngx_is_dir(&fi)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "posko_wal \"%V\" is not a directory", &plcf->wal);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/*
 * posko_intake, posko_followup, posko_status, posko_open311: the
 * location's endpoint (cmd->post), one to a location.
 */

static char *
ngx_http_posko_endpoint_set(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_posko_loc_conf_t *plcf = conf;

    ngx_http_posko_endpoint_t  *ep;
    ngx_http_core_loc_conf_t   *clcf;

    ep = cmd->post;

    if (plcf->endpoint == ep) {
        return "is duplicate";
    }

    if (plcf->endpoint != NGX_CONF_UNSET_PTR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" cannot share a location with \"%s\"",
                           &cmd->name, plcf->endpoint->directive);
        return NGX_CONF_ERROR;
    }

    plcf->endpoint = ep;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ep->handler;

    return NGX_CONF_OK;
}


/* Loads the form page once, when nginx reads its configuration. */

static char *
ngx_http_posko_form_page(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_posko_loc_conf_t *plcf = conf;

    off_t             size;
    ssize_t           n;
    ngx_fd_t          fd;
    ngx_str_t        *value, path;
    ngx_file_info_t   fi;

    if (plcf->form_page.data) {
        return "is duplicate";
    }

    value = cf->args->elts;
    path = value[1];

    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    fd = ngx_open_file(path.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_open_file_n " \"%V\" failed", &path);
        return NGX_CONF_ERROR;
    }

    if (ngx_fd_info(fd, &fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_fd_info_n " \"%V\" failed", &path);
        goto failed;
    }

    size = ngx_file_size(&fi);

    if (size == 0 || size > 1024 * 1024) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "form page \"%V\" must be 1 byte to 1 MB", &path);
        goto failed;
    }

    plcf->form_page.data = ngx_pnalloc(cf->pool, (size_t) size);
    if (plcf->form_page.data == NULL) {
        goto failed;
    }

    n = ngx_read_fd(fd, plcf->form_page.data, (size_t) size);

    if (n != (ssize_t) size) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_read_fd_n " \"%V\" failed", &path);
        goto failed;
    }

    plcf->form_page.len = (size_t) size;

    (void) ngx_close_file(fd);

    return NGX_CONF_OK;

failed:

    (void) ngx_close_file(fd);

    return NGX_CONF_ERROR;
}


static ngx_int_t
ngx_http_posko_init_process(ngx_cycle_t *cycle)
{
    ngx_http_posko_record_init_process();

    return ngx_http_posko_wal_init_process(cycle);
}


static void
ngx_http_posko_exit_process(ngx_cycle_t *cycle)
{
    ngx_http_posko_rules_exit();
    ngx_http_posko_wal_exit_process(cycle);
}
