#!/bin/sh
# The contact log from the command line: a mediator logs a call on a case
# assigned to them (party, channel, what was said, outcome, follow-up
# date) and lists it; the next contact answers the follow-up; who may not
# change the case may not log on it; bad channels, parties and past dates
# are refused; entries cannot be changed; audit verify checks every entry
# against its event and finds one changed behind its back.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db c)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-02T09:00:00Z
export LC_ALL=C.UTF-8
unset LANGUAGE

expect_rc 0 "init" $W init
for u in "alice mediator" "bob mediator" "sam supervisor" "desk1 desk"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
N=$($W --user desk1 case add --case-type complaint --case-category refund \
	--consumer 张三 --phone 13812345678 --merchant 某店 --statement "商家拒绝退款")
$W --user sam rule "$N" assign alice >/dev/null || not_ok "assign $N"

expect_rc 0 "a mediator logs a call on her case" \
	$W --user alice contact add "$N" --party complainant --channel phone \
	--said "已致电消费者，说明处理流程" --outcome "同意补充订单截图" \
	--follow-up 2026-03-05
contains "$out" "logged on $N" "... and is told so"
expect_rc 0 "the log as JSON" $W --user alice contact list "$N" --json
equals "$(json '[(c["party"], c["channel"], c["said"], c["outcome"], c["follow_up_on"], c["author"]) for c in d["contacts"]]')" \
	"[('complainant', 'phone', '已致电消费者，说明处理流程', '同意补充订单截图', '2026-03-05', 'alice')]" \
	"... holds the entry as given"
equals "$(json 'd["follow_up_on"]')" "2026-03-05" "... and the case's follow-up"
expect_rc 0 "the desk that registered the case reads the log" \
	$W --user desk1 contact list "$N"
contains "$out" "已致电消费者" "... what was said"
contains "$out" "2026-03-05" "... and the follow-up date"

expect_rc 0 "the next contact, by SMS to the merchant, without a follow-up" \
	$W --user alice contact add "$N" --party respondent --channel sms \
	--said "短信通知商家三日内答复"
run $W --user alice contact list "$N" --json
equals "$(json 'len(d["contacts"]), d["follow_up_on"]')" "(2, None)" \
	"... answers the follow-up"

expect_rc 1 "another mediator may not log on her case" \
	$W --user bob contact add "$N" --party complainant --channel phone --said x
contains "$err" "may not" "... and is told why"
expect_rc 1 "a channel not in the list is refused" \
	$W --user alice contact add "$N" --party complainant --channel fax --said x
contains "$err" "phone, sms, email, visit or letter" "... naming the channels"
expect_rc 1 "a party not in the list is refused" \
	$W --user alice contact add "$N" --party mediator --channel phone --said x
expect_rc 1 "a follow-up in the past is refused" \
	$W --user alice contact add "$N" --party complainant --channel phone \
	--said x --follow-up 2026-03-01
expect_rc 1 "a follow-up that is no date is refused" \
	$W --user alice contact add "$N" --party complainant --channel phone \
	--said x --follow-up 2026-02-30
expect_rc 2 "nothing said is a usage error" \
	$W --user alice contact add "$N" --party complainant --channel phone
expect_rc 1 "no such case" $W --user alice contact list WQ-2026-999999
run $W --user alice contact list "$N" --json
equals "$(json 'len(d["contacts"])')" "2" "nothing refused was logged"

run db_sql "$DB" "UPDATE contacts SET said = 'x'"
contains "$err" "contacts cannot be changed" "an entry cannot be changed"
run db_sql "$DB" "DELETE FROM contacts"
contains "$err" "contacts cannot be deleted" "... nor deleted"

expect_rc 0 "audit verify" $W audit verify
contains "$out" "Contacts that agree with their events: 2." "... checks both entries"
db_sql "$DB" "$(no_trigger "$DB" contacts contacts_no_update)
	UPDATE contacts SET said = '消费者同意撤诉' WHERE id = 1;
	UPDATE contacts SET follow_up_on = '2026-04-01' WHERE id = 2;"
expect_rc 1 "audit verify finds entries changed behind its back" $W audit verify
contains "$err" "contact 1 of case $N: what was said changed since its event" \
	"... what was said"
contains "$err" "contact 2 of case $N: its follow-up date changed" \
	"... and the follow-up date"
db_sql "$DB" "INSERT INTO contacts(case_id, party, channel, said, author, at)
	VALUES (1, 'complainant', 'visit', '伪造', 'alice', '2026-03-02T10:00:00Z')"
run $W audit verify
contains "$err" "contact 3 of case $N: no event records it" "... and one no event records"

done_testing
