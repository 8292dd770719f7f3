/*
 * test_page.c - unit tests for re-rendering the form page
 * (include/posko_page.c): inputs, radios, checkboxes, selects and
 * textareas filled with typed values, the error markers, escaping, bytes
 * that must pass unchanged, and templates broken in every way the fuzzer
 * would try.  The last test renders the real web/index.html.
 *
 * Every render goes through render_exact(), which checks that the sizing
 * pass and the writing pass agree, that a short buffer gets an exact
 * prefix and nothing more, and hands the renderer heap copies of exactly
 * the right length so that the sanitizer build catches any read past an
 * end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "posko_page.h"
#include "unit.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_FIELDS 16

/* A field as the tables write it: NULL value or error means none. */
typedef struct {
    const char *name;
    const char *value;
    const char *error;
} spec_t;

/* -- helpers ---------------------------------------------------------- */

/*
 * Renders tpl[0..tpl_len) with the fields (up to a spec with a NULL name)
 * and the summary, checking both passes and a truncated write.  Returns
 * the page, NUL-terminated, in a heap block; *len gets its size.
 */
static char *render_exact(const void *tpl, size_t tpl_len, const spec_t *specs,
                          const char *summary, size_t *len) {
    posko_page_field_t f[MAX_FIELDS];
    uint8_t *t = dup_exact(tpl, tpl_len), *sum = NULL, *buf, *small;
    size_t nf = 0, n, n2, sum_len = 0;
    char *page;

    for (; specs != NULL && specs[nf].name != NULL; nf++) {
        const spec_t *s = &specs[nf];

        assert_true(nf < MAX_FIELDS);
        f[nf].name_len = strlen(s->name);
        f[nf].name = (const char *)dup_exact(s->name, f[nf].name_len);
        f[nf].value = NULL;
        f[nf].value_len = 0;
        f[nf].error = NULL;
        f[nf].error_len = 0;
        if (s->value != NULL) {
            f[nf].value_len = strlen(s->value);
            f[nf].value = dup_exact(s->value, f[nf].value_len);
        }
        if (s->error != NULL) {
            f[nf].error_len = strlen(s->error);
            f[nf].error = dup_exact(s->error, f[nf].error_len);
        }
    }
    if (summary != NULL) {
        sum_len = strlen(summary);
        sum = dup_exact(summary, sum_len);
    }

    n = posko_page_render(t, tpl_len, f, nf, sum, sum_len, NULL, 0);
    buf = dup_exact("", n);
    n2 = posko_page_render(t, tpl_len, f, nf, sum, sum_len, buf, n);
    assert_int_equal(n2, n);
    /* No room at all: nothing written, same size. */
    assert_int_equal(posko_page_render(t, tpl_len, f, nf, sum, sum_len, buf, 0),
                     n);
    if (n > 0) {
        /* One byte short: an exact prefix, nothing past the block. */
        small = malloc(n - 1 > 0 ? n - 1 : 1);
        assert_non_null(small);
        n2 = posko_page_render(t, tpl_len, f, nf, sum, sum_len, small, n - 1);
        assert_int_equal(n2, n);
        assert_memory_equal(small, buf, n - 1);
        free(small);
    }

    page = malloc(n + 1);
    assert_non_null(page);
    memcpy(page, buf, n);
    page[n] = '\0';
    *len = n;

    free(buf);
    free(t);
    free(sum);
    for (size_t i = 0; i < nf; i++) {
        free((void *)f[i].name);
        free((void *)f[i].value);
        free((void *)f[i].error);
    }
    return page;
}

static size_t count(const char *hay, const char *needle) {
    size_t k = 0;

    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++) {
        k++;
    }
    return k;
}

/* -- the rules, one case each ----------------------------------------- */

#define F1(n, v, e)                                                            \
    {                                                                          \
        {n, v, e}, { NULL, NULL, NULL }                                        \
    }
#define AMP_ALL "&amp;&lt;&gt;&quot;&#39;"
#define ARABIC "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7" /* مرحبا */
#define EMOJI "\xF0\x9F\x98\x80\xF0\x9F\x95\x8B"          /* 😀🕋 */

static const struct {
    const char *what;
    const char *tpl;
    spec_t fields[4];
    const char *summary;
    const char *want;
} cases[] = {
    /* text inputs */
    {"replace value", "<input type=\"text\" name=\"a\" value=\"x\">",
     F1("a", "hi", NULL), NULL,
     "<input type=\"text\" name=\"a\" value=\"hi\">"},
    {"add value", "<input type=\"text\" name=\"a\">", F1("a", "hi", NULL), NULL,
     "<input type=\"text\" name=\"a\" value=\"hi\">"},
    {"add value, no type", "<p><input name=\"a\" id=\"a\"></p>",
     F1("a", "hi", NULL), NULL,
     "<p><input name=\"a\" id=\"a\" value=\"hi\"></p>"},
    {"self-closing", "<input name=\"a\" />", F1("a", "hi", NULL), NULL,
     "<input name=\"a\" value=\"hi\" />"},
    {"self-closing, no blank", "<input name=\"a\"/>", F1("a", "hi", NULL), NULL,
     "<input name=\"a\" value=\"hi\"/>"},
    {"nothing typed", "<input name=\"a\" value=\"old\">", F1("a", NULL, NULL),
     NULL, "<input name=\"a\" value=\"\">"},
    {"typed empty", "<input name=\"a\">", F1("a", "", NULL), NULL,
     "<input name=\"a\" value=\"\">"},
    {"field not listed", "<input name=\"b\" value=\"x\">", F1("a", "hi", NULL),
     NULL, "<input name=\"b\" value=\"x\">"},
    {"no fields",
     "<input name=\"a\" value=\"x\">",
     {{NULL, NULL, NULL}},
     NULL,
     "<input name=\"a\" value=\"x\">"},
    {"no name", "<input value=\"x\">", F1("a", "hi", NULL), NULL,
     "<input value=\"x\">"},
    {"name is a prefix", "<input name=\"ab\"><input name=\"a\">",
     F1("a", "1", NULL), NULL,
     "<input name=\"ab\"><input name=\"a\" value=\"1\">"},
    {"single quotes", "<input name='a' value='x'>", F1("a", "hi", NULL), NULL,
     "<input name='a' value=\"hi\">"},
    {"unquoted", "<input name=a value=x>", F1("a", "hi", NULL), NULL,
     "<input name=a value=\"hi\">"},
    {"blanks around =", "<input name = \"a\"\nvalue =\t'x' >",
     F1("a", "hi", NULL), NULL, "<input name = \"a\"\nvalue=\"hi\" >"},
    {"upper case", "<INPUT TYPE=TEXT NAME=\"a\" VALUE=\"x\">",
     F1("a", "hi", NULL), NULL, "<INPUT TYPE=TEXT NAME=\"a\" value=\"hi\">"},
    {"name matches exactly", "<input name=\"A\">", F1("a", "hi", NULL), NULL,
     "<input name=\"A\">"},
    {"'>' inside a quoted value",
     "<input placeholder=\"a>b\" name=\"a\"><input title='<x>' name=a>",
     F1("a", "1", NULL), NULL,
     "<input placeholder=\"a>b\" name=\"a\" value=\"1\">"
     "<input title='<x>' name=a value=\"1\">"},
    {"value with no value", "<input name=\"a\" value>", F1("a", "1", NULL),
     NULL, "<input name=\"a\" value=\"1\">"},
    {"two values", "<input value=\"x\" name=\"a\" value=\"y\">",
     F1("a", "1", NULL), NULL, "<input value=\"1\" name=\"a\" value=\"1\">"},
    {"first of a repeated field",
     "<input name=\"a\">",
     {{"a", "1", NULL}, {"a", "2", NULL}, {NULL, NULL, NULL}},
     NULL,
     "<input name=\"a\" value=\"1\">"},
    {"escaped value", "<input name=\"a\" value=\"\">", F1("a", "&<>\"'", NULL),
     NULL, "<input name=\"a\" value=\"" AMP_ALL "\">"},
    {"hidden is filled", "<input type=\"hidden\" name=\"a\" value=\"x\">",
     F1("a", "y", NULL), NULL,
     "<input type=\"hidden\" name=\"a\" value=\"y\">"},
    {"email and tel are filled",
     "<input type=\"email\" name=\"e\"><input type=\"tel\" name=\"t\">",
     {{"e", "a@b.id", NULL}, {"t", "+62 812", NULL}, {NULL, NULL, NULL}},
     NULL,
     "<input type=\"email\" name=\"e\" value=\"a@b.id\">"
     "<input type=\"tel\" name=\"t\" value=\"+62 812\">"},
    {"submit untouched", "<input type=\"submit\" name=\"a\" value=\"Kirim\">",
     F1("a", "y", NULL), NULL,
     "<input type=\"submit\" name=\"a\" value=\"Kirim\">"},
    {"file untouched", "<input type=FILE name=\"a\">", F1("a", "y", NULL), NULL,
     "<input type=FILE name=\"a\">"},
    {"utf-8 byte for byte", "<input name=\"a\">",
     F1("a", "Kamar " ARABIC " " EMOJI, NULL), NULL,
     "<input name=\"a\" value=\"Kamar " ARABIC " " EMOJI "\">"},
    {"invalid utf-8 copied", "<input name=\"a\">",
     F1("a", "\xFF\xC0\x80", NULL), NULL,
     "<input name=\"a\" value=\"\xFF\xC0\x80\">"},
    {"not an input", "<inputs name=\"a\"><img name=\"a\">", F1("a", "1", NULL),
     NULL, "<inputs name=\"a\"><img name=\"a\">"},

    /* radios and checkboxes */
    {"radio: checked moves",
     "<input type=\"radio\" name=\"r\" value=\"x\" checked>"
     "<input type=\"radio\" name=\"r\" value=\"y\">",
     F1("r", "y", NULL), NULL,
     "<input type=\"radio\" name=\"r\" value=\"x\">"
     "<input type=\"radio\" name=\"r\" value=\"y\" checked>"},
    {"radio: nothing typed, nothing checked",
     "<input type=\"radio\" name=\"r\" value=\"x\" required checked>"
     "<input type=\"radio\" name=\"r\" value=\"y\">",
     F1("r", NULL, NULL), NULL,
     "<input type=\"radio\" name=\"r\" value=\"x\" required>"
     "<input type=\"radio\" name=\"r\" value=\"y\">"},
    {"radio: empty value matches nothing",
     "<input type=\"radio\" name=\"r\" value=\"\" checked>", F1("r", "", NULL),
     NULL, "<input type=\"radio\" name=\"r\" value=\"\">"},
    {"radio: unknown value", "<input type=\"radio\" name=\"r\" value=\"x\">",
     F1("r", "z", NULL), NULL, "<input type=\"radio\" name=\"r\" value=\"x\">"},
    {"radio: case matters", "<input type=\"radio\" name=\"r\" value=\"x\">",
     F1("r", "X", NULL), NULL, "<input type=\"radio\" name=\"r\" value=\"x\">"},
    {"radio: prefix is no match",
     "<input type=\"radio\" name=\"r\" value=\"xy\">", F1("r", "x", NULL), NULL,
     "<input type=\"radio\" name=\"r\" value=\"xy\">"},
    {"radio: CHECKED=\"checked\" first",
     "<input CHECKED=\"checked\" type=\"Radio\" name=\"r\" value=\"x\">",
     F1("r", "x", NULL), NULL,
     "<input type=\"Radio\" name=\"r\" value=\"x\" checked>"},
    {"radio: several checked, self-closing",
     "<input type=radio checked name=r checked value=x checked/>",
     F1("r", "x", NULL), NULL, "<input type=radio name=r value=x checked/>"},
    {"radio: not listed keeps its state",
     "<input type=\"radio\" name=\"q\" value=\"x\" checked>",
     F1("r", "x", NULL), NULL,
     "<input type=\"radio\" name=\"q\" value=\"x\" checked>"},
    {"radio: template value escaped",
     "<input type=\"radio\" name=\"r\" value=\"a&amp;b\">",
     F1("r", "a&b", NULL), NULL,
     "<input type=\"radio\" name=\"r\" value=\"a&amp;b\" checked>"},
    {"radio: arabic value",
     "<input type=\"radio\" name=\"r\" value=\"" ARABIC "\">",
     F1("r", ARABIC, NULL), NULL,
     "<input type=\"radio\" name=\"r\" value=\"" ARABIC "\" checked>"},
    {"checkbox: group from a repeated field",
     "<input type=\"checkbox\" name=\"c\" value=\"a\">"
     "<input type=\"checkbox\" name=\"c\" value=\"b\" checked>"
     "<input type=\"checkbox\" name=\"c\" value=\"d\" checked>",
     {{"c", "a", NULL}, {"c", "b", NULL}, {NULL, NULL, NULL}},
     NULL,
     "<input type=\"checkbox\" name=\"c\" value=\"a\" checked>"
     "<input type=\"checkbox\" name=\"c\" value=\"b\" checked>"
     "<input type=\"checkbox\" name=\"c\" value=\"d\">"},
    {"checkbox: no value attribute means on",
     "<input type=\"checkbox\" name=\"c\"><input type=\"checkbox\" name=\"d\" "
     "checked>",
     {{"c", "on", NULL}, {"d", NULL, NULL}, {NULL, NULL, NULL}},
     NULL,
     "<input type=\"checkbox\" name=\"c\" checked><input type=\"checkbox\" "
     "name=\"d\">"},
    {"checkbox: the word checked elsewhere stays",
     "<input type=\"checkbox\" name=\"c\" value=\"x\" title=\"checked\" "
     "data-checked>",
     F1("c", "y", NULL), NULL,
     "<input type=\"checkbox\" name=\"c\" value=\"x\" title=\"checked\" "
     "data-checked>"},

    /* selects */
    {"select: selected moves",
     "<select name=\"s\"><option value=\"\">-</option>"
     "<option value=\"a\" selected>A</option>"
     "<option value=\"b\">B</option></select>",
     F1("s", "b", NULL), NULL,
     "<select name=\"s\"><option value=\"\">-</option>"
     "<option value=\"a\">A</option>"
     "<option value=\"b\" selected>B</option></select>"},
    {"select: nothing typed",
     "<select name=\"s\"><option value=\"a\" selected>A</option></select>",
     F1("s", NULL, NULL), NULL,
     "<select name=\"s\"><option value=\"a\">A</option></select>"},
    {"select: option text as value",
     "<select name=\"s\">\n<option>A</option>\n<option> B \n</option>\n"
     "<option>C</select>",
     F1("s", "B", NULL), NULL,
     "<select name=\"s\">\n<option>A</option>\n<option selected> B "
     "\n</option>\n<option>C</select>"},
    {"select: text of the last option runs to the end",
     "<select name=\"s\"><option> C ", F1("s", "C", NULL), NULL,
     "<select name=\"s\"><option selected> C "},
    {"select: not listed",
     "<select name=\"t\"><option value=\"a\" selected>A</option></select>",
     F1("s", "b", NULL), NULL,
     "<select name=\"t\"><option value=\"a\" selected>A</option></select>"},
    {"select: options outside untouched",
     "<option value=\"b\"><select name=\"s\"><option value=\"b\"></select>"
     "<option value=\"b\" selected>",
     F1("s", "b", NULL), NULL,
     "<option value=\"b\"><select name=\"s\"><option value=\"b\" selected>"
     "</select><option value=\"b\" selected>"},
    {"select: upper case, optgroup",
     "<SELECT ID=s NAME=s><OPTGROUP label=x><OPTION VALUE=b>B</OPTION>"
     "</OPTGROUP></SELECT >",
     F1("s", "b", NULL), NULL,
     "<SELECT ID=s NAME=s><OPTGROUP label=x><OPTION VALUE=b selected>B"
     "</OPTION></OPTGROUP></SELECT >"},
    {"select: no name", "<select><option value=\"b\">B</option></select>",
     F1("s", "b", NULL), NULL,
     "<select><option value=\"b\">B</option></select>"},

    /* textareas */
    {"textarea: content replaced", "<textarea name=\"t\">old</textarea>",
     F1("t", "new", NULL), NULL, "<textarea name=\"t\">new</textarea>"},
    {"textarea: nothing typed", "<textarea name=\"t\" rows=3>old</textarea>",
     F1("t", NULL, NULL), NULL, "<textarea name=\"t\" rows=3></textarea>"},
    {"textarea: escaped", "<textarea name=\"t\"></textarea>",
     F1("t", "</textarea><b>&\"'", NULL), NULL,
     "<textarea name=\"t\">&lt;/textarea&gt;&lt;b&gt;&amp;&quot;&#39;"
     "</textarea>"},
    {"textarea: lines, arabic, emoji kept", "<textarea name=\"t\"></textarea>",
     F1("t", "baris 1\nbaris 2\r\n" ARABIC "\n\n" EMOJI "\n", NULL), NULL,
     "<textarea name=\"t\">baris 1\nbaris 2\r\n" ARABIC "\n\n" EMOJI
     "\n</textarea>"},
    {"textarea: leading line break kept",
     "<textarea name=\"t\"></textarea><textarea name=\"u\"></textarea>",
     {{"t", "\nx", NULL}, {"u", "\r\ny", NULL}, {NULL, NULL, NULL}},
     NULL,
     "<textarea name=\"t\">\n\nx</textarea><textarea name=\"u\">\n\r\ny"
     "</textarea>"},
    {"textarea: upper-case end tag", "<TEXTAREA NAME=t>a<b></TEXTAREA>z",
     F1("t", "c", NULL), NULL, "<TEXTAREA NAME=t>c</TEXTAREA>z"},
    {"textarea: tags inside are text",
     "<textarea name=\"x\"><input name=\"a\"></textareas></textarea>"
     "<input name=\"a\">",
     F1("a", "1", NULL), NULL,
     "<textarea name=\"x\"><input name=\"a\"></textareas></textarea>"
     "<input name=\"a\" value=\"1\">"},
    {"textarea: an input after it",
     "<textarea name=\"t\">x</textarea><input name=\"a\">",
     {{"t", "y", NULL}, {"a", "1", NULL}, {NULL, NULL, NULL}},
     NULL,
     "<textarea name=\"t\">y</textarea><input name=\"a\" value=\"1\">"},
    {"script and style are text",
     "<style>a<input name=a>{}</style><script>if(a<input name=a>)</script "
     "><title><input name=a></title>",
     F1("a", "1", NULL), NULL,
     "<style>a<input name=a>{}</style><script>if(a<input name=a>)</script "
     "><title><input name=a></title>"},

    /* markers */
    {"summary with field errors",
     "<form><!--posko:errors--></form>",
     {{"a", "x", "Wajib diisi."},
      {"b", "y", NULL},
      {"c", NULL, "Terlalu panjang."},
      {NULL, NULL, NULL}},
     "Periksa lagi isian berikut.",
     "<form><div class=\"galat\" role=\"alert\"><p>Periksa lagi isian "
     "berikut.</p><ul><li><a href=\"#a\">Wajib diisi.</a></li>"
     "<li><a href=\"#c\">Terlalu panjang.</a></li></ul></div></form>"},
    {"summary without field errors", "<!--posko:errors-->", F1("a", "x", NULL),
     "Coba lagi.",
     "<div class=\"galat\" role=\"alert\"><p>Coba lagi.</p></div>"},
    {"summary empty",
     "<!--posko:errors-->",
     {{NULL, NULL, NULL}},
     "",
     "<div class=\"galat\" role=\"alert\"><p></p></div>"},
    {"no summary, no block", "a<!--posko:errors-->b", F1("a", "x", "Salah."),
     NULL, "ab"},
    {"summary and messages escaped", "<!--posko:errors-->",
     F1("a", "x", "<&>\"'"), "&<>\"'",
     "<div class=\"galat\" role=\"alert\"><p>" AMP_ALL "</p><ul><li><a "
     "href=\"#a\">&lt;&amp;&gt;&quot;&#39;</a></li></ul></div>"},
    {"field error", "<input name=\"a\">\n<!--posko:error:a-->\n",
     F1("a", "x", "Wajib diisi."), NULL,
     "<input name=\"a\" value=\"x\">\n<p class=\"galat-isi\" id=\"galat-a\">"
     "Wajib diisi.</p>\n"},
    {"field error in arabic", "<!--posko:error:a-->",
     F1("a", NULL, ARABIC " " EMOJI), NULL,
     "<p class=\"galat-isi\" id=\"galat-a\">" ARABIC " " EMOJI "</p>"},
    {"field error escaped", "<!--posko:error:a-->", F1("a", NULL, "&<>\"'"),
     NULL, "<p class=\"galat-isi\" id=\"galat-a\">" AMP_ALL "</p>"},
    {"field without error", "x<!--posko:error:a-->y", F1("a", "1", NULL), NULL,
     "xy"},
    {"unknown field", "x<!--posko:error:zz-->y", F1("a", "1", "E"), NULL, "xy"},
    {"empty field name", "x<!--posko:error:-->y", F1("a", "1", "E"), NULL,
     "xy"},
    {"second field with the error",
     "<!--posko:error:b-->",
     {{"b", "1", NULL}, {"b", "2", "E"}, {NULL, NULL, NULL}},
     NULL,
     "<p class=\"galat-isi\" id=\"galat-b\">E</p>"},
    {"markers repeated", "<!--posko:error:a--><!--posko:error:a-->",
     F1("a", "1", "E"), NULL,
     "<p class=\"galat-isi\" id=\"galat-a\">E</p>"
     "<p class=\"galat-isi\" id=\"galat-a\">E</p>"},
    {"other comments kept",
     "<!-- posko:errors --><!--posko:error--><!--Posko:errors-->"
     "<!--posko:errorsx--><!---->",
     F1("a", "1", "E"), "S",
     "<!-- posko:errors --><!--posko:error--><!--Posko:errors-->"
     "<!--posko:errorsx--><!---->"},
    {"tags in comments kept", "<!-- <input name=\"a\"> <!--posko:error:a-->-->",
     F1("a", "1", "E"), NULL,
     "<!-- <input name=\"a\"> <!--posko:error:a-->-->"},

    /* broken templates: copied sanely, nothing lost */
    {"empty template", "", F1("a", "1", "E"), "S", ""},
    {"plain text with <", "a < b, 3<4, <3 <> </ <!x> <?php <",
     F1("a", "1", NULL), NULL, "a < b, 3<4, <3 <> </ <!x> <?php <"},
    {"<input at the end", "x<input", F1("a", "1", NULL), NULL, "x<input"},
    {"<input name at the end", "x<input name=\"a\"", F1("a", "1", NULL), NULL,
     "x<input name=\"a\""},
    {"open quote", "<input name=\"a\">x<input name=\"a\" value=\"y>",
     F1("a", "1", NULL), NULL,
     "<input name=\"a\" value=\"1\">x<input name=\"a\" value=\"y>"},
    {"= at the end", "<input name=\"a\" value=", F1("a", "1", NULL), NULL,
     "<input name=\"a\" value="},
    {"= and blanks at the end", "<input name=a value= \n", F1("a", "1", NULL),
     NULL, "<input name=a value= \n"},
    {"open comment", "<input name=a><!--posko:errors<input name=a>",
     F1("a", "1", "E"), "S",
     "<input name=a value=\"1\"><!--posko:errors<input name=a>"},
    {"open comment at the end", "<!--", F1("a", "1", "E"), "S", "<!--"},
    {"empty comments", "<!-->x<input name=a><!--->y<input name=a>-->",
     F1("a", "1", NULL), NULL,
     "<!-->x<input name=a value=\"1\"><!--->y<input name=a value=\"1\">-->"},
    {"open textarea", "<textarea name=\"t\">abc<input name=t>",
     F1("t", "new", NULL), NULL, "<textarea name=\"t\">abc<input name=t>"},
    {"open textarea tag", "<textarea name=\"t\"", F1("t", "new", NULL), NULL,
     "<textarea name=\"t\""},
    {"textarea end tag cut", "<textarea name=t>a</textar", F1("t", "new", NULL),
     NULL, "<textarea name=t>a</textar"},
    {"textarea end tag at the very end", "<textarea name=t>a</textarea",
     F1("t", "new", NULL), NULL, "<textarea name=t>new</textarea"},
    {"open select", "<select name=s><option value=a>A", F1("s", "a", NULL),
     NULL, "<select name=s><option value=a selected>A"},
};

static void test_cases(void **state) {
    (void)state;
    for (size_t k = 0; k < N_ELEMS(cases); k++) {
        size_t n;
        char *page = render_exact(cases[k].tpl, strlen(cases[k].tpl),
                                  cases[k].fields, cases[k].summary, &n);

        if (n != strlen(cases[k].want) || memcmp(page, cases[k].want, n) != 0) {
            fail_msg("%s:\ntemplate: %s\ngot:      %s\nwant:     %s",
                     cases[k].what, cases[k].tpl, page, cases[k].want);
        }
        free(page);
    }
}

/* -- escaping and bytes ----------------------------------------------- */

/* Every byte value, NUL included, in a value: escaped or copied as is. */
static void test_every_byte(void **state) {
    static const char tpl[] = "<input name=\"a\"><textarea name=\"a\">"
                              "</textarea><!--posko:error:a-->";
    uint8_t v[256], *t = dup_exact(tpl, sizeof(tpl) - 1), *out;
    char want[256 * 6 + 1], *w = want;
    posko_page_field_t f;
    size_t n, wlen, off;

    (void)state;
    for (int c = 0; c < 256; c++) {
        v[c] = (uint8_t)c;
        switch (c) {
        case '&':
            w += sprintf(w, "&amp;");
            break;
        case '<':
            w += sprintf(w, "&lt;");
            break;
        case '>':
            w += sprintf(w, "&gt;");
            break;
        case '"':
            w += sprintf(w, "&quot;");
            break;
        case '\'':
            w += sprintf(w, "&#39;");
            break;
        default:
            *w++ = (char)c;
        }
    }
    wlen = (size_t)(w - want);
    f.name = "a";
    f.name_len = 1;
    f.value = dup_exact(v, sizeof(v));
    f.value_len = sizeof(v);
    f.error = dup_exact(v, sizeof(v));
    f.error_len = sizeof(v);

    n = posko_page_render(t, sizeof(tpl) - 1, &f, 1, NULL, 0, NULL, 0);
    out = dup_exact("", n);
    assert_int_equal(
        posko_page_render(t, sizeof(tpl) - 1, &f, 1, NULL, 0, out, n), n);
    /* <input name="a" value="…"> */
    off = strlen("<input name=\"a\" value=\"");
    assert_memory_equal(out, "<input name=\"a\" value=\"", off);
    assert_memory_equal(out + off, want, wlen);
    off += wlen;
    assert_memory_equal(out + off, "\"><textarea name=\"a\">", 21);
    off += 21;
    assert_memory_equal(out + off, want, wlen); /* starts with NUL: no LF */
    off += wlen;
    assert_memory_equal(out + off, "</textarea><p class=\"galat-isi\" ", 32);
    off += 32;
    assert_memory_equal(out + off, "id=\"galat-a\">", 13);
    off += 13;
    assert_memory_equal(out + off, want, wlen);
    off += wlen;
    assert_memory_equal(out + off, "</p>", 4);
    assert_int_equal(off + 4, n);

    free(out);
    free(t);
    free((void *)f.value);
    free((void *)f.error);
}

/* NUL and other odd bytes in the template are copied and do not stop it. */
static void test_nul_in_template(void **state) {
    static const char tpl[] = "\0<input\0name=a>\0<input name=a \0x>\0";
    static const char want[] = "\0<input\0name=a>\0<input name=a \0x "
                               "value=\"1\">\0";
    spec_t f[] = F1("a", "1", NULL);
    size_t n;
    char *page;

    (void)state;
    page = render_exact(tpl, sizeof(tpl) - 1, f, NULL, &n);
    /* "<input\0name=a>": the tag name is "input\0name=a", not input. */
    assert_int_equal(n, sizeof(want) - 1);
    assert_memory_equal(page, want, n);
    free(page);
}

/* NULL pointers with lengths count as empty. */
static void test_null_arguments(void **state) {
    static const uint8_t tpl[] = "<!--posko:errors--><input name=\"a\">"
                                 "<!--posko:error:a-->";
    posko_page_field_t f = {"a", 1, NULL, 5, NULL, 5};
    uint8_t out[64];
    size_t n;

    (void)state;
    assert_int_equal(posko_page_render(NULL, 10, &f, 1, NULL, 0, NULL, 0), 0);
    assert_int_equal(posko_page_render(tpl, 0, &f, 1, NULL, 0, out, 64), 0);
    /* no fields: markers vanish, the input stays */
    n = posko_page_render(tpl, sizeof(tpl) - 1, NULL, 3, NULL, 7, out,
                          sizeof(out));
    assert_int_equal(n, strlen("<input name=\"a\">"));
    assert_memory_equal(out, "<input name=\"a\">", n);
    /* NULL value and error with lengths: nothing typed, no error */
    n = posko_page_render(tpl, sizeof(tpl) - 1, &f, 1, NULL, 0, out,
                          sizeof(out));
    assert_int_equal(n, strlen("<input name=\"a\" value=\"\">"));
    assert_memory_equal(out, "<input name=\"a\" value=\"\">", n);
}

/* A buffer too short gets exactly what fits; the size is unchanged. */
static void test_short_buffer(void **state) {
    static const uint8_t tpl[] = "ab<input name=a>cd";
    posko_page_field_t f = {"a", 1, (const uint8_t *)"x&y", 3, NULL, 0};
    static const char want[] = "ab<input name=a value=\"x&amp;y\">cd";
    size_t full = sizeof(want) - 1;
    uint8_t out[64];

    (void)state;
    for (size_t cap = 0; cap <= full + 2; cap++) {
        memset(out, '#', sizeof(out));
        assert_int_equal(
            posko_page_render(tpl, sizeof(tpl) - 1, &f, 1, NULL, 0, out, cap),
            full);
        assert_memory_equal(out, want, cap < full ? cap : full);
        for (size_t i = cap < full ? cap : full; i < sizeof(out); i++) {
            assert_int_equal(out[i], '#');
        }
    }
}

/*
 * A template using every construct, cut at every length and rendered: the
 * passes agree and nothing reads past the cut (render_exact's copies are
 * exact, the sanitizer build checks).
 */
static void test_every_prefix(void **state) {
    static const char tpl[] =
        "<form><!--posko:errors--><input type=\"radio\" name=\"r\" "
        "value=\"x\" checked><input type=radio name=r value='y'/>"
        "<!--posko:error:r--><select name=\"s\"><option value=\"a\" "
        "selected>A</option><option> b </option></select>"
        "<textarea name=\"t\">old</textarea><!-- c --><input name=a "
        "value=\"z\" title='>'><style>p<b{}</style><!---->x<y</form>";
    spec_t f[] = {{"r", "y", "E&r"},
                  {"s", "b", NULL},
                  {"t", "\nbaris\n" ARABIC, "E<t"},
                  {"a", EMOJI "\"", "E'a"},
                  {NULL, NULL, NULL}};
    size_t n, full;
    char *page;

    (void)state;
    page = render_exact(tpl, sizeof(tpl) - 1, f, "Ringkasan", &full);
    assert_non_null(strstr(page, "value='y' checked/>"));
    assert_non_null(strstr(page, "<option selected> b </option>"));
    assert_non_null(
        strstr(page, "<textarea name=\"t\">\n\nbaris\n" ARABIC "</textarea>"));
    assert_non_null(strstr(page, "value=\"" EMOJI "&quot;\" title='>'>"));
    free(page);
    for (size_t len = 0; len < sizeof(tpl) - 1; len++) {
        page = render_exact(tpl, len, f, "Ringkasan", &n);
        free(page);
    }
}

/* -- the real page ---------------------------------------------------- */

static char *read_file(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;

    if (fp == NULL) {
        fail_msg("cannot open %s (run from the repository root)", path);
    }
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    assert_true(n > 0);
    rewind(fp);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static const char *const page_names[] = {
    "jenis",  "pelapor", "kategori", "lokasi", "embarkasi", "kloter",
    "uraian", "nama",    "telepon",  "email",  "rating"};

/* Where the error paragraph for name goes: after the field's last control
 * and before the next field's first one. */
static void check_error_place(const char *page, size_t k) {
    char needle[64], msg[64];
    const char *err, *last = NULL, *next;

    snprintf(needle, sizeof(needle), "name=\"%s\"", page_names[k]);
    for (const char *p = page; (p = strstr(p, needle)) != NULL; p++) {
        last = p;
    }
    assert_non_null(last);
    snprintf(msg, sizeof(msg), "<p class=\"galat-isi\" id=\"galat-%s\">",
             page_names[k]);
    err = strstr(page, msg);
    if (err == NULL || err < last) {
        fail_msg("error of %s missing or before its control", page_names[k]);
    }
    assert_int_equal(count(page, msg), 1);
    for (size_t j = 0; j < N_ELEMS(page_names); j++) {
        snprintf(needle, sizeof(needle), "name=\"%s\"", page_names[j]);
        next = strstr(page, needle);
        if (next > last && next < err) {
            fail_msg("error of %s after %s's control", page_names[k],
                     page_names[j]);
        }
    }
}

static void test_real_page(void **state) {
    spec_t f[] = {
        {"jenis", "kritik", "Pilih jenis laporan."},
        {"pelapor", "petugas", "Pilih salah satu."},
        {"kategori", "kesehatan", "Kategori tidak dikenal."},
        {"lokasi", "madinah", "Lokasi tidak dikenal."},
        {"embarkasi", "SOC", "Embarkasi tidak dikenal."},
        {"kloter", "SOC-12<b>", "Kloter hanya huruf, angka, - dan /."},
        {"uraian",
         "Kamar & AC \"rusak\" <3\n" ARABIC " " EMOJI "\nsudah 2 hari",
         "Uraian terlalu panjang (4001 > 4000)."},
        {"nama", "Siti 'Aisyah", "Nama terlalu panjang."},
        {"telepon", "+62 812-3456", "Nomor telepon tidak sah."},
        {"email", "siti@contoh.id", "Alamat email tidak sah."},
        {"rating", "4", "Pilih 1 sampai 5."},
        {NULL, NULL, NULL}};
    static const char *const want[] = {
        "<input type=\"radio\" name=\"jenis\" value=\"aduan\" required> ",
        "<input type=\"radio\" name=\"jenis\" value=\"kritik\" checked> ",
        "<input type=\"radio\" name=\"jenis\" value=\"saran\"> ",
        "<input type=\"radio\" name=\"pelapor\" value=\"jemaah\"> ",
        "<input type=\"radio\" name=\"pelapor\" value=\"petugas\" checked> ",
        "<option value=\"kesehatan\" selected>",
        "<option value=\"madinah\" selected>",
        "<option value=\"SOC\" selected>",
        "name=\"kloter\" maxlength=\"12\" pattern=\"[A-Za-z0-9/\\-]*\" "
        "inputmode=\"text\" placeholder=\"contoh: SOC-12\" "
        "value=\"SOC-12&lt;b&gt;\">",
        "placeholder=\"Ceritakan apa yang terjadi, di mana, dan kapan.\">"
        "Kamar &amp; AC &quot;rusak&quot; &lt;3\n" ARABIC " " EMOJI
        "\nsudah 2 hari</textarea>",
        "<input type=\"radio\" name=\"rating\" value=\"4\" checked> 4",
        "<input type=\"radio\" name=\"rating\" value=\"5\"> 5",
        "name=\"nama\" maxlength=\"100\" autocomplete=\"name\" "
        "value=\"Siti &#39;Aisyah\">",
        "value=\"+62 812-3456\">",
        "value=\"siti@contoh.id\">",
        "<form method=\"post\" action=\"/kirim\" accept-charset=\"utf-8\">\n"
        "<div class=\"galat\" role=\"alert\"><p>Ada 11 isian yang perlu "
        "diperbaiki &amp; dikirim lagi.</p><ul><li><a href=\"#jenis\">Pilih "
        "jenis laporan.</a></li>",
        "<li><a href=\"#uraian\">Uraian terlalu panjang (4001 &gt; "
        "4000).</a></li>",
        "<li><a href=\"#rating\">Pilih 1 sampai 5.</a></li></ul></div>\n",
        "<p class=\"galat-isi\" id=\"galat-uraian\">Uraian terlalu panjang "
        "(4001 &gt; 4000).</p>",
    };
    size_t tlen, n;
    char *tpl = read_file("web/index.html", &tlen), *page, id[32];

    (void)state;
    assert_true(tlen < 30 * 1024);
    page = render_exact(
        tpl, tlen, f, "Ada 11 isian yang perlu diperbaiki & dikirim lagi.", &n);
    assert_int_equal(strlen(page), n);
    for (size_t k = 0; k < N_ELEMS(want); k++) {
        if (count(page, want[k]) != 1) {
            fail_msg("not once in the page: %s", want[k]);
        }
    }
    assert_int_equal(count(page, " checked>"), 3);
    assert_int_equal(count(page, " checked"), 3);
    assert_int_equal(count(page, " selected"), 3);
    assert_int_equal(count(page, "<li><a href=\"#"), 11);
    assert_int_equal(count(page, "class=\"galat-isi\""), 11);
    assert_int_equal(count(page, "posko:"), 0);
    assert_int_equal(count(page, "value=\"\">"), 3); /* the "pilih" options */
    for (size_t k = 0; k < N_ELEMS(page_names); k++) {
        /* every summary link has its target */
        snprintf(id, sizeof(id), " id=\"%s\"", page_names[k]);
        assert_int_equal(count(page, id), 1);
        check_error_place(page, k);
    }
    /* the form's name, value and action are as they were */
    assert_int_equal(count(page, "name=\""), count(tpl, "name=\""));
    assert_int_equal(count(page, "<option value="),
                     count(tpl, "<option value="));
    free(page);
    free(tpl);
}

/* Nothing typed, no errors, no summary: the template minus its markers,
 * with no default left checked or selected. */
static void test_real_page_empty(void **state) {
    spec_t f[N_ELEMS(page_names) + 1];
    size_t tlen, n, markers = 0;
    char *tpl = read_file("web/index.html", &tlen), *page;

    (void)state;
    for (size_t k = 0; k < N_ELEMS(page_names); k++) {
        f[k].name = page_names[k];
        f[k].value = NULL;
        f[k].error = NULL;
    }
    f[N_ELEMS(page_names)].name = NULL;
    page = render_exact(tpl, tlen, f, NULL, &n);
    assert_int_equal(count(tpl, "<!--posko:errors-->"), 1);
    assert_int_equal(count(tpl, "<!--posko:error:"), N_ELEMS(page_names));
    markers += strlen("<!--posko:errors-->");
    for (size_t k = 0; k < N_ELEMS(page_names); k++) {
        char m[64];

        snprintf(m, sizeof(m), "<!--posko:error:%s-->", page_names[k]);
        assert_int_equal(count(tpl, m), 1);
        markers += strlen(m);
    }
    assert_int_equal(count(page, "posko:"), 0);
    assert_int_equal(count(page, " checked"), 0);
    assert_int_equal(count(page, " selected"), 0);
    /* the checked attributes go, value="" is added to 4 text inputs */
    assert_int_equal(n, tlen - markers - 2 * strlen(" checked") +
                            4 * strlen(" value=\"\""));
    free(page);

    /* Without any field the page is the template minus the markers. */
    page = render_exact(tpl, tlen, NULL, NULL, &n);
    assert_int_equal(n, tlen - markers);
    free(page);
    free(tpl);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_nul_in_template),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_short_buffer),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_real_page),
        cmocka_unit_test(test_real_page_empty),
    };

    return cmocka_run_group_tests_name("page", tests, NULL, NULL);
}
