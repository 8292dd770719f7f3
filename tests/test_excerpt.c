/*
 * test_excerpt.c - unit tests for posko_excerpt (include/posko_excerpt.c):
 * what a report may show of a pilgrim's description.  Phone, passport
 * and registration numbers (six digits or more, with spaces, dots or
 * dashes between them) and e-mail addresses are hidden wherever they
 * stand; short numbers (a room, a bus, a date) stay; text is cut at a
 * character boundary with an ellipsis; line breaks become spaces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "posko_excerpt.h"

#define HIDDEN "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"
#define MORE "\xe2\x80\xa6"

static void check(const char *in, size_t max, const char *want) {
    char *out = malloc(max);
    char *copy = malloc(strlen(in) + 1);

    assert_non_null(out);
    assert_non_null(copy);
    memcpy(copy, in, strlen(in) + 1);
    posko_excerpt(copy, strlen(copy), out, max);
    assert_string_equal(out, want);
    free(out);
    free(copy);
}

static void test_hidden(void **state) {
    (void)state;
    check("hubungi 0812-3456-7890 ya", 100, "hubungi " HIDDEN " ya");
    check("HP:081234567890", 100, "HP:" HIDDEN);
    check("paspor B1234567 hilang", 100, "paspor B" HIDDEN " hilang");
    check("email budi@contoh.id atau", 100, "email " HIDDEN " atau");
    check("(siti@contoh.id)", 100, HIDDEN); /* the whole word, bracket too */
    check("nomor 12 34 56 78 90", 100, "nomor " HIDDEN);
    check("123456", 100, HIDDEN);
    check("x 1234567@contoh", 100, "x " HIDDEN);
}

static void test_kept(void **state) {
    (void)state;
    check("kamar 412 lantai 7, bus 12345", 100,
          "kamar 412 lantai 7, bus 12345");
    check("tanggal 15-06-2026", 100, "tanggal " HIDDEN);
    check("jam 10.30", 100, "jam 10.30");
    check("baris\nkedua\tdan", 100, "baris kedua dan");
}

static void test_cut(void **state) {
    (void)state;
    /* 12 bytes, the ellipsis (3) and the NUL fit in 16 */
    check("abcdefghijklmnopqrstu", 16, "abcdefghijkl" MORE);
    check("abc", 16, "abc");
    /* never in the middle of a character: "é" is two bytes */
    check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 16,
          "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" MORE);
    /* too small a buffer for anything but the empty string */
    check("abc", 8, "");
    /* Arabic and an emoji pass whole */
    check("\xd8\xba\xd8\xb1\xd9\x81\xd8\xa9 \xf0\x9f\x98\xa5", 100,
          "\xd8\xba\xd8\xb1\xd9\x81\xd8\xa9 \xf0\x9f\x98\xa5");
    /* a broken sequence is cut where it starts */
    check("ok \xc3( sisa", 100, "ok " MORE);
    check("", 100, "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hidden),
        cmocka_unit_test(test_kept),
        cmocka_unit_test(test_cut),
    };

    return cmocka_run_group_tests_name("excerpt", tests, NULL, NULL);
}
