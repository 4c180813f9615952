#!/bin/sh
# Regimes by date through the real program: init loads Order No. 20 and
# Order No. 121 (whose file says it replaced Order No. 20 on 2026-04-15);
# a case follows the regime in force on its day of receipt in Beijing,
# keeps it when an administrator switches the active regime, and case show
# marks a deadline counted from a figure not checked against the official
# text.
. "$(dirname "$0")/lib.sh"

DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
export LC_ALL=C.UTF-8
unset LANGUAGE
export TZ=UTC

add() {
	WEIQUAN_NOW=$1 run $W case add --case-type complaint \
		--case-category quality --consumer "$2" --merchant 某某旗舰店 \
		--statement 屏幕有坏点
}

WEIQUAN_NOW=2026-04-14T08:00:00Z expect_rc 0 "init" $W init
contains "$out" "samr-order-20" "... loads Order No. 20"
contains "$out" "samr-order-121" "... and Order No. 121"

add 2026-04-14T15:59:00Z 四月十四日
before=$out
add 2026-04-14T17:00:00Z 北京十五日
late=$out

run $W case show "$before" --json
equals "$(json 'd["regime"]')" "samr-order-20" "received 23:59 on 14 April in Beijing: Order No. 20"
equals "$(json 'd["due_verified"]')" "True" "... its acceptance deadline rests on art. 14, read in the text"
run $W case show "$late" --json
equals "$(json 'd["regime"]')" "samr-order-121" "received 17:00 UTC on the 14th, the 15th in Beijing: Order No. 121"
equals "$(json 'd["due_verified"]')" "False" "... its deadline is marked unverified"
equals "$(json 'd["figures"]["accept"]["verified"]')" "False" "... as is the figure"
contains "$(json 'd["figures"]["accept"]["source"]')" "official text was not available" "... whose source says why"
late_due=$(json 'd["due_on"]')
run $W case show "$late"
contains "$(printf '%s\n' "$out" | grep '^due_on')" "(unverified)" "case show marks the deadline in text"
run $W case show "$before"
lacks "$(printf '%s\n' "$out" | grep '^due_on')" "unverified" "... and not one counted from a verified figure"
zh=C.UTF-8
locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\{0,1\}8' && zh=zh_CN.UTF-8
SRC=${WQ_SRCDIR:-$(dirname "$0")/../..}
mkdir -p "$TMP/locale/zh_CN/LC_MESSAGES"
if command -v msgfmt >/dev/null &&
	msgfmt -o "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo" "$SRC/locale/zh_CN.po"; then
	run env LC_ALL= LC_MESSAGES= LANG=$zh LANGUAGE=zh_CN \
		WEIQUAN_LOCALEDIR="$TMP/locale" $W case show "$late"
	contains "$(printf '%s\n' "$out" | grep '^due_on')" "未核实" "... in Chinese too"
else
	ok "# SKIP msgfmt is not installed"
fi

# The queue's list marks such a deadline too: ~ after the days left, and
# due_verified in JSON.
run $W case list --status all --json
equals "$(json '" ".join("%s:%s" % (c["number"], c["due_verified"]) for c in d["cases"])' | tr ' ' '\n' | sort | tr '\n' ' ')" \
	"$before:True $late:False " "case list --json says which deadline rests on an unverified figure"
run $W case list --status all
contains "$(printf '%s\n' "$out" | grep "$late" | awk '{print $(NF-1)}')" "~" "... and the text marks its days left with ~"
lacks "$(printf '%s\n' "$out" | grep "$before" | awk '{print $(NF-1)}')" "~" "... not those of a verified figure"

# A ruling says the next deadline, marked when its figure is unverified.
$W user add med --role mediator >/dev/null
WEIQUAN_NOW=2026-04-15T03:00:00Z run $W --user med rule "$late" claim
contains "$out" "next deadline $late_due (unverified)" "a ruling's next deadline is marked unverified"
WEIQUAN_NOW=2026-04-15T03:00:00Z run $W --user med rule "$before" claim
contains "$out" "next deadline" "... one counted from a verified figure"
lacks "$out" "unverified" "... is not"

# The complainant's printed receipt (受理回执) states the figures too:
# never as law when the regime does not mark them checked.
MARK="〔该期限未经与官方文本核对〕"
run $W receipt "$before"
lacks "$(printf '%s\n' "$out" | grep '^是否受理')" "$MARK" "the receipt of an Order No. 20 case states art. 14's 7 working days unmarked"
contains "$(printf '%s\n' "$out" | grep '受理之日起45个工作日')" "$MARK" "... and marks the mediation period, reported, not read in the text"
run $W receipt "$late"
contains "$(printf '%s\n' "$out" | grep '^是否受理')" "7个工作日内" "the receipt of an Order No. 121 case states its acceptance period"
contains "$(printf '%s\n' "$out" | grep '^是否受理')" "$MARK" "... marked unverified beside its deadline"

cat > "$TMP/assoc.json" <<'JSON'
{"regime": "assoc-test", "clocks": [
 {"clock": "accept", "working_days": 2, "start_status": "received",
  "stop_statuses": ["accepted", "not_accepted"], "verified": true,
  "source": "the association's own rules"}]}
JSON
WEIQUAN_NOW=2026-04-16T02:00:00Z expect_rc 0 "an association's rules load" $W clock import "$TMP/assoc.json"
WEIQUAN_NOW=2026-04-16T02:00:00Z expect_rc 0 "... and become active" $W clock use assoc-test
run $W case show "$late" --json
equals "$(json 'd["regime"]')" "samr-order-121" "switching leaves a case its regime"
equals "$(json 'd["due_on"]')" "$late_due" "... and its deadline"
run $W receipt "$late"
contains "$(printf '%s\n' "$out" | grep '^是否受理')" "7个工作日内" "... and its receipt the figures of its own regime, not the active one's"
contains "$(printf '%s\n' "$out" | grep '^是否受理')" "$MARK" "... still marked"
add 2026-04-16T03:00:00Z 换规则后
run $W case show "$out" --json
equals "$(json 'd["regime"]')" "assoc-test" "a new case follows the regime now active"
equals "$(json 'd["due_on"]')" "2026-04-20" "... counted with its figure"

printf '{"regime": "half", "replaces": "samr-order-20", "clocks": [{"clock": "accept", "working_days": 7, "start_status": "received", "stop_statuses": []}]}' > "$TMP/half.json"
expect_rc 1 "a regime that replaces another needs its in-force date" $W clock import "$TMP/half.json"
contains "$err" "in_force_from" "... saying so"

expect_rc 0 "audit verify replays the cases with their regimes" $W audit verify

# Cases registered before schema 14 recorded no regime and followed the
# active one; migrating records the regime of their Beijing date of receipt.
WEIQUAN_NOW=2026-04-16T02:00:00Z run $W clock use samr-order-121
if sqlite_only old-schema; then
db_sql "$DB" "CREATE TABLE case_regimes(case_id INTEGER PRIMARY KEY REFERENCES cases(id), regime TEXT NOT NULL) STRICT; ALTER TABLE cases DROP COLUMN regime; PRAGMA user_version = 14"
WEIQUAN_NOW=2026-04-16T02:00:00Z expect_rc 0 "init migrates a database of schema 14" $W init
WEIQUAN_NOW=2026-04-16T02:00:00Z run $W clock use assoc-test
run $W case show "$before" --json
equals "$(json 'd["regime"]')" "samr-order-20" "an old case received on 14 April in Beijing keeps Order No. 20"
run $W case show "$late" --json
equals "$(json 'd["regime"]')" "samr-order-121" "... one received on the 15th in Beijing Order No. 121, whatever is active"
equals "$(json 'd["due_on"]')" "$late_due" "... and its deadline"
fi

done_testing
