#!/bin/sh
# Collective complaints: a group of cases against one merchant with shared
# facts and evidence, group rulings with a preview, each member keeping its
# own outcome and audit event.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-02T09:00:00Z
$W init >/dev/null || not_ok "init"
for u in "alice mediator" "bob mediator" "sam supervisor" "desk1 desk"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
add() {
	$W --user desk1 case add --case-type complaint --case-category quality \
		--consumer "$1" --merchant "$2" --statement "$3" --amount 399
}
C1=$(add 张三 假酒专营店 "同一批次酒疑似假冒，要求退一赔三")
C2=$(add 李四 假酒专营店 "酒的防伪码查不到")
C3=$(add 王五 假酒专营店 "瓶盖有二次封口痕迹")
C4=$(add 赵六 另一家店 "发错货")

expect_rc 1 "an administrator does not make groups" $W group create "假酒" "$C1" "$C2"
expect_rc 1 "a group is against one merchant" $W --user sam group create "假酒" "$C1" "$C4"
contains "$err" "one merchant" "... saying so"
run $W case show "$C1" --json
equals "$(json 'd["group"]')" "None" "... and nothing was grouped"
expect_rc 2 "a group needs members" $W --user sam group create "假酒"

expect_rc 0 "a desk groups walk-in complaints" $W --user desk1 group create "同批次假酒" "$C1" "$C2" --facts "2026年2月同一批次"
G=$out
equals "$G" "G1" "... and gets the group's name"
expect_rc 0 "more members join" $W --user sam group join "$G" "$C3"
expect_rc 1 "a case of another merchant cannot join" $W --user sam group join "$G" "$C4"
expect_rc 1 "a member cannot join twice" $W --user sam group join "$G" "$C1"
expect_rc 1 "an unknown group is refused" $W --user sam group join G99 "$C4"
expect_rc 2 "a malformed group name is bad usage" $W --user sam group show X1
run $W case show "$C2" --json
equals "$(json 'd["group"]["id"] + " " + d["group"]["title"]')" "G1 同批次假酒" "a member shows its group"
contains "$(json '[e["action"] for e in d["events"]]')" "join-group" "... with its own audit event"
equals "$(db_sql "$DB" "SELECT flags & 4 FROM cases WHERE number = '$C2'")" "4" "... and the collective flag"

printf '批次号 20260201\n' > "$TMP/batch.txt"
printf '\xc5\xfa\xb4\xce' > "$TMP/gbk.txt"
expect_rc 0 "shared evidence is attached to the group" $W --user sam group evidence "$G" "$TMP/batch.txt" --kind photo
expect_rc 1 "shared evidence needs an existing group" $W --user sam group evidence G99 "$TMP/batch.txt" --kind photo
contains "$err" "no collective group G99" "... saying so"
expect_rc 1 "an administrator attaches no group evidence" $W group evidence "$G" "$TMP/batch.txt" --kind photo
expect_rc 0 "... in any encoding" $W --user sam group evidence "$G" "$TMP/gbk.txt" --kind other --encoding gb18030
expect_rc 1 "facts that are not UTF-8 are refused" $W --user sam group facts "$G" "$(printf 'a\377b')"
contains "$err" "not valid UTF-8" "... saying so"
expect_rc 0 "the facts can be replaced" $W --user sam group facts "$G" "同一批次，经鉴定为假冒"
run $W group show "$G" --json
equals "$(json 'd["facts"]')" "同一批次，经鉴定为假冒" "group show has the new facts"
equals "$(json 'len(d["members"])')" "3" "... and the three members"
run $W group show "$G"
contains "$out" "batch.txt" "group show lists the shared evidence"
$W user add desk2 --role desk >/dev/null
C5=$($W --user desk2 case add --case-type complaint --case-category quality \
	--consumer 孙八 --merchant 假酒专营店 --statement "同一批次" --amount 399)
expect_rc 0 "another desk adds its walk-in to the group" $W --user desk2 group join "$G" "$C5"
run $W --user desk2 group show "$G"
contains "$out" "batch.txt" "... and sees the shared evidence through the case it registered"
expect_rc 0 "... which leaves again" $W --user desk2 group leave "$C5"
run $W group list --json
equals "$(json 'd[0]["members"]')" "3" "group list counts the members"

# Group rulings: each member by its own rules.
$W --user alice rule "$C1" claim >/dev/null
$W --user alice rule "$C2" claim >/dev/null
$W --user alice rule "$C1" screen >/dev/null
before=$(db_sql "$DB" "SELECT count(*) FROM events")
expect_rc 0 "a preview of a group ruling" $W --user alice group rule "$G" screen --preview
contains "$out" "$C2" "... lists every member"
contains "$out" "-> screened" "... with what would happen"
contains "$out" "claim it first" "... and why the unclaimed one is refused"
contains "$out" "'screen' applies to: received" "... and why the screened one is"
equals "$(db_sql "$DB" "SELECT count(*) FROM events")" "$before" "... writing nothing"
equals "$(db_sql "$DB" "SELECT status FROM cases WHERE number = '$C2'")" "received" "... not even the member it fits"
expect_rc 1 "applying it reports the refused members" $W --user alice group rule "$G" screen
contains "$out" "1 of 3 members ruled on" "... and how many were ruled on"
equals "$(db_sql "$DB" "SELECT status FROM cases WHERE number = '$C2'")" "screened" "the member it fits moved"
equals "$(db_sql "$DB" "SELECT status FROM cases WHERE number = '$C3'")" "received" "the refused member did not"
equals "$(db_sql "$DB" "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.number = '$C2' AND e.action = 'screen'")" "1" "... and the moved one has its own event"
$W --user sam rule "$C3" assign alice >/dev/null
$W --user alice rule "$C3" screen >/dev/null
expect_rc 0 "a ruling all members fit applies to all" $W --user alice group rule "$G" accept "集体受理"
contains "$out" "3 of 3 members ruled on" "... saying so"
expect_rc 0 "each member then goes its own way" $W --user alice rule "$C1" withdraw
expect_rc 0 "a member can leave" $W --user alice group leave "$C1"
run $W group show "$G" --json
equals "$(json 'len(d["members"])')" "2" "... and is no longer listed"
expect_rc 1 "group membership is ruled per case" $W --user alice group rule "$G" leave-group
expect_rc 1 "a mediator cannot rule on others' members" $W --user bob group rule "$G" start
contains "$out" "assigned to alice" "... each refusal says why"
expect_rc 0 "the audit chain holds" $W audit verify
run $W report --json
equals "$(json 'd["collective"]["groups"]')" "1" "the dashboard counts the group"
done_testing
