#!/bin/sh
# The upload folder, for terminals without ZMODEM: files put there (by
# sftp in a deployment; here by the test) are listed by `weiquan uploads`
# and the console (A on the case view and in the intake form), attached
# as evidence and then removed from the folder.  A hostile name, a
# symlink, a FIFO, a huge file and one still arriving are refused with
# the reason and stay; the intake form lets go of a file only once the
# complaint is saved, so leaving the form loses nothing.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add desk1 --role desk >/dev/null
N=$($W --user desk1 case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 优品数码旗舰店 --amount 1299 \
	--statement "屏幕有划痕，商家拒绝退款")
WEIQUAN_UPLOAD_DIR="$TMP/up/%u/upload"
export WEIQUAN_UPLOAD_DIR
UP="$TMP/up/$(id -un)/upload"
sha() { sha256sum "$1" | cut -d' ' -f1; }
# old FILE...: written a minute ago (settled, not still arriving).
old() { touch -d '1 minute ago' "$@"; }

run $W uploads
if [ "$rc" = 1 ] && case $err in *"no upload folder"*) true ;; *) false ;; esac; then
	ok "without a folder, uploads says there is none"
else
	not_ok "no folder" "exit $rc" "$out" "$err"
fi
mkdir -p "$UP"
head -c 200000 /dev/urandom >"$UP/付款截图.jpg"
cp "$UP/付款截图.jpg" "$TMP/photo.jpg"
printf '买家: 屏幕有划痕\n' >"$UP/chat.txt"
HOSTILE=$(printf 'e\033]0;pwned\007.txt')
echo x >"$UP/$HOSTILE"
ln -s "$DB" "$UP/db.jpg"
mkfifo "$UP/pipe"
truncate -s 65M "$UP/huge.bin"
old "$UP"/* "$UP/$HOSTILE"
echo "still coming" >"$UP/fresh.txt"

# ---- the command line ----
run $W uploads
contains "$out" "付款截图.jpg" "uploads lists the folder"
contains "$out" "db.jpg  (refused: a symbolic link)" "... a symlink refused with the reason"
contains "$out" "pipe  (refused: not a regular file" "... a FIFO"
contains "$out" "huge.bin  (refused: larger than 64 MB)" "... a huge file"
contains "$out" "fresh.txt  (refused: still arriving" "... a file still arriving"
contains "$out" "e␛]0;pwned␇.txt  (refused: a name with control" "... a hostile name, shown harmless"
for f in db.jpg pipe huge.bin fresh.txt "$HOSTILE" ../upload/chat.txt; do
	run $W --user desk1 evidence add "$N" "$f" --uploaded --kind chat --party complainant
	if [ "$rc" = 1 ] && case $err in *"invalid value"*) true ;; *) false ;; esac; then
		ok "evidence add --uploaded refuses $(printf '%s' "$f" | tr -d '\033\007')"
	else
		not_ok "refused $f" "exit $rc" "$out" "$err"
	fi
done
equals "$($W case show "$N" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["evidence"]))')" \
	"0" "... and attaches nothing"
expect_rc 0 "evidence add --uploaded attaches a file of the folder" \
	$W --user desk1 evidence add "$N" chat.txt --uploaded --kind chat --party complainant
if [ ! -e "$UP/chat.txt" ]; then ok "... and removes it from the folder"; else not_ok "chat.txt removed"; fi

# ---- the case view ----
console d 80 24 $W --user desk1
see d "$N" "the desk's console opens on the queue"
keys d Enter
see d "AUploads" "the case view's key bar has A Uploads"
keys d A
see d "A file from your upload folder" "A lists the upload folder"
see d "(refused: a symbolic link)" "... with the refused files and why"
see d "e␛]0;pwned␇.txt" "... a hostile name drawn harmless"
keys d 1
see d "db.jpg is refused: a symbolic link" "picking a refused file says why"
keys d A
see d "A file from your upload folder" "A again"
keys d 6
see d "What is this file?" "picking a file asks its kind"
keys d 4
see d "Whose evidence" "... and whose"
keys d 1
see d "付款截图.jpg attached as evidence and removed from the upload folder" "... attaches it and says it left the folder"
see d "Evidence (2)" "... the evidence list has it"
run $W case show "$N" --json
equals "$(json "[e['sha256'] for e in d['evidence'] if e['file_name'] == '付款截图.jpg'][0]")" \
	"$(sha "$TMP/photo.jpg")" "... with the file's SHA-256"
if [ ! -e "$UP/付款截图.jpg" ] && [ -L "$UP/db.jpg" ] && [ -p "$UP/pipe" ]; then
	ok "the attached file left the folder, the refused ones stay"
else
	not_ok "folder after attaching" "$(ls -la "$UP")"
fi
keys d '?'
see d "Keys of the case screen" "? opens the case view's keys"
n=0
until wait_for d "uploads          Attach a file" 1 || [ "$n" = 5 ]; do
	keys d Space
	n=$((n + 1))
done
see d "A         uploads" "... A uploads among them"
keys d q
keys d q
see d "all cases" "back to the queue"

# ---- the intake form ----
cp "$TMP/photo.jpg" "$UP/收据.jpg"
old "$UP/收据.jpg"
keys d i
see d "New complaint" "i opens the intake form"
see d "<From PC  AUploads" "the form's key bar has < From PC and A Uploads"
keys d A
see d "A file from your upload folder" "A in the form lists the folder"
keys d 6
see d "What is this file?" "... asks the kind"
keys d 1
see d "收据.jpg added from the upload folder" "the file is in the form"
if [ -e "$UP/收据.jpg" ]; then ok "... and still in the folder"; else not_ok "in the folder until saved"; fi
keys d q
see d "Leave the form?" "leaving the form asks first"
keys d y
see d "all cases" "... and leaves it"
if [ -e "$UP/收据.jpg" ]; then ok "a form left unsaved leaves the file in the folder"; else not_ok "kept"; fi

field() {
	keys d g
	i=0
	while [ "$i" -lt "$1" ]; do
		keys d j
		i=$((i + 1))
	done
	keys d Enter
}
line() {
	field "$1"
	wait_for d "Enter accept" || not_ok "the line prompt of field $1 opens" "$(screen_of d)"
	keys d C-u "$2" Enter
	wait_gone d "Enter accept"
}
keys d i
see d "New complaint" "the form again"
field 1
see d "quality" "category: a pick list"
keys d 1
line 2 "李四"
line 6 "好物百货店"
field 14
see d "^X" "the statement's editor"
keys d "付款后十天未发货。"
keys d C-x
see d "付款后十天未发货" "the statement is in the form"
keys d G k
keys d Enter
see d "Attach a file" "Enter on the attach row asks from where"
see d "From your upload folder" "... the upload folder among them"
keys d 3
see d "A file from your upload folder" "... which lists it"
keys d 6
keys d 1
see d "收据.jpg added from the upload folder" "the file is in the form"
keys d S
see d "Save the complaint?" "saving"
keys d y
see d "Write the receipt" "registered"
keys d n
see d "Registered WQ-" "... the number"
N2=$(screen_of d | grep -o 'WQ-[0-9]*-[0-9]*' | head -n 1)
run $W case show "$N2" --json
equals "$(json "d['evidence'][0]['file_name']") $(json "d['evidence'][0]['sha256']")" \
	"收据.jpg $(sha "$TMP/photo.jpg")" "the file is attached with the registration"
if [ ! -e "$UP/收据.jpg" ]; then ok "... and left the folder once saved"; else not_ok "removed once saved" "$(ls -la "$UP")"; fi
keys d Q
stop_consoles
done_testing
