#!/bin/sh
# Who may do what with which case: one decision in the core
# (wq_case_authorize) for every path.  A desk reads and changes only the
# cases it registered, also through collective groups; a mediator changes
# the cases assigned to it; group facts and shared evidence belong to
# supervisors and to whoever may change one of the group's cases.  Two-level
# review needs three people; received times are not in the future and an
# earlier one is an administrator's import with a reason; case numbers have
# one shape everywhere.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-02T09:00:00Z
q() { db_sql "$DB" "$1"; }
$W init >/dev/null || not_ok "init"
for u in "desk1 desk" "desk2 desk" "alice mediator" "bob mediator" \
	"sam supervisor" "sue supervisor" "sid supervisor"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
add() {
	$W --user "$1" case add --case-type complaint --case-category quality \
		--consumer "$2" --merchant 假酒专营店 --statement "$3" --amount 399
}
# desk2's walk-ins: one in mediation with alice, one waiting for materials
# with bob, one just received; desk1's own complaint against the same shop.
C2=$(add desk2 张三 "同一批次酒疑似假冒")
C3=$(add desk2 李四 "酒的防伪码查不到")
C4=$(add desk2 王五 "瓶盖有二次封口痕迹")
C1=$(add desk1 赵六 "同一批次，我也买到了")
for a in claim screen accept start; do
	$W --user alice rule "$C2" $a >/dev/null || not_ok "alice $a"
done
$W --user bob rule "$C3" claim >/dev/null || not_ok "bob claim"
$W --user bob rule "$C3" need-info "缺少订单截图" >/dev/null || not_ok "need-info"
statements() { q "SELECT count(*) FROM statements s JOIN cases c ON c.id = s.case_id WHERE c.number = '$1'"; }
status() { q "SELECT status FROM cases WHERE number = '$1'"; }

# ---- a desk on another desk's case ----
n2=$(statements "$C2")
expect_rc 1 "a desk cannot add a note to a case another desk registered" $W --user desk1 rule "$C2" note "看看"
contains "$err" "registered" "... told it is not a case it registered"
expect_rc 1 "... nor a statement" $W --user desk1 rule "$C2" statement complainant "我改主意了"
equals "$(statements "$C2")" "$n2" "... and nothing was written"
expect_rc 1 "... nor withdraw it" $W --user desk1 rule "$C2" withdraw
equals "$(status "$C2")" "in_mediation" "... which stays in mediation"
expect_rc 1 "... nor open its report track" $W --user desk1 rule "$C2" report
expect_rc 1 "... nor mark its materials received" $W --user desk1 rule "$C3" info-received
equals "$(status "$C3")" "need_info" "... which still waits for them"
printf '聊天记录\n' > "$TMP/chat.txt"
expect_rc 1 "... nor attach evidence to it" $W --user desk1 evidence add "$C2" "$TMP/chat.txt" --kind chat --party complainant
equals "$(q "SELECT count(*) FROM evidence")" "0" "... and no evidence was kept"
expect_rc 1 "... nor read it" $W --user desk1 case show "$C2"
expect_rc 1 "... nor, with a stale --expect-version," $W --user desk1 rule "$C2" note "看看" --expect-version 1
lacks "$err" "changed by" "... learn who changed it last"
expect_rc 0 "the desk that registered it adds a note" $W --user desk2 rule "$C2" note "消费者来电补充"
expect_rc 0 "... and attaches evidence" $W --user desk2 evidence add "$C2" "$TMP/chat.txt" --kind chat --party complainant

# ---- a mediator on another mediator's case ----
expect_rc 1 "a mediator cannot attach evidence to another's case" $W --user bob evidence add "$C2" "$TMP/chat.txt" --kind chat --party complainant
contains "$err" "assigned to alice" "... told whose it is"
expect_rc 0 "the assigned mediator can" $W --user alice evidence add "$C2" "$TMP/chat.txt" --kind chat --party respondent

# ---- collective groups ----
expect_rc 1 "a desk cannot group another desk's cases" $W --user desk1 group create "假酒" "$C1" "$C2"
equals "$(q "SELECT count(*) FROM case_groups")" "0" "... and no group was made"
expect_rc 0 "a supervisor groups desk2's cases" $W --user sam group create "同批次假酒" "$C2" "$C3" "$C4" --facts "2026年2月同一批次"
G=$out
expect_rc 0 "desk1 joins its own complaint to the group" $W --user desk1 group join "$G" "$C1"
run $W --user desk1 group show "$G" --json
equals "$(json '[m["number"] for m in d["members"]]')" "['$C1']" "the desk's group show lists only the member it registered"
run $W --user desk1 group show "$G"
contains "$out" "$C1" "... in the text form too"
for c in "$C2" "$C3" "$C4"; do
	lacks "$out" "$c" "... without $c"
done
lacks "$out" "alice" "... nor another member's assignee"
# A withdrawal for the group needs each member's consent: the desk records
# its own complainant's.
expect_rc 0 "a desk records its own member's consent" $W --user desk1 group consent "$G" "$C1" withdraw --reason "书面申请撤回"
expect_rc 1 "... not another desk's member's" $W --user desk1 group consent "$G" "$C2" withdraw
run $W --user desk1 group rule "$G" withdraw --preview
lacks "$out" "$C2" "a desk's group preview does not list other desks' members"
expect_rc 0 "a desk's group withdrawal rules on its own member" $W --user desk1 group rule "$G" withdraw
contains "$out" "1 of 1 members" "... and only on it"
lacks "$out" "$C2" "... naming no other member"
equals "$(status "$C2") $(status "$C3") $(status "$C4")" "in_mediation need_info received" "... the others are as they were"
equals "$(status "$C1")" "withdrawn" "... its own is withdrawn"
expect_rc 1 "a desk cannot take another desk's case out of the group" $W --user desk1 group leave "$C2"
equals "$(q "SELECT count(*) FROM cases WHERE group_id IS NOT NULL")" "4" "... which stays in it"
expect_rc 1 "nor join another desk's case to a group" $W --user desk1 group join "$G" "$C4"

# Shared facts and evidence: supervisors, and desks and mediators with a
# case they may change in the group.
C5=$(add desk2 吴十 "另一批次")
expect_rc 0 "a group of desk2's cases only" $W --user sam group create "另一批" "$C5" --facts "原事实"
G2=$out
printf '批次号 20260201\n' > "$TMP/batch.txt"
expect_rc 1 "a desk with no case in a group cannot replace its facts" $W --user desk1 group facts "$G2" "改写"
expect_rc 1 "... nor attach shared evidence" $W --user desk1 group evidence "$G2" "$TMP/batch.txt" --kind photo
expect_rc 1 "... nor read it" $W --user desk1 group show "$G2"
expect_rc 1 "a mediator with no case in the group cannot replace its facts" $W --user alice group facts "$G2" "改写"
contains "$err" "no case you may change" "... told why"
expect_rc 1 "... nor attach shared evidence" $W --user alice group evidence "$G2" "$TMP/batch.txt" --kind photo
equals "$(q "SELECT facts FROM case_groups WHERE id = ${G2#G}")" "原事实" "the facts are as they were"
equals "$(q "SELECT count(*) FROM group_evidence")" "0" "... and there is no shared evidence"
expect_rc 0 "the mediator of a member replaces the facts" $W --user alice group facts "$G" "经鉴定为假冒"
expect_rc 0 "the desk that registered a member attaches shared evidence" $W --user desk2 group evidence "$G2" "$TMP/batch.txt" --kind photo
expect_rc 0 "a supervisor replaces any group's facts" $W --user sid group facts "$G2" "新事实"

# ---- two-level review ----
R=$(add desk2 孙七 "退款不到账")
$W --user sam rule "$R" assign bob >/dev/null
$W --user bob rule "$R" not-accept time-barred >/dev/null
$W --user bob rule "$R" submit >/dev/null
expect_rc 1 "send-back needs a comment" $W --user sam rule "$R" send-back ""
expect_rc 1 "... not blanks" $W --user sam rule "$R" send-back "   "
equals "$(status "$R")" "first_review" "... and the case stays in review"
expect_rc 0 "a first reviewer approves" $W --user sue rule "$R" approve
expect_rc 1 "the first reviewer cannot do the final review" $W --user sue rule "$R" approve
contains "$err" "first review" "... told why"
equals "$(status "$R")" "final_review" "... the case waits for another"
expect_rc 0 "another supervisor closes it" $W --user sid rule "$R" approve
equals "$(status "$R")" "closed" "... closed"
S=$(add desk2 周八 "假货")
$W --user sam rule "$S" claim >/dev/null
$W --user sam rule "$S" not-accept outside-remit >/dev/null
$W --user sam rule "$S" submit >/dev/null
$W --user sue rule "$S" approve >/dev/null
expect_rc 1 "the submitter cannot do the final review either" $W --user sam rule "$S" approve

# ---- received times and case numbers ----
before=$(q "SELECT count(*) FROM cases")
expect_rc 2 "case add has no --received-at to backdate with" $W --user desk1 case add --case-type complaint --case-category quality --consumer 钱九 --merchant 某店 --statement 投诉 --received-at 1999-01-01T00:00:00Z
printf 'type,category,consumer_name,merchant_name,statement,received_at\n' > "$TMP/h.csv"
cp "$TMP/h.csv" "$TMP/old.csv"
cp "$TMP/h.csv" "$TMP/future.csv"
printf 'complaint,quality,钱九,某店,投诉,1999-01-01T00:00:00Z\n' >> "$TMP/old.csv"
printf 'complaint,quality,钱九,某店,投诉,2099-01-01T00:00:00Z\n' >> "$TMP/future.csv"
expect_rc 1 "a desk cannot import a case received in 1999" $W --user desk1 import "$TMP/old.csv" --reason "旧系统"
contains "$err" "administrator" "... told it is an administrator's import"
expect_rc 1 "nor one received in 2099" $W --user desk1 import "$TMP/future.csv"
expect_rc 1 "an administrator cannot import one received in 2099" $W import "$TMP/future.csv" --reason "旧系统"
contains "$err" "future" "... told it is in the future"
expect_rc 1 "nor backdate without a reason" $W import "$TMP/old.csv"
contains "$err" "--reason" "... told to give one"
equals "$(q "SELECT count(*) FROM cases")" "$before" "nothing was imported"
expect_rc 0 "an administrator imports an old case with a reason" $W import "$TMP/old.csv" --reason "从旧登记簿迁移"
equals "$(q "SELECT json_extract(e.details, '\$.args.received_at_reason') FROM events e JOIN cases c ON c.id = e.case_id WHERE e.action = 'create' AND c.received_at = '1999-01-01T00:00:00Z'")" "从旧登记簿迁移" "... the reason is in its audit event"

bad_number() {
	printf 'number,type,category,consumer_name,merchant_name,statement\n%s,complaint,quality,甲,店,好\n' "$2" > "$TMP/n.csv"
	expect_rc 1 "import refuses a CSV case number that is $1" $W import "$TMP/n.csv"
	contains "$err" "field number: not a case number" "... naming the field"
	lacks "$err" "$(printf '\033')" "... without an escape character"
}
bad_number "a path" "../../etc/x"
bad_number "an escape sequence" "$(printf 'WQ-2026-\033[2J01')"
bad_number "too short" "WQ-2026-1"
printf '[{"number":"../../etc/x","type":"complaint","category":"quality","consumer_name":"甲","merchant_name":"店","statement":"好"}]' > "$TMP/n.json"
expect_rc 1 "import refuses a JSON case number that is a path" $W import "$TMP/n.json"
equals "$(q "SELECT number FROM cases" | grep -cvE '^WQ-[0-9]{4}-[0-9]{6}$')" "0" "every case number has the one shape"
expect_rc 1 "case show refuses a number that is a path" $W case show "../../etc/x"
contains "$err" "not a case number" "... saying so"
expect_rc 1 "a ruling refuses a number holding an escape sequence" $W --user sam rule "$(printf 'WQ-2026-\033]0;x\007')" note x
lacks "$err" "$(printf '\033')" "... without echoing it"

done_testing
