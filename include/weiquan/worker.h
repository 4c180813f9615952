/* weiquan: slow work on evidence, queued in the database and done by a
 * worker process (`weiquan worker`), never by a keystroke or a ruling.
 *
 * Attaching an image queues a job to read its text.  A worker claims the
 * oldest waiting job for a lease in one short write, does the work with no
 * transaction open, and records the result in another short write if the
 * job is still its own.  A job whose worker died is claimed again once its
 * lease has passed; after WQ_JOB_MAX_ATTEMPTS claims it fails for good, so
 * an image that kills the reader cannot stop the queue. */
#ifndef WEIQUAN_WORKER_H
#define WEIQUAN_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "weiquan/err.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

struct wq_ocr;

#define WQ_JOB_MAX_ATTEMPTS 3
#define WQ_JOB_LEASE_SECONDS 600

/* A PDF's own text is read from each page (within the page and size
 * limits of weiquan/media.h); a page without any (a scan) is drawn at up
 * to WQ_PDF_OCR_PIXELS (an A4 page at about 200 dpi, where Tesseract
 * reads body text best; at 250 it misread a scanned 仅退款) and
 * recognised like an image, for at most WQ_PDF_OCR_MAX_PAGES pages of
 * one PDF and while half the lease remains: a few seconds a page. */
#define WQ_PDF_OCR_PIXELS (4L * 1000 * 1000)
#define WQ_PDF_OCR_MAX_PAGES 20

/* Queues reading the text of evidence just attached, inside the caller's
 * write, when its bytes are an image or a PDF. */
enum wq_err wq_job_queue_read_text(struct wq_store *store, int64_t evidence_id,
				   const void *bytes, size_t len);

struct wq_job {
	int64_t id, evidence_id, case_id;
	int attempts; /* including this claim */
	char worker[96];
};

/* Claims the oldest job waiting, or whose lease has passed, for
 * lease_seconds, as worker ("host:pid"); its own write.  WQ_ERR_NOT_FOUND
 * when nothing waits. */
enum wq_err wq_job_claim(struct wq_store *store, const char *worker,
			 int lease_seconds, struct wq_job *job);
/* Records the text read (its own write): the job done, the text stored
 * beside the evidence and added to the search index.  WQ_ERR_STALE when
 * the lease passed and another worker has claimed the job meanwhile. */
enum wq_err wq_job_done_read_text(struct wq_store *store,
				  const struct wq_job *job, const char *text,
				  const char *engine, int confidence);
/* Records why the job failed (its own write), for good: a damaged or
 * hostile file does not get better by reading it again.  why is kept as
 * given: the worker gives the failure as wq_err_record() keeps it, so
 * that wq_evidence_read_text() says it in the reader's language. */
enum wq_err wq_job_failed(struct wq_store *store, const struct wq_job *job,
			  const char *why);

/* Claims one job and does it.  *worked is false when nothing waited.  The
 * error is the store's or the engine's; a job's own failure is recorded
 * with the job, and a result too late for the lease (another worker took
 * the job) is dropped quietly. */
enum wq_err wq_worker_step(struct wq_store *store, struct wq_ocr *ocr,
			   const char *worker, int lease_seconds, bool *worked);

/* The text read from one evidence item, as the pager shows it. */
enum wq_read_state {
	WQ_READ_NONE,	 /* not an image, or attached before reading */
	WQ_READ_WAITING, /* queued or being read */
	WQ_READ_DONE,
	WQ_READ_FAILED,
};

struct wq_read_text {
	enum wq_read_state state;
	char *text; /* WQ_READ_DONE: malloc'd */
	char engine[128], read_at[21];
	int confidence;
	char *error; /* WQ_READ_FAILED, in the reader's language: malloc'd */
};

/* For a reader of the case (WQ_CASE_READ).  Shared group evidence is
 * never read (its ids are negative): WQ_READ_NONE. */
enum wq_err wq_evidence_read_text(struct wq_store *store,
				  const struct wq_user *actor,
				  int64_t evidence_id,
				  struct wq_read_text *out);
void wq_read_text_clear(struct wq_read_text *rt);

/* One page of a scanned PDF whose text the worker recognised. */
struct wq_page_text {
	int page; /* 1-based */
	char *text;
	int confidence;
	char engine[128];
};

/* The recognised pages of a PDF, by page, for a reader of the case
 * (WQ_CASE_READ); none for a PDF whose pages all have text of their own,
 * or that is not read yet.  *pages malloc'd (wq_page_texts_free). */
enum wq_err wq_evidence_page_texts(struct wq_store *store,
				   const struct wq_user *actor,
				   int64_t evidence_id,
				   struct wq_page_text **pages, size_t *n);
void wq_page_texts_free(struct wq_page_text *pages, size_t n);

/* How many jobs wait (queued, or claimed and not yet done). */
enum wq_err wq_jobs_waiting(struct wq_store *store, int64_t *count);

#endif
