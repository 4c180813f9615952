#!/bin/sh
# A scanned PDF (pages that are pictures, no text of their own) in the
# pager at 80x24: "being read" while the worker has not recognised it,
# then, without a key pressed, each page's recognised text under a page
# heading that marks it machine-read, not the original; and the case is
# found by a phrase on the scan.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
SAMPLES=$(dirname "$WEIQUAN")/tests/media/make_samples
"$SAMPLES" "$TMP" || not_ok "make_samples runs"
$W user add alice --role mediator >/dev/null
N=$($W case add --case-type complaint --case-category quality \
	--consumer 张三 --merchant 优品数码 --statement "屏幕碎了，商家不认。")
$W evidence add "$N" "$TMP/scanned.pdf" --kind other --party complainant >/dev/null

console q 80 24 $W --user alice
see q "my cases" "the console opens"
keys q v
see q "$N" "the unassigned case is listed"
keys q Enter
see q "[being read]" "the evidence list says the PDF is being read"
keys q Tab Tab Enter Enter
see q "evidence (PDF: the text of its pages)" "the pager opens the PDF's text"
see q "being read: this PDF" "... and says its text is being read"

expect_rc 0 "weiquan worker --once reads the scan" $W worker --once
see q "a scan, machine-read" "the pager picks up the scan's text, marked machine-read" 10
see q "同意仅退款" "... and shows the text recognised on page 1"
see q "2 scanned pages" "... and says how many pages were recognised"
keys q / 检测中心 Enter
see q "found on line" "the recognised text can be searched in the pager"
keys q q q
stop_consoles
run $W case list --status all --search 华南消费品检测中心
contains "$out" "$N" "case list --search finds the case by a phrase on the scan"
done_testing
