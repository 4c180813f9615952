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
for target in "$DB" "$DB-wal" "$DB-shm" "$DB-journal" "$DB.lock" \
	"$TMP/data/../data/w.db-wal"; do
	rm -f "$DB-wal" "$DB-shm"
	run $W backup "$target"
	if [ "$rc" = 1 ] && [ ! -e "$DB-wal" ] && [ ! -e "$DB-shm" ] &&
		[ ! -e "$DB-journal" ]; then
		ok "backup ${target#"$TMP"/} is refused, nothing written"
	else
		not_ok "backup ${target#"$TMP"/} refused" "exit $rc" "$err" "$(ls -l "$TMP/data")"
	fi
done
contains "$err" "the database or one of its files" "... saying it is the database's"
expect_rc 0 "a backup beside a private database is made" $W backup "$TMP/data/beside.db"
# A directory shared by a group (set-group-ID, as a deployment's) is the
# database's alone.
chmod 2770 "$TMP/data"
run $W backup "$TMP/data/other.db"
if [ "$rc" = 1 ] && [ ! -e "$TMP/data/other.db" ]; then
	ok "a backup into a shared database directory is refused"
else
	not_ok "backup into a shared directory" "exit $rc" "$err" "$(ls -l "$TMP/data")"
fi
contains "$err" "in the database's directory" "... saying so"
chmod 0750 "$TMP/data"
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

# ---- init, all or nothing; an uninstalled build finds its data ----
run env -u WEIQUAN_DATADIR $WEIQUAN --db "$TMP/fresh.db" init
if [ "$rc" = 0 ] && case $out in *"calendar days"*) true ;; *) false ;; esac; then
	ok "init without WEIQUAN_DATADIR finds the calendar (installed, or the build's sources)"
else
	not_ok "init of an uninstalled build" "exit $rc" "$out" "$err"
fi
run env WEIQUAN_DATADIR="$TMP/nowhere" $WEIQUAN --db "$TMP/nodata.db" init
if [ "$rc" = 1 ] && [ ! -e "$TMP/nodata.db" ]; then
	ok "init without the shipped data creates nothing"
else
	not_ok "init without data" "exit $rc" "$err" "$(ls "$TMP")"
fi
contains "$err" "WEIQUAN_DATADIR" "... and says what to do"
mkdir "$TMP/bad"
echo '{"holidays": [' >"$TMP/bad/calendar-cn.json"
cp "${WQ_SRCDIR:-$(dirname "$0")/../..}/data/clock-rules.json" "$TMP/bad/"
run env WEIQUAN_DATADIR="$TMP/bad" $WEIQUAN --db "$TMP/half.db" init
if [ "$rc" = 1 ] && [ ! -e "$TMP/half.db" ] && [ ! -e "$TMP/half.db.lock" ]; then
	ok "init whose calendar fails to load leaves no half-made database"
else
	not_ok "init with a bad calendar" "exit $rc" "$err" "$(ls "$TMP")"
fi

# ---- a full disk ----
full_disk() {
	[ "$(id -u)" = 0 ] || return 1
	mkdir "$TMP/full" && mount -t tmpfs -o size=2m weiquan-full "$TMP/full"
}
if full_disk; then
	trap 'umount "$TMP/full" 2>/dev/null; rm -rf "$TMP"' EXIT
	F="$WEIQUAN --db $TMP/full/w.db"
	$F init >/dev/null
	# Each migration is checkpointed before the next: init needs room
	# for the file and one migration, and leaves no WAL behind.
	if [ ! -s "$TMP/full/w.db-wal" ]; then
		ok "init on a small disk folds its WAL into the file"
	else
		not_ok "init on a small disk" "$(ls -l "$TMP/full")"
	fi
	NF=$($F case add --case-type complaint --case-category refund \
		--consumer 张三 --merchant 好物百货店 --statement "未发货。")
	dd if=/dev/zero of="$TMP/full/fill" bs=4k 2>/dev/null
	run $F case list --status all
	if [ "$rc" = 0 ] && case $out in *"$NF"*) true ;; *) false ;; esac; then
		ok "on a full disk the queue can still be read"
	else
		not_ok "reading on a full disk" "exit $rc" "$out" "$err"
	fi
	expect_rc 0 "... and a case shown" $F case show "$NF"
	run $F case add --case-type complaint --case-category refund \
		--consumer 李四 --merchant 好物百货店 --statement "未发货。"
	equals "$rc" "1" "a write on a full disk fails"
	contains "$err" "the disk is full; nothing was written" "... saying the disk is full and nothing was written"
	lacks "$err" "disk I/O error" "... not 'disk I/O error'"
	run $W backup "$TMP/full/b.db"
	if [ "$rc" = 1 ] && [ ! -e "$TMP/full/b.db" ] &&
		[ ! -e "$TMP/full/b.db-journal" ] &&
		case $err in *"the disk is full"*) true ;; *) false ;; esac; then
		ok "a backup onto a full disk says so and leaves no half copy"
	else
		not_ok "backup onto a full disk" "exit $rc" "$err" "$(ls -l "$TMP/full")"
	fi
	# A session holding the database open: the write itself meets the
	# full disk.
	rm -f "$TMP/full/fill"
	python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1]); c.execute("select count(*) from cases").fetchall()
print("open", flush=True); time.sleep(30)' "$TMP/full/w.db" >"$TMP/holder.out" &
	holder=$!
	n=100
	until grep -q open "$TMP/holder.out" || [ "$n" = 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	dd if=/dev/zero of="$TMP/full/fill" bs=4k 2>/dev/null
	run $F case add --case-type complaint --case-category refund \
		--consumer 李四 --merchant 好物百货店 \
		--statement "$(python3 -c 'print("满" * 19000)')"
	contains "$rc $err" "1 weiquan: the disk is full; nothing was written" \
		"a commit that fills the disk says so too"
	kill "$holder"
	wait "$holder" 2>/dev/null
	rm -f "$TMP/full/fill"
	run $F case list --status all
	equals "$(printf '%s\n' "$out" | grep -c WQ-)" "1" "... and nothing was written"
	umount "$TMP/full"
else
	ok "# SKIP a full disk needs root (mount -t tmpfs)"
fi

if command -v tmux >/dev/null; then
	. "$(dirname "$0")/../e2e/tmux.sh"
	trap 'stop_consoles; umount "$TMP/full" 2>/dev/null; rm -rf "$TMP"' EXIT
fi

# ---- the keys file: a regular file or nothing ----
# A FIFO would hold the console up before it draws anything (and a
# device could be read for ever): the keys loader takes regular files only.
if command -v tmux >/dev/null; then
	mkdir -p "$TMP/khome/.config/weiquan"
	mkfifo "$TMP/khome/.config/weiquan/keys"
	console keys 200 24 env HOME="$TMP/khome" XDG_CONFIG_HOME= $W
	see keys "keys: not a regular file" "a keys file that is a FIFO is refused, and the console says so"
	see keys "all cases" "... and opens all the same"
	keys keys Q
	see keys "[exited] 0" "... Q ends it"
	stop_consoles
else
	ok "# SKIP the keys file test needs tmux"
fi

# ---- make demo speaks the caller's language ----
BUILD=$(dirname "$WEIQUAN")
if [ -f "$BUILD/Makefile" ] && command -v tmux >/dev/null &&
	locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	# A server of its own: the last one may still be on its way out.
	TMUX_SOCKET="$TMP/tmux-demo.sock"
	console demo 100 30 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		-u WEIQUAN_LOCALEDIR LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 \
		make -s -C "$BUILD" demo DEMO_DB="$TMP/demo.db" DEMO_CASES=30
	see demo "我的案件" "make demo under a Chinese locale shows the Chinese console" 180
	keys demo Q
	see demo "[exited] 0" "... and Q ends it"
	stop_consoles
else
	ok "# SKIP make demo needs a build tree, tmux and the zh_CN.UTF-8 locale"
fi

done_testing
