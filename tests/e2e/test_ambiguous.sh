#!/bin/sh
# East Asian ambiguous characters (①, ×, “”, ○, Greek, Cyrillic) in a
# UTF-8 console, with the terminal said to draw them narrow (the default
# there) and wide (keys file, variable, command line).  tmux draws them
# narrow, so in the wide setting the console must not send them: it shows
# wide look-alikes and placeholders, and what stands right of the text (the
# next queue column, the border between the panes, a prompt's cursor)
# stays where the console counted it.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin

# at_x NAME ANCHOR PATTERN WANT DESCRIPTION
at_x() {
	got=$(x_reaches "$1" "$2" "$3" "$4")
	if [ "$got" = "$4" ] && [ "$4" != -1 ]; then
		ok "$5"
	else
		not_ok "$5" "'$3' at column $got, wanted $4" \
			"screen:" "$(screen_of "$1")"
	fi
}

cursor_x() {
	tmx display-message -p -t "$1" '#{cursor_x}'
}

add() {
	$W case add --case-type complaint --case-category refund \
		--consumer 张三 --merchant "$1" --case-region 广州 \
		--amount "$2" --statement "$3"
}
# Ambiguous characters before END1: ① × “ ” ○ (5); before END2: α β γ Д Ж
# З (6); none before END3.
STATEMENT=$(printf '第一行①×“引号”○ END1\n第二行 αβγ ДЖЗ END2\n第三行 END3')
N1=$(add "①号“优品”×○店" 4321.00 "$STATEMENT")
N2=$(add 普通店 100 "没有特殊字符的陈述。")
mkdir -p "$TMP/wide/weiquan" "$TMP/bad/weiquan"
echo "ambiguous-width wide" >"$TMP/wide/weiquan/keys"
printf 'generic ^D page-down\nambiguous-width huge\n' >"$TMP/bad/weiquan/keys"

# look NAME SETTING: the queue, a prompt and the case, with their columns
# in $AMOUNT_X, $PROMPT_X, $END1_X..., $SEP_X.
look() {
	local name=$1 setting=$2
	see "$name" "all cases" "$setting: the console opens on all cases"
	see "$name" "$N1" "$setting: the queue lists the ambiguous merchant"
	# Right-aligned amounts: their decimal points line up.
	AMOUNT_X=$(x_settled "$name" "$N2" '\.00')
	at_x "$name" "$N1" '\.00' "$AMOUNT_X" \
		"$setting: its amount is in the column of the plain row's"
	keys "$name" / ①×ab
	see "$name" "ab" "$setting: the search prompt shows what is typed"
	PROMPT_X=$(x_settled "$name" "ab" 'ab')
	got=$(cursor_x "$name")
	equals "$got" "$((PROMPT_X + 2))" \
		"$setting: the prompt's cursor stands right after the text"
	BORDER=$(screen_of "$name" | grep "ab" | cut -c1-40 | tr -d ' ')
	keys "$name" Escape
	wait_gone "$name" "ab"
	keys "$name" / 引号 Enter
	see "$name" "search: 引号" "$setting: a search for the statement"
	keys "$name" Enter
	see "$name" "END3" "$setting: the case opens on its statement"
	END1_X=$(x_settled "$name" END1 END1)
	END2_X=$(x_settled "$name" END2 END2)
	END3_X=$(x_settled "$name" END3 END3)
	SEP_X=$(x_settled "$name" END3 '[│|]')
	at_x "$name" END1 '[│|]' "$SEP_X" \
		"$setting: the border after the line with ①×“”○ is in the column of the plain line's"
	at_x "$name" END2 '[│|]' "$SEP_X" \
		"$setting: ... and after the line with Greek and Cyrillic"
	at_x "$name" Merchant '[│|]' "$SEP_X" "$setting: ... and after the heading"
}

# ---- narrow: the default in a UTF-8 locale ----
console n 100 30 $W
look n narrow
contains "$(screen_of n)" "第一行①×“引号”○ END1" "narrow: the characters are shown as themselves"
contains "$(screen_of n)" "αβγ ДЖЗ" "... Greek and Cyrillic too"
contains "$(screen_of n)" "│" "... and the border between the panes is a line"
contains "$BORDER" "│" "... and so is a prompt's"
N_AMOUNT_X=$AMOUNT_X N_PROMPT_X=$PROMPT_X N_SEP_X=$SEP_X
N_END1_X=$END1_X N_END2_X=$END2_X N_END3_X=$END3_X
keys n Q

# ---- wide, from the keys file ----
console w 100 30 env XDG_CONFIG_HOME="$TMP/wide" $W
look w wide
contains "$(screen_of w)" "第一行？？＂引号＂？ END1" "wide: ① × ○ are 2-column placeholders, “” wide look-alikes"
lacks "$(screen_of w)" "①" "... and no ambiguous character is sent as itself"
lacks "$(screen_of w)" "│" "... nor a line-drawing character: the border between the panes is ASCII"
contains "$BORDER" "|" "... and so is a prompt's"
contains "$(screen_of w)" "？？？ ？？？ END2" "... Greek and Cyrillic are placeholders too"
equals "$AMOUNT_X $SEP_X" "$N_AMOUNT_X $N_SEP_X" \
	"wide: the amount column and the border stand where they do narrow"
equals "$END1_X $END2_X $END3_X" \
	"$((N_END1_X + 5)) $((N_END2_X + 6)) $N_END3_X" \
	"wide: each ambiguous character takes 2 columns (5 before END1, 6 before END2)"
equals "$PROMPT_X" "$((N_PROMPT_X + 2))" "wide: ①× take 4 columns in the prompt"
keys w Q

# ---- the variable, and the command line over the file ----
console e 100 30 env WEIQUAN_AMBIGUOUS_WIDTH=wide $W
keys e / 引号 Enter Enter
see e "＂引号＂" "WEIQUAN_AMBIGUOUS_WIDTH=wide: look-alikes"
keys e Q
console c 100 30 env XDG_CONFIG_HOME="$TMP/wide" $W --ambiguous-width=narrow
keys c / 引号 Enter Enter
see c "“引号”" "--ambiguous-width=narrow wins over the keys file's wide"
keys c Q
console v 100 30 env WEIQUAN_AMBIGUOUS_WIDTH=narrow $W --ambiguous-width wide
keys v / 引号 Enter Enter
see v "＂引号＂" "--ambiguous-width wide wins over the variable"
keys v Q

# ---- bad settings ----
console b 100 30 env XDG_CONFIG_HOME="$TMP/bad" $W
see b "keys:2: expected: ambiguous-width wide|narrow" \
	"a bad line in the keys file is named on the status line"
keys b / 引号 Enter Enter
see b "“引号”" "... and changes nothing"
keys b Q
console x 100 30 env WEIQUAN_AMBIGUOUS_WIDTH=huge $W
see x "WEIQUAN_AMBIGUOUS_WIDTH: 'huge' is neither wide nor narrow" \
	"a bad variable is named on the status line"
keys x Q
expect_rc 2 "a bad --ambiguous-width is a usage error" $W --ambiguous-width=huge
contains "$err" "--ambiguous-width: 'huge' is neither wide nor narrow" "... which says why"

stop_consoles
done_testing
