/* Unit tests of the rulings (src/rules.c): the action table checked against
 * every status and role, the table checked against the state machine of
 * DOMAIN.md, refusals that write nothing, stale versions, claim races, the
 * working-day clocks, statutory damages and amounts, and the rebuild of a
 * case as it stood at an earlier time. */
#include "config.h"

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
#include "weiquan/calendar.h"
#include "weiquan/case.h"
#include "weiquan/clock.h"
#include "weiquan/diversion.h"
#include "weiquan/err.h"
#include "weiquan/group.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/user.h"
#include "weiquan/wqtime.h"
#include "tests/unit/fixture.h"

/* ---- the fixture: one database for the whole group ---- */

struct fx {
	char dir[64];
	char path[128];
	struct wq_store *store;
	struct wq_user admin, desk, alice, bob, sam, sue, sid;
	char other[32];           /* a second case, for duplicate-of */
	int64_t other_id;
};

static struct fx F;

static void set_now(const char *iso)
{
	setenv("WEIQUAN_NOW", iso, 1);
}

static time_t at_time(const char *iso)
{
	time_t t;

	if (!wq_time_parse(iso, &t))
		abort();
	return t;
}

static int add_user(const char *login, enum wq_role role,
		    struct wq_user *out)
{
	return fixture_add_user(F.store, &F.admin, login, role, NULL, out);
}

static void make_case(const char *consumer, char number[32], int64_t *id)
{
	struct wq_intake in = {0};

	in.type = "complaint";
	in.category = "quality";
	in.consumer_name = consumer;
	in.consumer_phone = "13800138000";
	in.merchant_name = "某某数码旗舰店";
	in.merchant_platform = "tmall";
	in.merchant_shop_id = "shop-42";
	in.amount_fen = 129900;
	in.remedy = "refund";
	in.statement = "收到的手机是翻新机，要求退款。";
	assert_int_equal(wq_case_create(F.store, &F.desk, &in, id, number),
			 WQ_ERR_OK);
}

static int group_setup(void **state)
{
	(void)state;
	if (fixture_open("rules", "2026-09-24T02:00:00Z", F.dir, F.path,
			 &F.store, &F.admin))
		return -1;
	if (add_user("alice", WQ_ROLE_MEDIATOR, &F.alice) ||
	    add_user("bob", WQ_ROLE_MEDIATOR, &F.bob) ||
	    add_user("sam", WQ_ROLE_SUPERVISOR, &F.sam) ||
	    add_user("sue", WQ_ROLE_SUPERVISOR, &F.sue) ||
	    add_user("sid", WQ_ROLE_SUPERVISOR, &F.sid) ||
	    add_user("desk1", WQ_ROLE_DESK, &F.desk))
		return -1;

	{
		struct wq_intake in = {0};

		in.type = "complaint";
		in.category = "delivery";
		in.consumer_name = "另一位消费者";
		in.merchant_name = "某某快递";
		in.statement = "快递丢件";
		if (wq_case_create(F.store, &F.desk, &in, &F.other_id,
				   F.other) != WQ_ERR_OK)
			return -1;
	}
	/* G1, a collective group not yet tied to a merchant: any case may
	 * join it (join-group in the matrix). */
	if (wq_store_exec(F.store,
			  "INSERT INTO case_groups(id, title, created_by,"
			  " created_at) VALUES (1, '同批次', 'sam',"
			  " '2026-03-02T09:00:00Z')") != WQ_ERR_OK)
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

/* ---- small helpers ---- */

static int64_t q_int(const char *sql, int64_t a1)
{
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(wq_store_sqlite(F.store), sql, -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, a1);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Column 0 of the first row as a malloc'd string, NULL for SQL NULL.
 * a1 and a2 bind ?1 and ?2 as text. */
static char *q_text(const char *sql, const char *a1, const char *a2)
{
	sqlite3_stmt *st;
	char *out = NULL;

	assert_int_equal(sqlite3_prepare_v2(wq_store_sqlite(F.store), sql, -1, &st, NULL),
			 SQLITE_OK);
	if (a1)
		sqlite3_bind_text(st, 1, a1, -1, SQLITE_STATIC);
	if (a2)
		sqlite3_bind_text(st, 2, a2, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	if (sqlite3_column_type(st, 0) != SQLITE_NULL)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* The same with ?1 bound to an integer. */
static char *q_text_id(const char *sql, int64_t a1)
{
	sqlite3_stmt *st;
	char *out = NULL;

	assert_int_equal(sqlite3_prepare_v2(wq_store_sqlite(F.store), sql, -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, a1);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	if (sqlite3_column_type(st, 0) != SQLITE_NULL)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* A field of a JSON text, through SQLite's json_extract. */
static char *jx(const char *json, const char *path)
{
	return q_text("SELECT json_extract(?1, ?2)", json, path);
}

/* A column of a case row, as text (NULL for SQL NULL). */
static char *case_col(const char *number, const char *column)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT %s FROM cases WHERE number = ?1",
		 column);
	return q_text(sql, number, NULL);
}

static void assert_case_col(const char *number, const char *column,
			    const char *want)
{
	char *got = case_col(number, column);

	if (!want) {
		if (got)
			fail_msg("%s.%s: expected NULL, got '%s'", number,
				 column, got);
		return;
	}
	if (!got)
		fail_msg("%s.%s: expected '%s', got NULL", number, column,
			 want);
	if (strcmp(got, want) != 0)
		fail_msg("%s.%s: expected '%s', got '%s'", number, column,
			 want, got);
	free(got);
}

static void assert_json_field(const char *json, const char *path,
			      const char *want)
{
	char *got = jx(json, path);

	if (!want) {
		if (got)
			fail_msg("%s: expected null, got '%s'", path, got);
		return;
	}
	if (!got)
		fail_msg("%s: expected '%s', got null", path, want);
	if (strcmp(got, want) != 0)
		fail_msg("%s: expected '%s', got '%s'", path, want, got);
	free(got);
}

/* A ruling in its own transaction: rule(actor, number, expect_version,
 * &result or NULL, action, args..., NULL). */
static enum wq_err rule(const struct wq_user *u, const char *number,
			int64_t expect, struct wq_ruling_result *res,
			const char *action, ...)
{
	const char *argv[8];
	struct wq_ruling r = {0};
	va_list ap;
	int argc = 0;
	const char *a;

	va_start(ap, action);
	while (argc < 8 && (a = va_arg(ap, const char *)) != NULL)
		argv[argc++] = a;
	va_end(ap);
	r.action = action;
	r.argc = argc;
	r.argv = argv;
	r.expect_version = expect;
	return wq_rule(F.store, u, number, &r, res);
}

#define RULE_OK(u, number, res, ...)                                          \
	do {                                                                   \
		enum wq_err e_ = rule((u), (number), 0, (res), __VA_ARGS__);  \
		if (e_ != WQ_ERR_OK)                                           \
			fail_msg("%s by %s on %s: %s (%s)", #__VA_ARGS__,      \
				 (u)->login, (number), wq_strerror(e_),        \
				 wq_err_detail());                             \
	} while (0)

static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);

	if (!n)
		return false;
	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

static bool is_status(const char *s)
{
	for (int i = 0; wq_statuses[i]; i++)
		if (strcmp(wq_statuses[i], s) == 0)
			return true;
	return false;
}

static bool in_strv(const char *s, const char *const *v)
{
	for (; *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

static const char *err_name(enum wq_err e)
{
	static const char *const names[] = {
#define WQ_ERR_NAME(name, msg) #name,
		WQ_ERR_LIST(WQ_ERR_NAME)
#undef WQ_ERR_NAME
	};

	return (unsigned)e < WQ_ERR_COUNT_ ? names[e] : "?";
}

/* ---- 1. the action table against every status and role ---- */

/* Plausible arguments per action; "#OFFER" is replaced by an open offer of
 * the case, "#OTHER" by the number of another case. */
static const struct {
	const char *action;
	int argc;
	const char *argv[4];
} arg_table[] = {
	{"claim", 0, {NULL}},
	{"assign", 1, {"bob"}},
	{"release", 0, {NULL}},
	{"need-info", 1, {"请补充购物凭证"}},
	{"info-received", 1, {"凭证已补齐"}},
	{"screen", 1, {"材料齐全"}},
	{"accept", 1, {"符合受理条件"}},
	{"not-accept", 2, {"time-barred", "超过三年"}},
	{"transfer", 2, {"某市市场监督管理局", "属地管辖"}},
	{"odr", 1, {"消费者选择先由商家处理"}},
	{"odr-settled", 0, {NULL}},
	{"odr-failed", 1, {"商家未处理"}},
	{"start", 0, {NULL}},
	{"substate", 1, {"testing"}},
	{"statement", 2, {"respondent", "文本"}},
	{"offer", 3, {"respondent", "refund", "100"}},
	{"counter", 3, {"#OFFER", "refund", "80"}},
	{"agree", 3, {"#OFFER", "respondent", "2026-12-01"}},
	{"watch", 0, {NULL}},
	{"performed", 1, {"已退款"}},
	{"unperformed", 0, {NULL}},
	{"settle", 1, {"双方自行和解"}},
	{"withdraw", 1, {"消费者撤回"}},
	{"end", 2, {"party-absent", "商家拒不到场"}},
	{"notify", 0, {NULL}},
	{"submit", 1, {"请审核"}},
	{"approve", 0, {NULL}},
	{"send-back", 1, {"意见"}},
	{"reopen", 1, {"理由"}},
	{"duplicate-of", 1, {"#OTHER"}},
	{"flag", 1, {"possibly-malicious"}},
	{"unflag", 1, {"possibly-malicious"}},
	{"report", 1, {"涉嫌虚假宣传"}},
	{"report-done", 1, {"已查处"}},
	{"note", 1, {"文本"}},
	{"join-group", 1, {"G1"}},
	{"leave-group", 0, {NULL}},
	{"address", 2, {"complainant", "北京市朝阳区某路1号"}},
	{"platform-seat", 2, {"no-published-address", "浙江省杭州市"}},
	{"entrusted", 1, {"杭州市西湖区市场监督管理局"}},
	{"refer-police", 2, {"某市公安局", "投诉材料"}},
	{"follow-up", 2, {"satisfied", "退款已到账"}},
};

enum actor_kind {
	K_DESK,
	K_MEDIATOR_ASSIGNEE,      /* alice: the assignee in the base setups */
	K_MEDIATOR_OTHER,         /* bob */
	K_SUPERVISOR,             /* sam */
	K_ADMIN,
	K_COUNT
};

static const char *const kind_names[K_COUNT] = {
	"desk", "mediator-assignee", "mediator-not-assignee", "supervisor",
	"admin",
};

/* The setups each (action, status, role) is tried in. */
enum setup {
	S_PLAIN,         /* assigned to alice, no report, no agreement */
	S_UNASSIGNED,    /* nobody assigned */
	S_REPORT,        /* a report under check */
	S_AGREEMENT,     /* an agreement not yet performed */
	S_PERFORMED,     /* an agreement performed */
	S_COUNT
};

static const char *const setup_names[S_COUNT] = {
	"assigned-to-alice", "unassigned", "report-checking",
	"agreement-open", "agreement-performed",
};

static const struct wq_user *kind_user(enum actor_kind k)
{
	switch (k) {
	case K_DESK:
		return &F.desk;
	case K_MEDIATOR_ASSIGNEE:
		return &F.alice;
	case K_MEDIATOR_OTHER:
		return &F.bob;
	case K_SUPERVISOR:
		return &F.sam;
	default:
		return &F.admin;
	}
}

/* The oracle: what wq_rule_tx must answer.  Built from the table's roles
 * and statuses plus the rules that the table cannot express. */
static enum wq_err expected(const struct wq_action *a, const char *status,
			    const struct wq_user *u, enum setup s)
{
	const char *assignee = s == S_UNASSIGNED ? "" : "alice";
	static const char *const desk_may[] = {
		"note", "statement", "withdraw", "info-received", "report",
		"join-group", "leave-group", "address", "platform-seat", NULL,
	};

	if (!(a->roles & WQ_ROLE_BIT(u->role)))
		return WQ_ERR_DENIED;
	/* A mediator works only the cases assigned to them, except claim. */
	if (u->role == WQ_ROLE_MEDIATOR && strcmp(a->name, "claim") != 0 &&
	    strcmp(assignee, u->login) != 0)
		return WQ_ERR_DENIED;
	if (u->role == WQ_ROLE_DESK && !in_strv(a->name, desk_may))
		return WQ_ERR_DENIED;
	if (!word_in(status, a->from))
		return WQ_ERR_BAD_STATUS;
	if (strcmp(a->name, "claim") == 0 && *assignee &&
	    strcmp(assignee, u->login) != 0)
		return WQ_ERR_TAKEN;
	/* `performed` needs an agreement awaiting performance. */
	if (strcmp(a->name, "performed") == 0 && s != S_AGREEMENT)
		return WQ_ERR_BAD_STATUS;
	/* Leaving performance watch needs the agreement performed. */
	if (strcmp(a->name, "submit") == 0 &&
	    strcmp(status, "performance_watch") == 0 && s == S_AGREEMENT)
		return WQ_ERR_BAD_STATUS;
	if (strcmp(a->name, "report-done") == 0 && s != S_REPORT)
		return WQ_ERR_BAD_STATUS;
	/* The matrix's withdrawn and settled cases ended no mediation:
	 * there is nobody to tell. */
	if (strcmp(a->name, "notify") == 0 &&
	    strcmp(status, "mediation_ended") != 0)
		return WQ_ERR_BAD_STATUS;
	if (strcmp(a->name, "report") == 0 && s == S_REPORT)
		return WQ_ERR_BAD_STATUS;
	/* The matrix's case never ended for a fraudulent claim. */
	if (strcmp(a->name, "refer-police") == 0)
		return WQ_ERR_BAD_STATUS;
	/* The matrix's case is in no group. */
	if (strcmp(a->name, "leave-group") == 0)
		return WQ_ERR_INVALID;
	return WQ_ERR_OK;
}

/* The status an allowed ruling must leave the case in. */
static const char *expected_status(const struct wq_action *a,
				   const char *status, const char *review_from)
{
	if (strcmp(a->name, "approve") == 0)
		return strcmp(status, "first_review") == 0 ? "final_review"
							   : "closed";
	if (strcmp(a->name, "send-back") == 0 ||
	    strcmp(a->name, "reopen") == 0)
		return *review_from ? review_from : "received";
	if (strcmp(a->name, "notify") == 0)
		return strcmp(status, "mediation_ended") == 0
			       ? "termination_notice"
			       : status;
	return a->to ? a->to : status;
}

static void exec_ok(const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(wq_store_sqlite(F.store), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
}

/* force_state's UPDATE, prepared once by the matrix: compiling it compiles
 * every trigger on cases, which took most of the matrix's time when done
 * for each of its 18,900 attempts. */
static sqlite3_stmt *force_state_prepare(void)
{
	sqlite3_stmt *st;

	assert_int_equal(
		sqlite3_prepare_v2(
			wq_store_sqlite(F.store),
			"UPDATE cases SET status = ?2, assignee = ?3,"
			" review_from = ?4, substate = ?5, report = ?6,"
			" reason = '' WHERE id = ?1",
			-1, &st, NULL),
		SQLITE_OK);
	return st;
}

/* Forces the case into a state, inside the caller's write transaction. */
static void force_state(sqlite3_stmt *st, int64_t id, const char *status,
			enum setup s, const char *review_from)
{
	char sql[512];

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	if (s == S_UNASSIGNED)
		sqlite3_bind_null(st, 3);
	else
		sqlite3_bind_text(st, 3, "alice", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, review_from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5,
			  strcmp(status, "in_mediation") == 0
				  ? "awaiting_merchant"
				  : "",
			  -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, s == S_REPORT ? "checking" : "", -1,
			  SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_reset(st);
	assert_int_equal(sqlite3_changes(wq_store_sqlite(F.store)), 1);
	if (s == S_AGREEMENT || s == S_PERFORMED) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO offers(case_id, party, recorded_by, at,"
			 " remedy, amount_fen, state) VALUES (%" PRId64 ","
			 " 'respondent', 'alice', '2026-09-24T02:00:00Z',"
			 " 'refund', 10000, 'accepted');"
			 "INSERT INTO agreements(case_id, offer_id, remedy,"
			 " amount_fen, performer, perform_by, text,"
			 " recorded_by, at, performed_at) VALUES (%" PRId64
			 ", last_insert_rowid(), 'refund', 10000,"
			 " 'respondent', '2026-12-01', '退款一百元', 'alice',"
			 " '2026-09-24T02:00:00Z', %s)",
			 id, id,
			 s == S_PERFORMED ? "'2026-09-24T02:00:00Z'" : "NULL");
		exec_ok(sql);
	}
}

static void test_rule_matrix(void **state)
{
	const struct wq_action *offer = wq_action_find("offer");
	char number[32], offer_id[24];
	int64_t id, version0, events0;
	int nstatus = 0, combos = 0, attempts = 0, allowed = 0, bad = 0;
	int by_err[WQ_ERR_COUNT_] = {0};
	sqlite3_stmt *force;

	(void)state;
	assert_non_null(offer);
	set_now("2026-09-24T02:00:00Z");
	make_case("矩阵测试", number, &id);
	force = force_state_prepare();
	version0 = q_int("SELECT version FROM cases WHERE id = ?1", id);
	events0 = q_int("SELECT count(*) FROM events", 0);
	while (wq_statuses[nstatus])
		nstatus++;

	for (int ai = 0; ai < wq_action_count; ai++) {
		const struct wq_action *a = &wq_actions[ai];
		int ti = -1;

		for (size_t i = 0; i < sizeof(arg_table) / sizeof(arg_table[0]);
		     i++)
			if (strcmp(arg_table[i].action, a->name) == 0)
				ti = (int)i;
		if (ti < 0) {
			printf("# MISMATCH: action '%s' has no test "
			       "arguments; add it to arg_table\n",
			       a->name);
			bad++;
			continue;
		}
		for (int si = 0; wq_statuses[si]; si++) {
			const char *status = wq_statuses[si];
			const char *review_from =
				strcmp(status, "first_review") == 0 ||
						strcmp(status, "final_review") == 0 ||
						strcmp(status, "closed") == 0
					? "settled"
					: "";

			for (int k = 0; k < K_COUNT; k++) {
				const struct wq_user *u =
					kind_user((enum actor_kind)k);

				combos++;
				for (int s = 0; s < S_COUNT; s++) {
					const char *argv[4];
					struct wq_ruling r = {0};
					struct wq_ruling_result res;
					enum wq_err want, got, ready;
					const char *want_status = NULL;
					int64_t before_version;

					assert_int_equal(
						wq_store_begin_write(F.store),
						WQ_ERR_OK);
					force_state(force, id, status,
						    (enum setup)s,
						    review_from);
					snprintf(offer_id, sizeof(offer_id),
						 "1");
					if ((strcmp(a->name, "counter") == 0 ||
					     strcmp(a->name, "agree") == 0) &&
					    word_in(status, offer->from)) {
						const char *oargv[] = {
							"respondent", "refund",
							"100"};
						struct wq_ruling o = {
							"offer", 3, oargv, 0};
						struct wq_ruling_result ores;

						got = wq_rule_tx(F.store,
								 &F.sam, id,
								 &o, &ores);
						if (got != WQ_ERR_OK)
							fail_msg(
								"offer in %s: %s",
								status,
								wq_err_detail());
						snprintf(offer_id,
							 sizeof(offer_id),
							 "%" PRId64,
							 ores.created_id);
					}
					for (int i = 0; i < arg_table[ti].argc;
					     i++) {
						const char *v =
							arg_table[ti].argv[i];

						argv[i] = strcmp(v, "#OFFER") == 0
								  ? offer_id
							  : strcmp(v, "#OTHER") == 0
								  ? F.other
								  : v;
					}
					before_version = q_int(
						"SELECT version FROM cases"
						" WHERE id = ?1",
						id);
					r.action = a->name;
					r.argc = arg_table[ti].argc;
					r.argv = argv;
					want = expected(a, status, u,
							(enum setup)s);
					ready = wq_rule_ready(F.store, u, id,
							      a->name);
					got = wq_rule_tx(F.store, u, id, &r,
							 &res);
					/* The key bar's answer and the
					 * ruling's never disagree: what
					 * is offered goes through unless
					 * an argument is wrong, what is
					 * not is refused the same way. */
					if ((ready && got != ready) ||
					    (!got && ready)) {
						bad++;
						printf("# MISMATCH: %s by %s "
						       "in %s [%s]: ready "
						       "says %s, the ruling "
						       "%s\n",
						       a->name, u->login,
						       status, setup_names[s],
						       err_name(ready),
						       err_name(got));
					}
					wq_store_rollback(F.store);
					attempts++;
					by_err[got]++;
					if (got == WQ_ERR_OK) {
						allowed++;
						want_status = expected_status(
							a, status, review_from);
					}
					if (got != want) {
						bad++;
						printf("# MISMATCH: %s by %s "
						       "(%s) in %s [%s]: "
						       "expected %s, got %s "
						       "(%s)\n",
						       a->name, u->login,
						       kind_names[k], status,
						       setup_names[s],
						       err_name(want),
						       err_name(got),
						       got ? wq_err_detail()
							   : "");
					} else if (want_status &&
						   (strcmp(res.status,
							   want_status) != 0 ||
						    res.version !=
							    before_version + 1 ||
						    res.event_id <= 0)) {
						bad++;
						printf("# MISMATCH: %s by %s in "
						       "%s [%s]: result status "
						       "%s version %" PRId64
						       ", expected %s version "
						       "%" PRId64 "\n",
						       a->name, u->login,
						       status, setup_names[s],
						       res.status, res.version,
						       want_status,
						       before_version + 1);
					}
				}
			}
		}
	}
	sqlite3_finalize(force);
	printf("# rule matrix: %d actions x %d statuses x %d roles = %d "
	       "(action,status,role) combinations checked, each in %d "
	       "setups: %d attempts\n",
	       wq_action_count, nstatus, K_COUNT, combos, S_COUNT, attempts);
	printf("# rule matrix outcomes: OK %d, DENIED %d, BAD_STATUS %d, "
	       "TAKEN %d, other %d; mismatches %d\n",
	       allowed, by_err[WQ_ERR_DENIED], by_err[WQ_ERR_BAD_STATUS],
	       by_err[WQ_ERR_TAKEN],
	       attempts - allowed - by_err[WQ_ERR_DENIED] -
		       by_err[WQ_ERR_BAD_STATUS] - by_err[WQ_ERR_TAKEN],
	       bad);
	/* Every attempt was rolled back. */
	assert_int_equal(q_int("SELECT version FROM cases WHERE id = ?1", id),
			 version0);
	assert_int_equal(q_int("SELECT count(*) FROM events", 0), events0);
	assert_int_equal(q_int("SELECT count(*) FROM offers WHERE case_id = ?1",
			       id),
			 0);
	assert_int_equal(combos, wq_action_count * nstatus * K_COUNT);
	assert_true(allowed > 0);
	assert_int_equal(bad, 0);
}

/* ---- the table against DOMAIN.md ---- */

/* Does some action lead from `from` to `to` (the review actions compute
 * their target: approve goes first -> final -> closed; send-back and
 * reopen return to the outcome under review; notify leaves a withdrawal
 * or settlement as it is). */
static const struct wq_action *leads(const char *from, const char *to)
{
	static const char *const outcomes[] = {
		"not_accepted", "transferred", "settled", "withdrawn",
		"termination_notice", "performance_watch", "unperformed", NULL,
	};

	for (int i = 0; i < wq_action_count; i++) {
		const struct wq_action *a = &wq_actions[i];

		if (!word_in(from, a->from))
			continue;
		if (a->to && strcmp(a->to, to) == 0)
			return a;
		if (strcmp(a->name, "approve") == 0 &&
		    ((strcmp(from, "first_review") == 0 &&
		      strcmp(to, "final_review") == 0) ||
		     (strcmp(from, "final_review") == 0 &&
		      strcmp(to, "closed") == 0)))
			return a;
		if ((strcmp(a->name, "send-back") == 0 ||
		     strcmp(a->name, "reopen") == 0) &&
		    in_strv(to, outcomes))
			return a;
		if (strcmp(a->name, "notify") == 0 &&
		    strcmp(from, "mediation_ended") == 0 &&
		    strcmp(to, "termination_notice") == 0)
			return a;
	}
	return NULL;
}

static void test_table_follows_domain(void **state)
{
	/* Every arrow of the state machine in DOMAIN.md. */
	static const char *const arrows[][2] = {
		{"received", "need_info"},
		{"need_info", "received"},
		{"received", "screened"},
		{"screened", "accepted"},
		{"accepted", "in_mediation"},
		{"in_mediation", "agreement"},
		{"agreement", "performance_watch"},
		{"performance_watch", "first_review"},
		{"performance_watch", "unperformed"},
		{"unperformed", "first_review"},
		{"in_mediation", "settled"},
		{"in_mediation", "withdrawn"},
		{"in_mediation", "mediation_ended"},
		{"mediation_ended", "termination_notice"},
		{"termination_notice", "first_review"},
		{"screened", "not_accepted"},
		{"screened", "transferred"},
		{"screened", "odr"},
		{"odr", "settled"},
		{"odr", "received"},
		{"not_accepted", "first_review"},
		{"transferred", "first_review"},
		{"settled", "first_review"},
		{"withdrawn", "first_review"},
		{"first_review", "final_review"},
		{"final_review", "closed"},
		{"first_review", "settled"},     /* send back */
		{"final_review", "settled"},     /* send back */
		{"closed", "settled"},           /* reopen */
	};
	bool reach[32] = {false};
	int nstatus = 0, changed;

	(void)state;
	for (size_t i = 0; i < sizeof(arrows) / sizeof(arrows[0]); i++)
		if (!leads(arrows[i][0], arrows[i][1]))
			fail_msg("no action leads from %s to %s (DOMAIN.md)",
				 arrows[i][0], arrows[i][1]);

	for (int i = 0; i < wq_action_count; i++) {
		const struct wq_action *a = &wq_actions[i];
		char buf[512], *save = NULL;

		/* Every word of every from list is a status (no typos). */
		snprintf(buf, sizeof(buf), "%s", a->from);
		for (char *w = strtok_r(buf, " ", &save); w;
		     w = strtok_r(NULL, " ", &save))
			if (!is_status(w))
				fail_msg("%s: '%s' is not a status", a->name,
					 w);
		if (a->to && !is_status(a->to))
			fail_msg("%s leads to '%s', not a status", a->name,
				 a->to);
		/* Rulings are the mediators' and supervisors' work. */
		assert_false(a->roles & WQ_ROLE_BIT(WQ_ROLE_ADMIN));
		assert_true(a->min_args <= a->max_args);
		/* A closed case is final: only reopening changes it. */
		if (word_in("closed", a->from) && a->to)
			fail_msg("%s moves a closed case to %s", a->name,
				 a->to);
		assert_non_null(wq_action_find(a->name));
	}
	/* Reopen: supervisors only, from closed only, with a reason. */
	{
		const struct wq_action *a = wq_action_find("reopen");

		assert_non_null(a);
		assert_int_equal(a->roles, WQ_ROLE_BIT(WQ_ROLE_SUPERVISOR));
		assert_string_equal(a->from, "closed");
		assert_int_equal(a->min_args, 1);
	}
	/* Reviews: supervisors only; send-back needs a comment. */
	assert_int_equal(wq_action_find("approve")->roles,
			 WQ_ROLE_BIT(WQ_ROLE_SUPERVISOR));
	assert_int_equal(wq_action_find("send-back")->roles,
			 WQ_ROLE_BIT(WQ_ROLE_SUPERVISOR));
	assert_int_equal(wq_action_find("send-back")->min_args, 1);
	assert_null(wq_action_find("no-such-action"));

	/* Every status reaches closed, and every status is reachable from
	 * received. */
	while (wq_statuses[nstatus])
		nstatus++;
	assert_true(nstatus <= 32);
	for (int target = 0; target < nstatus; target++) {
		bool seen[32] = {false};

		seen[target] = true;
		do {
			changed = 0;
			for (int f = 0; f < nstatus; f++)
				for (int t = 0; t < nstatus; t++)
					if (!seen[f] && seen[t] &&
					    leads(wq_statuses[f],
						  wq_statuses[t])) {
						seen[f] = true;
						changed = 1;
					}
		} while (changed);
		if (strcmp(wq_statuses[target], "closed") == 0)
			for (int f = 0; f < nstatus; f++)
				if (!seen[f])
					fail_msg("%s cannot reach closed",
						 wq_statuses[f]);
		reach[target] = seen[0];   /* wq_statuses[0] is received */
	}
	assert_string_equal(wq_statuses[0], "received");
	for (int t = 0; t < nstatus; t++)
		if (!reach[t])
			fail_msg("%s cannot be reached from received",
				 wq_statuses[t]);

	/* The reason codes and sub-states DOMAIN.md names. */
	{
		static const char *const na[] = {
			"outside-remit", "already-handled", "not-consumption",
			"time-barred", "materials-missing", "false-identity",
			"other", NULL};
		static const char *const end[] = {
			"party-absent", "no-testing-agreement",
			"agreement-impossible", "ground-found",
			"clock-expired", "other", NULL};
		static const char *const sub[] = {
			"awaiting_consumer", "awaiting_merchant",
			"session_scheduled", "testing", NULL};

		for (int i = 0; na[i]; i++)
			assert_true(in_strv(na[i], wq_not_accept_reasons));
		for (int i = 0; end[i]; i++)
			assert_true(in_strv(end[i], wq_end_reasons));
		for (int i = 0; sub[i]; i++)
			assert_true(in_strv(sub[i], wq_substates));
	}
}

/* A ruling is one row: its function, its target (fixed or computed, not
 * both), the codes its REASON takes, each name once. */
static void test_table_is_one_place(void **state)
{
	(void)state;
	for (int i = 0; i < wq_action_count; i++) {
		const struct wq_action *a = &wq_actions[i];

		if (a->reasons && strncmp(a->args, "REASON", 6) != 0)
			fail_msg("%s has reason codes but no REASON", a->name);
	}
	for (int t = 0; t < wq_track_count; t++) {
		for (int i = 0; i < wq_tracks[t].action_count; i++) {
			const struct wq_action *a = &wq_tracks[t].actions[i];

			if (!a->apply)
				fail_msg("%s has no function applying it", a->name);
			if (a->to && a->target)
				fail_msg("%s has a fixed and a computed target",
					 a->name);
			if (a->reasons && a->min_args < 1)
				fail_msg("%s has codes but no argument", a->name);
			if (a->op != WQ_CASE_CHANGE && a->op != WQ_CASE_CLAIM &&
			    a->op != WQ_CASE_GROUP)
				fail_msg("%s asks wq_case_authorize for op %d",
					 a->name, (int)a->op);
			assert_ptr_equal(wq_track_action(&wq_tracks[t], a->name), a);
		}
	}
	assert_ptr_equal(wq_action_find("not-accept")->reasons,
			 wq_not_accept_reasons);
	assert_ptr_equal(wq_action_find("end")->reasons, wq_end_reasons);
	assert_int_equal(wq_action_find("claim")->op, WQ_CASE_CLAIM);
	assert_int_equal(wq_action_find("join-group")->op, WQ_CASE_GROUP);
}

/* The columns of the status list give the sets the table, the report
 * triggers and the console used to spell out by hand. */
static void test_status_columns(void **state)
{
	static const char *const submit[] = {
		"not_accepted", "transferred", "settled", "withdrawn",
		"termination_notice", "performance_watch", "unperformed",
		NULL};
	int n = 0;

	(void)state;
	assert_string_equal(WQ_SQL_STATUSES(early),
			    "('received','need_info','screened','accepted',"
			    "'odr','in_mediation','')");
	assert_string_equal(WQ_SQL_STATUSES(ends),
			    "('not_accepted','transferred','agreement',"
			    "'settled','withdrawn','mediation_ended','')");
	for (int i = 0; wq_statuses[i]; i++, n++) {
		assert_int_equal(word_in(wq_statuses[i], WQ_STATUSES(open)),
				 strcmp(wq_statuses[i], "closed") != 0);
		assert_int_equal(word_in(wq_statuses[i], WQ_STATUSES(submit)),
				 in_strv(wq_statuses[i], submit));
	}
	assert_int_equal(n, 18);
	assert_string_equal(wq_action_find("submit")->from,
			    WQ_STATUSES(submit));
}

/* Every case type has its track; a track's rulings lead from and to its
 * own statuses, and a case starts at the first. */
static void test_tracks(void **state)
{
	char types[] = WQ_CASE_TYPES, *save = NULL;

	(void)state;
	for (char *t = strtok_r(types, " ", &save); t;
	     t = strtok_r(NULL, " ", &save))
		if (!wq_track_of(t))
			fail_msg("case type %s has no track", t);
	assert_null(wq_track_of("no-such-type"));
	assert_ptr_equal(wq_track_of("complaint")->actions, wq_actions);
	assert_string_equal(wq_track_of("complaint")->statuses[0], "received");
	assert_string_equal(wq_track_of("ip")->statuses[0], "notice_received");
	for (int i = 0; i < wq_track_count; i++) {
		const struct wq_track *tr = &wq_tracks[i];

		for (int k = 0; k < tr->action_count; k++) {
			const struct wq_action *a = &tr->actions[k];
			char buf[512], *s2 = NULL;

			snprintf(buf, sizeof(buf), "%s", a->from);
			for (char *w = strtok_r(buf, " ", &s2); w;
			     w = strtok_r(NULL, " ", &s2))
				if (!in_strv(w, tr->statuses))
					fail_msg("%s track: %s applies to '%s', "
						 "not one of its statuses",
						 tr->type, a->name, w);
			if (a->to && !in_strv(a->to, tr->statuses))
				fail_msg("%s track: %s leads to '%s'",
					 tr->type, a->name, a->to);
			assert_ptr_equal(wq_track_action(tr, a->name), a);
		}
	}
}

/* Order No. 20 art. 21 names the respondent clearly refusing mediation
 * apart from a party failing to attend: each has its code. */
static void test_end_respondent_refuses(void **state)
{
	char number[32], *reason;
	int64_t id;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("被拒调解", number, &id);
	RULE_OK(&F.sam, number, NULL, "screen", NULL);
	RULE_OK(&F.sam, number, NULL, "accept", NULL);
	RULE_OK(&F.sam, number, NULL, "start", NULL);
	RULE_OK(&F.sam, number, NULL, "end", "respondent-refuses", NULL);
	reason = q_text_id("SELECT reason || ' ' || status FROM cases"
			   " WHERE id = ?1",
			   id);
	assert_string_equal(reason, "respondent-refuses mediation_ended");
	free(reason);
	assert_true(in_strv("party-absent", wq_end_reasons));
}

/* Order No. 20 art. 21: the complainant withdrawing and the parties
 * settling are grounds for ending mediation like the others, and the
 * parties are told within 7 working days (the notice clock); before
 * acceptance there is no mediation to end. */
static void test_withdraw_after_acceptance_owes_notice(void **state)
{
	struct wq_ruling_result res;
	char number[32], early[32], *v;
	int64_t id, early_id;

	(void)state;
	set_now("2026-10-12T02:00:00Z");
	make_case("撤诉后告知", number, &id);
	RULE_OK(&F.sam, number, NULL, "screen", NULL);
	RULE_OK(&F.sam, number, NULL, "accept", NULL);
	RULE_OK(&F.sam, number, NULL, "start", NULL);
	RULE_OK(&F.desk, number, &res, "withdraw", "投诉人撤回投诉", NULL);
	assert_string_equal(res.status, "withdrawn");
	assert_string_equal(res.due_on, "2026-10-21");   /* 7 working days */
	assert_case_col(number, "reason", "withdrawn");
	assert_case_col(number, "clock", "notice");
	assert_int_equal(rule(&F.sam, number, 0, NULL, "submit", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.sam, number, &res, "notify", "已告知双方终止调解", NULL);
	assert_string_equal(res.status, "withdrawn");
	v = case_col(number, "json_extract(clocks, '$.notice.stopped')");
	assert_non_null(v);
	assert_string_equal(v, "2026-10-12");
	free(v);
	assert_int_equal(rule(&F.sam, number, 0, NULL, "notify", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.sam, number, &res, "submit", NULL);
	assert_string_equal(res.status, "first_review");

	/* Withdrawn before acceptance: nothing to tell. */
	make_case("受理前撤诉", early, &early_id);
	RULE_OK(&F.desk, early, &res, "withdraw", NULL);
	assert_case_col(early, "reason", "");
	assert_int_equal(rule(&F.sam, early, 0, NULL, "notify", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.sam, early, &res, "submit", NULL);
}

static void test_settle_after_acceptance_owes_notice(void **state)
{
	struct wq_ruling_result res;
	char number[32];
	int64_t id;

	(void)state;
	set_now("2026-10-12T02:00:00Z");
	make_case("自行和解后告知", number, &id);
	RULE_OK(&F.sam, number, NULL, "screen", NULL);
	RULE_OK(&F.sam, number, NULL, "accept", NULL);
	RULE_OK(&F.sam, number, &res, "settle", "双方自行和解", NULL);
	assert_string_equal(res.status, "settled");
	assert_string_equal(res.due_on, "2026-10-21");
	assert_case_col(number, "reason", "settled");
	assert_int_equal(rule(&F.sam, number, 0, NULL, "submit", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.sam, number, &res, "notify", NULL);
	RULE_OK(&F.sam, number, &res, "submit", NULL);
}

/* A regime whose acceptance clock stops while materials are missing
 * starts it anew when they are complete. */
static void test_materials_restart(void **state)
{
	struct wq_ruling_result res;
	char path[256], regime[64], number[32];
	int64_t id;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/restart.json", F.dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"regime\": \"restart-on-materials\", \"title\": \"test\","
	      " \"source\": \"test\", \"clocks\": [{\"clock\": \"accept\","
	      " \"working_days\": 7, \"start_status\": \"received\","
	      " \"stop_statuses\": [\"need_info\", \"accepted\","
	      " \"not_accepted\", \"transferred\", \"odr\", \"withdrawn\"],"
	      " \"pause_substates\": [], \"regulator_time\": true,"
	      " \"basis\": \"test\"}]}",
	      f);
	fclose(f);
	assert_int_equal(wq_clock_import(F.store, &F.admin, path, regime,
					 sizeof(regime)),
			 WQ_ERR_OK);
	assert_int_equal(wq_clock_use(F.store, &F.admin, regime), WQ_ERR_OK);
	set_now("2026-09-24T02:00:00Z");
	make_case("补正重计", number, &id);
	RULE_OK(&F.sam, number, &res, "need-info", NULL);
	assert_string_equal(res.due_on, "");
	set_now("2026-09-28T02:00:00Z");
	RULE_OK(&F.desk, number, &res, "info-received", NULL);
	assert_string_equal(res.due_on, "2026-10-13");
	assert_int_equal(wq_clock_use(F.store, &F.admin, "samr-order-20"),
			 WQ_ERR_OK);
}

/* Sending a complaint to the merchant's own channel is the consumer's
 * choice (12315 ODR practice): the ruling records how they chose it. */
static void test_odr_records_the_choice(void **state)
{
	char number[32], *v;
	int64_t id;

	(void)state;
	set_now("2026-10-12T02:00:00Z");
	make_case("选择ODR", number, &id);
	assert_int_equal(rule(&F.sam, number, 0, NULL, "odr", NULL),
			 WQ_ERR_INVALID);
	assert_int_equal(rule(&F.sam, number, 0, NULL, "odr", "  ", NULL),
			 WQ_ERR_INVALID);
	assert_case_col(number, "status", "received");
	RULE_OK(&F.sam, number, NULL, "odr", "投诉人来电表示愿先由商家处理",
		NULL);
	assert_case_col(number, "status", "odr");
	v = case_col(number, "(SELECT text FROM statements WHERE case_id ="
			     " cases.id AND party = 'mediator'"
			     " ORDER BY id DESC LIMIT 1)");
	assert_non_null(v);
	assert_non_null(strstr(v, "投诉人来电表示愿先由商家处理"));
	free(v);
}

/* Order No. 20 art. 21: an agreement left unperformed does not end the
 * mediation (it reached its agreement); the case records it, the
 * merchant's record counts it, and it goes to review with no termination
 * notice owed. */
static void test_unperformed_is_no_end_of_mediation(void **state)
{
	struct wq_ruling_result res;
	char number[32], offer[24];
	int64_t id, unperformed;

	(void)state;
	set_now("2026-10-12T02:00:00Z");
	make_case("协议未履行", number, &id);
	unperformed = q_int("SELECT unperformed FROM merchants WHERE id ="
			    " (SELECT merchant_id FROM cases WHERE id = ?1)",
			    id);
	RULE_OK(&F.sam, number, NULL, "screen", NULL);
	RULE_OK(&F.sam, number, NULL, "accept", NULL);
	RULE_OK(&F.sam, number, NULL, "start", NULL);
	RULE_OK(&F.sam, number, &res, "offer", "respondent", "refund", "100",
		NULL);
	snprintf(offer, sizeof(offer), "%" PRId64, res.created_id);
	RULE_OK(&F.sam, number, NULL, "agree", offer, "respondent",
		"2026-10-20", NULL);
	RULE_OK(&F.sam, number, NULL, "watch", NULL);
	RULE_OK(&F.sam, number, &res, "unperformed", "商家逾期未退款", NULL);
	assert_string_equal(res.status, "unperformed");
	assert_string_equal(res.due_on, "");
	assert_case_col(number, "reason", "unperformed");
	assert_int_equal(q_int("SELECT unperformed FROM merchants WHERE id ="
			       " (SELECT merchant_id FROM cases WHERE id = ?1)",
			       id),
			 unperformed + 1);
	assert_int_equal(rule(&F.sam, number, 0, NULL, "notify", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.sam, number, &res, "submit", NULL);
	assert_string_equal(res.status, "first_review");
}

/* ---- the IP-notice track ---- */

static void make_ip_case(const char *brand, char number[32], int64_t *id)
{
	struct wq_intake in = {0};

	in.type = "ip";
	in.category = "counterfeit";
	in.consumer_name = brand;
	in.merchant_name = "某某运动专营店";
	in.merchant_platform = "taobao";
	in.statement = "该店铺销售假冒我司注册商标的运动鞋，附公证购买材料。";
	assert_int_equal(wq_case_create(F.store, &F.desk, &in, id, number),
			 WQ_ERR_OK);
}

static char *case_field(int64_t id, const char *expr)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT %s FROM cases WHERE id = ?1", expr);
	return q_text_id(sql, id);
}

#define EXPECT_FIELD(id, expr, want)                                           \
	do {                                                                   \
		char *v_ = case_field((id), (expr));                           \
		assert_string_equal(v_, (want));                               \
		free(v_);                                                      \
	} while (0)

/* E-Commerce Law arts. 42-43: notice, measures and forwarding, the
 * merchant's declaration forwarded to the rights holder, and the measures
 * end only after the rights holder's 15 days. */
static void test_ip_track_measures_end(void **state)
{
	char number[32];
	int64_t id;

	(void)state;
	set_now("2026-10-12T02:00:00Z");
	make_ip_case("某某体育用品有限公司", number, &id);
	EXPECT_FIELD(id, "status", "notice_received");
	/* A complaint's ruling is not an IP notice's. */
	assert_int_equal(rule(&F.sam, number, 0, NULL, "screen", NULL),
			 WQ_ERR_INVALID);
	assert_int_equal(rule(&F.sam, number, 0, NULL, "measures", "fine",
			      NULL),
			 WQ_ERR_INVALID);
	RULE_OK(&F.sam, number, NULL, "measures", "delete", "已删除链接", NULL);
	EXPECT_FIELD(id, "status || ' ' || reason", "measures_taken delete");
	RULE_OK(&F.sam, number, NULL, "declaration", NULL);
	RULE_OK(&F.sam, number, NULL, "forward-declaration", NULL);
	/* Forwarded on 10-12 (Beijing): the rights holder has to 10-27, a
	 * calendar-day clock the queue sorts by. */
	EXPECT_FIELD(id, "clock || ' ' || due_on", "ip_wait 2026-10-27");
	set_now("2026-10-27T15:00:00Z");   /* 10-27 23:00 in Beijing */
	assert_int_equal(rule(&F.sam, number, 0, NULL, "end-measures", NULL),
			 WQ_ERR_BAD_STATUS);
	assert_non_null(strstr(wq_err_detail(), "2026-10-27"));
	EXPECT_FIELD(id, "status", "declaration_forwarded");
	set_now("2026-10-27T16:00:00Z");   /* 10-28 in Beijing */
	RULE_OK(&F.sam, number, NULL, "end-measures", NULL);
	EXPECT_FIELD(id, "status", "measures_ended");
	EXPECT_FIELD(id, "json_extract(clocks, '$.ip_wait.stopped')",
		     "2026-10-28");
	RULE_OK(&F.sam, number, NULL, "mark-wrongful", "malicious-notice",
		NULL);
	assert_true(q_int("SELECT flags FROM cases WHERE id = ?1", id) &
		    WQ_FLAG(MALICIOUS_NOTICE));
	assert_int_equal(rule(&F.sam, number, 0, NULL, "mark-wrongful",
			      "duplicate", NULL),
			 WQ_ERR_INVALID);
	RULE_OK(&F.sam, number, NULL, "publish", "已公示处理结果", NULL);
	RULE_OK(&F.sam, number, NULL, "submit", NULL);
	RULE_OK(&F.sue, number, NULL, "approve", NULL);
	RULE_OK(&F.sid, number, NULL, "approve", NULL);
	EXPECT_FIELD(id, "status", "closed");
}

/* ---- the report track (举报) ---- */

static void make_report(const char *reporter, const char *phone,
			char number[32], int64_t *id)
{
	struct wq_intake in = {0};

	in.type = "report";
	in.category = "advertising";
	in.consumer_name = reporter;
	in.consumer_phone = phone;
	in.merchant_name = "某某保健品店";
	in.statement = "该店宣称保健品能治疗糖尿病，涉嫌虚假宣传。";
	assert_int_equal(wq_case_create(F.store, &F.desk, &in, id, number),
			 WQ_ERR_OK);
}

static void test_report_track_check_clock(void **state)
{
	char number[32];
	int64_t id;

	(void)state;
	/* Monday 2026-11-02, Beijing: 15 working days end on 11-23. */
	set_now("2026-11-02T02:00:00Z");
	make_report("刘某", "13900001111", number, &id);
	EXPECT_FIELD(id, "status || ' ' || clock || ' ' || due_on ||"
			 " ' ' || flags",
		     "report_received report_check 2026-11-23 32");
	assert_true(wq_report_real_name(F.store, id));
	/* A report's rulings are its track's only. */
	assert_int_equal(rule(&F.sam, number, 0, NULL, "accept", NULL),
			 WQ_ERR_INVALID);
	RULE_OK(&F.sam, number, NULL, "assign", "alice", NULL);
	/* Testing pauses the check: Monday to Thursday is 3 working days. */
	RULE_OK(&F.alice, number, NULL, "testing", "抽样送检", NULL);
	assert_int_equal(rule(&F.alice, number, 0, NULL, "testing", NULL),
			 WQ_ERR_BAD_STATUS);
	set_now("2026-11-05T02:00:00Z");
	RULE_OK(&F.alice, number, NULL, "tested", NULL);
	EXPECT_FIELD(id, "due_on", "2026-11-26");
	/* The extension: a supervisor's, once, 15 working days. */
	assert_int_equal(rule(&F.alice, number, 0, NULL, "extend", NULL),
			 WQ_ERR_DENIED);
	RULE_OK(&F.sam, number, NULL, "extend", "批准延长", NULL);
	EXPECT_FIELD(id, "due_on", "2026-12-17");
	assert_int_equal(rule(&F.sue, number, 0, NULL, "extend", NULL),
			 WQ_ERR_BAD_STATUS);
	EXPECT_FIELD(id, "due_on", "2026-12-17");
	/* The decision: a real-name reporter is told within 5 working
	 * days. */
	RULE_OK(&F.alice, number, NULL, "not-file", "no-illegal-conduct",
		NULL);
	EXPECT_FIELD(id, "status || ' ' || reason || ' ' || clock || ' ' ||"
			 " due_on",
		     "report_not_filed no-illegal-conduct report_tell "
		     "2026-11-12");
	assert_int_equal(rule(&F.alice, number, 0, NULL, "submit", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.alice, number, NULL, "tell", "短信告知", NULL);
	EXPECT_FIELD(id, "clock || due_on", "9999-12-31");
	assert_int_equal(rule(&F.alice, number, 0, NULL, "tell", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.alice, number, NULL, "submit", NULL);
	RULE_OK(&F.sam, number, NULL, "approve", NULL);
	RULE_OK(&F.sue, number, NULL, "approve", NULL);
	EXPECT_FIELD(id, "status", "closed");
}

static void test_report_track_repeated(void **state)
{
	char first[32], merged[32], repeated[32];
	int64_t first_id, merged_id, repeated_id;

	(void)state;
	set_now("2026-11-02T02:00:00Z");
	make_report("匿名", "", first, &first_id);
	make_report("陈某", "13900002222", merged, &merged_id);
	make_report("匿名", "", repeated, &repeated_id);
	assert_false(wq_report_real_name(F.store, first_id));
	RULE_OK(&F.sam, merged, NULL, "assign", "alice", NULL);
	RULE_OK(&F.sam, repeated, NULL, "assign", "alice", NULL);
	/* An earlier report only, never a later one or a complaint. */
	assert_int_equal(rule(&F.alice, merged, 0, NULL, "merge", repeated,
			      NULL),
			 WQ_ERR_INVALID);
	assert_int_equal(rule(&F.alice, merged, 0, NULL, "merge", F.other,
			      NULL),
			 WQ_ERR_INVALID);
	RULE_OK(&F.alice, merged, NULL, "merge", first, "同一线索", NULL);
	RULE_OK(&F.alice, repeated, NULL, "repeated", first, NULL);
	EXPECT_FIELD(merged_id, "status || ' ' || reason",
		     "report_merged merged");
	{
		char *want = NULL;
		char *got = case_field(merged_id, "duplicate_of");

		want = case_field(first_id, "id");
		assert_string_equal(got, want);
		free(got);
		free(want);
	}
	EXPECT_FIELD(repeated_id, "status || ' ' || reason",
		     "report_repeated repeated");
	/* Merged or repeated, no decision on filing: no one to tell. */
	EXPECT_FIELD(merged_id, "clock", "");
	RULE_OK(&F.alice, merged, NULL, "submit", NULL);
	/* An anonymous reporter is told nothing. */
	RULE_OK(&F.sam, first, NULL, "assign", "alice", NULL);
	RULE_OK(&F.alice, first, NULL, "file", NULL);
	EXPECT_FIELD(first_id, "clock", "");
	assert_int_equal(rule(&F.alice, first, 0, NULL, "tell", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.alice, first, NULL, "submit", NULL);
}

/* ---- the diversion track (串货) ---- */

static void test_diversion_track(void **state)
{
	struct wq_intake in = {0};
	char number[32];
	int64_t id;

	(void)state;
	set_now("2026-11-02T02:00:00Z");
	in.type = "diversion";
	in.category = "diversion";
	in.consumer_name = "贵州黔台酒业股份有限公司";
	in.merchant_name = "成都某酒类经销有限公司";
	in.statement = "四川专供批次在广东销售。";
	assert_int_equal(wq_store_begin_write(F.store), WQ_ERR_OK);
	assert_int_equal(wq_case_create_tx(F.store, &F.desk, &in, &id, number),
			 WQ_ERR_OK);
	/* The regions are what the dispute is about. */
	assert_int_equal(wq_diversion_add_tx(F.store, &F.desk, id,
					     &(struct wq_diversion){
						     .brand = "黔台",
						     .authorised_region =
							     "四川省",
						     .penalty_fen = -1}),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_diversion_add_tx(
				 F.store, &F.desk, id,
				 &(struct wq_diversion){
					 .brand = "黔台",
					 .authorised_region = "四川省",
					 .found_region = "广东省深圳市",
					 .batch = "QT2026-09",
					 .clause = "第七条 区域限制",
					 .penalty_fen = 2000000}),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_commit(F.store), WQ_ERR_OK);
	EXPECT_FIELD(id, "status || ' ' || flags", "diversion_received 16");
	assert_int_equal(q_int("SELECT complaints FROM merchants WHERE id ="
			       " (SELECT merchant_id FROM cases WHERE id = ?1)",
			       id),
			 0);
	/* Another type's details are refused. */
	assert_int_equal(wq_store_begin_write(F.store), WQ_ERR_OK);
	assert_int_equal(wq_diversion_add_tx(F.store, &F.desk, F.other_id,
					     &(struct wq_diversion){
						     .brand = "x",
						     .authorised_region = "x",
						     .found_region = "y",
						     .penalty_fen = -1}),
			 WQ_ERR_INVALID);
	wq_store_rollback(F.store);
	RULE_OK(&F.sam, number, NULL, "assign", "bob", NULL);
	assert_int_equal(rule(&F.bob, number, 0, NULL, "penalty", "100", NULL),
			 WQ_ERR_BAD_STATUS);
	assert_int_equal(rule(&F.bob, number, 0, NULL, "screen", NULL),
			 WQ_ERR_INVALID);
	RULE_OK(&F.bob, number, NULL, "verify-trace", NULL);
	RULE_OK(&F.bob, number, NULL, "penalty", "20000", "按合同支付", NULL);
	assert_int_equal(q_int("SELECT agreed_penalty_fen FROM diversions"
			       " WHERE case_id = ?1",
			       id),
			 2000000);
	EXPECT_FIELD(id, "status", "penalty_agreed");
	RULE_OK(&F.bob, number, NULL, "submit", NULL);
	EXPECT_FIELD(id, "status", "first_review");
}

/* A group settlement leaves out a member who did not consent to it. */
static void test_group_consent(void **state)
{
	static const char *const consumers[] = {"吴一", "吴二", "吴三"};
	const char *args[1] = {NULL};
	struct wq_ruling settle = {"settle", 0, args, 0};
	struct wq_group_outcome *out;
	struct wq_group_member *m;
	char n[3][32];
	const char *numbers[3];
	int64_t id[3], group;
	size_t nout, nm;

	(void)state;
	set_now("2026-11-02T02:00:00Z");
	for (int i = 0; i < 3; i++) {
		make_case(consumers[i], n[i], &id[i]);
		numbers[i] = n[i];
		RULE_OK(&F.sam, n[i], NULL, "assign", "alice", NULL);
		RULE_OK(&F.alice, n[i], NULL, "screen", NULL);
		RULE_OK(&F.alice, n[i], NULL, "accept", NULL);
	}
	assert_int_equal(wq_group_create(F.store, &F.sam, "同批翻新机", "",
					 numbers, 3, &group),
			 WQ_ERR_OK);
	assert_int_equal(wq_group_representative(F.store, &F.sam, group, n[0],
						 true),
			 WQ_ERR_OK);
	assert_int_equal(wq_group_representative(F.store, &F.sam, group, n[1],
						 true),
			 WQ_ERR_OK);
	assert_int_equal(wq_group_representative(F.store, &F.sam, group, n[2],
						 true),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_group_representative(F.store, &F.sam, group,
						 F.other, true),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_group_consent(F.store, &F.alice, group, n[0],
					  "settle", true, "书面同意"),
			 WQ_ERR_OK);
	assert_int_equal(wq_group_consent(F.store, &F.alice, group, n[1],
					  "withdraw", true, NULL),
			 WQ_ERR_OK);
	assert_int_equal(wq_group_consent(F.store, &F.alice, group, n[1],
					  "screen", true, NULL),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_group_members(F.store, &F.alice, group, &m, &nm),
			 WQ_ERR_OK);
	assert_int_equal(nm, 3);
	assert_true(m[0].representative && m[1].representative &&
		    !m[2].representative);
	assert_string_equal(m[0].consents, "settle");
	assert_string_equal(m[1].consents, "withdraw");
	free(m);
	assert_int_equal(wq_group_rule(F.store, &F.alice, group, &settle, NULL,
				       0, false, &out, &nout),
			 WQ_ERR_OK);
	assert_int_equal(nout, 3);
	for (size_t i = 0; i < nout; i++) {
		if (out[i].case_id == id[0]) {
			assert_int_equal(out[i].err, WQ_ERR_OK);
			continue;
		}
		assert_int_equal(out[i].err, WQ_ERR_DENIED);
		assert_non_null(strstr(out[i].why, "no recorded consent"));
	}
	free(out);
	assert_case_col(n[0], "status", "settled");
	assert_case_col(n[1], "status", "accepted");
	assert_case_col(n[2], "status", "accepted");
}

/* The group screen offers a ruling only where wq_group_ready() lets it:
 * status and role are not enough (submitting needs the agreement
 * performed, settling the member's consent), and one member that fits
 * is enough. */
static void test_group_ready(void **state)
{
	static const char *const consumers[] = {"郑一", "郑二"};
	const struct wq_user *actors[] = {&F.alice, &F.sam, &F.desk};
	struct wq_ruling_result res;
	char n[2][32], offer[24];
	const char *numbers[2];
	int64_t id[2], group;

	(void)state;
	set_now("2026-11-02T02:00:00Z");
	for (int i = 0; i < 2; i++) {
		make_case(consumers[i], n[i], &id[i]);
		numbers[i] = n[i];
		RULE_OK(&F.sam, n[i], NULL, "assign", "alice", NULL);
		RULE_OK(&F.alice, n[i], NULL, "screen", NULL);
		RULE_OK(&F.alice, n[i], NULL, "accept", NULL);
		RULE_OK(&F.alice, n[i], NULL, "start", NULL);
		RULE_OK(&F.alice, n[i], &res, "offer", "respondent", "refund",
			"100", NULL);
		snprintf(offer, sizeof(offer), "%" PRId64, res.created_id);
		RULE_OK(&F.alice, n[i], NULL, "agree", offer, "respondent",
			"2026-12-01", NULL);
		RULE_OK(&F.alice, n[i], NULL, "watch", NULL);
	}
	assert_int_equal(wq_group_create(F.store, &F.sam, "同批次退款", "",
					 numbers, 2, &group),
			 WQ_ERR_OK);
	/* Role and status would offer submitting; nothing is performed. */
	assert_true(wq_action_applies(wq_action_find("submit"),
				      WQ_ROLE_MEDIATOR, "performance_watch"));
	assert_int_not_equal(
	    wq_group_ready(F.store, &F.alice, group, "submit"), WQ_ERR_OK);
	RULE_OK(&F.alice, n[1], NULL, "performed", NULL);
	assert_int_equal(wq_group_ready(F.store, &F.alice, group, "submit"),
			 WQ_ERR_OK);
	/* Withdrawing needs a member's consent to it. */
	assert_int_equal(wq_group_ready(F.store, &F.alice, group, "withdraw"),
			 WQ_ERR_DENIED);
	assert_non_null(strstr(wq_err_detail(), "no recorded consent"));
	assert_int_equal(wq_group_consent(F.store, &F.alice, group, n[0],
					  "withdraw", true, "书面同意"),
			 WQ_ERR_OK);
	/* Per case only, whatever the status. */
	assert_int_equal(wq_group_ready(F.store, &F.sam, group, "leave-group"),
			 WQ_ERR_INVALID);

	/* The matrix: every ruling, three roles, against the members' own
	 * readiness and consent. */
	for (int i = 0; i < wq_action_count; i++) {
		const char *name = wq_actions[i].name;

		if (!strcmp(name, "join-group") || !strcmp(name, "leave-group"))
			continue;
		for (size_t u = 0; u < sizeof(actors) / sizeof(*actors); u++) {
			bool any = false;

			for (int k = 0; k < 2; k++) {
				bool consent_needed =
				    !strcmp(name, "settle") ||
				    !strcmp(name, "withdraw") ||
				    !strcmp(name, "agree");
				bool consented = k == 0 &&
						 !strcmp(name, "withdraw");

				if (consent_needed && !consented)
					continue;
				any |= wq_rule_ready(F.store, actors[u], id[k],
						     name) == WQ_ERR_OK;
			}
			if (any != (wq_group_ready(F.store, actors[u], group,
						   name) == WQ_ERR_OK))
				fail_msg("%s by %s: members say %s, the group "
					 "%s",
					 name, actors[u]->login,
					 any ? "ready" : "not ready",
					 any ? "not" : "ready");
		}
	}
}

static void test_ip_track_kept_and_rejected(void **state)
{
	char kept[32], rejected[32];
	int64_t kept_id, rejected_id;

	(void)state;
	set_now("2026-10-12T02:00:00Z");
	make_ip_case("某某服饰有限公司", kept, &kept_id);
	RULE_OK(&F.sam, kept, NULL, "measures", "stop-transactions", NULL);
	RULE_OK(&F.sam, kept, NULL, "declaration", NULL);
	RULE_OK(&F.sam, kept, NULL, "forward-declaration", NULL);
	RULE_OK(&F.sam, kept, NULL, "action-filed", "法院已立案", NULL);
	EXPECT_FIELD(kept_id, "status", "measures_kept");
	/* The measures stay: they cannot be ended any more. */
	assert_int_equal(rule(&F.sam, kept, 0, NULL, "end-measures", NULL),
			 WQ_ERR_BAD_STATUS);

	make_ip_case("某某箱包有限公司", rejected, &rejected_id);
	RULE_OK(&F.sam, rejected, NULL, "reject-notice",
		"no-preliminary-evidence", NULL);
	EXPECT_FIELD(rejected_id, "status || ' ' || reason",
		     "notice_rejected no-preliminary-evidence");
	RULE_OK(&F.sam, rejected, NULL, "submit", NULL);
	EXPECT_FIELD(rejected_id, "status", "first_review");
}

/* An IP notice registered before the track existed (status received)
 * goes on under the complaint procedure it started with. */
static void test_ip_legacy_case_stays_complaint(void **state)
{
	char number[32];
	int64_t id;

	(void)state;
	set_now("2026-10-12T02:00:00Z");
	make_ip_case("某某电器有限公司", number, &id);
	exec_ok("UPDATE cases SET status = 'received' WHERE type = 'ip'"
		" AND status = 'notice_received'");
	RULE_OK(&F.sam, number, NULL, "screen", NULL);
	EXPECT_FIELD(id, "status", "screened");
	assert_int_equal(rule(&F.sam, number, 0, NULL, "measures", "delete",
			      NULL),
			 WQ_ERR_INVALID);
}

/* ---- rulings through the life of a case ---- */

static void test_lifecycle_agreement(void **state)
{
	struct wq_ruling_result res;
	char number[32], o1[24], o2[24];
	int64_t id;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("李四", number, &id);
	assert_case_col(number, "status", "received");
	assert_case_col(number, "version", "1");
	RULE_OK(&F.sam, number, &res, "assign", "alice", NULL);
	assert_case_col(number, "assignee", "alice");
	RULE_OK(&F.alice, number, &res, "screen", NULL);
	assert_string_equal(res.status, "screened");
	RULE_OK(&F.alice, number, &res, "accept", NULL);
	assert_string_equal(res.status, "accepted");
	RULE_OK(&F.alice, number, &res, "start", NULL);
	assert_string_equal(res.status, "in_mediation");
	assert_case_col(number, "substate", "awaiting_merchant");
	RULE_OK(&F.alice, number, &res, "substate", "session_scheduled", NULL);
	assert_case_col(number, "substate", "session_scheduled");
	assert_case_col(number, "status", "in_mediation");

	RULE_OK(&F.alice, number, &res, "offer", "respondent", "refund",
		"100", NULL);
	assert_true(res.created_id > 0);
	snprintf(o1, sizeof(o1), "%" PRId64, res.created_id);
	RULE_OK(&F.alice, number, &res, "counter", o1, "refund", "300", NULL);
	snprintf(o2, sizeof(o2), "%" PRId64, res.created_id);
	assert_int_equal(q_int("SELECT count(*) FROM offers WHERE id = ?1 AND"
			       " state = 'countered'",
			       strtoll(o1, NULL, 10)),
			 1);
	/* The counter-offer is the other party's, answering the first. */
	assert_int_equal(q_int("SELECT answers FROM offers WHERE id = ?1",
			       strtoll(o2, NULL, 10)),
			 strtoll(o1, NULL, 10));
	assert_int_equal(q_int("SELECT (party = 'complainant') +"
			       " (amount_fen = 30000) + (state = 'open')"
			       " FROM offers WHERE id = ?1",
			       strtoll(o2, NULL, 10)),
			 3);
	/* A countered offer cannot be agreed on any more. */
	assert_int_equal(rule(&F.alice, number, 0, NULL, "agree", o1,
			      "respondent", "2026-12-01", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.alice, number, &res, "agree", o2, "respondent",
		"2026-12-01", NULL);
	assert_string_equal(res.status, "agreement");
	assert_case_col(number, "substate", "");
	assert_int_equal(q_int("SELECT count(*) FROM agreements WHERE"
			       " case_id = ?1 AND amount_fen = 30000 AND"
			       " performed_at IS NULL",
			       id),
			 1);
	RULE_OK(&F.alice, number, &res, "watch", NULL);
	assert_string_equal(res.status, "performance_watch");
	/* Not performed yet: no review. */
	assert_int_equal(rule(&F.alice, number, 0, NULL, "submit", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.alice, number, &res, "performed", NULL);
	assert_string_equal(res.status, "performance_watch");
	assert_int_equal(rule(&F.alice, number, 0, NULL, "performed", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.alice, number, &res, "submit", NULL);
	assert_string_equal(res.status, "first_review");
	assert_case_col(number, "review_from", "performance_watch");
	RULE_OK(&F.sam, number, &res, "approve", NULL);
	assert_string_equal(res.status, "final_review");
	RULE_OK(&F.sue, number, &res, "approve", NULL);
	assert_string_equal(res.status, "closed");
	/* Closed: notes and flags only, until a supervisor reopens it. */
	RULE_OK(&F.alice, number, &res, "note", "归档", NULL);
	assert_int_equal(rule(&F.alice, number, 0, NULL, "statement",
			      "complainant", "还有问题", NULL),
			 WQ_ERR_BAD_STATUS);
	assert_int_equal(rule(&F.alice, number, 0, NULL, "reopen", "理由",
			      NULL),
			 WQ_ERR_DENIED);
	RULE_OK(&F.sam, number, &res, "reopen", "商家未实际退款", NULL);
	assert_string_equal(res.status, "performance_watch");
	assert_case_col(number, "review_from", "");
}

static void test_lifecycle_review_and_odr(void **state)
{
	struct wq_ruling_result res;
	char number[32];
	int64_t id, statements;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("王五", number, &id);
	RULE_OK(&F.sam, number, &res, "assign", "bob", NULL);
	RULE_OK(&F.bob, number, &res, "need-info", "缺少订单截图", NULL);
	assert_string_equal(res.status, "need_info");
	RULE_OK(&F.desk, number, &res, "info-received", NULL);
	assert_string_equal(res.status, "received");
	RULE_OK(&F.bob, number, &res, "odr", "投诉人电话确认先由商家处理",
		NULL);
	assert_string_equal(res.status, "odr");
	RULE_OK(&F.bob, number, &res, "odr-failed", NULL);
	assert_string_equal(res.status, "received");
	RULE_OK(&F.bob, number, &res, "not-accept", "time-barred", NULL);
	assert_string_equal(res.status, "not_accepted");
	assert_case_col(number, "reason", "time-barred");
	RULE_OK(&F.bob, number, &res, "submit", NULL);
	assert_string_equal(res.status, "first_review");
	statements = q_int("SELECT count(*) FROM statements WHERE case_id = ?1",
			   id);
	RULE_OK(&F.sue, number, &res, "send-back", "理由不充分", NULL);
	assert_string_equal(res.status, "not_accepted");
	/* The comment joins the notes. */
	assert_int_equal(q_int("SELECT count(*) FROM statements WHERE"
			       " case_id = ?1",
			       id),
			 statements + 1);
	assert_int_equal(q_int("SELECT count(*) FROM statements WHERE"
			       " case_id = ?1 AND text = '理由不充分'",
			       id),
			 1);
	RULE_OK(&F.bob, number, &res, "submit", NULL);
	RULE_OK(&F.sam, number, &res, "approve", NULL);
	assert_string_equal(res.status, "final_review");
	RULE_OK(&F.sam, number, &res, "send-back", "再核实", NULL);
	assert_string_equal(res.status, "not_accepted");
	RULE_OK(&F.bob, number, &res, "submit", NULL);
	RULE_OK(&F.sam, number, &res, "approve", NULL);
	RULE_OK(&F.sue, number, &res, "approve", NULL);
	assert_string_equal(res.status, "closed");

	/* ODR settled; mediation ended and notified. */
	make_case("赵六", number, &id);
	RULE_OK(&F.sam, number, &res, "odr", "投诉人选择平台ODR", NULL);
	RULE_OK(&F.sam, number, &res, "odr-settled", NULL);
	assert_string_equal(res.status, "settled");
	make_case("钱七", number, &id);
	RULE_OK(&F.sam, number, &res, "screen", NULL);
	RULE_OK(&F.sam, number, &res, "accept", NULL);
	RULE_OK(&F.sam, number, &res, "end", "party-absent", NULL);
	assert_string_equal(res.status, "mediation_ended");
	assert_case_col(number, "reason", "party-absent");
	RULE_OK(&F.sam, number, &res, "notify", NULL);
	assert_string_equal(res.status, "termination_notice");
	RULE_OK(&F.sam, number, &res, "submit", NULL);
	assert_string_equal(res.status, "first_review");
	/* The desk may withdraw on the complainant's word. */
	make_case("孙八", number, &id);
	RULE_OK(&F.desk, number, &res, "withdraw", "消费者撤诉", NULL);
	assert_string_equal(res.status, "withdrawn");
}

static void test_four_eyes(void **state)
{
	struct wq_ruling_result res;
	char number[32];
	int64_t id, events;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("周九", number, &id);
	RULE_OK(&F.sam, number, &res, "claim", NULL);
	RULE_OK(&F.sam, number, &res, "not-accept", "outside-remit", NULL);
	RULE_OK(&F.sam, number, &res, "submit", NULL);
	/* The submitter approves neither level. */
	assert_int_equal(rule(&F.sam, number, 0, NULL, "approve", NULL),
			 WQ_ERR_DENIED);
	assert_non_null(strstr(wq_err_detail(), number));
	assert_case_col(number, "status", "first_review");
	RULE_OK(&F.sue, number, &res, "approve", NULL);
	assert_string_equal(res.status, "final_review");
	assert_int_equal(rule(&F.sam, number, 0, NULL, "approve", NULL),
			 WQ_ERR_DENIED);
	/* Nor does the first reviewer do the final review. */
	events = q_int("SELECT count(*) FROM events WHERE case_id = ?1", id);
	assert_int_equal(rule(&F.sue, number, 0, NULL, "approve", NULL),
			 WQ_ERR_DENIED);
	assert_non_null(strstr(wq_err_detail(), "first review"));
	assert_case_col(number, "status", "final_review");
	assert_int_equal(q_int("SELECT count(*) FROM events WHERE case_id = ?1",
			       id),
			 events);
	RULE_OK(&F.sid, number, &res, "approve", NULL);
	assert_string_equal(res.status, "closed");
}

/* The first reviewer of one round may do the final review of the next,
 * after the case was sent back and submitted again: the rule is about one
 * round of review. */
static void test_four_eyes_per_round(void **state)
{
	struct wq_ruling_result res;
	char number[32];
	int64_t id;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("吴十", number, &id);
	RULE_OK(&F.sam, number, &res, "assign", "bob", NULL);
	RULE_OK(&F.bob, number, &res, "not-accept", "time-barred", NULL);
	RULE_OK(&F.bob, number, &res, "submit", NULL);
	RULE_OK(&F.sue, number, &res, "approve", NULL);
	RULE_OK(&F.sam, number, &res, "send-back", "补充说明", NULL);
	RULE_OK(&F.bob, number, &res, "submit", NULL);
	RULE_OK(&F.sam, number, &res, "approve", NULL);
	assert_int_equal(rule(&F.sam, number, 0, NULL, "approve", NULL),
			 WQ_ERR_DENIED);
	RULE_OK(&F.sue, number, &res, "approve", NULL);
	assert_string_equal(res.status, "closed");
}

/* Sending back says what to change: an empty or blank comment is refused
 * at either level and writes nothing. */
static void test_send_back_needs_comment(void **state)
{
	static const char *const blanks[] = {"", " ", "\t\n  "};
	struct wq_ruling_result res;
	char number[32];
	int64_t id, events;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("郑十一", number, &id);
	RULE_OK(&F.sam, number, &res, "assign", "bob", NULL);
	RULE_OK(&F.bob, number, &res, "not-accept", "time-barred", NULL);
	RULE_OK(&F.bob, number, &res, "submit", NULL);
	for (int level = 0; level < 2; level++) {
		events = q_int("SELECT count(*) FROM events WHERE"
			       " case_id = ?1",
			       id);
		for (size_t i = 0; i < sizeof(blanks) / sizeof(*blanks); i++) {
			assert_int_equal(rule(&F.sue, number, 0, NULL,
					      "send-back", blanks[i], NULL),
					 WQ_ERR_INVALID);
			assert_non_null(strstr(wq_err_detail(), "comment"));
		}
		assert_int_equal(q_int("SELECT count(*) FROM events WHERE"
				       " case_id = ?1",
				       id),
				 events);
		assert_case_col(number, "status",
				level ? "final_review" : "first_review");
		if (!level)
			RULE_OK(&F.sam, number, &res, "approve", NULL);
	}
	RULE_OK(&F.sue, number, &res, "send-back", "请补充证据", NULL);
	assert_string_equal(res.status, "not_accepted");
}

static void test_report_track(void **state)
{
	struct wq_ruling_result res;
	char number[32], *v;
	int64_t id;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("吴十", number, &id);
	assert_int_equal(rule(&F.sam, number, 0, NULL, "report-done", "已查处",
			      NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.desk, number, &res, "report", NULL);
	assert_case_col(number, "report", "checking");
	assert_int_equal(q_int("SELECT flags FROM cases WHERE id = ?1", id) &
				 WQ_FLAG(REPORT),
			 WQ_FLAG(REPORT));
	v = case_col(number, "json_extract(clocks, '$.report.due')");
	assert_non_null(v);
	assert_string_equal(v, "2026-10-22");   /* 15 working days */
	free(v);
	assert_int_equal(rule(&F.desk, number, 0, NULL, "report", NULL),
			 WQ_ERR_BAD_STATUS);
	RULE_OK(&F.sam, number, &res, "withdraw", NULL);
	/* Ending the complaint does not end the check on the report. */
	v = case_col(number, "json_extract(clocks, '$.report.stopped')");
	assert_null(v);
	RULE_OK(&F.sam, number, &res, "report-done", "已查处", NULL);
	assert_case_col(number, "report", "done");
	/* The result is kept whole, as a note. */
	v = case_col(number, "(SELECT text FROM statements WHERE case_id ="
			     " cases.id ORDER BY id DESC LIMIT 1)");
	assert_non_null(v);
	assert_string_equal(v, "已查处");
	free(v);
	v = case_col(number, "json_extract(clocks, '$.report.stopped')");
	assert_non_null(v);
	assert_string_equal(v, "2026-09-24");
	free(v);
	assert_int_equal(rule(&F.sam, number, 0, NULL, "report-done", "已查处",
			      NULL),
			 WQ_ERR_BAD_STATUS);
}

/* Errors of arguments and lookups, each writing nothing. */
static void test_bad_arguments(void **state)
{
	struct wq_ruling r = {0};
	const char *argv[4] = {NULL};
	char number[32];
	int64_t id, version;
	struct {
		const char *action;
		int argc;
		const char *argv[4];
		enum wq_err want;
	} rows[] = {
		{"no-such-action", 0, {NULL}, WQ_ERR_INVALID},
		{"not-accept", 0, {NULL}, WQ_ERR_INVALID},
		{"note", 2, {"a", "b"}, WQ_ERR_INVALID},
		{"end", 1, {"i-dont-like-it"}, WQ_ERR_INVALID},
		/* Order No. 20 art. 21: an agreement not performed is not a
		 * ground for ending mediation. */
		{"end", 1, {"unperformed"}, WQ_ERR_INVALID},
		{"substate", 1, {"sleeping"}, WQ_ERR_INVALID},
		{"flag", 1, {"nasty"}, WQ_ERR_INVALID},
		{"assign", 1, {"desk1"}, WQ_ERR_INVALID},
		{"assign", 1, {"nobody"}, WQ_ERR_UNKNOWN_USER},
		{"statement", 2, {"judge", "文本"}, WQ_ERR_INVALID},
		{"statement", 2, {"respondent", ""}, WQ_ERR_INVALID},
		{"offer", 3, {"respondent", "refund", "1,000"}, WQ_ERR_INVALID},
		{"offer", 3, {"respondent", "bribe", "100"}, WQ_ERR_INVALID},
		{"offer", 3, {"nobody", "refund", "100"}, WQ_ERR_INVALID},
		{"offer", 3, {"respondent", "compensation", "fsl148:x"},
		 WQ_ERR_INVALID},
		/* No offer is open: refused before the arguments are read,
		 * as the key bar does not offer them. */
		{"counter", 3, {"999", "refund", "80"}, WQ_ERR_BAD_STATUS},
		{"counter", 3, {"abc", "refund", "80"}, WQ_ERR_BAD_STATUS},
		{"agree", 3, {"999", "respondent", "2026-12-01"},
		 WQ_ERR_BAD_STATUS},
		{"duplicate-of", 1, {"WQ-1999-000001"}, WQ_ERR_NOT_FOUND},
		{"duplicate-of", 1, {"#SELF"}, WQ_ERR_INVALID},
	};

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("郑十一", number, &id);
	RULE_OK(&F.sam, number, NULL, "screen", NULL);
	RULE_OK(&F.sam, number, NULL, "accept", NULL);
	RULE_OK(&F.sam, number, NULL, "start", NULL);
	version = q_int("SELECT version FROM cases WHERE id = ?1", id);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum wq_err got;

		for (int j = 0; j < rows[i].argc; j++)
			argv[j] = strcmp(rows[i].argv[j], "#SELF") == 0
					  ? number
					  : rows[i].argv[j];
		r.action = rows[i].action;
		r.argc = rows[i].argc;
		r.argv = argv;
		got = wq_rule(F.store, &F.sam, number, &r, NULL);
		if (got != rows[i].want)
			fail_msg("%s %s: expected %s, got %s (%s)",
				 rows[i].action,
				 rows[i].argc ? rows[i].argv[0] : "",
				 err_name(rows[i].want), err_name(got),
				 wq_err_detail());
	}
	/* A NULL argument and a case that does not exist. */
	argv[0] = NULL;
	r.action = "note";
	r.argc = 1;
	r.argv = argv;
	assert_int_equal(wq_rule(F.store, &F.sam, number, &r, NULL),
			 WQ_ERR_INVALID);
	argv[0] = "文本";
	assert_int_equal(wq_rule(F.store, &F.sam, "WQ-1999-000001", &r, NULL),
			 WQ_ERR_NOT_FOUND);
	assert_int_equal(wq_store_begin_write(F.store), WQ_ERR_OK);
	assert_int_equal(wq_rule_tx(F.store, &F.sam, 999999, &r, NULL),
			 WQ_ERR_NOT_FOUND);
	wq_store_rollback(F.store);
	assert_int_equal(q_int("SELECT version FROM cases WHERE id = ?1", id),
			 version);
	assert_int_equal(q_int("SELECT count(*) FROM offers WHERE case_id = ?1",
			       id),
			 0);

	/* With an offer open, the arguments are what is refused. */
	{
		struct wq_ruling_result res;
		char offer[24];
		const char *bad[][3] = {
			{"#OFFER", "respondent", "2026-13-01"},
			{"#OFFER", "merchant", "2026-12-01"},
			{"abc", "respondent", "2026-12-01"},
		};

		RULE_OK(&F.sam, number, &res, "offer", "respondent", "refund",
			"100", NULL);
		snprintf(offer, sizeof(offer), "%" PRId64, res.created_id);
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			for (int j = 0; j < 3; j++)
				argv[j] = strcmp(bad[i][j], "#OFFER") == 0
						  ? offer
						  : bad[i][j];
			r.action = "agree";
			r.argc = 3;
			assert_int_equal(wq_rule(F.store, &F.sam, number, &r,
						 NULL),
					 WQ_ERR_INVALID);
		}
	}
}

/* ---- 2. a refused ruling writes nothing ---- */

struct counts {
	int64_t version, events, case_events, statements, offers, agreements,
		index_rows;
	char *row;
};

static void take_counts(int64_t id, struct counts *c)
{
	c->version = q_int("SELECT version FROM cases WHERE id = ?1", id);
	c->events = q_int("SELECT count(*) FROM events", 0);
	c->case_events = q_int("SELECT count(*) FROM events WHERE case_id = ?1",
			       id);
	c->statements = q_int("SELECT count(*) FROM statements", 0);
	c->offers = q_int("SELECT count(*) FROM offers", 0);
	c->agreements = q_int("SELECT count(*) FROM agreements", 0);
	c->index_rows = q_int("SELECT count(*) FROM search_index", 0);
	c->row = q_text_id("SELECT json_array(status, substate, review_from,"
			   " reason, assignee, report, flags, duplicate_of,"
			   " clock, due_on, clocks, version, updated_at)"
			   " FROM cases WHERE id = ?1",
			   id);
	assert_non_null(c->row);
}

static void test_refused_writes_nothing(void **state)
{
	char number[32], idtext[24], *row;
	int64_t id, offer;
	struct wq_ruling_result res;
	struct counts before, after;
	struct {
		const struct wq_user *u;
		const char *action;
		const char *a0, *a1, *a2;
		enum wq_err want;
	} rows[] = {
		{&F.desk, "accept", "备注", NULL, NULL, WQ_ERR_DENIED},
		{&F.admin, "note", "管理员备注", NULL, NULL, WQ_ERR_DENIED},
		{&F.bob, "note", "不是我的案子", NULL, NULL, WQ_ERR_DENIED},
		{&F.alice, "accept", "已受理", NULL, NULL, WQ_ERR_BAD_STATUS},
		{&F.alice, "submit", "请审核", NULL, NULL, WQ_ERR_BAD_STATUS},
		{&F.bob, "claim", NULL, NULL, NULL, WQ_ERR_TAKEN},
		{&F.alice, "not-accept", "time-barred", "备注", NULL,
		 WQ_ERR_BAD_STATUS},
		{&F.alice, "end", "because", "备注", NULL, WQ_ERR_INVALID},
		{&F.alice, "agree", "999", "respondent", "2026-12-01",
		 WQ_ERR_NOT_FOUND},
		{&F.alice, "counter", "#OFFER", "refund", "-5",
		 WQ_ERR_INVALID},
		/* Marks the offer countered, then finds the remedy bad: the
		 * first write must be undone too. */
		{&F.alice, "counter", "#OFFER", "bribe", "80", WQ_ERR_INVALID},
		{&F.alice, "agree", "#OFFER", "respondent", "someday",
		 WQ_ERR_INVALID},
		{&F.alice, "performed", "已履行", NULL, NULL,
		 WQ_ERR_BAD_STATUS},
		{&F.alice, "report-done", "已查处", NULL, NULL,
		 WQ_ERR_BAD_STATUS},
		{&F.alice, "duplicate-of", "#SELF", NULL, NULL,
		 WQ_ERR_INVALID},
	};

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("冯十二", number, &id);
	RULE_OK(&F.sam, number, NULL, "assign", "alice", NULL);
	RULE_OK(&F.alice, number, NULL, "screen", NULL);
	RULE_OK(&F.alice, number, NULL, "accept", NULL);
	RULE_OK(&F.alice, number, NULL, "start", NULL);
	RULE_OK(&F.alice, number, &res, "offer", "respondent", "refund", "50",
		NULL);
	offer = res.created_id;
	snprintf(idtext, sizeof(idtext), "%" PRId64, offer);
	set_now("2026-09-25T02:00:00Z");

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *args[3] = {rows[i].a0, rows[i].a1, rows[i].a2};
		const char *argv[3];
		struct wq_ruling r = {0};
		enum wq_err got;
		int argc = 0;

		for (; argc < 3 && args[argc]; argc++)
			argv[argc] = strcmp(args[argc], "#OFFER") == 0
					     ? idtext
				     : strcmp(args[argc], "#SELF") == 0
					     ? number
					     : args[argc];
		r.action = rows[i].action;
		r.argc = argc;
		r.argv = argv;
		take_counts(id, &before);
		got = wq_rule(F.store, rows[i].u, number, &r, NULL);
		take_counts(id, &after);
		if (got != rows[i].want)
			fail_msg("%s by %s: expected %s, got %s (%s)",
				 rows[i].action, rows[i].u->login,
				 err_name(rows[i].want), err_name(got),
				 wq_err_detail());
		if (before.version != after.version ||
		    before.events != after.events ||
		    before.case_events != after.case_events ||
		    before.statements != after.statements ||
		    before.offers != after.offers ||
		    before.agreements != after.agreements ||
		    before.index_rows != after.index_rows ||
		    strcmp(before.row, after.row) != 0)
			fail_msg("refused %s by %s changed the database",
				 rows[i].action, rows[i].u->login);
		free(before.row);
		free(after.row);
	}
	/* The open offer is still open. */
	row = q_text("SELECT state FROM offers WHERE id = ?1", idtext, NULL);
	assert_non_null(row);
	assert_string_equal(row, "open");
	free(row);
	/* And an allowed ruling does write: the counts can move. */
	take_counts(id, &before);
	RULE_OK(&F.alice, number, NULL, "note", "允许的备注", NULL);
	take_counts(id, &after);
	assert_int_equal(after.version, before.version + 1);
	assert_int_equal(after.events, before.events + 1);
	assert_int_equal(after.statements, before.statements + 1);
	free(before.row);
	free(after.row);
}

/* ---- 3. stale versions ---- */

static void test_stale_version(void **state)
{
	struct wq_ruling_result res;
	struct counts before, after;
	char number[32];
	int64_t id, v1;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("陈十三", number, &id);
	v1 = q_int("SELECT version FROM cases WHERE id = ?1", id);
	/* The right version passes. */
	assert_int_equal(rule(&F.sam, number, v1, &res, "claim", NULL),
			 WQ_ERR_OK);
	assert_int_equal(res.version, v1 + 1);
	set_now("2026-09-24T03:15:00Z");
	assert_int_equal(rule(&F.sam, number, v1 + 1, &res, "note", "第一条",
			      NULL),
			 WQ_ERR_OK);
	take_counts(id, &before);
	/* Sue still holds version v1 + 1 (or v1): refused, naming sam. */
	assert_int_equal(rule(&F.sue, number, v1 + 1, NULL, "note", "第二条",
			      NULL),
			 WQ_ERR_STALE);
	assert_non_null(strstr(wq_err_detail(), "sam"));
	assert_non_null(strstr(wq_err_detail(), number));
	assert_non_null(strstr(wq_err_detail(), "2026-09-24T03:15:00Z"));
	assert_int_equal(rule(&F.sue, number, v1, NULL, "accept", NULL),
			 WQ_ERR_STALE);
	/* A version from the future is as stale as one from the past. */
	assert_int_equal(rule(&F.sue, number, v1 + 7, NULL, "note", "x", NULL),
			 WQ_ERR_STALE);
	take_counts(id, &after);
	assert_int_equal(after.version, before.version);
	assert_int_equal(after.events, before.events);
	assert_int_equal(after.statements, before.statements);
	free(before.row);
	free(after.row);
	/* Reloaded, sue's note goes in. */
	assert_int_equal(rule(&F.sue, number, v1 + 2, &res, "note", "第二条",
			      NULL),
			 WQ_ERR_OK);
	assert_int_equal(res.version, v1 + 3);
}

/* ---- collective groups ---- */

/* A group ruling previewed, then applied on what the preview showed: a
 * member changed in between is refused as stale and left as it was, one
 * that joined after the preview is not ruled on, the rest move, each with
 * its own event; the preview itself writes nothing. */
static void test_group_ruling(void **state)
{
	static const char *const consumers[] = {"周一", "周二", "周三", "周四"};
	const char *no_args[1] = {NULL};
	struct wq_ruling screen = {"screen", 0, no_args, 0};
	struct wq_group_member *seen;
	struct wq_group_outcome *out;
	char n[4][32];
	const char *numbers[3];
	int64_t id[4], group, events;
	size_t nseen, nout;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	for (int i = 0; i < 4; i++) {
		make_case(consumers[i], n[i], &id[i]);
		RULE_OK(&F.sam, n[i], NULL, "assign", "alice", NULL);
	}
	for (int i = 0; i < 3; i++)
		numbers[i] = n[i];
	assert_int_equal(wq_group_create(F.store, &F.sam, "翻新机", "同一批次",
					 numbers, 3, &group),
			 WQ_ERR_OK);
	assert_int_equal(wq_group_members(F.store, &F.alice, group, &seen, &nseen),
			 WQ_ERR_OK);
	assert_int_equal(nseen, 3);

	events = q_int("SELECT count(*) FROM events WHERE ?1 > 0", 1);
	assert_int_equal(wq_group_rule(F.store, &F.alice, group, &screen, seen,
				       nseen, true, &out, &nout),
			 WQ_ERR_OK);
	assert_int_equal(nout, 3);
	for (size_t i = 0; i < nout; i++) {
		assert_int_equal(out[i].err, WQ_ERR_OK);
		assert_string_equal(out[i].result.status, "screened");
	}
	free(out);
	assert_int_equal(q_int("SELECT count(*) FROM events WHERE ?1 > 0", 1),
			 events);
	assert_int_equal(q_int("SELECT count(*) FROM cases WHERE group_id = ?1"
			       " AND status = 'screened'",
			       group),
			 0);

	/* Meanwhile: someone notes on the second member, the fourth case
	 * joins. */
	RULE_OK(&F.sam, n[1], NULL, "note", "补充材料", NULL);
	{
		const char *late[1] = {n[3]};

		assert_int_equal(wq_group_join(F.store, &F.sam, group, late, 1),
				 WQ_ERR_OK);
	}
	assert_int_equal(wq_group_rule(F.store, &F.alice, group, &screen, seen,
				       nseen, false, &out, &nout),
			 WQ_ERR_OK);
	assert_int_equal(nout, 3);
	for (size_t i = 0; i < nout; i++) {
		if (out[i].case_id == id[1]) {
			assert_int_equal(out[i].err, WQ_ERR_STALE);
			assert_non_null(strstr(out[i].why, "sam"));
		} else {
			assert_int_equal(out[i].err, WQ_ERR_OK);
			assert_true(out[i].case_id == id[0] ||
				    out[i].case_id == id[2]);
		}
	}
	free(out);
	free(seen);
	assert_case_col(n[0], "status", "screened");
	assert_case_col(n[1], "status", "received");
	assert_case_col(n[2], "status", "screened");
	assert_case_col(n[3], "status", "received");
	assert_int_equal(q_int("SELECT count(*) FROM events WHERE action ="
			       " 'screen' AND case_id IN (SELECT id FROM cases"
			       " WHERE group_id = ?1)",
			       group),
			 2);
}

/* ---- 4. clocks ---- */

static void test_clocks(void **state)
{
	struct wq_ruling_result res;
	char number[32], *v;
	int64_t id;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("褚十四", number, &id);
	/* Received Thursday 09-24: 7 working days skip Mid-Autumn
	 * (09-25..27) and National Day (10-01..07), count Saturday 10-10. */
	assert_case_col(number, "clock", "accept");
	assert_case_col(number, "due_on", "2026-10-12");
	assert_case_col(number, "json_extract(clocks, '$.accept.start')",
			"2026-09-24");

	/* Missing materials: completing them does not restart the clock
	 * (Order No. 20 provides no restart; test_materials_restart for a
	 * regime that does). */
	RULE_OK(&F.sam, number, &res, "need-info", NULL);
	set_now("2026-09-28T02:00:00Z");
	RULE_OK(&F.desk, number, &res, "info-received", NULL);
	assert_string_equal(res.due_on, "2026-10-12");
	assert_case_col(number, "json_extract(clocks, '$.accept.start')",
			"2026-09-24");
	assert_false(res.due_uncertain);

	/* Accepted Monday 10-12: 45 working days. */
	set_now("2026-10-12T02:00:00Z");
	RULE_OK(&F.sam, number, &res, "screen", NULL);
	RULE_OK(&F.sam, number, &res, "accept", NULL);
	assert_string_equal(res.status, "accepted");
	assert_string_equal(res.due_on, "2026-12-14");
	assert_false(res.due_uncertain);
	assert_case_col(number, "clock", "mediation");
	assert_case_col(number, "due_on", "2026-12-14");
	assert_case_col(number, "json_extract(clocks, '$.mediation.due')",
			"2026-12-14");
	/* The acceptance clock stopped. */
	assert_case_col(number, "json_extract(clocks, '$.accept.stopped')",
			"2026-10-12");

	/* Testing from Tuesday 10-20 to Tuesday 10-27 (5 working days)
	 * moves the due date by 5 working days. */
	RULE_OK(&F.sam, number, &res, "start", NULL);
	set_now("2026-10-20T02:00:00Z");
	RULE_OK(&F.sam, number, &res, "substate", "testing", NULL);
	assert_case_col(number, "json_extract(clocks, '$.mediation.paused')",
			"2026-10-20");
	set_now("2026-10-23T02:00:00Z");
	RULE_OK(&F.sam, number, &res, "note", "检测中", NULL);
	assert_case_col(number, "json_extract(clocks, '$.mediation.paused')",
			"2026-10-20");
	set_now("2026-10-27T02:00:00Z");
	RULE_OK(&F.sam, number, &res, "substate", "awaiting_merchant", NULL);
	assert_string_equal(res.due_on, "2026-12-21");
	assert_case_col(number, "due_on", "2026-12-21");
	assert_case_col(number, "json_extract(clocks, '$.mediation.paused')",
			NULL);
	/* A sub-state that does not pause leaves the date alone. */
	set_now("2026-10-29T02:00:00Z");
	RULE_OK(&F.sam, number, &res, "substate", "session_scheduled", NULL);
	assert_string_equal(res.due_on, "2026-12-21");
	/* Ending mediation stops it and starts the notice clock (7 days). */
	set_now("2026-11-02T02:00:00Z");
	RULE_OK(&F.sam, number, &res, "end", "agreement-impossible", NULL);
	assert_case_col(number, "json_extract(clocks, '$.mediation.stopped')",
			"2026-11-02");
	assert_string_equal(res.due_on, "2026-11-11");
	assert_case_col(number, "clock", "notice");
	RULE_OK(&F.sam, number, &res, "notify", NULL);
	assert_string_equal(res.due_on, "");
	v = case_col(number, "json_extract(clocks, '$.notice.stopped')");
	assert_non_null(v);
	assert_string_equal(v, "2026-11-02");
	free(v);
}

/* The acceptance decision is what the 7-day clock waits for (DOMAIN.md:
 * "accept or not: 7 working days from receipt"); screening is a step
 * towards it, not the decision. */
static void test_accept_clock_runs_while_screened(void **state)
{
	char number[32];
	int64_t id;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("卫十五", number, &id);
	set_now("2026-09-28T02:00:00Z");
	RULE_OK(&F.sam, number, NULL, "screen", NULL);
	assert_case_col(number, "status", "screened");
	assert_case_col(number, "json_extract(clocks, '$.accept.stopped')",
			NULL);
	assert_case_col(number, "clock", "accept");
	assert_case_col(number, "due_on", "2026-10-12");
	set_now("2026-09-29T02:00:00Z");
	RULE_OK(&F.sam, number, NULL, "accept", NULL);
	assert_case_col(number, "json_extract(clocks, '$.accept.stopped')",
			"2026-09-29");
}

static void test_due_uncertain(void **state)
{
	struct wq_ruling_result res;
	char number[32];
	int64_t id;

	(void)state;
	set_now("2026-11-30T02:00:00Z");
	make_case("蒋十六", number, &id);
	RULE_OK(&F.sam, number, &res, "screen", NULL);
	/* Within 2026: certain. */
	assert_false(res.due_uncertain);
	set_now("2026-12-01T02:00:00Z");
	RULE_OK(&F.sam, number, &res, "accept", NULL);
	/* 45 working days from 12-01 end in 2027, whose schedule is not
	 * loaded. */
	assert_string_equal(res.due_on, "2027-02-02");
	assert_true(res.due_uncertain);
}

/* A ruling that leaves a 2027 due date in place still reports it as
 * uncertain: the result's due_on is the same guess. */
static void test_due_uncertain_kept(void **state)
{
	struct wq_ruling_result res;
	char number[32];
	int64_t id;

	(void)state;
	set_now("2026-12-01T02:00:00Z");
	make_case("沈十七", number, &id);
	RULE_OK(&F.sam, number, &res, "screen", NULL);
	RULE_OK(&F.sam, number, &res, "accept", NULL);
	assert_true(res.due_uncertain);
	set_now("2026-12-02T02:00:00Z");
	RULE_OK(&F.sam, number, &res, "note", "跟进", NULL);
	assert_string_equal(res.due_on, "2027-02-02");
	assert_true(res.due_uncertain);
}

/* ---- 5. damages and amounts ---- */

static void test_damages(void **state)
{
	static const struct {
		const char *law;
		int64_t price, loss, want;
	} rows[] = {
		{"crpl55", 10000, WQ_DAMAGES_NO_LOSS, 50000}, /* -> 500.00 */
		{"crpl55", 129900, WQ_DAMAGES_NO_LOSS, 389700},
		{"crpl55", 16667, WQ_DAMAGES_NO_LOSS, 50001}, /* above 500 */
		{"crpl55", 0, WQ_DAMAGES_NO_LOSS, 50000},
		{"crpl55-2", 129900, 1000000, 2000000}, /* twice the loss */
		{"crpl55-2", 129900, 0, 0},
		{"fsl148", 5000, 40000, 120000},   /* 3x the loss wins */
		{"fsl148", 20000, 0, 200000},      /* 10x the price */
		{"fsl148", 20000, WQ_DAMAGES_NO_LOSS, 200000},
		{"fsl148", 1000, 0, 100000},       /* the 1,000 floor */
		{"fsl148", 20000, 70000, 210000},
		{"dal144", 5000, 40000, 120000},   /* as the Food Safety Law */
		{"dal144", 1000, WQ_DAMAGES_NO_LOSS, 100000},
	};
	char citation[1024];
	int64_t d;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		d = -1;
		citation[0] = '\0';
		assert_int_equal(wq_damages(rows[i].law, rows[i].price,
					    rows[i].loss, &d, citation,
					    sizeof(citation)),
				 WQ_ERR_OK);
		if (d != rows[i].want)
			fail_msg("%s price %" PRId64 " loss %" PRId64
				 ": expected %" PRId64 ", got %" PRId64,
				 rows[i].law, rows[i].price, rows[i].loss,
				 rows[i].want, d);
		assert_non_null(strstr(citation,
				       rows[i].law[0] == 'c'   ? "第五十五条"
				       : rows[i].law[0] == 'f' ? "第一百四十八条"
							       : "第一百四十四条"));
	}
	/* Each rule cites its condition and provisos; what DOMAIN.md does
	 * not record as read in the statute is marked. */
	assert_int_equal(wq_damages("crpl55", 10000, WQ_DAMAGES_NO_LOSS, &d,
				    citation, sizeof(citation)),
			 WQ_ERR_OK);
	assert_non_null(strstr(citation, "有欺诈行为的，"));
	assert_non_null(
		strstr(citation, "法律另有规定的，依照其规定〔未经与官方文本核对〕"));
	assert_int_equal(wq_damages("crpl55-2", 10000, 20000, &d, citation,
				    sizeof(citation)),
			 WQ_ERR_OK);
	assert_non_null(strstr(citation, "死亡或者健康严重损害"));
	assert_non_null(strstr(citation, "二倍以下的惩罚性赔偿〔未经与官方文本核对〕"));
	assert_true(wq_damages_ceiling("crpl55-2"));
	assert_false(wq_damages_ceiling("crpl55"));
	assert_int_equal(wq_damages("fsl148", 10000, 0, &d, citation,
				    sizeof(citation)),
			 WQ_ERR_OK);
	assert_non_null(strstr(citation, "不符合食品安全标准的食品"));
	assert_non_null(strstr(citation, "误导的瑕疵的除外〔未经与官方文本核对〕"));
	/* The figure DOMAIN.md records as law carries no mark. */
	assert_non_null(strstr(citation, "不足一千元的，为一千元；"));
	assert_int_equal(wq_damages("dal144", 10000, 0, &d, citation,
				    sizeof(citation)),
			 WQ_ERR_OK);
	assert_non_null(strstr(citation, "《中华人民共和国药品管理法》第一百四十四条第三款"));
	/* A loss the rule does not use is refused, not ignored; one it
	 * needs is asked for. */
	d = 4242;
	assert_int_equal(wq_damages("crpl55", 10000, 0, &d, citation,
				    sizeof(citation)),
			 WQ_ERR_INVALID);
	assert_non_null(strstr(wq_err_detail(), "not a loss"));
	assert_int_equal(wq_damages("crpl55-2", 10000, WQ_DAMAGES_NO_LOSS, &d,
				    citation, sizeof(citation)),
			 WQ_ERR_INVALID);
	assert_non_null(strstr(wq_err_detail(), "losses"));
	assert_int_equal(d, 4242);
	d = 4242;
	assert_int_equal(wq_damages("crpl49", 10000, WQ_DAMAGES_NO_LOSS, &d, citation,
				    sizeof(citation)),
			 WQ_ERR_INVALID);
	assert_int_equal(d, 4242);
	assert_non_null(strstr(wq_err_detail(), "crpl49"));
	assert_int_equal(wq_damages("", 10000, WQ_DAMAGES_NO_LOSS, &d, citation,
				    sizeof(citation)),
			 WQ_ERR_INVALID);
	/* Ten times a price, or three times a loss, past the maximum would
	 * overflow (an amount_fen imported as 2^63 was INT64_MAX). */
	assert_int_equal(wq_damages("fsl148", WQ_AMOUNT_MAX_FEN, 0, &d,
				    citation, sizeof(citation)),
			 WQ_ERR_OK);
	assert_int_equal(d, 10 * WQ_AMOUNT_MAX_FEN);
	d = 4242;
	assert_int_equal(wq_damages("fsl148", INT64_MAX, 0, &d, citation,
				    sizeof(citation)),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_damages("fsl148", 100, INT64_MAX / 2, &d,
				    citation, sizeof(citation)),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_damages("crpl55", WQ_AMOUNT_MAX_FEN + 1,
				    WQ_DAMAGES_NO_LOSS, &d,
				    citation, sizeof(citation)),
			 WQ_ERR_INVALID);
	assert_int_equal(d, 4242);
}

static void test_offer_statutory_damages(void **state)
{
	struct wq_ruling_result res;
	char number[32], idtext[24], *terms;
	int64_t id;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("韩十八", number, &id);   /* price 1299.00 */
	RULE_OK(&F.sam, number, NULL, "screen", NULL);
	RULE_OK(&F.sam, number, NULL, "accept", NULL);
	RULE_OK(&F.sam, number, &res, "offer", "respondent", "compensation",
		"crpl55", "三倍赔偿", NULL);
	assert_int_equal(q_int("SELECT amount_fen FROM offers WHERE id = ?1",
			       res.created_id),
			 389700);
	snprintf(idtext, sizeof(idtext), "%" PRId64, res.created_id);
	terms = q_text("SELECT terms FROM offers WHERE id = ?1", idtext, NULL);
	assert_non_null(terms);
	assert_non_null(strstr(terms, "三倍赔偿"));
	assert_non_null(strstr(terms, "第五十五条"));
	free(terms);
	RULE_OK(&F.sam, number, &res, "offer", "respondent", "compensation",
		"fsl148:5000", NULL);
	/* 10 x 1299.00 = 12990.00 < 3 x 5000.00 = 15000.00: the loss wins. */
	assert_int_equal(q_int("SELECT amount_fen FROM offers WHERE id = ?1",
			       res.created_id),
			 1500000);
	/* A loss art. 55(1) does not count is refused, not dropped. */
	assert_int_equal(rule(&F.sam, number, 0, NULL, "offer", "respondent",
			      "compensation", "crpl55:5000", NULL),
			 WQ_ERR_INVALID);
	RULE_OK(&F.sam, number, &res, "offer", "respondent", "compensation",
		"crpl55-2:20000", NULL);
	assert_int_equal(q_int("SELECT amount_fen FROM offers WHERE id = ?1",
			       res.created_id),
			 4000000);
	/* The food and medicine rules only where goods are in question. */
	q_int("UPDATE cases SET category = 'delivery' WHERE id = ?1"
	      " RETURNING id",
	      id);
	assert_int_equal(rule(&F.sam, number, 0, NULL, "offer", "respondent",
			      "compensation", "fsl148", NULL),
			 WQ_ERR_INVALID);
	assert_non_null(strstr(wq_err_detail(), "food only"));
}

static void test_amount_parse(void **state)
{
	static const struct {
		const char *text;
		int64_t fen;
	} good[] = {
		{"1299", 129900}, {"1299.5", 129950}, {"1299.50", 129950},
		{"0.01", 1},      {"0", 0},           {"0.10", 10},
		{"100", 10000},   {"007", 700},
	};
	static const char *const bad[] = {
		"", "1,299", "-1", "1.234", "1e3", ".5", "12.", "+1", " 1",
		"1 ", "１２", "1..2", "12.3.4", "0x10", "abc", "1.2a",
		/* beyond what int64 fen can hold */
		"92233720368547759", "100000000000000000000",
	};
	int64_t fen;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		fen = -1;
		if (!wq_amount_parse(good[i].text, &fen))
			fail_msg("'%s' was refused", good[i].text);
		if (fen != good[i].fen)
			fail_msg("'%s': expected %" PRId64 " fen, got %" PRId64,
				 good[i].text, good[i].fen, fen);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fen = -4242;
		if (wq_amount_parse(bad[i], &fen))
			fail_msg("'%s' was accepted as %" PRId64 " fen",
				 bad[i], fen);
	}
}

/* ---- 6. claim race ---- */

static void test_claim_race(void **state)
{
	struct wq_store *second = NULL;
	struct wq_user bob2;
	struct wq_ruling_result res;
	struct wq_ruling r = {0};
	char number[32];
	int64_t id, version, events;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("杨十九", number, &id);
	/* Bob's session, a second connection, saw the case unassigned. */
	assert_int_equal(wq_store_open(F.path, WQ_OPEN_EXISTING, &second),
			 WQ_ERR_OK);
	assert_int_equal(wq_user_lookup(second, "bob", &bob2), WQ_ERR_OK);
	version = q_int("SELECT version FROM cases WHERE id = ?1", id);

	set_now("2026-09-24T02:05:00Z");
	assert_int_equal(rule(&F.alice, number, version, &res, "claim", NULL),
			 WQ_ERR_OK);
	assert_case_col(number, "assignee", "alice");
	events = q_int("SELECT count(*) FROM events", 0);

	r.action = "claim";
	r.argc = 0;
	r.argv = NULL;
	r.expect_version = 0;   /* a script: no version */
	assert_int_equal(wq_rule(second, &bob2, number, &r, NULL),
			 WQ_ERR_TAKEN);
	assert_non_null(strstr(wq_err_detail(), "alice"));
	/* From the screen, with the version bob saw: stale, naming alice. */
	r.expect_version = version;
	assert_int_equal(wq_rule(second, &bob2, number, &r, NULL),
			 WQ_ERR_STALE);
	assert_non_null(strstr(wq_err_detail(), "alice"));
	/* A supervisor cannot claim it either; alice claiming again is
	 * harmless. */
	assert_int_equal(rule(&F.sam, number, 0, NULL, "claim", NULL),
			 WQ_ERR_TAKEN);
	assert_int_equal(q_int("SELECT count(*) FROM events", 0), events);
	assert_case_col(number, "assignee", "alice");
	assert_int_equal(rule(&F.alice, number, 0, NULL, "claim", NULL),
			 WQ_ERR_OK);
	/* Released, bob gets it. */
	RULE_OK(&F.alice, number, NULL, "release", NULL);
	assert_case_col(number, "assignee", NULL);
	r.expect_version = 0;
	assert_int_equal(wq_rule(second, &bob2, number, &r, &res), WQ_ERR_OK);
	assert_case_col(number, "assignee", "bob");
	wq_store_close(&second);
	assert_null(second);

	/* A declared conflict of interest (with this case's consumer, who
	 * has no other case) forbids claiming and assigning. */
	make_case("杨二十", number, &id);
	assert_int_equal(wq_store_begin_write(F.store), WQ_ERR_OK);
	{
		char sql[256];

		snprintf(sql, sizeof(sql),
			 "INSERT INTO conflicts(login, party, party_id, at)"
			 " SELECT 'alice', 'consumer', consumer_id,"
			 " '2026-09-24T02:00:00Z' FROM cases WHERE id = %" PRId64,
			 id);
		exec_ok(sql);
	}
	assert_int_equal(wq_store_commit(F.store), WQ_ERR_OK);
	assert_int_equal(rule(&F.alice, number, 0, NULL, "claim", NULL),
			 WQ_ERR_CONFLICT);
	assert_int_equal(rule(&F.sam, number, 0, NULL, "assign", "alice",
			      NULL),
			 WQ_ERR_CONFLICT);
	assert_case_col(number, "assignee", NULL);
}

/* ---- 7. the case as it stood ---- */

static void check_as_of(const char *number, const char *when,
			const char *status, const char *version,
			const char *assignee, const char *flags,
			const char *statements)
{
	char *json = NULL, *n;

	if (wq_case_show_json(F.store, &F.admin, number, at_time(when),
			      &json) != WQ_ERR_OK)
		fail_msg("show %s at %s: %s", number, when, wq_err_detail());
	assert_non_null(json);
	assert_json_field(json, "$.status", status);
	assert_json_field(json, "$.version", version);
	assert_json_field(json, "$.assignee", assignee);
	assert_json_field(json, "$.flags", flags);
	assert_json_field(json, "$.as_of", when);
	n = q_text("SELECT json_array_length(?1, '$.statements')", json, NULL);
	assert_non_null(n);
	if (strcmp(n, statements) != 0)
		fail_msg("at %s: %s statements, expected %s", when, n,
			 statements);
	free(n);
	free(json);
}

static void test_rebuild(void **state)
{
	static const char *const live_fields[][2] = {
		{"status", "$.status"},
		{"substate", "$.substate"},
		{"version", "$.version"},
		{"assignee", "$.assignee"},
		{"flags", "$.flags"},
		{"reason", "$.reason"},
		{"review_from", "$.review_from"},
		{"report", "$.report"},
		{"clock", "$.clock"},
		{"nullif(due_on, '9999-12-31')", "$.due_on"},
	};
	char number[32], *json = NULL;
	int64_t id;

	(void)state;
	set_now("2026-09-24T02:00:00Z");
	make_case("朱二十一", number, &id);                          /* v1 */
	set_now("2026-09-24T03:00:00Z");
	RULE_OK(&F.sam, number, NULL, "assign", "alice", NULL);     /* v2 */
	set_now("2026-09-24T04:00:00Z");
	RULE_OK(&F.alice, number, NULL, "flag", "possibly-malicious",
		NULL);                                              /* v3 */
	set_now("2026-09-24T05:00:00Z");
	RULE_OK(&F.alice, number, NULL, "screen", "已初审", NULL);  /* v4 */
	set_now("2026-09-24T06:00:00Z");
	RULE_OK(&F.alice, number, NULL, "release", NULL);           /* v5 */
	set_now("2026-09-24T07:00:00Z");
	RULE_OK(&F.bob, number, NULL, "claim", NULL);               /* v6 */
	set_now("2026-09-28T02:00:00Z");
	RULE_OK(&F.bob, number, NULL, "accept", NULL);              /* v7 */
	set_now("2026-09-29T02:00:00Z");
	RULE_OK(&F.bob, number, NULL, "unflag", "possibly-malicious",
		NULL);                                              /* v8 */
	set_now("2026-09-30T02:00:00Z");
	RULE_OK(&F.bob, number, NULL, "start", NULL);               /* v9 */
	RULE_OK(&F.bob, number, NULL, "substate", "testing", NULL); /* v10 */
	set_now("2026-10-09T02:00:00Z");

	/* Before it was registered: not found. */
	assert_int_equal(wq_case_show_json(F.store, &F.admin, number,
					   at_time("2026-09-24T01:59:59Z"),
					   &json),
			 WQ_ERR_NOT_FOUND);
	assert_null(json);
	check_as_of(number, "2026-09-24T02:00:00Z", "received", "1", NULL,
		    "0", "1");
	check_as_of(number, "2026-09-24T02:30:00Z", "received", "1", NULL,
		    "0", "1");
	check_as_of(number, "2026-09-24T03:30:00Z", "received", "2", "alice",
		    "0", "1");
	check_as_of(number, "2026-09-24T04:30:00Z", "received", "3", "alice",
		    "1", "1");
	check_as_of(number, "2026-09-24T05:30:00Z", "screened", "4", "alice",
		    "1", "2");
	check_as_of(number, "2026-09-24T06:30:00Z", "screened", "5", NULL,
		    "1", "2");
	check_as_of(number, "2026-09-24T07:30:00Z", "screened", "6", "bob",
		    "1", "2");
	check_as_of(number, "2026-09-28T12:00:00Z", "accepted", "7", "bob",
		    "1", "2");
	check_as_of(number, "2026-09-29T12:00:00Z", "accepted", "8", "bob",
		    "0", "2");
	check_as_of(number, "2026-10-08T00:00:00Z", "in_mediation", "10",
		    "bob", "0", "2");

	/* at = 0: as it stands, field by field equal to the live row. */
	assert_int_equal(wq_case_show_json(F.store, &F.admin, number, 0, &json),
			 WQ_ERR_OK);
	assert_non_null(json);
	assert_json_field(json, "$.as_of", NULL);
	for (size_t i = 0; i < sizeof(live_fields) / sizeof(live_fields[0]);
	     i++) {
		char *live = case_col(number, live_fields[i][0]);
		char *shown = jx(json, live_fields[i][1]);

		if ((live == NULL) != (shown == NULL) ||
		    (live && strcmp(live, shown) != 0))
			fail_msg("%s: live row '%s', shown '%s'",
				 live_fields[i][0], live ? live : "NULL",
				 shown ? shown : "NULL");
		free(live);
		free(shown);
	}
	/* The clocks, clock by clock and field by field (the replay leaves
	 * out members that are null, which reads the same). */
	{
		char *live = case_col(number, "clocks");
		char *shown = jx(json, "$.clocks");
		char *diff;

		assert_non_null(live);
		assert_non_null(shown);
		diff = q_text(
			"SELECT (SELECT count(*) FROM json_each(?1)) -"
			" (SELECT count(*) FROM json_each(?2)) +"
			" (SELECT count(*) FROM json_each(?1) l WHERE"
			" json_extract(l.value, '$.start') IS NOT"
			"  json_extract(?2, '$.' || l.key || '.start') OR"
			" json_extract(l.value, '$.due') IS NOT"
			"  json_extract(?2, '$.' || l.key || '.due') OR"
			" json_extract(l.value, '$.paused') IS NOT"
			"  json_extract(?2, '$.' || l.key || '.paused') OR"
			" json_extract(l.value, '$.stopped') IS NOT"
			"  json_extract(?2, '$.' || l.key || '.stopped'))",
			live, shown);
		if (!diff || strcmp(diff, "0") != 0)
			fail_msg("clocks: live row %s, shown %s", live, shown);
		free(diff);
		free(live);
		free(shown);
	}
	assert_json_field(json, "$.clocks.mediation.paused", "2026-09-30");
	assert_json_field(json, "$.status", "in_mediation");
	assert_json_field(json, "$.substate", "testing");
	assert_json_field(json, "$.version", "10");
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_matrix),
		cmocka_unit_test(test_table_follows_domain),
		cmocka_unit_test(test_table_is_one_place),
		cmocka_unit_test(test_status_columns),
		cmocka_unit_test(test_tracks),
		cmocka_unit_test(test_withdraw_after_acceptance_owes_notice),
		cmocka_unit_test(test_settle_after_acceptance_owes_notice),
		cmocka_unit_test(test_unperformed_is_no_end_of_mediation),
		cmocka_unit_test(test_materials_restart),
		cmocka_unit_test(test_odr_records_the_choice),
		cmocka_unit_test(test_ip_track_measures_end),
		cmocka_unit_test(test_ip_track_kept_and_rejected),
		cmocka_unit_test(test_report_track_check_clock),
		cmocka_unit_test(test_report_track_repeated),
		cmocka_unit_test(test_diversion_track),
		cmocka_unit_test(test_group_consent),
		cmocka_unit_test(test_group_ready),
		cmocka_unit_test(test_ip_legacy_case_stays_complaint),
		cmocka_unit_test(test_lifecycle_agreement),
		cmocka_unit_test(test_lifecycle_review_and_odr),
		cmocka_unit_test(test_four_eyes),
		cmocka_unit_test(test_four_eyes_per_round),
		cmocka_unit_test(test_send_back_needs_comment),
		cmocka_unit_test(test_report_track),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_end_respondent_refuses),
		cmocka_unit_test(test_refused_writes_nothing),
		cmocka_unit_test(test_stale_version),
		cmocka_unit_test(test_group_ruling),
		cmocka_unit_test(test_clocks),
		cmocka_unit_test(test_accept_clock_runs_while_screened),
		cmocka_unit_test(test_due_uncertain),
		cmocka_unit_test(test_due_uncertain_kept),
		cmocka_unit_test(test_damages),
		cmocka_unit_test(test_offer_statutory_damages),
		cmocka_unit_test(test_amount_parse),
		cmocka_unit_test(test_claim_race),
		cmocka_unit_test(test_rebuild),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("rules", tests, group_setup,
					   group_teardown);
}
