/* Unit tests of intake (src/intake.c): every field's check reported at
 * once and nothing written, duplicates inside and outside the 30 days,
 * the consumer's history and its serial-complaint signals, merchants
 * matched as typed (with '%' and '_' taken literally), the save in one
 * transaction, and the receipt and the not-accepted notice. */
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
#include <sys/stat.h>

#include <cmocka.h>

#include "weiquan/calendar.h"
#include "weiquan/case.h"
#include "weiquan/clock.h"
#include "weiquan/encoding.h"
#include "weiquan/err.h"
#include "weiquan/intake.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/user.h"
#include "weiquan/wqtime.h"
#include "tests/unit/fixture.h"

#define NOW "2026-09-24T02:00:00Z"

struct fx {
	char dir[64];
	char path[128];
	struct wq_store *store;
	struct wq_user admin, desk, sam, alice;
};

static struct fx F;

static int add_user(const char *login, enum wq_role role, const char *name,
		    struct wq_user *out)
{
	return fixture_add_user(F.store, &F.admin, login, role, name, out);
}

static int group_setup(void **state)
{
	(void)state;
	if (fixture_open("intake", NOW, F.dir, F.path,
			 &F.store, &F.admin))
		return -1;
	if (add_user("desk1", WQ_ROLE_DESK, "王前台", &F.desk) ||
	    add_user("sam", WQ_ROLE_SUPERVISOR, "sam", &F.sam) ||
	    add_user("alice", WQ_ROLE_MEDIATOR, "alice", &F.alice))
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

/* ---- helpers ---- */

static int64_t q_int(const char *sql)
{
	struct wq_stmt *st;
	int64_t v = -1;

	assert_int_equal(wq_store_prepare(F.store, sql, &st), WQ_ERR_OK);
	if (wq_step(st) == WQ_ROW)
		v = wq_column_int64(st, 0);
	wq_store_finalize(F.store, st);
	return v;
}

static char *q_text(const char *sql, const char *arg)
{
	struct wq_stmt *st;
	char *v = NULL;

	assert_int_equal(wq_store_prepare(F.store, sql, &st), WQ_ERR_OK);
	wq_bind_text(st, 1, arg);
	if (wq_step(st) == WQ_ROW && wq_column_text_or_null(st, 0))
		v = strdup(wq_column_text_or_null(st, 0));
	wq_store_finalize(F.store, st);
	return v;
}

/* A complete, valid form. */
static struct wq_intake valid(void)
{
	struct wq_intake in = {0};

	in.type = "complaint";
	in.category = "quality";
	in.consumer_name = "张三";
	in.consumer_phone = "13812345678";
	in.consumer_id_number = "11010519491231002X";
	in.region = "广东省广州市";
	in.merchant_name = "优品数码旗舰店";
	in.merchant_platform = "淘宝";
	in.merchant_shop_id = "shop-1";
	in.order_no = "2026091012345";
	in.amount_fen = 129900;
	in.order_date = "2026-09-10";
	in.remedy = "refund";
	in.statement = "收到的手机屏幕有划痕，商家拒绝退款，要求退款。";
	return in;
}

static const char *message_of(const struct wq_intake_report *r,
			      const char *field)
{
	const struct wq_intake_problem *p = wq_intake_problem_of(r, field);

	return p ? p->message : NULL;
}

static bool is_error(const struct wq_intake_report *r, const char *field)
{
	const struct wq_intake_problem *p = wq_intake_problem_of(r, field);

	return p && !p->warning;
}

/* A desk registers a complaint when it is received: the clock stands at
 * in->received_at while it does. */
static void create(struct wq_intake *in, char number[32])
{
	int64_t id;

	if (in->received_at)
		setenv("WEIQUAN_NOW", in->received_at, 1);
	if (wq_case_create(F.store, &F.desk, in, &id, number) != WQ_ERR_OK)
		fail_msg("create: %s", wq_err_detail());
	setenv("WEIQUAN_NOW", NOW, 1);
}

/* ---- checks ---- */

/* The intake form counts a statement's length as the console editor and
 * the core do: in characters, 20,000 at most (it counted 20,000 bytes, a
 * third of that in Chinese). */
static void test_check_statement_length(void **state)
{
	struct wq_intake in = valid();
	struct wq_intake_report r;
	size_t n = WQ_STATEMENT_MAX_CHARS;
	char *text = malloc(3 * (n + 1) + 1);

	(void)state;
	for (size_t i = 0; i < n; i++)
		memcpy(text + 3 * i, "长", 3);
	text[3 * n] = '\0';
	in.statement = text;
	wq_intake_check(F.store, &F.desk, &in, &r);
	assert_false(is_error(&r, "statement"));
	memcpy(text + 3 * n, "长", 4);
	wq_intake_check(F.store, &F.desk, &in, &r);
	assert_true(is_error(&r, "statement"));
	free(text);

	/* One maximum amount for intake and the core. */
	in = valid();
	in.amount_fen = WQ_AMOUNT_MAX_FEN;
	wq_intake_check(F.store, &F.desk, &in, &r);
	assert_false(is_error(&r, "amount"));
	in.amount_fen = WQ_AMOUNT_MAX_FEN + 1;
	wq_intake_check(F.store, &F.desk, &in, &r);
	assert_true(is_error(&r, "amount"));
}

static void test_check_valid(void **state)
{
	struct wq_intake in = valid();
	struct wq_intake_report r;

	(void)state;
	assert_int_equal(wq_intake_check(F.store, &F.desk, &in, &r), WQ_ERR_OK);
	assert_int_equal(r.errors, 0);
	for (int i = 0; i < r.count; i++)
		print_message("# unexpected warning %s: %s\n", r.v[i].field,
			      r.v[i].message);
	assert_int_equal(r.count, 0);
}

static void test_check_all_at_once(void **state)
{
	struct wq_intake in = {0};
	struct wq_intake_report r;
	int64_t before = q_int("SELECT count(*) FROM cases");
	int64_t events = q_int("SELECT count(*) FROM events");
	static const char *const bad_fields[] = {
		"type",	      "category", "consumer_name", "consumer_phone",
		"consumer_id_number", "merchant_name", "order_no",
		"order_date", "remedy",	  "statement",
	};

	(void)state;
	in.type = "lawsuit";
	in.category = "no-such-category";
	in.consumer_name = "";
	in.consumer_phone = "12345";
	in.consumer_id_number = "110105194912310021"; /* wrong check digit */
	in.merchant_name = NULL;
	in.order_no = "订单 1";
	in.order_date = "2026-13-01";
	in.remedy = "apology";
	in.statement = "";
	assert_int_equal(wq_intake_check(F.store, &F.desk, &in, &r),
			 WQ_ERR_INVALID);
	for (size_t i = 0; i < sizeof(bad_fields) / sizeof(bad_fields[0]);
	     i++) {
		if (!is_error(&r, bad_fields[i]))
			fail_msg("no error for %s", bad_fields[i]);
		/* The detail names every field too. */
		assert_non_null(strstr(wq_err_detail(), bad_fields[i]));
	}
	assert_int_equal(r.errors, (int)(sizeof(bad_fields) /
					 sizeof(bad_fields[0])));
	assert_string_equal(message_of(&r, "consumer_id_number"),
			    "the ID number's check digit does not match: a "
			    "typing error?");
	/* Problems come in the form's order. */
	assert_string_equal(r.v[0].field, "type");
	/* Nothing was written. */
	assert_int_equal(q_int("SELECT count(*) FROM cases"), before);
	assert_int_equal(q_int("SELECT count(*) FROM events"), events);

	/* The save refuses the same form and writes nothing either. */
	{
		struct wq_intake_extra x = {.materials = WQ_MATERIAL(ID)};
		char number[32] = "x";

		assert_int_equal(wq_intake_save(F.store, &F.desk, &in, &x,
						NULL, number),
				 WQ_ERR_INVALID);
		assert_string_equal(number, "");
		assert_int_equal(q_int("SELECT count(*) FROM cases"), before);
	}
}

struct field_case {
	const char *value;
	bool ok;
};

static void check_field(const char *field, const struct field_case *cases,
			size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct wq_intake in = valid();
		struct wq_intake_report r;

		if (strcmp(field, "consumer_phone") == 0)
			in.consumer_phone = cases[i].value;
		else if (strcmp(field, "consumer_id_number") == 0)
			in.consumer_id_number = cases[i].value;
		else if (strcmp(field, "order_date") == 0)
			in.order_date = cases[i].value;
		else if (strcmp(field, "order_no") == 0)
			in.order_no = cases[i].value;
		else if (strcmp(field, "consumer_name") == 0)
			in.consumer_name = cases[i].value;
		wq_intake_check(F.store, &F.desk, &in, &r);
		if (is_error(&r, field) == cases[i].ok)
			fail_msg("%s '%s': expected %s, got %s", field,
				 cases[i].value, cases[i].ok ? "ok" : "error",
				 message_of(&r, field) ? message_of(&r, field)
						       : "ok");
	}
}

static void test_check_fields(void **state)
{
	static const struct field_case phones[] = {
		{"13812345678", true},	    {"+86 138-1234-5678", true},
		{"0086 13812345678", true}, {"010-12345678", true},
		{"0755 8888 6666", true},   {"1381234567", false},
		{"12812345678", false},	    {"138123456789", false},
		{"phone", false},	    {"5551234", false},
		{"0101234", false},	    {"１３８１２３４５６７８", false},
	};
	static const struct field_case ids[] = {
		{"11010519491231002X", true},
		{"11010519491231002x", true},
		{"440524199001010018", true},
		{"110105194912310021", false}, /* check digit */
		{"110105194913310026", false}, /* month 13 */
		{"11010519491231002", false},  /* 17 digits */
		{"110105491231002", true},     /* first generation */
		{"E12345678", true},	       /* passport */
		{"H1234567890", true},	       /* permit */
		{"12345678", true},	       /* Taiwan permit */
		{"ID-123", false},
		{"张三身份证", false},
	};
	static const struct field_case dates[] = {
		{"2026-09-10", true}, {"2026-9-10", false},
		{"2026-02-30", false}, {"2026-09-25", false}, /* tomorrow */
		{"2022-01-01", true},  /* a warning only */
		{"10 Sept", false},
	};
	static const struct field_case orders[] = {
		{"2026091012345", true}, {"JD-12_3/4.5#6", true},
		{"订单1", false},	 {"12 34", false},
		{"1234567890123456789012345678901234567890123456789012345678901234",
		 false},
	};
	static const struct field_case names[] = {
		{"张三", true},
		{"欧阳娜娜欧阳娜娜欧阳娜娜欧阳娜娜欧阳娜娜", true}, /* 60 bytes */
		{"欧阳娜娜欧阳娜娜欧阳娜娜欧阳娜娜欧阳娜娜欧", false},
		{"Bad\033[2Jname", false},
		{"line\nbreak", false},
		{"\xe5\xbc", false},
	};

	(void)state;
	check_field("consumer_phone", phones, sizeof(phones) / sizeof(*phones));
	check_field("consumer_id_number", ids, sizeof(ids) / sizeof(*ids));
	check_field("order_date", dates, sizeof(dates) / sizeof(*dates));
	check_field("order_no", orders, sizeof(orders) / sizeof(*orders));
	check_field("consumer_name", names, sizeof(names) / sizeof(*names));
}

static void test_check_warnings_and_amount(void **state)
{
	struct wq_intake in = valid();
	struct wq_intake_report r;
	int64_t fen = -1;

	(void)state;
	/* Warnings do not stop the save. */
	in.order_date = "2022-01-01";
	in.statement = "退款";
	in.consumer_phone = NULL;
	in.consumer_id_number = NULL;
	assert_int_equal(wq_intake_check(F.store, &F.desk, &in, &r), WQ_ERR_OK);
	assert_int_equal(r.errors, 0);
	assert_non_null(wq_intake_problem_of(&r, "order_date"));
	assert_true(wq_intake_problem_of(&r, "order_date")->warning);
	assert_true(wq_intake_problem_of(&r, "statement")->warning);
	assert_true(wq_intake_problem_of(&r, "consumer_phone")->warning);

	/* The amount as typed, and the checklist. */
	assert_true(wq_intake_amount("1299.50", &fen, &r));
	assert_int_equal(fen, 129950);
	assert_true(wq_intake_amount(" 88 ", &fen, &r));
	assert_int_equal(fen, 8800);
	assert_true(wq_intake_amount("", &fen, &r));
	assert_int_equal(fen, 0);
	memset(&r, 0, sizeof(r));
	assert_false(wq_intake_amount("12x", &fen, &r));
	assert_false(wq_intake_amount("-5", &fen, &r));
	assert_false(wq_intake_amount("1,299", &fen, &r));
	assert_false(wq_intake_amount("1.234", &fen, &r));
	assert_int_equal(r.errors, 4);
	assert_string_equal(message_of(&r, "amount"),
			    "not an amount in yuan (e.g. 1299.50)");
	in = valid();
	in.amount_fen = -1;
	wq_intake_check(F.store, &F.desk, &in, &r);
	assert_true(is_error(&r, "amount"));

	memset(&r, 0, sizeof(r));
	wq_intake_check_materials(0, false, false, &r);
	assert_int_equal(r.count, 2);
	assert_int_equal(r.errors, 0);
	memset(&r, 0, sizeof(r));
	wq_intake_check_materials(WQ_MATERIAL(ID), false, true, &r);
	assert_int_equal(r.count, 0);

	{
		char *p = wq_intake_phone_normalize("+86 138-1234-5678");

		assert_string_equal(p, "13812345678");
		free(p);
		p = wq_intake_phone_normalize("(0755) 8888-6666");
		assert_string_equal(p, "075588886666");
		free(p);
		p = wq_intake_phone_normalize("ask at home");
		assert_string_equal(p, "ask at home");
		free(p);
	}
	{
		char **cats = NULL;
		int n = 0;

		assert_int_equal(wq_intake_categories(F.store, &cats),
				 WQ_ERR_OK);
		while (cats[n])
			n++;
		assert_int_equal(n, 10);
		assert_string_equal(cats[0], "quality");
		assert_string_equal(cats[9], "other");
		wq_intake_strv_free(&cats);
		assert_null(cats);
	}
}

/* ---- duplicates ---- */

static void test_duplicates(void **state)
{
	struct wq_intake in = valid();
	struct wq_intake_duplicates d;
	char first[32], second[32];

	(void)state;
	in.consumer_name = "李重复";
	in.consumer_phone = "13900001111";
	in.consumer_id_number = "440524199001010018";
	in.merchant_name = "重复测试店";
	in.order_no = "DUP-1";
	in.received_at = "2026-08-01T02:00:00Z";
	create(&in, first);
	/* The same consumer and merchant, another order: no duplicate. */
	in.order_no = "DUP-2";
	in.received_at = "2026-08-02T02:00:00Z";
	create(&in, second);

	/* Ten days later, the same order: found, with its status and date. */
	in = valid();
	in.consumer_name = "李重复";
	in.consumer_phone = "139-0000-1111";
	in.consumer_id_number = NULL;
	in.merchant_name = "重复测试店";
	in.order_no = "DUP-1";
	in.received_at = "2026-08-11T02:00:00Z";
	assert_int_equal(wq_intake_duplicates(F.store, &F.desk, &in, &d),
			 WQ_ERR_OK);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].number, first);
	assert_string_equal(d.v[0].status, "received");
	assert_string_equal(d.v[0].received_at, "2026-08-01T02:00:00Z");
	assert_true(d.v[0].same_phone);
	assert_true(d.v[0].same_name);
	wq_intake_duplicates_free(&d);

	/* By ID number alone, and by name alone. */
	in.consumer_phone = NULL;
	in.consumer_name = "别名";
	in.consumer_id_number = "440524199001010018";
	assert_int_equal(wq_intake_duplicates(F.store, &F.desk, &in, &d),
			 WQ_ERR_OK);
	assert_int_equal(d.n, 1);
	assert_true(d.v[0].same_id_number);
	assert_false(d.v[0].same_name);
	wq_intake_duplicates_free(&d);
	in.consumer_id_number = NULL;
	in.consumer_name = "李重复";
	in.consumer_phone = "13700000000";
	assert_int_equal(wq_intake_duplicates(F.store, &F.desk, &in, &d),
			 WQ_ERR_OK);
	assert_int_equal(d.n, 1);
	assert_true(d.v[0].same_name);
	assert_false(d.v[0].same_phone);
	wq_intake_duplicates_free(&d);

	/* 30 days after: still; 31 days after: no longer. */
	in.received_at = "2026-08-31T02:00:00Z";
	assert_int_equal(wq_intake_duplicates(F.store, &F.desk, &in, &d),
			 WQ_ERR_OK);
	assert_int_equal(d.n, 1);
	wq_intake_duplicates_free(&d);
	in.received_at = "2026-09-01T02:00:01Z";
	assert_int_equal(wq_intake_duplicates(F.store, &F.desk, &in, &d),
			 WQ_ERR_OK);
	assert_int_equal(d.n, 0);
	assert_null(d.v);

	/* Another consumer, another merchant: none. */
	in.received_at = "2026-08-11T02:00:00Z";
	in.consumer_name = "王五";
	in.consumer_phone = "13600000000";
	assert_int_equal(wq_intake_duplicates(F.store, &F.desk, &in, &d),
			 WQ_ERR_OK);
	assert_int_equal(d.n, 0);
	in.consumer_name = "李重复";
	in.merchant_name = "别的店";
	assert_int_equal(wq_intake_duplicates(F.store, &F.desk, &in, &d),
			 WQ_ERR_OK);
	assert_int_equal(d.n, 0);
	(void)second;
}

/* ---- history ---- */

static void test_history(void **state)
{
	static const char *const days[] = {
		"2026-09-20T02:00:00Z", "2026-09-15T02:00:00Z",
		"2026-09-05T02:00:00Z", "2026-06-01T02:00:00Z",
		"2025-12-01T02:00:00Z",
	};
	static const char *const merchants[] = {
		"常客店", "常客店", "另一家店", "第三家店", "常客店",
	};
	const char *formula =
		"本人于某日在贵店购买商品，发现商品标签不符合国家标准，"
		"要求贵店依法支付十倍赔偿。";
	struct wq_intake in;
	struct wq_intake_history h;
	char number[32];
	struct wq_ruling r = {.action = "not-accept", .argc = 1};
	struct wq_ruling_result res;
	const char *argv[] = {"not-consumption"};

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		in = valid();
		in.consumer_name = "赵职业";
		in.consumer_phone = "13511112222";
		in.consumer_id_number = NULL;
		in.merchant_name = merchants[i];
		in.order_no = NULL;
		in.remedy = "compensation";
		in.statement = i < 3	? formula
			       : i == 3 ? "快递包装破损，里面的杯子碎了，要求换货。"
					: "买的衣服洗一次就掉色，商家不理，要求退货。";
		in.received_at = days[i];
		create(&in, number);
		if (i == 3) {
			r.argv = argv;
			assert_int_equal(wq_rule(F.store, &F.sam, number, &r,
						 &res),
					 WQ_ERR_OK);
		}
	}

	in = valid();
	in.consumer_name = "赵职业";
	in.consumer_phone = "135 1111 2222";
	in.consumer_id_number = NULL;
	in.merchant_name = "常客店";
	in.statement = formula;
	assert_int_equal(wq_intake_history(F.store, &F.desk, &in, &h),
			 WQ_ERR_OK);
	assert_false(h.by_name_only);
	assert_int_equal(h.total, 5);
	assert_int_equal(h.last30, 3);
	assert_int_equal(h.last90, 3);
	assert_int_equal(h.last365, 5);
	assert_int_equal(h.merchants365, 3);
	assert_int_equal(h.this_merchant365, 3);
	assert_int_equal(h.not_accepted, 1);
	assert_int_equal(h.refused_percent, 20);
	assert_int_equal(h.compensation365, 5);
	assert_int_equal(h.formulaic, 3);
	assert_true(h.signals & WQ_SIGNAL(FREQUENT));
	assert_true(h.signals & WQ_SIGNAL(REPEAT_MERCHANT));
	assert_true(h.signals & WQ_SIGNAL(FORMULAIC));
	assert_true(h.signals & WQ_SIGNAL(COMPENSATION));
	assert_false(h.signals & WQ_SIGNAL(REFUSED));
	assert_int_equal(h.nrecent, 5);
	assert_string_equal(h.recent[0].received_at, "2026-09-20T02:00:00Z");
	assert_string_equal(h.recent[3].status, "not_accepted");
	assert_string_equal(wq_signal_code(WQ_SIGNAL_BIT_FORMULAIC),
			    "formulaic");

	/* As of a month earlier, the later cases do not count yet. */
	in.received_at = "2026-08-01T02:00:00Z";
	assert_int_equal(wq_intake_history(F.store, &F.desk, &in, &h),
			 WQ_ERR_OK);
	assert_int_equal(h.total, 2);
	assert_int_equal(h.last30, 0);
	assert_int_equal(h.signals & WQ_SIGNAL(FREQUENT), 0);

	/* A first-time complainant has no signals. */
	in = valid();
	in.consumer_name = "新客";
	in.consumer_phone = "13322223333";
	in.consumer_id_number = NULL;
	assert_int_equal(wq_intake_history(F.store, &F.desk, &in, &h),
			 WQ_ERR_OK);
	assert_int_equal(h.total, 0);
	assert_int_equal(h.signals, 0);
	assert_int_equal(h.formulaic, 0);

	/* Without phone or ID number the name is all there is. */
	in.consumer_phone = NULL;
	in.consumer_name = "赵职业";
	assert_int_equal(wq_intake_history(F.store, &F.desk, &in, &h),
			 WQ_ERR_OK);
	assert_true(h.by_name_only);
	assert_int_equal(h.total, 5);
}

/* A mediator does not see ID numbers, so the history, which would say
 * whether a typed ID number has complained before, is not shown to it and
 * the duplicate check does not match on the number for it; the desk and
 * the supervisor, who see the number, get both. */
static void test_history_needs_id_number_role(void **state)
{
	struct wq_intake in = valid();
	struct wq_intake_history h;
	struct wq_intake_duplicates d;
	char number[32];

	(void)state;
	in.consumer_name = "身份证探测";
	in.merchant_name = "探测测试店";
	in.consumer_phone = "13944445555";
	in.consumer_id_number = "110101199512120013";
	create(&in, number);

	in.consumer_name = "别人";
	in.consumer_phone = NULL;
	memset(&h, 0x55, sizeof(h));
	assert_int_equal(wq_intake_history(F.store, &F.alice, &in, &h),
			 WQ_ERR_DENIED);
	assert_int_equal(h.total, 0);
	assert_int_equal(h.nrecent, 0);
	assert_int_equal(h.signals, 0);
	assert_int_equal(wq_intake_history(F.store, &F.desk, &in, &h),
			 WQ_ERR_OK);
	assert_int_equal(h.total, 1);
	assert_int_equal(wq_intake_history(F.store, &F.sam, &in, &h),
			 WQ_ERR_OK);
	assert_int_equal(h.total, 1);

	/* Nor does the duplicate check match the ID number for it. */
	in.consumer_name = NULL;
	assert_int_equal(wq_intake_duplicates(F.store, &F.alice, &in, &d),
			 WQ_ERR_OK);
	assert_int_equal(d.n, 0);
	wq_intake_duplicates_free(&d);
	assert_int_equal(wq_intake_duplicates(F.store, &F.desk, &in, &d),
			 WQ_ERR_OK);
	assert_int_equal(d.n, 1);
	assert_true(d.v[0].same_id_number);
	wq_intake_duplicates_free(&d);
}

/* ---- merchants ---- */

static void add_case_for(const char *merchant, int times)
{
	for (int i = 0; i < times; i++) {
		struct wq_intake in = valid();
		char number[32];

		in.merchant_name = merchant;
		in.merchant_platform = "";
		in.merchant_shop_id = "";
		in.consumer_name = "商户测试";
		in.consumer_phone = "13011112222";
		in.order_no = NULL;
		create(&in, number);
	}
}

static void test_merchants(void **state)
{
	struct wq_merchant_match m[12];
	int n = -1;

	(void)state;
	add_case_for("50%折扣店", 1);
	add_case_for("5_0折扣店", 1);
	add_case_for("500折扣店", 1);
	add_case_for("a\\b杂货铺", 1);
	add_case_for("数码优品店", 3);
	add_case_for("优品生活馆", 1);
	add_case_for("优品数码旗舰店", 2);

	/* '%' and '_' and '\' are the typed characters, not wildcards. */
	assert_int_equal(wq_intake_merchants(F.store, "50%", m, 10, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].name, "50%折扣店");
	assert_int_equal(wq_intake_merchants(F.store, "5_0", m, 10, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].name, "5_0折扣店");
	assert_int_equal(wq_intake_merchants(F.store, "%", m, 10, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(wq_intake_merchants(F.store, "_", m, 10, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(wq_intake_merchants(F.store, "a\\b", m, 10, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].name, "a\\b杂货铺");
	assert_int_equal(wq_intake_merchants(F.store, "折扣店", m, 10, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, 3);

	/* Starts-with first, then most complaints. */
	assert_int_equal(wq_intake_merchants(F.store, "优品", m, 10, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, 3);
	assert_string_equal(m[0].name, "优品数码旗舰店");
	assert_string_equal(m[1].name, "优品生活馆");
	assert_string_equal(m[2].name, "数码优品店");
	assert_int_equal(m[2].complaints, 3);

	/* At most max, at most 10 by default. */
	for (int i = 0; i < 12; i++) {
		char name[64];

		snprintf(name, sizeof(name), "连锁便利店%02d号", i);
		add_case_for(name, i % 3 + 1);
	}
	assert_int_equal(wq_intake_merchants(F.store, "连锁", m, 0, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, 10);
	assert_int_equal(m[0].complaints, 3);
	assert_int_equal(m[7].complaints, 2);
	assert_int_equal(m[8].complaints, 1);
	assert_int_equal(wq_intake_merchants(F.store, "连锁", m, 5, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, 5);
	assert_int_equal(wq_intake_merchants(F.store, "", m, 5, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, 0);
}

/* ---- the save ---- */

static void test_save_one_transaction(void **state)
{
	struct wq_intake in = valid();
	const char *utf8 = "买家：屏幕有划痕\n卖家：不支持退款\n";
	char *gb = NULL, number[32];
	size_t gblen = 0;
	int64_t id = 0, cases, evidence, numbers;
	struct wq_intake_file files[2];
	struct wq_intake_extra x = {0};
	char *s;

	(void)state;
	assert_int_equal(wq_enc_from_utf8(utf8, strlen(utf8), WQ_ENC_GB18030,
					  &gb, &gblen),
			 WQ_ERR_OK);
	memset(files, 0, sizeof(files));
	files[0].file_name = "chat.txt";
	files[0].bytes = gb;
	files[0].len = gblen;
	files[0].kind = "chat";
	files[1].file_name = "receipt.txt";
	files[1].bytes = gb;
	files[1].len = gblen;
	files[1].kind = "voucher";
	files[1].encoding = "utf-8"; /* a wrong override: it is GB18030 */
	x.files = files;
	x.nfiles = 2;
	x.materials = WQ_MATERIAL(VOUCHER) | WQ_MATERIAL(ID);

	in.consumer_name = "钱保存";
	in.consumer_phone = "13912345678";
	cases = q_int("SELECT count(*) FROM cases");
	evidence = q_int("SELECT count(*) FROM evidence");
	numbers = q_int("SELECT coalesce(sum(last), 0) FROM case_numbers");
	assert_int_equal(wq_intake_save(F.store, &F.desk, &in, &x, &id,
					number),
			 WQ_ERR_ENCODING);
	assert_non_null(strstr(wq_err_detail(), "receipt.txt"));
	/* Nothing saved half: no case, no evidence, no number used. */
	assert_int_equal(q_int("SELECT count(*) FROM cases"), cases);
	assert_int_equal(q_int("SELECT count(*) FROM evidence"), evidence);
	assert_int_equal(q_int("SELECT coalesce(sum(last), 0) FROM"
			       " case_numbers"),
			 numbers);
	assert_int_equal(q_int("SELECT count(*) FROM consumers WHERE"
			       " name = '钱保存'"),
			 0);

	files[1].encoding = NULL;
	assert_int_equal(wq_intake_save(F.store, &F.desk, &in, &x, &id,
					number),
			 WQ_ERR_OK);
	assert_true(id > 0);
	assert_int_equal(strncmp(number, "WQ-2026-", 8), 0);
	assert_int_equal(q_int("SELECT count(*) FROM evidence"), evidence + 2);
	s = q_text("SELECT group_concat(encoding || ':' || kind, ' ') FROM"
		   " (SELECT * FROM evidence WHERE case_id = (SELECT id FROM"
		   " cases WHERE number = ?1) ORDER BY id) AS e",
		   number);
	assert_string_equal(s, "gb18030:chat gb18030:voucher");
	free(s);
	s = q_text("SELECT text FROM evidence WHERE file_name = 'chat.txt'"
		   " AND case_id = (SELECT id FROM cases WHERE number = ?1)",
		   number);
	assert_string_equal(s, utf8);
	free(s);
	s = q_text("SELECT json_extract(details, '$.args.argv') FROM events"
		   " WHERE action = 'intake' AND case_id = (SELECT id FROM"
		   " cases WHERE number = ?1)",
		   number);
	assert_string_equal(s, "[\"voucher\",\"id\"]");
	free(s);
	free(gb);
}

/* ---- the receipt ---- */

static void test_receipt(void **state)
{
	struct wq_intake in = valid();
	struct wq_intake_file file = {0};
	struct wq_intake_extra x = {0};
	const char *bytes = "订单号 2026091012345 实付 1299.00 元\n";
	char number[32], *text = NULL, *sha, *out = NULL;
	size_t len = 0;
	int64_t id;
	struct wq_ruling r = {.action = "not-accept", .argc = 2};
	struct wq_ruling_result res;
	const char *argv[] = {"materials-missing", "请补交购物凭证"};

	(void)state;
	file.file_name = "order.txt";
	file.bytes = bytes;
	file.len = strlen(bytes);
	file.kind = "order";
	x.files = &file;
	x.nfiles = 1;
	x.materials = WQ_MATERIAL(ORDER) | WQ_MATERIAL(ID);
	in.consumer_name = "孙回执";
	in.consumer_phone = "13812345678";
	in.consumer_id_number = "11010519491231002X";
	assert_int_equal(wq_intake_save(F.store, &F.desk, &in, &x, &id,
					number),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_set_setting(F.store, "org_name",
					      "某市消费者协会"),
			 WQ_ERR_OK);
	assert_int_equal(wq_receipt_text(F.store, &F.desk, number, &text),
			 WQ_ERR_OK);
	assert_non_null(strstr(text, "投诉登记回执"));
	assert_non_null(strstr(text, "某市消费者协会"));
	assert_non_null(strstr(text, number));
	/* Received 2026-09-24T02:00Z is 10:00 in Beijing. */
	assert_non_null(strstr(text, "2026年09月24日 10:00"));
	assert_non_null(strstr(text, "孙回执"));
	assert_non_null(strstr(text, "*******5678"));
	assert_null(strstr(text, "13812345678"));
	assert_non_null(strstr(text, "**************002X"));
	assert_null(strstr(text, "11010519491231002X"));
	assert_non_null(strstr(text, "优品数码旗舰店"));
	assert_non_null(strstr(text, "2026091012345"));
	assert_non_null(strstr(text, "1299.00 元"));
	assert_non_null(strstr(text, "退款"));
	assert_non_null(strstr(text, "产品质量"));
	sha = q_text("SELECT substr(sha256, 1, 16) FROM evidence WHERE"
		     " case_id = (SELECT id FROM cases WHERE number = ?1)",
		     number);
	assert_non_null(sha);
	assert_non_null(strstr(text, sha));
	assert_non_null(strstr(text, "order.txt"));
	assert_non_null(strstr(text, "订单记录 已出示"));
	assert_non_null(strstr(text, "购物凭证或发票 未出示"));
	/* The acceptance clock: 7 working days from Thursday 2026-09-24,
	 * over the National Day holidays. */
	assert_non_null(strstr(text, "7个工作日"));
	assert_non_null(strstr(text, "最迟于"));
	assert_null(strstr(text, "不予受理告知书"));
	free(sha);

	/* The desk's charset. */
	assert_int_equal(wq_receipt_encode(text, "GB18030", &out, &len),
			 WQ_ERR_OK);
	assert_int_equal(wq_enc_detect(out, len), WQ_ENC_GB18030);
	{
		char *back = NULL;

		assert_int_equal(wq_enc_to_utf8(out, len, WQ_ENC_GB18030, &back,
						NULL),
				 WQ_ERR_OK);
		assert_string_equal(back, text);
		free(back);
	}
	free(out);
	assert_int_equal(wq_receipt_encode(text, "UTF-8", &out, &len),
			 WQ_ERR_OK);
	assert_string_equal(out, text);
	free(out);
	assert_int_equal(wq_receipt_encode(text, "ANSI_X3.4-1968", &out, &len),
			 WQ_ERR_OK);
	assert_string_equal(out, text);
	free(out);
	assert_int_equal(wq_receipt_encode(text, "BIG5-HKSCS", &out, &len),
			 WQ_ERR_ENCODING);
	assert_null(out);
	free(text);

	/* Not accepted: the notice cites the ground and art. 39. */
	r.argv = argv;
	assert_int_equal(wq_rule(F.store, &F.sam, number, &r, &res), WQ_ERR_OK);
	assert_int_equal(wq_receipt_text(F.store, &F.desk, number, &text),
			 WQ_ERR_OK);
	assert_non_null(strstr(text, "不予受理告知书"));
	assert_non_null(strstr(text, wq_receipt_ground("materials-missing")));
	assert_non_null(strstr(text, "未按要求提供必要的投诉材料"));
	/* The fields the rule requires that the case lacks, not the
	 * evidence of the desk's checklist. */
	assert_non_null(strstr(text, "未提供的材料：投诉人通讯地址、被投诉人地址"));
	assert_null(strstr(strstr(text, "不予受理告知书"), "聊天记录"));
	assert_non_null(strstr(text, "请补交购物凭证"));
	assert_non_null(strstr(text, "第三十九条"));
	assert_non_null(strstr(text, "向人民法院提起诉讼"));
	free(text);

	/* Every ground has its text; unknown codes have none. */
	for (int i = 0; wq_not_accept_reasons[i]; i++)
		assert_non_null(wq_receipt_ground(wq_not_accept_reasons[i]));
	assert_null(wq_receipt_ground("no-such-ground"));

	/* Someone else's desk does not read it. */
	{
		struct wq_user other;

		assert_int_equal(add_user("desk2", WQ_ROLE_DESK, "desk2",
					  &other),
				 0);
		assert_int_equal(wq_receipt_text(F.store, &other, number,
						 &text),
				 WQ_ERR_DENIED);
		assert_null(text);
	}
	assert_int_equal(wq_receipt_text(F.store, &F.desk, "WQ-1999-000001",
					 &text),
			 WQ_ERR_NOT_FOUND);
}

/* ---- files ---- */

static void test_files(void **state)
{
	char path[256], *data = NULL;
	size_t len = 0;
	struct stat sb;
	mode_t old_mask;

	(void)state;
	snprintf(path, sizeof(path), "%s/file.txt", F.dir);
	old_mask = umask(0);
	assert_int_equal(wq_intake_write_file(path, "abc", 3, false),
			 WQ_ERR_OK);
	umask(old_mask);
	/* Personal data: the user's alone, whatever the umask. */
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(wq_intake_write_file(path, "xyz", 3, false),
			 WQ_ERR_EXISTS);
	assert_int_equal(wq_intake_read_file(path, 100, &data, &len),
			 WQ_ERR_OK);
	assert_int_equal(len, 3);
	assert_string_equal(data, "abc");
	free(data);
	assert_int_equal(wq_intake_write_file(path, "wxyz", 4, true),
			 WQ_ERR_OK);
	assert_int_equal(wq_intake_read_file(path, 3, &data, &len),
			 WQ_ERR_INVALID);
	assert_null(data);
	assert_int_equal(wq_intake_read_file(F.dir, 100, &data, &len),
			 WQ_ERR_INVALID);
	snprintf(path, sizeof(path), "%s/missing.txt", F.dir);
	assert_int_equal(wq_intake_read_file(path, 100, &data, &len),
			 WQ_ERR_IO);
	assert_non_null(strstr(wq_err_detail(), "missing.txt"));
	assert_int_equal(wq_intake_read_file("/dev/zero", 100, &data, &len),
			 WQ_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_valid),
		cmocka_unit_test(test_check_all_at_once),
		cmocka_unit_test(test_check_fields),
		cmocka_unit_test(test_check_statement_length),
		cmocka_unit_test(test_check_warnings_and_amount),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_history_needs_id_number_role),
		cmocka_unit_test(test_merchants),
		cmocka_unit_test(test_save_one_transaction),
		cmocka_unit_test(test_receipt),
		cmocka_unit_test(test_files),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("intake", tests, group_setup,
					   group_teardown);
}
