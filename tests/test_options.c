/*
 * test_options.c - unit tests for the one option parser of the batch
 * commands (batch/options.c): a made-up command with a value, a
 * required value, a list, a flag, a zone and operands, read from argv
 * lists that are well and lists that are not.  Every refusal is exit 2
 * and leaves the rest of the line unread; --help anywhere is exit 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "posko.h"
#include "times.h"

typedef struct {
    const char *db_path;
    const char *name;
    const char *tz;
    posko_opt_list_t to;
    int quiet;
    posko_opt_list_t words;
} test_args_t;

static int test_checked; /* how often the check ran */

static const posko_command_t test_command;

static int test_check(const posko_command_t *cmd, void *args) {
    const test_args_t *a = args;

    assert_ptr_equal(cmd, &test_command);
    test_checked++;
    if (a->name != NULL && strcmp(a->name, "bad") == 0) {
        return POSKO_EXIT_USAGE;
    }
    return POSKO_OPT_GO;
}

static const posko_opt_t test_opts[] = {
    POSKO_OPT_DB_READ(test_args_t),
    {"--name", POSKO_OPT_VALUE, "NAME", 0, offsetof(test_args_t, name),
     "a name"},
    POSKO_OPT_TZ(test_args_t, "a zone"),
    {"--to", POSKO_OPT_LIST, "ADDR", 0, offsetof(test_args_t, to),
     "as often as needed"},
    {"--quiet", POSKO_OPT_FLAG, NULL, 0, offsetof(test_args_t, quiet),
     "say less"},
    POSKO_OPT_END,
};

static const posko_operands_t test_operands = {"WORD [WORD]", 1, 2,
                                               offsetof(test_args_t, words)};

static const posko_command_t test_command = {"test",
                                             NULL,
                                             test_opts,
                                             test_check,
                                             "a command for the tests",
                                             "About it.\n",
                                             &test_operands};

/* What the parser prints (the usage, the sentences) goes to /dev/null
 * between these two. */
static int saved_out = -1, saved_err = -1;

static void silence(void) {
    int null = open("/dev/null", O_WRONLY);

    fflush(stdout);
    fflush(stderr);
    saved_out = dup(1);
    saved_err = dup(2);
    dup2(null, 1);
    dup2(null, 2);
    close(null);
}

static void unsilence(void) {
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
}

/* Parses the NULL-terminated words after "test" into *a. */
static int parse(test_args_t *a, ...) {
    char *argv[32] = {"test"};
    int argc = 1, rc;
    va_list ap;

    memset(a, 0, sizeof(*a));
    test_checked = 0;
    va_start(ap, a);
    for (char *w; (w = va_arg(ap, char *)) != NULL;) {
        argv[argc++] = w;
    }
    va_end(ap);
    silence();
    rc = posko_opt_parse(&test_command, argc, argv, a);
    unsilence();
    return rc;
}

static void test_well(void **state) {
    test_args_t a;

    (void)state;
    assert_int_equal(parse(&a, "--db", "x.db", "one", "--name=n", "--quiet",
                           "--to", "a@b", "--to=c@d", "two", NULL),
                     POSKO_OPT_GO);
    assert_string_equal(a.db_path, "x.db");
    assert_string_equal(a.name, "n");
    assert_int_equal(a.quiet, 1);
    assert_int_equal(a.to.n, 2);
    assert_string_equal(a.to.v[0], "a@b");
    assert_string_equal(a.to.v[1], "c@d");
    assert_int_equal(a.words.n, 2);
    assert_string_equal(a.words.v[0], "one");
    assert_string_equal(a.words.v[1], "two");
    assert_null(a.tz); /* the parser keeps no default: posko_opt_tz does */
    assert_int_equal(test_checked, 1);

    /* a value that looks like an option is still the value */
    assert_int_equal(parse(&a, "--db", "--name", "w", NULL), POSKO_OPT_GO);
    assert_string_equal(a.db_path, "--name");
}

static void test_refused(void **state) {
    test_args_t a;

    (void)state;
    /* each is one sentence on stderr and exit 2, the check never run */
    assert_int_equal(parse(&a, "w", NULL), POSKO_EXIT_USAGE); /* no --db */
    assert_int_equal(parse(&a, "--db", "x", NULL), POSKO_EXIT_USAGE); /* WORD */
    assert_int_equal(parse(&a, "--db", "x", "w", "v", "u", NULL),
                     POSKO_EXIT_USAGE);
    assert_int_equal(parse(&a, "--db", "x", "w", "--bogus", NULL),
                     POSKO_EXIT_USAGE);
    assert_int_equal(parse(&a, "--db", "x", "w", "--dbx", NULL),
                     POSKO_EXIT_USAGE);
    assert_int_equal(parse(&a, "--db", "x", "w", "--db", "y", NULL),
                     POSKO_EXIT_USAGE);
    assert_int_equal(parse(&a, "--db", "x", "w", "--quiet", "--quiet", NULL),
                     POSKO_EXIT_USAGE);
    assert_int_equal(parse(&a, "--db", "x", "w", "--quiet=yes", NULL),
                     POSKO_EXIT_USAGE);
    assert_int_equal(parse(&a, "w", "--db", NULL), POSKO_EXIT_USAGE);
    assert_int_equal(parse(&a, "w", "--db", "", NULL), POSKO_EXIT_USAGE);
    assert_int_equal(parse(&a, "w", "--db=", NULL), POSKO_EXIT_USAGE);
    assert_int_equal(parse(&a, "w", "--db", "x", "--to", "", NULL),
                     POSKO_EXIT_USAGE);
    assert_int_equal(test_checked, 0);
    assert_int_equal(parse(&a, "--db", "x", "w", "--to", "1", "--to", "2",
                           "--to", "3", "--to", "4", "--to", "5", "--to", "6",
                           "--to", "7", "--to", "8", NULL),
                     POSKO_OPT_GO);
    assert_int_equal(a.to.n, POSKO_OPT_LIST_MAX);
    assert_int_equal(parse(&a, "--db", "x", "w", "--to", "1", "--to", "2",
                           "--to", "3", "--to", "4", "--to", "5", "--to", "6",
                           "--to", "7", "--to", "8", "--to", "9", NULL),
                     POSKO_EXIT_USAGE);
    /* what the command's own check refuses */
    assert_int_equal(parse(&a, "--db", "x", "w", "--name", "bad", NULL),
                     POSKO_EXIT_USAGE);
    assert_int_equal(test_checked, 1);
}

static void test_help(void **state) {
    test_args_t a;

    (void)state;
    /* anywhere, whatever else is wrong on the line */
    assert_int_equal(parse(&a, "--bogus", "--help", NULL), POSKO_EXIT_OK);
    assert_int_equal(parse(&a, "-h", NULL), POSKO_EXIT_OK);
    assert_int_equal(test_checked, 0);
}

static void test_usage_text(void **state) {
    char buf[4096];
    FILE *f = fmemopen(buf, sizeof(buf), "w");

    (void)state;
    assert_non_null(f);
    posko_opt_help(&test_command, f);
    fclose(f);
    /* the synopsis wraps under the command's name */
    assert_true(strncmp(buf,
                        "usage: posko test --db FILE [--name NAME] "
                        "[--tz ZONE] [--to ADDR]... [--quiet]\n"
                        "                  WORD [WORD]\n\n",
                        strlen("usage: posko test --db FILE [--name NAME] "
                               "[--tz ZONE] [--to ADDR]... [--quiet]\n"
                               "                  WORD [WORD]\n\n")) == 0);
    assert_non_null(strstr(buf,
                           "\n  --tz ZONE             a zone (default\n"
                           "                        " POSKO_DEFAULT_TZ ")\n"));
    assert_non_null(strstr(buf, "\n\nAbout it.\n"));
}

/* posko_opt_tz on tz, quietly: its result, and *tz after it. */
static int zone(const char **tz) {
    int rc;

    silence();
    rc = posko_opt_tz(&test_command, tz);
    unsilence();
    return rc;
}

static void test_tz(void **state) {
    const char *tz = NULL;

    (void)state;
    assert_int_equal(zone(&tz), POSKO_OPT_GO);
    assert_string_equal(tz, POSKO_DEFAULT_TZ);
    tz = "Asia/Jakarta";
    assert_int_equal(zone(&tz), POSKO_OPT_GO);
    tz = "Asia";
    assert_int_equal(zone(&tz), POSKO_EXIT_USAGE);
    tz = "../../etc/passwd";
    assert_int_equal(zone(&tz), POSKO_EXIT_USAGE);
}

/* posko_opt_date on value, quietly. */
static int day(const char *value) {
    int rc;

    silence();
    rc = posko_opt_date(&test_command, "--date", value);
    unsilence();
    return rc;
}

static void test_date(void **state) {
    (void)state;
    assert_int_equal(day("2024-02-29"), POSKO_OPT_GO);
    assert_int_equal(day("2026-02-29"), POSKO_EXIT_USAGE);
    assert_int_equal(day("2026-6-1"), POSKO_EXIT_USAGE);
    assert_int_equal(day("kemarin"), POSKO_EXIT_USAGE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_well), cmocka_unit_test(test_refused),
        cmocka_unit_test(test_help), cmocka_unit_test(test_usage_text),
        cmocka_unit_test(test_tz),   cmocka_unit_test(test_date),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
