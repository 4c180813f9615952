#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "weiquan/audit.h"
#include "weiquan/wqtime.h"
#include "case_internal.h"
#include "util.h"

#define GENESIS_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"
#define CHECKPOINT_TAG "weiquan-audit-checkpoint v1"

static void hex_of(const unsigned char *md, unsigned int len, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned int i = 0; i < len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * len] = '\0';
}

void wq_audit_sha256(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	EVP_Digest(len ? data : "", len, md, &mdlen, EVP_sha256(), NULL);
	hex_of(md, mdlen < 32 ? mdlen : 32, out);
}

/* Each field is length-prefixed so no choice of text can make two
 * different events hash the same input.  The OS login joins the input
 * only when there is one, so events written before it was recorded keep
 * their hashes. */
static void event_hash(int64_t id, const char *at, const char *actor,
		       int64_t case_id, const char *action,
		       const char *details, const char *prev,
		       const char *os_login, char out[65])
{
	struct wq_buf b = {0};
	const char *fields[] = {at, actor, action, details, prev, os_login};
	size_t n = sizeof(fields) / sizeof(fields[0]);

	if (!*os_login)
		n--;
	wq_buf_printf(&b, "%" PRId64 ";%" PRId64 ";", id, case_id);
	for (size_t i = 0; i < n; i++)
		wq_buf_printf(&b, "%zu:%s;", strlen(fields[i]), fields[i]);
	wq_audit_sha256(b.data, b.len, out);
	wq_buf_free(&b);
}

/* The login of the process, not of the account it acts for: one value a
 * process keeps from start to end. */
static char process_login[64];

void wq_audit_set_os_login(const char *login)
{
	snprintf(process_login, sizeof(process_login), "%s", login);
}

static const char *os_login(void)
{
	if (!*process_login) {
		struct passwd *pw = getpwuid(getuid());

		if (pw)
			wq_audit_set_os_login(pw->pw_name);
		else
			snprintf(process_login, sizeof(process_login),
				 "uid:%u", (unsigned)getuid());
	}
	return process_login;
}

enum wq_err wq_audit_append(struct wq_store *store, const char *actor,
			    int64_t case_id, const char *action,
			    const char *details, int64_t *event_id)
{
	struct wq_stmt *st;
	enum wq_err err;
	char prev[65] = GENESIS_HASH, hash[65], at[21];
	const char *login = os_login();
	int64_t id = 1;

	/* The last event read here must stay the last until the commit. */
	err = wq_store_lock_chain(store);
	if (err)
		return err;
	err = wq_store_prepare(store,
			       "SELECT id, hash FROM events ORDER BY id DESC"
			       " LIMIT 1",
			       &st);
	if (err)
		return err;
	if (wq_step(st) == WQ_ROW) {
		id = wq_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", wq_column_text(st, 1));
	}
	wq_store_finalize(store, st);

	wq_time_format(wq_now(), at);
	event_hash(id, at, actor, case_id, action, details, prev, login,
		   hash);
	err = wq_store_prepare(store,
			       "INSERT INTO events(id, at, actor, case_id, action,"
			       " details, prev_hash, hash)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, id);
	wq_bind_text(st, 2, at);
	wq_bind_text(st, 3, actor);
	if (case_id)
		wq_bind_int64(st, 4, case_id);
	else
		wq_bind_null(st, 4);
	wq_bind_text(st, 5, action);
	wq_bind_text(st, 6, details);
	wq_bind_text(st, 7, prev);
	wq_bind_text(st, 8, hash);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "audit event");
	wq_store_finalize(store, st);
	if (!err)
		err = wq_store_prepare(store,
				       "INSERT INTO event_logins(event_id,"
				       " os_login) VALUES (?1, ?2)",
				       &st);
	if (!err) {
		wq_bind_int64(st, 1, id);
		wq_bind_text(st, 2, login);
		if (wq_step(st) != WQ_DONE)
			err = wq_store_error(store, "audit event");
		wq_store_finalize(store, st);
	}
	if (!err && event_id)
		*event_id = id;
	return err;
}

/* ---- verification ---- */

struct verify {
	struct wq_store *store;
	struct wq_audit_report *report;
	struct wq_buf problems, unchecked;
	/* Rows older than this (UTC timestamp) may predate the details replay
	 * needs: "" when every event was written with them. */
	char legacy_until[32];
	/* The counter-offers and agreements, by case and event: what
	 * answered each offer (offer_state), read in one scan rather
	 * than a statement per offer (368,288 round trips to PostgreSQL
	 * at 794,081 cases). */
	struct offer_answer *answers;
	size_t nanswers;
	bool answers_read;
};

struct offer_answer {
	int64_t case_id, event, offer;
	bool counter; /* a counter-offer; an agreement otherwise */
};

static void add_line(struct wq_buf *b, int64_t *count, const char *fmt,
		     va_list ap) __attribute__((format(printf, 3, 0)));
static void add_line(struct wq_buf *b, int64_t *count, const char *fmt,
		     va_list ap)
{
	char line[512];

	if (++*count > WQ_AUDIT_MAX_LINES)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	wq_buf_puts(b, line);
	wq_buf_puts(b, "\n");
}

static void problem(struct verify *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void problem(struct verify *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(&v->problems, &v->report->nproblems, fmt, ap);
	va_end(ap);
}

static void unchecked(struct verify *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void unchecked(struct verify *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(&v->unchecked, &v->report->nunchecked, fmt, ap);
	va_end(ap);
}

static enum wq_err chain(struct verify *v)
{
	struct wq_audit_report *report = v->report;
	struct wq_stmt *st;
	enum wq_err err;
	char prev[65] = GENESIS_HASH, hash[65];
	int64_t expect_id = 1;
	bool legacy_seen = false;
	int rc;

	err = wq_store_prepare_scan(v->store,
			       "SELECT id, at, actor, coalesce(case_id, 0),"
			       " action, details, prev_hash, hash,"
			       " coalesce(l.os_login, '')"
			       " FROM events e LEFT JOIN event_logins l"
			       " ON l.event_id = e.id ORDER BY id",
			       &st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW) {
		int64_t id = wq_column_int64(st, 0);

		report->head_id = id;
		snprintf(report->head_hash, sizeof(report->head_hash), "%s",
			 wq_column_text(st, 7));
		if (!*wq_column_text(st, 8))
			legacy_seen = true;
		else if (legacy_seen && !*v->legacy_until)
			snprintf(v->legacy_until, sizeof(v->legacy_until),
				 "%s", wq_column_text(st, 1));
		if (report->first_bad)
			continue;
		if (id != expect_id) {
			report->first_bad = id;
			snprintf(report->why, sizeof(report->why),
				 wq_text(N_("event %" PRId64 " is missing")),
				 expect_id);
			continue;
		}
		if (strcmp(wq_column_text(st, 6), prev) != 0) {
			report->first_bad = id;
			snprintf(report->why, sizeof(report->why),
				 "%s",
				 wq_text(N_("does not link to the previous "
					    "event")));
			continue;
		}
		event_hash(id, wq_column_text(st, 1), wq_column_text(st, 2),
			   wq_column_int64(st, 3), wq_column_text(st, 4),
			   wq_column_text(st, 5), prev, wq_column_text(st, 8), hash);
		if (strcmp(hash, wq_column_text(st, 7)) != 0) {
			report->first_bad = id;
			snprintf(report->why, sizeof(report->why),
				 "%s",
				 wq_text(N_("its content does not match its "
					    "hash")));
			continue;
		}
		memcpy(prev, hash, sizeof(prev));
		report->checked++;
		expect_id++;
	}
	if (rc != WQ_DONE)
		err = wq_store_error(v->store, "audit verify");
	wq_store_finalize(v->store, st);
	/* Only old events: every row may predate what replay needs. */
	if (legacy_seen && !*v->legacy_until)
		snprintf(v->legacy_until, sizeof(v->legacy_until), "9999");
	if (report->first_bad)
		problem(v, wq_text(N_("event %" PRId64 ": %s")),
			report->first_bad, report->why);
	return err;
}

/* ---- what the report says ----
 *
 * Every line is in the reader's language: the codes a row holds (status,
 * party, reason...) are named by the labels the console uses, never
 * shown as they are stored. */

/* A code's label, or where no catalogue has one (an English report) the
 * code with its separators as spaces.  Static storage, a few at a time. */
static const char *code_label(const char *context, const char *code)
{
	static char made[4][96];
	static unsigned next;
	const char *t = wq_code_label(context, code);
	char *out;

	if (t != code)
		return t;
	out = made[next++ % 4];
	snprintf(out, sizeof(made[0]), "%s", code);
	for (char *p = out; *p; p++)
		if (*p == '_' || *p == '-')
			*p = ' ';
	return out;
}

/* "case WQ-2026-000001" or "group G3", as a problem line names a row's
 * owner. */
static void owner_text(char *out, size_t size, bool group, const char *owner)
{
	if (group)
		snprintf(out, size, wq_text(N_("group G%s")), owner);
	else
		snprintf(out, size, wq_text(N_("case %s")), owner);
}

/* Rows that events name, of one kind.  named gives per row the event,
 * the row's id, its owner (a case number or a group id), a why code
 * (NULL: it agrees) and up to two values the why quotes; unnamed gives
 * the rows no event names (id, owner, timestamp), with NOT EXISTS: a NOT
 * IN over named rows too many to hash in PostgreSQL's work_mem was run
 * again for each row (794,081 cases: a plan of 5e11, verify unfinished
 * after 22 minutes), where NOT EXISTS is one anti-join there.  The named
 * rows are a MATERIALIZED WITH of their own: from a subquery SQLite made
 * NOT EXISTS a scan of the events for each row (100,000 cases: 40,000
 * offers times 1.1 million events), where it indexes a materialized
 * table once. */
struct row_check {
	const char *what;     /* N_() msgid: "statement", ... */
	int64_t *counter;
	bool group;           /* owned by a collective group, not a case */
	const char *named;
	const char *unnamed;
	/* Checks more of a row that agrees so far (why NULL); NULL: none. */
	enum wq_err (*more)(struct verify *v, struct wq_stmt *named,
			    const char **why, const char **a,
			    const char **b);
};

/* A row no event mentions: an error, unless it may be older than the
 * events that mention rows of its kind. */
static void unmentioned(struct verify *v, const struct row_check *c,
			int64_t id, const char *owner, const char *at)
{
	char whose[160];

	owner_text(whose, sizeof(whose), c->group, owner);
	if (*v->legacy_until && strcmp(at, v->legacy_until) < 0)
		unchecked(v,
			  wq_text(N_("%s %" PRId64 " of %s: written before "
				     "events recorded it (%s), not compared")),
			  wq_text(c->what), id, whose, at);
	else
		problem(v, wq_text(N_("%s %" PRId64 " of %s: no event records it")),
			wq_text(c->what), id, whose);
}

/* A case row's members by name, as the report names them, and the
 * gettext context of their codes (NULL: a value shown as it is). */
static const struct {
	const char *key, *label, *context;
} case_members[] = {
	{"number", N_("number"), NULL},
	{"type", N_("type"), "type"},
	{"category", N_("category"), "category"},
	{"region", N_("region"), NULL},
	{"consumer_id", N_("consumer"), NULL},
	{"merchant_id", N_("merchant"), NULL},
	{"platform", N_("platform"), NULL},
	{"order_no", N_("order number"), NULL},
	{"amount_fen", N_("amount in fen"), NULL},
	{"order_date", N_("order date"), NULL},
	{"remedy", N_("remedy claimed"), "remedy"},
	{"received_at", N_("received at"), NULL},
	{"created_by", N_("registered by"), NULL},
	{"regime", N_("regime"), NULL},
	{"status", N_("status"), "status"},
	{"substate", N_("sub-state"), "substate"},
	{"review_from", N_("status before review"), "status"},
	{"reason", N_("reason"), "reason"},
	{"assignee", N_("assignee"), NULL},
	{"report", N_("report"), "report"},
	{"flags", N_("flags"), "flag"},
	{"duplicate_of", N_("duplicate of"), NULL},
	{"group_id", N_("collective group"), NULL},
	{"clock", N_("running clock"), "clock"},
	{"due_on", N_("due date"), NULL},
	{"clocks", N_("clocks"), NULL},
	{"version", N_("version"), NULL},
};

static const char *const flag_names[] = {WQ_FLAG_LIST(WQ_FLAG_CODE) NULL};

/* A member's value as a problem line shows it: a code by its label, the
 * flags by theirs, other text as it is, anything else as compact JSON;
 * "(none)" for null or absent.  malloc'd. */
static char *shown_member(const char *context, const json_t *value)
{
	char *text;

	if (!value || json_is_null(value))
		return wq_strdup(wq_text(N_("(none)")));
	if (context && strcmp(context, "flag") == 0 && json_is_integer(value)) {
		json_int_t bits = json_integer_value(value);
		struct wq_buf b = {0};

		for (int i = 0; flag_names[i]; i++) {
			if (!(bits & ((json_int_t)1 << i)))
				continue;
			if (b.len)
				wq_buf_puts(&b, wq_text(N_(", ")));
			wq_buf_puts(&b, code_label("flag", flag_names[i]));
		}
		return b.len ? b.data : wq_strdup(wq_text(N_("(none)")));
	}
	if (json_is_string(value))
		return wq_strdup(context ? code_label(context,
						     json_string_value(value))
					 : json_string_value(value));
	text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
	return text ? text : wq_strdup("?");
}

static void member_differs(struct verify *v, const char *number,
			   const char *key, const json_t *in_table,
			   const json_t *by_events)
{
	const char *label = key, *context = NULL;
	char *a, *b;

	for (size_t i = 0; i < sizeof(case_members) / sizeof(case_members[0]);
	     i++)
		if (strcmp(case_members[i].key, key) == 0) {
			label = wq_text(case_members[i].label);
			context = case_members[i].context;
		}
	/* The clocks are a structure of codes and times: which of them
	 * differs is for the case's timeline to show. */
	if (strcmp(key, "clocks") == 0) {
		struct wq_buf names = {0};
		const char *clock;
		json_t *value;

		json_object_foreach((json_t *)in_table, clock, value)
			if (!json_equal(value,
					json_object_get(by_events, clock))) {
				if (names.len)
					wq_buf_puts(&names, wq_text(N_(", ")));
				wq_buf_puts(&names, code_label("clock", clock));
			}
		json_object_foreach((json_t *)by_events, clock, value)
			if (!json_object_get(in_table, clock)) {
				if (names.len)
					wq_buf_puts(&names, wq_text(N_(", ")));
				wq_buf_puts(&names, code_label("clock", clock));
			}
		problem(v,
			wq_text(N_("case %s: clocks differ in the table from "
				   "its events: %s")),
			number, names.data ? names.data : "");
		wq_buf_free(&names);
		return;
	}
	a = shown_member(context, in_table);
	b = shown_member(context, by_events);
	problem(v, wq_text(N_("case %s: %s is %s in the table, %s by its events")),
		number, label, a, b);
	free(a);
	free(b);
}

static json_t *merge_patch(json_t *target, const json_t *patch);

/* A column's value as SQLite's json_object() would give it. */
static json_t *column_json(struct wq_stmt *st, int i)
{
	const char *text;

	if (wq_column_is_null(st, i))
		return json_null();
	if (wq_column_is_integer(st, i))
		return json_integer(wq_column_int64(st, i));
	text = wq_column_text(st, i);
	return json_stringn_nocheck(text, strlen(text));
}

/* The case row as one JSON object, member for member what replay
 * builds: the particulars (null ones kept), the regime, then the state
 * (null ones left out), the clocks an object without null members. */
static enum wq_err row_snapshot(struct wq_store *store, int64_t case_id,
				json_t **out)
{
	static const char *const particulars[] = {
		"number", "type", "category", "region", "consumer_id",
		"merchant_id", "platform", "order_no", "amount_fen",
		"order_date", "remedy", "received_at", "created_by", NULL};
	static const char *const state[] = {
		"regime", "status", "substate", "review_from", "reason",
		"assignee", "report", "flags", "duplicate_of", "group_id",
		"clock", "due_on", "clocks", "version", NULL};
	struct wq_stmt *st;
	enum wq_err err;
	json_t *o;
	int col = 0;

	*out = NULL;
	err = wq_store_prepare(
		store,
		"SELECT number, type, category, region, consumer_id,"
		" merchant_id, platform, order_no, amount_fen, order_date,"
		" remedy, received_at, created_by,"
		" nullif(regime, ''),"
		" status, substate, review_from, reason, assignee, report,"
		" flags, duplicate_of, group_id, clock, due_on, clocks, version"
		" FROM cases WHERE id = ?1",
		&st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) != WQ_ROW) {
		wq_store_finalize(store, st);
		return WQ_ERR_OK;
	}
	o = json_object();
	for (int i = 0; particulars[i]; i++)
		json_object_set_new(o, particulars[i], column_json(st, col++));
	for (int i = 0; state[i]; i++, col++) {
		json_t *value;

		if (wq_column_is_null(st, col))
			continue;
		if (strcmp(state[i], "clocks") == 0) {
			json_t *clocks = json_loads(wq_column_text(st, col),
						    JSON_DECODE_ANY |
							    JSON_ALLOW_NUL,
						    NULL);

			if (!clocks || json_is_null(clocks)) {
				json_decref(clocks);
				continue;
			}
			value = merge_patch(NULL, clocks);
			json_decref(clocks);
		} else {
			value = column_json(st, col);
		}
		json_object_set_new(o, state[i], value);
	}
	wq_store_finalize(store, st);
	*out = o;
	return WQ_ERR_OK;
}

/* The row's snapshot against the state its events replay to: every
 * member that differs, in the row's order, then those only the events
 * have.  Values compare as JSON (json_equal: 1 and 1.0 differ, an
 * object's member order does not matter). */
static enum wq_err compare_case(struct verify *v, int64_t case_id,
				const json_t *state, bool unreadable)
{
	enum wq_err err;
	json_t *table = NULL, *value;
	const char *key, *number;

	if (unreadable) {
		unchecked(v,
			  wq_text(N_("case id %" PRId64 ": an event's details "
				     "cannot be read, not compared")),
			  case_id);
		return WQ_ERR_OK;
	}
	if (!state) {
		problem(v,
			wq_text(N_("case id %" PRId64 ": its events record no "
				   "creation")),
			case_id);
		return WQ_ERR_OK;
	}
	number = json_string_value(json_object_get(state, "number"));
	if (!number || !*number) {
		unchecked(v,
			  wq_text(N_("case id %" PRId64 ": its first event "
				     "predates full snapshots, not compared")),
			  case_id);
		return WQ_ERR_OK;
	}

	err = row_snapshot(v->store, case_id, &table);
	if (err)
		return err;
	if (!table) {
		problem(v,
			wq_text(N_("case %s: its events are there, its row is "
				   "not")),
			number);
		return WQ_ERR_OK;
	}
	v->report->cases++;
	json_object_foreach(table, key, value) {
		const json_t *replayed = json_object_get(state, key);

		if (!replayed || !json_equal(value, replayed))
			member_differs(v, number, key, value, replayed);
	}
	json_object_foreach((json_t *)state, key, value)
		if (!json_object_get(table, key))
			member_differs(v, number, key, NULL, value);
	json_decref(table);
	return WQ_ERR_OK;
}

/* RFC 7396 JSON Merge Patch (what SQLite's json_patch() does): patch's
 * members replace target's, an object merging into an object, a null
 * removing the member.  Takes target's reference, returns the result's. */
static json_t *merge_patch(json_t *target, const json_t *patch)
{
	const char *key;
	json_t *value;

	if (!json_is_object(patch)) {
		json_decref(target);
		return json_deep_copy(patch);
	}
	if (!json_is_object(target)) {
		json_decref(target);
		target = json_object();
	}
	json_object_foreach((json_t *)patch, key, value) {
		if (json_is_null(value))
			json_object_del(target, key);
		else
			json_object_set_new(
				target, key,
				merge_patch(json_incref(json_object_get(target,
									key)),
					    value));
	}
	return target;
}

/* One event's "set" applied to the state, as caseshow.c does, except
 * that a clocks object replaces the one before instead of merging into
 * it.  Null members are dropped, as the row's snapshot (row_snapshot())
 * drops those of the state. */
static json_t *replay_set(json_t *state, const json_t *set)
{
	json_t *clocks = json_object_get(set, "clocks");

	if (!clocks || json_is_null(clocks))
		clocks = json_object_get(state, "clocks");
	if (!clocks || json_is_null(clocks))
		clocks = json_object();
	else
		json_incref(clocks);
	state = merge_patch(state, set);
	if (state)
		json_object_set_new(state, "clocks",
				    merge_patch(json_object(), clocks));
	json_decref(clocks);
	return state;
}

/* The end of a loop over st's rows, st finalized: a step that failed is
 * the error (unless err already is one), so that a query the database
 * refused never reads as "no problem found".  A loop left early ends on
 * WQ_ROW. */
static enum wq_err rows_end(struct verify *v, struct wq_stmt *st, int rc,
			    enum wq_err err)
{
	if (!err && rc != WQ_ROW && rc != WQ_DONE)
		err = wq_store_error(v->store, "audit verify");
	wq_store_finalize(v->store, st);
	return err;
}

/* Replays each case's events from its creation snapshot ("set"), then
 * compares the row with the result. */
static enum wq_err replay_cases(struct verify *v)
{
	struct wq_stmt *st;
	int rc = WQ_DONE;
	enum wq_err err = WQ_ERR_OK;
	json_t *state = NULL;
	int64_t current = 0;
	bool unreadable = false;

	err = wq_store_prepare_scan(v->store,
			       "SELECT case_id, json_extract(details, '$.set')"
			       " FROM events WHERE case_id IS NOT NULL"
			       " ORDER BY case_id, id",
			       &st);
	if (err)
		return err;
	while (!err && (rc = wq_step(st)) == WQ_ROW) {
		int64_t id = wq_column_int64(st, 0);
		json_t *set;

		if (id != current) {
			if (current)
				err = compare_case(v, current, state,
						   unreadable);
			json_decref(state);
			state = NULL;
			unreadable = false;
			current = id;
		}
		if (wq_column_is_null(st, 1) || unreadable)
			continue;
		set = json_loads(wq_column_text(st, 1), JSON_ALLOW_NUL, NULL);
		if (!set) {
			unreadable = true;
			continue;
		}
		state = replay_set(state ? state : json_object(), set);
		json_decref(set);
	}
	if (!err && current)
		err = compare_case(v, current, state, unreadable);
	json_decref(state);
	err = rows_end(v, st, rc, err);
	if (err)
		return err;

	err = wq_store_prepare(v->store,
			       "SELECT number FROM cases c WHERE NOT EXISTS"
			       " (SELECT 1 FROM events e WHERE e.case_id = c.id)",
			       &st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW)
		problem(v, wq_text(N_("case %s: no event records it")),
			wq_column_text(st, 0));
	return rows_end(v, st, rc, WQ_ERR_OK);
}

/* What a row check found wrong, by the code its query gives ("amount"
 * and "state" quote the two values a and b besides). */
static const struct {
	const char *code, *message;
} row_whys[] = {
	{"missing", N_("its row is missing")},
	{"moved_case", N_("it belongs to another case now")},
	{"moved", N_("it belongs elsewhere now")},
	{"party", N_("its party changed")},
	{"author", N_("its author changed")},
	{"text", N_("its text changed since its event")},
	{"party_author", N_("its party or author changed")},
	{"remedy", N_("its remedy changed")},
	{"terms", N_("its terms changed")},
	{"answers", N_("the offer it answers changed")},
	{"sha_recorded", N_("its recorded SHA-256 changed")},
	{"sha_bytes",
	 N_("its bytes no longer have the SHA-256 its event recorded")},
	{"size", N_("its size changed")},
	{"evidence_fields", N_("its kind, party, file name or author changed")},
	{"document_fields",
	 N_("its kind, language, version or number changed")},
	{"issuer", N_("its issuer changed")},
	{"sha_text", N_("its text no longer has the SHA-256 its event recorded")},
	{"sha_pdf", N_("its PDF no longer has the SHA-256 its event recorded")},
	{"party_channel", N_("its party or channel changed")},
	{"said", N_("what was said changed since its event")},
	{"outcome", N_("its outcome changed since its event")},
	{"follow_up", N_("its follow-up date changed")},
};

static void row_problem(struct verify *v, const struct row_check *c,
			int64_t event, int64_t id, const char *owner,
			const char *why, const char *a, const char *b)
{
	char whose[160], said[512];

	snprintf(said, sizeof(said), "%s", why);
	if (strcmp(why, "amount") == 0) {
		snprintf(said, sizeof(said),
			 wq_text(N_("its amount is %s fen, its event says %s")),
			 a, b);
	} else if (strcmp(why, "state") == 0) {
		/* Two labels at once: the first copied before the next. */
		char was[96];

		snprintf(was, sizeof(was), "%s", code_label("offer", a));
		snprintf(said, sizeof(said),
			 wq_text(N_("it is %s, its events say %s")), was,
			 code_label("offer", b));
	}
	for (size_t i = 0; i < sizeof(row_whys) / sizeof(row_whys[0]); i++)
		if (strcmp(row_whys[i].code, why) == 0)
			snprintf(said, sizeof(said), "%s",
				 wq_text(row_whys[i].message));
	owner_text(whose, sizeof(whose), c->group, owner);
	problem(v, wq_text(N_("%s %" PRId64 " of %s: %s (event %" PRId64 ")")),
		wq_text(c->what), id, whose, said, event);
}

/* The named query's columns: event, id, owner, why, a, b, then what a
 * `more` hook reads. */
static enum wq_err check_rows(struct verify *v, const struct row_check *c)
{
	struct wq_stmt *st;
	int rc = WQ_DONE;
	enum wq_err err;

	err = wq_store_prepare_scan(v->store, c->named, &st);
	if (err)
		return err;
	while (!err && (rc = wq_step(st)) == WQ_ROW) {
		const char *why = wq_column_text_or_null(st, 3);
		const char *a = wq_column_text(st, 4), *b = wq_column_text(st, 5);

		if (!why && c->more)
			err = c->more(v, st, &why, &a, &b);
		if (err)
			break;
		if (!why) {
			(*c->counter)++;
			continue;
		}
		row_problem(v, c, wq_column_int64(st, 0), wq_column_int64(st, 1),
			    wq_column_text(st, 2), why, a, b);
	}
	err = rows_end(v, st, rc, err);
	if (err)
		return err;
	err = wq_store_prepare_scan(v->store, c->unnamed, &st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW)
		unmentioned(v, c, wq_column_int64(st, 0), wq_column_text(st, 1),
			    wq_column_text(st, 2));
	return rows_end(v, st, rc, WQ_ERR_OK);
}

/* Two texts that differ, NULL being a value of its own (SQL's IS
 * DISTINCT FROM). */
static bool distinct(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

/* An id as a JSON member gives it (a number or its digits as text), as
 * SQL's CAST(... AS INTEGER) reads it; 0 for anything else. */
static int64_t json_id(const json_t *value)
{
	if (json_is_integer(value))
		return json_integer_value(value);
	if (json_is_string(value))
		return strtoll(json_string_value(value), NULL, 10);
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The statements an event added are a list in its details
 * ("args"."statements": [{id, party, sha256}]): read in C, each
 * compared with its row. */
static enum wq_err check_statements(struct verify *v)
{
	static const struct row_check c = {.what = N_("statement")};
	struct wq_stmt *st, *row;
	int rc = WQ_DONE;
	enum wq_err err;
	int64_t *named = NULL;
	size_t nnamed = 0, cap = 0;

	err = wq_store_prepare_scan(v->store,
			       "SELECT e.id, e.case_id, e.actor,"
			       " json_extract(e.details, '$.args.statements'),"
			       " coalesce(c.number, '?')"
			       " FROM events e LEFT JOIN cases c"
			       " ON c.id = e.case_id"
			       " WHERE e.case_id IS NOT NULL"
			       " AND json_extract(e.details, '$.args.statements')"
			       " IS NOT NULL ORDER BY e.id",
			       &st);
	if (err)
		return err;
	err = wq_store_prepare(v->store,
			       "SELECT case_id, party, author, wq_sha256(text)"
			       " FROM statements WHERE id = ?1",
			       &row);
	if (err) {
		wq_store_finalize(v->store, st);
		return err;
	}
	while ((rc = wq_step(st)) == WQ_ROW) {
		json_t *list = json_loads(wq_column_text(st, 3),
					  JSON_DECODE_ANY | JSON_ALLOW_NUL,
					  NULL);
		const char *event_case = wq_column_text_or_null(st, 1);
		const char *actor = wq_column_text_or_null(st, 2);
		size_t i;
		json_t *item;

		json_array_foreach(list, i, item) {
			int64_t sid = json_id(json_object_get(item, "id"));
			const char *party = json_string_value(
				json_object_get(item, "party"));
			const char *sha = json_string_value(
				json_object_get(item, "sha256"));
			const char *why = NULL;

			if (nnamed == cap) {
				cap = cap ? 2 * cap : 256;
				named = wq_xrealloc(named, cap * sizeof(*named));
			}
			named[nnamed++] = sid;
			wq_bind_int64(row, 1, sid);
			if (wq_step(row) != WQ_ROW)
				why = "missing";
			else if (distinct(wq_column_text_or_null(row, 0),
					  event_case))
				why = "moved_case";
			else if (distinct(wq_column_text_or_null(row, 1), party))
				why = "party";
			else if (distinct(wq_column_text_or_null(row, 2), actor))
				why = "author";
			else if (distinct(wq_column_text_or_null(row, 3), sha))
				why = "text";
			wq_stmt_reset(row);
			if (why)
				row_problem(v, &c, wq_column_int64(st, 0), sid,
					    wq_column_text(st, 4), why, "", "");
			else
				v->report->statements++;
		}
		json_decref(list);
	}
	wq_store_finalize(v->store, row);
	err = rows_end(v, st, rc, WQ_ERR_OK);
	if (err) {
		free(named);
		return err;
	}
	if (nnamed)
		qsort(named, nnamed, sizeof(*named), cmp_id);
	err = wq_store_prepare_scan(v->store,
			       "SELECT t.id, coalesce(c.number, '?'), t.at"
			       " FROM statements t LEFT JOIN cases c"
			       " ON c.id = t.case_id ORDER BY t.id",
			       &st);
	if (!err) {
		while ((rc = wq_step(st)) == WQ_ROW) {
			int64_t id = wq_column_int64(st, 0);

			if (!nnamed || !bsearch(&id, named, nnamed,
						sizeof(*named), cmp_id))
				unmentioned(v, &c, id, wq_column_text(st, 1),
					    wq_column_text(st, 2));
		}
		err = rows_end(v, st, rc, err);
	}
	free(named);
	return err;
}

static enum wq_err read_answers(struct verify *v)
{
	struct wq_stmt *st;
	size_t size = 0;
	int rc;
	enum wq_err err;

	v->answers_read = true;
	err = wq_store_prepare_scan(v->store,
				    "SELECT case_id, id, action,"
				    " json_extract(details, '$.args')"
				    " FROM events WHERE case_id IS NOT NULL"
				    " AND action IN ('counter', 'agree')"
				    " ORDER BY case_id, id",
				    &st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW) {
		json_t *args = json_loads(wq_column_text(st, 3),
					  JSON_DECODE_ANY | JSON_ALLOW_NUL,
					  NULL);
		struct offer_answer *a;

		if (v->nanswers == size) {
			size = size ? 2 * size : 1024;
			v->answers = wq_xrealloc(v->answers,
						 size * sizeof(*v->answers));
		}
		a = &v->answers[v->nanswers++];
		a->case_id = wq_column_int64(st, 0);
		a->event = wq_column_int64(st, 1);
		a->counter = strcmp(wq_column_text(st, 2), "counter") == 0;
		a->offer = json_id(
		    json_array_get(json_object_get(args, "argv"), 0));
		json_decref(args);
	}
	return rows_end(v, st, rc, WQ_ERR_OK);
}

/* An offer stays open until a counter-offer or an agreement answers it
 * (their first argument names the offer): the first after it in its
 * case that names it. */
static enum wq_err offer_state(struct verify *v, struct wq_stmt *named,
			       const char **why, const char **a,
			       const char **b)
{
	static char in_table[32];
	int64_t offer = wq_column_int64(named, 1),
		event = wq_column_int64(named, 0),
		case_id = wq_column_int64(named, 7);
	const char *state = "open";
	size_t lo = 0, hi;
	enum wq_err err;

	if (!v->answers_read) {
		err = read_answers(v);
		if (err)
			return err;
	}
	/* The first answer after (case_id, event). */
	hi = v->nanswers;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct offer_answer *m = &v->answers[mid];

		if (m->case_id < case_id ||
		    (m->case_id == case_id && m->event <= event))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < v->nanswers && v->answers[lo].case_id == case_id; lo++)
		if (v->answers[lo].offer == offer) {
			state = v->answers[lo].counter ? "countered"
						       : "accepted";
			break;
		}
	if (distinct(wq_column_text_or_null(named, 6), state)) {
		snprintf(in_table, sizeof(in_table), "%s",
			 wq_column_text(named, 6));
		*why = "state";
		*a = in_table;
		*b = state;
	}
	return WQ_ERR_OK;
}

/* The ids events give are JSON members: read as integers, as the rows'
 * ids are, so both databases compare them alike. */
#define NAMED_OFFERS                                                           \
	"(SELECT e.id AS ev, e.case_id, e.actor,"                              \
	" CAST(json_extract(e.details, '$.args.offered.id') AS INTEGER)"       \
	" AS offer_id,"                                                        \
	" json_extract(e.details, '$.args.offered.party') AS party,"           \
	" json_extract(e.details, '$.args.offered.remedy') AS remedy,"         \
	" CAST(json_extract(e.details, '$.args.offered.amount_fen')"           \
	" AS INTEGER) AS amount,"                                              \
	" json_extract(e.details, '$.args.offered.terms_sha256') AS terms,"    \
	" CAST(json_extract(e.details, '$.args.offered.answers')"              \
	" AS INTEGER) AS answers"                                              \
	" FROM events e WHERE e.case_id IS NOT NULL"                           \
	" AND e.action IN ('offer', 'counter')"                                \
	" AND json_extract(e.details, '$.args.offered.id') IS NOT NULL)"

#define NAMED_EVIDENCE(action)                                                 \
	"(SELECT e.id AS ev, e.case_id, e.actor,"                              \
	" CAST(json_extract(e.details, '$.evidence') AS INTEGER) AS eid,"      \
	" CAST(json_extract(e.details, '$.group') AS INTEGER) AS gid,"         \
	" json_extract(e.details, '$.kind') AS kind,"                          \
	" json_extract(e.details, '$.party') AS party,"                        \
	" json_extract(e.details, '$.file_name') AS file_name,"                \
	" CAST(json_extract(e.details, '$.size') AS INTEGER) AS size,"         \
	" json_extract(e.details, '$.sha256') AS sha"                          \
	" FROM events e WHERE e.action = '" action "'"                         \
	" AND json_extract(e.details, '$.evidence') IS NOT NULL)"
#define EVIDENCE_WRONG(owner)                                                  \
	" CASE WHEN x.id IS NULL THEN 'missing'"                               \
	" WHEN " owner " THEN 'moved'"                                         \
	" WHEN x.sha256 IS DISTINCT FROM m.sha THEN 'sha_recorded'"            \
	" WHEN wq_sha256(x.original) IS DISTINCT FROM m.sha THEN 'sha_bytes'"  \
	" WHEN x.size IS DISTINCT FROM m.size"                                 \
	" OR octet_length(x.original) IS DISTINCT FROM m.size"                 \
	" THEN 'size'"                                                         \
	" WHEN x.kind IS DISTINCT FROM m.kind"                                 \
	" OR x.party IS DISTINCT FROM m.party"                                 \
	" OR x.file_name IS DISTINCT FROM m.file_name"                         \
	" OR x.added_by IS DISTINCT FROM m.actor"                              \
	" THEN 'evidence_fields' END, '', ''"

static const struct row_check offer_check = {
	N_("offer"), NULL, false,
	"SELECT m.ev, m.offer_id, coalesce(c.number, '?'),"
	" CASE WHEN t.id IS NULL THEN 'missing'"
	" WHEN t.case_id IS DISTINCT FROM m.case_id THEN 'moved_case'"
	" WHEN t.party IS DISTINCT FROM m.party"
	" OR t.recorded_by IS DISTINCT FROM m.actor THEN 'party_author'"
	" WHEN t.remedy IS DISTINCT FROM m.remedy THEN 'remedy'"
	" WHEN t.amount_fen IS DISTINCT FROM m.amount THEN 'amount'"
	" WHEN wq_sha256(t.terms) IS DISTINCT FROM m.terms THEN 'terms'"
	" WHEN t.answers IS DISTINCT FROM m.answers THEN 'answers' END,"
	" CAST(t.amount_fen AS TEXT), CAST(m.amount AS TEXT), t.state,"
	" m.case_id"
	" FROM " NAMED_OFFERS " m LEFT JOIN offers t ON t.id = m.offer_id"
	" LEFT JOIN cases c ON c.id = m.case_id",
	"WITH named AS MATERIALIZED " NAMED_OFFERS
	" SELECT t.id, coalesce(c.number, '?'), t.at FROM offers t"
	" LEFT JOIN cases c ON c.id = t.case_id WHERE NOT EXISTS"
	" (SELECT 1 FROM named WHERE named.offer_id = t.id)",
	offer_state,
};

static const struct row_check evidence_check = {
	N_("evidence"), NULL, false,
	"SELECT m.ev, m.eid, coalesce(c.number, '?'),"
	EVIDENCE_WRONG("x.case_id IS DISTINCT FROM m.case_id")
	" FROM " NAMED_EVIDENCE("evidence") " m"
	" LEFT JOIN evidence x ON x.id = m.eid"
	" LEFT JOIN cases c ON c.id = m.case_id",
	"WITH named AS MATERIALIZED " NAMED_EVIDENCE("evidence")
	" SELECT x.id, coalesce(c.number, '?'), x.added_at"
	" FROM evidence x"
	" LEFT JOIN cases c ON c.id = x.case_id WHERE NOT EXISTS"
	" (SELECT 1 FROM named WHERE named.eid = x.id)",
	NULL,
};

static const struct row_check group_evidence_check = {
	N_("shared evidence"), NULL, true,
	"SELECT m.ev, m.eid, coalesce(CAST(m.gid AS TEXT), '?'),"
	EVIDENCE_WRONG("x.group_id IS DISTINCT FROM m.gid")
	" FROM " NAMED_EVIDENCE("group-evidence") " m"
	" LEFT JOIN group_evidence x ON x.id = m.eid",
	"WITH named AS MATERIALIZED " NAMED_EVIDENCE("group-evidence")
	" SELECT x.id, CAST(x.group_id AS TEXT), x.added_at"
	" FROM group_evidence x"
	" WHERE NOT EXISTS"
	" (SELECT 1 FROM named WHERE named.eid = x.id)",
	NULL,
};

/* An issued document (src/document.c) is what its "document" event
 * recorded: kind, language, version, number, issuer and the SHA-256 of
 * its text and PDF bytes. */
#define NAMED_DOCUMENTS                                                        \
	"(SELECT e.id AS ev, e.case_id, e.actor,"                              \
	" CAST(json_extract(e.details, '$.document') AS INTEGER) AS did,"      \
	" json_extract(e.details, '$.kind') AS kind,"                          \
	" json_extract(e.details, '$.lang') AS lang,"                          \
	" CAST(json_extract(e.details, '$.version') AS INTEGER) AS version,"   \
	" json_extract(e.details, '$.number') AS number,"                      \
	" json_extract(e.details, '$.text_sha256') AS tsha,"                   \
	" json_extract(e.details, '$.pdf_sha256') AS psha"                     \
	" FROM events e WHERE e.action = 'document'"                           \
	" AND json_extract(e.details, '$.document') IS NOT NULL)"

static const struct row_check document_check = {
	N_("document"), NULL, false,
	"SELECT m.ev, m.did, coalesce(c.number, '?'),"
	" CASE WHEN x.id IS NULL THEN 'missing'"
	" WHEN x.case_id IS DISTINCT FROM m.case_id THEN 'moved_case'"
	" WHEN x.kind IS DISTINCT FROM m.kind"
	" OR x.lang IS DISTINCT FROM m.lang"
	" OR x.version IS DISTINCT FROM m.version"
	" OR x.number IS DISTINCT FROM m.number THEN 'document_fields'"
	" WHEN x.issued_by IS DISTINCT FROM m.actor THEN 'issuer'"
	" WHEN x.text_sha256 IS DISTINCT FROM m.tsha"
	" OR x.pdf_sha256 IS DISTINCT FROM m.psha THEN 'sha_recorded'"
	" WHEN wq_sha256(x.text) IS DISTINCT FROM m.tsha THEN 'sha_text'"
	" WHEN wq_sha256(x.pdf) IS DISTINCT FROM m.psha THEN 'sha_pdf' END,"
	" '', ''"
	" FROM " NAMED_DOCUMENTS " m LEFT JOIN documents x ON x.id = m.did"
	" LEFT JOIN cases c ON c.id = m.case_id",
	"WITH named AS MATERIALIZED " NAMED_DOCUMENTS
	" SELECT x.id, coalesce(c.number, '?'), x.issued_at"
	" FROM documents x LEFT JOIN cases c ON c.id = x.case_id"
	" WHERE NOT EXISTS (SELECT 1 FROM named WHERE named.did = x.id)",
	NULL,
};

#define NAMED_CONTACTS                                                         \
	"(SELECT e.id AS ev, e.case_id, e.actor,"                              \
	" CAST(json_extract(e.details, '$.contact') AS INTEGER) AS cid,"       \
	" json_extract(e.details, '$.party') AS party,"                        \
	" json_extract(e.details, '$.channel') AS channel,"                    \
	" json_extract(e.details, '$.said_sha256') AS said,"                   \
	" json_extract(e.details, '$.outcome_sha256') AS outcome,"             \
	" json_extract(e.details, '$.follow_up_on') AS follow_up"              \
	" FROM events e WHERE e.action = 'contact'"                            \
	" AND json_extract(e.details, '$.contact') IS NOT NULL)"

static const struct row_check contact_check = {
	N_("contact"), NULL, false,
	"SELECT m.ev, m.cid, coalesce(c.number, '?'),"
	" CASE WHEN t.id IS NULL THEN 'missing'"
	" WHEN t.case_id IS DISTINCT FROM m.case_id THEN 'moved_case'"
	" WHEN t.party IS DISTINCT FROM m.party"
	" OR t.channel IS DISTINCT FROM m.channel THEN 'party_channel'"
	" WHEN t.author IS DISTINCT FROM m.actor THEN 'author'"
	" WHEN wq_sha256(t.said) IS DISTINCT FROM m.said THEN 'said'"
	" WHEN wq_sha256(t.outcome) IS DISTINCT FROM m.outcome"
	" THEN 'outcome'"
	" WHEN t.follow_up_on IS DISTINCT FROM m.follow_up THEN 'follow_up'"
	" END, '', ''"
	" FROM " NAMED_CONTACTS " m LEFT JOIN contacts t ON t.id = m.cid"
	" LEFT JOIN cases c ON c.id = m.case_id",
	"WITH named AS MATERIALIZED " NAMED_CONTACTS
	" SELECT t.id, coalesce(c.number, '?'), t.at FROM contacts t"
	" LEFT JOIN cases c ON c.id = t.case_id WHERE NOT EXISTS"
	" (SELECT 1 FROM named WHERE named.cid = t.id)",
	NULL,
};

/* A true or false member of an event's details as 1 or 0 (NULL when
 * absent): SQLite reads JSON's true as 1, PostgreSQL as 'true'. */
#define JSON_FLAG(key)                                                         \
	"CASE WHEN json_extract(details, '$." key "') IS NULL THEN NULL"        \
	" WHEN CAST(json_extract(details, '$." key "') AS TEXT)"               \
	" IN ('1', 'true') THEN 1 ELSE 0 END"

static const char *active_text(int active)
{
	return active ? wq_text(N_("active")) : wq_text(N_("inactive"));
}

/* Each user's role and whether active are what the last "user-*" event
 * about them left; a user no event disabled is active. */
static enum wq_err check_users(struct verify *v)
{
	struct wq_stmt *st;
	int rc = WQ_DONE;
	enum wq_err err;

	err = wq_store_prepare(
		v->store,
		"WITH ue AS MATERIALIZED (SELECT id,"
		" json_extract(details, '$.login') AS login,"
		" json_extract(details, '$.role') AS role,"
		" " JSON_FLAG("active") " AS active"
		" FROM events WHERE action LIKE 'user-%')"
		" SELECT u.login, u.role, u.active, u.created_at,"
		" (SELECT role FROM ue WHERE ue.login = u.login AND role IS NOT"
		" NULL ORDER BY id DESC LIMIT 1),"
		" coalesce((SELECT active FROM ue WHERE ue.login = u.login"
		" AND active IS NOT NULL ORDER BY id DESC LIMIT 1), 1)"
		" FROM users u ORDER BY u.login",
		&st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW) {
		const char *login = wq_column_text(st, 0), *role = wq_column_text(st, 1);

		if (wq_column_is_null(st, 4)) {
			if (*v->legacy_until &&
			    strcmp(wq_column_text(st, 3), v->legacy_until) < 0)
				unchecked(v,
					  wq_text(N_("user %s: added before "
						     "events recorded users, "
						     "not compared")),
					  login);
			else
				problem(v,
					wq_text(N_("user %s: no event records "
						   "it")),
					login);
			continue;
		}
		v->report->users++;
		if (strcmp(role, wq_column_text(st, 4)) != 0) {
			char was[96];

			snprintf(was, sizeof(was), "%s",
				 code_label("role", role));
			problem(v,
				wq_text(N_("user %s: is %s in the users table, "
					   "%s by its events")),
				login, was,
				code_label("role", wq_column_text(st, 4)));
		}
		if (wq_column_int(st, 2) != wq_column_int(st, 5))
			problem(v,
				wq_text(N_("user %s: is %s in the users table, "
					   "%s by its events")),
				login, active_text(wq_column_int(st, 2)),
				active_text(wq_column_int(st, 5)));
	}
	err = rows_end(v, st, rc, WQ_ERR_OK);
	if (err)
		return err;
	err = wq_store_prepare(v->store,
			       "SELECT DISTINCT json_extract(details, '$.login')"
			       " FROM events WHERE action = 'user-add'"
			       " AND json_extract(details, '$.login') NOT IN"
			       " (SELECT login FROM users)",
			       &st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW)
		problem(v,
			wq_text(N_("user %s: added by an event, not in the users "
				   "table")),
			wq_column_text(st, 0));
	return rows_end(v, st, rc, WQ_ERR_OK);
}

static const char *marks_text(int repeat_offender, int blacklisted)
{
	if (repeat_offender && blacklisted)
		return wq_text(N_("a repeat offender and blacklisted"));
	if (repeat_offender)
		return wq_text(N_("a repeat offender"));
	if (blacklisted)
		return wq_text(N_("blacklisted"));
	return wq_text(N_("unmarked"));
}

/* A merchant's marks (repeat offender, blacklisted) are the ones the last
 * "merchant-mark" event about it left; none without one. */
static enum wq_err check_merchants(struct verify *v)
{
	struct wq_stmt *st;
	int rc = WQ_DONE;
	enum wq_err err;

	err = wq_store_prepare(
		v->store,
		"WITH mark AS MATERIALIZED (SELECT id,"
		" CAST(json_extract(details, '$.merchant') AS INTEGER)"
		" AS merchant,"
		" " JSON_FLAG("repeat_offender") " AS repeat_offender,"
		" " JSON_FLAG("blacklisted") " AS blacklisted"
		" FROM events WHERE action = 'merchant-mark'),"
		" last AS (SELECT mark.* FROM mark WHERE mark.id IN"
		" (SELECT max(id) FROM mark GROUP BY merchant))"
		" SELECT m.id, m.name, m.repeat_offender, m.blacklisted,"
		" coalesce(l.repeat_offender, 0), coalesce(l.blacklisted, 0)"
		" FROM merchants m LEFT JOIN last l ON l.merchant = m.id"
		" WHERE m.repeat_offender IS DISTINCT FROM"
		" coalesce(l.repeat_offender, 0)"
		" OR m.blacklisted IS DISTINCT FROM coalesce(l.blacklisted, 0)",
		&st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW) {
		char id[24], was[128];

		snprintf(id, sizeof(id), "%" PRId64, wq_column_int64(st, 0));
		snprintf(was, sizeof(was), "%s",
			 marks_text(wq_column_int(st, 2), wq_column_int(st, 3)));
		problem(v,
			wq_text(N_("merchant %s (%s): %s in the table, %s by its "
				   "events")),
			id, wq_column_text(st, 1), was,
			marks_text(wq_column_int(st, 4), wq_column_int(st, 5)));
	}
	return rows_end(v, st, rc, WQ_ERR_OK);
}

/* A collective group is what its "group-create" event made, with the
 * facts of its last "group-create" or "group-facts" event. */
static enum wq_err check_groups(struct verify *v)
{
	static const char *const whys[] = {
		N_("no event records it"),
		N_("its title, merchant or author changed"),
		N_("its facts changed"),
	};
	struct wq_stmt *st;
	int rc = WQ_DONE;
	enum wq_err err;

	err = wq_store_prepare(
		v->store,
		"WITH ge AS MATERIALIZED (SELECT id, action, actor,"
		" CAST(json_extract(details, '$.group') AS INTEGER) AS gid,"
		" json_extract(details, '$.title') AS title,"
		" CAST(json_extract(details, '$.merchant') AS INTEGER)"
		" AS merchant,"
		" json_extract(details, '$.facts') AS facts"
		" FROM events WHERE action IN ('group-create', 'group-facts'))"
		" SELECT g.id, CASE"
		" WHEN c.id IS NULL THEN 0"
		" WHEN g.title IS DISTINCT FROM c.title"
		" OR g.merchant_id IS DISTINCT FROM c.merchant"
		" OR g.created_by IS DISTINCT FROM c.actor THEN 1"
		" WHEN g.facts IS DISTINCT FROM (SELECT facts FROM ge"
		" WHERE ge.gid = g.id ORDER BY ge.id DESC LIMIT 1) THEN 2 END"
		" FROM case_groups g LEFT JOIN ge c ON c.gid = g.id"
		" AND c.action = 'group-create'",
		&st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW) {
		char group[24], whose[64];

		if (wq_column_is_null(st, 1))
			continue;
		snprintf(group, sizeof(group), "%" PRId64,
			 wq_column_int64(st, 0));
		owner_text(whose, sizeof(whose), true, group);
		problem(v, "%s: %s", whose, wq_text(whys[wq_column_int(st, 1)]));
	}
	return rows_end(v, st, rc, WQ_ERR_OK);
}

static void take_lines(struct wq_buf *b, char **out)
{
	*out = b->data;
	b->data = NULL;
	wq_buf_free(b);
}

static enum wq_err verdict(struct wq_audit_report *report)
{
	if (report->first_bad)
		return wq_fail(WQ_ERR_AUDIT, N_("event %" PRId64 ": %s"),
			       report->first_bad, report->why);
	if (report->nproblems) {
		const char *p = report->problems ? report->problems : "";

		return wq_fail(WQ_ERR_AUDIT, "%.*s", (int)strcspn(p, "\n"), p);
	}
	return WQ_ERR_OK;
}

enum wq_err wq_audit_verify(struct wq_store *store,
			    struct wq_audit_report *report)
{
	struct verify v = {.store = store, .report = report};
	struct row_check checks[] = {offer_check, evidence_check,
				     group_evidence_check, document_check,
				     contact_check};
	bool own_read = !wq_store_in_write(store);
	enum wq_err err;

	memset(report, 0, sizeof(*report));
	snprintf(report->head_hash, sizeof(report->head_hash), GENESIS_HASH);
	checks[0].counter = &report->offers;
	checks[1].counter = &report->evidence;
	checks[2].counter = &report->evidence;
	checks[3].counter = &report->documents;
	checks[4].counter = &report->contacts;
	/* One read transaction: the rows and the events of one moment. */
	if (own_read) {
		err = wq_store_begin_read(store);
		if (err)
			return err;
	}
	err = chain(&v);
	if (!err)
		err = replay_cases(&v);
	if (!err)
		err = check_statements(&v);
	for (size_t i = 0; !err && i < sizeof(checks) / sizeof(checks[0]);
	     i++)
		err = check_rows(&v, &checks[i]);
	if (!err)
		err = check_users(&v);
	if (!err)
		err = check_merchants(&v);
	if (!err)
		err = check_groups(&v);
	if (own_read)
		wq_store_end_read(store);
	free(v.answers);
	take_lines(&v.problems, &report->problems);
	take_lines(&v.unchecked, &report->unchecked);
	return err ? err : verdict(report);
}

void wq_audit_report_free(struct wq_audit_report *report)
{
	free(report->problems);
	free(report->unchecked);
	report->problems = report->unchecked = NULL;
}

enum wq_err wq_audit_head(struct wq_store *store, int64_t *id, char hash[65])
{
	struct wq_stmt *st;
	enum wq_err err;

	*id = 0;
	snprintf(hash, 65, GENESIS_HASH);
	err = wq_store_prepare(store,
			       "SELECT id, hash FROM events ORDER BY id DESC"
			       " LIMIT 1",
			       &st);
	if (err)
		return err;
	if (wq_step(st) == WQ_ROW) {
		*id = wq_column_int64(st, 0);
		snprintf(hash, 65, "%s", wq_column_text(st, 1));
	}
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

/* ---- checkpoints ---- */

#define MAX_KEY 4096

/* The key's bytes, trailing white space dropped.  Whoever can read the key
 * can forge checkpoints, so a key others may read is refused. */
static enum wq_err read_key(const char *path, unsigned char *key,
			   size_t *len)
{
	struct stat sb;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return wq_fail(WQ_ERR_IO, N_("key %s: %s"), path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return wq_fail(WQ_ERR_INVALID, N_("key %s is not a regular file"),
			       path);
	}
	if (sb.st_mode & 077) {
		close(fd);
		return wq_fail(WQ_ERR_DENIED,
			       N_("key %s may be read or written by others than "
				  "its owner (mode %04o); chmod 600 it"),
			       path, (unsigned)(sb.st_mode & 07777));
	}
	n = read(fd, key, MAX_KEY);
	close(fd);
	if (n < 0)
		return wq_fail(WQ_ERR_IO, N_("key %s: %s"), path, strerror(errno));
	while (n > 0 && (key[n - 1] == '\n' || key[n - 1] == ' ' ||
			 key[n - 1] == '\r' || key[n - 1] == '\t'))
		n--;
	if (n < 16)
		return wq_fail(WQ_ERR_INVALID,
			       N_("key %s is shorter than 16 bytes"), path);
	*len = (size_t)n;
	return WQ_ERR_OK;
}

static void checkpoint_mac(const unsigned char *key, size_t key_len,
			   const char *text, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)text,
	     strlen(text), md, &mdlen);
	hex_of(md, mdlen < 32 ? mdlen : 32, out);
}

enum wq_err wq_audit_checkpoint(struct wq_store *store, const char *key_path,
				char **line)
{
	unsigned char key[MAX_KEY];
	size_t key_len;
	char hash[65], mac[65], at[21], *text;
	int64_t id;
	enum wq_err err;

	*line = NULL;
	err = read_key(key_path, key, &key_len);
	if (err)
		return err;
	err = wq_audit_head(store, &id, hash);
	if (err)
		return err;
	wq_time_format(wq_now(), at);
	text = wq_asprintf(CHECKPOINT_TAG " event=%" PRId64 " hash=%s at=%s",
			   id, hash, at);
	checkpoint_mac(key, key_len, text, mac);
	*line = wq_asprintf("%s hmac-sha256=%s", text, mac);
	free(text);
	OPENSSL_cleanse(key, sizeof(key));
	return WQ_ERR_OK;
}

enum wq_err wq_audit_keygen(const char *key_path)
{
	unsigned char key[32];
	char hex[65];
	int fd;

	if (RAND_bytes(key, sizeof(key)) != 1)
		return wq_fail(WQ_ERR_IO, N_("no random bytes for a key"));
	hex_of(key, sizeof(key), hex);
	OPENSSL_cleanse(key, sizeof(key));
	fd = open(key_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return wq_fail(WQ_ERR_IO, N_("key %s: %s"), key_path,
			       strerror(errno));
	hex[64] = '\n';
	if (write(fd, hex, 65) != 65 || close(fd) != 0)
		return wq_fail(WQ_ERR_IO, N_("key %s: %s"), key_path,
			       strerror(errno));
	return WQ_ERR_OK;
}

/* One line of a checkpoint file against the chain.  The line is not
 * quoted back: the file may be one the caller could not read without
 * weiquan's rights. */
static void check_checkpoint(struct verify *v, int lineno, const char *line,
			     const unsigned char *key, size_t key_len)
{
	struct wq_audit_report *r = v->report;
	char hash[65], at[21], mac[65], want[65];
	long long id;
	int used = 0;
	struct wq_stmt *st;

	if (sscanf(line, CHECKPOINT_TAG " event=%lld hash=%64[0-9a-f] at=%20s"
			 " hmac-sha256=%64[0-9a-f]%n",
		   &id, hash, at, mac, &used) != 4 ||
	    line[used] != '\0') {
		problem(v, wq_text(N_("checkpoint line %d: not a checkpoint")),
			lineno);
		return;
	}
	if (key) {
		char *text = wq_strndup(
			line, (size_t)(strstr(line, " hmac-sha256=") - line));

		checkpoint_mac(key, key_len, text, want);
		free(text);
		if (strcmp(want, mac) != 0) {
			problem(v,
				wq_text(N_("checkpoint line %d (%s): not signed "
					   "with this key")),
				lineno, at);
			return;
		}
	}
	r->checkpoints++;
	if (id == 0)
		return;
	if (id > r->head_id) {
		problem(v,
			wq_text(N_("checkpoint of %s: the chain reached event "
				   "%lld, it now ends at event %" PRId64
				   ": events were deleted")),
			at, id, r->head_id);
		return;
	}
	if (wq_store_prepare(v->store, "SELECT hash FROM events WHERE id = ?1",
			     &st))
		return;
	wq_bind_int64(st, 1, id);
	if (wq_step(st) != WQ_ROW)
		problem(v,
			wq_text(N_("checkpoint of %s: event %lld is missing")),
			at, id);
	else if (strcmp(wq_column_text(st, 0), hash) != 0)
		problem(v,
			wq_text(N_("checkpoint of %s: event %lld has another "
				   "hash than then: the chain was rewritten")),
			at, id);
	wq_store_finalize(v->store, st);
}

enum wq_err wq_audit_check_checkpoints(struct wq_store *store,
				       const char *checkpoints_path,
				       const char *key_path,
				       struct wq_audit_report *report)
{
	struct verify v = {.store = store, .report = report};
	unsigned char key[MAX_KEY];
	size_t key_len = 0;
	char *data = NULL, *line, *next;
	size_t len;
	int lineno = 0;
	enum wq_err err = WQ_ERR_OK;

	if (key_path) {
		err = read_key(key_path, key, &key_len);
		if (err)
			return err;
	}
	if (wq_read_file(checkpoints_path, 16u << 20, &data, &len) != 0) {
		err = wq_fail(WQ_ERR_IO, N_("checkpoints %s: %s"),
			      checkpoints_path, strerror(errno));
		goto out;
	}
	/* Carry on the report's lists. */
	if (report->problems)
		wq_buf_puts(&v.problems, report->problems);
	if (report->unchecked)
		wq_buf_puts(&v.unchecked, report->unchecked);
	wq_audit_report_free(report);
	for (line = data; line && *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		lineno++;
		if (*line == '\0' || *line == '#')
			continue;
		check_checkpoint(&v, lineno, line, key_path ? key : NULL,
				 key_len);
	}
	if (!report->checkpoints && !report->nproblems)
		problem(&v,
			wq_text(N_("checkpoints %s: no checkpoint in it")),
			checkpoints_path);
	if (!key_path && report->checkpoints)
		unchecked(&v,
			  wq_text(N_("%" PRId64 " checkpoint(s) compared, "
				     "their signatures not checked (no --key)")),
			  report->checkpoints);
	take_lines(&v.problems, &report->problems);
	take_lines(&v.unchecked, &report->unchecked);
	err = verdict(report);
out:
	free(data);
	OPENSSL_cleanse(key, sizeof(key));
	return err;
}
