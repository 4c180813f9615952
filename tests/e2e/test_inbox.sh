#!/bin/sh
# The inbox in the console (tmux, 80x24): a mediator's queue shows no
# inbox count while nothing is unread; a supervisor sends her case back
# from another session (the command line) and the count appears in the
# queue's title without a key pressed; M opens the inbox with the
# reviewer's comment; Enter opens the case and marks the item read, and
# the count goes.  A deadline due or overdue is listed first, marked
# when its figure is not checked against the official text.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
for u in "alice mediator" "sam supervisor"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
N=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 某店 --statement "商家拒绝退款")
$W --user sam rule "$N" assign alice >/dev/null || not_ok "assign $N"
for r in "screen" "not-accept time-barred 超过三年" "submit 请审核"; do
	# shellcheck disable=SC2086
	$W --user alice rule "$N" $r >/dev/null || not_ok "rule $r"
done
$W --user alice inbox read >/dev/null || not_ok "inbox read"

console q 80 24 $W --user alice
see q "my cases" "the mediator's queue"
lacks "$(screen_of q | head -1)" "inbox" "... without an inbox count: nothing unread"
$W --user sam rule "$N" send-back "请引用具体条款" >/dev/null ||
	not_ok "send-back from another session"
see q "inbox 1" "another session's send-back shows in the title, no key pressed"
keys q M
see q "Inbox of alice: 1 unread" "M opens the inbox"
see q "请引用具体条款" "... with the reviewer's comment"
see q "$N" "... on the case"
keys q Enter
see q "Consumer" "Enter opens the case"
run $W --user alice inbox --json
equals "$(json 'd["unread"]')" "0" "... and marks the item read"
keys q q
see q "Inbox of alice: 0 unread" "back in the inbox, nothing unread"
keys q q
see q "my cases" "back to the queue"
wait_gone q "inbox 1"
lacks "$(screen_of q | head -1)" "inbox" "... whose title has no count any more"
# A case received under Order No. 121 and left overdue: its deadline is
# listed first in the inbox, marked as counted from an unverified figure.
O=$(WEIQUAN_NOW=2026-11-02T02:00:00Z $W case add --case-type complaint \
	--case-category refund --consumer 李四 --merchant 某店 \
	--statement "商家拒绝退款")
$W --user sam rule "$O" assign alice >/dev/null || not_ok "assign $O"
see q "due 1" "an overdue deadline counts in the title"
keys q M
see q "accept overdue by" "M lists it in the inbox"
see q "wd (unverified)" "... marked unverified"
keys q q Q

done_testing
