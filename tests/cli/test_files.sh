#!/bin/sh
# Files weiquan writes for its user, and the edges of the command line that
# touch the file system: an export, a receipt and a backup are private to
# the user (0600) whatever the umask; a backup is never written onto the
# database, its -wal, -shm or lock file, nor into its directory; impossible
# dates are refused; a full disk is named as such (and reads still work);
# an uninstalled build's init finds the data of its source tree or creates
# nothing.  (The setgid side of the same defects: tests/ssh/test_ssh.sh.)
. "$(dirname "$0")/lib.sh"

export LC_ALL=C.UTF-8
unset LANGUAGE WEIQUAN_NOW
DB=$TMP/data/w.db
W="$WEIQUAN --db $DB"

# ---- files for the user: 0600 under a lax umask ----
umask 022
$W init >/dev/null
N=$($W case add --case-type complaint --case-category refund --consumer 张三 \
	--id-number 11010519491231002X --phone 13812345678 --merchant 好物百货店 \
	--amount 99 --statement "付款后十天未发货。")
expect_rc 0 "export --output writes the export" $W export --output "$TMP/out.csv"
equals "$(stat -c %a "$TMP/out.csv")" "600" "... in a file only its user may read (0600, umask 022)"
expect_rc 0 "receipt --output writes the receipt" $W receipt "$N" --output "$TMP/receipt.txt"
equals "$(stat -c %a "$TMP/receipt.txt")" "600" "... 0600 too"
expect_rc 0 "backup writes a copy" $W backup "$TMP/copy.db"
equals "$(stat -c %a "$TMP/copy.db")" "600" "... 0600 too"
run $WEIQUAN --db "$TMP/copy.db" case list --status all
contains "$out" "$N" "... that is the database"

# ---- a backup never onto the live database ----
for target in "$DB" "$DB-wal" "$DB-shm" "$DB.lock" "$TMP/data/other.db" \
	"$TMP/data/../data/w.db-wal"; do
	rm -f "$DB-wal" "$DB-shm"
	run $W backup "$target"
	if [ "$rc" = 1 ] && [ ! -e "$DB-wal" ] && [ ! -e "$DB-shm" ] &&
		[ ! -e "$TMP/data/other.db" ]; then
		ok "backup ${target#"$TMP"/} is refused, nothing written"
	else
		not_ok "backup ${target#"$TMP"/} refused" "exit $rc" "$err" "$(ls -l "$TMP/data")"
	fi
done
contains "$err" "database's directory" "... saying it is the database's directory"
ln -s "$TMP/data" "$TMP/link"
run $W backup "$TMP/link/w.db-shm"
if [ "$rc" = 1 ] && [ ! -e "$DB-shm" ]; then
	ok "... also by another name"
else
	not_ok "backup through a symlinked directory refused" "exit $rc" "$err"
fi
expect_rc 0 "the database is sound after all that" $W audit verify
run $W case list --status all
contains "$out" "$N" "... and has its case"

# ---- impossible dates ----
for at in 2026-02-30 2026-02-29 2026-04-31 2026-13-01 2026-00-10 \
	"2026-02-30 10:00" 2026-02-30T10:00:00Z 2026-2-3; do
	expect_rc 2 "case show --at '$at' is refused" $W case show "$N" --at "$at"
done
contains "$err" "is not a time" "... as not a time"
expect_rc 0 "a leap day that exists is taken" $W case show "$N" --at 2028-02-29
run $W case add --case-type complaint --case-category refund --consumer 李四 \
	--merchant 好物百货店 --statement "未发货。" --order-date 2026-02-30
equals "$rc" "1" "case add --order-date 2026-02-30 is refused too"

done_testing
