#!/bin/sh
# The intake desk: a desk user opens the form from the queue, types a
# walk-in complaint, sees a field's check fail next to it, attaches a
# GB18030 file and sees the guess, saves, writes the receipt; a second
# identical complaint shows the first as a possible duplicate.  The
# database is checked through the command line, and `weiquan receipt`
# prints the receipt and, once not accepted, the notice.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add desk1 --role desk --name 前台小王 >/dev/null
$W user add sam --role supervisor >/dev/null
# A merchant the desk will find as it types.
$W case add --case-type complaint --case-category refund --consumer 李四 \
	--phone 13900000000 --merchant 优品数码旗舰店 --platform 淘宝 \
	--shop-id TB-1001 --amount 99 --statement "退款被拒绝，要求退款。" >/dev/null
printf '买家: 屏幕有划痕\n卖家: 不支持退款\n' | iconv -f UTF-8 -t GB18030 > "$TMP/chat.txt"

# field N: go to the N-th field of the form (0 is the case type) and
# open it.
field() {
	keys d g
	i=0
	while [ "$i" -lt "$1" ]; do
		keys d j
		i=$((i + 1))
	done
	keys d Enter
}

# line N TEXT: type TEXT into the N-th field (a line field).
line() {
	field "$1"
	wait_for d "Enter accept" || not_ok "the line prompt of field $1 opens" "$(screen_of d)"
	keys d C-u "$2" Enter
	wait_gone d "Enter accept"
}

# The form, as far as the merchant: type, category, consumer, merchant.
fill_parties() {
	field 1
	see d "quality" "category: a pick list of the categories"
	keys d 1
	line 2 "张三"
	line 3 "138-1234-5678"
	line 4 "11010519491231002X"
	line 6 "优品"
}

# The desk's home, with a file the receipt prompt must never reach; the
# console runs in it, as an SSH login does.
export HOME="$TMP/home"
mkdir -p "$HOME/.ssh" "$HOME/weiquan"
echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyOfTheDesk desk@pc" >"$HOME/.ssh/authorized_keys"
echo "an earlier receipt" >"$HOME/weiquan/taken.txt"

# ---- the form opens from the queue ----
(cd "$HOME" && console d 80 24 $W --user desk1)
see d "all cases" "the desk's console opens on the queue"
keys d i
see d "New complaint" "i opens the intake form"
see d "type a few characters" "... with a hint in each empty field"
keys d S
see d "problems to fix before saving" "saving an empty form names its problems"
see d "required: pick a category" "... each next to its field"
run $W case list --status all --json
equals "$(json 'len(d["cases"])')" "1" "... and saves nothing"

# ---- the parties; the merchant matched as typed ----
fill_parties
see d "13812345678" "the phone number is kept as digits"
see d "= 优品数码旗舰店" "typing part of a merchant's name lists the known one"
keys d g j j j j j j j Enter
see d "existing merchant" "picking it fills the merchant"
see d "TB-1001" "... with its shop ID"

# ---- the order: a bad amount is named next to the field ----
line 10 "A-123"
line 11 "12x"
see d "not an amount in yuan" "a bad amount is refused next to the field"
line 11 "1299.50"
if wait_gone d "not an amount in yuan"; then
	ok "... and the message goes once it is right"
else
	not_ok "the amount's message goes" "$(screen_of d)"
fi
line 12 "2026-09-01"
field 13
see d "compensation" "remedy: a pick list"
keys d 2
field 14
see d "^X" "the statement opens the editor"
keys d "收到的手机屏幕有划痕，商家拒绝退款，要求退款。"
keys d C-x
see d "商家拒绝退款" "the statement is in the form"

# ---- the checklist and a GB18030 file ----
keys d G k k
keys d Space
see d "[x] the complainant's ID document" "Space ticks a material on the checklist"
keys d a
see d "its path on this computer" "a asks for a file's path"
keys d "$TMP/chat.txt" Enter
see d "What is this file?" "... then what kind of evidence it is"
keys d 3
see d "gb18030" "the GB18030 file's encoding is detected and shown"
see d "买家: 屏幕有划痕" "... with its first line decoded"
see d "[x] chat log with the merchant" "... and the chat log is ticked"

# ---- save, and the receipt ----
keys d S
see d "Save the complaint?" "Save first shows what it found"
see d "No possible duplicates" "... nothing for the first complaint"
keys d y
see d "Registered as WQ-" "saving gives the public number"
N1=$(screen_of d | grep -o 'WQ-[0-9]*-[0-9]*' | head -n 1)
see d "Write the receipt" "... and offers the receipt"
keys d y
see d "receipt-$N1.txt" "the receipt's file is named after the number"
see d "saved in" "... and saved in the receipt directory"
keys d C-u ".ssh/authorized_keys" Enter
see d "A file name only" "a path at the receipt prompt is refused"
keys d C-u "../.ssh/authorized_keys" Enter
see d "A file name only" "... so is one that climbs out"
equals "$(cat "$HOME/.ssh/authorized_keys")" \
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyOfTheDesk desk@pc" \
	"... and the user's authorized_keys is untouched"
keys d C-u "taken.txt" Enter
see d "taken.txt exists in" "an existing file is never replaced: another name is asked"
equals "$(cat "$HOME/weiquan/taken.txt")" "an earlier receipt" "... and the file is as it was"
ln -s "$HOME/.ssh/authorized_keys" "$HOME/weiquan/link.txt"
keys d C-u "link.txt" Enter
see d "link.txt exists in" "a symlink in the receipt directory is not followed"
keys d C-u "receipt.txt" Enter
see d "receipt.txt" "the receipt is written to a new file there"
contains "$(screen_of d | tr -d '\n')" "receipt written to $TMP/home/weiquan/receipt.txt" \
	"... the whole path readable"
equals "$(stat -c %a "$HOME/weiquan/receipt.txt")" "600" "... private to the user (0600)"
equals "$(cat "$HOME/.ssh/authorized_keys")" \
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyOfTheDesk desk@pc" \
	"... and the symlink's target is untouched"

run $W --user desk1 case show "$N1" --json
equals "$rc" "0" "the case is in the database"
equals "$(json 'd["consumer"]["name"]') $(json 'd["merchant"]["name"]')" \
	"张三 优品数码旗舰店" "... with the consumer and the existing merchant"
equals "$(json 'd["merchant"]["shop_id"]')" "TB-1001" "... the same merchant, not a new one"
equals "$(json 'd["order_no"]') $(json 'd["amount_fen"]') $(json 'd["order_date"]') $(json 'd["remedy"]')" \
	"A-123 129950 2026-09-01 refund" "... the order and the remedy"
equals "$(json 'd["consumer"]["phone"]')" "13812345678" "... the phone as digits"
equals "$(json '[e["encoding"] + ":" + e["kind"] + ":" + e["file_name"] for e in d["evidence"]]')" \
	"['gb18030:chat:chat.txt']" "... the evidence with its encoding"
equals "$(json '[e["details"]["args"]["argv"] for e in d["events"] if e["action"] == "intake"]')" \
	"[['chat', 'id']]" "... and the checklist in the intake event"
R=$HOME/weiquan/receipt.txt
if [ -f "$R" ] && grep -q "$N1" "$R"; then
	ok "the receipt file holds the number"
else
	not_ok "the receipt file holds the number" "$(cat "$R" 2>&1)"
fi
contains "$(cat "$R")" "*******5678" "... the phone masked"
lacks "$(cat "$R")" "13812345678" "... and not in full"
contains "$(cat "$R")" "chat.txt" "... and the materials received"

# ---- the same complaint again: a possible duplicate ----
see d "last saved: $N1" "the form is empty again, the last number in the title"
fill_parties
keys d g j j j j j j j Enter
see d "existing merchant" "the merchant again"
line 10 "A-123"
see d "Possible duplicate: $N1" "the same consumer, merchant and order is flagged"
see d "Earlier complaints: 1 " "... and the consumer's history is shown"
field 14
keys d "收到的手机屏幕有划痕，商家拒绝退款，要求退款。"
keys d C-x
keys d S
see d "Possible duplicates (same consumer" "Save shows the duplicate for a human to judge"
see d "$N1" "... by its number"
keys d y
see d "Registered as WQ-" "the desk may save it all the same"
N2=$(screen_of d | grep -o 'Registered as WQ-[0-9]*-[0-9]*' | grep -o 'WQ-.*')
keys d n
see d "prints the receipt" "declining the receipt says how to print it later"
run $W --user desk1 case show "$N2" --json
equals "$(json '[e["details"]["duplicates_shown"] for e in d["events"] if e["action"] == "intake"]')" \
	"[['$N1']]" "the intake event records the duplicate that was shown"

# ---- leaving ----
line 2 "王五"
keys d q
see d "Leave the form?" "leaving a form with typed text asks first"
keys d y
see d "all cases" "... then back to the queue"
see d "$N2" "... which lists the new cases"
keys d Q

# ---- the receipt from the command line ----
run $W --user desk1 receipt "$N1"
equals "$rc" "0" "weiquan receipt prints the receipt"
contains "$out" "投诉登记回执" "... titled as a registration receipt"
contains "$out" "$N1" "... with the number"
run env LC_ALL=zh_CN.gb18030 $W --user desk1 receipt "$N1"
if printf '%s' "$out" | iconv -f GB18030 -t UTF-8 2>/dev/null | grep -q "投诉登记回执"; then
	ok "a GB18030 desk gets the receipt in GB18030"
else
	not_ok "the receipt in GB18030" "$out"
fi
$W --user sam rule "$N2" not-accept already-handled "与 $N1 重复" >/dev/null
run $W --user desk1 receipt "$N2" --output "$TMP/notice.txt"
equals "$rc" "0" "--output writes the receipt to a file"
contains "$(cat "$TMP/notice.txt")" "不予受理告知书" "a case not accepted gets the notice"
contains "$(cat "$TMP/notice.txt")" "已由人民法院、仲裁机构" "... citing its ground"
contains "$(cat "$TMP/notice.txt")" "第三十九条" "... and the other channels of art. 39"
expect_rc 1 "another desk's case is refused" $W --user sam receipt WQ-1999-000001
expect_rc 2 "a receipt needs a number" $W receipt

stop_consoles
done_testing
