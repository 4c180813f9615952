/* Unit tests of the contact log (src/contact.c): an entry as given, with
 * its audit event; who may log; what is refused, writing nothing; the
 * pending follow-up is the latest entry's; the queue's rows carry it and
 * its follow-up filter selects by it. */
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
#include "weiquan/contact.h"
#include "weiquan/err.h"
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

static int group_setup(void **state)
{
	struct wq_intake in = {0};
	const char *args[] = {"alice"};
	struct wq_ruling assign = {.action = "assign", .argc = 1, .argv = args};
	int64_t id;

	(void)state;
	if (fixture_open("contact", NOW, F.dir, F.path, &F.store, &F.admin) ||
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
	if (wq_case_create(F.store, &F.admin, &in, &id, F.number) ||
	    wq_rule(F.store, &F.sam, F.number, &assign, NULL))
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

static int64_t count(const char *sql)
{
	struct wq_stmt *st;
	int64_t n = -1;

	assert_int_equal(wq_store_prepare(F.store, sql, &st), WQ_ERR_OK);
	if (wq_step(st) == WQ_ROW)
		n = wq_column_int64(st, 0);
	wq_store_finalize(F.store, st);
	return n;
}

static void test_refused_writes_nothing(void **state)
{
	struct wq_contact_in in = {"complainant", "phone", "已致电", NULL,
				   NULL};
	struct wq_contact_in bad;

	(void)state;
	/* bob is not assigned the case */
	assert_int_equal(wq_contact_add(F.store, &F.bob, F.number, &in, NULL),
			 WQ_ERR_DENIED);
	bad = in;
	bad.channel = "fax";
	assert_int_equal(
	    wq_contact_add(F.store, &F.alice, F.number, &bad, NULL),
	    WQ_ERR_INVALID);
	bad = in;
	bad.party = "mediator";
	assert_int_equal(
	    wq_contact_add(F.store, &F.alice, F.number, &bad, NULL),
	    WQ_ERR_INVALID);
	bad = in;
	bad.said = "";
	assert_int_equal(
	    wq_contact_add(F.store, &F.alice, F.number, &bad, NULL),
	    WQ_ERR_INVALID);
	bad = in;
	bad.follow_up_on = "2026-03-01"; /* yesterday */
	assert_int_equal(
	    wq_contact_add(F.store, &F.alice, F.number, &bad, NULL),
	    WQ_ERR_INVALID);
	bad.follow_up_on = "2026-3-5";
	assert_int_equal(
	    wq_contact_add(F.store, &F.alice, F.number, &bad, NULL),
	    WQ_ERR_INVALID);
	bad = in;
	bad.said = "\xff\xfe";
	assert_int_equal(
	    wq_contact_add(F.store, &F.alice, F.number, &bad, NULL),
	    WQ_ERR_ENCODING);
	assert_int_equal(
	    wq_contact_add(F.store, &F.alice, "WQ-2026-999999", &in, NULL),
	    WQ_ERR_NOT_FOUND);
	assert_int_equal(count("SELECT count(*) FROM contacts"), 0);
	assert_int_equal(count("SELECT count(*) FROM events"
			       " WHERE action = 'contact'"),
			 0);
}

static void test_logged_as_given(void **state)
{
	struct wq_contact_in in = {"complainant", "phone", "已致电消费者",
				   "同意补充截图", "2026-03-02"};
	struct wq_contact_list list;
	int64_t id = 0;

	(void)state;
	assert_int_equal(wq_contact_add(F.store, &F.alice, F.number, &in, &id),
			 WQ_ERR_OK);
	assert_true(id > 0);
	assert_int_equal(count("SELECT count(*) FROM events WHERE action ="
			       " 'contact' AND actor = 'alice'"
			       " AND CAST(json_extract(details, '$.contact') AS integer) = 1"),
			 1);
	assert_int_equal(wq_contact_list(F.store, &F.bob, F.number, &list),
			 WQ_ERR_OK);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.v[0].party, "complainant");
	assert_string_equal(list.v[0].channel, "phone");
	assert_string_equal(list.v[0].said, "已致电消费者");
	assert_string_equal(list.v[0].outcome, "同意补充截图");
	assert_string_equal(list.v[0].follow_up_on, "2026-03-02");
	assert_string_equal(list.v[0].author, "alice");
	assert_string_equal(list.follow_up_on, "2026-03-02");
	wq_contact_list_free(&list);
}

/* The queue's rows carry the pending follow-up; the filter takes the cases
 * whose follow-up is due by a day; the next contact answers it. */
static void test_follow_up_in_the_queue(void **state)
{
	struct wq_filter f = {.assignee = "me", .follow_up_by = "2026-03-03"};
	struct wq_contact_in in = {"respondent", "sms", "短信通知商家", NULL,
				   "2026-03-10"};
	struct wq_case_page page;

	(void)state;
	assert_int_equal(wq_case_list(F.store, &F.alice, &f, &page), WQ_ERR_OK);
	assert_int_equal(page.count, 1);
	assert_string_equal(page.rows[0].follow_up_on, "2026-03-02");
	assert_int_equal(page.rows[0].follow_up_days, 0);
	wq_case_page_free(&page);
	/* the supervisor logs the next one: a follow-up a week on */
	assert_int_equal(wq_contact_add(F.store, &F.sam, F.number, &in, NULL),
			 WQ_ERR_OK);
	assert_int_equal(wq_case_list(F.store, &F.alice, &f, &page), WQ_ERR_OK);
	assert_int_equal(page.count, 0);
	wq_case_page_free(&page);
	f.follow_up_by = NULL;
	assert_int_equal(wq_case_list(F.store, &F.alice, &f, &page), WQ_ERR_OK);
	assert_int_equal(page.count, 1);
	assert_string_equal(page.rows[0].follow_up_on, "2026-03-10");
	assert_int_equal(page.rows[0].follow_up_days, 6);
	wq_case_page_free(&page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refused_writes_nothing),
	    cmocka_unit_test(test_logged_as_given),
	    cmocka_unit_test(test_follow_up_in_the_queue),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("contact", tests, group_setup,
					   group_teardown);
}
