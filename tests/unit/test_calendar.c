/* Unit tests for src/calendar.c: dates, working days and schedule import.
 *
 * WQ_TESTDATA names the directory holding holiday-cn-2025.json and
 * holiday-cn-2026.json, WQ_SRCDIR the source tree (for
 * data/calendar-cn.json).  Tests that need one of them and find it unset
 * print a "# SKIP" diagnostic and pass: cmocka 1.1.5 reports skip() as
 * "not ok ... # SKIP", which Automake's TAP driver counts as a failure. */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store_sqlite.h"
#include "weiquan/calendar.h"
#include "weiquan/err.h"

/* The store module's migration, verbatim. */
static const char schema[] =
	"CREATE TABLE calendar_days(\n"
	"  day TEXT PRIMARY KEY,\n"
	"  off INTEGER NOT NULL CHECK (off IN (0,1)),\n"
	"  name TEXT NOT NULL,\n"
	"  source TEXT NOT NULL\n"
	") STRICT;\n"
	"CREATE TABLE calendar_years(\n"
	"  year INTEGER PRIMARY KEY,\n"
	"  source TEXT NOT NULL,\n"
	"  loaded_at TEXT NOT NULL\n"
	") STRICT;\n";

static char tmpdir[256];

/* ---- helpers -------------------------------------------------------- */

static int D(const char *iso)
{
	int day = 0;

	if (!wq_date_parse(iso, &day))
		fail_msg("test bug: bad date literal %s", iso);
	return day;
}

static void expect_date(int got, const char *want)
{
	char buf[11];

	wq_date_format(got, buf);
	assert_string_equal(buf, want);
}

/* The calendar's calls take a store: these wrap the test's own in-memory
 * connection in one. */
static enum wq_err cal_import_db(sqlite3 *db, const char *path, int *days,
				 int *years)
{
	struct wq_store *store = wq_store_wrap(db);
	enum wq_err err = wq_cal_import(store, path, days, years);

	wq_store_close(&store);
	return err;
}

static enum wq_err cal_load_db(sqlite3 *db, struct wq_calendar **cal)
{
	struct wq_store *store = wq_store_wrap(db);
	enum wq_err err = wq_cal_load(store, cal);

	wq_store_close(&store);
	return err;
}

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema, NULL, NULL, NULL), SQLITE_OK);
	return db;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* One integer (or text as integer) from a query. */
static long long query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* One text value from a query, malloc'd ("" for NULL). */
static char *query_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	const char *t;
	char *v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	t = (const char *)sqlite3_column_text(st, 0);
	v = strdup(t ? t : "");
	assert_non_null(v);
	sqlite3_finalize(st);
	return v;
}

/* Everything in both tables as text, to compare before and after. */
static char *snapshot(sqlite3 *db, bool with_loaded_at)
{
	return query_text(db, with_loaded_at ?
		"SELECT (SELECT group_concat(r, char(10)) FROM (SELECT day || '|' || off"
		" || '|' || name || '|' || source AS r FROM calendar_days ORDER BY day))"
		" || char(10) || '--' || char(10) ||"
		" (SELECT group_concat(r, char(10)) FROM (SELECT year || '|' || source"
		" || '|' || loaded_at AS r FROM calendar_years ORDER BY year))" :
		"SELECT (SELECT group_concat(r, char(10)) FROM (SELECT day || '|' || off"
		" || '|' || name || '|' || source AS r FROM calendar_days ORDER BY day))"
		" || char(10) || '--' || char(10) ||"
		" (SELECT group_concat(r, char(10)) FROM (SELECT year || '|' || source"
		" AS r FROM calendar_years ORDER BY year))");
}

/* Import the way the command does: inside the caller's transaction. */
static enum wq_err import(sqlite3 *db, const char *path, int *days, int *years)
{
	enum wq_err err;

	exec(db, "BEGIN");
	err = cal_import_db(db, path, days, years);
	exec(db, err ? "ROLLBACK" : "COMMIT");
	return err;
}

static void import_ok(sqlite3 *db, const char *path, int want_days, int want_years)
{
	int days = -1, years = -1;
	enum wq_err err = import(db, path, &days, &years);

	if (err)
		fail_msg("import %s: %s: %s", path, wq_strerror(err), wq_err_detail());
	assert_int_equal(days, want_days);
	assert_int_equal(years, want_years);
}

/* malloc'd path of a file in $env/rel, or NULL (after a SKIP line) when the
 * variable is unset. */
static char *env_path(const char *env, const char *rel, const char *test)
{
	const char *dir = getenv(env);
	char *p;

	if (!dir || !*dir) {
		printf("# SKIP %s: %s is not set\n", test, env);
		return NULL;
	}
	p = malloc(strlen(dir) + strlen(rel) + 2);
	assert_non_null(p);
	sprintf(p, "%s/%s", dir, rel);
	return p;
}

/* Write content to a file in the test's temporary directory; returns its
 * malloc'd path. */
static char *write_tmp(const char *name, const char *content)
{
	char *p = malloc(strlen(tmpdir) + strlen(name) + 2);
	FILE *f;

	assert_non_null(p);
	sprintf(p, "%s/%s", tmpdir, name);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
	assert_int_equal(fclose(f), 0);
	return p;
}

/* A database and calendar holding the real 2025 and 2026 schedules, from
 * the holiday-cn files if WQ_TESTDATA is set, else from the shipped
 * data/calendar-cn.json; false (after a SKIP line) if neither is set. */
static bool load_real(const char *test, sqlite3 **db, struct wq_calendar **cal)
{
	char *p25 = NULL, *p26 = NULL, *own = NULL;

	*db = open_db();
	if (getenv("WQ_TESTDATA") && *getenv("WQ_TESTDATA")) {
		p25 = env_path("WQ_TESTDATA", "holiday-cn-2025.json", test);
		p26 = env_path("WQ_TESTDATA", "holiday-cn-2026.json", test);
		import_ok(*db, p25, 33, 1);
		import_ok(*db, p26, 39, 1);
	} else if (getenv("WQ_SRCDIR") && *getenv("WQ_SRCDIR")) {
		own = env_path("WQ_SRCDIR", "data/calendar-cn.json", test);
		import_ok(*db, own, 72, 2);
	} else {
		printf("# SKIP %s: neither WQ_TESTDATA nor WQ_SRCDIR is set\n", test);
		sqlite3_close(*db);
		*db = NULL;
		return false;
	}
	free(p25);
	free(p26);
	free(own);
	assert_int_equal(cal_load_db(*db, cal), WQ_ERR_OK);
	assert_non_null(*cal);
	return true;
}

/* ---- group setup: a private temporary directory --------------------- */

static int group_setup(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/wq-test-calendar-XXXXXX",
		 base && *base ? base : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char path[512];

	(void)state;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(tmpdir);
}

/* ---- dates ---------------------------------------------------------- */

static void test_date_known(void **state)
{
	int day = -1;

	(void)state;
	assert_true(wq_date_parse("1970-01-01", &day));
	assert_int_equal(day, 0);
	assert_true(wq_date_parse("1970-01-02", &day));
	assert_int_equal(day, 1);
	assert_true(wq_date_parse("1969-12-31", &day));
	assert_int_equal(day, -1);
	/* 2000-01-01 is 10957 days after the epoch: 30 years of 365 days
	 * plus 7 leap days (1972 .. 1996). */
	assert_true(wq_date_parse("2000-01-01", &day));
	assert_int_equal(day, 10957);
	assert_true(wq_date_parse("2000-02-29", &day));	/* 400-year leap */
	assert_true(wq_date_parse("2024-02-29", &day));
	assert_true(wq_date_parse("0001-01-01", &day));
	assert_true(wq_date_parse("9999-12-31", &day));
	assert_int_equal(D("2026-03-01") - D("2026-02-28"), 1);
	assert_int_equal(D("2025-01-01") - D("2024-01-01"), 366);
	assert_int_equal(D("2026-01-01") - D("2025-01-01"), 365);
}

static void test_date_round_trip(void **state)
{
	char buf[11];
	int back, prev = D("1899-12-31");

	(void)state;
	/* Every day of two and a half centuries, including 1900 (not leap) and
	 * 2000 (leap): format then parse must give the same day, and the
	 * text must step by exactly one day. */
	for (int day = D("1900-01-01"); day <= D("2150-12-31"); day++) {
		wq_date_format(day, buf);
		assert_int_equal(strlen(buf), 10);
		assert_true(wq_date_parse(buf, &back));
		assert_int_equal(back, day);
		assert_int_equal(back, prev + 1);
		prev = back;
	}
	expect_date(0, "1970-01-01");
	expect_date(D("2026-02-14"), "2026-02-14");
	expect_date(D("0001-01-01"), "0001-01-01");
	expect_date(D("9999-12-31"), "9999-12-31");
	expect_date(D("0001-01-01") - 1, "0000-00-00");
	expect_date(D("9999-12-31") + 1, "0000-00-00");
}

static void test_date_bad(void **state)
{
	static const char *const bad[] = {
		"2026-02-29",	/* 2026 is not a leap year */
		"1900-02-29",	/* nor is 1900 */
		"2026-13-01", "2026-00-10", "2026-04-31", "2026-01-32",
		"2026-01-00", "0000-01-01",
		"2026-1-1", "2026-01-1", "26-01-01",
		"2026-01-01x", "2026-01-01 ", " 2026-01-01", "2026-01-0",
		"2026/01/01", "2026-01-0a", "+026-01-01", "-026-01-01",
		"2026-01-01T00:00", "", "２０２６-01-01",
	};
	int day = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (wq_date_parse(bad[i], &day))
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(day, 12345);	/* left alone */
	}
	assert_false(wq_date_parse(NULL, &day));
}

static void test_weekday_year(void **state)
{
	(void)state;
	assert_int_equal(wq_date_weekday(D("1970-01-01")), 4);	/* Thursday */
	assert_int_equal(wq_date_weekday(D("1969-12-31")), 3);	/* Wednesday */
	assert_int_equal(wq_date_weekday(D("1969-12-28")), 7);	/* Sunday */
	assert_int_equal(wq_date_weekday(D("2000-01-01")), 6);	/* Saturday */
	assert_int_equal(wq_date_weekday(D("2025-01-01")), 3);	/* Wednesday */
	assert_int_equal(wq_date_weekday(D("2025-01-26")), 7);	/* worked Sunday */
	assert_int_equal(wq_date_weekday(D("2026-01-01")), 4);	/* Thursday */
	assert_int_equal(wq_date_weekday(D("2026-02-14")), 6);	/* worked Saturday */
	assert_int_equal(wq_date_weekday(D("2026-02-16")), 1);	/* Monday */
	assert_int_equal(wq_date_weekday(D("2026-09-20")), 7);	/* worked Sunday */
	assert_int_equal(wq_date_weekday(D("2026-10-10")), 6);	/* worked Saturday */
	assert_int_equal(wq_date_year(D("2026-12-31")), 2026);
	assert_int_equal(wq_date_year(D("2027-01-01")), 2027);
	assert_int_equal(wq_date_year(D("1969-12-31")), 1969);
	assert_int_equal(wq_date_year(D("2024-02-29")), 2024);
}

/* ---- import --------------------------------------------------------- */

static const char *const worked_2025[] = {
	"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
};
static const char *const worked_2026[] = {
	"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
	"2026-10-10",
};

/* The adjusted working weekend days of year, comma separated. */
static char *worked_days(sqlite3 *db, int year)
{
	char sql[200];

	snprintf(sql, sizeof(sql),
		 "SELECT group_concat(day, ',') FROM (SELECT day FROM calendar_days"
		 " WHERE off = 0 AND day LIKE '%d-%%' ORDER BY day)", year);
	return query_text(db, sql);
}

static void expect_worked(sqlite3 *db, int year, const char *const *want, size_t n)
{
	char joined[200] = "";
	char *got = worked_days(db, year);

	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(joined, ",");
		strcat(joined, want[i]);
	}
	assert_string_equal(got, joined);
	free(got);
}

static void test_import_holiday_cn(void **state)
{
	char *p25 = env_path("WQ_TESTDATA", "holiday-cn-2025.json", "import_holiday_cn");
	char *p26 = p25 ? env_path("WQ_TESTDATA", "holiday-cn-2026.json", "") : NULL;
	sqlite3 *db;
	char *src;

	(void)state;
	if (!p25 || !p26)
		goto out;
	db = open_db();
	import_ok(db, p25, 33, 1);
	import_ok(db, p26, 39, 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_days"), 72);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_days"
				   " WHERE off = 0 AND day LIKE '2025-%'"), 5);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_days"
				   " WHERE off = 0 AND day LIKE '2026-%'"), 6);
	expect_worked(db, 2025, worked_2025, 5);
	expect_worked(db, 2026, worked_2026, 6);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_years"), 2);
	src = query_text(db, "SELECT name || '|' || off || '|' || source FROM calendar_days"
			 " WHERE day = '2026-02-16'");
	assert_string_equal(src, "春节|1|https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm");
	free(src);
	src = query_text(db, "SELECT source FROM calendar_years WHERE year = 2025");
	assert_string_equal(src, "https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm");
	free(src);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_years"
				   " WHERE loaded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*'"), 2);
	sqlite3_close(db);
out:
	free(p25);
	free(p26);
}

/* The shipped file must hold exactly the testdata's entries, each with the
 * notice's title and URL. */
static void test_import_shipped(void **state)
{
	char *own = env_path("WQ_SRCDIR", "data/calendar-cn.json", "import_shipped");
	char *p25 = NULL, *p26 = NULL;
	sqlite3 *db, *ref;
	char *a, *b;

	(void)state;
	if (!own)
		return;
	db = open_db();
	import_ok(db, own, 72, 2);
	expect_worked(db, 2025, worked_2025, 5);
	expect_worked(db, 2026, worked_2026, 6);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_days"
				   " WHERE day LIKE '2025-%' AND source = '国务院办公厅关于2025年部分节假日安排的通知"
				   " https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm'"), 33);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_days"
				   " WHERE day LIKE '2026-%' AND source = '国务院办公厅关于2026年部分节假日安排的通知"
				   " https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm'"), 39);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_years"
				   " WHERE source LIKE '国务院办公厅关于' || year || '年部分节假日安排的通知 https://www.gov.cn/%'"), 2);

	p25 = env_path("WQ_TESTDATA", "holiday-cn-2025.json", "import_shipped (comparison)");
	p26 = p25 ? env_path("WQ_TESTDATA", "holiday-cn-2026.json", "") : NULL;
	if (p25 && p26) {
		static const char rows[] =
			"SELECT group_concat(r, char(10)) FROM (SELECT day || '|' || off"
			" || '|' || name AS r FROM calendar_days ORDER BY day)";

		ref = open_db();
		import_ok(ref, p25, 33, 1);
		import_ok(ref, p26, 39, 1);
		a = query_text(db, rows);
		b = query_text(ref, rows);
		assert_string_equal(a, b);
		free(a);
		free(b);
		sqlite3_close(ref);
	}
	sqlite3_close(db);
	free(own);
	free(p25);
	free(p26);
}

static void test_reimport(void **state)
{
	char *p26 = env_path("WQ_TESTDATA", "holiday-cn-2026.json", "reimport");
	char *own = p26 ? env_path("WQ_SRCDIR", "data/calendar-cn.json", "reimport") : NULL;
	sqlite3 *db;
	char *before, *after;

	(void)state;
	if (!p26 || !own)
		goto out;
	db = open_db();
	import_ok(db, own, 72, 2);
	import_ok(db, p26, 39, 1);
	before = snapshot(db, false);
	import_ok(db, p26, 39, 1);
	after = snapshot(db, false);
	assert_string_equal(before, after);
	free(after);

	/* A stale 2026 row disappears on re-import; 2025 is not touched. */
	exec(db, "INSERT INTO calendar_days VALUES ('2026-03-03', 1, 'stale', 'x'),"
	     " ('2025-03-04', 1, 'kept', 'y')");
	import_ok(db, p26, 39, 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_days WHERE day = '2026-03-03'"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_days WHERE day = '2025-03-04'"), 1);
	exec(db, "DELETE FROM calendar_days WHERE day = '2025-03-04'");
	after = snapshot(db, false);
	assert_string_equal(before, after);
	free(after);
	free(before);

	/* Importing the holiday-cn 2026 file over the shipped one replaced the
	 * 2026 sources (URL only) and kept the 2025 ones (title and URL). */
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_days"
				   " WHERE day LIKE '2026-%' AND source LIKE 'https://%'"), 39);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_days"
				   " WHERE day LIKE '2025-%' AND source LIKE '国务院%'"), 33);
	sqlite3_close(db);
out:
	free(p26);
	free(own);
}

/* A small valid holiday-cn file, so the malformed-input tests run without
 * any environment. */
static const char good_2026[] =
	"{\"year\": 2026, \"papers\": [\"https://example.org/a\", \"https://example.org/b\"],"
	" \"days\": [{\"name\": \"元旦\", \"date\": \"2026-01-01\", \"isOffDay\": true},"
	" {\"name\": \"元旦\", \"date\": \"2026-01-04\", \"isOffDay\": false}]}";

static const char good_own[] =
	"{\"format\": \"weiquan-calendar\", \"version\": 1, \"comment\": \"ignored\","
	" \"years\": [{\"year\": 2025, \"source\": \"notice 2025 https://example.org/25\"},"
	"  {\"year\": 2027, \"source\": \"notice 2027 https://example.org/27\"}],"
	" \"days\": [{\"date\": \"2025-01-01\", \"isOffDay\": true, \"name\": \"元旦\","
	"   \"source\": \"notice 2025 https://example.org/25\"},"
	"  {\"date\": \"2027-01-01\", \"isOffDay\": true, \"name\": \"元旦\","
	"   \"source\": \"notice 2027 https://example.org/27\", \"extra\": [1, 2]}]}";

static void test_import_synthetic(void **state)
{
	char *p = write_tmp("good-2026.json", good_2026);
	char *q = write_tmp("good-own.json", good_own);
	char *bom;
	char *s;
	sqlite3 *db = open_db();

	(void)state;
	import_ok(db, p, 2, 1);
	s = query_text(db, "SELECT source FROM calendar_years WHERE year = 2026");
	assert_string_equal(s, "https://example.org/a https://example.org/b");
	free(s);
	s = query_text(db, "SELECT group_concat(day || off || name || source, ';') FROM calendar_days");
	assert_string_equal(s, "2026-01-011元旦https://example.org/a https://example.org/b;"
			    "2026-01-040元旦https://example.org/a https://example.org/b");
	free(s);
	import_ok(db, q, 2, 2);
	assert_int_equal(query_int(db, "SELECT group_concat(year, '') FROM calendar_years"), 202520262027LL);
	s = query_text(db, "SELECT source FROM calendar_days WHERE day = '2027-01-01'");
	assert_string_equal(s, "notice 2027 https://example.org/27");
	free(s);

	/* A UTF-8 byte order mark, as Windows editors write it, is fine. */
	bom = malloc(strlen(good_2026) + 4);
	assert_non_null(bom);
	sprintf(bom, "\xef\xbb\xbf%s", good_2026);
	free(p);
	p = write_tmp("bom.json", bom);
	import_ok(db, p, 2, 1);
	free(bom);

	/* days_out and years_out are optional. */
	exec(db, "BEGIN");
	assert_int_equal(cal_import_db(db, p, NULL, NULL), WQ_ERR_OK);
	exec(db, "COMMIT");

	free(p);
	free(q);
	sqlite3_close(db);
}

struct bad_case {
	const char *name;
	const char *content;
	enum wq_err err;
	const char *want1;	/* substrings the detail must contain */
	const char *want2;
};

#define HCN(days) "{\"year\": 2026, \"papers\": [\"https://example.org/n\"], \"days\": [" days "]}"
#define E(date, off) "{\"name\": \"x\", \"date\": \"" date "\", \"isOffDay\": " off "}"
#define OWN(years, days) "{\"format\": \"weiquan-calendar\", \"version\": 1, \"years\": [" \
	years "], \"days\": [" days "]}"
#define OY(y) "{\"year\": " #y ", \"source\": \"n " #y "\"}"
#define OE(date) "{\"date\": \"" date "\", \"isOffDay\": true, \"name\": \"x\", \"source\": \"s\"}"

static const struct bad_case bad_cases[] = {
	{ "truncated.json", "{\"year\": 2026, \"days\": [", WQ_ERR_PARSE, "not valid JSON", NULL },
	{ "empty.json", "", WQ_ERR_PARSE, "not valid JSON", NULL },
	/* Which of two "year" members counts is the parser's whim: refused,
	 * naming where the second one is. */
	{ "two-years.json", "{\"year\": 2026, \"papers\": [\"u\"],\n \"year\": 2027, \"days\": ["
	  E("2026-01-01", "true") "]}", WQ_ERR_PARSE, "not valid JSON", "line 2" },
	{ "nul-name.json", HCN("{\"name\": \"x\\u0000y\", \"date\": \"2026-01-01\", \"isOffDay\": true}"),
	  WQ_ERR_PARSE, "not valid JSON", NULL },
	{ "array.json", "[1, 2]", WQ_ERR_PARSE, "not a JSON object", NULL },
	{ "bad-date.json", HCN(E("2026-01-01", "true") "," E("2026-02-30", "true")),
	  WQ_ERR_PARSE, "days[1]", "2026-02-30" },
	{ "unpadded.json", HCN(E("2026-01-01", "true") "," E("2026-2-1", "true")),
	  WQ_ERR_PARSE, "days[1]", "2026-2-1" },
	{ "other-year.json", HCN(E("2026-01-01", "true") "," E("2026-01-02", "true") ","
				 E("2025-12-31", "true")),
	  WQ_ERR_PARSE, "days[2] (2025-12-31)", "outside" },
	{ "no-name.json", HCN(E("2026-01-01", "true") ","
			      "{\"date\": \"2026-01-02\", \"isOffDay\": true}"),
	  WQ_ERR_PARSE, "days[1] (2026-01-02)", "\"name\"" },
	{ "empty-name.json", HCN("{\"name\": \"\", \"date\": \"2026-01-02\", \"isOffDay\": true}"),
	  WQ_ERR_PARSE, "days[0] (2026-01-02)", "\"name\"" },
	{ "no-date.json", HCN("{\"name\": \"x\", \"isOffDay\": true}"),
	  WQ_ERR_PARSE, "days[0]", "\"date\"" },
	{ "date-number.json", HCN("{\"name\": \"x\", \"date\": 20260101, \"isOffDay\": true}"),
	  WQ_ERR_PARSE, "days[0]", "\"date\"" },
	{ "off-int.json", HCN(E("2026-01-01", "true") "," E("2026-01-02", "1")),
	  WQ_ERR_PARSE, "days[1] (2026-01-02)", "isOffDay" },
	{ "off-string.json", HCN(E("2026-01-01", "\"true\"")),
	  WQ_ERR_PARSE, "days[0] (2026-01-01)", "isOffDay" },
	{ "off-missing.json", HCN("{\"name\": \"x\", \"date\": \"2026-01-01\"}"),
	  WQ_ERR_PARSE, "days[0] (2026-01-01)", "isOffDay" },
	{ "not-object.json", HCN(E("2026-01-01", "true") ", \"2026-01-02\""),
	  WQ_ERR_PARSE, "days[1]", "not an object" },
	{ "duplicate.json", HCN(E("2026-01-01", "true") "," E("2026-01-02", "true") ","
				E("2026-01-01", "false")),
	  WQ_ERR_PARSE, "days[2] (2026-01-01)", "days[0]" },
	{ "no-entries.json", HCN(""), WQ_ERR_PARSE, "year 2026", "no entries" },
	{ "days-object.json", "{\"year\": 2026, \"papers\": [\"u\"], \"days\": {}}",
	  WQ_ERR_PARSE, "\"days\"", NULL },
	{ "no-days.json", "{\"year\": 2026, \"papers\": [\"u\"]}", WQ_ERR_PARSE, "\"days\"", NULL },
	{ "no-year.json", "{\"papers\": [\"u\"], \"days\": [" E("2026-01-01", "true") "]}",
	  WQ_ERR_PARSE, "\"year\"", NULL },
	{ "year-string.json", "{\"year\": \"2026\", \"papers\": [\"u\"], \"days\": ["
	  E("2026-01-01", "true") "]}", WQ_ERR_PARSE, "\"year\"", NULL },
	{ "no-papers.json", "{\"year\": 2026, \"days\": [" E("2026-01-01", "true") "]}",
	  WQ_ERR_PARSE, "\"papers\"", NULL },
	{ "empty-papers.json", "{\"year\": 2026, \"papers\": [], \"days\": ["
	  E("2026-01-01", "true") "]}", WQ_ERR_PARSE, "\"papers\"", NULL },
	{ "paper-number.json", "{\"year\": 2026, \"papers\": [\"u\", 7], \"days\": ["
	  E("2026-01-01", "true") "]}", WQ_ERR_PARSE, "papers[1]", NULL },
	/* 元旦 in GBK, as a Chinese Windows editor might save it. */
	{ "gbk.json", "{\"year\": 2026, \"papers\": [\"u\"], \"days\": [{\"name\": \"\xd4\xaa\xb5\xa9\","
	  " \"date\": \"2026-01-01\", \"isOffDay\": true}]}", WQ_ERR_ENCODING, "byte 53", "UTF-8" },
	{ "own-format.json", "{\"format\": \"other\", \"version\": 1, \"years\": [], \"days\": []}",
	  WQ_ERR_PARSE, "\"format\"", NULL },
	{ "own-version.json", "{\"format\": \"weiquan-calendar\", \"version\": 2, \"years\": ["
	  OY(2026) "], \"days\": [" OE("2026-01-01") "]}", WQ_ERR_PARSE, "\"version\"", NULL },
	{ "own-no-years.json", "{\"format\": \"weiquan-calendar\", \"version\": 1, \"days\": ["
	  OE("2026-01-01") "]}", WQ_ERR_PARSE, "\"years\"", NULL },
	{ "own-zero-years.json", OWN("", OE("2026-01-01")), WQ_ERR_PARSE, "\"years\"", NULL },
	{ "own-year-twice.json", OWN(OY(2026) "," OY(2026), OE("2026-01-01")),
	  WQ_ERR_PARSE, "years[1]", "twice" },
	{ "own-year-source.json", OWN(OY(2026) ", {\"year\": 2027}", OE("2026-01-01")),
	  WQ_ERR_PARSE, "years[1] (2027)", "\"source\"" },
	{ "own-no-source.json", OWN(OY(2026), OE("2026-01-01") ","
				    "{\"date\": \"2026-01-02\", \"isOffDay\": true, \"name\": \"x\"}"),
	  WQ_ERR_PARSE, "days[1] (2026-01-02)", "\"source\"" },
	{ "own-undeclared.json", OWN(OY(2026), OE("2026-01-01") "," OE("2027-01-01")),
	  WQ_ERR_PARSE, "days[1] (2027-01-01)", "outside" },
	{ "own-empty-year.json", OWN(OY(2026) "," OY(2027), OE("2026-01-01")),
	  WQ_ERR_PARSE, "year 2027", "no entries" },
};

static void test_import_malformed(void **state)
{
	char *good = write_tmp("baseline.json", good_2026);
	char *good25 = write_tmp("baseline-own.json", good_own);
	sqlite3 *db = open_db();
	char *before, *after;

	(void)state;
	import_ok(db, good, 2, 1);
	import_ok(db, good25, 2, 2);
	before = snapshot(db, true);
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		char *p = write_tmp(c->name, c->content);
		int days = -1, years = -1;
		enum wq_err err;
		const char *detail;

		wq_err_clear();
		err = import(db, p, &days, &years);
		detail = wq_err_detail();
		if (err != c->err || !strstr(detail, p) || !strstr(detail, c->want1) ||
		    (c->want2 && !strstr(detail, c->want2)))
			fail_msg("%s: got %d \"%s\", want %d with \"%s\" and \"%s\"",
				 c->name, err, detail, c->err, c->want1,
				 c->want2 ? c->want2 : "");
		assert_int_equal(days, 0);
		assert_int_equal(years, 0);
		after = snapshot(db, true);
		if (strcmp(before, after) != 0)
			fail_msg("%s changed the tables", c->name);
		free(after);
		free(p);
	}

	/* And a file that cannot be read at all. */
	after = malloc(strlen(tmpdir) + 32);
	assert_non_null(after);
	sprintf(after, "%s/does-not-exist.json", tmpdir);
	assert_int_equal(import(db, after, NULL, NULL), WQ_ERR_IO);
	assert_non_null(strstr(wq_err_detail(), "does-not-exist.json"));
	free(after);

	free(before);
	free(good);
	free(good25);
	sqlite3_close(db);
}

/* A database error halfway (a trigger refuses the second row, after the
 * year's old days were deleted, the year recorded and the first row
 * written) must undo the import's own writes and leave the caller's
 * transaction open with the caller's own change in it. */
static void test_import_db_error(void **state)
{
	char *p = write_tmp("db-error.json", good_2026);
	sqlite3 *db = open_db();
	char *before, *after;

	(void)state;
	exec(db, "INSERT INTO calendar_days VALUES ('2026-03-03', 1, 'old', 'x');"
	     " INSERT INTO calendar_years VALUES (2026, 'old', '2025-12-01T00:00:00Z');"
	     " CREATE TRIGGER boom BEFORE INSERT ON calendar_days"
	     " WHEN NEW.day = '2026-01-04' BEGIN SELECT RAISE(ABORT, 'boom'); END;");
	exec(db, "BEGIN");
	exec(db, "INSERT INTO calendar_days VALUES ('2025-03-04', 1, 'caller', 'y')");
	before = snapshot(db, true);
	assert_int_equal(cal_import_db(db, p, NULL, NULL), WQ_ERR_DB);
	assert_non_null(strstr(wq_err_detail(), "boom"));
	assert_int_equal(sqlite3_get_autocommit(db), 0);
	after = snapshot(db, true);
	assert_string_equal(before, after);
	assert_int_equal(query_int(db, "SELECT count(*) FROM calendar_days"
				   " WHERE day IN ('2026-03-03', '2025-03-04')"), 2);
	exec(db, "ROLLBACK");
	free(before);
	free(after);
	sqlite3_close(db);
	free(p);
}

/* ---- working days --------------------------------------------------- */

static void test_load_bad_row(void **state)
{
	sqlite3 *db = open_db();
	struct wq_calendar *cal = (struct wq_calendar *)1;

	(void)state;
	exec(db, "INSERT INTO calendar_days VALUES ('2026-2-1', 1, 'x', 'y')");
	assert_int_equal(cal_load_db(db, &cal), WQ_ERR_PARSE);
	assert_null(cal);
	assert_non_null(strstr(wq_err_detail(), "2026-2-1"));
	wq_cal_free(&cal);	/* harmless on NULL */
	sqlite3_close(db);
}

static void test_is_workday(void **state)
{
	sqlite3 *db;
	struct wq_calendar *cal;

	(void)state;
	if (!load_real("is_workday", &db, &cal))
		return;
	assert_true(wq_cal_is_workday(cal, D("2026-02-14")));	/* Saturday, worked */
	assert_false(wq_cal_is_workday(cal, D("2026-02-16")));	/* Monday, Spring Festival */
	assert_true(wq_cal_is_workday(cal, D("2026-10-10")));	/* Saturday, worked */
	assert_false(wq_cal_is_workday(cal, D("2026-02-15")));	/* Sunday, in the holiday */
	assert_false(wq_cal_is_workday(cal, D("2026-02-23")));	/* Monday, last day off */
	assert_true(wq_cal_is_workday(cal, D("2026-02-24")));	/* Tuesday, back */
	assert_false(wq_cal_is_workday(cal, D("2026-03-01")));	/* plain Sunday */
	assert_true(wq_cal_is_workday(cal, D("2026-03-02")));	/* plain Monday */
	assert_false(wq_cal_is_workday(cal, D("2026-10-01")));
	assert_true(wq_cal_is_workday(cal, D("2025-01-26")));	/* Sunday, worked */
	assert_false(wq_cal_is_workday(cal, D("2025-01-28")));	/* Tuesday off */
	assert_true(wq_cal_covers(cal, D("2025-06-30")));
	assert_true(wq_cal_covers(cal, D("2026-12-31")));
	assert_false(wq_cal_covers(cal, D("2027-01-01")));
	assert_false(wq_cal_covers(cal, D("2024-12-31")));
	/* Outside the loaded years only weekends count. */
	assert_true(wq_cal_is_workday(cal, D("2027-01-01")));	/* Friday */
	assert_false(wq_cal_is_workday(cal, D("2027-01-02")));	/* Saturday */
	wq_cal_free(&cal);
	assert_null(cal);
	sqlite3_close(db);
}

/* February 2026 (1st a Sunday): off Sun 15 .. Mon 23, worked Sat 14 and
 * Sat 28.  September/October 2026: worked Sun 20 Sep, off Fri 25 .. Sun 27
 * Sep (中秋) and Thu 1 .. Wed 7 Oct (国庆), worked Sat 10 Oct. */
static void test_add_workdays(void **state)
{
	sqlite3 *db;
	struct wq_calendar *cal;
	bool u = false;

	(void)state;
	if (!load_real("add_workdays", &db, &cal))
		return;
	/* After Thu 02-12: Fri 13 (1), Sat 14 worked (2), 15 .. 23 off,
	 * Tue 24 (3), Wed 25 (4), Thu 26 (5), Fri 27 (6), Sat 28 worked (7). */
	expect_date(wq_cal_add_workdays(cal, D("2026-02-12"), 7, &u), "2026-02-28");
	assert_false(u);
	/* ... then Sun 03-01 off, Mon 03-02 (8). */
	expect_date(wq_cal_add_workdays(cal, D("2026-02-12"), 8, &u), "2026-03-02");
	/* Starting inside the holiday: Sat 02-14 is a workday but not counted
	 * as the start; next is Tue 24. */
	expect_date(wq_cal_add_workdays(cal, D("2026-02-14"), 1, &u), "2026-02-24");
	expect_date(wq_cal_add_workdays(cal, D("2026-02-16"), 1, &u), "2026-02-24");
	/* After Tue 09-29: Wed 30 (1), Oct 1 .. 7 off, Thu 8 (2), Fri 9 (3),
	 * Sat 10 worked (4), Sun 11 off, Mon 12 (5). */
	expect_date(wq_cal_add_workdays(cal, D("2026-09-29"), 5, &u), "2026-10-12");
	assert_false(u);
	/* After Fri 09-18: Sat 19 off, Sun 20 worked (1). */
	expect_date(wq_cal_add_workdays(cal, D("2026-09-18"), 1, &u), "2026-09-20");
	/* After Thu 09-24: Fri 25 .. Sun 27 off, Mon 28 (1), Tue 29 (2),
	 * Wed 30 (3), then Thu 8 Oct (4). */
	expect_date(wq_cal_add_workdays(cal, D("2026-09-24"), 4, &u), "2026-10-08");
	/* n = 0 is the start itself, even on a day off. */
	expect_date(wq_cal_add_workdays(cal, D("2026-02-16"), 0, &u), "2026-02-16");
	assert_false(u);
	expect_date(wq_cal_add_workdays(cal, D("2026-02-16"), -3, NULL), "2026-02-16");
	/* 2025-05-01: Thu 1 .. Mon 5 off, worked Sun 04-27.  After Fri 04-25:
	 * Sun 27 (1), Mon 28 (2), Tue 29 (3), Wed 30 (4), Tue 6 May (5). */
	expect_date(wq_cal_add_workdays(cal, D("2025-04-25"), 5, &u), "2025-05-06");
	assert_false(u);

	/* Without a calendar the same 7 days are plain weekdays: Fri 13,
	 * Mon 16 .. Fri 20, Mon 23; and the answer is flagged. */
	expect_date(wq_cal_add_workdays(NULL, D("2026-02-12"), 7, &u), "2026-02-23");
	assert_true(u);
	wq_cal_free(&cal);
	sqlite3_close(db);
}

static void test_workdays_between(void **state)
{
	sqlite3 *db;
	struct wq_calendar *cal;
	bool u = false;

	(void)state;
	if (!load_real("workdays_between", &db, &cal))
		return;
	/* Same seven days as in test_add_workdays. */
	assert_int_equal(wq_cal_workdays_between(cal, D("2026-02-12"), D("2026-02-28"), &u), 7);
	assert_false(u);
	assert_int_equal(wq_cal_workdays_between(cal, D("2026-02-28"), D("2026-02-12"), &u), -7);
	assert_false(u);
	assert_int_equal(wq_cal_workdays_between(cal, D("2026-02-12"), D("2026-02-12"), &u), 0);
	assert_false(u);
	/* (02-15, 02-23] is all holiday. */
	assert_int_equal(wq_cal_workdays_between(cal, D("2026-02-15"), D("2026-02-23"), NULL), 0);
	/* (Wed 09-30, Sun 10-11]: Thu 8, Fri 9, Sat 10 worked. */
	assert_int_equal(wq_cal_workdays_between(cal, D("2026-09-30"), D("2026-10-11"), NULL), 3);
	assert_int_equal(wq_cal_workdays_between(cal, D("2026-10-11"), D("2026-09-30"), NULL), -3);
	/* Whole years, by hand.  2026 starts on a Thursday and has 365 days:
	 * 52 weeks + one Thursday = 261 weekdays.  Weekdays off: Jan 1-2 (2),
	 * Feb 16-20 and 23 (6), Apr 6 (1), May 1, 4, 5 (3), Jun 19 (1),
	 * Sep 25 (1), Oct 1, 2, 5, 6, 7 (5) = 19; weekend days worked: 6.
	 * 261 - 19 + 6 = 248.  2025 starts on a Wednesday: 261 weekdays;
	 * off Jan 1 (1), Jan 28-31 and Feb 3-4 (6), Apr 4 (1), May 1, 2, 5
	 * (3), Jun 2 (1), Oct 1-3 and 6-8 (6) = 18; worked 5: 248. */
	assert_int_equal(wq_cal_workdays_between(cal, D("2025-12-31"), D("2026-12-31"), &u), 248);
	assert_false(u);
	assert_int_equal(wq_cal_workdays_between(cal, D("2024-12-31"), D("2025-12-31"), &u), 248);
	assert_false(u);
	assert_int_equal(wq_cal_workdays_between(cal, D("2026-12-31"), D("2024-12-31"), &u), -496);
	assert_false(u);
	wq_cal_free(&cal);
	sqlite3_close(db);
}

/* The closed-form count and the day-by-day walk must agree with each other
 * and with is_workday everywhere, including across year ends, in unloaded
 * years and before the epoch of the weekday arithmetic. */
static void test_consistency(void **state)
{
	sqlite3 *db;
	struct wq_calendar *cal;

	(void)state;
	if (!load_real("consistency", &db, &cal))
		return;
	for (int s = D("2024-11-01"); s <= D("2027-02-28"); s++) {
		for (int n = 0; n <= 30; n++) {
			bool u1 = false, u2 = false;
			int r = wq_cal_add_workdays(cal, s, n, &u1);
			int c = 0;

			assert_int_equal(wq_cal_workdays_between(cal, s, r, &u2), n);
			assert_int_equal(u1, u2);
			assert_int_equal(wq_cal_workdays_between(cal, r, s, NULL), -n);
			if (n > 0) {
				assert_true(wq_cal_is_workday(cal, r));
				for (int d = s + 1; d <= r; d++)
					c += wq_cal_is_workday(cal, d);
				assert_int_equal(c, n);
			}
		}
	}
	for (int a = D("2024-10-01"); a <= D("2027-03-31"); a += 13) {
		for (int b = D("2024-10-01"); b <= D("2027-03-31"); b += 17) {
			int c = 0;

			for (int d = a + 1; d <= b; d++)
				c += wq_cal_is_workday(cal, d);
			for (int d = b + 1; d <= a; d++)
				c -= wq_cal_is_workday(cal, d);
			assert_int_equal(wq_cal_workdays_between(cal, a, b, NULL), c);
		}
	}
	/* Plain weeks far from the epoch, both sides of it. */
	assert_int_equal(wq_cal_workdays_between(NULL, D("1960-01-03"), D("1960-01-10"), NULL), 5);
	assert_int_equal(wq_cal_workdays_between(NULL, D("1969-12-28"), D("1970-01-11"), NULL), 10);
	assert_int_equal(wq_cal_workdays_between(NULL, D("1900-01-05"), D("1900-01-08"), NULL), 1);
	wq_cal_free(&cal);
	sqlite3_close(db);
}

static void test_uncertain(void **state)
{
	sqlite3 *db;
	struct wq_calendar *cal;
	bool u;

	(void)state;
	if (!load_real("uncertain", &db, &cal))
		return;
	/* Thu 2026-12-24: Fri 25 (1), Mon 28 (2), Tue 29 (3): all in 2026. */
	u = false;
	expect_date(wq_cal_add_workdays(cal, D("2026-12-24"), 3, &u), "2026-12-29");
	assert_false(u);
	/* ... Wed 30 (4), Thu 31 (5), Fri 2027-01-01 (6): into 2027. */
	u = false;
	expect_date(wq_cal_add_workdays(cal, D("2026-12-24"), 6, &u), "2027-01-01");
	assert_true(u);
	u = false;
	wq_cal_add_workdays(cal, D("2027-03-01"), 45, &u);
	assert_true(u);
	u = false;
	wq_cal_add_workdays(cal, D("2025-03-01"), 45, &u);
	assert_false(u);

	u = false;
	wq_cal_workdays_between(cal, D("2027-01-04"), D("2027-01-10"), &u);
	assert_true(u);
	u = false;
	wq_cal_workdays_between(cal, D("2027-01-10"), D("2026-12-01"), &u);
	assert_true(u);
	u = false;
	wq_cal_workdays_between(cal, D("2026-01-01"), D("2026-12-31"), &u);
	assert_false(u);
	/* The span is (from, to]: 2024-12-31 itself is not examined ... */
	u = false;
	assert_int_equal(wq_cal_workdays_between(cal, D("2024-12-31"), D("2025-01-02"), &u), 1);
	assert_false(u);
	/* ... but one day earlier it is. */
	u = false;
	wq_cal_workdays_between(cal, D("2024-12-30"), D("2025-01-02"), &u);
	assert_true(u);
	/* (2026-12-31, 2027-01-05]: 2027 not loaded. */
	u = false;
	wq_cal_workdays_between(cal, D("2026-12-31"), D("2027-01-05"), &u);
	assert_true(u);
	/* The flag only ever goes to true, so one flag can collect several
	 * calls (as the clock module does): a certain span leaves it set. */
	u = false;
	wq_cal_add_workdays(cal, D("2026-12-24"), 6, &u);
	wq_cal_workdays_between(cal, D("2026-01-01"), D("2026-03-01"), &u);
	wq_cal_add_workdays(cal, D("2026-03-01"), 0, &u);
	assert_true(u);
	/* A span over a gap year is uncertain even with both ends loaded. */
	exec(db, "INSERT INTO calendar_years VALUES (2028, 'test', '2026-01-01T00:00:00Z')");
	wq_cal_free(&cal);
	assert_int_equal(cal_load_db(db, &cal), WQ_ERR_OK);
	u = false;
	wq_cal_workdays_between(cal, D("2026-06-01"), D("2028-06-01"), &u);
	assert_true(u);
	assert_true(wq_cal_covers(cal, D("2028-06-01")));
	wq_cal_free(&cal);

	/* An empty calendar covers nothing. */
	exec(db, "DELETE FROM calendar_days; DELETE FROM calendar_years");
	assert_int_equal(cal_load_db(db, &cal), WQ_ERR_OK);
	assert_false(wq_cal_covers(cal, D("2026-01-01")));
	u = false;
	assert_int_equal(wq_cal_workdays_between(cal, D("2026-02-12"), D("2026-02-28"), &u), 11);
	assert_true(u);
	wq_cal_free(&cal);
	sqlite3_close(db);
}

/* A queue page recomputes 50 deadlines on every redraw; 100 redraws of
 * add_workdays(45) plus workdays_between must take well under a second
 * (about 1.5 us a deadline natively).  The bound, 200 us a deadline, is
 * loose so that valgrind and slow CI machines still pass, yet a query per
 * day examined would break it. */
static void test_speed(void **state)
{
	sqlite3 *db;
	struct wq_calendar *cal;
	struct timespec t0, t1;
	double secs;
	long long sink = 0;

	(void)state;
	if (!load_real("speed", &db, &cal))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int redraw = 0; redraw < 100; redraw++) {
		for (int row = 0; row < 50; row++) {
			int start = D("2026-01-01") + (redraw * 7 + row * 5) % 330;
			int due = wq_cal_add_workdays(cal, start, 45, NULL);

			sink += wq_cal_workdays_between(cal, start + row % 10, due, NULL);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# 5000 deadlines in %.1f ms (%.2f us each)\n", secs * 1e3, secs * 1e6 / 5000);
	assert_true(sink > 0);
	assert_true(secs < 1.0);
	wq_cal_free(&cal);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_known),
		cmocka_unit_test(test_date_round_trip),
		cmocka_unit_test(test_date_bad),
		cmocka_unit_test(test_weekday_year),
		cmocka_unit_test(test_import_holiday_cn),
		cmocka_unit_test(test_import_shipped),
		cmocka_unit_test(test_reimport),
		cmocka_unit_test(test_import_synthetic),
		cmocka_unit_test(test_import_malformed),
		cmocka_unit_test(test_import_db_error),
		cmocka_unit_test(test_load_bad_row),
		cmocka_unit_test(test_is_workday),
		cmocka_unit_test(test_add_workdays),
		cmocka_unit_test(test_workdays_between),
		cmocka_unit_test(test_consistency),
		cmocka_unit_test(test_uncertain),
		cmocka_unit_test(test_speed),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
