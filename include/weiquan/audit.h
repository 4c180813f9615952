/* weiquan: the audit chain.
 *
 * Every change appends one event: time, actor (the acting login, which an
 * administrator's --user may set), the OS login of the process that wrote
 * it (table event_logins), case, action, details (JSON), the previous
 * event's hash and its own SHA-256 over all of these.  Triggers refuse
 * UPDATE and DELETE;
 * wq_audit_verify() proves the rest, as far as the database can prove it,
 * and a checkpoint kept outside the database (wq_audit_checkpoint()) pins
 * the chain's head against truncation and a rewrite of the whole chain.
 *
 * What replay reads from the details, so that every writer keeps it:
 *   case events: "set", the case columns they changed (the first event
 *     of a case all of them); "args"."statements": [{id, party, sha256}]
 *     for the statements the event added; "args"."offered": {id, party,
 *     remedy, amount_fen, terms_sha256, answers} for an offer it made
 *     ("counter" and "agree" name the offer they answer in argv[0]);
 *   "evidence" / "group-evidence": evidence, group, kind, party,
 *     file_name, size, sha256;
 *   "contact": contact (the row's id), party, channel, said_sha256,
 *     outcome_sha256, follow_up_on;
 *   "user-*" events: login, and the role (and active, if changed) the
 *     user has after the event;
 *   "document": document (its id), kind, lang, version, number,
 *     text_sha256, pdf_sha256. */
#ifndef WEIQUAN_AUDIT_H
#define WEIQUAN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "weiquan/store.h"

/* Appends an event inside the caller's write transaction.  case_id 0 means
 * an event about no case (users, calendar, settings).  details must be a
 * JSON object. */
enum wq_err wq_audit_append(struct wq_store *store, const char *actor,
			    int64_t case_id, const char *action,
			    const char *details, int64_t *event_id);

/* The OS login recorded in the events this process writes: unless set
 * here, the real uid's login, looked up at the first event. */
void wq_audit_set_os_login(const char *login);

/* Lowercase hex SHA-256 of len bytes. */
void wq_audit_sha256(const void *data, size_t len, char out[65]);

#define WQ_AUDIT_MAX_LINES 200

struct wq_audit_report {
	int64_t checked;     /* events whose hash was recomputed */
	int64_t first_bad;   /* id of the first broken event, 0 if none */
	char why[160];       /* what is wrong with it */
	int64_t head_id;     /* the last event (0: none) and its hash */
	char head_hash[65];
	/* Rows compared with what the events say. */
	int64_t cases, statements, offers, evidence, users, checkpoints;
	int64_t documents; /* issued documents (text and PDF bytes) */
	int64_t contacts;
	/* Everything found wrong (chain, rows, checkpoints), one per line,
	 * and what could not be checked, one per line; malloc'd or NULL.
	 * The first WQ_AUDIT_MAX_LINES of each are kept, all are counted. */
	int64_t nproblems, nunchecked;
	char *problems, *unchecked;
};

/* Walks the whole chain, then replays the events and compares every
 * case, statement, offer, evidence, issued document, contact and user
 * row with them.  Returns
 * WQ_ERR_AUDIT (report filled in) when an event's hash, its link to the
 * previous event or the id sequence is wrong (first_bad) or when a row
 * disagrees with its events (problems).  Free with
 * wq_audit_report_free(). */
enum wq_err wq_audit_verify(struct wq_store *store,
			    struct wq_audit_report *report);

/* Adds to a verified report the checks of a file of checkpoints (lines
 * written by wq_audit_checkpoint()): each one's event must still be in the
 * chain with the same hash.  With key_path, each line's HMAC is checked
 * too; without, the report says they were not.  Returns WQ_ERR_AUDIT when
 * the report has problems. */
enum wq_err wq_audit_check_checkpoints(struct wq_store *store,
				       const char *checkpoints_path,
				       const char *key_path,
				       struct wq_audit_report *report);

void wq_audit_report_free(struct wq_audit_report *report);

/* The head of the chain: its last event's id and hash (0 and the genesis
 * hash when empty). */
enum wq_err wq_audit_head(struct wq_store *store, int64_t *id, char hash[65]);

/* One checkpoint line (malloc'd, no newline): the head's id and hash, the
 * time, and an HMAC-SHA256 of these under the key in key_path, which must
 * be a regular file no one but its owner can read or write. */
enum wq_err wq_audit_checkpoint(struct wq_store *store, const char *key_path,
				char **line);

/* Creates key_path (it must not exist) with a new random key, mode 0600. */
enum wq_err wq_audit_keygen(const char *key_path);

#endif
