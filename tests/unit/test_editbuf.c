/* Unit tests of screens/editbuf.c: the prompts' editing buffer, without a
 * terminal.
 *
 * The buffer is driven as the prompts drive it, one wchar_t per key, in a
 * UTF-8 locale (C.UTF-8) so wcwidth() knows that a CJK character takes
 * two columns.  One test switches LC_CTYPE to zh_CN.GB18030, the way a
 * desk's terminal runs, to show that the text still reaches the core as
 * UTF-8 (wcrtomb would have produced GB18030 there). */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "screens/editbuf.h"

/* Types a wide string, key by key. */
static void type(struct scr_editbuf *eb, const wchar_t *s)
{
	for (; *s; s++)
		scr_editbuf_insert(eb, *s);
}

/* The buffer's text as UTF-8, compared with the expected. */
static void assert_text(const struct scr_editbuf *eb, const char *want)
{
	char *got = scr_editbuf_utf8(eb);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_insert_chinese_and_latin(void **state)
{
	struct scr_editbuf eb;

	(void)state;
	scr_editbuf_init(&eb, false);
	type(&eb, L"商家拒绝退款");
	type(&eb, L" refund 3999");
	assert_text(&eb, "商家拒绝退款 refund 3999");
	assert_int_equal(eb.len, 18);
	assert_int_equal(eb.cur, 18);
	assert_int_equal(scr_editbuf_col(&eb), 12 + 12);
	/* Insert in the middle: after 商家. */
	scr_editbuf_home(&eb);
	scr_editbuf_right(&eb);
	scr_editbuf_right(&eb);
	type(&eb, L"(TB)");
	assert_text(&eb, "商家(TB)拒绝退款 refund 3999");
	assert_int_equal(scr_editbuf_col(&eb), 4 + 4);
	assert_true(eb.changes > 0);
	scr_editbuf_free(&eb);
}

/* A buffer with a maximum stops growing there, wherever the cursor is:
 * the prompts for statements and notes stop at the core's limit rather
 * than let the user type what will be refused. */
static void test_insert_stops_at_max(void **state)
{
	struct scr_editbuf eb;

	(void)state;
	scr_editbuf_init(&eb, true);
	eb.max = 4;
	type(&eb, L"退款退货");
	assert_false(scr_editbuf_insert(&eb, L'!'));
	scr_editbuf_home(&eb);
	assert_false(scr_editbuf_insert(&eb, L'商'));
	assert_text(&eb, "退款退货");
	scr_editbuf_free(&eb);
}

static void test_column_after_tuikuan_abc(void **state)
{
	struct scr_editbuf eb;

	(void)state;
	scr_editbuf_init(&eb, false);
	type(&eb, L"退款abc");
	assert_int_equal(scr_editbuf_col(&eb), 7);
	assert_int_equal(scr_editbuf_width(&eb, 0, eb.len), 7);
	scr_editbuf_left(&eb);
	assert_int_equal(scr_editbuf_col(&eb), 6);
	scr_editbuf_free(&eb);
}

static void test_cursor_moves_over_wide_characters(void **state)
{
	struct scr_editbuf eb;
	/* Columns of each stop from the end back to the start. */
	static const int cols[] = {7, 6, 5, 4, 2, 0};

	(void)state;
	scr_editbuf_init(&eb, false);
	type(&eb, L"退款abc");
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		assert_int_equal(scr_editbuf_col(&eb), cols[i]);
		assert_int_equal(scr_editbuf_left(&eb), i + 1 < 6);
	}
	assert_int_equal(eb.cur, 0);
	/* Right goes 0 -> 2 -> 4: never column 1 or 3, the middle of a
	 * wide character. */
	scr_editbuf_right(&eb);
	assert_int_equal(scr_editbuf_col(&eb), 2);
	scr_editbuf_right(&eb);
	assert_int_equal(scr_editbuf_col(&eb), 4);
	assert_true(scr_editbuf_end(&eb));
	assert_int_equal(scr_editbuf_col(&eb), 7);
	assert_false(scr_editbuf_right(&eb));
	assert_true(scr_editbuf_home(&eb));
	assert_false(scr_editbuf_home(&eb));
	assert_int_equal(eb.cur, 0);
	scr_editbuf_free(&eb);
}

static void test_combining_mark_is_part_of_its_letter(void **state)
{
	struct scr_editbuf eb;

	(void)state;
	scr_editbuf_init(&eb, false);
	type(&eb, L"Cafe\u0301!"); /* Café with a combining acute */
	assert_int_equal(eb.len, 6);
	assert_int_equal(scr_editbuf_col(&eb), 5);
	scr_editbuf_left(&eb); /* before ! */
	scr_editbuf_left(&eb); /* before e + accent, not between them */
	assert_int_equal(eb.cur, 3);
	assert_false(scr_editbuf_boundary(&eb, 4));
	scr_editbuf_right(&eb);
	assert_int_equal(eb.cur, 5);
	assert_true(scr_editbuf_backspace(&eb)); /* the letter and accent */
	assert_text(&eb, "Caf!");
	scr_editbuf_free(&eb);
}

static void test_backspace_removes_whole_cjk_character(void **state)
{
	struct scr_editbuf eb;

	(void)state;
	scr_editbuf_init(&eb, false);
	type(&eb, L"退款abc");
	scr_editbuf_left(&eb);
	scr_editbuf_left(&eb);
	scr_editbuf_left(&eb);
	assert_true(scr_editbuf_backspace(&eb));
	assert_text(&eb, "退abc");
	assert_int_equal(scr_editbuf_col(&eb), 2);
	assert_true(scr_editbuf_backspace(&eb));
	assert_text(&eb, "abc");
	assert_int_equal(scr_editbuf_col(&eb), 0);
	assert_false(scr_editbuf_backspace(&eb));
	/* Delete forward takes a whole character too. */
	scr_editbuf_clear(&eb);
	type(&eb, L"a退b");
	scr_editbuf_home(&eb);
	scr_editbuf_right(&eb);
	assert_true(scr_editbuf_delete(&eb));
	assert_text(&eb, "ab");
	assert_int_equal(eb.cur, 1);
	scr_editbuf_end(&eb);
	assert_false(scr_editbuf_delete(&eb));
	/* An emoji outside the BMP is one wchar_t and one character. */
	scr_editbuf_clear(&eb);
	type(&eb, L"ok\U0001F600");
	assert_int_equal(eb.len, 3);
	assert_int_equal(scr_editbuf_col(&eb), 4);
	scr_editbuf_backspace(&eb);
	assert_text(&eb, "ok");
	scr_editbuf_free(&eb);
}

static void test_kill_to_start_and_end(void **state)
{
	struct scr_editbuf eb;

	(void)state;
	scr_editbuf_init(&eb, false);
	type(&eb, L"订单号TB2026001");
	scr_editbuf_home(&eb);
	scr_editbuf_right(&eb);
	scr_editbuf_right(&eb);
	scr_editbuf_right(&eb);
	assert_true(scr_editbuf_kill_end(&eb));
	assert_text(&eb, "订单号");
	assert_false(scr_editbuf_kill_end(&eb)); /* nothing after */
	scr_editbuf_left(&eb);
	assert_true(scr_editbuf_kill_start(&eb));
	assert_text(&eb, "号");
	assert_int_equal(eb.cur, 0);
	assert_false(scr_editbuf_kill_start(&eb));
	scr_editbuf_free(&eb);

	/* In a text, the line the cursor is on; ^K at the end of a line
	 * joins the next. */
	scr_editbuf_init(&eb, true);
	type(&eb, L"第一行\n第二行\n第三行");
	scr_editbuf_top(&eb);
	scr_editbuf_vmove(&eb, 40, +1); /* to 第二行, column 0 */
	scr_editbuf_right(&eb);
	assert_true(scr_editbuf_kill_end(&eb));
	assert_text(&eb, "第一行\n第\n第三行");
	assert_true(scr_editbuf_kill_end(&eb));
	assert_text(&eb, "第一行\n第第三行");
	assert_true(scr_editbuf_kill_start(&eb));
	assert_text(&eb, "第一行\n第三行");
	assert_int_equal(scr_editbuf_col(&eb), 0);
	scr_editbuf_free(&eb);
}

static void test_delete_word(void **state)
{
	struct scr_editbuf eb;

	(void)state;
	scr_editbuf_init(&eb, false);
	type(&eb, L"refund of order_no 3999  ");
	assert_true(scr_editbuf_delete_word(&eb)); /* spaces, then 3999 */
	assert_text(&eb, "refund of order_no ");
	assert_true(scr_editbuf_delete_word(&eb));
	assert_text(&eb, "refund of ");
	/* CJK has no spaces: the run of wide characters goes, up to the
	 * punctuation or Latin before it. */
	scr_editbuf_clear(&eb);
	type(&eb, L"TB123退款被拒");
	assert_true(scr_editbuf_delete_word(&eb));
	assert_text(&eb, "TB123");
	scr_editbuf_clear(&eb);
	type(&eb, L"商家拒绝，态度恶劣");
	assert_true(scr_editbuf_delete_word(&eb));
	assert_text(&eb, "商家拒绝，");
	/* Punctuation, wide or not, is a word of its own. */
	assert_true(scr_editbuf_delete_word(&eb));
	assert_text(&eb, "商家拒绝");
	assert_true(scr_editbuf_delete_word(&eb));
	assert_text(&eb, "");
	assert_false(scr_editbuf_delete_word(&eb));
	/* Signs are a word of their own; the cursor may be mid-text. */
	scr_editbuf_clear(&eb);
	type(&eb, L"a--b");
	scr_editbuf_left(&eb);
	assert_true(scr_editbuf_delete_word(&eb));
	assert_text(&eb, "ab");
	assert_int_equal(eb.cur, 1);
	scr_editbuf_free(&eb);

	/* Right after a line break, ^W takes the line break. */
	scr_editbuf_init(&eb, true);
	type(&eb, L"ab\n");
	assert_true(scr_editbuf_delete_word(&eb));
	assert_text(&eb, "ab");
	scr_editbuf_free(&eb);
}

static void test_controls_are_refused(void **state)
{
	struct scr_editbuf eb;

	(void)state;
	scr_editbuf_init(&eb, false);
	assert_false(scr_editbuf_insert(&eb, L'\033'));
	assert_false(scr_editbuf_insert(&eb, L'\n'));
	assert_false(scr_editbuf_insert(&eb, (wchar_t)0x9b)); /* C1 CSI */
	assert_false(scr_editbuf_insert(&eb, (wchar_t)0x7f));
	assert_true(scr_editbuf_insert(&eb, L'\t'));
	assert_text(&eb, " ");
	assert_int_equal(eb.changes, 1);
	/* From UTF-8: line breaks become spaces on one line, controls and
	 * bytes that are not UTF-8 become U+FFFD. */
	assert_true(scr_editbuf_set_utf8(&eb, "a\r\nb\033[31mc\xff"));
	assert_text(&eb, "a b\xEF\xBF\xBD[31mc\xEF\xBF\xBD");
	assert_int_equal(eb.cur, eb.len);
	scr_editbuf_free(&eb);

	scr_editbuf_init(&eb, true);
	assert_true(scr_editbuf_insert(&eb, L'\r'));
	assert_true(scr_editbuf_set_utf8(&eb, "x\r\ny\rz\n"));
	assert_text(&eb, "x\ny\nz\n");
	scr_editbuf_free(&eb);
}

static void test_utf8_round_trip(void **state)
{
	static const char *const texts[] = {
	    "",
	    "plain ASCII",
	    "商家拒絕退款，客服態度惡劣。",
	    "表情 \xF0\x9F\x98\x80 and 👍🏽 flags 🇨🇳",
	    "𠀀𪚥 (CJK Ext. B) € ½ Ωμέγα Привет",
	    "第一行\n第二行\n",
	};
	struct scr_editbuf eb;

	(void)state;
	scr_editbuf_init(&eb, true);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		assert_true(scr_editbuf_set_utf8(&eb, texts[i]));
		assert_text(&eb, texts[i]);
	}
	/* 😀 is one character of two columns. */
	assert_true(scr_editbuf_set_utf8(&eb, "\xF0\x9F\x98\x80"));
	assert_int_equal(eb.len, 1);
	assert_int_equal(scr_editbuf_col(&eb), 2);
	/* Bad sequences: one U+FFFD per bad byte, like the drawing. */
	assert_true(scr_editbuf_set_utf8(&eb, "a\xE4\xB8z\xED\xA0\x80"));
	assert_text(&eb, "a\xEF\xBF\xBD\xEF\xBF\xBDz\xEF\xBF\xBD"
			 "\xEF\xBF\xBD\xEF\xBF\xBD");
	scr_editbuf_free(&eb);

	/* Values that are no character become U+FFFD on the way out. */
	{
		wchar_t bad[] = {L'a', (wchar_t)0xD800, L'b'};
		char *u = scr_wcs_to_utf8(bad, 3);

		assert_string_equal(u, "a\xEF\xBF\xBD"
				       "b");
		free(u);
	}
	{
		size_t n;
		wchar_t *w = scr_utf8_to_wcs("退款\xF0\x9F\x98\x80", &n);

		assert_int_equal(n, 3);
		assert_true(w[0] == 0x9000 && w[1] == 0x6B3E &&
			    w[2] == 0x1F600 && w[3] == 0);
		free(w);
	}
}

static void test_utf8_in_a_gb18030_locale(void **state)
{
	/* 𠀀 (U+20000) and 😀 exist in GB18030 (four bytes each) but not in
	 * GBK: what a desk's GB18030 terminal sends for them. */
	static const char gb[] = "\xCD\xCB\xBF\xEE" /* 退款 */
				 "\x95\x32\x82\x36" /* 𠀀 */
				 "\x94\x39\xFC\x36" /* 😀 */
				 "abc";
	static const char utf8[] = "退款𠀀😀abc";
	char *saved = strdup(setlocale(LC_CTYPE, NULL));
	struct scr_editbuf eb;
	wchar_t keys[32];
	mbstate_t mbs;
	const char *p = gb;
	size_t n;
	char mb[MB_LEN_MAX + 1];

	(void)state;
	if (!setlocale(LC_CTYPE, "zh_CN.GB18030")) {
		printf("# SKIP zh_CN.GB18030 locale not installed\n");
		free(saved);
		return;
	}
	/* The keys as ncursesw decodes them in this locale. */
	memset(&mbs, 0, sizeof(mbs));
	n = mbsrtowcs(keys, &p, 32, &mbs);
	assert_int_equal(n, 7);
	scr_editbuf_init(&eb, false);
	scr_editbuf_insert_wcs(&eb, keys, n);
	/* To the core: UTF-8, not the locale's GB18030. */
	assert_text(&eb, utf8);
	/* wcrtomb is the trap: it speaks the locale's charset. */
	memset(&mbs, 0, sizeof(mbs));
	n = wcrtomb(mb, (wchar_t)0x20000, &mbs);
	assert_int_equal(n, 4);
	assert_memory_equal(mb, "\x95\x32\x82\x36", 4);
	/* Back from UTF-8 (a saved draft) to what the terminal shows. */
	assert_true(scr_editbuf_set_utf8(&eb, "退款abc"));
	assert_int_equal(scr_editbuf_col(&eb), 7);
	{
		char out[64];
		const wchar_t *wp = eb.s;

		memset(&mbs, 0, sizeof(mbs));
		n = wcsrtombs(out, &wp, sizeof(out), &mbs);
		assert_int_equal(n, 7);
		assert_memory_equal(out,
				    "\xCD\xCB\xBF\xEE"
				    "abc",
				    7);
	}
	scr_editbuf_free(&eb);
	setlocale(LC_CTYPE, saved);
	free(saved);
}

static void test_hscroll_keeps_the_cursor_in_the_field(void **state)
{
	struct scr_editbuf eb;
	size_t first = 0;
	int col;

	(void)state;
	scr_editbuf_init(&eb, false);
	/* Typing 30 CJK characters into a 10-column field. */
	for (int i = 0; i < 30; i++) {
		scr_editbuf_insert(&eb, (wchar_t)(0x4E00 + i));
		first = scr_editbuf_hscroll(&eb, first, 10);
		col = scr_editbuf_width(&eb, first, eb.cur);
		assert_true(col >= 0 && col <= 9);
	}
	assert_true(first > 0);
	/* Home shows the start again, End the end. */
	scr_editbuf_home(&eb);
	first = scr_editbuf_hscroll(&eb, first, 10);
	assert_int_equal(first, 0);
	scr_editbuf_end(&eb);
	first = scr_editbuf_hscroll(&eb, first, 10);
	col = scr_editbuf_width(&eb, first, eb.cur);
	assert_true(col <= 9 && col >= 6);
	/* Walking left, the cursor never leaves the field. */
	for (int i = 0; i < 30; i++) {
		scr_editbuf_left(&eb);
		first = scr_editbuf_hscroll(&eb, first, 10);
		assert_true(first <= eb.cur);
		assert_true(scr_editbuf_width(&eb, first, eb.cur) <= 9);
	}
	/* A short text is shown from its start. */
	assert_true(scr_editbuf_set_utf8(&eb, "退款abc"));
	assert_int_equal(scr_editbuf_hscroll(&eb, 3, 10), 0);
	scr_editbuf_free(&eb);
}

static void test_soft_wrap_and_vertical_moves(void **state)
{
	struct scr_editbuf eb;
	struct scr_editrow *rows;
	size_t n, r;
	int col;

	(void)state;
	scr_editbuf_init(&eb, true);
	/* 7 wide characters at width 6: 3 per row; a wide character never
	 * straddles the edge. */
	type(&eb, L"一二三四五六七\nab\n");
	n = scr_editbuf_rows(&eb, 6, &rows);
	assert_int_equal(n, 5);
	assert_true(rows[0].start == 0 && rows[0].end == 3 && rows[0].soft);
	assert_true(rows[1].start == 3 && rows[1].end == 6 && rows[1].soft);
	assert_true(rows[2].start == 6 && rows[2].end == 7 && !rows[2].soft);
	assert_true(rows[3].start == 8 && rows[3].end == 10);
	assert_true(rows[4].start == 11 && rows[4].end == 11); /* empty */
	r = scr_editbuf_cursor_row(&eb, rows, n, &col);
	assert_int_equal(r, 4);
	assert_int_equal(col, 0);
	free(rows);
	/* At width 5 a row takes 2 wide characters (4 columns). */
	n = scr_editbuf_rows(&eb, 5, &rows);
	assert_int_equal(n, 6);
	free(rows);

	/* At a soft break the cursor is at the start of the next row. */
	eb.cur = 3;
	n = scr_editbuf_rows(&eb, 6, &rows);
	r = scr_editbuf_cursor_row(&eb, rows, n, &col);
	assert_int_equal(r, 1);
	assert_int_equal(col, 0);
	free(rows);

	/* Up and Down keep the goal column across a short row. */
	eb.cur = 2; /* column 4 of row 0 */
	assert_true(scr_editbuf_vmove(&eb, 6, +1));
	assert_int_equal(eb.cur, 5); /* 六, column 4 */
	assert_true(scr_editbuf_vmove(&eb, 6, +1));
	assert_int_equal(eb.cur, 7); /* the end of 七, column 2 */
	assert_true(scr_editbuf_vmove(&eb, 6, +1));
	assert_int_equal(eb.cur, 10); /* the end of "ab" */
	assert_true(scr_editbuf_vmove(&eb, 6, -1));
	assert_true(scr_editbuf_vmove(&eb, 6, -1));
	assert_int_equal(eb.cur, 5);
	assert_true(scr_editbuf_vmove(&eb, 6, -1));
	assert_int_equal(eb.cur, 2);
	/* Past the first row: the start; past the last: the end. */
	assert_true(scr_editbuf_vmove(&eb, 6, -1));
	assert_int_equal(eb.cur, 0);
	assert_false(scr_editbuf_vmove(&eb, 6, -1));
	scr_editbuf_bottom(&eb);
	assert_false(scr_editbuf_vmove(&eb, 6, +1));
	scr_editbuf_free(&eb);

	/* On a soft row the cursor never goes to its end, which is the
	 * next row's start. */
	scr_editbuf_init(&eb, true);
	type(&eb, L"一二三abcdef");
	assert_int_equal(scr_editbuf_col(&eb), 12);
	assert_true(scr_editbuf_vmove(&eb, 6, -1)); /* goal: column 6 */
	assert_int_equal(eb.cur, 2);
	assert_true(scr_editbuf_vmove(&eb, 6, +1));
	assert_int_equal(eb.cur, 9);
	scr_editbuf_free(&eb);

	/* Latin words are not cut: a row breaks after a space, or after a
	 * wide character; a word longer than the row is cut. */
	scr_editbuf_init(&eb, true);
	type(&eb, L"refund of order 退款abc xxxxxxxxxxxxxx");
	n = scr_editbuf_rows(&eb, 10, &rows);
	assert_int_equal(n, 5);
	assert_true(rows[0].start == 0 && rows[0].end == 10); /* "refund of " */
	assert_true(rows[1].start == 10 &&
		    rows[1].end == 18); /* "order 退款" */
	assert_true(rows[2].start == 18 && rows[2].end == 22); /* "abc " */
	assert_true(rows[3].start == 22 && rows[3].end == 32);
	assert_true(rows[4].start == 32 && rows[4].end == 36 && !rows[4].soft);
	for (size_t i = 0; i + 1 < n; i++)
		assert_true(rows[i].soft && rows[i].end == rows[i + 1].start);
	free(rows);
	scr_editbuf_free(&eb);

	/* A row does not start with closing punctuation: 劣 goes along. */
	scr_editbuf_init(&eb, true);
	type(&eb, L"态度恶劣。好");
	n = scr_editbuf_rows(&eb, 8, &rows);
	assert_int_equal(n, 2);
	assert_true(rows[0].start == 0 && rows[0].end == 3);
	assert_true(rows[1].start == 3 && rows[1].end == 6);
	free(rows);
	scr_editbuf_free(&eb);

	/* An empty text has one empty row. */
	scr_editbuf_init(&eb, true);
	n = scr_editbuf_rows(&eb, 10, &rows);
	assert_int_equal(n, 1);
	assert_true(rows[0].start == 0 && rows[0].end == 0);
	free(rows);
	scr_editbuf_free(&eb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_insert_chinese_and_latin),
	    cmocka_unit_test(test_insert_stops_at_max),
	    cmocka_unit_test(test_column_after_tuikuan_abc),
	    cmocka_unit_test(test_cursor_moves_over_wide_characters),
	    cmocka_unit_test(test_combining_mark_is_part_of_its_letter),
	    cmocka_unit_test(test_backspace_removes_whole_cjk_character),
	    cmocka_unit_test(test_kill_to_start_and_end),
	    cmocka_unit_test(test_delete_word),
	    cmocka_unit_test(test_controls_are_refused),
	    cmocka_unit_test(test_utf8_round_trip),
	    cmocka_unit_test(test_utf8_in_a_gb18030_locale),
	    cmocka_unit_test(test_hscroll_keeps_the_cursor_in_the_field),
	    cmocka_unit_test(test_soft_wrap_and_vertical_moves),
	};

	if (!setlocale(LC_CTYPE, "C.UTF-8") &&
	    !setlocale(LC_CTYPE, "en_US.UTF-8")) {
		printf("# no UTF-8 locale: widths are unknown\n");
		return 99;
	}
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("editbuf", tests, NULL, NULL);
}
