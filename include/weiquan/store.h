/* weiquan: the store — the shared database.
 *
 * The store is opaque: the rest of the core prepares, binds, steps and
 * reads through the statement calls below, and only the drivers
 * (src/store_driver.h) see a database: SQLite (src/store_sqlite.c) for a
 * path, PostgreSQL through libpq (src/store_pg.c) for a postgresql:// or
 * postgres:// URI.  Everything that is SQLite's own (PRAGMAs, the busy
 * handling, the write lock, data_version, the online backup, the SQL
 * functions it registers) stays in its driver.  Each database has its
 * own schema text (src/schema.c, src/schema_pg.c) and full-text index
 * (wq_store_search_docs_sql()).
 *
 * The SQL the modules pass is one dialect that SQLite 3.40 and
 * PostgreSQL 15 both run unchanged: placeholders ?N bound with the column's
 * type; no JSON functions on C values (JSON is built and parsed in C with
 * Jansson, src/json_text.h); a stored JSON column read only as
 * json_extract(column, '$.key[.key]'), whose result is text; CASE, not
 * iif(); ON CONFLICT, not INSERT OR / REPLACE; IS [NOT] DISTINCT FROM;
 * greatest()/least(), not two-argument max()/min(); times computed in C;
 * a comparison is not a number; no rowid, PRAGMA, typeof(), GLOB or
 * ASCII-folding LIKE; RETURNING id; full-text search only through the
 * calls below.  The full list, and a scan for what breaks it, is
 * tests/cli/test_sql_dialect.sh.
 *
 * Written in that dialect so far: case.c, caseshow.c, casedetail.c,
 * casefind.c, rules.c, group.c, diversion.c, document.c, intake.c, user.c,
 * contact.c, draft.c and the modules without SQL of their own.  Those
 * named in tests/sql_dialect_pending are still SQLite's; on PostgreSQL
 * only the commands main.c lists as ready (pg_ready) run. */
#ifndef WEIQUAN_STORE_H
#define WEIQUAN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "weiquan/err.h"

struct wq_calendar;
struct wq_clock_rules;

/* The schema version this program reads and writes (SQLite: PRAGMA
 * user_version; PostgreSQL: the one row of schema_version). */
#define WQ_SCHEMA_VERSION 35

/* An open database (the driver's own). */
struct wq_store;
/* A prepared statement (the driver's own). */
struct wq_stmt;

enum wq_open_mode {
	WQ_OPEN_EXISTING,  /* refuse a missing, older or newer file */
	WQ_OPEN_INIT,      /* create or migrate */
};

/* The database when --db is not given (a path or a postgresql:// URI).
 * Privileged (setgid): the one the system configuration names
 * ($sysconfdir/weiquan/database, first line; the group's to read, as a
 * URI in it carries a password), else the system database fixed when
 * weiquan was built ($localstatedir/lib/weiquan/weiquan.db); the
 * environment is never consulted.  Unprivileged: $WEIQUAN_DB, else the
 * configured one if the user can read the configuration, else the system
 * database if the user can read and write it, else
 * $XDG_DATA_HOME/weiquan/weiquan.db (~/.local/share/weiquan/weiquan.db).
 * *out is malloc'd. */
enum wq_err wq_store_default_path(char **out);

/* Whether path names a PostgreSQL database (postgresql:// or
 * postgres://) rather than a SQLite file. */
bool wq_store_is_pg_uri(const char *path);

enum wq_err wq_store_open(const char *path, enum wq_open_mode mode,
			  struct wq_store **out);
void wq_store_close(struct wq_store **store);
/* Closes, and removes the database if this open created it (and its lock
 * file if it made that): init is all or nothing. */
void wq_store_discard(struct wq_store **store);

/* Schema version of an open file, and whether init had to create it. */
int wq_store_schema_version(struct wq_store *store);

/* A write is one short transaction.  Writers first queue on a kernel lock
 * (a lock file beside the database) so that SQLite's sleeping busy handler
 * is rarely reached, then run BEGIN IMMEDIATE with a bounded retry; past the
 * bound the caller gets WQ_ERR_BUSY with a clear message. */
enum wq_err wq_store_begin_write(struct wq_store *store);
/* A write about one case alone (a ruling): on SQLite the same as
 * wq_store_begin_write().  On PostgreSQL the writes of different cases
 * overlap: it locks the case's row, and the audit chain's lock
 * (wq_store_lock_chain) is taken at the transaction's first change, so
 * that whatever is shared (the chain, the dashboard's counters, a
 * merchant's figures) is changed by one writer at a time, each holding
 * it from its first change to its commit.  Only the case's own rows, and
 * those of tables no trigger counts, may change in it. */
enum wq_err wq_store_begin_write_case(struct wq_store *store, int64_t case_id);
/* Where the audit chain's append begins (src/audit.c): from here to the
 * commit no other writer appends.  A no-op where the write already
 * excludes every other (SQLite, wq_store_begin_write). */
enum wq_err wq_store_lock_chain(struct wq_store *store);
/* Changes the bound (tests; a console may want a shorter one). */
void wq_store_set_write_wait(struct wq_store *store, int ms);

/* A bulk fill (demo, import) dirties the same index pages over and over.
 * With SQLite's default 2 MB cache they spill to the WAL many times per
 * batch (on 30,000 demo cases: 28 s of 120 s in the kernel); with a
 * checkpoint every 4 MB of WAL each batch's pages are copied into the
 * database again (40,000 demo cases wrote 9 GB for a 440 MB file).
 * wq_store_bulk(store, true) keeps an eighth of the memory (256 MB to
 * 4 GB) of pages in memory and checkpoints every 800 MB of WAL; false restores
 * both.  Readers are not held up; PostgreSQL's are the DBA's settings. */
void wq_store_bulk(struct wq_store *store, bool on);
enum wq_err wq_store_commit(struct wq_store *store);
void wq_store_rollback(struct wq_store *store);

/* A savepoint inside the current write: a step that may fail on its own
 * (one member of a group ruling) is undone without undoing the rest.
 * wq_store_savepoint() returns a mark; wq_store_undo_to(mark) rolls the
 * database and the pending index rows back to it; wq_store_keep() ends the
 * savepoint keeping its changes.  Savepoints nest. */
size_t wq_store_savepoint(struct wq_store *store);
void wq_store_undo_to(struct wq_store *store, size_t mark);
void wq_store_keep(struct wq_store *store);

/* Runs one SQL text (no parameters, several statements allowed). */
enum wq_err wq_store_exec(struct wq_store *store, const char *sql);

/* A read transaction: what is read between the two calls is one moment's
 * state, whatever others commit meanwhile.  Not inside a write. */
enum wq_err wq_store_begin_read(struct wq_store *store);
void wq_store_end_read(struct wq_store *store);

/* Whether this store was opened read-only (a full disk), is inside a
 * write, was created by this open; and its path. */
bool wq_store_read_only(struct wq_store *store);
bool wq_store_in_write(struct wq_store *store);
bool wq_store_created(struct wq_store *store);
const char *wq_store_path(struct wq_store *store);

/* What clock.c keeps per open store: the calendar and the clock rules,
 * loaded again when the shared version they were read at moves on
 * (wq_store_shared_version). */
struct wq_store_cache {
	struct wq_calendar *calendar;
	int64_t calendar_version;
	struct wq_clock_rules *clock_rules;
	int64_t clock_rules_version;
};
struct wq_store_cache *wq_store_cache(struct wq_store *store);

/* Prepares a statement or records the database's message as the error
 * detail.  Statements are kept and reused (parsing SQL dominated the write
 * path); hand each back with wq_store_finalize().  Parameters are ?N, numbered
 * from 1. */
enum wq_err wq_store_prepare(struct wq_store *store, const char *sql,
			     struct wq_stmt **stmt);
/* The same for SQL built at run time, which would only crowd the cache. */
enum wq_err wq_store_prepare_once(struct wq_store *store, const char *sql,
				  struct wq_stmt **stmt);
/* A statement that may read far more rows than a page (a whole table:
 * audit verify, export): not cached, and its rows come a chunk at a time
 * where a driver would otherwise hold the whole result in memory
 * (PostgreSQL: a cursor).  Read it to its end or reset it before the
 * transaction it began in ends. */
enum wq_err wq_store_prepare_scan(struct wq_store *store, const char *sql,
				  struct wq_stmt **stmt);
void wq_store_finalize(struct wq_store *store, struct wq_stmt *stmt);

/* Binding.  wq_bind_text() and _n() keep the pointer until the statement is
 * stepped to its end, reset or handed back (the caller keeps the text alive
 * that long); the _copy forms take a copy at once.  A NULL text binds NULL. */
void wq_bind_int64(struct wq_stmt *st, int i, int64_t v);
void wq_bind_int(struct wq_stmt *st, int i, int v);
void wq_bind_null(struct wq_stmt *st, int i);
void wq_bind_text(struct wq_stmt *st, int i, const char *s);
void wq_bind_text_n(struct wq_stmt *st, int i, const char *s, int len);
void wq_bind_text_copy(struct wq_stmt *st, int i, const char *s);
void wq_bind_text_copy_n(struct wq_stmt *st, int i, const char *s, int len);
void wq_bind_blob(struct wq_stmt *st, int i, const void *p, int len);
/* Binds parameter i to column col of from's current row, whatever its type. */
void wq_bind_column(struct wq_stmt *st, int i, struct wq_stmt *from, int col);

/* wq_step() returns WQ_ROW while there is a row, WQ_DONE at the end, and
 * anything else on an error: wq_store_error() then tells which. */
#define WQ_ROW 100
#define WQ_DONE 101
int wq_step(struct wq_stmt *st);
/* Back to before the first step, bindings kept (wq_stmt_clear_bindings()
 * drops them). */
void wq_stmt_reset(struct wq_stmt *st);
void wq_stmt_clear_bindings(struct wq_stmt *st);

/* Column i of the current row.  wq_column_text() is "" for NULL,
 * wq_column_text_or_null() NULL; text stays valid until the next step,
 * reset or read of the same column as another type. */
int64_t wq_column_int64(struct wq_stmt *st, int i);
int wq_column_int(struct wq_stmt *st, int i);
const char *wq_column_text(struct wq_stmt *st, int i);
const char *wq_column_text_or_null(struct wq_stmt *st, int i);
const void *wq_column_blob(struct wq_stmt *st, int i);
int wq_column_bytes(struct wq_stmt *st, int i);
bool wq_column_is_null(struct wq_stmt *st, int i);
bool wq_column_is_integer(struct wq_stmt *st, int i);

/* Rows changed by the last statement.  (A new row's id comes back from
 * the INSERT's own RETURNING id, which both SQLite and PostgreSQL speak.) */
int64_t wq_store_changes(struct wq_store *store);

/* Turns the last error of this connection into a wq_err with detail. */
enum wq_err wq_store_error(struct wq_store *store, const char *what);
/* The database's own message for the last error. */
const char *wq_store_errmsg(struct wq_store *store);
/* Which constraint the last failed statement broke, if any. */
enum wq_violation {
	WQ_VIOLATED_NONE,
	WQ_VIOLATED_UNIQUE,       /* a unique index or the primary key */
	WQ_VIOLATED_FOREIGN_KEY,
	WQ_VIOLATED_CHECK,
};
enum wq_violation wq_store_violated(struct wq_store *store);

/* Adds text to the full-text index as part of the current write.  The
 * rows are written just before COMMIT: an FTS5 table that has joined a
 * transaction flushes its pending terms at every statement savepoint, which
 * made each later statement of a long write pay for the index.
 *
 * An index rowid is the case's id shifted left by WQ_SEARCH_CASE_SHIFT
 * plus the document's ordinal among the case's documents (0, 1, ...).  A
 * case's documents are then adjacent and the index lists them in case
 * order, so a search streams its hits newest case first and pages by case
 * id (src/caselist.c); and FTS5 stores rowid differences, which stay short
 * (three bytes from one case to the next).  WQ_ERR_INVALID from the
 * 65536th document of a case on. */
#define WQ_SEARCH_CASE_SHIFT 16
enum wq_err wq_store_index_text(struct wq_store *store, int64_t case_id,
				int64_t ordinal, const char *text);

/* Searching the index, the same on every database: the modules never
 * name the index.  wq_store_search_query() turns what a user typed into
 * the database's query (malloc'd; NULL when it holds nothing searchable:
 * wq_fts_query() says which terms count), to bind as text.
 * wq_store_search_docs_sql() is a SELECT (malloc'd) of one column, doc:
 * the index number (above) of each document that matches the query bound
 * to ?param, to use as a subquery:
 *   SELECT doc >> 16 FROM (that) AS hits WHERE doc < ?2 ORDER BY doc DESC
 * WQ_SEARCH_CASE_OF_DOC_SQL is the case id of a doc. */
#define WQ_SEARCH_CASE_OF_DOC_SQL "(doc >> 16)"
char *wq_store_search_query(struct wq_store *store, const char *user_text);
char *wq_store_search_docs_sql(struct wq_store *store, int param);

/* Whether one statement over the index hands over its hits as they are
 * read, in the order of an ORDER BY doc, so that a search can read on
 * until its page is full and stop (SQLite's FTS5).  Where a statement's
 * result comes whole (libpq), a search reads its hits a chunk at a time,
 * each a statement with a LIMIT. */
bool wq_store_search_streams(struct wq_store *store);

/* What follows a table's name in a FROM clause to have it read through
 * the named index (malloc'd): " INDEXED BY index" on SQLite, for a look
 * its planner misjudges; "" on PostgreSQL, whose queries cannot name an
 * index. */
char *wq_store_index_hint(struct wq_store *store, const char *index);

/* Upkeep of the full-text index, off the writers' path: merges its pieces
 * a step at a time, each step its own write of about pages pages of the
 * index (WQ_INDEX_MERGE_PAGES, 256 KB: some 13 ms a step on the million
 * demo cases' index), so a writer waits for one step at most.  *merged is
 * false when nothing was left to merge, and such a step writes no page;
 * the worker (`weiquan worker`) runs it while no job waits.  SQLite's FTS5
 * writes each commit's terms as a new segment and reads every segment
 * for every search: a million cases' index had 23, and a console's first
 * search read them cold, 9 to 18 ms against 2 at 2,000 cases.  Merged, at
 * most one segment is left a level (3 there, the first search 5 to 6 ms).
 * PostgreSQL's GIN index keeps itself: nothing to merge. */
#define WQ_INDEX_MERGE_PAGES 64
enum wq_err wq_store_merge_index(struct wq_store *store, int pages,
				 bool *merged);

/* Where the index cannot take the hits of a query in document order at
 * the cost of a page (PostgreSQL's GIN finds a phrase's candidates, then
 * each is checked in its row: a phrase in 128,000 documents took 420 ms
 * for its first 50 cases of a million), the next documents in order are
 * read instead and each tested, a window at a time, before falling back
 * on the index.  wq_store_search_window_sql() is then two definitions of
 * a WITH clause (malloc'd): w, the next ?size_param documents (doc) below
 * ?bound_param, or from it up with reverse; and h, those of them that
 * match query (wq_store_search_query()'s, bound to ?param).  NULL when
 * the index is the better way for this query, and always on SQLite,
 * whose index streams its hits in order. */
char *wq_store_search_window_sql(struct wq_store *store, const char *query,
				 int param, int bound_param, int size_param,
				 bool reverse);

/* Changes whenever another connection commits (SQLite: PRAGMA
 * data_version; PostgreSQL: the notifications other sessions' commits
 * sent, read without a round trip, see wq_store_take_changes). */
int64_t wq_store_data_version(struct wq_store *store);
/* Changes whenever another connection may have changed what no write
 * about one case changes (the calendar, the clock rules, the settings):
 * SQLite: data_version; PostgreSQL: the commit of a write not about one
 * case, as another session tells it.  What clock.c caches per store. */
int64_t wq_store_shared_version(struct wq_store *store);

/* Whether the database itself names the cases other sessions' commits
 * changed: on PostgreSQL each audit event NOTIFYs its case and each
 * commit a mark, delivered to every session (they LISTEN from the start)
 * in commit order, where event ids from a sequence are not.  Then
 * wq_store_take_changes() gives the cases named since its last call by
 * every commit made before it (one round trip, so that none whose
 * notification is still on its way is left for a later take), each at
 * least once, appended to *ids (malloc'd, *n of them), and *everything
 * when a commit named no case or an event no single case.
 * SQLite does not tell (src/changes.c reads the events instead). */
bool wq_store_tells_changes(struct wq_store *store);
enum wq_err wq_store_take_changes(struct wq_store *store, int64_t **ids,
				  size_t *n, bool *everything);

/* A consistent copy while others keep working (the online backup API). */
enum wq_err wq_store_backup(struct wq_store *store, const char *dest_path);

/* Small key/value settings kept in the database. */
enum wq_err wq_store_get_setting(struct wq_store *store, const char *key,
				 char **value);
enum wq_err wq_store_set_setting(struct wq_store *store, const char *key,
				 const char *value);

#endif
