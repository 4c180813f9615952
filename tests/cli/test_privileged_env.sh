#!/bin/sh
# A setgid weiquan runs with its installation's group for whoever calls
# it, so nothing the caller's environment says may reach a file it opens
# or a choice it makes with the group's rights.  Every getenv() in src/
# and screens/ is either guarded on the same line by wq_privileged() or
# is one of those reviewed below, each with why it is harmless; a new
# one fails here until it is guarded (on its line or the one before) or
# reviewed.
. "$(dirname "$0")/lib.sh"

# file:VARIABLE, and why the caller may set it even when privileged.
reviewed='
src/main.c:SSH_ORIGINAL_COMMAND  sshd sets it; only refused with a message
src/store.c:WEIQUAN_DB           read only in the unprivileged branch
src/store.c:XDG_DATA_HOME        read only in the unprivileged branch
src/store.c:HOME                 read only in the unprivileged branch
screens/keys.c:XDG_CONFIG_HOME   the keys file is opened with the user'"'"'s rights
screens/keys.c:HOME              the keys file is opened with the user'"'"'s rights
screens/picture.c:NO_COLOR       only chooses monochrome drawing
screens/ui.c:NO_COLOR            only chooses monochrome drawing
screens/ui.c:TERM                only shown, cleaned, in a message
'

scan() {
	cd "$WQ_SRCDIR" || return 1
	# (the guard may sit on the line before, where a long line broke)
	awk 'FNR == 1 { prev = "" }
	     /getenv\("/ && $0 !~ /wq_privileged\(\)/ && prev !~ /wq_privileged\(\)/ {
		v = $0; sub(/.*getenv\("/, "", v); sub(/".*/, "", v)
		print FILENAME, FNR, v
	     }
	     { prev = $0 }' src/*.c src/*.h screens/*.c screens/*.h 2>/dev/null
}

found=$(scan)
unreviewed=
while read -r file line var; do
	[ -n "$file" ] || continue
	case $reviewed in
	*"
$file:$var "*) ;;
	*) unreviewed="$unreviewed
$file:$line: getenv(\"$var\")" ;;
	esac
done <<END
$found
END
if [ -z "$unreviewed" ]; then
	ok "every getenv() is guarded by wq_privileged() or reviewed ($(printf '%s\n' "$found" | grep -c .) reviewed)"
else
	not_ok "an unguarded getenv() that a setgid weiquan would obey" "$unreviewed"
fi

# The scan itself finds what it is for.
sample=$(mktemp -d)
mkdir "$sample/src" "$sample/screens"
printf 'static void f(void) { fopen(getenv("WQ_TRACE_FILE"), "a"); }\n' >"$sample/src/x.c"
printf 'static void g(void) { x = wq_privileged() ? NULL : getenv("WQ_OK"); }\n' >>"$sample/src/x.c"
out=$(WQ_SRCDIR=$sample scan)
equals "$out" "src/x.c 1 WQ_TRACE_FILE" "the scan finds an unguarded getenv() and passes a guarded one"
rm -rf "$sample"
done_testing
