/* The media module (weiquan-media.so): what needs the libraries of
 * pictures, PDFs and text recognition (gdk-pixbuf, poppler, cairo,
 * pango, libheif, libwebp, libpng, libexif, Tesseract, Leptonica),
 * loaded by weiquan on first use (src/media_load.c) so that a process
 * that never opens a picture or a PDF never maps them.
 *
 * The module exports one symbol, WQ_MEDIA_MODULE_SYMBOL: a const table
 * of the functions of weiquan/media.h, weiquan/ocr.h and
 * wq_document_pdf() that need those libraries.  The loader refuses a
 * table whose abi is not WQ_MEDIA_MODULE_ABI or which is shorter than
 * its own: bump the number whenever a function here or a structure it
 * passes (struct wq_image, wq_media_info, wq_media_problem,
 * wq_ocr_result, wq_document) changes.  The module calls back into the
 * program for the few core functions it uses (src/media_module.sym). */
#ifndef WEIQUAN_MEDIA_MODULE_H
#define WEIQUAN_MEDIA_MODULE_H

#include <stddef.h>

#include "weiquan/document.h"
#include "weiquan/media.h"
#include "weiquan/ocr.h"

#define WQ_MEDIA_MODULE_ABI 1u
#define WQ_MEDIA_MODULE_SYMBOL "wq_media_module"
#define WQ_MEDIA_MODULE_FILE "weiquan-media.so"

struct wq_media_module {
	unsigned abi;
	size_t size; /* sizeof(struct wq_media_module) in the module */

	enum wq_err (*image_decode)(const void *bytes, size_t len,
				    struct wq_image **image,
				    struct wq_media_problem *problem);
	enum wq_err (*media_info_read)(const void *bytes, size_t len,
				       struct wq_media_info *info,
				       struct wq_media_problem *problem);
	enum wq_err (*pdf_open)(const void *bytes, size_t len,
				struct wq_pdf **pdf,
				struct wq_media_problem *problem);
	void (*pdf_free)(struct wq_pdf **pdf);
	int (*pdf_pages)(const struct wq_pdf *pdf);
	enum wq_err (*pdf_page_text)(struct wq_pdf *pdf, int page,
				     char **text);
	enum wq_err (*pdf_page_image)(struct wq_pdf *pdf, int page,
				      struct wq_image **image,
				      struct wq_media_problem *problem);
	enum wq_err (*pdf_page_render)(struct wq_pdf *pdf, int page,
				       long max_pixels,
				       struct wq_image **image, int *dpi,
				       struct wq_media_problem *problem);
	const char *(*pdf_engine)(void);

	enum wq_err (*ocr_new)(const char *languages, struct wq_ocr **out);
	void (*ocr_free)(struct wq_ocr **ocr);
	const char *(*ocr_engine)(const struct wq_ocr *ocr);
	enum wq_err (*ocr_check_image)(const void *bytes, size_t len,
				       int *width, int *height);
	enum wq_err (*ocr_read)(struct wq_ocr *ocr, const void *bytes,
				size_t len, struct wq_ocr_result *out);
	enum wq_err (*ocr_read_pixels)(struct wq_ocr *ocr, int width,
				       int height, int stride,
				       const unsigned char *rgba, int dpi,
				       struct wq_ocr_result *out);

	enum wq_err (*document_pdf)(const struct wq_document *doc, char **pdf,
				    size_t *len);
};

/* Defined by the module (src/media_module.c). */
extern const struct wq_media_module wq_media_module;

#endif
