/*
 * unit.h - helpers the unit tests share; include it after <cmocka.h>.
 */
#ifndef POSKO_TESTS_UNIT_H
#define POSKO_TESTS_UNIT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A heap copy of exactly len bytes (never NULL, even for len 0), so that
 * the sanitizer build catches any read past what a test hands over. */
static inline uint8_t *dup_exact(const void *s, size_t len) {
    uint8_t *p = malloc(len > 0 ? len : 1);

    assert_non_null(p);
    if (len > 0) {
        memcpy(p, s, len);
    }
    return p;
}

#endif
