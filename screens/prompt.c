/* weiquan screens: the modal prompts — a line editor, a pick list, a
 * yes/no question and a multi-line text editor that keeps a draft.
 *
 * Each runs its own key loop on a window of its own over the screen,
 * draws only through screens/text.h, and on return leaves stdscr touched
 * for the caller to redraw.  Keys arrive from get_wch as wchar_t already
 * decoded from the locale's charset (UTF-8, GB18030, Big5); the text is
 * edited in a struct scr_editbuf and handed back as UTF-8 converted with
 * iconv, never wcrtomb (which speaks the locale's charset).
 *
 * Drafts: scr_prompt_text() with a draft field saves what is typed
 * (wq_draft_save) at most a second after a change, whether or not keys
 * keep coming (so also after a second without keys), and after every 20
 * changes, when the user saves or cancels, and when the terminal goes
 * away, so a dropped SSH session loses at most a second of typing.  It never
 * deletes the draft: the text it returns is only useful once the ruling
 * that uses it has succeeded, so THE CALLER calls wq_draft_delete() after
 * a successful ruling and leaves the draft in place when the ruling fails
 * (the user gets the text back the next time they open the editor).
 *
 * Esc: ncurses reports a lone Esc after ESCDELAY (25 ms).  On a slow link
 * the rest of an arrow key's escape sequence can arrive later than that,
 * so after an Esc the prompts wait up to 100 ms more: a lone Esc cancels,
 * an escape sequence or Alt with a key is swallowed and ignored. */
#include "config.h"

#include <libintl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "screens/editbuf.h"
#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/case.h"
#include "weiquan/draft.h"
#include "weiquan/err.h"

#define CTRL(c) ((c)&0x1f)
#define ESC 0x1b
#define DEL 0x7f

/* A change to a text is in its draft within this long, and after this
 * many changes whatever the pace. */
#define DRAFT_IDLE_MS 1000
#define DRAFT_EVERY 20
/* How long the prompts wait for a key before they look at the terminal. */
#define WAKE_MS 1000
/* After an Esc, how long the rest of an escape sequence may take. */
#define ESC_MORE_MS 100

/* read_key: the terminal is gone (hang-up). */
#define RD_GONE (-2)

/* ---- keys ------------------------------------------------------------ */

static void modal_setup(void)
{
	static bool done;

	if (!done) {
		set_escdelay(25);
		done = true;
	}
}

static bool term_gone(void)
{
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};

	if (poll(&p, 1, 0) < 0)
		return false;
	return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* One key: OK (a character), KEY_CODE_YES (a function key), ERR (ms
 * passed without a key) or RD_GONE.  get_wch returns ERR at once, again
 * and again, when the terminal has hung up: poll says POLLHUP, and if it
 * doesn't, a run of ERRs that came too early says the same. */
static int read_key(WINDOW *win, int ms, wint_t *ch)
{
	static int early;
	long t0 = now_ms();
	int rc;

	wtimeout(win, ms);
	rc = wget_wch(win, ch);
	if (rc != ERR) {
		early = 0;
		return rc;
	}
	if (term_gone() || scr_hungup())
		return RD_GONE;
	if (ms < 0 || now_ms() - t0 < ms / 2) {
		if (++early >= 50)
			return RD_GONE;
	} else {
		early = 0;
	}
	return ERR;
}

/* After an Esc: true for a lone Esc (or two); false for the start of an
 * escape sequence that came late, or Alt with a key, which are eaten. */
static bool lone_escape(WINDOW *win)
{
	wint_t ch;
	int rc;

	wtimeout(win, ESC_MORE_MS);
	rc = wget_wch(win, &ch);
	if (rc == ERR || (rc == OK && ch == ESC))
		return true;
	if (rc == OK && (ch == L'[' || ch == L'O')) {
		/* CSI parameters and intermediates, up to the final byte. */
		for (int i = 0; i < 32; i++) {
			wtimeout(win, ESC_MORE_MS);
			if (wget_wch(win, &ch) != OK)
				break;
			if (ch >= 0x40 && ch <= 0x7e)
				break;
		}
	}
	return false;
}

static bool is_enter(int rc, wint_t ch)
{
	if (rc == OK)
		return ch == L'\r' || ch == L'\n';
	return rc == KEY_CODE_YES && ch == KEY_ENTER;
}

/* ---- widths for the editing buffer ----------------------------------- */

/* The editing buffer measures with the drawing's own rules (bidi
 * controls shown as U+FFFD, emoji a GB18030 locale can't show as wide
 * placeholders, ambiguous characters wide when the terminal says so), so
 * the cursor stands where the drawing put the character.  Measuring goes
 * through UTF-8, so a small cache keeps it cheap; it is emptied when a
 * prompt opens, as the rules may have changed. */
static struct {
	wchar_t c;
	signed char w[2]; /* [alone]; -1: not measured */
} wcache[256];

static void wcache_reset(void)
{
	memset(wcache, 0, sizeof(wcache));
}

static int drawn_width(wchar_t c, bool alone)
{
	unsigned slot = (unsigned)c % (sizeof(wcache) / sizeof(wcache[0]));
	char buf[16], *u;
	int w;

	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (wcache[slot].c != c) {
		wcache[slot].c = c;
		wcache[slot].w[0] = wcache[slot].w[1] = -1;
	}
	if (wcache[slot].w[alone] >= 0)
		return wcache[slot].w[alone];
	u = scr_wcs_to_utf8(&c, 1);
	if (!u)
		return 1;
	if (alone) {
		w = scr_text_width(u);
	} else {
		/* After a letter: 0 when it joins it (a combining mark) or
		 * is dropped (zero-width space). */
		snprintf(buf, sizeof(buf), "a%s", u);
		w = scr_text_width(buf) - 1;
	}
	free(u);
	if (w < 0)
		w = 0;
	wcache[slot].w[alone] = (signed char)w;
	return w;
}

static void editbuf_open(struct scr_editbuf *eb, bool multiline)
{
	wcache_reset();
	scr_editbuf_init(eb, multiline);
	eb->width = drawn_width;
	/* Multi-line prompts take statements and notes, which the core
	 * refuses past this length: the editor stops there instead. */
	if (multiline)
		eb->max = WQ_STATEMENT_MAX_CHARS;
}

/* ---- frames ---------------------------------------------------------- */

/* A window over the screen: a centred box, or the whole screen. */
struct frame {
	WINDOW *win;
	WINDOW *under;	 /* what it covers, repainted when it moves */
	bool full;	 /* the whole screen, no border */
	int lines, cols; /* the terminal size it was made for */
	int want_h, want_w;
	int h, w;   /* inside the border */
	int oy, ox; /* where the inside starts */
};

/* Makes (or remakes, after a resize or a change of wanted size) the
 * window for a content of want_h x want_w; false if curses can't. */
static bool frame_fit(struct frame *f, int want_h, int want_w)
{
	int h, w, b;

	if (f->win && f->lines == LINES && f->cols == COLS &&
	    f->want_h == want_h && f->want_w == want_w)
		return true;
	if (f->win)
		delwin(f->win);
	f->win = NULL;
	f->lines = LINES;
	f->cols = COLS;
	f->want_h = want_h;
	f->want_w = want_w;
	if (LINES < 1 || COLS < 1)
		return false;
	if (f->full) {
		h = LINES;
		w = COLS;
		b = 0;
	} else {
		h = want_h + 2 < LINES ? want_h + 2 : LINES;
		w = want_w + 2 < COLS ? want_w + 2 : COLS;
		b = h >= 3 && w >= 3 ? 1 : 0;
	}
	if (f->under) {
		touchwin(f->under);
		wnoutrefresh(f->under);
	}
	f->win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	if (!f->win)
		return false;
	keypad(f->win, TRUE);
	f->h = h - 2 * b;
	f->w = w - 2 * b;
	f->oy = f->ox = b;
	return true;
}

/* Line-drawing characters need the terminal's alternate character set,
 * which luit (GB18030 and Big5 desks) does not pass on, and are ambiguous:
 * outside UTF-8, or where the terminal draws them wide, the border is
 * ASCII.  In UTF-8 the wide-character forms, which ncurses sends as
 * Unicode: box()'s go through the alternate character set, which a
 * terminal may drop on the next SGR (tmux did: "lqqqk"). */
static void frame_clear(struct frame *f)
{
	werase(f->win);
	if (!f->oy)
		return;
	if (scr_text_line_drawing())
		box_set(f->win, WACS_VLINE, WACS_HLINE);
	else
		wborder(f->win, '|', '|', '-', '-', '+', '+', '+', '+');
}

static void frame_close(struct frame *f)
{
	if (f->win)
		delwin(f->win);
	f->win = NULL;
	if (f->under) {
		touchwin(f->under);
		if (f->under != stdscr)
			wnoutrefresh(f->under);
	}
}

static void frame_show(struct frame *f, int cy, int cx)
{
	if (cy >= 0)
		wmove(f->win, cy, cx);
	wnoutrefresh(f->win);
	doupdate();
}

/* A key bar: pairs of key and label, NULL-terminated, in the bar's
 * attributes; returns the columns used. */
static int draw_keys(struct scr_ui *ui, WINDOW *win, int y, int x, int w,
		     attr_t bar, const char *const *pairs)
{
	int at = x;

	scr_draw_text(win, y, x, w, "", bar, SCR_TEXT_PAD);
	for (int i = 0; pairs[i] && pairs[i + 1]; i += 2) {
		int kw = scr_text_width(pairs[i]);
		int lw = scr_text_width(pairs[i + 1]);

		if (at > x)
			at += 2;
		if (at + kw + 1 + lw > x + w)
			break;
		at += scr_draw_text(win, y, at, kw, pairs[i],
				    ui->attr[SCR_A_KEY], 0);
		at += 1;
		at += scr_draw_text(win, y, at, lw, pairs[i + 1], bar, 0);
	}
	return at - x;
}

/* Text wrapped into at most max_lines lines at width; returns the lines
 * it takes (drawn when win is not NULL). */
static int draw_wrapped(WINDOW *win, int y, int x, int width, int max_lines,
			const char *text, attr_t attr)
{
	struct scr_cells cells = {0};
	struct scr_lines lines = {0};
	size_t n = scr_text_wrap(text, width, 0, &cells, &lines);
	int used = n < (size_t)max_lines ? (int)n : max_lines;

	if (n == 0)
		used = 0;
	for (int i = 0; win && i < used; i++) {
		size_t count = lines.v[i].count;

		/* The last line shown of a longer text ends in the cut
		 * mark. */
		if (i == used - 1 && n > (size_t)used)
			count = cells.n - lines.v[i].first;
		scr_draw_cells(win, y + i, x, width, cells.v + lines.v[i].first,
			       count, attr, SCR_TEXT_PAD);
	}
	scr_cells_free(&cells);
	scr_lines_free(&lines);
	return used;
}

/* Width of a box for texts of these widths: within 24..72 columns and
 * the terminal less a margin. */
static int box_width(int want)
{
	int w = want < 24 ? 24 : want > 72 ? 72 : want;
	int max = COLS - 4 >= 20 ? COLS - 4 : COLS - 2;

	return w < max ? w : max < 1 ? 1 : max;
}

/* ---- editing keys shared by the line and the text editor -------------- */

enum edit {
	ED_NONE, /* not an editing key */
	ED_DONE, /* handled */
};

static enum edit edit_key(struct scr_editbuf *eb, int rc, wint_t ch)
{
	if (rc == KEY_CODE_YES) {
		switch (ch) {
		case KEY_LEFT:
			scr_editbuf_left(eb);
			return ED_DONE;
		case KEY_RIGHT:
			scr_editbuf_right(eb);
			return ED_DONE;
		case KEY_HOME:
			scr_editbuf_home(eb);
			return ED_DONE;
		case KEY_END:
			scr_editbuf_end(eb);
			return ED_DONE;
		case KEY_BACKSPACE:
			scr_editbuf_backspace(eb);
			return ED_DONE;
		case KEY_DC:
			scr_editbuf_delete(eb);
			return ED_DONE;
		default:
			return ED_NONE;
		}
	}
	if (rc != OK)
		return ED_NONE;
	switch (ch) {
	case CTRL('A'):
		scr_editbuf_home(eb);
		return ED_DONE;
	case CTRL('E'):
		scr_editbuf_end(eb);
		return ED_DONE;
	case CTRL('B'):
		scr_editbuf_left(eb);
		return ED_DONE;
	case CTRL('F'):
		scr_editbuf_right(eb);
		return ED_DONE;
	case CTRL('H'):
	case DEL:
		scr_editbuf_backspace(eb);
		return ED_DONE;
	case CTRL('D'):
		scr_editbuf_delete(eb);
		return ED_DONE;
	case CTRL('U'):
		scr_editbuf_kill_start(eb);
		return ED_DONE;
	case CTRL('K'):
		scr_editbuf_kill_end(eb);
		return ED_DONE;
	case CTRL('W'):
		scr_editbuf_delete_word(eb);
		return ED_DONE;
	case CTRL('L'):
		clearok(curscr, TRUE);
		return ED_DONE;
	default:
		break;
	}
	if (ch == L'\t' || ch >= 0x20) {
		/* Refused characters (C1 controls) are dropped. */
		scr_editbuf_insert(eb, (wchar_t)ch);
		return ED_DONE;
	}
	return ED_NONE; /* another control key: ignored by the caller */
}

/* ---- the line editor ------------------------------------------------- */

struct line_prompt {
	struct scr_ui *ui;
	struct frame f;
	struct scr_editbuf eb;
	const char *title;
	size_t first; /* first character shown */
};

static bool draw_line(struct line_prompt *lp)
{
	struct scr_ui *ui = lp->ui;
	struct frame *f = &lp->f;
	const char *keys[5];
	int w, title_h, th, y, fw, fx;
	char *text;

	keys[0] = "Enter";
	keys[1] = _("accept");
	keys[2] = "Esc";
	keys[3] = _("cancel");
	keys[4] = NULL;
	w = box_width(scr_text_width(lp->title) > 40 ? scr_text_width(lp->title)
						     : 60);
	title_h = draw_wrapped(NULL, 0, 0, w, 3, lp->title, 0);
	if (!frame_fit(f, title_h + 2, w))
		return false;
	frame_clear(f);
	/* What fits, in order: the field, the keys, the title. */
	th = f->h - 1 - (f->h >= 3 ? 1 : 0);
	if (th > title_h)
		th = title_h;
	y = f->oy;
	if (th > 0)
		y += draw_wrapped(f->win, y, f->ox, f->w, th, lp->title,
				  ui->attr[SCR_A_TITLE]);
	/* The field: a column for "<" when scrolled, then the text. */
	fx = f->ox + 1;
	fw = f->w - 1;
	if (fw < 1) {
		fx = f->ox;
		fw = f->w;
	}
	lp->first = scr_editbuf_hscroll(&lp->eb, lp->first, fw);
	if (lp->first > 0 && fx > f->ox)
		scr_draw_text(f->win, y, f->ox, 1, "<",
			      ui->attr[SCR_A_DIM] ^ SCR_TEXT_PLACEHOLDER_ATTR,
			      0);
	text = scr_editbuf_utf8_range(&lp->eb, lp->first, lp->eb.len);
	scr_draw_text(f->win, y, fx, fw, text ? text : "",
		      ui->attr[SCR_A_NORMAL] | A_UNDERLINE, SCR_TEXT_PAD);
	free(text);
	if (f->h >= 3)
		draw_keys(ui, f->win, f->oy + f->h - 1, f->ox, f->w,
			  ui->attr[SCR_A_DIM], keys);
	frame_show(f, y,
		   fx + scr_editbuf_width(&lp->eb, lp->first, lp->eb.cur));
	return true;
}

bool scr_prompt_line(struct scr_ui *ui, const char *title, const char *initial,
		     char **out)
{
	struct line_prompt lp = {.ui = ui, .title = title ? title : ""};
	bool ok = false;
	int cursor;

	*out = NULL;
	modal_setup();
	editbuf_open(&lp.eb, false);
	if (!scr_editbuf_set_utf8(&lp.eb, initial ? initial : "")) {
		scr_status(ui, true, "%s", _("cannot convert text (iconv)"));
		scr_editbuf_free(&lp.eb);
		return false;
	}
	lp.f.under = stdscr;
	cursor = curs_set(1);
	for (;;) {
		wint_t ch;
		int rc;

		if (!draw_line(&lp))
			break;
		rc = read_key(lp.f.win, WAKE_MS, &ch);
		if (rc == RD_GONE)
			break;
		if (rc == ERR)
			continue;
		if (rc == OK && ch == ESC) {
			if (lone_escape(lp.f.win))
				break;
			continue;
		}
		if (is_enter(rc, ch)) {
			*out = scr_editbuf_utf8(&lp.eb);
			ok = *out != NULL;
			break;
		}
		edit_key(&lp.eb, rc, ch); /* KEY_RESIZE: just redraw */
	}
	if (cursor != ERR)
		curs_set(cursor);
	frame_close(&lp.f);
	scr_editbuf_free(&lp.eb);
	return ok;
}

/* ---- the pick list --------------------------------------------------- */

bool scr_prompt_pick(struct scr_ui *ui, const char *title,
		     const char *const *choices, const char *const *labels,
		     int *picked)
{
	struct frame f = {.under = stdscr};
	int n = 0, sel = 0, top = 0, maxw = 0, cursor;
	bool ok = false, done = false;
	const char *keys[5];
	int keys_w;

	if (!title)
		title = "";
	while (choices[n])
		n++;
	if (n == 0)
		return false;
	for (int i = 0; i < n; i++) {
		const char *l = labels && labels[i] ? labels[i] : choices[i];
		int w = scr_text_width(l);

		if (w > maxw)
			maxw = w;
	}
	modal_setup();
	keys[0] = "Enter/1-9";
	keys[1] = _("pick");
	keys[2] = "Esc";
	keys[3] = _("cancel");
	keys[4] = NULL;
	keys_w = scr_text_width(keys[0]) + scr_text_width(keys[1]) +
		 scr_text_width(keys[2]) + scr_text_width(keys[3]) + 4;
	if (maxw + 3 < keys_w)
		maxw = keys_w - 3;
	cursor = curs_set(0);
	while (!done) {
		int w, th, list_h, y, rc;
		wint_t ch;
		char pos[32];

		w = box_width(maxw + 3 > scr_text_width(title)
				  ? maxw + 3
				  : scr_text_width(title));
		th = draw_wrapped(NULL, 0, 0, w, 2, title, 0);
		list_h = LINES - 2 - th - 1;
		if (list_h > n)
			list_h = n;
		if (list_h < 1)
			list_h = 1;
		if (!frame_fit(&f, th + list_h + 1, w))
			break;
		frame_clear(&f);
		/* What fits, in order: the list, the title, the keys. */
		if (list_h > f.h)
			list_h = f.h;
		if (th > f.h - list_h)
			th = f.h - list_h;
		if (sel < top)
			top = sel;
		if (sel >= top + list_h)
			top = sel - list_h + 1;
		if (top > n - list_h)
			top = n - list_h;
		y = f.oy;
		if (th > 0)
			y += draw_wrapped(f.win, y, f.ox, f.w, th, title,
					  ui->attr[SCR_A_TITLE]);
		for (int i = 0; i < list_h && top + i < n; i++) {
			int k = top + i;
			const char *l =
			    labels && labels[k] ? labels[k] : choices[k];
			attr_t a =
			    ui->attr[k == sel ? SCR_A_SELECTED : SCR_A_NORMAL];
			char num[8];

			snprintf(num, sizeof(num), k < 9 ? "%d " : "  ", k + 1);
			scr_draw_text(f.win, y + i, f.ox, 2, num,
				      k == sel ? a : ui->attr[SCR_A_DIM], 0);
			scr_draw_text(f.win, y + i, f.ox + 2, f.w - 2, l, a,
				      SCR_TEXT_PAD);
		}
		if (f.h > list_h + th)
			draw_keys(ui, f.win, f.oy + f.h - 1, f.ox, f.w,
				  ui->attr[SCR_A_DIM], keys);
		if (n > list_h && f.oy) {
			/* Where we are, on the bottom border. */
			int pw;

			snprintf(pos, sizeof(pos), " %d/%d ", sel + 1, n);
			pw = scr_text_width(pos);
			if (pw < f.w)
				scr_draw_text(f.win, f.oy + f.h,
					      f.ox + f.w - pw, pw, pos,
					      ui->attr[SCR_A_DIM], 0);
		}
		frame_show(&f, -1, 0);

		rc = read_key(f.win, WAKE_MS, &ch);
		if (rc == RD_GONE)
			break;
		if (rc == ERR)
			continue;
		if (rc == OK && ch == ESC) {
			done = lone_escape(f.win);
			continue;
		}
		if (is_enter(rc, ch)) {
			ok = done = true;
			continue;
		}
		if (rc == OK) {
			switch (ch) {
			case L'j':
			case CTRL('N'):
				ch = KEY_DOWN;
				break;
			case L'k':
			case CTRL('P'):
				ch = KEY_UP;
				break;
			case L'g':
				ch = KEY_HOME;
				break;
			case L'G':
				ch = KEY_END;
				break;
			case L' ':
			case CTRL('F'):
				ch = KEY_NPAGE;
				break;
			case L'b':
			case CTRL('B'):
				ch = KEY_PPAGE;
				break;
			case L'q':
				done = true;
				continue;
			default:
				if (ch >= L'1' && ch <= L'9' &&
				    (int)(ch - L'1') < n) {
					sel = (int)(ch - L'1');
					ok = done = true;
				}
				continue;
			}
		}
		switch (ch) {
		case KEY_DOWN:
			sel = sel + 1 < n ? sel + 1 : sel;
			break;
		case KEY_UP:
			sel = sel > 0 ? sel - 1 : 0;
			break;
		case KEY_HOME:
			sel = 0;
			break;
		case KEY_END:
			sel = n - 1;
			break;
		case KEY_NPAGE:
			sel = sel + list_h < n ? sel + list_h : n - 1;
			break;
		case KEY_PPAGE:
			sel = sel - list_h > 0 ? sel - list_h : 0;
			break;
		default: /* KEY_RESIZE and the rest: redraw */
			break;
		}
	}
	if (cursor != ERR)
		curs_set(cursor);
	frame_close(&f);
	if (ok)
		*picked = sel;
	return ok;
}

/* ---- yes or no ------------------------------------------------------- */

static bool confirm_over(struct scr_ui *ui, WINDOW *under, const char *question)
{
	struct frame f = {.under = under};
	const char *keys[5];
	bool yes = false;
	int cursor;

	modal_setup();
	keys[0] = "y";
	keys[1] = _("yes");
	keys[2] = _("any other key");
	keys[3] = _("no");
	keys[4] = NULL;
	/* Keys typed before the question was shown don't answer it. */
	flushinp();
	cursor = curs_set(0);
	for (;;) {
		int w, qh, rc, max_q;
		wint_t ch;

		w = box_width(scr_text_width(question) + 2);
		max_q = LINES - 3 > 1 ? LINES - 3 : 1;
		qh = draw_wrapped(NULL, 0, 0, w, max_q, question, 0);
		if (!frame_fit(&f, qh + 1, w))
			break;
		frame_clear(&f);
		qh = draw_wrapped(f.win, f.oy, f.ox, f.w, f.h > 1 ? f.h - 1 : 1,
				  question, ui->attr[SCR_A_TITLE]);
		if (f.h > qh)
			draw_keys(ui, f.win, f.oy + f.h - 1, f.ox, f.w,
				  ui->attr[SCR_A_DIM], keys);
		frame_show(&f, -1, 0);
		rc = read_key(f.win, WAKE_MS, &ch);
		if (rc == ERR || (rc == KEY_CODE_YES && ch == KEY_RESIZE))
			continue;
		if (rc == OK && ch == ESC)
			lone_escape(f.win); /* eat a late escape sequence */
		yes = rc == OK && (ch == L'y' || ch == L'Y');
		break;
	}
	if (cursor != ERR)
		curs_set(cursor);
	frame_close(&f);
	return yes;
}

bool scr_prompt_confirm(struct scr_ui *ui, const char *question)
{
	return confirm_over(ui, stdscr, question ? question : "");
}

/* ---- the text editor ------------------------------------------------- */

struct text_prompt {
	struct scr_ui *ui;
	struct frame f;
	struct scr_editbuf eb;
	const char *title;
	int64_t case_id;
	const char *field;   /* the draft's name, or NULL */
	unsigned long saved; /* eb.changes when the draft was last saved */
	long dirty_since;    /* when the first change not saved was made */
	size_t top;	     /* first display row shown */
	int body_h, wrap;    /* text rows shown, and their width */
	char msg[256];
	bool msg_error;
};

static void text_msg(struct text_prompt *tp, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void text_msg(struct text_prompt *tp, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tp->msg, sizeof(tp->msg), fmt, ap);
	va_end(ap);
	tp->msg_error = error;
}

static bool text_dirty(const struct text_prompt *tp)
{
	return tp->field && tp->eb.changes != tp->saved;
}

/* Saves the draft; on failure says so and tries again later. */
static void save_draft(struct text_prompt *tp)
{
	char *text;
	enum wq_err err;

	if (!text_dirty(tp))
		return;
	text = scr_editbuf_utf8(&tp->eb);
	if (!text) {
		text_msg(tp, true, "%s", _("cannot convert text (iconv)"));
		return;
	}
	err = wq_draft_save(tp->ui->store, &tp->ui->actor, tp->case_id,
			    tp->field, text);
	free(text);
	if (err) {
		const char *detail = wq_err_detail();

		text_msg(tp, true, _("the draft was not saved: %s%s%s"),
			 _(wq_strerror(err)), *detail ? ": " : "", detail);
		tp->dirty_since = now_ms(); /* try again in a second */
		return;
	}
	tp->saved = tp->eb.changes;
	if (tp->msg_error)
		tp->msg[0] = '\0';
}

static bool draw_text(struct text_prompt *tp)
{
	struct scr_ui *ui = tp->ui;
	struct frame *f = &tp->f;
	struct scr_editrow *rows;
	size_t n, r;
	int col, body_y = 0, msg_y = -1, keys_y = -1;
	const char *keys[5];

	keys[0] = "^X";
	keys[1] = _("save");
	keys[2] = "Esc";
	keys[3] = tp->field ? _("cancel (the draft is kept)") : _("cancel");
	keys[4] = NULL;
	if (!frame_fit(f, LINES, COLS))
		return false;
	frame_clear(f);
	/* title, text, message, keys; the text gives way last. */
	tp->body_h = f->h;
	if (f->h >= 2) {
		keys_y = f->h - 1;
		tp->body_h--;
	}
	if (f->h >= 3) {
		scr_draw_text(f->win, 0, 0, f->w, tp->title,
			      ui->attr[SCR_A_TITLE], SCR_TEXT_PAD);
		body_y = 1;
		tp->body_h--;
	}
	if (f->h >= 4) {
		msg_y = f->h - 2;
		tp->body_h--;
	}
	/* The last column is kept for the cursor after a full row. */
	tp->wrap = f->w > 1 ? f->w - 1 : 1;
	n = scr_editbuf_rows(&tp->eb, tp->wrap, &rows);
	r = scr_editbuf_cursor_row(&tp->eb, rows, n, &col);
	if (r < tp->top)
		tp->top = r;
	if (r >= tp->top + (size_t)tp->body_h)
		tp->top = r - (size_t)tp->body_h + 1;
	if (n > (size_t)tp->body_h && tp->top > n - (size_t)tp->body_h)
		tp->top = n - (size_t)tp->body_h;
	for (int i = 0; i < tp->body_h && tp->top + (size_t)i < n; i++) {
		const struct scr_editrow *row = &rows[tp->top + (size_t)i];
		char *u8 =
		    scr_editbuf_utf8_range(&tp->eb, row->start, row->end);

		scr_draw_text(f->win, body_y + i, 0, f->w, u8 ? u8 : "",
			      ui->attr[SCR_A_NORMAL], 0);
		free(u8);
	}
	free(rows);
	if (msg_y >= 0 && tp->msg[0])
		scr_draw_text(f->win, msg_y, 0, f->w, tp->msg,
			      ui->attr[tp->msg_error ? SCR_A_ERROR : SCR_A_DIM],
			      SCR_TEXT_PAD);
	if (keys_y >= 0)
		draw_keys(ui, f->win, keys_y, 0, f->w, ui->attr[SCR_A_KEYBAR],
			  keys);
	frame_show(f, body_y + (int)(r - tp->top), col);
	return true;
}

bool scr_prompt_text(struct scr_ui *ui, const char *title, int64_t case_id,
		     const char *draft_field, char **out)
{
	struct text_prompt tp = {
	    .ui = ui,
	    .title = title ? title : "",
	    .case_id = case_id,
	    .field = draft_field,
	    .f = {.full = true, .under = stdscr},
	};
	bool ok = false;
	int cursor;

	*out = NULL;
	modal_setup();
	editbuf_open(&tp.eb, true);
	if (draft_field) {
		char *draft = NULL;
		enum wq_err err = wq_draft_load(ui->store, &ui->actor, case_id,
						draft_field, &draft);

		if (err)
			text_msg(&tp, true,
				 _("the draft could not be read: %s%s%s"),
				 _(wq_strerror(err)),
				 *wq_err_detail() ? ": " : "", wq_err_detail());
		else if (draft && *draft && scr_editbuf_set_utf8(&tp.eb, draft))
			text_msg(&tp, false, "%s",
				 _("restored your unsent draft"));
		free(draft);
	}
	cursor = curs_set(1);
	for (;;) {
		unsigned long before = tp.eb.changes;
		int wait = WAKE_MS, rc;
		wint_t ch;

		/* A change is saved within a second, keys or not. */
		if (text_dirty(&tp)) {
			long age = now_ms() - tp.dirty_since;

			if (age >= DRAFT_IDLE_MS) {
				save_draft(&tp);
				age = now_ms() - tp.dirty_since;
			}
			if (text_dirty(&tp))
				wait = age >= DRAFT_IDLE_MS
					   ? 0
					   : (int)(DRAFT_IDLE_MS - age);
		}
		if (!draw_text(&tp))
			break;
		rc = read_key(tp.f.win, wait, &ch);
		if (rc == RD_GONE) {
			save_draft(&tp);
			break;
		}
		if (rc == ERR)
			continue;
		if (!tp.msg_error)
			tp.msg[0] = '\0';
		if (rc == OK && ch == ESC) {
			if (!lone_escape(tp.f.win))
				continue;
			if (tp.field) {
				save_draft(&tp);
				break;
			}
			/* No draft to keep it in: ask before throwing the
			 * text away. */
			if (tp.eb.len == 0 || tp.eb.changes == 0 ||
			    confirm_over(ui, tp.f.win,
					 _("Throw away what you typed?")))
				break;
			touchwin(tp.f.win);
			continue;
		}
		if (rc == OK && ch == CTRL('X')) {
			/* The draft stays until the caller's ruling
			 * succeeds. */
			save_draft(&tp);
			*out = scr_editbuf_utf8(&tp.eb);
			ok = *out != NULL;
			break;
		}
		if (is_enter(rc, ch)) {
			scr_editbuf_insert(&tp.eb, L'\n');
		} else if (rc == KEY_CODE_YES) {
			switch (ch) {
			case KEY_UP:
				scr_editbuf_vmove(&tp.eb, tp.wrap, -1);
				break;
			case KEY_DOWN:
				scr_editbuf_vmove(&tp.eb, tp.wrap, +1);
				break;
			case KEY_PPAGE:
			case KEY_NPAGE:
				for (int i = 1; i < tp.body_h || i == 1; i++)
					scr_editbuf_vmove(&tp.eb, tp.wrap,
							  ch == KEY_PPAGE ? -1
									  : +1);
				break;
			default:
				edit_key(&tp.eb, rc, ch);
				break;
			}
		} else if (rc == OK && ch == CTRL('P')) {
			scr_editbuf_vmove(&tp.eb, tp.wrap, -1);
		} else if (rc == OK && ch == CTRL('N')) {
			scr_editbuf_vmove(&tp.eb, tp.wrap, +1);
		} else {
			edit_key(&tp.eb, rc, ch);
		}
		if (before == tp.saved && tp.eb.changes != before)
			tp.dirty_since = now_ms();
		if (tp.field && tp.eb.changes - tp.saved >= DRAFT_EVERY)
			save_draft(&tp);
	}
	if (text_dirty(&tp) && tp.msg_error)
		scr_status(ui, true, "%s", tp.msg);
	if (cursor != ERR)
		curs_set(cursor);
	frame_close(&tp.f);
	scr_editbuf_free(&tp.eb);
	return ok;
}
