#!/bin/sh
# The case view (tmux, 80x24) marks a deadline counted from a figure not
# checked against the official text: a case received today follows Order
# No. 121 (in force since 2026-04-15), none of whose figures could be
# checked against its text.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
N=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 某店 --statement "商家拒绝退款")

console q 80 24 $W
see q "$N" "the queue lists the case"
keys q Enter
see q "Consumer" "the case opens"
see q "unverified)" "its deadline is marked unverified"
keys q q Q

done_testing
