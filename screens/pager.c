/* The evidence pager: a text file as UTF-8 (converted at intake from its
 * detected encoding) with search; a photo or screenshot as a picture in
 * character cells, with its size, capture time and camera, zoomed and
 * panned with keys, and as the text the worker read in it, marked
 * machine-read ("being read" until the worker is done, picked up on the
 * data_version refresh); a PDF as the text of its pages, searchable, and
 * any page as a picture; any other binary or undecodable file as its
 * metadata and a hex dump.  The user may read the bytes in another
 * encoding, or as hex, and see the text converted between Simplified and
 * Traditional Chinese.  All of that is a view: the stored bytes, the
 * stored text and the recorded encoding never change. */
#include "config.h"

#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/picture.h"
#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/calendar.h"
#include "weiquan/casedetail.h"
#include "weiquan/convert.h"
#include "weiquan/encoding.h"
#include "weiquan/media.h"
#include "weiquan/wqtime.h"
#include "weiquan/worker.h"

/* What the bytes can be read as; READ_AUTO is the text intake decoded. */
enum read_as {
	READ_AUTO,
	READ_UTF8,
	READ_GB18030,
	READ_BIG5,
	READ_UTF16LE,
	READ_UTF16BE,
	READ_HEX,
	READ_COUNT_
};

static const char *const read_codes[] = {
	[READ_AUTO] = "auto",	      [READ_UTF8] = "utf-8",
	[READ_GB18030] = "gb18030",   [READ_BIG5] = "big5",
	[READ_UTF16LE] = "utf-16le",  [READ_UTF16BE] = "utf-16be",
	[READ_HEX] = "hex",	      [READ_COUNT_] = NULL,
};

static const enum wq_encoding read_encodings[] = {
	[READ_UTF8] = WQ_ENC_UTF8,	 [READ_GB18030] = WQ_ENC_GB18030,
	[READ_BIG5] = WQ_ENC_BIG5,	 [READ_UTF16LE] = WQ_ENC_UTF16LE,
	[READ_UTF16BE] = WQ_ENC_UTF16BE,
};

struct pager {
	int64_t id;
	char header[400];
	char *bytes, *stored; /* as loaded: the original, intake's text */
	size_t len;
	enum wq_encoding detected;
	enum read_as read_as;
	char *decoded;        /* the bytes read as read_as; NULL: hex */
	char notice[400];     /* why the hex dump is shown, or "" */
	enum wq_script script; /* converted to; WQ_SCRIPT_UNKNOWN: not */
	char *converted;
	const char *text;     /* shown and searched: converted or decoded */
	struct scr_cells cells;
	struct scr_lines lines;
	int wrapped_for;       /* the width the lines were wrapped at */
	char **hex;            /* the hex dump, one string a line */
	size_t nhex;
	long top;
	char *search;
	long found;            /* line of the last match, -1 */
	char *doc_title;       /* a document's (scr_document_pager_ops) */
	/* a picture or PDF */
	struct wq_media_info info;
	char media_line[400];  /* its size, capture time, camera */
	struct wq_image *image; /* the picture shown, NULL: none */
	struct wq_pdf *pdf;
	char *pdf_text;        /* the pages' text under page headings */
	size_t *page_at;       /* where each page's heading starts in it */
	int pages, page;       /* the page shown as a picture */
	bool picture;          /* the picture is shown, not the text */
	bool decode_pending;   /* the image is decoded at its first drawing */
	struct scr_picture_view view;
	struct scr_picture pic;
	struct wq_read_text reading; /* an image's text, read by the worker */
	struct wq_page_text *scanned; /* a PDF's pages it recognised */
	size_t nscanned;
	char reading_line[400];      /* what the reading is, or "" */
};

static void make_hex(struct pager *p)
{
	size_t n = (p->len + 15) / 16;

	if (p->hex)
		return;
	p->hex = calloc(n ? n : 1, sizeof(*p->hex));
	for (size_t i = 0; i < n && p->hex; i++) {
		char line[96];
		int used = snprintf(line, sizeof(line), "%08zx ", i * 16);

		for (size_t k = 0; k < 16; k++) {
			size_t at = i * 16 + k;

			used += snprintf(line + used, sizeof(line) - (size_t)used,
					 at < p->len ? " %02x" : "   ",
					 at < p->len ? (unsigned char)p->bytes[at]
						     : 0);
		}
		used += snprintf(line + used, sizeof(line) - (size_t)used, "  ");
		for (size_t k = 0; k < 16 && i * 16 + k < p->len; k++) {
			unsigned char ch = (unsigned char)p->bytes[i * 16 + k];

			line[used++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
		}
		line[used] = '\0';
		p->hex[p->nhex++] = strdup(line);
	}
}

static const char *script_label(enum wq_script script)
{
	return script == WQ_SCRIPT_TRADITIONAL ? _("Traditional")
					       : _("Simplified");
}

/* Shows the text in its current form: converted, or as decoded. */
static void show(struct pager *p)
{
	p->text = p->converted ? p->converted : p->decoded;
	p->wrapped_for = -1;
	p->found = -1;
	if (!p->text)
		make_hex(p);
}

/* Converts what was decoded to p->script; back to the original (with the
 * reason in the status line) if that fails. */
static void convert(struct screen *s)
{
	struct pager *p = s->priv;
	enum wq_err err;

	free(p->converted);
	p->converted = NULL;
	if (p->script == WQ_SCRIPT_UNKNOWN || !p->decoded)
		return;
	err = wq_convert(p->decoded, strlen(p->decoded), p->script,
			 &p->converted);
	if (err) {
		p->script = WQ_SCRIPT_UNKNOWN;
		scr_status_err(s->ui, err);
	}
}

/* Reads the bytes as p->read_as; what cannot be read that way is shown
 * as hex with the reason. */
static void reread(struct screen *s)
{
	struct pager *p = s->priv;
	enum wq_err err;

	free(p->decoded);
	p->decoded = NULL;
	p->notice[0] = '\0';
	switch (p->read_as) {
	case READ_AUTO:
		if (p->pdf_text)
			p->decoded = strdup(p->pdf_text);
		else if (p->stored)
			p->decoded = strdup(p->stored);
		else if (p->detected != WQ_ENC_BINARY)
			snprintf(p->notice, sizeof(p->notice),
				 _("not UTF-8, UTF-16, GB18030 or Big5: shown "
				   "as hex (%s picks an encoding)"),
				 scr_key_for(s->ops, SCR_ACT_ENCODING, NULL));
		break;
	case READ_HEX:
		break;
	default:
		err = wq_enc_to_utf8(p->bytes, p->len,
				     read_encodings[p->read_as], &p->decoded,
				     NULL);
		if (!err)
			break;
		/* Where reading failed, in the status line (the detail
		 * alone: 80 columns cut the generic message's); the notice
		 * stays while the hex dump does. */
		if (*wq_err_detail())
			scr_status(s->ui, true, "%s", wq_err_detail());
		else
			scr_status_err(s->ui, err);
		snprintf(p->notice, sizeof(p->notice),
			 /* TRANSLATORS: encoding; the key that picks
			  * another. */
			 _("cannot be read as %s: shown as hex, %s picks "
			   "another encoding"),
			 read_codes[p->read_as],
			 scr_key_for(s->ops, SCR_ACT_ENCODING, NULL));
		break;
	}
	convert(s);
	show(p);
}

/* Why a picture or PDF cannot be shown, in words, for the notice line. */
static void explain(struct pager *p, const struct wq_media_problem *why)
{
	const char *kind = wq_media_kind_name(p->info.kind);

	switch (why->why) {
	case WQ_MEDIA_OK:
		if (why->incomplete)
			snprintf(p->notice, sizeof(p->notice), "%s",
				 _("the file ends early: the bottom of the "
				   "picture is missing"));
		return;
	case WQ_MEDIA_TOO_LARGE:
		snprintf(p->notice, sizeof(p->notice),
			 /* TRANSLATORS: width, height, megapixels, the
			  * most megapixels shown. */
			 _("%ldx%ld: %ld megapixels, over the limit of %ld: "
			   "not decoded (a bomb?)"),
			 why->width, why->height,
			 (long)((double)why->width * why->height / 1e6),
			 why->limit / 1000000);
		return;
	case WQ_MEDIA_TOO_SLOW:
		snprintf(p->notice, sizeof(p->notice),
			 _("decoding took over %d seconds and was stopped: "
			   "not shown"),
			 WQ_MEDIA_MAX_SECONDS);
		return;
	case WQ_MEDIA_EMPTY:
		snprintf(p->notice, sizeof(p->notice),
			 /* TRANSLATORS: PNG, JPEG, PDF... */
			 _("this %s has no picture or pages: shown as hex"),
			 kind);
		return;
	case WQ_MEDIA_UNSUPPORTED:
		/* (with the loader's words when the media module is
		 * missing: src/media_load.c) */
		if (why->detail[0])
			snprintf(p->notice, sizeof(p->notice),
				 /* TRANSLATORS: PNG, JPEG, PDF...; why. */
				 _("no decoder for %s on this system (%s): "
				   "shown as hex"),
				 kind, wq_text(why->detail));
		else
			snprintf(p->notice, sizeof(p->notice),
				 _("no decoder for %s on this system: shown "
				   "as hex"),
				 kind);
		return;
	case WQ_MEDIA_LOCKED:
		snprintf(p->notice, sizeof(p->notice), "%s",
			 _("this PDF needs a password: shown as hex"));
		return;
	case WQ_MEDIA_DAMAGED:
		break;
	}
	snprintf(p->notice, sizeof(p->notice),
		 /* TRANSLATORS: PNG, JPEG, PDF...; the decoder's words. */
		 _("this %s is damaged or cut short (%s): shown as hex"), kind,
		 wq_text(why->detail));
}

/* The media line: kind and size, when and with what it was taken, and
 * whether that fits the case. */
static void describe(struct pager *p, const char *order_date)
{
	const struct wq_media_info *in = &p->info;
	size_t n;
	char today[11];
	time_t now = wq_now();

	if (in->kind == WQ_MEDIA_PDF)
		snprintf(p->media_line, sizeof(p->media_line),
			 /* TRANSLATORS: number of pages. */
			 ngettext("PDF, %d page", "PDF, %d pages", in->pages),
			 in->pages);
	else if (in->width > 0)
		snprintf(p->media_line, sizeof(p->media_line), "%s %ldx%ld",
			 wq_media_kind_name(in->kind), in->width, in->height);
	else
		snprintf(p->media_line, sizeof(p->media_line), "%s",
			 wq_media_kind_name(in->kind));
	n = strlen(p->media_line);
	if (in->taken[0])
		n += (size_t)snprintf(p->media_line + n,
				      sizeof(p->media_line) - n,
				      /* TRANSLATORS: EXIF capture time. */
				      _("  taken %.16s"), in->taken);
	else if (in->created[0])
		n += (size_t)snprintf(p->media_line + n,
				      sizeof(p->media_line) - n,
				      /* TRANSLATORS: a PDF's creation date
				       * from its metadata. */
				      _("  created %.16s"), in->created);
	else if (in->kind == WQ_MEDIA_JPEG)
		n += (size_t)snprintf(p->media_line + n,
				      sizeof(p->media_line) - n, "%s",
				      _("  no capture time"));
	if (in->camera[0] && n < sizeof(p->media_line))
		snprintf(p->media_line + n, sizeof(p->media_line) - n,
			 /* TRANSLATORS: camera make and model. */
			 _("  camera %s"), in->camera);
	wq_date_format(wq_local_day(now), today);
	if (wq_media_taken_before(in, order_date) && in->taken[0])
		snprintf(p->notice, sizeof(p->notice),
			 /* TRANSLATORS: capture date, the case's order
			  * date. */
			 _("taken %.10s, before the order date %s: does not "
			   "fit the case"),
			 in->taken, order_date);
	else if (wq_media_taken_before(in, order_date))
		snprintf(p->notice, sizeof(p->notice),
			 /* TRANSLATORS: a PDF's creation date, the case's
			  * order date. */
			 _("created %.10s, before the order date %s: does "
			   "not fit the case"),
			 in->created, order_date);
	else if (wq_media_taken_after(in, today))
		snprintf(p->notice, sizeof(p->notice),
			 _("dated %.10s, after today: the camera's clock or "
			   "the file's date is wrong"),
			 in->taken[0] ? in->taken : in->created);
}

/* The text the worker recognised on a page without text of its own. */
static const struct wq_page_text *scanned_page(const struct pager *p, int page,
					       const char *own)
{
	for (; own && *own; own++)
		if (*own != ' ' && *own != '\n' && *own != '\t' &&
		    *own != '\r' && *own != '\f')
			return NULL;
	for (size_t i = 0; i < p->nscanned; i++)
		if (p->scanned[i].page == page)
			return &p->scanned[i];
	return NULL;
}

/* The PDF's pages as one text, each under a heading, so it reads, wraps
 * and is searched like any text evidence; within the page and size
 * limits of media.h.  A scanned page shows what the worker recognised
 * on it, marked machine-read. */
static void pdf_text(struct pager *p)
{
	struct {
		char *data;
		size_t len, cap;
	} all = {0};
	time_t give_up = time(NULL) + WQ_MEDIA_MAX_SECONDS;
	int done = 0;

	p->page_at = calloc((size_t)p->pages, sizeof(*p->page_at));
	if (!p->page_at)
		return;
	for (; done < p->pages && done < WQ_MEDIA_MAX_PAGES &&
	       all.len < WQ_MEDIA_MAX_TEXT && time(NULL) <= give_up;
	     done++) {
		char heading[200], *text = NULL;
		const struct wq_page_text *scan;
		size_t need;

		wq_pdf_page_text(p->pdf, done, &text);
		scan = scanned_page(p, done + 1, text);
		if (scan) {
			free(text);
			text = strdup(scan->text);
			snprintf(heading, sizeof(heading),
				 /* TRANSLATORS: page number, page count, the
				  * engine that read the scan, its confidence
				  * 0-100. */
				 _("--- page %d of %d: a scan, machine-read "
				   "text, not the original (%s, confidence "
				   "%d%%) ---\n"),
				 done + 1, p->pages, scan->engine,
				 scan->confidence);
		} else {
			snprintf(heading, sizeof(heading),
				 /* TRANSLATORS: page number, page count. */
				 _("--- page %d of %d ---\n"), done + 1,
				 p->pages);
		}
		need = strlen(heading) + (text ? strlen(text) : 0) + 2;
		if (all.len + need + 1 > all.cap) {
			char *grown = realloc(all.data, (all.len + need + 1) * 2);

			if (!grown) {
				free(text);
				break;
			}
			all.data = grown;
			all.cap = (all.len + need + 1) * 2;
		}
		p->page_at[done] = all.len;
		all.len += (size_t)sprintf(all.data + all.len, "%s%s\n\n",
					   heading, text ? text : "");
		free(text);
	}
	for (int i = done; i < p->pages; i++)
		p->page_at[i] = all.len;
	if (done < p->pages) {
		char note[300];
		size_t n;
		char *grown;

		snprintf(note, sizeof(note),
			 /* TRANSLATORS: first page not extracted, page
			  * count. */
			 _("--- the text of pages %d to %d is not shown, too "
			   "long to read here: p and PgDn show them as "
			   "pictures ---\n"),
			 done + 1, p->pages);
		n = strlen(note);
		grown = realloc(all.data, all.len + n + 1);
		if (grown) {
			all.data = grown;
			memcpy(all.data + all.len, note, n + 1);
			all.len += n;
		}
	}
	p->pdf_text = all.data;
}

/* The picture of the PDF page p->page. */
static void show_page(struct screen *s)
{
	struct pager *p = s->priv;
	struct wq_media_problem why;

	wq_image_free(&p->image);
	p->view = (struct scr_picture_view){1, 0.5, 0.5};
	if (wq_pdf_page_image(p->pdf, p->page, &p->image, &why)) {
		scr_status(s->ui, true,
			   _("page %d cannot be drawn: %s"), p->page + 1,
			   wq_text(why.detail));
		p->picture = false;
	}
}

/* The page whose text the top line shows. */
static int page_of_top(const struct pager *p, size_t at)
{
	int page = 0;

	while (page + 1 < p->pages && p->page_at[page + 1] <= at)
		page++;
	return page;
}

static void open_media(struct screen *s, const struct wq_evidence_view *e)
{
	struct pager *p = s->priv;
	struct wq_media_problem why;

	if (wq_media_sniff(p->bytes, p->len) == WQ_MEDIA_NONE)
		return;
	wq_media_info_read(p->bytes, p->len, &p->info, &why);
	p->view = (struct scr_picture_view){1, 0.5, 0.5};
	if (p->info.kind == WQ_MEDIA_PDF) {
		if (wq_pdf_open(p->bytes, p->len, &p->pdf, &why)) {
			explain(p, &why);
			return;
		}
		p->pages = wq_pdf_pages(p->pdf);
	} else if (why.why == WQ_MEDIA_OK) {
		p->picture = true;
		p->decode_pending = true;
	} else {
		explain(p, &why);
	}
	describe(p, e->order_date);
}

/* Decoding a phone's photo and fitting it to the pane take longer than a
 * frame: the header, the media line and the key bar go out first. */
static void decode_at_first_drawing(struct screen *s, struct scr_rect body)
{
	struct pager *p = s->priv;
	struct wq_media_problem why;
	char notice[sizeof(p->notice)];

	p->decode_pending = false;
	for (int i = 0; i < body.h; i++)
		scr_draw_text(stdscr, body.y + i, body.x, body.w,
			      i == body.h / 2 ? _("drawing the picture...")
					      : "",
			      s->ui->attr[SCR_A_DIM], SCR_TEXT_PAD);
	refresh();
	memcpy(notice, p->notice, sizeof(notice));
	if (wq_image_decode(p->bytes, p->len, &p->image, &why) != WQ_ERR_OK)
		p->picture = false;
	explain(p, &why);
	/* What reading has to say keeps the line. */
	if (notice[0])
		memcpy(p->notice, notice, sizeof(p->notice));
	for (int i = 0; i < body.h; i++)
		scr_draw_text(stdscr, body.y + i, body.x, body.w, "",
			      s->ui->attr[SCR_A_NORMAL], SCR_TEXT_PAD);
}

/* The PDF's text again, with the pages the worker has recognised since. */
static void pdf_text_again(struct pager *p)
{
	free(p->pdf_text);
	free(p->page_at);
	p->pdf_text = NULL;
	p->page_at = NULL;
	pdf_text(p);
}

/* What the worker read of a PDF: its own text went to the search index;
 * the pages it had to recognise are shown, marked, in the text. */
static void load_pdf_reading(struct screen *s)
{
	struct pager *p = s->priv;
	enum wq_err err;

	wq_page_texts_free(p->scanned, p->nscanned);
	p->scanned = NULL;
	p->nscanned = 0;
	switch (p->reading.state) {
	case WQ_READ_WAITING:
		snprintf(p->reading_line, sizeof(p->reading_line), "%s",
			 _("being read: this PDF's text is being indexed "
			   "for search and its scanned pages recognised"));
		break;
	case WQ_READ_DONE:
		err = wq_evidence_page_texts(s->ui->store, &s->ui->actor,
					     p->id, &p->scanned, &p->nscanned);
		if (err)
			scr_status_err(s->ui, err);
		if (p->nscanned)
			snprintf(p->reading_line, sizeof(p->reading_line),
				 /* TRANSLATORS: number of pages. */
				 ngettext("%zu scanned page: its text is "
					  "machine-read, not the original",
					  "%zu scanned pages: their text is "
					  "machine-read, not the original",
					  p->nscanned),
				 p->nscanned);
		break;
	case WQ_READ_FAILED:
		snprintf(p->reading_line, sizeof(p->reading_line),
			 _("no text could be read: %s"), p->reading.error);
		break;
	case WQ_READ_NONE:
		break;
	}
}

/* Where the worker is with the text of an image without a text form;
 * once read, that text is what the pager shows, marked as machine-read. */
static void load_reading(struct screen *s)
{
	struct pager *p = s->priv;
	enum wq_err err;

	wq_read_text_clear(&p->reading);
	p->reading_line[0] = '\0';
	err = wq_evidence_read_text(s->ui->store, &s->ui->actor, p->id,
				    &p->reading);
	if (err) {
		scr_status_err(s->ui, err);
		return;
	}
	if (p->pdf) {
		load_pdf_reading(s);
		return;
	}
	switch (p->reading.state) {
	case WQ_READ_WAITING:
		snprintf(p->reading_line, sizeof(p->reading_line), "%s",
			 _("being read: the text in this image is being "
			   "recognised"));
		break;
	case WQ_READ_DONE:
		snprintf(p->reading_line, sizeof(p->reading_line),
			 /* TRANSLATORS: the engine (e.g. "tesseract 5.3.0
			  * chi_sim") and its confidence, 0-100. */
			 _("machine-read text, not the original (%s, "
			   "confidence %d%%)"),
			 p->reading.engine, p->reading.confidence);
		free(p->stored);
		p->stored = strdup(p->reading.text);
		break;
	case WQ_READ_FAILED:
		snprintf(p->reading_line, sizeof(p->reading_line),
			 /* TRANSLATORS: why the worker could not read it. */
			 _("no text could be read: %s"), p->reading.error);
		break;
	case WQ_READ_NONE:
		break;
	}
}

/* Picks up the worker's result while the image or PDF is open. */
static void pager_data_changed(struct screen *s)
{
	struct pager *p = s->priv;

	if (p->reading.state != WQ_READ_WAITING)
		return;
	load_reading(s);
	if (p->reading.state == WQ_READ_WAITING)
		return;
	if (p->pdf)
		pdf_text_again(p);
	reread(s);
}

/* Evidence never changes; only the worker's reading comes later. */
static bool pager_concerns(struct screen *s, const struct wq_changes *changes)
{
	const struct pager *p = s->priv;

	(void)changes;
	return p->reading.state == WQ_READ_WAITING;
}

static int pager_open(struct screen *s, const void *arg)
{
	struct pager *p = s->priv;
	const struct wq_evidence_view *e = arg;
	enum wq_err err;

	p->id = e->id;
	p->found = -1;
	/* TRANSLATORS: file name, evidence kind/party, size, encoding,
	 * the start of its SHA-256. */
	snprintf(p->header, sizeof(p->header),
		 _("%s  %s/%s  %lld bytes  %s  sha256 %.16s"), e->file_name,
		 scr_label(SCR_L_EVIDENCE, e->kind),
		 scr_party_label(e->case_type, e->party), (long long)e->size,
		 e->encoding, e->sha256);
	err = wq_evidence_load(s->ui->store, &s->ui->actor, p->id, &p->bytes,
			       &p->len, &p->stored);
	if (err) {
		scr_status_err(s->ui, err);
		return -1;
	}
	p->detected = wq_enc_detect(p->bytes, p->len);
	open_media(s, e);
	if (!p->stored || p->pdf)
		load_reading(s);
	if (p->pdf)
		pdf_text(p);
	/* The notice about the picture stays unless reading needs the
	 * line. */
	{
		char media_notice[sizeof(p->notice)];

		memcpy(media_notice, p->notice, sizeof(media_notice));
		reread(s);
		if (!p->notice[0])
			memcpy(p->notice, media_notice, sizeof(p->notice));
	}
	return 0;
}

static void pager_close(struct screen *s)
{
	struct pager *p = s->priv;

	free(p->bytes);
	free(p->stored);
	free(p->decoded);
	free(p->converted);
	free(p->search);
	free(p->doc_title);
	wq_image_free(&p->image);
	wq_pdf_free(&p->pdf);
	free(p->pdf_text);
	free(p->page_at);
	scr_picture_free(&p->pic);
	wq_read_text_clear(&p->reading);
	wq_page_texts_free(p->scanned, p->nscanned);
	scr_cells_free(&p->cells);
	scr_lines_free(&p->lines);
	for (size_t i = 0; i < p->nhex; i++)
		free(p->hex[i]);
	free(p->hex);
}

static long line_count(const struct pager *p)
{
	return p->text ? (long)p->lines.n : (long)p->nhex;
}

static void pager_draw(struct screen *s)
{
	struct pager *p = s->priv;
	struct scr_rect t = scr_layout_rect(&s->lay, SCR_AREA_TITLE);
	struct scr_rect h = scr_layout_rect(&s->lay, SCR_AREA_PAGER_HEADER);
	struct scr_rect b = scr_layout_rect(&s->lay, SCR_AREA_PAGER_TEXT);
	struct scr_rect m = scr_layout_rect(&s->lay, SCR_AREA_PAGER_PROMPT);
	const char *key = scr_key_for(s->ops, SCR_ACT_SCRIPT, NULL);
	char title[300], mark[300];

	if (p->doc_title)
		snprintf(title, sizeof(title), "%s", p->doc_title);
	else if (p->picture && p->pdf)
		snprintf(title, sizeof(title),
			 /* TRANSLATORS: page number, page count. */
			 _("evidence  PDF page %d of %d (picture)"),
			 p->page + 1, p->pages);
	else if (p->picture)
		snprintf(title, sizeof(title), "%s", _("evidence (picture)"));
	else if (p->read_as == READ_AUTO && p->pdf_text)
		snprintf(title, sizeof(title), "%s",
			 _("evidence (PDF: the text of its pages)"));
	else if (p->read_as == READ_AUTO && p->reading.state == WQ_READ_DONE)
		snprintf(title, sizeof(title), "%s",
			 _("evidence (image: machine-read text)"));
	else if (p->read_as == READ_AUTO && p->detected == WQ_ENC_BINARY)
		snprintf(title, sizeof(title), "%s",
			 _("evidence (binary: hex)"));
	else if (p->read_as == READ_AUTO)
		snprintf(title, sizeof(title), _("evidence  detected: %s"),
			 wq_enc_name(p->detected));
	else
		snprintf(title, sizeof(title),
			 /* TRANSLATORS: the encoding detected, the one the
			  * user chose to read the file in (or "hex"). */
			 _("evidence  detected: %s  read as: %s"),
			 wq_enc_name(p->detected), read_codes[p->read_as]);
	if (p->converted)
		snprintf(title + strlen(title), sizeof(title) - strlen(title),
			 _("  [converted to %s]"), script_label(p->script));
	scr_draw_text(stdscr, t.y, t.x, t.w, title, s->ui->attr[SCR_A_TITLE],
		      SCR_TEXT_PAD);
	if (p->media_line[0] && h.h >= 2) {
		scr_draw_text(stdscr, h.y, h.x, h.w, p->header,
			      s->ui->attr[SCR_A_DIM], SCR_TEXT_PAD);
		scr_draw_text(stdscr, h.y + 1, h.x, h.w, p->media_line,
			      s->ui->attr[SCR_A_NORMAL], SCR_TEXT_PAD);
	} else if (p->media_line[0]) {
		char both[sizeof(p->header) + sizeof(p->media_line) + 2];

		snprintf(both, sizeof(both), "%s  %s", p->media_line,
			 p->header);
		scr_draw_text(stdscr, h.y, h.x, h.w, both,
			      s->ui->attr[SCR_A_DIM], SCR_TEXT_PAD);
	} else {
		scr_draw_text(stdscr, h.y, h.x, h.w, p->header,
			      s->ui->attr[SCR_A_DIM], SCR_TEXT_PAD);
	}
	if (p->notice[0])
		scr_draw_text(stdscr, m.y, m.x, m.w, p->notice,
			      s->ui->attr[SCR_A_ERROR], SCR_TEXT_PAD);
	else if (p->converted) {
		snprintf(mark, sizeof(mark),
			 /* TRANSLATORS: Simplified or Traditional; the key
			  * that shows the original again. */
			 _("converted to %s, not the original: %s shows the "
			   "original"),
			 script_label(p->script), key);
		scr_draw_text(stdscr, m.y, m.x, m.w, mark,
			      s->ui->attr[SCR_A_MARK], SCR_TEXT_PAD);
	} else if (p->reading_line[0] && p->read_as == READ_AUTO)
		scr_draw_text(stdscr, m.y, m.x, m.w, p->reading_line,
			      s->ui->attr[SCR_A_MARK], SCR_TEXT_PAD);
	if (p->picture && p->decode_pending) {
		decode_at_first_drawing(s, b);
		pager_draw(s);
		return;
	}
	if (p->picture && p->image) {
		scr_picture_draw(&p->pic, p->image, &p->view, b);
		return;
	}
	if (p->text && p->wrapped_for != b.w) {
		scr_lines_free(&p->lines);
		scr_cells_free(&p->cells);
		scr_text_wrap(p->text, b.w > 0 ? b.w : 1,
			      SCR_TEXT_NL_BREAK | SCR_TEXT_TABS, &p->cells,
			      &p->lines);
		p->wrapped_for = b.w;
	}
	if (p->top > line_count(p) - b.h)
		p->top = line_count(p) - b.h;
	if (p->top < 0)
		p->top = 0;
	for (int i = 0; i < b.h && p->top + i < line_count(p); i++) {
		long k = p->top + i;
		attr_t a = s->ui->attr[k == p->found ? SCR_A_SELECTED
						     : SCR_A_NORMAL];

		if (p->text)
			scr_draw_cells(stdscr, b.y + i, b.x, b.w,
				       p->cells.v + p->lines.v[k].first,
				       p->lines.v[k].count, a, SCR_TEXT_PAD);
		else
			scr_draw_text(stdscr, b.y + i, b.x, b.w, p->hex[k], a,
				      SCR_TEXT_PAD);
	}
}

static size_t line_start(const struct pager *p, long k)
{
	if (k >= (long)p->lines.n)
		return strlen(p->text);
	if (p->lines.v[k].count == 0 && k + 1 < (long)p->lines.n)
		return line_start(p, k + 1);
	return p->lines.v[k].count ? p->cells.v[p->lines.v[k].first].off
				   : strlen(p->text);
}

/* Finds the next match at or after line `from`: the first occurrence in
 * the text from that line's first byte, then the line that shows it. */
static void find(struct screen *s, long from)
{
	struct pager *p = s->priv;
	const char *hit;
	size_t at;

	if (from < 0)
		from = 0;
	at = line_start(p, from);
	hit = at < strlen(p->text) ? strstr(p->text + at, p->search) : NULL;
	if (!hit) {
		scr_status(s->ui, true, _("'%s' not found"), p->search);
		return;
	}
	for (long k = from; k < (long)p->lines.n; k++) {
		if (line_start(p, k + 1) > (size_t)(hit - p->text)) {
			p->found = k;
			p->top = k;
			scr_status(s->ui, false, _("found on line %ld"), k + 1);
			return;
		}
	}
}

/* Original -> the other script -> original.  Converting costs nothing
 * until asked for; the target is the script the text is not mostly
 * written in. */
static void toggle_script(struct screen *s)
{
	struct pager *p = s->priv;
	const char *key = scr_key_for(s->ops, SCR_ACT_SCRIPT, NULL);
	enum wq_err err;

	if (!p->decoded) {
		scr_status(s->ui, true, "%s",
			   _("a hex dump has no Chinese text to convert"));
		return;
	}
	if (p->converted) {
		p->script = WQ_SCRIPT_UNKNOWN;
		convert(s);
		show(p);
		scr_status(s->ui, false,
			   /* TRANSLATORS: the key that converts again. */
			   _("the original text (%s converts it)"), key);
		return;
	}
	err = wq_script_target(
		p->decoded, strlen(p->decoded),
		wq_script_of_locale(setlocale(LC_MESSAGES, NULL)), &p->script);
	if (err) {
		scr_status_err(s->ui, err);
		return;
	}
	convert(s);
	show(p);
	if (p->converted)
		scr_status(s->ui, false,
			   /* TRANSLATORS: Simplified or Traditional; the
			    * key that shows the original again. */
			   _("converted to %s: %s shows the original"),
			   script_label(p->script), key);
}

static void pick_encoding(struct screen *s)
{
	struct pager *p = s->priv;
	const char *labels[READ_COUNT_ + 1];
	char automatic[80];
	int picked;

	snprintf(automatic, sizeof(automatic),
		 /* TRANSLATORS: the encoding detected in the file. */
		 _("auto (detected: %s)"), wq_enc_name(p->detected));
	for (int i = 0; i < READ_COUNT_; i++)
		labels[i] = read_codes[i];
	labels[READ_AUTO] = automatic;
	labels[READ_HEX] = _("hex dump");
	labels[READ_COUNT_] = NULL;
	if (!scr_prompt_pick(s->ui, _("Read this evidence file as"),
			     read_codes, labels, &picked))
		return;
	p->read_as = (enum read_as)picked;
	reread(s);
}

/* The line that shows byte `at` of the text, once it is wrapped. */
static long line_of(const struct pager *p, size_t at)
{
	for (long k = 0; k + 1 < (long)p->lines.n; k++)
		if (line_start(p, k + 1) > at)
			return k;
	return 0;
}

/* Text (or hex) -> picture -> text.  A PDF's picture is the page the
 * text was at, and the text comes back at the page the picture was. */
static void toggle_picture(struct screen *s)
{
	struct pager *p = s->priv;

	if (p->picture) {
		p->picture = false;
		if (p->pdf && p->text == p->decoded && p->pdf_text &&
		    p->read_as == READ_AUTO && p->lines.n)
			p->top = line_of(p, p->page_at[p->page]);
		return;
	}
	if (p->pdf) {
		/* The page of the match found last, else of the top line. */
		p->page = p->pdf_text && p->read_as == READ_AUTO &&
				  p->text == p->decoded && p->lines.n
				  ? page_of_top(p, line_start(p, p->found >= 0
									 ? p->found
									 : p->top))
				  : 0;
		p->picture = true;
		show_page(s);
		return;
	}
	if (p->image) {
		p->picture = true;
		return;
	}
	scr_status(s->ui, true, "%s",
		   p->info.kind != WQ_MEDIA_NONE
			   ? _("this file could not be decoded: the notice "
			       "says why")
			   : _("not a picture or PDF"));
}

/* Keys on the picture: pan a quarter of what is shown, zoom by half
 * again, page through a PDF. */
static bool picture_act(struct screen *s, enum scr_action act)
{
	struct pager *p = s->priv;
	struct scr_picture_view *v = &p->view;
	double step = 0.25 / v->zoom;

	switch (act) {
	case SCR_ACT_MOVE_DOWN: v->cy += step; break;
	case SCR_ACT_MOVE_UP: v->cy -= step; break;
	case SCR_ACT_PAN_LEFT: v->cx -= step; break;
	case SCR_ACT_PAN_RIGHT: v->cx += step; break;
	case SCR_ACT_ZOOM_IN: v->zoom *= 1.5; break;
	case SCR_ACT_ZOOM_OUT: v->zoom /= 1.5; break;
	case SCR_ACT_FIRST:
		*v = (struct scr_picture_view){1, 0.5, 0.5};
		break;
	case SCR_ACT_PAGE_DOWN:
	case SCR_ACT_PAGE_UP:
	case SCR_ACT_LAST:
		if (!p->pdf) {
			v->cy += act == SCR_ACT_PAGE_UP ? -4 * step : 4 * step;
			break;
		}
		if (act == SCR_ACT_LAST)
			p->page = p->pages - 1;
		else if (act == SCR_ACT_PAGE_DOWN && p->page + 1 < p->pages)
			p->page++;
		else if (act == SCR_ACT_PAGE_UP && p->page > 0)
			p->page--;
		else
			break;
		show_page(s);
		return true;
	default:
		return false;
	}
	scr_picture_clamp(v);
	if (act == SCR_ACT_ZOOM_IN || act == SCR_ACT_ZOOM_OUT)
		scr_status(s->ui, false,
			   /* TRANSLATORS: zoom factor; the key that fits
			    * the picture again. */
			   _("zoom %.1fx (%s fits the picture)"), v->zoom,
			   scr_key_for(s->ops, SCR_ACT_FIRST, NULL));
	return true;
}

static int pager_act(struct screen *s, enum scr_action act, const char *rule)
{
	struct pager *p = s->priv;
	char *text;

	(void)rule;
	if (p->picture && p->image && picture_act(s, act))
		return SCR_HANDLED;
	switch (act) {
	case SCR_ACT_PICTURE:
		toggle_picture(s);
		break;
	case SCR_ACT_ZOOM_IN:
	case SCR_ACT_ZOOM_OUT:
	case SCR_ACT_PAN_LEFT:
	case SCR_ACT_PAN_RIGHT:
		scr_status(s->ui, true,
			   /* TRANSLATORS: the key that shows the picture. */
			   _("zoom and pan work on the picture (%s)"),
			   scr_key_for(s->ops, SCR_ACT_PICTURE, NULL));
		break;
	case SCR_ACT_MOVE_DOWN: p->top++; break;
	case SCR_ACT_MOVE_UP: p->top--; break;
	case SCR_ACT_PAGE_DOWN: p->top += 20; break;
	case SCR_ACT_PAGE_UP: p->top -= 20; break;
	case SCR_ACT_FIRST: p->top = 0; break;
	case SCR_ACT_LAST: p->top = line_count(p); break;
	case SCR_ACT_SEARCH:
		if (p->picture && p->pdf)
			p->picture = false;
		if (!p->text || p->picture) {
			scr_status(s->ui, true, "%s",
				   _("a binary file has no text to search"));
			break;
		}
		if (!scr_prompt_line(s->ui,
				     p->doc_title
					 ? _("Search in this document")
					 : _("Search in this evidence"),
				     p->search ? p->search : "", &text))
			break;
		free(p->search);
		p->search = text;
		if (*text)
			find(s, 0);
		break;
	case SCR_ACT_SEARCH_NEXT:
		if (p->search && *p->search)
			find(s, p->found + 1);
		break;
	case SCR_ACT_SCRIPT:
		toggle_script(s);
		break;
	case SCR_ACT_ENCODING:
		if (p->doc_title) {
			scr_status(s->ui, true, "%s",
				   _("a document is UTF-8 text: there is no "
				     "other encoding to read it in"));
			break;
		}
		pick_encoding(s);
		break;
	default:
		return 0;
	}
	return SCR_HANDLED;
}

static int pager_keybar(struct screen *s, const char **items, int max)
{
	struct pager *p = s->priv;

	if (max < 5)
		return 0;
	if (p->picture) {
		items[0] = "picture";
		items[1] = "zoom-in";
		items[2] = "zoom-out";
		items[3] = p->pdf ? "page-down" : "first";
		items[4] = p->pdf ? "search" : "encoding";
		return 5;
	}
	if (p->image || p->pdf) {
		items[0] = "picture";
		items[1] = "search";
		items[2] = "search-next";
		items[3] = "encoding";
		items[4] = "page-down";
		return 5;
	}
	items[0] = "search";
	items[1] = "search-next";
	items[2] = "script";
	items[3] = "encoding";
	items[4] = "page-down";
	return 5;
}

const struct screen_ops scr_pager_ops = {
	.name = "pager",
	.priv_size = sizeof(struct pager),
	.layout_id = SCR_SCREEN_PAGER,
	.open = pager_open,
	.draw = pager_draw,
	.act = pager_act,
	.data_changed = pager_data_changed,
	.concerns = pager_concerns,
	.close = pager_close,
	.keybar = pager_keybar,
};

/* An issued document's text form, read like a text file: search and the
 * Simplified/Traditional view work alike. */
static int document_open(struct screen *s, const void *arg)
{
	struct pager *p = s->priv;
	const struct scr_document_view *v = arg;

	p->found = -1;
	p->doc_title = strdup(v->title);
	snprintf(p->header, sizeof(p->header), "%s", v->header);
	p->bytes = strdup(v->text);
	p->stored = strdup(v->text);
	if (!p->doc_title || !p->bytes || !p->stored)
		return -1;
	p->len = strlen(p->bytes);
	p->detected = WQ_ENC_UTF8;
	reread(s);
	return 0;
}

static int document_keybar(struct screen *s, const char **items, int max)
{
	(void)s;
	if (max < 4)
		return 0;
	items[0] = "search";
	items[1] = "search-next";
	items[2] = "script";
	items[3] = "page-down";
	return 4;
}

/* Named "pager": the pager's key bindings are its own. */
const struct screen_ops scr_document_pager_ops = {
	.name = "pager",
	.priv_size = sizeof(struct pager),
	.layout_id = SCR_SCREEN_PAGER,
	.open = document_open,
	.draw = pager_draw,
	.act = pager_act,
	.close = pager_close,
	.keybar = document_keybar,
};
