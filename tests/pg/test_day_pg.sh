#!/bin/sh
# A working day on PostgreSQL gives what it gives on SQLite: the same
# scenario (demo, intake, the queue, lookups, rulings, statements, offers,
# an agreement, contacts, the inbox, bulk writes, the dashboard, export,
# audit verify, evidence, documents, a collective group, accounts,
# merchants' marks and penalties, a conflict, an import, cross-region
# diversion cases and their details, the upload folder, the calendar and
# clock rules, the worker, a signed checkpoint) runs on a SQLite file and
# on a PostgreSQL database with the same clock and inputs, and every output
# and exit status is compared; only the database's name in messages may
# differ.  Every command of `weiquan --help` is among them, and lookups
# with more matches than a page.  Then two mediators claim one case at
# once on each.  The PostgreSQL database is
# made with a collation that is not bytewise (en_US), since SQLite orders
# text by its bytes and so must PostgreSQL's schema.
# Runs on a throwaway cluster (tests/pg/cluster.sh); skipped without one.
. "$(dirname "$0")/../cli/lib.sh"
pg_exit_hook='rm -rf "$TMP"'
. "$(dirname "$0")/cluster.sh"
export LC_ALL=C.UTF-8
export WEIQUAN_NOW=2026-11-20T10:00:00Z
export WEIQUAN_UPLOAD_DIR="$TMP/upload"
unset LANGUAGE WEIQUAN_DB

pg_start_tap

# A database whose default collation orders text as people read it, not
# by bytes: en_US.UTF-8 where the system has it, else the cluster's own.
collation=$(locale -a 2>/dev/null | grep -i -m1 '^en_US\.utf-\?8$')
if [ -n "$collation" ]; then
	psql -X -q "$WQ_PG_URI" -c "CREATE DATABASE day TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE '$collation' LC_CTYPE '$collation'" ||
		not_ok "a database with the $collation collation"
	PG=$(printf '%s' "$WQ_PG_URI" | sed 's|@/postgres?|@/day?|')
	equals "$(psql -X -A -t -q "$PG" -c "SELECT datcollate FROM pg_database WHERE datname = 'day'")" \
		"$collation" "the day's database collates as $collation"
	equals "$(psql -X -A -t -q "$PG" -c "SELECT CASE WHEN 'a' < 'B' THEN 'folds' ELSE 'bytes' END")" \
		"folds" "... which is not bytewise"
else
	echo "# no en_US UTF-8 locale here: the cluster's C.UTF-8 database is used"
	PG=$WQ_PG_URI
fi

# day DB DIR: runs the day on DB, each command's stdout, stderr and exit
# status in DIR/NN-name.
day() {
	db=$1 dir=$2 n=0
	mkdir -p "$dir"
	r() {
		n=$((n + 1))
		name=$(printf '%02d-%s' "$n" "$1")
		shift
		"$WEIQUAN" --db "$db" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
		rc=$?
		echo "exit $rc" >>"$dir/$name.err"
		echo "$rc $*" >>"$dir.ran"
	}
	r init init
	r demo demo --cases 40 --seed 7
	# intake at the desk, a hostile name among them
	r add1 --user desk.gz case add --case-type complaint --case-category refund \
		--consumer 欧阳娜娜 --phone 13900001111 --merchant "Zeta 小店" \
		--platform 淘宝 --shop-id 99120 --order-no TB-0001 --amount 188.50 \
		--order-date 2026-11-18 --remedy refund --statement "退货已寄回，商家拒绝退款。"
	r add2 --user desk.gz case add --case-type complaint --case-category quality \
		--consumer "$(printf 'x\033]0;owned\007y')" --merchant "alpha shop" \
		--statement "$(printf 'bad\033[2J text')"
	r add3 --user desk.gz case add --case-type complaint --case-category quality \
		--consumer Ab --merchant "$(printf 'ab\377cd')" --statement x
	# text that a non-bytewise collation would order or range otherwise
	r add4 --user desk.gz case add --case-type complaint --case-category delivery \
		--consumer Bob --phone 13900002222 --merchant "beta shop" --statement 未发货
	r add5 --user desk.gz case add --case-type complaint --case-category delivery \
		--consumer bob --merchant "Beta Shop" --statement 未发货
	r user-zed user add Zed --role mediator --name Zed
	r user-amy user add amy --role mediator --name amy
	r user-list user list
	r assign-zed --user chen.jie case assign --to Zed WQ-2026-000043
	r assign-amy --user chen.jie case assign --to amy WQ-2026-000044
	# the queue: its orders, filters and pages
	for order in due received amount status merchant review; do
		r "list-$order" case list --status all --order $order --limit 100
		r "list-$order-r" case list --status all --order $order --reverse --limit 100
	done
	r list-page1 case list --status all --limit 7 --json
	after=$(sed -n 's/.*"next" *: *"\([^"]*\)".*/\1/p' "$dir/$name.out" | head -1)
	r list-page2 case list --status all --limit 7 --after "$after" --json
	r list-open case list --status open --limit 100
	r list-none case list --assignee none --limit 100
	r list-mine --user zhang.wei case list --assignee me --status all
	r list-cat case list --category refund --status all --order merchant
	r list-search case list --search 退款 --status all
	r list-search2 case list --search 质量问题 --status all --json
	r list-due case list --due-from 2026-11-01 --due-to 2026-12-31
	# lookups
	for key in 2026-41 41 139000 TB-0 欧阳 Zeta zeta alpha 9912 b B Bo bo "$(printf '\377')"; do
		r find case find "$key"
	done
	# a mediator's day on the new case
	c=WQ-2026-000041
	r claim --user zhang.wei rule $c claim
	r screen --user zhang.wei rule $c screen 材料齐全
	r accept --user zhang.wei rule $c accept
	r start --user zhang.wei rule $c start
	r stale --user zhang.wei rule $c statement complainant 过时 --expect-version 1
	r stmt1 --user zhang.wei rule $c statement respondent "商家称未收到退货。"
	r stmt2 --user zhang.wei rule $c statement complainant "有快递签收记录。"
	r offer --user zhang.wei rule $c offer respondent refund 150 "三日内退款"
	offer=$("$WEIQUAN" --db "$db" case show $c --json |
		python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["offers"][0]["id"])' 2>/dev/null)
	r counter --user zhang.wei rule $c counter "$offer" refund 188.50 全额退款
	offer=$("$WEIQUAN" --db "$db" case show $c --json |
		python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["offers"][-1]["id"])' 2>/dev/null)
	r agree --user zhang.wei rule $c agree "$offer" respondent 2026-11-25 按约退款
	r watch --user zhang.wei rule $c watch
	r contact --user zhang.wei contact add $c --party complainant --channel phone \
		--said "告知调解结果" --follow-up 2026-11-23
	r contact2 --user zhang.wei contact add $c --party respondent --channel sms --said "$(printf 'ok\033[31m')"
	r contacts contact list $c
	r contacts-json contact list $c --json
	r wrong-role --user desk.gz rule $c accept
	# bulk writes
	r bulk-claim --user li.na case claim WQ-2026-000042 WQ-2026-000040 WQ-2026-000001
	r bulk-assign --user chen.jie case assign --to wang.fang WQ-2026-000042 WQ-2026-000043
	r bulk-release --user wang.fang case release WQ-2026-000042
	r bulk-flag --user chen.jie case flag --flag collective WQ-2026-000041 WQ-2026-000039
	r inbox --user zhang.wei inbox
	r inbox-json --user zhang.wei inbox --json --all
	r inbox-read --user zhang.wei inbox read
	r inbox-after --user zhang.wei inbox --all
	for i in $(seq 1 44); do
		num=$(printf 'WQ-2026-%06d' "$i")
		r show case show "$num"
		r show-json case show "$num" --json
	done
	r list-zed case list --assignee Zed --status all
	r list-all-assignees case list --status all --order status --limit 100
	r report report
	r report-json report --json
	r export export --format json
	r export-csv export
	r export-filter export --status in_mediation --assignee zhang.wei
	r audit audit verify
	# evidence, documents, collective groups, accounts, merchants,
	# conflicts, import
	printf '购物小票\n金额 188.50 元\n' >"$TMP/voucher.txt"
	r ev-add --user zhang.wei evidence add $c "$TMP/voucher.txt" --kind voucher --party complainant
	r ev-show evidence show 55
	r ev-show-json evidence show 55 --json
	r receipt receipt $c
	r doc-list document $c --list
	r doc document $c receipt
	r doc-again document $c receipt
	for i in 1 2 3; do
		r group-add --user desk.gz case add --case-type complaint --case-category quality \
			--consumer "消费者$i" --merchant 同一店 --platform 淘宝 --statement "质量问题$i"
	done
	r group-create --user chen.jie group create 同一商家 WQ-2026-000045 WQ-2026-000046 --facts 事实
	r group-join --user chen.jie group join G1 WQ-2026-000047
	r group-facts --user chen.jie group facts G1 "$(printf '新的事实\033[2J')"
	r group-ev --user chen.jie group evidence G1 "$TMP/voucher.txt" --kind voucher
	r group-assign --user chen.jie case assign --to zhang.wei WQ-2026-000045 WQ-2026-000046 WQ-2026-000047
	r group-rep --user zhang.wei group representative G1 WQ-2026-000045
	r group-consent --user zhang.wei group consent G1 WQ-2026-000046 withdraw --reason 电话
	r group-preview --user zhang.wei group rule G1 screen --preview
	r group-rule --user zhang.wei group rule G1 screen
	r group-leave --user chen.jie group leave WQ-2026-000047
	r group-list group list
	r group-show group show G1
	r group-show-json group show G1 --json
	r user-role user role desk.gz mediator
	r user-disable user disable desk.gz
	r user-disabled --user desk.gz case list
	r user-enable user enable desk.gz
	r merchant-flag --user chen.jie merchant flag 1 repeat-offender --reason 多次投诉 --basis 消费者权益保护法
	r merchant-penalty --user chen.jie merchant penalty 1 --amount 500 --reason 决定书 --basis 第五十六条
	r merchant-refused --user zhang.wei merchant flag 2 blacklist --reason x --basis y
	r conflict --user li.na conflict declare WQ-2026-000017 consumer 亲属
	r damages damages crpl55 100
	printf 'number,type,category,consumer_name,merchant_name,statement\n,complaint,refund,张三,某店,拒绝退款\n,complaint,quality,李四,某店,质量差\n' >"$TMP/import.csv"
	r import import "$TMP/import.csv"
	for i in 17 41 45 46 47 48 49; do
		r show-json case show "$(printf 'WQ-2026-%06d' "$i")" --json
	done
	r bulk-claim-all --user li.na case claim WQ-2026-000048 WQ-2026-000049
	# a cross-region diversion (串货): registered with its details, and
	# one registered without them (an import) given them afterwards
	r div-add case add --case-type diversion --case-category diversion \
		--consumer 山东岱宗食品有限公司 --merchant 广州某经销商 \
		--statement "专供山东的批次在广州销售。" --brand 岱宗 \
		--authorised-region 山东省 --found-region 广东省广州市 --batch B20260301 \
		--codes "6901234567890,6901234567891" --clause "《区域经销合同》第五条" \
		--penalty 100 --trace "扫码记录：广州天河"
	printf 'type,category,consumer_name,merchant_name,statement\ndiversion,diversion,某酒业公司,某酒类经销商,专供批次外流\n' >"$TMP/div.csv"
	r div-import import "$TMP/div.csv"
	d=WQ-2026-000051
	r div-no-utf8 case diversion $d --brand "$(printf 'ab\377')" \
		--authorised-region 山东省 --found-region 广东省
	r div-role --user desk.gz case diversion $d --brand 某酒 \
		--authorised-region 山东省 --found-region 广东省
	r div-complaint case diversion $c --brand 某酒 \
		--authorised-region 山东省 --found-region 广东省
	r div-details case diversion $d --brand "$(printf '某\033]0;owned\007酒')" \
		--authorised-region 四川省 --found-region 浙江省杭州市 --batch 2026-07 \
		--penalty 2000.50 --clause "区域条款" --codes 12345
	r div-again case diversion $d --brand 某酒 --authorised-region 山东省 \
		--found-region 广东省
	for i in 50 51; do
		r show-json case show "$(printf 'WQ-2026-%06d' "$i")" --json
		r show case show "$(printf 'WQ-2026-%06d' "$i")"
	done
	r div-list case list --type diversion --status all
	# the upload folder (sftp) before and after a file is attached from it
	rm -rf "$WEIQUAN_UPLOAD_DIR"
	mkdir -p "$WEIQUAN_UPLOAD_DIR/folder"
	printf '聊天记录：商家承诺退款\n' >"$WEIQUAN_UPLOAD_DIR/chat.txt"
	printf 'x' >"$WEIQUAN_UPLOAD_DIR/$(printf 'bad\033[2Jname.txt')"
	printf 'y' >"$WEIQUAN_UPLOAD_DIR/.hidden"
	printf 'z' >"$WEIQUAN_UPLOAD_DIR/-n"
	touch -d 2026-01-01 "$WEIQUAN_UPLOAD_DIR"/* "$WEIQUAN_UPLOAD_DIR"/.hidden \
		"$WEIQUAN_UPLOAD_DIR/-n"
	r uploads uploads
	r uploads-json uploads --json
	r ev-uploaded --user zhang.wei evidence add $c chat.txt --kind chat \
		--party complainant --uploaded
	r ev-uploaded-again --user zhang.wei evidence add $c chat.txt --kind chat \
		--party complainant --uploaded
	r uploads-after uploads
	# more matches than a page: 30 cases whose phones share a prefix
	# (several the same phone, of one consumer or of several), two in
	# three registered at one desk, the third at another, which a desk
	# may not read: lookups that need a second page of the same key
	r desk-a user add desk.a --role desk
	r desk-b user add desk.b --role desk
	for i in $(seq 1 30); do
		desk=desk.a
		[ $((i % 3)) = 0 ] && desk=desk.b
		r page-add --user $desk case add --case-type complaint \
			--case-category delivery --consumer "同号$((i % 4))" \
			--phone "1391234$((i % 5))00$((i % 2))" --merchant 同号店 \
			--order-no "TB-PAGE-$((i % 3))" --statement 未发货
	done
	for who in zhang.wei desk.a desk.b; do
		for limit in 1 4 19 20 21 29 30 200; do
			r page-find --user $who case find 1391234 --limit $limit --json
		done
		r page-find --user $who case find 13912341001
		r page-find --user $who case find TB-PAGE --limit 7 --json
		r page-find --user $who case find 同号 --limit 25 --json
	done
	# the calendar, the clock rules, the worker's queue, a signed
	# checkpoint (one key for both databases)
	r calendar calendar import "${WQ_SRCDIR:-.}/data/calendar-cn.json"
	r clock-import clock import "${WQ_SRCDIR:-.}/data/clock-rules.json"
	r clock-use clock use samr-order-20
	r clock-use-back clock use samr-order-121
	r worker worker --once
	r report-after report --json
	r audit-after audit verify
	rm -f "$TMP/day.key"
	r keygen audit keygen "$TMP/day.key"
	r checkpoint audit checkpoint --key "$TMP/checkpoint.key"
	cp "$dir/$name.out" "$TMP/checkpoint.line"
	r audit-checkpoint audit verify --checkpoint "$TMP/checkpoint.line" --key "$TMP/checkpoint.key"
}

"$WEIQUAN" audit keygen "$TMP/checkpoint.key" >/dev/null || not_ok "a checkpoint key"
day "$TMP/day.db" "$TMP/sqlite"
day "$PG" "$TMP/pg"

# two mediators claim the same case at once: one gets it, the other is
# told who has it, on both databases
race() {
	side=$1 db=$2
	"$WEIQUAN" --db "$db" --user li.na rule WQ-2026-000042 claim >"$TMP/$side-race1" 2>&1 &
	p1=$!
	"$WEIQUAN" --db "$db" --user liu.yang rule WQ-2026-000042 claim >"$TMP/$side-race2" 2>&1 &
	p2=$!
	wait $p1; r1=$?
	wait $p2; r2=$?
	equals "$(echo $r1 $r2 | tr ' ' '\n' | sort | tr '\n' ' ')" "0 1 " \
		"$side: of two claims at once one wins" "$(cat "$TMP/$side-race1" "$TMP/$side-race2")"
	contains "$(cat "$TMP/$side-race1" "$TMP/$side-race2")" "is already assigned to" \
		"$side: ... and the other is told who has the case"
	run "$WEIQUAN" --db "$db" audit verify
	equals "$rc" 0 "$side: the audit chain holds after the race"
}
race sqlite "$TMP/day.db"
race pg "$PG"

shown=$(printf '%s' "$PG" | sed 's|//weiquan:[^@]*@|//weiquan@|')
compared=0
for f in "$TMP"/sqlite/*; do
	name=${f##*/}
	got=$(sed "s|$shown|DB|g" "$TMP/pg/$name")
	want=$(sed "s|$TMP/day.db|DB|g" "$f")
	compared=$((compared + 1))
	equals "$got" "$want" "$name: the same on PostgreSQL"
done
[ "$compared" -gt 300 ] && ok "$compared outputs compared" || not_ok "$compared outputs compared"

# Every command of `weiquan --help` ("case add", "uploads", ...) ran in
# the day and succeeded at least once on PostgreSQL, its outputs compared
# with SQLite's above: a new command cannot stay untried there.  backup
# only says to use pg_dump there (tests/pg/test_cli_pg.sh).
"$WEIQUAN" --help | sed -n '/^Commands:/,/^$/p' | awk '
	/^  [a-z]/ {
		# (the command, not its description after two spaces)
		line = substr($0, 3)
		if (index(line, "  "))
			line = substr(line, 1, index(line, "  ") - 1)
		split(line, w, " ")
		n = split(w[2] ~ /^[a-z][a-z|-]*$/ ? w[2] : "", subs, "|")
		if (n == 0)
			print w[1]
		for (i = 1; i <= n; i++)
			print w[1] " " subs[i]
	}' | sort -u >"$TMP/commands"
[ "$(wc -l <"$TMP/commands")" -gt 40 ] && ok "$(wc -l <"$TMP/commands") commands in --help" ||
	not_ok "the commands of --help" "$(cat "$TMP/commands")"
sed -n 's/^0 \(--user [^ ]* \)\{0,1\}//p' "$TMP/pg.ran" >"$TMP/pg.succeeded"
untried=
while read -r cmd; do
	[ "$cmd" = backup ] && continue
	grep -q "^$cmd\( \|\$\)" "$TMP/pg.succeeded" || untried="$untried, $cmd"
done <"$TMP/commands"
equals "${untried#, }" "" "every command ran on PostgreSQL in the day"

# the lookups of more than a page found what they should (the same on
# both, compared above)
for side in sqlite pg; do
	found() { grep -o '"number"' $(ls "$TMP/$side"/*-page-find.out | sed -n "$1p") | wc -l; }
	more() { grep -o '"more":[a-z]*' $(ls "$TMP/$side"/*-page-find.out | sed -n "$1p"); }
	equals "$(found 7) $(found 8) $(more 7)" "30 30 \"more\":false" \
		"$side: a mediator finds the 30 cases of the phones' prefix"
	equals "$(found 5) $(more 5) $(found 6) $(more 6)" "21 \"more\":true 29 \"more\":true" \
		"$side: ... a page of them, and that there are more"
	equals "$(found 17) $(found 16) $(more 16) $(found 14) $(more 14)" "20 20 \"more\":false 19 \"more\":true" \
		"$side: desk.a finds the 20 it registered, over the other desk's"
	equals "$(found 21) $(more 21)" "7 \"more\":true" \
		"$side: ... and a page of them by order number, past a page of the other desk's"
	equals "$(found 26) $(more 26) $(found 25) $(more 25)" "10 \"more\":false 10 \"more\":false" \
		"$side: desk.b the 10 it registered"
done

# the day did what it should, on both
for side in sqlite pg; do
	contains "$(cat "$TMP/$side"/*-audit.out)" "Audit chain intact" "$side: the audit chain verifies"
	contains "$(cat "$TMP/$side"/*-agree.err)" "exit 0" "$side: the agreement was recorded"
	contains "$(cat "$TMP/$side"/*-group-rule.err)" "exit 0" "$side: the group ruling was made"
	contains "$(cat "$TMP/$side"/*-import.err)" "exit 0" "$side: the import was made"
	contains "$(cat "$TMP/$side"/*-audit-after.out)" "Audit chain intact" "$side: ... and the chain still verifies"
	for step in calendar clock-import clock-use worker audit-checkpoint; do
		contains "$(cat "$TMP/$side"/*-$step.err)" "exit 0" "$side: $step succeeded"
	done
	contains "$(cat "$TMP/$side"/*-stale.err)" "exit 1" "$side: a stale version is refused"
	# (a CSV export carries the data as it is)
	lacks "$(cat $(ls "$TMP/$side"/*.out | grep -v export-csv))" "$(printf '\033')" \
		"$side: no escape reaches the terminal"
done

pg_stop
done_testing
