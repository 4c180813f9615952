#!/bin/sh
# A chat screenshot in the console at 80x24: "being read" in the case's
# evidence list and in the pager (which draws the picture meanwhile) while
# the worker has not read it, then, without a key pressed, the mark that
# the text was machine-read (the console's data_version refresh), and
# behind `p` the text itself; a second copy of the file marked as a
# duplicate.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
SHOT=${WQ_SHOT:-$(dirname "$WEIQUAN")/tests/bench/shot}
"$SHOT" text "$TMP/chat.png" "您好，这边可以给您仅退款，商品不用寄回了。" \
	"好的，谢谢。" || not_ok "the screenshot generator runs"
$W user add alice --role mediator >/dev/null
N=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 优品生活旗舰店 \
	--statement "商家答应仅退款，后来又不认了。")
$W evidence add "$N" "$TMP/chat.png" --kind chat --party complainant >/dev/null
$W evidence add "$N" "$TMP/chat.png" --kind chat --party complainant >/dev/null

console q 80 24 $W --user alice
see q "my cases" "the console opens"
keys q v
see q "$N" "the unassigned case is listed"
keys q Enter
see q "Evidence (2)" "the case shows the screenshot and its copy"
see q "[being read]" "the evidence list says it is being read"
see q "[duplicate file]" "... and marks the second copy as a duplicate"
keys q Tab Tab Enter Enter
see q "being read" "the pager says the screenshot is being read"
see q "evidence (picture)" "... and draws the picture meanwhile"

expect_rc 0 "weiquan worker --once reads it" $W worker --once
see q "machine-read" "the pager picks up the text, marked machine-read" 10
keys q p
see q "仅退款" "... and p shows the text read in the screenshot"
see q "image: machine-read text" "... titled as machine-read, not the original"
if wait_gone q "being read"; then
	ok "\"being read\" is gone"
else
	not_ok "\"being read\" is gone" "$(screen_of q)"
fi
keys q / 仅退款 Enter
see q "found on line" "the machine-read text can be searched in the pager"
keys q q
see q "[text read]" "back in the case, the evidence list says the text was read"
if wait_gone q "being read"; then
	ok "... and no longer that it is being read"
else
	not_ok "... and no longer that it is being read" "$(screen_of q)"
fi
done_testing
