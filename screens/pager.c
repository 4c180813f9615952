/* The evidence pager: a text file as UTF-8 (converted at intake from its
 * detected encoding) with search; an image as the text the worker read in
 * it, marked machine-read ("being read" until the worker is done, picked
 * up on the data_version refresh); any other binary or undecodable file
 * as its metadata and a hex dump.  The user may read the bytes in another
 * encoding, or as hex, and see the text converted between Simplified and
 * Traditional Chinese.  All of that is a view: the stored bytes, the
 * stored text and the recorded encoding never change. */
#include "config.h"

#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/casedetail.h"
#include "weiquan/convert.h"
#include "weiquan/encoding.h"
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
	struct wq_read_text reading; /* an image's text, read by the worker */
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
		if (p->stored)
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

/* Picks up the worker's result while the image is open. */
static void pager_data_changed(struct screen *s)
{
	struct pager *p = s->priv;

	if (p->reading.state != WQ_READ_WAITING)
		return;
	load_reading(s);
	if (p->reading.state != WQ_READ_WAITING)
		reread(s);
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
			       &p->len, &p->stored);
	if (err) {
		scr_status_err(s->ui, err);
		return -1;
	}
	p->detected = wq_enc_detect(p->bytes, p->len);
	if (!p->stored)
		load_reading(s);
	reread(s);
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
	wq_read_text_clear(&p->reading);
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

	if (p->read_as == READ_AUTO && p->reading.state == WQ_READ_DONE)
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
	scr_draw_text(stdscr, h.y, h.x, h.w, p->header,
		      s->ui->attr[SCR_A_DIM], SCR_TEXT_PAD);
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
	case SCR_ACT_SCRIPT:
		toggle_script(s);
		break;
	case SCR_ACT_ENCODING:
		pick_encoding(s);
		break;
	default:
		return 0;
	}
	return SCR_HANDLED;
}

static int pager_keybar(struct screen *s, const char **items, int max)
{
	(void)s;
	if (max < 5)
		return 0;
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
	.close = pager_close,
	.keybar = pager_keybar,
};
