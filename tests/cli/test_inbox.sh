#!/bin/sh
# The inbox from the command line: a supervisor's send-back reaches the
# mediator with the comment, unread first; her own rulings do not; another
# mediator's inbox stays empty; marking one event read, then all; --all
# shows the read ones; reading writes no audit event and the chain still
# verifies; a database at the previous schema migrates, its history
# counting as read.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db i)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-02T09:00:00Z
export LC_ALL=C.UTF-8
unset LANGUAGE

expect_rc 0 "init" $W init
for u in "alice mediator" "bob mediator" "sam supervisor" "desk1 desk"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
N=$($W --user desk1 case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 某店 --statement "商家拒绝退款")

expect_rc 0 "nothing in the inbox before the case is hers" $W --user alice inbox
contains "$out" "Nothing unread" "... which says so"

$W --user sam rule "$N" assign alice >/dev/null || not_ok "assign $N"
for r in "screen" "not-accept time-barred 超过三年" "submit 请审核"; do
	# shellcheck disable=SC2086
	$W --user alice rule "$N" $r >/dev/null || not_ok "rule $r"
done
expect_rc 0 "a supervisor sends it back" \
	$W --user sam rule "$N" send-back "请引用具体条款"

expect_rc 0 "the mediator's inbox as JSON" $W --user alice inbox --json
equals "$(json 'd["unread"], [(i["action"], i["actor"], i["number"], i["comment"], i["read"]) for i in d["items"]]')" \
	"(2, [('send-back', 'sam', '$N', '请引用具体条款', False), ('assign', 'sam', '$N', 'alice', False)])" \
	"... holds the send-back with the comment, then the assignment, not her own rulings"
SENT_BACK=$(json 'd["items"][0]["event"]')
expect_rc 0 "the inbox as text" $W --user alice inbox
contains "$out" "请引用具体条款" "... shows the comment"
contains "$out" "send-back" "... and what happened"

expect_rc 0 "another mediator's inbox" $W --user bob inbox --json
equals "$(json 'd["unread"], d["items"]')" "(0, [])" "... is empty"
expect_rc 1 "he cannot mark her event read" $W --user bob inbox read "$SENT_BACK"
contains "$err" "not in the inbox" "... and is told why"

EVENTS=$(db_sql "$DB" "SELECT count(*) FROM events")
expect_rc 0 "she marks the send-back read" $W --user alice inbox read "$SENT_BACK"
run $W --user alice inbox --json
equals "$(json 'd["unread"], [i["action"] for i in d["items"]]')" \
	"(1, ['assign'])" "... and only the assignment is left unread"
run $W --user alice inbox --all --json
equals "$(json '[(i["action"], i["read"]) for i in d["items"]]')" \
	"[('assign', False), ('send-back', True)]" "--all lists the read one after"
expect_rc 0 "she marks everything read" $W --user alice inbox read
run $W --user alice inbox --json
equals "$(json 'd["unread"]')" "0" "... and nothing is unread"
equals "$(db_sql "$DB" "SELECT count(*) FROM events")" "$EVENTS" \
	"reading writes no audit event"
expect_rc 0 "the audit chain verifies" $W audit verify

expect_rc 2 "an event id that is not a number is bad usage" \
	$W --user alice inbox read 12x
expect_rc 2 "an unknown subcommand is bad usage" $W --user alice inbox clear

if sqlite_only old-schema; then
cp "$DB" "$TMP/old.db"
sqlite3 "$TMP/old.db" "DROP TABLE inbox_marks; DROP TABLE inbox_read; PRAGMA user_version = 12"
expect_rc 0 "a database of the previous schema migrates" $W --db "$TMP/old.db" init
run $WEIQUAN --db "$TMP/old.db" --user alice inbox --json
equals "$(json 'd["unread"]')" "0" "... the history before it counting as read"
$W --db "$TMP/old.db" --user sam rule "$N" note "请尽快处理" >/dev/null ||
	not_ok "a note after the migration"
run $WEIQUAN --db "$TMP/old.db" --user alice inbox --json
equals "$(json 'd["unread"], [i["comment"] for i in d["items"]]')" \
	"(1, ['请尽快处理'])" "... and what others do after it arriving"
fi

done_testing
