/* Unit tests of the audit chain (src/audit.c): events link by hash from a
 * genesis of zeros, verification recomputes every hash, triggers refuse
 * changes, and every kind of tampering done behind the triggers' back
 * (through a second connection that drops them) is found and located. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "store_sqlite.h"
#include "weiquan/audit.h"
#include "weiquan/case.h"
#include "weiquan/demo.h"
#include "weiquan/err.h"
#include "weiquan/store.h"
#include "weiquan/user.h"
#include "tests/unit/fixture.h"

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

struct fx {
	char dir[64];
	char path[128];
	struct wq_store *store;
	struct wq_user admin, desk;
	int64_t case_id;
	int64_t first_appended;   /* id of the first event appended here */
	int64_t count;            /* events in the chain after setup */
};

/* The events the fixture appends, one transaction and one second apart
 * each, after the ones that user and case creation wrote. */
static const struct {
	const char *at;
	const char *actor;
	bool on_case;
	const char *action;
	const char *details;
} appended[] = {
	{"2026-09-24T02:00:01Z", "alice", true, "claim", "{\"args\":{}}"},
	{"2026-09-24T02:00:02Z", "bob", false, "user-add",
	 "{\"login\":\"desk1\",\"role\":\"desk\"}"},
	{"2026-09-24T02:00:03Z", "alice", true, "note",
	 "{\"args\":{\"argv\":[\"商家称已发货\"]}}"},
	{"2026-09-24T02:00:04Z", "sam", true, "approve",
	 "{\"args\":{\"argv\":[]}}"},
	{"2026-09-24T02:00:05Z", "bob", true, "flag",
	 "{\"args\":{\"argv\":[\"possibly-malicious\"]}}"},
	{"2026-09-24T02:00:06Z", "admin", false, "clock-import",
	 "{\"regime\":\"samr-order-20\",\"clocks\":5}"},
	{"2026-09-24T02:00:07Z", "sue", true, "note",
	 "{\"args\":{\"argv\":[\"line\\nbreak; and 7:colon\"]}}"},
};

#define NAPPENDED ((int)(sizeof(appended) / sizeof(appended[0])))

/* ---- helpers ---- */

static void set_now(const char *iso)
{
	setenv("WEIQUAN_NOW", iso, 1);
}

/* The hash as DESIGN.md and audit.c describe it: SHA-256 over the id and
 * case id, then each text field length-prefixed, the OS login last when
 * there is one. */
static void event_hash(int64_t id, const char *at, const char *actor,
		       int64_t case_id, const char *action,
		       const char *details, const char *prev,
		       const char *os_login, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *buf;
	int n;

	if (*os_login)
		n = asprintf(&buf,
			     "%" PRId64 ";%" PRId64 ";%zu:%s;%zu:%s;%zu:%s;"
			     "%zu:%s;%zu:%s;%zu:%s;",
			     id, case_id, strlen(at), at, strlen(actor), actor,
			     strlen(action), action, strlen(details), details,
			     strlen(prev), prev, strlen(os_login), os_login);
	else
		n = asprintf(&buf,
			     "%" PRId64 ";%" PRId64 ";%zu:%s;%zu:%s;%zu:%s;"
			     "%zu:%s;%zu:%s;",
			     id, case_id, strlen(at), at, strlen(actor), actor,
			     strlen(action), action, strlen(details), details,
			     strlen(prev), prev);
	assert_true(n > 0);
	assert_int_equal(EVP_Digest(buf, (size_t)n, md, &mdlen, EVP_sha256(),
				    NULL),
			 1);
	free(buf);
	assert_int_equal(mdlen, 32);
	for (unsigned int i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

static int64_t q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct event {
	int64_t id, case_id;
	char at[32], actor[64], action[64], prev[80], hash[80], os_login[64];
	char *details;
};

static bool read_event(sqlite3 *db, int64_t id, struct event *e)
{
	sqlite3_stmt *st;
	bool found;

	assert_int_equal(
		sqlite3_prepare_v2(db,
				   "SELECT id, at, actor, coalesce(case_id, 0),"
				   " action, details, prev_hash, hash,"
				   " (SELECT coalesce(max(os_login), '') FROM"
				   " event_logins WHERE event_id = id)"
				   " FROM events WHERE id = ?1",
				   -1, &st, NULL),
		SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		e->id = sqlite3_column_int64(st, 0);
		snprintf(e->at, sizeof(e->at), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		snprintf(e->actor, sizeof(e->actor), "%s",
			 (const char *)sqlite3_column_text(st, 2));
		e->case_id = sqlite3_column_int64(st, 3);
		snprintf(e->action, sizeof(e->action), "%s",
			 (const char *)sqlite3_column_text(st, 4));
		e->details = strdup((const char *)sqlite3_column_text(st, 5));
		snprintf(e->prev, sizeof(e->prev), "%s",
			 (const char *)sqlite3_column_text(st, 6));
		snprintf(e->hash, sizeof(e->hash), "%s",
			 (const char *)sqlite3_column_text(st, 7));
		snprintf(e->os_login, sizeof(e->os_login), "%s",
			 (const char *)sqlite3_column_text(st, 8));
	}
	sqlite3_finalize(st);
	return found;
}

/* A second, raw connection: what someone with the file and the sqlite3
 * shell could do.  drop: remove the triggers first. */
static sqlite3 *raw_open(struct fx *fx, bool drop)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READWRITE,
					 NULL),
			 SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	if (drop)
		assert_int_equal(sqlite3_exec(db,
					      "DROP TRIGGER events_no_update;"
					      "DROP TRIGGER events_no_delete;",
					      NULL, NULL, NULL),
				 SQLITE_OK);
	return db;
}

static void raw_exec(sqlite3 *db, const char *fmt, ...)
{
	char sql[1024], *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	if (sqlite3_changes(db) != 1)
		fail_msg("%s changed %d rows", sql, sqlite3_changes(db));
	sqlite3_free(msg);
}

/* Verification must fail at event `bad` with a reason containing `why`,
 * having checked `checked` events before it. */
static void expect_broken_n(struct fx *fx, int64_t bad, int64_t checked,
			    const char *why)
{
	struct wq_audit_report r;
	enum wq_err err;

	memset(&r, 0x5a, sizeof(r));
	err = wq_audit_verify(fx->store, &r);
	if (err != WQ_ERR_AUDIT)
		fail_msg("verify: expected AUDIT, got %s (%s)",
			 wq_strerror(err), wq_err_detail());
	if (r.first_bad != bad)
		fail_msg("first_bad %" PRId64 ", expected %" PRId64 " (%s)",
			 r.first_bad, bad, r.why);
	assert_int_equal(r.checked, checked);
	if (!strstr(r.why, why))
		fail_msg("why '%s' does not say '%s'", r.why, why);
	/* The detail names the event too. */
	{
		char id[32];

		snprintf(id, sizeof(id), "event %" PRId64, bad);
		assert_non_null(strstr(wq_err_detail(), id));
		assert_non_null(strstr(r.problems, id));
	}
	wq_audit_report_free(&r);
}

/* Broken at `bad`, every event before it fine. */
static void expect_broken(struct fx *fx, int64_t bad, const char *why)
{
	expect_broken_n(fx, bad, bad - 1, why);
}

static void expect_intact(struct fx *fx)
{
	struct wq_audit_report r;
	enum wq_err err;

	err = wq_audit_verify(fx->store, &r);
	if (err != WQ_ERR_OK)
		fail_msg("verify: %s (%s)", wq_strerror(err), r.why);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(r.checked,
			 q_int(wq_store_sqlite(fx->store), "SELECT count(*) FROM events"));
	assert_string_equal(r.why, "");
	/* Every case row agrees with its events: nothing found, nothing
	 * left unchecked. */
	assert_int_equal(r.nproblems, 0);
	assert_int_equal(r.nunchecked, 0);
	assert_int_equal(r.cases, 1);
	assert_int_equal(r.statements, 1);
	wq_audit_report_free(&r);
}

/* ---- fixture: a fresh database per test ---- */

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct wq_intake in = {0};
	char number[32];
	bool created;

	if (!fx)
		return -1;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	set_now("2026-09-24T02:00:00Z");
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/wq-audit-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/wq.db", fx->dir);
	if (wq_store_open(fx->path, WQ_OPEN_INIT, &fx->store) != WQ_ERR_OK ||
	    wq_user_bootstrap(fx->store, "admin", &created) != WQ_ERR_OK ||
	    wq_user_lookup(fx->store, "admin", &fx->admin) != WQ_ERR_OK ||
	    wq_user_add(fx->store, &fx->admin, "desk1", WQ_ROLE_DESK, "") !=
		    WQ_ERR_OK ||
	    wq_user_lookup(fx->store, "desk1", &fx->desk) != WQ_ERR_OK)
		return -1;
	in.type = "complaint";
	in.category = "quality";
	in.consumer_name = "张三";
	in.merchant_name = "某某旗舰店";
	in.statement = "屏幕有坏点";
	if (wq_case_create(fx->store, &fx->desk, &in, &fx->case_id, number) !=
	    WQ_ERR_OK)
		return -1;
	fx->first_appended = 0;
	for (int i = 0; i < NAPPENDED; i++) {
		int64_t id = 0;

		set_now(appended[i].at);
		if (wq_store_begin_write(fx->store) != WQ_ERR_OK)
			return -1;
		if (wq_audit_append(fx->store, appended[i].actor,
				    appended[i].on_case ? fx->case_id : 0,
				    appended[i].action, appended[i].details,
				    &id) != WQ_ERR_OK) {
			wq_store_rollback(fx->store);
			return -1;
		}
		if (wq_store_commit(fx->store) != WQ_ERR_OK)
			return -1;
		if (!fx->first_appended)
			fx->first_appended = id;
	}
	fx->count = fx->first_appended + NAPPENDED - 1;
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

/* The index into the chain of appended[i]. */
static int64_t ev(struct fx *fx, int i)
{
	return fx->first_appended + i;
}

/* ---- 1. appending chains ---- */

static void test_append_chains(void **state)
{
	struct fx *fx = *state;
	char prev[80] = ZEROS, want[65];
	int64_t id = 0, next;

	/* User and case creation wrote events 1..3, then ours follow. */
	assert_int_equal(fx->first_appended, 4);
	assert_int_equal(q_int(wq_store_sqlite(fx->store), "SELECT count(*) FROM events"),
			 fx->count);
	assert_int_equal(q_int(wq_store_sqlite(fx->store), "SELECT max(id) FROM events"),
			 fx->count);
	for (int64_t i = 1; i <= fx->count; i++) {
		struct event e;

		if (!read_event(wq_store_sqlite(fx->store), i, &e))
			fail_msg("event %" PRId64 " is missing", i);
		/* Event 1 starts from 64 zeros; each next one carries the
		 * hash of the one before. */
		if (strcmp(e.prev, prev) != 0)
			fail_msg("event %" PRId64 ": prev_hash %s, expected %s",
				 i, e.prev, prev);
		assert_int_equal(strlen(e.hash), 64);
		assert_int_equal(strspn(e.hash, "0123456789abcdef"), 64);
		event_hash(e.id, e.at, e.actor, e.case_id, e.action, e.details,
			   e.prev, e.os_login, want);
		/* Whoever ran the process is recorded beside the actor. */
		assert_string_not_equal(e.os_login, "");
		if (strcmp(e.hash, want) != 0)
			fail_msg("event %" PRId64 ": hash %s, recomputed %s",
				 i, e.hash, want);
		snprintf(prev, sizeof(prev), "%s", e.hash);
		if (i >= fx->first_appended) {
			int k = (int)(i - fx->first_appended);

			assert_string_equal(e.at, appended[k].at);
			assert_string_equal(e.actor, appended[k].actor);
			assert_string_equal(e.action, appended[k].action);
			assert_string_equal(e.details, appended[k].details);
			assert_int_equal(e.case_id,
					 appended[k].on_case ? fx->case_id : 0);
		}
		free(e.details);
	}
	/* case_id 0 is stored as NULL (no case). */
	assert_int_equal(q_int(wq_store_sqlite(fx->store),
			       "SELECT count(*) FROM events WHERE case_id = 0"),
			 0);

	/* Two more in one transaction: contiguous ids, the second links to
	 * the first even before commit. */
	set_now("2026-09-24T02:00:08Z");
	assert_int_equal(wq_store_begin_write(fx->store), WQ_ERR_OK);
	assert_int_equal(wq_audit_append(fx->store, "admin", 0, "backup",
					 "{\"file\":\"/tmp/x\"}", &id),
			 WQ_ERR_OK);
	assert_int_equal(wq_audit_append(fx->store, "admin", fx->case_id,
					 "note", "{}", &next),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_commit(fx->store), WQ_ERR_OK);
	assert_int_equal(id, fx->count + 1);
	assert_int_equal(next, fx->count + 2);
	{
		struct event a, b;

		assert_true(read_event(wq_store_sqlite(fx->store), id, &a));
		assert_true(read_event(wq_store_sqlite(fx->store), next, &b));
		assert_string_equal(a.prev, prev);
		assert_string_equal(b.prev, a.hash);
		assert_string_equal(a.at, "2026-09-24T02:00:08Z");
		assert_string_not_equal(a.hash, b.hash);
		free(a.details);
		free(b.details);
	}
	/* A NULL event_id is allowed. */
	assert_int_equal(wq_store_begin_write(fx->store), WQ_ERR_OK);
	assert_int_equal(wq_audit_append(fx->store, "admin", 0, "x", "{}",
					 NULL),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_commit(fx->store), WQ_ERR_OK);
	assert_int_equal(q_int(wq_store_sqlite(fx->store), "SELECT max(id) FROM events"),
			 fx->count + 3);
	expect_intact(fx);
}

/* Identical content at different places hashes differently: the id and
 * the previous hash are part of it. */
static void test_same_content_different_hash(void **state)
{
	struct fx *fx = *state;
	int64_t a, b;
	struct event ea, eb;

	assert_int_equal(wq_store_begin_write(fx->store), WQ_ERR_OK);
	assert_int_equal(wq_audit_append(fx->store, "admin", 0, "same", "{}",
					 &a),
			 WQ_ERR_OK);
	assert_int_equal(wq_audit_append(fx->store, "admin", 0, "same", "{}",
					 &b),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_commit(fx->store), WQ_ERR_OK);
	assert_true(read_event(wq_store_sqlite(fx->store), a, &ea));
	assert_true(read_event(wq_store_sqlite(fx->store), b, &eb));
	assert_string_equal(ea.at, eb.at);
	assert_string_not_equal(ea.hash, eb.hash);
	free(ea.details);
	free(eb.details);
	expect_intact(fx);
}

/* ---- 2. verify on a good chain ---- */

static void test_verify_good(void **state)
{
	struct fx *fx = *state;
	struct wq_audit_report r;
	struct wq_store *empty = NULL;
	char path[160];

	memset(&r, 0x5a, sizeof(r));
	assert_int_equal(wq_audit_verify(fx->store, &r), WQ_ERR_OK);
	assert_int_equal(r.checked, fx->count);
	assert_int_equal(r.first_bad, 0);
	assert_string_equal(r.why, "");
	wq_audit_report_free(&r);
	expect_intact(fx);

	/* An empty chain is intact. */
	snprintf(path, sizeof(path), "%s/empty.db", fx->dir);
	assert_int_equal(wq_store_open(path, WQ_OPEN_INIT, &empty), WQ_ERR_OK);
	memset(&r, 0x5a, sizeof(r));
	assert_int_equal(wq_audit_verify(empty, &r), WQ_ERR_OK);
	assert_int_equal(r.checked, 0);
	assert_int_equal(r.first_bad, 0);
	wq_audit_report_free(&r);
	wq_store_close(&empty);
}

/* ---- 3. triggers ---- */

static void expect_refused(sqlite3 *db, const char *sql, const char *msg)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if ((rc & 0xff) != SQLITE_CONSTRAINT)
		fail_msg("%s: rc %d (%s), expected SQLITE_CONSTRAINT", sql, rc,
			 sqlite3_errmsg(db));
	if (!strstr(sqlite3_errmsg(db), msg))
		fail_msg("%s: message '%s', expected '%s'", sql,
			 sqlite3_errmsg(db), msg);
}

static void test_triggers(void **state)
{
	struct fx *fx = *state;
	sqlite3 *raw;
	char *before, *after;

	before = sqlite3_mprintf("%lld", (long long)q_int(wq_store_sqlite(fx->store),
			"SELECT sum(length(details) + length(actor) +"
			" length(hash)) FROM events"));
	expect_refused(wq_store_sqlite(fx->store),
		       "UPDATE events SET details = '{}' WHERE id = 1",
		       "audit events cannot be changed");
	expect_refused(wq_store_sqlite(fx->store), "UPDATE events SET actor = 'mallory'",
		       "audit events cannot be changed");
	expect_refused(wq_store_sqlite(fx->store), "DELETE FROM events WHERE id = 2",
		       "audit events cannot be deleted");
	expect_refused(wq_store_sqlite(fx->store), "DELETE FROM events",
		       "audit events cannot be deleted");
	/* An upsert that would rewrite an event (refused by the update
	 * trigger, or earlier by an append-only insert trigger). */
	expect_refused(wq_store_sqlite(fx->store),
		       "INSERT INTO events(id, at, actor, action, details,"
		       " prev_hash, hash) VALUES (1, 'x', 'x', 'x', '{}', 'x',"
		       " 'x') ON CONFLICT(id) DO UPDATE SET actor = 'mallory'",
		       "audit events can");
	/* The same from another connection that keeps the triggers. */
	raw = raw_open(fx, false);
	expect_refused(raw, "UPDATE events SET hash = 'x' WHERE id = 3",
		       "audit events cannot be changed");
	expect_refused(raw, "DELETE FROM events WHERE id = 3",
		       "audit events cannot be deleted");
	sqlite3_close(raw);

	after = sqlite3_mprintf("%lld", (long long)q_int(wq_store_sqlite(fx->store),
			"SELECT sum(length(details) + length(actor) +"
			" length(hash)) FROM events"));
	assert_string_equal(before, after);
	sqlite3_free(before);
	sqlite3_free(after);
	assert_int_equal(q_int(wq_store_sqlite(fx->store), "SELECT count(*) FROM events"),
			 fx->count);
	expect_intact(fx);
}

/* INSERT OR REPLACE deletes the row it replaces; SQLite fires no DELETE
 * trigger for that unless recursive triggers are on, so the triggers
 * alone would let an event be rewritten in place. */
static void test_replace_refused(void **state)
{
	struct fx *fx = *state;
	sqlite3 *raw = raw_open(fx, false);

	expect_refused(raw,
		       "INSERT OR REPLACE INTO events(id, at, actor, case_id,"
		       " action, details, prev_hash, hash)"
		       " SELECT id, at, 'mallory', case_id, action, details,"
		       " prev_hash, hash FROM events WHERE id = 2",
		       "audit events can");
	expect_refused(raw,
		       "REPLACE INTO events(id, at, actor, action, details,"
		       " prev_hash, hash) VALUES (2, 'x', 'x', 'x', '{}', 'x',"
		       " 'x')",
		       "audit events can");
	sqlite3_close(raw);
	assert_int_equal(q_int(wq_store_sqlite(fx->store), "SELECT count(*) FROM events"
					      " WHERE actor = 'mallory'"),
			 0);
}

/* ---- 4. tampering ---- */

static void test_tamper_details(void **state)
{
	struct fx *fx = *state;
	sqlite3 *raw = raw_open(fx, true);
	int64_t k = ev(fx, 2);

	raw_exec(raw,
		 "UPDATE events SET details = '{\"args\":{\"argv\":"
		 "[\"商家已退款\"]},\"set\":{\"version\":3}}' WHERE id = %"
		 PRId64,
		 k);
	sqlite3_close(raw);
	expect_broken(fx, k, "does not match its hash");
}

static void test_tamper_rehashed(void **state)
{
	struct fx *fx = *state;
	sqlite3 *raw = raw_open(fx, true);
	int64_t k = ev(fx, 3);
	const char *forged = "{\"args\":{\"argv\":[]},\"set\":"
			     "{\"status\":\"closed\"}}";
	struct event e;
	char hash[65];
	sqlite3_stmt *st;

	assert_true(read_event(raw, k, &e));
	event_hash(e.id, e.at, e.actor, e.case_id, e.action, forged, e.prev,
		   e.os_login, hash);
	assert_string_not_equal(hash, e.hash);
	assert_int_equal(sqlite3_prepare_v2(raw,
					    "UPDATE events SET details = ?2,"
					    " hash = ?3 WHERE id = ?1",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, k);
	sqlite3_bind_text(st, 2, forged, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	free(e.details);
	sqlite3_close(raw);
	/* Event k is consistent in itself; the next one no longer links. */
	expect_broken(fx, k + 1, "does not link");
}

static void test_tamper_delete_middle(void **state)
{
	struct fx *fx = *state;
	sqlite3 *raw = raw_open(fx, true);
	int64_t k = ev(fx, 3);
	char why[64];

	raw_exec(raw, "DELETE FROM events WHERE id = %" PRId64, k);
	sqlite3_close(raw);
	snprintf(why, sizeof(why), "event %" PRId64 " is missing", k);
	/* Found at the event after the gap, having checked those before. */
	expect_broken_n(fx, k + 1, k - 1, why);
}

static void test_tamper_delete_first(void **state)
{
	struct fx *fx = *state;
	sqlite3 *raw = raw_open(fx, true);

	raw_exec(raw, "DELETE FROM events WHERE id = 1");
	sqlite3_close(raw);
	expect_broken_n(fx, 2, 0, "event 1 is missing");
}

static void test_tamper_swap_actor(void **state)
{
	struct fx *fx = *state;
	sqlite3 *raw = raw_open(fx, true);
	int64_t k = ev(fx, 2);   /* alice's note; next is sam's approve */

	raw_exec(raw, "UPDATE events SET actor = 'sam' WHERE id = %" PRId64,
		 k);
	raw_exec(raw, "UPDATE events SET actor = 'alice' WHERE id = %" PRId64,
		 k + 1);
	sqlite3_close(raw);
	expect_broken(fx, k, "does not match its hash");
}

/* Renumbering after a deletion (so the ids stay contiguous) breaks the
 * link instead. */
static void test_tamper_delete_and_renumber(void **state)
{
	struct fx *fx = *state;
	sqlite3 *raw = raw_open(fx, true);
	int64_t k = ev(fx, 3);

	raw_exec(raw, "DELETE FROM events WHERE id = %" PRId64, k);
	for (int64_t i = k + 1; i <= fx->count; i++)
		raw_exec(raw, "UPDATE events SET id = %" PRId64
			      " WHERE id = %" PRId64,
			 i - 1, i);
	sqlite3_close(raw);
	/* Event k is now the former k + 1, whose prev is the deleted one's
	 * hash. */
	expect_broken(fx, k, "does not link");
}

/* A forged event appended at the end with a made-up hash. */
static void test_tamper_forged_append(void **state)
{
	struct fx *fx = *state;
	sqlite3 *raw = raw_open(fx, false);
	struct event last;

	assert_true(read_event(raw, fx->count, &last));
	raw_exec(raw,
		 "INSERT INTO events(id, at, actor, action, details,"
		 " prev_hash, hash) VALUES (%" PRId64 ","
		 " '2026-09-24T03:00:00Z', 'mallory', 'approve', '{}', '%s',"
		 " '%s')",
		 fx->count + 1, last.hash, ZEROS);
	free(last.details);
	sqlite3_close(raw);
	expect_broken(fx, fx->count + 1, "does not match its hash");
}

/* ---- 5. the hash covers every field ---- */

static void test_hash_covers_every_field(void **state)
{
	static const struct {
		const char *field;
		const char *sql;      /* %lld: the event id */
		const char *why;
	} rows[] = {
		{"at", "UPDATE events SET at = '2026-09-24T02:00:59Z'"
		       " WHERE id = %lld", "does not match"},
		{"actor", "UPDATE events SET actor = 'alicf' WHERE id = %lld",
		 "does not match"},
		{"case_id (to none)",
		 "UPDATE events SET case_id = NULL WHERE id = %lld",
		 "does not match"},
		{"case_id (to another)",
		 "UPDATE events SET case_id = case_id + 1 WHERE id = %lld",
		 "does not match"},
		{"action", "UPDATE events SET action = 'notes' WHERE id = %lld",
		 "does not match"},
		{"details", "UPDATE events SET details = json_set(details,"
			    " '$.set.version', 4) WHERE id = %lld",
		 "does not match"},
		{"details (whitespace only)",
		 "UPDATE events SET details = replace(details, ':', ': ')"
		 " WHERE id = %lld",
		 "does not match"},
		{"os_login", "DROP TRIGGER event_logins_no_update;"
			     " UPDATE event_logins SET os_login = 'mallory'"
			     " WHERE event_id = %lld",
		 "does not match"},
		{"os_login (to none)", "DROP TRIGGER event_logins_no_delete;"
				       " DELETE FROM event_logins"
				       " WHERE event_id = %lld",
		 "does not match"},
		/* Its first digit changed, whatever it was. */
		{"prev_hash", "UPDATE events SET prev_hash ="
			      " CASE substr(prev_hash, 1, 1) WHEN '1' THEN '2'"
			      " ELSE '1' END || substr(prev_hash, 2)"
			      " WHERE id = %lld",
		 "does not link"},
		{"hash", "UPDATE events SET hash = upper(hash) WHERE id = %lld",
		 "does not match"},
	};
	struct fx *fx = *state;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		void *one = NULL;
		struct fx *f;
		sqlite3 *raw;
		int64_t k;

		/* A fresh chain for each field. */
		assert_int_equal(setup(&one), 0);
		f = one;
		k = ev(f, 2);   /* alice's note, on the case */
		raw = raw_open(f, true);
		raw_exec(raw, rows[i].sql, (long long)k);
		sqlite3_close(raw);
		{
			struct wq_audit_report r;

			if (wq_audit_verify(f->store, &r) != WQ_ERR_AUDIT ||
			    r.first_bad != k || !strstr(r.why, rows[i].why))
				fail_msg("altering %s of event %" PRId64
					 " was not found there (first_bad %"
					 PRId64 ", '%s')",
					 rows[i].field, k, r.first_bad, r.why);
			wq_audit_report_free(&r);
		}
		teardown(&one);
	}
	(void)fx;
}

/* ---- 6. details must be JSON ---- */

static void test_details_must_be_json(void **state)
{
	static const char *const bad[] = {
		"{not json", "", "{\"a\":1", "{'a':1}", "{\"a\":1}}",
	};
	struct fx *fx = *state;
	int64_t id;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum wq_err err;

		id = -1;
		assert_int_equal(wq_store_begin_write(fx->store), WQ_ERR_OK);
		err = wq_audit_append(fx->store, "admin", 0, "note", bad[i],
				      &id);
		wq_store_rollback(fx->store);
		if (err == WQ_ERR_OK)
			fail_msg("details '%s' were accepted", bad[i]);
		assert_int_equal(err, WQ_ERR_DB);
		assert_non_null(strstr(wq_err_detail(), "CHECK"));
		assert_int_equal(id, -1);
	}
	/* Straight through SQL: the CHECK constraint. */
	{
		int rc = sqlite3_exec(wq_store_sqlite(fx->store),
				      "INSERT INTO events(id, at, actor, action,"
				      " details, prev_hash, hash) VALUES"
				      " (1000, 'x', 'x', 'x', 'nope', 'x', 'x')",
				      NULL, NULL, NULL);

		assert_int_equal(rc, SQLITE_CONSTRAINT_CHECK);
	}
	assert_int_equal(q_int(wq_store_sqlite(fx->store), "SELECT count(*) FROM events"),
			 fx->count);
	expect_intact(fx);
	/* Valid JSON goes in. */
	assert_int_equal(wq_store_begin_write(fx->store), WQ_ERR_OK);
	assert_int_equal(wq_audit_append(fx->store, "admin", 0, "note",
					 "{\"text\":\"引号\\\"与换行\\n\"}", &id),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_commit(fx->store), WQ_ERR_OK);
	assert_int_equal(id, fx->count + 1);
	expect_intact(fx);
}

/* The VM steps of each statement of a verify that looks for rows no event
 * names (NOT EXISTS), by its text. */
struct unnamed_steps {
	const char *sql[16];
	long long steps[16];
	int n;
};

static int count_unnamed(unsigned type, void *ctx, void *stmt, void *x)
{
	struct unnamed_steps *u = ctx;
	const char *sql = sqlite3_sql(stmt);
	int i;

	(void)x;
	if (type != SQLITE_TRACE_PROFILE || !sql || !strstr(sql, "NOT EXISTS"))
		return 0;
	for (i = 0; i < u->n && strcmp(u->sql[i], sql) != 0; i++)
		;
	if (i == u->n) {
		if (u->n == 16)
			return 0;
		u->sql[u->n++] = strdup(sql);
	}
	u->steps[i] += sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 0);
	return 0;
}

static void verify_demo(int cases, struct unnamed_steps *u)
{
	struct wq_demo_opts o = {.cases = cases, .seed = 3};
	struct wq_demo_result r;
	struct wq_audit_report rep;
	struct wq_store *store;
	struct wq_user admin;
	char dir[64], path[128];

	assert_int_equal(fixture_open("audit-scale", "2026-08-01T01:00:00Z",
				      dir, path, &store, &admin),
			 0);
	assert_int_equal(wq_demo_fill(store, &admin, &o, &r), WQ_ERR_OK);
	sqlite3_trace_v2(wq_store_sqlite(store), SQLITE_TRACE_PROFILE,
			 count_unnamed, u);
	assert_int_equal(wq_audit_verify(store, &rep), WQ_ERR_OK);
	sqlite3_trace_v2(wq_store_sqlite(store), 0, NULL, NULL);
	wq_store_close(&store);
	fixture_remove_dir(dir);
}

/* Looking for rows no event names reads the events once, not once for
 * each row: four times the cases is about four times the steps, where a
 * scan of the events for each offer, evidence item, document or contact
 * grew sixteenfold (and took hours at 100,000 cases). */
static void test_unnamed_rows_read_the_events_once(void **state)
{
	struct unnamed_steps small = {0}, large = {0};

	(void)state;
	verify_demo(40, &small);
	verify_demo(160, &large);
	assert_true(small.n >= 5);
	assert_int_equal(large.n, small.n);
	for (int i = 0; i < small.n; i++) {
		long long base = small.steps[i] > 1000 ? small.steps[i] : 1000;

		printf("# %lld -> %lld steps: %.70s\n", small.steps[i],
		       large.steps[i], small.sql[i]);
		assert_string_equal(large.sql[i], small.sql[i]);
		if (large.steps[i] > 8 * base)
			fail_msg("%lld -> %lld VM steps: %s", small.steps[i],
				 large.steps[i], small.sql[i]);
	}
	for (int i = 0; i < small.n; i++)
		free((char *)small.sql[i]);
	for (int i = 0; i < large.n; i++)
		free((char *)large.sql[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_append_chains, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_same_content_different_hash,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_good, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_triggers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tamper_details, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tamper_rehashed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tamper_delete_middle,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_delete_first, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tamper_swap_actor, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tamper_delete_and_renumber,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tamper_forged_append, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hash_covers_every_field,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_details_must_be_json, setup,
						teardown),
		cmocka_unit_test(test_unnamed_rows_read_the_events_once),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
