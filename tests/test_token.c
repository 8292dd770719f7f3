/*
 * test_token.c - follow-up form tokens: made and checked with the same
 * secret they pass; any other secret, code, time, or any changed byte
 * fails; the secret file is made once and read back.
 */
#include "posko_token.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static const unsigned char secret[POSKO_SECRET_LEN] =
    "0123456789abcdef0123456789abcdef";
static const char kode[] = "A1B2-C3D4-E5F6";

static void test_round_trip(void **state) {
    char t[POSKO_TOKEN_MAX];

    (void)state;
    assert_int_equal(posko_token_make(secret, sizeof(secret), kode,
                                      1800000000, t), 0);
    assert_int_equal(strlen(t), 10 + 1 + 32);
    assert_memory_equal(t, "1800000000.", 11);
    assert_int_equal(posko_token_check(secret, sizeof(secret), kode, t,
                                       strlen(t), 1700000000),
                     POSKO_TOKEN_OK);
    /* good up to its second, expired after */
    assert_int_equal(posko_token_check(secret, sizeof(secret), kode, t,
                                       strlen(t), 1800000000),
                     POSKO_TOKEN_OK);
    assert_int_equal(posko_token_check(secret, sizeof(secret), kode, t,
                                       strlen(t), 1800000001),
                     POSKO_TOKEN_EXPIRED);
}

static void test_known_value(void **state) {
    char t[POSKO_TOKEN_MAX];

    (void)state;
    /* HMAC-SHA256 computed independently (Perl's Digest::SHA):
     * the format is an interface, not an accident of this code */
    assert_int_equal(posko_token_make(secret, sizeof(secret), kode,
                                      1800000000, t), 0);
    assert_string_equal(t, "1800000000.c0aa794c7997eb8979dea146d8355eed");
}

static void test_refused(void **state) {
    unsigned char other[POSKO_SECRET_LEN];
    char t[POSKO_TOKEN_MAX], bad[POSKO_TOKEN_MAX];
    size_t n;

    (void)state;
    posko_token_make(secret, sizeof(secret), kode, 1800000000, t);
    n = strlen(t);

    memcpy(other, secret, sizeof(other));
    other[0] ^= 1;
    assert_int_equal(posko_token_check(other, sizeof(other), kode, t, n, 0),
                     POSKO_TOKEN_BAD);
    assert_int_equal(posko_token_check(secret, sizeof(secret),
                                       "A1B2-C3D4-E5F7", t, n, 0),
                     POSKO_TOKEN_BAD);
    /* every byte changed, one at a time */
    for (size_t i = 0; i < n; i++) {
        memcpy(bad, t, n + 1);
        bad[i] = bad[i] == '1' ? '2' : '1';
        assert_int_equal(posko_token_check(secret, sizeof(secret), kode, bad,
                                           n, 0),
                         POSKO_TOKEN_BAD);
    }
    /* a later expiry with the old MAC */
    memcpy(bad, t, n + 1);
    bad[0] = '9';
    assert_int_equal(posko_token_check(secret, sizeof(secret), kode, bad, n,
                                       0),
                     POSKO_TOKEN_BAD);
    /* shapes */
    assert_int_equal(posko_token_check(secret, sizeof(secret), kode, "", 0,
                                       0),
                     POSKO_TOKEN_BAD);
    assert_int_equal(posko_token_check(secret, sizeof(secret), kode, t, n - 1,
                                       0),
                     POSKO_TOKEN_BAD);
    memcpy(bad, t, n + 1);
    for (size_t i = 11; i < n; i++) {
        if (bad[i] >= 'a' && bad[i] <= 'f') {
            bad[i] = (char)(bad[i] - 'a' + 'A');
        }
    }
    if (strcmp(bad, t) != 0) {
        assert_int_equal(posko_token_check(secret, sizeof(secret), kode, bad,
                                           n, 0),
                         POSKO_TOKEN_BAD);
    }
    assert_int_equal(posko_token_check(secret, sizeof(secret), kode,
                                       "01800000000.0123456789abcdef0123456789abcdef",
                                       44, 0),
                     POSKO_TOKEN_BAD);
    assert_int_equal(posko_token_check(secret, sizeof(secret), kode,
                                       "99999999999999999999.0123456789abcdef0123456789abcdef",
                                       53, 0),
                     POSKO_TOKEN_BAD);
    assert_int_equal(posko_token_make(secret, sizeof(secret), kode, 0, t), -1);
}

static void test_secret_file(void **state) {
    char dir[] = "/tmp/posko-token-XXXXXX", path[64];
    unsigned char a[POSKO_SECRET_LEN], b[POSKO_SECRET_LEN];
    struct stat st;
    FILE *f;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/posko.secret", dir);
    assert_int_equal(posko_secret_read(path, a), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(posko_secret_create(path), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640 & ~(unsigned)umask(022));
    assert_int_equal(posko_secret_read(path, a), 0);
    /* made once: a second create keeps it */
    assert_int_equal(posko_secret_create(path), 0);
    assert_int_equal(posko_secret_read(path, b), 0);
    assert_memory_equal(a, b, sizeof(a));
    /* a file of another length is refused */
    f = fopen(path, "a");
    fputc('x', f);
    fclose(f);
    assert_int_equal(posko_secret_read(path, a), -1);
    assert_int_equal(errno, EINVAL);
    unlink(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_known_value),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_secret_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
