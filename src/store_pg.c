/* The PostgreSQL driver of the store (src/store_driver.h), through libpq:
 * chosen when the database is a postgresql:// (or postgres://) URI.
 *
 * The core writes SQLite's placeholders (?N, and a bare ? numbered after
 * the highest so far); they become $N here.  A statement runs whole at
 * its first step and its rows are then read one by one: the core's
 * results are short pages.  A scan (wq_store_prepare_scan: a whole table,
 * for audit verify or an export) would hold millions of rows in memory
 * that way; it is a cursor instead, fetched SCAN_CHUNK rows at a time.
 * Outside a transaction the cursor is WITH HOLD, so that the statements
 * the core runs between its rows, each a transaction of its own, leave
 * it open (the server then keeps the result, not this process); inside
 * one it ends with it.  The statements the store caches are prepared
 * on the server (per connection) at their first run; the others run with
 * PQexecParams.  Integers are sent as bigint, text
 * as text and blobs as bytea in binary; results come as text, bytea
 * decoded when a column is read.
 *
 * Writes overlap where SQLite's are serialized.  The core's write paths
 * read and then write (a case's version, the audit chain's last hash)
 * and rely on no other write coming between; three transaction-level
 * locks give them that (READ COMMITTED: each statement sees what was
 * committed before it):
 *  - a ruling (wq_store_begin_write_case) takes the writers' advisory
 *    lock shared, its case's advisory lock and its case's row (FOR NO KEY
 *    UPDATE) in the round trip of its BEGIN: a ruling on the same case
 *    waits for it, in turn, one on another case does not, and the
 *    version check of case_core_save still holds;
 *  - at its first change (a statement that is not a query,
 *    sql_writes()) or the audit chain's append (wq_store_lock_chain), it
 *    takes the chain's advisory lock and holds it to its commit: the
 *    chain stays gap-free and in order, and whatever the triggers count
 *    (report_counts, report_due, inbox_counts...) or the rulings share (a
 *    merchant's row) is changed by one writer at a time.  A writer holds
 *    no row but its case's before the chain, and one holding the chain
 *    waits for no case's row, so rulings never deadlock with each other;
 *  - every other write (wq_store_begin_write: several cases, groups,
 *    users, imports, the calendar and the clock rules, settings,
 *    migrations) takes the writers' lock exclusively at its BEGIN, so
 *    it runs alone, the chain included, once the rulings under way end.
 * Waiting for any of them, as for any row or table lock, is bounded by
 * lock_timeout, and running out of it is the same "stayed busy, nothing
 * was written" as SQLite's; a deadlock lost at BEGIN, before anything
 * was done, starts the write again, one lost later ends it with
 * SQLite's words for a writer in the way.  So a ruling holds the chain
 * for its changes and commit only (about 10 round trips, where the one
 * lock was held for 17): its reads (the case, the user, the calendar and
 * clock rules, which the store also keeps until a write not about one
 * case is heard, wq_store_shared_version) run beside others' writes.
 *
 * The schema is PostgreSQL's own (src/schema_pg.c): init on an empty
 * database makes the baseline and runs the later migrations' PostgreSQL
 * texts, all in one transaction; its version is the one row of
 * schema_version, SQLite's PRAGMA user_version.  A trigger's refusal
 * (SQLite's RAISE(ABORT, msg)) is SQLSTATE 23000, told as SQLite tells
 * it: its message alone, and no constraint wq_store_violated() names. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libpq-fe.h>

#include "schema.h"
#include "store_driver.h"
#include "store_pg.h"
#include "util.h"
#include "weiquan/fts_cjk.h"
#include "weiquan/changes.h"
#include "weiquan/store.h"

/* How long a statement may wait for a lock before the user is told: the
 * same bound as the SQLite driver's writers' queue. */
#define WRITE_WAIT_MS 10000
/* A statement outside a transaction that lost to a concurrent one
 * (serialization failure, deadlock) is run again this many times. */
#define RETRIES 5
/* The SQLSTATE of a trigger's refusal (src/schema.c, PG_REFUSE). */
#define TRIGGER_REFUSED "23000"
/* The transaction-level advisory lock of the writers, "wqwr": held
 * exclusively by a write of more than one case (wq_store_begin_write),
 * shared by the writes of one case (wq_store_begin_write_case). */
#define WRITE_LOCK_KEY "2003923826"
/* The audit chain's advisory lock, "wqch": a write of one case takes it
 * at its first change and holds it to its commit (wq_store_lock_chain). */
#define CHAIN_LOCK_KEY "2003919720"
/* The first key of a case's advisory lock, "wqca"; the second is the
 * case's id (folded into an int4). */
#define CASE_LOCK_CLASS "2003919713"

/* The rows a scan's cursor fetches at a time. */
#define SCAN_CHUNK 2000

/* PostgreSQL's type oids (catalog/pg_type_d.h, stable across versions). */
#define BOOLOID 16
#define BYTEAOID 17
#define INT8OID 20
#define INT2OID 21
#define INT4OID 23
#define TEXTOID 25

struct pg_store {
	struct wq_store base;
	PGconn *conn;
	/* The URI's password as written and as decoded: scrubbed from
	 * every message. */
	struct secrets *secrets;
	int write_wait_ms;
	int64_t changes;
	unsigned next_name; /* of the server's prepared statements */
	char sqlstate[6];   /* of the last error, "" when there was none */
	/* In a write: whether it is about one case (begin_write_case), and
	 * whether it holds the chain (as a write of several cases does from
	 * its start). */
	bool case_write;
	bool chain_held;
	/* Commits heard of writes not about one case (SHARED_MARK):
	 * wq_store_shared_version(). */
	int64_t heard_shared;
	char *errmsg;	    /* the last error's message */
	/* Live refresh: what other sessions' notifications named and
	 * wq_store_take_changes() has not taken yet (see hear()). */
	int64_t heard_count; /* notifications from others: data_version */
	int64_t *heard;
	size_t nheard, heard_cap;
	bool heard_everything;
	int heard_pid;	  /* the session whose notifications come now */
	bool heard_named; /* ... and whether they named a case since its
			   * last commit mark */
};

/* The channel of live refresh: each audit event's case id (its trigger,
 * events_notify in src/schema.c) or '*' for an event of no single case,
 * and COMMIT_MARK from each commit of a write (pg_commit), just after
 * SHARED_MARK when the write was not about one case (it may have changed
 * the calendar, the clock rules or the settings). */
#define CHANGES_CHANNEL "weiquan_changes"
#define COMMIT_MARK "."
#define SHARED_MARK "!"

enum pg_param_kind { PARAM_NULL, PARAM_INT, PARAM_TEXT, PARAM_BLOB };

struct pg_param {
	enum pg_param_kind kind;
	const char *value;
	int length;
	char *owned; /* value's copy, when the binding made one */
	char number[24];
};

struct pg_stmt {
	struct wq_stmt base;
	struct pg_store *store;
	char *sql; /* with $N placeholders */
	int nparams;
	bool writes; /* may change rows (sql_writes) */
	/* A cached statement is prepared on the server at its first run,
	 * with the types then bound (prepared_types), and runs prepared
	 * again while the bindings agree with them. */
	bool persistent;
	bool prepared;
	/* A scan: declared as the cursor named cursor, fetched in chunks;
	 * cursor_open while the server has it. */
	bool scan;
	bool cursor_open;
	char cursor[24];
	Oid *prepared_types;
	char name[24];
	struct pg_param *params;
	PGresult *res;
	int row;       /* the current row; -1 before the first */
	bool finished; /* WQ_DONE was returned: a new step runs again */
	/* The current row's bytea columns, decoded when read. */
	int ncols;
	unsigned char **decoded;
	size_t *decoded_len;
};

static const struct wq_store_driver pg_driver;
static int pg_schema_version(struct wq_store *store);
static void end_transaction(struct pg_store *s);
static bool sql_writes(const char *sql);
static bool chain_before(struct pg_store *s, bool writes);

static struct pg_store *pgs(struct wq_store *store)
{
	return (struct pg_store *)store;
}

static struct pg_stmt *pst(struct wq_stmt *stmt)
{
	return (struct pg_stmt *)stmt;
}

/* ---- URIs and messages ---- */

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool wq_store_is_pg_uri(const char *path)
{
	return has_prefix(path, "postgresql://") ||
	       has_prefix(path, "postgres://");
}

/* A query parameter that holds a secret. */
static bool secret_param(const char *param, size_t len)
{
	const char *eq = memchr(param, '=', len);
	size_t key = eq ? (size_t)(eq - param) : len;

	for (size_t i = 0; i + 8 <= key; i++)
		if (strncmp(param + i, "password", 8) == 0)
			return true;
	return false;
}

char *wq_store_pg_shown_uri(const char *uri)
{
	struct wq_buf b = {0};
	const char *authority = strstr(uri, "://"), *end, *at, *query, *p;

	if (!authority)
		return wq_strdup(uri);
	authority += 3;
	end = authority + strcspn(authority, "/?#");
	wq_buf_add(&b, uri, (size_t)(authority - uri));
	/* user[:password]@hosts: the last @ of the authority ends the user
	 * part, its first : starts the password. */
	at = NULL;
	for (p = authority; p < end; p++)
		if (*p == '@')
			at = p;
	if (at) {
		const char *colon =
		    memchr(authority, ':', (size_t)(at - authority));

		wq_buf_add(&b, authority,
			   (size_t)((colon ? colon : at) - authority));
		authority = at;
	}
	query = strchr(end, '?');
	if (!query) {
		wq_buf_puts(&b, authority);
		return b.data;
	}
	wq_buf_add(&b, authority, (size_t)(query - authority));
	p = query + 1;
	{
		bool first = true;

		while (*p) {
			size_t len = strcspn(p, "&#");

			if (len && !secret_param(p, len)) {
				wq_buf_puts(&b, first ? "?" : "&");
				wq_buf_add(&b, p, len);
				first = false;
			}
			p += len;
			if (*p == '#') {
				wq_buf_puts(&b, p);
				break;
			}
			if (*p)
				p++;
		}
	}
	if (!b.data)
		wq_buf_puts(&b, "");
	return b.data;
}

#define MAX_SECRETS 8

struct secrets {
	int count;
	char *text[MAX_SECRETS];
};

static void add_secret(struct secrets *list, const char *s, size_t len)
{
	if (len && list->count < MAX_SECRETS)
		list->text[list->count++] = wq_strndup(s, len);
}

static void free_secrets(struct secrets *list)
{
	if (!list)
		return;
	for (int i = 0; i < list->count; i++)
		free(list->text[i]);
	free(list);
}

/* The URI's passwords: as libpq reads them, and as written, since libpq
 * quotes the text of a part it could not decode ("invalid
 * percent-encoded token") and a password it cannot parse is still one. */
static struct secrets *uri_secrets(const char *uri)
{
	struct secrets *list = wq_xcalloc(1, sizeof(*list));
	PQconninfoOption *opts = PQconninfoParse(uri, NULL);
	const char *authority = strstr(uri, "://"), *end, *at = NULL, *p;

	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val)
			add_secret(list, o->val, strlen(o->val));
	PQconninfoFree(opts);
	if (!authority)
		return list;
	authority += 3;
	end = authority + strcspn(authority, "/?#");
	for (p = authority; p < end; p++)
		if (*p == '@')
			at = p;
	if (at) {
		const char *colon =
		    memchr(authority, ':', (size_t)(at - authority));

		if (colon)
			add_secret(list, colon + 1, (size_t)(at - colon - 1));
	}
	for (p = strchr(end, '?'); p && *p && *p != '#';) {
		size_t len;

		p++;
		len = strcspn(p, "&#");
		if (secret_param(p, len)) {
			const char *eq = memchr(p, '=', len);

			if (eq)
				add_secret(list, eq + 1,
					   len - (size_t)(eq + 1 - p));
		}
		p += len;
	}
	return list;
}

/* The longest secret that text starts with, 0: none. */
static size_t secret_at(const struct secrets *list, const char *text)
{
	size_t best = 0;

	for (int i = 0; list && i < list->count; i++) {
		size_t n = strlen(list->text[i]);

		if (n > best && strncmp(text, list->text[i], n) == 0)
			best = n;
	}
	return best;
}

/* text without a password anywhere in it, on one line. */
static char *scrubbed(const struct secrets *secrets, const char *text)
{
	struct wq_buf b = {0};
	const char *p = text;
	size_t n;

	while (*p) {
		if ((n = secret_at(secrets, p)) > 0) {
			wq_buf_puts(&b, "***");
			p += n;
		} else if (*p == '\n' || *p == '\t') {
			/* libpq's hint on a line of its own: one line here. */
			while (*p == '\n' || *p == '\t')
				p++;
			wq_buf_puts(&b, " ");
		} else {
			wq_buf_add(&b, p, 1);
			p++;
		}
	}
	if (!b.data)
		wq_buf_puts(&b, "");
	while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	return b.data;
}

static void set_error(struct pg_store *s, const PGresult *res)
{
	const char *state =
	    res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : "";

	if (!msg || !*msg)
		msg = PQerrorMessage(s->conn);
	/* No SQLSTATE: the connection itself failed. */
	snprintf(s->sqlstate, sizeof(s->sqlstate), "%s",
		 state ? state : "08006");
	/* A trigger's refusal is its own words, as SQLite gives them,
	 * without the server's "ERROR:" and PL/pgSQL context. */
	if (strcmp(s->sqlstate, TRIGGER_REFUSED) == 0 &&
	    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY))
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	free(s->errmsg);
	s->errmsg = scrubbed(s->secrets, msg);
}

static void clear_error(struct pg_store *s)
{
	s->sqlstate[0] = '\0';
}

static bool ok_result(const PGresult *res)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* A transaction that lost to another one: running it again may work. */
static bool lost_race(const char *sqlstate)
{
	return strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0;
}

static bool lock_timeout(const char *sqlstate)
{
	return strcmp(sqlstate, "55P03") == 0;
}

static void short_sleep(int attempt)
{
	struct timespec ts = {0, (long)(attempt + 1) * 5000000L};

	nanosleep(&ts, NULL);
}

/* Runs sql (no parameters, several statements allowed): true when it
 * went through, else the error is recorded. */
static bool run(struct pg_store *s, const char *sql)
{
	for (int attempt = 0;; attempt++) {
		PGresult *res = PQexec(s->conn, sql);
		bool ok = ok_result(res);

		if (ok)
			clear_error(s);
		else
			set_error(s, res);
		PQclear(res);
		if (ok || !lost_race(s->sqlstate) || attempt == RETRIES ||
		    PQtransactionStatus(s->conn) != PQTRANS_IDLE)
			return ok;
		short_sleep(attempt);
	}
}

/* A write that could not go through because of other sessions, in the
 * words the SQLite driver uses for the same (the user can only try again;
 * which statement met it is no help to them): out of patience waiting
 * for a lock, or picked to lose a deadlock or a serialization conflict
 * (the transaction rolled back at once, so "kept busy for N seconds"
 * would not be true). */
static enum wq_err busy(struct pg_store *s)
{
	if (lock_timeout(s->sqlstate))
		return wq_fail(WQ_ERR_BUSY,
			       N_("other sessions kept the database busy for "
				  "%.1f seconds; nothing was written"),
			       s->write_wait_ms / 1000.0);
	return wq_fail(WQ_ERR_BUSY,
		       N_("another session is writing to the database; "
			  "nothing was written"));
}

static enum wq_err pg_error(struct wq_store *store, const char *what)
{
	struct pg_store *s = pgs(store);

	if (lock_timeout(s->sqlstate) || lost_race(s->sqlstate))
		return busy(s);
	if (strcmp(s->sqlstate, "53100") == 0)
		return wq_fail(WQ_ERR_FULL, "%s: %s", what, store->path);
	return wq_fail(WQ_ERR_DB, "%s: %s", what, s->errmsg ? s->errmsg : "");
}

static const char *pg_errmsg(struct wq_store *store)
{
	struct pg_store *s = pgs(store);

	return s->sqlstate[0] && s->errmsg ? s->errmsg : "not an error";
}

static enum wq_violation pg_violated(struct wq_store *store)
{
	const char *state = pgs(store)->sqlstate;

	if (strcmp(state, "23505") == 0)
		return WQ_VIOLATED_UNIQUE;
	if (strcmp(state, "23503") == 0)
		return WQ_VIOLATED_FOREIGN_KEY;
	if (strcmp(state, "23514") == 0)
		return WQ_VIOLATED_CHECK;
	return WQ_VIOLATED_NONE;
}

/* ---- the connection ---- */

static void no_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static enum wq_err set_lock_timeout(struct pg_store *s)
{
	char sql[48];

	snprintf(sql, sizeof(sql), "SET lock_timeout = %d", s->write_wait_ms);
	return run(s, sql) ? WQ_ERR_OK : pg_error(&s->base, "lock_timeout");
}

enum wq_err wq_store_pg_connect(const char *uri, struct wq_store **out)
{
	struct pg_store *s = wq_xcalloc(1, sizeof(*s));
	struct secrets *secrets = uri_secrets(uri);
	char *without = wq_store_pg_shown_uri(uri);
	/* Should the password appear elsewhere in it too (as a port, by
	 * mistake). */
	char *shown = scrubbed(secrets, without);
	enum wq_err err;

	free(without);
	*out = NULL;
	wq_store_base_init(&s->base, &pg_driver, shown);
	s->secrets = secrets;
	s->write_wait_ms = WRITE_WAIT_MS;
	s->conn = PQconnectdb(uri);
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		char *why =
		    scrubbed(s->secrets, s->conn ? PQerrorMessage(s->conn)
						 : "out of memory");

		err = wq_fail(WQ_ERR_DB, N_("cannot connect to %s: %s"), shown,
			      why);
		free(why);
		free(shown);
		wq_store_close((struct wq_store **)&s);
		return err;
	}
	free(shown);
	PQsetNoticeProcessor(s->conn, no_notices, NULL);
	/* The core's text is UTF-8 whatever the database's locale. */
	if (PQsetClientEncoding(s->conn, "UTF8") != 0) {
		err = wq_fail(WQ_ERR_DB, "%s: cannot speak UTF-8 to it",
			      s->base.path);
		wq_store_close((struct wq_store **)&s);
		return err;
	}
	err = set_lock_timeout(s);
	/* From the start, so that nothing committed after the open is
	 * missed; a session that never asks pays one statement. */
	if (!err && !run(s, "LISTEN " CHANGES_CHANNEL))
		err = pg_error(&s->base, "LISTEN");
	if (err) {
		wq_store_close((struct wq_store **)&s);
		return err;
	}
	*out = &s->base;
	return WQ_ERR_OK;
}

/* Takes an empty database (version 0) to WQ_SCHEMA_VERSION in one
 * transaction: the baseline, then each later migration's text. */
static enum wq_err migrate(struct wq_store *store, int from)
{
	enum wq_err err;
	char sql[64];

	if (from != 0 && from < WQ_SCHEMA_PG_BASELINE)
		return wq_fail(WQ_ERR_SCHEMA_OLD,
			       N_("%s has schema version %d; this weiquan "
				  "needs %d"),
			       store->path, from, WQ_SCHEMA_VERSION);
	err = wq_store_begin_write(store);
	/* Another init may have got the write lock first and made it. */
	if (!err && pg_schema_version(store) != from) {
		wq_store_rollback(store);
		return WQ_ERR_OK;
	}
	for (int i = 0; !err && from == 0 && wq_schema_pg_baseline[i]; i++)
		err = wq_store_exec(store, wq_schema_pg_baseline[i]);
	snprintf(sql, sizeof(sql), "INSERT INTO schema_version VALUES (%d)",
		 WQ_SCHEMA_PG_BASELINE);
	if (!err && from == 0)
		err = wq_store_exec(store, sql);
	for (int v = from ? from : WQ_SCHEMA_PG_BASELINE;
	     !err && v < wq_schema_migration_count; v++) {
		err = wq_store_exec(store, wq_schema_migrations[v].pg);
		snprintf(sql, sizeof(sql),
			 "UPDATE schema_version SET version = %d", v + 1);
		if (!err)
			err = wq_store_exec(store, sql);
	}
	if (!err)
		err = wq_store_commit(store);
	else
		wq_store_rollback(store);
	if (!err && from == 0)
		store->created = true;
	return err;
}

/* What opening a database of this schema version says, as SQLite's
 * driver says it (WQ_ERR_OK for this program's version). */
static enum wq_err version_refused(struct wq_store *store, int version)
{
	if (version < 0)
		return pg_error(store, store->path);
	if (version > WQ_SCHEMA_VERSION)
		return wq_fail(
		    WQ_ERR_SCHEMA_NEW,
		    N_("%s has schema version %d; this weiquan knows %d"),
		    store->path, version, WQ_SCHEMA_VERSION);
	if (version == 0)
		return wq_fail(WQ_ERR_NO_DB, N_("%s is not a weiquan database"),
			       store->path);
	if (version < WQ_SCHEMA_VERSION)
		return wq_fail(WQ_ERR_SCHEMA_OLD,
			       N_("%s has schema version %d; this weiquan "
				  "needs %d"),
			       store->path, version, WQ_SCHEMA_VERSION);
	return WQ_ERR_OK;
}

enum wq_err wq_store_pg_open(const char *uri, enum wq_open_mode mode,
			     struct wq_store **out)
{
	struct wq_store *store;
	enum wq_err err = wq_store_pg_connect(uri, &store);
	int version;

	*out = NULL;
	if (err)
		return err;
	version = pg_schema_version(store);
	if (version >= 0 && version < WQ_SCHEMA_VERSION &&
	    mode == WQ_OPEN_INIT) {
		err = migrate(store, version);
		/* made by this open, or by another init meanwhile */
		if (!err)
			version = pg_schema_version(store);
	}
	if (!err)
		err = version_refused(store, version);
	if (err) {
		wq_store_close(&store);
		return err;
	}
	*out = store;
	return WQ_ERR_OK;
}

static void pg_close(struct wq_store *store)
{
	struct pg_store *s = pgs(store);

	if (s->conn)
		PQfinish(s->conn);
	free_secrets(s->secrets);
	free(s->errmsg);
	free(s->heard);
	free(s);
}

/* The DROP of each table, function and aggregate a text creates
 * ("CREATE TABLE name(", "CREATE FUNCTION name(args)", with OR REPLACE or
 * IF NOT EXISTS or neither), appended to b. */
static void drops_of(struct wq_buf *b, const char *text)
{
	static const char *const kinds[] = {"TABLE", "FUNCTION", "AGGREGATE"};

	for (const char *p = text; (p = strstr(p, "CREATE ")) != NULL;) {
		p += strlen("CREATE ");
		if (strncmp(p, "OR REPLACE ", strlen("OR REPLACE ")) == 0)
			p += strlen("OR REPLACE ");
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			size_t n = strlen(kinds[k]);

			if (strncmp(p, kinds[k], n) != 0 || p[n] != ' ')
				continue;
			const char *start = p + n + 1;

			if (strncmp(start, "IF NOT EXISTS ",
				    strlen("IF NOT EXISTS ")) == 0)
				start += strlen("IF NOT EXISTS ");
			size_t name = strcspn(start, "(");

			if (k == 0)
				wq_buf_printf(b,
					      "DROP TABLE IF EXISTS %.*s CASCADE;\n",
					      (int)name, start);
			else	/* with its arguments: they name the overload */
				wq_buf_printf(
				    b, "DROP %s IF EXISTS %.*s) CASCADE;\n",
				    kinds[k],
				    (int)(name + strcspn(start + name, ")")),
				    start);
		}
	}
}

/* wq_store_discard() of the database this open initialised: init is all
 * or nothing, so what its baseline and the later migrations made goes
 * again (nothing else the database holds). */
static void pg_discard(struct wq_store **store)
{
	struct wq_buf b = {0};

	wq_buf_puts(&b, "BEGIN;\n");
	for (int i = 0; wq_schema_pg_baseline[i]; i++)
		drops_of(&b, wq_schema_pg_baseline[i]);
	for (int v = WQ_SCHEMA_PG_BASELINE; v < wq_schema_migration_count; v++)
		drops_of(&b, wq_schema_migrations[v].pg);
	wq_buf_puts(&b, "COMMIT;\n");
	end_transaction(pgs(*store));
	run(pgs(*store), b.data);
	wq_buf_free(&b);
	wq_store_close(store);
}

/* 0 when the database has no weiquan schema, -1 on an error. */
static int pg_schema_version(struct wq_store *store)
{
	struct pg_store *s = pgs(store);
	PGresult *res = PQexec(s->conn, "SELECT to_regclass('schema_version')"
					" IS NOT NULL");
	bool has_table = false;
	int v = -1;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		has_table = PQgetvalue(res, 0, 0)[0] == 't';
		v = 0;
	} else {
		set_error(s, res);
	}
	PQclear(res);
	if (!has_table)
		return v;
	res = PQexec(s->conn, "SELECT version FROM schema_version");
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		v = PQntuples(res) == 1 ? atoi(PQgetvalue(res, 0, 0)) : 0;
	else {
		set_error(s, res);
		v = -1;
	}
	PQclear(res);
	return v;
}

/* ---- transactions ---- */

static enum wq_err pg_exec_sql(struct wq_store *store, const char *sql)
{
	struct pg_store *s = pgs(store);
	enum wq_err err;

	if (chain_before(s, sql_writes(sql)) && run(s, sql))
		return WQ_ERR_OK;
	err = pg_error(store, "database");
	if (err != WQ_ERR_BUSY)
		wq_fail(err, "%s", s->errmsg);
	return err;
}

static void pg_exec_quiet(struct wq_store *store, const char *sql)
{
	run(pgs(store), sql);
}

static void end_transaction(struct pg_store *s)
{
	if (PQtransactionStatus(s->conn) != PQTRANS_IDLE) {
		PGresult *res = PQexec(s->conn, "ROLLBACK");

		PQclear(res);
	}
	s->case_write = s->chain_held = false;
}

/* Whether an SQL text may change rows: anything but a query, a setting
 * or a savepoint's own statements (what the core's SQL begins with). */
static bool sql_writes(const char *sql)
{
	static const char *const reads[] = {"SELECT", "SAVEPOINT", "RELEASE",
					    "ROLLBACK", "SET", "SHOW"};

	sql += strspn(sql, " \t\n(");
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		size_t n = strlen(reads[i]);

		if (strncasecmp(sql, reads[i], n) == 0 &&
		    !((sql[n] >= 'A' && sql[n] <= 'Z') ||
		      (sql[n] >= 'a' && sql[n] <= 'z') || sql[n] == '_'))
			return false;
	}
	return true;
}

/* Starts a write (BEGIN and its locks, one round trip), running it again
 * when it lost a deadlock. */
static enum wq_err start_write(struct pg_store *s, const char *sql)
{
	for (int attempt = 0;; attempt++) {
		if (run(s, sql))
			return WQ_ERR_OK;
		end_transaction(s);
		if (lock_timeout(s->sqlstate))
			return busy(s);
		if (!lost_race(s->sqlstate) || attempt == RETRIES)
			return pg_error(&s->base, "cannot start a write; "
						  "nothing was written");
		short_sleep(attempt);
	}
}

/* A write of several cases, or of what is not a case's: it excludes
 * every other writer, and so holds the chain from its start. */
static enum wq_err pg_begin_write(struct wq_store *store)
{
	struct pg_store *s = pgs(store);
	enum wq_err err =
	    start_write(s, "BEGIN ISOLATION LEVEL READ COMMITTED;"
			   " SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")");

	s->chain_held = !err;
	return err;
}

/* A write of one case: the writers' lock shared (a write of several
 * cases waits for it to end, and it for such a write), then the case's
 * own advisory lock and its row.  Writes of the same case queue on the
 * advisory lock, first come first served: on the row alone, each one
 * woken by a commit finds a newer version of it and waits again, behind
 * later ones (`make stress`, 200 writers on one case: p99 38 s).  Until
 * its first change it holds nothing else, so a writer that holds the
 * chain never waits for it: no deadlock between such writes (the
 * version check of case_core_save still guards the case). */
static enum wq_err pg_begin_write_case(struct wq_store *store,
				       int64_t case_id)
{
	struct pg_store *s = pgs(store);
	char sql[256];
	enum wq_err err;

	snprintf(sql, sizeof(sql),
		 "BEGIN ISOLATION LEVEL READ COMMITTED;"
		 " SELECT pg_advisory_xact_lock_shared(" WRITE_LOCK_KEY ");"
		 " SELECT pg_advisory_xact_lock(" CASE_LOCK_CLASS ", %d);"
		 " SELECT 1 FROM cases WHERE id = %" PRId64
		 " FOR NO KEY UPDATE",
		 (int)(case_id % 2147483647), case_id);
	err = start_write(s, sql);
	s->case_write = !err;
	return err;
}

static enum wq_err pg_lock_chain(struct wq_store *store)
{
	struct pg_store *s = pgs(store);

	if (s->chain_held)
		return WQ_ERR_OK;
	if (!run(s, "SELECT pg_advisory_xact_lock(" CHAIN_LOCK_KEY ")"))
		return pg_error(store, "audit chain");
	s->chain_held = true;
	return WQ_ERR_OK;
}

/* Before a write of one case changes anything: the chain. */
static bool chain_before(struct pg_store *s, bool writes)
{
	return !s->base.in_write || s->chain_held || !writes ||
	       pg_lock_chain(&s->base) == WQ_ERR_OK;
}

static void pg_set_write_wait(struct wq_store *store, int ms)
{
	pgs(store)->write_wait_ms = ms;
	set_lock_timeout(pgs(store));
}

static void pg_bulk(struct wq_store *store, bool on)
{
	/* The server's shared buffers and checkpoints are the DBA's. */
	(void)store;
	(void)on;
}

static enum wq_err pg_commit(struct wq_store *store)
{
	struct pg_store *s = pgs(store);
	/* The marks go with the COMMIT in one round trip; a commit whose
	 * events named no case tells the others to reload as a whole. */
	PGresult *res = PQexec(
	    s->conn, s->case_write
			 ? "SELECT pg_notify('" CHANGES_CHANNEL
			   "', '" COMMIT_MARK "'); COMMIT"
			 : "SELECT pg_notify('" CHANGES_CHANNEL "', '" SHARED_MARK
			   "'), pg_notify('" CHANGES_CHANNEL "', '" COMMIT_MARK
			   "'); COMMIT");
	enum wq_err err = WQ_ERR_OK;

	if (!ok_result(res)) {
		set_error(s, res);
		err = pg_error(store, "cannot commit");
	} else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		/* A failed statement left the transaction aborted: COMMIT
		 * rolled it back. */
		err = wq_fail(WQ_ERR_DB, "cannot commit: %s",
			      s->sqlstate[0] && s->errmsg
				  ? s->errmsg
				  : "the write failed; nothing was written");
	}
	PQclear(res);
	end_transaction(s);
	return err;
}

static void pg_rollback(struct wq_store *store)
{
	end_transaction(pgs(store));
}

static enum wq_err pg_begin_read(struct wq_store *store)
{
	return pg_exec_sql(store,
			   "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

static void pg_end_read(struct wq_store *store)
{
	pg_exec_quiet(store, "COMMIT");
}

static int64_t pg_changes(struct wq_store *store)
{
	return pgs(store)->changes;
}

/* One notification from another session (see CHANGES_CHANNEL).  A
 * transaction's notifications arrive together, after it committed, in
 * commit order; a case named again in it is folded into one. */
static void heard(struct pg_store *s, int pid, const char *payload)
{
	char *end;
	long long id;

	s->heard_count++;
	if (strcmp(payload, SHARED_MARK) == 0) {
		s->heard_shared++;
		return;
	}
	if (pid != s->heard_pid) {
		s->heard_pid = pid;
		s->heard_named = false;
	}
	if (strcmp(payload, COMMIT_MARK) == 0) {
		if (!s->heard_named)
			s->heard_everything = true;
		s->heard_named = false;
		return;
	}
	errno = 0;
	id = strtoll(payload, &end, 10);
	if (!*payload || *end || errno || id <= 0 ||
	    s->nheard >= WQ_CHANGES_MAX) {
		s->heard_everything = true; /* '*', or too many to name */
		s->heard_named = true;
		return;
	}
	s->heard_named = true;
	if (s->nheard == s->heard_cap) {
		s->heard_cap = s->heard_cap ? 2 * s->heard_cap : 16;
		s->heard = wq_xrealloc(s->heard,
				       s->heard_cap * sizeof(*s->heard));
	}
	s->heard[s->nheard++] = id;
}

/* Reads what the server has sent without waiting for anything: the
 * notifications that arrived while the session was idle, and those
 * libpq kept from the replies to its own statements. */
static void hear(struct pg_store *s)
{
	PGnotify *n;
	int own = PQbackendPID(s->conn);

	if (!PQconsumeInput(s->conn)) {
		/* The connection failed: what others did is unknown. */
		s->heard_everything = true;
		s->heard_count++;
		s->heard_shared++;
		return;
	}
	while ((n = PQnotifies(s->conn)) != NULL) {
		if (n->be_pid != own && strcmp(n->relname, CHANGES_CHANNEL) == 0)
			heard(s, n->be_pid, n->extra);
		PQfreemem(n);
	}
}

static int64_t pg_data_version(struct wq_store *store)
{
	struct pg_store *s = pgs(store);

	hear(s);
	return s->heard_count;
}

static int64_t pg_shared_version(struct wq_store *store)
{
	struct pg_store *s = pgs(store);

	hear(s);
	return s->heard_shared;
}

/* A notification reaches this session some time after the commit that
 * sent it: the server signals this session's backend, which sends it
 * when it next waits for a command.  One round trip makes it wait for
 * one, after reading the signal of every commit that has returned by
 * now (sent before that commit's reply), so that a take names every
 * commit made before it, as the events read on SQLite do, and not only
 * those whose notifications happened to have arrived.  The empty query
 * costs no transaction.  Inside a transaction (none of the console's
 * takes) the server keeps them until its end, as before. */
static void hear_all(struct pg_store *s)
{
	PGresult *res = PQexec(s->conn, "");

	if (PQresultStatus(res) != PGRES_EMPTY_QUERY) {
		/* The connection failed: what others did is unknown. */
		s->heard_everything = true;
		s->heard_count++;
		s->heard_shared++;
	}
	PQclear(res);
	hear(s);
}

static enum wq_err pg_take_changes(struct wq_store *store, int64_t **ids,
				   size_t *n, bool *everything)
{
	struct pg_store *s = pgs(store);

	hear_all(s);
	*ids = s->heard;
	*n = s->nheard;
	*everything = s->heard_everything;
	s->heard = NULL;
	s->nheard = s->heard_cap = 0;
	s->heard_everything = false;
	return WQ_ERR_OK;
}

static enum wq_err pg_backup(struct wq_store *store, const char *dest_path)
{
	(void)dest_path;
	return wq_fail(WQ_ERR_INVALID,
		       N_("%s is a PostgreSQL database, which weiquan backup "
			  "does not copy: back it up with PostgreSQL's "
			  "pg_dump, for example pg_dump --format=custom "
			  "--file=FILE and the database's URI (the password "
			  "from PGPASSWORD or ~/.pgpass), and restore it with "
			  "pg_restore into an empty database; nothing was "
			  "written"),
		       store->path);
}

/* ---- statements ---- */

/* SQLite's placeholders as PostgreSQL's, outside quotes and comments:
 * ?N is $N, a bare ? the next number after the highest so far. */
static char *translate(const char *sql, int *nparams)
{
	struct wq_buf b = {0};
	int highest = 0;
	const char *p = sql;

	while (*p) {
		if (*p == '\'' || *p == '"') {
			const char *q = strchr(p + 1, *p);

			q = q ? q + 1 : p + strlen(p);
			wq_buf_add(&b, p, (size_t)(q - p));
			p = q;
		} else if (p[0] == '-' && p[1] == '-') {
			size_t len = strcspn(p, "\n");

			wq_buf_add(&b, p, len);
			p += len;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *q = strstr(p + 2, "*/");

			q = q ? q + 2 : p + strlen(p);
			wq_buf_add(&b, p, (size_t)(q - p));
			p = q;
		} else if (*p == '?') {
			int n = 0;

			p++;
			if (*p >= '0' && *p <= '9') {
				while (*p >= '0' && *p <= '9')
					n = n * 10 + (*p++ - '0');
			} else {
				n = highest + 1;
			}
			if (n > highest)
				highest = n;
			wq_buf_printf(&b, "$%d", n);
		} else {
			wq_buf_add(&b, p, 1);
			p++;
		}
	}
	if (!b.data)
		wq_buf_puts(&b, "");
	*nparams = highest;
	return b.data;
}

static enum wq_err pg_stmt_new(struct wq_store *store, const char *sql,
			       bool persistent, bool scan,
			       struct wq_stmt **stmt)
{
	struct pg_stmt *ps = wq_xcalloc(1, sizeof(*ps));

	ps->store = pgs(store);
	ps->persistent = persistent;
	ps->scan = scan;
	ps->sql = translate(sql, &ps->nparams);
	ps->writes = sql_writes(sql);
	if (ps->nparams)
		ps->params =
		    wq_xcalloc((size_t)ps->nparams, sizeof(*ps->params));
	ps->row = -1;
	*stmt = &ps->base;
	return WQ_ERR_OK;
}

static void drop_decoded(struct pg_stmt *ps)
{
	for (int c = 0; c < ps->ncols; c++) {
		free(ps->decoded[c]);
		ps->decoded[c] = NULL;
	}
}

/* A cursor left before its end is closed, unless the transaction it
 * lived in has failed (its end closes it). */
static void close_cursor(struct pg_stmt *ps)
{
	PGconn *conn = ps->store->conn;
	char sql[40];

	if (!ps->cursor_open)
		return;
	ps->cursor_open = false;
	if (PQtransactionStatus(conn) == PQTRANS_INERROR)
		return;
	snprintf(sql, sizeof(sql), "CLOSE %s", ps->cursor);
	PQclear(PQexec(conn, sql));
}

static void pg_stmt_reset(struct wq_stmt *st)
{
	struct pg_stmt *ps = pst(st);

	close_cursor(ps);
	drop_decoded(ps);
	PQclear(ps->res);
	ps->res = NULL;
	ps->row = -1;
	ps->finished = false;
}

static void unbind(struct pg_param *p)
{
	free(p->owned);
	memset(p, 0, sizeof(*p));
}

static void pg_stmt_clear_bindings(struct wq_stmt *st)
{
	struct pg_stmt *ps = pst(st);

	for (int i = 0; i < ps->nparams; i++)
		unbind(&ps->params[i]);
}

static void pg_stmt_free(struct wq_stmt *st)
{
	struct pg_stmt *ps = pst(st);

	pg_stmt_reset(st);
	pg_stmt_clear_bindings(st);
	free(ps->decoded);
	free(ps->decoded_len);
	free(ps->params);
	/* Only cached statements are prepared, and they live as long as the
	 * connection: closing it drops them on the server. */
	free(ps->prepared_types);
	free(ps->sql);
	free(ps);
}

/* Parameter i (from 1), emptied for a new value; NULL when the statement
 * has none of that number (SQLite ignores it too). */
static struct pg_param *param(struct wq_stmt *st, int i)
{
	struct pg_stmt *ps = pst(st);

	if (i < 1 || i > ps->nparams)
		return NULL;
	unbind(&ps->params[i - 1]);
	return &ps->params[i - 1];
}

static void pg_bind_int64(struct wq_stmt *st, int i, int64_t v)
{
	struct pg_param *p = param(st, i);

	if (!p)
		return;
	p->kind = PARAM_INT;
	snprintf(p->number, sizeof(p->number), "%" PRId64, v);
	p->value = p->number;
}

static void pg_bind_null(struct wq_stmt *st, int i)
{
	param(st, i);
}

static void pg_bind_text(struct wq_stmt *st, int i, const char *s, int len,
			 bool copy)
{
	struct pg_param *p = param(st, i);

	if (!p || !s)
		return;
	p->kind = PARAM_TEXT;
	/* Text goes as a C string: one of a given length is copied to end
	 * in a NUL. */
	if (len >= 0 || copy) {
		size_t n = len >= 0 ? (size_t)len : strlen(s);

		p->owned = wq_xmalloc(n + 1);
		memcpy(p->owned, s, n);
		p->owned[n] = '\0';
		p->value = p->owned;
	} else {
		p->value = s;
	}
}

static void pg_bind_blob(struct wq_stmt *st, int i, const void *v, int len)
{
	struct pg_param *p = param(st, i);

	if (!p || !v)
		return;
	p->kind = PARAM_BLOB;
	p->value = len ? v : "";
	p->length = len;
}

static bool column_exists(struct pg_stmt *ps, int i)
{
	return ps->res && ps->row >= 0 && ps->row < PQntuples(ps->res) &&
	       i >= 0 && i < PQnfields(ps->res);
}

static bool pg_column_is_null(struct wq_stmt *st, int i)
{
	struct pg_stmt *ps = pst(st);

	return !column_exists(ps, i) || PQgetisnull(ps->res, ps->row, i);
}

static bool pg_column_is_integer(struct wq_stmt *st, int i)
{
	struct pg_stmt *ps = pst(st);
	Oid type;

	if (pg_column_is_null(st, i))
		return false;
	type = PQftype(ps->res, i);
	return type == INT8OID || type == INT4OID || type == INT2OID;
}

/* The bytes of column i of the current row, bytea decoded. */
static const char *column_bytes(struct pg_stmt *ps, int i, size_t *len)
{
	if (pg_column_is_null(&ps->base, i)) {
		*len = 0;
		return NULL;
	}
	if (PQftype(ps->res, i) != BYTEAOID) {
		*len = (size_t)PQgetlength(ps->res, ps->row, i);
		return PQgetvalue(ps->res, ps->row, i);
	}
	if (!ps->decoded[i]) {
		size_t n;
		unsigned char *raw = PQunescapeBytea(
		    (const unsigned char *)PQgetvalue(ps->res, ps->row, i), &n);
		unsigned char *v;

		if (!raw) {
			fputs("weiquan: out of memory\n", stderr);
			abort();
		}
		/* NUL-ended, as text read from a blob must be. */
		v = wq_xmalloc(n + 1);
		memcpy(v, raw, n);
		v[n] = '\0';
		PQfreemem(raw);
		ps->decoded[i] = v;
		ps->decoded_len[i] = n;
	}
	*len = ps->decoded_len[i];
	return (const char *)ps->decoded[i];
}

static void pg_bind_column(struct wq_stmt *st, int i, struct wq_stmt *from,
			   int col)
{
	struct pg_stmt *src = pst(from);
	struct pg_param *p;
	const char *v;
	size_t len;

	if (pg_column_is_null(from, col)) {
		pg_bind_null(st, i);
		return;
	}
	if (pg_column_is_integer(from, col)) {
		pg_bind_int64(
		    st, i,
		    strtoll(PQgetvalue(src->res, src->row, col), NULL, 10));
		return;
	}
	v = column_bytes(src, col, &len);
	if (PQftype(src->res, col) != BYTEAOID) {
		pg_bind_text(st, i, v, (int)len, true);
		return;
	}
	p = param(st, i);
	if (!p)
		return;
	p->kind = PARAM_BLOB;
	p->owned = wq_xmalloc(len + 1);
	memcpy(p->owned, v, len);
	p->value = p->owned;
	p->length = (int)len;
}

static void note_changes(struct pg_store *s, PGresult *res)
{
	const char *status = PQcmdStatus(res);

	if (has_prefix(status, "INSERT") || has_prefix(status, "UPDATE") ||
	    has_prefix(status, "DELETE") || has_prefix(status, "MERGE"))
		s->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* Whether bindings of these types may run as the prepared statement: a
 * NULL fits any type, a value only the type it was prepared with. */
static bool same_types(const struct pg_stmt *ps, const Oid *types)
{
	for (int i = 0; i < ps->nparams; i++)
		if (types[i] && types[i] != ps->prepared_types[i])
			return false;
	return true;
}

/* A prepared statement's plan that a schema change made obsolete in a
 * way the server will not replan (its result columns changed: another
 * host migrated): the statement is prepared anew under a new name at its
 * next run.  The old one is dropped now when that can be done, else it
 * stays until the connection closes. */
#define PLAN_CHANGED "0A000"

static void forget_prepared(struct pg_stmt *ps)
{
	struct pg_store *s = ps->store;

	if (PQtransactionStatus(s->conn) == PQTRANS_IDLE) {
		char sql[48];

		snprintf(sql, sizeof(sql), "DEALLOCATE %s", ps->name);
		PQclear(PQexec(s->conn, sql));
	}
	ps->prepared = false;
	free(ps->prepared_types);
	ps->prepared_types = NULL;
}

/* Room to decode each column of the current result's rows. */
static void fit_columns(struct pg_stmt *ps)
{
	int cols = PQnfields(ps->res);

	if (cols > ps->ncols) {
		ps->decoded = wq_xrealloc(ps->decoded,
					  (size_t)cols * sizeof(*ps->decoded));
		ps->decoded_len = wq_xrealloc(
		    ps->decoded_len, (size_t)cols * sizeof(*ps->decoded_len));
		for (int c = ps->ncols; c < cols; c++)
			ps->decoded[c] = NULL;
		ps->ncols = cols;
	}
}

/* A scan's next chunk of rows, in place of the last. */
static bool fetch_chunk(struct pg_stmt *ps)
{
	struct pg_store *s = ps->store;
	char sql[64];

	drop_decoded(ps);
	PQclear(ps->res);
	snprintf(sql, sizeof(sql), "FETCH FORWARD %d FROM %s", SCAN_CHUNK,
		 ps->cursor);
	ps->res = PQexec(s->conn, sql);
	ps->row = -1;
	if (!ok_result(ps->res)) {
		set_error(s, ps->res);
		PQclear(ps->res);
		ps->res = NULL;
		close_cursor(ps);
		return false;
	}
	clear_error(s);
	fit_columns(ps);
	return true;
}

static bool execute(struct pg_stmt *ps)
{
	struct pg_store *s = ps->store;
	int n = ps->nparams;
	char *declare = NULL;
	const char **values = wq_xcalloc((size_t)n + 1, sizeof(*values));
	int *lengths = wq_xcalloc((size_t)n + 1, sizeof(*lengths));
	int *formats = wq_xcalloc((size_t)n + 1, sizeof(*formats));
	Oid *types = wq_xcalloc((size_t)n + 1, sizeof(*types));
	bool ok, replanned = false;

	for (int i = 0; i < n; i++) {
		struct pg_param *p = &ps->params[i];

		values[i] = p->kind == PARAM_NULL ? NULL : p->value;
		switch (p->kind) {
		case PARAM_NULL:
			break;
		case PARAM_INT:
			types[i] = INT8OID;
			break;
		case PARAM_TEXT:
			types[i] = TEXTOID;
			break;
		case PARAM_BLOB:
			types[i] = BYTEAOID;
			lengths[i] = p->length;
			formats[i] = 1;
			break;
		}
	}
prepare:
	if (ps->persistent && !ps->prepared &&
	    PQtransactionStatus(s->conn) != PQTRANS_INERROR) {
		PGresult *res;

		snprintf(ps->name, sizeof(ps->name), "wq%u", s->next_name++);
		res = PQprepare(s->conn, ps->name, ps->sql, n, types);
		ps->prepared = ok_result(res);
		if (ps->prepared) {
			ps->prepared_types =
			    wq_xcalloc((size_t)n + 1, sizeof(*types));
			memcpy(ps->prepared_types, types,
			       (size_t)n * sizeof(*types));
		} else
			set_error(s, res);
		PQclear(res);
		/* What would not prepare would not run either, and inside
		 * a transaction the failed prepare has ended it: its own
		 * error is the one to tell. */
		if (!ps->prepared) {
			free(values);
			free(lengths);
			free(formats);
			free(types);
			return false;
		}
	}
	if (ps->scan) {
		snprintf(ps->cursor, sizeof(ps->cursor), "wqc%u",
			 s->next_name++);
		declare = wq_asprintf(
		    "DECLARE %s NO SCROLL CURSOR%s FOR %s", ps->cursor,
		    PQtransactionStatus(s->conn) == PQTRANS_IDLE ? " WITH HOLD"
								  : "",
		    ps->sql);
	}
	for (int attempt = 0;; attempt++) {
		if (declare)
			ps->res = PQexecParams(s->conn, declare, n, types,
					       values, lengths, formats, 0);
		else if (ps->prepared && same_types(ps, types))
			ps->res = PQexecPrepared(s->conn, ps->name, n, values,
						 lengths, formats, 0);
		else
			ps->res = PQexecParams(s->conn, ps->sql, n, types,
					       values, lengths, formats, 0);
		ok = ok_result(ps->res);
		if (ok) {
			clear_error(s);
			note_changes(s, ps->res);
			break;
		}
		set_error(s, ps->res);
		PQclear(ps->res);
		ps->res = NULL;
		if (ps->prepared && strcmp(s->sqlstate, PLAN_CHANGED) == 0) {
			forget_prepared(ps);
			/* Alone, it runs again at once; in a transaction,
			 * which the error ended, at its next use. */
			if (!replanned &&
			    PQtransactionStatus(s->conn) == PQTRANS_IDLE) {
				replanned = true;
				goto prepare;
			}
			break;
		}
		/* Alone (not in a transaction), it can simply run again. */
		if (!lost_race(s->sqlstate) || attempt == RETRIES ||
		    PQtransactionStatus(s->conn) != PQTRANS_IDLE)
			break;
		short_sleep(attempt);
	}
	free(values);
	free(lengths);
	free(formats);
	free(types);
	free(declare);
	if (ok && ps->scan) {
		ps->cursor_open = true;
		return fetch_chunk(ps);
	}
	if (ok)
		fit_columns(ps);
	return ok;
}

/* Any code but WQ_ROW and WQ_DONE is an error (SQLite's SQLITE_ERROR). */
#define STEP_ERROR 1

static int pg_step(struct wq_stmt *st)
{
	struct pg_stmt *ps = pst(st);

	if (ps->finished)
		pg_stmt_reset(st);
	if (!ps->res &&
	    (!chain_before(ps->store, ps->writes) || !execute(ps)))
		return STEP_ERROR;
	drop_decoded(ps);
	/* A scan's chunk read to its end: the next, unless it was the
	 * last (a short one). */
	if (ps->cursor_open && ps->row + 1 >= PQntuples(ps->res)) {
		if (PQntuples(ps->res) < SCAN_CHUNK)
			close_cursor(ps);
		else if (!fetch_chunk(ps))
			return STEP_ERROR;
	}
	if (ps->row + 1 < PQntuples(ps->res)) {
		ps->row++;
		return WQ_ROW;
	}
	ps->row = PQntuples(ps->res);
	ps->finished = true;
	return WQ_DONE;
}

static int64_t pg_column_int64(struct wq_stmt *st, int i)
{
	struct pg_stmt *ps = pst(st);
	const char *v;

	if (pg_column_is_null(st, i))
		return 0;
	v = PQgetvalue(ps->res, ps->row, i);
	if (PQftype(ps->res, i) == BOOLOID)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *pg_column_text(struct wq_stmt *st, int i)
{
	size_t len;

	return column_bytes(pst(st), i, &len);
}

static const void *pg_column_blob(struct wq_stmt *st, int i)
{
	size_t len;
	const char *v = column_bytes(pst(st), i, &len);

	/* As SQLite: an empty blob is NULL. */
	return len ? v : NULL;
}

static int pg_column_bytes(struct wq_stmt *st, int i)
{
	size_t len;

	column_bytes(pst(st), i, &len);
	return (int)len;
}

/* The index is search_docs: each document's tokens as a tsvector, searched
 * with a tsquery of the same tokenizer (src/fts_cjk.c). */
static char *pg_search_docs_sql(int param)
{
	return wq_asprintf("SELECT doc FROM search_docs"
			   " WHERE terms @@ CAST(?%d AS tsquery)",
			   param);
}

/* A phrase (tokens joined by <->) is what GIN cannot check by itself:
 * every candidate's row is read for its positions.  A single token's
 * hits come from the index alone, in a few ms however common. */
static char *pg_search_window_sql(const char *query, int param,
				  int bound_param, int size_param, bool reverse)
{
	if (!query || !strstr(query, "<->"))
		return NULL;
	return wq_asprintf("w AS MATERIALIZED (SELECT doc, terms"
			   " FROM search_docs WHERE doc %s ?%d"
			   " ORDER BY doc %s LIMIT ?%d),"
			   " h AS MATERIALIZED (SELECT doc FROM w"
			   " WHERE terms @@ CAST(?%d AS tsquery))",
			   reverse ? ">=" : "<", bound_param,
			   reverse ? "ASC" : "DESC", size_param, param);
}

static const struct wq_store_driver pg_driver = {
    .name = "postgresql",
    .close = pg_close,
    .discard = pg_discard,
    .schema_version = pg_schema_version,
    .begin_write = pg_begin_write,
    .begin_write_case = pg_begin_write_case,
    .lock_chain = pg_lock_chain,
    .set_write_wait = pg_set_write_wait,
    .bulk = pg_bulk,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .exec = pg_exec_sql,
    .exec_quiet = pg_exec_quiet,
    .begin_read = pg_begin_read,
    .end_read = pg_end_read,
    .error = pg_error,
    .errmsg = pg_errmsg,
    .violated = pg_violated,
    .changes = pg_changes,
    .data_version = pg_data_version,
    .shared_version = pg_shared_version,
    .take_changes = pg_take_changes,
    .backup = pg_backup,
    .stmt_new = pg_stmt_new,
    .stmt_free = pg_stmt_free,
    .stmt_reset = pg_stmt_reset,
    .stmt_clear_bindings = pg_stmt_clear_bindings,
    .bind_int64 = pg_bind_int64,
    .bind_null = pg_bind_null,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_column = pg_bind_column,
    .step = pg_step,
    .column_int64 = pg_column_int64,
    .column_text = pg_column_text,
    .column_blob = pg_column_blob,
    .column_bytes = pg_column_bytes,
    .column_is_null = pg_column_is_null,
    .column_is_integer = pg_column_is_integer,
    .index_insert_sql = "INSERT INTO search_docs(doc, terms)"
			" VALUES (?1, CAST(?2 AS tsvector))",
    .index_value = wq_fts_tsvector,
    .search_query = wq_fts_tsquery,
    .search_docs_sql = pg_search_docs_sql,
    .search_window_sql = pg_search_window_sql,
};
