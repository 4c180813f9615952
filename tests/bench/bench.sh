#!/bin/sh
# make bench: builds a demo database of $BENCH_CASES cases (default
# 1,000,000) and prints how long the build and the queue, search and ruling
# paths take.  Figures, not pass/fail: this is not a test.
set -e
weiquan=$1
bench_queries=$2
bench_find=$3
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
cases=${BENCH_CASES:-1000000}
dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/weiquan-bench.XXXXXX")}
db="$dir/bench.db"

if [ ! -f "$db" ]; then
	WEIQUAN_DATADIR="$srcdir/data" "$weiquan" --db "$db" init >/dev/null
	start=$(date +%s.%N)
	"$weiquan" --db "$db" demo --cases "$cases" >/dev/null
	end=$(date +%s.%N)
	awk -v n="$cases" -v s="$start" -v e="$end" -v b="$(stat -c %s "$db")" \
		'BEGIN { printf "demo build, %d cases: %.1f s (%d MB)\n", n, e - s, b / 1048576 }'
fi
# A database kept from an older build is migrated first.
"$weiquan" --db "$db" init >/dev/null
"$bench_queries" "$db" "$(id -un)"
[ -z "$bench_find" ] || "$bench_find" "$db" "$(id -un)"
echo "console output per keystroke, 80x24 through a pty (a mediator's queue):"
python3 "$srcdir/tests/bench/keystroke_bytes.py" "$weiquan" "$db" \
	"$(sqlite3 "$db" "SELECT login FROM users WHERE role = 'mediator' LIMIT 1")"
echo "database kept in $dir"
