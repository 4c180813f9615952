/* Unit tests of documents (src/document.c): the shipped grounds cover
 * every reason code of the rulings in both languages and both regimes,
 * the text form's lines follow the rules of Chinese line breaking and fit
 * 72 columns, optional lines drop out, an administrator's template wins and
 * a broken one is refused naming its line. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "weiquan/case.h"
#include "weiquan/document.h"
#include "weiquan/encoding.h"
#include "weiquan/err.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/user.h"
#include "weiquan/vocab.h"
#include "tests/unit/fixture.h"

#define NOW "2026-03-10T02:00:00Z"

static struct {
	char dir[64];
	char path[128];
	char data[512], override[128];
	struct wq_store *store;
	struct wq_user admin, alice;
	struct wq_document_dirs dirs;
} F;

static int group_setup(void **state)
{
	(void)state;
	if (fixture_open("document", NOW, F.dir, F.path, &F.store, &F.admin))
		return -1;
	if (fixture_add_user(F.store, &F.admin, "alice", WQ_ROLE_MEDIATOR,
			     "李明", &F.alice))
		return -1;
	snprintf(F.data, sizeof(F.data), "%s/data", fixture_srcdir());
	snprintf(F.override, sizeof(F.override), "%s/etc", F.dir);
	F.dirs.data = F.data;
	F.dirs.override = F.override;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	wq_store_close(&F.store);
	fixture_remove_dir(F.dir);
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* ---- the grounds ---- */

static void has_ground(const char *text, const char *file, const char *kind,
		       const char *regime, const char *code)
{
	char want[160];

	snprintf(want, sizeof(want), "\n%s | %s | %s | ", kind, regime, code);
	if (!strstr(text, want))
		fail_msg("%s: no line for %s %s %s", file, kind, regime, code);
}

static void test_grounds_cover_every_code(void **state)
{
	static const char *const langs[] = {"zh_CN", "zh_TW"};
	static const char *const regimes[] = {"samr-order-20",
					      "samr-order-121"};
	static const char *const endings[] = {"withdrawn", "settled"};

	(void)state;
	for (size_t l = 0; l < 2; l++) {
		char path[640];
		char *text;

		snprintf(path, sizeof(path), "%s/documents/%s/grounds.txt",
			 F.data, langs[l]);
		text = slurp(path);
		for (size_t r = 0; r < 2; r++) {
			const char *codes[64];

			/* Each regime's own grounds (Order No. 121 names
			 * some that Order No. 20 does not). */
			wq_action_reasons(wq_action_find("not-accept"),
					  regimes[r], codes, 64);
			for (int i = 0; codes[i]; i++)
				has_ground(text, path, "not-accept",
					   regimes[r], codes[i]);
			wq_action_reasons(wq_action_find("end"), regimes[r],
					  codes, 64);
			for (int i = 0; codes[i]; i++)
				has_ground(text, path, "end", regimes[r],
					   codes[i]);
			for (size_t i = 0; i < 2; i++)
				has_ground(text, path, "end", regimes[r],
					   endings[i]);
		}
		free(text);
	}
}

/* The reasons the notices of an IP notice not acted on and of a
 * diversion dispute's outcome give are named in both languages' terms,
 * never printed as codes. */
static void test_terms_name_every_reason_a_notice_gives(void **state)
{
	static const char *const langs[] = {"zh_CN", "zh_TW"};
	static const char *const ip_reject[] = {WQ_IP_REJECT_LIST(WQ_CODE)
						    NULL};
	static const char *const dismiss[] = {
	    WQ_DIVERSION_DISMISS_LIST(WQ_CODE) NULL};
	static const struct {
		const char *group;
		const char *const *codes;
	} lists[] = {{"ip-reject", ip_reject}, {"diversion-dismiss", dismiss}};

	(void)state;
	for (size_t l = 0; l < 2; l++) {
		char path[640], want[160];
		char *text;

		snprintf(path, sizeof(path), "%s/documents/%s/terms.txt",
			 F.data, langs[l]);
		text = slurp(path);
		for (size_t g = 0; g < sizeof(lists) / sizeof(lists[0]); g++)
			for (int i = 0; lists[g].codes[i]; i++) {
				snprintf(want, sizeof(want), "\n%s.%s = ",
					 lists[g].group, lists[g].codes[i]);
				if (!strstr(text, want))
					fail_msg("%s: no term for %s.%s", path,
						 lists[g].group,
						 lists[g].codes[i]);
			}
		free(text);
	}
}

/* ---- rendering ---- */

static int64_t add_case(const char *phone, const char *statement,
			char number[32])
{
	struct wq_intake in = {
		.type = "complaint",
		.category = "quality",
		.consumer_name = "张三",
		.consumer_phone = phone,
		.merchant_name = "优品数码旗舰店",
		.statement = statement,
	};
	int64_t id = 0;

	assert_int_equal(wq_case_create(F.store, &F.admin, &in, &id, number),
			 WQ_ERR_OK);
	return id;
}

static void rule(const char *number, const char *action, int argc,
		 const char *const *argv)
{
	struct wq_ruling r = {.action = action, .argc = argc, .argv = argv};
	struct wq_ruling_result res;

	if (wq_rule(F.store, &F.alice, number, &r, &res) != WQ_ERR_OK)
		fail_msg("%s: %s", action, wq_err_detail());
}

static char *render(int64_t id, enum wq_document_kind kind)
{
	struct wq_document *doc = NULL;
	char *text;

	if (wq_document_render(F.store, &F.dirs, id, kind, "zh_CN", NOW,
			       "〔2026〕1号", &doc) != WQ_ERR_OK)
		fail_msg("render: %s", wq_err_detail());
	text = wq_document_text(doc);
	wq_document_free(&doc);
	assert_null(doc);
	return text;
}

static int columns(const char *s, size_t len)
{
	int w = 0;

	for (size_t i = 0; i < len;) {
		uint32_t c = 0;
		size_t n = wq_utf8_decode(s + i, len - i, &c);

		if (!n)
			n = 1;
		w += (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xFF00 && c <= 0xFF60)
			     ? 2
			     : 1;
		i += n;
	}
	return w;
}

static bool starts_with_any(const char *s, const char *const *marks)
{
	for (; *marks; marks++)
		if (strncmp(s, *marks, strlen(*marks)) == 0)
			return true;
	return false;
}

static void test_text_breaks_lines_by_the_rules(void **state)
{
	static const char *const closing[] = {"，", "。", "；", "：", "、",
					      "）", "》", NULL};
	char number[32], line[512];
	const char *argv[2];
	char *text;
	int64_t id;

	(void)state;
	/* Commas and brackets at every position a line could end on. */
	id = add_case("13812345678",
		      "屏幕，划痕（严重）。屏幕，划痕（严重）。屏幕，划痕（严"
		      "重）。屏幕，划痕（严重）。屏幕，划痕（严重）。屏幕，划"
		      "痕（严重）。订单号TB2026-0012345-ABCDEFG，要求退款。",
		      number);
	rule(number, "claim", 0, NULL);
	rule(number, "screen", 0, NULL);
	argv[0] = "materials-missing";
	argv[1] = "屏幕，划痕（严重）。屏幕，划痕（严重）。屏幕，划痕（严重）"
		  "。屏幕，划痕（严重）。订单号TB2026-0012345-ABCDEFG。";
	rule(number, "not-accept", 2, argv);
	text = render(id, WQ_DOC_NOT_ACCEPTED);
	assert_non_null(strstr(text, "不予受理告知书"));
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		/* Closing punctuation may hang one character past 72. */
		assert_in_range(columns(p, n), 0, 74);
		if (starts_with_any(line, closing))
			fail_msg("a line starts with closing punctuation: %s",
				 line);
		if (n >= 3 && strcmp(line + n - 3, "（") == 0)
			fail_msg("a line ends with an opening bracket: %s",
				 line);
		p += n + (p[n] == '\n');
	}
	assert_non_null(strstr(text, "TB2026-0012345-ABCDEFG"));
	assert_non_null(strstr(text, number));
	free(text);
}

/* A number that ends on the margin, then a bracket and a comma: one mark
 * may hang past column 72, not both; the number goes to the next line. */
static void test_closing_marks_after_a_number_hang_one(void **state)
{
	char number[32];
	const char *argv[2];
	char *text;
	int64_t id;

	(void)state;
	id = add_case("13812345678", "屏幕有划痕", number);
	rule(number, "claim", 0, NULL);
	argv[0] = "other";
	/* "　　说明：" takes 10 columns, the 24 characters 48, the number
	 * 14: it ends on column 72. */
	argv[1] = "屏幕划痕严重屏幕划痕严重屏幕划痕严重屏幕划痕严重"
		  "WQ-2026-000001），要求退款。";
	rule(number, "not-accept", 2, argv);
	text = render(id, WQ_DOC_NOT_ACCEPTED);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");

		assert_in_range(columns(p, n), 0, 74);
		p += n + (p[n] == '\n');
	}
	assert_non_null(strstr(text, "\nWQ-2026-000001），要求退款。"));
	free(text);
}

static void test_optional_lines_drop_out(void **state)
{
	char number[32];
	char *text;
	int64_t id;

	(void)state;
	id = add_case("", "没有留电话的投诉", number);
	text = render(id, WQ_DOC_RECEIPT);
	assert_null(strstr(text, "联系电话"));
	assert_non_null(strstr(text, "投诉人：张三"));
	free(text);
	id = add_case("13812345678", "留了电话的投诉", number);
	text = render(id, WQ_DOC_RECEIPT);
	assert_non_null(strstr(text, "联系电话：*******5678"));
	assert_null(strstr(text, "13812345678"));
	free(text);
}

static void test_what_a_case_cannot_issue_is_refused(void **state)
{
	struct wq_document *doc = NULL;
	char number[32];
	unsigned kinds = 0;
	int64_t id;

	(void)state;
	id = add_case("", "刚登记的投诉", number);
	assert_int_equal(wq_document_available(F.store, &F.alice, number,
					       &kinds),
			 WQ_ERR_OK);
	assert_int_equal(kinds, 1u << WQ_DOC_RECEIPT);
	assert_int_equal(wq_document_render(F.store, &F.dirs, id,
					    WQ_DOC_AGREEMENT, "zh_CN", NOW,
					    "1", &doc),
			 WQ_ERR_BAD_STATUS);
	assert_null(doc);
	assert_int_equal(wq_document_render(F.store, &F.dirs, id,
					    WQ_DOC_RECEIPT, "fr", NOW, "1",
					    &doc),
			 WQ_ERR_INVALID);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_an_administrators_template_wins(void **state)
{
	char dir[256], path[320], number[32];
	struct wq_document *doc = NULL;
	char *text;
	int64_t id;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/zh_CN", F.override);
	mkdir(F.override, 0700);
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/receipt.txt", dir);
	write_file(path, "abbr 登\ntitle 本会回执\ntext {complainant}，案号"
			 "{case_number}\n?text 未定义：{no_such_value}\n");
	id = add_case("", "本会模板", number);
	text = render(id, WQ_DOC_RECEIPT);
	assert_non_null(strstr(text, "本会回执"));
	assert_non_null(strstr(text, number));
	assert_null(strstr(text, "未定义"));
	free(text);

	write_file(path, "title 回执\nstamp {org}\n");
	assert_int_equal(wq_document_render(F.store, &F.dirs, id,
					    WQ_DOC_RECEIPT, "zh_CN", NOW, "1",
					    &doc),
			 WQ_ERR_PARSE);
	assert_non_null(strstr(wq_err_detail(), "line 2"));
	assert_non_null(strstr(wq_err_detail(), "stamp"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grounds_cover_every_code),
		cmocka_unit_test(test_terms_name_every_reason_a_notice_gives),
		cmocka_unit_test(test_text_breaks_lines_by_the_rules),
		cmocka_unit_test(test_closing_marks_after_a_number_hang_one),
		cmocka_unit_test(test_optional_lines_drop_out),
		cmocka_unit_test(test_what_a_case_cannot_issue_is_refused),
		cmocka_unit_test(test_an_administrators_template_wins),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
