/*
 * posko_page.c - re-rendering the form page with the typed values and the
 * error messages (see posko_page.h for the rules).
 *
 * One pass over the template.  Text is gathered into a pending verbatim
 * run; a construct that changes (a field's tag, a textarea's content, a
 * marker) flushes the run, writes its own bytes and starts a new run.
 * Every write goes through put(), which only counts when there is no
 * buffer, so the sizing pass and the writing pass follow the same path and
 * cannot disagree.
 *
 * Tags are read the way an HTML parser tokenizes them (name, attributes,
 * quoted values that may hold '>'), but only as far as needed to find the
 * attributes we rewrite; nothing here decides whether the page is valid.
 */
#include "posko_page.h"

#include <string.h>

/* Where the output goes: a buffer of cap bytes, or nowhere (out NULL). */
typedef struct {
    uint8_t *out;
    size_t cap;
    size_t pos; /* bytes produced so far, SIZE_MAX once it overflowed */
} emit_t;

/* What the fields and the summary are, for the helpers below. */
typedef struct {
    const posko_page_field_t *fields;
    size_t nfields;
    const uint8_t *summary;
    size_t summary_len;
} page_t;

/* One tag: '<' at start, just past '>' at end. */
typedef struct {
    const uint8_t *start;
    const uint8_t *name; /* tag name, after '<' or "</" */
    size_t name_len;
    const uint8_t *attrs;     /* first byte after the tag name */
    const uint8_t *attrs_end; /* just past the last attribute */
    const uint8_t *end;
    int closing;
} tag_t;

/* One attribute of a tag. */
typedef struct {
    const uint8_t *lead; /* the blanks or '/' before it start here */
    const uint8_t *name;
    size_t name_len;
    const uint8_t *val; /* value without its quotes; NULL when absent */
    size_t val_len;
    const uint8_t *end; /* just past the attribute */
} attr_t;

/* -- output ---------------------------------------------------------- */

static void put(emit_t *e, const void *p, size_t n) {
    size_t room;

    if (n == 0) {
        return;
    }
    if (e->pos > SIZE_MAX - n) {
        e->pos = SIZE_MAX;
        return;
    }
    if (e->out != NULL && e->pos < e->cap) {
        room = e->cap - e->pos;
        memcpy(e->out + e->pos, p, n < room ? n : room);
    }
    e->pos += n;
}

static void put_str(emit_t *e, const char *s) { put(e, s, strlen(s)); }

/* The entity for a byte that must be escaped, or NULL. */
static const char *esc_entity(uint8_t c) {
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

static void put_esc(emit_t *e, const void *v, size_t n) {
    const uint8_t *p = v, *run = v;
    const char *ent;
    size_t i;

    for (i = 0; i < n; i++) {
        ent = esc_entity(p[i]);
        if (ent != NULL) {
            put(e, run, (size_t)(p + i - run));
            put_str(e, ent);
            run = p + i + 1;
        }
    }
    if (n > 0) {
        put(e, run, (size_t)(p + n - run));
    }
}

/* -- bytes ----------------------------------------------------------- */

static int is_blank(uint8_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alpha(uint8_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static uint8_t lower(uint8_t c) {
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c | 0x20) : c;
}

/* Whether s[0..n) is the lowercase ASCII word w, ignoring case. */
static int word_is(const uint8_t *s, size_t n, const char *w) {
    size_t i;

    if (n != strlen(w)) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (lower(s[i]) != (uint8_t)w[i]) {
            return 0;
        }
    }
    return 1;
}

static int same(const void *a, size_t alen, const void *b, size_t blen) {
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* Whether t[0..tn) is v[0..vn) escaped by put_esc. */
static int same_escaped(const uint8_t *t, size_t tn, const uint8_t *v,
                        size_t vn) {
    const char *ent;
    size_t i, j = 0, k;

    for (i = 0; i < vn; i++) {
        ent = esc_entity(v[i]);
        if (ent == NULL) {
            if (j >= tn || t[j] != v[i]) {
                return 0;
            }
            j++;
            continue;
        }
        k = strlen(ent);
        if (tn - j < k || memcmp(t + j, ent, k) != 0) {
            return 0;
        }
        j += k;
    }
    return j == tn;
}

/* The first occurrence of the string s in [p, end), or NULL. */
static const uint8_t *find(const uint8_t *p, const uint8_t *end,
                           const char *s) {
    size_t n = strlen(s);

    while ((size_t)(end - p) >= n) {
        p = memchr(p, s[0], (size_t)(end - p) - n + 1);
        if (p == NULL) {
            return NULL;
        }
        if (memcmp(p, s, n) == 0) {
            return p;
        }
        p++;
    }
    return NULL;
}

/* Whether a[0..n) and b[0..n) are equal, ASCII case ignored. */
static int same_nocase(const uint8_t *a, const uint8_t *b, size_t n) {
    size_t i;

    for (i = 0; i < n; i++) {
        if (lower(a[i]) != lower(b[i])) {
            return 0;
        }
    }
    return 1;
}

/* The '<' of the first end tag "</name" in [p, end), or NULL. */
static const uint8_t *find_end_tag(const uint8_t *p, const uint8_t *end,
                                   const uint8_t *name, size_t n) {
    const uint8_t *q;

    while ((q = find(p, end, "</")) != NULL) {
        p = q + 2;
        if ((size_t)(end - p) < n) {
            return NULL;
        }
        if (!same_nocase(p, name, n)) {
            continue;
        }
        if (p + n == end || is_blank(p[n]) || p[n] == '/' || p[n] == '>') {
            return q;
        }
    }
    return NULL;
}

/* -- tags ------------------------------------------------------------ */

/*
 * Reads the attribute at *pp.  Returns 1 with a filled and *pp past it,
 * 0 at the '>' that ends the tag (*pp on it), or -1 when the template ends
 * inside the tag.  A quoted value may hold '>' and blanks; an unquoted one
 * runs to a blank or '>'.
 */
static int next_attr(const uint8_t **pp, const uint8_t *end, attr_t *a) {
    const uint8_t *p = *pp, *q;

    a->lead = p;
    while (p < end && (is_blank(*p) || *p == '/')) {
        p++;
    }
    if (p == end) {
        return -1;
    }
    if (*p == '>') {
        *pp = p;
        return 0;
    }
    a->name = p++; /* the first byte may be anything, even '=' */
    while (p < end && !is_blank(*p) && *p != '/' && *p != '>' && *p != '=') {
        p++;
    }
    a->name_len = (size_t)(p - a->name);
    a->val = NULL;
    a->val_len = 0;
    a->end = p;
    q = p;
    while (q < end && is_blank(*q)) {
        q++;
    }
    if (q < end && *q == '=') {
        q++;
        while (q < end && is_blank(*q)) {
            q++;
        }
        if (q == end) {
            return -1;
        }
        if (*q == '"' || *q == '\'') {
            a->val = q + 1;
            q = memchr(a->val, *q, (size_t)(end - a->val));
            if (q == NULL) {
                return -1;
            }
            a->val_len = (size_t)(q - a->val);
            a->end = q + 1;
        } else {
            a->val = q;
            while (q < end && !is_blank(*q) && *q != '>') {
                q++;
            }
            a->val_len = (size_t)(q - a->val);
            a->end = q;
        }
    }
    *pp = a->end;
    return 1;
}

/*
 * Reads the tag whose '<' is at lt.  Returns 1 with t filled, 0 when the
 * '<' starts no tag (not followed by a letter, or "/" and a letter), -1
 * when the template ends inside the tag.
 */
static int parse_tag(const uint8_t *lt, const uint8_t *end, tag_t *t) {
    const uint8_t *p = lt + 1;
    attr_t a;
    int r;

    t->closing = 0;
    if (p < end && *p == '/') {
        t->closing = 1;
        p++;
    }
    if (p == end || !is_alpha(*p)) {
        return 0;
    }
    t->start = lt;
    t->name = p;
    while (p < end && !is_blank(*p) && *p != '/' && *p != '>') {
        p++;
    }
    t->name_len = (size_t)(p - t->name);
    t->attrs = p;
    t->attrs_end = p;
    while ((r = next_attr(&p, end, &a)) == 1) {
        t->attrs_end = a.end;
    }
    if (r < 0) {
        return -1;
    }
    t->end = p + 1;
    return 1;
}

/* The first attribute of t named n (lowercase); 1 if there is one. */
static int tag_attr(const tag_t *t, const char *n, attr_t *out) {
    const uint8_t *p = t->attrs;
    attr_t a;

    while (next_attr(&p, t->end, &a) == 1) {
        if (word_is(a.name, a.name_len, n)) {
            *out = a;
            return 1;
        }
    }
    return 0;
}

/* -- fields ---------------------------------------------------------- */

/* The first field named n[0..len), or NULL. */
static const posko_page_field_t *field_named(const page_t *pg, const uint8_t *n,
                                             size_t len) {
    size_t i;

    for (i = 0; i < pg->nfields; i++) {
        if (same(pg->fields[i].name, pg->fields[i].name_len, n, len)) {
            return &pg->fields[i];
        }
    }
    return NULL;
}

static size_t value_len(const posko_page_field_t *f) {
    return f->value != NULL ? f->value_len : 0;
}

/*
 * Whether a field named n[0..len) was typed as the template value
 * tv[0..tvlen), written either as is or escaped.  An empty typed value
 * matches nothing.
 */
static int field_chose(const page_t *pg, const uint8_t *n, size_t len,
                       const uint8_t *tv, size_t tvlen) {
    const posko_page_field_t *f;
    size_t i;

    for (i = 0; i < pg->nfields; i++) {
        f = &pg->fields[i];
        if (!same(f->name, f->name_len, n, len) || value_len(f) == 0) {
            continue;
        }
        if (same(tv, tvlen, f->value, f->value_len) ||
            same_escaped(tv, tvlen, f->value, f->value_len)) {
            return 1;
        }
    }
    return 0;
}

/* -- rewriting ------------------------------------------------------- */

/* Writes what is pending verbatim, [*lit, upto). */
static void flush(emit_t *e, const uint8_t **lit, const uint8_t *upto) {
    put(e, *lit, (size_t)(upto - *lit));
    *lit = upto;
}

/* Writes t without its attributes named mark, then " mark" if on. */
static void put_marked(emit_t *e, const tag_t *t, const char *mark, int on) {
    const uint8_t *c = t->start, *p = t->attrs;
    attr_t a;

    while (next_attr(&p, t->end, &a) == 1) {
        if (word_is(a.name, a.name_len, mark)) {
            put(e, c, (size_t)(a.lead - c));
            c = a.end;
        }
    }
    put(e, c, (size_t)(t->attrs_end - c));
    if (on) {
        put_str(e, " ");
        put_str(e, mark);
    }
    put(e, t->attrs_end, (size_t)(t->end - t->attrs_end));
}

/* Writes t with every value="..." holding v, added if there is none. */
static void put_valued(emit_t *e, const tag_t *t, const uint8_t *v,
                       size_t vlen) {
    const uint8_t *c = t->start, *p = t->attrs;
    attr_t a;
    int found = 0;

    while (next_attr(&p, t->end, &a) == 1) {
        if (word_is(a.name, a.name_len, "value")) {
            put(e, c, (size_t)(a.name - c));
            put_str(e, "value=\"");
            put_esc(e, v, vlen);
            put_str(e, "\"");
            c = a.end;
            found = 1;
        }
    }
    put(e, c, (size_t)(t->attrs_end - c));
    if (!found) {
        put_str(e, " value=\"");
        put_esc(e, v, vlen);
        put_str(e, "\"");
    }
    put(e, t->attrs_end, (size_t)(t->end - t->attrs_end));
}

static void render_input(emit_t *e, const page_t *pg, const tag_t *t,
                         const uint8_t **lit) {
    static const char *const untouched[] = {"submit", "reset", "button",
                                            "image", "file"};
    const posko_page_field_t *f;
    const uint8_t *tv;
    attr_t name, type, value;
    size_t i, tvlen;
    int has_type;

    if (!tag_attr(t, "name", &name) ||
        (f = field_named(pg, name.val, name.val_len)) == NULL) {
        return;
    }
    has_type = tag_attr(t, "type", &type);
    if (has_type) {
        for (i = 0; i < sizeof(untouched) / sizeof(untouched[0]); i++) {
            if (word_is(type.val, type.val_len, untouched[i])) {
                return;
            }
        }
    }
    flush(e, lit, t->start);
    *lit = t->end;
    if (has_type && (word_is(type.val, type.val_len, "radio") ||
                     word_is(type.val, type.val_len, "checkbox"))) {
        if (tag_attr(t, "value", &value)) {
            tv = value.val;
            tvlen = value.val_len;
        } else {
            tv = (const uint8_t *)"on";
            tvlen = 2;
        }
        put_marked(e, t, "checked",
                   field_chose(pg, name.val, name.val_len, tv, tvlen));
        return;
    }
    put_valued(e, t, f->value, value_len(f));
}

/* An <option> inside <select name="sel">; text_end bounds its text. */
static void render_option(emit_t *e, const page_t *pg, const tag_t *t,
                          const uint8_t *sel, size_t sel_len,
                          const uint8_t *text_end, const uint8_t **lit) {
    const uint8_t *tv, *q;
    attr_t value;
    size_t tvlen;

    if (field_named(pg, sel, sel_len) == NULL) {
        return;
    }
    if (tag_attr(t, "value", &value)) {
        tv = value.val;
        tvlen = value.val_len;
    } else {
        /* No value: the option's text, blanks around it dropped. */
        tv = t->end;
        q = memchr(tv, '<', (size_t)(text_end - tv));
        if (q == NULL) {
            q = text_end;
        }
        while (tv < q && is_blank(*tv)) {
            tv++;
        }
        while (q > tv && is_blank(q[-1])) {
            q--;
        }
        tvlen = (size_t)(q - tv);
    }
    flush(e, lit, t->start);
    *lit = t->end;
    put_marked(e, t, "selected", field_chose(pg, sel, sel_len, tv, tvlen));
}

/* A <textarea> whose content runs to close ("</textarea"). */
static void render_textarea(emit_t *e, const page_t *pg, const tag_t *t,
                            const uint8_t *close, const uint8_t **lit) {
    const posko_page_field_t *f;
    attr_t name;
    size_t n;

    if (!tag_attr(t, "name", &name) ||
        (f = field_named(pg, name.val, name.val_len)) == NULL) {
        return;
    }
    flush(e, lit, t->end);
    n = value_len(f);
    /* The HTML parser drops one line break right after <textarea>. */
    if (n > 0 && (f->value[0] == '\n' || f->value[0] == '\r')) {
        put_str(e, "\n");
    }
    put_esc(e, f->value, n);
    *lit = close;
}

/* -- markers --------------------------------------------------------- */

#define MARK_ERRORS "posko:errors"
#define MARK_ERROR "posko:error:"

static int is_marker(const uint8_t *body, size_t n) {
    size_t k = sizeof(MARK_ERROR) - 1;

    return same(body, n, MARK_ERRORS, sizeof(MARK_ERRORS) - 1) ||
           (n >= k && memcmp(body, MARK_ERROR, k) == 0);
}

/* Writes what the marker comment <!--body--> stands for. */
static void render_marker(emit_t *e, const page_t *pg, const uint8_t *body,
                          size_t n) {
    const posko_page_field_t *f;
    size_t i, k = sizeof(MARK_ERROR) - 1;
    int list = 0;

    if (same(body, n, MARK_ERRORS, sizeof(MARK_ERRORS) - 1)) {
        if (pg->summary == NULL) {
            return;
        }
        put_str(e, "<div class=\"galat\" role=\"alert\"><p>");
        put_esc(e, pg->summary, pg->summary_len);
        put_str(e, "</p>");
        for (i = 0; i < pg->nfields; i++) {
            f = &pg->fields[i];
            if (f->error == NULL) {
                continue;
            }
            if (!list) {
                put_str(e, "<ul>");
                list = 1;
            }
            put_str(e, "<li><a href=\"#");
            put_esc(e, f->name, f->name_len);
            put_str(e, "\">");
            put_esc(e, f->error, f->error_len);
            put_str(e, "</a></li>");
        }
        put_str(e, list ? "</ul></div>" : "</div>");
        return;
    }
    for (i = 0; i < pg->nfields; i++) {
        f = &pg->fields[i];
        if (f->error != NULL && same(f->name, f->name_len, body + k, n - k)) {
            put_str(e, "<p class=\"galat-isi\" id=\"galat-");
            put_esc(e, f->name, f->name_len);
            put_str(e, "\">");
            put_esc(e, f->error, f->error_len);
            put_str(e, "</p>");
            return;
        }
    }
}

/* -- the page -------------------------------------------------------- */

/* Elements whose content is text, not tags, up to their end tag. */
static int is_raw_text(const tag_t *t) {
    return word_is(t->name, t->name_len, "textarea") ||
           word_is(t->name, t->name_len, "script") ||
           word_is(t->name, t->name_len, "style") ||
           word_is(t->name, t->name_len, "title");
}

size_t posko_page_render(const uint8_t *tpl, size_t tpl_len,
                         const posko_page_field_t *fields, size_t nfields,
                         const uint8_t *summary, size_t summary_len,
                         uint8_t *out, size_t out_size) {
    const uint8_t *p, *lit, *end, *lt, *q, *sel = NULL;
    size_t sel_len = 0;
    int in_sel = 0, r;
    emit_t e;
    page_t pg;
    tag_t t;
    attr_t a;

    if (tpl == NULL || tpl_len == 0) {
        return 0;
    }
    e.out = out;
    e.cap = out != NULL ? out_size : 0;
    e.pos = 0;
    pg.fields = fields;
    pg.nfields = fields != NULL ? nfields : 0;
    pg.summary = summary;
    pg.summary_len = summary != NULL ? summary_len : 0;

    p = lit = tpl;
    end = tpl + tpl_len;
    while (p < end && (lt = memchr(p, '<', (size_t)(end - p))) != NULL) {
        if (end - lt >= 4 && memcmp(lt, "<!--", 4) == 0) {
            /* "<!-->" and "<!--->" are whole (empty) comments. */
            q = lt + 4;
            if (q < end && *q == '-') {
                q++;
            }
            if (q < end && *q == '>') {
                p = q + 1;
                continue;
            }
            q = find(lt + 4, end, "-->");
            if (q == NULL) {
                break; /* an open comment: the rest is copied */
            }
            p = q + 3;
            if (is_marker(lt + 4, (size_t)(q - (lt + 4)))) {
                flush(&e, &lit, lt);
                render_marker(&e, &pg, lt + 4, (size_t)(q - (lt + 4)));
                lit = p;
            }
            continue;
        }
        r = parse_tag(lt, end, &t);
        if (r == 0) {
            p = lt + 1;
            continue;
        }
        if (r < 0) {
            break; /* an open tag: the rest is copied */
        }
        p = t.end;
        if (t.closing) {
            if (word_is(t.name, t.name_len, "select")) {
                in_sel = 0;
            }
        } else if (word_is(t.name, t.name_len, "input")) {
            render_input(&e, &pg, &t, &lit);
        } else if (word_is(t.name, t.name_len, "select")) {
            in_sel = tag_attr(&t, "name", &a);
            if (in_sel) {
                sel = a.val;
                sel_len = a.val_len;
            }
        } else if (word_is(t.name, t.name_len, "option")) {
            if (in_sel) {
                render_option(&e, &pg, &t, sel, sel_len, end, &lit);
            }
        } else if (is_raw_text(&t)) {
            q = find_end_tag(p, end, t.name, t.name_len);
            if (q == NULL) {
                break; /* an open textarea: the rest is copied */
            }
            if (word_is(t.name, t.name_len, "textarea")) {
                render_textarea(&e, &pg, &t, q, &lit);
            }
            p = q;
        }
    }
    flush(&e, &lit, end);
    return e.pos;
}
