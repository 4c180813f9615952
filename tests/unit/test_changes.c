/* Unit tests of what a console learns of other sessions' commits
 * (src/changes.c) and of the queue's question whether a change concerns
 * its list (wq_case_filter_any): the cases a commit's events name, each
 * once; "everything" for a commit without an event, an event of no single
 * case, or more events than can be named; and the filter asked of the
 * cases as they are now.  On both databases (make check-pg): the
 * console's connection is another session, as another process's is. */
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
#include "weiquan/changes.h"
#include "weiquan/err.h"
#include "weiquan/report.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

#define NOW "2026-03-02T02:00:00Z"

static struct {
	char dir[64];
	char path[128];
	struct wq_store *writer, *console;
	struct wq_user admin, alice, bob, sam;
	char number[3][32];
	int64_t id[3];
	int64_t merchant;
} F;

static int note(const struct wq_user *who, int k, const char *text)
{
	const char *argv[] = {text};
	struct wq_ruling r = {.action = "note", .argc = 1, .argv = argv};

	return wq_rule(F.writer, who, F.number[k], &r, NULL);
}

static int assign(int k, const char *login)
{
	const char *argv[] = {login};
	struct wq_ruling r = {.action = "assign", .argc = 1, .argv = argv};

	return wq_rule(F.writer, &F.sam, F.number[k], &r, NULL);
}

static int group_setup(void **state)
{
	(void)state;
	if (fixture_open("changes", NOW, F.dir, F.path, &F.writer,
			 &F.admin) ||
	    fixture_add_user(F.writer, &F.admin, "alice", WQ_ROLE_MEDIATOR,
			     NULL, &F.alice) ||
	    fixture_add_user(F.writer, &F.admin, "bob", WQ_ROLE_MEDIATOR, NULL,
			     &F.bob) ||
	    fixture_add_user(F.writer, &F.admin, "sam", WQ_ROLE_SUPERVISOR,
			     NULL, &F.sam))
		return -1;
	for (int k = 0; k < 3; k++) {
		struct wq_intake in = {0};

		in.type = "complaint";
		in.category = "refund";
		in.consumer_name = "张三";
		in.merchant_name = "某店";
		in.statement = "商家拒绝退款";
		if (wq_case_create(F.writer, &F.admin, &in, &F.id[k],
				   F.number[k]))
			return -1;
	}
	if (assign(0, "alice") || assign(1, "alice") || assign(2, "bob"))
		return -1;
	{
		struct wq_stmt *st;

		if (wq_store_prepare(F.writer,
				     "SELECT merchant_id FROM cases WHERE id = ?1",
				     &st))
			return -1;
		wq_bind_int64(st, 1, F.id[0]);
		if (wq_step(st) == WQ_ROW)
			F.merchant = wq_column_int64(st, 0);
		wq_store_finalize(F.writer, st);
	}
	/* The console's own connection, as another process has. */
	return wq_store_open(F.path, WQ_OPEN_EXISTING, &F.console) ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	wq_store_close(&F.console);
	wq_store_close(&F.writer);
	fixture_remove_dir(F.dir);
	return 0;
}

static void test_cases_named_once(void **state)
{
	struct wq_changes ch;

	(void)state;
	assert_int_equal(wq_changes_start(F.console, &ch), WQ_ERR_OK);
	assert_int_equal(note(&F.alice, 0, "一"), WQ_ERR_OK);
	assert_int_equal(note(&F.alice, 0, "二"), WQ_ERR_OK);
	assert_int_equal(note(&F.bob, 2, "三"), WQ_ERR_OK);
	assert_int_equal(wq_changes_next(F.console, &ch), WQ_ERR_OK);
	assert_false(ch.everything);
	assert_int_equal(ch.n, 2);
	assert_true(wq_changes_touch(&ch, F.id[0]));
	assert_false(wq_changes_touch(&ch, F.id[1]));
	assert_true(wq_changes_touch(&ch, F.id[2]));
	/* Seen once: the next commit's take names only its own case. */
	assert_int_equal(note(&F.bob, 2, "四"), WQ_ERR_OK);
	assert_int_equal(wq_changes_next(F.console, &ch), WQ_ERR_OK);
	assert_false(ch.everything);
	assert_int_equal(ch.n, 1);
	assert_false(wq_changes_touch(&ch, F.id[0]));
	assert_true(wq_changes_touch(&ch, F.id[2]));
	wq_changes_free(&ch);
}

/* A take right after a commit names it: on PostgreSQL the notification
 * that names it may not have reached the session yet when the take
 * begins (src/store_pg.c, hear_all). */
static void test_take_right_after_commit(void **state)
{
	struct wq_changes ch;

	(void)state;
	assert_int_equal(wq_changes_start(F.console, &ch), WQ_ERR_OK);
	for (int i = 0; i < 20; i++) {
		int k = i % 2 ? 2 : 0;

		assert_int_equal(note(k ? &F.bob : &F.alice, k, "即时"),
				 WQ_ERR_OK);
		assert_int_equal(wq_changes_next(F.console, &ch), WQ_ERR_OK);
		assert_false(ch.everything);
		assert_int_equal(ch.n, 1);
		assert_true(wq_changes_touch(&ch, F.id[k]));
	}
	wq_changes_free(&ch);
}

static void test_event_of_no_case_is_everything(void **state)
{
	struct wq_changes ch;

	(void)state;
	assert_int_equal(wq_changes_start(F.console, &ch), WQ_ERR_OK);
	assert_int_equal(note(&F.alice, 0, "四"), WQ_ERR_OK);
	/* A merchant's mark: every case of the merchant shows it. */
	assert_int_equal(wq_merchant_mark(F.writer, &F.sam, F.merchant,
					  "repeat-offender", true, "三次投诉",
					  "内部规定"),
			 WQ_ERR_OK);
	assert_int_equal(wq_changes_next(F.console, &ch), WQ_ERR_OK);
	assert_true(ch.everything);
	assert_true(wq_changes_touch(&ch, F.id[1]));
	/* A new user writes no event: everything again. */
	assert_int_equal(wq_user_add(F.writer, &F.admin, "carol",
				     WQ_ROLE_MEDIATOR, NULL),
			 WQ_ERR_OK);
	assert_int_equal(wq_changes_next(F.console, &ch), WQ_ERR_OK);
	assert_true(ch.everything);
	/* And the next commit is told by its events again. */
	assert_int_equal(note(&F.bob, 2, "五"), WQ_ERR_OK);
	assert_int_equal(wq_changes_next(F.console, &ch), WQ_ERR_OK);
	assert_false(ch.everything);
	assert_int_equal(ch.n, 1);
	wq_changes_free(&ch);
}

static void test_too_many_is_everything(void **state)
{
	struct wq_changes ch;

	(void)state;
	assert_int_equal(wq_changes_start(F.console, &ch), WQ_ERR_OK);
	for (int i = 0; i < WQ_CHANGES_MAX + 1; i++)
		assert_int_equal(note(&F.alice, i % 2, "记录"), WQ_ERR_OK);
	assert_int_equal(wq_changes_next(F.console, &ch), WQ_ERR_OK);
	assert_true(ch.everything);
	/* It goes on from the newest, not through the rest a page at a
	 * time. */
	assert_int_equal(note(&F.bob, 2, "六"), WQ_ERR_OK);
	assert_int_equal(wq_changes_next(F.console, &ch), WQ_ERR_OK);
	assert_false(ch.everything);
	assert_int_equal(ch.n, 1);
	assert_true(wq_changes_touch(&ch, F.id[2]));
	wq_changes_free(&ch);
}

static void test_filter_asked_of_cases_now(void **state)
{
	struct wq_filter mine = {.assignee = "me"};
	struct wq_filter merchant = {.status = "all"};
	struct wq_filter searched = {.search = "退款"};
	int64_t bobs[] = {F.id[2]}, alices[] = {F.id[2], F.id[1]};
	bool any;

	(void)state;
	assert_int_equal(wq_case_filter_any(F.console, &F.alice, &mine, bobs,
					    1, &any),
			 WQ_ERR_OK);
	assert_false(any);
	assert_int_equal(wq_case_filter_any(F.console, &F.alice, &mine,
					    alices, 2, &any),
			 WQ_ERR_OK);
	assert_true(any);
	assert_int_equal(wq_case_filter_any(F.console, &F.alice, &mine, NULL,
					    0, &any),
			 WQ_ERR_OK);
	assert_false(any);
	/* Reassigned to alice: now in her list. */
	assert_int_equal(assign(2, "alice"), WQ_ERR_OK);
	assert_int_equal(wq_case_filter_any(F.console, &F.alice, &mine, bobs,
					    1, &any),
			 WQ_ERR_OK);
	assert_true(any);
	assert_int_equal(wq_case_filter_any(F.console, &F.bob, &mine, bobs, 1,
					    &any),
			 WQ_ERR_OK);
	assert_false(any);
	merchant.merchant_id = F.merchant;
	assert_int_equal(wq_case_filter_any(F.console, &F.bob, &merchant,
					    bobs, 1, &any),
			 WQ_ERR_OK);
	assert_true(any);
	merchant.merchant_id = F.merchant + 1000;
	assert_int_equal(wq_case_filter_any(F.console, &F.bob, &merchant,
					    bobs, 1, &any),
			 WQ_ERR_OK);
	assert_false(any);
	/* A search is not looked into. */
	assert_int_equal(wq_case_filter_any(F.console, &F.bob, &searched,
					    bobs, 1, &any),
			 WQ_ERR_OK);
	assert_true(any);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases_named_once),
	    cmocka_unit_test(test_take_right_after_commit),
	    cmocka_unit_test(test_event_of_no_case_is_everything),
	    cmocka_unit_test(test_too_many_is_everything),
	    cmocka_unit_test(test_filter_asked_of_cases_now),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
