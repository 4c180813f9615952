/* Reading text in images (src/ocr.c) and the queue the worker takes it
 * from (src/worker.c): recognition of a generated chat screenshot with
 * known Chinese text, hostile images refused with a reason, and the jobs'
 * claims, leases, retries and give-ups. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <leptonica/allheaders.h>

#include "tests/bench/accuracy.h"
#include "tests/media/samples.h"
#include "tests/unit/fixture.h"
#include "weiquan/case.h"
#include "weiquan/ocr.h"
#include "weiquan/worker.h"
#include "weiquan/wqtime.h"

static const char *const bubbles[] = {
    "您好，这边可以给您仅退款，商品不用寄回了。",
    "我收到的杯子碎了两个，外箱也破了。",
    "已为您申请补偿二十元优惠券，请注意查收。",
};

static struct {
	char dir[64], path[128];
	struct wq_store *store;
	struct wq_user admin;
	char *shot; /* the generated screenshot's bytes */
	size_t shot_len;
	char *known; /* its text */
	struct wq_ocr *ocr;
} F;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	if (fread(data, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	data[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return data;
}

/* The screenshot from tests/bench/shot (built beside this test). */
static int setup(void **state)
{
	char cmd[512], png[128], txt[160];
	const char *shot =
	    getenv("WQ_SHOT") ? getenv("WQ_SHOT") : "tests/bench/shot";

	(void)state;
	if (fixture_open("ocr", "2026-03-02T02:00:00Z", F.dir, F.path, &F.store,
			 &F.admin))
		return -1;
	snprintf(png, sizeof(png), "%s/chat.png", F.dir);
	snprintf(txt, sizeof(txt), "%s.txt", png);
	snprintf(cmd, sizeof(cmd), "'%s' text '%s' '%s' '%s' '%s'", shot, png,
		 bubbles[0], bubbles[1], bubbles[2]);
	if (system(cmd) != 0) {
		fprintf(stderr, "# cannot run %s\n", shot);
		return -1;
	}
	F.shot = slurp(png, &F.shot_len);
	F.known = slurp(txt, NULL);
	if (!F.shot || !F.known)
		return -1;
	if (wq_ocr_new(NULL, &F.ocr)) {
		fprintf(stderr, "# %s\n", wq_err_detail());
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wq_ocr_free(&F.ocr);
	wq_store_close(&F.store);
	fixture_remove_dir(F.dir);
	free(F.shot);
	free(F.known);
	return 0;
}

static void test_reads_chinese_chat(void **state)
{
	struct wq_ocr_result r;
	size_t known, d;

	(void)state;
	assert_int_equal(wq_ocr_read(F.ocr, F.shot, F.shot_len, &r), WQ_ERR_OK);
	d = acc_distance(F.known, r.text, true, &known);
	print_message("# read %zu of %zu characters wrong (%s, confidence "
		      "%d)\n",
		      d, known, r.engine, r.confidence);
	/* At least 95% of the characters, punctuation's width aside. */
	assert_true(d * 20 <= known);
	/* The phrase a mediator searches for, whole, no spaces inside. */
	assert_non_null(strstr(r.text, "仅退款"));
	assert_null(strstr(r.text, "仅 退"));
	assert_non_null(strstr(r.engine, "tesseract"));
	free(r.text);
}

static void test_refuses_truncated_png(void **state)
{
	struct wq_ocr_result r;

	(void)state;
	/* Header and half the data: the end marker is missing. */
	assert_int_equal(wq_ocr_read(F.ocr, F.shot, F.shot_len / 2, &r),
			 WQ_ERR_PARSE);
	assert_non_null(strstr(wq_err_detail(), "cut short"));
	assert_null(r.text);
	/* Only the signature: no header to read. */
	assert_int_equal(wq_ocr_read(F.ocr, F.shot, 12, &r), WQ_ERR_PARSE);
	assert_int_equal(wq_ocr_read(F.ocr, "not an image", 12, &r),
			 WQ_ERR_PARSE);
}

static void test_refuses_truncated_jpeg(void **state)
{
	PIX *pix = pixCreate(400, 300, 8);
	l_uint8 *jpeg = NULL;
	size_t len = 0;
	struct wq_ocr_result r;
	int w, h;

	(void)state;
	pixSetAllArbitrary(pix, 200);
	pixRenderLine(pix, 10, 10, 390, 290, 5, L_SET_PIXELS);
	assert_int_equal(pixWriteMemJpeg(&jpeg, &len, pix, 90, 0), 0);
	/* The whole file reads (no text in it); most of it does not. */
	assert_int_equal(wq_ocr_read(F.ocr, jpeg, len, &r), WQ_ERR_OK);
	free(r.text);
	assert_int_equal(wq_ocr_check_image(jpeg, len * 2 / 3, &w, &h),
			 WQ_ERR_OK);
	assert_int_equal(wq_ocr_read(F.ocr, jpeg, len * 2 / 3, &r),
			 WQ_ERR_PARSE);
	assert_non_null(strstr(wq_err_detail(), "damaged or cut short"));
	lept_free(jpeg);
	pixDestroy(&pix);
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A valid PNG header claiming width x height, then a few bytes and the
 * end marker: what a decompression bomb looks like before it inflates. */
static size_t png_claiming(unsigned char *out, uint32_t width, uint32_t height)
{
	static const unsigned char iend[] = {0,	  0,   0,    0,	   'I',	 'E',
					     'N', 'D', 0xae, 0x42, 0x60, 0x82};
	size_t n = 0;

	memcpy(out, "\x89PNG\r\n\x1a\n", 8);
	n = 8;
	put32(out + n, 13);
	memcpy(out + n + 4, "IHDR", 4);
	put32(out + n + 8, width);
	put32(out + n + 12, height);
	out[n + 16] = 8; /* bit depth */
	out[n + 17] = 2; /* RGB */
	out[n + 18] = out[n + 19] = out[n + 20] = 0;
	put32(out + n + 21, crc32_of(out + n + 4, 17));
	n += 25;
	memcpy(out + n, iend, sizeof(iend));
	return n + sizeof(iend);
}

static void test_refuses_huge_dimensions(void **state)
{
	unsigned char png[64];
	struct wq_ocr_result r;
	size_t n;
	int w, h;

	(void)state;
	n = png_claiming(png, 20000, 20000);
	assert_int_equal(wq_ocr_check_image(png, n, &w, &h), WQ_ERR_INVALID);
	assert_non_null(strstr(wq_err_detail(), "20000 x 20000"));
	assert_int_equal(wq_ocr_read(F.ocr, png, n, &r), WQ_ERR_INVALID);
	/* Just under the bound passes the header check (and then fails to
	 * decode, having no data), without allocating 100 megapixels. */
	n = png_claiming(png, 10000, 10000);
	assert_int_equal(wq_ocr_check_image(png, n, &w, &h), WQ_ERR_OK);
	assert_int_equal(w, 10000);
	assert_int_equal(wq_ocr_read(F.ocr, png, n, &r), WQ_ERR_PARSE);
}

/* ---- the queue ---- */

static int64_t new_case(char number[32])
{
	struct wq_intake in = {0};
	int64_t id;

	in.type = "complaint";
	in.category = "refund";
	in.region = "上海市";
	in.consumer_name = "王五";
	in.merchant_name = "优品生活旗舰店";
	in.merchant_platform = "淘宝";
	in.amount_fen = 12800;
	in.remedy = "refund";
	in.statement = "商家答应退款后又反悔。";
	assert_int_equal(wq_case_create(F.store, &F.admin, &in, &id, number),
			 WQ_ERR_OK);
	return id;
}

static int64_t attach(int64_t case_id, const void *bytes, size_t len)
{
	int64_t id = 0;

	assert_int_equal(wq_store_begin_write(F.store), WQ_ERR_OK);
	assert_int_equal(wq_evidence_add_tx(F.store, &F.admin, case_id, "chat",
					    "complainant", "chat.png", bytes,
					    len, NULL, &id),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_commit(F.store), WQ_ERR_OK);
	return id;
}

static size_t hits(const char *search)
{
	struct wq_filter f = {0};
	struct wq_case_page page = {0};
	size_t n;

	f.status = "all";
	f.search = search;
	assert_int_equal(wq_case_list(F.store, &F.admin, &f, &page), WQ_ERR_OK);
	n = page.count;
	wq_case_page_free(&page);
	return n;
}

static enum wq_read_state state_of(int64_t evidence_id)
{
	struct wq_read_text rt;
	enum wq_read_state s;

	assert_int_equal(
	    wq_evidence_read_text(F.store, &F.admin, evidence_id, &rt),
	    WQ_ERR_OK);
	s = rt.state;
	wq_read_text_clear(&rt);
	return s;
}

static void test_lease_passes_to_another_worker(void **state)
{
	char number[32];
	int64_t case_id = new_case(number), ev;
	struct wq_job a, b;
	time_t t0 = wq_now();

	(void)state;
	ev = attach(case_id, F.shot, F.shot_len);
	assert_int_equal(state_of(ev), WQ_READ_WAITING);
	assert_int_equal(wq_job_claim(F.store, "a", 60, &a), WQ_ERR_OK);
	assert_int_equal(a.evidence_id, ev);
	assert_int_equal(a.case_id, case_id);
	assert_int_equal(a.attempts, 1);
	/* Claimed and leased: nobody else gets it. */
	assert_int_equal(wq_job_claim(F.store, "b", 60, &b), WQ_ERR_NOT_FOUND);
	/* Worker a is presumed dead once its lease has passed. */
	wq_time_pin(t0 + 61);
	assert_int_equal(wq_job_claim(F.store, "b", 60, &b), WQ_ERR_OK);
	assert_int_equal(b.id, a.id);
	assert_int_equal(b.attempts, 2);
	/* a comes back too late: its result is refused, b's is kept. */
	assert_int_equal(wq_job_done_read_text(F.store, &a, "甲的结果", "x", 1),
			 WQ_ERR_STALE);
	assert_int_equal(hits("仅退款"), 0);
	assert_int_equal(wq_job_done_read_text(F.store, &b, "您好，可以仅退款",
					       "tesseract test", 90),
			 WQ_ERR_OK);
	assert_int_equal(state_of(ev), WQ_READ_DONE);
	assert_int_equal(hits("仅退款"), 1);
	assert_int_equal(hits("甲的结果"), 0);
	/* A statement after it takes the next search ordinal. */
	assert_int_equal(wq_store_begin_write(F.store), WQ_ERR_OK);
	assert_int_equal(wq_statement_add_tx(F.store, &F.admin, case_id,
					     "mediator", "已联系商家核实"),
			 WQ_ERR_OK);
	assert_int_equal(wq_store_commit(F.store), WQ_ERR_OK);
	assert_int_equal(hits("联系商家核实"), 1);
	assert_int_equal(hits("仅退款"), 1);
	wq_time_pin(0);
}

static void test_gives_up_after_attempts(void **state)
{
	char number[32];
	int64_t case_id = new_case(number), ev, waiting;
	struct wq_job j;
	struct wq_read_text rt;
	time_t t = wq_now();

	(void)state;
	ev = attach(case_id, F.shot, F.shot_len);
	for (int i = 1; i <= WQ_JOB_MAX_ATTEMPTS; i++) {
		assert_int_equal(wq_job_claim(F.store, "crashing", 10, &j),
				 WQ_ERR_OK);
		assert_int_equal(j.attempts, i);
		t += 11;
		wq_time_pin(t);
	}
	assert_int_equal(wq_job_claim(F.store, "next", 10, &j),
			 WQ_ERR_NOT_FOUND);
	assert_int_equal(wq_evidence_read_text(F.store, &F.admin, ev, &rt),
			 WQ_ERR_OK);
	assert_int_equal(rt.state, WQ_READ_FAILED);
	assert_string_equal(rt.error,
			    "no worker finished reading it in 3 attempts");
	wq_read_text_clear(&rt);
	assert_int_equal(wq_jobs_waiting(F.store, &waiting), WQ_ERR_OK);
	assert_int_equal(waiting, 0);
	wq_time_pin(0);
}

/* The job's failure is kept as its msgid (read later in the reader's
 * language), not as the worker's text; a failure stored as text, before
 * that, still reads as it was written. */
static void old_failure_still_reads(int64_t evidence_id)
{
	struct wq_read_text rt;
	struct wq_stmt *st;
	char sql[160];

	assert_int_equal(wq_store_prepare(F.store,
					  "SELECT error FROM jobs"
					  " WHERE evidence_id = ?1",
					  &st),
			 WQ_ERR_OK);
	wq_bind_int64(st, 1, evidence_id);
	assert_int_equal(wq_step(st), WQ_ROW);
	assert_non_null(strstr(wq_column_text(st, 0),
			       "\"msgid\":\"the PNG file is cut short"));
	wq_store_finalize(F.store, st);

	snprintf(sql, sizeof(sql),
		 "UPDATE jobs SET error = 'cannot read it {50%%}' WHERE"
		 " evidence_id = %" PRId64,
		 evidence_id);
	assert_int_equal(wq_store_exec(F.store, sql), WQ_ERR_OK);
	assert_int_equal(wq_evidence_read_text(F.store, &F.admin, evidence_id,
					       &rt),
			 WQ_ERR_OK);
	assert_int_equal(rt.state, WQ_READ_FAILED);
	assert_string_equal(rt.error, "cannot read it {50%}");
	wq_read_text_clear(&rt);
}

/* The worker's whole step: a real screenshot read and searchable, a
 * hostile one failed for good with its reason, a text file never queued. */
static void test_worker_step(void **state)
{
	char number[32];
	int64_t case_id = new_case(number), shot, cut, txt;
	bool worked;
	struct wq_read_text rt;

	(void)state;
	shot = attach(case_id, F.shot, F.shot_len);
	cut = attach(case_id, F.shot, F.shot_len / 3);
	txt = attach(case_id, "商家说可以退款", strlen("商家说可以退款"));
	assert_int_equal(state_of(txt), WQ_READ_NONE);
	do {
		assert_int_equal(
		    wq_worker_step(F.store, F.ocr, "w", 60, &worked),
		    WQ_ERR_OK);
	} while (worked);
	assert_int_equal(wq_evidence_read_text(F.store, &F.admin, shot, &rt),
			 WQ_ERR_OK);
	assert_int_equal(rt.state, WQ_READ_DONE);
	assert_non_null(strstr(rt.text, "仅退款"));
	wq_read_text_clear(&rt);
	assert_int_equal(wq_evidence_read_text(F.store, &F.admin, cut, &rt),
			 WQ_ERR_OK);
	assert_int_equal(rt.state, WQ_READ_FAILED);
	assert_non_null(strstr(rt.error, "cut short"));
	wq_read_text_clear(&rt);
	assert_true(hits("补偿二十元优惠券") >= 1);
	old_failure_still_reads(cut);
}

/* PDFs: one with text of its own has it indexed for search across
 * cases, nothing recognised; a scan without any has each page drawn and
 * recognised, kept page by page as machine-read, and found by a phrase on
 * it; a damaged one fails with the reason. */
static void test_worker_reads_pdfs(void **state)
{
	static const char *const own[] = {
	    "Appraisal report: hinge snapped on arrival",
	    "Conclusion: replacement owed",
	};
	static const char *const scan[] = {
	    "鉴定结论：屏幕碎裂系运输所致，同意仅退款。",
	    "检验机构：华南消费品检测中心",
	};
	struct sample text_pdf = sample_pdf(own, 2, NULL);
	struct sample scanned = sample_scanned_pdf(scan, 2);
	char number[32];
	int64_t case_id = new_case(number), a, b, c;
	struct wq_page_text *pages;
	struct wq_read_text rt;
	size_t n;
	bool worked;

	(void)state;
	a = attach(case_id, text_pdf.bytes, text_pdf.len);
	b = attach(case_id, scanned.bytes, scanned.len);
	c = attach(case_id, scanned.bytes, scanned.len / 2);
	assert_int_equal(state_of(a), WQ_READ_WAITING);
	assert_int_equal(state_of(b), WQ_READ_WAITING);
	assert_int_equal(hits("hinge snapped"), 0);
	do {
		assert_int_equal(
		    wq_worker_step(F.store, F.ocr, "w", 600, &worked),
		    WQ_ERR_OK);
	} while (worked);
	/* The PDF's own text: searchable, no page recognised. */
	assert_int_equal(hits("hinge snapped"), 1);
	assert_int_equal(hits("replacement owed"), 1);
	assert_int_equal(wq_evidence_page_texts(F.store, &F.admin, a, &pages,
						&n),
			 WQ_ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(wq_evidence_read_text(F.store, &F.admin, a, &rt),
			 WQ_ERR_OK);
	assert_non_null(strstr(rt.engine, "poppler"));
	assert_null(strstr(rt.engine, "tesseract"));
	wq_read_text_clear(&rt);
	/* The scan: both pages recognised, kept apart, and searchable. */
	assert_int_equal(wq_evidence_page_texts(F.store, &F.admin, b, &pages,
						&n),
			 WQ_ERR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(pages[0].page, 1);
	assert_int_equal(pages[1].page, 2);
	assert_non_null(strstr(pages[0].text, "仅退款"));
	assert_non_null(strstr(pages[1].text, "检测中心"));
	assert_non_null(strstr(pages[0].engine, "tesseract"));
	wq_page_texts_free(pages, n);
	assert_int_equal(hits("同意仅退款"), 1);
	assert_int_equal(hits("华南消费品检测中心"), 1);
	/* Cut in half: the reason, and nothing else stopped. */
	assert_int_equal(wq_evidence_read_text(F.store, &F.admin, c, &rt),
			 WQ_ERR_OK);
	assert_int_equal(rt.state, WQ_READ_FAILED);
	assert_true(strlen(rt.error) > 0);
	wq_read_text_clear(&rt);
	sample_free(&text_pdf);
	sample_free(&scanned);
}

static void test_duplicate_flagged(void **state)
{
	char number[32];
	int64_t case_id = new_case(number), other = new_case(number), first,
		again, elsewhere, earlier = -1;

	(void)state;
	first = attach(case_id, "同一个文件", strlen("同一个文件"));
	again = attach(case_id, "同一个文件", strlen("同一个文件"));
	elsewhere = attach(other, "同一个文件", strlen("同一个文件"));
	assert_int_equal(wq_evidence_duplicate_of(F.store, first, &earlier),
			 WQ_ERR_OK);
	assert_int_equal(earlier, 0);
	assert_int_equal(wq_evidence_duplicate_of(F.store, again, &earlier),
			 WQ_ERR_OK);
	assert_int_equal(earlier, first);
	/* Another case's copy is its own evidence. */
	assert_int_equal(wq_evidence_duplicate_of(F.store, elsewhere, &earlier),
			 WQ_ERR_OK);
	assert_int_equal(earlier, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reads_chinese_chat),
	    cmocka_unit_test(test_refuses_truncated_png),
	    cmocka_unit_test(test_refuses_truncated_jpeg),
	    cmocka_unit_test(test_refuses_huge_dimensions),
	    cmocka_unit_test(test_lease_passes_to_another_worker),
	    cmocka_unit_test(test_gives_up_after_attempts),
	    cmocka_unit_test(test_worker_step),
	    cmocka_unit_test(test_worker_reads_pdfs),
	    cmocka_unit_test(test_duplicate_flagged),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, setup, teardown);
}
