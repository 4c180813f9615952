#!/bin/sh
# Tracks of their own in the console (tmux, 80x24): a diversion case's
# header shows the brand, the regions, the batch and the contract's
# penalty instead of an order; its rulings and a report's are their
# tracks'; a report's decision starts the real-name reporter's clock,
# marked unverified.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add alice --role mediator >/dev/null
D=$($W case add --case-type diversion --case-category diversion \
	--consumer 山东岱宗食品有限公司 --merchant 广州某商贸有限公司 \
	--statement "山东专供批次在广州销售" --brand 岱宗 \
	--authorised-region 山东省 --found-region 广东省广州市 --batch B0301 \
	--penalty 100 --clause "第五条 区域限制")
R=$($W case add --case-type report --case-category advertising \
	--consumer 王五 --phone 13800138000 --merchant 某旗舰店 \
	--statement "涉嫌虚假宣传")
$W --user alice rule "$D" claim >/dev/null
$W --user alice rule "$R" claim >/dev/null

console t 80 24 $W --user alice
see t "$D" "the diversion case is in alice's queue"
keys t / 山东专供 Enter
see t "search: 山东专供" "search for it"
keys t Enter
see t "brand 岱宗" "its header names the brand"
see t "山东省 -> found 广东省广州市" "... the authorised region and where the goods were found"
see t "penalty 100.00" "... and the contract's penalty"
lacks "$(screen_of t)" "remedy claimed" "... not an order's remedy"
keys t :
see t "verify trace" "its rulings are the diversion track's"
lacks "$(screen_of t)" "not accept" "... not a complaint's"

$W --user alice rule "$R" file "立案调查" >/dev/null
console r 80 24 $W --user alice
see r "$R" "the report is in alice's queue"
keys r / 虚假宣传 Enter
see r "search: 虚假宣传" "search for the report"
keys r Enter
see r "report tell" "a filed real-name report runs the notice clock"
see r "unverified)" "... marked unverified"
keys r :
see r "tell" "telling the reporter is among its rulings"
lacks "$(screen_of r)" "mediation" "... and nothing of mediation"

stop_consoles
done_testing
