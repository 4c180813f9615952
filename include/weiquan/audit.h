/* weiquan: the audit chain.
 *
 * Every change appends one event: time, actor, case, action, details (JSON),
 * the previous event's hash and its own SHA-256 over all of these.  Triggers
 * refuse UPDATE and DELETE; wq_audit_verify() proves the rest. */
#ifndef WEIQUAN_AUDIT_H
#define WEIQUAN_AUDIT_H

#include <stdint.h>

#include "weiquan/store.h"

/* Appends an event inside the caller's write transaction.  case_id 0 means
 * an event about no case (users, calendar, settings).  details must be a
 * JSON object. */
enum wq_err wq_audit_append(struct wq_store *store, const char *actor,
			    int64_t case_id, const char *action,
			    const char *details, int64_t *event_id);

struct wq_audit_report {
	int64_t checked;     /* events whose hash was recomputed */
	int64_t first_bad;   /* id of the first broken event, 0 if none */
	char why[160];       /* what is wrong with it */
};

/* Walks the whole chain.  Returns WQ_ERR_AUDIT (report filled in) when an
 * event's hash, its link to the previous event or the id sequence is wrong. */
enum wq_err wq_audit_verify(struct wq_store *store,
			    struct wq_audit_report *report);

#endif
