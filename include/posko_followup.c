/*
 * posko_followup.c - the follow-up form's fields, its "kembali" check
 * and the complaint lifecycle's transitions (see posko_followup.h).
 */
#include "posko_followup.h"

#include <string.h>

const char *const posko_status_names[POSKO_S_COUNT] = {
    "diterima", "verifikasi", "faktual", "tidak_faktual",
    "ditindaklanjuti", "selesai", "ditutup",
};

const char *const posko_aksi_names[POSKO_A_COUNT + 1] = {
    "mulai_verifikasi", "faktual", "tidak_faktual", "tugaskan",
    "tindakan", "selesai", "tutup", NULL,
};

const posko_field_t posko_followup_fields[POSKO_FU_COUNT] = {
    {"kode", "Kode pelacakan", 1, 20, NULL, POSKO_CHARS_TEXT},
    {"aksi", "Tindakan petugas", 1, 20, posko_aksi_names, POSKO_CHARS_TEXT},
    {"catatan", "Catatan", 0, 2000, NULL, POSKO_CHARS_TEXT},
    {"unit", "Unit petugas", 0, 100, NULL, POSKO_CHARS_TEXT},
    {"duplikat_dari", "Duplikat dari kode", 0, 20, NULL, POSKO_CHARS_TEXT},
};

static int posko_name_find(const char *const *names, int n, const char *name,
                           size_t len) {
    for (int i = 0; i < n; i++) {
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0) {
            return i;
        }
    }
    return -1;
}

int posko_status_find(const char *name, size_t len) {
    return posko_name_find(posko_status_names, POSKO_S_COUNT, name, len);
}

int posko_aksi_find(const char *name, size_t len) {
    return posko_name_find(posko_aksi_names, POSKO_A_COUNT, name, len);
}

unsigned posko_aksi_needs(posko_aksi_t aksi) {
    switch (aksi) {
    case POSKO_A_FAKTUAL:
    case POSKO_A_TIDAK_FAKTUAL:
    case POSKO_A_TINDAKAN:
    case POSKO_A_SELESAI:
        return POSKO_NEEDS_NOTE;
    case POSKO_A_TUGASKAN:
        return POSKO_NEEDS_UNIT;
    case POSKO_A_TUTUP:
        return POSKO_NEEDS_NOTE_OR_DUP;
    default:
        return 0;
    }
}

int posko_status_open(posko_status_t s) {
    return s != POSKO_S_TIDAK_FAKTUAL && s != POSKO_S_SELESAI &&
           s != POSKO_S_DITUTUP;
}

int posko_lifecycle_step(posko_status_t from, posko_aksi_t aksi,
                         const char **why) {
    *why = NULL;

    /* the ends first: nothing follows a closed or a solved complaint */
    if (from == POSKO_S_DITUTUP) {
        *why = "aduan sudah ditutup / the complaint is already closed";
        return -1;
    }
    if (from == POSKO_S_SELESAI) {
        *why = "aduan sudah selesai / the complaint is already solved";
        return -1;
    }

    switch (aksi) {
    case POSKO_A_MULAI_VERIFIKASI:
        if (from == POSKO_S_DITERIMA) {
            return POSKO_S_VERIFIKASI;
        }
        *why = from == POSKO_S_VERIFIKASI
                   ? "verifikasi sudah dimulai / verification has already "
                     "started"
                   : "aduan sudah diverifikasi / the complaint is already "
                     "verified";
        return -1;

    case POSKO_A_FAKTUAL:
    case POSKO_A_TIDAK_FAKTUAL:
        if (from == POSKO_S_VERIFIKASI) {
            return aksi == POSKO_A_FAKTUAL ? POSKO_S_FAKTUAL
                                           : POSKO_S_TIDAK_FAKTUAL;
        }
        *why = from == POSKO_S_DITERIMA
                   ? "verifikasi belum dimulai / verification has not "
                     "started"
                   : "aduan sudah diverifikasi / the complaint is already "
                     "verified";
        return -1;

    case POSKO_A_TUGASKAN:
        if (from == POSKO_S_TIDAK_FAKTUAL) {
            break;
        }
        /* a unit can be named to verify, or to act on a factual one */
        return from == POSKO_S_FAKTUAL ? POSKO_S_DITINDAKLANJUTI : (int)from;

    case POSKO_A_TINDAKAN:
    case POSKO_A_SELESAI:
        if (from == POSKO_S_FAKTUAL || from == POSKO_S_DITINDAKLANJUTI) {
            return aksi == POSKO_A_SELESAI ? POSKO_S_SELESAI
                                           : POSKO_S_DITINDAKLANJUTI;
        }
        if (from == POSKO_S_TIDAK_FAKTUAL) {
            break;
        }
        *why = "aduan belum dinyatakan faktual / the complaint has not been "
               "found factual";
        return -1;

    case POSKO_A_TUTUP:
        return POSKO_S_DITUTUP;

    default:
        *why = "tindakan tidak dikenal / unknown action";
        return -1;
    }

    *why = "aduan dinyatakan tidak faktual / the complaint was found not "
           "factual";
    return -1;
}

int posko_followup_back_ok(const char *s, size_t len) {
    if (len == 0 || len > POSKO_BACK_MAX || s[0] != '/' ||
        (len > 1 && (s[1] == '/' || s[1] == '\\'))) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '"' || c == '<' ||
            c == '>') {
            return 0;
        }
    }
    return 1;
}
