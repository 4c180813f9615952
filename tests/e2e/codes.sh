# The scan for stored codes on screen, shared by the tmux tests: CODES
# lists every status, substate, reason, flag, action, party, remedy and
# document kind code (from the sources under $SRC) that a screen must
# show as words instead; `shot NAME` keeps what a console shows, and
# `no_codes DESCRIPTION` is a TAP check that no code stands as a word of
# its own on any screen kept.
CODES=$( (grep -ohE 'NC_\("(status|substate|reason|flag|action|party|remedy)", "[a-z_-]+"\)' \
	"$SRC/include/weiquan/vocab.h" "$SRC/src/rules.c" "$SRC/screens/ui.c" |
	sed -E 's/.*, "([a-z_-]+)"\)/\1/'
	sed -nE 's/^[[:space:]]*X\([A-Z_]+, "([a-z-]+)",.*/\1/p' \
		"$SRC/include/weiquan/document.h") |
	grep -E '[_-]|^complainant$|^respondent$' |
	# the follow-up visit's code is also the English word the contact
	# log's follow-ups are named by
	grep -vx 'follow-up' | sort -u)
[ -n "$CODES" ] || not_ok "the codes to look for" "none found under $SRC"
SCREENS="$TMP/screens.txt"
: >"$SCREENS"
shot() { screen_of "$1" >>"$SCREENS"; }
no_codes() {
	found=$(for c in $CODES; do
		grep -nE "(^|[^A-Za-z_-])$c([^A-Za-z_-]|\$)" "$SCREENS" | sed "s/^/$c: /"
	done)
	if [ -z "$found" ]; then ok "$1"; else not_ok "$1" "$found"; fi
}
