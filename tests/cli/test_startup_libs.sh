#!/bin/sh
# weiquan links only the core's libraries: those of pictures, PDFs and
# text recognition (about a hundred, most of a process's start-up) are in
# the media module, weiquan-media.so, loaded on first use
# (src/media_load.c).  A command that opens no picture or PDF never
# loads it; one that does, does; a module that cannot be loaded is
# named in a message rather than a crash; and every core function the
# module calls is exported to it (src/media_module.sym).
. "$(dirname "$0")/lib.sh"
samples=$(dirname "$WEIQUAN")/tests/media/make_samples
MODULE=$(dirname "$WEIQUAN")/weiquan-media.so
for tool in readelf nm; do
	command -v "$tool" >/dev/null || {
		echo "1..0 # SKIP $tool is not installed (Debian: binutils)"
		exit 0
	}
done
if [ ! -x "$samples" ]; then
	echo "1..0 # SKIP $samples not built (make check builds it)"
	exit 0
fi
"$samples" "$TMP" || exit 1
export LANG=C.UTF-8 LC_ALL=C.UTF-8

heavy=$(readelf -d "$WEIQUAN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
	grep -E 'poppler|tesseract|lept|pango|cairo|heif|gdk_pixbuf|exif|webp|png|jpeg|tiff|gio|fontconfig|freetype|harfbuzz')
equals "$heavy" "" "weiquan needs none of the media libraries (readelf -d)"
heavy=$(readelf -d "$MODULE" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
	grep -c -E '^lib(poppler-glib|tesseract|pangocairo)')
equals "$heavy" 3 "... which the module beside it needs"

# What the module takes from weiquan, weiquan exports.
wants=$(nm -D --undefined-only "$MODULE" | awk '$2 ~ /^wq_/ { print $2 }' | sort)
gives=$(nm -D --defined-only "$WEIQUAN" | awk '$3 ~ /^wq_/ { print $3 }' | sort)
missing=$(printf '%s\n' "$wants" | grep -vxF "$gives")
equals "$missing" "" "weiquan exports every core function the module calls"
equals "$(nm -D --defined-only "$MODULE" | awk '{ print $3 }')" \
	"wq_media_module" "... and the module exports its table alone"

W="$WEIQUAN --db $(fresh_db s)"
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

# loads CMD...: whether the run of CMD mapped the module (ld.so's trace).
loads() {
	LD_DEBUG=files "$@" 2>&1 >/dev/null | grep -q 'weiquan-media\.so'
}
if loads $WEIQUAN --version; then
	not_ok "weiquan --version does not load the media module"
else
	ok "weiquan --version does not load the media module"
fi
if loads $W --user sam case list; then
	not_ok "case list does not load it"
else
	ok "case list does not load it"
fi
if loads $W --user sam evidence show "$photo"; then
	ok "evidence show of a photo loads it"
else
	not_ok "evidence show of a photo loads it"
fi
expect_rc 0 "... and reads the photo through it" $W --user sam evidence show "$photo"
contains "$out" "JPEG 640x480" "... its kind and size"
contains "$out" "Camera:     Xiaomi 13" "... and its EXIF"
expect_rc 0 "evidence show reads a PDF through it" $W --user sam evidence show "$pdf" --json
equals "$(json 'd["viewable"]')" "True" "... viewable"

# A module that cannot be loaded: here something else under its name
# beside a copy of weiquan (an unprivileged process looks there first).
mkdir "$TMP/bin"
cp "$WEIQUAN" "$TMP/bin/weiquan"
echo 'not a shared object' > "$TMP/bin/weiquan-media.so"
B="$TMP/bin/weiquan --db ${W#* --db }"
expect_rc 0 "without its module weiquan still lists cases" $B --user sam case list
expect_rc 0 "... and shows a photo's record" $B --user sam evidence show "$photo" --json
equals "$(json 'd["viewable"]')" "False" "... not viewable"
contains "$(json 'd["problem"]')" "pictures, PDFs and text recognition are unavailable: cannot load $TMP/bin/weiquan-media.so: " \
	"... saying why, naming the module's file"
run $B --user sam evidence show "$pdf"
contains "$out" "cannot load $TMP/bin/weiquan-media.so" "... and the same for a PDF"

done_testing
