#!/bin/sh
# Refusals in the user's language: under zh_CN the core's detail after
# the message is Chinese too, with nothing English left in it (what stays
# in Latin letters is the program's name, case numbers and logins).
. "$(dirname "$0")/lib.sh"

if ! chinese_catalogues; then
	echo "1..0 # SKIP msgfmt (gettext) is not installed"
	exit 0
fi

DB=$(fresh_db w)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-02T09:00:00Z
$W init >/dev/null || not_ok "init"
for u in "desk1 desk" "alice mediator" "bob mediator" "sam supervisor"; do
	set -- $u
	$W user add "$1" --role "$2" >/dev/null || not_ok "user add $1"
done
add() {
	$W --user desk1 case add --case-type complaint --case-category quality \
		--consumer "$1" --merchant 假酒专营店 --statement "$2" --amount 399
}
FRESH=$(add 张三 "酒的防伪码查不到")
FREE=$(add 李四 "瓶盖有二次封口痕迹")
$W --user sam rule "$FREE" screen >/dev/null
WATCH=$(add 王五 "同一批次酒疑似假冒")
for step in "claim" "screen" "accept" "start" \
	"offer respondent refund 399"; do
	# shellcheck disable=SC2086
	$W --user alice rule "$WATCH" $step >/dev/null || not_ok "$step"
done
OFFER=$(db_sql "$DB" "SELECT max(id) FROM offers")
$W --user alice rule "$WATCH" agree "$OFFER" respondent 2026-03-20 >/dev/null &&
	$W --user alice rule "$WATCH" watch >/dev/null || not_ok "agreement"

zh() {
	run env LC_ALL= LC_MESSAGES= LANG="$ZH" LANGUAGE=zh_CN \
		WEIQUAN_LOCALEDIR="$TMP/locale" $W "$@"
}
# english_in TEXT: the Latin words left once the program's name, case
# numbers and logins are taken out.
english_in() {
	printf '%s' "$1" | sed -e 's/^weiquan: //' -e 's/WQ-[0-9]*-[0-9]*//g' \
		-e 's/desk1\|alice\|bob\|sam//g' | grep -o '[A-Za-z][A-Za-z]*' |
		tr '\n' ' '
}
# refused DESCRIPTION WANT CMD...: refused (exit 1), saying WANT, in
# Chinese only.
refused() {
	local desc=$1 want=$2
	shift 2
	zh "$@"
	if [ "$rc" = 1 ] && [ -z "$(english_in "$err")" ]; then
		ok "$desc"
	else
		not_ok "$desc" "exit $rc" "stderr: $err" \
			"English: $(english_in "$err")"
	fi
	contains "$err" "$want" "... saying why: $want"
}

refused "a desk asking for the figures" "统计数据仅供主管和管理员查看" \
	--user desk1 report
refused "a desk approving" "登记员无权执行“审核通过”" \
	--user desk1 rule "$FRESH" approve
refused "a mediator changing a case nobody claimed" "尚未分派：请先认领" \
	--user bob rule "$FREE" accept
refused "a ruling the status does not allow" "仅适用于：已审查" \
	--user sam rule "$FRESH" accept
contains "$err" "案件当前状态下不允许此操作" \
	"... after the message in Chinese"
refused "submitting before the agreement is performed" "协议尚未履行" \
	--user alice rule "$WATCH" submit
refused "claiming a case someone holds" "已分派给 alice" \
	--user bob rule "$WATCH" claim
refused "an argument that cannot be" "案件不能与自身重复" \
	--user alice rule "$WATCH" duplicate-of "$WATCH"

refused "a mediator recording a merchant's penalty" "只有主管可以记录商家的处罚" \
	--user alice merchant penalty 1 --amount 100 --reason 处罚决定 \
	--basis 法律依据
refused "evidence in an encoding nobody knows" "未知编码“123”" \
	--user alice evidence add "$WATCH" "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo" --kind photo \
	--party complainant --encoding 123

# The upload folder (where sftp puts what ZMODEM cannot carry).
export WEIQUAN_UPLOAD_DIR="$TMP/up"
mkdir -p "$WEIQUAN_UPLOAD_DIR"
refused "attaching a file the upload folder lacks" \
	"您的上传文件夹中没有此文件" \
	--user alice evidence add "$WATCH" 没有的文件 --uploaded --kind photo \
	--party complainant
printf 'x' >"$WEIQUAN_UPLOAD_DIR/截图"
touch -d '+20 seconds' "$WEIQUAN_UPLOAD_DIR/截图"
refused "attaching a file still arriving" "截图：仍在传入：请稍后再试" \
	--user alice evidence add "$WATCH" 截图 --uploaded --kind photo \
	--party complainant

# Another session holding the writers' lock: the write waits, then is
# refused as busy, the core's detail in Chinese too.  On PostgreSQL the
# other session holds the case's row.
locker_name="hold_$(basename "$TMP" | tr -c 'A-Za-z0-9\n' _)"
if on_postgresql; then
	hold_writes "$DB" "$locker_name"
	refused "a write while another session holds the case" \
		"其他会话使数据库持续繁忙 10.0 秒；未写入任何内容" \
		--user alice rule "$WATCH" note 已电话联系
	release_writes "$DB" "$locker_name"
elif command -v flock >/dev/null; then
	hold_writes "$DB" "$locker_name"
	refused "a write while another session holds the database" \
		"其他会话使数据库持续繁忙 10.0 秒；未写入任何内容" \
		--user alice rule "$WATCH" note 已电话联系
	release_writes "$DB" "$locker_name"
else
	ok "# SKIP flock (util-linux) is not installed"
fi

# An export that cannot be written in the encoding asked for (a value
# that is not UTF-8, put there behind weiquan's back): the refusal names
# the case in Chinese; the encoding's name is all that is Latin.
if sqlite_only not-utf8; then
cp "$DB" "$TMP/bad.db"
sqlite3 "$TMP/bad.db" "UPDATE cases SET order_no = CAST(X'C0AF' AS TEXT) WHERE number = '$FRESH'" ||
	not_ok "a value that is not UTF-8"
run env LC_ALL= LC_MESSAGES= LANG="$ZH" LANGUAGE=zh_CN \
	WEIQUAN_LOCALEDIR="$TMP/locale" $WEIQUAN --db "$TMP/bad.db" export \
	--encoding gb18030
left=$(english_in "$(printf '%s' "$err" | sed 's/gb18030\|UTF-8//g')")
if [ "$rc" = 1 ] && [ -z "$left" ]; then
	ok "an export that cannot be written in GB18030 is refused in Chinese"
else
	not_ok "an export that cannot be written in GB18030 is refused in Chinese" \
		"exit $rc" "stderr: $err" "English: $left"
fi
contains "$err" "案件 $FRESH 无法以 gb18030 编码写出" "... naming the case"
fi

# The same refusal without a Chinese locale stays English.
run env LC_ALL=C.UTF-8 LANGUAGE= $W --user desk1 report
contains "$err" "the figures are for supervisors and admins" \
	"without a Chinese locale the detail stays English"

done_testing
