#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/bulk.h"
#include "weiquan/case.h"
#include "util.h"

static const char *const bulk_actions[] = {"claim", "assign", "release",
					   "flag", NULL};

bool wq_bulk_action(const char *action)
{
	for (int i = 0; action && bulk_actions[i]; i++)
		if (strcmp(bulk_actions[i], action) == 0)
			return true;
	return false;
}

enum wq_err wq_bulk_rule(struct wq_store *store, const struct wq_user *actor,
			 const struct wq_ruling *r,
			 const char *const *numbers, const int64_t *versions,
			 size_t n, struct wq_bulk_outcome **outcomes)
{
	struct wq_bulk_outcome *out;
	enum wq_err err;

	*outcomes = NULL;
	if (!wq_bulk_action(r->action))
		return wq_fail(
		    WQ_ERR_INVALID,
		    N_("'%s' is ruled on one case at a time; in bulk: "
		       "claim, assign, release, flag"),
		    wq_code_label("action", r->action));
	if (n == 0)
		return wq_fail(WQ_ERR_INVALID, N_("no case given"));
	err = wq_store_begin_write(store);
	if (err)
		return err;
	out = wq_xcalloc(n, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct wq_bulk_outcome *o = &out[i];
		struct wq_ruling one = *r;
		int64_t id = 0;
		size_t mark;

		snprintf(o->number, sizeof(o->number), "%s", numbers[i]);
		one.expect_version = versions ? versions[i] : 0;
		/* the same case twice is one ruling, not a refusal */
		for (size_t k = 0; k < i && !o->err; k++)
			if (strcmp(numbers[k], numbers[i]) == 0)
				o->err = WQ_ERR_EXISTS;
		if (o->err) {
			snprintf(o->why, sizeof(o->why), "%s",
				 wq_text(N_("given twice")));
			continue;
		}
		wq_err_clear();
		mark = wq_store_savepoint(store);
		o->err = wq_case_id_by_number(store, numbers[i], &id);
		if (!o->err)
			o->err = wq_rule_tx(store, actor, id, &one, &o->result);
		if (o->err) {
			snprintf(o->why, sizeof(o->why), "%s",
				 *wq_err_detail()
				     ? wq_err_detail()
				     : wq_text(wq_strerror(o->err)));
			wq_store_undo_to(store, mark);
		} else {
			wq_store_keep(store);
		}
		if (o->err == WQ_ERR_BUSY || o->err == WQ_ERR_DB ||
		    o->err == WQ_ERR_NOMEM || o->err == WQ_ERR_FULL) {
			err = o->err;
			break;
		}
	}
	if (err)
		wq_store_rollback(store);
	else
		err = wq_store_commit(store);
	if (err) {
		free(out);
		return err;
	}
	*outcomes = out;
	return WQ_ERR_OK;
}
