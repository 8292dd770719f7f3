/*
 * test_followup.c - unit tests for the complaint lifecycle and the
 * follow-up form (include/posko_followup.c): every pair of status and
 * action against a table written from the lifecycle of
 * docs/architecture.md, the reasons
 * given for refusals, what each action needs, and the names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "posko_followup.h"

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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_needs),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_open),
    };

    return cmocka_run_group_tests_name("followup", tests, NULL, NULL);
}
