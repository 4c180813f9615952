#!/bin/sh
# A worker's failure read in the reader's language: the worker (an English
# service) fails to read a cut-short screenshot; a mediator whose console
# speaks zh_CN opens it at 80x24 and reads why in Chinese, not in the
# worker's English.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SHOT=${WQ_SHOT:-$(dirname "$WEIQUAN")/tests/bench/shot}
"$SHOT" text "$TMP/chat.png" "您好，这边可以给您仅退款。" || not_ok "the screenshot generator runs"
head -c 3000 "$TMP/chat.png" >"$TMP/cut.png"
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 is not installed"; exit 0; }
$W user add alice --role mediator >/dev/null
N=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 优品生活旗舰店 \
	--statement "商家答应仅退款，后来又不认了。")
$W evidence add "$N" "$TMP/cut.png" --kind chat --party complainant >/dev/null
expect_rc 0 "the worker (in English) fails to read it" \
	env LANGUAGE= LC_ALL=C.UTF-8 $W worker --once
# The same failure on a picture the pager can draw (a cut-short one
# draws with a notice of its own over the line that says it): the
# screenshot whole, its job failed with what the worker kept.
$W evidence add "$N" "$TMP/chat.png" --kind chat --party complainant >/dev/null
db_sql "$DB" "UPDATE jobs SET state = 'failed', error = (SELECT error
	FROM jobs WHERE evidence_id = 1) WHERE evidence_id = 2" ||
	not_ok "the failure copied"

mkdir -p "$TMP/locale/zh_CN/LC_MESSAGES"
if [ -f locale/zh_CN.gmo ]; then
	cp locale/zh_CN.gmo "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo"
else
	msgfmt -o "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo" "$SRC/locale/zh_CN.po"
fi
console q 80 24 env WEIQUAN_LOCALEDIR="$TMP/locale" LANGUAGE=zh_CN \
	LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 $W --user alice
see q "我的案件" "the console opens"
keys q v
see q "$N" "the unassigned case is listed"
keys q Enter
see q "证据 (2)" "the case shows its evidence"
keys q Tab Tab Down Enter Enter
see q "PNG 文件不完整" "the pager says why it could not be read, in Chinese"
wait_gone q "正在绘制图片" 20
see q "未能识别出文字：PNG 文件不完整" "... and still says it once the picture is drawn"
if screen_of q | grep -q "cut short"; then
	not_ok "... and not in the worker's English" "$(screen_of q)"
else
	ok "... and not in the worker's English"
fi
done_testing
