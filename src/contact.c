/* The contact log (weiquan/contact.h). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "weiquan/audit.h"
#include "weiquan/calendar.h"
#include "weiquan/case.h"
#include "weiquan/contact.h"
#include "weiquan/encoding.h"
#include "weiquan/wqtime.h"

#define AS_STRING(name) name,
const char *const wq_contact_channels[] = {WQ_CONTACT_CHANNEL_LIST(AS_STRING)
					       NULL};
const char *const wq_contact_parties[] = {WQ_CONTACT_PARTY_LIST(AS_STRING)
					      NULL};
#undef AS_STRING

/* Long enough for a call's notes, short enough for one screen. */
#define SAID_MAX 4000

static bool one_of(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

static enum wq_err check_in(const struct wq_contact_in *in)
{
	int day;

	if (!one_of(wq_contact_parties, in->party))
		return wq_fail(WQ_ERR_INVALID,
			       N_("the party is complainant or respondent"));
	if (!one_of(wq_contact_channels, in->channel))
		return wq_fail(WQ_ERR_INVALID,
			       N_("the channel is phone, sms, email, visit or "
			       "letter"));
	if (empty(in->said))
		return wq_fail(WQ_ERR_INVALID, N_("nothing said is logged"));
	if (strlen(in->said) > SAID_MAX ||
	    (in->outcome && strlen(in->outcome) > SAID_MAX))
		return wq_fail(WQ_ERR_INVALID,
			       N_("a contact's text is at most %d bytes"),
			       SAID_MAX);
	if (!wq_utf8_valid(in->said, strlen(in->said)) ||
	    (in->outcome && !wq_utf8_valid(in->outcome, strlen(in->outcome))))
		return wq_fail(WQ_ERR_ENCODING, N_("a contact's text is UTF-8"));
	if (!empty(in->follow_up_on)) {
		if (strlen(in->follow_up_on) != 10 ||
		    !wq_date_parse(in->follow_up_on, &day))
			return wq_fail(WQ_ERR_INVALID,
				       N_("the follow-up date is YYYY-MM-DD"));
		if (day < wq_local_day(wq_now()))
			return wq_fail(WQ_ERR_INVALID,
				       N_("the follow-up date %s is past"),
				       in->follow_up_on);
	}
	return WQ_ERR_OK;
}

enum wq_err wq_contact_add(struct wq_store *store, const struct wq_user *actor,
			   const char *number, const struct wq_contact_in *in,
			   int64_t *contact_id)
{
	struct wq_stmt *st;
	struct wq_buf details = {0};
	char at[21], said_sha[65], outcome_sha[65];
	const char *outcome = in->outcome ? in->outcome : "";
	const char *follow_up = in->follow_up_on ? in->follow_up_on : "";
	int64_t case_id, event_id = 0, id = 0;
	enum wq_err err;

	err = check_in(in);
	if (err)
		return err;
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_case_id_by_number(store, number, &case_id);
	if (!err)
		err = wq_case_authorize(store, actor, case_id, WQ_CASE_CHANGE);
	if (err)
		goto rollback;
	wq_time_format(wq_now(), at);
	err = wq_store_prepare(store,
			       "INSERT INTO contacts(case_id, party, channel,"
			       " said, outcome, follow_up_on, author, at)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
			       " RETURNING id",
			       &st);
	if (err)
		goto rollback;
	wq_bind_int64(st, 1, case_id);
	wq_bind_text(st, 2, in->party);
	wq_bind_text(st, 3, in->channel);
	wq_bind_text(st, 4, in->said);
	wq_bind_text(st, 5, outcome);
	wq_bind_text(st, 6, follow_up);
	wq_bind_text(st, 7, actor->login);
	wq_bind_text(st, 8, at);
	if (wq_step(st) == WQ_ROW)
		id = wq_column_int64(st, 0);
	else
		err = wq_store_error(store, "contact");
	wq_store_finalize(store, st);
	if (err)
		goto rollback;
	/* What audit verify compares the row with (audit.h). */
	wq_audit_sha256(in->said, strlen(in->said), said_sha);
	wq_audit_sha256(outcome, strlen(outcome), outcome_sha);
	wq_buf_printf(&details, "{\"contact\":%" PRId64 ",\"party\":", id);
	wq_buf_json_string(&details, in->party);
	wq_buf_puts(&details, ",\"channel\":");
	wq_buf_json_string(&details, in->channel);
	wq_buf_printf(&details,
		      ",\"said_sha256\":\"%s\",\"outcome_sha256\":"
		      "\"%s\",\"follow_up_on\":",
		      said_sha, outcome_sha);
	wq_buf_json_string(&details, follow_up);
	/* the timeline's human part, as a ruling's arguments */
	wq_buf_puts(&details, ",\"args\":{\"argv\":[");
	wq_buf_json_string(&details, in->party);
	wq_buf_puts(&details, ",");
	wq_buf_json_string(&details, in->channel);
	wq_buf_puts(&details, ",");
	wq_buf_json_string(&details, in->said);
	if (*outcome) {
		wq_buf_puts(&details, ",");
		wq_buf_json_string(&details, outcome);
	}
	if (*follow_up) {
		wq_buf_puts(&details, ",");
		wq_buf_json_string(&details, follow_up);
	}
	wq_buf_puts(&details, "]}}");
	err = wq_audit_append(store, actor->login, case_id, "contact",
			      details.data, &event_id);
	wq_buf_free(&details);
	if (err)
		goto rollback;
	if (contact_id)
		*contact_id = id;
	return wq_store_commit(store);

rollback:
	wq_store_rollback(store);
	return err;
}

enum wq_err wq_contact_list(struct wq_store *store, const struct wq_user *actor,
			    const char *number, struct wq_contact_list *list)
{
	struct wq_stmt *st;
	int64_t case_id;
	enum wq_err err;
	int rc;

	memset(list, 0, sizeof(*list));
	err = wq_case_id_by_number(store, number, &case_id);
	if (!err)
		err = wq_case_authorize(store, actor, case_id, WQ_CASE_READ);
	if (err)
		return err;
	err = wq_store_prepare(store,
			       "SELECT id, party, channel, said, outcome,"
			       " follow_up_on, author, at FROM contacts"
			       " WHERE case_id = ?1 ORDER BY id",
			       &st);
	if (err)
		return err;
	wq_bind_int64(st, 1, case_id);
	while ((rc = wq_step(st)) == WQ_ROW) {
		struct wq_contact *c;

		list->v = wq_xrealloc(list->v, (list->n + 1) * sizeof(*c));
		c = &list->v[list->n++];
		memset(c, 0, sizeof(*c));
		c->id = wq_column_int64(st, 0);
		snprintf(c->party, sizeof(c->party), "%s",
			 wq_column_text(st, 1));
		snprintf(c->channel, sizeof(c->channel), "%s",
			 wq_column_text(st, 2));
		c->said = wq_strdup(wq_column_text(st, 3));
		c->outcome = wq_strdup(wq_column_text(st, 4));
		snprintf(c->follow_up_on, sizeof(c->follow_up_on), "%s",
			 wq_column_text(st, 5));
		snprintf(c->author, sizeof(c->author), "%s",
			 wq_column_text(st, 6));
		snprintf(c->at, sizeof(c->at), "%s", wq_column_text(st, 7));
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "contacts");
	wq_store_finalize(store, st);
	if (!err && list->n)
		snprintf(list->follow_up_on, sizeof(list->follow_up_on), "%s",
			 list->v[list->n - 1].follow_up_on);
	if (err)
		wq_contact_list_free(list);
	return err;
}

void wq_contact_list_free(struct wq_contact_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->v[i].said);
		free(list->v[i].outcome);
	}
	free(list->v);
	memset(list, 0, sizeof(*list));
}
