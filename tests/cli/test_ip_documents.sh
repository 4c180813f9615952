#!/bin/sh
# The documents of an IP notice (E-Commerce Law arts. 42-44): a rights
# holder's notice worked through its rulings, each document issued at its
# step as text and as PDF (read back with pdftotext, drawn with pdftoppm),
# and none offered before its step.
. "$(dirname "$0")/lib.sh"

if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then
	echo "1..0 # SKIP pdftotext and pdftoppm (Debian: poppler-utils) are not installed"
	exit 0
fi

DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
WEIQUAN_DOCUMENTS="$TMP/no-override"
export WEIQUAN_DOCUMENTS

$W init >/dev/null
$W user add med1 --role mediator --name 李明 >/dev/null

rule() {
	$W --user med1 rule "$@" >/dev/null
}
pdf_text() {
	pdftotext "$1" - 2>/dev/null | tr -d '\n '
}
# issue NUMBER KIND NAME: the kind as text (lines joined, a phrase may
# wrap) into $t and as PDF into $TMP/NAME.pdf; its text into $p.
issue() {
	$W --user med1 document "$1" "$2" --output "$TMP/$3.txt" >/dev/null 2>&1
	t=$(tr -d '\n' <"$TMP/$3.txt" 2>/dev/null)
	$W --user med1 document "$1" "$2" --format pdf --output "$TMP/$3.pdf" >/dev/null 2>&1
	p=$(pdf_text "$TMP/$3.pdf")
	pdftoppm -r 40 -png -f 1 -l 1 "$TMP/$3.pdf" "$TMP/$3" 2>/dev/null
	[ -s "$TMP/$3-1.png" ] && ok "$2: pdftoppm draws it" || not_ok "$2: pdftoppm draws it"
}
offered() {
	run $W --user med1 document "$1" --list
}

# ---- a notice: measures taken, declaration forwarded, measures ended ----
export WEIQUAN_NOW=2026-10-12T02:00:00Z
N=$($W case add --case-type ip --case-category counterfeit \
	--consumer 某某体育用品有限公司 --merchant 飞跃运动专营店 --platform 淘宝 \
	--shop-id TB8848 --statement "该店铺销售假冒本公司注册商标的运动鞋，附商标注册证及比对报告")
rule "$N" claim
offered "$N"
lacks "$out" "ip-" "a notice not yet acted on offers none of its documents"
expect_rc 1 "the notice of the measures is refused before a measure" \
	$W --user med1 document "$N" ip-measures
contains "$err" "ip-measures" "... naming it"

rule "$N" measures disconnect "已断开涉嫌侵权商品链接"
offered "$N"
contains "$out" "ip-measures" "once a measure is taken, --list offers the notice of it"
lacks "$out" "ip-declaration" "... but not the declaration, not yet made"
lacks "$out" "ip-ended" "... nor a result"
issue "$N" ip-measures m
contains "$t" "采取必要措施通知书" "the notice of the measures: titled"
contains "$t" "飞跃运动专营店：" "... addressed to the merchant"
contains "$t" "采取必要措施：断开链接" "... naming the measure"
contains "$t" "已断开涉嫌侵权商品链接" "... with the ruling's note"
contains "$t" "该店铺销售假冒本公司注册商标的运动鞋" "... forwarding the rights holder's notice"
contains "$t" "《中华人民共和国电子商务法》第四十二条" "... citing art. 42"
contains "$t" "第四十三条向本平台提交不存在侵权行为的声明" "... telling the merchant of the declaration"
lacks "$t" "未经与官方文本核对" "... the statute's article carrying no unverified mark"
contains "$p" "采取必要措施通知书" "... the PDF's text reads back"
contains "$p" "断开链接" "... with the measure"

rule "$N" declaration "所售运动鞋系从品牌授权经销商处进货，附进货发票"
offered "$N"
lacks "$out" "ip-declaration" "a declaration not yet forwarded is not offered"
export WEIQUAN_NOW=2026-10-13T02:00:00Z
rule "$N" forward-declaration
offered "$N"
contains "$out" "ip-declaration" "once forwarded, --list offers the declaration forwarded"
issue "$N" ip-declaration d
contains "$t" "不存在侵权行为声明转送通知书" "the declaration forwarded: titled"
contains "$t" "某某体育用品有限公司：" "... addressed to the rights holder"
contains "$t" "从品牌授权经销商处进货" "... forwarding the merchant's declaration"
contains "$t" "于2026年10月13日将该声明转送你方" "... on the day forwarded"
contains "$t" "15日内" "... telling them of the 15 days"
contains "$t" "向有关主管部门投诉或者向人民法院起诉" "... to show a complaint or lawsuit"
contains "$t" "2026年10月28日届满" "... and the day they end, as the ip_wait clock counts"
run $W case show "$N" --json
equals "$(json 'd["due_on"]')" "2026-10-28" "... the day the case's clock gives"
contains "$t" "第四十三条" "... citing art. 43"
contains "$p" "2026年10月28日届满" "... in the PDF too"

expect_rc 0 "the same again gives the same bytes" \
	$W --user med1 document "$N" ip-declaration --format pdf --output "$TMP/d2.pdf"
cmp -s "$TMP/d.pdf" "$TMP/d2.pdf" && ok "... byte for byte" || not_ok "... byte for byte"

export WEIQUAN_NOW=2026-10-29T02:00:00Z
rule "$N" end-measures "期满未收到投诉或者起诉的通知"
offered "$N"
contains "$out" "ip-ended" "once the measures end, --list offers the notice of it"
lacks "$out" "ip-kept" "... not the notice that they stay"
issue "$N" ip-ended e
contains "$t" "终止所采取措施通知书" "the measures ended: titled"
contains "$t" "某某体育用品有限公司、飞跃运动专营店：" "... addressed to both"
contains "$t" "至2026年10月28日，本平台未收到" "... no action shown by the last day"
contains "$t" "于2026年10月29日终止所采取的措施" "... ended that day"
contains "$t" "第四十四条" "... and published (art. 44)"
contains "$p" "终止所采取措施通知书" "... the PDF's text reads back"
expect_rc 1 "the notice that the measures stay is refused" \
	$W --user med1 document "$N" ip-kept

expect_rc 0 "the measures ended, in Traditional Chinese" \
	$W --user med1 document "$N" ip-ended --lang zh_TW --format pdf --output "$TMP/et.pdf"
p=$(pdf_text "$TMP/et.pdf")
contains "$p" "終止所採取措施通知書" "... titled in Traditional Chinese"
contains "$p" "《中華人民共和國電子商務法》第四十三條" "... citing the law so"

# ---- a notice whose rights holder sued: the measures stay ----
export WEIQUAN_NOW=2026-10-20T02:00:00Z
K=$($W case add --case-type ip --case-category counterfeit \
	--consumer 某某体育用品有限公司 --merchant 飞跃运动专营店 \
	--statement "店铺销售假冒注册商标的运动鞋")
for step in claim "measures stop-transactions" declaration forward-declaration; do
	rule "$K" $step
done
offered "$K"
lacks "$out" "ip-kept" "while the 15 days run, no result is offered"
lacks "$out" "ip-ended" "... of either kind"
rule "$K" action-filed "权利人已向人民法院起诉，附受理通知书"
offered "$K"
contains "$out" "ip-kept" "once an action is shown, --list offers the notice that the measures stay"
issue "$K" ip-kept k
contains "$t" "维持所采取措施通知书" "the measures kept: titled"
contains "$t" "采取必要措施：终止交易和服务" "... naming the measure"
contains "$t" "已经向有关主管部门投诉或者向人民法院起诉" "... because an action was filed"
contains "$t" "权利人已向人民法院起诉，附受理通知书" "... with the note"
contains "$t" "所采取的措施不予终止" "... the measures stay"
contains "$p" "维持所采取措施通知书" "... the PDF's text reads back"
expect_rc 0 "... and the zh_TW text" \
	$W --user med1 document "$K" ip-kept --lang zh_TW
contains "$out" "維持所採取措施通知書" "... titled in Traditional Chinese"

# ---- a declaration carrying terminal escapes ----
H=$($W case add --case-type ip --case-category counterfeit \
	--consumer 某某体育用品有限公司 --merchant 某店 --statement "假冒注册商标")
rule "$H" claim
rule "$H" measures block
rule "$H" declaration "$(printf '进货合法\033]0;pwned\007\033[2J，附发票\342\200\256')"
rule "$H" forward-declaration
issue "$H" ip-declaration h
if LC_ALL=C grep -q "$(printf '\033')" "$TMP/h.txt"; then
	not_ok "a declaration's escape sequences never reach the document"
else
	ok "a declaration's escape sequences never reach the document"
fi
contains "$t" "进货合法" "... its words kept"
contains "$t" "，附发票" "... all of them"
contains "$p" "进货合法" "... in the PDF too"

# ---- a consumer complaint has none of them ----
C=$($W case add --case-type complaint --case-category refund --consumer 张三 \
	--merchant 某店 --statement "商家拒绝退款")
offered "$C"
lacks "$out" "ip-" "a consumer complaint offers no IP document"
expect_rc 1 "... and issues none" $W --user med1 document "$C" ip-measures

unset WEIQUAN_NOW
expect_rc 0 "the audit chain verifies with them" $W audit verify
# One row per case, kind and language, both forms in it: ip-measures,
# ip-declaration (two cases), ip-ended and ip-kept, each of the last two
# in zh_CN and zh_TW.
equals "$(db_sql "$DB" "SELECT count(*) FROM documents WHERE kind LIKE 'ip-%'
	AND length(pdf) > 0 AND length(text) > 0")" "7" "... each kept with both its forms"

done_testing
