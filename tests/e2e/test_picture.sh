#!/bin/sh
# Pictures and PDFs in the evidence pager, as a mediator over SSH sees
# them at 80x24: a photo drawn in character cells (not a hex dump), zoom,
# pan, resize, NO_COLOR; a PDF's text found by search and its page as a
# picture; a decompression bomb and a cut file refused or flagged.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
samples=$(dirname "$WEIQUAN")/tests/media/make_samples
if [ ! -x "$samples" ]; then
	echo "1..0 # SKIP $samples not built (make check builds it)"
	exit 0
fi
"$samples" "$TMP" || exit 1
$W user add sam --role supervisor >/dev/null
N=$($W case add --case-type complaint --case-category quality \
	--consumer 张三 --merchant 优品数码旗舰店 --statement "收到的手机屏幕有划痕" \
	--order-date 2026-01-05)
for f in photo.jpg report.pdf bomb.png truncated.png; do
	$W --user sam evidence add "$N" "$TMP/$f" --kind photo \
		--party complainant >/dev/null
done
sha_before=$(sha256sum "$TMP/photo.jpg" | cut -c1-64)

# colours NAME: the escape sequences of the pane's colours, one a line.
colours() {
	tmx capture-pane -p -e -t "$1" | grep -o '\[[0-9;]*m' | sort -u
}
# picture_rows NAME: rows of the pane drawn with the photo's red.
picture_rows() {
	tmx capture-pane -p -e -t "$1" | grep -c '48;5;196m'
}

# blocks NAME: rows of the pane with block symbols (U+2580..U+259F).
blocks() {
	screen_of "$1" | python3 -c '
import sys
print(sum(1 for l in sys.stdin.read().splitlines()
          if any("\u2580" <= c <= "\u259f" for c in l)))'
}

# until_at_least N CMD...: polls until CMD prints a number >= N.
until_at_least() {
	local want=$1 tries=100
	shift
	while [ "$tries" -gt 0 ]; do
		[ "$("$@")" -ge "$want" ] && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# open NAME N: from the queue, the case, then its N-th evidence item.
open_evidence() {
	see "$1" "all cases" "the console opens ($1)"
	keys "$1" / 划痕 Enter
	see "$1" "search: 划痕" "... the case is found ($1)"
	keys "$1" Enter
	see "$1" "Evidence (4)" "... and opened, with its four items ($1)"
	keys "$1" Tab Tab Enter
	i=1
	while [ "$i" -lt "$2" ]; do
		keys "$1" j
		i=$((i + 1))
	done
	keys "$1" Enter
}

# ---- without colour ----
console m 80 24 env NO_COLOR=1 $W --user sam
open_evidence m 1
see m "evidence (picture)" "with NO_COLOR the photo is still a picture"
# The header comes first, the picture as soon as it is decoded.
wait_gone m "drawing the picture" 10
if colours m | grep -q '48;5;'; then
	not_ok "no colours with NO_COLOR" "$(colours m)"
else
	ok "... in no colour"
fi
if [ "$(blocks m)" -ge 15 ]; then
	ok "... but in shapes: every row of it"
else
	not_ok "shapes without colour" "$(screen_of m)"
fi

# A monochrome terminal (vt220: no colours in its terminfo) alike.
CONSOLE_TERM=vt220 console v 80 24 $W --user sam
open_evidence v 1
see v "evidence (picture)" "on a monochrome terminal the photo is a picture"
wait_gone v "drawing the picture" 10
if colours v | grep -q '48;5;'; then
	not_ok "no colours on vt220" "$(colours v)"
else
	ok "... in no colour"
fi
if [ "$(blocks v)" -ge 15 ]; then
	ok "... but in shapes"
else
	not_ok "shapes on vt220" "$(screen_of v)"
fi

# ---- in colour ----
console q 80 24 $W --user sam
open_evidence q 1
see q "evidence (picture)" "a photo opens as a picture"
wait_gone q "drawing the picture" 10
see q "JPEG 640x480  taken 2025-12-20 09:15  camera Xiaomi 13" \
	"its size, EXIF capture time and camera are shown"
see q "before the order date 2026-01-05" \
	"a photo taken before the order date is flagged"
screen=$(screen_of q)
lacks "$screen" "00000000 " "... not as a hex dump"
if [ "$(blocks q)" -ge 10 ]; then
	ok "the picture is drawn in block symbols"
else
	not_ok "block symbols" "$screen"
fi
rows=$(picture_rows q)
if [ "$rows" -ge 15 ] && [ "$rows" -le 18 ]; then
	ok "the photo's red fills the 18-row pane ($rows rows), aspect kept"
else
	not_ok "red rows at 80x24" "$rows rows" "$(colours q)"
fi
# 640x480 at cells twice as tall as wide: 48 columns by 18 rows, centred
# (16 blank columns, then the red half).
esc=$(printf '\033')
left=$(tmx capture-pane -p -e -t q |
	grep -c "^\($esc\[39m$esc\[49m\)\{0,1\} \{16\}$esc\[48;5;196m")
if [ "$left" -ge 15 ]; then
	ok "a 4:3 photo is centred with 16-column margins at 80 columns"
else
	not_ok "centred" "$left rows start at column 16" "$(tmx capture-pane -p -e -t q | sed -n 5p | od -c | head -5)"
fi

# picture_is NAME SCREEN: polls until the pane's picture rows are SCREEN's;
# picture_moves NAME SCREEN: until they are not.
picture_is() {
	local want tries=100
	want=$(printf '%s\n' "$2" | sed -n 4,21p)
	while [ "$tries" -gt 0 ]; do
		[ "$(screen_of "$1" | sed -n 4,21p)" = "$want" ] && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}
picture_moves() {
	local was tries=100
	was=$(printf '%s\n' "$2" | sed -n 4,21p)
	while [ "$tries" -gt 0 ]; do
		[ "$(screen_of "$1" | sed -n 4,21p)" != "$was" ] && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

fit=$(screen_of q)
keys q +
see q "zoom 1.5x" "+ zooms in"
if picture_moves q "$fit"; then ok "... and the picture changes"; else not_ok "zoom changes the picture"; fi
zoomed=$(screen_of q)
keys q l l
if picture_moves q "$zoomed"; then ok "l pans the zoomed picture"; else not_ok "pan changes the picture"; fi
keys q g
if picture_is q "$fit"; then
	ok "g fits the whole picture again"
else
	not_ok "g fits again" "$(screen_of q)"
fi

tmx resize-window -t q -x 120 -y 40
if until_at_least 30 picture_rows q; then
	ok "on a resize to 120x40 the picture is drawn again, larger"
else
	not_ok "resize" "$(picture_rows q) red rows" "$(screen_of q)"
fi
tmx resize-window -t q -x 80 -y 24
see q "evidence (picture)" "... and back at 80x24"

keys q p
see q "00000000  ff d8 ff" "p shows the bytes as hex instead"
keys q p
see q "evidence (picture)" "... and p the picture again"

# ---- the PDF ----
keys q q
see q "Evidence (4)" "q goes back to the case"
keys q j Enter
see q "evidence (PDF: the text of its pages)" "a PDF opens as its text"
see q "PDF, 2 pages  created 2026-01-10 15:30" "... with its page count and creation date"
see q "--- page 2 of 2 ---" "... each page under a heading"
keys q / TB2026001 Enter
see q "found on line" "the PDF's text is searchable"
keys q p
see q "PDF page 2 of 2 (picture)" "p shows the page that was found as a picture"
if [ "$(blocks q)" -ge 2 ] &&
	tmx capture-pane -p -e -t q | grep -q '48;5;2[3-5][0-9]m'; then
	ok "... drawn in cells: a white page, the black band on top"
else
	not_ok "PDF page drawn" "$(screen_of q)"
fi
keys q PPage
see q "PDF page 1 of 2 (picture)" "PgUp shows the previous page"
keys q p
see q "Appraisal report" "p goes back to the text, at that page"

# ---- hostile files ----
keys q q
see q "Evidence (4)" "back to the case"
keys q j Enter
see q "20000x20000: 400 megapixels, over the limit of 40" \
	"a decompression bomb's header is refused with its size"
see q "00000000  89 50 4e 47" "... and its bytes shown as hex"
keys q q j Enter
see q "the file ends early" "a cut PNG is flagged as incomplete"
keys q q
see q "Evidence (4)" "the console survived every file"
stop_consoles

equals "$(sha256sum "$TMP/photo.jpg" | cut -c1-64)" "$sha_before" \
	"the original file is untouched"
run $W case show "$N" --json
contains "$out" "$sha_before" "... and the stored evidence keeps its SHA-256"
done_testing
