#!/bin/sh
# make bench: builds a demo database of $BENCH_CASES cases (default
# 1,000,000) and one of 2,000, and prints how long the build and the
# queue, search and ruling paths take, then each console step's response
# through a pty on both (tests/bench/console_steps.py) and the CPU of 20
# consoles idle and busy (tests/bench/idle_consoles.py); then imports
# generated files of 10,000 and $BENCH_IMPORT_ROWS (default 1,000,000)
# cases, each into a fresh database, and prints the rows per second of
# each: an import that stays linear imports both at about the same rate.
# Figures, not pass/fail: this is not a test.  The console steps record
# notes on the cases they open, so a kept database grows by a few events
# a run, and the idle and busy consoles' run adds 120 notes to the
# smaller one.
set -e
weiquan=$1
bench_queries=$2
bench_find=$3
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
cases=${BENCH_CASES:-1000000}
small_cases=${BENCH_SMALL_CASES:-2000}
dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/weiquan-bench.XXXXXX")}
db="$dir/bench.db"
small="$dir/bench-$small_cases.db"

build() {
	if [ ! -f "$1" ]; then
		WEIQUAN_DATADIR="$srcdir/data" "$weiquan" --db "$1" init >/dev/null
		start=$(date +%s.%N)
		"$weiquan" --db "$1" demo --cases "$2" >/dev/null
		end=$(date +%s.%N)
		awk -v n="$2" -v s="$start" -v e="$end" -v b="$(stat -c %s "$1")" \
			'BEGIN { printf "demo build, %d cases: %.1f s (%d MB)\n", n, e - s, b / 1048576 }'
	fi
	# A database kept from an older build is migrated first.
	"$weiquan" --db "$1" init >/dev/null
}

build "$db" "$cases"
build "$small" "$small_cases"
"$bench_queries" "$db" "$(id -un)"
[ -z "$bench_find" ] || "$bench_find" "$db" "$(id -un)"
python3 "$srcdir/tests/bench/console_steps.py" --runs "${BENCH_RUNS:-3}" \
	"$weiquan" "$small_cases=$small" "$cases=$db"
# What 20 open consoles cost while idle and while a mediator records four
# notes a second (each console reloads only what the notes concern).
python3 "$srcdir/tests/bench/idle_consoles.py" "$weiquan" "$small"

# CPU seconds of this shell's children so far (on a shared machine the
# wall clock also measures the neighbours).  `times` runs in this shell,
# not in a command substitution's, whose children are not these.
children_cpu() {
	times >"$dir/times"
	awk 'NR == 2 { split($1, u, "m"); split($2, s, "m");
		print u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$dir/times"
}

import_rows=${BENCH_IMPORT_ROWS:-1000000}
for rows in 10000 "$import_rows"; do
	file="$dir/import-$rows.csv"
	idb="$dir/import-$rows.db"
	[ -f "$file" ] || python3 "$srcdir/tests/bench/make_import.py" "$rows" >"$file"
	rm -f "$idb" "$idb-wal" "$idb-shm" "$idb.lock"
	WEIQUAN_DATADIR="$srcdir/data" "$weiquan" --db "$idb" init >/dev/null
	children_cpu >"$dir/cpu-before"
	start=$(date +%s.%N)
	"$weiquan" --db "$idb" import --reason "benchmark" "$file" >/dev/null
	end=$(date +%s.%N)
	children_cpu >"$dir/cpu-after"
	cpu=$(awk 'NR == FNR { a = $1; next } { print $1 - a }' "$dir/cpu-before" "$dir/cpu-after")
	awk -v n="$rows" -v s="$start" -v e="$end" -v c="$cpu" -v b="$(stat -c %s "$file")" \
		'BEGIN { printf "import, %d cases (%d MB of CSV): %.1f s, %.0f rows/s; %.1f s of CPU, %.0f rows per CPU second\n", n, b / 1048576, e - s, n / (e - s), c, n / c }'
	rm -f "$idb" "$idb-wal" "$idb-shm" "$idb.lock" "$dir/times" "$dir/cpu-before" "$dir/cpu-after"
done
echo "databases and import files kept in $dir"
