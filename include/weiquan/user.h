/* weiquan: users, roles and the identity of this session.
 *
 * Identity is the Unix login of the process (SSH authenticated it); the users
 * table maps it to a role.  An unknown login is refused, never defaulted. */
#ifndef WEIQUAN_USER_H
#define WEIQUAN_USER_H

#include <stdbool.h>
#include <stddef.h>

#include "weiquan/store.h"

/* X(enum suffix, name, bit) */
#define WQ_ROLE_LIST(X)                                                       \
	X(DESK, "desk")                                                        \
	X(MEDIATOR, "mediator")                                                \
	X(SUPERVISOR, "supervisor")                                            \
	X(ADMIN, "admin")

enum wq_role {
#define WQ_ROLE_ENUM(id, name) WQ_ROLE_##id,
	WQ_ROLE_LIST(WQ_ROLE_ENUM)
#undef WQ_ROLE_ENUM
	WQ_ROLE_COUNT_
};

#define WQ_ROLE_BIT(r) (1u << (r))

struct wq_user {
	char login[64];
	char name[128];
	enum wq_role role;
};

const char *wq_role_name(enum wq_role role);
bool wq_role_parse(const char *name, enum wq_role *role);

/* The login of the real user running this process. */
enum wq_err wq_user_os_login(char *out, size_t size);

/* Looks an active user up; WQ_ERR_UNKNOWN_USER with a clear detail if the
 * login has no account, WQ_ERR_DISABLED if an administrator disabled it. */
enum wq_err wq_user_lookup(struct wq_store *store, const char *login,
			   struct wq_user *user);

/* Adds a user (admins only).  On a database with no users yet, the first
 * call makes its login an admin regardless of actor (that is `init`). */
enum wq_err wq_user_add(struct wq_store *store, const struct wq_user *actor,
			const char *login, enum wq_role role,
			const char *name);

/* One account as an administrator sees it (wq_user_list). */
struct wq_user_entry {
	char login[64];
	char name[128];
	enum wq_role role;
	bool active;
	char created_at[21];
	char last_login[21]; /* the console's last start, "" when unknown */
};

/* Every account, disabled ones included, by login (admins only);
 * *users malloc'd. */
enum wq_err wq_user_list(struct wq_store *store, const struct wq_user *actor,
			 struct wq_user_entry **users, size_t *n);

/* Gives login another role (admins only), with its audit event.  The last
 * active admin keeps the role, so the database never loses its admin. */
enum wq_err wq_user_set_role(struct wq_store *store,
			     const struct wq_user *actor, const char *login,
			     enum wq_role role);

/* Disables or enables an account (admins only), with its audit event.  A
 * disabled account stays in the history and keeps what it wrote; it can
 * no longer open the console or run a command.  No admin disables
 * themselves, nor the last active admin. */
enum wq_err wq_user_set_active(struct wq_store *store,
			       const struct wq_user *actor, const char *login,
			       bool active);

/* Records that login opened the console now (its own short write); not an
 * audit event, a courtesy for wq_user_list. */
enum wq_err wq_user_note_login(struct wq_store *store, const char *login);

/* Personal data is shown to the roles whose work needs it: the desk that
 * takes it from the consumer and reads it back, the mediator who calls the
 * parties (phone only: an ID number is no part of mediating), the
 * supervisor who checks identity (a false identity is a ground for not
 * accepting) and transfers cases, the admin who migrates data.  The same
 * rule masks the console, the command line and exports. */
bool wq_role_sees_phone(enum wq_role role);
bool wq_role_sees_id_number(enum wq_role role);

/* Makes login the first admin if the database has no users. */
enum wq_err wq_user_bootstrap(struct wq_store *store, const char *login,
			      bool *created);

#endif
