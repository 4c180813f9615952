/* weiquan: which cases other sessions changed, so that a console reloads
 * what concerns it rather than everything on every commit.
 *
 * Every write to a case records an audit event in the same transaction,
 * so the events above the last one a console saw name the cases that
 * changed.  Where they cannot tell (a commit that wrote no event, such as
 * a new user or the worker's recognised text; an event of no single case,
 * such as a merchant's mark; more than WQ_CHANGES_MAX events at once) the
 * answer is "everything", and the console reloads as a whole.  Where the
 * database tells the cases itself (PostgreSQL's NOTIFY, whose event ids
 * from a sequence are not in commit order), its word is taken instead
 * (wq_store_take_changes); `through` is then unused. */
#ifndef WEIQUAN_CHANGES_H
#define WEIQUAN_CHANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/err.h"
#include "weiquan/store.h"

#define WQ_CHANGES_MAX 512

struct wq_changes {
	int64_t through;   /* the newest event seen */
	bool everything;   /* reload all: the cases can't be told */
	int64_t *case_ids; /* the cases changed, each once */
	size_t n;
};

/* Starts watching from the newest event now. */
enum wq_err wq_changes_start(struct wq_store *store, struct wq_changes *ch);

/* After another session committed (wq_store_data_version moved): the
 * cases its events name since ch->through, which moves on. */
enum wq_err wq_changes_next(struct wq_store *store, struct wq_changes *ch);

bool wq_changes_touch(const struct wq_changes *ch, int64_t case_id);

void wq_changes_free(struct wq_changes *ch);

#endif
