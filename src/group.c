#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/audit.h"
#include "weiquan/case.h"
#include "weiquan/group.h"
#include "weiquan/wqtime.h"
#include "case_internal.h"
#include "util.h"

bool wq_group_parse_id(const char *text, int64_t *group_id)
{
	char *end;
	long long v;

	if (!text)
		return false;
	if (*text == 'G' || *text == 'g')
		text++;
	if (*text < '0' || *text > '9')
		return false;
	v = strtoll(text, &end, 10);
	if (*end || v <= 0)
		return false;
	*group_id = v;
	return true;
}

static enum wq_err may_manage(const struct wq_user *actor)
{
	if (actor->role == WQ_ROLE_ADMIN)
		return wq_fail(WQ_ERR_DENIED,
			       N_("collective groups are for desks, mediators "
			       "and supervisors"));
	return WQ_ERR_OK;
}

static enum wq_err group_exists(struct wq_store *store, int64_t group_id)
{
	struct wq_stmt *st;
	enum wq_err err;
	bool found;

	err = wq_store_prepare(store, "SELECT 1 FROM case_groups WHERE id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, group_id);
	found = wq_step(st) == WQ_ROW;
	wq_store_finalize(store, st);
	return found ? WQ_ERR_OK
		     : wq_fail(WQ_ERR_NOT_FOUND, N_("no collective group G%" PRId64),
			       group_id);
}

enum wq_err wq_group_authorize(struct wq_store *store,
			       const struct wq_user *actor, int64_t group_id,
			       enum wq_case_op op)
{
	struct wq_stmt *st;
	enum wq_err err;
	bool allowed = false;

	err = group_exists(store, group_id);
	if (err || actor->role == WQ_ROLE_SUPERVISOR)
		return err;
	err = wq_store_prepare(store, "SELECT id FROM cases WHERE group_id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, group_id);
	while (!allowed && wq_step(st) == WQ_ROW) {
		err = wq_case_authorize(store, actor,
					wq_column_int64(st, 0), op);
		if (err && err != WQ_ERR_DENIED)
			break;
		allowed = !err;
	}
	wq_store_finalize(store, st);
	if (allowed)
		return WQ_ERR_OK;
	if (err && err != WQ_ERR_DENIED)
		return err;
	return wq_fail(WQ_ERR_DENIED,
		       op == WQ_CASE_READ
			       ? N_("G%" PRId64 " holds no case you may read: "
				    "only supervisors read any group")
			       : N_("G%" PRId64 " holds no case you may "
				    "change: only supervisors change any group"),
		       group_id);
}

/* Each member moves by its own ruling, so a refusal names the case. */
static enum wq_err rule_each(struct wq_store *store,
			     const struct wq_user *actor, const char *action,
			     const char *arg, const char *const *numbers,
			     int count)
{
	const char *argv[1] = {arg};
	struct wq_ruling r = {action, arg ? 1 : 0, argv, 0};
	enum wq_err err = WQ_ERR_OK;

	for (int i = 0; !err && i < count; i++) {
		int64_t case_id;

		err = wq_case_id_by_number(store, numbers[i], &case_id);
		if (!err)
			err = wq_rule_tx(store, actor, case_id, &r, NULL);
	}
	return err;
}

/* The merchant all the cases are against, once the actor may group each
 * of them (nothing is said about a case it may not). */
static enum wq_err common_merchant(struct wq_store *store,
				   const struct wq_user *actor,
				   const char *const *numbers, int count,
				   int64_t *merchant_id)
{
	struct wq_stmt *st;
	enum wq_err err = WQ_ERR_OK;
	int64_t case_id;

	*merchant_id = 0;
	for (int i = 0; !err && i < count; i++) {
		err = wq_case_id_by_number(store, numbers[i], &case_id);
		if (!err)
			err = wq_case_authorize(store, actor, case_id,
						WQ_CASE_GROUP);
	}
	if (!err)
		err = wq_store_prepare(store,
				       "SELECT merchant_id FROM cases"
				       " WHERE number = ?1",
				       &st);
	if (err)
		return err;
	for (int i = 0; !err && i < count; i++) {
		wq_bind_text(st, 1, numbers[i]);
		if (wq_step(st) != WQ_ROW) {
			err = wq_fail(WQ_ERR_NOT_FOUND, N_("no case %s"),
				      numbers[i]);
		} else {
			int64_t m = wq_column_int64(st, 0);

			if (*merchant_id && m != *merchant_id)
				err = wq_fail(WQ_ERR_INVALID,
					      N_("case %s is against another "
					      "merchant than %s: a collective "
					      "group is against one merchant"),
					      numbers[i], numbers[0]);
			*merchant_id = m;
		}
		wq_stmt_reset(st);
	}
	wq_store_finalize(store, st);
	return err;
}

enum wq_err wq_group_create(struct wq_store *store, const struct wq_user *actor,
			    const char *title, const char *facts,
			    const char *const *numbers, int count,
			    int64_t *group_id)
{
	struct wq_buf d = {0};
	char at[21], label[24];
	struct wq_stmt *st;
	int64_t merchant_id, id = 0;
	enum wq_err err;

	err = may_manage(actor);
	if (err)
		return err;
	if (!title || !*title)
		return wq_fail(WQ_ERR_INVALID, N_("a group needs a title"));
	err = case_check_utf8("title", title);
	if (!err)
		err = case_check_utf8("facts", facts);
	if (err)
		return err;
	if (count < 1)
		return wq_fail(WQ_ERR_INVALID,
			       N_("a group needs at least one case"));
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = common_merchant(store, actor, numbers, count, &merchant_id);
	if (!err) {
		wq_time_format(wq_now(), at);
		err = wq_store_prepare(store,
				       "INSERT INTO case_groups(title,"
				       " merchant_id, facts, created_by,"
				       " created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
				       " RETURNING id",
				       &st);
	}
	if (!err) {
		wq_bind_text(st, 1, title);
		wq_bind_int64(st, 2, merchant_id);
		wq_bind_text(st, 3, facts ? facts : "");
		wq_bind_text(st, 4, actor->login);
		wq_bind_text(st, 5, at);
		if (wq_step(st) != WQ_ROW)
			err = wq_store_error(store, "collective group");
		else
			id = wq_column_int64(st, 0);
		wq_store_finalize(store, st);
	}
	if (!err) {
		wq_buf_printf(&d, "{\"group\":%" PRId64 ",\"title\":", id);
		wq_buf_json_string(&d, title);
		wq_buf_printf(&d, ",\"merchant\":%" PRId64 ",\"facts\":",
			      merchant_id);
		wq_buf_json_string(&d, facts ? facts : "");
		wq_buf_puts(&d, "}");
		err = wq_audit_append(store, actor->login, 0, "group-create",
				      d.data, NULL);
		wq_buf_free(&d);
	}
	if (!err) {
		snprintf(label, sizeof(label), "G%" PRId64, id);
		err = rule_each(store, actor, "join-group", label, numbers,
				count);
	}
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	err = wq_store_commit(store);
	if (!err && group_id)
		*group_id = id;
	return err;
}

enum wq_err wq_group_join(struct wq_store *store, const struct wq_user *actor,
			  int64_t group_id, const char *const *numbers,
			  int count)
{
	char label[24];
	enum wq_err err;

	err = may_manage(actor);
	if (err)
		return err;
	snprintf(label, sizeof(label), "G%" PRId64, group_id);
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = rule_each(store, actor, "join-group", label, numbers, count);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

enum wq_err wq_group_leave(struct wq_store *store, const struct wq_user *actor,
			   const char *const *numbers, int count)
{
	enum wq_err err;

	err = may_manage(actor);
	if (err)
		return err;
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = rule_each(store, actor, "leave-group", NULL, numbers, count);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

enum wq_err wq_group_evidence_add_tx(struct wq_store *store,
				     const struct wq_user *actor,
				     int64_t group_id, const char *kind,
				     const char *file_name, const void *bytes,
				     size_t len, const char *enc_name,
				     int64_t *evidence_id)
{
	enum wq_err err = may_manage(actor);

	if (!err)
		err = wq_group_authorize(store, actor, group_id,
					 WQ_CASE_EVIDENCE);
	if (err)
		return err;
	return case_evidence_add(store, actor, 0, group_id, kind,
				 "complainant", file_name, bytes, len, enc_name,
				 evidence_id);
}

enum wq_err wq_group_set_facts(struct wq_store *store,
			       const struct wq_user *actor, int64_t group_id,
			       const char *facts)
{
	struct wq_buf d = {0};
	struct wq_stmt *st;
	enum wq_err err;

	err = may_manage(actor);
	if (!err)
		err = case_check_utf8("facts", facts);
	if (err)
		return err;
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_group_authorize(store, actor, group_id, WQ_CASE_CHANGE);
	if (!err)
		err = wq_store_prepare(store,
				       "UPDATE case_groups SET facts = ?2"
				       " WHERE id = ?1",
				       &st);
	if (!err) {
		wq_bind_int64(st, 1, group_id);
		wq_bind_text(st, 2, facts ? facts : "");
		if (wq_step(st) != WQ_DONE)
			err = wq_store_error(store, "collective group");
		wq_store_finalize(store, st);
	}
	if (!err) {
		wq_buf_printf(&d, "{\"group\":%" PRId64 ",\"facts\":",
			      group_id);
		wq_buf_json_string(&d, facts ? facts : "");
		wq_buf_puts(&d, "}");
		err = wq_audit_append(store, actor->login, 0, "group-facts",
				      d.data, NULL);
		wq_buf_free(&d);
	}
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

/* ---- representatives and consent ---- */

static const char *const consent_actions[] = {
	WQ_CONSENT_ACTION_LIST(WQ_CODE) NULL};

/* The id of case `number` if it is a member of the group. */
static enum wq_err member_id(struct wq_store *store, int64_t group_id,
			     const char *number, int64_t *case_id)
{
	struct wq_stmt *st;
	enum wq_err err;
	int64_t in_group = -1;

	err = wq_case_id_by_number(store, number, case_id);
	if (err)
		return err;
	err = wq_store_prepare(store,
			       "SELECT coalesce(group_id, 0) FROM cases"
			       " WHERE id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, *case_id);
	if (wq_step(st) == WQ_ROW)
		in_group = wq_column_int64(st, 0);
	wq_store_finalize(store, st);
	if (in_group != group_id)
		return wq_fail(WQ_ERR_INVALID,
			       N_("case %s is not a member of G%" PRId64),
			       number, group_id);
	return WQ_ERR_OK;
}

/* Runs one change to a member's standing in the group (sql: ?1 group,
 * ?2 case, ?3 actor, ?4 time, ?5 and ?6 as the caller binds them) and its
 * audit event, in one write. */
static enum wq_err member_change(struct wq_store *store,
				 const struct wq_user *actor, int64_t group_id,
				 const char *number, const char *sql,
				 const char *a5, const char *a6,
				 const char *event, const char *details,
				 int max_per_group, const char *count_sql)
{
	struct wq_stmt *st;
	enum wq_err err;
	int64_t case_id;
	char at[21];

	err = may_manage(actor);
	if (err)
		return err;
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_group_authorize(store, actor, group_id, WQ_CASE_CHANGE);
	if (!err)
		err = member_id(store, group_id, number, &case_id);
	if (!err)
		err = wq_case_authorize(store, actor, case_id, WQ_CASE_CHANGE);
	wq_time_format(wq_now(), at);
	if (!err)
		err = wq_store_prepare(store, sql, &st);
	if (!err) {
		wq_bind_int64(st, 1, group_id);
		wq_bind_int64(st, 2, case_id);
		wq_bind_text(st, 3, actor->login);
		wq_bind_text(st, 4, at);
		if (a5)
			wq_bind_text(st, 5, a5);
		if (a6)
			wq_bind_text(st, 6, a6);
		if (wq_step(st) != WQ_DONE)
			err = wq_store_error(store, "collective group");
		wq_store_finalize(store, st);
	}
	if (!err && count_sql) {
		int n = 0;

		err = wq_store_prepare(store, count_sql, &st);
		if (!err) {
			wq_bind_int64(st, 1, group_id);
			if (wq_step(st) == WQ_ROW)
				n = wq_column_int(st, 0);
			wq_store_finalize(store, st);
			if (n > max_per_group)
				err = wq_fail(WQ_ERR_INVALID,
					      N_("G%" PRId64 " has %d "
						 "representatives already"),
					      group_id, max_per_group);
		}
	}
	if (!err)
		err = wq_audit_append(store, actor->login, case_id, event,
				      details, NULL);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

enum wq_err wq_group_representative(struct wq_store *store,
				    const struct wq_user *actor,
				    int64_t group_id, const char *number,
				    bool on)
{
	char *details = wq_asprintf("{\"group\":%" PRId64 ",\"on\":%s}",
				    group_id, on ? "true" : "false");
	enum wq_err err = member_change(
		store, actor, group_id, number,
		on ? "INSERT INTO group_representatives(group_id,"
		     " case_id, recorded_by, at) VALUES (?1, ?2, ?3, ?4)"
		     " ON CONFLICT DO NOTHING"
		   : "DELETE FROM group_representatives WHERE group_id = ?1"
		     " AND case_id = ?2 AND CAST(?3 AS TEXT) IS NOT NULL"
		     " AND CAST(?4 AS TEXT) IS NOT NULL",
		NULL, NULL, "group-representative", details,
		WQ_GROUP_REPRESENTATIVES_MAX,
		on ? "SELECT count(*) FROM group_representatives"
		     " WHERE group_id = ?1"
		   : NULL);

	free(details);
	return err;
}

enum wq_err wq_group_consent(struct wq_store *store,
			     const struct wq_user *actor, int64_t group_id,
			     const char *number, const char *action, bool on,
			     const char *note)
{
	struct wq_buf d = {0};
	enum wq_err err;
	bool known = false;

	for (int i = 0; consent_actions[i]; i++)
		known |= action && strcmp(action, consent_actions[i]) == 0;
	if (!known)
		return wq_fail(
		    WQ_ERR_INVALID,
		    N_("'%s' is no group ruling that needs the members' "
		       "consent (settle, withdraw, agree)"),
		    action ? action : "");
	if (!note)
		note = "";
	err = case_check_utf8("note", note);
	if (err)
		return err;
	wq_buf_printf(&d, "{\"group\":%" PRId64 ",\"ruling\":\"%s\","
			  "\"on\":%s,\"note\":",
		      group_id, action, on ? "true" : "false");
	wq_buf_json_string(&d, note);
	wq_buf_puts(&d, "}");
	err = member_change(
		store, actor, group_id, number,
		on ? "INSERT INTO group_consents(group_id, case_id, action,"
		     " note, recorded_by, at) VALUES (?1, ?2, ?5, ?6, ?3, ?4)"
		     " ON CONFLICT(group_id, case_id, action) DO UPDATE SET"
		     " note = ?6, recorded_by = ?3, at = ?4"
		   : "DELETE FROM group_consents WHERE group_id = ?1"
		     " AND case_id = ?2 AND action = ?5"
		     " AND CAST(?3 AS TEXT) IS NOT NULL"
		     " AND CAST(?4 AS TEXT) IS NOT NULL"
		     " AND CAST(?6 AS TEXT) IS NOT NULL",
		action, note, "group-consent", d.data, 0, NULL);
	wq_buf_free(&d);
	return err;
}

/* Whether the member consented to the group ruling `action` for it; a
 * ruling that needs no consent needs nothing. */
static enum wq_err consent_missing(struct wq_store *store, int64_t group_id,
				   int64_t case_id, const char *action,
				   bool *missing)
{
	struct wq_stmt *st;
	enum wq_err err;
	bool needed = false;

	*missing = false;
	for (int i = 0; consent_actions[i]; i++)
		needed |= strcmp(action, consent_actions[i]) == 0;
	if (!needed)
		return WQ_ERR_OK;
	err = wq_store_prepare(store,
			       "SELECT 1 FROM group_consents WHERE group_id = ?1"
			       " AND case_id = ?2 AND action = ?3",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, group_id);
	wq_bind_int64(st, 2, case_id);
	wq_bind_text(st, 3, action);
	*missing = wq_step(st) != WQ_ROW;
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

#define GROUP_COLUMNS                                                          \
	"SELECT g.id, g.title, g.facts, coalesce(m.name, ''),"                  \
	" coalesce(g.merchant_id, 0), g.created_by, g.created_at,"             \
	" (SELECT count(*) FROM cases c WHERE c.group_id = g.id),"             \
	" (SELECT count(*) FROM cases c WHERE c.group_id = g.id"               \
	"  AND c.status <> 'closed')"                                           \
	" FROM case_groups g LEFT JOIN merchants m ON m.id = g.merchant_id"

static void read_group(struct wq_stmt *st, struct wq_group *g)
{
	g->id = wq_column_int64(st, 0);
	g->title = wq_strdup(wq_column_text(st, 1));
	g->facts = wq_strdup(wq_column_text(st, 2));
	g->merchant = wq_strdup(wq_column_text(st, 3));
	g->merchant_id = wq_column_int64(st, 4);
	snprintf(g->created_by, sizeof(g->created_by), "%s",
		 wq_column_text(st, 5));
	snprintf(g->created_at, sizeof(g->created_at), "%s",
		 wq_column_text(st, 6));
	g->members = wq_column_int64(st, 7);
	g->open_members = wq_column_int64(st, 8);
}

enum wq_err wq_group_load(struct wq_store *store, const struct wq_user *actor,
			  int64_t group_id, struct wq_group *group)
{
	struct wq_stmt *st;
	enum wq_err err;

	memset(group, 0, sizeof(*group));
	err = wq_group_authorize(store, actor, group_id, WQ_CASE_READ);
	if (!err)
		err = wq_store_prepare(store, GROUP_COLUMNS " WHERE g.id = ?1",
				       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, group_id);
	if (wq_step(st) == WQ_ROW)
		read_group(st, group);
	else
		err = wq_fail(WQ_ERR_NOT_FOUND,
			      N_("no collective group G%" PRId64), group_id);
	wq_store_finalize(store, st);
	return err;
}

void wq_group_free(struct wq_group *group)
{
	free(group->title);
	free(group->facts);
	free(group->merchant);
	memset(group, 0, sizeof(*group));
}

enum wq_err wq_group_list(struct wq_store *store, int64_t merchant_id,
			  struct wq_group **groups, size_t *count)
{
	struct wq_group *v = NULL;
	size_t n = 0, cap = 0;
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	*groups = NULL;
	*count = 0;
	err = wq_store_prepare(store,
			       GROUP_COLUMNS " WHERE ?1 = 0 OR g.merchant_id = ?1"
					     " ORDER BY g.id DESC",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, merchant_id);
	while ((rc = wq_step(st)) == WQ_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			v = wq_xrealloc(v, cap * sizeof(*v));
		}
		read_group(st, &v[n++]);
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "collective groups");
	wq_store_finalize(store, st);
	if (err) {
		wq_group_list_free(v, n);
		return err;
	}
	*groups = v;
	*count = n;
	return WQ_ERR_OK;
}

void wq_group_list_free(struct wq_group *groups, size_t count)
{
	for (size_t i = 0; i < count; i++)
		wq_group_free(&groups[i]);
	free(groups);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The space-separated words of list in byte order, into out. */
static void sorted_words(const char *list, char *out, size_t size)
{
	char *copy = wq_strdup(list), *save = NULL, *word;
	char **words = NULL;
	size_t n = 0, used = 0;

	for (word = strtok_r(copy, " ", &save); word;
	     word = strtok_r(NULL, " ", &save)) {
		words = wq_xrealloc(words, (n + 1) * sizeof(*words));
		words[n++] = word;
	}
	if (n)
		qsort(words, n, sizeof(*words), by_text);
	*out = '\0';
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s",
					 i ? " " : "", words[i]);
	free(words);
	free(copy);
}

enum wq_err wq_group_members(struct wq_store *store,
			     const struct wq_user *actor, int64_t group_id,
			     struct wq_group_member **members, size_t *count)
{
	struct wq_group_member *v = NULL;
	size_t n = 0, cap = 0;
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	*members = NULL;
	*count = 0;
	/* Only the members the actor may read, as the case list does. */
	err = wq_group_authorize(store, actor, group_id, WQ_CASE_READ);
	if (!err)
		err = wq_store_prepare(store,
				       "SELECT id, version, amount_fen, number,"
				       " status, coalesce(assignee, ''),"
				       " received_at, EXISTS (SELECT 1 FROM"
				       " group_representatives r WHERE"
				       " r.group_id = ?1 AND"
				       " r.case_id = cases.id),"
				       " (SELECT group_concat(action, ' ') FROM"
				       " group_consents k WHERE k.group_id = ?1"
				       " AND k.case_id = cases.id)"
				       " FROM cases"
				       " WHERE group_id = ?1 ORDER BY number",
				       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, group_id);
	while ((rc = wq_step(st)) == WQ_ROW) {
		struct wq_group_member *m;
		enum wq_err may = wq_case_authorize(
			store, actor, wq_column_int64(st, 0), WQ_CASE_READ);

		if (may == WQ_ERR_DENIED)
			continue;
		if (may) {
			err = may;
			break;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			v = wq_xrealloc(v, cap * sizeof(*v));
		}
		m = &v[n++];
		m->case_id = wq_column_int64(st, 0);
		m->version = wq_column_int64(st, 1);
		m->amount_fen = wq_column_int64(st, 2);
		snprintf(m->number, sizeof(m->number), "%s",
			 wq_column_text(st, 3));
		snprintf(m->status, sizeof(m->status), "%s",
			 wq_column_text(st, 4));
		snprintf(m->assignee, sizeof(m->assignee), "%s",
			 wq_column_text(st, 5));
		snprintf(m->received_at, sizeof(m->received_at), "%s",
			 wq_column_text(st, 6));
		m->representative = wq_column_int(st, 7) != 0;
		/* group_concat() keeps no order on either database. */
		sorted_words(wq_column_text(st, 8), m->consents,
			     sizeof(m->consents));
	}
	if (!err && rc != WQ_DONE)
		err = wq_store_error(store, "collective group members");
	wq_store_finalize(store, st);
	if (err) {
		free(v);
		return err;
	}
	*members = v;
	*count = n;
	return WQ_ERR_OK;
}

static const struct wq_group_member *
expected(const struct wq_group_member *expect, size_t nexpect, int64_t case_id)
{
	for (size_t i = 0; i < nexpect; i++)
		if (expect[i].case_id == case_id)
			return &expect[i];
	return NULL;
}

enum wq_err wq_group_ready(struct wq_store *store, const struct wq_user *actor,
			   int64_t group_id, const char *action)
{
	struct wq_group_member *members = NULL;
	enum wq_err err, first = WQ_ERR_OK;
	char why[256] = "";
	size_t n = 0;
	bool fits = false;

	if (strcmp(action, "join-group") == 0 ||
	    strcmp(action, "leave-group") == 0)
		return wq_fail(
		    WQ_ERR_INVALID,
		    N_("'%s' is done per case, not for the whole group"),
		    wq_code_label("action", action));
	err = wq_group_members(store, actor, group_id, &members, &n);
	if (err)
		return err;
	for (size_t i = 0; i < n && !fits && !err; i++) {
		bool missing;

		err = consent_missing(store, group_id, members[i].case_id,
				      action, &missing);
		if (err)
			break;
		if (missing) {
			err =
			    wq_fail(WQ_ERR_DENIED,
				    N_("no recorded consent of this member to "
				       "'%s' for it (group consent)"),
				    wq_code_label("action", action));
		} else {
			wq_err_clear();
			err = wq_rule_ready(store, actor, members[i].case_id,
					    action);
			fits = !err;
		}
		if (err && err != WQ_ERR_BUSY && err != WQ_ERR_DB &&
		    err != WQ_ERR_NOMEM) {
			/* One member's refusal: the next may fit. */
			if (!first) {
				first = err;
				snprintf(why, sizeof(why), "%s",
					 wq_err_detail());
			}
			err = WQ_ERR_OK;
		}
	}
	free(members);
	if (err || fits)
		return err;
	if (!n)
		return wq_fail(
		    WQ_ERR_NOT_FOUND,
		    N_("collective group G%" PRId64 " has no members"),
		    group_id);
	wq_fail(first, "%s", why);
	return first;
}

enum wq_err wq_group_rule(struct wq_store *store, const struct wq_user *actor,
			  int64_t group_id, const struct wq_ruling *r,
			  const struct wq_group_member *expect, size_t nexpect,
			  bool preview, struct wq_group_outcome **outcomes,
			  size_t *count)
{
	struct wq_group_member *members = NULL;
	struct wq_group_outcome *out;
	size_t n = 0, k = 0;
	enum wq_err err;

	*outcomes = NULL;
	*count = 0;
	if (strcmp(r->action, "join-group") == 0 ||
	    strcmp(r->action, "leave-group") == 0)
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is done per case, not for the whole group"),
			       r->action);
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_group_members(store, actor, group_id, &members, &n);
	if (!err && n == 0)
		err = wq_fail(WQ_ERR_NOT_FOUND,
			      N_("collective group G%" PRId64 " has no members"),
			      group_id);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	out = wq_xcalloc(n, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const struct wq_group_member *m = &members[i];
		const struct wq_group_member *seen = NULL;
		struct wq_group_outcome *o = &out[k];
		struct wq_ruling one = *r;
		size_t mark;

		if (expect) {
			seen = expected(expect, nexpect, m->case_id);
			if (!seen)
				continue; /* joined after the preview */
		}
		k++;
		o->case_id = m->case_id;
		o->version_before = m->version;
		snprintf(o->number, sizeof(o->number), "%s", m->number);
		snprintf(o->status_before, sizeof(o->status_before), "%s",
			 m->status);
		one.expect_version = seen ? seen->version : 0;
		{
			bool missing;

			o->err = consent_missing(store, group_id, m->case_id,
						 r->action, &missing);
			if (!o->err && missing) {
				/* Left out, never settled or withdrawn
				 * for a member who did not agree to it. */
				o->err = wq_fail(
				    WQ_ERR_DENIED,
				    N_("no recorded consent of this member to "
				       "'%s' for it (group consent)"),
				    wq_code_label("action", r->action));
				snprintf(o->why, sizeof(o->why), "%s",
					 wq_err_detail());
				continue;
			}
			if (o->err) {
				err = o->err;
				break;
			}
		}
		mark = wq_store_savepoint(store);
		o->err = wq_rule_tx(store, actor, m->case_id, &one, &o->result);
		if (o->err) {
			snprintf(o->why, sizeof(o->why), "%s",
				 *wq_err_detail()
				     ? wq_err_detail()
				     : wq_text(wq_strerror(o->err)));
			wq_store_undo_to(store, mark);
		} else {
			wq_store_keep(store);
		}
		if (o->err == WQ_ERR_BUSY || o->err == WQ_ERR_DB ||
		    o->err == WQ_ERR_NOMEM) {
			err = o->err;
			break;
		}
	}
	free(members);
	if (preview || err)
		wq_store_rollback(store);
	else
		err = wq_store_commit(store);
	if (err) {
		free(out);
		return err;
	}
	*outcomes = out;
	*count = k;
	return WQ_ERR_OK;
}
