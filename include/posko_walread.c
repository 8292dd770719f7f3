/*
 * posko_walread.c - the WAL segment reader (see posko_walread.h).
 */
#include "posko_walread.h"

void posko_walread_init(posko_walread_t *rd, const uint8_t *buf, size_t size,
                        size_t offset, int finished) {
    posko_wal_segment_t seg;

    rd->buf = buf;
    rd->size = size;
    rd->offset = offset < size ? offset : size;
    rd->seed = posko_wal_seed(&(posko_wal_segment_t){.version = 1});
    if (posko_wal_header_decode(buf, size, &seg) == POSKO_WAL_OK) {
        rd->seed = posko_wal_seed(&seg);
    }
    rd->used = size;
    while (rd->used > rd->offset && buf[rd->used - 1] == 0) {
        rd->used--;
    }
    rd->finished = finished;
    rd->sealed = 0;
}

/* The offset of the next intact record after from, or 0 if none.  A record
 * holds a checksum, so none starts in the zeros that end the file. */
static size_t posko_walread_resync(const posko_walread_t *rd, size_t from) {
    posko_wal_record_t rec;

    for (size_t o = from + 1; o < rd->used; o++) {
        if (posko_wal_record_decode(rd->buf + o, rd->size - o, rd->seed,
                                    &rec) == POSKO_WAL_OK) {
            return o;
        }
    }
    return 0;
}

void posko_walread_next(posko_walread_t *rd, posko_walread_item_t *item) {
    size_t o = rd->offset;
    size_t next;
    int rc;

    item->offset = o;
    item->length = 0;
    item->error = POSKO_WAL_OK;

    if (o >= rd->used) {
        item->kind = POSKO_READ_END; /* possibly zeros not yet written */
        return;
    }

    rc = posko_wal_record_decode(rd->buf + o, rd->size - o, rd->seed,
                                 &item->record);
    if (rc == POSKO_WAL_OK) {
        item->kind = POSKO_READ_RECORD;
        item->length = POSKO_WAL_FRAME_SIZE + item->record.length;
        rd->offset = o + item->length;
        if (item->record.type == POSKO_REC_SEAL) {
            rd->sealed = 1;
        }
        return;
    }

    item->error = rc;
    next = posko_walread_resync(rd, o);
    if (next != 0) {
        item->kind = POSKO_READ_DAMAGED;
        item->length = next - o;
        rd->offset = next;
        return;
    }
    item->length = rd->used - o;
    if (rd->finished || rd->sealed) {
        item->kind = POSKO_READ_DAMAGED;
        rd->offset = rd->used;
        return;
    }
    item->kind = POSKO_READ_TAIL;
}

const char *posko_wal_strerror(int error) {
    switch (error) {
    case POSKO_WAL_OK:
        return "no error";
    case POSKO_WAL_SHORT:
        return "cut short";
    case POSKO_WAL_BAD_CRC:
        return "checksum mismatch";
    case POSKO_WAL_BAD_LEN:
        return "impossible length";
    case POSKO_WAL_BAD_MAGIC:
        return "not a posko WAL segment";
    case POSKO_WAL_BAD_VERSION:
        return "unknown format version";
    case POSKO_WAL_BAD_FIELD:
        return "payload fields do not parse";
    default:
        return "unknown problem";
    }
}
