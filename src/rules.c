#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/audit.h"
#include "weiquan/calendar.h"
#include "weiquan/clock.h"
#include "weiquan/diversion.h"
#include "weiquan/group.h"
#include "weiquan/rules.h"
#include "weiquan/wqtime.h"
#include "case_internal.h"
#include "json_text.h"
#include "util.h"

#ifndef N_
#define N_(s) s
#endif

const char *const wq_statuses[] = {WQ_STATUS_LIST(WQ_STATUS_CODE) NULL};
const char *const wq_substates[] = {WQ_SUBSTATE_LIST(WQ_CODE) NULL};
const char *const wq_not_accept_reasons[] = {
	WQ_NOT_ACCEPT_LIST(WQ_CODE) WQ_NOT_ACCEPT_121_LIST(WQ_CODE) NULL};
const char *const wq_end_reasons[] = {WQ_END_REASON_LIST(WQ_CODE) NULL};
const char *const wq_follow_up_outcomes[] = {WQ_FOLLOW_UP_LIST(WQ_CODE) NULL};
const char *const wq_seat_grounds[] = {WQ_SEAT_GROUND_LIST(WQ_CODE) NULL};
const char *const wq_required_fields[] = {WQ_REQUIRED_FIELD_LIST(WQ_CODE) NULL};

static const char *const parties[] = {"complainant", "respondent", NULL};

static bool in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(*list, word) == 0)
			return true;
	return false;
}

static bool blank_text(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n", *s))
			return false;
	return true;
}

static void join_list(char *out, size_t size, const char *const *list)
{
	size_t used = 0;

	out[0] = '\0';
	for (; *list && used < size; list++)
		used += (size_t)snprintf(out + used, size - used, "%s%s",
					 used ? ", " : "", *list);
}

/* Statutory damages as data: each rule with its condition, its figure and
 * its provisos, each part with what it rests on.  Only what DOMAIN.md
 * records as read in the statute ([law]) is verified: art. 55's fraud
 * condition and figure, art. 148's figure.  Every other part is quoted
 * from secondary sources and carries the mark wherever the citation goes
 * (offers, agreements, documents), never shown as law. */
#define UNVERIFIED_MARK "〔未经与官方文本核对〕"

enum damages_goods { GOODS_ANY, GOODS_FOOD, GOODS_MEDICINE };

struct damages_part {
	const char *text;
	bool verified;
};

struct damages_rule {
	const char *name;
	enum damages_goods goods;
	int price_times, loss_times;
	bool loss_required;  /* counted on the loss alone */
	bool ceiling;        /* the figure is the most that may be asked */
	int64_t floor_fen;
	const char *law;
	struct damages_part condition, figure, proviso;
	const char *summary; /* the same in English, for the log and CLI */
};

static const struct damages_rule damages_rules[] = {
	{"crpl55", GOODS_ANY, 3, 0, false, false, 50000,
	 "《中华人民共和国消费者权益保护法》第五十五条",
	 {"经营者提供商品或者服务有欺诈行为的", true},
	 {"应当按照消费者的要求增加赔偿其受到的损失，增加赔偿的金额为消费者"
	  "购买商品的价款或者接受服务的费用的三倍；增加赔偿的金额不足五百元"
	  "的，为五百元",
	  true},
	 {"法律另有规定的，依照其规定", false},
	 "Consumer Rights Protection Law art. 55(1): where the merchant "
	 "committed fraud, 3x the price, at least 500 CNY [DOMAIN.md: law]; "
	 "unless the law provides otherwise [unverified]"},
	{"crpl55-2", GOODS_ANY, 0, 2, true, true, 0,
	 "《中华人民共和国消费者权益保护法》第五十五条第二款",
	 {"经营者明知商品或者服务存在缺陷，仍然向消费者提供，造成消费者或者"
	  "其他受害人死亡或者健康严重损害的",
	  false},
	 {"受害人有权要求经营者依照本法第四十九条、第五十一条等法律规定赔偿"
	  "损失，并有权要求所受损失二倍以下的惩罚性赔偿",
	  false},
	 {"", true},
	 "Consumer Rights Protection Law art. 55(2): where the merchant "
	 "knowingly supplied defective goods or services causing death or "
	 "serious damage to health, punitive damages of up to twice the "
	 "losses [unverified]"},
	{"fsl148", GOODS_FOOD, 10, 3, false, false, 100000,
	 "《中华人民共和国食品安全法》第一百四十八条",
	 {"生产不符合食品安全标准的食品或者经营明知是不符合食品安全标准的"
	  "食品",
	  false},
	 {"消费者除要求赔偿损失外，还可以向生产者或者经营者要求支付价款十倍"
	  "或者损失三倍的赔偿金；增加赔偿的金额不足一千元的，为一千元",
	  true},
	 {"但是，食品的标签、说明书存在不影响食品安全且不会对消费者造成误导"
	  "的瑕疵的除外",
	  false},
	 "Food Safety Law art. 148: food only: food not meeting food-safety "
	 "standards [unverified], 10x the price or 3x the loss, at least "
	 "1,000 CNY [DOMAIN.md: law]; not for label or leaflet defects that "
	 "neither affect safety nor mislead [unverified]"},
	{"dal144", GOODS_MEDICINE, 10, 3, false, false, 100000,
	 "《中华人民共和国药品管理法》第一百四十四条第三款",
	 {"生产假药、劣药或者明知是假药、劣药仍然销售、使用的", false},
	 {"受害人或者其近亲属除请求赔偿损失外，还可以请求支付价款十倍或者"
	  "损失三倍的赔偿金；增加赔偿的金额不足一千元的，为一千元",
	  false},
	 {"", true},
	 "Drug Administration Law art. 144(3): medicines only: counterfeit or "
	 "substandard medicines, 10x the price or 3x the loss, at least 1,000 "
	 "CNY [unverified]"},
};
#define DAMAGES_RULES_NAMES "crpl55, crpl55-2, fsl148, dal144"

static const struct damages_rule *damages_rule(const char *name)
{
	for (size_t i = 0; i < sizeof(damages_rules) / sizeof(damages_rules[0]);
	     i++)
		if (strcmp(damages_rules[i].name, name) == 0)
			return &damages_rules[i];
	return NULL;
}

bool wq_damages_arg(const char *text, const char **problem)
{
	size_t len = strcspn(text, ":");
	const struct damages_rule *r = NULL;
	char name[16];
	int64_t loss;

	*problem = NULL;
	if (len < sizeof(name)) {
		memcpy(name, text, len);
		name[len] = '\0';
		r = damages_rule(name);
	}
	if (!r)
		return false;
	if (text[len] == ':' && !r->loss_times)
		*problem = N_("this rule counts the price only, not a loss");
	else if (text[len] == ':' && !wq_amount_parse(text + len + 1, &loss))
		*problem = N_("the loss after ':' is not an amount in yuan");
	else if (text[len] != ':' && r->loss_required)
		*problem = N_("this rule is counted on the losses: give "
			      "RULE:LOSS");
	return true;
}

static void cite_part(struct wq_buf *b, const struct damages_part *p,
		      const char *after)
{
	if (!*p->text)
		return;
	wq_buf_printf(b, "%s%s%s", p->text, p->verified ? "" : UNVERIFIED_MARK,
		      after);
}

enum wq_err wq_damages(const char *law, int64_t price_fen, int64_t loss_fen,
		       int64_t *damages_fen, char *citation, size_t size)
{
	const struct damages_rule *r = damages_rule(law);
	struct wq_buf b = {0};
	int64_t d = 0;

	if (!r)
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not a damages rule (%s)"), law,
			       DAMAGES_RULES_NAMES);
	/* A price or loss from before the amounts had a maximum would
	 * overflow the multiplications below. */
	if (price_fen < 0 || price_fen > WQ_AMOUNT_MAX_FEN ||
	    loss_fen < WQ_DAMAGES_NO_LOSS || loss_fen > WQ_AMOUNT_MAX_FEN)
		return wq_fail(WQ_ERR_INVALID,
			       N_("damages are computed on amounts up to %" PRId64
			       " yuan"),
			       WQ_AMOUNT_MAX_FEN / 100);
	/* A loss the rule does not count would be silently dropped: the
	 * party would think it was. */
	if (loss_fen != WQ_DAMAGES_NO_LOSS && !r->loss_times)
		return wq_fail(WQ_ERR_INVALID,
			       N_("%s counts the price only, not a loss: %s"),
			       r->name, r->summary);
	if (loss_fen == WQ_DAMAGES_NO_LOSS && r->loss_required)
		return wq_fail(WQ_ERR_INVALID,
			       N_("%s is counted on the losses: give them"),
			       r->name);
	if (loss_fen == WQ_DAMAGES_NO_LOSS)
		loss_fen = 0;
	d = price_fen * r->price_times;
	if (loss_fen * r->loss_times > d)
		d = loss_fen * r->loss_times;
	if (d < r->floor_fen)
		d = r->floor_fen;

	wq_buf_printf(&b, "%s：", r->law);
	cite_part(&b, &r->condition, "，");
	cite_part(&b, &r->figure, *r->proviso.text ? "；" : "。");
	cite_part(&b, &r->proviso, "。");
	wq_buf_printf(&b, "%s (%s)", r->ceiling ? "（上限）" : "", r->summary);
	snprintf(citation, size, "%s", b.data);
	wq_buf_free(&b);
	*damages_fen = d;
	return WQ_ERR_OK;
}

bool wq_damages_ceiling(const char *law)
{
	const struct damages_rule *r = damages_rule(law);

	return r && r->ceiling;
}

/* A rule for food or medicines offered on a case whose complaint is about
 * no goods at all (delivery, payment, service, personal data) or that is
 * no consumer complaint is refused: the Food Safety and Drug
 * Administration Laws' damages are for those goods alone. */
static enum wq_err damages_fit_case(struct wq_store *store,
				    const struct case_core *c,
				    const struct damages_rule *r)
{
	struct wq_stmt *st;
	enum wq_err err;
	bool goods = true;

	if (r->goods == GOODS_ANY)
		return WQ_ERR_OK;
	err = wq_store_prepare(store,
			       "SELECT category IN ('delivery', 'payment',"
			       " 'service', 'privacy', 'diversion') OR type <>"
			       " 'complaint' FROM cases WHERE id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, c->id);
	if (wq_step(st) == WQ_ROW)
		goods = !wq_column_int(st, 0);
	wq_store_finalize(store, st);
	if (!goods)
		return wq_fail(WQ_ERR_INVALID,
			       r->goods == GOODS_FOOD
				       ? N_("%s is for food only, and case %s "
					    "is not about goods: %s")
				       : N_("%s is for medicines only, and case "
					    "%s is not about goods: %s"),
			       r->name, c->number, r->summary);
	return WQ_ERR_OK;
}

/* ---- grounds by regime ---- */

static const struct {
	const char *code;
	bool order20, order121;
} ground_regimes[] = {
#define X(code, o20, o121) {code, o20, o121},
	WQ_GROUND_REGIME_LIST(X)
#undef X
};

/* Whether code is a ground under regime: the orders' own lists for their
 * regimes, every code for any other. */
static bool ground_of_regime(const char *code, const char *regime)
{
	bool is20 = regime && strcmp(regime, "samr-order-20") == 0;
	bool is121 = regime && strcmp(regime, "samr-order-121") == 0;

	if (!is20 && !is121)
		return true;
	for (size_t i = 0; i < sizeof(ground_regimes) / sizeof(ground_regimes[0]);
	     i++)
		if (strcmp(ground_regimes[i].code, code) == 0)
			return is20 ? ground_regimes[i].order20
				    : ground_regimes[i].order121;
	return true;
}

int wq_action_reasons(const struct wq_action *a, const char *regime,
		      const char **out, int size)
{
	int n = 0;
	bool by_regime = a->reasons == wq_not_accept_reasons ||
			 a->reasons == wq_end_reasons;

	/* "other" last: the catch-all after the named grounds. */
	for (int pass = 0; pass < 2 && a->reasons; pass++)
		for (const char *const *r = a->reasons; *r && n + 1 < size;
		     r++)
			if ((strcmp(*r, "other") == 0) == (pass == 1) &&
			    (!by_regime || ground_of_regime(*r, regime)))
				out[n++] = *r;
	if (size > 0)
		out[n] = NULL;
	return n;
}

/* ---- checks ---- */

/* What the role may do at all (the table); which cases the actor may
 * touch is wq_case_authorize's. */
static enum wq_err check_role(const struct wq_action *a,
			      const struct wq_user *actor)
{
	if (!(a->roles & WQ_ROLE_BIT(actor->role)))
		/* TRANSLATORS: role, ruling: "a mediator may not approve" */
		return wq_fail(WQ_ERR_DENIED, N_("a %s may not %s"),
			       wq_code_label("role", wq_role_name(actor->role)),
			       wq_code_label("action", a->name));
	return WQ_ERR_OK;
}

static enum wq_err check_conflict(struct wq_store *store, const char *login,
				  const struct case_core *c)
{
	struct wq_stmt *st;
	enum wq_err err;
	bool conflict = false;

	err = wq_store_prepare(store,
			       "SELECT 1 FROM conflicts WHERE login = ?1 AND"
			       " ((party = 'consumer' AND party_id = ?2) OR"
			       " (party = 'merchant' AND party_id = ?3))",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, login);
	wq_bind_int64(st, 2, c->consumer_id);
	wq_bind_int64(st, 3, c->merchant_id);
	conflict = wq_step(st) == WQ_ROW;
	wq_store_finalize(store, st);
	if (conflict)
		return wq_fail(WQ_ERR_CONFLICT,
			       N_("%s declared a conflict of interest with a "
			       "party of case %s"),
			       login, c->number);
	return WQ_ERR_OK;
}

static enum wq_err stale_detail(struct wq_store *store,
				const struct case_core *c, int64_t expected)
{
	struct wq_stmt *st;
	char who[64], at[32] = "";

	snprintf(who, sizeof(who), "%s", wq_text(N_("someone")));
	if (wq_store_prepare(store,
			     "SELECT actor, at FROM events WHERE case_id = ?1"
			     " ORDER BY id DESC LIMIT 1",
			     &st) == WQ_ERR_OK) {
		wq_bind_int64(st, 1, c->id);
		if (wq_step(st) == WQ_ROW) {
			snprintf(who, sizeof(who), "%s",
				 wq_column_text_or_null(st, 0));
			snprintf(at, sizeof(at), "%s",
				 wq_column_text_or_null(st, 1));
		}
		wq_store_finalize(store, st);
	}
	if (!*at)
		return wq_fail(WQ_ERR_STALE,
			       N_("case %s was changed by %s (version %" PRId64
				  ", you had %" PRId64 "); reload it"),
			       c->number, who, c->version, expected);
	/* TRANSLATORS: case number, who changed it, when (UTC), its
	 * version, the version the user had. */
	return wq_fail(WQ_ERR_STALE,
		       N_("case %s was changed by %s at %s (version %" PRId64
			  ", you had %" PRId64 "); reload it"),
		       c->number, who, at, c->version, expected);
}

/* The actor of the newest event `action` of the case since its newest
 * "submit" (or ever, for "submit" itself), "" when none. */
static enum wq_err review_actor(struct wq_store *store, int64_t case_id,
				const char *action, char out[64])
{
	struct wq_stmt *st;
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
	wq_bind_int64(st, 1, case_id);
	wq_bind_text(st, 2, action);
	if (wq_step(st) == WQ_ROW)
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
			       N_("you sent case %s to review; another "
			       "supervisor approves it"),
			       c->number);
	if (!err && strcmp(c->status, "final_review") == 0) {
		err = review_actor(store, c->id, "approve", first);
		if (!err && strcmp(first, actor->login) == 0)
			return wq_fail(WQ_ERR_DENIED,
				       N_("you approved the first review of case "
				       "%s; another supervisor does the final "
				       "review"),
				       c->number);
	}
	return err;
}

/* ---- the ledger ---- */

/* AMOUNT: yuan, or a damages rule on the case's price, RULE[:LOSS]. */
static enum wq_err amount_arg(struct wq_store *store, const char *text,
			      const struct case_core *c, int64_t *fen,
			      char *citation, size_t size)
{
	char name[16];
	size_t len = strcspn(text, ":");
	const struct damages_rule *r = NULL;

	citation[0] = '\0';
	if (len < sizeof(name)) {
		memcpy(name, text, len);
		name[len] = '\0';
		r = damages_rule(name);
	}
	if (r) {
		int64_t loss = WQ_DAMAGES_NO_LOSS;
		enum wq_err err;

		if (text[len] == ':' && !wq_amount_parse(text + len + 1, &loss))
			return wq_fail(WQ_ERR_INVALID,
				       N_("'%s': the loss after ':' is not an "
				       "amount in yuan"),
				       text);
		err = damages_fit_case(store, c, r);
		if (err)
			return err;
		return wq_damages(r->name, c->amount_fen, loss, fen, citation,
				  size);
	}
	if (!wq_amount_parse(text, fen))
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not an amount in yuan (e.g. 1299.50)"),
			       text);
	return WQ_ERR_OK;
}

static enum wq_err insert_offer(struct wq_store *store, const char *actor,
				const struct case_core *c, const char *party,
				const char *remedy, int64_t fen,
				const char *terms, int64_t answers,
				int64_t *offer_id, struct wq_buf *args)
{
	struct wq_stmt *st;
	enum wq_err err;
	char at[21];

	if (!in_list(party, parties))
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not a party (complainant, respondent)"),
			       party);
	if (!wq_word_in(remedy, WQ_REMEDIES))
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not a remedy (%s)"), remedy,
			       WQ_REMEDIES);
	wq_time_format(wq_now(), at);
	err = wq_store_prepare(store,
			       "INSERT INTO offers(case_id, party, recorded_by,"
			       " at, remedy, amount_fen, terms, answers)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
			       " RETURNING id",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, c->id);
	wq_bind_text(st, 2, party);
	wq_bind_text(st, 3, actor);
	wq_bind_text(st, 4, at);
	wq_bind_text(st, 5, remedy);
	wq_bind_int64(st, 6, fen);
	wq_bind_text(st, 7, terms);
	if (answers)
		wq_bind_int64(st, 8, answers);
	else
		wq_bind_null(st, 8);
	if (wq_step(st) != WQ_ROW)
		err = wq_store_error(store, "offer");
	else
		*offer_id = wq_column_int64(st, 0);
	wq_store_finalize(store, st);
	if (err)
		return err;
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
	struct wq_stmt *st;
	enum wq_err err;
	char *end;

	*id = strtoll(id_text, &end, 10);
	if (*end || *id <= 0)
		return wq_fail(WQ_ERR_INVALID, N_("'%s' is not an offer number"),
			       id_text);
	err = wq_store_prepare(store,
			       "SELECT party, remedy, state, amount_fen, terms"
			       " FROM offers WHERE id = ?1 AND case_id = ?2",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, *id);
	wq_bind_int64(st, 2, c->id);
	if (wq_step(st) == WQ_ROW) {
		snprintf(o->party, sizeof(o->party), "%s",
			 wq_column_text_or_null(st, 0));
		snprintf(o->remedy, sizeof(o->remedy), "%s",
			 wq_column_text_or_null(st, 1));
		snprintf(o->state, sizeof(o->state), "%s",
			 wq_column_text_or_null(st, 2));
		o->amount_fen = wq_column_int64(st, 3);
		o->terms = wq_strdup(wq_column_text_or_null(st, 4));
	} else {
		err = wq_fail(WQ_ERR_NOT_FOUND,
			      N_("case %s has no offer %" PRId64), c->number, *id);
	}
	wq_store_finalize(store, st);
	if (!err && strcmp(o->state, "open") != 0) {
		err = wq_fail(WQ_ERR_BAD_STATUS, N_("offer %" PRId64 " is %s"),
			      *id, wq_code_label("offer", o->state));
		free(o->terms);
	}
	return err;
}

static enum wq_err set_offer_state(struct wq_store *store, int64_t id,
				   const char *state)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "UPDATE offers SET state = ?2 WHERE id = ?1", &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, id);
	wq_bind_text(st, 2, state);
	if (wq_step(st) != WQ_DONE)
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
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(store, sql, &st);

	free(sql);
	if (err)
		return err;
	wq_bind_int64(st, 1, merchant_id);
	if (wq_step(st) != WQ_DONE)
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
	/* A pseudo status the clocks hear besides the ruling's own event
	 * (a real-name reporter now to be told of a decision). */
	const char *also_clock_event;
};

static const char *arg(const struct wq_ruling_ctx *x, int i)
{
	return x->r->argc > i ? x->r->argv[i] : "";
}

/* The regime a case follows: its own, or for a case from before regimes
 * were recorded the active one (as its clocks do). */
static void case_regime(struct wq_store *store, const struct case_core *c,
			char *out, size_t size)
{
	char *active = NULL;

	snprintf(out, size, "%s", c->regime);
	if (*out)
		return;
	if (wq_store_get_setting(store, "regime", &active) == WQ_ERR_OK)
		snprintf(out, size, "%s", active);
	else
		wq_err_clear();
	free(active);
}

/* The ruling's REASON checked against the row's codes, as the case's
 * regime has them (Order No. 20 and Order No. 121 name different
 * grounds). */
static enum wq_err reason_arg(const struct wq_ruling_ctx *x, const char *what)
{
	const char *codes[64];
	char list[512], regime[48];

	case_regime(x->store, x->before, regime, sizeof(regime));
	wq_action_reasons(x->a, regime, codes, 64);
	if (in_list(arg(x, 0), codes))
		return WQ_ERR_OK;
	join_list(list, sizeof(list), codes);
	if (in_list(arg(x, 0), x->a->reasons))
		/* TRANSLATORS: the value given, what it should be ("a reason
		 * for ending mediation"), the regime, the case, the codes the
		 * regime allows. */
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not %s under %s, the regime case %s "
				  "was received under (%s)"),
			       arg(x, 0), wq_text(what), regime, x->c->number,
			       list);
	/* TRANSLATORS: the value given, what it should be ("a reason for
	 * ending mediation"), the codes it may be. */
	return wq_fail(WQ_ERR_INVALID, N_("'%s' is not %s (%s)"), arg(x, 0),
		       wq_text(what), list);
}

static enum wq_err ready_claim(const struct wq_ruling_ctx *x)
{
	const struct case_core *c = x->before;

	if (*c->assignee && strcmp(c->assignee, x->actor->login) != 0)
		return wq_fail(WQ_ERR_TAKEN, N_("case %s is already assigned to %s"),
			       c->number, c->assignee);
	return check_conflict(x->store, x->actor->login, c);
}

char *case_latest_arg(struct wq_store *store, int64_t case_id,
		      const char *action, const char *first, int i,
		      const char *until)
{
	struct wq_stmt *st;
	char *out = NULL;

	/* The arguments are an array, which the SQL both databases speak
	 * does not index: read in C, newest event first. */
	if (wq_store_prepare(store,
			     "SELECT json_extract(details, '$.args')"
			     " FROM events WHERE case_id = ?1 AND action = ?2"
			     " AND at <= ?3 ORDER BY id DESC",
			     &st) == WQ_ERR_OK) {
		wq_bind_int64(st, 1, case_id);
		wq_bind_text(st, 2, action);
		wq_bind_text(st, 3, until ? until : "9999-12-31T23:59:59Z");
		bool found = false;

		while (!found && wq_step(st) == WQ_ROW) {
			json_t *args = wq_json_parse(
				wq_column_text_or_null(st, 0));
			json_t *argv = json_object_get(args, "argv");

			found = !first || wq_json_equals_text(
						  json_array_get(argv, 0), first);
			if (found)
				out = wq_json_scalar_text(
					json_array_get(argv, (size_t)i));
			json_decref(args);
		}
		wq_store_finalize(store, st);
	}
	return out;
}

enum wq_err wq_case_missing_materials(struct wq_store *store, int64_t case_id,
				      char *out, size_t size)
{
	struct wq_stmt *st;
	enum wq_err err;
	bool have[8] = {0};
	size_t used = 0;
	char *a;

	err = wq_store_prepare(
		store,
		"SELECT trim(p.name) <> '', trim(p.phone) <> '',"
		" trim(m.name) <> '',"
		" trim(c.remedy) <> '' OR EXISTS (SELECT 1 FROM offers o"
		"  WHERE o.case_id = c.id AND o.party = 'complainant'),"
		" EXISTS (SELECT 1 FROM statements s WHERE s.case_id = c.id"
		"  AND s.party = 'complainant' AND trim(s.text) <> '')"
		"  OR trim(coalesce(g.facts, '')) <> ''"
		" FROM cases c JOIN consumers p ON p.id = c.consumer_id"
		" JOIN merchants m ON m.id = c.merchant_id"
		" LEFT JOIN case_groups g ON g.id = c.group_id"
		" WHERE c.id = ?1",
		&st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	if (wq_step(st) == WQ_ROW) {
		have[0] = wq_column_int(st, 0);   /* complainant-name */
		have[1] = wq_column_int(st, 1);   /* complainant-phone */
		have[3] = wq_column_int(st, 2);   /* respondent-name */
		have[5] = wq_column_int(st, 3);   /* claim */
		have[6] = wq_column_int(st, 4);   /* facts */
	}
	wq_store_finalize(store, st);
	a = case_latest_arg(store, case_id, "address", "complainant", 1, NULL);
	have[2] = a && !blank_text(a);
	free(a);
	a = case_latest_arg(store, case_id, "address", "respondent", 1, NULL);
	have[4] = a && !blank_text(a);
	free(a);
	out[0] = '\0';
	for (int i = 0; wq_required_fields[i]; i++)
		if (!have[i] && used < size)
			used += (size_t)snprintf(out + used, size - used,
						 "%s%s", used ? " " : "",
						 wq_required_fields[i]);
	return WQ_ERR_OK;
}

static enum wq_err rule_claim(struct wq_ruling_ctx *x)
{
	snprintf(x->c->assignee, sizeof(x->c->assignee), "%s",
		 x->actor->login);
	return WQ_ERR_OK;
}

static enum wq_err rule_assign(struct wq_ruling_ctx *x)
{
	struct wq_user target;
	enum wq_err err = wq_user_lookup(x->store, arg(x, 0), &target);

	if (err)
		return err;
	if (target.role != WQ_ROLE_MEDIATOR &&
	    target.role != WQ_ROLE_SUPERVISOR)
		return wq_fail(WQ_ERR_INVALID, N_("%s is a %s, not a mediator"),
			       arg(x, 0),
			       wq_code_label("role", wq_role_name(target.role)));
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

/* Missing materials name the fields the rule requires that the case
 * lacks (complainant's name, phone and address; respondent's name and
 * address; the claim and the facts), as the case has them now: a case
 * that has them all is not refused for missing materials. */
static enum wq_err missing_materials(struct wq_ruling_ctx *x)
{
	char missing[256], *word, *save = NULL;
	enum wq_err err;

	err = wq_case_missing_materials(x->store, x->c->id, missing,
					sizeof(missing));
	if (err)
		return err;
	if (!*missing)
		return wq_fail(
		    WQ_ERR_INVALID,
		    N_("case %s has every material the rule requires "
		       "(complainant's name, phone and address; "
		       "respondent's name and address; the claim and "
		       "the facts): not a ground"),
		    x->c->number);
	wq_buf_puts(x->args, ",\"missing\":[");
	for (word = strtok_r(missing, " ", &save); word;
	     word = strtok_r(NULL, " ", &save))
		wq_buf_printf(x->args, "%s\"%s\"",
			      x->args->data[x->args->len - 1] == '[' ? ""
								      : ",",
			      word);
	wq_buf_puts(x->args, "]");
	return WQ_ERR_OK;
}

static enum wq_err rule_not_accept(struct wq_ruling_ctx *x)
{
	enum wq_err err = reason_arg(x, N_("a ground for not accepting"));

	if (!err && strcmp(arg(x, 0), "materials-missing") == 0)
		err = missing_materials(x);
	if (!err)
		snprintf(x->c->reason, sizeof(x->c->reason), "%s", arg(x, 0));
	return err;
}

/* The text arguments of the rulings that keep them only in their event
 * (an address, a region, a bureau, what went to the police): text that is
 * not UTF-8 is refused, as a statement's is, never stored changed. */
static enum wq_err text_args(const struct wq_ruling_ctx *x)
{
	enum wq_err err = WQ_ERR_OK;

	for (int i = 0; !err && i < x->r->argc; i++)
		err = case_check_utf8(x->a->name, x->r->argv[i]);
	return err;
}

/* A party's address: the rule requires both for accepting. */
static enum wq_err rule_address(struct wq_ruling_ctx *x)
{
	enum wq_err err = text_args(x);

	if (err)
		return err;
	if (!in_list(arg(x, 0), parties))
		return wq_fail(
		    WQ_ERR_INVALID,
		    N_("'%s' is not a party (complainant, respondent)"),
		    arg(x, 0));
	if (blank_text(arg(x, 1)))
		return wq_fail(WQ_ERR_INVALID, N_("the address is empty"));
	return WQ_ERR_OK;
}

/* Jurisdiction (Order No. 121 as announced): a platform merchant with no
 * published address, or unreachable at it, is handled where the platform
 * operator is domiciled.  That region becomes the case's handling region
 * (cases.region: the queue's filter and the dashboard's figures). */
static enum wq_err rule_platform_seat(struct wq_ruling_ctx *x)
{
	enum wq_err err = text_args(x);

	if (!err)
		err = reason_arg(x, "a ground for the platform's seat");
	if (err)
		return err;
	if (blank_text(arg(x, 1)))
		return wq_fail(
		    WQ_ERR_INVALID,
		    N_("say where the platform operator is domiciled"));
	if (strlen(arg(x, 1)) >= sizeof(x->c->region))
		return wq_fail(WQ_ERR_INVALID,
			       N_("the region is longer than %zu bytes"),
			       sizeof(x->c->region) - 1);
	snprintf(x->c->region, sizeof(x->c->region), "%s", arg(x, 1));
	return WQ_ERR_OK;
}

/* Entrusted mediation: a consumer association mediating on a market
 * regulation bureau's behalf records which bureau. */
static enum wq_err rule_entrusted(struct wq_ruling_ctx *x)
{
	enum wq_err err = text_args(x);

	if (err)
		return err;
	if (blank_text(arg(x, 0)))
		return wq_fail(WQ_ERR_INVALID,
			       N_("say which bureau entrusted the mediation"));
	return WQ_ERR_OK;
}

/* A claim to obtain compensation by fraud or extortion ended mediation
 * (Order No. 121 as announced): the case goes to the police.  What was
 * sent, to which police body, is this event's arguments; when and by
 * whom, its time and actor. */
static enum wq_err rule_refer_police(struct wq_ruling_ctx *x)
{
	enum wq_err err = text_args(x);

	if (err)
		return err;
	if (strcmp(x->before->reason, "fraudulent-claim") != 0)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       N_("case %s did not end for a fraudulent claim "
				  "(end fraudulent-claim)"),
			       x->c->number);
	if (blank_text(arg(x, 0)) || blank_text(arg(x, 1)))
		return wq_fail(WQ_ERR_INVALID,
			       N_("say which police body and what was sent"));
	return WQ_ERR_OK;
}

/* The follow-up visit after a complaint is handled (回访, Order No. 121
 * as announced): its outcome is the event's argument. */
static enum wq_err rule_follow_up(struct wq_ruling_ctx *x)
{
	return reason_arg(x, "an outcome of a follow-up visit");
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
	if (blank_text(arg(x, 0)))
		return wq_fail(WQ_ERR_INVALID,
			       N_("sending %s to the merchant's channel needs "
			       "how the consumer chose it"),
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
		return wq_fail(WQ_ERR_INVALID, N_("'%s' is not a sub-state (%s)"),
			       arg(x, 0), list);
	}
	snprintf(x->c->substate, sizeof(x->c->substate), "%s", arg(x, 0));
	return WQ_ERR_OK;
}

static enum wq_err rule_statement(struct wq_ruling_ctx *x)
{
	if (!in_list(arg(x, 0), parties))
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not a party (complainant, respondent)"),
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
	char citation[1024], *terms;
	int64_t id = 0, fen;
	enum wq_err err;

	err = amount_arg(x->store, arg(x, 2), x->c, &fen, citation,
			 sizeof(citation));
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

/* Countering and agreeing answer an open offer. */
static enum wq_err ready_open_offer(const struct wq_ruling_ctx *x)
{
	struct wq_stmt *st;
	enum wq_err err;
	bool open;

	err = wq_store_prepare(x->store,
			       "SELECT 1 FROM offers WHERE case_id = ?1"
			       " AND state = 'open'",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, x->before->id);
	open = wq_step(st) == WQ_ROW;
	wq_store_finalize(x->store, st);
	if (!open)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       N_("case %s has no open offer; record one first"),
			       x->before->number);
	return WQ_ERR_OK;
}

static enum wq_err rule_counter(struct wq_ruling_ctx *x)
{
	struct offer_row o;
	char citation[1024], *terms;
	int64_t id, new_id = 0, fen;
	enum wq_err err;

	err = load_offer(x->store, x->c, arg(x, 0), &id, &o);
	if (err)
		return err;
	free(o.terms);
	err = amount_arg(x->store, arg(x, 2), x->c, &fen, citation,
			 sizeof(citation));
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
	struct wq_stmt *st;
	enum wq_err err;
	int64_t id;
	char at[21], *text;
	int due;

	if (!in_list(performer, parties))
		return wq_fail(WQ_ERR_INVALID,
			       N_("performer '%s' is not a party "
			       "(complainant, respondent)"),
			       performer);
	if (!wq_date_parse(due_text, &due))
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not a due date (YYYY-MM-DD)"), due_text);
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
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
			" RETURNING id",
			&st);
	if (!err) {
		wq_bind_int64(st, 1, c->id);
		wq_bind_int64(st, 2, id);
		wq_bind_text(st, 3, o.remedy);
		wq_bind_int64(st, 4, o.amount_fen);
		wq_bind_text(st, 5, performer);
		wq_bind_text(st, 6, due_text);
		wq_bind_text(st, 7, text);
		wq_bind_text(st, 8, x->actor->login);
		wq_bind_text(st, 9, at);
		if (wq_step(st) != WQ_ROW)
			err = wq_store_error(x->store, "agreement");
		else
			x->res->created_id = wq_column_int64(st, 0);
		wq_store_finalize(x->store, st);
		wq_buf_printf(x->args, ",\"agreement\":%" PRId64,
			      x->res->created_id);
	}
	free(text);
	c->substate[0] = '\0';
	return err;
}

/* Whether case_id has an agreement whose performance is not recorded. */
static enum wq_err agreement_open(struct wq_store *store, int64_t case_id,
				  bool *open)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "SELECT 1 FROM agreements WHERE"
			       " case_id = ?1 AND performed_at IS NULL",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	*open = wq_step(st) == WQ_ROW;
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

static enum wq_err ready_performed(const struct wq_ruling_ctx *x)
{
	bool open;
	enum wq_err err = agreement_open(x->store, x->before->id, &open);

	if (!err && !open)
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      N_("case %s has no agreement awaiting performance"),
			      x->before->number);
	return err;
}

static enum wq_err rule_performed(struct wq_ruling_ctx *x)
{
	struct wq_stmt *st;
	enum wq_err err;
	char at[21];

	wq_time_format(wq_now(), at);
	err = wq_store_prepare(x->store,
			       "UPDATE agreements SET performed_at = ?2"
			       " WHERE case_id = ?1 AND performed_at IS NULL",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, x->c->id);
	wq_bind_text(st, 2, at);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(x->store, "agreement");
	else if (wq_store_changes(x->store) == 0)
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      N_("case %s has no agreement awaiting performance"),
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
	struct wq_stmt *st;
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
	wq_bind_int64(st, 1, c->id);
	*owed = wq_step(st) == WQ_ROW && wq_column_int(st, 0);
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

static enum wq_err ready_notify(const struct wq_ruling_ctx *x)
{
	bool owed;
	enum wq_err err;

	if (strcmp(x->before->status, "mediation_ended") == 0)
		return WQ_ERR_OK;
	err = notice_owed(x->store, x->before, &owed);
	if (!err && !owed)
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      N_("case %s ended no mediation that the parties "
			      "are still to be told of"),
			      x->before->number);
	return err;
}

static enum wq_err rule_end(struct wq_ruling_ctx *x)
{
	enum wq_err err = reason_arg(x, N_("a reason for ending mediation"));

	if (err)
		return err;
	snprintf(x->c->reason, sizeof(x->c->reason), "%s", arg(x, 0));
	x->c->substate[0] = '\0';
	return merchant_count(x->store, x->c->merchant_id, "failed");
}

/* An outcome goes to review once its parties are told and its agreement
 * is performed. */
static enum wq_err ready_submit(const struct wq_ruling_ctx *x)
{
	const struct case_core *before = x->before;
	bool owed, open = false;
	enum wq_err err = notice_owed(x->store, before, &owed);

	if (err)
		return err;
	if (owed)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       N_("the parties of %s are told that mediation "
			       "ended first (notify)"),
			       before->number);
	if (strcmp(before->status, "performance_watch") == 0)
		err = agreement_open(x->store, before->id, &open);
	if (!err && open)
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      N_("the agreement of %s is not performed yet"),
			      before->number);
	return err;
}

static enum wq_err rule_submit(struct wq_ruling_ctx *x)
{
	snprintf(x->c->review_from, sizeof(x->c->review_from), "%s",
		 x->before->status);
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

static enum wq_err ready_approve(const struct wq_ruling_ctx *x)
{
	return check_reviewer(x->store, x->actor, x->before);
}

static enum wq_err rule_send_back(struct wq_ruling_ctx *x)
{
	if (blank_text(arg(x, 0)))
		return wq_fail(WQ_ERR_INVALID,
			       N_("sending %s back needs a comment saying what "
			       "to change"),
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
		return wq_fail(WQ_ERR_INVALID, N_("a case cannot duplicate itself"));
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
	return wq_fail(WQ_ERR_INVALID, N_("'%s' is not a flag (%s)"), arg(x, 0),
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
	struct wq_stmt *st;
	enum wq_err err;
	int64_t group_id, merchant_id = -1;

	if (!wq_group_parse_id(label, &group_id))
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not a collective group (G12)"), label);
	if (c->group_id == group_id)
		return wq_fail(WQ_ERR_EXISTS, N_("case %s is already in G%" PRId64),
			       c->number, group_id);
	if (c->group_id)
		return wq_fail(WQ_ERR_INVALID,
			       N_("case %s is in G%" PRId64 "; it leaves that "
			       "group first"),
			       c->number, c->group_id);
	err = wq_store_prepare(x->store,
			       "SELECT coalesce(merchant_id, 0) FROM case_groups"
			       " WHERE id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, group_id);
	if (wq_step(st) == WQ_ROW)
		merchant_id = wq_column_int64(st, 0);
	wq_store_finalize(x->store, st);
	if (merchant_id < 0)
		return wq_fail(WQ_ERR_NOT_FOUND,
			       N_("no collective group G%" PRId64), group_id);
	if (merchant_id && merchant_id != c->merchant_id)
		return wq_fail(WQ_ERR_INVALID,
			       N_("case %s is against another merchant than "
			       "G%" PRId64),
			       c->number, group_id);
	c->group_id = group_id;
	c->flags |= WQ_FLAG(COLLECTIVE);
	return WQ_ERR_OK;
}

static enum wq_err ready_leave_group(const struct wq_ruling_ctx *x)
{
	if (!x->before->group_id)
		return wq_fail(WQ_ERR_INVALID,
			       N_("case %s is in no collective group"),
			       x->before->number);
	return WQ_ERR_OK;
}

static enum wq_err rule_leave_group(struct wq_ruling_ctx *x)
{
	x->c->group_id = 0;
	x->c->flags &= ~WQ_FLAG(COLLECTIVE);
	return WQ_ERR_OK;
}

static enum wq_err ready_report(const struct wq_ruling_ctx *x)
{
	if (strcmp(x->before->report, "checking") == 0)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       N_("case %s already has a report under check"),
			       x->before->number);
	return WQ_ERR_OK;
}

static enum wq_err rule_report(struct wq_ruling_ctx *x)
{
	snprintf(x->c->report, sizeof(x->c->report), "checking");
	x->c->flags |= WQ_FLAG(REPORT);
	return WQ_ERR_OK;
}

static enum wq_err ready_report_done(const struct wq_ruling_ctx *x)
{
	if (strcmp(x->before->report, "checking") != 0)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       N_("case %s has no report under check"),
			       x->before->number);
	return WQ_ERR_OK;
}

static enum wq_err rule_report_done(struct wq_ruling_ctx *x)
{
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
 * calendar days, the day of arrival not counted: the ip_wait clock's
 * figure (weiquan/clock.h), which the case view counts down. */
#define IP_ACTION_DAYS WQ_IP_WAIT_DAYS

/* The measure taken is what the case records as its reason. */
static enum wq_err rule_measures(struct wq_ruling_ctx *x)
{
	enum wq_err err = reason_arg(x, N_("a necessary measure"));

	if (!err)
		snprintf(x->c->reason, sizeof(x->c->reason), "%s", arg(x, 0));
	return err;
}

static enum wq_err rule_reject_notice(struct wq_ruling_ctx *x)
{
	enum wq_err err = reason_arg(x, N_("a reason for not acting on a notice"));

	if (!err)
		snprintf(x->c->reason, sizeof(x->c->reason), "%s", arg(x, 0));
	return err;
}

/* The measures end only once the rights holder's days have passed.  The
 * declaration is taken to reach the rights holder on the day it was
 * forwarded (platforms forward electronically). */
static enum wq_err ready_end_measures(const struct wq_ruling_ctx *x)
{
	struct wq_stmt *st;
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
	wq_bind_int64(st, 1, x->before->id);
	if (wq_step(st) == WQ_ROW)
		wq_time_parse(wq_column_text(st, 0), &forwarded);
	wq_store_finalize(x->store, st);
	if (!forwarded)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       N_("case %s has no forwarded declaration"),
			       x->before->number);
	last_day = wq_local_day(forwarded) + IP_ACTION_DAYS;
	if (wq_local_day(wq_now()) <= last_day) {
		wq_date_format(last_day, iso);
		return wq_fail(WQ_ERR_BAD_STATUS,
			       N_("the rights holder of %s has until %s to show "
			       "a complaint or lawsuit (E-Commerce Law art. "
			       "43: %d days after the declaration reached "
			       "them)"),
			       x->before->number, iso, IP_ACTION_DAYS);
	}
	return WQ_ERR_OK;
}

static enum wq_err rule_mark_wrongful(struct wq_ruling_ctx *x)
{
	unsigned f;
	enum wq_err err = reason_arg(x, N_("a finding on a notice"));

	if (!err)
		err = flag_arg(x, &f);
	if (!err)
		x->c->flags |= f;
	return err;
}

/* ---- the report track (举报) ---- */

static const char *const report_not_file_reasons[] = {
	WQ_REPORT_NOT_FILE_LIST(WQ_CODE) NULL};

/* Testing or appraisal pauses the check: the report_check clock pauses
 * in the sub-state testing (the clock rules say so, as data). */
static enum wq_err rule_report_testing(struct wq_ruling_ctx *x)
{
	if (strcmp(x->before->substate, "testing") == 0)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       N_("report %s is already being tested"),
			       x->c->number);
	snprintf(x->c->substate, sizeof(x->c->substate), "testing");
	return WQ_ERR_OK;
}

static enum wq_err rule_report_tested(struct wq_ruling_ctx *x)
{
	if (strcmp(x->before->substate, "testing") != 0)
		return wq_fail(WQ_ERR_BAD_STATUS,
			       N_("report %s is not being tested"),
			       x->c->number);
	x->c->substate[0] = '\0';
	return WQ_ERR_OK;
}

static enum wq_err count_events(struct wq_store *store, int64_t case_id,
				const char *action, int *n)
{
	struct wq_stmt *st;
	enum wq_err err;

	*n = 0;
	err = wq_store_prepare(store,
			       "SELECT count(*) FROM events WHERE case_id = ?1"
			       " AND action = ?2",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	wq_bind_text(st, 2, action);
	if (wq_step(st) == WQ_ROW)
		*n = wq_column_int(st, 0);
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

/* The check may be extended once; the supervisor's ruling is the
 * approval, and the clocks hear "extend" (clock_extensions). */
static enum wq_err rule_report_extend(struct wq_ruling_ctx *x)
{
	int n;
	enum wq_err err = count_events(x->store, x->c->id, "extend", &n);

	if (!err && n > 0)
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      N_("the check of report %s was extended already"),
			      x->c->number);
	return err;
}

/* A decision on filing: a real-name reporter is now to be told. */
static void decided(struct wq_ruling_ctx *x)
{
	x->c->substate[0] = '\0';
	if (wq_report_real_name(x->store, x->c->id))
		x->also_clock_event = "reporter-to-tell";
}

static enum wq_err rule_report_file(struct wq_ruling_ctx *x)
{
	decided(x);
	return WQ_ERR_OK;
}

static enum wq_err rule_report_not_file(struct wq_ruling_ctx *x)
{
	enum wq_err err = reason_arg(x, "a reason for not filing");

	if (err)
		return err;
	snprintf(x->c->reason, sizeof(x->c->reason), "%s", arg(x, 0));
	decided(x);
	return WQ_ERR_OK;
}

/* A repeated report names the earlier report it repeats; the status
 * says whether it is merged into it or not handled again. */
static enum wq_err rule_report_repeat(struct wq_ruling_ctx *x)
{
	char type[16] = "";
	struct wq_stmt *st;
	enum wq_err err;
	int64_t earlier;
	bool older = false;

	err = case_id_to_read(x->store, x->actor, arg(x, 0), &earlier);
	if (err)
		return err;
	if (earlier == x->c->id)
		return wq_fail(WQ_ERR_INVALID,
			       N_("a report cannot repeat itself"));
	err = wq_store_prepare(x->store,
			       "SELECT e.type, (e.received_at, e.id) <"
			       " (c.received_at, c.id)"
			       " FROM cases e, cases c WHERE e.id = ?1"
			       " AND c.id = ?2",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, earlier);
	wq_bind_int64(st, 2, x->c->id);
	if (wq_step(st) == WQ_ROW) {
		snprintf(type, sizeof(type), "%s", wq_column_text(st, 0));
		older = wq_column_int(st, 1) != 0;
	}
	wq_store_finalize(x->store, st);
	if (strcmp(type, "report") != 0 || !older)
		return wq_fail(WQ_ERR_INVALID,
			       N_("%s is not an earlier report"), arg(x, 0));
	x->c->duplicate_of = earlier;
	x->c->flags |= WQ_FLAG(DUPLICATE);
	x->c->substate[0] = '\0';
	snprintf(x->c->reason, sizeof(x->c->reason), "%s",
		 strcmp(x->c->status, "report_merged") == 0 ? "merged"
							    : "repeated");
	return WQ_ERR_OK;
}

/* Whether a decision on report c is still to be told to its real-name
 * reporter. */
static enum wq_err tell_owed(struct wq_store *store,
			     const struct case_core *c, bool *owed)
{
	struct wq_stmt *st;
	enum wq_err err;
	int n = 0;

	*owed = false;
	if (strcmp(c->status, "report_filed") != 0 &&
	    strcmp(c->status, "report_not_filed") != 0)
		return WQ_ERR_OK;
	if (!wq_report_real_name(store, c->id))
		return WQ_ERR_OK;
	err = wq_store_prepare(store,
			       "SELECT count(*) FROM events WHERE case_id = ?1"
			       " AND action = 'tell' AND id > (SELECT max(id)"
			       " FROM events WHERE case_id = ?1 AND action IN"
			       " ('file', 'not-file'))",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, c->id);
	if (wq_step(st) == WQ_ROW)
		n = wq_column_int(st, 0);
	wq_store_finalize(store, st);
	*owed = n == 0;
	return WQ_ERR_OK;
}

static enum wq_err rule_report_tell(struct wq_ruling_ctx *x)
{
	bool owed;
	enum wq_err err;

	if (!wq_report_real_name(x->store, x->c->id))
		return wq_fail(
		    WQ_ERR_BAD_STATUS,
		    N_("the reporter of %s is anonymous: there is no "
		       "one to tell"),
		    x->c->number);
	err = tell_owed(x->store, x->before, &owed);
	if (!err && !owed)
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      N_("the reporter of %s was told of the decision "
				 "already"),
			      x->c->number);
	return err;
}

static enum wq_err rule_report_submit(struct wq_ruling_ctx *x)
{
	bool owed;
	enum wq_err err = tell_owed(x->store, x->before, &owed);

	if (!err && owed)
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      N_("the real-name reporter of %s is told of the "
				 "decision first (tell)"),
			      x->c->number);
	return err ? err : rule_submit(x);
}

/* ---- the cross-region diversion track (串货) ---- */

static const char *const diversion_dismiss_reasons[] = {
	WQ_DIVERSION_DISMISS_LIST(WQ_CODE) NULL};

static enum wq_err rule_diversion_dismiss(struct wq_ruling_ctx *x)
{
	enum wq_err err = reason_arg(x, "a reason for dismissing the claim");

	if (!err)
		snprintf(x->c->reason, sizeof(x->c->reason), "%s", arg(x, 0));
	return err;
}

/* The penalty the distributor agreed to pay under the contract's region
 * clause; it is the contract's, not a statutory figure. */
static enum wq_err rule_diversion_penalty(struct wq_ruling_ctx *x)
{
	struct wq_stmt *st;
	enum wq_err err;
	int64_t fen;

	if (!wq_amount_parse(arg(x, 0), &fen))
		return wq_fail(WQ_ERR_INVALID,
			       N_("'%s' is not an amount in yuan (e.g. 50000)"),
			       arg(x, 0));
	err = wq_store_prepare(x->store,
			       "UPDATE diversions SET agreed_penalty_fen = ?2"
			       " WHERE case_id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, x->c->id);
	wq_bind_int64(st, 2, fen);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(x->store, "diversion");
	else if (wq_store_changes(x->store) == 0)
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      N_("case %s has no diversion details (brand, "
				 "regions, clause)"),
			      x->c->number);
	wq_store_finalize(x->store, st);
	if (!err)
		wq_buf_printf(x->args, ",\"agreed_penalty_fen\":%" PRId64, fen);
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
	     N_("Take an unassigned case")), .ready = ready_claim}
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
	     N_("Send the outcome to first review")), .ready = ready_submit}
#define REVIEW_ROWS                                                            \
	{ROW(NC_("action", "approve"), "[NOTE]", 0, 1, S, CHANGE,                             \
	     "first_review final_review", NULL, rule_move,                     \
	     N_("Approve this review stage")),                                 \
	 .target = next_review, .ready = ready_approve},                                               \
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
	     N_("Record an offer (AMOUNT in yuan, or statutory damages: "
		"crpl55 for fraud, crpl55-2:LOSS for death or serious "
		"injury, fsl148[:LOSS] for food, dal144[:LOSS] for "
		"medicines)"))},
	{ROW(NC_("action", "counter"), "OFFER REMEDY AMOUNT [TERMS]", 3, 4, M | S, CHANGE,
	     "accepted in_mediation", NULL, rule_counter,
	     N_("Record the other party's counter-offer")),
	 .ready = ready_open_offer},
	{ROW(NC_("action", "agree"), "OFFER PERFORMER DUE [TEXT]", 3, 4, M | S, CHANGE,
	     "in_mediation", "agreement", rule_agree,
	     N_("Agreement reached on an offer: who performs, by when")),
	 .ready = ready_open_offer},
	{ROW(NC_("action", "watch"), "[NOTE]", 0, 1, M | S, CHANGE, "agreement",
	     "performance_watch", rule_move,
	     N_("Watch the agreement's performance"))},
	{ROW(NC_("action", "performed"), "[NOTE]", 0, 1, M | S, CHANGE, "performance_watch",
	     NULL, rule_performed, N_("The agreement was performed")),
	 .ready = ready_performed},
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
	     "mediation_ended withdrawn settled", NULL, rule_move,
	     N_("Termination notice sent to the parties")),
	 .ready = ready_notify, .target = notice_sent, .clock_event = "termination_notice"},
	SUBMIT_ROW(WQ_STATUSES(submit)),
	REVIEW_ROWS,
	DUPLICATE_ROW(OPEN),
	FLAG_ROWS(OPEN),
	{ROW(NC_("action", "report"), "[NOTE]", 0, 1, D | M | S, CHANGE, OPEN, NULL,
	     rule_report,
	     N_("Open the linked report (illegal conduct) track")),
	 .ready = ready_report, .clock_event = "report"},
	{ROW(NC_("action", "report-done"), "RESULT", 1, 1, M | S, CHANGE, OPEN " closed", NULL,
	     rule_report_done,
	     N_("Close the report check with its result")),
	 .ready = ready_report_done, .clock_event = "report-done", .last_is_note = true},
	NOTE_ROW(OPEN),
	{ROW(NC_("action", "join-group"), "GROUP", 1, 1, D | M | S, GROUP, OPEN, NULL,
	     rule_join_group,
	     N_("Join a collective group (G12) against the same merchant"))},
	{ROW(NC_("action", "leave-group"), "", 0, 0, D | M | S, GROUP, OPEN, NULL,
	     rule_leave_group, N_("Leave the collective group")),
	 .ready = ready_leave_group},
	{ROW(NC_("action", "address"), "PARTY ADDRESS", 2, 2, D | M | S, CHANGE, OPEN,
	     NULL, rule_address,
	     N_("Record a party's address (the rule requires both parties' "
		"addresses)"))},
	{ROW(NC_("action", "platform-seat"), "REASON REGION [NOTE]", 2, 3, D | M | S,
	     CHANGE, OPEN, NULL, rule_platform_seat,
	     N_("Handle where the platform operator is domiciled: the "
		"merchant published no address on the platform or cannot be "
		"reached there (Order No. 121, unverified); REGION becomes "
		"the handling region")),
	 .reasons = wq_seat_grounds},
	{ROW(NC_("action", "entrusted"), "BUREAU [NOTE]", 1, 2, M | S, CHANGE, OPEN, NULL,
	     rule_entrusted,
	     N_("Mediating on a market regulation bureau's behalf: name the "
		"bureau"))},
	{ROW(NC_("action", "refer-police"), "BODY SENT [NOTE]", 2, 3, M | S, CHANGE,
	     "mediation_ended termination_notice first_review final_review "
	     "closed",
	     NULL, rule_refer_police,
	     N_("Pass a fraudulent claim to the police: which police body, "
		"what was sent (Order No. 121, unverified)"))},
	{ROW(NC_("action", "follow-up"), "REASON [NOTE]", 1, 2, M | S, CHANGE,
	     "not_accepted transferred agreement performance_watch "
	     "unperformed settled withdrawn mediation_ended "
	     "termination_notice first_review final_review closed",
	     NULL, rule_follow_up,
	     N_("Record the follow-up visit after handling, with its outcome "
		"(Order No. 121, unverified)")),
	 .reasons = wq_follow_up_outcomes},
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
	     "declaration_forwarded", "measures_ended", rule_move,
	     N_("15 days passed without a complaint or lawsuit: end the "
		"measures (art. 43)")),
	 .ready = ready_end_measures},
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

/* The report track (举报): the check, paused for testing and extended
 * once with a supervisor's approval, ends in a decision on filing, which a
 * real-name reporter is told of; a repeated report is merged into the
 * earlier one or not handled again. */
#define OPEN WQ_REPORT_STATUSES(open)
static const struct wq_action report_actions[] = {
	CLAIM_ROW(OPEN),
	ASSIGN_ROW(OPEN),
	RELEASE_ROW(OPEN),
	{ROW(NC_("action", "testing"), "[NOTE]", 0, 1, M | S, CHANGE,
	     "report_received", NULL, rule_report_testing,
	     N_("Testing or appraisal under way: the check's clock pauses"))},
	{ROW(NC_("action", "tested"), "[NOTE]", 0, 1, M | S, CHANGE,
	     "report_received", NULL, rule_report_tested,
	     N_("Testing or appraisal done: the check's clock runs again"))},
	{ROW(NC_("action", "extend"), "[NOTE]", 0, 1, S, CHANGE,
	     "report_received", NULL, rule_report_extend,
	     N_("Extend the check once, with a supervisor's approval (15 "
		"working days; figure unverified)")),
	 .clock_event = "extend"},
	{ROW(NC_("action", "file"), "[NOTE]", 0, 1, M | S, CHANGE,
	     "report_received", "report_filed", rule_report_file,
	     N_("File the report for investigation (立案)"))},
	{ROW(NC_("action", "not-file"), "REASON [NOTE]", 1, 2, M | S, CHANGE,
	     "report_received", "report_not_filed", rule_report_not_file,
	     N_("Do not file the report, citing why (不予立案)")),
	 .reasons = report_not_file_reasons},
	{ROW(NC_("action", "merge"), "NUMBER [NOTE]", 1, 2, M | S, CHANGE,
	     "report_received", "report_merged", rule_report_repeat,
	     N_("A repeated report: merge it into the earlier report"))},
	{ROW(NC_("action", "repeated"), "NUMBER [NOTE]", 1, 2, M | S, CHANGE,
	     "report_received", "report_repeated", rule_report_repeat,
	     N_("A repeated report: not handled again (names the earlier "
		"report)"))},
	{ROW(NC_("action", "tell"), "[NOTE]", 0, 1, M | S, CHANGE,
	     "report_filed report_not_filed", NULL, rule_report_tell,
	     N_("The real-name reporter was told of the decision")),
	 .clock_event = "reporter-told"},
	STATEMENT_ROW(OPEN),
	{ROW(NC_("action", "submit"), "[NOTE]", 0, 1, M | S, CHANGE,
	     WQ_REPORT_STATUSES(submit), "first_review", rule_report_submit,
	     N_("Send the outcome to first review"))},
	REVIEW_ROWS,
	FLAG_ROWS(OPEN),
	NOTE_ROW(OPEN),
};
#undef OPEN

/* The cross-region diversion track (串货): the brand's claim against its
 * distributor, the code-scan trace checked, then the contract's penalty
 * agreed, the claim disputed (arbitration or court under the contract),
 * dismissed, or withdrawn by the brand. */
#define OPEN WQ_DIVERSION_STATUSES(open)
static const struct wq_action diversion_actions[] = {
	CLAIM_ROW(OPEN),
	ASSIGN_ROW(OPEN),
	RELEASE_ROW(OPEN),
	{ROW(NC_("action", "verify-trace"), "[NOTE]", 0, 1, M | S, CHANGE,
	     "diversion_received", "trace_verified", rule_move,
	     N_("The code-scan trace shows the goods left the distributor's "
		"authorised region"))},
	{ROW(NC_("action", "dismiss"), "REASON [NOTE]", 1, 2, M | S, CHANGE,
	     "diversion_received trace_verified", "diversion_dismissed",
	     rule_diversion_dismiss,
	     N_("Dismiss the brand's claim, citing why")),
	 .reasons = diversion_dismiss_reasons},
	{ROW(NC_("action", "penalty"), "AMOUNT [NOTE]", 1, 2, M | S, CHANGE,
	     "trace_verified", "penalty_agreed", rule_diversion_penalty,
	     N_("The distributor agreed to pay the contract's penalty (AMOUNT "
		"in yuan)"))},
	{ROW(NC_("action", "dispute"), "[NOTE]", 0, 1, M | S, CHANGE,
	     "trace_verified", "diversion_disputed", rule_move,
	     N_("The distributor disputes the claim: arbitration or court as "
		"the contract provides"))},
	{ROW(NC_("action", "withdraw"), "[NOTE]", 0, 1, D | M | S, CHANGE,
	     "diversion_received trace_verified", "diversion_withdrawn",
	     rule_move, N_("The brand withdrew its claim"))},
	STATEMENT_ROW(OPEN),
	SUBMIT_ROW(WQ_DIVERSION_STATUSES(submit)),
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
static const char *const report_statuses[] = {
	WQ_REPORT_STATUS_LIST(WQ_STATUS_CODE)
	WQ_REVIEW_STATUS_LIST(WQ_STATUS_CODE) NULL};
static const char *const diversion_statuses[] = {
	WQ_DIVERSION_STATUS_LIST(WQ_STATUS_CODE)
	WQ_REVIEW_STATUS_LIST(WQ_STATUS_CODE) NULL};

#define TABLE(t) t, (int)(sizeof(t) / sizeof(t[0]))
const struct wq_track wq_tracks[] = {
	{"complaint", wq_statuses, TABLE(wq_actions)},
	{"ip", ip_statuses, TABLE(ip_actions)},
	{"diversion", diversion_statuses, TABLE(diversion_actions)},
	{"report", report_statuses, TABLE(report_actions)},
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

/* The statuses of a row's `from`, as the user's labels. */
static void status_labels(const char *from, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	while (*from && used < size) {
		char code[32];
		size_t n;

		from += strspn(from, " ");
		n = strcspn(from, " ");
		if (!n)
			break;
		snprintf(code, sizeof(code), "%.*s", (int)n, from);
		used += (size_t)snprintf(out + used, size - used, "%s%s",
					 used ? " " : "",
					 wq_code_label("status", code));
		from += n;
	}
}

/* Everything about the ruling that does not depend on its arguments:
 * who may before anything about the case is told (a stale version names
 * who changed it), then the status, then the row's own preconditions. */
static enum wq_err check_now(struct wq_store *store,
			     const struct wq_user *actor,
			     const struct wq_action *a,
			     const struct case_core *before,
			     int64_t expect_version)
{
	const struct wq_ruling_ctx ctx = {.store = store, .actor = actor,
					  .a = a, .before = before};
	enum wq_err err = check_role(a, actor);

	if (!err)
		err = wq_case_authorize(store, actor, before->id, a->op);
	if (!err && expect_version && expect_version != before->version)
		err = stale_detail(store, before, expect_version);
	if (!err && !wq_word_in(before->status, a->from)) {
		char from[512];

		status_labels(a->from, from, sizeof(from));
		/* TRANSLATORS: case number, its status, the ruling, the
		 * statuses the ruling applies to. */
		err = wq_fail(WQ_ERR_BAD_STATUS,
			      N_("case %s is %s; '%s' applies to: %s"),
			      before->number,
			      wq_code_label("status", before->status),
			      wq_code_label("action", a->name), from);
	}
	if (!err && a->ready)
		err = a->ready(&ctx);
	return err;
}

enum wq_err wq_rule_ready(struct wq_store *store, const struct wq_user *actor,
			  int64_t case_id, const char *action)
{
	const struct wq_action *a;
	struct case_core before;
	enum wq_err err;

	err = case_core_load(store, case_id, &before);
	if (err)
		return err;
	a = wq_track_action(wq_track_for(before.type, before.status), action);
	if (!a)
		err = wq_fail(WQ_ERR_INVALID,
			      N_("'%s' is not a ruling of case %s (%s)"), action,
			      before.number, before.type);
	else
		err = check_now(store, actor, a, &before, 0);
	case_core_free(&before);
	return err;
}

static char *args_json(const struct wq_ruling *r)
{
	struct wq_buf b = {0};

	wq_buf_puts(&b, "{\"argv\":[");
	for (int i = 0; i < r->argc; i++) {
		char *q = case_json_quote(r->argv[i]);

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
			       N_("'%s' is not an action; see 'weiquan rule "
			       "--list'"),
			       r->action);
	if (r->argc < a->min_args || r->argc > a->max_args)
		return wq_fail(WQ_ERR_INVALID, N_("usage: %s %s"), a->name,
			       a->args);
	for (int i = 0; i < r->argc; i++)
		if (!r->argv[i])
			return wq_fail(WQ_ERR_INVALID, N_("usage: %s %s"),
				       a->name, a->args);

	err = case_core_load(store, case_id, &before);
	if (err)
		return err;
	track = wq_track_for(before.type, before.status);
	if (!track || !(a = wq_track_action(track, r->action))) {
		err = wq_fail(WQ_ERR_INVALID,
			      N_("'%s' is not a ruling of case %s (%s)"),
			      r->action, before.number, before.type);
		case_core_free(&before);
		return err;
	}
	if (r->argc < a->min_args || r->argc > a->max_args) {
		case_core_free(&before);
		return wq_fail(WQ_ERR_INVALID, N_("usage: %s %s"), a->name,
			       a->args);
	}
	err = check_now(store, actor, a, &before, r->expect_version);
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
	aj = args_json(r);
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
	if (ctx.also_clock_event) {
		err = wq_clock_step(store, c.regime, c.clocks,
				    ctx.also_clock_event, c.substate,
				    c.substate, wq_local_day(wq_now()), &clocks,
				    &outcome);
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
		res->due_unverified = outcome.unverified;
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

	/* A case's number never changes: its id is looked up before the
	 * write, which then need not wait for the writes of other cases
	 * (wq_store_begin_write_case). */
	err = wq_case_id_by_number(store, number, &id);
	if (err)
		return err;
	err = wq_store_begin_write_case(store, id);
	if (err)
		return err;
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
	struct wq_stmt *st;
	enum wq_err err;
	int64_t case_id, party_id;
	char at[21];

	if (actor->role != WQ_ROLE_MEDIATOR &&
	    actor->role != WQ_ROLE_SUPERVISOR)
		return wq_fail(WQ_ERR_DENIED,
			       N_("only mediators and supervisors declare "
			       "conflicts of interest"));
	if (strcmp(party, "consumer") != 0 && strcmp(party, "merchant") != 0)
		return wq_fail(WQ_ERR_INVALID,
			       N_("party: '%s' is not consumer or merchant"), party);
	if (!reason || !*reason)
		return wq_fail(WQ_ERR_INVALID,
			       N_("reason: say why there is a conflict"));
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
		wq_bind_text(st, 1, actor->login);
		wq_bind_text(st, 2, party);
		wq_bind_int64(st, 3, party_id);
		wq_bind_text(st, 4, reason);
		wq_bind_text(st, 5, at);
		if (wq_step(st) != WQ_DONE)
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
