/*
 * posko_feedback.h - the pilgrim's answer once a complaint is solved: is
 * it really solved (ya or tidak), how was it handled (1-5), and an
 * optional comment.
 *
 * The status page (posko_status) offers the form when a complaint is
 * solved and takes it with these rules; it goes through the WAL as a
 * POSKO_REC_FEEDBACK record with the fields below and "at".  Ingest
 * applies it (batch/feedback.c): "tidak" reopens the complaint into the
 * team's worklist, and the rating feeds the report's evaluation.
 */
#ifndef POSKO_FEEDBACK_H
#define POSKO_FEEDBACK_H

#include "posko_form.h"

typedef enum {
    POSKO_FB_KODE,
    POSKO_FB_PUAS,     /* "ya": solved indeed; "tidak": not solved */
    POSKO_FB_RATING,   /* 1 to 5: how the complaint was handled */
    POSKO_FB_KOMENTAR, /* optional */
    POSKO_FB_COUNT
} posko_feedback_field_t;

extern const posko_field_t posko_feedback_fields[POSKO_FB_COUNT];

#endif
