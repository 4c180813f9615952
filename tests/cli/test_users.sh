#!/bin/sh
# Administration of accounts from the command line: an administrator lists
# every account (role, active or disabled, when it last opened the
# console), changes a role, disables an account and enables it again, each
# an audit event that `audit verify` checks against the users table.  A
# disabled account keeps its history but can no longer run weiquan, nor be
# acted as with --user, nor be given a case; no one else administers, and
# the database never loses its last administrator.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db u)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-02T09:00:00Z
export LC_ALL=C.UTF-8
unset LANGUAGE
q() { db_sql "$DB" "$1"; }
ADMIN=$(id -un)
$W init >/dev/null || not_ok "init"
$W user add mia --role mediator --name "米亚" >/dev/null || not_ok "user add mia"
$W user add sam --role supervisor >/dev/null || not_ok "user add sam"
$W user add bob --role mediator >/dev/null || not_ok "user add bob"
N=$($W case add --case-type complaint --case-category refund \
	--consumer 赵六 --merchant 优品生活旗舰店 --statement "商家不肯退钱")
M=$($W case add --case-type complaint --case-category quality \
	--consumer 钱七 --merchant 好物百货店 --statement "杯子碎了")
$W --user mia rule "$N" claim >/dev/null || not_ok "mia claims a case"
$W --user mia rule "$N" note "已联系商家" >/dev/null || not_ok "mia writes a note"

# ---- list ----
expect_rc 0 "user list" $W user list
contains "$out" "LAST LOGIN" "the list has a last-login column"
line=$(printf '%s\n' "$out" | grep '^mia ')
contains "$line" "mediator" "mia is listed as a mediator"
contains "$line" "active" "... active"
contains "$line" "米亚" "... with her name"
expect_rc 0 "user list --json" $W user list --json
equals "$(json '[u["login"] for u in d["users"]]')" "$(printf '%s\n' "$ADMIN" bob mia sam | LC_ALL=C sort | python3 -c 'import sys; print(sys.stdin.read().split())')" \
	"--json lists every account by login"
equals "$(json '[u for u in d["users"] if u["login"] == "mia"][0]["last_login"]')" "None" \
	"... and no last login for one that never opened the console"
q "INSERT INTO user_logins VALUES ('mia', '2026-03-01T08:30:00Z')"
run $W user list --json
equals "$(json '[u for u in d["users"] if u["login"] == "mia"][0]["last_login"]')" \
	"2026-03-01T08:30:00Z" "... and the time of the last console start where known"

# A name that would clear the terminal, and a login that is one: shown
# as placeholders, never sent raw.
esc=$(printf '\033')
$W user add eve --role desk --name "$(printf 'Eve\033[2J\033]0;pwned\007')" >/dev/null ||
	not_ok "user add eve"
run $W user list
lacks "$out" "$esc" "user list sends no escape sequence from a name"
contains "$out" "Eve" "... but shows the name"
expect_rc 1 "disabling a login that is an escape sequence" $W user disable "$(printf '\033[2J')"
lacks "$err" "$esc" "... is refused without sending it back raw"

# ---- only an administrator ----
for who in mia sam; do
	expect_rc 1 "$who may not list users" $W --user $who user list
	contains "$err" "only an admin" "... and is told only an admin may"
	expect_rc 1 "$who may not change a role" $W --user $who user role bob supervisor
	expect_rc 1 "$who may not disable an account" $W --user $who user disable bob
	contains "$err" "only an admin" "... and is told only an admin may"
done
equals "$(q "SELECT role || active FROM users WHERE login = 'bob'")" "mediator1" \
	"bob is as he was"
expect_rc 2 "a role that does not exist is a usage error" $W user role bob boss
expect_rc 1 "an account that does not exist" $W user disable nobody
contains "$err" "nobody" "... is named in the refusal"

# ---- role ----
events=$(q "SELECT count(*) FROM events")
expect_rc 0 "user role bob supervisor" $W user role bob supervisor
contains "$out" "bob is now supervisor" "says what bob now is"
equals "$(q "SELECT role FROM users WHERE login = 'bob'")" "supervisor" "... in the users table"
equals "$(q "SELECT action || ' ' || json_extract(details, '\$.role') || ' was ' || json_extract(details, '\$.was') FROM events ORDER BY id DESC LIMIT 1")" \
	"user-role supervisor was mediator" "... with an audit event"
expect_rc 1 "the same role again" $W user role bob supervisor
contains "$err" "already" "... is refused as no change"
expect_rc 1 "the last administrator keeps the role" $W user role "$ADMIN" mediator
contains "$err" "last active admin" "... and is told why"

# ---- disable ----
expect_rc 0 "user disable mia" $W user disable mia
contains "$out" "can no longer log in" "says what disabling does"
equals "$(q "SELECT active FROM users WHERE login = 'mia'")" "0" "mia is disabled, not deleted"
equals "$(q "SELECT action || ' ' || json_extract(details, '\$.login') || ' ' || json_extract(details, '\$.active') FROM events ORDER BY id DESC LIMIT 1")" \
	"user-disable mia 0" "... with an audit event"
equals "$(q "SELECT count(*) FROM events WHERE actor = 'mia'")" "2" \
	"her claim and note stay in the history"
equals "$(q "SELECT assignee FROM cases WHERE number = '$N'")" "mia" \
	"... and her case stays hers until a supervisor moves it"
run $W user list
contains "$(printf '%s\n' "$out" | grep '^mia ')" "disabled" "user list shows her disabled"
expect_rc 1 "acting as a disabled account is refused" $W --user mia case list
contains "$err" "disabled" "... with a clear message"
contains "$err" "user enable mia" "... that says how to enable it again"
lacks "$err" "user add" "... not that the account does not exist"
expect_rc 1 "a disabled account is given no case" $W --user sam rule "$M" assign mia
contains "$err" "disabled" "... and the refusal says why"
expect_rc 1 "disabling twice" $W user disable mia
contains "$err" "already disabled" "... says so"
expect_rc 1 "an administrator does not disable their own account" $W user disable "$ADMIN"
expect_rc 0 "the history still verifies" $W audit verify

# ---- enable ----
expect_rc 0 "user enable mia" $W user enable mia
contains "$out" "can log in again" "says she can log in again"
expect_rc 0 "mia can run weiquan again" $W --user mia case list
equals "$(q "SELECT action FROM events ORDER BY id DESC LIMIT 1")" "user-enable" \
	"enabling is an audit event"
expect_rc 0 "audit verify agrees with the users table" $W audit verify
q "UPDATE users SET active = 0 WHERE login = 'bob'"
expect_rc 1 "a user disabled behind the events' back is caught by audit verify" $W audit verify
done_testing
