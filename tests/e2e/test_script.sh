#!/bin/sh
# Reading in the other Chinese script and in another encoding, in a real
# terminal (tmux, 80x24): z converts the statements and the evidence text
# between Simplified and Traditional and back, e reads an evidence file
# as another encoding or as hex; the database never changes.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add alice --role mediator >/dev/null
$W user add sam --role supervisor >/dev/null
N1=$($W case add --case-type complaint --case-category quality \
	--consumer 张三 --merchant 优品数码旗舰店 --platform 淘宝 \
	--case-region 广东省广州市 --amount 1299 \
	--statement "收到的手机屏幕有划痕，质量问题，发货也慢。")
# The merchant writes from Hong Kong, in Traditional characters.
$W --user sam rule "$N1" statement respondent "商品出庫前已檢查。" >/dev/null
printf '买家: 屏幕有划痕\n卖家: 不支持退款\n' | iconv -f UTF-8 -t GB18030 >"$TMP/chat.txt"
$W --user sam evidence add "$N1" "$TMP/chat.txt" --kind chat --party complainant >/dev/null
printf '商家拒絕退款，客服態度惡劣。\n' | iconv -f UTF-8 -t BIG5 >"$TMP/letter.txt"
$W --user sam evidence add "$N1" "$TMP/letter.txt" --kind other --party complainant >/dev/null
db_state() {
	db_sql "$DB" "SELECT party, text FROM statements ORDER BY id;
		SELECT encoding, hex(original), text FROM evidence ORDER BY id;
		SELECT count(*) FROM drafts;"
}
BEFORE=$(db_state)

# ---- the case view ----
console s 80 24 $W --user alice
see s "my cases" "the console opens"
keys s v
see s "$N1" "the case is in the unassigned queue"
keys s Enter
see s "收到的手机屏幕有划痕，质量问题，发货也慢。" "the case shows the Simplified statement"
see s "商品出庫前已檢查。" "... and the merchant's Traditional one"
keys s z
see s "收到的手機屏幕有劃痕，質量問題，發貨也慢。" \
	"z shows the mostly Simplified statements in Traditional"
see s "Consumer  <  [converted to Traditional: z for the original]" \
	"... the pane titles say they are converted"
see s "Merchant  [converted to Traditional: z for the original]" \
	"... both of them"
see s "statements converted to Traditional: z shows the original" \
	"... and so does the status line"
see s "商品出庫前已檢查。" "... Traditional text stays as it is"
if screen_of s | grep -q "收到的手机"; then
	not_ok "the original is no longer shown" "$(screen_of s)"
else
	ok "the original is no longer shown"
fi
equals "$(db_state)" "$BEFORE" "the database holds the original statements, no draft"
keys s z
see s "收到的手机屏幕有划痕，质量问题，发货也慢。" "z again shows the original"
if wait_gone s "converted to Traditional"; then
	ok "... without the converted mark"
else
	not_ok "the mark is gone" "$(screen_of s)"
fi
see s "the original statements (z converts them)" "... the status line says so"
keys s '?'
see s "Keys of the case screen" "the help of the case screen"
# every page of it: the keys, then the legend of the marks
: >"$TMP/help.txt"
for i in 1 2 3 4 5 6 7 8; do
	sleep 0.2
	screen_of s >>"$TMP/help.txt"
	keys s PgDn
done
contains "$(cat "$TMP/help.txt")" "script" "... lists the script action"
if grep -q "^z  *script  *Show the text converted between Simplified" "$TMP/help.txt"; then
	ok "... bound to z"
else
	not_ok "z script in the case help" "$(cat "$TMP/help.txt")"
fi
keys s q

# ---- the evidence pager ----
keys s Tab Tab Enter Enter
see s "evidence  detected: gb18030" "the pager title shows the detected encoding"
see s "卖家: 不支持退款" "... and the GB18030 file as text"
keys s z
see s "賣家: 不支持退款" "z shows the Simplified file in Traditional"
see s "evidence  detected: gb18030  [converted to Traditional]" \
	"... the title says it is converted"
see s "converted to Traditional, not the original: z shows the original" \
	"... and so does the bottom line"
keys s / 賣家 Enter
see s "found on line 2" "search finds the Traditional text that is shown"
keys s z
see s "卖家: 不支持退款" "z again shows the original"
if wait_gone s "賣家"; then ok "... and only the original"; else
	not_ok "only the original" "$(screen_of s)"; fi
keys s n
see s "'賣家' not found" "... and search follows what is shown"
keys s e
see s "Read this evidence file as" "e asks which encoding to read the file as"
see s "auto (detected: gb18030)" "... auto says what was detected"
keys s 2
see s "evidence  detected: gb18030  read as: utf-8" "read as UTF-8: the title shows both"
see s "cannot be read as utf-8: shown as hex, e picks another encoding" \
	"... a file that is not UTF-8 gets a clear message"
see s "00000000  c2 f2 bc d2 3a 20" "... and its hex dump"
see s "invalid utf-8 byte sequence at offset 0 (byte 0xC2)" "... the status line says where"
keys s z
see s "a hex dump has no Chinese text to convert" "z on a hex dump says why not"
keys s e 4
see s "evidence  detected: gb18030  read as: big5" "read as Big5"
if wait_gone s "00000000" && ! screen_of s | grep -q "卖家\|cannot be read"; then
	ok "... shows another rendering, not the hex dump nor the text"
else
	not_ok "Big5 rendering" "$(screen_of s)"
fi
keys s e 7
see s "evidence  detected: gb18030  read as: hex" "hex on request"
see s "00000020  ee 0a" "... the whole file"
if screen_of s | grep -q "cannot be read"; then
	not_ok "no error for hex on request" "$(screen_of s)"
else
	ok "... without an error message"
fi
keys s e 1
see s "卖家: 不支持退款" "auto reads the file as detected again"
if wait_gone s "read as:"; then ok "... and the title says auto"; else
	not_ok "auto title" "$(screen_of s)"; fi
keys s '?'
see s "Keys of the pager screen" "the help of the pager screen"
if screen_of s | grep -q "^e  *encoding  *Read the evidence file in another encoding" &&
	screen_of s | grep -q "^z  *script "; then
	ok "... lists e encoding and z script"
else
	not_ok "pager help" "$(screen_of s)"
fi
keys s q q

# A Traditional file goes to Simplified.
keys s j Enter
see s "evidence  detected: big5" "the Big5 letter opens"
see s "商家拒絕退款，客服態度惡劣。" "... in Traditional"
keys s z
see s "商家拒绝退款，客服态度恶劣。" "z shows the Traditional text in Simplified"
see s "[converted to Simplified]" "... and says so"
keys s q
see s "Evidence (2)" "q goes back to the case"
equals "$(db_state)" "$BEFORE" "the stored bytes, texts and encodings never changed"
keys s Q

# ---- a reader in Taiwan ----
# zh_TW gets Taiwan's forms (OpenCC s2tw): 这里 is 這裡, where the
# standard Traditional of the other locales is 這裏; the timeline too.
N2=$($W case add --case-type complaint --case-category quality \
	--consumer 李四 --merchant 优品数码旗舰店 --platform 淘宝 \
	--case-region 广东省广州市 --amount 99 \
	--statement "这里的手机屏幕有划痕。")
$W --user sam rule "$N2" assign alice >/dev/null
$W --user sam rule "$N2" note "问题在这里" >/dev/null
for l in zh_TW zh_CN; do
	console "$l" 80 24 env LC_ALL="$l.UTF-8" LANGUAGE=en $W --user alice
	keys "$l" /
	keys "$l" "$N2" Enter
	keys "$l" Enter
	see "$l" "这里的手机屏幕有划痕。" "$l: the case of $N2 opens"
	keys "$l" z
done
see zh_TW "這裡的手機屏幕有劃痕。" "a zh_TW reader gets Taiwan's forms (這裡)"
see zh_CN "這裏的手機屏幕有劃痕。" "a zh_CN reader gets the standard Traditional (這裏)"
keys zh_TW t
see zh_TW "問題在這裡" "... and so does the timeline for zh_TW"
keys zh_TW z
see zh_TW "问题在这里" "z again: the timeline's original"
equals "$(db_sql "$DB" "SELECT text FROM statements WHERE text LIKE '%這%'")" "" \
	"nothing converted was stored"

stop_consoles
done_testing
