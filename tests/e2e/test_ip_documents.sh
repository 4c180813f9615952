#!/bin/sh
# An IP notice's documents in a real terminal (tmux, 80x24): f on the case
# view offers the notice of the measures once a measure is taken, not the
# documents of later steps, and picking it shows it.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
WEIQUAN_DOCUMENTS="$TMP/no-override"
export WEIQUAN_DOCUMENTS
$W user add alice --role mediator >/dev/null
N=$($W case add --case-type ip --case-category counterfeit \
	--consumer 某某体育用品有限公司 --merchant 飞跃运动专营店 \
	--statement "店铺销售假冒注册商标的运动鞋")
$W --user alice rule "$N" claim >/dev/null
$W --user alice rule "$N" measures delete "已删除商品链接" >/dev/null

console a 80 24 $W --user alice
see a "$N" "alice's console opens on her queue"
keys a Enter
see a "店铺销售假冒注册商标的运动鞋" "Enter opens the notice"
keys a f
see a "Documents this case can issue" "f lists the documents the case can issue"
see a "measures taken on an IP notice" "... the notice of the measures among them, by name"
if screen_of a | grep -q "ip-\|declaration forwarded\|measures ended\|measures stay"; then
	not_ok "... and none of a later step" "$(screen_of a)"
else
	ok "... and none of a later step"
fi
keys a 2
see a "采取必要措施通知书" "picking it shows the notice"
see a "删除" "... naming the measure"
see a "第四十二条" "... citing art. 42"
equals "$(db_sql "$DB" "SELECT count(*) FROM documents WHERE kind = 'ip-measures'")" "1" \
	"the document is kept"
done_testing
