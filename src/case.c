#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "weiquan/audit.h"
#include "weiquan/calendar.h"
#include "weiquan/clock.h"
#include "weiquan/encoding.h"
#include "weiquan/rules.h"
#include "weiquan/worker.h"
#include "weiquan/wqtime.h"
#include "case_internal.h"
#include "json_text.h"
#include "util.h"

#define MAX_EVIDENCE_BYTES (64u << 20)

static const char *const flag_names[] = {
#define WQ_FLAG_NAME(id, name, finding) [WQ_FLAG_BIT_##id] = name,
	WQ_FLAG_LIST(WQ_FLAG_NAME)
#undef WQ_FLAG_NAME
};

const char *wq_flag_name(unsigned bit)
{
	return bit < WQ_FLAG_COUNT_ ? flag_names[bit] : "?";
}

bool wq_flag_parse(const char *name, unsigned *flag)
{
	for (unsigned b = 0; b < WQ_FLAG_COUNT_; b++) {
		if (strcmp(name, flag_names[b]) == 0) {
			*flag = 1u << b;
			return true;
		}
	}
	return false;
}

bool case_is_closed_status(const char *status)
{
	return strcmp(status, "closed") == 0;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

char *case_json_quote(const char *s)
{
	return wq_json_quote(s ? s : "");
}

/* Amounts are typed in yuan: "1299", "1299.5", "1299.50". */
bool wq_amount_parse(const char *text, int64_t *fen)
{
	int64_t whole = 0, frac = 0;
	int digits = 0, frac_digits = 0;
	const char *p = text;

	/* Twelve digits of yuan keep the sum below from overflowing. */
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 12)
			return false;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++frac_digits > 2)
				return false;
			frac = frac * 10 + (*p - '0');
		}
		if (frac_digits == 0)
			return false;
		if (frac_digits == 1)
			frac *= 10;
	}
	if (*p || !digits || whole * 100 + frac > WQ_AMOUNT_MAX_FEN)
		return false;
	*fen = whole * 100 + frac;
	return true;
}

bool wq_statement_too_long(const char *s)
{
	size_t chars = 0;

	for (; s && *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80 &&
		    ++chars > WQ_STATEMENT_MAX_CHARS)
			return true;
	return false;
}

bool wq_case_number_valid(const char *number)
{
	static const char shape[] = "WQ-9999-999999";

	if (!number || strlen(number) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		if (shape[i] == '9' ? number[i] < '0' || number[i] > '9'
				    : number[i] != shape[i])
			return false;
	}
	return true;
}

enum wq_err wq_case_id_by_number(struct wq_store *store, const char *number,
				 int64_t *case_id)
{
	struct wq_stmt *st;
	enum wq_err err;

	/* The number is not echoed: it may hold anything. */
	if (!wq_case_number_valid(number))
		return wq_fail(WQ_ERR_INVALID,
			       N_("not a case number (%s)"),
			       WQ_CASE_NUMBER_FORMAT);
	err = wq_store_prepare(store, "SELECT id FROM cases WHERE number = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, number);
	if (wq_step(st) == WQ_ROW)
		*case_id = wq_column_int64(st, 0);
	else
		err = wq_fail(WQ_ERR_NOT_FOUND, N_("no case numbered %s"), number);
	wq_store_finalize(store, st);
	return err;
}

enum wq_err wq_case_authorize(struct wq_store *store,
			      const struct wq_user *actor, int64_t case_id,
			      enum wq_case_op op)
{
	static const char *const verbs[] = {
		/* TRANSLATORS: what a role does to a case, in "a desk
		 * reads only the cases it registered". */
		[WQ_CASE_READ] = N_("reads"),
		[WQ_CASE_CHANGE] = N_("changes"),
		[WQ_CASE_CLAIM] = N_("claims"),
		[WQ_CASE_EVIDENCE] = N_("attaches evidence to"),
		[WQ_CASE_GROUP] = N_("groups"),
	};
	char number[32], created_by[64], assignee[64];
	bool registered, assigned;
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "SELECT number, created_by, coalesce(assignee, '')"
			       " FROM cases WHERE id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) != WQ_ROW) {
		wq_store_finalize(store, st);
		return wq_fail(WQ_ERR_NOT_FOUND, N_("no case with id %" PRId64),
			       case_id);
	}
	snprintf(number, sizeof(number), "%s", wq_column_text(st, 0));
	snprintf(created_by, sizeof(created_by), "%s", wq_column_text(st, 1));
	snprintf(assignee, sizeof(assignee), "%s", wq_column_text(st, 2));
	wq_store_finalize(store, st);
	registered = strcmp(created_by, actor->login) == 0;
	assigned = strcmp(assignee, actor->login) == 0;

	switch (actor->role) {
	case WQ_ROLE_SUPERVISOR:
		return WQ_ERR_OK;
	case WQ_ROLE_DESK:
		if (registered)
			return WQ_ERR_OK;
		return wq_fail(WQ_ERR_DENIED,
			       N_("a desk %s only the cases it registered; %s is "
			       "not one of them"),
			       wq_text(verbs[op]), number);
	case WQ_ROLE_ADMIN:
		if (op == WQ_CASE_READ || registered)
			return WQ_ERR_OK;
		return wq_fail(WQ_ERR_DENIED,
			       N_("an administrator %s only the cases it "
			       "registered or imported; %s is not one of them"),
			       wq_text(verbs[op]), number);
	case WQ_ROLE_MEDIATOR:
		if (op == WQ_CASE_READ || op == WQ_CASE_CLAIM || assigned)
			return WQ_ERR_OK;
		/* Evidence handed in with a complaint the mediator took down
		 * itself, before anyone works the case. */
		if (op == WQ_CASE_EVIDENCE && registered && !*assignee)
			return WQ_ERR_OK;
		if (!*assignee)
			return wq_fail(WQ_ERR_DENIED,
				       N_("case %s is unassigned: claim it first"),
				       number);
		return wq_fail(WQ_ERR_DENIED, N_("case %s is assigned to %s"),
			       number, assignee);
	default:
		return wq_fail(WQ_ERR_DENIED, N_("your role may not do this"));
	}
}

enum wq_err case_id_to_read(struct wq_store *store, const struct wq_user *actor,
			    const char *number, int64_t *case_id)
{
	enum wq_err err = wq_case_id_by_number(store, number, case_id);

	if (!err)
		err = wq_case_authorize(store, actor, *case_id, WQ_CASE_READ);
	return err;
}

/* ---- the mutable core of a case ---- */

enum wq_err case_core_load(struct wq_store *store, int64_t case_id,
			   struct case_core *c)
{
	struct wq_stmt *st;
	enum wq_err err;

	memset(c, 0, sizeof(*c));
	err = wq_store_prepare(
		store,
		"SELECT id, version, number, type, status, substate,"
		" review_from, reason, coalesce(assignee, ''), report, flags,"
		" consumer_id, merchant_id, amount_fen,"
		" coalesce(duplicate_of, 0), coalesce(group_id, 0), clock,"
		" due_on, clocks, regime, region FROM cases"
		" WHERE id = ?1",
		&st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) != WQ_ROW) {
		wq_store_finalize(store, st);
		return wq_fail(WQ_ERR_NOT_FOUND, N_("no case with id %" PRId64),
			       case_id);
	}
	c->id = wq_column_int64(st, 0);
	c->version = wq_column_int64(st, 1);
	snprintf(c->number, sizeof(c->number), "%s", wq_column_text(st, 2));
	snprintf(c->type, sizeof(c->type), "%s", wq_column_text(st, 3));
	snprintf(c->status, sizeof(c->status), "%s", wq_column_text(st, 4));
	snprintf(c->substate, sizeof(c->substate), "%s", wq_column_text(st, 5));
	snprintf(c->review_from, sizeof(c->review_from), "%s",
		 wq_column_text(st, 6));
	snprintf(c->reason, sizeof(c->reason), "%s", wq_column_text(st, 7));
	snprintf(c->assignee, sizeof(c->assignee), "%s", wq_column_text(st, 8));
	snprintf(c->report, sizeof(c->report), "%s", wq_column_text(st, 9));
	c->flags = (unsigned)wq_column_int(st, 10);
	c->consumer_id = wq_column_int64(st, 11);
	c->merchant_id = wq_column_int64(st, 12);
	c->amount_fen = wq_column_int64(st, 13);
	c->duplicate_of = wq_column_int64(st, 14);
	c->group_id = wq_column_int64(st, 15);
	snprintf(c->clock, sizeof(c->clock), "%s", wq_column_text(st, 16));
	if (strcmp(wq_column_text(st, 17), "9999-12-31") != 0)
		snprintf(c->due_on, sizeof(c->due_on), "%s",
			 wq_column_text(st, 17));
	c->clocks = wq_strdup(wq_column_text(st, 18));
	snprintf(c->regime, sizeof(c->regime), "%s", wq_column_text(st, 19));
	snprintf(c->region, sizeof(c->region), "%s", wq_column_text(st, 20));
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

void case_core_free(struct case_core *c)
{
	free(c->clocks);
	c->clocks = NULL;
}

char *case_snapshot(struct wq_store *store, int64_t id)
{
	/* The row's particulars (null ones kept), its regime if recorded,
	 * then its mutable fields (null ones left out, and the null members
	 * of its clocks): the object SQLite's json_patch() made of them,
	 * byte for byte, since the creation event's details hold it. */
	static const char *const particulars[] = {
	    "number", "type", "category", "region", "consumer_id",
	    "merchant_id", "platform", "order_no", "amount_fen", "order_date",
	    "remedy", "received_at", "created_by", NULL};
	static const char *const fields[] = {
	    "status", "substate", "review_from", "reason", "assignee",
	    "report", "flags", "duplicate_of", "group_id", "clock", "due_on",
	    "clocks", "version", NULL};
	const int regime_col = 13, fields_col = 14;
	struct wq_stmt *st;
	json_t *obj = NULL;
	char *out = NULL;

	if (wq_store_prepare(store,
			     "SELECT number, type, category, region,"
			     " consumer_id, merchant_id, platform, order_no,"
			     " amount_fen, order_date, remedy, received_at,"
			     " created_by, nullif(regime, ''), status, substate,"
			     " review_from, reason, assignee, report, flags,"
			     " duplicate_of, group_id, clock, due_on, clocks,"
			     " version FROM cases WHERE id = ?1",
			     &st))
		return NULL;
	wq_bind_int64(st, 1, id);
	if (wq_step(st) == WQ_ROW) {
		obj = wq_json_row(st, 0, particulars);
		if (!wq_column_is_null(st, regime_col))
			wq_json_put(obj, "regime",
				    wq_json_column(st, regime_col));
		for (int i = 0; fields[i] && obj; i++) {
			int col = fields_col + i;
			json_t *v;

			if (wq_column_is_null(st, col))
				continue;
			if (strcmp(fields[i], "clocks") == 0) {
				v = wq_json_parse(wq_column_text(st, col));
				if (!v) {
					json_decref(obj);
					obj = NULL;
					break;
				}
				wq_json_drop_nulls(v);
			} else {
				v = wq_json_column(st, col);
			}
			wq_json_put(obj, fields[i], v);
		}
	}
	wq_store_finalize(store, st);
	if (obj)
		out = wq_json_text(obj);
	json_decref(obj);
	return out;
}

/* The fields a ruling may change, as the row stores them: one table for
 * the UPDATE (only changed columns are written, so a note does not rewrite
 * the queue's indexes) and for the event's "set" (replaying the events from
 * the creation snapshot rebuilds any past state; see caseshow.c). */
enum field_kind {
	F_TEXT,           /* char[] */
	F_TEXT_OR_NULL,   /* char[]; "" is NULL */
	F_INT,            /* unsigned flags */
	F_ID_OR_NULL,     /* int64_t; 0 is NULL */
	F_DUE,            /* char[]; "" is the no-clock date */
	F_JSON,           /* char *, a JSON object */
};

static const struct core_field {
	const char *column;
	enum field_kind kind;
	size_t offset;
} core_fields[] = {
	{"status", F_TEXT, offsetof(struct case_core, status)},
	{"substate", F_TEXT, offsetof(struct case_core, substate)},
	{"review_from", F_TEXT, offsetof(struct case_core, review_from)},
	{"reason", F_TEXT, offsetof(struct case_core, reason)},
	{"assignee", F_TEXT_OR_NULL, offsetof(struct case_core, assignee)},
	{"report", F_TEXT, offsetof(struct case_core, report)},
	{"flags", F_INT, offsetof(struct case_core, flags)},
	{"duplicate_of", F_ID_OR_NULL, offsetof(struct case_core, duplicate_of)},
	{"group_id", F_ID_OR_NULL, offsetof(struct case_core, group_id)},
	{"clock", F_TEXT, offsetof(struct case_core, clock)},
	{"due_on", F_DUE, offsetof(struct case_core, due_on)},
	{"clocks", F_JSON, offsetof(struct case_core, clocks)},
	{"region", F_TEXT, offsetof(struct case_core, region)},
};
#define NO_CLOCK_DATE "9999-12-31"

static const void *field_at(const struct case_core *c,
			    const struct core_field *f)
{
	return (const char *)c + f->offset;
}

static bool field_changed(const struct case_core *a,
			  const struct case_core *b, const struct core_field *f)
{
	const void *x = field_at(a, f), *y = field_at(b, f);

	switch (f->kind) {
	case F_INT:
		return *(const unsigned *)x != *(const unsigned *)y;
	case F_ID_OR_NULL:
		return *(const int64_t *)x != *(const int64_t *)y;
	case F_JSON: {
		const char *p = *(char *const *)x, *q = *(char *const *)y;

		return strcmp(p ? p : "{}", q ? q : "{}") != 0;
	}
	default:
		return strcmp(x, y) != 0;
	}
}

static void field_json(struct wq_buf *out, const struct case_core *c,
		       const struct core_field *f)
{
	const void *v = field_at(c, f);

	switch (f->kind) {
	case F_INT:
		wq_buf_printf(out, "%u", *(const unsigned *)v);
		break;
	case F_ID_OR_NULL:
		if (*(const int64_t *)v)
			wq_buf_printf(out, "%" PRId64, *(const int64_t *)v);
		else
			wq_buf_puts(out, "null");
		break;
	case F_JSON:
		/* clock.c wrote it; it goes in as an object. */
		wq_buf_puts(out, *(char *const *)v ? *(char *const *)v : "{}");
		break;
	case F_TEXT_OR_NULL:
		if (!*(const char *)v) {
			wq_buf_puts(out, "null");
			break;
		}
		/* fall through */
	case F_TEXT:
		wq_buf_json_string(out, v);
		break;
	case F_DUE:
		wq_buf_json_string(out, *(const char *)v ? (const char *)v
							  : NO_CLOCK_DATE);
		break;
	}
}

static void field_bind(struct wq_stmt *st, int i, const struct case_core *c,
		       const struct core_field *f)
{
	const void *v = field_at(c, f);

	switch (f->kind) {
	case F_INT:
		wq_bind_int64(st, i, *(const unsigned *)v);
		break;
	case F_ID_OR_NULL:
		if (*(const int64_t *)v)
			wq_bind_int64(st, i, *(const int64_t *)v);
		else
			wq_bind_null(st, i);
		break;
	case F_JSON:
		wq_bind_text(st, i,
				  *(char *const *)v ? *(char *const *)v : "{}");
		break;
	case F_TEXT_OR_NULL:
		if (!*(const char *)v)
			wq_bind_null(st, i);
		else
			wq_bind_text(st, i, v);
		break;
	case F_TEXT:
		wq_bind_text(st, i, v);
		break;
	case F_DUE:
		wq_bind_text(st, i,
				  *(const char *)v ? (const char *)v
						   : NO_CLOCK_DATE);
		break;
	}
}

static void bind_or_null(struct wq_stmt *st, int i, const char *s)
{
	if (empty(s))
		wq_bind_null(st, i);
	else
		wq_bind_text_copy(st, i, s);
}

enum wq_err case_core_save(struct wq_store *store, const char *actor,
			   const struct case_core *before,
			   struct case_core *after, const char *action,
			   const char *args_json, int64_t *event_id)
{
	const size_t nfields = sizeof(core_fields) / sizeof(core_fields[0]);
	struct wq_buf sql = {0}, set = {0};
	struct wq_stmt *st;
	enum wq_err err;
	char at[21], *details;
	int param = 3;

	wq_time_format(wq_now(), at);
	after->version = before->version + 1;
	wq_buf_puts(&sql, "UPDATE cases SET version = version + 1,"
			  " updated_at = ?3");
	wq_buf_printf(&set, "{\"version\":%" PRId64, after->version);
	for (size_t i = 0; i < nfields; i++) {
		if (!field_changed(before, after, &core_fields[i]))
			continue;
		wq_buf_printf(&sql, ", %s = ?%d", core_fields[i].column,
			      ++param);
		wq_buf_printf(&set, ",\"%s\":", core_fields[i].column);
		field_json(&set, after, &core_fields[i]);
	}
	wq_buf_puts(&sql, " WHERE id = ?1 AND version = ?2");
	wq_buf_puts(&set, "}");

	err = wq_store_prepare(store, sql.data, &st);
	if (err)
		goto out;
	wq_bind_int64(st, 1, before->id);
	wq_bind_int64(st, 2, before->version);
	wq_bind_text(st, 3, at);
	param = 3;
	for (size_t i = 0; i < nfields; i++)
		if (field_changed(before, after, &core_fields[i]))
			field_bind(st, ++param, after, &core_fields[i]);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "update case");
	else if (wq_store_changes(store) != 1)
		err = wq_fail(WQ_ERR_STALE, N_("case %s changed meanwhile"),
			      before->number);
	wq_store_finalize(store, st);
	if (err) {
		after->version = before->version;
		goto out;
	}
	details = wq_asprintf("{\"args\":%s,\"set\":%s}",
			      args_json && *args_json ? args_json : "{}",
			      set.data);
	err = wq_audit_append(store, actor, before->id, action, details,
			      event_id);
	free(details);
out:
	wq_buf_free(&sql);
	wq_buf_free(&set);
	return err;
}

/* ---- intake ---- */

static enum wq_err next_number(struct wq_store *store, time_t received,
			       char number[32])
{
	struct wq_stmt *st;
	enum wq_err err;
	struct tm tm;
	int64_t last = 0;

	/* The year of receipt in Beijing: a complaint received on 31
	 * December at 20:00 UTC is the next year's. */
	wq_zone_tm(received, &tm);
	err = wq_store_prepare(
		store,
		"INSERT INTO case_numbers(year, last) VALUES (?1, 1)"
		" ON CONFLICT(year) DO UPDATE SET last = case_numbers.last + 1"
		" RETURNING last",
		&st);
	if (err)
		return err;
	wq_bind_int(st, 1, tm.tm_year + 1900);
	if (wq_step(st) == WQ_ROW)
		last = wq_column_int64(st, 0);
	else
		err = wq_store_error(store, "case number");
	wq_store_finalize(store, st);
	if (!err && last > 999999)
		err = wq_fail(WQ_ERR_INVALID,
			      N_("the case numbers of %d are used up (%s)"),
			      tm.tm_year + 1900, WQ_CASE_NUMBER_FORMAT);
	snprintf(number, 32, "WQ-%04d-%06" PRId64, tm.tm_year + 1900, last);
	return err;
}

enum wq_err wq_case_number_reserve(struct wq_store *store,
				   const char *number)
{
	struct wq_stmt *st;
	enum wq_err err;
	int year, n = 0;
	long long seq;

	if (sscanf(number, "WQ-%4d-%6lld%n", &year, &seq, &n) != 2 ||
	    number[n] != '\0')
		return WQ_ERR_OK;
	err = wq_store_prepare(store,
			       "INSERT INTO case_numbers(year, last)"
			       " VALUES (?1, ?2) ON CONFLICT(year) DO UPDATE"
			       " SET last = greatest(case_numbers.last, ?2)",
			       &st);
	if (err)
		return err;
	wq_bind_int(st, 1, year);
	wq_bind_int64(st, 2, seq);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "case number");
	wq_store_finalize(store, st);
	return err;
}

static enum wq_err find_or_add(struct wq_store *store, const char *find_sql,
			       const char *add_sql, const char *const *values,
			       int nvalues, int64_t *id)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store, find_sql, &st);
	if (err)
		return err;
	for (int i = 0; i < nvalues; i++)
		wq_bind_text(st, i + 1, or_empty(values[i]));
	if (wq_step(st) == WQ_ROW) {
		*id = wq_column_int64(st, 0);
		wq_store_finalize(store, st);
		return WQ_ERR_OK;
	}
	wq_store_finalize(store, st);
	err = wq_store_prepare(store, add_sql, &st);
	if (err)
		return err;
	for (int i = 0; i < nvalues; i++)
		wq_bind_text(st, i + 1, or_empty(values[i]));
	if (wq_step(st) != WQ_ROW)
		err = wq_store_error(store, "add party");
	else
		*id = wq_column_int64(st, 0);
	wq_store_finalize(store, st);
	return err;
}

/* A case's documents are its statements, its evidence with a text form
 * and the text read from its images; none is ever deleted, so the count
 * names the next ordinal. */
enum wq_err case_index_text(struct wq_store *store, int64_t case_id,
			    const char *text)
{
	struct wq_stmt *st;
	int64_t documents = 0;
	enum wq_err err = wq_store_prepare(
		store,
		"SELECT (SELECT count(*) FROM statements WHERE case_id = ?1)"
		" + (SELECT count(*) FROM evidence WHERE case_id = ?1"
		" AND text IS NOT NULL)"
		" + (SELECT count(*) FROM evidence_read_text"
		" WHERE case_id = ?1)",
		&st);

	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) == WQ_ROW)
		documents = wq_column_int64(st, 0);
	else
		err = wq_store_error(store, "search index");
	wq_store_finalize(store, st);
	if (err)
		return err;
	return wq_store_index_text(store, case_id, documents - 1, text);
}

static enum wq_err insert_statement(struct wq_store *store, const char *actor,
				    int64_t case_id, const char *party,
				    const char *text, int64_t *statement_id)
{
	struct wq_stmt *st;
	enum wq_err err;
	char at[21];
	int64_t id = 0;

	wq_time_format(wq_now(), at);
	err = wq_store_prepare(store,
			       "INSERT INTO statements(case_id, party, author,"
			       " at, text) VALUES (?1, ?2, ?3, ?4, ?5)"
			       " RETURNING id",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	wq_bind_text(st, 2, party);
	wq_bind_text(st, 3, actor);
	wq_bind_text(st, 4, at);
	wq_bind_text(st, 5, text);
	if (wq_step(st) != WQ_ROW)
		err = wq_store_error(store, "statement");
	else
		id = wq_column_int64(st, 0);
	wq_store_finalize(store, st);
	if (err)
		return err;
	if (statement_id)
		*statement_id = id;
	return case_index_text(store, case_id, text);
}

int64_t case_last_statement(struct wq_store *store, int64_t case_id)
{
	struct wq_stmt *st;
	int64_t id = 0;

	if (wq_store_prepare(store,
			     "SELECT coalesce(max(id), 0) FROM statements"
			     " WHERE case_id = ?1",
			     &st))
		return 0;
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) == WQ_ROW)
		id = wq_column_int64(st, 0);
	wq_store_finalize(store, st);
	return id;
}

char *case_statements_since(struct wq_store *store, int64_t case_id,
			    int64_t after_id)
{
	struct wq_buf b = {0};
	struct wq_stmt *st;
	char sha[65];

	if (wq_store_prepare(store,
			     "SELECT id, party, text FROM statements"
			     " WHERE case_id = ?1 AND id > ?2 ORDER BY id",
			     &st))
		return NULL;
	wq_bind_int64(st, 1, case_id);
	wq_bind_int64(st, 2, after_id);
	while (wq_step(st) == WQ_ROW) {
		wq_audit_sha256(wq_column_text_or_null(st, 2),
				(size_t)wq_column_bytes(st, 2), sha);
		wq_buf_printf(&b, "%s{\"id\":%" PRId64 ",\"party\":\"%s\","
				  "\"sha256\":\"%s\"}",
			      b.len ? "," : "[",
			      (int64_t)wq_column_int64(st, 0),
			      wq_column_text(st, 1), sha);
	}
	wq_store_finalize(store, st);
	if (b.len)
		wq_buf_puts(&b, "]");
	return b.data;
}

/* Text is stored as given, byte for byte, and must then come out of every
 * export the same: bytes that are not UTF-8 would be written into JSON as
 * they are, or be read back from a CSV file as GB18030, so they are
 * refused here rather than changed. */
static size_t first_bad_byte(const char *s)
{
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;

	while (i < len && (n = wq_utf8_decode(s + i, len - i, &cp)) > 0)
		i += n;
	return i;
}

enum wq_err case_check_utf8(const char *field, const char *s)
{
	if (s && !wq_utf8_valid(s, strlen(s)))
		return wq_fail(WQ_ERR_INVALID,
			       N_("%s: not valid UTF-8 text (at byte %zu)"), field,
			       first_bad_byte(s));
	return WQ_ERR_OK;
}

/* Where a case of the intake's type starts: its track's first status. */
static const char *first_status(const struct wq_intake *in)
{
	const struct wq_track *t = in->type ? wq_track_of(in->type) : NULL;

	return t ? t->statuses[0] : "received";
}

enum wq_err wq_case_check_intake(const struct wq_user *actor,
				 const struct wq_intake *in)
{
	const struct {
		const char *field, *value;
	} texts[] = {
		{"number", in->number},
		{"type", in->type},
		{"category", in->category},
		{"region", in->region},
		{"consumer_name", in->consumer_name},
		{"consumer_phone", in->consumer_phone},
		{"consumer_id_number", in->consumer_id_number},
		{"merchant_name", in->merchant_name},
		{"merchant_platform", in->merchant_platform},
		{"merchant_shop_id", in->merchant_shop_id},
		{"merchant_region", in->merchant_region},
		{"order_no", in->order_no},
		{"order_date", in->order_date},
		{"remedy", in->remedy},
		{"statement", in->statement},
		{"received_at", in->received_at},
		{"received_at_reason", in->received_at_reason},
		{"status", in->status},
		{"substate", in->substate},
		{"assignee", in->assignee},
	};
	enum wq_err err;
	int day;
	time_t at, now = wq_now();
	char shown[21];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		err = case_check_utf8(texts[i].field, texts[i].value);
		if (err)
			return err;
	}
	/* Not echoed: it may hold anything. */
	if (!empty(in->number) && !wq_case_number_valid(in->number))
		return wq_fail(WQ_ERR_INVALID,
			       N_("number: not a case number (%s)"),
			       WQ_CASE_NUMBER_FORMAT);
	if (actor->role != WQ_ROLE_DESK && actor->role != WQ_ROLE_MEDIATOR &&
	    actor->role != WQ_ROLE_SUPERVISOR && actor->role != WQ_ROLE_ADMIN)
		return wq_fail(WQ_ERR_DENIED, N_("your role cannot register cases"));
	if (empty(in->type) || !wq_word_in(in->type, WQ_CASE_TYPES))
		return wq_fail(WQ_ERR_INVALID,
			       N_("type: '%s' is not one of: %s"),
			       or_empty(in->type), WQ_CASE_TYPES);
	if (empty(in->consumer_name))
		return wq_fail(WQ_ERR_INVALID,
			       N_("consumer_name: the complainant's name is "
			       "required"));
	if (empty(in->merchant_name))
		return wq_fail(WQ_ERR_INVALID,
			       N_("merchant_name: the merchant's name is required"));
	if (empty(in->statement))
		return wq_fail(WQ_ERR_INVALID,
			       N_("statement: the complainant's statement is "
			       "required"));
	if (in->amount_fen < 0)
		return wq_fail(WQ_ERR_INVALID, N_("amount: cannot be negative"));
	if (in->amount_fen > WQ_AMOUNT_MAX_FEN)
		return wq_fail(WQ_ERR_INVALID,
			       N_("amount: more than %" PRId64 " yuan"),
			       WQ_AMOUNT_MAX_FEN / 100);
	if (wq_statement_too_long(in->statement))
		return wq_fail(WQ_ERR_INVALID,
			       N_("statement: longer than %d characters; attach "
			       "longer texts as evidence"),
			       WQ_STATEMENT_MAX_CHARS);
	if (!empty(in->order_date) && !wq_date_parse(in->order_date, &day))
		return wq_fail(WQ_ERR_INVALID,
			       N_("order_date: '%s' is not a date (YYYY-MM-DD)"),
			       in->order_date);
	if (!empty(in->remedy) && !wq_word_in(in->remedy, WQ_REMEDIES))
		return wq_fail(WQ_ERR_INVALID,
			       N_("remedy: '%s' is not one of: %s"),
			       in->remedy, WQ_REMEDIES);
	if ((!empty(in->status) && strcmp(in->status, first_status(in)) != 0 &&
	     strcmp(in->status, "received") != 0) ||
	    !empty(in->substate) || !empty(in->assignee)) {
		if (actor->role != WQ_ROLE_ADMIN)
			return wq_fail(WQ_ERR_DENIED,
				       N_("only an admin may import a case with a "
				       "status, sub-state or assignee"));
	}
	if (!empty(in->status)) {
		const struct wq_track *t = wq_track_of(in->type);
		bool known = false;

		/* Its track's, or a complaint's for a case that started
		 * before its type had a track of its own. */
		for (int i = 0; wq_statuses[i]; i++)
			known |= strcmp(wq_statuses[i], in->status) == 0;
		for (int i = 0; t && t->statuses[i]; i++)
			known |= strcmp(t->statuses[i], in->status) == 0;
		if (!known)
			return wq_fail(WQ_ERR_INVALID,
				       N_("status: '%s' is not a status"),
				       in->status);
	}
	if (empty(in->received_at))
		return WQ_ERR_OK;
	if (!wq_time_parse(in->received_at, &at))
		return wq_fail(WQ_ERR_INVALID,
			       N_("received_at: '%s' is not a time "
			       "(YYYY-MM-DDTHH:MM:SSZ)"),
			       in->received_at);
	wq_time_format(at, shown);
	/* The received time starts the legal clocks: a complaint cannot
	 * arrive later than it is registered, and registering one as
	 * received earlier is a migration from another system, an
	 * administrator's import that says why. */
	if (at > now)
		return wq_fail(WQ_ERR_INVALID,
			       N_("received_at: %s is in the future"), shown);
	if (at < now && actor->role != WQ_ROLE_ADMIN)
		return wq_fail(WQ_ERR_DENIED,
			       N_("received_at: only an administrator's import "
			       "may register a case as received earlier (%s)"),
			       shown);
	if (at < now && empty(in->received_at_reason))
		return wq_fail(WQ_ERR_INVALID,
			       N_("received_at: %s is in the past: say why the "
			       "case is backdated (import --reason TEXT)"),
			       shown);
	return WQ_ERR_OK;
}

enum wq_err wq_case_create_tx(struct wq_store *store,
			      const struct wq_user *actor,
			      const struct wq_intake *in, int64_t *case_id,
			      char number[32])
{
	struct wq_stmt *st;
	enum wq_err err;
	char at[21], *clocks = NULL, *details = NULL, *snap = NULL;
	char *reason = NULL, *statements;
	time_t received, now = wq_now();
	int64_t consumer_id, merchant_id, id = 0;
	struct wq_clock_outcome clock;
	const char *status = empty(in->status) ? first_status(in) : in->status;
	char regime[48];

	err = wq_case_check_intake(actor, in);
	if (err)
		return err;
	/* wq_case_check_intake() has checked the time. */
	if (empty(in->received_at) || !wq_time_parse(in->received_at, &received))
		received = now;
	wq_time_format(received, at);

	if (empty(in->number)) {
		err = next_number(store, received, number);
		if (err)
			return err;
	} else {
		snprintf(number, 32, "%s", in->number);
		err = wq_case_number_reserve(store, number);
		if (err)
			return err;
	}

	{
		const char *v[] = {in->consumer_name, in->consumer_phone,
				   in->consumer_id_number, in->region};

		err = find_or_add(
			store,
			"SELECT id FROM consumers WHERE name = ?1 AND"
			" phone = ?2 AND id_number = ?3 LIMIT 1",
			"INSERT INTO consumers(name, phone, id_number, region)"
			" VALUES (?1, ?2, ?3, ?4) RETURNING id",
			v, 4, &consumer_id);
		if (err)
			return err;
	}
	{
		const char *v[] = {in->merchant_name, in->merchant_platform,
				   in->merchant_shop_id, in->merchant_region};

		err = find_or_add(
			store,
			"SELECT id FROM merchants WHERE name = ?1 AND"
			" platform = ?2 AND shop_id = ?3",
			"INSERT INTO merchants(name, platform, shop_id, region)"
			" VALUES (?1, ?2, ?3, ?4) RETURNING id",
			v, 4, &merchant_id);
		if (err)
			return err;
	}

	/* The regime by the Beijing date of receipt, whatever the server's
	 * zone (wq_local_day is the installation's date). */
	err = wq_clock_regime_for(store, wq_local_day(received), regime,
				  sizeof(regime));
	if (err)
		return err;
	err = wq_clock_step(store, regime, "{}", first_status(in), NULL, NULL,
			    wq_local_day(received), &clocks, &clock);
	if (err)
		return err;
	if (strcmp(status, first_status(in)) != 0) {
		char *next = NULL;

		err = wq_clock_step(store, regime, clocks, status, NULL,
				    in->substate, wq_local_day(received), &next,
				    &clock);
		free(clocks);
		clocks = next;
		if (err)
			return err;
	}

	err = wq_store_prepare(
		store,
		"INSERT INTO cases(number, type, category, region, consumer_id,"
		" merchant_id, platform, order_no, amount_fen, order_date,"
		" remedy, status, substate, assignee, received_at, clock,"
		" due_on, clocks, created_by, updated_at, flags, regime)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
		" ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?15, ?20, ?21) RETURNING id",
		&st);
	if (err)
		goto out;
	wq_bind_text(st, 1, number);
	wq_bind_text(st, 2, in->type);
	wq_bind_text(st, 3, empty(in->category) ? "other" : in->category);
	wq_bind_text(st, 4, or_empty(in->region));
	wq_bind_int64(st, 5, consumer_id);
	wq_bind_int64(st, 6, merchant_id);
	wq_bind_text(st, 7, or_empty(in->merchant_platform));
	wq_bind_text(st, 8, or_empty(in->order_no));
	wq_bind_int64(st, 9, in->amount_fen);
	wq_bind_text(st, 10, or_empty(in->order_date));
	wq_bind_text(st, 11, or_empty(in->remedy));
	wq_bind_text(st, 12, status);
	wq_bind_text(st, 13, or_empty(in->substate));
	bind_or_null(st, 14, in->assignee);
	wq_bind_text(st, 15, at);
	wq_bind_text(st, 16, clock.clock);
	wq_bind_text(st, 17, *clock.due_on ? clock.due_on : "9999-12-31");
	wq_bind_text(st, 18, clocks);
	wq_bind_text(st, 19, actor->login);
	wq_bind_int(st, 20,
			 strcmp(in->type, "ip") == 0 ? (int)WQ_FLAG(IP)
			 : strcmp(in->type, "diversion") == 0
				 ? (int)WQ_FLAG(DIVERSION)
			 : strcmp(in->type, "report") == 0
				 ? (int)WQ_FLAG(REPORT)
				 : 0);
	/* Recorded so that switching the active regime leaves the case's
	 * clocks alone; none without clock rules loaded. */
	wq_bind_text(st, 21, regime);
	if (wq_step(st) == WQ_ROW) {
		id = wq_column_int64(st, 0);
	} else {
		enum wq_violation broke = wq_store_violated(store);

		if (broke == WQ_VIOLATED_UNIQUE)
			err = wq_fail(WQ_ERR_EXISTS, N_("case %s already exists"),
				      number);
		else if (broke == WQ_VIOLATED_FOREIGN_KEY)
			err = wq_fail(WQ_ERR_INVALID,
				      N_("category '%s' or assignee '%s' is "
				      "unknown"),
				      or_empty(in->category),
				      or_empty(in->assignee));
		else
			err = wq_store_error(store, "add case");
	}
	wq_store_finalize(store, st);
	if (err)
		goto out;
	err = insert_statement(store, actor->login, id, "complainant",
			       in->statement, NULL);
	if (err)
		goto out;
	/* The merchant's record counts consumer complaints: IP notices,
	 * reports and diversion disputes have tracks and figures of their
	 * own. */
	err = wq_store_prepare(store,
			       "UPDATE merchants SET complaints = complaints + 1"
			       " WHERE id = ?1 AND ?2 = 'complaint'",
			       &st);
	if (err)
		goto out;
	wq_bind_int64(st, 1, merchant_id);
	wq_bind_text(st, 2, in->type);
	wq_step(st);
	wq_store_finalize(store, st);

	snap = case_snapshot(store, id);
	if (!snap) {
		err = wq_store_error(store, "case snapshot");
		goto out;
	}
	if (received < now)
		reason = case_json_quote(in->received_at_reason);
	statements = case_statements_since(store, id, 0);
	details = wq_asprintf("{\"args\":{%s%s%s\"statements\":%s},"
			      "\"set\":%s}",
			      reason ? "\"received_at_reason\":" : "",
			      reason ? reason : "", reason ? "," : "",
			      statements ? statements : "[]", snap);
	free(statements);
	err = wq_audit_append(store, actor->login, id, "create", details,
			      NULL);
	if (!err && case_id)
		*case_id = id;
out:
	free(reason);
	free(snap);
	free(details);
	free(clocks);
	return err;
}

enum wq_err wq_case_create(struct wq_store *store, const struct wq_user *actor,
			   const struct wq_intake *in, int64_t *case_id,
			   char number[32])
{
	enum wq_err err = wq_store_begin_write(store);

	if (err)
		return err;
	err = wq_case_create_tx(store, actor, in, case_id, number);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

enum wq_err wq_statement_add_tx(struct wq_store *store,
				const struct wq_user *actor, int64_t case_id,
				const char *party, const char *text)
{
	enum wq_err err;

	err = wq_case_authorize(store, actor, case_id, WQ_CASE_CHANGE);
	if (err)
		return err;
	if (empty(text))
		return wq_fail(WQ_ERR_INVALID, N_("the statement is empty"));
	err = case_check_utf8("statement", text);
	if (err)
		return err;
	if (wq_statement_too_long(text))
		return wq_fail(WQ_ERR_INVALID,
			       N_("longer than %d characters; attach longer texts "
			       "as evidence"),
			       WQ_STATEMENT_MAX_CHARS);
	if (strcmp(party, "complainant") && strcmp(party, "respondent") &&
	    strcmp(party, "mediator"))
		return wq_fail(WQ_ERR_INVALID,
			       N_("party: '%s' is not complainant, respondent "
			       "or mediator"),
			       party);
	return insert_statement(store, actor->login, case_id, party, text,
				NULL);
}

/* Evidence of a case, or shared evidence of a collective group (group_id
 * != 0): the same columns in two tables, the same audit details.  Group
 * evidence is not in the full-text index, whose rowids name statements
 * and case evidence. */
enum wq_err case_evidence_add(struct wq_store *store,
			      const struct wq_user *actor, int64_t case_id,
			      int64_t group_id, const char *kind,
			      const char *party, const char *file_name,
			      const void *bytes, size_t len,
			      const char *enc_name, int64_t *evidence_id)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char sha[65], at[21];
	enum wq_encoding enc;
	char *text = NULL;
	size_t text_len = 0;
	struct wq_stmt *st;
	enum wq_err err;
	int64_t id = 0, duplicate_of = 0;

	/* The contents are kept as they are, whatever they hold; the name
	 * is text that lists and exports show. */
	if (!wq_utf8_valid(file_name, strlen(file_name)))
		return wq_fail(WQ_ERR_INVALID,
			       N_("the file name is not valid UTF-8 text (at "
			       "byte %zu): rename the file"),
			       first_bad_byte(file_name));
	if (len > MAX_EVIDENCE_BYTES)
		return wq_fail(WQ_ERR_INVALID,
			       N_("%s is larger than %u MB"), file_name,
			       MAX_EVIDENCE_BYTES >> 20);
	EVP_Digest(bytes, len, md, &mdlen, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < 32 && i < mdlen; i++) {
		sha[2 * i] = hex[md[i] >> 4];
		sha[2 * i + 1] = hex[md[i] & 15];
	}
	sha[64] = '\0';

	if (enc_name && *enc_name && strcmp(enc_name, "auto") != 0) {
		err = wq_enc_parse(enc_name, &enc);
		if (err)
			return err;
	} else {
		enc = wq_enc_detect(bytes, len);
	}
	if (enc != WQ_ENC_BINARY && enc != WQ_ENC_UNKNOWN) {
		err = wq_enc_to_utf8(bytes, len, enc, &text, &text_len);
		if (err)
			return err;
	}

	wq_time_format(wq_now(), at);
	err = wq_store_prepare(
		store,
		group_id ? "INSERT INTO group_evidence(group_id, kind, party,"
			   " file_name, size, sha256, encoding, original, text,"
			   " added_by, added_at)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			   " ?11) RETURNING id"
			 : "INSERT INTO evidence(case_id, kind, party,"
			   " file_name, size, sha256, encoding, original, text,"
			   " added_by, added_at)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			   " ?11) RETURNING id",
		&st);
	if (err)
		goto out;
	wq_bind_int64(st, 1, group_id ? group_id : case_id);
	wq_bind_text(st, 2, kind);
	wq_bind_text(st, 3, party);
	wq_bind_text(st, 4, file_name);
	wq_bind_int64(st, 5, (int64_t)len);
	wq_bind_text(st, 6, sha);
	wq_bind_text(st, 7, wq_enc_name(enc));
	wq_bind_blob(st, 8, len ? bytes : "", (int)len);
	if (text)
		wq_bind_text_n(st, 9, text,(int)text_len);
	else
		wq_bind_null(st, 9);
	wq_bind_text(st, 10, actor->login);
	wq_bind_text(st, 11, at);
	if (wq_step(st) == WQ_ROW) {
		id = wq_column_int64(st, 0);
	} else {
		if (wq_store_violated(store) == WQ_VIOLATED_CHECK)
			err = wq_fail(WQ_ERR_INVALID,
				      N_("evidence kind '%s' or party '%s' is "
				      "not known"),
				      kind, party);
		else
			err = wq_store_error(store, "evidence");
	}
	wq_store_finalize(store, st);
	if (err)
		goto out;
	if (evidence_id)
		*evidence_id = id;
	if (text && !group_id)
		err = case_index_text(store, case_id, text);
	/* An image's text is read later, by the worker; group evidence is
	 * not searched, so not read either. */
	if (!err && !text && !group_id)
		err = wq_job_queue_read_text(store, id, bytes, len);
	if (!err && !group_id)
		err = wq_evidence_duplicate_of(store, id, &duplicate_of);
	if (err)
		goto out;
	{
		struct wq_buf d = {0};

		if (group_id)
			wq_buf_printf(&d, "{\"group\":%" PRId64 ",", group_id);
		else
			wq_buf_puts(&d, "{");
		wq_buf_printf(&d, "\"evidence\":%" PRId64 ",\"kind\":", id);
		wq_buf_json_string(&d, kind);
		wq_buf_puts(&d, ",\"party\":");
		wq_buf_json_string(&d, party);
		wq_buf_puts(&d, ",\"file_name\":");
		wq_buf_json_string(&d, file_name);
		wq_buf_printf(&d, ",\"size\":%zu,\"sha256\":\"%s\","
				  "\"encoding\":\"%s\"",
			      len, sha, wq_enc_name(enc));
		if (duplicate_of)
			wq_buf_printf(&d, ",\"duplicate_of\":%" PRId64,
				      duplicate_of);
		wq_buf_puts(&d, "}");
		err = wq_audit_append(store, actor->login, case_id,
				      group_id ? "group-evidence" : "evidence",
				      d.data, NULL);
		wq_buf_free(&d);
	}
out:
	free(text);
	return err;
}

enum wq_err wq_evidence_duplicate_of(struct wq_store *store,
				     int64_t evidence_id, int64_t *earlier)
{
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(
		store,
		"SELECT min(o.id) FROM evidence e JOIN evidence o"
		" ON o.case_id = e.case_id AND o.sha256 = e.sha256"
		" AND o.id < e.id WHERE e.id = ?1",
		&st);

	*earlier = 0;
	if (err)
		return err;
	wq_bind_int64(st, 1, evidence_id);
	if (wq_step(st) == WQ_ROW)
		*earlier = wq_column_int64(st, 0);
	else
		err = wq_store_error(store, "evidence");
	wq_store_finalize(store, st);
	return err;
}

enum wq_err wq_evidence_add_tx(struct wq_store *store,
			       const struct wq_user *actor, int64_t case_id,
			       const char *kind, const char *party,
			       const char *file_name, const void *bytes,
			       size_t len, const char *enc_name,
			       int64_t *evidence_id)
{
	enum wq_err err =
		wq_case_authorize(store, actor, case_id, WQ_CASE_EVIDENCE);

	if (err)
		return err;
	return case_evidence_add(store, actor, case_id, 0, kind, party,
				 file_name, bytes, len, enc_name, evidence_id);
}
