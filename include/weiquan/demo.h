/* weiquan: realistic demo cases.
 *
 * Fills a database with complaints in Chinese across every category, case
 * type, region, platform and status, with statements from both parties and
 * text evidence.  Cases arrive over the 90 days before now and are worked
 * through the real rulings by demo users, each step at a plausible office
 * time, so events, clocks and the audit chain are genuine; nothing is
 * dated after now.  The same seed and the same now give the same cases.
 * Large runs commit in batches (about a second each) so other sessions are
 * never held up for long; after a failure the batches already committed
 * stay. */
#ifndef WEIQUAN_DEMO_H
#define WEIQUAN_DEMO_H

#include <stdint.h>

#include "weiquan/store.h"
#include "weiquan/user.h"

struct wq_demo_opts {
	int64_t cases;          /* how many; <= 0: the default, 200 */
	uint64_t seed;          /* any value; the command line's default is 1 */
	/* Called now and then with cases done so far; may be NULL. */
	void (*progress)(int64_t done, int64_t total, void *data);
	void *progress_data;
};

struct wq_demo_result {
	int64_t cases, statements, evidence, events;   /* rows added */
	char users[256];        /* the demo logins (added or found), space
				 * separated */
};

/* Needs an admin actor, and the calendar and clock rules that 'weiquan
 * init' loads (WQ_ERR_NOT_FOUND otherwise).  Adds the demo users (four
 * mediators, two supervisors for four-eyes review, a desk) if missing,
 * then the cases.  opts may be NULL for the defaults. */
enum wq_err wq_demo_fill(struct wq_store *store, const struct wq_user *actor,
			 const struct wq_demo_opts *opts,
			 struct wq_demo_result *result);

#endif
