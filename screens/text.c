/* weiquan console: UTF-8 to display cells, and the one draw function.
 * See text.h for what becomes what; this file is the only place that
 * decides how a character reaches the console, by the classification the
 * command line shares (weiquan/clean.h). */
#include "config.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"
#include "weiquan/clean.h"
#include "weiquan/encoding.h"

#ifndef __STDC_ISO_10646__
#error "wchar_t must hold Unicode code points"
#endif
_Static_assert(WCHAR_MAX >= 0x10FFFF, "wchar_t must hold U+10FFFF");
_Static_assert(SCR_CELL_CHARS <= CCHARW_MAX, "a cell must fit a cchar_t");

/* ---- Unicode East Asian Width ----
 *
 * Generated from /usr/share/unicode/EastAsianWidth.txt of Debian's
 * unicode-data 15.0.0-1 (EastAsianWidth-15.0.0.txt, 2022-05-24).
 * eaw_wide: classes W and F, adjacent ranges merged, plus the unassigned
 * code points that the file's header says default to W (U+3400..U+4DBF,
 * U+4E00..U+9FFF, U+F900..U+FAFF, U+20000..U+2FFFD, U+30000..U+3FFFD).
 * eaw_ambiguous: class A, adjacent ranges merged. */
struct scr_range {
	uint32_t first, last;
};

/* clang-format off */
static const struct scr_range eaw_wide[] = {
	{0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A},
	{0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
	{0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653},
	{0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
	{0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5},
	{0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
	{0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA},
	{0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
	{0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E},
	{0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
	{0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C},
	{0x2B50, 0x2B50}, {0x2B55, 0x2B55}, {0x2E80, 0x2E99},
	{0x2E9B, 0x2EF3}, {0x2F00, 0x2FD5}, {0x2FF0, 0x2FFB},
	{0x3000, 0x303E}, {0x3041, 0x3096}, {0x3099, 0x30FF},
	{0x3105, 0x312F}, {0x3131, 0x318E}, {0x3190, 0x31E3},
	{0x31F0, 0x321E}, {0x3220, 0x3247}, {0x3250, 0x4DBF},
	{0x4E00, 0xA48C}, {0xA490, 0xA4C6}, {0xA960, 0xA97C},
	{0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19},
	{0xFE30, 0xFE52}, {0xFE54, 0xFE66}, {0xFE68, 0xFE6B},
	{0xFF01, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4},
	{0x16FF0, 0x16FF1}, {0x17000, 0x187F7}, {0x18800, 0x18CD5},
	{0x18D00, 0x18D08}, {0x1AFF0, 0x1AFF3}, {0x1AFF5, 0x1AFFB},
	{0x1AFFD, 0x1AFFE}, {0x1B000, 0x1B122}, {0x1B132, 0x1B132},
	{0x1B150, 0x1B152}, {0x1B155, 0x1B155}, {0x1B164, 0x1B167},
	{0x1B170, 0x1B2FB}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
	{0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F202},
	{0x1F210, 0x1F23B}, {0x1F240, 0x1F248}, {0x1F250, 0x1F251},
	{0x1F260, 0x1F265}, {0x1F300, 0x1F320}, {0x1F32D, 0x1F335},
	{0x1F337, 0x1F37C}, {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA},
	{0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4},
	{0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC},
	{0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567},
	{0x1F57A, 0x1F57A}, {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4},
	{0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC},
	{0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7}, {0x1F6DC, 0x1F6DF},
	{0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB},
	{0x1F7F0, 0x1F7F0}, {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945},
	{0x1F947, 0x1F9FF}, {0x1FA70, 0x1FA7C}, {0x1FA80, 0x1FA88},
	{0x1FA90, 0x1FABD}, {0x1FABF, 0x1FAC5}, {0x1FACE, 0x1FADB},
	{0x1FAE0, 0x1FAE8}, {0x1FAF0, 0x1FAF8}, {0x20000, 0x2FFFD},
	{0x30000, 0x3FFFD},
};
static const struct scr_range eaw_ambiguous[] = {
	{0x00A1, 0x00A1}, {0x00A4, 0x00A4}, {0x00A7, 0x00A8},
	{0x00AA, 0x00AA}, {0x00AD, 0x00AE}, {0x00B0, 0x00B4},
	{0x00B6, 0x00BA}, {0x00BC, 0x00BF}, {0x00C6, 0x00C6},
	{0x00D0, 0x00D0}, {0x00D7, 0x00D8}, {0x00DE, 0x00E1},
	{0x00E6, 0x00E6}, {0x00E8, 0x00EA}, {0x00EC, 0x00ED},
	{0x00F0, 0x00F0}, {0x00F2, 0x00F3}, {0x00F7, 0x00FA},
	{0x00FC, 0x00FC}, {0x00FE, 0x00FE}, {0x0101, 0x0101},
	{0x0111, 0x0111}, {0x0113, 0x0113}, {0x011B, 0x011B},
	{0x0126, 0x0127}, {0x012B, 0x012B}, {0x0131, 0x0133},
	{0x0138, 0x0138}, {0x013F, 0x0142}, {0x0144, 0x0144},
	{0x0148, 0x014B}, {0x014D, 0x014D}, {0x0152, 0x0153},
	{0x0166, 0x0167}, {0x016B, 0x016B}, {0x01CE, 0x01CE},
	{0x01D0, 0x01D0}, {0x01D2, 0x01D2}, {0x01D4, 0x01D4},
	{0x01D6, 0x01D6}, {0x01D8, 0x01D8}, {0x01DA, 0x01DA},
	{0x01DC, 0x01DC}, {0x0251, 0x0251}, {0x0261, 0x0261},
	{0x02C4, 0x02C4}, {0x02C7, 0x02C7}, {0x02C9, 0x02CB},
	{0x02CD, 0x02CD}, {0x02D0, 0x02D0}, {0x02D8, 0x02DB},
	{0x02DD, 0x02DD}, {0x02DF, 0x02DF}, {0x0300, 0x036F},
	{0x0391, 0x03A1}, {0x03A3, 0x03A9}, {0x03B1, 0x03C1},
	{0x03C3, 0x03C9}, {0x0401, 0x0401}, {0x0410, 0x044F},
	{0x0451, 0x0451}, {0x2010, 0x2010}, {0x2013, 0x2016},
	{0x2018, 0x2019}, {0x201C, 0x201D}, {0x2020, 0x2022},
	{0x2024, 0x2027}, {0x2030, 0x2030}, {0x2032, 0x2033},
	{0x2035, 0x2035}, {0x203B, 0x203B}, {0x203E, 0x203E},
	{0x2074, 0x2074}, {0x207F, 0x207F}, {0x2081, 0x2084},
	{0x20AC, 0x20AC}, {0x2103, 0x2103}, {0x2105, 0x2105},
	{0x2109, 0x2109}, {0x2113, 0x2113}, {0x2116, 0x2116},
	{0x2121, 0x2122}, {0x2126, 0x2126}, {0x212B, 0x212B},
	{0x2153, 0x2154}, {0x215B, 0x215E}, {0x2160, 0x216B},
	{0x2170, 0x2179}, {0x2189, 0x2189}, {0x2190, 0x2199},
	{0x21B8, 0x21B9}, {0x21D2, 0x21D2}, {0x21D4, 0x21D4},
	{0x21E7, 0x21E7}, {0x2200, 0x2200}, {0x2202, 0x2203},
	{0x2207, 0x2208}, {0x220B, 0x220B}, {0x220F, 0x220F},
	{0x2211, 0x2211}, {0x2215, 0x2215}, {0x221A, 0x221A},
	{0x221D, 0x2220}, {0x2223, 0x2223}, {0x2225, 0x2225},
	{0x2227, 0x222C}, {0x222E, 0x222E}, {0x2234, 0x2237},
	{0x223C, 0x223D}, {0x2248, 0x2248}, {0x224C, 0x224C},
	{0x2252, 0x2252}, {0x2260, 0x2261}, {0x2264, 0x2267},
	{0x226A, 0x226B}, {0x226E, 0x226F}, {0x2282, 0x2283},
	{0x2286, 0x2287}, {0x2295, 0x2295}, {0x2299, 0x2299},
	{0x22A5, 0x22A5}, {0x22BF, 0x22BF}, {0x2312, 0x2312},
	{0x2460, 0x24E9}, {0x24EB, 0x254B}, {0x2550, 0x2573},
	{0x2580, 0x258F}, {0x2592, 0x2595}, {0x25A0, 0x25A1},
	{0x25A3, 0x25A9}, {0x25B2, 0x25B3}, {0x25B6, 0x25B7},
	{0x25BC, 0x25BD}, {0x25C0, 0x25C1}, {0x25C6, 0x25C8},
	{0x25CB, 0x25CB}, {0x25CE, 0x25D1}, {0x25E2, 0x25E5},
	{0x25EF, 0x25EF}, {0x2605, 0x2606}, {0x2609, 0x2609},
	{0x260E, 0x260F}, {0x261C, 0x261C}, {0x261E, 0x261E},
	{0x2640, 0x2640}, {0x2642, 0x2642}, {0x2660, 0x2661},
	{0x2663, 0x2665}, {0x2667, 0x266A}, {0x266C, 0x266D},
	{0x266F, 0x266F}, {0x269E, 0x269F}, {0x26BF, 0x26BF},
	{0x26C6, 0x26CD}, {0x26CF, 0x26D3}, {0x26D5, 0x26E1},
	{0x26E3, 0x26E3}, {0x26E8, 0x26E9}, {0x26EB, 0x26F1},
	{0x26F4, 0x26F4}, {0x26F6, 0x26F9}, {0x26FB, 0x26FC},
	{0x26FE, 0x26FF}, {0x273D, 0x273D}, {0x2776, 0x277F},
	{0x2B56, 0x2B59}, {0x3248, 0x324F}, {0xE000, 0xF8FF},
	{0xFE00, 0xFE0F}, {0xFFFD, 0xFFFD}, {0x1F100, 0x1F10A},
	{0x1F110, 0x1F12D}, {0x1F130, 0x1F169}, {0x1F170, 0x1F18D},
	{0x1F18F, 0x1F190}, {0x1F19B, 0x1F1AC}, {0xE0100, 0xE01EF},
	{0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD},
};
/* clang-format on */

static bool in_ranges(const struct scr_range *r, size_t n, uint32_t c)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c < r[mid].first)
			hi = mid;
		else if (c > r[mid].last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

static bool eaw_is_wide(uint32_t c)
{
	return in_ranges(eaw_wide, sizeof eaw_wide / sizeof eaw_wide[0], c);
}

static bool eaw_is_ambiguous(uint32_t c)
{
	return in_ranges(eaw_ambiguous,
			 sizeof eaw_ambiguous / sizeof eaw_ambiguous[0], c);
}

/* Is c zero-width (a combining mark, a format character) by glibc's
 * Unicode data, whatever the current locale's charset?  Asks C.UTF-8, which
 * glibc always has; false if it is missing. */
static bool unicode_zero_width(uint32_t c)
{
	static locale_t utf8;
	static bool tried;
	locale_t old;
	int w;

	if (!tried) {
		tried = true;
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	if (utf8 == (locale_t)0)
		return false;
	old = uselocale(utf8);
	w = wcwidth((wchar_t)c);
	uselocale(old);
	return w == 0;
}

/* ---- small helpers ---- */

static bool ambiguous_wide_default, ambiguous_narrow_default;

void scr_text_set_ambiguous_wide(bool on)
{
	ambiguous_wide_default = on;
	if (on)
		ambiguous_narrow_default = false;
}

bool scr_text_ambiguous_wide(void)
{
	return ambiguous_wide_default;
}

void scr_text_set_ambiguous_narrow(bool on)
{
	ambiguous_narrow_default = on;
	if (on)
		ambiguous_wide_default = false;
}

bool scr_text_ambiguous_narrow(void)
{
	return ambiguous_narrow_default;
}

static int effective_flags(int flags)
{
	if (ambiguous_wide_default)
		flags |= SCR_TEXT_AMBIGUOUS_WIDE;
	if (ambiguous_narrow_default)
		flags |= SCR_TEXT_AMBIGUOUS_NARROW;
	/* Both asked for: the terminal cannot draw them both ways. */
	if (flags & SCR_TEXT_AMBIGUOUS_WIDE)
		flags &= ~SCR_TEXT_AMBIGUOUS_NARROW;
	return flags;
}

bool scr_text_line_drawing(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && strcmp(cs, "UTF-8") == 0 && !ambiguous_wide_default;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("weiquan: out of memory\n", stderr);
		abort();
	}
	return p;
}

void scr_cells_free(struct scr_cells *cells)
{
	free(cells->v);
	cells->v = NULL;
	cells->n = cells->cap = cells->cols = 0;
}

void scr_lines_free(struct scr_lines *lines)
{
	free(lines->v);
	lines->v = NULL;
	lines->n = lines->cap = 0;
}

/* The columns c takes if it is sent to the terminal as itself, or -1 if
 * it must not be: the locale has no width for it or cannot encode it, its
 * encoding holds a control byte, it is narrower than its East Asian width
 * says, or it is ambiguous, ambiguous characters are wide, and the locale
 * says 1, or it is not East Asian wide, ambiguous characters are narrow,
 * and the locale says 2 (ncurses, which moves by wcwidth, would lose its
 * place either way). */
static int shown_width(uint32_t c, int flags)
{
	char buf[MB_LEN_MAX];
	mbstate_t st;
	size_t n, k;
	int w;

	if (c >= 0x20 && c < 0x7F)
		return 1;
	if (c < 0xA0 || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return -1;
	w = wcwidth((wchar_t)c);
	if (w < 0 || w > 2)
		return -1;
	memset(&st, 0, sizeof st);
	n = wcrtomb(buf, (wchar_t)c, &st);
	if (n == (size_t)-1 || n == 0)
		return -1;
	for (k = 0; k < n; k++) {
		unsigned char b = (unsigned char)buf[k];

		if (b < 0x20 || b == 0x7F)
			return -1;
	}
	if (w == 0)
		return 0;
	if (w == 1 && eaw_is_wide(c))
		return -1;
	if (w == 1 && (flags & SCR_TEXT_AMBIGUOUS_WIDE) && eaw_is_ambiguous(c))
		return -1;
	/* Not only ambiguous ones: glibc's GB18030 and Big5 locales also
	 * make a few neutral characters 2 wide ("ḿ", Big5's "¯"). */
	if (w == 2 && (flags & SCR_TEXT_AMBIGUOUS_NARROW) && !eaw_is_wide(c))
		return -1;
	return w;
}

/* Ambiguous characters common in Chinese text, and the look-alikes shown
 * in their place when ambiguous characters are wide but the locale says 1
 * (wide), or narrow but the locale says 2 (narrow). */
static const struct {
	uint32_t from;
	wchar_t wide, narrow;
} ambiguous_alike[] = {
    {0x00B7, 0x30FB, L'.'},  /* · MIDDLE DOT -> ・ KATAKANA MIDDLE DOT */
    {0x2018, 0xFF07, L'\''}, /* ‘ -> ＇ FULLWIDTH APOSTROPHE */
    {0x2019, 0xFF07, L'\''}, /* ’ */
    {0x201C, 0xFF02, L'"'},  /* “ -> ＂ FULLWIDTH QUOTATION MARK */
    {0x201D, 0xFF02, L'"'},  /* ” */
};

/* ---- UTF-8 to cells ---- */

enum esc_state {
	ESC_NONE,   /* ordinary text */
	ESC_SEEN,   /* after ESC */
	ESC_NF,	    /* ESC and intermediates 0x20..0x2F */
	ESC_CSI,    /* ESC [ and parameters */
	ESC_STRING, /* ESC ] P X ^ _ and their payload */
};

struct gen {
	struct scr_cells *out;
	int flags;
	size_t limit;	   /* stop before a new cell once cols > limit */
	size_t line_start; /* out->cols at the last break, for tabs */
	enum esc_state esc;
	bool stop;
};

static struct scr_cell *push(struct gen *g, wchar_t wc, int width, int flags,
			     size_t off)
{
	struct scr_cells *o = g->out;
	struct scr_cell *c;

	if (g->stop || o->cols > g->limit) {
		g->stop = true;
		return NULL;
	}
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->v = xrealloc(o->v, o->cap * sizeof o->v[0]);
	}
	c = &o->v[o->n++];
	memset(c, 0, sizeof *c);
	c->wc[0] = wc;
	c->width = (unsigned char)width;
	c->flags = (unsigned char)flags;
	c->off = off;
	o->cols += (size_t)width;
	return c;
}

/* The previous cell if a mark may join it. */
static struct scr_cell *last_cell(struct gen *g)
{
	struct scr_cells *o = g->out;

	if (o->n == 0 || (o->v[o->n - 1].flags & SCR_CELL_BREAK))
		return NULL;
	return &o->v[o->n - 1];
}

/* Does wc reach the terminal as itself?  luit, the usual way to a GB18030
 * desk, knows only GBK's two-byte sequences and turns GB18030's four-byte
 * ones (U+FFFD, the control pictures) into other, wider characters: the
 * placeholders, our own choice, keep to two bytes outside UTF-8. */
static bool placeholder_survives(uint32_t wc)
{
	const char *cs = nl_langinfo(CODESET);
	char buf[MB_LEN_MAX];
	mbstate_t st;

	if (cs && strcmp(cs, "UTF-8") == 0)
		return true;
	memset(&st, 0, sizeof st);
	return wcrtomb(buf, (wchar_t)wc, &st) <= 2;
}

/* A placeholder cols wide: wc if the locale shows it at that width, else
 * the ASCII fallback, one cell per character. */
static void push_placeholder(struct gen *g, uint32_t wc, int cols,
			     const char *fallback, size_t off)
{
	if (shown_width(wc, g->flags) == cols && placeholder_survives(wc)) {
		push(g, (wchar_t)wc, cols, SCR_CELL_PLACEHOLDER, off);
		return;
	}
	for (; *fallback; fallback++)
		if (!push(g, (wchar_t)(unsigned char)*fallback, 1,
			  SCR_CELL_PLACEHOLDER, off))
			return;
}

/* A C0 control or DEL: its control picture, else caret notation. */
static void push_control(struct gen *g, uint32_t c, size_t off)
{
	char caret[3] = {'^', c == 0x7F ? '?' : (char)(c + 0x40), '\0'};

	push_placeholder(g, wq_clean_control_picture(c), 1, caret, off);
}

static void join_mark(struct gen *g, uint32_t c, size_t off)
{
	struct scr_cell *base = last_cell(g);
	size_t k;

	if (!base) {
		base = push(g, L' ', 1, SCR_CELL_PLACEHOLDER, off);
		if (!base)
			return;
	}
	k = wcslen(base->wc);
	if (k < SCR_CELL_CHARS) {
		base->wc[k] = (wchar_t)c;
		base->wc[k + 1] = L'\0';
	}
}

/* A character that is neither a control nor part of escape handling;
 * flags is SCR_CELL_PLACEHOLDER inside an escape sequence. */
static void put_char(struct gen *g, uint32_t c, size_t off, int flags)
{
	bool amb = g->flags & SCR_TEXT_AMBIGUOUS_WIDE;
	bool narrow = g->flags & SCR_TEXT_AMBIGUOUS_NARROW;
	enum wq_clean_class kind = wq_clean_class(c);
	struct scr_cell *base;
	size_t k;
	int w;

	if (kind == WQ_CLEAN_INVISIBLE)
		return;
	if (kind == WQ_CLEAN_BIDI) {
		push_placeholder(g, 0xFFFD, 1, "?", off);
		return;
	}
	w = shown_width(c, g->flags);
	if (w == 0) {
		join_mark(g, c, off);
		return;
	}
	if (w > 0) {
		push(g, (wchar_t)c, w, flags, off);
		return;
	}
	for (k = 0; (amb || narrow) &&
		    k < sizeof ambiguous_alike / sizeof ambiguous_alike[0];
	     k++) {
		wchar_t to =
		    amb ? ambiguous_alike[k].wide : ambiguous_alike[k].narrow;

		if (ambiguous_alike[k].from == c &&
		    shown_width((uint32_t)to, g->flags) == (amb ? 2 : 1)) {
			push(g, to, amb ? 2 : 1, flags, off);
			return;
		}
	}
	/* Not shown as itself: a placeholder as wide as the character. */
	if (eaw_is_wide(c))
		w = 2;
	else if (unicode_zero_width(c))
		w = 0;
	else
		w = amb && eaw_is_ambiguous(c) ? 2 : 1;
	if (w == 0) {
		base = last_cell(g);
		if (base)
			base->flags |= SCR_CELL_PLACEHOLDER;
		return;
	}
	if (w == 2)
		push_placeholder(g, 0xFF1F, 2, "??", off);
	else
		push_placeholder(g, 0xFFFD, 1, "?", off);
}

static void put_control(struct gen *g, uint32_t c, size_t off)
{
	struct scr_cell *cell;
	size_t n;

	if (c == '\t' && (g->flags & SCR_TEXT_TABS)) {
		n = 8 - (g->out->cols - g->line_start) % 8;
		while (n-- > 0)
			if (!push(g, L' ', 1, 0, off))
				return;
		return;
	}
	if (c == '\n' && (g->flags & SCR_TEXT_NL_BREAK)) {
		cell = push(g, L'\0', 0, SCR_CELL_BREAK, off);
		if (cell)
			g->line_start = g->out->cols;
		return;
	}
	if (c == '\n' && (g->flags & SCR_TEXT_NL_SPACE)) {
		push(g, L' ', 1, 0, off);
		return;
	}
	push_control(g, c, off);
}

/* One decoded character, through the escape sequence state machine. */
static void feed(struct gen *g, uint32_t c, size_t off)
{
	if (wq_clean_class(c) == WQ_CLEAN_C1) {
		/* C1: shown as its 7-bit form, ESC and c - 0x40. */
		feed(g, 0x1B, off);
		feed(g, c - 0x40, off);
		return;
	}
	if (c == 0x1B) {
		g->esc = ESC_SEEN;
		push_control(g, c, off);
		return;
	}
	if (wq_clean_class(c) == WQ_CLEAN_C0) {
		g->esc = ESC_NONE;
		put_control(g, c, off);
		return;
	}
	switch (g->esc) {
	case ESC_SEEN:
		if (c == '[')
			g->esc = ESC_CSI;
		else if (c == ']' || c == 'P' || c == 'X' || c == '^' ||
			 c == '_')
			g->esc = ESC_STRING;
		else if (c >= 0x20 && c <= 0x2F)
			g->esc = ESC_NF;
		else if (c >= 0x30 && c <= 0x7E)
			g->esc = ESC_NONE;
		else
			break;
		put_char(g, c, off, SCR_CELL_PLACEHOLDER);
		return;
	case ESC_NF:
		if (c >= 0x20 && c <= 0x7E) {
			if (c >= 0x30)
				g->esc = ESC_NONE;
			put_char(g, c, off, SCR_CELL_PLACEHOLDER);
			return;
		}
		break;
	case ESC_CSI:
		if (c >= 0x20 && c <= 0x7E) {
			if (c >= 0x40)
				g->esc = ESC_NONE;
			put_char(g, c, off, SCR_CELL_PLACEHOLDER);
			return;
		}
		break;
	case ESC_STRING:
		put_char(g, c, off, SCR_CELL_PLACEHOLDER);
		return;
	case ESC_NONE:
		break;
	}
	g->esc = ESC_NONE;
	put_char(g, c, off, 0);
}

static size_t make_cells(const char *utf8, size_t len, int flags, size_t limit,
			 struct scr_cells *out)
{
	const unsigned char *s = (const unsigned char *)utf8;
	struct gen g = {out, flags, limit, 0, ESC_NONE, false};
	size_t i = 0, k, off;
	uint32_t c;

	out->n = 0;
	out->cols = 0;
	if (!s)
		len = 0;
	while (i < len && !g.stop) {
		off = i;
		k = wq_utf8_decode(s + i, len - i, &c);
		if (k == 0) {
			g.esc = ESC_NONE;
			push_placeholder(&g, 0xFFFD, 1, "?", off);
			i++;
			continue;
		}
		i += k;
		if (c == '\r' && i < len && s[i] == '\n' &&
		    (flags & (SCR_TEXT_NL_SPACE | SCR_TEXT_NL_BREAK))) {
			c = '\n';
			i++;
		}
		feed(&g, c, off);
	}
	return out->cols;
}

size_t scr_text_cells(const char *utf8, size_t len, int flags,
		      struct scr_cells *out)
{
	return make_cells(utf8, len, effective_flags(flags), SIZE_MAX, out);
}

int scr_text_width_n(const char *utf8, size_t len, int flags)
{
	struct scr_cells cells = {0};
	size_t w = scr_text_cells(utf8, len, flags, &cells);

	scr_cells_free(&cells);
	return w > INT_MAX ? INT_MAX : (int)w;
}

int scr_text_width(const char *utf8)
{
	return scr_text_width_n(utf8, utf8 ? strlen(utf8) : 0, 0);
}

/* ---- clipping ---- */

void scr_text_fit(const struct scr_cell *cells, size_t n, int max_cols,
		  struct scr_fit *fit)
{
	size_t total = 0, i;
	int avail, cols = 0;

	memset(fit, 0, sizeof *fit);
	for (i = 0; i < n; i++)
		total += cells[i].width;
	if (max_cols >= 0 && total <= (size_t)max_cols) {
		fit->n = n;
		fit->cols = fit->used = (int)total;
		return;
	}
	if (max_cols <= 0)
		return;
	avail = max_cols - 1;
	for (i = 0; i < n && cols + cells[i].width <= avail; i++)
		cols += cells[i].width;
	fit->n = i;
	fit->cols = cols;
	fit->pad = avail - cols;
	fit->cut = true;
	fit->used = max_cols;
}

/* ---- drawing ---- */

static void put_wcs(WINDOW *win, int y, int x, const wchar_t *wcs, attr_t attr)
{
	cchar_t cc;

	if (setcchar(&cc, wcs, attr & ~A_COLOR, (short)PAIR_NUMBER(attr),
		     NULL) == OK)
		(void)mvwadd_wch(win, y, x, &cc);
}

int scr_draw_cells(WINDOW *win, int y, int x, int width,
		   const struct scr_cell *cells, size_t n, attr_t attr,
		   int flags)
{
	const attr_t mark = attr ^ SCR_TEXT_PLACEHOLDER_ATTR;
	static const wchar_t space[] = L" ", question[] = L"?",
			     cut[] = {SCR_TEXT_CUT_MARK, L'\0'};
	struct scr_fit fit;
	int maxy, maxx, col, k;
	size_t i;

	if (!win)
		return 0;
	getmaxyx(win, maxy, maxx);
	if (y < 0 || y >= maxy || x < 0 || x >= maxx || width <= 0)
		return 0;
	if (width > maxx - x)
		width = maxx - x;
	scr_text_fit(cells, n, width, &fit);
	col = x;
	for (i = 0; i < fit.n; i++) {
		const struct scr_cell *c = &cells[i];

		if (c->width == 0)
			continue;
		if (wcwidth(c->wc[0]) != c->width) {
			/* The locale changed since the cells were made: keep
			 * the columns, show nothing unchecked. */
			for (k = 0; k < c->width; k++)
				put_wcs(win, y, col + k, question, mark);
		} else {
			put_wcs(win, y, col, c->wc,
				c->flags & SCR_CELL_PLACEHOLDER ? mark : attr);
		}
		col += c->width;
	}
	for (k = 0; k < fit.pad; k++)
		put_wcs(win, y, col++, space, attr);
	if (fit.cut)
		put_wcs(win, y, col++, cut, mark);
	if (flags & SCR_TEXT_PAD)
		while (col < x + width)
			put_wcs(win, y, col++, space, attr);
	return fit.used;
}

int scr_draw_textn(WINDOW *win, int y, int x, int width, const char *utf8,
		   size_t len, attr_t attr, int flags)
{
	struct scr_cells cells = {0};
	int used;

	if (width < 0)
		width = 0;
	/* Cells beyond width + 1 columns cannot change what is drawn. */
	make_cells(utf8, len, effective_flags(flags), (size_t)width, &cells);
	used = scr_draw_cells(win, y, x, width, cells.v, cells.n, attr, flags);
	scr_cells_free(&cells);
	return used;
}

int scr_draw_text(WINDOW *win, int y, int x, int width, const char *utf8,
		  attr_t attr, int flags)
{
	return scr_draw_textn(win, y, x, width, utf8, utf8 ? strlen(utf8) : 0,
			      attr, flags);
}

/* ---- wrapping ---- */

/* Characters a line should not start with, and should not end with. */
static const wchar_t no_start[] =
    L",.;:?!)]}%，。、；：？！）」』】〉》〕｝］〗〙〛”’…·・％．～";
static const wchar_t no_end[] = L"([{（「『【〈《〔｛［〖〘〚“‘";

static bool is_space(const struct scr_cell *c)
{
	return c->wc[0] == L' ' && c->wc[1] == L'\0' &&
	       !(c->flags & (SCR_CELL_PLACEHOLDER | SCR_CELL_BREAK));
}

static bool in_set(const wchar_t *set, const struct scr_cell *c)
{
	return c->wc[0] != L'\0' && !(c->flags & SCR_CELL_PLACEHOLDER) &&
	       wcschr(set, c->wc[0]) != NULL;
}

/* May a line end between v[k - 1] and v[k] (both non-break cells)? */
static bool can_break_before(const struct scr_cell *v, size_t k)
{
	const struct scr_cell *a = &v[k - 1], *b = &v[k];

	if (is_space(b))
		return false;
	if (is_space(a))
		return true;
	if (in_set(no_start, b) || in_set(no_end, a))
		return false;
	if (a->width == 2 || b->width == 2)
		return true;
	return !(a->flags & SCR_CELL_PLACEHOLDER) &&
	       (a->wc[0] == L'-' || a->wc[0] == L'/') && a->wc[1] == L'\0';
}

static void push_line(struct scr_lines *out, const struct scr_cell *v,
		      size_t first, size_t end)
{
	struct scr_line *l;
	size_t i;
	int cols = 0;

	for (i = first; i < end; i++)
		cols += v[i].width;
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 16;
		out->v = xrealloc(out->v, out->cap * sizeof out->v[0]);
	}
	l = &out->v[out->n++];
	l->first = first;
	l->count = end - first;
	l->cols = cols;
}

size_t scr_text_wrap_cells(const struct scr_cells *cells, int width,
			   struct scr_lines *out)
{
	const struct scr_cell *v = cells->v;
	size_t n = cells->n, i = 0;
	bool para = true;

	out->n = 0;
	if (width < 1)
		width = 1;
	while (i < n) {
		size_t s = i, j, end, next, last = SIZE_MAX;
		bool nonspace = false, soft = false;
		int cols = 0;

		if (!para) {
			/* A continuation line starts after the spaces. */
			while (s < n && is_space(&v[s]))
				s++;
			if (s == n)
				break;
			if (v[s].flags & SCR_CELL_BREAK) {
				i = s + 1;
				para = true;
				continue;
			}
		}
		for (j = s;; j++) {
			if (j == n) {
				end = next = n;
				break;
			}
			if (v[j].flags & SCR_CELL_BREAK) {
				end = j;
				next = j + 1;
				break;
			}
			if (j > s && nonspace && can_break_before(v, j))
				last = j;
			if (j > s && cols + v[j].width > width) {
				soft = true;
				if (is_space(&v[j]) && nonspace)
					end = next = j;
				else if (last != SIZE_MAX)
					end = next = last;
				else
					end = next = j;
				break;
			}
			cols += v[j].width;
			if (!is_space(&v[j]))
				nonspace = true;
		}
		if (soft)
			while (end > s && is_space(&v[end - 1]))
				end--;
		push_line(out, v, s, end);
		para = !soft;
		i = next;
	}
	return out->n;
}

size_t scr_text_wrap(const char *utf8, int width, int flags,
		     struct scr_cells *cells, struct scr_lines *lines)
{
	scr_text_cells(utf8, utf8 ? strlen(utf8) : 0, flags | SCR_TEXT_NL_BREAK,
		       cells);
	return scr_text_wrap_cells(cells, width, lines);
}
