/*
 * fuzz_followup.c - libFuzzer target for the follow-up form's "kembali":
 * any input is taken or refused without reading past it, and what is
 * taken is a path on this site that goes into a Location header and a
 * page as it is.
 */
#include "posko_followup.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *copy = malloc(size ? size : 1);

    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data, size); /* exactly size bytes: ASan sees overreads */
    if (posko_followup_back_ok(copy, size)) {
        if (size == 0 || size > POSKO_BACK_MAX || copy[0] != '/' ||
            (size > 1 && copy[1] == '/')) {
            abort();
        }
        for (size_t i = 0; i < size; i++) {
            if (data[i] < 0x21 || data[i] > 0x7e ||
                strchr("\\\"<>", data[i]) != NULL) {
                abort();
            }
        }
    }
    free(copy);
    return 0;
}
