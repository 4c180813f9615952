#!/bin/sh
# weiquan import at volume and on bad input: the consumer lookup does not
# slow down with consumers who gave no ID number, a long import lets
# another user's ruling through, an interrupted import can be finished,
# Big5 from Windows (CP950) is read as such, errors name the line and
# field where the problem starts, amounts and statements have one maximum
# whichever way they come in, and FIFOs and devices are refused up front.
. "$(dirname "$0")/lib.sh"

SRCDIR=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
HEADER=number,type,category,consumer_name,merchant_name,statement
unset WEIQUAN_NOW
export LC_ALL=C.UTF-8

# now: seconds since the epoch, with fractions.
now() {
	date +%s.%N
}

# wait_for FILE TEXT: polls FILE until it holds TEXT (60 s at most).
wait_for() {
	i=0
	while [ $i -lt 600 ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

stmt() {
	db_sql "$DB" "SELECT s.text FROM statements s JOIN cases c ON c.id = s.case_id WHERE c.number = '$1' ORDER BY s.id LIMIT 1"
}

cases() {
	db_sql "$1" "SELECT count(*) FROM cases"
}

$W init >/dev/null || not_ok "init"
$W user add sam --role supervisor >/dev/null || not_ok "user add sam"
N=$($W case add --case-type complaint --case-category quality --consumer 张三 \
	--merchant 某店 --statement "收到的商品有质量问题，要求退货。")

# ---- the consumer lookup: linear ----
# 200,000 consumers without phone or ID number, as a desk's records have
# them.  Looked up on the ID-number index, each new case scanned them all.
python3 "$SRCDIR/tests/bench/make_import.py" 1000 7 >"$TMP/k.csv"
EMPTY=$(fresh_db empty)
FULL=$(fresh_db full)
for d in "$EMPTY" "$FULL"; do
	WEIQUAN_NOW= $WEIQUAN --db "$d" init >/dev/null
done
db_sql "$FULL" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) INSERT INTO consumers(name) SELECT '顾客' || i FROM n"
t0=$(now)
$WEIQUAN --db "$EMPTY" import --reason "migrated from the old system" "$TMP/k.csv" >/dev/null 2>&1
t1=$(now)
$WEIQUAN --db "$FULL" import --reason "migrated from the old system" "$TMP/k.csv" >/dev/null 2>&1
t2=$(now)
equals "$(cases "$FULL")" 1000 "1,000 cases import next to 200,000 consumers without ID numbers"
if awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { exit !(c - b < 3 * (b - a) + 2) }'; then
	ok "... about as fast as into an empty database"
else
	not_ok "... about as fast as into an empty database" \
		"empty: $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s" \
		"200,000 consumers: $(awk -v b="$t1" -v c="$t2" 'BEGIN { print c - b }') s"
fi
rm -f "$TMP"/empty.db* "$TMP"/full.db*

# ---- a long import lets a ruling through ----
# Long: several of the import's one-second batches.  PostgreSQL writes
# some 400 records a second here, SQLite thousands, and under the
# sanitizers hundreds.
if on_postgresql || [ -n "${WQ_SANITIZED:-}" ]; then
	LONG=4000
else
	LONG=20000
fi
python3 "$SRCDIR/tests/bench/make_import.py" $LONG 11 >"$TMP/big.csv"
$W import --reason "migrated from the old system" "$TMP/big.csv" --progress >"$TMP/import.out" 2>"$TMP/progress" &
pid=$!
if wait_for "$TMP/progress" "records written"; then
	run $W --user sam rule "$N" note "在导入进行中记录的备注"
	if [ "$rc" = 0 ]; then
		ok "another user's ruling succeeds while an import writes"
	else
		not_ok "another user's ruling succeeds while an import writes" "exit $rc" "$err"
	fi
else
	not_ok "another user's ruling succeeds while an import writes" "no progress: $(cat "$TMP/progress")"
fi
wait $pid
equals "$?" 0 "... and the import succeeds"
equals "$(cases "$DB")" $((LONG + 1)) "... whole"
run db_sql "$DB" "SELECT count(*) FROM events WHERE action = 'create' AND id > (SELECT max(id) FROM events WHERE case_id = (SELECT id FROM cases WHERE number = '$N'))"
if [ "$out" -gt 0 ] 2>/dev/null; then
	ok "... the ruling landed between the import's batches"
else
	not_ok "... the ruling landed between the import's batches" "cases created after it: $out"
fi
contains "$(cat "$TMP/progress")" "records checked" "--progress shows the checking"
contains "$(cat "$TMP/progress")" "import: $LONG of $LONG records written" "... and the writing, to the end"
run $WEIQUAN import --help
contains "$out" "--progress" "import --help says how to see progress"

# ---- an import that fails between batches can be finished ----
# A failure the checks cannot foresee, as a full disk would be: a trigger
# refuses the file's last case.
python3 "$SRCDIR/tests/bench/make_import.py" $LONG 12 |
	awk -F, -v OFS=, -v last=$((LONG + 1)) 'NR == last { $13 = "BOOM" } { print }' >"$TMP/boom.csv"
if on_postgresql; then
	db_sql "$DB" "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS
		'BEGIN IF NEW.order_no = ''BOOM'' THEN RAISE EXCEPTION ''disk full''; END IF; RETURN NEW; END';
		CREATE TRIGGER boom BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION boom()"
else
	db_sql "$DB" "CREATE TRIGGER boom BEFORE INSERT ON cases WHEN NEW.order_no = 'BOOM' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
fi
expect_rc 1 "an import failing in its last batch fails" $W import --reason "migrated from the old system" "$TMP/boom.csv"
contains "$err" "boom.csv:$((LONG + 1)):" "... naming the record"
done_before=$(($(cases "$DB") - LONG - 1))
if [ "$done_before" -gt 0 ] && [ "$done_before" -lt $LONG ]; then
	ok "... the batches before it stay ($done_before cases)"
else
	not_ok "... the batches before it stay" "$done_before cases"
fi
contains "$err" "--skip $done_before" "... and it says how to import the rest"
if on_postgresql; then
	db_sql "$DB" "DROP TRIGGER boom ON cases; DROP FUNCTION boom()"
else
	db_sql "$DB" "DROP TRIGGER boom"
fi
expect_rc 0 "import --skip imports the rest" $W import --reason "migrated from the old system" "$TMP/boom.csv" --skip "$done_before"
equals "$(cases "$DB")" $((2 * LONG + 1)) "... so the file is imported once, whole"
expect_rc 1 "--skip past the end is refused" $W import --reason "migrated from the old system" "$TMP/boom.csv" --skip $((LONG + 1))
expect_rc 2 "--skip takes a number" $W import --reason "migrated from the old system" "$TMP/boom.csv" --skip x
rm -f "$TMP/big.csv" "$TMP/boom.csv"

# ---- records are checked before the first is written ----
printf '%s\n' "$HEADER" "WQ-2030-000001,complaint,quality,甲,店,好的" \
	",complaint,quality,乙,店,好的" "WQ-2030-000001,complaint,quality,丙,店,好的" >"$TMP/twice.csv"
expect_rc 1 "a number twice in one file is refused" $W import --reason "migrated from the old system" "$TMP/twice.csv"
contains "$err" "twice.csv:4: field number" "... at its second line"
equals "$(cases "$DB")" $((2 * LONG + 1)) "... and nothing is imported"


# A case numbered on the way must not take a number the file brings later.
printf '%s\n' "$HEADER,received_at" ",complaint,quality,甲,店,好的,2024-03-01T10:00:00Z" \
	"WQ-2024-000001,complaint,quality,乙,店,好的,2024-03-02T10:00:00Z" >"$TMP/later.csv"
expect_rc 0 "a number later in the file is kept for its record" $W import --reason "migrated from the old system" "$TMP/later.csv"
equals "$(echo $(db_sql "$DB" "SELECT number FROM cases WHERE number LIKE 'WQ-2024-%' ORDER BY id"))" \
	"WQ-2024-000002 WQ-2024-000001" "... and the case before it numbered past it"

# ---- Big5 from Windows ----
python3 - "$TMP" <<'EOF'
import sys
tmp = sys.argv[1]
head = "number,type,category,consumer_name,merchant_name,statement\r\n"
def write(name, statement, enc="cp950", extra=b""):
    with open(f"{tmp}/{name}", "wb") as f:
        f.write(head.encode())
        f.write((",complaint,quality,陳小姐,好物商店,").encode(enc) +
                statement.encode(enc) + extra + b"\r\n")
# ￣ (A1C3) is CP950's; glibc's BIG5-HKSCS lacks it.
write("emoticon.csv", "我收到的商品有瑕疵 ￣▽￣ 要求退款")
# ～ (A1E3) and ⊙ (A1F3): HKSCS reads them as ∼ and ☉.
write("symbols.csv", "客服說～⊙請等候")
# A3F0 is in no Big5 table; GB18030 decodes everything around it.
with open(f"{tmp}/unknown.csv", "wb") as f:
    f.write(head.encode())
    f.write(",complaint,quality,".encode() + "陳小姐,好物商店,我收到的商品有瑕疵".encode("cp950") +
            b"\xa3\xf0" + "要求退款".encode("cp950") + b"\r\n")
EOF
expect_rc 0 "Big5 with CP950's ￣ imports" $W import --reason "migrated from the old system" "$TMP/emoticon.csv"
contains "$out" "cp950" "... detected as cp950"
last=$(db_sql "$DB" "SELECT number FROM cases ORDER BY id DESC LIMIT 1")
equals "$(stmt "$last")" "我收到的商品有瑕疵 ￣▽￣ 要求退款" "... and reads as it was written, not as GB18030 mojibake"
expect_rc 0 "--encoding cp950" $W import --reason "migrated from the old system" "$TMP/symbols.csv" --encoding cp950
last=$(db_sql "$DB" "SELECT number FROM cases ORDER BY id DESC LIMIT 1")
equals "$(stmt "$last")" "客服說～⊙請等候" "... decodes ～ and ⊙ as CP950 does, not as HKSCS"
before=$(cases "$DB")
expect_rc 1 "Big5 that no Big5 table reads is not taken for GB18030" $W import --reason "migrated from the old system" "$TMP/unknown.csv"
equals "$(cases "$DB")" "$before" "... and nothing is imported"

# ---- errors name the line and field ----
printf '%s\n' "$HEADER" ",complaint,quality,甲,店,好的" ",complaint,quality,乙,店,坏$(printf '\377')的" >"$TMP/bad8.csv"
expect_rc 1 "an invalid UTF-8 byte is refused" $W import --reason "migrated from the old system" "$TMP/bad8.csv" --encoding utf-8
contains "$err" "bad8.csv:3: field statement:" "... naming its line and field"
expect_rc 1 "... also when the encoding is detected" $W import --reason "migrated from the old system" "$TMP/bad8.csv"
contains "$err" "bad8.csv:3: field statement:" "... naming its line and field"
printf '%s\n' "$HEADER" ',complaint,quality,甲,店,"没有闭合的引号' ",complaint,quality,乙,店,好的" \
	',complaint,quality,丙,"店",好的' >"$TMP/quote.csv"
expect_rc 1 "an unclosed quote is refused" $W import --reason "migrated from the old system" "$TMP/quote.csv"
contains "$err" "quote.csv:2: field statement:" "... at the line and field where it opens"

# ---- one maximum amount ----
printf '[{"type":"complaint","category":"quality","consumer_name":"甲","merchant_name":"店","statement":"好的","amount_fen":9223372036854775808}]\n' >"$TMP/huge.json"
expect_rc 1 "a JSON amount_fen of 2^63 is refused" $W import --reason "migrated from the old system" "$TMP/huge.json"
contains "$err" "amount_fen" "... naming the field"
printf '%s\n' "$HEADER,amount" ",complaint,quality,甲,店,好的,100000000.01" >"$TMP/huge.csv"
expect_rc 1 "a CSV amount above 100 million yuan is refused" $W import --reason "migrated from the old system" "$TMP/huge.csv"
expect_rc 0 "case add takes 100 million yuan" $W case add --case-type complaint --case-category quality \
	--consumer 甲 --merchant 店 --statement "好的好的好的好的好的" --amount 100000000
run $W case add --case-type complaint --case-category quality \
	--consumer 甲 --merchant 店 --statement "好的好的好的好的好的" --amount 100000000.01
[ "$rc" != 0 ] && ok "... but not a fen more" || not_ok "... but not a fen more" "exit $rc: $out"
run $WEIQUAN damages fsl148 100000000.01
[ "$rc" != 0 ] && ok "damages are not computed above the maximum" || not_ok "damages are not computed above the maximum" "$out"
# An amount stored before there was a maximum: the offer refuses it
# rather than overflow.
db_sql "$DB" "UPDATE cases SET amount_fen = 9223372036854775807, status = 'accepted', assignee = 'sam' WHERE number = '$N'"
run $W --user sam rule "$N" offer respondent refund fsl148
[ "$rc" != 0 ] && ok "a damages offer on an out-of-range amount is refused" || not_ok "a damages offer on an out-of-range amount is refused" "$out"
equals "$(db_sql "$DB" "SELECT count(*) FROM offers")" 0 "... and nothing is recorded"

# ---- one statement length ----
long=$(python3 -c 'print("长" * 20001)')
just=$(python3 -c 'print("长" * 20000)')
printf '%s\n' "$HEADER" ",complaint,quality,甲,店,好的" ",complaint,quality,乙,店,$long" >"$TMP/long.csv"
expect_rc 1 "an imported statement over 20,000 characters is refused" $W import --reason "migrated from the old system" "$TMP/long.csv"
contains "$err" "long.csv:3: field statement" "... naming the line"
expect_rc 1 "case add refuses it too" $W case add --case-type complaint --case-category quality \
	--consumer 甲 --merchant 店 --statement "$long"
expect_rc 0 "case add takes 20,000 characters" $W case add --case-type complaint --case-category quality \
	--consumer 甲 --merchant 店 --statement "$just"
N2=$out
db_sql "$DB" "UPDATE cases SET assignee = 'sam' WHERE number = '$N2'"
expect_rc 1 "a note over 20,000 characters is refused" $W --user sam rule "$N2" note "$long"

# ---- only regular files ----
mkfifo "$TMP/fifo"
run timeout 10 $W import --reason "migrated from the old system" "$TMP/fifo"
equals "$rc" 1 "import refuses a FIFO at once"
contains "$err" "not a regular file" "... saying why"
run timeout 10 $W evidence add "$N2" "$TMP/fifo" --kind chat --party complainant
equals "$rc" 1 "evidence add refuses a FIFO at once"
contains "$err" "not a regular file" "... saying why"
run timeout 10 $W import /dev/zero
equals "$rc" 1 "import refuses /dev/zero at once"
contains "$err" "not a regular file" "... saying why"

done_testing
