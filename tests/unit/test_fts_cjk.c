#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "weiquan/convert.h"
#include "weiquan/encoding.h"
#include "weiquan/err.h"
#include "store_sqlite.h"
#include "weiquan/fts_cjk.h"

/* The tokenizer's fold table, to check it against OpenCC. */
static const struct {
	uint32_t from, to;
} han_folds[] = {
#include "fts_fold.inc"
};

/* rowid -> statement; rowids double as bits in match masks */
static const char *const docs[] = {
    [1] = "商家拒绝退款，客服态度恶劣",
    [2] = "收到的手机屏幕有划痕，要求换货",
    [3] = "订单号TB2026-0012345未发货",
    [4] = "申请退款后，款项迟迟未到账",
    [5] = "快递员态度恶劣，包裹外箱破损",
    [6] = "淘宝订单TB2026-0099999已退货，退款未到账",
    [7] = "ＪＤ１２３４５６的ｉＰｈｏｎｅ屏幕碎了",
    [8] = "Refund still PENDING after 30 days",
    [9] = "骗人骗人骗人！",
};
#define NDOCS ((int)(sizeof(docs) / sizeof(docs[0])))
#define R(x) (1u << (x))

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(wq_fts_cjk_register(db), WQ_ERR_OK);
	assert_int_equal(
	    sqlite3_exec(
		db,
		"CREATE VIRTUAL TABLE t USING fts5(body, tokenize='wq_cjk')",
		NULL, NULL, NULL),
	    SQLITE_OK);
	return db;
}

static int setup(void **state)
{
	sqlite3 *db = open_db();
	sqlite3_stmt *st;
	int i;

	assert_int_equal(
	    sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (?1, ?2)",
			       -1, &st, NULL),
	    SQLITE_OK);
	for (i = 1; i < NDOCS; i++) {
		sqlite3_bind_int(st, 1, i);
		sqlite3_bind_text(st, 2, docs[i], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	sqlite3_close(*state);
	return 0;
}

/* Rowids matching a raw FTS5 expression, as a bit mask.  Any SQLite
 * error fails the test. */
static unsigned match_raw(sqlite3 *db, const char *expr)
{
	sqlite3_stmt *st;
	unsigned mask = 0;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1", -1,
			       &st, NULL) != SQLITE_OK)
		fail_msg("prepare: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		mask |= R(sqlite3_column_int(st, 0));
	if (rc != SQLITE_DONE)
		fail_msg("MATCH '%s': %s", expr, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return mask;
}

/* Rowids matching what a user typed. */
static unsigned match(sqlite3 *db, const char *typed)
{
	char *q = wq_fts_query(typed);
	unsigned mask;

	if (!q)
		fail_msg("wq_fts_query(\"%s\") returned NULL", typed);
	mask = match_raw(db, q);
	free(q);
	return mask;
}

static char *highlight(sqlite3 *db, const char *typed, int rowid)
{
	char *q = wq_fts_query(typed), *out = NULL;
	sqlite3_stmt *st;

	assert_non_null(q);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT highlight(t, 0, '[', ']') FROM t "
			       "WHERE t MATCH ?1 AND rowid = ?2",
			       -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, rowid);
	if (sqlite3_step(st) == SQLITE_ROW)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	else
		fail_msg("\"%s\" does not match row %d: %s", typed, rowid,
			 sqlite3_errmsg(db));
	sqlite3_finalize(st);
	free(q);
	return out;
}

/* ---------------------------------------------------------------------- */
/* Calling the tokenizer directly, as FTS5 does */

struct collect {
	char text[1024]; /* "tok:start-end", colocated ones with '+' */
	size_t len;
	int ntok;
	int nbytes; /* size of the text being tokenized */
	int bad;    /* first broken promise, as a message */
	char why[200];
};

static int collect_cb(void *ctx, int tflags, const char *tok, int ntok,
		      int start, int end)
{
	struct collect *c = ctx;
	int w;

	if (!c->bad) {
		if (ntok <= 0 || !tok)
			snprintf(c->why, sizeof(c->why), "empty token");
		else if (start < 0 || end > c->nbytes || start >= end)
			snprintf(c->why, sizeof(c->why),
				 "offsets %d-%d outside 0-%d", start, end,
				 c->nbytes);
		else if (c->ntok == 0 && (tflags & FTS5_TOKEN_COLOCATED))
			snprintf(c->why, sizeof(c->why),
				 "first token is colocated");
		else if (tflags & ~FTS5_TOKEN_COLOCATED)
			snprintf(c->why, sizeof(c->why), "flags %d", tflags);
		c->bad = c->why[0] != '\0';
	}
	c->ntok++;
	if (c->len < sizeof(c->text)) {
		w = snprintf(c->text + c->len, sizeof(c->text) - c->len,
			     "%s%s%.*s:%d-%d", c->len ? " " : "",
			     tflags & FTS5_TOKEN_COLOCATED ? "+" : "", ntok,
			     tok, start, end);
		if (w > 0)
			c->len += (size_t)w;
	}
	return SQLITE_OK;
}

static fts5_api *get_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;

	assert_int_equal(
	    sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	sqlite3_finalize(st);
	assert_non_null(api);
	return api;
}

/* Tokenizes exactly n bytes copied to a buffer of exactly that size, so
 * a sanitizer or valgrind catches any read past the end. */
static void tokenize(sqlite3 *db, int flags, const char *text, int n,
		     struct collect *c)
{
	fts5_api *api = get_api(db);
	fts5_tokenizer tk;
	Fts5Tokenizer *tok = NULL;
	void *ud = NULL;
	char *copy = malloc(n > 0 ? (size_t)n : 1);

	assert_non_null(copy);
	memcpy(copy, text, (size_t)n);
	memset(c, 0, sizeof(*c));
	c->nbytes = n;
	assert_int_equal(api->xFindTokenizer(api, "wq_cjk", &ud, &tk),
			 SQLITE_OK);
	assert_int_equal(tk.xCreate(ud, NULL, 0, &tok), SQLITE_OK);
	assert_int_equal(tk.xTokenize(tok, c, flags, copy, n, collect_cb),
			 SQLITE_OK);
	tk.xDelete(tok);
	free(copy);
}

static const char *tokens(sqlite3 *db, int flags, const char *text)
{
	static struct collect c;

	tokenize(db, flags, text, (int)strlen(text), &c);
	if (c.bad)
		fail_msg("tokenizing \"%s\": %s", text, c.why);
	return c.text;
}

/* ---------------------------------------------------------------------- */

static void test_register(void **state)
{
	sqlite3 *db = *state, *fresh;

	/* Without registration the table cannot even be created, which is
	 * what makes every other test here depend on wq_fts_cjk_register. */
	assert_int_equal(sqlite3_open(":memory:", &fresh), SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(
		fresh,
		"CREATE VIRTUAL TABLE x USING fts5(a, tokenize='wq_cjk')", NULL,
		NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(wq_fts_cjk_register(fresh), WQ_ERR_OK);
	assert_int_equal(
	    sqlite3_exec(
		fresh,
		"CREATE VIRTUAL TABLE x USING fts5(a, tokenize='wq_cjk')", NULL,
		NULL, NULL),
	    SQLITE_OK);
	/* options are refused rather than silently ignored */
	assert_int_not_equal(
	    sqlite3_exec(
		fresh,
		"CREATE VIRTUAL TABLE y USING fts5(a, tokenize='wq_cjk x')",
		NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(fresh);

	/* a second registration on the same connection is harmless */
	assert_int_equal(wq_fts_cjk_register(db), WQ_ERR_OK);
	assert_int_equal(match(db, "退款"), R(1) | R(4) | R(6));

	assert_int_equal(wq_fts_cjk_register(NULL), WQ_ERR_INVALID);
	assert_string_not_equal(wq_err_detail(), "");
}

static void test_tokens_document(void **state)
{
	sqlite3 *db = *state;

	/* ，is 3 bytes, so TB2026 starts at byte 9 */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT, "退款，TB2026"),
			    "退:0-3 +退款:0-6 款:3-6 tb2026:9-15");
	assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT, "中华人民"),
			    "中:0-3 +中华:0-6 华:3-6 +华人:3-9 "
			    "人:6-9 +人民:6-12 民:9-12");
	/* highlight() tokenizes with AUX and must see the same positions */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_AUX, "中华人民"),
			    tokens(db, FTS5_TOKENIZE_DOCUMENT, "中华人民"));
	assert_string_equal(
	    tokens(db, FTS5_TOKENIZE_DOCUMENT, "订单号TB2026-0012345未发货"),
	    "订:0-3 +订单:0-6 单:3-6 +单号:3-9 号:6-9 "
	    "tb2026:9-15 0012345:16-23 "
	    "未:23-26 +未发:23-29 发:26-29 +发货:26-32 "
	    "货:29-32");
	assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT, ""), "");
	assert_string_equal(
	    tokens(db, FTS5_TOKENIZE_DOCUMENT, "，。！？、“”（） \t\n😡"), "");
}

static void test_tokens_query(void **state)
{
	sqlite3 *db = *state;

	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "退"), "退:0-3");
	/* bigrams at consecutive positions, then the last character so
	 * that highlight() covers it */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "退款"),
			    "退款:0-6 款:3-6");
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "中华人民"),
			    "中华:0-6 华人:3-9 人民:6-12 民:9-12");
	assert_string_equal(
	    tokens(db, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX, "退款"),
	    "退款:0-6 款:3-6");
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "退款TB2026退"),
			    "退款:0-6 款:3-6 tb2026:6-12 退:12-15");
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "退 款"),
			    "退:0-3 款:4-7");
}

static void test_tokens_words(void **state)
{
	sqlite3 *db = *state;

	/* full-width letters and digits fold to ASCII */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT, "ＴＢ２０２６"),
			    "tb2026:0-18");
	/* Latin, Greek and Cyrillic capitals are lowercased too */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT, "ÅNGSTRÖM"),
			    "ångström:0-10");
	assert_string_equal(
	    tokens(db, FTS5_TOKENIZE_DOCUMENT, "ŁÓDŹ ΑΘΉΝΑ МОСКВА Ÿ×ß"),
	    "łódź:0-7 αθήνα:8-18 москва:19-31 ÿ:32-34 ß:36-38");
	/* the middle dot of foreign names, ×, ℃ and ① separate */
	assert_string_equal(
	    tokens(db, FTS5_TOKENIZE_DOCUMENT, "iPhone15·Pro×2 30℃①"),
	    "iphone15:0-8 pro:10-13 2:15-16 30:17-19");
	/* an emoji splits a Han run; a zero-width joiner does not */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "退😡款"),
			    "退:0-3 款:7-10");
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "退\u200d款"),
			    "退款:0-9 款:6-9");
	/* kana and hangul are runs like Han */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "カード환불"),
			    "カー:0-6 ード:3-9 ド환:6-12 환불:9-15 불:12-15");
	/* a long word is indexed by its first 128 bytes, offsets whole */
	{
		char word[301], want[160];

		memset(word, 'A', 300);
		word[300] = '\0';
		memset(want, 'a', 128);
		strcpy(want + 128, ":0-300");
		assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT, word),
				    want);
		/* and a 2-byte letter that no longer fits is not replaced
		 * by a shorter one after it */
		memcpy(word + 127,
		       "\xc3\xa9"
		       "b",
		       4);
		want[127] = '\0';
		strcat(want, ":0-130");
		assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT, word),
				    want);
	}
	/* extension B (4-byte UTF-8) */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "𠀀𠀁"),
			    "𠀀𠀁:0-8 𠀁:4-8");
}

static void test_tokens_invalid_utf8(void **state)
{
	sqlite3 *db = *state;
	struct collect c;
	/* 退 is E9 80 80; cut it at every length */
	static const char trunc[] = "\xe9\x80\x80";
	int n;

	for (n = 0; n <= 3; n++) {
		tokenize(db, FTS5_TOKENIZE_DOCUMENT, trunc, n, &c);
		assert_false(c.bad);
		assert_int_equal(c.ntok, n == 3 ? 1 : 0);
	}
	/* lone continuation, overlong 'A' in 2, 3 and 4 bytes, surrogate,
	 * beyond U+10FFFF, 0xFE/0xFF: all separators, and the text around
	 * them survives */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT,
				   "a\x80"
				   "b\xc1\x81"
				   "c\xed\xa0\x80"
				   "d\xf4\x90\x80\x80"
				   "e\xfe\xff"
				   "f\xe0\x81\x81"
				   "g\xf0\x80\x81\x81"
				   "h"),
			    "a:0-1 b:2-3 c:5-6 d:9-10 e:14-15 f:17-18 "
			    "g:21-22 h:26-27");
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "退\xff款\xe9\x80"),
			    "退:0-3 款:4-7");
	/* a text cut in the middle of its last character */
	tokenize(db, FTS5_TOKENIZE_DOCUMENT, "退款", 5, &c);
	assert_false(c.bad);
	assert_string_equal(c.text, "退:0-3");
	/* an embedded NUL is just a separator */
	tokenize(db, FTS5_TOKENIZE_DOCUMENT, "ab\0cd", 5, &c);
	assert_string_equal(c.text, "ab:0-2 cd:3-5");
}

static void test_match_han(void **state)
{
	sqlite3 *db = *state;

	assert_int_equal(match(db, "退"), R(1) | R(4) | R(6));
	assert_int_equal(match(db, "款"), R(1) | R(4) | R(6));
	assert_int_equal(match(db, "退款"), R(1) | R(4) | R(6));
	assert_int_equal(match(db, "屏幕"), R(2) | R(7));
	assert_int_equal(match(db, "订单"), R(3) | R(6));
	assert_int_equal(match(db, "退款后"), R(4));
	assert_int_equal(match(db, "未到账"), R(4) | R(6));
	assert_int_equal(match(db, "拒绝退款"), R(1));
	assert_int_equal(match(db, "态度恶劣"), R(1) | R(5));
	assert_int_equal(match(db, "款未到账"), R(6));
	/* row 4 holds 退款 and 款项, but not as 退款项 */
	assert_int_equal(match(db, "退款项"), 0);
	/* row 1 holds 退款，客服: punctuation breaks the bigram */
	assert_int_equal(match(db, "款客"), 0);
	assert_int_equal(match(db, "退货款"), 0);
	assert_int_equal(match(db, "骗人骗人骗人骗人"), 0);
	assert_int_equal(match(db, "骗人骗人骗人"), R(9));
}

static void test_match_words(void **state)
{
	sqlite3 *db = *state;

	assert_int_equal(match(db, "TB2026"), R(3) | R(6));
	assert_int_equal(match(db, "tb2026"), R(3) | R(6));
	assert_int_equal(match(db, "0012345"), R(3));
	assert_int_equal(match(db, "TB2026-0012345"), R(3));
	assert_int_equal(match(db, "TB2026-0099999"), R(6));
	assert_int_equal(match(db, "TB2026-0012346"), 0);
	/* words are whole tokens, not substrings */
	assert_int_equal(match(db, "2026"), 0);
	assert_int_equal(match(db, "jd123456"), R(7));
	assert_int_equal(match(db, "ＪＤ１２３４５６"), R(7));
	assert_int_equal(match(db, "IPHONE"), R(7));
	assert_int_equal(match(db, "pending"), R(8));
	assert_int_equal(match(db, "refund pending"), R(8));
	assert_int_equal(match(db, "still PENDING after"), R(8));
	assert_int_equal(match(db, "30 天"), 0);
}

static void test_match_mixed(void **state)
{
	sqlite3 *db = *state;

	assert_int_equal(match(db, "退款 TB2026"), R(6));
	assert_int_equal(match(db, "TB2026 退款"), R(6));
	assert_int_equal(match(db, "退款　TB2026"), R(6)); /* U+3000 */
	assert_int_equal(match(db, "  退款\t\n未到账  "), R(4) | R(6));
	assert_int_equal(match(db, "退款 refund"), 0);
	assert_int_equal(match(db, "屏幕 iPhone"), R(7));
	assert_int_equal(match(db, "单号TB2026"), R(3));
	assert_int_equal(match(db, "订单TB2026"), R(6));
}

static void test_fold_tokens(void **state)
{
	sqlite3 *db = *state;

	/* tokens are Simplified, offsets those of the text as written */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT, "退貨"),
			    "退:0-3 +退货:0-6 货:3-6");
	assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT, "退货"),
			    tokens(db, FTS5_TOKENIZE_DOCUMENT, "退貨"));
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "退貨款"),
			    "退货:0-6 货款:3-9 款:6-9");
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "貨"), "货:0-3");
	/* one character at a time: 乾 alone and in 乾隆 alike */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_QUERY, "乾隆乾"),
			    "干隆:0-6 隆干:3-9 干:6-9");
	/* a fold may change the UTF-8 length (U+346E to U+2B748) */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT, "\u346E"),
			    "\U0002B748:0-3");
	/* Latin, full-width and kana are not touched by the fold */
	assert_string_equal(tokens(db, FTS5_TOKENIZE_DOCUMENT, "ＴＢ貨カ"),
			    "tb:0-6 货:6-9 +货カ:6-12 カ:9-12");
}

static void test_fold_match(void **state)
{
	sqlite3 *db = open_db();

	(void)state;
	assert_int_equal(
	    sqlite3_exec(db,
			 "INSERT INTO t(rowid, body) VALUES"
			 " (1, '耳機已經退貨，款項未到賬'),"
			 " (2, '耳机已经退货，款项未到账'),"
			 " (3, '頭髮乾燥'), (4, '头发干燥'), (5, '退款');"
			 "INSERT INTO t(t) VALUES ('integrity-check');",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(match(db, "退货"), R(1) | R(2));
	assert_int_equal(match(db, "退貨"), R(1) | R(2));
	assert_int_equal(match(db, "貨"), R(1) | R(2));
	assert_int_equal(match(db, "已經退货"), R(1) | R(2));
	assert_int_equal(match(db, "款项未到賬"), R(1) | R(2));
	assert_int_equal(match(db, "头髮"), R(3) | R(4));
	assert_int_equal(match(db, "乾燥"), R(3) | R(4));
	assert_int_equal(match(db, "退"), R(1) | R(2) | R(5));
	sqlite3_close(db);
}

static size_t put_utf8(uint32_t cp, char *out)
{
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		out[3] = '\0';
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	out[4] = '\0';
	return 4;
}

/* The table is what OpenCC's t2s makes of each character alone, followed
 * to the end of a chain (so folding twice changes nothing), sorted for
 * the tokenizer's binary search.  After an OpenCC upgrade this fails
 * until `make fts-fold` and a migration rebuild the index. */
static void test_fold_table(void **state)
{
	size_t n = sizeof(han_folds) / sizeof(han_folds[0]);

	(void)state;
	assert_true(n > 4000);
	for (size_t i = 0; i < n; i++) {
		char from[8], *text = NULL;
		uint32_t to = 0;

		if (i > 0 && han_folds[i - 1].from >= han_folds[i].from)
			fail_msg("fold table not sorted at U+%04X",
				 han_folds[i].from);
		for (size_t j = 0; j < n; j++)
			if (han_folds[j].from == han_folds[i].to)
				fail_msg("U+%04X folds to U+%04X, which folds "
					 "again",
					 han_folds[i].from, han_folds[i].to);
		put_utf8(han_folds[i].from, from);
		text = strdup(from);
		for (int round = 0; round < 3; round++) {
			char *next = NULL;

			assert_int_equal(wq_convert(text, strlen(text),
						    WQ_SCRIPT_SIMPLIFIED,
						    &next),
					 WQ_ERR_OK);
			free(text);
			text = next;
		}
		if (wq_utf8_decode(text, strlen(text), &to) != strlen(text) ||
		    to != han_folds[i].to)
			fail_msg("t2s makes %s of U+%04X, the table U+%04X",
				 text, han_folds[i].from, han_folds[i].to);
		free(text);
	}
	wq_convert_close();
}

static void test_update_delete(void **state)
{
	sqlite3 *db = open_db();

	(void)state;
	/* FTS5 re-tokenizes the old text to delete it, which only works if
	 * tokenizing is deterministic; integrity-check compares the index
	 * with a fresh tokenization of every row */
	assert_int_equal(
	    sqlite3_exec(
		db,
		"INSERT INTO t(rowid, body) VALUES (1, '商家拒绝退款TB2026'),"
		" (2, '屏幕有划痕\xe9\x80');"
		"UPDATE t SET body = '客服态度恶劣' WHERE rowid = 1;"
		"DELETE FROM t WHERE rowid = 2;"
		"INSERT INTO t(t) VALUES ('integrity-check');",
		NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(match_raw(db, "\"退款\""), 0);
	assert_int_equal(match_raw(db, "\"tb2026\""), 0);
	assert_int_equal(match_raw(db, "\"屏幕\""), 0);
	assert_int_equal(match_raw(db, "\"态度\""), R(1));
	sqlite3_close(db);
}

static void test_highlight(void **state)
{
	sqlite3 *db = *state;
	static const struct {
		const char *q;
		int rowid;
		const char *want;
	} cases[] = {
	    {"退", 1, "商家拒绝[退]款，客服态度恶劣"},
	    {"退款", 1, "商家拒绝[退款]，客服态度恶劣"},
	    {"态度恶劣", 1, "商家拒绝退款，客服[态度恶劣]"},
	    {"退款后", 4, "申请[退款后]，款项迟迟未到账"},
	    {"0012345", 3, "订单号TB2026-[0012345]未发货"},
	    {"TB2026-0012345", 3, "订单号[TB2026-0012345]未发货"},
	    {"退款 TB2026", 6, "淘宝订单[TB2026]-0099999已退货，[退款]未到账"},
	    {"iphone", 7, "ＪＤ１２３４５６的[ｉＰｈｏｎｅ]屏幕碎了"},
	    {"屏幕", 7, "ＪＤ１２３４５６的ｉＰｈｏｎｅ[屏幕]碎了"},
	    {"pending", 8, "Refund still [PENDING] after 30 days"},
	    /* adjacent and overlapping instances */
	    {"骗人", 9, "[骗人][骗人][骗人]！"},
	    {"人骗", 9, "骗[人骗][人骗]人！"},
	    {"骗人骗", 9, "[骗人骗人骗]人！"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = highlight(db, cases[i].q, cases[i].rowid);

		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

static void expect_query(const char *typed, const char *want)
{
	char *q = wq_fts_query(typed);

	if (!want) {
		if (q)
			fail_msg("wq_fts_query(\"%s\") = %s, want NULL",
				 typed ? typed : "(null)", q);
		return;
	}
	if (!q)
		fail_msg("wq_fts_query(\"%s\") = NULL, want %s", typed, want);
	assert_string_equal(q, want);
	free(q);
}

static void test_query_builder(void **state)
{
	(void)state;
	expect_query("退款", "\"退款\"");
	expect_query("退款 TB2026", "\"退款\" AND \"TB2026\"");
	expect_query(" \t退款\n\r屏幕 ", "\"退款\" AND \"屏幕\"");
	expect_query("退款　屏幕", "\"退款\" AND \"屏幕\"");
	expect_query("say \"hi\"", "\"say\" AND \"\"\"hi\"\"\"");
	expect_query("(退款)", "\"(退款)\"");
	expect_query("退款 OR 屏幕", "\"退款\" AND \"OR\" AND \"屏幕\"");
	expect_query("body:退款*", "\"body:退款*\"");
	expect_query("a\xff"
		     "b",
		     "\"a b\"");
	/* a UTF-16 surrogate encoded in UTF-8 is invalid, byte by byte */
	expect_query("a\xed\xa0\x80"
		     "b",
		     "\"a   b\"");
	expect_query("a\xf4\x90\x80\x80"
		     "b",
		     "\"a    b\""); /* > U+10FFFF */
	expect_query("退款 ！！ 屏幕", "\"退款\" AND \"屏幕\"");
	expect_query(NULL, NULL);
	expect_query("", NULL);
	expect_query(" \t\n　", NULL);
	expect_query("，。！？、“”（）", NULL);
	expect_query("\"\" () * - : ^ +", NULL);
	expect_query("\xff\xfe\xc0\xaf", NULL);
	expect_query("😡 👍", NULL);
}

static void test_query_hostile(void **state)
{
	sqlite3 *db = *state;
	static const char *const hostile[] = {
	    "\"",
	    "\"\"",
	    "\"\"\"",
	    "'",
	    "''",
	    "(",
	    ")",
	    "((退款",
	    "退款)",
	    "OR",
	    "AND",
	    "NOT",
	    "退款 OR",
	    "OR 退款",
	    "退款 NOT 客服",
	    "退款 AND",
	    "NEAR(",
	    "NEAR(退款",
	    "NEAR(退款 客服, 2)",
	    "NEAR/3",
	    "*",
	    "退*",
	    "退款*",
	    "* 退款",
	    "-",
	    "-退款",
	    "body:",
	    "body:退款",
	    "{body}:退款",
	    "{body",
	    "- body:退款",
	    "^",
	    "^退款",
	    "+",
	    "+退款",
	    "退款 + 客服",
	    ":",
	    "::",
	    "\\",
	    "%",
	    "_",
	    ";DROP TABLE t;--",
	    "x\" OR \"y",
	    "\"退款\" OR \"屏幕\"",
	    "\x01\x02\x1f",
	    "\xff",
	    "\xc0\xaf",
	    "\xed\xa0\x80",
	    "\xe9\x80",
	    "退\xe9\x80",
	    "\xf4\x90\x80\x80",
	    "\"\xff\"",
	    "",
	    " ",
	    "，。！？",
	    "😡",
	};
	static const struct {
		const char *typed;
		unsigned want;
	} meaning[] = {
	    /* the operators are text, not operators */
	    {"退款)", R(1) | R(4) | R(6)},
	    {"-退款", R(1) | R(4) | R(6)},
	    {"退*", R(1) | R(4) | R(6)},
	    {"^退款", R(1) | R(4) | R(6)},
	    {"\"退款\"", R(1) | R(4) | R(6)},
	    {"退款 OR 屏幕", 0},
	    {"退款 NOT 客服", 0},
	    {"NEAR(退款", 0},
	    {"body:退款", 0},
	    {"refund OR", 0},
	};
	char longer[30001];
	size_t i;
	int reached = 0;

	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		char *q = wq_fts_query(hostile[i]);

		if (!q)
			continue;
		reached++;
		match_raw(db, q);
		free(q);
	}
	/* most of them hold something searchable and reach FTS5 */
	assert_true(reached >= 25);

	for (i = 0; i < sizeof(meaning) / sizeof(meaning[0]); i++)
		assert_int_equal(match(db, meaning[i].typed), meaning[i].want);

	/* thousands of terms and operators in one go */
	{
		static const char *const frag[] = {
		    "退款\" ", "( ",   "OR ",	"NEAR(", "*",
		    "屏幕) ",  "\xff", "body:", "- ",	 "TB2026 ",
		};
		size_t len = 0, k = 0, l;
		char *q;

		while (len + (l = strlen(frag[k % 10])) < sizeof(longer)) {
			memcpy(longer + len, frag[k % 10], l);
			len += l;
			k++;
		}
		longer[len] = '\0';
		q = wq_fts_query(longer);
		assert_non_null(q);
		assert_int_equal(match_raw(db, q), 0);
		free(q);
	}
}

/* ---------------------------------------------------------------------- */
/* Third-party corpora of awkward strings */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			assert_non_null(buf);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

#define HL_OPEN "\xe2\x9f\xa6"	/* ⟦ */
#define HL_CLOSE "\xe2\x9f\xa7" /* ⟧ */

/* Removes the highlight markers, so offsets that are off by even one
 * byte show up as a difference from the document. */
static size_t strip_markers(const char *s, size_t n, char *out)
{
	size_t i = 0, len = 0;

	while (i < n) {
		if (n - i >= 3 && (!memcmp(s + i, HL_OPEN, 3) ||
				   !memcmp(s + i, HL_CLOSE, 3))) {
			i += 3;
			continue;
		}
		out[len++] = s[i++];
	}
	return len;
}

static void feed_file(const char *dir, const char *name, int *nlines,
		      int *nqueries)
{
	static const int modes[] = {
	    FTS5_TOKENIZE_DOCUMENT,
	    FTS5_TOKENIZE_AUX,
	    FTS5_TOKENIZE_QUERY,
	    FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX,
	};
	char path[4096];
	size_t len, off, m;
	char *buf, *p;
	sqlite3 *db = open_db();
	sqlite3_stmt *ins, *sel;
	int line;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf = slurp(path, &len);
	assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (?1, ?2)",
			       -1, &ins, NULL),
	    SQLITE_OK);
	for (off = 0, line = 1; off < len; line++) {
		p = memchr(buf + off, '\n', len - off);
		m = (p ? (size_t)(p - buf) : len) - off;
		for (size_t k = 0; k < sizeof(modes) / sizeof(modes[0]); k++) {
			struct collect c;

			tokenize(db, modes[k], buf + off, (int)m, &c);
			if (c.bad)
				fail_msg("%s:%d mode %d: %s", name, line,
					 modes[k], c.why);
		}
		sqlite3_bind_int(ins, 1, line);
		sqlite3_bind_text(ins, 2, buf + off, (int)m, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			fail_msg("%s:%d insert: %s", name, line,
				 sqlite3_errmsg(db));
		sqlite3_reset(ins);
		off += m + 1;
	}
	sqlite3_finalize(ins);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "INSERT INTO t(t) VALUES ('integrity-check')",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	*nlines += line - 1;

	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT rowid, highlight(t, 0, '" HL_OPEN
			       "', '" HL_CLOSE "'),"
			       " body FROM t WHERE t MATCH ?1",
			       -1, &sel, NULL),
	    SQLITE_OK);
	for (off = 0, line = 1; off < len; line++) {
		char *text, *q, *plain;
		int rc, self = 0;

		p = memchr(buf + off, '\n', len - off);
		m = (p ? (size_t)(p - buf) : len) - off;
		text = strndup(buf + off, m);
		assert_non_null(text);
		off += m + 1;
		q = wq_fts_query(text);
		free(text);
		if (!q)
			continue;
		(*nqueries)++;
		sqlite3_bind_text(sel, 1, q, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
			const char *hl =
			    (const char *)sqlite3_column_text(sel, 1);
			size_t nhl = (size_t)sqlite3_column_bytes(sel, 1);
			const char *body = sqlite3_column_blob(sel, 2);
			size_t nbody = (size_t)sqlite3_column_bytes(sel, 2);

			self |= sqlite3_column_int(sel, 0) == line;
			/* highlight() copies text with %s, so a NUL ends
			 * it; skip rows it cannot reproduce */
			if (memchr(body, '\0', nbody))
				continue;
			plain = malloc(nhl + 1);
			assert_non_null(plain);
			if (strip_markers(hl, nhl, plain) != nbody ||
			    memcmp(plain, body, nbody))
				fail_msg("%s:%d: highlight of row %d is not "
					 "the row: %s",
					 name, line, sqlite3_column_int(sel, 0),
					 hl);
			free(plain);
		}
		if (rc != SQLITE_DONE)
			fail_msg("%s:%d MATCH %s: %s", name, line, q,
				 sqlite3_errmsg(db));
		/* every term of a text occurs in it, so a text's own query
		 * must find it */
		if (!self)
			fail_msg("%s:%d: query %s does not find its own line",
				 name, line, q);
		sqlite3_reset(sel);
		free(q);
	}
	sqlite3_finalize(sel);
	sqlite3_close(db);
	free(buf);
}

static void test_corpus_files(void **state)
{
	const char *dir = getenv("WQ_TESTDATA");
	int nlines = 0, nqueries = 0;

	(void)state;
	/* cmocka 1.1.5's skip() prints "not ok N # SKIP", which automake's
	 * TAP driver counts as a failure; so say why and pass instead. */
	if (!dir || !*dir) {
		print_message("# SKIP test_corpus_files: WQ_TESTDATA is not "
			      "set; point it (or argv[1]) at the shared "
			      "testdata directory to run blns.txt and "
			      "UTF-8-test.txt\n");
		return;
	}
	feed_file(dir, "blns.txt", &nlines, &nqueries);
	feed_file(dir, "UTF-8-test.txt", &nlines, &nqueries);
	print_message("# corpus: %d lines indexed, %d run as queries\n", nlines,
		      nqueries);
	assert_true(nlines >= 1042);
	assert_true(nqueries > 500);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_register),
	    cmocka_unit_test(test_tokens_document),
	    cmocka_unit_test(test_tokens_query),
	    cmocka_unit_test(test_tokens_words),
	    cmocka_unit_test(test_tokens_invalid_utf8),
	    cmocka_unit_test(test_match_han),
	    cmocka_unit_test(test_match_words),
	    cmocka_unit_test(test_match_mixed),
	    cmocka_unit_test(test_fold_tokens),
	    cmocka_unit_test(test_fold_match),
	    cmocka_unit_test(test_fold_table),
	    cmocka_unit_test(test_update_delete),
	    cmocka_unit_test(test_highlight),
	    cmocka_unit_test(test_query_builder),
	    cmocka_unit_test(test_query_hostile),
	    cmocka_unit_test(test_corpus_files),
	};

	/* a directory on the command line wins over the environment */
	if (argc > 1)
		setenv("WQ_TESTDATA", argv[1], 1);
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, setup, teardown);
}
