#!/bin/sh
# Copies a weiquan SQLite database into a PostgreSQL database for `make
# bench` (tests/bench/bench.sh), where `weiquan demo` is far too slow for a
# million cases (each case is its own round trips and its own commit: about
# 60 cases a second, some five hours for a million).
#
# Usage: pg_copy.sh WEIQUAN PG_SEARCH_DOCS SQLITE_DB URI
#
# The PostgreSQL database must be empty: `weiquan init` makes the schema
# there (the same version as the SQLite file's, or the copy is refused),
# its rows are replaced by the SQLite file's, table by table, with COPY
# FROM STDIN (psql's \copy fed by the sqlite3 shell, which opens the file
# read-only).  The session runs as a replica (session_replication_role):
# the triggers would count every case into the report tables a second
# time and refuse the events' ids, and the foreign keys would be checked
# row by row; the copied report tables already hold SQLite's counts, which
# the same triggers kept.  The indexes other than keys are dropped first
# and made again after the rows are in (one sort each instead of a million
# insertions each), each identity column's sequence continues after its
# largest id, and the search index (search_docs) is made from the texts of
# the statements and evidence with the same tokenizer the PostgreSQL driver
# uses (tests/bench/pg_search_docs).  VACUUM ANALYZE then gives the planner
# its statistics and the visibility map, as autovacuum would in service.
#
# Checked afterwards: every table holds as many rows as in SQLite, the
# audit chain verifies on PostgreSQL, and `case show --json` of the first,
# middle and last case (and a few between) prints the same on both unless
# PG_COPY_SHOW=0 (weiquan then does not open the SQLite file at all: the
# sqlite3 shell only reads it).
set -e
weiquan=$1
search_docs=$2
lite=$3
uri=$4
if [ $# -ne 4 ]; then
	echo "usage: pg_copy.sh WEIQUAN PG_SEARCH_DOCS SQLITE_DB URI" >&2
	exit 2
fi
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/weiquan-pgcopy.XXXXXX")
reader=
trap '[ -z "$reader" ] || kill "$reader" 2>/dev/null; rm -rf "$work"' EXIT

pg() { psql -X -q -v ON_ERROR_STOP=1 "$uri" "$@"; }
pg_value() { pg -A -t -c "$1"; }
lite_read() { sqlite3 -readonly -batch "$lite" "$@"; }
elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

start=$(date +%s.%N)
version=$(lite_read "PRAGMA user_version")
WEIQUAN_DATADIR="$srcdir/data" "$weiquan" --db "$uri" init >/dev/null
if [ "$(pg_value "SELECT version FROM schema_version")" != "$version" ]; then
	echo "pg_copy: $lite has schema version $version, this weiquan another" >&2
	exit 1
fi
if [ "$(pg_value "SELECT count(*) FROM cases")" != 0 ]; then
	echo "pg_copy: the PostgreSQL database already holds cases" >&2
	exit 1
fi

# Every table but the schema's version and the search index, which is
# made below; each column as SQLite reads it into COPY's CSV (a bytea as
# its hex, a NULL as an unquoted empty field, an empty text as ""), its
# name in brackets: SQLite reads a double-quoted name that is no column
# as a string.
pg_value "SELECT table_name FROM information_schema.tables
	WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
	AND table_name NOT IN ('schema_version', 'search_docs')
	ORDER BY table_name" >"$work/tables"
pg_value "SELECT pg_get_indexdef(x.indexrelid) || ';' FROM pg_index x
	JOIN pg_class t ON t.oid = x.indrelid
	JOIN pg_namespace n ON n.oid = t.relnamespace
	WHERE n.nspname = 'public' AND t.relname <> 'schema_version'
	AND NOT EXISTS (SELECT 1 FROM pg_constraint c
		WHERE c.conindid = x.indexrelid)" >"$work/indexes.sql"
pg_value "SELECT 'DROP INDEX ' || quote_ident(i.relname) || ';'
	FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
	JOIN pg_class t ON t.oid = x.indrelid
	JOIN pg_namespace n ON n.oid = t.relnamespace
	WHERE n.nspname = 'public' AND t.relname <> 'schema_version'
	AND NOT EXISTS (SELECT 1 FROM pg_constraint c
		WHERE c.conindid = x.indexrelid)" >"$work/drop.sql"
{
	echo "SET session_replication_role = replica;"
	# What init wrote (calendar, clock rules, its admin) comes again
	# with the SQLite file's rows.
	printf 'TRUNCATE %s;\n' "$(paste -sd, "$work/tables")"
	cat "$work/drop.sql"
} | pg

# One sqlite3 shell reads every table in one read transaction, so the
# copy is one moment's database even while others write to the file; it
# writes each table in turn to a named pipe of its own (a pipe opened
# again at once might give its reader no end of file between two tables)
# that psql reads with \copy.
while read -r table; do
	mkfifo "$work/$table.pipe"
done <"$work/tables"
mkfifo "$work/search_docs.pipe"
{
	echo ".bail on"
	echo "BEGIN;"
	echo ".mode list"
	echo ".output $work/counts"
	while read -r table; do
		echo "SELECT '$table', count(*) FROM [$table];"
	done <"$work/tables"
	echo "SELECT 'search_docs', (SELECT count(*) FROM statements)" \
		"+ (SELECT count(*) FROM evidence WHERE text IS NOT NULL)" \
		"+ (SELECT count(*) FROM evidence_read_text);"
	echo ".mode csv"
	while read -r table; do
		select=$(pg_value "SELECT string_agg(CASE data_type
			WHEN 'bytea' THEN
			'''\\x'' || lower(hex([' || column_name || ']))'
			ELSE '[' || column_name || ']' END, ', '
			ORDER BY ordinal_position) FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name = '$table'")
		echo ".output $work/$table.pipe"
		echo "SELECT $select FROM [$table];"
	done <"$work/tables"
	echo ".mode tabs"
	echo ".output $work/search_docs.pipe"
	echo "SELECT case_id, hex(text) FROM statements ORDER BY id;"
	echo "SELECT case_id, hex(text) FROM evidence WHERE text IS NOT NULL" \
		"ORDER BY id;"
	echo "SELECT case_id, hex(text) FROM evidence_read_text" \
		"ORDER BY evidence_id;"
	echo ".output stdout"
	echo "COMMIT;"
} >"$work/read.sql"
# Each query (one a line) is tried first on no rows: one the file cannot
# answer (a table or column missing) is told here, before any psql waits
# on a pipe that would never be written.
grep '^SELECT' "$work/read.sql" | sed 's/;$/ LIMIT 0;/' |
	lite_read >/dev/null
lite_read <"$work/read.sql" &
reader=$!
while read -r table; do
	t0=$(date +%s.%N)
	columns=$(pg_value "SELECT string_agg(quote_ident(column_name), ','
		ORDER BY ordinal_position) FROM information_schema.columns
		WHERE table_schema = 'public' AND table_name = '$table'")
	pg -c "SET session_replication_role = replica" \
		-c "\\copy $table($columns) FROM STDIN (FORMAT csv)" \
		<"$work/$table.pipe"
	n=$(pg_value "SELECT count(*) FROM $table")
	[ "$n" -eq 0 ] || echo "pg_copy: $table: $n rows, $(elapsed "$t0") s"
done <"$work/tables"

t0=$(date +%s.%N)
"$search_docs" <"$work/search_docs.pipe" |
	pg -c "\\copy search_docs(doc, terms) FROM STDIN"
wait "$reader"
reader=
echo "pg_copy: search_docs: $(pg_value "SELECT count(*) FROM search_docs") documents, $(elapsed "$t0") s"

t0=$(date +%s.%N)
{
	echo "SET maintenance_work_mem = '256MB';"
	cat "$work/indexes.sql"
} | pg
echo "pg_copy: $(wc -l <"$work/indexes.sql") indexes made, $(elapsed "$t0") s"
pg >/dev/null <<'EOF'
SELECT format('SELECT setval(%L, coalesce((SELECT max(%I) FROM %I), 0) + 1, false)',
	pg_get_serial_sequence(quote_ident(table_name), column_name),
	column_name, table_name)
FROM information_schema.columns
WHERE table_schema = 'public' AND is_identity = 'YES' \gexec
EOF
t0=$(date +%s.%N)
pg -c "VACUUM (ANALYZE)"
echo "pg_copy: vacuumed and analysed, $(elapsed "$t0") s"
echo "pg_copy: copied in $(elapsed "$start") s"

# ---- the checks ----
bad=0
while IFS='|' read -r table a; do
	b=$(pg_value "SELECT count(*) FROM $table")
	if [ "$a" != "$b" ]; then
		echo "pg_copy: $table: $a rows in SQLite, $b in PostgreSQL" >&2
		bad=1
	fi
done <"$work/counts"
[ "$bad" = 1 ] || echo "pg_copy: every table holds as many rows as SQLite's"
t0=$(date +%s.%N)
if ! "$weiquan" --db "$uri" audit verify >"$work/verify" 2>&1; then
	cat "$work/verify" >&2
	bad=1
fi
echo "pg_copy: audit verify on PostgreSQL: $(head -n 1 "$work/verify") ($(elapsed "$t0") s)"
if [ "${PG_COPY_SHOW:-1}" != 0 ]; then
	lite_read "SELECT number FROM cases WHERE id IN (
		(SELECT min(id) FROM cases), (SELECT max(id) FROM cases))
		OR id % ((SELECT count(*) FROM cases) / 7 + 1) = 1
		ORDER BY id" >"$work/numbers"
	shown=0
	while read -r number; do
		"$weiquan" --db "$lite" case show "$number" --json >"$work/a"
		"$weiquan" --db "$uri" case show "$number" --json >"$work/b"
		if ! cmp -s "$work/a" "$work/b"; then
			echo "pg_copy: case show $number differs:" >&2
			diff "$work/a" "$work/b" | head -n 20 >&2
			bad=1
		fi
		shown=$((shown + 1))
	done <"$work/numbers"
	echo "pg_copy: case show --json the same on both for $shown cases"
	# The search index was made here, not by the driver: the same
	# queries find the same cases (the first page of each).
	for term in 退款 發票 质量问题 迟迟不退款; do
		"$weiquan" --db "$lite" case list --status all --search "$term" \
			--json >"$work/a"
		"$weiquan" --db "$uri" case list --status all --search "$term" \
			--json >"$work/b"
		if ! cmp -s "$work/a" "$work/b"; then
			echo "pg_copy: search \"$term\" finds other cases" >&2
			bad=1
		fi
	done
	echo "pg_copy: four searches find the same cases on both"
fi
exit "$bad"
