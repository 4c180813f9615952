/* weiquan: a user's inbox — what others did on the cases assigned to them.
 *
 * An item is an event by someone else on a case now assigned to the user,
 * from the event that made the case theirs onward (a send-back with the
 * reviewer's comment, an assignment to them, a statement or evidence
 * entered by the desk, a group ruling reaching their case...).  The
 * database keeps the items as the events are written (inbox_items, with
 * each user's unread count beside them), so reading the inbox or its count
 * costs the same at any size.  What the user has read is their own state,
 * not an audit event: the items' read flag. */
#ifndef WEIQUAN_INBOX_H
#define WEIQUAN_INBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/store.h"
#include "weiquan/user.h"

/* The most items a list or a count goes to: an inbox longer than this is
 * shown as "at least" (a user with years of history and no mark). */
#define WQ_INBOX_MAX 500

struct wq_inbox_item {
	int64_t event_id;
	char at[21]; /* UTC, as the events' times */
	char number[32];
	char action[32]; /* the event's action name (a ruling's name...) */
	char actor[64];
	char *comment; /* the reviewer's comment, the statement, the file... */
	bool read;
};

struct wq_inbox {
	struct wq_inbox_item *v;
	size_t n;
};

/* The actor's inbox, unread first then newest first; read items only when
 * `all`.  At most WQ_INBOX_MAX items. */
enum wq_err wq_inbox_list(struct wq_store *store, const struct wq_user *actor,
			  bool all, struct wq_inbox *inbox);
void wq_inbox_free(struct wq_inbox *inbox);
/* The first `most` of them (at most WQ_INBOX_MAX): what a screen shows
 * first, however long the inbox. */
enum wq_err wq_inbox_list_first(struct wq_store *store,
				const struct wq_user *actor, bool all,
				size_t most, struct wq_inbox *inbox);

/* How many unread items, counting to WQ_INBOX_MAX at most. */
enum wq_err wq_inbox_unread(struct wq_store *store, const struct wq_user *actor,
			    int *count);

/* What is due on the actor's open cases within a working day (by the end
 * of the next working day), overdue included: a running clock's
 * deadline, a follow-up of the contact log, an agreement's performance
 * date.  Computed from the cases, not events: nothing to mark read; an
 * item goes when the case moves on.  Soonest first, at most
 * WQ_INBOX_MAX. */
struct wq_inbox_due {
	char number[32];
	char what[16];  /* a clock's name, "follow-up" or "performance" */
	char due_on[11];
	int days_left;  /* working days from today; < 0 overdue */
	bool uncertain; /* counted past the loaded holiday calendar */
	bool unverified; /* a clock whose figure is not checked against the
			    official text: never shown as law */
};
enum wq_err wq_inbox_due(struct wq_store *store, const struct wq_user *actor,
			 struct wq_inbox_due **due, size_t *count);

/* The first `most` of them (at most WQ_INBOX_MAX). */
enum wq_err wq_inbox_due_first(struct wq_store *store,
			       const struct wq_user *actor, size_t most,
			       struct wq_inbox_due **due, size_t *count);

/* How many items wq_inbox_due lists, without listing them: the cost of
 * a few rows however many cases are overdue (the queue's header). */
enum wq_err wq_inbox_due_count(struct wq_store *store,
			       const struct wq_user *actor, size_t *count);

/* Marks one event read (event_id > 0) or everything up to now (0).
 * WQ_ERR_NOT_FOUND when the event is not in the actor's inbox. */
enum wq_err wq_inbox_mark_read(struct wq_store *store,
			       const struct wq_user *actor, int64_t event_id);

#endif
