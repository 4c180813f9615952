#include "config.h"

#include "schema.h"
#include "weiquan/vocab.h"
#include "weiquan/wqtime.h"

/* Version 1.  Amounts are integer fen; dates are 'YYYY-MM-DD' local days;
 * timestamps are UTC 'YYYY-MM-DDTHH:MM:SSZ'.  due_on uses '9999-12-31' when
 * no clock runs so the queue's keyset order needs no NULL handling. */
static const char migration_1[] =
	"CREATE TABLE settings("
	" key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;\n"

	"CREATE TABLE users("
	" login TEXT PRIMARY KEY,"
	" role TEXT NOT NULL CHECK (role IN ('desk','mediator','supervisor','admin')),"
	" name TEXT NOT NULL DEFAULT '',"
	" active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
	" created_at TEXT NOT NULL) STRICT;\n"

	"CREATE TABLE categories("
	" code TEXT PRIMARY KEY,"
	" name_en TEXT NOT NULL,"
	" name_zh TEXT NOT NULL,"
	" sort INTEGER NOT NULL) STRICT;\n"
	"INSERT INTO categories VALUES"
	" ('quality','Product quality','产品质量',10),"
	" ('refund','Refund or return refused','拒绝退款退货',20),"
	" ('advertising','False advertising','虚假宣传',30),"
	" ('counterfeit','Counterfeit or IP infringement','假冒侵权',40),"
	" ('diversion','Cross-region diversion','跨区域串货',50),"
	" ('delivery','Delivery','物流配送',60),"
	" ('payment','Payment security','支付安全',70),"
	" ('service','Service attitude','服务态度',80),"
	" ('privacy','Personal data','个人信息',90),"
	" ('other','Other','其他',100);\n"

	"CREATE TABLE consumers("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" phone TEXT NOT NULL DEFAULT '',"
	" id_number TEXT NOT NULL DEFAULT '',"
	" region TEXT NOT NULL DEFAULT '') STRICT;\n"
	"CREATE INDEX consumers_by_phone ON consumers(phone);\n"
	"CREATE INDEX consumers_by_id_number ON consumers(id_number);\n"

	"CREATE TABLE merchants("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" platform TEXT NOT NULL DEFAULT '',"
	" shop_id TEXT NOT NULL DEFAULT '',"
	" region TEXT NOT NULL DEFAULT '',"
	" complaints INTEGER NOT NULL DEFAULT 0,"
	" settled INTEGER NOT NULL DEFAULT 0,"
	" failed INTEGER NOT NULL DEFAULT 0,"
	" unperformed INTEGER NOT NULL DEFAULT 0,"
	" penalties INTEGER NOT NULL DEFAULT 0,"
	" repeat_offender INTEGER NOT NULL DEFAULT 0 CHECK (repeat_offender IN (0,1)),"
	" blacklisted INTEGER NOT NULL DEFAULT 0 CHECK (blacklisted IN (0,1)),"
	" UNIQUE (platform, shop_id, name)) STRICT;\n"
	"CREATE INDEX merchants_by_name ON merchants(name);\n"

	"CREATE TABLE case_groups("
	" id INTEGER PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" merchant_id INTEGER REFERENCES merchants(id),"
	" facts TEXT NOT NULL DEFAULT '',"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL) STRICT;\n"

	"CREATE TABLE cases("
	" id INTEGER PRIMARY KEY,"
	" number TEXT NOT NULL UNIQUE,"
	" type TEXT NOT NULL CHECK (type IN ('complaint','ip','diversion')),"
	" category TEXT NOT NULL REFERENCES categories(code),"
	" region TEXT NOT NULL DEFAULT '',"
	" consumer_id INTEGER NOT NULL REFERENCES consumers(id),"
	" merchant_id INTEGER NOT NULL REFERENCES merchants(id),"
	" platform TEXT NOT NULL DEFAULT '',"
	" order_no TEXT NOT NULL DEFAULT '',"
	" amount_fen INTEGER NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),"
	" order_date TEXT NOT NULL DEFAULT '',"
	" remedy TEXT NOT NULL DEFAULT '',"
	" status TEXT NOT NULL,"
	" substate TEXT NOT NULL DEFAULT '',"
	" review_from TEXT NOT NULL DEFAULT '',"
	" reason TEXT NOT NULL DEFAULT '',"
	" flags INTEGER NOT NULL DEFAULT 0,"
	" assignee TEXT REFERENCES users(login),"
	" received_at TEXT NOT NULL,"
	" clock TEXT NOT NULL DEFAULT '',"
	" due_on TEXT NOT NULL DEFAULT '9999-12-31',"
	" clocks TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(clocks)),"
	" version INTEGER NOT NULL DEFAULT 1,"
	" group_id INTEGER REFERENCES case_groups(id),"
	" duplicate_of INTEGER REFERENCES cases(id),"
	" report TEXT NOT NULL DEFAULT '',"
	" created_by TEXT NOT NULL,"
	" updated_at TEXT NOT NULL) STRICT;\n"
	/* The queue: keyset pages ordered by (due_on, id) under each filter. */
	"CREATE INDEX cases_by_due ON cases(due_on, id);\n"
	"CREATE INDEX cases_by_status ON cases(status, due_on, id);\n"
	"CREATE INDEX cases_by_assignee ON cases(assignee, due_on, id);\n"
	"CREATE INDEX cases_by_category ON cases(category, due_on, id);\n"
	"CREATE INDEX cases_by_region ON cases(region, due_on, id);\n"
	"CREATE INDEX cases_by_type ON cases(type, due_on, id);\n"
	"CREATE INDEX cases_by_merchant ON cases(merchant_id, received_at);\n"
	"CREATE INDEX cases_by_consumer ON cases(consumer_id, received_at);\n"
	"CREATE INDEX cases_by_received ON cases(received_at, id);\n"
	"CREATE INDEX cases_by_group ON cases(group_id) WHERE group_id IS NOT NULL;\n"

	"CREATE TABLE statements("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" party TEXT NOT NULL CHECK (party IN ('complainant','respondent','mediator')),"
	" author TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" text TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX statements_by_case ON statements(case_id, id);\n"

	"CREATE TABLE evidence("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('voucher','order','chat','photo','contract','logistics','scan','appraisal','other')),"
	" party TEXT NOT NULL CHECK (party IN ('complainant','respondent','mediator')),"
	" file_name TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" encoding TEXT NOT NULL,"
	" original BLOB NOT NULL,"
	" text TEXT,"
	" added_by TEXT NOT NULL,"
	" added_at TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX evidence_by_case ON evidence(case_id, id);\n"

	/* Full-text index over statements and evidence text (rowids: see
	 * wq_store_index_text; migration 5 renumbered them).  Contentless:
	 * the text lives once, in its table; statements and evidence are never
	 * edited. */
	"CREATE VIRTUAL TABLE search_index USING fts5("
	" body, content='', tokenize='wq_cjk');\n"

	"CREATE TABLE offers("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" party TEXT NOT NULL CHECK (party IN ('complainant','respondent','mediator')),"
	" recorded_by TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" remedy TEXT NOT NULL CHECK (remedy IN ('refund','return','exchange','repair','compensation')),"
	" amount_fen INTEGER NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),"
	" terms TEXT NOT NULL DEFAULT '',"
	" state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','accepted','countered')),"
	" answers INTEGER REFERENCES offers(id)) STRICT;\n"
	"CREATE INDEX offers_by_case ON offers(case_id, id);\n"

	"CREATE TABLE agreements("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" offer_id INTEGER NOT NULL REFERENCES offers(id),"
	" remedy TEXT NOT NULL,"
	" amount_fen INTEGER NOT NULL,"
	" performer TEXT NOT NULL CHECK (performer IN ('complainant','respondent')),"
	" perform_by TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" recorded_by TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" performed_at TEXT) STRICT;\n"
	"CREATE INDEX agreements_by_case ON agreements(case_id);\n"

	/* The audit chain.  Rows are only ever appended. */
	"CREATE TABLE events("
	" id INTEGER PRIMARY KEY,"
	" at TEXT NOT NULL,"
	" actor TEXT NOT NULL,"
	" case_id INTEGER REFERENCES cases(id),"
	" action TEXT NOT NULL,"
	" details TEXT NOT NULL CHECK (json_valid(details)),"
	" prev_hash TEXT NOT NULL,"
	" hash TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX events_by_case ON events(case_id, id);\n"
	"CREATE INDEX events_by_actor ON events(actor, at);\n"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	" BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;\n"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	" BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END;\n"
	/* INSERT OR REPLACE deletes without firing delete triggers. */
	"CREATE TRIGGER events_append_only BEFORE INSERT ON events"
	" WHEN NEW.id <= (SELECT max(id) FROM events)"
	" BEGIN SELECT RAISE(ABORT, 'audit events can only be appended'); END;\n"

	"CREATE TABLE calendar_days("
	" day TEXT PRIMARY KEY,"
	" off INTEGER NOT NULL CHECK (off IN (0,1)),"
	" name TEXT NOT NULL,"
	" source TEXT NOT NULL) STRICT;\n"
	"CREATE TABLE calendar_years("
	" year INTEGER PRIMARY KEY,"
	" source TEXT NOT NULL,"
	" loaded_at TEXT NOT NULL) STRICT;\n"

	/* Clock rules are data: a regime (e.g. SAMR Order No. 20) is a set of
	 * clocks, each started when a case enters start_status, stopped when
	 * it enters one of stop_statuses, paused in pause_substates. */
	"CREATE TABLE clock_rules("
	" regime TEXT NOT NULL,"
	" clock TEXT NOT NULL,"
	" working_days INTEGER NOT NULL CHECK (working_days > 0),"
	" start_status TEXT NOT NULL,"
	" stop_statuses TEXT NOT NULL CHECK (json_valid(stop_statuses)),"
	" pause_substates TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(pause_substates)),"
	" regulator_time INTEGER NOT NULL DEFAULT 1 CHECK (regulator_time IN (0,1)),"
	" basis TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (regime, clock)) STRICT;\n"

	"CREATE TABLE conflicts("
	" login TEXT NOT NULL REFERENCES users(login),"
	" party TEXT NOT NULL CHECK (party IN ('consumer','merchant')),"
	" party_id INTEGER NOT NULL,"
	" reason TEXT NOT NULL DEFAULT '',"
	" at TEXT NOT NULL,"
	" PRIMARY KEY (login, party, party_id)) STRICT;\n"

	"CREATE TABLE case_numbers("
	" year INTEGER PRIMARY KEY, last INTEGER NOT NULL) STRICT;\n";

/* Version 2: drafts of what a console user is typing. */
static const char migration_2[] =
	"CREATE TABLE drafts("
	" login TEXT NOT NULL REFERENCES users(login),"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" field TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" updated_at TEXT NOT NULL,"
	" PRIMARY KEY (login, case_id, field)) STRICT;\n";

/* Version 3: the dashboard's counters (src/report.c reads them).
 *
 * Triggers on cases keep them in the writer's own transaction, so they are
 * exact at every commit and the dashboard reads a few hundred small rows
 * instead of counting a million cases.  The migration fills them from the
 * existing rows; the figures that depend on how a case moved (closures,
 * the merchants' outcomes) are replayed from the audit events, whose "set"
 * holds every status a case took.
 *
 * "Open" is every status but closed, as in the queue.  Dates are the
 * installation's days, like the clocks' (RC_DAY; up to version 14 they
 * were the writer's local days, 'localtime').
 *
 * report_counts(dim, key, n), dims:
 *   status                 all cases by status
 *   open_category, open_region, open_type
 *                          open cases by category, region, case type
 *   open_assignee          open cases by assignee ('' = unassigned)
 *   open_flag              open cases with flag bit KEY set (WQ_FLAG_LIST)
 *   open_diversion_region  open cases flagged cross-region-diversion
 *                          (bit 4) by region
 *   group, group_open      all and open members of collective group KEY
 *   report_status, diversion_status
 *                          reports (举报) and diversion disputes by status
 *                          (version 21: the dashboard counted them from
 *                          the cases, 30,000 diversions at a million)
 *   open_assignee_category open cases by assignee and category, the key
 *                          "ASSIGNEE|CATEGORY" (version 21: a mediator's
 *                          queue filtered by a category)
 *   ip_status              IP notices by status (version 25)
 *   ip_wrongful, ip_malicious
 *                          IP notices found wrongful, malicious (flag bits
 *                          6 and 7), key '' (version 25)
 *   review_assignee_status cases in review (first or final) by assignee
 *                          and status, the key "ASSIGNEE|STATUS" (version
 *                          33: the review order's count)
 *   diversion_found_region, diversion_authorised_region
 *                          the details of diversion disputes (diversions)
 *                          by the region the goods were found in and the
 *                          one the distributor may sell in (version 26;
 *                          RC_DIVERSION_DIMS, triggers on diversions)
 * report_due(clock, due_on, paused, n): cases whose running clock (the
 *   queue's cases.clock) falls due on due_on; paused as the queue's "||".
 * report_due_assignee(assignee, due_on, n): the same for assigned cases
 *   whose clock is not paused.
 * report_daily(what, day, n): 'intake' (cases received that day),
 *   'complaints' (the consumer complaints among them, RC_CONSUMER; version
 *   25) and 'closed' (times a case entered closed that day; a case
 *   imported as closed counts on the day it was received).  A case's type
 *   and received_at never change (case_core_save writes neither).
 * report_merchants: per merchant, what the 12315 publicity platform shows,
 *   of its consumer complaints (RC_CONSUMER); the transitions counted are
 *   spelt out in src/report.c.
 * report_merchant_days(merchant_id, day, n): consumer complaints received
 *   per day, for the growth figure.
 * report_actor_days(actor, day, n): rulings (RC_RULING) per user and day;
 *   a trigger on events, the audit log, keeps it. */
#define RC_OPEN(r) "(" r ".status <> 'closed')"
#define RC_NOCLOCK "'9999-12-31'"
#define RC_PAUSED(r)                                                           \
	"(json_extract(" r ".clocks, '$.' || " r ".clock || '.paused')"       \
	" IS NOT NULL)"
/* A counted dimension: KEY(r) is its key and IN(r) whether the row counts,
 * for r = OLD or NEW. */
#define RC_STATUS_KEY(r) r ".status"
#define RC_ALL(r) "1"
#define RC_CATEGORY_KEY(r) r ".category"
#define RC_REGION_KEY(r) r ".region"
#define RC_TYPE_KEY(r) r ".type"
#define RC_ASSIGNEE_KEY(r) "coalesce(" r ".assignee, '')"
#define RC_DIVERSION_IN(r) "(" RC_OPEN(r) " AND (" r ".flags & 16) <> 0)"
#define RC_GROUP_KEY(r) "CAST(" r ".group_id AS TEXT)"
#define RC_GROUP_IN(r) "(" r ".group_id IS NOT NULL)"
#define RC_GROUP_OPEN_IN(r) "(" RC_GROUP_IN(r) " AND " RC_OPEN(r) ")"
#define RC_ASSIGNEE_CATEGORY_KEY(r)                                            \
	"(" RC_ASSIGNEE_KEY(r) " || '|' || " r ".category)"
#define RC_REPORT_IN(r) "(" r ".type = 'report')"
#define RC_DIVERSION_CASE_IN(r) "(" r ".type = 'diversion')"
/* IP notices (version 25: the dashboard counted them from the cases,
 * some 35,000 at a million), and those found wrongful (flag bit 6) or
 * malicious (bit 7): one row each, key ''. */
#define RC_NOKEY(r) "''"
#define RC_IP_IN(r) "(" r ".type = 'ip')"
#define RC_IP_WRONGFUL_IN(r) "(" r ".type = 'ip' AND (" r ".flags & 64) <> 0)"
#define RC_IP_MALICIOUS_IN(r) "(" r ".type = 'ip' AND (" r ".flags & 128) <> 0)"
/* The cases in review by assignee and status (version 33: a mediator's
 * queue in the review order counted their cases in review through an
 * index, 4,847 entries at a million). */
#define RC_REVIEW_IN(r)                                                        \
	"(" r ".status IN ('first_review', 'final_review'))"
#define RC_ASSIGNEE_STATUS_KEY(r)                                              \
	"(" RC_ASSIGNEE_KEY(r) " || '|' || " r ".status)"
#define RC_DIMS(X)                                                             \
	X("status", RC_STATUS_KEY, RC_ALL)                                     \
	X("open_category", RC_CATEGORY_KEY, RC_OPEN)                           \
	X("open_region", RC_REGION_KEY, RC_OPEN)                               \
	X("open_type", RC_TYPE_KEY, RC_OPEN)                                   \
	X("open_assignee", RC_ASSIGNEE_KEY, RC_OPEN)                           \
	X("open_diversion_region", RC_REGION_KEY, RC_DIVERSION_IN)             \
	X("group", RC_GROUP_KEY, RC_GROUP_IN)                                  \
	X("group_open", RC_GROUP_KEY, RC_GROUP_OPEN_IN)                        \
	X("report_status", RC_STATUS_KEY, RC_REPORT_IN)                        \
	X("diversion_status", RC_STATUS_KEY, RC_DIVERSION_CASE_IN)             \
	X("open_assignee_category", RC_ASSIGNEE_CATEGORY_KEY, RC_OPEN)         \
	X("ip_status", RC_STATUS_KEY, RC_IP_IN)                                \
	X("ip_wrongful", RC_NOKEY, RC_IP_WRONGFUL_IN)                          \
	X("ip_malicious", RC_NOKEY, RC_IP_MALICIOUS_IN)                        \
	X("review_assignee_status", RC_ASSIGNEE_STATUS_KEY, RC_REVIEW_IN)
/* One more in a counter's row that is there already (PostgreSQL names
 * the table's n apart from the new row's). */
#define RC_BUMP(table) "n = n + 1"
#define RC_ADD(dim, key, cond)                                                 \
	" INSERT INTO report_counts(dim, key, n) SELECT '" dim "', " key ", 1"  \
	" WHERE " cond " ON CONFLICT(dim, key) DO UPDATE SET "                  \
	RC_BUMP("report_counts") ";\n"
#define RC_SUB(dim, key, cond)                                                 \
	" UPDATE report_counts SET n = n - 1 WHERE dim = '" dim "'"           \
	" AND key = " key " AND " cond ";\n"
#define RC_INSERT(dim, KEY, IN) RC_ADD(dim, KEY("NEW"), IN("NEW"))
#define RC_DELETE(dim, KEY, IN) RC_SUB(dim, KEY("OLD"), IN("OLD"))
/* On update, a row leaves its old key and joins its new one only when
 * the key or whether it counts changed. */
#define RC_SAME(KEY, IN)                                                       \
	"(" IN("OLD") " AND " IN("NEW") " AND " KEY("OLD") " IS " KEY("NEW") ")"
#define RC_UPDATE(dim, KEY, IN)                                                \
	RC_SUB(dim, KEY("OLD"), IN("OLD") " AND NOT " RC_SAME(KEY, IN))       \
	RC_ADD(dim, KEY("NEW"), IN("NEW") " AND NOT " RC_SAME(KEY, IN))
/* Flags: one key per bit set, from report_bits. */
#define RC_FLAG_ON(r) "(" r ".flags & b.mask) <> 0 AND " RC_OPEN(r)
#define RC_FLAG_ADD(cond)                                                      \
	" INSERT INTO report_counts(dim, key, n) SELECT 'open_flag', b.key, 1" \
	" FROM report_bits b WHERE " cond                                      \
	" ON CONFLICT(dim, key) DO UPDATE SET " RC_BUMP("report_counts") ";\n"
#define RC_FLAG_SUB(cond)                                                      \
	" UPDATE report_counts SET n = n - 1 WHERE dim = 'open_flag' AND key"  \
	" IN (SELECT b.key FROM report_bits b WHERE " cond ");\n"
/* Clocks: (clock, due_on, paused) and (assignee, due_on). */
#define RC_DUE_IN(r) "(" r ".due_on <> " RC_NOCLOCK ")"
#define RC_DUE_SAME                                                            \
	"(" RC_DUE_IN("OLD") " AND " RC_DUE_IN("NEW") " AND OLD.clock ="     \
	" NEW.clock AND OLD.due_on = NEW.due_on AND " RC_PAUSED("OLD")        \
	" = " RC_PAUSED("NEW") ")"
#define RC_DUE_ADD(cond)                                                       \
	" INSERT INTO report_due(clock, due_on, paused, n) SELECT NEW.clock,"  \
	" NEW.due_on, " RC_PAUSED("NEW") ", 1 WHERE " cond                      \
	" ON CONFLICT(clock, due_on, paused) DO UPDATE SET "                   \
	RC_BUMP("report_due") ";\n"
#define RC_DUE_SUB(cond)                                                       \
	" UPDATE report_due SET n = n - 1 WHERE clock = OLD.clock AND"         \
	" due_on = OLD.due_on AND paused = " RC_PAUSED("OLD") " AND " cond ";\n"
#define RC_DUEA_IN(r)                                                          \
	"(" RC_DUE_IN(r) " AND " r ".assignee IS NOT NULL AND NOT "           \
	RC_PAUSED(r) ")"
#define RC_DUEA_SAME                                                           \
	"(" RC_DUEA_IN("OLD") " AND " RC_DUEA_IN("NEW") " AND OLD.assignee =" \
	" NEW.assignee AND OLD.due_on = NEW.due_on)"
#define RC_DUEA_ADD(cond)                                                      \
	" INSERT INTO report_due_assignee(assignee, due_on, n) SELECT"         \
	" NEW.assignee, NEW.due_on, 1 WHERE " cond                             \
	" ON CONFLICT(assignee, due_on) DO UPDATE SET "                        \
	RC_BUMP("report_due_assignee") ";\n"
#define RC_DUEA_SUB(cond)                                                      \
	" UPDATE report_due_assignee SET n = n - 1 WHERE assignee ="           \
	" OLD.assignee AND due_on = OLD.due_on AND " cond ";\n"
/* The totals of report_due and report_due_assignee (version 30), in
 * report_counts: the cases of a clock that runs (due_running) or is
 * paused (due_paused), keyed by the clock, and an assignee's running
 * ones (due_assignee).  The days before today only grow in those tables
 * (every day a deadline fell on stays, at 0 once its cases moved on):
 * what is overdue is the total less the days from today on. */
#define RC_CLOCK_KEY(r) r ".clock"
#define RC_DUE_RUNNING_IN(r) "(" RC_DUE_IN(r) " AND " RC_PAUSED(r) " = 0)"
#define RC_DUE_PAUSED_IN(r) "(" RC_DUE_IN(r) " AND " RC_PAUSED(r) " = 1)"
#define RC_DUE_TOTALS(X)                                                       \
	X("due_running", RC_CLOCK_KEY, RC_DUE_RUNNING_IN)                     \
	X("due_paused", RC_CLOCK_KEY, RC_DUE_PAUSED_IN)                       \
	X("due_assignee", RC_ASSIGNEE_KEY, RC_DUEA_IN)
/* What a change of a case's clock, deadline, pause or assignee counts
 * (the trigger report_case_due). */
#define RC_CASE_DUE_COUNTS                                                     \
	RC_DUE_SUB(RC_DUE_IN("OLD") " AND NOT " RC_DUE_SAME)                   \
	RC_DUE_ADD(RC_DUE_IN("NEW") " AND NOT " RC_DUE_SAME)                   \
	RC_DUEA_SUB(RC_DUEA_IN("OLD") " AND NOT " RC_DUEA_SAME)                \
	RC_DUEA_ADD(RC_DUEA_IN("NEW") " AND NOT " RC_DUEA_SAME)                \
	RC_DUE_TOTALS(RC_UPDATE)
#define RC_CASE_DUE_TRIGGER                                                    \
	"DROP TRIGGER IF EXISTS report_case_due;\n"                            \
	"CREATE TRIGGER report_case_due AFTER UPDATE OF clock, due_on,"        \
	" clocks, assignee ON cases BEGIN\n" RC_CASE_DUE_COUNTS "END;\n"
/* The totals made from the two tables, whose rows they must add up to. */
#define RC_DUE_TOTALS_BACKFILL                                                 \
	"DELETE FROM report_counts WHERE dim IN ('due_running', 'due_paused',"  \
	" 'due_assignee');\n"                                                  \
	"INSERT INTO report_counts(dim, key, n) SELECT CASE WHEN paused = 0"   \
	" THEN 'due_running' ELSE 'due_paused' END, clock, sum(n)"             \
	" FROM report_due GROUP BY clock, paused HAVING sum(n) <> 0;\n"        \
	"INSERT INTO report_counts(dim, key, n) SELECT 'due_assignee',"        \
	" assignee, sum(n) FROM report_due_assignee GROUP BY assignee"         \
	" HAVING sum(n) <> 0;\n"
/* Days. */
/* The installation's date (Beijing's unless settings say otherwise), the
 * same as the core's wq_local_day(), whatever the zone of the process
 * that writes: a trigger never uses 'localtime'.  An offset SQLite cannot
 * read falls back to Beijing's, as the core does, rather than failing
 * every write. */
#define RC_DAY(ts)                                                             \
	"coalesce(date(" ts ", " WQ_SQL_ZONE "), date(" ts ", '+08:00'))"
#define RC_DAILY_ADD(what, day, cond)                                          \
	" INSERT INTO report_daily(what, day, n) SELECT '" what "', " day      \
	", 1 WHERE " cond " ON CONFLICT(what, day) DO UPDATE SET "             \
	RC_BUMP("report_daily") ";\n"
/* A consumer complaint deleted leaves its day's count. */
#define RC_DAILY_COMPLAINT_SUB                                                 \
	" UPDATE report_daily SET n = n - 1 WHERE what = 'complaints' AND"     \
	" day = " RC_DAY("OLD.received_at") " AND " RC_CONSUMER("OLD") ";\n"
/* The merchants' 12315 figures count consumer complaints only: an IP
 * notice or a diversion case is never one (DOMAIN.md). */
#define RC_CONSUMER(r) "(" r ".type = 'complaint')"
#define RC_MDAY_ADD(r)                                                         \
	" INSERT INTO report_merchant_days(merchant_id, day, n) SELECT "       \
	r ".merchant_id, " RC_DAY(r ".received_at") ", 1 WHERE "               \
	RC_CONSUMER(r) " ON CONFLICT(merchant_id, day) DO UPDATE SET "         \
	RC_BUMP("report_merchant_days") ";\n"
#define RC_MDAY_SUB(r)                                                         \
	" UPDATE report_merchant_days SET n = n - 1 WHERE merchant_id = "      \
	r ".merchant_id AND day = " RC_DAY(r ".received_at") " AND "           \
	RC_CONSUMER(r) ";\n"
/* The merchants' outcomes: a status change from o to n (o and n are SQL
 * expressions).  src/report.c explains each figure. */
#define RC_WORKING WQ_SQL_STATUSES(early)
#define RC_OUTCOMES WQ_SQL_STATUSES(ends)
#define RC_CONCLUDED(o, n) "(" o " IN " RC_WORKING " AND " n " IN " RC_OUTCOMES ")"
#define RC_MEDIATED(o, n)                                                      \
	"((" o " = 'in_mediation' AND " n " IN ('agreement','settled',"        \
	"'mediation_ended')) OR (" o " = 'accepted' AND " n                    \
	" = 'mediation_ended'))"
/* An agreement found unperformed: status unperformed, or (before schema
 * 6) mediation_ended. */
#define RC_SUCCESS(o, n)                                                       \
	"((" o " = 'in_mediation' AND " n " IN ('agreement','settled'))"       \
	" - (" o " = 'performance_watch' AND " n " IN ('mediation_ended',"     \
	"'unperformed')))"
#define RC_SETTLED_BEFORE(o, n)                                                \
	"(" o " IN ('odr','accepted') AND " n " = 'settled')"
#define RC_MERCHANT_SET(o, n)                                                  \
	" UPDATE report_merchants SET"                                         \
	" concluded = concluded + " RC_CONCLUDED(o, n) ","                     \
	" mediated = mediated + " RC_MEDIATED(o, n) ","                        \
	" mediation_success = mediation_success + " RC_SUCCESS(o, n) ","       \
	" settled_before = settled_before + " RC_SETTLED_BEFORE(o, n)
#define RC_MERCHANT_STEP(r, o, n)                                              \
	RC_MERCHANT_SET(o, n)                                                  \
	" WHERE merchant_id = " r ".merchant_id AND " RC_CONSUMER(r) ";\n"
/* Whether a status change from o to n moves one of the merchants'
 * figures (version 24: the row is written only then). */
#define RC_MERCHANT_MOVED(o, n)                                                \
	"(" RC_CONCLUDED(o, n) " OR " RC_MEDIATED(o, n) " OR " RC_SUCCESS(o, n) \
	" <> 0 OR " RC_SETTLED_BEFORE(o, n) ")"
#define RC_MERCHANT_MOVE(r, o, n)                                              \
	RC_MERCHANT_SET(o, n)                                                  \
	" WHERE merchant_id = " r ".merchant_id AND " RC_CONSUMER(r)          \
	" AND " RC_MERCHANT_MOVED(o, n) ";\n"

/* An event that is a ruling on a case (report_actor_days): every action of
 * the rulings table but the texts (note, statement). */
#define RC_RULING(r)                                                           \
	"(" r ".case_id IS NOT NULL AND " r ".action NOT IN ('create',"        \
	"'evidence','intake','note','statement','document'))"

/* The triggers that keep the counters, apart so that a later version
 * can replace them without recounting everything. */
#define RC_TRIGGERS \
	/* ---- the triggers ---- */ \
	RC_CASE_COUNT_TRIGGERS \
	RC_CASE_MOVE_TRIGGERS
/* What a case's insertion, deletion and change of a counted column count
 * (version 25 replaced them alone). */
#define RC_CASE_COUNT_TRIGGERS \
	"DROP TRIGGER IF EXISTS report_case_insert;\n" \
	"CREATE TRIGGER report_case_insert AFTER INSERT ON cases BEGIN\n" \
	RC_CASE_INSERT_COUNTS \
	"END;\n" \
 \
	/* Cases are never deleted by weiquan; if someone does, the counts \
	 * follow (closures and outcomes, being history, stay). */ \
	"DROP TRIGGER IF EXISTS report_case_delete;\n" \
	"CREATE TRIGGER report_case_delete AFTER DELETE ON cases BEGIN\n" \
	RC_CASE_DELETE_COUNTS \
	"END;\n" \
 \
	"DROP TRIGGER IF EXISTS report_case_counts;\n" \
	"CREATE TRIGGER report_case_counts AFTER UPDATE OF status, category," \
	" region, type, assignee, flags, group_id ON cases BEGIN\n" \
	RC_CASE_UPDATE_COUNTS \
	"END;\n"
/* Their bodies, the same text on PostgreSQL (its functions'), where the
 * RC_ macros that differ are defined again. */
#define RC_CASE_INSERT_COUNTS \
	RC_DIMS(RC_INSERT) \
	RC_FLAG_ADD(RC_FLAG_ON("NEW")) \
	RC_DUE_ADD(RC_DUE_IN("NEW")) \
	RC_DUEA_ADD(RC_DUEA_IN("NEW")) \
	RC_DUE_TOTALS(RC_INSERT) \
	RC_DAILY_ADD("intake", RC_DAY("NEW.received_at"), RC_ALL("NEW")) \
	RC_DAILY_ADD("complaints", RC_DAY("NEW.received_at"), \
		     RC_CONSUMER("NEW")) \
	RC_DAILY_ADD("closed", RC_DAY("NEW.updated_at"), \
		     "NEW.status = 'closed'") \
	" INSERT INTO report_merchants(merchant_id, complaints)" \
	" SELECT NEW.merchant_id, 1 WHERE " RC_CONSUMER("NEW") \
	" ON CONFLICT(merchant_id) DO UPDATE SET" \
	" complaints = report_merchants.complaints + 1;\n" \
	RC_MERCHANT_STEP("NEW", "'received'", "NEW.status") \
	RC_MDAY_ADD("NEW")
#define RC_CASE_DELETE_COUNTS \
	RC_DIMS(RC_DELETE) \
	RC_FLAG_SUB(RC_FLAG_ON("OLD")) \
	RC_DUE_SUB(RC_DUE_IN("OLD")) \
	RC_DUEA_SUB(RC_DUEA_IN("OLD")) \
	RC_DUE_TOTALS(RC_DELETE) \
	" UPDATE report_daily SET n = n - 1 WHERE what = 'intake' AND day = " \
	RC_DAY("OLD.received_at") ";\n" \
	RC_DAILY_COMPLAINT_SUB \
	" UPDATE report_merchants SET complaints = complaints - 1" \
	" WHERE merchant_id = OLD.merchant_id AND " RC_CONSUMER("OLD") ";\n" \
	RC_MDAY_SUB("OLD")
#define RC_CASE_UPDATE_COUNTS \
	RC_DIMS(RC_UPDATE) \
	RC_FLAG_SUB(RC_FLAG_ON("OLD") " AND NOT (" RC_FLAG_ON("NEW") ")") \
	RC_FLAG_ADD(RC_FLAG_ON("NEW") " AND NOT (" RC_FLAG_ON("OLD") ")")
#define RC_CASE_MOVE_TRIGGERS \
	"DROP TRIGGER IF EXISTS report_case_status;\n" \
	"CREATE TRIGGER report_case_status AFTER UPDATE OF status ON cases" \
	" WHEN OLD.status IS NOT NEW.status BEGIN\n" \
	RC_DAILY_ADD("closed", RC_DAY("NEW.updated_at"), \
		     "NEW.status = 'closed'") \
	RC_MERCHANT_STEP("NEW", "OLD.status", "NEW.status") \
	"END;\n" \
 \
	RC_CASE_DUE_TRIGGER \
 \
	/* weiquan never moves a case to another merchant; if it happens, the \
	 * complaint moves, its outcomes stay where they were counted. */ \
	"DROP TRIGGER IF EXISTS report_case_merchant;\n" \
	"CREATE TRIGGER report_case_merchant AFTER UPDATE OF merchant_id" \
	" ON cases WHEN OLD.merchant_id IS NOT NEW.merchant_id BEGIN\n" \
	" UPDATE report_merchants SET complaints = complaints - 1" \
	" WHERE merchant_id = OLD.merchant_id AND " RC_CONSUMER("OLD") ";\n" \
	" INSERT INTO report_merchants(merchant_id, complaints)" \
	" SELECT NEW.merchant_id, 1 WHERE " RC_CONSUMER("NEW") \
	" ON CONFLICT(merchant_id) DO UPDATE SET complaints = complaints + 1;\n" \
	RC_MDAY_SUB("OLD") \
	RC_MDAY_ADD("NEW") \
	"END;\n" \
 \
	"DROP TRIGGER IF EXISTS report_event_insert;\n" \
	"CREATE TRIGGER report_event_insert AFTER INSERT ON events" \
	" WHEN " RC_RULING("NEW") " BEGIN\n" \
	" INSERT INTO report_actor_days(actor, day, n) SELECT NEW.actor, " \
	RC_DAY("NEW.at") ", 1 WHERE 1 ON CONFLICT(actor, day)" \
	" DO UPDATE SET n = n + 1;\n" \
	"END;\n"

#define RC_DAILY_COMPLAINTS_BACKFILL                                           \
	"INSERT INTO report_daily(what, day, n) SELECT 'complaints', d,"       \
	" count(*) FROM (SELECT " RC_DAY("c.received_at") " AS d FROM cases c" \
	" WHERE " RC_CONSUMER("c") ") AS complaints GROUP BY d;\n"
#define RC_BACKFILL(dim, KEY, IN)                                              \
	"INSERT INTO report_counts(dim, key, n) SELECT '" dim "', k, count(*)" \
	" FROM (SELECT " KEY("c") " AS k FROM cases c WHERE " IN("c") ")"     \
	" GROUP BY k;\n"
/* The whole of it, so that a later version can run it again (RC_REBUILD
 * is the text of migration 3). */
#define RC_REBUILD \
	"CREATE TABLE IF NOT EXISTS report_counts(" \
	" dim TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL," \
	" PRIMARY KEY (dim, key)) STRICT, WITHOUT ROWID;\n" \
	/* The flag bits a case may carry (cases.flags), as keys. */ \
	"CREATE TABLE IF NOT EXISTS report_bits(" \
	" bit INTEGER PRIMARY KEY, mask INTEGER NOT NULL, key TEXT NOT NULL)" \
	" STRICT;\n" \
	"WITH RECURSIVE b(bit) AS (SELECT 0 UNION ALL SELECT bit + 1 FROM b" \
	" WHERE bit < 15) INSERT OR IGNORE INTO report_bits" \
	" SELECT bit, 1 << bit, CAST(bit AS TEXT) FROM b;\n" \
	"CREATE TABLE IF NOT EXISTS report_due(" \
	" clock TEXT NOT NULL, due_on TEXT NOT NULL, paused INTEGER NOT NULL," \
	" n INTEGER NOT NULL, PRIMARY KEY (clock, due_on, paused))" \
	" STRICT, WITHOUT ROWID;\n" \
	"CREATE TABLE IF NOT EXISTS report_due_assignee(" \
	" assignee TEXT NOT NULL, due_on TEXT NOT NULL, n INTEGER NOT NULL," \
	" PRIMARY KEY (assignee, due_on)) STRICT, WITHOUT ROWID;\n" \
	"CREATE TABLE IF NOT EXISTS report_daily(" \
	" what TEXT NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL," \
	" PRIMARY KEY (what, day)) STRICT, WITHOUT ROWID;\n" \
	"CREATE TABLE IF NOT EXISTS report_merchants(" \
	" merchant_id INTEGER PRIMARY KEY," \
	" complaints INTEGER NOT NULL DEFAULT 0," \
	" concluded INTEGER NOT NULL DEFAULT 0," \
	" mediated INTEGER NOT NULL DEFAULT 0," \
	" mediation_success INTEGER NOT NULL DEFAULT 0," \
	" settled_before INTEGER NOT NULL DEFAULT 0) STRICT;\n" \
	"CREATE INDEX IF NOT EXISTS report_merchants_by_complaints" \
	" ON report_merchants(complaints);\n" \
	"CREATE TABLE IF NOT EXISTS report_merchant_days(" \
	" merchant_id INTEGER NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL," \
	" PRIMARY KEY (merchant_id, day)) STRICT, WITHOUT ROWID;\n" \
	"CREATE TABLE IF NOT EXISTS report_actor_days(" \
	" actor TEXT NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL," \
	" PRIMARY KEY (actor, day)) STRICT, WITHOUT ROWID;\n" \
	"CREATE INDEX IF NOT EXISTS merchants_flagged ON merchants(id)" \
	" WHERE repeat_offender = 1 OR blacklisted = 1;\n" \
	/* The open cases flagged possibly-malicious (bit 0), awaiting a \
	 * reviewer, oldest first. */ \
	"CREATE INDEX IF NOT EXISTS cases_malicious_open ON cases(received_at)" \
	" WHERE (flags & 1) <> 0 AND status <> 'closed';\n" \
 \
	RC_TRIGGERS \
	/* ---- the backfill (also a rebuild: this text may run again on a \
	 * database that has the tables, e.g. after a restore) ---- */ \
	"DELETE FROM report_counts; DELETE FROM report_due;" \
	" DELETE FROM report_due_assignee; DELETE FROM report_daily;" \
	" DELETE FROM report_merchants; DELETE FROM report_merchant_days;" \
	" DELETE FROM report_actor_days;\n" \
	"DROP TABLE IF EXISTS temp.report_moves;\n" \
	RC_DIMS(RC_BACKFILL) \
	"INSERT INTO report_counts(dim, key, n) SELECT 'open_flag', b.key," \
	" count(*) FROM cases c JOIN report_bits b ON (c.flags & b.mask) <> 0" \
	" WHERE " RC_OPEN("c") " GROUP BY b.key;\n" \
	"INSERT INTO report_due(clock, due_on, paused, n)" \
	" SELECT clock, due_on, p, count(*) FROM (SELECT c.clock, c.due_on, " \
	RC_PAUSED("c") " AS p FROM cases c WHERE " RC_DUE_IN("c") ")" \
	" GROUP BY clock, due_on, p;\n" \
	"INSERT INTO report_due_assignee(assignee, due_on, n)" \
	" SELECT c.assignee, c.due_on, count(*) FROM cases c WHERE " \
	RC_DUEA_IN("c") " GROUP BY c.assignee, c.due_on;\n" \
	RC_DUE_TOTALS_BACKFILL \
	"INSERT INTO report_daily(what, day, n) SELECT 'intake', d, count(*)" \
	" FROM (SELECT " RC_DAY("received_at") " AS d FROM cases) GROUP BY d;\n" \
	RC_DAILY_COMPLAINTS_BACKFILL \
	"INSERT INTO report_merchants(merchant_id, complaints)" \
	" SELECT merchant_id, count(*) FROM cases c WHERE " RC_CONSUMER("c") \
	" GROUP BY merchant_id;\n" \
	"INSERT INTO report_merchant_days(merchant_id, day, n)" \
	" SELECT merchant_id, d, count(*) FROM (SELECT merchant_id, " \
	RC_DAY("received_at") " AS d FROM cases c WHERE " RC_CONSUMER("c") \
	") GROUP BY merchant_id, d;\n" \
	"INSERT INTO report_actor_days(actor, day, n) SELECT actor, d," \
	" count(*) FROM (SELECT actor, " RC_DAY("at") " AS d FROM events e" \
	" WHERE " RC_RULING("e") ") GROUP BY actor, d;\n" \
	/* Every status a case took, with the one before it ('received' for \
	 * the first, as the insert trigger counts it). */ \
	"CREATE TEMP TABLE report_moves AS SELECT case_id, at, action," \
	" coalesce(lag(st) OVER (PARTITION BY case_id ORDER BY id)," \
	" 'received') AS o, st AS n, received_at" \
	" FROM (SELECT id, case_id, at, action," \
	" json_extract(details, '$.set.status') AS st," \
	" json_extract(details, '$.set.received_at') AS received_at" \
	" FROM events WHERE case_id IS NOT NULL" \
	" AND instr(details, '\"status\"') > 0)" \
	" WHERE st IS NOT NULL;\n" \
	"INSERT INTO report_daily(what, day, n) SELECT 'closed', d, count(*)" \
	" FROM (SELECT " RC_DAY("CASE WHEN action = 'create' THEN received_at" \
				" ELSE at END") " AS d FROM temp.report_moves" \
	" WHERE n = 'closed' AND (o <> 'closed' OR action = 'create'))" \
	" GROUP BY d;\n" \
	"UPDATE report_merchants SET concluded = x.concluded," \
	" mediated = x.mediated, mediation_success = x.success," \
	" settled_before = x.settled_before FROM (SELECT c.merchant_id," \
	" sum(" RC_CONCLUDED("m.o", "m.n") ") AS concluded," \
	" sum(" RC_MEDIATED("m.o", "m.n") ") AS mediated," \
	" sum(" RC_SUCCESS("m.o", "m.n") ") AS success," \
	" sum(" RC_SETTLED_BEFORE("m.o", "m.n") ") AS settled_before" \
	" FROM temp.report_moves m JOIN cases c ON c.id = m.case_id" \
	" WHERE " RC_CONSUMER("c") " GROUP BY c.merchant_id) AS x" \
	" WHERE report_merchants.merchant_id = x.merchant_id;\n" \
	"DROP TABLE temp.report_moves;\n"

static const char migration_3[] = RC_REBUILD;

/* Version 4: collective complaints.  Members of a group (cases.group_id)
 * share its facts (case_groups.facts) and the evidence attached to the
 * group itself, kept like a case's evidence: the original bytes, their
 * SHA-256, the encoding and the UTF-8 text. */
static const char migration_4[] =
	"CREATE TABLE IF NOT EXISTS group_evidence("
	" id INTEGER PRIMARY KEY,"
	" group_id INTEGER NOT NULL REFERENCES case_groups(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('voucher','order','chat','photo','contract','logistics','scan','appraisal','other')),"
	" party TEXT NOT NULL CHECK (party IN ('complainant','respondent','mediator')),"
	" file_name TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" encoding TEXT NOT NULL,"
	" original BLOB NOT NULL,"
	" text TEXT,"
	" added_by TEXT NOT NULL,"
	" added_at TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX IF NOT EXISTS group_evidence_by_group ON group_evidence(group_id, id);\n"
	"CREATE INDEX IF NOT EXISTS case_groups_by_merchant ON case_groups(merchant_id);\n";

/* Version 5: the OS login of the process that wrote each event, beside
 * the acting login (which --user may set).  src/audit.c hashes it with
 * the event; events written before have no row here.  A table of its own
 * rather than a column, so that this text may run again. */
static const char migration_5[] =
	"CREATE TABLE IF NOT EXISTS event_logins("
	" event_id INTEGER PRIMARY KEY REFERENCES events(id),"
	" os_login TEXT NOT NULL) STRICT;\n"
	"DROP TRIGGER IF EXISTS event_logins_no_update;\n"
	"CREATE TRIGGER event_logins_no_update BEFORE UPDATE ON event_logins"
	" BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;\n"
	"DROP TRIGGER IF EXISTS event_logins_no_delete;\n"
	"CREATE TRIGGER event_logins_no_delete BEFORE DELETE ON event_logins"
	" BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END;\n"
	"DROP TRIGGER IF EXISTS event_logins_append_only;\n"
	"CREATE TRIGGER event_logins_append_only BEFORE INSERT ON event_logins"
	" WHEN NEW.event_id <= (SELECT max(event_id) FROM event_logins)"
	" BEGIN SELECT RAISE(ABORT, 'audit events can only be appended'); END;\n";

/* Version 6: the search index rebuilt, its rowids the case id shifted
 * left 16 bits plus the document's ordinal in its case (statements first
 * here, in id order, then evidence with text; wq_store_index_text), so
 * search pages walk it by case; its tokens with Traditional characters
 * folded to Simplified (src/fts_cjk.c).  A contentless FTS5 table keeps no
 * text to rebuild from, so everything is indexed again, in rowid order. */
static const char migration_6[] =
	"INSERT INTO search_index(search_index) VALUES('delete-all');\n"
	"INSERT INTO search_index(rowid, body)"
	" SELECT (s.case_id << 16) + (SELECT count(*) FROM statements x"
	" WHERE x.case_id = s.case_id AND x.id < s.id), s.text"
	" FROM statements s ORDER BY s.case_id, s.id;\n"
	"INSERT INTO search_index(rowid, body)"
	" SELECT (e.case_id << 16)"
	" + (SELECT count(*) FROM statements x WHERE x.case_id = e.case_id)"
	" + (SELECT count(*) FROM evidence y WHERE y.case_id = e.case_id"
	" AND y.id < e.id AND y.text IS NOT NULL), e.text"
	" FROM evidence e WHERE e.text IS NOT NULL ORDER BY e.case_id, e.id;\n";

/* Version 7: a new case looks its consumer up by name, phone and ID
 * number together.  Planned on consumers_by_id_number (or _by_phone), the
 * lookup scanned every consumer who gave no ID number, all sharing the
 * empty value, so an import slowed down with every case it added. */
static const char migration_7[] =
	"CREATE INDEX IF NOT EXISTS consumers_by_identity"
	" ON consumers(name, phone, id_number);\n";

/* Version 8: the documents issued (src/document.c): each version's text
 * and PDF bytes with their SHA-256, who issued it and when; rows are only
 * ever appended, like the events that record them.  Document numbers run
 * per year and kind.  Issuing a document is no ruling: the actors' daily
 * counts leave it out (RC_RULING). */
static const char migration_8[] =
	"CREATE TABLE IF NOT EXISTS documents("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" kind TEXT NOT NULL,"
	" lang TEXT NOT NULL,"
	" version INTEGER NOT NULL CHECK (version > 0),"
	" number TEXT NOT NULL,"
	" issued_by TEXT NOT NULL,"
	" issued_at TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" text_sha256 TEXT NOT NULL,"
	" pdf BLOB NOT NULL,"
	" pdf_sha256 TEXT NOT NULL,"
	" supersedes INTEGER REFERENCES documents(id),"
	" UNIQUE (case_id, kind, lang, version)) STRICT;\n"
	"CREATE TABLE IF NOT EXISTS document_numbers("
	" year INTEGER NOT NULL, kind TEXT NOT NULL, last INTEGER NOT NULL,"
	" PRIMARY KEY (year, kind)) STRICT;\n"
	"DROP TRIGGER IF EXISTS documents_no_update;\n"
	"CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents"
	" BEGIN SELECT RAISE(ABORT, 'issued documents cannot be changed'); END;\n"
	"DROP TRIGGER IF EXISTS documents_no_delete;\n"
	"CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents"
	" BEGIN SELECT RAISE(ABORT, 'issued documents cannot be deleted'); END;\n"
	"DROP TRIGGER IF EXISTS report_event_insert;\n"
	"CREATE TRIGGER report_event_insert AFTER INSERT ON events"
	" WHEN " RC_RULING("NEW") " BEGIN\n"
	" INSERT INTO report_actor_days(actor, day, n) SELECT NEW.actor, "
	RC_DAY("NEW.at") ", 1 WHERE 1 ON CONFLICT(actor, day)"
	" DO UPDATE SET n = n + 1;\n"
	"END;\n";

/* Version 9: the merchants' 12315 figures count consumer complaints only
 * (IP notices and diversion cases have tracks of their own), and an
 * agreement found unperformed has a status of its own (no longer
 * mediation_ended): migration 3 again, whose triggers now say so and
 * whose backfill recounts. */
#define migration_9 migration_3

/* Version 10: the queue's orders within one assignee's cases (the
 * mediator's own queue and the unassigned pool) and over all cases by
 * amount, so that a page in any order is an index range instead of a
 * sort of every matching case; and one assignee's cases of one category
 * by due date with the other filter columns, so that a mediator's queue
 * filtered by category is an index range too, and counting a filtered
 * view of one assignee's cases (capped at WQ_COUNT_CAP) reads the index
 * alone. */
static const char migration_10[] =
	"CREATE INDEX IF NOT EXISTS cases_by_assignee_received"
	" ON cases(assignee, received_at, id);\n"
	"CREATE INDEX IF NOT EXISTS cases_by_assignee_amount"
	" ON cases(assignee, amount_fen, id);\n"
	"CREATE INDEX IF NOT EXISTS cases_by_amount ON cases(amount_fen, id);\n"
	"CREATE INDEX IF NOT EXISTS cases_by_assignee_filters ON cases(assignee,"
	" category, due_on, id, status, region, type);\n";

/* Version 11: slow work on evidence, queued for the worker (`weiquan
 * worker`, src/worker.c), and the text it recognised in images.  A job
 * names its evidence; a worker claims it for a lease (lease_until, Unix
 * seconds) and a job whose worker died is claimed again once the lease has
 * passed, up to a few attempts.  Machine-read text is not the evidence: it
 * lives in its own table, marked with the engine that read it, and joins
 * the search index as one more document of the case (search_ordinal: its
 * ordinal there, since it arrives after later statements may have).
 * Images attached before this version are queued here. */
static const char migration_11[] =
	"CREATE TABLE IF NOT EXISTS jobs("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('read-text')),"
	" evidence_id INTEGER NOT NULL REFERENCES evidence(id),"
	" state TEXT NOT NULL DEFAULT 'queued'"
	" CHECK (state IN ('queued','running','done','failed')),"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" lease_until INTEGER NOT NULL DEFAULT 0,"
	" worker TEXT NOT NULL DEFAULT '',"
	" error TEXT NOT NULL DEFAULT '',"
	" queued_at TEXT NOT NULL,"
	" finished_at TEXT,"
	" UNIQUE (kind, evidence_id)) STRICT;\n"
	"CREATE INDEX IF NOT EXISTS jobs_waiting ON jobs(state, id)"
	" WHERE state IN ('queued','running');\n"
	"CREATE TABLE IF NOT EXISTS evidence_read_text("
	" evidence_id INTEGER PRIMARY KEY REFERENCES evidence(id),"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" search_ordinal INTEGER NOT NULL,"
	" engine TEXT NOT NULL,"
	" confidence INTEGER NOT NULL,"
	" read_at TEXT NOT NULL,"
	" text TEXT NOT NULL) STRICT;\n"
	"INSERT OR IGNORE INTO jobs(kind, evidence_id, queued_at)"
	" SELECT 'read-text', id, strftime('%Y-%m-%dT%H:%M:%SZ','now')"
	" FROM evidence WHERE text IS NULL"
	" AND (substr(original, 1, 8) = X'89504E470D0A1A0A'"
	" OR substr(original, 1, 3) = X'FFD8FF'"
	" OR substr(original, 1, 4) = X'47494638'"
	" OR (substr(original, 1, 4) = X'52494646'"
	" AND substr(original, 9, 4) = X'57454250')"
	" OR substr(original, 1, 4) IN (X'49492A00', X'4D4D002A'))"
	" ORDER BY id;\n";

/* Version 12: looking a case up (src/casefind.c) by the consumer's name,
 * the order number and the merchant's shop ID, each an index range (the
 * case number, phone and ID number had theirs); the queue ordered by
 * status or merchant, then case id; the contact log. */
static const char migration_12[] =
	"CREATE INDEX IF NOT EXISTS consumers_by_name ON consumers(name);\n"
	"CREATE INDEX IF NOT EXISTS cases_by_order_no ON cases(order_no);\n"
	"CREATE INDEX IF NOT EXISTS merchants_by_shop_id ON merchants(shop_id);\n"
	/* the queue's orders by status and by merchant: (key, id) */
	"CREATE INDEX IF NOT EXISTS cases_by_status_id ON cases(status);\n"
	"CREATE INDEX IF NOT EXISTS cases_by_merchant_id ON cases(merchant_id);\n"
	/* The contact log (src/contact.c): kept as written, like events. */
	"CREATE TABLE IF NOT EXISTS contacts("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" party TEXT NOT NULL CHECK (party IN ('complainant','respondent')),"
	" channel TEXT NOT NULL"
	" CHECK (channel IN ('phone','sms','email','visit','letter')),"
	" said TEXT NOT NULL,"
	" outcome TEXT NOT NULL DEFAULT '',"
	" follow_up_on TEXT NOT NULL DEFAULT '',"
	" author TEXT NOT NULL,"
	" at TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX IF NOT EXISTS contacts_by_case ON contacts(case_id, id);\n"
	"DROP TRIGGER IF EXISTS contacts_no_update;\n"
	"CREATE TRIGGER contacts_no_update BEFORE UPDATE ON contacts"
	" BEGIN SELECT RAISE(ABORT, 'contacts cannot be changed'); END;\n"
	"DROP TRIGGER IF EXISTS contacts_no_delete;\n"
	"CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts"
	" BEGIN SELECT RAISE(ABORT, 'contacts cannot be deleted'); END;\n";

/* The inbox's read marks (src/inbox.c): each user's own state, not an audit
 * event, so kept apart from the events and changed freely.  The inbox is
 * read from events(case_id, id) and cases(assignee, ...). */
static const char migration_13[] =
	"CREATE TABLE IF NOT EXISTS inbox_marks("
	" login TEXT PRIMARY KEY,"
	" through_id INTEGER NOT NULL) STRICT, WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS inbox_read("
	" login TEXT NOT NULL,"
	" event_id INTEGER NOT NULL,"
	" PRIMARY KEY (login, event_id)) STRICT, WITHOUT ROWID;\n"
	/* Each user's mark starts at the newest event: the unread scan
	 * starts there (nothing earlier can concern a user added now), and
	 * on an existing database the history before the inbox counts as
	 * read rather than arriving as thousands of items. */
	"INSERT OR IGNORE INTO inbox_marks(login, through_id)"
	" SELECT login, (SELECT coalesce(max(id), 0) FROM events) FROM users;\n"
	"DROP TRIGGER IF EXISTS users_inbox_mark;\n"
	"CREATE TRIGGER users_inbox_mark AFTER INSERT ON users BEGIN"
	" INSERT OR IGNORE INTO inbox_marks(login, through_id)"
	" VALUES (NEW.login, (SELECT coalesce(max(id), 0) FROM events));"
	" END;\n";

/* Version 14: regimes by date.  A regime may name the one it replaces and
 * the day it came into force (clock-rules files: "replaces",
 * "in_force_from"); each clock carries its source and whether it was
 * checked against the official text.  A case records the regime it was
 * received under, so switching the active one does not re-time it; cases
 * from before this version have none and follow the active regime, as
 * they did.  Tables of their own rather than new columns, so the
 * migration may run again (init on a database marked older). */
#define CASE_REGIMES_TABLE                                                     \
	"CREATE TABLE IF NOT EXISTS case_regimes("                            \
	" case_id INTEGER PRIMARY KEY REFERENCES cases(id),"                  \
	" regime TEXT NOT NULL) STRICT;\n"
static const char migration_14[] =
	"CREATE TABLE IF NOT EXISTS regimes("
	" regime TEXT PRIMARY KEY,"
	" title TEXT NOT NULL DEFAULT '',"
	" replaces TEXT NOT NULL DEFAULT '',"
	" in_force_from TEXT NOT NULL DEFAULT '') STRICT;\n"
	"CREATE TABLE IF NOT EXISTS clock_sources("
	" regime TEXT NOT NULL,"
	" clock TEXT NOT NULL,"
	" verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0,1)),"
	" source TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (regime, clock)) STRICT;\n"
	CASE_REGIMES_TABLE;

/* Version 15: PDFs are read by the worker too (src/worker.c): their own
 * text joins the search index, and a page without text (a scan) is
 * recognised like an image and kept here, page by page, marked
 * machine-read; PDFs attached before are queued.  And when each user
 * last opened the console, for `weiquan user list`: a courtesy, not an
 * audit event, so kept apart from the users table. */
static const char migration_15[] =
	"CREATE TABLE IF NOT EXISTS evidence_page_text("
	" evidence_id INTEGER NOT NULL REFERENCES evidence(id),"
	" page INTEGER NOT NULL CHECK (page > 0),"
	" engine TEXT NOT NULL,"
	" confidence INTEGER NOT NULL,"
	" text TEXT NOT NULL,"
	" PRIMARY KEY (evidence_id, page)) STRICT, WITHOUT ROWID;\n"
	"INSERT OR IGNORE INTO jobs(kind, evidence_id, queued_at)"
	" SELECT 'read-text', id, strftime('%Y-%m-%dT%H:%M:%SZ','now')"
	" FROM evidence"
	" WHERE instr(substr(original, 1, 1024), X'255044462D') > 0"
	" ORDER BY id;\n"
	"CREATE TABLE IF NOT EXISTS user_logins("
	" login TEXT PRIMARY KEY REFERENCES users(login),"
	" last_at TEXT NOT NULL) STRICT, WITHOUT ROWID;\n";

/* Version 16: the tracks of their own and the records around groups and
 * merchants.
 * - Reports (举报) become a case type: the type's CHECK is widened in the
 *   stored schema (writable_schema), which changes no row and keeps the
 *   columns other versions added; replace() finds nothing to widen when
 *   this runs again.
 * - diversions: what a cross-region diversion (串货) case is about
 *   (src/diversion.c); agreed_penalty_fen, the penalty the distributor
 *   agreed to pay (the `penalty` ruling).
 * - clock_extensions: a clock that a ruling may extend once (the report
 *   check: 15 more working days with a supervisor's approval).
 * - group_representatives (at most two per group) and group_consents (a
 *   member's consent to a group ruling that settles, withdraws or agrees
 *   for it, src/group.c).
 * - merchant_marks: why a merchant was marked or its mark lifted, and on
 *   what legal basis; merchant_penalties: the penalties recorded on a
 *   merchant, which merchants.penalties counts. */
static const char migration_16[] =
	"PRAGMA writable_schema = ON;\n"
	"UPDATE sqlite_master SET sql = replace(sql,"
	" 'CHECK (type IN (''complaint'',''ip'',''diversion''))',"
	" 'CHECK (type IN (''complaint'',''ip'',''diversion'',''report''))')"
	" WHERE type = 'table' AND name = 'cases';\n"
	"PRAGMA writable_schema = RESET;\n"
	"CREATE TABLE IF NOT EXISTS diversions("
	" case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
	" brand TEXT NOT NULL,"
	" authorised_region TEXT NOT NULL,"
	" found_region TEXT NOT NULL,"
	" batch TEXT NOT NULL DEFAULT '',"
	" codes TEXT NOT NULL DEFAULT '',"
	" clause TEXT NOT NULL DEFAULT '',"
	" penalty_fen INTEGER CHECK (penalty_fen >= 0),"
	" trace TEXT NOT NULL DEFAULT '',"
	" agreed_penalty_fen INTEGER CHECK (agreed_penalty_fen >= 0)) STRICT;\n"
	"CREATE INDEX IF NOT EXISTS diversions_by_found_region"
	" ON diversions(found_region);\n"
	"CREATE TABLE IF NOT EXISTS clock_extensions("
	" regime TEXT NOT NULL,"
	" clock TEXT NOT NULL,"
	" event TEXT NOT NULL,"
	" working_days INTEGER NOT NULL CHECK (working_days > 0),"
	" PRIMARY KEY (regime, clock)) STRICT;\n"
	"CREATE TABLE IF NOT EXISTS group_representatives("
	" group_id INTEGER NOT NULL REFERENCES case_groups(id),"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" recorded_by TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" PRIMARY KEY (group_id, case_id)) STRICT;\n"
	"CREATE TABLE IF NOT EXISTS group_consents("
	" group_id INTEGER NOT NULL REFERENCES case_groups(id),"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" action TEXT NOT NULL,"
	" note TEXT NOT NULL DEFAULT '',"
	" recorded_by TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" PRIMARY KEY (group_id, case_id, action)) STRICT;\n"
	"CREATE TABLE IF NOT EXISTS merchant_marks("
	" id INTEGER PRIMARY KEY,"
	" merchant_id INTEGER NOT NULL REFERENCES merchants(id),"
	" flag TEXT NOT NULL CHECK (flag IN ('repeat-offender','blacklist')),"
	" on_off INTEGER NOT NULL CHECK (on_off IN (0,1)),"
	" reason TEXT NOT NULL,"
	" basis TEXT NOT NULL,"
	" by_login TEXT NOT NULL,"
	" at TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX IF NOT EXISTS merchant_marks_by_merchant"
	" ON merchant_marks(merchant_id, id);\n"
	"CREATE TABLE IF NOT EXISTS merchant_penalties("
	" id INTEGER PRIMARY KEY,"
	" merchant_id INTEGER NOT NULL REFERENCES merchants(id),"
	" amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),"
	" decision TEXT NOT NULL,"
	" basis TEXT NOT NULL,"
	" by_login TEXT NOT NULL,"
	" at TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX IF NOT EXISTS merchant_penalties_by_merchant"
	" ON merchant_penalties(merchant_id, id);\n";

/* Version 17: Beijing dates everywhere.  The report triggers took their
 * days from the writer's local time ('localtime'): a server on UTC counted
 * a complaint received at 01:00 Beijing time on the day before.  Migration
 * 3 again, whose triggers now use the installation's date (RC_DAY) and
 * whose backfill recounts the days.  Then every case received before
 * version 14, which recorded no regime and so followed whichever was
 * active, gets the regime in force on its Beijing date of receipt (the
 * rule of wq_clock_regime_for(), src/clock.c), so that `clock use` no
 * longer re-times it; with no regime active there is none to record.
 * (Into the table of version 14, made again if absent: version 32 moves
 * it into the cases' rows, and this text may run again after it.) */
#define RC_CASE_REGIME_DAY RC_DAY("c.received_at")
static const char migration_17[] = RC_REBUILD CASE_REGIMES_TABLE
	"INSERT OR IGNORE INTO case_regimes(case_id, regime)"
	" SELECT id, regime FROM (SELECT c.id, (WITH RECURSIVE"
	"  back(regime, depth) AS ("
	"   SELECT value, 0 FROM settings WHERE key = 'regime'"
	"   UNION SELECT r.replaces, back.depth + 1 FROM back"
	"   JOIN regimes r ON r.regime = back.regime"
	"   WHERE r.replaces <> '' AND " RC_CASE_REGIME_DAY " < r.in_force_from"
	"   AND back.depth < 16),"
	"  start(regime) AS (SELECT regime FROM back"
	"   ORDER BY depth DESC LIMIT 1),"
	"  fwd(regime, depth) AS ("
	"   SELECT regime, 0 FROM start"
	"   UNION SELECT r.regime, fwd.depth + 1 FROM fwd"
	"   JOIN regimes r ON r.replaces = fwd.regime"
	"   WHERE " RC_CASE_REGIME_DAY " >= r.in_force_from"
	"   AND fwd.depth < 16)"
	"  SELECT regime FROM fwd ORDER BY depth DESC LIMIT 1) AS regime"
	"  FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_regimes x"
	"  WHERE x.case_id = c.id))"
	" WHERE regime IS NOT NULL AND regime <> '';\n";

/* Version 18: a mediator's own queue ordered by status or by merchant is
 * an index range, as its other orders are (each had sorted every one of
 * the mediator's cases: seconds for one with 150,000); and the cases
 * behind the dashboard's figures (wq_filter's drill-down fields): one
 * clock's cases by due date, one merchant's, and the flagged cases alone
 * in due order with their flags (a rare flag's page reads that small
 * index, not every case). */
static const char migration_18[] =
	"CREATE INDEX IF NOT EXISTS cases_by_assignee_status"
	" ON cases(assignee, status);\n"
	"CREATE INDEX IF NOT EXISTS cases_by_assignee_merchant"
	" ON cases(assignee, merchant_id);\n"
	"CREATE INDEX IF NOT EXISTS cases_by_clock ON cases(clock, due_on);\n"
	"CREATE INDEX IF NOT EXISTS cases_by_merchant_due"
	" ON cases(merchant_id, due_on);\n"
	"CREATE INDEX IF NOT EXISTS cases_flagged"
	" ON cases(due_on, id, flags, status)"
	" WHERE flags <> 0;\n";

/* Version 19: the inbox kept by the database.  inbox_items holds each
 * event that concerns a user (src/inbox.c, weiquan/inbox.h): written when
 * the event is, for the case's assignee at that moment when someone else
 * acted, and removed when the case leaves that assignee.  Every change of
 * assignee is written (src/case.c) before the event that records it, so
 * the items of a case start at the event that made it the user's, as the
 * inbox always counted.  inbox_counts keeps each user's unread items, so
 * the header's count is one row however long the history.  The read
 * marks of version 13 become the items' read flag.
 *
 * The backfill computes the inbox as version 13 read it from the events;
 * when the tables are there already (the migration running again) their
 * items stand, and only the counts are recounted.
 *
 * Two more things the inbox and the queue computed case by case over
 * all of a user's cases, kept the same way:
 * - follow_ups: each open case's pending follow-up (its latest contact's
 *   follow_up_on, src/contact.c), by assignee and date, so what falls
 *   due on a user's cases is an index range (wq_inbox_due);
 * - review_waits: since when each case in review has waited, the
 *   queue's REVIEW_SINCE (src/case_internal.h; keep the two alike), so
 *   the queue's review order pages an index instead of sorting every
 *   case in review. */
/* REVIEW_SINCE of case row r (OLD, NEW or an alias). */
#define REVIEW_WAIT_SINCE(r)                                                   \
	"coalesce((SELECT e.at FROM events e WHERE e.case_id = " r ".id"     \
	" AND e.action IN ('submit', 'approve') ORDER BY e.id DESC LIMIT 1),"  \
	" " r ".updated_at)"
static const char migration_19[] =
	"CREATE TABLE IF NOT EXISTS inbox_items("
	" event_id INTEGER PRIMARY KEY REFERENCES events(id),"
	" login TEXT NOT NULL,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0,1))) STRICT;\n"
	"CREATE INDEX IF NOT EXISTS inbox_items_by_login"
	" ON inbox_items(login, read, event_id);\n"
	"CREATE INDEX IF NOT EXISTS inbox_items_by_case"
	" ON inbox_items(case_id, login);\n"
	"CREATE TABLE IF NOT EXISTS inbox_counts("
	" login TEXT PRIMARY KEY,"
	" unread INTEGER NOT NULL) STRICT, WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS inbox_marks("
	" login TEXT PRIMARY KEY,"
	" through_id INTEGER NOT NULL) STRICT, WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS inbox_read("
	" login TEXT NOT NULL,"
	" event_id INTEGER NOT NULL,"
	" PRIMARY KEY (login, event_id)) STRICT, WITHOUT ROWID;\n"
	"WITH since AS MATERIALIZED (SELECT c.id AS case_id,"
	"  c.assignee AS login, coalesce((SELECT max(a.id) FROM events a"
	"  WHERE a.case_id = c.id"
	"  AND json_extract(a.details, '$.set.assignee') = c.assignee), 0)"
	"  AS from_id FROM cases c WHERE c.assignee IS NOT NULL"
	"  AND NOT EXISTS (SELECT 1 FROM inbox_items))"
	" INSERT INTO inbox_items(event_id, login, case_id, read)"
	" SELECT e.id, s.login, s.case_id,"
	"  e.id <= coalesce(k.through_id, 0) OR EXISTS (SELECT 1"
	"  FROM inbox_read r WHERE r.login = s.login AND r.event_id = e.id)"
	" FROM since s"
	" JOIN events e ON e.case_id = s.case_id AND e.id >= s.from_id"
	" LEFT JOIN inbox_marks k ON k.login = s.login"
	" WHERE e.actor <> s.login;\n"
	"DELETE FROM inbox_counts;\n"
	"INSERT INTO inbox_counts(login, unread)"
	" SELECT login, count(*) FROM inbox_items WHERE read = 0"
	" GROUP BY login;\n"
	"DROP TRIGGER IF EXISTS users_inbox_mark;\n"
	"DROP TABLE inbox_read;\n"
	"DROP TABLE inbox_marks;\n"
	/* An event on a case, by anyone but its assignee. */
	"DROP TRIGGER IF EXISTS events_inbox;\n"
	"CREATE TRIGGER events_inbox AFTER INSERT ON events"
	" WHEN NEW.case_id IS NOT NULL BEGIN"
	" INSERT INTO inbox_items(event_id, login, case_id, read)"
	" SELECT NEW.id, c.assignee, c.id, 0 FROM cases c"
	" WHERE c.id = NEW.case_id AND c.assignee <> NEW.actor;"
	" END;\n"
	/* A case that leaves its assignee leaves their inbox; should it come
	 * back, its items start again at the event that brings it. */
	"DROP TRIGGER IF EXISTS cases_inbox_reassigned;\n"
	"CREATE TRIGGER cases_inbox_reassigned AFTER UPDATE OF assignee"
	" ON cases WHEN OLD.assignee IS NOT NEW.assignee BEGIN"
	" DELETE FROM inbox_items WHERE case_id = OLD.id"
	" AND login = OLD.assignee;"
	" END;\n"
	"DROP TRIGGER IF EXISTS inbox_items_added;\n"
	"CREATE TRIGGER inbox_items_added AFTER INSERT ON inbox_items"
	" WHEN NEW.read = 0 BEGIN"
	" INSERT INTO inbox_counts(login, unread) VALUES (NEW.login, 1)"
	" ON CONFLICT(login) DO UPDATE SET unread = unread + 1;"
	" END;\n"
	"DROP TRIGGER IF EXISTS inbox_items_removed;\n"
	"CREATE TRIGGER inbox_items_removed AFTER DELETE ON inbox_items"
	" WHEN OLD.read = 0 BEGIN"
	" UPDATE inbox_counts SET unread = unread - 1 WHERE login = OLD.login;"
	" END;\n"
	"DROP TRIGGER IF EXISTS inbox_items_marked;\n"
	"CREATE TRIGGER inbox_items_marked AFTER UPDATE OF read ON inbox_items"
	" WHEN OLD.read <> NEW.read BEGIN"
	" UPDATE inbox_counts SET unread = unread + OLD.read - NEW.read"
	" WHERE login = NEW.login;"
	" END;\n"
	"DROP TRIGGER IF EXISTS inbox_items_fixed;\n"
	"CREATE TRIGGER inbox_items_fixed BEFORE UPDATE OF event_id, login,"
	" case_id ON inbox_items BEGIN"
	" SELECT RAISE(ABORT, 'an inbox item only changes its read flag');"
	" END;\n"
	"CREATE TABLE IF NOT EXISTS follow_ups("
	" case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
	" assignee TEXT,"
	" due_on TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX IF NOT EXISTS follow_ups_by_assignee"
	" ON follow_ups(assignee, due_on);\n"
	"DELETE FROM follow_ups;\n"
	"INSERT INTO follow_ups(case_id, assignee, due_on)"
	" SELECT c.id, c.assignee, x.follow_up_on"
	" FROM (SELECT case_id, max(id) AS id FROM contacts GROUP BY case_id) l"
	" JOIN contacts x ON x.id = l.id JOIN cases c ON c.id = l.case_id"
	" WHERE c.status <> 'closed' AND x.follow_up_on <> '';\n"
	"DROP TRIGGER IF EXISTS contacts_follow_up;\n"
	"CREATE TRIGGER contacts_follow_up AFTER INSERT ON contacts"
	" WHEN NOT EXISTS (SELECT 1 FROM contacts x"
	"  WHERE x.case_id = NEW.case_id AND x.id > NEW.id) BEGIN"
	" DELETE FROM follow_ups WHERE case_id = NEW.case_id;"
	" INSERT INTO follow_ups(case_id, assignee, due_on)"
	" SELECT c.id, c.assignee, NEW.follow_up_on FROM cases c"
	" WHERE c.id = NEW.case_id AND c.status <> 'closed'"
	" AND NEW.follow_up_on <> '';"
	" END;\n"
	"DROP TRIGGER IF EXISTS cases_follow_up_assignee;\n"
	"CREATE TRIGGER cases_follow_up_assignee AFTER UPDATE OF assignee"
	" ON cases WHEN OLD.assignee IS NOT NEW.assignee BEGIN"
	" UPDATE follow_ups SET assignee = NEW.assignee WHERE case_id = NEW.id;"
	" END;\n"
	/* closed, the follow-up goes; reopened, it is the latest contact's
	 * again */
	"DROP TRIGGER IF EXISTS cases_follow_up_status;\n"
	"CREATE TRIGGER cases_follow_up_status AFTER UPDATE OF status ON cases"
	" WHEN (OLD.status = 'closed') <> (NEW.status = 'closed') BEGIN"
	" DELETE FROM follow_ups WHERE case_id = NEW.id;"
	" INSERT INTO follow_ups(case_id, assignee, due_on)"
	" SELECT NEW.id, NEW.assignee, x.follow_up_on FROM contacts x"
	" WHERE x.id = (SELECT max(y.id) FROM contacts y"
	"  WHERE y.case_id = NEW.id)"
	" AND NEW.status <> 'closed' AND x.follow_up_on <> '';"
	" END;\n"
	"CREATE TABLE IF NOT EXISTS review_waits("
	" case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
	" since TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX IF NOT EXISTS review_waits_by_since"
	" ON review_waits(since);\n"
	"DELETE FROM review_waits;\n"
	"INSERT INTO review_waits(case_id, since)"
	" SELECT c.id, " REVIEW_WAIT_SINCE("c") " FROM cases c"
	" WHERE c.status IN ('first_review', 'final_review');\n"
	/* Every ruling writes the case's row (status, updated_at) before its
	 * event: the row gives the wait from the events so far, a submit or
	 * approve event then starts it again. */
	"DROP TRIGGER IF EXISTS cases_review_wait_insert;\n"
	"CREATE TRIGGER cases_review_wait_insert AFTER INSERT ON cases"
	" WHEN NEW.status IN ('first_review', 'final_review') BEGIN"
	" INSERT OR REPLACE INTO review_waits(case_id, since)"
	" VALUES (NEW.id, " REVIEW_WAIT_SINCE("NEW") ");"
	" END;\n"
	"DROP TRIGGER IF EXISTS cases_review_wait;\n"
	"CREATE TRIGGER cases_review_wait AFTER UPDATE OF status, updated_at"
	" ON cases BEGIN"
	" DELETE FROM review_waits WHERE case_id = NEW.id;"
	" INSERT INTO review_waits(case_id, since)"
	" SELECT NEW.id, " REVIEW_WAIT_SINCE("NEW")
	" WHERE NEW.status IN ('first_review', 'final_review');"
	" END;\n"
	"DROP TRIGGER IF EXISTS events_review_wait;\n"
	"CREATE TRIGGER events_review_wait AFTER INSERT ON events"
	" WHEN NEW.action IN ('submit', 'approve')"
	" AND NEW.case_id IS NOT NULL BEGIN"
	" UPDATE review_waits SET since = NEW.at WHERE case_id = NEW.case_id;"
	" END;\n";

/* Version 20: what an agreement's performance date makes due, kept by
 * assignee and date like follow_ups.  wq_inbox_due joined every one of a
 * user's cases in agreement or performance watch to its agreements and
 * sorted the lot: at a million cases a mediator's start-up and every
 * return to the queue read some 25,000 cases for the header's "due".
 * performance_due holds each agreement not yet performed of a case in
 * agreement or performance watch, with the case's assignee. */
#define PERFORMANCE_DUE_STATUSES "('agreement', 'performance_watch')"
static const char migration_20[] =
	"CREATE TABLE IF NOT EXISTS performance_due("
	" agreement_id INTEGER PRIMARY KEY REFERENCES agreements(id),"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" assignee TEXT,"
	" due_on TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX IF NOT EXISTS performance_due_by_assignee"
	" ON performance_due(assignee, due_on);\n"
	"CREATE INDEX IF NOT EXISTS performance_due_by_case"
	" ON performance_due(case_id);\n"
	"DELETE FROM performance_due;\n"
	"INSERT INTO performance_due(agreement_id, case_id, assignee, due_on)"
	" SELECT a.id, a.case_id, c.assignee, a.perform_by FROM agreements a"
	" JOIN cases c ON c.id = a.case_id WHERE a.performed_at IS NULL"
	" AND c.status IN " PERFORMANCE_DUE_STATUSES ";\n"
	"DROP TRIGGER IF EXISTS agreements_performance_due;\n"
	"CREATE TRIGGER agreements_performance_due AFTER INSERT ON agreements"
	" BEGIN"
	" INSERT INTO performance_due(agreement_id, case_id, assignee, due_on)"
	" SELECT NEW.id, NEW.case_id, c.assignee, NEW.perform_by FROM cases c"
	" WHERE c.id = NEW.case_id AND NEW.performed_at IS NULL"
	" AND c.status IN " PERFORMANCE_DUE_STATUSES ";"
	" END;\n"
	"DROP TRIGGER IF EXISTS agreements_performance_due_change;\n"
	"CREATE TRIGGER agreements_performance_due_change AFTER UPDATE OF"
	" performed_at, perform_by, case_id ON agreements BEGIN"
	" DELETE FROM performance_due WHERE agreement_id = NEW.id;"
	" INSERT INTO performance_due(agreement_id, case_id, assignee, due_on)"
	" SELECT NEW.id, NEW.case_id, c.assignee, NEW.perform_by FROM cases c"
	" WHERE c.id = NEW.case_id AND NEW.performed_at IS NULL"
	" AND c.status IN " PERFORMANCE_DUE_STATUSES ";"
	" END;\n"
	"DROP TRIGGER IF EXISTS agreements_performance_due_delete;\n"
	"CREATE TRIGGER agreements_performance_due_delete AFTER DELETE ON"
	" agreements BEGIN"
	" DELETE FROM performance_due WHERE agreement_id = OLD.id;"
	" END;\n"
	"DROP TRIGGER IF EXISTS cases_performance_due_status;\n"
	"CREATE TRIGGER cases_performance_due_status AFTER UPDATE OF status"
	" ON cases WHEN OLD.status IS NOT NEW.status BEGIN"
	" DELETE FROM performance_due WHERE case_id = NEW.id;"
	" INSERT INTO performance_due(agreement_id, case_id, assignee, due_on)"
	" SELECT a.id, NEW.id, NEW.assignee, a.perform_by FROM agreements a"
	" WHERE a.case_id = NEW.id AND a.performed_at IS NULL"
	" AND NEW.status IN " PERFORMANCE_DUE_STATUSES ";"
	" END;\n"
	"DROP TRIGGER IF EXISTS cases_performance_due_assignee;\n"
	"CREATE TRIGGER cases_performance_due_assignee AFTER UPDATE OF assignee"
	" ON cases WHEN OLD.assignee IS NOT NEW.assignee BEGIN"
	" UPDATE performance_due SET assignee = NEW.assignee"
	" WHERE case_id = NEW.id;"
	" END;\n";

/* Version 21: what still grew with the number of cases at a million.
 * - review_waits gains the case's assignee, kept as performance_due
 *   keeps it, so one mediator's review order (the queue's "mine", with
 *   or without a filter) pages review_waits_by_assignee instead of
 *   computing every one of their cases' wait and sorting them.
 * - inbox_due_counts: the running, unpaused clocks of open assigned
 *   cases by assignee and due date, so the queue's header counts what
 *   falls due (wq_inbox_due_count) from a few rows instead of reading
 *   every overdue case.
 * - report_counts counts open cases by assignee and category, so a
 *   mediator's queue filtered by a category counts from one row.
 * - report_counts counts reports and diversion disputes by status
 *   (RC_DIMS: the triggers are replaced, the two dimensions counted),
 *   and diversions_by_authorised_region serves the dashboard's other
 *   diversion figure: the dashboard read 30,000 cases for them. */
#define DUE_OPEN_IN(r)                                                         \
	"(" RC_DUEA_IN(r) " AND " r ".status <> 'closed' AND " r ".clock <> '')"
#define DUE_OPEN_SAME                                                          \
	"(" DUE_OPEN_IN("OLD") " AND " DUE_OPEN_IN("NEW") " AND OLD.assignee"  \
	" = NEW.assignee AND OLD.due_on = NEW.due_on)"
#define DUE_OPEN_ADD(cond)                                                     \
	" INSERT INTO inbox_due_counts(assignee, due_on, n) SELECT"            \
	" NEW.assignee, NEW.due_on, 1 WHERE " cond                             \
	" ON CONFLICT(assignee, due_on) DO UPDATE SET n = n + 1;"
#define DUE_OPEN_SUB(cond)                                                     \
	" UPDATE inbox_due_counts SET n = n - 1 WHERE assignee = OLD.assignee" \
	" AND due_on = OLD.due_on AND " cond ";"
static const char migration_21[] =
	/* review_waits, rebuilt with the assignee (the triggers that name
	 * it go first: they would not survive the rename) */
	"DROP TRIGGER IF EXISTS cases_review_wait_insert;\n"
	"DROP TRIGGER IF EXISTS cases_review_wait;\n"
	"DROP TRIGGER IF EXISTS events_review_wait;\n"
	"DROP TRIGGER IF EXISTS cases_review_wait_assignee;\n"
	"DROP TABLE IF EXISTS review_waits_next;\n"
	"CREATE TABLE review_waits_next("
	" case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
	" assignee TEXT,"
	" since TEXT NOT NULL) STRICT;\n"
	"INSERT INTO review_waits_next(case_id, assignee, since)"
	" SELECT w.case_id, c.assignee, w.since FROM review_waits w"
	" JOIN cases c ON c.id = w.case_id;\n"
	"DROP TABLE review_waits;\n"
	"ALTER TABLE review_waits_next RENAME TO review_waits;\n"
	"CREATE INDEX IF NOT EXISTS review_waits_by_since"
	" ON review_waits(since);\n"
	"CREATE INDEX IF NOT EXISTS review_waits_by_assignee"
	" ON review_waits(assignee, since);\n"
	"CREATE TRIGGER cases_review_wait_insert AFTER INSERT ON cases"
	" WHEN NEW.status IN ('first_review', 'final_review') BEGIN"
	" INSERT INTO review_waits(case_id, assignee, since)"
	" VALUES (NEW.id, NEW.assignee, " REVIEW_WAIT_SINCE("NEW") ")"
	" ON CONFLICT(case_id) DO UPDATE SET assignee = excluded.assignee,"
	" since = excluded.since;"
	" END;\n"
	"CREATE TRIGGER cases_review_wait AFTER UPDATE OF status, updated_at"
	" ON cases BEGIN"
	" DELETE FROM review_waits WHERE case_id = NEW.id;"
	" INSERT INTO review_waits(case_id, assignee, since)"
	" SELECT NEW.id, NEW.assignee, " REVIEW_WAIT_SINCE("NEW")
	" WHERE NEW.status IN ('first_review', 'final_review');"
	" END;\n"
	"CREATE TRIGGER cases_review_wait_assignee AFTER UPDATE OF assignee"
	" ON cases WHEN OLD.assignee IS NOT NEW.assignee BEGIN"
	" UPDATE review_waits SET assignee = NEW.assignee"
	" WHERE case_id = NEW.id;"
	" END;\n"
	"CREATE TRIGGER events_review_wait AFTER INSERT ON events"
	" WHEN NEW.action IN ('submit', 'approve')"
	" AND NEW.case_id IS NOT NULL BEGIN"
	" UPDATE review_waits SET since = NEW.at WHERE case_id = NEW.case_id;"
	" END;\n"
	/* what falls due, by assignee and date */
	"CREATE TABLE IF NOT EXISTS inbox_due_counts("
	" assignee TEXT NOT NULL, due_on TEXT NOT NULL, n INTEGER NOT NULL,"
	" PRIMARY KEY (assignee, due_on)) STRICT, WITHOUT ROWID;\n"
	"DELETE FROM inbox_due_counts;\n"
	"INSERT INTO inbox_due_counts(assignee, due_on, n)"
	" SELECT c.assignee, c.due_on, count(*) FROM cases c"
	" WHERE " DUE_OPEN_IN("c") " GROUP BY c.assignee, c.due_on;\n"
	"DROP TRIGGER IF EXISTS cases_inbox_due_insert;\n"
	"CREATE TRIGGER cases_inbox_due_insert AFTER INSERT ON cases"
	" WHEN " DUE_OPEN_IN("NEW") " BEGIN" DUE_OPEN_ADD("1") " END;\n"
	"DROP TRIGGER IF EXISTS cases_inbox_due_delete;\n"
	"CREATE TRIGGER cases_inbox_due_delete AFTER DELETE ON cases"
	" WHEN " DUE_OPEN_IN("OLD") " BEGIN" DUE_OPEN_SUB("1") " END;\n"
	"DROP TRIGGER IF EXISTS cases_inbox_due;\n"
	"CREATE TRIGGER cases_inbox_due AFTER UPDATE OF clock, due_on, clocks,"
	" assignee, status ON cases WHEN NOT " DUE_OPEN_SAME " BEGIN"
	DUE_OPEN_SUB(DUE_OPEN_IN("OLD"))
	DUE_OPEN_ADD(DUE_OPEN_IN("NEW"))
	" END;\n"
	/* the tracks' figures */
	RC_TRIGGERS
	"DELETE FROM report_counts"
	" WHERE dim IN ('report_status', 'diversion_status',"
	" 'open_assignee_category');\n"
	RC_BACKFILL("report_status", RC_STATUS_KEY, RC_REPORT_IN)
	RC_BACKFILL("diversion_status", RC_STATUS_KEY, RC_DIVERSION_CASE_IN)
	RC_BACKFILL("open_assignee_category", RC_ASSIGNEE_CATEGORY_KEY, RC_OPEN)
	"CREATE INDEX IF NOT EXISTS diversions_by_authorised_region"
	" ON diversions(authorised_region);\n";

/* Version 22: the open cases in each of the queue's orders, one index
 * each, for everyone's cases and for one assignee's.  The queue lists
 * open cases (src/caselist.c), but the indexes it paged held the closed
 * ones too, and at a million cases they are most of an assignee's and
 * of the oldest due dates (a case closed before its clock ran out keeps
 * its date): a page read and dropped hundreds of closed rows, each on a
 * page of its own, to show 64.  A partial index on "status <> 'closed'"
 * holds the open cases alone, so the page is an exact index range; the
 * received order needs none (the newest cases are the open ones), nor
 * the status order (cases_by_assignee_status and cases_by_status hold
 * the status), nor the review order (review_waits).  The same text on
 * PostgreSQL, whose planner takes a partial index for a query whose
 * WHERE names its condition. */
#define OPEN_CASES_INDEXES                                                     \
	"CREATE INDEX IF NOT EXISTS cases_open_by_due ON cases(due_on, id)"    \
	" WHERE status <> 'closed';\n"                                          \
	"CREATE INDEX IF NOT EXISTS cases_open_by_amount"                      \
	" ON cases(amount_fen, id) WHERE status <> 'closed';\n"                 \
	"CREATE INDEX IF NOT EXISTS cases_open_by_merchant"                    \
	" ON cases(merchant_id, id) WHERE status <> 'closed';\n"                \
	"CREATE INDEX IF NOT EXISTS cases_open_by_assignee_due"                \
	" ON cases(assignee, due_on, id) WHERE status <> 'closed';\n"           \
	"CREATE INDEX IF NOT EXISTS cases_open_by_assignee_amount"             \
	" ON cases(assignee, amount_fen, id) WHERE status <> 'closed';\n"       \
	"CREATE INDEX IF NOT EXISTS cases_open_by_assignee_merchant"           \
	" ON cases(assignee, merchant_id, id) WHERE status <> 'closed';\n"
static const char migration_22[] = OPEN_CASES_INDEXES;
static const char migration_22_pg[] = OPEN_CASES_INDEXES;

/* Version 23: PostgreSQL's plans of the queue's status order and of the
 * running clocks.  SQLite ends every index with the rowid (the case id),
 * so cases_by_status_id (status) and cases_by_assignee_status (assignee,
 * status) list the cases in the status order's "status, id" and stop at
 * a page; a PostgreSQL index ends with no id, and the page sorted the
 * whole first status's cases (thousands) by id.  The id is written out
 * there; SQLite's are unchanged.  The statistics object gives PostgreSQL
 * the share of cases whose running clock is paused (the inbox, the
 * dashboard's figures and their drill-downs test it): without one it
 * guessed 0.5% of them not paused, where nearly all are, and read a
 * whole range of due dates instead of the first page of it.  ANALYZE
 * fills it at once (autovacuum would later). */
static const char migration_23[] = "";
static const char migration_23_pg[] =
	"DROP INDEX IF EXISTS cases_by_status_id;\n"
	"CREATE INDEX cases_by_status_id ON cases(status, id);\n"
	"DROP INDEX IF EXISTS cases_by_assignee_status;\n"
	"CREATE INDEX cases_by_assignee_status"
	" ON cases(assignee, status, id);\n"
	"CREATE STATISTICS IF NOT EXISTS cases_clock_paused"
	" ON (json_extract(clocks, '$.' || clock || '.paused')) FROM cases;\n"
	"ANALYZE cases;\n";

/* Version 24: a status change writes the merchant's row of
 * report_merchants only when one of its figures moves.  Most steps of a
 * case (received to accepted, to in_mediation, into review and back)
 * move none, yet each rewrote the row, a page of SQLite's and a new row
 * version of PostgreSQL's, on the row every writer on the merchant's
 * cases shares.  The figures are the same. */
static const char migration_24[] =
	"DROP TRIGGER IF EXISTS report_case_status;\n"
	"CREATE TRIGGER report_case_status AFTER UPDATE OF status ON cases"
	" WHEN OLD.status IS NOT NEW.status BEGIN\n"
	RC_DAILY_ADD("closed", RC_DAY("NEW.updated_at"),
		     "NEW.status = 'closed'")
	RC_MERCHANT_MOVE("NEW", "OLD.status", "NEW.status")
	"END;\n";
/* Made below, from PostgreSQL's versions of the same macros. */
extern const char wq_schema_migration_24_pg[];

/* Version 25: the dashboard's IP notices and consumer complaints from
 * counters.  Its IP figures (by status, found wrongful or malicious)
 * read every IP notice, and the 12315 growth of all merchants every
 * report, IP notice and diversion dispute of the last 60 days: tens of
 * thousands of cases at a million, each on a page of its own.  The
 * counting triggers are replaced (RC_DIMS, and 'complaints' in
 * report_daily), the new counts made from the cases.  (The backfill's
 * subqueries carry names: PostgreSQL runs the same text.) */
#define RC_BACKFILL_NAMED(dim, KEY, IN)                                        \
	"INSERT INTO report_counts(dim, key, n) SELECT '" dim "', k, count(*)" \
	" FROM (SELECT " KEY("c") " AS k FROM cases c WHERE " IN("c") ")"     \
	" AS counted GROUP BY k;\n"
#define RC_COUNTS_OF_25                                                        \
	"DELETE FROM report_counts"                                            \
	" WHERE dim IN ('ip_status', 'ip_wrongful', 'ip_malicious');\n"        \
	RC_BACKFILL_NAMED("ip_status", RC_STATUS_KEY, RC_IP_IN)                \
	RC_BACKFILL_NAMED("ip_wrongful", RC_NOKEY, RC_IP_WRONGFUL_IN)          \
	RC_BACKFILL_NAMED("ip_malicious", RC_NOKEY, RC_IP_MALICIOUS_IN)        \
	"DELETE FROM report_daily WHERE what = 'complaints';\n"                \
	RC_DAILY_COMPLAINTS_BACKFILL
static const char migration_25[] = RC_CASE_COUNT_TRIGGERS RC_COUNTS_OF_25;
extern const char wq_schema_migration_25_pg[];

/* Version 26: the dashboard's diversion disputes by region from
 * counters.  It grouped every row of diversions twice, by the region the
 * goods were found in and by the one the distributor may sell in: some
 * 35,000 rows at a million cases, on each dashboard open.  Triggers on
 * diversions keep two dimensions of report_counts (the same text is the
 * body of PostgreSQL's functions). */
#define RC_FOUND_REGION_KEY(r) r ".found_region"
#define RC_AUTHORISED_REGION_KEY(r) r ".authorised_region"
#define RC_DIVERSION_DIMS(X)                                                   \
	X("diversion_found_region", RC_FOUND_REGION_KEY, RC_ALL)              \
	X("diversion_authorised_region", RC_AUTHORISED_REGION_KEY, RC_ALL)
#define RC_DIVERSION_INSERT_COUNTS RC_DIVERSION_DIMS(RC_INSERT)
#define RC_DIVERSION_DELETE_COUNTS RC_DIVERSION_DIMS(RC_DELETE)
#define RC_DIVERSION_UPDATE_COUNTS RC_DIVERSION_DIMS(RC_UPDATE)
#define RC_DIVERSION_BACKFILL(dim, KEY, IN)                                    \
	"INSERT INTO report_counts(dim, key, n) SELECT '" dim "', " KEY("d")  \
	", count(*) FROM diversions d GROUP BY " KEY("d") ";\n"
#define RC_COUNTS_OF_26                                                        \
	"DELETE FROM report_counts WHERE dim IN ('diversion_found_region',"    \
	" 'diversion_authorised_region');\n"                                   \
	RC_DIVERSION_DIMS(RC_DIVERSION_BACKFILL)
static const char migration_26[] =
	"DROP TRIGGER IF EXISTS report_diversion_insert;\n"
	"CREATE TRIGGER report_diversion_insert AFTER INSERT ON diversions"
	" BEGIN\n" RC_DIVERSION_INSERT_COUNTS "END;\n"
	/* weiquan never deletes a diversion's details nor moves its regions;
	 * if someone does, the counts follow. */
	"DROP TRIGGER IF EXISTS report_diversion_delete;\n"
	"CREATE TRIGGER report_diversion_delete AFTER DELETE ON diversions"
	" BEGIN\n" RC_DIVERSION_DELETE_COUNTS "END;\n"
	"DROP TRIGGER IF EXISTS report_diversion_regions;\n"
	"CREATE TRIGGER report_diversion_regions AFTER UPDATE OF found_region,"
	" authorised_region ON diversions BEGIN\n" RC_DIVERSION_UPDATE_COUNTS
	"END;\n"
	RC_COUNTS_OF_26;
extern const char wq_schema_migration_26_pg[];

/* Version 27: the cases of a rare flag.  A drill-down or `case list
 * --flag` read the flagged cases (cases_flagged) in due order until it had
 * a page of those with the flag: all 55,000 open flagged cases of 794,000
 * for the 5 flagged wrongful-notice, in 18 ms.  Each of these indexes
 * holds the cases of one flag, keyed by the flag's bit so that caselist.c's
 * "(c.flags & bit) = bit" reads them in due order; its WHERE keeps the
 * others out.  The bits are WQ_FLAG(COLLECTIVE), WQ_FLAG(WRONGFUL_NOTICE)
 * and WQ_FLAG(MALICIOUS_NOTICE) (test_caselist checks).  The other flags
 * are common enough among the flagged cases for cases_flagged. */
#define FLAG_INDEX(name, bit)                                                  \
	"CREATE INDEX IF NOT EXISTS " name " ON cases((flags & " bit "),"      \
	" due_on) WHERE (flags & " bit ") <> 0;\n"
#define FLAG_INDEXES                                                           \
	FLAG_INDEX("cases_flag_collective", "4")                               \
	FLAG_INDEX("cases_flag_wrongful_notice", "64")                         \
	FLAG_INDEX("cases_flag_malicious_notice", "128")
static const char migration_27[] = FLAG_INDEXES;
/* The same text on PostgreSQL. */
const char wq_schema_migration_27_pg[] = FLAG_INDEXES;

/* Version 28: the cases of one status in the order they came in.  The
 * closed cases newest first read the received index past the newer
 * open cases, 566,000 SQLite steps at 999,015 cases (the cases in
 * mediation, 217,000); the status's own index, in due order, would be
 * sorted whole.  This index is both: a range of the status in received
 * order (caselist.c's dense_filters() leaves its term indexed).  The id
 * is written out for PostgreSQL, where it is no rowid. */
#define STATUS_RECEIVED_INDEX                                                  \
	"CREATE INDEX IF NOT EXISTS cases_by_status_received"                  \
	" ON cases(status, received_at, id);\n"
static const char migration_28[] = STATUS_RECEIVED_INDEX;
/* The same text on PostgreSQL. */
const char wq_schema_migration_28_pg[] = STATUS_RECEIVED_INDEX;

/* Version 29: the indexes of one clock's cases and of one merchant's end
 * with the case id, as the lists' orders do (due_on or received_at, then
 * id).  On SQLite the rowid ended them already.  On PostgreSQL no plan
 * could take a page of them in order, so every case of the range was
 * read and sorted: the report clock's overdue cases (3,691 of 999,015)
 * took 39 ms for a page, 0.5 ms on SQLite.  Now a plan can stop at the
 * page's end (2.6 ms), where the planner expects more cases than the
 * page holds. */
#define CASE_ID_ENDED_INDEXES                                                  \
	"DROP INDEX IF EXISTS cases_by_clock;\n"                                \
	"CREATE INDEX cases_by_clock ON cases(clock, due_on, id);\n"            \
	"DROP INDEX IF EXISTS cases_by_merchant_due;\n"                         \
	"CREATE INDEX cases_by_merchant_due ON cases(merchant_id, due_on, id);\n" \
	"DROP INDEX IF EXISTS cases_by_merchant;\n"                             \
	"CREATE INDEX cases_by_merchant ON cases(merchant_id, received_at, id);\n"
static const char migration_29[] = CASE_ID_ENDED_INDEXES;
/* The same text on PostgreSQL. */
const char wq_schema_migration_29_pg[] = CASE_ID_ENDED_INDEXES;

/* Version 30: the totals of the deadlines (RC_DUE_TOTALS).  The
 * dashboard's overdue figures added up every day before today that a
 * deadline ever fell on, for each clock and each mediator: 1,949 rows
 * of report_due (1,412 of them at 0) and 2,456 of report_due_assignee at
 * a million cases, a third of the pages its first open read.  With the
 * totals it reads the days from today on.  The triggers that count are
 * made again (RC_CASE_COUNT_TRIGGERS, RC_CASE_DUE_TRIGGER), the totals
 * made from the tables. */
static const char migration_30[] =
	RC_CASE_COUNT_TRIGGERS RC_CASE_DUE_TRIGGER RC_DUE_TOTALS_BACKFILL;
extern const char wq_schema_migration_30_pg[];

/* Version 31: today's rulings of every user on one page.  The dashboard
 * read each mediator's count for today in report_actor_days, keyed
 * (actor, day): at a million cases each on a page of its own, eight
 * pages for one line of figures.  This index holds the day first, with
 * the count, so that one range of it answers. */
#define ACTOR_DAYS_BY_DAY                                                      \
	"CREATE INDEX IF NOT EXISTS report_actor_days_by_day"                 \
	" ON report_actor_days(day, actor, n);\n"
static const char migration_31[] = ACTOR_DAYS_BY_DAY;
/* The same text on PostgreSQL. */
const char wq_schema_migration_31_pg[] = ACTOR_DAYS_BY_DAY;

/* Version 32: a case's regime is a column of its row.  It was a table of
 * its own, case_regimes, one row per case: at a million cases 5,560
 * pages, and a list row's deadline mark (DUE_VERIFIED, case_internal.h)
 * read one of them for every case on the accept or notice clock.  The
 * regime never changes once the case is made; '' is none recorded (a
 * case made with no clock rules loaded), which follows the active one.
 * Every trigger on an update of cases names its columns, none this one,
 * so filling it counts nothing again.  The old table is made if absent
 * and a recorded regime is never overwritten, so that the text can run
 * again. */
static const char migration_32[] = CASE_REGIMES_TABLE
	"UPDATE cases SET regime = g.regime FROM case_regimes g"
	" WHERE g.case_id = cases.id AND cases.regime = '';\n"
	"DROP TABLE case_regimes;\n";
/* PostgreSQL writes a new version of every row an UPDATE touches, with
 * an entry in each of the cases' indexes: filling the column row by row
 * took 4 minutes on 999,015 cases and doubled the table.  A column added
 * with a constant default costs nothing for the rows there (the value is
 * kept once, in the catalogue), so the column comes with the regime most
 * cases have, its default then goes back to '' for the rows to come, and
 * only the cases with another regime, or none, are written. */
const char wq_schema_migration_32_pg[] =
	"DO $$ DECLARE common text; BEGIN\n"
	" IF to_regclass('case_regimes') IS NOT NULL AND NOT EXISTS (SELECT 1"
	"  FROM pg_attribute WHERE attrelid = 'cases'::regclass"
	"  AND attname = 'regime' AND NOT attisdropped) THEN\n"
	"  SELECT regime INTO common FROM case_regimes GROUP BY regime"
	"   ORDER BY count(*) DESC, regime LIMIT 1;\n"
	"  EXECUTE format('ALTER TABLE cases ADD COLUMN regime text"
	"   COLLATE \"C\" NOT NULL DEFAULT %L', coalesce(common, ''));\n"
	"  ALTER TABLE cases ALTER COLUMN regime SET DEFAULT '';\n"
	"  UPDATE cases SET regime = g.regime FROM case_regimes g"
	"   WHERE g.case_id = cases.id AND g.regime <> cases.regime;\n"
	"  UPDATE cases SET regime = '' WHERE regime <> '' AND NOT EXISTS"
	"   (SELECT 1 FROM case_regimes g WHERE g.case_id = cases.id);\n"
	" END IF;\n"
	"END $$;\n"
	"ALTER TABLE cases ADD COLUMN IF NOT EXISTS regime text COLLATE \"C\""
	" NOT NULL DEFAULT '';\n"
	"DROP TABLE IF EXISTS case_regimes;\n";

/* Version 33: the review order's count of one assignee's cases.  A
 * mediator's queue in the review order counted their cases in review
 * through cases_by_assignee_status on every sort change: 4,847 entries
 * for one mediator at a million cases, 4 ms against 1.5 at 2,000.  The
 * counting triggers are made again (RC_DIMS), the new counts made from
 * the cases in review. */
#define RC_COUNTS_OF_33                                                        \
	"DELETE FROM report_counts WHERE dim = 'review_assignee_status';\n"   \
	RC_BACKFILL_NAMED("review_assignee_status", RC_ASSIGNEE_STATUS_KEY,    \
			  RC_REVIEW_IN)
static const char migration_33[] = RC_CASE_COUNT_TRIGGERS RC_COUNTS_OF_33;
extern const char wq_schema_migration_33_pg[];

/* Version 34: a search of one assignee's open cases (a mediator's
 * queue searched) streams the index's hits, and each was looked up in
 * its case's row to see whose it was: at a million cases li.na's are
 * 2.85% of the hits of 退款, and her first page read some 670 case rows
 * in a 12 GB file, 9.7 ms with SQLite's cache cold against 0.55 at 2,000
 * cases.  The hits come in case order, so in this index they fall on a
 * page or two of the assignee's open cases, and only the cases kept read
 * their rows.  The same text on PostgreSQL. */
#define OPEN_CASES_BY_ASSIGNEE_ID                                              \
	"CREATE INDEX IF NOT EXISTS cases_open_by_assignee_id"                 \
	" ON cases(assignee, id) WHERE status <> 'closed';\n"
static const char migration_34[] = OPEN_CASES_BY_ASSIGNEE_ID;
static const char migration_34_pg[] = OPEN_CASES_BY_ASSIGNEE_ID;

/* Version 35: the inbox's performance dates (INBOX_DUE_SQL, src/inbox.c)
 * read from performance_due alone.  Each date's case was read to order
 * the dates by case number and to show it: 21 case rows a screenful,
 * each the depth of the cases table in pages, which grows with it.  The
 * inbox's first screenful read 52 pages at a million cases, 1.9 ms with
 * SQLite's cache cold, against 19 pages and 0.66 ms at 2,000.  The row
 * now holds its case's number (a case's number never changes), kept by
 * the triggers that add the rows, and the index by assignee and date
 * holds it too, so a screenful is one range of the index. */
#define PERFORMANCE_DUE_ROW                                                    \
	" INSERT INTO performance_due(agreement_id, case_id, assignee,"        \
	" due_on, number)"
#define PERFORMANCE_DUE_OF_AGREEMENT                                           \
	PERFORMANCE_DUE_ROW " SELECT NEW.id, NEW.case_id, c.assignee,"         \
	" NEW.perform_by, c.number FROM cases c WHERE c.id = NEW.case_id"      \
	" AND NEW.performed_at IS NULL"                                        \
	" AND c.status IN " PERFORMANCE_DUE_STATUSES ";\n"
#define PERFORMANCE_DUE_OF_CASE                                                \
	" DELETE FROM performance_due WHERE case_id = NEW.id;\n"                \
	PERFORMANCE_DUE_ROW " SELECT a.id, NEW.id, NEW.assignee, a.perform_by," \
	" NEW.number FROM agreements a WHERE a.case_id = NEW.id"               \
	" AND a.performed_at IS NULL"                                          \
	" AND NEW.status IN " PERFORMANCE_DUE_STATUSES ";\n"
#define PERFORMANCE_DUE_AGREEMENT_CHANGED                                      \
	" DELETE FROM performance_due WHERE agreement_id = NEW.id;\n"          \
	PERFORMANCE_DUE_OF_AGREEMENT
#define PERFORMANCE_DUE_BY_NUMBER                                              \
	"DROP INDEX IF EXISTS performance_due_by_assignee;\n"                  \
	"CREATE INDEX performance_due_by_assignee"                             \
	" ON performance_due(assignee, due_on, number);\n"
static const char migration_35[] =
	"UPDATE performance_due SET number = (SELECT c.number FROM cases c"
	" WHERE c.id = performance_due.case_id);\n"
	PERFORMANCE_DUE_BY_NUMBER
	"DROP TRIGGER IF EXISTS agreements_performance_due;\n"
	"CREATE TRIGGER agreements_performance_due AFTER INSERT ON agreements"
	" BEGIN" PERFORMANCE_DUE_OF_AGREEMENT "END;\n"
	"DROP TRIGGER IF EXISTS agreements_performance_due_change;\n"
	"CREATE TRIGGER agreements_performance_due_change AFTER UPDATE OF"
	" performed_at, perform_by, case_id ON agreements"
	" BEGIN" PERFORMANCE_DUE_AGREEMENT_CHANGED "END;\n"
	"DROP TRIGGER IF EXISTS cases_performance_due_status;\n"
	"CREATE TRIGGER cases_performance_due_status AFTER UPDATE OF status"
	" ON cases WHEN OLD.status IS NOT NEW.status"
	" BEGIN" PERFORMANCE_DUE_OF_CASE "END;\n";
extern const char wq_schema_migration_35_pg[];

/* Up to the PostgreSQL baseline a migration is SQLite's alone; each one
 * after it needs both texts, migration_n and its PostgreSQL text
 * (migration_n_pg, or wq_schema_migration_n_pg where that is defined
 * below with the PostgreSQL triggers), or the program does not build. */
#define BEFORE_PG(n) {.sqlite = migration_##n}
#define LATER(n) {.sqlite = migration_##n, .pg = migration_##n##_pg}
const struct wq_migration wq_schema_migrations[] = {
	BEFORE_PG(1),
	BEFORE_PG(2),
	BEFORE_PG(3),
	BEFORE_PG(4),
	BEFORE_PG(5),
	BEFORE_PG(6),
	BEFORE_PG(7),
	BEFORE_PG(8),
	BEFORE_PG(9),
	BEFORE_PG(10),
	BEFORE_PG(11),
	BEFORE_PG(12),
	BEFORE_PG(13),
	BEFORE_PG(14),
	BEFORE_PG(15),
	BEFORE_PG(16),
	BEFORE_PG(17),
	BEFORE_PG(18),
	BEFORE_PG(19),
	BEFORE_PG(20),
	BEFORE_PG(21),
	LATER(22),
	LATER(23),
	{.sqlite = migration_24, .pg = wq_schema_migration_24_pg},
	{.sqlite = migration_25, .pg = wq_schema_migration_25_pg},
	{.sqlite = migration_26, .pg = wq_schema_migration_26_pg},
	{.sqlite = migration_27, .pg = wq_schema_migration_27_pg},
	{.sqlite = migration_28, .pg = wq_schema_migration_28_pg},
	{.sqlite = migration_29, .pg = wq_schema_migration_29_pg},
	{.sqlite = migration_30, .pg = wq_schema_migration_30_pg},
	{.sqlite = migration_31, .pg = wq_schema_migration_31_pg},
	{.sqlite = migration_32,
	 .pg = wq_schema_migration_32_pg,
	 .sqlite_column = {"cases", "regime", "TEXT NOT NULL DEFAULT ''"}},
	{.sqlite = migration_33, .pg = wq_schema_migration_33_pg},
	LATER(34),
	{.sqlite = migration_35,
	 .pg = wq_schema_migration_35_pg,
	 .sqlite_column = {"performance_due", "number",
			   "TEXT NOT NULL DEFAULT ''"}},
};

const int wq_schema_migration_count =
	(int)(sizeof(wq_schema_migrations) / sizeof(wq_schema_migrations[0]));

/* ---- PostgreSQL ----
 *
 * The triggers of version 21 in PL/pgSQL, for the PostgreSQL baseline
 * (src/schema_pg.c).  The report triggers are made from the same macros
 * as SQLite's (RC_*, above), with the few pieces where the dialects
 * differ defined again here: a condition is boolean (a count adds
 * CASE WHEN ... THEN 1 ELSE 0 END), IS between values is IS NOT DISTINCT
 * FROM, and the day of a time is wq_local_day() (schema_pg.c).  What
 * SQLite's RAISE(ABORT, msg) refuses raises msg with SQLSTATE 23000. */
#undef RC_BUMP
#define RC_BUMP(table) "n = " table ".n + 1"
#undef RC_ALL
#define RC_ALL(r) "true"
#undef RC_PAUSED
#define RC_PAUSED(r)                                                           \
	"(CASE WHEN json_extract(" r ".clocks, '$.' || " r ".clock"            \
	" || '.paused') IS NOT NULL THEN 1 ELSE 0 END)"
#undef RC_SAME
#define RC_SAME(KEY, IN)                                                       \
	"(" IN("OLD") " AND " IN("NEW") " AND " KEY("OLD")                     \
	" IS NOT DISTINCT FROM " KEY("NEW") ")"
#undef RC_DUEA_IN
#define RC_DUEA_IN(r)                                                          \
	"(" RC_DUE_IN(r) " AND " r ".assignee IS NOT NULL AND "               \
	RC_PAUSED(r) " = 0)"
#undef RC_DAY
#define RC_DAY(ts) "wq_local_day(" ts ")"
#define RC_COUNT(cond) "(CASE WHEN " cond " THEN 1 ELSE 0 END)"
#undef RC_SUCCESS
#define RC_SUCCESS(o, n)                                                       \
	"(" RC_COUNT("(" o " = 'in_mediation' AND " n                          \
		     " IN ('agreement','settled'))")                           \
	" - " RC_COUNT("(" o " = 'performance_watch' AND " n                   \
		       " IN ('mediation_ended','unperformed'))") ")"
#undef RC_MERCHANT_SET
#define RC_MERCHANT_SET(o, n)                                                  \
	" UPDATE report_merchants SET"                                         \
	" concluded = concluded + " RC_COUNT(RC_CONCLUDED(o, n)) ","           \
	" mediated = mediated + " RC_COUNT(RC_MEDIATED(o, n)) ","              \
	" mediation_success = mediation_success + " RC_SUCCESS(o, n) ","       \
	" settled_before = settled_before + "                                  \
	RC_COUNT(RC_SETTLED_BEFORE(o, n))

/* inbox_due_counts' one more, its n named apart from the new row's. */
#define PG_DUE_OPEN_ADD(cond)                                                  \
	" INSERT INTO inbox_due_counts(assignee, due_on, n) SELECT"            \
	" NEW.assignee, NEW.due_on, 1 WHERE " cond                             \
	" ON CONFLICT(assignee, due_on) DO UPDATE SET"                         \
	" n = inbox_due_counts.n + 1;\n"

/* A row trigger: its function, named as the trigger, runs body. */
#define PG_TRIGGER(name, timing, table, when, body)                            \
	"CREATE FUNCTION " name "() RETURNS trigger LANGUAGE plpgsql AS $$\n"  \
	"BEGIN\n" body " RETURN NULL;\nEND $$;\n"                              \
	"CREATE TRIGGER " name " " timing " ON " table " FOR EACH ROW " when   \
	" EXECUTE FUNCTION " name "();\n"
#define PG_REFUSE(msg)                                                         \
	" RAISE EXCEPTION USING ERRCODE = '23000', MESSAGE = '" msg "';\n"
/* TRUNCATE, which SQLite does not have, would empty a table that DELETE
 * may not touch: refused as the DELETE is (statement triggers of their
 * own, name_no_truncate, beside SQLite's set). */
#define PG_NO_TRUNCATE(table, msg)                                             \
	"CREATE FUNCTION " table "_no_truncate() RETURNS trigger"               \
	" LANGUAGE plpgsql AS $$\nBEGIN\n" PG_REFUSE(msg) "END $$;\n"         \
	"CREATE TRIGGER " table "_no_truncate BEFORE TRUNCATE ON " table       \
	" FOR EACH STATEMENT EXECUTE FUNCTION " table "_no_truncate();\n"

#define PG_REPLACE_FUNCTION(name, body)                                        \
	"CREATE OR REPLACE FUNCTION " name "() RETURNS trigger"                \
	" LANGUAGE plpgsql AS $$\nBEGIN\n" body " RETURN NULL;\nEND $$;\n"

/* Version 25 on PostgreSQL (migration_25): the counting triggers'
 * functions replaced, the triggers kept; the same counts made. */
const char wq_schema_migration_25_pg[] =
	PG_REPLACE_FUNCTION("report_case_insert", RC_CASE_INSERT_COUNTS)
	PG_REPLACE_FUNCTION("report_case_delete", RC_CASE_DELETE_COUNTS)
	PG_REPLACE_FUNCTION("report_case_counts", RC_CASE_UPDATE_COUNTS)
	RC_COUNTS_OF_25;

/* Version 33 on PostgreSQL (migration_33): the counting triggers'
 * functions replaced, the triggers kept; the new counts made. */
const char wq_schema_migration_33_pg[] =
	PG_REPLACE_FUNCTION("report_case_insert", RC_CASE_INSERT_COUNTS)
	PG_REPLACE_FUNCTION("report_case_delete", RC_CASE_DELETE_COUNTS)
	PG_REPLACE_FUNCTION("report_case_counts", RC_CASE_UPDATE_COUNTS)
	RC_COUNTS_OF_33;

/* Version 30 on PostgreSQL (migration_30): the functions that count a
 * case's deadline replaced, the totals made. */
const char wq_schema_migration_30_pg[] =
	PG_REPLACE_FUNCTION("report_case_insert", RC_CASE_INSERT_COUNTS)
	PG_REPLACE_FUNCTION("report_case_delete", RC_CASE_DELETE_COUNTS)
	PG_REPLACE_FUNCTION("report_case_due", RC_CASE_DUE_COUNTS)
	RC_DUE_TOTALS_BACKFILL;

/* Version 35 on PostgreSQL (migration_35): the number beside each
 * performance date, and the functions that add the rows replaced. */
const char wq_schema_migration_35_pg[] =
	"ALTER TABLE performance_due ADD COLUMN IF NOT EXISTS number text"
	" COLLATE \"C\" NOT NULL DEFAULT '';\n"
	"UPDATE performance_due p SET number = c.number FROM cases c"
	" WHERE c.id = p.case_id;\n"
	PERFORMANCE_DUE_BY_NUMBER
	PG_REPLACE_FUNCTION("agreements_performance_due",
			    PERFORMANCE_DUE_OF_AGREEMENT)
	PG_REPLACE_FUNCTION("agreements_performance_due_change",
			    PERFORMANCE_DUE_AGREEMENT_CHANGED)
	PG_REPLACE_FUNCTION("cases_performance_due_status",
			    PERFORMANCE_DUE_OF_CASE);

/* A row trigger made again whether or not it is there, as SQLite's DROP
 * TRIGGER IF EXISTS and CREATE TRIGGER make it. */
#define PG_TRIGGER_AGAIN(name, timing, table, body)                            \
	PG_REPLACE_FUNCTION(name, body)                                        \
	"DROP TRIGGER IF EXISTS " name " ON " table ";\n"                      \
	"CREATE TRIGGER " name " " timing " ON " table " FOR EACH ROW"         \
	" EXECUTE FUNCTION " name "();\n"

/* Version 26 on PostgreSQL (migration_26): the same counting, in
 * functions of their own. */
const char wq_schema_migration_26_pg[] =
	PG_TRIGGER_AGAIN("report_diversion_insert", "AFTER INSERT",
			 "diversions", RC_DIVERSION_INSERT_COUNTS)
	PG_TRIGGER_AGAIN("report_diversion_delete", "AFTER DELETE",
			 "diversions", RC_DIVERSION_DELETE_COUNTS)
	PG_TRIGGER_AGAIN("report_diversion_regions",
			 "AFTER UPDATE OF found_region, authorised_region",
			 "diversions", RC_DIVERSION_UPDATE_COUNTS)
	RC_COUNTS_OF_26;

/* Version 24 on PostgreSQL (migration_24): the status trigger's function
 * replaced, the trigger itself kept. */
const char wq_schema_migration_24_pg[] =
	"CREATE OR REPLACE FUNCTION report_case_status() RETURNS trigger"
	" LANGUAGE plpgsql AS $$\nBEGIN\n"
	RC_DAILY_ADD("closed", RC_DAY("NEW.updated_at"),
		     "NEW.status = 'closed'")
	RC_MERCHANT_MOVE("NEW", "OLD.status", "NEW.status")
	" RETURN NULL;\nEND $$;\n";

const char wq_schema_pg_triggers[] =
	PG_TRIGGER("events_no_update", "BEFORE UPDATE", "events", "",
		   PG_REFUSE("audit events cannot be changed"))
	PG_TRIGGER("events_no_delete", "BEFORE DELETE", "events", "",
		   PG_REFUSE("audit events cannot be deleted"))
	PG_TRIGGER("events_append_only", "BEFORE INSERT", "events", "",
		   " IF NEW.id <= (SELECT max(id) FROM events) THEN\n"
		   PG_REFUSE("audit events can only be appended")
		   " END IF;\n RETURN NEW;\n")
	PG_TRIGGER("event_logins_no_update", "BEFORE UPDATE", "event_logins",
		   "", PG_REFUSE("audit events cannot be changed"))
	PG_TRIGGER("event_logins_no_delete", "BEFORE DELETE", "event_logins",
		   "", PG_REFUSE("audit events cannot be deleted"))
	PG_TRIGGER("event_logins_append_only", "BEFORE INSERT", "event_logins",
		   "",
		   " IF NEW.event_id <= (SELECT max(event_id) FROM event_logins)"
		   " THEN\n" PG_REFUSE("audit events can only be appended")
		   " END IF;\n RETURN NEW;\n")
	PG_TRIGGER("documents_no_update", "BEFORE UPDATE", "documents", "",
		   PG_REFUSE("issued documents cannot be changed"))
	PG_TRIGGER("documents_no_delete", "BEFORE DELETE", "documents", "",
		   PG_REFUSE("issued documents cannot be deleted"))
	PG_TRIGGER("contacts_no_update", "BEFORE UPDATE", "contacts", "",
		   PG_REFUSE("contacts cannot be changed"))
	PG_TRIGGER("contacts_no_delete", "BEFORE DELETE", "contacts", "",
		   PG_REFUSE("contacts cannot be deleted"))
	PG_NO_TRUNCATE("events", "audit events cannot be deleted")
	PG_NO_TRUNCATE("event_logins", "audit events cannot be deleted")
	PG_NO_TRUNCATE("documents", "issued documents cannot be deleted")
	PG_NO_TRUNCATE("contacts", "contacts cannot be deleted")

	/* the dashboard's counters (version 3 and 17) */
	PG_TRIGGER("report_case_insert", "AFTER INSERT", "cases", "",
		   RC_CASE_INSERT_COUNTS)
	PG_TRIGGER("report_case_delete", "AFTER DELETE", "cases", "",
		   RC_CASE_DELETE_COUNTS)
	PG_TRIGGER("report_case_counts",
		   "AFTER UPDATE OF status, category, region, type, assignee,"
		   " flags, group_id", "cases", "",
		   RC_CASE_UPDATE_COUNTS)
	PG_TRIGGER("report_case_status", "AFTER UPDATE OF status", "cases",
		   "WHEN (OLD.status IS DISTINCT FROM NEW.status)",
		   RC_DAILY_ADD("closed", RC_DAY("NEW.updated_at"),
				"NEW.status = 'closed'")
		   RC_MERCHANT_STEP("NEW", "OLD.status", "NEW.status"))
	PG_TRIGGER("report_case_due",
		   "AFTER UPDATE OF clock, due_on, clocks, assignee", "cases",
		   "", RC_CASE_DUE_COUNTS)
	PG_TRIGGER("report_case_merchant", "AFTER UPDATE OF merchant_id",
		   "cases",
		   "WHEN (OLD.merchant_id IS DISTINCT FROM NEW.merchant_id)",
		   " UPDATE report_merchants SET complaints = complaints - 1"
		   " WHERE merchant_id = OLD.merchant_id AND "
		   RC_CONSUMER("OLD") ";\n"
		   " INSERT INTO report_merchants(merchant_id, complaints)"
		   " SELECT NEW.merchant_id, 1 WHERE " RC_CONSUMER("NEW")
		   " ON CONFLICT(merchant_id) DO UPDATE SET"
		   " complaints = report_merchants.complaints + 1;\n"
		   RC_MDAY_SUB("OLD")
		   RC_MDAY_ADD("NEW"))
	PG_TRIGGER("report_event_insert", "AFTER INSERT", "events",
		   "WHEN " RC_RULING("NEW"),
		   " INSERT INTO report_actor_days(actor, day, n) SELECT"
		   " NEW.actor, " RC_DAY("NEW.at") ", 1 ON CONFLICT(actor, day)"
		   " DO UPDATE SET n = report_actor_days.n + 1;\n")

	/* the inbox, follow-ups and review waits (version 19) */
	PG_TRIGGER("events_inbox", "AFTER INSERT", "events",
		   "WHEN (NEW.case_id IS NOT NULL)",
		   " INSERT INTO inbox_items(event_id, login, case_id, read)"
		   " SELECT NEW.id, c.assignee, c.id, 0 FROM cases c"
		   " WHERE c.id = NEW.case_id AND c.assignee <> NEW.actor;\n")
	PG_TRIGGER("cases_inbox_reassigned", "AFTER UPDATE OF assignee",
		   "cases",
		   "WHEN (OLD.assignee IS DISTINCT FROM NEW.assignee)",
		   " DELETE FROM inbox_items WHERE case_id = OLD.id"
		   " AND login = OLD.assignee;\n")
	PG_TRIGGER("inbox_items_added", "AFTER INSERT", "inbox_items",
		   "WHEN (NEW.read = 0)",
		   " INSERT INTO inbox_counts(login, unread) VALUES (NEW.login, 1)"
		   " ON CONFLICT(login) DO UPDATE SET"
		   " unread = inbox_counts.unread + 1;\n")
	PG_TRIGGER("inbox_items_removed", "AFTER DELETE", "inbox_items",
		   "WHEN (OLD.read = 0)",
		   " UPDATE inbox_counts SET unread = unread - 1"
		   " WHERE login = OLD.login;\n")
	PG_TRIGGER("inbox_items_marked", "AFTER UPDATE OF read", "inbox_items",
		   "WHEN (OLD.read <> NEW.read)",
		   " UPDATE inbox_counts SET unread = unread + OLD.read - NEW.read"
		   " WHERE login = NEW.login;\n")
	PG_TRIGGER("inbox_items_fixed",
		   "BEFORE UPDATE OF event_id, login, case_id", "inbox_items",
		   "", PG_REFUSE("an inbox item only changes its read flag"))
	PG_TRIGGER("contacts_follow_up", "AFTER INSERT", "contacts", "",
		   " IF NOT EXISTS (SELECT 1 FROM contacts x"
		   " WHERE x.case_id = NEW.case_id AND x.id > NEW.id) THEN\n"
		   " DELETE FROM follow_ups WHERE case_id = NEW.case_id;\n"
		   " INSERT INTO follow_ups(case_id, assignee, due_on)"
		   " SELECT c.id, c.assignee, NEW.follow_up_on FROM cases c"
		   " WHERE c.id = NEW.case_id AND c.status <> 'closed'"
		   " AND NEW.follow_up_on <> '';\n"
		   " END IF;\n")
	PG_TRIGGER("cases_follow_up_assignee", "AFTER UPDATE OF assignee",
		   "cases",
		   "WHEN (OLD.assignee IS DISTINCT FROM NEW.assignee)",
		   " UPDATE follow_ups SET assignee = NEW.assignee"
		   " WHERE case_id = NEW.id;\n")
	PG_TRIGGER("cases_follow_up_status", "AFTER UPDATE OF status", "cases",
		   "WHEN ((OLD.status = 'closed') <> (NEW.status = 'closed'))",
		   " DELETE FROM follow_ups WHERE case_id = NEW.id;\n"
		   " INSERT INTO follow_ups(case_id, assignee, due_on)"
		   " SELECT NEW.id, NEW.assignee, x.follow_up_on FROM contacts x"
		   " WHERE x.id = (SELECT max(y.id) FROM contacts y"
		   " WHERE y.case_id = NEW.id)"
		   " AND NEW.status <> 'closed' AND x.follow_up_on <> '';\n")
	/* live refresh: each event names its case to the sessions that
	 * LISTEN (src/store_pg.c, CHANGES_CHANNEL) */
	PG_TRIGGER("events_notify", "AFTER INSERT", "events", "",
		   " PERFORM pg_notify('weiquan_changes',"
		   " coalesce(CAST(NEW.case_id AS text), '*'));\n")

	/* review waits with their assignee (version 21) */
	PG_TRIGGER("cases_review_wait_insert", "AFTER INSERT", "cases",
		   "WHEN (NEW.status IN ('first_review', 'final_review'))",
		   " INSERT INTO review_waits(case_id, assignee, since)"
		   " VALUES (NEW.id, NEW.assignee, " REVIEW_WAIT_SINCE("NEW") ")"
		   " ON CONFLICT(case_id) DO UPDATE SET"
		   " assignee = excluded.assignee, since = excluded.since;\n")
	PG_TRIGGER("cases_review_wait", "AFTER UPDATE OF status, updated_at",
		   "cases", "",
		   " DELETE FROM review_waits WHERE case_id = NEW.id;\n"
		   " INSERT INTO review_waits(case_id, assignee, since)"
		   " SELECT NEW.id, NEW.assignee, " REVIEW_WAIT_SINCE("NEW")
		   " WHERE NEW.status IN ('first_review', 'final_review');\n")
	PG_TRIGGER("cases_review_wait_assignee", "AFTER UPDATE OF assignee",
		   "cases", "WHEN (OLD.assignee IS DISTINCT FROM NEW.assignee)",
		   " UPDATE review_waits SET assignee = NEW.assignee"
		   " WHERE case_id = NEW.id;\n")

	/* what falls due, by assignee and date (version 21) */
	PG_TRIGGER("cases_inbox_due_insert", "AFTER INSERT", "cases",
		   "WHEN " DUE_OPEN_IN("NEW"), PG_DUE_OPEN_ADD("true"))
	PG_TRIGGER("cases_inbox_due_delete", "AFTER DELETE", "cases",
		   "WHEN " DUE_OPEN_IN("OLD"), DUE_OPEN_SUB("true") "\n")
	PG_TRIGGER("cases_inbox_due",
		   "AFTER UPDATE OF clock, due_on, clocks, assignee, status",
		   "cases", "WHEN (NOT " DUE_OPEN_SAME ")",
		   DUE_OPEN_SUB(DUE_OPEN_IN("OLD")) "\n"
		   PG_DUE_OPEN_ADD(DUE_OPEN_IN("NEW")))
	PG_TRIGGER("events_review_wait", "AFTER INSERT", "events",
		   "WHEN (NEW.action IN ('submit', 'approve')"
		   " AND NEW.case_id IS NOT NULL)",
		   " UPDATE review_waits SET since = NEW.at"
		   " WHERE case_id = NEW.case_id;\n")

	/* performance due (version 20) */
	PG_TRIGGER("agreements_performance_due", "AFTER INSERT", "agreements",
		   "",
		   " INSERT INTO performance_due(agreement_id, case_id, assignee,"
		   " due_on) SELECT NEW.id, NEW.case_id, c.assignee,"
		   " NEW.perform_by FROM cases c WHERE c.id = NEW.case_id"
		   " AND NEW.performed_at IS NULL"
		   " AND c.status IN " PERFORMANCE_DUE_STATUSES ";\n")
	PG_TRIGGER("agreements_performance_due_change",
		   "AFTER UPDATE OF performed_at, perform_by, case_id",
		   "agreements", "",
		   " DELETE FROM performance_due WHERE agreement_id = NEW.id;\n"
		   " INSERT INTO performance_due(agreement_id, case_id, assignee,"
		   " due_on) SELECT NEW.id, NEW.case_id, c.assignee,"
		   " NEW.perform_by FROM cases c WHERE c.id = NEW.case_id"
		   " AND NEW.performed_at IS NULL"
		   " AND c.status IN " PERFORMANCE_DUE_STATUSES ";\n")
	PG_TRIGGER("agreements_performance_due_delete", "AFTER DELETE",
		   "agreements", "",
		   " DELETE FROM performance_due WHERE agreement_id = OLD.id;\n")
	PG_TRIGGER("cases_performance_due_status", "AFTER UPDATE OF status",
		   "cases", "WHEN (OLD.status IS DISTINCT FROM NEW.status)",
		   " DELETE FROM performance_due WHERE case_id = NEW.id;\n"
		   " INSERT INTO performance_due(agreement_id, case_id, assignee,"
		   " due_on) SELECT a.id, NEW.id, NEW.assignee, a.perform_by"
		   " FROM agreements a WHERE a.case_id = NEW.id"
		   " AND a.performed_at IS NULL"
		   " AND NEW.status IN " PERFORMANCE_DUE_STATUSES ";\n")
	PG_TRIGGER("cases_performance_due_assignee", "AFTER UPDATE OF assignee",
		   "cases", "WHEN (OLD.assignee IS DISTINCT FROM NEW.assignee)",
		   " UPDATE performance_due SET assignee = NEW.assignee"
		   " WHERE case_id = NEW.id;\n");
