/*
 * posko_multipart.h - a strict parser for multipart/form-data bodies
 * (RFC 7578 over RFC 2046), the counterpart of the urlencoded splitting in
 * posko_form.h.
 *
 * The module reads the whole request body into memory, takes the boundary
 * from the Content-Type header with posko_multipart_boundary(), then walks
 * the parts with posko_multipart_next().  Values are returned as they were
 * sent (no decoding, no line folding) and point into the body; nothing is
 * allocated.  Anything the parser is not sure of is refused with an error
 * code rather than guessed at, so that the module never reads a field that
 * another parser would have read differently.
 *
 * What is accepted:
 *   - a preamble before the first delimiter and an epilogue after the
 *     closing one, both ignored; the first delimiter may start the body;
 *   - CRLF line endings, or bare LF ones (some clients), but one or the
 *     other throughout: the line ending of the first delimiter line decides;
 *   - spaces and tabs after a boundary (transport padding);
 *   - per part, at most POSKO_MP_MAX_HEADERS header lines in at most
 *     POSKO_MP_MAX_HEADER_BYTES bytes (line endings and the empty line
 *     included), named case-insensitively, no folded lines;
 *   - Content-Disposition: form-data with a non-empty name="..." (quoted or
 *     a plain token); a filename parameter, even empty, marks a file;
 *   - Content-Type: anything; other than text/plain it marks a file too;
 *   - Content-Transfer-Encoding: 7bit, 8bit or binary only.
 *
 * Browsers send '"', CR and LF in names as %22, %0D and %0A: those are
 * returned as sent.  Backslash escapes inside a quoted name or filename are
 * undone (RFC 822 quoted-pair).
 *
 * This file has no dependency on nginx.
 */
#ifndef POSKO_MULTIPART_H
#define POSKO_MULTIPART_H

#include <stddef.h>
#include <stdint.h>

#define POSKO_MP_BOUNDARY_MAX 70 /* RFC 2046 */
#define POSKO_MP_MAX_HEADERS 16
#define POSKO_MP_MAX_HEADER_BYTES 8192

/* Results.  Every error is negative; posko_multipart_strerror() says why. */
#define POSKO_MP_OK 0
#define POSKO_MP_NOT_MULTIPART (-1)     /* type is not multipart/form-data */
#define POSKO_MP_BAD_CONTENT_TYPE (-2)  /* malformed Content-Type parameters */
#define POSKO_MP_NO_BOUNDARY (-3)       /* no boundary parameter */
#define POSKO_MP_BAD_BOUNDARY (-4)      /* empty, too long, bad chars, twice */
#define POSKO_MP_NO_DELIMITER (-5)      /* the boundary never starts a line */
#define POSKO_MP_BAD_DELIMITER (-6)     /* text after a boundary on its line */
#define POSKO_MP_MIXED_EOL (-7)         /* CRLF and bare LF in one body */
#define POSKO_MP_UNTERMINATED (-8)      /* body ends before the closing one */
#define POSKO_MP_BAD_HEADER (-9)        /* no colon, bad name, control char */
#define POSKO_MP_TOO_MANY_HEADERS (-10) /* more than POSKO_MP_MAX_HEADERS */
#define POSKO_MP_HEADERS_TOO_LONG (-11) /* over POSKO_MP_MAX_HEADER_BYTES */
#define POSKO_MP_DUP_HEADER (-12)       /* a header that matters, twice */
#define POSKO_MP_NOT_FORM_DATA (-13)    /* no Content-Disposition: form-data */
#define POSKO_MP_BAD_DISPOSITION (-14)  /* malformed or repeated parameters */
#define POSKO_MP_NO_NAME (-15)          /* no name, or an empty one */
#define POSKO_MP_BAD_ENCODING (-16)     /* Content-Transfer-Encoding refused */
#define POSKO_MP_ERR_LAST POSKO_MP_BAD_ENCODING

/* Parser state over one whole body in memory.  Treat it as opaque. */
typedef struct {
    const uint8_t *pos; /* where the next part's headers start */
    const uint8_t *start;
    const uint8_t *end;
    const uint8_t *boundary;
    size_t boundary_len;
    int state; /* 0 before the first delimiter, 1 in parts, 2 done, <0 */
    int crlf;  /* 1: CRLF line endings, 0: bare LF */
    /* names and filenames whose backslash escapes were undone */
    uint8_t buf[POSKO_MP_MAX_HEADER_BYTES];
} posko_multipart_t;

/* One part.  name and filename point into the body, or into the parser's
 * buf when they had backslash escapes (valid until the next call); value
 * and content_type always point into the body. */
typedef struct {
    const uint8_t *name;
    size_t name_len;
    const uint8_t *value;
    size_t value_len;
    int is_file; /* a filename parameter, or a Content-Type not text/plain */
    const uint8_t *filename; /* NULL without a filename parameter */
    size_t filename_len;
    const uint8_t *content_type; /* NULL without a Content-Type header */
    size_t content_type_len;
} posko_part_t;

/* Finds the boundary parameter in a Content-Type value such as
 * `multipart/form-data; boundary=----WebKitFormBoundaryX` or with a quoted
 * `boundary="a b"`.  The type and the parameter names are matched
 * case-insensitively.  The boundary must be 1 to 70 of RFC 2046's bchars
 * and not end in a space.  On POSKO_MP_OK *boundary points into ct.
 * Returns POSKO_MP_OK, POSKO_MP_NOT_MULTIPART, POSKO_MP_BAD_CONTENT_TYPE,
 * POSKO_MP_NO_BOUNDARY or POSKO_MP_BAD_BOUNDARY. */
int posko_multipart_boundary(const uint8_t *ct, size_t len,
                             const uint8_t **boundary, size_t *boundary_len);

/* Starts parsing body (len bytes) with the given boundary, without the
 * leading "--".  Neither is copied: both must outlive the parser.  An
 * invalid boundary makes the first posko_multipart_next() fail with
 * POSKO_MP_BAD_BOUNDARY. */
void posko_multipart_init(posko_multipart_t *mp, const uint8_t *body,
                          size_t len, const uint8_t *boundary,
                          size_t boundary_len);

/* Reads the next part.  Returns 1 with *part filled in, 0 once the closing
 * delimiter is reached (the epilogue after it is ignored), or a negative
 * error code.  A part is returned only when the delimiter after it is
 * sound.  Errors and the end are sticky: later calls return them again. */
int posko_multipart_next(posko_multipart_t *mp, posko_part_t *part);

/* A short English reason for a result code ("unknown error" for others). */
const char *posko_multipart_strerror(int code);

#endif
