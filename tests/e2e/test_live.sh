#!/bin/sh
# Another session's commits reach the consoles they concern without a key
# pressed (tmux, 80x24), now that a console reloads only what concerns it:
# a case assigned to the mediator appears in her queue; a case moved away
# from her leaves it; a note on the case she has open appears in its
# timeline; a new complaint against the same merchant moves the
# merchant's count on her case; and the inbox count follows her cases.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
for u in "alice mediator" "bob mediator" "sam supervisor"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
new_case() {
	$W case add --case-type complaint --case-category refund \
		--consumer "$1" --merchant "$2" --statement "商家拒绝退款"
}
A=$(new_case 张三 北辰数码)
B=$(new_case 李四 南山食品)
C=$(new_case 王五 东海服饰)
$W --user sam rule "$A" assign alice >/dev/null || not_ok "assign $A"
$W --user sam rule "$B" assign alice >/dev/null || not_ok "assign $B"
$W --user alice inbox read >/dev/null || not_ok "inbox read"

console q 80 24 $W --user alice
see q "$A" "alice's queue lists her first case"
see q "$B" "... and her second"
lacks "$(screen_of q)" "$C" "... not a case of nobody's"
$W --user sam rule "$C" assign alice >/dev/null || not_ok "assign $C"
see q "$C" "a case assigned to her in another session appears"
$W --user sam rule "$B" assign bob >/dev/null || not_ok "assign $B to bob"
wait_gone q "$B"
lacks "$(screen_of q)" "$B" "a case moved to bob in another session leaves her queue"
see q "inbox" "... and her inbox counts the assignment of $C"

keys q g
keys q /
keys q "$A"
keys q Enter
see q "$A" "the search finds her first case"
keys q Enter
see q "complaints 1 " "her case shows the merchant's one complaint"
$W --user sam rule "$A" note "已与商家电话沟通" >/dev/null ||
	not_ok "note from another session"
keys q t
see q "已与商家电话沟通" "a note by the supervisor appears in her open case's timeline"
new_case 赵六 北辰数码 >/dev/null || not_ok "a second complaint"
see q "complaints 2 " "a new complaint against the same merchant moves its count on her case"
keys q Q

done_testing
