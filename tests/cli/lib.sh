# TAP helpers for the command-line tests.  Each check prints one TAP line;
# done_testing prints the plan and fails the script if any check failed.
WEIQUAN=${WEIQUAN:-./weiquan}
tap_n=0
tap_failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/weiquan-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
}

# run CMD...: runs it, keeping stdout in $out, stderr in $err, status in $rc.
run() {
	out=$("$@" 2>"$TMP/stderr")
	rc=$?
	err=$(cat "$TMP/stderr")
}

# expect_rc N DESCRIPTION CMD...
expect_rc() {
	local want=$1 desc=$2
	shift 2
	run "$@"
	if [ "$rc" = "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc" "exit $rc, wanted $want" "stdout: $out" "stderr: $err"
	fi
}

# contains HAYSTACK NEEDLE DESCRIPTION
contains() {
	case $1 in
	*"$2"*) ok "$3" ;;
	*) not_ok "$3" "wanted to find: $2" "in: $1" ;;
	esac
}

lacks() {
	case $1 in
	*"$2"*) not_ok "$3" "did not want: $2" "in: $1" ;;
	*) ok "$3" ;;
	esac
}

equals() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3" "got:    $1" "wanted: $2"
	fi
}

# json EXPR: evaluates a Python expression over the JSON in $out as d.
json() {
	printf '%s' "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1" 2>/dev/null ||
		echo "(no JSON: exit $rc: $err)"
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}
