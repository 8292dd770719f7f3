/*
 * test_open311_route.c - unit tests for what an Open311 path names
 * (include/posko_open311_route.c): every resource under a prefix
 * location, under a regex location and under exact ones, the format, and
 * the paths an attacker would send (dots and slashes in ids, empty ids,
 * "..", doubled suffixes, a prefix that only looks like the location's,
 * very long paths).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "posko_open311_route.h"
#include "unit.h"

#define NONE POSKO_O311_NONE
#define SERVICES POSKO_O311_SERVICES
#define DEFINITION POSKO_O311_DEFINITION
#define REQUESTS POSKO_O311_REQUESTS
#define ONE POSKO_O311_ONE

#define PREFIX "/open311/v2/"
#define REGEX "^/georeport/v2/(services|requests)"

static const struct {
    const char *loc;
    const char *uri;
    int kind;
    const char *id; /* NULL: none */
    int json;
} routes[] = {
    /* a prefix location: what follows it */
    {PREFIX, PREFIX "services.json", SERVICES, NULL, 1},
    {PREFIX, PREFIX "services/akomodasi.json", DEFINITION, "akomodasi", 1},
    {PREFIX, PREFIX "requests.json", REQUESTS, NULL, 1},
    {PREFIX, PREFIX "requests/A1B2-C3D4-E5F6.json", ONE, "A1B2-C3D4-E5F6", 1},
    /* other formats: the resource, but not JSON */
    {PREFIX, PREFIX "services.xml", SERVICES, NULL, 0},
    {PREFIX, PREFIX "requests/ABC.xml", ONE, "ABC", 0},
    {PREFIX, PREFIX "requests.JSON", REQUESTS, NULL, 0},
    {PREFIX, PREFIX "requests.", REQUESTS, NULL, 0},
    {PREFIX, PREFIX "services.json/", SERVICES, NULL, 0},
    {PREFIX, PREFIX "services.jsonx", SERVICES, NULL, 0},
    /* nothing the API serves */
    {PREFIX, PREFIX, NONE, NULL, 0},
    {PREFIX, PREFIX "services", NONE, NULL, 0},
    {PREFIX, PREFIX "requests/ABC", NONE, NULL, 0},
    {PREFIX, PREFIX "index.html", NONE, NULL, 0},
    {PREFIX, PREFIX "discovery.json", NONE, NULL, 1},
    {PREFIX, PREFIX ".json", NONE, NULL, 1},
    {PREFIX, PREFIX "Services.json", NONE, NULL, 1},
    {PREFIX, PREFIX "service.json", NONE, NULL, 1},
    {PREFIX, PREFIX "servicesX.json", NONE, NULL, 1},
    {PREFIX, PREFIX "requestsXABC.json", NONE, NULL, 1},
    {PREFIX, PREFIX "services:ABC.json", NONE, NULL, 1},
    /* empty ids */
    {PREFIX, PREFIX "requests/.json", NONE, NULL, 1},
    {PREFIX, PREFIX "services/.json", NONE, NULL, 1},
    {PREFIX, PREFIX "requests/", NONE, NULL, 0},
    /* the suffix doubled: the last dot is the format's */
    {PREFIX, PREFIX "services.json.json", NONE, NULL, 1},
    {PREFIX, PREFIX "requests.json.json", NONE, NULL, 1},
    {PREFIX, PREFIX "requests/ABC.json.json", ONE, "ABC.json", 1},
    /* dots in an id are the id's, for the caller to check */
    {PREFIX, PREFIX "requests/A.B.json", ONE, "A.B", 1},
    {PREFIX, PREFIX "requests/..json", ONE, ".", 1},
    {PREFIX, PREFIX "requests/...json", ONE, "..", 1},
    /* slashes in ids, "..", deeper paths */
    {PREFIX, PREFIX "requests/A/B.json", NONE, NULL, 1},
    {PREFIX, PREFIX "requests/../services.json", NONE, NULL, 1},
    {PREFIX, PREFIX "services/../../etc/passwd.json", NONE, NULL, 1},
    {PREFIX, PREFIX "requests//ABC.json", NONE, NULL, 1},
    {PREFIX, PREFIX "requests/ABC/.json", NONE, NULL, 1},
    {PREFIX, PREFIX "x/services.json", NONE, NULL, 1},
    {PREFIX, PREFIX "x/requests/ABC.json", NONE, NULL, 1},
    {PREFIX, PREFIX "/services.json", NONE, NULL, 1},
    /* a path that only begins like the location's: its last segments */
    {PREFIX, "/open311/v2x/services.json", SERVICES, NULL, 1},
    {PREFIX, "/open311/v2", NONE, NULL, 0},
    {PREFIX, "/services.json", SERVICES, NULL, 1},
    /* a regex location: the last segment, and its parent when it is
     * services or requests */
    {REGEX, "/georeport/v2/services.json", SERVICES, NULL, 1},
    {REGEX, "/georeport/v2/services/kesehatan.json", DEFINITION, "kesehatan",
     1},
    {REGEX, "/georeport/v2/requests.json", REQUESTS, NULL, 1},
    {REGEX, "/georeport/v2/requests/ABC.json", ONE, "ABC", 1},
    {REGEX, "/georeport/v2/requests/.json", NONE, NULL, 1},
    {REGEX, "/georeport/v2/requests/A/B.json", NONE, NULL, 1},
    {REGEX, "/georeport/v2/x/services.json", SERVICES, NULL, 1},
    {REGEX, "/georeport/v2/services/requests.json", DEFINITION, "requests", 1},
    {REGEX, "/georeport/v2/requests/services.json", ONE, "services", 1},
    {REGEX, "/georeport/v2/", NONE, NULL, 0},
    {REGEX, "services.json", SERVICES, NULL, 1},
    {REGEX, "requests/ABC.json", ONE, "ABC", 1},
    {REGEX, "/", NONE, NULL, 0},
    /* a regex that ends in "/" is read as a prefix when the path has it */
    {"/v2/", "/v2/requests/ABC.json", ONE, "ABC", 1},
    /* exact locations: no "/" at the end */
    {"/api/services.json", "/api/services.json", SERVICES, NULL, 1},
    {"/api/requests", "/api/requests/ABC.json", ONE, "ABC", 1},
    /* no location name at all */
    {"", "/open311/requests/ABC.json", ONE, "ABC", 1},
    {"", "", NONE, NULL, 0},
};

static int route_exact(const char *loc, size_t loc_len, const char *uri,
                       size_t uri_len, posko_o311_route_t *route) {
    uint8_t *l = dup_exact(loc, loc_len), *u = dup_exact(uri, uri_len);
    int kind = posko_o311_route((const char *)l, loc_len, (const char *)u,
                                uri_len, route);

    /* an id is inside the path, and the caller reads it from there */
    if (route->id != NULL) {
        assert_true(route->id >= (const char *)u &&
                    route->id + route->id_len <= (const char *)u + uri_len);
        route->id = uri + (route->id - (const char *)u);
    }
    free(l);
    free(u);
    return kind;
}

static void test_routes(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        posko_o311_route_t r;
        int kind = route_exact(routes[i].loc, strlen(routes[i].loc),
                               routes[i].uri, strlen(routes[i].uri), &r);
        const char *want = routes[i].id;

        if (kind != routes[i].kind || r.kind != kind ||
            r.json != routes[i].json || (want == NULL) != (r.id == NULL) ||
            (want != NULL &&
             (r.id_len != strlen(want) || memcmp(r.id, want, r.id_len) != 0))) {
            fail_msg("%s under %s: kind %d, json %d, id \"%.*s\"; expected "
                     "kind %d, json %d, id \"%s\"",
                     routes[i].uri, routes[i].loc, kind, r.json, (int)r.id_len,
                     r.id ? r.id : "", routes[i].kind, routes[i].json,
                     want ? want : "");
        }
        if (r.id == NULL) {
            assert_int_equal(r.id_len, 0);
        }
    }
}

/* NUL bytes are bytes like any other */
static void test_nul(void **state) {
    static const char uri[] = PREFIX "requests/A\0B.json";
    posko_o311_route_t r;

    (void)state;
    assert_int_equal(
        route_exact(PREFIX, strlen(PREFIX), uri, sizeof(uri) - 1, &r), ONE);
    assert_int_equal(r.id_len, 3);
    assert_memory_equal(r.id, "A\0B", 3);
    assert_int_equal(route_exact(PREFIX, strlen(PREFIX),
                                 PREFIX "services\0json", strlen(PREFIX) + 13,
                                 &r),
                     NONE);
}

/* very long paths and ids: whole, and nothing read past them */
static void test_long(void **state) {
    size_t n = 1 << 16, pre = strlen(PREFIX) + strlen("requests/");
    char *uri = malloc(pre + n + 5);
    posko_o311_route_t r;

    (void)state;
    assert_non_null(uri);
    memcpy(uri, PREFIX "requests/", pre);
    memset(uri + pre, 'A', n);
    memcpy(uri + pre + n, ".json", 5);
    assert_int_equal(route_exact(PREFIX, strlen(PREFIX), uri, pre + n + 5, &r),
                     ONE);
    assert_int_equal(r.id_len, n);
    assert_true(r.json);

    /* slashes all the way: nothing */
    memset(uri, '/', pre + n + 5);
    assert_int_equal(route_exact(PREFIX, strlen(PREFIX), uri, pre + n + 5, &r),
                     NONE);
    assert_int_equal(route_exact("", 0, uri, pre + n + 5, &r), NONE);
    /* dots all the way */
    memset(uri, '.', pre + n + 5);
    assert_int_equal(route_exact(PREFIX, strlen(PREFIX), uri, pre + n + 5, &r),
                     NONE);
    free(uri);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_long),
    };

    return cmocka_run_group_tests_name("open311_route", tests, NULL, NULL);
}
