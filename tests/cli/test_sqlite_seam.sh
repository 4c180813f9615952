#!/bin/sh
# No database outside its driver: no file of src/, include/ or screens/
# but the SQLite driver's own (src/store_sqlite.c, src/store_sqlite.h,
# src/store_sqlite_fts5.c) includes sqlite3.h (or the driver's header,
# which includes it) or names a sqlite3 type, function or constant
# (sqlite3, sqlite3_*, SQLITE_*, FTS5's fts5_*, Fts5* and FTS5_*); and
# none but PostgreSQL's (src/store_pg.c, src/store_pg.h) includes libpq's
# header or names a libpq call or type (PQ*, PGconn, PGresult, ...).  The
# rest of the core speaks to the store through its own statement API
# (weiquan/store.h), which both drivers serve.  Only code counts: a
# comment or a message may name the `sqlite3` shell.  Prints file:line
# for each finding.
. "$(dirname "$0")/lib.sh"

SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}

if ! command -v perl >/dev/null; then
	echo "1..0 # SKIP perl is not installed"
	exit 0
fi

# seam_lint sqlite|libpq FILE...: prints "file:line: what" for every
# finding of that database's names.
seam_lint() {
	perl -e '
use strict; use warnings;
my $db = shift @ARGV;
my ($inc, $names) = $db eq "libpq"
	? (qr/libpq|store_pg\.h/, qr/\b(PQ[a-z]\w*|PG(?:conn|result|notify|cancel)|ConnStatusType|ExecStatusType|PGTransactionStatusType)\b/)
	: (qr/sqlite3|store_sqlite/, qr/\b(sqlite3\w*|SQLITE_\w+|fts5_\w+|Fts5\w+|FTS5_\w+)\b/);
for my $file (@ARGV) {
	open(my $fh, "<", $file) or die "$file: $!";
	local $/; my $c = <$fh>; close $fh;
	# Comments, string and character literals become spaces (their
	# newlines kept, so lines still count); an #include keeps its name.
	my ($out, $i, $n) = ("", 0, length $c);
	while ($i < $n) {
		my $two = substr($c, $i, 2);
		my $ch = substr($c, $i, 1);
		if ($ch eq "#" && substr($c, $i) =~ /^#\s*include\s*[<"][^>"\n]*[>"]/) {
			$out .= $&; $i += length $&; next;
		}
		if ($two eq "//") {
			my $e = index($c, "\n", $i); $e = $n if $e < 0;
			$out .= " " x ($e - $i); $i = $e; next;
		}
		if ($two eq "/*") {
			my $e = index($c, "*/", $i + 2); $e = $n - 2 if $e < 0;
			(my $gap = substr($c, $i, $e + 2 - $i)) =~ s/[^\n]/ /g;
			$out .= $gap; $i = $e + 2; next;
		}
		if ($ch eq "\"" || $ch eq "\x27") {
			my $j = $i + 1;
			while ($j < $n && substr($c, $j, 1) ne $ch && substr($c, $j, 1) ne "\n") {
				$j++ if substr($c, $j, 1) eq "\\"; $j++;
			}
			(my $gap = substr($c, $i, $j + 1 - $i)) =~ s/[^\n]/ /g;
			$out .= $gap; $i = $j + 1; next;
		}
		$out .= $ch; $i++;
	}
	my $line = 0;
	for my $l (split /\n/, $out, -1) {
		$line++;
		if ($l =~ /^\s*#\s*include\s*[<"]([^>"]*$inc[^>"]*)[>"]/) {
			print "$file:$line: includes $1\n";
			next;
		}
		while ($l =~ /$names/g) {
			print "$file:$line: $1\n";
		}
	}
}
' "$@"
}

# ---- the lint itself catches what it should (files made for it) ----
cat >"$TMP/sample.c" <<'EOF'
/* A comment may name the sqlite3 shell, sqlite3_open() or <sqlite3.h>. */
#include "config.h"
#include <sqlite3.h>
// and so may this one: sqlite3_exec
static const char *msg = "run sqlite3_analyzer on it";
static int planted(void *db)
{
	return sqlite3_exec(db, "VACUUM", 0, 0, 0) == SQLITE_OK;
}
static int typed(sqlite3 *db) { return db != 0; }
static char q = '"'; static int after_quote(void) { return sqlite3_changes(0); }
static fts5_api *api;
EOF
cat >"$TMP/sample.h" <<'EOF'
#include "store_sqlite.h"
#include "sqlite3ext.h"
/* sqlite3 */
EOF
run seam_lint sqlite "$TMP/sample.c" "$TMP/sample.h"
contains "$out" "sample.c:3: includes sqlite3.h" "the lint finds #include <sqlite3.h>"
contains "$out" "sample.c:8: sqlite3_exec" "... a planted sqlite3_ call"
contains "$out" "sample.c:8: SQLITE_OK" "... a SQLITE_ constant"
contains "$out" "sample.c:10: sqlite3" "... the sqlite3 type"
contains "$out" "sample.c:11: sqlite3_changes" "... a call after a character literal of a quote"
contains "$out" "sample.c:12: fts5_api" "... FTS5's types"
contains "$out" "sample.h:2: includes sqlite3ext.h" "... #include \"sqlite3ext.h\""
contains "$out" "sample.h:1: includes store_sqlite.h" "... the SQLite driver's header"
lacks "$out" "sample.c:1:" "... nor what a /* comment */ says"
lacks "$out" "sample.c:4:" "... nor a // comment"
lacks "$out" "sample.c:5:" "... nor a message"
lacks "$out" "sample.h:3:" "... nor a comment in a header"
cat >"$TMP/sample_pq.c" <<'EOF'
/* PQexec() is libpq's; a comment may say so. */
#include <libpq-fe.h>
static void planted(PGconn *conn) { PQclear(PQexec(conn, "SELECT 1")); }
static const char *msg = "PQexec failed";
EOF
run seam_lint libpq "$TMP/sample_pq.c"
contains "$out" "sample_pq.c:2: includes libpq-fe.h" "libpq: #include <libpq-fe.h>"
contains "$out" "sample_pq.c:3: PGconn" "... a libpq type"
contains "$out" "sample_pq.c:3: PQexec" "... a planted PQ call"
lacks "$out" "sample_pq.c:1:" "... but not a comment"
lacks "$out" "sample_pq.c:4:" "... nor a message"

# ---- the core, its headers and the screens ----
# seam_check DB DRIVER_FILE...: the sources but DB's driver's files, linted
# for DB's names.
seam_check() {
	db=$1
	shift
	files=
	for f in "$SRC"/src/*.c "$SRC"/src/*.h "$SRC"/src/*.inc \
		"$SRC"/include/weiquan/*.h "$SRC"/screens/*.c "$SRC"/screens/*.h \
		"$SRC"/screens/*.def; do
		[ -f "$f" ] || continue
		case " $* " in
		*" ${f#"$SRC"/} "*) continue ;;
		esac
		files="$files $f"
	done
	[ -n "$files" ] || not_ok "the sources are found" "in $SRC"
	run seam_lint "$db" $files
	if [ -z "$out" ] && [ "$rc" = 0 ]; then
		ok "no $db type, call or header outside its driver"
	else
		not_ok "no $db type, call or header outside its driver" \
			"$(printf '%s\n' "$out" | sed "s|^$SRC/||")" "$err"
	fi
}
seam_check sqlite src/store_sqlite.c src/store_sqlite.h src/store_sqlite_fts5.c
seam_check libpq src/store_pg.c src/store_pg.h

done_testing
