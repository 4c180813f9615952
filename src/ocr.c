#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "util.h"
#include "weiquan/ocr.h"

/* One Tesseract per reading (a language or a "+" combination of them),
 * loaded the first time it is needed. */
struct reading {
	char languages[64];
	TessBaseAPI *api;
};

struct wq_ocr {
	struct reading readings[WQ_OCR_MAX_READINGS];
	int n;
	char engine[160];
};

/* Leptonica reports to stderr by default: the worker's errors are the
 * job's, recorded with it, and a console must never see a library's
 * lines. */
static void quiet_leptonica(void)
{
	setMsgSeverity(L_SEVERITY_NONE);
}

static enum wq_err load(struct reading *r)
{
	if (r->api)
		return WQ_ERR_OK;
	r->api = TessBaseAPICreate();
	if (!r->api)
		return wq_fail(WQ_ERR_NOMEM, N_("cannot start Tesseract"));
	/* Tesseract's progress and warnings ("Estimating resolution...")
	 * would go to stderr; set before Init, which already prints. */
	TessBaseAPISetVariable(r->api, "debug_file", "/dev/null");
	if (TessBaseAPIInit3(r->api, NULL, r->languages) != 0) {
		TessBaseAPIDelete(r->api);
		r->api = NULL;
		return wq_fail(WQ_ERR_IO,
			       N_("Tesseract cannot load the language %s "
				  "(Debian: tesseract-ocr-chi-sim, "
				  "tesseract-ocr-chi-tra, tesseract-ocr-eng)"),
			       r->languages);
	}
	return WQ_ERR_OK;
}

enum wq_err wq_ocr_new(const char *languages, struct wq_ocr **out)
{
	struct wq_ocr *ocr;
	const char *p;
	enum wq_err err = WQ_ERR_OK;

	*out = NULL;
	if (!languages || !*languages)
		languages = WQ_OCR_LANGUAGES;
	quiet_leptonica();
	ocr = wq_xcalloc(1, sizeof(*ocr));
	for (p = languages; *p && !err;) {
		size_t n = strcspn(p, ",");

		if (n == 0 || n >= sizeof(ocr->readings[0].languages) ||
		    ocr->n == WQ_OCR_MAX_READINGS)
			err = wq_fail(WQ_ERR_INVALID,
				      N_("languages '%s': at most %d readings, "
					 "such as chi_sim,chi_tra,eng"),
				      languages, WQ_OCR_MAX_READINGS);
		else
			snprintf(ocr->readings[ocr->n++].languages,
				 sizeof(ocr->readings[0].languages), "%.*s",
				 (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
	/* The first reading is needed for every image: a missing language
	 * is said now, not at the first job. */
	if (!err && ocr->n)
		err = load(&ocr->readings[0]);
	if (!err && !ocr->n)
		err = wq_fail(WQ_ERR_INVALID, N_("no languages to read"));
	if (err) {
		wq_ocr_free(&ocr);
		return err;
	}
	snprintf(ocr->engine, sizeof(ocr->engine), "tesseract %s %s",
		 TessVersion(), languages);
	*out = ocr;
	return WQ_ERR_OK;
}

void wq_ocr_free(struct wq_ocr **ocr)
{
	if (!*ocr)
		return;
	for (int i = 0; i < (*ocr)->n; i++) {
		if (!(*ocr)->readings[i].api)
			continue;
		TessBaseAPIEnd((*ocr)->readings[i].api);
		TessBaseAPIDelete((*ocr)->readings[i].api);
	}
	free(*ocr);
	*ocr = NULL;
}

const char *wq_ocr_engine(const struct wq_ocr *ocr)
{
	return ocr->engine;
}

enum wq_err wq_ocr_check_image(const void *bytes, size_t len, int *width,
			       int *height)
{
	l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;

	*width = *height = 0;
	if (!wq_ocr_is_image(bytes, len))
		return wq_fail(WQ_ERR_PARSE,
			       N_("not an image that can be read (PNG, JPEG, "
				  "GIF, WebP or TIFF)"));
	quiet_leptonica();
	if (pixReadHeaderMem(bytes, len, &format, &w, &h, &bps, &spp, &cmap) ||
	    w <= 0 || h <= 0)
		return wq_fail(WQ_ERR_PARSE,
			       N_("the image's header is damaged or cut short "
				  "(%zu bytes)"),
			       len);
	if ((long long)w * h > WQ_OCR_MAX_PIXELS)
		return wq_fail(
		    WQ_ERR_INVALID,
		    N_("the image is %d x %d pixels, more than the %lld "
		       "megapixels that are read"),
		    (int)w, (int)h, WQ_OCR_MAX_PIXELS / 1000000);
	/* A PNG ends with its IEND chunk: without it the file was cut
	 * short, and what is missing may be the part that matters. */
	if (format == IFF_PNG &&
	    (len < 12 ||
	     memcmp((const char *)bytes + len - 8, "IEND\xae\x42\x60\x82", 8)))
		return wq_fail(WQ_ERR_PARSE,
			       N_("the PNG file is cut short (no end marker): "
				  "attach the whole file"));
	*width = w;
	*height = h;
	return WQ_ERR_OK;
}

static bool ascii_at(const char *s)
{
	return (unsigned char)*s < 0x80;
}

/* Tesseract separates Chinese characters by spaces ("仅 退 款"); a
 * space between two non-ASCII characters goes, so the text reads and
 * searches as it was written.  Trailing blank lines go too. */
static char *tidy(const char *raw)
{
	size_t n = strlen(raw), used = 0;
	char *out = wq_xmalloc(n + 1);

	for (size_t i = 0; i < n; i++) {
		if (raw[i] == ' ' && used > 0 && !ascii_at(raw + i + 1)) {
			size_t k = used;

			/* The character before: step back over its
			 * continuation bytes to its lead byte. */
			while (k > 0 &&
			       ((unsigned char)out[k - 1] & 0xc0) == 0x80)
				k--;
			if (k > 0 && !ascii_at(out + k - 1))
				continue;
		}
		out[used++] = raw[i];
	}
	while (used > 0 && (out[used - 1] == '\n' || out[used - 1] == ' '))
		used--;
	out[used] = '\0';
	return out;
}

/* A screenshot's text is dark on light bubbles of any colour (WeChat's
 * green, a shop's orange): each pixel's brightest channel makes every
 * such bubble near white while the text stays dark, where a plain grey
 * conversion leaves green bubbles mid-grey and Tesseract drops their text
 * with the background.  Coloured icons fade out the same way. */
static PIX *to_gray(PIX *pix)
{
	PIX *plain = pixRemoveColormap(pix, REMOVE_CMAP_TO_FULL_COLOR);
	PIX *gray;

	if (!plain)
		return NULL;
	if (pixGetDepth(plain) == 32)
		gray = pixConvertRGBToGrayMinMax(plain, L_CHOOSE_MAX);
	else
		gray = pixConvertTo8(plain, 0);
	pixDestroy(&plain);
	return gray;
}

/* One reading of the (grey) image: its text, tidied, and confidence. */
static enum wq_err read_with(struct reading *r, PIX *pix, char **text,
			     int *confidence)
{
	char *raw;
	enum wq_err err = load(r);

	if (err)
		return err;
	TessBaseAPISetImage2(r->api, pix);
	/* A screenshot records no resolution, and Tesseract would guess
	 * one per image (and say so); a screen's 96 dpi is what it is. */
	if (pixGetXRes(pix) <= 0)
		TessBaseAPISetSourceResolution(r->api, 96);
	raw = TessBaseAPIGetUTF8Text(r->api);
	if (raw) {
		*text = tidy(raw);
		*confidence = TessBaseAPIMeanTextConf(r->api);
		TessDeleteText(raw);
	} else {
		err = wq_fail(WQ_ERR_PARSE,
			      N_("Tesseract could not read the "
				 "image with %s"),
			      r->languages);
	}
	TessBaseAPIClear(r->api);
	return err;
}

/* The most confident of the readings of the grey image. */
static enum wq_err read_gray(struct wq_ocr *ocr, PIX *gray,
			     struct wq_ocr_result *out)
{
	enum wq_err err = WQ_ERR_OK;

	/* Tesseract given several languages at once lets each line go to
	 * whichever fits it best, and English often wins a Chinese line
	 * ("oF, PANERA," for 您好，补发的包裹...); each language alone
	 * reads its own script well, and chi_sim reads Latin text too. So
	 * each reading in turn, until one is confident enough. */
	for (int i = 0; i < ocr->n && out->confidence < WQ_OCR_CONFIDENT; i++) {
		char *text = NULL;
		int confidence = 0;

		err = read_with(&ocr->readings[i], gray, &text, &confidence);
		if (err)
			break;
		if (confidence > out->confidence) {
			free(out->text);
			out->text = text;
			out->confidence = confidence;
			snprintf(out->engine, sizeof(out->engine),
				 "tesseract %s %s", TessVersion(),
				 ocr->readings[i].languages);
		} else {
			free(text);
		}
	}
	if (err) {
		free(out->text);
		memset(out, 0, sizeof(*out));
	}
	return err;
}

enum wq_err wq_ocr_read(struct wq_ocr *ocr, const void *bytes, size_t len,
			struct wq_ocr_result *out)
{
	int w, h;
	PIX *pix, *gray;
	enum wq_err err = wq_ocr_check_image(bytes, len, &w, &h);

	memset(out, 0, sizeof(*out));
	out->confidence = -1;
	if (err)
		return err;
	quiet_leptonica();
	/* pixReadMem reads a JPEG with corrupt or missing data as an error
	 * (Leptonica's default), and so does libpng a PNG. */
	pix = pixReadMem(bytes, len);
	if (!pix)
		return wq_fail(WQ_ERR_PARSE,
			       N_("the image (%d x %d) cannot be decoded: the "
				  "file is damaged or cut short"),
			       w, h);
	gray = to_gray(pix);
	pixDestroy(&pix);
	if (!gray)
		return wq_fail(WQ_ERR_NOMEM,
			       N_("no memory to read a %d x %d image"), w, h);
	err = read_gray(ocr, gray, out);
	pixDestroy(&gray);
	return err;
}

enum wq_err wq_ocr_read_pixels(struct wq_ocr *ocr, int width, int height,
			       int stride, const unsigned char *rgba, int dpi,
			       struct wq_ocr_result *out)
{
	PIX *pix, *gray;
	enum wq_err err;

	memset(out, 0, sizeof(*out));
	out->confidence = -1;
	if (width <= 0 || height <= 0 || stride < width * 4 ||
	    (long long)width * height > WQ_OCR_MAX_PIXELS)
		return wq_fail(WQ_ERR_INVALID,
			       N_("a picture of %d x %d pixels is not read"),
			       width, height);
	quiet_leptonica();
	pix = pixCreate(width, height, 32);
	if (!pix)
		return wq_fail(WQ_ERR_NOMEM,
			       N_("no memory to read a %d x %d image"), width,
			       height);
	for (int y = 0; y < height; y++) {
		const unsigned char *s = rgba + (size_t)y * (size_t)stride;
		l_uint32 *line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);

		for (int x = 0; x < width; x++, s += 4)
			composeRGBPixel(s[0], s[1], s[2], line + x);
	}
	gray = to_gray(pix);
	pixDestroy(&pix);
	if (!gray)
		return wq_fail(WQ_ERR_NOMEM,
			       N_("no memory to read a %d x %d image"), width,
			       height);
	/* A scan has the resolution it was drawn at, not a screen's. */
	if (dpi > 0)
		pixSetResolution(gray, dpi, dpi);
	err = read_gray(ocr, gray, out);
	pixDestroy(&gray);
	return err;
}
