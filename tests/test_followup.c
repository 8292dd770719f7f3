/*
 * test_followup.c - unit tests for the complaint lifecycle and the
 * follow-up form (include/posko_followup.c): every pair of status and
 * action against a table written from the lifecycle of
 * docs/architecture.md, the reasons
 * given for refusals, what each action needs, and the names; and where
 * the form's "kembali" may send a browser, against the open redirects
 * an attacker would try.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "posko_followup.h"
#include "unit.h"

enum {
    D = POSKO_S_DITERIMA,
    V = POSKO_S_VERIFIKASI,
    F = POSKO_S_FAKTUAL,
    T = POSKO_S_TIDAK_FAKTUAL,
    L = POSKO_S_DITINDAKLANJUTI,
    S = POSKO_S_SELESAI,
    C = POSKO_S_DITUTUP,
    X = -1 /* refused */
};

/* expected[status][action]: the status after, or X */
static const int expected[POSKO_S_COUNT][POSKO_A_COUNT] = {
    /*            mulai faktual tidak tugaskan tindakan selesai tutup */
    /* D */ {V, X, X, D, X, X, C},
    /* V */ {X, F, T, V, X, X, C},
    /* F */ {X, X, X, L, L, S, C},
    /* T */ {X, X, X, X, X, X, C},
    /* L */ {X, X, X, L, L, S, C},
    /* S */ {X, X, X, X, X, X, X},
    /* C */ {X, X, X, X, X, X, X},
};

static void test_every_transition(void **state) {
    (void)state;
    for (int s = 0; s < POSKO_S_COUNT; s++) {
        for (int a = 0; a < POSKO_A_COUNT; a++) {
            const char *why = "unset";
            int next = posko_lifecycle_step(s, a, &why);

            if (next != expected[s][a]) {
                fail_msg("%s + %s: got %d, expected %d",
                         posko_status_names[s], posko_aksi_names[a], next,
                         expected[s][a]);
            }
            if (next < 0) {
                /* Indonesian, then the English after " / " */
                assert_non_null(why);
                assert_non_null(strstr(why, " / "));
            } else {
                assert_null(why);
            }
        }
    }
}

static void test_reasons(void **state) {
    const char *why;

    (void)state;
    posko_lifecycle_step(POSKO_S_TIDAK_FAKTUAL, POSKO_A_SELESAI, &why);
    assert_non_null(strstr(why, "tidak faktual"));
    posko_lifecycle_step(POSKO_S_DITERIMA, POSKO_A_SELESAI, &why);
    assert_non_null(strstr(why, "belum dinyatakan faktual"));
    posko_lifecycle_step(POSKO_S_DITERIMA, POSKO_A_FAKTUAL, &why);
    assert_non_null(strstr(why, "verifikasi belum dimulai"));
    posko_lifecycle_step(POSKO_S_FAKTUAL, POSKO_A_TIDAK_FAKTUAL, &why);
    assert_non_null(strstr(why, "sudah diverifikasi"));
    posko_lifecycle_step(POSKO_S_VERIFIKASI, POSKO_A_MULAI_VERIFIKASI, &why);
    assert_non_null(strstr(why, "sudah dimulai"));
    posko_lifecycle_step(POSKO_S_DITUTUP, POSKO_A_TUTUP, &why);
    assert_non_null(strstr(why, "sudah ditutup"));
    posko_lifecycle_step(POSKO_S_SELESAI, POSKO_A_TINDAKAN, &why);
    assert_non_null(strstr(why, "sudah selesai"));
    assert_int_equal(posko_lifecycle_step(POSKO_S_DITERIMA, POSKO_A_COUNT, &why),
                     -1);
    assert_non_null(why);
}

static void test_needs(void **state) {
    (void)state;
    assert_int_equal(posko_aksi_needs(POSKO_A_MULAI_VERIFIKASI), 0);
    assert_int_equal(posko_aksi_needs(POSKO_A_FAKTUAL), POSKO_NEEDS_NOTE);
    assert_int_equal(posko_aksi_needs(POSKO_A_TIDAK_FAKTUAL), POSKO_NEEDS_NOTE);
    assert_int_equal(posko_aksi_needs(POSKO_A_TINDAKAN), POSKO_NEEDS_NOTE);
    assert_int_equal(posko_aksi_needs(POSKO_A_SELESAI), POSKO_NEEDS_NOTE);
    assert_int_equal(posko_aksi_needs(POSKO_A_TUGASKAN), POSKO_NEEDS_UNIT);
    assert_int_equal(posko_aksi_needs(POSKO_A_TUTUP), POSKO_NEEDS_NOTE_OR_DUP);
}

static void test_names(void **state) {
    (void)state;
    /* the names other people rely on (docs/architecture.md) */
    static const char *const aksi[] = {"mulai_verifikasi", "faktual",
                                       "tidak_faktual",    "tugaskan",
                                       "tindakan",         "selesai",
                                       "tutup"};
    static const char *const status[] = {
        "diterima", "verifikasi",      "faktual", "tidak_faktual",
        "ditindaklanjuti", "selesai", "ditutup"};

    for (int a = 0; a < POSKO_A_COUNT; a++) {
        assert_int_equal(posko_aksi_find(aksi[a], strlen(aksi[a])), a);
    }
    for (int s = 0; s < POSKO_S_COUNT; s++) {
        assert_int_equal(posko_status_find(status[s], strlen(status[s])), s);
    }
    assert_int_equal(posko_aksi_find("selesa", 6), -1);
    assert_int_equal(posko_aksi_find("selesaii", 8), -1);
    assert_int_equal(posko_status_find("", 0), -1);

    /* the form's aksi rule lists exactly the actions */
    for (int a = 0; a < POSKO_A_COUNT; a++) {
        assert_string_equal(posko_followup_fields[POSKO_FU_AKSI].values[a],
                            aksi[a]);
    }
    assert_null(posko_followup_fields[POSKO_FU_AKSI].values[POSKO_A_COUNT]);
    assert_true(posko_followup_fields[POSKO_FU_KODE].required);
    assert_true(posko_followup_fields[POSKO_FU_AKSI].required);
    assert_false(posko_followup_fields[POSKO_FU_CATATAN].required);
}

static void test_open(void **state) {
    (void)state;
    assert_true(posko_status_open(POSKO_S_DITERIMA));
    assert_true(posko_status_open(POSKO_S_VERIFIKASI));
    assert_true(posko_status_open(POSKO_S_FAKTUAL));
    assert_true(posko_status_open(POSKO_S_DITINDAKLANJUTI));
    assert_false(posko_status_open(POSKO_S_TIDAK_FAKTUAL));
    assert_false(posko_status_open(POSKO_S_SELESAI));
    assert_false(posko_status_open(POSKO_S_DITUTUP));
}

/* -- kembali -------------------------------------------------------------- */

static const struct {
    const char *in;
    size_t len; /* 0: strlen */
    int ok;
} backs[] = {
    /* paths on this site */
    {"/", 0, 1},
    {"/dasbor/", 0, 1},
    {"/dasbor/aduan/A1B2-C3D4-E5F6.html", 0, 1},
    {"/dasbor/daftar.html?urut=tenggat&hal=2#atas", 0, 1},
    {"/a/b/../c", 0, 1},
    {"/%2F%2Fevil.example", 0, 1}, /* escapes stay escaped in Location */
    {"/%0d%0aSet-Cookie:x=1", 0, 1},
    {"/x//y", 0, 1}, /* "//" after the first segment is still a path */
    {"/~petugas/!$&'()*+,;=:@", 0, 1},
    /* empty, or not a path */
    {"", 0, 0},
    {"dasbor/", 0, 0},
    {"./dasbor", 0, 0},
    {"?kode=x", 0, 0},
    {"#top", 0, 0},
    /* another site */
    {"//evil.example", 0, 0},
    {"//evil.example/dasbor/", 0, 0},
    {"///evil.example", 0, 0},
    {"/\\evil.example", 0, 0},
    {"/\\/evil.example", 0, 0},
    {"\\\\evil.example", 0, 0},
    {"https://evil.example/", 0, 0},
    {"http:/evil.example", 0, 0},
    {"javascript:alert(1)", 0, 0},
    {"data:text/html,<script>", 0, 0},
    /* a backslash anywhere: some browsers read it as "/" */
    {"/dasbor\\..\\evil", 0, 0},
    /* raw controls: header splitting, and browsers that drop them */
    {"/dasbor\r\nSet-Cookie: x=1", 0, 0},
    {"/dasbor\nLocation: //evil", 0, 0},
    {"/\t/evil.example", 0, 0},
    {"/\r/evil.example", 0, 0},
    {"/dasbor\x7f", 0, 0},
    {"/dasbor\x01", 0, 0},
    {"/dasbor\0/x", 9, 0},
    {"/\0", 2, 0},
    /* spaces, quotes and angle brackets: the page and the header */
    {"/ /evil.example", 0, 0},
    {"/dasbor/ x", 0, 0},
    {"/dasbor\"><script>alert(1)</script>", 0, 0},
    {"/dasbor'\"", 0, 0},
    {"/<evil>", 0, 0},
    {"/dasbor>", 0, 0},
    /* beyond ASCII, in UTF-8 or not */
    {"/d\xc3\xa1sbor", 0, 0},
    {"/\xe2\x80\xae/lmth.evil", 0, 0},
    {"/\xff", 0, 0},
};

static void test_back(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(backs) / sizeof(backs[0]); i++) {
        size_t len = backs[i].len ? backs[i].len : strlen(backs[i].in);
        uint8_t *copy = dup_exact(backs[i].in, len);

        if (posko_followup_back_ok((const char *)copy, len) != backs[i].ok) {
            fail_msg("kembali \"%s\" (%zu bytes): expected %s", backs[i].in,
                     len, backs[i].ok ? "taken" : "refused");
        }
        free(copy);
    }
}

/* at most POSKO_BACK_MAX bytes */
static void test_back_long(void **state) {
    char *p = malloc(POSKO_BACK_MAX + 2);

    (void)state;
    assert_non_null(p);
    memset(p, 'a', POSKO_BACK_MAX + 2);
    p[0] = '/';
    assert_int_equal(posko_followup_back_ok(p, POSKO_BACK_MAX), 1);
    assert_int_equal(posko_followup_back_ok(p, POSKO_BACK_MAX + 1), 0);
    assert_int_equal(posko_followup_back_ok(p, POSKO_BACK_MAX + 2), 0);
    assert_int_equal(posko_followup_back_ok(p, (size_t)-1), 0);
    free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_needs),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_open),
        cmocka_unit_test(test_back),
        cmocka_unit_test(test_back_long),
    };

    return cmocka_run_group_tests_name("followup", tests, NULL, NULL);
}
