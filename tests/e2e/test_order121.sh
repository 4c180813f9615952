#!/bin/sh
# Order No. 121's procedure in the console (tmux, 80x24): a case received
# today offers its regime's grounds for not accepting; the platform
# operator's seat and the entrusting bureau are recorded through the
# ruling menu's prompts and shown on the case view.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add alice --role mediator >/dev/null
N=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 某店 --platform 某电商平台 \
	--statement "商家拒绝退款，店铺页面没有地址")
$W --user alice rule "$N" claim >/dev/null

console q 80 24 $W --user alice
see q "$N" "the queue lists the case"
keys q Enter
see q "Consumer" "the case opens"

keys q N
see q "identity refused" "not-accept offers Order No. 121's grounds"
lacks "$(screen_of q)" "false identity" "... not Order No. 20's"
keys q q
wait_gone q "identity refused"

keys q :
see q "Rulings that apply now" "the ruling menu"
see q "platform seat" "... offers the platform's seat"
keys q G k Enter
see q "no published address" "platform-seat asks its ground from a list"
keys q 1
see q "platform seat region" "... then the region"
keys q "浙江省杭州市" Enter
see q "optional" "... then an optional note"
keys q "店铺页面无地址" Enter
see q "platform's seat 浙江省杭州市" "the case view shows the jurisdiction"
see q "no published address" "... and its ground"
run $W case show "$N" --json
equals "$(json 'd["region"]')" "浙江省杭州市" "the handling region is the platform's seat"

keys q :
see q "Rulings that apply now" "the ruling menu again"
keys q G Enter
see q "entrusted bureau" "entrusted asks for the bureau"
keys q "杭州市西湖区市场监督管理局" Enter
see q "optional" "... then an optional note"
keys q Enter
see q "entrusted by 杭州市西湖区市场监督管理局" "the case view names the entrusting bureau"
run $W case show "$N" --json
equals "$(json 'd["entrusted_by"]')" "杭州市西湖区市场监督管理局" "... as case show does"
keys q q Q

stop_consoles
done_testing
