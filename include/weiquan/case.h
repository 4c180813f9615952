/* weiquan: cases — intake, reading one case, the queue.
 *
 * A case's status changes only through the rulings (rules.h).  Creating a
 * case, like every change, writes its audit event in the same transaction. */
#ifndef WEIQUAN_CASE_H
#define WEIQUAN_CASE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "weiquan/store.h"
#include "weiquan/user.h"
#include "weiquan/vocab.h"

#define WQ_CASE_TYPES "complaint ip diversion report"
#define WQ_REMEDIES "refund return exchange repair compensation"

/* Flags beside the status: WQ_FLAG_LIST (vocab.h). */
enum wq_flag_bit {
#define WQ_FLAG_ENUM(id, name, finding) WQ_FLAG_BIT_##id,
	WQ_FLAG_LIST(WQ_FLAG_ENUM)
#undef WQ_FLAG_ENUM
	WQ_FLAG_COUNT_
};
#define WQ_FLAG(id) (1u << WQ_FLAG_BIT_##id)

/* The largest amount weiquan takes anywhere (an order, an offer, a loss
 * for damages): 100 million yuan, in fen.  Far beyond any consumer order,
 * and ten times it (food-safety damages) is far from overflowing. */
#define WQ_AMOUNT_MAX_FEN ((int64_t)100000000 * 100)

/* The longest text a party's statement or a note may be, in characters,
 * whichever way it comes in (console, command line, import, intake):
 * longer texts are attached as evidence. */
#define WQ_STATEMENT_MAX_CHARS 20000

/* Amounts are typed in yuan: "1299", "1299.5", "1299.50" (no sign, no
 * thousands separators, at most two decimals, at most WQ_AMOUNT_MAX_FEN). */
bool wq_amount_parse(const char *yuan, int64_t *fen);

/* Whether s (UTF-8; NULL is empty) is longer than WQ_STATEMENT_MAX_CHARS
 * characters. */
bool wq_statement_too_long(const char *s);

const char *wq_flag_name(unsigned bit);
bool wq_flag_parse(const char *name, unsigned *flag);

/* What intake needs.  NULL or "" leaves a field empty; required: type,
 * category, consumer_name, merchant_name, statement. */
struct wq_intake {
	const char *number;       /* NULL: the next WQ-YYYY-NNNNNN */
	const char *type;         /* complaint | ip | diversion | report */
	const char *category;     /* a categories.code */
	const char *region;
	const char *consumer_name, *consumer_phone, *consumer_id_number;
	const char *merchant_name, *merchant_platform, *merchant_shop_id;
	const char *merchant_region;
	const char *order_no;
	int64_t amount_fen;
	const char *order_date;   /* YYYY-MM-DD */
	const char *remedy;       /* one of WQ_REMEDIES */
	const char *statement;    /* the complainant's first statement */
	const char *received_at;  /* UTC timestamp; NULL: now.  Never in the
				     future; earlier than now only by an
				     admin, with received_at_reason */
	/* Only for administrators' imports from another system: */
	const char *received_at_reason; /* why a case is backdated; kept in
					   its "create" audit event */
	const char *status;       /* NULL: received */
	const char *substate;
	const char *assignee;
};

/* Registers a complaint in its own write transaction. */
enum wq_err wq_case_create(struct wq_store *store, const struct wq_user *actor,
			   const struct wq_intake *in, int64_t *case_id,
			   char number[32]);
/* The same inside a write transaction the caller holds (imports, demo). */
enum wq_err wq_case_create_tx(struct wq_store *store,
			      const struct wq_user *actor,
			      const struct wq_intake *in, int64_t *case_id,
			      char number[32]);

enum wq_err wq_case_id_by_number(struct wq_store *store, const char *number,
				 int64_t *case_id);

/* Case numbers have one shape, WQ-YYYY-NNNNNN (four digits of year, six
 * of sequence): what intake gives, what import accepts and what every
 * lookup by number takes.  Anything else (a path, an escape sequence) is
 * no case number. */
#define WQ_CASE_NUMBER_FORMAT "WQ-YYYY-NNNNNN"
bool wq_case_number_valid(const char *number);

/* What a user asks to do with one case (wq_case_authorize). */
enum wq_case_op {
	WQ_CASE_READ,     /* see it: detail, show, history, evidence, receipt,
			     a group's member list */
	WQ_CASE_CHANGE,   /* a ruling, statement or note */
	WQ_CASE_CLAIM,    /* take it: how a case becomes a mediator's */
	WQ_CASE_EVIDENCE, /* attach evidence */
	WQ_CASE_GROUP,    /* join or leave a collective group */
};

/* The one decision of whether actor may do op with the case, used by every
 * path that reads or changes a case (rulings, statements, evidence, groups,
 * the detail, show and receipt):
 *   desk        reads and changes only the cases it registered;
 *   mediator    reads every case; changes the cases assigned to it (claim
 *               is how a case becomes its own); attaches evidence also to
 *               an unassigned case it registered itself (intake);
 *   supervisor  reads and changes every case;
 *   admin       reads every case, changes only what it registered (an
 *               admin's changes are imports).
 * Which actions a role may take at all is the ruling table's (rules.c).
 * WQ_ERR_DENIED with a detail naming the case, WQ_ERR_NOT_FOUND if there
 * is no such case. */
enum wq_err wq_case_authorize(struct wq_store *store,
			      const struct wq_user *actor, int64_t case_id,
			      enum wq_case_op op);

/* What wq_case_create_tx() checks of in before it writes anything, without
 * writing: an import checks every record before its first write. */
enum wq_err wq_case_check_intake(const struct wq_user *actor,
				 const struct wq_intake *in);

/* An imported case keeps its number (WQ-YYYY-NNNNNN); the year's counter
 * moves past it so that no new case takes it.  Inside a write. */
enum wq_err wq_case_number_reserve(struct wq_store *store,
				   const char *number);


/* Appends a statement (party: complainant | respondent | mediator). */
enum wq_err wq_statement_add_tx(struct wq_store *store,
				const struct wq_user *actor, int64_t case_id,
				const char *party, const char *text);

/* Attaches evidence: keeps the original bytes, their SHA-256, the detected
 * (or given, enc_name != NULL) encoding and the UTF-8 text form; an image
 * is queued for the worker to read its text (weiquan/worker.h). */
enum wq_err wq_evidence_add_tx(struct wq_store *store,
			       const struct wq_user *actor, int64_t case_id,
			       const char *kind, const char *party,
			       const char *file_name, const void *bytes,
			       size_t len, const char *enc_name,
			       int64_t *evidence_id);
/* The first evidence of the same case with the same SHA-256 as
 * evidence_id, attached before it, or 0: the same file attached again is
 * flagged, not refused (a party may send the same screenshot twice). */
enum wq_err wq_evidence_duplicate_of(struct wq_store *store,
				     int64_t evidence_id, int64_t *earlier);

/* One row of the queue. */
struct wq_case_row {
	int64_t id;
	int64_t version;
	char number[32];
	char type[16];
	char status[24];
	char substate[24];
	char category[16];
	char region[64];
	char merchant[128];
	bool merchant_repeat, merchant_blacklisted;
	int64_t merchant_id;
	char consumer[64];        /* a lookup's (wq_case_reader, wq_case_find);
				     "" in a list's page, which no list shows */
	int64_t amount_fen;
	char received_at[21];
	char clock[16];
	char due_on[11];          /* "" when no clock runs */
	int days_left;            /* working days to due_on, calendar days
				     for a statutory clock
				     (wq_statute_clock); < 0 overdue */
	bool days_uncertain;      /* the span passes a year not loaded */
	bool due_unverified;      /* due_on counted from a figure the case's
				     regime does not mark checked against
				     the official text: never shown as law */
	bool clock_paused;
	char assignee[64];
	unsigned flags;
	char follow_up_on[11];    /* an open case's pending follow-up (its
				     latest contact's), "" none; a closed
				     case has none (weiquan/contact.h) */
	int follow_up_days;       /* working days to it; < 0 overdue */
	char review_since[21];    /* in review: since when (the submit or
				     approve that put it there), else "" */
	int review_days;          /* working days waited in review so far */
};

struct wq_filter {
	const char *status;       /* a status, "open" (default) or "all" */
	const char *category;
	const char *region;
	const char *type;
	const char *assignee;     /* a login, "me" or "none" */
	const char *search;       /* full text, Chinese included */
	bool flagged;             /* only flagged cases or marked merchants */
	const char *follow_up_by; /* YYYY-MM-DD: only cases whose pending
				     follow-up is due by then */
	/* What a figure of the dashboard counts (its drill-down): */
	int64_t merchant_id;      /* > 0: only that merchant's cases */
	const char *clock;        /* only cases whose running clock is it */
	const char *due_from;     /* YYYY-MM-DD, inclusive: only cases whose */
	const char *due_to;       /* running clock, not paused, falls due in
				     the range (either end may be open) */
	const char *flag;         /* a flag name (wq_flag_name): only cases
				     carrying it */
	const char *received_from; /* YYYY-MM-DD, Beijing days, inclusive: */
	const char *received_to;   /* only cases received then */
	const char *order;        /* "review" (only the cases in review, the
				     longest waiting first), "due" (the
				     queue's default: soonest
				     first; a search's is newest first),
				     "received" (newest first), "amount"
				     (largest first), "status" (grouped by
				     status code), "merchant" (grouped by
				     merchant, in the order they were first
				     complained of) */
	bool reverse;             /* the order the other way round; a
				     search: oldest case first */
	const char *after;        /* the cursor of the previous page */
	int limit;                /* default 50, at most WQ_LIST_LIMIT_MAX */
};

/* The most documents a search in another order than newest first may
 * match: each of its pages reads them all. */
#define WQ_SEARCH_SORT_MAX 10000

/* The longest page wq_case_list gives; a longer one is WQ_ERR_INVALID. */
#define WQ_LIST_LIMIT_MAX 10000

struct wq_case_page {
	struct wq_case_row *rows;
	size_t count;
	char *next_cursor;        /* NULL on the last page */
};

/* One page of the queue in filter->order; with filter->search, each case
 * with a hit in its statements or evidence once: without an order, the
 * newest (highest id) first (the oldest with filter->reverse); with one,
 * in that order, when at most WQ_SEARCH_SORT_MAX statements and files
 * match (WQ_ERR_INVALID past that).  Following next_cursor to the end lists every
 * case the filter selects once.  WQ_ERR_INVALID for a limit above
 * WQ_LIST_LIMIT_MAX or a cursor that is not from this kind of list. */
enum wq_err wq_case_list(struct wq_store *store, const struct wq_user *actor,
			 const struct wq_filter *filter,
			 struct wq_case_page *page);
void wq_case_page_free(struct wq_case_page *page);

/* Sets r->review_days from r->review_since: working days waited, as of
 * local day `today`. */
struct wq_calendar;
void wq_case_row_review_days(struct wq_case_row *r,
			     const struct wq_calendar *cal, int today);
/* How many cases the filter selects (its search and paging ignored):
 * exact where a counter the triggers keep holds it (no filter, one filter
 * column, and each figure of the dashboard: wq_report_drill), else
 * counted up to WQ_COUNT_CAP, and WQ_COUNT_MORE past it. */
#define WQ_COUNT_CAP 10000
#define WQ_COUNT_MORE (-2)
enum wq_err wq_case_count(struct wq_store *store, const struct wq_user *actor,
			  const struct wq_filter *filter, int64_t *count);

/* Whether any of the cases ids is among those the filter selects now
 * (a queue asking whether another session's changes concern it).  A
 * search is not looked into: true. */
enum wq_err wq_case_filter_any(struct wq_store *store,
			       const struct wq_user *actor,
			       const struct wq_filter *filter,
			       const int64_t *ids, size_t n, bool *any);

/* Reads queue rows of single cases, each only if actor may read it
 * (wq_case_authorize's read rule, whatever its status): one prepared
 * statement for many lookups.  actor must outlive the reader. */
struct wq_case_reader;
enum wq_err wq_case_reader_new(struct wq_store *store,
			       const struct wq_user *actor,
			       struct wq_case_reader **reader);
/* WQ_ERR_NOT_FOUND when there is no such case or actor may not read it. */
enum wq_err wq_case_reader_get(struct wq_case_reader *reader, int64_t case_id,
			       struct wq_case_row *row);
void wq_case_reader_free(struct wq_case_reader **reader);

/* What a lookup (wq_case_find) found a case by. X(enum suffix, name) */
#define WQ_FIND_BY_LIST(X)                                                     \
	X(NUMBER, "number")                                                    \
	X(PHONE, "phone")                                                      \
	X(ID_NUMBER, "id-number")                                              \
	X(ORDER, "order")                                                      \
	X(SHOP, "shop-id")                                                     \
	X(CONSUMER, "consumer")

enum wq_find_by {
#define WQ_FIND_BY_ENUM(id, name) WQ_FIND_BY_##id,
	WQ_FIND_BY_LIST(WQ_FIND_BY_ENUM)
#undef WQ_FIND_BY_ENUM
	WQ_FIND_BY_COUNT_
};
const char *wq_find_by_name(enum wq_find_by by);
/* Its label, untranslated: the caller gives it to gettext. */
const char *wq_find_by_label(enum wq_find_by by);

struct wq_found {
	struct wq_case_row row;
	enum wq_find_by by;
	char value[128];          /* what matched (a phone, an order...) */
};

struct wq_find_result {
	struct wq_found *hits;
	size_t count;
	bool more;                /* more cases match than the limit */
};

/* The most cases one lookup gives. */
#define WQ_FIND_LIMIT_MAX 200

/* Looks cases up by what a caller gives, each an index lookup (exact or
 * prefix), not full text, so it answers at once at a million cases:
 *   the case number, whole (WQ-2026-000123) or without its prefix
 *   (2026-123, or 123 in any year, newest year first);
 *   the consumer's phone (spaces and dashes ignored) or ID number, a
 *   prefix of at least 3 characters, only for the roles that see it
 *   (wq_role_sees_phone, wq_role_sees_id_number);
 *   the order number or the merchant's shop ID, a prefix of at least
 *   2 characters;
 *   the consumer's name, a prefix.
 * Each case once, in that order of kinds; only the cases actor may read,
 * closed ones included.  limit 0 means 20.  WQ_ERR_INVALID for an empty
 * text or a limit above WQ_FIND_LIMIT_MAX. */
enum wq_err wq_case_find(struct wq_store *store, const struct wq_user *actor,
			 const char *text, int limit,
			 struct wq_find_result *result);
void wq_find_result_free(struct wq_find_result *result);

/* One case as JSON (header, parties with personal data masked unless the
 * actor's role needs it, clocks, statements, evidence metadata, offers,
 * agreements, events).  at != 0 rebuilds the case as it stood at that time
 * from its events. */
enum wq_err wq_case_show_json(struct wq_store *store,
			      const struct wq_user *actor, const char *number,
			      time_t at, char **json);

#endif
