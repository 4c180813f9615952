#!/bin/sh
# The contact log in the console (tmux, 80x24): T in the case view asks
# party, channel, what was said, outcome and follow-up date (a bad date is
# asked again at once) and logs it; the timeline shows it; the queue shows
# the follow-up due (F0) where the clock's days would be, and the view
# "my follow-ups due" lists the case.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
for u in "alice mediator" "sam supervisor"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
N=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --phone 13812345678 --merchant 某店 --statement "商家拒绝退款")
M=$($W case add --case-type complaint --case-category refund \
	--consumer 李四 --merchant 某店 --statement "商品有瑕疵")
$W --user sam rule "$N" assign alice >/dev/null || not_ok "assign $N"
$W --user sam rule "$M" assign alice >/dev/null || not_ok "assign $M"
TODAY=$(TZ=Asia/Shanghai date +%F)

console q 80 24 $W --user alice
see q "my cases" "the mediator's queue"
keys q Enter
see q "Consumer" "a case opens"
N_OPEN=$(screen_of q | grep -o 'WQ-2026-[0-9]*' | head -1)
keys q T
see q "Contact with" "T asks whom the contact was with"
keys q Enter
see q "By" "... then the channel"
keys q Enter
see q "What was said" "... then what was said"
keys q "已致电消费者，说明处理流程" C-x
see q "Outcome (empty: none)" "... then the outcome"
keys q "同意补充截图" Enter
see q "Follow up on" "... then the follow-up date"
keys q 2026-02-30 Enter
see q "'2026-02-30' is not a date from today on" "a date that is none is refused at once, and asked again"
keys q C-u "$TODAY" Enter
see q "Contact logged" "a good one logs the contact"
run $W --user alice contact list "$N_OPEN" --json
equals "$(json '[(c["party"], c["channel"], c["said"], c["outcome"], c["follow_up_on"]) for c in d["contacts"]]')" \
	"[('complainant', 'phone', '已致电消费者，说明处理流程', '同意补充截图', '$TODAY')]" \
	"... in the database as given"
keys q t
see q "已致电消费者" "the timeline shows the contact"
keys q q
see q "my cases" "back to the queue"
see q "F0" "the follow-up due today shows where the days left are"
keys q v v v v
see q "my follow-ups due" "v reaches the view of my follow-ups due"
see q "1 cases" "... which lists one case"
see q "$N_OPEN" "... the one with the follow-up"
keys q Q

done_testing
