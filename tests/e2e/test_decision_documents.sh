#!/bin/sh
# The notices of a transfer, of an IP notice not acted on and of a
# diversion dispute's outcome in a real terminal (tmux, 80x24): f on the
# case view offers each once its ruling was made, and picking it shows it
# with the recorded words, escape sequences made harmless.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
WEIQUAN_DOCUMENTS="$TMP/no-override"
export WEIQUAN_DOCUMENTS
for u in alice bob carol; do $W user add $u --role mediator >/dev/null; done

T=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 优品数码旗舰店 --statement "屏幕有划痕，商家拒绝退款")
$W --user alice rule "$T" claim >/dev/null
$W --user alice rule "$T" transfer "$(printf '余杭区市场监管局\033]0;pwned\007')" \
	"被投诉人住所地在余杭区" >/dev/null
console a 80 24 $W --user alice
see a "$T" "alice's console opens on her queue"
keys a Enter
see a "屏幕有划痕" "Enter opens the transferred complaint"
keys a f
see a "transferred to the competent body" "f offers the notice of the transfer, by name"
keys a 2
see a "投诉移送告知书" "picking it shows the notice"
see a "被投诉人住所地在余杭区" "... with the reason recorded"
see a "余杭区市场监管局?]0;pwned?" "... and the body, its escape sequence shown harmless"
tmx kill-session -t a 2>/dev/null

J=$($W case add --case-type ip --case-category counterfeit \
	--consumer 某某体育用品有限公司 --merchant 飞跃运动专营店 \
	--statement "店铺销售假冒注册商标的运动鞋")
$W --user bob rule "$J" claim >/dev/null
$W --user bob rule "$J" reject-notice no-preliminary-evidence "仅附商标注册证" >/dev/null
console b 80 24 $W --user bob
see b "$J" "bob's console opens on his queue"
keys b Enter
see b "店铺销售假冒注册商标的运动鞋" "Enter opens the IP notice"
keys b f
see b "IP notice was not acted on" "f offers the notice that it was not acted on"
keys b 2
see b "不予采取必要措施通知书" "picking it shows the notice"
see b "该通知未附构成侵权的初步证据" "... with the reason"
see b "第四十二条" "... citing art. 42"
tmx kill-session -t b 2>/dev/null

V=$($W case add --case-type diversion --case-category diversion \
	--consumer 山东岱宗食品有限公司 --merchant 广州某商贸有限公司 \
	--statement "山东专供批次在广州市场销售" --brand 岱宗 \
	--authorised-region 山东省 --found-region 广东省广州市)
$W --user carol rule "$V" claim >/dev/null
$W --user carol rule "$V" verify-trace >/dev/null
$W --user carol rule "$V" penalty 50000 >/dev/null
console c 80 24 $W --user carol
see c "$V" "carol's console opens on her queue"
keys c Enter
see c "山东专供批次在广州市场销售" "Enter opens the diversion case"
keys c f
see c "diversion dispute's outcome" "f offers the notice of the outcome"
keys c 2
see c "串货纠纷处理结果通知书" "picking it shows the notice"
see c "违约金50000.00元" "... with the penalty agreed"
equals "$(db_sql "$DB" "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM documents ORDER BY id) AS d")" \
	"transfer ip-rejected diversion-outcome" "each notice is kept"
done_testing
