#!/bin/sh
# What the mediator weighs about a photo or PDF, from the command line:
# `evidence show` gives kind, size or pages, the EXIF capture time and
# camera, whether the date fits the case, and whether the file can be
# viewed; a bomb, a cut file and hostile EXIF text are handled.
. "$(dirname "$0")/lib.sh"
samples=$(dirname "$WEIQUAN")/tests/media/make_samples
if [ ! -x "$samples" ]; then
	echo "1..0 # SKIP $samples not built (make check builds it)"
	exit 0
fi
"$samples" "$TMP" || exit 1
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset WEIQUAN_NOW
W="$WEIQUAN --db $(fresh_db w)"
$W init >/dev/null
$W user add sam --role supervisor >/dev/null
N=$($W case add --case-type complaint --case-category quality \
	--consumer 张三 --merchant 优品数码 --statement "屏幕有划痕" \
	--order-date 2026-01-05)
id_of() {
	$W --user sam evidence add "$N" "$1" --kind photo --party complainant |
		sed -n 's/^Evidence \([0-9]*\) attached.*/\1/p'
}
photo=$(id_of "$TMP/photo.jpg")
pdf=$(id_of "$TMP/report.pdf")
bomb=$(id_of "$TMP/bomb.png")
cut=$(id_of "$TMP/truncated.png")
future=$(id_of "$TMP/future.jpg")
hostile=$(id_of "$TMP/hostile.jpg")
printf '买家: 屏幕有划痕\n' > "$TMP/chat.txt"
chat=$(id_of "$TMP/chat.txt")

expect_rc 0 "evidence show reads a photo" $W --user sam evidence show "$photo"
contains "$out" "JPEG 640x480" "... its kind and size"
contains "$out" "Taken:      2025-12-20 09:15:00" "... its EXIF capture time"
contains "$out" "Camera:     Xiaomi 13" "... its camera"
contains "$out" "Order date: 2026-01-05" "... the case's order date"
contains "$out" "Taken before the order date" "... and that the photo predates the order"

expect_rc 0 "evidence show --json" $W --user sam evidence show "$photo" --json
equals "$(json 'd["taken_before_order"]')" "True" "... says taken_before_order"
equals "$(json 'd["taken"]')" "2025-12-20 09:15:00" "... with the time"
equals "$(json 'd["viewable"]')" "True" "... and that it can be viewed"

# The same for the EXIF that PNG, WebP and HEIC photos carry.
png=$(id_of "$TMP/photo.png")
run $W --user sam evidence show "$png"
contains "$out" "PNG 320x240" "a PNG photo: its kind and size"
contains "$out" "Taken:      2025-12-21 10:00:00" "... its EXIF capture time"
contains "$out" "Camera:     OPPO Find X6" "... its camera"
contains "$out" "Taken before the order date" "... and that it predates the order"
webp=$(id_of "$TMP/photo.webp")
run $W --user sam evidence show "$webp" --json
equals "$(json 'd["taken"]')" "2025-12-22 11:00:00" "a WebP photo: its capture time"
equals "$(json 'd["camera"]')" "vivo X90" "... its camera"
equals "$(json 'd["taken_before_order"]')" "True" "... and that it predates the order"
if command -v heif-enc >/dev/null 2>&1; then
	heif-enc -q 50 -o "$TMP/photo.heic" "$TMP/photo.jpg" >/dev/null 2>&1 ||
		not_ok "heif-enc encodes the photo"
	heic=$(id_of "$TMP/photo.heic")
	run $W --user sam evidence show "$heic" --json
	equals "$(json 'd["kind"]')" "HEIC" "a HEIC photo (heif-enc keeps the JPEG's EXIF)"
	equals "$(json 'd["taken"]')" "2025-12-20 09:15:00" "... its capture time"
	equals "$(json 'd["camera"]')" "Xiaomi 13" "... its camera"
	equals "$(json 'd["taken_before_order"]')" "True" "... and that it predates the order"
else
	ok "# SKIP heif-enc (libheif-examples) is not installed"
fi

run $W --user sam evidence show "$future"
contains "$out" "Dated after today" "a photo dated 2099 is flagged"
lacks "$out" "before the order date" "... and not as before the order"

run $W --user sam evidence show "$pdf"
contains "$out" "PDF, 2 pages" "a PDF: its page count"
contains "$out" "Created:    2026-01-10 15:30:00" "... its creation date"
lacks "$out" "before the order date" "... which fits the case"
run $W --user sam evidence show "$pdf" --json
equals "$(json 'd["created"]')" "2026-01-10 15:30:00" "... in JSON too"

start=$(date +%s)
expect_rc 0 "a decompression bomb's header is answered" \
	$W --user sam evidence show "$bomb"
contains "$out" "20000x20000: 400 megapixels, over the limit of 40" \
	"... with its size and the limit"
[ $(( $(date +%s) - start )) -le 5 ] && ok "... at once" || not_ok "bomb took long"
run $W --user sam evidence show "$bomb" --json
equals "$(json 'd["viewable"]')" "False" "... and is not viewable"

run $W --user sam evidence show "$cut"
contains "$out" "the file ends early" "a cut PNG is flagged"

run $W --user sam evidence show "$chat"
contains "$out" "not a picture or PDF" "a text file is not a picture"

expect_rc 0 "hostile EXIF text" $W --user sam evidence show "$hostile"
esc=$(printf '\033')
lacks "$out" "$esc" "... never reaches the terminal as an escape"
contains "$out" "Evil" "... but is shown"
run $W --user sam evidence show "$hostile" --json
lacks "$out" "$esc" "... nor in JSON"
equals "$(json 'd["camera"][:6]')" "$(printf '\033]0;HA')" "... where it keeps its value"

expect_rc 1 "an unknown id is refused" $W --user sam evidence show 999
expect_rc 2 "a bad id is a usage error" $W --user sam evidence show x
done_testing
