/* Unit tests for screens/layout.c: rectangles of every screen at a size.
 *
 * No terminal: the layout is data.  Each property is a checker that returns
 * NULL or what is wrong; test_checkers_catch_faults breaks good layouts on
 * purpose to show that every checker can fail.  The goldens compare
 * scr_layout_print() with the expected text. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "screens/layout.h"

/* ---- checkers ------------------------------------------------------- */

static char why[512];

static const char *wrong(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static const char *wrong(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return why;
}

static bool has_shown_child(const struct scr_layout *lay, int a)
{
	for (int c = 0; c < SCR_AREA_COUNT; c++)
		if (lay->shown[c] && scr_area_parent((enum scr_area)c) == a)
			return true;
	return false;
}

static bool inside(struct scr_rect in, struct scr_rect out)
{
	return in.y >= out.y && in.x >= out.x && in.y + in.h <= out.y + out.h &&
	       in.x + in.w <= out.x + out.w;
}

static bool overlap(struct scr_rect a, struct scr_rect b)
{
	return a.y < b.y + b.h && b.y < a.y + a.h && a.x < b.x + b.w &&
	       b.x < a.x + a.w;
}

#define NAME(a) scr_area_name((enum scr_area)(a))

/* Shown areas are at least 1x1, inside the terminal and inside their
 * parent; hidden ones are all zeros. */
static const char *check_inside(const struct scr_layout *lay)
{
	struct scr_rect term = {0, 0, lay->rows, lay->cols};

	for (int a = 0; a < SCR_AREA_COUNT; a++) {
		struct scr_rect r = lay->area[a];
		int p = scr_area_parent((enum scr_area)a);

		if (!lay->shown[a]) {
			if (r.y || r.x || r.h || r.w)
				return wrong("%s hidden but not zero", NAME(a));
			continue;
		}
		if (r.h <= 0 || r.w <= 0)
			return wrong("%s is %dx%d", NAME(a), r.w, r.h);
		if (!inside(r, term))
			return wrong("%s y=%d x=%d h=%d w=%d outside %dx%d",
				     NAME(a), r.y, r.x, r.h, r.w, lay->cols,
				     lay->rows);
		if (p != SCR_AREA_NONE && !lay->shown[p])
			return wrong("%s shown without its parent %s", NAME(a),
				     NAME(p));
		if (p != SCR_AREA_NONE && !inside(r, lay->area[p]))
			return wrong("%s outside its parent %s", NAME(a),
				     NAME(p));
	}
	return NULL;
}

/* Shown leaves never overlap, nor do shown siblings. */
static const char *check_no_overlap(const struct scr_layout *lay)
{
	for (int a = 0; a < SCR_AREA_COUNT; a++) {
		if (!lay->shown[a])
			continue;
		for (int b = a + 1; b < SCR_AREA_COUNT; b++) {
			bool leaves, siblings;

			if (!lay->shown[b])
				continue;
			leaves = !has_shown_child(lay, a) &&
				 !has_shown_child(lay, b);
			siblings = scr_area_parent((enum scr_area)a) ==
				   scr_area_parent((enum scr_area)b);
			if ((leaves || siblings) &&
			    overlap(lay->area[a], lay->area[b]))
				return wrong("%s overlaps %s", NAME(a),
					     NAME(b));
		}
	}
	return NULL;
}

/* Title, body, status and key bar are full-width bands that cover the
 * rows exactly, in that order. */
static const char *check_rows(const struct scr_layout *lay)
{
	static const enum scr_area band[] = {SCR_AREA_TITLE, SCR_AREA_BODY,
					     SCR_AREA_STATUS, SCR_AREA_KEYBAR};
	int y = 0;

	if (lay->too_small)
		return NULL;
	for (size_t i = 0; i < sizeof band / sizeof band[0]; i++) {
		struct scr_rect r = lay->area[band[i]];

		if (!lay->shown[band[i]])
			return wrong("%s not shown", NAME(band[i]));
		if (r.y != y || r.x != 0 || r.w != lay->cols)
			return wrong("%s y=%d x=%d w=%d, want y=%d x=0 w=%d",
				     NAME(band[i]), r.y, r.x, r.w, y,
				     lay->cols);
		if (band[i] != SCR_AREA_BODY && r.h != 1)
			return wrong("%s h=%d, want 1", NAME(band[i]), r.h);
		y += r.h;
	}
	if (y != lay->rows)
		return wrong("bands cover %d rows of %d", y, lay->rows);
	return NULL;
}

/* The shown leaves tile the screen: with check_inside and
 * check_no_overlap, equal areas mean every cell belongs to one leaf. */
static const char *check_tiling(const struct scr_layout *lay)
{
	long cells = 0;

	for (int a = 0; a < SCR_AREA_COUNT; a++)
		if (lay->shown[a] && !has_shown_child(lay, a))
			cells += (long)lay->area[a].h * lay->area[a].w;
	if (cells != (long)lay->rows * lay->cols)
		return wrong("leaves cover %ld cells of %ld", cells,
			     (long)lay->rows * lay->cols);
	return NULL;
}

/* Exactly the areas of this screen are shown. */
static const char *check_shown_set(const struct scr_layout *lay)
{
	static const char *const prefix[SCR_SCREEN_COUNT] = {
		[SCR_SCREEN_QUEUE] = "queue.",
		[SCR_SCREEN_CASE] = "case.",
		[SCR_SCREEN_PAGER] = "pager.",
		[SCR_SCREEN_HELP] = "help.",
	};

	if (lay->too_small) {
		for (int a = 0; a < SCR_AREA_COUNT; a++)
			if (lay->shown[a] &&
			    !(a == SCR_AREA_SCREEN && lay->rows > 0 &&
			      lay->cols > 0))
				return wrong("too small, yet %s shown",
					     NAME(a));
		if (lay->rows > 0 && lay->cols > 0 &&
		    !lay->shown[SCR_AREA_SCREEN])
			return wrong("too small: no screen to centre in");
		if (lay->ncolumns != 0)
			return wrong("too small, yet %d columns",
				     lay->ncolumns);
		return NULL;
	}
	for (int a = 0; a < SCR_AREA_COUNT; a++) {
		const char *n = NAME(a);
		bool mine = strchr(n, '.') == NULL ||
			    strncmp(n, prefix[lay->screen],
				    strlen(prefix[lay->screen])) == 0;
		bool want = mine;

		if (a == SCR_AREA_CASE_SEP)
			want = lay->screen == SCR_SCREEN_CASE && lay->split;
		if (lay->shown[a] != want)
			return wrong("%s %s", n,
				     want ? "missing" : "shown on another "
							"screen");
	}
	if ((lay->screen == SCR_SCREEN_QUEUE) != (lay->ncolumns > 0))
		return wrong("%d columns on the %s screen", lay->ncolumns,
			     scr_screen_name(lay->screen));
	return NULL;
}

static const char *check_too_small(const struct scr_layout *lay)
{
	bool want = lay->rows < 10 || lay->cols < 40;

	if (lay->too_small != want)
		return wrong("too_small=%d at %dx%d", lay->too_small,
			     lay->cols, lay->rows);
	return NULL;
}

static int qcol_min(enum scr_qcol c)
{
	static const int min[] = {
#define QMIN(id, name, mn, mx, rt) [SCR_QCOL_##id] = mn,
		SCR_QCOL_LIST(QMIN)
#undef QMIN
	};
	return min[c];
}

static int qcol_max(enum scr_qcol c)
{
	static const int max[] = {
#define QMAX(id, name, mn, mx, rt) [SCR_QCOL_##id] = mx,
		SCR_QCOL_LIST(QMAX)
#undef QMAX
	};
	return max[c];
}

/* The documented drop order; the dropped columns are always a prefix. */
static const enum scr_qcol drop_order[] = {
	SCR_QCOL_REGION, SCR_QCOL_ASSIGNEE, SCR_QCOL_CATEGORY, SCR_QCOL_AMOUNT,
	SCR_QCOL_STATUS, SCR_QCOL_DAYS,	    SCR_QCOL_MERCHANT,
};

static const char *check_columns(const struct scr_column *col, int n,
				 int width)
{
	bool seen[SCR_QCOL_COUNT] = {false};
	bool dropped_later = false;

	if (width <= 0)
		return n == 0 ? NULL : wrong("%d columns in %d", n, width);
	if (n < 1 || col[0].id != SCR_QCOL_NUMBER)
		return wrong("no number column at width %d", width);
	if (col[0].x != 0)
		return wrong("number at x=%d", col[0].x);
	for (int i = 0; i < n; i++) {
		enum scr_qcol c = col[i].id;

		if ((int)c < 0 || c >= SCR_QCOL_COUNT || seen[c])
			return wrong("column %d has a bad or repeated id", i);
		seen[c] = true;
		if (col[i].w <= 0)
			return wrong("%s w=%d", scr_qcol_name(c), col[i].w);
		if (i > 0 && (c <= col[i - 1].id ||
			      col[i].x != col[i - 1].x + col[i - 1].w + 1))
			return wrong("%s x=%d not one gap after %s",
				     scr_qcol_name(c), col[i].x,
				     scr_qcol_name(col[i - 1].id));
		if (col[i].x + col[i].w > width)
			return wrong("%s ends at %d > width %d",
				     scr_qcol_name(c), col[i].x + col[i].w,
				     width);
		if (c != SCR_QCOL_NUMBER && col[i].w < qcol_min(c))
			return wrong("%s w=%d < min %d", scr_qcol_name(c),
				     col[i].w, qcol_min(c));
		if (c != SCR_QCOL_NUMBER && qcol_max(c) > 0 &&
		    col[i].w > qcol_max(c))
			return wrong("%s w=%d > max %d", scr_qcol_name(c),
				     col[i].w, qcol_max(c));
		if (col[i].right != (c == SCR_QCOL_AMOUNT || c == SCR_QCOL_DAYS))
			return wrong("%s alignment", scr_qcol_name(c));
	}
	if (width >= 14 && col[n - 1].x + col[n - 1].w != width)
		return wrong("columns end at %d, not at width %d",
			     col[n - 1].x + col[n - 1].w, width);
	if (width < 14 && col[0].w != width)
		return wrong("clipped number w=%d at width %d", col[0].w,
			     width);
	/* Walking the drop order from the most important end, once a column
	 * is dropped every less important one must be dropped too. */
	for (int i = (int)(sizeof drop_order / sizeof drop_order[0]) - 1;
	     i >= 0; i--) {
		if (!seen[drop_order[i]])
			dropped_later = true;
		else if (dropped_later)
			return wrong("%s kept while a more important column "
				     "is dropped",
				     scr_qcol_name(drop_order[i]));
	}
	return NULL;
}

static const char *check_queue(const struct scr_layout *lay)
{
	if (lay->screen != SCR_SCREEN_QUEUE || lay->too_small)
		return NULL;
	return check_columns(lay->column, lay->ncolumns, lay->cols);
}

/* Side by side from SCR_SPLIT_MIN_COLS on, evenly (odd column left, one
 * separator column); stacked below it (odd row on top). */
static const char *check_panes(const struct scr_layout *lay)
{
	struct scr_rect c = lay->area[SCR_AREA_CASE_CONSUMER];
	struct scr_rect m = lay->area[SCR_AREA_CASE_MERCHANT];
	struct scr_rect s = lay->area[SCR_AREA_CASE_SEP];

	if (lay->screen != SCR_SCREEN_CASE || lay->too_small)
		return NULL;
	if (lay->split != (lay->cols >= SCR_SPLIT_MIN_COLS))
		return wrong("split=%d at %d columns", lay->split, lay->cols);
	if (lay->split) {
		if (c.y != m.y || c.h != m.h || s.y != c.y || s.h != c.h)
			return wrong("panes not side by side");
		if (c.x != 0 || s.x != c.w || s.w != 1 || m.x != c.w + 1 ||
		    m.x + m.w != lay->cols)
			return wrong("split columns %d|%d|%d", c.w, s.w, m.w);
		if (c.w - m.w != 0 && c.w - m.w != 1)
			return wrong("uneven split %d/%d", c.w, m.w);
	} else {
		if (c.x != m.x || c.w != m.w || m.y != c.y + c.h)
			return wrong("panes not stacked");
		if (c.h - m.h != 0 && c.h - m.h != 1)
			return wrong("uneven stack %d/%d", c.h, m.h);
	}
	for (int p = 0; p < 2; p++) {
		enum scr_area box = p ? SCR_AREA_CASE_MERCHANT
				      : SCR_AREA_CASE_CONSUMER;
		struct scr_rect b = lay->area[box];
		struct scr_rect t = lay->area[box + 1];
		struct scr_rect x = lay->area[box + 2];

		if (t.y != b.y || t.h != 1 || x.y != b.y + 1 ||
		    x.h != b.h - 1 || x.h < 1)
			return wrong("%s: title or text misplaced",
				     NAME(box));
	}
	return NULL;
}

/* The header keeps its wanted height and the list its 3..10 rows when
 * the terminal has room; the list is under the statements, full width. */
static const char *check_case_heights(const struct scr_layout *lay)
{
	struct scr_rect b = lay->area[SCR_AREA_BODY];
	struct scr_rect h = lay->area[SCR_AREA_CASE_HEADER];
	struct scr_rect a = lay->area[SCR_AREA_CASE_ASIDE];
	struct scr_rect l = lay->area[SCR_AREA_CASE_ASIDE_LIST];
	int want = scr_case_header_lines(lay->cols);
	int rows = (b.h - want) * 3 / 10;

	if (lay->screen != SCR_SCREEN_CASE || lay->too_small)
		return NULL;
	rows = rows < 3 ? 3 : rows > 10 ? 10 : rows;
	if (h.y != b.y || h.h > want)
		return wrong("header y=%d h=%d (want <= %d)", h.y, h.h, want);
	if (a.y + a.h != b.y + b.h || a.w != b.w || l.h > 10)
		return wrong("list y=%d h=%d w=%d not at the bottom", a.y,
			     a.h, a.w);
	/* Room: header + two panes of title and 3 lines + list. */
	if (b.h >= want + (lay->split ? 4 : 8) + 1 + rows &&
	    (h.h != want || l.h != rows))
		return wrong("room, yet header %d/%d list %d/%d", h.h, want,
			     l.h, rows);
	return NULL;
}

typedef const char *(*checker)(const struct scr_layout *);

static const struct {
	const char *name;
	checker fn;
} checkers[] = {
	{"inside", check_inside},	  {"no-overlap", check_no_overlap},
	{"rows", check_rows},		  {"tiling", check_tiling},
	{"shown-set", check_shown_set},	  {"too-small", check_too_small},
	{"queue-columns", check_queue},	  {"panes", check_panes},
	{"case-heights", check_case_heights},
};
#define NCHECKERS (sizeof checkers / sizeof checkers[0])

static void check_all(const struct scr_layout *lay)
{
	for (size_t i = 0; i < NCHECKERS; i++) {
		const char *bad = checkers[i].fn(lay);

		if (bad)
			fail_msg("%s %dx%d aside=%s: %s: %s",
				 scr_screen_name(lay->screen), lay->cols,
				 lay->rows, scr_aside_name(lay->aside),
				 checkers[i].name, bad);
	}
}

static void check_size(int cols, int rows)
{
	struct scr_layout lay;

	for (int s = 0; s < SCR_SCREEN_COUNT; s++) {
		int asides = s == SCR_SCREEN_CASE ? SCR_ASIDE_COUNT : 1;

		for (int a = 0; a < asides; a++) {
			scr_layout_compute(&lay, (enum scr_screen)s, rows,
					   cols, (enum scr_aside)a);
			check_all(&lay);
		}
	}
}

/* ---- tests ---------------------------------------------------------- */

static const struct {
	int cols, rows;
} sizes[] = {
	{80, 24}, {200, 60}, {40, 12}, {40, 10}, {39, 24},
	{80, 9},  {100, 30}, {120, 40}, {99, 30}, {40, 9},
	{39, 10}, {0, 0},    {-5, 24}, {80, -1}, {1, 1},
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		check_size(sizes[i].cols, sizes[i].rows);
}

static void test_sweep(void **state)
{
	(void)state;
	for (int rows = 5; rows <= 70; rows++)
		for (int cols = 20; cols <= 220; cols++)
			check_size(cols, rows);
}

/* A good layout, broken on purpose, must be caught: each checker fails
 * at least once. */
static void test_checkers_catch_faults(void **state)
{
	struct scr_layout good, bad;
	bool failed[NCHECKERS] = {false};
	int nfaults = 0;

	(void)state;
	for (int f = 0;; f++) {
		enum scr_screen s = SCR_SCREEN_CASE;
		int cols = 200, rows = 60;

		if (f == 1 || f == 9 || f == 10)
			s = SCR_SCREEN_QUEUE;
		if (f == 4 || f == 8)
			cols = 80;
		scr_layout_compute(&good, s, rows, cols, SCR_ASIDE_EVIDENCE);
		bad = good;
		switch (f) {
		case 0: /* past the right edge */
			bad.area[SCR_AREA_CASE_MERCHANT_TEXT].w++;
			break;
		case 1: /* list overlaps the column header */
			bad.area[SCR_AREA_QUEUE_LIST].y--;
			bad.area[SCR_AREA_QUEUE_LIST].h++;
			break;
		case 2: /* status two rows high */
			bad.area[SCR_AREA_STATUS].h = 2;
			break;
		case 3: /* a hole: the separator hidden */
			bad.shown[SCR_AREA_CASE_SEP] = false;
			bad.area[SCR_AREA_CASE_SEP] =
				(struct scr_rect){0, 0, 0, 0};
			break;
		case 4: /* stacked at 80, yet claims to be split */
			bad.split = true;
			break;
		case 5: /* another screen's area shown */
			bad.shown[SCR_AREA_PAGER_PROMPT] = true;
			bad.area[SCR_AREA_PAGER_PROMPT] =
				bad.area[SCR_AREA_CASE_HEADER];
			break;
		case 6: /* too small where it is not */
			bad.too_small = true;
			break;
		case 7: /* a zero-height pane */
			bad.area[SCR_AREA_CASE_ASIDE_LIST].h = 0;
			break;
		case 8: /* the header robbed of a line with room to spare */
			bad.area[SCR_AREA_CASE_HEADER].h--;
			bad.area[SCR_AREA_CASE_CONSUMER].y--;
			bad.area[SCR_AREA_CASE_CONSUMER].h++;
			bad.area[SCR_AREA_CASE_CONSUMER_TITLE].y--;
			bad.area[SCR_AREA_CASE_CONSUMER_TEXT].y--;
			bad.area[SCR_AREA_CASE_CONSUMER_TEXT].h++;
			break;
		case 9: /* the number column lost */
			memmove(&bad.column[0], &bad.column[1],
				(size_t)(bad.ncolumns - 1) *
					sizeof bad.column[0]);
			bad.ncolumns--;
			break;
		case 10: /* columns one too wide */
			bad.column[bad.ncolumns - 1].w++;
			break;
		default:
			goto done;
		}
		nfaults++;
		{
			int caught = 0;

			for (size_t i = 0; i < NCHECKERS; i++) {
				/* the good layout passes every checker */
				assert_null(checkers[i].fn(&good));
				if (checkers[i].fn(&bad)) {
					failed[i] = true;
					caught++;
				}
			}
			if (!caught)
				fail_msg("fault %d not caught", f);
		}
	}
done:
	assert_int_equal(nfaults, 11);
	for (size_t i = 0; i < NCHECKERS; i++)
		if (!failed[i])
			fail_msg("checker %s never failed", checkers[i].name);
}

static void test_too_small_boundary(void **state)
{
	static const struct {
		int cols, rows;
		bool small;
	} cases[] = {
		{40, 10, false}, {39, 10, true},  {40, 9, true},
		{39, 9, true},	 {41, 10, false}, {40, 11, false},
		{0, 0, true},	 {1000, 9, true}, {39, 1000, true},
	};
	struct scr_layout lay;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(scr_layout_too_small(cases[i].rows,
						      cases[i].cols),
				 cases[i].small);
		scr_layout_compute(&lay, SCR_SCREEN_QUEUE, cases[i].rows,
				   cases[i].cols, SCR_ASIDE_EVIDENCE);
		assert_int_equal(lay.too_small, cases[i].small);
	}
}

static void test_split_or_stacked(void **state)
{
	static const struct {
		int cols, rows;
		bool split;
	} cases[] = {
		{200, 60, true}, {80, 24, false},  {100, 30, true},
		{99, 30, false}, {120, 40, true},  {40, 10, false},
		{100, 10, true}, {220, 70, true},
	};
	struct scr_layout lay;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct scr_rect c, m;

		scr_layout_compute(&lay, SCR_SCREEN_CASE, cases[i].rows,
				   cases[i].cols, SCR_ASIDE_EVIDENCE);
		c = scr_layout_rect(&lay, SCR_AREA_CASE_CONSUMER);
		m = scr_layout_rect(&lay, SCR_AREA_CASE_MERCHANT);
		assert_int_equal(lay.split, cases[i].split);
		if (cases[i].split) {
			assert_int_equal(c.y, m.y);
			assert_true(c.x + c.w < m.x);
		} else {
			assert_int_equal(c.x, m.x);
			assert_true(c.y + c.h <= m.y);
		}
	}
}

/* The case header's wanted height by width, as documented. */
static void test_case_header_lines(void **state)
{
	static const struct {
		int cols, lines;
	} cases[] = {
		{40, 6}, {79, 6}, {80, 5}, {99, 5}, {100, 4}, {200, 4},
	};
	struct scr_layout lay;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(scr_case_header_lines(cases[i].cols),
				 cases[i].lines);
		scr_layout_compute(&lay, SCR_SCREEN_CASE, 40, cases[i].cols,
				   SCR_ASIDE_EVIDENCE);
		assert_int_equal(lay.area[SCR_AREA_CASE_HEADER].h,
				 cases[i].lines);
	}
}

/* Toggling the timeline or the offer ledger moves nothing. */
static void test_aside_toggle_keeps_geometry(void **state)
{
	struct scr_layout ev, other;

	(void)state;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		scr_layout_compute(&ev, SCR_SCREEN_CASE, sizes[i].rows,
				   sizes[i].cols, SCR_ASIDE_EVIDENCE);
		for (int a = 1; a < SCR_ASIDE_COUNT; a++) {
			scr_layout_compute(&other, SCR_SCREEN_CASE,
					   sizes[i].rows, sizes[i].cols,
					   (enum scr_aside)a);
			assert_int_equal(other.aside, a);
			assert_memory_equal(ev.shown, other.shown,
					    sizeof ev.shown);
			assert_memory_equal(ev.area, other.area,
					    sizeof ev.area);
		}
	}
}

static void columns_string(int width, char *buf, size_t size)
{
	struct scr_column col[SCR_QCOL_COUNT];
	int n = scr_queue_columns(width, col);
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s:%d",
					i ? " " : "", scr_qcol_name(col[i].id),
					col[i].w);
}

static void test_queue_columns_by_width(void **state)
{
	static const struct {
		int width;
		const char *want;
	} cases[] = {
		{5, "number:5"},
		{14, "number:14"},
		{22, "number:22"},
		{23, "number:14 merchant:8"},
		{29, "number:14 merchant:8 days:5"},
		{39, "number:14 merchant:18 days:5"},
		{40, "number:14 status:10 merchant:8 days:5"},
		{50, "number:14 status:12 merchant:16 days:5"},
		{59, "number:14 status:10 merchant:16 amount:10 days:5"},
		{60, "number:14 status:11 merchant:16 amount:10 days:5"},
		{68, "number:14 status:10 category:8 merchant:16 amount:10 "
		     "days:5"},
		{76, "number:14 status:14 category:8 merchant:20 amount:10 "
		     "days:5"},
		{77, "number:14 status:10 category:8 merchant:16 amount:10 "
		     "days:5 assignee:8"},
		{80, "number:14 status:13 category:8 merchant:16 amount:10 "
		     "days:5 assignee:8"},
		{86, "number:14 status:10 category:8 merchant:16 region:8 "
		     "amount:10 days:5 assignee:8"},
		{100, "number:14 status:14 category:8 merchant:22 region:12 "
		      "amount:10 days:5 assignee:8"},
		{120, "number:14 status:14 category:8 merchant:42 region:12 "
		      "amount:10 days:5 assignee:8"},
	};
	char got[256];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		columns_string(cases[i].width, got, sizeof got);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("width %d: got \"%s\", want \"%s\"",
				 cases[i].width, got, cases[i].want);
	}
}

static void test_queue_columns_sweep(void **state)
{
	struct scr_column col[SCR_QCOL_COUNT];

	(void)state;
	for (int w = -3; w <= 400; w++) {
		int n = scr_queue_columns(w, col);
		const char *bad = check_columns(col, n, w);

		if (bad)
			fail_msg("width %d: %s", w, bad);
	}
}

/* Labels of known widths (English status codes up to 21 columns and
 * categories up to 11; Chinese 16 and 12): never narrower than their
 * widest label, at 80 columns and from there up; extra width goes to the
 * columns whose text is cut. */
static void test_queue_columns_fit_labels(void **state)
{
	static const struct {
		int status, category;
	} labels[] = {{21, 11}, {16, 12}, {10, 8}};
	struct scr_column col[SCR_QCOL_COUNT];

	(void)state;
	for (size_t l = 0; l < sizeof labels / sizeof labels[0]; l++) {
		int merchant80 = 0;

		for (int w = 80; w <= 300; w++) {
			int n = scr_queue_columns_fit(w, labels[l].status,
						      labels[l].category, col);
			bool status = false, category = false;
			int merchant = 0;

			if (col[n - 1].x + col[n - 1].w != w)
				fail_msg("width %d: the columns end at %d", w,
					 col[n - 1].x + col[n - 1].w);
			for (int i = 0; i < n; i++) {
				if (i > 0 &&
				    col[i].x != col[i - 1].x + col[i - 1].w + 1)
					fail_msg("width %d: column %d at %d", w,
						 i, col[i].x);
				if (col[i].id == SCR_QCOL_STATUS)
					status = col[i].w >= labels[l].status;
				if (col[i].id == SCR_QCOL_CATEGORY)
					category =
						col[i].w >= labels[l].category;
				if (col[i].id == SCR_QCOL_MERCHANT)
					merchant = col[i].w;
			}
			if (!status || !category)
				fail_msg("width %d, labels %d/%d: status or "
					 "category cut or dropped",
					 w, labels[l].status,
					 labels[l].category);
			if (w == 80)
				merchant80 = merchant;
			if (merchant < 8 ||
			    (w >= 100 && merchant < SCR_QCOL_MERCHANT_WANT))
				fail_msg("width %d: merchant %d", w, merchant);
			if (w == 300 && merchant < merchant80 + 150)
				fail_msg("300 columns give the merchant %d",
					 merchant);
		}
	}
}

static void test_print_like_snprintf(void **state)
{
	struct scr_layout lay;
	char full[4096], small[16];
	size_t need, got;

	(void)state;
	scr_layout_compute(&lay, SCR_SCREEN_CASE, 24, 80, SCR_ASIDE_OFFERS);
	need = scr_layout_print(&lay, NULL, 0);
	got = scr_layout_print(&lay, full, sizeof full);
	assert_int_equal(need, got);
	assert_int_equal(strlen(full), got);
	assert_int_equal(scr_layout_print(&lay, small, sizeof small), need);
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_memory_equal(small, full, sizeof small - 1);
	assert_non_null(strstr(full, "case 80x24 stacked aside=offers\n"));

	scr_layout_compute(&lay, SCR_SCREEN_HELP, 24, 39, SCR_ASIDE_EVIDENCE);
	scr_layout_print(&lay, full, sizeof full);
	assert_string_equal(full, "help 39x24 too-small\n"
				  "screen y=0 x=0 h=24 w=39\n");
	scr_layout_compute(&lay, SCR_SCREEN_HELP, 10, 40, SCR_ASIDE_EVIDENCE);
	scr_layout_print(&lay, full, sizeof full);
	assert_string_equal(full, "help 40x10\n"
				  "screen y=0 x=0 h=10 w=40\n"
				  "  title y=0 x=0 h=1 w=40\n"
				  "  body y=1 x=0 h=7 w=40\n"
				  "    help.text y=1 x=0 h=7 w=40\n"
				  "  status y=8 x=0 h=1 w=40\n"
				  "  keybar y=9 x=0 h=1 w=40\n");
}

/* ---- goldens -------------------------------------------------------- */

/* Multi-line text as TAP diagnostics, so the TAP stream stays valid. */
static void diag(const char *label, const char *text)
{
	printf("# %s\n", label);
	while (*text) {
		size_t n = strcspn(text, "\n");

		printf("#   %.*s\n", (int)n, text);
		text += n + (text[n] == '\n');
	}
	fflush(stdout);
}

static void golden(enum scr_screen s, int cols, int rows, const char *want)
{
	struct scr_layout lay;
	char got[4096];

	scr_layout_compute(&lay, s, rows, cols, SCR_ASIDE_EVIDENCE);
	scr_layout_print(&lay, got, sizeof got);
	if (strcmp(got, want) != 0) {
		diag("--- got", got);
		diag("--- want", want);
		fail_msg("%s %dx%d differs from the golden layout",
			 scr_screen_name(s), cols, rows);
	}
}

static void test_golden_queue(void **state)
{
	(void)state;
	golden(SCR_SCREEN_QUEUE, 80, 24,
	       "queue 80x24\n"
	       "screen y=0 x=0 h=24 w=80\n"
	       "  title y=0 x=0 h=1 w=80\n"
	       "  body y=1 x=0 h=21 w=80\n"
	       "    queue.info y=1 x=0 h=1 w=80\n"
	       "    queue.colhdr y=2 x=0 h=1 w=80\n"
	       "    queue.list y=3 x=0 h=19 w=80\n"
	       "  status y=22 x=0 h=1 w=80\n"
	       "  keybar y=23 x=0 h=1 w=80\n"
	       "column number x=0 w=14\n"
	       "column status x=15 w=13\n"
	       "column category x=29 w=8\n"
	       "column merchant x=38 w=16\n"
	       "column amount x=55 w=10 right\n"
	       "column days x=66 w=5 right\n"
	       "column assignee x=72 w=8\n");
	golden(SCR_SCREEN_QUEUE, 200, 60,
	       "queue 200x60\n"
	       "screen y=0 x=0 h=60 w=200\n"
	       "  title y=0 x=0 h=1 w=200\n"
	       "  body y=1 x=0 h=57 w=200\n"
	       "    queue.info y=1 x=0 h=1 w=200\n"
	       "    queue.colhdr y=2 x=0 h=1 w=200\n"
	       "    queue.list y=3 x=0 h=55 w=200\n"
	       "  status y=58 x=0 h=1 w=200\n"
	       "  keybar y=59 x=0 h=1 w=200\n"
	       "column number x=0 w=14\n"
	       "column status x=15 w=14\n"
	       "column category x=30 w=8\n"
	       "column merchant x=39 w=122\n"
	       "column region x=162 w=12\n"
	       "column amount x=175 w=10 right\n"
	       "column days x=186 w=5 right\n"
	       "column assignee x=192 w=8\n");
	golden(SCR_SCREEN_QUEUE, 40, 12,
	       "queue 40x12\n"
	       "screen y=0 x=0 h=12 w=40\n"
	       "  title y=0 x=0 h=1 w=40\n"
	       "  body y=1 x=0 h=9 w=40\n"
	       "    queue.info y=1 x=0 h=1 w=40\n"
	       "    queue.colhdr y=2 x=0 h=1 w=40\n"
	       "    queue.list y=3 x=0 h=7 w=40\n"
	       "  status y=10 x=0 h=1 w=40\n"
	       "  keybar y=11 x=0 h=1 w=40\n"
	       "column number x=0 w=14\n"
	       "column status x=15 w=10\n"
	       "column merchant x=26 w=8\n"
	       "column days x=35 w=5 right\n");
}

static void test_golden_case(void **state)
{
	(void)state;
	golden(SCR_SCREEN_CASE, 80, 24,
	       "case 80x24 stacked aside=evidence\n"
	       "screen y=0 x=0 h=24 w=80\n"
	       "  title y=0 x=0 h=1 w=80\n"
	       "  body y=1 x=0 h=21 w=80\n"
	       "    case.header y=1 x=0 h=5 w=80\n"
	       "    case.consumer y=6 x=0 h=6 w=80\n"
	       "      case.consumer.title y=6 x=0 h=1 w=80\n"
	       "      case.consumer.text y=7 x=0 h=5 w=80\n"
	       "    case.merchant y=12 x=0 h=5 w=80\n"
	       "      case.merchant.title y=12 x=0 h=1 w=80\n"
	       "      case.merchant.text y=13 x=0 h=4 w=80\n"
	       "    case.aside y=17 x=0 h=5 w=80\n"
	       "      case.aside.title y=17 x=0 h=1 w=80\n"
	       "      case.aside.list y=18 x=0 h=4 w=80\n"
	       "  status y=22 x=0 h=1 w=80\n"
	       "  keybar y=23 x=0 h=1 w=80\n");
	golden(SCR_SCREEN_CASE, 200, 60,
	       "case 200x60 split aside=evidence\n"
	       "screen y=0 x=0 h=60 w=200\n"
	       "  title y=0 x=0 h=1 w=200\n"
	       "  body y=1 x=0 h=57 w=200\n"
	       "    case.header y=1 x=0 h=4 w=200\n"
	       "    case.consumer y=5 x=0 h=42 w=100\n"
	       "      case.consumer.title y=5 x=0 h=1 w=100\n"
	       "      case.consumer.text y=6 x=0 h=41 w=100\n"
	       "    case.sep y=5 x=100 h=42 w=1\n"
	       "    case.merchant y=5 x=101 h=42 w=99\n"
	       "      case.merchant.title y=5 x=101 h=1 w=99\n"
	       "      case.merchant.text y=6 x=101 h=41 w=99\n"
	       "    case.aside y=47 x=0 h=11 w=200\n"
	       "      case.aside.title y=47 x=0 h=1 w=200\n"
	       "      case.aside.list y=48 x=0 h=10 w=200\n"
	       "  status y=58 x=0 h=1 w=200\n"
	       "  keybar y=59 x=0 h=1 w=200\n");
	golden(SCR_SCREEN_CASE, 40, 12,
	       "case 40x12 stacked aside=evidence\n"
	       "screen y=0 x=0 h=12 w=40\n"
	       "  title y=0 x=0 h=1 w=40\n"
	       "  body y=1 x=0 h=9 w=40\n"
	       "    case.header y=1 x=0 h=3 w=40\n"
	       "    case.consumer y=4 x=0 h=2 w=40\n"
	       "      case.consumer.title y=4 x=0 h=1 w=40\n"
	       "      case.consumer.text y=5 x=0 h=1 w=40\n"
	       "    case.merchant y=6 x=0 h=2 w=40\n"
	       "      case.merchant.title y=6 x=0 h=1 w=40\n"
	       "      case.merchant.text y=7 x=0 h=1 w=40\n"
	       "    case.aside y=8 x=0 h=2 w=40\n"
	       "      case.aside.title y=8 x=0 h=1 w=40\n"
	       "      case.aside.list y=9 x=0 h=1 w=40\n"
	       "  status y=10 x=0 h=1 w=40\n"
	       "  keybar y=11 x=0 h=1 w=40\n");
}

static void test_golden_pager(void **state)
{
	(void)state;
	golden(SCR_SCREEN_PAGER, 80, 24,
	       "pager 80x24\n"
	       "screen y=0 x=0 h=24 w=80\n"
	       "  title y=0 x=0 h=1 w=80\n"
	       "  body y=1 x=0 h=21 w=80\n"
	       "    pager.header y=1 x=0 h=2 w=80\n"
	       "    pager.text y=3 x=0 h=18 w=80\n"
	       "    pager.prompt y=21 x=0 h=1 w=80\n"
	       "  status y=22 x=0 h=1 w=80\n"
	       "  keybar y=23 x=0 h=1 w=80\n");
	golden(SCR_SCREEN_PAGER, 120, 40,
	       "pager 120x40\n"
	       "screen y=0 x=0 h=40 w=120\n"
	       "  title y=0 x=0 h=1 w=120\n"
	       "  body y=1 x=0 h=37 w=120\n"
	       "    pager.header y=1 x=0 h=1 w=120\n"
	       "    pager.text y=2 x=0 h=35 w=120\n"
	       "    pager.prompt y=37 x=0 h=1 w=120\n"
	       "  status y=38 x=0 h=1 w=120\n"
	       "  keybar y=39 x=0 h=1 w=120\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checkers_catch_faults),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_too_small_boundary),
		cmocka_unit_test(test_split_or_stacked),
		cmocka_unit_test(test_case_header_lines),
		cmocka_unit_test(test_aside_toggle_keeps_geometry),
		cmocka_unit_test(test_queue_columns_by_width),
		cmocka_unit_test(test_queue_columns_sweep),
		cmocka_unit_test(test_queue_columns_fit_labels),
		cmocka_unit_test(test_print_like_snprintf),
		cmocka_unit_test(test_golden_queue),
		cmocka_unit_test(test_golden_case),
		cmocka_unit_test(test_golden_pager),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
