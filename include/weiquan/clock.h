/* weiquan: legal clocks as data.
 *
 * A regime (SAMR Order No. 20, Order No. 121, an association's own rules)
 * is a set of clocks loaded from a file; each starts when a case enters its
 * start status, stops when the case enters one of its stop statuses, and
 * pauses while the case sits in one of its pause sub-states.  The running
 * clock with the earliest due date is the one the queue sorts by. */
#ifndef WEIQUAN_CLOCK_H
#define WEIQUAN_CLOCK_H

#include <stdbool.h>

#include "weiquan/calendar.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

/* The calendar of the store, loaded once and reloaded when another session
 * may have changed it. */
const struct wq_calendar *wq_clock_calendar(struct wq_store *store);
/* Drops the cached calendar (after an import). */
void wq_clock_calendar_reset(struct wq_store *store);
void wq_clock_rules_free(struct wq_clock_rules **rules);

/* Imports a regime file (see data/clock-rules.json); the first regime
 * loaded into a database becomes the active one. */
enum wq_err wq_clock_import(struct wq_store *store, const struct wq_user *actor,
			    const char *path, char *regime, size_t size);
/* The regime a case received on `day` (Beijing date) follows: the active
 * regime, or the one it replaced if the day precedes its in_force_from,
 * or the one replacing it once that is in force (the cut-over is data). */
enum wq_err wq_clock_regime_for(struct wq_store *store, int day, char *regime,
				size_t size);
/* Switches the active regime (admins). */
enum wq_err wq_clock_use(struct wq_store *store, const struct wq_user *actor,
			 const char *regime);

struct wq_clock_outcome {
	char clock[16];          /* the running clock the queue sorts by */
	char due_on[11];         /* its due date, "" when none runs */
	bool uncertain;          /* a day counted lies outside the calendar */
	bool unverified;         /* its figure was not checked against the
				    official text (the regime file says) */
};

/* Clocks that a statute sets whatever the regime, counted in calendar
 * days: the rights holder's wait of the IP-notice track (E-Commerce Law
 * art. 43: measures end unless, within 15 days of the merchant's
 * declaration reaching the rights holder, the platform learns of a
 * complaint or lawsuit).  The declaration is taken to reach the rights
 * holder the day the platform forwards it (electronically).  It runs from
 * declaration_forwarded until the case leaves that status, beside the
 * regime's clocks, and its due date is the last day of the wait. */
#define WQ_CLOCK_IP_WAIT "ip_wait"
#define WQ_IP_WAIT_DAYS 15
struct wq_statute_clock {
	const char *name;
	int calendar_days;
	const char *start_status;
	const char *stop_statuses;   /* space separated */
	const char *basis;
	const char *source;
	bool verified;               /* read in the statute (DOMAIN.md) */
};
/* The statutory clocks, ended by one with a NULL name. */
extern const struct wq_statute_clock wq_statute_clocks[];
/* The statutory clock of that name, or NULL (a regime's clock). */
const struct wq_statute_clock *wq_statute_clock(const char *name);
/* Days from today to due in the clock's own count: calendar days for a
 * statutory clock, working days on the calendar for a regime's (then
 * *uncertain as for wq_cal_workdays_between); negative when overdue. */
int wq_clock_days_left(const struct wq_calendar *cal, const char *clock,
		       int today, int due, bool *uncertain);

/* Moves the clocks of a case (cases.clocks JSON) through a change of status
 * or sub-state on local day `today` under the case's regime ("" or NULL:
 * the active one, for cases from before regimes were recorded); returns
 * the new JSON (malloc'd).
 * status_event may also be a pseudo status ("report", "report-done"). */
enum wq_err wq_clock_step(struct wq_store *store, const char *regime,
			  const char *clocks_json, const char *status_event,
			  const char *old_substate,
			  const char *new_substate, int today, char **out_json,
			  struct wq_clock_outcome *outcome);

#endif
