#!/bin/sh
# Several cases in one write from the command line: a supervisor assigns
# ten cases to another mediator at once, each case gets its own assign
# event; a closed case and an unknown number among them are refused on
# their own and the rest still change; a mediator claims and releases in
# bulk; a mediator may not assign; rulings on the merits are not offered
# in bulk; bad usage is exit 2.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db b)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-02T09:00:00Z
export LC_ALL=C.UTF-8
unset LANGUAGE

expect_rc 0 "init" $W init
for u in "alice mediator" "bob mediator" "sam supervisor" "tom supervisor"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
for i in $(seq 1 12); do
	$W case add --case-type complaint --case-category refund \
		--consumer "张三$i" --merchant 某店 --statement "商家拒绝退款" >/dev/null ||
		not_ok "case add $i"
done
C=WQ-2026-000012
$W --user sam rule $C assign alice >/dev/null || not_ok "assign $C"
for r in "screen" "not-accept time-barred 超过三年" "submit 请审核"; do
	# shellcheck disable=SC2086
	$W --user alice rule $C $r >/dev/null || not_ok "rule $r"
done
$W --user sam rule $C approve >/dev/null || not_ok "first review"
$W --user tom rule $C approve >/dev/null || not_ok "final review"
run $W case show $C --json
equals "$(json 'd["status"]')" "closed" "the twelfth case is closed"

TEN=$(seq -f 'WQ-2026-%06g' 1 10)
before=$(db_sql "$DB" "SELECT count(*) FROM events")
# shellcheck disable=SC2086
expect_rc 0 "a supervisor assigns ten cases to alice in one command" \
	$W --user sam case assign --to alice $TEN
contains "$out" "10 of 10 cases ruled on" "... and is told all ten were"
equals "$(db_sql "$DB" "SELECT count(*) FROM events")" "$((before + 10))" \
	"... ten new events"
equals "$(db_sql "$DB" "SELECT count(DISTINCT case_id) FROM events WHERE id > $before AND action = 'assign' AND actor = 'sam'")" \
	"10" "... one assign event on each case, by the supervisor"
equals "$(db_sql "$DB" "SELECT count(*) FROM cases WHERE assignee = 'alice' AND id <= 10")" \
	"10" "... the ten are alice's"

before=$(db_sql "$DB" "SELECT count(*) FROM events")
# shellcheck disable=SC2086
expect_rc 1 "moving them to bob with a closed case and an unknown number among them" \
	$W --user sam case assign --to bob $TEN $C WQ-2026-000099
contains "$out" "$C       refused" "... the closed case is refused"
contains "$out" "WQ-2026-000099       refused" "... the unknown number too"
contains "$out" "10 of 12 cases ruled on" "... the other ten are moved"
equals "$(db_sql "$DB" "SELECT count(*) FROM events WHERE id > $before AND action = 'assign'")" \
	"10" "... with an event each, none for the refused"
equals "$(db_sql "$DB" "SELECT count(*) FROM cases WHERE assignee = 'bob'")" \
	"10" "... the ten are bob's"
equals "$(db_sql "$DB" "SELECT status || ' ' || assignee FROM cases WHERE number = '$C'")" \
	"closed alice" "... the closed case is as it was"

expect_rc 0 "bob releases two of his cases at once" \
	$W --user bob case release WQ-2026-000001 WQ-2026-000002
equals "$(db_sql "$DB" "SELECT count(*) FROM cases WHERE assignee IS NULL AND id <= 2")" \
	"2" "... both are free"
expect_rc 1 "alice claims them and one of bob's" \
	$W --user alice case claim WQ-2026-000001 WQ-2026-000002 WQ-2026-000003
contains "$out" "2 of 3 cases ruled on" "... bob's stays his"
equals "$(echo $(db_sql "$DB" "SELECT coalesce(assignee, '-') FROM cases WHERE id <= 3 ORDER BY id"))" \
	"alice alice bob" "... in the database"
expect_rc 0 "a supervisor flags two cases" \
	$W --user sam case flag --flag collective WQ-2026-000004 WQ-2026-000005
equals "$(db_sql "$DB" "SELECT count(*) FROM events WHERE action = 'flag'")" \
	"2" "... an event each"

expect_rc 1 "a mediator may not assign in bulk either" \
	$W --user alice case assign --to alice WQ-2026-000006 WQ-2026-000007
contains "$out" "0 of 2 cases ruled on" "... both refused"
expect_rc 2 "assign without --to is bad usage" \
	$W --user sam case assign WQ-2026-000006
expect_rc 2 "claim without a number is bad usage" $W --user alice case claim
expect_rc 0 "the chain still verifies" $W audit verify

done_testing
