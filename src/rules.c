#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/audit.h"
#include "weiquan/calendar.h"
#include "weiquan/clock.h"
#include "weiquan/group.h"
#include "weiquan/rules.h"
#include "weiquan/wqtime.h"
#include "case_internal.h"
#include "util.h"

#ifndef N_
#define N_(s) s
#endif

const char *const wq_statuses[] = {WQ_STATUS_LIST(WQ_STATUS_CODE) NULL};
const char *const wq_substates[] = {WQ_SUBSTATE_LIST(WQ_CODE) NULL};
const char *const wq_not_accept_reasons[] = {WQ_NOT_ACCEPT_LIST(WQ_CODE) NULL};
const char *const wq_end_reasons[] = {WQ_END_REASON_LIST(WQ_CODE) NULL};

static const char *const parties[] = {"complainant", "respondent", NULL};

static bool in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(*list, word) == 0)
			return true;
	return false;
}

static void join_list(char *out, size_t size, const char *const *list)
{
	size_t used = 0;

	out[0] = '\0';
	for (; *list && used < size; list++)
		used += (size_t)snprintf(out + used, size - used, "%s%s",
					 used ? ", " : "", *list);
}

enum wq_err wq_damages(const char *law, int64_t price_fen, int64_t loss_fen,
		       int64_t *damages_fen, char *citation, size_t size)
{
	int64_t d;

	/* A price or loss from before the amounts had a maximum would
	 * overflow the multiplications below. */
	if (price_fen < 0 || price_fen > WQ_AMOUNT_MAX_FEN || loss_fen < 0 ||
	    loss_fen > WQ_AMOUNT_MAX_FEN)
		return wq_fail(WQ_ERR_INVALID,
			       "damages are computed on amounts up to %" PRId64
			       " yuan",
			       WQ_AMOUNT_MAX_FEN / 100);
	if (strcmp(law, "crpl55") == 0) {
		d = price_fen * 3;
		if (d < 50000)
			d = 50000;
		snprintf(citation, size,
			 "《中华人民共和国消费者权益保护法》第五十五条：增加赔偿"
			 "为价款的三倍，不足五百元的为五百元 (Consumer Rights "
			 "Protection Law art. 55: 3x the price, at least 500 "
			 "CNY)");
	} else if (strcmp(law, "fsl148") == 0) {
		d = price_fen * 10;
		if (loss_fen * 3 > d)
			d = loss_fen * 3;
		if (d < 100000)
			d = 100000;
		snprintf(citation, size,
			 "《中华人民共和国食品安全法》第一百四十八条：价款十倍或"
			 "者损失三倍的赔偿金，不足一千元的为一千元 (Food Safety "
			 "Law art. 148: 10x the price or 3x the loss, at least "
			 "1,000 CNY)");
	} else {
		return wq_fail(WQ_ERR_INVALID,
			       "'%s' is not a damages rule (crpl55, fsl148)",
			       law);
	}
	*damages_fen = d;
	return WQ_ERR_OK;
}

/* ---- checks ---- */

/* What the role may do at all (the table); which cases the actor may
 * touch is wq_case_authorize's. */
static enum wq_err check_role(const struct wq_action *a,
			      const struct wq_user *actor)
{
	if (!(a->roles & WQ_ROLE_BIT(actor->role)))
		return wq_fail(WQ_ERR_DENIED, "a %s may not %s",
			       wq_role_name(actor->role), a->name);
	return WQ_ERR_OK;
}

static enum wq_err check_conflict(struct wq_store *store, const char *login,
				  const struct case_core *c)
{
	sqlite3_stmt *st;
	enum wq_err err;
	bool conflict = false;

	err = wq_store_prepare(store,
			       "SELECT 1 FROM conflicts WHERE login = ?1 AND"
			       " ((party = 'consumer' AND party_id = ?2) OR"
			       " (party = 'merchant' AND party_id = ?3))",
			       &st);
	if (err)
		return err;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, c->consumer_id);
	sqlite3_bind_int64(st, 3, c->merchant_id);
	conflict = sqlite3_step(st) == SQLITE_ROW;
	wq_store_finalize(store, st);
	if (conflict)
		return wq_fail(WQ_ERR_CONFLICT,
			       "%s declared a conflict of interest with a "
			       "party of case %s",
			       login, c->number);
	return WQ_ERR_OK;
}

static enum wq_err stale_detail(struct wq_store *store,
				const struct case_core *c, int64_t expected)
{
	sqlite3_stmt *st;
	char who[64] = "someone", at[32] = "";

	if (wq_store_prepare(store,
			     "SELECT actor, at FROM events WHERE case_id = ?1"
			     " ORDER BY id DESC LIMIT 1",
			     &st) == WQ_ERR_OK) {
		sqlite3_bind_int64(st, 1, c->id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(who, sizeof(who), "%s",
				 (const char *)sqlite3_column_text(st, 0));
			snprintf(at, sizeof(at), " at %s",
				 (const char *)sqlite3_column_text(st, 1));
		}
		wq_store_finalize(store, st);
	}
	return wq_fail(WQ_ERR_STALE,
		       "case %s was changed by %s%s (version %" PRId64
		       ", you had %" PRId64 "); reload it",
		       c->number, who, at, c->version, expected);
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n", *s))
			return false;
	return true;
}

/* The actor of the newest event `action` of the case since its newest
 * "submit" (or ever, for "submit" itself), "" when none. */
static enum wq_err review_actor(struct wq_store *store, int64_t case_id,
				const char *action, char out[64])
{
	sqlite3_stmt *st;
	enum wq_err err;

	out[0] = '\0';
	err = wq_store_prepare(
		store,
		"SELECT actor FROM events WHERE case_id = ?1 AND action = ?2"
		" AND id >= coalesce((SELECT max(id) FROM events WHERE"
		" case_id = ?1 AND action = 'submit'), 0)"
		" ORDER BY id DESC LIMIT 1",
		&st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, 64, "%s", wq_column_text(st, 0));
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

/* Two-level review, four eyes at each level: whoever sent the case to
 * review approves neither level, and the final reviewer is another
 * supervisor than the first. */
static enum wq_err check_reviewer(struct wq_store *store,
				  const struct wq_user *actor,
				  const struct case_core *c)
{
	char submitter[64], first[64];
	enum wq_err err;

	err = review_actor(store, c->id, "submit", submitter);
	if (!err && strcmp(submitter, actor->login) == 0)
		return wq_fail(WQ_ERR_DENIED,
			       "you sent case %s to review; another "
			       "supervisor approves it",
			       c->number);
	if (!err && strcmp(c->status, "final_review") == 0) {
		err = review_actor(store, c->id, "approve", first);
		if (!err && strcmp(first, actor->login) == 0)
			return wq_fail(WQ_ERR_DENIED,
				       "you approved the first review of case "
				       "%s; another supervisor does the final "
				       "review",
				       c->number);
	}
	return err;
}

/* ---- the ledger ---- */

static enum wq_err amount_arg(const char *text, const struct case_core *c,
			      int64_t *fen, char *citation, size_t size)
{
	citation[0] = '\0';
	if (strncmp(text, "crpl55", 6) == 0 && !text[6])
		return wq_damages("crpl55", c->amount_fen, 0, fen, citation,
				  size);
	if (strncmp(text, "fsl148", 6) == 0) {
		int64_t loss = 0;

		if (text[6] == ':' && !wq_amount_parse(text + 7, &loss))
			return wq_fail(WQ_ERR_INVALID,
				       "'%s': the loss after ':' is not an "
				       "amount in yuan",
				       text);
		if (text[6] && text[6] != ':')
			return wq_fail(WQ_ERR_INVALID,
				       "'%s' is not an amount", text);
		return wq_damages("fsl148", c->amount_fen, loss, fen,
				  citation, size);
	}
	if (!wq_amount_parse(text, fen))
		return wq_fail(WQ_ERR_INVALID,
			       "'%s' is not an amount in yuan (e.g. 1299.50)",
			       text);
	return WQ_ERR_OK;
}

static enum wq_err insert_offer(struct wq_store *store, const char *actor,
				const struct case_core *c, const char *party,
				const char *remedy, int64_t fen,
				const char *terms, int64_t answers,
				int64_t *offer_id, struct wq_buf *args)
{
	sqlite3_stmt *st;
	enum wq_err err;
	char at[21];

	if (!in_list(party, parties))
		return wq_fail(WQ_ERR_INVALID,
			       "'%s' is not a party (complainant, respondent)",
			       party);
	if (!wq_word_in(remedy, WQ_REMEDIES))
		return wq_fail(WQ_ERR_INVALID,
			       "'%s' is not a remedy (" WQ_REMEDIES ")",
			       remedy);
	wq_time_format(wq_now(), at);
	err = wq_store_prepare(store,
			       "INSERT INTO offers(case_id, party, recorded_by,"
			       " at, remedy, amount_fen, terms, answers)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			       &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_text(st, 2, party, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, remedy, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, fen);
	sqlite3_bind_text(st, 7, terms, -1, SQLITE_STATIC);
	if (answers)
		sqlite3_bind_int64(st, 8, answers);
	else
		sqlite3_bind_null(st, 8);
	if (sqlite3_step(st) != SQLITE_DONE)
		err = wq_store_error(store, "offer");
	wq_store_finalize(store, st);
	if (err)
		return err;
	*offer_id = sqlite3_last_insert_rowid(store->db);
	/* The row as audit verify compares it. */
	{
		char sha[65];

		wq_audit_sha256(terms, strlen(terms), sha);
		wq_buf_printf(args,
			      ",\"offered\":{\"id\":%" PRId64 ",\"party\":\"%s\","
			      "\"remedy\":\"%s\",\"amount_fen\":%" PRId64 ","
			      "\"terms_sha256\":\"%s\",\"answers\":",
			      *offer_id, party, remedy, fen, sha);
		if (answers)
			wq_buf_printf(args, "%" PRId64 "}", answers);
		else
			wq_buf_puts(args, "null}");
	}
	return WQ_ERR_OK;
}

struct offer_row {
	char party[16], remedy[16], state[16];
	int64_t amount_fen;
	char *terms;
};

static enum wq_err load_offer(struct wq_store *store,
			      const struct case_core *c, const char *id_text,
			      int64_t *id, struct offer_row *o)
{
	sqlite3_stmt *st;
	enum wq_err err;
	char *end;

	*id = strtoll(id_text, &end, 10);
	if (*end || *id <= 0)
		return wq_fail(WQ_ERR_INVALID, "'%s' is not an offer number",
			       id_text);
	err = wq_store_prepare(store,
			       "SELECT party, remedy, state, amount_fen, terms"
			       " FROM offers WHERE id = ?1 AND case_id = ?2",
			       &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, c->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(o->party, sizeof(o->party), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(o->remedy, sizeof(o->remedy), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		snprintf(o->state, sizeof(o->state), "%s",
			 (const char *)sqlite3_column_text(st, 2));
		o->amount_fen = sqlite3_column_int64(st, 3);
		o->terms = wq_strdup((const char *)sqlite3_column_text(st, 4));
	} else {
		err = wq_fail(WQ_ERR_NOT_FOUND,
			      "case %s has no offer %" PRId64, c->number, *id);
	}
	wq_store_finalize(store, st);
	if (!err && strcmp(o->state, "open") != 0) {
		err = wq_fail(WQ_ERR_BAD_STATUS, "offer %" PRId64 " is %s",
			      *id, o->state);
		free(o->terms);
	}
	return err;
}

static enum wq_err set_offer_state(struct wq_store *store, int64_t id,
				   const char *state)
{
	sqlite3_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "UPDATE offers SET state = ?2 WHERE id = ?1", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		err = wq_store_error(store, "offer");
	wq_store_finalize(store, st);
	return err;
}

static enum wq_err merchant_count(struct wq_store *store, int64_t merchant_id,
				  const char *column)
{
	char *sql = wq_asprintf("UPDATE merchants SET %s = %s + 1"
				" WHERE id = ?1",
				column, column);
	sqlite3_stmt *st;
	enum wq_err err = wq_store_prepare(store, sql, &st);

	free(sql);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, merchant_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		err = wq_store_error(store, "merchant record");
	wq_store_finalize(store, st);
	return err;
}

/* ---- applying a ruling ---- */

/* What a ruling's function is given.  The case `c` already carries the
 * row's target status; the function checks its arguments and the case,
 * writes what the ruling makes (offers, agreements, counts) and changes
 * the other fields of `c`.  Details for the audit event go to `args`. */
struct wq_ruling_ctx {
	struct wq_store *store;
	const struct wq_user *actor;
	const struct wq_action *a;
	const struct wq_ruling *r;
	const struct case_core *before;
	struct case_core *c;
	struct wq_ruling_result *res;
	struct wq_buf *args;
	/* The ruling ends a mediation under way without moving the case to
	 * mediation_ended (a withdrawal, a settlement): the clocks hear
	 * mediation_ended too, so the parties' notice is due. */
	bool ends_mediation;
};

static const char *arg(const struct wq_ruling_ctx *x, int i)
{
	return x->r->argc > i ? x->r->argv[i] : "";
}

/* The ruling's REASON checked against the row's codes. */
static enum wq_err reason_arg(const struct wq_ruling_ctx *x, const char *what)
{
	char list[256];

	if (in_list(arg(x, 0), x->a->reasons))
		return WQ_ERR_OK;
	join_list(list, sizeof(list), x->a->reasons);
	return wq_fail(WQ_ERR_INVALID, "'%s' is not %s (%s)", arg(x, 0), what,
		       list);
}

static enum wq_err rule_claim(struct wq_ruling_ctx *x)
{
	struct case_core *c = x->c;

	if (*c->assignee && strcmp(c->assignee, x->actor->login) != 0)
		return wq_fail(WQ_ERR_TAKEN, "case %s is already assigned to %s",
			       c->number, c->assignee);
	snprintf(c->assignee, sizeof(c->assignee), "%s", x->actor->login);
	return check_conflict(x->store, x->actor->login, c);
}

static enum wq_err rule_assign(struct wq_ruling_ctx *x)
{
	struct wq_user target;
	enum wq_err err = wq_user_lookup(x->store, arg(x, 0), &target);

	if (err)
		return err;
	if (target.role != WQ_ROLE_MEDIATOR &&
	    target.role != WQ_ROLE_SUPERVISOR)
		return wq_fail(WQ_ERR_INVALID, "%s is a %s, not a mediator",
			       arg(x, 0), wq_role_name(target.role));
	snprintf(x->c->assignee, sizeof(x->c->assignee), "%s", arg(x, 0));
	return check_conflict(x->store, arg(x, 0), x->c);
}

static enum wq_err rule_release(struct wq_ruling_ctx *x)
{
	x->c->assignee[0] = '\0';
	return WQ_ERR_OK;
}

/* A ruling that is its status change alone (and its note). */
static enum wq_err rule_move(struct wq_ruling_ctx *x)
{
	(void)x;
	return WQ_ERR_OK;
}

static enum wq_err rule_not_accept(struct wq_ruling_ctx *x)
{
	enum wq_err err = reason_arg(x, "a ground for not accepting");

	if (!err)
		snprintf(x->c->reason, sizeof(x->c->reason), "%s", arg(x, 0));
	return err;
}

static enum wq_err rule_transfer(struct wq_ruling_ctx *x)
{
	snprintf(x->c->reason, sizeof(x->c->reason), "transferred");
	return WQ_ERR_OK;
}

/* The merchant's own channel (12315 ODR practice, not a step of Order
 * No. 20) is the consumer's choice: how they made it joins the notes. */
static enum wq_err rule_odr(struct wq_ruling_ctx *x)
{
	if (blank(arg(x, 0)))
		return wq_fail(WQ_ERR_INVALID,
			       "sending %s to the merchant's channel needs "
			       "how the consumer chose it",
			       x->c->number);
	return wq_statement_add_tx(x->store, x->actor, x->c->id, "mediator",
				   arg(x, 0));
}

static enum wq_err rule_start(struct wq_ruling_ctx *x)
{
	snprintf(x->c->substate, sizeof(x->c->substate), "awaiting_merchant");
	return WQ_ERR_OK;
}

static enum wq_err rule_substate(struct wq_ruling_ctx *x)
{
	char list[256];

	if (!in_list(arg(x, 0), wq_substates)) {
		join_list(list, sizeof(list), wq_substates);
		return wq_fail(WQ_ERR_INVALID, "'%s' is not a sub-state (%s)",
			       arg(x, 0), list);
	}
	snprintf(x->c->substate, sizeof(x->c->substate), "%s", arg(x, 0));
	return WQ_ERR_OK;
}

static enum wq_err rule_statement(struct wq_ruling_ctx *x)
{
	if (!in_list(arg(x, 0), parties))
		return wq_fail(WQ_ERR_INVALID,
			       "'%s' is not a party (complainant, respondent)",
			       arg(x, 0));
	return wq_statement_add_tx(x->store, x->actor, x->c->id, arg(x, 0),
				   arg(x, 1));
}

static enum wq_err rule_note(struct wq_ruling_ctx *x)
{
	return wq_statement_add_tx(x->store, x->actor, x->c->id, "mediator",
				   arg(x, 0));
}

/* The terms of an offer: the typed ones, then the damages citation. */
static char *offer_terms(const struct wq_ruling_ctx *x, const char *citation)
{
	return wq_asprintf("%s%s%s", arg(x, 3),
			   x->r->argc > 3 && *citation ? " " : "", citation);
}

static enum wq_err rule_offer(struct wq_ruling_ctx *x)
{
	char citation[400], *terms;
	int64_t id = 0, fen;
	enum wq_err err;

	err = amount_arg(arg(x, 2), x->c, &fen, citation, sizeof(citation));
	if (err)
		return err;
	terms = offer_terms(x, citation);
	err = insert_offer(x->store, x->actor->login, x->c, arg(x, 0),
			   arg(x, 1), fen, terms, 0, &id, x->args);
	free(terms);
	if (err)
		return err;
	x->res->created_id = id;
	wq_buf_printf(x->args, ",\"offer\":%" PRId64 ",\"amount_fen\":%" PRId64,
		      id, fen);
	return WQ_ERR_OK;
}

static enum wq_err rule_counter(struct wq_ruling_ctx *x)
{
	struct offer_row o;
	char citation[400], *terms;
	int64_t id, new_id = 0, fen;
	enum wq_err err;

	err = load_offer(x->store, x->c, arg(x, 0), &id, &o);
	if (err)
		return err;
	free(o.terms);
	err = amount_arg(arg(x, 2), x->c, &fen, citation, sizeof(citation));
	if (!err)
		err = set_offer_state(x->store, id, "countered");
	if (err)
		return err;
	terms = offer_terms(x, citation);
	err = insert_offer(x->store, x->actor->login, x->c,
			   strcmp(o.party, "complainant") == 0 ? "respondent"
							       : "complainant",
			   arg(x, 1), fen, terms, id, &new_id, x->args);
	free(terms);
	x->res->created_id = new_id;
	wq_buf_printf(x->args, ",\"offer\":%" PRId64, new_id);
	return err;
}

static enum wq_err rule_agree(struct wq_ruling_ctx *x)
{
	const char *performer = arg(x, 1), *due_text = arg(x, 2);
	struct case_core *c = x->c;
	struct offer_row o;
	sqlite3_stmt *st;
	enum wq_err err;
	int64_t id;
	char at[21], *text;
	int due;

	if (!in_list(performer, parties))
		return wq_fail(WQ_ERR_INVALID,
			       "performer '%s' is not a party "
			       "(complainant, respondent)",
			       performer);
	if (!wq_date_parse(due_text, &due))
		return wq_fail(WQ_ERR_INVALID,
			       "'%s' is not a due date (YYYY-MM-DD)", due_text);
	err = load_offer(x->store, c, arg(x, 0), &id, &o);
	if (err)
		return err;
	text = wq_asprintf("%s%s%s", arg(x, 3),
			   x->r->argc > 3 && *o.terms ? " " : "", o.terms);
	free(o.terms);
	err = set_offer_state(x->store, id, "accepted");
	wq_time_format(wq_now(), at);
	if (!err)
		err = wq_store_prepare(
			x->store,
			"INSERT INTO agreements(case_id, offer_id,"
			" remedy, amount_fen, performer, perform_by,"
			" text, recorded_by, at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			&st);
	if (!err) {
		sqlite3_bind_int64(st, 1, c->id);
		sqlite3_bind_int64(st, 2, id);
		sqlite3_bind_text(st, 3, o.remedy, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, o.amount_fen);
		sqlite3_bind_text(st, 5, performer, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, due_text, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, text, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, x->actor->login, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, at, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			err = wq_store_error(x->store, "agreement");
		else
			x->res->created_id =
				sqlite3_last_insert_rowid(x->store->db);
		wq_store_finalize(x->store, st);
		wq_buf_printf(x->args, ",\"agreement\":%" PRId64,
			      x->res->created_id);
	}
	free(text);
	c->substate[0] = '\0';
	return err;
}

static enum wq_err rule_performed(struct wq_ruling_ctx *x)
{
	sqlite3_stmt *st;
	enum wq_err err;
	char at[21];

	wq_time_format(wq_now(), at);
	err = wq_store_prepare(x->store,
			       "UPDATE agreements SET performed_at = ?2"
			       " WHERE case_id = ?1 AND performed_at IS NULL",
			       &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, x->c->id);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		err = wq_store_error(x->store, "agreement");
	else if (sqlite3_changes(x->store->db) == 0)
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      "case %s has no agreement awaiting performance",
			      x->c->number);
	wq_store_finalize(x->store, st);
	if (!err)
		err = merchant_count(x->store, x->c->merchant_id, "settled");
	return err;
}

static enum wq_err rule_unperformed(struct wq_ruling_ctx *x)
{
	snprintf(x->c->reason, sizeof(x->c->reason), "unperformed");
	return merchant_count(x->store, x->c->merchant_id, "unperformed");
}

/* Order No. 20 art. 21 ends mediation when the complainant withdraws or
 * the parties settle, once the complaint is accepted: the ground is
 * recorded and the parties are told like after any other ground. */
static void end_accepted_mediation(struct wq_ruling_ctx *x, const char *ground)
{
	if (strcmp(x->before->status, "accepted") != 0 &&
	    strcmp(x->before->status, "in_mediation") != 0)
		return;
	snprintf(x->c->reason, sizeof(x->c->reason), "%s", ground);
	x->ends_mediation = true;
}

static enum wq_err rule_settle(struct wq_ruling_ctx *x)
{
	x->c->substate[0] = '\0';
	end_accepted_mediation(x, "settled");
	return merchant_count(x->store, x->c->merchant_id, "settled");
}

static enum wq_err rule_withdraw(struct wq_ruling_ctx *x)
{
	x->c->substate[0] = '\0';
	end_accepted_mediation(x, "withdrawn");
	return WQ_ERR_OK;
}

/* Whether the parties of a case withdrawn or settled in mediation are
 * still to be told that mediation ended: no notice since. */
static enum wq_err notice_owed(struct wq_store *store,
			       const struct case_core *c, bool *owed)
{
	sqlite3_stmt *st;
	enum wq_err err;

	*owed = false;
	/* end_accepted_mediation() recorded the outcome as the ground. */
	if ((strcmp(c->status, "withdrawn") != 0 &&
	     strcmp(c->status, "settled") != 0) ||
	    strcmp(c->status, c->reason) != 0)
		return WQ_ERR_OK;
	err = wq_store_prepare(
		store,
		"SELECT NOT EXISTS (SELECT 1 FROM events WHERE case_id = ?1"
		" AND action = 'notify' AND id > (SELECT max(id) FROM events"
		" WHERE case_id = ?1 AND action IN ('withdraw', 'settle')))",
		&st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, c->id);
	*owed = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

/* The notice to the parties: after mediation_ended it is a status of its
 * own; after a withdrawal or settlement in mediation the outcome stays and
 * the notice clock stops. */
static const char *notice_sent(const char *status, const char *review_from)
{
	(void)review_from;
	return strcmp(status, "mediation_ended") == 0 ? "termination_notice"
						      : status;
}

static enum wq_err rule_notify(struct wq_ruling_ctx *x)
{
	bool owed;
	enum wq_err err;

	if (strcmp(x->before->status, "mediation_ended") == 0)
		return WQ_ERR_OK;
	err = notice_owed(x->store, x->before, &owed);
	if (!err && !owed)
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      "case %s ended no mediation that the parties "
			      "are still to be told of",
			      x->c->number);
	return err;
}

static enum wq_err rule_end(struct wq_ruling_ctx *x)
{
	enum wq_err err = reason_arg(x, "a reason for ending mediation");

	if (err)
		return err;
	snprintf(x->c->reason, sizeof(x->c->reason), "%s", arg(x, 0));
	x->c->substate[0] = '\0';
	return merchant_count(x->store, x->c->merchant_id, "failed");
}

static enum wq_err rule_submit(struct wq_ruling_ctx *x)
{
	const struct case_core *before = x->before;
	bool owed;
	enum wq_err err = notice_owed(x->store, before, &owed);

	if (err)
		return err;
	if (owed)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       "the parties of %s are told that mediation "
			       "ended first (notify)",
			       x->c->number);

	if (strcmp(before->status, "performance_watch") == 0) {
		sqlite3_stmt *st;
		bool open;

		err = wq_store_prepare(x->store,
				       "SELECT 1 FROM agreements WHERE"
				       " case_id = ?1 AND performed_at IS NULL",
				       &st);
		if (err)
			return err;
		sqlite3_bind_int64(st, 1, x->c->id);
		open = sqlite3_step(st) == SQLITE_ROW;
		wq_store_finalize(x->store, st);
		if (open)
			return wq_fail(WQ_ERR_BAD_STATUS,
				       "the agreement of %s is not performed "
				       "yet",
				       x->c->number);
	}
	snprintf(x->c->review_from, sizeof(x->c->review_from), "%s",
		 before->status);
	return WQ_ERR_OK;
}

/* Approve goes to the next review stage. */
static const char *next_review(const char *status, const char *review_from)
{
	(void)review_from;
	return strcmp(status, "first_review") == 0 ? "final_review" : "closed";
}

/* Send-back and reopen return to the outcome that was under review. */
static const char *under_review(const char *status, const char *review_from)
{
	(void)status;
	return *review_from ? review_from : "received";
}

static enum wq_err rule_approve(struct wq_ruling_ctx *x)
{
	return check_reviewer(x->store, x->actor, x->before);
}

static enum wq_err rule_send_back(struct wq_ruling_ctx *x)
{
	if (blank(arg(x, 0)))
		return wq_fail(WQ_ERR_INVALID,
			       "sending %s back needs a comment saying what "
			       "to change",
			       x->c->number);
	x->c->review_from[0] = '\0';
	return WQ_ERR_OK;
}

static enum wq_err rule_reopen(struct wq_ruling_ctx *x)
{
	x->c->review_from[0] = '\0';
	return WQ_ERR_OK;
}

static enum wq_err rule_duplicate_of(struct wq_ruling_ctx *x)
{
	int64_t other;
	enum wq_err err = case_id_to_read(x->store, x->actor, arg(x, 0), &other);

	if (err)
		return err;
	if (other == x->c->id)
		return wq_fail(WQ_ERR_INVALID, "a case cannot duplicate itself");
	x->c->duplicate_of = other;
	x->c->flags |= WQ_FLAG(DUPLICATE);
	return WQ_ERR_OK;
}

static const char *const flag_names[] = {WQ_FLAG_LIST(WQ_FLAG_CODE) NULL};

static enum wq_err flag_arg(const struct wq_ruling_ctx *x, unsigned *f)
{
	char list[256];

	if (wq_flag_parse(arg(x, 0), f))
		return WQ_ERR_OK;
	join_list(list, sizeof(list), flag_names);
	return wq_fail(WQ_ERR_INVALID, "'%s' is not a flag (%s)", arg(x, 0),
		       list);
}

static enum wq_err rule_flag(struct wq_ruling_ctx *x)
{
	unsigned f;
	enum wq_err err = flag_arg(x, &f);

	if (!err)
		x->c->flags |= f;
	return err;
}

static enum wq_err rule_unflag(struct wq_ruling_ctx *x)
{
	unsigned f;
	enum wq_err err = flag_arg(x, &f);

	if (!err)
		x->c->flags &= ~f;
	return err;
}

/* A group is against one merchant: its members share the facts. */
static enum wq_err rule_join_group(struct wq_ruling_ctx *x)
{
	const char *label = arg(x, 0);
	struct case_core *c = x->c;
	sqlite3_stmt *st;
	enum wq_err err;
	int64_t group_id, merchant_id = -1;

	if (!wq_group_parse_id(label, &group_id))
		return wq_fail(WQ_ERR_INVALID,
			       "'%s' is not a collective group (G12)", label);
	if (c->group_id == group_id)
		return wq_fail(WQ_ERR_EXISTS, "case %s is already in G%" PRId64,
			       c->number, group_id);
	if (c->group_id)
		return wq_fail(WQ_ERR_INVALID,
			       "case %s is in G%" PRId64 "; it leaves that "
			       "group first",
			       c->number, c->group_id);
	err = wq_store_prepare(x->store,
			       "SELECT coalesce(merchant_id, 0) FROM case_groups"
			       " WHERE id = ?1",
			       &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, group_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		merchant_id = sqlite3_column_int64(st, 0);
	wq_store_finalize(x->store, st);
	if (merchant_id < 0)
		return wq_fail(WQ_ERR_NOT_FOUND,
			       "no collective group G%" PRId64, group_id);
	if (merchant_id && merchant_id != c->merchant_id)
		return wq_fail(WQ_ERR_INVALID,
			       "case %s is against another merchant than "
			       "G%" PRId64,
			       c->number, group_id);
	c->group_id = group_id;
	c->flags |= WQ_FLAG(COLLECTIVE);
	return WQ_ERR_OK;
}

static enum wq_err rule_leave_group(struct wq_ruling_ctx *x)
{
	if (!x->c->group_id)
		return wq_fail(WQ_ERR_INVALID,
			       "case %s is in no collective group",
			       x->c->number);
	x->c->group_id = 0;
	x->c->flags &= ~WQ_FLAG(COLLECTIVE);
	return WQ_ERR_OK;
}

static enum wq_err rule_report(struct wq_ruling_ctx *x)
{
	if (strcmp(x->c->report, "checking") == 0)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       "case %s already has a report under check",
			       x->c->number);
	snprintf(x->c->report, sizeof(x->c->report), "checking");
	x->c->flags |= WQ_FLAG(REPORT);
	return WQ_ERR_OK;
}

static enum wq_err rule_report_done(struct wq_ruling_ctx *x)
{
	if (strcmp(x->c->report, "checking") != 0)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       "case %s has no report under check",
			       x->c->number);
	/* The result itself is kept whole as a note (ruling_note). */
	snprintf(x->c->report, sizeof(x->c->report), "done");
	return WQ_ERR_OK;
}

/* ---- the IP-notice track (E-Commerce Law arts. 42-45) ---- */

static const char *const ip_measures[] = {WQ_IP_MEASURE_LIST(WQ_CODE) NULL};
static const char *const ip_reject_reasons[] = {
	WQ_IP_REJECT_LIST(WQ_CODE) NULL};
static const char *const ip_findings[] = {WQ_FLAG_LIST(WQ_FINDING_CODE) NULL};

/* Days the rights holder has, after the merchant's declaration reaches
 * them, to show that they complained to an authority or sued (art. 43);
 * calendar days, the day of arrival not counted. */
#define IP_ACTION_DAYS 15

/* The measure taken is what the case records as its reason. */
static enum wq_err rule_measures(struct wq_ruling_ctx *x)
{
	enum wq_err err = reason_arg(x, "a necessary measure");

	if (!err)
		snprintf(x->c->reason, sizeof(x->c->reason), "%s", arg(x, 0));
	return err;
}

static enum wq_err rule_reject_notice(struct wq_ruling_ctx *x)
{
	enum wq_err err = reason_arg(x, "a reason for not acting on a notice");

	if (!err)
		snprintf(x->c->reason, sizeof(x->c->reason), "%s", arg(x, 0));
	return err;
}

/* The measures end only once the rights holder's days have passed.  The
 * declaration is taken to reach the rights holder on the day it was
 * forwarded (platforms forward electronically). */
static enum wq_err rule_end_measures(struct wq_ruling_ctx *x)
{
	sqlite3_stmt *st;
	enum wq_err err;
	time_t forwarded = 0;
	int last_day;
	char iso[11];

	err = wq_store_prepare(x->store,
			       "SELECT at FROM events WHERE case_id = ?1 AND"
			       " action = 'forward-declaration'"
			       " ORDER BY id DESC LIMIT 1",
			       &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, x->c->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		wq_time_parse(wq_column_text(st, 0), &forwarded);
	wq_store_finalize(x->store, st);
	if (!forwarded)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       "case %s has no forwarded declaration",
			       x->c->number);
	last_day = wq_local_day(forwarded) + IP_ACTION_DAYS;
	if (wq_local_day(wq_now()) <= last_day) {
		wq_date_format(last_day, iso);
		return wq_fail(WQ_ERR_BAD_STATUS,
			       "the rights holder of %s has until %s to show "
			       "a complaint or lawsuit (E-Commerce Law art. "
			       "43: %d days after the declaration reached "
			       "them)",
			       x->c->number, iso, IP_ACTION_DAYS);
	}
	return WQ_ERR_OK;
}

static enum wq_err rule_mark_wrongful(struct wq_ruling_ctx *x)
{
	unsigned f;
	enum wq_err err = reason_arg(x, "a finding on a notice");

	if (!err)
		err = flag_arg(x, &f);
	if (!err)
		x->c->flags |= f;
	return err;
}

/* ---- the ruling tables ---- */

#define D WQ_ROLE_BIT(WQ_ROLE_DESK)
#define M WQ_ROLE_BIT(WQ_ROLE_MEDIATOR)
#define S WQ_ROLE_BIT(WQ_ROLE_SUPERVISOR)

/* ROW(name, args, min, max, roles, op, from, to, function, help): the
 * fields every row has; the others follow it by name.  op is what
 * wq_case_authorize is asked (CHANGE, CLAIM or GROUP).  The name is
 * marked NC_("action", ...) for the console's translated label. */
#define ROW(n, ar, lo, hi, ro, o, fr, t, fn, h)                               \
	.name = n, .args = ar, .min_args = lo, .max_args = hi, .roles = ro,   \
	.op = WQ_CASE_##o, .from = fr, .to = t, .apply = fn, .help = h

/* The rulings every track has, given the track's open statuses and the
 * outcomes it sends to review. */
#define CLAIM_ROW(open)                                                        \
	{ROW(NC_("action", "claim"), "", 0, 0, M | S, CLAIM, open, NULL, rule_claim,          \
	     N_("Take an unassigned case"))}
#define ASSIGN_ROW(open)                                                       \
	{ROW(NC_("action", "assign"), "LOGIN", 1, 1, S, CHANGE, open, NULL, rule_assign,      \
	     N_("Assign the case to a mediator"))}
#define RELEASE_ROW(open)                                                      \
	{ROW(NC_("action", "release"), "", 0, 0, M | S, CHANGE, open, NULL, rule_release,     \
	     N_("Give the case back to the unassigned pool"))}
#define STATEMENT_ROW(open)                                                    \
	{ROW(NC_("action", "statement"), "PARTY TEXT", 2, 2, D | M | S, CHANGE, open, NULL,   \
	     rule_statement, N_("Record a party's statement"))}
#define SUBMIT_ROW(outcomes)                                                   \
	{ROW(NC_("action", "submit"), "[NOTE]", 0, 1, M | S, CHANGE, outcomes,                \
	     "first_review", rule_submit,                                      \
	     N_("Send the outcome to first review"))}
#define REVIEW_ROWS                                                            \
	{ROW(NC_("action", "approve"), "[NOTE]", 0, 1, S, CHANGE,                             \
	     "first_review final_review", NULL, rule_approve,                  \
	     N_("Approve this review stage")),                                 \
	 .target = next_review},                                               \
	{ROW(NC_("action", "send-back"), "COMMENT", 1, 1, S, CHANGE,                          \
	     "first_review final_review", NULL, rule_send_back,                \
	     N_("Send back from review with a comment")),                      \
	 .target = under_review, .last_is_note = true},                        \
	{ROW(NC_("action", "reopen"), "REASON", 1, 1, S, CHANGE, "closed", NULL, rule_reopen, \
	     N_("Reopen a closed case")),                                      \
	 .target = under_review, .last_is_note = true}
#define DUPLICATE_ROW(open)                                                    \
	{ROW(NC_("action", "duplicate-of"), "NUMBER", 1, 1, M | S, CHANGE, open, NULL,        \
	     rule_duplicate_of, N_("Mark as a duplicate of another case"))}
#define FLAG_ROWS(open)                                                        \
	{ROW(NC_("action", "flag"), "FLAG", 1, 1, M | S, CHANGE, open " closed", NULL,        \
	     rule_flag,                                                        \
	     N_("Set a flag (a possibly malicious case is for a human "        \
		"reviewer, never a rejection)"))},                               \
	{ROW(NC_("action", "unflag"), "FLAG", 1, 1, M | S, CHANGE, open " closed", NULL,      \
	     rule_unflag, N_("Clear a flag"))}
#define NOTE_ROW(open)                                                         \
	{ROW(NC_("action", "note"), "TEXT", 1, 1, D | M | S, CHANGE, open " closed", NULL,    \
	     rule_note, N_("Add a note to the case"))}

/* The consumer-complaint track (SAMR Order No. 20, DOMAIN.md). */
#define OPEN WQ_STATUSES(open)
const struct wq_action wq_actions[] = {
	CLAIM_ROW(OPEN),
	ASSIGN_ROW(OPEN),
	RELEASE_ROW(OPEN),
	{ROW(NC_("action", "need-info"), "[NOTE]", 0, 1, M | S, CHANGE, "received", "need_info",
	     rule_move, N_("Ask the complainant for missing materials"))},
	{ROW(NC_("action", "info-received"), "[NOTE]", 0, 1, D | M | S, CHANGE, "need_info",
	     "received", rule_move,
	     N_("Materials complete: back to received (the acceptance "
		"clock runs on unless the regime stops it for missing "
		"materials)"))},
	{ROW(NC_("action", "screen"), "[NOTE]", 0, 1, M | S, CHANGE, "received", "screened",
	     rule_move, N_("Screened: ready for the acceptance decision"))},
	{ROW(NC_("action", "accept"), "[NOTE]", 0, 1, M | S, CHANGE, "screened", "accepted",
	     rule_move, N_("Accept the complaint for mediation"))},
	{ROW(NC_("action", "not-accept"), "REASON [NOTE]", 1, 2, M | S, CHANGE,
	     "received need_info screened", "not_accepted", rule_not_accept,
	     N_("Do not accept, citing the ground")),
	 .reasons = wq_not_accept_reasons},
	{ROW(NC_("action", "transfer"), "BODY [NOTE]", 1, 2, M | S, CHANGE,
	     "received need_info screened", "transferred", rule_transfer,
	     N_("Transfer to the competent body"))},
	{ROW(NC_("action", "odr"), "CHOICE [NOTE]", 1, 2, M | S, CHANGE, "received screened",
	     "odr", rule_odr,
	     N_("Send to the merchant's own dispute channel (12315 ODR), as "
		"the consumer chose: say how they chose it"))},
	{ROW(NC_("action", "odr-settled"), "[NOTE]", 0, 1, M | S, CHANGE, "odr", "settled",
	     rule_settle, N_("The merchant's channel settled it"))},
	{ROW(NC_("action", "odr-failed"), "[NOTE]", 0, 1, M | S, CHANGE, "odr", "received",
	     rule_move,
	     N_("The merchant's channel failed: back to received"))},
	{ROW(NC_("action", "start"), "[NOTE]", 0, 1, M | S, CHANGE, "accepted", "in_mediation",
	     rule_start, N_("Start mediation"))},
	{ROW(NC_("action", "substate"), "SUBSTATE", 1, 1, M | S, CHANGE, "in_mediation", NULL,
	     rule_substate,
	     N_("Set the mediation sub-state (testing pauses the clock)"))},
	STATEMENT_ROW(OPEN),
	{ROW(NC_("action", "offer"), "PARTY REMEDY AMOUNT [TERMS]", 3, 4, M | S, CHANGE,
	     "accepted in_mediation", NULL, rule_offer,
	     N_("Record an offer (AMOUNT in yuan, or crpl55 / fsl148[:LOSS] "
		"for statutory damages)"))},
	{ROW(NC_("action", "counter"), "OFFER REMEDY AMOUNT [TERMS]", 3, 4, M | S, CHANGE,
	     "accepted in_mediation", NULL, rule_counter,
	     N_("Record the other party's counter-offer"))},
	{ROW(NC_("action", "agree"), "OFFER PERFORMER DUE [TEXT]", 3, 4, M | S, CHANGE,
	     "in_mediation", "agreement", rule_agree,
	     N_("Agreement reached on an offer: who performs, by when"))},
	{ROW(NC_("action", "watch"), "[NOTE]", 0, 1, M | S, CHANGE, "agreement",
	     "performance_watch", rule_move,
	     N_("Watch the agreement's performance"))},
	{ROW(NC_("action", "performed"), "[NOTE]", 0, 1, M | S, CHANGE, "performance_watch",
	     NULL, rule_performed, N_("The agreement was performed"))},
	{ROW(NC_("action", "unperformed"), "[NOTE]", 0, 1, M | S, CHANGE, "performance_watch",
	     "unperformed", rule_unperformed,
	     N_("The agreement was not performed (no ground for ending "
		"mediation): recorded, then to review; the consumer may seek "
		"arbitration or sue"))},
	{ROW(NC_("action", "settle"), "[NOTE]", 0, 1, M | S, CHANGE, "accepted in_mediation",
	     "settled", rule_settle,
	     N_("The parties settled between themselves"))},
	{ROW(NC_("action", "withdraw"), "[NOTE]", 0, 1, D | M | S, CHANGE,
	     "received need_info screened accepted odr in_mediation",
	     "withdrawn", rule_withdraw, N_("The complainant withdrew"))},
	{ROW(NC_("action", "end"), "REASON [NOTE]", 1, 2, M | S, CHANGE,
	     "accepted in_mediation", "mediation_ended", rule_end,
	     N_("End mediation, citing the reason")),
	 .reasons = wq_end_reasons},
	{ROW(NC_("action", "notify"), "[NOTE]", 0, 1, M | S, CHANGE,
	     "mediation_ended withdrawn settled", NULL, rule_notify,
	     N_("Termination notice sent to the parties")),
	 .target = notice_sent, .clock_event = "termination_notice"},
	SUBMIT_ROW(WQ_STATUSES(submit)),
	REVIEW_ROWS,
	DUPLICATE_ROW(OPEN),
	FLAG_ROWS(OPEN),
	{ROW(NC_("action", "report"), "[NOTE]", 0, 1, D | M | S, CHANGE, OPEN, NULL,
	     rule_report,
	     N_("Open the linked report (illegal conduct) track")),
	 .clock_event = "report"},
	{ROW(NC_("action", "report-done"), "RESULT", 1, 1, M | S, CHANGE, OPEN " closed", NULL,
	     rule_report_done,
	     N_("Close the report check with its result")),
	 .clock_event = "report-done", .last_is_note = true},
	NOTE_ROW(OPEN),
	{ROW(NC_("action", "join-group"), "GROUP", 1, 1, D | M | S, GROUP, OPEN, NULL,
	     rule_join_group,
	     N_("Join a collective group (G12) against the same merchant"))},
	{ROW(NC_("action", "leave-group"), "", 0, 0, D | M | S, GROUP, OPEN, NULL,
	     rule_leave_group, N_("Leave the collective group"))},
};
#undef OPEN

const int wq_action_count = (int)(sizeof(wq_actions) / sizeof(wq_actions[0]));

/* The IP-notice track (E-Commerce Law arts. 42-45), worked by a
 * platform's dispute team: the rights holder's notice, the measures and
 * its forwarding to the merchant, the merchant's declaration forwarded to
 * the rights holder, then the measures stay or end. */
#define OPEN WQ_IP_STATUSES(open)
static const struct wq_action ip_actions[] = {
	CLAIM_ROW(OPEN),
	ASSIGN_ROW(OPEN),
	RELEASE_ROW(OPEN),
	{ROW(NC_("action", "measures"), "MEASURE [NOTE]", 1, 2, M | S, CHANGE,
	     "notice_received", "measures_taken", rule_measures,
	     N_("Take the necessary measure on the notice and forward it to "
		"the merchant (E-Commerce Law art. 42)")),
	 .reasons = ip_measures},
	{ROW(NC_("action", "reject-notice"), "REASON [NOTE]", 1, 2, M | S, CHANGE,
	     "notice_received", "notice_rejected", rule_reject_notice,
	     N_("Do not act on the notice, citing why (art. 42 asks for "
		"preliminary evidence)")),
	 .reasons = ip_reject_reasons},
	{ROW(NC_("action", "declaration"), "[NOTE]", 0, 1, M | S, CHANGE, "measures_taken",
	     "declared", rule_move,
	     N_("The merchant declared it does not infringe, with "
		"preliminary evidence (art. 43)"))},
	{ROW(NC_("action", "forward-declaration"), "[NOTE]", 0, 1, M | S, CHANGE, "declared",
	     "declaration_forwarded", rule_move,
	     N_("Forward the declaration to the rights holder, who has 15 "
		"days to show a complaint or lawsuit (art. 43)"))},
	{ROW(NC_("action", "action-filed"), "[NOTE]", 0, 1, M | S, CHANGE,
	     "declaration_forwarded", "measures_kept", rule_move,
	     N_("The rights holder showed a complaint or lawsuit in time: "
		"the measures stay"))},
	{ROW(NC_("action", "end-measures"), "[NOTE]", 0, 1, M | S, CHANGE,
	     "declaration_forwarded", "measures_ended", rule_end_measures,
	     N_("15 days passed without a complaint or lawsuit: end the "
		"measures (art. 43)"))},
	{ROW(NC_("action", "publish"), "[NOTE]", 0, 1, M | S, CHANGE, OPEN " closed", NULL,
	     rule_move,
	     N_("Published the notice, declaration or result (art. 44)"))},
	{ROW(NC_("action", "mark-wrongful"), "FLAG [NOTE]", 1, 2, M | S, CHANGE,
	     OPEN " closed", NULL, rule_mark_wrongful,
	     N_("The notice was found wrongful, or malicious (art. 42)")),
	 .reasons = ip_findings},
	STATEMENT_ROW(OPEN),
	SUBMIT_ROW(WQ_IP_STATUSES(submit)),
	REVIEW_ROWS,
	DUPLICATE_ROW(OPEN),
	FLAG_ROWS(OPEN),
	NOTE_ROW(OPEN),
};
#undef OPEN

#undef CLAIM_ROW
#undef ASSIGN_ROW
#undef RELEASE_ROW
#undef STATEMENT_ROW
#undef SUBMIT_ROW
#undef REVIEW_ROWS
#undef DUPLICATE_ROW
#undef FLAG_ROWS
#undef NOTE_ROW
#undef ROW
#undef D
#undef M
#undef S

/* ---- the tracks ---- */

static const char *const ip_statuses[] = {
	WQ_IP_STATUS_LIST(WQ_STATUS_CODE) WQ_REVIEW_STATUS_LIST(WQ_STATUS_CODE)
	NULL};

#define TABLE(t) t, (int)(sizeof(t) / sizeof(t[0]))
const struct wq_track wq_tracks[] = {
	{"complaint", wq_statuses, TABLE(wq_actions)},
	{"ip", ip_statuses, TABLE(ip_actions)},
	/* Cross-region diversion runs the complaint procedure until its own
	 * table lands (issue 10): DOMAIN.md gives it its own statuses. */
	{"diversion", wq_statuses, TABLE(wq_actions)},
};
#undef TABLE

const int wq_track_count = (int)(sizeof(wq_tracks) / sizeof(wq_tracks[0]));

const struct wq_track *wq_track_of(const char *type)
{
	for (int i = 0; i < wq_track_count; i++)
		if (strcmp(wq_tracks[i].type, type) == 0)
			return &wq_tracks[i];
	return NULL;
}

const struct wq_track *wq_track_for(const char *type, const char *status)
{
	const struct wq_track *t = wq_track_of(type);

	/* A case keeps the procedure it started under: an IP notice
	 * registered before its track existed goes on as a complaint. */
	if (t && !in_list(status, t->statuses))
		t = wq_track_of("complaint");
	return t;
}

const struct wq_action *wq_track_action(const struct wq_track *t,
					const char *name)
{
	for (int i = 0; t && i < t->action_count; i++)
		if (strcmp(t->actions[i].name, name) == 0)
			return &t->actions[i];
	return NULL;
}

const struct wq_action *wq_action_find(const char *name)
{
	const struct wq_action *a = NULL;

	for (int i = 0; !a && i < wq_track_count; i++)
		a = wq_track_action(&wq_tracks[i], name);
	return a;
}

bool wq_action_applies(const struct wq_action *a, enum wq_role role,
		       const char *status)
{
	return (a->roles & WQ_ROLE_BIT(role)) && wq_word_in(status, a->from);
}

/* The free text a ruling carries (its [NOTE], a reviewer's COMMENT, a
 * report check's RESULT, the reason for reopening) joins the case's notes,
 * so it is read and searched with the rest. */
static const char *ruling_note(const struct wq_action *a,
			       const struct wq_ruling *r)
{
	size_t n = strlen(a->args);
	bool last_is_note = a->last_is_note ||
			    (n >= 6 && strcmp(a->args + n - 6, "[NOTE]") == 0);

	if (!last_is_note || r->argc != a->max_args || r->argc == 0)
		return NULL;
	return *r->argv[r->argc - 1] ? r->argv[r->argc - 1] : NULL;
}

static char *args_json(struct wq_store *store, const struct wq_ruling *r)
{
	struct wq_buf b = {0};

	wq_buf_puts(&b, "{\"argv\":[");
	for (int i = 0; i < r->argc; i++) {
		char *q = case_json_quote(store, r->argv[i]);

		wq_buf_printf(&b, "%s%s", i ? "," : "", q);
		free(q);
	}
	wq_buf_puts(&b, "]");
	return b.data;
}

enum wq_err wq_rule_tx(struct wq_store *store, const struct wq_user *actor,
		       int64_t case_id, const struct wq_ruling *r,
		       struct wq_ruling_result *res)
{
	const struct wq_action *a = wq_action_find(r->action);
	const struct wq_track *track;
	struct case_core before, c;
	struct wq_ruling_result local;
	struct wq_ruling_ctx ctx;
	struct wq_clock_outcome outcome;
	struct wq_buf args = {0};
	enum wq_err err;
	char *aj, *clocks = NULL;
	const char *clock_event;
	int64_t last_statement;

	if (!res)
		res = &local;
	memset(res, 0, sizeof(*res));
	if (!a)
		return wq_fail(WQ_ERR_INVALID,
			       "'%s' is not an action; see 'weiquan rule "
			       "--list'",
			       r->action);
	if (r->argc < a->min_args || r->argc > a->max_args)
		return wq_fail(WQ_ERR_INVALID, "usage: %s %s", a->name,
			       a->args);
	for (int i = 0; i < r->argc; i++)
		if (!r->argv[i])
			return wq_fail(WQ_ERR_INVALID, "usage: %s %s",
				       a->name, a->args);

	err = case_core_load(store, case_id, &before);
	if (err)
		return err;
	track = wq_track_for(before.type, before.status);
	if (!track || !(a = wq_track_action(track, r->action))) {
		err = wq_fail(WQ_ERR_INVALID,
			      "'%s' is not a ruling of case %s (%s)",
			      r->action, before.number, before.type);
		case_core_free(&before);
		return err;
	}
	if (r->argc < a->min_args || r->argc > a->max_args) {
		case_core_free(&before);
		return wq_fail(WQ_ERR_INVALID, "usage: %s %s", a->name,
			       a->args);
	}
	/* Who may before anything about the case is told (a stale
	 * version names who changed it). */
	err = check_role(a, actor);
	if (!err)
		err = wq_case_authorize(store, actor, case_id, a->op);
	if (!err && r->expect_version && r->expect_version != before.version)
		err = stale_detail(store, &before, r->expect_version);
	if (!err && !wq_word_in(before.status, a->from))
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      "case %s is %s; '%s' applies to: %s",
			      before.number, before.status, a->name,
			      a->from + strspn(a->from, " "));
	if (err) {
		case_core_free(&before);
		return err;
	}

	c = before;
	c.clocks = wq_strdup(before.clocks ? before.clocks : "{}");
	if (a->target)
		snprintf(c.status, sizeof(c.status), "%s",
			 a->target(before.status, before.review_from));
	else if (a->to)
		snprintf(c.status, sizeof(c.status), "%s", a->to);
	aj = args_json(store, r);
	wq_buf_puts(&args, aj);
	free(aj);
	last_statement = case_last_statement(store, c.id);
	ctx = (struct wq_ruling_ctx){.store = store, .actor = actor, .a = a,
				     .r = r, .before = &before, .c = &c,
				     .res = res, .args = &args};
	err = a->apply(&ctx);
	if (!err && ruling_note(a, r))
		err = wq_statement_add_tx(store, actor, c.id, "mediator",
					  ruling_note(a, r));
	if (err)
		goto out;
	/* What audit verify compares the statements with. */
	aj = case_statements_since(store, c.id, last_statement);
	if (aj)
		wq_buf_printf(&args, ",\"statements\":%s", aj);
	free(aj);
	wq_buf_puts(&args, "}");

	clock_event = strcmp(c.status, before.status) != 0 ? c.status
							    : a->clock_event;
	err = wq_clock_step(store, c.regime, c.clocks, clock_event,
			    before.substate, c.substate, wq_local_day(wq_now()), &clocks,
			    &outcome);
	if (err)
		goto out;
	free(c.clocks);
	c.clocks = clocks;
	if (ctx.ends_mediation) {
		err = wq_clock_step(store, c.regime, c.clocks,
				    "mediation_ended",
				    c.substate, c.substate,
				    wq_local_day(wq_now()), &clocks, &outcome);
		if (err)
			goto out;
		free(c.clocks);
		c.clocks = clocks;
	}
	snprintf(c.clock, sizeof(c.clock), "%s", outcome.clock);
	snprintf(c.due_on, sizeof(c.due_on), "%s", outcome.due_on);

	err = case_core_save(store, actor->login, &before, &c, a->name,
			     args.data, &res->event_id);
	if (err == WQ_ERR_STALE)
		err = stale_detail(store, &before, before.version);
	if (!err) {
		res->version = c.version;
		snprintf(res->status, sizeof(res->status), "%s", c.status);
		snprintf(res->due_on, sizeof(res->due_on), "%s", c.due_on);
		res->due_uncertain = outcome.uncertain;
	}
out:
	wq_buf_free(&args);
	case_core_free(&c);
	case_core_free(&before);
	return err;
}

enum wq_err wq_rule(struct wq_store *store, const struct wq_user *actor,
		    const char *number, const struct wq_ruling *ruling,
		    struct wq_ruling_result *result)
{
	enum wq_err err;
	int64_t id;

	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_case_id_by_number(store, number, &id);
	if (!err)
		err = wq_rule_tx(store, actor, id, ruling, result);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

enum wq_err wq_conflict_declare(struct wq_store *store,
				const struct wq_user *actor,
				const char *number, const char *party,
				const char *reason)
{
	struct case_core c;
	struct wq_buf details = {0};
	sqlite3_stmt *st;
	enum wq_err err;
	int64_t case_id, party_id;
	char at[21];

	if (actor->role != WQ_ROLE_MEDIATOR &&
	    actor->role != WQ_ROLE_SUPERVISOR)
		return wq_fail(WQ_ERR_DENIED,
			       "only mediators and supervisors declare "
			       "conflicts of interest");
	if (strcmp(party, "consumer") != 0 && strcmp(party, "merchant") != 0)
		return wq_fail(WQ_ERR_INVALID,
			       "party: '%s' is not consumer or merchant", party);
	if (!reason || !*reason)
		return wq_fail(WQ_ERR_INVALID,
			       "reason: say why there is a conflict");
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = case_id_to_read(store, actor, number, &case_id);
	if (!err)
		err = case_core_load(store, case_id, &c);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	party_id = strcmp(party, "consumer") == 0 ? c.consumer_id
						  : c.merchant_id;
	wq_time_format(wq_now(), at);
	err = wq_store_prepare(store,
			       "INSERT INTO conflicts(login, party, party_id,"
			       " reason, at) VALUES (?1, ?2, ?3, ?4, ?5)"
			       " ON CONFLICT(login, party, party_id) DO UPDATE"
			       " SET reason = ?4, at = ?5",
			       &st);
	if (!err) {
		sqlite3_bind_text(st, 1, actor->login, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, party, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, party_id);
		sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			err = wq_store_error(store, "conflict");
		wq_store_finalize(store, st);
	}
	if (!err && strcmp(c.assignee, actor->login) == 0) {
		/* Whoever recuses gives the case back at once. */
		struct case_core after = c;

		after.clocks = wq_strdup(c.clocks ? c.clocks : "{}");
		after.assignee[0] = '\0';
		err = case_core_save(store, actor->login, &c, &after, "release",
				     "{\"argv\":[],\"recused\":true}", NULL);
		free(after.clocks);
	}
	if (!err) {
		wq_buf_printf(&details, "{\"party\":\"%s\",\"party_id\":%" PRId64
				",\"reason\":",
			      party, party_id);
		wq_buf_json_string(&details, reason);
		wq_buf_puts(&details, "}");
		err = wq_audit_append(store, actor->login, case_id, "recuse",
				      details.data, NULL);
		wq_buf_free(&details);
	}
	case_core_free(&c);
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}
