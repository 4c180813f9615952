#!/bin/sh
# A collective group in a real terminal (tmux, 80x24): the case view says
# its case is a member and lists the shared evidence, C opens the group,
# a group ruling shows its preview for every member before anything is
# written, y applies it to the members it fits, and another console sees
# the change live.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add alice --role mediator >/dev/null
$W user add sam --role supervisor >/dev/null
add() {
	$W case add --case-type complaint --case-category quality \
		--consumer "$1" --merchant 同批次酒行 --amount 399 \
		--statement "$2"
}
C1=$(add 张三 "防伪码查不到，疑似假酒。")
C2=$(add 李四 "瓶盖有二次封口痕迹。")
C3=$(add 王五 "酒味不对，怀疑假冒。")
C4=$(add 赵六 "同一批次，酒精度不符。")
C5=$($W case add --case-type complaint --case-category delivery \
	--consumer 钱七 --merchant 快递慢店 --statement "下单十天未发货。")
G=$($W --user sam group create "同批次假酒" "$C1" "$C2" "$C3" --facts "三位消费者在同一店铺购买同一批次白酒")
printf '批次 20260201 检测报告\n' > "$TMP/检测报告.txt"
$W --user sam group evidence "$G" "$TMP/检测报告.txt" --kind appraisal >/dev/null
for c in "$C1" "$C2" "$C3" "$C4" "$C5"; do $W --user alice rule "$c" claim >/dev/null; done
$W --user alice rule "$C1" screen >/dev/null

console a 80 24 $W --user alice
see a "my cases" "alice's console opens on her queue"
keys a j Enter
see a "group $G 同批次假酒 (3 members)" "the case view names the group"
see a "检测报告.txt" "... and lists the shared evidence"
keys a C
see a "$G 同批次假酒" "C opens the group"
see a "三位消费者在同一店铺购买同一批次白酒" "... with the shared facts"
see a "$C3" "... and every member"
keys a :
see a "Rule on every member" ": offers the rulings for the members"
# (claiming is not among them: alice holds every member)
keys a 3
wait_for a "note (optional)" && keys a Enter
see a "screen for 2 of 3 members of $G. Apply? (y/n)" "the preview counts the members it fits"
see a "refused" "... and shows the one it does not fit"
equals "$(db_sql "$DB" "SELECT count(*) FROM cases WHERE status = 'screened'")" "1" "... before anything is written"
keys a n
see a "screen cancelled" "n cancels"
equals "$(db_sql "$DB" "SELECT count(*) FROM cases WHERE status = 'screened'")" "1" "... writing nothing"

console b 80 24 $W --user sam
see b "all cases" "a supervisor watches the queue meanwhile"
keys a :
see a "Rule on every member" "the rulings again"
keys a 3
wait_for a "note (optional)" && keys a Enter
see a "Apply? (y/n)" "the preview again"
keys a y
see a "screen: 2 of 3 members ruled on" "y applies it to the members it fits"
see a "(screen done)" "... and the list shows what each member got"
equals "$(db_sql "$DB" "SELECT count(*) FROM cases WHERE status = 'screened'")" "3" "every member is screened now"
equals "$(db_sql "$DB" "SELECT count(*) FROM events WHERE action = 'screen'")" "3" "... each with its own audit event"
tries=60
while [ "$(screen_of b | grep -c screened)" != 3 ] && [ $tries -gt 0 ]; do
	sleep 0.05
	tries=$((tries - 1))
done
if [ "$(screen_of b | grep -c screened)" = 3 ]; then
	ok "the other console shows the three members screened"
else
	not_ok "the other console refreshes" "$(screen_of b)"
fi
keys a g Enter
see a "批次 20260201 检测报告" "Enter on the shared evidence opens it"
keys a q
keys a G Enter
see a "酒味不对，怀疑假冒" "Enter on a member opens its case"
keys a Q

# ---- joining and starting groups from the case view ----
console j 80 24 $W --user alice
see j "my cases" "a console to group more cases"
keys j /
keys j "酒精度不符" Enter
wait_for j "1 cases" && keys j Enter
see j "酒精度不符" "the fourth complaint opens"
keys j C
see j "is in no collective group: join one of 同批次酒行" "C on a case in no group offers its merchant's groups"
see j "$G 同批次假酒 (3 members)" "... listing the group against the same merchant"
see j "a new group with this case" "... or a new one"
keys j 1
see j "joined $G" "picking the group joins it"
equals "$(db_sql "$DB" "SELECT group_id FROM cases WHERE number = '$C4'")" "1" "... in the database"
keys j C
see j "$G 同批次假酒  同批次酒行  4 members" "C now opens the group, with four members"
keys j q q
keys j x /
keys j "未发货" Enter
wait_for j "1 cases" && keys j Enter
see j "下单十天未发货" "a case against another merchant"
keys j C
see j "a new group with this case" "C offers only a new group"
lacks "$(screen_of j)" "$G 同批次" "... not the other merchant's group"
keys j 1
see j "Title of the new collective group" "a new group asks for its title"
keys j "快递延误" Enter
see j "The facts the members share" "... then the shared facts"
keys j "双十一期间多单未发货"
keys j C-x
see j "joined G2" "the new group is made with the case in it"
equals "$(db_sql "$DB" "SELECT title || '/' || facts FROM case_groups WHERE id = 2")" "快递延误/双十一期间多单未发货" "... with its title and facts"
keys j Q

# ---- times in the user's time zone ----
at=$(db_sql "$DB" "SELECT s.at FROM statements s JOIN cases c ON c.id = s.case_id WHERE c.number = '$C4' ORDER BY s.id LIMIT 1")
local=$(TZ=Asia/Shanghai python3 -c 'import sys, time, calendar; t = calendar.timegm(time.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ")); print(time.strftime("%Y-%m-%d %H:%M", time.localtime(t)))' "$at")
console t 80 24 env TZ=Asia/Shanghai $W --user alice
see t "my cases" "a console in Beijing time"
keys t /
keys t "酒精度不符" Enter
wait_for t "1 cases" && keys t Enter
see t "-- $local " "a statement shows its time in the user's zone ($at is $local)"
keys t Q
keys b Q
expect_rc 0 "the audit chain holds" $W audit verify
stop_consoles
done_testing
