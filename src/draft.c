#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "weiquan/draft.h"
#include "weiquan/wqtime.h"
#include "util.h"

enum wq_err wq_draft_save(struct wq_store *store, const struct wq_user *user,
			  int64_t case_id, const char *field,
			  const char *text)
{
	struct wq_stmt *st;
	enum wq_err err;
	char at[21];

	if (!text || !*text)
		return wq_draft_delete(store, user, case_id, field);
	wq_time_format(wq_now(), at);
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_store_prepare(store,
			       "INSERT INTO drafts(login, case_id, field, text,"
			       " updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
			       " ON CONFLICT(login, case_id, field) DO UPDATE"
			       " SET text = ?4, updated_at = ?5",
			       &st);
	if (!err) {
		wq_bind_text(st, 1, user->login);
		wq_bind_int64(st, 2, case_id);
		wq_bind_text(st, 3, field);
		wq_bind_text(st, 4, text);
		wq_bind_text(st, 5, at);
		if (wq_step(st) != WQ_DONE)
			err = wq_store_error(store, "draft");
		wq_store_finalize(store, st);
	}
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}

enum wq_err wq_draft_load(struct wq_store *store, const struct wq_user *user,
			  int64_t case_id, const char *field, char **text)
{
	struct wq_stmt *st;
	enum wq_err err;

	*text = NULL;
	err = wq_store_prepare(store,
			       "SELECT text FROM drafts WHERE login = ?1 AND"
			       " case_id = ?2 AND field = ?3",
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, user->login);
	wq_bind_int64(st, 2, case_id);
	wq_bind_text(st, 3, field);
	if (wq_step(st) == WQ_ROW)
		*text = wq_strdup(wq_column_text_or_null(st, 0));
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

enum wq_err wq_draft_delete(struct wq_store *store,
			    const struct wq_user *user, int64_t case_id,
			    const char *field)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_store_prepare(store,
			       "DELETE FROM drafts WHERE login = ?1 AND"
			       " case_id = ?2 AND field = ?3",
			       &st);
	if (!err) {
		wq_bind_text(st, 1, user->login);
		wq_bind_int64(st, 2, case_id);
		wq_bind_text(st, 3, field);
		if (wq_step(st) != WQ_DONE)
			err = wq_store_error(store, "draft");
		wq_store_finalize(store, st);
	}
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	return wq_store_commit(store);
}
