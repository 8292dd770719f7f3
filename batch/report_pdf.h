/*
 * report_pdf.h - the daily report as a PDF and as PNG charts
 * (report_pdf.c).
 */
#ifndef POSKO_REPORT_PDF_H
#define POSKO_REPORT_PDF_H

#include "report_data.h"

#define POSKO_REPORT_PNGS 5

typedef struct {
    const char *name; /* DIR/posko-DATE-NAME.png */
    int width, height;
} posko_png_t;

extern const posko_png_t posko_report_pngs[POSKO_REPORT_PNGS];

/* Writes the PDF to path; -1 after a message on failure. */
int posko_report_pdf(const posko_report_data_t *d, const char *path);

/* Writes chart `which` of posko_report_pngs as PNG to path. */
int posko_report_png(const posko_report_data_t *d, int which,
                     const char *path);

#endif
