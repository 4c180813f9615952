#!/bin/sh
# The dashboard tells administrators which year's holiday schedule to
# import before deadlines are counted in it (tmux, 80x24): weeks ahead,
# when the longest clock started today would end in a year not loaded;
# then with the running deadlines that already fall in it (a case accepted
# in December).  Such a deadline stays flagged until the year is imported,
# and the warning goes away, live, once it is.  `weiquan report` says the
# same.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add sam --role supervisor >/dev/null
$W user add alice --role mediator >/dev/null

WEIQUAN_NOW=2026-09-01T02:00:00Z run $W --user sam report --json
equals "$(json 'd["due"]["calendar_to_import"]')" "[]" \
	"in September no clock reaches 2027: nothing to import"
WEIQUAN_NOW=2026-11-02T02:00:00Z run $W --user sam report --json
equals "$(json 'd["due"]["calendar_to_import"]')" "[{'year': 2027, 'deadlines': 0}]" \
	"in November a mediation started today would end in 2027: import it"

export WEIQUAN_NOW=2026-12-10T02:00:00Z
N=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 某店 --statement "商家拒绝退款")
for step in claim screen accept; do
	$W --user alice rule "$N" "$step" >/dev/null
done
run $W case list --json
equals "$(json 'd["cases"][0]["calendar_uncertain"]')" "True" \
	"a case accepted in December: its mediation deadline in 2027 is flagged"
run $W --user sam report --json
equals "$(json 'd["due"]["calendar_to_import"]')" "[{'year': 2027, 'deadlines': 1}]" \
	"... and the report counts it against 2027"

console d 80 24 $W --user sam
see d "all cases" "the supervisor's console opens on the queue"
keys d D
see d "Load the 2027 holidays (calendar import): 1 deadline in it" \
	"the dashboard names the year to import, first thing"

cat >"$TMP/2027.json" <<'EOF'
{"year": 2027, "papers": ["https://www.gov.cn/test-2027"],
 "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}
EOF
expect_rc 0 "an administrator imports 2027" $W calendar import "$TMP/2027.json"
if wait_gone d "Load the 2027" 10; then
	ok "... and the warning leaves the dashboard"
else
	not_ok "the warning leaves the dashboard" "$(screen_of d)"
fi
run $W case list --json
equals "$(json 'd["cases"][0]["calendar_uncertain"]')" "False" "... and the deadline its flag"
keys d q
keys d Q

done_testing
