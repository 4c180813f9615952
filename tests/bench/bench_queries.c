/* Times the queue, search and ruling paths of the core on an existing
 * database: what `make bench` prints after building the demo database.
 * Each figure is the median of several runs, in milliseconds. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "weiquan/bulk.h"
#include "weiquan/case.h"
#include "weiquan/inbox.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/user.h"
#include "tests/bench/timing.h"

#define RUNS 7

static double time_list(struct wq_store *store, const struct wq_user *actor,
			const struct wq_filter *f, size_t *rows)
{
	double t[RUNS];

	for (int i = 0; i < RUNS; i++) {
		struct wq_case_page page;
		double start = now_ms();

		if (wq_case_list(store, actor, f, &page) != WQ_ERR_OK) {
			fprintf(stderr, "bench: %s\n", wq_err_detail());
			exit(1);
		}
		t[i] = now_ms() - start;
		*rows = page.count;
		wq_case_page_free(&page);
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

static void report(const char *what, double ms, size_t rows)
{
	/* The label goes last: printf pads by bytes, not display columns. */
	printf("%8.2f ms  %4zu rows  %s\n", ms, rows, what);
}

/* Times a list and reports it (the row count is known only after). */
static void report_list(const char *what, struct wq_store *store,
			const struct wq_user *actor, const struct wq_filter *f)
{
	size_t rows = 0;
	double ms = time_list(store, actor, f, &rows);

	report(what, ms, rows);
}

/* The inbox's unread count, what the queue's title reads after every
 * commit, and the list the inbox screen opens with (bench_find times a
 * mediator's; a supervisor's has no cases and many events to pass). */
static void report_inbox(struct wq_store *store, const struct wq_user *who,
			 const char *role)
{
	double t[RUNS], l[RUNS];
	int unread = 0;
	size_t items = 0;
	char label[96];

	for (int i = 0; i < RUNS; i++) {
		struct wq_inbox inbox;
		double start = now_ms();

		if (wq_inbox_unread(store, who, &unread)) {
			fprintf(stderr, "bench: %s\n", wq_err_detail());
			exit(1);
		}
		t[i] = now_ms() - start;
		start = now_ms();
		if (wq_inbox_list(store, who, true, &inbox)) {
			fprintf(stderr, "bench: %s\n", wq_err_detail());
			exit(1);
		}
		l[i] = now_ms() - start;
		items = inbox.n;
		wq_inbox_free(&inbox);
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	qsort(l, RUNS, sizeof(l[0]), cmp_double);
	snprintf(label, sizeof(label), "inbox, a %s's unread count", role);
	report(label, t[RUNS / 2], (size_t)unread);
	snprintf(label, sizeof(label), "inbox, a %s's items (--all)", role);
	report(label, l[RUNS / 2], items);
}

int main(int argc, char **argv)
{
	struct wq_store *store;
	struct wq_user admin, mediator = {0};
	struct wq_filter f;
	char deep_cursor[64] = "";
	struct wq_stmt *st;

	if (argc != 3) {
		fprintf(stderr, "usage: bench_queries DB ADMIN_LOGIN\n");
		return 2;
	}
	if (wq_store_open(argv[1], WQ_OPEN_EXISTING, &store) ||
	    wq_user_lookup(store, argv[2], &admin)) {
		fprintf(stderr, "bench: %s\n", wq_err_detail());
		return 1;
	}

	memset(&f, 0, sizeof(f));
	f.status = "all";
	report_list("case list, first page (50, by due date)", store, &admin, &f);

	/* A cursor half-way down the queue, as paging there would reach. */
	if (wq_store_prepare(store,
			     "SELECT due_on || ',' || id FROM cases"
			     " ORDER BY due_on, id LIMIT 1"
			     " OFFSET (SELECT count(*) / 2 FROM cases)",
			     &st) == WQ_ERR_OK) {
		if (wq_step(st) == WQ_ROW)
			snprintf(deep_cursor, sizeof(deep_cursor), "%s",
				 wq_column_text_or_null(st, 0));
		wq_store_finalize(store, st);
	}
	f.after = deep_cursor;
	report_list("case list, a page half-way down", store, &admin, &f);
	f.after = NULL;

	f.status = "open";
	f.category = "refund";
	report_list("case list, open refund cases", store, &admin, &f);
	f.category = NULL;

	if (wq_store_prepare(store,
			     "SELECT assignee FROM cases WHERE assignee IS NOT"
			     " NULL ORDER BY id LIMIT 1",
			     &st) == WQ_ERR_OK) {
		if (wq_step(st) == WQ_ROW &&
		    wq_user_lookup(store,
				   wq_column_text_or_null(st, 0),
				   &mediator) == WQ_ERR_OK) {
			double t[RUNS];
			size_t ndue = 0;

			f.assignee = "me";
			report_list("case list, a mediator's own queue", store, &mediator, &f);
			f.assignee = NULL;
			/* what the queue's title reads after every commit */
			for (int i = 0; i < RUNS; i++) {
				struct wq_inbox_due *due;
				double start = now_ms();

				if (wq_inbox_due(store, &mediator, &due,
						 &ndue)) {
					fprintf(stderr, "bench: %s\n",
						wq_err_detail());
					return 1;
				}
				t[i] = now_ms() - start;
				free(due);
			}
			qsort(t, RUNS, sizeof(t[0]), cmp_double);
			report("inbox, a mediator's items due within a working day",
			       t[RUNS / 2], ndue);
		}
		wq_store_finalize(store, st);
	}

	if (wq_store_prepare(store,
			     "SELECT login FROM users WHERE role ="
			     " 'supervisor' ORDER BY login LIMIT 1",
			     &st) == WQ_ERR_OK) {
		struct wq_user supervisor;

		if (wq_step(st) == WQ_ROW &&
		    wq_user_lookup(store, wq_column_text_or_null(st, 0),
				   &supervisor) == WQ_ERR_OK)
			report_inbox(store, &supervisor, "supervisor");
		wq_store_finalize(store, st);
	}

	f.order = "review";
	report_list("case list, by time waiting in review (first page)", store,
		    &admin, &f);
	f.order = NULL;

	f.status = "all";
	const char *searches[] = {"退", "退款", "签收", "迟迟不退款",
				  "质量问题"};
	for (size_t i = 0; i < sizeof(searches) / sizeof(searches[0]); i++) {
		char label[80];

		f.search = searches[i];
		snprintf(label, sizeof(label), "search \"%s\", first 50 cases",
			 searches[i]);
		report_list(label, store, &admin, &f);
	}
	f.search = "遲遲不退款";
	report_list("search \"遲遲不退款\" (Traditional), first 50 cases",
		    store, &admin, &f);
	/* Search pages follow case ids: a cursor half-way down. */
	if (wq_store_prepare(store, "SELECT max(id) / 2 FROM cases", &st) ==
	    WQ_ERR_OK) {
		if (wq_step(st) == WQ_ROW)
			snprintf(deep_cursor, sizeof(deep_cursor), "%lld",
				 (long long)wq_column_int64(st, 0));
		wq_store_finalize(store, st);
	}
	f.search = "退款";
	f.after = deep_cursor;
	report_list("search \"退款\", a page half-way down", store, &admin,
		    &f);
	f.after = NULL;
	f.search = NULL;

	/* One ruling: a note on the newest case, committed. */
	if (wq_store_prepare(store,
			     "SELECT number, assignee FROM cases WHERE status"
			     " <> 'closed' AND assignee IS NOT NULL"
			     " ORDER BY id DESC LIMIT 1",
			     &st) == WQ_ERR_OK) {
		if (wq_step(st) == WQ_ROW) {
			char number[32];
			struct wq_user who;
			const char *args[] = {"基准测试备注"};
			struct wq_ruling r = {.action = "note", .argc = 1,
					      .argv = args};
			double t[RUNS];

			snprintf(number, sizeof(number), "%s",
				 wq_column_text_or_null(st, 0));
			if (wq_user_lookup(store,
					   wq_column_text_or_null(
						   st, 1),
					   &who) == WQ_ERR_OK) {
				for (int i = 0; i < RUNS; i++) {
					double start = now_ms();

					if (wq_rule(store, &who, number, &r,
						    NULL)) {
						fprintf(stderr, "bench: %s\n",
							wq_err_detail());
						return 1;
					}
					t[i] = now_ms() - start;
				}
				qsort(t, RUNS, sizeof(t[0]), cmp_double);
				report("one ruling (note), committed",
				       t[RUNS / 2], 1);
			}
		}
		wq_store_finalize(store, st);
	}
	/* Ten open cases moved to another mediator in one write (the
	 * queue's marks and :), each its own event. */
	if (wq_store_prepare(store,
			     "SELECT number FROM cases WHERE status <> 'closed'"
			     " AND assignee IS NOT NULL ORDER BY id DESC"
			     " LIMIT 10",
			     &st) == WQ_ERR_OK) {
		char numbers[10][32];
		const char *list[10], *to[] = {mediator.login};
		struct wq_ruling r = {.action = "assign", .argc = 1,
				      .argv = to};
		struct wq_bulk_outcome *o;
		size_t n = 0, done = 0;
		double start;

		struct wq_user supervisor = {0};

		while (n < 10 && wq_step(st) == WQ_ROW) {
			snprintf(numbers[n], sizeof(numbers[n]), "%s",
				 wq_column_text_or_null(st, 0));
			list[n] = numbers[n];
			n++;
		}
		wq_store_finalize(store, st);
		if (wq_store_prepare(store,
				     "SELECT login FROM users WHERE role ="
				     " 'supervisor' ORDER BY login LIMIT 1",
				     &st) == WQ_ERR_OK) {
			if (wq_step(st) == WQ_ROW)
				wq_user_lookup(
					store,
					wq_column_text_or_null(st, 0),
					&supervisor);
			wq_store_finalize(store, st);
		}
		start = now_ms();
		if (n && *mediator.login && *supervisor.login &&
		    wq_bulk_rule(store, &supervisor, &r, list, NULL, n, &o) ==
			    WQ_ERR_OK) {
			double ms = now_ms() - start;

			for (size_t i = 0; i < n; i++)
				done += o[i].err == WQ_ERR_OK;
			free(o);
			report("ten cases assigned in one write (bulk)", ms,
			       done);
		}
	}
	wq_store_close(&store);
	return 0;
}
