/* Unit tests of screens/text.c: UTF-8 to display cells, clipping, wrapping
 * and drawing through ncursesw.
 *
 * Cells are checked against tables written as UTF-8 text: the expected
 * display (each cell's characters, "\n" for a line break) and a mask with
 * one letter per cell, 'p' for a placeholder, '.' for the text itself, '|'
 * for a break.  WQ_TESTDATA names the folder of the shared third-party test
 * files; the tests that need them, or the GB18030 and Big5 locales, print a
 * "# SKIP" line and pass without them (cmocka 1.1.5's skip() reports
 * "not ok ... # SKIP", which Automake's TAP driver counts as a failure). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "screens/text.h"
#include "weiquan/clean.h"

#define AMB SCR_TEXT_AMBIGUOUS_WIDE

/* ---- helpers ---- */

static void use_locale(const char *name)
{
	if (!setlocale(LC_ALL, name))
		fail_msg("locale %s is missing", name);
}

/* Switch LC_ALL to name; false (after a SKIP line) if it is missing. */
static bool try_locale(const char *name, const char *test)
{
	if (setlocale(LC_ALL, name))
		return true;
	printf("# SKIP %s: locale %s is missing\n", test, name);
	setlocale(LC_ALL, "C.UTF-8");
	return false;
}

/* Append code point c to p as UTF-8, independent of the locale. */
static char *put_utf8(char *p, uint32_t c)
{
	if (c < 0x80) {
		*p++ = (char)c;
	} else if (c < 0x800) {
		*p++ = (char)(0xC0 | c >> 6);
		*p++ = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*p++ = (char)(0xE0 | c >> 12);
		*p++ = (char)(0x80 | (c >> 6 & 0x3F));
		*p++ = (char)(0x80 | (c & 0x3F));
	} else {
		*p++ = (char)(0xF0 | c >> 18);
		*p++ = (char)(0x80 | (c >> 12 & 0x3F));
		*p++ = (char)(0x80 | (c >> 6 & 0x3F));
		*p++ = (char)(0x80 | (c & 0x3F));
	}
	return p;
}

/* Cells [first, first + n) as UTF-8 text and mask (static buffers). */
static void dump_cells(const struct scr_cell *v, size_t n, const char **text,
		       const char **mask)
{
	static char tbuf[65536], mbuf[16384];
	char *t = tbuf, *m = mbuf;
	size_t i, k;

	assert_true(n < sizeof mbuf);
	for (i = 0; i < n; i++) {
		assert_true((size_t)(t - tbuf) + 4 * (SCR_CELL_CHARS + 1) <
			    sizeof tbuf);
		if (v[i].flags & SCR_CELL_BREAK) {
			*t++ = '\n';
			*m++ = '|';
			continue;
		}
		for (k = 0; v[i].wc[k]; k++)
			t = put_utf8(t, (uint32_t)v[i].wc[k]);
		*m++ = v[i].flags & SCR_CELL_PLACEHOLDER ? 'p' : '.';
	}
	*t = '\0';
	*m = '\0';
	*text = tbuf;
	*mask = mbuf;
}

/* Every cell is safe to send to the terminal in the current locale: no
 * control character, each character encodable with no control byte (ESC
 * above all), widths 1 or 2 that agree with wcwidth, marks of width 0, and
 * cols the sum of the widths. */
static void assert_cells_safe(const struct scr_cells *c, const char *what)
{
	size_t i, k, j, cols = 0;

	for (i = 0; i < c->n; i++) {
		const struct scr_cell *cell = &c->v[i];

		cols += cell->width;
		if (cell->flags & SCR_CELL_BREAK) {
			if (cell->width != 0 || cell->wc[0] != 0)
				fail_msg("%s: cell %zu: bad break", what, i);
			continue;
		}
		if (cell->width < 1 || cell->width > 2 || cell->wc[0] == 0)
			fail_msg("%s: cell %zu: width %d", what, i,
				 cell->width);
		if (wcwidth(cell->wc[0]) != cell->width)
			fail_msg("%s: cell %zu: U+%04X has wcwidth %d, cell %d",
				 what, i, (unsigned)cell->wc[0],
				 wcwidth(cell->wc[0]), cell->width);
		for (k = 0; cell->wc[k]; k++) {
			uint32_t ch = (uint32_t)cell->wc[k];
			char buf[MB_LEN_MAX];
			mbstate_t st;
			size_t n;

			if (k >= SCR_CELL_CHARS)
				fail_msg("%s: cell %zu: too many marks", what,
					 i);
			if (ch < 0x20 || ch == 0x7F ||
			    (ch >= 0x80 && ch <= 0x9F) ||
			    (ch >= 0xD800 && ch <= 0xDFFF) || ch > 0x10FFFF)
				fail_msg("%s: cell %zu: U+%04X", what, i,
					 (unsigned)ch);
			if (k > 0 && wcwidth(cell->wc[k]) != 0)
				fail_msg("%s: cell %zu: mark U+%04X not 0 wide",
					 what, i, (unsigned)ch);
			memset(&st, 0, sizeof st);
			n = wcrtomb(buf, cell->wc[k], &st);
			if (n == (size_t)-1)
				fail_msg("%s: cell %zu: U+%04X not encodable",
					 what, i, (unsigned)ch);
			for (j = 0; j < n; j++)
				if ((unsigned char)buf[j] < 0x20 ||
				    buf[j] == 0x7F)
					fail_msg("%s: cell %zu: U+%04X encodes "
						 "to byte 0x%02X",
						 what, i, (unsigned)ch,
						 (unsigned char)buf[j]);
		}
	}
	if (cols != c->cols)
		fail_msg("%s: cols %zu, widths add up to %zu", what, c->cols,
			 cols);
}

/* A whole file from $WQ_TESTDATA, malloc'd; NULL (after a SKIP line) when
 * the variable is unset. */
static char *read_testdata(const char *name, size_t *len, const char *test)
{
	const char *dir = getenv("WQ_TESTDATA");
	char path[4096];
	char *buf;
	long size;
	FILE *f;

	if (!dir || !*dir) {
		printf("# SKIP %s: WQ_TESTDATA is not set\n", test);
		return NULL;
	}
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	buf = malloc((size_t)size);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return buf;
}

/* Is [s, s + len) valid UTF-8, by iconv, independently of the code under
 * test? */
static bool iconv_valid_utf8(const char *s, size_t len)
{
	iconv_t cd = iconv_open("UTF-32LE", "UTF-8");
	char *in = (char *)s, *out, *op;
	size_t il = len, ol = len * 4 + 8, r;

	assert_true(cd != (iconv_t)-1);
	out = malloc(ol);
	assert_non_null(out);
	op = out;
	r = iconv(cd, &in, &il, &op, &ol);
	iconv_close(cd);
	free(out);
	return r != (size_t)-1 && il == 0;
}

/* ---- tests ---- */

static void test_widths(void **state)
{
	static const struct {
		const char *s;
		int cols;
		size_t cells;
	} cases[] = {
		{"", 0, 0},
		{"abc", 3, 3},
		{"中文", 4, 2},
		{"退款abc中文", 11, 7},
		{"a中b", 4, 3},
		{"订单号TB2026001", 15, 12},
		{"ｆｕｌｌ", 8, 4},	/* fullwidth Latin */
		{"한국어", 6, 3},
		{"e\xcc\x81", 1, 1},	/* e + COMBINING ACUTE */
		{"中\xcc\x81文", 4, 2},
		{"\xf0\x9f\x98\x80", 2, 1}, /* emoji */
		{"\t", 1, 1},		/* placeholder */
		{"a\nb", 3, 3},		/* placeholder */
		{"\xe2\x80\x8b", 0, 0}, /* ZERO WIDTH SPACE, dropped */
	};
	struct scr_cells c = {0};
	size_t i;

	(void)state;
	use_locale("C.UTF-8");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *s = cases[i].s;

		if (scr_text_width(s) != cases[i].cols)
			fail_msg("\"%s\": width %d, want %d", s,
				 scr_text_width(s), cases[i].cols);
		assert_int_equal(scr_text_cells(s, strlen(s), 0, &c),
				 (size_t)cases[i].cols);
		if (c.n != cases[i].cells)
			fail_msg("\"%s\": %zu cells, want %zu", s, c.n,
				 cases[i].cells);
		assert_cells_safe(&c, s);
	}
	assert_int_equal(scr_text_width(NULL), 0);
	assert_int_equal(scr_text_width_n("a\tb", 3, SCR_TEXT_TABS), 9);
	scr_cells_free(&c);
	assert_null(c.v);
}

static void test_cells_table(void **state)
{
	static const struct {
		const char *name, *in;
		size_t len; /* 0: strlen(in) */
		int flags;
		const char *text, *mask;
	} cases[] = {
		{"ascii", "abc", 0, 0, "abc", "..."},
		{"cjk", "中文", 0, 0, "中文", ".."},
		{"bad byte", "a\xff" "b", 0, 0, "a\xef\xbf\xbd" "b", ".p."},
		{"stray continuation", "\x80\xbf", 0, 0,
		 "\xef\xbf\xbd\xef\xbf\xbd", "pp"},
		{"overlong slash", "\xc0\xaf", 0, 0,
		 "\xef\xbf\xbd\xef\xbf\xbd", "pp"},
		{"overlong 3-byte", "\xe0\x80\xaf", 0, 0,
		 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "ppp"},
		{"surrogate", "\xed\xa0\x80", 0, 0,
		 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "ppp"},
		{"beyond U+10FFFF", "\xf4\x90\x80\x80", 0, 0,
		 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "pppp"},
		{"cut short", "\xe4\xb8" "a", 0, 0,
		 "\xef\xbf\xbd\xef\xbf\xbd" "a", "pp."},
		{"cut at end", "\xe4\xb8", 0, 0, "\xef\xbf\xbd\xef\xbf\xbd",
		 "pp"},
		{"NUL inside", "a\0b", 3, 0, "a␀b", ".p."},
		{"C0 and DEL", "\x01\x07\x08\x0b\x0c\x7f", 0, 0, "␁␇␈␋␌␡",
		 "pppppp"},
		{"CSI colour", "\x1b[31mred\x1b[0m", 0, 0, "␛[31mred␛[0m",
		 "ppppp...pppp"},
		{"CSI private", "\x1b[?1049hx", 0, 0, "␛[?1049hx",
		 "pppppppp."},
		{"CSI cut by non-ASCII", "\x1b[1;2中", 0, 0, "␛[1;2中",
		 "ppppp."},
		{"CSI cut by control", "\x1b[12\nx", 0, 0, "␛[12␊x",
		 "ppppp."},
		{"8-bit CSI", "\xc2\x9b" "31mX", 0, 0, "␛[31mX", "ppppp."},
		{"OSC title BEL", "\x1b]0;pwned\x07ok", 0, 0, "␛]0;pwned␇ok",
		 "pppppppppp.."},
		{"OSC 8 hyperlink", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
		 0, 0, "␛]8;;http://x␛\\link␛]8;;␛\\",
		 "ppppppppppppppp....ppppppp"},
		{"OSC 52 clipboard", "\x1b]52;c;ZWNobw==\x07", 0, 0,
		 "␛]52;c;ZWNobw==␇", "pppppppppppppppp"},
		{"8-bit OSC", "\xc2\x9d" "2;t\xc2\x9c" "z", 0, 0, "␛]2;t␛\\z",
		 "ppppppp."},
		{"DCS", "\x1bP1$r\x1b\\z", 0, 0, "␛P1$r␛\\z", "ppppppp."},
		{"8-bit DCS", "\xc2\x90q\xc2\x9c", 0, 0, "␛Pq␛\\", "ppppp"},
		{"APC with 8-bit ST", "\x1b_hi\xc2\x9cz", 0, 0, "␛_hi␛\\z",
		 "pppppp."},
		{"PM and SOS", "\x1b^a\x1b\\\x1bXb\x1b\\", 0, 0,
		 "␛^a␛\\␛Xb␛\\", "pppppppppp"},
		{"OSC Chinese title", "\x1b]0;标题\x07", 0, 0, "␛]0;标题␇",
		 "ppppppp"},
		{"two-byte ESC (RIS)", "\x1b" "cz", 0, 0, "␛cz", "pp."},
		{"nF charset", "\x1b(Bz", 0, 0, "␛(Bz", "ppp."},
		{"lone ESC", "\x1b中", 0, 0, "␛中", "p."},
		{"ESC at end", "a\x1b", 0, 0, "a␛", ".p"},
		{"C1 NEL", "\xc2\x85", 0, 0, "␛E", "pp"},
		{"raw C1 byte", "\x9b" "31m", 0, 0, "\xef\xbf\xbd" "31m",
		 "p..."},
		{"tab placeholder", "a\tb", 0, 0, "a␉b", ".p."},
		{"tab expanded", "a\tb", 0, SCR_TEXT_TABS, "a       b",
		 "........."},
		{"tab after CJK", "中\tb", 0, SCR_TEXT_TABS, "中      b",
		 "........"},
		{"tab per line", "ab\n\tc", 0, SCR_TEXT_TABS | SCR_TEXT_NL_BREAK,
		 "ab\n        c", "..|........."},
		{"newline placeholders", "a\r\nb", 0, 0, "a␍␊b", ".pp."},
		{"newline as space", "a\r\nb\nc", 0, SCR_TEXT_NL_SPACE, "a b c",
		 "....."},
		{"newline as break", "a\r\nb\nc", 0, SCR_TEXT_NL_BREAK,
		 "a\nb\nc", ".|.|."},
		{"lone CR", "a\rb", 0, SCR_TEXT_NL_SPACE, "a␍b", ".p."},
		{"RLO", "a\xe2\x80\xae" "b", 0, 0, "a\xef\xbf\xbd" "b", ".p."},
		{"isolates", "\xe2\x81\xa6x\xe2\x81\xa9", 0, 0,
		 "\xef\xbf\xbdx\xef\xbf\xbd", "p.p"},
		{"LRM ALM", "\xe2\x80\x8e\xd8\x9c", 0, 0,
		 "\xef\xbf\xbd\xef\xbf\xbd", "pp"},
		{"zero-width dropped",
		 "a\xe2\x80\x8b" "b\xe2\x80\x8d\xef\xbb\xbf" "c\xe2\x81\xa0", 0,
		 0, "abc", "..."},
		{"emoji presentation dropped", "\xe2\x98\xba\xef\xb8\x8f", 0, 0,
		 "\xe2\x98\xba", "."},
		{"combining", "e\xcc\x81", 0, 0, "e\xcc\x81", "."},
		{"lone mark", "\xcc\x81" "a", 0, 0, " \xcc\x81" "a", "p."},
		{"mark after break", "a\n\xcc\x81", 0, SCR_TEXT_NL_BREAK,
		 "a\n \xcc\x81", ".|p"},
		{"four marks kept", "a\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85\xcc\x86",
		 0, 0, "a\xcc\x81\xcc\x82\xcc\x83\xcc\x84", "."},
		{"emoji", "\xf0\x9f\x98\x80", 0, 0, "\xf0\x9f\x98\x80", "."},
		{"unassigned", "\xcd\xb8", 0, 0, "\xef\xbf\xbd", "p"},
		{"noncharacter", "\xef\xbf\xbf", 0, 0, "\xef\xbf\xbd", "p"},
		{"line separator", "\xe2\x80\xa8", 0, 0, "\xef\xbf\xbd", "p"},
	};
	struct scr_cells c = {0};
	const char *text, *mask;
	size_t i;

	(void)state;
	use_locale("C.UTF-8");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *in = cases[i].in;
		size_t len = cases[i].len ? cases[i].len : strlen(in);

		scr_text_cells(in, len, cases[i].flags, &c);
		assert_cells_safe(&c, cases[i].name);
		dump_cells(c.v, c.n, &text, &mask);
		if (strcmp(text, cases[i].text) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].name,
				 text, cases[i].text);
		if (strcmp(mask, cases[i].mask) != 0)
			fail_msg("%s: mask %s, want %s", cases[i].name, mask,
				 cases[i].mask);
	}
	/* Offsets point at the source of each cell. */
	scr_text_cells("a中\x1b[1m", 8, 0, &c);
	assert_int_equal(c.n, 6);
	assert_int_equal(c.v[1].off, 1);
	assert_int_equal(c.v[2].off, 4);
	assert_int_equal(c.v[5].off, 7);
	scr_cells_free(&c);
}

static void test_fit_every_width(void **state)
{
	static const struct {
		const char *shown; /* cells, padding, '>' for the cut mark */
		int used;
	} want[] = {
		{"", 0},	   {">", 1},	     {" >", 2},
		{"退>", 3},	   {"退 >", 4},	     {"退款>", 5},
		{"退款a>", 6},	   {"退款ab>", 7},   {"退款abc>", 8},
		{"退款abc >", 9},  {"退款abc中>", 10}, {"退款abc中文", 11},
		{"退款abc中文", 11},
	};
	struct scr_cells c = {0};
	struct scr_fit fit;
	char buf[128];
	const char *text, *mask;
	int w;

	(void)state;
	use_locale("C.UTF-8");
	assert_int_equal(scr_text_cells("退款abc中文", strlen("退款abc中文"),
					0, &c),
			 11);
	for (w = 0; w <= 12; w++) {
		scr_text_fit(c.v, c.n, w, &fit);
		dump_cells(c.v, fit.n, &text, &mask);
		snprintf(buf, sizeof buf, "%s%s%s", text, fit.pad ? " " : "",
			 fit.cut ? ">" : "");
		if (strcmp(buf, want[w].shown) != 0 || fit.used != want[w].used)
			fail_msg("width %d: \"%s\" in %d columns, want \"%s\" "
				 "in %d",
				 w, buf, fit.used, want[w].shown, want[w].used);
		/* The invariants behind the table. */
		assert_int_equal(fit.cols + fit.pad + (fit.cut ? 1 : 0),
				 fit.used);
		assert_true(fit.used <= w);
		assert_true(fit.pad == 0 || fit.pad == 1);
		if (fit.cut) {
			assert_int_equal(fit.used, w);
			assert_true(fit.n < c.n);
			/* the next cell did not fit whole before the mark */
			assert_true(fit.cols + c.v[fit.n].width > w - 1);
		} else {
			assert_int_equal(fit.n, w == 0 ? 0 : c.n);
		}
	}
	scr_text_fit(c.v, c.n, -3, &fit);
	assert_int_equal(fit.used, 0);
	assert_int_equal(fit.n, 0);
	scr_cells_free(&c);
}

/* Control and escape bytes of a line: what must come out as placeholders. */
static bool has_control(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char b = (unsigned char)s[i];

		if ((b < 0x20 && b != '\t') || b == 0x7F)
			return true;
		if (b == 0xC2 && i + 1 < len &&
		    (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F)
			return true;
	}
	return false;
}

static bool has_placeholder(const struct scr_cells *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].flags & SCR_CELL_PLACEHOLDER)
			return true;
	return false;
}

/* Every blns.txt line in the current locale with several flag sets. */
static size_t check_blns(const char *buf, size_t len, const char *where)
{
	static const int flag_sets[] = {
		0, SCR_TEXT_TABS | SCR_TEXT_NL_BREAK, AMB,
		SCR_TEXT_NL_SPACE | AMB,
	};
	struct scr_cells c = {0};
	char what[128];
	size_t start = 0, lines = 0, f;

	while (start < len) {
		const char *nl = memchr(buf + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - buf) : len;
		char *line = malloc(end - start + 1); /* exact size: no
							 over-read unseen */

		assert_non_null(line);
		memcpy(line, buf + start, end - start);
		for (f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++) {
			snprintf(what, sizeof what, "%s blns line %zu flags %d",
				 where, lines + 1, flag_sets[f]);
			scr_text_cells(line, end - start, flag_sets[f], &c);
			assert_cells_safe(&c, what);
			if (has_control(line, end - start) &&
			    !has_placeholder(&c))
				fail_msg("%s: controls left no placeholder",
					 what);
		}
		free(line);
		lines++;
		start = end + 1;
	}
	scr_cells_free(&c);
	return lines;
}

static void test_blns(void **state)
{
	static const char *const want =
		"Roses are ␛[0;31mred␛[0m, violets are ␛[0;34mblue. Hope you "
		"enjoy terminal hue";
	struct scr_cells c = {0};
	const char *text, *mask, *p;
	size_t len;
	char *buf;

	(void)state;
	buf = read_testdata("blns.txt", &len, "test_blns");
	if (!buf)
		return;
	use_locale("C.UTF-8");
	assert_true(check_blns(buf, len, "C.UTF-8") > 600);

	p = strstr(buf, "Roses are ");
	assert_non_null(p);
	scr_text_cells(p, strcspn(p, "\n"), 0, &c);
	dump_cells(c.v, c.n, &text, &mask);
	assert_string_equal(text, want);
	assert_int_equal(strncmp(mask, "..........ppppppp...pppp.", 25), 0);

	if (try_locale("zh_CN.GB18030", "test_blns (GB18030 part)"))
		check_blns(buf, len, "zh_CN.GB18030");
	if (try_locale("zh_TW.BIG5", "test_blns (Big5 part)"))
		check_blns(buf, len, "zh_TW.BIG5");
	use_locale("C.UTF-8");
	scr_cells_free(&c);
	free(buf);
}

static void test_kuhn_utf8_test(void **state)
{
	struct scr_cells c = {0};
	size_t len, start = 0, lines = 0, invalid = 0, i, k, fffd;
	bool seen4461 = false;
	char what[64];
	char *buf;

	(void)state;
	buf = read_testdata("UTF-8-test.txt", &len, "test_kuhn_utf8_test");
	if (!buf)
		return;
	use_locale("C.UTF-8");
	assert_true(len > 4461);
	assert_int_equal((unsigned char)buf[4461], 0xF8);
	while (start < len) {
		const char *nl = memchr(buf + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - buf) : len;
		char *line = malloc(end - start + 1);

		assert_non_null(line);
		memcpy(line, buf + start, end - start);
		snprintf(what, sizeof what, "UTF-8-test line %zu", lines + 1);
		scr_text_cells(line, end - start, 0, &c);
		assert_cells_safe(&c, what);
		for (i = fffd = 0; i < c.n; i++)
			if ((c.v[i].flags & SCR_CELL_PLACEHOLDER) &&
			    c.v[i].wc[0] == 0xFFFD)
				fffd++;
		if (!iconv_valid_utf8(line, end - start)) {
			invalid++;
			if (fffd == 0)
				fail_msg("%s: invalid but no U+FFFD", what);
		}
		if (start <= 4461 && 4461 < end) {
			/* The first invalid byte, F8 of a 5-byte form: each of
			 * its 5 bytes is one U+FFFD. */
			for (i = 0; i < c.n && c.v[i].off != 4461 - start; i++)
				;
			assert_true(i + 5 <= c.n);
			for (k = 0; k < 5; k++) {
				assert_int_equal(c.v[i + k].wc[0], 0xFFFD);
				assert_int_equal(c.v[i + k].off,
						 4461 - start + k);
			}
			seen4461 = true;
		}
		free(line);
		lines++;
		start = end + 1;
	}
	assert_int_equal(lines, 300);
	assert_true(invalid > 50);
	assert_true(seen4461);
	scr_cells_free(&c);
	free(buf);
}

static void test_ambiguous(void **state)
{
	static const struct {
		const char *s;
		int narrow, wide;
		const char *wide_text, *wide_mask;
	} cases[] = {
		{"①", 1, 2, "？", "p"},
		{"“", 1, 2, "＂", "."},
		{"”", 1, 2, "＂", "."},
		{"·", 1, 2, "・", "."},
		{"×", 1, 2, "？", "p"},
		{"α", 1, 2, "？", "p"},
		{"a", 1, 1, "a", "."},
		{"中", 2, 2, "中", "."},
		{"\xff", 1, 1, "?", "p"}, /* U+FFFD is ambiguous too */
		{"\x1b", 1, 1, "␛", "p"}, /* control pictures are not */
	};
	struct scr_cells c = {0};
	const char *text, *mask;
	size_t i;

	(void)state;
	use_locale("C.UTF-8");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *s = cases[i].s;

		assert_int_equal(scr_text_width_n(s, strlen(s), 0),
				 cases[i].narrow);
		assert_int_equal(scr_text_width_n(s, strlen(s), AMB),
				 cases[i].wide);
		scr_text_cells(s, strlen(s), AMB, &c);
		assert_cells_safe(&c, s);
		dump_cells(c.v, c.n, &text, &mask);
		assert_string_equal(text, cases[i].wide_text);
		assert_string_equal(mask, cases[i].wide_mask);
		/* The process-wide setting does the same. */
		assert_false(scr_text_ambiguous_wide());
		scr_text_set_ambiguous_wide(true);
		assert_int_equal(scr_text_width(s), cases[i].wide);
		scr_text_set_ambiguous_wide(false);
		assert_int_equal(scr_text_width(s), cases[i].narrow);
	}
	/* Where the locale itself says 2 (glibc's GB18030), the character is
	 * shown as itself, with or without the option. */
	if (try_locale("zh_CN.GB18030", "test_ambiguous (GB18030 part)")) {
		for (i = 0; i < 2; i++) {
			scr_text_cells("①“", strlen("①“"), i ? AMB : 0, &c);
			assert_cells_safe(&c, "GB18030 ①“");
			dump_cells(c.v, c.n, &text, &mask);
			assert_string_equal(text, "①“");
			assert_string_equal(mask, "..");
			assert_int_equal(c.cols, 4);
		}
	}
	use_locale("C.UTF-8");
	scr_cells_free(&c);
}

/* A terminal that draws ambiguous characters narrow behind a GB18030 or
 * Big5 locale (luit on a UTF-8 terminal): what the locale makes 2 wide and
 * Unicode does not is never sent, and counts 1 column. */
static void test_ambiguous_narrow(void **state)
{
	static const struct {
		const char *locale, *in, *text, *mask;
		size_t cols;
	} cases[] = {
		{"zh_CN.GB18030", "①“×é中", "?\"??中", "p.pp.", 6},
		{"zh_CN.GB18030", "‘·’", "'.'", "...", 3},
		{"zh_CN.GB18030", "αЖ", "??", "pp", 2},
		{"zh_CN.GB18030", "\xff", "?", "p", 1},
		{"zh_TW.BIG5", "α”這", "?\"這", "p..", 4},
		{"zh_TW.BIG5", "这", "？", "p", 2},
		/* UTF-8 already says 1: nothing to change */
		{"C.UTF-8", "①“×", "①“×", "...", 3},
	};
	struct scr_cells c = {0};
	const char *text, *mask;
	char what[128];
	size_t i;
	int wide;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (!try_locale(cases[i].locale, "test_ambiguous_narrow"))
			continue;
		snprintf(what, sizeof what, "%s case %zu", cases[i].locale, i);
		scr_text_cells(cases[i].in, strlen(cases[i].in),
			       SCR_TEXT_AMBIGUOUS_NARROW, &c);
		assert_cells_safe(&c, what);
		dump_cells(c.v, c.n, &text, &mask);
		if (strcmp(text, cases[i].text) != 0 ||
		    strcmp(mask, cases[i].mask) != 0 || c.cols != cases[i].cols)
			fail_msg("%s: \"%s\" %s %zu, want \"%s\" %s %zu", what,
				 text, mask, c.cols, cases[i].text,
				 cases[i].mask, cases[i].cols);
		/* The process-wide setting does the same; wide wins. */
		wide = scr_text_width_n(cases[i].in, strlen(cases[i].in), AMB);
		scr_text_set_ambiguous_narrow(true);
		assert_true(scr_text_ambiguous_narrow());
		assert_int_equal(scr_text_width(cases[i].in), cases[i].cols);
		assert_int_equal(scr_text_width_n(cases[i].in,
						  strlen(cases[i].in), AMB),
				 wide);
		scr_text_set_ambiguous_wide(true);
		assert_false(scr_text_ambiguous_narrow());
		scr_text_set_ambiguous_wide(false);
	}
	/* Line drawing: UTF-8 only, and not where ambiguous is wide. */
	use_locale("C.UTF-8");
	assert_true(scr_text_line_drawing());
	scr_text_set_ambiguous_wide(true);
	assert_false(scr_text_line_drawing());
	scr_text_set_ambiguous_wide(false);
	if (try_locale("zh_CN.GB18030", "test_ambiguous_narrow"))
		assert_false(scr_text_line_drawing());
	use_locale("C.UTF-8");
	scr_cells_free(&c);
}

static void test_cjk_locales(void **state)
{
	static const struct {
		const char *locale, *in, *text, *mask;
		size_t cols;
	} cases[] = {
		{"zh_CN.GB18030", "\xf0\x9f\x98\x80", "？", "p", 2}, /* 😀 */
		{"zh_CN.GB18030", "\xf0\x9f\x91\x8d", "？", "p", 2}, /* 👍 */
		{"zh_CN.GB18030", "这這中", "这這中", "...", 6},
		/* U+FFFD and the control pictures are four bytes in GB18030,
		 * which luit (it knows GBK only) garbles: ASCII instead. */
		{"zh_CN.GB18030", "\x1b[1m", "^[[1m", "ppppp", 5},
		{"zh_CN.GB18030", "\xff", "?", "p", 1},
		{"zh_TW.BIG5", "\xf0\x9f\x98\x80", "？", "p", 2},
		{"zh_TW.BIG5", "这", "？", "p", 2},
		{"zh_TW.BIG5", "這裡", "這裡", "..", 4},
		{"zh_TW.BIG5", "退款这個", "退款？個", "..p.", 8},
		{"zh_TW.BIG5", "\x1b[1m", "^[[1m", "ppppp", 5},
		{"zh_TW.BIG5", "\x7f\x01", "^?^A", "pppp", 4},
		{"zh_TW.BIG5", "\xff", "?", "p", 1},
		{"zh_TW.BIG5", "e\xcc\x81", "e", "p", 1},
		{"zh_TW.BIG5", "é", "?", "p", 1},
		/* LANG unset: ASCII only, a wide character becomes "??" */
		{"C", "中é\x1b[m", "???^[[m", "ppppppp", 7},
		{"C", "ok\tx", "ok^Ix", "..pp.", 5},
	};
	struct scr_cells c = {0};
	const char *text, *mask, *skipped = "";
	char what[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (strcmp(skipped, cases[i].locale) == 0)
			continue;
		if (!try_locale(cases[i].locale, "test_cjk_locales")) {
			skipped = cases[i].locale;
			continue;
		}
		snprintf(what, sizeof what, "%s case %zu", cases[i].locale, i);
		scr_text_cells(cases[i].in, strlen(cases[i].in), 0, &c);
		assert_cells_safe(&c, what);
		dump_cells(c.v, c.n, &text, &mask);
		if (strcmp(text, cases[i].text) != 0 ||
		    strcmp(mask, cases[i].mask) != 0 || c.cols != cases[i].cols)
			fail_msg("%s: \"%s\" %s %zu, want \"%s\" %s %zu", what,
				 text, mask, c.cols, cases[i].text,
				 cases[i].mask, cases[i].cols);
	}
	use_locale("C.UTF-8");
	scr_cells_free(&c);
}

/* Lines of a wrap, joined with '|'. */
static const char *join_lines(const struct scr_cells *c,
			      const struct scr_lines *l)
{
	static char buf[8192];
	const char *text, *mask;
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < l->n; i++) {
		dump_cells(c->v + l->v[i].first, l->v[i].count, &text, &mask);
		if (i > 0)
			strcat(buf, "|");
		assert_true(strlen(buf) + strlen(text) + 2 < sizeof buf);
		strcat(buf, text);
	}
	return buf;
}

static void test_wrap_table(void **state)
{
	static const struct {
		const char *in;
		int width;
		size_t lines;
		const char *want;
	} cases[] = {
		{"", 10, 0, ""},
		{"abc\n", 10, 1, "abc"},
		{"\n", 10, 1, ""},
		{"ab\n\ncd\n", 10, 3, "ab||cd"},
		{"the quick brown fox", 10, 2, "the quick|brown fox"},
		{"hello world", 5, 2, "hello|world"},
		{"hello   world  ", 7, 2, "hello|world  "},
		{"  ab cd ef", 6, 2, "  ab|cd ef"},
		{"aaaaaaaaaaaaaaaaaaaa", 8, 3, "aaaaaaaa|aaaaaaaa|aaaa"},
		{"a-b-c-d", 4, 2, "a-b-|c-d"},
		{"中文中文中文", 5, 3, "中文|中文|中文"},
		{"中文中文中文", 4, 3, "中文|中文|中文"},
		{"退款，不行", 4, 3, "退|款，|不行"},
		{"他说「退款」", 6, 3, "他说|「退|款」"},
		{"订单号TB2026已退款", 8, 3, "订单号|TB2026已|退款"},
		{"订单号TB2026001已退款", 8, 3, "订单号|TB202600|1已退款"},
		{"中\xcc\x81文", 2, 2, "中\xcc\x81|文"},
		{"\x1b[31mred", 4, 2, "␛[31|mred"},
		{"中文", 1, 2, "中|文"}, /* too narrow: a line each */
		{"ab cd\n  ef", 4, 3, "ab|cd|  ef"},
		{"ab cd\n  ef", 3, 4, "ab|cd|  e|f"},
		{"ab   \n\ncd", 2, 3, "ab||cd"},
	};
	struct scr_cells c = {0};
	struct scr_lines l = {0};
	const char *got;
	size_t i, k;

	(void)state;
	use_locale("C.UTF-8");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = scr_text_wrap(cases[i].in, cases[i].width, 0, &c,
					 &l);

		got = join_lines(&c, &l);
		if (n != cases[i].lines || l.n != n ||
		    strcmp(got, cases[i].want) != 0)
			fail_msg("wrap \"%s\" at %d: %zu lines \"%s\", want "
				 "%zu \"%s\"",
				 cases[i].in, cases[i].width, n, got,
				 cases[i].lines, cases[i].want);
		for (k = 0; k < l.n; k++)
			if (cases[i].width >= 2 && l.v[k].cols > cases[i].width)
				fail_msg("wrap \"%s\": line %zu is %d wide",
					 cases[i].in, k, l.v[k].cols);
	}
	scr_lines_free(&l);
	scr_cells_free(&c);
}

#define STATEMENT                                                             \
	"我于2026年3月5日在该店购买了一台电视机，使用不到一周就无法开机。" \
	"联系客服要求退货，商家以“已过无理由退货期限”为由拒绝退款，"      \
	"并且态度恶劣。请求平台协调处理，退还货款3999元。"

static void test_wrap_statement(void **state)
{
	struct scr_cells c = {0};
	struct scr_lines l = {0};
	char text[4096] = "";
	size_t chars = 0, i, k, next;
	int width;

	(void)state;
	use_locale("C.UTF-8");
	/* A statement of 200 characters. */
	while (chars < 200) {
		const char *p = STATEMENT;

		while (*p && chars < 200) {
			size_t n = mblen(p, MB_CUR_MAX);

			assert_true(n > 0);
			strncat(text, p, n);
			p += n;
			chars++;
		}
	}
	assert_int_equal(mbstowcs(NULL, text, 0), 200);
	for (width = 2; width <= 80; width++) {
		scr_text_wrap(text, width, 0, &c, &l);
		assert_true(l.n >= c.cols / (size_t)width);
		next = 0;
		for (k = 0; k < l.n; k++) {
			const struct scr_line *line = &l.v[k];
			int cols = 0;

			if (line->cols > width)
				fail_msg("width %d: line %zu is %d columns",
					 width, k, line->cols);
			for (i = line->first; i < line->first + line->count;
			     i++)
				cols += c.v[i].width;
			assert_int_equal(cols, line->cols);
			/* Lines follow each other; only spaces between. */
			for (i = next; i < line->first; i++)
				assert_int_equal(c.v[i].wc[0], L' ');
			next = line->first + line->count;
			if (k > 0 && width >= 4 &&
			    (c.v[line->first].wc[0] == L'，' ||
			     c.v[line->first].wc[0] == L'。'))
				fail_msg("width %d: line %zu starts with "
					 "punctuation", width, k);
			if (width == 37 && k + 1 < l.n)
				assert_true(line->cols >= 33);
		}
		assert_int_equal(next, c.n);
	}
	scr_lines_free(&l);
	scr_cells_free(&c);
}

/* ---- drawing ---- */

/* Row y of win from column 0 to ncols as UTF-8 (stepping over the second
 * column of a wide character) and a mask: 'r' for a reverse-video glyph,
 * 'b' for bold, '.' otherwise. */
static void dump_row(WINDOW *win, int y, int ncols, char *text, char *mask)
{
	int x;

	for (x = 0; x < ncols; x++) {
		wchar_t wcs[CCHARW_MAX + 1];
		cchar_t cc;
		attr_t attrs;
		short pair;
		int k;

		assert_int_equal(mvwin_wch(win, y, x, &cc), OK);
		assert_int_equal(getcchar(&cc, wcs, &attrs, &pair, NULL), OK);
		for (k = 0; wcs[k]; k++)
			text = put_utf8(text, (uint32_t)wcs[k]);
		*mask++ = attrs & A_REVERSE ? 'r' : attrs & A_BOLD ? 'b' : '.';
		if (wcwidth(wcs[0]) == 2)
			x++;
	}
	*text = '\0';
	*mask = '\0';
}

static void test_draw(void **state)
{
	static const struct {
		const char *in;
		int x, width, flags;
		attr_t attr;
		int ret;
		const char *row, *mask; /* 20 columns */
	} cases[] = {
		{"中文abc", 0, 20, 0, 0, 7, "中文abc             ",
		 ".................."},
		{"退款abc中文", 0, 9, 0, 0, 9, "退款abc >           ",
		 "......r..........."},
		{"退款abc中文", 2, 4, 0, 0, 4, "  退 >              ",
		 "....r.............."},
		{"a\x1b[31mb\x1b]0;t\x07", 0, 20, 0, 0, 13,
		 "a␛[31mb␛]0;t␇       ", ".rrrrr.rrrrrr......."},
		{"x", 3, 5, SCR_TEXT_PAD, A_BOLD, 1, "   x                ",
		 "...bbbbb............"},
		{"abcdefgh", 5, 4, 0, 0, 4, "     abc>           ",
		 "........r..........."},
		{"中", 18, 2, 0, 0, 2, "                  中", "..................."},
		{"中", 19, 5, 0, 0, 1, "                   >",
		 "...................r"},
		{"ab", 20, 5, 0, 0, 0, "                    ",
		 "...................."},
		{"ab", 0, 0, SCR_TEXT_PAD, 0, 0, "                    ",
		 "...................."},
		{"\xe4\xb8\xad\xcc\x81x\xe2\x80\xae", 0, 20, 0, A_REVERSE, 4,
		 "中\xcc\x81x\xef\xbf\xbd                ",
		 "rr................."},
	};
	char text[512], mask[64];
	FILE *out, *in;
	SCREEN *scr;
	WINDOW *win;
	size_t i;

	(void)state;
	use_locale("C.UTF-8");
	setenv("TERM", "xterm-256color", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	assert_non_null(out);
	assert_non_null(in);
	scr = newterm(NULL, out, in);
	assert_non_null(scr);
	win = newwin(3, 20, 0, 0);
	assert_non_null(win);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int ret;

		werase(win);
		ret = scr_draw_text(win, 1, cases[i].x, cases[i].width,
				    cases[i].in, cases[i].attr,
				    cases[i].flags);
		dump_row(win, 1, 20, text, mask);
		if (ret != cases[i].ret || strcmp(text, cases[i].row) != 0 ||
		    strcmp(mask, cases[i].mask) != 0)
			fail_msg("draw %zu: %d \"%s\" %s, want %d \"%s\" %s",
				 i, ret, text, mask, cases[i].ret,
				 cases[i].row, cases[i].mask);
		/* Rows above and below are untouched. */
		dump_row(win, 0, 20, text, mask);
		assert_string_equal(text, "                    ");
		dump_row(win, 2, 20, text, mask);
		assert_string_equal(text, "                    ");
	}
	/* Out of the window, or no window: nothing. */
	assert_int_equal(scr_draw_text(win, 3, 0, 5, "ab", 0, 0), 0);
	assert_int_equal(scr_draw_text(win, -1, 0, 5, "ab", 0, 0), 0);
	assert_int_equal(scr_draw_text(NULL, 0, 0, 5, "ab", 0, 0), 0);
	delwin(win);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

/* Wrapped lines drawn with scr_draw_cells, and the same in Big5. */
static void test_draw_wrapped_and_big5(void **state)
{
	struct scr_cells c = {0};
	struct scr_lines l = {0};
	char text[512], mask[64];
	FILE *out, *in;
	SCREEN *scr;
	WINDOW *win;
	size_t k;

	(void)state;
	use_locale("C.UTF-8");
	setenv("TERM", "xterm-256color", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	assert_non_null(out);
	assert_non_null(in);
	scr = newterm(NULL, out, in);
	assert_non_null(scr);
	win = newpad(4, 10);
	assert_non_null(win);
	assert_int_equal(scr_text_wrap("商家拒绝退款，客服态度恶劣", 9, 0, &c,
				       &l),
			 4);
	for (k = 0; k < l.n; k++)
		scr_draw_cells(win, (int)k, 0, 9, c.v + l.v[k].first,
			       l.v[k].count, 0, SCR_TEXT_PAD);
	dump_row(win, 0, 10, text, mask);
	assert_string_equal(text, "商家拒绝  ");
	dump_row(win, 1, 10, text, mask);
	assert_string_equal(text, "退款，客  ");
	dump_row(win, 2, 10, text, mask);
	assert_string_equal(text, "服态度恶  ");
	dump_row(win, 3, 10, text, mask);
	assert_string_equal(text, "劣        ");
	delwin(win);
	endwin();
	delscreen(scr);

	if (try_locale("zh_TW.BIG5", "test_draw_wrapped_and_big5 (Big5)")) {
		scr = newterm(NULL, out, in);
		assert_non_null(scr);
		win = newwin(1, 20, 0, 0);
		assert_non_null(win);
		werase(win);
		assert_int_equal(scr_draw_text(win, 0, 0, 20,
					       "这這\xf0\x9f\x98\x80\x1b[m", 0,
					       0),
				 10);
		dump_row(win, 0, 20, text, mask);
		assert_string_equal(text, "？這？^[[m          ");
		assert_string_equal(mask, "r.rrrrr..........");
		delwin(win);
		endwin();
		delscreen(scr);
	}
	use_locale("C.UTF-8");
	fclose(out);
	fclose(in);
	scr_lines_free(&l);
	scr_cells_free(&c);
}

/* The command line shows what the console classifies (weiquan/clean.h)
 * as the console does: for every such character, in a UTF-8 locale,
 * wq_clean_text gives the characters of the console's cells. */
static void test_clean_text_agrees(void **state)
{
	struct scr_cells cells = {0};
	char utf8[8], shown[64];
	size_t checked = 0;

	(void)state;
	use_locale("C.UTF-8");
	for (uint32_t c = 0; c <= 0x10FFFF; c++) {
		mbstate_t st;
		size_t len, k, used = 0;
		char *clean;

		if ((c >= 0xD800 && c <= 0xDFFF) ||
		    wq_clean_class(c) == WQ_CLEAN_PLAIN)
			continue;
		memset(&st, 0, sizeof(st));
		len = c ? wcrtomb(utf8, (wchar_t)c, &st) : 1;
		if (!c)
			utf8[0] = '\0';
		scr_text_cells(utf8, len, 0, &cells);
		for (size_t i = 0; i < cells.n; i++)
			for (k = 0; cells.v[i].wc[k]; k++) {
				memset(&st, 0, sizeof(st));
				used += wcrtomb(shown + used, cells.v[i].wc[k],
						&st);
			}
		shown[used] = '\0';
		clean = wq_clean_text(utf8, len, 0);
		if (strcmp(clean, shown) != 0)
			fail_msg("U+%04X: the command line shows \"%s\", the "
				 "console \"%s\"",
				 (unsigned)c, clean, shown);
		free(clean);
		checked++;
	}
	/* C0 and DEL, C1, 12 bidi controls, 6 zero-width characters. */
	assert_int_equal(checked, 33 + 32 + 12 + 6);
	scr_cells_free(&cells);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_cells_table),
		cmocka_unit_test(test_fit_every_width),
		cmocka_unit_test(test_blns),
		cmocka_unit_test(test_kuhn_utf8_test),
		cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_ambiguous_narrow),
		cmocka_unit_test(test_cjk_locales),
		cmocka_unit_test(test_wrap_table),
		cmocka_unit_test(test_wrap_statement),
		cmocka_unit_test(test_draw),
		cmocka_unit_test(test_draw_wrapped_and_big5),
		cmocka_unit_test(test_clean_text_agrees),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
