#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "weiquan/calendar.h"
#include "weiquan/case.h"
#include "weiquan/clock.h"
#include "weiquan/store.h"
#include "weiquan/wqtime.h"
#include "case_internal.h"
#include "util.h"

#define DEFAULT_LIMIT 50

struct order_spec {
	const char *name;
	const char *key;       /* the keyset column */
	const char *cmp;       /* ">" ascending, "<" descending */
	const char *dir;
	int column;            /* the key's position in SELECT_ROW */
	bool int_key;          /* the cursor's key is a number */
};

/* Each key with the case id after it is an index's order (the id is the
 * rowid every index of SQLite's ends with; PostgreSQL's status indexes
 * name it, schema version 23), so every page is an index range; the
 * open cases' (the queue's default status) in the due, amount and
 * merchant orders are ranges of indexes of the open cases alone
 * (cases_open_by_*, schema version 22), which no closed case slows; the
 * review order lists the cases in review alone, the longest waiting
 * first, from the wait the database keeps for each (review_waits,
 * REVIEW_SINCE's value): every case in review by review_waits_by_since,
 * one assignee's (or the unassigned) by review_waits_by_assignee. */
static const struct order_spec orders[] = {
	{"due", "c.due_on", ">", "ASC", 16, false},
	{"received", "c.received_at", "<", "DESC", 14, false},
	{"amount", "c.amount_fen", "<", "DESC", 13, true},
	{"status", "c.status", ">", "ASC", 5, false},
	{"merchant", "c.merchant_id", ">", "ASC", 20, true},
	{"review", REVIEW_SINCE, ">", "ASC", 22, false},
};

static bool review_order(const struct wq_filter *f)
{
	return f->order && strcmp(f->order, "review") == 0;
}

struct params {
	const char *text[16];
	int64_t ints[4];
	int ntext, nint;
	const char *match;     /* a search's query: only its cases */
	struct wq_store *store; /* the database that query is for */
	bool review_waits;     /* the cases come from review_waits w */
	/* The filters' terms written so that no index serves them
	 * (dense_filters()): the order's index reads the page.  Not the
	 * term on the order's own column (order), whose index serves both. */
	bool by_order;
	const char *order;
	/* A later page's key bounds the order's column from below (1, an
	 * ascending order) or above (-1).  The filter's bound on that side
	 * is then written unindexed: given two lower bounds on one column,
	 * SQLite seeks by one, and when it took the filter's, the next page
	 * of a forecast day read every case due that day (21,885 at a
	 * million cases) to find none after the day. */
	int key_bound;
	char received[2][21];  /* the UTC bounds of filter->received_* */
	char counter_key[2][128]; /* review_counter()'s "ASSIGNEE|STATUS" */
};

#define NO_DUE "'9999-12-31'"
#define CLOCK_PAUSED                                                           \
	"json_extract(c.clocks, '$.' || c.clock || '.paused') IS NOT NULL"

/* The UTC time the installation's day `day` (YYYY-MM-DD: a Beijing date,
 * as the dashboard's daily figures count, whatever the process's TZ)
 * starts, plus `plus` days, as received_at is written: a range of
 * received_at is an index range. */
bool case_local_day_start(const char *day, int plus, char out[21])
{
	int d;

	if (!wq_date_parse(day, &d))
		return false;
	wq_time_format(wq_local_day_start(d + plus), out);
	return true;
}

/* What the drill-down fields of f must be before a list or a count. */
enum wq_err case_check_filter(const struct wq_filter *f, unsigned *mask)
{
	const char *days[4] = {f->due_from, f->due_to, f->received_from,
			       f->received_to};
	int d;

	*mask = 0;
	for (int i = 0; i < 4; i++)
		if (days[i] && *days[i] &&
		    (strlen(days[i]) != 10 || !wq_date_parse(days[i], &d)))
			return wq_fail(WQ_ERR_INVALID,
				       N_("'%s' is not a date (YYYY-MM-DD)"),
				       days[i]);
	if (f->flag && *f->flag && !wq_flag_parse(f->flag, mask))
		return wq_fail(WQ_ERR_INVALID, N_("'%s' is not a flag"),
			       f->flag);
	if (f->merchant_id < 0)
		return wq_fail(WQ_ERR_INVALID, N_("%" PRId64 " is no merchant"),
			       f->merchant_id);
	return WQ_ERR_OK;
}

/* Reads a SELECT_ROW row whose first column is column `off`. */
static void fill_row(struct wq_case_row *r, struct wq_stmt *st, int off,
		     const struct wq_calendar *cal, int today)
{
	memset(r, 0, sizeof(*r));
	r->id = wq_column_int64(st, off + 0);
	r->version = wq_column_int64(st, off + 1);
	snprintf(r->number, sizeof(r->number), "%s",
		 wq_column_text(st, off + 2));
	snprintf(r->type, sizeof(r->type), "%s", wq_column_text(st, off + 3));
	snprintf(r->status, sizeof(r->status), "%s",
		 wq_column_text(st, off + 4));
	snprintf(r->substate, sizeof(r->substate), "%s",
		 wq_column_text(st, off + 5));
	snprintf(r->category, sizeof(r->category), "%s",
		 wq_column_text(st, off + 6));
	snprintf(r->region, sizeof(r->region), "%s",
		 wq_column_text(st, off + 7));
	snprintf(r->merchant, sizeof(r->merchant), "%s",
		 wq_column_text(st, off + 8));
	r->merchant_repeat = wq_column_int(st, off + 9);
	r->merchant_blacklisted = wq_column_int(st, off + 10);
	snprintf(r->consumer, sizeof(r->consumer), "%s",
		 wq_column_text(st, off + 11));
	r->amount_fen = wq_column_int64(st, off + 12);
	snprintf(r->received_at, sizeof(r->received_at), "%s",
		 wq_column_text(st, off + 13));
	snprintf(r->clock, sizeof(r->clock), "%s",
		 wq_column_text(st, off + 14));
	if (strcmp(wq_column_text(st, off + 15), "9999-12-31") != 0)
		snprintf(r->due_on, sizeof(r->due_on), "%s",
			 wq_column_text(st, off + 15));
	snprintf(r->assignee, sizeof(r->assignee), "%s",
		 wq_column_text(st, off + 16));
	r->flags = (unsigned)wq_column_int(st, off + 17);
	r->clock_paused = wq_column_int64(st, off + 18) != 0;
	r->merchant_id = wq_column_int64(st, off + 19);
	snprintf(r->follow_up_on, sizeof(r->follow_up_on), "%s",
		 wq_column_text(st, off + 20));
	if (*r->follow_up_on && cal) {
		int day;
		bool uncertain;

		if (wq_date_parse(r->follow_up_on, &day))
			r->follow_up_days = wq_cal_workdays_between(
				cal, today, day, &uncertain);
	}
	if (*r->due_on && cal) {
		int due;

		if (wq_date_parse(r->due_on, &due))
			r->days_left = wq_clock_days_left(
				cal, r->clock, today, due, &r->days_uncertain);
	}
	snprintf(r->review_since, sizeof(r->review_since), "%s",
		 wq_column_text(st, off + 21));
	wq_case_row_review_days(r, cal, today);
	if (*r->due_on) {
		const struct wq_statute_clock *statute =
			wq_statute_clock(r->clock);

		r->due_unverified = statute ? !statute->verified
					    : wq_column_int(st, off + 22) == 0;
	}
}

/* A page of a list: a row of the cases with its merchant (which the
 * lists show), not its consumer's name, which no list shows (the queue,
 * `case list`): at a million cases the consumer's row is one more read
 * of a page in no cache for each row listed.  The consumer column is
 * ''.  For the same reason the pending follow-up is follow_ups' (open
 * cases with one: the open work's size), not a search of the contacts
 * (the whole history's). */
#define SELECT_ROW SELECT_ROW_FROM(REVIEW_SINCE, "")
/* One case's row as a lookup shows it (wq_case_reader: the consumer a
 * caller found the case by). */
#define SELECT_ROW_CONSUMER                                                    \
	SELECT_ROW_COLS(REVIEW_SINCE, "p.name",                                \
			" JOIN consumers p ON p.id = c.consumer_id")
/* The review order reads the cases from their waits: the page is a range
 * of review_waits_by_since or review_waits_by_assignee, its ties in case
 * id order (the indexes' rowid, w.case_id), and each row's wait is the
 * index entry's (REVIEW_SINCE would look it up again in review_waits). */
#define REVIEW_JOIN " JOIN review_waits w ON w.case_id = c.id"
#define SELECT_ROW_FROM(since, join) SELECT_ROW_COLS(since, "''", join)
#define SELECT_ROW_COLS(since, consumer, join)                                 \
	"SELECT " ROW_COLUMNS(since, consumer)                                 \
	" FROM cases c JOIN merchants m ON m.id = c.merchant_id" join
#define ROW_COLUMNS(since, consumer)                                           \
	"c.id, c.version, c.number, c.type, c.status, c.substate,"            \
	" c.category, c.region, m.name, m.repeat_offender, m.blacklisted, "   \
	consumer ", c.amount_fen, c.received_at, c.clock, c.due_on,"          \
	" coalesce(c.assignee, ''), c.flags,"                                 \
	" CASE WHEN c.clock <> '' THEN json_extract(c.clocks, '$.' ||"       \
	" c.clock || '.paused') END IS NOT NULL, c.merchant_id,"              \
	" (SELECT f.due_on FROM follow_ups f WHERE f.case_id = c.id), "      \
	since ", " DUE_VERIFIED

/* The login an assignee filter names (the actor's for "me"), and the
 * key the counters keep its cases under: '' for the unassigned ("none"). */
static const char *assignee_key(const struct wq_user *actor,
				const char *assignee)
{
	if (strcmp(assignee, "none") == 0)
		return "";
	return strcmp(assignee, "me") == 0 ? actor->login : assignee;
}

/* The flags with an index of their own (schema 27). */
#define RARE_FLAGS                                                             \
	(WQ_FLAG(COLLECTIVE) | WQ_FLAG(WRONGFUL_NOTICE) |                      \
	 WQ_FLAG(MALICIOUS_NOTICE))

static bool rare_flag(const struct wq_filter *f)
{
	unsigned mask = 0;

	return f->flag && *f->flag && wq_flag_parse(f->flag, &mask) &&
	       (mask & RARE_FLAGS) != 0;
}

/* A text column's term no index can serve, on either database, unless
 * the column is the order's (an order name of orders[]). */
static const char *unindexed(const struct params *p, const char *order)
{
	return p->by_order &&
		       !(order && p->order && strcmp(p->order, order) == 0)
		   ? " || ''"
		   : "";
}

/* unindexed() for a bound of a range filter on the column of the order
 * named order: lower is whether it is the range's lower bound. */
static const char *bound_unindexed(const struct params *p, const char *order,
				   bool lower)
{
	if (p->key_bound && p->order && strcmp(p->order, order) == 0 &&
	    (p->key_bound > 0) == lower)
		return " || ''";
	return unindexed(p, order);
}

static void add_filters(struct wq_buf *sql, struct params *p,
			const struct wq_user *actor, const struct wq_filter *f)
{
	const char *status = f->status && *f->status ? f->status : "open";

	if (strcmp(status, "open") == 0) {
		/* Every case in review_waits is open (in review).  Said
		 * anyway, the term made SQLite read every open case through
		 * an index of them and sort them by wait. */
		if (!p->review_waits)
			wq_buf_puts(sql, " AND c.status <> 'closed'");
	} else if (strcmp(status, "all") != 0) {
		/* The unassigned pool is small and its own indexes hold it
		 * in every order; through a status's index, the unassigned
		 * closed cases (none) by received read every closed case,
		 * 2,308,000 SQLite steps at 999,015 cases. */
		bool pool = f->assignee && strcmp(f->assignee, "none") == 0 &&
			    !p->review_waits;

		wq_buf_printf(sql, " AND c.status%s = ?%d",
			      pool ? " || ''" : unindexed(p, "status"),
			      ++p->ntext);
		p->text[p->ntext - 1] = status;
		/* No case of another status is in review_waits. */
		if (p->review_waits && strcmp(status, "first_review") != 0 &&
		    strcmp(status, "final_review") != 0)
			wq_buf_puts(sql, " AND FALSE");
		/* ... and an open status's cases come from the order's
		 * index of the open cases, past no closed one. */
		if (*unindexed(p, "status") && !p->review_waits &&
		    !case_is_closed_status(status))
			wq_buf_puts(sql, " AND c.status <> 'closed'");
	}
	if (f->category && *f->category) {
		wq_buf_printf(sql, " AND c.category%s = ?%d",
			      unindexed(p, NULL), ++p->ntext);
		p->text[p->ntext - 1] = f->category;
	}
	if (f->region && *f->region) {
		wq_buf_printf(sql, " AND c.region%s = ?%d", unindexed(p, NULL),
			      ++p->ntext);
		p->text[p->ntext - 1] = f->region;
	}
	if (f->type && *f->type) {
		wq_buf_printf(sql, " AND c.type%s = ?%d", unindexed(p, NULL),
			      ++p->ntext);
		p->text[p->ntext - 1] = f->type;
	}
	/* review_waits keeps each case's assignee (schema version 21): the
	 * condition on its copy makes the page a range of its index.  A
	 * rare flag's own index (schema 27) serves better than the
	 * assignee's, which holds a mediator's 170,000 cases. */
	const char *assignee_column =
	    p->review_waits ? "w.assignee" : "c.assignee";
	const char *assignee_unindexed = rare_flag(f) ? " || ''" : "";
	int assignee_param = 0;

	if (f->assignee && *f->assignee) {
		if (strcmp(f->assignee, "none") == 0) {
			wq_buf_printf(sql, " AND (%s%s) IS NULL",
				      assignee_column, assignee_unindexed);
		} else {
			assignee_param = ++p->ntext;
			wq_buf_printf(sql, " AND %s%s = ?%d", assignee_column,
				      assignee_unindexed, assignee_param);
			p->text[p->ntext - 1] =
			    assignee_key(actor, f->assignee);
		}
	}
	if (f->follow_up_by && *f->follow_up_by) {
		/* the case's latest contact names a follow-up by then:
		 * follow_ups keeps it for each open case, by assignee and
		 * date (schema version 19), so the view starts from that
		 * index range instead of every case's contacts; a closed
		 * case is in no follow_ups, its latest contact is read */
		if (strcmp(status, "open") == 0) {
			wq_buf_puts(sql, " AND c.id IN (SELECT f.case_id"
					 " FROM follow_ups f WHERE");
			if (assignee_param)
				wq_buf_printf(sql, " f.assignee = ?%d AND",
					      assignee_param);
			wq_buf_printf(sql, " f.due_on BETWEEN '0' AND ?%d)",
				      ++p->ntext);
		} else {
			wq_buf_printf(sql,
				      " AND (SELECT x.follow_up_on FROM contacts"
				      " x WHERE x.case_id = c.id ORDER BY x.id"
				      " DESC LIMIT 1) BETWEEN '0' AND ?%d",
				      ++p->ntext);
		}
		p->text[p->ntext - 1] = f->follow_up_by;
	}
	if (review_order(f) && !p->review_waits)
		wq_buf_puts(sql, " AND c.status IN ('first_review',"
				 " 'final_review')");
	if (f->merchant_id > 0)
		wq_buf_printf(sql, " AND c.merchant_id%s = %" PRId64,
			      *unindexed(p, "merchant") ? " + 0" : "",
			      f->merchant_id);
	if (f->clock && *f->clock) {
		wq_buf_printf(sql, " AND c.clock%s = ?%d", unindexed(p, NULL),
			      ++p->ntext);
		p->text[p->ntext - 1] = f->clock;
	}
	if ((f->due_from && *f->due_from) || (f->due_to && *f->due_to)) {
		/* as report_due counts: a running clock, not paused */
		wq_buf_puts(sql, " AND c.due_on <> " NO_DUE
				 " AND NOT (" CLOCK_PAUSED ")");
		if (f->due_from && *f->due_from) {
			wq_buf_printf(sql, " AND c.due_on%s >= ?%d",
				      bound_unindexed(p, "due", true),
				      ++p->ntext);
			p->text[p->ntext - 1] = f->due_from;
		}
		if (f->due_to && *f->due_to) {
			wq_buf_printf(sql, " AND c.due_on%s <= ?%d",
				      bound_unindexed(p, "due", false),
				      ++p->ntext);
			p->text[p->ntext - 1] = f->due_to;
		}
	}
	if (f->flag && *f->flag) {
		unsigned mask = 0;

		/* "flags <> 0" lets the planner read cases_flagged, which
		 * holds the flagged cases alone, in due order; a rare flag's
		 * own index (schema 27) answers "(flags & bit) = bit", and
		 * "<> 0" is its WHERE.  Only a rare flag's: PostgreSQL
		 * takes the two terms for a tiny share of the cases, and
		 * sorted all 17,910 open reports at 794,081 cases (140 ms)
		 * instead of reading cases_flagged in due order. */
		if (wq_flag_parse(f->flag, &mask)) {
			if (!p->by_order)
				wq_buf_puts(sql, " AND c.flags <> 0");
			wq_buf_printf(sql, " AND (c.flags & %u) <> 0", mask);
			if (!p->by_order && (mask & RARE_FLAGS))
				wq_buf_printf(sql, " AND (c.flags & %u) = %u",
					      mask, mask);
		}
	}
	if (f->received_from && *f->received_from &&
	    case_local_day_start(f->received_from, 0, p->received[0])) {
		wq_buf_printf(sql, " AND c.received_at%s >= ?%d",
			      bound_unindexed(p, "received", true),
			      ++p->ntext);
		p->text[p->ntext - 1] = p->received[0];
	}
	if (f->received_to && *f->received_to &&
	    case_local_day_start(f->received_to, 1, p->received[1])) {
		wq_buf_printf(sql, " AND c.received_at%s < ?%d",
			      bound_unindexed(p, "received", false),
			      ++p->ntext);
		p->text[p->ntext - 1] = p->received[1];
	}
	if (f->flagged)
		wq_buf_puts(sql, " AND (c.flags <> 0 OR c.merchant_id IN"
				 " (SELECT id FROM merchants WHERE"
				 " repeat_offender = 1 OR blacklisted = 1))");
	if (p->match) {
		char *docs = wq_store_search_docs_sql(p->store, ++p->ntext);

		wq_buf_printf(sql,
			      " AND c.id IN (SELECT " WQ_SEARCH_CASE_OF_DOC_SQL
			      " FROM (%s) AS hits)",
			      docs);
		free(docs);
		p->text[p->ntext - 1] = p->match;
	}
	/* A desk reads what it registered: wq_case_authorize's read rule,
	 * as a condition so the queue pages in SQL; keep the two alike. */
	if (actor->role == WQ_ROLE_DESK) {
		wq_buf_printf(sql, " AND c.created_by = ?%d", ++p->ntext);
		p->text[p->ntext - 1] = actor->login;
	}
}

static void bind_params(struct wq_stmt *st, const struct params *p)
{
	for (int i = 0; i < p->ntext; i++)
		wq_bind_text(st, i + 1, p->text[i]);
}

/* A page of all cases of one status, or of the open cases of one
 * category, in an order not their own, reads either their index and
 * sorts every case of it, or the order's index until a page of them has
 * turned up.  SQLite takes the first even knowing the rows (ANALYZE):
 * 184,310 cases in mediation by received took 1.6 s of 794,081.  The
 * counters tell which costs less: when at least one case in DENSE_RATIO
 * is selected, the order's index finds a page within some 8,000 rows
 * (the cases of a status or category being spread over every order);
 * when fewer, their own index leaves fewer than 2,000 to sort.  Not
 * with the other filters: a deadline or a clock goes with the order the
 * cases came in (the overdue are the older ones), and the order's index
 * would read past most cases before the first of them; nor where an
 * assignee narrows the view (the assignee's indexes hold both). */
#define DENSE_RATIO 400

static bool counted(struct wq_store *store, const struct wq_user *actor,
		    const struct wq_filter *f, int64_t *count);

static bool set(const char *s) { return s && *s; }

static bool dense_filters(struct wq_store *store,
			  const struct wq_user *actor,
			  const struct wq_filter *f, const char *order)
{
	struct wq_filter all = {.status = "all"};
	const char *status = set(f->status) ? f->status : "open";
	bool one_status = strcmp(status, "open") != 0 &&
			  strcmp(status, "all") != 0;
	int64_t selected, total;

	/* In due order, one status's cases, or all of one category's,
	 * are a range of their own index (status or category, due_on,
	 * id): the cases in mediation last due first read 1,032,000
	 * steps at 999,015 cases through the due index.  One status's in
	 * received order are one of cases_by_status_received (schema
	 * 28). */
	if (strcmp(order, "due") == 0 &&
	    (one_status ? !set(f->category)
			: strcmp(status, "all") == 0 && set(f->category)))
		return false;
	if (strcmp(order, "received") == 0 && one_status && !set(f->category))
		return false;

	if ((f->assignee && *f->assignee) || f->flagged ||
	    (f->follow_up_by && *f->follow_up_by) ||
	    (f->region && *f->region) || (f->type && *f->type) ||
	    (f->clock && *f->clock) || (f->flag && *f->flag) ||
	    (f->due_from && *f->due_from) || (f->due_to && *f->due_to) ||
	    (f->received_from && *f->received_from) ||
	    (f->received_to && *f->received_to) || f->merchant_id > 0)
		return false;
	return counted(store, actor, f, &selected) &&
	       counted(store, actor, &all, &total) && total > 0 &&
	       selected * DENSE_RATIO >= total;
}

static enum wq_err list_queue(struct wq_store *store,
			      const struct wq_user *actor,
			      const struct wq_filter *f,
			      const struct order_spec *o, const char *match,
			      int limit, struct wq_case_page *page)
{
	const bool ascending = (strcmp(o->dir, "ASC") == 0) != f->reverse;
	const char *cmp = ascending ? ">" : "<";
	const char *dir = ascending ? "ASC" : "DESC";
	const bool waits = strcmp(o->name, "review") == 0;
	const char *select =
	    waits ? SELECT_ROW_FROM("w.since", REVIEW_JOIN) " WHERE TRUE"
		  : SELECT_ROW " WHERE TRUE";
	const char *id = waits ? "w.case_id" : "c.id";
	const char *okey = waits ? "w.since" : o->key;
	struct wq_buf sql = {0};
	/* The review order reads review_waits in wait order: the cases in
	 * review, each a row, filtered as they come. */
	const struct params fresh = {
	    .match = match,
	    .store = store,
	    .review_waits = waits,
	    .by_order = !match &&
			(waits || dense_filters(store, actor, f, o->name)),
	    .order = o->name};
	struct params p = fresh;
	struct wq_stmt *st;
	enum wq_err err;
	const struct wq_calendar *cal = wq_clock_calendar(store);
	int today = wq_local_day(wq_now()), rc;
	char *key = NULL;
	int64_t after_id = 0;
	size_t n = 0;

	if (f->after && *f->after) {
		/* The cursor is "KEY,ID" of the last row shown. */
		const char *comma = strrchr(f->after, ',');
		char *end;

		if (!comma)
			goto bad_cursor;
		after_id = strtoll(comma + 1, &end, 10);
		if (*end || after_id <= 0)
			goto bad_cursor;
		key = wq_strndup(f->after, (size_t)(comma - f->after));
	}
	if (!key) {
		wq_buf_puts(&sql, select);
		add_filters(&sql, &p, actor, f);
		wq_buf_printf(&sql, " ORDER BY %s %s, %s %s LIMIT %d",
			      okey, dir, id, dir, limit + 1);
	} else {
		/* A row-value seek "(key, id) > (?, ?)" scans every row that
		 * shares the cursor's key (thousands share a due date at a
		 * million cases), so the page is the rest of that key's rows
		 * and then the next keys, each an exact index range. */
		struct params p2 = fresh;
		int k;

		p.key_bound = p2.key_bound = ascending ? 1 : -1;

		wq_buf_printf(&sql, "SELECT * FROM (%s", select);
		add_filters(&sql, &p, actor, f);
		k = p.ntext + 1;
		wq_buf_printf(&sql,
			      " AND %s = ?%d AND %s %s %" PRId64
			      " ORDER BY %s %s LIMIT %d) AS same_key",
			      okey, k, id, cmp, after_id, id, dir, limit + 1);
		wq_buf_printf(&sql, " UNION ALL SELECT * FROM (%s", select);
		add_filters(&sql, &p2, actor, f);
		wq_buf_printf(&sql,
			      " AND %s %s ?%d ORDER BY %s %s, %s %s LIMIT %d)"
			      " AS next_keys ORDER BY %d %s, 1 %s LIMIT %d",
			      okey, cmp, k, okey, dir, id, dir, limit + 1,
			      o->column, dir, dir, limit + 1);
		p.text[p.ntext++] = key;
	}
	err = wq_store_prepare(store, sql.data, &st);
	wq_buf_free(&sql);
	if (err) {
		free(key);
		return err;
	}
	bind_params(st, &p);
	if (key && o->int_key)
		wq_bind_int64(st, p.ntext, strtoll(key, NULL, 10));
	page->rows = wq_xcalloc((size_t)limit + 1, sizeof(*page->rows));
	while ((rc = wq_step(st)) == WQ_ROW && n <= (size_t)limit)
		fill_row(&page->rows[n++], st, 0, cal, today);
	if (rc != WQ_ROW && rc != WQ_DONE)
		err = wq_store_error(store, "case list");
	wq_store_finalize(store, st);
	free(key);
	if (n > (size_t)limit) {
		const struct wq_case_row *last = &page->rows[limit - 1];

		n = (size_t)limit;
		if (strcmp(o->name, "due") == 0)
			page->next_cursor = wq_asprintf(
				"%s,%" PRId64,
				*last->due_on ? last->due_on : "9999-12-31",
				last->id);
		else if (strcmp(o->name, "received") == 0)
			page->next_cursor = wq_asprintf(
				"%s,%" PRId64, last->received_at, last->id);
		else if (strcmp(o->name, "status") == 0)
			page->next_cursor = wq_asprintf(
				"%s,%" PRId64, last->status, last->id);
		else if (strcmp(o->name, "review") == 0)
			page->next_cursor = wq_asprintf(
				"%s,%" PRId64, last->review_since, last->id);
		else if (strcmp(o->name, "merchant") == 0)
			page->next_cursor =
				wq_asprintf("%" PRId64 ",%" PRId64,
					    last->merchant_id, last->id);
		else
			page->next_cursor = wq_asprintf(
				"%" PRId64 ",%" PRId64, last->amount_fen,
				last->id);
	}
	page->count = n;
	return err;

bad_cursor:
	wq_buf_free(&sql);
	return wq_fail(WQ_ERR_INVALID, N_("'%s' is not a cursor from this list"),
		       f->after);
}

/* Search pages list every case with a hit once, the newest case (highest
 * id) first, or the oldest with f->reverse.  Index rowids number a case's
 * documents together, in case order (wq_store_index_text), so the index
 * hands over the hits in the order of the pages and the first page costs
 * the same however many cases match; the cursor is the id of the last
 * case shown.
 *
 * On SQLite one statement streams the hits, each joined to its case as it
 * comes and checked against the filters, and the page stops reading when
 * it is full (list_search_streamed).  Each statement over FTS5 opens the
 * term's every segment again (27 to 33 on the million-case file, two
 * terms for 退款): read as chunks, a mediator's page of their own cases
 * took ten statements, 7.8 ms, where the stream takes 1.8 (both warm).
 *
 * On PostgreSQL (list_search) the hits are read SEARCH_HITS_CHUNK at a
 * time, each chunk a query of its own with a LIMIT: PostgreSQL returns a
 * query's whole result at once and cannot take its GIN index's hits in
 * order, so without one it sorted and sent every hit of a common term
 * (hundreds of thousands at a million cases) for a page of 50; with one
 * its planner may walk search_docs' key backwards instead and stop at the
 * chunk's end.  A phrase is the exception: GIN checks each of its
 * candidates in the table, so a common one costs its every hit whatever
 * the page, and windows of the documents in order come first
 * (SEARCH_WINDOWS below). */
#define SEARCH_HITS_CHUNK 256

/* Where the index would check each candidate in its row
 * (wq_store_search_window_sql()), up to SEARCH_WINDOWS windows of the
 * documents in order come first, SEARCH_WINDOW_FIRST documents and four
 * times as many each time, while at least one case in
 * SEARCH_WINDOW_SPARSE documents had a hit.  On a million cases
 * (5,516,934 documents) on PostgreSQL, 质量问题 is in 128,491 of them,
 * and the first 4,096 held 64. */
#define SEARCH_WINDOWS 3
#define SEARCH_WINDOW_FIRST 2048
#define SEARCH_WINDOW_SPARSE 1024

/* The WITH clause's h: the next ?limit_param hits below ?bound_param (or
 * from it up, cmp ">=", dir "ASC"). */
static char *chunk_hits_sql(struct wq_store *store, int match_param,
			    int bound_param, int limit_param, const char *cmp,
			    const char *dir)
{
	char *docs = wq_store_search_docs_sql(store, match_param);
	char *defs = wq_asprintf("h AS MATERIALIZED (SELECT doc FROM (%s)"
				 " AS hits WHERE doc %s ?%d ORDER BY doc %s"
				 " LIMIT ?%d)",
				 docs, cmp, bound_param, dir, limit_param);

	free(docs);
	return defs;
}

/* The statement of a chunk or window (defs: its WITH clause, whose hits
 * are h): how many documents `span' (h or w) held and the last of them
 * (last_doc), then the cases of the hits that the filters keep, as many as
 * ?want_param, in the page's order.  One round trip a chunk on
 * PostgreSQL, where a lookup of each hit's case was one each (hundreds
 * for a mediator's page). */
static enum wq_err prepare_hits(struct wq_store *store, struct wq_stmt **st,
				const char *defs, const char *span,
				const char *last_doc, const char *filters,
				const char *dir, int want_param)
{
	struct wq_buf sql = {0};
	enum wq_err err;

	wq_buf_printf(&sql,
		      "WITH %s, k AS (SELECT DISTINCT doc >> %d AS case_id"
		      " FROM h)"
		      " SELECT (SELECT count(*) FROM %s), (SELECT %s FROM %s), "
		      ROW_COLUMNS(REVIEW_SINCE, "''")
		      " FROM k CROSS JOIN cases c"
		      " JOIN merchants m ON m.id = c.merchant_id"
		      " WHERE c.id = k.case_id%s ORDER BY c.id %s LIMIT ?%d",
		      defs, WQ_SEARCH_CASE_SHIFT, span, last_doc, span,
		      filters ? filters : "", dir, want_param);
	err = wq_store_prepare(store, sql.data, st);
	wq_buf_free(&sql);
	return err;
}

/* The first index rowid a search page reads past (newest first: the
 * hits below it; oldest first: from it up): the first rowid of the case
 * of the cursor f->after, or of the next case, or the very end. */
static enum wq_err search_bound(const struct wq_filter *f, int64_t *bound)
{
	char *end;
	long long after_case;

	*bound = f->reverse ? 0 : INT64_MAX;
	if (!f->after || !*f->after)
		return WQ_ERR_OK;
	after_case = strtoll(f->after, &end, 10);
	if (*end || after_case <= 0 ||
	    after_case >= INT64_MAX >> WQ_SEARCH_CASE_SHIFT)
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not a cursor from this search"),
			       f->after);
	*bound = (int64_t)(after_case + (f->reverse ? 1 : 0))
		 << WQ_SEARCH_CASE_SHIFT;
	return WQ_ERR_OK;
}

/* Whether the status filter keeps open cases alone. */
static bool open_only(const struct wq_filter *f)
{
	const char *status = f->status && *f->status ? f->status : "open";

	return strcmp(status, "all") != 0 && !case_is_closed_status(status);
}

/* Whether the filter keeps one assignee's open cases alone (a login,
 * "me" or "none"), which cases_open_by_assignee_id holds. */
static bool one_assignees_open_cases(const struct wq_filter *f)
{
	return f->assignee && *f->assignee && open_only(f);
}

/* A search of one assignee's open cases reads no hit beyond that
 * assignee's newest open case (oldest, reversed): one look in
 * cases_open_by_assignee_id.  At a million demo cases the 2,026 newest
 * were new complaints no one had taken yet, and li.na's first page of
 * 退款 read the hits of 1,445 cases to find her 19; from her newest open
 * case, of 288.  An assignee with no open case gets the bound that reads
 * nothing. */
static enum wq_err narrow_to_assignee(struct wq_store *store,
				      const struct wq_user *actor,
				      const struct wq_filter *f,
				      int64_t *bound)
{
	/* [reversed][unassigned] */
	static const char *const edge_sql[2][2] = {
		{"SELECT max(id) FROM cases WHERE assignee = ?1"
		 " AND status <> 'closed'",
		 "SELECT max(id) FROM cases WHERE assignee IS NULL"
		 " AND status <> 'closed'"},
		{"SELECT min(id) FROM cases WHERE assignee = ?1"
		 " AND status <> 'closed'",
		 "SELECT min(id) FROM cases WHERE assignee IS NULL"
		 " AND status <> 'closed'"},
	};
	bool unassigned;
	struct wq_stmt *st;
	enum wq_err err;
	int64_t edge;

	if (!one_assignees_open_cases(f))
		return WQ_ERR_OK;
	unassigned = strcmp(f->assignee, "none") == 0;
	err = wq_store_prepare(store, edge_sql[f->reverse][unassigned], &st);
	if (err)
		return err;
	if (!unassigned)
		wq_bind_text(st, 1, assignee_key(actor, f->assignee));
	if (wq_step(st) != WQ_ROW) {
		err = wq_store_error(store, "search");
	} else if (wq_column_is_null(st, 0)) {
		*bound = f->reverse ? INT64_MAX : 0;
	} else {
		edge = wq_column_int64(st, 0);
		if (f->reverse && edge << WQ_SEARCH_CASE_SHIFT > *bound)
			*bound = edge << WQ_SEARCH_CASE_SHIFT;
		else if (!f->reverse &&
			 (edge + 1) << WQ_SEARCH_CASE_SHIFT < *bound)
			*bound = (edge + 1) << WQ_SEARCH_CASE_SHIFT;
	}
	wq_store_finalize(store, st);
	return err;
}

/* A search page from one statement over the index: each hit in the
 * page's order joined to its case, the filters checked as it comes; a
 * case's second and later documents are skipped. */
static enum wq_err list_search_streamed(struct wq_store *store,
					const struct wq_user *actor,
					const struct wq_filter *f, int limit,
					struct wq_case_page *page)
{
	struct wq_buf sql = {0};
	struct params p = {0};
	struct wq_stmt *st = NULL;
	const struct wq_calendar *cal = wq_clock_calendar(store);
	int today = wq_local_day(wq_now()), rc = WQ_DONE;
	char *match = wq_store_search_query(store, f->search), *docs;
	int64_t bound, last_case = 0;
	int bound_param;
	size_t n = 0;
	enum wq_err err;

	if (!match)
		return wq_fail(WQ_ERR_INVALID,
			       N_("nothing to search for in '%s'"), f->search);
	if ((err = search_bound(f, &bound)) ||
	    (err = narrow_to_assignee(store, actor, f, &bound))) {
		free(match);
		return err;
	}
	docs = wq_store_search_docs_sql(store, 1);
	p.text[p.ntext++] = match;
	wq_buf_printf(&sql,
		      "SELECT " ROW_COLUMNS(REVIEW_SINCE, "''")
		      " FROM (%s) AS h CROSS JOIN cases c"
		      " JOIN merchants m ON m.id = c.merchant_id"
		      " WHERE c.id = h.doc >> %d",
		      docs, WQ_SEARCH_CASE_SHIFT);
	free(docs);
	if (one_assignees_open_cases(f)) {
		/* One assignee's open cases: whether a hit is one of theirs
		 * is a look in cases_open_by_assignee_id (schema 34), on the
		 * page of the hit before, and only their cases' rows are
		 * read.  The term names h alone, so SQLite tests it before
		 * it reads c; named, the index is taken over the case's
		 * row by its id, which SQLite deems the cheaper look. */
		char *hint = wq_store_index_hint(store,
						 "cases_open_by_assignee_id");

		wq_buf_printf(&sql, " AND EXISTS (SELECT 1 FROM cases o%s WHERE",
			      hint);
		free(hint);
		if (strcmp(f->assignee, "none") == 0) {
			wq_buf_puts(&sql, " o.assignee IS NULL");
		} else {
			wq_buf_printf(&sql, " o.assignee = ?%d", ++p.ntext);
			p.text[p.ntext - 1] = assignee_key(actor, f->assignee);
		}
		wq_buf_printf(&sql,
			      " AND o.status <> 'closed' AND o.id = h.doc >> %d)",
			      WQ_SEARCH_CASE_SHIFT);
	}
	add_filters(&sql, &p, actor, f);
	bound_param = p.ntext + 1;
	wq_buf_printf(&sql, " AND h.doc %s ?%d ORDER BY h.doc %s",
		      f->reverse ? ">=" : "<", bound_param,
		      f->reverse ? "ASC" : "DESC");
	err = wq_store_prepare(store, sql.data, &st);
	wq_buf_free(&sql);
	if (err) {
		free(match);
		return err;
	}
	bind_params(st, &p);
	wq_bind_int64(st, bound_param, bound);
	page->rows = wq_xcalloc((size_t)limit, sizeof(*page->rows));
	while ((rc = wq_step(st)) == WQ_ROW) {
		int64_t case_id = wq_column_int64(st, 0);

		if (case_id == last_case)
			continue;
		last_case = case_id;
		if (n == (size_t)limit) {
			/* one more case matches: this page is not the last */
			page->next_cursor =
			    wq_asprintf("%" PRId64, page->rows[n - 1].id);
			break;
		}
		fill_row(&page->rows[n++], st, 0, cal, today);
	}
	if (rc != WQ_ROW && rc != WQ_DONE)
		err = wq_store_error(store, "search");
	wq_store_finalize(store, st);
	free(match);
	page->count = n;
	return err;
}

static enum wq_err list_search(struct wq_store *store,
			       const struct wq_user *actor,
			       const struct wq_filter *f, int limit,
			       struct wq_case_page *page)
{
	struct wq_buf sql = {0}, filters = {0};
	struct params p = {0};
	struct wq_stmt *chunk = NULL, *edge = NULL;
	struct wq_stmt *window = NULL, *window_edge = NULL;
	enum wq_err err;
	const struct wq_calendar *cal = wq_clock_calendar(store);
	int today = wq_local_day(wq_now()), rc = WQ_DONE;
	int match_param, bound_param, limit_param, want_param;
	int windows_left, window_size = SEARCH_WINDOW_FIRST;
	char *match = wq_store_search_query(store, f->search);
	char *window_defs;
	const char *cmp = f->reverse ? ">=" : "<";
	const char *dir = f->reverse ? "ASC" : "DESC";
	const char *last_doc = f->reverse ? "max(doc)" : "min(doc)";
	int64_t bound, last_case = 0;
	size_t n = 0;
	bool full = false;

	if (!match)
		return wq_fail(WQ_ERR_INVALID,
			       N_("nothing to search for in '%s'"), f->search);
	if ((err = search_bound(f, &bound)) ||
	    (err = narrow_to_assignee(store, actor, f, &bound))) {
		free(match);
		return err;
	}
	/* each chunk or window asks for the cases the page still wants and
	 * one more */
	add_filters(&filters, &p, actor, f);
	match_param = p.ntext + 1;
	bound_param = p.ntext + 2;
	limit_param = p.ntext + 3;
	want_param = p.ntext + 4;
	window_defs = wq_store_search_window_sql(store, match, match_param,
						 bound_param, limit_param,
						 f->reverse);
	err = window_defs ? prepare_hits(store, &window, window_defs, "w",
					 last_doc, filters.data, dir,
					 want_param)
			  : WQ_ERR_OK;
	free(window_defs);
	if (err)
		goto out;
	windows_left = window ? SEARCH_WINDOWS : 0;
	page->rows = wq_xcalloc((size_t)limit, sizeof(*page->rows));
	while (!full) {
		/* a window's documents, or a chunk's hits */
		bool walk = windows_left > 0;
		struct wq_stmt *st;
		int size = walk ? window_size : SEARCH_HITS_CHUNK;
		int64_t got = 0, end_doc = 0, cases = 0;
		bool any = false;

		/* prepared when first needed: windows often fill the page,
		 * and on PostgreSQL a statement prepared is a round trip */
		if (!walk && !chunk) {
			char *defs = chunk_hits_sql(store, match_param,
						    bound_param, limit_param,
						    cmp, dir);

			err = prepare_hits(store, &chunk, defs, "h", last_doc,
					   filters.data, dir, want_param);
			free(defs);
			if (err)
				break;
		}
		st = walk ? window : chunk;
		bind_params(st, &p);
		wq_bind_text(st, match_param, match);
		wq_bind_int64(st, bound_param, bound);
		wq_bind_int(st, limit_param, size);
		wq_bind_int64(st, want_param, (int64_t)(limit - n) + 1);
		while ((rc = wq_step(st)) == WQ_ROW) {
			int64_t case_id = wq_column_int64(st, 2);

			if (!any) {
				got = wq_column_int64(st, 0);
				end_doc = wq_column_int64(st, 1);
				any = true;
			}
			cases++;
			if (case_id == last_case)
				continue;
			last_case = case_id;
			if (n == (size_t)limit) {
				/* one more case matches: this page is not
				 * the last */
				page->next_cursor = wq_asprintf(
				    "%" PRId64, page->rows[n - 1].id);
				full = true;
				break;
			}
			fill_row(&page->rows[n++], st, 2, cal, today);
		}
		wq_stmt_reset(st);
		if (rc != WQ_ROW && rc != WQ_DONE)
			break;
		if (full)
			break;
		if (!any) {
			/* a chunk or window none of whose cases the filters
			 * keep says nothing of itself: this one counts it
			 * and finds its last document */
			struct wq_stmt **e = walk ? &window_edge : &edge;

			if (!*e) {
				char *defs = walk
				    ? wq_store_search_window_sql(
					  store, match, 1, 2, 3, f->reverse)
				    : chunk_hits_sql(store, 1, 2, 3, cmp, dir);

				wq_buf_printf(&sql,
					      "WITH %s SELECT count(*), %s"
					      " FROM %s",
					      defs, last_doc, walk ? "w" : "h");
				free(defs);
				err = wq_store_prepare(store, sql.data, e);
				wq_buf_free(&sql);
				if (err)
					break;
			}
			wq_bind_text(*e, 1, match);
			wq_bind_int64(*e, 2, bound);
			wq_bind_int(*e, 3, size);
			rc = wq_step(*e);
			if (rc != WQ_ROW)
				break;
			got = wq_column_int64(*e, 0);
			end_doc = wq_column_int64(*e, 1);
			wq_stmt_reset(*e);
			rc = WQ_DONE;
		}
		if (got < size)
			break;
		/* the next chunk or window starts past this one's end */
		bound = f->reverse ? end_doc + 1 : end_doc;
		if (walk) {
			/* Sparse hits go to the index: the windows would
			 * read on through documents that mostly miss. */
			windows_left--;
			if (cases < window_size / SEARCH_WINDOW_SPARSE)
				windows_left = 0;
			window_size *= 4;
		}
	}
	if (rc != WQ_ROW && rc != WQ_DONE)
		err = wq_store_error(store, "search");
out:
	wq_store_finalize(store, window_edge);
	wq_store_finalize(store, window);
	wq_store_finalize(store, edge);
	wq_store_finalize(store, chunk);
	wq_buf_free(&filters);
	free(match);
	page->count = n;
	return err;
}

/* A search in another order than newest first: the queue's keyset pages
 * over the cases with a hit, so every one is still listed once.  Each
 * page reads every hit, so this is for searches of at most
 * WQ_SEARCH_SORT_MAX matching documents. */
static enum wq_err list_search_sorted(struct wq_store *store,
				      const struct wq_user *actor,
				      const struct wq_filter *f,
				      const struct order_spec *o, int limit,
				      struct wq_case_page *page)
{
	char *match = wq_store_search_query(store, f->search);
	char *docs, *count_sql;
	struct wq_stmt *st;
	enum wq_err err;
	int64_t hits = 0;

	if (!match)
		return wq_fail(WQ_ERR_INVALID,
			       N_("nothing to search for in '%s'"), f->search);
	docs = wq_store_search_docs_sql(store, 1);
	count_sql = wq_asprintf("SELECT count(*) FROM (SELECT 1 FROM (%s)"
				" AS hits LIMIT ?2) AS capped",
				docs);
	err = wq_store_prepare(store, count_sql, &st);
	free(count_sql);
	free(docs);
	if (err) {
		free(match);
		return err;
	}
	wq_bind_text(st, 1, match);
	wq_bind_int(st, 2, WQ_SEARCH_SORT_MAX + 1);
	if (wq_step(st) == WQ_ROW)
		hits = wq_column_int64(st, 0);
	else
		err = wq_store_error(store, "search");
	wq_store_finalize(store, st);
	if (!err && hits > WQ_SEARCH_SORT_MAX)
		err = wq_fail(WQ_ERR_INVALID,
			      N_("'%s' is in more than %d statements and files: "
			      "such a search lists newest first only"),
			      f->search, WQ_SEARCH_SORT_MAX);
	if (!err)
		err = list_queue(store, actor, f, o, match, limit, page);
	free(match);
	return err;
}

enum wq_err wq_case_list(struct wq_store *store, const struct wq_user *actor,
			 const struct wq_filter *filter,
			 struct wq_case_page *page)
{
	const struct order_spec *o = &orders[0];
	int limit = filter->limit > 0 ? filter->limit : DEFAULT_LIMIT;
	unsigned mask;
	enum wq_err err;

	memset(page, 0, sizeof(*page));
	if ((err = case_check_filter(filter, &mask)))
		return err;
	if (limit > WQ_LIST_LIMIT_MAX)
		return wq_fail(WQ_ERR_INVALID,
			       N_("a page of %d cases is more than the most, %d"),
			       limit, WQ_LIST_LIMIT_MAX);
	if (filter->order && *filter->order) {
		o = NULL;
		for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++)
			if (strcmp(orders[i].name, filter->order) == 0)
				o = &orders[i];
		if (!o)
			return wq_fail(WQ_ERR_INVALID,
				       N_("'%s' is not an order (due, received, "
				       "amount, status, merchant, review)"),
				       filter->order);
	}
	if (filter->search && *filter->search && filter->order &&
	    *filter->order)
		return list_search_sorted(store, actor, filter, o, limit, page);
	if (filter->search && *filter->search && wq_store_search_streams(store))
		return list_search_streamed(store, actor, filter, limit, page);
	if (filter->search && *filter->search)
		return list_search(store, actor, filter, limit, page);
	return list_queue(store, actor, filter, o, NULL, limit, page);
}

static bool drilled(const struct wq_filter *f)
{
	return f->merchant_id > 0 || set(f->clock) || set(f->due_from) ||
	       set(f->due_to) || set(f->flag) || set(f->received_from) ||
	       set(f->received_to);
}

/* The SQL of the counter that holds how many cases a figure of the
 * dashboard counts, the same sum the report makes (src/report.c), with
 * its text parameters in p; NULL when the filter is no figure's.  The
 * figures: cases due in a range of days on one clock or any, by one
 * assignee or any (clock running, not paused, whatever the status); open
 * cases with a flag; cases received in a range of days; a merchant's
 * consumer complaints. */
static const char *figure_counter(const struct wq_user *actor,
				  const struct wq_filter *f, struct params *p)
{
	const char *status = set(f->status) ? f->status : "open";
	bool all = strcmp(status, "all") == 0;
	bool due = set(f->due_from) || set(f->due_to);
	bool received = set(f->received_from) || set(f->received_to);
	bool others = set(f->category) || set(f->region) ||
		      set(f->follow_up_by) || f->flagged ||
		      actor->role == WQ_ROLE_DESK;

	/* A figure in the review order lists its cases in review alone,
	 * which no counter keeps. */
	if (others || review_order(f))
		return NULL;
	p->text[0] = set(f->due_from) ? f->due_from : "";
	p->text[1] = set(f->due_to) ? f->due_to : "9999-12-30";
	p->ntext = 2;
	if (due && all && !set(f->type) && !set(f->flag) && !received &&
	    f->merchant_id == 0) {
		/* [by a day][scope]: due by a day (the overdue cases) is the
		 * total less the days after it (RC_DUE_TOTALS in
		 * src/schema.c), however many days before it deadlines ever
		 * fell on; a range of days is one range on each clock (the
		 * key's first column), not every day of every clock.  The
		 * scope's key is the last parameter. */
		static const char *const sums[2][3] = {
			{"SELECT coalesce(sum(n), 0) FROM report_due_assignee"
			 " WHERE assignee = ?3 AND due_on >= ?1"
			 " AND due_on <= ?2",
			 "SELECT coalesce(sum(n), 0) FROM report_due"
			 " WHERE clock = ?3 AND paused = 0 AND due_on >= ?1"
			 " AND due_on <= ?2",
			 "SELECT coalesce(sum(n), 0) FROM report_due"
			 " WHERE clock IN (SELECT key FROM report_counts"
			 " WHERE dim = 'due_running') AND paused = 0"
			 " AND due_on >= ?1 AND due_on <= ?2"},
			{"SELECT coalesce((SELECT n FROM report_counts"
			 " WHERE dim = 'due_assignee' AND key = ?2), 0)"
			 " - coalesce((SELECT sum(n) FROM report_due_assignee"
			 " WHERE assignee = ?2 AND due_on > ?1), 0)",
			 "SELECT coalesce((SELECT n FROM report_counts"
			 " WHERE dim = 'due_running' AND key = ?2), 0)"
			 " - coalesce((SELECT sum(n) FROM report_due"
			 " WHERE clock = ?2 AND due_on > ?1 AND paused = 0), 0)",
			 "SELECT coalesce((SELECT sum(n) FROM report_counts"
			 " WHERE dim = 'due_running'), 0)"
			 " - coalesce((SELECT sum(n) FROM report_due"
			 " WHERE clock IN (SELECT key FROM report_counts"
			 " WHERE dim = 'due_running') AND due_on > ?1"
			 " AND paused = 0), 0)"},
		};
		enum { ONE_ASSIGNEE, ONE_CLOCK, EVERY_CLOCK } scope;
		bool by_day = !set(f->due_from);
		const char *key = NULL;

		if (set(f->assignee)) {
			if (strcmp(f->assignee, "none") == 0 || set(f->clock))
				return NULL;
			scope = ONE_ASSIGNEE;
			key = assignee_key(actor, f->assignee);
		} else if (set(f->clock)) {
			scope = ONE_CLOCK;
			key = f->clock;
		} else {
			scope = EVERY_CLOCK;
		}
		if (by_day) {
			p->text[0] = p->text[1];
			p->ntext = 1;
		}
		if (key)
			p->text[p->ntext++] = key;
		return sums[by_day][scope];
	}
	if (due || set(f->clock) || set(f->assignee))
		return NULL;
	if (set(f->flag) && strcmp(status, "open") == 0 && !set(f->type) &&
	    !received && f->merchant_id == 0) {
		unsigned mask = 0;
		int bit = 0;

		wq_flag_parse(f->flag, &mask);
		while (mask > 1u) {
			mask >>= 1;
			bit++;
		}
		snprintf(p->received[0], sizeof(p->received[0]), "%d", bit);
		p->text[0] = p->received[0];
		p->ntext = 1;
		return "SELECT coalesce(sum(n), 0) FROM report_counts"
		       " WHERE dim = 'open_flag' AND key = ?1";
	}
	if (received && all && !set(f->type) && !set(f->flag) &&
	    f->merchant_id == 0) {
		p->text[0] = set(f->received_from) ? f->received_from : "";
		p->text[1] = set(f->received_to) ? f->received_to : "9999-12-31";
		return "SELECT coalesce(sum(n), 0) FROM report_daily"
		       " WHERE what = 'intake' AND day >= ?1 AND day <= ?2";
	}
	if (f->merchant_id > 0 && all && set(f->type) &&
	    strcmp(f->type, "complaint") == 0 && !set(f->flag) && !received) {
		p->ntext = 0;
		return "SELECT coalesce(sum(complaints), 0) FROM"
		       " report_merchants WHERE merchant_id = ?1";
	}
	return NULL;
}

/* The SQL of the counters that hold how many cases the review order
 * lists (the cases in review alone) where the filter names no more than
 * a status and an assignee: the two reviews' status counters, or one
 * assignee's (review_assignee_status, schema version 33), each key a
 * parameter of p.  NULL for any other filter.  Counted from the cases,
 * the count read an index entry for each, up to WQ_COUNT_CAP: at
 * 1,000,000 cases, 10,001 of the 20,044 in review, and a mediator's
 * 4,847. */
static const char *review_counter(const struct wq_user *actor,
				  const struct wq_filter *f, struct params *p)
{
	const char *status = set(f->status) ? f->status : "open";
	const char *keys[2] = {"first_review", "final_review"};

	if (!review_order(f) || set(f->category) || set(f->region) ||
	    set(f->type) || set(f->follow_up_by) || f->flagged ||
	    actor->role == WQ_ROLE_DESK || drilled(f))
		return NULL;
	if (strcmp(status, "first_review") == 0 ||
	    strcmp(status, "final_review") == 0)
		keys[0] = keys[1] = status;
	else if (strcmp(status, "open") != 0 && strcmp(status, "all") != 0)
		return NULL;
	p->ntext = 2;
	if (!set(f->assignee)) {
		p->text[0] = keys[0];
		p->text[1] = keys[1];
		return "SELECT coalesce(sum(n), 0) FROM report_counts"
		       " WHERE dim = 'status' AND key IN (?1, ?2)";
	}
	const char *login = assignee_key(actor, f->assignee);

	for (int i = 0; i < 2; i++) {
		int n = snprintf(p->counter_key[i], sizeof(p->counter_key[i]),
				 "%s|%s", login, keys[i]);

		if (n < 0 || (size_t)n >= sizeof(p->counter_key[i]))
			return NULL;
		p->text[i] = p->counter_key[i];
	}
	return "SELECT coalesce(sum(n), 0) FROM report_counts"
	       " WHERE dim = 'review_assignee_status' AND key IN (?1, ?2)";
}

/* The counter of report_counts (schema.c, RC_DIMS: the triggers keep it)
 * that holds how many cases a filter on at most one column, or on an
 * assignee and a category, selects: its dimension and key (NULL: every
 * key of the dimension but *except; a composed key is written into
 * buf).  NULL when the filter combines other columns or has a condition
 * no counter keeps. */
static const char *counter_of(const struct wq_user *actor,
			      const struct wq_filter *f, const char **key,
			      const char **except, char *buf, size_t size)
{
	const char *status = f->status && *f->status ? f->status : "open";
	bool category = f->category && *f->category,
	     region = f->region && *f->region, type = f->type && *f->type,
	     assignee = f->assignee && *f->assignee;
	int columns = category + region + type + assignee;

	*key = *except = NULL;
	if (f->flagged || actor->role == WQ_ROLE_DESK ||
	    (columns > 1 && !(columns == 2 && assignee && category)) ||
	    review_order(f) ||
	    (f->follow_up_by && *f->follow_up_by) || drilled(f))
		return NULL;
	if (columns == 0) {
		if (strcmp(status, "open") == 0)
			*except = "closed";
		else if (strcmp(status, "all") == 0)
			*except = "";
		else
			*key = status;
		return "status";
	}
	if (strcmp(status, "open") != 0)
		return NULL;
	if (columns == 2) {
		int n = snprintf(buf, size, "%s|%s",
				 assignee_key(actor, f->assignee), f->category);

		if (n < 0 || (size_t)n >= size)
			return NULL;
		*key = buf;
		return "open_assignee_category";
	}
	if (category) {
		*key = f->category;
		return "open_category";
	}
	if (region) {
		*key = f->region;
		return "open_region";
	}
	if (type) {
		*key = f->type;
		return "open_type";
	}
	*key = assignee_key(actor, f->assignee);
	return "open_assignee";
}

/* wq_case_count(), or with rows_too false only where the counters know
 * the count (*known then false when they do not). */
static enum wq_err case_count(struct wq_store *store,
			      const struct wq_user *actor,
			      const struct wq_filter *filter, bool rows_too,
			      bool *known, int64_t *count)
{
	struct wq_buf sql = {0};
	struct params p = {0};
	struct wq_stmt *st;
	enum wq_err err;
	char composed[256];
	const char *key, *except,
		*dim = counter_of(actor, filter, &key, &except, composed,
				  sizeof(composed)),
		*figure;
	unsigned mask;

	*count = 0;
	*known = true;
	if ((err = case_check_filter(filter, &mask)))
		return err;
	figure = figure_counter(actor, filter, &p);
	if (!figure)
		figure = review_counter(actor, filter, &p);
	if (!figure && !dim && !rows_too) {
		*known = false;
		return WQ_ERR_OK;
	}
	if (figure) {
		err = wq_store_prepare(store, figure, &st);
		if (err)
			return err;
		bind_params(st, &p);
		if (filter->merchant_id > 0 && p.ntext == 0)
			wq_bind_int64(st, 1, filter->merchant_id);
	} else if (dim) {
		/* One row of the counters, whatever the number of cases:
		 * the queue reloads after every commit of another session. */
		err = wq_store_prepare(
			store,
			key ? "SELECT coalesce(sum(n), 0) FROM report_counts"
			      " WHERE dim = ?1 AND key = ?2"
			    : "SELECT coalesce(sum(n), 0) FROM report_counts"
			      " WHERE dim = ?1 AND key <> ?2",
			&st);
		if (err)
			return err;
		wq_bind_text(st, 1, dim);
		wq_bind_text(st, 2, key ? key : except);
	} else {
		/* Filters combined: counting stops at the cap, and an
		 * index holds the assignee's cases with every filter column
		 * (cases_by_assignee_filters), so the filtered views of one
		 * mediator's cases count without reading the cases. */
		p = (struct params){0};
		wq_buf_puts(&sql, "SELECT count(*) FROM (SELECT 1 FROM cases c"
				  " WHERE TRUE");
		add_filters(&sql, &p, actor, filter);
		wq_buf_printf(&sql, " LIMIT %d) AS capped", WQ_COUNT_CAP + 1);
		err = wq_store_prepare(store, sql.data, &st);
		wq_buf_free(&sql);
		if (err)
			return err;
		bind_params(st, &p);
	}
	if (wq_step(st) == WQ_ROW)
		*count = wq_column_int64(st, 0);
	else
		err = wq_store_error(store, "count");
	wq_store_finalize(store, st);
	/* The counters are exact; counting rows stopped past the cap. */
	if (!figure && !dim && *count > WQ_COUNT_CAP)
		*count = WQ_COUNT_MORE;
	return err;
}

enum wq_err wq_case_count(struct wq_store *store, const struct wq_user *actor,
			  const struct wq_filter *filter, int64_t *count)
{
	bool known;

	return case_count(store, actor, filter, true, &known, count);
}

static bool counted(struct wq_store *store, const struct wq_user *actor,
		    const struct wq_filter *f, int64_t *count)
{
	bool known;

	return case_count(store, actor, f, false, &known, count) ==
		       WQ_ERR_OK &&
	       known;
}

enum wq_err wq_case_filter_any(struct wq_store *store,
			       const struct wq_user *actor,
			       const struct wq_filter *filter,
			       const int64_t *ids, size_t n, bool *any)
{
	struct wq_buf sql = {0};
	struct params p = {0};
	struct wq_stmt *st;
	enum wq_err err;
	unsigned mask;
	int rc;

	*any = n > 0;
	if (n == 0 || (filter->search && *filter->search))
		return WQ_ERR_OK;
	if ((err = case_check_filter(filter, &mask)))
		return err;
	wq_buf_puts(&sql, "SELECT 1 FROM cases c WHERE c.id IN (");
	for (size_t i = 0; i < n; i++)
		wq_buf_printf(&sql, "%s%" PRId64, i ? "," : "", ids[i]);
	wq_buf_puts(&sql, ")");
	add_filters(&sql, &p, actor, filter);
	wq_buf_puts(&sql, " LIMIT 1");
	err = wq_store_prepare(store, sql.data, &st);
	wq_buf_free(&sql);
	if (err)
		return err;
	bind_params(st, &p);
	rc = wq_step(st);
	if (rc == WQ_ROW || rc == WQ_DONE)
		*any = rc == WQ_ROW;
	else
		err = wq_store_error(store, "filter");
	wq_store_finalize(store, st);
	return err;
}

void wq_case_row_review_days(struct wq_case_row *r,
			     const struct wq_calendar *cal, int today)
{
	time_t since;
	bool uncertain;

	r->review_days = 0;
	if (*r->review_since && cal && wq_time_parse(r->review_since, &since))
		r->review_days = wq_cal_workdays_between(
			cal, wq_local_day(since), today, &uncertain);
}

void wq_case_page_free(struct wq_case_page *page)
{
	free(page->rows);
	free(page->next_cursor);
	memset(page, 0, sizeof(*page));
}

struct wq_case_reader {
	struct wq_store *store;
	struct wq_stmt *st;
	int id_param;
	const struct wq_calendar *cal;
	int today;
};

enum wq_err wq_case_reader_new(struct wq_store *store,
			       const struct wq_user *actor,
			       struct wq_case_reader **reader)
{
	const struct wq_filter every_status = {.status = "all"};
	struct wq_case_reader *r = wq_xcalloc(1, sizeof(*r));
	struct wq_buf sql = {0};
	struct params p = {0};
	enum wq_err err;

	/* the queue's read condition, whatever the status: keep them alike */
	wq_buf_puts(&sql, SELECT_ROW_CONSUMER " WHERE TRUE");
	add_filters(&sql, &p, actor, &every_status);
	r->id_param = p.ntext + 1;
	wq_buf_printf(&sql, " AND c.id = ?%d", r->id_param);
	err = wq_store_prepare(store, sql.data, &r->st);
	wq_buf_free(&sql);
	if (err) {
		free(r);
		*reader = NULL;
		return err;
	}
	bind_params(r->st, &p);
	/* p's strings are the actor's login: bound without a copy, they live
	 * as long as the actor, which outlives the reader */
	r->store = store;
	r->cal = wq_clock_calendar(store);
	r->today = wq_local_day(wq_now());
	*reader = r;
	return WQ_ERR_OK;
}

enum wq_err wq_case_reader_get(struct wq_case_reader *r, int64_t case_id,
			       struct wq_case_row *row)
{
	enum wq_err err = WQ_ERR_OK;
	int rc;

	wq_bind_int64(r->st, r->id_param, case_id);
	rc = wq_step(r->st);
	if (rc == WQ_ROW)
		fill_row(row, r->st, 0, r->cal, r->today);
	else if (rc == WQ_DONE)
		err = WQ_ERR_NOT_FOUND;
	else
		err = wq_store_error(r->store, "case row");
	wq_stmt_reset(r->st);
	return err;
}

void wq_case_reader_free(struct wq_case_reader **reader)
{
	if (!*reader)
		return;
	wq_store_finalize((*reader)->store, (*reader)->st);
	free(*reader);
	*reader = NULL;
}
