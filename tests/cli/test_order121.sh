#!/bin/sh
# Order No. 121's procedure for consumer complaints through the command
# line: the grounds of the case's regime, a refusal for missing materials
# naming the fields the case lacks (in its notice too), a fraudulent claim
# ending mediation and passed to the police, the follow-up visit and its
# record, the platform operator's seat as jurisdiction and handling
# region, entrusted mediation in the documents; roles not allowed and
# hostile text.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
export LC_ALL=C.UTF-8
unset LANGUAGE
export TZ=UTC
WEIQUAN_DOCUMENTS="$TMP/no-override"
export WEIQUAN_DOCUMENTS

WEIQUAN_NOW=2026-03-02T02:00:00Z $W init >/dev/null
$W user add desk1 --role desk --name 王小红 >/dev/null
$W user add med1 --role mediator --name 李明 >/dev/null

# add NOW [OPTIONS]: a complaint received at NOW with phone and claim.
add() {
	now=$1
	shift
	WEIQUAN_NOW=$now $W --user desk1 case add --case-type complaint \
		--case-category quality --consumer 张三 --phone 13812345678 \
		--merchant 优品数码旗舰店 --platform 某电商平台 \
		--case-region 广东省广州市 --remedy refund \
		--statement "收到的手机屏幕有划痕，商家拒绝退款" "$@"
}
rule() {
	$W --user med1 rule "$@" >/dev/null
}

run $W rule --list
for a in platform-seat entrusted refer-police follow-up address; do
	contains "$out" "$a" "rule --list names $a"
done

# ---- grounds by regime ----
export WEIQUAN_NOW=2026-05-06T02:00:00Z
OLD=$(add 2026-04-10T02:00:00Z)
NEW=$(add 2026-05-06T02:00:00Z)
rule "$OLD" claim
rule "$NEW" claim
expect_rc 1 "Order No. 121 has no 'false-identity' ground" \
	$W --user med1 rule "$NEW" not-accept false-identity
contains "$err" "samr-order-121" "... naming the case's regime"
contains "$err" "identity-refused" "... and its grounds"
expect_rc 1 "Order No. 20 has no 'false-materials' ground" \
	$W --user med1 rule "$OLD" not-accept false-materials
expect_rc 0 "an Order No. 20 case keeps its grounds" \
	$W --user med1 rule "$OLD" not-accept false-identity
expect_rc 0 "refusing to have one's identity checked, under Order No. 121" \
	$W --user med1 rule "$NEW" not-accept identity-refused "拒绝提供身份证件"
expect_rc 0 "its notice" $W --user med1 document "$NEW" not-accepted \
	--output "$TMP/na.txt"
contains "$(cat "$TMP/na.txt")" "拒绝核实身份信息" "... gives the ground"
contains "$(cat "$TMP/na.txt")" "第十六条" "... its article"
# (the mark may wrap across a line)
contains "$(tr -d '\n' <"$TMP/na.txt")" "未经与官方文本核对" "... marked unverified"

# ---- missing materials, named from the case ----
M=$(add 2026-05-06T02:00:00Z)
expect_rc 0 "the desk records the complainant's address" \
	$W --user desk1 rule "$M" address complainant 北京市朝阳区某路1号
rule "$M" claim
expect_rc 0 "refused for missing materials" \
	$W --user med1 rule "$M" not-accept materials-missing
run $W case show "$M" --json
equals "$(json 'd["events"][-1]["details"]["args"]["missing"]')" \
	"['respondent-address']" "the refusal names the one field the case lacks"
expect_rc 0 "its notice" $W --user med1 document "$M" not-accepted \
	--output "$TMP/mm.txt"
contains "$(cat "$TMP/mm.txt")" "缺少的材料：被投诉人地址。" "... names it too"
lacks "$(cat "$TMP/mm.txt")" "投诉人通讯地址" "... and not what the case has"
FULL=$(add 2026-05-06T02:00:00Z)
$W --user desk1 rule "$FULL" address complainant 北京市朝阳区某路1号 >/dev/null
$W --user desk1 rule "$FULL" address respondent 浙江省杭州市某路2号 >/dev/null
rule "$FULL" claim
expect_rc 1 "a case with every material is not refused for missing ones" \
	$W --user med1 rule "$FULL" not-accept materials-missing
contains "$err" "every material" "... saying so"

# ---- a fraudulent claim: mediation ends, the case goes to the police ----
F=$(add 2026-05-06T02:00:00Z)
rule "$F" claim
rule "$F" screen
rule "$F" accept
rule "$F" start
expect_rc 0 "a fraudulent claim ends mediation" \
	$W --user med1 rule "$F" end fraudulent-claim "以投诉为名索要高额赔偿"
expect_rc 1 "a desk cannot pass it to the police" \
	$W --user desk1 rule "$F" refer-police 某市公安局 投诉材料
export WEIQUAN_NOW=2026-05-08T03:00:00Z
expect_rc 0 "passed to the police" \
	$W --user med1 rule "$F" refer-police "某市公安局某分局" "投诉材料、聊天记录、调解笔录"
run $W case show "$F" --json
equals "$(json 'd["police_referrals"][0]["police_body"]')" "某市公安局某分局" "case show: to which police body"
equals "$(json 'd["police_referrals"][0]["sent"]')" "投诉材料、聊天记录、调解笔录" "... what was sent"
equals "$(json 'd["police_referrals"][0]["at"]')" "2026-05-08T03:00:00Z" "... when"
equals "$(json 'd["police_referrals"][0]["by"]')" "med1" "... by whom"
run $W case show "$F"
equals "$(printf '%s\n' "$out" | grep '^police_referr')" "police_referrals 1 items" "case show in text lists it, under its whole name"
expect_rc 0 "the letter passing it to the police" $W --user med1 document \
	"$F" police-referral --output "$TMP/pr.txt"
pr=$(tr -d '\n' <"$TMP/pr.txt")
contains "$pr" "涉嫌违法犯罪线索移送函" "... titled"
contains "$pr" "某市公安局某分局：" "... addressed to the police body"
contains "$pr" "移送材料：投诉材料、聊天记录、调解笔录" "... saying what was sent"
contains "$pr" "移送人员：李明" "... by whom"
contains "$pr" "移送日期：2026年5月8日" "... and when"
contains "$pr" "未经与官方文本核对" "... its citation marked unverified"
expect_rc 0 "the notice that mediation ended" $W --user med1 document "$F" \
	mediation-ended --output "$TMP/me.txt"
contains "$(cat "$TMP/me.txt")" "骗取赔偿或者敲诈勒索" "... gives the ground"

# ---- the follow-up visit ----
V=$(add 2026-05-06T02:00:00Z)
rule "$V" claim
rule "$V" screen
rule "$V" accept
rule "$V" start
run $W --user med1 document "$V" --list
lacks "$out" "police-referral" "a case not passed to the police has no such letter"
expect_rc 1 "no follow-up visit before the complaint is handled" \
	$W --user med1 rule "$V" follow-up satisfied
rule "$V" settle
expect_rc 0 "the blank follow-up record before a visit" $W --user med1 \
	document "$V" follow-up --output "$TMP/fu0.txt"
contains "$(cat "$TMP/fu0.txt")" "回访日期：＿＿" "... leaves the visit to fill in"
export WEIQUAN_NOW=2026-05-12T02:00:00Z
expect_rc 0 "the follow-up visit recorded with its outcome" \
	$W --user med1 rule "$V" follow-up dissatisfied "退款到账太慢"
run $W case show "$V" --json
equals "$(json 'd["follow_ups"][0]["outcome"]')" "dissatisfied" "case show: its outcome"
equals "$(json 'd["follow_ups"][0]["note"]')" "退款到账太慢" "... and the complainant's words"
expect_rc 0 "the follow-up record" $W --user med1 document "$V" follow-up \
	--output "$TMP/fu.txt"
contains "$(cat "$TMP/fu.txt")" "回访日期：2026年5月12日" "... uses the recorded visit's day"
contains "$(cat "$TMP/fu.txt")" "回访结果：不满意" "... its outcome"
contains "$(cat "$TMP/fu.txt")" "退款到账太慢" "... the complainant's view"
contains "$(cat "$TMP/fu.txt")" "回访人员：李明" "... and who visited"

# ---- jurisdiction: the platform operator's seat ----
P=$(add 2026-05-06T02:00:00Z)
expect_rc 1 "a seat needs one of its grounds" \
	$W --user desk1 rule "$P" platform-seat unknown 浙江省杭州市
expect_rc 0 "the desk records that the merchant published no address" \
	$W --user desk1 rule "$P" platform-seat no-published-address 浙江省杭州市 "平台店铺页无地址"
run $W case show "$P" --json
equals "$(json 'd["region"]')" "浙江省杭州市" "the handling region is the platform operator's seat"
equals "$(json 'd["jurisdiction"]["ground"]')" "no-published-address" "... with its ground"
equals "$(json 'd["jurisdiction"]["verified"]')" "False" "... marked unverified"
run $W case list --region 浙江省杭州市 --json
contains "$out" "$P" "the queue's region filter finds it there"

# ---- taken down at intake, all or nothing ----
run add 2026-05-06T02:00:00Z --complainant-address 北京市朝阳区某路1号 \
	--platform-seat merchant-unreachable --platform-domicile 浙江省杭州市
I=$out
equals "$rc" "0" "case add records the address and the platform's seat"
run $W case show "$I" --json
equals "$(json 'd["complainant_address"]') $(json 'd["region"]') $(json 'd["jurisdiction"]["ground"]')" \
	"北京市朝阳区某路1号 浙江省杭州市 merchant-unreachable" "... on the case"
before=$($W case list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cases"]))')
expect_rc 1 "a bad ground at intake" add 2026-05-06T02:00:00Z \
	--platform-seat somewhere --platform-domicile 浙江省杭州市
contains "$err" "no-published-address" "... names the grounds"
after=$($W case list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cases"]))')
equals "$after" "$before" "... and registers nothing"
expect_rc 2 "the seat's ground without its region is bad usage" \
	add 2026-05-06T02:00:00Z --platform-seat no-published-address

# ---- entrusted mediation ----
rule "$P" claim
rule "$P" screen
rule "$P" accept
expect_rc 1 "a desk does not record entrusting" \
	$W --user desk1 rule "$P" entrusted 杭州市市场监督管理局
expect_rc 0 "the bureau that entrusted the mediation" \
	$W --user med1 rule "$P" entrusted 杭州市西湖区市场监督管理局
run $W case show "$P" --json
equals "$(json 'd["entrusted_by"]')" "杭州市西湖区市场监督管理局" "case show names the bureau"
expect_rc 0 "the acceptance notice" $W --user med1 document "$P" acceptance \
	--output "$TMP/ac.txt"
contains "$(tr -d '\n' <"$TMP/ac.txt")" "本机构受杭州市西湖区市场监督管理局委托组织调解" "... says on whose behalf"

# ---- hostile text: stored as given, shown cleaned ----
H=$(add 2026-05-06T02:00:00Z)
esc=$(printf '\033]0;pwned\007\033[2J上海市')
expect_rc 0 "a region with escape sequences is recorded" \
	$W --user desk1 rule "$H" platform-seat merchant-unreachable "$esc"
run $W case show "$H"
lacks "$out" "$(printf '\033')" "case show sends no escape to the terminal"
contains "$out" "上海市" "... and shows the text"
expect_rc 1 "a region that is not UTF-8 is refused" \
	$W --user desk1 rule "$H" platform-seat merchant-unreachable "$(printf '\377\376杭州')"
contains "$err" "UTF-8" "... saying why"
run $W case show "$H" --json
equals "$(json 'd["region"]')" "$(printf '\033]0;pwned\007\033[2J上海市')" "... and the region stays as it was"
expect_rc 0 "audit verify replays the handling regions" $W audit verify

done_testing
