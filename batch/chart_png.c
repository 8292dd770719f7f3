/*
 * chart_png.c - writes a cairo image surface as a PNG file with libpng, tuned
 * for charts: large areas of one colour with antialiased edges.
 *
 * cairo_surface_write_to_png() leaves libpng's defaults, which try every
 * filter on every row and compress at zlib's level 6; for the report's
 * five charts that was more than half the time of a whole report.  Charts
 * compress nearly as well with the "sub" filter alone (a flat run becomes
 * zeros) and zlib's fastest level, in a fraction of the time.  The bytes
 * depend only on the pixels, so a report stays reproducible.
 */
#include "chart_png.h"

#include <errno.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

/* What libpng needs to unwind on failure, kept out of its longjmp's way. */
typedef struct {
    FILE *file;
    png_bytep row;
} png_job_t;

static int png_encode(png_job_t *job, cairo_surface_t *image) {
    int width = cairo_image_surface_get_width(image);
    int height = cairo_image_surface_get_height(image);
    int stride = cairo_image_surface_get_stride(image);
    const unsigned char *pixels = cairo_image_surface_get_data(image);
    png_structp png;
    png_infop info;

    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (png == NULL) {
        return -1;
    }
    info = png_create_info_struct(png);
    if (info == NULL || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_init_io(png, job->file);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(png, Z_BEST_SPEED);
    png_write_info(png, info);

    for (int y = 0; y < height; y++) {
        const uint32_t *src = (const uint32_t *)(pixels + (size_t)y * stride);
        png_bytep dst = job->row;

        /* cairo keeps a pixel as one native word, 0xAARRGGBB; an opaque
         * chart needs no unpremultiplying */
        for (int x = 0; x < width; x++) {
            uint32_t p = src[x];

            *dst++ = (png_byte)(p >> 16);
            *dst++ = (png_byte)(p >> 8);
            *dst++ = (png_byte)p;
        }
        png_write_row(png, job->row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int posko_png_write(cairo_surface_t *image, const char *path) {
    cairo_format_t format = cairo_image_surface_get_format(image);
    png_job_t job = {NULL, NULL};
    int rc;

    cairo_surface_flush(image);
    if (cairo_surface_get_type(image) != CAIRO_SURFACE_TYPE_IMAGE ||
        (format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32)) {
        errno = EINVAL;
        return -1;
    }
    job.row = malloc((size_t)cairo_image_surface_get_width(image) * 3 + 1);
    if (job.row == NULL) {
        return -1;
    }
    job.file = fopen(path, "wb");
    if (job.file == NULL) {
        free(job.row);
        return -1;
    }
    rc = png_encode(&job, image);
    if (rc != 0) {
        errno = EINVAL;
    }
    if (fclose(job.file) != 0) {
        rc = -1;
    }
    free(job.row);
    return rc;
}
