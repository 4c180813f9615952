#!/bin/sh
# Rulings and their questions at 80x24: the key bar and the `:` menu offer
# only what the core would let through now (submitting needs the agreement
# performed), a refusal comes before any question, each answer is checked
# when it is given (an amount, a date, a case), logins and cases are picked
# from lists, and a refusal in the Chinese console is Chinese throughout.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
for u in "alice mediator" "bob mediator" "sam supervisor" "desk1 desk"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null
done
add() {
	$W --user desk1 case add --case-type complaint --case-category quality \
		--consumer "$1" --merchant 假酒专营店 --statement "$2" --amount 399
}
WATCH=$(add 王五 "同一批次酒疑似假冒")
TALK=$(add 赵六 "瓶盖有二次封口痕迹")
OTHER=$(add 钱七 "酒的防伪码查不到")
for step in claim screen accept start "offer respondent refund 399"; do
	# shellcheck disable=SC2086
	$W --user alice rule "$WATCH" $step >/dev/null || not_ok "$step"
done
OFFER=$(db_sql "$DB" "SELECT max(id) FROM offers")
$W --user alice rule "$WATCH" agree "$OFFER" respondent 2026-12-20 >/dev/null
$W --user alice rule "$WATCH" watch >/dev/null
for step in claim screen accept start; do
	$W --user alice rule "$TALK" $step >/dev/null || not_ok "$step"
done
q() { db_sql "$DB" "$1"; }

# open NAME NUMBER: the case from the queue's find.
open_case() {
	keys "$1" f
	keys "$1" "$2" Enter
	see "$1" "$2  " "$2 opens"
}

console m 80 24 $W --user alice
see m "my cases" "the console opens"
# Status and category words are whole at 80 columns.
if wait_for m "performance watch" && screen_of m | grep -q "$WATCH  *performance watch  *quality "; then
	ok "the queue shows status and category whole"
else
	not_ok "the queue shows status and category whole" "$(screen_of m)"
fi
if screen_of m | grep -q "performance [a-z]*>"; then
	not_ok "... uncut" "$(screen_of m)"
else
	ok "... uncut"
fi
open_case m "$WATCH"
see m "Pperformed" "the key bar offers recording the performance"
if screen_of m | tail -1 | grep -q "submit"; then
	not_ok "... and not submitting before it" "$(screen_of m)"
else
	ok "... and not submitting before it"
fi
keys m :
see m "Rulings that apply now" ": lists the rulings"
if screen_of m | grep -Eq "│[0-9 ] [^ ]* +(submit|claim) "; then
	not_ok "... without submit, or claiming a case held" "$(screen_of m)"
else
	ok "... without submit, or claiming a case held"
fi
keys m Escape
wait_gone m "Rulings that apply now" || not_ok "Esc closes the menu"
keys m R
see m "the agreement of $WATCH is no" \
	"R anyway: refused at once, saying why"
if screen_of m | grep -q "optional"; then
	not_ok "... before any question" "$(screen_of m)"
else
	ok "... before any question"
fi
equals "$(q "SELECT status FROM cases WHERE number = '$WATCH'")" \
	performance_watch "... and nothing is written"
keys m P
see m "optional" "P asks for an optional note"
keys m Enter
see m "Rsubmit" "once performed, the key bar offers submitting"
keys m q

# ---- answers checked as they are given ----
open_case m "$TALK"
if screen_of m | tail -1 | grep -q "yagree"; then
	not_ok "no agreement offered before an offer" "$(screen_of m)"
else
	ok "no agreement offered before an offer"
fi
keys m o
keys m 1
keys m 1
see m "offer amount in yuan" "an offer asks for the amount"
keys m abc Enter
see m "not an amount in yuan" "a wrong amount is refused when it is typed"
see m " abc" "... and kept for correcting"
keys m C-u crpl55-2 Enter
see m "counted on the losses" "a damages rule the core knows is checked as the core would (art. 55(2) needs the loss)"
keys m C-u crpl55:100 Enter
see m "counts the price only" "... and a loss given to a rule that does not count one is refused"
keys m C-u 120.50 Enter
see m "offer terms" "a right one goes on to the next question"
keys m Enter
see m "yagree" "with an offer open, the key bar offers an agreement"
equals "$(q "SELECT o.amount_fen FROM offers o JOIN cases c ON c.id = o.case_id
	WHERE c.number = '$TALK'")" 12050 "the offer is in the database"
keys m y
keys m 1
keys m 2
see m "agree due (YYYY-MM-DD)" "an agreement asks for the due date"
keys m 2026-13-01 Enter
see m "not a date (YYYY-MM-DD)" "a wrong date is refused when it is typed"
sleep 0.2
keys m Escape
see m "agree cancelled" "Esc cancels"
keys m d
see m "duplicate of: number" "duplicate-of asks for the other case"
keys m nobody Enter
see m "no other case found for 'nobody'" "a case not found is asked again"
keys m C-u 钱七 Enter
see m "duplicate of $OTHER" "a name finds the one case"
equals "$(q "SELECT o.number FROM cases c JOIN cases o ON o.id = c.duplicate_of
	WHERE c.number = '$TALK'")" "$OTHER" "... recorded as its duplicate"
keys m Q

# ---- a login picked ----
console s 80 24 $W --user sam
see s "weiquan" "a supervisor's console"
open_case s "$OTHER"
keys s =
see s "bob  0 open, 0 overdue" "= lists who may hold cases, with their load"
see s "alice  2 open" "... each one's open cases"
keys s 2
see s "assigned to bob" "a login is picked, not typed"
equals "$(q "SELECT assignee FROM cases WHERE number = '$OTHER'")" bob \
	"... and the assignment is in the database"
keys s Q

# ---- the intake form types where the cursor is ----
console i 80 24 $W --user desk1
see i "weiquan" "the desk's console"
keys i i
see i "New complaint" "i opens the intake form"
keys i Down Down
keys i 张
see i " 张" "a character typed on a field opens it with the character, no Enter first"
keys i 三 Enter
see i "Full name *      张三" "... and it is the field's value"
keys i Down 1
keys i 38 Enter
see i "a mobile number has 11 digits" "the phone is checked once typed"
keys i S
see i "4 problems to fix before saving: Category, required: pick a category" \
	"a refused save says which field is first"
keys i Enter
see i "quality" "... and the cursor is there: Enter picks a category"
keys i 1
if wait_gone i "pick a category"; then
	ok "... which is then no problem any more"
else
	not_ok "the category picked" "$(screen_of i)"
fi
keys i q
see i "Leave the form?" "q asks before leaving a form typed in"
keys i y

# ---- a merchant only like a known one, a group, the history ----
$W --user sam group create "假酒集体投诉" "$TALK" >/dev/null
GROUP=$(q "SELECT max(id) FROM case_groups")
j() { n=$1; while [ "$n" -gt 0 ]; do keys i j; n=$((n - 1)); done; }
keys i i
see i "New complaint" "a new form"
keys i g j
keys i Enter
see i "quality" "the category list"
keys i 1
keys i g
j 2
keys i 孙八 Enter
keys i g
j 6
keys i 假酒 Enter
see i "= 假酒专营店" "part of a merchant's name lists the known one"
keys i g
j 15
keys i Enter
see i "^X" "the statement's editor"
keys i "买到的酒是假酒。"
keys i C-x
see i "买到的酒是假酒。" "the statement is in the form"
keys i S
see i "'假酒' is not a known merchant, but '假酒专营店' is." \
	"saving a name only like a known merchant's asks whether it is new"
keys i n
see i "not saved: pick the merchant from the list" "... no: not saved"
keys i Enter
see i "existing merchant" "... Enter on the list picks the known one"
keys i S
see i "Save the complaint?" "then it saves"
keys i y
see i "Collective groups are open against this merchant" \
	"a group open against the merchant is offered"
see i "Join G$GROUP  假酒集体投诉  (1 open)" "... named, with its open members"
keys i 1
see i "Write the receipt" "the receipt as before"
keys i n
see i "in collective group G$GROUP" "the status line says it joined"
equals "$(q "SELECT count(*) FROM cases c JOIN consumers p ON p.id = c.consumer_id
	WHERE p.name = '孙八' AND c.group_id = $GROUP")" 1 "... and so does the database"
equals "$(q "SELECT count(*) FROM merchants WHERE name = '假酒'")" 0 \
	"no merchant '假酒' was made"
keys i g
j 2
keys i 孙八 Enter
see i "Earlier complaints: 1" "the consumer's history is a line of the form"
keys i g
j 15
see i "Enter: open" "... that the cursor stands on"
keys i Enter
see i "The consumer's earlier cases" "Enter lists the earlier cases"
keys i 1
see i "  complaint  received" "... and one picked opens"
keys i q
see i "Earlier complaints: 1" "back to the form as it was"
keys i Q
keys i y

# ---- a key that means something else elsewhere ----
console k 160 24 $W --user alice
see k "my cases" "a wide console"
open_case k "$TALK"
E=$(printf '\033')
# The case's key bar may come a redraw after its title: poll for it.
underlined() {
	tmx capture-pane -e -p -t k | tail -n 1 |
		grep -Eq "$E\[([0-9]+;)*4m($E\[[0-9;]*m)*-($E\[[0-9;]*m)*release"
}
tries=100
while [ $tries -gt 0 ] && ! underlined; do
	sleep 0.05
	tries=$((tries - 1))
done
if underlined; then
	ok "the key bar underlines a key that does something else elsewhere"
else
	not_ok "the key bar underlines - (release here, zoom-out in the pager)" \
		"$(tmx capture-pane -e -p -t k | tail -n 1 | cat -v)"
fi
keys k '?'
see k "Take an unassigned case  [elsewhere: queue: filter-category]" \
	"the help says what the key does on the other screens"
see k "Keys underlined in the key bar do something else" "... and why keys are underlined"
keys k q Q

# ---- a refusal in Chinese ----
mkdir -p "$TMP/locale/zh_CN/LC_MESSAGES"
msgfmt -o "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo" "$SRC/locale/zh_CN.po"
console z 80 24 env LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN \
	WEIQUAN_LOCALEDIR="$TMP/locale" $W --user desk1
see z "weiquan" "the desk's console in Chinese"
if wait_for z "履行跟踪中" && screen_of z | grep -q "$WATCH  *履行跟踪中  *产品质量 "; then
	ok "the Chinese queue shows status and category whole"
else
	not_ok "the Chinese queue shows status and category whole" "$(screen_of z)"
fi
open_case z "$OTHER"
keys z V
see z "您的角色无权执行此操作: 登记员无权执行“审核通过”" \
	"a refusal is Chinese, its detail included"
line=$(screen_of z | grep "无权执行")
left=$(printf '%s' "$line" | sed 's/WQ-[0-9-]*//g' | grep -o '[A-Za-z][A-Za-z]*' | tr '\n' ' ')
equals "$left" "" "... with no English word in it"
keys z Q

stop_consoles
done_testing
