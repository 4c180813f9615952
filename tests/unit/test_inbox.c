/* Unit tests of the inbox (src/inbox.c): a supervisor's send-back reaches
 * the mediator with its comment; what the mediator did themself does not;
 * events before the case was theirs do not; the read marks, one event or
 * all, are the user's own and are refused for someone else's event. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/fixture.h"
#include "weiquan/case.h"
#include "weiquan/err.h"
#include "weiquan/inbox.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

/* Monday 2 March 2026, 10:00 in Shanghai */
#define NOW "2026-03-02T02:00:00Z"

static struct {
	char dir[64];
	char path[128];
	struct wq_store *store;
	struct wq_user admin, alice, bob, sam;
	char number[32];
} F;

static int rule(const struct wq_user *who, const char *action, int argc,
		const char *a0, const char *a1)
{
	const char *argv[] = {a0, a1};
	struct wq_ruling r = {.action = action, .argc = argc, .argv = argv};

	return wq_rule(F.store, who, F.number, &r, NULL);
}

static int group_setup(void **state)
{
	struct wq_intake in = {0};
	int64_t id;

	(void)state;
	if (fixture_open("inbox", NOW, F.dir, F.path, &F.store, &F.admin) ||
	    fixture_add_user(F.store, &F.admin, "alice", WQ_ROLE_MEDIATOR, NULL,
			     &F.alice) ||
	    fixture_add_user(F.store, &F.admin, "bob", WQ_ROLE_MEDIATOR, NULL,
			     &F.bob) ||
	    fixture_add_user(F.store, &F.admin, "sam", WQ_ROLE_SUPERVISOR, NULL,
			     &F.sam))
		return -1;
	in.type = "complaint";
	in.category = "refund";
	in.consumer_name = "张三";
	in.merchant_name = "某店";
	in.statement = "商家拒绝退款";
	if (wq_case_create(F.store, &F.admin, &in, &id, F.number))
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

static const struct wq_inbox_item *find(const struct wq_inbox *inbox,
					const char *action)
{
	for (size_t i = 0; i < inbox->n; i++)
		if (strcmp(inbox->v[i].action, action) == 0)
			return &inbox->v[i];
	return NULL;
}

static int unread(const struct wq_user *who)
{
	int n = -1;

	assert_int_equal(wq_inbox_unread(F.store, who, &n), WQ_ERR_OK);
	return n;
}

/* Runs first: the case's history up to its send-back. */
static void test_send_back_reaches_the_mediator(void **state)
{
	struct wq_inbox inbox;
	const struct wq_inbox_item *it;

	(void)state;
	/* before the case is alice's: nothing of it concerns her */
	assert_int_equal(unread(&F.alice), 0);
	assert_int_equal(rule(&F.sam, "assign", 1, "alice", NULL), WQ_ERR_OK);
	assert_int_equal(unread(&F.alice), 1);
	/* her own rulings are not news to her */
	assert_int_equal(rule(&F.alice, "screen", 0, NULL, NULL), WQ_ERR_OK);
	assert_int_equal(
	    rule(&F.alice, "not-accept", 2, "time-barred", "超过三年"),
	    WQ_ERR_OK);
	assert_int_equal(rule(&F.alice, "submit", 1, "请审核", NULL),
			 WQ_ERR_OK);
	assert_int_equal(unread(&F.alice), 1);
	assert_int_equal(rule(&F.sam, "send-back", 1, "请引用具体条款", NULL),
			 WQ_ERR_OK);
	assert_int_equal(unread(&F.alice), 2);

	assert_int_equal(wq_inbox_list(F.store, &F.alice, false, &inbox),
			 WQ_ERR_OK);
	assert_int_equal(inbox.n, 2);
	/* newest first: the send-back, with the reviewer's comment */
	it = &inbox.v[0];
	assert_string_equal(it->action, "send-back");
	assert_string_equal(it->actor, "sam");
	assert_string_equal(it->number, F.number);
	assert_string_equal(it->comment, "请引用具体条款");
	assert_false(it->read);
	assert_non_null(find(&inbox, "assign"));
	assert_null(find(&inbox, "create"));
	assert_null(find(&inbox, "submit"));
	wq_inbox_free(&inbox);

	/* not bob's case, not his inbox; nor the supervisor's */
	assert_int_equal(unread(&F.bob), 0);
	assert_int_equal(unread(&F.sam), 0);
}

static void second_case_for_alice(void)
{
	struct wq_intake in = {0};
	const char *args[] = {"alice"};
	struct wq_ruling assign = {.action = "assign", .argc = 1, .argv = args};
	char number[32];
	int64_t id;

	in.type = "complaint";
	in.category = "refund";
	in.consumer_name = "李四";
	in.merchant_name = "某店";
	in.statement = "商品有瑕疵";
	assert_int_equal(wq_case_create(F.store, &F.admin, &in, &id, number),
			 WQ_ERR_OK);
	assert_int_equal(wq_rule(F.store, &F.sam, number, &assign, NULL),
			 WQ_ERR_OK);
}

static void test_read_marks(void **state)
{
	struct wq_inbox inbox;
	int64_t send_back;

	(void)state;
	assert_int_equal(wq_inbox_list(F.store, &F.alice, false, &inbox),
			 WQ_ERR_OK);
	assert_int_equal(inbox.n, 2);
	send_back = inbox.v[0].event_id;
	wq_inbox_free(&inbox);

	/* someone else's event cannot be marked in bob's inbox */
	assert_int_equal(wq_inbox_mark_read(F.store, &F.bob, send_back),
			 WQ_ERR_NOT_FOUND);
	assert_int_equal(wq_inbox_mark_read(F.store, &F.alice, send_back),
			 WQ_ERR_OK);
	assert_int_equal(unread(&F.alice), 1);
	assert_int_equal(wq_inbox_list(F.store, &F.alice, false, &inbox),
			 WQ_ERR_OK);
	assert_int_equal(inbox.n, 1);
	assert_string_equal(inbox.v[0].action, "assign");
	wq_inbox_free(&inbox);

	/* --all: the read one too, after the unread */
	assert_int_equal(wq_inbox_list(F.store, &F.alice, true, &inbox),
			 WQ_ERR_OK);
	assert_int_equal(inbox.n, 2);
	assert_false(inbox.v[0].read);
	assert_true(inbox.v[1].read);
	assert_int_equal(inbox.v[1].event_id, send_back);
	wq_inbox_free(&inbox);

	/* everything read, on both her cases; a later event is unread */
	second_case_for_alice();
	assert_int_equal(wq_inbox_mark_read(F.store, &F.alice, 0), WQ_ERR_OK);
	assert_int_equal(unread(&F.alice), 0);
	assert_int_equal(rule(&F.sam, "note", 1, "已阅", NULL), WQ_ERR_OK);
	assert_int_equal(unread(&F.alice), 1);
	assert_int_equal(wq_inbox_list(F.store, &F.alice, false, &inbox),
			 WQ_ERR_OK);
	assert_int_equal(inbox.n, 1);
	assert_string_equal(inbox.v[0].comment, "已阅");
	wq_inbox_free(&inbox);
	/* reading is not an audit event */
	assert_int_equal(wq_inbox_mark_read(F.store, &F.alice, 0), WQ_ERR_OK);
	assert_int_equal(wq_inbox_list(F.store, &F.alice, true, &inbox),
			 WQ_ERR_OK);
	assert_int_equal(inbox.n, 4);
	assert_string_equal(inbox.v[0].action, "note");
	assert_true(inbox.v[0].read);
	wq_inbox_free(&inbox);
}

/* Reassigned to bob: the case is his concern from his assignment on, and
 * no longer alice's. */
static void test_reassigned(void **state)
{
	struct wq_inbox inbox;

	(void)state;
	assert_int_equal(rule(&F.sam, "assign", 1, "bob", NULL), WQ_ERR_OK);
	assert_int_equal(wq_inbox_list(F.store, &F.bob, false, &inbox),
			 WQ_ERR_OK);
	assert_int_equal(inbox.n, 1);
	assert_string_equal(inbox.v[0].action, "assign");
	assert_string_equal(inbox.v[0].comment, "bob");
	wq_inbox_free(&inbox);
	assert_int_equal(unread(&F.alice), 0);
}

/* The performance date of an agreement not yet performed is due on its
 * assignee's cases (performance_due, kept by triggers): compared after
 * every step with what wq_inbox_due read before the table, the join of
 * the case to its agreements. */
static void rule_on(const struct wq_user *who, const char *number,
		    const char *action, int argc, const char *const *argv)
{
	struct wq_ruling r = {.action = action, .argc = argc, .argv = argv};

	assert_int_equal(wq_rule(F.store, who, number, &r, NULL), WQ_ERR_OK);
}

static int performance_items(const struct wq_user *who, const char *number)
{
	struct wq_inbox_due *due;
	size_t n;
	int found = 0;

	assert_int_equal(wq_inbox_due(F.store, who, &due, &n), WQ_ERR_OK);
	for (size_t i = 0; i < n; i++)
		if (strcmp(due[i].what, "performance") == 0 &&
		    strcmp(due[i].number, number) == 0)
			found++;
	free(due);
	return found;
}

static void performance_due_as_before(void)
{
	static const char *const sql[] = {
	    "SELECT a.id, a.case_id, coalesce(c.assignee, ''), a.perform_by,"
	    " c.number FROM agreements a JOIN cases c ON c.id = a.case_id"
	    " WHERE a.performed_at IS NULL"
	    " AND c.status IN ('agreement', 'performance_watch')"
	    " ORDER BY a.id",
	    "SELECT agreement_id, case_id, coalesce(assignee, ''), due_on,"
	    " number FROM performance_due ORDER BY agreement_id",
	};
	char rows[2][1024];

	for (int k = 0; k < 2; k++) {
		struct wq_stmt *st;
		size_t used = 0;

		rows[k][0] = '\0';
		assert_int_equal(wq_store_prepare(F.store, sql[k], &st),
				 WQ_ERR_OK);
		while (wq_step(st) == WQ_ROW && used < sizeof(rows[k]) - 100)
			used += (size_t)snprintf(
			    rows[k] + used, sizeof(rows[k]) - used,
			    "%lld %lld %s %s %s;",
			    (long long)wq_column_int64(st, 0),
			    (long long)wq_column_int64(st, 1),
			    wq_column_text(st, 2), wq_column_text(st, 3),
			    wq_column_text(st, 4));
		wq_store_finalize(F.store, st);
	}
	assert_string_equal(rows[1], rows[0]);
}

static void test_performance_due(void **state)
{
	struct wq_intake in = {0};
	const char *alice[] = {"alice"}, *bob[] = {"bob"};
	const char *offer[] = {"complainant", "refund", "100"};
	char offer_id[24], number[32];
	const char *agree[] = {offer_id, "respondent", "2026-03-02"};
	struct wq_stmt *st;
	int64_t id;

	(void)state;
	in.type = "complaint";
	in.category = "refund";
	in.consumer_name = "王五";
	in.merchant_name = "某店";
	in.statement = "商家同意退款但迟迟不退";
	assert_int_equal(wq_case_create(F.store, &F.admin, &in, &id, number),
			 WQ_ERR_OK);
	rule_on(&F.sam, number, "assign", 1, alice);
	rule_on(&F.alice, number, "screen", 0, NULL);
	rule_on(&F.alice, number, "accept", 0, NULL);
	rule_on(&F.alice, number, "start", 0, NULL);
	rule_on(&F.alice, number, "offer", 3, offer);
	assert_int_equal(wq_store_prepare(F.store,
					  "SELECT max(id) FROM offers", &st),
			 WQ_ERR_OK);
	assert_int_equal(wq_step(st), WQ_ROW);
	snprintf(offer_id, sizeof(offer_id), "%lld",
		 (long long)wq_column_int64(st, 0));
	wq_store_finalize(F.store, st);
	performance_due_as_before();
	assert_int_equal(performance_items(&F.alice, number), 0);

	/* agreed, to be performed today: due on alice's case */
	rule_on(&F.alice, number, "agree", 3, agree);
	performance_due_as_before();
	assert_int_equal(performance_items(&F.alice, number), 1);
	assert_int_equal(performance_items(&F.bob, number), 0);
	/* moved to bob, it is due on his */
	rule_on(&F.sam, number, "assign", 1, bob);
	performance_due_as_before();
	assert_int_equal(performance_items(&F.alice, number), 0);
	assert_int_equal(performance_items(&F.bob, number), 1);
	/* watched: still due */
	rule_on(&F.bob, number, "watch", 0, NULL);
	performance_due_as_before();
	assert_int_equal(performance_items(&F.bob, number), 1);
	/* performed: no longer */
	rule_on(&F.bob, number, "performed", 0, NULL);
	performance_due_as_before();
	assert_int_equal(performance_items(&F.bob, number), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_send_back_reaches_the_mediator),
	    cmocka_unit_test(test_read_marks),
	    cmocka_unit_test(test_reassigned),
	    cmocka_unit_test(test_performance_due),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("inbox", tests, group_setup,
					   group_teardown);
}
