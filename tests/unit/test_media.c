/* Unit tests of src/media.c: pictures and PDFs decoded with bounds, EXIF
 * read, and a photo's date weighed against the order date. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "tests/media/samples.h"
#include "weiquan/media.h"

static const unsigned char *pixel(const struct wq_image *im, int x, int y)
{
	return im->rgba + (size_t)y * im->stride + (size_t)x * 4;
}

static bool sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return true;
#else
	return false;
#endif
#else
	return false;
#endif
}

static void assert_picture(const struct wq_image *im, int w, int h)
{
	assert_int_equal(im->width, w);
	assert_int_equal(im->height, h);
	/* Left red, right blue, white in the middle (JPEG is near). */
	assert_true(pixel(im, 1, 1)[0] > 200 && pixel(im, 1, 1)[2] < 60);
	assert_true(pixel(im, w - 2, 1)[2] > 200 &&
		    pixel(im, w - 2, 1)[0] < 60);
	assert_true(pixel(im, w / 2, h / 2)[1] > 200);
	assert_int_equal(pixel(im, w / 2, h / 2)[3], 255);
}

static void test_sniff(void **state)
{
	struct sample png = sample_picture(8, 8, "png");
	struct sample jpg = sample_picture(8, 8, "jpeg");
	const char *line = "page";
	struct sample pdf = sample_pdf(&line, 1, NULL);

	(void)state;
	assert_int_equal(wq_media_sniff(png.bytes, png.len), WQ_MEDIA_PNG);
	assert_int_equal(wq_media_sniff(jpg.bytes, jpg.len), WQ_MEDIA_JPEG);
	assert_int_equal(wq_media_sniff(pdf.bytes, pdf.len), WQ_MEDIA_PDF);
	assert_int_equal(wq_media_sniff("GIF89a..", 8), WQ_MEDIA_GIF);
	assert_int_equal(wq_media_sniff("RIFF\0\0\0\0WEBPVP8 ", 16),
			 WQ_MEDIA_WEBP);
	assert_int_equal(wq_media_sniff("\0\0\0\x18"
					"ftypheic",
					12),
			 WQ_MEDIA_HEIC);
	assert_int_equal(wq_media_sniff("hello, world", 12), WQ_MEDIA_NONE);
	assert_int_equal(wq_media_sniff("\x89PN", 3), WQ_MEDIA_NONE);
	assert_int_equal(wq_media_sniff("", 0), WQ_MEDIA_NONE);
	sample_free(&png);
	sample_free(&jpg);
	sample_free(&pdf);
}

static void test_decode_png_jpeg(void **state)
{
	static const char *const formats[] = {"png", "jpeg"};
	struct wq_media_problem why;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct sample s = sample_picture(120, 80, formats[i]);
		struct wq_image *im = NULL;

		assert_int_equal(wq_image_decode(s.bytes, s.len, &im, &why),
				 WQ_ERR_OK);
		assert_int_equal(why.why, WQ_MEDIA_OK);
		assert_picture(im, 120, 80);
		wq_image_free(&im);
		assert_null(im);
		sample_free(&s);
	}
}

/* A picture larger than the view budget comes back scaled, aspect kept. */
static void test_decode_scales_down(void **state)
{
	struct sample s = sample_picture(4000, 2000, "png");
	struct wq_image *im = NULL;
	struct wq_media_problem why;

	(void)state;
	assert_int_equal(wq_image_decode(s.bytes, s.len, &im, &why), WQ_ERR_OK);
	assert_true((long)im->width * im->height <= WQ_MEDIA_VIEW_PIXELS);
	assert_true(im->width >= 2 * im->height - 2 &&
		    im->width <= 2 * im->height + 2);
	assert_picture(im, im->width, im->height);
	wq_image_free(&im);
	sample_free(&s);
}

/* WebP comes through the webp loader (Debian: webp-pixbuf-loader), which
 * also writes it. */
static void test_decode_webp(void **state)
{
	GSList *formats = gdk_pixbuf_get_formats();
	bool writable = false;

	(void)state;
	for (GSList *f = formats; f; f = f->next) {
		gchar *name = gdk_pixbuf_format_get_name(f->data);

		if (strcmp(name, "webp") == 0)
			writable = gdk_pixbuf_format_is_writable(f->data);
		g_free(name);
	}
	g_slist_free(formats);
	if (!writable) {
		print_message(
		    "webp loader missing: install webp-pixbuf-loader\n");
		fail();
	}
	{
		struct sample s = sample_picture(64, 32, "webp");
		struct wq_image *im = NULL;
		struct wq_media_problem why;

		assert_int_equal(wq_media_sniff(s.bytes, s.len), WQ_MEDIA_WEBP);
		assert_int_equal(wq_image_decode(s.bytes, s.len, &im, &why),
				 WQ_ERR_OK);
		assert_picture(im, 64, 32);
		wq_image_free(&im);
		sample_free(&s);
	}
}

/* GIF (gdk-pixbuf cannot write one): a 1x1 red GIF by hand. */
static void test_decode_gif(void **state)
{
	static const unsigned char gif[] =
	    "GIF89a\x01\x00\x01\x00\x80\x00\x00"
	    "\xff\x00\x00\x00\x00\x00"
	    ",\x00\x00\x00\x00\x01\x00\x01\x00\x00"
	    "\x02\x02\x44\x01\x00;";
	struct wq_image *im = NULL;
	struct wq_media_problem why;

	(void)state;
	assert_int_equal(wq_media_sniff(gif, sizeof(gif) - 1), WQ_MEDIA_GIF);
	assert_int_equal(wq_image_decode(gif, sizeof(gif) - 1, &im, &why),
			 WQ_ERR_OK);
	assert_int_equal(im->width, 1);
	assert_int_equal(im->height, 1);
	assert_int_equal(pixel(im, 0, 0)[0], 255);
	assert_int_equal(pixel(im, 0, 0)[1], 0);
	wq_image_free(&im);
}

/* HEIC, as iPhones and many Android phones save photos, through
 * heif-gdk-pixbuf; the sample is encoded by libheif's heif-enc
 * (libheif-examples), skipped where it is missing. */
static void test_decode_heic(void **state)
{
	struct sample png = sample_picture(64, 32, "png");
	char dir[] = "/tmp/weiquan-heic.XXXXXX", cmd[256], path[128];
	struct wq_image *im = NULL;
	struct wq_media_problem why;
	unsigned char *heic;
	size_t len;
	FILE *f;

	(void)state;
	if (system("command -v heif-enc >/dev/null 2>&1") != 0) {
		sample_free(&png);
		skip();
	}
	assert_non_null(mkdtemp(dir));
	assert_int_equal(sample_write(&png, dir, "in.png"), 0);
	snprintf(cmd, sizeof(cmd),
		 "heif-enc -q 90 -o %s/out.heic %s/in.png >/dev/null 2>&1", dir,
		 dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/out.heic", dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	heic = malloc(1 << 20);
	len = fread(heic, 1, 1 << 20, f);
	fclose(f);
	assert_int_equal(wq_media_sniff(heic, len), WQ_MEDIA_HEIC);
	assert_int_equal(wq_image_decode(heic, len, &im, &why), WQ_ERR_OK);
	assert_picture(im, 64, 32);
	wq_image_free(&im);
	free(heic);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	sample_free(&png);
}

/* A header claiming 20000x20000 (400 megapixels, 1.6 GB of pixels) is
 * refused before its pixels are allocated: with the address space
 * limited to 512 MB, trying would fail with "insufficient memory". */
static void test_bomb_refused(void **state)
{
	struct sample s = sample_png_header(20000, 20000);
	struct sample hundred = sample_png_header(10000, 10000);
	struct sample webp = sample_webp_header(20000, 20000);
	struct wq_image *im = (struct wq_image *)1;
	struct wq_media_problem why;
	struct wq_media_info info;
	struct rlimit old, low = {512L << 20, 512L << 20};
	clock_t start = clock();

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_AS, &old), 0);
	low.rlim_max = old.rlim_max;
	if (old.rlim_cur != RLIM_INFINITY && old.rlim_cur < low.rlim_cur)
		low.rlim_cur = old.rlim_cur;
	/* AddressSanitizer reserves terabytes of address space for itself:
	 * there the refusal's reason is the proof. */
	if (!sanitized())
		assert_int_equal(setrlimit(RLIMIT_AS, &low), 0);
	assert_int_equal(wq_image_decode(s.bytes, s.len, &im, &why),
			 WQ_ERR_PARSE);
	assert_null(im);
	assert_int_equal(why.why, WQ_MEDIA_TOO_LARGE);
	assert_int_equal(why.width, 20000);
	assert_int_equal(why.height, 20000);
	assert_int_equal(why.limit, WQ_MEDIA_MAX_PIXELS);
	/* A 100-megapixel PNG alike. */
	assert_int_equal(wq_image_decode(hundred.bytes, hundred.len, &im, &why),
			 WQ_ERR_PARSE);
	assert_int_equal(why.why, WQ_MEDIA_TOO_LARGE);
	assert_int_equal(why.width, 10000);
	/* Its dimensions can still be told. */
	assert_int_equal(wq_media_info_read(s.bytes, s.len, &info, &why),
			 WQ_ERR_OK);
	assert_int_equal(info.width, 20000);
	assert_int_equal(info.height, 20000);
	/* A WebP canvas alike: its loader allocates the canvas before it
	 * asks for a size, so the header is read first. */
	assert_int_equal(wq_image_decode(webp.bytes, webp.len, &im, &why),
			 WQ_ERR_PARSE);
	assert_null(im);
	assert_int_equal(why.why, WQ_MEDIA_TOO_LARGE);
	assert_int_equal(why.width, 20000);
	assert_int_equal(why.height, 20000);
	assert_int_equal(wq_media_info_read(webp.bytes, webp.len, &info, &why),
			 WQ_ERR_OK);
	assert_int_equal(info.width, 20000);
	assert_int_equal(info.height, 20000);
	if (!sanitized())
		assert_int_equal(setrlimit(RLIMIT_AS, &old), 0);
	assert_true((clock() - start) / CLOCKS_PER_SEC < 2);
	sample_free(&s);
	sample_free(&hundred);
	sample_free(&webp);
}

static void test_truncated_and_empty(void **state)
{
	struct sample s = sample_picture(200, 200, "png");
	struct sample j = sample_picture(200, 200, "jpeg");
	struct sample zero = sample_png_header(0, 10);
	struct wq_image *im = NULL;
	struct wq_media_problem why;

	(void)state;
	/* A cut PNG is refused, or shown with its missing rows and the
	 * warning. */
	for (size_t cut = 0; cut < s.len; cut += s.len / 7 + 1) {
		enum wq_err err = wq_image_decode(s.bytes, cut, &im, &why);

		if (err == WQ_ERR_OK) {
			assert_true(why.incomplete);
			wq_image_free(&im);
			continue;
		}
		assert_null(im);
		assert_true(why.why == WQ_MEDIA_DAMAGED ||
			    why.why == WQ_MEDIA_UNSUPPORTED);
	}
	/* A cut JPEG decodes, its missing rows filled in, and says so. */
	assert_int_equal(wq_image_decode(j.bytes, j.len / 2, &im, &why),
			 WQ_ERR_OK);
	assert_true(why.incomplete);
	wq_image_free(&im);
	assert_int_equal(wq_image_decode(j.bytes, j.len, &im, &why), WQ_ERR_OK);
	assert_false(why.incomplete);
	wq_image_free(&im);
	assert_int_equal(wq_image_decode(zero.bytes, zero.len, &im, &why),
			 WQ_ERR_PARSE);
	assert_null(im);
	assert_true(why.why == WQ_MEDIA_DAMAGED || why.why == WQ_MEDIA_EMPTY);
	/* Not an image at all. */
	assert_int_equal(wq_image_decode("plain text", 10, &im, &why),
			 WQ_ERR_INVALID);
	assert_int_equal(why.why, WQ_MEDIA_UNSUPPORTED);
	sample_free(&s);
	sample_free(&j);
	sample_free(&zero);
}

static void test_exif(void **state)
{
	struct sample s =
	    sample_photo(64, 48, "2026:01:02 10:30:00", "Huawei", "P60 Pro");
	struct sample bare = sample_picture(64, 48, "jpeg");
	struct wq_media_info info;
	struct wq_media_problem why;
	struct wq_image *im = NULL;

	(void)state;
	assert_int_equal(wq_media_info_read(s.bytes, s.len, &info, &why),
			 WQ_ERR_OK);
	assert_int_equal(info.kind, WQ_MEDIA_JPEG);
	assert_int_equal(info.width, 64);
	assert_int_equal(info.height, 48);
	assert_string_equal(info.taken, "2026-01-02 10:30:00");
	assert_string_equal(info.camera, "Huawei P60 Pro");
	/* The photo still decodes with its EXIF segment. */
	assert_int_equal(wq_image_decode(s.bytes, s.len, &im, &why), WQ_ERR_OK);
	assert_picture(im, 64, 48);
	wq_image_free(&im);
	/* A JPEG without EXIF has no capture time. */
	assert_int_equal(wq_media_info_read(bare.bytes, bare.len, &info, &why),
			 WQ_ERR_OK);
	assert_string_equal(info.taken, "");
	assert_string_equal(info.camera, "");
	sample_free(&s);
	sample_free(&bare);
}

/* PNG, WebP and HEIC photos carry EXIF too (phones save HEIC; chat apps
 * pass PNG and WebP on): their capture time and camera are read, and a
 * photo taken before the order date contradicts the case as a JPEG's
 * does.  The HEIC is heif-enc's encoding of a JPEG with EXIF (heif-enc
 * keeps it), skipped where heif-enc is missing. */
static void check_exif_of(const unsigned char *bytes, size_t len,
			  enum wq_media_kind kind)
{
	struct wq_media_info info;
	struct wq_media_problem why;

	assert_int_equal(wq_media_info_read(bytes, len, &info, &why),
			 WQ_ERR_OK);
	assert_int_equal(info.kind, kind);
	assert_int_equal(info.width, 64);
	assert_int_equal(info.height, 48);
	assert_string_equal(info.taken, "2026-01-02 10:30:00");
	assert_string_equal(info.camera, "Huawei P60 Pro");
	assert_true(wq_media_taken_before(&info, "2026-01-05"));
	assert_false(wq_media_taken_before(&info, "2026-01-01"));
}

static void test_exif_png_webp_heic(void **state)
{
	struct sample png = sample_photo_as("png", 64, 48, "2026:01:02 10:30:00",
					    "Huawei", "P60 Pro");
	struct sample webp = sample_photo_as(
	    "webp", 64, 48, "2026:01:02 10:30:00", "Huawei", "P60 Pro");
	struct sample jpeg =
	    sample_photo(64, 48, "2026:01:02 10:30:00", "Huawei", "P60 Pro");
	struct sample bare = sample_picture(64, 48, "png");
	char dir[] = "/tmp/weiquan-heic.XXXXXX", cmd[256], path[128];
	struct wq_media_info info;
	struct wq_media_problem why;
	struct wq_image *im = NULL;
	unsigned char *heic;
	size_t len;
	FILE *f;

	(void)state;
	check_exif_of(png.bytes, png.len, WQ_MEDIA_PNG);
	/* The eXIf chunk does not stop the picture from decoding. */
	assert_int_equal(wq_image_decode(png.bytes, png.len, &im, &why),
			 WQ_ERR_OK);
	assert_picture(im, 64, 48);
	wq_image_free(&im);
	check_exif_of(webp.bytes, webp.len, WQ_MEDIA_WEBP);
	assert_int_equal(wq_image_decode(webp.bytes, webp.len, &im, &why),
			 WQ_ERR_OK);
	assert_picture(im, 64, 48);
	wq_image_free(&im);
	/* Without EXIF: no capture time, no camera. */
	assert_int_equal(wq_media_info_read(bare.bytes, bare.len, &info, &why),
			 WQ_ERR_OK);
	assert_string_equal(info.taken, "");
	assert_string_equal(info.camera, "");
	sample_free(&png);
	sample_free(&webp);
	sample_free(&bare);
	if (system("command -v heif-enc >/dev/null 2>&1") != 0) {
		sample_free(&jpeg);
		skip();
	}
	assert_non_null(mkdtemp(dir));
	assert_int_equal(sample_write(&jpeg, dir, "in.jpg"), 0);
	snprintf(cmd, sizeof(cmd),
		 "heif-enc -q 50 -o %s/out.heic %s/in.jpg >/dev/null 2>&1", dir,
		 dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/out.heic", dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	heic = malloc(1 << 20);
	len = fread(heic, 1, 1 << 20, f);
	fclose(f);
	check_exif_of(heic, len, WQ_MEDIA_HEIC);
	/* Cut short: no EXIF, no crash. */
	assert_int_not_equal(wq_media_info_read(heic, len / 3, &info, &why),
			     -1);
	free(heic);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	sample_free(&jpeg);
}

/* A photo of the goods taken before they were ordered contradicts the
 * case; so does one dated after today. */
static void test_date_contradiction(void **state)
{
	struct wq_media_info info = {.taken = "2026-01-02 10:30:00"};
	struct wq_media_info none = {.taken = ""};

	(void)state;
	assert_true(wq_media_taken_before(&info, "2026-01-03"));
	assert_false(wq_media_taken_before(&info, "2026-01-02"));
	assert_false(wq_media_taken_before(&info, "2025-12-31"));
	assert_false(wq_media_taken_before(&info, ""));
	assert_false(wq_media_taken_before(&info, NULL));
	assert_false(wq_media_taken_before(&none, "2026-01-03"));
	assert_true(wq_media_taken_after(&info, "2026-01-01"));
	assert_false(wq_media_taken_after(&info, "2026-01-02"));
}

static void test_pdf_text_and_pages(void **state)
{
	static const char *const lines[] = {
	    "Appraisal report: screen cracked on delivery",
	    "Conclusion: refund only, order TB2026001",
	};
	struct sample s = sample_pdf(lines, 2, "2025-12-01T10:00:00+08:00");
	struct wq_pdf *pdf = NULL;
	struct wq_media_problem why;
	struct wq_media_info info;
	struct wq_image *im = NULL;
	char *text = NULL;

	(void)state;
	assert_int_equal(wq_pdf_open(s.bytes, s.len, &pdf, &why), WQ_ERR_OK);
	assert_int_equal(wq_pdf_pages(pdf), 2);
	assert_int_equal(wq_pdf_page_text(pdf, 0, &text), WQ_ERR_OK);
	assert_non_null(strstr(text, "screen cracked"));
	free(text);
	assert_int_equal(wq_pdf_page_text(pdf, 1, &text), WQ_ERR_OK);
	assert_non_null(strstr(text, "TB2026001"));
	free(text);
	assert_int_equal(wq_pdf_page_text(pdf, 2, &text), WQ_ERR_NOT_FOUND);
	assert_int_equal(wq_pdf_page_image(pdf, 0, &im, &why), WQ_ERR_OK);
	/* A4's aspect, within the budget; the black band on top, white
	 * below. */
	assert_true((long)im->width * im->height <= WQ_MEDIA_VIEW_PIXELS);
	assert_true(im->height > im->width);
	assert_true(pixel(im, im->width / 2, 2)[0] < 30);
	assert_true(pixel(im, im->width / 2, im->height - 3)[0] > 225);
	wq_image_free(&im);
	wq_pdf_free(&pdf);
	assert_null(pdf);
	assert_int_equal(wq_media_info_read(s.bytes, s.len, &info, &why),
			 WQ_ERR_OK);
	assert_int_equal(info.kind, WQ_MEDIA_PDF);
	assert_int_equal(info.pages, 2);
	/* Its creation date, in local time (TZ=Asia/Shanghai in make
	 * check), weighed like a photo's. */
	assert_string_equal(info.taken, "");
	assert_int_equal(strncmp(info.created, "2025-12-01", 10), 0);
	assert_true(wq_media_taken_before(&info, "2026-01-05"));
	assert_false(wq_media_taken_before(&info, "2025-11-30"));
	/* Truncated: a clear refusal, never a crash. */
	for (size_t cut = 0; cut < s.len; cut += s.len / 9 + 1) {
		if (wq_pdf_open(s.bytes, cut, &pdf, &why) == WQ_ERR_OK) {
			/* poppler reconstructs some cut files. */
			for (int p = 0; p < wq_pdf_pages(pdf); p++) {
				assert_int_equal(
				    wq_pdf_page_text(pdf, p, &text), WQ_ERR_OK);
				free(text);
			}
			wq_pdf_free(&pdf);
		} else {
			assert_null(pdf);
			assert_int_not_equal(why.why, WQ_MEDIA_OK);
		}
	}
	sample_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sniff),
	    cmocka_unit_test(test_decode_png_jpeg),
	    cmocka_unit_test(test_decode_scales_down),
	    cmocka_unit_test(test_decode_webp),
	    cmocka_unit_test(test_decode_gif),
	    cmocka_unit_test(test_decode_heic),
	    cmocka_unit_test(test_bomb_refused),
	    cmocka_unit_test(test_truncated_and_empty),
	    cmocka_unit_test(test_exif),
	    cmocka_unit_test(test_exif_png_webp_heic),
	    cmocka_unit_test(test_date_contradiction),
	    cmocka_unit_test(test_pdf_text_and_pages),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
