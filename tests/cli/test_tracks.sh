#!/bin/sh
# The tracks of their own (reports 举报, cross-region diversion 串货), a
# collective group's representatives and members' consent, a merchant's
# marks with their reason and legal basis, and its penalties.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
# A Thursday: the report check's 15 working days end on 2026-03-26.
export WEIQUAN_NOW=2026-03-05T02:00:00Z
$W init >/dev/null || not_ok "init"
for u in "alice mediator" "sam supervisor" "sue supervisor" "desk1 desk"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done

# ---- reports (举报) ----
run $W --user desk1 case add --case-type report --case-category advertising \
	--consumer 王五 --phone 13800138000 --merchant 某旗舰店 \
	--statement "该店宣传“国家级”产品，涉嫌虚假宣传"
R1=$out
equals "$rc" "0" "a real-name report is registered"
R2=$($W --user desk1 case add --case-type report --case-category advertising \
	--consumer 匿名 --merchant 某旗舰店 --statement "同一虚假宣传，再次举报")
R3=$($W --user desk1 case add --case-type report --case-category advertising \
	--consumer 匿名 --merchant 某旗舰店 --statement "第三次举报")
run $W case show "$R1" --json
equals "$(json 'd["status"] + " " + d["clock"] + " " + d["due_on"] + " " + str(d["due_verified"])')" \
	"report_received report_check 2026-03-26 False" \
	"a report runs its own check clock (15 working days), marked unverified"
equals "$(json 'd["real_name"]')" "True" "... and knows its reporter gave a name and a phone"
equals "$(json 'd["figures"]["report_check"]["source"][:8]')" "Order No" "... the figure carries its source"
run $W case show "$R1"
contains "$out" "2026-03-26  (unverified)" "case show marks the deadline unverified"
expect_rc 1 "a report has no complaint rulings" $W --user alice rule "$R1" accept
contains "$err" "not a ruling of case" "... saying so"
$W --user alice rule "$R1" claim >/dev/null
expect_rc 0 "testing pauses the check" $W --user alice rule "$R1" testing "样品送检"
export WEIQUAN_NOW=2026-03-10T02:00:00Z
expect_rc 0 "... and the check runs on once tested" $W --user alice rule "$R1" tested "检测报告已出"
run $W case show "$R1" --json
equals "$(json 'd["due_on"]')" "2026-03-31" "... by the three working days it was paused (Thursday to Tuesday)"
expect_rc 1 "a mediator cannot extend the check" $W --user alice rule "$R1" extend
expect_rc 0 "a supervisor approves an extension" $W --user sam rule "$R1" extend "案情复杂，批准延长"
run $W case show "$R1" --json
equals "$(json 'd["due_on"]')" "2026-04-22" "... 15 more working days (the Qingming holiday skipped)"
expect_rc 1 "the check is extended once" $W --user sue rule "$R1" extend
contains "$err" "extended already" "... saying so"
expect_rc 0 "the report is filed" $W --user alice rule "$R1" file "立案调查"
run $W case show "$R1" --json
equals "$(json 'd["clock"] + " " + d["due_on"]')" "report_tell 2026-03-17" \
	"the real-name reporter is to be told within 5 working days"
expect_rc 1 "the outcome goes to review only once the reporter is told" $W --user alice rule "$R1" submit
contains "$err" "told of the decision first" "... saying so"
expect_rc 0 "telling the reporter stops the clock" $W --user alice rule "$R1" tell "电话告知已立案"
run $W case show "$R1" --json
equals "$(json 'd["clock"]')" "" "... no clock runs"
expect_rc 0 "... and the outcome goes to review" $W --user alice rule "$R1" submit

$W --user alice rule "$R2" claim >/dev/null
expect_rc 1 "a repeated report names an earlier report" $W --user alice rule "$R2" merge "$R3"
expect_rc 0 "a repeated report is merged into the earlier one" $W --user alice rule "$R2" merge "$R1" "同一线索"
run $W case show "$R2" --json
equals "$(json 'd["status"] + " " + d["reason"] + " " + d["duplicate_of"] + " " + str(d["real_name"])')" \
	"report_merged merged $R1 False" "... which it records"
$W --user alice rule "$R3" claim >/dev/null
expect_rc 0 "... or not handled again" $W --user alice rule "$R3" repeated "$R1"
run $W case show "$R3" --json
equals "$(json 'd["status"] + " " + d["reason"]')" "report_repeated repeated" "... which it records too"
R4=$($W --user desk1 case add --case-type report --case-category quality \
	--consumer 匿名 --merchant 某旗舰店 --statement "匿名举报")
$W --user alice rule "$R4" claim >/dev/null
expect_rc 0 "an anonymous report is not filed" $W --user alice rule "$R4" not-file insufficient-clues
run $W case show "$R4" --json
equals "$(json 'd["clock"]')" "" "... and no one is to be told"
expect_rc 1 "... there is no one to tell" $W --user alice rule "$R4" tell
expect_rc 1 "a reason for not filing is one of the codes" $W --user alice rule "$R2" not-file whatever

# ---- cross-region diversion (串货) ----
expect_rc 2 "diversion details go with a diversion case" $W --user desk1 case add \
	--case-type complaint --case-category quality --consumer 张三 \
	--merchant 某店 --statement "质量问题" --brand 岱宗
expect_rc 1 "a diversion case needs the regions" $W --user desk1 case add \
	--case-type diversion --case-category diversion --consumer 山东岱宗食品有限公司 \
	--merchant 广州某商贸 --statement "串货" --brand 岱宗
run db_sql "$DB" "SELECT count(*) FROM cases WHERE type = 'diversion'"
equals "$out" "0" "... and nothing is registered without them"
run $W --user desk1 case add --case-type diversion --case-category diversion \
	--consumer 山东岱宗食品有限公司 --merchant 广州某商贸有限公司 \
	--statement "山东专供批次在广州市场销售" --brand 岱宗 \
	--authorised-region 山东省 --found-region 广东省广州市 --batch B20260301 \
	--codes "6901234567890123 6901234567890124" \
	--clause "《区域经销合同》第五条：仅限山东省销售，违者每件100元违约金" \
	--penalty 100 --trace "6901234567890123,山东省,广东省广州市,2026-03-02"
D1=$out
equals "$rc" "0" "a diversion case is registered with its details"
D2=$($W --user desk1 case add --case-type diversion --case-category diversion \
	--consumer 山东岱宗食品有限公司 --merchant 杭州某商贸有限公司 \
	--statement "山东专供批次在杭州销售" --brand 岱宗 \
	--authorised-region 山东省 --found-region 浙江省杭州市)
run $W case show "$D1" --json
equals "$(json 'd["status"] + " " + d["diversion"]["brand"] + " " + d["diversion"]["authorised_region"] + " " + d["diversion"]["found_region"] + " " + str(d["diversion"]["penalty_fen"])')" \
	"diversion_received 岱宗 山东省 广东省广州市 10000" "case show shows the brand, the regions and the clause's penalty"
equals "$(json 'd["diversion"]["batch"] + " " + d["diversion"]["clause"][:8]')" "B20260301 《区域经销合同》" "... the batch and the clause"
run $W case show "$D1"
contains "$out" "6901234567890123,山东省" "... the trace, in text too"
$W --user alice rule "$D1" claim >/dev/null
expect_rc 1 "a diversion case has no complaint rulings" $W --user alice rule "$D1" accept
expect_rc 0 "the trace is verified" $W --user alice rule "$D1" verify-trace "扫码记录核实"
expect_rc 1 "the agreed penalty is an amount" $W --user alice rule "$D1" penalty lots
expect_rc 0 "the distributor agrees to the penalty" $W --user alice rule "$D1" penalty 5000 "同意支付"
run $W case show "$D1" --json
equals "$(json 'd["status"] + " " + str(d["diversion"]["agreed_penalty_fen"])')" "penalty_agreed 500000" "... which is recorded"
$W --user alice rule "$D2" claim >/dev/null
expect_rc 0 "a claim is dismissed with its reason" $W --user alice rule "$D2" dismiss trace-unconfirmed
run $W --user sam report --json
equals "$(json 'd["diversion_by_found_region"]')" \
	"{'广东省广州市': 1, '浙江省杭州市': 1}" \
	"diversion figures by where the goods were found"
equals "$(json 'd["diversion_by_authorised_region"]')" "{'山东省': 2}" \
	"... and by the authorised region"
equals "$(json 'sorted(d["reports_by_status"].items())')" \
	"[('first_review', 1), ('report_merged', 1), ('report_not_filed', 1), ('report_repeated', 1)]" \
	"reports have figures of their own"
equals "$(json 'd["merchants"]["all"]["complaints"]')" "0" \
	"neither reports nor diversion cases count in the 12315 figures"
$W --user desk1 case add --case-type ip --case-category counterfeit \
	--consumer 某品牌权利人 --merchant 某旗舰店 \
	--statement "销售假冒注册商标的商品" >/dev/null || not_ok "an IP notice"
run $W --user sam report --json
equals "$(json '(d["merchants"]["all"]["last30"], d["merchants"]["all"]["prev30"])')" "(0, 0)" \
	"... nor in their complaints of the last 30 days (the growth figure), IP notices neither"
equals "$(json '(d["ip_by_status"], d["ip_findings"])')" \
	"({'notice_received': 1}, {'wrongful-notice': 0, 'malicious-notice': 0})" \
	"IP notices have figures of their own: by status, and those found wrongful or malicious"
run db_sql "$DB" "SELECT sum(complaints) FROM merchants"
equals "$out" "0" "... nor in a merchant's complaint count"

# ---- collective groups: representatives and consent ----
add() {
	$W --user desk1 case add --case-type complaint --case-category quality \
		--consumer "$1" --merchant 假酒专营店 --statement "$2" --amount 399
}
C1=$(add 张三 "同一批次酒疑似假冒")
C2=$(add 李四 "防伪码查不到")
C3=$(add 王五 "瓶盖二次封口")
G=$($W --user sam group create "同批次假酒" "$C1" "$C2" "$C3")
for c in "$C1" "$C2" "$C3"; do
	$W --user alice rule "$c" claim >/dev/null
	$W --user alice rule "$c" screen >/dev/null
	$W --user alice rule "$c" accept >/dev/null
done
expect_rc 0 "a member is recorded as a representative" $W --user sam group representative "$G" "$C1"
expect_rc 0 "... a second one" $W --user sam group representative "$G" "$C2"
expect_rc 1 "... not a third" $W --user sam group representative "$G" "$C3"
contains "$err" "2 representatives" "... saying so"
expect_rc 1 "a representative is a member" $W --user sam group representative "$G" "$D1"
expect_rc 0 "a member consents to settling" $W --user alice group consent "$G" "$C1" settle --reason "书面同意，2026-03-10"
expect_rc 0 "... another too" $W --user alice group consent "$G" "$C2" settle --reason "电话确认"
expect_rc 1 "consent is to settle, withdraw or agree" $W --user alice group consent "$G" "$C3" accept
run $W group show "$G" --json
equals "$(json '[(m["representative"], m["consents"]) for m in d["members"]]')" \
	"[(True, 'settle'), (True, 'settle'), (False, '')]" "group show has representatives and consents"
expect_rc 1 "a group settlement leaves out the member without consent" $W --user alice group rule "$G" settle "集体和解"
contains "$out" "no recorded consent of this member to 'settle'" "... saying why"
contains "$out" "2 of 3 members ruled on" "... the others settle"
run $W case show "$C3" --json
equals "$(json 'd["status"]')" "accepted" "... the member left out is as it was"
run $W case show "$C1" --json
equals "$(json 'd["status"]')" "settled" "... and a consenting member settled"
expect_rc 0 "consent can be withdrawn" $W --user alice group consent "$G" "$C2" settle --off

# ---- a merchant's credit ----
M=$(db_sql "$DB" "SELECT id FROM merchants WHERE name = '假酒专营店'")
expect_rc 1 "a mark needs its reason" $W --user sam merchant flag "$M" blacklist
contains "$err" "reason" "... saying so"
expect_rc 1 "... and its legal basis" $W --user sam merchant flag "$M" blacklist --reason "售假"
expect_rc 0 "a blacklist mark with reason and basis" $W --user sam merchant flag "$M" blacklist \
	--reason "售假被行政处罚" --basis "《市场监督管理严重违法失信名单管理办法》（未核对原文）"
expect_rc 0 "lifting it needs only a reason" $W --user sam merchant flag "$M" blacklist --off --reason "信用修复"
expect_rc 1 "a desk records no penalty" $W --user desk1 merchant penalty "$M" --amount 50000 --reason "处罚决定" --basis "消费者权益保护法"
expect_rc 0 "a penalty is recorded" $W --user sam merchant penalty "$M" --amount 50000 \
	--reason "穗市监处罚〔2026〕12号" --basis "消费者权益保护法第五十六条"
run $W case show "$C3" --json
equals "$(json 'd["merchant"]["penalties"]')" "1" "a merchant's penalties are counted"
equals "$(json '[(m["flag"], m["on"], m["reason"]) for m in d["merchant"]["marks"]]')" \
	"[('blacklist', True, '售假被行政处罚'), ('blacklist', False, '信用修复')]" \
	"... and its marks keep their reasons"
equals "$(json 'd["merchant"]["marks"][0]["basis"][:12]')" "《市场监督管理严重违法失" "... and basis"
run $W --user sam report --json
equals "$(json '[m["penalties"] for m in d["merchants"]["top"] if m["name"] == "假酒专营店"]')" "[1]" \
	"the dashboard's figures count the penalty"
expect_rc 0 "the audit chain is intact" $W audit verify

# ---- hostile input meets the diversion details ----
before=$(db_sql "$DB" "SELECT count(*) FROM cases")
expect_rc 1 "a brand that is not UTF-8 is refused" $W --user desk1 case add \
	--case-type diversion --case-category diversion --consumer 某公司 \
	--merchant 某经销商 --statement "串货" --brand "$(printf '\305\372')" \
	--authorised-region 山东省 --found-region 广东省
contains "$err" "not valid UTF-8" "... saying so"
equals "$(db_sql "$DB" "SELECT count(*) FROM cases")" "$before" "... and nothing is registered"
run $W --user desk1 case add --case-type diversion --case-category diversion \
	--consumer 某公司 --merchant 某经销商 --statement "串货" \
	--brand "$(printf 'evil\033[2J\033]0;pwned\007brand')" \
	--authorised-region 山东省 --found-region 广东省
D3=$out
run $W case show "$D3"
lacks "$out" "$(printf '\033')" "control characters in the details never reach the terminal"
contains "$out" "evil" "... the rest is shown"

# ---- details of a diversion case registered without them ----
printf 'type,category,consumer_name,merchant_name,statement\ndiversion,diversion,某酒业公司,某酒类经销商,专供批次外流\n' > "$TMP/d.csv"
run $W --user desk1 import "$TMP/d.csv"
D4=$(db_sql "$DB" "SELECT number FROM cases WHERE type = 'diversion' ORDER BY id DESC LIMIT 1")
run $W case show "$D4" --json
equals "$(json '"diversion" in d')" "False" "an imported diversion case has no details yet"
expect_rc 1 "another desk may not give them" $W --user alice case diversion "$D4" --brand 某酒 --authorised-region 四川省 --found-region 广东省
expect_rc 0 "its desk gives them" $W --user desk1 case diversion "$D4" --brand 某酒 --authorised-region 四川省 --found-region 广东省 --penalty 50
run $W case show "$D4" --json
equals "$(json 'd["diversion"]["found_region"] + " " + str(d["diversion"]["penalty_fen"])')" "广东省 5000" "... and case show has them"
expect_rc 1 "... once" $W --user desk1 case diversion "$D4" --brand 某酒 --authorised-region 四川省 --found-region 广西

# ---- an older database migrates, and the migration may run again ----
if sqlite_only old-schema; then
db_sql "$DB" "PRAGMA user_version = 14"
expect_rc 0 "a database of version 14 migrates" $W init
fi
R5=$($W --user desk1 case add --case-type report --case-category quality \
	--consumer 匿名 --merchant 某店 --statement "举报")
equals "$($W case show "$R5" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" \
	"report_received" "... and takes reports after running the migration again"
equals "$(db_sql "$DB" "SELECT count(*) FROM diversions")" "4" "... keeping every diversion's details"
expect_rc 0 "... its audit chain intact" $W audit verify

done_testing
