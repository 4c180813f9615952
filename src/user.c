#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "weiquan/audit.h"
#include "weiquan/encoding.h"
#include "weiquan/user.h"
#include "weiquan/wqtime.h"
#include "json_text.h"
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
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "SELECT role, name, active FROM users"
			       " WHERE login = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, login);
	if (wq_step(st) != WQ_ROW) {
		err = wq_fail(WQ_ERR_UNKNOWN_USER,
			      N_("'%s' has no weiquan account; ask an "
			      "administrator to run 'weiquan user add %s "
			      "--role ROLE'"),
			      login, login);
	} else if (!wq_column_int(st, 2)) {
		/* The account is kept for its history; only an
		 * administrator brings it back. */
		err = wq_fail(WQ_ERR_DISABLED,
			      N_("an administrator disabled the account '%s'; "
			      "only an administrator can enable it again "
			      "('weiquan user enable %s')"),
			      login, login);
	} else {
		memset(user, 0, sizeof(*user));
		snprintf(user->login, sizeof(user->login), "%s", login);
		snprintf(user->name, sizeof(user->name), "%s",
			 wq_column_text_or_null(st, 1));
		if (!wq_role_parse(wq_column_text_or_null(st, 0),
				   &user->role))
			err = wq_fail(WQ_ERR_DB, N_("user %s has an unknown role"),
				      login);
	}
	wq_store_finalize(store, st);
	return err;
}

static enum wq_err insert_user(struct wq_store *store, const char *actor,
			       const char *login, enum wq_role role,
			       const char *name)
{
	struct wq_stmt *st;
	enum wq_err err;
	char at[21];
	char *details;

	/* Checked here, before any write: PostgreSQL would refuse such
	 * text with its own words, and the audit event's JSON cannot hold
	 * it. */
	if (!wq_utf8_valid(login, strlen(login)) ||
	    (name && !wq_utf8_valid(name, strlen(name))))
		return wq_fail(WQ_ERR_INVALID,
			       N_("user %s: the login or name is not UTF-8"),
			       login);
	wq_time_format(wq_now(), at);
	err = wq_store_prepare(store,
			       "INSERT INTO users(login, role, name, created_at)"
			       " VALUES (?1, ?2, ?3, ?4)",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, login);
	wq_bind_text(st, 2, wq_role_name(role));
	wq_bind_text(st, 3, name ? name : "");
	wq_bind_text(st, 4, at);
	if (wq_step(st) != WQ_DONE) {
		if (wq_store_violated(store) == WQ_VIOLATED_UNIQUE)
			err = wq_fail(WQ_ERR_EXISTS, N_("user %s already exists"),
				      login);
		else
			err = wq_store_error(store, "add user");
	}
	wq_store_finalize(store, st);
	if (err)
		return err;

	/* The name is plain text a user chose: quoted so the details stay
	 * valid JSON whatever it holds, in the bytes they always had. */
	json_t *obj = json_object();

	wq_json_put(obj, "login", wq_json_str(login));
	wq_json_put(obj, "role", wq_json_str(wq_role_name(role)));
	wq_json_put(obj, "name", wq_json_str(name ? name : ""));
	details = wq_json_text(obj);
	json_decref(obj);
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

enum wq_err wq_user_list(struct wq_store *store, const struct wq_user *actor,
			 struct wq_user_entry **users, size_t *n)
{
	struct wq_stmt *st;
	enum wq_err err;
	size_t cap = 0;

	*users = NULL;
	*n = 0;
	if (actor->role != WQ_ROLE_ADMIN)
		return wq_fail(WQ_ERR_DENIED, N_("only an admin can list users"));
	err = wq_store_prepare(store,
			       "SELECT u.login, u.name, u.role, u.active,"
			       " u.created_at, coalesce(l.last_at, '')"
			       " FROM users u LEFT JOIN user_logins l"
			       " ON l.login = u.login ORDER BY u.login",
			       &st);
	if (err)
		return err;
	while (wq_step(st) == WQ_ROW) {
		struct wq_user_entry *u;

		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*users = wq_xrealloc(*users, cap * sizeof(**users));
		}
		u = &(*users)[(*n)++];
		memset(u, 0, sizeof(*u));
		snprintf(u->login, sizeof(u->login), "%s",
			 wq_column_text(st, 0));
		snprintf(u->name, sizeof(u->name), "%s", wq_column_text(st, 1));
		if (!wq_role_parse(wq_column_text(st, 2), &u->role))
			u->role = WQ_ROLE_DESK;
		u->active = wq_column_int(st, 3) != 0;
		snprintf(u->created_at, sizeof(u->created_at), "%s",
			 wq_column_text(st, 4));
		snprintf(u->last_login, sizeof(u->last_login), "%s",
			 wq_column_text(st, 5));
	}
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

/* Inside a write: the account's role and whether it is active. */
static enum wq_err account(struct wq_store *store, const char *login,
			   enum wq_role *role, bool *active)
{
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(
		store, "SELECT role, active FROM users WHERE login = ?1", &st);

	if (err)
		return err;
	wq_bind_text(st, 1, login);
	if (wq_step(st) == WQ_ROW) {
		if (!wq_role_parse(wq_column_text(st, 0), role))
			err = wq_fail(WQ_ERR_DB, N_("user %s has an unknown role"),
				      login);
		*active = wq_column_int(st, 1) != 0;
	} else {
		err = wq_fail(WQ_ERR_NOT_FOUND,
			      N_("'%s' has no weiquan account ('weiquan user "
			      "list' shows them)"),
			      login);
	}
	wq_store_finalize(store, st);
	return err;
}

/* Whether another active admin than login remains: the database must
 * keep one who can add, enable and change users. */
static enum wq_err other_admin(struct wq_store *store, const char *login,
			       bool *found)
{
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(
		store,
		"SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin'"
		" AND active = 1 AND login <> ?1)",
		&st);

	*found = false;
	if (err)
		return err;
	wq_bind_text(st, 1, login);
	if (wq_step(st) == WQ_ROW)
		*found = wq_column_int(st, 0) != 0;
	else
		err = wq_store_error(store, "users");
	wq_store_finalize(store, st);
	return err;
}

/* Runs sql (?1 login, ?2 value) and appends the event whose details are
 * details_sql's one JSON object (same parameters, ?3 the former value). */
/* Runs sql with ?1 the login and ?2 value (an integer or text, as the
 * column is), then records action with details (taken). */
static enum wq_err change_user(struct wq_store *store, const char *actor,
			       const char *login, const char *action,
			       const char *sql, const json_t *value,
			       json_t *details)
{
	struct wq_stmt *st;
	char *text;
	enum wq_err err = wq_store_prepare(store, sql, &st);

	if (err) {
		json_decref(details);
		return err;
	}
	wq_bind_text(st, 1, login);
	if (json_is_integer(value))
		wq_bind_int64(st, 2, json_integer_value(value));
	else
		wq_bind_text(st, 2, json_string_value(value));
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "users");
	wq_store_finalize(store, st);
	if (err) {
		json_decref(details);
		return err;
	}
	text = wq_json_text(details);
	json_decref(details);
	err = wq_audit_append(store, actor, 0, action, text, NULL);
	free(text);
	return err;
}

static enum wq_err end_write(struct wq_store *store, enum wq_err err)
{
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

enum wq_err wq_user_set_role(struct wq_store *store,
			     const struct wq_user *actor, const char *login,
			     enum wq_role role)
{
	enum wq_role was;
	bool active, another;
	enum wq_err err;

	if (actor->role != WQ_ROLE_ADMIN)
		return wq_fail(WQ_ERR_DENIED,
			       N_("only an admin can change a user's role"));
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = account(store, login, &was, &active);
	if (!err && was == role)
		err = wq_fail(WQ_ERR_INVALID, N_("%s is already %s"), login,
			      wq_role_name(role));
	if (!err && was == WQ_ROLE_ADMIN && active) {
		err = other_admin(store, login, &another);
		if (!err && !another)
			err = wq_fail(WQ_ERR_DENIED,
				      N_("%s is the last active admin; make "
				      "another user admin first"),
				      login);
	}
	if (!err)
	if (!err) {
		json_t *details = json_object();

		wq_json_put(details, "login", wq_json_str(login));
		wq_json_put(details, "role", wq_json_str(wq_role_name(role)));
		wq_json_put(details, "was", wq_json_str(wq_role_name(was)));
		err = change_user(store, actor->login, login, "user-role",
				  "UPDATE users SET role = ?2 WHERE login = ?1",
				  json_object_get(details, "role"), details);
	}
	return end_write(store, err);
}

enum wq_err wq_user_set_active(struct wq_store *store,
			       const struct wq_user *actor, const char *login,
			       bool active)
{
	enum wq_role role;
	bool was, another;
	enum wq_err err;

	if (actor->role != WQ_ROLE_ADMIN)
		return wq_fail(WQ_ERR_DENIED, active
					      ? N_("only an admin can enable a user")
					      : N_("only an admin can disable a "
						"user"));
	if (!active && strcmp(actor->login, login) == 0)
		return wq_fail(WQ_ERR_INVALID,
			       N_("an admin does not disable their own account; "
			       "another admin can"));
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = account(store, login, &role, &was);
	if (!err && was == active)
		err = wq_fail(WQ_ERR_INVALID,
			      active ? N_("%s is already enabled")
				     : N_("%s is already disabled"),
			      login);
	if (!err && !active && role == WQ_ROLE_ADMIN) {
		err = other_admin(store, login, &another);
		if (!err && !another)
			err = wq_fail(WQ_ERR_DENIED,
				      N_("%s is the last active admin"), login);
	}
	if (!err) {
		json_t *details = json_object();

		wq_json_put(details, "login", wq_json_str(login));
		wq_json_put(details, "active", json_integer(active ? 1 : 0));
		err = change_user(
			store, actor->login, login,
			active ? "user-enable" : "user-disable",
			"UPDATE users SET active = ?2 WHERE login = ?1",
			json_object_get(details, "active"), details);
	}
	return end_write(store, err);
}

enum wq_err wq_user_note_login(struct wq_store *store, const char *login)
{
	struct wq_stmt *st;
	char at[21];
	enum wq_err err = wq_store_begin_write(store);

	if (err)
		return err;
	wq_time_format(wq_now(), at);
	err = wq_store_prepare(store,
			       "INSERT INTO user_logins(login, last_at)"
			       " VALUES (?1, ?2) ON CONFLICT(login)"
			       " DO UPDATE SET last_at = excluded.last_at",
			       &st);
	if (!err) {
		wq_bind_text(st, 1, login);
		wq_bind_text(st, 2, at);
		if (wq_step(st) != WQ_DONE)
			err = wq_store_error(store, "last login");
		wq_store_finalize(store, st);
	}
	return end_write(store, err);
}

enum wq_err wq_user_bootstrap(struct wq_store *store, const char *login,
			      bool *created)
{
	struct wq_stmt *st;
	enum wq_err err;
	int count = 0;

	*created = false;
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_store_prepare(store, "SELECT count(*) FROM users", &st);
	if (!err) {
		if (wq_step(st) == WQ_ROW)
			count = wq_column_int(st, 0);
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
