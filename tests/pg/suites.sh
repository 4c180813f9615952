#!/bin/sh
# make check-pg: the suites once more, on PostgreSQL.  One throwaway
# cluster (tests/pg/cluster.sh) serves the whole run; every test in
# TESTS... that tests/sqlite_only does not name whole runs with
# WQ_TEST_BACKEND=postgresql and WQ_PG_URI set, so that its fresh
# databases are made there (tests/cli/lib.sh: fresh_db; the unit tests'
# tests/unit/fixture.c).  Each runs as pg-suite/TEST.pg
# (tests/pg/run_on_pg.sh), so its log and result sit beside the SQLite
# run's, in pg-suite/, and count like them.  The cluster is stopped and
# removed at the end whatever happens.
# Usage, from the build directory: suites.sh MAKE TESTS...
make_cmd=$1
shift
srcdir=${WQ_SRCDIR:?}
. "$srcdir/tests/pg/cluster.sh"

# listed TEST: true when tests/sqlite_only keeps TEST whole off PostgreSQL
# (a line of the test, or a pattern, and no PART).
listed() {
	awk '!/^#/ && NF >= 2 && $2 == "-" { print $1 }' "$srcdir/tests/sqlite_only" |
		while read -r pattern; do
			case $1 in
			$pattern) echo yes ;;
			esac
		done | grep -q yes
}

chosen=
for t in "$@"; do
	listed "$t" || chosen="$chosen pg-suite/$t.pg"
done

pg_start
case $? in
0) ;;
1) echo "check-pg: $pg_skip_reason" >&2; exit 77 ;;
*) echo "check-pg: the PostgreSQL cluster would not start" >&2; exit 1 ;;
esac
WQ_TEST_BACKEND=postgresql
export WQ_TEST_BACKEND

# Make's own -j and the like reach the inner make through MAKEFLAGS.
$make_cmd check TESTS="$chosen" TEST_SUITE_LOG=pg-suite/test-suite.log
rc=$?
pg_stop
exit $rc
