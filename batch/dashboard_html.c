/*
 * dashboard_html.c - the pieces every page of the dashboard is made of:
 * a growing buffer, the one function that escapes text for HTML, the
 * page frame (head, inline style, links, the made / next-update stamp),
 * times and names the way the team reads them, and writing a page
 * through a temporary file and a rename.
 *
 * Pages are light on purpose: no JavaScript, no external file, one small
 * style sheet, a layout that turns the worklist's table into stacked rows
 * on a phone.  A Content-Security-Policy in each page forbids scripts
 * altogether, behind the escaping, not instead of it.
 */
#include "dashboard.h"
#include "posko.h"
#include "posko_followup.h"
#include "times.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* -- the buffer ------------------------------------------------------------ */

static int dash_grow(dash_buf_t *b, size_t more) {
    size_t cap;
    char *p;

    if (b->failed) {
        return -1;
    }
    if (b->len + more + 1 <= b->cap) {
        return 0;
    }
    cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1) {
        cap *= 2;
    }
    p = realloc(b->p, cap);
    if (p == NULL) {
        b->failed = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void dash_putn(dash_buf_t *b, const char *s, size_t n) {
    if (dash_grow(b, n) != 0) {
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void dash_put(dash_buf_t *b, const char *s) { dash_putn(b, s, strlen(s)); }

void dash_printf(dash_buf_t *b, const char *fmt, ...) {
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || dash_grow(b, (size_t)n) != 0) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void dash_escn(dash_buf_t *b, const char *s, size_t n) {
    size_t start = 0;

    if (s == NULL) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *entity;

        switch (s[i]) {
        case '&':
            entity = "&amp;";
            break;
        case '<':
            entity = "&lt;";
            break;
        case '>':
            entity = "&gt;";
            break;
        case '"':
            entity = "&quot;";
            break;
        case '\'':
            entity = "&#39;";
            break;
        case '\t':
        case '\n':
        case '\r':
            continue;
        default:
            if ((unsigned char)s[i] >= 0x20 && s[i] != 0x7f) {
                continue;
            }
            entity = ""; /* other control characters: dropped */
            break;
        }
        dash_putn(b, s + start, i - start);
        dash_put(b, entity);
        start = i + 1;
    }
    dash_putn(b, s + start, n - start);
}

void dash_esc(dash_buf_t *b, const char *s) {
    if (s != NULL) {
        dash_escn(b, s, strlen(s));
    }
}

void dash_buf_free(dash_buf_t *b) {
    free(b->p);
    memset(b, 0, sizeof(*b));
}

/* -- times ----------------------------------------------------------------- */

time_t dash_stored_time(const char *s) {
    long long ms = posko_time_parse(s);

    return ms < 0 ? (time_t)-1 : (time_t)(ms / 1000);
}

const char *dash_local(time_t t, int with_year, char out[40]) {
    struct tm tm; /* in the process's zone: TZ is set to --tz */

    if (t == (time_t)-1 || localtime_r(&t, &tm) == NULL) {
        snprintf(out, 40, "\xe2\x80\x94");
        return out;
    }
    /* the short month is the first three letters: "Agu" */
    if (with_year) {
        snprintf(out, 40, "%d %.3s %d %02d:%02d", tm.tm_mday,
                 posko_month_names[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                 tm.tm_min);
    } else {
        snprintf(out, 40, "%d %.3s %02d:%02d", tm.tm_mday,
                 posko_month_names[tm.tm_mon], tm.tm_hour, tm.tm_min);
    }
    return out;
}

const char *dash_span(long long seconds, char out[40]) {
    long long s = seconds < 0 ? -seconds : seconds;

    if (s < 60) {
        snprintf(out, 40, "kurang dari 1 menit");
    } else if (s < 3600) {
        snprintf(out, 40, "%lld menit", s / 60);
    } else if (s < 86400) {
        snprintf(out, 40, "%lld jam", s / 3600);
    } else if (s % 86400 < 3600) {
        snprintf(out, 40, "%lld hari", s / 86400);
    } else {
        snprintf(out, 40, "%lld hari %lld jam", s / 86400, s % 86400 / 3600);
    }
    return out;
}

/* "Senin, 15 Juni 2026" */
static void dash_long_date(time_t t, char out[64]) {
    struct tm tm;

    localtime_r(&t, &tm);
    posko_date_long(&tm, out, 64);
}

/* -- names ----------------------------------------------------------------- */

const char *dash_name(const dash_refs_t *refs, const char *code, char *buf,
                      size_t size) {
    if (code == NULL || code[0] == '\0') {
        return "(tidak diisi)";
    }
    for (int i = 0; refs != NULL && i < refs->n; i++) {
        if (strcmp(refs->v[i].code, code) == 0) {
            return refs->v[i].name;
        }
    }
    snprintf(buf, size, "%s", code);
    for (char *p = buf; *p; p++) {
        if (*p == '_') {
            *p = ' ';
        }
    }
    if (buf[0] >= 'a' && buf[0] <= 'z') {
        buf[0] = (char)(buf[0] - 'a' + 'A');
    }
    return buf;
}

const char *dash_status_label(const char *status) {
    static const char *const labels[][2] = {
        {"diterima", "Diterima"},
        {"verifikasi", "Sedang diverifikasi"},
        {"faktual", "Faktual"},
        {"tidak_faktual", "Tidak faktual"},
        {"ditindaklanjuti", "Ditindaklanjuti"},
        {"selesai", "Selesai"},
        {"ditutup", "Ditutup"},
    };

    for (size_t i = 0; status && i < sizeof(labels) / sizeof(labels[0]); i++) {
        if (strcmp(labels[i][0], status) == 0) {
            return labels[i][1];
        }
    }
    return status != NULL ? status : "";
}

const char *dash_aksi_label(const char *aksi, size_t len, char *buf,
                            size_t size) {
    static const char *const labels[POSKO_A_COUNT] = {
        "Mulai verifikasi", "Faktual", "Tidak faktual", "Tugaskan ke unit",
        "Tindakan",         "Selesai", "Tutup",
    };
    int a = aksi != NULL ? posko_aksi_find(aksi, len) : -1;

    if (a >= 0) {
        return labels[a];
    }
    snprintf(buf, size, "%.*s", (int)(len < size ? len : size - 1),
             aksi != NULL ? aksi : "");
    return buf;
}

int dash_kode_ok(const char *s) {
    if (s == NULL || strlen(s) != 14) {
        return 0;
    }
    for (int i = 0; i < 14; i++) {
        int hyphen = i == 4 || i == 9;

        if (hyphen ? s[i] != '-'
                   : !((s[i] >= '0' && s[i] <= '9') ||
                       (s[i] >= 'A' && s[i] <= 'Z'))) {
            return 0;
        }
    }
    return 1;
}

/* -- the page frame -------------------------------------------------------- */

static const char dash_style[] =
    "body{font:16px/1.45 system-ui,sans-serif;color:#1f2328;"
    "background:#fff;max-width:1280px;margin:0 auto;padding:0 .8em 2em}"
    "header{display:flex;flex-wrap:wrap;gap:.2em 1.2em;"
    "border-bottom:3px solid #17734f;padding:.5em 0}"
    "header a{color:#17734f;font-weight:600;text-decoration:none}"
    "a{color:#0b5cad}"
    "h1{font-size:1.35em;margin:.6em 0 .1em}"
    "h2{font-size:1.1em;margin:1.4em 0 .4em}"
    ".stamp,.note{color:#59636e;font-size:.9em}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;vertical-align:top;padding:.35em .4em;"
    "border-bottom:1px solid #d8dee4}"
    "th{background:#f3f5f7;font-size:.9em}"
    "tr.late td{background:#fff3f2}"
    ".late{color:#b42318;font-weight:600}"
    ".cards{display:grid;gap:.6em;"
    "grid-template-columns:repeat(auto-fit,minmax(14em,1fr))}"
    ".card{border:1px solid #d8dee4;border-left:5px solid #17734f;"
    "padding:.4em .7em}"
    ".card.alert{border-left-color:#b42318}"
    ".card b{display:block;font-size:1.8em}"
    ".card.alert b{color:#b42318}"
    "nav.f p,.pager{margin:.3em 0}"
    "nav.f a[aria-current]{color:#1f2328;font-weight:700}"
    ".pager{display:flex;flex-wrap:wrap;gap:.4em 1.2em}"
    ".u{white-space:pre-wrap;overflow-wrap:anywhere}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}"
    "dt{color:#59636e}dd{margin:0;overflow-wrap:anywhere}"
    "form label{display:block;margin:.7em 0 .2em;font-weight:600}"
    "select,textarea,input{font:inherit;width:100%;max-width:38em;"
    "box-sizing:border-box}"
    "button{font:inherit;padding:.5em 1.4em;margin-top:.9em}"
    "img{max-width:100%;height:auto}"
    "@media(max-width:760px){table.l thead{display:none}"
    "table.l tr{display:block;border-bottom:1px solid #d8dee4;"
    "padding:.3em 0}"
    "table.l td{display:block;border:0;padding:.05em 0}"
    "table.l td[data-l]::before{content:attr(data-l) \": \";"
    "color:#59636e}"
    "dl{grid-template-columns:1fr}dd{margin-bottom:.3em}}";

void dash_page_begin(const dash_t *d, dash_buf_t *b, const char *up,
                     const char *title, const char *stamp_note) {
    time_t next = d->now + (time_t)d->every * 60;
    struct tm made, then;
    char day[64];

    localtime_r(&d->now, &made);
    localtime_r(&next, &then);
    dash_long_date(d->now, day);

    dash_put(b, "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n"
                "<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" "
                "content=\"width=device-width, initial-scale=1\">\n"
                "<meta http-equiv=\"Content-Security-Policy\" "
                "content=\"default-src 'none'; img-src 'self'; "
                "style-src 'unsafe-inline'; form-action 'self'; "
                "base-uri 'none'\">\n"
                "<meta name=\"robots\" content=\"noindex\">\n"
                "<meta name=\"referrer\" content=\"no-referrer\">\n"
                "<title>");
    dash_esc(b, title);
    dash_put(b, " \xe2\x80\x94 Dasbor Posko</title>\n<style>");
    dash_put(b, dash_style);
    dash_put(b, "</style>\n</head>\n<body>\n<header>");
    dash_printf(b,
                "<a href=\"%sindex.html\">Ringkasan</a>"
                "<a href=\"%skerja-1.html\">Daftar kerja</a>"
                "<a href=\"%skarantina.html\">Karantina</a>",
                up, up, up);
    dash_put(b, "</header>\n<main>\n<h1>");
    dash_esc(b, title);
    dash_put(b, "</h1>\n<p class=\"stamp\">");
    dash_esc(b, day);
    dash_printf(b,
                ". Dibuat %02d:%02d %s; pembaruan berikutnya sekitar "
                "%02d:%02d",
                made.tm_hour, made.tm_min, d->zone, then.tm_hour, then.tm_min);
    dash_esc(b, stamp_note);
    dash_put(b, ".</p>\n");
}

void dash_page_end(dash_buf_t *b) {
    dash_put(b, "</main>\n<footer class=\"note\"><p>Posko Pengaduan Daring "
                "Jemaah Haji \xe2\x80\x94 Tim Pemantauan dan Evaluasi "
                "Kinerja Petugas dan Layanan. Halaman ini memuat data "
                "jemaah: jangan disebarkan.</p></footer>\n</body>\n</html>\n");
}

/* -- files ----------------------------------------------------------------- */

int dash_write(const dash_t *d, const char *rel, const dash_buf_t *b) {
    char path[4200], tmp[4300];
    FILE *f;
    int ok;

    if (b->failed) {
        fprintf(stderr, "posko dashboard: out of memory writing %s\n", rel);
        return -1;
    }
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", d->out_dir, rel) >=
        sizeof(path)) {
        fprintf(stderr, "posko dashboard: the path %s/%s is too long\n",
                d->out_dir, rel);
        return -1;
    }
    snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
    f = fopen(tmp, "w");
    if (f == NULL) {
        fprintf(stderr, "posko dashboard: cannot write %s: %s\n", tmp,
                strerror(errno));
        return -1;
    }
    ok = fwrite(b->p != NULL ? b->p : "", 1, b->len, f) == b->len;
    ok = fclose(f) == 0 && ok;
    return dash_rename(tmp, path, ok);
}

int dash_rename(const char *tmp, const char *path, int ok) {
    if (ok && rename(tmp, path) == 0) {
        return 0;
    }
    fprintf(stderr, "posko dashboard: cannot write %s: %s\n", path,
            strerror(errno));
    unlink(tmp);
    return -1;
}
