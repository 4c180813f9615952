/* weiquan: collective complaints.
 *
 * Several consumers' complaints against one merchant for one problem are
 * grouped under a parent (case_groups): the group holds the shared facts and
 * shared evidence; each member stays a case of its own, with its own
 * status, outcome and audit events.  Joining and leaving a group are
 * rulings of the member ("join-group", "leave-group"), so they obey the same
 * role, status and version checks as every other change.
 *
 * A group ruling applies one ruling to every member, each in its own
 * savepoint of one write: a member the ruling does not fit (another
 * status, someone else's case, changed since the preview, or, for a
 * ruling that settles, withdraws or agrees for it, no recorded consent)
 * is left as it was and reported with the reason, the others change.  The preview runs exactly the same
 * code and rolls everything back, so what it shows is what applying does,
 * unless a member changes in between: the apply then checks each member
 * against the version the preview saw. */
#ifndef WEIQUAN_GROUP_H
#define WEIQUAN_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/case.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

/* "G12" (or "12") -> 12. */
bool wq_group_parse_id(const char *text, int64_t *group_id);

/* Who may read a group (its facts, shared evidence, the members they may
 * read) or change it (op WQ_CASE_CHANGE: replace the facts;
 * WQ_CASE_EVIDENCE: attach shared evidence): a supervisor any group; a
 * desk or mediator a group holding a case that wq_case_authorize() lets
 * them read, change or attach evidence to, so a desk touches the groups of
 * the complaints it registered and a mediator those of its cases.
 * WQ_ERR_NOT_FOUND when there is no such group, WQ_ERR_DENIED otherwise. */
enum wq_err wq_group_authorize(struct wq_store *store,
			       const struct wq_user *actor, int64_t group_id,
			       enum wq_case_op op);

struct wq_group {
	int64_t id;
	char *title, *facts, *merchant;
	int64_t merchant_id;
	char created_by[64], created_at[21];
	int64_t members, open_members;
};

struct wq_group_member {
	int64_t case_id, version, amount_fen;
	char number[32], status[24], assignee[64], received_at[21];
	bool representative;      /* one of the group's representatives */
	char consents[48];        /* the group rulings it consented to,
				     space separated ("agree settle") */
};

/* A group has at most this many representatives, members who speak for
 * it. */
#define WQ_GROUP_REPRESENTATIVES_MAX 2

/* Records member `number` as a representative of the group (on) or no
 * longer (off), with an audit event; WQ_ERR_INVALID for a case that is
 * not a member or a third representative.  Who may:
 * wq_group_authorize(WQ_CASE_CHANGE) and the member's case. */
enum wq_err wq_group_representative(struct wq_store *store,
				    const struct wq_user *actor,
				    int64_t group_id, const char *number,
				    bool on);
/* Records (on) or withdraws a member's consent to a group ruling that
 * settles, withdraws or agrees for it (WQ_CONSENT_ACTION_LIST: "settle",
 * "withdraw", "agree"), with how it was given (note), and an audit
 * event.  wq_group_rule() leaves out every member without it. */
enum wq_err wq_group_consent(struct wq_store *store,
			     const struct wq_user *actor, int64_t group_id,
			     const char *number, const char *action, bool on,
			     const char *note);

/* Creates a group of the given cases (at least one, all against the same
 * merchant) with a title and the shared facts; each case joins it with
 * its own "join-group" ruling.  All or nothing. */
enum wq_err wq_group_create(struct wq_store *store, const struct wq_user *actor,
			    const char *title, const char *facts,
			    const char *const *numbers, int count,
			    int64_t *group_id);
/* More members, or members leaving (all or nothing). */
enum wq_err wq_group_join(struct wq_store *store, const struct wq_user *actor,
			  int64_t group_id, const char *const *numbers,
			  int count);
enum wq_err wq_group_leave(struct wq_store *store, const struct wq_user *actor,
			   const char *const *numbers, int count);
/* Replaces the shared facts (audited with the new text); who may:
 * wq_group_authorize(WQ_CASE_CHANGE). */
enum wq_err wq_group_set_facts(struct wq_store *store,
			       const struct wq_user *actor, int64_t group_id,
			       const char *facts);
/* Attaches shared evidence (original bytes kept, as for a case); who may:
 * wq_group_authorize(WQ_CASE_EVIDENCE). */
enum wq_err wq_group_evidence_add_tx(struct wq_store *store,
				     const struct wq_user *actor,
				     int64_t group_id, const char *kind,
				     const char *file_name, const void *bytes,
				     size_t len, const char *enc_name,
				     int64_t *evidence_id);

/* A group the actor may read (wq_group_authorize). */
enum wq_err wq_group_load(struct wq_store *store, const struct wq_user *actor,
			  int64_t group_id, struct wq_group *group);
void wq_group_free(struct wq_group *group);
/* The members the actor may read (a desk: the ones it registered), by
 * case number. */
enum wq_err wq_group_members(struct wq_store *store,
			     const struct wq_user *actor, int64_t group_id,
			     struct wq_group_member **members, size_t *count);
/* Groups, newest first (merchant_id 0: all). */
enum wq_err wq_group_list(struct wq_store *store, int64_t merchant_id,
			  struct wq_group **groups, size_t *count);
void wq_group_list_free(struct wq_group *groups, size_t count);

/* What a group ruling did, or would do, to one member. */
struct wq_group_outcome {
	int64_t case_id;
	char number[32];
	char status_before[24];
	int64_t version_before;
	enum wq_err err;          /* WQ_ERR_OK: applies */
	char why[256];            /* the refusal, when err */
	struct wq_ruling_result result;
};

/* Whether group ruling `action` fits at least one member the actor may
 * read, as it stands: the member's own wq_rule_ready() (role, right on
 * the case, status, the ruling's preconditions) and, for a ruling that
 * needs it, the member's recorded consent.  What wq_group_rule() would
 * try, without arguments and writing nothing: the group screen offers
 * only the rulings this allows.  WQ_ERR_OK, or the first member's
 * refusal with its detail. */
enum wq_err wq_group_ready(struct wq_store *store, const struct wq_user *actor,
			   int64_t group_id, const char *action);

/* Applies ruling r (its expect_version ignored) to the group's members
 * that the actor may read (others are neither tried nor listed).
 * expect, when not NULL, lists the members and versions a preview showed
 * (count nexpect): only they are ruled on, each refused as stale if it has
 * changed since.  preview: run it and roll it all back.  Returns an error
 * only when nothing could be tried (no such group, no members, database
 * busy); refusals of single members are in their outcomes. */
enum wq_err wq_group_rule(struct wq_store *store, const struct wq_user *actor,
			  int64_t group_id, const struct wq_ruling *r,
			  const struct wq_group_member *expect, size_t nexpect,
			  bool preview, struct wq_group_outcome **outcomes,
			  size_t *count);

#endif
