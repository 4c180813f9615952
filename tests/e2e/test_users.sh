#!/bin/sh
# A disabled account in a real terminal (tmux, 80x24): its console refuses
# to start with a clear message instead of a screen, and opens again once
# an administrator enables the account; `user list` then shows when it
# last opened the console.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
$W user add mia --role mediator >/dev/null
$W user disable mia >/dev/null

console d 80 24 $W --user mia
see d "[exited] 1" "a disabled account's console ends at once"
screen=$(screen_of d)
contains "$screen" "this weiquan account is disabled" "... saying the account is disabled"
contains "$screen" "weiquan user enable mia" "... and how an administrator enables it"
stop_consoles
equals "$($W user list --json | python3 -c 'import json,sys; print([u for u in json.load(sys.stdin)["users"] if u["login"] == "mia"][0]["last_login"])')" \
	"None" "a refused console is no login"

$W user enable mia >/dev/null
console e 80 24 $W --user mia
see e "mia (mediator)" "once enabled, the console opens"
keys e Q
see e "[exited] 0" "... and quits"
stop_consoles
run $W user list
contains "$(printf '%s\n' "$out" | grep '^mia ')" "$(date +%Y-%m-%d)" \
	"user list shows when mia last opened the console"
done_testing
