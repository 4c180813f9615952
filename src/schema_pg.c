/* The schema on PostgreSQL (src/schema.h).
 *
 * No PostgreSQL database older than schema version 21 can exist: the
 * baseline below is version 21 as SQLite's migrations 1 to 21 leave it
 * (`sqlite3 DB .schema` of a new database), in PostgreSQL's words, and
 * init runs it whole, then each later migration's PostgreSQL text.  The
 * same tables, columns, defaults, constraints and indexes; INTEGER is
 * bigint, TEXT text COLLATE "C", BLOB bytea; an "id INTEGER PRIMARY KEY" is a bigint
 * identity, BY DEFAULT because the audit chain gives each event its id
 * (src/audit.c).  Every text column is COLLATE "C", whatever the
 * database's default collation: SQLite compares text by its bytes, and
 * the core's ORDER BY on logins, numbers and names and its prefix ranges
 * (src/casefind.c) must give the same rows in the same order here; a
 * later migration's text column says COLLATE "C" too
 * (tests/pg/test_schema_pg.sh checks).  The functions the core's SQL shares with SQLite
 * (json_extract, json_valid, instr, group_concat, wq_sha256) are defined
 * here with SQLite's meaning; triggers are PL/pgSQL functions, and what
 * SQLite's RAISE(ABORT, msg) refuses is refused here with the same
 * message and SQLSTATE 23000, which the driver reports as SQLite's
 * (src/store_pg.c).  The report triggers come from the macros that make
 * SQLite's (wq_schema_pg_triggers, src/schema.c).
 *
 * Full-text search: search_docs holds each indexed document's tokens,
 * those of SQLite's tokenizer (src/fts_cjk.c), as a tsvector with their
 * positions, keyed by the same number as SQLite's search_index rowid
 * (weiquan/store.h); the store writes it and searches it (src/store_pg.c). */
#include "config.h"

#include <stddef.h>

#include "schema.h"

/* SQLite's functions that the core's SQL may use (the common dialect). */
#define PG_FUNCTIONS \
	/* 1 when the text is JSON, 0 when not, NULL for NULL (as a \
	 * condition: true or false). */ \
	"CREATE FUNCTION json_valid(doc text) RETURNS boolean" \
	" LANGUAGE plpgsql IMMUTABLE AS $$\n" \
	"BEGIN\n" \
	" IF doc IS NULL THEN RETURN NULL; END IF;\n" \
	" PERFORM CAST(doc AS json);\n" \
	" RETURN true;\n" \
	"EXCEPTION WHEN others THEN RETURN false;\n" \
	"END $$;\n" \
	/* json_extract(column, '$.key.key'): the value as text (strings \
	 * unquoted, numbers as digits, true/false, objects and arrays as \
	 * their JSON text as stored), NULL when missing or null. */ \
	"CREATE FUNCTION json_extract(doc text, path text) RETURNS text" \
	" LANGUAGE sql IMMUTABLE AS $$\n" \
	" SELECT CASE json_typeof(v) WHEN 'string' THEN v #>> '{}'" \
	" WHEN 'null' THEN NULL ELSE CAST(v AS text) END" \
	" FROM (SELECT CAST(doc AS json)" \
	" #> string_to_array(substr(path, 3), '.') AS v) AS x\n" \
	"$$;\n" \
	"CREATE FUNCTION instr(haystack text, needle text) RETURNS bigint" \
	" LANGUAGE sql IMMUTABLE AS $$ SELECT strpos(haystack, needle) $$;\n" \
	"CREATE FUNCTION wq_group_concat_step(acc text, x text, sep text)" \
	" RETURNS text LANGUAGE sql IMMUTABLE AS $$" \
	" SELECT CASE WHEN x IS NULL THEN acc WHEN acc IS NULL THEN x" \
	" ELSE acc || sep || x END $$;\n" \
	"CREATE AGGREGATE group_concat(text, text)" \
	" (SFUNC = wq_group_concat_step, STYPE = text);\n" \
	/* The SHA-256 of the text's UTF-8 bytes (of a bytea's bytes), in \
	 * hex: the SQLite driver's wq_sha256(). */ \
	"CREATE FUNCTION wq_sha256(x text) RETURNS text LANGUAGE sql" \
	" IMMUTABLE AS $$ SELECT encode(sha256(convert_to(x, 'UTF8')), 'hex') $$;\n" \
	"CREATE FUNCTION wq_sha256(x bytea) RETURNS text LANGUAGE sql" \
	" IMMUTABLE AS $$ SELECT encode(sha256(x), 'hex') $$;\n" \
	/* The installation's day of a UTC time stamp: RC_DAY's \
	 * date(ts, offset) with Beijing's offset when the setting is not \
	 * one; NULL for what is not a time. */ \
	"CREATE FUNCTION wq_local_day(ts text) RETURNS text" \
	" LANGUAGE plpgsql STABLE AS $$\n" \
	"DECLARE zone text := coalesce((SELECT value FROM settings" \
	" WHERE key = 'utc_offset'), '+08:00');\n" \
	"BEGIN\n" \
	" IF zone !~ '^[+-][0-9][0-9]:[0-9][0-9]$' THEN zone := '+08:00'; END IF;\n" \
	" RETURN to_char(CAST(ts AS timestamp) + CAST(zone AS interval)," \
	" 'YYYY-MM-DD');\n" \
	"EXCEPTION WHEN others THEN RETURN NULL;\n" \
	"END $$;\n"

#define PG_DATA \
	"INSERT INTO categories VALUES" \
	" ('quality','Product quality','产品质量',10)," \
	" ('refund','Refund or return refused','拒绝退款退货',20)," \
	" ('advertising','False advertising','虚假宣传',30)," \
	" ('counterfeit','Counterfeit or IP infringement','假冒侵权',40)," \
	" ('diversion','Cross-region diversion','跨区域串货',50)," \
	" ('delivery','Delivery','物流配送',60)," \
	" ('payment','Payment security','支付安全',70)," \
	" ('service','Service attitude','服务态度',80)," \
	" ('privacy','Personal data','个人信息',90)," \
	" ('other','Other','其他',100);\n" \
	"INSERT INTO report_bits SELECT bit, CAST(1 AS bigint) << bit," \
	" CAST(bit AS text) FROM generate_series(0, 15) AS bit;\n"

static const char pg_baseline[] =
	PG_FUNCTIONS
	"CREATE TABLE settings("
	" key text COLLATE \"C\" PRIMARY KEY,"
	" value text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE users("
	" login text COLLATE \"C\" PRIMARY KEY,"
	" role text COLLATE \"C\" NOT NULL CHECK (role IN ('desk','mediator','supervisor','admin')),"
	" name text COLLATE \"C\" NOT NULL DEFAULT '',"
	" active bigint NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
	" created_at text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE categories("
	" code text COLLATE \"C\" PRIMARY KEY,"
	" name_en text COLLATE \"C\" NOT NULL,"
	" name_zh text COLLATE \"C\" NOT NULL,"
	" sort bigint NOT NULL);\n"
	"CREATE TABLE consumers("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" name text COLLATE \"C\" NOT NULL,"
	" phone text COLLATE \"C\" NOT NULL DEFAULT '',"
	" id_number text COLLATE \"C\" NOT NULL DEFAULT '',"
	" region text COLLATE \"C\" NOT NULL DEFAULT '');\n"
	"CREATE TABLE merchants("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" name text COLLATE \"C\" NOT NULL,"
	" platform text COLLATE \"C\" NOT NULL DEFAULT '',"
	" shop_id text COLLATE \"C\" NOT NULL DEFAULT '',"
	" region text COLLATE \"C\" NOT NULL DEFAULT '',"
	" complaints bigint NOT NULL DEFAULT 0,"
	" settled bigint NOT NULL DEFAULT 0,"
	" failed bigint NOT NULL DEFAULT 0,"
	" unperformed bigint NOT NULL DEFAULT 0,"
	" penalties bigint NOT NULL DEFAULT 0,"
	" repeat_offender bigint NOT NULL DEFAULT 0 CHECK (repeat_offender IN (0,1)),"
	" blacklisted bigint NOT NULL DEFAULT 0 CHECK (blacklisted IN (0,1)),"
	" UNIQUE (platform, shop_id, name));\n"
	"CREATE TABLE case_groups("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" title text COLLATE \"C\" NOT NULL,"
	" merchant_id bigint REFERENCES merchants(id),"
	" facts text COLLATE \"C\" NOT NULL DEFAULT '',"
	" created_by text COLLATE \"C\" NOT NULL,"
	" created_at text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE cases("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" number text COLLATE \"C\" NOT NULL UNIQUE,"
	" type text COLLATE \"C\" NOT NULL CHECK (type IN ('complaint','ip','diversion','report')),"
	" category text COLLATE \"C\" NOT NULL REFERENCES categories(code),"
	" region text COLLATE \"C\" NOT NULL DEFAULT '',"
	" consumer_id bigint NOT NULL REFERENCES consumers(id),"
	" merchant_id bigint NOT NULL REFERENCES merchants(id),"
	" platform text COLLATE \"C\" NOT NULL DEFAULT '',"
	" order_no text COLLATE \"C\" NOT NULL DEFAULT '',"
	" amount_fen bigint NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),"
	" order_date text COLLATE \"C\" NOT NULL DEFAULT '',"
	" remedy text COLLATE \"C\" NOT NULL DEFAULT '',"
	" status text COLLATE \"C\" NOT NULL,"
	" substate text COLLATE \"C\" NOT NULL DEFAULT '',"
	" review_from text COLLATE \"C\" NOT NULL DEFAULT '',"
	" reason text COLLATE \"C\" NOT NULL DEFAULT '',"
	" flags bigint NOT NULL DEFAULT 0,"
	" assignee text COLLATE \"C\" REFERENCES users(login),"
	" received_at text COLLATE \"C\" NOT NULL,"
	" clock text COLLATE \"C\" NOT NULL DEFAULT '',"
	" due_on text COLLATE \"C\" NOT NULL DEFAULT '9999-12-31',"
	" clocks text COLLATE \"C\" NOT NULL DEFAULT '{}' CHECK (json_valid(clocks)),"
	" version bigint NOT NULL DEFAULT 1,"
	" group_id bigint REFERENCES case_groups(id),"
	" duplicate_of bigint REFERENCES cases(id),"
	" report text COLLATE \"C\" NOT NULL DEFAULT '',"
	" created_by text COLLATE \"C\" NOT NULL,"
	" updated_at text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE statements("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" party text COLLATE \"C\" NOT NULL CHECK (party IN ('complainant','respondent','mediator')),"
	" author text COLLATE \"C\" NOT NULL,"
	" at text COLLATE \"C\" NOT NULL,"
	" text text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE evidence("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" kind text COLLATE \"C\" NOT NULL CHECK (kind IN ('voucher','order','chat','photo','contract','logistics','scan','appraisal','other')),"
	" party text COLLATE \"C\" NOT NULL CHECK (party IN ('complainant','respondent','mediator')),"
	" file_name text COLLATE \"C\" NOT NULL,"
	" size bigint NOT NULL,"
	" sha256 text COLLATE \"C\" NOT NULL,"
	" encoding text COLLATE \"C\" NOT NULL,"
	" original bytea NOT NULL,"
	" text text COLLATE \"C\","
	" added_by text COLLATE \"C\" NOT NULL,"
	" added_at text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE offers("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" party text COLLATE \"C\" NOT NULL CHECK (party IN ('complainant','respondent','mediator')),"
	" recorded_by text COLLATE \"C\" NOT NULL,"
	" at text COLLATE \"C\" NOT NULL,"
	" remedy text COLLATE \"C\" NOT NULL CHECK (remedy IN ('refund','return','exchange','repair','compensation')),"
	" amount_fen bigint NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),"
	" terms text COLLATE \"C\" NOT NULL DEFAULT '',"
	" state text COLLATE \"C\" NOT NULL DEFAULT 'open' CHECK (state IN ('open','accepted','countered')),"
	" answers bigint REFERENCES offers(id));\n"
	"CREATE TABLE agreements("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" offer_id bigint NOT NULL REFERENCES offers(id),"
	" remedy text COLLATE \"C\" NOT NULL,"
	" amount_fen bigint NOT NULL,"
	" performer text COLLATE \"C\" NOT NULL CHECK (performer IN ('complainant','respondent')),"
	" perform_by text COLLATE \"C\" NOT NULL,"
	" text text COLLATE \"C\" NOT NULL,"
	" recorded_by text COLLATE \"C\" NOT NULL,"
	" at text COLLATE \"C\" NOT NULL,"
	" performed_at text COLLATE \"C\");\n"
	"CREATE TABLE events("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" at text COLLATE \"C\" NOT NULL,"
	" actor text COLLATE \"C\" NOT NULL,"
	" case_id bigint REFERENCES cases(id),"
	" action text COLLATE \"C\" NOT NULL,"
	" details text COLLATE \"C\" NOT NULL CHECK (json_valid(details)),"
	" prev_hash text COLLATE \"C\" NOT NULL,"
	" hash text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE calendar_days("
	" day text COLLATE \"C\" PRIMARY KEY,"
	" off bigint NOT NULL CHECK (off IN (0,1)),"
	" name text COLLATE \"C\" NOT NULL,"
	" source text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE calendar_years("
	" year bigint PRIMARY KEY,"
	" source text COLLATE \"C\" NOT NULL,"
	" loaded_at text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE clock_rules("
	" regime text COLLATE \"C\" NOT NULL,"
	" clock text COLLATE \"C\" NOT NULL,"
	" working_days bigint NOT NULL CHECK (working_days > 0),"
	" start_status text COLLATE \"C\" NOT NULL,"
	" stop_statuses text COLLATE \"C\" NOT NULL CHECK (json_valid(stop_statuses)),"
	" pause_substates text COLLATE \"C\" NOT NULL DEFAULT '[]' CHECK (json_valid(pause_substates)),"
	" regulator_time bigint NOT NULL DEFAULT 1 CHECK (regulator_time IN (0,1)),"
	" basis text COLLATE \"C\" NOT NULL DEFAULT '',"
	" PRIMARY KEY (regime, clock));\n"
	"CREATE TABLE conflicts("
	" login text COLLATE \"C\" NOT NULL REFERENCES users(login),"
	" party text COLLATE \"C\" NOT NULL CHECK (party IN ('consumer','merchant')),"
	" party_id bigint NOT NULL,"
	" reason text COLLATE \"C\" NOT NULL DEFAULT '',"
	" at text COLLATE \"C\" NOT NULL,"
	" PRIMARY KEY (login, party, party_id));\n"
	"CREATE TABLE case_numbers("
	" year bigint PRIMARY KEY,"
	" last bigint NOT NULL);\n"
	"CREATE TABLE drafts("
	" login text COLLATE \"C\" NOT NULL REFERENCES users(login),"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" field text COLLATE \"C\" NOT NULL,"
	" text text COLLATE \"C\" NOT NULL,"
	" updated_at text COLLATE \"C\" NOT NULL,"
	" PRIMARY KEY (login, case_id, field));\n"
	"CREATE TABLE report_counts("
	" dim text COLLATE \"C\" NOT NULL,"
	" key text COLLATE \"C\" NOT NULL,"
	" n bigint NOT NULL,"
	" PRIMARY KEY (dim, key));\n"
	"CREATE TABLE report_bits("
	" bit bigint PRIMARY KEY,"
	" mask bigint NOT NULL,"
	" key text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE report_due("
	" clock text COLLATE \"C\" NOT NULL,"
	" due_on text COLLATE \"C\" NOT NULL,"
	" paused bigint NOT NULL,"
	" n bigint NOT NULL,"
	" PRIMARY KEY (clock, due_on, paused));\n"
	"CREATE TABLE report_due_assignee("
	" assignee text COLLATE \"C\" NOT NULL,"
	" due_on text COLLATE \"C\" NOT NULL,"
	" n bigint NOT NULL,"
	" PRIMARY KEY (assignee, due_on));\n"
	"CREATE TABLE report_daily("
	" what text COLLATE \"C\" NOT NULL,"
	" day text COLLATE \"C\" NOT NULL,"
	" n bigint NOT NULL,"
	" PRIMARY KEY (what, day));\n"
	"CREATE TABLE report_merchants("
	" merchant_id bigint PRIMARY KEY,"
	" complaints bigint NOT NULL DEFAULT 0,"
	" concluded bigint NOT NULL DEFAULT 0,"
	" mediated bigint NOT NULL DEFAULT 0,"
	" mediation_success bigint NOT NULL DEFAULT 0,"
	" settled_before bigint NOT NULL DEFAULT 0);\n"
	"CREATE TABLE report_merchant_days("
	" merchant_id bigint NOT NULL,"
	" day text COLLATE \"C\" NOT NULL,"
	" n bigint NOT NULL,"
	" PRIMARY KEY (merchant_id, day));\n"
	"CREATE TABLE report_actor_days("
	" actor text COLLATE \"C\" NOT NULL,"
	" day text COLLATE \"C\" NOT NULL,"
	" n bigint NOT NULL,"
	" PRIMARY KEY (actor, day));\n"
	"CREATE TABLE group_evidence("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" group_id bigint NOT NULL REFERENCES case_groups(id),"
	" kind text COLLATE \"C\" NOT NULL CHECK (kind IN ('voucher','order','chat','photo','contract','logistics','scan','appraisal','other')),"
	" party text COLLATE \"C\" NOT NULL CHECK (party IN ('complainant','respondent','mediator')),"
	" file_name text COLLATE \"C\" NOT NULL,"
	" size bigint NOT NULL,"
	" sha256 text COLLATE \"C\" NOT NULL,"
	" encoding text COLLATE \"C\" NOT NULL,"
	" original bytea NOT NULL,"
	" text text COLLATE \"C\","
	" added_by text COLLATE \"C\" NOT NULL,"
	" added_at text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE event_logins("
	" event_id bigint PRIMARY KEY REFERENCES events(id),"
	" os_login text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE documents("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" kind text COLLATE \"C\" NOT NULL,"
	" lang text COLLATE \"C\" NOT NULL,"
	" version bigint NOT NULL CHECK (version > 0),"
	" number text COLLATE \"C\" NOT NULL,"
	" issued_by text COLLATE \"C\" NOT NULL,"
	" issued_at text COLLATE \"C\" NOT NULL,"
	" text text COLLATE \"C\" NOT NULL,"
	" text_sha256 text COLLATE \"C\" NOT NULL,"
	" pdf bytea NOT NULL,"
	" pdf_sha256 text COLLATE \"C\" NOT NULL,"
	" supersedes bigint REFERENCES documents(id),"
	" UNIQUE (case_id, kind, lang, version));\n"
	"CREATE TABLE document_numbers("
	" year bigint NOT NULL,"
	" kind text COLLATE \"C\" NOT NULL,"
	" last bigint NOT NULL,"
	" PRIMARY KEY (year, kind));\n"
	"CREATE TABLE jobs("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" kind text COLLATE \"C\" NOT NULL CHECK (kind IN ('read-text')),"
	" evidence_id bigint NOT NULL REFERENCES evidence(id),"
	" state text COLLATE \"C\" NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','running','done','failed')),"
	" attempts bigint NOT NULL DEFAULT 0,"
	" lease_until bigint NOT NULL DEFAULT 0,"
	" worker text COLLATE \"C\" NOT NULL DEFAULT '',"
	" error text COLLATE \"C\" NOT NULL DEFAULT '',"
	" queued_at text COLLATE \"C\" NOT NULL,"
	" finished_at text COLLATE \"C\","
	" UNIQUE (kind, evidence_id));\n"
	"CREATE TABLE evidence_read_text("
	" evidence_id bigint PRIMARY KEY REFERENCES evidence(id),"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" search_ordinal bigint NOT NULL,"
	" engine text COLLATE \"C\" NOT NULL,"
	" confidence bigint NOT NULL,"
	" read_at text COLLATE \"C\" NOT NULL,"
	" text text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE contacts("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" party text COLLATE \"C\" NOT NULL CHECK (party IN ('complainant','respondent')),"
	" channel text COLLATE \"C\" NOT NULL CHECK (channel IN ('phone','sms','email','visit','letter')),"
	" said text COLLATE \"C\" NOT NULL,"
	" outcome text COLLATE \"C\" NOT NULL DEFAULT '',"
	" follow_up_on text COLLATE \"C\" NOT NULL DEFAULT '',"
	" author text COLLATE \"C\" NOT NULL,"
	" at text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE regimes("
	" regime text COLLATE \"C\" PRIMARY KEY,"
	" title text COLLATE \"C\" NOT NULL DEFAULT '',"
	" replaces text COLLATE \"C\" NOT NULL DEFAULT '',"
	" in_force_from text COLLATE \"C\" NOT NULL DEFAULT '');\n"
	"CREATE TABLE clock_sources("
	" regime text COLLATE \"C\" NOT NULL,"
	" clock text COLLATE \"C\" NOT NULL,"
	" verified bigint NOT NULL DEFAULT 0 CHECK (verified IN (0,1)),"
	" source text COLLATE \"C\" NOT NULL DEFAULT '',"
	" PRIMARY KEY (regime, clock));\n"
	"CREATE TABLE case_regimes("
	" case_id bigint PRIMARY KEY REFERENCES cases(id),"
	" regime text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE evidence_page_text("
	" evidence_id bigint NOT NULL REFERENCES evidence(id),"
	" page bigint NOT NULL CHECK (page > 0),"
	" engine text COLLATE \"C\" NOT NULL,"
	" confidence bigint NOT NULL,"
	" text text COLLATE \"C\" NOT NULL,"
	" PRIMARY KEY (evidence_id, page));\n"
	"CREATE TABLE user_logins("
	" login text COLLATE \"C\" PRIMARY KEY REFERENCES users(login),"
	" last_at text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE diversions("
	" case_id bigint PRIMARY KEY REFERENCES cases(id),"
	" brand text COLLATE \"C\" NOT NULL,"
	" authorised_region text COLLATE \"C\" NOT NULL,"
	" found_region text COLLATE \"C\" NOT NULL,"
	" batch text COLLATE \"C\" NOT NULL DEFAULT '',"
	" codes text COLLATE \"C\" NOT NULL DEFAULT '',"
	" clause text COLLATE \"C\" NOT NULL DEFAULT '',"
	" penalty_fen bigint CHECK (penalty_fen >= 0),"
	" trace text COLLATE \"C\" NOT NULL DEFAULT '',"
	" agreed_penalty_fen bigint CHECK (agreed_penalty_fen >= 0));\n"
	"CREATE TABLE clock_extensions("
	" regime text COLLATE \"C\" NOT NULL,"
	" clock text COLLATE \"C\" NOT NULL,"
	" event text COLLATE \"C\" NOT NULL,"
	" working_days bigint NOT NULL CHECK (working_days > 0),"
	" PRIMARY KEY (regime, clock));\n"
	"CREATE TABLE group_representatives("
	" group_id bigint NOT NULL REFERENCES case_groups(id),"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" recorded_by text COLLATE \"C\" NOT NULL,"
	" at text COLLATE \"C\" NOT NULL,"
	" PRIMARY KEY (group_id, case_id));\n"
	"CREATE TABLE group_consents("
	" group_id bigint NOT NULL REFERENCES case_groups(id),"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" action text COLLATE \"C\" NOT NULL,"
	" note text COLLATE \"C\" NOT NULL DEFAULT '',"
	" recorded_by text COLLATE \"C\" NOT NULL,"
	" at text COLLATE \"C\" NOT NULL,"
	" PRIMARY KEY (group_id, case_id, action));\n"
	"CREATE TABLE merchant_marks("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" merchant_id bigint NOT NULL REFERENCES merchants(id),"
	" flag text COLLATE \"C\" NOT NULL CHECK (flag IN ('repeat-offender','blacklist')),"
	" on_off bigint NOT NULL CHECK (on_off IN (0,1)),"
	" reason text COLLATE \"C\" NOT NULL,"
	" basis text COLLATE \"C\" NOT NULL,"
	" by_login text COLLATE \"C\" NOT NULL,"
	" at text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE merchant_penalties("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" merchant_id bigint NOT NULL REFERENCES merchants(id),"
	" amount_fen bigint NOT NULL CHECK (amount_fen >= 0),"
	" decision text COLLATE \"C\" NOT NULL,"
	" basis text COLLATE \"C\" NOT NULL,"
	" by_login text COLLATE \"C\" NOT NULL,"
	" at text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE inbox_items("
	" event_id bigint PRIMARY KEY REFERENCES events(id),"
	" login text COLLATE \"C\" NOT NULL,"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" read bigint NOT NULL DEFAULT 0 CHECK (read IN (0,1)));\n"
	"CREATE TABLE inbox_counts("
	" login text COLLATE \"C\" PRIMARY KEY,"
	" unread bigint NOT NULL);\n"
	"CREATE TABLE follow_ups("
	" case_id bigint PRIMARY KEY REFERENCES cases(id),"
	" assignee text COLLATE \"C\","
	" due_on text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE review_waits("
	" case_id bigint PRIMARY KEY REFERENCES cases(id),"
	" assignee text COLLATE \"C\","
	" since text COLLATE \"C\" NOT NULL);\n"
	"CREATE TABLE inbox_due_counts("
	" assignee text COLLATE \"C\" NOT NULL, due_on text COLLATE \"C\" NOT NULL, n bigint NOT NULL,"
	" PRIMARY KEY (assignee, due_on));\n"
	"CREATE TABLE performance_due("
	" agreement_id bigint PRIMARY KEY REFERENCES agreements(id),"
	" case_id bigint NOT NULL REFERENCES cases(id),"
	" assignee text COLLATE \"C\","
	" due_on text COLLATE \"C\" NOT NULL);\n"
	"CREATE INDEX consumers_by_phone ON consumers(phone);\n"
	"CREATE INDEX consumers_by_id_number ON consumers(id_number);\n"
	"CREATE INDEX merchants_by_name ON merchants(name);\n"
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
	"CREATE INDEX statements_by_case ON statements(case_id, id);\n"
	"CREATE INDEX evidence_by_case ON evidence(case_id, id);\n"
	"CREATE INDEX offers_by_case ON offers(case_id, id);\n"
	"CREATE INDEX agreements_by_case ON agreements(case_id);\n"
	"CREATE INDEX events_by_case ON events(case_id, id);\n"
	"CREATE INDEX events_by_actor ON events(actor, at);\n"
	"CREATE INDEX report_merchants_by_complaints ON report_merchants(complaints);\n"
	"CREATE INDEX merchants_flagged ON merchants(id) WHERE repeat_offender = 1 OR blacklisted = 1;\n"
	"CREATE INDEX cases_malicious_open ON cases(received_at) WHERE (flags & 1) <> 0 AND status <> 'closed';\n"
	"CREATE INDEX group_evidence_by_group ON group_evidence(group_id, id);\n"
	"CREATE INDEX case_groups_by_merchant ON case_groups(merchant_id);\n"
	"CREATE INDEX consumers_by_identity ON consumers(name, phone, id_number);\n"
	"CREATE INDEX cases_by_assignee_received ON cases(assignee, received_at, id);\n"
	"CREATE INDEX cases_by_assignee_amount ON cases(assignee, amount_fen, id);\n"
	"CREATE INDEX cases_by_amount ON cases(amount_fen, id);\n"
	"CREATE INDEX cases_by_assignee_filters ON cases(assignee, category, due_on, id, status, region, type);\n"
	"CREATE INDEX jobs_waiting ON jobs(state, id) WHERE state IN ('queued','running');\n"
	"CREATE INDEX consumers_by_name ON consumers(name);\n"
	"CREATE INDEX cases_by_order_no ON cases(order_no);\n"
	"CREATE INDEX merchants_by_shop_id ON merchants(shop_id);\n"
	"CREATE INDEX cases_by_status_id ON cases(status);\n"
	"CREATE INDEX cases_by_merchant_id ON cases(merchant_id);\n"
	"CREATE INDEX contacts_by_case ON contacts(case_id, id);\n"
	"CREATE INDEX diversions_by_found_region ON diversions(found_region);\n"
	"CREATE INDEX merchant_marks_by_merchant ON merchant_marks(merchant_id, id);\n"
	"CREATE INDEX merchant_penalties_by_merchant ON merchant_penalties(merchant_id, id);\n"
	"CREATE INDEX cases_by_assignee_status ON cases(assignee, status);\n"
	"CREATE INDEX cases_by_assignee_merchant ON cases(assignee, merchant_id);\n"
	"CREATE INDEX cases_by_clock ON cases(clock, due_on);\n"
	"CREATE INDEX cases_by_merchant_due ON cases(merchant_id, due_on);\n"
	"CREATE INDEX cases_flagged ON cases(due_on, id, flags, status) WHERE flags <> 0;\n"
	"CREATE INDEX inbox_items_by_login ON inbox_items(login, read, event_id);\n"
	"CREATE INDEX inbox_items_by_case ON inbox_items(case_id, login);\n"
	"CREATE INDEX follow_ups_by_assignee ON follow_ups(assignee, due_on);\n"
	"CREATE INDEX review_waits_by_since ON review_waits(since);\n"
	"CREATE INDEX review_waits_by_assignee ON review_waits(assignee, since);\n"
	"CREATE INDEX diversions_by_authorised_region"
	" ON diversions(authorised_region);\n"
	"CREATE INDEX performance_due_by_assignee ON performance_due(assignee, due_on);\n"
	"CREATE INDEX performance_due_by_case ON performance_due(case_id);\n"
	PG_DATA
	/* Each indexed document's tokens (wq_store_index_text): doc is
	 * SQLite's search_index rowid, the case id shifted left
	 * WQ_SEARCH_CASE_SHIFT bits plus the document's ordinal. */
	"CREATE TABLE search_docs(doc bigint PRIMARY KEY, terms tsvector NOT NULL);\n"
	"CREATE INDEX search_docs_terms ON search_docs USING gin (terms);\n"
	/* SQLite's PRAGMA user_version: one row. */
	"CREATE TABLE schema_version(version bigint NOT NULL);\n"
	"CREATE UNIQUE INDEX schema_version_one ON schema_version((true));\n";

const char *const wq_schema_pg_baseline[] = {
	pg_baseline,
	wq_schema_pg_triggers,
	NULL,
};
