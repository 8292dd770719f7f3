/*
 * dashboard_quarantine.c - karantina.html: what ingest could not load,
 * newest first, so that an officer sees that a follow-up was refused and
 * why, and can record it again the right way.
 *
 * A refused follow-up shows its code (linked to the complaint's page when
 * there is one), the officer, the action, the note and the reason.  The
 * note goes through the excerpt that hides numbers and addresses, as a
 * description does on the worklist: this page lists many complaints.  The
 * complaint's own page shows it whole.  A damaged record or a refused
 * complaint shows only where it lies in the WAL and why, never its
 * bytes, which may hold a pilgrim's personal data.
 */
#include "dashboard.h"
#include "posko.h"
#include "posko_excerpt.h"
#include "posko_wal.h"

#include <stdio.h>
#include <string.h>

#define QU_ROWS 500    /* the newest shown */
#define QU_EXCERPT 400 /* bytes of a note */

int dash_followup_read(const void *raw, size_t len, posko_record_t *out) {
    const uint8_t *rec = raw;
    const char *why;
    uint32_t payload;

    posko_record_init(out, POSKO_REC_FOLLOWUP);
    if (rec == NULL || len < POSKO_WAL_FRAME_SIZE ||
        rec[8] != POSKO_REC_FOLLOWUP) {
        return 0;
    }
    payload = posko_get_u32(rec + 4);
    if (payload > len - POSKO_WAL_FRAME_SIZE) {
        return 0;
    }
    /* refused or not, the fields it could read are shown */
    (void)posko_record_decode(POSKO_REC_FOLLOWUP, rec + POSKO_WAL_FRAME_SIZE,
                              payload, out, &why);
    return 1;
}

static const char qu_sql[] =
    "SELECT q.at, q.kode, q.petugas, q.reason, q.segment, q.offset, q.raw,"
    " EXISTS (SELECT 1 FROM complaints c WHERE c.kode = q.kode"
    " AND (c.status IN (%s) OR c.updated_at >= ?1))"
    " FROM quarantine q ORDER BY q.id DESC LIMIT %d";

static void qu_cell(dash_buf_t *b, const char *label, const char *text,
                    size_t len) {
    dash_printf(b, "<td data-l=\"%s\">", label);
    if (text == NULL || len == 0) {
        dash_put(b, "\xe2\x80\x94");
    } else {
        dash_escn(b, text, len);
    }
    dash_put(b, "</td>");
}

/* One quarantined record's row. */
static void qu_row(sqlite3_stmt *st, dash_buf_t *b) {
    const char *kode = (const char *)sqlite3_column_text(st, 1);
    const char *petugas = (const char *)sqlite3_column_text(st, 2);
    const char *reason = (const char *)sqlite3_column_text(st, 3);
    posko_record_t fu;
    char when[40], label[64], excerpt[QU_EXCERPT];
    int followup = dash_followup_read(sqlite3_column_blob(st, 6),
                                      (size_t)sqlite3_column_bytes(st, 6), &fu);

    dash_put(b, "<tr><td data-l=\"Waktu\">");
    dash_put(b, dash_local(
                    dash_stored_time((const char *)sqlite3_column_text(st, 0)),
                    0, when));
    dash_put(b, "</td><td data-l=\"Kode\">");
    if (sqlite3_column_int(st, 7) && dash_kode_ok(kode)) {
        dash_printf(b, "<a href=\"aduan/%s.html\">%s</a>", kode, kode);
    } else if (kode != NULL) {
        dash_esc(b, kode);
    } else {
        dash_put(b, "\xe2\x80\x94");
    }
    dash_put(b, "</td>");
    qu_cell(b, "Petugas", petugas, petugas ? strlen(petugas) : 0);
    if (followup) {
        posko_value_t act = fu.slot[POSKO_FUP_AKSI];
        posko_value_t note = fu.slot[POSKO_FUP_CATATAN];
        posko_value_t unit = fu.slot[POSKO_FUP_UNIT];
        posko_value_t dup = fu.slot[POSKO_FUP_DUPLIKAT_DARI];
        const char *aksi = act.data != NULL
                               ? dash_aksi_label((const char *)act.data,
                                                 act.len, label, sizeof(label))
                               : NULL;

        qu_cell(b, "Tindakan", aksi, aksi ? strlen(aksi) : 0);
        posko_excerpt(note.data ? (const char *)note.data : "", note.len,
                      excerpt, sizeof(excerpt));
        dash_put(b, "<td data-l=\"Catatan\">");
        if (unit.data != NULL) {
            dash_put(b, "unit: ");
            dash_escn(b, (const char *)unit.data, unit.len);
            dash_put(b, "<br>");
        }
        if (dup.data != NULL) {
            dash_put(b, "duplikat dari: ");
            dash_escn(b, (const char *)dup.data, dup.len);
            dash_put(b, "<br>");
        }
        dash_esc(b, excerpt);
        dash_put(b, "</td>");
    } else {
        dash_put(b, "<td data-l=\"Tindakan\">(bukan tindak lanjut)</td>"
                    "<td data-l=\"Catatan\">(isi tidak ditampilkan)</td>");
    }
    qu_cell(b, "Alasan", reason, reason ? strlen(reason) : 0);
    dash_put(b, "<td data-l=\"Rekaman\">");
    dash_esc(b, (const char *)sqlite3_column_text(st, 4));
    dash_printf(b, " @ %lld</td></tr>\n",
                (long long)sqlite3_column_int64(st, 5));
}

int dash_quarantine(dash_t *d) {
    dash_buf_t b = {0};
    char sql[1024];
    sqlite3_stmt *st;
    int rc, shown = 0;

    d->quarantined = (long)posko_db_number(d->db,
                                           "SELECT count(*) FROM quarantine");
    snprintf(sql, sizeof(sql), qu_sql, d->open_statuses, QU_ROWS);
    if (d->quarantined < 0 ||
        sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK) {
        posko_db_error(d->db, "cannot read the quarantine");
        return -1;
    }
    sqlite3_bind_text(st, 1, d->recent_utc, -1, SQLITE_STATIC);

    dash_page_begin(d, &b, "", "Karantina", NULL);
    dash_printf(&b,
                "<p>%ld rekaman tidak dapat dimuat (<i>quarantined "
                "records</i>): tindak lanjut yang tidak sesuai dengan "
                "status aduan, atau rekaman WAL yang rusak. Tindak lanjut "
                "yang ditolak dapat dicatat ulang dari halaman aduannya "
                "bila memang perlu.</p>\n",
                d->quarantined);
    if (d->quarantined > QU_ROWS) {
        dash_printf(&b, "<p class=\"note\">Ditampilkan %d yang terbaru.</p>\n",
                    QU_ROWS);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (shown++ == 0) {
            dash_put(&b, "<table class=\"l\">\n<thead><tr><th>Waktu</th>"
                         "<th>Kode</th><th>Petugas</th><th>Tindakan</th>"
                         "<th>Catatan</th><th>Alasan</th>"
                         "<th>Rekaman (segmen @ posisi)</th></tr></thead>\n"
                         "<tbody>\n");
        }
        qu_row(st, &b);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        posko_db_error(d->db, "cannot read the quarantine");
        dash_buf_free(&b);
        return -1;
    }
    dash_put(&b, shown ? "</tbody>\n</table>\n"
                       : "<p>Tidak ada rekaman di karantina.</p>\n");
    dash_page_end(&b);
    rc = dash_write(d, "karantina.html", &b);
    dash_buf_free(&b);
    return rc;
}
