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

const char *const wq_statuses[] = {
	"received", "need_info", "screened", "accepted", "not_accepted",
	"transferred", "odr", "in_mediation", "agreement",
	"performance_watch", "settled", "withdrawn", "mediation_ended",
	"termination_notice", "first_review", "final_review", "closed", NULL,
};

const char *const wq_substates[] = {
	"awaiting_consumer", "awaiting_merchant", "session_scheduled",
	"testing", NULL,
};

/* Grounds for not accepting (DOMAIN.md). */
const char *const wq_not_accept_reasons[] = {
	"outside-remit", "already-handled", "not-consumption", "time-barred",
	"materials-missing", "false-identity", "other", NULL,
};

/* Reasons for ending mediation (DOMAIN.md). */
const char *const wq_end_reasons[] = {
	"party-absent", "no-testing-agreement", "agreement-impossible",
	"ground-found", "clock-expired", "unperformed", "other", NULL,
};

static const char *const parties[] = {"complainant", "respondent", NULL};

#define D WQ_ROLE_BIT(WQ_ROLE_DESK)
#define M WQ_ROLE_BIT(WQ_ROLE_MEDIATOR)
#define S WQ_ROLE_BIT(WQ_ROLE_SUPERVISOR)

/* Statuses in which the case is being worked (not in review, not closed). */
#define WORKING "received need_info screened accepted odr in_mediation " \
		"agreement performance_watch mediation_ended"
#define OUTCOMES "not_accepted transferred settled withdrawn " \
		 "termination_notice performance_watch"
#define ANY_OPEN WORKING " not_accepted transferred settled withdrawn " \
		 "termination_notice first_review final_review"

const struct wq_action wq_actions[] = {
	{"claim", "", N_("Take an unassigned case"), M | S, ANY_OPEN, NULL, 0, 0},
	{"assign", "LOGIN", N_("Assign the case to a mediator"), S, ANY_OPEN, NULL, 1, 1},
	{"release", "", N_("Give the case back to the unassigned pool"), M | S, ANY_OPEN, NULL, 0, 0},
	{"need-info", "[NOTE]", N_("Ask the complainant for missing materials"), M | S, "received", "need_info", 0, 1},
	{"info-received", "[NOTE]", N_("Materials complete: back to received (restarts the acceptance clock)"), D | M | S, "need_info", "received", 0, 1},
	{"screen", "[NOTE]", N_("Screened: ready for the acceptance decision"), M | S, "received", "screened", 0, 1},
	{"accept", "[NOTE]", N_("Accept the complaint for mediation"), M | S, "screened", "accepted", 0, 1},
	{"not-accept", "REASON [NOTE]", N_("Do not accept, citing the ground"), M | S, "received need_info screened", "not_accepted", 1, 2},
	{"transfer", "BODY [NOTE]", N_("Transfer to the competent body"), M | S, "received need_info screened", "transferred", 1, 2},
	{"odr", "[NOTE]", N_("Send to the merchant's own dispute channel (ODR)"), M | S, "received screened", "odr", 0, 1},
	{"odr-settled", "[NOTE]", N_("The merchant's channel settled it"), M | S, "odr", "settled", 0, 1},
	{"odr-failed", "[NOTE]", N_("The merchant's channel failed: back to received"), M | S, "odr", "received", 0, 1},
	{"start", "[NOTE]", N_("Start mediation"), M | S, "accepted", "in_mediation", 0, 1},
	{"substate", "SUBSTATE", N_("Set the mediation sub-state (testing pauses the clock)"), M | S, "in_mediation", NULL, 1, 1},
	{"statement", "PARTY TEXT", N_("Record a party's statement"), D | M | S, ANY_OPEN, NULL, 2, 2},
	{"offer", "PARTY REMEDY AMOUNT [TERMS]", N_("Record an offer (AMOUNT in yuan, or crpl55 / fsl148[:LOSS] for statutory damages)"), M | S, "accepted in_mediation", NULL, 3, 4},
	{"counter", "OFFER REMEDY AMOUNT [TERMS]", N_("Record the other party's counter-offer"), M | S, "accepted in_mediation", NULL, 3, 4},
	{"agree", "OFFER PERFORMER DUE [TEXT]", N_("Agreement reached on an offer: who performs, by when"), M | S, "in_mediation", "agreement", 3, 4},
	{"watch", "[NOTE]", N_("Watch the agreement's performance"), M | S, "agreement", "performance_watch", 0, 1},
	{"performed", "[NOTE]", N_("The agreement was performed"), M | S, "performance_watch", NULL, 0, 1},
	{"unperformed", "[NOTE]", N_("The agreement was not performed: mediation ends"), M | S, "performance_watch", "mediation_ended", 0, 1},
	{"settle", "[NOTE]", N_("The parties settled between themselves"), M | S, "accepted in_mediation", "settled", 0, 1},
	{"withdraw", "[NOTE]", N_("The complainant withdrew"), D | M | S, "received need_info screened accepted odr in_mediation", "withdrawn", 0, 1},
	{"end", "REASON [NOTE]", N_("End mediation, citing the reason"), M | S, "accepted in_mediation", "mediation_ended", 1, 2},
	{"notify", "[NOTE]", N_("Termination notice sent to the parties"), M | S, "mediation_ended", "termination_notice", 0, 1},
	{"submit", "[NOTE]", N_("Send the outcome to first review"), M | S, OUTCOMES, "first_review", 0, 1},
	{"approve", "[NOTE]", N_("Approve this review stage"), S, "first_review final_review", NULL, 0, 1},
	{"send-back", "COMMENT", N_("Send back from review with a comment"), S, "first_review final_review", NULL, 1, 1},
	{"reopen", "REASON", N_("Reopen a closed case"), S, "closed", NULL, 1, 1},
	{"duplicate-of", "NUMBER", N_("Mark as a duplicate of another case"), M | S, ANY_OPEN, NULL, 1, 1},
	{"flag", "FLAG", N_("Set a flag (possibly-malicious is for a human reviewer, never a rejection)"), M | S, ANY_OPEN " closed", NULL, 1, 1},
	{"unflag", "FLAG", N_("Clear a flag"), M | S, ANY_OPEN " closed", NULL, 1, 1},
	{"report", "[NOTE]", N_("Open the linked report (illegal conduct) track"), D | M | S, ANY_OPEN, NULL, 0, 1},
	{"report-done", "RESULT", N_("Close the report check with its result"), M | S, ANY_OPEN " closed", NULL, 1, 1},
	{"note", "TEXT", N_("Add a note to the case"), D | M | S, ANY_OPEN " closed", NULL, 1, 1},
	{"join-group", "GROUP", N_("Join a collective group (G12) against the same merchant"), D | M | S, ANY_OPEN, NULL, 1, 1},
	{"leave-group", "", N_("Leave the collective group"), D | M | S, ANY_OPEN, NULL, 0, 0},
};

const int wq_action_count = (int)(sizeof(wq_actions) / sizeof(wq_actions[0]));

#undef D
#undef M
#undef S

const struct wq_action *wq_action_find(const char *name)
{
	for (int i = 0; i < wq_action_count; i++)
		if (strcmp(wq_actions[i].name, name) == 0)
			return &wq_actions[i];
	return NULL;
}

bool wq_action_applies(const struct wq_action *a, enum wq_role role,
		       const char *status)
{
	return (a->roles & WQ_ROLE_BIT(role)) && wq_word_in(status, a->from);
}

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
	if (actor->role == WQ_ROLE_DESK && strcmp(a->name, "note") != 0 &&
	    strcmp(a->name, "statement") != 0 &&
	    strcmp(a->name, "withdraw") != 0 &&
	    strcmp(a->name, "info-received") != 0 &&
	    strcmp(a->name, "report") != 0 &&
	    strcmp(a->name, "join-group") != 0 &&
	    strcmp(a->name, "leave-group") != 0)
		return wq_fail(WQ_ERR_DENIED, "a desk may not %s", a->name);
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

static enum wq_case_op case_op_of(const struct wq_action *a)
{
	if (strcmp(a->name, "claim") == 0)
		return WQ_CASE_CLAIM;
	if (strcmp(a->name, "join-group") == 0 ||
	    strcmp(a->name, "leave-group") == 0)
		return WQ_CASE_GROUP;
	return WQ_CASE_CHANGE;
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

/* A group is against one merchant: its members share the facts. */
static enum wq_err join_group(struct wq_store *store, const char *label,
			      struct case_core *c)
{
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
	err = wq_store_prepare(store,
			       "SELECT coalesce(merchant_id, 0) FROM case_groups"
			       " WHERE id = ?1",
			       &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, group_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		merchant_id = sqlite3_column_int64(st, 0);
	wq_store_finalize(store, st);
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

static enum wq_err apply(struct wq_store *store, const struct wq_user *actor,
			 const struct wq_action *a, const struct wq_ruling *r,
			 const struct case_core *before, struct case_core *c,
			 struct wq_ruling_result *res, struct wq_buf *args)
{
	const char *arg0 = r->argc > 0 ? r->argv[0] : "";
	char list[256], citation[400];
	enum wq_err err = WQ_ERR_OK;
	int64_t id = 0, fen;

	if (strcmp(a->name, "claim") == 0) {
		if (*c->assignee && strcmp(c->assignee, actor->login) != 0)
			return wq_fail(WQ_ERR_TAKEN,
				       "case %s is already assigned to %s",
				       c->number, c->assignee);
		err = check_conflict(store, actor->login, c);
		snprintf(c->assignee, sizeof(c->assignee), "%s", actor->login);
	} else if (strcmp(a->name, "assign") == 0) {
		struct wq_user target;

		err = wq_user_lookup(store, arg0, &target);
		if (err)
			return err;
		if (target.role != WQ_ROLE_MEDIATOR &&
		    target.role != WQ_ROLE_SUPERVISOR)
			return wq_fail(WQ_ERR_INVALID,
				       "%s is a %s, not a mediator", arg0,
				       wq_role_name(target.role));
		err = check_conflict(store, arg0, c);
		snprintf(c->assignee, sizeof(c->assignee), "%s", arg0);
	} else if (strcmp(a->name, "release") == 0) {
		c->assignee[0] = '\0';
	} else if (strcmp(a->name, "not-accept") == 0) {
		if (!in_list(arg0, wq_not_accept_reasons)) {
			join_list(list, sizeof(list), wq_not_accept_reasons);
			return wq_fail(WQ_ERR_INVALID,
				       "'%s' is not a ground for not "
				       "accepting (%s)",
				       arg0, list);
		}
		snprintf(c->reason, sizeof(c->reason), "%s", arg0);
	} else if (strcmp(a->name, "transfer") == 0) {
		snprintf(c->reason, sizeof(c->reason), "transferred");
	} else if (strcmp(a->name, "start") == 0) {
		snprintf(c->substate, sizeof(c->substate), "awaiting_merchant");
	} else if (strcmp(a->name, "substate") == 0) {
		if (!in_list(arg0, wq_substates)) {
			join_list(list, sizeof(list), wq_substates);
			return wq_fail(WQ_ERR_INVALID,
				       "'%s' is not a sub-state (%s)", arg0,
				       list);
		}
		snprintf(c->substate, sizeof(c->substate), "%s", arg0);
	} else if (strcmp(a->name, "statement") == 0) {
		if (!in_list(arg0, parties))
			return wq_fail(WQ_ERR_INVALID,
				       "'%s' is not a party (complainant, "
				       "respondent)",
				       arg0);
		err = wq_statement_add_tx(store, actor, c->id, arg0,
					  r->argv[1]);
	} else if (strcmp(a->name, "note") == 0) {
		err = wq_statement_add_tx(store, actor, c->id, "mediator",
					  arg0);
	} else if (strcmp(a->name, "offer") == 0) {
		err = amount_arg(r->argv[2], c, &fen, citation,
				 sizeof(citation));
		if (err)
			return err;
		char *terms = wq_asprintf(
			"%s%s%s", r->argc > 3 ? r->argv[3] : "",
			r->argc > 3 && *citation ? " " : "", citation);

		err = insert_offer(store, actor->login, c, arg0, r->argv[1],
				   fen, terms, 0, &id, args);
		free(terms);
		if (err)
			return err;
		res->created_id = id;
		wq_buf_printf(args, ",\"offer\":%" PRId64 ",\"amount_fen\":%" PRId64,
			      id, fen);
	} else if (strcmp(a->name, "counter") == 0) {
		struct offer_row o;

		err = load_offer(store, c, arg0, &id, &o);
		if (err)
			return err;
		free(o.terms);
		err = amount_arg(r->argv[2], c, &fen, citation,
				 sizeof(citation));
		if (!err)
			err = set_offer_state(store, id, "countered");
		if (!err) {
			char *terms = wq_asprintf(
				"%s%s%s", r->argc > 3 ? r->argv[3] : "",
				r->argc > 3 && *citation ? " " : "", citation);
			int64_t new_id = 0;

			err = insert_offer(store, actor->login, c,
					   strcmp(o.party, "complainant") == 0
						   ? "respondent"
						   : "complainant",
					   r->argv[1], fen, terms, id, &new_id,
					   args);
			free(terms);
			res->created_id = new_id;
			wq_buf_printf(args, ",\"offer\":%" PRId64, new_id);
		}
	} else if (strcmp(a->name, "agree") == 0) {
		struct offer_row o;
		int due;
		sqlite3_stmt *st;
		char at[21];

		if (!in_list(r->argv[1], parties))
			return wq_fail(WQ_ERR_INVALID,
				       "performer '%s' is not a party "
				       "(complainant, respondent)",
				       r->argv[1]);
		if (!wq_date_parse(r->argv[2], &due))
			return wq_fail(WQ_ERR_INVALID,
				       "'%s' is not a due date (YYYY-MM-DD)",
				       r->argv[2]);
		err = load_offer(store, c, arg0, &id, &o);
		if (err)
			return err;
		char *text = wq_asprintf(
			"%s%s%s", r->argc > 3 ? r->argv[3] : "",
			r->argc > 3 && *o.terms ? " " : "", o.terms);

		free(o.terms);
		err = set_offer_state(store, id, "accepted");
		wq_time_format(wq_now(), at);
		if (!err)
			err = wq_store_prepare(
				store,
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
			sqlite3_bind_text(st, 5, r->argv[1], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 6, r->argv[2], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 7, text, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 8, actor->login, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(st, 9, at, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				err = wq_store_error(store, "agreement");
			else
				res->created_id =
					sqlite3_last_insert_rowid(store->db);
			wq_store_finalize(store, st);
			wq_buf_printf(args, ",\"agreement\":%" PRId64,
				      res->created_id);
		}
		free(text);
		c->substate[0] = '\0';
	} else if (strcmp(a->name, "performed") == 0) {
		sqlite3_stmt *st;
		char at[21];

		wq_time_format(wq_now(), at);
		err = wq_store_prepare(store,
				       "UPDATE agreements SET performed_at = ?2"
				       " WHERE case_id = ?1 AND"
				       " performed_at IS NULL",
				       &st);
		if (err)
			return err;
		sqlite3_bind_int64(st, 1, c->id);
		sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			err = wq_store_error(store, "agreement");
		else if (sqlite3_changes(store->db) == 0)
			err = wq_fail(WQ_ERR_BAD_STATUS,
				      "case %s has no agreement awaiting "
				      "performance",
				      c->number);
		wq_store_finalize(store, st);
		if (!err)
			err = merchant_count(store, c->merchant_id, "settled");
	} else if (strcmp(a->name, "unperformed") == 0) {
		snprintf(c->reason, sizeof(c->reason), "unperformed");
		err = merchant_count(store, c->merchant_id, "unperformed");
	} else if (strcmp(a->name, "settle") == 0 ||
		   strcmp(a->name, "odr-settled") == 0) {
		c->substate[0] = '\0';
		err = merchant_count(store, c->merchant_id, "settled");
	} else if (strcmp(a->name, "withdraw") == 0) {
		c->substate[0] = '\0';
	} else if (strcmp(a->name, "end") == 0) {
		if (!in_list(arg0, wq_end_reasons)) {
			join_list(list, sizeof(list), wq_end_reasons);
			return wq_fail(WQ_ERR_INVALID,
				       "'%s' is not a reason for ending "
				       "mediation (%s)",
				       arg0, list);
		}
		snprintf(c->reason, sizeof(c->reason), "%s", arg0);
		c->substate[0] = '\0';
		err = merchant_count(store, c->merchant_id, "failed");
	} else if (strcmp(a->name, "submit") == 0) {
		if (strcmp(before->status, "performance_watch") == 0) {
			sqlite3_stmt *st;
			bool open = false;

			err = wq_store_prepare(store,
					       "SELECT 1 FROM agreements WHERE"
					       " case_id = ?1 AND performed_at"
					       " IS NULL",
					       &st);
			if (err)
				return err;
			sqlite3_bind_int64(st, 1, c->id);
			open = sqlite3_step(st) == SQLITE_ROW;
			wq_store_finalize(store, st);
			if (open)
				return wq_fail(WQ_ERR_BAD_STATUS,
					       "the agreement of %s is not "
					       "performed yet",
					       c->number);
		}
		snprintf(c->review_from, sizeof(c->review_from), "%s",
			 before->status);
	} else if (strcmp(a->name, "approve") == 0) {
		snprintf(c->status, sizeof(c->status), "%s",
			 strcmp(before->status, "first_review") == 0
				 ? "final_review"
				 : "closed");
	} else if (strcmp(a->name, "send-back") == 0 ||
		   strcmp(a->name, "reopen") == 0) {
		snprintf(c->status, sizeof(c->status), "%s",
			 *c->review_from ? c->review_from : "received");
		c->review_from[0] = '\0';
	} else if (strcmp(a->name, "duplicate-of") == 0) {
		int64_t other;

		err = case_id_to_read(store, actor, arg0, &other);
		if (err)
			return err;
		if (other == c->id)
			return wq_fail(WQ_ERR_INVALID,
				       "a case cannot duplicate itself");
		c->duplicate_of = other;
		c->flags |= WQ_FLAG(DUPLICATE);
	} else if (strcmp(a->name, "flag") == 0 ||
		   strcmp(a->name, "unflag") == 0) {
		unsigned f;

		if (!wq_flag_parse(arg0, &f))
			return wq_fail(WQ_ERR_INVALID,
				       "'%s' is not a flag (possibly-malicious, "
				       "duplicate, collective, ip-related, "
				       "cross-region-diversion, report)",
				       arg0);
		if (a->name[0] == 'f')
			c->flags |= f;
		else
			c->flags &= ~f;
	} else if (strcmp(a->name, "join-group") == 0) {
		err = join_group(store, arg0, c);
	} else if (strcmp(a->name, "leave-group") == 0) {
		if (!c->group_id)
			return wq_fail(WQ_ERR_INVALID,
				       "case %s is in no collective group",
				       c->number);
		c->group_id = 0;
		c->flags &= ~WQ_FLAG(COLLECTIVE);
	} else if (strcmp(a->name, "report") == 0) {
		if (*c->report && strcmp(c->report, "checking") == 0)
			return wq_fail(WQ_ERR_BAD_STATUS,
				       "case %s already has a report under "
				       "check",
				       c->number);
		snprintf(c->report, sizeof(c->report), "checking");
		c->flags |= WQ_FLAG(REPORT);
	} else if (strcmp(a->name, "report-done") == 0) {
		if (strcmp(c->report, "checking") != 0)
			return wq_fail(WQ_ERR_BAD_STATUS,
				       "case %s has no report under check",
				       c->number);
		/* The result itself is kept whole as a note (ruling_note). */
		snprintf(c->report, sizeof(c->report), "done");
	}
	return err;
}

/* The free text a ruling carries (its [NOTE], a reviewer's COMMENT, a
 * report check's RESULT, the reason for reopening) joins the case's notes,
 * so it is read and searched with the rest. */
static const char *ruling_note(const struct wq_action *a,
			       const struct wq_ruling *r)
{
	size_t n = strlen(a->args);
	bool last_is_note =
		(n >= 6 && strcmp(a->args + n - 6, "[NOTE]") == 0) ||
		(n >= 7 && strcmp(a->args + n - 7, "COMMENT") == 0) ||
		(n >= 6 && strcmp(a->args + n - 6, "RESULT") == 0) ||
		strcmp(a->name, "reopen") == 0;

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
	struct case_core before, c;
	struct wq_ruling_result local;
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
	/* Who may before anything about the case is told (a stale
	 * version names who changed it). */
	err = check_role(a, actor);
	if (!err)
		err = wq_case_authorize(store, actor, case_id, case_op_of(a));
	if (!err && r->expect_version && r->expect_version != before.version)
		err = stale_detail(store, &before, r->expect_version);
	if (!err && !wq_word_in(before.status, a->from))
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      "case %s is %s; '%s' applies to: %s",
			      before.number, before.status, a->name, a->from);
	if (!err && strcmp(a->name, "approve") == 0)
		err = check_reviewer(store, actor, &before);
	if (!err && strcmp(a->name, "send-back") == 0 && blank(r->argv[0]))
		err = wq_fail(WQ_ERR_INVALID,
			      "sending %s back needs a comment saying what "
			      "to change",
			      before.number);
	if (err) {
		case_core_free(&before);
		return err;
	}

	c = before;
	c.clocks = wq_strdup(before.clocks ? before.clocks : "{}");
	if (a->to)
		snprintf(c.status, sizeof(c.status), "%s", a->to);
	aj = args_json(store, r);
	wq_buf_puts(&args, aj);
	free(aj);
	last_statement = case_last_statement(store, c.id);
	err = apply(store, actor, a, r, &before, &c, res, &args);
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
		      : strcmp(a->name, "report") == 0        ? "report"
		      : strcmp(a->name, "report-done") == 0   ? "report-done"
							      : NULL;
	err = wq_clock_step(store, c.clocks, clock_event, before.substate,
			    c.substate, wq_local_day(wq_now()), &clocks,
			    &outcome);
	if (err)
		goto out;
	free(c.clocks);
	c.clocks = clocks;
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
