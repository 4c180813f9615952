/* Asking a ruling's arguments, shared by the case view (one case) and the
 * group screen (every member).  The argument names come from the core's
 * action table ("REASON [NOTE]"); a name whose values are known (the
 * first argument when the row lists its codes, a party, a remedy...) is a
 * pick list, the others a line, TEXT the multi-line editor. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/ui.h"
#include "weiquan/case.h"
#include "weiquan/casedetail.h"
#include "weiquan/rules.h"

static const char *const parties[] = {"complainant", "respondent", NULL};
static const char *const remedies[] = {"refund", "return", "exchange",
				       "repair", "compensation", NULL};
static const char *const flags[] = {WQ_FLAG_LIST(WQ_FLAG_CODE) NULL};

/* The open offers of d to pick one by its id. */
static bool ask_offer(struct scr_ui *ui, const struct wq_case_detail *d,
		      char **value)
{
	const char *ids[32], *labels[32];
	char text[32][160];
	int n = 0, picked;

	for (size_t i = 0; d && i < d->noffers && n < 31; i++) {
		const struct wq_offer_view *o = &d->offers[i];

		if (strcmp(o->state, "open") != 0)
			continue;
		snprintf(text[n], sizeof(text[n]),
			 "%" PRId64 " %s %s %" PRId64 ".%02" PRId64 " %s",
			 o->id, scr_label(SCR_L_PARTY, o->party),
			 scr_label(SCR_L_REMEDY, o->remedy),
			 o->amount_fen / 100, o->amount_fen % 100, o->terms);
		labels[n] = text[n];
		ids[n] = text[n];
		n++;
	}
	ids[n] = labels[n] = NULL;
	if (n == 0) {
		scr_status(ui, true, "%s",
			   _("no open offer: record one first (o)"));
		return false;
	}
	if (!scr_prompt_pick(ui, _("Which offer?"), ids, labels, &picked))
		return false;
	*value = strndup(ids[picked], strcspn(ids[picked], " "));
	return *value != NULL;
}

/* Asks for one argument; *value is malloc'd. */
static bool ask(struct scr_ui *ui, const struct wq_action *a,
		const struct wq_case_detail *d, const char *token, int index,
		bool optional, char **value)
{
	const char *const *choices = NULL;
	const char *picks[32], *reasons[32];
	enum scr_label_kind kind = SCR_L_REASON;
	const char *name = scr_label(SCR_L_ACTION, a->name);
	const char *what = scr_label(SCR_L_ARG, token);
	char title[240];
	int picked;

	if (index == 0 && a->reasons) {
		/* The grounds of the case's regime (a group ruling: every
		 * code, the core checks each member's). */
		wq_action_reasons(a, d ? d->regime : NULL, reasons, 32);
		choices = reasons;
		if (!strcmp(token, "FLAG"))
			kind = SCR_L_FLAG;
	} else if (!strcmp(token, "SUBSTATE")) {
		choices = wq_substates;
		kind = SCR_L_SUBSTATE;
	} else if (!strcmp(token, "PARTY") || !strcmp(token, "PERFORMER")) {
		choices = parties;
		kind = SCR_L_PARTY;
	} else if (!strcmp(token, "REMEDY")) {
		choices = remedies;
		kind = SCR_L_REMEDY;
	} else if (!strcmp(token, "FLAG")) {
		choices = flags;
		kind = SCR_L_FLAG;
	}
	if (choices) {
		int n = 0;

		for (; choices[n] && n < 31; n++)
			picks[n] = scr_label(kind, choices[n]);
		picks[n] = NULL;
		snprintf(title, sizeof(title), "%s: %s", name, what);
		if (!scr_prompt_pick(ui, title, choices, picks, &picked))
			return false;
		*value = strdup(choices[picked]);
		return *value != NULL;
	}
	if (!strcmp(token, "OFFER"))
		return ask_offer(ui, d, value);
	if (!strcmp(token, "TEXT"))
		return scr_prompt_text(ui, _(a->help), d ? d->row.id : 0,
				       d ? a->name : NULL, value);
	snprintf(title, sizeof(title), "%s %s%s%s", name, what,
		 optional ? _(" (optional)") : "",
		 !strcmp(token, "AMOUNT") ? _(" in yuan, or crpl55 / fsl148")
		 : !strcmp(token, "DUE")  ? _(" (YYYY-MM-DD)")
					  : "");
	return scr_prompt_line(ui, title, "", value);
}

bool scr_ask_ruling_args(struct scr_ui *ui, const struct wq_action *a,
			 const struct wq_case_detail *d,
			 char *args[SCR_RULING_ARGS], int *argc,
			 bool *drafted)
{
	char spec[96], *save, *tok;

	*argc = 0;
	*drafted = false;
	snprintf(spec, sizeof(spec), "%s", a->args);
	for (tok = strtok_r(spec, " ", &save); tok && *argc < SCR_RULING_ARGS;
	     tok = strtok_r(NULL, " ", &save)) {
		bool optional = tok[0] == '[';
		char token[32];

		snprintf(token, sizeof(token), "%.*s",
			 (int)strcspn(tok + optional, "]"), tok + optional);
		if (!ask(ui, a, d, token, *argc, optional, &args[*argc]))
			return false;
		if (!strcmp(token, "TEXT") && d)
			*drafted = true;
		if (optional && !*args[*argc]) {
			free(args[*argc]);
			args[*argc] = NULL;
			break;
		}
		(*argc)++;
	}
	return true;
}
