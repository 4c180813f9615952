/* weiquan screens: layout — rectangles for every screen at a terminal size.
 * See layout.h for the shapes; this file has no curses on purpose. */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "layout.h"

static const char *const screen_names[SCR_SCREEN_COUNT] = {
#define SCREEN_NAME(id, name) [SCR_SCREEN_##id] = name,
	SCR_SCREEN_LIST(SCREEN_NAME)
#undef SCREEN_NAME
};

static const char *const aside_names[SCR_ASIDE_COUNT] = {
#define ASIDE_NAME(id, name) [SCR_ASIDE_##id] = name,
	SCR_ASIDE_LIST(ASIDE_NAME)
#undef ASIDE_NAME
};

static const struct {
	const char *name;
	enum scr_area parent;
} areas[SCR_AREA_COUNT] = {
#define AREA_ROW(id, nm, par)                                                  \
	[SCR_AREA_##id] = {.name = nm, .parent = SCR_AREA_##par},
	SCR_AREA_LIST(AREA_ROW)
#undef AREA_ROW
};

static const struct {
	const char *name;
	int min, max;
	bool right;
} qcols[SCR_QCOL_COUNT] = {
#define QCOL_ROW(id, nm, mn, mx, rt)                                           \
	[SCR_QCOL_##id] = {.name = nm, .min = mn, .max = mx, .right = rt},
	SCR_QCOL_LIST(QCOL_ROW)
#undef QCOL_ROW
};

/* Least important first.  The first QCOL_OPTIONAL go to make room for a
 * comfortable merchant column; the rest only when nothing else fits. */
static const enum scr_qcol qcol_drop_order[] = {
	SCR_QCOL_REGION, SCR_QCOL_ASSIGNEE, SCR_QCOL_CATEGORY, SCR_QCOL_AMOUNT,
	SCR_QCOL_STATUS, SCR_QCOL_DAYS,	    SCR_QCOL_MERCHANT,
};
#define QCOL_OPTIONAL 4

/* Where slack goes once the merchant has SCR_QCOL_MERCHANT_WANT. */
static const enum scr_qcol qcol_grow_order[] = {
	SCR_QCOL_STATUS,
	SCR_QCOL_REGION,
};

const char *scr_screen_name(enum scr_screen screen)
{
	if ((int)screen < 0 || screen >= SCR_SCREEN_COUNT)
		return NULL;
	return screen_names[screen];
}

const char *scr_aside_name(enum scr_aside aside)
{
	if ((int)aside < 0 || aside >= SCR_ASIDE_COUNT)
		return NULL;
	return aside_names[aside];
}

const char *scr_area_name(enum scr_area area)
{
	if ((int)area < 0 || area >= SCR_AREA_COUNT)
		return NULL;
	return areas[area].name;
}

enum scr_area scr_area_parent(enum scr_area area)
{
	if ((int)area < 0 || area >= SCR_AREA_COUNT)
		return SCR_AREA_NONE;
	return areas[area].parent;
}

const char *scr_qcol_name(enum scr_qcol col)
{
	if ((int)col < 0 || col >= SCR_QCOL_COUNT)
		return NULL;
	return qcols[col].name;
}

bool scr_layout_too_small(int rows, int cols)
{
	return rows < SCR_MIN_ROWS || cols < SCR_MIN_COLS;
}

int scr_case_header_lines(int cols)
{
	if (cols >= SCR_SPLIT_MIN_COLS)
		return 4; /* number type status clocks / parties / order / flags */
	if (cols >= 80)
		return 5;
	return 6;
}

struct scr_rect scr_layout_rect(const struct scr_layout *lay,
				enum scr_area area)
{
	struct scr_rect none = {0, 0, 0, 0};

	if (!lay || (int)area < 0 || area >= SCR_AREA_COUNT ||
	    !lay->shown[area])
		return none;
	return lay->area[area];
}

bool scr_layout_shown(const struct scr_layout *lay, enum scr_area area)
{
	return lay && (int)area >= 0 && area < SCR_AREA_COUNT &&
	       lay->shown[area];
}

/* ---- queue columns -------------------------------------------------- */

/* Width needed by the kept columns at their minimum, with the gaps. */
static int qcol_need(const bool keep[SCR_QCOL_COUNT],
		     const int min[SCR_QCOL_COUNT])
{
	int need = 0, n = 0;

	for (int c = 0; c < SCR_QCOL_COUNT; c++) {
		if (!keep[c])
			continue;
		need += min[c];
		n++;
	}
	return n > 1 ? need + n - 1 : need;
}

static int grow(int *w, int max, int *slack)
{
	int add = max - *w;

	if (add > *slack)
		add = *slack;
	if (add > 0) {
		*w += add;
		*slack -= add;
	}
	return add;
}

/* The columns at the given minimum widths, dropped in `drop` order (the
 * first `optional` to give the merchant its want, the rest only when
 * nothing else fits). */
static int columns(int width, const int min[SCR_QCOL_COUNT],
		   const enum scr_qcol *drop, int ndrop, int optional,
		   struct scr_column out[SCR_QCOL_COUNT])
{
	bool keep[SCR_QCOL_COUNT];
	int w[SCR_QCOL_COUNT];
	int slack, n = 0, x = 0;

	if (width <= 0)
		return 0;
	for (int c = 0; c < SCR_QCOL_COUNT; c++) {
		keep[c] = true;
		w[c] = min[c];
	}
	for (int i = 0; i < ndrop; i++) {
		int room = width - qcol_need(keep, w);
		int enough = i < optional ? SCR_QCOL_MERCHANT_WANT -
						    w[SCR_QCOL_MERCHANT]
					  : 0;

		if (room >= enough)
			break;
		keep[drop[i]] = false;
	}

	slack = width - qcol_need(keep, w);
	if (slack < 0) {
		/* Only the number is left and it does not fit: clip it. */
		w[SCR_QCOL_NUMBER] = width;
		slack = 0;
	}
	if (keep[SCR_QCOL_MERCHANT])
		grow(&w[SCR_QCOL_MERCHANT], SCR_QCOL_MERCHANT_WANT, &slack);
	for (size_t i = 0;
	     i < sizeof qcol_grow_order / sizeof qcol_grow_order[0]; i++) {
		enum scr_qcol c = qcol_grow_order[i];

		if (keep[c])
			grow(&w[c], qcols[c].max > w[c] ? qcols[c].max : w[c],
			     &slack);
	}
	if (keep[SCR_QCOL_MERCHANT])
		w[SCR_QCOL_MERCHANT] += slack;
	else
		w[SCR_QCOL_NUMBER] += slack; /* only when nothing else fits */

	for (int c = 0; c < SCR_QCOL_COUNT; c++) {
		if (!keep[c])
			continue;
		if (n > 0)
			x++; /* the gap */
		out[n].id = (enum scr_qcol)c;
		out[n].x = x;
		out[n].w = w[c];
		out[n].right = qcols[c].right;
		x += w[c];
		n++;
	}
	return n;
}

int scr_queue_columns(int width, struct scr_column out[SCR_QCOL_COUNT])
{
	int min[SCR_QCOL_COUNT];

	for (int c = 0; c < SCR_QCOL_COUNT; c++)
		min[c] = qcols[c].min;
	return columns(width, min, qcol_drop_order,
		       (int)(sizeof qcol_drop_order / sizeof qcol_drop_order[0]),
		       QCOL_OPTIONAL, out);
}

/* The words of status and category are what a row is read by: they keep
 * their width, and go only when nothing else fits. */
static const enum scr_qcol qcol_fit_drop_order[] = {
	SCR_QCOL_REGION, SCR_QCOL_ASSIGNEE, SCR_QCOL_AMOUNT,
	SCR_QCOL_CATEGORY, SCR_QCOL_STATUS, SCR_QCOL_DAYS, SCR_QCOL_MERCHANT,
};

int scr_queue_columns_fit(int width, int status_w, int category_w,
			  struct scr_column out[SCR_QCOL_COUNT])
{
	int min[SCR_QCOL_COUNT];

	for (int c = 0; c < SCR_QCOL_COUNT; c++)
		min[c] = qcols[c].min;
	if (status_w > min[SCR_QCOL_STATUS])
		min[SCR_QCOL_STATUS] = status_w;
	if (category_w > min[SCR_QCOL_CATEGORY])
		min[SCR_QCOL_CATEGORY] = category_w;
	return columns(width, min, qcol_fit_drop_order,
		       (int)(sizeof qcol_fit_drop_order /
			     sizeof qcol_fit_drop_order[0]),
		       2, out);
}

/* ---- screens -------------------------------------------------------- */

static void put(struct scr_layout *lay, enum scr_area a, int y, int x, int h,
		int w)
{
	lay->shown[a] = true;
	lay->area[a] = (struct scr_rect){.y = y, .x = x, .h = h, .w = w};
}

static void layout_queue(struct scr_layout *lay, struct scr_rect b)
{
	put(lay, SCR_AREA_QUEUE_INFO, b.y, b.x, 1, b.w);
	put(lay, SCR_AREA_QUEUE_COLHDR, b.y + 1, b.x, 1, b.w);
	put(lay, SCR_AREA_QUEUE_LIST, b.y + 2, b.x, b.h - 2, b.w);
	lay->ncolumns = scr_queue_columns(b.w, lay->column);
}

/* A pane: its rectangle, a title line on top and the rest below. */
static void pane(struct scr_layout *lay, enum scr_area box, enum scr_area title,
		 enum scr_area text, int y, int x, int h, int w)
{
	put(lay, box, y, x, h, w);
	put(lay, title, y, x, 1, w);
	put(lay, text, y + 1, x, h - 1, w);
}

static void layout_case(struct scr_layout *lay, struct scr_rect b)
{
	bool split = b.w >= SCR_SPLIT_MIN_COLS;
	int stmt_min = split ? 2 : 4; /* a title and a line, per pane */
	int head = scr_case_header_lines(b.w);
	int rows = (b.h - head) * 3 / 10;
	int stmt, y;

	if (rows < 3)
		rows = 3;
	if (rows > 10)
		rows = 10;
	/* A short terminal: header down to 3, list down to 1, header to 1. */
	while (head + stmt_min + 1 + rows > b.h && head > 3)
		head--;
	while (head + stmt_min + 1 + rows > b.h && rows > 1)
		rows--;
	while (head + stmt_min + 1 + rows > b.h && head > 1)
		head--;
	if (head + stmt_min + 1 + rows > b.h) {
		/* Cannot happen at or above the minimum size. */
		lay->too_small = true;
		return;
	}
	stmt = b.h - head - 1 - rows;
	lay->split = split;

	y = b.y;
	put(lay, SCR_AREA_CASE_HEADER, y, b.x, head, b.w);
	y += head;
	if (split) {
		int left = b.w / 2; /* of b.w - 1, rounded up */
		int right = b.w - 1 - left;

		pane(lay, SCR_AREA_CASE_CONSUMER, SCR_AREA_CASE_CONSUMER_TITLE,
		     SCR_AREA_CASE_CONSUMER_TEXT, y, b.x, stmt, left);
		put(lay, SCR_AREA_CASE_SEP, y, b.x + left, stmt, 1);
		pane(lay, SCR_AREA_CASE_MERCHANT, SCR_AREA_CASE_MERCHANT_TITLE,
		     SCR_AREA_CASE_MERCHANT_TEXT, y, b.x + left + 1, stmt,
		     right);
	} else {
		int top = (stmt + 1) / 2;

		pane(lay, SCR_AREA_CASE_CONSUMER, SCR_AREA_CASE_CONSUMER_TITLE,
		     SCR_AREA_CASE_CONSUMER_TEXT, y, b.x, top, b.w);
		pane(lay, SCR_AREA_CASE_MERCHANT, SCR_AREA_CASE_MERCHANT_TITLE,
		     SCR_AREA_CASE_MERCHANT_TEXT, y + top, b.x, stmt - top,
		     b.w);
	}
	y += stmt;
	pane(lay, SCR_AREA_CASE_ASIDE, SCR_AREA_CASE_ASIDE_TITLE,
	     SCR_AREA_CASE_ASIDE_LIST, y, b.x, 1 + rows, b.w);
}

static void layout_pager(struct scr_layout *lay, struct scr_rect b)
{
	int head = b.w >= SCR_SPLIT_MIN_COLS ? 1 : 2;

	put(lay, SCR_AREA_PAGER_HEADER, b.y, b.x, head, b.w);
	put(lay, SCR_AREA_PAGER_TEXT, b.y + head, b.x, b.h - head - 1, b.w);
	put(lay, SCR_AREA_PAGER_PROMPT, b.y + b.h - 1, b.x, 1, b.w);
}

void scr_layout_compute(struct scr_layout *lay, enum scr_screen screen,
			int rows, int cols, enum scr_aside aside)
{
	struct scr_rect body;

	if (rows < 0)
		rows = 0;
	if (cols < 0)
		cols = 0;
	memset(lay, 0, sizeof *lay);
	lay->screen = screen;
	lay->aside = aside;
	lay->rows = rows;
	lay->cols = cols;
	lay->too_small = scr_layout_too_small(rows, cols);
	if (!lay->too_small) {
		put(lay, SCR_AREA_SCREEN, 0, 0, rows, cols);
		put(lay, SCR_AREA_TITLE, 0, 0, 1, cols);
		put(lay, SCR_AREA_BODY, 1, 0, rows - 3, cols);
		put(lay, SCR_AREA_STATUS, rows - 2, 0, 1, cols);
		put(lay, SCR_AREA_KEYBAR, rows - 1, 0, 1, cols);
		body = lay->area[SCR_AREA_BODY];
		switch (screen) {
		case SCR_SCREEN_QUEUE:
			layout_queue(lay, body);
			break;
		case SCR_SCREEN_CASE:
			layout_case(lay, body);
			break;
		case SCR_SCREEN_PAGER:
			layout_pager(lay, body);
			break;
		case SCR_SCREEN_HELP:
		default:
			put(lay, SCR_AREA_HELP_TEXT, body.y, body.x, body.h,
			    body.w);
			break;
		}
	}
	if (lay->too_small) {
		memset(lay->shown, 0, sizeof lay->shown);
		memset(lay->area, 0, sizeof lay->area);
		lay->split = false;
		lay->ncolumns = 0;
		if (rows > 0 && cols > 0)
			put(lay, SCR_AREA_SCREEN, 0, 0, rows, cols);
	}
}

/* ---- printing ------------------------------------------------------- */

struct out {
	char *buf;
	size_t size, len;
};

static void out_printf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	char *at = NULL;
	size_t room = 0;
	int n;

	if (o->buf && o->len < o->size) {
		at = o->buf + o->len;
		room = o->size - o->len;
	}
	va_start(ap, fmt);
	n = vsnprintf(at, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void print_tree(const struct scr_layout *lay, struct out *o,
		       enum scr_area a, int depth)
{
	const struct scr_rect *r = &lay->area[a];

	out_printf(o, "%*s%s y=%d x=%d h=%d w=%d\n", depth * 2, "",
		   areas[a].name, r->y, r->x, r->h, r->w);
	for (int c = 0; c < SCR_AREA_COUNT; c++)
		if (areas[c].parent == a && lay->shown[c])
			print_tree(lay, o, (enum scr_area)c, depth + 1);
}

size_t scr_layout_print(const struct scr_layout *lay, char *buf, size_t size)
{
	struct out o = {.buf = buf, .size = size, .len = 0};
	const char *name = scr_screen_name(lay->screen);

	if (buf && size > 0)
		buf[0] = '\0';
	out_printf(&o, "%s %dx%d", name ? name : "?", lay->cols, lay->rows);
	if (lay->too_small)
		out_printf(&o, " too-small");
	else if (lay->screen == SCR_SCREEN_CASE)
		out_printf(&o, " %s aside=%s",
			   lay->split ? "split" : "stacked",
			   scr_aside_name(lay->aside) ? scr_aside_name(lay->aside)
						      : "?");
	out_printf(&o, "\n");
	if (lay->shown[SCR_AREA_SCREEN])
		print_tree(lay, &o, SCR_AREA_SCREEN, 0);
	for (int i = 0; i < lay->ncolumns; i++) {
		const struct scr_column *c = &lay->column[i];

		out_printf(&o, "column %s x=%d w=%d%s\n", scr_qcol_name(c->id),
			   c->x, c->w, c->right ? " right" : "");
	}
	return o.len;
}
