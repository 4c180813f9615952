/* weiquan screens: layout — where every part of every screen goes, as data.
 *
 * Pure geometry: no curses, no core, no allocation.  The loop calls
 * scr_layout_compute() once per screen after start-up and after each
 * SIGWINCH, and the screens draw on stdscr at the rectangles it returns, so
 * a resize recomputes rectangles and nothing else.  scr_layout_print()
 * renders a layout as stable text for the tests.
 *
 * Every screen, from the top:
 *   row 0           title
 *   rows 1..rows-3  body (what the screen is about)
 *   row rows-2      status line (messages and errors)
 *   row rows-1      key bar
 *
 * Below SCR_MIN_COLS x SCR_MIN_ROWS the layout is "too small": only the
 * screen rectangle is shown and the loop centres "enlarge the terminal" in
 * it.  At exactly the minimum every part is shown, at least 1x1.
 *
 * Queue:   queue.info (1 line: counts, active filters), queue.colhdr (the
 *          column headers), queue.list (the rest).  The columns come from
 *          scr_queue_columns().
 *
 * Case (the split view):
 *   case.header   the case block; wants 4 lines at >= 100 columns, 5 at
 *                 80..99, 6 below 80 (see scr_case_header_lines()), fewer
 *                 when the terminal is short: draw fills its lines in order
 *                 of importance and stops at the rectangle's height.
 *   case.consumer and case.merchant, the parties' statements, each a pane
 *                 of a 1-line title and the text.  At >= SCR_SPLIT_MIN_COLS
 *                 columns they stand side by side (consumer left), split
 *                 evenly with the odd column to the left and a 1-column
 *                 case.sep between; narrower, they are stacked (consumer
 *                 above, taking the odd row), without a separator.
 *   case.aside    the list under the statements: a 1-line title and N rows,
 *                 N = 30% of the body height left under the header (rounded
 *                 down) within 3..10.  It shows the evidence, or, when
 *                 toggled, the event timeline or the offer ledger in the
 *                 same rectangle: toggling never moves the statements the
 *                 mediator is reading, and works the same stacked or split.
 *   A short terminal gives up, in this order: header lines down to 3, list
 *   rows down to 1, header lines down to 1.  The statements always keep a
 *   title and at least one line of text each.
 *
 * Pager:   pager.header (file name, kind, encoding, size, SHA-256 prefix:
 *          1 line at >= 100 columns, else 2), pager.text, pager.prompt (the
 *          search prompt, 1 line, always reserved so searching does not
 *          reflow the text).
 *
 * Help:    help.text, the whole body.
 */
#ifndef WEIQUAN_SCREENS_LAYOUT_H
#define WEIQUAN_SCREENS_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define SCR_MIN_ROWS 10
#define SCR_MIN_COLS 40
/* From this width on, the case view puts the statements side by side. */
#define SCR_SPLIT_MIN_COLS 100

/* A rectangle of character cells; widths are display columns.  A part
 * that is not shown is all zeros. */
struct scr_rect {
	int y, x, h, w;
};

/* X(enum suffix, name) */
#define SCR_SCREEN_LIST(X)                                                     \
	X(QUEUE, "queue")                                                      \
	X(CASE, "case")                                                        \
	X(PAGER, "pager")                                                      \
	X(HELP, "help")

enum scr_screen {
#define SCR_SCREEN_ENUM(id, name) SCR_SCREEN_##id,
	SCR_SCREEN_LIST(SCR_SCREEN_ENUM)
#undef SCR_SCREEN_ENUM
	SCR_SCREEN_COUNT
};

/* What the case view's list under the statements shows. X(suffix, name) */
#define SCR_ASIDE_LIST(X)                                                      \
	X(EVIDENCE, "evidence")                                                \
	X(TIMELINE, "timeline")                                                \
	X(OFFERS, "offers")

enum scr_aside {
#define SCR_ASIDE_ENUM(id, name) SCR_ASIDE_##id,
	SCR_ASIDE_LIST(SCR_ASIDE_ENUM)
#undef SCR_ASIDE_ENUM
	SCR_ASIDE_COUNT
};

/* The parts of all screens as one tree.  X(enum suffix, name, parent);
 * a parent comes before its children, siblings in drawing order (top to
 * bottom, left to right).  Containers (screen, body, the panes) enclose
 * their children; the shown leaves tile the screen exactly. */
#define SCR_AREA_LIST(X)                                                       \
	X(SCREEN, "screen", NONE)                                              \
	X(TITLE, "title", SCREEN)                                              \
	X(BODY, "body", SCREEN)                                                \
	X(QUEUE_INFO, "queue.info", BODY)                                      \
	X(QUEUE_COLHDR, "queue.colhdr", BODY)                                  \
	X(QUEUE_LIST, "queue.list", BODY)                                      \
	X(CASE_HEADER, "case.header", BODY)                                    \
	X(CASE_CONSUMER, "case.consumer", BODY)                                \
	X(CASE_CONSUMER_TITLE, "case.consumer.title", CASE_CONSUMER)           \
	X(CASE_CONSUMER_TEXT, "case.consumer.text", CASE_CONSUMER)             \
	X(CASE_SEP, "case.sep", BODY)                                          \
	X(CASE_MERCHANT, "case.merchant", BODY)                                \
	X(CASE_MERCHANT_TITLE, "case.merchant.title", CASE_MERCHANT)           \
	X(CASE_MERCHANT_TEXT, "case.merchant.text", CASE_MERCHANT)             \
	X(CASE_ASIDE, "case.aside", BODY)                                      \
	X(CASE_ASIDE_TITLE, "case.aside.title", CASE_ASIDE)                    \
	X(CASE_ASIDE_LIST, "case.aside.list", CASE_ASIDE)                      \
	X(PAGER_HEADER, "pager.header", BODY)                                  \
	X(PAGER_TEXT, "pager.text", BODY)                                      \
	X(PAGER_PROMPT, "pager.prompt", BODY)                                  \
	X(HELP_TEXT, "help.text", BODY)                                        \
	X(STATUS, "status", SCREEN)                                            \
	X(KEYBAR, "keybar", SCREEN)

enum scr_area {
	SCR_AREA_NONE = -1,
#define SCR_AREA_ENUM(id, name, parent) SCR_AREA_##id,
	SCR_AREA_LIST(SCR_AREA_ENUM)
#undef SCR_AREA_ENUM
	SCR_AREA_COUNT
};

/* The queue's columns in display order.  X(suffix, name, min width, max
 * width, right-aligned).  The merchant's maximum 0 means "all the slack". */
#define SCR_QCOL_LIST(X)                                                       \
	X(NUMBER, "number", 14, 14, false)                                     \
	X(STATUS, "status", 10, 14, false)                                     \
	X(CATEGORY, "category", 8, 8, false)                                   \
	X(MERCHANT, "merchant", 8, 0, false)                                   \
	X(REGION, "region", 8, 12, false)                                      \
	X(AMOUNT, "amount", 10, 10, true)                                      \
	X(DAYS, "days", 5, 5, true)                                            \
	X(ASSIGNEE, "assignee", 8, 8, false)

enum scr_qcol {
#define SCR_QCOL_ENUM(id, name, min, max, right) SCR_QCOL_##id,
	SCR_QCOL_LIST(SCR_QCOL_ENUM)
#undef SCR_QCOL_ENUM
	SCR_QCOL_COUNT
};

/* One shown column: cells x .. x+w-1 of the queue's lines. */
struct scr_column {
	enum scr_qcol id;
	int x, w;
	bool right; /* right-aligned (numbers) */
};

/* The merchant column grows to this width before any column but the
 * merchant's own takes slack; columns are dropped to give it this much. */
#define SCR_QCOL_MERCHANT_WANT 16

struct scr_layout {
	enum scr_screen screen;
	enum scr_aside aside; /* case view only */
	int rows, cols;
	bool too_small; /* only SCR_AREA_SCREEN is shown */
	bool split;     /* case view: statements side by side */
	bool shown[SCR_AREA_COUNT];
	struct scr_rect area[SCR_AREA_COUNT];
	int ncolumns; /* queue only; 0 elsewhere */
	struct scr_column column[SCR_QCOL_COUNT];
};

/* Whether rows x cols is below the minimum. */
bool scr_layout_too_small(int rows, int cols);

/* Fill *lay for one screen at a terminal of rows x cols (any values;
 * negative counts as 0).  aside matters for SCR_SCREEN_CASE only. */
void scr_layout_compute(struct scr_layout *lay, enum scr_screen screen,
			int rows, int cols, enum scr_aside aside);

/* The queue's columns at a line width, in display order, one blank column
 * between neighbours, filling exactly the width when it is at least 14.
 * Columns are dropped, least important first, in the fixed order region,
 * assignee, category, amount (while the merchant would get fewer than
 * SCR_QCOL_MERCHANT_WANT columns), then status, days, merchant (only when
 * they would not fit at their minimum).  The number column is always kept
 * (clipped below 14 columns).  Slack goes to the merchant up to
 * SCR_QCOL_MERCHANT_WANT, then to status and region up to their maximum,
 * then to the merchant.  Returns how many columns were written to out. */
int scr_queue_columns(int width, struct scr_column out[SCR_QCOL_COUNT]);
/* The same for labels of known widths: the status and category columns
 * are as wide as their widest label (status_w, category_w display
 * columns) and are dropped only when nothing else fits; region and
 * assignee go first to give the merchant its want; slack goes to the
 * columns whose text is cut (merchant, region). */
int scr_queue_columns_fit(int width, int status_w, int category_w,
			  struct scr_column out[SCR_QCOL_COUNT]);

/* How many lines the case header wants at a width (before a short terminal
 * takes some away). */
int scr_case_header_lines(int cols);

/* The rectangle of an area (all zeros when not shown). */
struct scr_rect scr_layout_rect(const struct scr_layout *lay,
				enum scr_area area);
bool scr_layout_shown(const struct scr_layout *lay, enum scr_area area);

/* Names and the tree, for printing and tests.  NULL / SCR_AREA_NONE out of
 * range. */
const char *scr_screen_name(enum scr_screen screen);
const char *scr_aside_name(enum scr_aside aside);
const char *scr_area_name(enum scr_area area);
enum scr_area scr_area_parent(enum scr_area area);
const char *scr_qcol_name(enum scr_qcol col);

/* Print the layout into buf like snprintf: at most size bytes including
 * the NUL, returns the length the whole text needs.  The text is one line
 * of the screen's name, size and mode, then the shown areas as a tree, two
 * spaces of indent per level, "name y=Y x=X h=H w=W", then the queue's
 * columns as "column NAME x=X w=W" (plus " right" when right-aligned):
 *
 *   queue 80x24
 *   screen y=0 x=0 h=24 w=80
 *     title y=0 x=0 h=1 w=80
 *     ...
 */
size_t scr_layout_print(const struct scr_layout *lay, char *buf, size_t size);

#endif
