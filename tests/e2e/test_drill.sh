#!/bin/sh
# The dashboard's drill-down in a real terminal (tmux) at 80x24: Tab
# selects a figure, Enter opens the queue on exactly the cases it counts
# (the queue's count equals the figure: overdue on a clock and over all
# clocks, a day of the breach forecast, a mediator's open and overdue
# cases, the intake, a merchant's complaints, a flag), q goes back to the
# figure, and e writes the figure's cases as CSV to the receipt directory.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W demo --cases 300 --seed 5 >/dev/null
export HOME="$TMP/home"
mkdir -p "$HOME"
run $W --user chen.jie report --json
echo "$out" >"$TMP/report.json"

# fig KIND [ARG]: "TABS EXPECTED" for a figure: how many Tabs from the
# first figure select it (figures run in reading order: the status bars,
# each clock's overdue/today/soon and the total's, the forecast days, each
# clock's forecast, each mediator's open/overdue/today and the
# unassigned, the intake, the merchants, categories, regions, types,
# flags) and the number the dashboard shows.
fig() {
	python3 - "$TMP/report.json" "$@" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
kind = sys.argv[2]
S = len(r["by_status"])
clocks = r["due"]["clocks"]
nc = len(clocks)
meds = r["mediators"]
after_due = S + 3 * (nc + 1) + 10 + nc
after_med = after_due + 3 * len(meds) + 1
merchants = r["merchants"]["top"]
if kind == "clock-overdue":
    i = max(range(nc), key=lambda i: clocks[i]["overdue"])
    print(S + 3 * i + 1, clocks[i]["overdue"], clocks[i]["clock"])
elif kind == "all-overdue":
    print(S + 3 * nc + 1, r["due"]["all"]["overdue"], "-")
elif kind == "forecast":
    f = r["due"]["all"]["forecast"]
    k = max(range(10), key=lambda k: f[k])
    print(S + 3 * (nc + 1) + k + 1, f[k], r["due"]["forecast_days"][k])
elif kind in ("mediator-open", "mediator-overdue"):
    j = max(range(len(meds)), key=lambda j: meds[j]["open"])
    extra = 1 if kind == "mediator-open" else 2
    print(after_due + 3 * j + extra,
          meds[j]["open" if extra == 1 else "overdue"], meds[j]["login"])
elif kind == "intake":
    print(after_med + 1, sum(r["daily"]["intake"]), "-")
elif kind == "merchant":
    print(after_med + 1 + 1, merchants[0]["complaints"], merchants[0]["name"])
elif kind == "flag":
    regions = [k for k in list(r["open_by_region"])[:12] if k]
    n = after_med + 1 + len(merchants) + len(r["open_by_category"]) \
        + len(regions) + len(r["open_by_type"])
    flag, count = list(r["open_by_flag"].items())[0]
    print(n + 1, count, flag)
EOF
}

# The count the queue's second line shows ("51 cases  by due ...").
queue_count() {
	screen_of d | sed -n 2p | sed -n 's/^\([0-9+]*\) cases.*/\1/p'
}

at=0
# drill KIND DESCRIPTION: selects the figure, opens its cases, compares.
drill() {
	set -- $(fig "$1") "$2"
	local tabs=$1 want=$2 what=$4
	while [ "$at" -lt "$tabs" ]; do
		keys d Tab
		at=$((at + 1))
	done
	keys d Enter
	if wait_for d " cases  by"; then
		equals "$(queue_count)" "$want" "$what: the queue counts the figure's $want cases"
	else
		not_ok "$what: the queue opens" "$(screen_of d)"
	fi
	keys d q
	wait_for d "lines " || not_ok "$what: q goes back to the dashboard" "$(screen_of d)"
}

console d 80 24 $W --user chen.jie
see d "all cases" "the supervisor's console opens on the queue"
keys d D
see d "Cases by status" "D opens the dashboard"
see d "Figure" "the key bar offers selecting a figure"
keys d Enter
see d "select a figure first" "Enter before a figure is selected says what to do"

drill clock-overdue "overdue on the clock with the most"
drill all-overdue "overdue over all clocks"
drill forecast "the forecast's busiest day"
drill mediator-open "the busiest mediator's open cases"
drill mediator-overdue "... and that mediator's overdue cases"
drill intake "the intake of the last 30 days"
# ... newest first: listed in the queue's due order, its first page read
# past the older cases due first
keys d Enter
if wait_for d " cases  by received"; then
	ok "the intake's cases are listed as received"
else
	not_ok "the intake's cases are listed as received" "$(screen_of d)"
fi
keys d q
wait_for d "lines "
set -- $(fig merchant)
drill merchant "the merchant with the most complaints"
keys d Enter
see d "complaints against $3" "the queue's title names the figure"
keys d q
wait_for d "lines "
set -- $(fig flag)
flag_count=$2
drill flag "the first flag's open cases"

# ---- the figure's cases as CSV ----
keys d e
if wait_for d "$flag_count cases (" && wait_for d "written to /"; then
	ok "e writes the selected figure's cases to the receipt directory"
else
	not_ok "e writes a CSV file" "$(screen_of d)"
fi
file=$(ls "$HOME"/weiquan/dashboard-*.csv 2>/dev/null | head -1)
rows=$(python3 -c 'import csv, sys; print(len(list(csv.reader(open(sys.argv[1], newline="")))) - 1)' "$file" 2>/dev/null)
equals "$rows" "$flag_count" "... one row per case the figure counts"
run $W --user chen.jie export --status open --flag "$3"
equals "$(printf '%s' "$out" | python3 -c 'import csv, sys; print(len(list(csv.reader(sys.stdin))) - 1)')" \
	"$flag_count" "weiquan export --flag gives the same cases"

stop_consoles
done_testing
