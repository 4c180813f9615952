#!/bin/sh
# The console as a GB18030 or a Big5 desk sees it: tmux (UTF-8) runs
# Debian's luit, luit runs the console in zh_CN.GB18030 or zh_TW.BIG5.
# Chinese text and the translated labels come through; a character the
# locale lacks (Simplified characters in Big5, emoji) is a placeholder as
# wide as the character; the columns right of such text stand where they
# stand in a UTF-8 console; a search typed in UTF-8 reaches the console in
# the locale's charset and finds the case.
#
# tmux, like most terminals luit runs in, draws East Asian ambiguous
# characters (①, “”, Greek) in one column while glibc's GB18030 and Big5
# locales count two.  weiquan's default outside UTF-8 is narrow (the Big5
# desk relies on it); the GB18030 desk says so in its keys file.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"

have_locale() {
	locale -a 2>/dev/null | tr 'A-Z' 'a-z' | sed 's/-//g' | grep -qx "$1"
}
if ! command -v luit >/dev/null; then
	echo "1..0 # SKIP luit is not installed"
	exit 0
fi
for l in zh_cn.gb18030 zh_tw.big5 zh_cn.utf8; do
	if ! have_locale "$l"; then
		echo "1..0 # SKIP the locale $l is missing"
		exit 0
	fi
done
e2e_begin

# The catalogues make built, laid out as a locale directory.
SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
catalogues=yes
for l in zh_CN zh_TW; do
	mkdir -p "$TMP/locale/$l/LC_MESSAGES"
	mo="$TMP/locale/$l/LC_MESSAGES/weiquan.mo"
	if [ -f "locale/$l.gmo" ]; then
		cp "locale/$l.gmo" "$mo"
	elif [ -f "$SRC/locale/$l.gmo" ]; then
		cp "$SRC/locale/$l.gmo" "$mo"
	elif ! { command -v msgfmt >/dev/null &&
		msgfmt -o "$mo" "$SRC/locale/$l.po"; }; then
		catalogues=no
	fi
done
export WEIQUAN_LOCALEDIR="$TMP/locale"

# same_x NAME ANCHOR PATTERN WANT DESCRIPTION
same_x() {
	got=$(x_reaches "$1" "$2" "$3" "$4")
	if [ "$got" = "$4" ] && [ "$4" != -1 ]; then
		ok "$5"
	else
		not_ok "$5" "'$3' at column $got, in UTF-8 at $4" \
			"screen:" "$(screen_of "$1")"
	fi
}

$W demo --cases 30 --seed 11 >/dev/null
add() {
	$W case add --case-type complaint --case-category "$1" \
		--consumer "$2" --merchant "$3" --case-region "$4" \
		--amount "$5" --statement "$6"
}
N1=$(add quality 王芳 雅韵檀香专营店 广东省广州市 199 \
	"收到的檀香扇有裂纹，商家拒绝退款。")
N2=$(add quality 陳大文 茗香紫砂壺館 臺北市 880 \
	"購買的紫砂壺有裂痕，賣家拒絕退貨。")
# Simplified-only characters (这, 号, 张), ambiguous ones, an emoji, and
# ASCII marks whose columns are compared.
N3=$(add refund 张三 "这里①号店“优品”" 广东省广州市 1234.56 \
	"退款这里END ①×“引号”○ αβγ ДЖ MID 😀 TAIL 琥珀")

# desk NAME ENCODING LOCALE ARGS...: the console behind luit.
desk() {
	local name=$1 enc=$2 loc=$3
	shift 3
	console "$name" 100 30 luit -encoding "$enc" -- \
		env LC_ALL="$loc" LANGUAGE= "$@"
}

# ---- the reference: a UTF-8 console ----
console u 100 30 env LC_ALL=zh_CN.UTF-8 LANGUAGE= $W
see u "weiquan" "a UTF-8 console for reference"
keys u / 琥珀 Enter
see u "1234.56" "... finds the mixed case"
AMOUNT_X=$(x_settled u "$N3" '1234\.56')
keys u Enter
see u "END" "... and opens it"
END_X=$(x_settled u END END)
MID_X=$(x_settled u END MID)
TAIL_X=$(x_settled u END TAIL)
SEP_X=$(x_settled u END '[│|]')
if [ "$SEP_X" -gt "$TAIL_X" ] && [ "$TAIL_X" -gt "$MID_X" ] &&
	[ "$MID_X" -gt "$END_X" ] && [ "$AMOUNT_X" -gt 0 ]; then
	ok "... measured: amount at $AMOUNT_X, END $END_X, MID $MID_X, TAIL $TAIL_X, border $SEP_X"
else
	not_ok "the UTF-8 reference columns" "$(screen_of u)"
fi
keys u Q

# ---- GB18030 ----
mkdir -p "$TMP/gbconfig/weiquan"
printf '# tmux draws them narrow\nambiguous-width narrow\n' \
	>"$TMP/gbconfig/weiquan/keys"
desk g GB18030 zh_CN.GB18030 env XDG_CONFIG_HOME="$TMP/gbconfig" $W
see g "weiquan" "the console runs behind luit -encoding GB18030"
if [ "$catalogues" = yes ]; then
	see g "编号" "... in Simplified Chinese (the zh_CN catalogue)"
else
	ok "# SKIP no catalogue for the GB18030 console"
fi
keys g / 檀香 Enter
see g "$N1" "a search typed in UTF-8 reaches the console in GB18030 and finds the case"
see g "雅韵檀香专营店" "... whose merchant shows in Chinese"
keys g x / 琥珀 Enter
see g "1234.56" "another search finds the mixed case"
same_x g "$N3" '1234\.56' "$AMOUNT_X" \
	"... whose amount stands where it does in UTF-8, after the ambiguous merchant"
keys g Enter
see g "退款这里END" "the case's statement shows in Chinese"
if [ "$catalogues" = yes ]; then
	see g "消费者" "... under a translated heading"
fi
see g '"引号"' "curly quotes become ASCII look-alikes, as narrow as tmux draws them"
see g "？ TAIL" "the emoji is a 2-column placeholder"
same_x g END MID "$MID_X" "the text after the ambiguous characters is in the UTF-8 column"
same_x g END TAIL "$TAIL_X" "... and after the emoji's placeholder"
same_x g END '[│|]' "$SEP_X" "... and so is the border between the panes"
lacks "$(screen_of g)" "駹" "no GB18030 four-byte sequence reached luit"
keys g q Q

# ---- Big5 ----
desk b BIG5-HKSCS zh_TW.BIG5 $W
see b "weiquan" "the console runs behind luit -encoding BIG5-HKSCS"
if [ "$catalogues" = yes ]; then
	see b "編號" "... in Traditional Chinese (the zh_TW catalogue)"
else
	ok "# SKIP no catalogue for the Big5 console"
fi
keys b / 紫砂 Enter
see b "$N2" "a search typed in UTF-8 reaches the console in Big5 and finds the case"
see b "茗香紫砂壺館" "... whose merchant shows in Chinese"
keys b x / 琥珀 Enter
see b "1234.56" "another search finds the mixed case"
same_x b "$N3" '1234\.56' "$AMOUNT_X" \
	"... whose amount stands where it does in UTF-8, after the Simplified merchant"
keys b Enter
see b "退款？里END" "a Simplified-only character is a 2-column placeholder in Big5"
same_x b END END "$END_X" "... and the text after it is in the UTF-8 column"
if [ "$catalogues" = yes ]; then
	see b "消費者" "... under a translated heading"
fi
see b "？ TAIL" "the emoji is a 2-column placeholder"
same_x b END MID "$MID_X" "the text after the ambiguous characters is in the UTF-8 column"
same_x b END TAIL "$TAIL_X" "... and after the emoji's placeholder"
same_x b END '[│|]' "$SEP_X" "... and so is the border between the panes"
keys b q Q

stop_consoles
done_testing
