#!/bin/sh
# The command line as a script meets it: every command, its refusals and
# its errors, checked through its output and the database.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
unset WEIQUAN_NOW

# ---- usage ----
expect_rc 0 "--help exits 0" $WEIQUAN --help
contains "$out" "case list" "--help lists the commands"
for c in init demo user import export case rule report audit calendar clock damages backup evidence group; do
	run $WEIQUAN $c --help
	if [ "$rc" = 0 ] && printf '%s' "$out" | grep -q "^  $c" && ! printf '%s' "$out" | grep -q "^Commands:"; then
		ok "$c --help describes $c alone"
	else
		not_ok "$c --help describes $c alone" "exit $rc" "$out"
	fi
done
expect_rc 2 "an unknown command is bad usage" $WEIQUAN frobnicate
contains "$err" "unknown command 'frobnicate'" "... and says which"
expect_rc 2 "an unknown option is bad usage" $WEIQUAN case list --colour
expect_rc 1 "a missing database is refused" $W case list
contains "$err" "weiquan init" "... pointing at init"

# ---- init ----
expect_rc 0 "init creates the database" $W init
contains "$out" "administrator" "... and names its administrator"
contains "$out" "Loaded 72 calendar days for 2 years" "... and loads the shipped calendar"
expect_rc 0 "init again is harmless" $W init
contains "$out" "schema version 35" "... and reports the version"
for u in "alice mediator" "bob mediator" "sam supervisor" "sue supervisor" "desk1 desk"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
expect_rc 1 "adding a user twice is refused" $W user add alice --role mediator
contains "$err" "already exists" "... saying so"
expect_rc 1 "a non-admin cannot add users" $W --user sam user add eve --role admin
expect_rc 1 "an unknown login is refused" $W --user ghost case list
contains "$err" "'ghost' has no weiquan account" "... with a clear message"
expect_rc 2 "a bad role is bad usage" $W user add carol --role boss

# ---- schema versions ----
if sqlite_only schema-versions; then
cp "$DB" "$TMP/new.db"
sqlite3 "$TMP/new.db" "PRAGMA user_version = 99"
expect_rc 1 "a newer database is refused" $WEIQUAN --db "$TMP/new.db" case list
contains "$err" "newer than this program" "... saying to upgrade"
cp "$DB" "$TMP/old.db"
sqlite3 "$TMP/old.db" "DROP TABLE drafts; DROP TABLE group_evidence; DROP INDEX consumers_by_identity; PRAGMA user_version = 1"
expect_rc 1 "an older database is refused" $WEIQUAN --db "$TMP/old.db" case list
contains "$err" "weiquan init" "... pointing at init to migrate it"
expect_rc 0 "init migrates it" $WEIQUAN --db "$TMP/old.db" init
run sqlite3 "$TMP/old.db" "PRAGMA user_version; SELECT count(*) FROM drafts; SELECT count(*) FROM group_evidence; SELECT count(*) FROM sqlite_master WHERE name = 'consumers_by_identity'"
equals "$(echo $out)" "35 0 0 1" "... to the current schema"
: > "$TMP/empty.db"
expect_rc 1 "a file that is not weiquan's is refused" $WEIQUAN --db "$TMP/empty.db" case list
fi

# ---- intake ----
add_case() {
	$W --user desk1 case add --case-type complaint --case-category refund \
		--consumer 张三 --phone 13812345678 --id-number 110101199001011234 \
		--merchant 优品数码旗舰店 --platform 淘宝 --shop-id TB1001 \
		--case-region 广东省广州市 --order-no TB2026-0012345 --amount 1299.00 \
		--order-date 2026-09-01 --remedy refund \
		--statement "收到的手机屏幕有划痕，商家拒绝退款" "$@"
}
# Received on Thursday 2026-09-24, just before the Mid-Autumn and National
# Day holidays: 7 working days are 09-28, 09-29, 09-30, 10-08, 10-09,
# 10-10 (an adjusted working Saturday) and 10-12.
export WEIQUAN_NOW=2026-09-24T02:00:00Z
run add_case
N=$out
equals "$N" "WQ-2026-000001" "case add prints the new public number"
run $W case list --json --status all
equals "$(json 'd["cases"][0]["due_on"]')" "2026-10-12" "the acceptance clock skips the holidays and counts the adjusted Saturday"
equals "$(json 'd["cases"][0]["working_days_left"]')" "7" "working days left on the day of receipt"
expect_rc 1 "a case without a statement is refused" add_case --statement ""
contains "$err" "statement" "... naming the field"
expect_rc 2 "a bad amount is bad usage" add_case --amount 12,5
expect_rc 1 "a bad order date is refused" add_case --order-date 2026-02-30
contains "$err" "order_date" "... naming the field"
expect_rc 1 "an unknown case type is refused" add_case --case-type lawsuit

# ---- rulings ----
expect_rc 1 "a mediator cannot act on an unassigned case" $W --user alice rule "$N" screen
contains "$err" "claim it first" "... and is told to claim it"
expect_rc 0 "claim" $W --user alice rule "$N" claim
expect_rc 1 "a second mediator cannot claim it" $W --user bob rule "$N" claim
contains "$err" "already assigned to alice" "... and is told who has it"
expect_rc 1 "accept before screening is refused" $W --user alice rule "$N" accept
contains "$err" "is received" "... naming the status"
expect_rc 0 "screen" $W --user alice rule "$N" screen
run $W case show "$N" --json
V=$(json 'd["version"]')
expect_rc 0 "accept with the current version" $W --user alice rule "$N" accept --expect-version "$V"
expect_rc 1 "a ruling on a stale version is refused" $W --user alice rule "$N" note "迟到的备注" --expect-version "$V"
contains "$err" "changed by alice" "... saying who changed the case"
export WEIQUAN_NOW=2026-10-12T02:00:00Z
expect_rc 0 "start mediation" $W --user alice rule "$N" start
run $W case show "$N" --json
DUE1=$(json 'd["clocks"]["mediation"]["due"]')
expect_rc 0 "testing pauses the mediation clock" $W --user alice rule "$N" substate testing
export WEIQUAN_NOW=2026-10-19T02:00:00Z
expect_rc 0 "back from testing" $W --user alice rule "$N" substate awaiting_merchant
run $W case show "$N" --json
DUE2=$(json 'd["clocks"]["mediation"]["due"]')
# Five working days (10-13 .. 10-19) in testing move the due date by five.
equals "$(python3 -c "
import json
cal = json.load(open('$WQ_SRCDIR/data/calendar-cn.json'))
off = {x['date']: x['isOffDay'] for x in cal['days']}
import datetime
d = datetime.date.fromisoformat('$DUE1'); n = 0
while n < 5:
    d += datetime.timedelta(days=1)
    iso = d.isoformat()
    work = (not off[iso]) if iso in off else d.weekday() < 5
    n += work
print(d)")" "$DUE2" "the pause extends the due date by the working days spent testing"
expect_rc 1 "an unknown sub-state is refused" $W --user alice rule "$N" substate sleeping
expect_rc 0 "record an offer" $W --user alice rule "$N" offer respondent refund 1299 "全额退款"
expect_rc 0 "record statutory damages as an offer" $W --user alice rule "$N" offer respondent compensation crpl55
run $W case show "$N" --json
equals "$(json 'd["offers"][1]["amount_fen"]')" "389700" "art. 55 damages are three times the price"
contains "$(json 'd["offers"][1]["terms"]')" "第五十五条" "... citing the law"
expect_rc 0 "counter-offer" $W --user alice rule "$N" counter 1 refund 1000
expect_rc 1 "agreeing on a countered offer is refused" $W --user alice rule "$N" agree 1 respondent 2026-11-01
expect_rc 0 "agreement on an offer" $W --user alice rule "$N" agree 2 respondent 2026-11-01 "商家退款并赔偿"
run $W case show "$N" --json
contains "$(json 'd["agreements"][0]["text"]')" "消费者权益保护法" "the agreement cites the damages basis"
expect_rc 0 "watch performance" $W --user alice rule "$N" watch
expect_rc 1 "submitting before performance is refused" $W --user alice rule "$N" submit
expect_rc 0 "performed" $W --user alice rule "$N" performed
expect_rc 0 "submit for review" $W --user alice rule "$N" submit
expect_rc 1 "a mediator cannot approve" $W --user alice rule "$N" approve
expect_rc 0 "first review" $W --user sam rule "$N" approve
expect_rc 0 "send back from final review" $W --user sue rule "$N" send-back "请补充履行凭证"
run $W case show "$N" --json
equals "$(json 'd["status"]')" "performance_watch" "send-back returns to the status before review"
expect_rc 0 "submit again" $W --user alice rule "$N" submit
expect_rc 0 "first review again" $W --user sam rule "$N" approve
expect_rc 0 "final review closes" $W --user sue rule "$N" approve
expect_rc 1 "a mediator cannot reopen" $W --user alice rule "$N" reopen "新证据"
expect_rc 0 "a supervisor reopens with a reason" $W --user sam rule "$N" reopen "新证据"
expect_rc 2 "an unknown action is bad usage" $W --user alice rule "$N" dance
expect_rc 1 "missing arguments are refused with the usage" $W --user alice rule "$N" not-accept
expect_rc 0 "rule --list" $W rule --list
contains "$out" "not-accept REASON" "rule --list shows the actions with their arguments"

# ---- not accepted ----
export WEIQUAN_NOW=2026-10-20T02:00:00Z
run add_case --consumer 李四
M=$out
$W --user bob rule "$M" claim >/dev/null
expect_rc 1 "a ground that does not exist is refused" $W --user bob rule "$M" not-accept lazy
contains "$err" "time-barred" "... listing the grounds"
expect_rc 0 "not accepted on a ground" $W --user bob rule "$M" not-accept time-barred "超过三年"
run $W case list --json --status not_accepted
equals "$(json 'd["cases"][0]["number"]')" "$M" "filter by status"

# ---- the queue ----
run $W case list --json --assignee alice --status all
equals "$(json 'len(d["cases"])')" "1" "filter by assignee"
run $W --user alice case list --json --assignee me --status all
equals "$(json 'd["cases"][0]["number"]')" "$N" "--assignee me"
run $W case list --json --search 划痕 --status all
equals "$(json 'len(d["cases"])')" "2" "a two-character Chinese search finds both cases"
run $W case list --json --search 划 --status all
equals "$(json 'len(d["cases"])')" "2" "a one-character search"
run $W case list --json --search 超过三年 --status all
equals "$(json 'd["cases"][0]["number"]')" "$M" "a four-character search finds the note"
run $W case list --json --search '"OR (' --status all
equals "$rc" "0" "search text with FTS syntax is taken literally"
run $W case list --json --limit 1 --status all
C=$(json 'd["next_cursor"]')
run $W case list --json --limit 1 --status all --after "$C"
equals "$(json 'd["cases"][0]["number"]')" "$M" "keyset paging with --after"
expect_rc 1 "a bad cursor is refused" $W case list --after nonsense
run $W --user desk1 case list --json --status all
equals "$(json 'len(d["cases"])')" "2" "a desk sees what it registered"

# ---- personal data ----
run $W --user alice case show "$N" --json
equals "$(json 'd["consumer"]["id_number"]')" "1101************34" "a mediator sees the ID number masked"
equals "$(json 'd["consumer"]["phone"]')" "13812345678" "... and the phone, to call the parties"
run $W --user sam case show "$N" --json
equals "$(json 'd["consumer"]["id_number"]')" "110101199001011234" "a supervisor checking identity sees the ID number"
run $W --user alice export --format json
contains "$out" "1101************34" "exports mask the ID number by the same rule"
lacks "$out" "110101199001011234" "... and never show it whole"
run $W --user desk1 case show "$N" --json
equals "$(json 'd["consumer"]["id_number"]')" "110101199001011234" "the desk reads back what it took"

# ---- history ----
run $W case show "$N" --json --at 2026-10-12T02:00:30Z
equals "$(json 'd["status"]')" "in_mediation" "case show --at rebuilds the status as it stood"
equals "$(json 'len(d["offers"])')" "0" "... without the later offers"
run $W case show "$N" --json --at 2026-09-25
equals "$(json 'd["status"]')" "accepted" "--at a bare date means the end of that day"
expect_rc 1 "--at before the case existed" $W case show "$N" --at 2026-01-01
contains "$err" "not yet registered" "... says so"

# ---- evidence ----
printf '买家: 屏幕有划痕\n卖家: 不支持退款\n' | iconv -f UTF-8 -t GB18030 > "$TMP/chat.txt"
expect_rc 0 "attach GB18030 evidence" $W --user alice evidence add "$N" "$TMP/chat.txt" --kind chat --party complainant
run $W case show "$N" --json
equals "$(json 'd["evidence"][0]["encoding"]')" "gb18030" "its encoding is detected"
equals "$(json 'd["evidence"][0]["sha256"]')" "$(sha256sum "$TMP/chat.txt" | cut -d' ' -f1)" "its SHA-256 is of the original bytes"
run $W case list --json --search 不支持退款 --status all
equals "$(json 'd["cases"][0]["number"]')" "$N" "evidence text is searchable"
expect_rc 1 "an unknown evidence kind is refused" $W --user alice evidence add "$N" "$TMP/chat.txt" --kind rumour --party complainant

# ---- damages ----
run $WEIQUAN damages crpl55 100
contains "$out" "500.00" "art. 55 damages are at least 500 yuan"
run $WEIQUAN damages fsl148 50 400
contains "$out" "1200.00" "art. 148: three times the loss when that is more"
contains "$out" "误导的瑕疵的除外〔未经与官方文本核对〕" "... for food only, with the label proviso marked unverified"
expect_rc 1 "art. 55(1) refuses a loss it does not count" $WEIQUAN damages crpl55 100 50
contains "$err" "not a loss" "... saying so"
run $WEIQUAN damages crpl55-2 100 2000
contains "$out" "up to 4000.00" "art. 55(2): up to twice the losses"
expect_rc 1 "... which it needs" $WEIQUAN damages crpl55-2 100
run $WEIQUAN damages dal144 300
contains "$out" "《中华人民共和国药品管理法》第一百四十四条第三款" "medicines: the Drug Administration Law"

# ---- audit ----
expect_rc 0 "the audit chain verifies" $W audit verify
run db_sql "$DB" "UPDATE events SET actor = 'x' WHERE id = 3"
contains "$rc:$err" "audit events cannot be changed" "events cannot be updated"
T=$(copy_db "$DB" tampered)
db_sql "$T" "$(no_trigger "$T" events events_no_update) UPDATE events SET details = '{\"argv\":[\"x\"]}' WHERE id = 9"
expect_rc 1 "tampering is detected" $WEIQUAN --db "$T" audit verify
contains "$err" "event 9" "... naming the first broken event"

# ---- calendar and clocks ----
printf '{"year": 2027, "days": [{"date": "2027-13-01"}]}' > "$TMP/bad-cal.json"
expect_rc 1 "a malformed calendar is refused" $W calendar import "$TMP/bad-cal.json"
if [ -n "${WQ_TESTDATA:-}" ]; then
	expect_rc 0 "calendar import of the official 2026 schedule" $W calendar import "$WQ_TESTDATA/holiday-cn-2026.json"
else
	expect_rc 0 "calendar import of the shipped schedules" $W calendar import "$WQ_SRCDIR/data/calendar-cn.json"
fi
printf '{"regime": "x", "clocks": [{"clock": "accept"}]}' > "$TMP/bad-rules.json"
expect_rc 1 "malformed clock rules are refused" $W clock import "$TMP/bad-rules.json"
contains "$err" "clocks[0]" "... naming the entry"
expect_rc 1 "switching to an unknown regime is refused" $W clock use no-such-regime

# ---- import and export ----
run $W export --format csv --status all
printf '%s\n' "$out" > "$TMP/all.csv"
contains "$out" "number,type,category" "export writes the CSV header"
RT=$(fresh_db rt)
expect_rc 0 "a fresh database for the round trip" $WEIQUAN --db "$RT" init
for u in alice bob; do $WEIQUAN --db "$RT" user add $u --role mediator >/dev/null; done
expect_rc 0 "import the export" $WEIQUAN --db "$RT" import "$TMP/all.csv" --reason "迁移到新服务器"
contains "$out" "Imported 2 cases" "... all of it"
run $WEIQUAN --db "$RT" export --format csv --status all
equals "$out" "$(cat "$TMP/all.csv")" "export, import, export round-trips"
run $WEIQUAN --db "$RT" case add --case-type complaint --consumer 王五 --merchant 某店 --statement 新投诉
equals "$out" "WQ-2026-000003" "a new case numbers past the imported ones"
printf 'number,type,category,consumer_name,merchant_name,statement,amount\n,complaint,refund,甲,乙,好的,10.00\n,complaint,refund,丙,丁,坏的,12;5\n' > "$TMP/bad.csv"
expect_rc 1 "a malformed row is refused" $W import "$TMP/bad.csv"
contains "$err" "bad.csv:3" "... naming the file and line"
contains "$err" "amount" "... and the field"
run $W case list --json --status all
equals "$(json 'len(d["cases"])')" "2" "nothing from that file was imported"
printf 'number,type,category,consumer_name,merchant_name,statement\n,complaint,refund,陈先生,某商城,商品质量问题\n' | iconv -f UTF-8 -t GB18030 > "$TMP/gb.csv"
expect_rc 0 "import a GB18030 file" $W import "$TMP/gb.csv"
contains "$out" "gb18030" "... reporting the detected encoding"
run $W case list --json --search 质量问题 --status all
equals "$(json 'len(d["cases"])')" "1" "... stored as UTF-8 and searchable"

# ---- keyset paging walks every case once, in each order ----
for order in due received amount; do
	run $W case list --json --status all --order $order --limit 100
	want=$(json '" ".join(c["number"] for c in d["cases"])')
	got=""
	cursor=""
	for i in 1 2 3 4 5 6 7 8; do
		if [ -n "$cursor" ]; then
			run $W case list --json --status all --order $order --limit 1 --after "$cursor"
		else
			run $W case list --json --status all --order $order --limit 1
		fi
		got="$got $(json 'd["cases"][0]["number"] if d["cases"] else ""')"
		cursor=$(json 'd["next_cursor"] or ""')
		[ -n "$cursor" ] || break
	done
	equals "$(echo $got)" "$want" "paging one case at a time by $order gives the full list"
done

# ---- recusal ----
R1=$($W --user desk1 case add --case-type complaint --case-category quality --consumer 赵六 --merchant 冲突商家 --statement "质量问题")
R2=$($W --user desk1 case add --case-type complaint --case-category quality --consumer 钱七 --merchant 冲突商家 --statement "又一起质量问题")
$W --user bob rule "$R1" claim >/dev/null
expect_rc 0 "a mediator declares a conflict with a merchant" $W --user bob conflict declare "$R1" merchant "亲属在该商家任职"
run $W case show "$R1" --json
equals "$(json 'd["assignee"]')" "None" "... and the case they held goes back to the pool"
contains "$(json '[e["action"] for e in d["events"]]')" "recuse" "... with the recusal in the audit log"
expect_rc 1 "the merchant's other case cannot be claimed by them" $W --user bob rule "$R2" claim
contains "$err" "conflict of interest" "... saying why"
expect_rc 1 "nor assigned to them" $W --user sam rule "$R1" assign bob
expect_rc 0 "another mediator can take it" $W --user alice rule "$R2" claim
expect_rc 1 "a desk cannot declare conflicts" $W --user desk1 conflict declare "$R1" merchant "x"
expect_rc 1 "a conflict needs a reason" $W --user alice conflict declare "$R1" consumer ""
expect_rc 2 "conflict needs its arguments" $W --user alice conflict declare "$R1"

# ---- report, backup ----
run $W report --json
equals "$(json 'd["cases"]')" "5" "report counts the cases"
expect_rc 1 "a mediator cannot read the report" $W --user alice report
if sqlite_only backup; then
expect_rc 0 "backup" $W backup "$TMP/copy.db"
expect_rc 0 "the backup is a working database" $WEIQUAN --db "$TMP/copy.db" audit verify
expect_rc 1 "backup refuses to overwrite" $W backup "$TMP/copy.db"
fi

done_testing
