#!/bin/sh
# Words on the console at 80x24, in English and zh_CN: a refusal longer
# than the status line wraps so all of it can be read (a Chinese one two
# columns a character); the core's details come in the user's language,
# the database's "busy" included; the group screen offers only the
# rulings that would fit a member now; the document picker names the
# documents, never their codes; and no stored code shows on these
# screens.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if ! command -v flock >/dev/null; then
	echo "1..0 # SKIP flock (util-linux) is not installed"
	exit 0
fi
for u in "desk1 desk" "alice mediator" "sam supervisor"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null
done
add() {
	$W --user desk1 case add --case-type complaint --case-category quality \
		--consumer "$1" --merchant 同批次退款店 --amount 399 --statement "$2"
}
FREE1=$(add 张三 "防伪码查不到")
FREE2=$(add 孙七 "酒味不对")
M1=$(add 李四 "瓶盖有二次封口痕迹")
M2=$(add 王五 "同一批次酒疑似假冒")
for c in "$M1" "$M2"; do
	for r in claim screen accept start "offer respondent refund 399"; do
		# shellcheck disable=SC2086
		$W --user alice rule "$c" $r >/dev/null || not_ok "$r on $c"
	done
	O=$(db_sql "$DB" "SELECT max(id) FROM offers")
	$W --user alice rule "$c" agree "$O" respondent 2026-12-20 >/dev/null &&
		$W --user alice rule "$c" watch >/dev/null || not_ok "agreement on $c"
done
G=$($W --user sam group create "同批次假酒" "$M1" "$M2" --facts "同一批次")
ENDED=$(add 赵六 "商家不到场")
for r in claim screen accept start "end party-absent 商家拒不到场"; do
	# shellcheck disable=SC2086
	$W --user alice rule "$ENDED" $r >/dev/null || not_ok "$r on $ENDED"
done

mkdir -p "$TMP/locale/zh_CN/LC_MESSAGES"
if [ -f locale/zh_CN.gmo ]; then
	cp locale/zh_CN.gmo "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo"
else
	msgfmt -o "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo" "$SRC/locale/zh_CN.po"
fi
zh_console() {
	console "$1" 80 24 env WEIQUAN_LOCALEDIR="$TMP/locale" LANGUAGE=zh_CN \
		LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 \
		WEIQUAN_UPLOAD_DIR="$TMP/up" $W --user alice
}

# The stored codes no screen may show (tests/e2e/codes.sh),
# the document kinds' codes among them.
. "$(dirname "$0")/codes.sh"
case $CODES in
*mediation-ended*) ok "the scan knows the documents' codes" ;;
*) not_ok "the scan knows the documents' codes" "$CODES" ;;
esac
# status_rows NAME: the rows above the key bar that the status took
# (the message wraps upwards from the row above the key bar).
status_rows() {
	screen_of "$1" | sed -n "$2,23p"
}
# hold_lock: another session holds the writers' lock (released by
# release_lock); a write waits its 10 seconds, then is refused as busy.
# On PostgreSQL the other session holds every case's row.
LOCKER_NAME="hold_$(basename "$TMP" | tr -c 'A-Za-z0-9\n' _)"
hold_lock() { hold_writes "$DB" "$LOCKER_NAME"; }
release_lock() { release_writes "$DB" "$LOCKER_NAME"; }

# ---- English ----
console e 80 24 $W --user alice
see e "my cases" "the English console"
keys e f "$FREE1" Enter
see e "unassigned" "the case nobody holds"
hold_lock
keys e c
see e "nothing was written" \
	"a refusal longer than 80 columns is read to its end (database busy)" 20
screen=$(screen_of e)
contains "$screen" "the database stayed busy; try again: other sessions kept" \
	"... from its start"
contains "$screen" "10.0 seconds; nothing was written" "... on the next row"
release_lock
keys e Escape
if wait_gone e "nothing was written"; then
	ok "the next key gives the rows back"
else
	not_ok "the next key gives the rows back" "$(screen_of e)"
fi
see e "防伪码查不到" "... with what they showed"

# The document picker names the documents.
keys e q
see e "my cases" "back to the queue"
keys e f "$ENDED" Enter
see e "mediation ended" "the ended case"
keys e f
see e "Documents this case can issue" "f lists the documents"
see e "Notice that mediation ended" "... by their names"
shot e
screen=$(screen_of e)
lacks "$screen" "mediation-ended" "... not their codes"
case $screen in
*"│1 Registration receipt"*) ok "... the name first, no code column" ;;
*) not_ok "... the name first, no code column" "$screen" ;;
esac
keys e Escape
wait_gone e "Documents this case can issue"

# The group screen offers what fits a member now: submitting needs the
# agreement performed, which no member has yet.
keys e q
see e "my cases" "back to the queue"
keys e f "$M1" Enter
see e "performance watch" "a member of the group"
keys e C
see e "$G" "C opens the group"
keys e :
see e "Rule on every member" ": lists the group rulings"
shot e
screen=$(screen_of e)
lacks "$screen" "Send the outcome to first review" \
	"... not submitting while no agreement is performed"
lacks "$screen" "Take an unassigned case" "... nor claiming cases held"
contains "$screen" "performed: The agreement was performed" \
	"... but recording the performance"
keys e Escape
wait_gone e "Rule on every member"
$W --user alice rule "$M2" performed >/dev/null || not_ok "performed on $M2"
keys e :
see e "Send the outcome to first review" \
	"once one member's agreement is performed, submitting is offered"
shot e
keys e Escape
keys e q q Q
no_codes "no stored code on these English screens"

# ---- zh_CN ----
: >"$SCREENS"
mkdir -p "$TMP/up"
# A name that alone fills 72 columns, still arriving: refused.
LONG="消费者上传的付款截图与聊天记录第一部分消费者上传的付款截图与聊天记"
printf 'x' >"$TMP/up/$LONG.txt"
zh_console z
see z "我的案件" "the Chinese console"
keys z f "$FREE2" Enter
see z "未分派" "the case nobody holds"
hold_lock
keys z c
see z "未写入任何内容" "a busy database is said in Chinese" 20
rows=$(screen_of z | grep -n "数据库持续繁忙" | head -1 | cut -d: -f1)
msg=$(status_rows z "${rows:-23}")
contains "$msg" "其他会话使数据库持续繁忙" "... the core's detail too"
if printf '%s' "$msg" | grep -q '[A-Za-z]'; then
	not_ok "... with no English left in it" "$msg"
else
	ok "... with no English left in it"
fi
release_lock
keys z Escape
wait_gone z "未写入任何内容"
# still arriving: written (it says) a moment ago
touch -d '+20 seconds' "$TMP/up/$LONG.txt"
keys z A
see z "$LONG" "A lists the upload folder"
keys z 1
see z "请稍后再试" "a Chinese refusal wider than 80 columns is read to its end"
rows=$(screen_of z | grep -n "消费者上传的付款截图" | tail -1 | cut -d: -f1)
msg=$(status_rows z "${rows:-23}" | tr -d '\n')
contains "$msg" "$LONG.txt" "... the whole name, no character cut"
contains "$msg" "仍在传入：请稍后再试" "... and why, in Chinese"
keys z Escape
wait_gone z "请稍后再试"
keys z q
see z "我的案件" "back to the queue"
keys z f "$ENDED" Enter
see z "调解终止" "the ended case in Chinese"
keys z f
see z "本案可出具的文书" "the document picker in Chinese"
shot z
picker=$(screen_of z | sed -n '/本案可出具的文书/,/Esc/p' | grep -v 'Enter/1-9')
if printf '%s' "$picker" | grep -q '[A-Za-z]'; then
	not_ok "... names the documents in Chinese, no code" "$picker"
else
	ok "... names the documents in Chinese, no code"
fi
keys z Escape
wait_gone z "本案可出具的文书"
keys z q
see z "我的案件" "back to the queue"
keys z f "$M1" Enter
see z "$G" "the group's member in Chinese"
keys z C
see z "同批次假酒" "the group in Chinese"
keys z :
see z "提交审核" "the group rulings in Chinese"
shot z
keys z Escape q q Q
no_codes "no stored code on these Chinese screens"

stop_consoles
done_testing
