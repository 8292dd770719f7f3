/*
 * fuzz_isotime.c - libFuzzer target for the ISO 8601 times of Open311's
 * date arguments: any input is refused (with the time 0) or read without
 * reading past it, and a time taken is its date's midnight moved by at
 * most a day and the largest offset, never before 1970.
 */
#include "posko_isotime.h"

#include <stdlib.h>
#include <string.h>

#define POSKO_FUZZ_ZONE_MAX (14 * 3600 + 59 * 60)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *copy = malloc(size ? size : 1);
    int64_t t = -1, day = -1;
    int rc;

    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data, size); /* exactly size bytes: ASan sees overreads */
    rc = posko_isotime_parse(copy, size, &t);
    if (rc != 0 && (rc != -1 || t != 0)) {
        abort();
    }
    if (rc == 0) {
        /* the date alone is a time too, and the rest moves it so far */
        if (size < 10 || posko_isotime_parse(copy, 10, &day) != 0 || t < 0 ||
            t < day - POSKO_FUZZ_ZONE_MAX ||
            t > day + 86400 + POSKO_FUZZ_ZONE_MAX ||
            day > posko_days_from_civil(10000, 1, 1) * 86400) {
            abort();
        }
    }
    free(copy);
    return 0;
}
