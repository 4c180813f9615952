#!/bin/sh
# The case view (tmux, 80x24) marks a deadline counted from a figure not
# checked against the official text: a case received today follows Order
# No. 121 (in force since 2026-04-15), none of whose figures could be
# checked against its text.  The queue's Days column marks it too (~), and
# not a case of Order No. 20 received before the cut-over, whose
# acceptance figure (art. 14) was read in the text.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
N=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 某店 --statement "商家拒绝退款")
# Received on 14 April: its deadline lies in the past, listed with --status.
OLD=$(WEIQUAN_NOW=2026-04-14T02:00:00Z $W case add --case-type complaint \
	--case-category refund --consumer 李四 --merchant 某店 \
	--statement "商家拒绝退款")

console q 80 24 $W
see q "$N" "the queue lists the case"
tap_days() { # CASE: the Days cell of its queue row
	screen_of q | grep "$1" | awk '{print $NF}'
}
equals "$(tap_days "$N" | tr -d '0-9-')" "~" "... its days left marked ~ (unverified)"
lacks "$(tap_days "$OLD")" "~" "... a case of Order No. 20 not"
keys q f
keys q "$N" Enter
see q "Consumer" "the case opens"
see q "unverified)" "its deadline is marked unverified"
keys q q Q

# A mediator's ruling: the status line names the next deadline, marked.
$W user add med --role mediator >/dev/null
console m 80 24 $W --user med
see m "my cases" "a mediator's queue"
keys m f
keys m "$N" Enter
see m "Consumer" "... opens the case"
keys m c
see m "next deadline" "claiming it names the next deadline"
contains "$(screen_of m | grep 'next deadline')" "(unverified)" "... marked unverified on the status line"
keys m q Q

done_testing
