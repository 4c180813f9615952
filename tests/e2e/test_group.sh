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
G=$($W --user sam group create "同批次假酒" "$C1" "$C2" "$C3" --facts "三位消费者在同一店铺购买同一批次白酒")
printf '批次 20260201 检测报告\n' > "$TMP/检测报告.txt"
$W --user sam group evidence "$G" "$TMP/检测报告.txt" --kind appraisal >/dev/null
for c in "$C1" "$C2" "$C3"; do $W --user alice rule "$c" claim >/dev/null; done
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
keys a 4
wait_for a "NOTE" && keys a Enter
see a "screen for 2 of 3 members of $G. Apply? (y/n)" "the preview counts the members it fits"
see a "refused" "... and shows the one it does not fit"
equals "$(sqlite3 "$DB" "SELECT count(*) FROM cases WHERE status = 'screened'")" "1" "... before anything is written"
keys a n
see a "screen cancelled" "n cancels"
equals "$(sqlite3 "$DB" "SELECT count(*) FROM cases WHERE status = 'screened'")" "1" "... writing nothing"

console b 80 24 $W --user sam
see b "all cases" "a supervisor watches the queue meanwhile"
keys a :
see a "Rule on every member" "the rulings again"
keys a 4
wait_for a "NOTE" && keys a Enter
see a "Apply? (y/n)" "the preview again"
keys a y
see a "screen: 2 of 3 members ruled on" "y applies it to the members it fits"
see a "(screen done)" "... and the list shows what each member got"
equals "$(sqlite3 "$DB" "SELECT count(*) FROM cases WHERE status = 'screened'")" "3" "every member is screened now"
equals "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE action = 'screen'")" "3" "... each with its own audit event"
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
keys b Q
expect_rc 0 "the audit chain holds" $W audit verify
stop_consoles
done_testing
