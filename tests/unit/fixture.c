#include "config.h"

#include <ftw.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_sqlite.h"
#include "weiquan/calendar.h"
#include "weiquan/clock.h"
#include "weiquan/err.h"
#include "tests/unit/fixture.h"

const char *fixture_srcdir(void)
{
	const char *s = getenv("WQ_SRCDIR");

	return s && *s ? s : ".";
}

static int load_calendar(struct wq_store *store)
{
	char path[512];
	int days = 0, years = 0;

	snprintf(path, sizeof(path), "%s/data/calendar-cn.json",
		 fixture_srcdir());
	if (wq_store_begin_write(store) != WQ_ERR_OK)
		return -1;
	if (wq_cal_import(store, path, &days, &years) != WQ_ERR_OK) {
		fprintf(stderr, "# calendar import: %s\n", wq_err_detail());
		wq_store_rollback(store);
		return -1;
	}
	if (wq_store_commit(store) != WQ_ERR_OK || years < 2)
		return -1;
	wq_clock_calendar_reset(store);
	return 0;
}

/* On PostgreSQL (make check-pg, tests/pg/suites.sh: $WQ_TEST_BACKEND and
 * $WQ_PG_URI, the cluster's maintenance database): a new database named
 * after dir's unique suffix, its URI into path (128 bytes). */
static int pg_database(const char *dir, char *path)
{
	const char *uri = getenv("WQ_PG_URI");
	const char *at = uri ? strstr(uri, "@/postgres?") : NULL;
	char name[64], sql[128];
	PGconn *conn;
	PGresult *res;
	bool made;
	int n;

	if (!at) {
		fprintf(stderr, "# WQ_PG_URI names no maintenance database\n");
		return -1;
	}
	snprintf(name, sizeof(name), "u_%s", strrchr(dir, '/') + 1);
	for (char *c = name; *c; c++)
		if (*c == '-')
			*c = '_';
	n = snprintf(path, 128, "%.*s@/%s?%s", (int)(at - uri), uri, name,
		     at + strlen("@/postgres?"));
	if (n < 0 || n >= 128)
		return -1;
	conn = PQconnectdb(uri);
	snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", name);
	res = PQexec(conn, sql);
	made = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!made)
		fprintf(stderr, "# %s: %s", sql, PQerrorMessage(conn));
	PQclear(res);
	PQfinish(conn);
	return made ? 0 : -1;
}

int fixture_open(const char *name, const char *now, char *dir, char *path,
		 struct wq_store **store, struct wq_user *admin)
{
	char rules[512], regime[64];
	const char *backend = getenv("WQ_TEST_BACKEND");
	bool created = false;

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	setenv("WEIQUAN_NOW", now, 1);
	snprintf(dir, 64, "/tmp/wq-%s-XXXXXX", name);
	if (!mkdtemp(dir))
		return -1;
	if (backend && strcmp(backend, "postgresql") == 0) {
		if (pg_database(dir, path))
			return -1;
	} else {
		snprintf(path, 128, "%s/wq.db", dir);
	}
	if (wq_store_open(path, WQ_OPEN_INIT, store) != WQ_ERR_OK ||
	    wq_user_bootstrap(*store, "admin", &created) != WQ_ERR_OK ||
	    !created || wq_user_lookup(*store, "admin", admin) != WQ_ERR_OK)
		return -1;
	if (load_calendar(*store))
		return -1;
	snprintf(rules, sizeof(rules), "%s/data/clock-rules.json",
		 fixture_srcdir());
	if (wq_clock_import(*store, admin, rules, regime, sizeof(regime)) !=
	    WQ_ERR_OK) {
		fprintf(stderr, "# clock import: %s\n", wq_err_detail());
		return -1;
	}
	return 0;
}

int fixture_add_user(struct wq_store *store, const struct wq_user *admin,
		     const char *login, enum wq_role role, const char *name,
		     struct wq_user *out)
{
	if (wq_user_add(store, admin, login, role, name ? name : login) !=
	    WQ_ERR_OK)
		return -1;
	return wq_user_lookup(store, login, out) == WQ_ERR_OK ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
			struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fixture_remove_dir(const char *dir)
{
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int fixture_plan(struct wq_store *store, const char *sql, char *out,
		 size_t size)
{
	char *eqp = malloc(strlen(sql) + 32);
	sqlite3_stmt *st;
	size_t used = 0;
	int rc;

	sprintf(eqp, "EXPLAIN QUERY PLAN %s", sql);
	rc = sqlite3_prepare_v2(wq_store_sqlite(store), eqp, -1, &st, NULL);
	free(eqp);
	out[0] = '\0';
	if (rc != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW && used < size)
		used += (size_t)snprintf(
			out + used, size - used, "%s; ",
			(const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	return 0;
}
