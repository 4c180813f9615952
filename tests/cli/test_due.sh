#!/bin/sh
# What falls due within a working day, in the inbox: a running clock's
# deadline, a follow-up of the contact log; counted in working days on
# the holiday calendar (2026-10-10 is an adjusted working Saturday), apart
# from the unread count; another mediator's cases are not listed.  And the
# queue's order by time waiting in review: the cases in review alone, the
# longest waiting first, reversible, paged by its cursor.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db d)
W="$WEIQUAN --db $DB"
export LC_ALL=C.UTF-8
unset LANGUAGE

expect_rc 0 "init" $W init
for u in "alice mediator" "bob mediator" "sam supervisor" "desk1 desk"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
add() {
	$W --user desk1 case add --case-type complaint --case-category refund \
		--consumer "$1" --merchant 某店 --statement "商家拒绝退款"
}
# Received on Thursday 2026-09-24: the accept clock is due 2026-10-12.
export WEIQUAN_NOW=2026-09-24T02:00:00Z
A=$(add 张三)
B=$(add 李四)
C=$(add 王五)
$W --user sam case assign --to alice "$A" "$B" >/dev/null || not_ok "assign A B"
$W --user sam rule "$C" assign bob >/dev/null || not_ok "assign C"
$W --user alice contact add "$B" --party complainant --channel phone \
	--said "约定十月十日前补交发票" --follow-up 2026-10-10 >/dev/null ||
	not_ok "contact on B"
$W --user alice rule "$B" screen >/dev/null || not_ok "screen B"
$W --user alice inbox read >/dev/null || not_ok "inbox read"

# Friday 10-09: the next working day is Saturday 10-10 (adjusted).
export WEIQUAN_NOW=2026-10-09T02:00:00Z
expect_rc 0 "Friday: alice's inbox" $W --user alice inbox --json
equals "$(json '[(d["number"], d["what"], d["due_on"], d["days_left"]) for d in d["due"]]')" \
	"[('$B', 'follow-up', '2026-10-10', 1)]" \
	"... lists the follow-up due on the adjusted working Saturday, not Monday's deadline"
equals "$(json 'd["unread"]')" "0" "... apart from the unread count"
expect_rc 0 "... in text too" $W --user alice inbox
contains "$out" "! $B  follow-up due 2026-10-10, in 1 working days" "... marked !, first"
contains "$out" "Nothing unread" "... and nothing unread"

export WEIQUAN_NOW=2026-10-10T02:00:00Z
run $W --user alice inbox --json
equals "$(json '[(d["number"], d["what"], d["days_left"]) for d in d["due"]]')" \
	"[('$B', 'follow-up', 0), ('$A', 'accept', 1), ('$B', 'accept', 1)]" \
	"Saturday 10-10: the follow-up today and both cases' deadline on Monday, soonest first"
equals "$(json '[(d["what"], d["due_verified"]) for d in d["due"]]')" \
	"[('follow-up', True), ('accept', False), ('accept', False)]" \
	"... the deadlines counted from Order No. 121's unverified figure say so"
run $W --user alice inbox
contains "$(printf '%s\n' "$out" | grep "$A  accept due")" "(unverified)" "... in text too"
lacks "$(printf '%s\n' "$out" | grep "follow-up due")" "unverified" "... not the follow-up, a date the mediator chose"
run $W --user bob inbox --json
equals "$(json '[d["number"] for d in d["due"]]')" "['$C']" \
	"bob sees his own case's deadline, not alice's"

export WEIQUAN_NOW=2026-10-13T02:00:00Z
run $W --user alice inbox
contains "$out" "accept due 2026-10-12, 1 working days overdue" \
	"Tuesday: the deadline passed shows overdue"
$W --user alice contact add "$B" --party complainant --channel phone \
	--said "已收到发票" >/dev/null || not_ok "answer the follow-up"
run $W --user alice inbox --json
equals "$(json '[(d["number"], d["what"]) for d in d["due"]]')" "[('$A', 'accept'), ('$B', 'accept')]" \
	"a follow-up answered goes from the inbox"

# ---- the review order ----
export WEIQUAN_NOW=2026-10-14T02:00:00Z
for r in "not-accept time-barred 超过三年" "submit 请审核"; do
	# shellcheck disable=SC2086
	$W --user alice rule "$B" $r >/dev/null || not_ok "rule $r on $B"
done
export WEIQUAN_NOW=2026-10-15T02:00:00Z
for r in "claim" "screen" "not-accept time-barred 超过三年" "submit 请审核"; do
	# shellcheck disable=SC2086
	$W --user bob rule "$C" $r >/dev/null || not_ok "rule $r on $C"
done
export WEIQUAN_NOW=2026-10-19T02:00:00Z
expect_rc 0 "the queue by time waiting in review" \
	$W --user sam case list --order review --json
equals "$(json '[(r["number"], r["status"]) for r in d["cases"]]')" \
	"[('$B', 'first_review'), ('$C', 'first_review')]" \
	"... the cases in review alone, the longest waiting first"
equals "$(json '[r["review_days"] for r in d["cases"]]')" "[3, 2]" \
	"... each with the working days it has waited"
run $W --user sam case list --order review
contains "$out" "R3" "... R and the days in the text's DAYS column"
expect_rc 0 "... reversed" $W --user sam case list --order review --reverse --json
equals "$(json '[r["number"] for r in d["cases"]]')" "['$C', '$B']" \
	"... the shortest waiting first"
run $W --user sam case list --order review --limit 1 --json
P1=$(json '[r["number"] for r in d["cases"]]')
CUR=$(json 'd["next_cursor"]')
run $W --user sam case list --order review --limit 1 --after "$CUR" --json
equals "$P1 $(json '[r["number"] for r in d["cases"]]') $(json 'd["next_cursor"]')" \
	"['$B'] ['$C'] None" "... paged by its cursor, each case once"
expect_rc 1 "an unknown order is refused, naming the orders" \
	$W --user sam case list --order waiting
contains "$err" "review" "... review among them"

done_testing
