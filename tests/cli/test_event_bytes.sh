#!/bin/sh
# An event's details are hashed into the audit chain, and scripts read
# case show --json: the bytes of both must not change when the JSON is
# built in C instead of by SQLite's JSON functions (src/json_text.h).  One
# event of each kind whose details the core builds as JSON (a user added,
# their role changed, disabled and enabled; a case created, with its
# snapshot; a diversion's details; a ruling's arguments), with hostile text
# in every field a user types (escape sequence, quote, backslash, newline,
# tab, control character, DEL), and case show of the cases, are compared
# byte for byte with tests/cli/event_bytes.expected, which the SQLite JSON
# functions wrote.
. "$(dirname "$0")/lib.sh"

SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if ! command -v sqlite3 >/dev/null; then
	echo "1..0 # SKIP the sqlite3 shell is not installed"
	exit 0
fi
export WEIQUAN_NOW=2026-03-02T09:00:00Z TZ=Asia/Shanghai
DB=$(fresh_db t)
W="$WEIQUAN --db $DB"
H=$(printf 'x\033[31m"q\\\n\t\001\177y')

$W init >/dev/null || not_ok "init"
$W case add --case-type complaint --case-category delivery \
	--consumer "李四$H" --phone 13800138000 --id-number 110101199001011234 \
	--merchant "店$H" --statement "投诉的事情经过$H" --amount 12.5 \
	>/dev/null || not_ok "case add"
$W case add --case-type diversion --case-category diversion \
	--consumer "品牌方" --merchant "经销商" --statement "窜货的事情经过很长" \
	--brand "牌$H" --authorised-region 广东省 --found-region 浙江省 \
	--penalty 100 >/dev/null || not_ok "case add --case-type diversion"
$W user add m1 --role mediator --name "调解员$H" >/dev/null ||
	not_ok "user add"
$W user role m1 supervisor >/dev/null || not_ok "user role"
$W user disable m1 >/dev/null || not_ok "user disable"
$W user enable m1 >/dev/null || not_ok "user enable"
$W user role m1 mediator >/dev/null || not_ok "user role back"
$W --user m1 case claim WQ-2026-000001 >/dev/null || not_ok "claim"
$W --user m1 rule WQ-2026-000001 address complainant "北京$H" >/dev/null ||
	not_ok "rule address"
$W --user m1 rule WQ-2026-000001 entrusted "局$H" >/dev/null ||
	not_ok "rule entrusted"

{
	db_sql "$DB" "SELECT id, action, details FROM events ORDER BY id"
	for n in WQ-2026-000001 WQ-2026-000002; do
		$W case show "$n" --json
		echo
		$W --user m1 case show "$n" --json --at 2026-03-02T09:00:00Z
		echo
	done
} >"$TMP/got" 2>&1

if cmp -s "$SRC/tests/cli/event_bytes.expected" "$TMP/got"; then
	ok "event details and case show are the bytes SQLite's JSON functions wrote"
else
	not_ok "event details and case show are the bytes SQLite's JSON functions wrote" \
		"$(diff "$SRC/tests/cli/event_bytes.expected" "$TMP/got" | head -20 | cat -v)"
fi

# audit verify replays and hashes the same details.
expect_rc 0 "audit verify passes" $W audit verify

done_testing
