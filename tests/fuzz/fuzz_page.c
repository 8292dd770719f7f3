/*
 * fuzz_page.c - libFuzzer target for the form page renderer: arbitrary
 * templates, field names, values, messages and summaries, rendered the way
 * the module does it (size pass, allocate, write pass).
 *
 * Input: one flag byte, then parts separated by 0xFF (a byte UTF-8 never
 * uses): the template, the summary, then up to four fields as name, value,
 * error triples.  Flag bit 0: there is a summary; bits 1-4: field i's value
 * is NULL; an empty error part is no error.  Every part is copied into a
 * heap block of its own exact size so a read past any end is caught.
 */
#include "posko_page.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PARTS (2 + 3 * 4)

static uint8_t *dup_exact(const uint8_t *s, size_t len) {
    uint8_t *p = malloc(len > 0 ? len : 1);

    if (p != NULL && len > 0) {
        memcpy(p, s, len);
    }
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t *part[MAX_PARTS] = {NULL}, *out = NULL, *shorter = NULL;
    size_t len[MAX_PARTS] = {0}, nparts = 0, nf = 0, n, i;
    posko_page_field_t f[4];
    const uint8_t *p, *end, *sep;
    uint8_t flags;

    if (size == 0) {
        return 0;
    }
    flags = data[0];
    p = data + 1;
    end = data + size;
    while (nparts < MAX_PARTS) {
        sep =
            nparts + 1 < MAX_PARTS ? memchr(p, 0xFF, (size_t)(end - p)) : NULL;
        len[nparts] = (size_t)((sep != NULL ? sep : end) - p);
        part[nparts] = dup_exact(p, len[nparts]);
        if (part[nparts] == NULL) {
            goto done;
        }
        nparts++;
        if (sep == NULL) {
            break;
        }
        p = sep + 1;
    }
    for (i = 2; i + 2 < nparts; i += 3, nf++) {
        f[nf].name = (const char *)part[i];
        f[nf].name_len = len[i];
        f[nf].value = (flags & (2u << nf)) ? NULL : part[i + 1];
        f[nf].value_len = len[i + 1];
        f[nf].error = len[i + 2] > 0 ? part[i + 2] : NULL;
        f[nf].error_len = len[i + 2];
    }

#define RENDER(o, cap)                                                         \
    posko_page_render(part[0], len[0], f, nf,                                  \
                      (flags & 1) && nparts > 1 ? part[1] : NULL,              \
                      nparts > 1 ? len[1] : 0, (o), (cap))

    n = RENDER(NULL, 0);
    out = malloc(n > 0 ? n : 1);
    if (out == NULL) {
        goto done;
    }
    if (RENDER(out, n) != n) {
        abort();
    }
    /* No field and no summary: markers vanish, nothing grows. */
    if (nf == 0 && !((flags & 1) && nparts > 1) && n > len[0]) {
        abort();
    }
    if (n > 0) {
        shorter = malloc(n - 1 > 0 ? n - 1 : 1);
        if (shorter == NULL) {
            goto done;
        }
        if (RENDER(shorter, n - 1) != n || memcmp(shorter, out, n - 1) != 0) {
            abort();
        }
    }

done:
    free(shorter);
    free(out);
    for (i = 0; i < nparts; i++) {
        free(part[i]);
    }
    return 0;
}
