/* Logging a contact from the case view: party, channel, what was said,
 * the outcome and a follow-up date, each checked as it is given. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/ui.h"
#include "weiquan/calendar.h"
#include "weiquan/contact.h"
#include "weiquan/draft.h"
#include "weiquan/wqtime.h"

/* wq_contact_channels' labels, in its order. */
static const char *const channel_labels[] = {
    N_("Phone"), N_("SMS"), N_("Email"), N_("Visit"), N_("Letter"),
};

static bool pick(struct scr_ui *ui, const char *title, const char *const *codes,
		 const char *const *labels, const char **out)
{
	const char *shown[8];
	int n = 0, picked;

	for (; codes[n] && n < 7; n++)
		shown[n] = labels[n];
	shown[n] = NULL;
	if (!scr_prompt_pick(ui, title, codes, shown, &picked))
		return false;
	*out = codes[picked];
	return true;
}

/* A follow-up date, asked again, saying why, until it is empty or a date
 * not past. */
static bool ask_follow_up(struct scr_ui *ui, char **out)
{
	char title[256];

	snprintf(title, sizeof(title), "%s",
		 _("Follow up on (YYYY-MM-DD, empty: no follow-up)"));
	for (;;) {
		char *text;
		int day;

		if (!scr_prompt_line(ui, title, *out ? *out : "", &text))
			return false;
		free(*out);
		*out = text;
		if (!*text)
			return true;
		if (strlen(text) == 10 && wq_date_parse(text, &day) &&
		    day >= wq_local_day(wq_now()))
			return true;
		snprintf(title, sizeof(title),
			 _("'%s' is not a date from today on: follow up on "
			   "(YYYY-MM-DD, empty: no follow-up)"),
			 text);
	}
}

void scr_contact_log(struct scr_ui *ui, const char *number, int64_t case_id,
		     const char *case_type)
{
	const char *party_labels[3], *channel_shown[6];
	struct wq_contact_in in = {0};
	char *said = NULL, *outcome = NULL, *follow_up = NULL;
	enum wq_err err;

	for (int i = 0; wq_contact_parties[i] && i < 2; i++)
		party_labels[i] =
			scr_party_label(case_type, wq_contact_parties[i]);
	party_labels[2] = NULL;
	for (int i = 0; i < 5; i++)
		channel_shown[i] = _(channel_labels[i]);
	channel_shown[5] = NULL;
	if (!pick(ui, _("Contact with"), wq_contact_parties, party_labels,
		  &in.party) ||
	    !pick(ui, _("By"), wq_contact_channels, channel_shown, &in.channel))
		return;
	if (!scr_prompt_text(ui, _("What was said"), case_id, "contact", &said))
		return;
	if (!*said) {
		scr_status(ui, true, "%s",
			   _("Nothing said: no contact logged"));
		goto out;
	}
	if (!scr_prompt_line(ui, _("Outcome (empty: none)"), "", &outcome) ||
	    !ask_follow_up(ui, &follow_up))
		goto out;
	in.said = said;
	in.outcome = outcome;
	in.follow_up_on = follow_up;
	err = wq_contact_add(ui->store, &ui->actor, number, &in, NULL);
	if (err)
		scr_status_err(ui, err);
	else {
		/* logged: what was typed is no draft any more */
		wq_draft_delete(ui->store, &ui->actor, case_id, "contact");
		scr_status(ui, false, "%s", _("Contact logged"));
	}
out:
	free(said);
	free(outcome);
	free(follow_up);
}
