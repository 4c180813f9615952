#!/bin/sh
# Every public header in include/weiquan/ compiles on its own, first in
# a file and twice over (its guard), as C11 with the project's warnings:
# a header includes what it uses (STYLE.md), whatever a .c file happened
# to include before it.  $CC and $WARN_CFLAGS come from make check.
. "$(dirname "$0")/lib.sh"

cc=${CC:-cc}
for h in "$WQ_SRCDIR"/include/weiquan/*.h; do
	name=weiquan/$(basename "$h")
	printf '#include "%s"\n#include "%s"\n' "$name" "$name" >"$TMP/alone.c"
	# (WARN_CFLAGS is a list of options: split on purpose)
	# shellcheck disable=SC2086
	if $cc -std=c11 ${WARN_CFLAGS:--Wall -Wextra} -Werror -fsyntax-only \
		-I"$WQ_SRCDIR/include" "$TMP/alone.c" >"$TMP/cc.out" 2>&1; then
		ok "$name compiles alone"
	else
		not_ok "$name compiles alone"
		sed 's/^/# /' "$TMP/cc.out"
	fi
done
done_testing
