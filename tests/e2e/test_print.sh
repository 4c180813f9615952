#!/bin/sh
# Printing at the desk: ^P on the case view prints the receipt on the
# printer of the terminal's PC, through the terminal (pass-through
# printing: ESC [5i, the text, ESC [4i).  tmux keeps what the console
# writes (pipe-pane), and the bytes between the controls are checked: the
# receipt as issued, lines in CR LF, in the terminal's charset (UTF-8,
# GB18030, Big5), and no control character of the stored text (a name
# holding ESC [4i would end the print and write the rest on the screen).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add desk1 --role desk >/dev/null
$W user add eve --role desk >/dev/null
HOSTILE=$(printf '张三\033[4i\033]0;pwned\007')
N=$($W --user desk1 case add --case-type complaint --case-category refund \
	--consumer "$HOSTILE" --merchant 优品数码旗舰店 --amount 1299 \
	--statement "屏幕有划痕，商家拒绝退款")

# jobs FILE ENCODING: the print jobs in what the console wrote, checked,
# decoded; "bad: why" for the first problem.
jobs() {
	python3 - "$1" "$2" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
on, off = b"\x1b[5i", b"\x1b[4i"
out = []
while on in raw:
    raw = raw[raw.index(on) + len(on):]
    if off not in raw:
        print("bad: no end of the print job"); sys.exit()
    body, raw = raw[:raw.index(off)], raw[raw.index(off) + len(off):]
    if not body.endswith(b"\f"):
        print("bad: no form feed at the end"); sys.exit()
    body = body[:-1]
    for i, c in enumerate(body):
        if (c < 0x20 and c not in (0x0d, 0x0a)) or c == 0x7f:
            print("bad: control byte %#x at %d" % (c, i)); sys.exit()
    if b"\r\r" in body or body.replace(b"\r\n", b"").count(b"\n") or \
            body.replace(b"\r\n", b"").count(b"\r"):
        print("bad: a line not ended by one CR LF"); sys.exit()
    out.append(body.replace(b"\r\n", b"\n").decode(sys.argv[2]))
print("%d job(s)" % len(out))
for text in out:
    print(text)
PY
}

# print_receipt NAME LOCALE...: the desk's console in that locale (the
# messages in English), ^P on its case, the receipt picked.
print_receipt() {
	local name=$1
	shift
	console "$name" 80 24 env "$@" LANGUAGE=en $W --user desk1
	tmx pipe-pane -o -t "$name" "cat >> '$TMP/$name.raw'"
	see "$name" "$N" "the desk's console opens on the queue ($*)"
	keys "$name" Enter
	see "$name" "^PPrint" "the case view's key bar has ^P Print"
	keys "$name" C-p
	see "$name" "Print on your PC's printer" "^P asks what to print"
	keys "$name" Enter
	see "$name" " sent to " "... and sends it to the terminal's printer"
}

# ---- UTF-8 ----
print_receipt u LC_ALL=C.UTF-8
issued=$(db_sql "$DB" "SELECT count(*) FROM documents WHERE kind = 'receipt'")
equals "$issued" "1" "the receipt printed is the one issued (kept in the audit chain)"
got=$(jobs "$TMP/u.raw" utf-8)
contains "$got" "1 job(s)" "one print job between ESC [5i and ESC [4i"
lacks "$got" "bad:" "... lines in CR LF, ended by a form feed, no control byte in it"
contains "$got" "投诉登记回执" "... the receipt's title"
contains "$got" "案件编号为$N" "... and its number"
contains "$got" "投诉人：张三?[4i?]0;pwned?" "the ESC [4i in the consumer's name is printed as text, never obeyed"
want=$(LC_ALL=C.UTF-8 $W --user desk1 document "$N" receipt)
equals "$(printf '%s\n' "$got" | sed 1d)" "$want" "... and the job is the receipt as 'weiquan document' gives it"
lacks "$(screen_of u)" "本回执" "the console's screen, redrawn, does not show the job"

# ---- the receipt shown again on the case ----
see u "fDocs" "the desk's key bar at 80 columns has f Docs"
keys u f
see u "1 Registration receipt" "f lists the documents the case can issue, the receipt first"
keys u 1
see u "投诉登记回执" "... and 1 shows the receipt"
see u "version 1" "... the one issued, not a new version"
keys u q
see u "^PPrint" "q goes back to the case"

# ---- GB18030 and Big5 desks ----
print_receipt g LC_ALL=zh_CN.gb18030
got=$(jobs "$TMP/g.raw" gb18030)
contains "$got" "1 job(s)" "a GB18030 desk: one print job"
lacks "$got" "bad:" "... clean"
contains "$got" "案件编号为$N" "... in GB18030 (the bytes decode as GB18030)"
contains "$got" "投诉人：张三?[4i" "... the name without its control"
print_receipt b LC_ALL=zh_TW.big5
see b "not in your charset printed as ?" "a Big5 desk is told the Simplified characters are printed as ?"
got=$(jobs "$TMP/b.raw" big5)
contains "$got" "1 job(s)" "a Big5 desk: one print job"
lacks "$got" "bad:" "... clean"
contains "$got" "$N" "... in Big5 (the bytes decode as Big5)"
contains "$got" "?三" "... 张, not in Big5, printed as ?"

# ---- the help screen lists the key ----
keys u '?'
see u "Keys of the case screen" "? opens the case view's keys"
n=0
until wait_for u "print            Print the receipt" 1 || [ "$n" = 5 ]; do
	keys u Space
	n=$((n + 1))
done
see u "^P        print" "... ^P print among them"

# ---- another desk's case ----
console e 80 24 env LC_ALL=C.UTF-8 $W --user eve
see e "0 cases" "another desk does not see desk1's case, so cannot print it"
stop_consoles
done_testing
