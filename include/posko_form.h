/*
 * posko_form.h - the submission form: its fields, their rules and
 * messages, and the decoding of an application/x-www-form-urlencoded body.
 *
 * The module validates with these rules; the batch command takes the
 * field names from the same table for its columns.  The shipped rules are
 * the form of docs/architecture.md; posko_field changes them per location
 * (ngx_module/ngx_http_posko_rules.c).
 */
#ifndef POSKO_FORM_H
#define POSKO_FORM_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    POSKO_F_JENIS,
    POSKO_F_PELAPOR,
    POSKO_F_KATEGORI,
    POSKO_F_LOKASI,
    POSKO_F_EMBARKASI,
    POSKO_F_KLOTER,
    POSKO_F_URAIAN,
    POSKO_F_NAMA,
    POSKO_F_TELEPON,
    POSKO_F_EMAIL,
    POSKO_F_RATING,
    POSKO_F_COUNT
} posko_field_id_t;

/* Character classes a value may be restricted to. */
typedef enum {
    POSKO_CHARS_TEXT,   /* any UTF-8 text */
    POSKO_CHARS_KLOTER, /* letters, digits, '-' and '/' */
    POSKO_CHARS_PHONE,  /* digits, '+', ' ', '-', '(', ')' */
    POSKO_CHARS_EMAIL   /* no spaces, exactly one '@' */
} posko_chars_t;

typedef struct {
    const char *name;
    const char *label; /* Indonesian label, as on the form */
    int required;
    size_t max_chars;          /* in characters, not bytes */
    const char *const *values; /* NULL-terminated, or NULL for free text */
    posko_chars_t chars;
} posko_field_t;

/* Why a value was refused; index into the message tables. */
typedef enum {
    POSKO_ERR_NONE,
    POSKO_ERR_REQUIRED,
    POSKO_ERR_TOO_LONG,
    POSKO_ERR_NOT_IN_LIST,
    POSKO_ERR_BAD_CHARS,
    POSKO_ERR_BAD_UTF8,
    POSKO_ERR_BAD_ENCODING,
    POSKO_ERR_REPEATED,
    POSKO_ERR_PATTERN, /* does not match the configured pattern */
    POSKO_ERR_FILE,    /* a file was attached where text is expected */
    POSKO_ERR_KODE,    /* not a tracking code: mistyped */
    POSKO_ERR_COUNT
} posko_err_t;

extern const posko_field_t posko_fields[POSKO_F_COUNT];

/* Returns the field with that name, or -1. */
int posko_field_find(const char *name, size_t len);

/* Whether every byte of v belongs to the character class. */
int posko_chars_ok(posko_chars_t chars, const uint8_t *v, size_t len);

/* Checks one decoded, non-empty value against its field's rules. */
posko_err_t posko_field_check(const posko_field_t *f, const uint8_t *value,
                              size_t len);

/* The message for a refused field, in Indonesian and in English. */
const char *posko_err_message_id(posko_err_t err);
const char *posko_err_message_en(posko_err_t err);

/* Splits the next name=value pair off an urlencoded body.  Returns 1 and
 * sets the raw (still encoded) name and value, or 0 at the end.  Empty
 * pairs ("a=1&&b=2") are skipped. */
int posko_form_next_pair(const uint8_t **p, const uint8_t *end,
                         const uint8_t **name, size_t *name_len,
                         const uint8_t **value, size_t *value_len);

/* Decodes percent-escapes and '+' into dst (which may equal src).
 * Returns the decoded length, or -1 on a broken escape. */
long posko_urldecode(uint8_t *dst, const uint8_t *src, size_t len);

/* Tidies a decoded value in place the way every field is stored: CRLF
 * and lone CR become LF, and spaces, tabs and line breaks around the text
 * are dropped.  Returns the new length. */
size_t posko_text_tidy(uint8_t *v, size_t len);

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF,
 * no NUL.  Returns the number of characters, or -1. */
long posko_utf8_chars(const uint8_t *s, size_t len);

#endif
