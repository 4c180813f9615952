/* weiquan: one case as the console shows it — header, parties, clocks,
 * statements, evidence, offers and the event timeline — loaded in one read
 * transaction, with personal data masked for the actor's role. */
#ifndef WEIQUAN_CASEDETAIL_H
#define WEIQUAN_CASEDETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/case.h"
#include "weiquan/worker.h"

struct wq_clock_view {
	char name[16];
	char start[11], due[11], paused[11], stopped[11];
	int days_left;            /* working days to due (calendar days
				     when calendar_days); < 0 overdue */
	bool calendar_days;       /* a statutory clock (weiquan/clock.h) */
	bool uncertain;
	bool unverified;          /* its figure not checked against the
				     official text (the regime file says) */
};

struct wq_statement_view {
	int64_t id;
	char party[16];
	char author[64];
	char at[21];
	char *text;
};

struct wq_evidence_view {
	int64_t id;
	char kind[16], party[16], encoding[16], sha256[65];
	char *file_name;
	int64_t size;
	char added_by[64], added_at[21];
	bool shared;              /* the collective group's, id negated */
	char order_date[11];      /* the case's, for weighing a photo's
				     capture date; "" for shared evidence */
	char case_type[16];       /* the case's (how its parties are
				     named); "" for shared evidence */
	enum wq_read_state reading; /* its text, read by the worker */
	int64_t duplicate_of;     /* the same file attached before, or 0 */
};

struct wq_offer_view {
	int64_t id, answers, amount_fen;
	char party[16], remedy[16], state[16], at[21], recorded_by[64];
	char *terms;
};

struct wq_event_view {
	int64_t id;
	char at[21], actor[64], action[24];
	char *summary;            /* the event's arguments, as text */
	char **argv;              /* the same one by one (codes as given:
				     the screens label them) */
	int argc;
	char to_status[24];       /* the status it led to, "" unchanged */
};

struct wq_case_detail {
	struct wq_case_row row;   /* the queue's fields */
	char reason[48], review_from[24], report[48];
	char order_no[64], order_date[11], remedy[16], platform[64];
	char *consumer_name, *consumer_phone, *consumer_id_number;
	char *merchant_shop_id, *merchant_region, *merchant_platform;
	int64_t merchant_complaints, merchant_settled, merchant_failed;
	int64_t merchant_unperformed, merchant_penalties;
	char duplicate_of[32];
	int64_t group_id;         /* collective group, 0 when none */
	char *group_title, *group_facts;
	int64_t group_members;
	int64_t merchant_id;
	char regime[48];          /* the regime it follows (its grounds) */
	/* Recorded by rulings of their own, "" when not: the ground for
	 * handling it where the platform operator is domiciled and that
	 * region, and the bureau that entrusted the mediation. */
	char seat_ground[32];
	char *platform_domicile, *entrusted_by;
	struct wq_clock_view clocks[8];
	int nclocks;
	struct wq_statement_view *statements;
	size_t nstatements;
	struct wq_evidence_view *evidence;
	size_t nevidence;
	struct wq_offer_view *offers;
	size_t noffers;
	struct wq_event_view *events;
	size_t nevents;
	/* A diversion case's dispute (diversion.h); brand NULL when the case
	 * has none.  Penalties in fen, -1 when not set. */
	struct {
		char *brand, *authorised_region, *found_region, *batch;
		char *clause;
		int64_t penalty_fen, agreed_penalty_fen;
	} diversion;
};

enum wq_err wq_case_detail_load(struct wq_store *store,
				const struct wq_user *actor,
				const char *number,
				struct wq_case_detail **out);
void wq_case_detail_free(struct wq_case_detail **detail);

/* A collective group's shared evidence (ids negated, shared set), and
 * freeing such a list. */
enum wq_err wq_group_evidence_list(struct wq_store *store, int64_t group_id,
				   struct wq_evidence_view **v, size_t *n);
void wq_evidence_views_free(struct wq_evidence_view *v, size_t n);

/* One evidence item's bytes and text form (malloc'd; text NULL for binary
 * or undecodable files). */
enum wq_err wq_evidence_load(struct wq_store *store, const struct wq_user *actor,
			     int64_t evidence_id, char **bytes, size_t *len,
			     char **text);

/* The order date ("YYYY-MM-DD", or "") of the case an evidence item
 * belongs to, for weighing a photo's capture date; "" for a group's
 * shared evidence.  Call after wq_evidence_load() has authorised the
 * actor. */
enum wq_err wq_evidence_order_date(struct wq_store *store, int64_t evidence_id,
				   char order_date[11]);

#endif
