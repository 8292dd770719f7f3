/*
 * posko_record.c - each WAL record type's fields, and the one encoder and
 * decoder of their payloads (see posko_record.h).
 *
 * A type's slots are its own fields first (kode, the time, and for a
 * follow-up the officer), then fields of its form in the form's order,
 * named as the form names them (posko_form.c, posko_followup.c,
 * posko_feedback.c): what the form takes is what the record holds.
 */
#include "posko_record.h"

#include "posko_feedback.h"
#include "posko_followup.h"

#include <string.h>

typedef struct {
    const char *const *own; /* the names of the first slots */
    int own_count;
    const posko_field_t *form; /* the rest: these form fields, */
    int form_first;            /* from this one on */
    int count;
} posko_record_table_t;

static const char *const posko_sub_own[] = {"kode", "received_at"};
static const char *const posko_fup_own[] = {"kode", "at", "petugas"};
static const char *const posko_fbk_own[] = {"kode", "at"};

static const posko_record_table_t posko_record_tables[] = {
    [POSKO_REC_SUBMISSION] = {posko_sub_own, 2, posko_fields, 0,
                              POSKO_SUB_COUNT},
    [POSKO_REC_FOLLOWUP] = {posko_fup_own, 3, posko_followup_fields,
                            POSKO_FU_AKSI, POSKO_FUP_COUNT},
    [POSKO_REC_FEEDBACK] = {posko_fbk_own, 2, posko_feedback_fields,
                            POSKO_FB_PUAS, POSKO_FBK_COUNT},
};

static const posko_record_table_t *posko_record_table(uint8_t type) {
    if (type >= sizeof(posko_record_tables) / sizeof(posko_record_tables[0]) ||
        posko_record_tables[type].count == 0) {
        return NULL;
    }
    return &posko_record_tables[type];
}

static const char *posko_table_name(const posko_record_table_t *t, int slot) {
    return slot < t->own_count
               ? t->own[slot]
               : t->form[t->form_first + slot - t->own_count].name;
}

void posko_record_init(posko_record_t *rec, uint8_t type) {
    /* the extras count only up to nextra: no need to clear them */
    memset(rec->slot, 0, sizeof(rec->slot));
    rec->type = type;
    rec->nextra = 0;
}

int posko_record_slots(uint8_t type) {
    const posko_record_table_t *t = posko_record_table(type);

    return t != NULL ? t->count : 0;
}

const char *posko_record_name(uint8_t type, int slot) {
    const posko_record_table_t *t = posko_record_table(type);

    if (t == NULL || slot < 0 || slot >= t->count) {
        return NULL;
    }
    return posko_table_name(t, slot);
}

static int posko_table_find(const posko_record_table_t *t, const char *name,
                            size_t len) {
    for (int i = 0; i < t->count; i++) {
        const char *n = posko_table_name(t, i);

        if (len > 0 && n[0] == name[0] && strlen(n) == len &&
            memcmp(n, name, len) == 0) {
            return i;
        }
    }
    return -1;
}

int posko_record_find(uint8_t type, const char *name, size_t len) {
    const posko_record_table_t *t = posko_record_table(type);

    return t != NULL ? posko_table_find(t, name, len) : -1;
}

/* The k-th field the encoder may write: the slots in table order, then
 * the extras.  1 with *f filled when it is to be written (present and
 * not empty), else 0. */
static int posko_record_field(const posko_record_table_t *t,
                              const posko_record_t *rec, size_t k,
                              posko_extra_t *f) {
    if (k >= (size_t)t->count) {
        *f = rec->extra[k - (size_t)t->count];
        return f->value.data != NULL && f->value.len > 0;
    }
    if (rec->slot[k].data == NULL || rec->slot[k].len == 0) {
        return 0;
    }
    f->name = posko_table_name(t, (int)k);
    f->name_len = strlen(f->name);
    f->value = rec->slot[k];
    return 1;
}

size_t posko_record_size(const posko_record_t *rec) {
    const posko_record_table_t *t = posko_record_table(rec->type);
    size_t size = POSKO_WAL_FRAME_SIZE;
    posko_extra_t f;

    if (t == NULL) {
        return 0;
    }
    for (size_t k = 0; k < (size_t)t->count + rec->nextra; k++) {
        if (posko_record_field(t, rec, k, &f)) {
            size += posko_wal_field_size(f.name_len, f.value.len);
        }
    }
    return size;
}

uint8_t *posko_record_encode(uint8_t *out, const posko_record_t *rec) {
    const posko_record_table_t *t = posko_record_table(rec->type);
    uint8_t *p = out + POSKO_WAL_FRAME_SIZE;
    posko_extra_t f;

    if (t == NULL) {
        return out;
    }
    for (size_t k = 0; k < (size_t)t->count + rec->nextra; k++) {
        if (posko_record_field(t, rec, k, &f)) {
            p = posko_wal_field_put(p, f.name, f.name_len, f.value.data,
                                    f.value.len);
        }
    }
    posko_wal_frame_unsummed(out, rec->type,
                             (uint32_t)(p - out - POSKO_WAL_FRAME_SIZE));
    return p;
}

int posko_record_decode(uint8_t type, const uint8_t *payload, size_t len,
                        posko_record_t *out, const char **why) {
    const posko_record_table_t *t = posko_record_table(type);
    const uint8_t *p = payload, *end = len > 0 ? payload + len : payload;
    posko_wal_field_t f;
    size_t n = 0;
    int r;

    posko_record_init(out, type);
    if (t == NULL) {
        *why = "unknown record type";
        return -1;
    }
    while ((r = posko_wal_field_next(&p, end, &f)) == 1) {
        int slot = posko_table_find(t, f.name, f.name_len);
        posko_value_t v = {f.value, f.value_len};

        if (++n > POSKO_RECORD_FIELDS_MAX) {
            *why = "too many fields";
            return -1;
        }
        if (slot < 0) {
            out->extra[out->nextra++] = (posko_extra_t){f.name, f.name_len, v};
        } else if (out->slot[slot].data != NULL) {
            *why = "a field is repeated";
            return -1;
        } else {
            out->slot[slot] = v;
        }
    }
    if (r < 0) {
        *why = "payload fields do not parse";
        return -1;
    }
    return 0;
}
