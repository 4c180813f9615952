/* The SQLite driver of the store (src/store_driver.h): one file shared by
 * every session in WAL mode, writers queued on a lock file beside it,
 * SQLite's own busy handling, data_version and online backup, and the SQL
 * functions the core's SQL calls (wq_sha256, greatest, least, octet_length, the wq_cjk
 * tokenizer). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "weiquan/store.h"
#include "weiquan/audit.h"
#include "store_driver.h"
#include "store_sqlite.h"
#include "weiquan/files.h"
#include "weiquan/fts_cjk.h"
#include "weiquan/wqtime.h"
#include "schema.h"
#include "util.h"

#ifndef WQ_SYSTEM_DB
#define WQ_SYSTEM_DB "/var/lib/weiquan/weiquan.db"
#endif

/* How long a writer may wait for its turn before the user is told. */
#define WRITE_WAIT_MS 10000

struct sqlite_store {
	struct wq_store base;
	sqlite3 *db;
	int lock_fd;      /* the writers' queue: see sqlite_begin_write() */
	int64_t queue_slot; /* our place in it while writing, -1: none */
	int write_wait_ms; /* the bound on waiting for it (and busy_timeout) */
	bool wrapped;     /* a connection of the caller's: wq_store_wrap() */
	int wal_pages;    /* the WAL's size after our last commit */
	int checkpoint_pages; /* checkpoint once it has this many */
	int64_t cache_before_bulk; /* cache_size to restore (wq_store_bulk) */
	bool created_lock;   /* this open made the lock file */
	bool usermerge_set; /* sqlite_merge_index() found it set */
};

struct sqlite_stmt {
	struct wq_stmt base;
	sqlite3_stmt *st;
};

static const struct wq_store_driver sqlite_driver;

static struct sqlite_store *lite(struct wq_store *store)
{
	return (struct sqlite_store *)store;
}

static sqlite3_stmt *lst(struct wq_stmt *stmt)
{
	return ((struct sqlite_stmt *)stmt)->st;
}

/* SQLite's automatic checkpoint runs in the committing connection right
 * after COMMIT, which for us is still inside the writers' queue: every
 * writer queued behind waited for its disk writes and fsync (the longest
 * waits of `make stress`).  This hook replaces it; wq_store_commit()
 * checkpoints after leaving the queue, so the others go on writing. */
#define WAL_CHECKPOINT_PAGES 1000
/* ... and in a bulk fill (wq_store_bulk), 800 MB, with an eighth of the
 * memory as cache, 256 MB to 4 GB: a million demo cases make a 10 GB file
 * whose indexes are written all over, and with 256 MB the build read 440
 * GB back through the kernel (with 2.9 GB, 62 GB for its first 613,000
 * cases).  What each commit writes to the WAL the cache does not change. */
#define BULK_CHECKPOINT_PAGES 200000
#define BULK_CACHE_MIN_KIB 262144
#define BULK_CACHE_MAX_KIB 4194304

static struct sqlite_store *new_store(const char *path)
{
	struct sqlite_store *s = wq_xcalloc(1, sizeof(*s));

	wq_store_base_init(&s->base, &sqlite_driver, path);
	s->lock_fd = -1;
	s->queue_slot = -1;
	s->write_wait_ms = WRITE_WAIT_MS;
	s->checkpoint_pages = WAL_CHECKPOINT_PAGES;
	return s;
}

static int note_wal_size(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct wq_store *store = arg;

	(void)db;
	(void)name;
	lite(store)->wal_pages = pages;
	return SQLITE_OK;
}

static void checkpoint_outside_queue(struct wq_store *store)
{
	if (lite(store)->wal_pages < lite(store)->checkpoint_pages)
		return;
	lite(store)->wal_pages = 0;
	/* PASSIVE never waits: if another process is checkpointing, that
	 * one does the work. */
	sqlite3_wal_checkpoint_v2(lite(store)->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
				  NULL, NULL);
}
static bool full_errno(int e)
{
	return e == ENOSPC || e == EDQUOT;
}

/* SQLite says "disk I/O error" when the disk filled up while it grew the
 * -shm or -wal; the system's errno tells. */
static bool disk_full(sqlite3 *db)
{
	int code = sqlite3_extended_errcode(db) & 0xff;
	int sys = sqlite3_system_errno(db);

	return code == SQLITE_FULL || (code == SQLITE_IOERR && full_errno(sys));
}

static enum wq_err sqlite_error(struct wq_store *store, const char *what)
{
	int code = sqlite3_extended_errcode(lite(store)->db);

	/* What a user can meet and act on is said in their words; `what`
	 * and SQLite's own English are for a fault only a developer can
	 * mend. */
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return wq_fail(WQ_ERR_BUSY,
			       N_("another session is writing to the database; "
				  "nothing was written"));
	if (disk_full(lite(store)->db))
		return wq_fail(WQ_ERR_FULL, N_("no room on the disk of %s"),
			       store->path);
	if ((code & 0xff) == SQLITE_READONLY)
		return wq_fail(WQ_ERR_DB,
			       N_("%s can only be read with your rights (the "
				  "file, its folder or the disk is read-only); "
				  "nothing was written"),
			       store->path);
	return wq_fail(WQ_ERR_DB, N_("%s: %s"), what,
		       sqlite3_errmsg(lite(store)->db));
}

static const char *sqlite_errmsg(struct wq_store *store)
{
	return sqlite3_errmsg(lite(store)->db);
}

static enum wq_violation sqlite_violated(struct wq_store *store)
{
	switch (sqlite3_extended_errcode(lite(store)->db)) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return WQ_VIOLATED_UNIQUE;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return WQ_VIOLATED_FOREIGN_KEY;
	case SQLITE_CONSTRAINT_CHECK:
		return WQ_VIOLATED_CHECK;
	default:
		return WQ_VIOLATED_NONE;
	}
}

static enum wq_err sqlite_exec_sql(struct wq_store *store, const char *sql)
{
	char *msg = NULL;
	enum wq_err err = WQ_ERR_OK;

	if (sqlite3_exec(lite(store)->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err = wq_store_error(store, "database");
		/* SQLite's words only for a fault, not for a busy, full or
		 * read-only database, which wq_store_error said in ours. */
		if (msg && err == WQ_ERR_DB &&
		    (sqlite3_extended_errcode(lite(store)->db) & 0xff) !=
			SQLITE_READONLY)
			wq_fail(err, "%s", msg);
	}
	sqlite3_free(msg);
	return err;
}

/* FTS5 merges a level once usermerge segments are on it (4 by default,
 * and its merges while writing take 4 too): a million cases' index kept
 * 23 segments.  At 2, 'merge' leaves at most one a level.  Each page is
 * then rewritten about once a level, log2 of the index's size, by the
 * worker and not by a writer.  The setting is the index's own, kept in
 * its config table; it is written once, by the first merge that finds it
 * otherwise (writing it makes every connection reread the config), and
 * read by each open until it is found (a write may yet roll back). */
#define INDEX_USERMERGE 2

static enum wq_err sqlite_merge_index(struct wq_store *store, int pages,
				      bool *merged)
{
	sqlite3 *db = lite(store)->db;
	sqlite3_stmt *st = NULL;
	int64_t before;
	char *sql;
	enum wq_err err;

	if (!lite(store)->usermerge_set) {
		if (sqlite3_prepare_v2(db,
				       "SELECT v FROM search_index_config"
				       " WHERE k = 'usermerge'",
				       -1, &st, NULL) != SQLITE_OK)
			return wq_store_error(store, "database");
		if (sqlite3_step(st) == SQLITE_ROW)
			lite(store)->usermerge_set =
				sqlite3_column_int(st, 0) == INDEX_USERMERGE;
		sqlite3_finalize(st);
	}
	if (!lite(store)->usermerge_set) {
		sql = wq_asprintf("INSERT INTO search_index(search_index, rank)"
				  " VALUES('usermerge', %d)",
				  INDEX_USERMERGE);
		err = sqlite_exec_sql(store, sql);
		free(sql);
		if (err)
			return err;
	}
	/* FTS5's own measure of work done: a merge changes two rows or
	 * more; with nothing to merge the command's own row is the one
	 * change, and no page is written. */
	before = sqlite3_total_changes64(db);
	sql = wq_asprintf("INSERT INTO search_index(search_index, rank)"
			  " VALUES('merge', %d)",
			  pages);
	err = sqlite_exec_sql(store, sql);
	free(sql);
	*merged = !err && sqlite3_total_changes64(db) - before >= 2;
	return err;
}

static void sqlite_exec_quiet(struct wq_store *store, const char *sql)
{
	sqlite3_exec(lite(store)->db, sql, NULL, NULL, NULL);
}

static enum wq_err sqlite_begin_read(struct wq_store *store)
{
	return wq_store_exec(store, "BEGIN");
}

static void sqlite_end_read(struct wq_store *store)
{
	sqlite3_exec(lite(store)->db, "COMMIT", NULL, NULL, NULL);
}

sqlite3 *wq_store_sqlite(struct wq_store *store)
{
	return store->drv == &sqlite_driver ? lite(store)->db : NULL;
}

static int64_t sqlite_changes(struct wq_store *store)
{
	return sqlite3_changes(lite(store)->db);
}

static int sqlite_schema_version(struct wq_store *store)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(lite(store)->db, "PRAGMA user_version", -1, &st,
			       NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* wq_sha256(x): the SHA-256 of x's bytes as stored, in hex (audit verify
 * compares rows with the digests their events recorded). */
static void sql_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char hex[65];

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	/* Blob first: the bytes as stored, whatever their type. */
	wq_audit_sha256(sqlite3_value_blob(argv[0]),
			(size_t)sqlite3_value_bytes(argv[0]), hex);
	sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

/* The order SQLite sorts values in: numbers (integer and real compared by
 * value), then text (bytes, the BINARY collation), then blobs. */
static int value_class(sqlite3_value *v)
{
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		return 1;
	case SQLITE_TEXT:
		return 2;
	default:
		return 3;
	}
}

static int compare_values(sqlite3_value *a, sqlite3_value *b)
{
	int ca = value_class(a), cb = value_class(b);

	if (ca != cb)
		return ca < cb ? -1 : 1;
	if (ca == 1) {
		if (sqlite3_value_type(a) == SQLITE_INTEGER &&
		    sqlite3_value_type(b) == SQLITE_INTEGER) {
			sqlite3_int64 x = sqlite3_value_int64(a),
				      y = sqlite3_value_int64(b);

			return (x > y) - (x < y);
		}
		double x = sqlite3_value_double(a), y = sqlite3_value_double(b);

		return (x > y) - (x < y);
	}
	const void *pa = ca == 2 ? (const void *)sqlite3_value_text(a)
				 : sqlite3_value_blob(a);
	const void *pb = ca == 2 ? (const void *)sqlite3_value_text(b)
				 : sqlite3_value_blob(b);
	int na = sqlite3_value_bytes(a), nb = sqlite3_value_bytes(b);
	int c = memcmp(pa, pb, (size_t)(na < nb ? na : nb));

	return c ? c : (na > nb) - (na < nb);
}

/* greatest(a, b, ...) and least(a, b, ...) as PostgreSQL means them, so the
 * core's SQL reads the same on both: NULL arguments are ignored and the
 * result is NULL only when all are.  (SQLite's own max(a, b) is NULL as
 * soon as one argument is.) */
static void sql_extreme(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int sign = *(const int *)sqlite3_user_data(ctx);
	sqlite3_value *best = NULL;

	if (argc < 1) {
		sqlite3_result_error(ctx, "greatest/least need an argument",
				     -1);
		return;
	}
	for (int i = 0; i < argc; i++) {
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
			continue;
		if (!best || compare_values(argv[i], best) * sign > 0)
			best = argv[i];
	}
	if (best)
		sqlite3_result_value(ctx, best);
	else
		sqlite3_result_null(ctx);
}

/* octet_length(x) as PostgreSQL (and SQLite from 3.43) means it: the
 * bytes of a blob, of a text's UTF-8, of a number's text; NULL for NULL. */
static void sql_octet_length(sqlite3_context *ctx, int argc,
			     sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if (sqlite3_value_type(argv[0]) == SQLITE_BLOB)
		(void)sqlite3_value_blob(argv[0]);
	else
		(void)sqlite3_value_text(argv[0]);
	sqlite3_result_int(ctx, sqlite3_value_bytes(argv[0]));
}

/* What the core's SQL calls that SQLite does not have. */
static enum wq_err register_functions(struct wq_store *store)
{
	enum wq_err err = wq_fts_cjk_register(lite(store)->db);

	if (err)
		return err;
	if (sqlite3_create_function(lite(store)->db, "wq_sha256", 1,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    sql_sha256, NULL, NULL) != SQLITE_OK)
		return wq_store_error(store, "wq_sha256");
	static const int greatest = 1, least = -1;

	if (sqlite3_create_function(lite(store)->db, "greatest", -1,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				    (void *)&greatest, sql_extreme, NULL,
				    NULL) != SQLITE_OK ||
	    sqlite3_create_function(lite(store)->db, "least", -1,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				    (void *)&least, sql_extreme, NULL,
				    NULL) != SQLITE_OK)
		return wq_store_error(store, "greatest/least");
	if (sqlite3_create_function(lite(store)->db, "octet_length", 1,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    sql_octet_length, NULL, NULL) != SQLITE_OK)
		return wq_store_error(store, "octet_length");
	return WQ_ERR_OK;
}

struct wq_store *wq_store_wrap(sqlite3 *db)
{
	struct sqlite_store *s = new_store(":wrapped:");

	s->db = db;
	s->wrapped = true;
	return &s->base;
}

static char *parent_dir(const char *path)
{
	char *dir = wq_strdup(path);
	char *slash = strrchr(dir, '/');

	if (!slash) {
		free(dir);
		return wq_strdup(".");
	}
	slash[slash == dir] = '\0';
	return dir;
}

static enum wq_err make_parent_dir(const char *path)
{
	char *dir = parent_dir(path);
	enum wq_err err = WQ_ERR_OK;

	/* Privileged, the directory is the group's, like the database. */
	if (wq_mkdir_p(dir, wq_privileged() ? 0770 : 0750) != 0)
		err = wq_fail(full_errno(errno) ? WQ_ERR_FULL : WQ_ERR_IO,
			      N_("cannot create %s: %s"), dir, strerror(errno));
	free(dir);
	return err;
}

/* A database is shared by a group when the program runs setgid for it or
 * when it lives in a set-group-ID directory, as a deployment's does.  Then
 * every file made for it must be group read-write whatever the creator's
 * umask (the administrator's is often 022), or the next user could not
 * write to it.  SQLite gives its -wal and -shm files the database's mode. */
static bool shared_by_group(const char *path)
{
	char *dir;
	struct stat sb;
	bool shared;

	if (wq_privileged())
		return true;
	dir = parent_dir(path);
	shared = stat(dir, &sb) == 0 && (sb.st_mode & S_ISGID);
	free(dir);
	return shared;
}

/* Opens path read-write, creating it with the mode sharing needs; a file
 * that exists keeps its own.  *created says which. */
static int open_or_create(const char *path, bool shared, bool *created)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0660);

	*created = fd >= 0;
	if (fd >= 0) {
		if (shared)
			fchmod(fd, 0660);
		return fd;
	}
	if (errno != EEXIST)
		return -1;
	return open(path, O_RDWR | O_CLOEXEC);
}

/* Whoever creates a database becomes its first administrator.  The system
 * database (the one a setgid weiquan serves) is created by root or by the
 * owner of its directory, the installation's owner: on a fresh install any
 * local user could otherwise run init first and own it. */
static bool may_create(const char *path)
{
	char *dir;
	struct stat sb;
	bool owner;

	if (!wq_privileged() && strcmp(path, WQ_SYSTEM_DB) != 0)
		return true;
	if (getuid() == 0)
		return true;
	dir = parent_dir(WQ_SYSTEM_DB);
	owner = stat(dir, &sb) == 0 && sb.st_uid == getuid();
	free(dir);
	return owner;
}

static enum wq_err add_column(struct wq_store *store,
			      const struct wq_new_column *c)
{
	struct wq_stmt *st;
	enum wq_err err;
	bool has;
	char *sql;

	if (!c->table)
		return WQ_ERR_OK;
	err = wq_store_prepare(store,
			       "SELECT 1 FROM pragma_table_info(?1)"
			       " WHERE name = ?2",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, c->table);
	wq_bind_text(st, 2, c->column);
	has = wq_step(st) == WQ_ROW;
	wq_store_finalize(store, st);
	if (has)
		return WQ_ERR_OK;
	sql = wq_asprintf("ALTER TABLE %s ADD COLUMN %s %s", c->table,
			  c->column, c->declaration);
	err = wq_store_exec(store, sql);
	free(sql);
	return err;
}

static enum wq_err migrate(struct wq_store *store, int from)
{
	enum wq_err err;
	char pragma[64];

	for (int v = from; v < wq_schema_migration_count; v++) {
		err = wq_store_begin_write(store);
		if (err)
			return err;
		err = add_column(store, &wq_schema_migrations[v].sqlite_column);
		if (!err)
			err = wq_store_exec(store,
					    wq_schema_migrations[v].sqlite);
		if (!err) {
			snprintf(pragma, sizeof(pragma),
				 "PRAGMA user_version = %d", v + 1);
			err = wq_store_exec(store, pragma);
		}
		if (!err)
			err = wq_store_commit(store);
		else
			wq_store_rollback(store);
		if (err)
			return err;
		/* Each migration's pages go into the file before the next
		 * one writes, so the WAL is reused rather than holding every
		 * migration at once: a new database needs room for its file
		 * and one migration, not for its whole history twice. */
		sqlite3_wal_checkpoint_v2(lite(store)->db, NULL,
					  SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	}
	return WQ_ERR_OK;
}

/* "file:" URI of a path, for SQLite's URI parameters. */
static char *file_uri(const char *path)
{
	struct wq_buf b = {0};

	wq_buf_puts(&b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= 0x20 ||
		    *p >= 0x7f)
			wq_buf_printf(&b, "%%%02X", *p);
		else
			wq_buf_add(&b, (const char *)p, 1);
	}
	return b.data;
}

/* The installation's dates: Beijing's unless the database records another
 * offset (weiquan/wqtime.h). */
static enum wq_err open_for_reading(const char *path, enum wq_err full_err,
				    struct wq_store **out)
{
	char *wal = wq_asprintf("%s-wal", path), *file = file_uri(path), *uri;
	struct wq_store *store;
	struct stat sb;
	bool wal_empty = stat(wal, &sb) != 0 || sb.st_size == 0;
	enum wq_err err;

	free(wal);
	if (!wal_empty) {
		free(file);
		return full_err;
	}
	store = &new_store(path)->base;
	store->read_only = true;
	uri = wq_asprintf("%s?immutable=1", file);
	free(file);
	if (sqlite3_open_v2(uri, &lite(store)->db,
			    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		free(uri);
		wq_store_close(&store);
		return full_err;
	}
	free(uri);
	sqlite3_extended_result_codes(lite(store)->db, 1);
	err = wq_store_exec(store, "PRAGMA temp_store = MEMORY;"
				   "PRAGMA foreign_keys = ON;");
	if (!err)
		err = register_functions(store);
	if (err || wq_store_schema_version(store) != WQ_SCHEMA_VERSION) {
		wq_store_close(&store);
		return full_err;
	}
	*out = store;
	return WQ_ERR_OK;
}

enum wq_err wq_store_sqlite_open(const char *path, enum wq_open_mode mode,
			  struct wq_store **out)
{
	struct wq_store *store;
	struct stat sb;
	enum wq_err err;
	char *lock_path;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int version;
	bool created = false;

	*out = NULL;
	/* A new database, or an empty file that init would make one. */
	if (mode == WQ_OPEN_INIT && (stat(path, &sb) != 0 || sb.st_size == 0) &&
	    !may_create(path))
		return wq_fail(WQ_ERR_DENIED,
			       N_("only root or the owner of %s may create the "
				  "system database"),
			       WQ_SYSTEM_DB);
	if (stat(path, &sb) != 0) {
		int fd;

		if (mode != WQ_OPEN_INIT)
			return wq_fail(WQ_ERR_NO_DB, "%s", path);
		err = make_parent_dir(path);
		if (err)
			return err;
		/* Created here rather than by SQLite, which would use its
		 * own mode: an empty file is a new database to it. */
		fd = open_or_create(path, shared_by_group(path), &created);
		if (fd < 0)
			return wq_fail(
			    full_errno(errno) ? WQ_ERR_FULL : WQ_ERR_IO,
			    N_("cannot create %s: %s"), path, strerror(errno));
		close(fd);
		flags |= SQLITE_OPEN_CREATE;
	}

	store = &new_store(path)->base;
	store->created = created;
	if (sqlite3_open_v2(path, &lite(store)->db, flags, NULL) != SQLITE_OK) {
		err = wq_fail(WQ_ERR_DB, N_("cannot open %s: %s"), path,
			      lite(store)->db ? sqlite3_errmsg(lite(store)->db)
					      : wq_text(N_("out of memory")));
		wq_store_discard(&store);
		return err;
	}
	sqlite3_extended_result_codes(lite(store)->db, 1);
	sqlite3_busy_timeout(lite(store)->db, lite(store)->write_wait_ms);
	sqlite3_wal_hook(lite(store)->db, note_wal_size, store);

	lock_path = wq_asprintf("%s.lock", path);
	lite(store)->lock_fd = open_or_create(lock_path, shared_by_group(path),
					&lite(store)->created_lock);
	free(lock_path);
	if (lite(store)->lock_fd < 0 && mode == WQ_OPEN_INIT) {
		err = wq_fail(WQ_ERR_IO, N_("cannot create %s.lock: %s"), path,
			      strerror(errno));
		wq_store_discard(&store);
		return err;
	}

	err = wq_store_exec(store, "PRAGMA journal_mode = WAL;"
				   "PRAGMA synchronous = NORMAL;"
				   "PRAGMA temp_store = MEMORY;"
				   "PRAGMA foreign_keys = ON;");
	if (!err)
		err = register_functions(store);
	if (!err && (version = wq_store_schema_version(store)) < 0)
		err = wq_store_error(store, path);
	if (err) {
		wq_store_discard(&store);
		if (err == WQ_ERR_FULL && mode != WQ_OPEN_INIT)
			return open_for_reading(path, err, out);
		return err;
	}

	if (version > WQ_SCHEMA_VERSION) {
		err = wq_fail(
		    WQ_ERR_SCHEMA_NEW,
		    N_("%s has schema version %d; this weiquan knows %d"), path,
		    version, WQ_SCHEMA_VERSION);
	} else if (version < WQ_SCHEMA_VERSION) {
		if (mode == WQ_OPEN_INIT)
			err = migrate(store, version);
		else if (version == 0)
			err = wq_fail(WQ_ERR_NO_DB,
				      N_("%s is not a weiquan database"), path);
		else
			err =
			    wq_fail(WQ_ERR_SCHEMA_OLD,
				    N_("%s has schema version %d; this weiquan "
				       "needs %d"),
				    path, version, WQ_SCHEMA_VERSION);
	}
	if (err) {
		wq_store_discard(&store);
		return err;
	}
	*out = store;
	return WQ_ERR_OK;
}

static void sqlite_discard(struct wq_store **store)
{
	static const char *const parts[] = {"", "-wal", "-shm", "-journal"};
	struct wq_store *s = *store;
	char *path, *file;

	path = wq_strdup(s->path);
	if (lite(s)->created_lock) {
		file = wq_asprintf("%s.lock", path);
		unlink(file);
		free(file);
	}
	wq_store_close(store);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		file = wq_asprintf("%s%s", path, parts[i]);
		unlink(file);
		free(file);
	}
	free(path);
}

static void sqlite_close(struct wq_store *store)
{
	struct sqlite_store *s = lite(store);

	if (s->db && !s->wrapped)
		sqlite3_close_v2(s->db);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s);
}

static void on_write_wait_alarm(int sig)
{
	(void)sig;
}

/* The writers' queue is first come, first served.  A blocking flock()
 * alone is not: a release wakes the waiters to race for the lock, and a
 * writer that has just released it usually takes it again before any of
 * them has run, so with 200 writers most commits took 0.1 ms and some
 * waited seconds.
 *
 * So each writer draws a ticket and waits only for the writer ahead of it,
 * on open-file-description record locks on the lock file, which the kernel
 * releases when a process dies (as it does flock locks):
 *   byte 0       the entry lock, held while a ticket is drawn; the next
 *                ticket number is kept in the file's first 8 bytes
 *   byte 2 + t   ticket t's slot, held from drawing the ticket to the end
 *                of its write; ticket t+1 waits for it to be released
 * and then takes the flock() as before, which is then normally free.  A
 * writer that dies or gives up while queued releases its slot early; its
 * successor still waits on the flock, so there is never more than one
 * writer past the queue.  Writers of an older weiquan, which only take
 * the flock, still exclude and are excluded. */
#ifdef F_OFD_SETLKW
#define QUEUE_ENTRY 0
#define QUEUE_SLOT(t) (2 + (off_t)((t) & ((UINT64_C(1) << 40) - 1)))

static int queue_lock(int fd, short type, off_t at, bool wait)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = at;
	fl.l_len = 1;
	return fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl);
}
#endif

/* The bound on the whole wait: armed the first time a lock is not free at
 * once, so the uncontended path makes no timer calls. */
struct wait_timer {
	bool armed;
	struct sigaction old_sa;
};

static void arm(struct wq_store *store, struct wait_timer *t)
{
	struct sigaction sa;
	struct itimerval timer = {0};

	if (t->armed)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_write_wait_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &t->old_sa);  /* no SA_RESTART: calls return */
	timer.it_value.tv_sec = lite(store)->write_wait_ms / 1000;
	timer.it_value.tv_usec = (lite(store)->write_wait_ms % 1000) * 1000;
	setitimer(ITIMER_REAL, &timer, NULL);
	t->armed = true;
}

static void disarm(struct wait_timer *t)
{
	struct itimerval timer = {0};

	if (!t->armed)
		return;
	setitimer(ITIMER_REAL, &timer, NULL);
	sigaction(SIGALRM, &t->old_sa, NULL);
	t->armed = false;
}

#ifdef F_OFD_SETLKW
/* Takes a queue lock, waiting (within the bound) if it is held. */
static int queue_wait(struct wq_store *store, struct wait_timer *t, off_t at)
{
	if (queue_lock(lite(store)->lock_fd, F_WRLCK, at, false) == 0)
		return 0;
	if (errno != EAGAIN && errno != EACCES)
		return -1;
	arm(store, t);
	return queue_lock(lite(store)->lock_fd, F_WRLCK, at, true);
}

/* Draws a ticket and waits for the writer ahead to finish.  Returns 0, or
 * -1 when the bound passed (errno EINTR).  Should the record locks fail
 * otherwise (a kernel without them: EINVAL), the flock alone still
 * excludes. */
static int queue_enter(struct wq_store *store, struct wait_timer *t)
{
	int fd = lite(store)->lock_fd;
	uint64_t ticket, next;
	off_t ahead;

	if (queue_wait(store, t, QUEUE_ENTRY) != 0)
		return errno == EINTR ? -1 : 0;
	if (pread(fd, &ticket, sizeof(ticket), 0) != sizeof(ticket))
		ticket = 0;
	next = ticket + 1;
	if (pwrite(fd, &next, sizeof(next), 0) == sizeof(next) &&
	    queue_lock(fd, F_WRLCK, QUEUE_SLOT(ticket), false) == 0)
		lite(store)->queue_slot = QUEUE_SLOT(ticket);
	queue_lock(fd, F_UNLCK, QUEUE_ENTRY, false);
	if (lite(store)->queue_slot < 0 || ticket == 0)
		return 0;   /* no place in the queue: just the flock */
	ahead = QUEUE_SLOT(ticket - 1);
	if (queue_wait(store, t, ahead) != 0)
		return errno == EINTR ? -1 : 0;
	queue_lock(fd, F_UNLCK, ahead, false);
	return 0;
}
#endif

static void queue_leave(struct wq_store *store)
{
#ifdef F_OFD_SETLKW
	if (lite(store)->queue_slot >= 0)
		queue_lock(lite(store)->lock_fd, F_UNLCK, lite(store)->queue_slot, false);
#endif
	lite(store)->queue_slot = -1;
}

/* Waits for the writers' lock for a bounded time. */
static enum wq_err take_write_lock(struct wq_store *store)
{
	struct wait_timer t = {0};
	int rc = 0;

	lite(store)->queue_slot = -1;
	if (lite(store)->lock_fd < 0)
		return WQ_ERR_OK;
#ifdef F_OFD_SETLKW
	rc = queue_enter(store, &t);
#endif
	if (rc == 0 && flock(lite(store)->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		arm(store, &t);
		rc = flock(lite(store)->lock_fd, LOCK_EX);
	}
	disarm(&t);
	if (rc != 0) {
		int e = errno;

		queue_leave(store);
		if (e != EINTR)
			return wq_fail(WQ_ERR_IO, N_("cannot lock %s.lock: %s"),
				       store->path, strerror(e));
		return wq_fail(WQ_ERR_BUSY,
			       N_("other sessions kept the database busy for "
				  "%.1f seconds; nothing was written"),
			       lite(store)->write_wait_ms / 1000.0);
	}
	return WQ_ERR_OK;
}

static void release_write_lock(struct wq_store *store)
{
	if (lite(store)->lock_fd < 0)
		return;
	/* The flock first, so the next in line finds it free. */
	flock(lite(store)->lock_fd, LOCK_UN);
	queue_leave(store);
}

static int64_t bulk_cache_kib(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	int64_t kib = pages > 0 && size > 0
			      ? (int64_t)pages / 8 * (size / 1024)
			      : BULK_CACHE_MIN_KIB;

	if (kib < BULK_CACHE_MIN_KIB)
		return BULK_CACHE_MIN_KIB;
	return kib > BULK_CACHE_MAX_KIB ? BULK_CACHE_MAX_KIB : kib;
}

static void sqlite_bulk(struct wq_store *store, bool on)
{
	struct sqlite_store *s = lite(store);
	char sql[48];

	if (on) {
		struct wq_stmt *st;

		s->cache_before_bulk = -2000;
		if (wq_store_prepare(store, "PRAGMA cache_size", &st) ==
		    WQ_ERR_OK) {
			if (wq_step(st) == WQ_ROW)
				s->cache_before_bulk = wq_column_int64(st, 0);
			wq_store_finalize(store, st);
		}
	}
	s->checkpoint_pages = on ? BULK_CHECKPOINT_PAGES : WAL_CHECKPOINT_PAGES;
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %" PRId64,
		 on ? -bulk_cache_kib() : s->cache_before_bulk);
	wq_store_exec(store, sql);
}

static void sqlite_set_write_wait(struct wq_store *store, int ms)
{
	lite(store)->write_wait_ms = ms;
	sqlite3_busy_timeout(lite(store)->db, ms);
}

static enum wq_err sqlite_begin_write(struct wq_store *store)
{
	enum wq_err err;
	int rc;

	err = take_write_lock(store);
	if (err)
		return err;
	/* A writer that does not use the lock file (an older weiquan, the
	 * sqlite3 shell) is still waited for by the busy timeout. */
	rc = sqlite3_exec(lite(store)->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		err = wq_store_error(store, "cannot start a write; nothing was "
				     "written");
		release_write_lock(store);
		return err;
	}
	return WQ_ERR_OK;
}

static enum wq_err sqlite_commit(struct wq_store *store)
{
	enum wq_err err = WQ_ERR_OK;

	if (sqlite3_exec(lite(store)->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		err = wq_store_error(store, "cannot commit");
		sqlite3_exec(lite(store)->db, "ROLLBACK", NULL, NULL, NULL);
	}
	release_write_lock(store);
	if (!err)
		checkpoint_outside_queue(store);
	return err;
}

static void sqlite_rollback(struct wq_store *store)
{
	if (!sqlite3_get_autocommit(lite(store)->db))
		sqlite3_exec(lite(store)->db, "ROLLBACK", NULL, NULL, NULL);
	release_write_lock(store);
}

static int64_t sqlite_data_version(struct wq_store *store)
{
	struct wq_stmt *st;
	int64_t v = -1;

	if (wq_store_prepare(store, "PRAGMA data_version", &st))
		return -1;
	if (wq_step(st) == WQ_ROW)
		v = wq_column_int64(st, 0);
	wq_store_finalize(store, st);
	return v;
}

/* Whether path's directory is dir (the same directory by any name). */
static bool in_dir(const char *path, const struct stat *dir)
{
	char *parent = parent_dir(path);
	struct stat sb;
	bool same = stat(parent, &sb) == 0 && sb.st_dev == dir->st_dev &&
		    sb.st_ino == dir->st_ino;

	free(parent);
	return same;
}

/* Whether file, a name in the database's directory, is one of the
 * database's own files: db itself, its -wal, -shm, -journal or lock. */
static bool database_file(const char *file, const char *db)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal",
					       ".lock"};
	const char *name = strrchr(file, '/'), *db_name = strrchr(db, '/');
	size_t n;

	name = name ? name + 1 : file;
	db_name = db_name ? db_name + 1 : db;
	n = strlen(db_name);
	if (strncmp(name, db_name, n) != 0)
		return false;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (strcmp(name + n, suffixes[i]) == 0)
			return true;
	return false;
}

/* A backup is never written onto the database, its -wal, -shm, journal or
 * lock file (by any name of its directory), where it would be taken for
 * part of the live database; nor anywhere in a directory shared by the
 * group (a setgid installation's), whose rights are not the user's to
 * lend to a file they name. */
static enum wq_err check_backup_target(struct wq_store *store,
				       const char *dest_path)
{
	char *real_db = realpath(store->path, NULL);
	/* SQLite names the -wal and -shm after a symlink's target. */
	const char *db[2] = {store->path, real_db};
	enum wq_err err = WQ_ERR_OK;

	for (int i = 0; i < 2 && db[i] && !err; i++) {
		char *dir = parent_dir(db[i]);
		struct stat sb;

		if (stat(dir, &sb) == 0 && in_dir(dest_path, &sb) &&
		    (shared_by_group(db[i]) || database_file(dest_path, db[i])))
			err = database_file(dest_path, db[i])
				  ? wq_fail(WQ_ERR_INVALID,
					    N_("%s is the database or one of "
					       "its files; nothing was "
					       "written: back up to a file "
					       "elsewhere"),
					    dest_path)
				  : wq_fail(WQ_ERR_INVALID,
					    N_("%s is in the database's "
					       "directory; nothing was "
					       "written: back up to a file "
					       "elsewhere"),
					    dest_path);
		free(dir);
	}
	free(real_db);
	return err;
}

/* Copies in steps so writers in other sessions are never held up for long;
 * a step that finds the source changed restarts by itself. */
static enum wq_err copy_database(struct wq_store *store, const char *dest_path)
{
	sqlite3 *dest;
	sqlite3_backup *bk;
	enum wq_err err = WQ_ERR_OK;
	int rc;

	/* The file exists (made for the user alone): SQLite only opens it. */
	if (sqlite3_open_v2(dest_path, &dest, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		err = wq_fail(WQ_ERR_IO, N_("cannot open %s: %s"), dest_path,
			      sqlite3_errmsg(dest));
		sqlite3_close(dest);
		return err;
	}
	bk = sqlite3_backup_init(dest, "main", lite(store)->db, "main");
	if (!bk) {
		err = wq_fail(WQ_ERR_IO, N_("backup to %s: %s"), dest_path,
			      sqlite3_errmsg(dest));
		sqlite3_close(dest);
		return err;
	}
	do {
		rc = sqlite3_backup_step(bk, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE)
		err = wq_fail(
		    (rc & 0xff) == SQLITE_FULL || disk_full(dest) ? WQ_ERR_FULL
								  : WQ_ERR_IO,
		    N_("backup to %s: %s"), dest_path, sqlite3_errstr(rc));
	sqlite3_close(dest);
	return err;
}

static enum wq_err sqlite_backup(struct wq_store *store, const char *dest_path)
{
	struct wq_ids ids;
	enum wq_err err;
	int fd;

	err = check_backup_target(store, dest_path);
	if (err)
		return err;
	err = wq_file_create(dest_path, false, &fd);
	if (err)
		return err;
	close(fd);
	/* The copy is written with the user's own rights: should the new
	 * file be swapped for a symlink meanwhile, it reaches nothing the
	 * user could not write anyway.  The source is read through the
	 * files this connection already holds open. */
	if (wq_ids_drop(&ids) != 0) {
		err = wq_fail(WQ_ERR_IO,
			      N_("cannot take the user's own rights: %s"),
			      strerror(errno));
		unlink(dest_path);
	} else {
		err = copy_database(store, dest_path);
		if (err) {
			/* The file and its journal were made here: a half
			 * copy is no backup. */
			char *journal = wq_asprintf("%s-journal", dest_path);

			unlink(journal);
			free(journal);
			unlink(dest_path);
		}
		wq_ids_restore(&ids);
	}
	return err;
}


/* ---- statements ---- */

/* SQLite steps row by row anyway: a scan is a statement like another. */
static enum wq_err sqlite_stmt_new(struct wq_store *store, const char *sql,
				   bool persistent, bool scan,
				   struct wq_stmt **stmt)
{
	sqlite3_stmt *st;
	struct sqlite_stmt *ls;
	int rc = persistent ? sqlite3_prepare_v3(lite(store)->db, sql, -1,
						 SQLITE_PREPARE_PERSISTENT,
						 &st, NULL)
			    : sqlite3_prepare_v2(lite(store)->db, sql, -1, &st,
						 NULL);

	(void)scan;
	if (rc != SQLITE_OK)
		return wq_store_error(store, "prepare");
	ls = wq_xcalloc(1, sizeof(*ls));
	ls->st = st;
	*stmt = &ls->base;
	return WQ_ERR_OK;
}

static void sqlite_stmt_free(struct wq_stmt *stmt)
{
	sqlite3_finalize(lst(stmt));
	free(stmt);
}

static void sqlite_stmt_reset(struct wq_stmt *st)
{
	sqlite3_reset(lst(st));
}

static void sqlite_stmt_clear_bindings(struct wq_stmt *st)
{
	sqlite3_clear_bindings(lst(st));
}

static void sqlite_bind_int64(struct wq_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(lst(st), i, v);
}

static void sqlite_bind_null(struct wq_stmt *st, int i)
{
	sqlite3_bind_null(lst(st), i);
}

static void sqlite_bind_text(struct wq_stmt *st, int i, const char *s,
			     int len, bool copy)
{
	sqlite3_bind_text(lst(st), i, s, len,
			  copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static void sqlite_bind_blob(struct wq_stmt *st, int i, const void *p,
			     int len)
{
	sqlite3_bind_blob(lst(st), i, p, len, SQLITE_STATIC);
}

static void sqlite_bind_column(struct wq_stmt *st, int i,
			       struct wq_stmt *from, int col)
{
	sqlite3_bind_value(lst(st), i, sqlite3_column_value(lst(from), col));
}

/* WQ_ROW and WQ_DONE are SQLite's own codes, and no error code is either:
 * the step's code passes through. */
_Static_assert(WQ_ROW == SQLITE_ROW && WQ_DONE == SQLITE_DONE,
	       "wq_step() passes SQLite's codes through");

static int sqlite_step(struct wq_stmt *st)
{
	return sqlite3_step(lst(st));
}

static int64_t sqlite_column_int64(struct wq_stmt *st, int i)
{
	return sqlite3_column_int64(lst(st), i);
}

static const char *sqlite_column_text(struct wq_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(lst(st), i);
}

static const void *sqlite_column_blob(struct wq_stmt *st, int i)
{
	return sqlite3_column_blob(lst(st), i);
}

static int sqlite_column_bytes(struct wq_stmt *st, int i)
{
	return sqlite3_column_bytes(lst(st), i);
}

static bool sqlite_column_is_null(struct wq_stmt *st, int i)
{
	return sqlite3_column_type(lst(st), i) == SQLITE_NULL;
}

static bool sqlite_column_is_integer(struct wq_stmt *st, int i)
{
	return sqlite3_column_type(lst(st), i) == SQLITE_INTEGER;
}

/* The index is FTS5 with the tokenizer wq_cjk (src/fts_cjk.c, registered
 * by src/store_sqlite_fts5.c). */
static char *sqlite_index_value(const char *text)
{
	return wq_strdup(text);
}

static char *sqlite_search_docs_sql(int param)
{
	return wq_asprintf("SELECT rowid AS doc FROM search_index"
			   " WHERE search_index MATCH ?%d",
			   param);
}

static const struct wq_store_driver sqlite_driver = {
	.name = "sqlite",
	.close = sqlite_close,
	.discard = sqlite_discard,
	.schema_version = sqlite_schema_version,
	.begin_write = sqlite_begin_write,
	.set_write_wait = sqlite_set_write_wait,
	.bulk = sqlite_bulk,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.exec = sqlite_exec_sql,
	.exec_quiet = sqlite_exec_quiet,
	.begin_read = sqlite_begin_read,
	.end_read = sqlite_end_read,
	.error = sqlite_error,
	.errmsg = sqlite_errmsg,
	.violated = sqlite_violated,
	.changes = sqlite_changes,
	.data_version = sqlite_data_version,
	.backup = sqlite_backup,
	.stmt_new = sqlite_stmt_new,
	.stmt_free = sqlite_stmt_free,
	.stmt_reset = sqlite_stmt_reset,
	.stmt_clear_bindings = sqlite_stmt_clear_bindings,
	.bind_int64 = sqlite_bind_int64,
	.bind_null = sqlite_bind_null,
	.bind_text = sqlite_bind_text,
	.bind_blob = sqlite_bind_blob,
	.bind_column = sqlite_bind_column,
	.step = sqlite_step,
	.column_int64 = sqlite_column_int64,
	.column_text = sqlite_column_text,
	.column_blob = sqlite_column_blob,
	.column_bytes = sqlite_column_bytes,
	.column_is_null = sqlite_column_is_null,
	.column_is_integer = sqlite_column_is_integer,
	.index_insert_sql = "INSERT INTO search_index(rowid, body) VALUES (?1, ?2)",
	.index_value = sqlite_index_value,
	.search_query = wq_fts_query,
	.search_docs_sql = sqlite_search_docs_sql,
	.search_streams = true,
	.index_hint = " INDEXED BY ",
	.merge_index = sqlite_merge_index,
};
