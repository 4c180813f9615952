#!/bin/sh
# Two sessions racing on PostgreSQL.  A ruling that loses a deadlock to
# another session (SQLSTATE 40P01) is told as SQLite tells a writer in
# the way, "another session is writing to the database; nothing was
# written", in the user's language, and nothing of it is written; the
# same ruling then goes through.  One that loses it at its start, before
# it changed anything, starts again and goes through.  The writes' locks
# (src/store_pg.c): a ruling waits for neither a ruling on another case
# still reading nor a write the other case's ruling has not begun, but
# waits for the audit chain another writer holds, and a write of several
# cases waits for the rulings under way.  Then tests/pg/pg_race: a write whose
# lock wait runs out is told as SQLite tells it, and a statement outside
# a transaction that loses a deadlock is run again by the driver.
# Runs on a throwaway cluster (tests/pg/cluster.sh); skipped without one.
. "$(dirname "$0")/../cli/lib.sh"
pg_exit_hook='exec 3>&- 2>/dev/null; rm -rf "$TMP"'
. "$(dirname "$0")/cluster.sh"
export LC_ALL=C.UTF-8
unset LANGUAGE
SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
RACE="${WQ_BUILDDIR:-$(dirname "${WEIQUAN:-./weiquan}")}/tests/pg/pg_race"

pg_start_tap
W="$WEIQUAN --db $WQ_PG_URI"
pq() {
	psql -X -A -t -q "$WQ_PG_URI" -c "$1"
}
chinese_catalogues || not_ok "msgfmt (gettext) is installed"

$W init >/dev/null 2>"$TMP/err" && $W demo --cases 8 >/dev/null 2>>"$TMP/err" ||
	not_ok "a demo database" "$(cat "$TMP/err")"
CASE=$(pq "SELECT number FROM cases WHERE assignee = 'zhang.wei' AND
	status = 'in_mediation' ORDER BY id LIMIT 1")
[ -n "$CASE" ] || not_ok "the demo gave zhang.wei a case in mediation"

# The driver's advisory lock keys.
key() {
	sed -n "s/^#define $1 \"\\([0-9]*\\)\"\$/\\1/p" "$SRC/src/store_pg.c"
}
WRITE_KEY=$(key WRITE_LOCK_KEY)
CHAIN_KEY=$(key CHAIN_LOCK_KEY)
[ -n "$WRITE_KEY" ] && [ -n "$CHAIN_KEY" ] ||
	not_ok "the driver's lock keys" "'$WRITE_KEY' '$CHAIN_KEY'"

# waiting EVENT: waits (5 s at most) until one session waits on a lock
# of that kind (transactionid: a row; advisory); false if none did.
waiting() {
	tries=250
	while [ "$(pq "SELECT count(*) FROM pg_stat_activity WHERE
		wait_event_type = 'Lock' AND wait_event = '$1'")" != 1 ]; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || return 1
		sleep 0.02
	done
}

# race WHERE LANGUAGE TEXT: `weiquan rule CASE note TEXT` as zhang.wei in a
# deadlock with another session, which the ruling's session is the one
# to detect.  WHERE body: the other holds the audit chain, and once the
# ruling has the case's row and waits for the chain to make its first
# change, asks for the row.  WHERE start: the other holds the case's row,
# and once the ruling waits for it (holding the writers' lock, shared),
# asks for the writers' lock as a write of several cases does.  A session
# looks for a deadlock once, deadlock_timeout after it began to wait: the
# ruling's 1.5 s leaves the other time to close the circle first; the
# other's 20 s leaves the ruling to find it.
race() {
	rm -f "$TMP/fifo" "$TMP/locked"
	mkfifo "$TMP/fifo"
	psql -X -q "$WQ_PG_URI" <"$TMP/fifo" >"$TMP/other.out" 2>&1 &
	other=$!
	exec 3>"$TMP/fifo"
	if [ "$1" = body ]; then
		first="SELECT pg_advisory_xact_lock($CHAIN_KEY)"
		wait_for=advisory
		then="SELECT 1 FROM cases WHERE number = '$CASE' FOR UPDATE"
	else
		first="SELECT 1 FROM cases WHERE number = '$CASE' FOR UPDATE"
		wait_for=transactionid
		then="SELECT pg_advisory_xact_lock($WRITE_KEY)"
	fi
	shift
	echo "SET deadlock_timeout = '20s'; BEGIN; $first;
		\\! touch $TMP/locked" >&3
	tries=250
	while [ ! -f "$TMP/locked" ] && [ $tries -gt 0 ]; do
		sleep 0.02
		tries=$((tries - 1))
	done
	env LC_ALL= LC_MESSAGES= LANG="$ZH" LANGUAGE="$1" \
		WEIQUAN_LOCALEDIR="$TMP/locale" \
		PGOPTIONS="-c deadlock_timeout=1500ms" \
		$W --user zhang.wei rule "$CASE" note "$2" \
		>"$TMP/out" 2>"$TMP/err" &
	ruling=$!
	waiting "$wait_for"
	echo "$then; ROLLBACK;" >&3
	exec 3>&-
	wait "$ruling"
	rc=$?
	wait "$other"
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

state() {
	pq "SELECT version FROM cases WHERE number = '$CASE'"
	pq "SELECT count(*) FROM events"
	pq "SELECT count(*) FROM statements"
}

deadlocks_logged() {
	grep -c 'deadlock detected' "$WQ_PG_SOCKET_DIR/server.log"
}

before=$(state)
d0=$(deadlocks_logged)
race body C racing-en
equals "$rc" 1 "a ruling that lost a deadlock fails"
equals "$err" "weiquan: the database stayed busy; try again: another session is writing to the database; nothing was written" \
	"it says what SQLite says of another writer in the way"
[ "$(deadlocks_logged)" -gt "$d0" ] && ok "there was a deadlock" ||
	not_ok "there was a deadlock" "$(tail -n 5 "$WQ_PG_SOCKET_DIR/server.log")"
equals "$(state)" "$before" "nothing of it was written (version, events, statements)"

race body zh_CN racing-zh
equals "$rc" 1 "under zh_CN, it fails the same"
equals "$err" "weiquan: 数据库持续繁忙，请重试: 另一个会话正在写入数据库；未写入任何内容" \
	"in the user's language, as on SQLite"
equals "$(state)" "$before" "nothing of it was written either"

expect_rc 0 "the same ruling, no longer in a race" \
	$W --user zhang.wei rule "$CASE" note after-the-race
equals "$(pq "SELECT string_agg(text, ',' ORDER BY id) FROM statements
	WHERE text LIKE '%race%'")" "after-the-race" "only the ruling that succeeded is there"

d0=$(deadlocks_logged)
race start C race-at-start
equals "$rc" 0 "a ruling that lost a deadlock at its start went through" "$err"
[ "$(deadlocks_logged)" -gt "$d0" ] && ok "there was a deadlock at its start" ||
	not_ok "there was a deadlock at its start"
equals "$(pq "SELECT count(*) FROM statements WHERE text = 'race-at-start'")" 1 \
	"it was written once"

# hold SQL: another session runs SQL in a transaction it keeps open until
# release.
hold() {
	rm -f "$TMP/fifo" "$TMP/locked"
	mkfifo "$TMP/fifo"
	psql -X -q "$WQ_PG_URI" <"$TMP/fifo" >"$TMP/other.out" 2>&1 &
	other=$!
	exec 3>"$TMP/fifo"
	echo "BEGIN; $1; \\! touch $TMP/locked" >&3
	tries=250
	while [ ! -f "$TMP/locked" ] && [ $tries -gt 0 ]; do
		sleep 0.02
		tries=$((tries - 1))
	done
}
release() {
	echo "ROLLBACK;" >&3
	exec 3>&-
	wait "$other"
}
OTHER=$(pq "SELECT number FROM cases WHERE number <> '$CASE' ORDER BY id LIMIT 1")

# What a ruling on another case holds while it reads, before its first
# change: the writers' lock shared and its case's row.  A ruling here
# does not wait for it (a wait would run out in 10 s).
hold "SELECT pg_advisory_xact_lock_shared($WRITE_KEY);
	SELECT 1 FROM cases WHERE number = '$OTHER' FOR NO KEY UPDATE"
start=$(date +%s)
expect_rc 0 "a ruling does not wait for a ruling on another case" \
	$W --user zhang.wei rule "$CASE" note beside-another
[ $(($(date +%s) - start)) -lt 5 ] && ok "... nor waits for it at all" ||
	not_ok "... nor waits for it at all" "$(($(date +%s) - start)) s"
release

# The audit chain another writer holds: the ruling waits for it, and
# appends after it.
hold "SELECT pg_advisory_xact_lock($CHAIN_KEY)"
$W --user zhang.wei rule "$CASE" note after-the-chain >"$TMP/out" 2>"$TMP/err" &
ruling=$!
waiting advisory && ok "a ruling waits for the audit chain another holds" ||
	not_ok "a ruling waits for the audit chain another holds"
release
wait "$ruling"
equals "$?" 0 "... and goes through once it is free" "$(cat "$TMP/err")"

# A write of several cases (here a user added) waits for the rulings
# under way, and they for it.
hold "SELECT pg_advisory_xact_lock_shared($WRITE_KEY)"
$W user add race.user --role mediator >"$TMP/out" 2>"$TMP/err" &
writer=$!
waiting advisory && ok "a write of several cases waits for the rulings under way" ||
	not_ok "a write of several cases waits for the rulings under way"
release
wait "$writer"
equals "$?" 0 "... and goes through once they end" "$(cat "$TMP/err")"
expect_rc 0 "the audit chain verifies" $W audit verify

# The store's own calls: a lock wait that runs out, and the retry of a
# statement that lost a race outside a transaction.
if [ -x "$RACE" ]; then
	d0=$(deadlocks_logged)
	"$RACE" "$WQ_PG_URI" >"$TMP/race.tap" 2>&1
	rc=$?
	# Its checks, one by one, with their diagnostics.
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "pg_race: ${line#* - }" ;;
		"not ok "*)
			not_ok "pg_race: ${line#* - }" \
				"$(sed -n "/^$line\$/,/^[no]/{/^# /p}" "$TMP/race.tap")" ;;
		esac
	done <"$TMP/race.tap"
	equals "$rc" 0 "pg_race exits 0" 
	[ "$rc" = 0 ] || echo "$(sed 's/^/# /' "$TMP/race.tap")"
	[ "$(deadlocks_logged)" -ge $((d0 + 2)) ] &&
		ok "the server logged both of pg_race's deadlocks" ||
		not_ok "the server logged both of pg_race's deadlocks"
else
	not_ok "tests/pg/pg_race is built" "$RACE"
fi
pg_stop
done_testing
