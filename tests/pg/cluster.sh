# A throwaway PostgreSQL cluster for the tests, for any test script to
# source:
#   . "$WQ_SRCDIR/tests/pg/cluster.sh"
#   pg_start || { echo "1..0 # SKIP $pg_skip_reason"; exit 0; }
#   (or pg_start_tap, below, in a script that sources tests/cli/lib.sh)
#   ... WQ_PG_URI names the database (postgresql://, password included) ...
#   pg_stop          (or leave it to the EXIT trap)
#
# pg_start makes a cluster with Debian's initdb in a new temporary
# directory, serving only a Unix socket in that directory (no TCP), with
# password (SCRAM) authentication, and starts it with pg_ctl.  initdb
# refuses to run as root: as root the cluster belongs to nobody (runuser).
# An EXIT trap (and INT, TERM, HUP) stops and removes it whatever becomes
# of the test; a script with its own EXIT work puts it in pg_exit_hook
# before pg_start, since the trap replaces the script's own.
#
# WQ_PG_TEMPLATE, when set, names a cluster kept by pg_keep: pg_start
# starts a copy of it instead of making a new one.
#
# WQ_PG_OPTIONS, when set, is appended to the server's options (a later
# -c wins): the stress and crash tests ask for synchronous_commit=on, since
# they kill processes and count what was acknowledged.
#
# pg_start returns 1 with pg_skip_reason set when PostgreSQL's server
# binaries are not installed (Debian: postgresql), and 2 when the cluster
# would not start (its log is printed as TAP comments).

pg_dir=
pg_skip_reason=
pg_exit_hook=${pg_exit_hook:-}

# WQ_PG_BINDIR, when set, is the only place looked in.
pg_bindir() {
	for d in ${WQ_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -r)}; do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

# pg_as CMD...: runs CMD as the cluster's owner.
pg_as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}

pg_cleanup() {
	pg_stop
	eval "$pg_exit_hook"
}

pg_start() {
	bin=$(pg_bindir) || {
		pg_skip_reason="PostgreSQL's server (initdb, pg_ctl) is not installed (Debian: postgresql)"
		return 1
	}
	if [ "$(id -u)" = 0 ] && ! command -v runuser >/dev/null 2>&1; then
		pg_skip_reason="running as root without runuser: initdb refuses root"
		return 1
	fi
	# Short: a socket's path has room for about 100 bytes.
	pg_dir=$(mktemp -d /tmp/wq-pg.XXXXXX) || return 2
	trap pg_cleanup EXIT
	trap 'exit 130' INT TERM HUP
	if [ -n "${WQ_PG_TEMPLATE:-}" ]; then
		pg_password=$(cat "$WQ_PG_TEMPLATE/password") &&
			cp -a "$WQ_PG_TEMPLATE/data" "$pg_dir/data" || return 2
		[ "$(id -u)" = 0 ] && chown -R nobody "$pg_dir"
	else
		pg_password="wq-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
		printf '%s\n' "$pg_password" > "$pg_dir/pwfile"
		[ "$(id -u)" = 0 ] && chown -R nobody "$pg_dir"
		if ! pg_as "$bin/initdb" -D "$pg_dir/data" -U weiquan -E UTF8 \
			--locale=C.UTF-8 --auth-local=scram-sha-256 --auth-host=reject \
			--pwfile="$pg_dir/pwfile" >"$pg_dir/initdb.log" 2>&1; then
			sed 's/^/# initdb: /' "$pg_dir/initdb.log"
			return 2
		fi
		rm -f "$pg_dir/pwfile"
	fi
	if ! pg_as "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
		-o "-c listen_addresses='' -c unix_socket_directories='$pg_dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${WQ_PG_OPTIONS:-}" \
		start >"$pg_dir/pg_ctl.log" 2>&1; then
		sed 's/^/# pg_ctl: /' "$pg_dir/pg_ctl.log" "$pg_dir/server.log"
		return 2
	fi
	WQ_PG_BIN=$bin
	WQ_PG_SOCKET_DIR=$pg_dir
	WQ_PG_URI="postgresql://weiquan:$pg_password@/postgres?host=$pg_dir"
	export WQ_PG_URI WQ_PG_BIN WQ_PG_SOCKET_DIR
	return 0
}

# pg_start_tap: pg_start for a TAP test (tests/cli/lib.sh sourced
# before): without PostgreSQL's server, a skipped check and the end of
# the script; a cluster that would not start, a failed check and the end.
pg_start_tap() {
	pg_start
	case $? in
	0) ;;
	1)
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP $pg_skip_reason"
		done_testing
		exit
		;;
	*)
		not_ok "the PostgreSQL cluster starts"
		done_testing
		exit 1
		;;
	esac
}

# pg_console_begin NOW: what a console test on PostgreSQL starts with
# (tests/cli/lib.sh and tests/e2e/tmux.sh sourced before): its consoles
# stopped and $TMP removed with the cluster at the end, a UTF-8 locale,
# the clock at NOW, no database from the environment, the whole script
# skipped without tmux, and the cluster started (pg_start_tap).
pg_console_begin() {
	pg_exit_hook='stop_consoles; rm -rf "$TMP"'
	export LANG=C.UTF-8 LC_ALL=C.UTF-8 WEIQUAN_NOW="$1"
	unset LANGUAGE WEIQUAN_DB
	need_tmux
	pg_start_tap
}

# pg_keep DIR: stops the cluster cleanly and keeps it in DIR (its data
# directory and password), for a later pg_start with WQ_PG_TEMPLATE=DIR
# to start a copy of: a large database filled once, used many times.
pg_keep() {
	[ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ] || return 1
	pg_as "$WQ_PG_BIN/pg_ctl" -D "$pg_dir/data" -m fast -w stop \
		>/dev/null 2>&1 || return 1
	mkdir -p "$1" && rm -rf "$1/data" &&
		mv "$pg_dir/data" "$1/data" &&
		(umask 077 && printf '%s\n' "$pg_password" >"$1/password")
}

pg_stop() {
	[ -n "$pg_dir" ] || return 0
	if [ -f "$pg_dir/data/postmaster.pid" ]; then
		pg_as "$WQ_PG_BIN/pg_ctl" -D "$pg_dir/data" -m immediate -w stop \
			>/dev/null 2>&1
	fi
	rm -rf "$pg_dir"
	pg_dir=
	unset WQ_PG_URI
}
