/* The store's drivers: what src/store.c (the generic part) asks of each
 * database.  A driver's store and statement structs begin with the
 * generic ones below, so the generic part can hand them back to it.  Only
 * store.c and the driver files include this. */
#ifndef WEIQUAN_STORE_DRIVER_H
#define WEIQUAN_STORE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/store.h"

struct wq_store_driver;
struct wq_stmt_cache;
struct wq_buf_index;

/* What every open store has, whatever its database. */
struct wq_store {
	const struct wq_store_driver *drv;
	/* The file, or a URI without its password: it appears in
	 * messages. */
	char *path;
	bool in_write;
	bool read_only;		     /* opened for reading on a full disk */
	bool created;		     /* this open made the database */
	struct wq_store_cache cache; /* see clock.c */
	struct wq_stmt_cache *stmts; /* see wq_store_prepare() */
	struct wq_buf_index *pending_index; /* see wq_store_index_text() */
};

struct wq_stmt {
	const struct wq_store_driver *drv;
	bool cached; /* kept in the store's cache when handed back */
};

struct wq_store_driver {
	const char *name;

	/* Frees the driver's part and the struct; the generic part has
	 * already let go of its own (statements, caches, path). */
	void (*close)(struct wq_store *store);
	/* wq_store_discard() of a store this open created. */
	void (*discard)(struct wq_store **store);
	int (*schema_version)(struct wq_store *store);

	enum wq_err (*begin_write)(struct wq_store *store);
	/* NULL: begin_write serves (weiquan/store.h). */
	enum wq_err (*begin_write_case)(struct wq_store *store,
					int64_t case_id);
	/* NULL: a write already holds the chain. */
	enum wq_err (*lock_chain)(struct wq_store *store);
	void (*set_write_wait)(struct wq_store *store, int ms);
	void (*bulk)(struct wq_store *store, bool on);
	/* Ends the write (pending index rows already written) and leaves
	 * in_write false. */
	enum wq_err (*commit)(struct wq_store *store);
	void (*rollback)(struct wq_store *store);
	enum wq_err (*exec)(struct wq_store *store, const char *sql);
	/* The same, leaving the last error's detail alone. */
	void (*exec_quiet)(struct wq_store *store, const char *sql);
	enum wq_err (*begin_read)(struct wq_store *store);
	void (*end_read)(struct wq_store *store);

	enum wq_err (*error)(struct wq_store *store, const char *what);
	const char *(*errmsg)(struct wq_store *store);
	enum wq_violation (*violated)(struct wq_store *store);
	int64_t (*changes)(struct wq_store *store);
	int64_t (*data_version)(struct wq_store *store);
	/* NULL: data_version serves. */
	int64_t (*shared_version)(struct wq_store *store);
	/* Where the database names the cases other sessions' commits
	 * changed (wq_store_take_changes); NULL where the events table is
	 * read instead (src/changes.c). */
	enum wq_err (*take_changes)(struct wq_store *store, int64_t **ids,
				    size_t *n, bool *everything);
	enum wq_err (*backup)(struct wq_store *store, const char *dest_path);

	/* persistent: kept in the store's statement cache; scan: its rows
	 * may be far more than a page (wq_store_prepare_scan). */
	enum wq_err (*stmt_new)(struct wq_store *store, const char *sql,
				bool persistent, bool scan,
				struct wq_stmt **stmt);
	void (*stmt_free)(struct wq_stmt *stmt);
	void (*stmt_reset)(struct wq_stmt *stmt);
	void (*stmt_clear_bindings)(struct wq_stmt *stmt);

	void (*bind_int64)(struct wq_stmt *st, int i, int64_t v);
	void (*bind_null)(struct wq_stmt *st, int i);
	/* len < 0: up to the NUL; copy: the text may go away at once. */
	void (*bind_text)(struct wq_stmt *st, int i, const char *s, int len,
			  bool copy);
	void (*bind_blob)(struct wq_stmt *st, int i, const void *p, int len);
	/* from is a statement of the same driver. */
	void (*bind_column)(struct wq_stmt *st, int i, struct wq_stmt *from,
			    int col);
	int (*step)(struct wq_stmt *st);

	int64_t (*column_int64)(struct wq_stmt *st, int i);
	const char *(*column_text)(struct wq_stmt *st, int i);
	const void *(*column_blob)(struct wq_stmt *st, int i);
	int (*column_bytes)(struct wq_stmt *st, int i);
	bool (*column_is_null)(struct wq_stmt *st, int i);
	bool (*column_is_integer)(struct wq_stmt *st, int i);

	/* The full-text index (weiquan/store.h).  index_insert_sql adds a
	 * document: ?1 its number, ?2 index_value(text) (malloc'd).
	 * search_query() is the user's text as the index's query, NULL
	 * when nothing is searchable; search_docs_sql() the SELECT of the
	 * numbers of the documents matching the query bound to ?param.
	 * search_window_sql() (NULL where the index hands its hits over in
	 * order) is wq_store_search_window_sql()'s; search_streams is
	 * wq_store_search_streams()'s answer. */
	const char *index_insert_sql;
	char *(*index_value)(const char *text);
	char *(*search_query)(const char *user_text);
	char *(*search_docs_sql)(int param);
	char *(*search_window_sql)(const char *query, int param,
				   int bound_param, int size_param,
				   bool reverse);
	bool search_streams;

	/* What comes before the index's name in wq_store_index_hint()'s
	 * clause; NULL where a query cannot name one (PostgreSQL). */
	const char *index_hint;

	/* One step of wq_store_merge_index() inside the caller's write;
	 * NULL where the database keeps its index whole by itself. */
	enum wq_err (*merge_index)(struct wq_store *store, int pages,
				   bool *merged);
};

/* The generic part's fields of a store a driver has just allocated. */
void wq_store_base_init(struct wq_store *store,
			const struct wq_store_driver *drv, const char *path);

/* The drivers' opens: wq_store_open() picks one by the path. */
enum wq_err wq_store_sqlite_open(const char *path, enum wq_open_mode mode,
				 struct wq_store **out);
enum wq_err wq_store_pg_open(const char *uri, enum wq_open_mode mode,
			     struct wq_store **out);

#endif
