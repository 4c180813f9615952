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
 * login has no (active) account. */
enum wq_err wq_user_lookup(struct wq_store *store, const char *login,
			   struct wq_user *user);

/* Adds a user (admins only).  On a database with no users yet, the first
 * call makes its login an admin regardless of actor (that is `init`). */
enum wq_err wq_user_add(struct wq_store *store, const struct wq_user *actor,
			const char *login, enum wq_role role,
			const char *name);

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
