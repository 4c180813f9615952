#!/bin/sh
# Two application hosts on one PostgreSQL database: each "host" a weiquan
# with its own configuration (its own HOME, XDG directories and TMPDIR, so
# its own keys file, uploads and temporary files).  A supervisor's console
# on host B has a case open; a ruling on host A (its command line) shows
# on B's screen within a second, without a key pressed: B learns of it
# by PostgreSQL's notifications (src/store_pg.c), not by polling the
# tables.  And the other way round, a ruling from B's console is seen by
# host A's command line at once.
# Runs on a throwaway cluster (tests/pg/cluster.sh); skipped without one
# or without tmux.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../e2e/tmux.sh"
. "$(dirname "$0")/cluster.sh"
pg_console_begin 2026-11-20T10:00:00Z

# host NAME COMMAND...: COMMAND as application host NAME.
for h in a b; do
	mkdir -p "$TMP/host-$h/home" "$TMP/host-$h/config" "$TMP/host-$h/data" \
		"$TMP/host-$h/tmp"
done
host() {
	h=$1
	shift
	env HOME="$TMP/host-$h/home" XDG_CONFIG_HOME="$TMP/host-$h/config" \
		XDG_DATA_HOME="$TMP/host-$h/data" TMPDIR="$TMP/host-$h/tmp" "$@"
}

expect_rc 0 "host A makes the database" host a $WEIQUAN --db "$WQ_PG_URI" init
expect_rc 0 "... and fills it" host a $WEIQUAN --db "$WQ_PG_URI" demo --cases 30 --seed 3

console b 80 24 env HOME="$TMP/host-b/home" XDG_CONFIG_HOME="$TMP/host-b/config" \
	XDG_DATA_HOME="$TMP/host-b/data" TMPDIR="$TMP/host-b/tmp" \
	"$WEIQUAN" --db "'$WQ_PG_URI'" --user chen.jie
see b "all cases" "host B's console opens on the queue"
keys b Enter
see b "Evidence" "... and opens the first case"
number=$(screen_of b | sed -n '1s/^\(WQ-[0-9-]*\).*/\1/p')
[ -n "$number" ] && ok "the case on B's screen is $number" || not_ok "a case number on B's screen" "$(screen_of b)"
case $(screen_of b) in
*unassigned*) not_ok "the case is assigned before the ruling" "$(screen_of b)" ;;
*) ok "the case is assigned before the ruling" ;;
esac

# A ruling on host A; B's screen shows it within a second of the commit.
expect_rc 0 "host A releases the case" host a $WEIQUAN --db "$WQ_PG_URI" --user chen.jie rule "$number" release
if wait_for b "unassigned" 1; then
	ok "B's console shows host A's ruling within a second, no key pressed"
else
	not_ok "B's console shows host A's ruling within a second" "$(screen_of b)"
fi

# A ruling from B's console; host A reads it at once.
keys b c
see b "chen.jie" "B claims the case from its console"
host a $WEIQUAN --db "$WQ_PG_URI" case show "$number" --json >"$TMP/a.json"
contains "$(cat "$TMP/a.json")" '"assignee":"chen.jie"' "host A sees B's claim"

stop_consoles
left="$(ls -A "$TMP/host-a/tmp")$(ls -A "$TMP/host-b/tmp")"
[ -z "$left" ] && ok "neither host left temporary files" ||
	not_ok "neither host left temporary files" "$(ls -la "$TMP/host-a/tmp" "$TMP/host-b/tmp")"
pg_stop
done_testing
