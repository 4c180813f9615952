/* The inbox (weiquan/inbox.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "weiquan/calendar.h"
#include "weiquan/clock.h"
#include "weiquan/inbox.h"
#include "weiquan/wqtime.h"

/* An event of the inbox: on a case now assigned to ?1, by someone else, no
 * earlier than the latest event that made the case theirs (events before
 * it, such as the intake, happened before it was their concern).
 *
 * The unread ones are above the user's read mark (?2): the scan starts
 * from whichever side is smaller, the events since the mark (events
 * first) or the user's cases (cases_by_assignee, then each one's events
 * above the mark by events_by_case), so it costs the lesser of the two,
 * even at a million cases.  A user's mark starts at the newest event when
 * the user is added (or when this table was made), which loses nothing:
 * no earlier event can be on a case assigned to them since.  The read
 * ones are looked for among the newest INBOX_READ_WINDOW events only. */
#define INBOX_FROM_EVENTS                                                      \
	" FROM events e CROSS JOIN cases c ON c.id = e.case_id"                \
	" WHERE c.assignee = ?1 AND e.actor <> ?1"
#define INBOX_FROM_CASES                                                       \
	" FROM cases c CROSS JOIN events e ON e.case_id = c.id AND e.id > ?2"  \
	" WHERE c.assignee = ?1 AND e.actor <> ?1"
#define INBOX_SINCE_ASSIGNED                                                   \
	" AND e.id >= coalesce((SELECT max(a.id) FROM events a"                \
	"  WHERE a.case_id = c.id"                                             \
	"  AND json_extract(a.details, '$.set.assignee') = ?1), 0)"
#define INBOX_READ                                                             \
	"(e.id <= ?2 OR EXISTS (SELECT 1 FROM inbox_read r"                    \
	" WHERE r.login = ?1 AND r.event_id = e.id))"
#define INBOX_UNREAD                                                           \
	" AND e.id > ?2" INBOX_SINCE_ASSIGNED " AND NOT " INBOX_READ
#define INBOX_READ_WINDOW 200000

/* What the item says: a ruling's last argument (the send-back's comment,
 * the new assignee...), a statement's text, a file's name, what was said
 * in a contact. */
#define INBOX_COLUMNS                                                          \
	"SELECT e.id, e.at, c.number, e.action, e.actor,"                      \
	" coalesce(CASE e.action"                                              \
	"  WHEN 'statement' THEN json_extract(e.details, '$.args.argv[1]')"    \
	"  WHEN 'evidence' THEN json_extract(e.details, '$.file_name')"        \
	"  WHEN 'group-evidence' THEN json_extract(e.details, '$.file_name')"  \
	"  WHEN 'contact' THEN json_extract(e.details, '$.args.argv[2]')"      \
	"  ELSE json_extract(e.details, '$.args.argv[#-1]') END, '')"

enum scan { UNREAD_BY_EVENTS, UNREAD_BY_CASES, READ_RECENT };

/* The user's mark, and which side the unread scan starts from: their
 * cases when they are fewer than the events since the mark (counted only
 * that far). */
static enum wq_err read_through(struct wq_store *store, const char *login,
				int64_t *through, enum scan *unread)
{
	struct wq_stmt *st;
	int64_t newest = 0, mine = 0;
	enum wq_err err;

	*through = 0;
	*unread = UNREAD_BY_EVENTS;
	err = wq_store_prepare(store,
			       "SELECT coalesce((SELECT through_id FROM"
			       " inbox_marks WHERE login = ?1), 0),"
			       " (SELECT coalesce(max(id), 0) FROM events)",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, login);
	if (wq_step(st) == WQ_ROW) {
		*through = wq_column_int64(st, 0);
		newest = wq_column_int64(st, 1);
	} else {
		err = wq_store_error(store, "inbox mark");
	}
	wq_store_finalize(store, st);
	if (err)
		return err;
	err = wq_store_prepare(store,
			       "SELECT count(*) FROM (SELECT 1 FROM cases"
			       " WHERE assignee = ?1 LIMIT ?2)",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, login);
	wq_bind_int64(st, 2, newest - *through + 1);
	if (wq_step(st) == WQ_ROW)
		mine = wq_column_int64(st, 0);
	else
		err = wq_store_error(store, "inbox cases");
	wq_store_finalize(store, st);
	if (mine <= newest - *through)
		*unread = UNREAD_BY_CASES;
	return err;
}

static enum wq_err list_some(struct wq_store *store, const char *login,
			     int64_t through, enum scan scan,
			     struct wq_inbox *inbox)
{
	static const char *const sql[] = {
	    [UNREAD_BY_EVENTS] = INBOX_COLUMNS INBOX_FROM_EVENTS INBOX_UNREAD
	    " ORDER BY e.id DESC LIMIT ?3",
	    [UNREAD_BY_CASES] = INBOX_COLUMNS INBOX_FROM_CASES INBOX_UNREAD
	    " ORDER BY e.id DESC LIMIT ?3",
	    [READ_RECENT] = INBOX_COLUMNS INBOX_FROM_EVENTS
	    " AND e.id > (SELECT max(id) FROM events) - ?4"
	    " AND " INBOX_READ INBOX_SINCE_ASSIGNED
	    " ORDER BY e.id DESC LIMIT ?3",
	};
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	err = wq_store_prepare(store, sql[scan], &st);
	if (err)
		return err;
	wq_bind_text(st, 1, login);
	wq_bind_int64(st, 2, through);
	wq_bind_int(st, 3, WQ_INBOX_MAX - (int)inbox->n);
	if (scan == READ_RECENT)
		wq_bind_int(st, 4, INBOX_READ_WINDOW);
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
		it->comment = wq_strdup(wq_column_text(st, 5));
		it->read = scan == READ_RECENT;
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "inbox");
	wq_store_finalize(store, st);
	return err;
}

enum wq_err wq_inbox_list(struct wq_store *store, const struct wq_user *actor,
			  bool all, struct wq_inbox *inbox)
{
	int64_t through;
	enum scan unread;
	enum wq_err err;

	memset(inbox, 0, sizeof(*inbox));
	err = read_through(store, actor->login, &through, &unread);
	if (!err)
		err = list_some(store, actor->login, through, unread, inbox);
	if (!err && all && inbox->n < WQ_INBOX_MAX)
		err =
		    list_some(store, actor->login, through, READ_RECENT, inbox);
	if (err)
		wq_inbox_free(inbox);
	return err;
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
	static const char *const sql[] = {
	    [UNREAD_BY_EVENTS] =
		"SELECT count(*) FROM (SELECT 1" INBOX_FROM_EVENTS INBOX_UNREAD
		" LIMIT ?3)",
	    [UNREAD_BY_CASES] =
		"SELECT count(*) FROM (SELECT 1" INBOX_FROM_CASES INBOX_UNREAD
		" LIMIT ?3)",
	};
	struct wq_stmt *st;
	int64_t through;
	enum scan unread;
	enum wq_err err;

	*count = 0;
	err = read_through(store, actor->login, &through, &unread);
	if (!err)
		err = wq_store_prepare(store, sql[unread], &st);
	if (err)
		return err;
	wq_bind_text(st, 1, actor->login);
	wq_bind_int64(st, 2, through);
	wq_bind_int(st, 3, WQ_INBOX_MAX);
	if (wq_step(st) == WQ_ROW)
		*count = wq_column_int(st, 0);
	else
		err = wq_store_error(store, "inbox");
	wq_store_finalize(store, st);
	return err;
}

static enum wq_err in_inbox(struct wq_store *store, const char *login,
			    int64_t event_id)
{
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	err = wq_store_prepare(store,
			       "SELECT 1" INBOX_FROM_EVENTS
			       " AND e.id = ?2" INBOX_SINCE_ASSIGNED,
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, login);
	wq_bind_int64(st, 2, event_id);
	rc = wq_step(st);
	if (rc == WQ_DONE)
		err = wq_fail(WQ_ERR_NOT_FOUND,
			      N_("event %lld is not in the inbox of %s"),
			      (long long)event_id, login);
	else if (rc != WQ_ROW)
		err = wq_store_error(store, "inbox");
	wq_store_finalize(store, st);
	return err;
}

static enum wq_err mark_one(struct wq_store *store, const char *login,
			    int64_t event_id)
{
	struct wq_stmt *st;
	enum wq_err err = in_inbox(store, login, event_id);

	if (!err)
		err = wq_store_prepare(store,
				       "INSERT OR IGNORE INTO inbox_read"
				       "(login, event_id) VALUES (?1, ?2)",
				       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, login);
	wq_bind_int64(st, 2, event_id);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "inbox read");
	wq_store_finalize(store, st);
	return err;
}

/* Everything up to the newest event is read; the single marks under it say
 * nothing more. */
static enum wq_err mark_all(struct wq_store *store, const char *login)
{
	static const char *const sql[] = {
	    "INSERT INTO inbox_marks(login, through_id)"
	    " VALUES (?1, (SELECT coalesce(max(id), 0) FROM events))"
	    " ON CONFLICT(login) DO UPDATE SET through_id = "
	    "excluded.through_id",
	    "DELETE FROM inbox_read WHERE login = ?1 AND event_id <="
	    " (SELECT through_id FROM inbox_marks WHERE login = ?1)",
	};
	enum wq_err err = WQ_ERR_OK;

	for (size_t i = 0; !err && i < sizeof(sql) / sizeof(sql[0]); i++) {
		struct wq_stmt *st;

		err = wq_store_prepare(store, sql[i], &st);
		if (err)
			break;
		wq_bind_text(st, 1, login);
		if (wq_step(st) != WQ_DONE)
			err = wq_store_error(store, "inbox read");
		wq_store_finalize(store, st);
	}
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

/* Each kind of deadline by its own index: the running clocks by
 * cases_by_assignee (assignee, due_on), the follow-ups by each of the
 * user's cases' latest contact, the agreements by agreements_by_case. */
#define INBOX_DUE_SQL                                                          \
	"SELECT c.number, c.clock, c.due_on FROM cases c"                      \
	" WHERE c.assignee = ?1 AND c.status <> 'closed' AND c.clock <> ''"    \
	" AND c.due_on <= ?2 AND json_extract(c.clocks, '$.' || c.clock ||"    \
	" '.paused') IS NULL"                                                  \
	" UNION ALL SELECT number, 'follow-up', f FROM (SELECT c.number,"      \
	" (SELECT x.follow_up_on FROM contacts x WHERE x.case_id = c.id"       \
	" ORDER BY x.id DESC LIMIT 1) AS f FROM cases c"                       \
	" WHERE c.assignee = ?1 AND c.status <> 'closed')"                     \
	" WHERE f BETWEEN '0' AND ?2"                                          \
	" UNION ALL SELECT c.number, 'performance', a.perform_by"              \
	" FROM cases c JOIN agreements a ON a.case_id = c.id"                  \
	" WHERE c.assignee = ?1 AND a.performed_at IS NULL"                    \
	" AND c.status IN ('agreement', 'performance_watch')"                  \
	" AND a.perform_by <= ?2"                                              \
	" ORDER BY 3, 1 LIMIT ?3"

enum wq_err wq_inbox_due(struct wq_store *store, const struct wq_user *actor,
			 struct wq_inbox_due **due, size_t *count)
{
	const struct wq_calendar *cal = wq_clock_calendar(store);
	int today = wq_local_day(wq_now());
	bool uncertain = false;
	char by[11];
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	*due = NULL;
	*count = 0;
	wq_date_format(cal ? wq_cal_add_workdays(cal, today, 1, &uncertain)
			   : today + 1,
		       by);
	err = wq_store_prepare(store, INBOX_DUE_SQL, &st);
	if (err)
		return err;
	wq_bind_text(st, 1, actor->login);
	wq_bind_text(st, 2, by);
	wq_bind_int(st, 3, WQ_INBOX_MAX);
	while ((rc = wq_step(st)) == WQ_ROW) {
		struct wq_inbox_due *d;
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
