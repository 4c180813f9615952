#!/bin/sh
# make bench: builds a demo database of $BENCH_CASES cases (default
# 1,000,000) and one of 2,000, and prints how long the build and the
# queue, search and ruling paths take, then each console step's response
# through a pty on both (tests/bench/console_steps.py).  Figures, not
# pass/fail: this is not a test.  The console steps record notes on the
# cases they open, so a kept database grows by a few events a run.
set -e
weiquan=$1
bench_queries=$2
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
python3 "$srcdir/tests/bench/console_steps.py" --runs "${BENCH_RUNS:-3}" \
	"$weiquan" "$small_cases=$small" "$cases=$db"
echo "databases kept in $dir"
