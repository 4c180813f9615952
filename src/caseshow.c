#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/case.h"
#include "weiquan/clock.h"
#include "weiquan/wqtime.h"
#include "case_internal.h"
#include "util.h"

/* The case's regime: cases from before regimes were recorded follow the
 * active one (src/clock.c). */
#define CASE_REGIME                                                            \
	"coalesce((SELECT regime FROM case_regimes WHERE case_id = c.id),"    \
	" (SELECT value FROM settings WHERE key = 'regime'))"

/* ?1 case id, ?2 the time shown (UTC timestamp), ?3 the case's mutable
 * fields as they stood then, ?4 show phone, ?5 show ID number, ?6 the
 * statutory clocks' figures (statute_figures()): a case shows those of
 * its clocks beside its regime's. */
static const char show_sql[] =
	"SELECT json_patch(json_object("
	" 'number', c.number, 'type', c.type, 'category', c.category,"
	" 'category_name', k.name_zh,"
	" 'region', coalesce(json_extract(?3, '$.region'), c.region),"
	" 'status', json_extract(?3, '$.status'),"
	" 'substate', json_extract(?3, '$.substate'),"
	" 'reason', json_extract(?3, '$.reason'),"
	" 'review_from', json_extract(?3, '$.review_from'),"
	" 'flags', json_extract(?3, '$.flags'),"
	" 'assignee', json_extract(?3, '$.assignee'),"
	" 'report', json_extract(?3, '$.report'),"
	" 'clock', json_extract(?3, '$.clock'),"
	" 'due_on', nullif(json_extract(?3, '$.due_on'), '9999-12-31'),"
	" 'due_verified', json(CASE WHEN coalesce(json_extract(?3,"
	"   '$.due_on'), '9999-12-31') IN ('', '9999-12-31') THEN 'null'"
	"   WHEN json_extract(?6, '$.' || json_extract(?3, '$.clock'))"
	"   IS NOT NULL THEN CASE json_extract(?6, '$.' || json_extract(?3,"
	"   '$.clock') || '.verified') WHEN 1 THEN 'true' ELSE 'false' END"
	"   WHEN (SELECT verified FROM clock_sources"
	"   WHERE regime = " CASE_REGIME " AND clock = json_extract(?3,"
	"   '$.clock')) THEN 'true' ELSE 'false' END),"
	" 'clocks', json_extract(?3, '$.clocks'),"
	" 'regime', " CASE_REGIME ","
	" 'figures', json_patch((SELECT json_group_object(clock, json_object("
	"   'working_days', r.working_days, 'verified', json(CASE s.verified"
	"   WHEN 1 THEN 'true' ELSE 'false' END), 'basis', r.basis,"
	"   'source', s.source)) FROM clock_rules r LEFT JOIN clock_sources s"
	"   USING (regime, clock) WHERE r.regime = " CASE_REGIME "),"
	"   (SELECT json_group_object(f.key, json(f.value)) FROM json_each(?6) f"
	"   WHERE json_type(json_extract(?3, '$.clocks'), '$.' || f.key)"
	"   IS NOT NULL)),"
	" 'version', json_extract(?3, '$.version'),"
	/* Recorded by rulings of their own (rules.c): addresses the rule
	 * requires, the platform operator's seat as jurisdiction, the bureau
	 * that entrusted the mediation, referrals to the police, follow-up
	 * visits. */
	" 'complainant_address', " CASE_ADDRESS("complainant", "e.at <= ?2") ","
	" 'respondent_address', " CASE_ADDRESS("respondent", "e.at <= ?2") ","
	" 'jurisdiction', json((SELECT json_object('ground',"
	"   json_extract(e.details, '$.args.argv[0]'), 'platform_domicile',"
	"   json_extract(e.details, '$.args.argv[1]'), 'at', e.at, 'by',"
	"   e.actor, 'verified', json('false')) FROM events e"
	"   WHERE e.case_id = c.id AND e.action = 'platform-seat'"
	"   AND e.at <= ?2 ORDER BY e.id DESC LIMIT 1)),"
	" 'entrusted_by', " CASE_LATEST_ARG("entrusted", 0, "e.at <= ?2") ","
	" 'police_referrals', (SELECT json_group_array(json_object("
	"   'police_body', json_extract(e.details, '$.args.argv[0]'),"
	"   'sent', json_extract(e.details, '$.args.argv[1]'),"
	"   'at', e.at, 'by', e.actor, 'event', e.id)) FROM (SELECT * FROM"
	"   events WHERE case_id = c.id AND action = 'refer-police'"
	"   AND at <= ?2 ORDER BY id) e),"
	" 'follow_ups', (SELECT json_group_array(json_object("
	"   'outcome', json_extract(e.details, '$.args.argv[0]'),"
	"   'note', json_extract(e.details, '$.args.argv[1]'),"
	"   'at', e.at, 'by', e.actor, 'event', e.id)) FROM (SELECT * FROM"
	"   events WHERE case_id = c.id AND action = 'follow-up'"
	"   AND at <= ?2 ORDER BY id) e),"
	" 'duplicate_of', (SELECT number FROM cases"
	"   WHERE id = json_extract(?3, '$.duplicate_of')),"
	" 'group', json((SELECT json_object('id', 'G' || g.id, 'title',"
	"   g.title, 'facts', g.facts) FROM case_groups g"
	"   WHERE g.id = json_extract(?3, '$.group_id'))),"
	" 'received_at', c.received_at, 'platform', c.platform,"
	" 'order_no', c.order_no, 'amount_fen', c.amount_fen,"
	" 'order_date', c.order_date, 'remedy', c.remedy,"
	" 'as_of', CASE WHEN ?2 LIKE '9999%' THEN NULL ELSE ?2 END,"
	" 'consumer', json_object('name', p.name,"
	"   'phone', CASE WHEN ?4 OR length(p.phone) < 6 THEN p.phone ELSE"
	"   substr(p.phone, 1, 3) || '******' || substr(p.phone, -2) END,"
	"   'id_number', CASE WHEN ?5 OR length(p.id_number) < 7"
	"   THEN p.id_number ELSE substr(p.id_number, 1, 4) ||"
	"   '************' || substr(p.id_number, -2) END,"
	"   'region', p.region),"
	" 'merchant', json_object('name', m.name, 'platform', m.platform,"
	"   'shop_id', m.shop_id, 'region', m.region,"
	"   'complaints', m.complaints, 'settled', m.settled,"
	"   'failed', m.failed, 'unperformed', m.unperformed,"
	"   'penalties', m.penalties,"
	"   'repeat_offender', json(CASE m.repeat_offender WHEN 1 THEN"
	"   'true' ELSE 'false' END),"
	"   'blacklisted', json(CASE m.blacklisted WHEN 1 THEN 'true'"
	"   ELSE 'false' END),"
	/* why each mark was set or lifted, and on what legal basis */
	"   'marks', (SELECT json_group_array(json_object('flag', flag,"
	"   'on', json(CASE on_off WHEN 1 THEN 'true' ELSE 'false' END),"
	"   'reason', reason, 'basis', basis, 'by', by_login, 'at', at))"
	"   FROM (SELECT * FROM merchant_marks WHERE merchant_id = m.id"
	"   ORDER BY id)),"
	"   'penalty_records', (SELECT json_group_array(json_object("
	"   'amount_fen', amount_fen, 'decision', decision, 'basis', basis,"
	"   'by', by_login, 'at', at)) FROM (SELECT * FROM"
	"   merchant_penalties WHERE merchant_id = m.id ORDER BY id))),"
	" 'statements', (SELECT json_group_array(json_object('id', id,"
	"   'party', party, 'author', author, 'at', at, 'text', text))"
	"   FROM (SELECT * FROM statements WHERE case_id = c.id"
	"   AND at <= ?2 ORDER BY id)),"
	" 'evidence', (SELECT json_group_array(json_object('id', e.id,"
	"   'kind', e.kind, 'party', e.party, 'file_name', e.file_name,"
	"   'size', e.size, 'sha256', e.sha256, 'encoding', e.encoding,"
	"   'added_by', e.added_by, 'added_at', e.added_at,"
	"   'duplicate_of', (SELECT min(o.id) FROM evidence o"
	"   WHERE o.case_id = e.case_id AND o.sha256 = e.sha256"
	"   AND o.id < e.id),"
	"   'reading', (SELECT j.state FROM jobs j"
	"   WHERE j.evidence_id = e.id AND j.kind = 'read-text'),"
	"   'machine_read', json((SELECT json_object('engine', r.engine,"
	"   'confidence', r.confidence, 'read_at', r.read_at,"
	"   'text', r.text) FROM evidence_read_text r"
	"   WHERE r.evidence_id = e.id AND r.read_at <= ?2))))"
	"   FROM (SELECT * FROM evidence WHERE case_id = c.id"
	"   AND added_at <= ?2 ORDER BY id) e),"
	" 'offers', (SELECT json_group_array(json_object('id', id,"
	"   'party', party, 'recorded_by', recorded_by, 'at', at,"
	"   'remedy', remedy, 'amount_fen', amount_fen, 'terms', terms,"
	"   'state', state, 'answers', answers))"
	"   FROM (SELECT * FROM offers WHERE case_id = c.id AND at <= ?2"
	"   ORDER BY id)),"
	" 'agreements', (SELECT json_group_array(json_object('id', id,"
	"   'offer', offer_id, 'remedy', remedy, 'amount_fen', amount_fen,"
	"   'performer', performer, 'perform_by', perform_by, 'text', text,"
	"   'recorded_by', recorded_by, 'at', at,"
	"   'performed_at', performed_at))"
	"   FROM (SELECT * FROM agreements WHERE case_id = c.id"
	"   AND at <= ?2 ORDER BY id)),"
	" 'events', (SELECT json_group_array(json_object('id', id,"
	"   'at', at, 'actor', actor, 'os_login', (SELECT os_login FROM"
	"   event_logins WHERE event_id = id),"
	"   'action', action,"
	"   'details', json(details)))"
	"   FROM (SELECT * FROM events WHERE case_id = c.id AND at <= ?2"
	"   ORDER BY id))),"
	/* a diversion case's dispute, a report's reporter (diversion.h):
	 * null ones left out by the patch */
	" json_object('diversion', json((SELECT json_object('brand', brand,"
	"   'authorised_region', authorised_region, 'found_region',"
	"   found_region, 'batch', batch, 'codes', codes, 'clause', clause,"
	"   'penalty_fen', penalty_fen, 'trace', trace,"
	"   'agreed_penalty_fen', agreed_penalty_fen) FROM diversions"
	"   WHERE case_id = c.id)),"
	" 'real_name', json(CASE WHEN c.type <> 'report' THEN 'null'"
	"   WHEN trim(p.name) NOT IN ('', '匿名', '匿名举报人', 'anonymous',"
	"   'Anonymous') AND (trim(p.phone) <> '' OR trim(p.id_number) <> '')"
	"   THEN 'true' ELSE 'false' END)))"
	" FROM cases c JOIN consumers p ON p.id = c.consumer_id"
	" JOIN merchants m ON m.id = c.merchant_id"
	" LEFT JOIN categories k ON k.code = c.category"
	" WHERE c.id = ?1";

/* The statutory clocks' figures as case show gives a regime's: calendar
 * days, basis, source and whether it was read in the statute. */
static char *statute_figures(void)
{
	struct wq_buf b = {0};

	wq_buf_puts(&b, "{");
	for (const struct wq_statute_clock *s = wq_statute_clocks; s->name;
	     s++) {
		wq_buf_printf(&b, "%s\"%s\":{\"calendar_days\":%d,"
			      "\"verified\":%s,\"basis\":",
			      s == wq_statute_clocks ? "" : ",", s->name,
			      s->calendar_days, s->verified ? "true" : "false");
		wq_buf_json_string(&b, s->basis);
		wq_buf_puts(&b, ",\"source\":");
		wq_buf_json_string(&b, s->source);
		wq_buf_puts(&b, "}");
	}
	wq_buf_puts(&b, "}");
	return b.data;
}

/* Replays the case's events up to `at`: each carries the fields it changed
 * ("set"), the first one all of them. */
static enum wq_err rebuild(struct wq_store *store, int64_t case_id,
			   const char *at, char **state)
{
	struct wq_stmt *st, *patch;
	enum wq_err err;
	char *acc = NULL;

	err = wq_store_prepare(store,
			       "SELECT json_extract(details, '$.set') FROM events"
			       " WHERE case_id = ?1 AND at <= ?2 ORDER BY id",
			       &st);
	if (err)
		return err;
	err = wq_store_prepare(store, "SELECT json_patch(?1, ?2)", &patch);
	if (err) {
		wq_store_finalize(store, st);
		return err;
	}
	wq_bind_int64(st, 1, case_id);
	wq_bind_text(st, 2, at);
	while (wq_step(st) == WQ_ROW) {
		const char *set = wq_column_text_or_null(st, 0);

		if (!set)
			continue;
		wq_bind_text_copy(patch, 1, acc ? acc : "{}");
		wq_bind_text(patch, 2, set);
		if (wq_step(patch) == WQ_ROW) {
			free(acc);
			acc = wq_strdup(
				wq_column_text_or_null(patch, 0));
		}
		wq_stmt_reset(patch);
	}
	wq_store_finalize(store, st);
	wq_store_finalize(store, patch);
	*state = acc;
	return WQ_ERR_OK;
}

enum wq_err wq_case_show_json(struct wq_store *store,
			      const struct wq_user *actor, const char *number,
			      time_t at, char **json)
{
	struct wq_stmt *st;
	enum wq_err err;
	int64_t id;
	char when[21], *state = NULL, *statutes = statute_figures();

	*json = NULL;
	err = case_id_to_read(store, actor, number, &id);
	if (err)
		return err;
	/* One read transaction, so the case and its history agree. */
	err = wq_store_begin_read(store);
	if (err)
		return err;
	wq_time_format(at ? at : wq_now(), when);
	if (!at)
		snprintf(when, sizeof(when), "9999-12-31T23:59:59Z");
	err = rebuild(store, id, when, &state);
	if (!err && !state) {
		wq_time_format(at, when);
		err = wq_fail(WQ_ERR_NOT_FOUND,
			      N_("case %s was not yet registered at %s"),
			      number, when);
	}
	if (!err)
		err = wq_store_prepare(store, show_sql, &st);
	if (!err) {
		if (!at)
			wq_time_format(wq_now(), when);
		wq_bind_int64(st, 1, id);
		wq_bind_text(st, 2, at ? when : "9999-12-31T23:59:59Z");
		wq_bind_text(st, 3, state);
		wq_bind_int(st, 4, wq_role_sees_phone(actor->role));
		wq_bind_int(st, 5, wq_role_sees_id_number(actor->role));
		wq_bind_text(st, 6, statutes);
		if (wq_step(st) == WQ_ROW)
			*json = wq_strdup(
				wq_column_text_or_null(st, 0));
		else
			err = wq_store_error(store, "show case");
		wq_store_finalize(store, st);
	}
	wq_store_end_read(store);
	free(state);
	free(statutes);
	return err;
}
