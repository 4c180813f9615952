#!/bin/sh
# The translations: both catalogues complete (nothing untranslated, nothing
# fuzzy, formats valid), covering every string marked in the sources, with
# commands and options left as typed; and a built catalogue really turns an
# error message into Chinese.
. "$(dirname "$0")/lib.sh"

SRC=${WQ_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
LINGUAS="zh_CN zh_TW"

if ! command -v msgfmt >/dev/null; then
	echo "1..0 # SKIP msgfmt (gettext) is not installed"
	exit 0
fi

# ---- the catalogues as they are ----
for l in $LINGUAS; do
	po="$SRC/locale/$l.po"
	if msgfmt --check --statistics -o "$TMP/$l.mo" "$po" 2>"$TMP/$l.stats"; then
		ok "$l.po passes msgfmt --check"
	else
		not_ok "$l.po passes msgfmt --check" "$(cat "$TMP/$l.stats")"
	fi
	stats=$(cat "$TMP/$l.stats")
	lacks "$stats" "untranslated" "$l.po has no untranslated message"
	lacks "$stats" "fuzzy" "$l.po has no fuzzy message"
	contains "$stats" "translated message" "... and translated ones: $stats"
done

# ---- the catalogues against the sources ----
# A string marked since the catalogues were last merged would be missing
# from them: extract the template afresh, merge, and count again.
if command -v xgettext >/dev/null && command -v msgmerge >/dev/null; then
	opts=$(sed -n 's/^XGETTEXT_OPTIONS *= *//p' "$SRC/locale/Makevars")
	files=$(grep -v '^#' "$SRC/locale/POTFILES.in" | grep .)
	# shellcheck disable=SC2086
	if (cd "$SRC" && xgettext --default-domain=weiquan --language=C \
		$opts -o "$TMP/fresh.pot" $files) 2>"$TMP/xgettext.err"; then
		for l in $LINGUAS; do
			msgmerge --quiet --no-fuzzy-matching -o "$TMP/$l.merged.po" \
				"$SRC/locale/$l.po" "$TMP/fresh.pot" 2>/dev/null
			msgfmt --statistics -o /dev/null "$TMP/$l.merged.po" \
				2>"$TMP/$l.fresh"
			stats=$(cat "$TMP/$l.fresh")
			lacks "$stats" "untranslated" \
				"$l.po covers every string marked in the sources"
		done
	else
		not_ok "xgettext extracts the template" "$(cat "$TMP/xgettext.err")"
	fi
else
	ok "# SKIP xgettext or msgmerge is not installed"
fi

# ---- commands, options and codes stay as typed ----
# Every --option, 'weiquan COMMAND', $VARIABLE and statutory code of a
# message must be in its translation too.
for l in $LINGUAS; do
	run python3 - "$SRC/locale/$l.po" <<'EOF'
import re, sys

def entries(path):
    cur, field = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#") or not line.strip():
            if cur.get("msgid") is not None and "msgstr" in cur:
                yield cur
            cur, field = {}, None
            continue
        m = re.match(r'(msgctxt|msgid|msgstr)\s+"(.*)"$', line)
        if m:
            field = m.group(1)
            cur[field] = m.group(2)
        elif line.startswith('"') and field:
            cur[field] += line[1:-1]
    if cur.get("msgid") is not None and "msgstr" in cur:
        yield cur

token = re.compile(r"--[a-z][a-z-]*|'weiquan [a-z -]*'|\$[A-Z_]+|crpl55|fsl148")
bad = 0
for e in entries(sys.argv[1]):
    if not e["msgid"] or not e["msgstr"]:
        continue
    for t in token.findall(e["msgid"]):
        if t not in e["msgstr"]:
            print("%r lost %r" % (e["msgid"][:60], t))
            bad += 1
sys.exit(1 if bad else 0)
EOF
	if [ "$rc" = 0 ]; then
		ok "$l.po keeps commands and options untranslated"
	else
		not_ok "$l.po keeps commands and options untranslated" "$out" "$err"
	fi
done

# ---- a built catalogue at work ----
# The catalogue `make` built (the .gmo), else one compiled above from the
# .po, laid out as a locale directory.
for l in $LINGUAS; do
	mkdir -p "$TMP/locale/$l/LC_MESSAGES"
	if [ -f "locale/$l.gmo" ]; then
		cp "locale/$l.gmo" "$TMP/locale/$l/LC_MESSAGES/weiquan.mo"
	elif [ -f "$SRC/locale/$l.gmo" ]; then
		cp "$SRC/locale/$l.gmo" "$TMP/locale/$l/LC_MESSAGES/weiquan.mo"
	else
		cp "$TMP/$l.mo" "$TMP/locale/$l/LC_MESSAGES/weiquan.mo"
	fi
done
# A UTF-8 locale of the language if the machine has one, else C.UTF-8
# (where LANGUAGE still picks the catalogue).
lang_for() {
	if locale -a 2>/dev/null | grep -qix "$1\.utf-\{0,1\}8"; then
		echo "$1.UTF-8"
	else
		echo C.UTF-8
	fi
}
NO_DB="no database at this path; run 'weiquan init' first"
want_zh_CN="此路径下没有数据库"
want_zh_TW="此路徑下沒有資料庫"
status_zh_CN="调解中"
status_zh_TW="調解中"
if command -v gettext >/dev/null; then
	for l in $LINGUAS; do
		eval "want=\$want_$l status=\$status_$l"
		got=$(env LC_ALL= LC_MESSAGES= LANG="$(lang_for "$l")" \
			LANGUAGE="$l" TEXTDOMAINDIR="$TMP/locale" \
			gettext -d weiquan "$NO_DB")
		contains "$got" "$want" \
			"the built $l catalogue translates an error message"
		got=$(env LC_ALL= LC_MESSAGES= LANG="$(lang_for "$l")" \
			LANGUAGE="$l" TEXTDOMAINDIR="$TMP/locale" \
			gettext -d weiquan -c status in_mediation)
		equals "$got" "$status" "... and a status code by its context"
	done
else
	ok "# SKIP gettext (the program) is not installed"
fi

# The program itself, reading the catalogues just built (WEIQUAN_LOCALEDIR
# stands in for the LOCALEDIR of an installed weiquan).
if [ -f "$TMP/locale/zh_CN/LC_MESSAGES/weiquan.mo" ]; then
	run env LC_ALL= LC_MESSAGES= LANG="$(lang_for zh_CN)" LANGUAGE=zh_CN \
		WEIQUAN_LOCALEDIR="$TMP/locale" \
		$WEIQUAN --db "$TMP/none.db" case list
	contains "$err" "$want_zh_CN" "weiquan says an error in Chinese under zh_CN"
	contains "$err" "'weiquan init'" "... naming the command untranslated"
	run env LC_ALL= LC_MESSAGES= LANG="$(lang_for zh_TW)" LANGUAGE=zh_TW \
		WEIQUAN_LOCALEDIR="$TMP/locale" \
		$WEIQUAN --db "$TMP/none.db" case list
	contains "$err" "$want_zh_TW" "weiquan says an error in Chinese under zh_TW"
else
	not_ok "the catalogues were built for the program to read"
fi
run env LC_ALL= LC_MESSAGES= LANG=C.UTF-8 LANGUAGE= $WEIQUAN --db "$TMP/none.db" case list
contains "$err" "$NO_DB" "without a Chinese locale the message stays English"

done_testing
