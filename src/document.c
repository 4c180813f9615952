/* weiquan: documents from templates (weiquan/document.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case_internal.h"
#include "json_text.h"
#include "util.h"
#include "weiquan/audit.h"
#include "weiquan/calendar.h"
#include "weiquan/case.h"
#include "weiquan/clean.h"
#include "weiquan/clock.h"
#include "weiquan/diversion.h"
#include "weiquan/document.h"
#include "weiquan/encoding.h"
#include "weiquan/wqtime.h"

#ifndef N_
#define N_(s) s
#endif

/* Lines of the text form: what a terminal of 80 columns and a line
 * printer both hold with a margin. */
#define TEXT_COLUMNS 72
#define TEMPLATE_MAX (256u << 10)

static const char *const kind_codes[] = {
#define X(name, code, label) code,
    WQ_DOCUMENT_KINDS(X)
#undef X
};
static const char *const kind_labels[] = {
#define X(name, code, label) label,
    WQ_DOCUMENT_KINDS(X)
#undef X
};

const char *wq_document_kind_code(enum wq_document_kind kind)
{
	return kind < WQ_DOC_KIND_COUNT_ ? kind_codes[kind] : "";
}

const char *wq_document_kind_label(enum wq_document_kind kind)
{
	return kind < WQ_DOC_KIND_COUNT_ ? kind_labels[kind] : "";
}

bool wq_document_kind_parse(const char *code, enum wq_document_kind *kind)
{
	for (int i = 0; i < WQ_DOC_KIND_COUNT_; i++)
		if (strcmp(kind_codes[i], code) == 0) {
			*kind = (enum wq_document_kind)i;
			return true;
		}
	return false;
}

const char *wq_document_lang_for_locale(const char *locale)
{
	if (locale && (strncmp(locale, "zh_TW", 5) == 0 ||
		       strncmp(locale, "zh_HK", 5) == 0 ||
		       strncmp(locale, "zh_MO", 5) == 0))
		return "zh_TW";
	return "zh_CN";
}

static bool lang_valid(const char *lang)
{
	return lang &&
	       (strcmp(lang, "zh_CN") == 0 || strcmp(lang, "zh_TW") == 0);
}

/* ---- template files ---- */

/* The file `name` of language lang: the override directory's copy if it
 * has one, else the shipped one. */
static enum wq_err read_template(const struct wq_document_dirs *dirs,
				 const char *lang, const char *name,
				 char **text)
{
	size_t len;
	char *path;

	if (dirs->override && *dirs->override) {
		path = wq_asprintf("%s/%s/%s", dirs->override, lang, name);
		if (wq_read_file(path, TEMPLATE_MAX, text, &len) == 0) {
			free(path);
			return WQ_ERR_OK;
		}
		/* Only a file the administrator did not adapt falls back to
		 * the shipped one: one that cannot be read is an error. */
		if (errno != ENOENT && errno != ENOTDIR) {
			enum wq_err err = wq_fail(WQ_ERR_IO, N_("%s: %s"), path,
						  strerror(errno));

			free(path);
			return err;
		}
		free(path);
	}
	path = wq_asprintf("%s/documents/%s/%s", dirs->data, lang, name);
	if (wq_read_file(path, TEMPLATE_MAX, text, &len) != 0) {
		enum wq_err err =
		    wq_fail(WQ_ERR_IO, N_("%s: %s"), path, strerror(errno));

		free(path);
		return err;
	}
	free(path);
	return WQ_ERR_OK;
}

/* Placeholders and their values. */
struct dict {
	char **keys, **values;
	size_t n, cap;
};

static void dict_set(struct dict *d, const char *key, const char *value)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->keys[i], key) == 0) {
			free(d->values[i]);
			d->values[i] = wq_strdup(value ? value : "");
			return;
		}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->keys = wq_xrealloc(d->keys, d->cap * sizeof(*d->keys));
		d->values = wq_xrealloc(d->values, d->cap * sizeof(*d->values));
	}
	d->keys[d->n] = wq_strdup(key);
	d->values[d->n] = wq_strdup(value ? value : "");
	d->n++;
}

static const char *dict_get(const struct dict *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->keys[i], key) == 0)
			return d->values[i];
	return NULL;
}

static void dict_free(struct dict *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->keys[i]);
		free(d->values[i]);
	}
	free(d->keys);
	free(d->values);
	memset(d, 0, sizeof(*d));
}

static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t");
	end = s + strlen(s);
	while (end > s &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Splits line at " | " into at most max fields; returns how many. */
static int split_fields(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	while (n < max) {
		char *sep = strstr(p, " | ");

		if (sep)
			*sep = '\0';
		fields[n++] = trim(p);
		if (!sep)
			break;
		p = sep + 3;
	}
	return n;
}

/* "KEY = VALUE" lines (association.txt, terms.txt) into d, each key
 * with prefix before it. */
static void parse_settings(char *text, const char *prefix, struct dict *d)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *eq, *key, *k;

		line = trim(line);
		if (*line == '#' || !(eq = strchr(line, '=')))
			continue;
		*eq = '\0';
		key = trim(line);
		k = wq_asprintf("%s%s", prefix, key);
		dict_set(d, k, trim(eq + 1));
		free(k);
	}
}

/* What grounds.txt says for a case of regime (the one the case recorded
 * on its Beijing date of receipt, not a date in the file, so that a case
 * and its documents never disagree): the regime's title, the unverified
 * mark and, for each KIND and CODE, "KIND.CODE.article", ".text" and
 * ".verified" ("1" or "").  A "cutover" line of an older file is
 * ignored. */
static void parse_grounds(char *text, const char *regime, struct dict *d)
{
	char *fields[8];

	dict_set(d, "regime", regime);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		int n;
		char key[160];

		if (*line == '#')
			continue;
		n = split_fields(line, fields, 8);
		if (n == 3 && strcmp(fields[0], "regime") == 0 &&
		    strcmp(fields[1], regime) == 0)
			dict_set(d, "regime_title", fields[2]);
		else if (n == 2 && strcmp(fields[0], "mark") == 0)
			dict_set(d, "unverified_mark", fields[1]);
		else if (n == 6 && strcmp(fields[0], "statute") == 0) {
			/* A statute's article, whatever the regime. */
			snprintf(key, sizeof(key), "statute.%s.article",
				 fields[1]);
			dict_set(d, key, fields[3]);
			snprintf(key, sizeof(key), "statute.%s.verified",
				 fields[1]);
			dict_set(d, key,
				 strcmp(fields[2], "verified") == 0 ? "1" : "");
		}
		else if (n == 7 && strcmp(fields[1], regime) == 0) {
			snprintf(key, sizeof(key), "%s.%s.article", fields[0],
				 fields[2]);
			dict_set(d, key, fields[4]);
			snprintf(key, sizeof(key), "%s.%s.text", fields[0],
				 fields[2]);
			dict_set(d, key, fields[5]);
			snprintf(key, sizeof(key), "%s.%s.verified", fields[0],
				 fields[2]);
			dict_set(d, key,
				 strcmp(fields[3], "verified") == 0 ? "1" : "");
		}
	}
}

/* ---- what a case says ---- */

struct facts {
	int64_t case_id;
	char number[32], received_at[21], status[24], reason[48];
	char regime[48];
	char remedy[24], order_date[11], type[16], category[24];
	int64_t amount_fen;
	char *order_no, *region, *consumer, *phone;
	char *merchant, *platform, *shop_id, *merchant_region;
	char *assignee_name, *registered_by;
	char *facts, *respondent_statement, *claim_terms;
	char claim_remedy[24];
	int64_t claim_amount_fen;
	bool has_claim_offer;
	/* The decisive events: "" when none. */
	char accepted_at[21], not_accept_at[21], ended_at[21], outcome_at[21];
	char not_accept_reason[48], end_reason[48], outcome[24];
	char *not_accept_note, *end_note;
	/* The newest transfer: the body it went to and why (its note). */
	char transfer_at[21];
	char *transfer_body, *transfer_note;
	char *missing;           /* the fields a refusal for missing
				    materials named, space separated */
	/* Recorded by rulings of their own: the bureau that entrusted the
	 * mediation, the newest follow-up visit (its day, outcome, note and
	 * who made it), the newest referral to the police. */
	char *entrusted_by;
	char visit_at[21], visit_outcome[32];
	char *visit_note, *visitor;
	char police_at[21];
	char *police_body, *police_sent, *police_by, *police_note;
	/* An IP notice: the newest measure and its day, the merchant's
	 * declaration, the day it was forwarded to the rights holder, and
	 * the day the measures ended or were kept (with the ruling's note). */
	char ip_measure_at[21], ip_measure[24];
	char *ip_measure_note;
	char ip_declared_at[21];
	char *ip_declaration;
	char ip_forwarded_at[21], ip_ended_at[21], ip_kept_at[21];
	char *ip_result_note;
	/* An IP notice not acted on: when, the reason and the note. */
	char ip_rejected_at[21], ip_reject_reason[48];
	char *ip_reject_note;
	bool agreement_performed;
	/* A report: whether its reporter gave a real name, and the newest
	 * decision on filing ("file" or "not-file"), its reason and note. */
	bool real_name;
	char decided_at[21], decision[16], decision_reason[48];
	char *decision_note;
	/* A diversion case: what its diversions row says (NULL without),
	 * and its newest final ruling (dismiss, penalty, dispute or
	 * withdraw) with its day, reason, penalty and note. */
	char *brand, *authorised_region, *found_region;
	char diversion_at[21], diversion_outcome[16], diversion_reason[48];
	int64_t penalty_fen;
	char *diversion_note;
	/* The agreement (agreements row and its offer). */
	bool has_agreement;
	char agree_remedy[24], performer[16], perform_by[11];
	int64_t agree_amount_fen;
	char *agree_text, *agree_by_name;
};

static void facts_free(struct facts *f)
{
	free(f->order_no);
	free(f->region);
	free(f->consumer);
	free(f->phone);
	free(f->merchant);
	free(f->platform);
	free(f->shop_id);
	free(f->merchant_region);
	free(f->assignee_name);
	free(f->registered_by);
	free(f->facts);
	free(f->respondent_statement);
	free(f->claim_terms);
	free(f->not_accept_note);
	free(f->end_note);
	free(f->transfer_body);
	free(f->transfer_note);
	free(f->missing);
	free(f->entrusted_by);
	free(f->visit_note);
	free(f->visitor);
	free(f->police_body);
	free(f->police_sent);
	free(f->police_by);
	free(f->police_note);
	free(f->ip_measure_note);
	free(f->ip_declaration);
	free(f->ip_result_note);
	free(f->ip_reject_note);
	free(f->agree_text);
	free(f->agree_by_name);
	free(f->decision_note);
	free(f->brand);
	free(f->authorised_region);
	free(f->found_region);
	free(f->diversion_note);
	memset(f, 0, sizeof(*f));
}

#define COPY_COL(dst, st, i)                                                   \
	snprintf((dst), sizeof(dst), "%s", wq_column_text((st), (i)))

/* The outcome an event gives a case (for the follow-up record), or NULL
 * if it gives none. */
static const char *outcome_of(const char *action)
{
	static const char *const map[][2] = {
	    {"not-accept", "not_accepted"}, {"transfer", "transferred"},
	    {"odr-settled", "settled"},	    {"settle", "settled"},
	    {"withdraw", "withdrawn"},	    {"agree", "agreement"},
	    {"performed", "performed"},	    {"unperformed", "mediation_ended"},
	    {"end", "mediation_ended"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], action) == 0)
			return map[i][1];
	return NULL;
}

/* The diversion track's rulings that end the dispute, which both
 * parties are told of. */
static bool diversion_final(const char *action)
{
	static const char *const finals[] = {"dismiss", "penalty", "dispute",
					     "withdraw"};

	for (size_t i = 0; i < sizeof(finals) / sizeof(finals[0]); i++)
		if (strcmp(finals[i], action) == 0)
			return true;
	return false;
}

static enum wq_err load_events(struct wq_store *store, struct facts *f)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(
	    store,
	    "SELECT action, at, json_extract(details, '$.args'),"
	    " coalesce(nullif((SELECT name FROM users WHERE login = actor),"
	    " ''), actor) FROM events WHERE case_id = ?1 ORDER BY id",
	    &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, f->case_id);
	while (wq_step(st) == WQ_ROW) {
		const char *action = wq_column_text(st, 0);
		/* The arguments are read in C: the SQL both databases speak
		 * does not index arrays. */
		json_t *args = wq_json_parse(wq_column_text_or_null(st, 2));
		char *arg0 = wq_json_arg(args, 0), *arg1 = wq_json_arg(args, 1);
		const char *outcome = outcome_of(action);
		const char *end = NULL, *note = NULL;

		if (strcmp(action, "reopen") == 0) {
			/* A reopened case decides again. */
			*f->ended_at = *f->outcome_at = '\0';
			*f->diversion_at = '\0';
		} else if (strcmp(f->type, "diversion") == 0 &&
			   diversion_final(action)) {
			bool with_arg = strcmp(action, "dismiss") == 0 ||
					strcmp(action, "penalty") == 0;

			COPY_COL(f->diversion_at, st, 1);
			snprintf(f->diversion_outcome,
				 sizeof(f->diversion_outcome), "%s", action);
			snprintf(f->diversion_reason,
				 sizeof(f->diversion_reason), "%s",
				 strcmp(action, "dismiss") == 0 ? arg0 : "");
			f->penalty_fen = json_integer_value(
			    json_object_get(args, "agreed_penalty_fen"));
			free(f->diversion_note);
			f->diversion_note = wq_strdup(with_arg ? arg1 : arg0);
		} else if (strcmp(action, "accept") == 0) {
			COPY_COL(f->accepted_at, st, 1);
		} else if (strcmp(action, "not-accept") == 0) {
			COPY_COL(f->not_accept_at, st, 1);
			snprintf(f->not_accept_reason,
				 sizeof(f->not_accept_reason), "%s", arg0);
			free(f->not_accept_note);
			f->not_accept_note = wq_strdup(arg1);
			free(f->missing);
			f->missing = wq_json_join(
				json_object_get(args, "missing"), " ");
		} else if (strcmp(action, "transfer") == 0) {
			COPY_COL(f->transfer_at, st, 1);
			free(f->transfer_body);
			f->transfer_body = wq_strdup(arg0);
			free(f->transfer_note);
			f->transfer_note = wq_strdup(arg1);
		} else if (strcmp(action, "entrusted") == 0) {
			free(f->entrusted_by);
			f->entrusted_by = wq_strdup(arg0);
		} else if (strcmp(action, "follow-up") == 0) {
			COPY_COL(f->visit_at, st, 1);
			snprintf(f->visit_outcome, sizeof(f->visit_outcome),
				 "%s", arg0);
			free(f->visit_note);
			f->visit_note = wq_strdup(arg1);
			free(f->visitor);
			f->visitor = wq_strdup(wq_column_text(st, 3));
		} else if (strcmp(action, "refer-police") == 0) {
			COPY_COL(f->police_at, st, 1);
			free(f->police_body);
			f->police_body = wq_strdup(arg0);
			free(f->police_sent);
			f->police_sent = wq_strdup(arg1);
			free(f->police_by);
			f->police_by = wq_strdup(wq_column_text(st, 3));
			free(f->police_note);
			f->police_note = wq_json_arg(args, 2);
		} else if (strcmp(action, "measures") == 0) {
			COPY_COL(f->ip_measure_at, st, 1);
			snprintf(f->ip_measure, sizeof(f->ip_measure), "%s",
				 arg0);
			free(f->ip_measure_note);
			f->ip_measure_note = wq_strdup(arg1);
		} else if (strcmp(action, "reject-notice") == 0) {
			COPY_COL(f->ip_rejected_at, st, 1);
			snprintf(f->ip_reject_reason,
				 sizeof(f->ip_reject_reason), "%s", arg0);
			free(f->ip_reject_note);
			f->ip_reject_note = wq_strdup(arg1);
		} else if (strcmp(action, "declaration") == 0) {
			COPY_COL(f->ip_declared_at, st, 1);
			free(f->ip_declaration);
			f->ip_declaration = wq_strdup(arg0);
		} else if (strcmp(action, "forward-declaration") == 0) {
			COPY_COL(f->ip_forwarded_at, st, 1);
		} else if (strcmp(action, "end-measures") == 0 ||
			   strcmp(action, "action-filed") == 0) {
			if (action[0] == 'e') {
				COPY_COL(f->ip_ended_at, st, 1);
				*f->ip_kept_at = '\0';
			} else {
				COPY_COL(f->ip_kept_at, st, 1);
				*f->ip_ended_at = '\0';
			}
			free(f->ip_result_note);
			f->ip_result_note = wq_strdup(arg0);
		} else if (strcmp(action, "file") == 0 ||
			   strcmp(action, "not-file") == 0) {
			bool filed = strcmp(action, "file") == 0;

			COPY_COL(f->decided_at, st, 1);
			snprintf(f->decision, sizeof(f->decision), "%s",
				 action);
			snprintf(f->decision_reason,
				 sizeof(f->decision_reason), "%s",
				 filed ? "" : arg0);
			free(f->decision_note);
			f->decision_note = wq_strdup(filed ? arg0 : arg1);
		} else if (strcmp(action, "end") == 0) {
			end = arg0;
			note = arg1;
		} else if (strcmp(action, "unperformed") == 0) {
			end = "unperformed";
			note = arg0;
		} else if ((strcmp(action, "withdraw") == 0 ||
			    strcmp(action, "settle") == 0) &&
			   *f->accepted_at) {
			/* After acceptance both end the mediation. */
			end = *action == 'w' ? "withdrawn" : "settled";
			note = arg0;
		}
		if (end) {
			COPY_COL(f->ended_at, st, 1);
			snprintf(f->end_reason, sizeof(f->end_reason), "%s",
				 end);
			free(f->end_note);
			f->end_note = wq_strdup(note);
		}
		if (outcome) {
			COPY_COL(f->outcome_at, st, 1);
			snprintf(f->outcome, sizeof(f->outcome), "%s", outcome);
		}
		free(arg0);
		free(arg1);
		json_decref(args);
	}
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

static enum wq_err load_facts(struct wq_store *store, int64_t case_id,
			      struct facts *f)
{
	struct wq_stmt *st;
	enum wq_err err;

	memset(f, 0, sizeof(*f));
	f->case_id = case_id;
	err = wq_store_prepare(
	    store,
	    "SELECT c.number, c.received_at, c.status, c.reason, c.remedy,"
	    " c.order_date, c.type, c.category, c.amount_fen, c.order_no,"
	    " c.region, p.name, p.phone, m.name, m.platform, m.shop_id,"
	    " m.region, coalesce(nullif(u.name, ''), c.assignee, ''),"
	    " (SELECT text FROM statements s WHERE s.case_id = c.id AND"
	    "  s.party = 'complainant' ORDER BY s.id LIMIT 1),"
	    " (SELECT text FROM statements s WHERE s.case_id = c.id AND"
	    "  s.party = 'respondent' ORDER BY s.id LIMIT 1),"
	    " g.facts, coalesce(nullif(r.name, ''), c.created_by),"
	    /* The regime the case follows, as its clocks do (caseshow.c):
	     * its grounds and articles are that regime's. */
	    " coalesce(" CASE_REGIME("c") ", '')"
	    " FROM cases c JOIN consumers p ON p.id = c.consumer_id"
	    " JOIN merchants m ON m.id = c.merchant_id"
	    " LEFT JOIN users u ON u.login = c.assignee"
	    " LEFT JOIN case_groups g ON g.id = c.group_id"
	    " LEFT JOIN users r ON r.login = c.created_by"
	    " WHERE c.id = ?1",
	    &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) != WQ_ROW) {
		wq_store_finalize(store, st);
		return wq_fail(WQ_ERR_NOT_FOUND, N_("case id %" PRId64), case_id);
	}
	COPY_COL(f->number, st, 0);
	COPY_COL(f->received_at, st, 1);
	COPY_COL(f->status, st, 2);
	COPY_COL(f->reason, st, 3);
	COPY_COL(f->remedy, st, 4);
	COPY_COL(f->order_date, st, 5);
	COPY_COL(f->type, st, 6);
	COPY_COL(f->category, st, 7);
	f->amount_fen = wq_column_int64(st, 8);
	f->order_no = wq_strdup(wq_column_text(st, 9));
	f->region = wq_strdup(wq_column_text(st, 10));
	f->consumer = wq_strdup(wq_column_text(st, 11));
	f->phone = wq_strdup(wq_column_text(st, 12));
	f->merchant = wq_strdup(wq_column_text(st, 13));
	f->platform = wq_strdup(wq_column_text(st, 14));
	f->shop_id = wq_strdup(wq_column_text(st, 15));
	f->merchant_region = wq_strdup(wq_column_text(st, 16));
	f->assignee_name = wq_strdup(wq_column_text(st, 17));
	/* A member of a collective group states its facts in the group. */
	f->facts = wq_strdup(!wq_column_is_null(st, 18)
				 ? wq_column_text(st, 18)
				 : wq_column_text(st, 20));
	f->respondent_statement = wq_strdup(wq_column_text(st, 19));
	f->registered_by = wq_strdup(wq_column_text(st, 21));
	COPY_COL(f->regime, st, 22);
	wq_store_finalize(store, st);

	/* The complainant's own claim, when an offer records it. */
	err = wq_store_prepare(store,
			       "SELECT remedy, amount_fen, terms FROM offers"
			       " WHERE case_id = ?1 AND party = 'complainant'"
			       " ORDER BY id LIMIT 1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) == WQ_ROW) {
		f->has_claim_offer = true;
		COPY_COL(f->claim_remedy, st, 0);
		f->claim_amount_fen = wq_column_int64(st, 1);
		f->claim_terms = wq_strdup(wq_column_text(st, 2));
	}
	wq_store_finalize(store, st);

	err = wq_store_prepare(
	    store,
	    "SELECT a.remedy, a.amount_fen, a.performer, a.perform_by,"
	    " a.text, coalesce(nullif(u.name, ''), a.recorded_by),"
	    " a.performed_at IS NOT NULL"
	    " FROM agreements a LEFT JOIN users u ON u.login = a.recorded_by"
	    " WHERE a.case_id = ?1 ORDER BY a.id DESC LIMIT 1",
	    &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) == WQ_ROW) {
		f->has_agreement = true;
		COPY_COL(f->agree_remedy, st, 0);
		f->agree_amount_fen = wq_column_int64(st, 1);
		COPY_COL(f->performer, st, 2);
		COPY_COL(f->perform_by, st, 3);
		f->agree_text = wq_strdup(wq_column_text(st, 4));
		f->agree_by_name = wq_strdup(wq_column_text(st, 5));
		f->agreement_performed = wq_column_int(st, 6) != 0;
	}
	wq_store_finalize(store, st);

	if (strcmp(f->type, "report") == 0)
		f->real_name = wq_report_real_name(store, case_id);
	if (strcmp(f->type, "diversion") == 0) {
		err = wq_store_prepare(store,
				       "SELECT brand, authorised_region,"
				       " found_region FROM diversions"
				       " WHERE case_id = ?1",
				       &st);
		if (err)
			return err;
		wq_bind_int64(st, 1, case_id);
		if (wq_step(st) == WQ_ROW) {
			f->brand = wq_strdup(wq_column_text(st, 0));
			f->authorised_region =
			    wq_strdup(wq_column_text(st, 1));
			f->found_region = wq_strdup(wq_column_text(st, 2));
		}
		wq_store_finalize(store, st);
	}
	return load_events(store, f);
}

static unsigned available_kinds(const struct facts *f)
{
	unsigned kinds = 1u << WQ_DOC_RECEIPT;

	if (*f->accepted_at)
		kinds |= 1u << WQ_DOC_ACCEPTANCE;
	if (*f->not_accept_at)
		kinds |= 1u << WQ_DOC_NOT_ACCEPTED;
	if (*f->transfer_at)
		kinds |= 1u << WQ_DOC_TRANSFER;
	if (f->has_agreement)
		kinds |= 1u << WQ_DOC_AGREEMENT;
	if (*f->ended_at)
		kinds |= 1u << WQ_DOC_MEDIATION_ENDED;
	if (*f->outcome_at)
		kinds |= 1u << WQ_DOC_FOLLOW_UP;
	if (*f->police_at)
		kinds |= 1u << WQ_DOC_POLICE_REFERRAL;
	if (*f->ip_measure_at)
		kinds |= 1u << WQ_DOC_IP_MEASURES;
	if (*f->ip_rejected_at)
		kinds |= 1u << WQ_DOC_IP_REJECTED;
	if (*f->ip_forwarded_at)
		kinds |= 1u << WQ_DOC_IP_DECLARATION;
	if (*f->ip_ended_at)
		kinds |= 1u << WQ_DOC_IP_ENDED;
	if (*f->ip_kept_at)
		kinds |= 1u << WQ_DOC_IP_KEPT;
	if (*f->decided_at && f->real_name)
		kinds |= 1u << WQ_DOC_REPORT_DECISION;
	if (*f->diversion_at)
		kinds |= 1u << WQ_DOC_DIVERSION_OUTCOME;
	return kinds;
}

static enum wq_err case_id_of(struct wq_store *store, const char *number,
			      int64_t *id)
{
	struct wq_stmt *st;
	enum wq_err err;

	*id = 0;
	if (!wq_case_number_valid(number))
		return wq_fail(WQ_ERR_INVALID, N_("'%s' is not a case number (%s)"),
			       number, WQ_CASE_NUMBER_FORMAT);
	err = wq_store_prepare(store, "SELECT id FROM cases WHERE number = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, number);
	if (wq_step(st) == WQ_ROW)
		*id = wq_column_int64(st, 0);
	wq_store_finalize(store, st);
	return *id ? WQ_ERR_OK
		   : wq_fail(WQ_ERR_NOT_FOUND, N_("no case %s"), number);
}

enum wq_err wq_document_available(struct wq_store *store,
				  const struct wq_user *actor,
				  const char *number, unsigned *kinds)
{
	struct facts f;
	int64_t id;
	enum wq_err err;

	*kinds = 0;
	err = case_id_of(store, number, &id);
	if (!err)
		err = wq_case_authorize(store, actor, id, WQ_CASE_READ);
	if (err)
		return err;
	err = load_facts(store, id, &f);
	if (!err)
		*kinds = available_kinds(&f);
	facts_free(&f);
	return err;
}

/* The template of kind for a case of type: a receipt speaks of the
 * parties of the case's own track. */
static char *template_name(enum wq_document_kind kind, const char *type)
{
	if (kind == WQ_DOC_RECEIPT &&
	    (strcmp(type, "report") == 0 || strcmp(type, "diversion") == 0))
		return wq_asprintf("%s-%s.txt", wq_document_kind_code(kind),
				   type);
	return wq_asprintf("%s.txt", wq_document_kind_code(kind));
}

static enum wq_err case_type_of(struct wq_store *store, int64_t case_id,
				char type[16])
{
	struct wq_stmt *st;
	enum wq_err err;

	*type = '\0';
	err = wq_store_prepare(store, "SELECT type FROM cases WHERE id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) == WQ_ROW)
		snprintf(type, 16, "%s", wq_column_text(st, 0));
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

/* ---- the values a template can use ---- */

/* "2026年3月5日": the local date of a UTC timestamp or of a day. */
static void date_zh(const char *when, char *out, size_t size)
{
	time_t t;
	struct tm tm;
	int y, m, d;

	*out = '\0';
	if (!*when)
		return;
	if (strlen(when) == 10 && sscanf(when, "%d-%d-%d", &y, &m, &d) == 3) {
		snprintf(out, size, "%d年%d月%d日", y, m, d);
		return;
	}
	if (!wq_time_parse(when, &t)) {
		snprintf(out, size, "%s", when);
		return;
	}
	wq_zone_tm(t, &tm);
	snprintf(out, size, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday);
}

static void local_day(const char *utc, char out[11])
{
	time_t t;
	struct tm tm;

	if (!wq_time_parse(utc, &t)) {
		snprintf(out, 11, "%.10s", utc);
		return;
	}
	wq_zone_tm(t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void amount_text(int64_t fen, char *out, size_t size)
{
	snprintf(out, size, "%" PRId64 ".%02" PRId64 "元", fen / 100,
		 fen % 100);
}

/* All but the last 4 characters (half of a short one) masked. */
static void masked(const char *s, char *out, size_t size)
{
	size_t n = strlen(s), keep = n >= 8 ? 4 : n / 2, used = 0;

	for (size_t i = 0; i + keep < n && used + 1 < size; i++)
		out[used++] = '*';
	snprintf(out + used, size - used, "%s", s + n - keep);
}

/* A term of terms.txt ("remedy.refund"), or the code itself. */
static const char *term(const struct dict *d, const char *group,
			const char *code)
{
	char key[96];
	const char *v;

	snprintf(key, sizeof(key), "term.%s.%s", group, code);
	v = dict_get(d, key);
	return v && *v ? v : code;
}

/* A ground (KIND "not-accept" or "end") into ground, ground_article and
 * ground_mark; a code the file lacks is named as itself, unverified. */
static void set_ground(struct dict *d, const char *kind, const char *code)
{
	char key[160];
	const char *text, *article, *verified;

	snprintf(key, sizeof(key), "%s.%s.text", kind, code);
	text = dict_get(d, key);
	snprintf(key, sizeof(key), "%s.%s.article", kind, code);
	article = dict_get(d, key);
	snprintf(key, sizeof(key), "%s.%s.verified", kind, code);
	verified = dict_get(d, key);
	dict_set(d, "ground", text ? text : code);
	dict_set(d, "ground_article", article ? article : "");
	dict_set(d, "ground_mark",
		 verified && *verified ? "" : dict_get(d, "unverified_mark"));
}

/* {NAME_basis} and {NAME_mark} for a "basis" line of grounds.txt. */
static void set_basis(struct dict *d, const char *name)
{
	char key[160], *v;
	const char *article, *verified;

	snprintf(key, sizeof(key), "basis.%s.article", name);
	article = dict_get(d, key);
	snprintf(key, sizeof(key), "basis.%s.verified", name);
	verified = dict_get(d, key);
	/* No line for the regime: the template leaves the citation out. */
	v = article && dict_get(d, "regime_title")
		? wq_asprintf("%s%s", dict_get(d, "regime_title"), article)
		: wq_strdup("");
	snprintf(key, sizeof(key), "%s_basis", name);
	dict_set(d, key, v);
	free(v);
	snprintf(key, sizeof(key), "%s_mark", name);
	dict_set(d, key,
		 verified && *verified ? "" : dict_get(d, "unverified_mark"));
}

/* {NAME_basis} and {NAME_mark} for a "statute" line of grounds.txt. */
static void set_statute(struct dict *d, const char *name)
{
	char key[160];
	const char *article, *verified;

	snprintf(key, sizeof(key), "statute.%s.article", name);
	article = dict_get(d, key);
	snprintf(key, sizeof(key), "statute.%s.verified", name);
	verified = dict_get(d, key);
	snprintf(key, sizeof(key), "%s_basis", name);
	dict_set(d, key, article);
	snprintf(key, sizeof(key), "%s_mark", name);
	dict_set(d, key,
		 verified && *verified ? "" : dict_get(d, "unverified_mark"));
}

/* What the documents of an IP notice say: the measure and the notice it
 * was taken on, the declaration, and the day the rights holder's days end
 * (the ip_wait clock's reckoning: the declaration reaches the rights
 * holder the day it is forwarded, and the days are calendar days). */
static void set_ip(struct dict *d, const struct facts *f)
{
	char buf[64], iso[11], days[16];
	time_t forwarded;

	dict_set(d, "measure", term(d, "ip-measure", f->ip_measure));
	date_zh(f->ip_measure_at, buf, sizeof(buf));
	dict_set(d, "measure_date", buf);
	dict_set(d, "measure_note", f->ip_measure_note);
	dict_set(d, "declaration", f->ip_declaration &&
					   *f->ip_declaration
				       ? f->ip_declaration
				       : f->respondent_statement);
	date_zh(f->ip_declared_at, buf, sizeof(buf));
	dict_set(d, "declared_date", buf);
	date_zh(f->ip_forwarded_at, buf, sizeof(buf));
	dict_set(d, "forwarded_date", buf);
	snprintf(days, sizeof(days), "%d", WQ_IP_WAIT_DAYS);
	dict_set(d, "wait_days", days);
	*buf = '\0';
	if (*f->ip_forwarded_at && wq_time_parse(f->ip_forwarded_at, &forwarded)) {
		wq_date_format(wq_local_day(forwarded) + WQ_IP_WAIT_DAYS, iso);
		date_zh(iso, buf, sizeof(buf));
	}
	dict_set(d, "wait_end_date", buf);
	date_zh(*f->ip_ended_at ? f->ip_ended_at : f->ip_kept_at, buf,
		sizeof(buf));
	dict_set(d, "result_date", buf);
	dict_set(d, "result_note", f->ip_result_note);
	set_statute(d, "ecl42");
	set_statute(d, "ecl43");
	set_statute(d, "ecl44");
}

static enum wq_err clock_days(struct wq_store *store, const char *regime,
			      struct dict *d)
{
	struct wq_stmt *st;
	enum wq_err err;
	char key[64], days[16];

	err = wq_store_prepare(store,
			       "SELECT clock, working_days FROM clock_rules"
			       " WHERE regime = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, regime);
	while (wq_step(st) == WQ_ROW) {
		snprintf(key, sizeof(key), "%s_days", wq_column_text(st, 0));
		snprintf(days, sizeof(days), "%d", wq_column_int(st, 1));
		dict_set(d, key, days);
	}
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

static void set_facts(struct dict *d, const struct facts *f,
		      const char *issued_at)
{
	char buf[128], day[11];

	dict_set(d, "case_number", f->number);
	dict_set(d, "complainant", f->consumer);
	masked(f->phone, buf, sizeof(buf));
	dict_set(d, "complainant_phone", buf);
	dict_set(d, "complainant_region", f->region);
	dict_set(d, "respondent", f->merchant);
	dict_set(d, "respondent_platform", f->platform);
	dict_set(d, "respondent_shop", f->shop_id);
	dict_set(d, "respondent_region", f->merchant_region);
	dict_set(d, "order_no", f->order_no);
	*buf = '\0';
	if (f->amount_fen > 0)
		amount_text(f->amount_fen, buf, sizeof(buf));
	dict_set(d, "amount", buf);
	date_zh(f->order_date, buf, sizeof(buf));
	dict_set(d, "order_date", buf);
	dict_set(d, "category", term(d, "category", f->category));
	date_zh(f->received_at, buf, sizeof(buf));
	dict_set(d, "received_date", buf);
	date_zh(f->accepted_at, buf, sizeof(buf));
	dict_set(d, "accepted_date", buf);
	date_zh(issued_at, buf, sizeof(buf));
	dict_set(d, "issue_date", buf);
	dict_set(d, "mediator", f->assignee_name);
	dict_set(d, "registered_by", f->registered_by);
	dict_set(d, "facts", f->facts);
	dict_set(d, "respondent_statement", f->respondent_statement);

	if (f->has_claim_offer) {
		char amount[40] = "", *claim;

		if (f->claim_amount_fen > 0)
			amount_text(f->claim_amount_fen, amount,
				    sizeof(amount));
		claim = wq_asprintf(
		    "%s%s%s%s", term(d, "remedy", f->claim_remedy), amount,
		    *f->claim_terms ? "；" : "", f->claim_terms);
		dict_set(d, "claim", claim);
		free(claim);
	} else {
		dict_set(d, "claim",
			 *f->remedy ? term(d, "remedy", f->remedy) : "");
	}

	if (f->has_agreement) {
		char amount[40] = "";

		if (f->agree_amount_fen > 0)
			amount_text(f->agree_amount_fen, amount,
				    sizeof(amount));
		dict_set(d, "agreement_terms",
			 *f->agree_text ? f->agree_text
					: term(d, "remedy", f->agree_remedy));
		dict_set(d, "agreement_remedy",
			 term(d, "remedy", f->agree_remedy));
		dict_set(d, "agreement_amount", amount);
		dict_set(d, "performer",
			 strcmp(f->performer, "complainant") == 0
			     ? f->consumer
			     : f->merchant);
		date_zh(f->perform_by, buf, sizeof(buf));
		dict_set(d, "perform_by", buf);
		if (*f->agree_by_name && !*f->assignee_name)
			dict_set(d, "mediator", f->agree_by_name);
	}
	local_day(f->received_at, day);
	dict_set(d, "received_day", day);
	dict_set(d, "entrusted_by", f->entrusted_by);
	dict_set(d, "brand", f->brand);
	dict_set(d, "authorised_region", f->authorised_region);
	dict_set(d, "found_region", f->found_region);
}

/* The notice to a real-name reporter: filed_date when the report was
 * filed, else not_filed_date with the ground (grounds.txt, "not-file")
 * and its citation, which the file gives even without an article. */
static void set_report_decision(struct dict *d, const struct facts *f)
{
	char buf[64], *citation;
	bool filed = strcmp(f->decision, "file") == 0;

	date_zh(f->decided_at, buf, sizeof(buf));
	dict_set(d, "filed_date", filed ? buf : "");
	dict_set(d, "not_filed_date", filed ? "" : buf);
	dict_set(d, "decided_date", buf);
	dict_set(d, "note", f->decision_note);
	if (filed)
		return;
	set_ground(d, "not-file", f->decision_reason);
	citation = dict_get(d, "regime_title")
		       ? wq_asprintf("%s%s", dict_get(d, "regime_title"),
				     dict_get(d, "ground_article"))
		       : wq_strdup("");
	dict_set(d, "ground_citation", citation);
	free(citation);
}

/* The notice of a diversion dispute's outcome: the day under the
 * outcome's own name (dismissed_date, penalty_date, disputed_date,
 * withdrawn_date), so that the template's line for it alone is kept. */
static void set_diversion_outcome(struct dict *d, const struct facts *f)
{
	static const char *const dates[][2] = {
	    {"dismiss", "dismissed_date"},
	    {"penalty", "penalty_date"},
	    {"dispute", "disputed_date"},
	    {"withdraw", "withdrawn_date"},
	};
	char buf[64];

	date_zh(f->diversion_at, buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		dict_set(d, dates[i][1],
			 strcmp(f->diversion_outcome, dates[i][0]) == 0 ? buf
									: "");
	dict_set(d, "dismiss_reason",
		 *f->diversion_reason
		     ? term(d, "diversion-dismiss", f->diversion_reason)
		     : "");
	*buf = '\0';
	if (f->penalty_fen > 0)
		amount_text(f->penalty_fen, buf, sizeof(buf));
	dict_set(d, "penalty", buf);
	dict_set(d, "note", f->diversion_note);
}

/* The fields a refusal for missing materials named, by their terms
 * ("field.claim"), joined with the enumeration comma. */
static void set_missing(struct dict *d, const char *missing)
{
	struct wq_buf b = {0};
	char *copy = wq_strdup(missing ? missing : ""), *save = NULL;

	for (char *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		if (b.len)
			wq_buf_puts(&b, "、");
		wq_buf_puts(&b, term(d, "field", w));
	}
	wq_buf_add(&b, "", 0);
	dict_set(d, "missing_fields", b.data);
	wq_buf_free(&b);
	free(copy);
}

/* The follow-up record: the recorded visit's day, outcome, note and
 * visitor; before a visit is recorded, the blanks of a form to fill in
 * by hand (terms.txt, "form.*"). */
static void set_visit(struct dict *d, const struct facts *f)
{
	static const char *const keys[] = {"visit_date", "visit_outcome",
					   "visit_note", "visitor"};
	char buf[64];

	if (!*f->visit_at) {
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			char key[64];

			snprintf(key, sizeof(key), "term.form.%s", keys[i]);
			dict_set(d, keys[i], dict_get(d, key));
		}
	} else {
		date_zh(f->visit_at, buf, sizeof(buf));
		dict_set(d, "visit_date", buf);
		dict_set(d, "visit_outcome",
			 term(d, "follow-up", f->visit_outcome));
		dict_set(d, "visit_note",
			 *f->visit_note ? f->visit_note
					: term(d, "form", "no_note"));
		dict_set(d, "visitor", f->visitor);
	}
	dict_set(d, "performance",
		 !f->has_agreement ? ""
		 : f->agreement_performed
		     ? term(d, "performance", "performed")
		     : term(d, "performance", "not_performed"));
}

/* ---- expanding a template ---- */

/* Text a user typed goes to terminals and printers: controls, escape
 * sequences and bidi controls become "?", zero-width characters nothing
 * (weiquan/clean.h sorts them); line breaks stay. */
static void put_printable(struct wq_buf *b, const char *s)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		size_t n = wq_utf8_decode(s + i, len - i, &cp);

		if (!n) {
			wq_buf_puts(b, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		if (cp == '\n' || wq_clean_class(cp) == WQ_CLEAN_PLAIN)
			wq_buf_add(b, s + i, n);
		else if (wq_clean_class(cp) != WQ_CLEAN_INVISIBLE)
			wq_buf_add(b, "?", 1);
		i += n;
	}
}

/* s with each {name} replaced; *missing set when a value was empty or
 * unknown (but for a citation's mark, {..._mark}).  A "{" that starts no name
 * stays as it is. */
static char *expand(const char *s, const struct dict *d, bool *missing)
{
	struct wq_buf b = {0};

	*missing = false;
	while (*s) {
		const char *open = strchr(s, '{'), *close;
		char name[64];
		const char *v;

		if (!open || !(close = strchr(open, '}')) ||
		    (size_t)(close - open - 1) >= sizeof(name) ||
		    strcspn(open + 1, " {") < (size_t)(close - open - 1)) {
			wq_buf_puts(&b, s);
			break;
		}
		wq_buf_add(&b, s, (size_t)(open - s));
		snprintf(name, sizeof(name), "%.*s", (int)(close - open - 1),
			 open + 1);
		v = dict_get(d, name);
		/* A citation's mark is empty when it was verified. */
		if ((!v || !*v) &&
		    !(strlen(name) > 5 &&
		      strcmp(name + strlen(name) - 5, "_mark") == 0))
			*missing = true;
		else if (v)
			put_printable(&b, v);
		s = close + 1;
	}
	wq_buf_add(&b, "", 0);
	return b.data;
}

static const struct {
	const char *name;
	enum wq_doc_block_kind kind;
} directives[] = {
    {"title", WQ_DOC_TITLE}, {"number", WQ_DOC_NUMBER}, {"text", WQ_DOC_TEXT},
    {"para", WQ_DOC_PARA},   {"center", WQ_DOC_CENTER}, {"right", WQ_DOC_RIGHT},
    {"sign", WQ_DOC_SIGN},   {"blank", WQ_DOC_BLANK},
};

static void add_block(struct wq_document *doc, enum wq_doc_block_kind kind,
		      const char *text)
{
	doc->blocks =
	    wq_xrealloc(doc->blocks, (doc->nblocks + 1) * sizeof(*doc->blocks));
	doc->blocks[doc->nblocks].kind = kind;
	doc->blocks[doc->nblocks].text = wq_strdup(text);
	doc->nblocks++;
}

static enum wq_err parse_template(char *text, const char *file, struct dict *d,
				  struct wq_document *doc)
{
	int lineno = 0;
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		bool optional = false, missing;
		size_t n;
		char *arg, *value;
		int which = -1;

		lineno++;
		if (*line == '#' || !*trim(line))
			continue;
		if (*line == '?') {
			optional = true;
			line++;
		}
		n = strcspn(line, " \t\r");
		arg = line + n;
		arg = *arg ? trim(arg + 1) : arg;
		if (n == 4 && strncmp(line, "abbr", 4) == 0) {
			dict_set(d, "kind", arg);
			continue;
		}
		for (size_t i = 0;
		     i < sizeof(directives) / sizeof(directives[0]); i++)
			if (strlen(directives[i].name) == n &&
			    strncmp(directives[i].name, line, n) == 0)
				which = (int)i;
		if (which < 0)
			return wq_fail(WQ_ERR_PARSE,
				       N_("%s: line %d: unknown directive '%.*s'"),
				       file, lineno, (int)n, line);
		if (directives[which].kind == WQ_DOC_NUMBER)
			arg = "{doc_number}";
		value = expand(arg, d, &missing);
		if (!(optional && missing)) {
			if (directives[which].kind == WQ_DOC_TITLE)
				snprintf(doc->title, sizeof(doc->title), "%s",
					 value);
			add_block(doc, directives[which].kind, value);
		}
		free(value);
	}
	return WQ_ERR_OK;
}

/* The document number from association.txt's shape. */
static void format_number(struct dict *d, int year, int64_t seq, char *out,
			  size_t size)
{
	char buf[32];
	bool missing;
	char *s;

	snprintf(buf, sizeof(buf), "%d", year);
	dict_set(d, "year", buf);
	snprintf(buf, sizeof(buf), "%" PRId64, seq);
	dict_set(d, "seq", buf);
	dict_set(d, "abbr", dict_get(d, "assoc.abbr"));
	s = expand(dict_get(d, "assoc.number") ? dict_get(d, "assoc.number")
					       : "〔{year}〕{seq}号",
		   d, &missing);
	snprintf(out, size, "%s", s);
	free(s);
}

static enum wq_err load_dict(struct wq_store *store,
			     const struct wq_document_dirs *dirs,
			     const char *lang, const struct facts *f,
			     struct dict *d)
{
	char *text = NULL, *org = NULL;
	enum wq_err err;

	err = read_template(dirs, lang, "association.txt", &text);
	if (err)
		return err;
	parse_settings(text, "assoc.", d);
	free(text);
	err = read_template(dirs, lang, "terms.txt", &text);
	if (err)
		return err;
	parse_settings(text, "term.", d);
	free(text);
	err = read_template(dirs, lang, "grounds.txt", &text);
	if (err)
		return err;
	parse_grounds(text, f->regime, d);
	free(text);

	/* The body's name: the file's, else the database's setting. */
	if (!dict_get(d, "assoc.name") || !*dict_get(d, "assoc.name")) {
		err = wq_store_get_setting(store, "org_name", &org);
		if (err == WQ_ERR_NOT_FOUND) {
			wq_err_clear();
			err = WQ_ERR_OK;
		}
		if (err)
			return err;
	}
	dict_set(d, "org", org ? org : dict_get(d, "assoc.name"));
	free(org);
	dict_set(d, "seal", dict_get(d, "assoc.seal"));
	return clock_days(store, dict_get(d, "regime"), d);
}

enum wq_err wq_document_render(struct wq_store *store,
			       const struct wq_document_dirs *dirs,
			       int64_t case_id, enum wq_document_kind kind,
			       const char *lang, const char *issued_at,
			       const char *doc_number, struct wq_document **out)
{
	struct wq_document *doc;
	struct dict d = {0};
	struct facts f;
	enum wq_err err;
	char *text = NULL, *file, buf[64];

	*out = NULL;
	if (!lang_valid(lang))
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not a documents language (zh_CN, "
			       "zh_TW)"),
			       lang ? lang : "");
	err = load_facts(store, case_id, &f);
	if (err) {
		facts_free(&f);
		return err;
	}
	if (!(available_kinds(&f) & (1u << kind))) {
		const char *label = wq_document_kind_label(kind);

		/* The kind as the user calls it: its translated label, or
		 * the code the command line takes. */
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      N_("case %s has no %s to issue (status %s)"),
			      f.number,
			      wq_text(label) != label ? wq_text(label)
						      : wq_document_kind_code(kind),
			      wq_code_label("status", f.status));
		facts_free(&f);
		return err;
	}
	err = load_dict(store, dirs, lang, &f, &d);
	if (err) {
		facts_free(&f);
		dict_free(&d);
		return err;
	}
	set_facts(&d, &f, issued_at);
	set_basis(&d, "accept");
	set_basis(&d, "mediation");
	set_basis(&d, "agreement");
	set_basis(&d, "report_check");
	set_basis(&d, "report_tell");
	set_basis(&d, "transfer");
	if (kind == WQ_DOC_REPORT_DECISION) {
		set_report_decision(&d, &f);
	} else if (kind == WQ_DOC_TRANSFER) {
		dict_set(&d, "transfer_body", f.transfer_body);
		dict_set(&d, "note", f.transfer_note);
		date_zh(f.transfer_at, buf, sizeof(buf));
		dict_set(&d, "transfer_date", buf);
	} else if (kind == WQ_DOC_NOT_ACCEPTED) {
		set_ground(&d, "not-accept", f.not_accept_reason);
		set_missing(&d, f.missing);
		dict_set(&d, "note", f.not_accept_note);
		date_zh(f.not_accept_at, buf, sizeof(buf));
		dict_set(&d, "decided_date", buf);
	} else if (kind == WQ_DOC_MEDIATION_ENDED) {
		set_ground(&d, "end", f.end_reason);
		dict_set(&d, "note", f.end_note);
		date_zh(f.ended_at, buf, sizeof(buf));
		dict_set(&d, "decided_date", buf);
	} else if (kind == WQ_DOC_POLICE_REFERRAL) {
		set_ground(&d, "end", "fraudulent-claim");
		dict_set(&d, "police_body", f.police_body);
		dict_set(&d, "police_sent", f.police_sent);
		dict_set(&d, "police_by", f.police_by);
		dict_set(&d, "note", f.police_note);
		date_zh(f.police_at, buf, sizeof(buf));
		dict_set(&d, "police_date", buf);
		date_zh(f.ended_at, buf, sizeof(buf));
		dict_set(&d, "ended_date", buf);
	} else if (kind == WQ_DOC_IP_MEASURES || kind == WQ_DOC_IP_DECLARATION ||
		   kind == WQ_DOC_IP_ENDED || kind == WQ_DOC_IP_KEPT) {
		set_ip(&d, &f);
	} else if (kind == WQ_DOC_DIVERSION_OUTCOME) {
		set_diversion_outcome(&d, &f);
	} else if (kind == WQ_DOC_IP_REJECTED) {
		set_statute(&d, "ecl42");
		dict_set(&d, "reject_reason",
			 term(&d, "ip-reject", f.ip_reject_reason));
		dict_set(&d, "note", f.ip_reject_note);
		date_zh(f.ip_rejected_at, buf, sizeof(buf));
		dict_set(&d, "rejected_date", buf);
	} else if (kind == WQ_DOC_FOLLOW_UP) {
		set_visit(&d, &f);
		dict_set(&d, "outcome", term(&d, "outcome", f.outcome));
		date_zh(f.outcome_at, buf, sizeof(buf));
		dict_set(&d, "decided_date", buf);
	}
	dict_set(&d, "doc_number", doc_number);

	file = template_name(kind, f.type);
	err = read_template(dirs, lang, file, &text);
	doc = wq_xcalloc(1, sizeof(*doc));
	doc->kind = kind;
	snprintf(doc->lang, sizeof(doc->lang), "%s", lang);
	snprintf(doc->number, sizeof(doc->number), "%s", doc_number);
	snprintf(doc->issued_at, sizeof(doc->issued_at), "%s", issued_at);
	if (!err)
		err = parse_template(text, file, &d, doc);
	free(text);
	free(file);
	facts_free(&f);
	dict_free(&d);
	if (err)
		wq_document_free(&doc);
	*out = doc;
	return err;
}

void wq_document_free(struct wq_document **doc)
{
	if (!*doc)
		return;
	for (size_t i = 0; i < (*doc)->nblocks; i++)
		free((*doc)->blocks[i].text);
	free((*doc)->blocks);
	free(*doc);
	*doc = NULL;
}

/* ---- the text form ---- */

/* Display columns of a code point on a terminal or line printer: the
 * East Asian wide and full-width ranges take two. */
static int columns_of(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
		       (c >= 0x3041 && c <= 0xA4CF) ||
		       (c >= 0xAC00 && c <= 0xD7A3) ||
		       (c >= 0xF900 && c <= 0xFAFF) ||
		       (c >= 0xFE30 && c <= 0xFE4F) ||
		       (c >= 0xFF00 && c <= 0xFF60) ||
		       (c >= 0xFFE0 && c <= 0xFFE6) ||
		       (c >= 0x20000 && c <= 0x3FFFD)
		   ? 2
		   : 1;
}

static int text_columns(const char *s, size_t len)
{
	int w = 0;

	for (size_t i = 0; i < len;) {
		uint32_t c = 0;
		size_t n = wq_utf8_decode(s + i, len - i, &c);

		if (!n) {
			n = 1;
			c = '?';
		}
		w += columns_of(c);
		i += n;
	}
	return w;
}

/* Punctuation a Chinese line must not start with (禁则): it stays at the
 * end of the line before, beyond the margin if need be. */
static bool no_line_start(uint32_t c)
{
	static const uint32_t marks[] = {
	    0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F,
	    0xFF09, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x201D, 0x2019,
	    0x2026, ',',    '.',    ';',    ':',    ')',    '!',    '?',
	};

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (marks[i] == c)
			return true;
	return false;
}

static void put_spaces(struct wq_buf *b, int n)
{
	for (; n > 0; n--)
		wq_buf_add(b, " ", 1);
}

/* Opening brackets and quotes, which a line must not end with. */
static bool no_line_end(uint32_t c)
{
	static const uint32_t marks[] = {
	    0xFF08, 0x300C, 0x300E, 0x300A, 0x3010,
	    0x3014, 0x201C, 0x2018, '(',    '[',
	};

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (marks[i] == c)
			return true;
	return false;
}

/* Letters, digits and what joins them in a case or order number: such a
 * run is kept on one line when it can be. */
static bool in_word(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z') || c == '-' || c == '.' || c == '_';
}

/* One paragraph, wrapped to TEXT_COLUMNS: a line breaks between Chinese
 * characters, never before closing punctuation (one mark hangs in the
 * margin instead) or after an opening bracket, and not inside a number. */
static void put_wrapped(struct wq_buf *b, const char *s, size_t len)
{
	size_t start = 0, i = 0, brk = 0;
	int w = 0, brk_w = 0;
	uint32_t prev = 0;

	while (i < len) {
		uint32_t c = 0;
		size_t n = wq_utf8_decode(s + i, len - i, &c);
		int cw;
		bool may_break;

		if (!n) {
			n = 1;
			c = '?';
		}
		cw = columns_of(c);
		may_break = i > start && !no_line_start(c) &&
			    !no_line_end(prev) &&
			    !(in_word(prev) && in_word(c));
		if (may_break) {
			brk = i;
			brk_w = w;
		}
		/* One closing mark may hang in the margin; a second one
		 * would push the line further out, so the line breaks before
		 * the word they close instead. */
		if (w + cw > TEXT_COLUMNS &&
		    (!no_line_start(c) || w > TEXT_COLUMNS) && brk > start) {
			wq_buf_add(b, s + start, brk - start);
			wq_buf_puts(b, "\n");
			start = brk;
			w -= brk_w;
		} else if (w + cw > TEXT_COLUMNS && !no_line_start(c) &&
			   i > start) {
			/* A run longer than a line: cut it. */
			wq_buf_add(b, s + start, i - start);
			wq_buf_puts(b, "\n");
			start = i;
			w = 0;
		}
		w += cw;
		prev = c;
		i += n;
	}
	wq_buf_add(b, s + start, len - start);
	wq_buf_puts(b, "\n");
}

char *wq_document_text(const struct wq_document *doc)
{
	struct wq_buf b = {0};

	for (size_t i = 0; i < doc->nblocks; i++) {
		const char *t = doc->blocks[i].text;
		int w;

		switch (doc->blocks[i].kind) {
		case WQ_DOC_TITLE:
		case WQ_DOC_CENTER:
			w = text_columns(t, strlen(t));
			put_spaces(&b, (TEXT_COLUMNS - w) / 2);
			wq_buf_printf(&b, "%s\n", t);
			break;
		case WQ_DOC_NUMBER:
		case WQ_DOC_RIGHT:
			w = text_columns(t, strlen(t));
			put_spaces(&b, TEXT_COLUMNS - w);
			wq_buf_printf(&b, "%s\n", t);
			break;
		case WQ_DOC_SIGN:
			wq_buf_puts(&b, "\n");
			/* fall through */
		case WQ_DOC_TEXT:
		case WQ_DOC_PARA:
			/* A value's line breaks start paragraphs of their
			 * own. */
			for (const char *p = t;;) {
				size_t n = strcspn(p, "\n");

				put_wrapped(&b, p, n);
				if (!p[n])
					break;
				p += n + 1;
			}
			break;
		case WQ_DOC_BLANK:
			wq_buf_puts(&b, "\n");
			break;
		}
	}
	wq_buf_add(&b, "", 0);
	return b.data;
}

/* ---- issuing ---- */

void wq_issued_free(struct wq_issued *issued)
{
	free(issued->text);
	free(issued->pdf);
	memset(issued, 0, sizeof(*issued));
}

static int local_year(const char *utc)
{
	char day[11];

	local_day(utc, day);
	return atoi(day);
}

/* The next number of the year's sequence of documents of a kind. */
static enum wq_err next_seq(struct wq_store *store, int year,
			    enum wq_document_kind kind, int64_t *seq)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "INSERT INTO document_numbers(year, kind, last)"
			       " VALUES (?1, ?2, 1) ON CONFLICT(year, kind)"
			       " DO UPDATE SET last = document_numbers.last + 1"
			       " RETURNING last",
			       &st);
	if (err)
		return err;
	wq_bind_int(st, 1, year);
	wq_bind_text(st, 2, wq_document_kind_code(kind));
	if (wq_step(st) == WQ_ROW)
		*seq = wq_column_int64(st, 0);
	else
		err = wq_store_error(store, "document number");
	wq_store_finalize(store, st);
	return err;
}

/* Renders both forms; the issuer's name is a value of the receipt. */
static enum wq_err render_forms(struct wq_store *store,
				const struct wq_document_dirs *dirs,
				int64_t case_id, enum wq_document_kind kind,
				const char *lang, const char *issued_at,
				const char *doc_number, bool with_pdf,
				struct wq_issued *out)
{
	struct wq_document *doc = NULL;
	enum wq_err err;

	err = wq_document_render(store, dirs, case_id, kind, lang, issued_at,
				 doc_number, &doc);
	if (err)
		return err;
	out->text = wq_document_text(doc);
	out->text_len = strlen(out->text);
	wq_audit_sha256(out->text, out->text_len, out->text_sha256);
	if (with_pdf) {
		err = wq_document_pdf(doc, &out->pdf, &out->pdf_len);
		if (!err)
			wq_audit_sha256(out->pdf, out->pdf_len,
					out->pdf_sha256);
	}
	wq_document_free(&doc);
	return err;
}

static enum wq_err issue_tx(struct wq_store *store, const struct wq_user *actor,
			    const struct wq_document_dirs *dirs,
			    int64_t case_id, enum wq_document_kind kind,
			    const char *lang, struct wq_issued *out)
{
	struct wq_stmt *st;
	enum wq_err err;
	struct wq_issued again = {0};
	int64_t prev_id = 0, seq = 0;
	char now[21];
	struct wq_buf details = {0};

	err = wq_store_prepare(
	    store,
	    "SELECT id, version, number, issued_at, issued_by, text,"
	    " text_sha256, pdf, pdf_sha256 FROM documents"
	    " WHERE case_id = ?1 AND kind = ?2 AND lang = ?3"
	    " ORDER BY version DESC LIMIT 1",
	    &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	wq_bind_text(st, 2, wq_document_kind_code(kind));
	wq_bind_text(st, 3, lang);
	if (wq_step(st) == WQ_ROW) {
		prev_id = wq_column_int64(st, 0);
		out->id = prev_id;
		out->version = wq_column_int(st, 1);
		COPY_COL(out->number, st, 2);
		COPY_COL(out->issued_at, st, 3);
		COPY_COL(out->issued_by, st, 4);
		out->text_len = (size_t)wq_column_bytes(st, 5);
		out->text = wq_strndup(wq_column_text(st, 5), out->text_len);
		COPY_COL(out->text_sha256, st, 6);
		out->pdf_len = (size_t)wq_column_bytes(st, 7);
		out->pdf = wq_xmalloc(out->pdf_len + 1);
		if (out->pdf_len)
			memcpy(out->pdf, wq_column_blob(st, 7),
			       out->pdf_len);
		COPY_COL(out->pdf_sha256, st, 8);
	}
	wq_store_finalize(store, st);

	if (prev_id) {
		/* Unchanged when the case, rendered as it was issued, gives
		 * the same text. */
		err = render_forms(store, dirs, case_id, kind, lang,
				   out->issued_at, out->number, false, &again);
		if (!err && strcmp(again.text_sha256, out->text_sha256) == 0) {
			wq_issued_free(&again);
			return WQ_ERR_OK;
		}
		wq_issued_free(&again);
		if (err)
			return err;
	}

	{
		struct wq_issued fresh = {0};
		struct dict d = {0};
		int version = out->version + 1;
		char *assoc = NULL;

		wq_issued_free(out);
		wq_time_format(wq_now(), now);
		err = next_seq(store, local_year(now), kind, &seq);
		if (err)
			return err;
		/* The number's shape is the association's. */
		err = read_template(dirs, lang, "association.txt", &assoc);
		if (err)
			return err;
		parse_settings(assoc, "assoc.", &d);
		free(assoc);
		{
			char *tpl = NULL, *file, type[16];

			err = case_type_of(store, case_id, type);
			if (err) {
				dict_free(&d);
				return err;
			}
			file = template_name(kind, type);
			err = read_template(dirs, lang, file, &tpl);
			free(file);
			if (err) {
				dict_free(&d);
				return err;
			}
			/* The kind's abbreviation (its "abbr" line). */
			for (char *line = strtok(tpl, "\n"); line;
			     line = strtok(NULL, "\n"))
				if (strncmp(line, "abbr ", 5) == 0)
					dict_set(&d, "kind", trim(line + 5));
			free(tpl);
		}
		format_number(&d, local_year(now), seq, fresh.number,
			      sizeof(fresh.number));
		dict_free(&d);
		err = render_forms(store, dirs, case_id, kind, lang, now,
				   fresh.number, true, &fresh);
		if (err) {
			wq_issued_free(&fresh);
			return err;
		}
		*out = fresh;
		out->version = version;
		out->new_version = true;
		snprintf(out->issued_at, sizeof(out->issued_at), "%s", now);
		snprintf(out->issued_by, sizeof(out->issued_by), "%s",
			 actor->login);
	}

	err = wq_store_prepare(
	    store,
	    "INSERT INTO documents(case_id, kind, lang, version, number,"
	    " issued_by, issued_at, text, text_sha256, pdf, pdf_sha256,"
	    " supersedes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12) RETURNING id",
	    &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	wq_bind_text(st, 2, wq_document_kind_code(kind));
	wq_bind_text(st, 3, lang);
	wq_bind_int(st, 4, out->version);
	wq_bind_text(st, 5, out->number);
	wq_bind_text(st, 6, actor->login);
	wq_bind_text(st, 7, out->issued_at);
	wq_bind_text_n(st, 8, out->text,(int)out->text_len);
	wq_bind_text(st, 9, out->text_sha256);
	wq_bind_blob(st, 10, out->pdf, (int)out->pdf_len);
	wq_bind_text(st, 11, out->pdf_sha256);
	if (prev_id)
		wq_bind_int64(st, 12, prev_id);
	else
		wq_bind_null(st, 12);
	if (wq_step(st) != WQ_ROW)
		err = wq_store_error(store, "document");
	else
		out->id = wq_column_int64(st, 0);
	wq_store_finalize(store, st);
	if (err)
		return err;

	wq_buf_printf(&details,
		      "{\"document\":%" PRId64
		      ",\"kind\":\"%s\",\"lang\":\"%s\","
		      "\"version\":%d,\"number\":",
		      out->id, wq_document_kind_code(kind), lang, out->version);
	wq_buf_json_string(&details, out->number);
	wq_buf_printf(&details, ",\"text_sha256\":\"%s\",\"pdf_sha256\":\"%s\"",
		      out->text_sha256, out->pdf_sha256);
	if (prev_id)
		wq_buf_printf(&details, ",\"supersedes\":%" PRId64, prev_id);
	wq_buf_puts(&details, "}");
	err = wq_audit_append(store, actor->login, case_id, "document",
			      details.data, NULL);
	wq_buf_free(&details);
	return err;
}

enum wq_err wq_document_issue(struct wq_store *store,
			      const struct wq_user *actor,
			      const struct wq_document_dirs *dirs,
			      const char *number, enum wq_document_kind kind,
			      const char *lang, struct wq_issued *out)
{
	enum wq_err err;
	int64_t id;

	memset(out, 0, sizeof(*out));
	if (kind >= WQ_DOC_KIND_COUNT_)
		return wq_fail(WQ_ERR_INVALID, N_("no such kind of document"));
	if (!lang_valid(lang))
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not a documents language (zh_CN, "
			       "zh_TW)"),
			       lang ? lang : "");
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = case_id_of(store, number, &id);
	if (!err)
		err = wq_case_authorize(store, actor, id, WQ_CASE_READ);
	if (!err)
		err = issue_tx(store, actor, dirs, id, kind, lang, out);
	if (err) {
		wq_store_rollback(store);
		wq_issued_free(out);
		return err;
	}
	err = wq_store_commit(store);
	if (err)
		wq_issued_free(out);
	return err;
}
