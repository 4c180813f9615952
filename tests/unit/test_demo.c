/* Unit tests for src/demo.c: the demo cases are varied, consistent with
 * the rulings, reproducible for a seed, and leave a sound audit chain.
 *
 * Each test fills a fresh database in a temporary directory the way
 * `weiquan init` prepares one: the first admin, then the holiday calendar
 * and the clock rules from the source tree (WQ_SRCDIR, default ".").
 * WEIQUAN_NOW is pinned so that the same seed must give the same cases
 * however long the run takes. */
#include "config.h"

#include <inttypes.h>
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
#include "weiquan/audit.h"
#include "weiquan/calendar.h"
#include "weiquan/clock.h"
#include "weiquan/demo.h"
#include "weiquan/err.h"
#include "weiquan/store.h"
#include "weiquan/user.h"
#include "weiquan/wqtime.h"

#define NOW "2026-06-15T04:00:00Z"
#define CASES 300

static char tmpdir[256];
static int db_serial;

/* ---- helpers -------------------------------------------------------- */

static void data_path(char *out, size_t size, const char *file)
{
	const char *src = getenv("WQ_SRCDIR");

	snprintf(out, size, "%s/data/%s", src && *src ? src : ".", file);
}

/* A new database as `weiquan init` leaves it; with_clocks false skips the
 * clock rules. */
static struct wq_store *new_db(bool with_clocks, struct wq_user *admin)
{
	struct wq_store *st = NULL;
	char path[512], file[512], regime[64];
	bool created;
	enum wq_err err;
	int days, years;

	snprintf(path, sizeof(path), "%s/db%d.sqlite", tmpdir, ++db_serial);
	err = wq_store_open(path, WQ_OPEN_INIT, &st);
	if (err)
		fail_msg("open %s: %s", path, wq_err_detail());
	assert_int_equal(wq_user_bootstrap(st, "admin", &created), WQ_ERR_OK);
	assert_true(created);
	assert_int_equal(wq_user_lookup(st, "admin", admin), WQ_ERR_OK);

	data_path(file, sizeof(file), "calendar-cn.json");
	assert_int_equal(wq_store_begin_write(st), WQ_ERR_OK);
	err = wq_cal_import(st, file, &days, &years);
	if (err)
		fail_msg("%s: %s", file, wq_err_detail());
	assert_int_equal(wq_store_commit(st), WQ_ERR_OK);
	wq_clock_calendar_reset(st);
	if (with_clocks) {
		data_path(file, sizeof(file), "clock-rules.json");
		err = wq_clock_import(st, admin, file, regime, sizeof(regime));
		if (err)
			fail_msg("%s: %s", file, wq_err_detail());
	}
	return st;
}

static int64_t query_int(struct wq_store *st, const char *sql);

static struct wq_store *filled_db(uint64_t seed, struct wq_demo_result *res)
{
	struct wq_user admin;
	struct wq_store *st = new_db(true, &admin);
	struct wq_demo_opts opts = {.cases = CASES, .seed = seed};
	int64_t events = query_int(st, "SELECT count(*) FROM events");
	enum wq_err err = wq_demo_fill(st, &admin, &opts, res);

	if (err)
		fail_msg("demo: %s: %s", wq_strerror(err), wq_err_detail());
	assert_int_equal(res->events,
			 query_int(st, "SELECT count(*) FROM events") - events);
	return st;
}

static int64_t query_int(struct wq_store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t v;

	if (sqlite3_prepare_v2(wq_store_sqlite(st), sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(wq_store_sqlite(st)));
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static char *query_text(struct wq_store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	char *v;

	if (sqlite3_prepare_v2(wq_store_sqlite(st), sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(wq_store_sqlite(st)));
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = strdup(sqlite3_column_text(stmt, 0)
			   ? (const char *)sqlite3_column_text(stmt, 0)
			   : "");
	sqlite3_finalize(stmt);
	assert_non_null(v);
	return v;
}

/* What must not change for a seed: numbers, statuses and amounts. */
static char *digest(struct wq_store *st)
{
	return query_text(st, "SELECT group_concat(number || ' ' || status ||"
			      " ' ' || amount_fen, ';') FROM"
			      " (SELECT * FROM cases ORDER BY id)");
}

static void expect_zero(struct wq_store *st, const char *what,
			const char *sql)
{
	int64_t n = query_int(st, sql);

	if (n != 0)
		fail_msg("%" PRId64 " %s", n, what);
}

static void expect_some(struct wq_store *st, const char *what,
			const char *sql)
{
	if (query_int(st, sql) <= 0)
		fail_msg("no %s", what);
}

/* ---- tests ---------------------------------------------------------- */

static void test_cases_are_varied_and_consistent(void **state)
{
	struct wq_demo_result res;
	struct wq_store *st = filled_db(7, &res);
	struct wq_audit_report audit;
	char *max_at;
	time_t now;

	(void)state;
	assert_int_equal(res.cases, CASES);
	assert_int_equal(query_int(st, "SELECT count(*) FROM cases"), CASES);
	assert_true(res.statements >= 2 * CASES);
	assert_int_equal(res.evidence,
			 query_int(st, "SELECT count(*) FROM evidence"));
	assert_int_equal(res.statements,
			 query_int(st, "SELECT count(*) FROM statements"));
	assert_string_equal(res.users, "zhang.wei li.na wang.fang liu.yang "
				       "chen.jie zhao.min sun.li desk.gz");

	expect_zero(st, "categories without a case",
		    "SELECT count(*) FROM categories k WHERE NOT EXISTS"
		    " (SELECT 1 FROM cases WHERE category = k.code)");
	assert_int_equal(query_int(st, "SELECT count(DISTINCT type) FROM cases"),
			 3);
	if (query_int(st, "SELECT count(DISTINCT status) FROM cases") < 12)
		fail_msg("only %" PRId64 " distinct statuses",
			 query_int(st,
				   "SELECT count(DISTINCT status) FROM cases"));
	/* An IP notice starts at notice_received, a diversion case at
	 * diversion_received (their tracks' first). */
	expect_zero(st, "cases beyond received without both parties' words",
		    "SELECT count(*) FROM cases c WHERE status NOT IN"
		    " ('received', 'notice_received', 'diversion_received')"
		    " AND (NOT EXISTS (SELECT 1 FROM statements s WHERE"
		    " s.case_id = c.id AND s.party = 'complainant')"
		    " OR NOT EXISTS (SELECT 1 FROM statements s WHERE"
		    " s.case_id = c.id AND s.party = 'respondent'))");
	expect_some(st, "sub-states",
		    "SELECT count(DISTINCT substate) FROM cases"
		    " WHERE substate <> ''");
	expect_some(st, "counter-offers",
		    "SELECT count(*) FROM offers WHERE answers IS NOT NULL");
	expect_some(st, "agreements", "SELECT count(*) FROM agreements");
	expect_some(st, "collective groups",
		    "SELECT count(*) FROM cases WHERE group_id IS NOT NULL"
		    " AND flags & 4");
	expect_some(st, "flagged cases",
		    "SELECT count(*) FROM cases WHERE flags & 1");
	expect_some(st, "duplicates",
		    "SELECT count(*) FROM cases WHERE duplicate_of IS NOT NULL");
	expect_some(st, "linked reports",
		    "SELECT count(*) FROM cases WHERE report <> ''");
	expect_some(st, "repeat offenders",
		    "SELECT count(*) FROM merchants WHERE repeat_offender");
	expect_some(st, "GB18030 evidence",
		    "SELECT count(*) FROM evidence WHERE encoding = 'gb18030'"
		    " AND text LIKE '%买家%'");
	expect_some(st, "full-text hits for 退款",
		    "SELECT count(*) FROM search_index"
		    " WHERE search_index MATCH '\"退款\"'");

	/* The parties look like parties. */
	expect_zero(st, "malformed phones",
		    "SELECT count(*) FROM consumers WHERE phone NOT GLOB"
		    " '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'");
	expect_zero(st, "ID numbers not 18 characters",
		    "SELECT count(*) FROM consumers"
		    " WHERE length(id_number) <> 18");
	expect_zero(st, "amounts out of range",
		    "SELECT count(*) FROM cases"
		    " WHERE amount_fen NOT BETWEEN 1990 AND 1999900");
	expect_zero(st, "orders after receipt",
		    "SELECT count(*) FROM cases"
		    " WHERE order_date >= date(received_at, 'localtime')");
	expect_zero(st, "diversion cases without a brand owner",
		    "SELECT count(*) FROM cases c JOIN consumers p"
		    " ON p.id = c.consumer_id WHERE c.type <> 'complaint'"
		    " AND p.name NOT LIKE '%公司'");
	expect_zero(st, "diversion cases without their brand and regions",
		    "SELECT count(*) FROM cases c WHERE c.type = 'diversion'"
		    " AND NOT EXISTS (SELECT 1 FROM diversions d"
		    " WHERE d.case_id = c.id)");

	/* Time: the past 90 days, nothing in the future. */
	max_at = query_text(st, "SELECT max(at) FROM events");
	if (strcmp(max_at, NOW) > 0)
		fail_msg("an event at %s, after now (%s)", max_at, NOW);
	free(max_at);
	expect_zero(st, "cases received outside the 90 days",
		    "SELECT count(*) FROM cases WHERE received_at"
		    " NOT BETWEEN strftime('%Y-%m-%dT%H:%M:%SZ', '" NOW "',"
		    " '-90 days') AND '" NOW "'");
	expect_zero(st, "events out of time order",
		    "SELECT count(*) FROM events a JOIN events b"
		    " ON b.id = a.id + 1 WHERE a.case_id IS NOT NULL"
		    " AND b.case_id IS NOT NULL AND b.at < a.at");
	/* ... and the clock is the process's own again. */
	assert_true(wq_time_parse(NOW, &now));
	assert_int_equal(wq_now(), now);

	/* Four eyes: approvals come from supervisors who did not submit. */
	expect_zero(st, "approvals by the submitter",
		    "SELECT count(*) FROM events a WHERE a.action = 'approve'"
		    " AND a.actor = (SELECT s.actor FROM events s"
		    " WHERE s.case_id = a.case_id AND s.action = 'submit'"
		    " AND s.id < a.id ORDER BY s.id DESC LIMIT 1)");
	expect_zero(st, "approvals by non-supervisors",
		    "SELECT count(*) FROM events e JOIN users u"
		    " ON u.login = e.actor WHERE e.action = 'approve'"
		    " AND u.role <> 'supervisor'");

	/* The chain holds, and every row agrees with its events. */
	if (wq_audit_verify(st, &audit) != WQ_ERR_OK)
		fail_msg("audit: %s", wq_err_detail());
	assert_int_equal(audit.nunchecked, 0);
	assert_int_equal(audit.cases, CASES);
	wq_audit_report_free(&audit);
	assert_true(audit.checked > CASES);
	wq_store_close(&st);
}

static void test_same_seed_same_cases(void **state)
{
	struct wq_demo_result res;
	struct wq_store *a = filled_db(42, &res), *b = filled_db(42, &res);
	struct wq_store *c = filled_db(43, &res);
	char *da = digest(a), *db = digest(b), *dc = digest(c);
	struct wq_user admin;
	struct wq_demo_opts opts = {.cases = 20, .seed = 42};
	struct wq_audit_report audit;

	(void)state;
	assert_string_equal(da, db);
	assert_string_not_equal(da, dc);

	/* Running it again adds cases and keeps the users it finds. */
	assert_int_equal(wq_user_lookup(b, "admin", &admin), WQ_ERR_OK);
	assert_int_equal(wq_demo_fill(b, &admin, &opts, &res), WQ_ERR_OK);
	assert_int_equal(res.cases, 20);
	assert_int_equal(query_int(b, "SELECT count(*) FROM cases"),
			 CASES + 20);
	assert_int_equal(query_int(b, "SELECT count(*) FROM users"), 9);
	assert_int_equal(wq_audit_verify(b, &audit), WQ_ERR_OK);
	wq_audit_report_free(&audit);

	free(da);
	free(db);
	free(dc);
	wq_store_close(&a);
	wq_store_close(&b);
	wq_store_close(&c);
}

static void test_needs_init_and_an_admin(void **state)
{
	struct wq_user admin, desk;
	struct wq_store *st = new_db(false, &admin);
	struct wq_demo_opts opts = {.cases = 5, .seed = 1};
	struct wq_demo_result res;

	(void)state;
	assert_int_equal(wq_demo_fill(st, &admin, &opts, &res),
			 WQ_ERR_NOT_FOUND);
	assert_non_null(strstr(wq_err_detail(), "weiquan init"));
	assert_int_equal(query_int(st, "SELECT count(*) FROM cases"), 0);

	desk = admin;
	desk.role = WQ_ROLE_DESK;
	assert_int_equal(wq_demo_fill(st, &desk, &opts, &res), WQ_ERR_DENIED);
	wq_store_close(&st);
}

/* ---- fixture -------------------------------------------------------- */

static int remove_tree(void)
{
	char cmd[400];

	if (!*tmpdir)
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int setup(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/wq-demo-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	setenv("WEIQUAN_NOW", NOW, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return remove_tree();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases_are_varied_and_consistent),
		cmocka_unit_test(test_same_seed_same_cases),
		cmocka_unit_test(test_needs_init_and_an_admin),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("demo", tests, setup, teardown);
}
