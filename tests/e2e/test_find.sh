#!/bin/sh
# Looking a case up in the console (tmux, 80x24): f with a phone opens the
# one case it finds; a name two cases share is a list to pick from; / with
# a text that is also a lookup lists the cases found and, last, the
# full-text search; / with a text no lookup matches searches at once; a
# mediator, who sees no ID number, finds nothing by one.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
for u in "alice mediator" "sam supervisor" "desk1 desk"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done

# add CONSUMER PHONE ID ORDER SHOP REGION: prints the new case's number
add() {
	$W --user desk1 case add --case-type complaint --case-category refund \
		--consumer "$1" --phone "$2" --id-number "$3" --order-no "$4" \
		--platform taobao --shop-id "$5" --merchant "店$5" \
		--case-region "$6" --statement "商家拒绝退款"
}
A=$(add 张晓明 13812345678 110101199003071234 TB2026030112 shop77 广东省广州市)
B=$(add 张晓红 13812349999 11010119850101567X TB2026030199 shop78 广东省深圳市)
C=$(add 李四 13900001111 320102197001011111 JD88001 shop77 江苏省南京市)
$W --user sam rule "$A" assign alice >/dev/null || not_ok "assign $A"
$W --user sam rule "$C" assign alice >/dev/null || not_ok "assign $C"

console q 80 24 $W --user sam
see q "all cases" "the supervisor's console opens on the queue"

# ---- f: one case opens at once ----
keys q f
see q "Find: case number, phone" "f asks what to find"
keys q "139 0000 1111" Enter
see q "Consumer" "a phone found in one case opens it"
see q "$C" "... the case with that phone"
keys q q
see q "all cases" "q goes back to the queue"

# ---- f: several cases are a list ----
keys q f 张晓 Enter
see q "Cases found for '张晓'" "a name two cases share lists them"
see q "$A  张晓明  店shop77" "... each with its merchant"
see q "$B  张晓红" "... both"
keys q Down Enter
see q "Consumer" "picking one opens it"
see q "$B" "... the one picked"
keys q q
see q "all cases" "back to the queue"

# ---- f: nothing ----
keys q f 王五 Enter
see q "No case matches '王五'" "a text nothing matches says so"

# ---- /: a lookup first, the search last ----
keys q / 1381234 Enter
see q "$A  张晓明  phone 13812345678" "/ with the start of a phone lists the cases"
see q "Search statements and evidence for: 1381234" "... and ends with the full-text search"
keys q 3
see q "search: 1381234" "picking the search searches the text"
keys q x
wait_gone q "search:" >/dev/null
keys q / 退款 Enter
see q "search: 退款" "/ with a text no lookup matches searches at once"
see q "$C" "... and lists its hits"

# ---- the filters' lists ----
keys q x
keys q a
see q "alice  2 open, 0 overdue" "a lists each assignee with open and overdue cases"
see q "(unassigned)" "... and nobody"
keys q 4
see q "assignee=alice" "picking alice filters the queue"
see q "2 cases" "... to her two cases"
if wait_gone q "$B"; then ok "... not the unassigned one"; else not_ok "... not the unassigned one" "$(screen_of q)"; fi
keys q x
keys q r 广州 Enter
see q "1 广东省广州市  (1 open)" "r 广州 lists the regions with 广州 in their name"
keys q Enter
see q "region=广东省广州市" "picking one filters by it"
see q "1 cases" "... to its one case"
keys q r 上海 Enter
see q "No open case in a region named '上海'" "a region with no open case says so"

# ---- more orders, each reversible ----
# in_order NAME FIRST SECOND THIRD DESCRIPTION: the three case numbers are
# on the screen in that order, top down
in_order() {
	local name=$1 desc=$5 tries=100
	shift
	while [ "$tries" -gt 0 ]; do
		if [ "$(screen_of "$name" | grep -o 'WQ-2026-00000[0-9]' | tr '\n' ' ')" = "$1 $2 $3 " ]; then
			ok "$desc"
			return
		fi
		sleep 0.05
		tries=$((tries - 1))
	done
	not_ok "$desc" "$(screen_of "$name")"
}
keys q x
keys q o o o o
see q "by merchant" "o cycles on to the merchant order"
in_order q "$A" "$C" "$B" "... cases grouped by merchant"
keys q O
see q "by merchant, reversed" "O turns the order round"
in_order q "$B" "$C" "$A" "... the rows too"
keys q / 退款 Enter
see q "oldest first" "a search in the reversed order: oldest case first"
in_order q "$A" "$B" "$C" "... its hits so"
keys q O
see q "newest first" "O again: newest first"
in_order q "$C" "$B" "$A" "... its hits so"
keys q o
see q "by due" "o sorts a search's hits by due date"
keys q o o o o
see q "by merchant" "... and on through the orders"
in_order q "$A" "$C" "$B" "... its hits by merchant"
keys q o
see q "by time waiting in review" "... then by time waiting in review"
keys q o
see q "newest first" "... and back to newest first"
keys q Q

# ---- a mediator finds nothing by an ID number ----
console m 80 24 $W --user alice
see m "my cases" "the mediator's console opens"
keys m f 11010119850101567X Enter
see m "No case matches" "a mediator does not find a case by its ID number"
keys m f 13812349999 Enter
see m "$B" "... but does by its phone"
keys m q
keys m v v
see m "all cases" "a mediator's view cycle has all cases"
see m "3 cases" "... every case"

done_testing
