/* Two connections racing on PostgreSQL, through the store's own calls
 * (tests/pg/test_pg_race.sh runs it on a throwaway cluster):
 *
 *   pg_race URI
 *
 * 1. A write waiting on a row another session holds runs out of its
 *    lock_timeout: WQ_ERR_BUSY in the SQLite driver's words for a wait
 *    that ran out, and nothing of the transaction is left.
 * 2. A statement outside a transaction that a deadlock picks as its
 *    victim (SQLSTATE 40P01) is run again by the driver and goes through:
 *    the caller never sees the lost race.  The other session waits on an
 *    advisory lock the statement holds while the statement waits on one
 *    that session holds; the statement's session detects the deadlock
 *    first (its deadlock_timeout is the shorter).  Once through
 *    wq_stmt (a bound statement), once through wq_store_exec (plain SQL).
 *    That a deadlock did happen is checked in pg_stat_database, so the
 *    test cannot pass without the race.
 *
 * Output is TAP; exit status 0 only if every check passed. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "weiquan/err.h"
#include "weiquan/store.h"

/* Keys of the advisory locks the race is over (not the driver's). */
#define KEY_A "7700001"
#define KEY_B "7700002"

static const char *uri;
static int tap_n, tap_failed;

static void check(bool cond, const char *what, const char *detail)
{
	tap_n++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", tap_n, what);
	if (!cond) {
		tap_failed++;
		if (detail && *detail)
			printf("# %s\n", detail);
	}
}

static struct wq_store *open_store(void)
{
	struct wq_store *s;
	enum wq_err err = wq_store_open(uri, WQ_OPEN_EXISTING, &s);

	if (err) {
		printf("Bail out! cannot open %s: %s\n", uri, wq_err_detail());
		exit(1);
	}
	return s;
}

static int64_t query_int(struct wq_store *s, const char *sql)
{
	struct wq_stmt *st;
	int64_t v = -1;

	if (wq_store_prepare(s, sql, &st) != WQ_ERR_OK)
		return -1;
	if (wq_step(st) == WQ_ROW)
		v = wq_column_int64(st, 0);
	wq_store_finalize(s, st);
	return v;
}

static void ms_sleep(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int64_t deadlocks(struct wq_store *s)
{
	/* A session's counts reach the shared statistics when it goes
	 * idle, at most once a second unless told. */
	wq_store_exec(s, "SELECT pg_stat_force_next_flush()");
	return query_int(s, "SELECT deadlocks FROM pg_stat_database"
			    " WHERE datname = current_database()");
}

/* 1: a lock wait that runs out. */
static void lock_timeout_is_busy(void)
{
	struct wq_store *a = open_store(), *b = open_store();
	struct wq_stmt *st;
	enum wq_err err = WQ_ERR_OK;
	char want[160];

	wq_store_exec(a, "DROP TABLE IF EXISTS race_rows;"
			 "CREATE TABLE race_rows(id integer PRIMARY KEY,"
			 " n integer NOT NULL);"
			 "INSERT INTO race_rows VALUES (1, 0)");
	/* Another session holds the row. */
	check(wq_store_exec(b, "BEGIN; SELECT n FROM race_rows WHERE id = 1"
			       " FOR UPDATE") == WQ_ERR_OK,
	      "another session locks the row", wq_err_detail());
	wq_store_set_write_wait(a, 300);
	if (wq_store_begin_write(a) != WQ_ERR_OK) {
		check(false, "a write begins", wq_err_detail());
		return;
	}
	if (wq_store_prepare(a, "INSERT INTO race_rows VALUES (2, 0)", &st) ==
		WQ_ERR_OK &&
	    wq_step(st) != WQ_DONE)
		err = wq_store_error(a, "insert");
	wq_store_finalize(a, st);
	if (!err &&
	    wq_store_prepare(a, "UPDATE race_rows SET n = n + 1 WHERE id = 1",
			     &st) == WQ_ERR_OK) {
		if (wq_step(st) != WQ_DONE)
			err = wq_store_error(a, "update");
		wq_store_finalize(a, st);
	}
	if (!err)
		err = wq_store_commit(a);
	else
		wq_store_rollback(a);
	check(err == WQ_ERR_BUSY, "the write waiting on the row ends busy",
	      wq_err_detail());
	snprintf(want, sizeof(want),
		 "other sessions kept the database busy for %.1f seconds; "
		 "nothing was written",
		 0.3);
	check(strcmp(wq_err_detail(), want) == 0,
	      "told in the SQLite driver's words for a wait that ran out",
	      wq_err_detail());
	check(!wq_store_in_write(a), "the write is over", NULL);
	wq_store_exec(b, "ROLLBACK");
	check(query_int(a, "SELECT count(*) FROM race_rows") == 1 &&
		  query_int(a, "SELECT n FROM race_rows WHERE id = 1") == 0,
	      "nothing of it was written (the row before the wait neither)",
	      NULL);
	wq_store_exec(a, "DROP TABLE race_rows");
	wq_store_close(&b);
	wq_store_close(&a);
}

/* The other side of a deadlock, in a child: takes KEY_A, waits until
 * the parent's statement waits on it (holding KEY_B), then asks for
 * KEY_B, and commits once it has it. */
static void deadlock_partner(int ready_fd)
{
	struct wq_store *s = open_store();
	int tries;

	/* The parent's session is to be the one that detects it. */
	if (wq_store_exec(s, "SET deadlock_timeout = '20s'; BEGIN;"
			     " SELECT pg_advisory_xact_lock(" KEY_A ")"))
		_exit(2);
	if (write(ready_fd, "r", 1) != 1)
		_exit(3);
	close(ready_fd);
	for (tries = 0; tries < 500; tries++) {
		if (query_int(s, "SELECT count(*) FROM pg_locks WHERE"
				 " locktype = 'advisory' AND NOT granted AND"
				 " objid = " KEY_A) > 0)
			break;
		ms_sleep(10);
	}
	if (tries == 500)
		_exit(4);
	if (wq_store_exec(s, "SELECT pg_advisory_xact_lock(" KEY_B ");"
			     " COMMIT"))
		_exit(5);
	wq_store_close(&s);
	_exit(0);
}

/* 2: a statement outside a transaction loses a deadlock and is run
 * again; through_stmt: bound and stepped, else wq_store_exec. */
static void lost_race_is_retried(bool through_stmt)
{
	struct wq_store *a = open_store();
	int ready[2], status;
	int64_t before;
	pid_t pid;
	char c;
	bool ok;
	const char *sql = "SELECT pg_advisory_xact_lock(" KEY_B "),"
			  " pg_advisory_xact_lock(" KEY_A "), 1";
	const char *how = through_stmt ? "a bound statement" : "plain SQL";
	char what[160];

	wq_store_exec(a, "SET deadlock_timeout = '100ms'");
	before = deadlocks(a);
	if (pipe(ready) != 0) {
		perror("pipe");
		exit(1);
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		deadlock_partner(ready[1]);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		check(false, "the other session takes its lock", NULL);
		return;
	}
	close(ready[0]);
	if (through_stmt) {
		struct wq_stmt *st;

		ok = wq_store_prepare(a, sql, &st) == WQ_ERR_OK &&
		     wq_step(st) == WQ_ROW && wq_column_int(st, 2) == 1;
		if (!ok)
			wq_store_error(a, "step");
		wq_store_finalize(a, st);
	} else {
		ok = wq_store_exec(a, sql) == WQ_ERR_OK;
	}
	snprintf(what, sizeof(what),
		 "%s that lost a deadlock went through on its own retry", how);
	check(ok, what, ok ? NULL : wq_err_detail());
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	snprintf(what, sizeof(what), "%s: the other session got both locks too",
		 how);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, what, NULL);
	snprintf(what, sizeof(what), "%s: there was a deadlock", how);
	check(deadlocks(a) > before, what,
	      "pg_stat_database counted none: the race did not happen");
	wq_store_close(&a);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: pg_race URI\n");
		return 2;
	}
	uri = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	lock_timeout_is_busy();
	lost_race_is_retried(true);
	lost_race_is_retried(false);
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
