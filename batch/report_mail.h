/*
 * report_mail.h - delivering the daily report through sendmail
 * (report_mail.c).
 */
#ifndef POSKO_REPORT_MAIL_H
#define POSKO_REPORT_MAIL_H

#include "report_data.h"

/* Whether addr is one plain e-mail address (no name, no list, nothing
 * that could break out of a header). */
int posko_mail_address_ok(const char *addr);

/* Sends the report (the figures as text, the PDF attached) to one
 * address; prints a sentence and returns -1 when sendmail is missing or
 * refuses. */
int posko_mail_report(const char *to, const char *from,
                      const posko_report_data_t *d, const char *pdf);

#endif
