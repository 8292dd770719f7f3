/*
 * posko_token.c - making and checking follow-up form tokens (see
 * posko_token.h), with OpenSSL's HMAC-SHA256 and constant-time compare.
 */
#include "posko_token.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define POSKO_TOKEN_DOMAIN "posko-followup"
#define POSKO_TOKEN_KODE_LEN 14
#define POSKO_TOKEN_MAC_LEN 16
#define POSKO_TOKEN_EXPIRES_MAX 19 /* digits of a positive long long */

/* The MAC of (kode, the expiry as written), into mac. */
static int posko_token_mac(const unsigned char *secret, size_t secret_len,
                           const char *kode, const char *expires,
                           size_t expires_len,
                           unsigned char mac[EVP_MAX_MD_SIZE]) {
    unsigned char msg[sizeof(POSKO_TOKEN_DOMAIN) + POSKO_TOKEN_KODE_LEN + 1 +
                      POSKO_TOKEN_EXPIRES_MAX];
    unsigned int mac_len = 0;
    size_t n = 0;

    memcpy(msg, POSKO_TOKEN_DOMAIN, sizeof(POSKO_TOKEN_DOMAIN)); /* + NUL */
    n += sizeof(POSKO_TOKEN_DOMAIN);
    memcpy(msg + n, kode, POSKO_TOKEN_KODE_LEN);
    n += POSKO_TOKEN_KODE_LEN;
    msg[n++] = '\0';
    memcpy(msg + n, expires, expires_len);
    n += expires_len;
    if (HMAC(EVP_sha256(), secret, (int)secret_len, msg, n, mac, &mac_len) ==
            NULL ||
        mac_len < POSKO_TOKEN_MAC_LEN) {
        return -1;
    }
    return 0;
}

int posko_token_make(const unsigned char *secret, size_t secret_len,
                     const char *kode, long long expires,
                     char out[POSKO_TOKEN_MAX]) {
    static const char hex[] = "0123456789abcdef";
    unsigned char mac[EVP_MAX_MD_SIZE];
    int n;

    if (expires <= 0) {
        return -1;
    }
    n = snprintf(out, POSKO_TOKEN_MAX, "%lld.", expires);
    if (posko_token_mac(secret, secret_len, kode, out, (size_t)n - 1, mac) !=
        0) {
        return -1;
    }
    for (int i = 0; i < POSKO_TOKEN_MAC_LEN; i++) {
        out[n++] = hex[mac[i] >> 4];
        out[n++] = hex[mac[i] & 15];
    }
    out[n] = '\0';
    return 0;
}

int posko_token_check(const unsigned char *secret, size_t secret_len,
                      const char *kode, const char *token, size_t len,
                      long long now) {
    unsigned char mac[EVP_MAX_MD_SIZE], given[POSKO_TOKEN_MAC_LEN];
    long long expires = 0;
    size_t digits = 0;

    /* EXPIRES: 1 to 19 digits, no leading zero */
    while (digits < len && token[digits] >= '0' && token[digits] <= '9') {
        digits++;
    }
    if (digits == 0 || digits > POSKO_TOKEN_EXPIRES_MAX || token[0] == '0' ||
        len != digits + 1 + 2 * POSKO_TOKEN_MAC_LEN || token[digits] != '.') {
        return POSKO_TOKEN_BAD;
    }
    for (size_t i = 0; i < digits; i++) {
        int d = token[i] - '0';

        if (expires > (0x7fffffffffffffffLL - d) / 10) {
            return POSKO_TOKEN_BAD;
        }
        expires = expires * 10 + d;
    }

    /* HEX: lower case only, as made */
    for (int i = 0; i < POSKO_TOKEN_MAC_LEN; i++) {
        int v = 0;

        for (int j = 0; j < 2; j++) {
            char c = token[digits + 1 + 2 * i + j];

            if (c >= '0' && c <= '9') {
                v = v * 16 + (c - '0');
            } else if (c >= 'a' && c <= 'f') {
                v = v * 16 + (c - 'a' + 10);
            } else {
                return POSKO_TOKEN_BAD;
            }
        }
        given[i] = (unsigned char)v;
    }

    if (posko_token_mac(secret, secret_len, kode, token, digits, mac) != 0 ||
        CRYPTO_memcmp(mac, given, POSKO_TOKEN_MAC_LEN) != 0) {
        return POSKO_TOKEN_BAD;
    }
    return now > expires ? POSKO_TOKEN_EXPIRED : POSKO_TOKEN_OK;
}

int posko_secret_read(const char *path, unsigned char out[POSKO_SECRET_LEN]) {
    unsigned char extra;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        return -1;
    }
    n = read(fd, out, POSKO_SECRET_LEN);
    if (n == POSKO_SECRET_LEN && read(fd, &extra, 1) == 0) {
        close(fd);
        return 0;
    }
    close(fd);
    errno = n < 0 ? errno : EINVAL;
    return -1;
}

int posko_secret_create(const char *path) {
    unsigned char secret[POSKO_SECRET_LEN];
    char tmp[4096];
    int fd, rc = -1, saved;

    /* written whole under a name of its own, then linked into place: a
     * reader never sees half a secret, and a secret already there wins */
    if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >=
        (int)sizeof(tmp)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        return -1;
    }
    if (getrandom(secret, sizeof(secret), 0) == (ssize_t)sizeof(secret) &&
        write(fd, secret, sizeof(secret)) == (ssize_t)sizeof(secret) &&
        fsync(fd) == 0) {
        rc = link(tmp, path) == 0 || errno == EEXIST ? 0 : -1;
    }
    saved = errno;
    close(fd);
    unlink(tmp);
    errno = saved;
    return rc;
}
