/* Regimes by date: a case follows the regime in force on its day of
 * receipt in Beijing (Order No. 20 before 2026-04-15, Order No. 121 from
 * then on, the cut-over read from the shipped rules file), keeps it when
 * the active regime is switched, and case show marks a deadline counted
 * from a figure not checked against the official text. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store_sqlite.h"
#include "weiquan/case.h"
#include "weiquan/clock.h"
#include "weiquan/err.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/user.h"
#include "weiquan/wqtime.h"
#include "tests/unit/fixture.h"

struct fx {
	char dir[64];
	char path[128];
	struct wq_store *store;
	struct wq_user admin, sam;
};

static struct fx F;

static void set_now(const char *iso)
{
	setenv("WEIQUAN_NOW", iso, 1);
}

static void import(const char *path)
{
	char regime[64];

	if (wq_clock_import(F.store, &F.admin, path, regime, sizeof(regime)) !=
	    WQ_ERR_OK)
		fail_msg("clock import %s: %s", path, wq_err_detail());
}

static int setup(void **state)
{
	char path[512];
	char regime[64];

	(void)state;
	if (fixture_open("regimes", "2026-04-01T02:00:00Z", F.dir, F.path,
			 &F.store, &F.admin))
		return -1;
	snprintf(path, sizeof(path), "%s/data/clock-rules-121.json",
		 fixture_srcdir());
	if (fixture_add_user(F.store, &F.admin, "sam", WQ_ROLE_SUPERVISOR,
			     NULL, &F.sam))
		return -1;
	return wq_clock_import(F.store, &F.admin, path, regime,
			       sizeof(regime)) == WQ_ERR_OK
		       ? 0
		       : -1;
}

static int teardown(void **state)
{
	(void)state;
	wq_store_close(&F.store);
	fixture_remove_dir(F.dir);
	return 0;
}

/* A case received now (as the admin: registering it is not backdating). */
static void make_case(const char *now, const char *consumer, char number[32])
{
	struct wq_intake in = {0};
	int64_t id;

	set_now(now);
	in.type = "complaint";
	in.category = "quality";
	in.consumer_name = consumer;
	in.merchant_name = "某某数码旗舰店";
	in.statement = "收到的手机是翻新机，要求退款。";
	if (wq_case_create(F.store, &F.admin, &in, &id, number) != WQ_ERR_OK)
		fail_msg("case create: %s", wq_err_detail());
}

/* json_extract of the case's `case show --json`. */
static char *shown(const char *number, const char *path)
{
	char *json = NULL, *v = NULL;
	sqlite3_stmt *st;

	assert_int_equal(wq_case_show_json(F.store, &F.admin, number, 0, &json),
			 WQ_ERR_OK);
	assert_int_equal(sqlite3_prepare_v2(wq_store_sqlite(F.store),
					    "SELECT json_extract(?1, ?2)", -1,
					    &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	free(json);
	return v ? v : strdup("(null)");
}

#define assert_shown(number, path, want)                                       \
	do {                                                                   \
		char *v_ = shown((number), (path));                            \
		assert_string_equal(v_, (want));                               \
		free(v_);                                                      \
	} while (0)

static void test_regime_for_day(void **state)
{
	char regime[64];
	int day;

	(void)state;
	assert_true(wq_date_parse("2026-04-14", &day));
	assert_int_equal(wq_clock_regime_for(F.store, day, regime,
					     sizeof(regime)),
			 WQ_ERR_OK);
	assert_string_equal(regime, "samr-order-20");
	assert_int_equal(wq_clock_regime_for(F.store, day + 1, regime,
					     sizeof(regime)),
			 WQ_ERR_OK);
	assert_string_equal(regime, "samr-order-121");
}

static void test_received_before_and_from_the_cut_over(void **state)
{
	char before[32], from[32], late[32];

	(void)state;
	/* 23:59 on the 14th in Beijing. */
	make_case("2026-04-14T15:59:00Z", "四月十四日", before);
	/* 17:00 UTC on the 14th is 01:00 on the 15th in Beijing. */
	make_case("2026-04-14T17:00:00Z", "北京十五日", late);
	make_case("2026-04-15T02:00:00Z", "四月十五日", from);
	assert_shown(before, "$.regime", "samr-order-20");
	assert_shown(late, "$.regime", "samr-order-121");
	assert_shown(from, "$.regime", "samr-order-121");
	/* 7 working days from Tue 14 April, and from Wed 15 April. */
	assert_shown(before, "$.due_on", "2026-04-23");
	assert_shown(late, "$.due_on", "2026-04-24");
}

static void test_clock_use_leaves_cases_alone(void **state)
{
	char path[256], old[32], fresh[32];
	char *due;
	FILE *f;

	(void)state;
	make_case("2026-05-06T02:00:00Z", "换规则前", old);
	due = shown(old, "$.due_on");
	snprintf(path, sizeof(path), "%s/assoc.json", F.dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"regime\": \"assoc-test\", \"clocks\": ["
	      "{\"clock\": \"accept\", \"working_days\": 2,"
	      " \"start_status\": \"received\","
	      " \"stop_statuses\": [\"accepted\", \"not_accepted\"],"
	      " \"verified\": true, \"source\": \"the association's rules\"},"
	      "{\"clock\": \"mediation\", \"working_days\": 3,"
	      " \"start_status\": \"accepted\","
	      " \"stop_statuses\": [\"agreement\", \"mediation_ended\"],"
	      " \"verified\": true, \"source\": \"the association's rules\"}"
	      "]}",
	      f);
	fclose(f);
	import(path);
	assert_int_equal(wq_clock_use(F.store, &F.admin, "assoc-test"),
			 WQ_ERR_OK);

	/* New cases follow the regime now active... */
	make_case("2026-05-06T03:00:00Z", "换规则后", fresh);
	assert_shown(fresh, "$.regime", "assoc-test");
	assert_shown(fresh, "$.due_on", "2026-05-08");
	/* ...the earlier one keeps its regime and its deadline... */
	assert_shown(old, "$.regime", "samr-order-121");
	assert_shown(old, "$.due_on", due);
	free(due);
	/* ...and its next clock is counted under it: 45 working days of
	 * mediation, not the association's 3. */
	{
		struct wq_ruling r = {0};
		struct wq_ruling_result res;
		const char *argv[1];

		set_now("2026-05-07T02:00:00Z");
		r.argv = argv;
		r.action = "screen";
		if (wq_rule(F.store, &F.sam, old, &r, &res) != WQ_ERR_OK)
			fail_msg("screen: %s", wq_err_detail());
		r.action = "accept";
		if (wq_rule(F.store, &F.sam, old, &r, &res) != WQ_ERR_OK)
			fail_msg("accept: %s", wq_err_detail());
		assert_string_equal(res.due_on, "2026-07-09");
	}
	assert_shown(old, "$.regime", "samr-order-121");
	assert_int_equal(wq_clock_use(F.store, &F.admin, "samr-order-20"),
			 WQ_ERR_OK);
}

static void test_unverified_mark(void **state)
{
	char before[32], from[32];

	(void)state;
	make_case("2026-04-10T02:00:00Z", "二十号令", before);
	make_case("2026-06-01T02:00:00Z", "一二一号令", from);
	/* Order No. 20, art. 14: read in its text. */
	assert_shown(before, "$.due_verified", "1");
	assert_shown(before, "$.figures.accept.verified", "1");
	/* Reports of the order only. */
	assert_shown(before, "$.figures.mediation.verified", "0");
	/* No official text of Order No. 121 was available. */
	assert_shown(from, "$.due_verified", "0");
	assert_shown(from, "$.figures.accept.verified", "0");
	assert_shown(from, "$.figures.mediation.verified", "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regime_for_day),
		cmocka_unit_test(test_received_before_and_from_the_cut_over),
		cmocka_unit_test(test_clock_use_leaves_cases_alone),
		cmocka_unit_test(test_unverified_mark),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("regimes", tests, setup, teardown);
}
