/* src/json_text.c writes JSON as SQLite's JSON functions did, because
 * event details are hashed and case show is read by scripts: every case
 * here is compared with what SQLite itself gives (json_quote, json_patch,
 * json, json_object over a real), on hostile strings (control characters,
 * DEL, invalid UTF-8, and the Big List of Naughty Strings when WQ_TESTDATA
 * names it). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "src/json_text.h"

static sqlite3 *db;

/* SQLite's answer to sql with text parameters (NULL binds NULL). */
static char *sqlite_says(const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *st;
	char *out = NULL;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static void quote_as_sqlite(const char *s)
{
	char *want = sqlite_says("SELECT json_quote(?1)", s, NULL);
	char *got = wq_json_quote(s);
	json_t *v = wq_json_str(s);
	char *via_value = wq_json_text(v);

	assert_non_null(want);
	assert_string_equal(got, want);
	assert_string_equal(via_value, want);
	free(want);
	free(got);
	free(via_value);
	json_decref(v);
}

static void test_quote(void **state)
{
	static const char *const hostile[] = {
	    "", "plain", "中文 繁體", "x\033[31m\"q\\\n\t\001\177y",
	    "\b\f\r\x1f", "\xff\xfe not UTF-8 \xc3", "\xe4\xb8", "/slash/",
	    "\xe2\x80\xa8 line separator", "\xf0\x9f\x98\x80", NULL};
	char every[2] = {0};
	const char *dir = getenv("WQ_TESTDATA");

	(void)state;
	for (int i = 0; hostile[i]; i++)
		quote_as_sqlite(hostile[i]);
	for (int c = 1; c < 256; c++) {
		every[0] = (char)c;
		quote_as_sqlite(every);
	}
	if (dir && *dir) {
		char path[4096], line[65536];
		FILE *f;

		snprintf(path, sizeof(path), "%s/blns.txt", dir);
		f = fopen(path, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			quote_as_sqlite(line);
		}
		fclose(f);
	}
}

static void test_merge_patch(void **state)
{
	static const char *const cases[][2] = {
	    {"{}", "{\"a\":1}"},
	    {"{\"a\":1,\"b\":2}", "{\"a\":3}"},
	    {"{\"a\":1,\"b\":2}", "{\"a\":null,\"c\":\"x\"}"},
	    {"{\"a\":{\"x\":1,\"y\":2}}", "{\"a\":{\"y\":null,\"z\":3}}"},
	    {"{\"a\":1}", "{\"b\":{\"p\":null,\"q\":{\"r\":null,\"s\":1}}}"},
	    {"{\"a\":[1,2]}", "{\"a\":[null,{\"k\":null}]}"},
	    {"{\"a\":\"x\"}", "{\"a\":{\"b\":null,\"c\":1}}"},
	    {"{\"a\":{\"b\":1}}", "{\"a\":\"flat\"}"},
	    {"{\"a\":1}", "\"scalar\""},
	    {"[1,2]", "{\"a\":null,\"b\":2}"},
	    {"{\"version\":1,\"clocks\":{\"accept\":{\"start\":\"2026-03-02\","
	     "\"due\":\"2026-03-11\"}}}",
	     "{\"version\":2,\"clocks\":{\"accept\":{\"paused\":null,"
	     "\"stopped\":\"2026-03-05\"},\"mediation\":{\"start\":"
	     "\"2026-03-05\",\"paused\":null}},\"due_on\":null}"},
	    {"{\"s\":\"a\\u000ab\"}", "{\"t\":\"\\u001b\\n\"}"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *want = sqlite_says("SELECT json_patch(?1, ?2)",
					 cases[i][0], cases[i][1]);
		json_t *target = wq_json_parse(cases[i][0]);
		json_t *patch = wq_json_parse(cases[i][1]);
		json_t *merged = wq_json_merge_patch(target, patch);
		char *got = wq_json_text(merged);

		/* SQLite keeps a string's escapes as written, which a
		 * parsed value cannot: those cases compare as values. */
		if (strchr(cases[i][1], '\\')) {
			json_t *w = wq_json_parse(want);

			assert_true(json_equal(w, merged));
			json_decref(w);
		} else {
			assert_string_equal(got, want);
		}
		free(want);
		free(got);
		json_decref(merged);
		json_decref(patch);
	}
}

static void test_raw(void **state)
{
	static const char *const texts[] = {
	    "{\"args\":{\"argv\":[\"a b\",\"\\u000a\\\"x\\\\\"]},\"set\":{}}",
	    " { \"a\" : [ 1 , 2.50 , true , null ] ,\n\t\"b\" : \"  s p \" } ",
	    "\"\\u001B\\/\"", "1.0e+20", "[]",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *want = sqlite_says("SELECT json(?1)", texts[i], NULL);
		json_t *raw = wq_json_raw(texts[i]);
		json_t *obj = json_object();
		char *got, *framed;

		wq_json_put(obj, "details", json_incref(raw));
		got = wq_json_text(raw);
		framed = wq_json_text(obj);
		assert_string_equal(got, want);
		free(want);
		want = sqlite_says("SELECT json_object('details', json(?1))",
				   texts[i], NULL);
		assert_string_equal(framed, want);
		free(want);
		free(got);
		free(framed);
		json_decref(raw);
		json_decref(obj);
	}
}

static void test_reals(void **state)
{
	static const double values[] = {0.1, 1.0, 1.5, 100.0, 1e20, 1e-5,
					123456789012345678.0, -2.25};

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		sqlite3_stmt *st;
		json_t *v = json_real(values[i]);
		char *got = wq_json_text(v);

		assert_int_equal(sqlite3_prepare_v2(db,
						    "SELECT json_quote(?1)", -1,
						    &st, NULL),
				 SQLITE_OK);
		sqlite3_bind_double(st, 1, values[i]);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal(got,
				    (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		free(got);
		json_decref(v);
	}
}

static void test_items_and_join(void **state)
{
	json_t *v = wq_json_parse("[\"a\",null,3,{\"k\":1},\"\"]");
	size_t n;
	char **items = wq_json_items(v, &n);
	char *joined = wq_json_join(v, " ");
	char *want = sqlite_says("SELECT group_concat(value, ' ') FROM"
				 " json_each(?1)",
				 "[\"a\",null,3,{\"k\":1},\"\"]", NULL);

	(void)state;
	assert_int_equal(n, 5);
	assert_string_equal(items[0], "a");
	assert_null(items[1]);
	assert_string_equal(items[2], "3");
	assert_string_equal(items[3], "{\"k\":1}");
	assert_string_equal(joined, want);
	wq_json_items_free(items, n);
	free(joined);
	free(want);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quote),
	    cmocka_unit_test(test_merge_patch),
	    cmocka_unit_test(test_raw),
	    cmocka_unit_test(test_reals),
	    cmocka_unit_test(test_items_and_join),
	};
	int rc;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return 1;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	rc = cmocka_run_group_tests_name("json_text", tests, NULL, NULL);
	sqlite3_close(db);
	return rc;
}
