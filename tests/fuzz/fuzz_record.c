/*
 * fuzz_record.c - libFuzzer target for the record decoder
 * (include/posko_record.c): the first byte is the record type, the rest
 * the payload.  A payload the decoder takes must point only inside
 * itself, and encoding what it read and decoding that again must give the
 * same fields (empty ones, which the encoder leaves out, aside).
 */
#include "posko_record.h"

#include <stdlib.h>
#include <string.h>

static int inside(const uint8_t *p, size_t len, const uint8_t *data,
                  size_t size) {
    return p >= data && len <= size && p - data <= (ptrdiff_t)(size - len);
}

static int same(posko_value_t a, posko_value_t b) {
    int a_set = a.data != NULL && a.len > 0;
    int b_set = b.data != NULL && b.len > 0;

    return a_set == b_set && (!a_set || (a.len == b.len &&
                                         memcmp(a.data, b.data, a.len) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static posko_record_t rec, back;
    const uint8_t *payload = data + (size > 0);
    size_t len = size > 0 ? size - 1 : 0;
    const char *why = NULL;
    uint8_t *buf;
    size_t n, k = 0;

    if (size == 0) {
        return 0;
    }
    if (posko_record_decode(data[0], payload, len, &rec, &why) != 0) {
        if (why == NULL) {
            abort();
        }
        return 0;
    }
    if (rec.nextra > POSKO_RECORD_FIELDS_MAX) {
        abort();
    }
    for (int i = 0; i < POSKO_RECORD_SLOTS; i++) {
        if (rec.slot[i].data != NULL &&
            (i >= posko_record_slots(data[0]) ||
             !inside(rec.slot[i].data, rec.slot[i].len, payload, len))) {
            abort();
        }
    }
    for (size_t e = 0; e < rec.nextra; e++) {
        if (!inside((const uint8_t *)rec.extra[e].name, rec.extra[e].name_len,
                    payload, len) ||
            !inside(rec.extra[e].value.data, rec.extra[e].value.len, payload,
                    len)) {
            abort();
        }
    }

    n = posko_record_size(&rec);
    buf = malloc(n);
    if (buf == NULL || posko_record_encode(buf, &rec) != buf + n ||
        n - POSKO_WAL_FRAME_SIZE > len ||
        posko_record_decode(data[0], buf + POSKO_WAL_FRAME_SIZE,
                            n - POSKO_WAL_FRAME_SIZE, &back, &why) != 0) {
        abort();
    }
    for (int i = 0; i < POSKO_RECORD_SLOTS; i++) {
        if (!same(rec.slot[i], back.slot[i])) {
            abort();
        }
    }
    for (size_t e = 0; e < rec.nextra; e++) {
        if (rec.extra[e].value.len == 0) {
            continue;
        }
        if (k >= back.nextra ||
            back.extra[k].name_len != rec.extra[e].name_len ||
            memcmp(back.extra[k].name, rec.extra[e].name,
                   rec.extra[e].name_len) != 0 ||
            !same(rec.extra[e].value, back.extra[k].value)) {
            abort();
        }
        k++;
    }
    if (k != back.nextra) {
        abort();
    }
    free(buf);
    return 0;
}
