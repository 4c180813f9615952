#!/bin/sh
# The crash test: kill -9 and SIGHUP the command line and the console at
# random points while they write, ITERATIONS times (default 10, as `make
# check` runs it; `make stress` runs 200), and after each crash check that
# the database is intact, the audit chain verifies, every ruling that was
# acknowledged (its `weiquan rule` exited 0) is there, and the console's
# draft survived.
#
#   crash.sh [ITERATIONS]
#
# Each iteration starts a writer loop (`weiquan rule CASE note TOKEN`, one
# process per ruling, TOKEN unique; the tokens of the commands that exited
# 0 are the acknowledged ones) and the console in tmux, where a mediator
# opens a case, presses n and types a note: a first part, which is waited
# for in the drafts table, then a second part; one iteration in four also
# records the note with ^X.  After a random delay the writer is killed
# with SIGKILL or SIGHUP (wherever it is: starting, writing, committing,
# exiting; a signal that only reached a command already done is sent again
# to the next one), and the console with SIGKILL or a hang-up (tmux
# kill-session, as when an SSH link drops).  The console saves its draft
# when the terminal goes away, so after a hang-up the draft holds
# everything typed; after SIGKILL it holds at least the first part; a
# recorded note is in the case and its draft gone.  The next iteration's
# console must offer the draft back.
#
# With CRASH_BACKEND=postgresql the same runs on a throwaway PostgreSQL
# cluster (tests/pg/cluster.sh, committing with synchronous_commit=on as a
# server that acknowledges a commit must), where the integrity check is
# amcheck's of every index; and at the end the server itself crashes
# (pg_ctl stop -m immediate: no checkpoint, no goodbye to its clients)
# while the writer writes, and after its recovery every acknowledged
# ruling must still be there and the audit chain verify.
#
# Output is TAP.  Needs tmux for the console part (without it only the
# command line is crashed) and the sqlite3 shell (psql on PostgreSQL) for
# the checks.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../e2e/tmux.sh"

ITERATIONS=${1:-10}
if [ -z "$WEIQUAN_DATADIR" ] && [ -d "$(dirname "$0")/../../data" ]; then
	WEIQUAN_DATADIR=$(cd "$(dirname "$0")/../../data" && pwd)
	export WEIQUAN_DATADIR
fi
CRASH_BACKEND=${CRASH_BACKEND:-sqlite}
DB="$TMP/crash.db"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset WEIQUAN_NOW
loop_pid=

cleanup() {
	touch "$TMP/stop"
	[ -f "$TMP/w.pid" ] && kill -9 "$(cat "$TMP/w.pid")" 2>/dev/null
	[ -n "$loop_pid" ] && wait "$loop_pid"
	stop_consoles
	rm -rf "$TMP"
}
trap cleanup EXIT

if [ "$CRASH_BACKEND" = postgresql ]; then
	if ! command -v psql >/dev/null; then
		echo "1..0 # SKIP psql is not installed"
		exit 0
	fi
	pg_exit_hook=cleanup
	WQ_PG_OPTIONS="${WQ_PG_OPTIONS:-} -c synchronous_commit=on"
	. "$(dirname "$0")/../pg/cluster.sh"
	pg_start
	case $? in
	0) ;;
	1) echo "1..0 # SKIP $pg_skip_reason"; exit 0 ;;
	*) not_ok "the PostgreSQL cluster starts"; done_testing; exit 1 ;;
	esac
	DB=$WQ_PG_URI
	q() {
		psql -X -A -t -q "$DB" -c "$1"
	}
	# The indexes agree with their tables (the server guards the
	# tables' own pages).
	integrity() {
		psql -X -A -t -q "$DB" -c "CREATE EXTENSION IF NOT EXISTS amcheck" \
			-c "SELECT count(*) FROM (SELECT bt_index_check(c.oid)
			FROM pg_class c JOIN pg_am a ON a.oid = c.relam
			WHERE a.amname = 'btree' AND c.relkind = 'i' AND
			c.relnamespace = 'public'::regnamespace) AS checked" \
			>/dev/null 2>&1 && echo ok
	}
elif ! command -v sqlite3 >/dev/null; then
	echo "1..0 # SKIP the sqlite3 shell is not installed"
	exit 0
else
	q() {
		sqlite3 -cmd ".timeout 10000" "$DB" "$@"
	}
	integrity() {
		q "PRAGMA integrity_check" 2>&1
	}
fi
W="$WEIQUAN --db $DB"
HAVE_TMUX=yes
command -v tmux >/dev/null || HAVE_TMUX=

# Under nohup SIGHUP is ignored, and a shell cannot undo that for its
# children: GNU env can.  Without it, the writer is only sent SIGKILL.
SIGS="KILL HUP"
DEFAULT_HUP=
if env --default-signal=HUP true 2>/dev/null; then
	DEFAULT_HUP="env --default-signal=HUP"
elif grep -q '^SigIgn:.*[13579bdf]$' /proc/self/status 2>/dev/null; then
	SIGS=KILL
	echo "# SIGHUP is ignored here: the writer gets SIGKILL only"
fi

# rand N: a random number in 0..N-1.
rand() {
	echo $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1 ))
}

# ms_sleep MS
ms_sleep() {
	sleep "$(awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }')"
}

# gone PID: the process has exited (a zombie not yet reaped counts).
gone() {
	! kill -0 "$1" 2>/dev/null && return 0
	case $(ps -o stat= -p "$1" 2>/dev/null) in
	Z*) return 0 ;;
	esac
	return 1
}

# wait_dead PID [SECONDS]: polls until the process is gone.
wait_dead() {
	local tries=$(( ${2:-5} * 50 ))
	while ! gone "$1" && [ "$tries" -gt 0 ]; do
		sleep 0.02
		tries=$((tries - 1))
	done
	gone "$1"
}

if ! $W init >/dev/null 2>"$TMP/err" ||
	! $W demo --cases 100 >/dev/null 2>>"$TMP/err"; then
	not_ok "a demo database" "$(cat "$TMP/err")"
	done_testing
	exit 1
fi
CASE_W=$(q "SELECT number FROM cases WHERE assignee = 'zhang.wei' AND
	status = 'in_mediation' ORDER BY id LIMIT 1")
if [ -z "$CASE_W" ]; then
	not_ok "the demo gave zhang.wei a case in mediation"
	done_testing
	exit 1
fi

# The writer: one `weiquan rule` after another, each token recorded as
# acknowledged only once its command has exited 0, until told to stop.
writer() {
	local i=0 tok rc
	while [ ! -f "$TMP/stop" ]; do
		i=$((i + 1))
		tok="crash-$1-$i"
		$DEFAULT_HUP $W --user zhang.wei rule "$CASE_W" note "$tok" \
			>/dev/null 2>"$TMP/w.err" &
		echo $! >"$TMP/w.pid"
		wait $!
		rc=$?
		echo "$! $rc" >>"$TMP/outcomes"
		if [ $rc = 0 ]; then
			echo "$tok" >>"$TMP/acked"
		else
			echo "$tok exit $rc: $(tr "\n" " " <"$TMP/w.err")" >>"$TMP/failed"
		fi
	done
}

# start_note: the console as li.na opens the first case of her queue,
# presses n, checks that the last draft is offered back, types $draft_a,
# waits for it to reach the drafts table, then types $draft_b, and if
# $commit is set records the note with ^X.  Sets console_pid; on failure,
# stage says how far it got.
start_note() {
	local tries
	tmx new-session -d -s c -x 100 -y 30 \
		"exec $DEFAULT_HUP env TERM=xterm-256color $W --user li.na"
	tmx set-option -t c remain-on-exit on >/dev/null
	console_pid=$(tmx display-message -p -t c '#{pane_pid}')
	stage="the queue"
	wait_for c "my cases" 10 || return 1
	keys c Enter
	stage="the case"
	wait_for c "Consumer" 10 || return 1
	keys c n
	stage="the note editor"
	wait_for c "^X save" 10 || return 1
	if [ -n "$prev_draft" ]; then
		if wait_for c "restored your unsent draft" 5 &&
			wait_for c "$prev_draft" 1; then
			ok "iteration $iter: the console offers the last draft back"
		else
			not_ok "iteration $iter: the console offers the last draft back" \
				"draft: $prev_draft" "$(screen_of c)"
		fi
		# Start afresh: the draft is one line.
		keys c C-e C-u
	fi
	keys c -l "$draft_a"
	# Saved within a second (or at once after 20 changes).
	stage="the draft being saved"
	tries=100
	while [ $tries -gt 0 ]; do
		case $(q "SELECT text FROM drafts WHERE login = 'li.na' AND
			field = 'note'") in
		*"$draft_a"*) break ;;
		esac
		sleep 0.05
		tries=$((tries - 1))
	done
	[ $tries -gt 0 ] || return 1
	keys c -l "$draft_b"
	stage="the second part on screen"
	wait_for c "$draft_a$draft_b" 5 || return 1
	if [ -n "$commit" ]; then
		# ^X records the note: acknowledged once the status line
		# shows the case's new version.
		keys c C-x
		stage="the note being recorded"
		wait_for c ", version " 5 || return 1
	fi
}

# The tmux server outlives the sessions that are killed, so that it, not
# init, reaps the consoles at once.
if [ -n "$HAVE_TMUX" ]; then
	tmx new-session -d -s keeper cat
fi

: >"$TMP/acked"
: >"$TMP/failed"
prev_draft=

for iter in $(seq 1 "$ITERATIONS"); do
	rm -f "$TMP/w.pid" "$TMP/stop"
	: >"$TMP/outcomes"
	writer "$iter" 2>/dev/null &
	loop_pid=$!

	# ---- the console: open a case, start a note ----
	console_sig=
	commit=
	[ "$(rand 4)" = 0 ] && commit=yes
	draft_a="draft-$iter-A-xxxxxxxxxxxxxxxxxxxx"
	draft_b=" B-$iter-end"
	if [ -n "$HAVE_TMUX" ]; then
		if start_note; then
			case $(rand 2) in
			0) console_sig=KILL ;;
			*) console_sig=HUP ;;
			esac
		else
			not_ok "iteration $iter: the console reached $stage" \
				"$(screen_of c)"
		fi
	fi

	# ---- the writer: let it acknowledge something first ----
	tries=250
	while [ ! -s "$TMP/acked" ] && [ $tries -gt 0 ]; do
		sleep 0.02
		tries=$((tries - 1))
	done
	ms_sleep "$(rand 300)"

	# ---- the crash ----
	case $SIGS:$(rand 2) in
	*HUP*:1) writer_sig=HUP ;;
	*) writer_sig=KILL ;;
	esac
	# Kill the writer wherever it is.  The pid read may fall between two
	# commands, or the signal reach one that has just finished; then the
	# next one is killed, until one dies of it.
	tries=100
	while [ $tries -gt 0 ]; do
		tries=$((tries - 1))
		wpid=$(cat "$TMP/w.pid" 2>/dev/null)
		if [ -z "$wpid" ] || ! kill -s "$writer_sig" "$wpid" 2>/dev/null; then
			sleep 0.005
			continue
		fi
		while ! grep -q "^$wpid " "$TMP/outcomes" 2>/dev/null &&
			[ $tries -gt 0 ]; do
			sleep 0.005
			tries=$((tries - 1))
		done
		grep -q "^$wpid 0\$" "$TMP/outcomes" || break
	done
	touch "$TMP/stop"
	wait "$loop_pid"
	loop_pid=
	case $console_sig in
	KILL)
		kill -9 "$console_pid" 2>/dev/null
		wait_dead "$console_pid"
		tmx kill-session -t c 2>/dev/null
		;;
	HUP)
		# The hang-up of an SSH session: tmux closes the terminal
		# and sends SIGHUP.
		tmx kill-session -t c 2>/dev/null
		wait_dead "$console_pid"
		;;
	*)
		if [ -n "$HAVE_TMUX" ]; then
			tmx kill-session -t c 2>/dev/null
			wait_dead "$console_pid"
		fi
		;;
	esac
	cat "$TMP/acked" >>"$TMP/acked.all"
	: >"$TMP/acked"

	# ---- the checks ----
	what="iteration $iter (writer SIG$writer_sig${console_sig:+, console ${commit:+recorded a note, }SIG$console_sig})"
	integrity=$(integrity)
	equals "$integrity" "ok" "$what: integrity_check"
	run $W audit verify
	if [ "$rc" = 0 ]; then
		ok "$what: audit verify"
	else
		not_ok "$what: audit verify" "$out" "$err"
	fi
	q "SELECT text FROM statements WHERE text LIKE 'crash-%'" |
		sort >"$TMP/present"
	sort "$TMP/acked.all" >"$TMP/acked.sorted"
	missing=$(comm -23 "$TMP/acked.sorted" "$TMP/present")
	n_acked=$(wc -l <"$TMP/acked.sorted" | tr -d ' ')
	if [ -z "$missing" ]; then
		ok "$what: all $n_acked acknowledged rulings present"
	else
		not_ok "$what: acknowledged rulings present" "missing:" "$missing"
	fi
	if [ -n "$console_sig" ] && [ -n "$commit" ]; then
		n=$(q "SELECT count(*) FROM statements WHERE
			text = '$draft_a$draft_b'")
		draft=$(q "SELECT text FROM drafts WHERE login = 'li.na' AND
			field = 'note'")
		if [ "$n" = 1 ] && [ -z "$draft" ]; then
			ok "$what: the note recorded from the console is there, its draft gone"
		else
			not_ok "$what: the note recorded from the console is there, its draft gone" \
				"notes with the text: $n" "draft: $draft"
		fi
		prev_draft=
	elif [ -n "$console_sig" ]; then
		draft=$(q "SELECT text FROM drafts WHERE login = 'li.na' AND
			field = 'note'")
		case $console_sig:$draft in
		HUP:*"$draft_a$draft_b"*)
			ok "$what: the whole draft was saved on hang-up" ;;
		KILL:*"$draft_a"*)
			ok "$what: the draft survived" ;;
		*)
			want=$draft_a
			[ "$console_sig" = HUP ] && want=$draft_a$draft_b
			not_ok "$what: the draft survived" "draft: $draft" \
				"wanted it to contain: $want" ;;
		esac
		prev_draft=$draft
	elif [ -n "$HAVE_TMUX" ]; then
		# The console did not get that far: whatever it saved is
		# what the next one offers back.
		prev_draft=$(q "SELECT text FROM drafts WHERE login = 'li.na'
			AND field = 'note'")
	fi
done

# Failures other than the kills themselves (a busy database, say).  A
# killed writer says nothing, except that under AddressSanitizer its leak
# checker's tracer may report the thread it lost ("==PID==...").
kill_line=' exit (137|129):( *$| ==[0-9]+==)'
others=$(grep -v -E "$kill_line" "$TMP/failed")
killed=$(grep -c -E "$kill_line" "$TMP/failed")
if [ -z "$others" ]; then
	ok "no ruling failed except by being killed ($killed of $ITERATIONS kills hit a running writer)"
else
	not_ok "no ruling failed except by being killed" "$others"
fi

# ---- PostgreSQL: the server crashes under the writer ----
if [ "$CRASH_BACKEND" = postgresql ]; then
	rm -f "$TMP/w.pid" "$TMP/stop"
	: >"$TMP/outcomes"
	: >"$TMP/acked"
	: >"$TMP/failed"
	writer server 2>/dev/null &
	loop_pid=$!
	tries=250
	while [ ! -s "$TMP/acked" ] && [ $tries -gt 0 ]; do
		sleep 0.02
		tries=$((tries - 1))
	done
	ms_sleep "$(rand 300)"
	pg_as "$WQ_PG_BIN/pg_ctl" -D "$pg_dir/data" -m immediate -w stop \
		>/dev/null 2>&1
	# The rulings tried while the server was down fail to connect.
	sleep 0.2
	touch "$TMP/stop"
	wait "$loop_pid"
	loop_pid=
	cat "$TMP/acked" >>"$TMP/acked.all"
	# restart: started with the options it last ran with.
	if pg_as "$WQ_PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" \
		-w restart >/dev/null 2>&1; then
		ok "the server recovers from its crash"
	else
		not_ok "the server recovers from its crash" "$(tail -n 20 "$pg_dir/server.log")"
	fi
	what="the server crashed (acknowledged before: $(wc -l <"$TMP/acked" | tr -d ' '), refused while it was down: $(wc -l <"$TMP/failed" | tr -d ' '))"
	equals "$(integrity)" "ok" "$what: the indexes agree with their tables"
	run $W audit verify
	if [ "$rc" = 0 ]; then
		ok "$what: audit verify"
	else
		not_ok "$what: audit verify" "$out" "$err"
	fi
	q "SELECT text FROM statements WHERE text LIKE 'crash-%'" |
		sort >"$TMP/present"
	sort "$TMP/acked.all" >"$TMP/acked.sorted"
	missing=$(comm -23 "$TMP/acked.sorted" "$TMP/present")
	if [ -z "$missing" ]; then
		ok "$what: all $(wc -l <"$TMP/acked.sorted" | tr -d ' ') acknowledged rulings present"
	else
		not_ok "$what: acknowledged rulings present" "missing:" "$missing"
	fi
fi
done_testing
