/*
 * test_kode.c - unit tests for the tracking codes (include/posko_kode.c).
 *
 * Codes are drawn from a seeded splitmix64 generator, so every run sees the
 * same codes.  For each one we check the printed form (XXXX-XXXX-XXXX, only
 * the 32 plain Crockford symbols), that it reads back as itself, and against
 * a reference computation of the mod-37 check written here independently.
 * The error-detecting promise of the header is checked exhaustively: every
 * single-symbol substitution and every swap of two differing neighbours
 * (the data/check boundary included) is refused as POSKO_KODE_BAD_CHECK.
 * Lenient reading (case, hyphens, spaces, I/L/O look-alikes), wrong lengths
 * and foreign characters are table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "posko_kode.h"

#define N_DRAWS 20000     /* random numbers drawn for the generic checks */
#define N_EXHAUSTIVE 2000 /* codes whose every substitution is tried */

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
static const uint64_t mask55 = (UINT64_C(1) << POSKO_KODE_RANDOM_BITS) - 1;

/* -- helpers ---------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static int sym_value(char c) {
    const char *p = strchr(alphabet, c);

    return (c != '\0' && p != NULL) ? (int)(p - alphabet) : -1;
}

/* Index in the printed form of symbol i (0..11). */
static size_t sym_pos(int i) { return (size_t)(i + i / 4); }

/* Normalizes exactly len bytes, copied to a heap block of that size so the
 * sanitizer catches any read past the end. */
static int normalize_exact(const char *in, size_t len,
                           char out[POSKO_KODE_LEN + 1]) {
    char *buf = malloc(len > 0 ? len : 1);
    int rc;

    assert_non_null(buf);
    if (len > 0) {
        memcpy(buf, in, len);
    }
    rc = posko_kode_normalize(buf, len, out);
    free(buf);
    return rc;
}

static int normalize_str(const char *in, char out[POSKO_KODE_LEN + 1]) {
    return normalize_exact(in, strlen(in), out);
}

/* Draws until a code is issued; returns the number used. */
static uint64_t next_code(uint64_t *state, char out[POSKO_KODE_LEN + 1]) {
    for (;;) {
        uint64_t r = splitmix64(state);

        if (posko_kode_from_random(r, out) == POSKO_KODE_OK) {
            return r & mask55;
        }
    }
}

/* The printed form, checked against a reference decoding of n. */
static void check_shape(const char *code, uint64_t n) {
    uint64_t data = 0;

    assert_int_equal(strlen(code), POSKO_KODE_LEN);
    assert_int_equal(code[4], '-');
    assert_int_equal(code[9], '-');
    for (int i = 0; i < POSKO_KODE_SYMBOLS; i++) {
        char c = code[sym_pos(i)];

        assert_true(sym_value(c) >= 0);
        assert_null(strchr("ILOU", c));
        if (i < 11) {
            data = data << 5 | (uint64_t)sym_value(c);
        }
    }
    assert_true(data == n);
    assert_int_equal(sym_value(code[13]), (int)(n % 37));
}

/* -- known values ----------------------------------------------------- */

static const struct {
    uint64_t r;
    int rc;
    const char *code;
} known[] = {
    {0, POSKO_KODE_OK, "0000-0000-0000"}, /* check of 0 is '0' */
    {1, POSKO_KODE_OK, "0000-0000-0011"},
    {31, POSKO_KODE_OK, "0000-0000-00ZZ"},
    {32, POSKO_KODE_RETRY, NULL},
    {36, POSKO_KODE_RETRY, NULL},
    {37, POSKO_KODE_OK, "0000-0000-0150"},
    {38, POSKO_KODE_OK, "0000-0000-0161"},
    {1000, POSKO_KODE_OK, "0000-0000-0Z81"},
    {UINT64_C(0x7ffffffffffffc), POSKO_KODE_OK, "ZZZZ-ZZZZ-ZZWZ"},
    {UINT64_C(0x7fffffffffffff), POSKO_KODE_RETRY, NULL}, /* check 34 */
    {UINT64_C(0x0123456789ABCDE), POSKO_KODE_OK, "4HMA-SW9N-F6Y2"},
    {UINT64_C(0xFEDCBA9876543210), POSKO_KODE_OK, "Q5TK-1V58-CGGM"},
    {UINT64_C(0xDEADBEEFCAFEBABE), POSKO_KODE_OK, "BDYX-Z5FX-ENYG"},
    {UINT64_C(1) << 55, POSKO_KODE_OK, "0000-0000-0000"}, /* high bits */
    {UINT64_MAX, POSKO_KODE_RETRY, NULL},
};

static void test_known_values(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
        char out[POSKO_KODE_LEN + 1];
        char back[POSKO_KODE_LEN + 1];
        int rc = posko_kode_from_random(known[k].r, out);

        assert_int_equal(rc, known[k].rc);
        if (rc == POSKO_KODE_OK) {
            assert_string_equal(out, known[k].code);
            assert_int_equal(normalize_str(out, back), POSKO_KODE_OK);
            assert_string_equal(back, known[k].code);
        }
    }
}

/* -- random codes ----------------------------------------------------- */

static void test_random_codes(void **state) {
    uint64_t rng = UINT64_C(0x706F736B6F2D6B64);
    unsigned accepted = 0;

    (void)state;
    for (unsigned k = 0; k < N_DRAWS; k++) {
        uint64_t r = splitmix64(&rng);
        uint64_t n = r & mask55;
        char out[POSKO_KODE_LEN + 1];
        char back[POSKO_KODE_LEN + 1];
        char hi[POSKO_KODE_LEN + 1];
        int rc = posko_kode_from_random(r, out);

        /* RETRY exactly when the check value has no plain symbol. */
        assert_int_equal(rc, n % 37 >= 32 ? POSKO_KODE_RETRY : POSKO_KODE_OK);
        /* Bits above the 55 do not matter. */
        assert_int_equal(posko_kode_from_random(r | ~mask55, hi), rc);
        if (rc != POSKO_KODE_OK) {
            continue;
        }
        accepted++;
        assert_string_equal(hi, out);
        check_shape(out, n);
        assert_int_equal(normalize_str(out, back), POSKO_KODE_OK);
        assert_string_equal(back, out);
    }
    /* 32 of 37 check values are plain symbols: about 86.5%. */
    assert_true(accepted * 100 >= N_DRAWS * 85);
    assert_true(accepted * 100 <= N_DRAWS * 88);
}

static void test_every_substitution(void **state) {
    uint64_t rng = UINT64_C(0x5EED0001);

    (void)state;
    for (unsigned k = 0; k < N_EXHAUSTIVE; k++) {
        char code[POSKO_KODE_LEN + 1];
        char out[POSKO_KODE_LEN + 1];

        next_code(&rng, code);
        for (int i = 0; i < POSKO_KODE_SYMBOLS; i++) {
            size_t at = sym_pos(i);
            char orig = code[at];

            for (int v = 0; v < 32; v++) {
                if (alphabet[v] == orig) {
                    continue;
                }
                code[at] = alphabet[v];
                if (posko_kode_normalize(code, POSKO_KODE_LEN, out) !=
                    POSKO_KODE_BAD_CHECK) {
                    fail_msg("substitution %d:%c accepted in %s", i,
                             alphabet[v], code);
                }
            }
            code[at] = orig;
        }
        /* Put back intact, it still reads. */
        assert_int_equal(posko_kode_normalize(code, POSKO_KODE_LEN, out),
                         POSKO_KODE_OK);
    }
}

static void test_every_adjacent_swap(void **state) {
    uint64_t rng = UINT64_C(0x5EED0002);
    unsigned swaps = 0;

    (void)state;
    for (unsigned k = 0; k < N_DRAWS; k++) {
        char code[POSKO_KODE_LEN + 1];
        char out[POSKO_KODE_LEN + 1];

        next_code(&rng, code);
        /* i = 10 swaps the last data symbol with the check symbol. */
        for (int i = 0; i + 1 < POSKO_KODE_SYMBOLS; i++) {
            size_t a = sym_pos(i), b = sym_pos(i + 1);
            char t;

            if (code[a] == code[b]) {
                continue;
            }
            t = code[a], code[a] = code[b], code[b] = t;
            if (posko_kode_normalize(code, POSKO_KODE_LEN, out) !=
                POSKO_KODE_BAD_CHECK) {
                fail_msg("swap at %d accepted: %s", i, code);
            }
            t = code[a], code[a] = code[b], code[b] = t;
            swaps++;
        }
    }
    assert_true(swaps > N_DRAWS * 10);
}

/* The boundary swap for every pair (last data symbol a, check symbol c)
 * with a != c: n = h * 32 + a takes every residue mod 37 as h runs
 * through 0..36. */
static void test_boundary_swap_all_pairs(void **state) {
    unsigned pairs = 0;

    (void)state;
    for (uint64_t hi = 0; hi < 37; hi++) {
        for (int a = 0; a < 32; a++) {
            uint64_t n = hi << 5 | (uint64_t)a;
            char code[POSKO_KODE_LEN + 1];
            char out[POSKO_KODE_LEN + 1];
            char t;

            if (posko_kode_from_random(n, code) != POSKO_KODE_OK) {
                continue;
            }
            if (code[12] == code[13]) {
                continue;
            }
            t = code[12], code[12] = code[13], code[13] = t;
            assert_int_equal(posko_kode_normalize(code, POSKO_KODE_LEN, out),
                             POSKO_KODE_BAD_CHECK);
            pairs++;
        }
    }
    assert_int_equal(pairs, 32 * 31);
}

/* -- lenient reading -------------------------------------------------- */

typedef void (*variant_fn)(const char *code, char *out);

static void v_lower(const char *code, char *out) {
    size_t i;

    for (i = 0; code[i] != '\0'; i++) {
        out[i] =
            (code[i] >= 'A' && code[i] <= 'Z') ? (char)(code[i] + 32) : code[i];
    }
    out[i] = '\0';
}

static void v_no_hyphens(const char *code, char *out) {
    size_t o = 0;

    for (size_t i = 0; code[i] != '\0'; i++) {
        if (code[i] != '-') {
            out[o++] = code[i];
        }
    }
    out[o] = '\0';
}

static void v_spaces(const char *code, char *out) {
    size_t o = 0;

    out[o++] = ' ';
    for (size_t i = 0; code[i] != '\0'; i++) {
        out[o++] = code[i] == '-' ? ' ' : code[i];
        if (i % 3 == 1) {
            out[o++] = ' ';
        }
    }
    out[o++] = ' ';
    out[o] = '\0';
}

static void v_extra_hyphens(const char *code, char *out) {
    size_t o = 0;

    out[o++] = '-';
    for (size_t i = 0; code[i] != '\0'; i++) {
        out[o++] = code[i];
        out[o++] = '-';
    }
    out[o] = '\0';
}

/* 0 -> O/o, 1 -> I/i/L/l, cycling through the look-alikes. */
static void v_lookalikes(const char *code, char *out) {
    static const char ones[] = "IiLl";
    static const char zeros[] = "Oo";
    unsigned k = 0;
    size_t i;

    for (i = 0; code[i] != '\0'; i++) {
        if (code[i] == '1') {
            out[i] = ones[k++ % 4];
        } else if (code[i] == '0') {
            out[i] = zeros[k++ % 2];
        } else {
            out[i] = code[i];
        }
    }
    out[i] = '\0';
}

static void v_mixed(const char *code, char *out) {
    char tmp[4 * POSKO_KODE_LEN];

    v_lookalikes(code, tmp);
    v_no_hyphens(tmp, out);
    v_lower(out, tmp);
    v_spaces(tmp, out);
}

static const struct {
    const char *name;
    variant_fn fn;
} variants[] = {
    {"lowercase", v_lower},        {"no hyphens", v_no_hyphens},
    {"spaces", v_spaces},          {"extra hyphens", v_extra_hyphens},
    {"look-alikes", v_lookalikes}, {"all at once", v_mixed},
};

static void test_lenient_variants(void **state) {
    uint64_t rng = UINT64_C(0x5EED0003);

    (void)state;
    for (unsigned k = 0; k < N_DRAWS; k++) {
        char code[POSKO_KODE_LEN + 1];

        next_code(&rng, code);
        for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
            char typed[4 * POSKO_KODE_LEN];
            char out[POSKO_KODE_LEN + 1];
            int rc;

            variants[v].fn(code, typed);
            rc = normalize_str(typed, out);
            if (rc != POSKO_KODE_OK || strcmp(out, code) != 0) {
                fail_msg("%s: \"%s\" gave %d \"%s\", want %s", variants[v].name,
                         typed, rc, rc == POSKO_KODE_OK ? out : "", code);
            }
        }
    }
}

static const struct {
    const char *typed;
    const char *canonical;
} lenient[] = {
    {"0000-0000-0000", "0000-0000-0000"},
    {"oooo-OOOO-oOoO", "0000-0000-0000"},
    {"000000000000", "0000-0000-0000"},
    {"  0000 0000 0000  ", "0000-0000-0000"},
    {"0000-0000-0Z81", "0000-0000-0Z81"},
    {"oooo-oooo-oz8i", "0000-0000-0Z81"},
    {"0000-0000-0z8L", "0000-0000-0Z81"},
    {"0000-0000-0011", "0000-0000-0011"},
    {"OOOO OOOO OOIl", "0000-0000-0011"},
    {"4hma-sw9n-f6y2", "4HMA-SW9N-F6Y2"},
    {"4HMASW9NF6Y2", "4HMA-SW9N-F6Y2"},
    {"4-H-M-A-S-W-9-N-F-6-Y-2", "4HMA-SW9N-F6Y2"},
    {"q5tk-iv58-cggm", "Q5TK-1V58-CGGM"},
    {"Q5TK-lV58-CGGM", "Q5TK-1V58-CGGM"},
};

static void test_lenient_table(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof(lenient) / sizeof(lenient[0]); k++) {
        char out[POSKO_KODE_LEN + 1];

        assert_int_equal(normalize_str(lenient[k].typed, out), POSKO_KODE_OK);
        assert_string_equal(out, lenient[k].canonical);
    }
}

/* Only len bytes are read: what follows does not count. */
static void test_reads_only_len(void **state) {
    char out[POSKO_KODE_LEN + 1];
    const char *s = "4HMA-SW9N-F6Y2XYZ*";

    (void)state;
    assert_int_equal(posko_kode_normalize(s, POSKO_KODE_LEN, out),
                     POSKO_KODE_OK);
    assert_string_equal(out, "4HMA-SW9N-F6Y2");
    assert_int_equal(posko_kode_normalize(s, POSKO_KODE_LEN - 1, out),
                     POSKO_KODE_BAD_LEN);
}

/* -- refusals --------------------------------------------------------- */

static const struct {
    const char *typed;
    size_t len; /* 0: strlen */
    int rc;
} refused[] = {
    /* wrong number of symbols */
    {"", 0, POSKO_KODE_BAD_LEN},
    {"----", 0, POSKO_KODE_BAD_LEN},
    {"    -  - ", 0, POSKO_KODE_BAD_LEN},
    {"0000-0000-000", 0, POSKO_KODE_BAD_LEN},       /* 11 */
    {"00000000000", 0, POSKO_KODE_BAD_LEN},         /* 11 */
    {"0000-0000-00000", 0, POSKO_KODE_BAD_LEN},     /* 13 */
    {"4HMA-SW9N-F6Y2-0", 0, POSKO_KODE_BAD_LEN},    /* 13 */
    {"4HMA-SW9N-F6Y", 0, POSKO_KODE_BAD_LEN},       /* check left off */
    {"4HMA-SW9N-F6Y2-4HMA", 0, POSKO_KODE_BAD_LEN}, /* 16 */
    {"4HMASW9NF6Y24HMASW9NF6Y2", 0, POSKO_KODE_BAD_LEN},
    /* characters outside the alphabet */
    {"4HMA-SW9N-F6YU", 0, POSKO_KODE_BAD_CHAR}, /* U: the fifth extra */
    {"4HMA-SW9N-F6Yu", 0, POSKO_KODE_BAD_CHAR},
    {"U000-0000-0000", 0, POSKO_KODE_BAD_CHAR},
    {"4HMA-SW9N-F6Y*", 0, POSKO_KODE_BAD_CHAR},
    {"4HMA-SW9N-F6Y~", 0, POSKO_KODE_BAD_CHAR},
    {"4HMA-SW9N-F6Y$", 0, POSKO_KODE_BAD_CHAR},
    {"4HMA-SW9N-F6Y=", 0, POSKO_KODE_BAD_CHAR},
    {"4HMA#SW9N-F6Y2", 0, POSKO_KODE_BAD_CHAR},
    {"4HMA_SW9N_F6Y2", 0, POSKO_KODE_BAD_CHAR},
    {"4HMA.SW9N.F6Y2", 0, POSKO_KODE_BAD_CHAR},
    {"4HMA\tSW9N\tF6Y2", 0, POSKO_KODE_BAD_CHAR},
    {"4HMA-SW9N-F6Y2\n", 0, POSKO_KODE_BAD_CHAR},
    {"4HMA-SW9N-F6\xC3\xA9", 0, POSKO_KODE_BAD_CHAR},      /* é */
    {"\xD9\xA4HMA-SW9N-F6Y2", 0, POSKO_KODE_BAD_CHAR},     /* Arabic-Indic 4 */
    {"\xEF\xBC\x94HMA-SW9N-F6Y2", 0, POSKO_KODE_BAD_CHAR}, /* fullwidth 4 */
    {"4HMA-SW9N-F6Y\xFF", 0, POSKO_KODE_BAD_CHAR},
    {"4HMA\0SW9N-F6Y2", 14, POSKO_KODE_BAD_CHAR}, /* embedded NUL */
    {"4HMA-SW9N-F6Y2\0", 15, POSKO_KODE_BAD_CHAR},
    /* right shape, wrong check */
    {"4HMA-SW9N-F6Y3", 0, POSKO_KODE_BAD_CHECK},
    {"0000-0000-0001", 0, POSKO_KODE_BAD_CHECK},
    {"ZZZZ-ZZZZ-ZZZZ", 0, POSKO_KODE_BAD_CHECK},
};

static void test_refused(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof(refused) / sizeof(refused[0]); k++) {
        char out[POSKO_KODE_LEN + 1];
        size_t len = refused[k].len ? refused[k].len : strlen(refused[k].typed);
        int rc = normalize_exact(refused[k].typed, len, out);

        if (rc != refused[k].rc) {
            fail_msg("case %zu \"%s\": got %d, want %d", k, refused[k].typed,
                     rc, refused[k].rc);
        }
    }
}

/* Every byte that is neither a symbol, a look-alike nor a separator is
 * refused as BAD_CHAR wherever it stands. */
static void test_every_foreign_byte(void **state) {
    static const char *code = "4HMA-SW9N-F6Y2";

    (void)state;
    for (int c = 0; c < 256; c++) {
        int upper = (c >= 'a' && c <= 'z') ? c - 32 : c;
        int ok = upper == 'O' || upper == 'I' || upper == 'L' ||
                 (upper != 0 && strchr(alphabet, upper) != NULL);

        if (ok || c == '-' || c == ' ') {
            continue;
        }
        for (int i = 0; i < POSKO_KODE_SYMBOLS; i++) {
            char typed[POSKO_KODE_LEN + 1];
            char out[POSKO_KODE_LEN + 1];

            memcpy(typed, code, sizeof(typed));
            typed[sym_pos(i)] = (char)c;
            if (normalize_exact(typed, POSKO_KODE_LEN, out) !=
                POSKO_KODE_BAD_CHAR) {
                fail_msg("byte 0x%02x at symbol %d not refused", c, i);
            }
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_random_codes),
        cmocka_unit_test(test_every_substitution),
        cmocka_unit_test(test_every_adjacent_swap),
        cmocka_unit_test(test_boundary_swap_all_pairs),
        cmocka_unit_test(test_lenient_variants),
        cmocka_unit_test(test_lenient_table),
        cmocka_unit_test(test_reads_only_len),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_every_foreign_byte),
    };

    return cmocka_run_group_tests_name("kode", tests, NULL, NULL);
}
