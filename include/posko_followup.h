/*
 * posko_followup.h - an officer's follow-up of a complaint: the fields of
 * the follow-up form, where it may send the browser back to, and the
 * complaint's lifecycle.
 *
 * The module takes follow-ups with the form rules here (posko_followup;)
 * and the batch command applies them to complaints with
 * posko_lifecycle_step(), so that what the form accepts and what ingest
 * allows are written down once.
 *
 *   diterima -> verifikasi -> faktual | tidak_faktual
 *            -> ditindaklanjuti -> selesai;
 *   any open complaint can be ditutup (for example as a duplicate).
 */
#ifndef POSKO_FOLLOWUP_H
#define POSKO_FOLLOWUP_H

#include "posko_form.h"

#include <stddef.h>

/* The follow-up form's fields. */
typedef enum {
    POSKO_FU_KODE,
    POSKO_FU_AKSI,
    POSKO_FU_CATATAN,
    POSKO_FU_UNIT,
    POSKO_FU_DUPLIKAT_DARI,
    POSKO_FU_COUNT
} posko_followup_field_t;

extern const posko_field_t posko_followup_fields[POSKO_FU_COUNT];

/* A complaint's status. */
typedef enum {
    POSKO_S_DITERIMA,        /* received */
    POSKO_S_VERIFIKASI,      /* being verified in the field */
    POSKO_S_FAKTUAL,         /* verified: it happened */
    POSKO_S_TIDAK_FAKTUAL,   /* verified: it did not */
    POSKO_S_DITINDAKLANJUTI, /* being acted on */
    POSKO_S_SELESAI,         /* solved */
    POSKO_S_DITUTUP,         /* closed, e.g. as a duplicate */
    POSKO_S_COUNT
} posko_status_t;

/* An officer's action. */
typedef enum {
    POSKO_A_MULAI_VERIFIKASI,
    POSKO_A_FAKTUAL,
    POSKO_A_TIDAK_FAKTUAL,
    POSKO_A_TUGASKAN, /* assign to an officers' unit */
    POSKO_A_TINDAKAN, /* action taken */
    POSKO_A_SELESAI,
    POSKO_A_TUTUP,
    POSKO_A_COUNT
} posko_aksi_t;

extern const char *const posko_status_names[POSKO_S_COUNT];
/* NULL after the last, as the form rule's list of values. */
extern const char *const posko_aksi_names[POSKO_A_COUNT + 1];

/* What an action needs besides the code. */
#define POSKO_NEEDS_NOTE 1        /* catatan */
#define POSKO_NEEDS_UNIT 2        /* unit */
#define POSKO_NEEDS_NOTE_OR_DUP 4 /* catatan or duplikat_dari */

/* Index of a status or an action by name, or -1. */
int posko_status_find(const char *name, size_t len);
int posko_aksi_find(const char *name, size_t len);

unsigned posko_aksi_needs(posko_aksi_t aksi);

/* The status a complaint in status from moves to when aksi is applied,
 * or -1 when the lifecycle does not allow it; then *why says why, in
 * Indonesian with the English after a " / ". */
int posko_lifecycle_step(posko_status_t from, posko_aksi_t aksi,
                         const char **why);

/* Whether a complaint in this status still waits for the team. */
int posko_status_open(posko_status_t s);

/* The longest "kembali" taken. */
#define POSKO_BACK_MAX 512

/* Whether the form's "kembali" (len bytes of s) may be where a browser is
 * sent back to: 1 for a path on this site, 0 for anything else.  A path
 * starts with one "/" and not "//" or "/\\" (which browsers read as
 * another site), and holds only printable ASCII without spaces, "\\",
 * quotes or angle brackets, so that it goes into a Location header and a
 * page as it is. */
int posko_followup_back_ok(const char *s, size_t len);

#endif
