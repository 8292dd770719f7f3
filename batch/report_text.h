/*
 * report_text.h - the daily evaluation report as plain text
 * (report_text.c), and the Indonesian number formats it and the PDF use.
 */
#ifndef POSKO_REPORT_TEXT_H
#define POSKO_REPORT_TEXT_H

#include "report_data.h"

#include <stdio.h>

void posko_report_text(FILE *f, const posko_report_data_t *d);

#endif
