/* Unit tests of src/convert.c: Simplified <-> Traditional through OpenCC,
 * with the real data files Debian installs (libopencc-data). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "weiquan/convert.h"

static void assert_converts(const char *in, enum wq_script to,
			    const char *want)
{
	char *out = (char *)1;

	assert_int_equal(wq_convert(in, strlen(in), to, &out), WQ_ERR_OK);
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

/* Each row both ways: simplified -> traditional and back. */
static const struct {
	const char *simplified, *traditional;
} pairs[] = {
	{"质量问题", "質量問題"},
	{"发货", "發貨"},
	{"退款", "退款"}, /* the same in both scripts */
	{"商家拒绝退款，客服态度恶劣。", "商家拒絕退款，客服態度惡劣。"},
	{"收到的手机屏幕有划痕", "收到的手機屏幕有劃痕"},
	{"头发", "頭髮"}, /* one simplified character, two traditional */
	{"后来", "後來"},
};

static void test_pairs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		assert_converts(pairs[i].simplified, WQ_SCRIPT_TRADITIONAL,
				pairs[i].traditional);
		assert_converts(pairs[i].traditional, WQ_SCRIPT_SIMPLIFIED,
				pairs[i].simplified);
	}
}

/* Converting text already in the target script changes nothing. */
static void test_idempotent(void **state)
{
	(void)state;
	assert_converts("質量問題，發貨", WQ_SCRIPT_TRADITIONAL,
			"質量問題，發貨");
	assert_converts("质量问题，发货", WQ_SCRIPT_SIMPLIFIED,
			"质量问题，发货");
	assert_converts("", WQ_SCRIPT_TRADITIONAL, "");
}

/* Only Han characters change: order numbers, Latin, emoji, full-width
 * forms, tabs, newlines and escape sequences come through byte for byte. */
static void test_non_han_unchanged(void **state)
{
	(void)state;
	assert_converts("订单TB2026001 发货 😀 ok\t¥99.00\nＡＢＣ１２３",
			WQ_SCRIPT_TRADITIONAL,
			"訂單TB2026001 發貨 😀 ok\t¥99.00\nＡＢＣ１２３");
	assert_converts("Order TB2026001: refund 1299 yuan, café naïve",
			WQ_SCRIPT_TRADITIONAL,
			"Order TB2026001: refund 1299 yuan, café naïve");
	assert_converts("a\033[31m红\033[0m\a\x01 \xe2\x80\xae bidi",
			WQ_SCRIPT_TRADITIONAL,
			"a\033[31m紅\033[0m\a\x01 \xe2\x80\xae bidi");
}

/* Bytes that are not UTF-8 are kept where they were (OpenCC alone would
 * refuse the whole text), and the valid text around them is converted. */
static void test_invalid_bytes_kept(void **state)
{
	(void)state;
	assert_converts("发\xff货\xc0\xaf问题\xe5\x8f", WQ_SCRIPT_TRADITIONAL,
			"發\xff貨\xc0\xaf問題\xe5\x8f");
	assert_converts("\x80", WQ_SCRIPT_SIMPLIFIED, "\x80");
	/* OpenCC would take F0 and the next three bytes as one character
	 * and lose 发. */
	assert_converts("\xf0发货", WQ_SCRIPT_TRADITIONAL, "\xf0發貨");
}

/* len is honoured, and the text stops at a NUL. */
static void test_length(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(wq_convert("发货问题", 6, WQ_SCRIPT_TRADITIONAL, &out),
			 WQ_ERR_OK);
	assert_string_equal(out, "發貨");
	free(out);
	assert_int_equal(wq_convert("发货\0问题", 13, WQ_SCRIPT_TRADITIONAL,
				    &out),
			 WQ_ERR_OK);
	assert_string_equal(out, "發貨");
	free(out);
}

static void test_no_target(void **state)
{
	char *out = (char *)1;

	(void)state;
	assert_int_equal(wq_convert("发货", 6, WQ_SCRIPT_UNKNOWN, &out),
			 WQ_ERR_INVALID);
	assert_null(out);
}

static void assert_guess(const char *text, enum wq_script want)
{
	enum wq_script got = (enum wq_script)-1;

	assert_int_equal(wq_script_guess(text, strlen(text), &got),
			 WQ_ERR_OK);
	if (got != want)
		fail_msg("'%s' guessed %s, not %s", text, wq_script_name(got),
			 wq_script_name(want));
}

static void test_guess(void **state)
{
	(void)state;
	assert_guess("收到的手机屏幕有划痕，商家拒绝退款。",
		     WQ_SCRIPT_SIMPLIFIED);
	assert_guess("商家拒絕退款，客服態度惡劣。請求平台協調處理。",
		     WQ_SCRIPT_TRADITIONAL);
	/* Mostly one script with a word of the other: the majority wins. */
	assert_guess("质量问题很多，发货也慢，質量", WQ_SCRIPT_SIMPLIFIED);
	assert_guess("質量問題很多，發貨也慢，质量", WQ_SCRIPT_TRADITIONAL);
	/* Nothing that differs between the scripts. */
	assert_guess("退款", WQ_SCRIPT_UNKNOWN);
	assert_guess("refund 1299", WQ_SCRIPT_UNKNOWN);
	assert_guess("", WQ_SCRIPT_UNKNOWN);
}

/* Only the start of a long text decides: a Simplified page followed by
 * more Traditional text than the page holds is still Simplified. */
static void test_guess_reads_the_start(void **state)
{
	const char *simp = "质量问题发货";
	const char *trad = "質量問題發貨";
	size_t n = WQ_SCRIPT_GUESS_BYTES / strlen(simp) + 1, at = 0;
	char *text = malloc(2 * n * strlen(simp) + 1);
	enum wq_script got;

	(void)state;
	assert_non_null(text);
	for (size_t i = 0; i < n; i++, at += strlen(simp))
		memcpy(text + at, simp, strlen(simp));
	for (size_t i = 0; i < n; i++, at += strlen(trad))
		memcpy(text + at, trad, strlen(trad));
	text[at] = '\0';
	assert_int_equal(wq_script_guess(text, at, &got), WQ_ERR_OK);
	assert_int_equal(got, WQ_SCRIPT_SIMPLIFIED);
	free(text);
}

static void test_locale(void **state)
{
	(void)state;
	assert_int_equal(wq_script_of_locale("zh_TW.UTF-8"),
			 WQ_SCRIPT_TRADITIONAL);
	assert_int_equal(wq_script_of_locale("zh_TW"), WQ_SCRIPT_TRADITIONAL);
	assert_int_equal(wq_script_of_locale("zh_HK.UTF-8"),
			 WQ_SCRIPT_TRADITIONAL);
	assert_int_equal(wq_script_of_locale("zh_MO"), WQ_SCRIPT_TRADITIONAL);
	assert_int_equal(wq_script_of_locale("zh_CN.GB18030"),
			 WQ_SCRIPT_SIMPLIFIED);
	assert_int_equal(wq_script_of_locale("zh_SG.UTF-8"),
			 WQ_SCRIPT_SIMPLIFIED);
	assert_int_equal(wq_script_of_locale("zh"), WQ_SCRIPT_SIMPLIFIED);
	assert_int_equal(wq_script_of_locale("C.UTF-8"), WQ_SCRIPT_UNKNOWN);
	assert_int_equal(wq_script_of_locale("en_US.UTF-8"),
			 WQ_SCRIPT_UNKNOWN);
	assert_int_equal(wq_script_of_locale("zu_ZA"), WQ_SCRIPT_UNKNOWN);
	assert_int_equal(wq_script_of_locale(NULL), WQ_SCRIPT_UNKNOWN);
}

static void assert_target(const char *text, enum wq_script reader,
			  enum wq_script want)
{
	enum wq_script to = (enum wq_script)-1;

	assert_int_equal(wq_script_target(text, strlen(text), reader, &to),
			 WQ_ERR_OK);
	if (to != want)
		fail_msg("'%s' for a %s reader goes to %s, not %s", text,
			 wq_script_name(reader), wq_script_name(to),
			 wq_script_name(want));
}

/* The other script than the text's, whoever reads it; the reader's own
 * when the text does not tell. */
static void test_target(void **state)
{
	(void)state;
	assert_target("质量问题", WQ_SCRIPT_SIMPLIFIED, WQ_SCRIPT_TRADITIONAL);
	assert_target("质量问题", WQ_SCRIPT_TRADITIONAL,
		      WQ_SCRIPT_TRADITIONAL);
	assert_target("質量問題", WQ_SCRIPT_TRADITIONAL, WQ_SCRIPT_SIMPLIFIED);
	assert_target("質量問題", WQ_SCRIPT_UNKNOWN, WQ_SCRIPT_SIMPLIFIED);
	assert_target("退款", WQ_SCRIPT_TRADITIONAL, WQ_SCRIPT_TRADITIONAL);
	assert_target("退款", WQ_SCRIPT_SIMPLIFIED, WQ_SCRIPT_SIMPLIFIED);
	assert_target("退款", WQ_SCRIPT_UNKNOWN, WQ_SCRIPT_SIMPLIFIED);
}

/* Without the OpenCC data: a clear error naming the package, no output,
 * and everything works again once the data is back. */
static void test_missing_data(void **state)
{
	char dir[] = "/tmp/wq-opencc-XXXXXX", *out = (char *)1;
	enum wq_script got = WQ_SCRIPT_SIMPLIFIED;

	(void)state;
	assert_non_null(mkdtemp(dir));
	wq_convert_set_datadir(dir);
	assert_int_equal(wq_convert("发货", 6, WQ_SCRIPT_TRADITIONAL, &out),
			 WQ_ERR_NOT_FOUND);
	assert_null(out);
	assert_non_null(strstr(wq_err_detail(), "s2t.json"));
	assert_non_null(strstr(wq_err_detail(), "libopencc-data"));
	assert_int_equal(wq_script_guess("发货", 6, &got), WQ_ERR_NOT_FOUND);
	assert_int_equal(got, WQ_SCRIPT_UNKNOWN);
	wq_convert_set_datadir(NULL);
	rmdir(dir);
	assert_converts("发货", WQ_SCRIPT_TRADITIONAL, "發貨");
}

/* A reader in Taiwan gets Taiwan's forms (OpenCC s2tw, tw2s); the others
 * OpenCC's standard Traditional. */
static void test_taiwan_forms(void **state)
{
	(void)state;
	assert_true(wq_locale_is_taiwan("zh_TW.UTF-8"));
	assert_true(wq_locale_is_taiwan("zh_TW"));
	assert_true(wq_locale_is_taiwan("zh_TW.big5"));
	assert_false(wq_locale_is_taiwan("zh_HK.UTF-8"));
	assert_false(wq_locale_is_taiwan("zh_CN.UTF-8"));
	assert_false(wq_locale_is_taiwan("zh_TWX"));
	assert_false(wq_locale_is_taiwan(NULL));

	assert_converts("这里有问题", WQ_SCRIPT_TRADITIONAL, "這裏有問題");
	wq_convert_set_taiwan(true);
	assert_converts("这里有问题", WQ_SCRIPT_TRADITIONAL, "這裡有問題");
	assert_converts("這裡有問題", WQ_SCRIPT_SIMPLIFIED, "这里有问题");
	/* Characters only, not vocabulary: 软件 stays 軟件. */
	assert_converts("软件", WQ_SCRIPT_TRADITIONAL, "軟件");
	wq_convert_set_taiwan(false);
	assert_converts("这里有问题", WQ_SCRIPT_TRADITIONAL, "這裏有問題");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_non_han_unchanged),
		cmocka_unit_test(test_invalid_bytes_kept),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_no_target),
		cmocka_unit_test(test_guess),
		cmocka_unit_test(test_guess_reads_the_start),
		cmocka_unit_test(test_locale),
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_missing_data),
		cmocka_unit_test(test_taiwan_forms),
	};
	int rc;

	cmocka_set_message_output(CM_OUTPUT_TAP);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	wq_convert_close();
	return rc;
}
