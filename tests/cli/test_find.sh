#!/bin/sh
# Looking a case up (case find): by its number, whole or without its
# prefix; by the consumer's phone (typed with spaces or +86) or ID number,
# each only for the roles that see it; by the order number, the shop ID
# and the consumer's name, exact or by their start; a desk finds only the
# cases it registered; each case once, with what it matched; --limit and
# "more"; nothing found is exit 1.  And the queue's orders (status and
# merchant too), each reversible, the search's too, paging every case once.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db f)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-02T09:00:00Z
export LC_ALL=C.UTF-8
unset LANGUAGE

expect_rc 0 "init" $W init
for u in "alice mediator" "sam supervisor" "desk1 desk" "desk2 desk"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done

# add AS CONSUMER PHONE ID ORDER SHOP: prints the new case's number
add() {
	$W --user "$1" case add --case-type complaint --case-category refund \
		--consumer "$2" --phone "$3" --id-number "$4" --order-no "$5" \
		--platform taobao --shop-id "$6" --merchant "店$6" \
		--statement "商家拒绝退款"
}
A=$(add desk1 张晓明 13812345678 110101199003071234 TB2026030112 shop77)
B=$(add desk1 张晓红 13812349999 11010119850101567X TB2026030199 shop78)
C=$(add desk2 李四 13900001111 320102197001011111 JD88001 shop77)
equals "$A" "WQ-2026-000001" "cases registered"

expect_rc 0 "find by the whole number" $W --user sam case find "$B" --json
equals "$(json '[c["number"] for c in d["cases"]]')" "['$B']" "... that case only"
equals "$(json 'd["cases"][0]["matched"]')" "number" "... matched by number"
expect_rc 0 "find by year and sequence" $W --user sam case find 2026-2 --json
equals "$(json '[c["number"] for c in d["cases"]]')" "['$B']" "... 2026-2 is $B"
expect_rc 0 "find by the sequence alone" $W --user sam case find 000003 --json
equals "$(json 'd["cases"][0]["number"]')" "$C" "... 000003 is $C first"
expect_rc 0 "lower-case prefix" $W --user sam case find wq-2026-000001 --json
equals "$(json 'd["cases"][0]["number"]')" "$A" "... is $A"

expect_rc 0 "find by a phone typed with +86 and spaces" \
	$W --user alice case find "+86 138 1234 5678" --json
equals "$(json '[(c["number"], c["matched"]) for c in d["cases"]]')" \
	"[('$A', 'phone')]" "... the one case, matched by phone"
expect_rc 0 "find by the start of a phone" $W --user alice case find 1381234 --json
equals "$(json 'sorted(c["number"] for c in d["cases"])')" "['$A', '$B']" \
	"... both 1381234 cases"

expect_rc 0 "a supervisor finds by ID number" \
	$W --user sam case find 11010119850101567x --json
equals "$(json '[(c["number"], c["matched"]) for c in d["cases"]]')" \
	"[('$B', 'id-number')]" "... lower-case x as X"
expect_rc 1 "a mediator, who sees no ID number, does not find by it" \
	$W --user alice case find 11010119850101567X --json
equals "$(json 'd["cases"]')" "[]" "... an empty list"

expect_rc 0 "find by the start of an order number" $W --user sam case find TB20260301 --json
equals "$(json 'sorted(c["number"] for c in d["cases"])')" "['$A', '$B']" \
	"... both TB20260301 orders"
expect_rc 0 "find by a shop ID" $W --user sam case find shop77 --json
equals "$(json 'sorted(c["number"] for c in d["cases"])')" "['$A', '$C']" \
	"... both cases against shop77"
equals "$(json 'd["cases"][0]["matched_value"]')" "shop77" "... with the value matched"
expect_rc 0 "find by the start of a name" $W --user sam case find 张晓 --json
equals "$(json 'sorted(c["number"] for c in d["cases"])')" "['$A', '$B']" \
	"... both 张晓"
equals "$(json 'd["more"]')" "False" "... and no more"
expect_rc 0 "--limit 1" $W --user sam case find 张晓 --limit 1 --json
equals "$(json 'len(d["cases"]), d["more"]')" "(1, True)" "... one case, and more"
expect_rc 0 "a text matching twice gives each case once" $W --user sam case find shop --json
equals "$(json 'sorted(c["number"] for c in d["cases"])')" "['$A', '$B', '$C']" \
	"... every shop* case once"

expect_rc 0 "desk1 finds the cases it registered" $W --user desk1 case find shop77 --json
equals "$(json '[c["number"] for c in d["cases"]]')" "['$A']" "... not desk2's"
expect_rc 1 "desk1 does not find desk2's case by its number" $W --user desk1 case find "$C"
contains "$err" "no case matches" "... and says so"

expect_rc 0 "text output" $W --user sam case find 13900001111
contains "$out" "$C" "... names the case"
contains "$out" "phone 13900001111" "... and what matched"
expect_rc 1 "nothing matches: exit 1" $W --user sam case find 王五
expect_rc 1 "an empty text is refused" $W --user sam case find "  "
expect_rc 2 "--limit above 200 is refused" $W --user sam case find 张 --limit 201
expect_rc 2 "find takes one text" $W --user sam case find 张 李

# ---- the queue's orders, each reversible, paging every case once ----
expect_rc 0 "ordered by merchant" $W --user sam case list --order merchant --json
equals "$(json '[c["number"] for c in d["cases"]]')" "['$A', '$C', '$B']" \
	"... grouped by merchant, then by number"
expect_rc 0 "... reversed" $W --user sam case list --order merchant --reverse --json
equals "$(json '[c["number"] for c in d["cases"]]')" "['$B', '$C', '$A']" \
	"... the other way round"
$W --user sam rule "$B" claim >/dev/null || not_ok "claim $B"
$W --user sam rule "$B" screen >/dev/null 2>&1 || $W --user sam rule "$B" need-info "请补充订单截图" >/dev/null ||
	not_ok "a ruling on $B"
expect_rc 0 "ordered by status" $W --user sam case list --order status --json
equals "$(json '[(c["status"], c["number"]) for c in d["cases"]] == sorted((c["status"], c["number"]) for c in d["cases"])')" \
	"True" "... by status code, then by number"
equals "$(json 'len(set(c["status"] for c in d["cases"]))')" "2" "... of two statuses"
expect_rc 0 "a search, reversed: oldest first" \
	$W --user sam case list --search 退款 --reverse --json
equals "$(json '[c["number"] for c in d["cases"]]')" "['$A', '$B', '$C']" \
	"... $A first"
for o in due received amount status merchant; do
	for r in "" --reverse; do
		got="" cursor=""
		while :; do
			run $W --user sam case list --order $o $r --limit 1 \
				${cursor:+--after "$cursor"} --json
			got="$got $(json 'd["cases"][0]["number"] if d["cases"] else ""')"
			cursor=$(json 'd["next_cursor"] or ""')
			[ -n "$cursor" ] || break
		done
		equals "$(echo $got | tr ' ' '\n' | sort | tr '\n' ' ')" "$A $B $C " \
			"--order $o $r, a case a page: each case once"
	done
	run $W --user sam case list --order $o --json
	fwd=$(json '[c["number"] for c in d["cases"]]')
	run $W --user sam case list --order $o --reverse --json
	equals "$(json '[c["number"] for c in d["cases"]][::-1]')" "$fwd" \
		"--order $o --reverse is the order backwards"
done
run $W --user sam case list --search 退款 --reverse --limit 1 --json
cursor=$(json 'd["next_cursor"]')
expect_rc 0 "a reversed search's next page" \
	$W --user sam case list --search 退款 --reverse --limit 1 --after "$cursor" --json
equals "$(json '[c["number"] for c in d["cases"]]')" "['$B']" "... is the next oldest"
expect_rc 0 "a search in another order" \
	$W --user sam case list --search 退款 --order merchant --json
equals "$(json '[c["number"] for c in d["cases"]]')" "['$A', '$C', '$B']" \
	"... lists its hits in that order"
got="" cursor=""
while :; do
	run $W --user sam case list --search 退款 --order merchant --reverse \
		--limit 1 ${cursor:+--after "$cursor"} --json
	got="$got $(json 'd["cases"][0]["number"] if d["cases"] else ""')"
	cursor=$(json 'd["next_cursor"] or ""')
	[ -n "$cursor" ] || break
done
equals "$got" " $B $C $A" "... and a case a page, reversed, each hit once in order"
expect_rc 0 "a sorted search keeps the other filters" \
	$W --user sam case list --search 退款 --order merchant --assignee sam --json
equals "$(json '[c["number"] for c in d["cases"]]')" "['$B']" "... sam's hits only"
expect_rc 1 "an unknown order is refused" $W --user sam case list --order colour

done_testing
