/* libFuzzer target: pictures and PDFs among the evidence (src/media.c).
 *
 * Whatever the bytes, decoding ends in bounded time without a crash, and
 * either hands back pixels within the view budget, or refuses with a
 * reason; the EXIF of a JPEG, PNG, WebP or HEIC is read (info); a PDF
 * that opens gives each page's text and a picture of its first page
 * within the budget the worker draws a scanned page at for recognition.
 * The seeds are the samples of tests/media (made by run.sh). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/media.h"
#include "weiquan/worker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void violated(const char *what)
{
	fprintf(stderr, "fuzz_media: %s\n", what);
	abort();
}

static void check_image(const struct wq_image *im, long budget)
{
	if (!im || !im->rgba || im->width < 1 || im->height < 1 ||
	    im->stride != im->width * 4)
		violated("success without sane pixels");
	if ((long)im->width * im->height > budget + im->width + im->height)
		violated("pixels over the view budget");
	/* Read the last pixel: under AddressSanitizer, a buffer smaller
	 * than it claims fails here. */
	{
		volatile unsigned char last =
		    im->rgba[(size_t)(im->height - 1) * im->stride +
			     (size_t)(im->width - 1) * 4 + 3];
		(void)last;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wq_media_problem why;
	struct wq_media_info info;
	struct wq_image *im = NULL;
	struct wq_pdf *pdf = NULL;

	wq_media_info_read(data, size, &info, &why);
	if (wq_media_sniff(data, size) == WQ_MEDIA_PDF) {
		if (wq_pdf_open(data, size, &pdf, &why) == WQ_ERR_OK) {
			int pages = wq_pdf_pages(pdf);

			for (int p = 0; p < pages && p < 4; p++) {
				char *text = NULL;

				if (wq_pdf_page_text(pdf, p, &text) ==
					WQ_ERR_OK &&
				    !text)
					violated(
					    "page text success without text");
				free(text);
			}
			int dpi = 0;

			if (wq_pdf_page_render(pdf, 0, WQ_PDF_OCR_PIXELS, &im,
					       &dpi, &why) == WQ_ERR_OK) {
				check_image(im, WQ_PDF_OCR_PIXELS);
				if (dpi < 1 || dpi > 4 * 72)
					violated("page drawn at no sane dpi");
			}
			wq_image_free(&im);
			wq_pdf_free(&pdf);
		} else if (pdf || why.why == WQ_MEDIA_OK) {
			violated("PDF refused without a reason");
		}
		return 0;
	}
	if (wq_image_decode(data, size, &im, &why) == WQ_ERR_OK)
		check_image(im, WQ_MEDIA_VIEW_PIXELS);
	else if (im || why.why == WQ_MEDIA_OK)
		violated("image refused without a reason");
	wq_image_free(&im);
	return 0;
}
