/* weiquan screens: the editing buffer behind the prompts.
 *
 * A pure data structure, no curses, so the tests drive it without a
 * terminal: the text as wchar_t, a cursor, and the edits of a line or text
 * editor (insert, delete back and forward, kill to the start or end of the
 * line, delete a word, move by character, line, or display row).
 *
 * The cursor moves by whole characters as the user sees them: a base
 * character and the zero-width marks after it (combining accents, variation
 * selectors) are one "cluster", and the cursor is always at a cluster
 * boundary, so it never lands between an accent and its letter, nor, since
 * a CJK character is one wchar_t, in the middle of a 2-column character.
 *
 * The buffer holds no control characters: inserting one is refused (a tab
 * becomes a space; '\n' is kept in a multi-line buffer and refused in a
 * one-line buffer), and text set from UTF-8 is cleaned the same way, with
 * bytes that are not UTF-8 becoming U+FFFD.  So every character has a
 * display width, which the buffer takes from wcwidth() in the current
 * locale, a character the locale can't show (-1) counting as the width of
 * the placeholder that the drawing shows for it (see
 * scr_editbuf_char_width()).
 *
 * UTF-8 conversion goes through iconv ("WCHAR_T" <-> "UTF-8"), not
 * wcrtomb(), which would produce the locale's charset (GB18030, Big5). */
#ifndef WEIQUAN_SCREENS_EDITBUF_H
#define WEIQUAN_SCREENS_EDITBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct scr_editbuf {
	wchar_t *s; /* len characters, then a NUL */
	size_t len, cap;
	size_t cur;	       /* 0..len, at a cluster boundary */
	bool multiline;	       /* '\n' may be inserted */
	size_t max;	       /* characters an insert may grow it to; 0: any */
	int goal;	       /* column Up/Down aim at; -1: the cursor's own */
	unsigned long changes; /* bumped by every edit that changes the text */
	/* Display width of c; `alone`: c starts a line, with no character
	 * before it to join.  NULL: the default (see below). */
	int (*width)(wchar_t c, bool alone);
};

/* An empty buffer.  scr_editbuf_free() releases it. */
void scr_editbuf_init(struct scr_editbuf *eb, bool multiline);
void scr_editbuf_free(struct scr_editbuf *eb);
/* Empties the buffer (counts as a change when it was not empty). */
void scr_editbuf_clear(struct scr_editbuf *eb);

/* How wide a character is drawn: eb->width, which the drawing code sets
 * to the rules it draws with, or by default wcwidth(), and 1 for a
 * character the locale can't show.  A character of width 0 (when not
 * alone) joins the cluster before it.  '\n' is never asked about. */
int scr_editbuf_char_width(const struct scr_editbuf *eb, wchar_t c, bool alone);

/* Editing.  Each returns whether the text or the cursor changed. */
bool scr_editbuf_insert(struct scr_editbuf *eb, wchar_t c);
/* Inserts n characters (each as scr_editbuf_insert; refused ones are
 * skipped). */
bool scr_editbuf_insert_wcs(struct scr_editbuf *eb, const wchar_t *s, size_t n);
bool scr_editbuf_backspace(struct scr_editbuf *eb); /* the cluster before */
bool scr_editbuf_delete(struct scr_editbuf *eb);    /* the cluster after */
/* ^U: from the start of the line to the cursor. */
bool scr_editbuf_kill_start(struct scr_editbuf *eb);
/* ^K: from the cursor to the end of the line; at the end of a line that
 * is not the last, the line break (joining the next line). */
bool scr_editbuf_kill_end(struct scr_editbuf *eb);
/* ^W: the spaces before the cursor, then the run of one kind of
 * characters before them: punctuation, or wide (CJK) characters, or
 * letters and digits, or other signs.  Right after a line break, the line
 * break. */
bool scr_editbuf_delete_word(struct scr_editbuf *eb);

/* Moving.  "Line" is a logical line (up to '\n'); in a one-line buffer
 * the whole text. */
bool scr_editbuf_left(struct scr_editbuf *eb);
bool scr_editbuf_right(struct scr_editbuf *eb);
bool scr_editbuf_home(struct scr_editbuf *eb);
bool scr_editbuf_end(struct scr_editbuf *eb);
bool scr_editbuf_top(struct scr_editbuf *eb);	 /* start of the text */
bool scr_editbuf_bottom(struct scr_editbuf *eb); /* end of the text */

/* Display columns from the start of the line to the cursor. */
int scr_editbuf_col(const struct scr_editbuf *eb);
/* Display columns of s[from, to). */
int scr_editbuf_width(const struct scr_editbuf *eb, size_t from, size_t to);

/* Is i (0..len) a cluster boundary? */
bool scr_editbuf_boundary(const struct scr_editbuf *eb, size_t i);

/* One-line horizontal scrolling: the index of the first character to show
 * in a field `width` columns wide (the cursor may stand in the last
 * column), given the one shown before.  The cursor stays visible; when it
 * leaves the field the view jumps by a third of the width, so typing at
 * the end does not scroll at every key. */
size_t scr_editbuf_hscroll(const struct scr_editbuf *eb, size_t first,
			   int width);

/* Soft wrap: the display rows of the text at `width` columns, each the
 * characters [start, end) shown on it (a line break is not shown).  A row
 * that would pass the width breaks after its last space or wide (CJK)
 * character, so Latin words stay whole, else (a word longer than the row)
 * before the cluster that would pass, and never right before closing
 * punctuation (，。」) when that can be helped; a cluster wider than the
 * whole width gets a row of its own.  The cursor after the last character of a
 * full row stands at column `width`: give one column less than the field.  An
 * empty text or line has one empty row.  A row that is cut short (no '\n' at
 * end, and more text) is "soft": its end is the next row's start.  Returns the
 * number of rows and a malloc'd array in *rows (at least one row). */
struct scr_editrow {
	size_t start, end;
	bool soft;
};
size_t scr_editbuf_rows(const struct scr_editbuf *eb, int width,
			struct scr_editrow **rows);
/* The row of rows[0..n) the cursor is on (at a soft break, the next
 * row), and its column on that row in *col (may be NULL). */
size_t scr_editbuf_cursor_row(const struct scr_editbuf *eb,
			      const struct scr_editrow *rows, size_t n,
			      int *col);
/* Up (delta -1) or Down (+1) by display rows at `width`, keeping the
 * column the first of a run of Up/Down started from (eb->goal; every other
 * move or edit forgets it).  Returns false at the first or last row. */
bool scr_editbuf_vmove(struct scr_editbuf *eb, int width, int delta);

/* Replaces the text with UTF-8 (cleaned as above; bytes that are not UTF-8
 * become U+FFFD); the cursor goes to the end.  Does not count as a change.
 * Returns false only if iconv can't convert at all. */
bool scr_editbuf_set_utf8(struct scr_editbuf *eb, const char *utf8);
/* The text, or s[from, to), as a new malloc'd UTF-8 string (NULL only if
 * iconv can't convert at all). */
char *scr_editbuf_utf8(const struct scr_editbuf *eb);
char *scr_editbuf_utf8_range(const struct scr_editbuf *eb, size_t from,
			     size_t to);

/* Conversions for anyone: n wide characters to a new UTF-8 string, and
 * UTF-8 to a new wide string (*n characters, NUL-terminated).  A
 * character or byte that doesn't convert becomes U+FFFD.  NULL only if
 * iconv can't convert at all. */
char *scr_wcs_to_utf8(const wchar_t *s, size_t n);
wchar_t *scr_utf8_to_wcs(const char *utf8, size_t *n);

#endif
