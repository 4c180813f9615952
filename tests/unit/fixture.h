/* The unit tests' common start: a database of their own in a temporary
 * directory, its administrator, the shipped holiday calendar and clock
 * rules, Shanghai time and the clock pinned; and the cleaning up. */
#ifndef WEIQUAN_TESTS_FIXTURE_H
#define WEIQUAN_TESTS_FIXTURE_H

#include <stddef.h>

#include "weiquan/store.h"
#include "weiquan/user.h"

/* $WQ_SRCDIR, else "." (data/ and tests/ are found below it). */
const char *fixture_srcdir(void);

/* Makes /tmp/wq-NAME-XXXXXX into dir (64 bytes), creates dir/wq.db (its
 * path into path, 128 bytes; under make check-pg a PostgreSQL database
 * of its own, its URI into path) with the administrator "admin", and loads
 * data/calendar-cn.json and data/clock-rules.json, with TZ Asia/Shanghai
 * and WEIQUAN_NOW now.  0, or -1 with a "#" line on stderr. */
int fixture_open(const char *name, const char *now, char *dir, char *path,
		 struct wq_store **store, struct wq_user *admin);

/* Adds a user (name: the login when NULL) and looks it up into out. */
int fixture_add_user(struct wq_store *store, const struct wq_user *admin,
		     const char *login, enum wq_role role, const char *name,
		     struct wq_user *out);

/* EXPLAIN QUERY PLAN of sql on a SQLite store, as one line of its
 * details, each followed by "; ", into out (size bytes).  0, or -1 when
 * it does not prepare. */
int fixture_plan(struct wq_store *store, const char *sql, char *out,
		 size_t size);

/* Removes dir and everything below it. */
void fixture_remove_dir(const char *dir);

#endif
