#!/bin/sh
# The test behind pg-suite/TEST.pg (tests/pg/suites.sh): TEST itself, a
# program of the build (the unit tests) or a script of the sources.
t=${1#./}
t=${t#pg-suite/}
t=${t%.pg}
if [ -x "./$t" ] && [ ! -d "./$t" ]; then
	exec "./$t"
fi
exec "${srcdir:-${WQ_SRCDIR:-.}}/$t"
