/* weiquan: cross-region diversion (串货) cases and report (举报) cases.
 *
 * A diversion case is a contract dispute between a brand and its
 * distributor, not a consumer complaint (DOMAIN.md): the brand owner is
 * the complainant, the distributor the respondent.  What the dispute is
 * about lives in a row of its own (diversions): the brand, the region the
 * distributor is authorised to sell in, where the goods were found, the
 * batch and anti-counterfeiting codes, the contract's region clause and
 * the penalty it sets, and the code-scan trace.  Its figures are its own
 * (by region) and it never counts in the consumer-complaint or 12315
 * publicity figures.
 *
 * A report (举报) is a case of its own type that runs the report track
 * (rules.c); its reporter is the complainant.  A real-name reporter is
 * told of the decision on filing; an anonymous one cannot be. */
#ifndef WEIQUAN_DIVERSION_H
#define WEIQUAN_DIVERSION_H

#include <stdbool.h>
#include <stdint.h>

#include "weiquan/store.h"
#include "weiquan/user.h"

struct wq_diversion {
	const char *brand;	       /* required */
	const char *authorised_region; /* required: where the distributor
					  may sell */
	const char *found_region;      /* required: where the goods were
					  found */
	const char *batch;	       /* batch (lot) number */
	const char *codes;	       /* anti-counterfeiting / trace codes */
	const char *clause;	       /* the contract's region clause */
	int64_t penalty_fen;	       /* the penalty the clause sets, -1
					  when it sets none or is unknown */
	const char *trace;	       /* the code-scan trace: where each
					  code was planned and scanned */
};

/* Records the details of diversion case case_id inside the caller's
 * write transaction (after wq_case_create_tx), with a "diversion" audit
 * event.  WQ_ERR_INVALID for a case of another type or a missing field. */
enum wq_err wq_diversion_add_tx(struct wq_store *store,
				const struct wq_user *actor, int64_t case_id,
				const struct wq_diversion *d);

/* The details as a JSON object (malloc'd), "null" when the case has none. */
char *wq_diversion_json(struct wq_store *store, int64_t case_id);

/* Whether the reporter of a report case gave their identity and a way to
 * be told (a phone or an ID number, and a name other than "anonymous"):
 * only a real-name reporter is told of the decision. */
bool wq_report_real_name(struct wq_store *store, int64_t case_id);

#endif
