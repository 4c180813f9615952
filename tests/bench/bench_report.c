/* Times the dashboard's figures on an existing database: wq_report_load()
 * (what the console's dashboard runs after each commit of another
 * session) and wq_report_json() (`weiquan report --json`).  Prints the
 * median of 7 runs of each, first run (cold cache) apart, in milliseconds.
 *
 *   bench_report DB [LOGIN]
 *
 * LOGIN must be a supervisor or an admin of DB (default: the first
 * active supervisor, else admin).  The database must be at this
 * program's schema: migrate a copy with `weiquan --db COPY init` first. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_sqlite.h"
#include "weiquan/report.h"
#include "weiquan/store.h"
#include "weiquan/user.h"
#include "tests/bench/timing.h"

#define RUNS 7

static void die(const char *what, enum wq_err err)
{
	fprintf(stderr, "bench_report: %s: %s: %s\n", what, wq_strerror(err),
		wq_err_detail());
	exit(1);
}

static void pick_login(struct wq_store *store, char *login, size_t size)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(wq_store_sqlite(store),
			       "SELECT login FROM users WHERE active = 1 AND"
			       " role IN ('supervisor', 'admin')"
			       " ORDER BY role = 'admin', login LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_report: %s\n", sqlite3_errmsg(wq_store_sqlite(store)));
		exit(1);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(login, size, "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

int main(int argc, char **argv)
{
	struct wq_store *store;
	struct wq_user actor;
	struct wq_report r;
	enum wq_err err;
	char login[64] = "";
	double load[RUNS], json[RUNS], cold, start;
	size_t json_len = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_report DB [LOGIN]\n");
		return 2;
	}
	err = wq_store_open(argv[1], WQ_OPEN_EXISTING, &store);
	if (err)
		die(argv[1], err);
	if (argc == 3)
		snprintf(login, sizeof(login), "%s", argv[2]);
	else
		pick_login(store, login, sizeof(login));
	err = wq_user_lookup(store, login, &actor);
	if (err)
		die(login, err);

	start = now_ms();
	err = wq_report_load(store, &actor, &r);
	if (err)
		die("report", err);
	cold = now_ms() - start;
	printf("%" PRId64 " cases, %" PRId64 " open, %" PRId64
	       " overdue, %zu mediators, %zu merchants listed (as %s)\n",
	       r.cases, r.open, r.due.overdue, r.nmediators, r.ntop, login);
	wq_report_free(&r);

	for (int i = 0; i < RUNS; i++) {
		start = now_ms();
		err = wq_report_load(store, &actor, &r);
		load[i] = now_ms() - start;
		if (err)
			die("report", err);
		wq_report_free(&r);
	}
	for (int i = 0; i < RUNS; i++) {
		char *text;

		start = now_ms();
		err = wq_report_json(store, &actor, &text);
		json[i] = now_ms() - start;
		if (err)
			die("report --json", err);
		json_len = strlen(text);
		free(text);
	}
	qsort(load, RUNS, sizeof(load[0]), cmp_double);
	qsort(json, RUNS, sizeof(json[0]), cmp_double);
	printf("%8.2f ms  wq_report_load, first run\n", cold);
	printf("%8.2f ms  wq_report_load, median of %d (min %.2f, max %.2f)\n",
	       load[RUNS / 2], RUNS, load[0], load[RUNS - 1]);
	printf("%8.2f ms  wq_report_json, median of %d (%zu bytes)\n",
	       json[RUNS / 2], RUNS, json_len);
	wq_store_close(&store);
	return load[RUNS / 2] < 50.0 ? 0 : 1;
}
