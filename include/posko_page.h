/*
 * posko_page.h - re-rendering the complaint form with what the pilgrim
 * typed and the reasons it was refused.
 *
 * When a submission is refused (HTTP 400) the module answers with the form
 * page itself, web/index.html, with every field filled in again and each
 * error shown next to its field, so that nothing has to be typed twice.
 * The module loads the page once at configuration time and calls
 * posko_page_render() per request, twice: once with out == NULL to learn
 * the exact size, then with a buffer of that size from the request pool.
 * Nothing is allocated here and nothing depends on nginx.
 *
 * What is rewritten, for a field F in the list (names match exactly,
 * tag and attribute names case-insensitively):
 *
 *   <input ... name="F" ...>
 *       type radio or checkbox: every "checked" attribute is removed, and
 *       " checked" is added when the tag's value (raw as written, or as
 *       written once escaped; "on" when the tag has none) equals a typed
 *       value of F.  A field typed empty checks nothing: the page shows
 *       what was actually sent, not the template's default.
 *       type submit, reset, button, image, file: left alone.
 *       any other type: each value="..." gets the escaped typed value
 *       (value="" when nothing was typed); without one, value="..." is
 *       added after the last attribute.
 *   <select ... name="F"> ... </select>
 *       each <option> inside loses "selected" and gets " selected" when its
 *       value (its text, trimmed, when it has no value attribute) equals a
 *       typed value of F, as for radios.
 *   <textarea ... name="F" ...> ... </textarea>
 *       the content becomes the escaped typed value (with one extra leading
 *       newline when the value starts with a line break, which the HTML
 *       parser would otherwise drop).
 *
 * If F appears several times in the list, a radio, checkbox or option is
 * marked when any of its values matches (a group of checkboxes); text
 * takes the first.  Fields not in the list are left as the template has
 * them, so the module passes every form field, typed or not.
 *
 * Markers, HTML comments invisible in the static page, written exactly so:
 *
 *   <!--posko:errors-->
 *       when summary is not NULL:
 *         <div class="galat" role="alert"><p>SUMMARY</p><ul>
 *         <li><a href="#F">MESSAGE</a></li>   (one per field with an error)
 *         </ul></div>
 *       (all on one line; the <ul> is left out when no field has an
 *       error); nothing when summary is NULL.  Each control, or the
 *       fieldset of a radio group, carries id="F" for the link.
 *   <!--posko:error:F-->
 *       when F has an error: <p class="galat-isi" id="galat-F">MESSAGE</p>;
 *       nothing otherwise.
 *
 * Any other comment is copied as it is.  Text written into the page
 * (values, messages, the summary, names) is escaped: & < > " ' become
 * &amp; &lt; &gt; &quot; &#39;; every other byte is copied unchanged, so
 * UTF-8 (Arabic, emoji) and line breaks go through byte for byte.
 *
 * Everything else is copied verbatim.  The template may be any bytes:
 * comments and the content of script, style, title and textarea are not
 * looked into for tags; a tag, comment or raw-text element left open at
 * the end of the template, and everything after it, is copied verbatim.
 * The work is linear in the template size times the number of fields.
 */
#ifndef POSKO_PAGE_H
#define POSKO_PAGE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name; /* field name as in the form; not NUL-terminated */
    size_t name_len;
    const uint8_t *value; /* what was typed, raw UTF-8; NULL or 0: nothing */
    size_t value_len;
    const uint8_t *error; /* message to show (plain text), or NULL */
    size_t error_len;
} posko_page_field_t;

/*
 * Renders the template tpl with the fields.  summary (plain text, may be
 * NULL) is the sentence shown at <!--posko:errors-->.
 *
 * Returns the size of the whole page, the same whatever out is.  With
 * out == NULL nothing is written; otherwise the first min(size, out_size)
 * bytes of the page are written to out, like snprintf without the NUL.
 * The size is SIZE_MAX if it would not fit in a size_t.
 */
size_t posko_page_render(const uint8_t *tpl, size_t tpl_len,
                         const posko_page_field_t *fields, size_t nfields,
                         const uint8_t *summary, size_t summary_len,
                         uint8_t *out, size_t out_size);

#endif
