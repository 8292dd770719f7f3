/*
 * posko_record.h - the fields of each WAL record type, with the one
 * encoder the nginx module writes records with and the one decoder every
 * reader in batch/ takes them apart with.
 *
 * A record's payload is a list of name/value fields (posko_wal.h).  Here
 * each type's fields are listed once, as slots: the slot constants below
 * and, in posko_record.c, the name each slot has on disk.  The names are
 * the ones records have always had, so old segments load.
 *
 * The encoder writes every type in one order: kode, then the time, then
 * the other slots in table order, then a submission's extra fields (those
 * a `posko_field` directive added, which the table does not know).  Empty
 * and absent values are not written.  The decoder matches by name, so
 * fields are read in any order; it refuses a payload that does not parse,
 * one that holds a known field twice and one with too many fields, and it
 * lists the fields it does not know as extras.  Which fields a record
 * must have is the reader's business.
 *
 * No dependency on nginx or SQLite.  docs/wal-format.md lists the fields.
 */
#ifndef POSKO_RECORD_H
#define POSKO_RECORD_H

#include "posko_form.h"
#include "posko_wal.h"

#include <stddef.h>
#include <stdint.h>

/* A submission (POSKO_REC_SUBMISSION): the code, when the module took
 * it, and the form's fields, POSKO_SUB_FORM + a posko_field_id_t. */
enum {
    POSKO_SUB_KODE,
    POSKO_SUB_RECEIVED_AT, /* "received_at" */
    POSKO_SUB_FORM,
    POSKO_SUB_COUNT = POSKO_SUB_FORM + POSKO_F_COUNT
};

/* An officer's follow-up (POSKO_REC_FOLLOWUP). */
enum {
    POSKO_FUP_KODE,
    POSKO_FUP_AT,
    POSKO_FUP_PETUGAS, /* the officer, from the login */
    POSKO_FUP_AKSI,
    POSKO_FUP_CATATAN,
    POSKO_FUP_UNIT,
    POSKO_FUP_DUPLIKAT_DARI,
    POSKO_FUP_COUNT
};

/* A pilgrim's answer to a solved complaint (POSKO_REC_FEEDBACK). */
enum {
    POSKO_FBK_KODE,
    POSKO_FBK_AT,
    POSKO_FBK_PUAS,
    POSKO_FBK_RATING,
    POSKO_FBK_KOMENTAR,
    POSKO_FBK_COUNT
};

#define POSKO_RECORD_SLOTS POSKO_SUB_COUNT /* the most slots of a type */
#define POSKO_RECORD_FIELDS_MAX 63 /* fields in one record, known or not */

/* A value: data NULL when absent.  Decoded values point into the payload. */
typedef struct {
    const uint8_t *data;
    size_t len;
} posko_value_t;

/* A field the type's table does not know. */
typedef struct {
    const char *name;
    size_t name_len; /* 1..255 */
    posko_value_t value;
} posko_extra_t;

typedef struct {
    uint8_t type; /* POSKO_REC_SUBMISSION, _FOLLOWUP or _FEEDBACK */
    posko_value_t slot[POSKO_RECORD_SLOTS];
    size_t nextra;
    posko_extra_t extra[POSKO_RECORD_FIELDS_MAX];
} posko_record_t;

/* An empty record of the type: every slot absent, no extras. */
void posko_record_init(posko_record_t *rec, uint8_t type);

/* How many slots the type has (0 for a type without fields), the on-disk
 * name of one, and the slot with this name (-1 when there is none). */
int posko_record_slots(uint8_t type);
const char *posko_record_name(uint8_t type, int slot);
int posko_record_find(uint8_t type, const char *name, size_t len);

/* Bytes of the encoded record: frame and payload. */
size_t posko_record_size(const posko_record_t *rec);

/* Writes the record at out (posko_record_size() bytes) with an unsummed
 * frame (posko_wal_frame_unsummed: the WAL writer adds the checksum once
 * it knows the segment) and returns the byte after it.  Extras must have
 * names the table does not know, and the payload must stay within
 * POSKO_WAL_PAYLOAD_MAX. */
uint8_t *posko_record_encode(uint8_t *out, const posko_record_t *rec);

/* Reads a payload of the given type into out.  Returns 0, or -1 with *why
 * set to a short English reason: the type has no fields table, the
 * payload does not parse, a known field is repeated, or it has more than
 * POSKO_RECORD_FIELDS_MAX fields.  After a failure out still holds the
 * fields read before it. */
int posko_record_decode(uint8_t type, const uint8_t *payload, size_t len,
                        posko_record_t *out, const char **why);

#endif
