#!/bin/sh
# make bench: builds a demo database of $BENCH_CASES cases (default
# 1,000,000) and one of 2,000, each then kept by `weiquan worker --once`
# (its queue read and its search index merged, as the worker of an
# installation keeps it), and prints how long the build and the
# queue, search and ruling paths take, then each console step's response
# through a pty on both (tests/bench/console_steps.py, the SQLite files
# read into the page cache first, as a server in service holds them) with
# the pages of SQLite the lists behind those steps read
# (tests/bench/queue_pages.sh, with strace), and the CPU of 20 consoles idle and busy
# (tests/bench/idle_consoles.py); then imports
# generated files of 10,000 and $BENCH_IMPORT_ROWS (default 1,000,000)
# cases, each into a fresh database, and prints the rows per second of
# each: an import that stays linear imports both at about the same rate.
# Figures, not pass/fail: this is not a test.  The console steps record
# notes on the cases they open, so a kept database grows by a few events
# a run, and the idle and busy consoles' run adds 120 notes to the
# smaller one.
#
# BENCH_BACKENDS (default "sqlite postgresql") names the databases the
# queue, search, ruling and console figures are taken on.  PostgreSQL's
# are the same two databases copied (tests/bench/pg_copy.sh: `weiquan
# demo` there makes a few dozen cases a second) into a cluster of the
# script's own, started on a Unix socket and stopped at the end as
# tests/pg/cluster.sh does, its data kept in $BENCH_DIR/pg with the SQLite
# files (a copy is made once); the two sets of figures are then printed
# side by side (tests/bench/beside.py).  BENCH_PG_SOURCE names another
# SQLite file to copy for the large size instead of building one: it is
# only read (the sqlite3 shell, read-only), so that size gets PostgreSQL's
# figures only, and BENCH_BACKENDS=postgresql then builds no large SQLite
# database at all.  Without PostgreSQL's server installed, SQLite's
# figures alone are printed.
set -e
weiquan=$1
bench_queries=$2
bench_find=$3
pg_search_docs=$4
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
cases=${BENCH_CASES:-1000000}
small_cases=${BENCH_SMALL_CASES:-2000}
backends=${BENCH_BACKENDS:-sqlite postgresql}
dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/weiquan-bench.XXXXXX")}
db="$dir/bench.db"
small="$dir/bench-$small_cases.db"
pg_source=${BENCH_PG_SOURCE:-$db}

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
	# Then kept as an installation's worker keeps it: its queue read
	# and its search index merged (weiquan worker, while idle).
	start=$(date +%s.%N)
	"$weiquan" --db "$1" worker --once
	end=$(date +%s.%N)
	awk -v n="$2" -v s="$start" -v e="$end" \
		'BEGIN { printf "worker --once, %d cases (its queue, the index merged): %.1f s\n", n, e - s }'
}

# resident WHEN FILE...: how much of each file is in the page cache
# (fincore, util-linux).
resident() {
	when=$1
	shift
	if command -v fincore >/dev/null 2>&1; then
		fincore -b -n -o RES,SIZE,FILE "$@" | awk -v when="$when" '{ printf "in the page cache %s: %d of %d MB of %s\n", when, $1 / 1048576, $2 / 1048576, $3 }'
	fi
}

# hold FILE...: reads the files into the page cache and keeps them there
# while the steps run (vmtouch -l, in the background until release), and
# says how much of each is there when the steps begin.  A machine may take
# back pages left unread for a while (this one's DAMON pages out what has
# not been read for a minute), and the steps would then time the disk,
# not the console.  Without vmtouch the files are read once.
holder=
hold() {
	if command -v vmtouch >/dev/null 2>&1; then
		rm -f "$dir/vmtouch.pid"
		vmtouch -q -l -d -w -m 64G -P "$dir/vmtouch.pid" "$@" &&
			holder=$(cat "$dir/vmtouch.pid")
	fi
	if [ -z "$holder" ]; then
		echo "the files are read once, not held in memory (no vmtouch, or it could not lock them)"
		cat "$@" >/dev/null
	fi
	resident "as the steps begin" "$@"
}
release() {
	[ -z "$holder" ] || kill "$holder" 2>/dev/null || :
	holder=
}

has() { case " $backends " in *" $1 "*) return 0 ;; esac; return 1; }
load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"; }

# ---- PostgreSQL: a cluster of the benchmark's own ----
pg_dir=
pg_sock=
pg_exit_hook=
. "$srcdir/tests/pg/cluster.sh"

bench_stop() {
	release
	bench_pg_stop
}

bench_pg_stop() {
	[ -n "$pg_sock" ] || return 0
	pg_as "$WQ_PG_BIN/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || :
	rm -rf "$pg_sock"
	pg_sock=
}

# Starts the cluster in $dir/pg/data (made by initdb the first time, as
# tests/pg/cluster.sh makes its own), serving only a Unix socket in a short
# new directory; sets pg_base (the URI up to the database's name) and
# pg_query (after it).  Returns 1 when PostgreSQL's server is not
# installed.
bench_pg_start() {
	WQ_PG_BIN=$(pg_bindir) || return 1
	if [ "$(id -u)" = 0 ] && ! command -v runuser >/dev/null 2>&1; then
		return 1
	fi
	mkdir -p "$dir/pg"
	if [ ! -f "$dir/pg/data/PG_VERSION" ]; then
		rm -rf "$dir/pg/data"
		od -An -N8 -tx1 /dev/urandom | tr -d ' \n' | sed 's/^/wq-/' \
			>"$dir/pg/password"
		echo >>"$dir/pg/password"
		chmod 600 "$dir/pg/password"
		if [ "$(id -u)" = 0 ]; then
			# initdb refuses root: the cluster is nobody's.
			chmod o+x "$dir"
			chown nobody "$dir/pg"
			cp "$dir/pg/password" "$dir/pg/pwfile"
			chown nobody "$dir/pg/pwfile"
		else
			cp "$dir/pg/password" "$dir/pg/pwfile"
		fi
		pg_as "$WQ_PG_BIN/initdb" -D "$dir/pg/data" -U weiquan -E UTF8 \
			--locale=C.UTF-8 --auth-local=scram-sha-256 \
			--auth-host=reject --pwfile="$dir/pg/pwfile" \
			>"$dir/pg/initdb.log" 2>&1 || {
			cat "$dir/pg/initdb.log" >&2
			return 2
		}
		rm -f "$dir/pg/pwfile"
	fi
	# A socket's path has room for about 100 bytes.
	pg_sock=$(mktemp -d /tmp/wq-pg.XXXXXX)
	[ "$(id -u)" != 0 ] || chown nobody "$pg_sock"
	trap 'bench_stop' EXIT
	trap 'exit 130' INT TERM HUP
	pg_as "$WQ_PG_BIN/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w \
		-o "-c listen_addresses='' -c unix_socket_directories='$pg_sock' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=${BENCH_PG_SHARED_BUFFERS:-1GB}" \
		start >/dev/null 2>&1 || {
		tail -n 20 "$dir/pg/server.log" >&2
		return 2
	}
	pg_base="postgresql://weiquan:$(cat "$dir/pg/password")@"
	pg_query="host=$pg_sock"
}

pg_uri() { echo "$pg_base/$1?$pg_query"; }

# Copies SQLite file $2 into PostgreSQL database $1 once (a copy that
# failed half-way is made again), then migrates it as build() does.
pg_copied() {
	if [ ! -f "$dir/pg/$1.copied" ]; then
		PGOPTIONS="-c client_min_messages=warning" \
			psql -X -q -v ON_ERROR_STOP=1 "$(pg_uri postgres)" \
			-c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
		start=$(date +%s.%N)
		show=1
		[ "$2" = "$db" ] || [ "$2" = "$small" ] || show=0
		PG_COPY_SHOW=$show sh "$srcdir/tests/bench/pg_copy.sh" \
			"$weiquan" "$pg_search_docs" "$2" "$(pg_uri "$1")"
		awk -v s="$start" -v e="$(date +%s.%N)" -v f="$2" \
			'BEGIN { printf "PostgreSQL copy of %s: %.1f s\n", f, e - s }'
		echo "$2" >"$dir/pg/$1.copied"
	fi
	"$weiquan" --db "$(pg_uri "$1")" init >/dev/null
}

if has sqlite || [ "$pg_source" = "$db" ]; then
	build "$db" "$cases"
fi
build "$small" "$small_cases"
if has postgresql; then
	if [ -z "$pg_search_docs" ] || ! bench_pg_start; then
		echo "PostgreSQL's server (Debian: postgresql) is not installed: SQLite's figures only"
		backends=sqlite
	else
		pg_copied bench "$pg_source"
		pg_copied bench_small "$small"
	fi
fi

# The queue, search and ruling figures of each database, then side by
# side.
for backend in $backends; do
	if [ "$backend" = sqlite ]; then
		big=$db
	else
		big=$(pg_uri bench)
	fi
	[ "$backend" != sqlite ] || has sqlite || continue
	echo "== $backend: queue, search and ruling, $(load)"
	"$bench_queries" "$big" "$(id -un)" | tee "$dir/queries-$backend.txt"
	[ -z "$bench_find" ] || "$bench_find" "$big" "$(id -un)" |
		tee -a "$dir/queries-$backend.txt"
done
if has sqlite && has postgresql && [ "$pg_source" = "$db" ]; then
	echo "== the figures side by side, $(load)"
	python3 "$srcdir/tests/bench/beside.py" \
		"$dir/queries-sqlite.txt" "$dir/queries-postgresql.txt"
fi
for backend in $backends; do
	echo "== $backend: the console, $(load)"
	if [ "$backend" = sqlite ]; then
		# The files are held in memory while the steps run (hold,
		# above): a server in service keeps its database's pages in
		# memory, while after a build of an hour (or on a machine that
		# reclaims idle page cache) most are on disk, and the steps
		# would time the disk's reads.  queue_pages.sh below gives what
		# the lists read, in pages.
		trap 'bench_stop' EXIT
		trap 'exit 130' INT TERM HUP
		hold "$small" "$db"
		python3 "$srcdir/tests/bench/console_steps.py" --runs "${BENCH_RUNS:-3}" \
			"$weiquan" "$small_cases=$small" "$cases=$db"
		resident "after the steps" "$small" "$db"
		release
		# what the lists behind those steps read, in pages
		sh "$srcdir/tests/bench/queue_pages.sh" "$weiquan" "$small"
		sh "$srcdir/tests/bench/queue_pages.sh" "$weiquan" "$db"
	else
		python3 "$srcdir/tests/bench/console_steps.py" --runs "${BENCH_RUNS:-3}" \
			"$weiquan" "$small_cases=$(pg_uri bench_small)" \
			"$(psql -X -A -t "$(pg_uri bench)" -c "SELECT count(*) FROM cases")=$(pg_uri bench)"
	fi
done
bench_pg_stop
if ! has sqlite; then
	echo "databases kept in $dir"
	exit 0
fi
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
