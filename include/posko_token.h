/*
 * posko_token.h - the token that ties a follow-up form to the dashboard
 * that made it, against cross-site request forgery.
 *
 * Officers post follow-ups from the dashboard's static pages with nginx's
 * authentication, which a browser sends on its own to any site that asks;
 * so a page elsewhere could post in an officer's name.  Each follow-up
 * form therefore carries a token that only someone holding the secret can
 * make: `posko dashboard` writes it into the page, the module checks it.
 *
 *   token = EXPIRES "." HEX
 *   HEX   = the first 16 bytes, in lower-case hex, of
 *           HMAC-SHA256(secret, "posko-followup" NUL KODE NUL EXPIRES)
 *
 * EXPIRES is the Unix time (decimal seconds) after which the token is
 * refused, KODE the complaint's canonical code (XXXX-XXXX-XXXX): a token
 * is good for one complaint, for a limited time.  The secret is a file of
 * POSKO_SECRET_LEN random bytes, shared by the module and the batch.
 */
#ifndef POSKO_TOKEN_H
#define POSKO_TOKEN_H

#include <stddef.h>

#define POSKO_SECRET_LEN 32
#define POSKO_TOKEN_MAX 64 /* with the NUL */

#define POSKO_TOKEN_OK 0
#define POSKO_TOKEN_BAD 1     /* missing, malformed, or not made with the secret */
#define POSKO_TOKEN_EXPIRED 2 /* made with the secret, but too old */

/* Writes the token for kode (canonical, POSKO_KODE_LEN bytes) valid until
 * expires.  Returns 0, or -1 when the HMAC cannot be computed. */
int posko_token_make(const unsigned char *secret, size_t secret_len,
                     const char *kode, long long expires,
                     char out[POSKO_TOKEN_MAX]);

/* Checks token (len bytes, not NUL-terminated) for kode at time now. */
int posko_token_check(const unsigned char *secret, size_t secret_len,
                      const char *kode, const char *token, size_t len,
                      long long now);

/* Reads the secret file at path into out (POSKO_SECRET_LEN bytes).
 * Returns 0, or -1 with errno set (EINVAL: the file is not exactly
 * POSKO_SECRET_LEN bytes). */
int posko_secret_read(const char *path, unsigned char out[POSKO_SECRET_LEN]);

/* Creates the secret file at path with fresh random bytes, mode 0640,
 * unless it exists.  Returns 0 when the file is there afterwards (made now
 * or before), -1 with errno set. */
int posko_secret_create(const char *path);

#endif
