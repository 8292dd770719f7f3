/*
 * gen_wal.c - writes a season of generated complaints as real WAL
 * segments (format 2, sealed, 64 MiB each, as the module writes them) and,
 * when asked, the same rows as CSV in the column order of posko's
 * complaints table.
 *
 *   gen_wal [--followups] [--csv FILE --columns LIST] COUNT WALDIR
 *
 * bench/ingest.sh loads the segments with `posko ingest` and the CSV with
 * sqlite3's own .import.  LIST names the complaints table's columns in
 * the table's order, as the database itself gives them
 * (pragma_table_info), so the CSV follows the schema: a column that
 * follow-ups or the pilgrim's answer fill in later is empty, as it is
 * when a complaint is received, and so is a column gen_wal does not know
 * (it says so on stderr).  With --followups the log also holds the
 * officers' follow-ups, written at the moment they happen, as the module
 * would: most complaints are verified, most factual ones are assigned,
 * acted on and solved, some are closed as duplicates, and what falls
 * after the season's last complaint stays open.  bench/report.sh and
 * bench/status.sh build their seasons that way.  (The CSV holds the
 * complaints as received.)
 *
 * The data are deterministic (a fixed-seed generator): the same arguments
 * give the same bytes.  The Makefile builds it (make build/gen_wal).
 */
#include "posko_followup.h"
#include "posko_form.h"
#include "posko_kode.h"
#include "posko_record.h"
#include "posko_wal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEGMENT_SIZE (64L * 1024 * 1024)
#define HOUR_MS (3600LL * 1000)
#define SEASON_MS (40 * 24 * HOUR_MS)

static uint64_t rng_state = 0x706f736b6f2d3230ULL;

static uint64_t rng(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* true with probability percent/100 */
static int chance(unsigned percent) {
    return rng() % 100 < percent;
}

/* a delay between lo and hi hours, in milliseconds */
static long long hours_between(double lo, double hi) {
    double u = (double)(rng() % 1000000) / 1000000.0;

    return (long long)((lo + (hi - lo) * u) * (double)HOUR_MS);
}

static const char *const words[] = {
    "kamar",  "hotel",   "sektor",  "air",     "panas",  "AC",     "mati",
    "bus",    "terlambat", "makan", "nasi",    "katering", "petugas",
    "lansia", "kursi",   "roda",    "antrean", "panjang", "jemaah", "kloter",
    "lift",   "rusak",   "bau",     "kotor",   "obat",   "dokter", "paspor",
    "visa",   "koper",   "hilang",  "Masjid",  "Nabawi", "Haram",  "tenda",
};

/* the unit each category is assigned to, in the order of the form's list */
static const char *const units[] = {
    "sektor-makkah",        "layanan-konsumsi", "layanan-transportasi",
    "layanan-kesehatan",    "bimbingan-ibadah", "perlindungan-jemaah",
    "daker-bandara",        "daker-madinah",
};

static const char *const officers[] = {
    "petugas01", "petugas02", "petugas03", "petugas04", "petugas05",
    "petugas06", "petugas07", "petugas08", "petugas09", "petugas10",
};

static const char *pick(const char *const *list, size_t n) {
    return list[rng() % n];
}

/* ---- the CSV: each row as received, in the table's column order ------- */

typedef enum {
    C_EMPTY,
    C_ID,
    C_KODE,
    C_JENIS,
    C_PELAPOR,
    C_KATEGORI,
    C_LOKASI,
    C_EMBARKASI,
    C_URAIAN,
    C_RATING,
    C_RECEIVED_AT,
    C_STATUS,
    C_WAL_SEGMENT,
    C_WAL_OFFSET,
    C_DUE_VERIFY,
    C_DUE_SOLVE,
    C_COUNT
} column_t;

static const struct {
    const char *name;
    column_t column;
} known_columns[] = {
    {"id", C_ID},
    {"kode", C_KODE},
    {"jenis", C_JENIS},
    {"pelapor", C_PELAPOR},
    {"kategori", C_KATEGORI},
    {"lokasi", C_LOKASI},
    {"embarkasi", C_EMBARKASI},
    {"uraian", C_URAIAN},
    {"rating", C_RATING},
    {"received_at", C_RECEIVED_AT},
    {"status", C_STATUS},
    {"wal_segment", C_WAL_SEGMENT},
    {"wal_offset", C_WAL_OFFSET},
    {"due_verify", C_DUE_VERIFY},
    {"due_solve", C_DUE_SOLVE},
    /* what the generated complaints leave out */
    {"kloter", C_EMPTY},
    {"nama", C_EMPTY},
    {"telepon", C_EMPTY},
    {"email", C_EMPTY},
    /* what the officers' follow-ups fill in later */
    {"unit", C_EMPTY},
    {"duplikat_dari", C_EMPTY},
    {"verified_at", C_EMPTY},
    {"solved_at", C_EMPTY},
    {"closed_at", C_EMPTY},
    {"updated_at", C_EMPTY},
    {"faktual", C_EMPTY},
    /* and the pilgrim's answer once it is solved */
    {"puas", C_EMPTY},
    {"rating_penanganan", C_EMPTY},
    {"komentar_jemaah", C_EMPTY},
    {"dinilai_at", C_EMPTY},
};

#define MAX_COLUMNS 128

static column_t csv_columns[MAX_COLUMNS];
static size_t csv_ncolumns;

/* Reads LIST (name,name,...); a name gen_wal does not know is empty. */
static int csv_parse_columns(const char *list) {
    const char *p = list;

    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        column_t c = C_EMPTY;
        size_t k;

        if (len == 0 || csv_ncolumns == MAX_COLUMNS) {
            return -1;
        }
        for (k = 0; k < sizeof(known_columns) / sizeof(known_columns[0]); k++) {
            if (strlen(known_columns[k].name) == len &&
                memcmp(known_columns[k].name, p, len) == 0) {
                c = known_columns[k].column;
                break;
            }
        }
        if (k == sizeof(known_columns) / sizeof(known_columns[0])) {
            fprintf(stderr,
                    "gen_wal: column '%.*s' of complaints is new to "
                    "gen_wal; its CSV field is left empty\n",
                    (int)len, p);
        }
        csv_columns[csv_ncolumns++] = c;
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    return csv_ncolumns > 0 ? 0 : -1;
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

/* One row: value[c] for each column c, the uraian quoted. */
static void csv_row(FILE *f, const char *const value[C_COUNT], size_t text_len) {
    for (size_t i = 0; i < csv_ncolumns; i++) {
        column_t c = csv_columns[i];

        if (i > 0) {
            fputc(',', f);
        }
        if (c == C_URAIAN) {
            csv_text(f, value[c], text_len);
        } else if (value[c] != NULL) {
            fputs(value[c], f);
        }
    }
    fputc('\n', f);
}

static void iso(char out[32], long long ms) {
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    int n;

    gmtime_r(&t, &tm);
    n = (int)strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, (size_t)(32 - n), ".%03dZ", (int)(ms % 1000));
}

/* ---- segments ---------------------------------------------------------- */

static uint8_t seg[SEGMENT_SIZE];
static size_t used;
static uint64_t sequence;
static uint32_t seed;
static char seg_name[64];
static const char *wal_dir;
static const long long start_ms = 1780000000000LL; /* a season in 2026 */

static void die_errno(const char *what) {
    fprintf(stderr, "gen_wal: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* Seal the current segment and write it out. */
static void segment_close(void) {
    char path[4096];
    FILE *f;

    posko_wal_frame(seg + used, POSKO_REC_SEAL, 0, seed);
    used += POSKO_WAL_FRAME_SIZE;
    snprintf(path, sizeof(path), "%s/%s", wal_dir, seg_name);
    f = fopen(path, "w");
    if (f == NULL || fwrite(seg, 1, used, f) != used || fclose(f)) {
        die_errno(path);
    }
    used = 0;
}

/* Room for a record of up to 1 KiB: a new segment when this one is full. */
static uint8_t *segment_room(void) {
    if (used > 0 && used + 1024 > SEGMENT_SIZE - 64) {
        segment_close();
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
        snprintf(seg_name, sizeof(seg_name), "bench-4242-%lld-%06llu.wal",
                 start_ms * 1000, (unsigned long long)sequence);
    }
    return seg + used;
}

/* Writes a record at rec with the module's encoder (posko_record.h),
 * checksums it for this segment, and keeps it. */
static void segment_commit(uint8_t *rec, const posko_record_t *r) {
    size_t len = (size_t)(posko_record_encode(rec, r) - rec);

    posko_wal_checksum(rec, len, seed);
    used += len;
}

/* A value for a record's slot from a C string (or its first len bytes). */
static posko_value_t text_value(const char *s, size_t len) {
    posko_value_t v = {(const uint8_t *)s, len};

    return v;
}

static posko_value_t cstr_value(const char *s) {
    return text_value(s, s != NULL ? strlen(s) : 0);
}

/* ---- follow-ups waiting for their moment: a min-heap by time ----------- */

typedef struct {
    long long at;      /* when the officer sends it */
    long complaint;    /* index into kodes */
    unsigned char aksi;
} pending_t;

static pending_t *heap;
static size_t heap_len, heap_cap;
static char *kodes; /* POSKO_KODE_LEN bytes a complaint */
static unsigned char *categories;

static void heap_push(long long at, long complaint, posko_aksi_t aksi) {
    size_t i;

    if (heap_len == heap_cap) {
        heap_cap = heap_cap ? heap_cap * 2 : 1024;
        heap = realloc(heap, heap_cap * sizeof(*heap));
        if (heap == NULL) {
            die_errno("memory");
        }
    }
    for (i = heap_len++; i > 0 && heap[(i - 1) / 2].at > at; i = (i - 1) / 2) {
        heap[i] = heap[(i - 1) / 2];
    }
    heap[i] = (pending_t){at, complaint, (unsigned char)aksi};
}

static pending_t heap_pop(void) {
    pending_t top = heap[0], last = heap[--heap_len];
    size_t i = 0, c;

    while ((c = 2 * i + 1) < heap_len) {
        if (c + 1 < heap_len && heap[c + 1].at < heap[c].at) {
            c++;
        }
        if (heap[c].at >= last.at) {
            break;
        }
        heap[i] = heap[c];
        i = c;
    }
    heap[i] = last;
    return top;
}

/* Write one follow-up and plan the complaint's next step. */
static void followup_write(pending_t ev) {
    const char *aksi = posko_aksi_names[ev.aksi], *note = NULL;
    const char *unit = NULL, *officer = pick(officers, 10);
    char at[32];
    uint8_t *rec = segment_room();
    posko_record_t r;

    iso(at, ev.at);
    switch (ev.aksi) {
    case POSKO_A_MULAI_VERIFIKASI:
        heap_push(ev.at + hours_between(0.5, 30), ev.complaint,
                  chance(72) ? POSKO_A_FAKTUAL : POSKO_A_TIDAK_FAKTUAL);
        break;
    case POSKO_A_FAKTUAL:
        note = "Dicek di lapangan: benar terjadi.";
        heap_push(ev.at + hours_between(0.2, 6), ev.complaint,
                  POSKO_A_TUGASKAN);
        break;
    case POSKO_A_TIDAK_FAKTUAL:
        note = "Dicek di lapangan: tidak ditemukan.";
        break;
    case POSKO_A_TUGASKAN:
        unit = units[categories[ev.complaint] % 8];
        heap_push(ev.at + hours_between(1, 24), ev.complaint,
                  POSKO_A_TINDAKAN);
        break;
    case POSKO_A_TINDAKAN:
        note = "Unit menangani di lokasi.";
        if (chance(90)) {
            heap_push(ev.at + hours_between(1, 80), ev.complaint,
                      POSKO_A_SELESAI);
        }
        break;
    case POSKO_A_SELESAI:
        note = "Selesai; jemaah sudah dihubungi.";
        break;
    case POSKO_A_TUTUP:
        note = "Sama dengan aduan lain.";
        break;
    }

    posko_record_init(&r, POSKO_REC_FOLLOWUP);
    r.slot[POSKO_FUP_KODE] =
        text_value(kodes + ev.complaint * POSKO_KODE_LEN, POSKO_KODE_LEN);
    r.slot[POSKO_FUP_AT] = cstr_value(at);
    r.slot[POSKO_FUP_PETUGAS] = cstr_value(officer);
    r.slot[POSKO_FUP_AKSI] = cstr_value(aksi);
    r.slot[POSKO_FUP_CATATAN] = cstr_value(note);
    r.slot[POSKO_FUP_UNIT] = cstr_value(unit);
    segment_commit(rec, &r);
}

/* ---- complaints -------------------------------------------------------- */

int main(int argc, char **argv) {
    long count, i;
    long long step_ms;
    int followups = 0;
    const char *csv_path = NULL, *columns = NULL;
    FILE *csv = NULL;
    const posko_field_t *jenis = &posko_fields[POSKO_F_JENIS];
    const posko_field_t *kategori = &posko_fields[POSKO_F_KATEGORI];
    const posko_field_t *lokasi = &posko_fields[POSKO_F_LOKASI];
    const posko_field_t *embarkasi = &posko_fields[POSKO_F_EMBARKASI];

    for (; argc > 1 && strncmp(argv[1], "--", 2) == 0; argc--, argv++) {
        if (strcmp(argv[1], "--followups") == 0) {
            followups = 1;
        } else if (strcmp(argv[1], "--csv") == 0 && argc > 2) {
            csv_path = argv[2];
            argc--;
            argv++;
        } else if (strcmp(argv[1], "--columns") == 0 && argc > 2) {
            columns = argv[2];
            argc--;
            argv++;
        } else {
            break;
        }
    }
    if (argc != 3 || (count = atol(argv[1])) <= 0 ||
        (csv_path == NULL) != (columns == NULL) ||
        (columns != NULL && csv_parse_columns(columns) != 0)) {
        fprintf(stderr, "usage: gen_wal [--followups] [--csv FILE --columns "
                        "NAME,NAME,...] COUNT WALDIR\n");
        return 2;
    }
    wal_dir = argv[2];
    step_ms = SEASON_MS / count; /* every count spans the same 40 days */
    if (csv_path != NULL && (csv = fopen(csv_path, "w")) == NULL) {
        die_errno(csv_path);
    }
    if (followups) {
        kodes = malloc((size_t)count * POSKO_KODE_LEN);
        categories = malloc((size_t)count);
        if (kodes == NULL || categories == NULL) {
            die_errno("memory");
        }
    }

    for (i = 0; i < count; i++) {
        uint8_t *rec;
        posko_record_t r;
        char kode[POSKO_KODE_LEN + 1], at[32], due_v[32], due_s[32];
        char text[600], rating[2];
        size_t tlen = 0;
        unsigned ki;
        const char *j, *k, *l, *e;
        long long ms = start_ms + i * step_ms;

        /* the officers' work that happened before this complaint came */
        while (heap_len > 0 && heap[0].at <= ms) {
            followup_write(heap_pop());
        }

        while (posko_kode_from_random(rng(), kode) != POSKO_KODE_OK) {
        }
        iso(at, ms);
        iso(due_v, ms + 24 * HOUR_MS);
        iso(due_s, ms + 72 * HOUR_MS);
        j = jenis->values[rng() % 4];
        ki = (unsigned)(rng() % 8);
        k = kategori->values[ki];
        l = pick(lokasi->values, 8);
        e = pick(embarkasi->values, 14);
        for (int w = 0, nw = 8 + (int)(rng() % 50); w < nw; w++) {
            const char *word = pick(words, sizeof(words) / sizeof(words[0]));

            tlen += (size_t)snprintf(text + tlen, sizeof(text) - tlen, "%s%s",
                                     w ? " " : "", word);
        }
        text[tlen++] = '.';

        /* the record, as the module builds it */
        rec = segment_room();
        posko_record_init(&r, POSKO_REC_SUBMISSION);
        r.slot[POSKO_SUB_KODE] = text_value(kode, POSKO_KODE_LEN);
        r.slot[POSKO_SUB_RECEIVED_AT] = cstr_value(at);
        r.slot[POSKO_SUB_FORM + POSKO_F_JENIS] = cstr_value(j);
        r.slot[POSKO_SUB_FORM + POSKO_F_PELAPOR] = cstr_value("jemaah");
        r.slot[POSKO_SUB_FORM + POSKO_F_KATEGORI] = cstr_value(k);
        r.slot[POSKO_SUB_FORM + POSKO_F_LOKASI] = cstr_value(l);
        r.slot[POSKO_SUB_FORM + POSKO_F_EMBARKASI] = cstr_value(e);
        r.slot[POSKO_SUB_FORM + POSKO_F_URAIAN] = text_value(text, tlen);
        rating[0] = 0;
        if (followups && chance(20)) {
            rating[0] = (char)('1' + rng() % 5);
            rating[1] = 0;
            r.slot[POSKO_SUB_FORM + POSKO_F_RATING] = text_value(rating, 1);
        }

        /* the same row for .import, in the table's column order */
        if (csv != NULL) {
            char id[24], offset[24];
            const char *value[C_COUNT] = {
                [C_ID] = id,           [C_KODE] = kode,
                [C_JENIS] = j,         [C_PELAPOR] = "jemaah",
                [C_KATEGORI] = k,      [C_LOKASI] = l,
                [C_EMBARKASI] = e,     [C_URAIAN] = text,
                [C_RATING] = rating,   [C_RECEIVED_AT] = at,
                [C_STATUS] = "diterima", [C_WAL_SEGMENT] = seg_name,
                [C_WAL_OFFSET] = offset, [C_DUE_VERIFY] = due_v,
                [C_DUE_SOLVE] = due_s,
            };

            snprintf(id, sizeof(id), "%ld", i + 1);
            snprintf(offset, sizeof(offset), "%zu", used);
            csv_row(csv, value, tlen);
        }
        segment_commit(rec, &r);

        if (followups) {
            memcpy(kodes + i * POSKO_KODE_LEN, kode, POSKO_KODE_LEN);
            categories[i] = (unsigned char)ki;
            if (chance(3)) {
                heap_push(ms + hours_between(0.5, 12), i, POSKO_A_TUTUP);
            } else if (chance(88)) {
                heap_push(ms + hours_between(0.2, 20), i,
                          POSKO_A_MULAI_VERIFIKASI);
            }
        }
    }
    /* what falls after the last complaint stays open */
    segment_close();
    if (csv != NULL && fclose(csv) != 0) {
        die_errno(csv_path);
    }
    free(heap);
    free(kodes);
    free(categories);
    return 0;
}
