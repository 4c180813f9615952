/* weiquan: text recognised in images (Tesseract through its C API, the
 * image decoded by Leptonica).
 *
 * Recognition takes seconds: only the worker (weiquan worker,
 * weiquan/worker.h) calls it, never a keystroke.  What it returns is
 * machine-read text, not evidence: the caller keeps it apart from the
 * original and says so wherever it is shown. */
#ifndef WEIQUAN_OCR_H
#define WEIQUAN_OCR_H

#include <stdbool.h>
#include <stddef.h>

#include "weiquan/err.h"

/* The readings tried by default, in turn: Simplified Chinese (which
 * reads Latin letters and digits too), Traditional Chinese, English
 * (Debian: tesseract-ocr-chi-sim, -chi-tra, -eng).  Each reading is a
 * Tesseract language or a "+" combination; the next is tried only while
 * no reading so far has a mean confidence of WQ_OCR_CONFIDENT. */
#define WQ_OCR_LANGUAGES "chi_sim,chi_tra,eng"
#define WQ_OCR_MAX_READINGS 4
#define WQ_OCR_CONFIDENT 85
/* Larger images are refused before they are decoded: 100 megapixels. */
#define WQ_OCR_MAX_PIXELS 100000000LL

struct wq_ocr;

/* An engine for the readings in languages ("chi_sim,chi_tra,eng"; NULL:
 * the default), from Tesseract's own data directory; the first is loaded
 * now (a fraction of a second), the others when first needed. */
enum wq_err wq_ocr_new(const char *languages, struct wq_ocr **out);
void wq_ocr_free(struct wq_ocr **ocr);
/* "tesseract 5.3.0 chi_sim,chi_tra,eng": the readings it tries. */
const char *wq_ocr_engine(const struct wq_ocr *ocr);

/* Whether the bytes start like an image the reader decodes (PNG, JPEG,
 * GIF, WebP, TIFF). */
bool wq_ocr_is_image(const void *bytes, size_t len);

/* Reads only the image's header: its dimensions, and a refusal (with the
 * reason as detail) of a file that is no image, is cut short where the
 * header says more follows, or has more than WQ_OCR_MAX_PIXELS. */
enum wq_err wq_ocr_check_image(const void *bytes, size_t len, int *width,
			       int *height);

struct wq_ocr_result {
	char *text;	  /* malloc'd UTF-8 */
	int confidence;	  /* Tesseract's mean word confidence, 0..100 */
	char engine[160]; /* "tesseract 5.3.0 chi_sim": the reading kept */
};

/* The text in the image, lines kept, the spaces Tesseract puts between
 * Chinese characters taken out: the most confident of the readings
 * tried.  The image is checked first (wq_ocr_check_image); a truncated or
 * corrupt one is refused rather than read as far as it goes. */
enum wq_err wq_ocr_read(struct wq_ocr *ocr, const void *bytes, size_t len,
			struct wq_ocr_result *out);

/* The same for pixels already decoded (RGBA, 8 bits each, rows of stride
 * bytes; a PDF page rendered by weiquan/media.h at dpi), at most
 * WQ_OCR_MAX_PIXELS. */
enum wq_err wq_ocr_read_pixels(struct wq_ocr *ocr, int width, int height,
			       int stride, const unsigned char *rgba, int dpi,
			       struct wq_ocr_result *out);

#endif
