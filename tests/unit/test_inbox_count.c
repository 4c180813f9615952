/* What the database keeps for the inbox and the queue (inbox_items,
 * inbox_counts, follow_ups, review_waits) against the same computed in
 * full from the events, the contacts and the cases, as they were before
 * the database kept them: a random run of assignments, claims, releases,
 * notes by the assignee and by others, contacts with and without a
 * follow-up, the steps through review and back, single and whole read
 * marks, over four cases and five users, compared after every step
 * (count and list, read flags included); then the migration's backfill,
 * on a database made to look as the previous schema left it, against the
 * same computation.  WQ_TEST_SEED picks another run. */
#include "config.h"

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/fixture.h"
#include "weiquan/case.h"
#include "weiquan/contact.h"
#include "weiquan/err.h"
#include "weiquan/inbox.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

#define NOW "2026-03-02T02:00:00Z"
#define NCASES 4
#define NUSERS 5 /* alice, bob, carol (mediators), sam, sue (supervisors) */
#define STEPS 400
#define MAX_EVENTS 4096

/* The inbox as it was computed from the events alone: the events by
 * someone else on the cases now assigned to ?1, no earlier than the
 * latest event whose "set" made the case theirs, newest first. */
#define ORACLE_SQL                                                             \
	"SELECT e.id FROM events e JOIN cases c ON c.id = e.case_id"           \
	" WHERE c.assignee = ?1 AND e.actor <> ?1"                             \
	" AND e.id >= coalesce((SELECT max(a.id) FROM events a"                \
	"  WHERE a.case_id = c.id"                                             \
	"  AND json_extract(a.details, '$.set.assignee') = ?1), 0)"            \
	" ORDER BY e.id DESC"

/* Each open case's follow-up: its latest contact's date, if any. */
#define FOLLOW_UPS_SQL                                                         \
	"SELECT c.id, c.assignee, f FROM (SELECT c.id, c.assignee,"            \
	" (SELECT x.follow_up_on FROM contacts x WHERE x.case_id = c.id"       \
	" ORDER BY x.id DESC LIMIT 1) AS f FROM cases c"                       \
	" WHERE c.status <> 'closed') c WHERE f BETWEEN '0' AND '9999'"
/* Since when each case in review has waited (REVIEW_SINCE). */
#define REVIEW_WAITS_SQL                                                       \
	"SELECT c.id, c.assignee, coalesce((SELECT e.at FROM events e"         \
	" WHERE e.case_id = c.id AND e.action IN ('submit', 'approve')"        \
	" ORDER BY e.id DESC LIMIT 1), c.updated_at) FROM cases c"             \
	" WHERE c.status IN ('first_review', 'final_review')"
/* The running, unpaused clocks of open assigned cases by assignee and
 * due date (inbox_due_counts). */
#define DUE_COUNTS_SQL                                                         \
	"SELECT c.assignee, c.due_on, count(*) FROM cases c"                   \
	" WHERE c.assignee IS NOT NULL AND c.status <> 'closed'"               \
	" AND c.clock <> '' AND c.due_on <> '9999-12-31'"                      \
	" AND json_extract(c.clocks, '$.' || c.clock || '.paused') IS NULL"    \
	" GROUP BY c.assignee, c.due_on"
#define KEPT_SQL(full, kept)                                                   \
	"SELECT (SELECT count(*) FROM (" full " EXCEPT " kept ") AS a),"       \
	" (SELECT count(*) FROM (" kept " EXCEPT " full ") AS b),"             \
	" (SELECT count(*) FROM (" kept ") AS k)"

static struct {
	char dir[64];
	char path[128];
	struct wq_store *store;
	struct wq_user admin, desk, users[NUSERS];
	char numbers[NCASES][32];
	/* the read marks as the inbox kept them before: everything through
	 * an event, and single events above it */
	int64_t through[NUSERS];
	bool read[NUSERS][MAX_EVENTS];
	unsigned seed;
} F;

static unsigned next_random(void)
{
	F.seed = F.seed * 1103515245u + 12345u;
	return (F.seed >> 16) & 0x7fff;
}

static int group_setup(void **state)
{
	static const char *const logins[NUSERS] = {"alice", "bob", "carol",
						   "sam", "sue"};
	const char *seed = getenv("WQ_TEST_SEED");

	(void)state;
	F.seed = seed && *seed ? (unsigned)strtoul(seed, NULL, 10) : 20260302u;
	printf("# seed %u\n", F.seed);
	if (fixture_open("inboxcount", NOW, F.dir, F.path, &F.store, &F.admin) ||
	    fixture_add_user(F.store, &F.admin, "desk1", WQ_ROLE_DESK, NULL,
			     &F.desk))
		return -1;
	for (int i = 0; i < NUSERS; i++)
		if (fixture_add_user(F.store, &F.admin, logins[i],
				     i < 3 ? WQ_ROLE_MEDIATOR
					   : WQ_ROLE_SUPERVISOR,
				     NULL, &F.users[i]))
			return -1;
	for (int i = 0; i < NCASES; i++) {
		struct wq_intake in = {0};
		int64_t id;

		in.type = "complaint";
		in.category = "refund";
		in.consumer_name = "张三";
		in.merchant_name = "某店";
		in.statement = "商家拒绝退款";
		if (wq_case_create(F.store, &F.desk, &in, &id, F.numbers[i]))
			return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	wq_store_close(&F.store);
	fixture_remove_dir(F.dir);
	return 0;
}

static int64_t newest_event(void)
{
	struct wq_stmt *st;
	int64_t id = 0;

	assert_int_equal(wq_store_prepare(F.store,
					  "SELECT coalesce(max(id), 0)"
					  " FROM events",
					  &st),
			 WQ_ERR_OK);
	if (wq_step(st) == WQ_ROW)
		id = wq_column_int64(st, 0);
	wq_store_finalize(F.store, st);
	assert_true(id < MAX_EVENTS);
	return id;
}

/* The oracle's inbox of user u: unread newest first, then read newest
 * first (as wq_inbox_list with all), and the unread count. */
static size_t oracle(int u, int64_t *ids, bool *read, int *unread)
{
	struct wq_stmt *st;
	int64_t all[MAX_EVENTS];
	size_t n = 0, k = 0;

	assert_int_equal(wq_store_prepare(F.store, ORACLE_SQL, &st),
			 WQ_ERR_OK);
	wq_bind_text(st, 1, F.users[u].login);
	while (wq_step(st) == WQ_ROW)
		all[n++] = wq_column_int64(st, 0);
	wq_store_finalize(F.store, st);
	*unread = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			bool r = all[i] <= F.through[u] || F.read[u][all[i]];

			if (r != (pass == 1))
				continue;
			ids[k] = all[i];
			read[k++] = r;
			*unread += !r;
		}
	return k;
}

static bool in_oracle(int u, int64_t event_id)
{
	int64_t ids[MAX_EVENTS];
	bool read[MAX_EVENTS];
	int unread;
	size_t n = oracle(u, ids, read, &unread);

	for (size_t i = 0; i < n; i++)
		if (ids[i] == event_id)
			return true;
	return false;
}

/* The kept rows against the full computation: none missing, none extra;
 * how many there are into *rows. */
static void check_kept(int step, const char *what, const char *table,
		       const char *sql, int *rows)
{
	struct wq_stmt *st;

	assert_int_equal(wq_store_prepare(F.store, sql, &st), WQ_ERR_OK);
	assert_int_equal(wq_step(st), WQ_ROW);
	if (wq_column_int(st, 0) || wq_column_int(st, 1))
		fail_msg("step %d (%s): %s misses %d rows and has %d too many",
			 step, what, table, wq_column_int(st, 0),
			 wq_column_int(st, 1));
	*rows += wq_column_int(st, 2);
	wq_store_finalize(F.store, st);
}

static int follow_up_rows, review_rows, due_rows, closed_with_follow_up;

/* Whether the case is closed with a follow-up in its latest contact. */
static bool closed_follow_up(const char *number)
{
	struct wq_stmt *st;
	bool yes;

	assert_int_equal(wq_store_prepare(F.store,
					  "SELECT 1 FROM cases c WHERE"
					  " c.number = ?1 AND c.status ="
					  " 'closed' AND (SELECT x.follow_up_on"
					  " FROM contacts x WHERE x.case_id ="
					  " c.id ORDER BY x.id DESC LIMIT 1)"
					  " <> ''",
					  &st),
			 WQ_ERR_OK);
	wq_bind_text(st, 1, number);
	yes = wq_step(st) == WQ_ROW;
	wq_store_finalize(F.store, st);
	return yes;
}

static void check_all(int step, const char *what)
{
	check_kept(step, what, "follow_ups",
		   KEPT_SQL(FOLLOW_UPS_SQL, "SELECT case_id, assignee, due_on"
					    " FROM follow_ups"),
		   &follow_up_rows);
	check_kept(step, what, "review_waits",
		   KEPT_SQL(REVIEW_WAITS_SQL,
			    "SELECT case_id, assignee, since FROM review_waits"),
		   &review_rows);
	check_kept(step, what, "inbox_due_counts",
		   KEPT_SQL(DUE_COUNTS_SQL, "SELECT assignee, due_on, n"
					    " FROM inbox_due_counts"
					    " WHERE n <> 0"),
		   &due_rows);
	for (int u = 0; u < NUSERS; u++) {
		int64_t ids[MAX_EVENTS];
		bool read[MAX_EVENTS];
		int want, got = -1;
		size_t n = oracle(u, ids, read, &want);
		struct wq_inbox inbox;

		struct wq_inbox_due *due;
		size_t ndue, counted;

		assert_int_equal(wq_inbox_due(F.store, &F.users[u], &due,
					      &ndue),
				 WQ_ERR_OK);
		free(due);
		assert_int_equal(wq_inbox_due_count(F.store, &F.users[u],
						    &counted),
				 WQ_ERR_OK);
		if (counted != ndue)
			fail_msg("step %d (%s): %s has %zu due items, the"
				 " header counts %zu",
				 step, what, F.users[u].login, ndue, counted);
		assert_int_equal(wq_inbox_unread(F.store, &F.users[u], &got),
				 WQ_ERR_OK);
		if (got != want)
			fail_msg("step %d (%s): %s has %d unread, the events"
				 " say %d",
				 step, what, F.users[u].login, got, want);
		assert_int_equal(wq_inbox_list(F.store, &F.users[u], true,
					       &inbox),
				 WQ_ERR_OK);
		if (inbox.n != n)
			fail_msg("step %d (%s): %s's inbox lists %zu items,"
				 " the events say %zu",
				 step, what, F.users[u].login, inbox.n, n);
		for (size_t i = 0; i < n; i++)
			if (inbox.v[i].event_id != ids[i] ||
			    inbox.v[i].read != read[i])
				fail_msg("step %d (%s): %s's item %zu is"
					 " event %" PRId64 " (%s), the events"
					 " say %" PRId64 " (%s)",
					 step, what, F.users[u].login, i,
					 inbox.v[i].event_id,
					 inbox.v[i].read ? "read" : "unread",
					 ids[i], read[i] ? "read" : "unread");
		wq_inbox_free(&inbox);
	}
}

static void assignee_of(const char *number, char *login, size_t size)
{
	struct wq_stmt *st;

	assert_int_equal(wq_store_prepare(F.store,
					  "SELECT coalesce(assignee, '')"
					  " FROM cases WHERE number = ?1",
					  &st),
			 WQ_ERR_OK);
	wq_bind_text(st, 1, number);
	assert_int_equal(wq_step(st), WQ_ROW);
	snprintf(login, size, "%s", wq_column_text(st, 0));
	wq_store_finalize(F.store, st);
}

static int user_index(const char *login)
{
	for (int u = 0; u < NUSERS; u++)
		if (strcmp(F.users[u].login, login) == 0)
			return u;
	return -1;
}

static enum wq_err rule(const struct wq_user *who, const char *number,
			const char *action, const char *arg)
{
	const char *argv[] = {arg};
	struct wq_ruling r = {.action = action, .argc = arg ? 1 : 0,
			      .argv = argv};

	return wq_rule(F.store, who, number, &r, NULL);
}

enum step_kind {
	ASSIGN,
	CLAIM,
	RELEASE,
	NOTE_BY_ASSIGNEE,
	NOTE_BY_OTHER,
	MARK_ONE,
	MARK_ALL,
	CONTACT,
	REVIEW,
	NKINDS
};

/* The next step of the case through review and back: the assignee
 * screens, decides and submits, the supervisors approve (to closed) or
 * now and then send back, and reopen; whichever applies. */
static enum wq_err review_step(const char *number, int a)
{
	static const struct {
		bool supervisor;
		const char *action, *arg1, *arg2;
	} steps[] = {
	    {false, "screen", NULL, NULL},
	    {false, "not-accept", "time-barred", "超过三年"},
	    {false, "submit", "请审核", NULL},
	    {true, "send-back", "请补充", NULL},
	    {true, "approve", NULL, NULL},
	    {true, "reopen", "重新审查", NULL},
	};
	const size_t n = sizeof(steps) / sizeof(steps[0]);
	bool send_back = next_random() % 4 == 0;

	for (size_t k = 0; k < n; k++) {
		const char *argv[] = {steps[k].arg1, steps[k].arg2};
		struct wq_ruling r = {.action = steps[k].action,
				      .argc = steps[k].arg2	  ? 2
					      : steps[k].arg1 ? 1
							      : 0,
				      .argv = argv};

		if ((!steps[k].supervisor && a < 0) ||
		    (strcmp(steps[k].action, "send-back") == 0 && !send_back))
			continue;
		/* the final review is another supervisor's */
		for (int who = 3; who < (steps[k].supervisor ? 5 : 4); who++)
			if (wq_rule(F.store,
				    steps[k].supervisor ? &F.users[who]
							: &F.users[a],
				    number, &r, NULL) == WQ_ERR_OK)
				return WQ_ERR_OK;
	}
	return WQ_ERR_INVALID;
}

static void test_counter_follows_the_events(void **state)
{
	static const char *const names[NKINDS] = {
	    "assign", "claim", "release", "own note", "note by another",
	    "mark one read", "mark all read", "contact", "review"};
	int done[NKINDS] = {0};

	(void)state;
	check_all(0, "start");
	for (int step = 1; step <= STEPS; step++) {
		enum step_kind kind = (enum step_kind)(next_random() % NKINDS);
		const char *number = F.numbers[next_random() % NCASES];
		int u = (int)(next_random() % NUSERS);
		char assignee[64];
		int a;
		enum wq_err err;

		char now[32];

		/* a minute a step: the waits in review differ */
		snprintf(now, sizeof(now), "2026-03-02T%02d:%02d:00Z",
			 2 + step / 60, step % 60);
		setenv("WEIQUAN_NOW", now, 1);
		assignee_of(number, assignee, sizeof(assignee));
		a = user_index(assignee);
		switch (kind) {
		case ASSIGN:
			/* to a mediator, by the supervisor */
			err = rule(&F.users[3], number, "assign",
				   F.users[u % 3].login);
			break;
		case CLAIM:
			err = rule(&F.users[u], number, "claim", NULL);
			break;
		case RELEASE:
			err = a < 0 ? WQ_ERR_INVALID
				    : rule(&F.users[a], number, "release", NULL);
			break;
		case NOTE_BY_ASSIGNEE:
			err = a < 0 ? WQ_ERR_INVALID
				    : rule(&F.users[a], number, "note", "自己的备注");
			break;
		case NOTE_BY_OTHER:
			/* the supervisor or the desk, whoever is not the
			 * assignee */
			err = rule(a == 3 || u % 2 ? &F.desk : &F.users[3],
				   number, "note", "请尽快处理");
			break;
		case MARK_ONE: {
			int64_t ids[MAX_EVENTS];
			bool read[MAX_EVENTS];
			int unread;
			size_t n = oracle(u, ids, read, &unread);
			/* mostly an item of theirs; now and then any event,
			 * which is refused unless it is theirs */
			int64_t id = n && next_random() % 4
					 ? ids[next_random() % n]
					 : 1 + (int64_t)(next_random() %
							 newest_event());
			bool mine = in_oracle(u, id);

			err = wq_inbox_mark_read(F.store, &F.users[u], id);
			assert_int_equal(err, mine ? WQ_ERR_OK
						   : WQ_ERR_NOT_FOUND);
			if (mine)
				F.read[u][id] = true;
			else
				err = WQ_ERR_INVALID;
			break;
		}
		case CONTACT: {
			static const char *const days[] = {
			    "", "2026-03-03", "2026-03-05", "2026-03-09"};
			struct wq_contact_in in = {
			    .party = "complainant",
			    .channel = "phone",
			    .said = "约定补交发票",
			    .follow_up_on = days[next_random() % 4]};

			err = wq_contact_add(F.store,
					     a < 0 ? &F.users[3] : &F.users[a],
					     number, &in, NULL);
			break;
		}
		case REVIEW:
			err = review_step(number, a);
			closed_with_follow_up += err == WQ_ERR_OK &&
						 closed_follow_up(number);
			break;
		case MARK_ALL:
			assert_int_equal(
			    wq_inbox_mark_read(F.store, &F.users[u], 0),
			    WQ_ERR_OK);
			F.through[u] = newest_event();
			err = WQ_ERR_OK;
			break;
		default:
			err = WQ_ERR_INVALID;
		}
		if (err == WQ_ERR_OK)
			done[kind]++;
		check_all(step, names[kind]);
	}
	/* the run went through every kind of step, each several times, and
	 * there were follow-ups and cases in review to compare */
	for (int k = 0; k < NKINDS; k++) {
		printf("# %s: %d\n", names[k], done[k]);
		assert_true(done[k] >= 3);
	}
	printf("# follow-ups compared: %d, waits in review: %d, due days:"
	       " %d, cases closed with a follow-up: %d\n",
	       follow_up_rows, review_rows, due_rows, closed_with_follow_up);
	assert_true(follow_up_rows >= STEPS / 4 && review_rows >= STEPS / 4 &&
		    due_rows >= STEPS / 4);
	assert_true(closed_with_follow_up >= 1);
}

/* The previous schema's inbox: its read marks from the oracle's, the
 * kept tables and their triggers gone, version 18. */
static void exec_sql(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void exec_sql(const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_int_equal(wq_store_exec(F.store, sql), WQ_ERR_OK);
}

static void test_backfill_matches_the_events(void **state)
{
	const char *backend = getenv("WQ_TEST_BACKEND");

	(void)state;
	/* tests/sqlite_only: backfill */
	if (backend && strcmp(backend, "postgresql") == 0) {
		printf("# SQLite only: sets the schema back to version 18\n");
		skip();
	}
	/* something unread for the mediators first (a closed case is
	 * assigned no more) */
	for (int i = 0; i < NCASES; i++) {
		rule(&F.users[3], F.numbers[i], "assign", F.users[i % 3].login);
		assert_int_equal(rule(&F.desk, F.numbers[i], "note", "补充材料"),
				 WQ_ERR_OK);
	}
	check_all(STEPS + 1, "before the migration");

	exec_sql("DROP TRIGGER events_inbox;"
		 " DROP TRIGGER cases_inbox_reassigned;"
		 " DROP TABLE inbox_items; DROP TABLE inbox_counts;"
		 " DROP TRIGGER contacts_follow_up;"
		 " DROP TRIGGER cases_follow_up_assignee;"
		 " DROP TRIGGER cases_follow_up_status;"
		 " DROP TRIGGER cases_review_wait_insert;"
		 " DROP TRIGGER cases_review_wait;"
		 " DROP TRIGGER events_review_wait;"
		 " DROP TABLE follow_ups; DROP TABLE review_waits;"
		 " CREATE TABLE inbox_marks(login TEXT PRIMARY KEY,"
		 " through_id INTEGER NOT NULL) STRICT, WITHOUT ROWID;"
		 " CREATE TABLE inbox_read(login TEXT NOT NULL,"
		 " event_id INTEGER NOT NULL, PRIMARY KEY (login, event_id))"
		 " STRICT, WITHOUT ROWID;");
	for (int u = 0; u < NUSERS; u++) {
		exec_sql("INSERT INTO inbox_marks VALUES ('%s', %" PRId64 ")",
			 F.users[u].login, F.through[u]);
		for (int64_t id = F.through[u] + 1; id < MAX_EVENTS; id++)
			if (F.read[u][id])
				exec_sql("INSERT INTO inbox_read"
					 " VALUES ('%s', %" PRId64 ")",
					 F.users[u].login, id);
	}
	exec_sql("PRAGMA user_version = 18");
	wq_store_close(&F.store);

	assert_int_equal(wq_store_open(F.path, WQ_OPEN_INIT, &F.store),
			 WQ_ERR_OK);
	check_all(STEPS + 2, "after the migration");
	/* and the triggers are back */
	assert_int_equal(rule(&F.desk, F.numbers[0], "note", "迁移之后"),
			 WQ_ERR_OK);
	check_all(STEPS + 3, "a note after the migration");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counter_follows_the_events),
	    cmocka_unit_test(test_backfill_matches_the_events),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("inbox count", tests, group_setup,
					   group_teardown);
}
