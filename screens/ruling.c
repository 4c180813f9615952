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
#include "weiquan/calendar.h"
#include "weiquan/case.h"
#include "weiquan/casedetail.h"
#include "weiquan/group.h"
#include "weiquan/report.h"
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

/* ---- answers checked as they are given ---- */

/* Why text is not an AMOUNT ("" when it is one): yuan, or a statutory
 * damages rule (RULE or RULE:LOSS) as the core takes it. */
static const char *amount_problem(const char *text)
{
	const char *problem;
	int64_t fen;

	if (wq_damages_arg(text, &problem))
		return problem ? _(problem) : "";
	return wq_amount_parse(text, &fen)
		       ? ""
		       : _("not an amount in yuan (e.g. 1299.50), nor a "
			   "damages rule (crpl55, crpl55-2:LOSS, fsl148, "
			   "dal144)");
}

static const char *date_problem(const char *text)
{
	int day;

	return wq_date_parse(text, &day) ? ""
					 : _("not a date (YYYY-MM-DD)");
}

/* A line that is asked again, with what was typed and why, until
 * problem() finds nothing wrong with it or the user cancels. */
static bool ask_checked(struct scr_ui *ui, const char *title,
			const char *(*problem)(const char *), bool optional,
			char **value)
{
	char *typed = NULL, again[400];
	const char *why;

	if (!scr_prompt_line(ui, title, "", value))
		return false;
	while (!(optional && !**value) && *(why = problem(*value))) {
		/* TRANSLATORS: what is wrong with the answer, the question. */
		snprintf(again, sizeof(again), _("%s: %s"), why, title);
		typed = *value;
		*value = NULL;
		if (!scr_prompt_line(ui, again, typed, value)) {
			free(typed);
			return false;
		}
		free(typed);
	}
	return true;
}

/* Picks from labels[0..n) after narrowing them to those holding what the
 * user types when there are more than a screen's worth. */
static bool pick_narrowed(struct scr_ui *ui, const char *title,
			  const char **labels, size_t n, int *picked)
{
	const char **shown, **choices;
	size_t *index, m = 0;
	char *part = NULL;
	bool ok = false;

	if (n > 15 && !scr_prompt_line(ui, _("Part of a name (empty: all)"),
				       "", &part))
		return false;
	shown = calloc(n + 1, sizeof(*shown));
	choices = calloc(n + 1, sizeof(*choices));
	index = calloc(n + 1, sizeof(*index));
	if (!shown || !choices || !index)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!part || strstr(labels[i], part)) {
			shown[m] = choices[m] = labels[i];
			index[m++] = i;
		}
	if (m == 0)
		scr_status(ui, true, _("nothing holds '%s'"), part);
	else if (scr_prompt_pick(ui, title, choices, shown, picked)) {
		*picked = (int)index[*picked];
		ok = true;
	}
	free(part);
	free(shown);
	free(choices);
	free(index);
	return ok;
}

/* A mediator or supervisor, with each one's open and overdue cases, as
 * the queue's assignee filter shows them. */
static bool ask_login(struct scr_ui *ui, const char *title, char **value)
{
	struct wq_report_mediator *people;
	const char **labels;
	size_t n;
	enum wq_err err;
	int picked;
	bool ok = false;

	err = wq_report_assignee_loads(ui->store, &ui->actor, &people, &n);
	if (err) {
		scr_status_err(ui, err);
		return false;
	}
	labels = calloc(n + 1, sizeof(*labels));
	if (!labels)
		abort();
	for (size_t i = 0; i < n; i++) {
		char text[256];

		snprintf(text, sizeof(text),
			 _("%s%s%s  %" PRId64 " open, %" PRId64 " overdue"),
			 people[i].login, *people[i].name ? " " : "",
			 people[i].name, people[i].open, people[i].overdue);
		labels[i] = strdup(text);
		if (!labels[i])
			abort();
	}
	if (n == 0)
		scr_status(ui, true, "%s", _("nobody can hold cases yet"));
	else if (pick_narrowed(ui, title, labels, n, &picked))
		ok = (*value = strdup(people[picked].login)) != NULL;
	for (size_t i = 0; i < n; i++)
		free((char *)labels[i]);
	free(labels);
	free(people);
	return ok;
}

/* An open collective group against the case's merchant. */
static bool ask_group(struct scr_ui *ui, const struct wq_case_detail *d,
		      const char *title, char **value)
{
	struct wq_group *groups;
	const char **labels;
	size_t n, m = 0;
	int64_t *ids;
	enum wq_err err;
	int picked;
	bool ok = false;

	err = wq_group_list(ui->store, d->merchant_id, &groups, &n);
	if (err) {
		scr_status_err(ui, err);
		return false;
	}
	labels = calloc(n + 1, sizeof(*labels));
	ids = calloc(n + 1, sizeof(*ids));
	if (!labels || !ids)
		abort();
	for (size_t i = 0; i < n; i++) {
		char text[320];

		if (!groups[i].open_members)
			continue;
		/* TRANSLATORS: group id, title, open members. */
		snprintf(text, sizeof(text), _("G%" PRId64 "  %s  (%" PRId64
					       " open)"),
			 groups[i].id, groups[i].title,
			 groups[i].open_members);
		labels[m] = strdup(text);
		if (!labels[m])
			abort();
		ids[m++] = groups[i].id;
	}
	if (m == 0)
		scr_status(ui, true, "%s",
			   _("no open collective group against this "
			     "merchant"));
	else if (pick_narrowed(ui, title, labels, m, &picked)) {
		char id[32];

		snprintf(id, sizeof(id), "G%" PRId64, ids[picked]);
		ok = (*value = strdup(id)) != NULL;
	}
	for (size_t i = 0; i < m; i++)
		free((char *)labels[i]);
	free(labels);
	free(ids);
	wq_group_list_free(groups, n);
	return ok;
}

/* Another case, looked up as the queue's find does (its number, also
 * without the prefix, a phone, a name...) and picked when several match;
 * asked again when none does. */
static bool ask_case(struct scr_ui *ui, const struct wq_case_detail *d,
		     const char *title, char **value)
{
	char *text = NULL, again[400];
	const char *question = title;

	for (;;) {
		struct wq_find_result found;
		const char **labels;
		size_t m = 0;
		int picked;
		enum wq_err err;
		bool ok = false;

		if (!scr_prompt_line(ui, question, text ? text : "", value)) {
			free(text);
			return false;
		}
		free(text);
		text = *value;
		*value = NULL;
		err = wq_case_find(ui->store, &ui->actor, text, 50, &found);
		if (err) {
			scr_status_err(ui, err);
			free(text);
			return false;
		}
		labels = calloc(found.count + 1, sizeof(*labels));
		if (!labels)
			abort();
		for (size_t i = 0; i < found.count; i++) {
			const struct wq_found *h = &found.hits[i];
			char line[320];

			if (d && h->row.id == d->row.id)
				continue;
			snprintf(line, sizeof(line), "%s  %s  %s",
				 h->row.number, h->row.consumer,
				 h->row.merchant);
			labels[m] = strdup(line);
			if (!labels[m++])
				abort();
		}
		if (m == 1) {
			ok = true;
			picked = 0;
		} else if (m > 1) {
			ok = scr_prompt_pick(ui, title, labels, labels,
					     &picked);
		}
		if (ok)
			*value = strndup(labels[picked],
					 strcspn(labels[picked], " "));
		for (size_t i = 0; i < m; i++)
			free((char *)labels[i]);
		free(labels);
		wq_find_result_free(&found);
		if (ok || m > 1) {
			free(text);
			return ok && *value;
		}
		/* TRANSLATORS: what was typed, the question. */
		snprintf(again, sizeof(again), _("no other case found for "
						 "'%s': %s"),
			 text, title);
		question = again;
	}
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
	snprintf(title, sizeof(title), "%s: %s", name, what);
	if (!strcmp(token, "LOGIN"))
		return ask_login(ui, title, value);
	if (!strcmp(token, "GROUP") && d)
		return ask_group(ui, d, title, value);
	if (!strcmp(token, "NUMBER"))
		return ask_case(ui, d, title, value);
	if (!strcmp(token, "TEXT"))
		return scr_prompt_text(ui, _(a->help), d ? d->row.id : 0,
				       d ? a->name : NULL, value);
	snprintf(title, sizeof(title), "%s %s%s%s", name, what,
		 optional ? _(" (optional)") : "",
		 !strcmp(token, "AMOUNT") ? _(" in yuan, or crpl55 / crpl55-2:LOSS / fsl148 / dal144")
		 : !strcmp(token, "DUE")  ? _(" (YYYY-MM-DD)")
					  : "");
	if (!strcmp(token, "AMOUNT"))
		return ask_checked(ui, title, amount_problem, optional, value);
	if (!strcmp(token, "DUE"))
		return ask_checked(ui, title, date_problem, optional, value);
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
