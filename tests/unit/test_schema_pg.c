/* The schema on both databases through the store: a new SQLite file and
 * a new PostgreSQL database (WQ_PG_URI, made empty by
 * tests/pg/test_schema_pg.sh; without it the cases that need it are
 * skipped), each initialised by wq_store_open().  The same searches give
 * the same cases, wq_sha256() the same digests, a trigger's refusal the
 * same message, and every migration after the PostgreSQL baseline has
 * its PostgreSQL text.  A search's pages list the same cases on both
 * where PostgreSQL reads windows of the documents before its index. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "schema.h"
#include "tests/unit/fixture.h"
#include "util.h"
#include "weiquan/case.h"
#include "weiquan/changes.h"
#include "weiquan/err.h"
#include "weiquan/store.h"

struct fx {
	char dir[64];
	char path[128];
	struct wq_store *lite, *pg;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const char *uri = getenv("WQ_PG_URI");

	*state = fx;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/wq-schema-pg-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/w.db", fx->dir);
	if (wq_store_open(fx->path, WQ_OPEN_INIT, &fx->lite)) {
		fprintf(stderr, "# %s\n", wq_err_detail());
		return -1;
	}
	/* the SQLite file is new for each case; the PostgreSQL database's
	 * index is emptied for it */
	if (uri && *uri &&
	    (wq_store_open(uri, WQ_OPEN_INIT, &fx->pg) ||
	     wq_store_exec(fx->pg, "DELETE FROM search_docs"))) {
		fprintf(stderr, "# %s\n", wq_err_detail());
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	wq_store_close(&fx->lite);
	wq_store_close(&fx->pg);
	fixture_remove_dir(fx->dir);
	free(fx);
	return 0;
}

static struct fx *both(void **state)
{
	struct fx *fx = *state;

	if (!fx->pg)
		skip();
	return fx;
}

/* The documents of both searches: case, ordinal, text. */
static const struct {
	int64_t case_id, ordinal;
	const char *text;
} docs[] = {
    {1, 0, "商家拒绝退款，说商品已经拆封。"},
    {1, 1, "订单号 TB2026-0301，金额 199 元"},
    {2, 0, "退貨被拒，客服態度很差"}, /* Traditional */
    {3, 0, "The seller refused a refund for the broken kettle."},
    {4, 0, "假冒产品，质量问题严重，要求三倍赔偿"},
    {5, 0, "快递丢件，物流没有记录"},
    {5, 1, "质量没有问题，但是退款一直没到账"},
    {6, 0, "It's a \\ back'slash and quote's test 退款"},
};

/* Queries, and the cases SQLite's index gives for them (the PostgreSQL
 * result is compared with SQLite's, and SQLite's with this, so that
 * neither can drift unseen). */
static const struct {
	const char *query, *cases;
} searches[] = {
    {"退款", "1 5 6"},
    {"退货", "2"},	    /* finds the Traditional text */
    {"退", "1 2 5 6"},	    /* one character */
    {"质量问题", "4"},	    /* not 5: 质量没有问题 */
    {"商品已经拆封", "1"},  /* a longer phrase */
    {"问题严重 赔偿", "4"}, /* two terms, both required */
    {"tb2026 199", "1"},    /* mixed */
    {"单号TB2026", "1"},    /* Chinese then a word */
    {"refund", "3"},	    /* English */
    {"broken kettle", "3"},
    {"broken-kettle", "3"}, /* one term: a phrase of two words */
    {"kettle-broken", ""},  /* the same words, not in that order */
    {"\"the seller\"", "3"},
    {"back'slash", "6"},
    {"问题 快递", ""}, /* each document on its own: not 5 */
    {"拆封退款", ""},  /* adjacent only as a phrase: no */
    {"退款 nothing", ""},
    {"冰箱", ""}, /* no hit */
};

static void fill(struct wq_store *s)
{
	assert_int_equal(wq_store_begin_write(s), WQ_ERR_OK);
	/* the cases the documents belong to are not needed by the index */
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		assert_int_equal(wq_store_index_text(s, docs[i].case_id,
						     docs[i].ordinal,
						     docs[i].text),
				 WQ_ERR_OK);
	assert_int_equal(wq_store_commit(s), WQ_ERR_OK);
}

/* The cases whose documents match, in order, as "1 5 6". */
static char *search(struct wq_store *s, const char *user_text)
{
	char *query = wq_store_search_query(s, user_text);
	char *docs_sql = wq_store_search_docs_sql(s, 1);
	char *sql = wq_asprintf("SELECT DISTINCT " WQ_SEARCH_CASE_OF_DOC_SQL
				" FROM (%s) AS hits ORDER BY 1",
				docs_sql);
	struct wq_buf out = {0};
	struct wq_stmt *st;
	int rc;

	assert_non_null(query);
	assert_int_equal(wq_store_prepare_once(s, sql, &st), WQ_ERR_OK);
	wq_bind_text(st, 1, query);
	while ((rc = wq_step(st)) == WQ_ROW)
		wq_buf_printf(&out, "%s%lld", out.len ? " " : "",
			      (long long)wq_column_int64(st, 0));
	if (rc != WQ_DONE)
		fail_msg("%s: %s", user_text, wq_store_errmsg(s));
	wq_store_finalize(s, st);
	free(sql);
	free(docs_sql);
	free(query);
	wq_buf_puts(&out, "");
	return out.data;
}

static void test_same_searches(void **state)
{
	struct fx *fx = both(state);

	fill(fx->lite);
	fill(fx->pg);
	for (size_t i = 0; i < sizeof(searches) / sizeof(searches[0]); i++) {
		char *lite = search(fx->lite, searches[i].query);
		char *pg = search(fx->pg, searches[i].query);

		printf("# %s: sqlite [%s], postgresql [%s]\n",
		       searches[i].query, lite, pg);
		assert_string_equal(lite, searches[i].cases);
		assert_string_equal(pg, lite);
		free(lite);
		free(pg);
	}
}

/* WIN_CASES cases of WIN_DOCS documents each, for the search windows of
 * src/caselist.c (2,048 documents, then 8,192, while they hold a case
 * with a hit in 1,024): from the newest, the first window has ten cases
 * with a hit, the second three, and the index finds the rest.  Each case
 * with a hit has one (the phrase), its other documents none; a case of
 * an even index is a refund case, of an odd one a quality case. */
#define WIN_CASES 60
#define WIN_DOCS 200
static const int window_hits[] = {59, 58, 57, 56, 55, 54, 53, 52, 51, 50,
				  45, 31, 13, 5, 2, 0};

static bool window_hit(int i)
{
	for (size_t k = 0; k < sizeof(window_hits) / sizeof(window_hits[0]);
	     k++)
		if (window_hits[k] == i)
			return true;
	return false;
}

static void fill_windows(struct wq_store *s)
{
	struct wq_stmt *st;

	assert_int_equal(wq_store_begin_write(s), WQ_ERR_OK);
	assert_int_equal(
	    wq_store_exec(s, "INSERT INTO consumers(name) VALUES ('win');"
			     "INSERT INTO merchants(name) VALUES ('win')"),
	    WQ_ERR_OK);
	for (int i = 0; i < WIN_CASES; i++) {
		char *sql = wq_asprintf(
		    "INSERT INTO cases(number, type, category, consumer_id,"
		    " merchant_id, status, received_at, created_by,"
		    " updated_at) SELECT 'WQ-WIN-%03d', 'complaint', '%s',"
		    " max(k.id), max(m.id), 'received',"
		    " '2026-03-02T02:00:00Z', 'someone',"
		    " '2026-03-02T02:00:00Z' FROM consumers k, merchants m"
		    " RETURNING id",
		    i, i % 2 ? "quality" : "refund");
		int64_t id = 0;

		assert_int_equal(wq_store_prepare_once(s, sql, &st),
				 WQ_ERR_OK);
		if (wq_step(st) == WQ_ROW)
			id = wq_column_int64(st, 0);
		wq_store_finalize(s, st);
		free(sql);
		assert_true(id > 0);
		for (int d = 0; d < WIN_DOCS; d++) {
			char text[96];

			snprintf(text, sizeof(text), "%s第%d条",
				 window_hit(i) && d == WIN_DOCS / 2
				     ? "窗口里的测试短语"
				     : "无关的填充文字",
				 d);
			assert_int_equal(wq_store_index_text(s, id, d, text),
					 WQ_ERR_OK);
		}
	}
	assert_int_equal(wq_store_commit(s), WQ_ERR_OK);
}

/* Every page of a search, the case numbers' indexes as "59 58 ...". */
static char *search_pages(struct wq_store *s, const char *category,
			  bool reverse)
{
	struct wq_user admin = {.login = "root", .role = WQ_ROLE_ADMIN};
	struct wq_buf out = {0};
	char *cursor = NULL;

	do {
		struct wq_filter f = {.status = "all",
				      .search = "测试短语",
				      .category = category,
				      .reverse = reverse,
				      .after = cursor,
				      .limit = 4};
		struct wq_case_page page;

		if (wq_case_list(s, &admin, &f, &page) != WQ_ERR_OK)
			fail_msg("%s", wq_err_detail());
		for (size_t i = 0; i < page.count; i++)
			if (strncmp(page.rows[i].number, "WQ-WIN-", 7) == 0)
				wq_buf_printf(&out, "%s%d", out.len ? " " : "",
					      atoi(page.rows[i].number + 7));
		free(cursor);
		cursor = page.next_cursor;
		page.next_cursor = NULL;
		wq_case_page_free(&page);
	} while (cursor);
	wq_buf_puts(&out, "");
	return out.data;
}

static void test_same_search_pages(void **state)
{
	struct fx *fx = both(state);
	static const struct {
		const char *category;
		bool reverse;
		const char *cases;
	} lists[] = {
	    {NULL, false, "59 58 57 56 55 54 53 52 51 50 45 31 13 5 2 0"},
	    {NULL, true, "0 2 5 13 31 45 50 51 52 53 54 55 56 57 58 59"},
	    /* the second window's cases are all filtered out */
	    {"refund", false, "58 56 54 52 50 2 0"},
	    {"refund", true, "0 2 50 52 54 56 58"},
	};

	fill_windows(fx->lite);
	fill_windows(fx->pg);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		char *lite = search_pages(fx->lite, lists[i].category,
					  lists[i].reverse);
		char *pg = search_pages(fx->pg, lists[i].category,
					lists[i].reverse);

		printf("# %s%s: sqlite [%s], postgresql [%s]\n",
		       lists[i].category ? lists[i].category : "all",
		       lists[i].reverse ? ", oldest first" : "", lite, pg);
		assert_string_equal(lite, lists[i].cases);
		assert_string_equal(pg, lite);
		free(lite);
		free(pg);
	}
}

/* The Big List of Naughty Strings, each line a document of case 100 on,
 * and each line a search: the same cases on both, and no search an error
 * on either. */
static void test_same_hostile_searches(void **state)
{
	struct fx *fx = both(state);
	const char *dir = getenv("WQ_TESTDATA");
	char path[512], line[4096];
	int n = 0, found = 0;
	FILE *f;

	if (!dir || !*dir) {
		print_message("# WQ_TESTDATA unset: blns.txt not read\n");
		skip();
	}
	snprintf(path, sizeof(path), "%s/blns.txt", dir);
	for (int d = 0; d < 2; d++) {
		struct wq_store *s = d ? fx->pg : fx->lite;

		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(wq_store_begin_write(s), WQ_ERR_OK);
		for (n = 0; fgets(line, sizeof(line), f);) {
			line[strcspn(line, "\n")] = '\0';
			if (line[0] == '#' || line[0] == '\0')
				continue;
			assert_int_equal(
			    wq_store_index_text(s, 100 + n, 0, line),
			    WQ_ERR_OK);
			n++;
		}
		assert_int_equal(wq_store_commit(s), WQ_ERR_OK);
		fclose(f);
	}
	assert_true(n > 500);
	f = fopen(path, "rb");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *lite, *pg, *q;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		q = wq_store_search_query(fx->lite, line);
		free(q);
		if (!q)
			continue; /* nothing searchable: the same on both */
		q = wq_store_search_query(fx->pg, line);
		assert_non_null(q);
		free(q);
		lite = search(fx->lite, line);
		pg = search(fx->pg, line);
		if (strcmp(lite, pg) != 0)
			fail_msg("%s: sqlite [%s], postgresql [%s]", line, lite,
				 pg);
		found += *lite != '\0';
		free(lite);
		free(pg);
	}
	fclose(f);
	print_message("# %d of the lines found their own case or others\n",
		      found);
	assert_true(found > 300);
}

static char *sha256_of(struct wq_store *s, const char *text)
{
	struct wq_stmt *st;
	char *hex = NULL;

	assert_int_equal(wq_store_prepare(s, "SELECT wq_sha256(?1)", &st),
			 WQ_ERR_OK);
	wq_bind_text(st, 1, text);
	if (wq_step(st) == WQ_ROW)
		hex = wq_strdup(wq_column_text(st, 0));
	wq_store_finalize(s, st);
	assert_non_null(hex);
	return hex;
}

static void test_same_sha256(void **state)
{
	struct fx *fx = both(state);
	static const char *const texts[] = {
	    "",
	    "abc",
	    "维权：商家拒绝退款",
	    "退貨",
	    "line\nbreak\ttab",
	    "\xf0\x9f\x98\x80 emoji",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *lite = sha256_of(fx->lite, texts[i]);
		char *pg = sha256_of(fx->pg, texts[i]);

		assert_string_equal(pg, lite);
		free(lite);
		free(pg);
	}
	{
		char *abc = sha256_of(fx->pg, "abc");

		assert_string_equal(abc, "ba7816bf8f01cfea414140de5dae2223b00"
					 "361a396177a9cb410ff61f20015ad");
		free(abc);
	}
}

/* Runs sql; returns the error's detail (malloc'd), or NULL when it ran,
 * and what the store says was violated. */
static char *refused(struct wq_store *s, const char *sql,
		     enum wq_violation *violated)
{
	struct wq_stmt *st;
	char *detail = NULL;

	assert_int_equal(wq_store_begin_write(s), WQ_ERR_OK);
	assert_int_equal(wq_store_prepare_once(s, sql, &st), WQ_ERR_OK);
	if (wq_step(st) != WQ_DONE) {
		*violated = wq_store_violated(s);
		wq_store_error(s, "write");
		detail = wq_strdup(wq_err_detail());
	}
	wq_store_finalize(s, st);
	wq_store_rollback(s);
	return detail;
}

static void test_same_refusals(void **state)
{
	struct fx *fx = both(state);
	static const char *const writes[] = {
	    "UPDATE events SET actor = 'x'",
	    "DELETE FROM events",
	    "INSERT INTO events(id, at, actor, action, details, prev_hash,"
	    " hash) VALUES (1, '2026-01-01T00:00:00Z', 'x', 'note', '{}',"
	    " '', '')",
	};

	/* an event to refuse changing, and an id already taken */
	for (int d = 0; d < 2; d++) {
		struct wq_store *s = d ? fx->pg : fx->lite;

		assert_int_equal(wq_store_begin_write(s), WQ_ERR_OK);
		assert_int_equal(
		    wq_store_exec(s, "INSERT INTO events(id, at, actor, action,"
				     " details, prev_hash, hash) SELECT"
				     " coalesce(max(id), 0) + 1,"
				     " '2026-01-01T00:00:00Z', 'x', 'note',"
				     " '{}', '', '' FROM events"),
		    WQ_ERR_OK);
		assert_int_equal(wq_store_commit(s), WQ_ERR_OK);
	}
	for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		enum wq_violation vl = WQ_VIOLATED_UNIQUE,
				  vp = WQ_VIOLATED_UNIQUE;
		char *lite = refused(fx->lite, writes[i], &vl);
		char *pg = refused(fx->pg, writes[i], &vp);

		assert_non_null(lite);
		assert_non_null(pg);
		printf("# %s: [%s] [%s]\n", writes[i], lite, pg);
		assert_string_equal(pg, lite);
		assert_int_equal(vp, vl);
		assert_int_equal(vp, WQ_VIOLATED_NONE);
		free(lite);
		free(pg);
	}
}

static void test_later_migrations_have_pg_text(void **state)
{
	(void)state;
	assert_int_equal(wq_schema_migration_count, WQ_SCHEMA_VERSION);
	for (int v = 0; v < wq_schema_migration_count; v++) {
		assert_non_null(wq_schema_migrations[v].sqlite);
		if (v >= WQ_SCHEMA_PG_BASELINE)
			assert_non_null(wq_schema_migrations[v].pg);
	}
}

/* ---- live refresh: the database names the cases others changed ---- */

static void exec_ok(struct wq_store *s, const char *sql)
{
	if (wq_store_exec(s, sql))
		fail_msg("%s: %s", sql, wq_err_detail());
}

/* One write of `other`: its statements, then its commit. */
static void write_by(struct wq_store *other, const char *sql)
{
	assert_int_equal(wq_store_begin_write(other), WQ_ERR_OK);
	exec_ok(other, sql);
	assert_int_equal(wq_store_commit(other), WQ_ERR_OK);
}

/* Waits (2 s at most) for data_version to move from `was`. */
static bool version_moved(struct wq_store *s, int64_t was)
{
	for (int i = 0; i < 200; i++) {
		if (wq_store_data_version(s) != was)
			return true;
		usleep(10000);
	}
	return false;
}

#define EVENT_OF(case_sql)                                                     \
	"INSERT INTO events(id, at, actor, case_id, action, details,"          \
	" prev_hash, hash) VALUES ((SELECT coalesce(max(id), 0) + 1"           \
	" FROM events), '2026-03-02T02:00:00Z', 'someone', " case_sql ","      \
	" 'note', '{}', '', '')"

static void test_live_refresh_told(void **state)
{
	struct fx *fx = both(state);
	struct wq_store *other = NULL;
	struct wq_changes ch, theirs;
	struct wq_stmt *st;
	int64_t v, v_other, case_id = 0;

	assert_true(wq_store_tells_changes(fx->pg));
	assert_false(wq_store_tells_changes(fx->lite));
	assert_int_equal(wq_store_open(getenv("WQ_PG_URI"), WQ_OPEN_EXISTING,
				       &other),
			 WQ_ERR_OK);
	write_by(other,
		 "INSERT INTO consumers(name) VALUES ('c');"
		 "INSERT INTO merchants(name) VALUES ('m');"
		 "INSERT INTO cases(number, type, category, consumer_id,"
		 " merchant_id, status, received_at, created_by, updated_at)"
		 " SELECT 'WQ-LIVE-1', 'complaint', 'refund', max(k.id),"
		 " max(m.id), 'received', '2026-03-02T02:00:00Z', 'someone',"
		 " '2026-03-02T02:00:00Z' FROM consumers k, merchants m");
	assert_int_equal(wq_store_prepare_once(fx->pg,
					       "SELECT id FROM cases"
					       " WHERE number = 'WQ-LIVE-1'",
					       &st),
			 WQ_ERR_OK);
	if (wq_step(st) == WQ_ROW)
		case_id = wq_column_int64(st, 0);
	wq_store_finalize(fx->pg, st);
	assert_true(case_id > 0);

	/* what was said before the start is not news */
	assert_int_equal(wq_changes_start(fx->pg, &ch), WQ_ERR_OK);

	/* an event of a case names it, and only it */
	v = wq_store_data_version(fx->pg);
	write_by(other, EVENT_OF("(SELECT id FROM cases"
				 " WHERE number = 'WQ-LIVE-1')"));
	assert_true(version_moved(fx->pg, v));
	assert_int_equal(wq_changes_next(fx->pg, &ch), WQ_ERR_OK);
	assert_false(ch.everything);
	assert_int_equal(ch.n, 1);
	assert_int_equal(ch.case_ids[0], case_id);

	/* a commit without an event cannot tell: everything */
	v = wq_store_data_version(fx->pg);
	write_by(other, "INSERT INTO settings(key, value)"
			" VALUES ('live-test', '1')");
	assert_true(version_moved(fx->pg, v));
	assert_int_equal(wq_changes_next(fx->pg, &ch), WQ_ERR_OK);
	assert_true(ch.everything);

	/* an event of no single case: everything */
	v = wq_store_data_version(fx->pg);
	write_by(other, EVENT_OF("NULL"));
	assert_true(version_moved(fx->pg, v));
	assert_int_equal(wq_changes_next(fx->pg, &ch), WQ_ERR_OK);
	assert_true(ch.everything);

	/* the session's own commits are not news to it, but to the other */
	v = wq_store_data_version(fx->pg);
	assert_int_equal(wq_changes_start(other, &theirs), WQ_ERR_OK);
	v_other = wq_store_data_version(other);
	write_by(fx->pg, EVENT_OF("(SELECT id FROM cases"
				  " WHERE number = 'WQ-LIVE-1')"));
	assert_true(version_moved(other, v_other));
	assert_int_equal(wq_store_data_version(fx->pg), v);
	assert_int_equal(wq_changes_next(other, &theirs), WQ_ERR_OK);
	assert_false(theirs.everything);
	assert_int_equal(theirs.n, 1);
	assert_int_equal(theirs.case_ids[0], case_id);

	wq_changes_free(&theirs);
	wq_changes_free(&ch);
	wq_store_close(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_same_searches, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_same_hostile_searches, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_same_search_pages, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_same_sha256, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_same_refusals, setup,
					    teardown),
	    cmocka_unit_test(test_later_migrations_have_pg_text),
	    cmocka_unit_test_setup_teardown(test_live_refresh_told, setup,
					    teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("schema_pg", tests, NULL, NULL);
}
