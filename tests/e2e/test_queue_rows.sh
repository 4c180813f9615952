#!/bin/sh
# The queue reads as many rows as its list shows, however tall the
# terminal: at 80x24 a page is the list's height (a row read and not shown
# is a wait for nothing at a million cases), the next page comes when the
# cursor moves onto it, and a terminal resized taller than the rows read
# lists every row it has room for.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W demo --cases 250 --seed 5 >/dev/null

# the open cases, as the supervisor's first view lists them
run $W --user chen.jie case list --limit 200 --json
open=$(echo "$out" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["cases"]))')
run $W --user chen.jie case list --search 退款 --limit 200 --json
hits=$(echo "$out" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["cases"]))')

# rows_on NAME: how many lines of the screen list a case
rows_on() {
	screen_of "$1" | grep -c '^ *WQ-[0-9]'
}

console q 80 24 $W --user chen.jie
see q "all cases" "the supervisor's console opens on all cases"
shown=$(rows_on q)
if [ "$shown" -gt 10 ] && [ "$shown" -lt 24 ] && [ "$hits" -gt $((2 * shown)) ]; then
	ok "the list shows $shown rows at 80x24 ($hits cases hold 退款)"
else
	not_ok "rows at 80x24" "$shown rows, $hits hits" "$(screen_of q)"
fi

# A search's count is of the rows read ("N+": more to read): a page of
# the list's height, then the next one when the cursor reaches it.
keys q / 退款 Enter
see q "search: 退款" "a search lists its cases"
see q "$shown+ cases" "... having read one screenful of them"
i=0
while [ $i -lt "$shown" ]; do
	keys q j
	i=$((i + 1))
done
see q "$((2 * shown))+ cases" "the cursor past the screen reads the next page"
keys q x
wait_gone q "search: 退款"

# rows_reach WANT OK NOT_OK: waits up to 5 s for the list to show WANT rows.
rows_reach() {
	tries=100
	while [ $tries -gt 0 ] && [ "$(rows_on q)" -lt "$1" ]; do
		sleep 0.05
		tries=$((tries - 1))
	done
	if [ "$(rows_on q)" -ge "$1" ]; then
		ok "$2"
	else
		not_ok "$3" "$(rows_on q) rows of $1" "$(screen_of q)"
	fi
}

# A terminal made taller than the rows read lists every row it has room
# for (100 lines: more than a page of 64 ever held).
tmx resize-window -t q -x 80 -y 100
want=$open
[ "$want" -gt 95 ] || not_ok "enough open cases" "$open"
[ "$want" -gt 95 ] && want=95
rows_reach "$want" "resized to 80x100, the list shows $want rows or more" "rows at 80x100"
# and a list read anew at that height fills it too
keys q o
see q "by received" "o orders the list by received"
rows_reach "$want" "... and so does the list in another order" "rows at 80x100 by received"
keys q Q
done_testing
