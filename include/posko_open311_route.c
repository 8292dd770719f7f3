/*
 * posko_open311_route.c - the routing of an Open311 path (see
 * posko_open311_route.h).
 */
#include "posko_open311_route.h"

#include <string.h>

#define POSKO_O311_DIR_LEN (sizeof("services/") - 1)

static int posko_o311_is(const char *p, size_t len, const char *name) {
    return len == strlen(name) && memcmp(p, name, len) == 0;
}

/* Where the resource's name starts in the path. */
static const char *posko_o311_rest(const char *loc, size_t loc_len,
                                   const char *uri, size_t uri_len) {
    const char *end = uri + uri_len, *p, *name;

    if (loc_len > 0 && loc[loc_len - 1] == '/' && uri_len > loc_len &&
        memcmp(uri, loc, loc_len) == 0) {
        return uri + loc_len;
    }

    /* "services.json", or "requests/ID.json" with its parent */
    for (p = end; p > uri && p[-1] != '/'; p--) {
    }
    name = p;
    if (p > uri) {
        for (p--; p > uri && p[-1] != '/'; p--) {
        }
        if (posko_o311_is(p, (size_t)(name - 1 - p), "services") ||
            posko_o311_is(p, (size_t)(name - 1 - p), "requests")) {
            return p;
        }
    }
    return name;
}

int posko_o311_route(const char *loc, size_t loc_len, const char *uri,
                     size_t uri_len, posko_o311_route_t *route) {
    const char *end = uri + uri_len, *rest, *dot = NULL;
    size_t stem;

    route->kind = POSKO_O311_NONE;
    route->id = NULL;
    route->id_len = 0;
    route->json = 0;

    if (uri_len == 0) {
        return POSKO_O311_NONE;
    }
    rest = posko_o311_rest(loc, loc_len, uri, uri_len);
    for (const char *p = rest; p < end; p++) {
        if (*p == '.') {
            dot = p;
        }
    }
    if (dot == NULL) {
        return POSKO_O311_NONE;
    }
    route->json = posko_o311_is(dot, (size_t)(end - dot), ".json");
    stem = (size_t)(dot - rest);

    if (posko_o311_is(rest, stem, "services")) {
        route->kind = POSKO_O311_SERVICES;
    } else if (posko_o311_is(rest, stem, "requests")) {
        route->kind = POSKO_O311_REQUESTS;
    } else if (stem > POSKO_O311_DIR_LEN &&
               memchr(rest + POSKO_O311_DIR_LEN, '/',
                      stem - POSKO_O311_DIR_LEN) == NULL) {
        if (memcmp(rest, "services/", POSKO_O311_DIR_LEN) == 0) {
            route->kind = POSKO_O311_DEFINITION;
        } else if (memcmp(rest, "requests/", POSKO_O311_DIR_LEN) == 0) {
            route->kind = POSKO_O311_ONE;
        }
        if (route->kind != POSKO_O311_NONE) {
            route->id = rest + POSKO_O311_DIR_LEN;
            route->id_len = stem - POSKO_O311_DIR_LEN;
        }
    }
    return route->kind;
}
