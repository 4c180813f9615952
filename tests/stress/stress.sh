#!/bin/sh
# `make stress`: the concurrency stress benchmark and the long crash test,
# on SQLite and on PostgreSQL, side by side.
#
#   stress.sh WEIQUAN STRESS [PG_SEARCH_DOCS]
#
# SQLite: builds (or reuses) a 100,000-case demo database in $STRESS_DIR,
# then on a copy of it runs STRESS with 50 and 200 concurrent writers,
# each on a case of its own and all on the same case.  PostgreSQL: the
# same on a throwaway cluster (tests/pg/cluster.sh) that starts from a
# copy of a kept one (in $STRESS_DIR too), stopped at the end.  The kept
# cluster holds the SQLite database itself, copied by
# tests/bench/pg_copy.sh (with PG_SEARCH_DOCS, tests/bench/pg_search_docs),
# so both backends are stressed on the same cases; with STRESS_PG_CASES
# set to another size, or without PG_SEARCH_DOCS, `weiquan demo` fills it
# instead.  Then the figures of both in one table, and the crash test
# (tests/stress/crash.sh) with $CRASH_ITERATIONS iterations on each
# backend.
#
# Environment:
#   STRESS_DIR         where the databases live (default
#                      ${TMPDIR:-/tmp}/weiquan-stress; the 100,000-case
#                      database takes a minute or two to build and is kept)
#   STRESS_BACKENDS    "sqlite postgresql" (default); PostgreSQL is skipped,
#                      with a note, when its server is not installed
#   STRESS_CASES       cases in the SQLite database (100000)
#   STRESS_PG_CASES    cases in the PostgreSQL database (default: as
#                      many as SQLite's, copied from it; another number
#                      is filled by `weiquan demo`, which makes 10 to 50
#                      cases a second there on a 2-core machine)
#   STRESS_PG_OPTIONS  the PostgreSQL server's settings for the run
#                      (default below: each commit's WAL is written to the
#                      kernel before it is acknowledged, not fsync'ed, as
#                      SQLite's WAL with synchronous=NORMAL; room for 200
#                      writers)
#   STRESS_PG_PROFILE  1: after each PostgreSQL run, where the time went
#                      while the writers ran: what their sessions were
#                      doing (pg_stat_activity sampled every 20 ms) and
#                      the statements that took the most time
#                      (pg_stat_statements, trigger bodies included)
#   STRESS_RULINGS     rulings per writer (200)
#   STRESS_WRITERS     writer counts ("50 200")
#   STRESS_P99_MS      the p99 commit latency a run must stay under (200;
#                      0: report only)
#   CRASH_ITERATIONS   crash test iterations on each backend (200; 0 skips
#                      it)
# Exit status 0 only if every run and every crash check passed.
WEIQUAN=${1:?usage: stress.sh WEIQUAN STRESS [PG_SEARCH_DOCS]}
STRESS=${2:?usage: stress.sh WEIQUAN STRESS [PG_SEARCH_DOCS]}
PG_SEARCH_DOCS=${3:-}
STRESS_DIR=${STRESS_DIR:-${TMPDIR:-/tmp}/weiquan-stress}
STRESS_BACKENDS=${STRESS_BACKENDS:-sqlite postgresql}
STRESS_CASES=${STRESS_CASES:-100000}
STRESS_PG_CASES=${STRESS_PG_CASES:-$STRESS_CASES}
STRESS_PG_OPTIONS=${STRESS_PG_OPTIONS:--c fsync=off -c synchronous_commit=on -c max_connections=300}
STRESS_PG_PROFILE=${STRESS_PG_PROFILE:-0}
STRESS_RULINGS=${STRESS_RULINGS:-200}
STRESS_WRITERS=${STRESS_WRITERS:-50 200}
STRESS_P99_MS=${STRESS_P99_MS:-200}
CRASH_ITERATIONS=${CRASH_ITERATIONS:-200}
export WEIQUAN TZ=${TZ:-Asia/Shanghai}
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset WEIQUAN_NOW
here=$(cd "$(dirname "$0")" && pwd)
# `weiquan init` loads the calendar and clock rules from the source tree's
# data/ unless told otherwise.
if [ -z "$WEIQUAN_DATADIR" ] && [ -d "$here/../../data" ]; then
	WEIQUAN_DATADIR=$(cd "$here/../../data" && pwd)
	export WEIQUAN_DATADIR
fi
failed=0
FIGURES="$STRESS_DIR/figures"
tested=

mkdir -p "$STRESS_DIR" || exit 1
: >"$FIGURES"
echo "Machine: $(nproc 2>/dev/null || echo '?') CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"

# writers DB BACKEND: the runs of concurrent writers on DB, their figures
# appended to $FIGURES as "BACKEND load1 <stress's figures>".
writers() {
	local p99_arg='' writers mode
	[ "$STRESS_P99_MS" != 0 ] && p99_arg="--max-p99 $STRESS_P99_MS"
	for writers in $STRESS_WRITERS; do
		for mode in distinct same; do
			[ "$2" = postgresql ] && [ "$STRESS_PG_PROFILE" = 1 ] &&
				profile_start
			# shellcheck disable=SC2086
			if ! STRESS_FIGURES="$STRESS_DIR/run" "$STRESS" "$1" \
				"$writers" "$STRESS_RULINGS" "$mode" $p99_arg; then
				failed=$((failed + 1))
				echo "  FAILED"
			fi
			[ "$2" = postgresql ] && [ "$STRESS_PG_PROFILE" = 1 ] &&
				profile_end
			if [ -s "$STRESS_DIR/run" ]; then
				echo "$2 $(cut -d' ' -f1 /proc/loadavg) $(cat "$STRESS_DIR/run")" >>"$FIGURES"
			fi
			rm -f "$STRESS_DIR/run"
		done
	done
}

# psql on the stress database, quietly, values only.
pq() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$WQ_PG_URI" "$@"
}

# The profile of one PostgreSQL run, from the writers' start to their
# end (stress holds its checks until it is taken: STRESS_HOLD): what the
# writers' sessions were doing, sampled by one session in the background,
# and pg_stat_statements.
profile_start() {
	pq -c "SELECT pg_stat_statements_reset()" >/dev/null 2>&1
	rm -f "$STRESS_DIR/waits" "$STRESS_DIR/hold"
	STRESS_HOLD="$STRESS_DIR/hold"
	export STRESS_HOLD
	(
		# One query per sample (each transaction reads
		# pg_stat_activity afresh).
		while [ ! -f "$STRESS_DIR/hold" ]; do
			echo "SELECT CASE WHEN state <> 'active' THEN state
				ELSE coalesce(wait_event_type || ':' || wait_event,
				'running') END FROM pg_stat_activity WHERE
				backend_type = 'client backend'
				AND pid <> pg_backend_pid();"
			sleep 0.02
		done | pq -f - >"$STRESS_DIR/waits" 2>/dev/null
		pq -F '  ' -c "SELECT round(total_exec_time)::bigint, calls,
			round(mean_exec_time::numeric, 3),
			left(regexp_replace(query, '\s+', ' ', 'g'), 100)
			FROM pg_stat_statements ORDER BY total_exec_time DESC
			LIMIT 12" >"$STRESS_DIR/statements" 2>&1
		rm -f "$STRESS_DIR/hold"
	) &
	profile_pid=$!
}

profile_end() {
	# Should stress have failed before its writers were done.
	touch "$STRESS_DIR/hold"
	wait "$profile_pid"
	unset STRESS_HOLD
	echo "  what the writers' sessions were doing (share of samples;" \
		"idle in transaction: waiting for the client):"
	sort "$STRESS_DIR/waits" | uniq -c | sort -rn | head -n 8 |
		awk -v n="$(wc -l <"$STRESS_DIR/waits")" \
			'{ c = $1; $1 = ""; printf "    %5.1f%%%s\n", 100 * c / n, $0 }'
	echo "  statements by total time (ms total, calls, ms mean):"
	sed 's/^/    /' "$STRESS_DIR/statements"
}

# The SQLite demo database, built once and kept; a database kept from an
# older weiquan is migrated (a no-op when current).
BASE="$STRESS_DIR/base-$STRESS_CASES.db"
sqlite_base() {
	if [ ! -f "$BASE" ]; then
		echo "Building a $STRESS_CASES-case demo database in $BASE ..."
		rm -f "$BASE.new" "$BASE.new-wal" "$BASE.new-shm" "$BASE.new.lock"
		start=$(date +%s)
		if ! "$WEIQUAN" --db "$BASE.new" init >/dev/null ||
			! "$WEIQUAN" --db "$BASE.new" demo --cases "$STRESS_CASES"; then
			echo "stress: could not build the demo database" >&2
			exit 1
		fi
		mv "$BASE.new" "$BASE" && rm -f "$BASE.new.lock"
		echo "... in $(( $(date +%s) - start )) s."
	fi
	"$WEIQUAN" --db "$BASE" init >/dev/null || exit 1
}

# ---- SQLite ----
case " $STRESS_BACKENDS " in
*" sqlite "*)
	tested="$tested sqlite"
	WORK="$STRESS_DIR/work.db"
	sqlite_base
	rm -f "$WORK" "$WORK-wal" "$WORK-shm" "$WORK.lock"
	cp "$BASE" "$WORK" || exit 1
	echo
	echo "SQLite: $WORK, a copy of $BASE ($(du -m "$BASE" | cut -f1) MB, $STRESS_CASES cases)"
	writers "$WORK" sqlite
	rm -f "$WORK" "$WORK-wal" "$WORK-shm" "$WORK.lock"
	;;
esac

# ---- PostgreSQL ----
case " $STRESS_BACKENDS " in
*" postgresql "*)
	. "$here/../pg/cluster.sh"
	pg_copies=0
	if [ "$STRESS_PG_CASES" = "$STRESS_CASES" ] && [ -x "$PG_SEARCH_DOCS" ]; then
		pg_copies=1
		PG_BASE="$STRESS_DIR/pg-copy-$STRESS_CASES"
	else
		PG_BASE="$STRESS_DIR/pg-base-$STRESS_PG_CASES"
	fi
	WQ_PG_OPTIONS=$STRESS_PG_OPTIONS
	[ "$STRESS_PG_PROFILE" = 1 ] && WQ_PG_OPTIONS="$WQ_PG_OPTIONS -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
	export WQ_PG_OPTIONS
	# A cluster kept by another PostgreSQL release is made again.
	if [ -f "$PG_BASE/data/PG_VERSION" ] && bin=$(pg_bindir) &&
		[ "$(cat "$PG_BASE/data/PG_VERSION")" != "$("$bin/postgres" -V |
			sed 's/.* \([0-9]*\)\..*/\1/')" ]; then
		rm -rf "$PG_BASE"
	fi
	if [ ! -f "$PG_BASE/password" ]; then
		pg_start
		case $? in
		0)
			echo
			start=$(date +%s)
			if [ "$pg_copies" = 1 ]; then
				sqlite_base
				echo "Copying $BASE into PostgreSQL, kept in $PG_BASE ..."
				fill() {
					sh "$here/../bench/pg_copy.sh" "$WEIQUAN" \
						"$PG_SEARCH_DOCS" "$BASE" "$WQ_PG_URI"
				}
			else
				echo "Building a $STRESS_PG_CASES-case demo database on PostgreSQL, kept in $PG_BASE ..."
				fill() {
					"$WEIQUAN" --db "$WQ_PG_URI" init >/dev/null &&
						"$WEIQUAN" --db "$WQ_PG_URI" demo \
							--cases "$STRESS_PG_CASES"
				}
			fi
			if ! fill || ! pg_keep "$PG_BASE"; then
				echo "stress: could not build the PostgreSQL demo database" >&2
				rm -rf "$PG_BASE"
				exit 1
			fi
			pg_stop
			echo "... in $(( $(date +%s) - start )) s."
			;;
		1)
			echo
			echo "PostgreSQL: SKIPPED: $pg_skip_reason"
			;;
		*)
			echo "stress: the PostgreSQL cluster would not start" >&2
			exit 1
			;;
		esac
	fi
	if [ -f "$PG_BASE/password" ]; then
		WQ_PG_TEMPLATE=$PG_BASE pg_start ||
			{ echo "stress: the PostgreSQL cluster would not start" >&2; exit 1; }
		tested="$tested postgresql"
		"$WEIQUAN" --db "$WQ_PG_URI" init >/dev/null || exit 1
		pq -c "CREATE EXTENSION IF NOT EXISTS amcheck" >/dev/null 2>&1
		[ "$STRESS_PG_PROFILE" = 1 ] &&
			pq -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
		echo
		echo "PostgreSQL $(pq -c 'SHOW server_version'): a copy of $PG_BASE ($(du -sm "$PG_BASE/data" | cut -f1) MB, $STRESS_PG_CASES cases); synchronous_commit=$(pq -c 'SHOW synchronous_commit'), fsync=$(pq -c 'SHOW fsync')"
		writers "$WQ_PG_URI" postgresql
		pg_stop
	fi
	;;
esac

# ---- side by side ----
if [ -s "$FIGURES" ]; then
	echo
	echo "Commit latency (ms) and throughput, $STRESS_RULINGS rulings per writer:"
	printf '%-10s %7s %-8s %8s %9s %7s %7s %8s %8s %6s %5s\n' backend writers \
		cases rulings rulings/s p50 p90 p99 max errors load
	# shellcheck disable=SC2034
	while read -r backend load n mode ok secs rate p50 p90 p99 max errs; do
		printf '%-10s %7s %-8s %8s %9s %7s %7s %8s %8s %6s %5s\n' \
			"$backend" "$n" "$mode" "$ok" "$rate" "$p50" "$p90" \
			"$p99" "$max" "$errs" "$load"
	done <"$FIGURES"
fi

# ---- the crash test ----
if [ "$CRASH_ITERATIONS" -gt 0 ]; then
	for backend in $tested; do
		echo
		echo "Crash test on $backend: $CRASH_ITERATIONS iterations of kill -9 / SIGHUP"
		start=$(date +%s)
		tap="$STRESS_DIR/crash-$backend.tap"
		CRASH_BACKEND=$backend sh "$here/crash.sh" "$CRASH_ITERATIONS" >"$tap"
		rc=$?
		pass=$(grep -c '^ok ' "$tap")
		fail=$(grep -c '^not ok ' "$tap")
		# The failures with their diagnostics, and the summary lines.
		awk '/^not ok /{show=1} /^ok /{show=0} show' "$tap"
		grep -e 'kills hit' -e 'acknowledged rulings present' \
			"$tap" | tail -n 2
		echo "Crash test on $backend: $pass checks passed, $fail failed in" \
			"$(( $(date +%s) - start )) s (TAP in $tap)"
		[ "$rc" = 0 ] && [ "$fail" = 0 ] || failed=$((failed + 1))
	done
fi

echo
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
if [ "$failed" = 0 ]; then
	echo "stress: all passed"
else
	echo "stress: $failed part(s) FAILED"
	exit 1
fi
