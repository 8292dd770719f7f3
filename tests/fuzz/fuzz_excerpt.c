/*
 * fuzz_excerpt.c - libFuzzer target for posko_excerpt: whatever a pilgrim
 * typed (any bytes, though the module only lets valid UTF-8 through), the
 * excerpt fits its buffer, ends in a NUL, never shows a run of six digits
 * or an '@', and, from valid UTF-8, is valid UTF-8 itself.
 */
#include "posko_excerpt.h"
#include "posko_form.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char out[200];
    size_t max = size > 0 ? 16 + data[0] % (sizeof(out) - 16) : sizeof(out);
    size_t len, digits = 0;

    memset(out, 'x', sizeof(out));
    posko_excerpt((const char *)data, size, out, max);
    len = strnlen(out, sizeof(out));
    if (len >= max) {
        abort(); /* no NUL within max bytes */
    }
    for (size_t i = 0; i < len; i++) {
        if (out[i] == '@' || out[i] == '\n') {
            abort();
        }
        digits = out[i] >= '0' && out[i] <= '9' ? digits + 1 : 0;
        if (digits >= 6) {
            abort();
        }
    }
    if (posko_utf8_chars(data, size) >= 0 &&
        posko_utf8_chars((const uint8_t *)out, len) < 0) {
        abort();
    }
    return 0;
}
