#!/bin/sh
# The console as a mediator meets it: the real binary in tmux at 80x24,
# keys typed, the screen read back, the database checked through the
# command line.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add alice --role mediator >/dev/null
$W user add sam --role supervisor >/dev/null
N1=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --phone 13812345678 --merchant 优品数码旗舰店 \
	--platform 淘宝 --case-region 广东省广州市 --amount 1299 \
	--statement "收到的手机屏幕有划痕，商家拒绝退款。")
$W --user sam rule "$N1" statement respondent "商品出库前已检查，划痕系买家使用造成。" >/dev/null
printf '买家: 屏幕有划痕\n卖家: 不支持退款\n' | iconv -f UTF-8 -t GB18030 > "$TMP/chat.txt"
$W --user sam evidence add "$N1" "$TMP/chat.txt" --kind chat --party complainant >/dev/null
HOSTILE=$(printf 'Title\033]0;HACKED\007 clear\033[2J copy\033]52;c;cm0gLXJmIH4=\007 end \302\233 31m red \342\200\256 bidi')
N2=$($W case add --case-type complaint --case-category other \
	--consumer 李四 --merchant 某店 --statement "$HOSTILE")

# ---- the queue ----
console q 80 24 $W --user alice
see q "my cases" "the console opens on the mediator's own queue"
see q "0 cases" "... which is empty at first"
keys q v
see q "unassigned" "v shows the unassigned cases"
see q "$N1" "... with the new case"
see q "优品数码旗舰店" "... and its merchant in Chinese"
keys q / 划痕 Enter
see q "search: 划痕" "a Chinese search is shown in the header"
if wait_gone q "$N2"; then ok "... and filters out the other case"; else not_ok "search filters" "$(screen_of q)"; fi

# ---- the case ----
keys q Enter
see q "Consumer" "Enter opens the case"
see q "屏幕有划痕" "the consumer's statement is on screen"
see q "划痕系买家使用造成" "the merchant's statement too"
see q "Evidence (1)" "the evidence list shows the attachment"
see q "gb18030" "... with its detected encoding"
keys q c
see q "assigned to alice" "c claims the case"
run $W case show "$N1" --json
equals "$(json 'd["assignee"]')" "alice" "the claim is in the database"
keys q s
see q "optional" "screening asks for an optional note"
keys q Enter
see q "screened" "s screens it"
keys q a
see q "optional" "accept asks for an optional note"
keys q Enter
see q "accepted" "a accepts it"
run $W case show "$N1" --json
equals "$(json 'd["status"]')" "accepted" "the acceptance is in the database"

# ---- evidence ----
keys q Tab Tab Enter Enter
see q "卖家: 不支持退款" "the evidence pager shows the GB18030 file as text"
keys q q
see q "Evidence (1)" "q goes back to the case"

# ---- resize ----
tmx resize-window -t q -x 120 -y 40
# The 80-column screen also says "Consumer": wait for the new layout.
side_by_side() { screen_of q | grep -q "Consumer.*Merchant"; }
tries=100
while [ $tries -gt 0 ] && ! side_by_side; do
	sleep 0.05
	tries=$((tries - 1))
done
if side_by_side; then
	ok "at 120 columns the two sides stand side by side"
else
	not_ok "side by side at 120 columns" "$(screen_of q)"
fi
tmx resize-window -t q -x 30 -y 8
see q "enlarge the terminal" "a tiny terminal asks to be enlarged"
tmx resize-window -t q -x 80 -y 24
see q "屏幕有划痕" "the case comes back when the terminal grows"

# ---- a refused ruling ----
keys q V
see q "may not approve" "a refused ruling says why in the status line"
run $W case show "$N1" --json
equals "$(json 'd["status"]')" "accepted" "... and writes nothing"
keys q a
see q "not allowed in the case's current status" "a ruling that does not apply to the status is refused before any question"

# ---- a dropped connection in the middle of a note ----
keys q n
see q "^X save" "n opens the note editor"
keys q "客户来电称已收到退款" 
see q "客户来电称已收到退款" "typed Chinese appears in the editor"
# Within about a second of typing, the draft is in the database.
tries=40
while [ $tries -gt 0 ] && [ -z "$(db_sql "$DB" "SELECT text FROM drafts WHERE login = 'alice'")" ]; do
	sleep 0.1
	tries=$((tries - 1))
done
run db_sql "$DB" "SELECT text FROM drafts WHERE login = 'alice'"
equals "$out" "客户来电称已收到退款" "the draft reaches the database while typing"
tmx kill-session -t q
# The killed session's server may still be winding down: wait for it,
# and start the new console under a name of its own.
tries=100
while [ $tries -gt 0 ] && tmx has-session -t q 2>/dev/null; do
	sleep 0.05
	tries=$((tries - 1))
done
console q2 80 24 $W --user alice
see q2 "$N1" "the console starts again on alice's cases"
keys q2 Enter
see q2 "Consumer" "... and opens the case"
keys q2 n
see q2 "restored your unsent draft" "the draft is offered back"
see q2 "客户来电称已收到退款" "... with its text"
keys q2 C-x
see q2 "version" "^X records the note"
run $W case show "$N1" --json
contains "$(json '[s["text"] for s in d["statements"]]')" "客户来电称已收到退款" "the note is in the case"
run db_sql "$DB" "SELECT count(*) FROM drafts"
equals "$out" "0" "... and the draft is gone"
sleep 2
run db_sql "$DB" "SELECT count(*) FROM drafts"
equals "$out" "0" "... and stays gone"

# ---- a ruling with a reason picked from a list ----
N3=$($W case add --case-type complaint --case-category quality \
	--consumer 王五 --merchant 某电器城 --statement "购买三年多的冰箱坏了，要求赔偿。")
keys q2 q q
console n 80 24 $W --user alice
see n "my cases" "a second console"
keys n v
see n "$N3" "the new case is among the unassigned"
keys n s
see n "Filter by status" "s asks for a status from a list"
keys n Escape
wait_gone n "Filter by status"
keys n / 冰箱 Enter
see n "search: 冰箱" "search for the refrigerator complaint"
keys n Enter c
see n "assigned to alice" "claim it"
keys n N
see n "time barred" "not-accept offers the grounds as a list"
keys n 4
see n "optional" "... then asks for an optional note"
keys n "超过三年" Enter
see n "Sure" "a terminal outcome asks for confirmation"
keys n Enter
see n "cancelled" "Enter does not confirm it"
run $W case show "$N3" --json
equals "$(json 'd["status"]')" "received" "... and nothing was written"
keys n N 4 Enter
see n "Sure" "asked again"
keys n y
see n "not accepted" "y confirms: the case is not accepted"
run $W case show "$N3" --json
equals "$(json 'd["status"]') $(json 'd["reason"]')" "not_accepted time-barred" "the ground is in the database"
keys n q Q

# ---- sorting, filtering, the timeline ----
console f 80 24 $W --user alice
see f "$N3" "alice's queue lists both her cases"
keys f o
see f "by received" "o sorts by the date received"
keys f o
see f "by amount" "... then by amount"
keys f c
see f "Filter by category" "c offers the categories"
keys f 2
see f "category=quality" "picking one filters the queue"
if wait_gone f "$N1"; then ok "... to the quality complaint alone"; else not_ok "category filter" "$(screen_of f)"; fi
keys f x
see f "$N1" "x clears the filters"
keys f / 冰箱 Enter
see f "search: 冰箱" "search again"
keys f Enter t
see f "Events (" "t shows the event timeline"
see f "not accept" "... with the ruling in it"
keys f L
see f "Offers (0)" "L shows the offer ledger"
keys f q Q

# ---- bindings from the user's file ----
mkdir -p "$TMP/cfg/weiquan"
printf '# my keys\nbind queue J open\nqueue ZZ nothing\n' > "$TMP/cfg/weiquan/keys"
XDG_CONFIG_HOME="$TMP/cfg" console k 80 24 env XDG_CONFIG_HOME="$TMP/cfg" $W --user alice
see k "keys:3: unknown key 'ZZ'" "a bad line in the keys file is reported with its line"
see k "$N3" "the queue shows alice's case"
keys k J
see k "Consumer" "a key bound in the user's file works"
keys k q
see k "my cases" "back to the queue"
keys k '?'
see k "J         open" "... whose help screen shows the new key"
keys k q Q

# ---- an old terminal ----
CONSOLE_TERM=vt100 console v 80 24 $W --user alice
see v "my cases" "the console works on a vt100"
see v "$N3" "... showing alice's cases"
keys v v
see v "unassigned" "... and moves between views"
keys v Q

for t in vt220 linux screen; do
	CONSOLE_TERM=$t console "t$t" 80 24 $W --user alice
	see "t$t" "my cases" "the console works with TERM=$t"
	keys "t$t" Q
done
NO_COLOR=1 console nc 80 24 env NO_COLOR=1 $W --user alice
see nc "my cases" "the console works with NO_COLOR set"
keys nc Q

# ---- the case changed while the user was typing ----
run db_sql "$DB" "SELECT count(*) FROM drafts"
equals "$out" "0" "no draft is left over from earlier sessions"
console st 80 24 $W --user alice
see st "$N1" "alice's queue"
keys st Enter
see st "Consumer" "open the case"
keys st n
see st "^X save" "start typing a note"
$W --user sam rule "$N1" note "主管补充：商家已同意协商" >/dev/null
keys st "我的备注"
see st "我的备注" "... typed"
keys st C-x
see st "sam changed the case at" "a ruling on a case changed meanwhile is refused, naming who changed it"
see st "kept as a draft" "... and the typed text is kept"
run db_sql "$DB" "SELECT text FROM drafts WHERE login = 'alice'"
equals "$out" "我的备注" "the draft is in the database"
keys st q Q

# ---- hostile text ----
console h 80 24 $W --user sam
see h "all cases" "a supervisor's console opens on all cases"
keys h / copy Enter
see h "search: copy" "the supervisor searches for the hostile statement"
keys h Enter
see h "end" "a statement full of escape sequences is drawn"
title=$(tmx display-message -p -t h '#{pane_title}')
lacks "$title" "HACKED" "an OSC title sequence in a statement does not retitle the terminal"
see h "Consumer" "a clear-screen sequence does not clear the screen"
screen_of h > "$TMP/hostile.txt"
if grep -q "$(printf '\033')" "$TMP/hostile.txt"; then
	not_ok "no escape byte reaches the terminal"
else
	ok "no escape byte reaches the terminal"
fi

# ---- an IP notice follows its own track ----
N4=$($W case add --case-type ip --case-category counterfeit \
	--consumer 某某体育用品有限公司 --merchant 某某运动专营店 \
	--statement "该店铺销售假冒我司注册商标的运动鞋。")
$W --user alice rule "$N4" claim >/dev/null
console p 80 24 $W --user alice
see p "$N4" "the IP notice is in alice's queue"
keys p / 假冒 Enter
see p "search: 假冒" "search for it"
keys p Enter :
see p "measures" "its rulings are the IP track's"
lacks "$(screen_of p)" "not accept" "... not a complaint's"
# (claiming a case already held is not offered: measures is second)
keys p 2
see p "delete" "measures offers the measures as a list"
keys p 1
see p "optional" "... then asks for an optional note"
keys p Enter
see p "measures taken" "the measure is taken"
run $W case show "$N4" --json
equals "$(json 'd["status"]') $(json 'd["reason"]')" "measures_taken delete" "... and recorded"

stop_consoles
done_testing
