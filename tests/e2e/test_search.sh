#!/bin/sh
# Search results in the console (tmux, 80x24): paging down reaches every
# hit once, newest case first; a list longer than the rows the console
# keeps in memory (5000) is reached to its last hit and back to its first;
# the help screen gives the query language; and a terminal taller than
# a page of the queue is filled.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add sam --role supervisor >/dev/null

# 5,400 cases: 5,237 hold 退款 (the 237 newest of them hold 发票 too), the
# rest neither.  hits.txt and invoices.txt: their numbers, newest first.
python3 - "$TMP" <<'EOF'
import csv, sys

tmp = sys.argv[1]
hits, invoices = [], []
with open(tmp + "/cases.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["number", "type", "category", "consumer_name",
                "merchant_name", "statement", "amount"])
    for i in range(1, 5401):
        if i % 33 == 0:
            text = "第%d单：商品质量问题" % i
        else:
            hits.append(i)
            text = "第%d单：商家拒绝退款" % i
            if len(hits) > 5000:
                invoices.append(i)
                text += "，也不开发票"
        w.writerow(["", "complaint", "refund", "顾客%d" % i,
                    "商家%d" % (i % 17), text, "10.00"])
for name, numbers in (("hits", hits), ("invoices", invoices)):
    with open("%s/%s.txt" % (tmp, name), "w") as f:
        for i in reversed(numbers):
            f.write("WQ-2026-%06d\n" % i)
EOF
$W import "$TMP/cases.csv" >/dev/null || not_ok "import"
equals "$(wc -l <"$TMP/hits.txt" | tr -d ' ') $(wc -l <"$TMP/invoices.txt" | tr -d ' ')" \
	"5237 237" "5237 cases hold 退款, 237 of them 发票"

# opens NUMBER DESCRIPTION: Enter opens the case NUMBER; q goes back.
opens() {
	keys q Enter
	if wait_for q "Consumer" && screen_of q | grep -q "$1"; then
		ok "$2"
	else
		not_ok "$2" "$(screen_of q)"
	fi
	keys q q
	wait_for q "search:" >/dev/null
}

console q 80 24 $W --user sam
see q "all cases" "the supervisor's console opens on the queue"

# ---- every hit of a search, paging down ----
keys q / 发票 Enter
see q "search: 发票" "a search for 发票"
see q "$(head -1 "$TMP/invoices.txt")" "... shows the newest hit first"
: >"$TMP/seen.txt"
# next_page: PgDn, then the screen once it changed (or 2 s passed: the
# list ended) and its redraw is whole (the same twice running).
next_page() {
	before=$(screen_of q)
	keys q NPage
	tries=40
	while [ "$(screen_of q)" = "$before" ] && [ $tries -gt 0 ]; do
		sleep 0.05
		tries=$((tries - 1))
	done
	settled
}
# settled: the hits on the screen once its redraw is whole (the same twice
# running).
settled() {
	now=$(screen_of q)
	tries=100
	while sleep 0.1 && [ "$(screen_of q)" != "$now" ] && [ $tries -gt 0 ]; do
		now=$(screen_of q)
		tries=$((tries - 1))
	done
	printf '%s\n' "$now" | grep -o 'WQ-2026-[0-9]*' >>"$TMP/seen.txt"
}
settled
for i in $(seq 1 40); do
	case $(screen_of q) in *"237 cases  newest first"*) break ;; esac
	next_page
done
for i in 1 2 3; do
	next_page
done
got=$(awk '!seen[$0]++' "$TMP/seen.txt")
if [ "$got" = "$(cat "$TMP/invoices.txt")" ]; then
	ok "paging down shows every hit, newest case first"
else
	not_ok "paging down shows every hit, newest case first" \
		"$(printf '%s\n' "$got" | diff - "$TMP/invoices.txt" | head -8)"
fi
see q "237 cases  newest first" "... and the header counts each once"

# ---- a list longer than the console keeps ----
keys q / C-u 退款 Enter
see q "search: 退款" "a search for 退款"
# a page is what the list shows at 80x24: 19 rows; G reads at most 4992
# rows further, 262 pages of 19, so the console has read 263 pages
see q "19+ cases" "... loads its first page"
keys q G
see q "4997+ cases" "G goes at most 5000 rows further down a long list"
keys q G
see q "5237 cases  newest first" "G again reaches the end of the 5237 hits" 10
opens "$(tail -1 "$TMP/hits.txt")" "... where the oldest hit is selected"
keys q -N 5236 k
see q "$(head -1 "$TMP/hits.txt")" "moving up 5236 rows from the last hit reaches the first" 20
opens "$(head -1 "$TMP/hits.txt")" "... and selects it, loading back the pages the console let go"
keys q -N 37 j
opens "$(sed -n 38p "$TMP/hits.txt")" "... from where j counts on (the 38th hit)"
keys q G G G
see q "5237 cases  newest first" "G goes to the end again" 10
keys q g
see q "$(head -1 "$TMP/hits.txt")" "g goes back to the first hit"
opens "$(head -1 "$TMP/hits.txt")" "... and selects it"

# ---- the help screen ----
keys q '?'
see q "Keys of the queue screen" "? opens the help"
keys q G
see q "Simplified and Traditional find each other" "the help gives the query language"
if screen_of q | grep -q "terms separated by spaces must all match"; then
	ok "... terms ANDed"
else
	not_ok "... terms ANDed" "$(screen_of q)"
fi
keys q q
keys q Q
see q "[exited] 0" "Q quits"

# ---- a terminal taller than a page ----
# The queue reads the pages the screen shows: at 80 lines, more than one.
console t 80 80 $W --user sam
see t "all cases" "a supervisor's queue at 80x80"
rows=$(screen_of t | grep -c '^WQ-')
if [ "$rows" -ge 70 ]; then
	ok "... fills the screen with cases ($rows rows)"
else
	not_ok "... fills the screen with cases ($rows rows)" "$(screen_of t)"
fi
keys t Q

done_testing
