/* weiquan: what case.c shares with rules.c (not public API). */
#ifndef WEIQUAN_CASE_INTERNAL_H
#define WEIQUAN_CASE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/case.h"

/* The filter's drill-down fields are well formed (dates, a flag name,
 * which *mask receives); WQ_ERR_INVALID saying which is not.  Shared by
 * the queue and the export, which select the same cases. */
enum wq_err case_check_filter(const struct wq_filter *f, unsigned *mask);
/* The UTC time (as received_at is written) the installation's day `day`
 * (YYYY-MM-DD, a Beijing date) starts, `plus` days later. */
bool case_local_day_start(const char *day, int plus, char out[21]);

/* SQL: the regime case row `c` follows: the one recorded when it was
 * received (schema 32: a column of its row), else, for a case made with
 * no regime recorded, the active one; NULL with none active. */
#define CASE_REGIME(c)                                                         \
	"coalesce(nullif(" c ".regime, ''),"                                   \
	" (SELECT value FROM settings WHERE key = 'regime'))"

/* SQL: whether the running clock's figure of case row c is one the
 * case's regime (CASE_REGIME, as wq_case_detail_load reads it) marks
 * checked against the official text: 1 or 0.  The queue and the inbox
 * read it; a statutory clock (wq_statute_clock) carries its own mark.
 * The case's regime is looked up only for a clock some regime has
 * checked. */
#define DUE_VERIFIED                                                           \
	"CASE WHEN EXISTS (SELECT 1 FROM clock_sources s WHERE"                \
	" s.clock = c.clock AND s.verified <> 0) THEN"                         \
	" coalesce((SELECT s.verified FROM clock_sources s"                    \
	" WHERE s.clock = c.clock AND s.regime = " CASE_REGIME("c") "), 0)"  \
	" ELSE 0 END"

/* The mutable part of a case row: what rulings read and write. */
struct case_core {
	int64_t id;
	int64_t version;
	char number[32];
	char type[16];
	char status[24];
	char substate[24];
	char review_from[24];
	char reason[48];
	char assignee[64];       /* "" when unassigned */
	char report[48];
	unsigned flags;
	int64_t consumer_id, merchant_id;
	int64_t amount_fen;
	int64_t duplicate_of;    /* 0 when none */
	int64_t group_id;        /* 0 when none */
	char clock[16];
	char due_on[11];         /* "" when no clock runs */
	char *clocks;            /* JSON, owned */
	char regime[48];         /* "": from before regimes were recorded */
	char region[64];         /* the handling region (cases.region) */
};

/* Particulars a case records by a ruling of their own, read back from
 * its newest such event (the audit chain is their record): argument i of
 * the newest `action` event of the case (with argument 0 equal to `first`
 * when given; a party's address is `address PARTY ADDRESS`) at or before
 * `until` (NULL: any), malloc'd; NULL when there is none. */
char *case_latest_arg(struct wq_store *store, int64_t case_id,
		      const char *action, const char *first, int i,
		      const char *until);

enum wq_err case_core_load(struct wq_store *store, int64_t case_id,
			   struct case_core *c);
void case_core_free(struct case_core *c);

/* Writes `after` over the row if its version is still before->version,
 * bumps the version and appends the audit event whose details are
 * {"args": args_json, "set": <the fields that changed>}. */
enum wq_err case_core_save(struct wq_store *store, const char *actor,
			   const struct case_core *before,
			   struct case_core *after, const char *action,
			   const char *args_json, int64_t *event_id);

/* The case's last statement id (0: none), and the statements added after
 * after_id as the events record them, [{"id", "party", "sha256"}...]
 * (malloc'd; NULL when there are none). */
int64_t case_last_statement(struct wq_store *store, int64_t case_id);
char *case_statements_since(struct wq_store *store, int64_t case_id,
			    int64_t after_id);

/* A JSON string literal of s (quotes included; NULL as ""), quoted as the
 * details written before quoted it (json_text.h). */
char *case_json_quote(const char *s);

/* The case row as one JSON object, ?1 its id: what the creation event's
 * "set" holds and what replaying its events must give again (audit.c),
 * byte for byte as SQLite's json_object() wrote it before the modules
 * spoke the common dialect (malloc'd; NULL on an error). */
char *case_snapshot(struct wq_store *store, int64_t id);

bool case_is_closed_status(const char *status);

/* The id of case number, if actor may read it (wq_case_may_read), else
 * WQ_ERR_DENIED saying why. */
enum wq_err case_id_to_read(struct wq_store *store, const struct wq_user *actor,
			    const char *number, int64_t *case_id);

/* Evidence of case case_id, or (group_id != 0) shared evidence of a
 * collective group: the original bytes, their SHA-256, the encoding (given,
 * or detected) and the UTF-8 text, with its audit event. */
enum wq_err case_evidence_add(struct wq_store *store,
			      const struct wq_user *actor, int64_t case_id,
			      int64_t group_id, const char *kind,
			      const char *party, const char *file_name,
			      const void *bytes, size_t len,
			      const char *enc_name, int64_t *evidence_id);

/* Adds a document of the case just stored (a statement, evidence with a
 * text form, text read from an image) to the search index; its ordinal
 * among the case's documents is how many there were before it. */
enum wq_err case_index_text(struct wq_store *store, int64_t case_id,
			    const char *text);

/* WQ_ERR_INVALID naming field and the first bad byte unless s (or NULL)
 * is valid UTF-8: text that is not is refused, never stored changed. */
enum wq_err case_check_utf8(const char *field, const char *s);

/* Since when a case in review has waited: the ruling that put it there
 * (submit: first review; approve: final review), the case's latest such
 * event, else its last change.  review_waits keeps it for each case in
 * review (schema version 21, src/schema.c's REVIEW_WAIT_SINCE: keep the
 * two alike), one row by the case's id, read for the cases in review
 * alone: reading the events instead cost each of them a walk of
 * events_by_case, which at a million cases is a few pages that no other
 * row shares. */
#define REVIEW_SINCE                                                           \
	"(CASE WHEN c.status IN ('first_review', 'final_review') THEN"        \
	" (SELECT rw.since FROM review_waits rw WHERE rw.case_id = c.id) END)"

#endif
