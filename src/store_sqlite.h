/* The SQLite driver's own calls: for the driver's files (store_sqlite.c,
 * store_sqlite_fts5.c) and the tests and benchmarks of SQLite itself.
 * The rest of the core never includes this (tests/cli/test_sqlite_seam.sh
 * checks it). */
#ifndef WEIQUAN_STORE_SQLITE_H
#define WEIQUAN_STORE_SQLITE_H

#include <sqlite3.h>

#include "weiquan/store.h"

/* The connection under an open store. */
sqlite3 *wq_store_sqlite(struct wq_store *store);

/* A store around a connection the caller opened and will close (tests of
 * one module on an in-memory database); wq_store_close() frees the store
 * and leaves the connection open.  No write queue, no cache of the data
 * version: the caller is the only user. */
struct wq_store *wq_store_wrap(sqlite3 *db);

/* Registers the tokenizer "wq_cjk" (weiquan/fts_cjk.h) on this
 * connection; call once per connection before touching any FTS5 table
 * that uses it.  Fails with WQ_ERR_DB when this SQLite has no FTS5. */
enum wq_err wq_fts_cjk_register(sqlite3 *db);

#endif
