/* Sample pictures and PDFs for the tests (samples.h). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libexif/exif-data.h>

#include "tests/media/samples.h"

static void *must(void *p)
{
	if (!p) {
		fprintf(stderr, "samples: out of memory\n");
		abort();
	}
	return p;
}

struct sample sample_picture(int width, int height, const char *format)
{
	GdkPixbuf *pb =
	    gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, width, height);
	int stride = gdk_pixbuf_get_rowstride(pb);
	guchar *px = gdk_pixbuf_get_pixels(pb);
	gchar *buf = NULL;
	gsize len = 0;
	struct sample s;

	for (int y = 0; y < height; y++) {
		for (int x = 0; x < width; x++) {
			guchar *p = px + (size_t)y * stride + (size_t)x * 3;
			int square = x > width / 3 && x < 2 * width / 3 &&
				     y > height / 3 && y < 2 * height / 3;

			p[0] = square || x < width / 2 ? 255 : 0;
			p[1] = square ? 255 : 0;
			p[2] = square || x >= width / 2 ? 255 : 0;
		}
	}
	if (!gdk_pixbuf_save_to_buffer(pb, &buf, &len, format, NULL, NULL)) {
		fprintf(stderr, "samples: cannot write %s\n", format);
		abort();
	}
	g_object_unref(pb);
	s.bytes = must(malloc(len));
	memcpy(s.bytes, buf, len);
	s.len = len;
	g_free(buf);
	return s;
}

static void ascii_entry(ExifData *ed, ExifMem *mem, ExifIfd ifd, ExifTag tag,
			const char *value)
{
	ExifEntry *e = exif_entry_new_mem(mem);
	size_t n = strlen(value) + 1;

	e->tag = tag;
	e->format = EXIF_FORMAT_ASCII;
	e->components = n;
	e->size = (unsigned)n;
	e->data = must(exif_mem_alloc(mem, (ExifLong)n));
	memcpy(e->data, value, n);
	exif_content_add_entry(ed->ifd[ifd], e);
	exif_entry_unref(e);
}

/* An EXIF block as a JPEG's APP1 holds it: "Exif\0\0", then TIFF. */
static struct sample exif_of(const char *taken, const char *make,
			     const char *model)
{
	ExifMem *mem = exif_mem_new_default();
	ExifData *ed = exif_data_new_mem(mem);
	unsigned char *exif = NULL;
	unsigned int exif_len = 0;
	struct sample s;

	exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
	ascii_entry(ed, mem, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, taken);
	ascii_entry(ed, mem, EXIF_IFD_0, EXIF_TAG_MAKE, make);
	ascii_entry(ed, mem, EXIF_IFD_0, EXIF_TAG_MODEL, model);
	exif_data_save_data(ed, &exif, &exif_len);
	exif_data_unref(ed);
	exif_mem_unref(mem);
	if (!exif || exif_len + 2 > 0xffff || exif_len < 6) {
		fprintf(stderr, "samples: cannot make EXIF\n");
		abort();
	}
	s.bytes = exif;
	s.len = exif_len;
	return s;
}

struct sample sample_photo(int width, int height, const char *taken,
			   const char *make, const char *model)
{
	struct sample jpeg = sample_picture(width, height, "jpeg"), s;
	struct sample exif = exif_of(taken, make, model);
	size_t app1;

	/* SOI, then the APP1 segment, then the rest of the JPEG. */
	app1 = 4 + exif.len;
	s.len = jpeg.len + app1;
	s.bytes = must(malloc(s.len));
	memcpy(s.bytes, jpeg.bytes, 2);
	s.bytes[2] = 0xff;
	s.bytes[3] = 0xe1;
	s.bytes[4] = (unsigned char)((exif.len + 2) >> 8);
	s.bytes[5] = (unsigned char)(exif.len + 2);
	memcpy(s.bytes + 6, exif.bytes, exif.len);
	memcpy(s.bytes + 2 + app1, jpeg.bytes + 2, jpeg.len - 2);
	sample_free(&exif);
	sample_free(&jpeg);
	return s;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffu;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Appends a chunk (length, type, data, CRC) at p; returns its size. */
static size_t chunk(unsigned char *p, const char *type,
		    const unsigned char *data, uint32_t n)
{
	put32(p, n);
	memcpy(p + 4, type, 4);
	if (n)
		memcpy(p + 8, data, n);
	put32(p + 8 + n, crc32_of(p + 4, 4 + (size_t)n));
	return 12 + (size_t)n;
}

static void put32le(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

struct sample sample_webp_header(unsigned width, unsigned height)
{
	struct sample plain = sample_picture(1, 1, "webp"), s;
	size_t image = plain.len - 12;

	s.len = 12 + 18 + image;
	s.bytes = must(calloc(1, s.len));
	memcpy(s.bytes, "RIFF", 4);
	put32le(s.bytes + 4, (uint32_t)(s.len - 8));
	memcpy(s.bytes + 8, "WEBPVP8X", 8);
	put32le(s.bytes + 16, 10);
	put32le(s.bytes + 24, width - 1);
	put32le(s.bytes + 27, height - 1);
	memcpy(s.bytes + 30, plain.bytes + 12, image);
	sample_free(&plain);
	return s;
}

/* PNG: an eXIf chunk (the TIFF structure alone) right after IHDR.
 * WebP: the simple file's image chunk behind a VP8X header that flags
 * EXIF, then an EXIF chunk. */
struct sample sample_photo_as(const char *format, int width, int height,
			      const char *taken, const char *make,
			      const char *model)
{
	struct sample plain = sample_picture(width, height, format), s;
	struct sample exif = exif_of(taken, make, model);
	const unsigned char *tiff = exif.bytes + 6;
	uint32_t tiff_len = (uint32_t)exif.len - 6;
	size_t at;

	if (strcmp(format, "png") == 0) {
		s.bytes = must(malloc(plain.len + 12 + tiff_len));
		at = 8 + 25; /* signature and IHDR */
		memcpy(s.bytes, plain.bytes, at);
		at += chunk(s.bytes + at, "eXIf", tiff, tiff_len);
		memcpy(s.bytes + at, plain.bytes + 33, plain.len - 33);
		s.len = at + plain.len - 33;
	} else {
		size_t image = plain.len - 12, pad = tiff_len & 1;

		s.len = 12 + 18 + image + 8 + tiff_len + pad;
		s.bytes = must(calloc(1, s.len));
		memcpy(s.bytes, "RIFF", 4);
		put32le(s.bytes + 4, (uint32_t)(s.len - 8));
		memcpy(s.bytes + 8, "WEBPVP8X", 8);
		put32le(s.bytes + 16, 10);
		s.bytes[20] = 0x08; /* EXIF present */
		put32le(s.bytes + 24, (uint32_t)(width - 1));
		put32le(s.bytes + 27, (uint32_t)(height - 1));
		memcpy(s.bytes + 30, plain.bytes + 12, image);
		at = 30 + image;
		memcpy(s.bytes + at, "EXIF", 4);
		put32le(s.bytes + at + 4, tiff_len);
		memcpy(s.bytes + at + 8, tiff, tiff_len);
	}
	sample_free(&exif);
	sample_free(&plain);
	return s;
}

struct sample sample_png_header(unsigned width, unsigned height)
{
	/* A zlib stream of one filter byte and one black RGB pixel. */
	static const unsigned char idat[] = {0x78, 0x9c, 0x63, 0x60,
					     0x60, 0x60, 0x00, 0x00,
					     0x00, 0x04, 0x00, 0x01};
	unsigned char ihdr[13];
	struct sample s;
	size_t at = 8;

	put32(ihdr, width);
	put32(ihdr + 4, height);
	ihdr[8] = 8;  /* bits */
	ihdr[9] = 2;  /* RGB */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filters */
	ihdr[12] = 0; /* not interlaced */
	s.bytes = must(malloc(8 + 25 + 12 + sizeof(idat) + 12));
	memcpy(s.bytes, "\x89PNG\r\n\x1a\n", 8);
	at += chunk(s.bytes + at, "IHDR", ihdr, sizeof(ihdr));
	at += chunk(s.bytes + at, "IDAT", idat, sizeof(idat));
	at += chunk(s.bytes + at, "IEND", NULL, 0);
	s.len = at;
	return s;
}

static cairo_status_t to_sample(void *closure, const unsigned char *data,
				unsigned int length)
{
	struct sample *s = closure;

	s->bytes = must(realloc(s->bytes, s->len + length));
	memcpy(s->bytes + s->len, data, length);
	s->len += length;
	return CAIRO_STATUS_SUCCESS;
}

struct sample sample_pdf(const char *const *lines, int pages,
			 const char *created)
{
	struct sample s = {0};
	cairo_surface_t *pdf =
	    cairo_pdf_surface_create_for_stream(to_sample, &s, 595, 842);
	cairo_t *cr = cairo_create(pdf);

	if (created)
		cairo_pdf_surface_set_metadata(
		    pdf, CAIRO_PDF_METADATA_CREATE_DATE, created);

	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 16);
	for (int i = 0; i < pages; i++) {
		/* A black band on top makes the page's picture tell. */
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_rectangle(cr, 0, 0, 595, 200);
		cairo_fill(cr);
		cairo_move_to(cr, 72, 300);
		cairo_show_text(cr, lines[i]);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(pdf);
	cairo_surface_destroy(pdf);
	return s;
}

struct sample sample_scanned_pdf(const char *const *lines, int pages)
{
	struct sample s = {0};
	cairo_surface_t *pdf =
	    cairo_pdf_surface_create_for_stream(to_sample, &s, 595, 842);
	cairo_t *cr = cairo_create(pdf);

	for (int i = 0; i < pages; i++) {
		/* The scanner's picture: A4 at 150 dpi, dark text on white. */
		cairo_surface_t *scan =
		    cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1240, 1754);
		cairo_t *sc = cairo_create(scan);

		cairo_set_source_rgb(sc, 1, 1, 1);
		cairo_paint(sc);
		cairo_set_source_rgb(sc, 0.1, 0.1, 0.1);
		cairo_select_font_face(sc, "Noto Sans CJK SC",
				       CAIRO_FONT_SLANT_NORMAL,
				       CAIRO_FONT_WEIGHT_NORMAL);
		cairo_set_font_size(sc, 40);
		cairo_move_to(sc, 120, 300);
		cairo_show_text(sc, lines[i]);
		cairo_destroy(sc);
		cairo_surface_flush(scan);
		cairo_save(cr);
		cairo_scale(cr, 595.0 / 1240, 842.0 / 1754);
		cairo_set_source_surface(cr, scan, 0, 0);
		cairo_paint(cr);
		cairo_restore(cr);
		cairo_surface_destroy(scan);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(pdf);
	cairo_surface_destroy(pdf);
	return s;
}

void sample_free(struct sample *s)
{
	free(s->bytes);
	s->bytes = NULL;
	s->len = 0;
}

int sample_write(const struct sample *s, const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	ok = fwrite(s->bytes, 1, s->len, f) == s->len;
	return fclose(f) == 0 && ok ? 0 : -1;
}
