/* The supervisor's dashboard: queue depth by status, category, region and
 * type; deadlines per clock and the breaches of the next working days;
 * each mediator's load; intake and closures of the last 30 days; the
 * merchants' 12315 figures, with keys to mark a repeat offender or
 * blacklist one; cross-region diversion, collective complaints and cases
 * flagged possibly malicious; and, apart from all those, the report
 * track's and the diversion track's own figures.
 *
 * The figures come from one struct wq_report (report.h), loaded on open
 * and again whenever another session commits (data_changed), all but the
 * two lists that read a page of the file per row (wq_report_part): those
 * are loaded when their section comes on screen, else once the screen is
 * drawn and no key waits (dash_idle).  The body is
 * laid out here in sections that flow into one column at 80x24 (scrolled
 * with the paging keys), two from 120 columns, three from 180. */
#include "config.h"

#include <inttypes.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/case.h"
#include "weiquan/report.h"
#include "weiquan/transfer.h"
#include "weiquan/intake.h"
#include "weiquan/wqtime.h"
#include "weiquan/calendar.h"

#define MAX_SEGS 8
#define GAP 3              /* blank columns between two columns */
#define COL_MIN 58         /* narrowest column when there are several */
#define REGIONS_SHOWN 12   /* in one column; the rest are summed up */
#define TRACK_REGIONS_SHOWN 4 /* the diversion section's two region lists
				 in one column, so that it fits 80x24 */
#define TABLE_MAX 64       /* tables of numbers stay this narrow */

/* The sections in reading order. */
enum section {
	SEC_OVERVIEW,
	SEC_DUE,
	SEC_MEDIATORS,
	SEC_DAYS,
	SEC_MERCHANTS,
	SEC_CATEGORY,
	SEC_REGION,
	SEC_TYPE,
	SEC_DIVERSION,
	SEC_REPORTS,
	SEC_DIVERSION_TRACK,
	SEC_IP_TRACK,
	SEC_COLLECTIVE,
	SEC_MALICIOUS,
	SECTIONS
};

/* A piece of a line: text in a box of w columns at x (from the column's
 * left edge), right-aligned or not. */
struct seg {
	int x, w;
	enum scr_attr attr;
	bool right;
	char *text;
	int fig;           /* the figure it shows (board.figs), or -1 */
};

struct line {
	struct seg seg[MAX_SEGS];
	int nseg;
	int merchant;      /* index into report.top, or -1 */
};

struct lines {
	struct line *v;
	size_t n, cap;
};

struct arrangement;

struct board {
	struct wq_report r;
	bool loaded;
	int top;                 /* first content row shown */
	int sel;                 /* selected merchant, -1: none */
	int64_t sel_id;          /* kept across reloads */
	/* From the last draw: the body's height, the content's, and on which
	 * content row each listed merchant stands (-1: not drawn). */
	int height, total;
	int merchant_row[WQ_REPORT_MERCHANTS];
	/* The figures drawn that list their cases (Enter), in reading
	 * order, rebuilt by each draw; the selected one, and whether the
	 * next draw scrolls it into view. */
	struct scr_drill *figs;
	size_t nfig, figcap;
	int fig_sel;
	bool fig_follow;
	/* The body as load_shown() laid it out for the draw that follows, at
	 * the terminal size it had, so that the draw does not lay it out
	 * again; NULL once drawn. */
	struct arrangement *ready;
	int ready_lines, ready_cols;
};

/* The board being built: sections add their figures to it. */
static struct board *building;

/* Makes segment k of l figure d (its cases listed on Enter). */
static void figure_at(struct line *l, int k, const struct scr_drill *d)
{
	struct board *b = building;

	if (!b || k < 0 || k >= l->nseg)
		return;
	if (b->nfig == b->figcap) {
		b->figcap = b->figcap ? b->figcap * 2 : 64;
		b->figs = realloc(b->figs, b->figcap * sizeof(*b->figs));
		if (!b->figs)
			abort();
	}
	b->figs[b->nfig] = *d;
	l->seg[k].fig = (int)b->nfig++;
}

static void figure(struct line *l, const struct scr_drill *d)
{
	figure_at(l, l->nseg - 1, d);
}

static struct scr_drill drill(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* A drill titled by fmt, filtering nothing yet. */
static struct scr_drill drill(const char *fmt, ...)
{
	struct scr_drill d;
	va_list ap;

	memset(&d, 0, sizeof(d));
	va_start(ap, fmt);
	vsnprintf(d.title, sizeof(d.title), fmt, ap);
	va_end(ap);
	return d;
}

#define SETF(field, value) snprintf(field, sizeof(field), "%s", value)

/* The calendar day before or after YYYY-MM-DD day. */
static void day_plus(const char *day, int plus, char out[11])
{
	int d;

	if (wq_date_parse(day, &d))
		wq_date_format(d + plus, out);
	else
		snprintf(out, 11, "%s", day);
}

/* ---- loading ---- */

static void load_shown(struct screen *s);
static void drop_ready(struct board *b);

/* The report without the parts no row on screen shows (load_shown). */
static int load(struct screen *s)
{
	struct board *b = s->priv;
	struct wq_report r;
	enum wq_err err;

	err = wq_report_load_parts(s->ui->store, &s->ui->actor, &r, 0);
	if (err) {
		wq_report_free(&r);
		scr_status_err(s->ui, err);
		return -1;
	}
	wq_report_free(&b->r);
	b->r = r;
	b->loaded = true;
	/* Keep the selection on the same merchant. */
	if (b->sel >= 0) {
		b->sel = -1;
		for (size_t i = 0; i < b->r.ntop; i++)
			if (b->r.top[i].id == b->sel_id)
				b->sel = (int)i;
	}
	load_shown(s);
	return 0;
}

static int dash_open(struct screen *s, const void *arg)
{
	struct board *b = s->priv;

	(void)arg;
	b->sel = -1;
	b->fig_sel = -1;
	for (int i = 0; i < WQ_REPORT_MERCHANTS; i++)
		b->merchant_row[i] = -1;
	return load(s);
}

static void dash_close(struct screen *s)
{
	struct board *b = s->priv;

	drop_ready(b);
	wq_report_free(&b->r);
	free(b->figs);
}

static void dash_data_changed(struct screen *s)
{
	load(s);
}

/* ---- building lines ---- */

/* Block characters only where the locale is UTF-8 and they are one column
 * wide (U+2581..U+258F are East Asian ambiguous). */
static bool unicode_bars(void)
{
	return MB_CUR_MAX > 1 && strcmp(nl_langinfo(CODESET), "UTF-8") == 0 &&
	       !scr_text_ambiguous_wide();
}

static struct line *add_line(struct lines *L)
{
	struct line *l;

	if (L->n == L->cap) {
		L->cap = L->cap ? L->cap * 2 : 128;
		L->v = realloc(L->v, L->cap * sizeof(*L->v));
		if (!L->v)
			abort();
	}
	l = &L->v[L->n++];
	memset(l, 0, sizeof(*l));
	l->merchant = -1;
	return l;
}

static void add_seg(struct line *l, int x, int w, enum scr_attr attr,
		    bool right, const char *text)
{
	struct seg *g;

	if (l->nseg == MAX_SEGS || w <= 0)
		return;
	g = &l->seg[l->nseg++];
	g->x = x;
	g->w = w;
	g->attr = attr;
	g->right = right;
	g->text = strdup(text ? text : "");
	g->fig = -1;
	if (!g->text)
		abort();
}

static void lines_free(struct lines *L)
{
	for (size_t i = 0; i < L->n; i++)
		for (int k = 0; k < L->v[i].nseg; k++)
			free(L->v[i].seg[k].text);
	free(L->v);
	memset(L, 0, sizeof(*L));
}

static void heading(struct lines *L, int w, const char *title)
{
	add_seg(add_line(L), 0, w, SCR_A_TITLE, false, title);
}

static void textf(struct lines *L, int w, enum scr_attr attr, const char *fmt,
		  ...) __attribute__((format(printf, 4, 5)));
static void textf(struct lines *L, int w, enum scr_attr attr, const char *fmt,
		  ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	add_seg(add_line(L), 0, w, attr, false, buf);
}

static void num(char *buf, size_t size, int64_t n)
{
	snprintf(buf, size, "%" PRId64, n);
}

static void pct(char *buf, size_t size, double x)
{
	if (x < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.0f%%", x * 100.0);
}

static void signed_pct(char *buf, size_t size, double x, bool known)
{
	long v = (long)(x * 100.0 + (x < 0 ? -0.5 : 0.5));

	if (!known)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%+ld%%", v);
}

/* A bar of width columns for n out of max, in eighths of a block, at
 * least a sliver for any n > 0. */
static void bar(char *buf, size_t size, int64_t n, int64_t max, int width)
{
	static const char *const part[8] = {
		"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a",
		"\u2589",
	};
	size_t used = 0;

	buf[0] = '\0';
	if (n <= 0 || max <= 0 || width <= 0)
		return;
	if (!unicode_bars()) {
		int64_t k = (n * width + max / 2) / max;

		if (k < 1)
			k = 1;
		for (int64_t i = 0; i < k && used + 1 < size; i++)
			buf[used++] = '#';
		buf[used] = '\0';
		return;
	}
	int64_t eighths = (n * width * 8 + max / 2) / max;

	if (eighths < 1)
		eighths = 1;
	for (int64_t i = 0; i < eighths / 8 && used + 4 < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "\u2588");
	if (eighths % 8 && used + 4 < size)
		snprintf(buf + used, size - used, "%s", part[eighths % 8]);
}

/* One character per value, scaled to the largest; blank for 0. */
static void sparkline(char *buf, size_t size, const int64_t *v, int n)
{
	static const char *const blocks[8] = {
		"\u2581", "\u2582", "\u2583", "\u2584",
		"\u2585", "\u2586", "\u2587", "\u2588",
	};
	static const char ascii[] = "_.-=^";
	bool uni = unicode_bars();
	int64_t max = 0;
	size_t used = 0;

	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	buf[0] = '\0';
	for (int i = 0; i < n && used + 4 < size; i++) {
		if (v[i] <= 0 || max <= 0) {
			buf[used++] = ' ';
			buf[used] = '\0';
		} else if (uni) {
			int64_t k = (v[i] * 8 + max - 1) / max - 1;

			used += (size_t)snprintf(buf + used, size - used, "%s",
						 blocks[k < 0 ? 0 : k > 7 ? 7 : k]);
		} else {
			int64_t k = (v[i] * 5 + max - 1) / max - 1;

			buf[used++] = ascii[k < 0 ? 0 : k > 4 ? 4 : k];
			buf[used] = '\0';
		}
	}
}

typedef const char *(*label_fn)(const char *key);

static const char *status_label(const char *k) { return scr_status_label(k); }
static const char *category_label(const char *k)
{
	return scr_label(SCR_L_CATEGORY, k);
}
static const char *type_label(const char *k) { return scr_label(SCR_L_TYPE, k); }
static const char *flag_label(const char *k) { return scr_label(SCR_L_FLAG, k); }
static const char *region_label(const char *k)
{
	return *k ? k : _("(no region)");
}

static void drill_status(struct scr_drill *d, const char *key,
			 const char *label)
{
	*d = drill(_("status: %s"), label);
	SETF(d->status, key);
}
static void drill_category(struct scr_drill *d, const char *key,
			   const char *label)
{
	*d = drill(_("open, category: %s"), label);
	SETF(d->category, key);
}
static void drill_region(struct scr_drill *d, const char *key,
			 const char *label)
{
	*d = drill(_("open, region: %s"), label);
	SETF(d->region, key);
}
static void drill_type(struct scr_drill *d, const char *key,
		       const char *label)
{
	*d = drill(_("open, type: %s"), label);
	SETF(d->type, key);
}
static void drill_flag(struct scr_drill *d, const char *key,
		       const char *label)
{
	*d = drill(_("open, flagged: %s"), label);
	SETF(d->flag, key);
}
static void drill_diversion(struct scr_drill *d, const char *key,
			    const char *label)
{
	*d = drill(_("open, cross-region diversion: %s"), label);
	SETF(d->flag, "cross-region-diversion");
	SETF(d->region, key);
}

/* Labelled bars for counts, at most `shown` of them, the rest summed on
 * one more line. */
typedef void (*drill_fn)(struct scr_drill *d, const char *key,
			 const char *label);

static void bars(struct lines *L, int w, const struct wq_report_counts *c,
		 label_fn label, size_t shown, enum scr_attr attr,
		 drill_fn drill_of)
{
	int lw = 0, nw = 1, bw;
	int64_t max = 0, rest = 0;
	char nbuf[32], bbuf[1024];
	size_t n = c->n < shown ? c->n : shown;

	if (!c->n) {
		textf(L, w, SCR_A_DIM, "  %s", _("none"));
		return;
	}
	for (size_t i = 0; i < c->n; i++) {
		int lwi = scr_text_width(label(c->v[i].key));

		if (i < n && lwi > lw)
			lw = lwi;
		if (c->v[i].n > max)
			max = c->v[i].n;
		if (i >= n)
			rest += c->v[i].n;
	}
	num(nbuf, sizeof(nbuf), max);
	nw = (int)strlen(nbuf);
	if (lw > w * 2 / 5)
		lw = w * 2 / 5;
	if (lw < 4)
		lw = 4;
	bw = w - 2 - lw - 1 - nw - 1;
	for (size_t i = 0; i < n; i++) {
		struct line *l = add_line(L);

		add_seg(l, 2, lw, SCR_A_NORMAL, false, label(c->v[i].key));
		bar(bbuf, sizeof(bbuf), c->v[i].n, max, bw);
		add_seg(l, 2 + lw + 1, bw, attr, false, bbuf);
		num(nbuf, sizeof(nbuf), c->v[i].n);
		add_seg(l, w - nw, nw, SCR_A_NORMAL, true, nbuf);
		if (drill_of && *c->v[i].key) {
			struct scr_drill d;

			memset(&d, 0, sizeof(d));
			drill_of(&d, c->v[i].key, label(c->v[i].key));
			figure(l, &d);
		}
	}
	if (c->n > n)
		textf(L, w, SCR_A_DIM, _("  ... and %zu more: %" PRId64),
		      c->n - n, rest);
}

/* A table row: cells right-aligned in columns of cw[i] columns after a
 * first, left-aligned cell that takes the rest. */
static struct line *row(struct lines *L, int w, const char *first,
			enum scr_attr first_attr, const char *const *cells,
			const enum scr_attr *attrs, const int *cw, int n)
{
	struct line *l = add_line(L);
	int x = w;

	for (int i = n - 1; i >= 0; i--)
		x -= cw[i] + 1;
	add_seg(l, 0, x, first_attr, false, first);
	x++;
	for (int i = 0; i < n; i++) {
		add_seg(l, x, cw[i], attrs ? attrs[i] : SCR_A_NORMAL, true,
			cells[i]);
		x += cw[i] + 1;
	}
	return l;
}

/* ---- the sections ---- */

/* Tells an administrator, weeks ahead, which year's holiday schedule to
 * import: deadlines counted over a year not loaded assume plain weekends
 * and are flagged until it is. */
static void calendar_to_import(struct lines *L, int w,
			       const struct wq_report *r)
{
	for (size_t i = 0; i < r->ncalendar_missing; i++) {
		int64_t n = r->calendar_missing[i].deadlines;

		if (n > 0)
			textf(L, w, SCR_A_ERROR,
			      ngettext("Load the %d holidays (calendar "
				       "import): %" PRId64 " deadline in it",
				       "Load the %d holidays (calendar "
				       "import): %" PRId64 " deadlines in it",
				       (unsigned long)n),
			      r->calendar_missing[i].year, n);
		else
			textf(L, w, SCR_A_DUE_SOON,
			      _("Load the %d holidays (calendar import): "
				"deadlines reach it soon"),
			      r->calendar_missing[i].year);
	}
}

static void sec_overview(struct lines *L, int w, const struct wq_report *r)
{
	heading(L, w, _("Cases by status"));
	textf(L, w, SCR_A_NORMAL,
	      _("%" PRId64 " cases, %" PRId64 " open, %" PRId64 " unassigned"),
	      r->cases, r->open, r->unassigned);
	calendar_to_import(L, w, r);
	bars(L, w, &r->by_status, status_label, 32, SCR_A_NORMAL,
	     drill_status);
}

static void sec_due(struct lines *L, int w, const struct wq_report *r)
{
	static const int cw[4] = {8, 6, 7, 6};
	const char *hdr[4];
	char cells[4][32], bbuf[1024], spark[256], label[64];
	const char *cp[4] = {cells[0], cells[1], cells[2], cells[3]};
	enum scr_attr at[4];
	int64_t max = 0;

	heading(L, w, _("Deadlines by clock"));
	if (w > TABLE_MAX)
		w = TABLE_MAX;
	hdr[0] = _("overdue");
	hdr[1] = _("today");
	snprintf(label, sizeof(label), _("<=%d wd"), WQ_REPORT_SOON);
	hdr[2] = label;
	hdr[3] = _("paused");
	row(L, w, _("clock"), SCR_A_DIM, hdr, (const enum scr_attr[]){
		SCR_A_DIM, SCR_A_DIM, SCR_A_DIM, SCR_A_DIM}, cw, 4);
	for (size_t i = 0; i <= r->nclocks; i++) {
		const struct wq_report_clock *c =
			i < r->nclocks ? &r->clocks[i] : &r->due;

		num(cells[0], sizeof(cells[0]), c->overdue);
		num(cells[1], sizeof(cells[1]), c->due_today);
		num(cells[2], sizeof(cells[2]), c->due_soon);
		num(cells[3], sizeof(cells[3]), c->paused);
		at[0] = c->overdue ? SCR_A_OVERDUE : SCR_A_NORMAL;
		at[1] = c->due_today ? SCR_A_DUE_SOON : SCR_A_NORMAL;
		at[2] = at[3] = SCR_A_NORMAL;
		const char *name = i < r->nclocks
					   ? scr_label(SCR_L_CLOCK, c->clock)
					   : _("all clocks");
		struct line *l = row(L, w, name,
				     i < r->nclocks ? SCR_A_NORMAL
						    : SCR_A_TITLE,
				     cp, at, cw, 4);
		struct scr_drill d;

		/* as report_due counts them: whatever the status */
		d = drill(_("%s: overdue"), name);
		day_plus(r->today, -1, d.due_to);
		SETF(d.status, "all");
		if (i < r->nclocks)
			SETF(d.clock, c->clock);
		figure_at(l, 1, &d);
		snprintf(d.title, sizeof(d.title), _("%s: due today"), name);
		SETF(d.due_from, r->today);
		SETF(d.due_to, r->today);
		figure_at(l, 2, &d);
		snprintf(d.title, sizeof(d.title),
			 _("%s: due within %d working days"), name,
			 WQ_REPORT_SOON);
		day_plus(r->today, 1, d.due_from);
		SETF(d.due_to, r->soon_until);
		figure_at(l, 3, &d);
	}

	add_line(L);
	heading(L, w, _("Breaches ahead, by working day"));
	for (int i = 0; i < WQ_REPORT_FORECAST; i++)
		if (r->due.forecast[i] > max)
			max = r->due.forecast[i];
	for (int i = 0; i < WQ_REPORT_FORECAST; i++) {
		struct line *l = add_line(L);
		int bw = w - 2 - 5 - 1 - 7 - 1;

		/* MM-DD of the day. */
		add_seg(l, 2, 5, SCR_A_NORMAL, false, r->forecast_day[i] + 5);
		bar(bbuf, sizeof(bbuf), r->due.forecast[i], max, bw);
		add_seg(l, 8, bw, i < WQ_REPORT_SOON ? SCR_A_DUE_SOON
						      : SCR_A_NORMAL,
			false, bbuf);
		num(cells[0], sizeof(cells[0]), r->due.forecast[i]);
		add_seg(l, w - 7, 7, SCR_A_NORMAL, true, cells[0]);
		struct scr_drill d = drill(_("due by the end of %s"),
					   r->forecast_day[i]);

		SETF(d.status, "all");
		day_plus(i ? r->forecast_day[i - 1] : r->today, 1,
			 d.due_from);
		SETF(d.due_to, r->forecast_day[i]);
		figure(l, &d);
	}
	for (size_t i = 0; i < r->nclocks; i++) {
		struct line *l = add_line(L);
		int64_t sum = 0;

		for (int d = 0; d < WQ_REPORT_FORECAST; d++)
			sum += r->clocks[i].forecast[d];
		add_seg(l, 2, 14, SCR_A_NORMAL, false,
			scr_label(SCR_L_CLOCK, r->clocks[i].clock));
		sparkline(spark, sizeof(spark), r->clocks[i].forecast,
			  WQ_REPORT_FORECAST);
		add_seg(l, 17, WQ_REPORT_FORECAST, SCR_A_NORMAL, false, spark);
		num(cells[0], sizeof(cells[0]), sum);
		add_seg(l, w - 7, 7, SCR_A_NORMAL, true, cells[0]);
		struct scr_drill d =
			drill(_("%s: due in the next %d working days"),
			      scr_label(SCR_L_CLOCK, r->clocks[i].clock),
			      WQ_REPORT_FORECAST);

		SETF(d.status, "all");
		SETF(d.clock, r->clocks[i].clock);
		day_plus(r->today, 1, d.due_from);
		SETF(d.due_to, r->forecast_day[WQ_REPORT_FORECAST - 1]);
		figure(l, &d);
	}
	if (r->calendar_uncertain)
		textf(L, w, SCR_A_DIM, "  %s",
		      _("(counted past the loaded holiday schedule)"));
	calendar_to_import(L, w, r);
}

static void sec_mediators(struct lines *L, int w, const struct wq_report *r)
{
	static const int cw[4] = {6, 7, 6, 7};
	const char *hdr[4] = {_("open"), _("overdue"), _("today"),
			      _("rulings")};
	char cells[4][32], who[256];
	const char *cp[4] = {cells[0], cells[1], cells[2], cells[3]};
	enum scr_attr at[4] = {SCR_A_NORMAL, SCR_A_NORMAL, SCR_A_NORMAL,
			       SCR_A_NORMAL};

	heading(L, w, _("Mediators"));
	if (w > TABLE_MAX)
		w = TABLE_MAX;
	row(L, w, _("who"), SCR_A_DIM, hdr, (const enum scr_attr[]){
		SCR_A_DIM, SCR_A_DIM, SCR_A_DIM, SCR_A_DIM}, cw, 4);
	for (size_t i = 0; i < r->nmediators; i++) {
		const struct wq_report_mediator *m = &r->mediators[i];

		if (*m->name && strcmp(m->name, m->login) != 0)
			snprintf(who, sizeof(who), "%s %s", m->login, m->name);
		else
			snprintf(who, sizeof(who), "%s", m->login);
		num(cells[0], sizeof(cells[0]), m->open);
		num(cells[1], sizeof(cells[1]), m->overdue);
		num(cells[2], sizeof(cells[2]), m->due_today);
		num(cells[3], sizeof(cells[3]), m->rulings_today);
		at[1] = m->overdue ? SCR_A_OVERDUE : SCR_A_NORMAL;
		at[2] = m->due_today ? SCR_A_DUE_SOON : SCR_A_NORMAL;
		struct line *l = row(L, w, who, SCR_A_NORMAL, cp, at, cw, 4);
		struct scr_drill d = drill(_("%s: open cases"), m->login);

		SETF(d.assignee, m->login);
		figure_at(l, 1, &d);
		/* as report_due_assignee counts them: whatever the status */
		snprintf(d.title, sizeof(d.title), _("%s: overdue"), m->login);
		SETF(d.status, "all");
		day_plus(r->today, -1, d.due_to);
		figure_at(l, 2, &d);
		snprintf(d.title, sizeof(d.title), _("%s: due today"),
			 m->login);
		SETF(d.due_from, r->today);
		SETF(d.due_to, r->today);
		figure_at(l, 3, &d);
	}
	num(cells[0], sizeof(cells[0]), r->unassigned);
	struct line *l =
		row(L, w, _("(unassigned)"), SCR_A_DIM, cp, NULL, cw, 1);
	struct scr_drill d = drill("%s", _("open, unassigned"));

	SETF(d.assignee, "none");
	figure_at(l, 1, &d);
}

static void sec_days(struct lines *L, int w, const struct wq_report *r)
{
	char spark[256], total[64], g[32];
	int64_t closed = 0;

	heading(L, w, _("Last 30 days"));
	for (int i = 0; i < WQ_REPORT_HISTORY; i++)
		closed += r->closed[i];
	for (int k = 0; k < 2; k++) {
		struct line *l = add_line(L);

		sparkline(spark, sizeof(spark), k ? r->closed : r->intake,
			  WQ_REPORT_HISTORY);
		add_seg(l, 2, 9, SCR_A_NORMAL, false,
			k ? _("closed") : _("intake"));
		add_seg(l, 12, WQ_REPORT_HISTORY, SCR_A_NORMAL, false, spark);
		num(total, sizeof(total), k ? closed : r->intake_last30);
		add_seg(l, 13 + WQ_REPORT_HISTORY, w - 13 - WQ_REPORT_HISTORY,
			SCR_A_NORMAL, true, total);
		if (!k) {
			struct scr_drill d =
				drill(_("received in the last %d days"),
				      WQ_REPORT_HISTORY);

			SETF(d.status, "all");
			SETF(d.received_from, r->history_day[0]);
			SETF(d.received_to,
			     r->history_day[WQ_REPORT_HISTORY - 1]);
			/* newest first, as received: in the queue's due
			 * order a page was read past the older cases due
			 * first (100 rows took 112 ms at 794,081 cases) */
			SETF(d.order, "received");
			figure(l, &d);
		}
	}
	signed_pct(g, sizeof(g), r->intake_growth, r->intake_growth_known);
	textf(L, w, SCR_A_DIM, _("  %s .. %s; intake %s on the 30 days before"),
	      r->history_day[0] + 5, r->history_day[WQ_REPORT_HISTORY - 1] + 5,
	      g);
}

static void merchant_flags(char *buf, size_t size,
			   const struct wq_report_merchant *m)
{
	snprintf(buf, size, "%s", m->blacklisted      ? "!!"
				  : m->repeat_offender ? "!"
						       : "");
}

static void sec_merchants(struct screen *s, struct lines *L, int w,
			  const struct wq_report *r)
{
	const struct board *b = s->priv;
	static const int cw[5] = {6, 6, 5, 5, 2};
	const char *hdr[5] = {_("cmpl"), _("growth"), _("med"), _("pre"), ""};
	char cells[5][32], line[512], keys[4][16];
	const char *cp[5] = {cells[0], cells[1], cells[2], cells[3], cells[4]};
	const struct wq_report_merchant *a = &r->all_merchants;

	heading(L, w, _("Merchants: the 12315 figures"));
	pct(cells[0], sizeof(cells[0]), a->mediation_success_rate);
	pct(cells[1], sizeof(cells[1]), a->settled_before_rate);
	signed_pct(cells[2], sizeof(cells[2]), a->growth, a->growth_known);
	textf(L, w, SCR_A_NORMAL,
	      _("%" PRId64 " merchants, %" PRId64 " complaints (%s in 30 days)"),
	      r->merchants, a->complaints, cells[2]);
	textf(L, w, SCR_A_NORMAL,
	      _("mediation success %s (%" PRId64 "/%" PRId64 ")"), cells[0],
	      a->mediation_success, a->mediated);
	textf(L, w, SCR_A_NORMAL,
	      _("settled before mediation %s (%" PRId64 "/%" PRId64 ")"),
	      cells[1], a->settled_before, a->concluded);
	textf(L, w, SCR_A_NORMAL,
	      _("%" PRId64 " repeat offenders (!), %" PRId64 " blacklisted (!!)"),
	      r->repeat_offenders, r->blacklisted);
	/* scr_key_for() returns a buffer of its own: copy each key. */
	snprintf(keys[0], sizeof(keys[0]), "%s",
		 scr_key_for(s->ops, SCR_ACT_MOVE_DOWN, NULL));
	snprintf(keys[1], sizeof(keys[1]), "%s",
		 scr_key_for(s->ops, SCR_ACT_MOVE_UP, NULL));
	snprintf(keys[2], sizeof(keys[2]), "%s",
		 scr_key_for(s->ops, SCR_ACT_MERCHANT_REPEAT, NULL));
	snprintf(keys[3], sizeof(keys[3]), "%s",
		 scr_key_for(s->ops, SCR_ACT_MERCHANT_BLACKLIST, NULL));
	snprintf(line, sizeof(line),
		 _("%s/%s select, %s repeat offender, %s blacklist"), keys[0],
		 keys[1], keys[2], keys[3]);
	textf(L, w, SCR_A_DIM, "%s", line);
	row(L, w, _("merchant"), SCR_A_DIM, hdr, (const enum scr_attr[]){
		SCR_A_DIM, SCR_A_DIM, SCR_A_DIM, SCR_A_DIM, SCR_A_DIM}, cw, 5);
	if (!r->ntop)
		textf(L, w, SCR_A_DIM, "  %s", _("none"));
	for (size_t i = 0; i < r->ntop; i++) {
		const struct wq_report_merchant *m = &r->top[i];
		enum scr_attr at[5] = {SCR_A_NORMAL, SCR_A_NORMAL, SCR_A_NORMAL,
				       SCR_A_NORMAL, SCR_A_MARK};
		struct line *l;

		num(cells[0], sizeof(cells[0]), m->complaints);
		if (r->parts & WQ_REPORT_MERCHANT_TRENDS)
			signed_pct(cells[1], sizeof(cells[1]), m->growth,
				   m->growth_known);
		else
			snprintf(cells[1], sizeof(cells[1]), "...");
		pct(cells[2], sizeof(cells[2]), m->mediation_success_rate);
		pct(cells[3], sizeof(cells[3]), m->settled_before_rate);
		merchant_flags(cells[4], sizeof(cells[4]), m);
		l = row(L, w, m->name,
			(int)i == b->sel ? SCR_A_SELECTED
			: m->blacklisted || m->repeat_offender ? SCR_A_MARK
							       : SCR_A_NORMAL,
			cp, at, cw, 5);
		l->merchant = (int)i;
		struct scr_drill d = drill(_("complaints against %s"),
					   m->name);

		/* as report_merchants counts them: consumer complaints,
		 * whatever the status */
		SETF(d.status, "all");
		SETF(d.type, "complaint");
		d.merchant_id = m->id;
		figure_at(l, 1, &d);
	}
	if (b->sel >= 0 && (size_t)b->sel < r->ntop) {
		const struct wq_report_merchant *m = &r->top[b->sel];

		textf(L, w, SCR_A_NORMAL, "%s  %s %s %s", m->name, m->platform,
		      m->shop_id, m->region);
		textf(L, w, SCR_A_NORMAL,
		      _("  settled %" PRId64 ", failed %" PRId64
			", unperformed %" PRId64 ", penalties %" PRId64),
		      m->settled, m->failed, m->unperformed, m->penalties);
		textf(L, w, m->repeat_offender || m->blacklisted ? SCR_A_MARK
								 : SCR_A_NORMAL,
		      _("  repeat offender: %s, blacklisted: %s"),
		      m->repeat_offender ? _("yes") : _("no"),
		      m->blacklisted ? _("yes") : _("no"));
	}
}

static void sec_category(struct lines *L, int w, const struct wq_report *r)
{
	heading(L, w, _("Open cases by category"));
	bars(L, w, &r->open_by_category, category_label, 64, SCR_A_NORMAL,
	     drill_category);
}

static void sec_region(struct lines *L, int w, const struct wq_report *r,
		       size_t shown)
{
	heading(L, w, _("Open cases by region"));
	bars(L, w, &r->open_by_region, region_label, shown, SCR_A_NORMAL,
	     drill_region);
}

static void sec_type(struct lines *L, int w, const struct wq_report *r)
{
	heading(L, w, _("Open cases by type and flag"));
	bars(L, w, &r->open_by_type, type_label, 16, SCR_A_NORMAL, drill_type);
	bars(L, w, &r->open_by_flag, flag_label, 16, SCR_A_MARK, drill_flag);
}

static void sec_diversion(struct lines *L, int w, const struct wq_report *r,
			  size_t shown)
{
	heading(L, w, _("Cross-region diversion, open, by region"));
	bars(L, w, &r->diversion_by_region, region_label, shown, SCR_A_NORMAL,
	     drill_diversion);
}

/* The report, diversion and IP-notice tracks' own figures, apart from the
 * consumer complaints' (DOMAIN.md): each section fits a screen of 80x24,
 * the regions cut short in one column. */
static int64_t counts_sum(const struct wq_report_counts *c)
{
	int64_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += c->v[i].n;
	return n;
}

static void sec_reports(struct lines *L, int w, const struct wq_report *r)
{
	heading(L, w, _("Reports (举报): their own figures, by status"));
	textf(L, w, SCR_A_NORMAL, _("%" PRId64 " reports"),
	      counts_sum(&r->reports_by_status));
	bars(L, w, &r->reports_by_status, status_label, 16, SCR_A_NORMAL,
	     drill_status);
}

static void sec_diversion_track(struct lines *L, int w,
				const struct wq_report *r, size_t shown)
{
	heading(L, w, _("Diversion disputes (串货): their own figures"));
	textf(L, w, SCR_A_NORMAL, _("%" PRId64 " disputes, by status:"),
	      counts_sum(&r->diversion_by_status));
	bars(L, w, &r->diversion_by_status, status_label, 6, SCR_A_NORMAL,
	     drill_status);
	textf(L, w, SCR_A_NORMAL, "%s", _("By where the goods were found:"));
	/* where goods were found is the dispute's, not a queue filter */
	bars(L, w, &r->diversion_by_found_region, region_label, shown,
	     SCR_A_NORMAL, NULL);
	textf(L, w, SCR_A_NORMAL, "%s",
	      _("By the distributor's authorised region:"));
	bars(L, w, &r->diversion_by_authorised_region, region_label, shown,
	     SCR_A_NORMAL, NULL);
}

static void sec_ip_track(struct lines *L, int w, const struct wq_report *r)
{
	heading(L, w, _("IP notices: their own figures, by status"));
	textf(L, w, SCR_A_NORMAL, _("%" PRId64 " notices"),
	      counts_sum(&r->ip_by_status));
	bars(L, w, &r->ip_by_status, status_label, 16, SCR_A_NORMAL,
	     drill_status);
	for (size_t i = 0; i < r->ip_findings.n; i++)
		textf(L, w, SCR_A_NORMAL, _("  found %s: %" PRId64),
		      flag_label(r->ip_findings.v[i].key),
		      r->ip_findings.v[i].n);
}

static void sec_collective(struct lines *L, int w, const struct wq_report *r)
{
	heading(L, w, _("Collective complaints"));
	textf(L, w, SCR_A_NORMAL,
	      _("%" PRId64 " groups; %" PRId64 " open cases flagged collective"),
	      r->groups, r->collective_open);
	for (size_t i = 0; i < r->ngroup; i++) {
		const struct wq_report_group *g = &r->group[i];
		char cells[2][32];
		const char *cp[2] = {cells[0], cells[1]};
		static const int cw[2] = {6, 6};
		char first[512];

		snprintf(first, sizeof(first), "  %s%s%s", g->title,
			 *g->merchant ? " / " : "", g->merchant);
		num(cells[0], sizeof(cells[0]), g->open);
		num(cells[1], sizeof(cells[1]), g->members);
		row(L, w, first, SCR_A_NORMAL, cp, NULL, cw, 2);
	}
}

static void sec_malicious(struct lines *L, int w, const struct wq_report *r)
{
	heading(L, w, _("Possibly malicious, awaiting review"));
	textf(L, w, r->malicious_open ? SCR_A_MARK : SCR_A_NORMAL,
	      _("%" PRId64 " open cases flagged for a reviewer"),
	      r->malicious_open);
	struct scr_drill d = drill(_("open, flagged: %s"),
				   flag_label("possibly-malicious"));

	SETF(d.flag, "possibly-malicious");
	figure(&L->v[L->n - 1], &d);
	if (!(r->parts & WQ_REPORT_FLAGGED_CASES))
		/* as many lines as the list will take, so the layout stays */
		for (int64_t i = 0; i < r->malicious_open && i < WQ_REPORT_LIST;
		     i++)
			textf(L, w, SCR_A_DIM, "  ...");
	for (size_t i = 0; i < r->nmalicious; i++) {
		const struct wq_report_case *c = &r->malicious[i];
		char when[32];

		scr_local_time(c->received_at, when, sizeof(when));
		textf(L, w, SCR_A_NORMAL, "  %s %.10s %s %s", c->number, when,
		      c->merchant,
		      *c->assignee ? c->assignee : "-");
	}
}

/* Builds section k at width w. */
static void build_section(struct screen *s, enum section k, struct lines *L,
			  int w, bool one_column)
{
	const struct wq_report *r = &((struct board *)s->priv)->r;
	size_t shown = one_column ? REGIONS_SHOWN : 64;

	switch (k) {
	case SEC_OVERVIEW: sec_overview(L, w, r); break;
	case SEC_DUE: sec_due(L, w, r); break;
	case SEC_MEDIATORS: sec_mediators(L, w, r); break;
	case SEC_DAYS: sec_days(L, w, r); break;
	case SEC_MERCHANTS: sec_merchants(s, L, w, r); break;
	case SEC_CATEGORY: sec_category(L, w, r); break;
	case SEC_REGION: sec_region(L, w, r, shown); break;
	case SEC_TYPE: sec_type(L, w, r); break;
	case SEC_DIVERSION: sec_diversion(L, w, r, shown); break;
	case SEC_REPORTS: sec_reports(L, w, r); break;
	case SEC_DIVERSION_TRACK:
		sec_diversion_track(L, w, r, one_column ? TRACK_REGIONS_SHOWN
							: 64);
		break;
	case SEC_IP_TRACK: sec_ip_track(L, w, r); break;
	case SEC_COLLECTIVE: sec_collective(L, w, r); break;
	case SEC_MALICIOUS:
	default: sec_malicious(L, w, r); break;
	}
}

/* The part of the report a section needs beyond what every load reads
 * (report.h): loaded when the section comes on screen, or while the
 * console waits for a key. */
static unsigned section_part(enum section k)
{
	switch (k) {
	case SEC_MERCHANTS: return WQ_REPORT_MERCHANT_TRENDS;
	case SEC_MALICIOUS: return WQ_REPORT_FLAGGED_CASES;
	default: return 0;
	}
}

/* ---- drawing ---- */

static int columns_for(int width)
{
	if (width >= 3 * COL_MIN + 2 * GAP)
		return 3;
	if (width >= 2 * COL_MIN + GAP)
		return 2;
	return 1;
}

static void draw_seg(struct screen *s, int y, int x0, const struct seg *g)
{
	const struct board *b = s->priv;
	attr_t attr = s->ui->attr[g->fig >= 0 && g->fig == b->fig_sel
					  ? SCR_A_SELECTED
					  : g->attr];
	int tw;

	if (g->right && (tw = scr_text_width(g->text)) < g->w)
		scr_draw_text(stdscr, y, x0 + g->x + g->w - tw, tw, g->text,
			      attr, 0);
	else
		scr_draw_text(stdscr, y, x0 + g->x, g->w, g->text, attr,
			      g->attr == SCR_A_SELECTED ? SCR_TEXT_PAD : 0);
}

/* The body laid out: each section's lines, and the column and row each
 * section starts at. */
struct arrangement {
	struct scr_rect body;
	int ncol, cw;
	struct lines sec[SECTIONS];
	int col_of[SECTIONS], row_of[SECTIONS];
};

/* Builds the sections for the terminal's size and lays them out, then
 * scrolls a figure just chosen with Tab into view and keeps the first
 * row shown within the content.  Reads nothing: both drawing and
 * load_shown() arrange. */
static void arrange(struct screen *s, struct arrangement *a)
{
	struct board *b = s->priv;
	struct scr_layout lay;
	size_t lines_total = 0;
	int height[3] = {0, 0, 0};
	int target, c = 0;

	memset(a, 0, sizeof(*a));
	scr_layout_compute(&lay, s->ops->layout_id, LINES, COLS,
			   s->lay.aside);
	a->body = scr_layout_rect(&lay, SCR_AREA_HELP_TEXT);
	a->ncol = columns_for(a->body.w);
	a->cw = (a->body.w - (a->ncol - 1) * GAP) / a->ncol;
	building = b;
	b->nfig = 0;
	for (int k = 0; k < SECTIONS; k++) {
		build_section(s, k, &a->sec[k], a->cw, a->ncol == 1);
		lines_total += a->sec[k].n + 1;
	}
	building = NULL;
	if (b->fig_sel >= (int)b->nfig)
		b->fig_sel = b->nfig ? (int)b->nfig - 1 : -1;
	/* Newspaper columns: fill each up to an even share. */
	target = (int)((lines_total + (size_t)a->ncol - 1) / (size_t)a->ncol);
	for (int k = 0; k < SECTIONS; k++) {
		int need = (int)a->sec[k].n;

		if (c < a->ncol - 1 && height[c] > 0 &&
		    height[c] + need / 2 > target)
			c++;
		a->col_of[k] = c;
		a->row_of[k] = height[c];
		height[c] += need + 1;
	}
	b->total = height[0];
	for (int i = 1; i < a->ncol; i++)
		if (height[i] > b->total)
			b->total = height[i];
	b->total--;              /* no blank line after the last section */
	b->height = a->body.h;
	if (b->fig_follow && b->fig_sel >= 0) {
		/* scroll the selected figure into view */
		for (int k = 0; k < SECTIONS; k++)
			for (size_t i = 0; i < a->sec[k].n; i++)
				for (int g = 0; g < a->sec[k].v[i].nseg; g++) {
					int y = a->row_of[k] + (int)i;

					if (a->sec[k].v[i].seg[g].fig !=
					    b->fig_sel)
						continue;
					if (y < b->top)
						b->top = y;
					else if (y >= b->top + a->body.h)
						b->top = y - a->body.h + 1;
				}
		b->fig_follow = false;
	}
	if (b->top > b->total - a->body.h)
		b->top = b->total - a->body.h;
	if (b->top < 0)
		b->top = 0;
}

static void arrangement_free(struct arrangement *a)
{
	for (int k = 0; k < SECTIONS; k++)
		lines_free(&a->sec[k]);
}

static void drop_ready(struct board *b)
{
	if (b->ready) {
		arrangement_free(b->ready);
		free(b->ready);
		b->ready = NULL;
	}
}

/* Loads the parts of the report that the rows about to be drawn show, as
 * the screen comes up, scrolls or reloads: draw reads nothing. */
static void load_shown(struct screen *s)
{
	struct board *b = s->priv;
	struct arrangement *a;
	unsigned want = 0;
	enum wq_err err;

	drop_ready(b);
	if (!b->loaded || b->r.parts == WQ_REPORT_ALL_PARTS ||
	    scr_layout_too_small(LINES, COLS))
		return;
	a = calloc(1, sizeof(*a));
	if (!a)
		abort();
	arrange(s, a);
	for (int k = 0; k < SECTIONS; k++)
		if (section_part(k) &&
		    a->row_of[k] < b->top + a->body.h &&
		    a->row_of[k] + (int)a->sec[k].n > b->top)
			want |= section_part(k);
	if (want & ~b->r.parts) {
		err = wq_report_load_more(s->ui->store, &s->ui->actor, &b->r,
					  want);
		if (err)
			scr_status_err(s->ui, err);
		/* the same lines, now with what was read */
		arrangement_free(a);
		arrange(s, a);
	}
	b->ready = a;
	b->ready_lines = LINES;
	b->ready_cols = COLS;
}

/* What no row on screen shows is loaded once the screen is drawn and no
 * key waits, so that scrolling to it draws at once; a failure is told
 * when the section comes on screen (load_shown). */
static void dash_idle(struct screen *s)
{
	struct board *b = s->priv;

	if (b->loaded && b->r.parts != WQ_REPORT_ALL_PARTS) {
		drop_ready(b);
		(void)wq_report_load_more(s->ui->store, &s->ui->actor, &b->r,
					  WQ_REPORT_ALL_PARTS);
	}
}

static void dash_draw(struct screen *s)
{
	struct board *b = s->priv;
	struct scr_ui *ui = s->ui;
	struct scr_rect title = scr_layout_rect(&s->lay, SCR_AREA_TITLE);
	struct arrangement a;
	int pw;
	char line[256], pos[64];

	if (!b->loaded)
		return;
	for (int i = 0; i < WQ_REPORT_MERCHANTS; i++)
		b->merchant_row[i] = -1;
	if (b->ready && b->ready_lines == LINES && b->ready_cols == COLS) {
		a = *b->ready;
		free(b->ready);
		b->ready = NULL;
	} else {
		drop_ready(b);
		arrange(s, &a);
	}

	/* The scroll position goes first at the right, the rest fills. */
	pos[0] = '\0';
	if (b->total > a.body.h)
		snprintf(pos, sizeof(pos), _("lines %d-%d of %d"), b->top + 1,
			 b->top + a.body.h < b->total ? b->top + a.body.h
						      : b->total,
			 b->total);
	pw = *pos ? scr_text_width(pos) + 2 : 0;
	if (pw > title.w)
		pw = 0;
	snprintf(line, sizeof(line), _("weiquan  dashboard  %s  %s (%s)"),
		 b->r.today, ui->actor.login,
		 scr_label(SCR_L_ROLE, wq_role_name(ui->actor.role)));
	scr_draw_text(stdscr, title.y, title.x, title.w - pw, line,
		      ui->attr[SCR_A_TITLE], SCR_TEXT_PAD);
	if (pw)
		scr_draw_text(stdscr, title.y, title.x + title.w - pw, pw, pos,
			      ui->attr[SCR_A_TITLE], SCR_TEXT_PAD);

	for (int k = 0; k < SECTIONS; k++) {
		int x0 = a.body.x + a.col_of[k] * (a.cw + GAP);

		for (size_t i = 0; i < a.sec[k].n; i++) {
			const struct line *l = &a.sec[k].v[i];
			int y = a.row_of[k] + (int)i;

			if (l->merchant >= 0)
				b->merchant_row[l->merchant] = y;
			if (y < b->top || y >= b->top + a.body.h)
				continue;
			for (int g = 0; g < l->nseg; g++)
				draw_seg(s, a.body.y + y - b->top, x0,
					 &l->seg[g]);
		}
	}
	arrangement_free(&a);
}

/* ---- keys ---- */

static bool merchant_visible(const struct board *b, int i)
{
	int y = i >= 0 && i < WQ_REPORT_MERCHANTS ? b->merchant_row[i] : -1;

	return y >= 0 && y >= b->top && y < b->top + b->height;
}

static void show_merchant(struct board *b, int i)
{
	int y = b->merchant_row[i];

	if (y < 0)
		return;
	if (y < b->top)
		b->top = y;
	else if (y >= b->top + b->height)
		b->top = y - b->height + 1;
}

/* j and k move through the merchants while their list is on screen, and
 * scroll the dashboard otherwise (and past either end of the list). */
static void step(struct board *b, int dir)
{
	int n = (int)b->r.ntop;

	if (n > 0) {
		int next = b->sel < 0 ? (dir > 0 ? 0 : n - 1) : b->sel + dir;
		bool list_on_screen = merchant_visible(b, 0) ||
				      merchant_visible(b, n - 1) ||
				      (b->sel >= 0 &&
				       merchant_visible(b, b->sel));

		if (list_on_screen && next >= 0 && next < n &&
		    merchant_visible(b, b->sel < 0 ? next : b->sel)) {
			b->sel = next;
			b->sel_id = b->r.top[next].id;
			b->fig_sel = -1;
			show_merchant(b, next);
			return;
		}
	}
	b->top += dir;
}

static int toggle(struct screen *s, const char *flag)
{
	struct board *b = s->priv;
	const struct wq_report_merchant *m;
	enum wq_err err;
	bool on;
	char name[160], *reason = NULL, *basis = NULL;

	if (b->sel < 0 || (size_t)b->sel >= b->r.ntop) {
		scr_status(s->ui, true, "%s",
			   _("select a merchant first (j/k on the merchants)"));
		return SCR_HANDLED;
	}
	m = &b->r.top[b->sel];
	on = strcmp(flag, "blacklist") == 0 ? !m->blacklisted
					    : !m->repeat_offender;
	snprintf(name, sizeof(name), "%s", m->name);
	/* A mark records why, and to set it on what legal basis. */
	if (!scr_prompt_line(s->ui, on ? _("Reason for the mark")
				       : _("Reason for lifting the mark"),
			     "", &reason))
		return SCR_HANDLED | SCR_REDRAW;
	if (on && !scr_prompt_line(s->ui, _("Legal basis of the mark"), "",
				   &basis)) {
		free(reason);
		return SCR_HANDLED | SCR_REDRAW;
	}
	err = wq_merchant_mark(s->ui->store, &s->ui->actor, m->id, flag, on,
			       reason, basis);
	free(reason);
	free(basis);
	if (err) {
		scr_status_err(s->ui, err);
		return SCR_HANDLED;
	}
	if (strcmp(flag, "blacklist") == 0)
		scr_status(s->ui, false,
			   on ? _("%s is blacklisted")
			      : _("%s is no longer blacklisted"),
			   name);
	else
		scr_status(s->ui, false,
			   on ? _("%s is marked a repeat offender")
			      : _("%s is no longer marked a repeat offender"),
			   name);
	/* Our own commit does not move data_version: reload here. */
	return SCR_HANDLED | SCR_RELOAD;
}

/* The selected figure: the one chosen with Tab, else the selected
 * merchant's complaints.  NULL when neither. */
static const struct scr_drill *selected_figure(struct screen *s)
{
	struct board *b = s->priv;

	if (b->fig_sel >= 0 && (size_t)b->fig_sel < b->nfig)
		return &b->figs[b->fig_sel];
	if (b->sel >= 0 && (size_t)b->sel < b->r.ntop)
		for (size_t i = 0; i < b->nfig; i++)
			if (b->figs[i].merchant_id == b->r.top[b->sel].id)
				return &b->figs[i];
	return NULL;
}

/* Writes the selected figure's cases, as `weiquan export` would with the
 * same filters, to a new CSV file in the receipt directory. */
static int export_figure(struct screen *s)
{
	const struct scr_drill *d = selected_figure(s);
	struct wq_filter f = {0};
	char *data = NULL, *written = NULL, name[64];
	size_t len = 0;
	FILE *mem;
	enum wq_err err;
	int count = 0;

	if (!d) {
		scr_status(s->ui, true, "%s",
			   _("select a figure first (Tab)"));
		return SCR_HANDLED;
	}
	scr_drill_filter(d, &f);
	/* the queue's default, which the export's is not */
	if (!f.status)
		f.status = "open";
	mem = open_memstream(&data, &len);
	if (!mem)
		abort();
	err = wq_transfer_export(s->ui->store, &s->ui->actor, &f, "csv", NULL,
				 mem, &count);
	fclose(mem);
	for (int n = 1; !err && n < 100; n++) {
		snprintf(name, sizeof(name), "dashboard-%s-%d.csv",
			 ((struct board *)s->priv)->r.today, n);
		err = wq_intake_write_receipt(name, data, len, &written);
		if (err != WQ_ERR_EXISTS)
			break;
		err = WQ_ERR_OK;
	}
	if (err)
		scr_status_err(s->ui, err);
	else if (written)
		scr_status(s->ui, false, _("%d cases (%s) written to %s"),
			   count, d->title, written);
	free(written);
	free(data);
	return SCR_HANDLED;
}

static int dash_act(struct screen *s, enum scr_action act, const char *rule)
{
	struct board *b = s->priv;
	int page = b->height > 2 ? b->height - 2 : 1;

	(void)rule;
	if (!b->loaded)
		return 0;
	switch (act) {
	case SCR_ACT_MOVE_DOWN: step(b, 1); break;
	case SCR_ACT_MOVE_UP: step(b, -1); break;
	case SCR_ACT_PAGE_DOWN: b->top += page; break;
	case SCR_ACT_PAGE_UP: b->top -= page; break;
	case SCR_ACT_FIRST: b->top = 0; break;
	case SCR_ACT_LAST: b->top = b->total; break;
	case SCR_ACT_NEXT_FIGURE:
	case SCR_ACT_PREV_FIGURE:
		if (!b->nfig)
			break;
		if (act == SCR_ACT_NEXT_FIGURE)
			b->fig_sel = b->fig_sel + 1 >= (int)b->nfig
					     ? 0
					     : b->fig_sel + 1;
		else
			b->fig_sel = b->fig_sel <= 0 ? (int)b->nfig - 1
						     : b->fig_sel - 1;
		b->fig_follow = true;
		break;
	case SCR_ACT_OPEN: {
		const struct scr_drill *d = selected_figure(s);

		if (!d) {
			scr_status(s->ui, true, "%s",
				   _("select a figure first (Tab)"));
			break;
		}
		scr_push(s->ui, &scr_queue_ops, d);
		return SCR_HANDLED;
	}
	case SCR_ACT_EXPORT_FIGURE: return export_figure(s);
	case SCR_ACT_MERCHANT_REPEAT: return toggle(s, "repeat-offender");
	case SCR_ACT_MERCHANT_BLACKLIST: return toggle(s, "blacklist");
	default: return 0;
	}
	/* arrange() clamps top to the content. */
	load_shown(s);
	return SCR_HANDLED;
}

static int dash_keybar(struct screen *s, const char **items, int max)
{
	static const char *const mine[] = {
		"next-figure", "open", "export-figure", "merchant-repeat",
		"merchant-blacklist", "page-down", "refresh",
	};
	int n = 0;

	(void)s;
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]) && n < max; i++)
		items[n++] = mine[i];
	return n;
}

const struct screen_ops scr_dashboard_ops = {
	.name = "dashboard",
	.priv_size = sizeof(struct board),
	/* The layout module has no dashboard entry: the help screen's
	 * title, body, status line and key bar, the body laid out here. */
	.layout_id = SCR_SCREEN_HELP,
	.open = dash_open,
	.draw = dash_draw,
	.act = dash_act,
	.data_changed = dash_data_changed,
	.close = dash_close,
	.resized = load_shown,
	.idle = dash_idle,
	.keybar = dash_keybar,
};
