/* weiquan screens: the editing buffer behind the prompts (see editbuf.h).
 * No curses here: the tests drive it directly. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "screens/editbuf.h"
#include "util.h"

#define REPLACEMENT ((wchar_t)0xFFFD)

/* ---- characters ------------------------------------------------------ */

static int default_width(wchar_t c, bool alone)
{
	int w = wcwidth(c);

	(void)alone;
	return w < 0 ? 1 : w;
}

int scr_editbuf_char_width(const struct scr_editbuf *eb, wchar_t c, bool alone)
{
	int w = eb->width ? eb->width(c, alone) : default_width(c, alone);

	return w < 0 ? 1 : w;
}

/* What c becomes in the buffer: itself, a space for a tab, '\n' for CR,
 * or 0 when it has no place there (other controls, '\n' in one line,
 * values that are no character). */
static wchar_t admit(const struct scr_editbuf *eb, wchar_t c)
{
	unsigned long u = (unsigned long)(uint32_t)c;

	if (c == L'\t')
		return L' ';
	if (c == L'\r' || c == L'\n')
		return eb->multiline ? L'\n' : 0;
	if (u < 0x20 || (u >= 0x7f && u <= 0x9f))
		return 0;
#ifdef __STDC_ISO_10646__
	if ((u >= 0xd800 && u <= 0xdfff) || u > 0x10ffff)
		return 0;
#endif
	return c;
}

static bool alone_at(const struct scr_editbuf *eb, size_t i)
{
	return i == 0 || eb->s[i - 1] == L'\n';
}

static int width_at(const struct scr_editbuf *eb, size_t i)
{
	if (eb->s[i] == L'\n')
		return 0;
	return scr_editbuf_char_width(eb, eb->s[i], alone_at(eb, i));
}

bool scr_editbuf_boundary(const struct scr_editbuf *eb, size_t i)
{
	if (i == 0 || i >= eb->len)
		return true;
	if (eb->s[i] == L'\n' || eb->s[i - 1] == L'\n')
		return true;
	return scr_editbuf_char_width(eb, eb->s[i], false) != 0;
}

static size_t next_boundary(const struct scr_editbuf *eb, size_t i)
{
	if (i >= eb->len)
		return eb->len;
	i++;
	while (i < eb->len && !scr_editbuf_boundary(eb, i))
		i++;
	return i;
}

static size_t prev_boundary(const struct scr_editbuf *eb, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && !scr_editbuf_boundary(eb, i))
		i--;
	return i;
}

static size_t line_start(const struct scr_editbuf *eb, size_t i)
{
	while (i > 0 && eb->s[i - 1] != L'\n')
		i--;
	return i;
}

static size_t line_end(const struct scr_editbuf *eb, size_t i)
{
	while (i < eb->len && eb->s[i] != L'\n')
		i++;
	return i;
}

/* ---- the buffer ------------------------------------------------------ */

void scr_editbuf_init(struct scr_editbuf *eb, bool multiline)
{
	memset(eb, 0, sizeof(*eb));
	eb->cap = 32;
	eb->s = wq_xmalloc(eb->cap * sizeof(wchar_t));
	eb->s[0] = L'\0';
	eb->multiline = multiline;
	eb->goal = -1;
}

void scr_editbuf_free(struct scr_editbuf *eb)
{
	free(eb->s);
	eb->s = NULL;
	eb->len = eb->cap = eb->cur = 0;
}

static void reserve(struct scr_editbuf *eb, size_t more)
{
	if (eb->len + more + 1 <= eb->cap)
		return;
	while (eb->len + more + 1 > eb->cap)
		eb->cap *= 2;
	eb->s = wq_xrealloc(eb->s, eb->cap * sizeof(wchar_t));
}

/* Removes s[from, to) and puts the cursor at from. */
static bool cut(struct scr_editbuf *eb, size_t from, size_t to)
{
	eb->goal = -1;
	if (from >= to)
		return false;
	memmove(eb->s + from, eb->s + to, (eb->len - to + 1) * sizeof(wchar_t));
	eb->len -= to - from;
	eb->cur = from;
	eb->changes++;
	return true;
}

void scr_editbuf_clear(struct scr_editbuf *eb)
{
	cut(eb, 0, eb->len);
	eb->cur = 0;
}

bool scr_editbuf_insert(struct scr_editbuf *eb, wchar_t c)
{
	c = admit(eb, c);
	if (!c || (eb->max && eb->len >= eb->max))
		return false;
	reserve(eb, 1);
	memmove(eb->s + eb->cur + 1, eb->s + eb->cur,
		(eb->len - eb->cur + 1) * sizeof(wchar_t));
	eb->s[eb->cur++] = c;
	eb->len++;
	/* A mark typed before another mark: the cursor stays at a cluster
	 * boundary, after the marks that now belong to the same cluster. */
	while (!scr_editbuf_boundary(eb, eb->cur))
		eb->cur++;
	eb->goal = -1;
	eb->changes++;
	return true;
}

bool scr_editbuf_insert_wcs(struct scr_editbuf *eb, const wchar_t *s, size_t n)
{
	bool any = false;

	for (size_t i = 0; i < n; i++)
		any |= scr_editbuf_insert(eb, s[i]);
	return any;
}

bool scr_editbuf_backspace(struct scr_editbuf *eb)
{
	return cut(eb, prev_boundary(eb, eb->cur), eb->cur);
}

bool scr_editbuf_delete(struct scr_editbuf *eb)
{
	return cut(eb, eb->cur, next_boundary(eb, eb->cur));
}

bool scr_editbuf_kill_start(struct scr_editbuf *eb)
{
	return cut(eb, line_start(eb, eb->cur), eb->cur);
}

bool scr_editbuf_kill_end(struct scr_editbuf *eb)
{
	size_t end = line_end(eb, eb->cur);

	if (end == eb->cur && end < eb->len)
		end++; /* the line break: join the next line */
	return cut(eb, eb->cur, end);
}

/* The kinds of characters a word is made of. */
enum kind { K_SPACE, K_WORD, K_WIDE, K_SIGN };

static enum kind kind_at(const struct scr_editbuf *eb, size_t i)
{
	wchar_t c = eb->s[i];

	if (iswspace((wint_t)c))
		return K_SPACE;
	if (iswpunct((wint_t)c) && !iswalnum((wint_t)c) && c != L'_')
		return K_SIGN;
	if (scr_editbuf_char_width(eb, c, false) >= 2)
		return K_WIDE;
	if (iswalnum((wint_t)c) || c == L'_')
		return K_WORD;
	return K_SIGN;
}

bool scr_editbuf_delete_word(struct scr_editbuf *eb)
{
	size_t start = line_start(eb, eb->cur), p = eb->cur, q;
	enum kind k;

	if (p == 0)
		return cut(eb, 0, 0);
	if (p == start) /* right after a line break */
		return cut(eb, p - 1, p);
	while (p > start && eb->s[p - 1] != L'\n' &&
	       kind_at(eb, prev_boundary(eb, p)) == K_SPACE)
		p = prev_boundary(eb, p);
	if (p > start) {
		k = kind_at(eb, prev_boundary(eb, p));
		while (p > start) {
			q = prev_boundary(eb, p);
			if (kind_at(eb, q) != k)
				break;
			p = q;
		}
	}
	return cut(eb, p, eb->cur);
}

static bool move_to(struct scr_editbuf *eb, size_t to)
{
	bool moved = to != eb->cur;

	eb->cur = to;
	eb->goal = -1;
	return moved;
}

bool scr_editbuf_left(struct scr_editbuf *eb)
{
	return move_to(eb, prev_boundary(eb, eb->cur));
}

bool scr_editbuf_right(struct scr_editbuf *eb)
{
	return move_to(eb, next_boundary(eb, eb->cur));
}

bool scr_editbuf_home(struct scr_editbuf *eb)
{
	return move_to(eb, line_start(eb, eb->cur));
}

bool scr_editbuf_end(struct scr_editbuf *eb)
{
	return move_to(eb, line_end(eb, eb->cur));
}

bool scr_editbuf_top(struct scr_editbuf *eb)
{
	return move_to(eb, 0);
}

bool scr_editbuf_bottom(struct scr_editbuf *eb)
{
	return move_to(eb, eb->len);
}

/* ---- columns --------------------------------------------------------- */

int scr_editbuf_width(const struct scr_editbuf *eb, size_t from, size_t to)
{
	int w = 0;

	if (to > eb->len)
		to = eb->len;
	for (size_t i = from; i < to; i++)
		w += width_at(eb, i);
	return w;
}

int scr_editbuf_col(const struct scr_editbuf *eb)
{
	return scr_editbuf_width(eb, line_start(eb, eb->cur), eb->cur);
}

size_t scr_editbuf_hscroll(const struct scr_editbuf *eb, size_t first,
			   int width)
{
	size_t p;
	int w;

	if (width < 1)
		width = 1;
	if (first > eb->len)
		first = eb->len;
	while (first > 0 && !scr_editbuf_boundary(eb, first))
		first--;
	if (first > eb->cur) {
		/* The cursor went left of the view: show it with a third
		 * of the field before it. */
		first = eb->cur;
		w = 0;
		while (first > 0) {
			p = prev_boundary(eb, first);
			w += scr_editbuf_width(eb, p, first);
			if (w > width / 3)
				break;
			first = p;
		}
	}
	w = scr_editbuf_width(eb, first, eb->cur);
	if (w > width - 1) {
		/* Past the last column: put the cursor at two thirds. */
		int want = width - 1 - width / 3;

		while (first < eb->cur && w > want) {
			p = next_boundary(eb, first);
			w -= scr_editbuf_width(eb, first, p);
			first = p;
		}
	}
	/* No blank tail while earlier text would fill it. */
	w = scr_editbuf_width(eb, first, eb->len);
	while (first > 0) {
		p = prev_boundary(eb, first);
		w += scr_editbuf_width(eb, p, first);
		if (w > width - 1)
			break;
		first = p;
	}
	return first;
}

/* ---- display rows ---------------------------------------------------- */

static void push_row(struct scr_editrow **v, size_t *n, size_t *cap,
		     size_t start, size_t end, bool soft)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = wq_xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[*n].start = start;
	(*v)[*n].end = end;
	(*v)[*n].soft = soft;
	(*n)++;
}

/* What a row should not start with. */
static const wchar_t no_start[] = L",.;:?!)]}%\u3001\u3002\uff0c\uff1b"
				  L"\uff1a\uff1f\uff01\uff09\u300d\u300f"
				  L"\u3011\u3009\u300b\u3015\uff5d\uff3d"
				  L"\u201d\u2019\u2026";

size_t scr_editbuf_rows(const struct scr_editbuf *eb, int width,
			struct scr_editrow **rows)
{
	struct scr_editrow *v = NULL;
	size_t n = 0, cap = 0, i = 0;

	if (width < 1)
		width = 1;
	for (;;) {
		size_t start = i, brk = 0;
		int col = 0;

		while (i < eb->len && eb->s[i] != L'\n') {
			size_t j = next_boundary(eb, i);
			int w = width_at(eb, i);

			if (col > 0 && col + w > width) {
				/* After the last space or wide character,
				 * so words stay whole; else a long word is
				 * cut.  Not before closing punctuation. */
				size_t at =
				    brk > start && !iswspace((wint_t)eb->s[i])
					? brk
					: i;

				if (wcschr(no_start, eb->s[at]) &&
				    prev_boundary(eb, at) > start)
					at = prev_boundary(eb, at);
				push_row(&v, &n, &cap, start, at, true);
				start = at;
				col = scr_editbuf_width(eb, at, i);
				brk = 0;
				continue; /* the same character, on the new row
					   */
			}
			col += w;
			if (iswspace((wint_t)eb->s[i]) || w >= 2)
				brk = j;
			i = j;
		}
		push_row(&v, &n, &cap, start, i, false);
		if (i >= eb->len)
			break;
		i++; /* the line break */
	}
	*rows = v;
	return n;
}

size_t scr_editbuf_cursor_row(const struct scr_editbuf *eb,
			      const struct scr_editrow *rows, size_t n,
			      int *col)
{
	size_t lo = 0, hi = n;

	/* The last row that starts at or before the cursor. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (rows[mid].start <= eb->cur)
			lo = mid;
		else
			hi = mid;
	}
	if (col)
		*col = scr_editbuf_width(eb, rows[lo].start, eb->cur);
	return lo;
}

bool scr_editbuf_vmove(struct scr_editbuf *eb, int width, int delta)
{
	struct scr_editrow *rows, *r;
	size_t n, at, p;
	int col, goal, c = 0;

	n = scr_editbuf_rows(eb, width, &rows);
	at = scr_editbuf_cursor_row(eb, rows, n, &col);
	goal = eb->goal >= 0 ? eb->goal : col;
	if ((delta < 0 && at == 0) || (delta > 0 && at + 1 >= n)) {
		/* Past the first or last row: to the start or the end. */
		bool moved = move_to(eb, delta < 0 ? 0 : eb->len);

		free(rows);
		return moved;
	}
	r = &rows[delta < 0 ? at - 1 : at + 1];
	p = r->start;
	while (p < r->end) {
		size_t q = next_boundary(eb, p);
		int w = scr_editbuf_width(eb, p, q);

		if (c + w > goal)
			break;
		c += w;
		p = q;
	}
	/* The end of a soft row is the start of the next one. */
	if (r->soft && p == r->end && p > r->start)
		p = prev_boundary(eb, p);
	eb->cur = p;
	eb->goal = goal;
	free(rows);
	return true;
}

/* ---- UTF-8 ----------------------------------------------------------- */

/* One conversion descriptor per direction, opened on first use. */
static iconv_t to_utf8 = (iconv_t)-1, from_utf8 = (iconv_t)-1;

static iconv_t open_cd(iconv_t *cd, const char *to, const char *from)
{
	if (*cd == (iconv_t)-1)
		*cd = iconv_open(to, from);
	else
		iconv(*cd, NULL, NULL, NULL, NULL); /* reset the state */
	return *cd;
}

char *scr_wcs_to_utf8(const wchar_t *s, size_t n)
{
	iconv_t cd = open_cd(&to_utf8, "UTF-8", "WCHAR_T");
	size_t cap = n * 4 + 8, used = 0;
	char *out, *in = (char *)s, *o;
	size_t inleft = n * sizeof(wchar_t), oleft;

	if (cd == (iconv_t)-1)
		return NULL;
	out = wq_xmalloc(cap);
	while (inleft > 0) {
		size_t r;

		o = out + used;
		oleft = cap - used - 1;
		r = iconv(cd, &in, &inleft, &o, &oleft);
		used = (size_t)(o - out);
		if (r != (size_t)-1)
			break;
		if (errno != E2BIG) {
			/* Not a character: U+FFFD instead. */
			in += sizeof(wchar_t);
			inleft -=
			    inleft < sizeof(wchar_t) ? inleft : sizeof(wchar_t);
			if (cap - used - 1 < 3) {
				cap *= 2;
				out = wq_xrealloc(out, cap);
			}
			memcpy(out + used, "\xEF\xBF\xBD", 3);
			used += 3;
			continue;
		}
		cap *= 2;
		out = wq_xrealloc(out, cap);
	}
	out[used] = '\0';
	return out;
}

wchar_t *scr_utf8_to_wcs(const char *utf8, size_t *n)
{
	iconv_t cd = open_cd(&from_utf8, "WCHAR_T", "UTF-8");
	size_t len = utf8 ? strlen(utf8) : 0, used = 0;
	wchar_t *out;
	char *in = (char *)utf8, *o;
	size_t inleft = len, oleft;

	if (cd == (iconv_t)-1)
		return NULL;
	/* Each byte makes at most one character. */
	out = wq_xmalloc((len + 1) * sizeof(wchar_t));
	while (inleft > 0) {
		size_t r;

		o = (char *)(out + used);
		oleft = (len - used) * sizeof(wchar_t);
		r = iconv(cd, &in, &inleft, &o, &oleft);
		used = (size_t)((wchar_t *)(void *)o - out);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG)
			break; /* can't happen: room for every byte */
		/* A bad or cut-short sequence: U+FFFD for its first byte,
		 * then carry on with the next. */
		out[used++] = REPLACEMENT;
		in++;
		inleft--;
	}
	out[used] = L'\0';
	if (n)
		*n = used;
	return out;
}

bool scr_editbuf_set_utf8(struct scr_editbuf *eb, const char *utf8)
{
	size_t n, k = 0;
	wchar_t *w = scr_utf8_to_wcs(utf8, &n);

	if (!w)
		return false;
	for (size_t i = 0; i < n; i++) {
		wchar_t c = w[i];

		if (c == L'\r' && i + 1 < n && w[i + 1] == L'\n')
			continue; /* CR LF is one line break */
		if (c == L'\r' || c == L'\n')
			c = eb->multiline ? L'\n' : L' ';
		else if (!admit(eb, c))
			c = REPLACEMENT;
		else
			c = admit(eb, c);
		w[k++] = c;
	}
	eb->len = 0;
	reserve(eb, k);
	memcpy(eb->s, w, k * sizeof(wchar_t));
	eb->s[k] = L'\0';
	eb->len = k;
	eb->cur = k;
	eb->goal = -1;
	free(w);
	return true;
}

char *scr_editbuf_utf8_range(const struct scr_editbuf *eb, size_t from,
			     size_t to)
{
	if (to > eb->len)
		to = eb->len;
	if (from > to)
		from = to;
	return scr_wcs_to_utf8(eb->s + from, to - from);
}

char *scr_editbuf_utf8(const struct scr_editbuf *eb)
{
	return scr_editbuf_utf8_range(eb, 0, eb->len);
}
