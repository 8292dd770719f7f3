/*
 * posko_excerpt.h - a description's start, with numbers and addresses
 * hidden (posko_excerpt.c).
 */
#ifndef POSKO_EXCERPT_H
#define POSKO_EXCERPT_H

#include <stddef.h>

/* Writes at most max bytes (with the NUL) of the UTF-8 text into out, cut
 * at a character boundary, with runs of six or more digits (spaces, dots
 * and dashes between them allowed) and words holding '@' replaced by
 * "\u2022\u2022\u2022", and line breaks and tabs as spaces; ends with
 * "\u2026" when cut.  An invalid sequence is cut where it starts. */
void posko_excerpt(const char *text, size_t len, char *out, size_t max);

#endif
