#!/bin/sh
# make bench: builds a demo database of $BENCH_CASES cases (default
# 1,000,000) and prints how long the build and the queue, search and ruling
# paths take; then imports generated files of 10,000 and $BENCH_IMPORT_ROWS
# (default 1,000,000) cases, each into a fresh database, and prints the
# rows per second of each: an import that stays linear imports both at
# about the same rate.  Figures, not pass/fail: this is not a test.
set -e
weiquan=$1
bench_queries=$2
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
echo "console output per keystroke, 80x24 through a pty (a mediator's queue):"
python3 "$srcdir/tests/bench/keystroke_bytes.py" "$weiquan" "$db" \
	"$(sqlite3 "$db" "SELECT login FROM users WHERE role = 'mediator' LIMIT 1")"

import_rows=${BENCH_IMPORT_ROWS:-1000000}
for rows in 10000 "$import_rows"; do
	file="$dir/import-$rows.csv"
	idb="$dir/import-$rows.db"
	[ -f "$file" ] || python3 "$srcdir/tests/bench/make_import.py" "$rows" >"$file"
	rm -f "$idb" "$idb-wal" "$idb-shm" "$idb.lock"
	WEIQUAN_DATADIR="$srcdir/data" "$weiquan" --db "$idb" init >/dev/null
	start=$(date +%s.%N)
	"$weiquan" --db "$idb" import "$file" >/dev/null
	end=$(date +%s.%N)
	awk -v n="$rows" -v s="$start" -v e="$end" -v b="$(stat -c %s "$file")" \
		'BEGIN { printf "import, %d cases (%d MB of CSV): %.1f s, %.0f rows/s\n", n, b / 1048576, e - s, n / (e - s) }'
	rm -f "$idb" "$idb-wal" "$idb-shm" "$idb.lock"
done
echo "databases and import files kept in $dir"
