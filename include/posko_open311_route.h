/*
 * posko_open311_route.h - what the path of an Open311 request names.
 *
 * Under a posko_open311 location the API's resources are
 *
 *     services.json          the service list
 *     services/CODE.json     one service's definition
 *     requests.json          requests: a new one (POST), or a list
 *     requests/ID.json       one request, by its tracking code
 *
 * read after the location's prefix when the location is a prefix that
 * ends in "/" and the path is longer than it; otherwise (a regex or an
 * exact location) from the path's last segment, with the one before it
 * when that is "services" or "requests".  What ends the path after its
 * last dot is the format: only ".json" is served, and the caller says so.
 * An id is what stands between "services/" or "requests/" and that dot:
 * never empty and never with a "/" in it, but otherwise as sent (dots
 * included); checking it is the caller's business.
 */
#ifndef POSKO_OPEN311_ROUTE_H
#define POSKO_OPEN311_ROUTE_H

#include <stddef.h>

/* What the path names; the module's NGX_HTTP_POSKO_O311_* are the same. */
#define POSKO_O311_NONE 0       /* nothing the API serves */
#define POSKO_O311_SERVICES 1   /* services.json */
#define POSKO_O311_DEFINITION 2 /* services/CODE.json */
#define POSKO_O311_REQUESTS 3   /* requests.json */
#define POSKO_O311_ONE 4        /* requests/ID.json */

typedef struct {
    int kind;       /* POSKO_O311_* */
    const char *id; /* in the path; NULL but for a definition or one */
    size_t id_len;
    int json; /* the path ends in ".json" */
} posko_o311_route_t;

/* Routes uri_len bytes of uri under the location named by loc_len bytes
 * of loc (nginx's name of the location: its prefix, or its regex), into
 * *route.  Returns route->kind. */
int posko_o311_route(const char *loc, size_t loc_len, const char *uri,
                     size_t uri_len, posko_o311_route_t *route);

#endif
