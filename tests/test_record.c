/*
 * test_record.c - unit tests for the record codec (include/posko_record.c):
 * the on-disk bytes of one record of each type, spelled out by hand so
 * that the format cannot drift; encode/decode round trips with sizes
 * exact; fields in any order on disk (the orders older modules wrote);
 * unknown fields kept as extras; and refusal of repeated fields, too many
 * fields, unknown types and every truncation of a payload.
 *
 * Payloads handed to the decoder are heap blocks of exactly their length,
 * so the sanitizer build catches any read past them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "posko_feedback.h"
#include "posko_followup.h"
#include "posko_kode.h"
#include "posko_record.h"
#include "unit.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define KODE "ABCD-EFGH-JKMN"
#define AT "2026-05-01T08:00:00.000Z"

static posko_value_t val(const char *s) {
    posko_value_t v = {(const uint8_t *)s, s != NULL ? strlen(s) : 0};

    return v;
}

/* -- the records of the tests ----------------------------------------- */

typedef struct {
    int slot;
    const char *value;
} slot_value_t;

typedef struct {
    const char *what;
    uint8_t type;
    slot_value_t slots[POSKO_RECORD_SLOTS + 1]; /* ends with value NULL */
    const char *extra[4][2];                    /* name, value; NULL ends */
    const char *bytes;                          /* the encoding, or NULL */
    size_t bytes_len;
} sample_t;

#define BYTES(s) s, sizeof(s) - 1

static const sample_t samples[] = {
    {"a submission with an extra field",
     POSKO_REC_SUBMISSION,
     /* in no particular order: the encoder orders them */
     {{POSKO_SUB_FORM + POSKO_F_RATING, "5"},
      {POSKO_SUB_FORM + POSKO_F_URAIAN, "Nasi basi."},
      {POSKO_SUB_RECEIVED_AT, AT},
      {POSKO_SUB_FORM + POSKO_F_KATEGORI, "konsumsi"},
      {POSKO_SUB_KODE, KODE},
      {POSKO_SUB_FORM + POSKO_F_JENIS, "aduan"}},
     {{"kamar", "312"}},
     BYTES("\0\0\0\0"
           "\x91\0\0\0"
           "\x01\0\0\0"
           "\x04"
           "kode"
           "\x0e\0\0\0" KODE "\x0b"
           "received_at"
           "\x18\0\0\0" AT "\x05"
           "jenis"
           "\x05\0\0\0"
           "aduan"
           "\x08"
           "kategori"
           "\x08\0\0\0"
           "konsumsi"
           "\x06"
           "uraian"
           "\x0a\0\0\0"
           "Nasi basi."
           "\x06"
           "rating"
           "\x01\0\0\0"
           "5"
           "\x05"
           "kamar"
           "\x03\0\0\0"
           "312")},
    {"a follow-up",
     POSKO_REC_FOLLOWUP,
     {{POSKO_FUP_CATATAN, "ok"},
      {POSKO_FUP_AKSI, "faktual"},
      {POSKO_FUP_PETUGAS, "budi"},
      {POSKO_FUP_AT, AT},
      {POSKO_FUP_KODE, KODE}},
     {{NULL, NULL}},
     BYTES("\0\0\0\0"
           "\x64\0\0\0"
           "\x02\0\0\0"
           "\x04"
           "kode"
           "\x0e\0\0\0" KODE "\x02"
           "at"
           "\x18\0\0\0" AT "\x07"
           "petugas"
           "\x04\0\0\0"
           "budi"
           "\x04"
           "aksi"
           "\x07\0\0\0"
           "faktual"
           "\x07"
           "catatan"
           "\x02\0\0\0"
           "ok")},
    {"a pilgrim's feedback",
     POSKO_REC_FEEDBACK,
     {{POSKO_FBK_KOMENTAR, "belum"},
      {POSKO_FBK_RATING, "4"},
      {POSKO_FBK_PUAS, "tidak"},
      {POSKO_FBK_AT, AT},
      {POSKO_FBK_KODE, KODE}},
     {{NULL, NULL}},
     BYTES("\0\0\0\0"
           "\x62\0\0\0"
           "\x04\0\0\0"
           "\x04"
           "kode"
           "\x0e\0\0\0" KODE "\x02"
           "at"
           "\x18\0\0\0" AT "\x04"
           "puas"
           "\x05\0\0\0"
           "tidak"
           "\x06"
           "rating"
           "\x01\0\0\0"
           "4"
           "\x08"
           "komentar"
           "\x05\0\0\0"
           "belum")},
    {"a full submission",
     POSKO_REC_SUBMISSION,
     {{POSKO_SUB_KODE, KODE},
      {POSKO_SUB_RECEIVED_AT, AT},
      {POSKO_SUB_FORM + POSKO_F_JENIS, "kritik"},
      {POSKO_SUB_FORM + POSKO_F_PELAPOR, "petugas"},
      {POSKO_SUB_FORM + POSKO_F_KATEGORI, "transportasi"},
      {POSKO_SUB_FORM + POSKO_F_LOKASI, "madinah"},
      {POSKO_SUB_FORM + POSKO_F_EMBARKASI, "SUB"},
      {POSKO_SUB_FORM + POSKO_F_KLOTER, "SUB-12"},
      {POSKO_SUB_FORM + POSKO_F_URAIAN, "Bus terlambat\ndua jam."},
      {POSKO_SUB_FORM + POSKO_F_NAMA, "Siti"},
      {POSKO_SUB_FORM + POSKO_F_TELEPON, "+62 812"},
      {POSKO_SUB_FORM + POSKO_F_EMAIL, "siti@example.id"},
      {POSKO_SUB_FORM + POSKO_F_RATING, "2"}},
     {{"kamar", "312"}, {"x", ""}, {"hotel", "Dar"}},
     NULL,
     0},
    {"a follow-up closing a duplicate",
     POSKO_REC_FOLLOWUP,
     {{POSKO_FUP_KODE, KODE},
      {POSKO_FUP_AT, AT},
      {POSKO_FUP_PETUGAS, "budi"},
      {POSKO_FUP_AKSI, "tutup"},
      {POSKO_FUP_UNIT, "sektor-1"},
      {POSKO_FUP_DUPLIKAT_DARI, "MNPQ-RSTU-VWXY"}},
     {{NULL, NULL}},
     NULL,
     0},
    {"feedback without a comment",
     POSKO_REC_FEEDBACK,
     {{POSKO_FBK_KODE, KODE},
      {POSKO_FBK_AT, AT},
      {POSKO_FBK_PUAS, "ya"},
      {POSKO_FBK_RATING, "5"},
      {POSKO_FBK_KOMENTAR, ""}},
     {{NULL, NULL}},
     NULL,
     0},
};

static void sample_record(const sample_t *s, posko_record_t *rec) {
    posko_record_init(rec, s->type);
    for (size_t i = 0; s->slots[i].value != NULL; i++) {
        rec->slot[s->slots[i].slot] = val(s->slots[i].value);
    }
    for (size_t i = 0; s->extra[i][0] != NULL; i++) {
        posko_extra_t *x = &rec->extra[rec->nextra++];

        x->name = s->extra[i][0];
        x->name_len = strlen(x->name);
        x->value = val(s->extra[i][1]);
    }
}

/* Encodes into a heap block of exactly posko_record_size() bytes. */
static uint8_t *sample_encode(const posko_record_t *rec, size_t *size) {
    uint8_t *buf, *end;

    *size = posko_record_size(rec);
    assert_true(*size >= POSKO_WAL_FRAME_SIZE);
    buf = malloc(*size);
    assert_non_null(buf);
    end = posko_record_encode(buf, rec);
    assert_ptr_equal(end, buf + *size);
    return buf;
}

static void assert_value(posko_value_t got, const char *want) {
    if (want == NULL || want[0] == '\0') {
        /* the encoder writes no empty fields */
        assert_null(got.data);
        return;
    }
    assert_non_null(got.data);
    assert_int_equal(got.len, strlen(want));
    assert_memory_equal(got.data, want, got.len);
}

/* -- the bytes on disk ------------------------------------------------ */

static void test_pinned_bytes(void **state) {
    (void)state;
    for (size_t k = 0; k < N_ELEMS(samples); k++) {
        const sample_t *s = &samples[k];
        posko_record_t rec;
        uint8_t *buf;
        size_t size;

        if (s->bytes == NULL) {
            continue;
        }
        sample_record(s, &rec);
        buf = sample_encode(&rec, &size);
        assert_int_equal(size, s->bytes_len);
        assert_memory_equal(buf, s->bytes, size);
        free(buf);
    }
}

/* -- round trips -------------------------------------------------------- */

static void test_round_trip(void **state) {
    (void)state;
    for (size_t k = 0; k < N_ELEMS(samples); k++) {
        const sample_t *s = &samples[k];
        posko_record_t rec, back;
        const char *want[POSKO_RECORD_SLOTS] = {0};
        const char *why = NULL;
        uint8_t *buf, *payload;
        size_t size, nextra = 0;

        sample_record(s, &rec);
        buf = sample_encode(&rec, &size);
        /* the frame: unsummed, its length and type */
        assert_int_equal(posko_get_u32(buf), 0);
        assert_int_equal(posko_get_u32(buf + 4), size - POSKO_WAL_FRAME_SIZE);
        assert_int_equal(buf[8], s->type);
        assert_int_equal(buf[9] | buf[10] | buf[11], 0);

        payload =
            dup_exact(buf + POSKO_WAL_FRAME_SIZE, size - POSKO_WAL_FRAME_SIZE);
        assert_int_equal(posko_record_decode(s->type, payload,
                                             size - POSKO_WAL_FRAME_SIZE, &back,
                                             &why),
                         0);
        assert_int_equal(back.type, s->type);
        for (size_t i = 0; s->slots[i].value != NULL; i++) {
            want[s->slots[i].slot] = s->slots[i].value;
        }
        for (int i = 0; i < POSKO_RECORD_SLOTS; i++) {
            assert_value(back.slot[i], want[i]);
        }
        for (size_t i = 0; s->extra[i][0] != NULL; i++) {
            if (s->extra[i][1][0] == '\0') {
                continue; /* not written */
            }
            assert_true(nextra < back.nextra);
            assert_int_equal(back.extra[nextra].name_len,
                             strlen(s->extra[i][0]));
            assert_memory_equal(back.extra[nextra].name, s->extra[i][0],
                                back.extra[nextra].name_len);
            assert_value(back.extra[nextra].value, s->extra[i][1]);
            nextra++;
        }
        assert_int_equal(back.nextra, nextra);

        /* and encoded again, the same bytes */
        {
            size_t again_size;
            uint8_t *again = sample_encode(&back, &again_size);

            assert_int_equal(again_size, size);
            assert_memory_equal(again, buf, size);
            free(again);
        }
        free(payload);
        free(buf);
    }
}

/* -- sizes ------------------------------------------------------------- */

static void test_sizes(void **state) {
    posko_record_t rec;
    uint8_t buf[POSKO_WAL_FRAME_SIZE];

    (void)state;
    /* nothing to write: a frame alone */
    posko_record_init(&rec, POSKO_REC_FOLLOWUP);
    assert_int_equal(posko_record_size(&rec), POSKO_WAL_FRAME_SIZE);
    assert_ptr_equal(posko_record_encode(buf, &rec),
                     buf + POSKO_WAL_FRAME_SIZE);
    assert_int_equal(posko_get_u32(buf + 4), 0);
    assert_int_equal(buf[8], POSKO_REC_FOLLOWUP);

    /* empty values take no room */
    rec.slot[POSKO_FUP_CATATAN] = val("");
    assert_int_equal(posko_record_size(&rec), POSKO_WAL_FRAME_SIZE);

    /* each field: 1 + name + 4 + value */
    rec.slot[POSKO_FUP_UNIT] = val("abc");
    assert_int_equal(posko_record_size(&rec),
                     POSKO_WAL_FRAME_SIZE + 1 + 4 + 4 + 3);
    rec.extra[rec.nextra++] =
        (posko_extra_t){"zz", 2, {(const uint8_t *)"12345", 5}};
    assert_int_equal(posko_record_size(&rec),
                     POSKO_WAL_FRAME_SIZE + 12 + 1 + 2 + 4 + 5);

    /* a type without fields is neither sized nor written */
    posko_record_init(&rec, POSKO_REC_SEAL);
    assert_int_equal(posko_record_size(&rec), 0);
    assert_ptr_equal(posko_record_encode(buf, &rec), buf);
}

/* -- decoding what others wrote ---------------------------------------- */

/* A payload built field by field. */
typedef struct {
    uint8_t bytes[4096];
    size_t len;
} payload_t;

static void put(payload_t *pl, const char *name, const char *value) {
    uint8_t *end = posko_wal_field_put(pl->bytes + pl->len, name, strlen(name),
                                       value, strlen(value));

    pl->len = (size_t)(end - pl->bytes);
}

static int decode(uint8_t type, const payload_t *pl, posko_record_t *rec,
                  const char **why) {
    uint8_t *copy = dup_exact(pl->bytes, pl->len);
    int rc = posko_record_decode(type, copy, pl->len, rec, why);

    /* values point into the payload: compare before it goes */
    if (rc == 0) {
        for (int i = 0; i < POSKO_RECORD_SLOTS; i++) {
            if (rec->slot[i].data != NULL) {
                rec->slot[i].data =
                    pl->bytes + (rec->slot[i].data - (const uint8_t *)copy);
            }
        }
        for (size_t i = 0; i < rec->nextra; i++) {
            rec->extra[i].name = (const char *)pl->bytes +
                                 (rec->extra[i].name - (const char *)copy);
            rec->extra[i].value.data =
                pl->bytes + (rec->extra[i].value.data - copy);
        }
    }
    free(copy);
    return rc;
}

static void test_any_order(void **state) {
    /* the orders modules wrote before the codec, and a shuffled one */
    static const struct {
        uint8_t type;
        const char *fields[8][2];
        int slots[8];
    } cases[] = {
        {POSKO_REC_FOLLOWUP,
         {{"kode", KODE},
          {"aksi", "tugaskan"},
          {"petugas", "budi"},
          {"at", AT},
          {"unit", "sektor-2"}},
         {POSKO_FUP_KODE, POSKO_FUP_AKSI, POSKO_FUP_PETUGAS, POSKO_FUP_AT,
          POSKO_FUP_UNIT}},
        {POSKO_REC_FEEDBACK,
         {{"kode", KODE},
          {"puas", "ya"},
          {"rating", "5"},
          {"komentar", "terima kasih"},
          {"at", AT}},
         {POSKO_FBK_KODE, POSKO_FBK_PUAS, POSKO_FBK_RATING, POSKO_FBK_KOMENTAR,
          POSKO_FBK_AT}},
        {POSKO_REC_SUBMISSION,
         {{"uraian", "Air mati."},
          {"received_at", AT},
          {"kategori", "akomodasi"},
          {"kode", KODE},
          {"jenis", "aduan"}},
         {POSKO_SUB_FORM + POSKO_F_URAIAN, POSKO_SUB_RECEIVED_AT,
          POSKO_SUB_FORM + POSKO_F_KATEGORI, POSKO_SUB_KODE,
          POSKO_SUB_FORM + POSKO_F_JENIS}},
    };

    (void)state;
    for (size_t k = 0; k < N_ELEMS(cases); k++) {
        payload_t pl = {.len = 0};
        posko_record_t rec;
        const char *why = NULL;
        int seen[POSKO_RECORD_SLOTS] = {0};

        for (size_t i = 0; cases[k].fields[i][0] != NULL; i++) {
            put(&pl, cases[k].fields[i][0], cases[k].fields[i][1]);
        }
        assert_int_equal(decode(cases[k].type, &pl, &rec, &why), 0);
        for (size_t i = 0; cases[k].fields[i][0] != NULL; i++) {
            assert_value(rec.slot[cases[k].slots[i]], cases[k].fields[i][1]);
            seen[cases[k].slots[i]] = 1;
        }
        for (int i = 0; i < POSKO_RECORD_SLOTS; i++) {
            if (!seen[i]) {
                assert_null(rec.slot[i].data);
            }
        }
        assert_int_equal(rec.nextra, 0);
    }
}

static void test_unknown_fields(void **state) {
    payload_t pl = {.len = 0};
    posko_record_t rec;
    const char *why = NULL;

    (void)state;
    put(&pl, "kode", KODE);
    put(&pl, "kamar", "312");
    put(&pl, "received_at", AT);
    put(&pl, "kamar", "313"); /* unknown: repeating it is not refused */
    put(&pl, "at", "x");      /* a follow-up's name, not a submission's */
    assert_int_equal(decode(POSKO_REC_SUBMISSION, &pl, &rec, &why), 0);
    assert_value(rec.slot[POSKO_SUB_KODE], KODE);
    assert_value(rec.slot[POSKO_SUB_RECEIVED_AT], AT);
    assert_int_equal(rec.nextra, 3);
    assert_int_equal(rec.extra[0].name_len, 5);
    assert_memory_equal(rec.extra[0].name, "kamar", 5);
    assert_value(rec.extra[0].value, "312");
    assert_value(rec.extra[1].value, "313");
    assert_int_equal(rec.extra[2].name_len, 2);
    assert_memory_equal(rec.extra[2].name, "at", 2);

    /* and the same record read as a follow-up */
    assert_int_equal(decode(POSKO_REC_FOLLOWUP, &pl, &rec, &why), 0);
    assert_value(rec.slot[POSKO_FUP_KODE], KODE);
    assert_value(rec.slot[POSKO_FUP_AT], "x");
    assert_int_equal(rec.nextra, 3);

    /* a present but empty value reads as present, so that readers can
     * tell it from an absent one */
    pl.len = 0;
    put(&pl, "petugas", "");
    assert_int_equal(decode(POSKO_REC_FOLLOWUP, &pl, &rec, &why), 0);
    assert_non_null(rec.slot[POSKO_FUP_PETUGAS].data);
    assert_int_equal(rec.slot[POSKO_FUP_PETUGAS].len, 0);
    assert_null(rec.slot[POSKO_FUP_KODE].data);
}

/* -- refusals ------------------------------------------------------------ */

static void test_refused(void **state) {
    static const struct {
        const char *what;
        uint8_t type;
        const char *bytes;
        size_t len;
        const char *why;
    } cases[] = {
        {"a repeated known field", POSKO_REC_FOLLOWUP,
         BYTES("\x04"
               "aksi"
               "\x07\0\0\0"
               "faktual"
               "\x04"
               "aksi"
               "\x05\0\0\0"
               "tutup"),
         "a field is repeated"},
        {"a repeated empty field", POSKO_REC_FEEDBACK,
         BYTES("\x02"
               "at"
               "\0\0\0\0"
               "\x02"
               "at"
               "\0\0\0\0"),
         "a field is repeated"},
        {"a name of length 0", POSKO_REC_SUBMISSION, BYTES("\0\0\0\0\0"),
         "payload fields do not parse"},
        {"a value longer than the payload", POSKO_REC_FEEDBACK,
         BYTES("\x04"
               "puas"
               "\x03\0\0\0"
               "ya"),
         "payload fields do not parse"},
        {"a name longer than the payload", POSKO_REC_FOLLOWUP,
         BYTES("\x09"
               "kode"),
         "payload fields do not parse"},
        {"a huge value length", POSKO_REC_SUBMISSION,
         BYTES("\x04"
               "kode"
               "\xff\xff\xff\xff"
               "x"),
         "payload fields do not parse"},
        {"a seal's type", POSKO_REC_SEAL, BYTES(""), "unknown record type"},
        {"an unknown type", 9, BYTES(""), "unknown record type"},
        {"type 0", 0, BYTES(""), "unknown record type"},
    };

    (void)state;
    for (size_t k = 0; k < N_ELEMS(cases); k++) {
        uint8_t *copy = dup_exact(cases[k].bytes, cases[k].len);
        posko_record_t rec;
        const char *why = NULL;

        assert_int_equal(
            posko_record_decode(cases[k].type, copy, cases[k].len, &rec, &why),
            -1);
        assert_non_null(why);
        assert_string_equal(why, cases[k].why);
        free(copy);
    }
}

/* Fields before the fault stay readable: readers show them with the
 * reason. */
static void test_partial_after_refusal(void **state) {
    payload_t pl = {.len = 0};
    posko_record_t rec;
    const char *why = NULL;
    uint8_t *copy;

    (void)state;
    put(&pl, "kode", KODE);
    put(&pl, "petugas", "budi");
    pl.bytes[pl.len++] = 7; /* a name that is cut off */
    copy = dup_exact(pl.bytes, pl.len);
    assert_int_equal(
        posko_record_decode(POSKO_REC_FOLLOWUP, copy, pl.len, &rec, &why), -1);
    assert_string_equal(why, "payload fields do not parse");
    assert_int_equal(rec.slot[POSKO_FUP_KODE].len, POSKO_KODE_LEN);
    assert_memory_equal(rec.slot[POSKO_FUP_KODE].data, KODE, 14);
    assert_int_equal(rec.slot[POSKO_FUP_PETUGAS].len, 4);
    free(copy);
}

static void test_too_many_fields(void **state) {
    (void)state;
    for (int n = POSKO_RECORD_FIELDS_MAX - 1; n <= POSKO_RECORD_FIELDS_MAX + 2;
         n++) {
        payload_t pl = {.len = 0};
        posko_record_t rec;
        const char *why = NULL;
        int rc;

        for (int i = 0; i < n; i++) {
            put(&pl, "x", "1");
        }
        rc = decode(POSKO_REC_SUBMISSION, &pl, &rec, &why);
        if (n <= POSKO_RECORD_FIELDS_MAX) {
            assert_int_equal(rc, 0);
            assert_int_equal(rec.nextra, (size_t)n);
        } else {
            assert_int_equal(rc, -1);
            assert_string_equal(why, "too many fields");
        }
    }
}

/* Every prefix of a payload: a cut at a field's end reads the fields
 * before it, any other cut is refused, and nothing reads past the end. */
static void test_every_truncation(void **state) {
    (void)state;
    for (size_t k = 0; k < N_ELEMS(samples); k++) {
        posko_record_t rec;
        uint8_t *buf;
        size_t size, len, boundary = 0, fields = 0;

        sample_record(&samples[k], &rec);
        buf = sample_encode(&rec, &size);
        len = size - POSKO_WAL_FRAME_SIZE;
        for (size_t cut = 0; cut <= len; cut++) {
            const uint8_t *p = buf + POSKO_WAL_FRAME_SIZE;
            uint8_t *copy = dup_exact(p, cut);
            posko_record_t back;
            const char *why = NULL;
            int rc =
                posko_record_decode(samples[k].type, copy, cut, &back, &why);

            /* where the next field ends */
            while (boundary < cut) {
                boundary += 1 + p[boundary] + 4 +
                            posko_get_u32(p + boundary + 1 + p[boundary]);
                fields++;
            }
            if (cut == boundary) {
                size_t got = back.nextra;

                assert_int_equal(rc, 0);
                for (int i = 0; i < POSKO_RECORD_SLOTS; i++) {
                    got += back.slot[i].data != NULL;
                }
                assert_int_equal(got, fields);
            } else {
                assert_int_equal(rc, -1);
                assert_string_equal(why, "payload fields do not parse");
            }
            free(copy);
        }
        free(buf);
    }
}

/* -- the tables ---------------------------------------------------------- */

static void test_names(void **state) {
    static const struct {
        uint8_t type;
        int count;
        int slot;
        const char *name;
    } cases[] = {
        {POSKO_REC_SUBMISSION, POSKO_SUB_COUNT, POSKO_SUB_KODE, "kode"},
        {POSKO_REC_SUBMISSION, POSKO_SUB_COUNT, POSKO_SUB_RECEIVED_AT,
         "received_at"},
        {POSKO_REC_SUBMISSION, POSKO_SUB_COUNT,
         POSKO_SUB_FORM + POSKO_F_EMBARKASI, "embarkasi"},
        {POSKO_REC_FOLLOWUP, POSKO_FUP_COUNT, POSKO_FUP_AT, "at"},
        {POSKO_REC_FOLLOWUP, POSKO_FUP_COUNT, POSKO_FUP_PETUGAS, "petugas"},
        {POSKO_REC_FOLLOWUP, POSKO_FUP_COUNT, POSKO_FUP_AKSI, "aksi"},
        {POSKO_REC_FOLLOWUP, POSKO_FUP_COUNT, POSKO_FUP_DUPLIKAT_DARI,
         "duplikat_dari"},
        {POSKO_REC_FEEDBACK, POSKO_FBK_COUNT, POSKO_FBK_KODE, "kode"},
        {POSKO_REC_FEEDBACK, POSKO_FBK_COUNT, POSKO_FBK_PUAS, "puas"},
        {POSKO_REC_FEEDBACK, POSKO_FBK_COUNT, POSKO_FBK_KOMENTAR, "komentar"},
    };

    (void)state;
    for (size_t k = 0; k < N_ELEMS(cases); k++) {
        assert_int_equal(posko_record_slots(cases[k].type), cases[k].count);
        assert_string_equal(posko_record_name(cases[k].type, cases[k].slot),
                            cases[k].name);
        assert_int_equal(posko_record_find(cases[k].type, cases[k].name,
                                           strlen(cases[k].name)),
                         cases[k].slot);
    }
    /* the form fields are the forms' own names */
    for (int i = 0; i < POSKO_F_COUNT; i++) {
        assert_string_equal(
            posko_record_name(POSKO_REC_SUBMISSION, POSKO_SUB_FORM + i),
            posko_fields[i].name);
    }
    for (int i = POSKO_FU_AKSI; i < POSKO_FU_COUNT; i++) {
        assert_string_equal(
            posko_record_name(POSKO_REC_FOLLOWUP,
                              POSKO_FUP_AKSI + i - POSKO_FU_AKSI),
            posko_followup_fields[i].name);
    }
    for (int i = POSKO_FB_PUAS; i < POSKO_FB_COUNT; i++) {
        assert_string_equal(
            posko_record_name(POSKO_REC_FEEDBACK,
                              POSKO_FBK_PUAS + i - POSKO_FB_PUAS),
            posko_feedback_fields[i].name);
    }
    assert_null(posko_record_name(POSKO_REC_FOLLOWUP, POSKO_FUP_COUNT));
    assert_null(posko_record_name(POSKO_REC_FOLLOWUP, -1));
    assert_null(posko_record_name(POSKO_REC_SEAL, 0));
    assert_int_equal(posko_record_slots(POSKO_REC_SEAL), 0);
    assert_int_equal(posko_record_slots(200), 0);
    assert_int_equal(posko_record_find(POSKO_REC_FEEDBACK, "kodex", 5), -1);
    assert_int_equal(posko_record_find(POSKO_REC_FEEDBACK, "kod", 3), -1);
    assert_int_equal(posko_record_find(POSKO_REC_FEEDBACK, "", 0), -1);
    assert_int_equal(posko_record_find(POSKO_REC_SEAL, "kode", 4), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pinned_bytes),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_any_order),
        cmocka_unit_test(test_unknown_fields),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_partial_after_refusal),
        cmocka_unit_test(test_too_many_fields),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
