/* weiquan: the dashboard's figures.
 *
 * Everything is read from the counters of schema migration 3, which
 * triggers on cases and events keep in each writer's transaction; only the
 * few figures that depend on today's date (due, overdue, the forecast, the
 * last 30 days) are summed here, over at most a few hundred counter rows.
 *
 * The 12315 figures per merchant (DOMAIN.md, "Openness and credit") are
 * of its consumer complaints (cases of type complaint: IP notices and
 * diversion cases never count), counted on their status changes, o -> n
 * (a case registered or imported with a status counts as received -> that
 * status):
 *
 *   complaints      every consumer complaint against the merchant.
 *   growth          (cases received in the last 30 days - those received
 *                   in the 30 days before) / the latter; unknown when the
 *                   earlier period has none.
 *   concluded       the complaint reached an outcome ("办结"): o is a
 *                   working status (received, need_info, screened,
 *                   accepted, odr, in_mediation) and n an outcome
 *                   (not_accepted, transferred, settled, withdrawn,
 *                   agreement, mediation_ended).
 *   mediated        a mediation by this body reached an outcome:
 *                   in_mediation -> agreement | settled | mediation_ended,
 *                   or accepted -> mediation_ended (ended before a session).
 *                   A withdrawal is no outcome of the mediation.
 *   mediation success
 *                   in_mediation -> agreement | settled, minus agreements
 *                   later found unperformed (performance_watch ->
 *                   unperformed, or mediation_ended before schema 6):
 *                   agreements reached and not broken, and settlements
 *                   reached in mediation.
 *   mediation success rate = mediation success / mediated.
 *   settled before mediation
 *                   odr -> settled (the merchant's own channel, 12315 ODR)
 *                   or accepted -> settled (the parties settled before
 *                   mediation started).
 *   rate settled before mediation = settled before mediation / concluded.
 *
 * A case imported past its outcome (in review, closed) has no known path
 * and counts as a complaint only. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "weiquan/audit.h"
#include "weiquan/calendar.h"
#include "weiquan/case.h"
#include "weiquan/clock.h"
#include "weiquan/report.h"
#include "weiquan/wqtime.h"
#include "case_internal.h"
#include "util.h"

static bool may_read(const struct wq_user *actor)
{
	return actor->role == WQ_ROLE_SUPERVISOR || actor->role == WQ_ROLE_ADMIN;
}

static double ratio(int64_t num, int64_t den)
{
	return den > 0 ? (double)num / (double)den : -1.0;
}

static double growth(int64_t now, int64_t before)
{
	return before > 0 ? (double)(now - before) / (double)before : 0.0;
}

/* ---- counts ---- */

static void counts_add(struct wq_report_counts *c, const char *key, int64_t n)
{
	c->v = wq_xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	c->v[c->n].key = wq_strdup(key);
	c->v[c->n].n = n;
	c->n++;
	c->total += n;
}

static void counts_free(struct wq_report_counts *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].key);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int64_t counts_get(const struct wq_report_counts *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].key, key) == 0)
			return c->v[i].n;
	return 0;
}

static enum wq_err load_counts(struct wq_store *store, struct wq_report *r,
			       struct wq_report_counts *by_assignee)
{
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	err = wq_store_prepare(store,
			       "SELECT dim, key, n FROM report_counts"
			       " WHERE n <> 0 ORDER BY dim, n DESC, key",
			       &st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW) {
		const char *dim = wq_column_text(st, 0),
			   *key = wq_column_text(st, 1);
		int64_t n = wq_column_int64(st, 2);

		if (strcmp(dim, "status") == 0) {
			counts_add(&r->by_status, key, n);
			r->cases += n;
			if (strcmp(key, "closed") != 0)
				r->open += n;
		} else if (strcmp(dim, "open_category") == 0) {
			counts_add(&r->open_by_category, key, n);
		} else if (strcmp(dim, "open_region") == 0) {
			counts_add(&r->open_by_region, key, n);
		} else if (strcmp(dim, "open_type") == 0) {
			counts_add(&r->open_by_type, key, n);
		} else if (strcmp(dim, "open_diversion_region") == 0) {
			counts_add(&r->diversion_by_region, key, n);
		} else if (strcmp(dim, "open_assignee") == 0) {
			counts_add(by_assignee, key, n);
		} else if (strcmp(dim, "open_flag") == 0) {
			unsigned bit = (unsigned)strtoul(key, NULL, 10);

			counts_add(&r->open_by_flag, wq_flag_name(bit), n);
			if (bit == WQ_FLAG_BIT_MALICIOUS)
				r->malicious_open = n;
			else if (bit == WQ_FLAG_BIT_COLLECTIVE)
				r->collective_open = n;
		}
		/* group and group_open are read with the groups. */
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "report counts");
	wq_store_finalize(store, st);
	r->unassigned = counts_get(by_assignee, "");
	return err;
}

/* ---- clocks ---- */

static struct wq_report_clock *clock_of(struct wq_report *r, const char *name)
{
	for (size_t i = 0; i < r->nclocks; i++)
		if (strcmp(r->clocks[i].clock, name) == 0)
			return &r->clocks[i];
	r->clocks = wq_xrealloc(r->clocks, (r->nclocks + 1) * sizeof(*r->clocks));
	memset(&r->clocks[r->nclocks], 0, sizeof(*r->clocks));
	snprintf(r->clocks[r->nclocks].clock, sizeof(r->clocks[0].clock), "%s",
		 name);
	return &r->clocks[r->nclocks++];
}

/* What a day from today on adds to a clock's figures (clock_totals()
 * counted its cases overdue: the day is not). */
static void clock_count(const struct wq_report *r, struct wq_report_clock *c,
			const char *due, int64_t n)
{
	c->overdue -= n;
	if (strcmp(due, r->today) == 0) {
		c->due_today += n;
		return;
	}
	if (strcmp(due, r->soon_until) <= 0)
		c->due_soon += n;
	for (int i = 0; i < WQ_REPORT_FORECAST; i++) {
		if (strcmp(due, r->forecast_day[i]) <= 0) {
			c->forecast[i] += n;
			break;
		}
	}
}

/* A clock's totals (report_counts, RC_DUE_TOTALS in src/schema.c): every
 * running case counted overdue until its day, if it is today or later,
 * says otherwise. */
static void clock_totals(struct wq_report_clock *c, bool paused, int64_t n)
{
	c->running += n;
	if (paused)
		c->paused += n;
	else
		c->overdue += n;
}

/* The deadlines from today on, paused ones included, by year: what the
 * calendar's check needs (load_calendar_missing). */
#define DUE_AHEAD_YEARS 8
struct due_ahead {
	char latest[11]; /* the last day one falls on, "" if none */
	int first_year;  /* today's */
	int64_t by_year[DUE_AHEAD_YEARS];
};

static enum wq_err load_due(struct wq_store *store, struct wq_report *r,
			    int today, struct due_ahead *ahead)
{
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	memset(ahead, 0, sizeof(*ahead));
	ahead->first_year = wq_date_year(today);
	err = wq_store_prepare(store,
			       "SELECT dim, key, n FROM report_counts"
			       " WHERE dim IN ('due_running', 'due_paused')"
			       " AND n <> 0 ORDER BY key",
			       &st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW) {
		bool paused = strcmp(wq_column_text(st, 0), "due_paused") == 0;
		int64_t n = wq_column_int64(st, 2);

		clock_totals(clock_of(r, wq_column_text(st, 1)), paused, n);
		clock_totals(&r->due, paused, n);
	}
	wq_store_finalize(store, st);
	if (rc != WQ_DONE)
		return wq_store_error(store, "report clocks");

	/* The days before today are not read: however many there are,
	 * their cases are the totals less these. */
	err = wq_store_prepare(
		store,
		"SELECT clock, due_on, paused, n FROM report_due"
		" WHERE clock IN (SELECT key FROM report_counts"
		" WHERE dim IN ('due_running', 'due_paused'))"
		" AND due_on >= ?1 AND n <> 0",
		&st);
	if (err)
		return err;
	wq_bind_text(st, 1, r->today);
	while ((rc = wq_step(st)) == WQ_ROW) {
		const char *due = wq_column_text(st, 1);
		int64_t n = wq_column_int64(st, 3);
		int day, y;

		if (strcmp(due, ahead->latest) > 0)
			snprintf(ahead->latest, sizeof(ahead->latest), "%s",
				 due);
		if (wq_date_parse(due, &day)) {
			y = wq_date_year(day) - ahead->first_year;
			if (y >= 0 && y < DUE_AHEAD_YEARS)
				ahead->by_year[y] += n;
		}
		if (wq_column_int(st, 2) != 0)
			continue;
		clock_count(r, clock_of(r, wq_column_text(st, 0)), due, n);
		clock_count(r, &r->due, due, n);
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "report clocks");
	wq_store_finalize(store, st);
	return err;
}

/* The years to import (wq_report.calendar_missing): the horizon is the
 * latest running deadline or, if later, the end of the longest clock of
 * any regime started today. */
static enum wq_err load_calendar_missing(struct wq_store *store,
					 const struct wq_calendar *cal,
					 int today, const struct due_ahead *ahead,
					 struct wq_report *r)
{
	struct wq_stmt *st;
	enum wq_err err;
	int horizon = today, latest, from, to;
	char first[11], last[11];

	if (wq_date_parse(ahead->latest, &latest) && latest > horizon)
		horizon = latest;
	err = wq_store_prepare(
		store,
		"SELECT coalesce(max(working_days), 0) FROM clock_rules", &st);
	if (err)
		return err;
	if (wq_step(st) == WQ_ROW) {
		latest = wq_cal_add_workdays(cal, today, wq_column_int(st, 0),
					     NULL);
		if (latest > horizon)
			horizon = latest;
	}
	wq_store_finalize(store, st);

	for (int y = wq_date_year(today); y <= wq_date_year(horizon) &&
					  r->ncalendar_missing <
						  WQ_REPORT_MISSING_YEARS;
	     y++) {
		int64_t deadlines = 0;

		snprintf(first, sizeof(first), "%04d-01-01", y);
		snprintf(last, sizeof(last), "%04d-12-31", y);
		if (!wq_date_parse(first, &from) || !wq_date_parse(last, &to) ||
		    wq_cal_covers(cal, from))
			continue;
		if (y - ahead->first_year < DUE_AHEAD_YEARS)
			deadlines = ahead->by_year[y - ahead->first_year];
		/* The days load_due did not read: this year's before today,
		 * or a year beyond its count (rarely asked: a year without
		 * its holidays is usually the next). */
		if (y == ahead->first_year ||
		    y - ahead->first_year >= DUE_AHEAD_YEARS) {
			err = wq_store_prepare(store,
					       "SELECT coalesce(sum(n), 0) FROM"
					       " report_due WHERE due_on >= ?1"
					       " AND due_on <= ?2",
					       &st);
			if (err)
				return err;
			wq_bind_text(st, 1, first);
			if (y == ahead->first_year)
				wq_date_format(today - 1, last);
			wq_bind_text(st, 2, last);
			if (wq_step(st) == WQ_ROW)
				deadlines += wq_column_int64(st, 0);
			wq_store_finalize(store, st);
		}
		r->calendar_missing[r->ncalendar_missing].year = y;
		r->calendar_missing[r->ncalendar_missing].deadlines = deadlines;
		r->ncalendar_missing++;
	}
	return WQ_ERR_OK;
}

/* ---- people ---- */

static enum wq_err load_mediators(struct wq_store *store, struct wq_report *r,
				  const struct wq_report_counts *by_assignee)
{
	struct wq_stmt *st, *due = NULL, *rul = NULL;
	struct wq_report_counts rulings = {0};
	enum wq_err err;
	int rc = WQ_DONE;

	err = wq_store_prepare(
		store,
		"SELECT login, name, role FROM users WHERE (active = 1 AND"
		" role IN ('mediator', 'supervisor')) OR login IN (SELECT key"
		" FROM report_counts WHERE dim = 'open_assignee' AND n > 0)"
		" ORDER BY login",
		&st);
	if (err)
		return err;
	err = wq_store_prepare(
		store,
		"SELECT coalesce((SELECT n FROM report_counts WHERE"
		" dim = 'due_assignee' AND key = ?1), 0) - coalesce(sum(n), 0),"
		" coalesce(sum(CASE WHEN due_on = ?2 THEN n END), 0)"
		" FROM report_due_assignee WHERE assignee = ?1 AND due_on >= ?2",
		&due);
	/* today's rulings of everyone, from one range (schema 31) */
	if (!err)
		err = wq_store_prepare(store,
				       "SELECT actor, n FROM report_actor_days"
				       " WHERE day = ?1 AND n <> 0",
				       &rul);
	if (!err) {
		wq_bind_text(rul, 1, r->today);
		while ((rc = wq_step(rul)) == WQ_ROW)
			counts_add(&rulings, wq_column_text(rul, 0),
				   wq_column_int64(rul, 1));
		if (rc != WQ_DONE)
			err = wq_store_error(store, "report rulings");
		rc = WQ_DONE;
	}
	while (!err && (rc = wq_step(st)) == WQ_ROW) {
		struct wq_report_mediator *m;

		r->mediators = wq_xrealloc(
			r->mediators, (r->nmediators + 1) * sizeof(*m));
		m = &r->mediators[r->nmediators++];
		memset(m, 0, sizeof(*m));
		snprintf(m->login, sizeof(m->login), "%s",
			 wq_column_text(st, 0));
		snprintf(m->name, sizeof(m->name), "%s", wq_column_text(st, 1));
		if (!wq_role_parse(wq_column_text(st, 2), &m->role))
			m->role = WQ_ROLE_MEDIATOR;
		m->open = counts_get(by_assignee, m->login);
		wq_bind_text(due, 1, m->login);
		wq_bind_text(due, 2, r->today);
		if (wq_step(due) == WQ_ROW) {
			m->overdue = wq_column_int64(due, 0);
			m->due_today = wq_column_int64(due, 1);
		} else {
			err = wq_store_error(store, "report mediators");
		}
		wq_stmt_reset(due);
		m->rulings_today = counts_get(&rulings, m->login);
	}
	if (!err && rc != WQ_DONE)
		err = wq_store_error(store, "report mediators");
	wq_store_finalize(store, rul);
	wq_store_finalize(store, due);
	wq_store_finalize(store, st);
	counts_free(&rulings);
	return err;
}

/* ---- days ---- */

static enum wq_err load_days(struct wq_store *store, struct wq_report *r,
			     int today)
{
	struct wq_stmt *st;
	enum wq_err err;
	char first[11], prev_first[11];
	int rc;

	for (int i = 0; i < WQ_REPORT_HISTORY; i++)
		wq_date_format(today - (WQ_REPORT_HISTORY - 1) + i,
			       r->history_day[i]);
	wq_date_format(today - 29, first);
	wq_date_format(today - 59, prev_first);
	err = wq_store_prepare(store,
			       "SELECT what, day, n FROM report_daily"
			       " WHERE what IN ('intake', 'closed')"
			       " AND day >= ?1 AND day <= ?2",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, prev_first);
	wq_bind_text(st, 2, r->today);
	while ((rc = wq_step(st)) == WQ_ROW) {
		bool intake = strcmp(wq_column_text(st, 0), "intake") == 0;
		const char *day = wq_column_text(st, 1);
		int64_t n = wq_column_int64(st, 2);
		int d;

		if (intake && strcmp(day, first) < 0) {
			r->intake_prev30 += n;
			continue;
		}
		if (intake)
			r->intake_last30 += n;
		if (!wq_date_parse(day, &d))
			continue;
		d -= today - (WQ_REPORT_HISTORY - 1);
		if (d < 0 || d >= WQ_REPORT_HISTORY)
			continue;
		if (intake)
			r->intake[d] += n;
		else
			r->closed[d] += n;
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "report days");
	wq_store_finalize(store, st);
	r->intake_growth = growth(r->intake_last30, r->intake_prev30);
	r->intake_growth_known = r->intake_prev30 > 0;
	return err;
}

/* ---- merchants ---- */

static void merchant_rates(struct wq_report_merchant *m)
{
	m->growth = growth(m->last30, m->prev30);
	m->growth_known = m->prev30 > 0;
	m->mediation_success_rate = ratio(m->mediation_success, m->mediated);
	m->settled_before_rate = ratio(m->settled_before, m->concluded);
}

static void merchant_free(struct wq_report_merchant *m)
{
	free(m->name);
	free(m->platform);
	free(m->shop_id);
	free(m->region);
}

/* The consumer complaints received in the last 30 Beijing days and the
 * 30 before, for the 12315 growth figure over all merchants: the
 * database counts them per day (report_daily's 'complaints', schema
 * version 25), as it counts the whole intake. */
static enum wq_err consumer_intake(struct wq_store *store, int today,
				   int64_t *last30, int64_t *prev30)
{
	struct wq_stmt *st;
	enum wq_err err;
	char from[11], mid[11], to[11];

	wq_date_format(today - 59, from);
	wq_date_format(today - 29, mid);
	wq_date_format(today, to);
	err = wq_store_prepare(
		store,
		"SELECT coalesce(sum(CASE WHEN day >= ?2 THEN n END), 0),"
		" coalesce(sum(CASE WHEN day < ?2 THEN n END), 0)"
		" FROM report_daily WHERE what = 'complaints'"
		" AND day >= ?1 AND day <= ?3",
		&st);
	if (err)
		return err;
	wq_bind_text(st, 1, from);
	wq_bind_text(st, 2, mid);
	wq_bind_text(st, 3, to);
	if (wq_step(st) == WQ_ROW) {
		*last30 = wq_column_int64(st, 0);
		*prev30 = wq_column_int64(st, 1);
	} else {
		err = wq_store_error(store, "report merchants");
	}
	wq_store_finalize(store, st);
	return err;
}

static enum wq_err load_merchants(struct wq_store *store, struct wq_report *r,
				  int today)
{
	struct wq_stmt *st;
	enum wq_err err;
	struct wq_report_merchant *all = &r->all_merchants;
	int rc;

	err = wq_store_prepare(
		store,
		"SELECT count(*), coalesce(sum(complaints), 0),"
		" coalesce(sum(concluded), 0), coalesce(sum(mediated), 0),"
		" coalesce(sum(mediation_success), 0),"
		" coalesce(sum(settled_before), 0)"
		" FROM report_merchants WHERE complaints > 0",
		&st);
	if (err)
		return err;
	if (wq_step(st) == WQ_ROW) {
		r->merchants = wq_column_int64(st, 0);
		all->complaints = wq_column_int64(st, 1);
		all->concluded = wq_column_int64(st, 2);
		all->mediated = wq_column_int64(st, 3);
		all->mediation_success = wq_column_int64(st, 4);
		all->settled_before = wq_column_int64(st, 5);
	} else {
		err = wq_store_error(store, "report merchants");
	}
	wq_store_finalize(store, st);
	if (err)
		return err;
	all->name = wq_strdup("");
	all->platform = wq_strdup("");
	all->shop_id = wq_strdup("");
	all->region = wq_strdup("");
	err = consumer_intake(store, today, &all->last30, &all->prev30);
	if (err)
		return err;
	merchant_rates(all);

	err = wq_store_prepare(
		store,
		"SELECT coalesce(sum(repeat_offender), 0),"
		" coalesce(sum(blacklisted), 0) FROM merchants"
		" WHERE repeat_offender = 1 OR blacklisted = 1",
		&st);
	if (err)
		return err;
	if (wq_step(st) == WQ_ROW) {
		r->repeat_offenders = wq_column_int64(st, 0);
		r->blacklisted = wq_column_int64(st, 1);
	} else {
		err = wq_store_error(store, "report merchants");
	}
	wq_store_finalize(store, st);
	if (err)
		return err;

	err = wq_store_prepare(
		store,
		"SELECT r.merchant_id, m.name, m.platform, m.shop_id, m.region,"
		" r.complaints, r.concluded, r.mediated, r.mediation_success,"
		" r.settled_before, m.settled, m.failed, m.unperformed,"
		" m.penalties, m.repeat_offender, m.blacklisted"
		" FROM report_merchants r JOIN merchants m ON m.id = r.merchant_id"
		" WHERE r.complaints > 0"
		" ORDER BY r.complaints DESC, r.merchant_id DESC LIMIT ?1",
		&st);
	if (err)
		return err;
	r->top = wq_xcalloc(WQ_REPORT_MERCHANTS, sizeof(*r->top));
	wq_bind_int(st, 1, WQ_REPORT_MERCHANTS);
	while ((rc = wq_step(st)) == WQ_ROW &&
	       r->ntop < WQ_REPORT_MERCHANTS) {
		struct wq_report_merchant *m = &r->top[r->ntop++];

		m->id = wq_column_int64(st, 0);
		m->name = wq_strdup(wq_column_text(st, 1));
		m->platform = wq_strdup(wq_column_text(st, 2));
		m->shop_id = wq_strdup(wq_column_text(st, 3));
		m->region = wq_strdup(wq_column_text(st, 4));
		m->complaints = wq_column_int64(st, 5);
		m->concluded = wq_column_int64(st, 6);
		m->mediated = wq_column_int64(st, 7);
		m->mediation_success = wq_column_int64(st, 8);
		m->settled_before = wq_column_int64(st, 9);
		m->settled = wq_column_int64(st, 10);
		m->failed = wq_column_int64(st, 11);
		m->unperformed = wq_column_int64(st, 12);
		m->penalties = wq_column_int64(st, 13);
		m->repeat_offender = wq_column_int(st, 14) != 0;
		m->blacklisted = wq_column_int(st, 15) != 0;
		merchant_rates(m);
	}
	if (rc != WQ_DONE && rc != WQ_ROW)
		err = wq_store_error(store, "report merchants");
	wq_store_finalize(store, st);
	return err;
}

/* The listed merchants' complaints in the last 30 days and the 30 before
 * (WQ_REPORT_MERCHANT_TRENDS): each merchant's days are on a page of
 * their own in report_merchant_days. */
static enum wq_err load_merchant_trends(struct wq_store *store,
					struct wq_report *r)
{
	struct wq_stmt *days;
	enum wq_err err;
	char first[11], prev_first[11];
	int today;

	if (!wq_date_parse(r->today, &today))
		return wq_fail(WQ_ERR_INVALID, N_("the report has no date"));
	wq_date_format(today - 29, first);
	wq_date_format(today - 59, prev_first);
	err = wq_store_prepare(
		store,
		"SELECT coalesce(sum(CASE WHEN day >= ?2 THEN n END), 0),"
		" coalesce(sum(CASE WHEN day < ?2 THEN n END), 0)"
		" FROM report_merchant_days WHERE merchant_id = ?1"
		" AND day >= ?3 AND day <= ?4",
		&days);
	if (err)
		return err;
	for (size_t i = 0; i < r->ntop && !err; i++) {
		struct wq_report_merchant *m = &r->top[i];

		wq_bind_int64(days, 1, m->id);
		wq_bind_text(days, 2, first);
		wq_bind_text(days, 3, prev_first);
		wq_bind_text(days, 4, r->today);
		if (wq_step(days) == WQ_ROW) {
			m->last30 = wq_column_int64(days, 0);
			m->prev30 = wq_column_int64(days, 1);
			merchant_rates(m);
		} else {
			err = wq_store_error(store, "report merchants");
		}
		wq_stmt_reset(days);
	}
	wq_store_finalize(store, days);
	return err;
}

/* ---- groups and flagged cases ---- */

static enum wq_err load_groups(struct wq_store *store, struct wq_report *r)
{
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	err = wq_store_prepare(store, "SELECT count(*) FROM case_groups", &st);
	if (err)
		return err;
	if (wq_step(st) == WQ_ROW)
		r->groups = wq_column_int64(st, 0);
	wq_store_finalize(store, st);

	err = wq_store_prepare(
		store,
		"SELECT g.id, g.title, coalesce(m.name, ''), a.n,"
		" coalesce(o.n, 0) FROM report_counts a"
		/* Guarded: PostgreSQL may cast before it filters, and the
		 * other dimensions' keys are no numbers. */
		" JOIN case_groups g ON g.id = CASE WHEN a.dim = 'group'"
		" THEN CAST(a.key AS INTEGER) END"
		" LEFT JOIN report_counts o ON o.dim = 'group_open'"
		" AND o.key = a.key"
		" LEFT JOIN merchants m ON m.id = g.merchant_id"
		" WHERE a.dim = 'group' AND a.n > 0"
		" ORDER BY coalesce(o.n, 0) DESC, a.n DESC, g.id LIMIT ?1",
		&st);
	if (err)
		return err;
	wq_bind_int(st, 1, WQ_REPORT_LIST);
	r->group = wq_xcalloc(WQ_REPORT_LIST, sizeof(*r->group));
	while ((rc = wq_step(st)) == WQ_ROW &&
	       r->ngroup < WQ_REPORT_LIST) {
		struct wq_report_group *g = &r->group[r->ngroup++];

		g->id = wq_column_int64(st, 0);
		g->title = wq_strdup(wq_column_text(st, 1));
		g->merchant = wq_strdup(wq_column_text(st, 2));
		g->members = wq_column_int64(st, 3);
		g->open = wq_column_int64(st, 4);
	}
	if (rc != WQ_DONE && rc != WQ_ROW)
		err = wq_store_error(store, "report groups");
	wq_store_finalize(store, st);
	return err;
}

static void malicious_free(struct wq_report *r)
{
	for (size_t i = 0; i < r->nmalicious; i++)
		free(r->malicious[i].merchant);
	free(r->malicious);
	r->malicious = NULL;
	r->nmalicious = 0;
}

/* WQ_REPORT_FLAGGED_CASES: a failed load leaves none listed, so that
 * loading the part again starts afresh. */
static enum wq_err load_malicious(struct wq_store *store, struct wq_report *r)
{
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	/* The terms match the partial index cases_malicious_open; bit 0 is
	 * WQ_FLAG(MALICIOUS) (test_report checks). */
	err = wq_store_prepare(
		store,
		"SELECT c.number, c.status, c.received_at,"
		" coalesce(c.assignee, ''), m.name FROM cases c"
		" JOIN merchants m ON m.id = c.merchant_id"
		" WHERE (c.flags & 1) <> 0 AND c.status <> 'closed'"
		" ORDER BY c.received_at LIMIT ?1",
		&st);
	if (err)
		return err;
	wq_bind_int(st, 1, WQ_REPORT_LIST);
	r->malicious = wq_xcalloc(WQ_REPORT_LIST, sizeof(*r->malicious));
	while ((rc = wq_step(st)) == WQ_ROW &&
	       r->nmalicious < WQ_REPORT_LIST) {
		struct wq_report_case *c = &r->malicious[r->nmalicious++];

		snprintf(c->number, sizeof(c->number), "%s",
			 wq_column_text(st, 0));
		snprintf(c->status, sizeof(c->status), "%s",
			 wq_column_text(st, 1));
		snprintf(c->received_at, sizeof(c->received_at), "%s",
			 wq_column_text(st, 2));
		snprintf(c->assignee, sizeof(c->assignee), "%s",
			 wq_column_text(st, 3));
		c->merchant = wq_strdup(wq_column_text(st, 4));
	}
	if (rc != WQ_DONE && rc != WQ_ROW) {
		err = wq_store_error(store, "report flagged cases");
		malicious_free(r);
	}
	wq_store_finalize(store, st);
	return err;
}

/* ---- the tracks' own figures ---- */

/* Reports (举报) and diversion disputes (串货) are counted apart from
 * consumer complaints: by status from the counters (report_counts,
 * schema version 21: tens of thousands of diversion cases at a million),
 * by region from the diversions table's indexes. */
static enum wq_err load_grouped(struct wq_store *store, const char *sql,
				struct wq_report_counts *out)
{
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(store, sql, &st);
	int rc;

	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW)
		counts_add(out, wq_column_text(st, 0),
			   wq_column_int64(st, 1));
	if (rc != WQ_DONE)
		err = wq_store_error(store, "report tracks");
	wq_store_finalize(store, st);
	return err;
}

/* The IP notices found wrongful and found malicious (art. 42), each
 * under its flag's name: one row of both counts. */
static enum wq_err load_findings(struct wq_store *store, const char *sql,
				 struct wq_report_counts *out)
{
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(store, sql, &st);

	if (err)
		return err;
	if (wq_step(st) == WQ_ROW) {
		counts_add(out, "wrongful-notice", wq_column_int64(st, 0));
		counts_add(out, "malicious-notice", wq_column_int64(st, 1));
	} else {
		err = wq_store_error(store, "report tracks");
	}
	wq_store_finalize(store, st);
	return err;
}

static enum wq_err load_tracks(struct wq_store *store, struct wq_report *r)
{
	enum wq_err err;

	err = load_grouped(store,
			   "SELECT key, n FROM report_counts"
			   " WHERE dim = 'report_status' AND n > 0"
			   " ORDER BY n DESC, key",
			   &r->reports_by_status);
	if (!err)
		err = load_grouped(store,
				   "SELECT key, n FROM report_counts"
				   " WHERE dim = 'diversion_status' AND n > 0"
				   " ORDER BY n DESC, key",
				   &r->diversion_by_status);
	/* the diversions' regions, from their counters (schema version 26) */
	if (!err)
		err = load_grouped(store,
				   "SELECT key, n FROM report_counts"
				   " WHERE dim = 'diversion_found_region'"
				   " AND n > 0 ORDER BY n DESC, key",
				   &r->diversion_by_found_region);
	if (!err)
		err = load_grouped(store,
				   "SELECT key, n FROM report_counts"
				   " WHERE dim = 'diversion_authorised_region'"
				   " AND n > 0 ORDER BY n DESC, key",
				   &r->diversion_by_authorised_region);
	/* IP notices, and those found wrongful or malicious, from their
	 * counters (schema version 25) */
	if (!err)
		err = load_grouped(store,
				   "SELECT key, n FROM report_counts"
				   " WHERE dim = 'ip_status' AND n > 0"
				   " ORDER BY n DESC, key",
				   &r->ip_by_status);
	if (!err)
		err = load_findings(store,
				    "SELECT coalesce(sum(CASE WHEN dim ="
				    " 'ip_wrongful' THEN n END), 0),"
				    " coalesce(sum(CASE WHEN dim ="
				    " 'ip_malicious' THEN n END), 0)"
				    " FROM report_counts WHERE dim IN"
				    " ('ip_wrongful', 'ip_malicious')",
				    &r->ip_findings);
	return err;
}

/* ---- the whole report ---- */

/* The parts named that r lacks, in the caller's read transaction. */
static enum wq_err load_parts(struct wq_store *store, struct wq_report *r,
			      unsigned parts)
{
	enum wq_err err = WQ_ERR_OK;

	parts &= ~r->parts;
	if (parts & WQ_REPORT_MERCHANT_TRENDS) {
		err = load_merchant_trends(store, r);
		if (!err)
			r->parts |= WQ_REPORT_MERCHANT_TRENDS;
	}
	if (!err && parts & WQ_REPORT_FLAGGED_CASES) {
		err = load_malicious(store, r);
		if (!err)
			r->parts |= WQ_REPORT_FLAGGED_CASES;
	}
	return err;
}

enum wq_err wq_report_load_parts(struct wq_store *store,
				 const struct wq_user *actor,
				 struct wq_report *r, unsigned parts)
{
	struct wq_report_counts by_assignee = {0};
	struct due_ahead ahead;
	const struct wq_calendar *cal;
	enum wq_err err;
	int today;

	memset(r, 0, sizeof(*r));
	if (!may_read(actor))
		return wq_fail(WQ_ERR_DENIED,
			       N_("the figures are for supervisors and admins"));
	today = wq_local_day(wq_now());
	wq_date_format(today, r->today);
	cal = wq_clock_calendar(store);
	for (int i = 0; i < WQ_REPORT_FORECAST; i++)
		wq_date_format(wq_cal_add_workdays(cal, today, i + 1,
						   &r->calendar_uncertain),
			       r->forecast_day[i]);
	wq_date_format(wq_cal_add_workdays(cal, today, WQ_REPORT_SOON,
					   &r->calendar_uncertain),
		       r->soon_until);

	/* One read transaction, so the figures agree with each other. */
	err = wq_store_begin_read(store);
	if (err)
		return err;
	err = load_counts(store, r, &by_assignee);
	if (!err)
		err = load_due(store, r, today, &ahead);
	if (!err)
		err = load_calendar_missing(store, cal, today, &ahead, r);
	if (!err)
		err = load_mediators(store, r, &by_assignee);
	if (!err)
		err = load_days(store, r, today);
	if (!err)
		err = load_merchants(store, r, today);
	if (!err)
		err = load_groups(store, r);
	if (!err)
		err = load_tracks(store, r);
	if (!err)
		err = load_parts(store, r, parts);
	if (!err)
		err = wq_audit_head(store, &r->audit_head_id,
				    r->audit_head_hash);
	wq_store_end_read(store);
	counts_free(&by_assignee);
	return err;
}

enum wq_err wq_report_load(struct wq_store *store, const struct wq_user *actor,
			   struct wq_report *r)
{
	return wq_report_load_parts(store, actor, r, WQ_REPORT_ALL_PARTS);
}

enum wq_err wq_report_load_more(struct wq_store *store,
				const struct wq_user *actor,
				struct wq_report *r, unsigned parts)
{
	enum wq_err err;

	if (!may_read(actor))
		return wq_fail(WQ_ERR_DENIED,
			       N_("the figures are for supervisors and admins"));
	if (!(parts & ~r->parts))
		return WQ_ERR_OK;
	err = wq_store_begin_read(store);
	if (err)
		return err;
	err = load_parts(store, r, parts);
	wq_store_end_read(store);
	return err;
}

void wq_report_free(struct wq_report *r)
{
	counts_free(&r->by_status);
	counts_free(&r->open_by_category);
	counts_free(&r->open_by_region);
	counts_free(&r->open_by_type);
	counts_free(&r->open_by_flag);
	counts_free(&r->diversion_by_region);
	counts_free(&r->reports_by_status);
	counts_free(&r->diversion_by_status);
	counts_free(&r->ip_by_status);
	counts_free(&r->ip_findings);
	counts_free(&r->diversion_by_found_region);
	counts_free(&r->diversion_by_authorised_region);
	free(r->clocks);
	free(r->mediators);
	merchant_free(&r->all_merchants);
	for (size_t i = 0; i < r->ntop; i++)
		merchant_free(&r->top[i]);
	free(r->top);
	for (size_t i = 0; i < r->ngroup; i++) {
		free(r->group[i].title);
		free(r->group[i].merchant);
	}
	free(r->group);
	malicious_free(r);
	memset(r, 0, sizeof(*r));
}

/* ---- JSON ---- */

static void json_key(struct wq_buf *b, bool *first, const char *key)
{
	wq_buf_puts(b, *first ? "" : ",");
	*first = false;
	wq_buf_json_string(b, key);
	wq_buf_puts(b, ":");
}

static void json_int(struct wq_buf *b, bool *first, const char *key,
		     int64_t n)
{
	json_key(b, first, key);
	wq_buf_printf(b, "%" PRId64, n);
}

static void json_str(struct wq_buf *b, bool *first, const char *key,
		     const char *s)
{
	json_key(b, first, key);
	wq_buf_json_string(b, s);
}

/* A fraction with four decimals, or null. */
static void json_number(struct wq_buf *b, double x, bool known)
{
	if (known)
		wq_buf_printf(b, "%.4f", x);
	else
		wq_buf_puts(b, "null");
}

/* A rate, null when its denominator was 0 (-1). */
static void json_rate(struct wq_buf *b, bool *first, const char *key,
		      double x)
{
	json_key(b, first, key);
	json_number(b, x, x >= 0);
}

static void json_bool(struct wq_buf *b, bool *first, const char *key, bool v)
{
	json_key(b, first, key);
	wq_buf_puts(b, v ? "true" : "false");
}

/* Counts as an object {key: n}, in their order (largest first). */
static void json_counts(struct wq_buf *b, bool *first, const char *key,
			const struct wq_report_counts *c)
{
	bool f = true;

	json_key(b, first, key);
	wq_buf_puts(b, "{");
	for (size_t i = 0; i < c->n; i++)
		json_int(b, &f, c->v[i].key, c->v[i].n);
	wq_buf_puts(b, "}");
}

static void json_ints(struct wq_buf *b, const int64_t *v, int n)
{
	wq_buf_puts(b, "[");
	for (int i = 0; i < n; i++)
		wq_buf_printf(b, "%s%" PRId64, i ? "," : "", v[i]);
	wq_buf_puts(b, "]");
}

static void json_clock(struct wq_buf *b, const struct wq_report_clock *c)
{
	bool f = true;

	wq_buf_puts(b, "{");
	if (*c->clock)
		json_str(b, &f, "clock", c->clock);
	json_int(b, &f, "running", c->running);
	json_int(b, &f, "paused", c->paused);
	json_int(b, &f, "overdue", c->overdue);
	json_int(b, &f, "due_today", c->due_today);
	json_int(b, &f, "due_soon", c->due_soon);
	json_key(b, &f, "forecast");
	json_ints(b, c->forecast, WQ_REPORT_FORECAST);
	wq_buf_puts(b, "}");
}

static void json_merchant(struct wq_buf *b, const struct wq_report_merchant *m,
			  bool record)
{
	bool f = true;

	wq_buf_puts(b, "{");
	if (record) {
		json_int(b, &f, "id", m->id);
		json_str(b, &f, "name", m->name);
		json_str(b, &f, "platform", m->platform);
		json_str(b, &f, "shop_id", m->shop_id);
		json_str(b, &f, "region", m->region);
	}
	json_int(b, &f, "complaints", m->complaints);
	json_int(b, &f, "last30", m->last30);
	json_int(b, &f, "prev30", m->prev30);
	json_key(b, &f, "growth");
	json_number(b, m->growth, m->growth_known);
	json_int(b, &f, "concluded", m->concluded);
	json_int(b, &f, "mediated", m->mediated);
	json_int(b, &f, "mediation_success", m->mediation_success);
	json_rate(b, &f, "mediation_success_rate", m->mediation_success_rate);
	json_int(b, &f, "settled_before_mediation", m->settled_before);
	json_rate(b, &f, "settled_before_mediation_rate",
		  m->settled_before_rate);
	if (record) {
		json_int(b, &f, "settled", m->settled);
		json_int(b, &f, "failed", m->failed);
		json_int(b, &f, "unperformed", m->unperformed);
		json_int(b, &f, "penalties", m->penalties);
		json_bool(b, &f, "repeat_offender", m->repeat_offender);
		json_bool(b, &f, "blacklisted", m->blacklisted);
	}
	wq_buf_puts(b, "}");
}

static char *report_to_json(const struct wq_report *r)
{
	struct wq_buf b = {0};
	bool f = true, g;

	wq_buf_puts(&b, "{");
	json_str(&b, &f, "today", r->today);
	json_int(&b, &f, "cases", r->cases);
	json_int(&b, &f, "open", r->open);
	json_counts(&b, &f, "by_status", &r->by_status);
	json_counts(&b, &f, "open_by_category", &r->open_by_category);
	json_counts(&b, &f, "open_by_region", &r->open_by_region);
	json_counts(&b, &f, "open_by_type", &r->open_by_type);
	json_counts(&b, &f, "open_by_flag", &r->open_by_flag);
	json_counts(&b, &f, "diversion_open_by_region",
		    &r->diversion_by_region);
	json_counts(&b, &f, "reports_by_status", &r->reports_by_status);
	json_counts(&b, &f, "diversion_by_status", &r->diversion_by_status);
	json_counts(&b, &f, "diversion_by_found_region",
		    &r->diversion_by_found_region);
	json_counts(&b, &f, "diversion_by_authorised_region",
		    &r->diversion_by_authorised_region);
	json_counts(&b, &f, "ip_by_status", &r->ip_by_status);
	json_counts(&b, &f, "ip_findings", &r->ip_findings);

	json_key(&b, &f, "due");
	wq_buf_puts(&b, "{");
	g = true;
	json_str(&b, &g, "soon_until", r->soon_until);
	json_key(&b, &g, "forecast_days");
	wq_buf_puts(&b, "[");
	for (int i = 0; i < WQ_REPORT_FORECAST; i++) {
		wq_buf_puts(&b, i ? "," : "");
		wq_buf_json_string(&b, r->forecast_day[i]);
	}
	wq_buf_puts(&b, "]");
	json_bool(&b, &g, "calendar_uncertain", r->calendar_uncertain);
	json_key(&b, &g, "calendar_to_import");
	wq_buf_puts(&b, "[");
	for (size_t i = 0; i < r->ncalendar_missing; i++)
		wq_buf_printf(&b, "%s{\"year\":%d,\"deadlines\":%" PRId64 "}",
			      i ? "," : "", r->calendar_missing[i].year,
			      r->calendar_missing[i].deadlines);
	wq_buf_puts(&b, "]");
	json_key(&b, &g, "all");
	json_clock(&b, &r->due);
	json_key(&b, &g, "clocks");
	wq_buf_puts(&b, "[");
	for (size_t i = 0; i < r->nclocks; i++) {
		wq_buf_puts(&b, i ? "," : "");
		json_clock(&b, &r->clocks[i]);
	}
	wq_buf_puts(&b, "]}");

	json_key(&b, &f, "mediators");
	wq_buf_puts(&b, "[");
	for (size_t i = 0; i < r->nmediators; i++) {
		const struct wq_report_mediator *m = &r->mediators[i];

		g = true;
		wq_buf_puts(&b, i ? ",{" : "{");
		json_str(&b, &g, "login", m->login);
		json_str(&b, &g, "name", m->name);
		json_str(&b, &g, "role", wq_role_name(m->role));
		json_int(&b, &g, "open", m->open);
		json_int(&b, &g, "overdue", m->overdue);
		json_int(&b, &g, "due_today", m->due_today);
		json_int(&b, &g, "rulings_today", m->rulings_today);
		wq_buf_puts(&b, "}");
	}
	wq_buf_puts(&b, "]");
	json_int(&b, &f, "unassigned", r->unassigned);

	json_key(&b, &f, "daily");
	wq_buf_puts(&b, "{");
	g = true;
	json_key(&b, &g, "days");
	wq_buf_puts(&b, "[");
	for (int i = 0; i < WQ_REPORT_HISTORY; i++) {
		wq_buf_puts(&b, i ? "," : "");
		wq_buf_json_string(&b, r->history_day[i]);
	}
	wq_buf_puts(&b, "]");
	json_key(&b, &g, "intake");
	json_ints(&b, r->intake, WQ_REPORT_HISTORY);
	json_key(&b, &g, "closed");
	json_ints(&b, r->closed, WQ_REPORT_HISTORY);
	json_int(&b, &g, "intake_last30", r->intake_last30);
	json_int(&b, &g, "intake_prev30", r->intake_prev30);
	json_key(&b, &g, "intake_growth");
	json_number(&b, r->intake_growth, r->intake_growth_known);
	wq_buf_puts(&b, "}");

	json_key(&b, &f, "merchants");
	wq_buf_puts(&b, "{");
	g = true;
	json_int(&b, &g, "count", r->merchants);
	json_int(&b, &g, "repeat_offenders", r->repeat_offenders);
	json_int(&b, &g, "blacklisted", r->blacklisted);
	json_key(&b, &g, "all");
	json_merchant(&b, &r->all_merchants, false);
	json_key(&b, &g, "top");
	wq_buf_puts(&b, "[");
	for (size_t i = 0; i < r->ntop; i++) {
		wq_buf_puts(&b, i ? "," : "");
		json_merchant(&b, &r->top[i], true);
	}
	wq_buf_puts(&b, "]}");

	json_key(&b, &f, "collective");
	wq_buf_puts(&b, "{");
	g = true;
	json_int(&b, &g, "groups", r->groups);
	json_int(&b, &g, "flagged_open", r->collective_open);
	json_key(&b, &g, "top");
	wq_buf_puts(&b, "[");
	for (size_t i = 0; i < r->ngroup; i++) {
		const struct wq_report_group *gr = &r->group[i];
		bool h = true;

		wq_buf_puts(&b, i ? ",{" : "{");
		json_int(&b, &h, "id", gr->id);
		json_str(&b, &h, "title", gr->title);
		json_str(&b, &h, "merchant", gr->merchant);
		json_int(&b, &h, "members", gr->members);
		json_int(&b, &h, "open", gr->open);
		wq_buf_puts(&b, "}");
	}
	wq_buf_puts(&b, "]}");

	json_key(&b, &f, "possibly_malicious");
	wq_buf_puts(&b, "{");
	g = true;
	json_int(&b, &g, "open", r->malicious_open);
	json_key(&b, &g, "oldest");
	wq_buf_puts(&b, "[");
	for (size_t i = 0; i < r->nmalicious; i++) {
		const struct wq_report_case *c = &r->malicious[i];
		bool h = true;

		wq_buf_puts(&b, i ? ",{" : "{");
		json_str(&b, &h, "number", c->number);
		json_str(&b, &h, "status", c->status);
		json_str(&b, &h, "received_at", c->received_at);
		json_key(&b, &h, "assignee");
		if (*c->assignee)
			wq_buf_json_string(&b, c->assignee);
		else
			wq_buf_puts(&b, "null");
		json_str(&b, &h, "merchant", c->merchant);
		wq_buf_puts(&b, "}");
	}
	wq_buf_puts(&b, "]}");

	json_key(&b, &f, "audit_head");
	wq_buf_puts(&b, "{");
	g = true;
	json_int(&b, &g, "event", r->audit_head_id);
	json_str(&b, &g, "hash", r->audit_head_hash);
	wq_buf_puts(&b, "}");
	wq_buf_puts(&b, "}");
	return b.data;
}

enum wq_err wq_report_json(struct wq_store *store, const struct wq_user *actor,
			   char **json)
{
	struct wq_report r;
	enum wq_err err;

	*json = NULL;
	err = wq_report_load(store, actor, &r);
	if (!err)
		*json = report_to_json(&r);
	wq_report_free(&r);
	return err;
}

/* ---- a merchant's flags ---- */

enum wq_err wq_merchant_flag(struct wq_store *store, const struct wq_user *actor,
			     int64_t merchant_id, const char *flag, bool on)
{
	return wq_merchant_mark(store, actor, merchant_id, flag, on, NULL,
				NULL);
}

/* An event's details as SQLite's json_object() wrote them before they were
 * built here: the audit chain hashes these bytes, so a control character
 * keeps SQLite's lower-case \u00xx (Jansson writes upper case); keys stay
 * in the order packed.  Takes the reference; malloc'd, NULL when a text is
 * not UTF-8 (or out of memory). */
static char *details_text(json_t *details)
{
	char *text = details ? json_dumps(details, JSON_COMPACT) : NULL;

	json_decref(details);
	for (char *p = text; p && *p; p++) {
		if (*p != '\\')
			continue;
		if (*++p == 'u')
			for (int i = 1; i <= 4 && p[i]; i++)
				p[i] = (char)tolower((unsigned char)p[i]);
	}
	return text;
}

/* Column i as a JSON value: null for NULL, as json_object() took it. */
static json_t *column_json_int(struct wq_stmt *st, int i)
{
	return wq_column_is_null(st, i)
		       ? json_null()
		       : json_integer((json_int_t)wq_column_int64(st, i));
}

static json_t *column_json_text(struct wq_stmt *st, int i)
{
	const char *text = wq_column_text_or_null(st, i);

	return text ? json_string(text) : json_null();
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return false;
	return true;
}

/* Free text a supervisor gives (a reason, a legal basis, a decision). */
static enum wq_err check_text(const char *what, const char *text)
{
	if (strlen(text) > 2000)
		return wq_fail(WQ_ERR_INVALID, N_("%s: longer than 2000 bytes"),
			       what);
	return case_check_utf8(what, text);
}

enum wq_err wq_merchant_mark(struct wq_store *store, const struct wq_user *actor,
			     int64_t merchant_id, const char *flag, bool on,
			     const char *reason, const char *basis)
{
	const char *column;
	struct wq_stmt *st;
	enum wq_err err;
	char *details = NULL;
	bool found = false, was = false;

	if (actor->role != WQ_ROLE_SUPERVISOR)
		return wq_fail(WQ_ERR_DENIED,
			       N_("only a supervisor marks a merchant"));
	if (!flag)
		flag = "";
	/* A mark on a merchant's credit is a finding against it: it says
	 * why and on what legal basis; lifting it says why. */
	if (blank(reason))
		return wq_fail(WQ_ERR_INVALID,
			       N_("a merchant's mark, set or lifted, needs its "
				  "reason (--reason)"));
	if (on && blank(basis))
		return wq_fail(WQ_ERR_INVALID,
			       N_("a merchant's mark needs its legal basis "
				  "(--basis), e.g. the article it rests on"));
	if (!basis)
		basis = "";
	if ((err = check_text("--reason", reason)) ||
	    (err = check_text("--basis", basis)))
		return err;
	if (strcmp(flag, "repeat-offender") == 0)
		column = "repeat_offender";
	else if (strcmp(flag, "blacklist") == 0)
		column = "blacklisted";
	else
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not a merchant flag (repeat-offender, "
			       "blacklist)"),
			       flag);

	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_store_prepare(store,
			       strcmp(column, "blacklisted") == 0
				       ? "SELECT blacklisted FROM merchants"
					 " WHERE id = ?1"
				       : "SELECT repeat_offender FROM merchants"
					 " WHERE id = ?1",
			       &st);
	if (err)
		goto rollback;
	wq_bind_int64(st, 1, merchant_id);
	if (wq_step(st) == WQ_ROW) {
		found = true;
		was = wq_column_int(st, 0) != 0;
	}
	wq_store_finalize(store, st);
	if (!found) {
		err = wq_fail(WQ_ERR_NOT_FOUND, N_("no merchant with id %" PRId64),
			      merchant_id);
		goto rollback;
	}
	if (was == on) {
		wq_store_rollback(store);
		return WQ_ERR_OK;
	}
	err = wq_store_prepare(
		store,
		strcmp(column, "blacklisted") == 0
			? "UPDATE merchants SET blacklisted = ?2 WHERE id = ?1"
			  " RETURNING name, complaints, repeat_offender,"
			  " blacklisted"
			: "UPDATE merchants SET repeat_offender = ?2 WHERE id = ?1"
			  " RETURNING name, complaints, repeat_offender,"
			  " blacklisted",
		&st);
	if (err)
		goto rollback;
	wq_bind_int64(st, 1, merchant_id);
	wq_bind_int(st, 2, on ? 1 : 0);
	if (wq_step(st) == WQ_ROW) {
		details = details_text(json_pack(
			"{s:I, s:o, s:s, s:b, s:o, s:b, s:b, s:s, s:s}",
			"merchant", (json_int_t)merchant_id, "name",
			column_json_text(st, 0), "flag", flag, "on", on,
			"complaints", column_json_int(st, 1),
			"repeat_offender", wq_column_int(st, 2) != 0,
			"blacklisted", wq_column_int(st, 3) != 0, "reason",
			reason, "basis", basis));
		if (!details)
			err = wq_fail(WQ_ERR_INVALID,
				      N_("merchant %" PRId64 ": its record "
					 "is not valid UTF-8 text"),
				      merchant_id);
	} else {
		err = wq_store_error(store, "merchant flag");
	}
	/* Step to the end so the UPDATE completes before the next one. */
	while (!err && wq_step(st) == WQ_ROW)
		;
	wq_store_finalize(store, st);
	if (!err)
		err = wq_store_prepare(
			store,
			"INSERT INTO merchant_marks(merchant_id, flag, on_off,"
			" reason, basis, by_login, at) VALUES (?1, ?2, ?3, ?4,"
			" ?5, ?6, ?7)",
			&st);
	if (!err) {
		char at[21];

		wq_time_format(wq_now(), at);
		wq_bind_int64(st, 1, merchant_id);
		wq_bind_text(st, 2, flag);
		wq_bind_int(st, 3, on ? 1 : 0);
		wq_bind_text(st, 4, reason);
		wq_bind_text(st, 5, basis);
		wq_bind_text(st, 6, actor->login);
		wq_bind_text(st, 7, at);
		if (wq_step(st) != WQ_DONE)
			err = wq_store_error(store, "merchant mark");
		wq_store_finalize(store, st);
	}
	if (!err)
		err = wq_audit_append(store, actor->login, 0, "merchant-mark",
				      details, NULL);
	free(details);
	if (err)
		goto rollback;
	return wq_store_commit(store);

rollback:
	wq_store_rollback(store);
	return err;
}

enum wq_err wq_merchant_penalty(struct wq_store *store,
				const struct wq_user *actor,
				int64_t merchant_id, int64_t amount_fen,
				const char *decision, const char *basis)
{
	struct wq_stmt *st;
	enum wq_err err;
	json_t *penalties = NULL;
	char *details = NULL;
	int rc;

	if (actor->role != WQ_ROLE_SUPERVISOR)
		return wq_fail(WQ_ERR_DENIED,
			       N_("only a supervisor records a merchant's "
				  "penalty"));
	if (blank(decision) || blank(basis))
		return wq_fail(
		    WQ_ERR_INVALID,
		    N_("a penalty needs the decision that imposed it "
		       "(--reason) and its legal basis (--basis)"));
	if (amount_fen < 0 || amount_fen > WQ_AMOUNT_MAX_FEN)
		return wq_fail(WQ_ERR_INVALID, N_("the penalty's amount is out "
						  "of range"));
	if ((err = check_text("--reason", decision)) ||
	    (err = check_text("--basis", basis)))
		return err;
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_store_prepare(store,
			       "UPDATE merchants SET penalties = penalties + 1"
			       " WHERE id = ?1 RETURNING penalties",
			       &st);
	if (!err) {
		wq_bind_int64(st, 1, merchant_id);
		rc = wq_step(st);
		if (rc == WQ_ROW)
			penalties = column_json_int(st, 0);
		else if (rc == WQ_DONE)
			err = wq_fail(WQ_ERR_NOT_FOUND,
				      N_("no merchant with id %" PRId64),
				      merchant_id);
		else
			err = wq_store_error(store, "merchant penalty");
		while (!err && wq_step(st) == WQ_ROW)
			;
		wq_store_finalize(store, st);
	}
	if (!err)
		err = wq_store_prepare(
			store,
			"INSERT INTO merchant_penalties(merchant_id, amount_fen,"
			" decision, basis, by_login, at) VALUES (?1, ?2, ?3, ?4,"
			" ?5, ?6) RETURNING id",
			&st);
	if (!err) {
		char at[21];

		wq_time_format(wq_now(), at);
		wq_bind_int64(st, 1, merchant_id);
		wq_bind_int64(st, 2, amount_fen);
		wq_bind_text(st, 3, decision);
		wq_bind_text(st, 4, basis);
		wq_bind_text(st, 5, actor->login);
		wq_bind_text(st, 6, at);
		if (wq_step(st) == WQ_ROW) {
			details = details_text(json_pack(
				"{s:I, s:I, s:I, s:s, s:s, s:O}", "merchant",
				(json_int_t)merchant_id, "penalty",
				(json_int_t)wq_column_int64(st, 0),
				"amount_fen", (json_int_t)amount_fen,
				"decision", decision, "basis", basis,
				"penalties", penalties));
			if (!details)
				err = wq_fail(WQ_ERR_NOMEM,
					      N_("merchant penalty"));
			while (!err && wq_step(st) == WQ_ROW)
				;
		} else {
			err = wq_store_error(store, "merchant penalty");
		}
		wq_store_finalize(store, st);
	}
	if (!err)
		err = wq_audit_append(store, actor->login, 0,
				      "merchant-penalty", details, NULL);
	json_decref(penalties);
	free(details);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

/* ---- the queue's pick lists ---- */

enum wq_err wq_report_assignee_loads(struct wq_store *store,
				     const struct wq_user *actor,
				     struct wq_report_mediator **mediators,
				     size_t *n)
{
	struct wq_report r;
	struct wq_report_counts by_assignee = {0};
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	*mediators = NULL;
	*n = 0;
	/* a desk reads only its own cases: nobody's load is its business */
	if (actor->role == WQ_ROLE_DESK)
		return wq_fail(WQ_ERR_DENIED,
			       N_("the mediators' loads are not for the desk"));
	memset(&r, 0, sizeof(r));
	wq_date_format(wq_local_day(wq_now()), r.today);
	err = wq_store_begin_read(store);
	if (err)
		return err;
	err = wq_store_prepare(store,
			       "SELECT key, n FROM report_counts"
			       " WHERE dim = 'open_assignee' AND n > 0",
			       &st);
	if (!err) {
		while ((rc = wq_step(st)) == WQ_ROW)
			counts_add(&by_assignee, wq_column_text(st, 0),
				   wq_column_int64(st, 1));
		if (rc != WQ_DONE)
			err = wq_store_error(store, "assignee loads");
		wq_store_finalize(store, st);
	}
	if (!err)
		err = load_mediators(store, &r, &by_assignee);
	wq_store_end_read(store);
	counts_free(&by_assignee);
	if (err) {
		free(r.mediators);
		return err;
	}
	*mediators = r.mediators;
	*n = r.nmediators;
	return WQ_ERR_OK;
}

enum wq_err wq_report_regions(struct wq_store *store, const char *containing,
			      struct wq_report_counts *regions)
{
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	memset(regions, 0, sizeof(*regions));
	err = wq_store_prepare(store,
			       "SELECT key, n FROM report_counts"
			       " WHERE dim = 'open_region' AND n > 0"
			       " AND key <> '' AND instr(key, ?1) > 0"
			       " ORDER BY n DESC, key",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, containing ? containing : "");
	while ((rc = wq_step(st)) == WQ_ROW) {
		counts_add(regions, wq_column_text(st, 0),
			   wq_column_int64(st, 1));
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "regions");
	wq_store_finalize(store, st);
	if (err)
		counts_free(regions);
	return err;
}

void wq_report_counts_free(struct wq_report_counts *counts)
{
	counts_free(counts);
}
