/* Order No. 121's procedure for consumer complaints, as announced: the
 * grounds for not accepting of the case's regime, the refusal for missing
 * materials naming the fields the case lacks, a fraudulent claim ending
 * mediation and passed to the police, the follow-up visit, the platform
 * operator's seat as jurisdiction and handling region, entrusted
 * mediation.  Cases received before 2026-04-15 keep Order No. 20's
 * grounds. */
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
#include "weiquan/audit.h"
#include "weiquan/case.h"
#include "weiquan/clock.h"
#include "weiquan/err.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/user.h"
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

static int setup(void **state)
{
	char path[512];
	char regime[64];

	(void)state;
	if (fixture_open("order121", "2026-04-01T02:00:00Z", F.dir, F.path,
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

/* A case received at `now`; furnished: with every material the rule
 * requires but the addresses (phone, claim). */
static int64_t make_case(const char *now, bool furnished, char number[32])
{
	struct wq_intake in = {0};
	int64_t id;

	set_now(now);
	in.type = "complaint";
	in.category = "quality";
	in.consumer_name = "王女士";
	in.merchant_name = "某某数码旗舰店";
	in.statement = "收到的手机是翻新机，要求退款。";
	if (furnished) {
		in.consumer_phone = "13812345678";
		in.remedy = "refund";
	}
	if (wq_case_create(F.store, &F.admin, &in, &id, number) != WQ_ERR_OK)
		fail_msg("case create: %s", wq_err_detail());
	return id;
}

static enum wq_err rule(const char *number, const char *action, int argc,
			const char *a0, const char *a1)
{
	const char *argv[2] = {a0, a1};
	struct wq_ruling r = {.action = action, .argc = argc, .argv = argv};
	struct wq_ruling_result res;

	return wq_rule(F.store, &F.sam, number, &r, &res);
}

#define assert_rule(number, action, argc, a0, a1)                              \
	do {                                                                   \
		if (rule((number), (action), (argc), (a0), (a1)) != WQ_ERR_OK) \
			fail_msg("%s: %s", (action), wq_err_detail());         \
	} while (0)

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

static bool has(const char *const *list, const char *code)
{
	for (; *list; list++)
		if (strcmp(*list, code) == 0)
			return true;
	return false;
}

static void test_grounds_by_regime(void **state)
{
	const struct wq_action *na = wq_action_find("not-accept");
	const struct wq_action *end = wq_action_find("end");
	const char *codes[64];
	int n;

	(void)state;
	n = wq_action_reasons(na, "samr-order-20", codes, 64);
	assert_true(has(codes, "false-identity"));
	assert_false(has(codes, "false-materials"));
	assert_false(has(codes, "impersonation"));
	assert_string_equal(codes[n - 1], "other");

	n = wq_action_reasons(na, "samr-order-121", codes, 64);
	assert_true(has(codes, "false-materials"));
	assert_true(has(codes, "impersonation"));
	assert_true(has(codes, "identity-refused"));
	assert_true(has(codes, "materials-missing"));
	assert_false(has(codes, "false-identity"));
	assert_string_equal(codes[n - 1], "other");

	/* An association's own rules: every code. */
	wq_action_reasons(na, "assoc-test", codes, 64);
	assert_true(has(codes, "false-identity"));
	assert_true(has(codes, "false-materials"));

	wq_action_reasons(end, "samr-order-20", codes, 64);
	assert_false(has(codes, "fraudulent-claim"));
	wq_action_reasons(end, "samr-order-121", codes, 64);
	assert_true(has(codes, "fraudulent-claim"));
}

static void test_not_accept_keeps_the_regime(void **state)
{
	char old[32], fresh[32];

	(void)state;
	make_case("2026-04-10T02:00:00Z", true, old);
	make_case("2026-05-06T02:00:00Z", true, fresh);
	set_now("2026-05-07T02:00:00Z");
	assert_int_equal(rule(old, "not-accept", 1, "false-materials", NULL),
			 WQ_ERR_INVALID);
	assert_non_null(strstr(wq_err_detail(), "samr-order-20"));
	assert_int_equal(rule(fresh, "not-accept", 1, "false-identity", NULL),
			 WQ_ERR_INVALID);
	assert_rule(old, "not-accept", 1, "false-identity", NULL);
	assert_rule(fresh, "not-accept", 1, "impersonation", NULL);
	assert_shown(fresh, "$.reason", "impersonation");
}

static void test_missing_materials_named(void **state)
{
	char bare[32], full[32];
	char missing[256];
	int64_t id;

	(void)state;
	id = make_case("2026-05-06T02:00:00Z", false, bare);
	assert_int_equal(wq_case_missing_materials(F.store, id, missing,
						   sizeof(missing)),
			 WQ_ERR_OK);
	assert_string_equal(missing, "complainant-phone complainant-address "
				     "respondent-address claim");
	set_now("2026-05-06T03:00:00Z");
	assert_rule(bare, "address", 2, "complainant", "北京市朝阳区某路1号");
	assert_shown(bare, "$.complainant_address", "北京市朝阳区某路1号");
	assert_int_equal(wq_case_missing_materials(F.store, id, missing,
						   sizeof(missing)),
			 WQ_ERR_OK);
	assert_string_equal(missing, "complainant-phone respondent-address "
				     "claim");
	assert_rule(bare, "not-accept", 1, "materials-missing", NULL);
	assert_shown(bare, "$.events[#-1].details.args.missing",
		     "[\"complainant-phone\",\"respondent-address\",\"claim\"]");

	/* A case with everything is not refused for missing materials. */
	make_case("2026-05-06T02:00:00Z", true, full);
	assert_rule(full, "address", 2, "complainant", "北京市朝阳区某路1号");
	assert_rule(full, "address", 2, "respondent", "浙江省杭州市某路2号");
	assert_int_equal(rule(full, "not-accept", 1, "materials-missing", NULL),
			 WQ_ERR_INVALID);
	assert_shown(full, "$.status", "received");
}

static void mediate(const char *number)
{
	assert_rule(number, "screen", 0, NULL, NULL);
	assert_rule(number, "accept", 0, NULL, NULL);
	assert_rule(number, "start", 0, NULL, NULL);
}

static void test_fraudulent_claim_to_the_police(void **state)
{
	char old[32], fresh[32], absent[32];
	struct wq_audit_report report;

	(void)state;
	make_case("2026-04-10T02:00:00Z", true, old);
	make_case("2026-05-06T02:00:00Z", true, fresh);
	make_case("2026-05-06T02:00:00Z", true, absent);
	set_now("2026-05-07T02:00:00Z");
	mediate(old);
	mediate(fresh);
	mediate(absent);
	/* Order No. 20 names no such ground. */
	assert_int_equal(rule(old, "end", 1, "fraudulent-claim", NULL),
			 WQ_ERR_INVALID);
	/* Nothing to pass on before mediation ended for it. */
	assert_int_equal(rule(fresh, "refer-police", 2, "某市公安局某分局",
			      "投诉材料"),
			 WQ_ERR_BAD_STATUS);
	assert_rule(fresh, "end", 1, "fraudulent-claim", NULL);
	assert_shown(fresh, "$.status", "mediation_ended");
	assert_int_equal(rule(fresh, "refer-police", 2, "某市公安局某分局", " "),
			 WQ_ERR_INVALID);
	set_now("2026-05-08T02:00:00Z");
	assert_rule(fresh, "refer-police", 2, "某市公安局某分局",
		    "投诉材料、聊天记录、调解笔录");
	assert_shown(fresh, "$.police_referrals[0].police_body",
		     "某市公安局某分局");
	assert_shown(fresh, "$.police_referrals[0].sent",
		     "投诉材料、聊天记录、调解笔录");
	assert_shown(fresh, "$.police_referrals[0].by", "sam");
	assert_shown(fresh, "$.police_referrals[0].at", "2026-05-08T02:00:00Z");
	/* Another ground for ending is not passed to the police. */
	assert_rule(absent, "end", 1, "party-absent", NULL);
	assert_int_equal(rule(absent, "refer-police", 2, "某市公安局", "材料"),
			 WQ_ERR_BAD_STATUS);
	assert_int_equal(wq_audit_verify(F.store, &report), WQ_ERR_OK);
}

static void test_follow_up_visit(void **state)
{
	char number[32];

	(void)state;
	make_case("2026-05-06T02:00:00Z", true, number);
	set_now("2026-05-07T02:00:00Z");
	/* Not handled yet. */
	assert_int_equal(rule(number, "follow-up", 1, "satisfied", NULL),
			 WQ_ERR_BAD_STATUS);
	mediate(number);
	assert_rule(number, "settle", 0, NULL, NULL);
	assert_int_equal(rule(number, "follow-up", 1, "happy", NULL),
			 WQ_ERR_INVALID);
	assert_rule(number, "follow-up", 2, "basically-satisfied",
		    "退款已到账，对处理速度不满");
	assert_shown(number, "$.follow_ups[0].outcome", "basically-satisfied");
	assert_shown(number, "$.follow_ups[0].note",
		     "退款已到账，对处理速度不满");
	assert_shown(number, "$.follow_ups[0].by", "sam");
}

static void test_platform_seat_and_entrusted(void **state)
{
	char number[32];
	struct wq_audit_report report;

	(void)state;
	make_case("2026-05-06T02:00:00Z", true, number);
	set_now("2026-05-07T02:00:00Z");
	assert_int_equal(rule(number, "platform-seat", 2, "no-address",
			      "浙江省杭州市"),
			 WQ_ERR_INVALID);
	assert_rule(number, "platform-seat", 2, "no-published-address",
		    "浙江省杭州市");
	assert_shown(number, "$.region", "浙江省杭州市");
	assert_shown(number, "$.jurisdiction.ground", "no-published-address");
	assert_shown(number, "$.jurisdiction.platform_domicile",
		     "浙江省杭州市");
	assert_shown(number, "$.jurisdiction.verified", "0");
	assert_rule(number, "entrusted", 1, "杭州市西湖区市场监督管理局", NULL);
	assert_shown(number, "$.entrusted_by", "杭州市西湖区市场监督管理局");
	/* The region changed by a ruling replays from the events. */
	assert_int_equal(wq_audit_verify(F.store, &report), WQ_ERR_OK);
	assert_int_equal(report.first_bad, 0);
}

/* The mediation clock pauses for testing as the case's regime says: a
 * case under Order No. 121 pauses, one under an association's rules that
 * do not pause keeps counting. */
static void test_testing_pause_follows_the_regime(void **state)
{
	char path[256], fresh[32], assoc[32], *v;
	FILE *f;

	(void)state;
	make_case("2026-05-06T02:00:00Z", true, fresh);
	snprintf(path, sizeof(path), "%s/nopause.json", F.dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"regime\": \"assoc-nopause\", \"clocks\": ["
	      "{\"clock\": \"mediation\", \"working_days\": 30,"
	      " \"start_status\": \"accepted\","
	      " \"stop_statuses\": [\"agreement\", \"mediation_ended\"],"
	      " \"pause_substates\": [], \"verified\": true,"
	      " \"source\": \"the association's rules\"}]}",
	      f);
	fclose(f);
	{
		char regime[64];

		assert_int_equal(wq_clock_import(F.store, &F.admin, path,
						 regime, sizeof(regime)),
				 WQ_ERR_OK);
	}
	assert_int_equal(wq_clock_use(F.store, &F.admin, "assoc-nopause"),
			 WQ_ERR_OK);
	make_case("2026-05-06T03:00:00Z", true, assoc);
	set_now("2026-05-07T02:00:00Z");
	mediate(fresh);
	mediate(assoc);
	assert_rule(fresh, "substate", 1, "testing", NULL);
	assert_rule(assoc, "substate", 1, "testing", NULL);
	assert_shown(fresh, "$.clocks.mediation.paused", "2026-05-07");
	assert_shown(assoc, "$.clocks.mediation.paused", "(null)");
	/* The regime file gives the procedure and its source, unverified. */
	v = shown(fresh, "$.figures.mediation.source");
	assert_non_null(strstr(v, "testing and appraisal procedure"));
	free(v);
	assert_shown(fresh, "$.figures.mediation.verified", "0");
	assert_int_equal(wq_clock_use(F.store, &F.admin, "samr-order-20"),
			 WQ_ERR_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grounds_by_regime),
		cmocka_unit_test(test_not_accept_keeps_the_regime),
		cmocka_unit_test(test_missing_materials_named),
		cmocka_unit_test(test_fraudulent_claim_to_the_police),
		cmocka_unit_test(test_follow_up_visit),
		cmocka_unit_test(test_platform_seat_and_entrusted),
		cmocka_unit_test(test_testing_pause_follows_the_regime),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("order121", tests, setup, teardown);
}
