/*
 * test_wal.c - unit tests for the write-ahead log format
 * (include/posko_wal.c): CRC32C against published check values, segment
 * headers (byte layout, encode/decode round trip, and refusal of short,
 * foreign, damaged or future-version headers), record framing (round trip,
 * every truncation, every single-bit flip, oversized lengths) and the
 * payload fields (round trip and malformed payloads).
 *
 * Damage is tried exhaustively: all 1024 bits of a header and every bit of
 * a ~200-byte record.  Buffers handed to the decoders are heap blocks of
 * exactly the bytes said to be available, so the sanitizer build catches
 * any read past them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "posko_wal.h"
#include "unit.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* -- CRC32C ----------------------------------------------------------- */

static void test_crc32c_vectors(void **state) {
    uint8_t buf[32];

    (void)state;
    assert_int_equal(posko_crc32c("123456789", 9), 0xE3069283u);
    assert_int_equal(posko_crc32c("", 0), 0);
    assert_int_equal(posko_crc32c(NULL, 0), 0);
    assert_int_equal(posko_crc32c("a", 1), 0xC1D04330u);
    /* RFC 3720, appendix B.4 */
    memset(buf, 0, sizeof(buf));
    assert_int_equal(posko_crc32c(buf, 32), 0x8A9136AAu);
    memset(buf, 0xFF, sizeof(buf));
    assert_int_equal(posko_crc32c(buf, 32), 0x62A8AB43u);
    for (int i = 0; i < 32; i++) {
        buf[i] = (uint8_t)i;
    }
    assert_int_equal(posko_crc32c(buf, 32), 0x46DD794Eu);
    for (int i = 0; i < 32; i++) {
        buf[i] = (uint8_t)(31 - i);
    }
    assert_int_equal(posko_crc32c(buf, 32), 0x113FDB5Cu);
}

/* A plain bitwise CRC32C, to compare on lengths ISA-L treats specially. */
static uint32_t ref_crc32c(const uint8_t *p, size_t len) {
    uint32_t crc = 0xFFFFFFFFu;

    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
        }
    }
    return ~crc;
}

static void test_crc32c_against_reference(void **state) {
    enum { MAX = 1100 };
    uint8_t *buf = malloc(MAX);
    uint64_t x = 0x9E3779B97F4A7C15u;

    (void)state;
    assert_non_null(buf);
    for (size_t i = 0; i < MAX; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        buf[i] = (uint8_t)x;
    }
    for (size_t len = 0; len <= MAX; len++) {
        /* every length, and every start alignment for the short ones */
        size_t starts = len < 64 ? 16 : 1;

        for (size_t s = 0; s < starts && s + len <= MAX; s++) {
            assert_int_equal(posko_crc32c(buf + s, len),
                             ref_crc32c(buf + s, len));
        }
    }
    free(buf);
}

/* -- segment headers -------------------------------------------------- */

static const posko_wal_segment_t segments[] = {
    {1, 1, UINT64_C(1748736000000000), 4242, UINT64_C(1748735999123456),
     "makkah-1", 1},
    {1, UINT64_MAX, UINT64_MAX, UINT32_MAX, UINT64_MAX,
     "posko.madinah.kemenag.go.id", 0},
    {1, 0, 0, 0, 0, "", 0},
    {1, UINT64_C(0x0102030405060708), UINT64_C(0x1112131415161718), 0x21222324u,
     UINT64_C(0x3132333435363738),
     /* 63 characters: the longest node */
     "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_",
     UINT64_C(0x4142434445464748)},
    {1, 7, 8, 9, 10, "\xD9\x85\xD9\x83\xD8\xA9", 2}, /* UTF-8 node name */
    {2, 3, 4, 5, 6, "salted", UINT64_C(0x8877665544332211)},
    {2, 3, 4, 5, 6, "salted", UINT64_MAX},
};

/* The checksum seed of the records in these tests: a salted segment's. */
static uint32_t seed(void) {
    return posko_wal_seed(&segments[5]);
}

static void check_layout(const uint8_t *h, const posko_wal_segment_t *seg) {
    size_t node_len = strlen(seg->node);

    assert_memory_equal(h, "POSKOWAL", 8);
    assert_int_equal(posko_get_u32(h + 8), POSKO_WAL_VERSION);
    assert_int_equal(posko_get_u32(h + 12), POSKO_WAL_HEADER_SIZE);
    assert_true(posko_get_u64(h + 16) == seg->sequence);
    assert_true(posko_get_u64(h + 24) == seg->created_us);
    assert_int_equal(posko_get_u32(h + 32), seg->writer_pid);
    assert_int_equal(posko_get_u32(h + 36), 0); /* reserved */
    assert_true(posko_get_u64(h + 40) == seg->writer_start);
    assert_memory_equal(h + 48, seg->node, node_len);
    for (size_t i = 48 + node_len; i < 112; i++) {
        assert_int_equal(h[i], 0); /* NUL padding */
    }
    assert_true(posko_get_u64(h + 112) == seg->salt);
    assert_int_equal(posko_get_u32(h + 120), 0); /* reserved */
    assert_int_equal(posko_get_u32(h + 124), posko_crc32c(h, 124));
}

static void test_header_roundtrip(void **state) {
    (void)state;
    for (size_t k = 0; k < N_ELEMS(segments); k++) {
        uint8_t h[POSKO_WAL_HEADER_SIZE];
        posko_wal_segment_t got;
        uint8_t *exact;

        memset(h, 0xAA, sizeof(h));
        posko_wal_header_encode(h, &segments[k]);
        check_layout(h, &segments[k]);

        exact = dup_exact(h, sizeof(h));
        memset(&got, 0x55, sizeof(got));
        assert_int_equal(posko_wal_header_decode(exact, sizeof(h), &got),
                         POSKO_WAL_OK);
        assert_int_equal(got.version, POSKO_WAL_VERSION);
        assert_true(got.sequence == segments[k].sequence);
        assert_true(got.created_us == segments[k].created_us);
        assert_int_equal(got.writer_pid, segments[k].writer_pid);
        assert_true(got.writer_start == segments[k].writer_start);
        assert_string_equal(got.node, segments[k].node);
        assert_true(got.salt == segments[k].salt);
        free(exact);
    }
}

/* A version 1 segment (no salt) is still read: its records' checksums
 * start from the plain CRC32C start. */
static void test_header_version1(void **state) {
    uint8_t h[POSKO_WAL_HEADER_SIZE], rec[64];
    posko_wal_segment_t got;
    posko_wal_record_t r;

    (void)state;
    posko_wal_header_encode(h, &segments[5]);
    posko_put_u32(h + 8, 1);
    posko_put_u32(h + 124, posko_crc32c(h, 124));
    assert_int_equal(posko_wal_header_decode(h, sizeof(h), &got),
                     POSKO_WAL_OK);
    assert_int_equal(got.version, 1);
    assert_true(got.salt == 0); /* bytes 112..119 were reserved in 1 */
    assert_int_equal(posko_wal_seed(&got), 0xFFFFFFFFu);

    /* a version 1 frame: CRC32C of bytes 4.. alone */
    memset(rec, 'x', sizeof(rec));
    posko_put_u32(rec + 4, 20);
    rec[8] = POSKO_REC_SUBMISSION;
    rec[9] = rec[10] = rec[11] = 0;
    posko_put_u32(rec, posko_crc32c(rec + 4, 8 + 20));
    assert_int_equal(posko_wal_record_decode(rec, 32, posko_wal_seed(&got), &r),
                     POSKO_WAL_OK);
    assert_int_equal(posko_wal_record_decode(rec, 32, seed(), &r),
                     POSKO_WAL_BAD_CRC);
}

/* A record only validates in the segment it was written for: another
 * salt, or the plain start, fails it; and an all-zero frame never passes
 * whatever the salt. */
static void test_record_salt(void **state) {
    uint8_t rec[POSKO_WAL_FRAME_SIZE + 16], zeros[POSKO_WAL_FRAME_SIZE];
    posko_wal_record_t r;
    uint32_t a = posko_wal_seed(&segments[5]);
    uint32_t b = posko_wal_seed(&segments[6]);

    (void)state;
    assert_int_not_equal(a, b);
    memset(rec, 'k', sizeof(rec));
    posko_wal_frame(rec, POSKO_REC_SUBMISSION, 16, a);
    assert_int_equal(posko_wal_record_decode(rec, sizeof(rec), a, &r),
                     POSKO_WAL_OK);
    assert_int_equal(posko_wal_record_decode(rec, sizeof(rec), b, &r),
                     POSKO_WAL_BAD_CRC);
    assert_int_equal(posko_wal_record_decode(rec, sizeof(rec), 0xFFFFFFFFu, &r),
                     POSKO_WAL_BAD_CRC);

    memset(zeros, 0, sizeof(zeros));
    for (size_t k = 0; k < N_ELEMS(segments); k++) {
        posko_wal_segment_t seg = segments[k];

        seg.version = 2;
        assert_int_equal(posko_wal_record_decode(zeros, sizeof(zeros),
                                                 posko_wal_seed(&seg), &r),
                         POSKO_WAL_BAD_CRC);
    }
}

/* Frames built without a checksum and summed as one batch later are the
 * same bytes as frames summed one by one. */
static void test_record_batch_checksum(void **state) {
    uint8_t one[600], batch[600];
    size_t o = 0;
    static const uint32_t lens[] = {0, 1, 13, 200, 7, 300};

    (void)state;
    memset(one, 0, sizeof(one));
    for (size_t k = 0; k < N_ELEMS(lens); k++) {
        memset(one + o + POSKO_WAL_FRAME_SIZE, 'a' + (int)k, lens[k]);
        posko_wal_frame(one + o, POSKO_REC_SUBMISSION, lens[k], seed());
        o += POSKO_WAL_FRAME_SIZE + lens[k];
    }
    memcpy(batch, one, o);
    for (size_t p = 0; p < o;) {
        uint32_t len = posko_get_u32(batch + p + 4);

        posko_wal_frame_unsummed(batch + p, POSKO_REC_SUBMISSION, len);
        assert_int_equal(posko_get_u32(batch + p), 0);
        p += POSKO_WAL_FRAME_SIZE + len;
    }
    posko_wal_checksum(batch, o, seed());
    assert_memory_equal(batch, one, o);
}

/* Encoding is a pure function of the segment: same input, same bytes. */
static void test_header_deterministic(void **state) {
    uint8_t a[POSKO_WAL_HEADER_SIZE], b[POSKO_WAL_HEADER_SIZE];
    posko_wal_segment_t seg = segments[0];

    (void)state;
    memset(a, 0x00, sizeof(a));
    memset(b, 0xFF, sizeof(b));
    posko_wal_header_encode(a, &seg);
    posko_wal_header_encode(b, &seg);
    assert_memory_equal(a, b, sizeof(a));
    /* version in the struct is not what is written: the format's is */
    seg.version = 99;
    posko_wal_header_encode(b, &seg);
    assert_memory_equal(a, b, sizeof(a));
}

/* A node that fills the whole array, with no NUL, is cut to the maximum. */
static void test_header_node_too_long(void **state) {
    uint8_t h[POSKO_WAL_HEADER_SIZE];
    posko_wal_segment_t seg = segments[0], got;

    (void)state;
    memset(seg.node, 'n', sizeof(seg.node));
    posko_wal_header_encode(h, &seg);
    assert_int_equal(h[48 + POSKO_WAL_NODE_MAX], 0);
    assert_int_equal(posko_wal_header_decode(h, sizeof(h), &got), POSKO_WAL_OK);
    assert_int_equal(strlen(got.node), POSKO_WAL_NODE_MAX);
    for (size_t i = 0; i < POSKO_WAL_NODE_MAX; i++) {
        assert_int_equal(got.node[i], 'n');
    }
}

/* Records after the header do not disturb it. */
static void test_header_longer_buffer(void **state) {
    uint8_t buf[POSKO_WAL_HEADER_SIZE + 64];
    posko_wal_segment_t got;

    (void)state;
    memset(buf, 0xEE, sizeof(buf));
    posko_wal_header_encode(buf, &segments[1]);
    assert_int_equal(posko_wal_header_decode(buf, sizeof(buf), &got),
                     POSKO_WAL_OK);
    assert_string_equal(got.node, segments[1].node);
}

static void test_header_short(void **state) {
    uint8_t h[POSKO_WAL_HEADER_SIZE];
    posko_wal_segment_t got;

    (void)state;
    posko_wal_header_encode(h, &segments[0]);
    for (size_t len = 0; len < POSKO_WAL_HEADER_SIZE; len++) {
        uint8_t *exact = dup_exact(h, len);

        assert_int_equal(posko_wal_header_decode(exact, len, &got),
                         POSKO_WAL_SHORT);
        free(exact);
    }
}

static void test_header_bad_magic(void **state) {
    static const char *const magics[] = {
        "POSKOWAM", "poskowal", "\0\0\0\0\0\0\0\0", "SQLite f", "POSKOWA\0",
    };

    (void)state;
    for (size_t k = 0; k < N_ELEMS(magics); k++) {
        uint8_t h[POSKO_WAL_HEADER_SIZE];
        posko_wal_segment_t got;

        posko_wal_header_encode(h, &segments[0]);
        memcpy(h, magics[k], 8);
        posko_put_u32(h + 124, posko_crc32c(h, 124)); /* CRC made right */
        assert_int_equal(posko_wal_header_decode(h, sizeof(h), &got),
                         POSKO_WAL_BAD_MAGIC);
    }
}

static void test_header_every_bit_flip(void **state) {
    uint8_t h[POSKO_WAL_HEADER_SIZE];

    (void)state;
    posko_wal_header_encode(h, &segments[3]);
    for (size_t bit = 0; bit < 8 * POSKO_WAL_HEADER_SIZE; bit++) {
        posko_wal_segment_t got;
        int rc;

        h[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        rc = posko_wal_header_decode(h, sizeof(h), &got);
        h[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        if (rc == POSKO_WAL_OK) {
            fail_msg("flipped bit %zu accepted", bit);
        }
        if (bit < 8 * POSKO_WAL_MAGIC_SIZE) {
            assert_int_equal(rc, POSKO_WAL_BAD_MAGIC);
        } else if (rc != POSKO_WAL_BAD_CRC && rc != POSKO_WAL_BAD_VERSION) {
            fail_msg("flipped bit %zu: result %d", bit, rc);
        }
    }
    {
        posko_wal_segment_t got;

        assert_int_equal(posko_wal_header_decode(h, sizeof(h), &got),
                         POSKO_WAL_OK);
    }
}

static void test_header_bad_version(void **state) {
    static const struct {
        uint32_t version, size;
    } cases[] = {
        {POSKO_WAL_VERSION + 1, POSKO_WAL_HEADER_SIZE},
        {0, POSKO_WAL_HEADER_SIZE},
        {UINT32_MAX, POSKO_WAL_HEADER_SIZE},
        {0x01000000u, POSKO_WAL_HEADER_SIZE}, /* big-endian 1 */
        {POSKO_WAL_VERSION, 256},             /* header size changed */
        {POSKO_WAL_VERSION, 0},
    };

    (void)state;
    for (size_t k = 0; k < N_ELEMS(cases); k++) {
        uint8_t h[POSKO_WAL_HEADER_SIZE];
        posko_wal_segment_t got;

        posko_wal_header_encode(h, &segments[0]);
        posko_put_u32(h + 8, cases[k].version);
        posko_put_u32(h + 12, cases[k].size);
        posko_put_u32(h + 124, posko_crc32c(h, 124));
        assert_int_equal(posko_wal_header_decode(h, sizeof(h), &got),
                         POSKO_WAL_BAD_VERSION);
    }
}

/* -- records and fields ----------------------------------------------- */

static char long_name[256]; /* 255 'n's */

typedef struct {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} field_spec_t;

static void fields_init(field_spec_t *f, size_t *n) {
    memset(long_name, 'n', 255);
    long_name[255] = '\0';
    size_t k = 0;
    f[k++] = (field_spec_t){"kode", 4, "4HMA-SW9N-F6Y2", 14};
    f[k++] = (field_spec_t){"jenis", 5, "aduan", 5};
    f[k++] = (field_spec_t){"nama", 4, "", 0}; /* empty value */
    f[k++] = (field_spec_t){"uraian", 6,
                            "\xD8\xA7\xD9\x84\xD9\x85\xD9\x83\xD9\x8A\xD9\x81 "
                            "mati \xF0\x9F\x98\x93",
                            22};
    f[k++] = (field_spec_t){long_name, 255, "v", 1};  /* longest name */
    f[k++] = (field_spec_t){"x", 1, "\0\x01\xFF", 3}; /* binary value */
    *n = k;
}

/* Builds a framed record; returns its size.  rec must be big enough. */
static size_t build_record(uint8_t *rec, const field_spec_t *f, size_t n,
                           uint8_t type) {
    uint8_t *p = rec + POSKO_WAL_FRAME_SIZE;
    size_t payload;

    for (size_t k = 0; k < n; k++) {
        uint8_t *next = posko_wal_field_put(p, f[k].name, f[k].name_len,
                                            f[k].value, f[k].value_len);

        assert_int_equal((size_t)(next - p),
                         posko_wal_field_size(f[k].name_len, f[k].value_len));
        p = next;
    }
    payload = (size_t)(p - rec) - POSKO_WAL_FRAME_SIZE;
    memset(rec, 0xA5, POSKO_WAL_FRAME_SIZE); /* frame must overwrite all */
    posko_wal_frame(rec, type, (uint32_t)payload, seed());
    return POSKO_WAL_FRAME_SIZE + payload;
}

static void test_record_roundtrip(void **state) {
    field_spec_t f[8];
    size_t n, len;
    uint8_t rec[1024];
    uint8_t *exact;
    posko_wal_record_t r;
    const uint8_t *p, *end;
    posko_wal_field_t got;

    (void)state;
    fields_init(f, &n);
    len = build_record(rec, f, n, POSKO_REC_SUBMISSION);
    assert_true(len > 300);

    /* the frame's bytes are where the format says */
    assert_int_equal(posko_get_u32(rec + 4), len - POSKO_WAL_FRAME_SIZE);
    assert_int_equal(rec[8], POSKO_REC_SUBMISSION);
    assert_int_equal(rec[9] | rec[10] | rec[11], 0);
    {
        /* the checksum: CRC32C of the segment's salt, then bytes 4.. */
        uint8_t salted[1024 + 8];

        posko_put_u64(salted, segments[5].salt);
        memcpy(salted + 8, rec + 4, len - 4);
        assert_int_equal(posko_get_u32(rec), posko_crc32c(salted, len + 4));
    }

    exact = dup_exact(rec, len);
    assert_int_equal(posko_wal_record_decode(exact, len, seed(), &r), POSKO_WAL_OK);
    assert_int_equal(r.type, POSKO_REC_SUBMISSION);
    assert_int_equal(r.length, len - POSKO_WAL_FRAME_SIZE);
    assert_ptr_equal(r.payload, exact + POSKO_WAL_FRAME_SIZE);

    p = r.payload;
    end = r.payload + r.length;
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(posko_wal_field_next(&p, end, &got), 1);
        assert_int_equal(got.name_len, f[k].name_len);
        assert_memory_equal(got.name, f[k].name, f[k].name_len);
        assert_int_equal(got.value_len, f[k].value_len);
        if (f[k].value_len > 0) {
            assert_memory_equal(got.value, f[k].value, f[k].value_len);
        }
    }
    assert_int_equal(posko_wal_field_next(&p, end, &got), 0);
    assert_ptr_equal(p, end);
    free(exact);
}

/* Two records back to back, with a torn third behind them: each decodes
 * from where the last one ended, and the torn one is SHORT. */
static void test_record_sequence(void **state) {
    field_spec_t f[8];
    size_t n, a, b, c;
    uint8_t buf[4096];
    posko_wal_record_t r;
    size_t at = 0;

    (void)state;
    fields_init(f, &n);
    a = build_record(buf, f, 2, POSKO_REC_SUBMISSION);
    b = build_record(buf + a, f + 2, n - 2, POSKO_REC_FOLLOWUP);
    c = build_record(buf + a + b, f, n, POSKO_REC_SUBMISSION);

    uint8_t *exact = dup_exact(buf, a + b + c - 1);
    size_t avail = a + b + c - 1;

    assert_int_equal(posko_wal_record_decode(exact, avail, seed(), &r), POSKO_WAL_OK);
    assert_int_equal(r.type, POSKO_REC_SUBMISSION);
    assert_int_equal(POSKO_WAL_FRAME_SIZE + r.length, a);
    at += a;
    assert_int_equal(posko_wal_record_decode(exact + at, avail - at, seed(), &r),
                     POSKO_WAL_OK);
    assert_int_equal(r.type, POSKO_REC_FOLLOWUP);
    assert_int_equal(POSKO_WAL_FRAME_SIZE + r.length, b);
    at += b;
    assert_int_equal(posko_wal_record_decode(exact + at, avail - at, seed(), &r),
                     POSKO_WAL_SHORT);
    free(exact);
}

static void test_record_empty_payload(void **state) {
    uint8_t rec[POSKO_WAL_FRAME_SIZE];
    posko_wal_record_t r;
    posko_wal_field_t got;
    const uint8_t *p;

    (void)state;
    posko_wal_frame(rec, POSKO_REC_FOLLOWUP, 0, seed());
    assert_int_equal(posko_wal_record_decode(rec, sizeof(rec), seed(), &r),
                     POSKO_WAL_OK);
    assert_int_equal(r.length, 0);
    assert_int_equal(r.type, POSKO_REC_FOLLOWUP);
    p = r.payload;
    assert_int_equal(posko_wal_field_next(&p, r.payload, &got), 0);
}

/* A ~200-byte record for the damage tests. */
static size_t small_record(uint8_t *rec) {
#define S(lit) lit, sizeof(lit) - 1
    static const field_spec_t f[] = {
        {S("kode"), S("4HMA-SW9N-F6Y2")},
        {S("jenis"), S("aduan")},
        {S("kategori"), S("akomodasi")},
        {S("nama"), S("")},
        {S("uraian"),
         S("Kamar 412 hotel di Misfalah tidak ada air sejak subuh; "
           "sudah lapor ke ketua rombongan. \xD9\x85\xD8\xA7\xD8\xA1")},
    };
#undef S

    return build_record(rec, f, N_ELEMS(f), POSKO_REC_SUBMISSION);
}

static void test_record_every_truncation(void **state) {
    uint8_t rec[512];
    size_t len;

    (void)state;
    len = small_record(rec);
    assert_in_range(len, 180, 260);
    for (size_t avail = 0; avail < len; avail++) {
        uint8_t *exact = dup_exact(rec, avail);
        posko_wal_record_t r;

        if (posko_wal_record_decode(exact, avail, seed(), &r) != POSKO_WAL_SHORT) {
            fail_msg("truncated to %zu of %zu bytes: not SHORT", avail, len);
        }
        free(exact);
    }
}

static void test_record_every_bit_flip(void **state) {
    uint8_t rec[512];
    uint8_t *exact;
    size_t len;
    unsigned seen[8] = {0};

    (void)state;
    len = small_record(rec);
    exact = dup_exact(rec, len);
    for (size_t bit = 0; bit < 8 * len; bit++) {
        posko_wal_record_t r;
        int rc;

        exact[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        rc = posko_wal_record_decode(exact, len, seed(), &r);
        exact[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        if (rc != POSKO_WAL_BAD_CRC && rc != POSKO_WAL_BAD_LEN &&
            rc != POSKO_WAL_SHORT) {
            fail_msg("bit %zu (byte %zu) flipped: result %d", bit, bit / 8, rc);
        }
        seen[rc]++;
    }
    /* All three kinds of refusal happen: a bit set high in the length is
     * BAD_LEN, a lower one that grows it is SHORT, the rest BAD_CRC. */
    assert_true(seen[POSKO_WAL_BAD_CRC] > 0);
    assert_true(seen[POSKO_WAL_BAD_LEN] > 0);
    assert_true(seen[POSKO_WAL_SHORT] > 0);
    {
        posko_wal_record_t r;

        assert_int_equal(posko_wal_record_decode(exact, len, seed(), &r), POSKO_WAL_OK);
    }
    free(exact);
}

static void test_record_bad_len(void **state) {
    static const uint32_t lens[] = {POSKO_WAL_PAYLOAD_MAX + 1,
                                    POSKO_WAL_PAYLOAD_MAX * 2, 0x80000000u,
                                    UINT32_MAX};

    (void)state;
    for (size_t k = 0; k < N_ELEMS(lens); k++) {
        uint8_t *frame = malloc(POSKO_WAL_FRAME_SIZE);
        posko_wal_record_t r;

        assert_non_null(frame);
        posko_put_u32(frame, 0);
        posko_put_u32(frame + 4, lens[k]);
        frame[8] = POSKO_REC_SUBMISSION;
        frame[9] = frame[10] = frame[11] = 0;
        /* refused on the frame alone, before waiting for more bytes */
        assert_int_equal(
            posko_wal_record_decode(frame, POSKO_WAL_FRAME_SIZE, seed(), &r),
            POSKO_WAL_BAD_LEN);
        free(frame);
    }
}

/* The largest payload allowed goes through; one byte more does not. */
static void test_record_payload_max(void **state) {
    size_t len = POSKO_WAL_FRAME_SIZE + POSKO_WAL_PAYLOAD_MAX;
    uint8_t *rec = malloc(len + 1);
    posko_wal_record_t r;

    (void)state;
    assert_non_null(rec);
    for (size_t i = POSKO_WAL_FRAME_SIZE; i < len + 1; i++) {
        rec[i] = (uint8_t)(i * 7);
    }
    posko_wal_frame(rec, POSKO_REC_SUBMISSION, POSKO_WAL_PAYLOAD_MAX, seed());
    assert_int_equal(posko_wal_record_decode(rec, len, seed(), &r), POSKO_WAL_OK);
    assert_int_equal(r.length, POSKO_WAL_PAYLOAD_MAX);
    assert_int_equal(posko_wal_record_decode(rec, len - 1, seed(), &r),
                     POSKO_WAL_SHORT);

    posko_wal_frame(rec, POSKO_REC_SUBMISSION, POSKO_WAL_PAYLOAD_MAX + 1, seed());
    assert_int_equal(posko_wal_record_decode(rec, len + 1, seed(), &r),
                     POSKO_WAL_BAD_LEN);
    free(rec);
}

/* -- malformed payloads ----------------------------------------------- */

#define END_OK 0     /* all fields read, then 0 */
#define END_BAD (-1) /* fields read, then -1 */

static const struct {
    const char *what;
    const char *bytes;
    size_t len;
    int fields; /* fields read before the end or the error */
    int end;    /* 0 or -1 */
} payloads[] = {
    {"empty", "", 0, 0, END_OK},
    {"one field",
     "\x01"
     "a"
     "\x01\0\0\0"
     "b",
     7, 1, END_OK},
    {"empty value",
     "\x01"
     "a"
     "\0\0\0\0",
     6, 1, END_OK},
    {"zero name length",
     "\x00"
     "\0\0\0\0",
     5, 0, END_BAD},
    {"zero name length after a field",
     "\x01"
     "a"
     "\0\0\0\0"
     "\x00"
     "\0\0\0\0",
     11, 1, END_BAD},
    {"name runs past the end",
     "\x05"
     "ab",
     3, 0, END_BAD},
    {"name length alone", "\x01", 1, 0, END_BAD},
    {"name exactly to the end",
     "\x02"
     "ab",
     3, 0, END_BAD},
    {"value length cut",
     "\x01"
     "a"
     "\x01\0\0",
     5, 0, END_BAD},
    {"value length missing",
     "\x01"
     "a",
     2, 0, END_BAD},
    {"value past the end",
     "\x01"
     "a"
     "\x05\0\0\0"
     "xyz",
     9, 0, END_BAD},
    {"value one byte short",
     "\x01"
     "a"
     "\x04\0\0\0"
     "xyz",
     9, 0, END_BAD},
    {"huge value length",
     "\x01"
     "a"
     "\xFF\xFF\xFF\xFF"
     "xyz",
     9, 0, END_BAD},
    {"value length 2^31",
     "\x01"
     "a"
     "\0\0\0\x80"
     "x",
     7, 0, END_BAD},
    {"trailing byte",
     "\x01"
     "a"
     "\0\0\0\0"
     "\x01",
     7, 1, END_BAD},
    {"garbage after two fields",
     "\x01"
     "a"
     "\x01\0\0\0"
     "1"
     "\x01"
     "b"
     "\x01\0\0\0"
     "2"
     "\xFF",
     15, 2, END_BAD},
};

static void test_field_next_payloads(void **state) {
    (void)state;
    for (size_t k = 0; k < N_ELEMS(payloads); k++) {
        uint8_t *buf = dup_exact(payloads[k].bytes, payloads[k].len);
        const uint8_t *p = buf, *end = buf + payloads[k].len;
        posko_wal_field_t f;
        int fields = 0, rc;

        while ((rc = posko_wal_field_next(&p, end, &f)) == 1) {
            assert_true((const uint8_t *)f.name > buf);
            assert_true(f.value + f.value_len <= end);
            fields++;
            if (fields > 16) {
                break;
            }
        }
        if (fields != payloads[k].fields || rc != payloads[k].end) {
            fail_msg("%s: %d fields then %d, want %d then %d", payloads[k].what,
                     fields, rc, payloads[k].fields, payloads[k].end);
        }
        free(buf);
    }
}

/* Every cut of a good payload is refused unless it falls between fields. */
static void test_field_next_every_cut(void **state) {
    field_spec_t f[8];
    size_t n;
    uint8_t rec[1024];
    size_t len, payload;
    size_t bounds[9];

    (void)state;
    fields_init(f, &n);
    len = build_record(rec, f, n, POSKO_REC_SUBMISSION);
    payload = len - POSKO_WAL_FRAME_SIZE;
    bounds[0] = 0;
    for (size_t k = 0; k < n; k++) {
        bounds[k + 1] =
            bounds[k] + posko_wal_field_size(f[k].name_len, f[k].value_len);
    }
    assert_int_equal(bounds[n], payload);
    for (size_t cut = 0; cut <= payload; cut++) {
        uint8_t *buf = dup_exact(rec + POSKO_WAL_FRAME_SIZE, cut);
        const uint8_t *p = buf, *end = buf + cut;
        posko_wal_field_t got;
        size_t whole = 0;
        int rc, at_bound = 0;

        while ((rc = posko_wal_field_next(&p, end, &got)) == 1) {
            whole++;
        }
        for (size_t k = 0; k <= n; k++) {
            if (bounds[k] == cut) {
                at_bound = 1;
                assert_int_equal(whole, k);
            }
        }
        assert_int_equal(rc, at_bound ? 0 : -1);
        free(buf);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32c_vectors),
        cmocka_unit_test(test_crc32c_against_reference),
        cmocka_unit_test(test_header_roundtrip),
        cmocka_unit_test(test_header_version1),
        cmocka_unit_test(test_record_salt),
        cmocka_unit_test(test_record_batch_checksum),
        cmocka_unit_test(test_header_deterministic),
        cmocka_unit_test(test_header_node_too_long),
        cmocka_unit_test(test_header_longer_buffer),
        cmocka_unit_test(test_header_short),
        cmocka_unit_test(test_header_bad_magic),
        cmocka_unit_test(test_header_every_bit_flip),
        cmocka_unit_test(test_header_bad_version),
        cmocka_unit_test(test_record_roundtrip),
        cmocka_unit_test(test_record_sequence),
        cmocka_unit_test(test_record_empty_payload),
        cmocka_unit_test(test_record_every_truncation),
        cmocka_unit_test(test_record_every_bit_flip),
        cmocka_unit_test(test_record_bad_len),
        cmocka_unit_test(test_record_payload_max),
        cmocka_unit_test(test_field_next_payloads),
        cmocka_unit_test(test_field_next_every_cut),
    };

    return cmocka_run_group_tests_name("wal", tests, NULL, NULL);
}
