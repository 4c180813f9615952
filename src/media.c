/* Pictures and PDFs among the evidence, decoded with bounds (media.h). */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <setjmp.h>

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libexif/exif-data.h>
#include <libheif/heif.h>
#include <png.h>
#include <poppler.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include "util.h"
#include "weiquan/media.h"

/* The MIME type of the one gdk-pixbuf loader allowed for a kind: never
 * the loader gdk-pixbuf would guess, so a file cannot reach the SVG, TGA
 * or ICO decoders by its content.  (By type, not by name: the HEIF
 * loader's name has changed between versions.) */
static const char *loader_type(enum wq_media_kind kind)
{
	switch (kind) {
	case WQ_MEDIA_PNG:
		return "image/png";
	case WQ_MEDIA_JPEG:
		return "image/jpeg";
	case WQ_MEDIA_GIF:
		return "image/gif";
	case WQ_MEDIA_WEBP:
		return "image/webp";
	case WQ_MEDIA_HEIC:
		return "image/heic";
	default:
		return NULL;
	}
}

static long pixel_limit(enum wq_media_kind kind)
{
	return kind == WQ_MEDIA_JPEG ? WQ_MEDIA_MAX_JPEG_PIXELS
				     : WQ_MEDIA_MAX_PIXELS;
}

/* The decoders' own warnings would go to stderr, the user's terminal,
 * and may quote the file: the reason reaches the user through
 * struct wq_media_problem instead. */
static void quiet_log(const gchar *domain, GLogLevelFlags level,
		      const gchar *message, gpointer data)
{
	(void)domain;
	(void)level;
	(void)message;
	(void)data;
}

static void quiet_once(void)
{
	static bool done;

	if (!done) {
		g_log_set_default_handler(quiet_log, NULL);
		done = true;
	}
}

static void set_problem(struct wq_media_problem *problem, enum wq_media_why why,
			const char *detail)
{
	problem->why = why;
	snprintf(problem->detail, sizeof(problem->detail), "%s",
		 detail ? detail : "");
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct loading {
	enum wq_media_kind kind;
	bool info_only;
	bool refused;
	long width, height;
	int rows_drawn; /* the lowest row the decoder filled in */
	int rows_read;	/* rows_drawn when the bytes ran out */
};

/* Called by the decoder once the header gives the size, before any pixel
 * is allocated: a 0x0 request is the loaders' convention for "stop here"
 * (gdk_pixbuf_get_file_info uses it). */
static void on_size_prepared(GdkPixbufLoader *loader, gint width, gint height,
			     gpointer data)
{
	struct loading *l = data;
	double pixels = (double)width * (double)height;

	l->width = width;
	l->height = height;
	if (l->info_only || width <= 0 || height <= 0 ||
	    pixels > (double)pixel_limit(l->kind)) {
		l->refused = !l->info_only;
		gdk_pixbuf_loader_set_size(loader, 0, 0);
		return;
	}
	if (pixels > (double)WQ_MEDIA_VIEW_PIXELS) {
		double scale = sqrt((double)WQ_MEDIA_VIEW_PIXELS / pixels);
		int w = (int)(width * scale), h = (int)(height * scale);

		gdk_pixbuf_loader_set_size(loader, w > 0 ? w : 1,
					   h > 0 ? h : 1);
	}
}

/* A decoder that reads at its own scale reports the rows it fills in;
 * one that gdk-pixbuf scales afterwards reports none. */
static void on_area_updated(GdkPixbufLoader *loader, gint x, gint y, gint width,
			    gint height, gpointer data)
{
	struct loading *l = data;

	(void)loader;
	(void)x;
	(void)width;
	if (y + height > l->rows_drawn)
		l->rows_drawn = y + height;
}

static long be32(const unsigned char *b)
{
	return (long)((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		      (uint32_t)b[2] << 8 | b[3]);
}

/* The size the file's header claims, read without decoding: some of
 * gdk-pixbuf's loaders (WebP's, HEIF's) allocate the whole canvas or
 * decode the whole picture before asking for a size, so the limit is
 * applied here first.  False when the header can't be read: for WebP
 * and HEIC that is a damaged file, since their loaders read the same
 * headers through the same libraries. */
static bool claimed_size(const unsigned char *b, size_t len,
			 enum wq_media_kind kind, long *width, long *height)
{
	*width = *height = 0;
	switch (kind) {
	case WQ_MEDIA_PNG:
		if (len < 24 || memcmp(b + 12, "IHDR", 4) != 0)
			return false;
		*width = be32(b + 16);
		*height = be32(b + 20);
		return true;
	case WQ_MEDIA_GIF:
		if (len < 10)
			return false;
		*width = b[6] | b[7] << 8;
		*height = b[8] | b[9] << 8;
		return true;
	case WQ_MEDIA_WEBP: {
		WebPBitstreamFeatures features;

		/* An extended file's canvas, which is what gets allocated,
		 * whatever the frames inside say. */
		if (len >= 30 && memcmp(b + 12, "VP8X", 4) == 0) {
			*width = 1 + (b[24] | b[25] << 8 | (long)b[26] << 16);
			*height = 1 + (b[27] | b[28] << 8 | (long)b[29] << 16);
			return true;
		}
		if (WebPGetFeatures(b, len, &features) != VP8_STATUS_OK)
			return false;
		*width = features.width;
		*height = features.height;
		return true;
	}
	case WQ_MEDIA_HEIC: {
		struct heif_context *ctx = heif_context_alloc();
		struct heif_image_handle *handle = NULL;
		bool known = false;

		if (!ctx)
			return false;
		if (heif_context_read_from_memory_without_copy(ctx, b, len,
							       NULL)
			    .code == heif_error_Ok &&
		    heif_context_get_primary_image_handle(ctx, &handle).code ==
			heif_error_Ok) {
			*width = heif_image_handle_get_width(handle);
			*height = heif_image_handle_get_height(handle);
			known = true;
		}
		if (handle)
			heif_image_handle_release(handle);
		heif_context_free(ctx);
		return known;
	}
	default:
		return false;
	}
}

/* Feeds the bytes to the kind's loader in pieces, giving up past the
 * size limit or the time limit.  Returns the loader, closed, or NULL
 * with the problem set. */
static GdkPixbufLoader *load(const void *bytes, size_t len, struct loading *l,
			     struct wq_media_problem *problem)
{
	const size_t piece = 64 * 1024;
	const unsigned char *b = bytes;
	double deadline = now_seconds() + WQ_MEDIA_MAX_SECONDS;
	GdkPixbufLoader *loader;
	GError *error = NULL;
	bool ok = true;

	quiet_once();
	l->kind = wq_media_sniff(bytes, len);
	if (!loader_type(l->kind)) {
		set_problem(problem, WQ_MEDIA_UNSUPPORTED, N_("not an image"));
		return NULL;
	}
	if (claimed_size(b, len, l->kind, &l->width, &l->height)) {
		if (l->info_only && l->width > 0 && l->height > 0) {
			problem->width = l->width;
			problem->height = l->height;
			problem->why = WQ_MEDIA_OK;
			return NULL;
		}
		if (l->width <= 0 || l->height <= 0 ||
		    (double)l->width * (double)l->height >
			(double)pixel_limit(l->kind)) {
			problem->width = l->width;
			problem->height = l->height;
			problem->limit = pixel_limit(l->kind);
			set_problem(problem,
				    l->width > 0 && l->height > 0
					? WQ_MEDIA_TOO_LARGE
					: WQ_MEDIA_EMPTY,
				    NULL);
			return NULL;
		}
	} else if (l->kind == WQ_MEDIA_WEBP || l->kind == WQ_MEDIA_HEIC) {
		set_problem(problem, WQ_MEDIA_DAMAGED, N_("unreadable header"));
		return NULL;
	}
	loader =
	    gdk_pixbuf_loader_new_with_mime_type(loader_type(l->kind), &error);
	if (!loader) {
		set_problem(problem, WQ_MEDIA_UNSUPPORTED,
			    error ? error->message : NULL);
		g_clear_error(&error);
		return NULL;
	}
	g_signal_connect(loader, "size-prepared", G_CALLBACK(on_size_prepared),
			 l);
	g_signal_connect(loader, "area-updated", G_CALLBACK(on_area_updated),
			 l);
	for (size_t at = 0; at < len && ok; at += piece) {
		size_t n = len - at < piece ? len - at : piece;

		ok = gdk_pixbuf_loader_write(loader, b + at, n, &error);
		if (l->refused || (l->info_only && l->width > 0))
			break;
		if (ok && now_seconds() > deadline) {
			problem->width = l->width;
			problem->height = l->height;
			set_problem(problem, WQ_MEDIA_TOO_SLOW, NULL);
			gdk_pixbuf_loader_close(loader, NULL);
			g_object_unref(loader);
			return NULL;
		}
	}
	/* Closing a cut JPEG fills in the missing rows and calls it a
	 * success: what the bytes gave is known before that. */
	l->rows_read = l->rows_drawn;
	if (ok && !l->refused && !(l->info_only && l->width > 0))
		ok = gdk_pixbuf_loader_close(loader, &error);
	else
		gdk_pixbuf_loader_close(loader, NULL);
	problem->width = l->width;
	problem->height = l->height;
	problem->limit = pixel_limit(l->kind);
	if (l->refused) {
		set_problem(problem,
			    l->width > 0 && l->height > 0 ? WQ_MEDIA_TOO_LARGE
							  : WQ_MEDIA_EMPTY,
			    NULL);
	} else if (l->info_only && l->width > 0) {
		problem->why = WQ_MEDIA_OK;
	} else if (!ok) {
		set_problem(problem, WQ_MEDIA_DAMAGED,
			    error ? error->message : NULL);
	} else {
		problem->why = WQ_MEDIA_OK;
	}
	g_clear_error(&error);
	if (problem->why != WQ_MEDIA_OK) {
		g_object_unref(loader);
		return NULL;
	}
	return loader;
}

static struct wq_image *image_from_pixbuf(GdkPixbuf *pixbuf)
{
	int w = gdk_pixbuf_get_width(pixbuf);
	int h = gdk_pixbuf_get_height(pixbuf);
	int channels = gdk_pixbuf_get_n_channels(pixbuf);
	int stride = gdk_pixbuf_get_rowstride(pixbuf);
	const guchar *src = gdk_pixbuf_read_pixels(pixbuf);
	struct wq_image *image;

	if (w <= 0 || h <= 0 || gdk_pixbuf_get_bits_per_sample(pixbuf) != 8 ||
	    (channels != 3 && channels != 4))
		return NULL;
	image = wq_xcalloc(1, sizeof(*image));
	image->width = w;
	image->height = h;
	image->stride = w * 4;
	image->rgba = wq_xmalloc((size_t)image->stride * (size_t)h);
	for (int y = 0; y < h; y++) {
		const guchar *s = src + (size_t)y * (size_t)stride;
		unsigned char *d = image->rgba + (size_t)y * image->stride;

		for (int x = 0; x < w; x++, s += channels, d += 4) {
			d[0] = s[0];
			d[1] = s[1];
			d[2] = s[2];
			d[3] = channels == 4 ? s[3] : 255;
		}
	}
	return image;
}

enum wq_err wq_image_decode(const void *bytes, size_t len,
			    struct wq_image **image,
			    struct wq_media_problem *problem)
{
	struct loading l = {0};
	GdkPixbufLoader *loader;
	GdkPixbuf *pixbuf, *turned;

	*image = NULL;
	memset(problem, 0, sizeof(*problem));
	loader = load(bytes, len, &l, problem);
	if (!loader)
		return problem->why == WQ_MEDIA_UNSUPPORTED &&
			       l.kind == WQ_MEDIA_NONE
			   ? wq_fail(WQ_ERR_INVALID, N_("not an image"))
			   : wq_fail(WQ_ERR_PARSE, N_("image: %s"),
				     wq_text(problem->detail));
	pixbuf = gdk_pixbuf_loader_get_pixbuf(loader);
	if (!pixbuf) {
		set_problem(problem, WQ_MEDIA_DAMAGED,
			    N_("no picture in the file"));
		g_object_unref(loader);
		return wq_fail(WQ_ERR_PARSE, N_("image: no picture"));
	}
	/* A phone stores a photo as the sensor saw it and says in EXIF how
	 * to turn it. */
	problem->incomplete =
	    l.rows_drawn > 0 && l.rows_read < gdk_pixbuf_get_height(pixbuf);
	turned = gdk_pixbuf_apply_embedded_orientation(pixbuf);
	*image = image_from_pixbuf(turned ? turned : pixbuf);
	if (turned)
		g_object_unref(turned);
	g_object_unref(loader);
	if (!*image) {
		set_problem(problem, WQ_MEDIA_UNSUPPORTED, N_("pixel format"));
		return wq_fail(WQ_ERR_PARSE, N_("image: pixel format"));
	}
	return WQ_ERR_OK;
}

/* An EXIF time "YYYY:MM:DD HH:MM:SS" as "YYYY-MM-DD HH:MM:SS", or false
 * for anything else (cameras without a clock write blanks or zeros). */
static bool exif_time(const char *v, char out[20])
{
	static const char shape[] = "dddd:dd:dd dd:dd:dd";

	if (strlen(v) < sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? (v[i] < '0' || v[i] > '9')
				    : v[i] != shape[i])
			return false;
	}
	if (strncmp(v, "0000", 4) == 0)
		return false;
	memcpy(out, v, 19);
	out[4] = out[7] = '-';
	out[19] = '\0';
	return true;
}

static void exif_string(ExifData *ed, ExifIfd ifd, ExifTag tag, char *out,
			size_t size)
{
	ExifEntry *e = exif_content_get_entry(ed->ifd[ifd], tag);
	size_t n;

	out[0] = '\0';
	if (!e)
		return;
	exif_entry_get_value(e, out, (unsigned)size);
	out[size - 1] = '\0';
	for (n = strlen(out); n > 0 && out[n - 1] == ' '; n--)
		out[n - 1] = '\0';
}

/* Capture time and camera from EXIF data that libexif finds: a JPEG
 * file, or a block that starts "Exif\0\0". */
static void exif_fields(const void *bytes, size_t len,
			struct wq_media_info *info)
{
	ExifData *ed;
	char value[128], make[64], model[64];

	if (len > UINT32_MAX)
		return;
	ed = exif_data_new_from_data(bytes, (unsigned)len);
	if (!ed)
		return;
	exif_string(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, value,
		    sizeof(value));
	if (!exif_time(value, info->taken)) {
		exif_string(ed, EXIF_IFD_0, EXIF_TAG_DATE_TIME, value,
			    sizeof(value));
		if (!exif_time(value, info->taken))
			info->taken[0] = '\0';
	}
	exif_string(ed, EXIF_IFD_0, EXIF_TAG_MAKE, make, sizeof(make));
	exif_string(ed, EXIF_IFD_0, EXIF_TAG_MODEL, model, sizeof(model));
	/* Models often repeat the make ("Canon" "Canon EOS 80D"). */
	if (*make && strncmp(model, make, strlen(make)) != 0)
		snprintf(info->camera, sizeof(info->camera), "%s %s", make,
			 model);
	else
		snprintf(info->camera, sizeof(info->camera), "%s", model);
	exif_data_unref(ed);
}

/* The EXIF block PNG, WebP and HEIC carry is the TIFF structure alone
 * (some writers keep the "Exif\0\0" that JPEG puts before it): libexif
 * reads it with that header in front. */
static void exif_block(const unsigned char *block, size_t len,
		       struct wq_media_info *info)
{
	static const char header[6] = "Exif\0\0";
	unsigned char *framed;

	if (len < 8 || len > WQ_MEDIA_MAX_EXIF)
		return;
	if (memcmp(block, header, sizeof(header)) == 0) {
		exif_fields(block, len, info);
		return;
	}
	framed = wq_xmalloc(len + sizeof(header));
	memcpy(framed, header, sizeof(header));
	memcpy(framed + sizeof(header), block, len);
	exif_fields(framed, len + sizeof(header), info);
	free(framed);
}

/* HEIC: libheif's metadata block of the primary image, which starts with
 * the offset of the TIFF header within the rest. */
static void heic_exif(const void *bytes, size_t len, struct wq_media_info *info)
{
	struct heif_context *ctx = heif_context_alloc();
	struct heif_image_handle *handle = NULL;
	heif_item_id id;
	struct heif_error error;

	if (!ctx)
		return;
	error = heif_context_read_from_memory_without_copy(ctx, bytes, len,
							    NULL);
	if (error.code == heif_error_Ok)
		error = heif_context_get_primary_image_handle(ctx, &handle);
	if (error.code == heif_error_Ok &&
	    heif_image_handle_get_list_of_metadata_block_IDs(handle, "Exif",
							     &id, 1) == 1) {
		size_t n = heif_image_handle_get_metadata_size(handle, id);

		if (n > 4 && n <= WQ_MEDIA_MAX_EXIF) {
			unsigned char *block = wq_xmalloc(n);
			uint32_t skip;

			error = heif_image_handle_get_metadata(handle, id,
							       block);
			skip = (uint32_t)block[0] << 24 |
			       (uint32_t)block[1] << 16 |
			       (uint32_t)block[2] << 8 | block[3];
			if (error.code == heif_error_Ok && skip < n - 4)
				exif_block(block + 4 + skip, n - 4 - skip,
					   info);
			free(block);
		}
	}
	if (handle)
		heif_image_handle_release(handle);
	heif_context_free(ctx);
}

/* WebP: the EXIF chunk of an extended (VP8X) file, through libwebp's
 * demuxer, which checks the RIFF structure. */
static void webp_exif(const void *bytes, size_t len, struct wq_media_info *info)
{
	WebPData data = {bytes, len};
	WebPDemuxer *demux = WebPDemux(&data);
	WebPChunkIterator chunk;

	if (!demux)
		return;
	if (WebPDemuxGetChunk(demux, "EXIF", 1, &chunk)) {
		exif_block(chunk.chunk.bytes, chunk.chunk.size, info);
		WebPDemuxReleaseChunkIterator(&chunk);
	}
	WebPDemuxDelete(demux);
}

struct png_source {
	const unsigned char *bytes;
	size_t len, at;
};

static void png_from_memory(png_structp png, png_bytep out, size_t n)
{
	struct png_source *src = png_get_io_ptr(png);

	if (n > src->len - src->at)
		png_error(png, "cut short");
	memcpy(out, src->bytes + src->at, n);
	src->at += n;
}

/* libpng's own messages would go to stderr, the user's terminal. */
static void png_quiet_error(png_structp png, png_const_charp message)
{
	(void)message;
	png_longjmp(png, 1);
}

static void png_quiet_warning(png_structp png, png_const_charp message)
{
	(void)png;
	(void)message;
}

/* PNG: the eXIf chunk, read by libpng with the chunks before the image
 * data (where writers put it); no pixel is decoded. */
static void png_exif(const void *bytes, size_t len, struct wq_media_info *info)
{
	struct png_source src = {bytes, len, 0};
	png_structp png = png_create_read_struct(
	    PNG_LIBPNG_VER_STRING, NULL, png_quiet_error, png_quiet_warning);
	png_infop header = png ? png_create_info_struct(png) : NULL;
	png_uint_32 n = 0;
	png_bytep exif = NULL;

	if (!header) {
		png_destroy_read_struct(&png, NULL, NULL);
		return;
	}
	if (setjmp(png_jmpbuf(png)) == 0) {
		png_set_read_fn(png, &src, png_from_memory);
		png_set_chunk_malloc_max(png, WQ_MEDIA_MAX_EXIF);
		png_read_info(png, header);
		if (png_get_eXIf_1(png, header, &n, &exif) && exif)
			exif_block(exif, n, info);
	}
	png_destroy_read_struct(&png, &header, NULL);
}

static void read_exif(const void *bytes, size_t len, struct wq_media_info *info)
{
	switch (info->kind) {
	case WQ_MEDIA_JPEG:
		exif_fields(bytes, len, info);
		break;
	case WQ_MEDIA_PNG:
		png_exif(bytes, len, info);
		break;
	case WQ_MEDIA_WEBP:
		webp_exif(bytes, len, info);
		break;
	case WQ_MEDIA_HEIC:
		heic_exif(bytes, len, info);
		break;
	default:
		break;
	}
}

static void pdf_created(struct wq_pdf *pdf, char out[20]);

enum wq_err wq_media_info_read(const void *bytes, size_t len,
			       struct wq_media_info *info,
			       struct wq_media_problem *problem)
{
	struct loading l = {.info_only = true};
	GdkPixbufLoader *loader;
	struct wq_pdf *pdf;

	memset(info, 0, sizeof(*info));
	memset(problem, 0, sizeof(*problem));
	info->kind = wq_media_sniff(bytes, len);
	if (info->kind == WQ_MEDIA_NONE) {
		set_problem(problem, WQ_MEDIA_UNSUPPORTED, N_("not an image"));
		return wq_fail(WQ_ERR_INVALID, N_("not an image or PDF"));
	}
	if (info->kind == WQ_MEDIA_PDF) {
		if (wq_pdf_open(bytes, len, &pdf, problem))
			return WQ_ERR_PARSE;
		info->pages = wq_pdf_pages(pdf);
		pdf_created(pdf, info->created);
		wq_pdf_free(&pdf);
		return WQ_ERR_OK;
	}
	loader = load(bytes, len, &l, problem);
	if (loader)
		g_object_unref(loader);
	info->width = l.width;
	info->height = l.height;
	read_exif(bytes, len, info);
	if (problem->why != WQ_MEDIA_OK)
		return wq_fail(WQ_ERR_PARSE, N_("image: %s"),
			       wq_text(problem->detail));
	return WQ_ERR_OK;
}

struct wq_pdf {
	GBytes *bytes;
	PopplerDocument *doc;
	int pages;
};

enum wq_err wq_pdf_open(const void *bytes, size_t len, struct wq_pdf **pdf,
			struct wq_media_problem *problem)
{
	GError *error = NULL;
	struct wq_pdf *p;

	*pdf = NULL;
	memset(problem, 0, sizeof(*problem));
	quiet_once();
	if (wq_media_sniff(bytes, len) != WQ_MEDIA_PDF) {
		set_problem(problem, WQ_MEDIA_UNSUPPORTED, N_("not a PDF"));
		return wq_fail(WQ_ERR_INVALID, N_("not a PDF"));
	}
	p = wq_xcalloc(1, sizeof(*p));
	p->bytes = g_bytes_new_static(bytes, len);
	p->doc = poppler_document_new_from_bytes(p->bytes, NULL, &error);
	if (!p->doc) {
		set_problem(problem,
			    error && error->domain == POPPLER_ERROR &&
				    error->code == POPPLER_ERROR_ENCRYPTED
				? WQ_MEDIA_LOCKED
				: WQ_MEDIA_DAMAGED,
			    error ? error->message : NULL);
		g_clear_error(&error);
		wq_pdf_free(&p);
		return wq_fail(WQ_ERR_PARSE, N_("PDF: %s"),
			       wq_text(problem->detail));
	}
	p->pages = poppler_document_get_n_pages(p->doc);
	if (p->pages <= 0) {
		set_problem(problem, WQ_MEDIA_EMPTY, N_("no pages"));
		wq_pdf_free(&p);
		return wq_fail(WQ_ERR_PARSE, N_("PDF: no pages"));
	}
	*pdf = p;
	return WQ_ERR_OK;
}

/* The creation date the PDF's metadata claims, in local time. */
static void pdf_created(struct wq_pdf *pdf, char out[20])
{
	GDateTime *at = poppler_document_get_creation_date_time(pdf->doc);
	GDateTime *local;
	gchar *text;

	out[0] = '\0';
	if (!at)
		return;
	local = g_date_time_to_local(at);
	text = local ? g_date_time_format(local, "%Y-%m-%d %H:%M:%S") : NULL;
	if (text && strlen(text) == 19)
		memcpy(out, text, 20);
	g_free(text);
	if (local)
		g_date_time_unref(local);
	g_date_time_unref(at);
}

void wq_pdf_free(struct wq_pdf **pdf)
{
	if (!*pdf)
		return;
	if ((*pdf)->doc)
		g_object_unref((*pdf)->doc);
	g_bytes_unref((*pdf)->bytes);
	free(*pdf);
	*pdf = NULL;
}

int wq_pdf_pages(const struct wq_pdf *pdf)
{
	return pdf->pages;
}

enum wq_err wq_pdf_page_text(struct wq_pdf *pdf, int page, char **text)
{
	PopplerPage *p;
	char *t;

	*text = NULL;
	if (page < 0 || page >= pdf->pages)
		return wq_fail(WQ_ERR_NOT_FOUND, N_("no page %d"), page + 1);
	p = poppler_document_get_page(pdf->doc, page);
	if (!p)
		return wq_fail(WQ_ERR_PARSE, N_("page %d unreadable"),
			       page + 1);
	t = poppler_page_get_text(p);
	*text = wq_strdup(t ? t : "");
	g_free(t);
	g_object_unref(p);
	return WQ_ERR_OK;
}

const char *wq_pdf_engine(void)
{
	static char engine[64];

	if (!engine[0])
		snprintf(engine, sizeof(engine), "poppler %s",
			 poppler_get_version());
	return engine;
}

enum wq_err wq_pdf_page_image(struct wq_pdf *pdf, int page,
			      struct wq_image **image,
			      struct wq_media_problem *problem)
{
	return wq_pdf_page_render(pdf, page, WQ_MEDIA_VIEW_PIXELS, image, NULL,
				  problem);
}

enum wq_err wq_pdf_page_render(struct wq_pdf *pdf, int page, long max_pixels,
			       struct wq_image **image, int *dpi,
			       struct wq_media_problem *problem)
{
	PopplerPage *p;
	double wpt = 0, hpt = 0, scale;
	int w, h, stride;
	cairo_surface_t *surface;
	cairo_t *cr;
	const unsigned char *src;
	struct wq_image *img;

	*image = NULL;
	memset(problem, 0, sizeof(*problem));
	if (page < 0 || page >= pdf->pages)
		return wq_fail(WQ_ERR_NOT_FOUND, N_("no page %d"), page + 1);
	p = poppler_document_get_page(pdf->doc, page);
	if (!p) {
		set_problem(problem, WQ_MEDIA_DAMAGED, N_("unreadable page"));
		return wq_fail(WQ_ERR_PARSE, N_("page %d unreadable"),
			       page + 1);
	}
	poppler_page_get_size(p, &wpt, &hpt);
	if (!isfinite(wpt) || !isfinite(hpt) || wpt < 1 || hpt < 1) {
		g_object_unref(p);
		set_problem(problem, WQ_MEDIA_EMPTY, N_("page has no size"));
		return wq_fail(WQ_ERR_PARSE, N_("page %d has no size"),
			       page + 1);
	}
	/* Whatever size the page claims, the surface stays within the
	 * budget; up to 4 pixels a point (288 dpi) for small pages. */
	if (max_pixels <= 0 || max_pixels > WQ_MEDIA_MAX_PIXELS)
		max_pixels = WQ_MEDIA_MAX_PIXELS;
	scale = sqrt((double)max_pixels / (wpt * hpt));
	if (scale > 4)
		scale = 4;
	if (dpi)
		*dpi = (int)(scale * 72 + 0.5);
	w = (int)(wpt * scale);
	h = (int)(hpt * scale);
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surface);
		g_object_unref(p);
		set_problem(problem, WQ_MEDIA_TOO_LARGE, NULL);
		return wq_fail(WQ_ERR_PARSE, N_("page %d too large"), page + 1);
	}
	cr = cairo_create(surface);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	poppler_page_render(p, cr);
	cairo_destroy(cr);
	g_object_unref(p);
	cairo_surface_flush(surface);
	src = cairo_image_surface_get_data(surface);
	stride = cairo_image_surface_get_stride(surface);
	img = wq_xcalloc(1, sizeof(*img));
	img->width = w;
	img->height = h;
	img->stride = w * 4;
	img->rgba = wq_xmalloc((size_t)img->stride * (size_t)h);
	/* Cairo's pixels are native-endian 0xAARRGGBB words, opaque here
	 * (painted white first), so premultiplying changed nothing. */
	for (int y = 0; y < h; y++) {
		const uint32_t *s =
		    (const uint32_t *)(src + (size_t)y * (size_t)stride);
		unsigned char *d = img->rgba + (size_t)y * img->stride;

		for (int x = 0; x < w; x++, d += 4) {
			d[0] = (unsigned char)(s[x] >> 16);
			d[1] = (unsigned char)(s[x] >> 8);
			d[2] = (unsigned char)s[x];
			d[3] = 255;
		}
	}
	cairo_surface_destroy(surface);
	*image = img;
	return WQ_ERR_OK;
}

/* Linked in here (the unit tests, benchmarks and fuzz targets): nothing
 * to load. */
void wq_media_preload(void)
{
}
