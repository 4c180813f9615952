/* Sample pictures and PDFs made by the same libraries weiquan reads them
 * with, for the unit tests, the console test and the fuzz seeds: no
 * binary test file in the tree, and each sample's content is known. */
#ifndef WEIQUAN_TESTS_MEDIA_SAMPLES_H
#define WEIQUAN_TESTS_MEDIA_SAMPLES_H

#include <stddef.h>

/* A malloc'd file image; *len its size. */
struct sample {
	unsigned char *bytes;
	size_t len;
};

/* A width x height picture: left half red, right half blue, with a white
 * square in the middle; format "png", "jpeg" (or any gdk-pixbuf writer). */
struct sample sample_picture(int width, int height, const char *format);
/* sample_picture() as JPEG with EXIF: DateTimeOriginal taken
 * ("YYYY:MM:DD HH:MM:SS"), Make and Model. */
struct sample sample_photo(int width, int height, const char *taken,
			   const char *make, const char *model);
/* sample_picture() as "png" or "webp" with the same EXIF as
 * sample_photo(): PNG's eXIf chunk, WebP's EXIF chunk. */
struct sample sample_photo_as(const char *format, int width, int height,
			      const char *taken, const char *make,
			      const char *model);
/* A PNG of only a signature, an IHDR claiming width x height (a valid
 * CRC), a small IDAT and IEND: a decompression bomb's header. */
struct sample sample_png_header(unsigned width, unsigned height);
/* A WebP whose VP8X header claims a width x height canvas around a
 * 1x1 picture: a bomb for a loader that allocates the canvas. */
struct sample sample_webp_header(unsigned width, unsigned height);
/* A PDF of pages, each page's text one of lines (Latin, DejaVu);
 * created, when not NULL, its creation date ("2026-01-02T10:00:00"). */
struct sample sample_pdf(const char *const *lines, int pages,
			 const char *created);

/* A scanned PDF: each page only a picture of lines[i] drawn in a font
 * for Chinese (Noto Sans CJK), with no text of its own. */
struct sample sample_scanned_pdf(const char *const *lines, int pages);

void sample_free(struct sample *s);
/* Writes s to dir/name; 0 on success. */
int sample_write(const struct sample *s, const char *dir, const char *name);

#endif
