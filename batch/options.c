/*
 * options.c - reads a subcommand's options after its table (options.h),
 * and writes its usage from the same table for `posko help NAME`.
 *
 * Every command refuses the same things in the same words, in one line
 * on stderr that ends "; see 'posko help NAME'", and exits 2:
 *
 *   unknown option '--bogus'          unexpected argument 'extra'
 *   --db given more than once         --db needs a value
 *   --personal takes no value, not 'yes'
 *   --db FILE is required             at most 8 --mail-to
 *   needs check DIR                   (operands missing)
 *
 * An option's value follows it (--db FILE) or its name and '='
 * (--db=FILE); an empty value is refused.  --help or -h anywhere prints
 * the usage and exits 0, whatever else is on the line.
 */
#include "options.h"
#include "posko.h"
#include "times.h"

#include <stdarg.h>
#include <string.h>

#define POSKO_OPT_WIDTH 78  /* of a usage line */
#define POSKO_OPT_COLUMN 24 /* where an option's help starts */

int posko_opt_usage(const posko_command_t *cmd, const char *fmt, ...) {
    va_list ap;

    fprintf(stderr, "posko %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "; see 'posko help %s'\n", cmd->name);
    return POSKO_EXIT_USAGE;
}

/* The option that arg names, exactly or before a '=' (*eq then points
 * after it); NULL when there is none. */
static const posko_opt_t *posko_opt_find(const posko_command_t *cmd,
                                         const char *arg, const char **eq) {
    for (const posko_opt_t *o = cmd->opt; o != NULL && o->name != NULL; o++) {
        size_t len = strlen(o->name);

        if (strncmp(arg, o->name, len) != 0) {
            continue;
        }
        if (arg[len] == '\0') {
            *eq = NULL;
            return o;
        }
        if (arg[len] == '=') {
            *eq = arg + len + 1;
            return o;
        }
    }
    return NULL;
}

/* Stores one option's value; POSKO_OPT_GO, or the exit status after the
 * sentence. */
static int posko_opt_store(const posko_command_t *cmd, const posko_opt_t *o,
                           const char *value, char *args) {
    void *slot = args + o->offset;

    if (o->kind == POSKO_OPT_FLAG) {
        int *flag = slot;

        if (value != NULL) {
            return posko_opt_usage(cmd, "%s takes no value, not '%s'", o->name,
                                   value);
        }
        if (*flag) {
            return posko_opt_usage(cmd, "%s given more than once", o->name);
        }
        *flag = 1;
        return POSKO_OPT_GO;
    }
    if (o->kind == POSKO_OPT_VALUE && *(const char **)slot != NULL) {
        return posko_opt_usage(cmd, "%s given more than once", o->name);
    }
    if (value[0] == '\0') {
        return posko_opt_usage(cmd, "%s needs a value", o->name);
    }
    if (o->kind == POSKO_OPT_VALUE) {
        *(const char **)slot = value;
    } else {
        posko_opt_list_t *list = slot;

        if (list->n == POSKO_OPT_LIST_MAX) {
            return posko_opt_usage(cmd, "at most %d %s", POSKO_OPT_LIST_MAX,
                                   o->name);
        }
        list->v[list->n++] = value;
    }
    return POSKO_OPT_GO;
}

int posko_opt_parse(const posko_command_t *cmd, int argc, char **argv,
                    void *args) {
    posko_opt_list_t *operands = NULL;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            posko_opt_help(cmd, stdout);
            return POSKO_EXIT_OK;
        }
    }
    if (cmd->operands != NULL) {
        operands = (posko_opt_list_t *)((char *)args + cmd->operands->offset);
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *eq;
        const posko_opt_t *o;

        if (arg[0] != '-') {
            if (operands == NULL || operands->n == cmd->operands->max) {
                return posko_opt_usage(cmd, "unexpected argument '%s'", arg);
            }
            operands->v[operands->n++] = arg;
            continue;
        }
        o = posko_opt_find(cmd, arg, &eq);
        if (o == NULL) {
            return posko_opt_usage(cmd, "unknown option '%s'", arg);
        }
        if (o->kind != POSKO_OPT_FLAG && eq == NULL) {
            if (i + 1 >= argc) {
                return posko_opt_usage(cmd, "%s needs a value", o->name);
            }
            eq = argv[++i];
        }
        rc = posko_opt_store(cmd, o, eq, args);
        if (rc != POSKO_OPT_GO) {
            return rc;
        }
    }
    for (const posko_opt_t *o = cmd->opt; o != NULL && o->name != NULL; o++) {
        if (o->required && o->kind == POSKO_OPT_VALUE &&
            *(const char **)((char *)args + o->offset) == NULL) {
            return posko_opt_usage(cmd, "%s %s is required", o->name, o->value);
        }
    }
    if (operands != NULL && operands->n < cmd->operands->min) {
        return posko_opt_usage(cmd, "needs %s", cmd->operands->usage);
    }
    return cmd->check != NULL ? cmd->check(cmd, args) : POSKO_OPT_GO;
}

int posko_opt_tz(const posko_command_t *cmd, const char **tz) {
    if (*tz == NULL) {
        *tz = POSKO_DEFAULT_TZ;
    }
    if (!posko_tz_known(*tz)) {
        return posko_opt_usage(cmd, "--tz '%s' is not a known time zone", *tz);
    }
    return POSKO_OPT_GO;
}

int posko_opt_date(const posko_command_t *cmd, const char *name,
                   const char *value) {
    int y, m, d;

    if (posko_parse_date(value, &y, &m, &d) != 0) {
        return posko_opt_usage(
            cmd, "%s '%s' is not a calendar date (YYYY-MM-DD)", name, value);
    }
    return POSKO_OPT_GO;
}

/* -- the usage ------------------------------------------------------------- */

/* Adds a word to the synopsis, on a new line when it would not fit. */
static void posko_opt_word(FILE *out, const char *word, size_t *col,
                           size_t indent) {
    size_t len = strlen(word);

    if (*col + 1 + len > POSKO_OPT_WIDTH) {
        fprintf(out, "\n%*s", (int)indent, "");
        *col = indent;
    } else {
        putc(' ', out);
        (*col)++;
    }
    fputs(word, out);
    *col += len;
}

void posko_opt_help(const posko_command_t *cmd, FILE *out) {
    const posko_opt_t *o;
    size_t col = strlen("usage: posko ") + strlen(cmd->name);
    size_t indent = col + 1;
    char word[128];

    fprintf(out, "usage: posko %s", cmd->name);
    for (o = cmd->opt; o != NULL && o->name != NULL; o++) {
        if (o->kind == POSKO_OPT_FLAG) {
            snprintf(word, sizeof(word), "[%s]", o->name);
        } else if (o->required) {
            snprintf(word, sizeof(word), "%s %s", o->name, o->value);
        } else {
            snprintf(word, sizeof(word), "[%s %s]%s", o->name, o->value,
                     o->kind == POSKO_OPT_LIST ? "..." : "");
        }
        posko_opt_word(out, word, &col, indent);
    }
    if (cmd->operands != NULL) {
        posko_opt_word(out, cmd->operands->usage, &col, indent);
    }
    fputs("\n", out);

    if (cmd->opt != NULL && cmd->opt[0].name != NULL) {
        fputs("\n", out);
    }
    for (o = cmd->opt; o != NULL && o->name != NULL; o++) {
        const char *line = o->help;
        int n;

        n = fprintf(out, "  %s%s%s", o->name, o->value ? " " : "",
                    o->value ? o->value : "");
        if (n + 1 > POSKO_OPT_COLUMN) {
            fprintf(out, "\n%*s", POSKO_OPT_COLUMN, "");
        } else {
            fprintf(out, "%*s", POSKO_OPT_COLUMN - n, "");
        }
        for (;;) {
            const char *nl = strchr(line, '\n');

            if (nl == NULL) {
                fprintf(out, "%s\n", line);
                break;
            }
            fprintf(out, "%.*s\n%*s", (int)(nl - line), line, POSKO_OPT_COLUMN,
                    "");
            line = nl + 1;
        }
    }
    if (cmd->about != NULL) {
        fprintf(out, "\n%s", cmd->about);
    }
}
