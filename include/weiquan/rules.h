/* weiquan: rulings — every state change of a case.
 *
 * A ruling is one row of the ruling table (wq_actions, rules.c): its name,
 * arguments, roles, the statuses it applies to, the status it leads to and
 * the function that applies it.  The command line (`weiquan rule`), the
 * console's key bar, help and pickers are all built from the table; adding
 * a ruling is one row and one function.  Each ruling checks the actor's
 * role, the case's status and version, writes the change and its audit
 * event in one transaction, and otherwise returns a clear error and writes
 * nothing. */
#ifndef WEIQUAN_RULES_H
#define WEIQUAN_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "weiquan/case.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

/* What a ruling's function is given (the case before and after, the
 * actor, the arguments); private to rules.c. */
struct wq_ruling_ctx;

struct wq_action {
	const char *name;         /* "not-accept" */
	const char *args;         /* "REASON [NOTE]" */
	const char *help;         /* N_("...") */
	unsigned roles;           /* WQ_ROLE_BIT()s allowed */
	const char *from;         /* statuses it applies to, space separated */
	const char *to;           /* the status it leads to, NULL: unchanged
				     or computed by target */
	int min_args, max_args;
	/* The status it leads to when that depends on the case (approve:
	 * the next review stage; send-back, reopen: the outcome reviewed). */
	const char *(*target)(const char *status, const char *review_from);
	/* What must hold of the case besides its status before anything is
	 * asked (an agreement performed, a notice owed, another reviewer
	 * than the submitter), NULL when status and role say it all.  It
	 * reads the case as it stands and writes nothing: wq_rule_ready()
	 * asks it for the key bar and before a prompt, wq_rule_tx() before
	 * apply, so the two never disagree. */
	enum wq_err (*ready)(const struct wq_ruling_ctx *ctx);
	/* The ruling itself: checks its arguments and the case, changes the
	 * case's other fields, writes what it makes. */
	enum wq_err (*apply)(struct wq_ruling_ctx *ctx);
	const char *const *reasons; /* the codes its first argument takes
				       (a REASON, MEASURE or FLAG), or NULL */
	enum wq_case_op op;       /* what wq_case_authorize is asked */
	const char *clock_event;  /* what the clocks hear when the status
				     stays (NULL: nothing) */
	bool last_is_note;        /* its last argument (besides a [NOTE])
				     joins the case's notes */
};

/* A track: the procedure of one kind of case (cases.type), its statuses
 * and its rulings on the one machinery of wq_rule_tx. */
struct wq_track {
	const char *type;                /* cases.type: "complaint"; its
					    label is the type's (screens) */
	const char *const *statuses;     /* all of them; a case starts at the
					    first */
	const struct wq_action *actions; /* its ruling table */
	int action_count;
};

extern const struct wq_track wq_tracks[];
extern const int wq_track_count;
/* The track of a case type, NULL for an unknown type. */
const struct wq_track *wq_track_of(const char *type);
/* The track a case of that type in that status follows: its type's, or
 * the complaint track for a case that started before its type had one. */
const struct wq_track *wq_track_for(const char *type, const char *status);
/* The ruling of that name in track t, NULL when it has none. */
const struct wq_action *wq_track_action(const struct wq_track *t,
					const char *name);

/* The consumer-complaint track's ruling table. */
extern const struct wq_action wq_actions[];
extern const int wq_action_count;
/* The ruling of that name in any track (the command line checks a name
 * before it knows the case), NULL when no track has it. */
const struct wq_action *wq_action_find(const char *name);
/* Whether a can be asked of a case in status by a user of role (what the
 * table says; wq_rule_tx() checks the rest: assignee, versions...). */
bool wq_action_applies(const struct wq_action *a, enum wq_role role,
		       const char *status);

/* The status names and reason codes, for lists and pickers. */
extern const char *const wq_statuses[];
extern const char *const wq_substates[];
extern const char *const wq_not_accept_reasons[];
extern const char *const wq_end_reasons[];
extern const char *const wq_follow_up_outcomes[];
extern const char *const wq_seat_grounds[];
extern const char *const wq_required_fields[];

/* The codes a's first argument takes for a case under regime (NULL or
 * "": every code), "other" last, into out (NULL-terminated, size slots);
 * returns how many.  Grounds for not accepting and for ending mediation
 * are the regime's own: Order No. 121 names grounds that Order No. 20
 * does not, and drops one (weiquan/vocab.h, WQ_GROUND_REGIME_LIST). */
int wq_action_reasons(const struct wq_action *a, const char *regime,
		      const char **out, int size);

/* The materials the rule requires that case_id lacks, as codes of
 * wq_required_fields separated by spaces ("" when none is missing): the
 * complainant's name, phone and address (the `address` ruling), the
 * respondent's name and address, the claim (the remedy claimed or an offer
 * of the complainant) and the facts (a statement of the complainant, or
 * the collective group's facts). */
enum wq_err wq_case_missing_materials(struct wq_store *store, int64_t case_id,
				      char *out, size_t size);

struct wq_ruling {
	const char *action;
	int argc;
	const char *const *argv;
	int64_t expect_version;   /* 0: don't check (scripts) */
};

struct wq_ruling_result {
	int64_t version;          /* the case's new version */
	char status[24];
	char due_on[11];
	bool due_uncertain;       /* counted past the loaded calendar */
	bool due_unverified;      /* counted from a figure not checked
				     against the official text */
	int64_t event_id;
	int64_t created_id;       /* the offer/evidence/agreement it made */
};

/* Applies a ruling in its own write transaction. */
enum wq_err wq_rule(struct wq_store *store, const struct wq_user *actor,
		    const char *number, const struct wq_ruling *ruling,
		    struct wq_ruling_result *result);
/* Whether the ruling `action` can be asked of the case now by actor:
 * everything wq_rule_tx() checks before it looks at the arguments (role,
 * the actor's right on the case, status, the row's ready).  WQ_ERR_OK,
 * or the refusal wq_rule_tx() would give, with its detail. */
enum wq_err wq_rule_ready(struct wq_store *store, const struct wq_user *actor,
			  int64_t case_id, const char *action);
/* The same inside a write transaction the caller holds. */
enum wq_err wq_rule_tx(struct wq_store *store, const struct wq_user *actor,
		       int64_t case_id, const struct wq_ruling *ruling,
		       struct wq_ruling_result *result);

/* Recusal: the actor (a mediator or supervisor) declares a conflict of
 * interest with a party of case `number` ("consumer" for the complainant,
 * "merchant" for the respondent).  From then on that party's cases can be
 * neither claimed by nor assigned to the actor; if the actor holds this
 * case, it goes back to the unassigned pool.  Recorded in the audit log. */
enum wq_err wq_conflict_declare(struct wq_store *store,
				const struct wq_user *actor,
				const char *number, const char *party,
				const char *reason);

/* Statutory damages.  law:
 *   crpl55    Consumer Rights Protection Law art. 55(1): fraud; 3x the
 *             price, at least 500 CNY; unless the law provides otherwise
 *   crpl55-2  art. 55(2): defects knowingly supplied causing death or
 *             serious damage to health; up to twice the losses (LOSS needed;
 *             the figure is a ceiling, wq_damages_ceiling)
 *   fsl148    Food Safety Law art. 148: food only; 10x the price or 3x the
 *             loss, at least 1,000 CNY; not for harmless label defects
 *   dal144    Drug Administration Law art. 144(3): medicines only; as
 *             fsl148
 * loss_fen is WQ_DAMAGES_NO_LOSS when none is given; a loss the rule does
 * not count is refused (WQ_ERR_INVALID), not ignored.  citation receives
 * the text that goes into the agreement: condition, figure and provisos,
 * each part not checked against the official text marked
 * 〔未经与官方文本核对〕 (src/rules.c says what each rests on). */
#define WQ_DAMAGES_NO_LOSS ((int64_t)-1)
enum wq_err wq_damages(const char *law, int64_t price_fen, int64_t loss_fen,
		       int64_t *damages_fen, char *citation, size_t size);
/* Whether the rule's figure is the most that may be claimed. */
bool wq_damages_ceiling(const char *law);
/* Whether text is a damages rule as an AMOUNT argument takes it (RULE or
 * RULE:LOSS); *problem is then NULL, or why the rule cannot take it so (a
 * message for _()).  What the case allows is checked when the ruling is
 * applied. */
bool wq_damages_arg(const char *text, const char **problem);

#endif
