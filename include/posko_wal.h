/*
 * posko_wal.h - the on-disk format of posko's write-ahead log.
 *
 * The nginx module writes it and `posko ingest` reads it; both take the
 * layout from here so that the two can never disagree.  docs/wal-format.md
 * explains the format in prose: read that first.
 *
 * A WAL directory holds segment files.  Each segment starts with a fixed
 * 128-byte header naming its node, its writer (process id and start time),
 * its sequence number and a random salt, followed by records.  Each record
 * is a 12-byte frame header (CRC32C, payload length, type) and a payload
 * made of name/value fields.  A record's checksum starts from the salt, so
 * bytes that were never written as a record of this very segment (zeros
 * of preallocated space, another file's old bytes) cannot pass for one.
 * All integers are little-endian.
 *
 * This file has no dependency on nginx or SQLite.
 */
#ifndef POSKO_WAL_H
#define POSKO_WAL_H

#include <stddef.h>
#include <stdint.h>

#define POSKO_WAL_MAGIC "POSKOWAL"
#define POSKO_WAL_MAGIC_SIZE 8
#define POSKO_WAL_VERSION 2    /* written; 1 is still read */
#define POSKO_WAL_VERSION_MIN 1
#define POSKO_WAL_HEADER_SIZE 128
#define POSKO_WAL_NODE_MAX 63
#define POSKO_WAL_SUFFIX ".wal"

#define POSKO_WAL_FRAME_SIZE 12
#define POSKO_WAL_PAYLOAD_MAX (1024 * 1024)

/* Record types. */
#define POSKO_REC_SUBMISSION 1 /* a new criticism, suggestion, ... */
#define POSKO_REC_FOLLOWUP 2   /* an officer's event (posko_followup) */
#define POSKO_REC_SEAL 3       /* empty: the writer closed this segment */
#define POSKO_REC_FEEDBACK 4   /* a pilgrim's answer to a solved complaint */

/* Results of decoding. */
#define POSKO_WAL_OK 0
#define POSKO_WAL_SHORT 1   /* fewer bytes than the frame announces */
#define POSKO_WAL_BAD_CRC 2 /* checksum mismatch: bytes were damaged */
#define POSKO_WAL_BAD_LEN 3 /* length beyond POSKO_WAL_PAYLOAD_MAX */
#define POSKO_WAL_BAD_MAGIC 4
#define POSKO_WAL_BAD_VERSION 5
#define POSKO_WAL_BAD_FIELD 6 /* payload fields do not parse */

typedef struct {
    uint32_t version;
    uint64_t sequence;     /* 1, 2, ... per writer */
    uint64_t created_us;   /* unix time in microseconds */
    uint32_t writer_pid;   /* process id of the writing nginx worker */
    uint64_t writer_start; /* that process's start, unix microseconds */
    char node[POSKO_WAL_NODE_MAX + 1];
    uint64_t salt; /* random per segment; 0 in version 1 */
} posko_wal_segment_t;

typedef struct {
    uint8_t type;
    uint32_t length;        /* payload bytes */
    const uint8_t *payload; /* points into the caller's buffer */
} posko_wal_record_t;

typedef struct {
    const char *name;
    size_t name_len;
    const uint8_t *value;
    size_t value_len;
} posko_wal_field_t;

/* CRC32C (Castagnoli) of a buffer, the standard definition. */
uint32_t posko_crc32c(const void *data, size_t len);

/* The checksum state every record frame of a segment starts from: CRC32C
 * after the segment's salt (version 2), or the plain start (version 1). */
uint32_t posko_wal_seed(const posko_wal_segment_t *seg);

void posko_wal_header_encode(uint8_t out[POSKO_WAL_HEADER_SIZE],
                             const posko_wal_segment_t *seg);
int posko_wal_header_decode(const uint8_t *in, size_t len,
                            posko_wal_segment_t *seg);

/* Bytes one field takes inside a payload. */
size_t posko_wal_field_size(size_t name_len, size_t value_len);

/* Writes one field at p and returns the byte after it.
 * name_len must be 1..255. */
uint8_t *posko_wal_field_put(uint8_t *p, const char *name, size_t name_len,
                             const void *value, size_t value_len);

/* Fills the frame header in front of a payload that is already in place
 * at rec + POSKO_WAL_FRAME_SIZE, checksum included. */
void posko_wal_frame(uint8_t *rec, uint8_t type, uint32_t payload_len,
                     uint32_t seed);

/* The same without the checksum, for records built before it is known
 * which segment they go to; posko_wal_checksum() adds it later. */
void posko_wal_frame_unsummed(uint8_t *rec, uint8_t type,
                              uint32_t payload_len);

/* Fills in the checksums of len bytes of consecutive unsummed frames, for
 * the segment whose seed is given. */
void posko_wal_checksum(uint8_t *buf, size_t len, uint32_t seed);

/* Checks the record at buf (avail bytes readable) against the segment's
 * seed.  On POSKO_WAL_OK, out describes it and the record takes
 * POSKO_WAL_FRAME_SIZE + out->length bytes. */
int posko_wal_record_decode(const uint8_t *buf, size_t avail, uint32_t seed,
                            posko_wal_record_t *out);

/* Steps through the fields of a payload.  Returns 1 with *f filled,
 * 0 at the end, -1 when the payload is malformed. */
int posko_wal_field_next(const uint8_t **p, const uint8_t *end,
                         posko_wal_field_t *f);

/* Little-endian helpers shared by writer and reader. */
static inline void posko_put_u32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t posko_get_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline void posko_put_u64(uint8_t *p, uint64_t v) {
    posko_put_u32(p, (uint32_t)v);
    posko_put_u32(p + 4, (uint32_t)(v >> 32));
}

static inline uint64_t posko_get_u64(const uint8_t *p) {
    return (uint64_t)posko_get_u32(p) | (uint64_t)posko_get_u32(p + 4) << 32;
}

#endif
