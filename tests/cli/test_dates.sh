#!/bin/sh
# Working days are Beijing dates whatever the zone of the process: the same
# events, written by a program running with TZ Asia/Shanghai,
# America/Los_Angeles or UTC, give the same days of receipt, due dates,
# case numbers and dashboard days (the report triggers included).  An
# installation that records another offset counts on its own dates.
. "$(dirname "$0")/lib.sh"

export LC_ALL=C.UTF-8
unset LANGUAGE

# scenario ZONE DB: prints "due_on of the new case; due_on after accepting;
# the number of a case received on New Year's Eve at 17:00 UTC; the
# dashboard's intake days".
scenario() {
	local W="$WEIQUAN --db $2" n
	export TZ=$1
	WEIQUAN_NOW=2026-09-29T08:00:00Z $W init >/dev/null 2>&1 || echo "init failed"
	WEIQUAN_NOW=2026-09-29T08:00:00Z $W user add med --role mediator >/dev/null
	# 17:00 UTC on the 29th is 01:00 on the 30th in Beijing.
	n=$(WEIQUAN_NOW=2026-09-29T17:00:00Z $W case add --case-type complaint \
		--case-category quality --consumer 甲 --merchant 乙旗舰店 \
		--statement 屏幕坏了)
	out=$($W case show "$n" --json)
	printf '%s ' "$(json 'd["due_on"]')"
	WEIQUAN_NOW=2026-10-09T01:00:00Z $W --user med rule "$n" claim >/dev/null
	WEIQUAN_NOW=2026-10-09T01:00:00Z $W --user med rule "$n" screen >/dev/null
	# 17:00 UTC on 9 October is Saturday the 10th in Beijing, an adjusted
	# working day of the 2026 schedule.
	WEIQUAN_NOW=2026-10-09T17:00:00Z $W --user med rule "$n" accept >/dev/null
	out=$($W case show "$n" --json)
	printf '%s ' "$(json 'd["clock"]'):$(json 'd["due_on"]')"
	WEIQUAN_NOW=2026-12-31T17:00:00Z $W case add --case-type complaint \
		--case-category quality --consumer 丙 --merchant 乙旗舰店 \
		--statement 没发货 | tr '\n' ' '
	out=$(WEIQUAN_NOW=2026-10-09T17:00:00Z $W report --json)
	json '",".join(day for day, n in zip(d["daily"]["days"], d["daily"]["intake"]) if n)'
}

SH=$(fresh_db sh)
shanghai=$(scenario Asia/Shanghai "$SH")
equals "$shanghai" "2026-10-15 mediation:2026-12-11 WQ-2027-000001 2026-09-30" \
	"in Beijing: received on the 30th, accepted on the adjusted Saturday, next year's number"
equals "$(scenario America/Los_Angeles "$(fresh_db la)")" "$shanghai" \
	"a process in Los Angeles counts the same Beijing dates"
equals "$(scenario UTC "$(fresh_db utc)")" "$shanghai" \
	"... and one on UTC"

# Writers in different zones on one database: the dashboard's days are the
# same Beijing days.
W="$WEIQUAN --db $SH"
for zone in America/Los_Angeles UTC Asia/Tokyo; do
	TZ=$zone WEIQUAN_NOW=2026-09-29T16:30:00Z run $W case add --case-type complaint \
		--case-category quality --consumer "丁$zone" --merchant 乙旗舰店 \
		--statement 屏幕坏了
done
TZ=America/Los_Angeles WEIQUAN_NOW=2026-10-09T17:00:00Z run $W report --json
equals "$(json 'd["daily"]["intake"][d["daily"]["days"].index("2026-09-30")]')" "4" \
	"the dashboard counts every writer's case on its Beijing day of receipt"
equals "$(json 'd["daily"]["intake"][d["daily"]["days"].index("2026-09-29")]')" "0" \
	"... none on the day before"

# The dashboard's drill-down lists what a day's figure counts: the cases
# received on that Beijing day, whatever the zone of the process listing
# them (case list and export --received-from/--received-to).
for zone in UTC America/Los_Angeles; do
	TZ=$zone run $W case list --status all --received-from 2026-09-30 \
		--received-to 2026-09-30 --json
	equals "$(json 'len(d["cases"])')" "4" \
		"TZ=$zone: case list --received-from/--received-to the 30th lists the day's four"
	TZ=$zone run $W case list --status all --received-from 2026-09-29 \
		--received-to 2026-09-29 --json
	equals "$(json 'len(d["cases"])')" "0" "... and none on the 29th"
	TZ=$zone run $W export --format json --status all \
		--received-from 2026-09-30 --received-to 2026-09-30
	equals "$(json 'len(d["cases"]) if isinstance(d, dict) else len(d)')" "4" \
		"... and export the same four"
done

# An installation on another fixed offset (Xinjiang time, UTC+6).
XJ=$(fresh_db xj)
W="$WEIQUAN --db $XJ"
TZ=Asia/Shanghai WEIQUAN_NOW=2026-09-29T08:00:00Z run $W init
db_sql "$XJ" "INSERT INTO settings(key, value) VALUES ('utc_offset', '+06:00')"
TZ=Asia/Shanghai WEIQUAN_NOW=2026-09-29T17:00:00Z run $W case add --case-type complaint \
	--case-category quality --consumer 戊 --merchant 乙旗舰店 --statement 屏幕坏了
TZ=Asia/Shanghai run $W case show "$out" --json
equals "$(json 'd["due_on"]')" "2026-10-14" \
	"an installation on UTC+6 receives it on the 29th, its own date"
TZ=Asia/Shanghai WEIQUAN_NOW=2026-09-29T17:30:00Z run $W report --json
equals "$(json '[day for day, n in zip(d["daily"]["days"], d["daily"]["intake"]) if n]')" "['2026-09-29']" \
	"... and so do its dashboard's triggers"

# An offset that does not parse is Beijing's, for the core and the triggers
# alike, rather than a database that refuses every new case.
db_sql "$XJ" "UPDATE settings SET value = 'Xinjiang' WHERE key = 'utc_offset'"
TZ=UTC WEIQUAN_NOW=2026-09-29T17:00:00Z expect_rc 0 "a bad offset does not stop intake" \
	$W case add --case-type complaint --case-category quality --consumer 己 \
	--merchant 乙旗舰店 --statement 屏幕坏了
TZ=UTC run $W case show "$out" --json
equals "$(json 'd["due_on"]')" "2026-10-15" "... and counts Beijing dates"
TZ=UTC WEIQUAN_NOW=2026-09-29T17:30:00Z run $W report --json
equals "$(json '[day for day, n in zip(d["daily"]["days"], d["daily"]["intake"]) if n]')" "['2026-09-29', '2026-09-30']" \
	"... in the dashboard too"

done_testing
