/* Which cases other sessions changed (weiquan/changes.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "weiquan/changes.h"

static enum wq_err newest_event(struct wq_store *store, int64_t *id)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store, "SELECT coalesce(max(id), 0) FROM events",
			       &st);
	if (err)
		return err;
	if (wq_step(st) == WQ_ROW)
		*id = wq_column_int64(st, 0);
	else
		err = wq_store_error(store, "changes");
	wq_store_finalize(store, st);
	return err;
}

static void add_case(struct wq_changes *ch, int64_t id)
{
	if (wq_changes_touch(ch, id))
		return;
	ch->case_ids =
	    wq_xrealloc(ch->case_ids, (ch->n + 1) * sizeof(*ch->case_ids));
	ch->case_ids[ch->n++] = id;
}

/* What the database named since the last take (wq_store_tells_changes). */
static enum wq_err take_told(struct wq_store *store, struct wq_changes *ch)
{
	int64_t *ids;
	size_t n;
	bool everything;
	enum wq_err err = wq_store_take_changes(store, &ids, &n, &everything);

	ch->everything = everything || err != WQ_ERR_OK;
	for (size_t i = 0; i < n && !ch->everything; i++)
		add_case(ch, ids[i]);
	free(ids);
	return err;
}

enum wq_err wq_changes_start(struct wq_store *store, struct wq_changes *ch)
{
	memset(ch, 0, sizeof(*ch));
	if (wq_store_tells_changes(store)) {
		/* What was told before the start is no news. */
		enum wq_err err = take_told(store, ch);

		ch->n = 0;
		ch->everything = false;
		return err;
	}
	return newest_event(store, &ch->through);
}


enum wq_err wq_changes_next(struct wq_store *store, struct wq_changes *ch)
{
	struct wq_stmt *st;
	enum wq_err err;
	size_t events = 0;
	int rc;

	ch->n = 0;
	ch->everything = false;
	if (wq_store_tells_changes(store))
		return take_told(store, ch);
	err = wq_store_prepare(store,
			       "SELECT id, case_id FROM events WHERE id > ?1"
			       " ORDER BY id LIMIT ?2",
			       &st);
	if (err) {
		ch->everything = true;
		return err;
	}
	wq_bind_int64(st, 1, ch->through);
	wq_bind_int(st, 2, WQ_CHANGES_MAX + 1);
	while ((rc = wq_step(st)) == WQ_ROW) {
		events++;
		ch->through = wq_column_int64(st, 0);
		if (wq_column_is_null(st, 1))
			ch->everything = true;
		else
			add_case(ch, wq_column_int64(st, 1));
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "changes");
	wq_store_finalize(store, st);
	/* No event to tell by, or too many to name: from the newest on. */
	if (err || events == 0 || events > WQ_CHANGES_MAX)
		ch->everything = true;
	if (!err && events > WQ_CHANGES_MAX)
		err = newest_event(store, &ch->through);
	return err;
}

bool wq_changes_touch(const struct wq_changes *ch, int64_t case_id)
{
	if (ch->everything)
		return true;
	for (size_t i = 0; i < ch->n; i++)
		if (ch->case_ids[i] == case_id)
			return true;
	return false;
}

void wq_changes_free(struct wq_changes *ch)
{
	free(ch->case_ids);
	memset(ch, 0, sizeof(*ch));
}
