/*
 * posko_feedback.c - the fields of the pilgrim's answer to a solved
 * complaint (see posko_feedback.h).
 */
#include "posko_feedback.h"

#include <stddef.h>

static const char *const posko_puas_values[] = {"ya", "tidak", NULL};
static const char *const posko_rating_values[] = {"1", "2", "3", "4", "5",
                                                  NULL};

const posko_field_t posko_feedback_fields[POSKO_FB_COUNT] = {
    {"kode", "Kode pelacakan", 1, 20, NULL, POSKO_CHARS_TEXT},
    {"puas", "Sudah selesai", 1, 5, posko_puas_values, POSKO_CHARS_TEXT},
    {"rating", "Penilaian penanganan", 1, 1, posko_rating_values,
     POSKO_CHARS_TEXT},
    {"komentar", "Komentar", 0, 1000, NULL, POSKO_CHARS_TEXT},
};
