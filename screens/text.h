/* weiquan console: the one way text reaches the terminal.
 *
 * Text inside weiquan is UTF-8 and may be hostile: statements, names and
 * evidence are typed or imported by anyone.  Everything the console shows
 * goes through scr_draw_text() or scr_draw_cells(); nothing else hands user
 * data to curses.  (A picture among the evidence is drawn by
 * screens/picture.c, whose cells hold only chafa's own symbols and palette
 * colours: none of the file's bytes.)  The work is done in two layers:
 *
 * 1. A terminal-free layer (scr_text_cells, scr_text_fit, scr_text_wrap)
 *    that turns UTF-8 into display cells for the current LC_CTYPE locale
 *    (UTF-8, GB18030 or Big5): each cell one character, plus up to four
 *    combining marks, with its width in columns (1 or 2) and a
 *    "placeholder" flag for anything that is not shown as itself.
 * 2. The draw functions, which put cells on a WINDOW with the wide
 *    character API (setcchar + mvwadd_wch), never waddstr.
 *
 * What becomes what:
 * - A byte that does not start a valid UTF-8 sequence (stray continuation
 *   byte, overlong form, surrogate, beyond U+10FFFF, cut short) becomes one
 *   U+FFFD placeholder per bad byte ("?" where U+FFFD cannot be shown in
 *   one column: Big5, or ambiguous characters wide, U+FFFD being one; and
 *   in GB18030, see below).
 * - C0 controls and DEL become their control picture (U+2400..U+241F,
 *   U+2421: "␛" for ESC, "␇" for BEL, ...) as a placeholder, or the caret
 *   form ("^[", "^G", "^?") where the locale lacks control pictures (Big5)
 *   or has them only as four-byte sequences (GB18030: luit, the way to
 *   most GB18030 desks, knows only GBK's two-byte ones and garbles the
 *   others, so no placeholder outside UTF-8 takes more than two bytes).
 *   A C1 control U+0080..U+009F is shown as its 7-bit equivalent: ESC and
 *   the character 0x40 below it ("␛[" for U+009B CSI, "␛]" for U+009D OSC).
 * - Escape sequences are shown, not hidden: after the ESC placeholder the
 *   sequence's own characters (the "[0;31m" of a CSI, the "]0;title" of an
 *   OSC, the payload of a DCS/APC/PM/SOS up to its BEL or ST) are drawn as
 *   ordinary, harmless text in the placeholder attribute.  A CSI ends at its
 *   final byte 0x40..0x7E, a string sequence at BEL, ST (ESC \ or U+009C)
 *   or any other control, a two-byte or nF escape at its final byte.
 * - Bidi controls (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069)
 *   become U+FFFD placeholders: they could reorder the text around them.
 * - Zero-width characters U+200B..U+200D, U+2060, U+FEFF and the emoji
 *   presentation selector U+FE0F are dropped (they are common in pasted
 *   text and would only clutter it; nothing is drawn for them either).
 * - Combining marks (wcwidth 0) join the previous cell, up to four per
 *   cell; more are dropped.  A mark with nothing before it (start of text
 *   or of a line) gets a space as its base, flagged placeholder.  A mark the
 *   locale cannot show is dropped and its base flagged placeholder.
 * - A character the locale cannot show (wcwidth < 0, not encodable in the
 *   locale's charset, or narrower than its Unicode East Asian width, which
 *   is how glibc's GB18030 locale treats many emoji) becomes a placeholder
 *   as wide as the character: "？" (U+FF1F) for a wide one, U+FFFD for a
 *   narrow one, "??" or "?" where those are missing too.
 * - TAB is a placeholder ("␉") unless SCR_TEXT_TABS expands it to spaces up
 *   to the next multiple of 8 columns (counted from the start of the text or
 *   of the line).  LF and CR are placeholders unless SCR_TEXT_NL_SPACE makes
 *   LF (or CR LF) one space, or SCR_TEXT_NL_BREAK makes it a line break;
 *   a lone CR is always a placeholder.
 *
 * East Asian ambiguous characters (①, “”, ×, ○, Greek, Cyrillic...) are as
 * wide as the locale's wcwidth() says, because that is what ncurses uses to
 * move its cursor: glibc's GB18030 and Big5 locales say 2, its UTF-8
 * locales 1.  A terminal with a CJK font may draw them 2 wide in a UTF-8
 * locale; with SCR_TEXT_AMBIGUOUS_WIDE (or scr_text_set_ambiguous_wide)
 * they then count 2 columns, and because ncurses would still advance one
 * column and lose its place, they are not sent as themselves: “” ‘’ and ·
 * become the wide look-alikes ＂ ＇ and ・, every other one a "？"
 * placeholder of width 2.  The other way round, a terminal behind luit,
 * or any terminal that draws them narrow, shows a GB18030 or Big5 locale's
 * 2-column ambiguous characters in one column: with
 * SCR_TEXT_AMBIGUOUS_NARROW (or scr_text_set_ambiguous_narrow) every
 * character the locale makes 2 wide but Unicode does not (a few are not
 * even ambiguous: "ḿ" in GB18030) counts 1 column and is not sent: “” ‘’ and · become
 * the ASCII look-alikes " ' and ., every other one a 1-column "?"
 * placeholder.  Where both are asked for, wide wins.
 *
 * Every function here depends on LC_CTYPE, which main() sets once with
 * setlocale(LC_ALL, "").  The layer has no threads and no curses state
 * beyond the WINDOW it is handed. */
#ifndef WEIQUAN_SCREENS_TEXT_H
#define WEIQUAN_SCREENS_TEXT_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* Flags of the functions below (or'ed). */
enum scr_text_flag {
	SCR_TEXT_PAD = 1 << 0,	/* draw: fill the rest of width with spaces */
	SCR_TEXT_TABS = 1 << 1, /* TAB -> spaces to the next multiple of 8 */
	SCR_TEXT_NL_SPACE = 1 << 2,	  /* LF, CR LF -> one space */
	SCR_TEXT_NL_BREAK = 1 << 3,	  /* LF, CR LF -> a line break cell */
	SCR_TEXT_AMBIGUOUS_WIDE = 1 << 4, /* ambiguous characters are wide */
	SCR_TEXT_AMBIGUOUS_NARROW = 1 << 5, /* ... narrow, whatever the locale */
};

/* Flags of a cell. */
enum scr_cell_flag {
	SCR_CELL_PLACEHOLDER = 1 << 0, /* not the text itself: draw it marked */
	SCR_CELL_BREAK = 1 << 1,       /* a line break: width 0, no character */
};

/* A cell holds a base character and up to SCR_CELL_CHARS - 1 combining
 * marks (ncurses' CCHARW_MAX is 5). */
#define SCR_CELL_CHARS 5

/* The attribute bits toggled on placeholders and the cut mark. */
#define SCR_TEXT_PLACEHOLDER_ATTR A_REVERSE

/* The 1-column mark drawn in the last column of text that was cut. */
#define SCR_TEXT_CUT_MARK L'>'

struct scr_cell {
	wchar_t wc[SCR_CELL_CHARS + 1]; /* NUL-terminated; empty for a break */
	unsigned char width;		/* 1 or 2; 0 only for a break */
	unsigned char flags;		/* enum scr_cell_flag */
	size_t off; /* byte offset in the source of what the cell shows */
};

/* A growing array of cells; start from {0}, free with scr_cells_free. */
struct scr_cells {
	struct scr_cell *v;
	size_t n, cap;
	size_t cols; /* sum of the widths */
};

void scr_cells_free(struct scr_cells *cells);

/* The process-wide default for SCR_TEXT_AMBIGUOUS_WIDE (off until set):
 * a property of the user's terminal, set once from the configuration.
 * Every function below behaves as if the flag were passed while it is on. */
void scr_text_set_ambiguous_wide(bool on);
bool scr_text_ambiguous_wide(void);
/* The same for SCR_TEXT_AMBIGUOUS_NARROW; turning one on turns the other
 * off, turning both off leaves the widths to the locale. */
void scr_text_set_ambiguous_narrow(bool on);
bool scr_text_ambiguous_narrow(void);

/* May line-drawing characters (box(), WACS_VLINE) be used?  Only in a
 * UTF-8 locale (luit does not pass the alternate character set on) where
 * ambiguous characters, which they are, are not drawn wide. */
bool scr_text_line_drawing(void);

/* Replace the contents of *out with the cells of len bytes of utf8 (NUL
 * bytes included, never reading past len; utf8 may be NULL when len is 0).
 * Honours SCR_TEXT_TABS, SCR_TEXT_NL_SPACE, SCR_TEXT_NL_BREAK and
 * SCR_TEXT_AMBIGUOUS_WIDE.  Returns the total width, also in out->cols. */
size_t scr_text_cells(const char *utf8, size_t len, int flags,
		      struct scr_cells *out);

/* How n cells fit in max_cols columns.  If they all fit, all are shown.
 * Otherwise the last column holds the cut mark, and the cells before it
 * are shown up to the last one that fits whole: a wide character that
 * would straddle the edge is left out and its first column is padding.
 * Break cells count as zero width. */
struct scr_fit {
	size_t n; /* cells [0, n) are shown */
	int cols; /* columns they take */
	int pad;  /* then this many blank columns (0 or 1) */
	bool cut; /* then the cut mark, one column */
	int used; /* cols + pad + cut: at most max_cols */
};
void scr_text_fit(const struct scr_cell *cells, size_t n, int max_cols,
		  struct scr_fit *fit);

/* Display columns of the sanitized text (flags 0: tabs and newlines are
 * 1-column placeholders), and the same for len bytes with flags. */
int scr_text_width(const char *utf8);
int scr_text_width_n(const char *utf8, size_t len, int flags);

/* Draw utf8 on one line of win at (y, x) in at most width columns (and no
 * further than the window's right edge), cut as scr_text_fit describes, in
 * attr; placeholders and the cut mark get attr with
 * SCR_TEXT_PLACEHOLDER_ATTR toggled.  SCR_TEXT_PAD fills the columns left
 * up to width with spaces in attr.  Line breaks (SCR_TEXT_NL_BREAK) are
 * skipped.  Returns the columns the text took (without the PAD fill), 0 if
 * nothing could be drawn.  The cursor is left wherever curses put it. */
int scr_draw_text(WINDOW *win, int y, int x, int width, const char *utf8,
		  attr_t attr, int flags);
int scr_draw_textn(WINDOW *win, int y, int x, int width, const char *utf8,
		   size_t len, attr_t attr, int flags);

/* The same for n cells already made, e.g. one line of scr_text_wrap. */
int scr_draw_cells(WINDOW *win, int y, int x, int width,
		   const struct scr_cell *cells, size_t n, attr_t attr,
		   int flags);

/* Lines of wrapped text: cells [first, first + count) of the cells wrapped,
 * taking cols columns. */
struct scr_line {
	size_t first, count;
	int cols;
};
struct scr_lines {
	struct scr_line *v;
	size_t n, cap;
};

void scr_lines_free(struct scr_lines *lines);

/* Replace *out with the lines of cells wrapped at width columns (width < 1
 * counts as 1) and return their number.  A break cell ends a line (an empty
 * line if nothing precedes it; no empty line follows a final break).  A
 * line that would be too wide ends after its last run of spaces, else
 * between two characters one of which is wide (CJK text has no spaces;
 * a line does not start with closing punctuation such as ，。」 nor end
 * with opening punctuation such as 「（ when that can be avoided), or after
 * '-' or '/', else just before the character that does not fit (a long
 * word is broken hard).  Spaces at a soft break are dropped from both
 * lines; indentation at the start of a paragraph is kept.  Every line is at
 * most width columns, except that a wide character gets a line of its own
 * when width is 1. */
size_t scr_text_wrap_cells(const struct scr_cells *cells, int width,
			   struct scr_lines *out);

/* scr_text_cells (with SCR_TEXT_NL_BREAK added to flags) into *cells, then
 * scr_text_wrap_cells into *lines.  Draw line i with
 * scr_draw_cells(win, y + i, x, width, cells->v + lines->v[i].first,
 * lines->v[i].count, attr, flags). */
size_t scr_text_wrap(const char *utf8, int width, int flags,
		     struct scr_cells *cells, struct scr_lines *lines);

#endif
