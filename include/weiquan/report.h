/* weiquan: the dashboard's figures, live.
 *
 * Everything a supervisor's dashboard shows is loaded into one struct
 * wq_report by wq_report_load(); the console draws from it and
 * `weiquan report --json` prints the same struct as JSON, so the two can
 * never disagree.  The console loads two lists that its first screen at
 * 80x24 does not show (wq_report_part) when they come on screen, or
 * while it waits for a key.  The figures are read from counters that
 * triggers keep in each writer's own transaction (schema migration 3),
 * so a load costs a few hundred small rows whatever the number of cases:
 * well under 50 ms at a million cases (tests/bench/bench_report.c).
 *
 * Days are local days, as the clocks count them.  "Open" is every status
 * but closed, as in the queue.  Supervisors and admins only. */
#ifndef WEIQUAN_REPORT_H
#define WEIQUAN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/store.h"
#include "weiquan/user.h"

#define WQ_REPORT_SOON 3        /* "due soon": within this many working days */
#define WQ_REPORT_FORECAST 10   /* the breach forecast: next N working days */
#define WQ_REPORT_HISTORY 30    /* intake and closures: the last N days */
#define WQ_REPORT_MERCHANTS 20  /* merchants listed, most complaints first */
#define WQ_REPORT_LIST 10       /* groups and flagged cases listed */

/* One bar: a key (a status, category or flag code, a region, a login) and
 * its count.  Lists are ordered by count, largest first, then key. */
struct wq_report_count {
	char *key;
	int64_t n;
};

struct wq_report_counts {
	struct wq_report_count *v;
	size_t n;
	int64_t total;            /* sum of the counts */
};

/* The cases whose running clock (the queue's: the earliest due date
 * among the clocks that run) is `clock`. */
struct wq_report_clock {
	char clock[16];           /* "" for the totals over every clock */
	int64_t running;          /* all of them, paused ones included */
	int64_t paused;           /* clock paused (testing): not counted below */
	int64_t overdue;          /* due before today */
	int64_t due_today;
	int64_t due_soon;         /* due after today, on or before soon_until */
	/* forecast[i]: due after forecast_day[i-1] (today for i = 0) and on
	 * or before forecast_day[i]: the breaches if nothing is done by the
	 * end of that working day.  The first WQ_REPORT_SOON add up to
	 * due_soon. */
	int64_t forecast[WQ_REPORT_FORECAST];
};

struct wq_report_mediator {
	char login[64];
	char name[128];
	enum wq_role role;
	int64_t open;             /* open cases assigned */
	int64_t overdue;          /* of those with a running, unpaused clock */
	int64_t due_today;
	int64_t rulings_today;    /* rulings made today: every action of the
				     rulings table but note and statement */
};

/* A merchant's record with the figures the 12315 publicity platform shows.
 * Rates are fractions 0..1, or -1 when their denominator is 0; growth is
 * a fraction too (0.25 = 25% more, -1 = none any more), known only when
 * the earlier period had complaints (growth_known).
 * See src/report.c for exactly which transitions are counted. */
struct wq_report_merchant {
	int64_t id;
	char *name, *platform, *shop_id, *region;
	int64_t complaints;          /* all cases against it */
	int64_t last30, prev30;      /* received in the last 30 days, and in
					the 30 before */
	double growth;               /* (last30 - prev30) / prev30 */
	bool growth_known;           /* prev30 > 0 */
	int64_t concluded;           /* complaints that reached an outcome */
	int64_t mediated;            /* mediations that reached an outcome */
	int64_t mediation_success;   /* ... that ended in an agreement (not
					found unperformed) or a settlement */
	double mediation_success_rate;   /* success / mediated */
	int64_t settled_before;      /* settled through the merchant's own
					channel (ODR) or by the parties
					before mediation started */
	double settled_before_rate;  /* settled_before / concluded */
	/* The record kept on the merchant (rules.c) and its flags. */
	int64_t settled, failed, unperformed, penalties;
	bool repeat_offender, blacklisted;
};

struct wq_report_group {
	int64_t id;
	char *title;
	char *merchant;           /* "" when the group names none */
	int64_t members, open;
};

struct wq_report_case {
	char number[32];
	char status[24];
	char received_at[21];
	char assignee[64];        /* "" when unassigned */
	char *merchant;
};

/* At most this many years to import are named. */
#define WQ_REPORT_MISSING_YEARS 4

struct wq_report {
	char today[11];
	char soon_until[11];      /* the WQ_REPORT_SOON-th working day on */
	char forecast_day[WQ_REPORT_FORECAST][11];
	/* A working day above was counted over a year whose holiday schedule
	 * is not loaded: say so beside the forecast. */
	bool calendar_uncertain;
	/* The years whose holiday schedule an administrator must import
	 * (`weiquan calendar import`) before deadlines are counted in them:
	 * every year not loaded from today up to the latest running deadline
	 * or the day the longest clock started today would end (so a case
	 * accepted in December, whose 45 working days run into the next
	 * year, is foreseen weeks ahead), with the running deadlines that
	 * already fall in each. */
	struct {
		int year;
		int64_t deadlines;
	} calendar_missing[WQ_REPORT_MISSING_YEARS];
	size_t ncalendar_missing;

	int64_t cases, open;
	struct wq_report_counts by_status;        /* all cases */
	struct wq_report_counts open_by_category;
	struct wq_report_counts open_by_region;   /* key "" = no region */
	struct wq_report_counts open_by_type;
	struct wq_report_counts open_by_flag;     /* key: wq_flag_name() */
	/* Open cases flagged cross-region-diversion (串货), by region. */
	struct wq_report_counts diversion_by_region;
	/* The tracks' own figures, never in the consumer-complaint ones:
	 * reports (举报) by status; diversion disputes by status, by where
	 * the goods were found and by the distributor's authorised region
	 * (every case, closed ones included). */
	struct wq_report_counts reports_by_status;
	struct wq_report_counts diversion_by_status;
	struct wq_report_counts diversion_by_found_region;
	struct wq_report_counts diversion_by_authorised_region;
	/* IP notices (E-Commerce Law arts. 42-45) by status, and how many
	 * were found wrongful or malicious (key: the flag's name); every
	 * notice, closed ones included. */
	struct wq_report_counts ip_by_status;
	struct wq_report_counts ip_findings;

	struct wq_report_clock due;               /* over every clock */
	struct wq_report_clock *clocks;           /* by clock name */
	size_t nclocks;

	struct wq_report_mediator *mediators;     /* active mediators and
						     supervisors, and anyone
						     else holding open cases */
	size_t nmediators;
	int64_t unassigned;                       /* open, nobody assigned */

	/* Day by day, oldest first: history_day[WQ_REPORT_HISTORY - 1] is
	 * today. */
	char history_day[WQ_REPORT_HISTORY][11];
	int64_t intake[WQ_REPORT_HISTORY];        /* cases received */
	int64_t closed[WQ_REPORT_HISTORY];        /* cases closed */
	int64_t intake_last30, intake_prev30;
	double intake_growth;                     /* as a merchant's growth */
	bool intake_growth_known;

	/* The 12315 figures over every merchant, then the merchants with the
	 * most complaints. */
	struct wq_report_merchant all_merchants;  /* id 0, no name */
	int64_t merchants;                        /* merchants complained of */
	int64_t repeat_offenders, blacklisted;
	struct wq_report_merchant *top;
	size_t ntop;

	/* Collective complaints: groups (most open members first) and open
	 * cases flagged collective. */
	int64_t groups;
	struct wq_report_group *group;
	size_t ngroup;
	int64_t collective_open;

	/* Open cases flagged possibly-malicious, awaiting a human reviewer
	 * (never an automatic rejection), oldest first. */
	int64_t malicious_open;
	struct wq_report_case *malicious;
	size_t nmalicious;

	/* The audit chain's head (event id, hash) when the figures were
	 * read: written down in the daily figures, it anchors the chain
	 * outside the database, as an audit checkpoint does. */
	int64_t audit_head_id;
	char audit_head_hash[65];

	unsigned parts;           /* the wq_report_part loaded */
};

/* Fills *report (which it zeroes first) in one read transaction, every
 * part of it.  WQ_ERR_DENIED unless the actor is a supervisor or an
 * admin.  Free it with wq_report_free(), also after a failure. */
enum wq_err wq_report_load(struct wq_store *store, const struct wq_user *actor,
			   struct wq_report *report);

/* As wq_report_load(), with only the parts named of those below: the
 * rest of the report is whole.  The dashboard's first screen at 80x24
 * shows neither, and at a million cases each reads a page of the file
 * per item it lists.  Until its part is loaded, every top[]
 * merchant's last30 and prev30 are 0 and its growth unknown, and
 * malicious[] is empty (malicious_open is counted). */
enum wq_report_part {
	WQ_REPORT_MERCHANT_TRENDS = 1 << 0, /* top[]'s last 60 days */
	WQ_REPORT_FLAGGED_CASES = 1 << 1,   /* malicious[] */
	WQ_REPORT_ALL_PARTS = (1 << 2) - 1,
};
enum wq_err wq_report_load_parts(struct wq_store *store,
				 const struct wq_user *actor,
				 struct wq_report *report, unsigned parts);
/* Adds the parts named that *report lacks, in a read transaction of
 * their own: a commit since the report was loaded may show in them, as
 * it would in a reload (the console reloads on every commit anyway). */
enum wq_err wq_report_load_more(struct wq_store *store,
				const struct wq_user *actor,
				struct wq_report *report, unsigned parts);
void wq_report_free(struct wq_report *report);

/* The same figures as one JSON object (malloc'd, no trailing newline). */
enum wq_err wq_report_json(struct wq_store *store, const struct wq_user *actor,
			   char **json);

/* Sets (on) or clears a merchant's flag, "repeat-offender" or "blacklist",
 * and appends a "merchant-mark" audit event, in one write transaction.
 * Supervisors only.  Setting a flag that is already so writes nothing.
 * WQ_ERR_NOT_FOUND for an unknown merchant, WQ_ERR_INVALID for another
 * flag name. */
enum wq_err wq_merchant_flag(struct wq_store *store, const struct wq_user *actor,
			     int64_t merchant_id, const char *flag, bool on);
/* The same with the mark's reason and legal basis, both kept with the mark
 * (merchant_marks, shown by `case show`) and in its audit event.  The
 * reason is needed to set or lift a mark, the basis to set one; without
 * them (wq_merchant_flag) it is WQ_ERR_INVALID. */
enum wq_err wq_merchant_mark(struct wq_store *store, const struct wq_user *actor,
			     int64_t merchant_id, const char *flag, bool on,
			     const char *reason, const char *basis);
/* Records a penalty imposed on a merchant (the decision, its legal basis,
 * the amount in fen) and counts it in merchants.penalties, which the
 * dashboard, `report --json` and `case show` show.  Supervisors only. */
enum wq_err wq_merchant_penalty(struct wq_store *store,
				const struct wq_user *actor,
				int64_t merchant_id, int64_t amount_fen,
				const char *decision, const char *basis);

/* The queue's pick lists, from the counts the triggers keep (cheap at a
 * million cases).  The people who may hold cases with their loads, as
 * the dashboard counts them (open, overdue, due today), in login order;
 * free *mediators.  WQ_ERR_DENIED for a desk. */
enum wq_err wq_report_assignee_loads(struct wq_store *store,
				     const struct wq_user *actor,
				     struct wq_report_mediator **mediators,
				     size_t *n);
/* The regions with open cases whose name contains `containing` (广州
 * finds 广东省广州市; "" every one), most open cases first. */
enum wq_err wq_report_regions(struct wq_store *store, const char *containing,
			      struct wq_report_counts *regions);
void wq_report_counts_free(struct wq_report_counts *counts);

#endif
