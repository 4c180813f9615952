#!/bin/sh
# The rights holder's 15-day wait of an IP notice (E-Commerce Law art. 43)
# runs as a calendar-day clock from the day the merchant's declaration is
# forwarded: case show gives its figure and source, the case view (tmux,
# 80x24) counts it down in calendar days, and ending the measures is
# refused until it has run out.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add med --role mediator >/dev/null
export WEIQUAN_NOW=2026-10-12T02:00:00Z
N=$($W case add --case-type ip --case-category counterfeit \
	--consumer 某某体育用品有限公司 --merchant 某店 --statement "店铺销售假冒注册商标的运动鞋")
for step in claim "measures delete" declaration forward-declaration; do
	$W --user med rule "$N" $step >/dev/null
done

run $W case show "$N" --json
equals "$(json 'd["clock"] + " " + d["due_on"]')" "ip_wait 2026-10-27" \
	"forwarded on 12 October: the wait runs to the 27th"
equals "$(json 'd["figures"]["ip_wait"]["calendar_days"]')" "15" \
	"... fifteen calendar days"
contains "$(json 'd["figures"]["ip_wait"]["source"]')" "art. 43" "... citing the E-Commerce Law"
equals "$(json 'd["due_verified"]')" "True" "... read in the statute"

# A Saturday in the wait counts: eight calendar days on, seven are left.
export WEIQUAN_NOW=2026-10-20T02:00:00Z
run $W case list --json
equals "$(json 'd["cases"][0]["calendar_days_left"]')" "7" \
	"case list counts calendar days, not working days"

console c 80 24 $W --user med
see c "$N" "the queue lists the notice"
keys c Enter
see c "7 days left (to 2026-10-27)" "the case view counts the wait down in calendar days"
keys c q Q
expect_rc 1 "the measures cannot end while it runs" $W --user med rule "$N" end-measures
contains "$err" "until 2026-10-27" "... saying until when"

export WEIQUAN_NOW=2026-10-28T02:00:00Z
expect_rc 0 "the day after, they end" $W --user med rule "$N" end-measures
run $W case show "$N" --json
equals "$(json 'd["clocks"]["ip_wait"]["stopped"]')" "2026-10-28" "... and the clock stops"

done_testing
