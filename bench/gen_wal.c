/*
 * gen_wal.c - writes a season of generated complaints as real WAL
 * segments (format 2, sealed, 64 MiB each, as the module writes them) and
 * the same rows as CSV in the column order of posko's complaints table,
 * for bench/ingest.sh to load both ways: `posko ingest` from the WAL and
 * sqlite3's own .import from the CSV.
 *
 *   gen_wal COUNT WALDIR CSVFILE
 *
 * The data are deterministic (a fixed-seed generator): the same COUNT
 * gives the same bytes.
 */
#include "posko_form.h"
#include "posko_kode.h"
#include "posko_wal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEGMENT_SIZE (64L * 1024 * 1024)

static uint64_t rng_state = 0x706f736b6f2d3230ULL;

static uint64_t rng(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static const char *const words[] = {
    "kamar",  "hotel",   "sektor",  "air",     "panas",  "AC",     "mati",
    "bus",    "terlambat", "makan", "nasi",    "katering", "petugas",
    "lansia", "kursi",   "roda",    "antrean", "panjang", "jemaah", "kloter",
    "lift",   "rusak",   "bau",     "kotor",   "obat",   "dokter", "paspor",
    "visa",   "koper",   "hilang",  "Masjid",  "Nabawi", "Haram",  "tenda",
};

static const char *pick(const char *const *list, size_t n) {
    return list[rng() % n];
}

/* CSV field, quoted (the text may hold commas). */
static void csv_text(FILE *f, const char *s, size_t len) {
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') {
            fputc('"', f);
        }
        fputc(s[i], f);
    }
    fputc('"', f);
}

static void iso(char out[32], long long ms) {
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    int n;

    gmtime_r(&t, &tm);
    n = (int)strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, (size_t)(32 - n), ".%03dZ", (int)(ms % 1000));
}

int main(int argc, char **argv) {
    static uint8_t seg[SEGMENT_SIZE];
    long count, i;
    size_t used = 0;
    uint64_t sequence = 0;
    uint32_t seed = 0;
    FILE *csv;
    char name[64], path[4096];
    long long start_ms = 1780000000000LL; /* a season in 2026 */
    const posko_field_t *jenis = &posko_fields[POSKO_F_JENIS];
    const posko_field_t *kategori = &posko_fields[POSKO_F_KATEGORI];
    const posko_field_t *lokasi = &posko_fields[POSKO_F_LOKASI];
    const posko_field_t *embarkasi = &posko_fields[POSKO_F_EMBARKASI];

    if (argc != 4 || (count = atol(argv[1])) <= 0) {
        fprintf(stderr, "usage: gen_wal COUNT WALDIR CSVFILE\n");
        return 2;
    }
    csv = fopen(argv[3], "w");
    if (csv == NULL) {
        fprintf(stderr, "gen_wal: %s: %s\n", argv[3], strerror(errno));
        return 1;
    }

    for (i = 0; i <= count; i++) {
        uint8_t *rec, *p;
        char kode[POSKO_KODE_LEN + 1], at[32], due_v[32], due_s[32];
        char text[600];
        size_t tlen = 0, len;
        const char *j, *k, *l, *e;
        long long ms;

        /* a full segment (or the end): seal it and write it out */
        if (i == count || (used > 0 && used + 1024 > SEGMENT_SIZE - 64)) {
            FILE *f;

            posko_wal_frame(seg + used, POSKO_REC_SEAL, 0, seed);
            used += POSKO_WAL_FRAME_SIZE;
            snprintf(path, sizeof(path), "%s/%s", argv[2], name);
            f = fopen(path, "w");
            if (f == NULL || fwrite(seg, 1, used, f) != used || fclose(f)) {
                fprintf(stderr, "gen_wal: %s: %s\n", path, strerror(errno));
                return 1;
            }
            used = 0;
            if (i == count) {
                break;
            }
        }
        if (used == 0) {
            posko_wal_segment_t h;

            memset(&h, 0, sizeof(h));
            h.sequence = ++sequence;
            h.created_us = (uint64_t)start_ms * 1000;
            h.writer_pid = 4242;
            h.writer_start = (uint64_t)start_ms * 1000;
            h.salt = rng();
            strcpy(h.node, "bench");
            posko_wal_header_encode(seg, &h);
            seed = posko_wal_seed(&h);
            used = POSKO_WAL_HEADER_SIZE;
            snprintf(name, sizeof(name), "bench-4242-%lld-%06llu.wal",
                     start_ms * 1000, (unsigned long long)sequence);
        }

        while (posko_kode_from_random(rng(), kode) != POSKO_KODE_OK) {
        }
        ms = start_ms + i * 3456LL; /* a million over 40 days */
        iso(at, ms);
        iso(due_v, ms + 24LL * 3600000);
        iso(due_s, ms + 72LL * 3600000);
        j = jenis->values[rng() % 4];
        k = pick(kategori->values, 8);
        l = pick(lokasi->values, 8);
        e = pick(embarkasi->values, 14);
        for (int w = 0, nw = 8 + (int)(rng() % 50); w < nw; w++) {
            const char *word = pick(words, sizeof(words) / sizeof(words[0]));

            tlen += (size_t)snprintf(text + tlen, sizeof(text) - tlen, "%s%s",
                                     w ? " " : "", word);
        }
        text[tlen++] = '.';

        /* the record, as the module builds it */
        rec = seg + used;
        p = rec + POSKO_WAL_FRAME_SIZE;
        p = posko_wal_field_put(p, "kode", 4, kode, POSKO_KODE_LEN);
        p = posko_wal_field_put(p, "received_at", 11, at, strlen(at));
        p = posko_wal_field_put(p, "jenis", 5, j, strlen(j));
        p = posko_wal_field_put(p, "pelapor", 7, "jemaah", 6);
        p = posko_wal_field_put(p, "kategori", 8, k, strlen(k));
        p = posko_wal_field_put(p, "lokasi", 6, l, strlen(l));
        p = posko_wal_field_put(p, "embarkasi", 9, e, strlen(e));
        p = posko_wal_field_put(p, "uraian", 6, text, tlen);
        len = (size_t)(p - rec) - POSKO_WAL_FRAME_SIZE;
        posko_wal_frame(rec, POSKO_REC_SUBMISSION, (uint32_t)len, seed);

        /* the same row for .import, in the table's column order */
        fprintf(csv, "%ld,%s,%s,jemaah,%s,%s,%s,,", i + 1, kode, j, k, l, e);
        csv_text(csv, text, tlen);
        fprintf(csv, ",,,,,%s,diterima,%s,%zu,,,,,,,%s,%s,\n", at, name, used,
                due_v, due_s);

        used += POSKO_WAL_FRAME_SIZE + len;
    }
    if (fclose(csv) != 0) {
        fprintf(stderr, "gen_wal: %s: %s\n", argv[3], strerror(errno));
        return 1;
    }
    return 0;
}
