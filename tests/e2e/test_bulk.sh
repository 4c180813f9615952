#!/bin/sh
# A supervisor moves ten cases to another mediator in one action at 80x24:
# space marks each case (the count shows, each marked number shows "*"),
# : asks what to do with them, the assignee picker shows each mediator's
# load, one confirmation, and the status line sums it up; a closed case
# marked too is refused on its own.  The database has an assign event on
# each of the ten, and none on the closed one.  Then in zh_CN: the same
# keys, the summary in Chinese.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
for u in "alice mediator" "bob mediator" "sam supervisor" "tom supervisor"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
for i in $(seq 1 13); do
	$W case add --case-type complaint --case-category refund \
		--consumer "张三$i" --merchant 某店 --statement "商家拒绝退款" >/dev/null ||
		not_ok "case add $i"
done
# shellcheck disable=SC2046
$W --user sam case assign --to alice $(seq -f 'WQ-2026-%06g' 1 13) >/dev/null ||
	not_ok "assign to alice"
# the last case waits in final review: no clock, last in the queue
C=WQ-2026-000013
for r in "screen" "not-accept time-barred 超过三年" "submit 请审核"; do
	# shellcheck disable=SC2086
	$W --user alice rule $C $r >/dev/null || not_ok "rule $r"
done
$W --user sam rule $C approve >/dev/null || not_ok "first review of $C"

console q 80 24 $W --user sam
see q "all cases" "the supervisor's queue"
keys q Space
see q "1 marked" "space marks a case and the count shows"
see q "* 2026-000001" "... the marked number shows its mark"
keys q Space Space Space Space Space Space Space Space Space
see q "10 marked" "nine more marked"
keys q G Space
see q "11 marked" "... and the last, in final review"
# another session closes it meanwhile
$W --user tom rule $C approve >/dev/null || not_ok "close $C"
before=$(db_sql "$DB" "SELECT max(id) FROM events")
wait_gone q "$C"
keys q :
see q "11 marked cases" ": asks what to do with the marked cases"
keys q 2
see q "bob  0 open, 0 overdue" "assign: the picker shows each one's load"
see q "alice  12 open" "... alice's too"
keys q 2
see q "11 cases?" "one confirmation for all of them"
keys q y
see q "10 assigned, 1 refused: $C" "the status line sums it up, naming the refusal"
see q "1 marked" "... the refused case keeps its mark"
equals "$(db_sql "$DB" "SELECT count(DISTINCT case_id) FROM events WHERE id > $before AND action = 'assign' AND actor = 'sam' AND details LIKE '%\"argv\":[\"bob\"%'")" \
	"10" "the database has an assign event on each of the ten"
equals "$(db_sql "$DB" "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE e.id > $before AND c.number = '$C'")" \
	"0" "... and none on the closed case"
equals "$(db_sql "$DB" "SELECT count(*) FROM cases WHERE assignee = 'bob'")" \
	"10" "... ten cases are bob's"
keys q :
see q "Unmark all" "the refused case's mark can be dropped"
keys q 5
wait_gone q "marked"
lacks "$(screen_of q | sed -n 2p)" "marked" "... and is"
keys q Q

# zh_CN: marks, the same keys, the summary in Chinese, from the
# catalogue make built.
SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
mkdir -p "$TMP/locale/zh_CN/LC_MESSAGES"
if [ -f locale/zh_CN.gmo ]; then
	cp locale/zh_CN.gmo "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo"
else
	msgfmt -o "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo" "$SRC/locale/zh_CN.po"
fi
export WEIQUAN_LOCALEDIR="$TMP/locale"
console z 80 24 env WEIQUAN_LOCALEDIR="$TMP/locale" LANGUAGE=zh_CN LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 \
	$W --user sam
see z "全部案件" "the Chinese queue"
keys z Space Space
see z "已标记 2 件" "two marked, counted in Chinese"
keys z :
see z "已标记 2 件案件" "... what to do with them, asked in Chinese"
keys z 2
see z "alice" "the assignee picker"
keys z 1
see z "共 2 件案件？" "one confirmation, in Chinese"
keys z y
see z "已指派 2 件" "the summary in Chinese"
equals "$(db_sql "$DB" "SELECT count(*) FROM cases WHERE assignee = 'bob'")" \
	"8" "... two fewer cases are bob's"
keys z Q

done_testing
