#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "weiquan/audit.h"
#include "weiquan/user.h"
#include "weiquan/wqtime.h"
#include "util.h"

static const char *const role_names[] = {
#define WQ_ROLE_NAME(id, name) [WQ_ROLE_##id] = name,
	WQ_ROLE_LIST(WQ_ROLE_NAME)
#undef WQ_ROLE_NAME
};

const char *wq_role_name(enum wq_role role)
{
	return (unsigned)role < WQ_ROLE_COUNT_ ? role_names[role] : "?";
}

bool wq_role_parse(const char *name, enum wq_role *role)
{
	for (int r = 0; r < WQ_ROLE_COUNT_; r++) {
		if (strcmp(name, role_names[r]) == 0) {
			*role = (enum wq_role)r;
			return true;
		}
	}
	return false;
}

bool wq_role_sees_phone(enum wq_role role)
{
	return role == WQ_ROLE_DESK || role == WQ_ROLE_MEDIATOR ||
	       role == WQ_ROLE_SUPERVISOR || role == WQ_ROLE_ADMIN;
}

bool wq_role_sees_id_number(enum wq_role role)
{
	return role == WQ_ROLE_DESK || role == WQ_ROLE_SUPERVISOR ||
	       role == WQ_ROLE_ADMIN;
}

enum wq_err wq_user_os_login(char *out, size_t size)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwuid(getuid());
	if (!pw)
		return wq_fail(WQ_ERR_UNKNOWN_USER,
			       N_("uid %u has no entry in the password database"),
			       (unsigned)getuid());
	snprintf(out, size, "%s", pw->pw_name);
	return WQ_ERR_OK;
}

enum wq_err wq_user_lookup(struct wq_store *store, const char *login,
			   struct wq_user *user)
{
	sqlite3_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "SELECT role, name FROM users"
			       " WHERE login = ?1 AND active = 1",
			       &st);
	if (err)
		return err;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		memset(user, 0, sizeof(*user));
		snprintf(user->login, sizeof(user->login), "%s", login);
		snprintf(user->name, sizeof(user->name), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		if (!wq_role_parse((const char *)sqlite3_column_text(st, 0),
				   &user->role))
			err = wq_fail(WQ_ERR_DB, N_("user %s has an unknown role"),
				      login);
	} else {
		err = wq_fail(WQ_ERR_UNKNOWN_USER,
			      N_("'%s' has no weiquan account; ask an "
			      "administrator to run 'weiquan user add %s "
			      "--role ROLE'"),
			      login, login);
	}
	wq_store_finalize(store, st);
	return err;
}

static enum wq_err insert_user(struct wq_store *store, const char *actor,
			       const char *login, enum wq_role role,
			       const char *name)
{
	sqlite3_stmt *st;
	enum wq_err err;
	char at[21];
	char *details;

	wq_time_format(wq_now(), at);
	err = wq_store_prepare(store,
			       "INSERT INTO users(login, role, name, created_at)"
			       " VALUES (?1, ?2, ?3, ?4)",
			       &st);
	if (err)
		return err;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, wq_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, name ? name : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(store->db) ==
		    SQLITE_CONSTRAINT_PRIMARYKEY)
			err = wq_fail(WQ_ERR_EXISTS, N_("user %s already exists"),
				      login);
		else
			err = wq_store_error(store, "add user");
	}
	wq_store_finalize(store, st);
	if (err)
		return err;

	/* The login is plain text a user chose: quote it through SQLite so
	 * the details stay valid JSON whatever it holds. */
	err = wq_store_prepare(store,
			       "SELECT json_object('login', ?1, 'role', ?2,"
			       " 'name', ?3)",
			       &st);
	if (err)
		return err;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, wq_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, name ? name : "", -1, SQLITE_STATIC);
	sqlite3_step(st);
	details = wq_strdup((const char *)sqlite3_column_text(st, 0));
	wq_store_finalize(store, st);
	err = wq_audit_append(store, actor, 0, "user-add", details, NULL);
	free(details);
	return err;
}

static bool valid_login(const char *login)
{
	size_t n = strlen(login);

	if (n == 0 || n >= 64)
		return false;
	for (const char *p = login; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
		      *p == '.'))
			return false;
	}
	return true;
}

enum wq_err wq_user_add(struct wq_store *store, const struct wq_user *actor,
			const char *login, enum wq_role role,
			const char *name)
{
	enum wq_err err;

	if (actor->role != WQ_ROLE_ADMIN)
		return wq_fail(WQ_ERR_DENIED, N_("only an admin can add users"));
	if (!valid_login(login))
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not a valid login (letters, digits, "
			       "'.', '_', '-')"),
			       login);
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = insert_user(store, actor->login, login, role, name);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

enum wq_err wq_user_bootstrap(struct wq_store *store, const char *login,
			      bool *created)
{
	sqlite3_stmt *st;
	enum wq_err err;
	int count = 0;

	*created = false;
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_store_prepare(store, "SELECT count(*) FROM users", &st);
	if (!err) {
		if (sqlite3_step(st) == SQLITE_ROW)
			count = sqlite3_column_int(st, 0);
		wq_store_finalize(store, st);
	}
	if (!err && count == 0) {
		err = insert_user(store, login, login, WQ_ROLE_ADMIN,
				  "first administrator");
		*created = !err;
	}
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}
