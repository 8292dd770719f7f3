/*
 * test_multipart.c - unit tests for the multipart/form-data parser
 * (include/posko_multipart.c): taking the boundary from a Content-Type
 * value (posko_multipart_boundary), walking the parts of a body
 * (posko_multipart_init, posko_multipart_next) and the error messages
 * (posko_multipart_strerror).
 *
 * Bodies come from two tables: hand-written edge cases, one or more per
 * error code, and realistic submissions built the way Chrome, Firefox and
 * curl lay them out, with CRLF and with bare LF line endings.  Every
 * realistic body is also cut at every byte offset and damaged byte by
 * byte; a cut body must fail (or, past the closing delimiter, parse as
 * the whole) and never return a part that was not sent.
 *
 * Inputs are copied into heap blocks of exactly their length, so that the
 * sanitizer build catches any read past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "posko_multipart.h"
#include "unit.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_PARTS 16
#define N_CODES (1 - POSKO_MP_ERR_LAST) /* 0 and every error */

/* -- helpers ---------------------------------------------------------- */

/* A growing buffer for building bodies. */
typedef struct {
    uint8_t *p;
    size_t len, cap;
} buf_t;

static void put(buf_t *b, const void *s, size_t len) {
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, s, len);
    b->len += len;
}

static void puts_(buf_t *b, const char *s) { put(b, s, strlen(s)); }

/* Whether [p, p + len) lies in [lo, lo + n). */
static int inside(const uint8_t *p, size_t len, const void *lo, size_t n) {
    const uint8_t *l = lo;

    return p != NULL && p >= l && p <= l + n && len <= (size_t)(l + n - p);
}

/* Every pointer of a returned part is inside the body, or, for names and
 * filenames, inside the parser's own buffer. */
static void check_bounds(const posko_multipart_t *mp, const posko_part_t *pt,
                         const uint8_t *body, size_t len) {
    assert_true(inside(pt->value, pt->value_len, body, len));
    assert_true(inside(pt->name, pt->name_len, body, len) ||
                inside(pt->name, pt->name_len, mp->buf, sizeof(mp->buf)));
    assert_true(pt->name_len > 0);
    if (pt->filename != NULL) {
        assert_true(pt->is_file);
        assert_true(
            inside(pt->filename, pt->filename_len, body, len) ||
            inside(pt->filename, pt->filename_len, mp->buf, sizeof(mp->buf)));
    }
    if (pt->content_type != NULL) {
        assert_true(inside(pt->content_type, pt->content_type_len, body, len));
    }
}

/* An expected part.  value_len 0 means strlen(value); filename NULL means
 * no filename parameter. */
typedef struct {
    const char *name;
    const char *value;
    int is_file;
    const char *filename;
    size_t value_len;
} exp_part_t;

static void check_part(const posko_part_t *got, const exp_part_t *want) {
    size_t vlen = want->value_len ? want->value_len : strlen(want->value);

    assert_int_equal(got->name_len, strlen(want->name));
    assert_memory_equal(got->name, want->name, got->name_len);
    assert_int_equal(got->value_len, vlen);
    if (vlen > 0) {
        assert_memory_equal(got->value, want->value, vlen);
    }
    assert_int_equal(got->is_file, want->is_file);
    if (want->filename == NULL) {
        assert_null(got->filename);
        assert_int_equal(got->filename_len, 0);
    } else {
        assert_non_null(got->filename);
        assert_int_equal(got->filename_len, strlen(want->filename));
        if (got->filename_len > 0) {
            assert_memory_equal(got->filename, want->filename,
                                got->filename_len);
        }
    }
}

/* Parses body (copied exactly) with boundary; stores up to MAX_PARTS parts
 * (copied out field by field is not needed: checks run as they come) and
 * returns the final result (0 or an error).  want, if not NULL, holds the
 * parts every returned part is compared with, in order; *n counts them. */
static int parse(const char *boundary, const void *body, size_t len,
                 const exp_part_t *want, size_t nwant, size_t *n) {
    static posko_multipart_t mp; /* 8 KiB: keep it off the stack */
    uint8_t *b = dup_exact(body, len);
    uint8_t *bd = dup_exact(boundary, strlen(boundary));
    posko_part_t pt;
    int rc;

    *n = 0;
    posko_multipart_init(&mp, b, len, bd, strlen(boundary));
    while ((rc = posko_multipart_next(&mp, &pt)) == 1) {
        check_bounds(&mp, &pt, b, len);
        if (want != NULL) {
            assert_true(*n < nwant);
            check_part(&pt, &want[*n]);
        }
        (*n)++;
        assert_true(*n <= len); /* never more parts than bytes */
    }
    assert_true(rc <= 0 && rc >= POSKO_MP_ERR_LAST);
    /* the end and errors are sticky */
    assert_int_equal(posko_multipart_next(&mp, &pt), rc);
    assert_int_equal(posko_multipart_next(&mp, &pt), rc);
    free(bd);
    free(b);
    return rc;
}

/* -- posko_multipart_boundary ----------------------------------------- */

#define B70                                                                    \
    "0123456789012345678901234567890123456789012345678901234567890123456789"

static const struct {
    const char *ct;
    int rc;
    const char *boundary; /* expected on POSKO_MP_OK */
} boundary_cases[] = {
    {"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", 0,
     "----WebKitFormBoundary7MA4YWxkTrZu0gW"},
    {"multipart/form-data; boundary=----geckoformboundary3b2f9c0e5d1a", 0,
     "----geckoformboundary3b2f9c0e5d1a"},
    {"multipart/form-data; boundary=------------------------d74496d66958873e",
     0, "------------------------d74496d66958873e"},
    {"Multipart/Form-Data; BOUNDARY=abc", 0, "abc"},
    {"MULTIPART/FORM-DATA;boundary=abc", 0, "abc"},
    {"multipart/form-data; boundary=\"a b:c\"", 0, "a b:c"},
    {"multipart/form-data; boundary=\"===============7330845974216740156==\"",
     0, "===============7330845974216740156=="},
    {"multipart/form-data; charset=utf-8; boundary=abc", 0, "abc"},
    {"multipart/form-data; boundary=abc; charset=\"utf-8\"", 0, "abc"},
    {" multipart/form-data ; boundary = abc ; ", 0, "abc"},
    {"multipart/form-data;; boundary=abc", 0, "abc"},
    {"multipart/form-data; boundary=abc=def", 0, "abc=def"},
    {"multipart/form-data; boundary='()+_,-./:=?", 0, "'()+_,-./:=?"},
    {"multipart/form-data; boundary=\"" B70 "\"", 0, B70},
    {"multipart/form-data; boundary=" B70, 0, B70},
    {"multipart/form-data; boundary=x", 0, "x"},
    {"multipart/form-data; boundary=\"x y\"\t", 0, "x y"},

    {"", POSKO_MP_NOT_MULTIPART, NULL},
    {"   ", POSKO_MP_NOT_MULTIPART, NULL},
    {"application/x-www-form-urlencoded", POSKO_MP_NOT_MULTIPART, NULL},
    {"multipart/mixed; boundary=abc", POSKO_MP_NOT_MULTIPART, NULL},
    {"multipart/form-datax; boundary=abc", POSKO_MP_NOT_MULTIPART, NULL},
    {"multipart/form-dat", POSKO_MP_NOT_MULTIPART, NULL},
    {"multipart/form-data/x; boundary=abc", POSKO_MP_NOT_MULTIPART, NULL},
    {"text/plain", POSKO_MP_NOT_MULTIPART, NULL},

    {"multipart/form-data boundary=abc", POSKO_MP_BAD_CONTENT_TYPE, NULL},
    {"multipart/form-data; boundary", POSKO_MP_BAD_CONTENT_TYPE, NULL},
    {"multipart/form-data; =abc", POSKO_MP_BAD_CONTENT_TYPE, NULL},
    {"multipart/form-data; boundary=", POSKO_MP_BAD_CONTENT_TYPE, NULL},
    {"multipart/form-data; boundary=\"abc", POSKO_MP_BAD_CONTENT_TYPE, NULL},
    {"multipart/form-data; boundary=abc\"d\"", POSKO_MP_BAD_CONTENT_TYPE, NULL},
    {"multipart/form-data; boundary=abc\x01", POSKO_MP_BAD_CONTENT_TYPE, NULL},
    {"multipart/form-data; boundary=\"ab\rc\"", POSKO_MP_BAD_CONTENT_TYPE,
     NULL},
    {"multipart/form-data; boundary=abc; x", POSKO_MP_BAD_CONTENT_TYPE, NULL},

    {"multipart/form-data", POSKO_MP_NO_BOUNDARY, NULL},
    {"multipart/form-data;", POSKO_MP_NO_BOUNDARY, NULL},
    {"multipart/form-data; charset=utf-8", POSKO_MP_NO_BOUNDARY, NULL},
    {"multipart/form-data; boundaryx=abc", POSKO_MP_NO_BOUNDARY, NULL},

    {"multipart/form-data; boundary=\"\"", POSKO_MP_BAD_BOUNDARY, NULL},
    {"multipart/form-data; boundary=\"" B70 "1\"", POSKO_MP_BAD_BOUNDARY, NULL},
    {"multipart/form-data; boundary=" B70 "1", POSKO_MP_BAD_BOUNDARY, NULL},
    {"multipart/form-data; boundary=\"abc \"", POSKO_MP_BAD_BOUNDARY, NULL},
    {"multipart/form-data; boundary=\"a\\\"b\"", POSKO_MP_BAD_BOUNDARY, NULL},
    {"multipart/form-data; boundary=\"a\\bc\"", POSKO_MP_BAD_BOUNDARY, NULL},
    {"multipart/form-data; boundary=a@b", POSKO_MP_BAD_BOUNDARY, NULL},
    {"multipart/form-data; boundary=\"a@b\"", POSKO_MP_BAD_BOUNDARY, NULL},
    {"multipart/form-data; boundary=\"a\tb\"", POSKO_MP_BAD_BOUNDARY, NULL},
    {"multipart/form-data; boundary=\xd8\xa7", POSKO_MP_BAD_BOUNDARY, NULL},
    {"multipart/form-data; boundary=a; boundary=b", POSKO_MP_BAD_BOUNDARY,
     NULL},
    {"multipart/form-data; boundary=a; BOUNDARY=a", POSKO_MP_BAD_BOUNDARY,
     NULL},
};

/* Runs the boundary table; marks the result codes it saw. */
static void run_boundary_table(int seen[N_CODES]) {
    for (size_t k = 0; k < N_ELEMS(boundary_cases); k++) {
        const char *ct = boundary_cases[k].ct;
        size_t len = strlen(ct);
        uint8_t *p = dup_exact(ct, len);
        const uint8_t *b = NULL;
        size_t blen = 0;
        int rc = posko_multipart_boundary(p, len, &b, &blen);

        if (rc != boundary_cases[k].rc) {
            fprintf(stderr, "case %zu (%s): got %d, want %d\n", k, ct, rc,
                    boundary_cases[k].rc);
        }
        assert_int_equal(rc, boundary_cases[k].rc);
        seen[-rc] = 1;
        if (rc == POSKO_MP_OK) {
            assert_true(inside(b, blen, p, len));
            assert_int_equal(blen, strlen(boundary_cases[k].boundary));
            assert_memory_equal(b, boundary_cases[k].boundary, blen);
        }
        free(p);
    }
}

static void test_boundary_table(void **state) {
    int seen[N_CODES] = {0};

    (void)state;
    run_boundary_table(seen);
    assert_int_equal(posko_multipart_boundary(NULL, 0, NULL, NULL),
                     POSKO_MP_NOT_MULTIPART);
}

/* -- hand-written bodies ---------------------------------------------- */

#define CD "Content-Disposition: form-data; name="
#define BX "XyZ"

static const struct {
    const char *what;
    const char *body;
    int rc; /* the result after the parts */
    size_t nparts;
    exp_part_t parts[4];
    size_t len; /* 0: strlen(body) */
} body_cases[] = {
    {.what = "one field",
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ--\r\n",
     .nparts = 1,
     .parts = {{"a", "1", 0, NULL, 0}}},
    {.what = "closing without CRLF",
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ--",
     .nparts = 1,
     .parts = {{"a", "1", 0, NULL, 0}}},
    {.what = "empty value",
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n\r\n--XyZ--\r\n",
     .nparts = 1,
     .parts = {{"a", "", 0, NULL, 0}}},
    {.what = "part ends right after its headers",
     .body =
         "--XyZ\r\n" CD "\"a\"\r\n\r\n--XyZ\r\n" CD "\"b\"\r\n\r\n2\r\n--XyZ--",
     .nparts = 2,
     .parts = {{"a", "", 0, NULL, 0}, {"b", "2", 0, NULL, 0}}},
    {.what = "empty form", .body = "--XyZ--\r\n"},
    {.what = "empty form, LF", .body = "preamble\n--XyZ--"},
    {.what = "two fields",
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ\r\n" CD
             "\"b\"\r\n\r\n22\r\n--XyZ--\r\n",
     .nparts = 2,
     .parts = {{"a", "1", 0, NULL, 0}, {"b", "22", 0, NULL, 0}}},
    {.what = "value with CRLF and boundary look-alikes",
     .body =
         "--XyZ\r\n" CD "\"a\"\r\n\r\nl1\r\nl2\r\n\r\nx--XyZ--\r\n-XyZ\r\n--Xy"
         "\r\n--XyA\r\n --XyZ\r\n\r--XyZ\r\n--XyZ--\r\n",
     .nparts = 1,
     .parts =
         {{"a",
           "l1\r\nl2\r\n\r\nx--XyZ--\r\n-XyZ\r\n--Xy\r\n--XyA\r\n --XyZ\r\n"
           "\r--XyZ",
           0, NULL, 0}}},
    {.what = "a preamble line starting with the boundary",
     .rc = POSKO_MP_BAD_DELIMITER,
     .body = "This is a preamble.\r\n--XyZ fake\r\n\r\n--XyZ\r\n" CD
             "\"a\"\r\n\r\n1\r\n--XyZ--\r\nepilogue\r\n--XyZ\r\ngarbage"},
    {.what = "preamble and epilogue, fine",
     .body = "This is a preamble.\r\n-- XyZ\r\n\r\n--XyZ\r\n" CD
             "\"a\"\r\n\r\n1\r\n--XyZ--\r\nepilogue\r\n--XyZ\r\ngarbage\x01",
     .nparts = 1,
     .parts = {{"a", "1", 0, NULL, 0}}},
    {.what = "preamble ending in LF, CRLF body",
     .body = "pre\n--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ--",
     .nparts = 1,
     .parts = {{"a", "1", 0, NULL, 0}}},
    {.what = "LF only",
     .body = "--XyZ\n" CD "\"a\"\n\nl1\nl2\n--XyZ\n" CD "\"b\"\n\n\n--XyZ--\n",
     .nparts = 2,
     .parts = {{"a", "l1\nl2", 0, NULL, 0}, {"b", "", 0, NULL, 0}}},
    {.what = "LF only, part ends after headers",
     .body = "--XyZ\n" CD "\"a\"\n\n--XyZ--\n",
     .nparts = 1,
     .parts = {{"a", "", 0, NULL, 0}}},
    {.what = "transport padding",
     .body = "--XyZ \t \r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ\t\r\n" CD
             "\"b\"\r\n\r\n2\r\n--XyZ-- \r\n",
     .nparts = 2,
     .parts = {{"a", "1", 0, NULL, 0}, {"b", "2", 0, NULL, 0}}},
    {.what = "header names in any case, OWS",
     .body =
         "--XyZ\r\ncontent-DISPOSITION:form-data;name=a  \r\nCONTENT-TYPE:  "
         "TEXT/PLAIN;charset=UTF-8\r\ncontent-transfer-encoding: 8BIT\r\n"
         "X-Other: whatever \xd8\xa7\r\n\r\nv\r\n--XyZ--",
     .nparts = 1,
     .parts = {{"a", "v", 0, NULL, 0}}},
    {.what = "parameters: spaces, case, order, unknown ones",
     .body =
         "--XyZ\r\nContent-Disposition: Form-Data ; foo=bar; NAME = \"a b\" ; "
         "x=\"y;z\";\r\n\r\nv\r\n--XyZ--",
     .nparts = 1,
     .parts = {{"a b", "v", 0, NULL, 0}}},
    {.what = "backslash escapes undone, percent escapes kept",
     .body =
         "--XyZ\r\n" CD "\"a\\\"b\\\\c%22d\"; filename=\"C:\\\\x\\\".txt\"\r\n"
         "\r\nv\r\n--XyZ--",
     .nparts = 1,
     .parts = {{"a\"b\\c%22d", "v", 1, "C:\\x\".txt", 0}}},
    {.what = "UTF-8 name and filename",
     .body = "--XyZ\r\n" CD
             "\"\xd8\xa7\xd8\xb3\xd9\x85\"; filename=\"\xf0\x9f\x95\x8b"
             ".png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ--",
     .nparts = 1,
     .parts = {{"\xd8\xa7\xd8\xb3\xd9\x85", "\x89PNG", 1,
                "\xf0\x9f\x95\x8b.png", 0}}},
    {.what = "empty filename is a file",
     .body = "--XyZ\r\n" CD "\"f\"; filename=\"\"\r\nContent-Type: "
             "application/octet-stream\r\n\r\n\r\n--XyZ--",
     .nparts = 1,
     .parts = {{"f", "", 1, "", 0}}},
    {.what = "filename* alone is a file",
     .body = "--XyZ\r\n" CD
             "\"f\"; filename*=UTF-8''%E2%9C%93.txt\r\n\r\nx\r\n--XyZ--",
     .nparts = 1,
     .parts = {{"f", "x", 1, NULL, 0}}},
    {.what = "content types",
     .body =
         "--XyZ\r\n" CD "\"a\"\r\nContent-Type: text/plain\r\n\r\n1\r\n"
         "--XyZ\r\n" CD "\"b\"\r\nContent-Type: application/json\r\n\r\n{}\r\n"
         "--XyZ\r\n" CD "\"c\"\r\nContent-Type: text/plainx\r\n\r\n3\r\n"
         "--XyZ\r\n" CD
         "\"d\"\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
         "<p>\r\n--XyZ--",
     .nparts = 4,
     .parts = {{"a", "1", 0, NULL, 0},
               {"b", "{}", 1, NULL, 0},
               {"c", "3", 1, NULL, 0},
               {"d", "<p>", 1, NULL, 0}}},
    {.what = "binary value with NUL, CR and LF",
     .body = "--XyZ\r\n" CD
             "\"f\"; filename=\"a.bin\"\r\nContent-Transfer-Encoding: "
             "binary\r\n\r\n\x00\r\x00\n\xff\r\n\r\n--XyZ--",
     .len =
         sizeof(
             "--XyZ\r\n" CD "\"f\"; filename=\"a.bin\"\r\n"
             "Content-Transfer-Encoding: binary\r\n\r\n\x00\r\x00\n\xff\r\n\r\n"
             "--XyZ--") -
         1,
     .nparts = 1,
     .parts = {{"f", "\x00\r\x00\n\xff\r\n", 1, "a.bin", 7}}},
    {.what = "unquoted name",
     .body = "--XyZ\r\n" CD "kategori\r\n\r\nkesehatan\r\n--XyZ--",
     .nparts = 1,
     .parts = {{"kategori", "kesehatan", 0, NULL, 0}}},

    {.what = "no delimiter",
     .rc = POSKO_MP_NO_DELIMITER,
     .body = "hello world"},
    {.what = "no delimiter, empty body",
     .rc = POSKO_MP_NO_DELIMITER,
     .body = ""},
    {.what = "no delimiter, only a prefix of it",
     .rc = POSKO_MP_UNTERMINATED,
     .body = "--XyZ"},
    {.what = "no delimiter, boundary not at a line start",
     .rc = POSKO_MP_NO_DELIMITER,
     .body = "a--XyZ\r\n"},
    {.what = "no delimiter, wrong case",
     .rc = POSKO_MP_NO_DELIMITER,
     .body = "--xyz\r\n"},

    {.what = "text after the first boundary",
     .rc = POSKO_MP_BAD_DELIMITER,
     .body = "--XyZx\r\n"},
    {.what = "a longer boundary in a value",
     .rc = POSKO_MP_BAD_DELIMITER,
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZA\r\n--XyZ--"},
    {.what = "one dash after the boundary",
     .rc = POSKO_MP_BAD_DELIMITER,
     .body = "--XyZ-x\r\n"},
    {.what = "CR without LF after the boundary",
     .rc = POSKO_MP_BAD_DELIMITER,
     .body = "--XyZ\rx"},
    {.what = "text after padding",
     .rc = POSKO_MP_BAD_DELIMITER,
     .body = "--XyZ  x\r\n"},

    {.what = "CRLF body, LF header line",
     .rc = POSKO_MP_MIXED_EOL,
     .body = "--XyZ\r\n" CD "\"a\"\n\r\n1\r\n--XyZ--"},
    {.what = "CRLF body, LF empty line",
     .rc = POSKO_MP_MIXED_EOL,
     .body = "--XyZ\r\n" CD "\"a\"\r\n\n1\r\n--XyZ--"},
    {.what = "CRLF body, LF before a delimiter",
     .rc = POSKO_MP_MIXED_EOL,
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\n--XyZ--"},
    {.what = "CRLF body, LF delimiter line",
     .rc = POSKO_MP_MIXED_EOL,
     .body =
         "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ\n" CD "\"b\"\n\n2\n--XyZ--"},
    {.what = "LF body, CRLF header line",
     .rc = POSKO_MP_MIXED_EOL,
     .body = "--XyZ\n" CD "\"a\"\r\n\n1\n--XyZ--"},
    {.what = "LF body, CRLF before a delimiter",
     .rc = POSKO_MP_MIXED_EOL,
     .body = "--XyZ\n" CD "\"a\"\n\n1\r\n--XyZ--"},
    {.what = "LF body, CRLF delimiter line",
     .rc = POSKO_MP_MIXED_EOL,
     .body =
         "--XyZ\n" CD "\"a\"\n\n1\n--XyZ\r\n" CD "\"b\"\r\n\r\n2\r\n--XyZ--"},

    {.what = "no closing delimiter",
     .rc = POSKO_MP_UNTERMINATED,
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n"},
    {.what = "boundary that never closes",
     .rc = POSKO_MP_UNTERMINATED,
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ\r\n" CD "\"b\"\r\n\r\n2",
     .nparts = 1,
     .parts = {{"a", "1", 0, NULL, 0}}},
    {.what = "ends after a boundary",
     .rc = POSKO_MP_UNTERMINATED,
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ"},
    {.what = "ends after one dash",
     .rc = POSKO_MP_UNTERMINATED,
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ-"},
    {.what = "ends in padding",
     .rc = POSKO_MP_UNTERMINATED,
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ  "},
    {.what = "ends after CR",
     .rc = POSKO_MP_UNTERMINATED,
     .body = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ\r"},
    {.what = "ends in headers",
     .rc = POSKO_MP_UNTERMINATED,
     .body = "--XyZ\r\n" CD "\"a\"\r\n"},
    {.what = "ends after the first boundary",
     .rc = POSKO_MP_UNTERMINATED,
     .body = "--XyZ\r\n"},

    {.what = "header line without colon",
     .rc = POSKO_MP_BAD_HEADER,
     .body = "--XyZ\r\n" CD "\"a\"\r\nX-Foo bar\r\n\r\n1\r\n--XyZ--"},
    {.what = "closing delimiter among headers",
     .rc = POSKO_MP_BAD_HEADER,
     .body = "--XyZ\r\n" CD "\"a\"\r\n--XyZ--\r\n"},
    {.what = "folded header line",
     .rc = POSKO_MP_BAD_HEADER,
     .body =
         "--XyZ\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\n1\r\n"
         "--XyZ--"},
    {.what = "space before the colon",
     .rc = POSKO_MP_BAD_HEADER,
     .body = "--XyZ\r\nContent-Disposition : form-data; "
             "name=a\r\n\r\n1\r\n--XyZ--"},
    {.what = "empty header name",
     .rc = POSKO_MP_BAD_HEADER,
     .body = "--XyZ\r\n: x\r\n" CD "a\r\n\r\n1\r\n--XyZ--"},
    {.what = "control character in a header value",
     .rc = POSKO_MP_BAD_HEADER,
     .body = "--XyZ\r\n" CD "\"a\x01\"\r\n\r\n1\r\n--XyZ--"},
    {.what = "CR inside a header line",
     .rc = POSKO_MP_BAD_HEADER,
     .body = "--XyZ\r\n" CD "\"a\rb\"\r\n\r\n1\r\n--XyZ--"},
    {.what = "NUL in a header",
     .rc = POSKO_MP_BAD_HEADER,
     .body = "--XyZ\r\n" CD "\"a\x00\"\r\n\r\n1\r\n--XyZ--",
     .len = sizeof("--XyZ\r\n" CD "\"a\x00\"\r\n\r\n1\r\n--XyZ--") - 1},

    {.what = "two Content-Dispositions",
     .rc = POSKO_MP_DUP_HEADER,
     .body = "--XyZ\r\n" CD "\"a\"\r\n" CD "\"b\"\r\n\r\n1\r\n--XyZ--"},
    {.what = "two Content-Types",
     .rc = POSKO_MP_DUP_HEADER,
     .body =
         "--XyZ\r\n" CD "\"a\"\r\nContent-Type: text/plain\r\ncontent-type: "
         "text/plain\r\n\r\n1\r\n--XyZ--"},
    {.what = "two Content-Transfer-Encodings",
     .rc = POSKO_MP_DUP_HEADER,
     .body = "--XyZ\r\n" CD "\"a\"\r\nContent-Transfer-Encoding: 8bit\r\n"
             "Content-Transfer-Encoding: 8bit\r\n\r\n1\r\n--XyZ--"},

    {.what = "no Content-Disposition",
     .rc = POSKO_MP_NOT_FORM_DATA,
     .body = "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--"},
    {.what = "no headers at all",
     .rc = POSKO_MP_NOT_FORM_DATA,
     .body = "--XyZ\r\n\r\n1\r\n--XyZ--"},
    {.what = "empty part",
     .rc = POSKO_MP_NOT_FORM_DATA,
     .body = "--XyZ\r\n\r\n--XyZ--"},
    {.what = "attachment, not form-data",
     .rc = POSKO_MP_NOT_FORM_DATA,
     .body = "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n"
             "--XyZ--"},
    {.what = "empty disposition",
     .rc = POSKO_MP_NOT_FORM_DATA,
     .body = "--XyZ\r\nContent-Disposition:\r\n\r\n1\r\n--XyZ--"},
    {.what = "second part lacks it",
     .rc = POSKO_MP_NOT_FORM_DATA,
     .body =
         "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ\r\nX-A: b\r\n\r\n2\r\n--XyZ--",
     .nparts = 1,
     .parts = {{"a", "1", 0, NULL, 0}}},

    {.what = "unterminated quote",
     .rc = POSKO_MP_BAD_DISPOSITION,
     .body = "--XyZ\r\n" CD "\"a\r\n\r\n1\r\n--XyZ--"},
    {.what = "escaped closing quote",
     .rc = POSKO_MP_BAD_DISPOSITION,
     .body = "--XyZ\r\n" CD "\"a\\\"\r\n\r\n1\r\n--XyZ--"},
    {.what = "name twice",
     .rc = POSKO_MP_BAD_DISPOSITION,
     .body = "--XyZ\r\n" CD "\"a\"; name=\"b\"\r\n\r\n1\r\n--XyZ--"},
    {.what = "filename twice",
     .rc = POSKO_MP_BAD_DISPOSITION,
     .body =
         "--XyZ\r\n" CD "\"a\"; filename=x; FILENAME=y\r\n\r\n1\r\n--XyZ--"},
    {.what = "empty unquoted value",
     .rc = POSKO_MP_BAD_DISPOSITION,
     .body = "--XyZ\r\n" CD "\r\n\r\n1\r\n--XyZ--"},
    {.what = "missing semicolon",
     .rc = POSKO_MP_BAD_DISPOSITION,
     .body = "--XyZ\r\nContent-Disposition: form-data "
             "name=\"a\"\r\n\r\n1\r\n--XyZ--"},
    {.what = "text after the quote",
     .rc = POSKO_MP_BAD_DISPOSITION,
     .body = "--XyZ\r\n" CD "\"a\"b\r\n\r\n1\r\n--XyZ--"},
    {.what = "parameter without value",
     .rc = POSKO_MP_BAD_DISPOSITION,
     .body = "--XyZ\r\n" CD "\"a\"; filename\r\n\r\n1\r\n--XyZ--"},

    {.what = "no name parameter",
     .rc = POSKO_MP_NO_NAME,
     .body =
         "--XyZ\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\n1\r\n"
         "--XyZ--"},
    {.what = "bare form-data",
     .rc = POSKO_MP_NO_NAME,
     .body = "--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n"
             "--XyZ--"},
    {.what = "empty name",
     .rc = POSKO_MP_NO_NAME,
     .body = "--XyZ\r\n" CD "\"\"\r\n\r\n1\r\n--XyZ--"},

    {.what = "base64",
     .rc = POSKO_MP_BAD_ENCODING,
     .body = "--XyZ\r\n" CD "\"a\"\r\nContent-Transfer-Encoding: base64\r\n"
             "\r\nMQ==\r\n--XyZ--"},
    {.what = "quoted-printable",
     .rc = POSKO_MP_BAD_ENCODING,
     .body = "--XyZ\r\n" CD
             "\"a\"\r\nContent-Transfer-Encoding: quoted-printable\r\n"
             "\r\n=31\r\n--XyZ--"},
    {.what = "empty encoding",
     .rc = POSKO_MP_BAD_ENCODING,
     .body = "--XyZ\r\n" CD
             "\"a\"\r\nContent-Transfer-Encoding:\r\n\r\n1\r\n--XyZ--"},
};

static void run_body_table(int seen[N_CODES]) {
    for (size_t k = 0; k < N_ELEMS(body_cases); k++) {
        const char *body = body_cases[k].body;
        size_t len = body_cases[k].len ? body_cases[k].len : strlen(body);
        size_t n;
        int rc;

        rc =
            parse(BX, body, len, body_cases[k].parts, body_cases[k].nparts, &n);
        if (rc != body_cases[k].rc || n != body_cases[k].nparts) {
            fprintf(stderr, "case %zu (%s): got %d after %zu parts\n", k,
                    body_cases[k].what, rc, n);
        }
        assert_int_equal(rc, body_cases[k].rc);
        assert_int_equal(n, body_cases[k].nparts);
        seen[-rc] = 1;
    }
}

static void test_body_table(void **state) {
    int seen[N_CODES] = {0};

    (void)state;
    run_body_table(seen);
}

/* -- limits ----------------------------------------------------------- */

/* A one-part body with `extra` headers of `pad` bytes each after the
 * Content-Disposition line. */
static uint8_t *headers_body(size_t extra, size_t pad, size_t *len) {
    buf_t b = {0};

    puts_(&b, "--XyZ\r\n" CD "\"a\"\r\n");
    for (size_t i = 0; i < extra; i++) {
        puts_(&b, "X-Pad: ");
        for (size_t j = 0; j < pad; j++) {
            put(&b, "p", 1);
        }
        puts_(&b, "\r\n");
    }
    puts_(&b, "\r\nv\r\n--XyZ--\r\n");
    *len = b.len;
    return b.p;
}

static int run_limits(int seen[N_CODES]) {
    static const exp_part_t a = {"a", "v", 0, NULL, 0};
    const size_t cd = strlen(CD "\"a\"\r\n"), first = strlen("--XyZ\r\n");
    size_t len, n;
    uint8_t *body;
    int rc;

    /* 16 header lines pass, 17 do not */
    body = headers_body(15, 3, &len);
    assert_int_equal(parse(BX, body, len, &a, 1, &n), 0);
    free(body);
    body = headers_body(16, 3, &len);
    rc = parse(BX, body, len, NULL, 0, &n);
    assert_int_equal(rc, POSKO_MP_TOO_MANY_HEADERS);
    seen[-rc] = 1;
    free(body);

    /* 8192 header bytes pass, 8193 do not: one padded line, the empty
     * line's 2 bytes, "X-Pad: " and CRLF around the padding */
    body = headers_body(1, 8192 - cd - 2 - 9, &len);
    assert_int_equal(len - first - strlen("v\r\n--XyZ--\r\n"), 8192);
    assert_int_equal(parse(BX, body, len, &a, 1, &n), 0);
    free(body);
    body = headers_body(1, 8192 - cd - 2 - 9 + 1, &len);
    rc = parse(BX, body, len, NULL, 0, &n);
    assert_int_equal(rc, POSKO_MP_HEADERS_TOO_LONG);
    seen[-rc] = 1;
    free(body);
    /* a body cut inside long headers is unterminated, not too long */
    body = headers_body(1, 20000, &len);
    rc = parse(BX, body, 8000, NULL, 0, &n);
    assert_int_equal(rc, POSKO_MP_UNTERMINATED);
    rc = parse(BX, body, len, NULL, 0, &n);
    assert_int_equal(rc, POSKO_MP_HEADERS_TOO_LONG);
    free(body);
    return 0;
}

static void test_limits(void **state) {
    int seen[N_CODES] = {0};

    (void)state;
    run_limits(seen);
}

/* -- the boundary given to init --------------------------------------- */

static int run_bad_init(int seen[N_CODES]) {
    static const char body[] = "--XyZ\r\n" CD "\"a\"\r\n\r\n1\r\n--XyZ--";
    static const char *const bad[] = {"",     "a b ",   B70 "1",
                                      "a\"b", "a\r\nb", "\xd8\xa7"};
    size_t n;
    int rc = 0;

    for (size_t k = 0; k < N_ELEMS(bad); k++) {
        rc = parse(bad[k], body, strlen(body), NULL, 0, &n);
        assert_int_equal(rc, POSKO_MP_BAD_BOUNDARY);
        assert_int_equal(n, 0);
    }
    seen[-rc] = 1;
    return 0;
}

static void test_bad_init(void **state) {
    static posko_multipart_t mp;
    posko_part_t pt;
    int seen[N_CODES] = {0};

    (void)state;
    run_bad_init(seen);
    posko_multipart_init(&mp, NULL, 0, NULL, 0);
    assert_int_equal(posko_multipart_next(&mp, &pt), POSKO_MP_BAD_BOUNDARY);
    posko_multipart_init(&mp, NULL, 5, (const uint8_t *)"a", 1);
    assert_int_equal(posko_multipart_next(&mp, &pt), POSKO_MP_NO_DELIMITER);
}

/* Every result code is reached by some case above. */
static void test_every_code(void **state) {
    int seen[N_CODES] = {0};

    (void)state;
    run_boundary_table(seen);
    run_body_table(seen);
    run_limits(seen);
    run_bad_init(seen);
    for (int c = 0; c < N_CODES; c++) {
        if (!seen[c]) {
            fprintf(stderr, "result %d is never tested\n", -c);
        }
        assert_true(seen[c]);
    }
}

/* -- realistic submissions -------------------------------------------- */

/* A submission as browsers and curl send it: fields, then files. */
typedef struct {
    const char *name;
    const char *value;
    const char *filename;     /* NULL for a text field */
    const char *content_type; /* sent for files */
    size_t value_len;         /* 0: strlen(value) */
} field_t;

#define JPEG "\xff\xd8\xff\xe0\x00\x10JFIF\r\n--\r\n\x00"

static const field_t submission[] = {
    {"jenis", "aduan", NULL, NULL, 0},
    {"pelapor", "jemaah", NULL, NULL, 0},
    {"kategori", "konsumsi", NULL, NULL, 0},
    {"lokasi", "makkah", NULL, NULL, 0},
    {"embarkasi", "SUB", NULL, NULL, 0},
    {"kloter", "SUB-12", NULL, NULL, 0},
    {"uraian",
     "Makanan di hotel 305 datang terlambat.\r\nSudah tiga hari.\r\n"
     "--XyZ dan ----WebKitFormBoundary bukan batas.\r\n"
     "\xd8\xa7\xd9\x84\xd8\xb7\xd8\xb9\xd8\xa7\xd9\x85 \xd8\xa8\xd8\xa7\xd8\xb1"
     "\xd8\xaf \xf0\x9f\x98\xa2\xf0\x9f\x95\x8b",
     NULL, NULL, 0},
    {"nama", "Siti \"Ummu\" Aminah", NULL, NULL, 0},
    {"telepon", "", NULL, NULL, 0},
    {"email", "siti@example.id", NULL, NULL, 0},
    {"rating", "2", NULL, NULL, 0},
    {"lampiran", JPEG, "foto.jpg", "image/jpeg", sizeof(JPEG) - 1},
    {"surat", "", "", "application/octet-stream", 0},
};

typedef struct {
    const char *client;
    const char *boundary;
    int preamble; /* with a preamble and an epilogue */
} client_t;

static const client_t clients[] = {
    {"chrome", "----WebKitFormBoundary7MA4YWxkTrZu0gW", 0},
    {"firefox", "----geckoformboundary3b2f9c0e5d1a47e8c6b9a0f1d2e3c4b5", 0},
    {"firefox-old", "---------------------------3217440712432187583651185745",
     0},
    {"curl", "------------------------d74496d66958873e", 0},
    {"mail library", "a b:c=d?e", 1},
};

/* Builds a client's body for the submission with the given line end;
 * *close_end is set just past the closing "--boundary--". */
static uint8_t *build(const client_t *c, const char *eol, size_t *len,
                      size_t *close_end) {
    buf_t b = {0};

    if (c->preamble) {
        puts_(&b, "This is a multi-part message in MIME format.");
        puts_(&b, eol);
    }
    for (size_t i = 0; i < N_ELEMS(submission); i++) {
        const field_t *f = &submission[i];

        puts_(&b, "--");
        puts_(&b, c->boundary);
        puts_(&b, eol);
        puts_(&b, "Content-Disposition: form-data; name=\"");
        puts_(&b, f->name);
        puts_(&b, "\"");
        if (f->filename != NULL) {
            puts_(&b, "; filename=\"");
            puts_(&b, f->filename);
            puts_(&b, "\"");
            puts_(&b, eol);
            puts_(&b, "Content-Type: ");
            puts_(&b, f->content_type);
        }
        puts_(&b, eol);
        puts_(&b, eol);
        put(&b, f->value, f->value_len ? f->value_len : strlen(f->value));
        puts_(&b, eol);
    }
    puts_(&b, "--");
    puts_(&b, c->boundary);
    puts_(&b, "--");
    *close_end = b.len;
    puts_(&b, eol);
    if (c->preamble) {
        puts_(&b, "epilogue, ignored");
        puts_(&b, eol);
    }
    *len = b.len;
    return b.p;
}

static exp_part_t expected[N_ELEMS(submission)];

static void fill_expected(void) {
    for (size_t i = 0; i < N_ELEMS(submission); i++) {
        const field_t *f = &submission[i];

        expected[i].name = f->name;
        expected[i].value = f->value;
        expected[i].is_file = f->filename != NULL;
        expected[i].filename = f->filename;
        expected[i].value_len = f->value_len;
    }
}

static void test_clients(void **state) {
    static const char *const eols[] = {"\r\n", "\n"};

    (void)state;
    fill_expected();
    for (size_t c = 0; c < N_ELEMS(clients); c++) {
        for (size_t e = 0; e < N_ELEMS(eols); e++) {
            size_t len, close_end, n;
            uint8_t *body = build(&clients[c], eols[e], &len, &close_end);
            int rc = parse(clients[c].boundary, body, len, expected,
                           N_ELEMS(expected), &n);

            assert_int_equal(rc, 0);
            assert_int_equal(n, N_ELEMS(expected));
            free(body);
        }
    }
}

/* Through the Content-Type header, as the module does it. */
static void test_clients_content_type(void **state) {
    (void)state;
    fill_expected();
    for (size_t c = 0; c < N_ELEMS(clients); c++) {
        char ct[200];
        const uint8_t *b;
        size_t blen, len, close_end, n;
        uint8_t *body = build(&clients[c], "\r\n", &len, &close_end);
        char bstr[80];

        snprintf(ct, sizeof(ct),
                 c % 2 ? "multipart/form-data; boundary=\"%s\""
                       : "multipart/form-data; boundary=%s",
                 clients[c].boundary);
        if (strchr(clients[c].boundary, ' ') != NULL) {
            snprintf(ct, sizeof(ct), "multipart/form-data; boundary=\"%s\"",
                     clients[c].boundary);
        }
        assert_int_equal(posko_multipart_boundary((const uint8_t *)ct,
                                                  strlen(ct), &b, &blen),
                         POSKO_MP_OK);
        assert_true(blen < sizeof(bstr));
        memcpy(bstr, b, blen);
        bstr[blen] = '\0';
        assert_string_equal(bstr, clients[c].boundary);
        assert_int_equal(
            parse(bstr, body, len, expected, N_ELEMS(expected), &n), 0);
        assert_int_equal(n, N_ELEMS(expected));
        free(body);
    }
}

/* Every prefix of every realistic body: an error, unless the cut falls
 * after the closing delimiter; parts returned are exactly those sent. */
static void test_truncation(void **state) {
    static const char *const eols[] = {"\r\n", "\n"};

    (void)state;
    fill_expected();
    for (size_t c = 0; c < N_ELEMS(clients); c++) {
        for (size_t e = 0; e < N_ELEMS(eols); e++) {
            size_t len, close_end, n;
            uint8_t *body = build(&clients[c], eols[e], &len, &close_end);

            for (size_t k = 0; k <= len; k++) {
                int rc = parse(clients[c].boundary, body, k, expected,
                               N_ELEMS(expected), &n);

                if (k < close_end) {
                    assert_true(rc < 0);
                    assert_true(n < N_ELEMS(expected));
                } else {
                    assert_int_equal(rc, 0);
                    assert_int_equal(n, N_ELEMS(expected));
                }
            }
            free(body);
        }
    }
}

/* Every byte of a realistic body replaced by each of a few bytes that
 * matter to the parser: never a crash, a read out of bounds or a hang. */
static void test_damage(void **state) {
    static const uint8_t bytes[] = {'\r', '\n', '-', ':', ';', '"',
                                    '\\', ' ',  0,   'X', '='};

    (void)state;
    for (size_t c = 0; c < N_ELEMS(clients); c += 3) {
        size_t len, close_end, n;
        uint8_t *body = build(&clients[c], "\r\n", &len, &close_end);

        for (size_t k = 0; k < len; k++) {
            uint8_t old = body[k];

            for (size_t v = 0; v < N_ELEMS(bytes); v++) {
                body[k] = bytes[v];
                (void)parse(clients[c].boundary, body, len, NULL, 0, &n);
                assert_true(n <= N_ELEMS(submission) + 1);
            }
            body[k] = old;
        }
        free(body);
    }
}

/* -- size ------------------------------------------------------------- */

/* Many parts, and a value full of near-delimiters for a long boundary: the
 * walk must stay linear (a quadratic one would take hours here). */
static void test_large(void **state) {
    const char *bd = B70;
    buf_t b = {0};
    size_t n, parts = 20000;
    clock_t t0 = clock();

    (void)state;
    for (size_t i = 0; i < parts; i++) {
        puts_(&b, "--" B70 "\r\n" CD "\"f\"\r\n\r\nv\r\n");
    }
    puts_(&b, "--" B70 "\r\n" CD "\"big\"\r\n\r\n");
    for (size_t i = 0; i < 20000; i++) {
        puts_(&b, "\r\n--");
        put(&b, B70, 69);
        puts_(&b, "x\n--\n\n\r\n-");
    }
    puts_(&b, "\r\n--" B70 "--\r\n");
    assert_int_equal(parse(bd, b.p, b.len, NULL, 0, &n), 0);
    assert_int_equal(n, parts + 1);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
    free(b.p);
}

/* -- messages --------------------------------------------------------- */

static void test_strerror(void **state) {
    (void)state;
    for (int c = 0; c >= POSKO_MP_ERR_LAST; c--) {
        const char *m = posko_multipart_strerror(c);

        assert_non_null(m);
        assert_true(m[0] != '\0');
        assert_true(strlen(m) < 80);
        assert_string_not_equal(m, "unknown error");
        for (int d = c - 1; d >= POSKO_MP_ERR_LAST; d--) {
            assert_string_not_equal(m, posko_multipart_strerror(d));
        }
    }
    assert_string_equal(posko_multipart_strerror(1), "unknown error");
    assert_string_equal(posko_multipart_strerror(POSKO_MP_ERR_LAST - 1),
                        "unknown error");
    assert_string_equal(posko_multipart_strerror(-1000), "unknown error");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundary_table),
        cmocka_unit_test(test_body_table),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_bad_init),
        cmocka_unit_test(test_every_code),
        cmocka_unit_test(test_clients),
        cmocka_unit_test(test_clients_content_type),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_strerror),
    };

    return cmocka_run_group_tests_name("multipart", tests, NULL, NULL);
}
