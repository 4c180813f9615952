/* Unit tests of the dashboard's figures (src/report.c) and of the counters
 * of schema migration 3 that feed them: a few dozen cases are registered
 * and worked through the real rulings at pinned times, and every figure
 * of wq_report_load() is checked against a direct count over cases and
 * events — after the rulings, after more rulings, after an import, after
 * writes that bypass the core, and after the migration rebuilt the
 * counters from the rows.  Also: the JSON carries the same figures, only
 * supervisors and admins read them, only supervisors flag merchants. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "store_sqlite.h"
#include "util.h"
#include "weiquan/calendar.h"
#include "weiquan/case.h"
#include "weiquan/clock.h"
#include "weiquan/diversion.h"
#include "weiquan/err.h"
#include "weiquan/report.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/transfer.h"
#include "weiquan/user.h"
#include "weiquan/wqtime.h"
#include "tests/unit/fixture.h"

#define NOW "2026-11-25T02:00:00Z"   /* a Wednesday, 10:00 in Shanghai */
#define NCASES 36

struct fx {
	char dir[64];
	char path[128];
	struct wq_store *store;
	struct wq_user admin, desk, alice, bob, sam, sue, sid;
	char number[NCASES][32];
	time_t received[NCASES];
};

static struct fx F;

static time_t at_time(const char *iso)
{
	time_t t;

	if (!wq_time_parse(iso, &t))
		abort();
	return t;
}

static void set_time(time_t t)
{
	char iso[21];

	wq_time_format(t, iso);
	setenv("WEIQUAN_NOW", iso, 1);
}

static int add_user(const char *login, enum wq_role role,
		    struct wq_user *out)
{
	return fixture_add_user(F.store, &F.admin, login, role, NULL, out);
}

/* ---- small SQL helpers (direct counts) ---- */

static int64_t q_int(const char *sql, const char *a1, const char *a2,
		     const char *a3)
{
	sqlite3_stmt *st;
	int64_t v;

	if (sqlite3_prepare_v2(wq_store_sqlite(F.store), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(wq_store_sqlite(F.store)));
	if (a1)
		sqlite3_bind_text(st, 1, a1, -1, SQLITE_STATIC);
	if (a2)
		sqlite3_bind_text(st, 2, a2, -1, SQLITE_STATIC);
	if (a3)
		sqlite3_bind_text(st, 3, a3, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *q_text(const char *sql, const char *a1)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_prepare_v2(wq_store_sqlite(F.store), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(wq_store_sqlite(F.store)));
	if (a1)
		sqlite3_bind_text(st, 1, a1, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v ? v : strdup("");
}

static void exec(const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(wq_store_sqlite(F.store), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* ---- building the cases ---- */

static const char *const categories[] = {"quality", "refund", "delivery",
					 "advertising", "service"};
static const char *const regions[] = {"广东省广州市", "上海市浦东新区",
				      "四川省成都市", ""};
static const char *const merchants[] = {"优品数码旗舰店", "好物百货店",
					"阳光家居小店", "极客服饰工作室"};

static void create(int i)
{
	struct wq_intake in = {0};
	char received[21];
	int64_t id;

	/* Received 1 to 71 days ago, at 09:30 or 17:30 local. */
	F.received[i] = at_time(NOW) - (time_t)(2 * i + 1) * 86400 +
			(i % 2 ? 8 * 3600 : -1800);
	wq_time_format(F.received[i], received);
	set_time(F.received[i]);
	in.type = i % 9 == 4 ? "diversion" : i % 7 == 3 ? "ip" : "complaint";
	/* The rulings below are a complaint's: the IP notices and diversion
	 * cases are ones registered before their tracks existed, which go
	 * on as complaints (wq_track_for). */
	if (strcmp(in.type, "complaint") != 0)
		in.status = "received";
	in.category = categories[i % 5];
	in.region = regions[i % 4];
	in.consumer_name = i % 5 == 0 ? "张三" : "李四";
	in.consumer_phone = "13800138000";
	in.merchant_name = merchants[i % 4];
	in.merchant_platform = "淘宝";
	in.merchant_shop_id = merchants[i % 4];
	in.amount_fen = 10000 + i * 100;
	in.remedy = "refund";
	in.statement = "商品有问题，要求退款。";
	in.received_at = received;
	assert_int_equal(
		wq_case_create(F.store, &F.desk, &in, &id, F.number[i]),
		WQ_ERR_OK);
	/* Most diversion disputes come with their details (the rest are
	 * completed later, at a desk), their regions in a few places. */
	if (strcmp(in.type, "diversion") == 0 && i % 4 != 0) {
		assert_int_equal(wq_store_begin_write(F.store), WQ_ERR_OK);
		if (wq_diversion_add_tx(
			    F.store, &F.sam, id,
			    &(struct wq_diversion){
				    .brand = "黔台",
				    .authorised_region = regions[i % 3],
				    .found_region = regions[(i / 9) % 3],
				    .penalty_fen = -1}))
			fail_msg("diversion details of case %d: %s", i,
				 wq_err_detail());
		assert_int_equal(wq_store_commit(F.store), WQ_ERR_OK);
	}
}

/* Applies a ruling at time t; returns the record it made (an offer). */
static int64_t rule_at(time_t t, const struct wq_user *who, int i,
		       const char *action, ...)
{
	const char *argv[4];
	struct wq_ruling r = {0};
	struct wq_ruling_result res;
	enum wq_err err;
	va_list ap;

	va_start(ap, action);
	while (r.argc < 4 && (argv[r.argc] = va_arg(ap, const char *)))
		r.argc++;
	va_end(ap);
	r.action = action;
	r.argv = argv;
	set_time(t);
	err = wq_rule(F.store, who, F.number[i], &r, &res);
	if (err)
		fail_msg("case %d %s %s: %s: %s", i, F.number[i], action,
			 wq_strerror(err), wq_err_detail());
	return res.created_id;
}

/* One scenario per case, steps an hour apart from a day after receipt
 * (or, for every third case, finishing today). */
static void work(int i)
{
	time_t t = F.received[i] + 86400;
	const struct wq_user *m = i % 2 ? &F.bob : &F.alice;
	char offer[32];
	int64_t id;

#define STEP(...) rule_at(t += 3600, __VA_ARGS__, NULL)
	switch (i % 12) {
	case 0: /* left received */
		break;
	case 1:
		STEP(m, i, "claim");
		STEP(m, i, "need-info");
		break;
	case 2:
		STEP(m, i, "claim");
		STEP(m, i, "screen");
		STEP(m, i, "accept");
		STEP(m, i, "start");
		if (i % 3 == 0)
			t = at_time(NOW) - 4 * 3600;
		STEP(m, i, "substate", "testing");
		break;
	case 3:
		STEP(m, i, "claim");
		STEP(m, i, "screen");
		STEP(m, i, "accept");
		STEP(m, i, "start");
		id = STEP(m, i, "offer", "respondent", "refund", "100");
		snprintf(offer, sizeof(offer), "%" PRId64, id);
		STEP(m, i, "agree", offer, "respondent", "2026-12-31");
		STEP(m, i, "watch");
		STEP(m, i, "performed");
		if (i % 3 == 0)
			t = at_time(NOW) - 4 * 3600;
		STEP(m, i, "submit");
		STEP(&F.sam, i, "approve");
		STEP(&F.sue, i, "approve");
		break;
	case 4:
		STEP(m, i, "claim");
		STEP(m, i, "screen");
		STEP(m, i, "accept");
		STEP(m, i, "start");
		id = STEP(m, i, "offer", "respondent", "refund", "100");
		snprintf(offer, sizeof(offer), "%" PRId64, id);
		STEP(m, i, "agree", offer, "respondent", "2026-12-31");
		STEP(m, i, "watch");
		STEP(m, i, "unperformed");
		break;
	case 5:
		STEP(m, i, "claim");
		STEP(m, i, "screen");
		STEP(m, i, "odr", "投诉人选择先由商家处理");
		STEP(m, i, "odr-settled");
		break;
	case 6:
		STEP(m, i, "claim");
		STEP(m, i, "screen");
		STEP(m, i, "accept");
		if (i % 3 == 0)
			t = at_time(NOW) - 4 * 3600;
		STEP(m, i, "settle");
		break;
	case 7:
		STEP(m, i, "claim");
		STEP(m, i, "screen");
		STEP(m, i, "accept");
		STEP(m, i, "start");
		STEP(m, i, "settle");
		STEP(m, i, "notify");
		STEP(m, i, "submit");
		STEP(&F.sam, i, "approve");
		break;
	case 8:
		STEP(m, i, "claim");
		STEP(m, i, "not-accept", "time-barred");
		STEP(m, i, "submit");
		STEP(&F.sam, i, "approve");
		STEP(&F.sue, i, "approve");
		STEP(&F.sam, i, "reopen", "复查");
		break;
	case 9:
		STEP(m, i, "claim");
		STEP(m, i, "screen");
		STEP(m, i, "accept");
		if (i % 3 == 0)
			t = at_time(NOW) - 4 * 3600;
		STEP(m, i, "end", "party-absent");
		break;
	case 10:
		STEP(&F.sam, i, "assign", "bob");
		STEP(&F.bob, i, "flag", "possibly-malicious");
		break;
	default:
		STEP(&F.desk, i, "withdraw");
		break;
	}
#undef STEP
}

static int import_csv(const char *name, const char *body)
{
	static const char header[] =
		"number,type,category,region,status,substate,assignee,"
		"received_at,consumer_name,consumer_phone,consumer_id_number,"
		"merchant_name,merchant_platform,merchant_shop_id,"
		"merchant_region,order_no,amount,order_date,remedy,statement\n";
	char path[256];
	struct wq_import_opts o = {.path = path, .format = "csv",
				   .encoding = "utf-8",
				   .reason = "migrated from the old system"};
	struct wq_import_result res;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", F.dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(header, f);
	fputs(body, f);
	fclose(f);
	if (wq_transfer_import(F.store, &F.admin, &o, &res) != WQ_ERR_OK) {
		fprintf(stderr, "# import: %s\n", wq_err_detail());
		return -1;
	}
	return res.cases;
}

static int group_setup(void **state)
{
	(void)state;
	if (fixture_open("report", "2026-08-01T01:00:00Z", F.dir, F.path,
			 &F.store, &F.admin))
		return -1;
	if (add_user("alice", WQ_ROLE_MEDIATOR, &F.alice) ||
	    add_user("bob", WQ_ROLE_MEDIATOR, &F.bob) ||
	    add_user("sam", WQ_ROLE_SUPERVISOR, &F.sam) ||
	    add_user("sue", WQ_ROLE_SUPERVISOR, &F.sue) ||
	    add_user("sid", WQ_ROLE_SUPERVISOR, &F.sid) ||
	    add_user("desk1", WQ_ROLE_DESK, &F.desk))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	wq_store_close(&F.store);
	fixture_remove_dir(F.dir);
	return 0;
}

/* ---- the checks ---- */

static int64_t count_of(const struct wq_report_counts *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].key, key) == 0)
			return c->v[i].n;
	return 0;
}

/* Every (key, n) of a GROUP BY equals the report's, and the report has
 * no other keys (the sums agree). */
static void check_counts(const char *what, const struct wq_report_counts *c,
			 const char *sql)
{
	sqlite3_stmt *st;
	int64_t sum = 0, listed = 0;

	assert_int_equal(sqlite3_prepare_v2(wq_store_sqlite(F.store), sql, -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		int64_t n = sqlite3_column_int64(st, 1);

		if (count_of(c, key ? key : "") != n)
			fail_msg("%s[%s]: report %" PRId64 ", cases %" PRId64,
				 what, key ? key : "", count_of(c, key ? key : ""),
				 n);
		sum += n;
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < c->n; i++) {
		assert_true(c->v[i].n > 0);
		listed += c->v[i].n;
		/* Largest first. */
		if (i)
			assert_true(c->v[i - 1].n >= c->v[i].n);
	}
	if (sum != listed || c->total != listed)
		fail_msg("%s: report sums %" PRId64 " (total %" PRId64
			 "), cases %" PRId64,
			 what, listed, c->total, sum);
}

#define PAUSED "json_extract(clocks, '$.' || clock || '.paused') IS NOT NULL"
#define RUNNING "due_on <> '9999-12-31'"

static void check_clock(const struct wq_report *r,
			const struct wq_report_clock *c)
{
	char where[128];
	char sql[512];

	if (*c->clock)
		snprintf(where, sizeof(where), "clock = ?3");
	else
		snprintf(where, sizeof(where), "?3 IS NULL");
#define Q(cond, a1, a2)                                                        \
	(snprintf(sql, sizeof(sql),                                           \
		  "SELECT count(*) FROM cases WHERE " RUNNING " AND %s AND %s", \
		  where, cond),                                                \
	 q_int(sql, a1, a2, *c->clock ? c->clock : NULL))
	assert_int_equal(c->running, Q("1", NULL, NULL));
	assert_int_equal(c->paused, Q(PAUSED, NULL, NULL));
	assert_int_equal(c->overdue,
			 Q("NOT " PAUSED " AND due_on < ?1", r->today, NULL));
	assert_int_equal(c->due_today,
			 Q("NOT " PAUSED " AND due_on = ?1", r->today, NULL));
	assert_int_equal(c->due_soon,
			 Q("NOT " PAUSED " AND due_on > ?1 AND due_on <= ?2",
			   r->today, r->soon_until));
	for (int i = 0; i < WQ_REPORT_FORECAST; i++)
		assert_int_equal(c->forecast[i],
				 Q("NOT " PAUSED " AND due_on > ?1 AND"
				   " due_on <= ?2",
				   i ? r->forecast_day[i - 1] : r->today,
				   r->forecast_day[i]));
#undef Q
}

/* The 12315 outcome rules of src/report.c, replayed here from the events
 * independently of the triggers and the migration's SQL. */
struct outcome {
	int64_t concluded, mediated, success, before;
};

static bool in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static void step_outcome(struct outcome *o, const char *from, const char *to)
{
	static const char *const working[] = {"received", "need_info",
					       "screened", "accepted", "odr",
					       "in_mediation", NULL};
	static const char *const outcomes[] = {"not_accepted", "transferred",
						"settled", "withdrawn",
						"agreement", "mediation_ended",
						NULL};
	bool from_med = strcmp(from, "in_mediation") == 0;

	if (in(from, working) && in(to, outcomes))
		o->concluded++;
	if ((from_med && (!strcmp(to, "agreement") || !strcmp(to, "settled") ||
			  !strcmp(to, "mediation_ended"))) ||
	    (!strcmp(from, "accepted") && !strcmp(to, "mediation_ended")))
		o->mediated++;
	if (from_med && (!strcmp(to, "agreement") || !strcmp(to, "settled")))
		o->success++;
	if (!strcmp(from, "performance_watch") &&
	    (!strcmp(to, "mediation_ended") || !strcmp(to, "unperformed")))
		o->success--;
	if ((!strcmp(from, "odr") || !strcmp(from, "accepted")) &&
	    !strcmp(to, "settled"))
		o->before++;
}

static struct outcome replay(int64_t merchant_id)
{
	struct outcome o = {0};
	sqlite3_stmt *st;
	int64_t case_id = -1;
	char prev[32] = "received";

	assert_int_equal(
		sqlite3_prepare_v2(
			wq_store_sqlite(F.store),
			"SELECT e.case_id, json_extract(e.details, '$.set.status')"
			" FROM events e JOIN cases c ON c.id = e.case_id"
			" WHERE c.merchant_id = ?1 AND c.type = 'complaint' AND"
			" json_extract(e.details, '$.set.status') IS NOT NULL"
			" ORDER BY e.case_id, e.id",
			-1, &st, NULL),
		SQLITE_OK);
	sqlite3_bind_int64(st, 1, merchant_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *to = (const char *)sqlite3_column_text(st, 1);

		if (sqlite3_column_int64(st, 0) != case_id) {
			case_id = sqlite3_column_int64(st, 0);
			snprintf(prev, sizeof(prev), "received");
		}
		step_outcome(&o, prev, to);
		snprintf(prev, sizeof(prev), "%s", to);
	}
	sqlite3_finalize(st);
	return o;
}

static void check_rate(double rate, int64_t num, int64_t den)
{
	if (den == 0)
		assert_true(rate < 0);
	else
		assert_true(fabs(rate - (double)num / (double)den) < 1e-9);
}

static void check_all(void)
{
	struct wq_report r;
	struct wq_calendar *cal = NULL;
	bool unc = false;
	int today;
	char day[11], first[11], prev_first[11], midnight[21];
	time_t now = wq_now();
	struct tm tm;

	assert_int_equal(wq_report_load(F.store, &F.sam, &r), WQ_ERR_OK);

	/* Dates. */
	today = wq_local_day(now);
	wq_date_format(today, day);
	assert_string_equal(r.today, day);
	assert_int_equal(wq_cal_load(F.store, &cal), WQ_ERR_OK);
	for (int i = 0; i < WQ_REPORT_FORECAST; i++) {
		wq_date_format(wq_cal_add_workdays(cal, today, i + 1, &unc),
			       day);
		assert_string_equal(r.forecast_day[i], day);
	}
	wq_date_format(wq_cal_add_workdays(cal, today, WQ_REPORT_SOON, &unc),
		       day);
	assert_string_equal(r.soon_until, day);
	assert_string_equal(r.soon_until, r.forecast_day[WQ_REPORT_SOON - 1]);
	wq_cal_free(&cal);

	/* Cases by status, category, region, type, flag. */
	assert_int_equal(r.cases, q_int("SELECT count(*) FROM cases", NULL,
					 NULL, NULL));
	assert_int_equal(r.open, q_int("SELECT count(*) FROM cases WHERE"
				       " status <> 'closed'",
				       NULL, NULL, NULL));
	check_counts("status", &r.by_status,
		     "SELECT status, count(*) FROM cases GROUP BY 1");
	check_counts("category", &r.open_by_category,
		     "SELECT category, count(*) FROM cases"
		     " WHERE status <> 'closed' GROUP BY 1");
	check_counts("region", &r.open_by_region,
		     "SELECT region, count(*) FROM cases"
		     " WHERE status <> 'closed' GROUP BY 1");
	check_counts("type", &r.open_by_type,
		     "SELECT type, count(*) FROM cases"
		     " WHERE status <> 'closed' GROUP BY 1");
	check_counts("diversion", &r.diversion_by_region,
		     "SELECT region, count(*) FROM cases WHERE"
		     " status <> 'closed' AND (flags & 16) <> 0 GROUP BY 1");
	for (unsigned b = 0; b < WQ_FLAG_COUNT_; b++) {
		char sql[160];

		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM cases WHERE status <> 'closed'"
			 " AND (flags & %u) <> 0",
			 1u << b);
		assert_int_equal(count_of(&r.open_by_flag, wq_flag_name(b)),
				 q_int(sql, NULL, NULL, NULL));
	}
	assert_int_equal(r.malicious_open,
			 count_of(&r.open_by_flag, "possibly-malicious"));
	assert_int_equal(r.collective_open,
			 count_of(&r.open_by_flag, "collective"));
	assert_int_equal(r.unassigned,
			 q_int("SELECT count(*) FROM cases WHERE"
			       " status <> 'closed' AND assignee IS NULL",
			       NULL, NULL, NULL));

	/* Clocks, overall and each. */
	check_clock(&r, &r.due);
	assert_int_equal((int64_t)r.nclocks,
			 q_int("SELECT count(DISTINCT clock) FROM cases WHERE "
			       RUNNING, NULL, NULL, NULL));
	for (size_t i = 0; i < r.nclocks; i++)
		check_clock(&r, &r.clocks[i]);
	{
		int64_t soon = 0;

		for (int i = 0; i < WQ_REPORT_SOON; i++)
			soon += r.due.forecast[i];
		assert_int_equal(soon, r.due.due_soon);
	}

	/* The cases in review by assignee and status: the review order's
	 * count. */
	{
		char *kept = q_text(
		    "SELECT group_concat(key || ' ' || n, ', ') FROM (SELECT"
		    " key, n FROM report_counts WHERE dim ="
		    " 'review_assignee_status' AND n <> 0 ORDER BY key)",
		    NULL);
		char *counted = q_text(
		    "SELECT group_concat(k || ' ' || n, ', ') FROM (SELECT"
		    " coalesce(assignee, '') || '|' || status AS k, count(*)"
		    " AS n FROM cases WHERE status IN ('first_review',"
		    " 'final_review') GROUP BY 1 ORDER BY 1)",
		    NULL);

		assert_string_equal(kept, counted);
		free(kept);
		free(counted);
	}

	/* Mediators. */
	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	wq_time_format(mktime(&tm), midnight);
	assert_int_equal((int64_t)r.nmediators,
			 q_int("SELECT count(*) FROM users WHERE (active = 1"
			       " AND role IN ('mediator', 'supervisor')) OR login"
			       " IN (SELECT assignee FROM cases WHERE"
			       " status <> 'closed')",
			       NULL, NULL, NULL));
	for (size_t i = 0; i < r.nmediators; i++) {
		const struct wq_report_mediator *m = &r.mediators[i];

		assert_int_equal(m->open,
				 q_int("SELECT count(*) FROM cases WHERE"
				       " assignee = ?1 AND status <> 'closed'",
				       m->login, NULL, NULL));
		assert_int_equal(m->overdue,
				 q_int("SELECT count(*) FROM cases WHERE"
				       " assignee = ?1 AND " RUNNING " AND NOT "
				       PAUSED " AND due_on < ?2",
				       m->login, r.today, NULL));
		assert_int_equal(m->due_today,
				 q_int("SELECT count(*) FROM cases WHERE"
				       " assignee = ?1 AND NOT " PAUSED
				       " AND due_on = ?2",
				       m->login, r.today, NULL));
		assert_int_equal(m->rulings_today,
				 q_int("SELECT count(*) FROM events WHERE"
				       " actor = ?1 AND at >= ?2 AND"
				       " case_id IS NOT NULL AND action NOT IN"
				       " ('create', 'evidence', 'note',"
				       " 'statement')",
				       m->login, midnight, NULL));
	}

	/* The years without their holidays: every running deadline in
	 * them, paused or not, before today or after. */
	for (size_t i = 0; i < r.ncalendar_missing; i++) {
		char jan1[11], dec31[11];

		snprintf(jan1, sizeof(jan1), "%04d-01-01",
			 r.calendar_missing[i].year);
		snprintf(dec31, sizeof(dec31), "%04d-12-31",
			 r.calendar_missing[i].year);
		assert_int_equal(r.calendar_missing[i].deadlines,
				 q_int("SELECT count(*) FROM cases WHERE "
				       RUNNING " AND due_on >= ?1 AND"
				       " due_on <= ?2",
				       jan1, dec31, NULL));
	}

	/* The last 30 days. */
	for (int i = 0; i < WQ_REPORT_HISTORY; i++) {
		wq_date_format(today - (WQ_REPORT_HISTORY - 1) + i, day);
		assert_string_equal(r.history_day[i], day);
		assert_int_equal(r.intake[i],
				 q_int("SELECT count(*) FROM cases WHERE"
				       " date(received_at, 'localtime') = ?1",
				       day, NULL, NULL));
		/* Into closed: approved at the final review, or imported
		 * closed (counted on the day it was received). */
		assert_int_equal(
			r.closed[i],
			q_int("SELECT count(*) FROM events WHERE"
			      " action = 'approve' AND json_extract(details,"
			      " '$.set.status') = 'closed' AND"
			      " date(at, 'localtime') = ?1",
			      day, NULL, NULL) +
				q_int("SELECT count(*) FROM cases c WHERE"
				      " date(received_at, 'localtime') = ?1"
				      " AND (SELECT json_extract(details,"
				      " '$.set.status') FROM events WHERE"
				      " case_id = c.id AND action = 'create')"
				      " = 'closed'",
				      day, NULL, NULL));
	}
	wq_date_format(today - 29, first);
	wq_date_format(today - 59, prev_first);
	assert_int_equal(r.intake_last30,
			 q_int("SELECT count(*) FROM cases WHERE"
			       " date(received_at, 'localtime') >= ?1",
			       first, NULL, NULL));
	assert_int_equal(r.intake_prev30,
			 q_int("SELECT count(*) FROM cases WHERE"
			       " date(received_at, 'localtime') >= ?1 AND"
			       " date(received_at, 'localtime') < ?2",
			       prev_first, first, NULL));

	/* The consumer complaints of the same days, for all merchants'
	 * growth. */
	assert_int_equal(r.all_merchants.last30,
			 q_int("SELECT count(*) FROM cases WHERE"
			       " type = 'complaint' AND"
			       " date(received_at, 'localtime') >= ?1",
			       first, NULL, NULL));
	assert_int_equal(r.all_merchants.prev30,
			 q_int("SELECT count(*) FROM cases WHERE"
			       " type = 'complaint' AND"
			       " date(received_at, 'localtime') >= ?1 AND"
			       " date(received_at, 'localtime') < ?2",
			       prev_first, first, NULL));
	/* Diversion disputes by region, from their details. */
	check_counts("diversions by found region",
		     &r.diversion_by_found_region,
		     "SELECT found_region, count(*) FROM diversions GROUP BY 1");
	check_counts("diversions by authorised region",
		     &r.diversion_by_authorised_region,
		     "SELECT authorised_region, count(*) FROM diversions"
		     " GROUP BY 1");
	/* IP notices by status, and those found wrongful or malicious. */
	check_counts("IP notices by status", &r.ip_by_status,
		     "SELECT status, count(*) FROM cases WHERE type = 'ip'"
		     " GROUP BY status");
	assert_int_equal(count_of(&r.ip_findings, "wrongful-notice"),
			 q_int("SELECT count(*) FROM cases WHERE type = 'ip'"
			       " AND (flags & 64) <> 0", NULL, NULL, NULL));
	assert_int_equal(count_of(&r.ip_findings, "malicious-notice"),
			 q_int("SELECT count(*) FROM cases WHERE type = 'ip'"
			       " AND (flags & 128) <> 0", NULL, NULL, NULL));

	/* Merchants: all of them fit in the list.  Their figures are of
	 * consumer complaints: IP notices and diversion cases never count. */
	assert_int_equal(r.merchants, q_int("SELECT count(DISTINCT merchant_id)"
					    " FROM cases WHERE type ="
					    " 'complaint'",
					    NULL, NULL, NULL));
	assert_int_equal((int64_t)r.ntop, r.merchants);
	assert_int_equal(r.all_merchants.complaints,
			 q_int("SELECT count(*) FROM cases WHERE type ="
			       " 'complaint'",
			       NULL, NULL, NULL));
	{
		struct outcome all = {0};

		for (size_t i = 0; i < r.ntop; i++) {
			const struct wq_report_merchant *m = &r.top[i];
			struct outcome o = replay(m->id);
			char id[24];

			snprintf(id, sizeof(id), "%" PRId64, m->id);
			if (i)
				assert_true(r.top[i - 1].complaints >=
					    m->complaints);
			assert_int_equal(m->complaints,
					 q_int("SELECT count(*) FROM cases"
					       " WHERE merchant_id = ?1 AND"
					       " type = 'complaint'",
					       id, NULL, NULL));
			assert_int_equal(m->last30,
					 q_int("SELECT count(*) FROM cases"
					       " WHERE merchant_id = ?1 AND"
					       " type = 'complaint' AND"
					       " date(received_at, 'localtime')"
					       " >= ?2",
					       id, first, NULL));
			assert_int_equal(m->prev30,
					 q_int("SELECT count(*) FROM cases"
					       " WHERE merchant_id = ?1 AND"
					       " type = 'complaint' AND"
					       " date(received_at, 'localtime')"
					       " >= ?2 AND date(received_at,"
					       " 'localtime') < ?3",
					       id, prev_first, first));
			assert_int_equal(m->growth_known, m->prev30 > 0);
			if (m->prev30)
				assert_true(fabs(m->growth -
						 (double)(m->last30 - m->prev30) /
							 (double)m->prev30) <
					    1e-9);
			assert_int_equal(m->concluded, o.concluded);
			assert_int_equal(m->mediated, o.mediated);
			assert_int_equal(m->mediation_success, o.success);
			assert_int_equal(m->settled_before, o.before);
			check_rate(m->mediation_success_rate, o.success,
				   o.mediated);
			check_rate(m->settled_before_rate, o.before,
				   o.concluded);
			assert_int_equal(m->repeat_offender,
					 q_int("SELECT repeat_offender FROM"
					       " merchants WHERE id = ?1",
					       id, NULL, NULL));
			assert_int_equal(m->blacklisted,
					 q_int("SELECT blacklisted FROM"
					       " merchants WHERE id = ?1",
					       id, NULL, NULL));
			all.concluded += o.concluded;
			all.mediated += o.mediated;
			all.success += o.success;
			all.before += o.before;
		}
		assert_int_equal(r.all_merchants.concluded, all.concluded);
		assert_int_equal(r.all_merchants.mediated, all.mediated);
		assert_int_equal(r.all_merchants.mediation_success, all.success);
		assert_int_equal(r.all_merchants.settled_before, all.before);
	}
	assert_int_equal(r.repeat_offenders,
			 q_int("SELECT count(*) FROM merchants WHERE"
			       " repeat_offender = 1", NULL, NULL, NULL));
	assert_int_equal(r.blacklisted,
			 q_int("SELECT count(*) FROM merchants WHERE"
			       " blacklisted = 1", NULL, NULL, NULL));

	/* Groups and the cases awaiting a reviewer. */
	assert_int_equal(r.groups, q_int("SELECT count(*) FROM case_groups",
					 NULL, NULL, NULL));
	for (size_t i = 0; i < r.ngroup; i++) {
		char id[24];

		snprintf(id, sizeof(id), "%" PRId64, r.group[i].id);
		assert_int_equal(r.group[i].members,
				 q_int("SELECT count(*) FROM cases WHERE"
				       " group_id = ?1", id, NULL, NULL));
		assert_int_equal(r.group[i].open,
				 q_int("SELECT count(*) FROM cases WHERE"
				       " group_id = ?1 AND status <> 'closed'",
				       id, NULL, NULL));
	}
	assert_int_equal((int64_t)r.ngroup,
			 q_int("SELECT count(DISTINCT group_id) FROM cases",
			       NULL, NULL, NULL));
	assert_int_equal(r.malicious_open,
			 q_int("SELECT count(*) FROM cases WHERE"
			       " (flags & 1) <> 0 AND status <> 'closed'",
			       NULL, NULL, NULL));
	assert_int_equal((int64_t)r.nmalicious,
			 r.malicious_open < WQ_REPORT_LIST ? r.malicious_open
							   : WQ_REPORT_LIST);
	if (r.nmalicious) {
		char *oldest = q_text("SELECT number FROM cases WHERE"
				      " (flags & 1) <> 0 AND status <> 'closed'"
				      " ORDER BY received_at LIMIT 1",
				      NULL);

		assert_string_equal(r.malicious[0].number, oldest);
		free(oldest);
	}
	wq_report_free(&r);
	assert_int_equal(r.cases, 0);
}

/* ---- the tests ---- */

static void test_flag_bits(void **state)
{
	(void)state;
	/* The counters' SQL names these bits by value. */
	assert_int_equal(WQ_FLAG(MALICIOUS), 1);
	assert_int_equal(WQ_FLAG(COLLECTIVE), 4);
	assert_int_equal(WQ_FLAG(DIVERSION), 16);
	assert_int_equal(WQ_FLAG(WRONGFUL_NOTICE), 64);
	assert_int_equal(WQ_FLAG(MALICIOUS_NOTICE), 128);
}

static void test_empty(void **state)
{
	struct wq_report r;

	(void)state;
	assert_int_equal(wq_report_load(F.store, &F.sam, &r), WQ_ERR_OK);
	assert_int_equal(r.cases, 0);
	assert_int_equal(r.ntop, 0);
	assert_false(r.all_merchants.growth_known);
	assert_true(r.all_merchants.mediation_success_rate < 0);
	wq_report_free(&r);
	check_all();
}

static void test_rulings(void **state)
{
	struct wq_report r;

	(void)state;
	for (int i = 0; i < NCASES; i++)
		create(i);
	set_time(at_time(NOW));
	check_all();
	for (int i = 0; i < NCASES; i++)
		work(i);
	set_time(at_time(NOW));
	check_all();

	/* The fixture covers what it means to. */
	assert_int_equal(wq_report_load(F.store, &F.sam, &r), WQ_ERR_OK);
	assert_true(r.due.overdue > 0);
	assert_true(r.due.paused > 0);
	assert_true(r.nclocks >= 3);
	assert_true(r.diversion_by_region.total > 0);
	assert_int_equal(r.diversion_by_found_region.total, 3);
	assert_true(r.diversion_by_found_region.n > 1);
	assert_true(r.malicious_open > 0);
	assert_true(r.all_merchants.mediated > 0);
	assert_true(r.all_merchants.mediation_success > 0);
	assert_true(r.all_merchants.mediation_success <
		    r.all_merchants.mediated);
	assert_true(r.all_merchants.settled_before > 0);
	assert_true(r.intake_prev30 > 0 && r.intake_last30 > 0);
	{
		int64_t rulings = 0, closed = 0;

		for (size_t i = 0; i < r.nmediators; i++)
			rulings += r.mediators[i].rulings_today;
		for (int i = 0; i < WQ_REPORT_HISTORY; i++)
			closed += r.closed[i];
		assert_true(rulings > 0);
		assert_true(closed > 0);
	}
	wq_report_free(&r);
}

#define RULE(t, who, i, ...) rule_at(t, who, i, __VA_ARGS__, NULL)

static void test_more_rulings(void **state)
{
	time_t t = at_time(NOW) - 3 * 3600;

	(void)state;
	/* Testing ends: the mediation clock runs again, later. */
	RULE(t, &F.alice, 2, "substate", "awaiting_merchant");
	/* A review sends a case back; a closed case is reopened. */
	RULE(t, &F.sue, 7, "send-back", "补充材料");
	RULE(t, &F.sue, 3, "reopen", "当事人申诉");
	/* Assignment changes, flags come and go. */
	RULE(t, &F.sam, 0, "assign", "alice");
	RULE(t, &F.bob, 1, "release");
	RULE(t, &F.sam, 4, "unflag", "cross-region-diversion");
	RULE(t, &F.sam, 12, "flag", "cross-region-diversion");
	RULE(t, &F.sam, 13, "flag", "collective");
	RULE(t, &F.sam, 10, "unflag", "possibly-malicious");
	RULE(t, &F.sam, 21, "flag", "possibly-malicious");
	/* A withdrawn case goes through review and closes. */
	RULE(t, &F.sam, 11, "submit");
	RULE(t + 60, &F.sue, 11, "approve");
	RULE(t + 120, &F.sid, 11, "approve");
	/* Notes are no rulings. */
	RULE(t, &F.bob, 5, "note", "电话回访");
	set_time(at_time(NOW));
	check_all();
}

static void test_import(void **state)
{
	(void)state;
	set_time(at_time(NOW));
	assert_int_equal(
		import_csv("cases.csv",
			   ",complaint,refund,广东省广州市,closed,,,"
			   "2026-11-10T03:00:00Z,王五,,,好物百货店,淘宝,"
			   "好物百货店,,,99.00,,refund,已退款\n"
			   ",complaint,quality,,settled,,,"
			   "2026-10-01T03:00:00Z,赵六,,,新开小店,京东,"
			   "新开小店,,,10.00,,refund,已和解\n"
			   ",diversion,diversion,山东省济南市,in_mediation,,"
			   "alice,2026-11-24T03:00:00Z,某品牌公司,,,"
			   "窜货经销商,,,,,0,,,跨区域销售\n"
			   ",complaint,delivery,四川省成都市,received,,,"
			   "2026-11-25T01:00:00Z,孙七,,,极客服饰工作室,淘宝,"
			   "极客服饰工作室,,,1.00,,refund,未发货\n"),
		4);
	check_all();
}

/* Writes that bypass the core (there is no ruling for groups yet, and a
 * case never changes merchant) still keep the counters exact. */
static void test_direct_writes(void **state)
{
	(void)state;
	exec("INSERT INTO case_groups(id, title, merchant_id, created_by,"
	     " created_at) VALUES (1, '同一批次奶粉', 1, 'sam',"
	     " '2026-11-20T02:00:00Z'), (2, '预售不发货', 2, 'sam',"
	     " '2026-11-21T02:00:00Z')");
	exec("UPDATE cases SET group_id = 1 WHERE id IN (1, 5, 9, 4)");
	exec("UPDATE cases SET group_id = 2 WHERE id IN (2, 6)");
	check_all();
	exec("UPDATE cases SET group_id = 2 WHERE id = 9");
	exec("UPDATE cases SET group_id = NULL WHERE id = 5");
	/* Case 0 (id 1) never reached an outcome: its complaint moves. */
	exec("UPDATE cases SET merchant_id = 3 WHERE id = 1");
	check_all();
}

/* A mark with its reason and legal basis, as the dashboard and the
 * command line give them. */
static enum wq_err mark(struct wq_store *store, const struct wq_user *actor,
			int64_t id, const char *flag, bool on)
{
	return wq_merchant_mark(store, actor, id, flag, on, "一个月内投诉集中",
				"《严重违法失信名单管理办法》（未核对原文）");
}

static void test_refused(void **state)
{
	struct wq_report r;
	char *json = (char *)"untouched";
	int64_t events = q_int("SELECT count(*) FROM events", NULL, NULL, NULL);

	(void)state;
	assert_int_equal(wq_report_load(F.store, &F.alice, &r), WQ_ERR_DENIED);
	wq_report_free(&r);
	assert_int_equal(wq_report_load(F.store, &F.desk, &r), WQ_ERR_DENIED);
	wq_report_free(&r);
	assert_int_equal(wq_report_json(F.store, &F.bob, &json),
			 WQ_ERR_DENIED);
	assert_null(json);
	/* Admins read the figures too. */
	assert_int_equal(wq_report_load(F.store, &F.admin, &r), WQ_ERR_OK);
	wq_report_free(&r);
	/* Only supervisors mark merchants. */
	assert_int_equal(mark(F.store, &F.alice, 1,
					  "repeat-offender", true),
			 WQ_ERR_DENIED);
	assert_int_equal(mark(F.store, &F.admin, 1, "blacklist",
					  true),
			 WQ_ERR_DENIED);
	assert_int_equal(mark(F.store, &F.desk, 1, "blacklist",
					  true),
			 WQ_ERR_DENIED);
	assert_int_equal(q_int("SELECT count(*) FROM events", NULL, NULL, NULL),
			 events);
	assert_int_equal(q_int("SELECT count(*) FROM merchants WHERE"
			       " repeat_offender = 1 OR blacklisted = 1",
			       NULL, NULL, NULL),
			 0);
}

static void test_merchant_flag(void **state)
{
	struct wq_filter f = {0};
	struct wq_case_page page;
	int64_t events = q_int("SELECT count(*) FROM events", NULL, NULL, NULL);
	char *details;

	(void)state;
	set_time(at_time(NOW));
	assert_int_equal(mark(F.store, &F.sam, 2,
					  "repeat-offender", true),
			 WQ_ERR_OK);
	assert_int_equal(q_int("SELECT repeat_offender * 10 + blacklisted"
			       " FROM merchants WHERE id = 2",
			       NULL, NULL, NULL),
			 10);
	assert_int_equal(q_int("SELECT count(*) FROM events", NULL, NULL, NULL),
			 events + 1);
	details = q_text("SELECT action || ' ' || actor || ' ' || details"
			 " FROM events ORDER BY id DESC LIMIT 1",
			 NULL);
	assert_non_null(strstr(details, "merchant-mark sam "));
	assert_non_null(strstr(details, "\"flag\":\"repeat-offender\""));
	assert_non_null(strstr(details, "\"on\":true"));
	free(details);
	/* Already so: nothing written. */
	assert_int_equal(mark(F.store, &F.sam, 2,
					  "repeat-offender", true),
			 WQ_ERR_OK);
	assert_int_equal(q_int("SELECT count(*) FROM events", NULL, NULL, NULL),
			 events + 1);
	assert_int_equal(mark(F.store, &F.sue, 2, "blacklist",
					  true),
			 WQ_ERR_OK);
	assert_int_equal(mark(F.store, &F.sue, 2, "blacklist",
					  false),
			 WQ_ERR_OK);
	assert_int_equal(mark(F.store, &F.sue, 3, "blacklist",
					  true),
			 WQ_ERR_OK);
	assert_int_equal(q_int("SELECT count(*) FROM events", NULL, NULL, NULL),
			 events + 4);
	/* The queue shows the marks. */
	f.status = "all";
	f.limit = 200;
	assert_int_equal(wq_case_list(F.store, &F.sam, &f, &page), WQ_ERR_OK);
	for (size_t i = 0; i < page.count; i++) {
		char *name = q_text("SELECT name FROM merchants WHERE id = 2",
				    NULL);
		bool two = strcmp(page.rows[i].merchant, name) == 0;
		char *three = q_text("SELECT name FROM merchants WHERE id = 3",
				     NULL);

		assert_int_equal(page.rows[i].merchant_repeat, two);
		assert_int_equal(page.rows[i].merchant_blacklisted,
				 strcmp(page.rows[i].merchant, three) == 0);
		free(name);
		free(three);
	}
	wq_case_page_free(&page);
	/* Unknown merchant, unknown flag. */
	assert_int_equal(mark(F.store, &F.sam, 999, "blacklist",
					  true),
			 WQ_ERR_NOT_FOUND);
	assert_int_equal(mark(F.store, &F.sam, 2, "dishonest",
					  true),
			 WQ_ERR_INVALID);
	assert_int_equal(mark(F.store, &F.sam, 2, NULL, true),
			 WQ_ERR_INVALID);
	/* A mark without its reason, or set without its legal basis. */
	assert_int_equal(wq_merchant_flag(F.store, &F.sam, 3,
					  "repeat-offender", true),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_merchant_mark(F.store, &F.sam, 3, "repeat-offender",
					  true, "投诉集中", " "),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_merchant_mark(F.store, &F.sam, 3, "blacklist",
					  false, "", NULL),
			 WQ_ERR_INVALID);
	assert_int_equal(q_int("SELECT count(*) FROM events", NULL, NULL, NULL),
			 events + 4);
	/* Each mark kept with why and on what basis, in its event too. */
	assert_int_equal(q_int("SELECT count(*) FROM merchant_marks WHERE"
			       " reason = '一个月内投诉集中' AND basis LIKE"
			       " '《严重违法失信名单管理办法》%'",
			       NULL, NULL, NULL),
			 4);
	details = q_text("SELECT details FROM events WHERE action ="
			 " 'merchant-mark' ORDER BY id DESC LIMIT 1",
			 NULL);
	assert_non_null(strstr(details, "\"reason\":\"一个月内投诉集中\""));
	assert_non_null(strstr(details, "\"basis\":\"《严重违法失信名单"));
	free(details);
	/* Lifting needs a reason, not a basis. */
	assert_int_equal(wq_merchant_mark(F.store, &F.sam, 3, "blacklist",
					  false, "整改完成", NULL),
			 WQ_ERR_OK);
	/* Penalties are recorded and counted on the merchant. */
	assert_int_equal(wq_merchant_penalty(F.store, &F.desk, 2, 500000,
					     "行政处罚决定书", "消费者权益保护法"),
			 WQ_ERR_DENIED);
	assert_int_equal(wq_merchant_penalty(F.store, &F.sam, 2, 500000, "",
					     "消费者权益保护法"),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_merchant_penalty(F.store, &F.sam, 999, 0,
					     "行政处罚决定书", "消费者权益保护法"),
			 WQ_ERR_NOT_FOUND);
	assert_int_equal(q_int("SELECT penalties FROM merchants WHERE id = 2",
			       NULL, NULL, NULL),
			 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(wq_merchant_penalty(
					 F.store, &F.sam, 2, 500000,
					 "X市监处罚〔2026〕12号",
					 "消费者权益保护法第五十六条"),
				 WQ_ERR_OK);
	assert_int_equal(q_int("SELECT penalties FROM merchants WHERE id = 2",
			       NULL, NULL, NULL),
			 2);
	assert_int_equal(q_int("SELECT count(*) FROM merchant_penalties WHERE"
			       " merchant_id = 2 AND amount_fen = 500000",
			       NULL, NULL, NULL),
			 2);
	{
		char *json = NULL;

		assert_int_equal(wq_report_json(F.store, &F.sam, &json),
				 WQ_ERR_OK);
		assert_non_null(strstr(json, "\"penalties\":2"));
		free(json);
	}
	check_all();
}

/* Reads a JSON path of json as an integer, through SQLite. */
static int64_t j_int(const char *json, const char *path)
{
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(wq_store_sqlite(F.store),
					    "SELECT json_extract(?1, ?2)", -1,
					    &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		fail_msg("%s: null", path);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_json(void **state)
{
	struct wq_report r;
	char *json, path[128];

	(void)state;
	assert_int_equal(wq_report_load(F.store, &F.sam, &r), WQ_ERR_OK);
	assert_int_equal(wq_report_json(F.store, &F.sam, &json), WQ_ERR_OK);
	assert_int_equal(q_int("SELECT json_valid(?1)", json, NULL, NULL), 1);
	assert_int_equal(j_int(json, "$.cases"), r.cases);
	assert_int_equal(j_int(json, "$.open"), r.open);
	assert_int_equal(j_int(json, "$.unassigned"), r.unassigned);
	for (size_t i = 0; i < r.by_status.n; i++) {
		snprintf(path, sizeof(path), "$.by_status.%s",
			 r.by_status.v[i].key);
		assert_int_equal(j_int(json, path), r.by_status.v[i].n);
	}
	for (size_t i = 0; i < r.open_by_region.n; i++) {
		if (!*r.open_by_region.v[i].key)
			continue;
		snprintf(path, sizeof(path), "$.open_by_region.\"%s\"",
			 r.open_by_region.v[i].key);
		assert_int_equal(j_int(json, path), r.open_by_region.v[i].n);
	}
	assert_int_equal(j_int(json, "$.due.all.overdue"), r.due.overdue);
	assert_int_equal(j_int(json, "$.due.all.paused"), r.due.paused);
	assert_int_equal(j_int(json, "$.due.all.due_soon"), r.due.due_soon);
	for (size_t i = 0; i < r.nclocks; i++)
		for (int d = 0; d < WQ_REPORT_FORECAST; d++) {
			snprintf(path, sizeof(path),
				 "$.due.clocks[%zu].forecast[%d]", i, d);
			assert_int_equal(j_int(json, path),
					 r.clocks[i].forecast[d]);
		}
	for (size_t i = 0; i < r.nmediators; i++) {
		snprintf(path, sizeof(path), "$.mediators[%zu].open", i);
		assert_int_equal(j_int(json, path), r.mediators[i].open);
		snprintf(path, sizeof(path), "$.mediators[%zu].rulings_today",
			 i);
		assert_int_equal(j_int(json, path),
				 r.mediators[i].rulings_today);
	}
	for (int d = 0; d < WQ_REPORT_HISTORY; d++) {
		snprintf(path, sizeof(path), "$.daily.intake[%d]", d);
		assert_int_equal(j_int(json, path), r.intake[d]);
		snprintf(path, sizeof(path), "$.daily.closed[%d]", d);
		assert_int_equal(j_int(json, path), r.closed[d]);
	}
	for (size_t i = 0; i < r.ntop; i++) {
		snprintf(path, sizeof(path), "$.merchants.top[%zu].id", i);
		assert_int_equal(j_int(json, path), r.top[i].id);
		snprintf(path, sizeof(path),
			 "$.merchants.top[%zu].mediation_success", i);
		assert_int_equal(j_int(json, path), r.top[i].mediation_success);
		snprintf(path, sizeof(path),
			 "$.merchants.top[%zu].repeat_offender", i);
		assert_int_equal(j_int(json, path), r.top[i].repeat_offender);
	}
	assert_int_equal(j_int(json, "$.possibly_malicious.open"),
			 r.malicious_open);
	assert_int_equal(j_int(json, "$.collective.groups"), r.groups);
	free(json);
	wq_report_free(&r);
}

/* Each statement a load runs, by its text, for
 * test_parts_loaded_later. */
static int add_statement(unsigned type, void *ctx, void *stmt, void *x)
{
	struct wq_buf *b = ctx;

	(void)x;
	if (type == SQLITE_TRACE_STMT) {
		wq_buf_puts(b, sqlite3_sql(stmt));
		wq_buf_puts(b, "\n");
	}
	return 0;
}

/* The console's dashboard loads the report without the two lists its
 * first screen does not show, which at a million cases read a page of
 * the file per row, and adds them later: as the whole load has them. */
static void test_parts_loaded_later(void **state)
{
	struct wq_report whole, r;
	struct wq_buf sql = {0};
	unsigned parts = 0;

	(void)state;
	assert_int_equal(wq_report_load(F.store, &F.sam, &whole), WQ_ERR_OK);
	assert_int_equal(whole.parts, WQ_REPORT_ALL_PARTS);
	assert_true(whole.nmalicious > 0);
	for (size_t i = 0; i < whole.ntop; i++)
		if (whole.top[i].last30 || whole.top[i].prev30)
			parts |= WQ_REPORT_MERCHANT_TRENDS;
	assert_int_equal(parts, WQ_REPORT_MERCHANT_TRENDS);

	sqlite3_trace_v2(wq_store_sqlite(F.store), SQLITE_TRACE_STMT,
			 add_statement, &sql);
	assert_int_equal(wq_report_load_parts(F.store, &F.sam, &r, 0),
			 WQ_ERR_OK);
	sqlite3_trace_v2(wq_store_sqlite(F.store), 0, NULL, NULL);
	assert_non_null(sql.data);
	assert_null(strstr(sql.data, "report_merchant_days"));
	assert_null(strstr(sql.data, "(c.flags & 1)"));
	free(sql.data);
	assert_int_equal(r.parts, 0);
	/* what the lists' sections count and how many rows they take */
	assert_int_equal(r.malicious_open, whole.malicious_open);
	assert_int_equal(r.nmalicious, 0);
	assert_int_equal(r.ntop, whole.ntop);
	for (size_t i = 0; i < r.ntop; i++) {
		assert_int_equal(r.top[i].id, whole.top[i].id);
		assert_int_equal(r.top[i].complaints, whole.top[i].complaints);
		assert_int_equal(r.top[i].last30, 0);
		assert_false(r.top[i].growth_known);
	}
	assert_int_equal(r.all_merchants.last30, whole.all_merchants.last30);

	assert_int_equal(wq_report_load_more(F.store, &F.alice, &r,
					     WQ_REPORT_ALL_PARTS),
			 WQ_ERR_DENIED);
	assert_int_equal(r.parts, 0);
	assert_int_equal(wq_report_load_more(F.store, &F.sam, &r,
					     WQ_REPORT_MERCHANT_TRENDS),
			 WQ_ERR_OK);
	assert_int_equal(r.parts, WQ_REPORT_MERCHANT_TRENDS);
	assert_int_equal(r.nmalicious, 0);
	for (size_t i = 0; i < r.ntop; i++) {
		assert_int_equal(r.top[i].last30, whole.top[i].last30);
		assert_int_equal(r.top[i].prev30, whole.top[i].prev30);
		assert_int_equal(r.top[i].growth_known,
				 whole.top[i].growth_known);
		assert_true(r.top[i].growth == whole.top[i].growth);
	}
	/* twice: what is loaded is not read or listed again */
	for (int k = 0; k < 2; k++) {
		assert_int_equal(wq_report_load_more(F.store, &F.sam, &r,
						     WQ_REPORT_ALL_PARTS),
				 WQ_ERR_OK);
		assert_int_equal(r.parts, WQ_REPORT_ALL_PARTS);
		assert_int_equal(r.nmalicious, whole.nmalicious);
		for (size_t i = 0; i < r.nmalicious; i++)
			assert_string_equal(r.malicious[i].number,
					    whole.malicious[i].number);
	}
	wq_report_free(&r);
	wq_report_free(&whole);
}

/* The VM steps of every statement of a dashboard's load. */
static int add_steps(unsigned type, void *ctx, void *stmt, void *x)
{
	(void)x;
	/* (the store keeps its statements: each run's steps, reset) */
	if (type == SQLITE_TRACE_PROFILE)
		*(long long *)ctx +=
			sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 1);
	return 0;
}

/* The VM steps of the counts of the drill-downs of the overdue (over
 * every clock, on one, of one mediator) and of a day ahead. */
static long long due_count_steps(void)
{
	struct wq_filter f[] = {
		{.status = "all", .due_from = "2026-11-26",
		 .due_to = "2026-11-26"},
		{.status = "all", .due_to = "2026-11-24"},
		{.status = "all", .due_to = "2026-11-24", .clock = "mediation"},
		{.status = "all", .due_to = "2026-11-24", .assignee = "alice"},
	};
	long long steps = 0;
	int64_t n;

	sqlite3_trace_v2(wq_store_sqlite(F.store), SQLITE_TRACE_PROFILE,
			 add_steps, &steps);
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		assert_int_equal(wq_case_count(F.store, &F.sam, &f[i], &n),
				 WQ_ERR_OK);
		assert_true(n >= 0 && n < WQ_COUNT_CAP);
	}
	sqlite3_trace_v2(wq_store_sqlite(F.store), 0, NULL, NULL);
	return steps;
}

static long long report_steps(void)
{
	struct wq_report r;
	long long steps = 0;

	sqlite3_trace_v2(wq_store_sqlite(F.store), SQLITE_TRACE_PROFILE,
			 add_steps, &steps);
	assert_int_equal(wq_report_load(F.store, &F.sam, &r), WQ_ERR_OK);
	sqlite3_trace_v2(wq_store_sqlite(F.store), 0, NULL, NULL);
	wq_report_free(&r);
	return steps;
}

/* The days before today are not read: their deadlines are the totals
 * less the days ahead (version 30).  Eight years of past days, as an
 * installation gathers (every day a deadline fell on keeps its row, at 0
 * once its cases moved on), add nothing to a load, where the sums of
 * the overdue read each of them for every clock and mediator. */
static void test_past_days_are_not_read(void **state)
{
	long long before, after, counted;

	(void)state;
	report_steps(); /* the kept statements' steps of earlier loads */
	due_count_steps();
	before = report_steps();
	counted = due_count_steps();
	exec("WITH RECURSIVE d(k) AS (SELECT 30 UNION ALL SELECT k + 1 FROM d"
	     " WHERE k < 3000)"
	     " INSERT INTO report_due(clock, due_on, paused, n)"
	     " SELECT c.clock, date('2026-11-25', '-' || k || ' days'), p, 0"
	     " FROM d, (SELECT DISTINCT clock FROM report_due) c,"
	     " (SELECT 0 AS p UNION ALL SELECT 1) WHERE 1"
	     " ON CONFLICT DO NOTHING;"
	     "WITH RECURSIVE d(k) AS (SELECT 30 UNION ALL SELECT k + 1 FROM d"
	     " WHERE k < 3000)"
	     " INSERT INTO report_due_assignee(assignee, due_on, n)"
	     " SELECT a.assignee, date('2026-11-25', '-' || k || ' days'), 0"
	     " FROM d, (SELECT DISTINCT assignee FROM report_due_assignee) a"
	     " WHERE 1 ON CONFLICT DO NOTHING;");
	assert_true(q_int("SELECT count(*) FROM report_due", NULL, NULL,
			  NULL) > 5000);
	after = report_steps();
	printf("# a load: %lld VM steps, %lld with 8 years of past days\n",
	       before, after);
	if (after > before + before / 10)
		fail_msg("%lld -> %lld VM steps", before, after);
	after = due_count_steps();
	printf("# the drill-downs' counts: %lld VM steps, %lld\n", counted,
	       after);
	if (after > counted + counted / 10)
		fail_msg("%lld -> %lld VM steps", counted, after);
	check_all();
	/* Into a year the calendar does not hold: its deadlines before
	 * today are counted from the days, the others from those ahead. */
	set_time(at_time("2027-01-06T02:00:00Z"));
	check_all();
	set_time(at_time(NOW));
}

/* EXPLAIN QUERY PLAN of sql as one line of its details, shown. */
static void plan_of(const char *sql, char *plan, size_t size)
{
	assert_int_equal(fixture_plan(F.store, sql, plan, size), 0);
	printf("# %s\n", plan);
}

/* Today's rulings of every user are one range of an index that holds
 * the count (schema 31), not a row of each user's own days. */
static void test_todays_rulings_one_range(void **state)
{
	char plan[512];

	(void)state;
	plan_of("SELECT actor, n FROM report_actor_days WHERE day ="
		" '2026-11-25' AND n <> 0",
		plan, sizeof(plan));
	assert_non_null(strstr(plan, "COVERING INDEX report_actor_days_by_day"));
}

/* The inbox's performance dates are one range of an index that holds
 * each row's case number (schema 35): its first screenful read no row of
 * performance_due nor of the cases, which at a million cases cost 52
 * pages. */
static void test_performance_dates_one_range(void **state)
{
	char plan[512];

	(void)state;
	plan_of("SELECT p.number, p.due_on FROM performance_due p"
		" WHERE p.assignee = 'm1' AND p.due_on <= '2026-11-25'"
		" ORDER BY p.due_on, p.number LIMIT 21",
		plan, sizeof(plan));
	assert_non_null(
		strstr(plan, "COVERING INDEX performance_due_by_assignee"));
	assert_null(strstr(plan, "TEMP B-TREE"));
}

/* The counter tables as text, rows with a zero count left out (a key
 * whose cases all moved on keeps its row with n = 0). */
static char *snapshot(void)
{
	return q_text(
		"SELECT json_array("
		" (SELECT json_group_array(json_array(dim, key, n)) FROM (SELECT"
		"  * FROM report_counts WHERE n <> 0 ORDER BY dim, key)),"
		" (SELECT json_group_array(json_array(clock, due_on, paused, n))"
		"  FROM (SELECT * FROM report_due WHERE n <> 0 ORDER BY 1, 2, 3)),"
		" (SELECT json_group_array(json_array(assignee, due_on, n)) FROM"
		"  (SELECT * FROM report_due_assignee WHERE n <> 0"
		"  ORDER BY 1, 2)),"
		" (SELECT json_group_array(json_array(what, day, n)) FROM (SELECT"
		"  * FROM report_daily WHERE n <> 0 ORDER BY 1, 2)),"
		" (SELECT json_group_array(json_array(merchant_id, complaints,"
		"  concluded, mediated, mediation_success, settled_before)) FROM"
		"  (SELECT * FROM report_merchants WHERE complaints <> 0"
		"  ORDER BY 1)),"
		" (SELECT json_group_array(json_array(merchant_id, day, n)) FROM"
		"  (SELECT * FROM report_merchant_days WHERE n <> 0"
		"  ORDER BY 1, 2)),"
		" (SELECT json_group_array(json_array(actor, day, n)) FROM"
		"  (SELECT * FROM report_actor_days WHERE n <> 0"
		"  ORDER BY 1, 2)))",
		NULL);
}

static void reopen_migrating(void)
{
	wq_store_close(&F.store);
	assert_int_equal(wq_store_open(F.path, WQ_OPEN_INIT, &F.store),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_schema_version(F.store), WQ_SCHEMA_VERSION);
}

static void test_migration(void **state)
{
	char *before, *after;

	(void)state;
	before = snapshot();
	assert_true(strlen(before) > 200);

	/* A schema 2 database: no counters, no triggers. */
	exec("DROP TRIGGER report_case_insert; DROP TRIGGER report_case_delete;"
	     " DROP TRIGGER report_case_counts; DROP TRIGGER report_case_status;"
	     " DROP TRIGGER report_case_due; DROP TRIGGER report_case_merchant;"
	     " DROP TRIGGER report_event_insert;"
	     " DROP TABLE report_counts; DROP TABLE report_bits;"
	     " DROP TABLE report_due; DROP TABLE report_due_assignee;"
	     " DROP TABLE report_daily; DROP TABLE report_merchants;"
	     " DROP TABLE report_merchant_days; DROP TABLE report_actor_days;"
	     " DROP INDEX cases_malicious_open; DROP INDEX merchants_flagged;"
	     " PRAGMA user_version = 2;");
	{
		struct wq_store *old = NULL;

		assert_int_equal(wq_store_open(F.path, WQ_OPEN_EXISTING, &old),
				 WQ_ERR_SCHEMA_OLD);
		assert_null(old);
	}
	reopen_migrating();
	after = snapshot();
	/* The moved case's outcomes (none) and everything else agree. */
	assert_string_equal(after, before);
	free(after);
	check_all();

	/* Running the migration again rebuilds the counters from the rows,
	 * whatever they held. */
	exec("UPDATE report_counts SET n = n + 7; DELETE FROM report_due;"
	     " UPDATE report_merchants SET concluded = 0;"
	     " PRAGMA user_version = 2;");
	reopen_migrating();
	after = snapshot();
	assert_string_equal(after, before);
	free(after);

	/* A schema 5 database counted IP notices and diversion cases among
	 * the merchants' complaints: migration 6 counts them again. */
	exec("UPDATE report_merchants SET complaints = complaints + 1000;"
	     " PRAGMA user_version = 5;");
	reopen_migrating();
	after = snapshot();
	assert_string_equal(after, before);
	free(after);
	free(before);

	/* And the triggers work after it (one more case, in the last
	 * slot's place). */
	create(NCASES - 1);
	set_time(at_time(NOW));
	RULE(at_time(NOW), &F.bob, NCASES - 1, "claim");
	check_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flag_bits),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_rulings),
		cmocka_unit_test(test_more_rulings),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_direct_writes),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_merchant_flag),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_parts_loaded_later),
		cmocka_unit_test(test_past_days_are_not_read),
		cmocka_unit_test(test_todays_rulings_one_range),
		cmocka_unit_test(test_performance_dates_one_range),
		cmocka_unit_test(test_migration),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("report", tests, group_setup,
					   group_teardown);
}
