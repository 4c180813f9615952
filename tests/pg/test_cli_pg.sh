#!/bin/sh
# A PostgreSQL URI on the command line (--db and $WEIQUAN_DB): weiquan
# connects with the URI's credentials, then says plainly that its schema
# is not yet available for PostgreSQL and changes nothing; a wrong password
# or an unreachable server is told without ever printing the password.
# Runs on a throwaway cluster (tests/pg/cluster.sh); skipped without one.
. "$(dirname "$0")/../cli/lib.sh"
pg_exit_hook='rm -rf "$TMP"'
. "$(dirname "$0")/cluster.sh"
export LC_ALL=C.UTF-8
unset LANGUAGE

expect_rc 0 "--help names the PostgreSQL URI" $WEIQUAN --help
contains "$out" "postgresql://" "--help says what a PostgreSQL URI does"
contains "$out" "not yet" "--help says the PostgreSQL schema is not there yet"

# No server: told, without the password.
expect_rc 1 "an unreachable server is an error" \
	$WEIQUAN --db "postgresql://wq:Unreachable-Pw@/wq?host=$TMP/none" init
contains "$err" "cannot connect to postgresql://wq@/wq" "the error names the database"
lacks "$err" "Unreachable-Pw" "no password in the error"

pg_start
case $? in
0) ;;
1) tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $pg_skip_reason"; done_testing; exit ;;
*) not_ok "the PostgreSQL cluster starts"; done_testing; exit 1 ;;
esac
secret=${WQ_PG_URI#postgresql://weiquan:}
secret=${secret%%@*}
[ -n "$secret" ] && [ "$secret" != "$WQ_PG_URI" ] || not_ok "the cluster's URI has a password"

tables() { psql -X -A -t -q "$WQ_PG_URI" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"; }
before=$(tables)

expect_rc 1 "init on PostgreSQL is refused" $WEIQUAN --db "$WQ_PG_URI" init
contains "$err" "schema is not yet available for PostgreSQL" "init says why"
lacks "$err" "$secret" "no password in init's message"
equals "$(tables)" "$before" "init created nothing"

expect_rc 1 "the queue on PostgreSQL is refused" env WEIQUAN_DB="$WQ_PG_URI" $WEIQUAN case list
contains "$err" "schema is not yet available for PostgreSQL" "\$WEIQUAN_DB selects PostgreSQL too"
lacks "$err" "$secret" "no password in case list's message"

expect_rc 1 "a wrong password is refused" \
	$WEIQUAN --db "postgresql://weiquan:Wrong-Pw-123@/postgres?host=$WQ_PG_SOCKET_DIR" init
contains "$err" "password authentication failed" "the server's reason is given"
lacks "$err" "Wrong-Pw-123" "no password in the refusal"

expect_rc 1 "a postgres:// URI is PostgreSQL too" $WEIQUAN --db "postgres://weiquan:$secret@/postgres?host=$WQ_PG_SOCKET_DIR" init
contains "$err" "schema is not yet available for PostgreSQL" "postgres:// says the same"

pg_stop
done_testing
