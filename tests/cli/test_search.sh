#!/bin/sh
# Full-text search through the command line: every case with a hit comes
# out exactly once, newest case first, whatever the page size (hits in
# imported statements, in statements added later to older cases and in
# evidence); a page above the maximum is refused; and the query language
# the manual documents: terms ANDed, punctuation, -, * and quotes taken as
# text, Latin words whole and case-insensitive (accented letters too),
# full-width folded to
# half-width, Simplified and Traditional found by each other.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db s)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-02T09:00:00Z
export LC_ALL=C.UTF-8
unset LANGUAGE

expect_rc 0 "init" $W init
$W user add sam --role supervisor >/dev/null || not_ok "user add sam"

# 300 imported cases, 237 of them with 退款 somewhere: in the statement,
# in a statement added later (a document newer than younger cases' own),
# in evidence, or in two places at once.  hits.txt: their numbers.
python3 - "$TMP" <<'EOF'
import csv, random, sys

tmp = sys.argv[1]
rng = random.Random(9)
hits = set(rng.sample(range(1, 301), 237))
later = sorted(rng.sample(sorted(hits), 40))     # a second document
only_later = later[:12]                          # ... the only one
evidence = sorted(rng.sample(sorted(hits - set(later)), 6))
with open(tmp + "/cases.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["number", "type", "category", "consumer_name",
                "merchant_name", "statement", "amount"])
    for i in range(1, 301):
        if i in hits and i not in only_later and i not in evidence:
            text = "第%d单：商家拒绝退款，客服不回复" % i
        else:
            text = "第%d单：商品质量问题" % i
        w.writerow(["", "complaint", "refund", "顾客%d" % i,
                    "商家%d" % (i % 17), text, "10.00"])
with open(tmp + "/later.txt", "w") as f:
    for i in later:
        f.write("WQ-2026-%06d\n" % i)
with open(tmp + "/evidence.txt", "w") as f:
    for i in evidence:
        f.write("WQ-2026-%06d\n" % i)
with open(tmp + "/hits.txt", "w") as f:
    for i in sorted(hits, reverse=True):
        f.write("WQ-2026-%06d\n" % i)
EOF
expect_rc 0 "import 300 cases" $W import "$TMP/cases.csv"
while read -r n; do
	$W --user sam rule "$n" statement respondent "我方同意退款" >/dev/null ||
		not_ok "statement on $n"
done <"$TMP/later.txt"
printf '聊天记录：卖家答应七日内退款\n' >"$TMP/chat.txt"
while read -r n; do
	$W --user sam evidence add "$n" "$TMP/chat.txt" --kind chat \
		--party complainant >/dev/null || not_ok "evidence on $n"
done <"$TMP/evidence.txt"
equals "$(wc -l <"$TMP/hits.txt" | tr -d ' ')" 237 "237 cases hold the word"

# pages QUERY LIMIT: the numbers of every page, one a line, following the
# cursors to the end; "ERROR ..." if a page fails or a cursor repeats.
pages() {
	python3 - "$WEIQUAN" "$DB" "$1" "$2" <<'EOF'
import json, subprocess, sys

weiquan, db, query, limit = sys.argv[1:]
after, seen_cursors = None, set()
while True:
    cmd = [weiquan, "--db", db, "case", "list", "--search", query,
           "--limit", limit, "--json"]
    if after:
        cmd += ["--after", after]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        print("ERROR exit %d: %s" % (p.returncode, p.stderr.strip()))
        break
    d = json.loads(p.stdout)
    if len(d["cases"]) > int(limit):
        print("ERROR a page of %d cases at --limit %s"
              % (len(d["cases"]), limit))
    for c in d["cases"]:
        print(c["number"])
    after = d["next_cursor"]
    if not after:
        break
    if not d["cases"] or after in seen_cursors:
        print("ERROR cursor %s does not move on" % after)
        break
    seen_cursors.add(after)
EOF
}

want=$(cat "$TMP/hits.txt")
for limit in 1 7 50 237 10000; do
	got=$(pages 退款 $limit)
	if [ "$got" = "$want" ]; then
		ok "--limit $limit: every hit once, newest case first"
	else
		not_ok "--limit $limit: every hit once, newest case first" \
			"$(printf '%s\n' "$got" | sort | uniq -d | head -3 | sed 's/^/repeated: /')" \
			"$(printf '%s\n' "$got" | diff - "$TMP/hits.txt" | head -8)"
	fi
done
run $W case list --search 退款 --limit 237 --json
equals "$(json 'd["next_cursor"]')" "None" "a page that holds the last hit has no next cursor"
run $W case list --search 退款 --limit 50
contains "$out" "More: --after" "the text output gives the next cursor"

expect_rc 2 "--limit above the maximum is refused" $W case list --search 退款 --limit 10001
contains "$err" "at most 10000" "... saying what the maximum is"
expect_rc 2 "... also without a search" $W case list --limit 99999999999
expect_rc 1 "a cursor that is not a number is refused" $W case list --search 退款 --after abc

# ---- the query language ----
add() {
	$W --user sam case add --case-type complaint --case-category refund \
		--consumer 甲 --merchant 乙 --statement "$1"
}
S=$(add "买的耳机已经退货，商家说没收到")
T=$(add "買的耳機已經退貨，商家說沒收到")
L=$(add "iPhone 15 Pro 屏幕坏了，订单号ＴＢ２０２６０７７")
F=$(add "Refund still pending, order TB2026088")
Q=$(add "质量问题：商家拒绝退款-不给发票")
M=$(add "Müller GmbH 的咖啡机漏水")

# search QUERY: the numbers it finds, one a line, sorted
search() {
	$W case list --search "$1" --limit 10000 --json | python3 -c '
import json, sys
print("\n".join(sorted(c["number"] for c in json.load(sys.stdin)["cases"])))'
}
both=$(printf '%s\n%s\n' "$S" "$T" | sort)
equals "$(search 退货)" "$both" "Simplified 退货 finds Traditional 退貨 too"
equals "$(search 退貨)" "$both" "Traditional 退貨 finds Simplified 退货 too"
equals "$(search 貨)" "$both" "... one character as well"
equals "$(search 耳機已經)" "$both" "... and a mixed longer phrase"
equals "$(search ＴＢ２０２６０７７)" "$L" "a full-width order number finds itself"
equals "$(search TB2026077)" "$L" "... and half-width finds full-width"
equals "$(search ＴＢ２０２６０８８)" "$F" "full-width finds half-width"
equals "$(search IPHONE)" "$L" "Latin words match case-insensitively"
equals "$(search REFUND)" "$F" "... both ways"
equals "$(search MÜLLER)" "$M" "... accented capitals too"
equals "$(search iphon)" "" "Latin words match whole, not a prefix"
equals "$(search 'iphon*')" "" "* is not a prefix operator"
equals "$(search '屏幕 iPhone')" "$L" "terms separated by spaces are ANDed"
equals "$(search '屏幕 Refund')" "" "... all of them must match"
equals "$(search '退款 -发票')" "$Q" "- is not NOT: 退款 -发票 needs both words"
equals "$(search '退款-不给')" "$Q" "punctuation inside a term is a separator, not an operator"
equals "$(search '"iPhone')" "$L" "a stray quote is just text"
equals "$(search '退货 OR 发票')" "" "OR is a word, not an operator"

done_testing
