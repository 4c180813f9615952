/* weiquan: import and export of cases as CSV or JSON files.
 *
 * One record per case, with the fields of WQ_TRANSFER_FIELDS in that order:
 * the CSV header row names them exactly; JSON is an array of objects with
 * those keys, except that "amount" (yuan with two decimals, "1299.00") is
 * "amount_fen" (an integer) there.  "statement" is the complainant's first
 * statement.  An export imported into a fresh database and exported again
 * gives the same bytes.
 *
 * Files are converted to UTF-8 at the edge (encoding.h): an import's bytes
 * are detected or decoded as the encoding given; an export is written as
 * UTF-8 without a BOM or as GB18030 for desk spreadsheets. */
#ifndef WEIQUAN_TRANSFER_H
#define WEIQUAN_TRANSFER_H

#include <stdio.h>

#include "weiquan/case.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

/* X(field) in file order; the index of a field is WQ_TF_<field>. */
#define WQ_TRANSFER_FIELDS(X)                                                  \
	X(number) X(type) X(category) X(region) X(status) X(substate)         \
	X(assignee) X(received_at) X(consumer_name) X(consumer_phone)          \
	X(consumer_id_number) X(merchant_name) X(merchant_platform)            \
	X(merchant_shop_id) X(merchant_region) X(order_no) X(amount)           \
	X(order_date) X(remedy) X(statement)

enum wq_transfer_field {
#define WQ_TF_ENUM(f) WQ_TF_##f,
	WQ_TRANSFER_FIELDS(WQ_TF_ENUM)
#undef WQ_TF_ENUM
	WQ_TF_COUNT_
};

/* The CSV column name of a field ("amount"); NULL when out of range. */
const char *wq_transfer_field_name(enum wq_transfer_field field);

enum wq_import_phase {
	WQ_IMPORT_CHECKING,    /* records checked against the database */
	WQ_IMPORT_WRITING,     /* records written (committed) */
};

struct wq_import_opts {
	const char *path;
	const char *format;    /* "csv", "json"; NULL: by the file name's
				  extension (.csv, .json), else sniffed */
	const char *encoding;  /* NULL or "auto": detected; else a name that
				  wq_enc_parse() knows */
	const char *reason;    /* why cases carry a received_at in the past:
				  needed for those, from an admin, and kept
				  in each one's "create" event */
	size_t skip;           /* records at the start of the file that an
				  earlier, interrupted import wrote: parsed
				  and checked as syntax, not written */
	/* Called now and then (may be NULL): done of total records have
	 * passed the phase. */
	void (*progress)(void *ctx, enum wq_import_phase phase, size_t done,
			 size_t total);
	void *progress_ctx;
};

struct wq_import_result {
	int cases;             /* cases created (committed) */
	char encoding[24];     /* detected or given, canonical (wq_enc_name) */
	char format[8];        /* "csv" or "json" */
};

/* Creates one case per record through wq_case_create_tx().  Every record
 * is parsed and checked (also against the database) before the first is
 * written, so a bad record fails the whole file (WQ_ERR_PARSE, or the
 * core's error) and nothing is imported.  The detail names the file, where
 * in it (CSV: "cases.csv:7:", the physical line the record starts on; JSON:
 * "cases.json:[6]:", the 0-based array index) and the field.  An empty
 * number takes the next one; an existing number, or one twice in the file,
 * is an error.  status, substate and assignee are passed to the core,
 * which lets only an admin set them.
 *
 * The records are then written in file order in batches of short write
 * transactions, so other sessions write in between.  Should a batch fail
 * (a full disk, the lock held by others past the writers' wait), it is
 * rolled back, the batches before it stay, res->cases says how many
 * records they hold, and the detail says to import the rest with skip set
 * to that (see write_all() in transfer.c for why).  res is filled in as
 * far as known, also on failure (encoding, format). */
enum wq_err wq_transfer_import(struct wq_store *store,
			       const struct wq_user *actor,
			       const struct wq_import_opts *opts,
			       struct wq_import_result *res);

/* Writes the cases that filter selects (NULL: all) to out, ordered by case
 * id.  The filter is wq_case_list's, except that status NULL means "all"
 * (an export is a dump, the queue shows open cases), order is ignored, a
 * limit <= 0 means no limit, and after is refused (export does not page).
 * format: "csv" (NULL) or "json"; encoding: "utf-8" (NULL) or "gb18030".
 * A desk exports only the cases it registered, as in the queue.  Phone and
 * ID numbers are masked (138******78, 1101************34) unless the actor
 * is a supervisor or an admin.  *count (may be NULL) receives the number
 * of cases written. */
enum wq_err wq_transfer_export(struct wq_store *store,
			       const struct wq_user *actor,
			       const struct wq_filter *filter,
			       const char *format, const char *encoding,
			       FILE *out, int *count);

#endif
