/* One audit chain across versions of the program: a database written by
 * weiquan before audit details were built and the chain replayed in C
 * with Jansson (tests/unit/audit-schema18.sql, made at commit 62ee31f)
 * verifies with this one, the events this one appends verify in the same
 * chain, replay still compares every case row, and an event written for
 * the same step by both versions has the same details, byte for byte. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "store_sqlite.h"
#include "weiquan/audit.h"
#include "weiquan/clock.h"
#include "weiquan/err.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/transfer.h"
#include "weiquan/user.h"
#include "tests/unit/fixture.h"

/* The fixture's own figures. */
#define OLD_EVENTS 15
#define OLD_CASES 2

struct fx {
	char dir[64];
	char path[128];
	struct wq_store *store;
	struct wq_user root, alice;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	if (text)
		text[n] = '\0';
	fclose(f);
	return text;
}

static int setup(void **state)
{
	static struct fx fx;
	char sql_path[512];
	char *sql;
	sqlite3 *db;
	int rc;

	memset(&fx, 0, sizeof(fx));
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	setenv("WEIQUAN_NOW", "2026-03-03T09:00:00Z", 1);
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/wq-versions-XXXXXX");
	if (!mkdtemp(fx.dir))
		return -1;
	snprintf(fx.path, sizeof(fx.path), "%s/wq.db", fx.dir);
	snprintf(sql_path, sizeof(sql_path), "%s/tests/unit/audit-schema18.sql",
		 fixture_srcdir());
	sql = slurp(sql_path);
	if (!sql) {
		fprintf(stderr, "# cannot read %s\n", sql_path);
		return -1;
	}
	/* The dump as the sqlite3 shell would load it. */
	rc = sqlite3_open(fx.path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "# loading the fixture: %s\n", sqlite3_errmsg(db));
	sqlite3_close(db);
	free(sql);
	if (rc != SQLITE_OK)
		return -1;
	/* Migrates it if this program's schema is newer. */
	if (wq_store_open(fx.path, WQ_OPEN_INIT, &fx.store) != WQ_ERR_OK) {
		fprintf(stderr, "# open: %s\n", wq_err_detail());
		return -1;
	}
	wq_audit_set_os_login("tester");
	if (wq_user_lookup(fx.store, "root", &fx.root) != WQ_ERR_OK ||
	    wq_user_lookup(fx.store, "alice", &fx.alice) != WQ_ERR_OK)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	wq_store_close(&fx->store);
	fixture_remove_dir(fx->dir);
	return 0;
}

static char *event_details(struct wq_store *store, const char *where)
{
	char sql[256];
	struct wq_stmt *st;
	char *out = NULL;

	snprintf(sql, sizeof(sql), "SELECT details FROM events WHERE %s", where);
	assert_int_equal(wq_store_prepare_once(store, sql, &st), WQ_ERR_OK);
	if (wq_step(st) == WQ_ROW)
		out = strdup(wq_column_text(st, 0));
	wq_store_finalize(store, st);
	assert_non_null(out);
	return out;
}

static void verify_ok(struct wq_store *store, int64_t events, int64_t cases,
		      int64_t offers)
{
	struct wq_audit_report report;
	enum wq_err err = wq_audit_verify(store, &report);

	if (err)
		fail_msg("audit verify: %s\n%s", wq_err_detail(),
			 report.problems ? report.problems : "");
	assert_int_equal(report.checked, events);
	assert_int_equal(report.first_bad, 0);
	assert_int_equal(report.cases, cases);
	assert_int_equal(report.offers, offers);
	assert_int_equal(report.nunchecked, 0);
	wq_audit_report_free(&report);
}

static void rule(struct fx *fx, const char *number, const char *action,
		 int argc, const char *const *argv)
{
	struct wq_ruling r = {.action = action, .argc = argc, .argv = argv};
	struct wq_ruling_result res;

	if (wq_rule(fx->store, &fx->alice, number, &r, &res) != WQ_ERR_OK)
		fail_msg("%s %s: %s", number, action, wq_err_detail());
}

static void test_old_chain_verifies(void **state)
{
	struct fx *fx = *state;

	verify_ok(fx->store, OLD_EVENTS, OLD_CASES, 1);
}

/* The same step gives the same details as the old program wrote. */
static void test_same_details_as_before(void **state)
{
	struct fx *fx = *state;
	char path[512], regime[64];
	char *old, *new;

	snprintf(path, sizeof(path), "%s/data/clock-rules-121.json",
		 fixture_srcdir());
	assert_int_equal(wq_clock_import(fx->store, &fx->root, path, regime,
					 sizeof(regime)),
			 WQ_ERR_OK);
	old = event_details(fx->store, "id = 3");
	new = event_details(fx->store, "id = (SELECT max(id) FROM events)");
	assert_string_equal(old, "{\"regime\":\"samr-order-121\",\"clocks\":7}");
	assert_string_equal(new, old);
	free(old);
	free(new);

	assert_int_equal(wq_clock_use(fx->store, &fx->root, "samr-order-121"),
			 WQ_ERR_OK);
	old = event_details(fx->store, "id = 14");
	new = event_details(fx->store, "id = (SELECT max(id) FROM events)");
	assert_string_equal(new, old);
	free(old);
	free(new);
	assert_int_equal(wq_clock_use(fx->store, &fx->root, "samr-order-20"),
			 WQ_ERR_OK);
	verify_ok(fx->store, OLD_EVENTS + 3, OLD_CASES, 1);
}

/* New events on old cases and a new case: one chain, every row agrees. */
static void test_new_events_in_the_old_chain(void **state)
{
	struct fx *fx = *state;
	static const char json[] =
		"[{\"type\":\"complaint\",\"category\":\"quality\","
		"\"consumer_name\":\"王五 \\\"引号\\\"\",\"merchant_name\":\"商店\","
		"\"statement\":\"第一行\\n第二行\\t\\\\ \\ud83d\\ude00\","
		"\"amount_fen\":1999}]";
	static const char *const note[] = {"新备注 \"quotes\" \\ and\ttab"};
	static const char *const counter[] = {"1", "refund", "299"};
	char path[192];
	struct wq_import_opts o = {.path = path, .reason = "迁移"};
	struct wq_import_result res;
	FILE *f;
	int64_t before;
	struct wq_stmt *st;

	assert_int_equal(wq_store_prepare(fx->store,
					  "SELECT max(id) FROM events", &st),
			 WQ_ERR_OK);
	assert_int_equal(wq_step(st), WQ_ROW);
	before = wq_column_int64(st, 0);
	wq_store_finalize(fx->store, st);

	rule(fx, "WQ-2026-000001", "note", 1, note);
	rule(fx, "WQ-2026-000001", "counter", 3, counter);
	snprintf(path, sizeof(path), "%s/new.json", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(json, f);
	fclose(f);
	assert_int_equal(wq_transfer_import(fx->store, &fx->root, &o, &res),
			 WQ_ERR_OK);
	assert_int_equal(res.cases, 1);
	rule(fx, "WQ-2026-000003", "claim", 0, NULL);
	rule(fx, "WQ-2026-000002", "claim", 0, NULL);
	verify_ok(fx->store, before + 5, OLD_CASES + 1, 2);
}

/* Replay still compares: a row changed behind the chain's back is found
 * in an old case and in a new one, named by field. */
static void test_replay_still_compares(void **state)
{
	struct fx *fx = *state;
	struct wq_audit_report report;
	sqlite3 *db = wq_store_sqlite(fx->store);
	static const char *const none[] = {NULL};

	rule(fx, "WQ-2026-000002", "claim", 0, none);
	assert_int_equal(sqlite3_exec(db,
				      "UPDATE cases SET remedy = 'x', clocks ="
				      " json_set(clocks, '$.accept.due',"
				      " '2030-01-01') WHERE number IN"
				      " ('WQ-2026-000001', 'WQ-2026-000002')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(wq_audit_verify(fx->store, &report), WQ_ERR_AUDIT);
	assert_int_equal(report.first_bad, 0);
	assert_int_equal(report.nproblems, 4);
	assert_non_null(strstr(report.problems,
			       "case WQ-2026-000001: remedy claimed is x in the table"));
	assert_non_null(strstr(report.problems,
			       "case WQ-2026-000002: clocks differ in the table "
			       "from its events: accept"));
	wq_audit_report_free(&report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_old_chain_verifies, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_same_details_as_before,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_new_events_in_the_old_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_still_compares,
						setup, teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("audit_versions", tests, NULL, NULL);
}
