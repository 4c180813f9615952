/* The store: creating and migrating, refusing files of other versions,
 * the pragmas every connection needs, the writers' queue and its bound,
 * data_version across connections, the online backup, and the search
 * index's upkeep. */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/fixture.h"
#include "store_sqlite.h"
#include "weiquan/case.h"
#include "weiquan/store.h"

struct fx {
	char dir[64];
	char path[128];
	struct wq_store *store;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/wq-store-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/sub/dir/w.db", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[160];

	wq_store_close(&fx->store);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static const char *text(sqlite3 *db, const char *sql)
{
	static char buf[256];
	sqlite3_stmt *st;

	buf[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, sizeof(buf), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

static void test_missing_file_is_refused(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_EXISTING, &fx->store),
			 WQ_ERR_NO_DB);
	assert_null(fx->store);
	assert_int_equal(access(fx->path, F_OK), -1);
}

static void test_init_creates_with_pragmas(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_INIT, &fx->store),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_schema_version(fx->store), WQ_SCHEMA_VERSION);
	assert_string_equal(text(wq_store_sqlite(fx->store), "PRAGMA journal_mode"), "wal");
	assert_int_equal(scalar(wq_store_sqlite(fx->store), "PRAGMA foreign_keys"), 1);
	assert_true(scalar(wq_store_sqlite(fx->store), "SELECT count(*) FROM"
					  " pragma_table_list WHERE strict = 1"
					  " AND schema = 'main'") >= 10);
	/* The FTS5 tokenizer is registered on every connection. */
	assert_int_equal(sqlite3_exec(wq_store_sqlite(fx->store),
				      "INSERT INTO search_index(rowid, body)"
				      " VALUES (2, '退款')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	wq_store_close(&fx->store);
	assert_null(fx->store);
	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_EXISTING, &fx->store),
			 WQ_ERR_OK);
	assert_int_equal(scalar(wq_store_sqlite(fx->store), "SELECT count(*) FROM"
					       " search_index WHERE"
					       " search_index MATCH '退款'"),
			 1);
}

static void test_other_versions_are_refused(void **state)
{
	struct fx *fx = *state;
	char sql[64];

	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_INIT, &fx->store),
			 WQ_ERR_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		 WQ_SCHEMA_VERSION + 1);
	assert_int_equal(wq_store_exec(fx->store, sql), WQ_ERR_OK);
	wq_store_close(&fx->store);
	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_EXISTING, &fx->store),
			 WQ_ERR_SCHEMA_NEW);
	assert_non_null(strstr(wq_err_detail(), "schema version"));
	/* init does not downgrade either. */
	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_INIT, &fx->store),
			 WQ_ERR_SCHEMA_NEW);
}

static void test_foreign_file_is_refused(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db;

	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_INIT, &fx->store),
			 WQ_ERR_OK);
	wq_store_close(&fx->store);
	snprintf(fx->path, sizeof(fx->path), "%s/other.db", fx->dir);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL,
				      NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_EXISTING, &fx->store),
			 WQ_ERR_NO_DB);
	assert_non_null(strstr(wq_err_detail(), "not a weiquan database"));
}

/* A writer waits for the one holding the queue, then gives up with a
 * clear error after its bound, having written nothing. */
static void test_write_wait_is_bounded(void **state)
{
	struct fx *fx = *state;
	struct timespec t0, t1;
	char lock[160];
	int pipefd[2];
	pid_t pid;
	double waited;
	char c;

	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_INIT, &fx->store),
			 WQ_ERR_OK);
	snprintf(lock, sizeof(lock), "%s.lock", fx->path);
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(lock, O_RDWR);

		flock(fd, LOCK_EX);
		if (write(pipefd[1], "x", 1) != 1)
			_exit(1);
		sleep(3);
		_exit(0);
	}
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	wq_store_set_write_wait(fx->store, 400);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(wq_store_begin_write(fx->store), WQ_ERR_BUSY);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waited = (double)(t1.tv_sec - t0.tv_sec) +
		 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(waited >= 0.35);
	assert_true(waited < 2.5);
	assert_non_null(strstr(wq_err_detail(), "nothing was written"));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* The holder is gone: the queue is free again. */
	assert_int_equal(wq_store_begin_write(fx->store), WQ_ERR_OK);
	wq_store_rollback(fx->store);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* A writer that ignores the lock file (the sqlite3 shell) is still waited
 * for through the busy timeout, and reported as busy, not as an error. */
static void test_foreign_writer_reports_busy(void **state)
{
	struct fx *fx = *state;
	sqlite3 *other;

	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_INIT, &fx->store),
			 WQ_ERR_OK);
	assert_int_equal(sqlite3_open(fx->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL,
				      NULL),
			 SQLITE_OK);
	wq_store_set_write_wait(fx->store, 200);
	assert_int_equal(wq_store_begin_write(fx->store), WQ_ERR_BUSY);
	assert_false(wq_store_in_write(fx->store));
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	assert_int_equal(wq_store_begin_write(fx->store), WQ_ERR_OK);
	assert_int_equal(wq_store_commit(fx->store), WQ_ERR_OK);
}

static void test_data_version_sees_other_commits(void **state)
{
	struct fx *fx = *state;
	struct wq_store *other;
	int64_t v0, v1;

	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_INIT, &fx->store),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_EXISTING, &other),
			 WQ_ERR_OK);
	v0 = wq_store_data_version(fx->store);
	assert_int_equal(wq_store_data_version(fx->store), v0);
	assert_int_equal(wq_store_begin_write(other), WQ_ERR_OK);
	assert_int_equal(wq_store_set_setting(other, "k", "v"), WQ_ERR_OK);
	assert_int_equal(wq_store_commit(other), WQ_ERR_OK);
	v1 = wq_store_data_version(fx->store);
	assert_int_not_equal(v0, v1);
	wq_store_close(&other);
}

static void test_settings_and_rollback(void **state)
{
	struct fx *fx = *state;
	char *value;

	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_INIT, &fx->store),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_get_setting(fx->store, "k", &value),
			 WQ_ERR_NOT_FOUND);
	assert_int_equal(wq_store_begin_write(fx->store), WQ_ERR_OK);
	assert_int_equal(wq_store_set_setting(fx->store, "k", "甲"), WQ_ERR_OK);
	wq_store_rollback(fx->store);
	assert_int_equal(wq_store_get_setting(fx->store, "k", &value),
			 WQ_ERR_NOT_FOUND);
	assert_int_equal(wq_store_begin_write(fx->store), WQ_ERR_OK);
	assert_int_equal(wq_store_set_setting(fx->store, "k", "乙"), WQ_ERR_OK);
	assert_int_equal(wq_store_commit(fx->store), WQ_ERR_OK);
	assert_int_equal(wq_store_get_setting(fx->store, "k", &value),
			 WQ_ERR_OK);
	assert_string_equal(value, "乙");
	free(value);
}

/* The backup is a consistent, openable copy taken while another
 * connection keeps writing. */
static void test_backup_while_writing(void **state)
{
	struct fx *fx = *state;
	struct wq_store *writer, *copy;
	char dest[160], key[32];

	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_INIT, &fx->store),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_open(fx->path, WQ_OPEN_EXISTING, &writer),
			 WQ_ERR_OK);
	for (int i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(wq_store_begin_write(writer), WQ_ERR_OK);
		assert_int_equal(wq_store_set_setting(writer, key, "x"),
				 WQ_ERR_OK);
		assert_int_equal(wq_store_commit(writer), WQ_ERR_OK);
	}
	snprintf(dest, sizeof(dest), "%s/backup.db", fx->dir);
	assert_int_equal(wq_store_backup(fx->store, dest), WQ_ERR_OK);
	assert_int_equal(wq_store_begin_write(writer), WQ_ERR_OK);
	assert_int_equal(wq_store_set_setting(writer, "after", "x"), WQ_ERR_OK);
	assert_int_equal(wq_store_commit(writer), WQ_ERR_OK);
	wq_store_close(&writer);
	assert_int_equal(wq_store_open(dest, WQ_OPEN_EXISTING, &copy),
			 WQ_ERR_OK);
	assert_int_equal(scalar(wq_store_sqlite(copy), "SELECT count(*) FROM settings"
					  " WHERE key LIKE 'k%'"),
			 200);
	assert_int_equal(scalar(wq_store_sqlite(copy), "SELECT count(*) FROM settings"
					  " WHERE key = 'after'"),
			 0);
	assert_string_equal(text(wq_store_sqlite(copy), "PRAGMA integrity_check"), "ok");
	wq_store_close(&copy);
}

/* A fresh database in dir with a desk clerk, and three cases registered
 * by it, each with one of statements and in a commit of its own. */
static void open_with_cases(const char *name, char dir[64], char path[128],
			    struct wq_store **store, struct wq_user *admin,
			    struct wq_user *desk,
			    const char *const statements[3], int64_t id[3])
{
	char number[32];

	assert_int_equal(fixture_open(name, "2026-03-02T09:00:00Z", dir, path,
				      store, admin),
			 0);
	assert_int_equal(fixture_add_user(*store, admin, "desk1", WQ_ROLE_DESK,
					  NULL, desk),
			 0);
	for (int i = 0; i < 3; i++) {
		struct wq_intake in = {
			.type = "complaint", .category = "refund",
			.consumer_name = "张三", .merchant_name = "某店",
			.statement = statements[i]};

		assert_int_equal(
			wq_case_create(*store, desk, &in, &id[i], number),
			WQ_ERR_OK);
	}
}

/* A version 4 database numbered its index rows 2 * statement id and
 * 2 * evidence id + 1; init renumbers them by case (migration 6), and then
 * a search lists each case once, the newest first, even a case whose hit
 * is a statement added after younger cases were registered. */
static void test_migration_renumbers_search_index(void **state)
{
	struct wq_store *store = NULL;
	struct wq_user admin, desk;
	struct wq_filter filter = {.search = "退貨", .status = "all"};
	struct wq_case_page page;
	char dir[64], path[128];
	int64_t id[3];
	static const char *const statements[] = {
		"质量问题", "已经退货，退款未到", "已經退貨，款項未到"};

	(void)state;
	open_with_cases("migrate", dir, path, &store, &admin, &desk,
			statements, id);
	assert_int_equal(wq_store_begin_write(store), WQ_ERR_OK);
	assert_int_equal(wq_statement_add_tx(store, &desk, id[0],
					     "respondent", "同意退貨"),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_commit(store), WQ_ERR_OK);
	assert_int_equal(
		wq_store_exec(store,
			      "INSERT INTO search_index(search_index)"
			      " VALUES('delete-all');"
			      "INSERT INTO search_index(rowid, body)"
			      " SELECT 2 * id, text FROM statements;"
			      "INSERT INTO search_index(rowid, body)"
			      " SELECT 2 * id + 1, text FROM evidence"
			      " WHERE text IS NOT NULL;"
			      "PRAGMA user_version = 4"),
		WQ_ERR_OK);
	wq_store_close(&store);

	assert_int_equal(wq_store_open(path, WQ_OPEN_INIT, &store), WQ_ERR_OK);
	assert_int_equal(wq_store_schema_version(store), WQ_SCHEMA_VERSION);
	assert_int_equal(wq_case_list(store, &admin, &filter, &page),
			 WQ_ERR_OK);
	assert_int_equal(page.count, 3);
	assert_int_equal(page.rows[0].id, id[2]);
	assert_int_equal(page.rows[1].id, id[1]);
	assert_int_equal(page.rows[2].id, id[0]);
	assert_null(page.next_cursor);
	wq_case_page_free(&page);
	assert_int_equal(scalar(wq_store_sqlite(store), "SELECT count(*) FROM search_index"
					   " WHERE search_index MATCH '退货'"
					   " AND rowid >> 16 = 0"),
			 0);
	/* a document added after the migration numbers on after the
	 * case's others */
	assert_int_equal(wq_store_begin_write(store), WQ_ERR_OK);
	assert_int_equal(wq_statement_add_tx(store, &desk, id[0], "mediator",
					     "已电话联系商家"),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_commit(store), WQ_ERR_OK);
	assert_int_equal(scalar(wq_store_sqlite(store), "SELECT rowid FROM search_index"
					   " WHERE search_index MATCH '联系'"),
			 (id[0] << 16) + 2);
	filter.search = "电话";
	assert_int_equal(wq_case_list(store, &admin, &filter, &page),
			 WQ_ERR_OK);
	assert_int_equal(page.count, 1);
	assert_int_equal(page.rows[0].id, id[0]);
	wq_case_page_free(&page);
	wq_store_close(&store);
	fixture_remove_dir(dir);
}

/* FTS5's segments, each a b-tree its rowids name in their top bits
 * (fts5_dri() in SQLite's fts5_index.c: 16 bits of segment id above 37
 * of page and height). */
static int64_t index_segments(struct wq_store *store)
{
	return scalar(wq_store_sqlite(store),
		      "SELECT count(DISTINCT id >> 37) FROM search_index_data"
		      " WHERE id >> 37 > 0");
}

static void list_ids(struct wq_store *store, const struct wq_user *actor,
		     const char *search, int64_t ids[4], size_t *count)
{
	struct wq_filter filter = {.search = search, .status = "all"};
	struct wq_case_page page;

	assert_int_equal(wq_case_list(store, actor, &filter, &page),
			 WQ_ERR_OK);
	assert_in_range(page.count, 1, 4);
	*count = page.count;
	for (size_t i = 0; i < page.count; i++)
		ids[i] = page.rows[i].id;
	wq_case_page_free(&page);
}

/* Each commit's terms are a segment of their own, and every search reads
 * every segment; the worker's merge, a step at a time, leaves one a
 * level, and the searches find what they found. */
static void test_merge_index_leaves_one_segment(void **state)
{
	struct wq_store *store = NULL;
	struct wq_user admin, desk;
	char dir[64], path[128];
	static const char *const statements[] = {
		"质量问题，要求退款", "已经退货，退款未到", "商家不发货"};
	int64_t before[4], after[4], id[3];
	size_t n_before, n_after;
	int64_t changes;
	int steps = 0;
	bool merged = true;

	(void)state;
	open_with_cases("merge", dir, path, &store, &admin, &desk, statements,
			id);
	assert_int_equal(index_segments(store), 3);
	list_ids(store, &admin, "退款", before, &n_before);
	assert_int_equal(n_before, 2);

	while (merged) {
		assert_int_equal(wq_store_merge_index(store, 1, &merged),
				 WQ_ERR_OK);
		assert_false(wq_store_in_write(store));
		assert_in_range(++steps, 1, 50);
	}
	assert_true(steps > 1);
	assert_int_equal(index_segments(store), 1);
	assert_string_equal(text(wq_store_sqlite(store),
				 "SELECT v FROM search_index_config"
				 " WHERE k = 'usermerge'"),
			    "2");
	list_ids(store, &admin, "退款", after, &n_after);
	assert_int_equal(n_after, n_before);
	assert_memory_equal(after, before, n_before * sizeof(before[0]));
	list_ids(store, &admin, "发货", after, &n_after);
	assert_int_equal(n_after, 1);
	assert_int_equal(after[0], id[2]);

	/* nothing left: a step writes no page of the index (the command's
	 * own row is the one change) and says so */
	changes = sqlite3_total_changes64(wq_store_sqlite(store));
	assert_int_equal(wq_store_merge_index(store, 64, &merged), WQ_ERR_OK);
	assert_false(merged);
	assert_in_range(sqlite3_total_changes64(wq_store_sqlite(store)) -
				changes,
			0, 1);
	assert_int_equal(index_segments(store), 1);
	wq_store_close(&store);
	fixture_remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_missing_file_is_refused),
		T(test_init_creates_with_pragmas),
		T(test_other_versions_are_refused),
		T(test_foreign_file_is_refused),
		T(test_write_wait_is_bounded),
		T(test_foreign_writer_reports_busy),
		T(test_data_version_sees_other_commits),
		T(test_settings_and_rollback),
		T(test_backup_while_writing),
#undef T
		cmocka_unit_test(test_migration_renumbers_search_index),
		cmocka_unit_test(test_merge_index_leaves_one_segment),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
