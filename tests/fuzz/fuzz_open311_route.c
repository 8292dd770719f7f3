/*
 * fuzz_open311_route.c - libFuzzer target for what an Open311 path names.
 * The input is the location's name, a newline, then the path (no newline:
 * the path alone, under a location with no name).  Whatever the two are,
 * nothing is read past them, and what is named is what the path says:
 * an id is never empty, has no "/", stands after "services/" or
 * "requests/" and before the last dot; a list has no id; ".json" is the
 * path's end.
 */
#include "posko_open311_route.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int posko_fuzz_ends(const char *p, size_t len, const char *s) {
    size_t n = strlen(s);

    return len >= n && memcmp(p + len - n, s, n) == 0;
}

static void posko_fuzz_check(const char *uri, size_t len,
                             const posko_o311_route_t *r) {
    const char *dot = NULL, *end = uri + len;

    for (const char *p = uri; p < end; p++) {
        if (*p == '.') {
            dot = p;
        }
    }
    if (r->json != 0 && !posko_fuzz_ends(uri, len, ".json")) {
        abort();
    }
    if (r->kind == POSKO_O311_NONE) {
        if (r->id != NULL || r->id_len != 0) {
            abort();
        }
        return;
    }
    if (dot == NULL) {
        abort();
    }
    if (r->kind == POSKO_O311_SERVICES || r->kind == POSKO_O311_REQUESTS) {
        if (r->id != NULL || r->id_len != 0 ||
            !posko_fuzz_ends(uri, (size_t)(dot - uri),
                             r->kind == POSKO_O311_SERVICES ? "services"
                                                            : "requests")) {
            abort();
        }
        return;
    }
    if ((r->kind != POSKO_O311_DEFINITION && r->kind != POSKO_O311_ONE) ||
        r->id == NULL || r->id_len == 0 || r->id - uri < 9 ||
        r->id + r->id_len != dot || memchr(r->id, '/', r->id_len) != NULL ||
        memcmp(r->id - 9,
               r->kind == POSKO_O311_DEFINITION ? "services/" : "requests/",
               9) != 0) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *nl = memchr(data, '\n', size);
    size_t loc_len = nl ? (size_t)(nl - data) : 0;
    size_t uri_len = nl ? size - loc_len - 1 : size;
    char *loc = malloc(loc_len ? loc_len : 1);
    char *uri = malloc(uri_len ? uri_len : 1);
    posko_o311_route_t r;

    if (loc == NULL || uri == NULL) {
        free(loc);
        free(uri);
        return 0;
    }
    /* exactly their sizes: ASan sees overreads */
    memcpy(loc, data, loc_len);
    memcpy(uri, nl ? nl + 1 : data, uri_len);
    if (posko_o311_route(loc, loc_len, uri, uri_len, &r) != r.kind) {
        abort();
    }
    posko_fuzz_check(uri, uri_len, &r);
    free(loc);
    free(uri);
    return 0;
}
