/*
 * posko_wal.c - encoding and decoding of WAL segment headers, record
 * frames and payload fields.  Pure functions over byte buffers: the
 * module does the writing and fsync, `posko ingest` the reading.
 *
 * Header layout (128 bytes):
 *    0  8  magic "POSKOWAL"
 *    8  4  format version
 *   12  4  header size (128)
 *   16  8  sequence number of this segment for its writer
 *   24  8  creation time, unix microseconds
 *   32  4  writer process id
 *   36  4  reserved, zero
 *   40  8  writer start time, unix microseconds
 *   48 64  node id, NUL padded
 *  112  8  salt, random (version 2; zero in version 1)
 *  120  4  reserved, zero
 *  124  4  CRC32C of bytes 0..123
 *
 * Record frame (12 bytes, then the payload):
 *    0  4  CRC32C of the salt's 8 bytes, then bytes 4 .. 12+length
 *          (version 1: of bytes 4 .. 12+length alone)
 *    4  4  payload length
 *    8  1  record type
 *    9  3  reserved, zero
 *
 * Payload field: 1 byte name length, name, 4 bytes value length, value.
 */
#include "posko_wal.h"

#include <isa-l/crc.h>
#include <string.h>

/* ISA-L's crc32_iscsi keeps the raw register: the standard CRC32C starts
 * from all ones and inverts at the end.  This continues a raw register. */
static uint32_t posko_crc32c_raw(uint32_t crc, const void *data, size_t len) {
    const unsigned char *p = data;

    while (len > 0) {
        int chunk = len > 0x40000000 ? 0x40000000 : (int)len;
        crc = crc32_iscsi((unsigned char *)p, chunk, crc);
        p += chunk;
        len -= (size_t)chunk;
    }
    return crc;
}

uint32_t posko_crc32c(const void *data, size_t len) {
    return ~posko_crc32c_raw(0xffffffffu, data, len);
}

uint32_t posko_wal_seed(const posko_wal_segment_t *seg) {
    uint8_t salt[8];

    if (seg->version == 1) {
        return 0xffffffffu;
    }
    posko_put_u64(salt, seg->salt);
    return posko_crc32c_raw(0xffffffffu, salt, sizeof(salt));
}

static uint32_t posko_wal_frame_sum(const uint8_t *rec, uint32_t payload_len,
                                    uint32_t seed) {
    return ~posko_crc32c_raw(seed, rec + 4, 8 + (size_t)payload_len);
}

void posko_wal_header_encode(uint8_t out[POSKO_WAL_HEADER_SIZE],
                             const posko_wal_segment_t *seg) {
    size_t node_len = strnlen(seg->node, POSKO_WAL_NODE_MAX);

    memset(out, 0, POSKO_WAL_HEADER_SIZE);
    memcpy(out, POSKO_WAL_MAGIC, POSKO_WAL_MAGIC_SIZE);
    posko_put_u32(out + 8, POSKO_WAL_VERSION);
    posko_put_u32(out + 12, POSKO_WAL_HEADER_SIZE);
    posko_put_u64(out + 16, seg->sequence);
    posko_put_u64(out + 24, seg->created_us);
    posko_put_u32(out + 32, seg->writer_pid);
    posko_put_u64(out + 40, seg->writer_start);
    memcpy(out + 48, seg->node, node_len);
    posko_put_u64(out + 112, seg->salt);
    posko_put_u32(out + 124, posko_crc32c(out, 124));
}

int posko_wal_header_decode(const uint8_t *in, size_t len,
                            posko_wal_segment_t *seg) {
    if (len < POSKO_WAL_HEADER_SIZE) {
        return POSKO_WAL_SHORT;
    }
    if (memcmp(in, POSKO_WAL_MAGIC, POSKO_WAL_MAGIC_SIZE) != 0) {
        return POSKO_WAL_BAD_MAGIC;
    }
    if (posko_get_u32(in + 124) != posko_crc32c(in, 124)) {
        return POSKO_WAL_BAD_CRC;
    }
    seg->version = posko_get_u32(in + 8);
    if (seg->version < POSKO_WAL_VERSION_MIN ||
        seg->version > POSKO_WAL_VERSION ||
        posko_get_u32(in + 12) != POSKO_WAL_HEADER_SIZE) {
        return POSKO_WAL_BAD_VERSION;
    }
    seg->sequence = posko_get_u64(in + 16);
    seg->created_us = posko_get_u64(in + 24);
    seg->writer_pid = posko_get_u32(in + 32);
    seg->writer_start = posko_get_u64(in + 40);
    seg->salt = seg->version >= 2 ? posko_get_u64(in + 112) : 0;
    memcpy(seg->node, in + 48, POSKO_WAL_NODE_MAX);
    seg->node[POSKO_WAL_NODE_MAX] = '\0';
    return POSKO_WAL_OK;
}

size_t posko_wal_field_size(size_t name_len, size_t value_len) {
    return 1 + name_len + 4 + value_len;
}

uint8_t *posko_wal_field_put(uint8_t *p, const char *name, size_t name_len,
                             const void *value, size_t value_len) {
    *p++ = (uint8_t)name_len;
    memcpy(p, name, name_len);
    p += name_len;
    posko_put_u32(p, (uint32_t)value_len);
    p += 4;
    if (value_len > 0) {
        memcpy(p, value, value_len);
    }
    return p + value_len;
}

void posko_wal_frame_unsummed(uint8_t *rec, uint8_t type,
                              uint32_t payload_len) {
    posko_put_u32(rec, 0);
    posko_put_u32(rec + 4, payload_len);
    rec[8] = type;
    rec[9] = rec[10] = rec[11] = 0;
}

void posko_wal_frame(uint8_t *rec, uint8_t type, uint32_t payload_len,
                     uint32_t seed) {
    posko_wal_frame_unsummed(rec, type, payload_len);
    posko_put_u32(rec, posko_wal_frame_sum(rec, payload_len, seed));
}

void posko_wal_checksum(uint8_t *buf, size_t len, uint32_t seed) {
    size_t o = 0;

    while (len - o >= POSKO_WAL_FRAME_SIZE) {
        uint32_t payload_len = posko_get_u32(buf + o + 4);

        if (len - o - POSKO_WAL_FRAME_SIZE < payload_len) {
            break; /* never: the writer only hands over whole frames */
        }
        posko_put_u32(buf + o, posko_wal_frame_sum(buf + o, payload_len, seed));
        o += POSKO_WAL_FRAME_SIZE + payload_len;
    }
}

int posko_wal_record_decode(const uint8_t *buf, size_t avail, uint32_t seed,
                            posko_wal_record_t *out) {
    uint32_t len;

    if (avail < POSKO_WAL_FRAME_SIZE) {
        return POSKO_WAL_SHORT;
    }
    len = posko_get_u32(buf + 4);
    if (len > POSKO_WAL_PAYLOAD_MAX) {
        return POSKO_WAL_BAD_LEN;
    }
    if (avail - POSKO_WAL_FRAME_SIZE < len) {
        return POSKO_WAL_SHORT;
    }
    if (posko_get_u32(buf) != posko_wal_frame_sum(buf, len, seed)) {
        return POSKO_WAL_BAD_CRC;
    }
    out->type = buf[8];
    out->length = len;
    out->payload = buf + POSKO_WAL_FRAME_SIZE;
    return POSKO_WAL_OK;
}

int posko_wal_field_next(const uint8_t **p, const uint8_t *end,
                         posko_wal_field_t *f) {
    const uint8_t *q = *p;
    size_t name_len, value_len;

    if (q == end) {
        return 0;
    }
    name_len = *q++;
    if (name_len == 0 || (size_t)(end - q) < name_len + 4) {
        return -1;
    }
    f->name = (const char *)q;
    f->name_len = name_len;
    q += name_len;
    value_len = posko_get_u32(q);
    q += 4;
    if ((size_t)(end - q) < value_len) {
        return -1;
    }
    f->value = q;
    f->value_len = value_len;
    *p = q + value_len;
    return 1;
}
