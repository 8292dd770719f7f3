/*
 * posko_multipart.c - the multipart/form-data parser of posko_multipart.h.
 *
 * The body is walked once, front to back.  A delimiter is searched for as
 * "\n--boundary": memchr finds each LF and the bytes after it are compared
 * with the boundary.  A compare that fails stops at a byte the boundary
 * does not match; the bytes it did match hold no LF (a boundary cannot
 * contain one), so memchr resumes past them and each byte is looked at a
 * bounded number of times.  Header lines are bounded by
 * POSKO_MP_MAX_HEADER_BYTES.  The whole walk is linear in the body.
 *
 * Whether the CR before that LF belongs to the delimiter is decided by the
 * body's line-ending mode, fixed by the first delimiter line.  A delimiter
 * line whose boundary is followed by anything but "--", transport padding
 * and a line end is refused: RFC 2046 forbids the boundary inside a part,
 * and guessing there is how two parsers come to disagree on a body.
 */
#include "posko_multipart.h"

#include <string.h>

enum { POSKO_MP_BEFORE, POSKO_MP_PARTS, POSKO_MP_DONE };

static const char *const posko_mp_errors[] = {
    "no error",
    "Content-Type is not multipart/form-data",
    "malformed Content-Type parameters",
    "Content-Type has no boundary parameter",
    "boundary is empty, over 70 characters, repeated or has bad characters",
    "body does not contain the boundary",
    "boundary line is followed by unexpected text",
    "line endings mix CRLF and bare LF",
    "body ends before the closing boundary",
    "malformed part header line",
    "part has more than 16 header lines",
    "part headers are longer than 8 KiB",
    "part has a Content-* header twice",
    "part has no Content-Disposition: form-data header",
    "malformed Content-Disposition parameters",
    "part has no name or an empty one",
    "Content-Transfer-Encoding is not 7bit, 8bit or binary",
};

const char *posko_multipart_strerror(int code) {
    if (code > 0 || code < POSKO_MP_ERR_LAST) {
        return "unknown error";
    }
    return posko_mp_errors[-code];
}

/* -- characters -------------------------------------------------------- */

/* RFC 7230 tchar: what a header name or a parameter name is made of. */
static int posko_mp_tchar(uint8_t c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
        (c >= 'A' && c <= 'Z')) {
        return 1;
    }
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 2046 bchars, without the space. */
static int posko_mp_bchar(uint8_t c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
        (c >= 'A' && c <= 'Z')) {
        return 1;
    }
    return c != 0 && strchr("'()+_,-./:=?", c) != NULL;
}

/* A control character other than a tab. */
static int posko_mp_ctl(uint8_t c) {
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

static const uint8_t *posko_mp_skip_ows(const uint8_t *p, const uint8_t *e) {
    while (p < e && (*p == ' ' || *p == '\t')) {
        p++;
    }
    return p;
}

/* Whether s (len bytes) is the lowercase ASCII word w, ignoring case. */
static int posko_mp_ieq(const uint8_t *s, size_t len, const char *w) {
    size_t i;

    if (strlen(w) != len) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        uint8_t c = s[i];

        if (c >= 'A' && c <= 'Z') {
            c = (uint8_t)(c + ('a' - 'A'));
        }
        if (c != (uint8_t)w[i]) {
            return 0;
        }
    }
    return 1;
}

/* -- parameters -------------------------------------------------------- */

typedef struct {
    const uint8_t *key;
    size_t key_len;
    const uint8_t *val; /* between the quotes when quoted */
    size_t val_len;
    int escaped; /* the quoted value holds backslash escapes */
} posko_mp_param_t;

/*
 * Reads the next `; key=value` off [*pp, e).  The value is a quoted string
 * or a run of visible characters other than '"', ';' and '\'.  Spaces and
 * tabs may surround ';' and '='; empty parameters (";;", a trailing ';')
 * are skipped.  Returns 1 with the parameter, 0 at the end, -1 when
 * malformed.
 */
static int posko_mp_next_param(const uint8_t **pp, const uint8_t *e,
                               posko_mp_param_t *prm) {
    const uint8_t *p = *pp;

    for (;;) {
        p = posko_mp_skip_ows(p, e);
        if (p == e) {
            *pp = p;
            return 0;
        }
        if (*p != ';') {
            return -1;
        }
        p = posko_mp_skip_ows(p + 1, e);
        if (p < e && *p != ';') {
            break;
        }
    }
    if (p == e) {
        *pp = p;
        return 0;
    }
    prm->key = p;
    while (p < e && posko_mp_tchar(*p)) {
        p++;
    }
    prm->key_len = (size_t)(p - prm->key);
    p = posko_mp_skip_ows(p, e);
    if (prm->key_len == 0 || p == e || *p != '=') {
        return -1;
    }
    p = posko_mp_skip_ows(p + 1, e);
    prm->escaped = 0;
    if (p < e && *p == '"') {
        prm->val = ++p;
        for (;;) {
            if (p == e || posko_mp_ctl(*p)) {
                return -1;
            }
            if (*p == '"') {
                break;
            }
            if (*p == '\\') {
                if (e - p < 2 || posko_mp_ctl(p[1])) {
                    return -1;
                }
                prm->escaped = 1;
                p++;
            }
            p++;
        }
        prm->val_len = (size_t)(p - prm->val);
        p++;
    } else {
        prm->val = p;
        while (p<e && * p> ' ' && *p != 0x7f && *p != '"' && *p != ';' &&
               *p != '\\') {
            p++;
        }
        prm->val_len = (size_t)(p - prm->val);
        if (prm->val_len == 0) {
            return -1;
        }
    }
    *pp = p;
    return 1;
}

/* The media type at the start of a header value: up to OWS, ';' or end. */
static size_t posko_mp_type_len(const uint8_t *p, const uint8_t *e) {
    const uint8_t *t = p;

    while (p < e && (posko_mp_tchar(*p) || *p == '/')) {
        p++;
    }
    return (size_t)(p - t);
}

static int posko_mp_boundary_ok(const uint8_t *b, size_t len) {
    size_t i;

    if (len == 0 || len > POSKO_MP_BOUNDARY_MAX || b[len - 1] == ' ') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (b[i] != ' ' && !posko_mp_bchar(b[i])) {
            return 0;
        }
    }
    return 1;
}

int posko_multipart_boundary(const uint8_t *ct, size_t len,
                             const uint8_t **boundary, size_t *boundary_len) {
    const uint8_t *p, *e;
    const uint8_t *b = NULL;
    size_t blen = 0;
    posko_mp_param_t prm;
    size_t tlen;
    int rc;

    if (ct == NULL || len == 0) {
        return POSKO_MP_NOT_MULTIPART;
    }
    e = ct + len;
    p = posko_mp_skip_ows(ct, e);
    tlen = posko_mp_type_len(p, e);
    if (!posko_mp_ieq(p, tlen, "multipart/form-data")) {
        return POSKO_MP_NOT_MULTIPART;
    }
    p += tlen;
    while ((rc = posko_mp_next_param(&p, e, &prm)) == 1) {
        if (!posko_mp_ieq(prm.key, prm.key_len, "boundary")) {
            continue;
        }
        if (b != NULL || prm.escaped) {
            return POSKO_MP_BAD_BOUNDARY;
        }
        b = prm.val;
        blen = prm.val_len;
        if (!posko_mp_boundary_ok(b, blen)) {
            return POSKO_MP_BAD_BOUNDARY;
        }
    }
    if (rc < 0) {
        return POSKO_MP_BAD_CONTENT_TYPE;
    }
    if (b == NULL) {
        return POSKO_MP_NO_BOUNDARY;
    }
    *boundary = b;
    *boundary_len = blen;
    return POSKO_MP_OK;
}

/* -- the body ---------------------------------------------------------- */

void posko_multipart_init(posko_multipart_t *mp, const uint8_t *body,
                          size_t len, const uint8_t *boundary,
                          size_t boundary_len) {
    static const uint8_t empty[1];

    if (body == NULL) {
        body = empty;
        len = 0;
    }
    mp->start = body;
    mp->pos = body;
    mp->end = body + len;
    mp->boundary = boundary;
    mp->boundary_len = boundary_len;
    mp->crlf = 1;
    mp->state = POSKO_MP_BEFORE;
    if (boundary == NULL || !posko_mp_boundary_ok(boundary, boundary_len)) {
        mp->state = POSKO_MP_BAD_BOUNDARY;
    }
}

/* The LF of the first "\n--boundary" in [p, end), or NULL. */
static const uint8_t *posko_mp_find(const posko_multipart_t *mp,
                                    const uint8_t *p) {
    size_t need = 3 + mp->boundary_len;

    while ((size_t)(mp->end - p) >= need) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(mp->end - p) - need + 1);

        if (nl == NULL) {
            return NULL;
        }
        if (nl[1] == '-' && nl[2] == '-' &&
            memcmp(nl + 3, mp->boundary, mp->boundary_len) == 0) {
            return nl;
        }
        p = nl + 1;
    }
    return NULL;
}

/*
 * Finishes a delimiter line whose "--boundary" ends just before p: either
 * "--" (the closing delimiter: done) or transport padding and a line end,
 * which must match the body's mode (the first delimiter line sets it).
 * Returns 0 when done, 1 with mp->pos at the next part, or an error.
 */
static int posko_mp_delimiter_end(posko_multipart_t *mp, const uint8_t *p) {
    const uint8_t *e = mp->end;
    int crlf;

    if (p < e && *p == '-') {
        if (e - p < 2) {
            return POSKO_MP_UNTERMINATED;
        }
        if (p[1] != '-') {
            return POSKO_MP_BAD_DELIMITER;
        }
        mp->state = POSKO_MP_DONE;
        return 0;
    }
    p = posko_mp_skip_ows(p, e);
    if (p == e) {
        return POSKO_MP_UNTERMINATED;
    }
    if (*p == '\n') {
        crlf = 0;
        p++;
    } else if (*p == '\r') {
        if (e - p < 2) {
            return POSKO_MP_UNTERMINATED;
        }
        if (p[1] != '\n') {
            return POSKO_MP_BAD_DELIMITER;
        }
        crlf = 1;
        p += 2;
    } else {
        return POSKO_MP_BAD_DELIMITER;
    }
    if (mp->state == POSKO_MP_BEFORE) {
        mp->crlf = crlf;
        mp->state = POSKO_MP_PARTS;
    } else if (crlf != mp->crlf) {
        return POSKO_MP_MIXED_EOL;
    }
    mp->pos = p;
    return 1;
}

/* Copies a quoted string's content into mp->buf at *used, undoing its
 * backslash escapes; returns where the copy starts, or NULL if no room. */
static const uint8_t *posko_mp_unescape(posko_multipart_t *mp, size_t *used,
                                        const uint8_t *s, size_t *len) {
    uint8_t *dst = mp->buf + *used;
    size_t i, o = 0;

    if (*len > sizeof(mp->buf) - *used) {
        return NULL;
    }
    for (i = 0; i < *len; i++) {
        if (s[i] == '\\') {
            i++; /* posko_mp_next_param saw that a character follows */
        }
        dst[o++] = s[i];
    }
    *used += o;
    *len = o;
    return dst;
}

/* Content-Disposition: form-data; name="..."[; filename="..."] */
static int posko_mp_disposition(posko_multipart_t *mp, const uint8_t *p,
                                const uint8_t *e, posko_part_t *part) {
    posko_mp_param_t prm;
    size_t used = 0;
    size_t tlen = posko_mp_type_len(p, e);
    int rc;

    if (!posko_mp_ieq(p, tlen, "form-data")) {
        return POSKO_MP_NOT_FORM_DATA;
    }
    p += tlen;
    while ((rc = posko_mp_next_param(&p, e, &prm)) == 1) {
        const uint8_t **dst;
        size_t *dst_len;

        if (posko_mp_ieq(prm.key, prm.key_len, "name")) {
            dst = &part->name;
            dst_len = &part->name_len;
        } else if (posko_mp_ieq(prm.key, prm.key_len, "filename")) {
            dst = &part->filename;
            dst_len = &part->filename_len;
            part->is_file = 1;
        } else {
            /* filename* (RFC 5987) marks a file; its value is not used */
            if (posko_mp_ieq(prm.key, prm.key_len, "filename*")) {
                part->is_file = 1;
            }
            continue;
        }
        if (*dst != NULL) {
            return POSKO_MP_BAD_DISPOSITION;
        }
        *dst_len = prm.val_len;
        *dst = prm.val;
        if (prm.escaped) {
            *dst = posko_mp_unescape(mp, &used, prm.val, dst_len);
            if (*dst == NULL) {
                return POSKO_MP_BAD_DISPOSITION;
            }
        }
    }
    return rc < 0 ? POSKO_MP_BAD_DISPOSITION : POSKO_MP_OK;
}

/* One header line [p, e) without its line end. */
static int posko_mp_header(posko_multipart_t *mp, const uint8_t *p,
                           const uint8_t *e, posko_part_t *part, int *seen_cd,
                           int *seen_cte) {
    const uint8_t *name = p;
    size_t name_len;
    const uint8_t *q;

    while (p < e && posko_mp_tchar(*p)) {
        p++;
    }
    name_len = (size_t)(p - name);
    if (name_len == 0 || p == e || *p != ':') {
        return POSKO_MP_BAD_HEADER; /* also a folded line: it starts with SP */
    }
    for (q = p + 1; q < e; q++) {
        if (posko_mp_ctl(*q)) {
            return POSKO_MP_BAD_HEADER;
        }
    }
    p = posko_mp_skip_ows(p + 1, e);
    while (e > p && (e[-1] == ' ' || e[-1] == '\t')) {
        e--;
    }
    if (posko_mp_ieq(name, name_len, "content-disposition")) {
        if ((*seen_cd)++) {
            return POSKO_MP_DUP_HEADER;
        }
        return posko_mp_disposition(mp, p, e, part);
    }
    if (posko_mp_ieq(name, name_len, "content-type")) {
        size_t tlen = posko_mp_type_len(p, e);

        if (part->content_type != NULL) {
            return POSKO_MP_DUP_HEADER;
        }
        part->content_type = p;
        part->content_type_len = (size_t)(e - p);
        if (!posko_mp_ieq(p, tlen, "text/plain") ||
            (p + tlen < e && p[tlen] != ' ' && p[tlen] != '\t' &&
             p[tlen] != ';')) {
            part->is_file = 1;
        }
        return POSKO_MP_OK;
    }
    if (posko_mp_ieq(name, name_len, "content-transfer-encoding")) {
        size_t len = (size_t)(e - p);

        if ((*seen_cte)++) {
            return POSKO_MP_DUP_HEADER;
        }
        if (!posko_mp_ieq(p, len, "7bit") && !posko_mp_ieq(p, len, "8bit") &&
            !posko_mp_ieq(p, len, "binary")) {
            return POSKO_MP_BAD_ENCODING;
        }
    }
    return POSKO_MP_OK;
}

/* Reads a part's headers from mp->pos; *value is set past the empty line. */
static int posko_mp_headers(posko_multipart_t *mp, posko_part_t *part,
                            const uint8_t **value) {
    const uint8_t *p = mp->pos;
    const uint8_t *lim = mp->end;
    int lines = 0, seen_cd = 0, seen_cte = 0;

    if ((size_t)(lim - p) > POSKO_MP_MAX_HEADER_BYTES) {
        lim = p + POSKO_MP_MAX_HEADER_BYTES;
    }
    for (;;) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(lim - p));
        const uint8_t *eol;
        int rc;

        if (nl == NULL) {
            return lim < mp->end ? POSKO_MP_HEADERS_TOO_LONG
                                 : POSKO_MP_UNTERMINATED;
        }
        eol = nl;
        if (nl > p && nl[-1] == '\r') {
            eol = nl - 1;
        }
        if ((eol < nl) != mp->crlf) {
            return POSKO_MP_MIXED_EOL;
        }
        if (eol == p) {
            *value = nl + 1;
            break;
        }
        if (++lines > POSKO_MP_MAX_HEADERS) {
            return POSKO_MP_TOO_MANY_HEADERS;
        }
        rc = posko_mp_header(mp, p, eol, part, &seen_cd, &seen_cte);
        if (rc != POSKO_MP_OK) {
            return rc;
        }
        p = nl + 1;
    }
    if (!seen_cd) {
        return POSKO_MP_NOT_FORM_DATA;
    }
    if (part->name == NULL || part->name_len == 0) {
        return POSKO_MP_NO_NAME;
    }
    return POSKO_MP_OK;
}

static int posko_mp_part(posko_multipart_t *mp, posko_part_t *part) {
    const uint8_t *value, *nl, *vend;
    int rc;

    memset(part, 0, sizeof(*part));
    rc = posko_mp_headers(mp, part, &value);
    if (rc != POSKO_MP_OK) {
        return rc;
    }
    /* From the empty line's LF: a part may end right after its headers. */
    nl = posko_mp_find(mp, value - 1);
    if (nl == NULL) {
        return POSKO_MP_UNTERMINATED;
    }
    vend = nl;
    if (nl > value - 1 && nl[-1] == '\r') {
        vend = nl - 1;
    }
    if (nl > value - 1 && (vend < nl) != mp->crlf) {
        return POSKO_MP_MIXED_EOL;
    }
    part->value = value;
    part->value_len = vend > value ? (size_t)(vend - value) : 0;
    rc = posko_mp_delimiter_end(mp, nl + 3 + mp->boundary_len);
    return rc < 0 ? rc : 1;
}

int posko_multipart_next(posko_multipart_t *mp, posko_part_t *part) {
    int rc;

    if (mp->state < 0) {
        return mp->state;
    }
    if (mp->state == POSKO_MP_DONE) {
        return 0;
    }
    if (mp->state == POSKO_MP_BEFORE) {
        const uint8_t *p = mp->start;
        size_t blen = mp->boundary_len;

        if ((size_t)(mp->end - p) >= 2 + blen && p[0] == '-' && p[1] == '-' &&
            memcmp(p + 2, mp->boundary, blen) == 0) {
            p += 2 + blen;
        } else {
            p = posko_mp_find(mp, p);
            if (p == NULL) {
                mp->state = POSKO_MP_NO_DELIMITER;
                return mp->state;
            }
            p += 3 + blen;
        }
        rc = posko_mp_delimiter_end(mp, p);
        if (rc <= 0) {
            if (rc < 0) {
                mp->state = rc;
            }
            return rc;
        }
    }
    rc = posko_mp_part(mp, part);
    if (rc < 0) {
        mp->state = rc;
    }
    return rc;
}
