-- What the schema's triggers do, in the SQL both databases speak
-- (tests/pg/test_schema_pg.sh runs it on each and compares): the
-- dashboard's counters as cases are added, changed and deleted (the
-- deadlines' totals, version 30, always the sums of their days), the
-- inbox, follow-ups, review waits and performance due, and the refusals
-- (events, their logins, documents and contacts are never changed; an
-- inbox item changes only its read flag).  A document (bytea/BLOB) and
-- the foreign keys are set up by each side beforehand.
INSERT INTO users(login, role, created_at) VALUES
 ('m1', 'mediator', '2026-03-01T00:00:00Z'),
 ('m2', 'mediator', '2026-03-01T00:00:00Z');
INSERT INTO consumers(id, name) VALUES (1, '王小明');
INSERT INTO merchants(id, name) VALUES (1, '某旗舰店'), (2, 'Shop Two');
INSERT INTO cases(id, number, type, category, region, consumer_id,
 merchant_id, status, flags, assignee, received_at, clock, due_on, clocks,
 created_by, updated_at) VALUES
 (1, 'WQ-2026-000001', 'complaint', 'quality', '北京', 1, 1, 'received', 1,
  'm1', '2026-03-01T17:00:00Z', 'accept', '2026-03-10',
  '{"accept":{"started":"2026-03-02"}}', 'm1', '2026-03-01T17:00:00Z'),
 (2, 'WQ-2026-000002', 'complaint', 'refund', '上海', 1, 1, 'in_mediation',
  16, NULL, '2026-03-02T01:00:00Z', 'mediate', '2026-03-20',
  '{"mediate":{"paused":"2026-03-03"}}', 'm1', '2026-03-02T01:00:00Z'),
 (3, 'WQ-2026-000003', 'ip', 'counterfeit', '上海', 1, 2, 'closed', 0,
  'm2', '2026-03-02T15:59:59Z', '', '9999-12-31', '{}', 'm2',
  '2026-03-02T16:00:00Z'),
 (4, 'WQ-2026-000004', 'complaint', 'delivery', '', 1, 2, 'first_review',
  0, 'm2', '2026-03-03T02:00:00Z', '', '9999-12-31', '{}', 'm2',
  '2026-03-03T02:00:00Z'),
 (5, 'WQ-2026-000005', 'complaint', 'service', '广州', 1, 2, 'accepted',
  4, 'm1', '2026-03-03T05:00:00Z', 'mediate', '2026-03-18', '{}', 'm1',
  '2026-03-03T05:00:00Z');
SELECT 'counts', dim, key, n FROM report_counts ORDER BY dim, key;
SELECT 'due', clock, due_on, paused, n FROM report_due ORDER BY clock, due_on, paused;
SELECT 'due_assignee', assignee, due_on, n FROM report_due_assignee ORDER BY assignee, due_on;
SELECT 'due_totals_off', k.dim, k.key, k.n FROM report_counts k WHERE k.dim IN ('due_running', 'due_paused') AND k.n <> coalesce((SELECT sum(d.n) FROM report_due d WHERE d.clock = k.key AND d.paused = CASE WHEN k.dim = 'due_paused' THEN 1 ELSE 0 END), 0)
 UNION ALL SELECT 'due_totals_off', k.dim, k.key, k.n FROM report_counts k WHERE k.dim = 'due_assignee' AND k.n <> coalesce((SELECT sum(d.n) FROM report_due_assignee d WHERE d.assignee = k.key), 0)
 UNION ALL SELECT 'due_totals_off', 'due', d.clock, d.n FROM report_due d WHERE d.n <> 0 AND NOT EXISTS (SELECT 1 FROM report_counts k WHERE k.key = d.clock AND k.dim = CASE WHEN d.paused = 1 THEN 'due_paused' ELSE 'due_running' END)
 UNION ALL SELECT 'due_totals_off', 'due_assignee', d.assignee, d.n FROM report_due_assignee d WHERE d.n <> 0 AND NOT EXISTS (SELECT 1 FROM report_counts k WHERE k.dim = 'due_assignee' AND k.key = d.assignee);
SELECT 'daily', what, day, n FROM report_daily ORDER BY what, day;
SELECT 'merchants', merchant_id, complaints, concluded, mediated, mediation_success, settled_before FROM report_merchants ORDER BY merchant_id;
SELECT 'merchant_days', merchant_id, day, n FROM report_merchant_days ORDER BY merchant_id, day;
SELECT 'review', case_id, since FROM review_waits ORDER BY case_id;

-- events: the inbox of the case's assignee, the rulers' days, review waits
INSERT INTO events(id, at, actor, case_id, action, details, prev_hash, hash)
 VALUES (1, '2026-03-03T03:00:00Z', 'm2', 1, 'accept', '{"set":{"status":"accepted"}}', '', 'h1'),
 (2, '2026-03-03T04:00:00Z', 'm1', 1, 'note', '{}', 'h1', 'h2'),
 (3, '2026-03-03T17:00:00Z', 'm2', 4, 'submit', '{}', 'h2', 'h3'),
 (4, '2026-03-04T00:00:00Z', 'm2', NULL, 'user-add', '{}', 'h3', 'h4');
INSERT INTO event_logins(event_id, os_login) VALUES (1, 'root'), (2, 'root');
SELECT 'inbox', event_id, login, case_id, read FROM inbox_items ORDER BY event_id;
SELECT 'inbox_counts', login, unread FROM inbox_counts ORDER BY login;
SELECT 'actor_days', actor, day, n FROM report_actor_days ORDER BY actor, day;
SELECT 'review', case_id, since FROM review_waits ORDER BY case_id;

-- the refusals
UPDATE events SET actor = 'x' WHERE id = 1;
DELETE FROM events WHERE id = 4;
INSERT INTO events(id, at, actor, case_id, action, details, prev_hash, hash)
 VALUES (2, '2026-03-05T00:00:00Z', 'm2', 1, 'note', '{}', '', '');
UPDATE event_logins SET os_login = 'x';
DELETE FROM event_logins;
INSERT INTO event_logins(event_id, os_login) VALUES (1, 'again');
UPDATE documents SET kind = 'x';
DELETE FROM documents;
UPDATE inbox_items SET login = 'm2';
SELECT 'events', id, actor, action FROM events ORDER BY id;

-- reading an item, follow-ups, a contact that cannot change
UPDATE inbox_items SET read = 1 WHERE event_id = 1;
SELECT 'inbox_counts', login, unread FROM inbox_counts ORDER BY login;
INSERT INTO contacts(id, case_id, party, channel, said, follow_up_on, author, at)
 VALUES (1, 1, 'complainant', 'phone', '说好明天回电', '2026-03-06', 'm1', '2026-03-04T01:00:00Z'),
 (2, 2, 'respondent', 'sms', '', '2026-03-07', 'm1', '2026-03-04T02:00:00Z');
UPDATE contacts SET said = 'x';
DELETE FROM contacts;
SELECT 'follow_ups', case_id, assignee, due_on FROM follow_ups ORDER BY case_id;

-- rulings: status, assignee, flags, clocks
UPDATE cases SET status = 'accepted', updated_at = '2026-03-04T03:00:00Z', version = version + 1 WHERE id = 1;
UPDATE cases SET assignee = 'm2', clocks = '{"accept":{"paused":"2026-03-04"}}' WHERE id = 1;
UPDATE cases SET assignee = 'm2', flags = 17, due_on = '2026-03-25' WHERE id = 2;
UPDATE cases SET status = 'closed', updated_at = '2026-03-04T18:00:00Z', clock = '', due_on = '9999-12-31' WHERE id = 2;
UPDATE cases SET status = 'in_mediation', updated_at = '2026-03-05T01:00:00Z' WHERE id = 3;
UPDATE cases SET merchant_id = 1 WHERE id = 4;
SELECT 'inbox', event_id, login, case_id, read FROM inbox_items ORDER BY event_id;
SELECT 'inbox_counts', login, unread FROM inbox_counts ORDER BY login;
SELECT 'follow_ups', case_id, assignee, due_on FROM follow_ups ORDER BY case_id;
SELECT 'review', case_id, since FROM review_waits ORDER BY case_id;

-- an agreement to perform
INSERT INTO offers(id, case_id, party, recorded_by, at, remedy, amount_fen)
 VALUES (1, 3, 'respondent', 'm2', '2026-03-05T02:00:00Z', 'refund', 19900);
UPDATE cases SET status = 'agreement', updated_at = '2026-03-05T03:00:00Z' WHERE id = 3;
INSERT INTO agreements(id, case_id, offer_id, remedy, amount_fen, performer,
 perform_by, text, recorded_by, at) VALUES
 (1, 3, 1, 'refund', 19900, 'respondent', '2026-03-12', '退款199元', 'm2', '2026-03-05T03:00:00Z'),
 (2, 3, 1, 'refund', 100, 'respondent', '2026-03-15', '补偿1元', 'm2', '2026-03-05T03:00:00Z');
SELECT 'performance', agreement_id, case_id, assignee, due_on FROM performance_due ORDER BY agreement_id;
UPDATE agreements SET performed_at = '2026-03-10T00:00:00Z' WHERE id = 1;
UPDATE cases SET assignee = 'm1' WHERE id = 3;
SELECT 'performance', agreement_id, case_id, assignee, due_on FROM performance_due ORDER BY agreement_id;
UPDATE cases SET status = 'performance_watch', updated_at = '2026-03-12T00:00:00Z' WHERE id = 3;
UPDATE cases SET status = 'unperformed', updated_at = '2026-03-16T00:00:00Z' WHERE id = 3;
SELECT 'performance', agreement_id, case_id, assignee, due_on FROM performance_due ORDER BY agreement_id;

-- a case deleted (weiquan never does; the counts follow)
DELETE FROM cases WHERE id = 5;
SELECT 'counts', dim, key, n FROM report_counts ORDER BY dim, key;
SELECT 'due', clock, due_on, paused, n FROM report_due ORDER BY clock, due_on, paused;
SELECT 'due_assignee', assignee, due_on, n FROM report_due_assignee ORDER BY assignee, due_on;
SELECT 'due_totals_off', k.dim, k.key, k.n FROM report_counts k WHERE k.dim IN ('due_running', 'due_paused') AND k.n <> coalesce((SELECT sum(d.n) FROM report_due d WHERE d.clock = k.key AND d.paused = CASE WHEN k.dim = 'due_paused' THEN 1 ELSE 0 END), 0)
 UNION ALL SELECT 'due_totals_off', k.dim, k.key, k.n FROM report_counts k WHERE k.dim = 'due_assignee' AND k.n <> coalesce((SELECT sum(d.n) FROM report_due_assignee d WHERE d.assignee = k.key), 0)
 UNION ALL SELECT 'due_totals_off', 'due', d.clock, d.n FROM report_due d WHERE d.n <> 0 AND NOT EXISTS (SELECT 1 FROM report_counts k WHERE k.key = d.clock AND k.dim = CASE WHEN d.paused = 1 THEN 'due_paused' ELSE 'due_running' END)
 UNION ALL SELECT 'due_totals_off', 'due_assignee', d.assignee, d.n FROM report_due_assignee d WHERE d.n <> 0 AND NOT EXISTS (SELECT 1 FROM report_counts k WHERE k.dim = 'due_assignee' AND k.key = d.assignee);
SELECT 'daily', what, day, n FROM report_daily ORDER BY what, day;
SELECT 'merchants', merchant_id, complaints, concluded, mediated, mediation_success, settled_before FROM report_merchants ORDER BY merchant_id;
SELECT 'merchant_days', merchant_id, day, n FROM report_merchant_days ORDER BY merchant_id, day;
SELECT 'review', case_id, since FROM review_waits ORDER BY case_id;
SELECT 'json', id, json_extract(clocks, '$.accept.paused'), json_extract(clocks, '$.accept'), json_extract(clocks, '$.none') FROM cases ORDER BY id;

-- the functions both define: group_concat (its order is neither's to
-- promise, so its length), instr in characters, json_valid
SELECT 'functions', length(group_concat(login, ',')), instr('维权abc', 'abc'),
 instr('abc', 'x'), CASE WHEN json_valid('{"a":[1,2]}') THEN 1 ELSE 0 END,
 CASE WHEN json_valid('{bad') THEN 1 ELSE 0 END FROM users;
-- (true is 'true' on PostgreSQL and 1 on SQLite: the common dialect
-- never reads a JSON boolean as a number)
SELECT 'json', json_extract('{"a":{"b":true,"c":1.5,"d":null,"e":"x"}}', '$.a.c'),
 json_extract('{"a":{"b":true,"c":1.5,"d":null,"e":"x"}}', '$.a.d'),
 json_extract('{"a":{"b":true,"c":1.5,"d":null,"e":"x"}}', '$.a.e'),
 json_extract('{"a":[1,2]}', '$.a');
