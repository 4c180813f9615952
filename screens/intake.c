/* The intake form: a walk-in or phone complaint typed in at the desk.
 *
 * A list of rows: the fields (label, value, and the check's message next
 * to it), existing merchants matching the typed name, the checklist of
 * materials, the evidence files attached (from this computer, from the
 * user's PC by ZMODEM or from their upload folder; with the encoding
 * guessed and open to correction), and Save.  The duplicates and
 * the consumer's history are shown under the form as soon as the fields
 * allow, and again, for a human to judge, before the save; the save is one
 * core call (one write transaction: the case, its evidence and the
 * checklist, or nothing).  Then the number, and the receipt to a file.
 *
 * Everything the form knows comes from the core (include/weiquan/intake.h);
 * draw only paints what the last change loaded. */
#include "config.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "screens/editbuf.h"
#include "screens/files.h"
#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/case.h"
#include "weiquan/casedetail.h"
#include "weiquan/encoding.h"
#include "weiquan/group.h"
#include "weiquan/intake.h"
#include "weiquan/rules.h"

#define MAX_FILES 16
#define MAX_MATCHES 5
#define MAX_ROWS 96
#define MAX_PANEL 8
#define EVIDENCE_MAX (64u << 20)
/* A merchant name this wide (in columns) or more is matched. */
#define MATCH_MIN_COLS 2

/* ---- small helpers (out of memory is fatal) ---- */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fputs("weiquan: out of memory\n", stderr);
		abort();
	}
	return q;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s ? s : "") + 1;
	char *p = xrealloc(NULL, n);

	memcpy(p, s ? s : "", n);
	return p;
}

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	b->len += (size_t)n;
}

static void sb_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

/* A copy of s without leading and trailing white space. */
static char *trimmed(const char *s)
{
	size_t n;

	while (*s && strchr(" \t\r\n", *s))
		s++;
	n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	{
		char *p = xrealloc(NULL, n + 1);

		memcpy(p, s, n);
		p[n] = '\0';
		return p;
	}
}

/* ---- the form's fields ---- */

enum field_id {
	F_TYPE,
	F_CATEGORY,
	F_CONSUMER,
	F_PHONE,
	F_IDNO,
	F_REGION,
	F_MERCHANT,
	F_PLATFORM,
	F_SHOP,
	F_MREGION,
	F_ORDER,
	F_AMOUNT,
	F_DATE,
	F_REMEDY,
	F_STATEMENT,
	F_COUNT
};

enum input { IN_LINE, IN_PICK, IN_TEXT };

static const struct field_def {
	const char *key;   /* the report's field name */
	const char *label; /* N_() */
	enum input input;
	bool required;
	const char *hint;  /* N_(): shown dim while empty */
} fields[F_COUNT] = {
	[F_TYPE] = {"type", N_("Case type"), IN_PICK, true, NULL},
	[F_CATEGORY] = {"category", N_("Category"), IN_PICK, true,
			N_("Enter picks from a list")},
	[F_CONSUMER] = {"consumer_name", N_("Full name"), IN_LINE, true,
			N_("the complainant's full name")},
	[F_PHONE] = {"consumer_phone", N_("Phone"), IN_LINE, false,
		     N_("mobile, or landline with area code")},
	[F_IDNO] = {"consumer_id_number", N_("ID number"), IN_LINE, false,
		    N_("resident ID, passport or permit")},
	[F_REGION] = {"region", N_("Region"), IN_LINE, false,
		      N_("where the consumer lives")},
	[F_MERCHANT] = {"merchant_name", N_("Name"), IN_LINE, true,
			N_("type a few characters: known merchants appear")},
	[F_PLATFORM] = {"merchant_platform", N_("Platform"), IN_LINE, false,
			N_("e.g. Taobao, JD, Pinduoduo, a shop")},
	[F_SHOP] = {"merchant_shop_id", N_("Shop ID"), IN_LINE, false,
		    N_("the platform's shop number")},
	[F_MREGION] = {"merchant_region", N_("Region"), IN_LINE, false,
		       N_("where the merchant is registered")},
	[F_ORDER] = {"order_no", N_("Order number"), IN_LINE, false, NULL},
	[F_AMOUNT] = {"amount", N_("Amount (yuan)"), IN_LINE, false,
		      N_("e.g. 1299.50")},
	[F_DATE] = {"order_date", N_("Order date"), IN_LINE, false,
		    N_("YYYY-MM-DD")},
	[F_REMEDY] = {"remedy", N_("Remedy claimed"), IN_PICK, false,
		      N_("Enter picks from a list")},
	[F_STATEMENT] = {"statement", N_("Statement"), IN_TEXT, true,
			 N_("Enter opens the editor (^X to keep the text)")},
};

/* The sections the rows fall into. */
static const char *const sections[] = {
	N_("Complaint"), N_("Consumer"), N_("Merchant"), N_("Order and claim"),
};
static const enum field_id section_start[] = {
	F_TYPE, F_CONSUMER, F_MERCHANT, F_ORDER,
};

static const char *const types[] = {"complaint", "ip", "diversion",
					   "report", NULL};
static const char *const remedies[] = {"refund", "return", "exchange",
				       "repair", "compensation", NULL};
static const char *const kinds[] = {"voucher",	 "order", "chat",
				    "photo",	 "contract", "logistics",
				    "scan",	 "appraisal", "other",
				    NULL};
static const char *const encodings[] = {"utf-8",    "gb18030",	 "big5",
					"utf-16le", "utf-16be", "binary",
					NULL};

/* ---- state ---- */

enum row_kind {
	R_HEADING, /* index: a section, or -1 materials, -2 evidence */
	R_FIELD,   /* index: enum field_id */
	R_MATCH,   /* index: matches[] */
	R_MATERIAL,
	R_FILE,
	R_ATTACH,
	R_SAVE,
	R_HISTORY, /* the consumer's earlier cases, under their fields */
};

struct row {
	enum row_kind kind;
	int index;
};

struct file {
	char *name; /* the base name kept with the evidence */
	char *bytes;
	size_t len;
	char kind[16];
	enum wq_encoding detected;
	bool overridden;
	enum wq_encoding chosen;
	char *preview;	     /* the start of its text, or NULL */
	const char *problem; /* N_(): it does not decode as chosen */
	/* Taken from the upload folder (upload.name set): removed from it
	 * once the complaint is saved, not before. */
	struct wq_upload_file upload;
};

struct panel_line {
	char text[400];
	enum scr_attr attr;
};

struct intake {
	char *value[F_COUNT];
	bool touched[F_COUNT];
	bool show_all; /* after a save was tried: every message */
	bool dirty;
	unsigned materials;
	struct file files[MAX_FILES];
	int nfiles;
	struct wq_merchant_match matches[MAX_MATCHES];
	int nmatches;
	bool merchant_known; /* the name is an existing merchant's */
	char **categories;
	struct wq_intake_report report;
	struct wq_intake_duplicates dups;
	struct wq_intake_history hist;
	bool have_hist;
	struct panel_line panel[MAX_PANEL];
	int npanel;
	struct row rows[MAX_ROWS];
	int nrows;
	int sel, top;
	char last_number[32];
	bool saved_any;
};

static struct intake *form_of(struct screen *s)
{
	return s->priv;
}

static const char *value(const struct intake *f, enum field_id id)
{
	return f->value[id] ? f->value[id] : "";
}

static void set_value(struct intake *f, enum field_id id, const char *v)
{
	free(f->value[id]);
	f->value[id] = xstrdup(v);
	f->touched[id] = true;
	f->dirty = true;
}

/* The form as the core's struct; its strings are the form's own. */
static void to_intake(const struct intake *f, struct wq_intake *in)
{
	int64_t fen = 0;

	memset(in, 0, sizeof(*in));
	in->type = value(f, F_TYPE);
	in->category = value(f, F_CATEGORY);
	in->consumer_name = value(f, F_CONSUMER);
	in->consumer_phone = value(f, F_PHONE);
	in->consumer_id_number = value(f, F_IDNO);
	in->region = value(f, F_REGION);
	in->merchant_name = value(f, F_MERCHANT);
	in->merchant_platform = value(f, F_PLATFORM);
	in->merchant_shop_id = value(f, F_SHOP);
	in->merchant_region = value(f, F_MREGION);
	in->order_no = value(f, F_ORDER);
	if (wq_intake_amount(value(f, F_AMOUNT), &fen, NULL))
		in->amount_fen = fen;
	in->order_date = value(f, F_DATE);
	in->remedy = value(f, F_REMEDY);
	in->statement = value(f, F_STATEMENT);
}

static bool file_is_kind(const struct intake *f, const char *kind)
{
	for (int i = 0; i < f->nfiles; i++)
		if (strcmp(f->files[i].kind, kind) == 0)
			return true;
	return false;
}

/* ---- rows ---- */

static void add_row(struct intake *f, enum row_kind kind, int index)
{
	if (f->nrows < MAX_ROWS) {
		f->rows[f->nrows].kind = kind;
		f->rows[f->nrows].index = index;
		f->nrows++;
	}
}

static bool selectable(const struct row *r)
{
	return r->kind != R_HEADING;
}

static void build_rows(struct intake *f)
{
	struct row was = {R_FIELD, F_TYPE};
	int sec = 0;

	if (f->sel >= 0 && f->sel < f->nrows)
		was = f->rows[f->sel];
	f->nrows = 0;
	for (int id = 0; id < F_COUNT; id++) {
		if (sec < (int)(sizeof(section_start) / sizeof(*section_start)) &&
		    (int)section_start[sec] == id)
			add_row(f, R_HEADING, sec++);
		add_row(f, R_FIELD, id);
		/* After the fields, so that none moves when it appears. */
		if (id == F_COUNT - 1 && f->have_hist && f->hist.nrecent > 0)
			add_row(f, R_HISTORY, 0);
		if (id == F_MERCHANT)
			for (int m = 0; m < f->nmatches; m++)
				add_row(f, R_MATCH, m);
	}
	add_row(f, R_HEADING, -1);
	for (int m = 0; m < WQ_MATERIAL_COUNT_; m++)
		add_row(f, R_MATERIAL, m);
	add_row(f, R_HEADING, -2);
	for (int i = 0; i < f->nfiles; i++)
		add_row(f, R_FILE, i);
	add_row(f, R_ATTACH, 0);
	add_row(f, R_SAVE, 0);
	/* The cursor stays on what it was on, or the nearest row. */
	f->sel = -1;
	for (int i = 0; i < f->nrows; i++)
		if (f->rows[i].kind == was.kind && f->rows[i].index == was.index)
			f->sel = i;
	if (f->sel < 0) {
		for (int i = 0; i < f->nrows; i++)
			if (was.kind == R_MATCH && f->rows[i].kind == R_FIELD &&
			    f->rows[i].index == F_MERCHANT)
				f->sel = i;
			else if (was.kind == R_FILE && f->rows[i].kind == R_ATTACH)
				f->sel = i;
	}
	if (f->sel < 0)
		f->sel = 1;
	if (f->sel >= f->nrows)
		f->sel = f->nrows - 1;
}

static int row_of_field(const struct intake *f, const char *key)
{
	for (int i = 0; i < f->nrows; i++) {
		const struct row *r = &f->rows[i];

		if (r->kind == R_FIELD && strcmp(fields[r->index].key, key) == 0)
			return i;
		if (r->kind == R_HEADING && r->index == -1 &&
		    strcmp(key, "materials") == 0)
			return i + 1;
	}
	return -1;
}

/* ---- what the checks say ---- */

static void panel_add(struct intake *f, enum scr_attr attr, const char *fmt,
		      ...) __attribute__((format(printf, 3, 4)));

static void panel_add(struct intake *f, enum scr_attr attr, const char *fmt,
		      ...)
{
	va_list ap;

	if (f->npanel >= MAX_PANEL)
		return;
	va_start(ap, fmt);
	vsnprintf(f->panel[f->npanel].text, sizeof(f->panel[0].text), fmt, ap);
	va_end(ap);
	f->panel[f->npanel++].attr = attr;
}

static void signals_text(unsigned signals, struct sbuf *b, const char *sep)
{
	bool first = true;

	for (unsigned i = 0; i < WQ_SIGNAL_COUNT_; i++) {
		if (!(signals & (1u << i)))
			continue;
		sb_printf(b, "%s%s", first ? "" : sep,
			  _(wq_signal_message(i)));
		first = false;
	}
}

static void history_text(const struct wq_intake_history *h, struct sbuf *b)
{
	sb_printf(b,
		  _("Earlier complaints: %" PRId64 " (30 days: %" PRId64
		    ", 90: %" PRId64 ", 365: %" PRId64 "); merchants: %" PRId64
		    ", this one: %" PRId64 "; not accepted or withdrawn: "
		    "%d%%"),
		  h->total, h->last30, h->last90, h->last365, h->merchants365,
		  h->this_merchant365, h->refused_percent);
	if (h->by_name_only)
		sb_printf(b, "%s", _(" (matched by name only)"));
}

static void build_panel(struct intake *f)
{
	char when[32];

	f->npanel = 0;
	for (size_t i = 0; i < f->dups.n && i < 2; i++) {
		scr_local_time(f->dups.v[i].received_at, when, sizeof(when));
		panel_add(f, SCR_A_ERROR,
			  _("Possible duplicate: %s (%s; registered %s)"),
			  f->dups.v[i].number,
			  scr_status_label(f->dups.v[i].status), when);
	}
	if (f->dups.n > 2)
		panel_add(f, SCR_A_ERROR, _("... and %zu more possible "
					    "duplicates"),
			  f->dups.n - 2);
	/* With earlier cases to open, the history is a row of the form. */
	if (f->have_hist && f->hist.total > 0 && f->hist.nrecent == 0) {
		struct sbuf b = {0};

		history_text(&f->hist, &b);
		panel_add(f, SCR_A_NORMAL, "%s", b.s);
		free(b.s);
	}
	if (f->have_hist && f->hist.signals) {
		struct sbuf b = {0};

		signals_text(f->hist.signals, &b, "; ");
		panel_add(f, SCR_A_MARK, _("Signals for a human to judge: %s"),
			  b.s);
		free(b.s);
	}
}

static void load_matches(struct screen *s)
{
	struct intake *f = form_of(s);
	const char *name = value(f, F_MERCHANT);
	enum wq_err err;

	f->nmatches = 0;
	f->merchant_known = false;
	if (scr_text_width(name) < MATCH_MIN_COLS)
		return;
	err = wq_intake_merchants(s->ui->store, name, f->matches, MAX_MATCHES,
				  &f->nmatches);
	if (err) {
		scr_status_err(s->ui, err);
		f->nmatches = 0;
		return;
	}
	for (int i = 0; i < f->nmatches; i++)
		if (strcmp(f->matches[i].name, name) == 0)
			f->merchant_known = true;
	/* An exact match picked already needs no list. */
	if (f->nmatches == 1 && f->merchant_known &&
	    strcmp(f->matches[0].platform, value(f, F_PLATFORM)) == 0 &&
	    strcmp(f->matches[0].shop_id, value(f, F_SHOP)) == 0)
		f->nmatches = 0;
}

/* Runs the checks, the duplicates and the history again: after every
 * change of the form, and when another session committed. */
static void recompute(struct screen *s)
{
	struct intake *f = form_of(s);
	struct scr_ui *ui = s->ui;
	struct wq_intake in;
	enum wq_err err;
	int64_t fen;

	to_intake(f, &in);
	err = wq_intake_check(ui->store, &ui->actor, &in, &f->report);
	if (err && err != WQ_ERR_INVALID)
		scr_status_err(ui, err);
	wq_intake_amount(value(f, F_AMOUNT), &fen, &f->report);
	wq_intake_check_materials(f->materials, file_is_kind(f, "voucher"),
				  file_is_kind(f, "order"), &f->report);

	wq_intake_duplicates_free(&f->dups);
	if (wq_intake_duplicates(ui->store, &ui->actor, &in, &f->dups))
		memset(&f->dups, 0, sizeof(f->dups));
	f->have_hist = wq_intake_history(ui->store, &ui->actor, &in,
					 &f->hist) == WQ_ERR_OK;
	build_panel(f);
	build_rows(f);
}

/* ---- open and close ---- */

static void clear_form(struct intake *f)
{
	for (int i = 0; i < F_COUNT; i++) {
		free(f->value[i]);
		f->value[i] = NULL;
		f->touched[i] = false;
	}
	for (int i = 0; i < f->nfiles; i++) {
		free(f->files[i].name);
		free(f->files[i].bytes);
		free(f->files[i].preview);
		wq_upload_file_free(&f->files[i].upload);
	}
	memset(f->files, 0, sizeof(f->files));
	f->nfiles = 0;
	f->nmatches = 0;
	f->materials = 0;
	f->show_all = false;
	f->dirty = false;
	/* Most complaints are consumer complaints. */
	f->value[F_TYPE] = xstrdup("complaint");
}

static int intake_open(struct screen *s, const void *arg)
{
	struct intake *f = form_of(s);
	enum wq_err err;

	(void)arg;
	err = wq_intake_categories(s->ui->store, &f->categories);
	if (err) {
		scr_status_err(s->ui, err);
		return -1;
	}
	clear_form(f);
	f->sel = 1;
	recompute(s);
	return 0;
}

static void intake_close(struct screen *s)
{
	struct intake *f = form_of(s);

	clear_form(f);
	free(f->value[F_TYPE]);
	f->value[F_TYPE] = NULL;
	wq_intake_strv_free(&f->categories);
	wq_intake_duplicates_free(&f->dups);
	/* This session's own commits do not change the store's data
	 * version, so the screens below (the queue) would not notice the
	 * new cases: tell them. */
	for (int i = 0; f->saved_any && i < s->ui->depth; i++)
		if (s->ui->stack[i] != s && s->ui->stack[i]->ops->data_changed)
			s->ui->stack[i]->ops->data_changed(s->ui->stack[i]);
}

/* ---- drawing ---- */

static const char *problem_text(const struct intake *f, const char *key,
				bool *warning)
{
	const struct wq_intake_problem *p =
		wq_intake_problem_of(&f->report, key);

	if (!p)
		return NULL;
	*warning = p->warning;
	return _(p->message);
}

static void file_summary(const struct file *file, char *out, size_t size)
{
	const char *enc = wq_enc_name(file->overridden ? file->chosen
						       : file->detected);

	snprintf(out, size, "%s  %s%s  %s  %zu B", file->name, enc,
		 file->overridden ? _(" (set by hand)") : _(" (guessed)"),
		 scr_label(SCR_L_EVIDENCE, file->kind), file->len);
}

/* One row: the label column, the value, and the message next to it. */
static void draw_row(struct screen *s, int i, int y, const struct scr_rect *r,
		     int lw)
{
	struct intake *f = form_of(s);
	struct scr_ui *ui = s->ui;
	const struct row *row = &f->rows[i];
	bool sel = i == f->sel, warning = false, info = false;
	attr_t label_attr = ui->attr[sel ? SCR_A_SELECTED : SCR_A_NORMAL];
	const char *label = "", *text = "", *msg = NULL;
	attr_t text_attr = ui->attr[SCR_A_NORMAL];
	char buf[640], lab[128];
	int vx = r->x + lw + 1, vw = r->w - lw - 1, used;

	switch (row->kind) {
	case R_HEADING: {
		/* With the key that acts on the section's lines, as bound. */
		const char *key = scr_key_for(s->ops, row->index == -1
							      ? SCR_ACT_TOGGLE
							      : SCR_ACT_ATTACH,
					      NULL);

		if (row->index >= 0)
			snprintf(buf, sizeof(buf), "%s", _(sections[row->index]));
		else
			snprintf(buf, sizeof(buf), *key ? "%s  [%s]" : "%s",
				 row->index == -1
					 ? _("Materials checked at the desk")
					 : _("Evidence files"),
				 key);
		scr_draw_text(stdscr, y, r->x, r->w, buf,
			      ui->attr[SCR_A_TITLE], SCR_TEXT_PAD);
		return;
	}
	case R_FIELD: {
		const struct field_def *d = &fields[row->index];
		const char *v = value(f, (enum field_id)row->index);

		snprintf(lab, sizeof(lab), "%s%s", _(d->label),
			 d->required ? " *" : "");
		label = lab;
		if (!*v && d->hint) {
			text = _(d->hint);
			text_attr = ui->attr[SCR_A_DIM];
		} else if (row->index == F_TYPE) {
			text = scr_label(SCR_L_TYPE, v);
		} else if (row->index == F_CATEGORY) {
			text = scr_label(SCR_L_CATEGORY, v);
		} else if (row->index == F_REMEDY) {
			text = scr_label(SCR_L_REMEDY, v);
		} else {
			text = v;
		}
		if (f->touched[row->index] || f->show_all)
			msg = problem_text(f, d->key, &warning);
		if (!msg && row->index == F_MERCHANT && *v) {
			msg = f->merchant_known ? _("existing merchant")
						: _("new merchant");
			warning = info = true;
		}
		break;
	}
	case R_MATCH: {
		const struct wq_merchant_match *m = &f->matches[row->index];

		snprintf(buf, sizeof(buf), _("= %s  %s  complaints: %" PRId64 "%s"),
			 m->name, *m->platform ? m->platform : "-",
			 m->complaints,
			 m->blacklisted	       ? _("  blacklisted")
			 : m->repeat_offender ? _("  repeat offender")
					      : "");
		label = sel ? _("Enter: pick") : "";
		text = buf;
		text_attr = ui->attr[m->blacklisted || m->repeat_offender
					     ? SCR_A_MARK
					     : SCR_A_DIM];
		break;
	}
	case R_MATERIAL:
		snprintf(buf, sizeof(buf), "[%s] %s",
			 f->materials & (1u << row->index) ? "x" : " ",
			 _(wq_material_label((unsigned)row->index)));
		text = buf;
		if (row->index == 0 && (f->show_all || f->dirty))
			msg = problem_text(f, "materials", &warning);
		break;
	case R_FILE: {
		const struct file *file = &f->files[row->index];

		file_summary(file, buf, sizeof(buf));
		text = buf;
		if (file->problem) {
			msg = _(file->problem);
			warning = false;
		} else if (file->preview) {
			msg = file->preview;
			warning = info = true;
		}
		break;
	}
	case R_HISTORY: {
		struct sbuf b = {0};

		history_text(&f->hist, &b);
		snprintf(buf, sizeof(buf), "%s", b.s ? b.s : "");
		free(b.s);
		label = sel ? _("Enter: open") : _("History");
		text = buf;
		text_attr = ui->attr[SCR_A_DIM];
		break;
	}
	case R_ATTACH:
		text = _("+ Attach a file: this computer, your PC, your "
			 "upload folder...");
		text_attr = ui->attr[SCR_A_DIM];
		break;
	case R_SAVE:
		text = _("[ Save the complaint ]");
		text_attr = ui->attr[SCR_A_TITLE];
		break;
	}

	scr_draw_text(stdscr, y, r->x, lw, label, label_attr,
		      sel ? SCR_TEXT_PAD : 0);
	if (sel && !*label)
		scr_draw_text(stdscr, y, r->x, lw, ">", label_attr,
			      SCR_TEXT_PAD);
	if (vw <= 0)
		return;
	if (msg) {
		/* The value keeps at least half; the message the rest. */
		int tw = scr_text_width(text);
		int max_v = vw - (vw * 2 / 5 < 12 ? 12 : vw * 2 / 5);

		if (max_v < vw / 2)
			max_v = vw / 2;
		used = scr_draw_text(stdscr, y, vx, tw < max_v ? tw : max_v,
				     text, text_attr, SCR_TEXT_NL_SPACE);
		if (vw - used - 2 > 0)
			scr_draw_text(stdscr, y, vx + used + 2, vw - used - 2,
				      msg,
				      ui->attr[!warning ? SCR_A_ERROR
					       : info	 ? SCR_A_DIM
							 : SCR_A_DUE_SOON],
				      SCR_TEXT_NL_SPACE);
	} else {
		scr_draw_text(stdscr, y, vx, vw, text, text_attr,
			      SCR_TEXT_NL_SPACE);
	}
}

static void intake_draw(struct screen *s)
{
	struct intake *f = form_of(s);
	struct scr_ui *ui = s->ui;
	struct scr_rect title = scr_layout_rect(&s->lay, SCR_AREA_TITLE);
	struct scr_rect r = scr_layout_rect(&s->lay, SCR_AREA_HELP_TEXT);
	int panel_h = f->npanel, form_h, lw;
	char line[256];

	snprintf(line, sizeof(line), "weiquan  %s (%s)  %s%s%s",
		 ui->actor.login,
		 scr_label(SCR_L_ROLE, wq_role_name(ui->actor.role)),
		 _("New complaint"), *f->last_number ? _("  last saved: ") : "",
		 f->last_number);
	scr_draw_text(stdscr, title.y, title.x, title.w, line,
		      ui->attr[SCR_A_TITLE], SCR_TEXT_PAD);
	if (r.h <= 0 || r.w <= 0)
		return;

	if (panel_h > r.h / 3)
		panel_h = r.h / 3;
	form_h = r.h - panel_h;
	lw = r.w / 5;
	if (lw < 10)
		lw = 10;
	if (lw > 18)
		lw = 18;

	/* Keep the cursor in view, with its section's heading if it fits. */
	if (f->sel < f->top)
		f->top = f->sel > 0 && f->rows[f->sel - 1].kind == R_HEADING
				 ? f->sel - 1
				 : f->sel;
	if (f->sel >= f->top + form_h)
		f->top = f->sel - form_h + 1;
	if (f->top > f->nrows - form_h)
		f->top = f->nrows - form_h;
	if (f->top < 0)
		f->top = 0;
	for (int k = 0; k < form_h && f->top + k < f->nrows; k++)
		draw_row(s, f->top + k, r.y + k, &r, lw);
	for (int k = 0; k < panel_h; k++)
		scr_draw_text(stdscr, r.y + form_h + k, r.x, r.w,
			      f->panel[k].text, ui->attr[f->panel[k].attr],
			      SCR_TEXT_PAD);
}

/* ---- editing ---- */

static void move_sel(struct intake *f, int step, int count)
{
	int i = f->sel;

	for (int n = 0; n < count; n++) {
		int j = i + step;

		while (j >= 0 && j < f->nrows && !selectable(&f->rows[j]))
			j += step;
		if (j < 0 || j >= f->nrows)
			break;
		i = j;
	}
	f->sel = i;
}

static bool pick_code(struct screen *s, const char *title,
		      const char *const *codes, enum scr_label_kind kind,
		      bool with_none, const char **picked)
{
	const char *list[48], *labels[48];
	int n = 0, k;

	if (with_none) {
		list[n] = "";
		labels[n++] = _("(none)");
	}
	for (int i = 0; codes[i] && n < 47; i++) {
		list[n] = codes[i];
		labels[n++] = scr_label(kind, codes[i]);
	}
	list[n] = labels[n] = NULL;
	if (!scr_prompt_pick(s->ui, title, list, labels, &k))
		return false;
	*picked = list[k];
	return true;
}

static void edit_statement(struct screen *s)
{
	struct intake *f = form_of(s);
	const char *old = value(f, F_STATEMENT);
	char *text = NULL, *title;
	int how = 1; /* 0 add, 1 anew, 2 one line, 3 clear */

	if (*old) {
		const char *choices[] = {"add", "anew", "line", "clear", NULL};
		const char *labels[] = {
			_("Add to it (a new paragraph)"),
			_("Write it anew"),
			_("Edit it on one line"),
			_("Clear it"),
			NULL,
		};

		if (strchr(old, '\n')) {
			choices[2] = "clear";
			labels[2] = labels[3];
			choices[3] = labels[3] = NULL;
		}
		if (!scr_prompt_pick(s->ui, _("The statement"), choices, labels,
				     &how))
			return;
		if (strcmp(choices[how], "clear") == 0)
			how = 3;
	}
	title = xstrdup(_("The complainant's statement: what happened, when, "
			  "what they want (^X keeps it)"));
	if (how == 3) {
		set_value(f, F_STATEMENT, "");
	} else if (how == 2) {
		if (scr_prompt_line(s->ui, title, old, &text)) {
			set_value(f, F_STATEMENT, text);
			free(text);
		}
	} else if (scr_prompt_text(s->ui, title, 0, NULL, &text)) {
		char *t = trimmed(text);

		if (how == 0 && *t) {
			struct sbuf b = {0};

			sb_printf(&b, "%s\n%s", old, t);
			set_value(f, F_STATEMENT, b.s);
			free(b.s);
		} else if (how == 1) {
			set_value(f, F_STATEMENT, t);
		}
		free(t);
		free(text);
	}
	free(title);
	f->touched[F_STATEMENT] = true;
}

/* typed: what the user began the field with, by typing on its row
 * (replacing nothing: appended to what is there), or NULL. */
static void edit_field(struct screen *s, enum field_id id, const char *typed)
{
	struct intake *f = form_of(s);
	const struct field_def *d = &fields[id];
	const char *picked;
	char *text = NULL, title[256];

	switch (d->input) {
	case IN_PICK:
		if (id == F_TYPE &&
		    pick_code(s, _("Case type"), types, SCR_L_TYPE, false,
			      &picked))
			set_value(f, id, picked);
		else if (id == F_CATEGORY &&
			 pick_code(s, _("Category"),
				   (const char *const *)f->categories,
				   SCR_L_CATEGORY, false, &picked))
			set_value(f, id, picked);
		else if (id == F_REMEDY &&
			 pick_code(s, _("Remedy claimed"), remedies,
				   SCR_L_REMEDY, true, &picked))
			set_value(f, id, picked);
		f->touched[id] = true;
		break;
	case IN_TEXT:
		edit_statement(s);
		break;
	case IN_LINE:
		if (d->hint)
			snprintf(title, sizeof(title), "%s (%s)", _(d->label),
				 _(d->hint));
		else
			snprintf(title, sizeof(title), "%s", _(d->label));
		{
			char *initial = malloc(strlen(value(f, id)) +
					       (typed ? strlen(typed) : 0) + 1);

			if (!initial)
				abort();
			sprintf(initial, "%s%s", value(f, id),
				typed ? typed : "");
			if (!scr_prompt_line(s->ui, title, initial, &text)) {
				free(initial);
				return;
			}
			free(initial);
		}
		{
			char *t = trimmed(text);

			free(text);
			if (id == F_PHONE && *t) {
				char *n = wq_intake_phone_normalize(t);

				free(t);
				t = n;
			}
			if (id == F_IDNO) {
				size_t n = strlen(t);

				if (n && t[n - 1] == 'x')
					t[n - 1] = 'X';
			}
			set_value(f, id, t);
			free(t);
		}
		if (id == F_MERCHANT)
			load_matches(s);
		break;
	}
}

/* The consumer's earlier cases, newest first: one picked opens. */
static void pick_history(struct screen *s)
{
	struct intake *f = form_of(s);
	const char *numbers[6], *labels[6];
	char text[5][320], when[32];
	int n = 0, picked;

	for (; n < f->hist.nrecent && n < 5; n++) {
		const struct wq_intake_case *c = &f->hist.recent[n];

		scr_local_time(c->received_at, when, sizeof(when));
		snprintf(text[n], sizeof(text[n]), "%s  %s  %s  %s", c->number,
			 scr_status_label(c->status), c->merchant, when);
		numbers[n] = c->number;
		labels[n] = text[n];
	}
	numbers[n] = labels[n] = NULL;
	if (n && scr_prompt_pick(s->ui, _("The consumer's earlier cases"),
				 numbers, labels, &picked))
		scr_push(s->ui, &scr_case_ops, numbers[picked]);
}

static void pick_match(struct screen *s, int m)
{
	struct intake *f = form_of(s);
	const struct wq_merchant_match *mm = &f->matches[m];
	char name[128];

	snprintf(name, sizeof(name), "%s", mm->name);
	set_value(f, F_MERCHANT, mm->name);
	set_value(f, F_PLATFORM, mm->platform);
	set_value(f, F_SHOP, mm->shop_id);
	set_value(f, F_MREGION, mm->region);
	f->nmatches = 0;
	f->merchant_known = true;
	scr_status(s->ui, false, _("Merchant: %s (existing; complaints: %" PRId64
				   ")"),
		   name, mm->complaints);
}

/* ---- evidence ---- */

static void set_preview(struct file *file)
{
	enum wq_encoding enc = file->overridden ? file->chosen : file->detected;
	char *text = NULL;
	size_t n = 0;

	free(file->preview);
	file->preview = NULL;
	file->problem = NULL;
	if (enc == WQ_ENC_BINARY || enc == WQ_ENC_UNKNOWN) {
		if (file->overridden && enc == WQ_ENC_UNKNOWN)
			file->problem = N_("pick an encoding");
		return;
	}
	if (wq_enc_to_utf8(file->bytes, file->len, enc, &text, &n) !=
	    WQ_ERR_OK) {
		file->problem = N_("does not decode in this encoding: pick "
				   "another");
		return;
	}
	/* The first line, for the desk to see that the guess reads right. */
	{
		char *nl = strchr(text, '\n');

		if (nl)
			*nl = '\0';
		if (strlen(text) > 200)
			text[200] = '\0';
		file->preview = text;
	}
}

/* Takes bytes (malloc'd, now the form's) as the next file of the form. */
static struct file *add_file(struct screen *s, const char *name, char *bytes,
			     size_t len, const char *kind)
{
	struct intake *f = form_of(s);
	struct file *file = &f->files[f->nfiles++];

	memset(file, 0, sizeof(*file));
	file->name = xstrdup(name);
	file->bytes = bytes;
	file->len = len;
	snprintf(file->kind, sizeof(file->kind), "%s", kind);
	file->detected = wq_enc_detect(bytes, len);
	set_preview(file);
	/* A file handed in is a material seen. */
	if (strcmp(kind, "voucher") == 0)
		f->materials |= WQ_MATERIAL(VOUCHER);
	else if (strcmp(kind, "order") == 0)
		f->materials |= WQ_MATERIAL(ORDER);
	else if (strcmp(kind, "chat") == 0)
		f->materials |= WQ_MATERIAL(CHAT);
	f->dirty = true;
	return file;
}

/* After files were added: the checks again, the cursor on the last. */
static void select_last_file(struct screen *s)
{
	struct intake *f = form_of(s);

	recompute(s);
	for (int i = 0; i < f->nrows; i++)
		if (f->rows[i].kind == R_FILE &&
		    f->rows[i].index == f->nfiles - 1)
			f->sel = i;
}

static bool room_for_a_file(struct screen *s)
{
	if (form_of(s)->nfiles < MAX_FILES)
		return true;
	scr_status(s->ui, true, _("at most %d files per complaint"),
		   MAX_FILES);
	return false;
}

static void attach(struct screen *s)
{
	struct scr_ui *ui = s->ui;
	struct file *file;
	const char *kind, *base;
	char *path = NULL, *p, *bytes = NULL;
	size_t len = 0;
	enum wq_err err;

	if (!room_for_a_file(s))
		return;
	if (!scr_prompt_line(ui, _("Evidence file: its path on this computer"),
			     "", &path))
		return;
	p = trimmed(path);
	free(path);
	if (!*p) {
		free(p);
		return;
	}
	err = wq_intake_read_file(p, EVIDENCE_MAX, &bytes, &len);
	if (err) {
		scr_status_err(ui, err);
		free(p);
		return;
	}
	if (!pick_code(s, _("What is this file?"), kinds, SCR_L_EVIDENCE, false,
		       &kind)) {
		free(bytes);
		free(p);
		return;
	}
	base = strrchr(p, '/');
	base = base && base[1] ? base + 1 : p;
	file = add_file(s, base, bytes, len, kind);
	scr_status(ui, false,
		   _("%s attached: %zu bytes, encoding %s (guessed; Enter on "
		     "it to change)"),
		   file->name, len, wq_enc_name(file->detected));
	free(p);
	select_last_file(s);
}

/* Files from the user's PC by ZMODEM, all of one kind, kept in the form
 * until it is saved: a cancelled transfer adds none. */
static void attach_zmodem(struct screen *s)
{
	struct intake *f = form_of(s);
	struct wq_zmodem_file *files = NULL;
	size_t count = 0;
	const char *kind;

	if (!room_for_a_file(s))
		return;
	if (!wq_zmodem_can_receive()) {
		scr_status(s->ui, true, "%s",
			   _("receiving from the PC is unavailable: lrzsz "
			     "(rz) is not installed"));
		return;
	}
	if (!pick_code(s, _("What are the files you will send?"), kinds,
		       SCR_L_EVIDENCE, false, &kind))
		return;
	if (!scr_zmodem_receive(s->ui, &files, &count))
		return;
	if ((size_t)(MAX_FILES - f->nfiles) < count) {
		scr_status(s->ui, true,
			   _("%zu files received, room for %d more: none "
			     "added"),
			   count, MAX_FILES - f->nfiles);
	} else {
		for (size_t i = 0; i < count; i++) {
			add_file(s, files[i].name, files[i].data,
				 files[i].len, kind);
			files[i].data = NULL;
		}
		scr_status(s->ui, false,
			   ngettext("%zu file received from your PC; saved "
				    "with the complaint",
				    "%zu files received from your PC; saved "
				    "with the complaint",
				    count),
			   count);
		select_last_file(s);
	}
	wq_zmodem_files_free(&files, count);
}

/* A file from the upload folder, kept in the form; the folder lets go of
 * it once the complaint is saved. */
static void attach_upload(struct screen *s)
{
	struct intake *f = form_of(s);
	struct wq_upload_file up;
	struct file *file;
	const char *kind;

	if (!room_for_a_file(s) || !scr_upload_pick(s->ui, &up))
		return;
	for (int i = 0; i < f->nfiles; i++)
		if (f->files[i].upload.name &&
		    f->files[i].upload.dev == up.dev &&
		    f->files[i].upload.ino == up.ino) {
			scr_status(s->ui, true, _("%s is in the form already"),
				   up.name);
			wq_upload_file_free(&up);
			return;
		}
	if (!pick_code(s, _("What is this file?"), kinds, SCR_L_EVIDENCE, false,
		       &kind)) {
		wq_upload_file_free(&up);
		return;
	}
	file = add_file(s, up.name, up.data, up.len, kind);
	up.data = NULL;
	file->upload = up;
	scr_status(s->ui, false,
		   _("%s added from the upload folder: %zu bytes; it leaves "
		     "the folder when the complaint is saved"),
		   file->name, file->len);
	select_last_file(s);
}

/* Enter on "+ Attach": from where. */
static void attach_from(struct screen *s)
{
	static const char *const ways[] = {"path", "zmodem", "uploads", NULL};
	const char *labels[4];
	int how;

	labels[0] = _("A file on this computer (its path)");
	labels[1] = _("From your PC over the session (ZMODEM: Xshell, "
		      "SecureCRT, MobaXterm)");
	labels[2] = _("From your upload folder (put there with sftp)");
	labels[3] = NULL;
	if (!scr_prompt_pick(s->ui, _("Attach a file"), ways, labels, &how))
		return;
	if (how == 0)
		attach(s);
	else if (how == 1)
		attach_zmodem(s);
	else
		attach_upload(s);
}

static void file_menu(struct screen *s, int i)
{
	struct intake *f = form_of(s);
	struct file *file = &f->files[i];
	const char *choices[] = {"encoding", "kind", "remove", NULL};
	char enc_label[160], kind_label[160];
	const char *labels[4];
	const char *picked;
	int how;

	snprintf(enc_label, sizeof(enc_label), _("Encoding: %s (change)"),
		 wq_enc_name(file->overridden ? file->chosen
					      : file->detected));
	snprintf(kind_label, sizeof(kind_label), _("Kind: %s (change)"),
		 scr_label(SCR_L_EVIDENCE, file->kind));
	labels[0] = enc_label;
	labels[1] = kind_label;
	labels[2] = _("Remove this file");
	labels[3] = NULL;
	if (!scr_prompt_pick(s->ui, file->name, choices, labels, &how))
		return;
	f->dirty = true;
	if (how == 0) {
		const char *list[10], *names[10];
		char guess[96];
		int n = 0, k;

		snprintf(guess, sizeof(guess), _("as guessed (%s)"),
			 wq_enc_name(file->detected));
		list[n] = "auto";
		names[n++] = guess;
		for (int e = 0; encodings[e]; e++) {
			list[n] = encodings[e];
			names[n++] = encodings[e];
		}
		list[n] = names[n] = NULL;
		if (!scr_prompt_pick(s->ui, _("The file's encoding"), list,
				     names, &k))
			return;
		if (k == 0) {
			file->overridden = false;
		} else if (wq_enc_parse(list[k], &file->chosen) == WQ_ERR_OK) {
			file->overridden = true;
		}
		set_preview(file);
	} else if (how == 1) {
		if (pick_code(s, _("What is this file?"), kinds,
			      SCR_L_EVIDENCE, false, &picked))
			snprintf(file->kind, sizeof(file->kind), "%s", picked);
	} else {
		free(file->name);
		free(file->bytes);
		free(file->preview);
		wq_upload_file_free(&file->upload);
		memmove(&f->files[i], &f->files[i + 1],
			(size_t)(f->nfiles - i - 1) * sizeof(f->files[0]));
		f->nfiles--;
	}
}

/* ---- save ---- */

static int first_problem_row(const struct intake *f)
{
	for (int i = 0; i < f->report.count; i++)
		if (!f->report.v[i].warning) {
			int row = row_of_field(f, f->report.v[i].field);

			if (row >= 0)
				return row;
		}
	return -1;
}

/* What the desk reads before saving: duplicates, history, signals and the
 * warnings.  Nothing here stops the save; a human judges. */
static char *review_text(const struct intake *f)
{
	struct sbuf b = {0};
	char when[32];
	bool any = false;

	if (f->dups.n) {
		sb_printf(&b, "%s\n",
			  _("Possible duplicates (same consumer, merchant and "
			    "order within 30 days):"));
		for (size_t i = 0; i < f->dups.n && i < 4; i++) {
			scr_local_time(f->dups.v[i].received_at, when, sizeof(when));
			sb_printf(&b, "  %s  %s  %s\n", f->dups.v[i].number,
				  scr_status_label(f->dups.v[i].status), when);
		}
		if (f->dups.n > 4)
			sb_printf(&b, _("  ... and %zu more\n"), f->dups.n - 4);
		any = true;
	}
	if (f->have_hist && f->hist.total) {
		sb_printf(&b, "%s", _("The consumer's history: "));
		history_text(&f->hist, &b);
		sb_printf(&b, "\n");
		any = true;
	}
	if (f->have_hist && f->hist.signals) {
		sb_printf(&b, "%s\n  ", _("Serial-complaint signals:"));
		signals_text(f->hist.signals, &b, "\n  ");
		sb_printf(&b, "\n");
		any = true;
	}
	if (!any)
		sb_printf(&b, "%s\n", _("No possible duplicates and no earlier "
					"complaints of this consumer."));
	if (f->dups.n || (f->have_hist && f->hist.signals))
		sb_printf(&b, "%s\n",
			  _("These are for you to judge: they never refuse a "
			    "complaint by themselves."));
	for (int i = 0; i < f->report.count; i++) {
		if (!f->report.v[i].warning)
			continue;
		sb_printf(&b, _("Note: %s\n"), _(f->report.v[i].message));
	}
	sb_printf(&b, "\n%s", _("Save the complaint?"));
	return b.s;
}

/* The receipt goes to a new file in the receipt directory (~/weiquan):
 * the desk names the file, never a path, and no file is ever replaced,
 * so a name typed at the prompt cannot reach the user's other files
 * (.ssh/authorized_keys, .profile). */
static void write_receipt(struct screen *s, const char *number)
{
	struct scr_ui *ui = s->ui;
	char def[64], title[600], *name = NULL, *p = NULL, *text = NULL;
	char *out = NULL, *dir = wq_intake_receipt_dir(), *written = NULL;
	size_t len = 0;
	enum wq_err err;
	bool utf8_fallback = false;

	snprintf(def, sizeof(def), "receipt-%s.txt", number);
	err = wq_receipt_text(ui->store, &ui->actor, number, &text);
	if (!err) {
		err = wq_receipt_encode(text, nl_langinfo(CODESET), &out, &len);
		if (err == WQ_ERR_ENCODING) {
			/* Big5 lacks simplified characters: keep UTF-8. */
			free(out);
			out = strdup(text);
			len = strlen(text);
			utf8_fallback = true;
			err = WQ_ERR_OK;
		}
	}
	snprintf(title, sizeof(title),
		 _("Receipt file name (for the desk printer; saved in %s)"),
		 dir ? dir : "~/weiquan");
	while (!err && scr_prompt_line(ui, title, def, &name)) {
		free(p);
		p = trimmed(name);
		free(name);
		name = NULL;
		if (!*p)
			break;
		err = wq_intake_write_receipt(p, out, len, &written);
		if (err == WQ_ERR_EXISTS) {
			snprintf(title, sizeof(title),
				 _("%s exists in %s; another file name"), p,
				 dir ? dir : "~/weiquan");
			err = WQ_ERR_OK;
		} else if (err == WQ_ERR_INVALID) {
			snprintf(title, sizeof(title), "%s",
				 _("A file name only, without '/' and not "
				   "starting with '.'; receipt file name"));
			err = WQ_ERR_OK;
		} else {
			break;
		}
	}
	if (err)
		scr_status_err(ui, err);
	else if (written)
		scr_status(ui, false,
			   utf8_fallback
				   ? _("Registered %s; receipt written to %s "
				       "(in UTF-8: the terminal's charset lacks "
				       "some characters)")
				   : _("Registered %s; receipt written to %s"),
			   number, written);
	else
		scr_status(ui, false,
			   _("Registered %s ('weiquan receipt %s' prints the "
			     "receipt)"),
			   number, number);
	free(text);
	free(out);
	free(p);
	free(dir);
	free(written);
}

/* A complaint against a merchant that collective groups are open against
 * is offered to join one, as the desk registers it.  The group picked, 0
 * when none. */
static int64_t offer_group(struct screen *s, const char *number)
{
	struct scr_ui *ui = s->ui;
	struct wq_case_detail *d = NULL;
	struct wq_group *groups = NULL;
	const char *labels[17], *choices[17];
	char text[16][320];
	int64_t ids[16], joined = 0;
	size_t n = 0;
	int m = 0, picked;

	if (wq_case_detail_load(ui->store, &ui->actor, number, &d) ||
	    wq_group_list(ui->store, d->merchant_id, &groups, &n)) {
		wq_case_detail_free(&d);
		wq_err_clear();
		return 0;
	}
	for (size_t i = 0; i < n && m < 15; i++) {
		if (!groups[i].open_members)
			continue;
		/* TRANSLATORS: group id, title, its open members. */
		snprintf(text[m], sizeof(text[m]),
			 _("Join G%" PRId64 "  %s  (%" PRId64 " open)"),
			 groups[i].id, groups[i].title,
			 groups[i].open_members);
		labels[m] = choices[m] = text[m];
		ids[m++] = groups[i].id;
	}
	if (m > 0) {
		snprintf(text[m], sizeof(text[m]), "%s",
			 _("Do not join a group"));
		labels[m] = choices[m] = text[m];
		labels[m + 1] = choices[m + 1] = NULL;
		if (scr_prompt_pick(ui,
				    _("Collective groups are open against this "
				      "merchant"),
				    choices, labels, &picked) &&
		    picked < m) {
			char group[32];
			const char *argv[1] = {group};
			struct wq_ruling r = {.action = "join-group",
					      .argc = 1,
					      .argv = argv,
					      .expect_version = d->row.version};

			snprintf(group, sizeof(group), "G%" PRId64,
				 ids[picked]);
			enum wq_err err = wq_rule(ui->store, &ui->actor,
						  number, &r, NULL);

			if (err)
				scr_status_err(ui, err);
			else
				joined = ids[picked];
		}
	}
	wq_group_list_free(groups, n);
	wq_case_detail_free(&d);
	return joined;
}

static void save(struct screen *s)
{
	struct intake *f = form_of(s);
	struct scr_ui *ui = s->ui;
	struct wq_intake in;
	struct wq_intake_file files[MAX_FILES];
	struct wq_intake_extra x = {0};
	char number[32], *question, q2[200], refusal[300] = "";
	int64_t id = 0, joined;
	enum wq_err err;
	int kept = -1; /* a file the upload folder could not let go of */
	char kept_why[200] = "";

	recompute(s);
	f->show_all = true;
	if (f->report.errors) {
		int row = first_problem_row(f);
		char first[300] = "";

		if (row >= 0) {
			const struct field_def *d =
				&fields[f->rows[row].index];
			const struct wq_intake_problem *p =
				wq_intake_problem_of(&f->report, d->key);

			f->sel = row;
			/* TRANSLATORS: the field the cursor went to, and
			 * what is wrong with it. */
			snprintf(first, sizeof(first), _(": %s, %s"),
				 _(d->label), p ? _(p->message) : "");
		}
		scr_status(ui, true,
			   ngettext("%d problem to fix before saving",
				    "%d problems to fix before saving",
				    (unsigned long)f->report.errors),
			   f->report.errors);
		strncat(ui->status, first,
			sizeof(ui->status) - strlen(ui->status) - 1);
		return;
	}
	for (int i = 0; i < f->nfiles; i++) {
		if (f->files[i].problem) {
			scr_status(ui, true, _("%s: %s"), f->files[i].name,
				   _(f->files[i].problem));
			for (int k = 0; k < f->nrows; k++)
				if (f->rows[k].kind == R_FILE &&
				    f->rows[k].index == i)
					f->sel = k;
			return;
		}
	}
	/* A name only like a known merchant's is a typo or a new merchant:
	 * the desk says which, rather than a second record appearing. */
	if (!f->merchant_known && f->nmatches > 0) {
		char *ask = malloc(1024);

		if (!ask)
			abort();
		/* TRANSLATORS: the name typed, a known merchant's name like
		 * it; y is the key that confirms, whatever the language. */
		snprintf(ask, 1024,
			 _("'%s' is not a known merchant, but '%s' is.\n\n"
			   "Register '%s' as a new merchant? (y/n)"),
			 value(f, F_MERCHANT), f->matches[0].name,
			 value(f, F_MERCHANT));
		if (!scr_prompt_confirm(ui, ask)) {
			free(ask);
			for (int k = 0; k < f->nrows; k++)
				if (f->rows[k].kind == R_MATCH) {
					f->sel = k;
					break;
				}
			scr_status(ui, false, "%s",
				   _("not saved: pick the merchant from the "
				     "list under its name (Enter)"));
			return;
		}
		free(ask);
	}
	question = review_text(f);
	if (!scr_prompt_confirm(ui, question)) {
		free(question);
		scr_status(ui, false, "%s", _("not saved; the form is as it was"));
		return;
	}
	free(question);

	to_intake(f, &in);
	for (int i = 0; i < f->nfiles; i++) {
		const struct file *file = &f->files[i];

		memset(&files[i], 0, sizeof(files[i]));
		files[i].file_name = file->name;
		files[i].bytes = file->bytes;
		files[i].len = file->len;
		files[i].kind = file->kind;
		files[i].encoding =
			file->overridden ? wq_enc_name(file->chosen) : NULL;
	}
	x.materials = f->materials;
	x.files = files;
	x.nfiles = (size_t)f->nfiles;
	x.duplicates = &f->dups;
	x.signals = f->have_hist ? f->hist.signals : 0;
	err = wq_intake_save(ui->store, &ui->actor, &in, &x, &id, number);
	if (err) {
		scr_status_err(ui, err);
		return;
	}
	snprintf(f->last_number, sizeof(f->last_number), "%s", number);
	f->saved_any = true;
	f->dirty = false;
	scr_status(ui, false, _("Registered %s"), number);
	/* Attached and committed: the upload folder lets go of them. */
	for (int i = 0; i < f->nfiles; i++)
		if (f->files[i].upload.name &&
		    wq_upload_remove(&f->files[i].upload) != WQ_ERR_OK &&
		    kept < 0) {
			kept = i;
			snprintf(kept_why, sizeof(kept_why), "%s",
				 wq_err_detail());
		}
	joined = offer_group(s, number);
	/* The case is saved whatever became of the group. */
	if (ui->status_error)
		snprintf(refusal, sizeof(refusal), "; %s", ui->status);
	snprintf(q2, sizeof(q2),
		 _("Registered as %s.\n\nWrite the receipt to a file for the "
		   "printer?"),
		 number);
	if (scr_prompt_confirm(ui, q2))
		write_receipt(s, number);
	else
		scr_status(ui, false,
			   _("Registered %s ('weiquan receipt %s' prints the "
			     "receipt)"),
			   number, number);
	/* Short enough for 80 columns: the group is what is new. */
	if (joined)
		scr_status(ui, false,
			   _("Registered %s in collective group G%" PRId64),
			   number, joined);
	strncat(ui->status, refusal,
		sizeof(ui->status) - strlen(ui->status) - 1);
	ui->status_error = *refusal != '\0';
	if (kept >= 0)
		scr_status(ui, true,
			   _("%s attached as evidence, but it stays in the "
			     "upload folder: %s"),
			   f->files[kept].name, kept_why);
	/* Ready for the next complainant. */
	clear_form(f);
	f->sel = 1;
	f->top = 0;
	recompute(s);
}

/* ---- keys ---- */

static bool form_empty(const struct intake *f)
{
	return !f->dirty;
}

static int activate(struct screen *s)
{
	struct intake *f = form_of(s);
	const struct row *row = &f->rows[f->sel];

	switch (row->kind) {
	case R_FIELD:
		edit_field(s, (enum field_id)row->index, NULL);
		break;
	case R_MATCH:
		pick_match(s, row->index);
		break;
	case R_HISTORY:
		pick_history(s);
		return SCR_HANDLED;
	case R_MATERIAL:
		f->materials ^= 1u << row->index;
		f->dirty = true;
		break;
	case R_FILE:
		file_menu(s, row->index);
		break;
	case R_ATTACH:
		attach_from(s);
		return SCR_HANDLED;
	case R_SAVE:
		save(s);
		return SCR_HANDLED;
	case R_HEADING:
		break;
	}
	recompute(s);
	return SCR_HANDLED;
}

static int intake_act(struct screen *s, enum scr_action act, const char *rule)
{
	struct intake *f = form_of(s);
	struct scr_rect r = scr_layout_rect(&s->lay, SCR_AREA_HELP_TEXT);
	int page = r.h > 4 ? r.h - 4 : 1;

	(void)rule;
	switch (act) {
	case SCR_ACT_MOVE_DOWN:
	case SCR_ACT_NEXT_PANE:
		move_sel(f, +1, 1);
		break;
	case SCR_ACT_MOVE_UP:
		move_sel(f, -1, 1);
		break;
	case SCR_ACT_PAGE_DOWN:
		move_sel(f, +1, page);
		break;
	case SCR_ACT_PAGE_UP:
		move_sel(f, -1, page);
		break;
	case SCR_ACT_FIRST:
		f->sel = 0;
		move_sel(f, +1, 1);
		move_sel(f, -1, 1);
		break;
	case SCR_ACT_LAST:
		f->sel = f->nrows - 1;
		break;
	case SCR_ACT_OPEN:
		return activate(s);
	case SCR_ACT_TOGGLE:
		if (f->rows[f->sel].kind == R_MATERIAL ||
		    f->rows[f->sel].kind == R_MATCH)
			return activate(s);
		scr_status(s->ui, false, "%s",
			   _("Space ticks a material; Enter edits this row"));
		break;
	case SCR_ACT_ATTACH:
		attach(s);
		break;
	case SCR_ACT_RECEIVE_FILES:
		attach_zmodem(s);
		break;
	case SCR_ACT_UPLOADS:
		attach_upload(s);
		break;
	case SCR_ACT_SAVE:
		save(s);
		break;
	case SCR_ACT_BACK:
	case SCR_ACT_QUIT:
		if (!form_empty(f) &&
		    !scr_prompt_confirm(s->ui,
					_("Leave the form? What was typed is "
					  "not saved.")))
			break;
		return SCR_HANDLED | (act == SCR_ACT_QUIT ? SCR_QUIT : SCR_CLOSE);
	default:
		return 0;
	}
	return SCR_HANDLED;
}

/* A character typed on a line field's row goes into the field, as in a
 * paper form: no Enter first.  The form's own keys keep their meaning. */
static bool intake_type(struct screen *s, wchar_t ch)
{
	struct intake *f = form_of(s);
	const struct row *row = &f->rows[f->sel];
	char *typed;

	if (row->kind != R_FIELD || fields[row->index].input != IN_LINE)
		return false;
	typed = scr_wcs_to_utf8(&ch, 1);
	if (!typed)
		return false;
	edit_field(s, (enum field_id)row->index, typed);
	free(typed);
	recompute(s);
	return true;
}

static void intake_data_changed(struct screen *s)
{
	recompute(s);
}

static int intake_keybar(struct screen *s, const char **items, int max)
{
	static const char *const mine[] = {"open",	    "toggle",
					   "attach",	    "receive-files",
					   "uploads",	    "save"};
	int n = 0;

	(void)s;
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]) && n < max; i++)
		items[n++] = mine[i];
	return n;
}

const struct screen_ops scr_intake_ops = {
	.name = "intake",
	.priv_size = sizeof(struct intake),
	.layout_id = SCR_SCREEN_HELP,
	.open = intake_open,
	.draw = intake_draw,
	.act = intake_act,
	.data_changed = intake_data_changed,
	.close = intake_close,
	.keybar = intake_keybar,
	.type = intake_type,
};
