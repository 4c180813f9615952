#!/bin/sh
# The console on PostgreSQL in a real terminal (tmux, 80x24): on the same
# demo as a SQLite file (same seed, same clock) the queue, a case, a
# ruling from the case (release) and the dashboard draw the same screens,
# and the ruling is written as on SQLite.
# Runs on a throwaway cluster (tests/pg/cluster.sh); skipped without one
# or without tmux.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../e2e/tmux.sh"
. "$(dirname "$0")/cluster.sh"
pg_console_begin 2026-11-20T10:00:00Z

# screens NAME DB: the supervisor's console on DB, its screens in
# $TMP/NAME-*.screen.
screens() {
	name=$1 db=$2
	$WEIQUAN --db "$db" init >/dev/null || not_ok "$name: init"
	$WEIQUAN --db "$db" demo --cases 30 --seed 3 >/dev/null || not_ok "$name: demo"
	console "$name" 80 24 "$WEIQUAN" --db "'$db'" --user chen.jie
	see "$name" "all cases" "$name: the console opens on the queue"
	see "$name" "WQ-2026-0000" "$name: ... listing cases"
	screen_of "$name" >"$TMP/$name-queue.screen"
	keys "$name" Enter
	see "$name" "Evidence" "$name: Enter opens the first case"
	screen_of "$name" >"$TMP/$name-case.screen"
	first=$(sed -n '1s/^\(WQ-[0-9-]*\).*/\1/p' "$TMP/$name-case.screen")
	keys "$name" -
	see "$name" "v3  unassigned" "$name: - releases the case"
	screen_of "$name" >"$TMP/$name-released.screen"
	keys "$name" q
	see "$name" "by due" "$name: q goes back to the queue"
	keys "$name" D
	see "$name" "Cases by status" "$name: D opens the dashboard"
	screen_of "$name" >"$TMP/$name-dashboard.screen"
	$WEIQUAN --db "$db" case show "$first" --json >"$TMP/$name-case.json"
	tmx kill-session -t "$name"
}

screens lite "$TMP/lite.db"
screens pg "$WQ_PG_URI"

for s in queue case released dashboard; do
	equals "$(cat "$TMP/pg-$s.screen")" "$(cat "$TMP/lite-$s.screen")" \
		"the $s screen is the same on PostgreSQL"
done
equals "$(cat "$TMP/pg-case.json")" "$(cat "$TMP/lite-case.json")" \
	"the ruling from the console is written the same"
contains "$(cat "$TMP/pg-case.json")" '"assignee":null' "... the case is unassigned"

pg_stop
done_testing
