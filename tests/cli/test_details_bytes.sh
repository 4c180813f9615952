#!/bin/sh
# Event details the core builds in C, and case show's text form read in C
# (both once SQLite's JSON functions): the audit chain hashes the details,
# so they keep the bytes SQLite's json_object() wrote, hostile text
# included, and the text form keeps its lines.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-05T02:00:00Z
$W init >/dev/null || not_ok "init"
for u in "sam supervisor" "desk1 desk"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done

# ESC, C0, DEL, JSON's own escapes, C1 NEL, a bidi override, CJK.
odd=$(printf 'a\033[2J\001\037\177"\\/\t\n\r\b\f\302\205\342\200\256 假')
# ... as json_object() wrote it: lower-case \u00xx, the rest raw.
json=$(printf 'a\\u001b[2J\\u0001\\u001f\177\\"\\\\/\\t\\n\\r\\b\\f\302\205\342\200\256 假')
# ... and as the command line shows that JSON: DEL, C1 and bidi as pictures.
shown=$(printf 'a\\u001b[2J\\u0001\\u001f\342\220\241\\"\\\\/\\t\\n\\r\\b\\f\342\220\233E\357\277\275 假')

N=$($W --user desk1 case add --case-type complaint --case-category quality \
	--consumer "顾$odd" --merchant "店$odd" --statement "s$odd")
M=$(db_sql "$DB" "SELECT merchant_id FROM cases WHERE number = '$N'")
expect_rc 0 "a mark with hostile reason and basis" $W --user sam merchant flag "$M" \
	repeat-offender --reason "R$odd" --basis "B$odd"
expect_rc 0 "a penalty with hostile decision and basis" $W --user sam merchant penalty "$M" \
	--amount 12.34 --reason "D$odd" --basis "B$odd"
expect_rc 0 "the mark lifted with a hostile reason" $W --user sam merchant flag "$M" \
	repeat-offender --off --reason "L$odd"

details() {
	db_sql "$DB" "SELECT details FROM events WHERE action = '$1' ORDER BY id LIMIT 1 OFFSET $2"
}
equals "$(details merchant-mark 0)" \
	"{\"merchant\":$M,\"name\":\"店$json\",\"flag\":\"repeat-offender\",\"on\":true,\"complaints\":1,\"repeat_offender\":true,\"blacklisted\":false,\"reason\":\"R$json\",\"basis\":\"B$json\"}" \
	"a mark's details are the bytes json_object() wrote"
equals "$(details merchant-penalty 0)" \
	"{\"merchant\":$M,\"penalty\":1,\"amount_fen\":1234,\"decision\":\"D$json\",\"basis\":\"B$json\",\"penalties\":1}" \
	"... a penalty's"
equals "$(details merchant-mark 1)" \
	"{\"merchant\":$M,\"name\":\"店$json\",\"flag\":\"repeat-offender\",\"on\":false,\"complaints\":1,\"repeat_offender\":false,\"blacklisted\":false,\"reason\":\"L$json\",\"basis\":\"\"}" \
	"... a lifted mark's"
equals "$(db_sql "$DB" "SELECT count(*) FROM merchant_marks WHERE at = '2026-03-05T02:00:00Z'") $(db_sql "$DB" "SELECT at FROM merchant_penalties")" \
	"2 2026-03-05T02:00:00Z" "marks and penalties keep their time"
expect_rc 0 "the audit chain is intact" $W audit verify

line() {
	printf '%s\n' "$out" | grep "^$1"
}
run $W case show "$N"
equals "$(line consumer)" \
	"consumer      {\"name\":\"顾$shown\",\"phone\":\"\",\"id_number\":\"\",\"region\":\"\"}" \
	"case show in text gives an object as the JSON it was written as, shown clean"
equals "$(line statements) / $(line offers)" "statements    1 items / offers        0 items" \
	"... an array by its length"
equals "$(line assignee)|$(line flags)|$(line due_verified)" \
	"assignee      |flags         0|due_verified  1" "... null as nothing, numbers and true as SQL prints them"
equals "$(line due_on)" "due_on        2026-03-16" "... a deadline of a verified figure unmarked"
equals "$(printf '%s\n' "$out" | head -3)" \
	"$(printf 'number        %s\ntype          complaint\ncategory      quality' "$N")" \
	"... the members in their order"
lacks "$out" "$(printf '\033')" "... no escape reaches the terminal"

R=$($W --user desk1 case add --case-type report --case-category advertising \
	--consumer 王五 --phone 13800138000 --merchant 某旗舰店 --statement 虚假宣传)
run $W case show "$R"
equals "$(line due_on)|$(line due_verified)|$(line real_name)" \
	"due_on        2026-03-26  (unverified)|due_verified  0|real_name     1" \
	"a deadline counted from an unverified figure is marked, false shown as 0"
equals "$(line merchant)" \
	'merchant      {"name":"某旗舰店","platform":"","shop_id":"","region":"","complaints":0,"settled":0,"failed":0,"unperformed":0,"penalties":0,"repeat_offender":false,"blacklisted":false,"marks":[],"penalty_records":[]}' \
	"... and an object holding arrays and booleans as written"

done_testing
