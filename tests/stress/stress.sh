#!/bin/sh
# `make stress`: the concurrency stress benchmark and the long crash test.
#
#   stress.sh WEIQUAN STRESS
#
# Builds (or reuses) a 100,000-case demo database in $STRESS_DIR, then on a
# copy of it runs STRESS with 50 and 200 concurrent writers, each on a case
# of its own and all on the same case, and finally the crash test
# (tests/stress/crash.sh) with $CRASH_ITERATIONS iterations.
#
# Environment:
#   STRESS_DIR         where the databases live (default
#                      ${TMPDIR:-/tmp}/weiquan-stress; the 100,000-case
#                      database takes a minute or two to build and is kept)
#   STRESS_CASES       cases in the database (100000)
#   STRESS_RULINGS     rulings per writer (200)
#   STRESS_WRITERS     writer counts ("50 200")
#   STRESS_P99_MS      the p99 commit latency a run must stay under (200;
#                      0: report only)
#   CRASH_ITERATIONS   crash test iterations (200; 0 skips it)
# Exit status 0 only if every run and every crash check passed.
WEIQUAN=${1:?usage: stress.sh WEIQUAN STRESS}
STRESS=${2:?usage: stress.sh WEIQUAN STRESS}
STRESS_DIR=${STRESS_DIR:-${TMPDIR:-/tmp}/weiquan-stress}
STRESS_CASES=${STRESS_CASES:-100000}
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

mkdir -p "$STRESS_DIR" || exit 1
BASE="$STRESS_DIR/base-$STRESS_CASES.db"
WORK="$STRESS_DIR/work.db"

# ---- the database ----
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
# A database kept from an older weiquan is migrated (a no-op when current).
"$WEIQUAN" --db "$BASE" init >/dev/null || exit 1
rm -f "$WORK" "$WORK-wal" "$WORK-shm" "$WORK.lock"
cp "$BASE" "$WORK" || exit 1
echo "Database: $WORK, a copy of $BASE ($(du -m "$BASE" | cut -f1) MB)"
echo "Machine: $(nproc 2>/dev/null || echo '?') CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo

# ---- concurrent writers ----
p99_arg=
[ "$STRESS_P99_MS" != 0 ] && p99_arg="--max-p99 $STRESS_P99_MS"
for writers in $STRESS_WRITERS; do
	for mode in distinct same; do
		# shellcheck disable=SC2086
		if ! "$STRESS" "$WORK" "$writers" "$STRESS_RULINGS" "$mode" \
			$p99_arg; then
			failed=$((failed + 1))
			echo "  FAILED"
		fi
	done
done
rm -f "$WORK" "$WORK-wal" "$WORK-shm" "$WORK.lock"

# ---- the crash test ----
if [ "$CRASH_ITERATIONS" -gt 0 ]; then
	echo
	echo "Crash test: $CRASH_ITERATIONS iterations of kill -9 / SIGHUP"
	start=$(date +%s)
	sh "$here/crash.sh" "$CRASH_ITERATIONS" \
		>"$STRESS_DIR/crash.tap"
	rc=$?
	pass=$(grep -c '^ok ' "$STRESS_DIR/crash.tap")
	fail=$(grep -c '^not ok ' "$STRESS_DIR/crash.tap")
	# The failures with their diagnostics, and the summary lines.
	awk '/^not ok /{show=1} /^ok /{show=0} show' "$STRESS_DIR/crash.tap"
	grep -e 'kills hit' -e 'acknowledged rulings present' \
		"$STRESS_DIR/crash.tap" | tail -n 2
	echo "Crash test: $pass checks passed, $fail failed in" \
		"$(( $(date +%s) - start )) s (TAP in $STRESS_DIR/crash.tap)"
	[ "$rc" = 0 ] && [ "$fail" = 0 ] || failed=$((failed + 1))
fi

echo
if [ "$failed" = 0 ]; then
	echo "stress: all passed"
else
	echo "stress: $failed part(s) FAILED"
	exit 1
fi
