#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_internal.h"
#include "json_text.h"
#include "util.h"
#include "weiquan/audit.h"
#include "weiquan/case.h"
#include "weiquan/diversion.h"

/* The longest a field may be; the trace and the clause may be long. */
#define SHORT_FIELD 200

static bool empty(const char *s)
{
	return !s || !*s;
}

static enum wq_err check_field(const char *field, const char *value,
			       bool required, size_t max_bytes)
{
	if (required && empty(value))
		return wq_fail(WQ_ERR_INVALID, N_("a diversion case needs %s"),
			       field);
	if (empty(value))
		return WQ_ERR_OK;
	if (strlen(value) > max_bytes)
		return wq_fail(WQ_ERR_INVALID, N_("%s: longer than %zu bytes"),
			       field, max_bytes);
	return case_check_utf8(field, value);
}

enum wq_err wq_diversion_add_tx(struct wq_store *store,
				const struct wq_user *actor, int64_t case_id,
				const struct wq_diversion *d)
{
	static const struct {
		const char *name;
		size_t offset;
		bool required;
		size_t max;
	} fields[] = {
	    {"--brand", offsetof(struct wq_diversion, brand), true,
	     SHORT_FIELD},
	    {"--authorised-region",
	     offsetof(struct wq_diversion, authorised_region), true,
	     SHORT_FIELD},
	    {"--found-region", offsetof(struct wq_diversion, found_region),
	     true, SHORT_FIELD},
	    {"--batch", offsetof(struct wq_diversion, batch), false,
	     SHORT_FIELD},
	    {"--codes", offsetof(struct wq_diversion, codes), false, 4000},
	    {"--clause", offsetof(struct wq_diversion, clause), false, 4000},
	    {"--trace", offsetof(struct wq_diversion, trace), false,
	     WQ_STATEMENT_MAX_CHARS * 4},
	};
	const char *v[sizeof(fields) / sizeof(fields[0])];
	struct wq_buf details = {0};
	struct wq_stmt *st;
	enum wq_err err;
	char type[16] = "";

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		v[i] =
		    *(const char *const *)((const char *)d + fields[i].offset);
		err = check_field(fields[i].name, v[i], fields[i].required,
				  fields[i].max);
		if (err)
			return err;
	}
	/* Whoever may change the case records what it is about. */
	err = wq_case_authorize(store, actor, case_id, WQ_CASE_CHANGE);
	if (err)
		return err;
	if (d->penalty_fen > WQ_AMOUNT_MAX_FEN)
		return wq_fail(WQ_ERR_INVALID, N_("--penalty: too large"));
	err = wq_store_prepare(store, "SELECT type FROM cases WHERE id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) == WQ_ROW)
		snprintf(type, sizeof(type), "%s", wq_column_text(st, 0));
	wq_store_finalize(store, st);
	if (strcmp(type, "diversion") != 0)
		return wq_fail(WQ_ERR_INVALID,
			       N_("only a diversion case records a brand, "
				  "regions and codes"));
	err = wq_store_prepare(
	    store,
	    "INSERT INTO diversions(case_id, brand, authorised_region,"
	    " found_region, batch, codes, clause, penalty_fen, trace)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	    &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	for (int i = 0; i < 6; i++)
		wq_bind_text(st, i + 2, v[i] ? v[i] : "");
	if (d->penalty_fen >= 0)
		wq_bind_int64(st, 8, d->penalty_fen);
	else
		wq_bind_null(st, 8);
	wq_bind_text(st, 9, v[6] ? v[6] : "");
	if (wq_step(st) != WQ_DONE)
		err = wq_store_violated(store) == WQ_VIOLATED_UNIQUE
			  ? wq_fail(WQ_ERR_EXISTS,
				    N_("the case has its diversion details"))
			  : wq_store_error(store, "diversion");
	wq_store_finalize(store, st);
	if (err)
		return err;
	{
		char *json = wq_diversion_json(store, case_id);

		wq_buf_puts(&details, "{\"diversion\":");
		wq_buf_puts(&details, json);
		wq_buf_puts(&details, "}");
		free(json);
	}
	err = wq_audit_append(store, actor->login, case_id, "diversion",
			      details.data, NULL);
	wq_buf_free(&details);
	return err;
}

char *wq_diversion_json(struct wq_store *store, int64_t case_id)
{
	static const char *const keys[] = {
	    "brand", "authorised_region", "found_region", "batch", "codes",
	    "clause", "penalty_fen", "trace", "agreed_penalty_fen", NULL};
	struct wq_stmt *st;
	char *json = NULL;

	if (wq_store_prepare(
		store,
		"SELECT brand, authorised_region, found_region, batch, codes,"
		" clause, penalty_fen, trace, agreed_penalty_fen"
		" FROM diversions WHERE case_id = ?1",
		&st) != WQ_ERR_OK)
		return wq_strdup("null");
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) == WQ_ROW) {
		json_t *row = wq_json_row(st, 0, keys);

		json = wq_json_text(row);
		json_decref(row);
	}
	wq_store_finalize(store, st);
	return json ? json : wq_strdup("null");
}

bool wq_report_real_name(struct wq_store *store, int64_t case_id)
{
	struct wq_stmt *st;
	bool real = false;

	/* 12315 takes a report as real-name when the reporter gives a name
	 * and a way to reach them; "匿名" (anonymous) is no name. */
	if (wq_store_prepare(
		store,
		"SELECT trim(p.name) NOT IN ('', '匿名', '匿名举报人',"
		" 'anonymous', 'Anonymous')"
		" AND (trim(p.phone) <> '' OR trim(p.id_number) <> '')"
		" FROM cases c JOIN consumers p ON p.id = c.consumer_id"
		" WHERE c.id = ?1",
		&st) != WQ_ERR_OK)
		return false;
	wq_bind_int64(st, 1, case_id);
	real = wq_step(st) == WQ_ROW && wq_column_int(st, 0);
	wq_store_finalize(store, st);
	return real;
}
