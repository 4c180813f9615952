#!/bin/sh
# The cases behind the dashboard's figures from the command line: case
# list and export with the drill-down filters select exactly what each
# figure counts; malformed values are refused with a clear message.
. "$(dirname "$0")/lib.sh"
DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
$W init >/dev/null
$W demo --cases 200 --seed 3 >/dev/null
run $W --user chen.jie report --json
echo "$out" >"$TMP/r.json"
r() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$TMP/r.json" "$1"
}
yesterday=$(python3 -c 'import datetime, sys; print(datetime.date.fromisoformat(sys.argv[1]) - datetime.timedelta(days=1))' "$(r 'd["today"]')")
listed() {
	run $W --user chen.jie case list --limit 10000 --json "$@"
	json 'len(d["cases"])'
}

clock=$(r 'max(d["due"]["clocks"], key=lambda c: c["overdue"])["clock"]')
equals "$(listed --status all --clock "$clock" --due-to "$yesterday")" \
	"$(r "[c['overdue'] for c in d['due']['clocks'] if c['clock'] == '$clock'][0]")" \
	"--clock with --due-to lists the clock's overdue cases"
equals "$(listed --status all --due-to "$yesterday")" "$(r 'd["due"]["all"]["overdue"]')" \
	"--due-to alone: overdue over every clock"
day=$(r 'd["due"]["forecast_days"][0]')
equals "$(listed --status all --due-from "$(r 'd["today"]')" --due-to "$(r 'd["today"]')")" \
	"$(r 'd["due"]["all"]["due_today"]')" "a day's range: the cases due today"
merchant=$(r 'd["merchants"]["top"][0]["id"]')
equals "$(listed --status all --type complaint --merchant-id "$merchant")" \
	"$(r 'd["merchants"]["top"][0]["complaints"]')" "--merchant-id: the merchant's complaints"
flag=$(r 'list(d["open_by_flag"])[0]')
equals "$(listed --flag "$flag")" "$(r "d['open_by_flag']['$flag']")" "--flag: the open cases flagged"
run $W --user chen.jie export --status open --flag "$flag"
equals "$(printf '%s' "$out" | python3 -c 'import csv, sys; print(len(list(csv.reader(sys.stdin))) - 1)')" \
	"$(r "d['open_by_flag']['$flag']")" "export takes the same filters"

expect_rc 1 "an unknown flag is refused" $W case list --flag no-such-flag
contains "$err" "'no-such-flag' is not a flag" "... saying which"
expect_rc 1 "a date that is none is refused" $W case list --due-to 2026-02-30
contains "$err" "'2026-02-30' is not a date" "... saying which"
expect_rc 1 "export refuses it too" $W export --received-from 20261201
expect_rc 2 "--merchant-id takes a number" $W case list --merchant-id abc
contains "$err" "--merchant-id" "... naming the option"
done_testing
