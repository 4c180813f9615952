#!/bin/sh
# audit verify's report in the user's language: under zh_CN an intact
# chain and a tampered one are reported in Chinese, every code a row
# holds (status, flag, role, offer state) named by its label.  What stays
# in Latin letters is the program's and command's names, case numbers,
# logins and hashes.
. "$(dirname "$0")/lib.sh"

if ! command -v sqlite3 >/dev/null || ! chinese_catalogues; then
	echo "1..0 # SKIP msgfmt (gettext) or sqlite3 is not installed"
	exit 0
fi

DB=$(fresh_db clean)
export WEIQUAN_NOW=2026-11-20T02:00:00Z
$WEIQUAN --db "$DB" init >/dev/null || not_ok "init"
$WEIQUAN --db "$DB" demo --cases 30 --seed 9 >/dev/null || not_ok "demo"

verify() {
	run env LC_ALL= LC_MESSAGES= LANG="$ZH" LANGUAGE="$1" \
		WEIQUAN_LOCALEDIR="$TMP/locale" $WEIQUAN --db "$2" audit verify
}
# english_in TEXT: the Latin words left once the program's and the
# command's names, case numbers, logins and hashes are taken out.
english_in() {
	printf '%s' "$1" | sed -e 's/weiquan audit --help//g' \
		-e 's/^weiquan: audit verify//' -e 's/WQ-[0-9]*-[0-9]*//g' \
		-e 's/[0-9a-f]\{64\}//g' \
		-e 's/li\.na\|desk\.gz\|chen\.jie\|wang\.fang//g' |
		grep -o '[A-Za-z][A-Za-z]*' | tr '\n' ' '
}
chinese_only() {
	local what=$1 text=$2
	if [ -z "$(english_in "$text")" ]; then
		ok "$what"
	else
		not_ok "$what" "text: $text" "English: $(english_in "$text")"
	fi
}

verify zh_CN "$DB"
equals "$rc" 0 "an intact chain verifies under zh_CN"
contains "$out" "审计链完好" "... saying so in Chinese"
chinese_only "... with nothing English in its report" "$out$err"

# Rows changed behind the events' back (the database's own shell, as
# tests/cli/test_audit.sh does): a status, flags, a role, a statement's
# text, an offer's state and a merchant's mark.
T=$(copy_db "$DB" t)
NUM=$(db_sql "$T" "SELECT number FROM cases WHERE status = 'received' ORDER BY id LIMIT 1")
db_sql "$T" "UPDATE cases SET status = 'closed', flags = 3 WHERE number = '$NUM';
	UPDATE users SET role = 'admin' WHERE login = 'li.na';
	UPDATE statements SET text = text || '（已改）' WHERE id = (SELECT min(id) FROM statements);
	UPDATE offers SET state = 'accepted' WHERE id = (SELECT min(id) FROM offers WHERE state = 'open');
	UPDATE merchants SET blacklisted = 1 WHERE id = (SELECT min(id) FROM merchants WHERE blacklisted = 0)" ||
	not_ok "tampering"
verify zh_CN "$T"
equals "$rc" 1 "a tampered database fails to verify under zh_CN"
contains "$err" "案件 $NUM：状态在表中为“已办结”" "... naming the status by its label"
contains "$err" "标记在表中为“疑似恶意投诉、重复投诉”" "... and the flags by theirs"
contains "$err" "用户 li.na：在用户表中为“管理员”，按其事件应为“调解员”" "... and the role"
contains "$err" "其文字在事件之后被改动" "... and the changed statement"
contains "$err" "其状态为“已接受”，按事件应为“待答复”" "... and the offer's state"
contains "$err" "表中为“已列入黑名单”，按其事件应为“未标记”" "... and the merchant's mark"
chinese_only "... with nothing English in its report" "$err"

verify zh_TW "$T"
contains "$err" "使用者 li.na：在使用者表中為「管理員」" "zh_TW reads the same report in Traditional characters"
chinese_only "... with nothing English in it" "$err"

done_testing
