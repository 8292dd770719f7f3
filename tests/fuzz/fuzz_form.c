/*
 * fuzz_form.c - libFuzzer target for the form body parser: pair
 * splitting, percent-decoding, UTF-8 checking and every field's rules,
 * run over arbitrary bytes the way the module runs them.
 */
#include "posko_form.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *p = data, *end = data + size;
    const uint8_t *name, *value;
    size_t name_len, value_len;
    uint8_t *buf = malloc(size + 1);

    if (buf == NULL) {
        return 0;
    }
    while (
        posko_form_next_pair(&p, end, &name, &name_len, &value, &value_len)) {
        long n = posko_urldecode(buf, name, name_len);
        int f;

        if (n < 0) {
            continue;
        }
        f = posko_field_find((const char *)buf, (size_t)n);
        n = posko_urldecode(buf, value, value_len);
        if (n < 0 || f < 0) {
            continue;
        }
        (void)posko_field_check(&posko_fields[f], buf, (size_t)n);
        (void)posko_utf8_chars(buf, (size_t)n);
    }
    free(buf);
    return 0;
}
