/* libFuzzer target: the console's sanitizer (screens/text.c), and the
 * command line's (src/clean.c).
 *
 * Every input is turned into cells, fitted and wrapped in each locale the
 * console runs in (UTF-8, GB18030, Big5) with each flag that changes the
 * cells, and what comes out is checked against the promises of text.h:
 * nothing that a terminal would act on is left in a cell, every cell is one
 * or two columns wide as the locale's wcwidth says (ncurses moves by it, so
 * any disagreement misaligns the columns after it), widths add up, fitting
 * never overflows, wrapping never overflows or loses a character.  The
 * command line's text and JSON hold no such character either, nor bytes
 * that are not UTF-8 (or the locale's charset).  A broken promise aborts,
 * so libFuzzer keeps the input as a reproducer. */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "screens/text.h"
#include "weiquan/clean.h"
#include "weiquan/encoding.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The console's locales, in the order tried; a missing one is skipped
 * (LLVMFuzzerInitialize says which), C.UTF-8 stands in for zh_CN.UTF-8. */
static const char *const locale_names[][2] = {
    {"zh_CN.UTF-8", "C.UTF-8"},
    {"zh_CN.GB18030", "zh_CN.gb18030"},
    {"zh_TW.BIG5", "zh_TW.big5"},
};
#define N_LOCALES (sizeof locale_names / sizeof locale_names[0])
static locale_t locales[N_LOCALES];

static const int flag_sets[] = {
    0,
    SCR_TEXT_TABS,
    SCR_TEXT_NL_SPACE,
    SCR_TEXT_NL_BREAK | SCR_TEXT_TABS,
    SCR_TEXT_AMBIGUOUS_WIDE,
    SCR_TEXT_NL_BREAK | SCR_TEXT_AMBIGUOUS_WIDE,
};
static const int fit_widths[] = {-1, 0, 1, 2, 3, 7, 80};
static const int wrap_widths[] = {0, 1, 2, 3, 7, 40};

/* Which check failed, where, and in which locale and flags: enough to
 * tell a reproducer's story without a debugger. */
static const char *current_locale;
static int current_flags;

static void violated(const char *what, size_t index, uint32_t value)
{
	fprintf(stderr,
		"fuzz_text: %s (cell or line %zu, value 0x%X) in %s with flags "
		"0x%x\n",
		what, index, (unsigned)value, current_locale, current_flags);
	abort();
}

static bool is_bidi_control(uint32_t c)
{
	return c == 0x061C || c == 0x200E || c == 0x200F ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

static bool is_dropped(uint32_t c)
{
	return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF ||
	       c == 0xFE0F;
}

/* A character that must never reach a terminal as itself, or that the
 * locale cannot send without a control byte in its encoding. */
static void check_char(wchar_t wc, size_t i)
{
	uint32_t c = (uint32_t)wc;
	char bytes[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F))
		violated("control character in a cell", i, c);
	if (c >= 0xD800 && c <= 0xDFFF)
		violated("surrogate in a cell", i, c);
	if (c > 0x10FFFF)
		violated("not a code point in a cell", i, c);
	if (is_bidi_control(c))
		violated("bidi control in a cell", i, c);
	if (is_dropped(c))
		violated("zero-width character kept in a cell", i, c);
	memset(&st, 0, sizeof st);
	n = wcrtomb(bytes, wc, &st);
	if (n == (size_t)-1 || n == 0)
		violated("character the locale cannot encode", i, c);
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)bytes[k] < 0x20 ||
		    (unsigned char)bytes[k] == 0x7F)
			violated("control byte in the locale's encoding", i, c);
}

/* What the command line writes (wq_clean_text, wq_clean_json): UTF-8
 * with nothing a terminal obeys; LF and TAB only where allowed, CR only
 * before LF. */
static void check_clean_utf8(const char *s, bool lines)
{
	size_t len = strlen(s), i = 0, k;
	uint32_t c;

	while (i < len) {
		k = wq_utf8_decode(s + i, len - i, &c);
		if (k == 0)
			violated("command line output is not UTF-8", i,
				 (unsigned char)s[i]);
		if (!(lines && (c == '\n' || c == '\t' ||
				(c == '\r' && s[i + 1] == '\n'))))
			check_char((wchar_t)c, i);
		i += k;
	}
}

/* What the command line writes in the locale's charset (wq_clean_mbs). */
static void check_clean_mbs(const char *s)
{
	size_t len = strlen(s), i = 0, n;
	mbstate_t st;
	wchar_t wc;

	memset(&st, 0, sizeof st);
	while (i < len) {
		n = mbrtowc(&wc, s + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2)
			violated("command line output is not the locale's "
				 "charset",
				 i, (unsigned char)s[i]);
		check_char(wc, i);
		i += n;
	}
}

static void check_command_line(const char *text, size_t size)
{
	char *nul_ended = strndup(text, size), *out;

	out = wq_clean_mbs(nul_ended);
	check_clean_mbs(out);
	free(out);
	free(nul_ended);
	if (strcmp(current_locale, locale_names[0][0]) != 0)
		return;
	out = wq_clean_text(text, size, 0);
	check_clean_utf8(out, false);
	free(out);
	out = wq_clean_text(text, size, WQ_CLEAN_KEEP_LINES);
	check_clean_utf8(out, true);
	free(out);
	out = wq_clean_json(text, size);
	check_clean_utf8(out, true);
	free(out);
}

static void check_cells(const struct scr_cells *cells, size_t len)
{
	size_t cols = 0, last_off = 0;

	for (size_t i = 0; i < cells->n; i++) {
		const struct scr_cell *c = &cells->v[i];

		if (c->off < last_off)
			violated("cell offsets go backwards", i,
				 (uint32_t)c->off);
		if (c->off >= len)
			violated("cell offset beyond the input", i,
				 (uint32_t)c->off);
		last_off = c->off;
		if (c->flags & ~(SCR_CELL_PLACEHOLDER | SCR_CELL_BREAK))
			violated("unknown cell flag", i, c->flags);
		if (c->flags & SCR_CELL_BREAK) {
			if (c->width != 0 || c->wc[0] != L'\0')
				violated("a break cell with content", i,
					 c->width);
			continue;
		}
		if (c->width != 1 && c->width != 2)
			violated("cell width neither 1 nor 2", i, c->width);
		if (c->wc[0] == L'\0')
			violated("empty cell", i, 0);
		if (wcwidth(c->wc[0]) != c->width)
			violated("cell width is not the locale's wcwidth", i,
				 (uint32_t)c->wc[0]);
		check_char(c->wc[0], i);
		for (size_t k = 1; k < SCR_CELL_CHARS && c->wc[k]; k++) {
			if (wcwidth(c->wc[k]) != 0)
				violated("a joined mark takes columns", i,
					 (uint32_t)c->wc[k]);
			check_char(c->wc[k], i);
		}
		if (c->wc[SCR_CELL_CHARS] != L'\0')
			violated("cell not terminated", i, 0);
		cols += c->width;
	}
	if (cols != cells->cols)
		violated("widths do not add up to cols", cells->n,
			 (uint32_t)cells->cols);
}

static void check_fit(const struct scr_cells *cells)
{
	for (size_t k = 0; k < sizeof fit_widths / sizeof fit_widths[0]; k++) {
		int max = fit_widths[k], cols = 0;
		struct scr_fit fit;

		scr_text_fit(cells->v, cells->n, max, &fit);
		if (fit.n > cells->n)
			violated("fit shows more cells than there are", fit.n,
				 (uint32_t)max);
		for (size_t i = 0; i < fit.n; i++)
			cols += cells->v[i].width;
		if (cols != fit.cols)
			violated("fit miscounts its columns", fit.n,
				 (uint32_t)max);
		if (fit.used != fit.cols + fit.pad + (fit.cut ? 1 : 0))
			violated("fit's used is not cols + pad + cut", fit.n,
				 (uint32_t)max);
		if (fit.pad < 0 || fit.pad > 1)
			violated("fit pads more than one column", fit.n,
				 (uint32_t)fit.pad);
		if (max >= 0 && fit.used > max)
			violated("fit exceeds the width", fit.n, (uint32_t)max);
		/* With no column at all there is no room for the mark. */
		if (max > 0 && !fit.cut && fit.n != cells->n)
			violated("cells left out without a cut mark", fit.n,
				 (uint32_t)max);
		if (max <= 0 && cells->cols > 0 && fit.used != 0)
			violated("something shown in no columns", fit.n,
				 (uint32_t)max);
		if (fit.cut && max > 0 && cells->cols <= (size_t)max)
			violated("cut although everything fits", fit.n,
				 (uint32_t)max);
	}
}

/* A space that a soft line break may swallow (text.c's is_space). */
static bool swallowable(const struct scr_cell *c)
{
	return c->wc[0] == L' ' && c->wc[1] == L'\0' &&
	       !(c->flags & (SCR_CELL_PLACEHOLDER | SCR_CELL_BREAK));
}

static void check_wrap(const struct scr_cells *cells)
{
	struct scr_lines lines = {0};

	for (size_t k = 0; k < sizeof wrap_widths / sizeof wrap_widths[0];
	     k++) {
		int width = wrap_widths[k] < 1 ? 1 : wrap_widths[k];
		size_t next = 0;

		scr_text_wrap_cells(cells, wrap_widths[k], &lines);
		for (size_t l = 0; l < lines.n; l++) {
			const struct scr_line *line = &lines.v[l];
			int cols = 0;

			if (line->first < next ||
			    line->first + line->count > cells->n)
				violated("lines out of order or beyond the "
					 "cells",
					 l, (uint32_t)line->first);
			/* Between lines only spaces and breaks may go. */
			for (size_t i = next; i < line->first; i++)
				if (!swallowable(&cells->v[i]) &&
				    !(cells->v[i].flags & SCR_CELL_BREAK))
					violated("wrapping lost a character", i,
						 (uint32_t)cells->v[i].wc[0]);
			for (size_t i = line->first;
			     i < line->first + line->count; i++) {
				if (cells->v[i].flags & SCR_CELL_BREAK)
					violated("a line holds a break", i,
						 (uint32_t)width);
				cols += cells->v[i].width;
			}
			if (cols != line->cols)
				violated("a line miscounts its columns", l,
					 (uint32_t)cols);
			if (cols > width &&
			    !(width == 1 && line->count == 1 && cols == 2))
				violated("a wrapped line exceeds the width", l,
					 (uint32_t)width);
			next = line->first + line->count;
		}
		for (size_t i = next; i < cells->n; i++)
			if (!swallowable(&cells->v[i]) &&
			    !(cells->v[i].flags & SCR_CELL_BREAK))
				violated("wrapping lost the last characters", i,
					 (uint32_t)cells->v[i].wc[0]);
	}
	scr_lines_free(&lines);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < N_LOCALES; i++) {
		for (size_t k = 0; k < 2 && !locales[i]; k++)
			locales[i] = newlocale(LC_CTYPE_MASK,
					       locale_names[i][k], (locale_t)0);
		if (!locales[i])
			fprintf(stderr,
				"fuzz_text: locale %s missing, skipped\n",
				locale_names[i][0]);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct scr_cells cells = {0};

	for (size_t l = 0; l < N_LOCALES; l++) {
		locale_t old;

		if (!locales[l])
			continue;
		old = uselocale(locales[l]);
		current_locale = locale_names[l][0];
		for (size_t f = 0; f < sizeof flag_sets / sizeof flag_sets[0];
		     f++) {
			size_t cols;

			current_flags = flag_sets[f];
			cols = scr_text_cells(text, size, flag_sets[f], &cells);
			if (cols != cells.cols)
				violated("returned width is not cols", 0,
					 (uint32_t)cols);
			check_cells(&cells, size);
			if ((size_t)scr_text_width_n(text, size,
						     flag_sets[f]) != cols)
				violated("scr_text_width_n disagrees", 0,
					 (uint32_t)cols);
			check_fit(&cells);
			check_wrap(&cells);
		}
		current_flags = 0;
		check_command_line(text, size);
		uselocale(old);
	}
	scr_cells_free(&cells);
	return 0;
}
