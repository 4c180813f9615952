#!/bin/sh
# audit verify proves what it claims: an attacker with write access to the
# database (the database's own shell, triggers dropped) changes rows behind the
# events' back, deletes the newest events, or rewrites and re-hashes the
# chain; verify must fail and say what is wrong.  A clean database
# verifies, events made with --user name the real login too, and what
# verify could not check is said, not passed over.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db clean)
export WEIQUAN_NOW=2026-11-20T02:00:00Z
ME=$(id -un)
$WEIQUAN --db "$DB" init >/dev/null || not_ok "init"
$WEIQUAN --db "$DB" demo --cases 40 --seed 9 >/dev/null || not_ok "demo"

# A fresh copy of the clean database for each tampering.
copies=0
copy() {
	copies=$((copies + 1))
	TDB=$(copy_db "$DB" "t$copies")
	T="$WEIQUAN --db $TDB"
}

# attack SQL: as someone with the file and the sqlite3 shell, who drops
# the triggers that guard the events first; on PostgreSQL as the
# database's owner, who sets every trigger and foreign key aside for the
# session (SQLite's PRAGMA and BLOB cast said in PostgreSQL's words).
attack() {
	if on_postgresql; then
		db_sql "$TDB" "SET session_replication_role = replica;
			$(printf '%s' "$1" | sed -e 's/PRAGMA foreign_keys = OFF;//' \
				-e "s/CAST('\([^']*\)' AS BLOB)/convert_to('\1', 'UTF8')/g")"
	else
		sqlite3 "$TDB" "DROP TRIGGER IF EXISTS events_no_update;
		DROP TRIGGER IF EXISTS events_no_delete;
		DROP TRIGGER IF EXISTS event_logins_no_update;
		DROP TRIGGER IF EXISTS event_logins_no_delete; $1"
	fi || not_ok "attack: $1"
}

# rehash [legacy]: recomputes every event's hash and link, as audit.c
# does, after an attacker's edit; with legacy, as a version before the OS
# login was recorded would have (os_login blanked, statements and offers
# left out of the details).
rehash() {
	python3 - "$TDB" "${1:-}" <<'EOF'
import hashlib, json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER IF EXISTS events_no_update;"
                 " DROP TRIGGER IF EXISTS events_no_delete;"
                 " DROP TRIGGER IF EXISTS event_logins_no_delete;")
legacy = sys.argv[2] == "legacy"
prev = "0" * 64
rows = db.execute("SELECT id, at, actor, coalesce(case_id, 0), action,"
                  " details, coalesce(os_login, '') FROM events"
                  " LEFT JOIN event_logins ON event_id = id"
                  " ORDER BY id").fetchall()
for (id, at, actor, case_id, action, details, os_login) in rows:
    if legacy:
        os_login = ""
        d = json.loads(details)
        if isinstance(d.get("args"), dict):
            d["args"].pop("statements", None)
            d["args"].pop("offered", None)
        details = json.dumps(d, ensure_ascii=False, separators=(",", ":"))
    fields = [at, actor, action, details, prev] + ([os_login] if os_login else [])
    text = "%d;%d;" % (id, case_id) + "".join(
        "%d:%s;" % (len(f.encode()), f) for f in fields)
    h = hashlib.sha256(text.encode()).hexdigest()
    db.execute("UPDATE events SET details = ?, prev_hash = ?, hash = ?"
               " WHERE id = ?", (details, prev, h, id))
    if not os_login:
        db.execute("DELETE FROM event_logins WHERE event_id = ?", (id,))
    prev = h
db.commit()
EOF
}

q() { db_sql "$TDB" "$1"; }

# ---- a clean database ----
expect_rc 0 "the demo database verifies" $WEIQUAN --db "$DB" audit verify
contains "$out" "Rows that agree with their events: 40 cases" "... every case compared"
lacks "$out" " 0 statements" "... statements compared"
lacks "$out" " 0 offers" "... offers compared"
lacks "$out" " 0 evidence" "... evidence compared"
lacks "$out" "Not checked" "... nothing left unchecked"
contains "$out" "No checkpoint given" "... and it says what it cannot see without a checkpoint"

# ---- the real login beside the acting one ----
copy
NUM=$(q "SELECT number FROM cases WHERE assignee = 'li.na' AND status <> 'closed' ORDER BY id LIMIT 1")
expect_rc 0 "an admin acts as li.na" $T --user li.na rule "$NUM" note "代为记录"
equals "$(q "SELECT actor || '|' || os_login FROM events JOIN event_logins ON event_id = id ORDER BY id DESC LIMIT 1")" \
	"li.na|$ME" "the event names the acting login and the real one"
run $T case show "$NUM" --json
equals "$(json 'd["events"][-1]["actor"] + "|" + d["events"][-1]["os_login"]')" \
	"li.na|$ME" "case show gives both"
expect_rc 0 "... and the chain, which hashes both, verifies" $T audit verify
attack "UPDATE event_logins SET os_login = 'li.na' WHERE event_id = (SELECT max(id) FROM events)"
expect_rc 1 "changing the recorded real login is caught" $T audit verify
contains "$err" "does not match its hash" "... by the hash"

# ---- case rows changed without an event ----
copy
OPEN=$(q "SELECT number FROM cases WHERE status = 'received' ORDER BY id LIMIT 1")
[ -n "$OPEN" ] || OPEN=$(q "SELECT number FROM cases WHERE status <> 'closed' ORDER BY id LIMIT 1")
attack "UPDATE cases SET status = 'closed' WHERE number = '$OPEN'"
expect_rc 1 "a case listed closed without an event is caught" $T audit verify
contains "$err" "case $OPEN: status is closed in the table" "... naming the case and the field"

copy
attack "PRAGMA foreign_keys = OFF; UPDATE cases SET assignee = 'nobody' WHERE number = '$OPEN'"
expect_rc 1 "a case assigned to an unknown login is caught" $T audit verify
contains "$err" "case $OPEN: assignee is nobody in the table" "... naming the assignee"

copy
attack "UPDATE cases SET amount_fen = 99999999 WHERE number = '$OPEN'"
expect_rc 1 "999,999.99 yuan on a case whose events say otherwise is caught" $T audit verify
contains "$err" "case $OPEN: amount in fen is 99999999 in the table" "... naming the amount"

copy
attack "PRAGMA foreign_keys = OFF; DELETE FROM cases WHERE number = '$OPEN'"
expect_rc 1 "a deleted case row is caught" $T audit verify
contains "$err" "its events are there, its row is not" "... as such"

# ---- users ----
copy
attack "UPDATE users SET role = 'admin' WHERE login = 'li.na'"
expect_rc 1 "a role raised in the users table is caught" $T audit verify
contains "$err" "user li.na: is admin in the users table, mediator by its events" "... naming the user"
copy
attack "INSERT INTO users(login, role, created_at) VALUES ('mallory', 'admin', '2026-11-20T02:00:00Z')"
expect_rc 1 "a user added without an event is caught" $T audit verify
contains "$err" "user mallory: no event records it" "... naming the user"

# ---- merchants' marks and collective groups ----
copy
attack "UPDATE merchants SET blacklisted = 1 WHERE id = (SELECT min(id) FROM merchants WHERE blacklisted = 0)"
expect_rc 1 "a merchant blacklisted without an event is caught" $T audit verify
contains "$err" "blacklisted in the table, unmarked by its events" "... naming the mark"
copy
for who in 张三 李四; do
	run $T --user desk.gz case add --case-type complaint --case-category quality \
		--consumer $who --merchant 同一家旗舰店 --statement 屏幕坏点
	MEMBERS="${MEMBERS:-} $out"
done
expect_rc 0 "a supervisor groups two complaints" $T --user chen.jie group create 同批次屏幕问题 $MEMBERS --facts 同一批次
expect_rc 0 "... which verifies" $T audit verify
printf '聊天记录：商家承认批次问题\n' >"$TMP/chat.txt"
expect_rc 0 "... with shared evidence" $T --user chen.jie group evidence G1 "$TMP/chat.txt" --kind chat
expect_rc 0 "... which verifies" $T audit verify
attack "UPDATE case_groups SET facts = '商家无责' WHERE id = 1;
	UPDATE group_evidence SET original = CAST('商家无责' AS BLOB) WHERE id = 1"
expect_rc 1 "a group's facts changed without an event are caught" $T audit verify
contains "$err" "group G1: its facts changed" "... naming the group"
contains "$err" "shared evidence 1 of group G1: its bytes no longer have the SHA-256" "... and its shared evidence's bytes"

# ---- statements, offers, evidence ----
copy
SID=$(q "SELECT max(id) FROM statements")
attack "UPDATE statements SET text = text || '（已改）' WHERE id = $SID"
expect_rc 1 "a statement's text changed is caught" $T audit verify
contains "$err" "statement $SID of case" "... naming the statement"
contains "$err" "its text changed" "... and what changed"

copy
attack "INSERT INTO statements(case_id, party, author, at, text) VALUES (1, 'respondent', 'li.na', '2026-11-20T01:00:00Z', '伪造的陈述')"
expect_rc 1 "a statement slipped in without an event is caught" $T audit verify
contains "$err" "no event records it" "... as having no event"

copy
OID=$(q "SELECT max(id) FROM offers")
attack "UPDATE offers SET amount_fen = amount_fen + 100000 WHERE id = $OID"
expect_rc 1 "an offer's amount changed is caught" $T audit verify
contains "$err" "offer $OID of case" "... naming the offer"

copy
OID=$(q "SELECT min(id) FROM offers WHERE state = 'open'")
attack "UPDATE offers SET state = 'accepted' WHERE id = $OID"
expect_rc 1 "an offer marked accepted without an agreement is caught" $T audit verify
contains "$err" "it is accepted, its events say open" "... naming the state"

# The answer is found among the case's later counter-offers and
# agreements: the first that names the offer.
copy
OID=$(q "SELECT min(id) FROM offers WHERE state = 'countered'")
attack "UPDATE offers SET state = 'open' WHERE id = $OID"
expect_rc 1 "a countered offer marked open is caught" $T audit verify
contains "$err" "offer $OID of case" "... naming the offer"
contains "$err" "it is open, its events say countered" "... and the counter-offer that answered it"
copy
OID=$(q "SELECT max(id) FROM offers WHERE state = 'accepted'")
attack "UPDATE offers SET state = 'countered' WHERE id = $OID"
expect_rc 1 "an accepted offer marked countered is caught" $T audit verify
contains "$err" "it is countered, its events say accepted" "... and the agreement"

copy
EID=$(q "SELECT max(id) FROM evidence")
attack "UPDATE evidence SET original = CAST('forged' AS BLOB) WHERE id = $EID"
expect_rc 1 "an evidence file's bytes changed are caught" $T audit verify
contains "$err" "evidence $EID of case" "... naming the evidence"
contains "$err" "its bytes no longer have the SHA-256 its event recorded" "... and what changed"

copy
attack "UPDATE evidence SET original = CAST('forged' AS BLOB), size = 6,
	sha256 = '$(printf forged | sha256sum | cut -c1-64)' WHERE id = $EID"
expect_rc 1 "evidence whose bytes and recorded SHA-256 both changed is caught" $T audit verify
contains "$err" "its recorded SHA-256 changed" "... against the event's SHA-256"

# ---- the newest events deleted ----
copy
attack "DELETE FROM events WHERE id > (SELECT max(id) - 5 FROM events)"
expect_rc 1 "the 5 newest events deleted: their rows give it away" $T audit verify
copy
attack "DELETE FROM events"
expect_rc 1 "every event deleted is caught" $T audit verify
contains "$err" "no event records it" "... every row lacks its event"

# ---- checkpoints: the head anchored outside the database ----
expect_rc 0 "a checkpoint key is made" $WEIQUAN audit keygen "$TMP/audit.key"
equals "$(stat -c %a "$TMP/audit.key")" "600" "... readable by its owner only"
expect_rc 1 "keygen never overwrites a key" $WEIQUAN audit keygen "$TMP/audit.key"
expect_rc 0 "a checkpoint is signed" $WEIQUAN --db "$DB" audit checkpoint --key "$TMP/audit.key"
printf '%s\n' "$out" >"$TMP/checkpoints"
HEAD=$(db_sql "$DB" "SELECT max(id) || ' hash=' || (SELECT hash FROM events ORDER BY id DESC LIMIT 1) FROM events")
contains "$out" "event=$HEAD" "... naming the head event and its hash"
cp "$TMP/audit.key" "$TMP/loose.key"
chmod 640 "$TMP/loose.key"
expect_rc 1 "a key others may read is refused" $WEIQUAN --db "$DB" audit checkpoint --key "$TMP/loose.key"
contains "$err" "chmod 600" "... saying why"

expect_rc 0 "the clean database verifies against its checkpoint" \
	$WEIQUAN --db "$DB" audit verify --checkpoint "$TMP/checkpoints" --key "$TMP/audit.key"
contains "$out" "Checkpoints matched: 1" "... which matched"
copy
expect_rc 0 "events after the checkpoint are fine" $T --user li.na rule "$NUM" note "之后的记录"
expect_rc 0 "... and it still verifies" $T audit verify --checkpoint "$TMP/checkpoints" --key "$TMP/audit.key"

copy
attack "DELETE FROM events WHERE id > (SELECT max(id) - 5 FROM events)"
expect_rc 1 "the 5 newest events deleted are caught by the checkpoint" \
	$T audit verify --checkpoint "$TMP/checkpoints" --key "$TMP/audit.key"
contains "$err" "events were deleted" "... which says so"

if sqlite_only rehash; then
# A perfect forgery: the first case's amount changed in its row and in its
# creation event, and the whole chain re-hashed.  Only the checkpoint
# can tell.
copy
attack "UPDATE cases SET amount_fen = 99999999 WHERE id = 1;
	UPDATE events SET details = json_set(details, '$.set.amount_fen', 99999999)
	WHERE case_id = 1 AND action = 'create'"
rehash
expect_rc 0 "a re-hashed chain agrees with itself (what verify cannot see alone)" $T audit verify
expect_rc 1 "... the checkpoint catches the rewrite" \
	$T audit verify --checkpoint "$TMP/checkpoints" --key "$TMP/audit.key"
contains "$err" "the chain was rewritten" "... and says so"
expect_rc 1 "... also without the key" $T audit verify --checkpoint "$TMP/checkpoints"

# A checkpoint forged by someone without the key, for the rewritten chain.
sed "s/event=[0-9]* hash=[0-9a-f]*/event=$(q 'SELECT max(id) FROM events') hash=$(q 'SELECT hash FROM events ORDER BY id DESC LIMIT 1')/" \
	"$TMP/checkpoints" >"$TMP/forged"
expect_rc 1 "a checkpoint forged without the key is refused" \
	$T audit verify --checkpoint "$TMP/forged" --key "$TMP/audit.key"
contains "$err" "not signed with this key" "... as not signed with it"
expect_rc 0 "without --key a forged checkpoint is not found out" \
	$T audit verify --checkpoint "$TMP/forged"
contains "$out" "signatures not checked" "... and verify says it did not check signatures"
fi

# The supervisor's daily figures write the head down too.
run $WEIQUAN --db "$DB" report --json
equals "$(json 'str(d["audit_head"]["event"]) + " hash=" + d["audit_head"]["hash"]')" "$HEAD" \
	"report gives the chain's head, to be written down outside the database"

# ---- events written before this version ----
if sqlite_only rehash; then
copy
rehash legacy
expect_rc 0 "a chain from before statements were recorded still verifies" $T audit verify
contains "$out" "Not checked" "... saying what it could not check"
contains "$out" "statement " "... the statements"
contains "$out" "offer " "... the offers"
fi

# ---- help ----
run $WEIQUAN audit --help
contains "$out" "audit checkpoint --key FILE" "audit --help names the checkpoint"
contains "$out" "cannot" "audit --help says what verify cannot prove"

done_testing
