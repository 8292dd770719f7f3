/*
 * posko_form.c - the shipped form rules (docs/architecture.md) and the pieces
 * of decoding that nginx does not already offer for form bodies: splitting
 * pairs, undoing percent-escapes, and strict UTF-8 checking.
 */
#include "posko_form.h"

#include <string.h>

static const char *const posko_jenis[] = {"kritik", "saran", "aduan",
                                          "informasi", NULL};

static const char *const posko_pelapor[] = {"jemaah", "petugas", NULL};

static const char *const posko_kategori[] = {
    "akomodasi", "konsumsi", "transportasi", "kesehatan", "bimbingan_ibadah",
    "petugas",   "dokumen",  "lainnya",      NULL};

static const char *const posko_lokasi[] = {"makkah",    "madinah",    "jeddah",
                                           "arafah",    "muzdalifah", "mina",
                                           "embarkasi", "lainnya",    NULL};

static const char *const posko_embarkasi[] = {"BTJ", "KNO", "BTH", "PDG", "PLM",
                                              "JKG", "JKS", "KJT", "SOC", "SUB",
                                              "BPN", "BDJ", "UPG", "LOP", NULL};

static const char *const posko_rating[] = {"1", "2", "3", "4", "5", NULL};

const posko_field_t posko_fields[POSKO_F_COUNT] = {
    {"jenis", "Jenis laporan", 1, 20, posko_jenis, POSKO_CHARS_TEXT},
    {"pelapor", "Pelapor", 0, 20, posko_pelapor, POSKO_CHARS_TEXT},
    {"kategori", "Kategori layanan", 1, 30, posko_kategori, POSKO_CHARS_TEXT},
    {"lokasi", "Lokasi", 0, 20, posko_lokasi, POSKO_CHARS_TEXT},
    {"embarkasi", "Embarkasi", 0, 3, posko_embarkasi, POSKO_CHARS_TEXT},
    {"kloter", "Kloter", 0, 12, NULL, POSKO_CHARS_KLOTER},
    {"uraian", "Uraian", 1, 4000, NULL, POSKO_CHARS_TEXT},
    {"nama", "Nama", 0, 100, NULL, POSKO_CHARS_TEXT},
    {"telepon", "Telepon", 0, 20, NULL, POSKO_CHARS_PHONE},
    {"email", "Email", 0, 254, NULL, POSKO_CHARS_EMAIL},
    {"rating", "Penilaian", 0, 1, posko_rating, POSKO_CHARS_TEXT},
};

static const char *const posko_err_id[POSKO_ERR_COUNT] = {
    "",
    "wajib diisi.",
    "terlalu panjang.",
    "berisi pilihan yang tidak dikenal.",
    "berisi karakter yang tidak diizinkan.",
    "bukan teks UTF-8 yang sah.",
    "berisi kode persen (%) yang rusak.",
    "diisi lebih dari sekali.",
    "tidak sesuai format yang diminta.",
    "hanya boleh berisi teks; lampiran berkas belum dapat diterima.",
    "bukan kode pelacakan yang sah; periksa kembali ketikannya.",
};

static const char *const posko_err_en[POSKO_ERR_COUNT] = {
    "",
    "is required.",
    "is too long.",
    "is not one of the allowed values.",
    "contains characters that are not allowed.",
    "is not valid UTF-8 text.",
    "contains a broken percent escape.",
    "was given more than once.",
    "does not match the required format.",
    "must be text; file attachments are not accepted yet.",
    "is not a valid tracking code; check it for typos.",
};

int posko_field_find(const char *name, size_t len) {
    for (int i = 0; i < POSKO_F_COUNT; i++) {
        if (strlen(posko_fields[i].name) == len &&
            memcmp(posko_fields[i].name, name, len) == 0) {
            return i;
        }
    }
    return -1;
}

int posko_chars_ok(posko_chars_t chars, const uint8_t *v, size_t len) {
    size_t at = 0;

    for (size_t i = 0; i < len; i++) {
        uint8_t c = v[i];
        int alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                    (c >= 'A' && c <= 'Z');

        switch (chars) {
        case POSKO_CHARS_TEXT:
            break;
        case POSKO_CHARS_KLOTER:
            if (!alnum && c != '-' && c != '/') {
                return 0;
            }
            break;
        case POSKO_CHARS_PHONE:
            if (!(c >= '0' && c <= '9') && c != '+' && c != ' ' && c != '-' &&
                c != '(' && c != ')') {
                return 0;
            }
            break;
        case POSKO_CHARS_EMAIL:
            if (c <= ' ' || c == 0x7f) {
                return 0;
            }
            if (c == '@') {
                at++;
            }
            break;
        }
    }
    if (chars == POSKO_CHARS_EMAIL) {
        return at == 1 && v[0] != '@' && v[len - 1] != '@';
    }
    return 1;
}

posko_err_t posko_field_check(const posko_field_t *f, const uint8_t *value,
                              size_t len) {
    long chars = posko_utf8_chars(value, len);

    if (chars < 0) {
        return POSKO_ERR_BAD_UTF8;
    }
    if (f->values != NULL) {
        for (const char *const *v = f->values; *v != NULL; v++) {
            if (strlen(*v) == len && memcmp(*v, value, len) == 0) {
                return POSKO_ERR_NONE;
            }
        }
        return POSKO_ERR_NOT_IN_LIST;
    }
    if ((size_t)chars > f->max_chars) {
        return POSKO_ERR_TOO_LONG;
    }
    if (!posko_chars_ok(f->chars, value, len)) {
        return POSKO_ERR_BAD_CHARS;
    }
    return POSKO_ERR_NONE;
}

const char *posko_err_message_id(posko_err_t err) {
    return err < POSKO_ERR_COUNT ? posko_err_id[err] : "";
}

const char *posko_err_message_en(posko_err_t err) {
    return err < POSKO_ERR_COUNT ? posko_err_en[err] : "";
}

int posko_form_next_pair(const uint8_t **p, const uint8_t *end,
                         const uint8_t **name, size_t *name_len,
                         const uint8_t **value, size_t *value_len) {
    const uint8_t *q = *p;

    while (q < end && *q == '&') {
        q++;
    }
    if (q == end) {
        *p = q;
        return 0;
    }
    const uint8_t *amp = memchr(q, '&', (size_t)(end - q));
    const uint8_t *stop = amp != NULL ? amp : end;
    const uint8_t *eq = memchr(q, '=', (size_t)(stop - q));

    *name = q;
    if (eq != NULL) {
        *name_len = (size_t)(eq - q);
        *value = eq + 1;
        *value_len = (size_t)(stop - eq - 1);
    } else {
        *name_len = (size_t)(stop - q);
        *value = stop;
        *value_len = 0;
    }
    *p = stop;
    return 1;
}

static int posko_hex(uint8_t c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c |= 0x20;
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

long posko_urldecode(uint8_t *dst, const uint8_t *src, size_t len) {
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        uint8_t c = src[i];

        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi, lo;

            if (len - i < 3) {
                return -1;
            }
            hi = posko_hex(src[i + 1]);
            lo = posko_hex(src[i + 2]);
            if (hi < 0 || lo < 0) {
                return -1;
            }
            c = (uint8_t)(hi << 4 | lo);
            i += 2;
        }
        dst[o++] = c;
    }
    return (long)o;
}

size_t posko_text_tidy(uint8_t *v, size_t len) {
    size_t start = 0, out = 0;

    for (size_t i = 0; i < len; i++) {
        if (v[i] == '\r') {
            v[out++] = '\n';
            if (i + 1 < len && v[i + 1] == '\n') {
                i++;
            }
        } else {
            v[out++] = v[i];
        }
    }
    while (out > 0 && (v[out - 1] == ' ' || v[out - 1] == '\t' ||
                       v[out - 1] == '\n')) {
        out--;
    }
    while (start < out &&
           (v[start] == ' ' || v[start] == '\t' || v[start] == '\n')) {
        start++;
    }
    if (start > 0) {
        memmove(v, v + start, out - start);
    }
    return out - start;
}

long posko_utf8_chars(const uint8_t *s, size_t len) {
    long chars = 0;
    size_t i = 0;

    while (i < len) {
        uint8_t c = s[i];
        uint32_t cp;
        size_t n;

        if (c == 0) {
            return -1;
        }
        if (c < 0x80) {
            i++;
            chars++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return -1; /* continuation byte, overlong lead, or > U+10FFFF */
        }
        if (len - i - 1 < n) {
            return -1;
        }
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return -1;
            }
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return -1;
        }
        i += n + 1;
        chars++;
    }
    return chars;
}
