#!/bin/sh
# What a desk sees of a collective group in a real terminal (tmux, 80x24):
# the group screen draws what the core lets it read, so a desk that joined
# its walk-in to a group sees that member and the shared facts, never the
# numbers, statuses, assignees or amounts of the cases other desks
# registered.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
for u in "desk1 desk" "desk2 desk" "alice mediator" "sam supervisor"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null
done
add() {
	$W --user "$1" case add --case-type complaint --case-category quality \
		--consumer "$2" --merchant 同批次酒行 --amount "$3" \
		--statement "$4"
}
C2=$(add desk2 张三 7777 "防伪码查不到，疑似假酒。")
C3=$(add desk2 李四 8888 "瓶盖有二次封口痕迹。")
C1=$(add desk1 王五 399 "同一批次，酒味不对。")
$W --user alice rule "$C2" claim >/dev/null
G=$($W --user sam group create "同批次假酒" "$C2" "$C3" --facts "同一店铺同一批次白酒")
$W --user desk1 group join "$G" "$C1" >/dev/null

console d 80 24 $W --user desk1
see d "$C1" "the desk's queue shows the case it registered"
keys d Enter
see d "group $G" "the case view names the group"
keys d C
see d "同一店铺同一批次白酒" "C opens the group with its shared facts"
see d "$C1" "... and the member the desk registered"
screen=$(screen_of d)
lacks "$screen" "$C2" "... not another desk's member in mediation"
lacks "$screen" "$C3" "... nor another received one"
lacks "$screen" "alice" "... nor another member's mediator"
lacks "$screen" "7777" "... nor another member's amount"
lacks "$screen" "8888" "... of either"
keys d Q
stop_consoles
done_testing
