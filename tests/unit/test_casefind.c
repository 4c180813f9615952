/* Unit tests of looking a case up (src/casefind.c): prefixes end where the
 * key does, multibyte names included; the forms of a case number; each
 * case once; the roles' personal-data rule; a desk's lookups skip what it
 * may not read without scanning on; the limit; the migration's indexes;
 * the queue filters' lists (regions by part of their name, loads). */
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
#include "weiquan/report.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

#define NOW "2026-03-02T02:00:00Z"

static struct {
	char dir[64];
	char path[128];
	struct wq_store *store;
	struct wq_user admin, desk1, desk2, alice, sam;
} F;

static void add(const struct wq_user *who, const char *consumer,
		const char *phone, const char *id_number, const char *order,
		const char *shop)
{
	struct wq_intake in = {0};
	char number[32];
	int64_t id;

	in.type = "complaint";
	in.category = "refund";
	in.consumer_name = consumer;
	in.consumer_phone = phone;
	in.consumer_id_number = id_number;
	in.merchant_name = "测试店";
	in.merchant_platform = "淘宝";
	in.merchant_shop_id = shop;
	in.order_no = order;
	in.statement = "商家拒绝退款";
	assert_int_equal(wq_case_create_tx(F.store, who, &in, &id, number),
			 WQ_ERR_OK);
}

static void add_in(const struct wq_user *who, const char *consumer,
		   const char *region)
{
	struct wq_intake in = {0};
	char number[32];
	int64_t id;

	in.type = "complaint";
	in.category = "refund";
	in.consumer_name = consumer;
	in.region = region;
	in.merchant_name = "测试店";
	in.statement = "商家拒绝退款";
	assert_int_equal(wq_case_create_tx(F.store, who, &in, &id, number),
			 WQ_ERR_OK);
}

static int group_setup(void **state)
{
	(void)state;
	if (fixture_open("casefind", NOW, F.dir, F.path, &F.store, &F.admin) ||
	    fixture_add_user(F.store, &F.admin, "desk1", WQ_ROLE_DESK, NULL,
			     &F.desk1) ||
	    fixture_add_user(F.store, &F.admin, "desk2", WQ_ROLE_DESK, NULL,
			     &F.desk2) ||
	    fixture_add_user(F.store, &F.admin, "alice", WQ_ROLE_MEDIATOR, NULL,
			     &F.alice) ||
	    fixture_add_user(F.store, &F.admin, "sam", WQ_ROLE_SUPERVISOR, NULL,
			     &F.sam))
		return -1;
	if (wq_store_begin_write(F.store))
		return -1;
	/* WQ-2026-000001 .. 000004 */
	add(&F.desk1, "张三", "13800000001", "110101199001011234", "TB77",
	    "shop7");
	add(&F.desk1, "张三丰", "13800000002", "110101199001012345", "TB777",
	    "shop77");
	/* an order number that is also the consumer's phone */
	add(&F.desk1, "弓长", "13900000003", "320101199001013456",
	    "13900000003", "shop8");
	add(&F.desk2, "李四", "13900000004", "320101199001014567", "JD1",
	    "shop8");
	/* 2,100 more of desk2's with one name, past what a desk skips */
	for (int i = 0; i < 2100; i++)
		add(&F.desk2, "王五", "", "", "", "");
	add_in(&F.desk1, "赵六", "广东省广州市");
	add_in(&F.desk1, "赵七", "广东省广州市");
	add_in(&F.desk1, "赵八", "广东省深圳市");
	return wq_store_commit(F.store) ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	wq_store_close(&F.store);
	fixture_remove_dir(F.dir);
	return 0;
}

/* The numbers found, in order, separated by spaces, each with how. */
static char *found(const struct wq_user *who, const char *text, int limit,
		   bool *more)
{
	static char out[4096];
	struct wq_find_result r;
	size_t used = 0;

	out[0] = '\0';
	assert_int_equal(wq_case_find(F.store, who, text, limit, &r),
			 WQ_ERR_OK);
	for (size_t i = 0; i < r.count && used < sizeof(out) - 64; i++)
		used += (size_t)snprintf(
		    out + used, sizeof(out) - used, "%s%s:%s", i ? " " : "",
		    r.hits[i].row.number + 8, wq_find_by_name(r.hits[i].by));
	if (more)
		*more = r.more;
	wq_find_result_free(&r);
	return out;
}

static void test_prefixes_end_with_the_key(void **state)
{
	(void)state;
	assert_string_equal(found(&F.sam, "shop7", 0, NULL),
			    "000001:shop-id 000002:shop-id");
	assert_string_equal(found(&F.sam, "shop77", 0, NULL), "000002:shop-id");
	assert_string_equal(found(&F.sam, "TB77", 0, NULL),
			    "000001:order 000002:order");
	/* 张 is E5 BC A0 and 弓 E5 BC 93: a byte prefix, not a character */
	assert_string_equal(found(&F.sam, "张", 0, NULL),
			    "000001:consumer 000002:consumer");
	assert_string_equal(found(&F.sam, "张三丰", 0, NULL),
			    "000002:consumer");
	assert_string_equal(found(&F.sam, "1390000", 0, NULL),
			    "000003:phone 000004:phone");
}

static void test_case_numbers(void **state)
{
	(void)state;
	assert_string_equal(found(&F.sam, "WQ-2026-000003", 0, NULL),
			    "000003:number");
	assert_string_equal(found(&F.sam, "wq-2026-3", 0, NULL),
			    "000003:number");
	assert_string_equal(found(&F.sam, "2026-000004", 0, NULL),
			    "000004:number");
	assert_string_equal(found(&F.sam, " 4 ", 0, NULL), "000004:number");
	/* seven digits are no sequence; no year 2025 numbered cases */
	assert_string_equal(found(&F.sam, "2026-0000004", 0, NULL), "");
	assert_string_equal(found(&F.sam, "2025-4", 0, NULL), "");
}

static void test_each_case_once(void **state)
{
	(void)state;
	/* case 3 by its phone and its order number: once */
	assert_string_equal(found(&F.sam, "1390000", 0, NULL),
			    "000003:phone 000004:phone");
	/* the sequence 110 (a 王五 case) and the start of two ID numbers */
	assert_string_equal(found(&F.sam, "110", 0, NULL),
			    "000110:number 000001:id-number "
			    "000002:id-number");
}

static void test_personal_data_by_role(void **state)
{
	(void)state;
	assert_string_equal(found(&F.sam, "1101011990010", 0, NULL),
			    "000001:id-number 000002:id-number");
	/* a mediator sees phones but no ID number */
	assert_string_equal(found(&F.alice, "110101199001012345", 0, NULL), "");
	assert_string_equal(found(&F.alice, "13800000002", 0, NULL),
			    "000002:phone");
}

static void test_desk_reads_its_own(void **state)
{
	struct wq_case_reader *reader;
	struct wq_case_row row;
	bool more = false;

	(void)state;
	assert_string_equal(found(&F.desk1, "shop8", 0, NULL),
			    "000003:shop-id");
	assert_string_equal(found(&F.desk2, "shop8", 0, NULL),
			    "000004:shop-id");
	/* 2,100 cases desk1 may not read: it stops and says there may be
	 * more, rather than reading every one */
	assert_string_equal(found(&F.desk1, "王五", 0, &more), "");
	assert_true(more);
	assert_int_equal(wq_case_reader_new(F.store, &F.desk1, &reader),
			 WQ_ERR_OK);
	assert_int_equal(wq_case_reader_get(reader, 3, &row), WQ_ERR_OK);
	assert_string_equal(row.number, "WQ-2026-000003");
	assert_int_equal(wq_case_reader_get(reader, 4, &row), WQ_ERR_NOT_FOUND);
	assert_int_equal(wq_case_reader_get(reader, 999999, &row),
			 WQ_ERR_NOT_FOUND);
	wq_case_reader_free(&reader);
	assert_null(reader);
}

static void test_limits(void **state)
{
	struct wq_find_result r;
	bool more = false;

	(void)state;
	assert_int_equal(wq_case_find(F.store, &F.sam, "王五", 0, &r),
			 WQ_ERR_OK);
	assert_int_equal(r.count, 20);
	assert_true(r.more);
	wq_find_result_free(&r);
	found(&F.sam, "王五", WQ_FIND_LIMIT_MAX, &more);
	assert_true(more);
	assert_int_equal(
	    wq_case_find(F.store, &F.sam, "王五", WQ_FIND_LIMIT_MAX + 1, &r),
	    WQ_ERR_INVALID);
	assert_int_equal(wq_case_find(F.store, &F.sam, "王五", -1, &r),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_case_find(F.store, &F.sam, " \t", 0, &r),
			 WQ_ERR_INVALID);
	/* the last case of a complete list says no more */
	found(&F.sam, "张", 2, &more);
	assert_false(more);
}

/* The queue's region list: every region with open cases whose name holds
 * the text, most cases first. */
static void test_regions_by_part_of_the_name(void **state)
{
	struct wq_report_counts r;

	(void)state;
	assert_int_equal(wq_report_regions(F.store, "广州", &r), WQ_ERR_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].key, "广东省广州市");
	assert_int_equal(r.v[0].n, 2);
	wq_report_counts_free(&r);
	assert_int_equal(wq_report_regions(F.store, "广东", &r), WQ_ERR_OK);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.v[0].key, "广东省广州市");
	assert_string_equal(r.v[1].key, "广东省深圳市");
	wq_report_counts_free(&r);
	assert_int_equal(wq_report_regions(F.store, "上海", &r), WQ_ERR_OK);
	assert_int_equal(r.n, 0);
	wq_report_counts_free(&r);
}

static void test_assignee_loads(void **state)
{
	struct wq_report_mediator *m;
	size_t n;

	(void)state;
	assert_int_equal(wq_report_assignee_loads(F.store, &F.desk1, &m, &n),
			 WQ_ERR_DENIED);
	assert_int_equal(wq_report_assignee_loads(F.store, &F.alice, &m, &n),
			 WQ_ERR_OK);
	/* the mediator and the supervisor, in login order, nobody loaded */
	assert_int_equal(n, 2);
	assert_string_equal(m[0].login, "alice");
	assert_string_equal(m[1].login, "sam");
	assert_int_equal(m[0].open, 0);
	free(m);
}

/* A search in another order reads every hit on each page: past
 * WQ_SEARCH_SORT_MAX matching documents it is refused, and newest first
 * still lists them. */
static void test_wide_search_sorted_refused(void **state)
{
	struct wq_filter f = {.search = "宽泛", .order = "amount"};
	struct wq_case_page page;
	char sql[160];

	(void)state;
	assert_int_equal(wq_store_begin_write(F.store), WQ_ERR_OK);
	/* documents of cases 1 and 2 (rowid: case id << 16, ordinal) */
	for (int i = 0; i <= WQ_SEARCH_SORT_MAX; i++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO search_index(rowid, body)"
			 " VALUES (%lld, '宽泛')",
			 ((long long)(1 + i % 2) << WQ_SEARCH_CASE_SHIFT) +
				 100 + i / 2);
		assert_int_equal(wq_store_exec(F.store, sql), WQ_ERR_OK);
	}
	assert_int_equal(wq_store_commit(F.store), WQ_ERR_OK);
	assert_int_equal(wq_case_list(F.store, &F.sam, &f, &page),
			 WQ_ERR_INVALID);
	assert_non_null(strstr(wq_err_detail(), "newest first only"));
	f.order = NULL;
	assert_int_equal(wq_case_list(F.store, &F.sam, &f, &page),
			 WQ_ERR_OK);
	assert_int_equal(page.count, 2);
	wq_case_page_free(&page);
}

static void test_migration_indexes(void **state)
{
	struct wq_stmt *st;

	(void)state;
	assert_int_equal(wq_store_prepare(F.store,
					  "SELECT group_concat(name, ' ') FROM"
					  " (SELECT name FROM sqlite_master"
					  " WHERE name IN ('consumers_by_name',"
					  " 'cases_by_order_no',"
					  " 'merchants_by_shop_id')"
					  " ORDER BY name)",
					  &st),
			 WQ_ERR_OK);
	assert_int_equal(wq_step(st), WQ_ROW);
	assert_string_equal(wq_column_text_or_null(st, 0),
			    "cases_by_order_no consumers_by_name "
			    "merchants_by_shop_id");
	wq_store_finalize(F.store, st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prefixes_end_with_the_key),
	    cmocka_unit_test(test_case_numbers),
	    cmocka_unit_test(test_each_case_once),
	    cmocka_unit_test(test_personal_data_by_role),
	    cmocka_unit_test(test_desk_reads_its_own),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_regions_by_part_of_the_name),
	    cmocka_unit_test(test_assignee_loads),
	    cmocka_unit_test(test_wide_search_sorted_refused),
	    cmocka_unit_test(test_migration_indexes),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("casefind", tests, group_setup,
					   group_teardown);
}
