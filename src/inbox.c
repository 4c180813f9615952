/* The inbox (weiquan/inbox.h). */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "weiquan/calendar.h"
#include "weiquan/clock.h"
#include "weiquan/inbox.h"
#include "weiquan/wqtime.h"
#include "case_internal.h"

/* The items are kept by the database (inbox_items, schema version 19):
 * each event by someone else on a case assigned to the user, from the
 * event that made it theirs on; inbox_counts holds each user's unread
 * ones.  A list is a range of inbox_items_by_login, newest first. */

#define INBOX_LIST_SQL                                                         \
	"SELECT e.id, e.at, c.number, e.action, e.actor, e.details"            \
	" FROM inbox_items i JOIN events e ON e.id = i.event_id"               \
	" JOIN cases c ON c.id = i.case_id"                                    \
	" WHERE i.login = ?1 AND i.read = ?2"                                  \
	" ORDER BY i.event_id DESC LIMIT ?3"

/* A JSON value as the item shows it: a string as it is, a number or a
 * truth as its digits (1 or 0), anything else as its JSON text, nothing
 * as "". */
static char *json_as_text(const json_t *v)
{
	char *text;

	if (!v || json_is_null(v))
		return wq_strdup("");
	if (json_is_string(v))
		return wq_strdup(json_string_value(v));
	if (json_is_integer(v))
		return wq_asprintf("%" JSON_INTEGER_FORMAT,
				   json_integer_value(v));
	if (json_is_real(v))
		return wq_asprintf("%g", json_real_value(v));
	if (json_is_boolean(v))
		return wq_strdup(json_is_true(v) ? "1" : "0");
	text = json_dumps(v, JSON_COMPACT);
	if (!text)
		return wq_strdup("");
	{
		char *copy = wq_strdup(text);

		free(text);
		return copy;
	}
}

/* What the item says: a ruling's last argument (the send-back's comment,
 * the new assignee...), a statement's text, a file's name, what was said
 * in a contact.  Read from the event's details here, not in SQL: an
 * array's element is no path both databases read alike. */
static char *item_comment(const char *action, const char *details)
{
	json_t *root = json_loads(details ? details : "", JSON_ALLOW_NUL, NULL);
	const json_t *argv = json_object_get(
	    json_object_get(root, "args"), "argv");
	const json_t *v;
	size_t n = json_array_size(argv);
	char *text;

	if (strcmp(action, "evidence") == 0 ||
	    strcmp(action, "group-evidence") == 0)
		v = json_object_get(root, "file_name");
	else if (strcmp(action, "statement") == 0)
		v = json_array_get(argv, 1);
	else if (strcmp(action, "contact") == 0)
		v = json_array_get(argv, 2);
	else
		v = n ? json_array_get(argv, n - 1) : NULL;
	text = json_as_text(v);
	json_decref(root);
	return text;
}

static enum wq_err list_some(struct wq_store *store, const char *login,
			     bool read, size_t most, struct wq_inbox *inbox)
{
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	err = wq_store_prepare(store, INBOX_LIST_SQL, &st);
	if (err)
		return err;
	wq_bind_text(st, 1, login);
	wq_bind_int64(st, 2, read);
	wq_bind_int64(st, 3, (int64_t)(most - inbox->n));
	while ((rc = wq_step(st)) == WQ_ROW) {
		struct wq_inbox_item *it;

		inbox->v = wq_xrealloc(inbox->v, (inbox->n + 1) * sizeof(*it));
		it = &inbox->v[inbox->n++];
		memset(it, 0, sizeof(*it));
		it->event_id = wq_column_int64(st, 0);
		snprintf(it->at, sizeof(it->at), "%s", wq_column_text(st, 1));
		snprintf(it->number, sizeof(it->number), "%s",
			 wq_column_text(st, 2));
		snprintf(it->action, sizeof(it->action), "%s",
			 wq_column_text(st, 3));
		snprintf(it->actor, sizeof(it->actor), "%s",
			 wq_column_text(st, 4));
		it->comment =
		    item_comment(it->action, wq_column_text(st, 5));
		it->read = read;
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "inbox");
	wq_store_finalize(store, st);
	return err;
}

enum wq_err wq_inbox_list_first(struct wq_store *store,
				const struct wq_user *actor, bool all,
				size_t most, struct wq_inbox *inbox)
{
	enum wq_err err = WQ_ERR_OK;

	memset(inbox, 0, sizeof(*inbox));
	if (most > WQ_INBOX_MAX)
		most = WQ_INBOX_MAX;
	if (most > 0)
		err = list_some(store, actor->login, false, most, inbox);
	if (!err && all && inbox->n < most)
		err = list_some(store, actor->login, true, most, inbox);
	if (err)
		wq_inbox_free(inbox);
	return err;
}

enum wq_err wq_inbox_list(struct wq_store *store, const struct wq_user *actor,
			  bool all, struct wq_inbox *inbox)
{
	return wq_inbox_list_first(store, actor, all, WQ_INBOX_MAX, inbox);
}

void wq_inbox_free(struct wq_inbox *inbox)
{
	for (size_t i = 0; i < inbox->n; i++)
		free(inbox->v[i].comment);
	free(inbox->v);
	memset(inbox, 0, sizeof(*inbox));
}

enum wq_err wq_inbox_unread(struct wq_store *store, const struct wq_user *actor,
			    int *count)
{
	struct wq_stmt *st;
	enum wq_err err;
	int64_t n = 0;
	int rc;

	*count = 0;
	err = wq_store_prepare(store,
			       "SELECT unread FROM inbox_counts WHERE login = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, actor->login);
	rc = wq_step(st);
	if (rc == WQ_ROW)
		n = wq_column_int64(st, 0);
	else if (rc != WQ_DONE)
		err = wq_store_error(store, "inbox");
	wq_store_finalize(store, st);
	*count = n < 0 ? 0 : n > WQ_INBOX_MAX ? WQ_INBOX_MAX : (int)n;
	return err;
}

static enum wq_err mark_one(struct wq_store *store, const char *login,
			    int64_t event_id)
{
	static const char *const sql[] = {
	    "SELECT 1 FROM inbox_items WHERE event_id = ?2 AND login = ?1",
	    "UPDATE inbox_items SET read = 1"
	    " WHERE event_id = ?2 AND login = ?1 AND read = 0",
	};
	enum wq_err err = WQ_ERR_OK;

	for (size_t i = 0; !err && i < sizeof(sql) / sizeof(sql[0]); i++) {
		struct wq_stmt *st;
		int rc;

		err = wq_store_prepare(store, sql[i], &st);
		if (err)
			break;
		wq_bind_text(st, 1, login);
		wq_bind_int64(st, 2, event_id);
		rc = wq_step(st);
		if (i == 0 && rc == WQ_DONE)
			err = wq_fail(WQ_ERR_NOT_FOUND,
				      N_("event %lld is not in the inbox of %s"),
				      (long long)event_id, login);
		else if (rc != (i == 0 ? WQ_ROW : WQ_DONE))
			err = wq_store_error(store, "inbox read");
		wq_store_finalize(store, st);
	}
	return err;
}

static enum wq_err mark_all(struct wq_store *store, const char *login)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "UPDATE inbox_items SET read = 1"
			       " WHERE login = ?1 AND read = 0",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, login);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "inbox read");
	wq_store_finalize(store, st);
	return err;
}

enum wq_err wq_inbox_mark_read(struct wq_store *store,
			       const struct wq_user *actor, int64_t event_id)
{
	enum wq_err err = wq_store_begin_write(store);

	if (err)
		return err;
	err = event_id > 0 ? mark_one(store, actor->login, event_id)
			   : mark_all(store, actor->login);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

/* Each kind of deadline by its own index, each kind's first rows alone:
 * the running clocks by cases_open_by_assignee_due (assignee, due_on, id;
 * the open cases), the follow-ups by follow_ups_by_assignee (each open
 * case's latest contact's, kept by the database), the performance dates
 * by performance_due_by_assignee (assignee, due_on, number; schema 35:
 * the range reads no row, of its table or of the cases).  Each branch is
 * ordered and limited itself, so each is an index range that stops at
 * the most the list shows: with the order and the limit on the union
 * alone, PostgreSQL read every branch whole (all of a mediator's overdue
 * cases at a million) and sorted them for one screenful. */
#define INBOX_DUE_SQL                                                          \
	"SELECT * FROM (SELECT c.number, c.clock, c.due_on, " DUE_VERIFIED     \
	" AS verified FROM cases c"                                            \
	" WHERE c.assignee = ?1 AND c.status <> 'closed' AND c.clock <> ''"    \
	" AND c.due_on <= ?2 AND json_extract(c.clocks, '$.' || c.clock ||"    \
	" '.paused') IS NULL ORDER BY c.due_on, c.number LIMIT ?3) AS clocks"  \
	" UNION ALL SELECT * FROM (SELECT c.number, 'follow-up', f.due_on, 1"  \
	" FROM follow_ups f"                                                   \
	" JOIN cases c ON c.id = f.case_id WHERE f.assignee = ?1"              \
	" AND f.due_on BETWEEN '0' AND ?2 AND c.status <> 'closed'"            \
	" ORDER BY f.due_on, c.number LIMIT ?3) AS follow_up"                  \
	" UNION ALL SELECT * FROM (SELECT p.number, 'performance', p.due_on, 1" \
	" FROM performance_due p WHERE p.assignee = ?1 AND p.due_on <= ?2"     \
	" ORDER BY p.due_on, p.number LIMIT ?3) AS performance"                \
	" ORDER BY 3, 1 LIMIT ?3"

/* The last day "due" reaches: the end of the next working day. */
static void due_by(const struct wq_calendar *cal, int today, char by[11])
{
	bool uncertain = false;

	wq_date_format(cal ? wq_cal_add_workdays(cal, today, 1, &uncertain)
			   : today + 1,
		       by);
}

enum wq_err wq_inbox_due_first(struct wq_store *store,
			       const struct wq_user *actor, size_t most,
			       struct wq_inbox_due **due, size_t *count)
{
	const struct wq_calendar *cal = wq_clock_calendar(store);
	int today = wq_local_day(wq_now());
	char by[11];
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	*due = NULL;
	*count = 0;
	due_by(cal, today, by);
	err = wq_store_prepare(store, INBOX_DUE_SQL, &st);
	if (err)
		return err;
	wq_bind_text(st, 1, actor->login);
	wq_bind_text(st, 2, by);
	wq_bind_int64(st, 3, most < WQ_INBOX_MAX ? (int64_t)most : WQ_INBOX_MAX);
	while ((rc = wq_step(st)) == WQ_ROW) {
		struct wq_inbox_due *d;
		const struct wq_statute_clock *statute;
		int day;

		*due = wq_xrealloc(*due, (*count + 1) * sizeof(**due));
		d = &(*due)[(*count)++];
		memset(d, 0, sizeof(*d));
		snprintf(d->number, sizeof(d->number), "%s",
			 wq_column_text(st, 0));
		snprintf(d->what, sizeof(d->what), "%s",
			 wq_column_text(st, 1));
		snprintf(d->due_on, sizeof(d->due_on), "%s",
			 wq_column_text(st, 2));
		if (cal && wq_date_parse(d->due_on, &day))
			d->days_left = wq_cal_workdays_between(cal, today, day,
							       &d->uncertain);
		statute = wq_statute_clock(d->what);
		d->unverified = statute ? !statute->verified
					: wq_column_int(st, 3) == 0;
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "inbox due");
	wq_store_finalize(store, st);
	if (err) {
		free(*due);
		*due = NULL;
		*count = 0;
	}
	return err;
}

enum wq_err wq_inbox_due(struct wq_store *store, const struct wq_user *actor,
			 struct wq_inbox_due **due, size_t *count)
{
	return wq_inbox_due_first(store, actor, WQ_INBOX_MAX, due, count);
}

/* INBOX_DUE_SQL's rows counted without reading them: the clocks from
 * inbox_due_counts (kept by the database, schema version 21, a row per
 * day), the follow-ups and performance dates as index ranges that stop
 * at the most the list shows (follow_ups holds open cases alone, and a
 * performance_due row always has its case). */
#define INBOX_DUE_COUNT_SQL                                                    \
	"SELECT (SELECT coalesce(sum(n), 0) FROM inbox_due_counts"            \
	" WHERE assignee = ?1 AND due_on <= ?2),"                              \
	" (SELECT count(*) FROM (SELECT 1 FROM follow_ups f"                   \
	" WHERE f.assignee = ?1 AND f.due_on BETWEEN '0' AND ?2 LIMIT ?3)"     \
	" AS follow_up),"                                                       \
	" (SELECT count(*) FROM (SELECT 1 FROM performance_due p"              \
	" WHERE p.assignee = ?1 AND p.due_on <= ?2 LIMIT ?3) AS performance)"

enum wq_err wq_inbox_due_count(struct wq_store *store,
			       const struct wq_user *actor, size_t *count)
{
	char by[11];
	struct wq_stmt *st;
	enum wq_err err;
	int64_t n = 0;

	*count = 0;
	due_by(wq_clock_calendar(store), wq_local_day(wq_now()), by);
	err = wq_store_prepare(store, INBOX_DUE_COUNT_SQL, &st);
	if (err)
		return err;
	wq_bind_text(st, 1, actor->login);
	wq_bind_text(st, 2, by);
	wq_bind_int64(st, 3, WQ_INBOX_MAX);
	if (wq_step(st) == WQ_ROW)
		for (int i = 0; i < 3; i++)
			n += wq_column_int64(st, i);
	else
		err = wq_store_error(store, "inbox due");
	wq_store_finalize(store, st);
	*count = n < 0 ? 0 : n > WQ_INBOX_MAX ? WQ_INBOX_MAX : (size_t)n;
	return err;
}
