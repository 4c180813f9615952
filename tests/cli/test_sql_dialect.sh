#!/bin/sh
# The core's SQL is one dialect that runs unchanged on SQLite 3.40 and on
# PostgreSQL 15.  This test scans the SQL strings of src/*.c (all but the two
# drivers and the two schema files, which speak their own database's SQL),
# and of the core's own headers (src/*.h, whose macros hold SQL), for what
# only SQLite understands, and prints file:line for each.
#
# The common dialect:
#  1. Placeholders ?N.  Integers bound as int64, text as text; a text
#     parameter is never compared with an integer column or the reverse
#     (bind the right type, or CAST(?N AS INTEGER)).
#  2. No JSON functions on C values (json_object, json_array, json_patch,
#     json_quote, json_group_array/_object, json(), json_set, json_type,
#     json_each(?N), json_extract(?N, ...)): JSON is built and parsed in C
#     with Jansson.
#  3. A stored JSON column is read only as json_extract(column, '$.key') or
#     '$.key.key': object keys, no array index, no bare '$'.  On PostgreSQL
#     the result is TEXT (numbers as digits, true/false as 'true'/'false',
#     objects as JSON text, missing or null as NULL): compare it with text or
#     CAST it AS INTEGER; never rely on SQLite's 1/0 for true/false.
#     json_each over a column, json_array_length, json_type move to C.
#  4. CASE WHEN ... END, not iif().
#  5. INSERT ... ON CONFLICT DO NOTHING / DO UPDATE SET col = excluded.col,
#     not INSERT OR IGNORE / INSERT OR REPLACE / REPLACE INTO.
#  6. a IS [NOT] DISTINCT FROM b, not a IS [NOT] b (IS [NOT] NULL stays).
#  7. greatest(a, b) / least(a, b), not max(a, b) / min(a, b) (the SQLite
#     driver registers both with PostgreSQL's meaning).
#  8. No strftime(), date(), time(), datetime(), julianday(), unixepoch(),
#     'now': times are computed in C (src/wqtime.c) and bound.  ISO-8601
#     text compares as text; substr(x, 1, 10) is the day.
#  9. group_concat(x, sep), instr(a, b) and wq_sha256(text) exist on both;
#     group_concat's order is not guaranteed: order in C where it matters.
# 10. A comparison is a boolean, not a number: CASE WHEN c THEN 1 ELSE 0 END
#     where a number is wanted; WHERE (flags & 4) <> 0, not WHERE flags & 4.
# 11. None of rowid, last_insert_rowid(), changes(), total_changes(),
#     sqlite_master/sqlite_schema, PRAGMA, ATTACH, GLOB, typeof(), LIMIT -1,
#     "double-quoted" string literals, LIKE relying on ASCII case folding
#     (lower() both sides), || on a number without CAST(.. AS TEXT),
#     INDEXED BY, NOT INDEXED, the -> and ->> operators.
#     In DO UPDATE SET, the row's own column is table.col (a bare col is
#     ambiguous on PostgreSQL), the new one excluded.col.
# 12. A new row's id comes back from INSERT ... RETURNING id.
# 13. Full-text search goes through the store's own calls, never MATCH or
#     search_index in a module.
# 14. A parameter tested with IS [NOT] NULL is cast to its type there:
#     CAST(?N AS TEXT) IS NULL.  PostgreSQL cannot tell the type of a NULL
#     parameter from IS NULL alone, not even when a later "col = ?N" could.
#
# A scan sees the string literals only (adjacent literals joined, as the
# compiler joins them); rules 1, 9, 10 and parts of 11 (literal quoting,
# LIKE, || on numbers) are beyond it and stay the reviewer's.
#
# Files listed in tests/sql_dialect_pending (one path a line, as
# src/name.c or src/name.h) are not ported yet and are skipped; the list shrinks to
# nothing as they are.
. "$(dirname "$0")/lib.sh"

SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PENDING="$SRC/tests/sql_dialect_pending"

if ! command -v perl >/dev/null; then
	echo "1..0 # SKIP perl is not installed"
	exit 0
fi

# sql_lint FILE...: prints "file:line: construct" for every finding.
sql_lint() {
	perl -e '
use strict; use warnings;
my @rules = (
	[qr/\bjson_(object|array|patch|quote|group_array|group_object|set|insert|replace|remove|type|valid|tree|array_length)\s*\(/i, "JSON function (build or parse in C)"],
	[qr/\bjson_each\s*\(/i, "json_each (move to C)"],
	[qr/\bjson\(/i, "json() (parse in C)"],
	[qr/\bjson_extract\s*\(\s*\?/i, "json_extract on a parameter (parse in C)"],
	[qr/->/, "-> or ->> operator"],
	[qr/\biif\s*\(/i, "iif() (CASE WHEN)"],
	[qr/\bINSERT\s+OR\b/i, "INSERT OR ... (ON CONFLICT)"],
	[qr/\bREPLACE\s+INTO\b/i, "REPLACE INTO (ON CONFLICT DO UPDATE)"],
	[qr/\b(strftime|date|time|datetime|julianday|unixepoch)\(/i, "date function (compute in C)"],
	[qr/\x27now\x27/i, "\x27now\x27 (compute in C)"],
	[qr/\blast_insert_rowid\b/i, "last_insert_rowid (RETURNING id)"],
	[qr/\b_?rowid_?\b|\boid\b/i, "rowid"],
	[qr/\b(total_)?changes\s*\(\s*\)/i, "changes()"],
	[qr/\bsqlite_(master|schema|temp_master|sequence)\b/i, "sqlite_master"],
	[qr/\bPRAGMA\b/i, "PRAGMA"],
	[qr/\bATTACH\b/, "ATTACH"],
	[qr/\bGLOB\b/, "GLOB"],
	[qr/\btypeof\s*\(/i, "typeof()"],
	[qr/\bLIMIT\s+-\s*1\b/i, "LIMIT -1"],
	[qr/\bIS\s+(NOT\s+)?(?!NULL\b|DISTINCT\b|TRUE\b|FALSE\b|NOT\b)(?=[?\w(\x27:])/, "IS [NOT] x (IS [NOT] DISTINCT FROM)"],
	[qr/\b(NOT\s+)?INDEXED(\s+BY)?\b/, "INDEXED BY / NOT INDEXED"],
	[qr/\bMATCH\b|\bsearch_index\b/, "full-text search outside the store"],
	[qr/(?<!CAST\()\?\d+\s+IS\s+(NOT\s+)?NULL\b/i, "?N IS NULL (CAST(?N AS type) IS NULL)"],
);
for my $file (@ARGV) {
	open(my $fh, "<", $file) or die "$file: $!";
	local $/; my $c = <$fh>; close $fh;
	# Tokenize: comments out, char literals out, string literals kept
	# with the line each character came from; adjacent literals join.
	my ($line, $i, $n) = (1, 0, length $c);
	my @groups; my $cur; my $gap_ok = 0;
	while ($i < $n) {
		my $ch = substr($c, $i, 1);
		if ($ch eq "\n") { $line++; $i++; next; }
		if (substr($c, $i, 2) eq "//") {
			my $e = index($c, "\n", $i); $e = $n if $e < 0; $i = $e; next;
		}
		if (substr($c, $i, 2) eq "/*") {
			my $e = index($c, "*/", $i + 2); $e = $n - 2 if $e < 0;
			$line += () = substr($c, $i, $e + 2 - $i) =~ /\n/g;
			$i = $e + 2; next;
		}
		if ($ch eq "#" && substr($c, $i) =~ /^#\s*include\b[^\n]*/) {
			$i += length $&; next;
		}
		if ($ch eq "\x27") {
			$i++;
			while ($i < $n && substr($c, $i, 1) ne "\x27") {
				$i++ if substr($c, $i, 1) eq "\\"; $i++;
			}
			$i++; $cur = undef; next;
		}
		if ($ch eq "\"") {
			if (!defined $cur) { $cur = { text => "", lines => [] }; push @groups, $cur; }
			$i++;
			while ($i < $n && substr($c, $i, 1) ne "\"") {
				my $d = substr($c, $i, 1);
				if ($d eq "\\") { $d = substr($c, $i, 2); $i++; $d = "\n" if $d eq "\\n"; $d = "\t" if $d eq "\\t"; $d = "\"" if $d eq "\\\""; }
				$line++ if substr($c, $i, 1) eq "\n";
				$cur->{text} .= $d; push @{$cur->{lines}}, ($line) x length $d; $i++;
			}
			$i++; next;
		}
		if ($ch =~ /\s/) { $i++; next; }
		$cur = undef; $i++;
	}
	for my $g (@groups) {
		my $t = $g->{text};
		# Only SQL: messages and formats may say "time (" or "->".
		next unless $t =~ /\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|VALUES|PRAGMA|REPLACE)\b|\?\d/;
		my @found;
		for my $r (@rules) {
			my ($re, $what) = @$r;
			while ($t =~ /$re/g) { push @found, [$-[0], $what]; }
		}
		# json_extract on a column: the path is $.key or $.key.key only.
		while ($t =~ /\bjson_extract\s*\(\s*[\w.]+\s*,\s*([^)]*)\)/gi) {
			my $p = $1;
			push @found, [$-[0], "json_extract path $p (object keys only)"]
				unless $p =~ /^\x27\$(\.[A-Za-z_][A-Za-z0-9_]*)+\x27\s*$/;
		}
		# In ON CONFLICT ... DO UPDATE, a bare column on the right is
		# ambiguous on PostgreSQL (the row, or excluded?).
		while ($t =~ /\bDO\s+UPDATE\s+SET\s+(.*?)(?=\bRETURNING\b|\bWHERE\b|$)/gis) {
			my ($set, $at) = ($1, $-[1]);
			my @cols = $set =~ /(?:^|,)\s*(\w+)\s*=/g;
			for my $a (split /,(?![^(]*\))/, $set) {
				my (undef, $rhs) = split /=/, $a, 2;
				next unless defined $rhs;
				for my $c (@cols) {
					push @found, [$at, "bare $c in DO UPDATE (table.$c or excluded.$c)"]
						if $rhs =~ /(?<![.\w])\Q$c\E(?![\w(])/;
				}
			}
		}
		# Two-argument max()/min(): count the top-level commas.
		while ($t =~ /\b(max|min)\s*\(/gi) {
			my $at = $-[0]; my $depth = 1; my $commas = 0; my $j = $+[0];
			while ($j < length $t && $depth > 0) {
				my $d = substr($t, $j, 1);
				if ($d eq "(") { $depth++; }
				elsif ($d eq ")") { $depth--; }
				elsif ($d eq "," && $depth == 1) { $commas++; }
				elsif ($d eq "\x27") { my $e = index($t, "\x27", $j + 1); $j = $e if $e > 0; }
				$j++;
			}
			push @found, [$at, "$1() with several arguments (greatest/least)"] if $commas > 0;
		}
		for my $f (sort { $a->[0] <=> $b->[0] } @found) {
			print "$file:$g->{lines}[$f->[0]]: $f->[1]\n";
		}
	}
}
' "$@"
}

# ---- the lint itself catches what it should (a file made for it) ----
cat >"$TMP/sample.c" <<'EOF'
/* A comment may say json_object( or rowid freely. */
static const char *a = "SELECT json_object('a', ?1)";
static const char *b = "INSERT OR IGNORE INTO t(x) "
	"VALUES (?1)";
static const char *c = "SELECT max(a, "
	"b) FROM t WHERE x IS ?2 AND y IS NOT NULL";
static const char *d = "SELECT iif(x, 1, 0), strftime('%s', 'now'), rowid";
static const char *e = "SELECT json_extract(details, '$.a[0]'), json_extract(details, '$.a.b')";
static const char *f = "SELECT max(a) FROM t WHERE b IS NOT DISTINCT FROM ?1";
static const char *g = "INSERT INTO n(y, last) VALUES (?1, 1)"
	" ON CONFLICT(y) DO UPDATE SET last = last + 1 RETURNING last";
static const char *h = "INSERT INTO n(y, last) VALUES (?1, 1) ON CONFLICT(y)"
	" DO UPDATE SET last = greatest(n.last, excluded.last), y = ?1";
static char q = '"';
static const char *i = "SELECT a FROM t WHERE (?1 IS NULL OR a = ?1)";
static const char *j = "SELECT a FROM t WHERE CAST(?1 AS TEXT) IS NOT NULL";
EOF
run sql_lint "$TMP/sample.c"
contains "$out" "sample.c:2: JSON function" "the lint finds json_object( on its line"
contains "$out" "sample.c:3: INSERT OR" "... INSERT OR IGNORE"
contains "$out" "sample.c:5: max() with several arguments" "... a two-argument max( across joined literals"
contains "$out" "sample.c:6: IS [NOT] x" "... IS ?N"
contains "$out" "sample.c:7: iif()" "... iif("
contains "$out" "sample.c:7: date function" "... strftime("
contains "$out" "sample.c:7: 'now'" "... 'now'"
contains "$out" "sample.c:7: rowid" "... rowid"
contains "$out" "sample.c:8: json_extract path '\$.a[0]'" "... an array index in a json_extract path"
contains "$out" "sample.c:11: bare last in DO UPDATE" "... a bare column on the right of DO UPDATE SET"
lacks "$out" "sample.c:13:" "... but not a qualified one"
lacks "$out" "sample.c:1:" "... but not what a comment says"
lacks "$out" "sample.c:9:" "... nor a one-argument max(), IS NOT DISTINCT FROM"
lacks "$out" "path '\$.a.b'" "... nor a path of object keys"
contains "$out" "sample.c:15: ?N IS NULL" "... a parameter only IS NULL types"
lacks "$out" "sample.c:16:" "... but not one cast to its type"

# ---- the core's SQL ----
files=
for f in "$SRC"/src/*.c "$SRC"/src/*.h; do
	name=src/${f##*/}
	case $name in
	src/store_sqlite.c | src/store_pg.c | src/schema.c | src/schema_pg.c | \
	src/store_sqlite.h | src/store_pg.h | src/schema.h) continue ;;
	esac
	if [ -f "$PENDING" ] && grep -qx "$name" "$PENDING"; then
		continue
	fi
	files="$files $f"
done
run sql_lint $files
if [ -z "$out" ] && [ "$rc" = 0 ]; then
	ok "the core's SQL (but the files in tests/sql_dialect_pending) is the common dialect"
else
	not_ok "the core's SQL (but the files in tests/sql_dialect_pending) is the common dialect" \
		"$(printf '%s\n' "$out" | sed "s|^$SRC/||")" "$err"
fi

# ---- the pending list names files that exist ----
if [ -f "$PENDING" ]; then
	stale=
	while read -r name; do
		[ -z "$name" ] && continue
		[ -f "$SRC/$name" ] || stale="$stale $name"
	done <"$PENDING"
	if [ -z "$stale" ]; then
		ok "tests/sql_dialect_pending names existing files"
	else
		not_ok "tests/sql_dialect_pending names existing files" "missing:$stale"
	fi
fi

done_testing
