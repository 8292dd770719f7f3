/*
 * posko_kode.c - making and reading tracking codes (see posko_kode.h).
 *
 * Why mod 37: 37 is prime and larger than 32, so changing one symbol
 * changes the number by d * 32^i, never a multiple of 37, and swapping
 * neighbours a,b changes it by (a - b) * 31 * 32^i, never one either.
 */
#include "posko_kode.h"

static const char posko_kode_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Value of a typed character, or -1.  Folds case and look-alikes. */
static int posko_kode_value(unsigned char c) {
    if (c >= 'a' && c <= 'z') {
        c = (unsigned char)(c - 'a' + 'A');
    }
    if (c == 'O') {
        return 0;
    }
    if (c == 'I' || c == 'L') {
        return 1;
    }
    for (int i = 0; i < 32; i++) {
        if (posko_kode_alphabet[i] == c) {
            return i;
        }
    }
    return -1;
}

static void posko_kode_format(const int sym[POSKO_KODE_SYMBOLS],
                              char out[POSKO_KODE_LEN + 1]) {
    char *p = out;

    for (int i = 0; i < POSKO_KODE_SYMBOLS; i++) {
        if (i == 4 || i == 8) {
            *p++ = '-';
        }
        *p++ = posko_kode_alphabet[sym[i]];
    }
    *p = '\0';
}

int posko_kode_from_random(uint64_t r, char out[POSKO_KODE_LEN + 1]) {
    uint64_t n = r & ((UINT64_C(1) << POSKO_KODE_RANDOM_BITS) - 1);
    int sym[POSKO_KODE_SYMBOLS];
    int check = (int)(n % 37);

    if (check >= 32) {
        return POSKO_KODE_RETRY;
    }
    for (int i = 10; i >= 0; i--) {
        sym[i] = (int)(n & 31);
        n >>= 5;
    }
    sym[11] = check;
    posko_kode_format(sym, out);
    return POSKO_KODE_OK;
}

int posko_kode_normalize(const char *in, size_t len,
                         char out[POSKO_KODE_LEN + 1]) {
    int sym[POSKO_KODE_SYMBOLS];
    int count = 0;
    uint64_t n = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        int v;

        if (c == '-' || c == ' ') {
            continue;
        }
        v = posko_kode_value(c);
        if (v < 0) {
            return POSKO_KODE_BAD_CHAR;
        }
        if (count == POSKO_KODE_SYMBOLS) {
            return POSKO_KODE_BAD_LEN;
        }
        sym[count++] = v;
    }
    if (count != POSKO_KODE_SYMBOLS) {
        return POSKO_KODE_BAD_LEN;
    }
    for (int i = 0; i < 11; i++) {
        n = n << 5 | (uint64_t)sym[i];
    }
    if ((int)(n % 37) != sym[11]) {
        return POSKO_KODE_BAD_CHECK;
    }
    posko_kode_format(sym, out);
    return POSKO_KODE_OK;
}
