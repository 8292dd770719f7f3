/*
 * posko_excerpt.c - the start of a pilgrim's description, fit to show in
 * a report or on a dashboard overview: cut at a character boundary, with
 * line breaks as spaces, and with what must not be shown hidden - a word
 * holding '@' (an e-mail address) and any run of six or more digits
 * (a phone, passport or registration number), even inside a word.
 */
#include "posko_excerpt.h"

#include <string.h>

/* How many bytes from p must not be shown: a word holding '@' (at a
 * word's start), or six or more digits in a run, with spaces, dots and
 * dashes between them (a phone, passport or registration number). */
static size_t posko_secret_at(const char *p, size_t len, int word_start) {
    size_t i = 0, digits = 0, word = 0;

    while (word < len && p[word] != ' ' && p[word] != '\n' && p[word] != '\t') {
        word++;
    }
    if (word_start && memchr(p, '@', word) != NULL) {
        return word;
    }
    while (i < len && ((p[i] >= '0' && p[i] <= '9') ||
                       ((p[i] == ' ' || p[i] == '-' || p[i] == '.') &&
                        i + 1 < len && p[i + 1] >= '0' && p[i + 1] <= '9'))) {
        digits += p[i] >= '0' && p[i] <= '9';
        i++;
    }
    return digits >= 6 ? i : 0;
}

void posko_excerpt(const char *text, size_t len, char *out, size_t max) {
    static const char hidden[] = "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2";
    static const char more[] = "\xe2\x80\xa6";
    size_t i = 0, o = 0;
    int word_start = 1;

    if (max < sizeof(hidden) + sizeof(more)) {
        if (max > 0) {
            out[0] = '\0';
        }
        return;
    }
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        int digit_start = c >= '0' && c <= '9' &&
                          (i == 0 || text[i - 1] < '0' || text[i - 1] > '9');
        size_t skip = word_start || digit_start
                          ? posko_secret_at(text + i, len - i, word_start)
                          : 0;
        size_t step = 1;

        if (skip > 0) {
            if (o + sizeof(hidden) - 1 + sizeof(more) > max) {
                break;
            }
            memcpy(out + o, hidden, sizeof(hidden) - 1);
            o += sizeof(hidden) - 1;
            i += skip;
            word_start = 1; /* what is left of the word is checked too */
            continue;
        }
        if (c >= 0xf8 || (c >= 0x80 && c < 0xc0)) {
            break; /* not UTF-8: cut here */
        } else if (c >= 0xf0) {
            step = 4;
        } else if (c >= 0xe0) {
            step = 3;
        } else if (c >= 0xc0) {
            step = 2;
        }
        if (i + step > len || o + step + sizeof(more) > max) {
            break;
        }
        for (size_t k = 1; k < step; k++) {
            if (((unsigned char)text[i + k] & 0xc0) != 0x80) {
                step = 0;
            }
        }
        if (step == 0) {
            break;
        }
        if (c == '\n' || c == '\r' || c == '\t') {
            out[o++] = ' ';
        } else {
            memcpy(out + o, text + i, step);
            o += step;
        }
        word_start = c == ' ' || c == '\n' || c == '\t' || c == '(';
        i += step;
    }
    if (i < len) {
        memcpy(out + o, more, sizeof(more) - 1);
        o += sizeof(more) - 1;
    }
    out[o] = '\0';
}

