#!/bin/sh
# The test behind pg-suite/TEST.pg (tests/pg/suites.sh): TEST itself, a
# program of the build (the unit tests) or a script of the sources.
t=${1#./}
t=${t#pg-suite/}
t=${t%.pg}
if [ -x "./$t" ] && [ ! -d "./$t" ]; then
	# cmocka writes a skipped case as "not ok N # SKIP", which TAP
	# drivers count as failed; a skip is "ok N # SKIP".
	rc_file=$(mktemp)
	{ "./$t"; echo $? >"$rc_file"; } | sed 's/^not ok \([0-9]*\) # SKIP/ok \1 # SKIP/'
	rc=$(cat "$rc_file")
	rm -f "$rc_file"
	exit "$rc"
fi
exec "${srcdir:-${WQ_SRCDIR:-.}}/$t"
