#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/calendar.h"
#include "weiquan/casedetail.h"
#include "weiquan/clock.h"
#include "weiquan/group.h"
#include "weiquan/wqtime.h"
#include "case_internal.h"
#include "json_text.h"
#include "util.h"

#define COPY(dst, st, i)                                                       \
	snprintf((dst), sizeof(dst), "%s", wq_column_text((st), (i)))

static char *masked(const char *s, size_t head, size_t tail)
{
	size_t n = strlen(s);
	char *out;

	if (n < head + tail + 1)
		return wq_strdup(s);
	out = wq_strdup(s);
	for (size_t i = head; i < n - tail; i++)
		out[i] = '*';
	return out;
}

/* An agreement awaiting performance runs a clock of its own: from the
 * day it was reached to the day it is to be performed by, shown with the
 * legal clocks; it stops once performance is recorded or the case moves
 * on from the agreement. */
static enum wq_err performance_clock(struct wq_store *store,
				     struct wq_case_detail *d,
				     const struct wq_calendar *cal, int today)
{
	struct wq_stmt *st;
	enum wq_err err;

	if (d->nclocks >= 8 ||
	    (strcmp(d->row.status, "agreement") != 0 &&
	     strcmp(d->row.status, "performance_watch") != 0))
		return WQ_ERR_OK;
	err = wq_store_prepare(store,
			       "SELECT perform_by, at FROM agreements"
			       " WHERE case_id = ?1 AND performed_at IS NULL"
			       " ORDER BY id DESC LIMIT 1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, d->row.id);
	if (wq_step(st) == WQ_ROW) {
		struct wq_clock_view *c = &d->clocks[d->nclocks++];
		time_t at;
		int due;

		memset(c, 0, sizeof(*c));
		snprintf(c->name, sizeof(c->name), "performance");
		COPY(c->due, st, 0);
		if (wq_time_parse(wq_column_text(st, 1), &at))
			wq_date_format(wq_local_day(at), c->start);
		if (cal && wq_date_parse(c->due, &due))
			c->days_left = wq_cal_workdays_between(cal, today, due,
							       &c->uncertain);
	}
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

/* A date member of a clock ("" when null or absent) into a day field. */
static void clock_date(char out[11], const json_t *clock, const char *member)
{
	char *text = wq_json_scalar_text(json_object_get(clock, member));

	snprintf(out, 11, "%s", text ? text : "");
	free(text);
}

static enum wq_err load_header(struct wq_store *store,
			       const struct wq_user *actor, int64_t id,
			       struct wq_case_detail *d)
{
	const struct wq_calendar *cal = wq_clock_calendar(store);
	int today = wq_local_day(wq_now());
	struct wq_stmt *st;
	enum wq_err err;
	struct wq_case_row *r = &d->row;
	json_t *clocks = NULL, *clock;
	const char *key;

	err = wq_store_prepare(
		store,
		"SELECT c.id, c.version, c.number, c.type, c.status,"
		" c.substate, c.category, c.region, m.name,"
		" m.repeat_offender, m.blacklisted, p.name, c.amount_fen,"
		" c.received_at, c.clock, c.due_on, coalesce(c.assignee, ''),"
		" c.flags, c.reason, c.review_from, c.report, c.order_no,"
		" c.order_date, c.remedy, c.platform, p.phone, p.id_number,"
		" m.shop_id, m.region, m.platform, m.complaints, m.settled,"
		" m.failed, m.unperformed, m.penalties,"
		" (SELECT number FROM cases x WHERE x.id = c.duplicate_of),"
		" coalesce(c.group_id, 0), g.title, g.facts,"
		" (SELECT count(*) FROM cases y WHERE y.group_id = c.group_id),"
		" c.merchant_id, " REVIEW_SINCE
		" FROM cases c LEFT JOIN case_groups g ON g.id = c.group_id"
		" JOIN merchants m ON m.id = c.merchant_id"
		" JOIN consumers p ON p.id = c.consumer_id WHERE c.id = ?1",
		&st);
	if (err)
		return err;
	wq_bind_int64(st, 1, id);
	if (wq_step(st) != WQ_ROW) {
		wq_store_finalize(store, st);
		return wq_fail(WQ_ERR_NOT_FOUND, N_("case %" PRId64 " is gone"),
			       id);
	}
	r->id = wq_column_int64(st, 0);
	r->version = wq_column_int64(st, 1);
	COPY(r->number, st, 2);
	COPY(r->type, st, 3);
	COPY(r->status, st, 4);
	COPY(r->substate, st, 5);
	COPY(r->category, st, 6);
	COPY(r->region, st, 7);
	COPY(r->merchant, st, 8);
	r->merchant_repeat = wq_column_int(st, 9);
	r->merchant_blacklisted = wq_column_int(st, 10);
	COPY(r->consumer, st, 11);
	r->amount_fen = wq_column_int64(st, 12);
	COPY(r->received_at, st, 13);
	COPY(r->clock, st, 14);
	if (strcmp(wq_column_text(st, 15), "9999-12-31") != 0)
		COPY(r->due_on, st, 15);
	COPY(r->assignee, st, 16);
	r->flags = (unsigned)wq_column_int(st, 17);
	COPY(d->reason, st, 18);
	COPY(d->review_from, st, 19);
	COPY(d->report, st, 20);
	COPY(d->order_no, st, 21);
	COPY(d->order_date, st, 22);
	COPY(d->remedy, st, 23);
	COPY(d->platform, st, 24);
	d->consumer_name = wq_strdup(wq_column_text(st, 11));
	d->consumer_phone = wq_role_sees_phone(actor->role)
				? wq_strdup(wq_column_text(st, 25))
				: masked(wq_column_text(st, 25), 3, 2);
	d->consumer_id_number = wq_role_sees_id_number(actor->role)
				    ? wq_strdup(wq_column_text(st, 26))
				    : masked(wq_column_text(st, 26), 4, 2);
	d->merchant_shop_id = wq_strdup(wq_column_text(st, 27));
	d->merchant_region = wq_strdup(wq_column_text(st, 28));
	d->merchant_platform = wq_strdup(wq_column_text(st, 29));
	d->merchant_complaints = wq_column_int64(st, 30);
	d->merchant_settled = wq_column_int64(st, 31);
	d->merchant_failed = wq_column_int64(st, 32);
	d->merchant_unperformed = wq_column_int64(st, 33);
	d->merchant_penalties = wq_column_int64(st, 34);
	COPY(d->duplicate_of, st, 35);
	d->group_id = wq_column_int64(st, 36);
	if (d->group_id) {
		d->group_title = wq_strdup(wq_column_text(st, 37));
		d->group_facts = wq_strdup(wq_column_text(st, 38));
		d->group_members = wq_column_int64(st, 39);
	}
	d->merchant_id = wq_column_int64(st, 40);
	COPY(r->review_since, st, 41);
	wq_case_row_review_days(r, cal, today);
	wq_store_finalize(store, st);

	err = wq_store_prepare(
		store,
		"SELECT coalesce(" CASE_REGIME("c") ", ''), c.clocks"
		" FROM cases c WHERE c.id = ?1",
		&st);
	if (err)
		return err;
	wq_bind_int64(st, 1, id);
	if (wq_step(st) == WQ_ROW) {
		COPY(d->regime, st, 0);
		clocks = wq_json_parse(wq_column_text_or_null(st, 1));
	}
	wq_store_finalize(store, st);
	{
		char *ground = case_latest_arg(store, id, "platform-seat",
					       NULL, 0, NULL);

		snprintf(d->seat_ground, sizeof(d->seat_ground), "%s",
			 ground ? ground : "");
		free(ground);
		d->platform_domicile = case_latest_arg(
			store, id, "platform-seat", NULL, 1, NULL);
		if (!d->platform_domicile)
			d->platform_domicile = wq_strdup("");
		d->entrusted_by =
			case_latest_arg(store, id, "entrusted", NULL, 0, NULL);
		if (!d->entrusted_by)
			d->entrusted_by = wq_strdup("");
	}

	/* The case's clocks, in the order it keeps them; a clock whose
	 * figure the regime does not mark verified is unverified. */
	err = wq_store_prepare(store,
			       "SELECT verified FROM clock_sources"
			       " WHERE clock = ?1 AND regime = ?2",
			       &st);
	if (err) {
		json_decref(clocks);
		return err;
	}
	json_object_foreach(clocks, key, clock) {
		struct wq_clock_view *c;
		int due;

		if (d->nclocks >= 8)
			break;
		c = &d->clocks[d->nclocks++];
		snprintf(c->name, sizeof(c->name), "%s", key);
		clock_date(c->start, clock, "start");
		clock_date(c->due, clock, "due");
		clock_date(c->paused, clock, "paused");
		clock_date(c->stopped, clock, "stopped");
		wq_stmt_reset(st);
		wq_bind_text(st, 1, key);
		wq_bind_text(st, 2, d->regime);
		c->unverified = true;
		if (*d->regime && wq_step(st) == WQ_ROW)
			c->unverified = wq_column_is_null(st, 0) ||
					wq_column_int64(st, 0) == 0;
		if (wq_statute_clock(c->name)) {
			c->calendar_days = true;
			c->unverified = !wq_statute_clock(c->name)->verified;
		}
		if (cal && wq_date_parse(c->due, &due))
			c->days_left = wq_clock_days_left(cal, c->name, today,
							  due, &c->uncertain);
		if (!strcmp(c->name, r->clock) && !*c->stopped) {
			r->days_left = c->days_left;
			r->days_uncertain = c->uncertain;
			r->clock_paused = *c->paused != '\0';
		}
	}
	wq_store_finalize(store, st);
	json_decref(clocks);
	return performance_clock(store, d, cal, today);
}

/* Grows an array by one zeroed element. */
static void *push(void *array, size_t *n, size_t size)
{
	char *p = wq_xrealloc(array, (*n + 1) * size);

	memset(p + *n * size, 0, size);
	(*n)++;
	return p;
}

/* Evidence rows (?1: a case or a group id) appended to *v.  Shared
 * evidence's ids are negated, so one id names either (wq_evidence_load). */
#define EVIDENCE_COLUMNS                                                       \
	" kind, party, encoding, sha256, file_name, size, added_by, added_at"
#define CASE_EVIDENCE                                                          \
	"SELECT id," EVIDENCE_COLUMNS ","                                      \
	" (SELECT j.state FROM jobs j WHERE j.evidence_id = evidence.id"     \
	" AND j.kind = 'read-text'),"                                          \
	" (SELECT min(o.id) FROM evidence o WHERE o.case_id = ?1"             \
	" AND o.sha256 = evidence.sha256 AND o.id < evidence.id)"             \
	" FROM evidence WHERE case_id = ?1 ORDER BY id"
#define CASE_SHARED_EVIDENCE                                                   \
	"SELECT -e.id," EVIDENCE_COLUMNS ", NULL, NULL"                        \
	" FROM group_evidence e JOIN cases c"                                  \
	" ON c.group_id = e.group_id WHERE c.id = ?1 ORDER BY e.id"
#define GROUP_EVIDENCE                                                         \
	"SELECT -id," EVIDENCE_COLUMNS ", NULL, NULL FROM group_evidence"      \
	" WHERE group_id = ?1 ORDER BY id"

static enum wq_read_state reading_state(const char *job_state)
{
	if (strcmp(job_state, "queued") == 0 ||
	    strcmp(job_state, "running") == 0)
		return WQ_READ_WAITING;
	if (strcmp(job_state, "done") == 0)
		return WQ_READ_DONE;
	if (strcmp(job_state, "failed") == 0)
		return WQ_READ_FAILED;
	return WQ_READ_NONE;
}

static enum wq_err read_evidence(struct wq_store *store, const char *sql,
				 int64_t key, bool shared,
				 struct wq_evidence_view **v, size_t *n)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store, sql, &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, key);
	while (wq_step(st) == WQ_ROW) {
		struct wq_evidence_view *e;

		*v = push(*v, n, sizeof(**v));
		e = &(*v)[*n - 1];
		e->id = wq_column_int64(st, 0);
		e->shared = shared;
		COPY(e->kind, st, 1);
		COPY(e->party, st, 2);
		COPY(e->encoding, st, 3);
		COPY(e->sha256, st, 4);
		e->file_name = wq_strdup(wq_column_text(st, 5));
		e->size = wq_column_int64(st, 6);
		COPY(e->added_by, st, 7);
		COPY(e->added_at, st, 8);
		e->reading = reading_state(wq_column_text(st, 9));
		e->duplicate_of = wq_column_int64(st, 10);
	}
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

enum wq_err wq_group_evidence_list(struct wq_store *store, int64_t group_id,
				   struct wq_evidence_view **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	return read_evidence(store, GROUP_EVIDENCE, group_id, true, v, n);
}

void wq_evidence_views_free(struct wq_evidence_view *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].file_name);
	free(v);
}

static enum wq_err load_lists(struct wq_store *store, int64_t id,
			      struct wq_case_detail *d)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "SELECT id, party, author, at, text FROM"
			       " statements WHERE case_id = ?1 ORDER BY id",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, id);
	while (wq_step(st) == WQ_ROW) {
		struct wq_statement_view *v;

		d->statements = push(d->statements, &d->nstatements,
				     sizeof(*d->statements));
		v = &d->statements[d->nstatements - 1];
		v->id = wq_column_int64(st, 0);
		COPY(v->party, st, 1);
		COPY(v->author, st, 2);
		COPY(v->at, st, 3);
		v->text = wq_strdup(wq_column_text(st, 4));
	}
	wq_store_finalize(store, st);

	/* The case's own evidence, then its group's shared evidence. */
	err = read_evidence(store, CASE_EVIDENCE, id, false, &d->evidence,
			    &d->nevidence);
	if (!err)
		err = read_evidence(store, CASE_SHARED_EVIDENCE, id, true,
				    &d->evidence, &d->nevidence);
	if (err)
		return err;

	err = wq_store_prepare(store,
			       "SELECT id, coalesce(answers, 0), amount_fen,"
			       " party, remedy, state, at, recorded_by, terms"
			       " FROM offers WHERE case_id = ?1 ORDER BY id",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, id);
	while (wq_step(st) == WQ_ROW) {
		struct wq_offer_view *v;

		d->offers = push(d->offers, &d->noffers, sizeof(*d->offers));
		v = &d->offers[d->noffers - 1];
		v->id = wq_column_int64(st, 0);
		v->answers = wq_column_int64(st, 1);
		v->amount_fen = wq_column_int64(st, 2);
		COPY(v->party, st, 3);
		COPY(v->remedy, st, 4);
		COPY(v->state, st, 5);
		COPY(v->at, st, 6);
		COPY(v->recorded_by, st, 7);
		v->terms = wq_strdup(wq_column_text(st, 8));
	}
	wq_store_finalize(store, st);

	/* The timeline shows each event's arguments, the human part. */
	/* The timeline shows each event's arguments, the human part, and
	 * each apart for reading in full (read in C: the SQL both databases
	 * speak does not walk arrays). */
	err = wq_store_prepare(store,
			       "SELECT id, at, actor, action,"
			       " json_extract(details, '$.args'),"
			       " coalesce(json_extract(details, '$.set.status'),"
			       " '') FROM events WHERE case_id = ?1 ORDER BY id",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, id);
	while (wq_step(st) == WQ_ROW) {
		struct wq_event_view *v;
		json_t *args = wq_json_parse(wq_column_text_or_null(st, 4));
		const json_t *argv = json_object_get(args, "argv");
		size_t n;
		char **items = wq_json_items(argv, &n);

		d->events = push(d->events, &d->nevents, sizeof(*d->events));
		v = &d->events[d->nevents - 1];
		v->id = wq_column_int64(st, 0);
		COPY(v->at, st, 1);
		COPY(v->actor, st, 2);
		COPY(v->action, st, 3);
		v->summary = wq_json_join(argv, " ");
		COPY(v->to_status, st, 5);
		if (n)
			v->argv = wq_xcalloc(n, sizeof(*v->argv));
		for (size_t i = 0; i < n; i++)
			v->argv[v->argc++] = wq_strdup(items[i] ? items[i] : "");
		wq_json_items_free(items, n);
		json_decref(args);
	}
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

static enum wq_err load_diversion(struct wq_store *store, int64_t id,
				  struct wq_case_detail *d)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "SELECT brand, authorised_region, found_region,"
			       " batch, clause, coalesce(penalty_fen, -1),"
			       " coalesce(agreed_penalty_fen, -1)"
			       " FROM diversions WHERE case_id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, id);
	if (wq_step(st) == WQ_ROW) {
		d->diversion.brand = wq_strdup(wq_column_text(st, 0));
		d->diversion.authorised_region =
			wq_strdup(wq_column_text(st, 1));
		d->diversion.found_region = wq_strdup(wq_column_text(st, 2));
		d->diversion.batch = wq_strdup(wq_column_text(st, 3));
		d->diversion.clause = wq_strdup(wq_column_text(st, 4));
		d->diversion.penalty_fen = wq_column_int64(st, 5);
		d->diversion.agreed_penalty_fen = wq_column_int64(st, 6);
	}
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

enum wq_err wq_case_detail_load(struct wq_store *store,
				const struct wq_user *actor,
				const char *number,
				struct wq_case_detail **out)
{
	struct wq_case_detail *d;
	enum wq_err err;
	int64_t id;

	*out = NULL;
	err = case_id_to_read(store, actor, number, &id);
	if (err)
		return err;
	d = wq_xcalloc(1, sizeof(*d));
	err = wq_store_begin_read(store);
	if (!err) {
		err = load_header(store, actor, id, d);
		if (!err)
			err = load_lists(store, id, d);
		if (!err)
			err = load_diversion(store, id, d);
		wq_store_end_read(store);
		for (size_t i = 0; !err && i < d->nevidence; i++)
			if (!d->evidence[i].shared) {
				memcpy(d->evidence[i].order_date,
				       d->order_date, sizeof(d->order_date));
				memcpy(d->evidence[i].case_type, d->row.type,
				       sizeof(d->evidence[i].case_type));
			}
	}
	if (err) {
		wq_case_detail_free(&d);
		return err;
	}
	*out = d;
	return WQ_ERR_OK;
}

void wq_case_detail_free(struct wq_case_detail **detail)
{
	struct wq_case_detail *d = *detail;

	if (!d)
		return;
	free(d->group_title);
	free(d->group_facts);
	free(d->diversion.brand);
	free(d->diversion.authorised_region);
	free(d->diversion.found_region);
	free(d->diversion.batch);
	free(d->diversion.clause);
	free(d->consumer_name);
	free(d->consumer_phone);
	free(d->consumer_id_number);
	free(d->merchant_shop_id);
	free(d->merchant_region);
	free(d->merchant_platform);
	free(d->platform_domicile);
	free(d->entrusted_by);
	for (size_t i = 0; i < d->nstatements; i++)
		free(d->statements[i].text);
	free(d->statements);
	wq_evidence_views_free(d->evidence, d->nevidence);
	for (size_t i = 0; i < d->noffers; i++)
		free(d->offers[i].terms);
	free(d->offers);
	for (size_t i = 0; i < d->nevents; i++) {
		free(d->events[i].summary);
		for (int k = 0; k < d->events[i].argc; k++)
			free(d->events[i].argv[k]);
		free(d->events[i].argv);
	}
	free(d->events);
	free(d);
	*detail = NULL;
}

enum wq_err wq_evidence_load(struct wq_store *store, const struct wq_user *actor,
			     int64_t evidence_id, char **bytes, size_t *len,
			     char **text)
{
	struct wq_stmt *st;
	enum wq_err err;
	int64_t owner = 0;

	*bytes = *text = NULL;
	*len = 0;
	/* A negative id is a group's shared evidence, read by whoever may
	 * read the group (wq_group_authorize). */
	err = wq_store_prepare(store,
			       evidence_id < 0
				       ? "SELECT group_id, original, text FROM"
					 " group_evidence WHERE id = ?1"
				       : "SELECT case_id, original, text FROM"
					 " evidence WHERE id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, evidence_id < 0 ? -evidence_id : evidence_id);
	if (wq_step(st) == WQ_ROW) {
		const void *blob = wq_column_blob(st, 1);
		int n = wq_column_bytes(st, 1);

		owner = wq_column_int64(st, 0);
		*bytes = wq_xmalloc((size_t)n + 1);
		if (n)
			memcpy(*bytes, blob, (size_t)n);
		(*bytes)[n] = '\0';
		*len = (size_t)n;
		if (!wq_column_is_null(st, 2))
			*text = wq_strdup(wq_column_text(st, 2));
	} else {
		err = wq_fail(WQ_ERR_NOT_FOUND, N_("no evidence %" PRId64),
			      evidence_id);
	}
	wq_store_finalize(store, st);
	if (!err)
		err = evidence_id < 0 ? wq_group_authorize(store, actor, owner,
							   WQ_CASE_READ)
				      : wq_case_authorize(store, actor, owner,
							  WQ_CASE_READ);
	if (err) {
		free(*bytes);
		free(*text);
		*bytes = *text = NULL;
		*len = 0;
	}
	return err;
}

enum wq_err wq_evidence_order_date(struct wq_store *store, int64_t evidence_id,
				   char order_date[11])
{
	struct wq_stmt *st;
	enum wq_err err;

	order_date[0] = '\0';
	if (evidence_id < 0)
		return WQ_ERR_OK;
	err = wq_store_prepare(store,
			       "SELECT c.order_date FROM evidence e JOIN cases c"
			       " ON c.id = e.case_id WHERE e.id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, evidence_id);
	if (wq_step(st) == WQ_ROW)
		snprintf(order_date, 11, "%s", wq_column_text(st, 0));
	else
		err = wq_fail(WQ_ERR_NOT_FOUND, N_("no evidence %" PRId64),
			      evidence_id);
	wq_store_finalize(store, st);
	return err;
}
