/* weiquan: drafts of what a user is typing.
 *
 * The console saves a note, statement or agreement text as it is typed, so
 * a dropped SSH connection loses nothing: the draft is offered back the
 * next time that user opens that case.  Drafts are the user's own and are
 * not audited; the ruling that uses one is. */
#ifndef WEIQUAN_DRAFT_H
#define WEIQUAN_DRAFT_H

#include <stdint.h>

#include "weiquan/store.h"
#include "weiquan/user.h"

/* Saves (replaces) the draft of `field` ("note", "statement:respondent",
 * "agree"...) on a case; an empty text deletes it. */
enum wq_err wq_draft_save(struct wq_store *store, const struct wq_user *user,
			  int64_t case_id, const char *field,
			  const char *text);
/* The draft, malloc'd, or NULL (WQ_ERR_OK) when there is none. */
enum wq_err wq_draft_load(struct wq_store *store, const struct wq_user *user,
			  int64_t case_id, const char *field, char **text);
enum wq_err wq_draft_delete(struct wq_store *store,
			    const struct wq_user *user, int64_t case_id,
			    const char *field);

#endif
