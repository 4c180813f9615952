#!/bin/sh
# A PostgreSQL URI on the command line (--db and $WEIQUAN_DB): init makes
# the schema there, and the users can be added and listed (every command
# runs there: tests/pg/test_day_pg.sh runs them all); before init, a
# command says there is no weiquan database and changes nothing; a wrong
# password or an unreachable server is told without ever printing the
# password.
# Runs on a throwaway cluster (tests/pg/cluster.sh); skipped without one.
. "$(dirname "$0")/../cli/lib.sh"
pg_exit_hook='rm -rf "$TMP"'
. "$(dirname "$0")/cluster.sh"
export LC_ALL=C.UTF-8
unset LANGUAGE

expect_rc 0 "--help names the PostgreSQL URI" $WEIQUAN --help
contains "$out" "postgresql://" "--help says what a PostgreSQL URI does"
contains "$out" "selects PostgreSQL, where every" "--help says that every command runs on PostgreSQL"

# No server: told, without the password.
expect_rc 1 "an unreachable server is an error" \
	$WEIQUAN --db "postgresql://wq:Unreachable-Pw@/wq?host=$TMP/none" init
contains "$err" "cannot connect to postgresql://wq@/wq" "the error names the database"
lacks "$err" "Unreachable-Pw" "no password in the error"

pg_start_tap
secret=${WQ_PG_URI#postgresql://weiquan:}
secret=${secret%%@*}
[ -n "$secret" ] && [ "$secret" != "$WQ_PG_URI" ] || not_ok "the cluster's URI has a password"

tables() { psql -X -A -t -q "$WQ_PG_URI" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"; }
before=$(tables)

expect_rc 1 "a diversion before init is refused" env WEIQUAN_DB="$WQ_PG_URI" $WEIQUAN case diversion WQ-2026-000001 --brand b \
	--authorised-region 山东省 --found-region 广东省
contains "$err" "is not a weiquan database" "\$WEIQUAN_DB selects PostgreSQL too"
lacks "$err" "$secret" "no password in case diversion's message"
expect_rc 1 "user list before init is refused" $WEIQUAN --db "$WQ_PG_URI" user list
contains "$err" "is not a weiquan database" "user list says there is no schema"
lacks "$err" "$secret" "no password in that message"
equals "$(tables)" "$before" "nothing was created"

# init is all or nothing there too: clock rules that do not load take
# back the schema it had made, and nothing else
psql -X -q "$WQ_PG_URI" -c "CREATE TABLE unrelated(x integer); CREATE FUNCTION unrelated_f() RETURNS integer LANGUAGE sql AS 'SELECT 1'"
before=$(tables)
mkdir "$TMP/data"
cp "${WQ_SRCDIR:-.}/data/calendar-cn.json" "${WQ_SRCDIR:-.}/data/clock-rules.json" "$TMP/data/"
echo '{ not json' > "$TMP/data/clock-rules-121.json"
expect_rc 1 "init whose clock rules do not load" env WEIQUAN_DATADIR="$TMP/data" $WEIQUAN --db "$WQ_PG_URI" init
contains "$err" "init did not finish" "init says it did not finish"
equals "$(tables)" "$before" "the tables it made are gone, the others stay"
equals "$(psql -X -A -t -q "$WQ_PG_URI" -c "SELECT string_agg(proname, ' ' ORDER BY proname) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'")" "unrelated_f" "so are its functions"
psql -X -q "$WQ_PG_URI" -c "DROP TABLE unrelated; DROP FUNCTION unrelated_f()"
before=$(tables)

expect_rc 0 "init on PostgreSQL" $WEIQUAN --db "$WQ_PG_URI" init
contains "$out" "Created postgresql://weiquan@/postgres" "init names the database"
lacks "$out$err" "$secret" "no password in init's output"
[ "$(tables)" -gt 40 ] && ok "init made the tables" || not_ok "init made the tables"

expect_rc 0 "user add on PostgreSQL" $WEIQUAN --db "$WQ_PG_URI" user add mei --role mediator --name "梅调解员"
expect_rc 1 "the same login again" $WEIQUAN --db "$WQ_PG_URI" user add mei --role mediator
contains "$err" "user mei already exists" "as SQLite says it"
hostile=$(printf 'x\033]0;owned\007y')
expect_rc 0 "a name with control characters" $WEIQUAN --db "$WQ_PG_URI" user add esc --role desk --name "$hostile"
expect_rc 1 "a name that is not UTF-8" $WEIQUAN --db "$WQ_PG_URI" user add bad --role desk --name "$(printf 'ab\377cd')"
contains "$err" "user bad: the login or name is not UTF-8" "is told in weiquan's words"
lacks "$err" "ERROR" "not PostgreSQL's"
expect_rc 0 "user list on PostgreSQL" $WEIQUAN --db "$WQ_PG_URI" user list
contains "$out" "梅调解员" "the Chinese name comes back"
contains "$out" "mediator" "with its role"
lacks "$out" "bad " "the refused user was not added"
lacks "$out" "$(printf '\033')" "no escape reaches the terminal"
details=$(psql -X -A -t -q "$WQ_PG_URI" -c "SELECT details FROM events WHERE action = 'user-add' ORDER BY id")
contains "$details" '"login":"mei","role":"mediator","name":"梅调解员"' "the audit event records it"

expect_rc 1 "case diversion of a case that is not there" $WEIQUAN --db "$WQ_PG_URI" \
	case diversion WQ-2026-000001 --brand b --authorised-region 山东省 --found-region 广东省
contains "$err" "WQ-2026-000001" "says which case is not there"
lacks "$err" "ERROR" "no SQL error"
expect_rc 1 "backup on PostgreSQL" $WEIQUAN --db "$WQ_PG_URI" backup "$TMP/copy.db"
contains "$err" "pg_dump" "says to use pg_dump"
lacks "$err" "$secret" "no password in backup's message"
[ ! -e "$TMP/copy.db" ] && ok "... and writes no file" || not_ok "... and writes no file"
expect_rc 2 "an unknown command is still a usage error" $WEIQUAN --db "$WQ_PG_URI" frobnicate

expect_rc 1 "backup of a PostgreSQL database is refused" $WEIQUAN --db "$WQ_PG_URI" backup "$TMP/pg-backup.db"
contains "$err" "pg_dump --format=custom" "... and says how PostgreSQL's own tools take one"
contains "$err" "pg_restore" "... and restore it"
lacks "$err" "$secret" "... without the password"
[ ! -e "$TMP/pg-backup.db" ] && ok "... and writes nothing" || not_ok "backup wrote a file on PostgreSQL"

expect_rc 1 "a wrong password is refused" \
	$WEIQUAN --db "postgresql://weiquan:Wrong-Pw-123@/postgres?host=$WQ_PG_SOCKET_DIR" init
contains "$err" "password authentication failed" "the server's reason is given"
lacks "$err" "Wrong-Pw-123" "no password in the refusal"

expect_rc 0 "a postgres:// URI is PostgreSQL too" $WEIQUAN --db "postgres://weiquan:$secret@/postgres?host=$WQ_PG_SOCKET_DIR" init
contains "$out" "is at schema version 35" "postgres:// finds the same database"

pg_stop
done_testing
