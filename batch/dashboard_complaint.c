/*
 * dashboard_complaint.c - one page per complaint, aduan/KODE.html, for
 * every open complaint and every one updated in the last seven days: the
 * whole description, the reporter's name, phone and e-mail (the team must
 * reach the pilgrim, and this is the only page that shows them), where
 * and when, deadlines, status, its events in order, its follow-ups that
 * were refused, and the follow-up form.
 *
 * The form posts to the posko_followup location (--followup-url) with the
 * code, a token (posko_token.h: an HMAC of the code and an expiry 24
 * hours on, which the module checks), the page's own path to come back
 * to, and only the actions the lifecycle allows from the complaint's
 * status (posko_lifecycle_step()).
 *
 * A season has hundreds of thousands of these pages, so a page is written
 * only when it is new, when what it shows changed, or when its token is
 * 12 hours old.  DIR/.manifest remembers, sorted by code, each page's
 * code, a hash of what of its complaint can change, and when it was made.
 * Its first line holds a fingerprint of what all pages show alike (the
 * secret, the options, the reference names): when that differs, every
 * page is made again.  Manifest and complaints, both in code order, are
 * walked side by side; the page of a complaint that left the set is
 * removed.  Without a manifest the pages in aduan/ stand in for it.
 */
#include "dashboard.h"
#include "posko.h"
#include "posko_followup.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bump when pages change their layout: every page is made again. */
#define CP_FORMAT "posko-dashboard-page 1"
#define CP_MANIFEST_HEAD "posko-dashboard-manifest 1"

typedef struct {
    char kode[16];
    uint64_t hash;
    long long made;
} cp_entry_t;

typedef struct {
    dash_t *d;
    char fingerprint[65];
    cp_entry_t *prev; /* the last run's pages, by code */
    size_t nprev;
    int force; /* every page is made again */
    sqlite3_stmt *detail, *events, *refused;
    dash_buf_t page;
} cp_t;

/* -- what every page shows alike ------------------------------------------- */

static void cp_digest_str(EVP_MD_CTX *ctx, const char *s) {
    EVP_DigestUpdate(ctx, s, strlen(s) + 1); /* with the NUL, as a separator */
}

static void cp_digest_refs(EVP_MD_CTX *ctx, const dash_refs_t *r) {
    for (int i = 0; i < r->n; i++) {
        cp_digest_str(ctx, r->v[i].code);
        cp_digest_str(ctx, r->v[i].name);
    }
    cp_digest_str(ctx, "");
}

/* SHA-256 of the page format, the secret, the options and the reference
 * names: one-way, so the manifest can be read by anyone who reads the
 * pages without telling them anything of the secret. */
static int cp_fingerprint(cp_t *c) {
    const dash_t *d = c->d;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    char every[16];
    int ok;

    snprintf(every, sizeof(every), "%d", d->every);
    ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    if (ok) {
        cp_digest_str(ctx, CP_FORMAT);
        EVP_DigestUpdate(ctx, d->secret, sizeof(d->secret));
        cp_digest_str(ctx, d->followup_url);
        cp_digest_str(ctx, d->base);
        cp_digest_str(ctx, d->tz);
        cp_digest_str(ctx, every);
        cp_digest_refs(ctx, &d->kategori);
        cp_digest_refs(ctx, &d->lokasi);
        cp_digest_refs(ctx, &d->embarkasi);
        cp_digest_refs(ctx, &d->unit);
        ok = EVP_DigestFinal_ex(ctx, md, &len) == 1 && len >= 32;
    }
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        fprintf(stderr, "posko dashboard: cannot compute SHA-256\n");
        return -1;
    }
    for (unsigned i = 0; i < 32; i++) {
        snprintf(c->fingerprint + 2 * i, 3, "%02x", md[i]);
    }
    return 0;
}

/* -- the last run's pages -------------------------------------------------- */

static int cp_entry_cmp(const void *a, const void *b) {
    return strcmp(((const cp_entry_t *)a)->kode, ((const cp_entry_t *)b)->kode);
}

static int cp_push(cp_t *c, size_t *cap, const char *kode, uint64_t hash,
                   long long made) {
    if (c->nprev == *cap) {
        size_t n = *cap ? *cap * 2 : 1024;
        cp_entry_t *v = realloc(c->prev, n * sizeof(*v));

        if (v == NULL) {
            fprintf(stderr, "posko dashboard: out of memory\n");
            return -1;
        }
        c->prev = v;
        *cap = n;
    }
    snprintf(c->prev[c->nprev].kode, sizeof(c->prev[0].kode), "%s", kode);
    c->prev[c->nprev].hash = hash;
    c->prev[c->nprev].made = made;
    c->nprev++;
    return 0;
}

/* Without a manifest: the pages that are there, to be made again. */
static int cp_pages_present(cp_t *c, size_t *cap) {
    char path[4200], kode[16];
    DIR *dir;
    struct dirent *e;
    int rc = 0;

    snprintf(path, sizeof(path), "%s/aduan", c->d->out_dir);
    dir = opendir(path);
    if (dir == NULL) {
        return 0;
    }
    while (rc == 0 && (e = readdir(dir)) != NULL) {
        if (strlen(e->d_name) == 19 && strcmp(e->d_name + 14, ".html") == 0) {
            snprintf(kode, sizeof(kode), "%.14s", e->d_name);
            if (dash_kode_ok(kode)) {
                rc = cp_push(c, cap, kode, 0, 0);
            }
        }
    }
    closedir(dir);
    return rc;
}

static int cp_manifest_read(cp_t *c) {
    char path[4200], line[256], head[128], kode[16];
    size_t cap = 0;
    unsigned long long hash;
    long long made;
    FILE *f;
    int rc = 0;

    snprintf(path, sizeof(path), "%s/.manifest", c->d->out_dir);
    f = fopen(path, "r");
    snprintf(head, sizeof(head), "%s %s\n", CP_MANIFEST_HEAD, c->fingerprint);
    if (f == NULL || fgets(line, sizeof(line), f) == NULL ||
        strncmp(line, CP_MANIFEST_HEAD " ", sizeof(CP_MANIFEST_HEAD)) != 0) {
        if (f != NULL) {
            fclose(f);
        }
        c->force = 1;
        rc = cp_pages_present(c, &cap);
    } else {
        c->force = strcmp(line, head) != 0;
        while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
            if (sscanf(line, "%15s %llx %lld", kode, &hash, &made) == 3 &&
                dash_kode_ok(kode)) {
                rc = cp_push(c, &cap, kode, hash, made);
            }
        }
        fclose(f);
    }
    if (rc == 0 && c->nprev > 0) {
        qsort(c->prev, c->nprev, sizeof(*c->prev), cp_entry_cmp);
    }
    return rc;
}

/* -- one page -------------------------------------------------------------- */

static const char cp_detail_sql[] =
    "SELECT kode, jenis, pelapor, kategori, lokasi, embarkasi, kloter,"
    " uraian, nama, telepon, email, rating, received_at, status, unit,"
    " duplikat_dari, verified_at, solved_at, closed_at, due_verify,"
    " due_solve FROM complaints WHERE kode = ?1";

enum {
    CP_KODE,
    CP_JENIS,
    CP_PELAPOR,
    CP_KATEGORI,
    CP_LOKASI,
    CP_EMBARKASI,
    CP_KLOTER,
    CP_URAIAN,
    CP_NAMA,
    CP_TELEPON,
    CP_EMAIL,
    CP_RATING,
    CP_RECEIVED,
    CP_STATUS,
    CP_UNIT,
    CP_DUPLIKAT,
    CP_VERIFIED,
    CP_SOLVED,
    CP_CLOSED,
    CP_DUE_VERIFY,
    CP_DUE_SOLVE
};

static const char cp_events_sql[] =
    "SELECT at, aksi, petugas, status_before, status_after, unit,"
    " duplikat_dari, catatan FROM events WHERE kode = ?1 ORDER BY id";

static const char cp_refused_sql[] =
    "SELECT at, petugas, reason, raw FROM quarantine WHERE kode = ?1"
    " ORDER BY id";

static const char *cp_text(sqlite3_stmt *st, int col) {
    const char *s = (const char *)sqlite3_column_text(st, col);

    return s != NULL && s[0] != '\0' ? s : NULL;
}

/* <dt>label</dt><dd>text</dd>, "(tidak diisi)" for none. */
static void cp_item(dash_buf_t *b, const char *label, const char *text) {
    dash_printf(b, "<dt>%s</dt><dd>", label);
    dash_esc(b, text != NULL ? text : "(tidak diisi)");
    dash_put(b, "</dd>\n");
}

/* A deadline, and when the step was done against it. */
static void cp_deadline(const dash_t *d, dash_buf_t *b, const char *label,
                        const char *due, const char *done,
                        const char *done_word) {
    time_t due_t = dash_stored_time(due), done_t = dash_stored_time(done);
    char when[40];

    dash_printf(b, "<dt>%s</dt><dd>%s", label, dash_local(due_t, 1, when));
    if (due_t != (time_t)-1) {
        dash_printf(b, " %s", d->zone);
    }
    if (done_t != (time_t)-1) {
        dash_printf(b, "; %s %s", done_word, dash_local(done_t, 1, when));
        dash_put(b, due_t == (time_t)-1 || done_t <= due_t
                        ? " (tepat waktu)"
                        : " <span class=\"late\">(terlambat)</span>");
    }
    dash_put(b, "</dd>\n");
}

static void cp_details(cp_t *c, sqlite3_stmt *st, dash_buf_t *b) {
    const dash_t *d = c->d;
    const char *tel = cp_text(st, CP_TELEPON), *mail = cp_text(st, CP_EMAIL);
    const char *unit = cp_text(st, CP_UNIT), *emb = cp_text(st, CP_EMBARKASI);
    char buf[160], tidy[160], when[40];

    dash_put(b, "<h2>Uraian</h2>\n<p class=\"u\">");
    dash_esc(b, (const char *)sqlite3_column_text(st, CP_URAIAN));
    dash_put(b, "</p>\n<h2>Rincian</h2>\n<dl>\n");
    cp_item(b, "Jenis",
            cp_text(st, CP_JENIS)
                ? dash_name(NULL, cp_text(st, CP_JENIS), tidy, sizeof(tidy))
                : NULL);
    cp_item(b, "Pelapor",
            cp_text(st, CP_PELAPOR)
                ? dash_name(NULL, cp_text(st, CP_PELAPOR), tidy, sizeof(tidy))
                : NULL);
    cp_item(
        b, "Kategori",
        dash_name(&d->kategori, cp_text(st, CP_KATEGORI), buf, sizeof(buf)));
    cp_item(b, "Lokasi",
            dash_name(&d->lokasi, cp_text(st, CP_LOKASI), buf, sizeof(buf)));
    if (emb != NULL) {
        snprintf(tidy, sizeof(tidy), "%s (%s)",
                 dash_name(&d->embarkasi, emb, buf, sizeof(buf)), emb);
    }
    cp_item(b, "Embarkasi", emb != NULL ? tidy : NULL);
    cp_item(b, "Kloter", cp_text(st, CP_KLOTER));
    cp_item(b, "Unit",
            unit != NULL ? dash_name(&d->unit, unit, buf, sizeof(buf))
                         : "Belum ditugaskan");
    if (sqlite3_column_type(st, CP_RATING) == SQLITE_NULL) {
        cp_item(b, "Nilai dari pelapor", NULL);
    } else {
        dash_printf(b, "<dt>Nilai dari pelapor</dt><dd>%d dari 5</dd>\n",
                    sqlite3_column_int(st, CP_RATING));
    }
    dash_printf(b, "<dt>Diterima</dt><dd>%s %s</dd>\n",
                dash_local(dash_stored_time(cp_text(st, CP_RECEIVED)), 1, when),
                d->zone);
    cp_deadline(d, b, "Tenggat verifikasi", cp_text(st, CP_DUE_VERIFY),
                cp_text(st, CP_VERIFIED), "diverifikasi");
    cp_deadline(d, b, "Tenggat penyelesaian", cp_text(st, CP_DUE_SOLVE),
                cp_text(st, CP_SOLVED), "selesai");
    if (cp_text(st, CP_CLOSED) != NULL) {
        dash_printf(
            b, "<dt>Ditutup</dt><dd>%s</dd>\n",
            dash_local(dash_stored_time(cp_text(st, CP_CLOSED)), 1, when));
    }
    if (cp_text(st, CP_DUPLIKAT) != NULL) {
        cp_item(b, "Duplikat dari", cp_text(st, CP_DUPLIKAT));
    }
    dash_put(b, "</dl>\n<h2>Data pelapor (pribadi)</h2>\n<dl>\n");
    cp_item(b, "Nama", cp_text(st, CP_NAMA));
    dash_put(b, "<dt>Telepon</dt><dd>");
    if (tel != NULL) {
        dash_put(b, "<a href=\"tel:");
        dash_esc(b, tel);
        dash_put(b, "\">");
        dash_esc(b, tel);
        dash_put(b, "</a>");
    } else {
        dash_put(b, "(tidak diisi)");
    }
    dash_put(b, "</dd>\n<dt>Email</dt><dd>");
    if (mail != NULL) {
        dash_put(b, "<a href=\"mailto:");
        dash_esc(b, mail);
        dash_put(b, "\">");
        dash_esc(b, mail);
        dash_put(b, "</a>");
    } else {
        dash_put(b, "(tidak diisi)");
    }
    dash_put(b, "</dd>\n</dl>\n<p class=\"note\">Data pribadi hanya untuk "
                "menghubungi pelapor; jangan disalin ke tempat lain.</p>\n");
}

static int cp_events(cp_t *c, const char *kode, dash_buf_t *b) {
    const dash_t *d = c->d;
    sqlite3_stmt *st = c->events;
    char when[40], buf[160], label[64];
    int rc, n = 0;

    sqlite3_bind_text(st, 1, kode, -1, SQLITE_STATIC);
    dash_put(b, "<h2>Riwayat tindak lanjut</h2>\n");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *aksi = (const char *)sqlite3_column_text(st, 1);

        if (n++ == 0) {
            dash_put(b, "<table class=\"l\">\n<thead><tr><th>Waktu</th>"
                        "<th>Tindakan</th><th>Petugas</th><th>Status</th>"
                        "<th>Unit</th><th>Catatan</th></tr></thead>\n"
                        "<tbody>\n");
        }
        dash_printf(b, "<tr><td data-l=\"Waktu\">%s</td>",
                    dash_local(dash_stored_time(
                                   (const char *)sqlite3_column_text(st, 0)),
                               1, when));
        dash_put(b, "<td data-l=\"Tindakan\">");
        dash_esc(b, dash_aksi_label(aksi, aksi ? strlen(aksi) : 0, label,
                                    sizeof(label)));
        dash_put(b, "</td><td data-l=\"Petugas\">");
        dash_esc(b, (const char *)sqlite3_column_text(st, 2));
        dash_put(b, "</td><td data-l=\"Status\">");
        dash_esc(b, dash_status_label(cp_text(st, 3)));
        dash_put(b, " \xe2\x86\x92 ");
        dash_esc(b, dash_status_label(cp_text(st, 4)));
        dash_put(b, "</td><td data-l=\"Unit\">");
        if (cp_text(st, 5) != NULL) {
            dash_esc(b, dash_name(&d->unit, cp_text(st, 5), buf, sizeof(buf)));
        } else {
            dash_put(b, "\xe2\x80\x94");
        }
        dash_put(b, "</td><td data-l=\"Catatan\" class=\"u\">");
        if (cp_text(st, 6) != NULL) {
            dash_put(b, "duplikat dari ");
            dash_esc(b, cp_text(st, 6));
            dash_put(b, cp_text(st, 7) != NULL ? "\n" : "");
        }
        dash_esc(b, (const char *)sqlite3_column_text(st, 7));
        dash_put(b, "</td></tr>\n");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        posko_db_error(d->db, "cannot read a complaint's events");
        return -1;
    }
    dash_put(b,
             n ? "</tbody>\n</table>\n" : "<p>Belum ada tindak lanjut.</p>\n");
    return 0;
}

/* Follow-ups of this complaint that ingest refused, with the reason. */
static int cp_refused(cp_t *c, const char *kode, dash_buf_t *b) {
    sqlite3_stmt *st = c->refused;
    posko_record_t fu;
    char when[40], label[64];
    int rc, n = 0;

    sqlite3_bind_text(st, 1, kode, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) {
            dash_put(b, "<h2>Tindak lanjut yang ditolak</h2>\n"
                        "<table class=\"l\">\n<thead><tr><th>Waktu</th>"
                        "<th>Petugas</th><th>Tindakan</th><th>Alasan</th>"
                        "<th>Catatan</th></tr></thead>\n<tbody>\n");
        }
        dash_followup_read(sqlite3_column_blob(st, 3),
                           (size_t)sqlite3_column_bytes(st, 3), &fu);
        dash_printf(b, "<tr><td data-l=\"Waktu\">%s</td>",
                    dash_local(dash_stored_time(
                                   (const char *)sqlite3_column_text(st, 0)),
                               1, when));
        dash_put(b, "<td data-l=\"Petugas\">");
        dash_esc(b, (const char *)sqlite3_column_text(st, 1));
        dash_put(b, "</td><td data-l=\"Tindakan\">");
        if (fu.slot[POSKO_FUP_AKSI].data != NULL) {
            dash_esc(b, dash_aksi_label(
                            (const char *)fu.slot[POSKO_FUP_AKSI].data,
                            fu.slot[POSKO_FUP_AKSI].len, label, sizeof(label)));
        }
        dash_put(b, "</td><td data-l=\"Alasan\">");
        dash_esc(b, (const char *)sqlite3_column_text(st, 2));
        dash_put(b, "</td><td data-l=\"Catatan\" class=\"u\">");
        dash_escn(b, (const char *)fu.slot[POSKO_FUP_CATATAN].data,
                  fu.slot[POSKO_FUP_CATATAN].len);
        dash_put(b, "</td></tr>\n");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        posko_db_error(c->d->db, "cannot read a complaint's quarantine");
        return -1;
    }
    if (n > 0) {
        dash_put(b, "</tbody>\n</table>\n");
    }
    return 0;
}

/* What an action needs, said beside it. */
static const char *cp_needs(posko_aksi_t a) {
    switch (posko_aksi_needs(a)) {
    case POSKO_NEEDS_NOTE:
        return " (wajib catatan)";
    case POSKO_NEEDS_UNIT:
        return " (wajib unit)";
    case POSKO_NEEDS_NOTE_OR_DUP:
        return " (wajib catatan atau kode duplikat)";
    default:
        return "";
    }
}

/* The follow-up form, with the actions the lifecycle allows from the
 * complaint's status; none for a complaint that is done. */
static int cp_form(cp_t *c, const char *kode, const char *status,
                   const char *unit, dash_buf_t *b) {
    const dash_t *d = c->d;
    int from = status != NULL ? posko_status_find(status, strlen(status)) : -1;
    char token[POSKO_TOKEN_MAX], label[64];
    const char *why;
    int allowed = 0;
    time_t next = d->now + (time_t)d->every * 60;
    struct tm then;

    dash_put(b, "<h2>Catat tindak lanjut</h2>\n");
    for (int a = 0; from >= 0 && a < POSKO_A_COUNT; a++) {
        allowed += posko_lifecycle_step((posko_status_t)from, (posko_aksi_t)a,
                                        &why) >= 0;
    }
    if (allowed == 0) {
        dash_put(b, "<p>Aduan berstatus <b>");
        dash_esc(b, dash_status_label(status));
        dash_put(b, "</b>: tidak ada tindak lanjut lagi.</p>\n");
        return 0;
    }
    if (posko_token_make(d->secret, sizeof(d->secret), kode,
                         (long long)d->now + DASH_TOKEN_LIFE, token) != 0) {
        fprintf(stderr, "posko dashboard: cannot make the token of %s\n", kode);
        return -1;
    }
    localtime_r(&next, &then);

    dash_put(b, "<form method=\"post\" action=\"");
    dash_esc(b, d->followup_url);
    dash_printf(b,
                "\">\n<input type=\"hidden\" name=\"kode\" value=\"%s\">\n"
                "<input type=\"hidden\" name=\"token\" value=\"",
                kode);
    dash_esc(b, token);
    dash_put(b, "\">\n<input type=\"hidden\" name=\"kembali\" value=\"");
    dash_esc(b, d->base);
    dash_printf(b, "aduan/%s.html\">\n", kode);

    dash_put(b, "<label for=\"aksi\">Tindakan</label>\n"
                "<select id=\"aksi\" name=\"aksi\" required>\n");
    for (int a = 0; a < POSKO_A_COUNT; a++) {
        if (posko_lifecycle_step((posko_status_t)from, (posko_aksi_t)a, &why) <
            0) {
            continue;
        }
        dash_printf(b, "<option value=\"%s\">", posko_aksi_names[a]);
        dash_esc(b, dash_aksi_label(posko_aksi_names[a],
                                    strlen(posko_aksi_names[a]), label,
                                    sizeof(label)));
        dash_printf(b, "%s</option>\n", cp_needs((posko_aksi_t)a));
    }
    dash_put(b, "</select>\n<label for=\"catatan\">Catatan</label>\n"
                "<textarea id=\"catatan\" name=\"catatan\" rows=\"4\" "
                "maxlength=\"2000\"></textarea>\n"
                "<label for=\"unit\">Unit petugas (untuk tugaskan)</label>\n"
                "<select id=\"unit\" name=\"unit\">\n"
                "<option value=\"\">\xe2\x80\x94 pilih unit \xe2\x80\x94"
                "</option>\n");
    for (int i = 0; i < d->unit.n; i++) {
        dash_put(b, "<option value=\"");
        dash_esc(b, d->unit.v[i].code);
        dash_put(b, "\">");
        dash_esc(b, d->unit.v[i].name);
        if (unit != NULL && strcmp(unit, d->unit.v[i].code) == 0) {
            dash_put(b, " (saat ini)");
        }
        dash_put(b, "</option>\n");
    }
    dash_printf(b,
                "</select>\n<label for=\"duplikat_dari\">Duplikat dari kode "
                "(untuk tutup)</label>\n"
                "<input id=\"duplikat_dari\" name=\"duplikat_dari\" "
                "maxlength=\"20\" autocomplete=\"off\" "
                "placeholder=\"XXXX-XXXX-XXXX\">\n"
                "<button type=\"submit\">Kirim tindak lanjut</button>\n"
                "<p class=\"note\">Dicatat atas nama petugas yang sedang "
                "masuk (login). Perubahan tampil di dasbor pada pembaruan "
                "berikutnya, sekitar %02d:%02d. Formulir ini berlaku sampai "
                "24 jam setelah halaman dibuat.</p>\n</form>\n",
                then.tm_hour, then.tm_min);
    return 0;
}

/* Writes aduan/KODE.html. */
static int cp_write(cp_t *c, const char *kode) {
    dash_buf_t *b = &c->page;
    sqlite3_stmt *st = c->detail;
    char title[64], rel[64], buf[160];
    int rc;

    sqlite3_bind_text(st, 1, kode, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        posko_db_error(c->d->db, "cannot read a complaint");
        return -1;
    }
    b->len = 0;
    snprintf(title, sizeof(title), "Aduan %s", kode);
    dash_page_begin(c->d, b, "../", title, " bila aduan ini berubah");
    dash_put(b, "<p><b>Status: ");
    dash_esc(b, dash_status_label(cp_text(st, CP_STATUS)));
    dash_put(b, "</b> \xc2\xb7 ");
    dash_esc(b, dash_name(&c->d->kategori, cp_text(st, CP_KATEGORI), buf,
                          sizeof(buf)));
    dash_put(b, " \xc2\xb7 ");
    dash_esc(
        b, dash_name(&c->d->lokasi, cp_text(st, CP_LOKASI), buf, sizeof(buf)));
    dash_put(b, "</p>\n");
    cp_details(c, st, b);
    rc = cp_events(c, kode, b) == 0 && cp_refused(c, kode, b) == 0 &&
                 cp_form(c, kode, cp_text(st, CP_STATUS), cp_text(st, CP_UNIT),
                         b) == 0
             ? 0
             : -1;
    sqlite3_reset(st);
    dash_page_end(b);
    snprintf(rel, sizeof(rel), "aduan/%s.html", kode);
    return rc == 0 ? dash_write(c->d, rel, b) : -1;
}

static void cp_remove(cp_t *c, const char *kode) {
    char path[4200];

    snprintf(path, sizeof(path), "%s/aduan/%s.html", c->d->out_dir, kode);
    if (unlink(path) == 0) {
        c->d->pages_removed++;
    } else if (errno != ENOENT) {
        fprintf(stderr, "posko dashboard: cannot remove %s: %s\n", path,
                strerror(errno));
    }
}

static int cp_exists(const cp_t *c, const char *kode) {
    char path[4200];

    snprintf(path, sizeof(path), "%s/aduan/%s.html", c->d->out_dir, kode);
    return access(path, F_OK) == 0;
}

/* -- the set of pages ------------------------------------------------------ */

/* The complaints that have a page, in code order, with what of them can
 * change what the page shows. */
static const char cp_set_sql[] =
    "SELECT c.kode, c.status, c.updated_at, c.unit, c.due_verify,"
    " c.due_solve, c.verified_at, c.solved_at, c.closed_at, c.duplikat_dari,"
    " c.faktual,"
    " (SELECT count(*) FROM events e WHERE e.kode = c.kode),"
    " (SELECT max(id) FROM quarantine q WHERE q.kode = c.kode)"
    " FROM complaints c WHERE c.status IN (%s) OR c.updated_at >= ?1"
    " ORDER BY c.kode";

#define CP_SET_COLUMNS 13

static uint64_t cp_hash(sqlite3_stmt *st) {
    uint64_t h = 0xcbf29ce484222325ULL;

    for (int i = 1; i < CP_SET_COLUMNS; i++) {
        const unsigned char *s = sqlite3_column_text(st, i);
        int n = sqlite3_column_bytes(st, i);

        /* NULL and "" differ: a marker byte before each value */
        h = (h ^ (s == NULL ? 0x00u : 0x01u)) * 0x100000001b3ULL;
        for (int k = 0; s != NULL && k < n; k++) {
            h = (h ^ s[k]) * 0x100000001b3ULL;
        }
    }
    return h;
}

/* Walks the complaints with a page and the last run's pages side by
 * side; writes the new manifest to f. */
static int cp_walk(cp_t *c, FILE *f) {
    dash_t *d = c->d;
    sqlite3_stmt *st;
    char sql[1024];
    size_t i = 0;
    int rc, failed = 0;

    snprintf(sql, sizeof(sql), cp_set_sql, d->open_statuses);
    if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK) {
        posko_db_error(d->db, "cannot read the complaints");
        return -1;
    }
    sqlite3_bind_text(st, 1, d->recent_utc, -1, SQLITE_STATIC);
    while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kode = (const char *)sqlite3_column_text(st, 0);
        uint64_t hash = cp_hash(st);
        long long made = (long long)d->now;
        int keep = 0, cmp = 1;

        if (!dash_kode_ok(kode)) {
            continue; /* no file name or token can be made of it */
        }
        while (i < c->nprev && (cmp = strcmp(c->prev[i].kode, kode)) < 0) {
            cp_remove(c, c->prev[i++].kode);
        }
        if (i < c->nprev && cmp == 0) {
            const cp_entry_t *e = &c->prev[i++];

            keep = !c->force && e->hash == hash && e->made <= made &&
                   made - e->made < DASH_TOKEN_RENEW && cp_exists(c, kode);
            if (keep) {
                made = e->made;
            }
        }
        if (keep) {
            d->pages_kept++;
        } else if (cp_write(c, kode) == 0) {
            d->pages_written++;
        } else {
            failed = 1;
        }
        fprintf(f, "%s %016llx %lld\n", kode, (unsigned long long)hash, made);
    }
    sqlite3_finalize(st);
    if (failed) {
        return -1;
    }
    if (rc != SQLITE_DONE) {
        posko_db_error(d->db, "cannot read the complaints");
        return -1;
    }
    while (i < c->nprev) {
        cp_remove(c, c->prev[i++].kode);
    }
    return 0;
}

int dash_complaints(dash_t *d) {
    cp_t c;
    char path[4200], tmp[4300];
    FILE *f = NULL;
    int rc = -1;

    memset(&c, 0, sizeof(c));
    c.d = d;
    snprintf(path, sizeof(path), "%s/.manifest", d->out_dir);
    snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
    if (cp_fingerprint(&c) != 0 || cp_manifest_read(&c) != 0) {
        goto done;
    }
    if (sqlite3_prepare_v2(d->db, cp_detail_sql, -1, &c.detail, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(d->db, cp_events_sql, -1, &c.events, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(d->db, cp_refused_sql, -1, &c.refused, NULL) !=
            SQLITE_OK) {
        posko_db_error(d->db, "cannot read the complaints");
        goto done;
    }
    f = fopen(tmp, "w");
    if (f == NULL) {
        fprintf(stderr, "posko dashboard: cannot write %s: %s\n", tmp,
                strerror(errno));
        goto done;
    }
    fprintf(f, "%s %s\n", CP_MANIFEST_HEAD, c.fingerprint);
    if (cp_walk(&c, f) != 0) {
        goto done;
    }
    rc = ferror(f) ? -1 : 0;
    rc = dash_rename(tmp, path, fclose(f) == 0 && rc == 0);
    f = NULL;
done:
    if (f != NULL) {
        fclose(f);
    }
    if (rc != 0) {
        unlink(tmp);
    }
    sqlite3_finalize(c.detail);
    sqlite3_finalize(c.events);
    sqlite3_finalize(c.refused);
    free(c.prev);
    dash_buf_free(&c.page);
    return rc;
}
