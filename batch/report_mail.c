/*
 * report_mail.c - hands the day's report to the system's sendmail as one
 * MIME message: the figures as plain text in the body (readable on any
 * phone, even before the attachment opens) and the PDF attached.
 *
 * Any MTA that installs /usr/sbin/sendmail (exim, postfix, msmtp-mta,
 * nullmailer) delivers it; POSKO_SENDMAIL names another program, which
 * is how the tests capture the message.  The program gets the message on
 * stdin and the recipients from its headers (sendmail -t -oi).
 */
#include "report_mail.h"
#include "report_text.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POSKO_SENDMAIL "/usr/sbin/sendmail"

int posko_mail_address_ok(const char *addr) {
    const char *at = strchr(addr, '@');
    size_t len = strlen(addr);

    if (len < 3 || len > 254 || at == NULL || at == addr || at[1] == '\0' ||
        strchr(at + 1, '@') != NULL) {
        return 0;
    }
    for (const char *p = addr; *p; p++) {
        /* no spaces, controls, or what could end a header or an address */
        if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == ',' ||
            *p == '<' || *p == '>' || *p == '"' || *p == ';' ||
            *p == '(' || *p == ')' || *p == '\\') {
            return 0;
        }
    }
    return 1;
}

/* The PDF, read whole (a report is a few hundred kilobytes). */
static unsigned char *posko_mail_read(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long size;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)size + 1);
        if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)size;
    }
    fclose(f);
    return buf;
}

static void posko_mail_write(FILE *m, const char *to, const char *from,
                             const posko_report_data_t *d, const char *pdf,
                             const unsigned char *bytes, size_t len) {
    char date[64], boundary[64];
    const char *name = strrchr(pdf, '/') != NULL ? strrchr(pdf, '/') + 1 : pdf;
    time_t now = time(NULL);
    struct tm tm;
    gchar *b64 = g_base64_encode(bytes, len);
    size_t b64len = strlen(b64);

    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
    snprintf(boundary, sizeof(boundary), "posko-%s-%ld", d->date, (long)now);

    fprintf(m, "From: %s\n", from);
    fprintf(m, "To: %s\n", to);
    /* the subject in UTF-8, as RFC 2047 asks */
    fprintf(m, "Subject: =?UTF-8?Q?Laporan_evaluasi_harian_posko_%s?=\n",
            d->date);
    fprintf(m, "Date: %s\n", date);
    fprintf(m, "MIME-Version: 1.0\n");
    fprintf(m, "Content-Type: multipart/mixed; boundary=\"%s\"\n\n", boundary);
    fprintf(m, "This is a MIME message: the report is attached as PDF.\n\n");

    fprintf(m, "--%s\n", boundary);
    fprintf(m, "Content-Type: text/plain; charset=utf-8\n");
    fprintf(m, "Content-Transfer-Encoding: 8bit\n\n");
    posko_report_text(m, d);
    fprintf(m, "\nLaporan lengkap terlampir (%s).\n\n", name);

    fprintf(m, "--%s\n", boundary);
    fprintf(m, "Content-Type: application/pdf; name=\"%s\"\n", name);
    fprintf(m, "Content-Disposition: attachment; filename=\"%s\"\n", name);
    fprintf(m, "Content-Transfer-Encoding: base64\n\n");
    for (size_t i = 0; i < b64len; i += 76) {
        fprintf(m, "%.*s\n", (int)(b64len - i < 76 ? b64len - i : 76),
                b64 + i);
    }
    fprintf(m, "--%s--\n", boundary);
    g_free(b64);
}

int posko_mail_report(const char *to, const char *from,
                      const posko_report_data_t *d, const char *pdf) {
    const char *sendmail = getenv("POSKO_SENDMAIL");
    unsigned char *bytes;
    size_t len = 0;
    int fds[2], status;
    pid_t pid;
    FILE *m;

    if (sendmail == NULL || sendmail[0] == '\0') {
        sendmail = POSKO_SENDMAIL;
    }
    if (access(sendmail, X_OK) != 0) {
        fprintf(stderr,
                "posko report: cannot mail the report: no sendmail at %s "
                "(install an MTA, e.g. exim4 or msmtp-mta)\n",
                sendmail);
        return -1;
    }
    bytes = posko_mail_read(pdf, &len);
    if (bytes == NULL) {
        fprintf(stderr, "posko report: cannot read %s to mail it: %s\n", pdf,
                strerror(errno));
        return -1;
    }
    if (pipe(fds) != 0 || (pid = fork()) < 0) {
        fprintf(stderr, "posko report: cannot start %s: %s\n", sendmail,
                strerror(errno));
        free(bytes);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[0], STDIN_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl(sendmail, sendmail, "-t", "-oi", (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    m = fdopen(fds[1], "w");
    if (m == NULL) {
        close(fds[1]);
    } else {
        posko_mail_write(m, to, from, d, pdf, bytes, len);
        fclose(m);
    }
    free(bytes);
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0 || m == NULL) {
        fprintf(stderr, "posko report: %s did not take the report for %s\n",
                sendmail, to);
        return -1;
    }
    return 0;
}
