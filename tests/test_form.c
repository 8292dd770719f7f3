/*
 * test_form.c - unit tests for the submission form (include/posko_form.c):
 * the field table and its rules (posko_field_find, posko_field_check), the
 * error messages, splitting an urlencoded body into pairs
 * (posko_form_next_pair), undoing percent-escapes (posko_urldecode) and
 * strict UTF-8 counting (posko_utf8_chars).
 *
 * Inputs are copied into heap blocks of exactly their length, so that the
 * sanitizer build catches any read past the end.  posko_utf8_chars is also
 * compared, over every input of one to three bytes and a large sample of
 * four-byte ones, with a reference written from the table of well-formed
 * byte sequences in the Unicode standard (Table 3-7).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "posko_form.h"
#include "unit.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* -- helpers ---------------------------------------------------------- */

static long utf8_exact(const void *s, size_t len) {
    uint8_t *p = dup_exact(s, len);
    long n = posko_utf8_chars(p, len);

    free(p);
    return n;
}

static posko_err_t check_exact(posko_field_id_t id, const void *s, size_t len) {
    uint8_t *p = dup_exact(s, len);
    posko_err_t err = posko_field_check(&posko_fields[id], p, len);

    free(p);
    return err;
}

/* A value of n copies of the UTF-8 character ch. */
static uint8_t *repeat(const char *ch, size_t n, size_t *len) {
    size_t w = strlen(ch);
    uint8_t *p = malloc(w * n + 1);

    assert_non_null(p);
    for (size_t i = 0; i < n; i++) {
        memcpy(p + i * w, ch, w);
    }
    *len = w * n;
    return p;
}

/* -- posko_urldecode -------------------------------------------------- */

static const struct {
    const char *in;
    const char *out; /* NULL: refused */
    long len;        /* decoded length, or -1 */
} urldecode_cases[] = {
    {"", "", 0},
    {"abc", "abc", 3},
    {"a+b", "a b", 3},
    {"+++", "   ", 3},
    {"%26", "&", 1},
    {"a%3Db%26c", "a=b&c", 5},
    {"%2B", "+", 1},
    {"%2b", "+", 1},
    {"1%2B1+%3D+2", "1+1 = 2", 7},
    {"%0A", "\n", 1},
    {"%0a", "\n", 1},
    {"a%0D%0Ab", "a\r\nb", 4},
    {"%25", "%", 1},
    {"100%25+aman", "100% aman", 9},
    {"%D9%85", "\xD9\x85", 2}, /* Arabic meem */
    {"%d9%85", "\xD9\x85", 2},
    {"%F0%9F%98%80", "\xF0\x9F\x98\x80", 4}, /* emoji */
    {"%ff%FF%fF", "\xFF\xFF\xFF", 3},
    {"\xD9\x85", "\xD9\x85", 2}, /* raw bytes pass through */
    {"%00", "\0", 1},
    {"%2", NULL, -1},
    {"%", NULL, -1},
    {"%G1", NULL, -1},
    {"%1G", NULL, -1},
    {"%g1", NULL, -1},
    {"%:0", NULL, -1},
    {"%@0", NULL, -1},
    {"%`0", NULL, -1},
    {"% 1", NULL, -1},
    {"%+1", NULL, -1},
    {"%%41", NULL, -1},
    {"abc%", NULL, -1},
    {"abc%4", NULL, -1},
    {"ok%41%4", NULL, -1},
};

static void test_urldecode_table(void **state) {
    (void)state;
    for (size_t k = 0; k < N_ELEMS(urldecode_cases); k++) {
        size_t len = strlen(urldecode_cases[k].in);
        uint8_t *src = dup_exact(urldecode_cases[k].in, len);
        uint8_t *dst = malloc(len > 0 ? len : 1);
        long n;

        assert_non_null(dst);
        n = posko_urldecode(dst, src, len);
        if (n != urldecode_cases[k].len) {
            fail_msg("\"%s\": length %ld, want %ld", urldecode_cases[k].in, n,
                     urldecode_cases[k].len);
        }
        if (n > 0) {
            assert_memory_equal(dst, urldecode_cases[k].out, (size_t)n);
        }
        /* In place gives the same. */
        n = posko_urldecode(src, src, len);
        assert_int_equal(n, urldecode_cases[k].len);
        if (n > 0) {
            assert_memory_equal(src, urldecode_cases[k].out, (size_t)n);
        }
        free(src);
        free(dst);
    }
}

/* Every byte, escaped both ways, decodes in place to itself. */
static void test_urldecode_every_byte(void **state) {
    static const char hex[] = "0123456789ABCDEF";
    static const char hexl[] = "0123456789abcdef";
    uint8_t buf[256 * 6];
    size_t len = 0;
    long n;

    (void)state;
    for (int c = 0; c < 256; c++) {
        buf[len++] = '%';
        buf[len++] = (uint8_t)hex[c >> 4];
        buf[len++] = (uint8_t)hex[c & 15];
        buf[len++] = '%';
        buf[len++] = (uint8_t)hexl[c >> 4];
        buf[len++] = (uint8_t)hexl[c & 15];
    }
    n = posko_urldecode(buf, buf, len);
    assert_int_equal(n, 512);
    for (int c = 0; c < 256; c++) {
        assert_int_equal(buf[2 * c], c);
        assert_int_equal(buf[2 * c + 1], c);
    }
}

/* Only 0-9, A-F, a-f are hex digits. */
static void test_urldecode_every_bad_digit(void **state) {
    (void)state;
    for (int c = 0; c < 256; c++) {
        int is_hex = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') ||
                     (c >= 'a' && c <= 'f');
        uint8_t hi[3] = {'%', (uint8_t)c, '0'};
        uint8_t lo[3] = {'%', '0', (uint8_t)c};
        uint8_t out[3];

        assert_int_equal(posko_urldecode(out, hi, 3), is_hex ? 1 : -1);
        assert_int_equal(posko_urldecode(out, lo, 3), is_hex ? 1 : -1);
        if (is_hex) {
            int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

            assert_int_equal(out[0], v);
        }
    }
}

/* -- posko_utf8_chars ------------------------------------------------- */

static const struct {
    const char *s;
    size_t len; /* 0: strlen */
    long chars; /* -1: refused */
} utf8_cases[] = {
    {"", 0, 0},
    {"a", 0, 1},
    {"Kamar hotel di Misfalah bocor.", 0, 30},
    {"\x7F", 0, 1},
    /* Arabic: "مرحبا" and "الحج مبرور" */
    {"\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7", 0, 5},
    {"\xD8\xA7\xD9\x84\xD8\xAD\xD8\xAC \xD9\x85\xD8\xA8\xD8\xB1\xD9\x88"
     "\xD8\xB1",
     0, 10},
    {"\xF0\x9F\x98\x80", 0, 1},                 /* 😀 */
    {"\xF0\x9F\x95\x8B\xF0\x9F\x99\x8F", 0, 2}, /* 🕋🙏 */
    {"a\xD9\x85\xE2\x82\xAC\xF0\x9F\x98\x80z", 0, 5},
    /* boundaries of each length */
    {"\xC2\x80", 0, 1},         /* U+0080 */
    {"\xDF\xBF", 0, 1},         /* U+07FF */
    {"\xE0\xA0\x80", 0, 1},     /* U+0800 */
    {"\xED\x9F\xBF", 0, 1},     /* U+D7FF */
    {"\xEE\x80\x80", 0, 1},     /* U+E000 */
    {"\xEF\xBB\xBF", 0, 1},     /* BOM, allowed */
    {"\xEF\xBF\xBF", 0, 1},     /* U+FFFF */
    {"\xF0\x90\x80\x80", 0, 1}, /* U+10000 */
    {"\xF4\x8F\xBF\xBF", 0, 1}, /* U+10FFFF */
    /* NUL */
    {"\0", 1, -1},
    {"a\0b", 3, -1},
    {"abc\0", 4, -1},
    /* overlong */
    {"\xC0\x80", 0, -1},
    {"\xC0\xAF", 0, -1},
    {"\xC1\xBF", 0, -1},
    {"\xE0\x80\x80", 0, -1},
    {"\xE0\x80\xAF", 0, -1},
    {"\xE0\x9F\xBF", 0, -1},
    {"\xF0\x80\x80\x80", 0, -1},
    {"\xF0\x80\x80\xAF", 0, -1},
    {"\xF0\x8F\xBF\xBF", 0, -1},
    /* surrogates */
    {"\xED\xA0\x80", 0, -1}, /* U+D800 */
    {"\xED\xAD\xBF", 0, -1},
    {"\xED\xB0\x80", 0, -1},             /* U+DC00 */
    {"\xED\xBF\xBF", 0, -1},             /* U+DFFF */
    {"\xED\xA0\xBD\xED\xB8\x80", 0, -1}, /* CESU-8 of U+1F600 */
    /* beyond U+10FFFF */
    {"\xF4\x90\x80\x80", 0, -1},
    {"\xF4\xBF\xBF\xBF", 0, -1},
    {"\xF5\x80\x80\x80", 0, -1},
    {"\xF7\xBF\xBF\xBF", 0, -1},
    {"\xF8\x88\x80\x80\x80", 0, -1},
    {"\xFC\x84\x80\x80\x80\x80", 0, -1},
    {"\xFE", 0, -1},
    {"\xFF", 0, -1},
    /* truncated */
    {"\xC2", 0, -1},
    {"\xD9", 0, -1},
    {"abc\xD9", 0, -1},
    {"\xE0\xA0", 0, -1},
    {"\xE2\x82", 0, -1},
    {"\xF0\x9F", 0, -1},
    {"\xF0\x9F\x98", 0, -1},
    {"x\xF0\x9F\x98", 0, -1},
    {"\xF0\x9F\x98\x80", 3, -1}, /* cut by len, not by content */
    /* lone or stray continuation bytes */
    {"\x80", 0, -1},
    {"\xBF", 0, -1},
    {"a\x80z", 0, -1},
    {"\xD9\x85\x85", 0, -1},
    {"\xF0\x9F\x98\x80\x80", 0, -1},
    /* lead byte followed by something that is not a continuation */
    {"\xC2\x41", 0, -1},
    {"\xC2\xC2\x80", 0, -1},
    {"\xE2\x41\x82", 0, -1},
    {"\xE2\x82\x41", 0, -1},
    {"\xF0\x9F\x41\x80", 0, -1},
    {"\xF0\x9F\x98\x41", 0, -1},
    {"\xF0\x9F\x98\x00", 4, -1},
};

static void test_utf8_table(void **state) {
    (void)state;
    for (size_t k = 0; k < N_ELEMS(utf8_cases); k++) {
        size_t len =
            utf8_cases[k].len ? utf8_cases[k].len : strlen(utf8_cases[k].s);
        long n = utf8_exact(utf8_cases[k].s, len);

        if (n != utf8_cases[k].chars) {
            fail_msg("case %zu: %ld characters, want %ld", k, n,
                     utf8_cases[k].chars);
        }
    }
}

/* Reference: length of the well-formed sequence at s (Unicode Table 3-7),
 * or 0 if there is none; NUL is refused as posko wants. */
static size_t ref_seq(const uint8_t *s, size_t len) {
    uint8_t c = s[0];
    uint8_t lo = 0x80, hi = 0xBF;
    size_t n;

    if (c == 0) {
        return 0;
    }
    if (c <= 0x7F) {
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) {
            lo = 0xA0;
        } else if (c == 0xED) {
            hi = 0x9F;
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) {
            lo = 0x90;
        } else if (c == 0xF4) {
            hi = 0x8F;
        }
    } else {
        return 0;
    }
    if (len < n || s[1] < lo || s[1] > hi) {
        return 0;
    }
    for (size_t k = 2; k < n; k++) {
        if (s[k] < 0x80 || s[k] > 0xBF) {
            return 0;
        }
    }
    return n;
}

static long ref_chars(const uint8_t *s, size_t len) {
    long chars = 0;

    for (size_t i = 0; i < len; chars++) {
        size_t n = ref_seq(s + i, len - i);

        if (n == 0) {
            return -1;
        }
        i += n;
    }
    return chars;
}

static void compare_ref(const uint8_t *b, size_t len) {
    long want = ref_chars(b, len);
    long got = posko_utf8_chars(b, len);

    if (got != want) {
        fail_msg("%zu bytes %02x %02x %02x %02x: %ld, want %ld", len, b[0],
                 len > 1 ? b[1] : 0, len > 2 ? b[2] : 0, len > 3 ? b[3] : 0,
                 got, want);
    }
}

/* Every input of 1, 2 and 3 bytes. */
static void test_utf8_exhaustive_short(void **state) {
    uint8_t *b = malloc(3);

    (void)state;
    assert_non_null(b);
    for (unsigned x = 0; x < 256; x++) {
        b[0] = (uint8_t)x;
        compare_ref(b, 1);
        for (unsigned y = 0; y < 256; y++) {
            b[1] = (uint8_t)y;
            compare_ref(b, 2);
            for (unsigned z = 0; z < 256; z++) {
                b[2] = (uint8_t)z;
                compare_ref(b, 3);
            }
        }
    }
    free(b);
}

/* Four bytes: every lead and second byte, with the last two drawn from
 * the bytes where the rules change. */
static void test_utf8_four_bytes(void **state) {
    static const uint8_t edge[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90,
                                   0x9F, 0xA0, 0xBF, 0xC0, 0xF4, 0xFF};
    uint8_t *b = malloc(4);

    (void)state;
    assert_non_null(b);
    for (unsigned x = 0; x < 256; x++) {
        for (unsigned y = 0; y < 256; y++) {
            for (size_t z = 0; z < N_ELEMS(edge); z++) {
                for (size_t w = 0; w < N_ELEMS(edge); w++) {
                    b[0] = (uint8_t)x;
                    b[1] = (uint8_t)y;
                    b[2] = edge[z];
                    b[3] = edge[w];
                    compare_ref(b, 4);
                }
            }
        }
    }
    free(b);
}

/* Every code point, encoded by hand, counts as one character, except the
 * surrogates, which are refused, and U+0000. */
static void test_utf8_every_code_point(void **state) {
    uint8_t *b = malloc(4);

    (void)state;
    assert_non_null(b);
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        size_t n;
        long want = (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) ? -1 : 1;

        if (cp < 0x80) {
            b[0] = (uint8_t)cp;
            n = 1;
        } else if (cp < 0x800) {
            b[0] = (uint8_t)(0xC0 | cp >> 6);
            b[1] = (uint8_t)(0x80 | (cp & 0x3F));
            n = 2;
        } else if (cp < 0x10000) {
            b[0] = (uint8_t)(0xE0 | cp >> 12);
            b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
            b[2] = (uint8_t)(0x80 | (cp & 0x3F));
            n = 3;
        } else {
            b[0] = (uint8_t)(0xF0 | cp >> 18);
            b[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
            b[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
            b[3] = (uint8_t)(0x80 | (cp & 0x3F));
            n = 4;
        }
        if (posko_utf8_chars(b, n) != want) {
            fail_msg("U+%04X: got %ld, want %ld", (unsigned)cp,
                     posko_utf8_chars(b, n), want);
        }
    }
    free(b);
}

/* -- posko_form_next_pair --------------------------------------------- */

#define MAX_PAIRS 5

static const struct {
    const char *body;
    size_t n;
    struct {
        const char *name;
        const char *value;
    } pairs[MAX_PAIRS];
} pair_cases[] = {
    {"", 0, {{NULL, NULL}}},
    {"&", 0, {{NULL, NULL}}},
    {"&&&", 0, {{NULL, NULL}}},
    {"a=1&b=2", 2, {{"a", "1"}, {"b", "2"}}},
    {"a=1&&b=", 2, {{"a", "1"}, {"b", ""}}},
    {"=x", 1, {{"", "x"}}},
    {"=", 1, {{"", ""}}},
    {"novalue", 1, {{"novalue", ""}}},
    {"a=1&", 1, {{"a", "1"}}},
    {"a=1&&&", 1, {{"a", "1"}}},
    {"&a=1", 1, {{"a", "1"}}},
    {"a=b=c", 1, {{"a", "b=c"}}},
    {"x&y=&=z", 3, {{"x", ""}, {"y", ""}, {"", "z"}}},
    {"jenis=aduan&uraian=AC+mati%21&rating=5",
     3,
     {{"jenis", "aduan"}, {"uraian", "AC+mati%21"}, {"rating", "5"}}},
    {"a=1&a=2&a=3&a=4&a=5",
     5,
     {{"a", "1"}, {"a", "2"}, {"a", "3"}, {"a", "4"}, {"a", "5"}}},
};

static void test_next_pair_table(void **state) {
    (void)state;
    for (size_t k = 0; k < N_ELEMS(pair_cases); k++) {
        size_t len = strlen(pair_cases[k].body);
        uint8_t *body = dup_exact(pair_cases[k].body, len);
        const uint8_t *p = body, *end = body + len;
        const uint8_t *name, *value;
        size_t name_len, value_len, got = 0;

        while (posko_form_next_pair(&p, end, &name, &name_len, &value,
                                    &value_len)) {
            if (got >= pair_cases[k].n) {
                fail_msg("\"%s\": more than %zu pairs", pair_cases[k].body,
                         pair_cases[k].n);
            }
            assert_true(name >= body && name + name_len <= end);
            assert_true(value >= body && value + value_len <= end);
            assert_int_equal(name_len, strlen(pair_cases[k].pairs[got].name));
            assert_memory_equal(name, pair_cases[k].pairs[got].name, name_len);
            assert_int_equal(value_len, strlen(pair_cases[k].pairs[got].value));
            assert_memory_equal(value, pair_cases[k].pairs[got].value,
                                value_len);
            got++;
        }
        if (got != pair_cases[k].n) {
            fail_msg("\"%s\": %zu pairs, want %zu", pair_cases[k].body, got,
                     pair_cases[k].n);
        }
        /* At the end, it stays at the end. */
        assert_ptr_equal(p, end);
        assert_int_equal(
            posko_form_next_pair(&p, end, &name, &name_len, &value, &value_len),
            0);
        assert_ptr_equal(p, end);
        free(body);
    }
}

/* -- the field table -------------------------------------------------- */

static const char *const want_jenis[] = {"kritik", "saran", "aduan",
                                         "informasi", NULL};
static const char *const want_pelapor[] = {"jemaah", "petugas", NULL};
static const char *const want_kategori[] = {
    "akomodasi", "konsumsi", "transportasi", "kesehatan", "bimbingan_ibadah",
    "petugas",   "dokumen",  "lainnya",      NULL};
static const char *const want_lokasi[] = {"makkah",    "madinah",    "jeddah",
                                          "arafah",    "muzdalifah", "mina",
                                          "embarkasi", "lainnya",    NULL};
static const char *const want_embarkasi[] = {"BTJ", "KNO", "BTH", "PDG", "PLM",
                                             "JKG", "JKS", "KJT", "SOC", "SUB",
                                             "BPN", "BDJ", "UPG", "LOP", NULL};
static const char *const want_rating[] = {"1", "2", "3", "4", "5", NULL};

/* The shipped form of docs/architecture.md, field by field. */
static const struct {
    posko_field_id_t id;
    const char *name;
    int required;
    const char *const *values;
} design[] = {
    {POSKO_F_JENIS, "jenis", 1, want_jenis},
    {POSKO_F_PELAPOR, "pelapor", 0, want_pelapor},
    {POSKO_F_KATEGORI, "kategori", 1, want_kategori},
    {POSKO_F_LOKASI, "lokasi", 0, want_lokasi},
    {POSKO_F_EMBARKASI, "embarkasi", 0, want_embarkasi},
    {POSKO_F_KLOTER, "kloter", 0, NULL},
    {POSKO_F_URAIAN, "uraian", 1, NULL},
    {POSKO_F_NAMA, "nama", 0, NULL},
    {POSKO_F_TELEPON, "telepon", 0, NULL},
    {POSKO_F_EMAIL, "email", 0, NULL},
    {POSKO_F_RATING, "rating", 0, want_rating},
};

static void test_field_table(void **state) {
    (void)state;
    assert_int_equal(N_ELEMS(design), POSKO_F_COUNT);
    for (size_t k = 0; k < N_ELEMS(design); k++) {
        const posko_field_t *f = &posko_fields[design[k].id];

        assert_string_equal(f->name, design[k].name);
        assert_non_null(f->label);
        assert_true(f->label[0] != '\0');
        assert_int_equal(f->required != 0, design[k].required);
        assert_true(f->max_chars > 0);
        if (design[k].values == NULL) {
            assert_null(f->values);
            continue;
        }
        assert_non_null(f->values);
        size_t n = 0;
        for (; design[k].values[n] != NULL; n++) {
            assert_non_null(f->values[n]);
            assert_string_equal(f->values[n], design[k].values[n]);
        }
        assert_null(f->values[n]);
    }
}

static void test_field_find(void **state) {
    static const char *const unknown[] = {
        "",      "j",      "jen",     "jenisx",       "JENIS",
        "Jenis", "jenis ", " jenis",  "uraia",        "uraianx",
        "kode",  "e-mail", "ratings", "nama\xC3\xA9",
    };

    (void)state;
    for (int i = 0; i < POSKO_F_COUNT; i++) {
        const char *name = posko_fields[i].name;
        size_t len = strlen(name);
        uint8_t *exact = dup_exact(name, len);

        assert_int_equal(posko_field_find((const char *)exact, len), i);
        /* A prefix of a name is not that name. */
        for (size_t cut = 0; cut < len; cut++) {
            assert_int_equal(posko_field_find((const char *)exact, cut), -1);
        }
        free(exact);
    }
    for (size_t k = 0; k < N_ELEMS(design); k++) {
        assert_int_equal(
            posko_field_find(design[k].name, strlen(design[k].name)),
            (int)design[k].id);
    }
    for (size_t k = 0; k < N_ELEMS(unknown); k++) {
        assert_int_equal(posko_field_find(unknown[k], strlen(unknown[k])), -1);
    }
    /* The length decides, not a NUL: "jenisx" cut to 5 is "jenis". */
    assert_int_equal(posko_field_find("jenisx", 5), POSKO_F_JENIS);
    assert_int_equal(posko_field_find("uraian=abc", 6), POSKO_F_URAIAN);
}

/* -- posko_field_check ------------------------------------------------ */

/* Every listed value accepted; near misses refused. */
static void test_field_check_lists(void **state) {
    (void)state;
    for (size_t k = 0; k < N_ELEMS(design); k++) {
        const char *const *v = design[k].values;

        if (v == NULL) {
            continue;
        }
        for (; *v != NULL; v++) {
            size_t len = strlen(*v);
            char buf[64];

            assert_int_equal(check_exact(design[k].id, *v, len),
                             POSKO_ERR_NONE);
            /* one more character */
            memcpy(buf, *v, len);
            buf[len] = 'x';
            assert_int_equal(check_exact(design[k].id, buf, len + 1),
                             POSKO_ERR_NOT_IN_LIST);
            /* a prefix */
            if (len > 1) {
                assert_int_equal(check_exact(design[k].id, *v, len - 1),
                                 POSKO_ERR_NOT_IN_LIST);
            }
            /* the other case: lists are case-sensitive */
            memcpy(buf, *v, len);
            for (size_t i = 0; i < len; i++) {
                if (buf[i] >= 'a' && buf[i] <= 'z') {
                    buf[i] = (char)(buf[i] - 32);
                } else if (buf[i] >= 'A' && buf[i] <= 'Z') {
                    buf[i] = (char)(buf[i] + 32);
                }
            }
            if (memcmp(buf, *v, len) != 0) {
                assert_int_equal(check_exact(design[k].id, buf, len),
                                 POSKO_ERR_NOT_IN_LIST);
            }
            /* a space around it */
            buf[0] = ' ';
            memcpy(buf + 1, *v, len);
            assert_int_equal(check_exact(design[k].id, buf, len + 1),
                             POSKO_ERR_NOT_IN_LIST);
        }
    }
}

static const struct {
    posko_field_id_t id;
    const char *value;
    size_t len; /* 0: strlen */
    posko_err_t err;
} check_cases[] = {
    /* lists */
    {POSKO_F_JENIS, "aduan", 0, POSKO_ERR_NONE},
    {POSKO_F_JENIS, "Aduan", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_JENIS, "keluhan", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_JENIS, "aduan\0", 6, POSKO_ERR_BAD_UTF8},
    {POSKO_F_JENIS, "\xC0\x80", 0, POSKO_ERR_BAD_UTF8},
    {POSKO_F_PELAPOR, "petugas", 0, POSKO_ERR_NONE},
    {POSKO_F_PELAPOR, "anonim", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_KATEGORI, "bimbingan_ibadah", 0, POSKO_ERR_NONE},
    {POSKO_F_KATEGORI, "bimbingan ibadah", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_KATEGORI, "makkah", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_LOKASI, "muzdalifah", 0, POSKO_ERR_NONE},
    {POSKO_F_LOKASI, "Mina", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_LOKASI, "\xD9\x85\xD9\x86\xD9\x89", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_EMBARKASI, "SOC", 0, POSKO_ERR_NONE},
    {POSKO_F_EMBARKASI, "soc", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_EMBARKASI, "CGK", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_EMBARKASI, "SO", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_RATING, "1", 0, POSKO_ERR_NONE},
    {POSKO_F_RATING, "5", 0, POSKO_ERR_NONE},
    {POSKO_F_RATING, "0", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_RATING, "6", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_RATING, "55", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_RATING, "-1", 0, POSKO_ERR_NOT_IN_LIST},
    {POSKO_F_RATING, "\xD9\xA5", 0, POSKO_ERR_NOT_IN_LIST}, /* Arabic 5 */
    {POSKO_F_RATING, "\xFF", 0, POSKO_ERR_BAD_UTF8},
    /* kloter: letters, digits, '-' and '/', up to 12 */
    {POSKO_F_KLOTER, "SOC-12", 0, POSKO_ERR_NONE},
    {POSKO_F_KLOTER, "JKG/05", 0, POSKO_ERR_NONE},
    {POSKO_F_KLOTER, "12", 0, POSKO_ERR_NONE},
    {POSKO_F_KLOTER, "abcdefghij12", 0, POSKO_ERR_NONE},
    {POSKO_F_KLOTER, "abcdefghij123", 0, POSKO_ERR_TOO_LONG},
    {POSKO_F_KLOTER, "SOC 12", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_KLOTER, "SOC_12", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_KLOTER, "SOC.12", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_KLOTER, "SOC-12\n", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_KLOTER, "\xC3\xA9", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_KLOTER, "SOC\xED\xA0\x80", 0, POSKO_ERR_BAD_UTF8},
    /* telepon: digits, '+', ' ', '-', '(', ')', up to 20 */
    {POSKO_F_TELEPON, "+62 812-3456 (7)", 0, POSKO_ERR_NONE},
    {POSKO_F_TELEPON, "081234567890", 0, POSKO_ERR_NONE},
    {POSKO_F_TELEPON, "+966 55 123 4567", 0, POSKO_ERR_NONE},
    {POSKO_F_TELEPON, "12345678901234567890", 0, POSKO_ERR_NONE},
    {POSKO_F_TELEPON, "123456789012345678901", 0, POSKO_ERR_TOO_LONG},
    {POSKO_F_TELEPON, "08a", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_TELEPON, "0812.3456", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_TELEPON, "0812/3456", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_TELEPON, "\xD9\xA0\xD9\xA8", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_TELEPON, "0812\x80", 0, POSKO_ERR_BAD_UTF8},
    /* email: no spaces or controls, exactly one '@', not at either end */
    {POSKO_F_EMAIL, "a@b", 0, POSKO_ERR_NONE},
    {POSKO_F_EMAIL, "jemaah.haji+2025@contoh.go.id", 0, POSKO_ERR_NONE},
    {POSKO_F_EMAIL, "\xD8\xAD\xD8\xAC@\xD9\x85.sa", 0, POSKO_ERR_NONE},
    {POSKO_F_EMAIL, "ab", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_EMAIL, "a@@b", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_EMAIL, "a@b@c", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_EMAIL, "a b@c", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_EMAIL, "a@b ", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_EMAIL, "a\t@b", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_EMAIL, "a@b\x7F", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_EMAIL, "@b", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_EMAIL, "a@", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_EMAIL, "@", 0, POSKO_ERR_BAD_CHARS},
    {POSKO_F_EMAIL, "a@b\xC0\xAE", 0, POSKO_ERR_BAD_UTF8},
    /* free text */
    {POSKO_F_NAMA, "Siti Aminah binti Abdullah", 0, POSKO_ERR_NONE},
    {POSKO_F_NAMA, "\xD8\xB9\xD8\xA8\xD8\xAF \xD8\xA7\xD9\x84\xD9\x84\xD9\x87",
     0, POSKO_ERR_NONE},
    {POSKO_F_NAMA, "<script>&\"'", 0, POSKO_ERR_NONE},
    {POSKO_F_NAMA, "a\0b", 3, POSKO_ERR_BAD_UTF8},
    {POSKO_F_URAIAN, "AC kamar mati sejak kemarin \xF0\x9F\x98\x93\r\nmohon", 0,
     POSKO_ERR_NONE},
    {POSKO_F_URAIAN, "\xED\xBF\xBF", 0, POSKO_ERR_BAD_UTF8},
    {POSKO_F_URAIAN, "\xF4\x90\x80\x80", 0, POSKO_ERR_BAD_UTF8},
    {POSKO_F_URAIAN, "ok\xE2\x82", 0, POSKO_ERR_BAD_UTF8},
};

static void test_field_check_table(void **state) {
    (void)state;
    for (size_t k = 0; k < N_ELEMS(check_cases); k++) {
        size_t len = check_cases[k].len ? check_cases[k].len
                                        : strlen(check_cases[k].value);
        posko_err_t err =
            check_exact(check_cases[k].id, check_cases[k].value, len);

        if (err != check_cases[k].err) {
            fail_msg("case %zu (%s \"%s\"): got %d, want %d", k,
                     posko_fields[check_cases[k].id].name, check_cases[k].value,
                     (int)err, (int)check_cases[k].err);
        }
    }
}

/* Lengths are counted in characters, right at each field's limit. */
static void test_field_check_lengths(void **state) {
    static const struct {
        posko_field_id_t id;
        size_t max;
        const char *ch;
    } limits[] = {
        {POSKO_F_URAIAN, 4000, "a"},
        {POSKO_F_URAIAN, 4000, "\xD9\x85"},         /* 2 bytes */
        {POSKO_F_URAIAN, 4000, "\xE2\x82\xAC"},     /* 3 bytes */
        {POSKO_F_URAIAN, 4000, "\xF0\x9F\x95\x8B"}, /* 4 bytes */
        {POSKO_F_NAMA, 100, "\xD8\xB9"},
        {POSKO_F_NAMA, 100, "z"},
        {POSKO_F_KLOTER, 12, "7"},
        {POSKO_F_TELEPON, 20, "8"},
        {POSKO_F_EMAIL, 254, NULL}, /* built below: "a...a@b" */
    };

    (void)state;
    for (size_t k = 0; k < N_ELEMS(limits); k++) {
        for (size_t n = limits[k].max - 1; n <= limits[k].max + 1; n++) {
            size_t len;
            uint8_t *v;
            posko_err_t want =
                n <= limits[k].max ? POSKO_ERR_NONE : POSKO_ERR_TOO_LONG;

            assert_int_equal(posko_fields[limits[k].id].max_chars,
                             limits[k].max);
            if (limits[k].ch != NULL) {
                v = repeat(limits[k].ch, n, &len);
            } else {
                v = repeat("a", n, &len);
                v[len - 2] = '@';
            }
            if (check_exact(limits[k].id, v, len) != want) {
                fail_msg("%s with %zu characters: want %d",
                         posko_fields[limits[k].id].name, n, (int)want);
            }
            free(v);
        }
    }
}

/* The spec case by name: 4000 Arabic letters pass, 4001 do not. */
static void test_uraian_4000(void **state) {
    size_t len;
    uint8_t *v = repeat("\xD8\xAD", 4001, &len);

    (void)state;
    assert_int_equal(len, 8002);
    assert_int_equal(check_exact(POSKO_F_URAIAN, v, 8000), POSKO_ERR_NONE);
    assert_int_equal(check_exact(POSKO_F_URAIAN, v, 8002), POSKO_ERR_TOO_LONG);
    /* Cut through the last character: broken, not too long. */
    assert_int_equal(check_exact(POSKO_F_URAIAN, v, 8001), POSKO_ERR_BAD_UTF8);
    free(v);
}

/* Every byte against each restricted character class. */
static void test_field_check_every_byte(void **state) {
    (void)state;
    for (int c = 1; c < 128; c++) {
        int alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                    (c >= 'A' && c <= 'Z');
        int kloter_ok = alnum || c == '-' || c == '/';
        int phone_ok = (c >= '0' && c <= '9') || c == '+' || c == ' ' ||
                       c == '-' || c == '(' || c == ')';
        int email_ok = c > ' ' && c != 0x7F && c != '@';
        uint8_t one[1] = {(uint8_t)c};
        uint8_t mail[5] = {'a', (uint8_t)c, '@', 'b', 'c'};

        assert_int_equal(check_exact(POSKO_F_KLOTER, one, 1),
                         kloter_ok ? POSKO_ERR_NONE : POSKO_ERR_BAD_CHARS);
        assert_int_equal(check_exact(POSKO_F_TELEPON, one, 1),
                         phone_ok ? POSKO_ERR_NONE : POSKO_ERR_BAD_CHARS);
        assert_int_equal(check_exact(POSKO_F_EMAIL, mail, 5),
                         email_ok ? POSKO_ERR_NONE : POSKO_ERR_BAD_CHARS);
        assert_int_equal(check_exact(POSKO_F_NAMA, one, 1), POSKO_ERR_NONE);
    }
}

/* An empty value is the caller's business (required or skipped), but
 * checking one must still be safe and give a known answer. */
static void test_field_check_empty(void **state) {
    (void)state;
    for (int i = 0; i < POSKO_F_COUNT; i++) {
        posko_err_t err = check_exact((posko_field_id_t)i, "", 0);

        assert_true(err < POSKO_ERR_COUNT);
        if (posko_fields[i].values != NULL) {
            assert_int_equal(err, POSKO_ERR_NOT_IN_LIST);
        }
    }
}

/* -- messages --------------------------------------------------------- */

static void test_messages(void **state) {
    (void)state;
    for (int e = POSKO_ERR_NONE + 1; e < POSKO_ERR_COUNT; e++) {
        const char *id = posko_err_message_id((posko_err_t)e);
        const char *en = posko_err_message_en((posko_err_t)e);

        assert_non_null(id);
        assert_non_null(en);
        assert_true(id[0] != '\0');
        assert_true(en[0] != '\0');
        assert_string_not_equal(id, en);
        assert_true(posko_utf8_chars((const uint8_t *)id, strlen(id)) > 0);
        /* each message says something different */
        for (int f = e + 1; f < POSKO_ERR_COUNT; f++) {
            assert_string_not_equal(id, posko_err_message_id((posko_err_t)f));
            assert_string_not_equal(en, posko_err_message_en((posko_err_t)f));
        }
    }
    /* Out of range does not crash. */
    assert_non_null(posko_err_message_id(POSKO_ERR_COUNT));
    assert_non_null(posko_err_message_en(POSKO_ERR_COUNT));
    assert_non_null(posko_err_message_id(POSKO_ERR_NONE));
    assert_non_null(posko_err_message_en(POSKO_ERR_NONE));
}

/* posko_text_tidy: CRLF and CR become LF, surrounding blanks go. */
static void test_text_tidy(void **state) {
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        {"", ""},
        {"a", "a"},
        {"  a  ", "a"},
        {"\t\r\n a b \r\n", "a b"},
        {"a\r\nb", "a\nb"},
        {"a\rb", "a\nb"},
        {"a\r\r\nb", "a\n\nb"},
        {"a\n\rb", "a\n\nb"},
        {"   ", ""},
        {"\r\n\r\n", ""},
        {"a  \n  b", "a  \n  b"},
        {"\xd9\x85 ", "\xd9\x85"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = strlen(cases[i].in);
        uint8_t *buf = malloc(len + 1);
        size_t n;

        assert_non_null(buf);
        memcpy(buf, cases[i].in, len);
        n = posko_text_tidy(buf, len);
        assert_int_equal(n, strlen(cases[i].out));
        assert_memory_equal(buf, cases[i].out, n);
        free(buf);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urldecode_table),
        cmocka_unit_test(test_urldecode_every_byte),
        cmocka_unit_test(test_urldecode_every_bad_digit),
        cmocka_unit_test(test_utf8_table),
        cmocka_unit_test(test_utf8_exhaustive_short),
        cmocka_unit_test(test_utf8_four_bytes),
        cmocka_unit_test(test_utf8_every_code_point),
        cmocka_unit_test(test_next_pair_table),
        cmocka_unit_test(test_field_table),
        cmocka_unit_test(test_field_find),
        cmocka_unit_test(test_field_check_lists),
        cmocka_unit_test(test_field_check_table),
        cmocka_unit_test(test_field_check_lengths),
        cmocka_unit_test(test_uraian_4000),
        cmocka_unit_test(test_field_check_every_byte),
        cmocka_unit_test(test_field_check_empty),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_text_tidy),
    };

    return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
