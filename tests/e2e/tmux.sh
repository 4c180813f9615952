# Driving the real console in tmux: start it in a detached session of a
# given size, type keys, and wait (polling, no fixed sleeps) for text to
# appear on the screen.
TMUX_SOCKET="$TMP/tmux.sock"
tmx() {
	tmux -S "$TMUX_SOCKET" "$@"
}

# console NAME COLS ROWS COMMAND...: starts COMMAND in session NAME.
console() {
	local name=$1 cols=$2 rows=$3
	shift 3
	tmx new-session -d -s "$name" -x "$cols" -y "$rows" \
		"env TERM=${CONSOLE_TERM:-xterm-256color} $*; echo '[exited]' \$?; sleep 30"
}

screen_of() {
	tmx capture-pane -p -t "$1"
}

# wait_for NAME TEXT [SECONDS]: true once TEXT is on the screen.
wait_for() {
	local name=$1 text=$2 tries=$(( ${3:-5} * 20 ))
	while [ "$tries" -gt 0 ]; do
		case $(screen_of "$name") in
		*"$text"*) return 0 ;;
		esac
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# wait_gone NAME TEXT [SECONDS]
wait_gone() {
	local name=$1 text=$2 tries=$(( ${3:-5} * 20 ))
	while [ "$tries" -gt 0 ]; do
		case $(screen_of "$name") in
		*"$text"*) ;;
		*) return 0 ;;
		esac
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

keys() {
	local name=$1
	shift
	tmx send-keys -t "$name" "$@"
}

# see NAME TEXT DESCRIPTION: a TAP check that TEXT shows up.
see() {
	if wait_for "$1" "$2" "${4:-5}"; then
		ok "$3"
	else
		not_ok "$3" "screen:" "$(screen_of "$1")"
	fi
}

# x_of NAME ANCHOR PATTERN: the display column at which PATTERN (a Python
# regular expression) starts on the first screen line holding ANCHOR, as
# tmux lays the line out (wcwidth in a UTF-8 locale); -1 when not there.
x_of() {
	screen_of "$1" | python3 -c '
import ctypes, locale, re, sys
locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
libc = ctypes.CDLL(None)
libc.wcswidth.argtypes = [ctypes.c_wchar_p, ctypes.c_size_t]
anchor, pattern = sys.argv[1], sys.argv[2]
for line in sys.stdin.read().splitlines():
    m = re.search(pattern, line) if anchor in line else None
    if m:
        print(libc.wcswidth(line[:m.start()], m.start()))
        sys.exit(0)
print(-1)' "$2" "$3"
}

# x_settled NAME ANCHOR PATTERN: x_of once the console has drawn the line,
# that is once two readings 0.1 s apart agree on a column (-1 after 5 s).
# A screen read while luit or tmux is half-way through a redraw can lack
# the line even though an earlier frame showed the text waited for.
x_settled() {
	local last=-2 got tries=50
	while [ "$tries" -gt 0 ]; do
		got=$(x_of "$1" "$2" "$3")
		if [ "$got" != -1 ] && [ "$got" = "$last" ]; then
			echo "$got"
			return 0
		fi
		last=$got
		sleep 0.1
		tries=$((tries - 1))
	done
	echo -1
}

# x_reaches NAME ANCHOR PATTERN WANT: x_of, read until it is WANT (5 s at
# most); a column that stays wrong is still reported.
x_reaches() {
	local got tries=50
	while [ "$tries" -gt 0 ]; do
		got=$(x_of "$1" "$2" "$3")
		[ "$got" = "$4" ] && break
		sleep 0.1
		tries=$((tries - 1))
	done
	echo "$got"
}

# descendants PID: PID and every process under it.
descendants() {
	local child
	echo "$1"
	for child in $(pgrep -P "$1" 2>/dev/null); do
		descendants "$child"
	done
}

# stop_consoles: closes every console's terminal, then waits for what ran
# in them to exit.  One still there after 5 s is killed and named: under
# LeakSanitizer a console closed by its hangup has been seen to spin in
# the leak check at exit, for as long as CI ran, on its CPU.
stop_consoles() {
	local pids="" pid left tries=50
	for pid in $(tmx list-panes -a -F '#{pane_pid}' 2>/dev/null); do
		pids="$pids $(descendants "$pid")"
	done
	tmx kill-server 2>/dev/null
	while [ "$tries" -gt 0 ]; do
		left=""
		for pid in $pids; do
			! kill -0 "$pid" 2>/dev/null || left="$left $pid"
		done
		[ -n "$left" ] || return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	for pid in $left; do
		echo "# still running 5 s after its terminal closed, killed:" \
			"$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" >&2
		kill -9 "$pid" 2>/dev/null
	done
}

# need_tmux: the whole script skips without tmux.
need_tmux() {
	if ! command -v tmux >/dev/null; then
		echo "1..0 # SKIP tmux is not installed"
		exit 0
	fi
}

# e2e_begin: what every console test starts with: the whole script skips
# without tmux; a fresh initialised database in $DB, $W the command line on
# it, a UTF-8 locale and the real clock.
e2e_begin() {
	trap 'stop_consoles; rm -rf "$TMP"' EXIT
	need_tmux
	DB=$(fresh_db w)
	W="$WEIQUAN --db $DB"
	export LANG=C.UTF-8 LC_ALL=C.UTF-8
	unset WEIQUAN_NOW
	$W init >/dev/null
}
