#!/bin/sh
# Documents: each decision's document issued for realistic cases, as text
# and as PDF (read back with pdftotext, drawn with pdftoppm), kept with its
# SHA-256 in the audit chain, the same bytes again unless the case changed.
. "$(dirname "$0")/lib.sh"

if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then
	echo "1..0 # SKIP pdftotext and pdftoppm (Debian: poppler-utils) are not installed"
	exit 0
fi

DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
# The shipped templates only, whatever /etc holds.
WEIQUAN_DOCUMENTS="$TMP/no-override"
export WEIQUAN_DOCUMENTS

$W init >/dev/null
$W user add desk1 --role desk --name 王小红 >/dev/null
$W user add med1 --role mediator --name 李明 >/dev/null

add_case() {
	$W --user desk1 case add --case-type complaint --case-category refund \
		--consumer 张三 --phone 13812345678 \
		--merchant 优品数码旗舰店 --platform 淘宝 --shop-id TB1001 \
		--case-region 广东省广州市 --order-no TB2026-0012345 --amount 1299.00 \
		--order-date 2026-03-01 --remedy refund \
		--statement "收到的手机屏幕有划痕，商家拒绝退款" "$@"
}
rule() {
	$W --user med1 rule "$@" >/dev/null
}
# pdf_text FILE: the text pdftotext reads from it, on one line.
pdf_text() {
	pdftotext "$1" - 2>/dev/null | tr -d '\n '
}
# widest FILE: the most display columns of a line of a text document.
widest() {
	python3 -c '
import sys, unicodedata
w = 0
for line in open(sys.argv[1], encoding="utf-8"):
    w = max(w, sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
                   for c in line.rstrip("\n")))
print(w)' "$1"
}

# ---- not accepted, under Order No. 20 (received before 2026-04-15) ----
export WEIQUAN_NOW=2026-03-10T02:00:00Z
A=$(add_case)
rule "$A" claim
rule "$A" screen
rule "$A" not-accept materials-missing "未提供被投诉人地址"
run $W --user med1 document "$A" --list
contains "$out" "not-accepted" "--list offers the notice of not accepting"
lacks "$out" "acceptance" "... and no acceptance notice"
expect_rc 1 "a document the case cannot issue is refused" \
	$W --user med1 document "$A" agreement
contains "$err" "no agreement to issue" "... saying why"
expect_rc 2 "an unknown kind is bad usage" $W --user med1 document "$A" verdict

expect_rc 0 "the notice of not accepting as text" \
	$W --user med1 document "$A" not-accepted --output "$TMP/a.txt"
# Lines joined: a phrase may wrap.
t=$(tr -d '\n' <"$TMP/a.txt")
contains "$t" "不予受理告知书" "... titled"
contains "$t" "消协不〔2026〕1号" "... numbered"
contains "$t" "未提供投诉人的姓名、电话号码、通讯地址" "... giving the ground"
contains "$t" "《市场监督管理投诉举报处理暂行办法》（国家市场监督管理总局令第20号）第十五条第（五）项" \
	"... citing Order No. 20, the regime on the day it was received"
contains "$t" "〔该条款引用未经与官方文本核对〕" "... marked unverified"
contains "$t" "未提供被投诉人地址" "... with the mediator's note"
contains "$t" "第三十九条" "... pointing to the other channels"
contains "$t" "2026年3月10日" "... dated the day of the decision"
[ "$(widest "$TMP/a.txt")" -le 74 ] && ok "... its lines fit a terminal of 80 columns" ||
	not_ok "... its lines fit a terminal of 80 columns" "$(widest "$TMP/a.txt") columns"
mode=$(stat -c %a "$TMP/a.txt")
equals "$mode" "600" "--output creates the file for its owner only"

expect_rc 0 "the same notice as PDF" \
	$W --user med1 document "$A" not-accepted --format pdf --output "$TMP/a.pdf"
p=$(pdf_text "$TMP/a.pdf")
contains "$p" "不予受理告知书" "... whose text pdftotext reads"
contains "$p" "第十五条第（五）项" "... with the article"
contains "$p" "未经与官方文本核对" "... and the unverified mark"
pdftoppm -r 50 -png -f 1 -l 1 "$TMP/a.pdf" "$TMP/a" 2>/dev/null
[ -s "$TMP/a-1.png" ] && ok "... and that pdftoppm draws" || not_ok "... and that pdftoppm draws"
pdfinfo "$TMP/a.pdf" >"$TMP/a.info" 2>/dev/null
contains "$(cat "$TMP/a.info")" "A4" "... on A4"
contains "$(pdffonts "$TMP/a.pdf" 2>/dev/null)" "NotoSerifCJK" "... in Noto Serif CJK"

expect_rc 1 "--output never replaces a file" \
	$W --user med1 document "$A" not-accepted --output "$TMP/a.txt"
ln -s "$TMP/target" "$TMP/link"
expect_rc 1 "... nor follows a link" \
	$W --user med1 document "$A" not-accepted --output "$TMP/link"
[ ! -e "$TMP/target" ] && ok "... which is left alone" || not_ok "... which is left alone"

# ---- issuing again ----
n0=$(db_sql "$DB" "SELECT count(*) FROM events WHERE action = 'document'")
expect_rc 0 "issuing the PDF again" \
	$W --user med1 document "$A" not-accepted --format pdf --output "$TMP/a2.pdf"
cmp -s "$TMP/a.pdf" "$TMP/a2.pdf" && ok "... gives the same bytes" ||
	not_ok "... gives the same bytes"
n1=$(db_sql "$DB" "SELECT count(*) FROM events WHERE action = 'document'")
equals "$n1" "$n0" "... and issues nothing new"
run $W --user med1 document "$A" not-accepted
equals "$out" "$(cat "$TMP/a.txt")" "the text on stdout is the text issued"

# The renderer is deterministic: another process, same document, same
# bytes (the creation date is the issue time, not the clock).
# The PDF's bytes in hexadecimal, and bytes from text, in each dialect.
if on_postgresql; then
	pdf_hex="upper(encode(pdf, 'hex'))" forged="convert_to('%PDF-forged', 'UTF8')"
else
	pdf_hex="hex(pdf)" forged="CAST('%PDF-forged' AS BLOB)"
fi
COPY=$(copy_db "$DB" copy)
db_sql "$COPY" "$(no_trigger "$COPY" documents documents_no_delete) DELETE FROM documents;
	DELETE FROM document_numbers"
$WEIQUAN --db "$COPY" --user med1 document "$A" not-accepted --format pdf \
	--output "$TMP/a3.pdf" >/dev/null 2>&1
db_sql "$DB" "SELECT $pdf_hex FROM documents WHERE kind = 'not-accepted'" >"$TMP/h1"
db_sql "$COPY" "SELECT $pdf_hex FROM documents WHERE kind = 'not-accepted'" >"$TMP/h2"
[ -s "$TMP/h1" ] && cmp -s "$TMP/h1" "$TMP/h2" &&
	ok "rendered afresh at the same issue time, the PDF has the same bytes" ||
	not_ok "rendered afresh at the same issue time, the PDF has the same bytes"
contains "$(TZ=UTC pdfinfo "$TMP/a.pdf")" "Tue Mar 10 02:00:00 2026" "... its creation date being the issue time"

# ---- accepted, then mediation ended (Order No. 20, a verified ground) ----
export WEIQUAN_NOW=2026-03-11T02:00:00Z
C=$(add_case)
expect_rc 0 "the complainant's receipt" \
	$W --user desk1 document "$C" receipt --output "$TMP/c1.txt"
contains "$(cat "$TMP/c1.txt")" "投诉登记回执" "... titled"
contains "$(cat "$TMP/c1.txt")" "*******5678" "... with the phone masked"
lacks "$(cat "$TMP/c1.txt")" "13812345678" "... never whole"
contains "$(cat "$TMP/c1.txt")" "7个工作日内作出是否受理的决定" "... and the acceptance clock"
rule "$C" claim
rule "$C" screen
rule "$C" accept
rule "$C" start
rule "$C" offer complainant refund 1299 "退货退款"
expect_rc 0 "the receipt once the claim changed" \
	$W --user desk1 document "$C" receipt --output "$TMP/c2.txt"
contains "$out" "version 2" "... is a new version"
contains "$(cat "$TMP/c2.txt")" "退款1299.00元；退货退款" "... with the claim as now recorded"
contains "$(cat "$TMP/c2.txt")" "消协登〔2026〕2号" "... under the next number of its kind"
expect_rc 0 "the acceptance notice" \
	$W --user med1 document "$C" acceptance --output "$TMP/c3.txt"
contains "$(cat "$TMP/c3.txt")" "投诉受理通知书" "... titled"
contains "$(cat "$TMP/c3.txt")" "2026年3月11日决定受理" "... with the day of acceptance"
rule "$C" end party-absent "两次通知均未到场"
expect_rc 0 "the notice that mediation ended" \
	$W --user med1 document "$C" mediation-ended --format pdf --output "$TMP/c4.pdf"
p=$(pdf_text "$TMP/c4.pdf")
contains "$p" "终止调解告知书" "... titled"
contains "$p" "无正当理由不参加调解" "... giving the ground"
contains "$p" "第二十一条" "... and its article"
lacks "$p" "第二十一条第一款" "... without an item number nobody checked against the official text"
lacks "$p" "未经与官方文本核对" "... a verified citation carrying no mark"
contains "$p" "两次通知均未到场" "... with the note"
expect_rc 0 "the follow-up visit record" \
	$W --user med1 document "$C" follow-up --output "$TMP/c5.txt"
contains "$(cat "$TMP/c5.txt")" "处理结果：终止调解" "... naming the outcome"
contains "$(cat "$TMP/c5.txt")" "回访日期：＿＿" "... with the visit's fields to fill in"

# Every kind the case has, as PDF: pdftotext reads its title, pdftoppm
# draws its first page.
for kt in receipt:投诉登记回执 acceptance:投诉受理通知书 \
	mediation-ended:终止调解告知书 follow-up:投诉处理回访记录; do
	k=${kt%%:*}
	title=${kt#*:}
	$W --user med1 document "$C" "$k" --format pdf --output "$TMP/all-$k.pdf" >/dev/null 2>&1
	contains "$(pdf_text "$TMP/all-$k.pdf")" "$title" "$k as PDF: its text reads back"
	pdftoppm -r 40 -png -f 1 -l 1 "$TMP/all-$k.pdf" "$TMP/all-$k" 2>/dev/null
	[ -s "$TMP/all-$k-1.png" ] && ok "... and it draws" || not_ok "... and it draws"
done

# ---- an agreement, under Order No. 121 (received from 2026-04-15) ----
export WEIQUAN_NOW=2026-09-24T02:00:00Z
B=$(add_case)
rule "$B" claim
rule "$B" screen
rule "$B" accept
rule "$B" start
rule "$B" statement respondent "屏幕划痕系运输造成，同意退货退款"
rule "$B" offer complainant refund 1299 "退货退款"
rule "$B" offer respondent refund 1299 "退货退款，运费由商家承担"
offer=$(db_sql "$DB" "SELECT max(id) FROM offers")
rule "$B" agree "$offer" respondent 2026-10-10 "被投诉人为投诉人办理退货退款，退还货款1299.00元"
expect_rc 0 "the mediation agreement (调解书) as PDF" \
	$W --user med1 document "$B" agreement --format pdf --output "$TMP/b.pdf"
p=$(pdf_text "$TMP/b.pdf")
contains "$p" "调解书" "... titled"
contains "$p" "投诉人：张三" "... naming the complainant"
contains "$p" "被投诉人：优品数码旗舰店" "... and the respondent"
contains "$p" "投诉请求" "... the claims"
contains "$p" "收到的手机屏幕有划痕" "... the facts as the complainant stated them"
contains "$p" "屏幕划痕系运输造成" "... and the respondent's answer"
contains "$p" "退还货款1299.00元" "... the agreed terms"
contains "$p" "应于2026年10月10日前履行" "... the date of performance"
contains "$p" "履行方式：退款1299.00元" "... and its manner"
contains "$p" "投诉人（签名）" "... a place for the complainant to sign"
contains "$p" "被投诉人（签名或者盖章）" "... and for the respondent to sign or seal"
contains "$p" "（盖章）" "... and the body's seal"
contains "$p" "国家市场监督管理总局令第121号" "... citing Order No. 121, in force when it was received"
contains "$p" "未经与官方文本核对" "... marked unverified"
pdftoppm -r 50 -png "$TMP/b.pdf" "$TMP/b" 2>/dev/null
[ -s "$TMP/b-1.png" ] && ok "... drawn by pdftoppm" || not_ok "... drawn by pdftoppm"
expect_rc 0 "the agreement in Traditional Chinese" \
	$W --user med1 document "$B" agreement --lang zh_TW --format pdf --output "$TMP/bt.pdf"
p=$(pdf_text "$TMP/bt.pdf")
contains "$p" "調解書" "... titled in Traditional Chinese"
contains "$p" "被投訴人（簽名或者蓋章）" "... throughout"
contains "$(pdffonts "$TMP/bt.pdf" 2>/dev/null)" "CJKtc" "... in the Traditional Chinese face"
expect_rc 2 "an unknown language is bad usage" \
	$W --user med1 document "$B" agreement --lang fr

# ---- an association's own templates ----
mkdir -p "$TMP/etc/zh_CN"
cat >"$TMP/etc/zh_CN/association.txt" <<'EOF'
name = 某市消费者权益保护委员会
seal = 某市消费者权益保护委员会（印章）
abbr = 某消委
number = {abbr}{kind}字〔{year}〕第{seq}号
EOF
WEIQUAN_DOCUMENTS="$TMP/etc" $W --user med1 document "$B" acceptance >"$TMP/b2.txt" 2>&1
t=$(cat "$TMP/b2.txt")
contains "$t" "某市消费者权益保护委员会（印章）" "an administrator's association file wins"
contains "$t" "某消委受字〔2026〕第" "... numbering documents its way"
contains "$t" "投诉受理通知书" "... the other templates still the shipped ones"

# ---- the regime the case recorded, not a date in grounds.txt ----
# An association's own rules, active from May: a case received then follows
# them, and its notice cites the association's article from its copy of
# grounds.txt, not Order No. 121 (in force by date).
cat >"$TMP/assoc.json" <<'EOF'
{"regime": "assoc-rules", "clocks": [
 {"clock": "accept", "working_days": 5, "start_status": "received",
  "stop_statuses": ["accepted", "not_accepted"], "verified": true,
  "source": "the association's own rules, art. 5"}]}
EOF
mkdir -p "$TMP/assoc/zh_CN"
{
	cat "${WQ_SRCDIR:-.}/data/documents/zh_CN/grounds.txt"
	echo "regime | assoc-rules | 《某市消委会投诉处理规则》"
	echo "not-accept | assoc-rules | materials-missing | verified | 第五条 | 投诉材料不全 | the association's rules, art. 5"
} >"$TMP/assoc/zh_CN/grounds.txt"
export WEIQUAN_NOW=2026-05-06T02:00:00Z
run $W clock import "$TMP/assoc.json"
run $W clock use assoc-rules
R=$(add_case)
rule "$R" claim
rule "$R" screen
rule "$R" not-accept materials-missing "未提供地址"
WEIQUAN_DOCUMENTS="$TMP/assoc" run $W --user med1 document "$R" not-accepted
t=$(printf '%s' "$out" | tr -d '\n')
contains "$t" "《某市消委会投诉处理规则》第五条" \
	"a case under the association's rules cites them"
lacks "$t" "第121号" "... not the order in force by date"
# The earlier case keeps Order No. 20 whatever is active now.
WEIQUAN_DOCUMENTS="$TMP/assoc" run $W --user med1 document "$A" not-accepted
contains "$(printf '%s' "$out" | tr -d '\n')" "国家市场监督管理总局令第20号" \
	"... and a case received under Order No. 20 still cites it"
run $W clock use samr-order-20
unset WEIQUAN_NOW

# ---- transferred to the competent body: the notice to the complainant ----
export WEIQUAN_NOW=2026-05-06T03:00:00Z
T=$(add_case)
rule "$T" claim
run $W --user med1 document "$T" --list
lacks "$out" "transfer" "no notice of a transfer before the case is transferred"
expect_rc 1 "... nor may one be issued" $W --user med1 document "$T" transfer
rule "$T" transfer "$(printf '杭州市余杭区市场监督管理局\033]0;pwned\007')" \
	"$(printf '被投诉人住所地在杭州市余杭区\033[2J\342\200\256')"
run $W --user med1 document "$T" --list
contains "$out" "transfer" "once transferred, --list offers the notice of the transfer"
expect_rc 0 "the notice of the transfer as text" \
	$W --user med1 document "$T" transfer --output "$TMP/t1.txt"
t=$(tr -d '\n' <"$TMP/t1.txt")
contains "$t" "投诉移送告知书" "... titled"
contains "$t" "消协移〔2026〕1号" "... numbered"
contains "$t" "张三：" "... addressed to the complainant"
contains "$t" "已于2026年5月6日将该投诉移送杭州市余杭区市场监督管理局?]0;pwned?" \
	"... saying where it went and when, the body's escape sequence made harmless"
contains "$t" "移送理由：被投诉人住所地在杭州市余杭区?[2J?" \
	"... and why, the reason's escape and bidi control made harmless"
lacks "$(cat "$TMP/t1.txt")" "$(printf '\033')" "... no escape reaching the terminal"
contains "$t" "《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号）〔该条款引用未经与官方文本核对〕" \
	"... citing Order No. 121, in force when it was received, marked unverified (no article known)"
[ "$(widest "$TMP/t1.txt")" -le 74 ] && ok "... its lines fit a terminal of 80 columns" ||
	not_ok "... its lines fit a terminal of 80 columns" "$(widest "$TMP/t1.txt") columns"
expect_rc 0 "the notice of the transfer as PDF" \
	$W --user med1 document "$T" transfer --format pdf --output "$TMP/t2.pdf"
p=$(pdf_text "$TMP/t2.pdf")
contains "$p" "投诉移送告知书" "... whose text pdftotext reads"
contains "$p" "移送杭州市余杭区市场监督管理局" "... naming the body"
contains "$p" "未经与官方文本核对" "... and the unverified mark"
pdftoppm -r 40 -png -f 1 -l 1 "$TMP/t2.pdf" "$TMP/t2" 2>/dev/null
[ -s "$TMP/t2-1.png" ] && ok "... and that pdftoppm draws" || not_ok "... and that pdftoppm draws"
expect_rc 0 "... and in Traditional Chinese" \
	$W --user med1 document "$T" transfer --lang zh_TW --output "$TMP/t3.txt"
t=$(tr -d '\n' <"$TMP/t3.txt")
contains "$t" "投訴移送告知書" "... titled in Traditional Chinese"
contains "$t" "本機構已於2026年5月6日將該投訴移送" "... throughout"
contains "$t" "移送理由：被投诉人住所地在杭州市余杭区" "... the recorded reason as it was written"
expect_rc 1 "a case not transferred has no notice of a transfer" \
	$W --user med1 document "$A" transfer
unset WEIQUAN_NOW

# ---- an IP notice not acted on: the notice to the rights holder ----
export WEIQUAN_NOW=2026-05-06T04:00:00Z
ip_notice() {
	$W --user desk1 case add --case-type ip --case-category counterfeit \
		--consumer 某某体育用品有限公司 --merchant 飞跃运动专营店 \
		--statement "店铺销售假冒注册商标的运动鞋"
}
J=$(ip_notice)
rule "$J" claim
run $W --user med1 document "$J" --list
lacks "$out" "ip-rejected" "no notice of an IP notice not acted on before it is rejected"
rule "$J" reject-notice no-preliminary-evidence \
	"$(printf '仅附商标注册证，未附侵权比对\033]52;c;cHduZWQ=\007</script><script>alert(1)</script>')"
run $W --user med1 document "$J" --list
contains "$out" "ip-rejected" "once rejected, --list offers the notice to the rights holder"
expect_rc 0 "the notice that the IP notice was not acted on, as text" \
	$W --user med1 document "$J" ip-rejected --output "$TMP/j1.txt"
t=$(tr -d '\n' <"$TMP/j1.txt")
contains "$t" "不予采取必要措施通知书" "... titled"
contains "$t" "某某体育用品有限公司：" "... addressed to the rights holder"
contains "$t" "针对飞跃运动专营店提交的知识产权侵权通知" "... naming the merchant"
contains "$t" "经审查，该通知未附构成侵权的初步证据。" "... giving the reason recorded"
contains "$t" "本平台于2026年5月6日决定不对相关商品或者服务采取必要措施" "... the decision and its day"
contains "$t" "说明：仅附商标注册证，未附侵权比对?]52;c;cHduZWQ=?</script><script>alert(1)</script>" \
	"... the note's escape sequence made harmless, the markup printed as written"
lacks "$(cat "$TMP/j1.txt")" "$(printf '\033')" "... no escape reaching the terminal"
contains "$t" "依据《中华人民共和国电子商务法》第四十二条，" "... citing art. 42, read in the statute"
lacks "$t" "未经与官方文本核对" "... so with no unverified mark"
contains "$t" "通知应当包括构成侵权的初步证据" "... and what it asks of a notice"
[ "$(widest "$TMP/j1.txt")" -le 74 ] && ok "... its lines fit a terminal of 80 columns" ||
	not_ok "... its lines fit a terminal of 80 columns" "$(widest "$TMP/j1.txt") columns"
expect_rc 0 "the same notice as PDF" \
	$W --user med1 document "$J" ip-rejected --format pdf --output "$TMP/j2.pdf"
p=$(pdf_text "$TMP/j2.pdf")
contains "$p" "不予采取必要措施通知书" "... whose text pdftotext reads"
contains "$p" "该通知未附构成侵权的初步证据" "... with the reason"
pdftoppm -r 40 -png -f 1 -l 1 "$TMP/j2.pdf" "$TMP/j2" 2>/dev/null
[ -s "$TMP/j2-1.png" ] && ok "... and that pdftoppm draws" || not_ok "... and that pdftoppm draws"
expect_rc 0 "... and in Traditional Chinese" \
	$W --user med1 document "$J" ip-rejected --lang zh_TW --output "$TMP/j3.txt"
t=$(tr -d '\n' <"$TMP/j3.txt")
contains "$t" "不予採取必要措施通知書" "... titled in Traditional Chinese"
contains "$t" "該通知未附構成侵權的初步證據" "... the reason in Traditional Chinese"
contains "$t" "《中華人民共和國電子商務法》第四十二條" "... and the article"
K=$(ip_notice)
rule "$K" claim
rule "$K" measures delete
expect_rc 1 "a notice acted on has no notice of not acting" \
	$W --user med1 document "$K" ip-rejected
unset WEIQUAN_NOW

# ---- the report track (举报): the reporter's receipt and the notice ----
export WEIQUAN_NOW=2026-05-07T02:00:00Z
report() {
	$W --user desk1 case add --case-type report --case-category advertising \
		--merchant 优品数码旗舰店 --platform 淘宝 "$@"
}
P=$(report --consumer 王五 --phone 13800138000 \
	--statement "该店页面宣称“国家级检测合格”，涉嫌虚假宣传")
expect_rc 0 "a report's receipt" \
	$W --user desk1 document "$P" receipt --output "$TMP/p1.txt"
t=$(tr -d '\n' <"$TMP/p1.txt")
contains "$t" "举报登记回执" "... titled as a report's"
contains "$t" "举报人：王五" "... naming the reporter"
contains "$t" "被举报人：优品数码旗舰店" "... and the one reported"
lacks "$t" "投诉人" "... never speaking of a complainant"
contains "$t" "15个工作日内核查并作出是否立案的决定" "... with the check's clock"
contains "$t" "未经与官方文本核对" "... its citation marked unverified"
run $W --user desk1 receipt "$P"
contains "$out" "举报登记回执" "the desk's printed receipt of a report is a report's too"
contains "$out" "【举报人】" "... naming the reporter"
contains "$out" "【被举报人】" "... and the one reported"
contains "$out" "核查后决定是否立案，最迟于" "... with the check's deadline"
contains "$(printf '%s\n' "$out" | grep '^是否立案')" "〔该期限未经与官方文本核对〕" "... marked unverified (15 working days: reported, not read in the text)"
lacks "$out" "投诉" "... never speaking of a complaint"
run $W --user med1 document "$P" --list
lacks "$out" "report-decision" "no notice to the reporter before a decision on filing"
rule "$P" claim
rule "$P" not-file insufficient-clues "仅有页面截图，未能取得商品实物"
run $W --user med1 document "$P" --list
contains "$out" "report-decision" "once not filed, --list offers the notice to the reporter"
expect_rc 0 "the notice to the reporter as PDF" \
	$W --user med1 document "$P" report-decision --format pdf --output "$TMP/p2.pdf"
p=$(pdf_text "$TMP/p2.pdf")
contains "$p" "举报处理结果告知书" "... whose text pdftotext reads"
contains "$p" "消协告〔2026〕1号" "... numbered"
contains "$p" "王五：" "... addressed to the reporter"
contains "$p" "举报提供的线索不足以认定存在违法行为" "... giving the reason for not filing"
contains "$p" "决定不予立案" "... and the decision"
contains "$p" "国家市场监督管理总局令第121号" "... citing Order No. 121, in force when it was received"
contains "$p" "未经与官方文本核对" "... marked unverified"
contains "$p" "仅有页面截图，未能取得商品实物" "... with the mediator's note"
contains "$p" "5个工作日内告知实名举报人" "... and the time to tell"
lacks "$p" "立案调查" "... not saying it was filed"
pdftoppm -r 50 -png -f 1 -l 1 "$TMP/p2.pdf" "$TMP/p2" 2>/dev/null
[ -s "$TMP/p2-1.png" ] && ok "... and that pdftoppm draws" || not_ok "... and that pdftoppm draws"
expect_rc 0 "the same notice as text" \
	$W --user med1 document "$P" report-decision --output "$TMP/p2.txt"
[ "$(widest "$TMP/p2.txt")" -le 74 ] && ok "... its lines fit a terminal of 80 columns" ||
	not_ok "... its lines fit a terminal of 80 columns" "$(widest "$TMP/p2.txt") columns"
expect_rc 0 "... and in Traditional Chinese" \
	$W --user med1 document "$P" report-decision --lang zh_TW --output "$TMP/p3.txt"
t=$(tr -d '\n' <"$TMP/p3.txt")
contains "$t" "檢舉處理結果告知書" "... titled in Traditional Chinese"
contains "$t" "決定不予立案" "... throughout"
rule "$P" tell "电话告知不予立案"
n0=$(db_sql "$DB" "SELECT count(*) FROM documents WHERE kind = 'report-decision'")
expect_rc 0 "once the reporter was told, the notice is the same" \
	$W --user med1 document "$P" report-decision --output "$TMP/p4.txt"
cmp -s "$TMP/p2.txt" "$TMP/p4.txt" && ok "... same bytes" || not_ok "... same bytes"
equals "$(db_sql "$DB" "SELECT count(*) FROM documents WHERE kind = 'report-decision'")" "$n0" \
	"... and no new version"
F=$(report --consumer 赵六 --phone 13900139000 --statement "同店销售无标签食品")
rule "$F" claim
rule "$F" file "$(printf '立案调查\033]0;pwned\007\033[2J')"
expect_rc 0 "the notice that a report was filed" \
	$W --user med1 document "$F" report-decision --format pdf --output "$TMP/f.pdf"
p=$(pdf_text "$TMP/f.pdf")
contains "$p" "决定立案调查" "... says it was filed"
lacks "$p" "不予立案" "... and nothing of not filing"
run $W --user med1 document "$F" report-decision
contains "$out" "立案调查?]0;pwned??[2J" "... its note's escape sequences made harmless in the text"
pdftoppm -r 40 -png -f 1 -l 1 "$TMP/f.pdf" "$TMP/f" 2>/dev/null
[ -s "$TMP/f-1.png" ] && ok "... and it draws" || not_ok "... and it draws"
N=$(report --consumer 匿名 --statement "匿名举报虚假宣传")
rule "$N" claim
rule "$N" not-file insufficient-clues
expect_rc 1 "an anonymous reporter has no notice to be given" \
	$W --user med1 document "$N" report-decision
expect_rc 1 "a complaint has no notice to a reporter" \
	$W --user med1 document "$C" report-decision

# ---- a diversion case's receipt: the brand owner and the distributor ----
# Registered and issued by another desk: recording a diversion's details
# counts as its registrar's ruling, and desk1's count is checked below.
$W user add desk2 --role desk >/dev/null
V=$($W --user desk2 case add --case-type diversion --case-category diversion \
	--consumer 山东岱宗食品有限公司 --merchant 广州某商贸有限公司 \
	--statement "山东专供批次在广州市场销售" --brand 岱宗 \
	--authorised-region 山东省 --found-region 广东省广州市 --batch B20260301)
expect_rc 0 "a diversion case's receipt as PDF" \
	$W --user desk2 document "$V" receipt --format pdf --output "$TMP/v.pdf"
p=$(pdf_text "$TMP/v.pdf")
contains "$p" "串货纠纷登记回执" "... titled as a diversion case's"
contains "$p" "品牌方：山东岱宗食品有限公司" "... naming the brand owner"
contains "$p" "经销商：广州某商贸有限公司" "... and the distributor"
contains "$p" "授权销售区域：山东省" "... the authorised region"
contains "$p" "发现地：广东省广州市" "... and where the goods were found"
lacks "$p" "投诉人" "... never speaking of a complainant"
pdftoppm -r 40 -png -f 1 -l 1 "$TMP/v.pdf" "$TMP/v" 2>/dev/null
[ -s "$TMP/v-1.png" ] && ok "... and it draws" || not_ok "... and it draws"
run $W --user desk2 receipt "$V"
contains "$out" "串货纠纷登记回执" "the desk's printed receipt of a diversion case"
contains "$out" "【品牌方】" "... names the brand owner"
contains "$out" "【经销商】" "... and the distributor"
lacks "$out" "投诉人" "... not a complainant"
lacks "$out" "是否受理" "... nor promises a complaint's acceptance clock"

# ---- a diversion dispute's outcome: the notice to both parties ----
run $W --user med1 document "$V" --list
lacks "$out" "diversion-outcome" "no notice of a diversion dispute's outcome before one"
rule "$V" claim
rule "$V" verify-trace
rule "$V" penalty 50000 "按经销合同第八条计算"
run $W --user med1 document "$V" --list
contains "$out" "diversion-outcome" "once the penalty is agreed, --list offers the notice of the outcome"
expect_rc 0 "the notice of the outcome as PDF" \
	$W --user med1 document "$V" diversion-outcome --format pdf --output "$TMP/o1.pdf"
p=$(pdf_text "$TMP/o1.pdf")
contains "$p" "串货纠纷处理结果通知书" "... whose text pdftotext reads"
contains "$p" "山东岱宗食品有限公司、广州某商贸有限公司：" "... addressed to both parties"
contains "$p" "支付违约金50000.00元" "... giving the penalty agreed"
contains "$p" "说明：按经销合同第八条计算" "... and the ruling's note"
contains "$p" "授权销售区域：山东省" "... with the regions"
lacks "$p" "不支持品牌方的主张" "... and nothing of another outcome"
lacks "$p" "撤回" "... not even a withdrawal"
pdftoppm -r 40 -png -f 1 -l 1 "$TMP/o1.pdf" "$TMP/o1" 2>/dev/null
[ -s "$TMP/o1-1.png" ] && ok "... and that pdftoppm draws" || not_ok "... and that pdftoppm draws"
expect_rc 0 "... and in Traditional Chinese" \
	$W --user med1 document "$V" diversion-outcome --lang zh_TW --output "$TMP/o2.txt"
t=$(tr -d '\n' <"$TMP/o2.txt")
contains "$t" "串貨糾紛處理結果通知書" "... titled in Traditional Chinese"
contains "$t" "支付違約金50000.00元" "... throughout"
V2=$($W --user desk2 case add --case-type diversion --case-category diversion \
	--consumer 山东岱宗食品有限公司 --merchant 济南某商贸有限公司 \
	--statement "山东专供批次在济南市场发现" --brand 岱宗 \
	--authorised-region 山东省 --found-region 山东省济南市)
rule "$V2" claim
# The note in GB18030 ("济南", not UTF-8): refused, nothing decided.
expect_rc 1 "a reason in another encoding is refused" \
	$W --user med1 rule "$V2" dismiss within-region "$(printf '\274\303\304\317')"
contains "$err" "not valid UTF-8" "... saying why"
run $W --user med1 document "$V2" --list
lacks "$out" "diversion-outcome" "... and no outcome to tell"
rule "$V2" dismiss within-region \
	"$(printf '济南在授权区域内\033[31m\302\233 2J\302\205')"
expect_rc 0 "the notice that the claim was not supported, as text" \
	$W --user med1 document "$V2" diversion-outcome --output "$TMP/o3.txt"
t=$(tr -d '\n' <"$TMP/o3.txt")
contains "$t" "经核查，货物发现地位于经销商的授权销售区域之内。" "... giving the reason recorded"
contains "$t" "决定不支持品牌方的主张" "... and the outcome"
contains "$t" "说明：济南在授权区域内?[31m? 2J?" "... the note's escape, CSI and NEL made harmless"
lacks "$(cat "$TMP/o3.txt")" "$(printf '\033')" "... no escape reaching the terminal"
lacks "$t" "违约金" "... and nothing of a penalty"
[ "$(widest "$TMP/o3.txt")" -le 74 ] && ok "... its lines fit a terminal of 80 columns" ||
	not_ok "... its lines fit a terminal of 80 columns" "$(widest "$TMP/o3.txt") columns"
V3=$($W --user desk2 case add --case-type diversion --case-category diversion \
	--consumer 山东岱宗食品有限公司 --merchant 青岛某商贸有限公司 \
	--statement "山东专供批次在杭州市场销售" --brand 岱宗 \
	--authorised-region 山东省 --found-region 浙江省杭州市)
rule "$V3" claim
rule "$V3" verify-trace
rule "$V3" dispute
run $W --user med1 document "$V3" diversion-outcome
t=$(printf '%s' "$out" | tr -d '\n')
contains "$t" "对品牌方的主张有异议" "a disputed claim's notice says so"
contains "$t" "申请仲裁或者向人民法院起诉" "... and where the parties may go"
V4=$($W --user desk2 case add --case-type diversion --case-category diversion \
	--consumer 山东岱宗食品有限公司 --merchant 烟台某商贸有限公司 \
	--statement "山东专供批次在上海市场销售" --brand 岱宗 \
	--authorised-region 山东省 --found-region 上海市)
rule "$V4" claim
rule "$V4" withdraw "品牌方与经销商已自行协商"
run $W --user med1 document "$V4" diversion-outcome
t=$(printf '%s' "$out" | tr -d '\n')
contains "$t" "山东岱宗食品有限公司于2026年5月7日撤回了其主张" "a withdrawn claim's notice says so"
lacks "$t" "有异议" "... and nothing of a dispute"
expect_rc 1 "a complaint has no notice of a diversion dispute's outcome" \
	$W --user med1 document "$C" diversion-outcome
unset WEIQUAN_NOW

# ---- the audit chain ----
expect_rc 0 "the audit chain verifies with the documents" $W audit verify
contains "$out" "Issued documents that agree with their events: 24" \
	"... every document compared, the transfer, IP, report and diversion ones too"
run db_sql "$DB" "UPDATE documents SET text = 'x' WHERE id = 1"
contains "$err" "cannot be changed" "an issued document cannot be changed"
T=$(copy_db "$DB" t)
db_sql "$T" "$(no_trigger "$T" documents documents_no_update)
	UPDATE documents SET pdf = $forged WHERE kind = 'agreement' AND lang = 'zh_CN'"
expect_rc 1 "a PDF replaced behind weiquan's back is caught" $WEIQUAN --db "$T" audit verify
contains "$err" "its PDF no longer has the SHA-256 its event recorded" "... naming what changed"
equals "$(db_sql "$DB" "SELECT sum(n) FROM report_actor_days WHERE actor = 'desk1'")" "" \
	"issuing documents is not counted as a ruling"

done_testing
