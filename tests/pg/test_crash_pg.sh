#!/bin/sh
# The crash test (tests/stress/crash.sh) on PostgreSQL in `make check`:
# writers and the console killed with SIGKILL or hung up while they
# write, on a throwaway cluster of its own, then amcheck, the audit chain,
# every acknowledged ruling and the drafts checked; at the end the server
# itself crashes under a writer and must recover with every acknowledged
# ruling.  CRASH_PG_ITERATIONS times (default 5; `make stress` runs 200).
CRASH_BACKEND=postgresql
export CRASH_BACKEND
exec sh "$(dirname "$0")/../stress/crash.sh" "${CRASH_PG_ITERATIONS:-5}"
