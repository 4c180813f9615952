#!/bin/sh
# Hostile clock rules files: each is refused with a message that names
# where it goes wrong (the JSON's line and column, or the clock and the
# member), the rules in force stay as they were, and the message reads in
# the user's language (zh_CN here) like every other.  And a JSON import's
# refusal in zh_CN, down to the JSON type it found.
. "$(dirname "$0")/lib.sh"

SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-02T09:00:00Z
$W init >/dev/null || not_ok "init"

q() { db_sql "$DB" "$1"; }
rules() {
	q "SELECT * FROM clock_rules ORDER BY regime, clock;
	   SELECT * FROM clock_sources ORDER BY regime, clock;
	   SELECT * FROM clock_extensions ORDER BY regime, clock;
	   SELECT * FROM regimes ORDER BY regime"
}
RULES_BEFORE=$(rules)
EVENTS_BEFORE=$(q "SELECT count(*) FROM events")

# refused FILE_CONTENT EXPECTED_DETAIL DESCRIPTION
refused() {
	printf '%s' "$1" >"$TMP/rules.json"
	run $W clock import "$TMP/rules.json"
	if [ "$rc" = 1 ]; then
		contains "$err" "$2" "$3"
	else
		not_ok "$3" "exit $rc, wanted 1" "stderr: $err"
	fi
}

CLOCK='"clock":"accept","working_days":7,"start_status":"received","stop_statuses":["accepted"]'

# Not JSON, or JSON that Jansson refuses.
refused '{"regime":"x","clocks":[' \
	'rules.json: not valid JSON (line 1, column 24: ' \
	"a cut-off file is refused with its line and column"
refused '{"regime":"x\u0000y","clocks":[{'"$CLOCK"'}]}' \
	'rules.json: not valid JSON (line 1, column 20: \u0000 is not allowed' \
	"a NUL escape is refused"
refused '{"regime":"x","title":"\ud800","clocks":[{'"$CLOCK"'}]}' \
	"rules.json: not valid JSON (line 1, column 30: invalid Unicode '\\uD800'" \
	"a lone surrogate is refused"
refused '{"regime":"x","clocks":[{"clock":"accept","working_days":1e999}]}' \
	'rules.json: not valid JSON (line 1, column 62: real number overflow' \
	"a number too large for a double is refused"
refused '{"regime":"x","clocks":[{"clock":"a","clock":"b"}]}' \
	'rules.json: not valid JSON (line 1, column 44: duplicate object key' \
	"a member given twice is refused"
deep=$(printf '%0800d' 0 | sed 's/0/[[[/g')
refused '{"regime":"x","clocks":[{'"$CLOCK"',"basis":'"$deep"'}]}' \
	'maximum parsing depth reached' \
	"deep nesting is refused"

# JSON of the wrong shape or types.
refused '{"regime":7,"clocks":[{'"$CLOCK"'}]}' \
	'rules.json: expected a JSON object with "regime" and a "clocks" array' \
	"a regime that is a number is refused"
refused '{"regime":"x","clocks":{"accept":{}}}' \
	'rules.json: expected a JSON object with "regime" and a "clocks" array' \
	"clocks that are an object are refused"
refused '{"regime":"x","clocks":[{"clock":"accept","working_days":7,"start_status":5,"stop_statuses":["accepted"]}]}' \
	'rules.json: clocks[0]: needs "clock" (a plain name)' \
	"a start_status that is a number is refused"
refused '{"regime":"x","clocks":[{"clock":"accept","working_days":99999999999,"start_status":"received","stop_statuses":["accepted"]}]}' \
	'rules.json: clocks[0]: needs "clock" (a plain name)' \
	"working days past any count are refused"
refused '{"regime":"x","clocks":[{"clock":"accept","working_days":7,"start_status":"received","stop_statuses":["accepted",3]}]}' \
	'rules.json: clocks[0]: needs "clock"' \
	"a stop status that is a number is refused"
refused '{"regime":"x","clocks":[{'"$CLOCK"'},{'"$CLOCK"',"pause_substates":"testing"}]}' \
	'rules.json: clocks[1]: "pause_substates" must be an array of plain names' \
	"pause substates that are not an array are refused, naming the clock"
refused '{"regime":"x","clocks":[{'"$CLOCK"',"regulator_time":"yes"}]}' \
	'rules.json: clocks[0]: "regulator_time" must be true or false' \
	"a regulator_time that is text is refused"
refused '{"regime":"x","clocks":[{'"$CLOCK"',"basis":["art. 14"]}]}' \
	'rules.json: clocks[0]: "basis" must be text' \
	"a basis that is an array is refused"
refused '{"regime":"x","title":{"zh":"规则"},"clocks":[{'"$CLOCK"'}]}' \
	'rules.json: "title" must be text' \
	"a title that is an object is refused"
refused '{"regime":"x","clocks":[{'"$CLOCK"',"extension":"extend"}]}' \
	'rules.json: clocks[0]: "extension" needs an "event"' \
	"an extension that is text is refused"

equals "$(rules)" "$RULES_BEFORE" "the rules in force are unchanged"
equals "$(q "SELECT count(*) FROM events")" "$EVENTS_BEFORE" \
	"no event was written"
expect_rc 0 "the audit chain still verifies" $W audit verify

# A good file with every member still loads, in the shipped form.
expect_rc 0 "the shipped rules load again" $W clock import "$SRC/data/clock-rules.json"
equals "$(rules)" "$RULES_BEFORE" \
	"... and give the same rules, sources and extensions"

# In the user's language.
if ! command -v msgfmt >/dev/null; then
	echo "# msgfmt (gettext) is not installed: the zh_CN checks are skipped"
else
	mkdir -p "$TMP/locale/zh_CN/LC_MESSAGES"
	msgfmt -o "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo" "$SRC/locale/zh_CN.po" ||
		not_ok "msgfmt zh_CN.po"
	if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\{0,1\}8'; then
		ZH=zh_CN.UTF-8
	else
		ZH=C.UTF-8
	fi
	zh() {
		run env LC_ALL= LC_MESSAGES= LANG="$ZH" LANGUAGE=zh_CN \
			WEIQUAN_LOCALEDIR="$TMP/locale" $W "$@"
	}
	printf '%s' '{"regime":"x","clocks":[{'"$CLOCK"',"regulator_time":"yes"}]}' >"$TMP/rules.json"
	zh clock import "$TMP/rules.json"
	contains "$err" '：clocks[0]：“regulator_time”必须是 true 或 false' \
		"a refused rules file is explained in Chinese"
	printf '%s' '{"regime":"x","clocks":[' >"$TMP/rules.json"
	zh clock import "$TMP/rules.json"
	contains "$err" '：不是有效的 JSON（第 1 行，第 24 列：' \
		"... and so is a file that is not JSON"
	printf '%s' '[{"type":"complaint","category":"quality","consumer_name":"甲","merchant_name":"店","statement":"好的","remedy":5}]' >"$TMP/cases.json"
	zh import "$TMP/cases.json"
	contains "$err" 'cases.json:[0]：字段 remedy：应为字符串，实为整数' \
		"a refused JSON import is explained in Chinese, its JSON type too"
fi

done_testing
