/* The queue: my cases by default, ordered by the running clock's due date;
 * views for unassigned, all (supervisors) and flagged cases; filters, sort
 * orders and full-text search; keyset pages loaded as the cursor moves,
 * in a window that slides along the list, so every case of a long list (a
 * common word's hits at a million cases) can be reached. */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/bulk.h"
#include "weiquan/calendar.h"
#include "weiquan/case.h"
#include "weiquan/clock.h"
#include "weiquan/inbox.h"
#include "weiquan/report.h"
#include "weiquan/rules.h"
#include "weiquan/wqtime.h"

/* A page is as many rows as the list shows on the screen (an 80x24
 * terminal: 19): the list reads one before its first draw, each row a
 * case with its merchant, follow-up and wait, and at a million cases
 * those rows are in no cache, so a row read and not shown is a wait for
 * nothing.  The pages after it are read when the cursor moves to them,
 * or when the terminal grows taller than what was read. */
#define WINDOW_ROWS 4992 /* at most that many rows in memory */

enum view {
	VIEW_MINE,
	VIEW_UNASSIGNED,
	VIEW_ALL,
	VIEW_FLAGGED,
	VIEW_FOLLOW_UP,
	VIEW_COUNT
};

static const char *const view_names[] = {
	[VIEW_MINE] = N_("my cases"),
	[VIEW_UNASSIGNED] = N_("unassigned"),
	[VIEW_ALL] = N_("all cases"),
	[VIEW_FLAGGED] = N_("flagged"),
	[VIEW_FOLLOW_UP] = N_("my follow-ups due"),
};

static const char *const orders[] = {"due",    "received", "amount",
				     "status", "merchant", "review", NULL};

struct queue {
	enum view view;
	int order;
	bool reverse;             /* the order (a search: newest first) the
				     other way round */
	bool search_sorted;       /* a search in `order`, not newest first */
	char *status, *category, *region, *type, *search;
	char *assignee;           /* a login, "me" or "none": over the view's */
	/* The window: whole pages from first_page on, each page_rows rows
	 * but the list's last; page_rows is the list's height on screen
	 * when the list was read from its first page. */
	struct wq_case_row *rows;
	size_t page_rows;
	size_t count;
	size_t first_page;
	/* Page k loads with --after page_after[k] (page 0 with none); known
	 * for every page loaded so far and the one after the last. */
	char **page_after;
	size_t npage_after;
	int64_t total;
	size_t selected, top;
	int64_t selected_id;      /* kept across reloads */
	char follow_up_by[11];    /* the follow-ups view: due by this day,
				     the next working day */
	int inbox_unread;         /* shown in the title when > 0 */
	size_t inbox_due;         /* due within a working day, likewise */
	/* Cases marked for an action on several at once (space): kept by
	 * id across reloads, views and pages, numbered for the core. */
	struct queue_mark {
		int64_t id;
		char number[32];
	} *marks;
	size_t nmarks;
	struct scr_drill *drill;  /* the dashboard figure listed, or NULL */
};

static bool is_marked(const struct queue *q, int64_t id, size_t *at)
{
	for (size_t i = 0; i < q->nmarks; i++)
		if (q->marks[i].id == id) {
			if (at)
				*at = i;
			return true;
		}
	return false;
}

static void toggle_mark(struct queue *q, const struct wq_case_row *r)
{
	size_t at;

	if (is_marked(q, r->id, &at)) {
		q->marks[at] = q->marks[--q->nmarks];
		return;
	}
	q->marks = realloc(q->marks, (q->nmarks + 1) * sizeof(*q->marks));
	if (!q->marks)
		abort();
	q->marks[q->nmarks].id = r->id;
	snprintf(q->marks[q->nmarks].number,
		 sizeof(q->marks[q->nmarks].number), "%s", r->number);
	q->nmarks++;
}

static const char *nonempty(const char *s) { return *s ? s : NULL; }

void scr_drill_filter(const struct scr_drill *d, struct wq_filter *f)
{
	f->status = nonempty(d->status);
	f->category = nonempty(d->category);
	f->region = nonempty(d->region);
	f->type = nonempty(d->type);
	f->assignee = nonempty(d->assignee);
	f->clock = nonempty(d->clock);
	f->flag = nonempty(d->flag);
	f->due_from = nonempty(d->due_from);
	f->due_to = nonempty(d->due_to);
	f->received_from = nonempty(d->received_from);
	f->received_to = nonempty(d->received_to);
	f->order = nonempty(d->order);
	f->merchant_id = d->merchant_id;
}

static void filter_of(struct screen *s, struct wq_filter *f)
{
	struct queue *q = s->priv;

	memset(f, 0, sizeof(*f));
	f->status = q->status;
	f->category = q->category;
	f->region = q->region;
	f->type = q->type;
	f->search = q->search;
	f->order = q->search && !q->search_sorted ? NULL : orders[q->order];
	f->reverse = q->reverse;
	f->limit = (int)q->page_rows;
	f->flagged = q->view == VIEW_FLAGGED;
	if (q->view == VIEW_FOLLOW_UP) {
		f->assignee = "me";
		f->follow_up_by = q->follow_up_by;
	}
	if (q->view == VIEW_MINE)
		f->assignee = "me";
	else if (q->view == VIEW_UNASSIGNED)
		f->assignee = "none";
	if (q->assignee)
		f->assignee = q->assignee;
	if (q->drill) {
		/* the figure's own fields; the view's and the filters' stay
		 * as they were set from it (and may be changed) */
		f->clock = nonempty(q->drill->clock);
		f->flag = nonempty(q->drill->flag);
		f->due_from = nonempty(q->drill->due_from);
		f->due_to = nonempty(q->drill->due_to);
		f->received_from = nonempty(q->drill->received_from);
		f->received_to = nonempty(q->drill->received_to);
		f->merchant_id = q->drill->merchant_id;
	}
}

/* The most pages the window holds (the last may be shorter). */
static size_t window_pages(const struct queue *q)
{
	return WINDOW_ROWS / q->page_rows > 1 ? WINDOW_ROWS / q->page_rows : 1;
}

/* The rows the list shows on the screen as it is now, at least one (the
 * screen's own layout is computed when it is drawn, after a load). */
static size_t rows_shown(const struct screen *s)
{
	struct scr_layout lay;
	struct scr_rect list;

	scr_layout_compute(&lay, s->ops->layout_id, LINES, COLS, s->lay.aside);
	list = scr_layout_rect(&lay, SCR_AREA_QUEUE_LIST);
	return list.h > 0 ? (size_t)list.h : 1;
}

/* The cursor that loads the page after the window, NULL at the end. */
static const char *cursor_after_window(const struct queue *q)
{
	size_t k = q->first_page + q->count / q->page_rows;

	if (q->count % q->page_rows || k >= q->npage_after)
		return NULL;
	return q->page_after[k];
}

static bool load_page(struct screen *s, size_t k, struct wq_case_page *page)
{
	struct queue *q = s->priv;
	struct wq_filter f;
	enum wq_err err;

	filter_of(s, &f);
	f.after = k > 0 && k < q->npage_after ? q->page_after[k] : NULL;
	if (k > 0 && !f.after)
		return false;
	err = wq_case_list(s->ui->store, &s->ui->actor, &f, page);
	if (err) {
		scr_status_err(s->ui, err);
		return false;
	}
	return true;
}

static void forget_pages_after(struct queue *q, size_t k)
{
	while (q->npage_after > k)
		free(q->page_after[--q->npage_after]);
}

/* Loads the page after the window; the window's first page goes when it
 * is full.  False when there was nothing more to load. */
static bool append_page(struct screen *s)
{
	struct queue *q = s->priv;
	size_t k = q->first_page + q->count / q->page_rows, added;
	size_t rows = q->page_rows;
	struct wq_case_page page;

	if (q->count && !cursor_after_window(q))
		return false;
	if (!load_page(s, k, &page))
		return false;
	q->rows =
	    realloc(q->rows, (q->count + page.count + 1) * sizeof(*q->rows));
	memcpy(q->rows + q->count, page.rows, page.count * sizeof(*q->rows));
	q->count += page.count;
	/* what follows this page may have changed since it was first read */
	forget_pages_after(q, k + 1);
	if (q->npage_after == 0) {
		q->page_after = realloc(q->page_after, sizeof(*q->page_after));
		q->page_after[q->npage_after++] = NULL;
	}
	if (page.next_cursor) {
		q->page_after =
		    realloc(q->page_after,
			    (q->npage_after + 1) * sizeof(*q->page_after));
		q->page_after[q->npage_after++] = page.next_cursor;
		page.next_cursor = NULL;
	}
	added = page.count;
	wq_case_page_free(&page);
	if (q->count > window_pages(q) * rows) {
		q->count -= rows;
		memmove(q->rows, q->rows + rows, q->count * sizeof(*q->rows));
		q->first_page++;
		q->selected = q->selected > rows ? q->selected - rows : 0;
		q->top = q->top > rows ? q->top - rows : 0;
	}
	return added > 0;
}

/* The window starts again at page k, with that page alone. */
static void restart_at(struct screen *s, size_t k)
{
	struct queue *q = s->priv;

	free(q->rows);
	q->rows = NULL;
	q->count = 0;
	q->first_page = k < q->npage_after ? k : 0;
	q->selected = q->top = 0;
	if (!append_page(s) && q->first_page > 0) {
		q->first_page = 0;
		append_page(s);
	}
}

/* Loads the page before the window; its last page goes when it is full. */
static bool prepend_page(struct screen *s)
{
	struct queue *q = s->priv;
	struct wq_case_page page;
	size_t k = q->first_page - 1, rows = q->page_rows;

	if (q->first_page == 0 || !load_page(s, k, &page))
		return false;
	if (page.count != rows) {
		/* the list changed under us: start again from that page */
		wq_case_page_free(&page);
		restart_at(s, k);
		return true;
	}
	q->rows = realloc(q->rows, (q->count + rows) * sizeof(*q->rows));
	memmove(q->rows + rows, q->rows, q->count * sizeof(*q->rows));
	memcpy(q->rows, page.rows, rows * sizeof(*q->rows));
	wq_case_page_free(&page);
	q->count += rows;
	q->first_page = k;
	q->selected += rows;
	q->top += rows;
	if (q->count > window_pages(q) * rows)
		q->count = window_pages(q) * rows;
	return true;
}

/* Reads the window again from its first page (another session committed,
 * or a case was opened), keeping the cursor on the same case; from the
 * list's first page, in pages as tall as the list is now. */
static void reload(struct screen *s)
{
	struct queue *q = s->priv;
	struct wq_filter f;
	size_t shown = rows_shown(s), want = q->selected + 1;

	if (q->first_page == 0 && q->page_rows != shown) {
		forget_pages_after(q, 0);
		q->page_rows = shown;
	}
	/* the rows on screen, however tall it is */
	if (want < q->top + shown)
		want = q->top + shown;
	/* "due within a working day", as of now: the view is read again
	 * after every commit, and a day may have passed */
	wq_date_format(wq_cal_add_workdays(wq_clock_calendar(s->ui->store),
					   wq_local_day(wq_now()), 1,
					   &(bool){false}),
		       q->follow_up_by);
	restart_at(s, q->first_page);
	while (q->count < want && append_page(s))
		;
	q->selected = 0;
	for (size_t i = 0; i < q->count; i++)
		if (q->rows[i].id == q->selected_id)
			q->selected = i;
	if (q->selected >= q->count)
		q->selected = q->count ? q->count - 1 : 0;
	q->total = -1;
	if (!q->search) {
		filter_of(s, &f);
		if (wq_case_count(s->ui->store, &s->ui->actor, &f,
				  &q->total) != WQ_ERR_OK)
			q->total = -1;
	}
}

/* The inbox's unread count changes only with a commit (another
 * session's, or ours on a screen that closed over the queue): it is read
 * then, not again for every other order, filter or search of the list. */
static void read_inbox_count(struct screen *s)
{
	struct queue *q = s->priv;

	/* a figure's cases, opened from the dashboard over the queue that
	 * shows the count: its title names the figure instead */
	if (q->drill) {
		q->inbox_unread = 0;
		q->inbox_due = 0;
		return;
	}
	if (wq_inbox_unread(s->ui->store, &s->ui->actor, &q->inbox_unread))
		q->inbox_unread = 0;
	if (wq_inbox_due_count(s->ui->store, &s->ui->actor, &q->inbox_due))
		q->inbox_due = 0;
}

/* Another list (view, order, filter, search): from its top, a page as
 * tall as the list on screen first.  A search reads hits until that page
 * is full, which takes longer the fewer of them the view holds (a
 * mediator's own cases among everyone's newest): a screenful, no more. */
static void start_over(struct screen *s)
{
	struct queue *q = s->priv;

	forget_pages_after(q, 0);
	q->first_page = 0;
	q->selected = q->top = 0;
	q->selected_id = 0;
	reload(s);
}

/* The terminal changed size: a list taller than the rows read reads the
 * pages it now shows (draw reads nothing), from its first page in pages
 * of the new height. */
static void queue_resized(struct screen *s)
{
	struct queue *q = s->priv;
	size_t shown = rows_shown(s);
	int loads = 0;

	if (q->count >= q->top + shown || !q->page_rows)
		return;
	if (q->first_page == 0) {
		reload(s);
		return;
	}
	while (q->count < q->top + shown &&
	       (size_t)loads++ < window_pages(q) && append_page(s))
		;
}

/* The screenful after the one shown is read while the mediator reads
 * this one, so that a page down (or the cursor run past the bottom)
 * draws from rows already read: at a million cases a page is some
 * thirty pages of the file, most of them in no cache.  A search's page
 * is not read ahead: it reads hits until the page is full, which can
 * take longer than a key's wait. */
static void queue_idle(struct screen *s)
{
	struct queue *q = s->priv;

	if (q->search || !q->count || !q->page_rows)
		return;
	if (q->count >= q->top + 2 * rows_shown(s))
		return;
	append_page(s);
}

static int queue_open(struct screen *s, const void *arg)
{
	struct queue *q = s->priv;

	/* Supervisors look at everything first; the rest at their own. */
	q->view = s->ui->actor.role == WQ_ROLE_SUPERVISOR ||
				  s->ui->actor.role == WQ_ROLE_ADMIN ||
				  s->ui->actor.role == WQ_ROLE_DESK
			  ? VIEW_ALL
			  : VIEW_MINE;
	if (arg) {
		/* a figure of the dashboard: exactly the cases it counts */
		const struct scr_drill *d = arg;
		struct wq_filter f = {0};

		q->drill = malloc(sizeof(*q->drill));
		if (!q->drill)
			abort();
		*q->drill = *d;
		scr_drill_filter(d, &f);
		q->view = VIEW_ALL;
		q->status = f.status ? strdup(f.status) : NULL;
		q->category = f.category ? strdup(f.category) : NULL;
		q->region = f.region ? strdup(f.region) : NULL;
		q->type = f.type ? strdup(f.type) : NULL;
		q->assignee = f.assignee ? strdup(f.assignee) : NULL;
		for (int i = 0; f.order && orders[i]; i++)
			if (strcmp(orders[i], f.order) == 0)
				q->order = i;
	}
	reload(s);
	read_inbox_count(s);
	return 0;
}

static void queue_close(struct screen *s)
{
	struct queue *q = s->priv;

	free(q->rows);
	forget_pages_after(q, 0);
	free(q->page_after);
	free(q->status);
	free(q->category);
	free(q->region);
	free(q->type);
	free(q->search);
	free(q->assignee);
	free(q->marks);
	free(q->drill);
}

/* A follow-up sooner than the running clock's due date shows instead of
 * it, marked F (the legend in the help). */
static bool follow_up_first(const struct wq_case_row *r)
{
	return *r->follow_up_on && strcmp(r->status, "closed") != 0 &&
	       (!*r->due_on || r->clock_paused ||
		strcmp(r->follow_up_on, r->due_on) < 0);
}

/* Whether the Days cell warns: a closed case never does. */
static bool days_warn(const struct wq_case_row *r)
{
	return strcmp(r->status, "closed") != 0 && *r->due_on &&
	       !r->clock_paused && !*r->review_since;
}

/* The Days cell: F and the days to a follow-up, R and the working days
 * waited in review, || a paused clock, - none; ~ after the days when the
 * deadline rests on a figure not checked against the official text (the
 * legend in the help). */
static void format_days(const struct wq_case_row *r, char *buf, size_t n)
{
	if (*r->review_since)
		snprintf(buf, n, "R%d", r->review_days);
	else if (follow_up_first(r))
		snprintf(buf, n, "F%d", r->follow_up_days);
	else if (!*r->due_on || strcmp(r->status, "closed") == 0)
		snprintf(buf, n, "-");
	else if (r->clock_paused)
		snprintf(buf, n, "||");
	else
		snprintf(buf, n, "%d%s%s", r->days_left,
			 r->days_uncertain ? "?" : "",
			 r->due_unverified ? "~" : "");
}

static void draw_cell(struct screen *s, int y, const struct scr_column *c,
		      const char *text, attr_t attr)
{
	int w = scr_text_width(text);

	if (c->right && w < c->w)
		scr_draw_text(stdscr, y, c->x + c->w - w, w, text, attr, 0);
	else
		scr_draw_text(stdscr, y, c->x, c->w, text, attr, SCR_TEXT_PAD);
	(void)s;
}

/* The widest label of a vocabulary in this locale, in display columns. */
static int widest_label(enum scr_label_kind kind)
{
	int w = 0;

	for (const char *const *c = scr_label_codes(kind); *c; c++) {
		int cw = scr_text_width(kind == SCR_L_STATUS
						? scr_status_label(*c)
						: scr_label(kind, *c));

		if (cw > w)
			w = cw;
	}
	return w;
}

static void queue_draw(struct screen *s)
{
	struct queue *q = s->priv;
	struct scr_ui *ui = s->ui;
	struct scr_rect title = scr_layout_rect(&s->lay, SCR_AREA_TITLE);
	struct scr_rect info = scr_layout_rect(&s->lay, SCR_AREA_QUEUE_INFO);
	struct scr_rect hdr = scr_layout_rect(&s->lay, SCR_AREA_QUEUE_COLHDR);
	struct scr_rect list = scr_layout_rect(&s->lay, SCR_AREA_QUEUE_LIST);
	char line[512], total[32];
	size_t used;
	static const char *const headers[SCR_QCOL_COUNT] = {
		[SCR_QCOL_NUMBER] = N_("Number"),
		[SCR_QCOL_STATUS] = N_("Status"),
		[SCR_QCOL_CATEGORY] = N_("Category"),
		[SCR_QCOL_MERCHANT] = N_("Merchant"),
		[SCR_QCOL_REGION] = N_("Region"),
		[SCR_QCOL_AMOUNT] = N_("Amount"),
		[SCR_QCOL_DAYS] = N_("Days"),
		[SCR_QCOL_ASSIGNEE] = N_("Assignee"),
	};

	used = snprintf(line, sizeof(line), "weiquan  %s (%s)  %s",
			ui->actor.login,
			scr_label(SCR_L_ROLE, wq_role_name(ui->actor.role)),
			q->drill ? q->drill->title : _(view_names[q->view]));
	if (q->inbox_unread > 0 && used < sizeof(line))
		used += snprintf(line + used, sizeof(line) - used,
				 q->inbox_unread >= WQ_INBOX_MAX
					 ? _("  inbox %d+")
					 : _("  inbox %d"),
				 q->inbox_unread);
	if (q->inbox_due > 0 && used < sizeof(line))
		snprintf(line + used, sizeof(line) - used,
			 /* TRANSLATORS: deadlines and follow-ups due within
			  * a working day on my cases (the inbox lists them). */
			 _("  due %zu"), q->inbox_due);
	scr_draw_text(stdscr, title.y, title.x, title.w, line,
		      ui->attr[SCR_A_TITLE], SCR_TEXT_PAD);

	if (q->total == WQ_COUNT_MORE)
		snprintf(total, sizeof(total), "%d+", WQ_COUNT_CAP);
	else if (q->total >= 0)
		snprintf(total, sizeof(total), "%" PRId64, q->total);
	else
		snprintf(total, sizeof(total), "%zu%s",
			 q->first_page * q->page_rows + q->count,
			 cursor_after_window(q) ? "+" : "");
	if (q->search && !q->search_sorted)
		used = snprintf(line, sizeof(line),
				q->reverse ? _("%s cases  oldest first")
					   : _("%s cases  newest first"),
				total);
	else
		used = snprintf(line, sizeof(line),
				q->reverse ? _("%s cases  by %s, reversed")
					   : _("%s cases  by %s"),
				total,
				scr_label(SCR_L_ORDER, orders[q->order]));
	if (q->nmarks && used < sizeof(line))
		used += snprintf(line + used, sizeof(line) - used,
				 /* TRANSLATORS: how many cases are marked
				  * (space) for an action on all of them. */
				 _("  %zu marked"), q->nmarks);
	if (q->status && used < sizeof(line))
		used += snprintf(line + used, sizeof(line) - used,
				 _("  status=%s"), scr_status_label(q->status));
	if (q->category && used < sizeof(line))
		used += snprintf(line + used, sizeof(line) - used,
				 _("  category=%s"),
				 scr_label(SCR_L_CATEGORY, q->category));
	if (q->region && used < sizeof(line))
		used += snprintf(line + used, sizeof(line) - used,
				 _("  region=%s"), q->region);
	if (q->type && used < sizeof(line))
		used += snprintf(line + used, sizeof(line) - used,
				 _("  type=%s"),
				 scr_label(SCR_L_TYPE, q->type));
	if (q->assignee && used < sizeof(line))
		used += snprintf(line + used, sizeof(line) - used,
				 _("  assignee=%s"),
				 strcmp(q->assignee, "none") == 0
					 ? _("(unassigned)")
				 : strcmp(q->assignee, "me") == 0
					 ? ui->actor.login
					 : q->assignee);
	if (q->search && used < sizeof(line))
		snprintf(line + used, sizeof(line) - used, _("  search: %s"),
			 q->search);
	scr_draw_text(stdscr, info.y, info.x, info.w, line,
		      ui->attr[SCR_A_NORMAL], SCR_TEXT_PAD);

	/* Status and category words are read whole, in any language. */
	s->lay.ncolumns = scr_queue_columns_fit(
		list.w, widest_label(SCR_L_STATUS),
		widest_label(SCR_L_CATEGORY), s->lay.column);
	for (int i = 0; i < s->lay.ncolumns; i++) {
		const struct scr_column *c = &s->lay.column[i];

		draw_cell(s, hdr.y, c, _(headers[c->id]),
			  ui->attr[SCR_A_TITLE]);
	}

	if (q->selected < q->top)
		q->top = q->selected;
	if (list.h > 0 && q->selected >= q->top + (size_t)list.h)
		q->top = q->selected - (size_t)list.h + 1;
	if (q->count == 0)
		scr_draw_text(stdscr, list.y, list.x, list.w,
			      q->search
				      ? _("no case matches the search")
				      : _("no cases here (v changes the view)"),
			      ui->attr[SCR_A_DIM], 0);
	for (int row = 0; row < list.h; row++) {
		size_t i = q->top + (size_t)row;
		const struct wq_case_row *r;
		attr_t base;
		char amount[32], days[16], merchant[160], number[40];
		bool marked;

		if (i >= q->count)
			break;
		r = &q->rows[i];
		/* Only the number cell shows the cursor: moving it then
		 * rewrites two short cells, not two whole rows of CJK text,
		 * which matters on a slow SSH link. */
		base = ui->attr[SCR_A_NORMAL];
		snprintf(amount, sizeof(amount), "%" PRId64 ".%02" PRId64,
			 r->amount_fen / 100, r->amount_fen % 100);
		format_days(r, days, sizeof(days));
		/* A marked case: "* " where every number has "WQ-" (its
		 * lookups take the number without it). */
		marked = is_marked(q, r->id, NULL);
		snprintf(number, sizeof(number), "%s%s", marked ? "* " : "",
			 marked && !strncmp(r->number, "WQ-", 3) ? r->number + 3
								 : r->number);
		snprintf(merchant, sizeof(merchant), "%s%s",
			 r->merchant_blacklisted ? "!! "
			 : r->merchant_repeat	 ? "! "
						 : "",
			 r->merchant);
		for (int k = 0; k < s->lay.ncolumns; k++) {
			const struct scr_column *c = &s->lay.column[k];
			const char *text = "";
			attr_t attr = base;

			switch (c->id) {
			case SCR_QCOL_NUMBER:
				text = number;
				if (marked)
					attr |= ui->attr[SCR_A_MARK];
				if (i == q->selected)
					attr = ui->attr[SCR_A_SELECTED] |
					       (marked ? ui->attr[SCR_A_MARK]
						       : 0);
				break;
			case SCR_QCOL_STATUS:
				text = scr_status_label(r->status);
				break;
			case SCR_QCOL_CATEGORY:
				text = scr_label(SCR_L_CATEGORY, r->category);
				break;
			case SCR_QCOL_MERCHANT:
				text = merchant;
				if (r->merchant_repeat ||
				    r->merchant_blacklisted)
					attr |= ui->attr[SCR_A_MARK];
				break;
			case SCR_QCOL_REGION: text = r->region; break;
			case SCR_QCOL_AMOUNT: text = amount; break;
			case SCR_QCOL_DAYS:
				text = days;
				if (*r->review_since)
					;
				else if (follow_up_first(r) &&
				    r->follow_up_days < 0)
					attr |= ui->attr[SCR_A_OVERDUE];
				else if (follow_up_first(r) &&
					 r->follow_up_days <= 1)
					attr |= ui->attr[SCR_A_DUE_SOON];
				else if (days_warn(r) && r->days_left < 0)
					attr |= ui->attr[SCR_A_OVERDUE];
				else if (days_warn(r) && r->days_left <= 2)
					attr |= ui->attr[SCR_A_DUE_SOON];
				break;
			case SCR_QCOL_ASSIGNEE:
				text = *r->assignee ? r->assignee : "-";
				break;
			default: break;
			}
			draw_cell(s, list.y + row, c, text, attr);
		}
	}
}

/* Moves the cursor to row target of the window (before it or past it
 * loads pages, at most a window's worth per key). */
static void move_to(struct screen *s, long target)
{
	struct queue *q = s->priv;
	long at = (long)(q->first_page * q->page_rows) + target;
	size_t loads = 0;

	while (at >= (long)(q->first_page * q->page_rows + q->count) &&
	       loads++ < window_pages(q) && append_page(s))
		;
	while (at < (long)(q->first_page * q->page_rows) &&
	       loads++ < window_pages(q) && prepend_page(s))
		;
	target = at - (long)(q->first_page * q->page_rows);
	if (target >= (long)q->count)
		target = (long)q->count - 1;
	if (target < 0)
		target = 0;
	q->selected = (size_t)target;
	if (q->count)
		q->selected_id = q->rows[q->selected].id;
}

static char **field_of(struct queue *q, enum scr_action act)
{
	switch (act) {
	case SCR_ACT_FILTER_STATUS: return &q->status;
	case SCR_ACT_FILTER_CATEGORY: return &q->category;
	case SCR_ACT_FILTER_REGION: return &q->region;
	case SCR_ACT_FILTER_TYPE: return &q->type;
	default: return NULL;
	}
}

static const char *const categories[] = {
	"quality", "refund", "advertising", "counterfeit", "diversion",
	"delivery", "payment", "service", "privacy", "other", NULL,
};
static const char *const types[] = {"complaint", "ip", "diversion",
					   "report", NULL};

static char *formatted(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* A new string, printf-formatted; out of memory is fatal. */
static char *formatted(const char *fmt, ...)
{
	va_list ap;
	char *out;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	out = malloc((size_t)(n < 0 ? 0 : n) + 1);
	if (!out)
		abort();
	va_start(ap, fmt);
	vsnprintf(out, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	va_end(ap);
	return out;
}

/* The region filter picks from the regions with open cases whose name
 * holds what was typed (广州 lists 广东省广州市), most cases first. */
static void pick_region(struct screen *s)
{
	struct queue *q = s->priv;
	struct wq_report_counts regions;
	const char **list, **labels;
	char *text, *title;
	enum wq_err err;
	int picked;
	size_t n = 0;

	if (!scr_prompt_line(s->ui, _("Region, or part of it (empty: any)"),
			     "", &text))
		return;
	if (!*text) {
		free(text);
		free(q->region);
		q->region = NULL;
		return;
	}
	err = wq_report_regions(s->ui->store, text, &regions);
	if (err) {
		scr_status_err(s->ui, err);
		free(text);
		return;
	}
	if (regions.n == 0) {
		scr_status(s->ui, true, _("No open case in a region named '%s'"),
			   text);
		free(text);
		wq_report_counts_free(&regions);
		return;
	}
	list = calloc(regions.n + 1, sizeof(*list));
	labels = calloc(regions.n + 1, sizeof(*labels));
	if (!list || !labels)
		abort();
	for (; n < regions.n; n++) {
		list[n] = regions.v[n].key;
		labels[n] = formatted(_("%s  (%" PRId64 " open)"),
				      regions.v[n].key, regions.v[n].n);
	}
	title = formatted(_("Regions with '%s'"), text);
	if (scr_prompt_pick(s->ui, title, list, labels, &picked)) {
		free(q->region);
		q->region = strdup(list[picked]);
	}
	for (size_t i = 0; i < n; i++)
		free((char *)labels[i]);
	free(list);
	free(labels);
	free(title);
	free(text);
	wq_report_counts_free(&regions);
}

/* Picks a person, with each one's open and overdue cases (the
 * dashboard's counts); as a filter, also "me", nobody, or any (*login
 * NULL).  False when cancelled. */
static bool pick_person(struct screen *s, const char *title, bool filter,
			char **login)
{
	struct wq_report_mediator *people;
	const char **list, **labels;
	size_t npeople, n = 0;
	enum wq_err err;
	bool picked_one;
	int picked;

	err = wq_report_assignee_loads(s->ui->store, &s->ui->actor, &people,
				       &npeople);
	if (err) {
		scr_status_err(s->ui, err);
		return false;
	}
	list = calloc(npeople + 4, sizeof(*list));
	labels = calloc(npeople + 4, sizeof(*labels));
	if (!list || !labels)
		abort();
	if (filter) {
		list[n] = "(any)";
		labels[n++] = formatted("%s", _("(any: as the view)"));
		list[n] = "me";
		labels[n++] = formatted(_("me (%s)"), s->ui->actor.login);
		list[n] = "none";
		labels[n++] = formatted("%s", _("(unassigned)"));
	}
	for (size_t i = 0; i < npeople; i++, n++) {
		list[n] = people[i].login;
		labels[n] = formatted(_("%s%s%s  %" PRId64 " open, %" PRId64
					" overdue"),
				      people[i].login,
				      *people[i].name ? " " : "",
				      people[i].name, people[i].open,
				      people[i].overdue);
	}
	picked_one = n && scr_prompt_pick(s->ui, title, list, labels, &picked);
	if (picked_one)
		*login = filter && picked == 0 ? NULL : strdup(list[picked]);
	for (size_t i = 0; i < n; i++)
		free((char *)labels[i]);
	free(list);
	free(labels);
	free(people);
	return picked_one;
}

/* The assignee filter picks a person, or "me" or nobody. */
static void pick_assignee(struct screen *s)
{
	struct queue *q = s->priv;
	char *login;

	if (pick_person(s, scr_action_help(SCR_ACT_FILTER_ASSIGNEE), true,
			&login)) {
		free(q->assignee);
		q->assignee = login;
	}
}

/* What the status line says after an action on several cases: how many
 * were ruled on, and the first refusal, e.g. "9 assigned, 1 refused:
 * WQ-2026-000010 (not allowed in the case's current status)". */
static void bulk_summary(struct screen *s, const char *action,
			 const struct wq_bulk_outcome *o, size_t n)
{
	size_t done = 0, refused = 0, first = n;
	char line[512];
	int used;

	for (size_t i = 0; i < n; i++) {
		if (!o[i].err)
			done++;
		else if (refused++ == 0)
			first = i;
	}
	if (!strcmp(action, "claim"))
		used = snprintf(line, sizeof(line),
				ngettext("%zu claimed", "%zu claimed", done),
				done);
	else if (!strcmp(action, "assign"))
		used = snprintf(line, sizeof(line),
				ngettext("%zu assigned", "%zu assigned", done),
				done);
	else if (!strcmp(action, "release"))
		used = snprintf(line, sizeof(line),
				ngettext("%zu released", "%zu released", done),
				done);
	else
		used = snprintf(line, sizeof(line),
				ngettext("%zu flagged", "%zu flagged", done),
				done);
	if (refused && used > 0 && (size_t)used < sizeof(line))
		snprintf(line + used, sizeof(line) - (size_t)used,
			 /* TRANSLATORS: after "9 assigned": how many cases
			  * were refused, the first of them and why. */
			 ngettext(", %zu refused: %s (%s)",
				  ", %zu refused, the first: %s (%s)", refused),
			 refused, o[first].number, _(wq_strerror(o[first].err)));
	scr_status(s->ui, refused > 0, "%s", line);
}

/* Claims, assigns, releases or flags the marked cases, or the selected
 * one when none is marked, in one write (weiquan/bulk.h).  The cases done
 * lose their mark; the refused keep it, to be looked at. */
static void bulk(struct screen *s)
{
	static const char *const actions[] = {"claim", "assign", "release",
					      "flag", "unmark", NULL};
	struct queue *q = s->priv;
	const char *labels[6], *choices[6], **numbers, *arg_list[1];
	const struct wq_action *flag = wq_action_find("flag");
	struct wq_ruling r = {0};
	struct wq_bulk_outcome *o;
	char *arg = NULL, title[160], question[320];
	size_t n = q->nmarks ? q->nmarks : 1;
	enum wq_err err;
	int picked;

	if (!q->nmarks && !q->count)
		return;
	for (int i = 0; i < 4; i++)
		labels[i] = scr_label(SCR_L_ACTION, actions[i]);
	/* marks of cases gone from the list can be dropped too */
	labels[4] = q->nmarks ? _("Unmark all") : NULL;
	labels[5] = NULL;
	memcpy(choices, actions, sizeof(choices));
	if (!q->nmarks)
		choices[4] = NULL;
	if (q->nmarks)
		snprintf(title, sizeof(title),
			 ngettext("%zu marked case", "%zu marked cases", n), n);
	else
		snprintf(title, sizeof(title), "%s",
			 q->rows[q->selected].number);
	if (!scr_prompt_pick(s->ui, title, choices, labels, &picked))
		return;
	if (picked == 4) {
		q->nmarks = 0;
		return;
	}
	r.action = actions[picked];
	if (!strcmp(r.action, "assign")) {
		if (!pick_person(s, _("Assign to"), false, &arg))
			return;
	} else if (!strcmp(r.action, "flag") && flag && flag->reasons) {
		const char *flabels[32];
		int k = 0, f;

		for (; flag->reasons[k] && k < 31; k++)
			flabels[k] = scr_label(SCR_L_FLAG, flag->reasons[k]);
		flabels[k] = NULL;
		if (!scr_prompt_pick(s->ui, _("Which flag?"), flag->reasons,
				     flabels, &f))
			return;
		arg = strdup(flag->reasons[f]);
	}
	if (arg) {
		arg_list[0] = arg;
		r.argc = 1;
		r.argv = arg_list;
	}
	if (n > 1) {
		snprintf(question, sizeof(question),
			 /* TRANSLATORS: the ruling, its argument (a login, a
			  * flag, or nothing), how many cases. */
			 ngettext("%s %s: %zu case?", "%s %s: %zu cases?", n),
			 labels[picked],
			 !arg ? ""
			 : !strcmp(r.action, "flag") ? scr_label(SCR_L_FLAG, arg)
						     : arg,
			 n);
		if (!scr_prompt_confirm(s->ui, question)) {
			free(arg);
			return;
		}
	}
	numbers = calloc(n, sizeof(*numbers));
	if (!numbers)
		abort();
	for (size_t i = 0; i < n; i++)
		numbers[i] = q->nmarks ? q->marks[i].number
				       : q->rows[q->selected].number;
	err = wq_bulk_rule(s->ui->store, &s->ui->actor, &r, numbers, NULL, n,
			   &o);
	free(numbers);
	free(arg);
	if (err) {
		scr_status_err(s->ui, err);
		return;
	}
	bulk_summary(s, r.action, o, n);
	for (size_t i = n; q->nmarks && i-- > 0;)
		if (!o[i].err)
			q->marks[i] = q->marks[--q->nmarks];
	free(o);
}

static void pick_filter(struct screen *s, enum scr_action act)
{
	struct queue *q = s->priv;
	char **field = field_of(q, act);
	const char *const *choices = NULL;
	const char *list[40], *labels[40];
	enum scr_label_kind kind = SCR_L_STATUS;
	int n = 0, picked;

	if (act == SCR_ACT_FILTER_STATUS)
		choices = wq_statuses;
	else if (act == SCR_ACT_FILTER_CATEGORY) {
		choices = categories;
		kind = SCR_L_CATEGORY;
	} else if (act == SCR_ACT_FILTER_TYPE) {
		choices = types;
		kind = SCR_L_TYPE;
	}
	if (!choices) {
		pick_region(s);
		return;
	}
	labels[n] = _("(any)");
	list[n++] = "(any)";
	for (int i = 0; choices[i] && n < 39; i++) {
		labels[n] = scr_label(kind, choices[i]);
		list[n++] = choices[i];
	}
	list[n] = labels[n] = NULL;
	if (!scr_prompt_pick(s->ui, scr_action_help(act), list, labels,
			     &picked))
		return;
	free(*field);
	*field = picked > 0 ? strdup(list[picked]) : NULL;
}

/* How many cases a lookup lists before asking for more of the text. */
#define FIND_ROWS 30

enum find_outcome { FIND_NOTHING, FIND_DONE, FIND_SEARCH };

/* Looks text up by number, phone, ID number, name, order or shop ID
 * (wq_case_find) and opens the case picked; one case opens at once
 * unless offer_search, which ends the list with a full-text search for
 * the text (FIND_SEARCH when that was picked).  FIND_NOTHING when no
 * case matched. */
static enum find_outcome find_and_open(struct screen *s, const char *text,
				       bool offer_search)
{
	struct wq_find_result found;
	const char **labels, **choices;
	enum find_outcome outcome = FIND_DONE;
	enum wq_err err;
	char *title;
	size_t n = 0;
	int picked;

	err = wq_case_find(s->ui->store, &s->ui->actor, text, FIND_ROWS,
			   &found);
	if (err) {
		scr_status_err(s->ui, err);
		return FIND_DONE;
	}
	if (found.count == 0) {
		wq_find_result_free(&found);
		return FIND_NOTHING;
	}
	if (found.count == 1 && !offer_search) {
		scr_push(s->ui, &scr_case_ops, found.hits[0].row.number);
		wq_find_result_free(&found);
		return FIND_DONE;
	}
	labels = calloc(found.count + 2, sizeof(*labels));
	choices = calloc(found.count + 2, sizeof(*choices));
	if (!labels || !choices)
		abort();
	for (; n < found.count; n++) {
		const struct wq_found *h = &found.hits[n];

		/* a name found is on the line already: the merchant instead */
		if (h->by == WQ_FIND_BY_CONSUMER)
			labels[n] = formatted("%s  %s  %s", h->row.number,
					      h->row.consumer,
					      h->row.merchant);
		else
			labels[n] = formatted("%s  %s  %s %s", h->row.number,
					      h->row.consumer,
					      _(wq_find_by_label(h->by)),
					      h->value);
		choices[n] = labels[n];
	}
	if (offer_search)
		labels[n] = choices[n] = formatted(
			_("Search statements and evidence for: %s"), text);
	title = found.more ? formatted(_("More cases match than shown: "
					   "type more of '%s' to narrow"),
					 text)
			   : formatted(_("Cases found for '%s'"), text);
	if (scr_prompt_pick(s->ui, title, choices, labels, &picked)) {
		if ((size_t)picked < found.count)
			scr_push(s->ui, &scr_case_ops,
				 found.hits[picked].row.number);
		else
			outcome = FIND_SEARCH;
	}
	for (size_t i = 0; i < n + (offer_search ? 1 : 0); i++)
		free((char *)labels[i]);
	free(labels);
	free(choices);
	free(title);
	wq_find_result_free(&found);
	return outcome;
}

static int queue_act(struct screen *s, enum scr_action act, const char *rule)
{
	struct queue *q = s->priv;
	struct scr_rect list = scr_layout_rect(&s->lay, SCR_AREA_QUEUE_LIST);
	long page = list.h > 1 ? list.h - 1 : 1;
	char *text;

	(void)rule;
	switch (act) {
	case SCR_ACT_MOVE_DOWN: move_to(s, (long)q->selected + 1); break;
	case SCR_ACT_MOVE_UP: move_to(s, (long)q->selected - 1); break;
	case SCR_ACT_PAGE_DOWN: move_to(s, (long)q->selected + page); break;
	case SCR_ACT_PAGE_UP: move_to(s, (long)q->selected - page); break;
	case SCR_ACT_FIRST:
		if (q->first_page > 0)
			restart_at(s, 0);
		move_to(s, 0);
		break;
	case SCR_ACT_LAST: move_to(s, LONG_MAX / 2); break;
	/* The queue reloads when the screen opened over it closes (and
	 * when another session commits): reloading it under a screen that
	 * just opened would only delay that screen's first frame.  A case
	 * that could not be opened may be gone: then the queue reloads. */
	case SCR_ACT_OPEN:
		if (q->count && !scr_push(s->ui, &scr_case_ops,
					  q->rows[q->selected].number))
			return SCR_HANDLED | SCR_RELOAD;
		return SCR_HANDLED;
	case SCR_ACT_DASHBOARD:
		scr_push(s->ui, &scr_dashboard_ops, NULL);
		return SCR_HANDLED;
	case SCR_ACT_INTAKE:
		scr_push(s->ui, &scr_intake_ops, NULL);
		return SCR_HANDLED;
	case SCR_ACT_INBOX:
		scr_push(s->ui, &scr_inbox_ops, NULL);
		return SCR_HANDLED;
	case SCR_ACT_VIEW:
		/* every role's cycle has "all": a mediator reads every case
		 * (wq_case_authorize), a desk the ones it registered */
		q->view = (q->view + 1) % VIEW_COUNT;
		if (q->drill) {
			free(q->drill);
			q->drill = NULL;
			read_inbox_count(s);
		}
		start_over(s);
		break;
	case SCR_ACT_SORT:
		/* a search cycles from newest first through the orders */
		if (q->search && !q->search_sorted) {
			q->search_sorted = true;
			q->order = 0;
		} else if (orders[q->order + 1]) {
			q->order++;
		} else {
			q->order = 0;
			q->search_sorted = false;
		}
		start_over(s);
		break;
	case SCR_ACT_REVERSE:
		q->reverse = !q->reverse;
		start_over(s);
		break;
	case SCR_ACT_MARK:
		if (q->count) {
			toggle_mark(q, &q->rows[q->selected]);
			move_to(s, (long)q->selected + 1);
		}
		break;
	case SCR_ACT_BULK:
		bulk(s);
		return SCR_HANDLED | SCR_RELOAD;
	case SCR_ACT_FILTER_ASSIGNEE:
		pick_assignee(s);
		start_over(s);
		break;
	case SCR_ACT_FILTER_STATUS:
	case SCR_ACT_FILTER_CATEGORY:
	case SCR_ACT_FILTER_REGION:
	case SCR_ACT_FILTER_TYPE:
		pick_filter(s, act);
		start_over(s);
		break;
	case SCR_ACT_CLEAR_FILTERS:
		free(q->status);
		free(q->category);
		free(q->region);
		free(q->type);
		free(q->search);
		free(q->assignee);
		q->status = q->category = q->region = q->type = q->search =
			q->assignee = NULL;
		if (q->drill) {
			free(q->drill);
			q->drill = NULL;
			read_inbox_count(s);
		}
		q->search_sorted = false;
		start_over(s);
		break;
	case SCR_ACT_FIND:
		if (!scr_prompt_line(s->ui,
				     _("Find: case number, phone, ID number, "
				       "name, order or shop ID"),
				     "", &text))
			break;
		if (*text && find_and_open(s, text, false) == FIND_NOTHING)
			scr_status(s->ui, true, _("No case matches '%s'"),
				   text);
		free(text);
		return SCR_HANDLED | SCR_RELOAD;
	case SCR_ACT_SEARCH:
		if (!scr_prompt_line(s->ui, _("Search (Chinese included)"),
				     q->search ? q->search : "", &text))
			break;
		/* A number, phone or name a caller gives is a lookup first;
		 * the list it gives ends with the full-text search. */
		if (*text && find_and_open(s, text, true) == FIND_DONE) {
			free(text);
			return SCR_HANDLED | SCR_RELOAD;
		}
		free(q->search);
		q->search = *text ? text : NULL;
		q->search_sorted = false;
		if (!q->search)
			free(text);
		start_over(s);
		break;
	default:
		return 0;
	}
	return SCR_HANDLED;
}

static void queue_data_changed(struct screen *s)
{
	reload(s);
	read_inbox_count(s);
}

/* A change concerns the queue when it is to a case on screen, to one the
 * list now selects, to one of the user's own (the inbox count), or when
 * a case left the list (its count moved). */
static bool queue_concerns(struct screen *s, const struct wq_changes *changes)
{
	struct queue *q = s->priv;
	struct wq_store *store = s->ui->store;
	struct wq_filter f, mine = {.status = "all", .assignee = "me"};
	int64_t total = -1;
	bool any = true;

	for (size_t i = 0; i < q->count; i++)
		if (wq_changes_touch(changes, q->rows[i].id))
			return true;
	filter_of(s, &f);
	if (q->search ||
	    wq_case_filter_any(store, &s->ui->actor, &f, changes->case_ids,
			       changes->n, &any) ||
	    any)
		return true;
	if (wq_case_filter_any(store, &s->ui->actor, &mine, changes->case_ids,
			       changes->n, &any) ||
	    any)
		return true;
	return wq_case_count(store, &s->ui->actor, &f, &total) ||
	       total != q->total;
}

static int queue_keybar(struct screen *s, const char **items, int max)
{
	static const char *const mine[] = {
		"open", "mark", "inbox", "intake", "find", "search", "view", "sort",
		"filter-status",
		"filter-category", "clear-filters",
	};
	struct queue *q = s->priv;
	int n = 0;

	/* with cases marked, what to do with them comes first */
	if (q->nmarks && n < max)
		items[n++] = "bulk";
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]) && n < max; i++)
		items[n++] = mine[i];
	if ((s->ui->actor.role == WQ_ROLE_SUPERVISOR ||
	     s->ui->actor.role == WQ_ROLE_ADMIN) && n < max)
		items[n++] = "dashboard";
	return n;
}

const struct screen_ops scr_queue_ops = {
	.name = "queue",
	.priv_size = sizeof(struct queue),
	.layout_id = SCR_SCREEN_QUEUE,
	.open = queue_open,
	.draw = queue_draw,
	.act = queue_act,
	.data_changed = queue_data_changed,
	.concerns = queue_concerns,
	.close = queue_close,
	.resized = queue_resized,
	.idle = queue_idle,
	.keybar = queue_keybar,
	/* TRANSLATORS: the query language of the search (/); keep each
	 * line within 76 columns (a Chinese character takes two). */
	.help = N_("Search (/) lists each case whose statements or evidence "
		   "hold\n"
		   "every term, newest case first.\n"
		   "  退款 发票     terms separated by spaces must all match\n"
		   "  退款          Chinese as typed, one character or more\n"
		   "  退貨 = 退货   Simplified and Traditional find each other\n"
		   "  refund        Latin letters and digits: whole words, in "
		   "any case\n"
		   "  ＴＢ１ = TB1  full-width matches half-width\n"
		   "  - * \" OR      not operators, only text; punctuation "
		   "separates words\n"
		   "\n"
		   "G on a list of more than 5000 cases goes 5000 further each "
		   "time.\n"),
};
