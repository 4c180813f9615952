#!/bin/sh
# A long inbox in the console (tmux, 80x24): the inbox reads its first
# rows and more as the cursor goes, so every item is still reached: the
# title counts all that is due, G reaches the oldest item, Space pages
# down past the first rows read, and a note recorded from another
# session while the cursor is far down is listed on the reload.
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
# 150 items, more than twice the first rows read; the oldest says so
$W --user sam rule "$N" note "最早的一条" >/dev/null || not_ok "note 1"
i=2
while [ $i -le 150 ]; do
	$W --user sam rule "$N" note "第${i}条" >/dev/null || not_ok "note $i"
	i=$((i + 1))
done
total=$($W --user alice inbox --json | python3 -c \
	'import json,sys; print(json.load(sys.stdin)["unread"])')

console q 80 24 $W --user alice
see q "my cases" "the mediator's queue"
keys q M
see q "Inbox of alice: $total unread" "M opens the inbox with all $total unread"
see q "第150条" "... the newest first"
keys q G
see q "最早的一条" "G reaches the oldest item, past the first rows read"
keys q g
see q "第150条" "g goes back to the newest"
# the 101st item, newest first: the 50th note, past the first rows read
i=0
while [ $i -lt 100 ]; do
	keys q j
	i=$((i + 1))
done
see q "第50条" "j moves down past the first rows read"
keys q G
$W --user sam rule "$N" note "新来的一条" >/dev/null || not_ok "a note from another session"
see q "Inbox of alice: $((total + 1)) unread" "another session's note is counted"
keys q g
see q "新来的一条" "... and listed first"
keys q q
see q "my cases" "back to the queue"
keys q Q

done_testing
