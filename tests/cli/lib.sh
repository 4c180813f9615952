# TAP helpers for the command-line tests.  Each check prints one TAP line;
# done_testing prints the plan and fails the script if any check failed.
WEIQUAN=${WEIQUAN:-./weiquan}
tap_n=0
tap_failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/weiquan-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# The suites run on SQLite files, and once more on PostgreSQL (make
# check-pg: tests/pg/suites.sh starts one cluster for the whole run and
# sets WQ_TEST_BACKEND=postgresql and WQ_PG_URI, its maintenance database).
on_postgresql() {
	[ "${WQ_TEST_BACKEND:-sqlite}" = postgresql ]
}

# fresh_db NAME: prints the --db of a new, empty database: $TMP/NAME.db,
# or on PostgreSQL a database of its own on the run's cluster (named
# after $TMP, which is unique among the tests running at once).
fresh_db() {
	local name
	on_postgresql || {
		echo "$TMP/$1.db"
		return 0
	}
	name="$(basename "$TMP" | tr -c 'A-Za-z0-9\n' _)_$1"
	psql -X -q "$WQ_PG_URI" -c "CREATE DATABASE \"$name\"" >&2 || return 1
	printf '%s\n' "$WQ_PG_URI" | sed "s|@/postgres?|@/$name?|"
}

# copy_db DB NAME: prints the --db of a copy of DB (no one may be using
# it): the file copied to $TMP/NAME.db, or a database made from DB as its
# template on PostgreSQL.
copy_db() {
	local name
	on_postgresql || {
		cp "$1" "$TMP/$2.db" && echo "$TMP/$2.db"
		return
	}
	name="$(basename "$TMP" | tr -c 'A-Za-z0-9\n' _)_$2"
	psql -X -q "$WQ_PG_URI" -c "CREATE DATABASE \"$name\" TEMPLATE \"$(pg_db_name "$1")\"" >&2 || return 1
	printf '%s\n' "$WQ_PG_URI" | sed "s|@/postgres?|@/$name?|"
}

# pg_db_name URI: the database a postgresql:// URI names.
pg_db_name() {
	local n=${1#*@/}
	echo "${n%%\?*}"
}

# db_sql DB SQL: runs SQL on DB (a path or a postgresql:// URI) with the
# database's own shell, rows as sqlite3 prints them (columns joined by |).
db_sql() {
	case $1 in
	postgresql://* | postgres://*) psql -X -A -t -q -v ON_ERROR_STOP=1 "$1" -c "$2" ;;
	# (a console that was just told to quit may still hold the write
	# lock for a moment: wait for it as weiquan would)
	*) sqlite3 -cmd '.timeout 5000' "$1" "$2" ;;
	esac
}

# hold_writes DB NAME: another session holds what a write needs, for up
# to 40 seconds, in the background (its process in HOLDER): on SQLite the
# writers' lock ($DB.lock), on PostgreSQL every case's row (as
# application NAME).  Returns once it is held (within 10 s): on a loaded
# machine a fixed pause let the write go first.  release_writes DB NAME
# ends it.
hold_writes() {
	local tries=200
	if on_postgresql; then
		PGAPPNAME=$2 psql -X -q "$1" -c "BEGIN" \
			-c "SELECT id FROM cases FOR UPDATE" \
			-c "SELECT pg_sleep(40)" >/dev/null 2>&1 &
		HOLDER=$!
		while [ "$tries" -gt 0 ] && [ "$(db_sql "$1" "SELECT count(*)
			FROM pg_stat_activity WHERE application_name = '$2'
			AND state = 'active' AND query LIKE '%pg_sleep%'")" != 1 ]; do
			sleep 0.05
			tries=$((tries - 1))
		done
	else
		# -o: the lock goes with flock itself, not with its sleep;
		# the sleep, which outlives it, must not hold the test's
		# output (the TAP driver would wait for it)
		flock -o "$1.lock" sleep 40 >/dev/null 2>&1 &
		HOLDER=$!
		while [ "$tries" -gt 0 ] && flock -n "$1.lock" true; do
			sleep 0.05
			tries=$((tries - 1))
		done
	fi
}

release_writes() {
	on_postgresql && db_sql "$1" "SELECT pg_terminate_backend(pid)
		FROM pg_stat_activity WHERE application_name = '$2'" >/dev/null
	kill "$HOLDER" 2>/dev/null
	wait "$HOLDER" 2>/dev/null
}

# no_trigger DB TABLE TRIGGER: the SQL that takes TRIGGER off TABLE for
# the rest of the session (tampering as the database's owner would).
no_trigger() {
	case $1 in
	postgresql://* | postgres://*) echo "ALTER TABLE $2 DISABLE TRIGGER $3;" ;;
	*) echo "DROP TRIGGER $3;" ;;
	esac
}

# chinese_catalogues: builds the zh_CN and zh_TW message catalogues from
# the sources' locale/*.po into $TMP/locale (for WEIQUAN_LOCALEDIR; a
# catalogue that will not build is a failed check) and sets ZH to the
# locale to run under for Chinese: zh_CN.UTF-8 where it is installed,
# else C.UTF-8 (gettext then follows LANGUAGE alone).  False, having
# built nothing, without msgfmt (Debian: gettext).
chinese_catalogues() {
	local l src=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
	command -v msgfmt >/dev/null || return 1
	for l in zh_CN zh_TW; do
		mkdir -p "$TMP/locale/$l/LC_MESSAGES"
		msgfmt -o "$TMP/locale/$l/LC_MESSAGES/weiquan.mo" "$src/locale/$l.po" ||
			not_ok "msgfmt $l.po"
	done
	if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\{0,1\}8'; then
		ZH=zh_CN.UTF-8
	else
		ZH=C.UTF-8
	fi
}

# sqlite_only PART: true on SQLite.  On PostgreSQL, false after a skipped
# TAP line giving the reason tests/sqlite_only holds for this test's PART
# (that file is the one list of what does not run on PostgreSQL).
#   if sqlite_only old-schema; then ... fi
sqlite_only() {
	local test reason
	on_postgresql || return 0
	test="tests/$(basename "$(dirname "$0")")/$(basename "$0")"
	reason=$(awk -v t="$test" -v p="$1" '$1 == t && $2 == p { $1 = $2 = ""; sub(/^ +/, ""); print; exit }' \
		"${WQ_SRCDIR:-.}/tests/sqlite_only")
	if [ -z "$reason" ]; then
		not_ok "tests/sqlite_only gives the reason $test $1 is SQLite only"
		return 1
	fi
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP SQLite only: $1: $reason"
	return 1
}

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
}

# run CMD...: runs it, keeping stdout in $out, stderr in $err, status in $rc.
run() {
	out=$("$@" 2>"$TMP/stderr")
	rc=$?
	err=$(cat "$TMP/stderr")
}

# expect_rc N DESCRIPTION CMD...
expect_rc() {
	local want=$1 desc=$2
	shift 2
	run "$@"
	if [ "$rc" = "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc" "exit $rc, wanted $want" "stdout: $out" "stderr: $err"
	fi
}

# contains HAYSTACK NEEDLE DESCRIPTION
contains() {
	case $1 in
	*"$2"*) ok "$3" ;;
	*) not_ok "$3" "wanted to find: $2" "in: $1" ;;
	esac
}

lacks() {
	case $1 in
	*"$2"*) not_ok "$3" "did not want: $2" "in: $1" ;;
	*) ok "$3" ;;
	esac
}

equals() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3" "got:    $1" "wanted: $2"
	fi
}

# json EXPR: evaluates a Python expression over the JSON in $out as d.
json() {
	printf '%s' "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1" 2>/dev/null ||
		echo "(no JSON: exit $rc: $err)"
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}
