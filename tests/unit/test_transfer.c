/* Unit tests of import and export (src/transfer.c): content of both
 * formats, masking, byte-identical round trips, legacy encodings, and
 * errors that name the file, line and field and import nothing. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store_sqlite.h"
#include "weiquan/case.h"
#include "weiquan/store.h"
#include "weiquan/transfer.h"
#include "weiquan/user.h"
#include "tests/unit/fixture.h"

struct fx {
	char dir[64];
	struct wq_store *store;
	struct wq_user admin;
};

static const char header[] =
	"number,type,category,region,status,substate,assignee,received_at,"
	"consumer_name,consumer_phone,consumer_id_number,merchant_name,"
	"merchant_platform,merchant_shop_id,merchant_region,order_no,amount,"
	"order_date,remedy,statement";

/* Statements and names with everything CSV and JSON must escape. */
static const char statement1[] =
	"买的手机是假货，商家说\"不退\"。\n第二行：要求退款 😡, 谢谢";
static const char statement2[] = "line one\r\nline \"two\", with comma";
static const char statement3[] = "  leading spaces, 🧧 emoji\tand tab ";

static char *path_in(struct fx *fx, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", fx->dir, name) < 0)
		abort();
	return p;
}

static void open_db(struct fx *fx, const char *name, struct wq_store **store,
		    struct wq_user *admin)
{
	char *path = path_in(fx, name);
	bool created;

	assert_int_equal(wq_store_open(path, WQ_OPEN_INIT, store), WQ_ERR_OK);
	assert_int_equal(wq_user_bootstrap(*store, "admin", &created),
			 WQ_ERR_OK);
	assert_int_equal(wq_user_lookup(*store, "admin", admin), WQ_ERR_OK);
	free(path);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	setenv("WEIQUAN_NOW", "2026-03-02T09:00:00Z", 1);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/wq-transfer-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	open_db(fx, "a.db", &fx->store, &fx->admin);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	wq_store_close(&fx->store);
	fixture_remove_dir(fx->dir);
	free(fx);
	return 0;
}

static void add_cases(struct fx *fx)
{
	struct wq_intake in[] = {
		{
			.type = "complaint", .category = "quality",
			.region = "广东省深圳市", .consumer_name = "张三",
			.consumer_phone = "13812345678",
			.consumer_id_number = "110101199003077777",
			.merchant_name = "优品, \"旗舰\"店",
			.merchant_platform = "淘宝", .merchant_shop_id = "12345",
			.merchant_region = "浙江省杭州市",
			.order_no = "TB2026-0001", .amount_fen = 129900,
			.order_date = "2026-02-14", .remedy = "refund",
			.statement = statement1,
			.received_at = "2026-02-20T08:30:00Z",
			.received_at_reason = "migrated from the old system",
		},
		{
			.type = "ip", .category = "counterfeit",
			.consumer_name = "李四 ", .merchant_name = "Acme Co.",
			.amount_fen = 5, .statement = statement2,
			.received_at = "2026-02-21T10:00:00Z",
			.received_at_reason = "migrated from the old system",
		},
		{
			.type = "complaint", .category = "delivery",
			.region = "北京市", .consumer_name = "王五😀",
			.consumer_phone = "139-0000-1111",
			.merchant_name = "京东自营", .amount_fen = 100,
			.statement = statement3,
			.status = "accepted", .assignee = "admin",
			.received_at = "2026-02-22T11:00:00Z",
			.received_at_reason = "migrated from the old system",
		},
	};
	char number[32];
	int64_t id;

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		assert_int_equal(wq_case_create(fx->store, &fx->admin, &in[i],
						&id, number),
				 WQ_ERR_OK);
}

/* Export into a malloc'd string. */
static char *export_str(struct wq_store *store, const struct wq_user *actor,
			const struct wq_filter *filter, const char *format,
			const char *encoding, int *count, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	enum wq_err err;

	assert_non_null(f);
	err = wq_transfer_export(store, actor, filter, format, encoding, f,
				 count);
	fclose(f);
	if (err)
		fail_msg("export: %s: %s", wq_strerror(err), wq_err_detail());
	if (len)
		*len = n;
	return buf;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static char *convert(const char *to, const char *utf8, size_t *outlen)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	size_t inleft = strlen(utf8), cap = inleft * 4 + 16, outleft = cap;
	char *out = malloc(cap), *in = (char *)utf8, *o = out;

	assert_true(cd != (iconv_t)-1);
	assert_int_not_equal(iconv(cd, &in, &inleft, &o, &outleft),
			     (size_t)-1);
	iconv_close(cd);
	*outlen = cap - outleft;
	return out;
}

static int count_cases(struct wq_store *store)
{
	sqlite3_stmt *st;
	int n;

	assert_int_equal(sqlite3_prepare_v2(wq_store_sqlite(store),
					    "SELECT count(*) FROM cases", -1,
					    &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* A one-value query on the store, as a malloc'd string. */
static char *query1(struct wq_store *store, const char *sql)
{
	sqlite3_stmt *st;
	char *v;

	assert_int_equal(sqlite3_prepare_v2(wq_store_sqlite(store), sql, -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static enum wq_err import(struct fx *fx, const char *name, const void *data,
			  size_t len, const char *format, const char *encoding,
			  struct wq_import_result *res)
{
	char *path = path_in(fx, name);
	struct wq_import_opts o = {.path = path, .format = format,
				   .encoding = encoding,
				   .reason = "migrated from the old system"};
	enum wq_err err;

	write_file(path, data, len);
	err = wq_transfer_import(fx->store, &fx->admin, &o, res);
	free(path);
	return err;
}

/* The detail of the last error, with the temp dir cut off the path. */
static const char *detail_rel(struct fx *fx)
{
	const char *d = wq_err_detail();
	size_t n = strlen(fx->dir);

	if (strncmp(d, fx->dir, n) == 0 && d[n] == '/')
		return d + n + 1;
	return d;
}

static const char record1[] =
	"WQ-2026-000001,complaint,quality,广东省深圳市,received,,,"
	"2026-02-20T08:30:00Z,张三,13812345678,110101199003077777,"
	"\"优品, \"\"旗舰\"\"店\",淘宝,12345,浙江省杭州市,TB2026-0001,"
	"1299.00,2026-02-14,refund,"
	"\"买的手机是假货，商家说\"\"不退\"\"。\n第二行：要求退款 😡, 谢谢\""
	"\r\n";

static void test_export_csv(void **state)
{
	struct fx *fx = *state;
	int count = -1;
	char *out, *line2;

	add_cases(fx);
	out = export_str(fx->store, &fx->admin, NULL, "csv", NULL, &count,
			 NULL);
	assert_int_equal(count, 3);
	assert_memory_equal(out, header, strlen(header));
	assert_memory_equal(out + strlen(header), "\r\n", 2);
	line2 = out + strlen(header) + 2;
	assert_memory_equal(line2, record1, strlen(record1));
	assert_non_null(strstr(out, ",\"李四 \",,,Acme Co.,,,,,0.05,,,"
				    "\"line one\r\nline \"\"two\"\", with "
				    "comma\"\r\n"));
	assert_non_null(strstr(out, "WQ-2026-000003,complaint,delivery,北京市,"
				    "accepted,,admin,"));
	assert_non_null(strstr(out, ",1.00,,,\"  leading spaces, 🧧 emoji\t"
				    "and tab \"\r\n"));
	free(out);
}

static void test_export_json(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db;
	sqlite3_stmt *st;
	int count = -1;
	char *out;

	add_cases(fx);
	out = export_str(fx->store, &fx->admin, NULL, "json", NULL, &count,
			 NULL);
	assert_int_equal(count, 3);
	assert_memory_equal(out, "[\n{\"number\":\"WQ-2026-000001\",",
			    strlen("[\n{\"number\":\"WQ-2026-000001\","));
	assert_string_equal(out + strlen(out) - 4, "}\n]\n");
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(db,
				   "SELECT json_valid(?1), json_array_length(?1),"
				   " json_extract(?1, '$[0].amount_fen'),"
				   " json_type(?1, '$[0].amount_fen'),"
				   " json_extract(?1, '$[0].statement'),"
				   " json_extract(?1, '$[0].merchant_name'),"
				   " json_extract(?1, '$[1].statement'),"
				   " json_extract(?1, '$[2].assignee'),"
				   " (SELECT group_concat(key) FROM"
				   "  json_each(?1, '$[0]'))",
				   -1, &st, NULL),
		SQLITE_OK);
	sqlite3_bind_text(st, 1, out, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	assert_int_equal(sqlite3_column_int(st, 1), 3);
	assert_int_equal(sqlite3_column_int64(st, 2), 129900);
	assert_string_equal(sqlite3_column_text(st, 3), "integer");
	assert_string_equal(sqlite3_column_text(st, 4), statement1);
	assert_string_equal(sqlite3_column_text(st, 5), "优品, \"旗舰\"店");
	assert_string_equal(sqlite3_column_text(st, 6), statement2);
	assert_string_equal(sqlite3_column_text(st, 7), "admin");
	assert_string_equal(
		sqlite3_column_text(st, 8),
		"number,type,category,region,status,substate,assignee,"
		"received_at,consumer_name,consumer_phone,consumer_id_number,"
		"merchant_name,merchant_platform,merchant_shop_id,"
		"merchant_region,order_no,amount_fen,order_date,remedy,"
		"statement");
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(out);
}

static void test_export_empty(void **state)
{
	struct fx *fx = *state;
	int count = -1;
	char *out;

	out = export_str(fx->store, &fx->admin, NULL, "json", NULL, &count,
			 NULL);
	assert_int_equal(count, 0);
	assert_string_equal(out, "[]\n");
	free(out);
	out = export_str(fx->store, &fx->admin, NULL, NULL, NULL, &count,
			 NULL);
	assert_int_equal(count, 0);
	assert_int_equal(strlen(out), strlen(header) + 2);
	free(out);
}

static void test_export_masks_personal_data(void **state)
{
	struct fx *fx = *state;
	struct wq_user med, sup;
	char *out;

	add_cases(fx);
	assert_int_equal(wq_user_add(fx->store, &fx->admin, "med",
				     WQ_ROLE_MEDIATOR, "M"),
			 WQ_ERR_OK);
	assert_int_equal(wq_user_add(fx->store, &fx->admin, "sup",
				     WQ_ROLE_SUPERVISOR, "S"),
			 WQ_ERR_OK);
	assert_int_equal(wq_user_lookup(fx->store, "med", &med), WQ_ERR_OK);
	assert_int_equal(wq_user_lookup(fx->store, "sup", &sup), WQ_ERR_OK);

	/* The mediator calls the parties but has no use for ID numbers
	 * (wq_role_sees_phone / wq_role_sees_id_number). */
	out = export_str(fx->store, &med, NULL, "csv", NULL, NULL, NULL);
	assert_non_null(strstr(out, ",张三,13812345678,1101************77,"));
	assert_null(strstr(out, "110101199003077777"));
	free(out);
	out = export_str(fx->store, &med, NULL, "json", NULL, NULL, NULL);
	assert_non_null(strstr(out,
			       "\"consumer_id_number\":\"1101************77\""));
	assert_null(strstr(out, "110101199003077777"));
	free(out);

	out = export_str(fx->store, &sup, NULL, "csv", NULL, NULL, NULL);
	assert_non_null(strstr(out, ",张三,13812345678,110101199003077777,"));
	free(out);
}

/* A desk sees in an export what it sees in the queue: its own intake. */
static void test_export_desk_sees_own_cases(void **state)
{
	struct fx *fx = *state;
	struct wq_user desk;
	struct wq_intake in = {
		.type = "complaint", .category = "other",
		.consumer_name = "赵六", .consumer_phone = "18600001234",
		.merchant_name = "小店", .statement = "柜台登记",
	};
	char number[32], *out;
	int64_t id;
	int count = -1;

	add_cases(fx);
	assert_int_equal(wq_user_add(fx->store, &fx->admin, "desk1",
				     WQ_ROLE_DESK, "D"),
			 WQ_ERR_OK);
	assert_int_equal(wq_user_lookup(fx->store, "desk1", &desk), WQ_ERR_OK);
	assert_int_equal(wq_case_create(fx->store, &desk, &in, &id, number),
			 WQ_ERR_OK);
	out = export_str(fx->store, &desk, NULL, "csv", NULL, &count, NULL);
	assert_int_equal(count, 1);
	assert_non_null(strstr(out, ",赵六,18600001234,,小店,"));
	assert_null(strstr(out, "张三"));
	free(out);
}

static void test_export_filters(void **state)
{
	struct fx *fx = *state;
	struct wq_filter f = {.category = "counterfeit"};
	int count = -1;
	char *out;

	add_cases(fx);
	out = export_str(fx->store, &fx->admin, &f, "csv", NULL, &count, NULL);
	assert_int_equal(count, 1);
	assert_non_null(strstr(out, "WQ-2026-000002,ip,counterfeit,"));
	assert_null(strstr(out, "WQ-2026-000001"));
	free(out);

	memset(&f, 0, sizeof(f));
	f.search = "假货";
	out = export_str(fx->store, &fx->admin, &f, "csv", NULL, &count, NULL);
	assert_int_equal(count, 1);
	assert_non_null(strstr(out, "WQ-2026-000001,"));
	free(out);

	memset(&f, 0, sizeof(f));
	f.assignee = "me";
	out = export_str(fx->store, &fx->admin, &f, "csv", NULL, &count, NULL);
	assert_int_equal(count, 1);
	assert_non_null(strstr(out, "WQ-2026-000003,"));
	free(out);

	memset(&f, 0, sizeof(f));
	f.status = "received";
	f.limit = 1;
	out = export_str(fx->store, &fx->admin, &f, "json", NULL, &count,
			 NULL);
	assert_int_equal(count, 1);
	assert_non_null(strstr(out, "WQ-2026-000001"));
	free(out);

	memset(&f, 0, sizeof(f));
	f.after = "x,1";
	assert_int_equal(wq_transfer_export(fx->store, &fx->admin, &f, "csv",
					    NULL, stdout, NULL),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_transfer_export(fx->store, &fx->admin, NULL,
					    "xml", NULL, stdout, NULL),
			 WQ_ERR_INVALID);
	assert_int_equal(wq_transfer_export(fx->store, &fx->admin, NULL,
					    "csv", "big5", stdout, NULL),
			 WQ_ERR_INVALID);
}

/* Export, import into a fresh database, export again: same bytes. */
static void round_trip(struct fx *fx, const char *format,
		       const char *encoding, const char *expect_encoding)
{
	struct wq_store *b;
	struct wq_user admin_b;
	struct wq_import_result res;
	struct wq_import_opts o;
	char *first, *second, *path, *name;
	size_t len1, len2;
	int count;
	enum wq_err err;

	add_cases(fx);
	first = export_str(fx->store, &fx->admin, NULL, format, encoding,
			   &count, &len1);
	assert_int_equal(count, 3);
	if (asprintf(&name, "export.%s", format) < 0)
		abort();
	path = path_in(fx, name);
	write_file(path, first, len1);

	open_db(fx, "b.db", &b, &admin_b);
	o = (struct wq_import_opts){.path = path, .encoding = "auto",
				    .reason = "round trip"};
	err = wq_transfer_import(b, &admin_b, &o, &res);
	if (err)
		fail_msg("import: %s: %s", wq_strerror(err), wq_err_detail());
	assert_int_equal(res.cases, 3);
	assert_string_equal(res.format, format);
	assert_string_equal(res.encoding, expect_encoding);
	assert_int_equal(count_cases(b), 3);

	second = export_str(b, &admin_b, NULL, format, encoding, &count,
			    &len2);
	assert_int_equal(count, 3);
	assert_int_equal(len1, len2);
	assert_memory_equal(first, second, len1);

	wq_store_close(&b);
	free(first);
	free(second);
	free(path);
	free(name);
}

static void test_round_trip_csv(void **state)
{
	round_trip(*state, "csv", NULL, "utf-8");
}

static void test_round_trip_json(void **state)
{
	round_trip(*state, "json", NULL, "utf-8");
}

static void test_round_trip_csv_gb18030(void **state)
{
	round_trip(*state, "csv", "gb18030", "gb18030");
}

static void test_round_trip_json_gb18030(void **state)
{
	round_trip(*state, "json", "gb18030", "gb18030");
}

static void test_export_gb18030_bytes(void **state)
{
	struct fx *fx = *state;
	char *utf8, *gb, *expect;
	size_t len, expect_len;

	add_cases(fx);
	utf8 = export_str(fx->store, &fx->admin, NULL, "csv", NULL, NULL,
			  NULL);
	gb = export_str(fx->store, &fx->admin, NULL, "csv", "gb18030", NULL,
			&len);
	expect = convert("GB18030", utf8, &expect_len);
	assert_int_equal(len, expect_len);
	assert_memory_equal(gb, expect, len);
	assert_null(strstr(gb, "张三"));
	free(utf8);
	free(gb);
	free(expect);
}

static const char legacy_simplified[] =
	"type,category,consumer_name,consumer_phone,merchant_name,"
	"merchant_region,amount,statement\n"
	"complaint,quality,张三丰,13900001111,杭州优品旗舰店,浙江省杭州市,"
	"88.50,\"购买的电饭煲使用三天后损坏，商家拒绝退货，要求退款。\"\n";

static const char legacy_traditional[] =
	"type,category,consumer_name,merchant_name,merchant_region,amount,"
	"statement\n"
	"complaint,refund,陳大文,臺北市網購商店,臺灣臺北市,1200,"
	"\"購買的電視機有問題，商家拒絕退貨，要求全額退款。這個價錢實在"
	"太貴了，請消費者文教基金會協助處理。\"\n";

static void test_import_gb18030(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
	size_t len;
	char *gb = convert("GB18030", legacy_simplified, &len), *v;

	assert_int_equal(import(fx, "desk.csv", gb, len, NULL, "auto", &res),
			 WQ_ERR_OK);
	assert_int_equal(res.cases, 1);
	assert_string_equal(res.encoding, "gb18030");
	assert_string_equal(res.format, "csv");
	v = query1(fx->store, "SELECT text FROM statements");
	assert_string_equal(v, "购买的电饭煲使用三天后损坏，商家拒绝退货，"
			       "要求退款。");
	free(v);
	v = query1(fx->store, "SELECT name || '|' || region FROM merchants");
	assert_string_equal(v, "杭州优品旗舰店|浙江省杭州市");
	free(v);
	v = query1(fx->store, "SELECT amount_fen || '|' || number FROM cases");
	assert_string_equal(v, "8850|WQ-2026-000001");
	free(v);
	free(gb);
}

static void test_import_big5(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
	size_t len;
	char *big5 = convert("BIG5", legacy_traditional, &len), *v;

	assert_int_equal(import(fx, "desk.csv", big5, len, NULL, NULL, &res),
			 WQ_ERR_OK);
	assert_int_equal(res.cases, 1);
	assert_string_equal(res.encoding, "big5");
	v = query1(fx->store, "SELECT name FROM consumers");
	assert_string_equal(v, "陳大文");
	free(v);
	v = query1(fx->store, "SELECT text FROM statements");
	assert_memory_equal(v, "購買的電視機有問題",
			    strlen("購買的電視機有問題"));
	free(v);
	v = query1(fx->store, "SELECT amount_fen FROM cases");
	assert_string_equal(v, "120000");
	free(v);
	free(big5);
}

static void test_import_given_encoding(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
	size_t len;
	char *gb = convert("GB18030", legacy_simplified, &len);

	assert_int_equal(import(fx, "desk.csv", gb, len, "csv", "gbk", &res),
			 WQ_ERR_OK);
	assert_string_equal(res.encoding, "gb18030");
	assert_int_equal(count_cases(fx->store), 1);
	free(gb);
}

static void test_import_wrong_encoding(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
	size_t len;
	char *gb = convert("GB18030", legacy_simplified, &len);

	assert_int_equal(import(fx, "desk.csv", gb, len, NULL, "utf-8", &res),
			 WQ_ERR_ENCODING);
	/* Where the file stops being UTF-8: line and field. */
	assert_memory_equal(detail_rel(fx), "desk.csv:2: field ",
			    strlen("desk.csv:2: field "));
	assert_non_null(strstr(wq_err_detail(), "not utf-8 as --encoding says"));
	assert_non_null(strstr(wq_err_detail(), "--encoding auto"));
	assert_int_equal(count_cases(fx->store), 0);

	assert_int_equal(import(fx, "desk.csv", gb, len, NULL, "latin-9",
				&res),
			 WQ_ERR_INVALID);
	free(gb);
}

static void test_import_utf8_bom(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
	char *text;

	if (asprintf(&text, "\xef\xbb\xbf%s", legacy_simplified) < 0)
		abort();
	assert_int_equal(import(fx, "bom.csv", text, strlen(text), NULL, NULL,
				&res),
			 WQ_ERR_OK);
	assert_int_equal(res.cases, 1);
	assert_string_equal(res.encoding, "utf-8-bom");
	free(text);
}

static const char bad_row[] =
	"type,category,consumer_name,merchant_name,amount,statement\n"
	"complaint,quality,甲,商店,10.00,\"第一行\n第二行\n第三行\"\n"
	"\n"
	"complaint,quality,乙,商店,\"12,5\",坏的金额\n"
	"complaint,quality,丙,商店,1,好的\n";

static void test_import_bad_row(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;

	add_cases(fx);
	assert_int_equal(import(fx, "cases.csv", bad_row, strlen(bad_row),
				NULL, NULL, &res),
			 WQ_ERR_PARSE);
	assert_string_equal(detail_rel(fx),
			    "cases.csv:6: field amount: \"12,5\" is not an "
			    "amount in yuan (like 1299.00)");
	assert_int_equal(res.cases, 0);
	assert_int_equal(count_cases(fx->store), 3);
}

static void test_import_rolls_back(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
	static const char dup[] =
		"number,type,category,consumer_name,merchant_name,statement\n"
		",complaint,quality,甲,商店,好的\n"
		"WQ-2026-000009,complaint,quality,乙,商店,好的\n"
		"WQ-2026-000002,complaint,quality,丙,商店,重复的编号\n";
	static const char bad_cat[] =
		"type,category,consumer_name,merchant_name,statement\n"
		"complaint,quality,甲,商店,好的\n"
		"complaint,furniture,乙,商店,好的\n";
	static const char who[] =
		"type,category,consumer_name,merchant_name,statement,assignee\n"
		"complaint,quality,甲,商店,好的,nobody\n";

	add_cases(fx);
	assert_int_equal(import(fx, "dup.csv", dup, strlen(dup), NULL, NULL,
				&res),
			 WQ_ERR_EXISTS);
	assert_string_equal(detail_rel(fx),
			    "dup.csv:4: field number: case WQ-2026-000002 "
			    "already exists");
	assert_int_equal(count_cases(fx->store), 3);

	assert_int_equal(import(fx, "cat.csv", bad_cat, strlen(bad_cat), NULL,
				NULL, &res),
			 WQ_ERR_PARSE);
	assert_string_equal(detail_rel(fx),
			    "cat.csv:3: field category: \"furniture\" is not a "
			    "category code");
	assert_int_equal(count_cases(fx->store), 3);

	assert_int_equal(import(fx, "who.csv", who, strlen(who), NULL, NULL,
				&res),
			 WQ_ERR_PARSE);
	assert_string_equal(detail_rel(fx),
			    "who.csv:2: field assignee: \"nobody\" is not a "
			    "weiquan user; add it first (weiquan user add)");
	assert_int_equal(count_cases(fx->store), 3);
}

static void test_import_field_checks(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
	static const struct {
		const char *csv, *detail;
	} t[] = {
		{"type,category,consumer_name,merchant_name,statement\n"
		 "complaint,quality,,商店,好的\n",
		 "f.csv:2: field consumer_name: is required"},
		{"type,category,consumer_name,merchant_name,statement,"
		 "order_date\n"
		 "complaint,quality,甲,商店,好的,2026-02-30\n",
		 "f.csv:2: field order_date: \"2026-02-30\" is not a date "
		 "(YYYY-MM-DD)"},
		{"type,category,consumer_name,merchant_name,statement,"
		 "received_at\n"
		 "complaint,quality,甲,商店,好的,2026-02-01 10:00\n",
		 "f.csv:2: field received_at: \"2026-02-01 10:00\" is not a "
		 "UTC time (YYYY-MM-DDTHH:MM:SSZ)"},
		{"type,category,consumer_name,merchant_name,statement\n"
		 "lawsuit,quality,甲,商店,好的\n",
		 "f.csv:2: field type: \"lawsuit\" is not one of: complaint "
		 "ip diversion report"},
		{"type,category,consumer_name,merchant_name,statement,amount\n"
		 "complaint,quality,甲,商店,好的,-3\n",
		 "f.csv:2: field amount: \"-3\" is not an amount in yuan "
		 "(like 1299.00)"},
		{"type,category,consumer_name,merchant_name,statement,amount\n"
		 "complaint,quality,甲,商店,好的,1.999\n",
		 "f.csv:2: field amount: \"1.999\" is not an amount in yuan "
		 "(like 1299.00)"},
		{"type,category,consumer_name,merchant_name,statement\n"
		 "complaint,quality,甲,商店\n",
		 "f.csv:2: 4 fields, but the header has 5 columns"},
		{"type,category,consumer_name,merchant_name,statement\n"
		 "complaint,quality,甲,商\"店,好的\n",
		 "f.csv:2: field merchant_name: malformed CSV: a double quote "
		 "may only open a field, close it, or be doubled inside a "
		 "quoted field"},
		{"type,category,consumer_name,merchant_name,statement\n"
		 "complaint,quality,甲,商店,好的\n"
		 "complaint,quality,甲,商店,\"never\nclosed\n",
		 "f.csv:3: field statement: a quoted field starts here and is "
		 "never closed"},
		/* The quote left open on line 2 is closed by the one that
		 * opens a field on line 4, where libcsv then stops. */
		{"type,category,consumer_name,merchant_name,statement\n"
		 "complaint,quality,甲,商店,\"left open\n"
		 "complaint,quality,乙,商店,好的\n"
		 "complaint,quality,丙,\"商店\",好的\n",
		 "f.csv:2: field statement: a quoted field starts here and is "
		 "not closed on its line (a closing quote missing?): the next "
		 "quote, on line 4, is followed by more text"},
		{"type,category,consumer_name,merchant_name,statement,amount\n"
		 "complaint,quality,甲,商店,好的,100000000.01\n",
		 "f.csv:2: field amount: \"100000000.01\" is more than "
		 "100000000 yuan"},
		{"type,category,consumer_name,merchant_name,statement,amount\n"
		 "complaint,quality,甲,商店,好的,9999999999999\n",
		 "f.csv:2: field amount: \"9999999999999\" is not an amount in "
		 "yuan (like 1299.00)"},
		{"type,category,consumer_name,merchant_name,statement,amount\n"
		 "complaint,quality,甲,商店,好的,\x1b[2J\n",
		 "f.csv:2: field amount: \"?[2J\" is not an amount in yuan "
		 "(like 1299.00)"},
		{"type,category,consumer_name,merchant_name,statement,amount\n"
		 "complaint,quality,甲,商店,好的,"
		 "一二三四五六七八九十一二三四五六七八九十一二三四五\n",
		 "f.csv:2: field amount: \"一二三四五六七八九十一二三四五六七八九"
		 "十...\" is not an amount in yuan (like 1299.00)"},
		{"type,category,consumer_name,merchant_name,statement\n"
		 "complaint,quality,甲,商店,好的,\n",
		 "f.csv:2: 6 fields, but the header has 5 columns"},
		{"", "f.csv: empty file, no header row"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum wq_err err = import(fx, "f.csv", t[i].csv,
					 strlen(t[i].csv), NULL, NULL, &res);

		assert_int_equal(err, WQ_ERR_PARSE);
		assert_string_equal(detail_rel(fx), t[i].detail);
	}
	assert_int_equal(count_cases(fx->store), 0);
}

/* RFC 4180: spaces belong to the field; a NUL byte belongs to no text. */
static void test_import_spaces_and_nul(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
	static const char spaces[] =
		"type,category,consumer_name,merchant_name,statement\n"
		"complaint,quality, 甲 ,商店,好的\n";
	static const char nul[] =
		"type,category,consumer_name,merchant_name,statement\n"
		"complaint,quality,甲,商店,好\0的\n";
	char *v;

	assert_int_equal(import(fx, "sp.csv", spaces, strlen(spaces), NULL,
				NULL, &res),
			 WQ_ERR_OK);
	v = query1(fx->store, "SELECT name FROM consumers");
	assert_string_equal(v, " 甲 ");
	free(v);

	assert_int_equal(import(fx, "nul.csv", nul, sizeof(nul) - 1, NULL,
				"utf-8", &res),
			 WQ_ERR_PARSE);
	assert_string_equal(detail_rel(fx),
			    "nul.csv:2: field statement: contains a NUL "
			    "character");
	assert_int_equal(import(fx, "nul.csv", nul, sizeof(nul) - 1, NULL,
				NULL, &res),
			 WQ_ERR_ENCODING);
	assert_int_equal(count_cases(fx->store), 1);
}

static void test_import_status_needs_admin(void **state)
{
	struct fx *fx = *state;
	struct wq_user desk;
	struct wq_import_result res;
	static const char csv[] =
		"type,category,consumer_name,merchant_name,statement,status\n"
		"complaint,quality,甲,商店,好的,\n"
		"complaint,quality,乙,商店,好的,accepted\n";
	char *path = path_in(fx, "s.csv");
	struct wq_import_opts o = {.path = path};

	assert_int_equal(wq_user_add(fx->store, &fx->admin, "desk1",
				     WQ_ROLE_DESK, "D"),
			 WQ_ERR_OK);
	assert_int_equal(wq_user_lookup(fx->store, "desk1", &desk), WQ_ERR_OK);
	write_file(path, csv, strlen(csv));
	assert_int_equal(wq_transfer_import(fx->store, &desk, &o, &res),
			 WQ_ERR_DENIED);
	assert_memory_equal(detail_rel(fx), "s.csv:3: ", 9);
	assert_int_equal(count_cases(fx->store), 0);
	free(path);
}

static void test_import_unknown_column(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
	static const char unknown[] =
		"type,category,colour,consumer_name,merchant_name,statement\n"
		"complaint,quality,red,甲,商店,好的\n";
	static const char missing[] =
		"type,category,consumer_name,merchant_name\n"
		"complaint,quality,甲,商店\n";
	static const char twice[] =
		"type,category,consumer_name,merchant_name,statement,type\n";

	assert_int_equal(import(fx, "cases.csv", unknown, strlen(unknown),
				NULL, NULL, &res),
			 WQ_ERR_PARSE);
	assert_string_equal(detail_rel(fx),
			    "cases.csv:1: unknown column \"colour\"");
	assert_int_equal(import(fx, "cases.csv", missing, strlen(missing),
				NULL, NULL, &res),
			 WQ_ERR_PARSE);
	assert_string_equal(detail_rel(fx),
			    "cases.csv:1: missing column \"statement\"");
	assert_int_equal(import(fx, "cases.csv", twice, strlen(twice), NULL,
				NULL, &res),
			 WQ_ERR_PARSE);
	assert_string_equal(detail_rel(fx),
			    "cases.csv:1: column \"type\" appears twice");
	assert_int_equal(count_cases(fx->store), 0);
}

static void test_import_bad_json(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
	static const struct {
		const char *json, *detail;
	} t[] = {
		{"[{\"type\": \"complaint\", \"category\": ",
		 "cases.json:[0]: field category: not valid JSON (line 1, "
		 "column 35: unexpected token near end of file)"},
		{"{\"type\": \"complaint\"}",
		 "cases.json: expected an array of case objects, found object"},
		{"[{\"type\":\"complaint\",\"category\":\"quality\","
		 "\"consumer_name\":\"甲\",\"merchant_name\":\"商店\","
		 "\"statement\":\"好的\"}, 7]",
		 "cases.json:[1]: expected an object, found integer"},
		{"[{\"type\":\"complaint\",\"category\":\"quality\","
		 "\"consumer_name\":\"甲\",\"merchant_name\":\"商店\","
		 "\"statement\":\"好的\"},"
		 "{\"type\":\"complaint\",\"category\":\"quality\","
		 "\"consumer_name\":\"乙\",\"merchant_name\":\"商店\","
		 "\"statement\":\"好的\",\"amount_fen\":\"12.5\"}]",
		 "cases.json:[1]: field amount_fen: text is not a whole, "
		 "non-negative number of fen"},
		{"[{\"type\":\"complaint\",\"category\":\"quality\","
		 "\"consumer_name\":\"甲\",\"merchant_name\":\"商店\","
		 "\"statement\":\"好的\",\"amount\":\"12.50\"}]",
		 "cases.json:[0]: unknown key \"amount\" (JSON gives "
		 "amount_fen, an integer)"},
		{"[{\"type\":\"complaint\",\"category\":\"quality\","
		 "\"consumer_name\":\"甲\",\"merchant_name\":\"商店\","
		 "\"statement\":\"好的\",\"order_no\":12345}]",
		 "cases.json:[0]: field order_no: expected a string, found "
		 "integer"},
		{"[{\"type\":\"complaint\",\"category\":\"quality\","
		 "\"consumer_name\":\"甲\",\"merchant_name\":\"商店\"}]",
		 "cases.json:[0]: field statement: is required"},
		{"[{\"type\":\"complaint\",\"category\":\"quality\","
		 "\"consumer_name\":\"甲\",\"consumer_name\":\"乙\"}]",
		 "cases.json:[0]: key \"consumer_name\" appears twice"},
		/* 2^63 does not fit: SQLite reads it as INT64_MAX. */
		{"[{\"type\":\"complaint\",\"category\":\"quality\","
		 "\"consumer_name\":\"甲\",\"merchant_name\":\"商店\","
		 "\"statement\":\"好的\",\"amount_fen\":9223372036854775808}]",
		 "cases.json:[0]: field amount_fen: more than 100000000 yuan "
		 "(10000000000 fen)"},
		{"[{\"type\":\"complaint\",\"category\":\"quality\","
		 "\"consumer_name\":\"甲\",\"merchant_name\":\"商店\","
		 "\"statement\":\"好的\",\"amount_fen\":10000000001}]",
		 "cases.json:[0]: field amount_fen: more than 100000000 yuan "
		 "(10000000000 fen)"},
	};

	add_cases(fx);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(import(fx, "cases.json", t[i].json,
					strlen(t[i].json), NULL, NULL, &res),
				 WQ_ERR_PARSE);
		assert_string_equal(res.format, "json");
		assert_string_equal(detail_rel(fx), t[i].detail);
	}
	assert_int_equal(count_cases(fx->store), 3);
}

static void test_import_json_sniffed(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
	static const char json[] =
		"  [{\"type\":\"complaint\",\"category\":\"quality\","
		"\"consumer_name\":\"甲\",\"merchant_name\":\"商店\","
		"\"statement\":\"第一\\n第二 \\ud83d\\ude00\","
		"\"amount_fen\":1050,\"remedy\":null}]";
	char *v;

	assert_int_equal(import(fx, "upload.txt", json, strlen(json), NULL,
				NULL, &res),
			 WQ_ERR_OK);
	assert_string_equal(res.format, "json");
	assert_int_equal(res.cases, 1);
	v = query1(fx->store, "SELECT text FROM statements");
	assert_string_equal(v, "第一\n第二 😀");
	free(v);
	v = query1(fx->store, "SELECT amount_fen FROM cases");
	assert_string_equal(v, "1050");
	free(v);
}

/* Hostile JSON: each file is refused with its record and field named,
 * and nothing of it is written. */
static void test_import_hostile_json(void **state)
{
	struct fx *fx = *state;
	struct wq_import_result res;
#define REC(extra)                                                             \
	"{\"type\":\"complaint\",\"category\":\"quality\","                    \
	"\"consumer_name\":\"甲\",\"merchant_name\":\"商店\","                  \
	"\"statement\":\"好的\"" extra "}"
	static const struct {
		const char *json, *detail;
	} t[] = {
		/* wrong types */
		{"[" REC("") ",\n" REC(",\"remedy\":true") "]",
		 "cases.json:[1]: field remedy: expected a string, found true"},
		{"[" REC(",\"region\":[\"北京\"]") "]",
		 "cases.json:[0]: field region: expected a string, found array"},
		{"[" REC(",\"order_no\":{\"no\":\"1\"}") "]",
		 "cases.json:[0]: field order_no: expected a string, found "
		 "object"},
		{"[" REC(",\"amount_fen\":12.0") "]",
		 "cases.json:[0]: field amount_fen: real is not a whole, "
		 "non-negative number of fen"},
		{"[" REC(",\"amount_fen\":-1") "]",
		 "cases.json:[0]: field amount_fen: integer is not a whole, "
		 "non-negative number of fen"},
		{"[" REC("") ", \"WQ-2026-000001\"]",
		 "cases.json:[1]: expected an object, found text"},
		{"\"[]\"",
		 "cases.json: expected an array of case objects, found text"},
		/* NUL escapes */
		{"[" REC(",\"remedy\":\"退款\\u0000全额\"") "]",
		 "cases.json:[0]: field remedy: contains a NUL character"},
		{"[" REC(",\"remedy\\u0000x\":\"退款\"") "]",
		 "cases.json:[0]: a key contains a NUL character"},
		/* lone surrogates */
		{"[" REC(",\"remedy\":\"\\ud83d退款\"") "]",
		 "cases.json:[0]: field remedy: not valid JSON (line 1, column 119: invalid Unicode '\\uD83D' near '\"\\ud83d退款\"')"},
		{"[" REC(",\"remedy\":\"\\ude00\"") "]",
		 "cases.json:[0]: field remedy: not valid JSON (line 1, column 117: invalid Unicode '\\uDE00' near '\"\\ude00\"')"},
		/* Jansson quotes the file cut inside a character */
		{"[" REC(",\"remedy\":\"\\甲\"") "]",
		 "cases.json:[0]: field remedy: not valid JSON (line 1, "
		 "column 112: invalid escape near '\"\\\xef\xbf\xbd')"},
		/* huge numbers */
		{"[" REC(",\"amount_fen\":-99999999999999999999") "]",
		 "cases.json:[0]: field amount_fen: integer is not a whole, "
		 "non-negative number of fen"},
		{"[" REC(",\"amount_fen\":1e999") "]",
		 "cases.json:[0]: field amount_fen: real is not a whole, "
		 "non-negative number of fen"},
		{"[" REC(",\"order_no\":123456789012345678901234567890") "]",
		 "cases.json:[0]: field order_no: not valid JSON (line 1, column 141: too big integer)"},
		/* broken structure */
		{"[" REC("") "\n" REC("") "]",
		 "cases.json: not valid JSON (line 2, column 1): record [0] is followed by neither ',' nor ']'"},
		{"[" REC("") "] x",
		 "cases.json: not valid JSON (line 1, column 103): text follows the array's closing ']'"},
		{"[" REC(""),
		 "cases.json: not valid JSON (line 1, column 100): the array "
		 "ends without its closing ']'"},
		{"[" REC("") ",",
		 "cases.json:[1]: not valid JSON (line 1, column 101: '[' or '{' expected near end of file)"},
	};
	char deep[3 * 4096 + 256], *p;

	add_cases(fx);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(import(fx, "cases.json", t[i].json,
					strlen(t[i].json), NULL, NULL, &res),
				 WQ_ERR_PARSE);
		assert_string_equal(detail_rel(fx), t[i].detail);
	}
	/* Deep nesting, in a field and as the file. */
	p = deep + sprintf(deep, "[{\"type\":\"complaint\",\"statement\":");
	for (int i = 0; i < 4096; i++)
		*p++ = '[';
	*p = '\0';
	assert_int_equal(import(fx, "cases.json", deep, strlen(deep), NULL,
				NULL, &res),
			 WQ_ERR_PARSE);
	assert_string_equal(detail_rel(fx),
			    "cases.json:[0]: field statement: not valid JSON (line 1, column 2081: maximum parsing depth reached near '[')");
	memset(deep, '[', 4096);
	deep[4096] = '\0';
	assert_int_equal(import(fx, "cases.json", deep, strlen(deep), NULL,
				NULL, &res),
			 WQ_ERR_PARSE);
	assert_string_equal(detail_rel(fx),
			    "cases.json:[0]: not valid JSON (line 1, column "
			    "2050: maximum parsing depth reached near '[')");
	assert_int_equal(count_cases(fx->store), 3);
#undef REC
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_export_csv),
		T(test_export_json),
		T(test_export_empty),
		T(test_export_masks_personal_data),
		T(test_export_desk_sees_own_cases),
		T(test_export_filters),
		T(test_export_gb18030_bytes),
		T(test_round_trip_csv),
		T(test_round_trip_json),
		T(test_round_trip_csv_gb18030),
		T(test_round_trip_json_gb18030),
		T(test_import_gb18030),
		T(test_import_big5),
		T(test_import_given_encoding),
		T(test_import_wrong_encoding),
		T(test_import_utf8_bom),
		T(test_import_bad_row),
		T(test_import_rolls_back),
		T(test_import_field_checks),
		T(test_import_spaces_and_nul),
		T(test_import_status_needs_admin),
		T(test_import_unknown_column),
		T(test_import_bad_json),
		T(test_import_json_sniffed),
		T(test_import_hostile_json),
#undef T
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("transfer", tests, NULL, NULL);
}
