/*
 * test_walread.c - the WAL segment reader against damage: every
 * truncation of the last record, thousands of single-bit flips across a
 * segment, zeroed and garbage tails, and what a live segment and a
 * finished one make of the same damage.
 */
#include "posko_wal.h"
#include "posko_walread.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define NRECORDS 40

typedef struct {
    uint8_t *buf;
    size_t size;
    size_t start[NRECORDS + 1]; /* offset of each record, then the end */
} segment_t;

static uint64_t rng_state = 0x5eed5eed5eedULL;

static uint64_t rng(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A segment of NRECORDS submissions of varied sizes, optionally sealed. */
static void make_segment(segment_t *s, int sealed) {
    posko_wal_segment_t seg;
    size_t cap = POSKO_WAL_HEADER_SIZE + NRECORDS * 600 + 64;
    size_t o = POSKO_WAL_HEADER_SIZE;

    memset(&seg, 0, sizeof(seg));
    strcpy(seg.node, "test");
    seg.sequence = 1;
    seg.salt = rng();
    s->buf = calloc(1, cap);
    assert_non_null(s->buf);
    posko_wal_header_encode(s->buf, &seg);

    for (int i = 0; i < NRECORDS; i++) {
        char text[512];
        size_t tlen = 20 + (size_t)(i * 37) % 400;
        uint8_t *p = s->buf + o + POSKO_WAL_FRAME_SIZE;

        for (size_t k = 0; k < tlen; k++) {
            text[k] = (char)('a' + (i + k) % 26);
        }
        p = posko_wal_field_put(p, "kode", 4, "ABCD-EFGH-JKMN", 14);
        p = posko_wal_field_put(p, "uraian", 6, text, tlen);
        s->start[i] = o;
        posko_wal_frame(s->buf + o, POSKO_REC_SUBMISSION,
                        (uint32_t)(p - (s->buf + o + POSKO_WAL_FRAME_SIZE)),
                        posko_wal_seed(&seg));
        o = (size_t)(p - s->buf);
    }
    s->start[NRECORDS] = o;
    if (sealed) {
        posko_wal_frame(s->buf + o, POSKO_REC_SEAL, 0, posko_wal_seed(&seg));
        o += POSKO_WAL_FRAME_SIZE;
    }
    s->size = o;
}

typedef struct {
    int found[NRECORDS];
    size_t damaged_at[NRECORDS * 4];
    size_t damaged_len[NRECORDS * 4];
    int ndamaged;
    int tail;
    size_t tail_at;
    size_t end;
} outcome_t;

static void read_all(const uint8_t *buf, size_t size, int finished,
                     const segment_t *s, outcome_t *out) {
    posko_walread_t rd;
    posko_walread_item_t it;

    memset(out, 0, sizeof(*out));
    posko_walread_init(&rd, buf, size, POSKO_WAL_HEADER_SIZE, finished);
    for (int guard = 0; guard < 100000; guard++) {
        posko_walread_next(&rd, &it);
        if (it.kind == POSKO_READ_RECORD) {
            for (int i = 0; i < NRECORDS; i++) {
                if (s->start[i] == it.offset) {
                    out->found[i]++;
                }
            }
            assert_true(it.offset + it.length <= size);
        } else if (it.kind == POSKO_READ_DAMAGED) {
            assert_true(it.length > 0);
            assert_true(it.offset + it.length <= size);
            if (out->ndamaged < NRECORDS * 4) {
                out->damaged_len[out->ndamaged] = it.length;
                out->damaged_at[out->ndamaged++] = it.offset;
            }
        } else if (it.kind == POSKO_READ_TAIL) {
            out->tail = 1;
            out->tail_at = it.offset;
            break;
        } else {
            break;
        }
    }
    out->end = rd.offset;
}

/* The record that holds byte at, or -1 for the seal or beyond. */
static int record_at(const segment_t *s, size_t at) {
    for (int i = 0; i < NRECORDS; i++) {
        if (at >= s->start[i] && at < s->start[i + 1]) {
            return i;
        }
    }
    return -1;
}

static void test_intact(void **state) {
    segment_t s;
    outcome_t out;
    (void)state;

    make_segment(&s, 1);
    read_all(s.buf, s.size, 0, &s, &out);
    for (int i = 0; i < NRECORDS; i++) {
        assert_int_equal(out.found[i], 1);
    }
    assert_int_equal(out.ndamaged, 0);
    assert_false(out.tail);
    assert_int_equal(out.end, s.size);
    free(s.buf);
}

/* Every cut inside the last record: a tail while the segment may grow,
 * damage once it cannot; every earlier record is read either way. */
static void test_every_truncation_of_last_record(void **state) {
    segment_t s;
    outcome_t out;
    size_t last = NRECORDS - 1;
    (void)state;

    make_segment(&s, 0);
    for (size_t cut = s.start[last]; cut < s.start[NRECORDS]; cut++) {
        for (int finished = 0; finished <= 1; finished++) {
            read_all(s.buf, cut, finished, &s, &out);
            for (size_t i = 0; i < last; i++) {
                assert_int_equal(out.found[i], 1);
            }
            assert_int_equal(out.found[last], 0);
            if (cut == s.start[last]) {
                assert_false(out.tail);
                assert_int_equal(out.ndamaged, 0);
                continue;
            }
            if (finished) {
                assert_false(out.tail);
                assert_int_equal(out.ndamaged, 1);
                assert_int_equal(out.damaged_at[0], s.start[last]);
            } else {
                assert_true(out.tail);
                assert_int_equal(out.tail_at, s.start[last]);
                assert_int_equal(out.end, s.start[last]);
            }
        }
    }
    free(s.buf);
}

/* Thousands of single-bit flips in a sealed segment: exactly the record
 * that holds the bit is lost and reported at its offset; all others are
 * read. */
static void test_random_bit_flips(void **state) {
    segment_t s;
    outcome_t out;
    (void)state;

    make_segment(&s, 1);
    for (int n = 0; n < 4000; n++) {
        size_t at = POSKO_WAL_HEADER_SIZE +
                    (size_t)(rng() % (s.size - POSKO_WAL_HEADER_SIZE));
        uint8_t bit = (uint8_t)(1u << (rng() % 8));
        int hit = record_at(&s, at);

        s.buf[at] ^= bit;
        read_all(s.buf, s.size, 0, &s, &out);
        for (int i = 0; i < NRECORDS; i++) {
            assert_int_equal(out.found[i], i == hit ? 0 : 1);
        }
        if (hit >= 0) {
            assert_false(out.tail);
            assert_int_equal(out.ndamaged, 1);
            assert_int_equal(out.damaged_at[0], s.start[hit]);
        } else {
            /* the seal itself: the last bytes, with nothing after them,
             * are a tail of a segment that is not known to be finished */
            assert_true(out.tail);
            assert_int_equal(out.tail_at, s.start[NRECORDS]);
        }
        s.buf[at] ^= bit;
    }
    free(s.buf);
}

/* A live segment: a flip in the last record is an unfinished tail (the
 * writer may still be writing it); elsewhere it is damage. */
static void test_flip_in_live_segment(void **state) {
    segment_t s;
    outcome_t out;
    (void)state;

    make_segment(&s, 0);
    for (int i = 0; i < NRECORDS; i++) {
        size_t at = s.start[i] + 4 + (size_t)i % 8; /* in the length */

        s.buf[at] ^= 0x40;
        read_all(s.buf, s.size, 0, &s, &out);
        if (i == NRECORDS - 1) {
            assert_true(out.tail);
            assert_int_equal(out.tail_at, s.start[i]);
        } else {
            assert_int_equal(out.ndamaged, 1);
            assert_int_equal(out.damaged_at[0], s.start[i]);
            assert_int_equal(out.found[i + 1], 1);
        }
        s.buf[at] ^= 0x40;
    }
    free(s.buf);
}

/* Zeros after the last record are space the writer preallocated (or a
 * file that came back longer after a crash): the end, live or finished,
 * with nothing damaged; reading stops where the records stop. */
static void test_preallocated_zeros(void **state) {
    segment_t s;
    outcome_t out;
    uint8_t *longer;
    (void)state;

    make_segment(&s, 0);
    longer = calloc(1, s.size + 65536);
    assert_non_null(longer);
    memcpy(longer, s.buf, s.size);
    for (int finished = 0; finished <= 1; finished++) {
        read_all(longer, s.size + 65536, finished, &s, &out);
        for (int i = 0; i < NRECORDS; i++) {
            assert_int_equal(out.found[i], 1);
        }
        assert_false(out.tail);
        assert_int_equal(out.ndamaged, 0);
        assert_int_equal(out.end, s.size);
    }
    free(longer);
    free(s.buf);
}

/* A batch cut short by a crash inside preallocated space: the torn record
 * is followed by zeros.  A tail while the segment may grow, damage once it
 * cannot; either way it is reported without the zeros after it. */
static void test_torn_record_before_zeros(void **state) {
    segment_t s;
    outcome_t out;
    uint8_t *longer;
    size_t last = NRECORDS - 1;
    size_t torn;
    (void)state;

    make_segment(&s, 0);
    longer = calloc(1, s.size + 65536);
    assert_non_null(longer);
    torn = s.start[last] + 30; /* the frame and part of the payload */
    memcpy(longer, s.buf, torn);

    read_all(longer, s.size + 65536, 0, &s, &out);
    assert_true(out.tail);
    assert_int_equal(out.tail_at, s.start[last]);
    assert_int_equal(out.found[last - 1], 1);

    read_all(longer, s.size + 65536, 1, &s, &out);
    assert_false(out.tail);
    assert_int_equal(out.ndamaged, 1);
    assert_int_equal(out.damaged_at[0], s.start[last]);
    assert_true(out.damaged_len[0] <= torn - s.start[last]);
    assert_true(out.damaged_len[0] > 0);
    free(longer);
    free(s.buf);
}

/* Records of another segment (another salt) copied behind this one's do
 * not validate here: they are damage, not records. */
static void test_foreign_records(void **state) {
    segment_t a, b;
    outcome_t out;
    uint8_t *both;
    size_t body = 0;
    (void)state;

    make_segment(&a, 0);
    make_segment(&b, 0); /* same content, another salt */
    body = b.size - POSKO_WAL_HEADER_SIZE;
    both = malloc(a.size + body);
    assert_non_null(both);
    memcpy(both, a.buf, a.size);
    memcpy(both + a.size, b.buf + POSKO_WAL_HEADER_SIZE, body);
    read_all(both, a.size + body, 1, &a, &out);
    for (int i = 0; i < NRECORDS; i++) {
        assert_int_equal(out.found[i], 1);
    }
    assert_int_equal(out.ndamaged, 1);
    assert_int_equal(out.damaged_at[0], a.size);
    free(both);
    free(a.buf);
    free(b.buf);
}

/* After a crash a file can come back longer with old bytes: none of them
 * validate. */
static void test_garbage_tail(void **state) {
    segment_t s;
    outcome_t out;
    uint8_t *longer;
    (void)state;

    make_segment(&s, 0);
    longer = malloc(s.size + 8192);
    assert_non_null(longer);
    memcpy(longer, s.buf, s.size);

    for (size_t k = 0; k < 8192; k++) {
        longer[s.size + k] = (uint8_t)rng();
    }
    read_all(longer, s.size + 8192, 1, &s, &out);
    assert_false(out.tail);
    assert_int_equal(out.ndamaged, 1);
    assert_int_equal(out.damaged_at[0], s.size);
    free(longer);
    free(s.buf);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intact),
        cmocka_unit_test(test_every_truncation_of_last_record),
        cmocka_unit_test(test_random_bit_flips),
        cmocka_unit_test(test_flip_in_live_segment),
        cmocka_unit_test(test_preallocated_zeros),
        cmocka_unit_test(test_torn_record_before_zeros),
        cmocka_unit_test(test_foreign_records),
        cmocka_unit_test(test_garbage_tail),
    };

    return cmocka_run_group_tests_name("walread", tests, NULL, NULL);
}
