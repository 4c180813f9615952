/* weiquan: realistic demo cases.
 *
 * Fills a database with complaints in Chinese across every category, case
 * type, region, platform and status, with statements from both parties and
 * text evidence; the same seed gives the same cases.  Large runs commit in
 * batches so other sessions are never held up for long. */
#ifndef WEIQUAN_DEMO_H
#define WEIQUAN_DEMO_H

#include <stdint.h>

#include "weiquan/store.h"
#include "weiquan/user.h"

struct wq_demo_opts {
	int64_t cases;          /* how many (default 200) */
	uint64_t seed;          /* default 1 */
	/* Called now and then with cases done so far; may be NULL. */
	void (*progress)(int64_t done, int64_t total, void *data);
	void *progress_data;
};

struct wq_demo_result {
	int64_t cases, statements, evidence, events;
	char users[256];        /* the demo logins created, space separated */
};

/* Needs an admin actor.  Adds demo users (mediators, a supervisor, a desk)
 * if missing, then the cases. */
enum wq_err wq_demo_fill(struct wq_store *store, const struct wq_user *actor,
			 const struct wq_demo_opts *opts,
			 struct wq_demo_result *result);

#endif
