/*
 * chart_png.h - writing the report's charts as PNG files, quickly.
 */
#ifndef POSKO_CHART_PNG_H
#define POSKO_CHART_PNG_H

#include <cairo.h>

/* Writes an RGB24 or ARGB32 image surface to path as an 8-bit RGB PNG.
 * Returns 0, or -1 with errno set (EINVAL for a surface of another kind
 * or a failure inside libpng). */
int posko_png_write(cairo_surface_t *image, const char *path);

#endif
