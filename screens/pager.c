/* The evidence pager: a text file as UTF-8 (converted at intake from its
 * detected encoding) with search; a binary or undecodable file as its
 * metadata and a hex dump.  The original bytes are never changed. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/casedetail.h"

struct pager {
	int64_t id;
	char header[400];
	char *bytes, *text;
	size_t len;
	struct scr_cells cells;
	struct scr_lines lines;
	int wrapped_for;       /* the width the lines were wrapped at */
	char **hex;            /* the hex dump, one string a line */
	size_t nhex;
	long top;
	char *search;
	long found;            /* line of the last match, -1 */
};

static void make_hex(struct pager *p)
{
	size_t n = (p->len + 15) / 16;

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
		 scr_label(SCR_L_PARTY, e->party), (long long)e->size,
		 e->encoding, e->sha256);
	err = wq_evidence_load(s->ui->store, &s->ui->actor, p->id, &p->bytes,
			       &p->len, &p->text);
	if (err) {
		scr_status_err(s->ui, err);
		return -1;
	}
	if (!p->text)
		make_hex(p);
	return 0;
}

static void pager_close(struct screen *s)
{
	struct pager *p = s->priv;

	free(p->bytes);
	free(p->text);
	free(p->search);
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

	scr_draw_text(stdscr, t.y, t.x, t.w,
		      p->text ? _("evidence") : _("evidence (binary: hex)"),
		      s->ui->attr[SCR_A_TITLE], SCR_TEXT_PAD);
	scr_draw_text(stdscr, h.y, h.x, h.w, p->header,
		      s->ui->attr[SCR_A_DIM], SCR_TEXT_PAD);
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

static int pager_act(struct screen *s, enum scr_action act, const char *rule)
{
	struct pager *p = s->priv;
	char *text;

	(void)rule;
	switch (act) {
	case SCR_ACT_MOVE_DOWN: p->top++; break;
	case SCR_ACT_MOVE_UP: p->top--; break;
	case SCR_ACT_PAGE_DOWN: p->top += 20; break;
	case SCR_ACT_PAGE_UP: p->top -= 20; break;
	case SCR_ACT_FIRST: p->top = 0; break;
	case SCR_ACT_LAST: p->top = line_count(p); break;
	case SCR_ACT_SEARCH:
		if (!p->text) {
			scr_status(s->ui, true, "%s",
				   _("a binary file has no text to search"));
			break;
		}
		if (!scr_prompt_line(s->ui, _("Search in this evidence"),
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
	default:
		return 0;
	}
	return SCR_HANDLED;
}

static int pager_keybar(struct screen *s, const char **items, int max)
{
	(void)s;
	if (max < 3)
		return 0;
	items[0] = "search";
	items[1] = "search-next";
	items[2] = "page-down";
	return 3;
}

const struct screen_ops scr_pager_ops = {
	.name = "pager",
	.priv_size = sizeof(struct pager),
	.layout_id = SCR_SCREEN_PAGER,
	.open = pager_open,
	.draw = pager_draw,
	.act = pager_act,
	.close = pager_close,
	.keybar = pager_keybar,
};
