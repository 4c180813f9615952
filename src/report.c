#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "weiquan/report.h"
#include "weiquan/wqtime.h"
#include "weiquan/calendar.h"
#include "util.h"

static const char report_sql[] =
	"SELECT json_object("
	" 'today', ?1,"
	" 'cases', (SELECT count(*) FROM cases),"
	" 'open', (SELECT count(*) FROM cases WHERE status <> 'closed'),"
	" 'by_status', (SELECT json_group_object(status, n) FROM"
	"   (SELECT status, count(*) n FROM cases GROUP BY status)),"
	" 'by_category', (SELECT json_group_object(category, n) FROM"
	"   (SELECT category, count(*) n FROM cases GROUP BY category)),"
	" 'by_region', (SELECT json_group_object(region, n) FROM"
	"   (SELECT region, count(*) n FROM cases GROUP BY region)),"
	" 'by_type', (SELECT json_group_object(type, n) FROM"
	"   (SELECT type, count(*) n FROM cases GROUP BY type)),"
	" 'due_today', (SELECT json_group_object(clock, n) FROM"
	"   (SELECT clock, count(*) n FROM cases WHERE due_on = ?1"
	"   GROUP BY clock)),"
	" 'overdue', (SELECT json_group_object(clock, n) FROM"
	"   (SELECT clock, count(*) n FROM cases WHERE due_on < ?1"
	"   GROUP BY clock)),"
	" 'mediators', (SELECT json_group_array(json_object('login', u.login,"
	"   'name', u.name, 'open', (SELECT count(*) FROM cases c"
	"   WHERE c.assignee = u.login AND c.status <> 'closed'),"
	"   'overdue', (SELECT count(*) FROM cases c WHERE"
	"   c.assignee = u.login AND c.due_on < ?1)))"
	"   FROM users u WHERE u.role IN ('mediator', 'supervisor')"
	"   AND u.active = 1))";

enum wq_err wq_report_json(struct wq_store *store, const struct wq_user *actor,
			   char **json)
{
	sqlite3_stmt *st;
	enum wq_err err;
	char today[11];

	*json = NULL;
	if (actor->role != WQ_ROLE_SUPERVISOR && actor->role != WQ_ROLE_ADMIN)
		return wq_fail(WQ_ERR_DENIED,
			       "the figures are for supervisors and admins");
	wq_date_format(wq_local_day(wq_now()), today);
	err = wq_store_prepare(store, report_sql, &st);
	if (err)
		return err;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*json = wq_strdup((const char *)sqlite3_column_text(st, 0));
	else
		err = wq_store_error(store, "report");
	wq_store_finalize(store, st);
	return err;
}
