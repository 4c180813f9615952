/* weiquan: one ruling on several cases picked by hand (the queue's marks,
 * `weiquan case assign --to LOGIN NUMBER...`).
 *
 * Only the rulings that move cases between people or mark them are
 * offered in bulk (claim, assign, release, flag): a ruling on the merits
 * reads one case at a time.  All the cases are ruled on in one write,
 * each in its own savepoint, so each gets its own audit event, and a case
 * the ruling does not fit (closed, someone else's, changed since the
 * queue showed it) is refused on its own and left as it was. */
#ifndef WEIQUAN_BULK_H
#define WEIQUAN_BULK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/rules.h"

struct wq_bulk_outcome {
	char number[32];
	enum wq_err err;          /* WQ_ERR_OK: ruled on */
	char why[256];            /* the refusal, when err */
	struct wq_ruling_result result;
};

/* Whether a ruling of that name may be asked in bulk. */
bool wq_bulk_action(const char *action);

/* Applies r to each case of numbers[] (versions[i] > 0: refused if the
 * case changed since; versions may be NULL).  outcomes receives n
 * outcomes, in the order given (free() it).  The return is an error
 * only when nothing could be written at all (bad action, busy or broken
 * database); refusals of single cases are in the outcomes. */
enum wq_err wq_bulk_rule(struct wq_store *store, const struct wq_user *actor,
			 const struct wq_ruling *r,
			 const char *const *numbers, const int64_t *versions,
			 size_t n, struct wq_bulk_outcome **outcomes);

#endif
