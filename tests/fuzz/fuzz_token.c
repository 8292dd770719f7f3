/*
 * fuzz_token.c - libFuzzer target for checking follow-up form tokens: any
 * input is refused or accepted without reading past it, and only a token
 * that posko_token_make() would write for that code is ever accepted.
 */
#include "posko_token.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const unsigned char secret[POSKO_SECRET_LEN] = "posko fuzz secret, 32 bytes long";
    static const char kode[] = "A1B2-C3D4-E5F6";
    char *copy = malloc(size ? size : 1), made[POSKO_TOKEN_MAX];
    int rc;

    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data, size); /* exactly size bytes: ASan sees overreads */
    rc = posko_token_check(secret, sizeof(secret), kode, copy, size, 0);
    if (rc != POSKO_TOKEN_BAD) {
        long long expires = strtoll(copy, NULL, 10);

        if (posko_token_make(secret, sizeof(secret), kode, expires, made) != 0 ||
            strlen(made) != size || memcmp(made, copy, size) != 0) {
            abort();
        }
    }
    free(copy);
    return 0;
}
