/* weiquan: the PDF form of a document (weiquan/document.h), typeset by
 * pango (line breaking by the rules of Chinese text, justification) and
 * drawn by cairo with the Noto CJK fonts.  Kept apart from document.c so
 * that only what issues documents links pango and cairo. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "util.h"
#include "weiquan/document.h"

/* A4 in points, margins of 25 mm. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 70.866
#define BODY_PT 12
#define TITLE_PT 20

static cairo_status_t to_buf(void *closure, const unsigned char *data,
			     unsigned int length)
{
	wq_buf_add(closure, (const char *)data, length);
	return CAIRO_STATUS_SUCCESS;
}

struct page {
	cairo_t *cr;
	double y; /* where the next block starts */
	int number;
	const char *serif, *sans;
	PangoLanguage *language;
};

static void footer(struct page *p)
{
	PangoLayout *layout = pango_cairo_create_layout(p->cr);
	PangoFontDescription *font =
	    pango_font_description_from_string(p->serif);
	char text[32];
	int w, h;

	pango_font_description_set_size(font, 9 * PANGO_SCALE);
	pango_layout_set_font_description(layout, font);
	snprintf(text, sizeof(text), "— %d —", p->number);
	pango_layout_set_text(layout, text, -1);
	pango_layout_get_pixel_size(layout, &w, &h);
	cairo_move_to(p->cr, (PAGE_W - w) / 2, PAGE_H - MARGIN / 2 - h);
	pango_cairo_show_layout(p->cr, layout);
	pango_font_description_free(font);
	g_object_unref(layout);
}

static void new_page(struct page *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->number++;
	p->y = MARGIN;
}

/* Draws layout line by line from p->y, onto new pages as it needs. */
static void show_lines(struct page *p, PangoLayout *layout, double x)
{
	PangoLayoutIter *iter = pango_layout_get_iter(layout);
	double shift = 0; /* layout units above this page's first line */
	int height;

	do {
		PangoRectangle logical;
		PangoLayoutLine *line =
		    pango_layout_iter_get_line_readonly(iter);
		double top, bottom;

		pango_layout_iter_get_line_extents(iter, NULL, &logical);
		top = (double)logical.y / PANGO_SCALE - shift;
		bottom = top + (double)logical.height / PANGO_SCALE;
		/* A line that does not fit starts the next page, unless
		 * it is the first thing on this one. */
		if (p->y + bottom > PAGE_H - MARGIN && p->y + top > MARGIN) {
			new_page(p);
			shift = (double)logical.y / PANGO_SCALE;
		}
		cairo_move_to(p->cr, x + (double)logical.x / PANGO_SCALE,
			      p->y +
				  (double)pango_layout_iter_get_baseline(iter) /
				      PANGO_SCALE -
				  shift);
		pango_cairo_show_layout_line(p->cr, line);
	} while (pango_layout_iter_next_line(iter));
	pango_layout_iter_free(iter);
	pango_layout_get_size(layout, NULL, &height);
	p->y += (double)height / PANGO_SCALE - shift;
}

static void show_block(struct page *p, const struct wq_doc_block *b)
{
	PangoLayout *layout;
	PangoFontDescription *font;
	PangoAttrList *attrs;
	bool bold = b->kind == WQ_DOC_TITLE || b->kind == WQ_DOC_CENTER;
	double width = PAGE_W - 2 * MARGIN, before = 0, after = 2;

	if (b->kind == WQ_DOC_BLANK) {
		p->y += BODY_PT;
		return;
	}
	layout = pango_cairo_create_layout(p->cr);
	font = pango_font_description_from_string(
	    b->kind == WQ_DOC_TITLE ? p->sans : p->serif);
	pango_font_description_set_size(
	    font, (b->kind == WQ_DOC_TITLE ? TITLE_PT : BODY_PT) * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(layout, font);
	attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_language_new(p->language));
	pango_layout_set_attributes(layout, attrs);
	pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	switch (b->kind) {
	case WQ_DOC_TITLE:
		pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
		after = 12;
		break;
	case WQ_DOC_CENTER:
		pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
		after = 4;
		break;
	case WQ_DOC_NUMBER:
	case WQ_DOC_RIGHT:
		pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
		break;
	case WQ_DOC_PARA:
		pango_layout_set_justify(layout, TRUE);
		break;
	case WQ_DOC_SIGN:
		before = 18;
		break;
	default:
		break;
	}
	pango_layout_set_text(layout, b->text, -1);
	p->y += before;
	show_lines(p, layout, MARGIN);
	p->y += after;
	pango_attr_list_unref(attrs);
	pango_font_description_free(font);
	g_object_unref(layout);
}

/* The fonts must be the Noto CJK ones: another font may lack the
 * characters, and pango would draw boxes in their place. */
static bool has_cjk_font(cairo_t *cr, const char *family)
{
	PangoContext *context = pango_cairo_create_context(cr);
	PangoFontDescription *want = pango_font_description_from_string(family);
	PangoFont *font = pango_context_load_font(context, want);
	bool ok = false;

	if (font) {
		PangoFontDescription *got = pango_font_describe(font);
		const char *name = pango_font_description_get_family(got);

		ok = name && strstr(name, "CJK") != NULL;
		pango_font_description_free(got);
		g_object_unref(font);
	}
	pango_font_description_free(want);
	g_object_unref(context);
	return ok;
}

enum wq_err wq_document_pdf(const struct wq_document *doc, char **pdf,
			    size_t *len)
{
	struct wq_buf out = {0};
	cairo_surface_t *surface;
	struct page p = {0};
	bool traditional = strcmp(doc->lang, "zh_TW") == 0;
	char when[32];
	cairo_status_t status;

	*pdf = NULL;
	*len = 0;
	surface =
	    cairo_pdf_surface_create_for_stream(to_buf, &out, PAGE_W, PAGE_H);
	/* Same document, same bytes: the dates are the issue time's. */
	snprintf(when, sizeof(when), "%s", doc->issued_at);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
				       when);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE,
				       when);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
				       doc->title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
				       "weiquan");
	p.cr = cairo_create(surface);
	p.y = MARGIN;
	p.number = 1;
	p.serif = traditional ? "Noto Serif CJK TC" : "Noto Serif CJK SC";
	p.sans = traditional ? "Noto Sans CJK TC" : "Noto Sans CJK SC";
	p.language =
	    pango_language_from_string(traditional ? "zh-tw" : "zh-cn");
	if (!has_cjk_font(p.cr, p.serif) || !has_cjk_font(p.cr, p.sans)) {
		cairo_destroy(p.cr);
		cairo_surface_destroy(surface);
		wq_buf_free(&out);
		return wq_fail(
		    WQ_ERR_IO,
		    N_("the Noto CJK fonts (%s, %s) are not installed "
		       "(Debian: fonts-noto-cjk)"),
		    p.serif, p.sans);
	}
	cairo_set_source_rgb(p.cr, 0, 0, 0);
	for (size_t i = 0; i < doc->nblocks; i++)
		show_block(&p, &doc->blocks[i]);
	footer(&p);
	cairo_destroy(p.cr);
	cairo_surface_finish(surface);
	status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (status != CAIRO_STATUS_SUCCESS) {
		wq_buf_free(&out);
		return wq_fail(WQ_ERR_IO, N_("PDF: %s"),
			       cairo_status_to_string(status));
	}
	*len = out.len;
	*pdf = out.data ? out.data : wq_strdup("");
	return WQ_ERR_OK;
}
