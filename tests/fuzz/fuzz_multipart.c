/*
 * fuzz_multipart.c - libFuzzer target for the multipart/form-data parser.
 *
 * The input is a Content-Type value up to the first newline, then the
 * body.  The boundary is taken from the Content-Type the way the module
 * takes it; when that fails the body is still walked with a fixed
 * boundary, so that the fuzzer reaches the body parser either way.  Every
 * part returned must lie inside the body (names and filenames may instead
 * lie in the parser's own buffer), parts must come in order without
 * overlapping, no value may hold a delimiter, and results must be sticky.
 */
#include "posko_multipart.h"

#include <stdlib.h>
#include <string.h>

static posko_multipart_t mp;

static int inside(const uint8_t *p, size_t len, const uint8_t *lo, size_t n) {
    return p != NULL && p >= lo && p <= lo + n && len <= (size_t)(lo + n - p);
}

static void check(int ok) {
    if (!ok) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *nl = memchr(data, '\n', size);
    size_t ct_len = nl != NULL ? (size_t)(nl - data) : size;
    const uint8_t *body = data + ct_len + (nl != NULL);
    size_t len = size - ct_len - (nl != NULL);
    const uint8_t *b = NULL, *prev_end = body;
    size_t blen = 0, n = 0;
    uint8_t delim[3 + POSKO_MP_BOUNDARY_MAX];
    posko_part_t pt;
    int rc;

    rc = posko_multipart_boundary(data, ct_len, &b, &blen);
    check(rc <= 0 && rc >= POSKO_MP_ERR_LAST);
    check(posko_multipart_strerror(rc) != NULL);
    if (rc == POSKO_MP_OK) {
        check(inside(b, blen, data, ct_len));
        check(blen >= 1 && blen <= POSKO_MP_BOUNDARY_MAX);
    } else {
        b = (const uint8_t *)"XyZ";
        blen = 3;
    }
    memcpy(delim, "\n--", 3);
    memcpy(delim + 3, b, blen);

    posko_multipart_init(&mp, body, len, b, blen);
    while ((rc = posko_multipart_next(&mp, &pt)) == 1) {
        check(inside(pt.value, pt.value_len, body, len));
        check(pt.value >= prev_end);
        prev_end = pt.value + pt.value_len;
        check(memmem(pt.value, pt.value_len, delim, 3 + blen) == NULL);
        check(pt.name_len > 0);
        check(inside(pt.name, pt.name_len, body, len) ||
              inside(pt.name, pt.name_len, mp.buf, sizeof(mp.buf)));
        if (pt.filename != NULL) {
            check(pt.is_file == 1);
            check(inside(pt.filename, pt.filename_len, body, len) ||
                  inside(pt.filename, pt.filename_len, mp.buf, sizeof(mp.buf)));
        } else {
            check(pt.filename_len == 0);
        }
        if (pt.content_type != NULL) {
            check(inside(pt.content_type, pt.content_type_len, body, len));
        }
        check(++n <= len);
    }
    check(rc <= 0 && rc >= POSKO_MP_ERR_LAST);
    check(posko_multipart_next(&mp, &pt) == rc);
    return 0;
}
