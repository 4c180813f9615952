#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "case_internal.h"
#include "util.h"
#include "weiquan/case.h"
#include "weiquan/media.h"
#include "weiquan/ocr.h"
#include "weiquan/worker.h"
#include "weiquan/wqtime.h"

enum wq_err wq_job_queue_read_text(struct wq_store *store, int64_t evidence_id,
				   const void *bytes, size_t len)
{
	struct wq_stmt *st;
	char at[21];
	enum wq_err err;

	if (!wq_ocr_is_image(bytes, len) &&
	    wq_media_sniff(bytes, len) != WQ_MEDIA_PDF)
		return WQ_ERR_OK;
	wq_time_format(wq_now(), at);
	err = wq_store_prepare(store,
			       "INSERT INTO jobs(kind, evidence_id, queued_at)"
			       " VALUES ('read-text', ?1, ?2)"
			       " ON CONFLICT DO NOTHING",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, evidence_id);
	wq_bind_text(st, 2, at);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "queue");
	wq_store_finalize(store, st);
	return err;
}

/* Why a job failed, as the database keeps it: the failure's msgid and
 * arguments (weiquan/err.h), so that whoever reads it later reads it in
 * their language; the detail's text where its format cannot be kept.
 * malloc'd. */
static char *failure_record(void)
{
	char *kept = wq_err_record();

	return kept ? kept : wq_strdup(wq_err_detail());
}

/* Inside the claim's write: gives up on a job that has had its attempts,
 * so that an image which kills its reader is not claimed for ever. */
static enum wq_err give_up(struct wq_store *store, int64_t job_id, int attempts)
{
	struct wq_stmt *st;
	char at[21], *why;
	enum wq_err err;

	wq_time_format(wq_now(), at);
	/* Kept as its msgid, read in the language of whoever opens it. */
	wq_fail(WQ_ERR_PARSE,
		N_("no worker finished reading it in %d attempts"), attempts);
	why = failure_record();
	wq_err_clear();
	err = wq_store_prepare(store,
			       "UPDATE jobs SET state = 'failed', error = ?2,"
			       " finished_at = ?3 WHERE id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, job_id);
	wq_bind_text(st, 2, why);
	wq_bind_text(st, 3, at);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "queue");
	wq_store_finalize(store, st);
	free(why);
	return err;
}

static enum wq_err claim_in_write(struct wq_store *store, const char *worker,
				  int lease_seconds, struct wq_job *job)
{
	struct wq_stmt *st;
	enum wq_err err;
	int64_t now = (int64_t)wq_now();

	for (;;) {
		bool found = false;

		err = wq_store_prepare(
		    store,
		    "SELECT j.id, j.evidence_id, e.case_id, j.attempts"
		    " FROM jobs j JOIN evidence e ON e.id = j.evidence_id"
		    " WHERE j.state = 'queued'"
		    " OR (j.state = 'running' AND j.lease_until <= ?1)"
		    " ORDER BY j.id LIMIT 1",
		    &st);
		if (err)
			return err;
		wq_bind_int64(st, 1, now);
		switch (wq_step(st)) {
		case WQ_ROW:
			found = true;
			job->id = wq_column_int64(st, 0);
			job->evidence_id = wq_column_int64(st, 1);
			job->case_id = wq_column_int64(st, 2);
			job->attempts = wq_column_int(st, 3);
			break;
		case WQ_DONE:
			break;
		default:
			err = wq_store_error(store, "queue");
		}
		wq_store_finalize(store, st);
		if (err)
			return err;
		if (!found)
			return WQ_ERR_NOT_FOUND;
		if (job->attempts < WQ_JOB_MAX_ATTEMPTS)
			break;
		err = give_up(store, job->id, job->attempts);
		if (err)
			return err;
	}
	job->attempts++;
	snprintf(job->worker, sizeof(job->worker), "%s", worker);
	err = wq_store_prepare(store,
			       "UPDATE jobs SET state = 'running',"
			       " attempts = ?2, lease_until = ?3, worker = ?4"
			       " WHERE id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, job->id);
	wq_bind_int64(st, 2, job->attempts);
	wq_bind_int64(st, 3, now + lease_seconds);
	wq_bind_text(st, 4, job->worker);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "queue");
	wq_store_finalize(store, st);
	return err;
}

static enum wq_err end_write(struct wq_store *store, enum wq_err err)
{
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

enum wq_err wq_job_claim(struct wq_store *store, const char *worker,
			 int lease_seconds, struct wq_job *job)
{
	enum wq_err err = wq_store_begin_write(store);

	memset(job, 0, sizeof(*job));
	if (err)
		return err;
	err = claim_in_write(store, worker, lease_seconds, job);
	/* Nothing waited, but a job that had used its attempts may have
	 * been given up: that is worth keeping. */
	if (err == WQ_ERR_NOT_FOUND) {
		err = wq_store_commit(store);
		return err ? err : WQ_ERR_NOT_FOUND;
	}
	return end_write(store, err);
}

/* Marks the job finished if it is still this claim's: the same worker and
 * the same attempt, not given to another worker after the lease passed. */
static enum wq_err finish(struct wq_store *store, const struct wq_job *job,
			  const char *state, const char *why)
{
	struct wq_stmt *st;
	char at[21];
	enum wq_err err;

	wq_time_format(wq_now(), at);
	err = wq_store_prepare(store,
			       "UPDATE jobs SET state = ?4, error = ?5,"
			       " finished_at = ?6 WHERE id = ?1"
			       " AND state = 'running' AND worker = ?2"
			       " AND attempts = ?3",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, job->id);
	wq_bind_text(st, 2, job->worker);
	wq_bind_int64(st, 3, job->attempts);
	wq_bind_text(st, 4, state);
	wq_bind_text(st, 5, why);
	wq_bind_text(st, 6, at);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "queue");
	else if (wq_store_changes(store) != 1)
		err =
		    wq_fail(WQ_ERR_STALE,
			    N_("job %" PRId64 ": its lease passed and another "
			       "worker took it over"),
			    job->id);
	wq_store_finalize(store, st);
	return err;
}

static enum wq_err store_text(struct wq_store *store, const struct wq_job *job,
			      const char *text, const char *engine,
			      int confidence)
{
	struct wq_stmt *st;
	char at[21];
	enum wq_err err;

	wq_time_format(wq_now(), at);
	err = wq_store_prepare(
	    store,
	    "INSERT INTO evidence_read_text(evidence_id, case_id,"
	    " search_ordinal, engine, confidence, read_at, text)"
	    " VALUES (?1, ?2,"
	    " (SELECT count(*) FROM statements WHERE case_id = ?2)"
	    " + (SELECT count(*) FROM evidence WHERE case_id = ?2"
	    " AND text IS NOT NULL)"
	    " + (SELECT count(*) FROM evidence_read_text"
	    " WHERE case_id = ?2), ?3, ?4, ?5, ?6)",
	    &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, job->evidence_id);
	wq_bind_int64(st, 2, job->case_id);
	wq_bind_text(st, 3, engine);
	wq_bind_int64(st, 4, confidence);
	wq_bind_text(st, 5, at);
	wq_bind_text(st, 6, text);
	if (wq_step(st) != WQ_DONE)
		err = wq_store_error(store, "read text");
	wq_store_finalize(store, st);
	if (err)
		return err;
	return case_index_text(store, job->case_id, text);
}

enum wq_err wq_job_done_read_text(struct wq_store *store,
				  const struct wq_job *job, const char *text,
				  const char *engine, int confidence)
{
	enum wq_err err = wq_store_begin_write(store);

	if (err)
		return err;
	err = finish(store, job, "done", "");
	if (!err)
		err = store_text(store, job, text, engine, confidence);
	return end_write(store, err);
}

enum wq_err wq_job_failed(struct wq_store *store, const struct wq_job *job,
			  const char *why)
{
	enum wq_err err = wq_store_begin_write(store);

	if (err)
		return err;
	return end_write(store, finish(store, job, "failed", why));
}

static enum wq_err load_original(struct wq_store *store, int64_t evidence_id,
				 char **bytes, size_t *len)
{
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(
	    store, "SELECT original FROM evidence WHERE id = ?1", &st);

	*bytes = NULL;
	*len = 0;
	if (err)
		return err;
	wq_bind_int64(st, 1, evidence_id);
	if (wq_step(st) == WQ_ROW) {
		int n = wq_column_bytes(st, 0);
		const void *blob = wq_column_blob(st, 0);

		*bytes = wq_xmalloc((size_t)n + 1);
		if (n)
			memcpy(*bytes, blob, (size_t)n);
		*len = (size_t)n;
	} else {
		err = wq_fail(WQ_ERR_NOT_FOUND, N_("no evidence %" PRId64),
			      evidence_id);
	}
	wq_store_finalize(store, st);
	return err;
}

/* What the worker read in a PDF: every page's text in order, for the
 * search index, and the pages it had to recognise. */
struct pdf_reading {
	struct wq_buf text;
	struct wq_page_text *pages;
	size_t n;
	long confidence_sum;
};

static void pdf_reading_clear(struct pdf_reading *r)
{
	wq_buf_free(&r->text);
	wq_page_texts_free(r->pages, r->n);
	memset(r, 0, sizeof(*r));
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r' &&
		    *s != '\f')
			return false;
	return true;
}

/* Appends a page's text within the size limit, never cutting a UTF-8
 * character in two. */
static void add_page_text(struct wq_buf *b, const char *text)
{
	size_t room = b->len < (size_t)WQ_MEDIA_MAX_TEXT
			  ? (size_t)WQ_MEDIA_MAX_TEXT - b->len
			  : 0;
	size_t n = strlen(text);

	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	if (b->len && n)
		wq_buf_puts(b, "\n\n");
	wq_buf_add(b, text, n);
}

/* Recognises page (0-based) if it can be drawn; a page that cannot is
 * left without text, like a blank one.  Only the engine's own trouble is
 * an error. */
static enum wq_err recognise_page(struct wq_ocr *ocr, struct wq_pdf *pdf,
				  int page, struct pdf_reading *r)
{
	struct wq_media_problem why;
	struct wq_image *image = NULL;
	struct wq_ocr_result read;
	int dpi = 0;
	enum wq_err err;

	if (wq_pdf_page_render(pdf, page, WQ_PDF_OCR_PIXELS, &image, &dpi,
			       &why))
		return WQ_ERR_OK;
	err = wq_ocr_read_pixels(ocr, image->width, image->height,
				 image->stride, image->rgba, dpi, &read);
	wq_image_free(&image);
	if (err == WQ_ERR_NOMEM || err == WQ_ERR_IO)
		return err;
	if (!err && !blank(read.text)) {
		struct wq_page_text *p;

		r->pages = wq_xrealloc(r->pages, (r->n + 1) * sizeof(*r->pages));
		p = &r->pages[r->n++];
		p->page = page + 1;
		p->text = read.text;
		p->confidence = read.confidence;
		snprintf(p->engine, sizeof(p->engine), "%s", read.engine);
		r->confidence_sum += read.confidence;
		return WQ_ERR_OK;
	}
	free(read.text);
	return WQ_ERR_OK;
}

/* Reads each page's own text; recognises the pages without any, within
 * WQ_PDF_OCR_MAX_PAGES and the time given. */
static enum wq_err read_pdf(struct wq_ocr *ocr, const void *bytes, size_t len,
			    int seconds, struct pdf_reading *r)
{
	struct wq_media_problem why;
	struct wq_pdf *pdf;
	time_t give_up = time(NULL) + seconds;
	enum wq_err err = WQ_ERR_OK;
	int pages;

	memset(r, 0, sizeof(*r));
	if (wq_pdf_open(bytes, len, &pdf, &why))
		return why.why == WQ_MEDIA_LOCKED
			   ? wq_fail(WQ_ERR_PARSE,
				     N_("the PDF needs a password"))
		       : why.detail[0]
			   ? wq_fail_msgid(WQ_ERR_PARSE, why.detail)
			   : wq_fail(WQ_ERR_PARSE, N_("the PDF is damaged"));
	pages = wq_pdf_pages(pdf);
	for (int i = 0; i < pages && i < WQ_MEDIA_MAX_PAGES && !err &&
			r->text.len < (size_t)WQ_MEDIA_MAX_TEXT &&
			time(NULL) < give_up;
	     i++) {
		char *text = NULL;

		if (wq_pdf_page_text(pdf, i, &text))
			continue;
		if (blank(text) && r->n < WQ_PDF_OCR_MAX_PAGES) {
			size_t had = r->n;

			err = recognise_page(ocr, pdf, i, r);
			if (r->n > had)
				add_page_text(&r->text, r->pages[had].text);
		} else {
			add_page_text(&r->text, text);
		}
		free(text);
	}
	wq_pdf_free(&pdf);
	if (err)
		pdf_reading_clear(r);
	return err;
}

static enum wq_err store_pages(struct wq_store *store, const struct wq_job *job,
			       const struct pdf_reading *r)
{
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(
	    store,
	    "INSERT INTO evidence_page_text(evidence_id, page, engine,"
	    " confidence, text) VALUES (?1, ?2, ?3, ?4, ?5)",
	    &st);

	if (err)
		return err;
	for (size_t i = 0; !err && i < r->n; i++) {
		wq_bind_int64(st, 1, job->evidence_id);
		wq_bind_int64(st, 2, r->pages[i].page);
		wq_bind_text(st, 3, r->pages[i].engine);
		wq_bind_int64(st, 4, r->pages[i].confidence);
		wq_bind_text(st, 5, r->pages[i].text);
		if (wq_step(st) != WQ_DONE)
			err = wq_store_error(store, "read text");
		wq_stmt_reset(st);
	}
	wq_store_finalize(store, st);
	return err;
}

/* The job done: the recognised pages kept one by one, and all the text
 * as one more document of the case in the search index.  Its engine is
 * poppler, and Tesseract's reading where pages were recognised; its
 * confidence the recognised pages' mean (100: the PDF's own text). */
static enum wq_err done_read_pdf(struct wq_store *store,
				 const struct wq_job *job,
				 const struct pdf_reading *r)
{
	char engine[300];
	enum wq_err err = wq_store_begin_write(store);

	if (err)
		return err;
	if (r->n)
		snprintf(engine, sizeof(engine), "%s + %s", wq_pdf_engine(),
			 r->pages[0].engine);
	else
		snprintf(engine, sizeof(engine), "%s", wq_pdf_engine());
	err = finish(store, job, "done", "");
	if (!err)
		err = store_pages(store, job, r);
	if (!err)
		err = store_text(store, job, r->text.data ? r->text.data : "",
				 engine,
				 r->n ? (int)(r->confidence_sum / (long)r->n)
				      : 100);
	return end_write(store, err);
}

enum wq_err wq_worker_step(struct wq_store *store, struct wq_ocr *ocr,
			   const char *worker, int lease_seconds, bool *worked)
{
	struct wq_job job;
	struct wq_ocr_result read = {0};
	char *bytes = NULL;
	size_t len;
	enum wq_err err = wq_job_claim(store, worker, lease_seconds, &job);

	*worked = false;
	if (err == WQ_ERR_NOT_FOUND)
		return WQ_ERR_OK;
	if (err)
		return err;
	*worked = true;
	err = load_original(store, job.evidence_id, &bytes, &len);
	if (!err && wq_media_sniff(bytes, len) == WQ_MEDIA_PDF) {
		struct pdf_reading pdf;

		err = read_pdf(ocr, bytes, len, lease_seconds / 2, &pdf);
		free(bytes);
		bytes = NULL;
		if (!err) {
			err = done_read_pdf(store, &job, &pdf);
			pdf_reading_clear(&pdf);
			return err == WQ_ERR_STALE ? WQ_ERR_OK : err;
		}
	} else if (!err) {
		err = wq_ocr_read(ocr, bytes, len, &read);
	}
	free(bytes);
	/* The engine's own trouble (a language not installed, no memory)
	 * is the worker's, not the image's: the job stays claimed and is
	 * tried again when its lease passes. */
	if (err == WQ_ERR_NOMEM || err == WQ_ERR_IO)
		return err;
	if (err) {
		char *why;

		if (!*wq_err_detail())
			wq_fail_msgid(err, wq_strerror(err));
		why = failure_record();
		err = wq_job_failed(store, &job, why);
		free(why);
		return err == WQ_ERR_STALE ? WQ_ERR_OK : err;
	}
	err = wq_job_done_read_text(store, &job, read.text, read.engine,
				    read.confidence);
	free(read.text);
	/* Too slow: the lease passed and another worker has the job; its
	 * result will do. */
	return err == WQ_ERR_STALE ? WQ_ERR_OK : err;
}

enum wq_err wq_evidence_read_text(struct wq_store *store,
				  const struct wq_user *actor,
				  int64_t evidence_id, struct wq_read_text *out)
{
	struct wq_stmt *st;
	enum wq_err err;
	int64_t case_id = 0;

	memset(out, 0, sizeof(*out));
	if (evidence_id <= 0)
		return WQ_ERR_OK;
	err = wq_store_prepare(
	    store,
	    "SELECT e.case_id, j.state, j.error, r.text, r.engine,"
	    " r.confidence, r.read_at"
	    " FROM evidence e"
	    " LEFT JOIN jobs j ON j.evidence_id = e.id"
	    " AND j.kind = 'read-text'"
	    " LEFT JOIN evidence_read_text r ON r.evidence_id = e.id"
	    " WHERE e.id = ?1",
	    &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, evidence_id);
	if (wq_step(st) == WQ_ROW) {
		const char *state = wq_column_text(st, 1);

		case_id = wq_column_int64(st, 0);
		if (!wq_column_is_null(st, 3)) {
			out->state = WQ_READ_DONE;
			out->text = wq_strdup(wq_column_text(st, 3));
			snprintf(out->engine, sizeof(out->engine), "%s",
				 wq_column_text(st, 4));
			out->confidence = wq_column_int(st, 5);
			snprintf(out->read_at, sizeof(out->read_at), "%s",
				 wq_column_text(st, 6));
		} else if (strcmp(state, "failed") == 0) {
			out->state = WQ_READ_FAILED;
			out->error = wq_err_record_text(wq_column_text(st, 2));
			if (!out->error)
				out->error = wq_strdup(wq_column_text(st, 2));
		} else if (*state) {
			out->state = WQ_READ_WAITING;
		}
	} else {
		err = wq_fail(WQ_ERR_NOT_FOUND, N_("no evidence %" PRId64),
			      evidence_id);
	}
	wq_store_finalize(store, st);
	if (!err)
		err = wq_case_authorize(store, actor, case_id, WQ_CASE_READ);
	if (err)
		wq_read_text_clear(out);
	return err;
}

void wq_read_text_clear(struct wq_read_text *rt)
{
	free(rt->text);
	free(rt->error);
	memset(rt, 0, sizeof(*rt));
}

enum wq_err wq_evidence_page_texts(struct wq_store *store,
				   const struct wq_user *actor,
				   int64_t evidence_id,
				   struct wq_page_text **pages, size_t *n)
{
	struct wq_stmt *st;
	int64_t case_id = 0;
	enum wq_err err;

	*pages = NULL;
	*n = 0;
	if (evidence_id <= 0)
		return WQ_ERR_OK;
	err = wq_store_prepare(store,
			       "SELECT case_id FROM evidence WHERE id = ?1",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, evidence_id);
	if (wq_step(st) == WQ_ROW)
		case_id = wq_column_int64(st, 0);
	else
		err = wq_fail(WQ_ERR_NOT_FOUND, N_("no evidence %" PRId64),
			      evidence_id);
	wq_store_finalize(store, st);
	if (!err)
		err = wq_case_authorize(store, actor, case_id, WQ_CASE_READ);
	if (!err)
		err = wq_store_prepare(store,
				       "SELECT page, text, confidence, engine"
				       " FROM evidence_page_text"
				       " WHERE evidence_id = ?1 ORDER BY page",
				       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, evidence_id);
	while (wq_step(st) == WQ_ROW) {
		struct wq_page_text *p;

		*pages = wq_xrealloc(*pages, (*n + 1) * sizeof(**pages));
		p = &(*pages)[(*n)++];
		p->page = wq_column_int(st, 0);
		p->text = wq_strdup(wq_column_text(st, 1));
		p->confidence = wq_column_int(st, 2);
		snprintf(p->engine, sizeof(p->engine), "%s",
			 wq_column_text(st, 3));
	}
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

void wq_page_texts_free(struct wq_page_text *pages, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(pages[i].text);
	free(pages);
}

enum wq_err wq_jobs_waiting(struct wq_store *store, int64_t *count)
{
	struct wq_stmt *st;
	enum wq_err err = wq_store_prepare(
	    store,
	    "SELECT count(*) FROM jobs WHERE state IN ('queued','running')",
	    &st);

	*count = 0;
	if (err)
		return err;
	if (wq_step(st) == WQ_ROW)
		*count = wq_column_int64(st, 0);
	else
		err = wq_store_error(store, "queue");
	wq_store_finalize(store, st);
	return err;
}
