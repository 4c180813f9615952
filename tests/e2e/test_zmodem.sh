#!/bin/sh
# Files across the SSH session by ZMODEM (lrzsz): the test plays the
# user's terminal on a pty (tests/e2e/zmodem_peer.py).  > on the case view
# sends the receipt to the PC (the test runs rz when the console starts
# sz); < receives a file as evidence (the test runs sz when the console
# starts rz).  A cancelled transfer in either direction attaches nothing
# and keeps what was attached; the private directory is gone afterwards.
. "$(dirname "$0")/../cli/lib.sh"
trap 'rm -rf "$TMP"' EXIT
if ! command -v rz >/dev/null || ! command -v sz >/dev/null; then
	echo "1..0 # SKIP lrzsz (sz, rz) is not installed"
	exit 0
fi
DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset WEIQUAN_NOW
# The console's private directories go here, so the test can see them
# removed (an unprivileged weiquan honours TMPDIR).
mkdir "$TMP/private" "$TMP/pc"
TMPDIR="$TMP/private"
export TMPDIR
$W init >/dev/null
$W user add alice --role mediator >/dev/null
N=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 优品数码旗舰店 --amount 1299 \
	--statement "屏幕有划痕，商家拒绝退款")
$W --user alice rule "$N" claim >/dev/null
PEER="python3 $(dirname "$0")/zmodem_peer.py $WEIQUAN $DB alice"
sha() { sha256sum "$1" | cut -d' ' -f1; }
# peer_ok STEP DESCRIPTION: the peer (in $out) reported STEP done: a line
# that starts with "ok STEP" ("not ok STEP" has it inside).
peer_ok() {
	if printf '%s\n' "$out" |
		awk -v want="ok $1" 'index($0, want) == 1 { found = 1 } END { exit !found }'; then
		ok "$2"
	else
		not_ok "$2" "$out"
	fi
}

# Download: the receipt as text, then as PDF.
run $PEER "see:$N" 'key:\r' "see:$N" 'key:>' "see:Send to your PC" \
	key:1 "receive:$TMP/pc" "see:sent to your PC"
peer_ok "see:sent to your PC" "> sends the receipt to the PC by ZMODEM" 
f="$TMP/pc/$N Registration receipt v1.txt"
if [ -f "$f" ]; then ok "... received as \"$N Registration receipt v1.txt\""; else not_ok "... received as \"$N Registration receipt v1.txt\"" "$(ls "$TMP/pc")"; fi
equals "$(sha "$f" 2>/dev/null)" \
	"$(db_sql "$DB" "SELECT text_sha256 FROM documents WHERE kind = 'receipt'")" \
	"... the bytes of the issued receipt (SHA-256)"
run $PEER "see:$N" 'key:\r' "see:$N" 'key:>' "see:Send to your PC" \
	key:2 "receive:$TMP/pc" "see:sent to your PC"
equals "$(sha "$TMP/pc/$N Registration receipt v1.pdf" 2>/dev/null)" \
	"$(db_sql "$DB" "SELECT pdf_sha256 FROM documents WHERE kind = 'receipt'")" \
	"... and as PDF"

# A desk in zh_CN gets the document by its Chinese name, never by the
# kind's code.
SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
mkdir -p "$TMP/locale/zh_CN/LC_MESSAGES" "$TMP/pc-zh"
msgfmt -o "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo" "$SRC/locale/zh_CN.po" ||
	not_ok "msgfmt zh_CN.po"
run env LANGUAGE=zh_CN LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 \
	WEIQUAN_LOCALEDIR="$TMP/locale" $PEER "see:$N" 'key:\r' "see:$N" \
	'key:>' "see:发到您的电脑" key:1 "receive:$TMP/pc-zh" "see:已发到您的电脑"
peer_ok "see:已发到您的电脑" "> sends the receipt to a zh_CN desk's PC"
equals "$(ls "$TMP/pc-zh")" "$N 登记回执 第1版.txt" \
	"... named in Chinese: the case, the document's name, its version"

# A desk whose terminal speaks GB18030 (its ZMODEM client reads names in
# that charset) gets the name in GB18030.
if locale -a 2>/dev/null | grep -qix 'zh_CN\.gb18030'; then
	mkdir -p "$TMP/pc-gb"
	run env LANGUAGE=zh_CN LANG=zh_CN.GB18030 LC_ALL=zh_CN.GB18030 \
		WEIQUAN_LOCALEDIR="$TMP/locale" $PEER "see:$N" 'key:\r' \
		"see:$N" 'key:>' "see:ZMODEM" key:1 "receive:$TMP/pc-gb" \
		"see:.txt"
	equals "$(python3 -c 'import os, sys; print(os.listdir(os.fsencode(sys.argv[1]))[0].decode("gb18030"))' "$TMP/pc-gb")" \
		"$N 登记回执 第1版.txt" \
		"a GB18030 desk receives the name in GB18030"
else
	ok "# SKIP the zh_CN.GB18030 locale is not installed"
fi

# Upload: a photo as the
# complainant's evidence.
# complainant's evidence: binary bytes, every value, so ZMODEM's escaping
# is exercised.
head -c 300000 /dev/urandom >"$TMP/付款截图.jpg"
run $PEER "see:$N" 'key:\r' "see:$N" 'key:<' "see:What are the files" \
	key:4 "see:Whose evidence" key:1 "send:$TMP/付款截图.jpg" \
	"see:1 file received and attached as evidence"
peer_ok "see:1 file received" "< receives a file from the PC by ZMODEM and attaches it"
run $W case show "$N" --json
equals "$(json "d['evidence'][0]['sha256']")" "$(sha "$TMP/付款截图.jpg")" \
	"... as evidence with the file's SHA-256"
e="d['evidence'][0]"
equals "$(json "$e['kind']") $(json "$e['party']") $(json "$e['file_name']")" \
	"photo complainant 付款截图.jpg" "... of the kind, party and name given"
equals "$(db_sql "$DB" "SELECT count(*) FROM events WHERE action = 'evidence' AND actor = 'alice'")" \
	"1" "... with its audit event"

# Cancelled: Ctrl-X five times in either direction.
run $PEER "see:$N" 'key:\r' "see:$N" 'key:<' "see:What are the files" \
	key:4 "see:Whose evidence" key:1 cancel-receive \
	"see:nothing attached"
peer_ok "see:nothing attached" "a cancelled upload says nothing attached"
equals "$(db_sql "$DB" "SELECT count(*) FROM evidence")" "1" \
	"... attaches nothing and keeps the evidence attached before"
head -c 40000000 /dev/urandom >"$TMP/big.bin"
run $PEER "see:$N" 'key:\r' "see:$N" 'key:<' "see:What are the files" \
	key:4 "see:Whose evidence" key:1 "break-send:$TMP/big.bin:$TMP/private" \
	"see:nothing attached"
peer_ok "see:nothing attached" "an upload broken in the middle says nothing attached"
equals "$(db_sql "$DB" "SELECT count(*) FROM evidence")" "1" \
	"... attaches nothing (no part of the file)"
equals "$(ls -A "$TMP/private")" "" "... and leaves no part of it behind"
# More files at once than the limit: none of them is attached.
mkdir "$TMP/many"
for i in $(seq 1 17); do echo "照片 $i" >"$TMP/many/photo-$i.txt"; done
run $PEER "see:$N" 'key:\r' "see:$N" 'key:<' "see:What are the files" \
	key:4 "see:Whose evidence" key:1 "send-all:$TMP/many" \
	"see:more than 16 files at once"
peer_ok "see:more than 16 files at once" "17 files at once are refused, saying the limit"
equals "$(db_sql "$DB" "SELECT count(*) FROM evidence")" "1" \
	"... none of them attached, the evidence before kept"
equals "$(ls -A "$TMP/private")" "" "... and none left behind"
run $PEER "see:$N" 'key:\r' "see:$N" 'key:>' "see:Send to your PC" \
	key:1 cancel-send "see:cancelled"
peer_ok "see:cancelled" "a cancelled download says so"
equals "$(ls -A "$TMP/private")" "" \
	"no private directory or file is left behind"

# The intake form: < receives files from the PC into the form, kept there
# until the complaint is saved, then attached in the same write as the
# registration; a cancelled transfer adds nothing to the form.
$W user add desk1 --role desk >/dev/null
head -c 100000 /dev/urandom >"$TMP/收据.jpg"
PEER="python3 $(dirname "$0")/zmodem_peer.py $WEIQUAN $DB desk1"
run $PEER "see:all cases" key:i "see:New complaint" \
	'key:<' "see:What are the files" key:1 "send:$TMP/收据.jpg" \
	"see:1 file received from your PC" \
	'key:<' "see:What are the files" key:1 cancel-receive \
	"see:nothing attached" \
	key:g key:j 'key:\r' see:quality key:1 \
	key:g key:jj 'key:\r' "see:Full name (" 'key:李四\r' \
	key:g key:jjjjjjjjjjjjjj 'key:\r' "see:^X" key:付款后十天未发货 \
	"key:$(printf '\030')" \
	key:g key:jjjjjj 'key:\r' "see:Name (type" 'key:好物百货店\r' \
	key:S "see:Save the complaint?" key:y "see:Write the receipt" key:n \
	"see:Registered WQ-"
peer_ok "see:1 file received from your PC" "< in the intake form receives a file from the PC by ZMODEM"
peer_ok "see:nothing attached" "... a cancelled one adds nothing"
peer_ok "see:Registered WQ-" "... and the complaint is registered"
N2=$($W case list --status all --json | python3 -c 'import json,sys; print([c["number"] for c in json.load(sys.stdin)["cases"] if c["number"] != "'"$N"'"][0])')
run $W case show "$N2" --json
equals "$(json "len(d['evidence'])") $(json "d['evidence'][0]['file_name']") $(json "d['evidence'][0]['sha256']")" \
	"1 收据.jpg $(sha "$TMP/收据.jpg")" \
	"... with the file received as its evidence, the cancelled one not"
equals "$(ls -A "$TMP/private")" "" \
	"... and no private directory or file left behind"

# The private directory is the user's: while rz runs, a process of theirs
# may move it aside and leave a symbolic link to another directory in its
# place.  The console reads and empties the directory it made, never what
# the name points to (for a setgid weiquan, the database's directory).
mkdir "$TMP/swap" "$TMP/elsewhere"
echo "not evidence" >"$TMP/elsewhere/keep.txt"
head -c 5000 /dev/urandom >"$TMP/聊天截图.png"
PEER="python3 $(dirname "$0")/zmodem_peer.py $WEIQUAN $DB alice"
run env TMPDIR="$TMP/swap" $PEER "see:$N" 'key:\r' "see:$N" 'key:<' \
	"see:What are the files" key:4 "see:Whose evidence" key:1 \
	"swap-send:$TMP/聊天截图.png:$TMP/swap:$TMP/elsewhere" \
	"see:1 file received and attached as evidence"
peer_ok "see:1 file received" \
	"a file received while the private directory was swapped for a link is attached"
equals "$(db_sql "$DB" "SELECT file_name || ' ' || sha256 FROM evidence ORDER BY id DESC LIMIT 1")" \
	"聊天截图.png $(sha "$TMP/聊天截图.png")" \
	"... the file sent, not one of the directory the link names"
equals "$(cat "$TMP/elsewhere/keep.txt" 2>/dev/null)" "not evidence" \
	"... whose files are neither attached nor removed"
equals "$(ls -A "$TMP/swap/moved-aside" 2>/dev/null)" "" \
	"... and the directory moved aside is emptied"

# A GB18030 desk's ZMODEM client sends names in GB18030 (as it reads the
# names sent to it): the name is kept as UTF-8 text.
if locale -a 2>/dev/null | grep -qix 'zh_CN\.gb18030'; then
	mkdir "$TMP/gbsend"
	python3 -c 'import os, sys; open(os.path.join(os.fsencode(sys.argv[1]), "现场照片.jpg".encode("gb18030")), "wb").write(b"\xff\xd8 photo")' "$TMP/gbsend"
	run env LANGUAGE=en LANG=zh_CN.GB18030 LC_ALL=zh_CN.GB18030 $PEER \
		"see:$N" 'key:\r' "see:$N" 'key:<' "see:What are the files" \
		key:4 "see:Whose evidence" key:1 "send-all:$TMP/gbsend" \
		"see:1 file received and attached as evidence"
	if [ "$rc" = 0 ]; then
		ok "a GB18030 desk sends a file named in GB18030, and it is attached"
	else
		not_ok "a file named in GB18030 attached" "$out"
	fi
	equals "$(db_sql "$DB" "SELECT file_name FROM evidence ORDER BY id DESC LIMIT 1")" \
		"现场照片.jpg" "... under its name as UTF-8 text"
else
	ok "# SKIP the zh_CN.GB18030 locale is not installed"
fi
done_testing
