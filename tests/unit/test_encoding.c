/* Unit tests of src/encoding.c.
 *
 * The GB18030, Big5 and UTF-16 samples are made here from UTF-8 with iconv,
 * so that the file stays plain UTF-8 and every expectation is "decodes
 * back to exactly the text we started from".  WQ_TESTDATA names the folder
 * of the shared third-party test files; the tests that need them are
 * skipped without it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/encoding.h"

#define SIMP_SHORT "商家拒绝退款，客服态度恶劣。订单号TB2026001"
#define TRAD_SHORT "商家拒絕退款，客服態度惡劣。"
#define SIMP_LONG							\
	"我于2026年3月5日在该店购买了一台电视机，使用不到一周就无法开机。" \
	"联系客服要求退货，商家以“已过无理由退货期限”为由拒绝退款，"	\
	"并且态度恶劣。请求平台协调处理，退还货款3999元。"
#define TRAD_LONG							\
	"我於2026年3月5日在該店購買了一台電視機，使用不到一週就無法開機。" \
	"聯繫客服要求退貨，商家以「已過七天鑑賞期」為由拒絕退款，"	\
	"並且態度惡劣。請求平台協調處理，退還貨款新台幣12990元。"

/* Convert with iconv directly, independent of the code under test; fails
 * the test if iconv refuses.  The result is malloc'd. */
static char *iconv_all(const char *to, const char *from, const char *in,
		       size_t len, size_t *outlen)
{
	iconv_t cd = iconv_open(to, from);
	size_t cap = len * 4 + 16, ileft = len, oleft = cap;
	char *out, *ip = (char *)in, *op;

	assert_true(cd != (iconv_t)-1);
	out = malloc(cap);
	assert_non_null(out);
	op = out;
	assert_true(iconv(cd, &ip, &ileft, &op, &oleft) != (size_t)-1);
	assert_true(iconv(cd, NULL, NULL, &op, &oleft) != (size_t)-1);
	iconv_close(cd);
	*outlen = (size_t)(op - out);
	return out;
}

/* Does iconv decode all of in from "from" without error? */
static int iconv_decodes(const char *from, const char *in, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", from);
	size_t cap = len * 4 + 16, ileft = len, oleft = cap;
	char *out = malloc(cap), *ip = (char *)in, *op = out;
	int ok;

	assert_true(cd != (iconv_t)-1);
	assert_non_null(out);
	ok = iconv(cd, &ip, &ileft, &op, &oleft) != (size_t)-1;
	iconv_close(cd);
	free(out);
	return ok;
}

/* The detail names "offset N" with exactly this N (not a longer number). */
static void assert_detail_offset(size_t off)
{
	char want[40];
	const char *hit;

	snprintf(want, sizeof(want), "offset %zu", off);
	hit = strstr(wq_err_detail(), want);
	if (!hit)
		fail_msg("detail \"%s\" lacks \"%s\"", wq_err_detail(), want);
	assert_false(hit[strlen(want)] >= '0' && hit[strlen(want)] <= '9');
}

/* Decode buf as enc and require exactly the UTF-8 text want. */
static void assert_decodes_to(const char *buf, size_t len,
			      enum wq_encoding enc, const char *want)
{
	char *out = NULL;
	size_t outlen = 0;

	assert_int_equal(wq_enc_to_utf8(buf, len, enc, &out, &outlen),
			 WQ_ERR_OK);
	assert_non_null(out);
	assert_int_equal(outlen, strlen(want));
	assert_memory_equal(out, want, outlen);
	assert_int_equal(out[outlen], '\0');
	free(out);
}

static void test_names_and_parse(void **state)
{
	static const struct {
		const char *name;
		enum wq_encoding enc;
	} cases[] = {
		{ "utf-8", WQ_ENC_UTF8 },
		{ "UTF8", WQ_ENC_UTF8 },
		{ "utf-8-bom", WQ_ENC_UTF8_BOM },
		{ "UTF-8-SIG", WQ_ENC_UTF8_BOM },
		{ "utf-16le", WQ_ENC_UTF16LE },
		{ "UTF16LE", WQ_ENC_UTF16LE },
		{ "utf_16be", WQ_ENC_UTF16BE },
		{ "gb18030", WQ_ENC_GB18030 },
		{ "GBK", WQ_ENC_GB18030 },
		{ "gb2312", WQ_ENC_GB18030 },
		{ "CP936", WQ_ENC_GB18030 },
		{ "EUC-CN", WQ_ENC_GB18030 },
		{ "Big5", WQ_ENC_BIG5 },
		{ "BIG5-HKSCS", WQ_ENC_BIG5 },
		{ "cp950", WQ_ENC_CP950 },
		{ "Windows-950", WQ_ENC_CP950 },
		{ "binary", WQ_ENC_BINARY },
	};
	enum wq_encoding enc;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enc = WQ_ENC_UNKNOWN;
		if (wq_enc_parse(cases[i].name, &enc) != WQ_ERR_OK)
			fail_msg("'%s' refused", cases[i].name);
		assert_int_equal(enc, cases[i].enc);
	}

	assert_string_equal(wq_enc_name(WQ_ENC_UNKNOWN), "unknown");
	assert_string_equal(wq_enc_name(WQ_ENC_UTF8), "utf-8");
	assert_string_equal(wq_enc_name(WQ_ENC_UTF8_BOM), "utf-8-bom");
	assert_string_equal(wq_enc_name(WQ_ENC_UTF16LE), "utf-16le");
	assert_string_equal(wq_enc_name(WQ_ENC_UTF16BE), "utf-16be");
	assert_string_equal(wq_enc_name(WQ_ENC_GB18030), "gb18030");
	assert_string_equal(wq_enc_name(WQ_ENC_BIG5), "big5");
	assert_string_equal(wq_enc_name(WQ_ENC_BINARY), "binary");
	assert_string_equal(wq_enc_name(WQ_ENC_CP950), "cp950");
	assert_string_equal(wq_enc_name((enum wq_encoding)99), "unknown");

	/* Every canonical name reads back as itself. */
	for (int e = WQ_ENC_UNKNOWN; e <= WQ_ENC_CP950; e++) {
		assert_int_equal(wq_enc_parse(wq_enc_name(e), &enc), WQ_ERR_OK);
		assert_int_equal(enc, e);
	}
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"auto", "latin1", "utf-7", "", "gb", "big5x",
		"a-very-long-name-that-matches-nothing-at-all-gb18030",
	};
	enum wq_encoding enc = WQ_ENC_GB18030;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wq_err_clear();
		assert_int_equal(wq_enc_parse(bad[i], &enc), WQ_ERR_INVALID);
		assert_non_null(strstr(wq_err_detail(), bad[i]));
		assert_int_equal(enc, WQ_ENC_GB18030);
	}
	assert_int_equal(wq_enc_parse(NULL, &enc), WQ_ERR_INVALID);
}

static void test_utf8_valid(void **state)
{
	(void)state;
	assert_true(wq_utf8_valid("", 0));
	assert_true(wq_utf8_valid(NULL, 0));
	assert_true(wq_utf8_valid("plain ascii\n", 12));
	assert_true(wq_utf8_valid(SIMP_SHORT, strlen(SIMP_SHORT)));
	assert_true(wq_utf8_valid("a\0b", 3));
	/* Boundaries that are valid. */
	assert_true(wq_utf8_valid("\xC2\x80", 2));		/* U+0080 */
	assert_true(wq_utf8_valid("\xE0\xA0\x80", 3));		/* U+0800 */
	assert_true(wq_utf8_valid("\xED\x9F\xBF", 3));		/* U+D7FF */
	assert_true(wq_utf8_valid("\xEE\x80\x80", 3));		/* U+E000 */
	assert_true(wq_utf8_valid("\xEF\xBF\xBF", 3));		/* U+FFFF */
	assert_true(wq_utf8_valid("\xF0\x90\x80\x80", 4));	/* U+10000 */
	assert_true(wq_utf8_valid("\xF4\x8F\xBF\xBF", 4));	/* U+10FFFF */
	assert_true(wq_utf8_valid("\xF0\x9F\x98\x80", 4));	/* emoji */
	/* Overlong forms. */
	assert_false(wq_utf8_valid("\xC0\xAF", 2));
	assert_false(wq_utf8_valid("\xC1\xBF", 2));
	assert_false(wq_utf8_valid("\xE0\x80\xAF", 3));
	assert_false(wq_utf8_valid("\xF0\x80\x80\xAF", 4));
	/* Surrogates. */
	assert_false(wq_utf8_valid("\xED\xA0\x80", 3));
	assert_false(wq_utf8_valid("\xED\xBF\xBF", 3));
	/* Beyond U+10FFFF, and bytes that never occur. */
	assert_false(wq_utf8_valid("\xF4\x90\x80\x80", 4));
	assert_false(wq_utf8_valid("\xF5\x80\x80\x80", 4));
	assert_false(wq_utf8_valid("\xFE", 1));
	assert_false(wq_utf8_valid("\xFF", 1));
	/* Stray continuation, and sequences cut short. */
	assert_false(wq_utf8_valid("a\x80", 2));
	assert_false(wq_utf8_valid("\xE5\x95", 2));
	assert_false(wq_utf8_valid("\xE5\x95\x86\xE5", 4));
	assert_false(wq_utf8_valid("\xE5" "a" "\x86", 3));
	/* The length is respected: the bad byte lies outside it. */
	assert_true(wq_utf8_valid("ab\xFF", 2));
}

static void test_detect_ascii_and_empty(void **state)
{
	static const char csv[] = "case,amount\r\nTB2026001,3999\r\n\tnote\f\n";

	(void)state;
	assert_int_equal(wq_enc_detect("", 0), WQ_ENC_UTF8);
	assert_int_equal(wq_enc_detect(csv, sizeof(csv) - 1), WQ_ENC_UTF8);
	assert_int_equal(wq_enc_detect(SIMP_LONG, strlen(SIMP_LONG)),
			 WQ_ENC_UTF8);
	assert_decodes_to(csv, sizeof(csv) - 1, WQ_ENC_UTF8, csv);
}

static void test_detect_binary(void **state)
{
	static const char png[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\0\x10";
	static const char png_sig[] = "\x89PNG\r\n\x1A\n";
	static const char jpeg[] = "\xFF\xD8\xFF\xE0\0\x10JFIF\0";
	static const char pdf[] = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
	static const char zip[] = "PK\x03\x04\x14\0\x06\0";
	static const char nul[] = "hello\0world";
	static const char ctrl[] = "\x01\x02\x03\x04 some text \x05\x06\x07\x08";
	/* UTF-16 without a BOM has NULs: binary, as the rules say. */
	static const char utf16_nobom[] = "h\0e\0l\0l\0o\0";
	char text[200];

	(void)state;
	assert_int_equal(wq_enc_detect(png, sizeof(png) - 1), WQ_ENC_BINARY);
	assert_int_equal(wq_enc_detect(png_sig, sizeof(png_sig) - 1),
			 WQ_ENC_BINARY);
	assert_int_equal(wq_enc_detect(jpeg, sizeof(jpeg) - 1), WQ_ENC_BINARY);
	assert_int_equal(wq_enc_detect(pdf, sizeof(pdf) - 1), WQ_ENC_BINARY);
	assert_int_equal(wq_enc_detect(zip, sizeof(zip) - 1), WQ_ENC_BINARY);
	assert_int_equal(wq_enc_detect(nul, sizeof(nul) - 1), WQ_ENC_BINARY);
	assert_int_equal(wq_enc_detect(ctrl, sizeof(ctrl) - 1), WQ_ENC_BINARY);
	assert_int_equal(wq_enc_detect(utf16_nobom, sizeof(utf16_nobom) - 1),
			 WQ_ENC_BINARY);

	/* One stray control byte in a longer text does not make it binary. */
	memset(text, 'x', sizeof(text));
	text[50] = '\x07';
	assert_int_equal(wq_enc_detect(text, sizeof(text)), WQ_ENC_UTF8);

	/* Not text: no decoding either way. */
	char *out = (char *)1;
	assert_int_equal(wq_enc_to_utf8(png, sizeof(png) - 1, WQ_ENC_BINARY,
					&out, NULL), WQ_ERR_INVALID);
	assert_null(out);
	out = (char *)1;
	assert_int_equal(wq_enc_to_utf8("x", 1, WQ_ENC_UNKNOWN, &out, NULL),
			 WQ_ERR_INVALID);
	assert_null(out);
	out = (char *)1;
	assert_int_equal(wq_enc_from_utf8("x", 1, WQ_ENC_BINARY, &out, NULL),
			 WQ_ERR_INVALID);
	assert_null(out);
}

static void test_utf8_bom(void **state)
{
	char buf[256];
	size_t len = strlen(SIMP_SHORT);

	(void)state;
	memcpy(buf, "\xEF\xBB\xBF", 3);
	memcpy(buf + 3, SIMP_SHORT, len);
	assert_int_equal(wq_enc_detect(buf, len + 3), WQ_ENC_UTF8_BOM);
	assert_decodes_to(buf, len + 3, WQ_ENC_UTF8_BOM, SIMP_SHORT);
	/* Told "utf-8" by the user, a BOM is still not part of the text. */
	assert_decodes_to(buf, len + 3, WQ_ENC_UTF8, SIMP_SHORT);
	/* A BOM alone is an empty text. */
	assert_int_equal(wq_enc_detect(buf, 3), WQ_ENC_UTF8_BOM);
	assert_decodes_to(buf, 3, WQ_ENC_UTF8_BOM, "");

	/* Offsets count the BOM: the bad byte is at 3 + 2. */
	memcpy(buf + 3, "ab\xC0\xAF", 4);
	assert_int_equal(wq_enc_to_utf8(buf, 7, WQ_ENC_UTF8_BOM,
					&(char *){ NULL }, NULL),
			 WQ_ERR_ENCODING);
	assert_detail_offset(5);
	assert_non_null(strstr(wq_err_detail(), "utf-8-bom"));
}

static void test_utf16(void **state)
{
	const char *texts[] = { SIMP_SHORT, TRAD_LONG, "ASCII only" };
	static const struct {
		const char *iconv_name, *bom;
		enum wq_encoding enc;
	} forms[] = {
		{ "UTF-16LE", "\xFF\xFE", WQ_ENC_UTF16LE },
		{ "UTF-16BE", "\xFE\xFF", WQ_ENC_UTF16BE },
	};

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		for (size_t t = 0; t < 3; t++) {
			size_t len;
			char *raw = iconv_all(forms[f].iconv_name, "UTF-8",
					      texts[t], strlen(texts[t]), &len);
			char *buf = malloc(len + 2);

			assert_non_null(buf);
			memcpy(buf, forms[f].bom, 2);
			memcpy(buf + 2, raw, len);
			assert_int_equal(wq_enc_detect(buf, len + 2),
					 forms[f].enc);
			assert_decodes_to(buf, len + 2, forms[f].enc, texts[t]);
			/* Without its BOM, when the user names it. */
			assert_decodes_to(raw, len, forms[f].enc, texts[t]);

			/* An odd byte count cuts the last unit short. */
			assert_int_equal(wq_enc_to_utf8(buf, len + 1,
							forms[f].enc,
							&(char *){ NULL },
							NULL),
					 WQ_ERR_ENCODING);
			assert_detail_offset(len);
			free(raw);
			free(buf);
		}
	}

	/* A lone high surrogate followed by 'A' is not UTF-16. */
	assert_int_equal(wq_enc_to_utf8("\xFF\xFE" "A\0" "\x00\xD8" "A\0", 8,
					WQ_ENC_UTF16LE, &(char *){ NULL },
					NULL),
			 WQ_ERR_ENCODING);
	assert_detail_offset(4);
}

/* Encode text with iconv, check that the bytes are ambiguous (they decode
 * as other_iconv too, so detection has to weigh the two readings), then
 * that detection picks enc and decoding restores text exactly. */
static void check_chinese(const char *text, const char *iconv_name,
			  const char *other_iconv, enum wq_encoding enc)
{
	size_t len;
	char *raw = iconv_all(iconv_name, "UTF-8", text, strlen(text), &len);

	if (!iconv_decodes(other_iconv, raw, len))
		fail_msg("sample is not ambiguous: %s bytes do not decode as %s",
			 iconv_name, other_iconv);
	assert_false(wq_utf8_valid(raw, len));
	assert_int_equal(wq_enc_detect(raw, len), enc);
	assert_decodes_to(raw, len, enc, text);
	free(raw);
}

static void test_gb18030_roundtrip(void **state)
{
	(void)state;
	check_chinese(SIMP_SHORT, "GB18030", "BIG5-HKSCS", WQ_ENC_GB18030);
	check_chinese(SIMP_LONG, "GB18030", "BIG5-HKSCS", WQ_ENC_GB18030);
	/* GBK files are GB18030 files. */
	check_chinese(SIMP_LONG, "GBK", "BIG5-HKSCS", WQ_ENC_GB18030);
}

static void test_gb18030_only(void **state)
{
	/* 七 is C6DF, which BIG5-HKSCS leaves unassigned: with it the bytes
	 * are GB18030 without any weighing. */
	static const char text[] = "七天无理由退货";
	size_t len;
	char *raw = iconv_all("GB18030", "UTF-8", text, strlen(text), &len);

	(void)state;
	assert_false(iconv_decodes("BIG5-HKSCS", raw, len));
	assert_int_equal(wq_enc_detect(raw, len), WQ_ENC_GB18030);
	assert_decodes_to(raw, len, WQ_ENC_GB18030, text);
	free(raw);
}

static void test_big5_roundtrip(void **state)
{
	(void)state;
	check_chinese(TRAD_SHORT, "BIG5", "GB18030", WQ_ENC_BIG5);
	check_chinese(TRAD_LONG, "BIG5", "GB18030", WQ_ENC_BIG5);
	check_chinese(TRAD_LONG, "BIG5-HKSCS", "GB18030", WQ_ENC_BIG5);
}

/* Windows writes Big5 as code page 950.  Its ￣ (A1C3, in emoticons) is
 * not in glibc's BIG5-HKSCS, which used to leave GB18030 the only
 * decoding that succeeded: the file became mojibake. */
static void test_cp950_detected(void **state)
{
	/* 我收到的商品有瑕疵 ￣▽￣ 要求退款 */
	static const char big5[] =
		"\xa7\xda\xa6\xac\xa8\xec\xaa\xba\xb0\xd3\xab\x7e\xa6\xb3"
		"\xb7\xe5\xb2\xab\x20\xa1\xc3\xa1\xbe\xa1\xc3\x20\xad\x6e"
		"\xa8\x44\xb0\x68\xb4\xda";
	char *out = NULL;

	(void)state;
	assert_false(iconv_decodes("BIG5-HKSCS", big5, sizeof(big5) - 1));
	assert_int_equal(wq_enc_detect(big5, sizeof(big5) - 1), WQ_ENC_CP950);
	assert_int_equal(wq_enc_to_utf8(big5, sizeof(big5) - 1, WQ_ENC_CP950,
					&out, NULL),
			 WQ_ERR_OK);
	assert_string_equal(out, "我收到的商品有瑕疵 ￣▽￣ 要求退款");
	free(out);
}

/* A Big5 file with a byte pair that no Big5 table decodes (here a
 * user-defined character, FA40) is not taken for GB18030 either. */
static void test_big5_undecodable_not_gb18030(void **state)
{
	static const char big5[] =
		"\xa7\xda\xa6\xac\xa8\xec\xaa\xba\xb0\xd3\xab\x7e\xa6\xb3"
		"\xb7\xe5\xb2\xab\xa3\xf0\xad\x6e\xa8\x44\xb0\x68\xb4\xda";

	(void)state;
	assert_false(iconv_decodes("CP950", big5, sizeof(big5) - 1));
	assert_false(iconv_decodes("BIG5-HKSCS", big5, sizeof(big5) - 1));
	assert_true(iconv_decodes("GB18030", big5, sizeof(big5) - 1));
	assert_int_equal(wq_enc_detect(big5, sizeof(big5) - 1),
			 WQ_ENC_UNKNOWN);
}

/* cp950 decodes as CP950, not as BIG5-HKSCS, which reads A1E3 as ∼
 * (U+223C) and A1F3 as ☉ where Windows wrote ～ and ⊙. */
static void test_cp950_symbols(void **state)
{
	static const char big5[] = "\xa1\xe3\xa1\xf3\xa2\x44";
	char *out = NULL;

	(void)state;
	assert_int_equal(wq_enc_to_utf8(big5, sizeof(big5) - 1, WQ_ENC_CP950,
					&out, NULL),
			 WQ_ERR_OK);
	assert_string_equal(out, "～⊙￥");
	free(out);
	assert_int_equal(wq_enc_to_utf8(big5, sizeof(big5) - 1, WQ_ENC_BIG5,
					&out, NULL),
			 WQ_ERR_OK);
	assert_string_equal(out, "∼☉¥");
	free(out);
}

static void test_short_big5_phrases(void **state)
{
	/* Read as GB18030 these give ordinary-looking hanzi (訂單號碼 turns
	 * into 璹虫腹絏), so only knowing which characters are frequent
	 * tells the readings apart. */
	static const char *const phrases[] = {
		"訂單號碼", "產品質量問題", "網購退貨退款",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		check_chinese(phrases[i], "BIG5", "GB18030", WQ_ENC_BIG5);
}

static void test_short_big5_odd_reading(void **state)
{
	/* Neither character is frequent, but read as GB18030 the bytes of
	 * 宏碁 (a laptop maker) give a Cyrillic letter and a private-use
	 * code, and those of 刪除 a private-use code: no Chinese text. */
	(void)state;
	check_chinese("宏碁", "BIG5", "GB18030", WQ_ENC_BIG5);
	check_chinese("刪除", "BIG5", "GB18030", WQ_ENC_BIG5);
}

static void test_short_ambiguous_leans_gb(void **state)
{
	/* A name, two characters: 婷婷 in GB bytes reads as 磌磌 in Big5,
	 * and neither reading has a frequent character. */
	size_t len;
	char *raw = iconv_all("GB18030", "UTF-8", "婷婷", strlen("婷婷"),
			      &len);

	(void)state;
	assert_true(iconv_decodes("BIG5-HKSCS", raw, len));
	assert_int_equal(wq_enc_detect(raw, len), WQ_ENC_GB18030);
	free(raw);
}

static void test_neither_decodes(void **state)
{
	/* 0x80 and 0xFF begin no GB18030 or Big5 character, and the bytes
	 * are not UTF-8: text of no known encoding. */
	static const char junk[] = "abc \x80\xFF\x80\xFF def";

	(void)state;
	assert_int_equal(wq_enc_detect(junk, sizeof(junk) - 1),
			 WQ_ENC_UNKNOWN);
}

static void test_truncated_gb18030(void **state)
{
	size_t len;
	char *raw = iconv_all("GB18030", "UTF-8", SIMP_LONG,
			      strlen(SIMP_LONG), &len);
	char *out = (char *)1;
	/* The last character is "。", two bytes: cut its second byte. */
	size_t cut = len - 1;

	(void)state;
	assert_int_equal(wq_enc_to_utf8(raw, cut, WQ_ENC_GB18030, &out, NULL),
			 WQ_ERR_ENCODING);
	assert_null(out);
	assert_detail_offset(cut - 1);
	assert_non_null(strstr(wq_err_detail(), "gb18030"));
	free(raw);

	/* A four-byte sequence (an emoji) cut after two bytes. */
	raw = iconv_all("GB18030", "UTF-8", "退款\xF0\x9F\x98\x80",
			strlen("退款\xF0\x9F\x98\x80"), &len);
	assert_int_equal(len, 8);
	assert_int_equal(wq_enc_to_utf8(raw, 6, WQ_ENC_GB18030, &out, NULL),
			 WQ_ERR_ENCODING);
	assert_detail_offset(4);
	assert_decodes_to(raw, len, WQ_ENC_GB18030, "退款\xF0\x9F\x98\x80");
	free(raw);
}

static void test_invalid_byte_offset(void **state)
{
	size_t len;
	char *raw = iconv_all("GB18030", "UTF-8", SIMP_SHORT,
			      strlen(SIMP_SHORT), &len);
	char *out = (char *)1;

	(void)state;
	/* Replace the trail byte of the third character with 0x7F, which no
	 * GB18030 or Big5 double-byte character uses. */
	raw[5] = 0x7F;
	assert_int_equal(wq_enc_to_utf8(raw, len, WQ_ENC_GB18030, &out, NULL),
			 WQ_ERR_ENCODING);
	assert_null(out);
	assert_detail_offset(4);
	assert_int_equal(wq_enc_to_utf8(raw, len, WQ_ENC_BIG5, &out, NULL),
			 WQ_ERR_ENCODING);
	assert_detail_offset(4);
	assert_non_null(strstr(wq_err_detail(), "big5"));

	/* UTF-8 offsets are our own check's: first bad sequence. */
	assert_int_equal(wq_enc_to_utf8("商家\xED\xA0\x80", 9, WQ_ENC_UTF8,
					&out, NULL),
			 WQ_ERR_ENCODING);
	assert_detail_offset(6);
	free(raw);

	/* A GB18030 BOM (84 31 95 33) is dropped like any other. */
	raw = iconv_all("GB18030", "UTF-8", "\xEF\xBB\xBF" "退款", 9, &len);
	assert_int_equal(len, 8);
	assert_decodes_to(raw, len, WQ_ENC_GB18030, "退款");
	free(raw);
}

static void test_from_utf8_gb18030(void **state)
{
	static const char *const texts[] = {
		SIMP_LONG, TRAD_LONG, "𠀀 and 😀 and ASCII", "",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *out = NULL, *want;
		size_t outlen = 99, wantlen;

		assert_int_equal(wq_enc_from_utf8(texts[i], strlen(texts[i]),
						  WQ_ENC_GB18030, &out,
						  &outlen),
				 WQ_ERR_OK);
		want = iconv_all("GB18030", "UTF-8", texts[i],
				 strlen(texts[i]), &wantlen);
		assert_int_equal(outlen, wantlen);
		assert_memory_equal(out, want, wantlen);
		assert_int_equal(out[outlen], '\0');
		assert_decodes_to(out, outlen, WQ_ENC_GB18030, texts[i]);
		free(out);
		free(want);
	}
}

static void test_from_utf8_big5(void **state)
{
	char *out = NULL;
	size_t outlen;
	static const char emoji[] = "退款太慢\xF0\x9F\x98\xA1请处理";

	(void)state;
	assert_int_equal(wq_enc_from_utf8(TRAD_LONG, strlen(TRAD_LONG),
					  WQ_ENC_BIG5, &out, &outlen),
			 WQ_ERR_OK);
	assert_int_equal(wq_enc_detect(out, outlen), WQ_ENC_BIG5);
	assert_decodes_to(out, outlen, WQ_ENC_BIG5, TRAD_LONG);
	free(out);

	out = (char *)1;
	assert_int_equal(wq_enc_from_utf8(emoji, strlen(emoji), WQ_ENC_BIG5,
					  &out, &outlen),
			 WQ_ERR_ENCODING);
	assert_null(out);
	assert_detail_offset(12);
	assert_non_null(strstr(wq_err_detail(), "U+1F621"));
	assert_non_null(strstr(wq_err_detail(), "\xF0\x9F\x98\xA1"));

	/* Simplified-only characters have no Big5 code either: 请, byte 6. */
	assert_int_equal(wq_enc_from_utf8("退款请处理", 15, WQ_ENC_BIG5, &out,
					  NULL),
			 WQ_ERR_ENCODING);
	assert_detail_offset(6);
	assert_non_null(strstr(wq_err_detail(), "U+8BF7"));

	/* BIG5-HKSCS holds Ê back in case a combining mark follows; the
	 * final flush must still write it out. */
	assert_int_equal(wq_enc_from_utf8("\xC3\x8A", 2, WQ_ENC_BIG5, &out,
					  &outlen),
			 WQ_ERR_OK);
	assert_int_equal(outlen, 2);
	assert_decodes_to(out, outlen, WQ_ENC_BIG5, "\xC3\x8A");
	free(out);

	/* Input that is not UTF-8 at all. */
	assert_int_equal(wq_enc_from_utf8("ab\xC0\xAF", 4, WQ_ENC_BIG5, &out,
					  NULL),
			 WQ_ERR_ENCODING);
	assert_detail_offset(2);
}

static void test_from_utf8_boms(void **state)
{
	char *out = NULL, *big;
	size_t outlen, n = 100000;

	(void)state;
	assert_int_equal(wq_enc_from_utf8(SIMP_SHORT, strlen(SIMP_SHORT),
					  WQ_ENC_UTF8_BOM, &out, &outlen),
			 WQ_ERR_OK);
	assert_int_equal(outlen, strlen(SIMP_SHORT) + 3);
	assert_memory_equal(out, "\xEF\xBB\xBF" SIMP_SHORT, outlen);
	free(out);

	/* A U+FEFF already at the start is not doubled. */
	assert_int_equal(wq_enc_from_utf8("\xEF\xBB\xBF" "ab", 5,
					  WQ_ENC_UTF8_BOM, &out, &outlen),
			 WQ_ERR_OK);
	assert_int_equal(outlen, 5);
	free(out);

	assert_int_equal(wq_enc_from_utf8(SIMP_SHORT, strlen(SIMP_SHORT),
					  WQ_ENC_UTF8, &out, &outlen),
			 WQ_ERR_OK);
	assert_int_equal(outlen, strlen(SIMP_SHORT));
	assert_string_equal(out, SIMP_SHORT);
	free(out);

	/* UTF-16 doubles ASCII, past the first guess at the output size:
	 * the buffer has to grow, more than once. */
	big = malloc(n + 1);
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	assert_int_equal(wq_enc_from_utf8(big, n, WQ_ENC_UTF16BE, &out,
					  &outlen),
			 WQ_ERR_OK);
	assert_int_equal(outlen, 2 + 2 * n);
	assert_memory_equal(out, "\xFE\xFF\0a\0b", 6);
	assert_int_equal(wq_enc_detect(out, outlen), WQ_ENC_UTF16BE);
	assert_decodes_to(out, outlen, WQ_ENC_UTF16BE, big);
	free(out);
	free(big);
}

/* Read WQ_TESTDATA/name whole; NULL without WQ_TESTDATA (a tarball
 * build has no shared test data): the caller then passes with a note,
 * since cmocka's skip() reads as a failure to automake's TAP driver. */
static char *read_testdata(const char *name, size_t *len)
{
	const char *dir = getenv("WQ_TESTDATA");
	char path[4096];
	FILE *f;
	char *buf;
	long size;

	if (!dir || !*dir) {
		printf("# SKIP: WQ_TESTDATA is not set; %s not checked\n",
		       name);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return buf;
}

static void test_testdata_demo(void **state)
{
	size_t len, gblen;
	char *buf = read_testdata("UTF-8-demo.txt", &len), *gb = NULL;

	(void)state;
	if (!buf)
		return;
	assert_int_equal(len, 14052);
	assert_true(wq_utf8_valid(buf, len));
	assert_int_equal(wq_enc_detect(buf, len), WQ_ENC_UTF8);
	buf[len] = '\0';
	assert_decodes_to(buf, len, WQ_ENC_UTF8, buf);
	/* GB18030 covers all of Unicode: runes, Braille and Thai survive. */
	assert_int_equal(wq_enc_from_utf8(buf, len, WQ_ENC_GB18030, &gb,
					  &gblen),
			 WQ_ERR_OK);
	assert_decodes_to(gb, gblen, WQ_ENC_GB18030, buf);
	free(gb);
	free(buf);
}

static void test_testdata_kuhn(void **state)
{
	size_t len;
	char *buf = read_testdata("UTF-8-test.txt", &len), *out = (char *)1;

	if (!buf)
		return;
	enum wq_encoding enc;

	(void)state;
	assert_int_equal(len, 22781);
	assert_false(wq_utf8_valid(buf, len));
	/* Everything before the first bad byte is fine. */
	assert_true(wq_utf8_valid(buf, 4461));
	assert_false(wq_utf8_valid(buf, 4462));
	enc = wq_enc_detect(buf, len);
	assert_int_not_equal(enc, WQ_ENC_UTF8);
	assert_int_not_equal(enc, WQ_ENC_UTF8_BOM);
	assert_int_equal(wq_enc_to_utf8(buf, len, WQ_ENC_UTF8, &out, NULL),
			 WQ_ERR_ENCODING);
	assert_null(out);
	assert_detail_offset(4461);
	assert_non_null(strstr(wq_err_detail(), "0xF8"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_parse),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_detect_ascii_and_empty),
		cmocka_unit_test(test_detect_binary),
		cmocka_unit_test(test_utf8_bom),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_gb18030_roundtrip),
		cmocka_unit_test(test_gb18030_only),
		cmocka_unit_test(test_big5_roundtrip),
		cmocka_unit_test(test_short_big5_phrases),
		cmocka_unit_test(test_cp950_detected),
		cmocka_unit_test(test_big5_undecodable_not_gb18030),
		cmocka_unit_test(test_cp950_symbols),
		cmocka_unit_test(test_short_big5_odd_reading),
		cmocka_unit_test(test_short_ambiguous_leans_gb),
		cmocka_unit_test(test_neither_decodes),
		cmocka_unit_test(test_truncated_gb18030),
		cmocka_unit_test(test_invalid_byte_offset),
		cmocka_unit_test(test_from_utf8_gb18030),
		cmocka_unit_test(test_from_utf8_big5),
		cmocka_unit_test(test_from_utf8_boms),
		cmocka_unit_test(test_testdata_demo),
		cmocka_unit_test(test_testdata_kuhn),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
