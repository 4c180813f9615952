/* What of pictures, PDFs and text recognition needs none of their
 * libraries: a file's kind by its signature, the dates weighed against
 * the case, freeing pixels.  The rest (src/media.c, src/ocr.c,
 * src/document_pdf.c) is the media module, loaded on first use
 * (src/media_load.c). */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/media.h"
#include "weiquan/ocr.h"

static bool starts_with(const unsigned char *b, size_t len, const char *sig,
			size_t n)
{
	return len >= n && memcmp(b, sig, n) == 0;
}

enum wq_media_kind wq_media_sniff(const void *bytes, size_t len)
{
	const unsigned char *b = bytes;
	static const char *const heif_brands[] = {
	    "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"};

	if (!b)
		return WQ_MEDIA_NONE;
	if (starts_with(b, len, "\x89PNG\r\n\x1a\n", 8))
		return WQ_MEDIA_PNG;
	if (starts_with(b, len, "\xff\xd8\xff", 3))
		return WQ_MEDIA_JPEG;
	if (starts_with(b, len, "GIF87a", 6) ||
	    starts_with(b, len, "GIF89a", 6))
		return WQ_MEDIA_GIF;
	if (len >= 12 && memcmp(b, "RIFF", 4) == 0 &&
	    memcmp(b + 8, "WEBP", 4) == 0)
		return WQ_MEDIA_WEBP;
	if (len >= 12 && memcmp(b + 4, "ftyp", 4) == 0)
		for (size_t i = 0;
		     i < sizeof(heif_brands) / sizeof(*heif_brands); i++)
			if (memcmp(b + 8, heif_brands[i], 4) == 0)
				return WQ_MEDIA_HEIC;
	/* The PDF header may follow some junk within the first kilobyte. */
	for (size_t i = 0; i + 5 <= len && i < 1024; i++)
		if (memcmp(b + i, "%PDF-", 5) == 0)
			return WQ_MEDIA_PDF;
	return WQ_MEDIA_NONE;
}

const char *wq_media_kind_name(enum wq_media_kind kind)
{
	switch (kind) {
	case WQ_MEDIA_PNG:
		return "PNG";
	case WQ_MEDIA_JPEG:
		return "JPEG";
	case WQ_MEDIA_GIF:
		return "GIF";
	case WQ_MEDIA_WEBP:
		return "WebP";
	case WQ_MEDIA_HEIC:
		return "HEIC";
	case WQ_MEDIA_PDF:
		return "PDF";
	case WQ_MEDIA_NONE:
		break;
	}
	return "";
}

void wq_image_free(struct wq_image **image)
{
	if (!*image)
		return;
	free((*image)->rgba);
	free(*image);
	*image = NULL;
}

static bool is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";

	if (!s || strlen(s) < sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9')
				    : s[i] != shape[i])
			return false;
	return true;
}

static const char *file_date(const struct wq_media_info *info)
{
	return info->taken[0] ? info->taken : info->created;
}

bool wq_media_taken_before(const struct wq_media_info *info,
			   const char *order_date)
{
	return is_date(file_date(info)) && is_date(order_date) &&
	       strncmp(file_date(info), order_date, 10) < 0;
}

bool wq_media_taken_after(const struct wq_media_info *info, const char *today)
{
	return is_date(file_date(info)) && is_date(today) &&
	       strncmp(file_date(info), today, 10) > 0;
}

static bool at_offset(const void *bytes, size_t len, size_t at,
		      const char *magic, size_t n)
{
	return len >= at + n && memcmp((const char *)bytes + at, magic, n) == 0;
}

bool wq_ocr_is_image(const void *bytes, size_t len)
{
	return at_offset(bytes, len, 0, "\x89PNG\r\n\x1a\n", 8) ||
	       at_offset(bytes, len, 0, "\xff\xd8\xff", 3) ||
	       at_offset(bytes, len, 0, "GIF8", 4) ||
	       (at_offset(bytes, len, 0, "RIFF", 4) &&
		at_offset(bytes, len, 8, "WEBP", 4)) ||
	       at_offset(bytes, len, 0, "II*\0", 4) ||
	       at_offset(bytes, len, 0, "MM\0*", 4);
}
