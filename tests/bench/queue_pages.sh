#!/bin/sh
# Pages of a SQLite database read for one page of each list the console
# reads at every step (the queue in each order, a category filter, the
# dashboard's overdue and forecast-day drill-downs), as many rows as an
# 80x24 terminal lists (19) and as a 64-row page: the pread64 calls of
# `weiquan case list --limit N` under strace, from a fresh process (an
# empty page cache of SQLite's own), less those of --limit 1 (start-up,
# schema, the first row).  At a million cases these rows are in no cache
# of the machine's either: pages, not milliseconds, are the figure that
# does not move with the machine's load.
#
# Usage: queue_pages.sh WEIQUAN DB.  Prints nothing without strace.
weiquan=$1
db=$2
command -v strace >/dev/null 2>&1 || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/queue-pages.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# preads USER LIMIT ARGS...
preads() {
	user=$1 limit=$2
	shift 2
	strace -f -c -e trace=pread64 -o "$tmp/st" "$weiquan" --db "$db" \
		--user "$user" case list --limit "$limit" "$@" >/dev/null 2>&1 ||
		return 1
	awk '$NF == "pread64" { n = $4 } END { print n + 0 }' "$tmp/st"
}

# row LABEL USER ARGS...
row() {
	label=$1 user=$2
	shift 2
	one=$(preads "$user" 1 "$@") || return 0
	a=$(preads "$user" 19 "$@")
	b=$(preads "$user" 64 "$@")
	printf '%6d %6d  %s\n' $((a - one)) $((b - one)) "$label"
}

users=$("$weiquan" --db "$db" user list --json)
pick() {
	echo "$users" | python3 -c 'import json, sys
print(next(u["login"] for u in json.load(sys.stdin)["users"] if u["role"] == sys.argv[1] and u["active"]))' "$1"
}
mediator=$(pick mediator)
supervisor=$(pick supervisor)
report=$("$weiquan" --db "$db" --user "$supervisor" report --json)
day() {
	echo "$report" | python3 -c 'import json, sys
r = json.load(sys.stdin)
if sys.argv[1] == "yesterday":
    import datetime
    print(datetime.date.fromisoformat(r["today"]) - datetime.timedelta(days=1))
else:
    f = r["due"]["all"]["forecast"]
    print(r["due"]["forecast_days"][max(range(len(f)), key=lambda i: f[i])])' "$1"
}
yesterday=$(day yesterday)
busiest=$(day busiest)

echo "$(basename "$db"): pages read for a page of a list beyond its first row (pread64 calls from a fresh process; load average $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '%6s %6s  %s\n' "19" "64" "rows: list"
for order in due received amount status merchant review; do
	row "$mediator's cases by $order" "$mediator" --assignee me --order "$order"
done
for order in due received amount; do
	row "all cases by $order ($supervisor)" "$supervisor" --order "$order"
done
row "$mediator's cases, category quality" "$mediator" --assignee me --category quality
row "drill-down: overdue (due by $yesterday)" "$supervisor" --status all --due-to "$yesterday"
row "drill-down: due on $busiest" "$supervisor" --status all --due-from "$busiest" --due-to "$busiest"
