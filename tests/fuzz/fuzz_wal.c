/*
 * fuzz_wal.c - libFuzzer target for the WAL reader: a segment header,
 * then records and their payload fields, over arbitrary bytes, the way
 * `posko ingest` walks a segment.
 */
#include "posko_wal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    posko_wal_segment_t seg;
    size_t off = 0;

    (void)posko_wal_header_decode(data, size, &seg);
    if (size >= POSKO_WAL_HEADER_SIZE) {
        off = POSKO_WAL_HEADER_SIZE;
    }
    while (off < size) {
        posko_wal_record_t rec;
        posko_wal_field_t f;
        const uint8_t *p;

        /* the fuzzer cannot forge CRCs: also walk the bytes as a payload */
        p = data + off;
        while (posko_wal_field_next(&p, data + size, &f) == 1) {
        }
        if (posko_wal_record_decode(data + off, size - off, &rec) !=
            POSKO_WAL_OK) {
            off++;
            continue;
        }
        p = rec.payload;
        while (posko_wal_field_next(&p, rec.payload + rec.length, &f) == 1) {
        }
        off += POSKO_WAL_FRAME_SIZE + rec.length;
    }
    return 0;
}
