/*
 * posko_walread.h - reading a WAL segment that is already in memory, item
 * by item: intact records, damaged stretches and an unfinished tail.
 *
 * `posko ingest` loads what this returns and `posko wal check` reports it;
 * both get the same answer for the same bytes.  The rules are those of
 * docs/wal-format.md:
 *
 *   - an intact record (enough bytes, checksum right) is a record;
 *   - zeros from a record boundary to the end of the file are space the
 *     writer set aside and has not used yet: the end, for now;
 *   - anything else starts damage, which runs to the next intact record;
 *   - damage with no intact record after it is an unfinished tail while
 *     the segment may still grow, and damage once it cannot (it ends in a
 *     seal record, or its writer has moved on to a newer segment).
 *
 * Text from pilgrims can never hold an intact frame: a frame's length has
 * zero bytes in it and the form refuses NUL, so the search for the next
 * record cannot be fooled by what people type.
 */
#ifndef POSKO_WALREAD_H
#define POSKO_WALREAD_H

#include "posko_wal.h"

#include <stddef.h>
#include <stdint.h>

typedef enum {
    POSKO_READ_RECORD,  /* item.record is an intact record */
    POSKO_READ_DAMAGED, /* item.offset .. + item.length is damaged */
    POSKO_READ_TAIL,    /* an unfinished tail from item.offset; stop */
    POSKO_READ_END      /* nothing more */
} posko_read_kind_t;

typedef struct {
    const uint8_t *buf;
    size_t size;
    size_t used; /* size less the zeros that end the file */
    uint32_t seed;
    size_t offset;
    int finished; /* the segment will not grow */
    int sealed;   /* a seal record was read */
} posko_walread_t;

typedef struct {
    posko_read_kind_t kind;
    size_t offset;
    size_t length; /* bytes the item covers */
    int error;     /* for damage and tails: the first POSKO_WAL_* problem */
    posko_wal_record_t record;
} posko_walread_item_t;

/* Starts reading buf (size bytes: the whole segment, header first) at
 * offset, which is past the header. */
void posko_walread_init(posko_walread_t *rd, const uint8_t *buf, size_t size,
                        size_t offset, int finished);

/* The next item.  After POSKO_READ_TAIL and POSKO_READ_END, the reader
 * stays where it is: rd->offset is how far the segment was read. */
void posko_walread_next(posko_walread_t *rd, posko_walread_item_t *item);

/* A short English description of a POSKO_WAL_* problem. */
const char *posko_wal_strerror(int error);

#endif
