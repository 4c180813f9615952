#!/bin/sh
# What the console reads ahead while the mediator reads its screen.  The
# queue reads the screenful after the one shown, so that a page down
# draws without reading the database: the console's reads (pread64 of the SQLite file, or a query sent to PostgreSQL,
# traced by strace) between the key and the first byte of its redraw are
# none.  Before, each page down read its page first: some thirty pages of
# the file at a million cases.  And the media module is loaded after the
# first screen, so that the first photo opened draws at once.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
e2e_begin
if ! command -v strace >/dev/null; then
	echo "1..0 # SKIP strace is not installed"
	exit 0
fi
$W demo --cases 600 --seed 3 >/dev/null

console q 80 24 $W --user chen.jie
see q "all cases" "the supervisor's console opens on all cases"
pane=$(tmx display-message -p -t q '#{pane_pid}')
pid=$(pgrep -P "$pane" -x weiquan | head -n 1)
[ -n "$pid" ] || not_ok "the console's process is found" "pane $pane"

# The media module (pictures, PDFs) is loaded once the first screen is
# drawn, so that the first photo opened does not wait for it.
tries=100
while [ $tries -gt 0 ] && ! grep -q 'weiquan-media\.so' "/proc/$pid/maps" 2>/dev/null; do
	sleep 0.05
	tries=$((tries - 1))
done
if grep -q 'weiquan-media\.so' "/proc/$pid/maps" 2>/dev/null; then
	ok "the console loads the media module after its first screen"
else
	not_ok "the console loads the media module after its first screen"
fi

# A read of the database: a page of the SQLite file, or a query sent to
# PostgreSQL (libpq's send(); taking what the server has sent, as the
# notifications, sends nothing).
if on_postgresql; then
	read_call=sendto
else
	read_call=pread64
fi

# page_down_reads: the reads the console makes for a page down before it
# writes anything to the terminal.
page_down_reads() {
	first=$(screen_of q | grep -m 1 '^ *WQ-[0-9]' | awk '{ print $1 }')
	sleep 0.5 # the screen drawn and, now, the next one read
	: > "$TMP/trace"
	strace -q -p "$pid" -e trace=$read_call,write -o "$TMP/trace" 2>/dev/null &
	tracer=$!
	tries=100
	# strace writes its first line when a traced call happens; wait for
	# it to be attached by its status in /proc instead
	while [ $tries -gt 0 ] && ! grep -q "TracerPid:[[:space:]]*$tracer" "/proc/$pid/status"; do
		sleep 0.05
		tries=$((tries - 1))
	done
	keys q PgDn
	wait_gone q "$first" >/dev/null
	sleep 0.3
	kill "$tracer" 2>/dev/null
	wait "$tracer" 2>/dev/null
	awk -v call="$read_call(" '/^write\(1,/ { exit } index($0, call) == 1 { n++ } END { print n + 0 }' "$TMP/trace"
}

for n in 1 2 3; do
	reads=$(page_down_reads)
	equals "$reads" "0" "page down $n reads nothing before it draws"
done
# the trace did see the console: its redraw, and its reading ahead after
grep -q '^write(1,' "$TMP/trace" && ok "the trace holds the redraw" ||
	not_ok "the trace holds the redraw" "$(head -5 "$TMP/trace")"
after=$(awk -v call="$read_call(" '/^write\(1,/ { drawn = 1 } drawn && index($0, call) == 1 { n++ } END { print n + 0 }' "$TMP/trace")
[ "$after" -gt 0 ] && ok "... and the next page read after it" ||
	not_ok "... and the next page read after it" "$(tail -5 "$TMP/trace")"
keys q Q
done_testing
