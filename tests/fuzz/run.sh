#!/bin/sh
# Runs each libFuzzer target for a short time (make check, when configured
# with --enable-fuzz) or a long one (make fuzz, WQ_FUZZ_SECONDS=600), from
# seeds made here: the hostile seeds of tests/fuzz/seeds, the pictures
# and PDFs of tests/media (for fuzz_media), every string of
# the big list of naughty strings, Markus Kuhn's UTF-8 test and demo files
# (from WQ_TESTDATA), and CSV and JSON imports carrying those strings.
# One TAP line per target; a failure names its reproducer, kept in
# tests/fuzz/artifacts of the build directory.  Run a reproducer again with
#     tests/fuzz/fuzz_import tests/fuzz/artifacts/crash-...
# and a long run that keeps what it learns with, for instance,
#     WQ_FUZZ_SECONDS=3600 WQ_FUZZ_CORPUS=$HOME/wq-corpus make fuzz
set -u
srcdir=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=$(dirname "${WEIQUAN:-./weiquan}")
fuzzdir=$builddir/tests/fuzz
seconds=${WQ_FUZZ_SECONDS:-20}
# fontconfig's process-long allocations are not leaks (make check sets
# the same; `make fuzz` comes here directly).
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$srcdir/tests/lsan.supp:print_suppressions=0}
export LSAN_OPTIONS
targets="fuzz_text fuzz_encoding fuzz_import fuzz_media"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/weiquan-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
corpus_root=${WQ_FUZZ_CORPUS:-$tmp/corpus}
artifacts=$fuzzdir/artifacts
mkdir -p "$artifacts" "$tmp/seeds" "$tmp/imports"
n=0
failed=0

cp "$srcdir"/tests/fuzz/seeds/* "$tmp/seeds/"

# Pictures and PDFs for fuzz_media: photos with EXIF (JPEG, PNG, WebP,
# and HEIC where heif-enc is installed), a screenshot, a two-page PDF, a
# scanned one, a bomb's header and a cut PNG (tests/media/samples.c).
mkdir -p "$tmp/media"
if ! "$builddir/tests/media/make_samples" "$tmp/media"; then
	echo "# tests/media/make_samples missing: fuzz_media starts from the text seeds"
elif command -v heif-enc >/dev/null 2>&1; then
	heif-enc -q 30 -o "$tmp/media/photo.heic" "$tmp/media/photo.jpg" \
		>/dev/null 2>&1 || true
fi

# One file per string of the test data, byte for byte, and the same
# strings as import files: a CSV and a JSON record each, so the fuzzer
# starts from imports that succeed and round-trip.
if [ -n "${WQ_TESTDATA:-}" ] && [ -d "$WQ_TESTDATA" ]; then
	python3 - "$WQ_TESTDATA" "$tmp/seeds" "$tmp/imports" <<'EOF' ||
import json, os, sys
data, seeds, imports = sys.argv[1:]
header = ("number,type,category,region,status,substate,assignee,"
          "received_at,consumer_name,consumer_phone,consumer_id_number,"
          "merchant_name,merchant_platform,merchant_shop_id,merchant_region,"
          "order_no,amount,order_date,remedy,statement")
def quote(b):
    return b'"' + b.replace(b'"', b'""') + b'"'
with open(os.path.join(data, "blns.txt"), "rb") as f:
    lines = [l for l in f.read().split(b"\n") if l and not l.startswith(b"#")]
for i, line in enumerate(lines):
    with open(os.path.join(seeds, "blns-%03d" % i), "wb") as f:
        f.write(line)
# Imports of eight strings each: a successful import costs a round trip,
# and a seed per string would spend the short run on loading them.
for k in range(0, len(lines), 8):
    group = lines[k:k + 8]
    csv = header.encode() + b"\r\n"
    for line in group:
        csv += (b",complaint,quality,,,,,," + quote(line) + b",,,"
                + quote(line) + b",,,,,,,," + quote(line) + b"\r\n")
    with open(os.path.join(imports, "blns-%03d.csv" % k), "wb") as f:
        f.write(csv)
    objs = [{"type": "complaint", "category": "quality",
             "consumer_name": t, "merchant_name": t, "statement": t}
            for t in (l.decode("utf-8", "replace") for l in group)]
    with open(os.path.join(imports, "blns-%03d.json" % k), "wb") as f:
        f.write(json.dumps(objs).encode())
for name in ("UTF-8-test.txt", "UTF-8-demo.txt"):
    with open(os.path.join(data, name), "rb") as f:
        rows = f.read().split(b"\n")
    for k in range(0, len(rows), 20):
        with open(os.path.join(seeds, "%s-%03d" % (name, k)), "wb") as f:
            f.write(b"\n".join(rows[k:k + 20]))
EOF
		echo "# could not make seeds from $WQ_TESTDATA"
else
	echo "# WQ_TESTDATA not set: hostile seeds of tests/fuzz/seeds only"
fi

for target in $targets; do
	n=$((n + 1))
	program=$fuzzdir/$target
	if [ ! -x "$program" ]; then
		echo "ok $n - $target # SKIP not built (configure CC=clang --enable-fuzz)"
		continue
	fi
	corpus=$corpus_root/$target
	mkdir -p "$corpus"
	seeds="$tmp/seeds"
	[ "$target" = fuzz_import ] && seeds="$tmp/seeds $tmp/imports"
	[ "$target" = fuzz_media ] && seeds="$tmp/media $tmp/seeds"
	log=$tmp/$target.log
	# -max_len keeps the 100 kB seeds whole only when asked for a long
	# run: a short one learns more from many small inputs.
	max_len=8192
	[ "$seconds" -ge 300 ] && max_len=131072
	# shellcheck disable=SC2086
	"$program" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=$max_len -print_final_stats=1 \
		-artifact_prefix="$artifacts/$target-" "$corpus" $seeds >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ "$rc" = 0 ]; then
		echo "ok $n - $target: ${runs:-?} inputs in ${seconds} s, every check held"
	else
		failed=$((failed + 1))
		echo "not ok $n - $target failed (exit $rc)"
		grep -E '^(fuzz_|==[0-9]+==|SUMMARY|artifact_prefix|Base64|  detail)' "$log" |
			head -20 | sed 's/^/#   /'
		ls "$artifacts" | grep "^$target-" | sed "s|^|#   reproducer: $artifacts/|"
	fi
done
echo "1..$n"
[ "$failed" = 0 ]
