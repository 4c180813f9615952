/* weiquan: the contact log of a case — who was reached, how, what was
 * said, what came of it, and when to follow up.
 *
 * Entries are kept as written (triggers refuse UPDATE and DELETE), each
 * with its "contact" audit event in the same transaction (audit.c checks
 * every row against its event).  A case's pending follow-up is the date
 * its latest entry gives: logging the next contact answers it. */
#ifndef WEIQUAN_CONTACT_H
#define WEIQUAN_CONTACT_H

#include <stddef.h>
#include <stdint.h>

#include "weiquan/store.h"
#include "weiquan/user.h"

/* X(name): the channels, as stored and as the command line takes them. */
#define WQ_CONTACT_CHANNEL_LIST(X)                                             \
	X("phone") X("sms") X("email") X("visit") X("letter")
/* The parties a mediator contacts (the statements' parties less the
 * mediator). */
#define WQ_CONTACT_PARTY_LIST(X) X("complainant") X("respondent")

extern const char *const wq_contact_channels[]; /* NULL-terminated */
extern const char *const wq_contact_parties[];	/* NULL-terminated */

struct wq_contact_in {
	const char *party;	  /* one of wq_contact_parties */
	const char *channel;	  /* one of wq_contact_channels */
	const char *said;	  /* what was said: required */
	const char *outcome;	  /* NULL or "": none */
	const char *follow_up_on; /* YYYY-MM-DD, today or later; NULL or "":
				     none */
};

/* Logs a contact on the case numbered `number` in its own write
 * transaction, with its audit event.  Who may: whoever may change the
 * case (wq_case_authorize, WQ_CASE_CHANGE).  WQ_ERR_INVALID for a party,
 * channel or date it does not take, or nothing said. */
enum wq_err wq_contact_add(struct wq_store *store, const struct wq_user *actor,
			   const char *number, const struct wq_contact_in *in,
			   int64_t *contact_id);

struct wq_contact {
	int64_t id;
	char party[16];
	char channel[8];
	char *said, *outcome;
	char follow_up_on[11]; /* "" when none */
	char author[64];
	char at[21]; /* UTC, as the events' times */
};

struct wq_contact_list {
	struct wq_contact *v;
	size_t n;
	char follow_up_on[11]; /* the case's pending follow-up, "" none */
};

/* The case's contacts, oldest first, for whoever may read it. */
enum wq_err wq_contact_list(struct wq_store *store, const struct wq_user *actor,
			    const char *number, struct wq_contact_list *list);
void wq_contact_list_free(struct wq_contact_list *list);

#endif
