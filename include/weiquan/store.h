/* weiquan: the store — one SQLite file shared by every session.
 *
 * Everything that is SQLite's own (PRAGMAs, the busy handling, the write
 * lock, data_version, the online backup) stays behind this interface so the
 * rest of the core speaks plain SQL that would also run on PostgreSQL. */
#ifndef WEIQUAN_STORE_H
#define WEIQUAN_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

#include "weiquan/err.h"

struct wq_calendar;
struct wq_clock_rules;
struct wq_stmt_cache;
struct wq_buf_index;

/* The schema version this program reads and writes (PRAGMA user_version). */
#define WQ_SCHEMA_VERSION 18

struct wq_store {
	sqlite3 *db;
	char *path;
	int lock_fd;      /* the writers' queue: see wq_store_begin_write() */
	int64_t queue_slot; /* our place in it while writing, -1: none */
	int write_wait_ms; /* the bound on waiting for it (and busy_timeout) */
	bool in_write;
	struct wq_calendar *calendar;   /* cache; see wq_clock_calendar() */
	int64_t calendar_version;
	struct wq_clock_rules *clock_rules;   /* cache; see clock.c */
	int64_t clock_rules_version;
	struct wq_stmt_cache *stmts;          /* see wq_store_prepare() */
	struct wq_buf_index *pending_index;   /* see wq_store_index_text() */
	int wal_pages;    /* the WAL's size after our last commit */
	bool read_only;   /* opened for reading on a full disk */
	bool created, created_lock;   /* this open made the file, its lock */
};

enum wq_open_mode {
	WQ_OPEN_EXISTING,  /* refuse a missing, older or newer file */
	WQ_OPEN_INIT,      /* create or migrate */
};

/* The database path when --db is not given: privileged (setgid), always
 * the system database, fixed when weiquan was built
 * ($localstatedir/lib/weiquan/weiquan.db); else $WEIQUAN_DB, else the
 * system database if the user can read and write it, else
 * $XDG_DATA_HOME/weiquan/weiquan.db (~/.local/share/weiquan/weiquan.db).
 * Returns a malloc'd string. */
char *wq_store_default_path(void);

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
/* Changes the bound (tests; a console may want a shorter one). */
void wq_store_set_write_wait(struct wq_store *store, int ms);

/* A bulk fill (demo, import) dirties the same index pages over and over;
 * with SQLite's default 2 MB cache they spill to the WAL many times per
 * batch (on 30,000 demo cases: 28 s of 120 s in the kernel).  256 MB keeps
 * them in memory until the commit.  wq_store_cache_size() sets the page
 * cache (SQLite's cache_size: negative is KiB) and returns the old setting
 * to restore. */
#define WQ_STORE_BULK_CACHE (-262144)
int64_t wq_store_cache_size(struct wq_store *store, int64_t value);
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

/* Prepares a statement or records the SQLite message as the error detail.
 * Statements are kept and reused (parsing SQL dominated the write path);
 * hand each back with wq_store_finalize(), never sqlite3_finalize(). */
enum wq_err wq_store_prepare(struct wq_store *store, const char *sql,
			     sqlite3_stmt **stmt);
void wq_store_finalize(struct wq_store *store, sqlite3_stmt *stmt);

/* Column i of the current row as text, "" for NULL. */
const char *wq_column_text(sqlite3_stmt *st, int i);

/* Turns the last SQLite error of this connection into a wq_err with detail. */
enum wq_err wq_store_error(struct wq_store *store, const char *what);

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
#define WQ_SEARCH_CASE_OF_ROWID_SQL "(rowid >> 16)"
enum wq_err wq_store_index_text(struct wq_store *store, int64_t case_id,
				int64_t ordinal, const char *text);

/* Changes whenever another connection commits (PRAGMA data_version). */
int64_t wq_store_data_version(struct wq_store *store);

/* A consistent copy while others keep working (the online backup API). */
enum wq_err wq_store_backup(struct wq_store *store, const char *dest_path);

/* Small key/value settings kept in the database. */
enum wq_err wq_store_get_setting(struct wq_store *store, const char *key,
				 char **value);
enum wq_err wq_store_set_setting(struct wq_store *store, const char *key,
				 const char *value);

#endif
