/*
 * posko_kode.h - the tracking code a pilgrim keeps to follow a complaint.
 *
 * Eleven Crockford base32 symbols carry 55 random bits; a twelfth is a
 * check symbol (value mod 37, as Crockford proposed) that catches every
 * single wrong symbol and every swap of two neighbours.  Codes whose check
 * value would need one of the five extra symbols (*~$=U) are never issued,
 * so every code is made of 0-9 and A-Z without I, L, O, U.  Shown as
 * XXXX-XXXX-XXXX.  Typed codes are read case-insensitively, with hyphens
 * and spaces ignored and I/L read as 1, O as 0.
 */
#ifndef POSKO_KODE_H
#define POSKO_KODE_H

#include <stddef.h>
#include <stdint.h>

#define POSKO_KODE_SYMBOLS 12 /* 11 data + 1 check */
#define POSKO_KODE_LEN 14     /* with the two hyphens */
#define POSKO_KODE_RANDOM_BITS 55

#define POSKO_KODE_OK 0
#define POSKO_KODE_RETRY 1     /* from_random: draw another number */
#define POSKO_KODE_BAD_CHAR 2  /* a symbol that is not in the alphabet */
#define POSKO_KODE_BAD_LEN 3   /* too few or too many symbols */
#define POSKO_KODE_BAD_CHECK 4 /* mistyped: check symbol disagrees */

/* Turns 55 random bits (the low bits of r) into a code, written to out
 * with hyphens and a NUL.  Returns POSKO_KODE_RETRY for the ~14% of
 * numbers whose check value has no plain symbol. */
int posko_kode_from_random(uint64_t r, char out[POSKO_KODE_LEN + 1]);

/* Reads a code as a person typed it; on POSKO_KODE_OK writes the
 * canonical form (XXXX-XXXX-XXXX) to out. */
int posko_kode_normalize(const char *in, size_t len,
                         char out[POSKO_KODE_LEN + 1]);

#endif
