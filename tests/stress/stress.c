/* weiquan: the concurrency stress benchmark.
 *
 *   stress DB WRITERS RULINGS_EACH MODE [--max-p99 MS]
 *
 * Forks WRITERS processes that each open their own store and apply
 * RULINGS_EACH `note` rulings back to back through wq_rule(), the same call
 * the console and the command line make.  MODE "distinct": every writer is
 * a mediator of its own (stress.mNNN, added if missing) working its own
 * case; MODE "same": every writer is a supervisor noting the one same case.
 * Each wq_rule() call is timed with CLOCK_MONOTONIC: that is the commit
 * latency a user sees, queueing for the write lock included.
 *
 * The parent then reports throughput and p50/p99/max latency, counts every
 * error by code (WQ_ERR_BUSY above all), and checks that every
 * acknowledged ruling is in the database (its note text, exactly once, and
 * its audit event), that the audit chain verifies and that PRAGMA
 * integrity_check says ok (on PostgreSQL, amcheck of the indexes).
 * Exit status 0 only if every check passes (and, with --max-p99, the p99
 * latency is within the bound).  DB is a file or a postgresql:// URI.
 *
 * With STRESS_TRACE=FILE in the environment, every ruling is also written
 * to FILE as "start_ms latency_ms writer ruling error", start_ms counted
 * from the moment the writers were let go: where the slow ones cluster in
 * time says whether a stall (a checkpoint, say) or the queue's order made
 * them slow.  STRESS_FIGURES and STRESS_HOLD are for stress.sh (see
 * figures() and hold_for_profiler()). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "weiquan/audit.h"
#include "weiquan/err.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

#define TOKEN_MAX 64
#define MAX_WRITERS 4096

struct writer {
	char login[64];
	char number[32];
};

/* What a child hands back, one record per ruling, through a file. */
struct record {
	int32_t ruling;
	int32_t err;          /* enum wq_err */
	int64_t start_ns;     /* CLOCK_MONOTONIC, the same in every process */
	int64_t latency_ns;
	int64_t event_id;
};

static const char *db_path;
static int n_writers, n_rulings;
static bool same_mode;
static char run_tag[32];
static char results_dir[256];
static char integrity_how[32] = "integrity";

static void die(const char *what, enum wq_err err)
{
	fprintf(stderr, "stress: %s: %s: %s\n", what, wq_strerror(err),
		wq_err_detail());
	exit(1);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void token(char *out, int w, int r)
{
	snprintf(out, TOKEN_MAX, "stress-%s-w%d-r%d", run_tag, w, r);
}

static int64_t query_int(struct wq_store *s, const char *sql)
{
	struct wq_stmt *st;
	int64_t v = -1;

	if (wq_store_prepare_once(s, sql, &st) != WQ_ERR_OK)
		die(sql, wq_store_error(s, "prepare"));
	if (wq_step(st) == WQ_ROW)
		v = wq_column_int64(st, 0);
	wq_store_finalize(s, st);
	return v;
}

/* The first login of a role, or exits. */
static void login_of_role(struct wq_store *s, const char *role, int nth,
			  char *out, size_t size)
{
	struct wq_stmt *st;
	int count = 0;

	wq_store_prepare_once(s,
			   "SELECT login FROM users WHERE role = ?1 AND"
			   " active = 1 ORDER BY login", &st);
	wq_bind_text(st, 1, role);
	out[0] = '\0';
	while (wq_step(st) == WQ_ROW) {
		if (count == 0 || count <= nth)
			snprintf(out, size, "%s", wq_column_text_or_null(st, 0));
		if (count++ == nth)
			break;
	}
	wq_store_finalize(s, st);
	if (!out[0]) {
		fprintf(stderr, "stress: %s has no active %s; run "
			"'weiquan demo' on it first\n", db_path, role);
		exit(1);
	}
}

static int count_role(struct wq_store *s, const char *role)
{
	struct wq_stmt *st;
	int n = 0;

	wq_store_prepare_once(s,
			   "SELECT count(*) FROM users WHERE role = ?1 AND"
			   " active = 1", &st);
	wq_bind_text(st, 1, role);
	if (wq_step(st) == WQ_ROW)
		n = wq_column_int(st, 0);
	wq_store_finalize(s, st);
	return n;
}

/* Picks an open case: one already assigned to `login` if there is one,
 * else the first in mediation that no stress mediator holds. */
static bool pick_case(struct wq_store *s, const char *login, int skip,
		      char *number, bool *assigned)
{
	struct wq_stmt *st;
	bool found = false;

	*assigned = false;
	if (login) {
		wq_store_prepare_once(s,
				   "SELECT number FROM cases WHERE assignee = ?1"
				   " AND status = 'in_mediation'"
				   " ORDER BY id LIMIT 1", &st);
		wq_bind_text(st, 1, login);
		if (wq_step(st) == WQ_ROW) {
			snprintf(number, 32, "%s", wq_column_text_or_null(st, 0));
			*assigned = found = true;
		}
		wq_store_finalize(s, st);
		if (found)
			return true;
	}
	wq_store_prepare_once(s,
			   "SELECT number FROM cases WHERE status = 'in_mediation'"
			   " AND (assignee IS NULL OR assignee NOT LIKE 'stress.%')"
			   " ORDER BY id LIMIT 1 OFFSET ?1", &st);
	wq_bind_int(st, 1, skip);
	if (wq_step(st) == WQ_ROW) {
		snprintf(number, 32, "%s", wq_column_text_or_null(st, 0));
		found = true;
	}
	wq_store_finalize(s, st);
	return found;
}

/* Users and cases, set up with the core's own calls before the clock runs. */
static void prepare(struct writer *w)
{
	struct wq_store *s;
	struct wq_user admin, sup;
	char login[64];
	enum wq_err err;
	int nsup;

	err = wq_store_open(db_path, WQ_OPEN_EXISTING, &s);
	if (err)
		die(db_path, err);
	login_of_role(s, "supervisor", 0, login, sizeof(login));
	if ((err = wq_user_lookup(s, login, &sup)))
		die(login, err);

	if (same_mode) {
		bool assigned;
		char number[32];

		if (!pick_case(s, NULL, 0, number, &assigned)) {
			fprintf(stderr, "stress: no case in mediation\n");
			exit(1);
		}
		nsup = count_role(s, "supervisor");
		for (int i = 0; i < n_writers; i++) {
			login_of_role(s, "supervisor", i % nsup, w[i].login,
				      sizeof(w[i].login));
			snprintf(w[i].number, sizeof(w[i].number), "%s",
				 number);
		}
		wq_store_close(&s);
		return;
	}

	login_of_role(s, "admin", 0, login, sizeof(login));
	if ((err = wq_user_lookup(s, login, &admin)))
		die(login, err);
	int skip = 0;
	for (int i = 0; i < n_writers; i++) {
		struct wq_user m;
		bool assigned;

		snprintf(w[i].login, sizeof(w[i].login), "stress.m%03d", i + 1);
		if (wq_user_lookup(s, w[i].login, &m) != WQ_ERR_OK) {
			err = wq_user_add(s, &admin, w[i].login,
					  WQ_ROLE_MEDIATOR, w[i].login);
			if (err)
				die(w[i].login, err);
		}
		for (;;) {
			struct wq_ruling_result res;
			const char *argv[1] = {w[i].login};
			struct wq_ruling rl = {"assign", 1, argv, 0};

			if (!pick_case(s, w[i].login, skip, w[i].number,
				       &assigned)) {
				fprintf(stderr, "stress: not enough cases in "
					"mediation for %d writers\n",
					n_writers);
				exit(1);
			}
			if (assigned)
				break;
			err = wq_rule(s, &sup, w[i].number, &rl, &res);
			if (!err)
				break;
			/* A declared conflict of interest, say: the next. */
			skip++;
		}
	}
	wq_store_close(&s);
}

static void write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3);
		p += n;
		len -= (size_t)n;
	}
}

static void child(int idx, const struct writer *w, int ready_fd, int go_fd)
{
	struct wq_store *s;
	struct wq_user u;
	struct record *rec = calloc((size_t)n_rulings, sizeof(*rec));
	char path[512], tok[TOKEN_MAX], c;
	enum wq_err err;
	FILE *f;
	int first_detail = 1;

	err = wq_store_open(db_path, WQ_OPEN_EXISTING, &s);
	if (!err)
		err = wq_user_lookup(s, w->login, &u);
	if (err) {
		fprintf(stderr, "stress: writer %d: %s: %s\n", idx,
			wq_strerror(err), wq_err_detail());
		_exit(2);
	}
	write_all(ready_fd, "r", 1);
	close(ready_fd);
	while (read(go_fd, &c, 1) < 0 && errno == EINTR)
		;
	close(go_fd);

	for (int r = 0; r < n_rulings; r++) {
		struct wq_ruling_result res = {0};
		const char *argv[1] = {tok};
		struct wq_ruling rl = {"note", 1, argv, 0};
		int64_t t0;

		token(tok, idx, r);
		t0 = now_ns();
		err = wq_rule(s, &u, w->number, &rl, &res);
		rec[r].start_ns = t0;
		rec[r].latency_ns = now_ns() - t0;
		rec[r].ruling = r;
		rec[r].err = (int32_t)err;
		rec[r].event_id = err ? 0 : res.event_id;
		if (err && first_detail) {
			first_detail = 0;
			fprintf(stderr, "stress: writer %d ruling %d: %s: %s\n",
				idx, r, wq_strerror(err), wq_err_detail());
		}
	}
	wq_store_close(&s);

	snprintf(path, sizeof(path), "%s/w%d", results_dir, idx);
	f = fopen(path, "wb");
	if (!f || fwrite(rec, sizeof(*rec), (size_t)n_rulings, f) !=
			  (size_t)n_rulings || fclose(f) != 0)
		_exit(4);
	free(rec);
	_exit(0);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Nearest-rank percentile of a sorted array. */
static double pct_ms(const int64_t *v, size_t n, double p)
{
	size_t rank;

	if (n == 0)
		return 0;
	rank = (size_t)((p / 100.0) * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return (double)v[rank - 1] / 1e6;
}

/* SQLite's integrity_check; on PostgreSQL, amcheck's check of every
 * B-tree index of the schema (an error if one does not match its table),
 * when the extension is installed in the database: the server guards
 * its heap itself, so the indexes are what a bad write would show in. */
static void integrity_check(struct wq_store *s, char *out, size_t size)
{
	struct wq_stmt *st;

	if (!wq_store_is_pg_uri(db_path)) {
		wq_store_prepare_once(s, "PRAGMA integrity_check", &st);
		if (wq_step(st) == WQ_ROW)
			snprintf(out, size, "%s", wq_column_text_or_null(st, 0));
		wq_store_finalize(s, st);
		return;
	}
	if (query_int(s, "SELECT count(*) FROM pg_extension"
			 " WHERE extname = 'amcheck'") != 1) {
		snprintf(out, size, "ok");
		strcpy(integrity_how, "not checked (no amcheck)");
		return;
	}
	strcpy(integrity_how, "amcheck");
	if (wq_store_prepare_once(s,
			   "SELECT count(*) FROM (SELECT bt_index_check(c.oid)"
			   " FROM pg_class c JOIN pg_am a ON a.oid = c.relam"
			   " WHERE a.amname = 'btree' AND c.relkind = 'i' AND"
			   " c.relnamespace = 'public'::regnamespace) AS checked",
			   &st) == WQ_ERR_OK &&
	    wq_step(st) == WQ_ROW)
		snprintf(out, size, "ok");
	else {
		wq_store_error(s, "amcheck");
		snprintf(out, size, "%s", wq_err_detail());
	}
	wq_store_finalize(s, st);
}

/* With STRESS_FIGURES=FILE, one line per run is appended to FILE for
 * stress.sh's table: writers, mode, rulings, seconds, rulings/s, p50, p90,
 * p99 and max in ms, errors. */
static void figures(double secs, size_t n_ok, size_t n_err,
		    const int64_t *lat, size_t n_lat)
{
	const char *path = getenv("STRESS_FIGURES");
	FILE *f;

	if (!path || !*path || !(f = fopen(path, "a")))
		return;
	fprintf(f, "%d %s %zu %.2f %.0f %.1f %.1f %.1f %.1f %zu\n", n_writers,
		same_mode ? "same" : "distinct", n_ok, secs,
		secs > 0 ? (double)n_ok / secs : 0.0, pct_ms(lat, n_lat, 50),
		pct_ms(lat, n_lat, 90), pct_ms(lat, n_lat, 99),
		n_lat ? (double)lat[n_lat - 1] / 1e6 : 0.0, n_err);
	fclose(f);
}

/* With STRESS_HOLD=FILE, FILE is made once the writers are done and the
 * checks wait (up to a minute) until it is gone: a profiler's cue to take
 * its figures before the checks' own queries add to them. */
static void hold_for_profiler(void)
{
	const char *path = getenv("STRESS_HOLD");
	FILE *f;

	if (!path || !*path || !(f = fopen(path, "w")))
		return;
	fclose(f);
	for (int i = 0; i < 6000 && access(path, F_OK) == 0; i++) {
		struct timespec ts = {0, 10000000L};

		nanosleep(&ts, NULL);
	}
	unlink(path);
}

static void usage(void)
{
	fprintf(stderr, "usage: stress DB WRITERS RULINGS_EACH distinct|same "
			"[--max-p99 MS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct writer *w;
	int ready[2], go[2];
	pid_t *pids;
	int64_t t_start, t_end, before_stmt, before_event;
	double max_p99 = 0;
	int child_failed = 0;

	if (argc != 5 && argc != 7)
		usage();
	db_path = argv[1];
	n_writers = atoi(argv[2]);
	n_rulings = atoi(argv[3]);
	if (n_writers < 1 || n_writers > MAX_WRITERS || n_rulings < 1)
		usage();
	if (strcmp(argv[4], "same") == 0)
		same_mode = true;
	else if (strcmp(argv[4], "distinct") != 0)
		usage();
	if (argc == 7) {
		if (strcmp(argv[5], "--max-p99") != 0)
			usage();
		max_p99 = atof(argv[6]);
	}
	snprintf(run_tag, sizeof(run_tag), "%lx%x", (long)time(NULL),
		 (unsigned)getpid());

	w = calloc((size_t)n_writers, sizeof(*w));
	pids = calloc((size_t)n_writers, sizeof(*pids));
	prepare(w);

	{
		struct wq_store *s;
		enum wq_err err = wq_store_open(db_path, WQ_OPEN_EXISTING, &s);

		if (err)
			die(db_path, err);
		before_stmt = query_int(s, "SELECT coalesce(max(id), 0) FROM statements");
		before_event = query_int(s, "SELECT coalesce(max(id), 0) FROM events");
		wq_store_close(&s);
	}

	snprintf(results_dir, sizeof(results_dir), "%s/wq-stress.XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR")
						       : "/tmp");
	if (!mkdtemp(results_dir)) {
		perror("stress: mkdtemp");
		return 1;
	}
	if (pipe(ready) != 0 || pipe(go) != 0) {
		perror("stress: pipe");
		return 1;
	}
	fflush(NULL);
	for (int i = 0; i < n_writers; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("stress: fork");
			for (int j = 0; j < i; j++)
				kill(pids[j], SIGKILL);
			return 1;
		}
		if (pids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			child(i, &w[i], ready[1], go[0]);
		}
	}
	close(ready[1]);
	close(go[0]);
	/* Every writer has its store open: start them all at once. */
	for (int i = 0; i < n_writers; i++) {
		char c;
		ssize_t n = read(ready[0], &c, 1);

		if (n < 0 && errno == EINTR) {
			i--;
			continue;
		}
		if (n != 1)
			break;   /* a writer died early; waitpid reports it */
	}
	close(ready[0]);
	t_start = now_ns();
	close(go[1]);
	for (int i = 0; i < n_writers; i++) {
		int status;

		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "stress: writer %d failed (status %d)\n",
				i, status);
			child_failed++;
		}
	}
	t_end = now_ns();
	hold_for_profiler();

	/* ---- gather ---- */
	size_t total = (size_t)n_writers * (size_t)n_rulings, n_ok = 0,
	       n_err = 0;
	int64_t *lat = calloc(total, sizeof(*lat));
	int64_t *events = calloc(total, sizeof(*events));
	char **acked = calloc(total, sizeof(*acked));
	char **failed = calloc(total, sizeof(*failed));
	size_t n_failed_tok = 0;
	unsigned long by_err[WQ_ERR_COUNT_] = {0};
	size_t n_lat = 0;

	FILE *trace = NULL;

	if (getenv("STRESS_TRACE") && *getenv("STRESS_TRACE")) {
		trace = fopen(getenv("STRESS_TRACE"), "w");
		if (!trace)
			perror(getenv("STRESS_TRACE"));
	}
	for (int i = 0; i < n_writers; i++) {
		char path[512], tok[TOKEN_MAX];
		struct record rec;
		FILE *f;

		snprintf(path, sizeof(path), "%s/w%d", results_dir, i);
		f = fopen(path, "rb");
		if (!f)
			continue;
		while (fread(&rec, sizeof(rec), 1, f) == 1) {
			token(tok, i, rec.ruling);
			lat[n_lat++] = rec.latency_ns;
			if (trace)
				fprintf(trace, "%.3f %.3f %d %d %d\n",
					(double)(rec.start_ns - t_start) / 1e6,
					(double)rec.latency_ns / 1e6, i,
					rec.ruling, rec.err);
			if (rec.err == WQ_ERR_OK) {
				events[n_ok] = rec.event_id;
				acked[n_ok++] = strdup(tok);
			} else {
				n_err++;
				if (rec.err >= 0 && rec.err < WQ_ERR_COUNT_)
					by_err[rec.err]++;
				failed[n_failed_tok++] = strdup(tok);
			}
		}
		fclose(f);
		unlink(path);
	}
	rmdir(results_dir);
	if (trace)
		fclose(trace);
	qsort(lat, n_lat, sizeof(*lat), cmp_i64);

	/* ---- check ---- */
	struct wq_store *s;
	enum wq_err err = wq_store_open(db_path, WQ_OPEN_EXISTING, &s);
	size_t n_new = 0, cap = 1024, present = 0, dup = 0, ev_ok = 0,
	       unacked_present = 0;
	char **found = malloc(cap * sizeof(*found));
	struct wq_stmt *st;
	struct wq_audit_report rep;
	enum wq_err audit_err;
	char integrity[256] = "";

	if (err)
		die(db_path, err);
	wq_store_prepare_once(s,
			   "SELECT text FROM statements WHERE id > ?1 AND"
			   " text LIKE 'stress-%'", &st);
	wq_bind_int64(st, 1, before_stmt);
	while (wq_step(st) == WQ_ROW) {
		if (n_new == cap)
			found = realloc(found, (cap *= 2) * sizeof(*found));
		found[n_new++] = strdup(wq_column_text_or_null(st, 0));
	}
	wq_store_finalize(s, st);
	qsort(found, n_new, sizeof(*found), cmp_str);
	for (size_t i = 0; i < n_ok; i++) {
		char **hit = bsearch(&acked[i], found, n_new, sizeof(*found),
				     cmp_str);

		if (!hit)
			continue;
		present++;
		if ((hit > found && strcmp(hit[-1], acked[i]) == 0) ||
		    (hit + 1 < found + n_new && strcmp(hit[1], acked[i]) == 0))
			dup++;
	}
	for (size_t i = 0; i < n_failed_tok; i++)
		if (bsearch(&failed[i], found, n_new, sizeof(*found), cmp_str))
			unacked_present++;
	/* Each acknowledged ruling's audit event is the note it reported. */
	wq_store_prepare_once(s,
			   "SELECT count(*) FROM events WHERE id = ?1 AND"
			   " id > ?2 AND action = 'note'", &st);
	for (size_t i = 0; i < n_ok; i++) {
		wq_bind_int64(st, 1, events[i]);
		wq_bind_int64(st, 2, before_event);
		if (wq_step(st) == WQ_ROW &&
		    wq_column_int(st, 0) == 1)
			ev_ok++;
		wq_stmt_reset(st);
	}
	wq_store_finalize(s, st);
	audit_err = wq_audit_verify(s, &rep);
	integrity_check(s, integrity, sizeof(integrity));
	wq_store_close(&s);

	/* ---- report ---- */
	double secs = (double)(t_end - t_start) / 1e9;
	double p99 = pct_ms(lat, n_lat, 99);
	bool pass = child_failed == 0 && n_err == 0 && present == n_ok &&
		    dup == 0 && ev_ok == n_ok && audit_err == WQ_ERR_OK &&
		    strcmp(integrity, "ok") == 0 && n_lat == total;

	printf("%d writers, %s: %zu rulings in %.1f s = %.0f/s; commit p50 "
	       "%.1f ms p90 %.1f ms p99 %.1f ms max %.1f ms; %zu errors; "
	       "%zu/%zu acknowledged present; audit %s; %s %s\n",
	       n_writers, same_mode ? "same case" : "distinct cases", n_ok,
	       secs, secs > 0 ? (double)n_ok / secs : 0.0,
	       pct_ms(lat, n_lat, 50), pct_ms(lat, n_lat, 90), p99,
	       n_lat ? (double)lat[n_lat - 1] / 1e6 : 0.0, n_err, present, n_ok,
	       audit_err ? "FAILED" : "ok", integrity_how, integrity);
	figures(secs, n_ok, n_err, lat, n_lat);
	for (int e = 0; e < WQ_ERR_COUNT_; e++)
		if (by_err[e])
			printf("  %lu x %s%s\n", by_err[e],
			       e == WQ_ERR_BUSY ? "WQ_ERR_BUSY: " : "",
			       wq_strerror((enum wq_err)e));
	if (n_lat != total)
		printf("  only %zu of %zu rulings reported back (%d writers "
		       "failed)\n", n_lat, total, child_failed);
	if (dup)
		printf("  %zu acknowledged rulings are present more than once\n",
		       dup);
	if (ev_ok != n_ok)
		printf("  %zu of %zu acknowledged rulings lack their audit "
		       "event\n", n_ok - ev_ok, n_ok);
	if (unacked_present)
		printf("  %zu rulings reported as failed were written anyway\n",
		       unacked_present);
	if (audit_err)
		printf("  audit: event %" PRId64 ": %s (%s)\n", rep.first_bad,
		       rep.why, wq_err_detail());
	if (max_p99 > 0 && p99 > max_p99) {
		printf("  p99 %.1f ms is over the %.0f ms target\n", p99,
		       max_p99);
		pass = false;
	}
	return pass ? 0 : 1;
}
