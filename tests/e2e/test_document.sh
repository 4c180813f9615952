#!/bin/sh
# Documents in a real terminal (tmux, 80x24): f on the case view lists the
# documents the case can issue, picking one issues it and shows its text in
# the pager, recorded in the audit chain; picking it again shows the same
# document without issuing another.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
WEIQUAN_DOCUMENTS="$TMP/no-override"
export WEIQUAN_DOCUMENTS
$W user add alice --role mediator >/dev/null
N=$($W case add --case-type complaint --case-category refund \
	--consumer 张三 --merchant 优品数码旗舰店 --amount 1299 \
	--statement "屏幕有划痕，商家拒绝退款")
for r in claim screen; do $W --user alice rule "$N" $r >/dev/null; done
$W --user alice rule "$N" not-accept time-barred "订单为三年前所下" >/dev/null

console a 80 24 $W --user alice
see a "$N" "alice's console opens on her queue"
keys a Enter
see a "reason: time barred" "Enter opens the case"
keys a f
see a "Documents this case can issue" "f lists the documents the case can issue"
see a "Notice of not accepting" "... the notice of not accepting among them, by name"
if screen_of a | grep -q "Acceptance notice\|not-accepted"; then
	not_ok "... and no acceptance notice" "$(screen_of a)"
else
	ok "... and no acceptance notice"
fi
keys a 2
see a "不予受理告知书" "picking it shows the notice"
see a "超过三年" "... with the ground"
see a "未经与官方文本核对" "... its citation marked unverified"
see a "订单为三年前所下" "... and the mediator's note"
see a "version 1" "... as version 1"
see a "issued and recorded in the audit chain" "... recorded, the status line says"
equals "$(db_sql "$DB" "SELECT count(*) FROM documents WHERE kind = 'not-accepted'")" "1" \
	"the document is kept"
equals "$(db_sql "$DB" "SELECT count(*) FROM events WHERE action = 'document' AND actor = 'alice'")" "1" \
	"... with its audit event"
keys a /
see a "Search in this document" "/ searches the document"
keys a 第三十九条 Enter
see a "found on line" "... and finds the article"
keys a q
see a "reason: time barred" "q goes back to the case"
keys a f
see a "Documents this case can issue" "f again"
keys a 2
see a "issued before, unchanged since" "the same document is shown again"
equals "$(db_sql "$DB" "SELECT count(*) FROM documents")" "1" "... without issuing another"
expect_rc 0 "the chain verifies" $W audit verify
contains "$out" "Issued documents that agree with their events: 1" "... the document included"
done_testing
