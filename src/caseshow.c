#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/case.h"
#include "weiquan/clock.h"
#include "weiquan/wqtime.h"
#include "weiquan/diversion.h"
#include "weiquan/user.h"
#include "case_internal.h"
#include "json_text.h"
#include "util.h"

/* case show --json: the case as one JSON document, built in C (the SQL
 * both databases speak builds no JSON).  Its bytes are those SQLite's
 * json_object() gave before (json_text.h), so what scripts and tests read
 * stays the same; members keep their order. */

/* What one show reads with: ?1 the case id, ?2 the time shown (a UTC
 * timestamp; 9999-... for now). */
struct show {
	struct wq_store *store;
	int64_t id;
	const char *at;
	enum wq_err err;
};

/* Runs sql with ?1 the case id (or `key` when not 0) and ?2 the time
 * shown; each row becomes an object of keys (wq_json_row(); a key written
 * "?name" is a boolean, true where the column is 1).  An array; [] on an
 * error, recorded in sh->err. */
static json_t *rows(struct show *sh, const char *sql, int64_t key,
		    const char *const keys[])
{
	json_t *array = json_array();
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(sh->store, sql, &st);
	int rc;

	if (err) {
		sh->err = err;
		return array;
	}
	wq_bind_int64(st, 1, key ? key : sh->id);
	if (strstr(sql, "?2"))
		wq_bind_text(st, 2, sh->at);
	while ((rc = wq_step(st)) == WQ_ROW) {
		json_t *obj = json_object();

		for (int i = 0; keys[i]; i++) {
			if (keys[i][0] == '?')
				wq_json_put(obj, keys[i] + 1,
					    json_boolean(
						wq_column_int64(st, i) == 1));
			else
				wq_json_put(obj, keys[i],
					    wq_json_column(st, i));
		}
		json_array_append_new(array, obj);
	}
	if (rc != WQ_DONE && !sh->err)
		sh->err = wq_store_error(sh->store, "show case");
	wq_store_finalize(sh->store, st);
	return array;
}

/* The first row of sql (?1, ?2 as rows()) as an object, or null. */
static json_t *row(struct show *sh, const char *sql, int64_t key,
		   const char *const keys[])
{
	json_t *all = rows(sh, sql, key, keys);
	json_t *first = json_array_get(all, 0);

	first = first ? json_incref(first) : json_null();
	json_decref(all);
	return first;
}

/* Argument i of an event's args, or null when it has none. */
static json_t *arg_or_null(const json_t *args, size_t i)
{
	char *text = wq_json_scalar_text(
		json_array_get(json_object_get(args, "argv"), i));
	json_t *v = wq_json_str(text);

	free(text);
	return v;
}

/* The case's events of one action up to the time shown, oldest first:
 * for each, its arguments under names[0], names[1] (null when absent),
 * then "at", "by" and "event". */
static json_t *action_records(struct show *sh, const char *action,
			      const char *name0, const char *name1)
{
	json_t *array = json_array();
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(
		sh->store,
		"SELECT id, at, actor, json_extract(details, '$.args')"
		" FROM events WHERE case_id = ?1 AND action = ?3"
		" AND at <= ?2 ORDER BY id",
		&st);

	if (err) {
		sh->err = err;
		return array;
	}
	wq_bind_int64(st, 1, sh->id);
	wq_bind_text(st, 2, sh->at);
	wq_bind_text(st, 3, action);
	while (wq_step(st) == WQ_ROW) {
		json_t *obj = json_object();
		json_t *args = wq_json_parse(wq_column_text_or_null(st, 3));

		wq_json_put(obj, name0, arg_or_null(args, 0));
		wq_json_put(obj, name1, arg_or_null(args, 1));
		wq_json_put(obj, "at", wq_json_column(st, 1));
		wq_json_put(obj, "by", wq_json_column(st, 2));
		wq_json_put(obj, "event", wq_json_column(st, 0));
		json_array_append_new(array, obj);
		json_decref(args);
	}
	wq_store_finalize(sh->store, st);
	return array;
}

/* The platform operator's seat as jurisdiction (its newest
 * `platform-seat`), or null. */
static json_t *jurisdiction(struct show *sh)
{
	struct wq_stmt *st;
	json_t *obj = json_null();
	enum wq_err err = wq_store_prepare(
		sh->store,
		"SELECT at, actor, json_extract(details, '$.args') FROM events"
		" WHERE case_id = ?1 AND action = 'platform-seat'"
		" AND at <= ?2 ORDER BY id DESC LIMIT 1",
		&st);

	if (err) {
		sh->err = err;
		return obj;
	}
	wq_bind_int64(st, 1, sh->id);
	wq_bind_text(st, 2, sh->at);
	if (wq_step(st) == WQ_ROW) {
		json_t *args = wq_json_parse(wq_column_text_or_null(st, 2));

		obj = json_object();
		wq_json_put(obj, "ground", arg_or_null(args, 0));
		wq_json_put(obj, "platform_domicile", arg_or_null(args, 1));
		wq_json_put(obj, "at", wq_json_column(st, 0));
		wq_json_put(obj, "by", wq_json_column(st, 1));
		wq_json_put(obj, "verified", json_false());
		json_decref(args);
	}
	wq_store_finalize(sh->store, st);
	return obj;
}

/* The newest argument i of the case's `action` events up to the time
 * shown (of those whose argument 0 is first, when given), or null. */
static json_t *latest(struct show *sh, const char *action, const char *first,
		      int i)
{
	char *text = case_latest_arg(sh->store, sh->id, action, first, i,
				     sh->at);
	json_t *v = wq_json_str(text);

	free(text);
	return v;
}

/* The case's events up to the time shown, details as they are stored. */
static json_t *events(struct show *sh)
{
	json_t *array = json_array();
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(
		sh->store,
		"SELECT e.id, e.at, e.actor, l.os_login, e.action, e.details"
		" FROM events e LEFT JOIN event_logins l ON l.event_id = e.id"
		" WHERE e.case_id = ?1 AND e.at <= ?2 ORDER BY e.id",
		&st);

	if (err) {
		sh->err = err;
		return array;
	}
	wq_bind_int64(st, 1, sh->id);
	wq_bind_text(st, 2, sh->at);
	while (wq_step(st) == WQ_ROW) {
		static const char *const keys[] = {"id", "at", "actor",
						   "os_login", "action", NULL};
		json_t *obj = wq_json_row(st, 0, keys);

		wq_json_put(obj, "details",
			    wq_json_raw(wq_column_text_or_null(st, 5)));
		json_array_append_new(array, obj);
	}
	wq_store_finalize(sh->store, st);
	return array;
}

/* The case's evidence up to the time shown, with its machine reading. */
static json_t *evidence(struct show *sh)
{
	static const char *const keys[] = {
	    "id", "kind", "party", "file_name", "size", "sha256", "encoding",
	    "added_by", "added_at", "duplicate_of", "reading", NULL};
	static const char *const read_keys[] = {"engine", "confidence",
						"read_at", "text", NULL};
	const int read_col = 11;
	json_t *array = json_array();
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(
		sh->store,
		"SELECT e.id, e.kind, e.party, e.file_name, e.size, e.sha256,"
		" e.encoding, e.added_by, e.added_at,"
		" (SELECT min(o.id) FROM evidence o"
		" WHERE o.case_id = e.case_id AND o.sha256 = e.sha256"
		" AND o.id < e.id),"
		" (SELECT j.state FROM jobs j"
		" WHERE j.evidence_id = e.id AND j.kind = 'read-text'),"
		" r.engine, r.confidence, r.read_at, r.text, r.evidence_id"
		" FROM evidence e LEFT JOIN evidence_read_text r"
		" ON r.evidence_id = e.id AND r.read_at <= ?2"
		" WHERE e.case_id = ?1 AND e.added_at <= ?2 ORDER BY e.id",
		&st);

	if (err) {
		sh->err = err;
		return array;
	}
	wq_bind_int64(st, 1, sh->id);
	wq_bind_text(st, 2, sh->at);
	while (wq_step(st) == WQ_ROW) {
		json_t *obj = wq_json_row(st, 0, keys);

		wq_json_put(obj, "machine_read",
			    wq_column_is_null(st, read_col + 4)
				? json_null()
				: wq_json_row(st, read_col, read_keys));
		json_array_append_new(array, obj);
	}
	wq_store_finalize(sh->store, st);
	return array;
}

/* The text as SQLite's substr(s, from, n) counts characters (a lead byte
 * and the continuation bytes after it); from 1-based, or < 0 from the
 * end; n < 0 for the rest. */
static size_t utf8_skip(const unsigned char *s, size_t chars)
{
	size_t i = 0;

	while (chars-- && s[i])
		if (s[i++] >= 0xc0)
			while ((s[i] & 0xc0) == 0x80)
				i++;
	return i;
}

static size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; n++)
		p += utf8_skip(p, 1);
	return n;
}

/* A phone or ID number as a role that may not see it reads it: the head
 * and the last two characters, the rest starred (shorter ones whole). */
static json_t *masked(const char *s, bool sees, size_t shortest, size_t head,
		      const char *stars)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len;
	struct wq_buf b = {0};
	json_t *v;

	if (!s)
		return json_null();
	len = utf8_length(s);
	if (sees || len < shortest)
		return wq_json_str(s);
	wq_buf_add(&b, s, utf8_skip(u, head));
	wq_buf_puts(&b, stars);
	wq_buf_puts(&b, s + utf8_skip(u, len - 2));
	v = wq_json_str(b.data);
	free(b.data);
	return v;
}

/* The regime's clock figures, with the statutory clocks' the case has
 * over them (statute_figures()). */
static json_t *figures(struct show *sh, const char *regime,
		       const json_t *statutes, const json_t *case_clocks)
{
	static const char *const keys[] = {"working_days", "?verified",
					   "basis", "source", NULL};
	json_t *out = json_object(), *figure;
	struct wq_stmt *st;
	const char *name;
	enum wq_err err = wq_store_prepare(
		sh->store,
		"SELECT r.clock, r.working_days, s.verified, r.basis, s.source"
		" FROM clock_rules r LEFT JOIN clock_sources s"
		" ON s.regime = r.regime AND s.clock = r.clock"
		" WHERE r.regime = ?1 ORDER BY r.clock",
		&st);

	if (err) {
		sh->err = err;
		return out;
	}
	wq_bind_text(st, 1, regime);
	while (regime && wq_step(st) == WQ_ROW) {
		json_t *obj = json_object();

		wq_json_put(obj, keys[0], wq_json_column(st, 1));
		wq_json_put(obj, "verified",
			    json_boolean(wq_column_int64(st, 2) == 1));
		wq_json_put(obj, keys[2], wq_json_column(st, 3));
		wq_json_put(obj, keys[3], wq_json_column(st, 4));
		json_object_set_new_nocheck(out, wq_column_text(st, 0), obj);
	}
	wq_store_finalize(sh->store, st);
	json_object_foreach((json_t *)statutes, name, figure) {
		json_t *patch;

		if (!json_object_get(case_clocks, name))
			continue;
		patch = json_object();
		json_object_set(patch, name, figure);
		out = wq_json_merge_patch(out, patch);
		json_decref(patch);
	}
	return out;
}

/* Whether the due date shown is checked against the official text: a
 * statutory clock's own mark, else the regime's source for the clock;
 * null without a due date. */
static json_t *due_verified(struct show *sh, const char *regime,
			    const json_t *state, const json_t *statutes)
{
	const char *due = json_string_value(json_object_get(state, "due_on"));
	const char *clock = json_string_value(json_object_get(state, "clock"));
	const json_t *statute = clock ? json_object_get(statutes, clock) : NULL;
	struct wq_stmt *st;
	bool verified = false;

	if (!json_object_get(state, "due_on") ||
	    json_is_null(json_object_get(state, "due_on")) ||
	    (due && (!*due || strcmp(due, "9999-12-31") == 0)))
		return json_null();
	if (statute)
		return json_boolean(
			json_is_true(json_object_get(statute, "verified")));
	if (wq_store_prepare(sh->store,
			     "SELECT verified FROM clock_sources"
			     " WHERE regime = ?1 AND clock = ?2",
			     &st) == WQ_ERR_OK) {
		wq_bind_text(st, 1, regime);
		wq_bind_text(st, 2, clock);
		verified = regime && clock && wq_step(st) == WQ_ROW &&
			   wq_column_int64(st, 0) != 0;
		wq_store_finalize(sh->store, st);
	}
	return json_boolean(verified);
}

/* A member of the case's state as it stood (null when absent). */
static json_t *state_member(const json_t *state, const char *key)
{
	json_t *v = json_object_get(state, key);

	return v ? json_deep_copy(v) : json_null();
}

/* The number of the case whose id the state names, or null. */
static json_t *case_number(struct show *sh, const json_t *id)
{
	static const char *const keys[] = {"number", NULL};
	json_t *r, *number;

	if (!json_is_integer(id))
		return json_null();
	r = row(sh, "SELECT number FROM cases WHERE id = ?1",
		json_integer_value(id), keys);
	number = json_incref(json_object_get(r, "number"));
	json_decref(r);
	return number ? number : json_null();
}

static json_t *group_of(struct show *sh, const json_t *id)
{
	static const char *const keys[] = {"id", "title", "facts", NULL};
	json_t *r, *group_id;
	char name[24];

	if (!json_is_integer(id))
		return json_null();
	r = row(sh,
		"SELECT id, title, facts FROM case_groups WHERE id = ?1",
		json_integer_value(id), keys);
	group_id = json_object_get(r, "id");
	if (json_is_integer(group_id)) {
		snprintf(name, sizeof(name), "G%" PRId64,
			 (int64_t)json_integer_value(group_id));
		wq_json_put(r, "id", wq_json_str(name));
	}
	return r;
}

/* The statutory clocks' figures as case show gives a regime's: calendar
 * days, whether it was read in the statute, basis and source. */
static json_t *statute_figures(void)
{
	json_t *all = json_object();

	for (const struct wq_statute_clock *s = wq_statute_clocks; s->name;
	     s++) {
		json_t *f = json_object();

		wq_json_put(f, "calendar_days", json_integer(s->calendar_days));
		wq_json_put(f, "verified", json_boolean(s->verified));
		wq_json_put(f, "basis", wq_json_str(s->basis));
		wq_json_put(f, "source", wq_json_str(s->source));
		json_object_set_new_nocheck(all, s->name, f);
	}
	return all;
}

/* Replays the case's events up to `at`: each carries the fields it changed
 * ("set"), the first one all of them; merged as json_patch() merged them. */
static enum wq_err rebuild(struct wq_store *store, int64_t case_id,
			   const char *at, json_t **state)
{
	struct wq_stmt *st;
	enum wq_err err;
	json_t *acc = NULL;
	json_error_t jerr;
	int rc;

	err = wq_store_prepare(store,
			       "SELECT json_extract(details, '$.set') FROM events"
			       " WHERE case_id = ?1 AND at <= ?2 ORDER BY id",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	wq_bind_text(st, 2, at);
	while ((rc = wq_step(st)) == WQ_ROW) {
		const char *text = wq_column_text_or_null(st, 0);
		json_t *set;

		if (!text)
			continue;
		set = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
		if (!set) {
			err = wq_fail(WQ_ERR_PARSE,
				      N_("not valid JSON (line %d, column %d: "
					 "%s)"),
				      jerr.line, jerr.column, jerr.text);
			break;
		}
		acc = wq_json_merge_patch(acc ? acc : json_object(), set);
		json_decref(set);
	}
	if (!err && rc != WQ_DONE)
		err = wq_store_error(store, "show case");
	wq_store_finalize(store, st);
	if (err) {
		json_decref(acc);
		return err;
	}
	*state = acc;
	return WQ_ERR_OK;
}

/* The document from the case's row, its state as it stood and the rows
 * recorded up to then. */
static json_t *document(struct show *sh, const struct wq_user *actor,
			const json_t *state, bool as_of)
{
	static const char *const marks[] = {"flag", "?on", "reason", "basis",
					    "by", "at", NULL};
	static const char *const penalties[] = {"amount_fen", "decision",
						"basis", "by", "at", NULL};
	static const char *const statements[] = {"id", "party", "author",
						 "at", "text", NULL};
	static const char *const offers[] = {
	    "id", "party", "recorded_by", "at", "remedy", "amount_fen",
	    "terms", "state", "answers", NULL};
	static const char *const agreements[] = {
	    "id", "offer", "remedy", "amount_fen", "performer", "perform_by",
	    "text", "recorded_by", "at", "performed_at", NULL};
	static const char *const diversion[] = {
	    "brand", "authorised_region", "found_region", "batch", "codes",
	    "clause", "penalty_fen", "trace", "agreed_penalty_fen", NULL};
	json_t *doc, *v, *person, *extra;
	json_t *statutes = statute_figures();
	struct wq_stmt *st;
	char *regime = NULL, *type = NULL;
	int64_t merchant_id = 0;
	enum wq_err err = wq_store_prepare(
		sh->store,
		"SELECT c.number, c.type, c.category, k.name_zh, c.region,"
		" c.received_at, c.platform, c.order_no, c.amount_fen,"
		" c.order_date, c.remedy, p.name, p.phone, p.id_number,"
		" p.region, m.id, m.name, m.platform, m.shop_id, m.region,"
		" m.complaints, m.settled, m.failed, m.unperformed, m.penalties,"
		" m.repeat_offender, m.blacklisted,"
		" " CASE_REGIME("c")
		" FROM cases c JOIN consumers p ON p.id = c.consumer_id"
		" JOIN merchants m ON m.id = c.merchant_id"
		" LEFT JOIN categories k ON k.code = c.category"
		" WHERE c.id = ?1",
		&st);

	if (err) {
		sh->err = err;
		json_decref(statutes);
		return NULL;
	}
	wq_bind_int64(st, 1, sh->id);
	if (wq_step(st) != WQ_ROW) {
		sh->err = wq_store_error(sh->store, "show case");
		wq_store_finalize(sh->store, st);
		json_decref(statutes);
		return NULL;
	}
	if (!wq_column_is_null(st, 27))
		regime = wq_strdup(wq_column_text(st, 27));
	type = wq_strdup(wq_column_text(st, 1));
	merchant_id = wq_column_int64(st, 15);

	doc = json_object();
	wq_json_put(doc, "number", wq_json_column(st, 0));
	wq_json_put(doc, "type", wq_json_column(st, 1));
	wq_json_put(doc, "category", wq_json_column(st, 2));
	wq_json_put(doc, "category_name", wq_json_column(st, 3));
	v = json_object_get(state, "region");
	wq_json_put(doc, "region", v && !json_is_null(v)
					? json_deep_copy(v)
					: wq_json_column(st, 4));
	wq_json_put(doc, "status", state_member(state, "status"));
	wq_json_put(doc, "substate", state_member(state, "substate"));
	wq_json_put(doc, "reason", state_member(state, "reason"));
	wq_json_put(doc, "review_from", state_member(state, "review_from"));
	wq_json_put(doc, "flags", state_member(state, "flags"));
	wq_json_put(doc, "assignee", state_member(state, "assignee"));
	wq_json_put(doc, "report", state_member(state, "report"));
	wq_json_put(doc, "clock", state_member(state, "clock"));
	v = state_member(state, "due_on");
	if (json_is_string(v) && strcmp(json_string_value(v), "9999-12-31") == 0) {
		json_decref(v);
		v = json_null();
	}
	wq_json_put(doc, "due_on", v);
	wq_json_put(doc, "due_verified",
		    due_verified(sh, regime, state, statutes));
	wq_json_put(doc, "clocks", state_member(state, "clocks"));
	wq_json_put(doc, "regime", wq_json_str(regime));
	wq_json_put(doc, "figures",
		    figures(sh, regime, statutes,
			    json_object_get(state, "clocks")));
	wq_json_put(doc, "version", state_member(state, "version"));
	/* Recorded by rulings of their own (rules.c): addresses the rule
	 * requires, the platform operator's seat as jurisdiction, the bureau
	 * that entrusted the mediation, referrals to the police, follow-up
	 * visits. */
	wq_json_put(doc, "complainant_address",
		    latest(sh, "address", "complainant", 1));
	wq_json_put(doc, "respondent_address",
		    latest(sh, "address", "respondent", 1));
	wq_json_put(doc, "jurisdiction", jurisdiction(sh));
	wq_json_put(doc, "entrusted_by", latest(sh, "entrusted", NULL, 0));
	wq_json_put(doc, "police_referrals",
		    action_records(sh, "refer-police", "police_body", "sent"));
	wq_json_put(doc, "follow_ups",
		    action_records(sh, "follow-up", "outcome", "note"));
	wq_json_put(doc, "duplicate_of",
		    case_number(sh, json_object_get(state, "duplicate_of")));
	wq_json_put(doc, "group",
		    group_of(sh, json_object_get(state, "group_id")));
	wq_json_put(doc, "received_at", wq_json_column(st, 5));
	wq_json_put(doc, "platform", wq_json_column(st, 6));
	wq_json_put(doc, "order_no", wq_json_column(st, 7));
	wq_json_put(doc, "amount_fen", wq_json_column(st, 8));
	wq_json_put(doc, "order_date", wq_json_column(st, 9));
	wq_json_put(doc, "remedy", wq_json_column(st, 10));
	wq_json_put(doc, "as_of", as_of ? wq_json_str(sh->at) : json_null());

	person = json_object();
	wq_json_put(person, "name", wq_json_column(st, 11));
	wq_json_put(person, "phone",
		    masked(wq_column_text_or_null(st, 12),
			   wq_role_sees_phone(actor->role), 6, 3, "******"));
	wq_json_put(person, "id_number",
		    masked(wq_column_text_or_null(st, 13),
			   wq_role_sees_id_number(actor->role), 7, 4,
			   "************"));
	wq_json_put(person, "region", wq_json_column(st, 14));
	wq_json_put(doc, "consumer", person);

	person = json_object();
	wq_json_put(person, "name", wq_json_column(st, 16));
	wq_json_put(person, "platform", wq_json_column(st, 17));
	wq_json_put(person, "shop_id", wq_json_column(st, 18));
	wq_json_put(person, "region", wq_json_column(st, 19));
	wq_json_put(person, "complaints", wq_json_column(st, 20));
	wq_json_put(person, "settled", wq_json_column(st, 21));
	wq_json_put(person, "failed", wq_json_column(st, 22));
	wq_json_put(person, "unperformed", wq_json_column(st, 23));
	wq_json_put(person, "penalties", wq_json_column(st, 24));
	wq_json_put(person, "repeat_offender",
		    json_boolean(wq_column_int64(st, 25) == 1));
	wq_json_put(person, "blacklisted",
		    json_boolean(wq_column_int64(st, 26) == 1));
	wq_store_finalize(sh->store, st);
	/* why each mark was set or lifted, and on what legal basis */
	wq_json_put(person, "marks",
		    rows(sh,
			 "SELECT flag, on_off, reason, basis, by_login, at"
			 " FROM merchant_marks WHERE merchant_id = ?1"
			 " ORDER BY id",
			 merchant_id, marks));
	wq_json_put(person, "penalty_records",
		    rows(sh,
			 "SELECT amount_fen, decision, basis, by_login, at"
			 " FROM merchant_penalties WHERE merchant_id = ?1"
			 " ORDER BY id",
			 merchant_id, penalties));
	wq_json_put(doc, "merchant", person);

	wq_json_put(doc, "statements",
		    rows(sh,
			 "SELECT id, party, author, at, text FROM statements"
			 " WHERE case_id = ?1 AND at <= ?2 ORDER BY id",
			 0, statements));
	wq_json_put(doc, "evidence", evidence(sh));
	wq_json_put(doc, "offers",
		    rows(sh,
			 "SELECT id, party, recorded_by, at, remedy,"
			 " amount_fen, terms, state, answers FROM offers"
			 " WHERE case_id = ?1 AND at <= ?2 ORDER BY id",
			 0, offers));
	wq_json_put(doc, "agreements",
		    rows(sh,
			 "SELECT id, offer_id, remedy, amount_fen, performer,"
			 " perform_by, text, recorded_by, at, performed_at"
			 " FROM agreements WHERE case_id = ?1 AND at <= ?2"
			 " ORDER BY id",
			 0, agreements));
	wq_json_put(doc, "events", events(sh));

	/* a diversion case's dispute, a report's reporter (diversion.h):
	 * merged as json_patch() merged them, null ones left out */
	extra = json_object();
	wq_json_put(extra, "diversion",
		    row(sh,
			"SELECT brand, authorised_region, found_region, batch,"
			" codes, clause, penalty_fen, trace, agreed_penalty_fen"
			" FROM diversions WHERE case_id = ?1",
			0, diversion));
	wq_json_put(extra, "real_name",
		    strcmp(type, "report") != 0
			? json_null()
			: json_boolean(wq_report_real_name(sh->store, sh->id)));
	doc = wq_json_merge_patch(doc, extra);
	json_decref(extra);
	json_decref(statutes);
	free(regime);
	free(type);
	return doc;
}

enum wq_err wq_case_show_json(struct wq_store *store,
			      const struct wq_user *actor, const char *number,
			      time_t at, char **json)
{
	struct show sh = {.store = store};
	enum wq_err err;
	json_t *state = NULL, *doc = NULL;
	char when[21];

	*json = NULL;
	err = case_id_to_read(store, actor, number, &sh.id);
	if (err)
		return err;
	/* One read transaction, so the case and its history agree. */
	err = wq_store_begin_read(store);
	if (err)
		return err;
	if (at)
		wq_time_format(at, when);
	else
		snprintf(when, sizeof(when), "9999-12-31T23:59:59Z");
	sh.at = when;
	err = rebuild(store, sh.id, when, &state);
	if (!err && !state)
		err = wq_fail(WQ_ERR_NOT_FOUND,
			      N_("case %s was not yet registered at %s"),
			      number, when);
	if (!err) {
		doc = document(&sh, actor, state, at != 0);
		err = sh.err;
	}
	if (!err && doc)
		*json = wq_json_text(doc);
	wq_store_end_read(store);
	json_decref(doc);
	json_decref(state);
	return err;
}
