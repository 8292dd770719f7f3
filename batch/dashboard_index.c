/*
 * dashboard_index.c - index.html, the page the team opens first: today's
 * figures as the daily report counts them (report_data.c, as of the
 * day's end, which for today is everything so far), what needs attention,
 * the most urgent complaints, the way into the worklist and its filters
 * and the quarantine, and the report's charts, drawn by report_pdf.c as
 * PNG files in img/.
 *
 * "Overdue" is said twice: past the deadline now (the worklist's count)
 * and by the end of the day (the report's), because the team works to
 * the first and leadership reads the second.
 */
#include "dashboard.h"
#include "report_pdf.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const ix_chart_alt[POSKO_REPORT_PNGS] = {
    "Laporan masuk dan selesai per hari",
    "Laporan menurut kategori layanan",
    "Laporan menurut lokasi",
    "Laporan menurut embarkasi",
    "Laporan per hari untuk tiap kategori layanan",
};

/* img/NAME.png for each of the report's charts. */
static int ix_charts(const dash_t *d, const posko_report_data_t *r) {
    char path[4200], tmp[4300];

    for (int i = 0; i < POSKO_REPORT_PNGS; i++) {
        snprintf(path, sizeof(path), "%s/img/%s.png", d->out_dir,
                 posko_report_pngs[i].name);
        snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
        if (posko_report_png(r, i, tmp) != 0) {
            unlink(tmp); /* report_pdf.c said why */
            return -1;
        }
        if (dash_rename(tmp, path, 1) != 0) {
            return -1;
        }
    }
    return 0;
}

/* A headline card; alert paints it red. */
static void ix_card(dash_buf_t *b, const char *label, const char *value,
                    const char *note, int alert) {
    dash_printf(b, "<div class=\"card%s\">%s<b>%s</b>", alert ? " alert" : "",
                label, value);
    dash_printf(b, "<span class=\"note\">%s</span></div>\n", note);
}

/* A share within target, as page one of the report gives it: "–" while
 * nothing is due, rather than a 0% that reads as failure. */
static void ix_share_card(dash_buf_t *b, const char *label, long on_time,
                          long due, int with_standard) {
    char value[32], note[128], a[32], c[32], pct[32];
    int alert = due > 0 && posko_rd_percent(on_time, due) < POSKO_RD_STANDARD;

    if (due == 0) {
        snprintf(value, sizeof(value), "\xe2\x80\x93");
        snprintf(note, sizeof(note), "belum ada yang jatuh tempo");
    } else {
        snprintf(value, sizeof(value), "%s%%",
                 posko_rd_decimal(posko_rd_percent(on_time, due), pct));
        snprintf(note, sizeof(note), "%s dari %s", posko_rd_int(on_time, a),
                 posko_rd_int(due, c));
    }
    if (with_standard) {
        snprintf(note + strlen(note), sizeof(note) - strlen(note),
                 "; standar %.0f%%", POSKO_RD_STANDARD);
    }
    ix_card(b, label, value, note, alert);
}

static void ix_figures(const dash_t *d, const posko_report_data_t *r,
                       dash_buf_t *b) {
    char v[32], n[200], a[32], c[32], e[32];

    dash_put(b, "<section class=\"cards\">\n");
    snprintf(n, sizeof(n), "musim ini %s", posko_rd_int(r->season_total, a));
    ix_card(b, "Laporan masuk hari ini", posko_rd_int(r->day_total, v), n, 0);
    snprintf(n, sizeof(n), "%s melewati tenggat sekarang; %s sampai akhir hari",
             posko_rd_int(d->overdue_now, a), posko_rd_int(r->all.overdue, c));
    ix_card(b, "Masih ditangani", posko_rd_int(r->all.open, v), n,
            d->overdue_now > 0);
    ix_share_card(b, "Diverifikasi tepat waktu", r->all.verified_on_time,
                  r->all.verify_due, 0);
    ix_share_card(b, "Selesai tepat waktu", r->all.solved_on_time, r->all.solve_due, 1);
    dash_put(b, "</section>\n");
    dash_printf(
        b, "<p>Hari ini: %s diverifikasi, %s faktual, %s selesai.</p>\n",
        posko_rd_int(r->all.day_verified, a), posko_rd_int(r->all.day_factual, c),
        posko_rd_int(r->all.day_solved, e));

    dash_put(b, "<h2>Perlu perhatian hari ini</h2>\n<ol>\n");
    for (int i = 0; i < r->nattention; i++) {
        dash_put(b, "<li>");
        dash_esc(b, r->attention[i]);
        dash_put(b, "</li>\n");
    }
    dash_put(b, "</ol>\n");
}

int dash_index(dash_t *d, const posko_report_data_t *r) {
    dash_buf_t b = {0};
    char a[32];
    int rc;

    if (ix_charts(d, r) != 0) {
        return -1;
    }
    dash_page_begin(d, &b, "", "Ringkasan hari ini", NULL);
    ix_figures(d, r, &b);

    dash_put(&b, "<h2>Paling mendesak</h2>\n");
    if (d->open == 0) {
        dash_put(&b, "<p>Tidak ada aduan terbuka.</p>\n");
    } else {
        dash_worklist_table(&b, &d->urgent);
    }
    dash_printf(&b,
                "<p><a href=\"kerja-1.html\">Seluruh daftar kerja: %s aduan "
                "terbuka</a></p>\n",
                posko_rd_int(d->open, a));

    dash_put(&b, "<h2>Daftar kerja menurut lokasi, kategori dan unit</h2>\n");
    dash_putn(&b, d->filters.p, d->filters.len);

    dash_put(&b, "<h2>Karantina</h2>\n");
    dash_printf(&b,
                "<p><a href=\"karantina.html\">%s rekaman di karantina</a>: "
                "tindak lanjut yang ditolak dan rekaman yang rusak.</p>\n",
                posko_rd_int(d->quarantined, a));

    dash_put(&b, "<h2>Grafik</h2>\n");
    for (int i = 0; i < POSKO_REPORT_PNGS; i++) {
        dash_printf(&b,
                    "<p><img src=\"img/%s.png?v=%lld\" width=\"%d\" "
                    "height=\"%d\" alt=\"",
                    posko_report_pngs[i].name, (long long)d->now,
                    posko_report_pngs[i].width / 2,
                    posko_report_pngs[i].height / 2);
        dash_esc(&b, ix_chart_alt[i]);
        dash_put(&b, "\"></p>\n");
    }
    dash_page_end(&b);
    rc = dash_write(d, "index.html", &b);
    dash_buf_free(&b);
    return rc;
}
