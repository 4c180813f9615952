#!/bin/sh
# Text in screenshots through the command line: an attached chat
# screenshot is queued, not read, until `weiquan worker --once` reads it;
# then `case list --search` finds the case by a phrase inside the picture.
# The same file attached again is flagged as a duplicate; a cut-short image
# fails its job with the reason and stops nothing; the worker runs only
# under an administrator's login; the audit chain stays whole (the text
# read is machine output, not an event); and a database from before the
# queue existed has its images queued when `weiquan init` migrates it.
# Once the queue is empty the worker merges the search index.
. "$(dirname "$0")/lib.sh"

SHOT=${WQ_SHOT:-$(dirname "$WEIQUAN")/tests/bench/shot}
DB=$(fresh_db o)
W="$WEIQUAN --db $DB"
export WEIQUAN_NOW=2026-03-02T09:00:00Z
export LC_ALL=C.UTF-8
unset LANGUAGE

expect_rc 0 "the screenshot generator runs" "$SHOT" text "$TMP/chat.png" \
	"您好，这边可以给您仅退款，商品不用寄回了。" \
	"那我先不退货了，谢谢。"
expect_rc 0 "init" $W init
$W user add mia --role mediator >/dev/null || not_ok "user add mia"
N=$($W case add --case-type complaint --case-category refund \
	--consumer 赵六 --merchant 优品生活旗舰店 --statement "商家反悔，不肯退钱")
O=$($W case add --case-type complaint --case-category quality \
	--consumer 钱七 --merchant 好物百货店 --statement "杯子碎了")

expect_rc 0 "evidence add of a chat screenshot" \
	$W evidence add "$N" "$TMP/chat.png" --kind chat --party complainant
contains "$out" "Evidence 1 attached" "the evidence is attached at once"
lacks "$out" "Duplicate" "a first copy is no duplicate"
run db_sql "$DB" "SELECT state FROM jobs WHERE evidence_id = 1"
equals "$out" "queued" "its reading is queued, not done by evidence add"
run $W case list --status all --search 仅退款
lacks "$out" "$N" "before the worker, the phrase in the picture finds nothing"
run $W case show "$N" --json
equals "$(json 'd["evidence"][0]["reading"]')" "queued" \
	"case show --json says the screenshot is queued to be read"
equals "$(json 'd["evidence"][0]["machine_read"]')" "None" "... and has no text yet"

expect_rc 0 "the same screenshot again" \
	$W evidence add "$N" "$TMP/chat.png" --kind chat --party complainant
contains "$out" "Duplicate: the same file (SHA-256) as evidence 1" \
	"the same SHA-256 in the same case is flagged a duplicate"
run db_sql "$DB" "SELECT json_extract(details, '\$.duplicate_of') FROM events WHERE action = 'evidence' ORDER BY id DESC LIMIT 1"
equals "$out" "1" "the evidence event records what it duplicates"
expect_rc 0 "the same screenshot in another case" \
	$W evidence add "$O" "$TMP/chat.png" --kind chat --party complainant
lacks "$out" "Duplicate" "another case's copy is no duplicate"
run $W case show "$N" --json
equals "$(json '[e["duplicate_of"] for e in d["evidence"]]')" "[None, 1]" \
	"case show --json names what the second copy duplicates"

head -c 3000 "$TMP/chat.png" >"$TMP/cut.png"
expect_rc 0 "a cut-short screenshot is attached as it is" \
	$W evidence add "$O" "$TMP/cut.png" --kind photo --party complainant

expect_rc 1 "the worker refuses a mediator's login" \
	$W --user mia worker --once
contains "$err" "administrator" "and says it needs an administrator"
expect_rc 2 "the worker refuses a lease of 0 seconds" $W worker --once --lease 0

events_before=$(db_sql "$DB" "SELECT count(*) FROM events")
# FTS5 segments: its rowids name them in their top bits
segments="SELECT count(DISTINCT id >> 37) FROM search_index_data WHERE id >> 37 > 0"
if sqlite_only fts5-segments; then
	run db_sql "$DB" "$segments"
	[ "$out" -gt 1 ] && ok "each case added left the index a segment" ||
		not_ok "each case added left the index a segment ($out)"
fi
expect_rc 0 "weiquan worker --once reads the queue and exits" \
	env WEIQUAN_NOW=2026-03-02T10:00:00Z $W worker --once
if sqlite_only fts5-segments; then
	run db_sql "$DB" "$segments"
	equals "$out" "1" "... and merges the index's segments before it exits"
fi
run db_sql "$DB" "SELECT count(*) FROM jobs WHERE state IN ('queued','running')"
equals "$out" "0" "nothing is left waiting"
run db_sql "$DB" "SELECT state || ': ' || error FROM jobs WHERE evidence_id = 4"
contains "$out" 'failed: {"msgid":"the PNG file is cut short' \
	"the cut-short image's job failed with the reason, kept as its msgid"
run db_sql "$DB" "SELECT engine FROM evidence_read_text WHERE evidence_id = 1"
contains "$out" "tesseract" "the text read is marked with the engine that read it"

run $W case list --status all --search 仅退款
contains "$out" "$N" "case list --search 仅退款 finds the screenshot's case"
run $W case list --status all --search 仅退款 --json
equals "$(json 'len(d["cases"])')" "2" \
	"both cases holding the screenshot are found, once each"
run $W case show "$N" --json
equals "$(json 'd["evidence"][0]["reading"]')" "done" "case show --json: read"
contains "$(json 'd["evidence"][0]["machine_read"]["text"]')" "仅退款" \
	"... with the text read in the screenshot"
run $W case show "$N" --at 2026-03-02T09:30:00Z --json
equals "$(json 'd["evidence"][0]["machine_read"]')" "None" \
	"as the case stood before the worker read it, it had no text read"
run $W case list --status all --search 不肯退钱
contains "$out" "$N" "the statement is still found beside it"

expect_rc 0 "audit verify: reading text changed no evidence row" $W audit verify
run db_sql "$DB" "SELECT count(*) FROM events"
equals "$out" "$events_before" "the worker appended no event"

# PDFs: a report with text of its own is indexed for search across
# cases; a scan without a text layer is recognised page by page.
SAMPLES=$(dirname "$WEIQUAN")/tests/media/make_samples
mkdir -p "$TMP/samples" && "$SAMPLES" "$TMP/samples" || not_ok "make_samples runs"
expect_rc 0 "evidence add of a scanned PDF" \
	$W evidence add "$O" "$TMP/samples/scanned.pdf" --kind other --party complainant
expect_rc 0 "evidence add of a PDF with its own text" \
	$W evidence add "$N" "$TMP/samples/report.pdf" --kind other --party respondent
run db_sql "$DB" "SELECT group_concat(state, ',') FROM (SELECT state FROM jobs WHERE evidence_id IN (5, 6) ORDER BY evidence_id) AS j"
equals "$out" "queued,queued" "both PDFs are queued for the worker"
run $W case list --status all --search 华南消费品检测中心
lacks "$out" "$O" "before the worker, the scan's text finds nothing"
expect_rc 0 "the worker reads the PDFs" $W worker --once
run $W case list --status all --search 华南消费品检测中心
contains "$out" "$O" "case list --search finds the case by a phrase in the scanned PDF"
run $W case list --status all --search 同意仅退款 --json
equals "$(json '[c["number"] for c in d["cases"]]')" "['$O']" \
	"... a phrase on its first page too, in that case only"
run $W case list --status all --search "screen cracked on delivery"
contains "$out" "$N" "case list --search finds the case by the text of a PDF report"
run db_sql "$DB" "SELECT group_concat(CAST(page AS text), ',') FROM (SELECT page FROM evidence_page_text WHERE evidence_id = 5 ORDER BY page) AS p"
equals "$out" "1,2" "the scan's pages are kept one by one as machine-read"
run db_sql "$DB" "SELECT count(*) FROM evidence_page_text WHERE evidence_id = 6"
equals "$out" "0" "the report's own text needed no recognition"
run $W case show "$O" --json
contains "$(json '[e["machine_read"]["engine"] for e in d["evidence"] if e["machine_read"]][-1]')" \
	"tesseract" "case show --json names the engine that read the scan"

# A database from before the queue: its images are queued by init, and
# from before PDFs were read, its PDFs.
if sqlite_only old-schema; then
db_sql "$DB" "DROP TABLE jobs; DROP TABLE evidence_read_text;
	DROP TABLE evidence_page_text; PRAGMA user_version = 6" || not_ok "back to version 6"
expect_rc 0 "init migrates a version 6 database" $W init
run db_sql "$DB" "SELECT group_concat(evidence_id) FROM jobs WHERE state = 'queued'"
equals "$out" "1,2,3,4,5,6" "every image and PDF attached before is queued"
fi
done_testing
