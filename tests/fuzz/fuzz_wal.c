/*
 * fuzz_wal.c - libFuzzer target for the WAL reader: a segment header, then
 * the reader's items (records, damage, tails) and each record's payload
 * fields, over arbitrary bytes, live and finished, the way `posko ingest`
 * and `posko wal check` walk a segment.
 */
#include "posko_wal.h"
#include "posko_walread.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    posko_wal_segment_t seg;

    (void)posko_wal_header_decode(data, size, &seg);
    for (int finished = 0; finished <= 1; finished++) {
        posko_walread_t rd;
        posko_walread_item_t it;
        size_t last = 0;

        posko_walread_init(&rd, data, size, POSKO_WAL_HEADER_SIZE, finished);
        for (;;) {
            posko_walread_next(&rd, &it);
            if (it.kind == POSKO_READ_END || it.kind == POSKO_READ_TAIL) {
                break;
            }
            /* items move forward and stay inside the buffer */
            if (it.offset < last || it.length == 0 ||
                it.offset + it.length > size) {
                abort();
            }
            last = it.offset + it.length;
            if (it.kind == POSKO_READ_RECORD) {
                const uint8_t *p = it.record.payload;
                posko_wal_field_t f;

                while (posko_wal_field_next(
                           &p, it.record.payload + it.record.length, &f) == 1) {
                }
            }
        }
    }
    return 0;
}
