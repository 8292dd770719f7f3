/*
 * fuzz_kode.c - libFuzzer target for reading typed tracking codes: any
 * input either fails cleanly or normalizes to a code that reads back as
 * itself.
 */
#include "posko_kode.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char out[POSKO_KODE_LEN + 1], again[POSKO_KODE_LEN + 1];

    if (posko_kode_normalize((const char *)data, size, out) == POSKO_KODE_OK) {
        if (posko_kode_normalize(out, strlen(out), again) != POSKO_KODE_OK ||
            strcmp(out, again) != 0) {
            abort();
        }
    }
    return 0;
}
