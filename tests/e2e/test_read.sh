#!/bin/sh
# Reading a whole case at 80x24, in English and in zh_CN: Enter on a
# pane reads its statement in full, Enter on an event of the timeline or
# an offer of the ledger reads it in full, each with its author and local
# time; the agreement's performance date runs as a clock; a case in
# review shows how long it has waited, and the queue sorts by it; ? ends
# with the legend of the marks.  Every screen captured on the way is
# scanned for the stored codes (statuses, sub-states, reasons, flags,
# rulings, the parties' codes): none may show, in either language.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
for u in "alice mediator" "sam supervisor" "tom supervisor" "desk1 desk"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done

# A case with all there is to read: statements of both sides, a
# sub-state, an offer and a counter-offer, an agreement, a note, a flag.
N=$($W --user desk1 case add --case-type complaint --case-category quality \
	--consumer 王芳 --phone 13900001111 --merchant 优品数码旗舰店 \
	--amount 1299 --remedy refund \
	--statement "收到的手机屏幕有划痕，要求退货退款。")
for r in "claim" "screen 材料齐全" "accept" "start"; do
	# shellcheck disable=SC2086
	$W --user alice rule "$N" $r >/dev/null || not_ok "rule $r"
done
$W --user alice rule "$N" statement respondent "划痕系买家使用造成，不同意退款。" >/dev/null ||
	not_ok "statement"
$W --user alice rule "$N" substate session_scheduled >/dev/null || not_ok "substate"
TERMS="商家退款八百元，买家退回手机，运费由商家承担，双方不再就本订单主张其他权利，商家于收到退货后三个工作日内完成退款。"
$W --user alice rule "$N" offer respondent refund 800 "$TERMS" >/dev/null || not_ok "offer"
O1=$(db_sql "$DB" "SELECT max(id) FROM offers")
$W --user alice rule "$N" counter "$O1" refund 1000 "全额退款一千元" >/dev/null || not_ok "counter"
O2=$(db_sql "$DB" "SELECT max(id) FROM offers")
DUE=$(date -d "+20 days" +%Y-%m-%d)
$W --user alice rule "$N" agree "$O2" respondent "$DUE" "商家于期限内退款一千元" >/dev/null ||
	not_ok "agree"
$W --user alice rule "$N" watch >/dev/null || not_ok "watch"
$W --user alice rule "$N" flag possibly-malicious >/dev/null || not_ok "flag"
$W --user alice rule "$N" note "已电话告知双方履行期限，消费者表示收到退款后撤回其他投诉。" >/dev/null ||
	not_ok "note"
# A case sent to review today.
R=$($W --user desk1 case add --case-type complaint --case-category refund \
	--consumer 李四 --merchant 某店 --statement "拒绝退款")
for r in "claim" "screen" "not-accept time-barred 超过三年" "submit 请审核"; do
	# shellcheck disable=SC2086
	$W --user alice rule "$R" $r >/dev/null || not_ok "rule $r on $R"
done

# A case whose follow-up is today: due within a working day.
X=$($W --user desk1 case add --case-type complaint --case-category delivery \
	--consumer 赵六 --merchant 某店 --statement "快递丢件")
$W --user alice rule "$X" claim >/dev/null || not_ok "claim $X"
$W --user alice contact add "$X" --party respondent --channel phone \
	--said "商家答应今天查件" --follow-up "$(date +%Y-%m-%d)" >/dev/null ||
	not_ok "contact on $X"

# A case closed with a follow-up still pending.
Y=$($W --user desk1 case add --case-type complaint --case-category service \
	--consumer 钱七 --merchant 某店 --statement "客服辱骂")
$W --user alice rule "$Y" claim >/dev/null || not_ok "claim $Y"
$W --user alice contact add "$Y" --party complainant --channel phone \
	--said "明天回电" --follow-up "$(date -d tomorrow +%Y-%m-%d)" >/dev/null ||
	not_ok "contact on $Y"
for r in "screen" "not-accept time-barred 超过三年" "submit 请审核"; do
	# shellcheck disable=SC2086
	$W --user alice rule "$Y" $r >/dev/null || not_ok "rule $r on $Y"
done
$W --user sam rule "$Y" approve >/dev/null && $W --user tom rule "$Y" approve >/dev/null ||
	not_ok "close $Y"

# The stored codes no screen may show, the documents' kinds among them.
. "$(dirname "$0")/codes.sh"

# help_pages NAME: every page of the help screen open on NAME, in
# $TMP/help.txt (and kept for the scan)
help_pages() {
	: >"$TMP/help.txt"
	for i in 1 2 3 4 5 6 7 8; do
		sleep 0.2
		screen_of "$1" >>"$TMP/help.txt"
		keys "$1" PgDn
	done
	cat "$TMP/help.txt" >>"$SCREENS"
}

# ---- English ----
console q 80 24 $W --user alice
see q "my cases" "alice's queue"
see q "R0" "the case in review shows how long it has waited"
see q "due 1" "the title counts what falls due within a working day"
shot q
keys q M
see q "Inbox of alice: 1 due" "M: the inbox counts it"
see q "$X follow-up due today" "... and lists it first"
shot q
keys q Enter
see q "$X  complaint" "Enter on it opens the case"
keys q q
wait_for q "Inbox of alice" || not_ok "back in the inbox"
keys q q
keys q o o o o o
see q "by time waiting in review" "o reaches the order by time waiting in review"
wait_gone q "$N"
lacks "$(screen_of q)" "$N" "... which lists the cases in review alone"
shot q
keys q O
see q "by time waiting in review, reversed" "... and turns it round"
keys q Enter
see q "in review for 0 wd" "the case view says how long it has waited"
shot q
keys q q o
see q "by due" "back to the due order"
keys q f "$N" Enter
see q "performance" "the agreement's performance date runs as a clock"
see q "wd left ($DUE)" "... like the other clocks"
see q "consumer: 王芳" "the parties named in the header"
shot q
keys q Enter
see q "Statement of the consumer" "Enter on the consumer's pane reads her statement in full"
see q "by desk1" "... with its author"
see q "$(date +%Y-%m-%d)" "... and the local date"
see q "要求退货退款" "... all of it"
shot q
keys q q Tab Enter
see q "Statement of the merchant" "... and on the merchant's pane the merchant's"
shot q
keys q q t Tab
see q "Events (" "t shows the timeline"
see q "possibly malicious" "a flag by its label"
shot q
keys q G Enter
see q "by alice" "Enter on the last event reads it: by whom"
see q "收到退款后撤回其他投诉" "... the whole note"
shot q
keys q q k k k k k k Enter
see q "substate: session scheduled" "Enter on the sub-state event names it by its label"
shot q
keys q q j j j Enter
see q "agree" "Enter on the agreement"
see q "performer: merchant" "... names the performer as the header does"
see q "due: $DUE" "... the date"
see q "status now: agreement" "... and the status it led to"
shot q
keys q q L
see q "Offers (2)" "L shows the offer ledger"
see q "merchant" "... the offering side named as everywhere"
shot q
keys q Enter
see q "Offer #$O1" "Enter reads the first offer in full"
see q "by the merchant: refund 800.00 yuan" "... who offered what"
see q "三个工作日内完成退款" "... its terms to the end, past the row's width"
shot q
keys q q
keys q :
see q "Rulings that apply now" "the rulings menu"
shot q
keys q Escape
wait_gone q "Rulings that apply now"
keys q f
see q "Documents this case can issue" "the document picker"
shot q
keys q Escape
wait_gone q "Documents this case can issue"
keys q q
see q "my cases" "back to the queue"
keys q '?'
see q "Keys of the queue screen" "? shows the keys"
help_pages q
contains "$(cat "$TMP/help.txt")" "Marks on the screens" "... then the legend of the marks"
contains "$(cat "$TMP/help.txt")" "R3     waiting in review" "... R"
contains "$(cat "$TMP/help.txt")" "F2     a follow-up" "... F"
contains "$(cat "$TMP/help.txt")" "* 2026-000123" "... the marks of bulk actions"
contains "$(cat "$TMP/help.txt")" "A closed case is never shown as overdue" "... and that closed cases are never overdue"
contains "$(cat "$TMP/help.txt")" "Space" "... the space key among the keys"
keys q q Q
no_codes "no stored code on any English screen"

# Ten days on, the closed case's follow-up would be overdue: not shown.
console y 80 24 env WEIQUAN_NOW="$(date -d '+10 days' +%Y-%m-%d)T02:00:00Z" \
	$W --user alice
see y "my cases" "ten days on"
keys y s G Enter
see y "status=closed" "the closed cases"
see y "$Y" "... the one with a pending follow-up among them"
row=$(screen_of y | grep "$Y")
case $row in
*F-*) not_ok "a closed case is never shown as overdue" "$row" ;;
*) ok "a closed case is never shown as overdue" ;;
esac
keys y Q

# ---- zh_CN ----
mkdir -p "$TMP/locale/zh_CN/LC_MESSAGES"
if [ -f locale/zh_CN.gmo ]; then
	cp locale/zh_CN.gmo "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo"
else
	msgfmt -o "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo" "$SRC/locale/zh_CN.po"
fi
: >"$SCREENS"
console z 80 24 env WEIQUAN_LOCALEDIR="$TMP/locale" LANGUAGE=zh_CN \
	LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 $W --user alice
see z "我的案件" "the Chinese queue"
see z "R0" "R: waiting in review"
shot z
keys z f "$N" Enter
see z "履行" "the performance clock in Chinese"
shot z
keys z Enter
see z "消费者的陈述" "Enter reads the consumer's statement in Chinese"
shot z
keys z q Tab t Tab G k k k Enter
see z "履行方: 商家" "the agreement's performer named as the header names him"
shot z
keys z q L Enter
see z "商家提出" "the offer read in full"
shot z
keys z q f
see z "本案可出具的文书" "the document picker in Chinese"
shot z
keys z Escape
wait_gone z "本案可出具的文书"
# no English label of a code either (the help, next, gives Latin search
# terms as examples)
leaked=$(grep -nE "(^|[^A-Za-z])(refund|quality|received|in mediation|performance watch|session scheduled|possibly malicious|consumer|merchant)([^A-Za-z]|\$)" "$SCREENS")
if [ -z "$leaked" ]; then ok "no English label on the Chinese case screens"; else not_ok "no English label on the Chinese case screens" "$leaked"; fi
keys z q '?'
see z "案件队列 界面的按键" "the help in Chinese"
help_pages z
contains "$(cat "$TMP/help.txt")" "审核中已等待 3 个工作日" "the legend in Chinese"
keys z q Q
no_codes "no stored code on any Chinese screen"

done_testing
