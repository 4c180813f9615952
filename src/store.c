/* The store's generic part: what every database does the same way (the
 * statement cache, the pending search index rows, savepoints, settings,
 * the default path), and the calls that hand the rest to the open store's
 * driver (src/store_driver.h): SQLite (src/store_sqlite.c) for a path,
 * PostgreSQL (src/store_pg.c) for a postgresql:// URI. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "weiquan/store.h"
#include "weiquan/calendar.h"
#include "weiquan/clock.h"
#include "weiquan/files.h"
#include "weiquan/wqtime.h"
#include "store_driver.h"
#include "util.h"

#ifndef WQ_SYSTEM_DB
#define WQ_SYSTEM_DB "/var/lib/weiquan/weiquan.db"
#endif
#ifndef WQ_SYSTEM_CONF
#define WQ_SYSTEM_CONF "/etc/weiquan/database"
#endif

void wq_store_base_init(struct wq_store *store,
			const struct wq_store_driver *drv, const char *path)
{
	store->drv = drv;
	store->path = wq_strdup(path);
}

struct wq_buf_index_row {
	int64_t rowid;
	char *text;
};

struct wq_buf_index {
	size_t count, cap;
	struct wq_buf_index_row *rows;
};

enum wq_err wq_store_index_text(struct wq_store *store, int64_t case_id,
				int64_t ordinal, const char *text)
{
	struct wq_buf_index *p = store->pending_index;
	const int64_t room = INT64_C(1) << WQ_SEARCH_CASE_SHIFT;

	if (case_id <= 0 || case_id > INT64_MAX >> WQ_SEARCH_CASE_SHIFT ||
	    ordinal < 0 || ordinal >= room)
		return wq_fail(WQ_ERR_INVALID,
			       N_("case %" PRId64 ", document %" PRId64
				  ": past what the search index can number"),
			       case_id, ordinal + 1);
	if (!p)
		p = store->pending_index = wq_xcalloc(1, sizeof(*p));
	if (p->count == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->rows = wq_xrealloc(p->rows, p->cap * sizeof(*p->rows));
	}
	p->rows[p->count].rowid = (case_id << WQ_SEARCH_CASE_SHIFT) + ordinal;
	p->rows[p->count].text = wq_strdup(text);
	p->count++;
	return WQ_ERR_OK;
}

static void drop_pending_index_from(struct wq_store *store, size_t mark)
{
	struct wq_buf_index *p = store->pending_index;

	if (!p)
		return;
	for (size_t i = mark; i < p->count; i++)
		free(p->rows[i].text);
	if (mark < p->count)
		p->count = mark;
}

static void drop_pending_index(struct wq_store *store)
{
	drop_pending_index_from(store, 0);
}

static size_t pending_index_count(struct wq_store *store)
{
	return store->pending_index ? store->pending_index->count : 0;
}


size_t wq_store_savepoint(struct wq_store *store)
{
	store->drv->exec_quiet(store, "SAVEPOINT step");
	return pending_index_count(store);
}

void wq_store_undo_to(struct wq_store *store, size_t mark)
{
	store->drv->exec_quiet(store, "ROLLBACK TO step; RELEASE step");
	drop_pending_index_from(store, mark);
}

void wq_store_keep(struct wq_store *store)
{
	store->drv->exec_quiet(store, "RELEASE step");
}

static int by_rowid(const void *a, const void *b)
{
	int64_t x = ((const struct wq_buf_index_row *)a)->rowid;
	int64_t y = ((const struct wq_buf_index_row *)b)->rowid;

	return (x > y) - (x < y);
}

static enum wq_err flush_pending_index(struct wq_store *store)
{
	struct wq_buf_index *p = store->pending_index;
	struct wq_stmt *st;
	enum wq_err err;

	if (!p || !p->count)
		return WQ_ERR_OK;
	/* FTS5 writes its pending terms out as a new segment whenever a
	 * rowid is not above the last one, and a write adds statements to
	 * older cases too (rowids lead with the case id): in order, a
	 * write is one segment. */
	qsort(p->rows, p->count, sizeof(*p->rows), by_rowid);
	err = wq_store_prepare(store, store->drv->index_insert_sql, &st);
	for (size_t i = 0; !err && i < p->count; i++) {
		char *value = store->drv->index_value(p->rows[i].text);

		wq_bind_int64(st, 1, p->rows[i].rowid);
		wq_bind_text(st, 2, value);
		if (wq_step(st) != WQ_DONE)
			err = wq_store_error(store, "search index");
		wq_stmt_reset(st);
		free(value);
	}
	wq_store_finalize(store, st);
	drop_pending_index(store);
	return err;
}

/* The database the administrator named in the system configuration
 * (WQ_SYSTEM_CONF): its first line that is neither blank nor a comment,
 * trimmed.  WQ_ERR_NOT_FOUND when there is no such file, or it is not the
 * caller's to read and the program is not privileged (the group's
 * installation is then not theirs). */
static enum wq_err configured_db(char **out)
{
	FILE *f;
	char line[4096];

	*out = NULL;
	f = fopen(WQ_SYSTEM_CONF, "re");
	if (!f) {
		if (errno == ENOENT || (errno == EACCES && !wq_privileged()))
			return WQ_ERR_NOT_FOUND;
		return wq_fail(WQ_ERR_IO, N_("cannot read %s: %s"),
			       WQ_SYSTEM_CONF, strerror(errno));
	}
	while (!*out && fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strlen(p);
		while (end > p && (end[-1] == '\n' || end[-1] == '\r' ||
				   end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*p == '\0' || *p == '#')
			continue;
		*out = wq_strdup(p);
	}
	explicit_bzero(line, sizeof(line));
	fclose(f);
	if (!*out)
		return wq_fail(WQ_ERR_PARSE, N_("%s names no database"),
			       WQ_SYSTEM_CONF);
	return WQ_ERR_OK;
}

enum wq_err wq_store_default_path(char **out)
{
	const char *env, *xdg, *home;
	enum wq_err err;

	*out = NULL;
	if (!wq_privileged()) {
		env = getenv("WEIQUAN_DB");
		if (env && *env) {
			*out = wq_strdup(env);
			return WQ_ERR_OK;
		}
	}
	/* Privileged, the program serves whoever ran it: the one database
	 * its installation was made for, whatever the environment says. */
	err = configured_db(out);
	if (err != WQ_ERR_NOT_FOUND)
		return err;
	if (wq_privileged()) {
		*out = wq_strdup(WQ_SYSTEM_DB);
		return WQ_ERR_OK;
	}
	/* Once an administrator has set up the shared database, whoever may
	 * use it works on it rather than on a private one. */
	if (access(WQ_SYSTEM_DB, R_OK | W_OK) == 0) {
		*out = wq_strdup(WQ_SYSTEM_DB);
		return WQ_ERR_OK;
	}
	xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg)
		*out = wq_asprintf("%s/weiquan/weiquan.db", xdg);
	else {
		home = getenv("HOME");
		*out = wq_asprintf("%s/.local/share/weiquan/weiquan.db",
				   home && *home ? home : ".");
	}
	return WQ_ERR_OK;
}

char *wq_store_search_query(struct wq_store *store, const char *user_text)
{
	return store->drv->search_query(user_text);
}

char *wq_store_search_docs_sql(struct wq_store *store, int param)
{
	return store->drv->search_docs_sql(param);
}

char *wq_store_search_window_sql(struct wq_store *store, const char *query,
				 int param, int bound_param, int size_param,
				 bool reverse)
{
	if (!store->drv->search_window_sql)
		return NULL;
	return store->drv->search_window_sql(query, param, bound_param,
					     size_param, reverse);
}

bool wq_store_search_streams(struct wq_store *store)
{
	return store->drv->search_streams;
}

char *wq_store_index_hint(struct wq_store *store, const char *index)
{
	if (!store->drv->index_hint)
		return wq_strdup("");
	return wq_asprintf("%s%s", store->drv->index_hint, index);
}

enum wq_err wq_store_merge_index(struct wq_store *store, int pages,
				 bool *merged)
{
	enum wq_err err;

	*merged = false;
	if (!store->drv->merge_index)
		return WQ_ERR_OK;
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = store->drv->merge_index(store, pages, merged);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

enum wq_err wq_store_error(struct wq_store *store, const char *what)
{
	return store->drv->error(store, what);
}

const char *wq_store_errmsg(struct wq_store *store)
{
	return store->drv->errmsg(store);
}

enum wq_violation wq_store_violated(struct wq_store *store)
{
	return store->drv->violated(store);
}

enum wq_err wq_store_exec(struct wq_store *store, const char *sql)
{
	return store->drv->exec(store, sql);
}

enum wq_err wq_store_begin_read(struct wq_store *store)
{
	return store->drv->begin_read(store);
}

void wq_store_end_read(struct wq_store *store)
{
	store->drv->end_read(store);
}

bool wq_store_read_only(struct wq_store *store)
{
	return store->read_only;
}

bool wq_store_in_write(struct wq_store *store)
{
	return store->in_write;
}

bool wq_store_created(struct wq_store *store)
{
	return store->created;
}

const char *wq_store_path(struct wq_store *store)
{
	return store->path;
}

struct wq_store_cache *wq_store_cache(struct wq_store *store)
{
	return &store->cache;
}

int64_t wq_store_changes(struct wq_store *store)
{
	return store->drv->changes(store);
}

int wq_store_schema_version(struct wq_store *store)
{
	return store->drv->schema_version(store);
}

int64_t wq_store_data_version(struct wq_store *store)
{
	return store->drv->data_version(store);
}

int64_t wq_store_shared_version(struct wq_store *store)
{
	if (store->drv->shared_version)
		return store->drv->shared_version(store);
	return store->drv->data_version(store);
}

bool wq_store_tells_changes(struct wq_store *store)
{
	return store->drv->take_changes != NULL;
}

enum wq_err wq_store_take_changes(struct wq_store *store, int64_t **ids,
				  size_t *n, bool *everything)
{
	*ids = NULL;
	*n = 0;
	*everything = false;
	if (!store->drv->take_changes)
		return wq_fail(WQ_ERR_INVALID,
			       N_("this database does not tell which cases "
				  "changed"));
	return store->drv->take_changes(store, ids, n, everything);
}

void wq_store_bulk(struct wq_store *store, bool on)
{
	store->drv->bulk(store, on);
}

void wq_store_set_write_wait(struct wq_store *store, int ms)
{
	store->drv->set_write_wait(store, ms);
}

enum wq_err wq_store_backup(struct wq_store *store, const char *dest_path)
{
	return store->drv->backup(store, dest_path);
}

#define STMT_CACHE_SIZE 96

struct wq_stmt_cache {
	int count;
	struct {
		uint64_t hash;
		char *sql;
		struct wq_stmt *stmt;
		bool in_use;
	} entries[STMT_CACHE_SIZE];
};

static uint64_t sql_hash(const char *sql)
{
	uint64_t h = 1469598103934665603u;

	for (; *sql; sql++)
		h = (h ^ (unsigned char)*sql) * 1099511628211u;
	return h;
}

static enum wq_err new_stmt(struct wq_store *store, const char *sql,
			    bool cached, bool scan, struct wq_stmt **stmt)
{
	enum wq_err err = store->drv->stmt_new(store, sql, cached, scan, stmt);

	if (err)
		return err;
	(*stmt)->drv = store->drv;
	(*stmt)->cached = cached;
	return WQ_ERR_OK;
}

enum wq_err wq_store_prepare_once(struct wq_store *store, const char *sql,
				  struct wq_stmt **stmt)
{
	*stmt = NULL;
	return new_stmt(store, sql, false, false, stmt);
}

enum wq_err wq_store_prepare_scan(struct wq_store *store, const char *sql,
				  struct wq_stmt **stmt)
{
	*stmt = NULL;
	return new_stmt(store, sql, false, true, stmt);
}

enum wq_err wq_store_prepare(struct wq_store *store, const char *sql,
			     struct wq_stmt **stmt)
{
	struct wq_stmt_cache *c = store->stmts;
	uint64_t h = sql_hash(sql);
	enum wq_err err;
	int i;

	*stmt = NULL;
	if (!c)
		c = store->stmts = wq_xcalloc(1, sizeof(*c));
	for (i = 0; i < c->count; i++) {
		if (c->entries[i].hash == h &&
		    strcmp(c->entries[i].sql, sql) == 0)
			break;
	}
	if (i < c->count && !c->entries[i].in_use) {
		c->entries[i].in_use = true;
		*stmt = c->entries[i].stmt;
		return WQ_ERR_OK;
	}
	/* Already in use (a nested call) or the cache is full: a statement
	 * of its own, finalized when handed back. */
	if (i < c->count || c->count == STMT_CACHE_SIZE)
		return new_stmt(store, sql, false, false, stmt);
	err = new_stmt(store, sql, true, false, stmt);
	if (err)
		return err;
	c->entries[c->count].hash = h;
	c->entries[c->count].sql = wq_strdup(sql);
	c->entries[c->count].stmt = *stmt;
	c->entries[c->count].in_use = true;
	c->count++;
	return WQ_ERR_OK;
}

void wq_store_finalize(struct wq_store *store, struct wq_stmt *stmt)
{
	struct wq_stmt_cache *c = store->stmts;

	if (!stmt)
		return;
	if (stmt->cached) {
		for (int i = 0; c && i < c->count; i++) {
			if (c->entries[i].stmt == stmt) {
				stmt->drv->stmt_reset(stmt);
				stmt->drv->stmt_clear_bindings(stmt);
				c->entries[i].in_use = false;
				return;
			}
		}
	}
	stmt->drv->stmt_free(stmt);
}

static void stmt_cache_free(struct wq_store *store)
{
	struct wq_stmt_cache *c = store->stmts;

	if (!c)
		return;
	for (int i = 0; i < c->count; i++) {
		store->drv->stmt_free(c->entries[i].stmt);
		free(c->entries[i].sql);
	}
	free(c);
	store->stmts = NULL;
}

void wq_bind_int64(struct wq_stmt *st, int i, int64_t v)
{
	st->drv->bind_int64(st, i, v);
}

void wq_bind_int(struct wq_stmt *st, int i, int v)
{
	st->drv->bind_int64(st, i, v);
}

void wq_bind_null(struct wq_stmt *st, int i)
{
	st->drv->bind_null(st, i);
}

void wq_bind_text(struct wq_stmt *st, int i, const char *s)
{
	st->drv->bind_text(st, i, s, -1, false);
}

void wq_bind_text_n(struct wq_stmt *st, int i, const char *s, int len)
{
	st->drv->bind_text(st, i, s, len, false);
}

void wq_bind_text_copy(struct wq_stmt *st, int i, const char *s)
{
	st->drv->bind_text(st, i, s, -1, true);
}

void wq_bind_text_copy_n(struct wq_stmt *st, int i, const char *s, int len)
{
	st->drv->bind_text(st, i, s, len, true);
}

void wq_bind_blob(struct wq_stmt *st, int i, const void *p, int len)
{
	st->drv->bind_blob(st, i, p, len);
}

void wq_bind_column(struct wq_stmt *st, int i, struct wq_stmt *from, int col)
{
	st->drv->bind_column(st, i, from, col);
}

int wq_step(struct wq_stmt *st)
{
	return st->drv->step(st);
}

void wq_stmt_reset(struct wq_stmt *st)
{
	st->drv->stmt_reset(st);
}

void wq_stmt_clear_bindings(struct wq_stmt *st)
{
	st->drv->stmt_clear_bindings(st);
}

int64_t wq_column_int64(struct wq_stmt *st, int i)
{
	return st->drv->column_int64(st, i);
}

int wq_column_int(struct wq_stmt *st, int i)
{
	return (int)st->drv->column_int64(st, i);
}

const char *wq_column_text_or_null(struct wq_stmt *st, int i)
{
	return st->drv->column_text(st, i);
}

const char *wq_column_text(struct wq_stmt *st, int i)
{
	const char *t = wq_column_text_or_null(st, i);

	return t ? t : "";
}

const void *wq_column_blob(struct wq_stmt *st, int i)
{
	return st->drv->column_blob(st, i);
}

int wq_column_bytes(struct wq_stmt *st, int i)
{
	return st->drv->column_bytes(st, i);
}

bool wq_column_is_null(struct wq_stmt *st, int i)
{
	return st->drv->column_is_null(st, i);
}

bool wq_column_is_integer(struct wq_stmt *st, int i)
{
	return st->drv->column_is_integer(st, i);
}

/* The installation's dates: Beijing's unless the database records another
 * offset (weiquan/wqtime.h). */
static void load_zone(struct wq_store *store)
{
	char *value = NULL;
	int seconds;

	if (wq_store_get_setting(store, "utc_offset", &value) == WQ_ERR_OK &&
	    wq_zone_parse(value, &seconds))
		wq_zone_set(seconds);
	else
		wq_zone_set(WQ_ZONE_BEIJING);
	free(value);
}

/* libpq takes its defaults from the environment (PGHOST, PGOPTIONS,
 * PGPASSFILE, PGSERVICEFILE...) and from files in $HOME.  In a
 * privileged program those are the caller's, who could point the group's
 * credentials at a server of their own or change the session's settings:
 * the connection takes only what the configured URI says. */
static void drop_callers_libpq_environment(void)
{
	extern char **environ;
	bool again = true;

	while (again) {
		again = false;
		for (char **e = environ; *e; e++) {
			const char *eq = strchr(*e, '=');
			char name[128];

			if (strncmp(*e, "PG", 2) != 0 || !eq ||
			    (size_t)(eq - *e) >= sizeof(name))
				continue;
			memcpy(name, *e, (size_t)(eq - *e));
			name[eq - *e] = '\0';
			unsetenv(name); /* changes environ: look again */
			again = true;
			break;
		}
	}
	setenv("PGPASSFILE", "/dev/null", 1);
	setenv("PGSERVICEFILE", "/dev/null", 1);
}

/* Whoever initializes a database becomes its first administrator: in a
 * privileged program, only root or the owner of the system configuration
 * (the installation's owner) may initialize or migrate the database it
 * names, as only they may create the system SQLite file. */
static bool may_init_configured(void)
{
	struct stat sb;

	if (!wq_privileged() || getuid() == 0)
		return true;
	return stat(WQ_SYSTEM_CONF, &sb) == 0 && sb.st_uid == getuid();
}

enum wq_err wq_store_open(const char *path, enum wq_open_mode mode,
			  struct wq_store **out)
{
	enum wq_err err;

	*out = NULL;
	if (wq_store_is_pg_uri(path)) {
		if (wq_privileged())
			drop_callers_libpq_environment();
		if (mode == WQ_OPEN_INIT && !may_init_configured())
			return wq_fail(WQ_ERR_DENIED,
				       N_("only root or the owner of %s may "
					  "initialize the database it names"),
				       WQ_SYSTEM_CONF);
		err = wq_store_pg_open(path, mode, out);
	} else {
		err = wq_store_sqlite_open(path, mode, out);
	}

	if (!err)
		load_zone(*out);
	return err;
}

void wq_store_discard(struct wq_store **store)
{
	struct wq_store *s = *store;

	if (!s || !s->created) {
		wq_store_close(store);
		return;
	}
	s->drv->discard(store);
}

void wq_store_close(struct wq_store **store)
{
	struct wq_store *s = *store;

	if (!s)
		return;
	if (s->in_write)
		wq_store_rollback(s);
	wq_cal_free(&s->cache.calendar);
	wq_clock_rules_free(&s->cache.clock_rules);
	drop_pending_index(s);
	if (s->pending_index)
		free(s->pending_index->rows);
	free(s->pending_index);
	stmt_cache_free(s);
	free(s->path);
	s->path = NULL;
	s->drv->close(s);
	*store = NULL;
}

static enum wq_err begin_write(struct wq_store *store, bool one_case,
			       int64_t case_id)
{
	enum wq_err err;

	if (store->read_only)
		return wq_fail(WQ_ERR_FULL,
			       N_("%s can only be read until there "
				  "is room on its disk"),
			       store->path);
	if (one_case && store->drv->begin_write_case)
		err = store->drv->begin_write_case(store, case_id);
	else
		err = store->drv->begin_write(store);
	if (!err)
		store->in_write = true;
	return err;
}

enum wq_err wq_store_begin_write(struct wq_store *store)
{
	return begin_write(store, false, 0);
}

enum wq_err wq_store_begin_write_case(struct wq_store *store, int64_t case_id)
{
	return begin_write(store, true, case_id);
}

enum wq_err wq_store_lock_chain(struct wq_store *store)
{
	if (!store->in_write || !store->drv->lock_chain)
		return WQ_ERR_OK;
	return store->drv->lock_chain(store);
}

enum wq_err wq_store_commit(struct wq_store *store)
{
	enum wq_err err = flush_pending_index(store);

	if (err) {
		wq_store_rollback(store);
		return err;
	}
	err = store->drv->commit(store);
	store->in_write = false;
	return err;
}

void wq_store_rollback(struct wq_store *store)
{
	drop_pending_index(store);
	store->drv->rollback(store);
	store->in_write = false;
}

enum wq_err wq_store_get_setting(struct wq_store *store, const char *key,
				 char **value)
{
	struct wq_stmt *st;
	enum wq_err err;

	*value = NULL;
	err = wq_store_prepare(store,
			       "SELECT value FROM settings WHERE key = ?1", &st);
	if (err)
		return err;
	wq_bind_text(st, 1, key);
	if (wq_step(st) == WQ_ROW)
		*value = wq_strdup(wq_column_text_or_null(st, 0));
	else
		err = WQ_ERR_NOT_FOUND;
	wq_store_finalize(store, st);
	return err;
}

enum wq_err wq_store_set_setting(struct wq_store *store, const char *key,
				 const char *value)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "INSERT INTO settings(key, value) VALUES (?1, ?2)"
			       " ON CONFLICT(key) DO UPDATE SET value = ?2",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, key);
	wq_bind_text(st, 2, value);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "settings");
	wq_store_finalize(store, st);
	return err;
}
