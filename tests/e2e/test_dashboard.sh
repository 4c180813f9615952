#!/bin/sh
# The supervisor's dashboard in a real terminal (tmux): the figures at
# 80x24 and on a wide terminal, a merchant marked with a key and checked
# through the command line, another session's ruling showing up live, a
# mediator refused, and ASCII bars where the locale is not UTF-8.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add alice --role mediator >/dev/null
$W user add sam --role supervisor >/dev/null
add() {
	$W case add --case-type complaint --case-category "$1" \
		--consumer "$2" --merchant "$3" --platform 淘宝 \
		--case-region "$4" --amount 99 --statement "$5"
}
N1=$(add refund 张三 优品数码旗舰店 广东省广州市 "收到的手机屏幕有划痕，商家拒绝退款。")
N2=$(add quality 李四 优品数码旗舰店 上海市浦东新区 "耳机一周就坏了。")
N3=$(add delivery 王五 好物百货店 广东省广州市 "付款后十天未发货。")
$W --user sam rule "$N3" flag possibly-malicious >/dev/null

# ---- the figures at 80x24 ----
console d 80 24 $W --user sam
see d "all cases" "the supervisor's console opens on the queue"
keys d D
see d "Cases by status" "D opens the dashboard"
see d "3 cases, 3 open, 3 unassigned" "... with the case counts"
see d "received" "... and the cases by status"
if screen_of d | grep -q "received.*█.*3"; then
	ok "... drawn as a bar with block characters"
else
	not_ok "block bars at 80x24" "$(screen_of d)"
fi
see d "lines 1-" "one column at 80x24, taller than the screen"
see d "Deadlines by clock" "the deadlines follow"
see d "all clocks" "... with the total over the clocks"
keys d NPage
see d "lines 20-" "PgDn scrolls a page"
see d "Merchants: the 12315 figures" "... down to the merchants"
keys d G
see d "Possibly malicious, awaiting review" "G goes to the last section"
see d "1 open cases flagged for a reviewer" "... counting the flagged case"
see d "$N3" "... and listing it"

# ---- a wide terminal ----
tmx resize-window -t d -x 200 -y 50
if wait_for d "Merchants: the 12315" &&
	screen_of d | grep "Cases by status" | grep -q "   [A-Z][a-z]*"; then
	ok "at 200 columns the sections stand side by side"
else
	not_ok "columns at 200x50" "$(screen_of d)"
fi
see d "优品数码旗舰店" "the merchant with the most complaints is listed"
see d "2 merchants, 3 complaints" "the 12315 figures cover every merchant"

# ---- marking a merchant ----
keys d j
see d "repeat offender: no, blacklisted: no" "j selects the first merchant and shows its record"
keys d r
see d "Reason for the mark" "r asks why the merchant is marked"
keys d -l "一个月投诉集中" && keys d Enter
see d "Legal basis of the mark" "... and on what legal basis"
keys d -l "《严重违法失信名单管理办法》" && keys d Enter
see d "优品数码旗舰店 is marked a repeat offender" "r marks it, the status line says so"
run db_sql "$DB" "SELECT reason || '|' || basis FROM merchant_marks ORDER BY id DESC LIMIT 1"
equals "$out" "一个月投诉集中|《严重违法失信名单管理办法》" "... keeping the reason and the basis"
see d "repeat offender: yes" "... and its record shows it"
run $W case list --json --status all
equals "$(json '[c["merchant_repeat_offender"] for c in d["cases"] if c["merchant"] == "优品数码旗舰店"]')" \
	"[True, True]" "the command line shows the merchant as a repeat offender"
equals "$(json '[c["merchant_repeat_offender"] for c in d["cases"] if c["merchant"] == "好物百货店"]')" \
	"[False]" "... and no other merchant"
keys d b
wait_for d "Reason for the mark" && keys d -l "售假" && keys d Enter
wait_for d "Legal basis of the mark" && keys d -l "处罚决定" && keys d Enter
see d "优品数码旗舰店 is blacklisted" "b blacklists it"
run $W case list --json --status all
equals "$(json '[c["merchant_blacklisted"] for c in d["cases"] if c["merchant"] == "优品数码旗舰店"]')" \
	"[True, True]" "the command line shows the merchant blacklisted"
keys d r
wait_for d "Reason for lifting the mark" && keys d -l "整改完成" && keys d Enter
see d "no longer marked a repeat offender" "r again lifts the mark"
run $W case list --json --status all
equals "$(json '[c["merchant_repeat_offender"] for c in d["cases"] if c["merchant"] == "优品数码旗舰店"]')" \
	"[False, False]" "... in the database too"
run db_sql "$DB" "SELECT count(*) FROM events WHERE action = 'merchant-mark' AND actor = 'sam'"
equals "$out" "3" "each mark is an audit event"
expect_rc 0 "the audit chain is intact" $W audit verify

# ---- live: another session's ruling ----
$W --user alice rule "$N1" claim >/dev/null
see d "3 cases, 3 open, 2 unassigned" "another session's ruling shows within 2 s" 2
$W --user alice rule "$N1" screen >/dev/null
see d "screened" "... and the next one too" 2
run $W --user sam report --json
equals "$(json 'd["unassigned"]') $(json 'd["by_status"]["screened"]')" "2 1" \
	"report --json gives the same figures"
equals "$(json '[m["rulings_today"] for m in d["mediators"] if m["login"] == "alice"]')" \
	"[2]" "... with alice's rulings of today"

# ---- back, and refused ----
keys d q
see d "all cases" "q goes back to the queue"
keys d Q
console m 80 24 $W --user alice
see m "my cases" "a mediator's console"
keys m D
see m "supervisors and admins" "the dashboard is refused to a mediator"
see m "my cases" "... who stays on the queue"
keys m Q

# ---- a locale without UTF-8: ASCII bars ----
console a 80 24 env LANG=C LC_ALL=C $W --user sam
see a "all cases" "a console in the C locale"
keys a D
see a "Cases by status" "... opens the dashboard"
if wait_for a "###" && ! screen_of a | grep -q "█"; then
	ok "... with ASCII bars"
else
	not_ok "ASCII bars in the C locale" "$(screen_of a)"
fi
keys a Q

# ---- the report, diversion and IP-notice tracks' own figures, at 80x24 ----
report() {
	$W case add --case-type report --case-category advertising \
		--merchant 优品数码旗舰店 "$@"
}
diversion() {
	$W case add --case-type diversion --case-category diversion \
		--consumer 山东岱宗食品有限公司 --merchant "$1" --statement "串货" \
		--brand 岱宗 --authorised-region "$2" --found-region "$3"
}
R1=$(report --consumer 王五 --phone 13800138000 --statement "虚假宣传")
R2=$(report --consumer 匿名 --statement "匿名举报")
$W --user alice rule "$R1" claim >/dev/null
$W --user alice rule "$R1" file >/dev/null
diversion 广州某商贸 山东省 广东省广州市 >/dev/null
diversion 广州另一商贸 山东省 广东省广州市 >/dev/null
diversion 杭州某商贸 四川省 浙江省杭州市 >/dev/null
ip() {
	$W case add --case-type ip --case-category counterfeit \
		--consumer 某品牌权利人 --merchant 优品数码旗舰店 \
		--statement "销售假冒注册商标的商品"
}
I1=$(ip)
ip >/dev/null
$W --user alice rule "$I1" claim >/dev/null
$W --user alice rule "$I1" measures delete >/dev/null
$W --user alice rule "$I1" mark-wrongful wrongful-notice >/dev/null
console t 80 24 $W --user sam
see t "all cases" "a supervisor's console at 80x24"
keys t D
see t "Cases by status" "... opens the dashboard"
# Page down until the diversion section stands whole on the screen.
for i in 1 2 3 4 5 6 7 8; do
	screen_of t | grep -q "authorised region" && break
	keys t NPage
	sleep 0.2
done
see t "Reports (举报): their own figures, by status" "the reports have a section of their own"
see t "2 reports" "... counting every report"
if screen_of t | grep -q "report filed .*1"; then
	ok "... by status, the filed one among them"
else
	not_ok "... by status, the filed one among them" "$(screen_of t)"
fi
see t "Diversion disputes (串货): their own figures" "the diversion disputes have one too"
see t "3 disputes, by status:" "... counting them"
if screen_of t | grep -q "广东省广州市.*2" && screen_of t | grep -q "浙江省杭州市.*1"; then
	ok "... by where the goods were found"
else
	not_ok "diversion by where found" "$(screen_of t)"
fi
if screen_of t | grep -q "山东省.*2" && screen_of t | grep -q "四川省.*1"; then
	ok "... and by the authorised region, the whole section on one screen"
else
	not_ok "diversion by authorised region" "$(screen_of t)"
fi
if screen_of t | grep -q "Diversion disputes" && screen_of t | grep -q "四川省"; then
	ok "... which fits 80x24"
else
	not_ok "the diversion section fits 80x24" "$(screen_of t)"
fi
for i in 1 2 3 4; do
	screen_of t | grep -q "found malicious notice" && break
	keys t NPage
	sleep 0.2
done
see t "IP notices: their own figures, by status" "the IP notices have a section of their own"
see t "2 notices" "... counting every notice"
if screen_of t | grep -q "measures taken .*1"; then
	ok "... by status"
else
	not_ok "IP notices by status" "$(screen_of t)"
fi
see t "found wrongful notice: 1" "... and the notices found wrongful"
keys t G
see t "Possibly malicious, awaiting review" "the sections after them still follow"
keys t Q
run $W --user sam report --json
equals "$(json 'd["merchants"]["all"]["complaints"]')" "3" \
	"the merchants' 12315 figures still count only the 3 complaints"
equals "$(json 'd["ip_by_status"]')" "{'measures_taken': 1, 'notice_received': 1}" \
	"report --json has the IP notices' own figures"
equals "$(json 'd["ip_findings"]["wrongful-notice"]')" "1" "... with those found wrongful"

# ---- keys typed ahead: what comes on screen was read first ----
# The merchants' last 60 days and the flagged cases are read when their
# section comes on screen, or once the console has drawn and waits for a
# key.  With the keys already waiting it never waits: each section must
# still be whole when it is drawn, never its placeholder ("...").
console k 80 24 $W --user sam
see k "all cases" "a supervisor's console for keys typed ahead"
pane=$(tmx display-message -p -t k '#{pane_pid}')
pid=$(pgrep -P "$pane" -x weiquan | head -n 1)
[ -n "$pid" ] || not_ok "the console's process is found" "pane $pane"
typed_ahead() {
	kill -STOP "$pid"
	keys k "$@"
	sleep 0.3
	kill -CONT "$pid"
}
typed_ahead D NPage NPage
see k "Merchants: the 12315 figures" "D and two pages typed ahead reach the merchants"
wait_for k "优品数码旗舰店 " >/dev/null
# its 2 complaints, then its growth: none 30 to 59 days ago, so "-"
row=$(screen_of k | grep "^优品数码旗舰店 ")
if echo "$row" | grep -Eq "^优品数码旗舰店 +2 +- "; then
	ok "... whose growth is drawn read, not as a placeholder"
else
	not_ok "... whose growth is drawn read, not as a placeholder" "$row"
fi
typed_ahead q D G
see k "Possibly malicious, awaiting review" "q, D and G typed ahead reach the flagged cases"
# The frame as G drew it: the console redraws a placeholder once it has
# read the list while waiting (a second later), so look at once.
for i in 1 2 3 4 5 6 7 8 9 10; do
	frame=$(screen_of k)
	case $frame in *"$N3"* | *"  ..."*) break ;; esac
	sleep 0.05
done
case $frame in
*"  ..."*) not_ok "... and lists them as it draws them, no placeholder" "$frame" ;;
*"$N3"*) ok "... and lists them as it draws them, no placeholder" ;;
*) not_ok "... and lists them as it draws them, no placeholder" "$frame" ;;
esac
keys k Q

stop_consoles
done_testing
