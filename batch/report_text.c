/*
 * report_text.c - the daily evaluation report as plain text: every figure
 * of the PDF, in the same words, for a terminal, the body of the e-mail
 * that carries the PDF, and tests (`posko report --text`).
 *
 * Numbers are written the Indonesian way: 12.345 and 85,7%.
 */
#include "report_text.h"

#include <stdio.h>
#include <string.h>

static const char *const posko_jenis_names[POSKO_RD_JENIS] = {
    "kritik", "saran", "aduan", "informasi"};

static void text_jenis(FILE *f, const char *what, long total,
                       const long *jenis) {
    char a[32];

    fprintf(f, "  %s: %s (", what, posko_rd_int(total, a));
    for (int j = 0; j < POSKO_RD_JENIS; j++) {
        fprintf(f, "%s%s %s", j ? ", " : "", posko_jenis_names[j],
                posko_rd_int(jenis[j], a));
    }
    fprintf(f, ")\n");
}

static void text_share(FILE *f, const char *what, long part, long whole) {
    char a[32], b[32], c[32];

    fprintf(f, "  %s: %s dari %s (%s%%)\n", what, posko_rd_int(part, a),
            posko_rd_int(whole, b),
            posko_rd_decimal(posko_rd_percent(part, whole), c));
}

static void text_breakdown(FILE *f, const char *title,
                           const posko_rd_breakdown_t *b) {
    char a[32], c[32];

    fprintf(f, "\n%s (hari ini / musim ini)\n", title);
    for (int i = 0; i < b->n; i++) {
        fprintf(f, "  %s: %s / %s\n", b->row[i].name,
                posko_rd_int(b->row[i].day, a),
                posko_rd_int(b->row[i].season, c));
    }
}

static void text_evals(FILE *f, const char *title, const posko_rd_evals_t *e) {
    char a[32], b[32], c[32], r[32], due[32];

    fprintf(f, "\n%s\n", title);
    if (e->n == 0) {
        fprintf(f, "  (belum ada)\n");
    }
    for (int i = 0; i < e->n; i++) {
        const posko_rd_eval_t *x = &e->row[i];
        double on_time = posko_rd_percent(x->solved_on_time, x->solve_due);

        fprintf(f,
                "  %s: volume %s, faktual %s%% dari %s terverifikasi, "
                "selesai tepat waktu %s%% dari %s",
                x->name, posko_rd_int(x->volume, a),
                posko_rd_decimal(posko_rd_percent(x->factual, x->verified),
                                   b),
                posko_rd_int(x->verified, r), posko_rd_decimal(on_time, c),
                posko_rd_int(x->solve_due, due));
        if (x->rating_n > 0) {
            fprintf(f, ", penilaian %s dari %s jemaah",
                    posko_rd_decimal(x->rating_mean, b),
                    posko_rd_int(x->rating_n, r));
        }
        if (x->handling_n > 0) {
            fprintf(f, ", penanganan %s dari %s jemaah",
                    posko_rd_decimal(x->handling_mean, b),
                    posko_rd_int(x->handling_n, r));
        }
        if (x->solve_due > 0) {
            fprintf(f, on_time >= POSKO_RD_STANDARD ? ", memenuhi standar"
                                                    : ", di bawah standar");
        }
        fprintf(f, "\n");
    }
}

static void text_list(FILE *f, const char *title, const posko_rd_list_t *l) {
    char a[32], b[32];

    fprintf(f, "\n%s (%s)\n", title, posko_rd_int(l->total, a));
    if (l->n == 0) {
        fprintf(f, "  (tidak ada)\n");
    }
    for (int i = 0; i < l->n; i++) {
        const posko_rd_item_t *it = &l->item[i];

        fprintf(f, "  %s | %s | %s | %s | %s hari | %s | %s\n", it->kode,
                it->kategori, it->lokasi, it->embarkasi,
                posko_rd_decimal(it->age_days, b), it->status, it->excerpt);
    }
}

void posko_report_text(FILE *f, const posko_report_data_t *d) {
    char a[32], b[32], c[32], e[32];

    fprintf(f, "Laporan evaluasi harian posko: %s (%s)\n", d->date, d->tz);
    fprintf(f, "Musim sejak %s\n", d->season_start);

    fprintf(f, "\nRingkasan\n");
    text_jenis(f, "Laporan masuk hari ini", d->day_total, d->day_jenis);
    text_jenis(f, "Laporan masuk musim ini", d->season_total, d->season_jenis);
    fprintf(f, "  Diverifikasi: hari ini %s, musim ini %s\n",
            posko_rd_int(d->all.day_verified, a),
            posko_rd_int(d->all.verified, b));
    fprintf(f, "  Faktual: hari ini %s, musim ini %s\n",
            posko_rd_int(d->all.day_factual, a),
            posko_rd_int(d->all.factual, b));
    fprintf(f, "  Selesai: hari ini %s, musim ini %s\n",
            posko_rd_int(d->all.day_solved, a),
            posko_rd_int(d->all.solved, b));
    fprintf(f, "  Masih ditangani: %s, melewati tenggat: %s\n",
            posko_rd_int(d->all.open, a), posko_rd_int(d->all.overdue, b));
    text_share(f, "Diverifikasi tepat waktu", d->all.verified_on_time,
               d->all.verify_due);
    text_share(f, "Selesai tepat waktu", d->all.solved_on_time, d->all.solve_due);

    fprintf(f, "\nPerlu perhatian\n");
    for (int i = 0; i < d->nattention; i++) {
        fprintf(f, "  %d. %s\n", i + 1, d->attention[i]);
    }

    fprintf(f, "\nTren per hari (masuk / selesai)\n");
    for (int i = 0; i < d->ndays; i++) {
        fprintf(f, "  %s: %s / %s\n", d->day_label[i],
                posko_rd_int((long)d->day_in[i], a),
                posko_rd_int((long)d->day_out[i], b));
    }

    text_breakdown(f, "Per kategori layanan", &d->by_kategori);
    text_breakdown(f, "Per lokasi", &d->by_lokasi);
    text_breakdown(f, "Per embarkasi", &d->by_embarkasi);
    text_breakdown(f, "Per pelapor", &d->by_pelapor);

    fprintf(f, "\nWaktu tanggapan per kategori (jam: median / persentil 90 "
               "/ target)\n");
    for (int i = 0; i < d->eval_kategori.n; i++) {
        const posko_rd_eval_t *x = &d->eval_kategori.row[i];

        fprintf(f, "  %s: verifikasi %s / %s / %s (%s), ", x->name,
                posko_rd_decimal(x->verify_p50, a),
                posko_rd_decimal(x->verify_p90, b),
                posko_rd_decimal(x->verify_target, c),
                posko_rd_int(x->verify_n, e));
        fprintf(f, "selesai %s / %s / %s (%s)\n",
                posko_rd_decimal(x->solve_p50, a),
                posko_rd_decimal(x->solve_p90, b),
                posko_rd_decimal(x->solve_target, c),
                posko_rd_int(x->solve_n, e));
    }

    text_evals(f, "Evaluasi per kategori layanan", &d->eval_kategori);
    text_evals(f, "Evaluasi per unit petugas", &d->eval_unit);
    text_list(f, "Aduan terbuka terlama", &d->oldest_open);
    text_list(f, "Aduan faktual baru hari ini", &d->new_factual);
}
