/* weiquan: pictures and PDFs among the evidence, decoded for viewing.
 *
 * Photos, screenshots and PDF reports arrive as evidence; the mediator
 * must see them without leaving the console.  This module turns the
 * stored bytes into what a screen can draw: an image into RGBA pixels
 * (gdk-pixbuf, with only the loaders of the formats named here), a PDF
 * into the text of each page and a picture of any page (poppler and
 * cairo), the EXIF of a JPEG, PNG, WebP or HEIC into its capture time
 * and camera (libexif, on the block that libpng, libwebp's demuxer or
 * libheif finds in the other containers).
 * Nothing here writes the bytes; the original stays as it was stored.
 *
 * The bytes are anyone's, so decoding is bounded: an image whose header
 * claims more than WQ_MEDIA_MAX_PIXELS is refused before its pixels are
 * allocated, decoding gives up after WQ_MEDIA_MAX_SECONDS, and the pixels
 * handed back are scaled to at most WQ_MEDIA_VIEW_PIXELS.  Each refusal
 * says why in struct wq_media_problem, for the screen to put in words. */
#ifndef WEIQUAN_MEDIA_H
#define WEIQUAN_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/err.h"

/* The largest image decoded.  PNG, GIF, WebP and HEIC decoders allocate
 * the full picture before scaling it (4 bytes a pixel): a long chat
 * screenshot of 1080x20000 passes, a decompression bomb's 20000x20000
 * header does not.  A JPEG is scaled while it is decoded, so a 108- or
 * 200-megapixel phone photo costs little and is allowed more. */
#define WQ_MEDIA_MAX_PIXELS (40L * 1000 * 1000)
#define WQ_MEDIA_MAX_JPEG_PIXELS (250L * 1000 * 1000)
/* Pixels kept for viewing: enough for an 8x zoom of an 80-column pane. */
#define WQ_MEDIA_VIEW_PIXELS (4L * 1024 * 1024)
#define WQ_MEDIA_MAX_SECONDS 10
/* The largest EXIF block read from a PNG, WebP or HEIC (a JPEG's cannot
 * pass 64 KB). */
#define WQ_MEDIA_MAX_EXIF (1L * 1024 * 1024)
/* The most PDF pages whose text is extracted, and its size. */
#define WQ_MEDIA_MAX_PAGES 2000
#define WQ_MEDIA_MAX_TEXT (16L * 1024 * 1024)

enum wq_media_kind {
	WQ_MEDIA_NONE, /* not a picture or PDF this module reads */
	WQ_MEDIA_PNG,
	WQ_MEDIA_JPEG,
	WQ_MEDIA_GIF,
	WQ_MEDIA_WEBP,
	WQ_MEDIA_HEIC,
	WQ_MEDIA_PDF,
};

/* The kind of the bytes by their signature (never by the file name). */
enum wq_media_kind wq_media_sniff(const void *bytes, size_t len);
/* "PNG", "JPEG", "GIF", "WebP", "HEIC", "PDF", or "" for none. */
const char *wq_media_kind_name(enum wq_media_kind kind);

/* Why a file could not be shown. */
enum wq_media_why {
	WQ_MEDIA_OK,
	WQ_MEDIA_TOO_LARGE,   /* width x height over the limit below */
	WQ_MEDIA_TOO_SLOW,    /* gave up after WQ_MEDIA_MAX_SECONDS */
	WQ_MEDIA_DAMAGED,     /* truncated or malformed; detail says how */
	WQ_MEDIA_EMPTY,	      /* zero width or height, or no pages */
	WQ_MEDIA_UNSUPPORTED, /* no decoder on this system for the kind */
	WQ_MEDIA_LOCKED,      /* a PDF that needs a password */
};

struct wq_media_problem {
	enum wq_media_why why;
	long width, height; /* as the header claims, when known */
	long limit;	    /* the most pixels allowed, for TOO_LARGE */
	bool incomplete;    /* decoded, but the file ends early: the rest
			       of the picture is filled in */
	char detail[200];   /* a msgid of ours (show it through wq_text)
			       or the decoder's own words, or "" */
};

/* Pixels to draw: RGBA, 8 bits each, straight alpha, rows of stride
 * bytes. */
struct wq_image {
	int width, height, stride;
	unsigned char *rgba;
};

void wq_image_free(struct wq_image **image);

/* Loads the media code now where weiquan loads it on first use (its
 * media module, src/media_load.c), so that the first picture or PDF
 * opened does not wait for ~80 libraries to map; nothing where the code
 * is linked in.  Silent: a module that will not load is said at first
 * use.  The console calls it once its first screen is drawn. */
void wq_media_preload(void);

/* What the mediator weighs about a picture besides its pixels. */
struct wq_media_info {
	enum wq_media_kind kind;
	long width, height; /* the original's, 0 when unknown */
	char taken[20];	    /* EXIF capture time "YYYY-MM-DD HH:MM:SS",
			       local to the camera; "" when absent */
	char camera[128];   /* EXIF make and model, "" when absent */
	int pages;	    /* a PDF's page count */
	char created[20];   /* a PDF's creation date from its metadata, local
			       time, "YYYY-MM-DD HH:MM:SS"; "" when absent */
};

/* Decodes an image (PNG, JPEG, GIF's first frame, WebP, HEIC) into
 * pixels at most WQ_MEDIA_VIEW_PIXELS, keeping the aspect ratio.  On
 * failure, returns WQ_ERR_PARSE (or WQ_ERR_INVALID for no image kind)
 * with *image NULL and problem saying why. */
enum wq_err wq_image_decode(const void *bytes, size_t len,
			    struct wq_image **image,
			    struct wq_media_problem *problem);

/* Kind, dimensions (from the header: no pixels are decoded), EXIF
 * capture time and camera, a PDF's page count and creation date. */
enum wq_err wq_media_info_read(const void *bytes, size_t len,
			       struct wq_media_info *info,
			       struct wq_media_problem *problem);

/* Whether the file's date (a photo's capture time, else a PDF's creation
 * date) contradicts the case: a photo of the goods or an appraisal
 * report made before the order date ("YYYY-MM-DD"), or dated after
 * today.  False when either date is missing or unreadable. */
bool wq_media_taken_before(const struct wq_media_info *info,
			   const char *order_date);
bool wq_media_taken_after(const struct wq_media_info *info, const char *today);

/* An opened PDF; the bytes must outlive it. */
struct wq_pdf;

enum wq_err wq_pdf_open(const void *bytes, size_t len, struct wq_pdf **pdf,
			struct wq_media_problem *problem);
void wq_pdf_free(struct wq_pdf **pdf);
int wq_pdf_pages(const struct wq_pdf *pdf);
/* The text of one page (0-based), UTF-8, malloc'd; "" for a page with no
 * text layer (a scan). */
enum wq_err wq_pdf_page_text(struct wq_pdf *pdf, int page, char **text);
/* One page as pixels, white behind, scaled to at most
 * WQ_MEDIA_VIEW_PIXELS. */
enum wq_err wq_pdf_page_image(struct wq_pdf *pdf, int page,
			      struct wq_image **image,
			      struct wq_media_problem *problem);
/* The same within max_pixels (at most WQ_MEDIA_MAX_PIXELS), up to 4
 * pixels a point: what text recognition reads a scanned page from; *dpi
 * (when not NULL) the resolution it was drawn at. */
enum wq_err wq_pdf_page_render(struct wq_pdf *pdf, int page, long max_pixels,
			       struct wq_image **image, int *dpi,
			       struct wq_media_problem *problem);
/* "poppler 22.12.0": what reads a PDF's own text. */
const char *wq_pdf_engine(void);

#endif
