/* The queue's statements at any size: every statement wq_case_list and
 * wq_case_count run for the console's views (a mediator's own cases, the
 * unassigned pool, all cases; each order; first and later pages) is read
 * through an index in the order asked, never sorted whole, and the counts
 * of the views read a counter or an index, not the cases; and the counts
 * so taken are the cases the filters select. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "store_sqlite.h"
#include "weiquan/case.h"
#include "weiquan/demo.h"
#include "weiquan/report.h"
#include "weiquan/wqtime.h"
#include "weiquan/calendar.h"

static struct {
	char dir[64], path[128];
	struct wq_store *store;
	struct wq_user admin, mediator, supervisor;
	/* The statements run since capture() */
	char *sql[64];
	int nsql;
	/* The VM steps of the statements that read a page of cases, and
	 * of those that read the search index */
	long long page_steps, search_steps;
} F;

static int trace(unsigned type, void *ctx, void *stmt, void *text)
{
	const char *sql = text;

	(void)ctx;
	if (type == SQLITE_TRACE_PROFILE) {
		if (strstr(sqlite3_sql(stmt), "FROM cases c JOIN"))
			F.page_steps += sqlite3_stmt_status(
			    stmt, SQLITE_STMTSTATUS_VM_STEP, 0);
		/* ours, not FTS5's own statements on its tables */
		if (strstr(sqlite3_sql(stmt), " MATCH "))
			F.search_steps += sqlite3_stmt_status(
			    stmt, SQLITE_STMTSTATUS_VM_STEP, 0);
		return 0;
	}
	/* Statements inside triggers come as "-- ..." comments. */
	if (type == SQLITE_TRACE_STMT && strncmp(sql, "--", 2) != 0 &&
	    F.nsql < (int)(sizeof(F.sql) / sizeof(F.sql[0])))
		F.sql[F.nsql++] = strdup(sql);
	return 0;
}

static void capture(void)
{
	for (int i = 0; i < F.nsql; i++)
		free(F.sql[i]);
	F.nsql = 0;
	F.page_steps = F.search_steps = 0;
	sqlite3_trace_v2(wq_store_sqlite(F.store),
			 SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, trace, NULL);
}

static void stop_capture(void)
{
	sqlite3_trace_v2(wq_store_sqlite(F.store), 0, NULL, NULL);
}

/* EXPLAIN QUERY PLAN of sql as one line of its details. */
static void plan_of(const char *sql, char *out, size_t size)
{
	assert_int_equal(fixture_plan(F.store, sql, out, size), 0);
}

/* Whether a plan sorts rows read from a table: a temporary b-tree that
 * orders what a bounded subquery returned (the two halves of a keyset
 * page, each LIMITed, named same_key and next_keys) is no sort of the
 * cases. */
static bool sorts_cases(const char *plan)
{
	const char *p = plan, *t;

	while ((t = strstr(p, "USE TEMP B-TREE")) != NULL) {
		/* The entry before it: back over its "; " to the one before. */
		const char *prev = t >= plan + 2 ? t - 2 : plan;

		while (prev > plan && prev[-1] != ';')
			prev--;
		while (*prev == ' ')
			prev++;
		if (t == plan || (strncmp(prev, "SCAN (subquery-", 15) != 0 &&
				  strncmp(prev, "SCAN same_key;", 14) != 0 &&
				  strncmp(prev, "SCAN next_keys;", 15) != 0))
			return true;
		p = t + 1;
	}
	return false;
}

static int setup(void **state)
{
	struct wq_demo_opts o = {.cases = 120, .seed = 7};
	struct wq_demo_result r;

	(void)state;
	if (fixture_open("caselist", "2026-08-01T01:00:00Z", F.dir, F.path,
			 &F.store, &F.admin) != 0)
		return -1;
	if (wq_demo_fill(F.store, &F.admin, &o, &r) != WQ_ERR_OK)
		return -1;
	/* Demo users: li.na is a mediator, chen.jie a supervisor. */
	if (wq_user_lookup(F.store, "li.na", &F.mediator) != WQ_ERR_OK ||
	    wq_user_lookup(F.store, "chen.jie", &F.supervisor) != WQ_ERR_OK)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_capture();
	for (int i = 0; i < F.nsql; i++)
		free(F.sql[i]);
	wq_store_close(&F.store);
	fixture_remove_dir(F.dir);
	return 0;
}

static const char *const views[] = {"me", "none", NULL};
static const char *const orders[] = {"due", "received", "amount", "status",
				     "merchant"};
#define NORDERS (sizeof(orders) / sizeof(orders[0]))
/* A cursor of each order's shape (key, id). */
static const char *const cursors[] = {"2026-08-20,40",
				      "2026-07-15T02:00:00Z,40", "9900,40",
				      "in_mediation,40", "3,40"};

/* Each page of each view in each order is an index range in that order:
 * no statement sorts the matching cases (a temporary b-tree), which at a
 * million cases is a sort of hundreds of thousands of rows per key. */
static void test_pages_need_no_sort(void **state)
{
	const struct wq_user *actors[] = {&F.mediator, &F.supervisor};

	(void)state;
	/* ... and the review order (o == NORDERS), the cases in review
	 * alone, the longest waiting first: at 794,081 cases its page of
	 * all of them sorted every open case (645 ms). */
	for (size_t a = 0; a < 2; a++)
		for (size_t v = 0; v < 3; v++)
			for (size_t o = 0; o <= NORDERS; o++)
				for (int page = 0; page < 2; page++) {
					struct wq_filter f = {0};
					struct wq_case_page p;
					char plan[2048];
					bool review = o == NORDERS;

					f.assignee = views[v];
					f.order = review ? "review" : orders[o];
					f.after = !page	  ? NULL
						  : review ? "2026-07-15T02:00:00Z,40"
							   : cursors[o];
					f.limit = 10;
					capture();
					assert_int_equal(wq_case_list(F.store,
								      actors[a],
								      &f, &p),
							 WQ_ERR_OK);
					stop_capture();
					wq_case_page_free(&p);
					assert_true(F.nsql > 0);
					for (int i = 0; i < F.nsql; i++) {
						plan_of(F.sql[i], plan,
							sizeof(plan));
						if (sorts_cases(plan))
							fail_msg(
							    "%s %s %s: %s",
							    actors[a]->login,
							    views[v] ? views[v]
								     : "all",
							    f.order, plan);
					}
				}
}

/* The tables (an index counts as its table's) a statement's program
 * opens to read, as "name name ...". */
static void tables_read(const char *sql, char *out, size_t size)
{
	char *explain = malloc(strlen(sql) + 16);
	sqlite3 *db = wq_store_sqlite(F.store);
	sqlite3_stmt *st, *name;
	size_t used = 0;

	sprintf(explain, "EXPLAIN %s", sql);
	assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT tbl_name FROM sqlite_schema"
			       " WHERE rootpage = ?1",
			       -1, &name, NULL),
	    SQLITE_OK);
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (strcmp((const char *)sqlite3_column_text(st, 1),
			   "OpenRead") != 0)
			continue;
		sqlite3_bind_int64(name, 1, sqlite3_column_int64(st, 3));
		if (sqlite3_step(name) == SQLITE_ROW && used < size)
			used += (size_t)snprintf(
			    out + used, size - used, "%s ",
			    (const char *)sqlite3_column_text(name, 0));
		sqlite3_reset(name);
	}
	sqlite3_finalize(name);
	sqlite3_finalize(st);
	free(explain);
}

/* A page of a list reads, for each row, the case's row and its
 * merchant's, and otherwise only tables as large as the open work (a
 * case's pending follow-up, its wait in review) or of a few rows: at a
 * million cases a row of a table kept for every case (the consumer, the
 * regime until schema 32, the contacts) is one more page in no cache for
 * every row listed.  Every order, first and later pages, and a search;
 * a lookup by the case reader still gives the consumer's name. */
static void test_pages_read_the_case_and_merchant(void **state)
{
	static const char *const small[] = {"follow_ups", "review_waits",
					    "clock_sources", "settings", NULL};
	static const char *const all[] = {"due",    "received", "amount",
					  "status", "merchant", "review"};
	struct wq_case_reader *reader;
	struct wq_case_row row;
	char tables[2048];

	(void)state;
	for (size_t o = 0; o <= sizeof(all) / sizeof(all[0]); o++) {
		char *cursor = NULL;

		for (int page = 0; page < 2; page++) {
			struct wq_filter f = {.status = "all", .limit = 5};
			struct wq_case_page p;
			int read = 0;

			if (o < sizeof(all) / sizeof(all[0]))
				f.order = all[o];
			else
				f.search = "退款";
			f.after = cursor;
			capture();
			assert_int_equal(wq_case_list(F.store, &F.supervisor,
						      &f, &p),
					 WQ_ERR_OK);
			stop_capture();
			assert_true(p.count > 0);
			assert_string_equal(p.rows[0].consumer, "");
			free(cursor);
			cursor = p.next_cursor;
			p.next_cursor = NULL;
			wq_case_page_free(&p);
			for (int i = 0; i < F.nsql; i++) {
				if (!strstr(F.sql[i], " cases c "))
					continue;
				tables_read(F.sql[i], tables, sizeof(tables));
				for (char *t = strtok(tables, " "); t;
				     t = strtok(NULL, " ")) {
					bool ok = strcmp(t, "cases") == 0 ||
						  strcmp(t, "merchants") == 0;

					for (int k = 0; small[k]; k++)
						ok = ok || strcmp(t, small[k]) == 0;
					if (!ok)
						fail_msg("%s page %d reads %s: %s",
							 f.order ? f.order
								 : "search",
							 page, t, F.sql[i]);
				}
				read++;
			}
			assert_true(read > 0);
			if (page == 0)
				assert_non_null(cursor);
		}
		free(cursor);
	}
	assert_int_equal(wq_case_reader_new(F.store, &F.supervisor, &reader),
			 WQ_ERR_OK);
	assert_int_equal(wq_case_reader_get(reader, 1, &row), WQ_ERR_OK);
	assert_true(*row.consumer);
	wq_case_reader_free(&reader);
}

/* A mediator's queue filtered by category is one index range of their
 * cases of that category, not a walk through everyone's cases of it. */
static void test_filtered_page_is_a_range(void **state)
{
	struct wq_filter f = {.assignee = "me", .category = "quality"};
	struct wq_case_page p;
	char plan[2048];
	int pages = 0;

	(void)state;
	for (int page = 0; page < 2; page++) {
		f.after = page ? cursors[0] : NULL;
		capture();
		assert_int_equal(wq_case_list(F.store, &F.mediator, &f, &p),
				 WQ_ERR_OK);
		stop_capture();
		wq_case_page_free(&p);
		for (int i = 0; i < F.nsql; i++) {
			/* The page, not the calendar loaded on the way. */
			if (!strstr(F.sql[i], "FROM cases c"))
				continue;
			plan_of(F.sql[i], plan, sizeof(plan));
			if (!strstr(plan, "(assignee=? AND category=?") ||
			    sorts_cases(plan))
				fail_msg("page %d: %s", page, plan);
			pages++;
		}
	}
	assert_int_equal(pages, 2);
}

/* Lists a page of f as actor: the plan of the one statement that read the
 * page into plan, that statement's SQL into *sql when sql is not NULL
 * (valid until the next capture), and the page's row count. */
static size_t page_plan(const struct wq_user *actor,
			const struct wq_filter *f, char *plan, size_t size,
			const char **sql)
{
	struct wq_case_page p;
	size_t rows;
	int pages = 0;

	capture();
	assert_int_equal(wq_case_list(F.store, actor, f, &p), WQ_ERR_OK);
	stop_capture();
	rows = p.count;
	wq_case_page_free(&p);
	for (int i = 0; i < F.nsql; i++) {
		if (!strstr(F.sql[i], "FROM cases c JOIN"))
			continue;
		plan_of(F.sql[i], plan, size);
		if (sql)
			*sql = F.sql[i];
		pages++;
	}
	assert_int_equal(pages, 1);
	return rows;
}

/* A rare flag's cases come from its own index (schema 27), named after
 * the flag, in due order and in any other: not from cases_flagged, read
 * in due order until a page of them turns up (all the open flagged cases
 * for a flag that five of them have). */
static void test_rare_flag_reads_its_own_index(void **state)
{
	static const char *const rare[] = {"collective", "wrongful-notice",
					   "malicious-notice"};
	char plan[2048], index[64];

	(void)state;
	for (size_t r = 0; r < sizeof(rare) / sizeof(rare[0]); r++) {
		snprintf(index, sizeof(index), "USING INDEX cases_flag_%s ",
			 rare[r]);
		for (char *p = index; *p; p++)
			if (*p == '-')
				*p = '_';
		for (size_t o = 0; o < 2 * NORDERS; o++) {
			/* All cases, then a mediator's own. */
			bool mine = o >= NORDERS;
			struct wq_filter f = {.flag = rare[r],
					      .order = orders[o % NORDERS],
					      .assignee = mine ? "me" : NULL};

			page_plan(mine ? &F.mediator : &F.supervisor, &f,
				  plan, sizeof(plan), NULL);
			if (!strstr(plan, index))
				fail_msg("%s by %s: %s", rare[r], f.order,
					 plan);
		}
	}
}

/* All cases of a common status, or open cases of a common category, in
 * another order: the page is a range of the order's index, not every case
 * of that status sorted (184,310 in mediation of 794,081 took 1.6 s by
 * received). */
static void test_common_status_page_reads_the_order(void **state)
{
	static const struct {
		const char *status, *category;
	} filters[] = {{"in_mediation", NULL}, {"closed", NULL},
		       {NULL, "quality"}};
	char plan[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		for (size_t o = 0; o < NORDERS; o++) {
			struct wq_filter f = {.status = filters[i].status,
					      .category = filters[i].category,
					      .order = orders[o],
					      .limit = 10};

			assert_true(page_plan(&F.supervisor, &f, plan,
					      sizeof(plan), NULL) > 0);
			if (sorts_cases(plan))
				fail_msg("%s by %s: %s",
					 f.status ? f.status : f.category,
					 orders[o], plan);
		}
}

/* In due order, either way, the cases of one status, or all of one
 * category, are a range of that column's index (column, due_on, id):
 * through the due index, the cases in mediation last due first read
 * 1,032,000 SQLite steps at 999,015 cases, past every case with a later
 * deadline or none.  In received order, one status's cases are a range of
 * cases_by_status_received (schema 28): through the received index, the
 * closed cases newest first read 566,000 steps, past the newer open ones. */
static void test_filter_index_in_its_order(void **state)
{
	static const struct {
		const char *status, *category, *order, *index;
	} filters[] = {
	    {"in_mediation", NULL, "due", "cases_by_status "},
	    {"closed", NULL, "due", "cases_by_status "},
	    {"all", "quality", "due", "cases_by_category"},
	    {"in_mediation", NULL, "received", "cases_by_status_received"},
	    {"closed", NULL, "received", "cases_by_status_received"}};
	char plan[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		for (int reverse = 0; reverse < 2; reverse++) {
			struct wq_filter f = {.status = filters[i].status,
					      .category = filters[i].category,
					      .order = filters[i].order,
					      .reverse = reverse,
					      .limit = 10};

			assert_true(page_plan(&F.supervisor, &f, plan,
					      sizeof(plan), NULL) > 0);
			if (sorts_cases(plan) ||
			    !strstr(plan, filters[i].index))
				fail_msg("%s %s by %s%s: %s",
					 filters[i].status,
					 f.category ? f.category : "", f.order,
					 reverse ? " reversed" : "", plan);
		}
}

/* The unassigned pool with one status, in due or received order, reads
 * the pool's own index: through the status's, the unassigned closed cases
 * (there are none) read every closed case, 2,308,000 SQLite steps at
 * 999,015 cases, where the whole pool is 115,000. */
static void test_pool_with_a_status_reads_the_pool(void **state)
{
	static const char *const statuses[] = {"closed", "in_mediation"};
	static const char *const by[] = {"due", "received"};
	char plan[2048];

	(void)state;
	for (size_t i = 0; i < 2; i++)
		for (size_t o = 0; o < 2; o++) {
			struct wq_filter f = {.status = statuses[i],
					      .assignee = "none",
					      .order = by[o],
					      .limit = 10};

			page_plan(&F.supervisor, &f, plan, sizeof(plan), NULL);
			if (sorts_cases(plan) ||
			    !strstr(plan, "cases_by_assignee"))
				fail_msg("unassigned %s by %s: %s",
					 statuses[i], by[o], plan);
		}
}

/* The review order with filters reads review_waits in wait order, not
 * the filter's cases sorted (a category's in review: 1.5 s at 794,081
 * cases); a status no case in review has lists nothing, reading nothing
 * (the closed cases by wait read all of review_waits: 0.9 s). */
static void test_review_order_with_filters(void **state)
{
	struct wq_filter by_category = {.category = "quality",
					.order = "review"};
	struct wq_filter closed = {.status = "closed", .order = "review"};
	char plan[2048];
	const char *sql;

	(void)state;
	page_plan(&F.supervisor, &by_category, plan, sizeof(plan), NULL);
	if (sorts_cases(plan) || !strstr(plan, "SCAN w USING"))
		fail_msg("quality by review: %s", plan);
	assert_int_equal(
	    page_plan(&F.supervisor, &closed, plan, sizeof(plan), &sql), 0);
	assert_non_null(strstr(sql, " AND FALSE"));
}

/* The VM steps of the page after the one of `before` rows of f. */
static long long later_page_steps(const struct wq_filter *filter,
				  size_t before)
{
	struct wq_filter f = *filter;
	struct wq_case_page p;
	char *cursor;

	f.limit = (int)before;
	assert_int_equal(wq_case_list(F.store, &F.supervisor, &f, &p),
			 WQ_ERR_OK);
	assert_non_null(p.next_cursor);
	cursor = p.next_cursor;
	p.next_cursor = NULL;
	wq_case_page_free(&p);
	f.after = cursor;
	f.limit = 3;
	capture();
	assert_int_equal(wq_case_list(F.store, &F.supervisor, &f, &p),
			 WQ_ERR_OK);
	stop_capture();
	assert_true(p.count > 0);
	wq_case_page_free(&p);
	free(cursor);
	return F.page_steps;
}

/* A later page of a range of days in the range's own order (the
 * dashboard's drill-downs: a forecast day by due) seeks from the page's
 * key, not from the range's bound on that side: with both bounds in the
 * statement SQLite seeks by one, and seeking by the range's, the page
 * after a forecast day's first read all 21,885 cases due that day at a
 * million cases.  Near the end of a wide range, each order and its
 * reverse: the page reads about what it reads with no bound on that side
 * (before, 884 VM steps against 654 for a due range of 33 cases). */
static void test_later_page_of_a_range_seeks_its_key(void **state)
{
	static const struct {
		const char *order;
		bool reverse;
	} orders_[] = {{"due", false},
		       {"due", true},
		       {"received", false},
		       {"received", true}};

	(void)state;
	for (size_t i = 0; i < sizeof(orders_) / sizeof(orders_[0]); i++) {
		bool due = strcmp(orders_[i].order, "due") == 0;
		/* The side the page's key bounds: from for an ascending order
		 * (due, or received reversed), to otherwise. */
		bool key_from = due != orders_[i].reverse;
		struct wq_filter wide = {.status = "all",
					 .order = orders_[i].order,
					 .reverse = orders_[i].reverse};
		struct wq_filter open_side;
		struct wq_case_page p;
		size_t n;
		long long ranged, unbounded;

		if (due) {
			wide.due_from = "2000-01-01";
			wide.due_to = "2099-12-31";
		} else {
			wide.received_from = "2000-01-01";
			wide.received_to = "2099-12-31";
		}
		open_side = wide;
		if (key_from) {
			open_side.due_from = NULL;
			open_side.received_from = NULL;
		} else {
			open_side.due_to = NULL;
			open_side.received_to = NULL;
		}
		wide.limit = 1000;
		assert_int_equal(
		    wq_case_list(F.store, &F.supervisor, &wide, &p),
		    WQ_ERR_OK);
		n = p.count;
		wq_case_page_free(&p);
		assert_true(n > 12);
		ranged = later_page_steps(&wide, n - 4);
		unbounded = later_page_steps(&open_side, n - 4);
		if (ranged > unbounded + unbounded / 10)
			fail_msg("%s%s: %lld steps, %lld with no bound on the "
				 "key's side",
				 orders_[i].order,
				 orders_[i].reverse ? " reversed" : "", ranged,
				 unbounded);
	}
}

/* The open cases' pages in the orders where closed cases sit among the
 * open ones (an early due date kept from before the case closed, any
 * amount, any merchant) read an index of the open cases alone, for a
 * mediator's own, the unassigned and all cases, first and later pages:
 * a closed case is never read only to be dropped. */
static void test_open_pages_read_no_closed_case(void **state)
{
	static const size_t ordered[] = {0, 2, 4}; /* due, amount, merchant */

	(void)state;
	for (size_t v = 0; v < 3; v++)
		for (size_t o = 0; o < sizeof(ordered) / sizeof(ordered[0]);
		     o++)
			for (int page = 0; page < 2; page++) {
				struct wq_filter f = {0};
				struct wq_case_page p;
				char plan[2048];
				int pages = 0;

				f.assignee = views[v];
				f.order = orders[ordered[o]];
				f.after = page ? cursors[ordered[o]] : NULL;
				f.limit = 10;
				capture();
				assert_int_equal(wq_case_list(F.store,
							      &F.supervisor, &f,
							      &p),
						 WQ_ERR_OK);
				stop_capture();
				wq_case_page_free(&p);
				for (int i = 0; i < F.nsql; i++) {
					if (!strstr(F.sql[i], "FROM cases c"))
						continue;
					plan_of(F.sql[i], plan, sizeof(plan));
					if (!strstr(plan, "INDEX cases_open_by_"))
						fail_msg("%s %s page %d: %s",
							 views[v] ? views[v]
								  : "all",
							 f.order, page, plan);
					pages++;
				}
				assert_int_equal(pages, 1);
			}
}

/* A listed case in review shows since when it has waited from
 * review_waits, one row by its id (in the review order, the entry of the
 * index the page is read from), not from a walk of its events; and the
 * wait is the one its events give (REVIEW_WAIT_SINCE, src/schema.c): the
 * last submit or approve, else its last change. */
static void test_review_wait_without_events(void **state)
{
	struct wq_filter f = {.status = "all", .order = "review"};
	struct wq_case_page p;
	char plan[2048];
	int reviewed = 0;

	(void)state;
	f.limit = 200;
	capture();
	assert_int_equal(wq_case_list(F.store, &F.supervisor,
				      &(struct wq_filter){.status = "all"},
				      &p),
			 WQ_ERR_OK);
	stop_capture();
	wq_case_page_free(&p);
	for (int i = 0; i < F.nsql; i++) {
		if (!strstr(F.sql[i], "FROM cases c"))
			continue;
		plan_of(F.sql[i], plan, sizeof(plan));
		if (strstr(plan, "SEARCH e ") || strstr(plan, "events"))
			fail_msg("the page reads the events: %s", plan);
	}
	/* the review order reads each wait once, from the index it pages */
	capture();
	assert_int_equal(wq_case_list(F.store, &F.supervisor, &f, &p),
			 WQ_ERR_OK);
	stop_capture();
	for (int i = 0; i < F.nsql; i++) {
		if (!strstr(F.sql[i], "FROM cases c"))
			continue;
		plan_of(F.sql[i], plan, sizeof(plan));
		if (strstr(plan, "SEARCH rw "))
			fail_msg("the review order reads the waits twice: %s",
				 plan);
	}
	for (size_t i = 0; i < p.count; i++) {
		sqlite3_stmt *st;

		assert_int_equal(
		    sqlite3_prepare_v2(
			wq_store_sqlite(F.store),
			"SELECT coalesce((SELECT e.at FROM events e"
			" WHERE e.case_id = c.id AND e.action IN"
			" ('submit', 'approve') ORDER BY e.id DESC LIMIT 1),"
			" c.updated_at) FROM cases c WHERE c.id = ?1",
			-1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_int64(st, 1, p.rows[i].id);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal(p.rows[i].review_since,
				    (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		reviewed++;
	}
	wq_case_page_free(&p);
	/* the demo has cases in review: the test compares some */
	assert_true(reviewed > 0);
}

/* A view's count reads one counter row (a column, or an assignee and a
 * category), or (other filters combined on one assignee's cases) an
 * index alone: never the cases' rows. */
static void test_counts_read_no_case_rows(void **state)
{
	static const struct {
		const char *assignee, *status, *category;
		bool counter;
		const char *order;
	} cases[] = {
	    {"me", NULL, NULL, true, NULL},
	    {"none", NULL, NULL, true, NULL},
	    {NULL, NULL, NULL, true, NULL},
	    {NULL, "received", NULL, true, NULL},
	    {NULL, "all", NULL, true, NULL},
	    {NULL, NULL, "quality", true, NULL},
	    {"me", NULL, "quality", true, NULL},
	    {"me", "received", NULL, false, NULL},
	    {"none", NULL, "refund", true, NULL},
	    {"me", "all", "refund", false, NULL},
	    /* the review order lists the cases in review alone: their
	     * statuses' counters hold how many */
	    {NULL, NULL, NULL, true, "review"},
	    {NULL, "all", NULL, true, "review"},
	    {NULL, "final_review", NULL, true, "review"},
	    {"me", NULL, NULL, true, "review"},
	    {"none", "all", NULL, true, "review"},
	    {"me", "first_review", NULL, true, "review"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wq_filter f = {0};
		int64_t n;
		char plan[2048];

		f.assignee = cases[i].assignee;
		f.status = cases[i].status;
		f.category = cases[i].category;
		f.order = cases[i].order;
		capture();
		assert_int_equal(wq_case_count(F.store, &F.mediator, &f, &n),
				 WQ_ERR_OK);
		stop_capture();
		assert_int_equal(F.nsql, 1);
		plan_of(F.sql[0], plan, sizeof(plan));
		if (cases[i].counter ? strstr(plan, " c ") != NULL ||
					   !strstr(plan, "report_counts")
				     : !strstr(plan, "COVERING INDEX"))
			fail_msg("count %zu (%s): %s", i, F.sql[0], plan);
	}
}

static int64_t scalar(const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(wq_store_sqlite(F.store), sql, -1, &st, NULL),
			 SQLITE_OK);
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The counters say what the cases say, for every key of each counted
 * filter, after the demo's rulings moved the cases about. */
static void test_counts_match_the_cases(void **state)
{
	struct wq_filter f = {0};
	int64_t n;
	sqlite3_stmt *st;

	(void)state;
	assert_int_equal(wq_case_count(F.store, &F.supervisor, &f, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, scalar("SELECT count(*) FROM cases WHERE"
				   " status <> 'closed'",
				   NULL));
	f.status = "all";
	assert_int_equal(wq_case_count(F.store, &F.supervisor, &f, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, scalar("SELECT count(*) FROM cases", NULL));
	assert_true(n > 0);

	f.assignee = "none";
	f.status = NULL;
	assert_int_equal(wq_case_count(F.store, &F.supervisor, &f, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, scalar("SELECT count(*) FROM cases WHERE"
				   " status <> 'closed' AND assignee IS NULL",
				   NULL));
	f.assignee = "me";
	assert_int_equal(wq_case_count(F.store, &F.mediator, &f, &n),
			 WQ_ERR_OK);
	assert_int_equal(n, scalar("SELECT count(*) FROM cases WHERE"
				   " status <> 'closed' AND assignee = ?1",
				   "li.na"));
	assert_true(n > 0);

	assert_int_equal(sqlite3_prepare_v2(wq_store_sqlite(F.store),
					    "SELECT DISTINCT status FROM cases",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		struct wq_filter g = {.status = status};

		assert_int_equal(wq_case_count(F.store, &F.supervisor, &g, &n),
				 WQ_ERR_OK);
		assert_int_equal(n, scalar("SELECT count(*) FROM cases"
					   " WHERE status = ?1",
					   status));
	}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(wq_store_sqlite(F.store),
					    "SELECT DISTINCT category FROM"
					    " cases",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *category = (const char *)sqlite3_column_text(st, 0);
		struct wq_filter g = {.category = category};

		assert_int_equal(wq_case_count(F.store, &F.supervisor, &g, &n),
				 WQ_ERR_OK);
		assert_int_equal(n, scalar("SELECT count(*) FROM cases WHERE"
					   " status <> 'closed'"
					   " AND category = ?1",
					   category));
		g.assignee = "me";
		assert_int_equal(wq_case_count(F.store, &F.mediator, &g, &n),
				 WQ_ERR_OK);
		assert_int_equal(n, scalar("SELECT count(*) FROM cases WHERE"
					   " status <> 'closed' AND"
					   " assignee = 'li.na'"
					   " AND category = ?1",
					   category));
		g.assignee = "none";
		assert_int_equal(wq_case_count(F.store, &F.mediator, &g, &n),
				 WQ_ERR_OK);
		assert_int_equal(n, scalar("SELECT count(*) FROM cases WHERE"
					   " status <> 'closed' AND"
					   " assignee IS NULL"
					   " AND category = ?1",
					   category));
	}
	sqlite3_finalize(st);
}

/* How many cases wq_case_list lists for f (every page), checking that
 * wq_case_count says the same, and that both are figure unless it is
 * negative. */
static int64_t listed(const struct wq_filter *filter, const char *what,
		      int64_t figure)
{
	struct wq_filter f = *filter;
	struct wq_case_page p;
	int64_t n = 0, counted = -1;
	char *after = NULL;

	f.limit = 7;
	do {
		f.after = after;
		assert_int_equal(wq_case_list(F.store, &F.supervisor, &f, &p),
				 WQ_ERR_OK);
		n += (int64_t)p.count;
		free(after);
		after = p.next_cursor ? strdup(p.next_cursor) : NULL;
		wq_case_page_free(&p);
	} while (after);
	f.after = NULL;
	assert_int_equal(wq_case_count(F.store, &F.supervisor, &f, &counted),
			 WQ_ERR_OK);
	if (figure < 0)
		figure = n;
	if (n != figure || counted != figure)
		fail_msg("%s: the figure %lld, listed %lld, counted %lld", what,
			 (long long)figure, (long long)n, (long long)counted);
	return n;
}

/* Each figure of the dashboard selects exactly the cases it counts, as
 * the console's drill-down lists them: the queue's pages and its count
 * (from the counters) give the figure. */
static void test_figures_list_their_cases(void **state)
{
	struct wq_report r;
	char yesterday[11], tomorrow[11], what[128];
	int today = wq_local_day(wq_now());
	int64_t some = 0;

	(void)state;
	assert_int_equal(wq_report_load(F.store, &F.supervisor, &r), WQ_ERR_OK);
	wq_date_format(today - 1, yesterday);
	wq_date_format(today + 1, tomorrow);
	for (size_t i = 0; i <= r.nclocks; i++) {
		const struct wq_report_clock *c =
			i < r.nclocks ? &r.clocks[i] : &r.due;
		struct wq_filter f = {.status = "all", .due_to = yesterday};

		f.clock = i < r.nclocks ? c->clock : NULL;
		snprintf(what, sizeof(what), "%s overdue", c->clock);
		some += listed(&f, what, c->overdue);
		f.due_from = f.due_to = r.today;
		snprintf(what, sizeof(what), "%s due today", c->clock);
		listed(&f, what, c->due_today);
		f.due_from = tomorrow;
		f.due_to = r.soon_until;
		snprintf(what, sizeof(what), "%s due soon", c->clock);
		some += listed(&f, what, c->due_soon);
	}
	for (int i = 0; i < WQ_REPORT_FORECAST; i++) {
		char from[11];
		int d;

		assert_true(wq_date_parse(i ? r.forecast_day[i - 1] : r.today,
					  &d));
		wq_date_format(d + 1, from);
		listed(&(struct wq_filter){.status = "all", .due_from = from,
					   .due_to = r.forecast_day[i]},
		       r.forecast_day[i], r.due.forecast[i]);
	}
	for (size_t i = 0; i < r.nmediators; i++) {
		const struct wq_report_mediator *m = &r.mediators[i];

		listed(&(struct wq_filter){.assignee = m->login}, m->login,
		       m->open);
		listed(&(struct wq_filter){.status = "all",
					   .assignee = m->login,
					   .due_to = yesterday},
		       m->login, m->overdue);
		listed(&(struct wq_filter){.status = "all",
					   .assignee = m->login,
					   .due_from = r.today,
					   .due_to = r.today},
		       m->login, m->due_today);
	}
	for (size_t i = 0; i < r.ntop; i++)
		some += listed(&(struct wq_filter){.status = "all",
						   .type = "complaint",
						   .merchant_id = r.top[i].id},
			       r.top[i].name, r.top[i].complaints);
	for (size_t i = 0; i < r.open_by_flag.n; i++)
		some += listed(&(struct wq_filter){.flag =
							r.open_by_flag.v[i].key},
			       r.open_by_flag.v[i].key, r.open_by_flag.v[i].n);
	listed(&(struct wq_filter){.status = "all",
				   .received_from = r.history_day[0],
				   .received_to =
				       r.history_day[WQ_REPORT_HISTORY - 1]},
	       "intake", r.intake_last30);
	/* the demo's figures are not all zero: the test compares cases */
	assert_true(some > 0);
	wq_report_free(&r);
}

/* The review order lists the cases in review alone, and its count says
 * how many it lists, whatever else the filter or the figure drilled
 * into holds. */
static void test_review_order_counts_what_it_lists(void **state)
{
	static const char *const statuses[] = {NULL, "all", "first_review",
					       "final_review", "received"};
	struct wq_report r;
	char yesterday[11];
	int64_t in_review = 0, in_review_mine = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		const char *s = statuses[i];
		int64_t want = scalar(
		    !s || !strcmp(s, "all")
			? "SELECT count(*) FROM cases WHERE status IN"
			  " ('first_review', 'final_review')"
			: "SELECT count(*) FROM cases WHERE status = ?1"
			  " AND status IN ('first_review', 'final_review')",
		    !s || !strcmp(s, "all") ? NULL : s);

		in_review += want;
		listed(&(struct wq_filter){.status = s, .order = "review"},
		       s ? s : "open", want);
		listed(&(struct wq_filter){.status = s, .order = "review",
					   .category = "quality"},
		       s ? s : "open, quality", -1);
		for (size_t a = 0; a < 2; a++) {
			const char *who = a ? "none" : "li.na";
			char sql[256];
			sqlite3_stmt *st;
			int64_t theirs = -1;

			snprintf(sql, sizeof(sql),
				 "SELECT count(*) FROM cases WHERE %s AND"
				 " status IN ('first_review', 'final_review')"
				 " AND (?1 IS NULL OR status = ?1)",
				 a ? "assignee IS NULL" : "assignee = 'li.na'");
			assert_int_equal(
			    sqlite3_prepare_v2(wq_store_sqlite(F.store), sql,
					       -1, &st, NULL),
			    SQLITE_OK);
			if (s && strcmp(s, "all"))
				sqlite3_bind_text(st, 1, s, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				theirs = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
			listed(&(struct wq_filter){.status = s,
						   .order = "review",
						   .assignee = who},
			       who, theirs);
			if (!a && !s)
				in_review_mine = theirs;
		}
	}
	/* li.na has cases in review in the demo: her counter is tried */
	assert_true(in_review_mine > 0);
	/* the demo has cases in review: the test compares some */
	assert_true(in_review > 0);
	assert_int_equal(wq_report_load(F.store, &F.supervisor, &r), WQ_ERR_OK);
	wq_date_format(wq_local_day(wq_now()) - 1, yesterday);
	listed(&(struct wq_filter){.status = "all", .due_to = yesterday,
				   .order = "review"},
	       "overdue, in review", -1);
	listed(&(struct wq_filter){.status = "all", .type = "complaint",
				   .merchant_id = r.ntop ? r.top[0].id : 1,
				   .order = "review"},
	       "a merchant's complaints, in review", -1);
	wq_report_free(&r);
}

/* A search page is one statement over the index, however many hits the
 * filters pass over before the page is full.  Each statement over FTS5
 * opens every segment of each term again: read a chunk of 256 hits at a
 * time, li.na's page of her own cases with 退款 took ten statements at a
 * million cases (7.8 ms; 1.8 ms as one).  And whether a hit is one of an
 * assignee's open cases is a look in cases_open_by_assignee_id, not in
 * the case's row.  Here 600 hits on the newest cases of others come
 * before hers, and every page, first and later, lists what a search of
 * every case lists of hers, or of the unassigned cases. */
static void test_search_reads_the_index_once(void **state)
{
	static const char *const assignees[] = {"li.na", "none"};
	sqlite3 *db = wq_store_sqlite(F.store);
	struct wq_filter all = {.search = "退款", .status = "all",
				.limit = 1000};
	struct wq_case_page whole;

	(void)state;
	assert_int_equal(sqlite3_exec(db,
		"SAVEPOINT others_hits;"
		"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1"
		" FROM n WHERE i < 59)"
		" INSERT INTO search_index(rowid, body)"
		" SELECT (c.id << 16) + 1000 + n.i, '退款 另一个调解员'"
		" FROM (SELECT id FROM cases WHERE coalesce(assignee, '')"
		" <> 'li.na' ORDER BY id DESC LIMIT 10) AS c, n;"
		/* three old open cases go back to the pool, with a hit */
		"UPDATE cases SET assignee = NULL WHERE id IN (SELECT id"
		" FROM cases WHERE status <> 'closed' AND assignee <> 'li.na'"
		" ORDER BY id LIMIT 3);"
		"INSERT INTO search_index(rowid, body)"
		" SELECT (id << 16) + 2000, '退款 未分配' FROM cases"
		" WHERE assignee IS NULL AND status <> 'closed'",
		NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(wq_case_list(F.store, &F.supervisor, &all, &whole),
			 WQ_ERR_OK);
	assert_null(whole.next_cursor);
	for (size_t a = 0; a < 2; a++) {
		const char *login = a == 0 ? "li.na" : "";
		char *cursor = NULL;
		size_t theirs = 0, listed = 0;

		for (size_t i = 0; i < whole.count; i++)
			theirs += strcmp(whole.rows[i].assignee, login) == 0 &&
				  strcmp(whole.rows[i].status, "closed") != 0;
		if (theirs < 2)
			fail_msg("%zu open cases of '%s' with a hit", theirs,
				 login);
		do {
			struct wq_filter f = {.search = "退款",
					      .assignee = assignees[a],
					      .limit = 2, .after = cursor};
			struct wq_case_page p;
			int reads = 0;

			capture();
			assert_int_equal(wq_case_list(F.store, &F.supervisor,
						      &f, &p),
					 WQ_ERR_OK);
			stop_capture();
			for (int i = 0; i < F.nsql; i++) {
				char plan[2048];

				if (!strstr(F.sql[i], "search_index"))
					continue;
				reads++;
				/* the hits come in the page's order, not
				 * sorted after every one is read, and the
				 * assignee's are told by their index */
				plan_of(F.sql[i], plan, sizeof(plan));
				if (strstr(plan, "TEMP B-TREE") ||
				    !strstr(plan, "INDEX cases_open_by_assignee_id"))
					fail_msg("the search of %s: %s",
						 assignees[a], plan);
			}
			if (reads != 1)
				fail_msg("a page after %s read the index %d "
					 "times", cursor ? cursor : "none",
					 reads);
			for (size_t i = 0; i < p.count; i++) {
				/* in the order of the search of every case */
				while (listed < whole.count &&
				       whole.rows[listed].id != p.rows[i].id)
					listed++;
				assert_true(listed < whole.count);
				assert_string_equal(p.rows[i].assignee, login);
			}
			free(cursor);
			cursor = p.next_cursor;
			p.next_cursor = NULL;
			theirs -= p.count;
			wq_case_page_free(&p);
		} while (cursor);
		assert_int_equal(theirs, 0);
	}
	wq_case_page_free(&whole);
	assert_int_equal(sqlite3_exec(db, "ROLLBACK TO others_hits;"
					  " RELEASE others_hits;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
}

/* The VM steps of the statements over the index for the first page of
 * a search of one assignee's open cases. */
static long long first_page_steps(const char *assignee, int64_t *first)
{
	struct wq_filter f = {.search = "退款", .assignee = assignee,
			      .limit = 2};
	struct wq_case_page p;

	capture();
	assert_int_equal(wq_case_list(F.store, &F.supervisor, &f, &p),
			 WQ_ERR_OK);
	stop_capture();
	assert_true(p.count > 0);
	*first = p.rows[0].id;
	wq_case_page_free(&p);
	return F.search_steps;
}

/* A search of one assignee's open cases starts at their newest open case:
 * the newest cases, new complaints no one has taken yet (2,026 at a
 * million demo cases) or others' cases, are not read hit by hit.  Here
 * the ten newest cases go to another mediator, and 600 hits on them
 * change neither li.na's first page nor the unassigned's, nor what
 * reading it costs. */
static void test_search_starts_at_the_assignees_newest(void **state)
{
	static const char *const assignees[] = {"li.na", "none"};
	sqlite3 *db = wq_store_sqlite(F.store);

	(void)state;
	assert_int_equal(sqlite3_exec(db,
		"SAVEPOINT newer;"
		"UPDATE cases SET assignee = (SELECT login FROM users WHERE"
		" role = 'mediator' AND login <> 'li.na' ORDER BY login"
		" LIMIT 1), status = 'in_mediation'"
		" WHERE id IN (SELECT id FROM cases ORDER BY id DESC LIMIT 10);"
		/* three old open cases go back to the pool, and the open
		 * cases in it get a hit each */
		"UPDATE cases SET assignee = NULL WHERE id IN (SELECT id"
		" FROM cases WHERE status <> 'closed' AND assignee <> 'li.na'"
		" ORDER BY id LIMIT 3);"
		"INSERT INTO search_index(rowid, body)"
		" SELECT (id << 16) + 2000, '退款 未分配' FROM cases"
		" WHERE assignee IS NULL AND status <> 'closed'",
		NULL, NULL, NULL), SQLITE_OK);
	for (size_t a = 0; a < 2; a++) {
		int64_t first, first_after;
		long long steps, steps_after;

		steps = first_page_steps(assignees[a], &first);
		assert_true(steps > 0);
		assert_int_equal(sqlite3_exec(db,
			"SAVEPOINT hits;"
			"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1"
			" FROM n WHERE i < 59)"
			" INSERT INTO search_index(rowid, body)"
			" SELECT (c.id << 16) + 1000 + n.i, '退款 另一个调解员'"
			" FROM (SELECT id FROM cases ORDER BY id DESC LIMIT 10)"
			" AS c, n;",
			NULL, NULL, NULL), SQLITE_OK);
		steps_after = first_page_steps(assignees[a], &first_after);
		assert_int_equal(sqlite3_exec(db, "ROLLBACK TO hits;"
						  " RELEASE hits;",
					      NULL, NULL, NULL),
				 SQLITE_OK);
		assert_int_equal(first_after, first);
		if (steps_after != steps)
			fail_msg("%s's first page: %lld VM steps, %lld after "
				 "600 hits on newer cases of another",
				 assignees[a], steps, steps_after);
	}
	assert_int_equal(sqlite3_exec(db, "ROLLBACK TO newer; RELEASE newer;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pages_need_no_sort),
	    cmocka_unit_test(test_filtered_page_is_a_range),
	    cmocka_unit_test(test_rare_flag_reads_its_own_index),
	    cmocka_unit_test(test_common_status_page_reads_the_order),
	    cmocka_unit_test(test_review_order_with_filters),
	    cmocka_unit_test(test_filter_index_in_its_order),
	    cmocka_unit_test(test_pool_with_a_status_reads_the_pool),
	    cmocka_unit_test(test_later_page_of_a_range_seeks_its_key),
	    cmocka_unit_test(test_pages_read_the_case_and_merchant),
	    cmocka_unit_test(test_open_pages_read_no_closed_case),
	    cmocka_unit_test(test_review_wait_without_events),
	    cmocka_unit_test(test_counts_read_no_case_rows),
	    cmocka_unit_test(test_counts_match_the_cases),
	    cmocka_unit_test(test_figures_list_their_cases),
	    cmocka_unit_test(test_review_order_counts_what_it_lists),
	    cmocka_unit_test(test_search_reads_the_index_once),
	    cmocka_unit_test(test_search_starts_at_the_assignees_newest),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("caselist", tests, setup, teardown);
}
