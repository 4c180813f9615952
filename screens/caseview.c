/* The case: a header with the clocks and both parties, the complainant's
 * statements on the left and the respondent's on the right (stacked when
 * narrow), evidence below — or the event timeline, or the offer ledger.
 * Rulings are one key each; arguments are picked or typed; terminal
 * outcomes ask first; a refusal says why and writes nothing. */
#include "config.h"

#include <curses.h>
#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/files.h"
#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/casedetail.h"
#include "weiquan/convert.h"
#include "weiquan/document.h"
#include "weiquan/draft.h"
#include "weiquan/intake.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/zmodem.h"

enum pane { PANE_LEFT, PANE_RIGHT, PANE_ASIDE, PANE_COUNT };

struct casev {
	char number[32];
	struct wq_case_detail *d;
	enum pane focus;
	int scroll[2];
	int lines[2];            /* display lines of each pane at last draw */
	/* The statement at the top of each pane at the last draw (Enter
	 * reads it in full), -1 when the pane has none. */
	long top_statement[2];
	size_t sel, top;         /* in the aside list */
	/* The statements and the events' summaries converted for reading
	 * (never stored): parallel to d->statements and d->events while
	 * script is not WQ_SCRIPT_UNKNOWN. */
	enum wq_script script;
	char **converted;
	size_t nconverted;
	char **converted_events;
	size_t nconverted_events;
	/* Whether each ruling of the case's track can be asked now
	 * (wq_rule_ready), found on load: draw never queries. */
	bool ready[64];
};

static void drop_converted(struct casev *c)
{
	for (size_t i = 0; i < c->nconverted; i++)
		free(c->converted[i]);
	free(c->converted);
	c->converted = NULL;
	c->nconverted = 0;
	for (size_t i = 0; i < c->nconverted_events; i++)
		free(c->converted_events[i]);
	free(c->converted_events);
	c->converted_events = NULL;
	c->nconverted_events = 0;
}

static void event_args(const struct casev *c, const struct wq_event_view *e,
		       char *buf, size_t n);

/* Converts every statement to c->script; on failure shows the original
 * and says why. */
static void convert_statements(struct screen *s)
{
	struct casev *c = s->priv;
	enum wq_err err = WQ_ERR_OK;

	drop_converted(c);
	if (c->script == WQ_SCRIPT_UNKNOWN || !c->d->nstatements)
		return;
	c->converted = calloc(c->d->nstatements, sizeof(*c->converted));
	if (!c->converted)
		err = WQ_ERR_NOMEM;
	for (size_t i = 0; !err && i < c->d->nstatements; i++) {
		const char *text = c->d->statements[i].text;

		err = wq_convert(text, strlen(text), c->script,
				 &c->converted[i]);
		c->nconverted = i + 1;
	}
	/* The timeline quotes notes and comments: it reads the same. */
	if (!err && c->d->nevents) {
		c->converted_events =
			calloc(c->d->nevents, sizeof(*c->converted_events));
		if (!c->converted_events)
			err = WQ_ERR_NOMEM;
	}
	for (size_t i = 0; !err && i < c->d->nevents; i++) {
		char text[1024] = "";

		event_args(c, &c->d->events[i], text, sizeof(text));
		err = wq_convert(text, strlen(text), c->script,
				 &c->converted_events[i]);
		c->nconverted_events = i + 1;
	}
	if (err) {
		drop_converted(c);
		c->script = WQ_SCRIPT_UNKNOWN;
		scr_status_err(s->ui, err);
	}
}

static void find_ready(struct screen *s)
{
	struct casev *c = s->priv;
	const struct wq_track *t =
		wq_track_for(c->d->row.type, c->d->row.status);
	int n = t ? t->action_count : 0;

	memset(c->ready, 0, sizeof(c->ready));
	for (int i = 0; i < n && i < (int)(sizeof(c->ready) /
					    sizeof(c->ready[0]));
	     i++)
		c->ready[i] = wq_rule_ready(s->ui->store, &s->ui->actor,
					    c->d->row.id,
					    t->actions[i].name) == WQ_ERR_OK;
	/* What the checks left is no refusal of anything the user did. */
	wq_err_clear();
}

static int load(struct screen *s)
{
	struct casev *c = s->priv;
	struct wq_case_detail *d;
	enum wq_err err;

	err = wq_case_detail_load(s->ui->store, &s->ui->actor, c->number, &d);
	if (err) {
		scr_status_err(s->ui, err);
		return -1;
	}
	wq_case_detail_free(&c->d);
	c->d = d;
	find_ready(s);
	/* A statement added meanwhile is shown converted like the rest. */
	if (c->script != WQ_SCRIPT_UNKNOWN)
		convert_statements(s);
	return 0;
}

static int case_open(struct screen *s, const void *arg)
{
	struct casev *c = s->priv;

	snprintf(c->number, sizeof(c->number), "%s", (const char *)arg);
	s->lay.aside = SCR_ASIDE_EVIDENCE;
	return load(s);
}

static void case_close(struct screen *s)
{
	struct casev *c = s->priv;

	drop_converted(c);
	wq_case_detail_free(&c->d);
}

static void case_data_changed(struct screen *s)
{
	load(s);
}

/* The case itself, its group's, and its merchant's other cases (the
 * merchant's record on screen counts them). */
static bool case_concerns(struct screen *s, const struct wq_changes *changes)
{
	const struct casev *c = s->priv;
	struct wq_filter same_merchant = {.status = "all"};
	bool any = true;

	if (!c->d || c->d->group_id || wq_changes_touch(changes, c->d->row.id))
		return true;
	same_merchant.merchant_id = c->d->merchant_id;
	if (c->d->merchant_id <= 0 ||
	    wq_case_filter_any(s->ui->store, &s->ui->actor, &same_merchant,
			       changes->case_ids, changes->n, &any))
		return true;
	return any;
}

static size_t aside_count(const struct screen *s)
{
	const struct casev *c = s->priv;

	switch (s->lay.aside) {
	case SCR_ASIDE_TIMELINE: return c->d->nevents;
	case SCR_ASIDE_OFFERS: return c->d->noffers;
	default: return c->d->nevidence;
	}
}

/* ---- drawing ---- */

static void text_at(struct screen *s, int y, int x, int w, const char *text,
		    enum scr_attr a)
{
	if (w > 0)
		scr_draw_text(stdscr, y, x, w, text, s->ui->attr[a],
			      SCR_TEXT_PAD | SCR_TEXT_NL_SPACE);
}

static void clocks_line(const struct wq_case_detail *d, char *buf, size_t n)
{
	/* a closed case is never overdue, whatever a clock left behind */
	bool closed = strcmp(d->row.status, "closed") == 0;
	size_t used = 0;

	buf[0] = '\0';
	if (*d->row.review_since) {
		char since[32];

		scr_local_time(d->row.review_since, since, sizeof(since));
		used += (size_t)snprintf(
			buf, n,
			/* TRANSLATORS: working days waited, since when (local
			 * date and time); wd: working days. */
			_("in review for %d wd (since %.10s)  "),
			d->row.review_days, since);
	}
	for (int i = 0; !closed && i < d->nclocks && used < n; i++) {
		const struct wq_clock_view *k = &d->clocks[i];
		const char *name = scr_label(SCR_L_CLOCK, k->name);

		if (*k->stopped)
			continue;
		if (*k->paused)
			used += (size_t)snprintf(buf + used, n - used,
						 _("%s paused since %s"), name,
						 k->paused);
		else if (k->calendar_days && k->days_left < 0)
			used += (size_t)snprintf(
				buf + used, n - used,
				/* TRANSLATORS: a statutory wait in calendar
				 * days that has run out: clock, its last
				 * day. */
				_("%s over (last day %s)"), name, k->due);
		else if (k->calendar_days)
			used += (size_t)snprintf(
				buf + used, n - used,
				/* TRANSLATORS: clock, calendar days left
				 * (not working days), its last day. */
				_("%s %d days left (to %s)"), name,
				k->days_left, k->due);
		else if (k->days_left < 0)
			used += (size_t)snprintf(
				buf + used, n - used,
				/* TRANSLATORS: clock, working days (negative),
				 * "?" when the holiday calendar is not loaded
				 * that far, due date; wd: working days. */
				k->unverified ? _("%s %d%s wd OVERDUE (%s, "
						  "unverified)")
					      : _("%s %d%s wd OVERDUE (%s)"),
				name,
				k->days_left, k->uncertain ? "?" : "", k->due);
		else if (k->unverified)
			used += (size_t)snprintf(
				buf + used, n - used,
				/* TRANSLATORS: as "%s %d%s wd left (%s)", for
				 * a deadline counted from a figure not yet
				 * checked against the official text. */
				_("%s %d%s wd left (%s, unverified)"), name,
				k->days_left, k->uncertain ? "?" : "", k->due);
		else
			used += (size_t)snprintf(
				buf + used, n - used,
				/* TRANSLATORS: clock, working days left, "?"
				 * when the holiday calendar is not loaded that
				 * far, due date; wd: working days. */
				_("%s %d%s wd left (%s)"), name, k->days_left,
				k->uncertain ? "?" : "", k->due);
		if (used < n)
			used += (size_t)snprintf(buf + used, n - used, "  ");
	}
	if (!buf[0])
		snprintf(buf, n, "%s", _("no clock running"));
}

static void yuan(int64_t fen, char *out, size_t n)
{
	if (fen < 0)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%" PRId64 ".%02" PRId64, fen / 100, fen % 100);
}

/* A diversion case (串货) is about a brand's goods out of the
 * distributor's region, not an order: its header line says so. */
static void diversion_line(const struct wq_case_detail *d, char *buf,
			   size_t n)
{
	char penalty[32], agreed[32];

	yuan(d->diversion.penalty_fen, penalty, sizeof(penalty));
	yuan(d->diversion.agreed_penalty_fen, agreed, sizeof(agreed));
	snprintf(buf, n,
		 /* TRANSLATORS: a cross-region diversion case: the brand,
		  * the distributor's authorised region, where the goods
		  * were found, the penalty the contract sets and the one
		  * agreed (yuan, "-" when none), batch, the contract
		  * clause. */
		 _("brand %s  authorised %s -> found %s  penalty %s (agreed "
		   "%s)  batch %s  clause: %s"),
		 d->diversion.brand, d->diversion.authorised_region,
		 d->diversion.found_region, penalty, agreed,
		 *d->diversion.batch ? d->diversion.batch : "-",
		 *d->diversion.clause ? d->diversion.clause : "-");
}

static void draw_header(struct screen *s)
{
	struct casev *c = s->priv;
	const struct wq_case_detail *d = c->d;
	const struct wq_case_row *r = &d->row;
	struct scr_rect h = scr_layout_rect(&s->lay, SCR_AREA_CASE_HEADER);
	char line[4][600], flags[200] = "", amount[32];
	bool complaint = strcmp(r->type, "complaint") == 0;
	size_t used;
	int nflags = 0;

	for (unsigned b = 0; b < WQ_FLAG_COUNT_; b++)
		if (r->flags & (1u << b))
			nflags += snprintf(flags + nflags,
					   sizeof(flags) - (size_t)nflags,
					   "[%s] ",
					   scr_label(SCR_L_FLAG,
						     wq_flag_name(b)));
	/* In order of importance: a one-line header keeps the clocks. */
	clocks_line(d, line[0], sizeof(line[0]));
	used = (size_t)snprintf(line[1], sizeof(line[1]),
				/* TRANSLATORS: the two parties: role: name
				 * phone  ID number | role: name (platform
				 * shop-id) */
				_("%s: %s  %s  %s | %s: %s (%s %s)"),
				complaint ? _("consumer") : _("complainant"),
				d->consumer_name, d->consumer_phone,
				d->consumer_id_number,
				complaint ? _("merchant") : _("respondent"),
				r->merchant, d->merchant_platform,
				d->merchant_shop_id);
	if (used < sizeof(line[1]))
		used += (size_t)snprintf(
			line[1] + used, sizeof(line[1]) - used,
			/* TRANSLATORS: the merchant's record: counts of
			 * cases. */
			_(" complaints %lld settled %lld failed %lld "
			  "unperformed %lld"),
			(long long)d->merchant_complaints,
			(long long)d->merchant_settled,
			(long long)d->merchant_failed,
			(long long)d->merchant_unperformed);
	if (used < sizeof(line[1]) && d->merchant_penalties)
		used += (size_t)snprintf(line[1] + used, sizeof(line[1]) - used,
					 /* TRANSLATORS: penalties recorded
					  * on the merchant. */
					 _(" penalties %lld"),
					 (long long)d->merchant_penalties);
	if (used < sizeof(line[1]))
		snprintf(line[1] + used, sizeof(line[1]) - used, "%s%s",
			 r->merchant_repeat ? _(" REPEAT OFFENDER") : "",
			 r->merchant_blacklisted ? _(" BLACKLISTED") : "");
	snprintf(amount, sizeof(amount), "%" PRId64 ".%02" PRId64,
		 r->amount_fen / 100, r->amount_fen % 100);
	if (d->diversion.brand)
		diversion_line(d, line[2], sizeof(line[2]));
	else
		/* TRANSLATORS: order number, order date, amount in yuan, the
		 * remedy the consumer claims, category, region. */
		snprintf(line[2], sizeof(line[2]),
			 _("order %s  %s  amount %s  remedy claimed: %s  "
			   "category %s  region %s"),
			 *d->order_no ? d->order_no : "-", d->order_date,
			 amount,
			 *d->remedy ? scr_label(SCR_L_REMEDY, d->remedy) : "-",
			 scr_label(SCR_L_CATEGORY, r->category), r->region);
	used = (size_t)snprintf(line[3], sizeof(line[3]), "%s", flags);
	if (*d->reason && used < sizeof(line[3]))
		used += (size_t)snprintf(line[3] + used,
					 sizeof(line[3]) - used,
					 _("reason: %s  "),
					 scr_label(SCR_L_REASON, d->reason));
	if (*d->duplicate_of && used < sizeof(line[3]))
		used += (size_t)snprintf(line[3] + used,
					 sizeof(line[3]) - used,
					 _("duplicate of %s"), d->duplicate_of);
	if (*d->report && used < sizeof(line[3]))
		used += (size_t)snprintf(line[3] + used, sizeof(line[3]) - used,
					 _("  report: %s"),
					 scr_label(SCR_L_REPORT, d->report));
	if (d->entrusted_by && *d->entrusted_by && used < sizeof(line[3]))
		used += (size_t)snprintf(line[3] + used, sizeof(line[3]) - used,
					 _("  entrusted by %s"),
					 d->entrusted_by);
	if (*d->seat_ground && used < sizeof(line[3]))
		/* TRANSLATORS: jurisdiction: the region where the platform
		 * operator is domiciled, and why the case is handled there. */
		used += (size_t)snprintf(
			line[3] + used, sizeof(line[3]) - used,
			_("  handled at the platform's seat %s (%s)"),
			d->platform_domicile,
			scr_label(SCR_L_REASON, d->seat_ground));
	if (d->group_id && used < sizeof(line[3]))
		/* TRANSLATORS: collective group, its title, its size. */
		snprintf(line[3] + used, sizeof(line[3]) - used,
			 _("  group G%lld %s (%lld members)"),
			 (long long)d->group_id, d->group_title,
			 (long long)d->group_members);
	for (int i = 0; i < h.h && i < 4; i++)
		text_at(s, h.y + i, h.x, h.w, line[i],
			i == 0 && r->days_left < 0 && *r->due_on &&
					strcmp(r->status, "closed") != 0
				? SCR_A_OVERDUE
				: SCR_A_NORMAL);
	for (int i = 4; i < h.h; i++)
		move(h.y + i, h.x);
}

/* Draws one party's statements into a pane, wrapped at its width, from
 * display line `scroll`; returns the number of display lines. */
static int draw_pane(struct screen *s, enum scr_area text_area,
		     const char *party, int scroll, long *top_statement)
{
	struct casev *c = s->priv;
	struct scr_rect r = scr_layout_rect(&s->lay, text_area);
	int line = 0;

	*top_statement = -1;
	for (size_t i = 0; i < c->d->nstatements; i++) {
		const struct wq_statement_view *st = &c->d->statements[i];
		struct scr_cells cells = {0};
		struct scr_lines lines = {0};
		char head[160], when[32];

		if (strcmp(st->party, party) != 0)
			continue;
		if (line <= scroll || *top_statement < 0)
			*top_statement = (long)i;
		scr_local_time(st->at, when, sizeof(when));
		snprintf(head, sizeof(head), "-- %s %s", when, st->author);
		if (line >= scroll && line - scroll < r.h)
			text_at(s, r.y + line - scroll, r.x, r.w, head,
				SCR_A_DIM);
		line++;
		scr_text_wrap(i < c->nconverted ? c->converted[i] : st->text,
			      r.w > 0 ? r.w : 1, SCR_TEXT_NL_BREAK, &cells,
			      &lines);
		for (size_t k = 0; k < lines.n; k++, line++) {
			if (line < scroll || line - scroll >= r.h)
				continue;
			scr_draw_cells(stdscr, r.y + line - scroll, r.x, r.w,
				       cells.v + lines.v[k].first,
				       lines.v[k].count,
				       s->ui->attr[SCR_A_NORMAL], SCR_TEXT_PAD);
		}
		scr_lines_free(&lines);
		scr_cells_free(&cells);
	}
	if (line == 0)
		text_at(s, r.y, r.x, r.w, _("(no statement yet)"), SCR_A_DIM);
	return line;
}

/* Appends text and, like %-*s but in display columns (a label may be
 * Chinese), spaces up to width w and one more. */
static void cell(char *buf, size_t n, const char *text, int w)
{
	size_t used = strlen(buf);
	int pad = w - scr_text_width(text);

	snprintf(buf + used, n - used, "%s%*s ", text, pad > 0 ? pad : 0, "");
}

/* The name of event e's argument k in its ruling's list ("REASON" of
 * "REASON [NOTE]"), "" when the ruling is unknown or has fewer. */
static void arg_name(const struct wq_event_view *e, int k, char *out,
		     size_t size)
{
	const struct wq_action *a = wq_action_find(e->action);
	const char *p = a ? a->args : "";

	out[0] = '\0';
	for (int i = 0; *p; i++) {
		size_t len;

		p += strspn(p, " [");
		len = strcspn(p, " ]");
		if (i == k) {
			snprintf(out, size, "%.*s", (int)len, p);
			return;
		}
		p += len;
		p += strspn(p, " ]");
	}
}

/* Argument k of event e as the screens show it: a code (a reason, a
 * party, a remedy...) by its label, an offer by its number, the rest as
 * given. */
static const char *arg_shown(const struct wq_case_row *row,
			     const struct wq_event_view *e, int k)
{
	static char offer[32];
	const char *v = e->argv[k];
	char name[16];

	arg_name(e, k, name, sizeof(name));
	if (!strcmp(name, "REASON") || !strcmp(name, "MEASURE"))
		return scr_label(SCR_L_REASON, v);
	if (!strcmp(name, "PARTY") || !strcmp(name, "PERFORMER"))
		return scr_party_label(row->type, v);
	if (!strcmp(name, "REMEDY"))
		return scr_label(SCR_L_REMEDY, v);
	if (!strcmp(name, "SUBSTATE"))
		return scr_label(SCR_L_SUBSTATE, v);
	if (!strcmp(name, "FLAG"))
		return scr_label(SCR_L_FLAG, v);
	if (!strcmp(name, "OFFER")) {
		snprintf(offer, sizeof(offer), "#%s", v);
		return offer;
	}
	return v;
}

/* Appends an event's arguments to buf as the timeline shows them: each by
 * its label, not its code. */
static void event_args(const struct casev *c, const struct wq_event_view *e,
		       char *buf, size_t n)
{
	size_t used;

	for (int k = 0; k < e->argc; k++) {
		used = strlen(buf);
		snprintf(buf + used, n - used, "%s%s", k ? " " : "",
			 arg_shown(&c->d->row, e, k));
	}
}

static void aside_row(const struct screen *s, size_t i, char *buf, size_t n)
{
	const struct casev *c = s->priv;
	char when[32];
	size_t used;

	switch (s->lay.aside) {
	case SCR_ASIDE_TIMELINE: {
		const struct wq_event_view *e = &c->d->events[i];

		scr_local_time(e->at, when, sizeof(when));
		snprintf(buf, n, "%s %-10s ", when, e->actor);
		cell(buf, n, scr_label(SCR_L_ACTION, e->action), 14);
		if (i < c->nconverted_events) {
			used = strlen(buf);
			snprintf(buf + used, n - used, "%s",
				 c->converted_events[i]);
		} else {
			event_args(c, e, buf, n);
		}
		break;
	}
	case SCR_ASIDE_OFFERS: {
		const struct wq_offer_view *o = &c->d->offers[i];

		snprintf(buf, n, "#%" PRId64 " ", o->id);
		cell(buf, n, scr_party_label(c->d->row.type, o->party), 11);
		cell(buf, n, scr_label(SCR_L_REMEDY, o->remedy), 12);
		used = strlen(buf);
		snprintf(buf + used, n - used, "%8" PRId64 ".%02" PRId64 " ",
			 o->amount_fen / 100, o->amount_fen % 100);
		cell(buf, n, scr_label(SCR_L_OFFER, o->state), 9);
		used = strlen(buf);
		scr_local_time(o->at, when, sizeof(when));
		snprintf(buf + used, n - used, "%s %s", when, o->terms);
		break;
	}
	default: {
		const struct wq_evidence_view *e = &c->d->evidence[i];

		buf[0] = '\0';
		cell(buf, n, scr_label(SCR_L_EVIDENCE, e->kind), 9);
		/* Shared evidence is the group's, whoever brought it. */
		cell(buf, n,
		     e->shared ? _("group")
			       : scr_party_label(c->d->row.type, e->party),
		     11);
		used = strlen(buf);
		snprintf(buf + used, n - used, "%8" PRId64 "B %-9s %.12s  ",
			 e->size, e->encoding, e->sha256);
		/* Where the worker is with an image's text, and a second
		 * copy of a file, before the name that may be cut. */
		used = strlen(buf);
		if (e->duplicate_of)
			snprintf(buf + used, n - used, "[%s] ",
				 _("duplicate file"));
		used = strlen(buf);
		if (e->reading == WQ_READ_WAITING)
			snprintf(buf + used, n - used, "[%s] ", _("being read"));
		else if (e->reading == WQ_READ_DONE)
			snprintf(buf + used, n - used, "[%s] ", _("text read"));
		else if (e->reading == WQ_READ_FAILED)
			snprintf(buf + used, n - used, "[%s] ",
				 _("no text read"));
		used = strlen(buf);
		snprintf(buf + used, n - used, "%s", e->file_name);
		break;
	}
	}
}

static void case_draw(struct screen *s)
{
	struct casev *c = s->priv;
	struct scr_ui *ui = s->ui;
	const struct wq_case_row *r = &c->d->row;
	struct scr_rect title = scr_layout_rect(&s->lay, SCR_AREA_TITLE);
	struct scr_rect lt = scr_layout_rect(&s->lay,
					     SCR_AREA_CASE_CONSUMER_TITLE);
	struct scr_rect rt = scr_layout_rect(&s->lay,
					     SCR_AREA_CASE_MERCHANT_TITLE);
	struct scr_rect at = scr_layout_rect(&s->lay, SCR_AREA_CASE_ASIDE_TITLE);
	struct scr_rect al = scr_layout_rect(&s->lay, SCR_AREA_CASE_ASIDE_LIST);
	bool complaint = strcmp(r->type, "complaint") == 0;
	char line[600];
	static const char *const aside_titles[] = {
		[SCR_ASIDE_EVIDENCE] = N_("Evidence"),
		[SCR_ASIDE_TIMELINE] = N_("Events"),
		[SCR_ASIDE_OFFERS] = N_("Offers"),
	};
	char who[160], converted[200] = "";

	if (*r->assignee)
		snprintf(who, sizeof(who), _("assigned to %s"), r->assignee);
	else
		snprintf(who, sizeof(who), "%s", _("unassigned"));
	snprintf(line, sizeof(line), "%s  %s  %s%s%s  v%" PRId64 "  %s",
		 r->number, scr_label(SCR_L_TYPE, r->type),
		 scr_status_label(r->status), *r->substate ? "/" : "",
		 scr_label(SCR_L_SUBSTATE, r->substate), r->version, who);
	text_at(s, title.y, title.x, title.w, line, SCR_A_TITLE);
	draw_header(s);

	if (c->nconverted)
		snprintf(converted, sizeof(converted),
			 /* TRANSLATORS: Simplified or Traditional; the key
			  * that shows the original statements again. */
			 _("  [converted to %s: %s for the original]"),
			 c->script == WQ_SCRIPT_TRADITIONAL ? _("Traditional")
							    : _("Simplified"),
			 scr_key_for(s->ops, SCR_ACT_SCRIPT, NULL));
	/* The focus mark first: a narrow pane cuts the end. */
	snprintf(line, sizeof(line), "%s%s%s",
		 complaint ? _("Consumer") : _("Complainant"),
		 c->focus == PANE_LEFT ? "  <" : "", converted);
	text_at(s, lt.y, lt.x, lt.w, line,
		c->focus == PANE_LEFT ? SCR_A_SELECTED : SCR_A_TITLE);
	snprintf(line, sizeof(line), "%s%s%s",
		 complaint ? _("Merchant") : _("Respondent"),
		 c->focus == PANE_RIGHT ? "  <" : "", converted);
	text_at(s, rt.y, rt.x, rt.w, line,
		c->focus == PANE_RIGHT ? SCR_A_SELECTED : SCR_A_TITLE);
	if (scr_layout_shown(&s->lay, SCR_AREA_CASE_SEP)) {
		struct scr_rect sep = scr_layout_rect(&s->lay,
						      SCR_AREA_CASE_SEP);

		/* As the prompts' borders: luit and terminals that draw
		 * ambiguous characters wide get ASCII. */
		if (scr_text_line_drawing())
			mvvline_set(sep.y, sep.x, WACS_VLINE, sep.h);
		else
			mvvline(sep.y, sep.x, '|', sep.h);
	}
	c->lines[0] = draw_pane(s, SCR_AREA_CASE_CONSUMER_TEXT, "complainant",
				c->scroll[0], &c->top_statement[0]);
	c->lines[1] = draw_pane(s, SCR_AREA_CASE_MERCHANT_TEXT, "respondent",
				c->scroll[1], &c->top_statement[1]);

	snprintf(line, sizeof(line), "%s (%zu)%s",
		 _(aside_titles[s->lay.aside]),
		 aside_count(s), c->focus == PANE_ASIDE ? "  <" : "");
	text_at(s, at.y, at.x, at.w, line,
		c->focus == PANE_ASIDE ? SCR_A_SELECTED : SCR_A_TITLE);
	if (c->sel < c->top)
		c->top = c->sel;
	if (al.h > 0 && c->sel >= c->top + (size_t)al.h)
		c->top = c->sel - (size_t)al.h + 1;
	for (int i = 0; i < al.h; i++) {
		size_t k = c->top + (size_t)i;

		if (k >= aside_count(s))
			break;
		aside_row(s, k, line, sizeof(line));
		text_at(s, al.y + i, al.x, al.w, line,
			k == c->sel && c->focus == PANE_ASIDE
				? SCR_A_SELECTED
				: SCR_A_NORMAL);
	}
	(void)ui;
}

/* ---- rulings ---- */

/* Whether the ruling ends the case's handling (the `final` column of
 * WQ_STATUS_LIST), so the console asks to confirm it. */
static bool is_terminal(const struct wq_action *a, const char *status)
{
#define FINAL_ROW(c, open, early, ends, submit, final) {c, final},
	static const struct {
		const char *status;
		bool final;
	} statuses[] = {WQ_STATUS_LIST(FINAL_ROW)};
#undef FINAL_ROW

	if (strcmp(a->name, "approve") == 0)
		return strcmp(status, "final_review") == 0;
	if (strcmp(a->name, "reopen") == 0)
		return true;
	for (size_t i = 0; a->to && i < sizeof(statuses) / sizeof(*statuses);
	     i++)
		if (strcmp(a->to, statuses[i].status) == 0)
			return statuses[i].final;
	return false;
}

/* Whether the ruling can be asked now: role, status and its own
 * preconditions, as the core found them on load. */
static bool applies(const struct screen *s, const struct wq_action *a)
{
	const struct casev *c = s->priv;
	const struct wq_track *t =
		wq_track_for(c->d->row.type, c->d->row.status);
	long i = t ? a - t->actions : -1;

	return i >= 0 && i < t->action_count &&
	       i < (long)(sizeof(c->ready) / sizeof(c->ready[0])) &&
	       c->ready[i];
}

static void rule(struct screen *s, const char *name)
{
	struct casev *c = s->priv;
	const struct wq_action *a = wq_track_action(
		wq_track_for(c->d->row.type, c->d->row.status), name);
	char *args[SCR_RULING_ARGS] = {0};
	const char *argv[SCR_RULING_ARGS];
	struct wq_ruling r = {0};
	struct wq_ruling_result res;
	enum wq_err err;
	int argc = 0;
	bool ok, used_draft = false;

	if (!a)
		return;
	/* The core's refusal before any question: no point asking for
	 * arguments it would refuse anyway. */
	err = wq_rule_ready(s->ui->store, &s->ui->actor, c->d->row.id,
			    a->name);
	if (err) {
		scr_status_err(s->ui, err);
		return;
	}
	ok = scr_ask_ruling_args(s->ui, a, c->d, args, &argc, &used_draft);
	if (ok && is_terminal(a, c->d->row.status)) {
		char q[320];

		/* TRANSLATORS: ruling, case number; y is the key that
		 * confirms, whatever the language. */
		snprintf(q, sizeof(q),
			 _("%s %s: this decides the case. Sure? (y/n)"),
			 scr_label(SCR_L_ACTION, a->name), c->number);
		ok = scr_prompt_confirm(s->ui, q);
	}
	if (!ok) {
		if (!s->ui->status[0])
			scr_status(s->ui, false, _("%s cancelled"),
				   scr_label(SCR_L_ACTION, a->name));
		goto out;
	}
	for (int i = 0; i < argc; i++)
		argv[i] = args[i];
	r.action = a->name;
	r.argc = argc;
	r.argv = argv;
	r.expect_version = c->d->row.version;
	err = wq_rule(s->ui->store, &s->ui->actor, c->number, &r, &res);
	if (err == WQ_ERR_STALE && load(s) == 0 && c->d->nevents) {
		/* Short enough for 80 columns: who, when, and that nothing
		 * typed is lost; the reloaded case is already on screen. */
		const struct wq_event_view *last = &c->d->events[c->d->nevents - 1];

		char when[32];

		scr_local_time(last->at, when, sizeof(when));
		/* TRANSLATORS: who changed the case, and at what time (local
		 * hours and minutes). */
		scr_status(s->ui, true, _("%s changed the case at %s: reloaded"),
			   last->actor, strlen(when) > 11 ? when + 11 : when);
		if (used_draft)
			strncat(s->ui->status, _("; your text is kept as a draft"),
				sizeof(s->ui->status) -
					strlen(s->ui->status) - 1);
		goto out;
	} else if (err) {
		scr_status_err(s->ui, err);
		if (used_draft)
			strncat(s->ui->status,
				_(" (your text is kept as a draft)"),
				sizeof(s->ui->status) -
					strlen(s->ui->status) - 1);
	} else {
		if (used_draft)
			wq_draft_delete(s->ui->store, &s->ui->actor,
					c->d->row.id, a->name);
		/* TRANSLATORS: case number, its new status, its version. */
		scr_status(s->ui, false, _("%s: %s, version %lld"), c->number,
			   scr_status_label(res.status),
			   (long long)res.version);
		if (*res.due_on)
			snprintf(s->ui->status + strlen(s->ui->status),
				 sizeof(s->ui->status) - strlen(s->ui->status),
				 _(", next deadline %s"), res.due_on);
		if (*res.due_on && res.due_unverified)
			snprintf(s->ui->status + strlen(s->ui->status),
				 sizeof(s->ui->status) - strlen(s->ui->status),
				 " (%s)", _("unverified"));
	}
	load(s);
out:
	for (int i = 0; i < SCR_RULING_ARGS; i++)
		free(args[i]);
}

static void rulings_menu(struct screen *s)
{
	struct casev *c = s->priv;
	const char *names[64], *labels[64];
	const struct wq_track *t =
		wq_track_for(c->d->row.type, c->d->row.status);
	char text[64][320];
	int n = 0, picked;

	for (int i = 0; t && i < t->action_count && n < 63; i++) {
		const struct wq_action *a = &t->actions[i];
		const char *key;

		/* Claiming a case already held is nothing to offer. */
		if (!applies(s, a) ||
		    (!strcmp(a->name, "claim") && *c->d->row.assignee))
			continue;
		key = scr_key_for(s->ops, SCR_ACT_RULE, a->name);
		snprintf(text[n], sizeof(text[n]), "%-3s %s: %s", key,
			 scr_label(SCR_L_ACTION, a->name), _(a->help));
		names[n] = a->name;
		labels[n] = text[n];
		n++;
	}
	names[n] = labels[n] = NULL;
	if (n == 0) {
		scr_status(s->ui, false,
			   _("no ruling applies to a %s case now"),
			   scr_status_label(c->d->row.status));
		return;
	}
	if (scr_prompt_pick(s->ui, _("Rulings that apply now"), names, labels,
			    &picked))
		rule(s, names[picked]);
}
/* Lists the documents the case can issue (each in text and PDF when
 * as_pdf is wanted), lets the user pick one under title and issues it.
 * False when nothing was issued (refused, cancelled: the status says). */
static bool pick_and_issue(struct screen *s, const char *title, bool *as_pdf,
			   enum wq_document_kind *kind, struct wq_issued *doc)
{
	struct casev *c = s->priv;
	const char *names[2 * WQ_DOC_KIND_COUNT_ + 1];
	const char *labels[2 * WQ_DOC_KIND_COUNT_ + 1];
	char text[2 * WQ_DOC_KIND_COUNT_][160];
	enum wq_document_kind kinds[2 * WQ_DOC_KIND_COUNT_];
	bool pdf[2 * WQ_DOC_KIND_COUNT_];
	unsigned available;
	enum wq_err err;
	int n = 0, picked;

	err = wq_document_available(s->ui->store, &s->ui->actor,
				    c->d->row.number, &available);
	if (err) {
		scr_status_err(s->ui, err);
		return false;
	}
	for (int k = 0; k < WQ_DOC_KIND_COUNT_; k++) {
		if (!(available & (1u << k)))
			continue;
		for (int f = 0; f < (as_pdf ? 2 : 1); f++) {
			kinds[n] = (enum wq_document_kind)k;
			pdf[n] = f;
			/* The document by its name in the user's language;
			 * its code is what the command line takes. */
			if (as_pdf)
				snprintf(text[n], sizeof(text[n]),
					 /* TRANSLATORS: a document's name,
					  * then PDF or text. */
					 _("%s  (%s)"),
					 _(wq_document_kind_label(kinds[n])),
					 f ? "PDF" : _("text"));
			else
				snprintf(text[n], sizeof(text[n]), "%s",
					 _(wq_document_kind_label(kinds[n])));
			names[n] = wq_document_kind_code(kinds[n]);
			labels[n] = text[n];
			n++;
		}
	}
	names[n] = labels[n] = NULL;
	if (!scr_prompt_pick(s->ui, title, names, labels, &picked))
		return false;
	err = wq_document_issue(
	    s->ui->store, &s->ui->actor, &s->ui->documents, c->d->row.number,
	    kinds[picked],
	    wq_document_lang_for_locale(setlocale(LC_MESSAGES, NULL)), doc);
	if (err) {
		scr_status_err(s->ui, err);
		return false;
	}
	*kind = kinds[picked];
	if (as_pdf)
		*as_pdf = pdf[picked];
	return true;
}


/* The documents the case can issue: one picked is issued (or, if the
 * case has not changed since, the one issued before is given back) and
 * shown in the pager, its text as kept in the audit chain. */
static void documents_menu(struct screen *s)
{
	char title[200], header[400], when[32];
	struct scr_document_view view;
	struct wq_issued doc;
	enum wq_document_kind kind;

	if (!pick_and_issue(s, _("Documents this case can issue"), NULL, &kind,
			    &doc))
		return;
	scr_local_time(doc.issued_at, when, sizeof(when));
	snprintf(title, sizeof(title), "%s  %s",
		 _(wq_document_kind_label(kind)), doc.number);
	snprintf(header, sizeof(header),
		 /* TRANSLATORS: version, when and by whom issued, the start
		  * of the text's SHA-256. */
		 _("version %d  issued %s by %s  sha256 %.16s"), doc.version,
		 when, doc.issued_by, doc.text_sha256);
	view.title = title;
	view.header = header;
	view.text = doc.text;
	if (scr_push(s->ui, &scr_document_pager_ops, &view))
		scr_status(s->ui, false,
			   doc.new_version
			       ? _("issued and recorded in the audit chain; "
				   "'weiquan document' writes it as PDF")
			       : _("issued before, unchanged since: the same "
				   "document"));
	wq_issued_free(&doc);
}

struct outgoing {
	const char *name;
	const char *data;
	size_t len;
};

static enum wq_err send_outgoing(void *arg)
{
	const struct outgoing *o = arg;

	return wq_zmodem_send(o->name, o->data, o->len);
}

/* The kind and the party of evidence about to be attached. */
static bool pick_kind_party(struct screen *s, const char *title,
			    const char **kind, const char **party)
{
	const struct casev *c = s->priv;
	const char *const *kinds = scr_label_codes(SCR_L_EVIDENCE);
	const char *const *parties = scr_label_codes(SCR_L_PARTY);
	const char *labels[32];
	int k, p, n;

	for (n = 0; kinds[n] && n < 31; n++)
		labels[n] = scr_label(SCR_L_EVIDENCE, kinds[n]);
	labels[n] = NULL;
	if (!scr_prompt_pick(s->ui, title, kinds, labels, &k))
		return false;
	for (n = 0; parties[n] && n < 31; n++)
		labels[n] = scr_party_label(c->d->row.type, parties[n]);
	labels[n] = NULL;
	if (!scr_prompt_pick(s->ui, _("Whose evidence is it?"), parties,
			     labels, &p))
		return false;
	*kind = kinds[k];
	*party = parties[p];
	return true;
}

/* A name as the user's terminal reads it: a desk whose locale is GB18030
 * runs its ZMODEM client (Xshell, SecureCRT) in that charset, and the
 * name sz sends is bytes.  UTF-8 where the charset lacks a character.
 * malloc'd. */
static char *pc_charset(const char *utf8)
{
	char *bytes = NULL, *name;
	size_t len = 0;

	if (wq_receipt_encode(utf8, nl_langinfo(CODESET), &bytes, &len) !=
		    WQ_ERR_OK ||
	    memchr(bytes, '\0', len)) {
		free(bytes);
		return strdup(utf8);
	}
	name = strndup(bytes, len);
	free(bytes);
	return name;
}

/* A document the case can issue (the receipt always), as text or PDF,
 * sent to the user's PC with sz. */
static void send_file(struct screen *s)
{
	struct casev *c = s->priv;
	char base[160], *file_name, *sent_name;
	enum wq_document_kind kind;
	struct outgoing out;
	struct wq_issued doc;
	enum wq_err err;
	bool pdf;

	if (!wq_zmodem_can_send()) {
		scr_status(s->ui, true, "%s",
			   _("sending to the PC is unavailable: lrzsz (sz) "
			     "is not installed"));
		return;
	}
	if (!pick_and_issue(s, _("Send to your PC (ZMODEM)"), &pdf, &kind,
			    &doc))
		return;
	/* The PC keeps the name: the document as the user calls it, made
	 * safe for Windows. */
	snprintf(base, sizeof(base),
		 /* TRANSLATORS: a file name: the case number, the document's
		  * name, its version. */
		 _("%s %s v%d"), c->d->row.number,
		 _(wq_document_kind_label(kind)), doc.version);
	file_name = wq_zmodem_pc_name(base, pdf ? "pdf" : "txt");
	out.name = sent_name = pc_charset(file_name);
	out.data = pdf ? doc.pdf : doc.text;
	out.len = pdf ? doc.pdf_len : doc.text_len;
	err = scr_on_terminal(send_outgoing, &out);
	if (err)
		scr_status_err(s->ui, err);
	else
		/* TRANSLATORS: the file name sent. */
		scr_status(s->ui, false, _("%s sent to your PC"), file_name);
	free(sent_name);
	free(file_name);
	wq_issued_free(&doc);
}

/* Files from the user's PC by rz, each attached as evidence of the kind
 * and party asked for first; all of them in one transaction, so a
 * refused file leaves the case as it was. */
static void receive_files(struct screen *s)
{
	struct casev *c = s->priv;
	struct wq_zmodem_file *files = NULL;
	size_t count = 0;
	const char *kind, *party;
	enum wq_err err;

	if (!wq_zmodem_can_receive()) {
		scr_status(s->ui, true, "%s",
			   _("receiving from the PC is unavailable: lrzsz "
			     "(rz) is not installed"));
		return;
	}
	if (!pick_kind_party(s, _("What are the files you will send?"), &kind,
			     &party))
		return;
	if (!scr_zmodem_receive(s->ui, &files, &count))
		return;
	err = wq_store_begin_write(s->ui->store);
	for (size_t i = 0; !err && i < count; i++) {
		int64_t evidence_id;

		err = wq_evidence_add_tx(s->ui->store, &s->ui->actor,
					 c->d->row.id, kind, party,
					 files[i].name, files[i].data,
					 files[i].len, NULL, &evidence_id);
	}
	if (!err)
		err = wq_store_commit(s->ui->store);
	else
		wq_store_rollback(s->ui->store);
	if (err)
		scr_status_err(s->ui, err);
	else
		scr_status(s->ui, false,
			   ngettext("%zu file received and attached as evidence",
				    "%zu files received and attached as "
				    "evidence",
				    count),
			   count);
	wq_zmodem_files_free(&files, count);
	load(s);
}

/* A file from the user's upload folder (sftp), attached as evidence of
 * the kind and party asked for, then removed from the folder: a refused
 * or failed attachment leaves it there. */
static void attach_upload(struct screen *s)
{
	struct casev *c = s->priv;
	struct wq_upload_file file;
	const char *kind, *party;
	int64_t evidence_id;
	enum wq_err err;

	if (!scr_upload_pick(s->ui, &file))
		return;
	if (!pick_kind_party(s, _("What is this file?"), &kind, &party)) {
		wq_upload_file_free(&file);
		return;
	}
	err = wq_store_begin_write(s->ui->store);
	if (!err)
		err = wq_evidence_add_tx(s->ui->store, &s->ui->actor,
					 c->d->row.id, kind, party, file.name,
					 file.data, file.len, NULL,
					 &evidence_id);
	if (!err)
		err = wq_store_commit(s->ui->store);
	else
		wq_store_rollback(s->ui->store);
	if (err) {
		scr_status_err(s->ui, err);
	} else if (wq_upload_remove(&file) != WQ_ERR_OK) {
		/* TRANSLATORS: the file's name, why it stayed. */
		scr_status(s->ui, true,
			   _("%s attached as evidence, but it stays in the "
			     "upload folder: %s"),
			   file.name, wq_err_detail());
	} else {
		/* TRANSLATORS: the file's name. */
		scr_status(s->ui, false,
			   _("%s attached as evidence and removed from the "
			     "upload folder"),
			   file.name);
	}
	wq_upload_file_free(&file);
	load(s);
}

/* The receipt or another document the case can issue, as text, printed
 * on the printer of the desk's PC through the terminal. */
static void print_document(struct screen *s)
{
	enum wq_document_kind kind;
	struct wq_issued doc;

	if (!pick_and_issue(s,
			    _("Print on your PC's printer (through the "
			      "terminal)"),
			    NULL, &kind, &doc))
		return;
	scr_print_text(s->ui, _(wq_document_kind_label(kind)),
		       doc.text);
	wq_issued_free(&doc);
}

/* ---- reading in full ---- */

/* Opens the text pager (search, script conversion) on one item. */
static void read_in_full(struct screen *s, const char *title,
			 const char *author, const char *utc, const char *text)
{
	struct scr_document_view view;
	char header[200], when[32];

	scr_local_time(utc, when, sizeof(when));
	/* TRANSLATORS: who wrote or recorded it, and when (local time). */
	snprintf(header, sizeof(header), _("by %s  %s"), author, when);
	view.title = title;
	view.header = header;
	view.text = text;
	scr_push(s->ui, &scr_document_pager_ops, &view);
}

static void read_statement(struct screen *s, size_t i)
{
	struct casev *c = s->priv;
	const struct wq_statement_view *st = &c->d->statements[i];
	char title[160];

	/* TRANSLATORS: the party whose statement it is, the case number. */
	snprintf(title, sizeof(title), _("Statement of the %s  %s"),
		 scr_party_label(c->d->row.type, st->party), c->number);
	read_in_full(s, title, st->author, st->at,
		     i < c->nconverted ? c->converted[i] : st->text);
}

/* An event: each of its arguments on a line of its own, named and
 * labelled, and the status it led to. */
static void read_event(struct screen *s, size_t i)
{
	struct casev *c = s->priv;
	const struct wq_event_view *e = &c->d->events[i];
	char title[160], name[16], *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		scr_status_err(s->ui, WQ_ERR_NOMEM);
		return;
	}
	for (int k = 0; k < e->argc; k++) {
		arg_name(e, k, name, sizeof(name));
		if (*name)
			fprintf(f, "%s: ", scr_label(SCR_L_ARG, name));
		fprintf(f, "%s\n", arg_shown(&c->d->row, e, k));
	}
	if (*e->to_status)
		/* TRANSLATORS: the status a ruling led to. */
		fprintf(f, _("status now: %s\n"),
			scr_status_label(e->to_status));
	if (!e->argc && !*e->to_status)
		fprintf(f, "%s\n", _("(nothing more was recorded)"));
	fclose(f);
	snprintf(title, sizeof(title), "%s  %s",
		 scr_label(SCR_L_ACTION, e->action), c->number);
	read_in_full(s, title, e->actor, e->at, text);
	free(text);
}

static void read_offer(struct screen *s, size_t i)
{
	struct casev *c = s->priv;
	const struct wq_offer_view *o = &c->d->offers[i];
	char title[160], *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		scr_status_err(s->ui, WQ_ERR_NOMEM);
		return;
	}
	fprintf(f, _("by the %s: %s %" PRId64 ".%02" PRId64 " yuan (%s)\n"),
		scr_party_label(c->d->row.type, o->party),
		scr_label(SCR_L_REMEDY, o->remedy), o->amount_fen / 100,
		o->amount_fen % 100, scr_label(SCR_L_OFFER, o->state));
	if (o->answers)
		fprintf(f, _("answers offer #%" PRId64 "\n"), o->answers);
	fprintf(f, "\n%s\n", *o->terms ? o->terms : _("(no terms written)"));
	fclose(f);
	/* TRANSLATORS: the offer's number in the ledger, the case number. */
	snprintf(title, sizeof(title), _("Offer #%" PRId64 "  %s"), o->id,
		 c->number);
	read_in_full(s, title, o->recorded_by, o->at, text);
	free(text);
}

/* Original -> the other script -> original, statements only: names,
 * the header and the lists stay as recorded.  One target for the whole
 * case (the script its statements are not mostly written in), so both
 * sides read alike. */
static void toggle_script(struct screen *s)
{
	struct casev *c = s->priv;
	const char *key = scr_key_for(s->ops, SCR_ACT_SCRIPT, NULL);
	char *all;
	size_t len = 0;
	enum wq_err err;

	if (c->script != WQ_SCRIPT_UNKNOWN) {
		c->script = WQ_SCRIPT_UNKNOWN;
		drop_converted(c);
		scr_status(s->ui, false,
			   /* TRANSLATORS: the key that converts again. */
			   _("the original statements (%s converts them)"),
			   key);
		return;
	}
	if (!c->d->nstatements) {
		scr_status(s->ui, true, "%s",
			   _("no statement to convert yet"));
		return;
	}
	for (size_t i = 0; i < c->d->nstatements; i++)
		len += strlen(c->d->statements[i].text) + 1;
	all = malloc(len + 1);
	if (!all) {
		scr_status_err(s->ui, WQ_ERR_NOMEM);
		return;
	}
	len = 0;
	for (size_t i = 0; i < c->d->nstatements; i++) {
		size_t n = strlen(c->d->statements[i].text);

		memcpy(all + len, c->d->statements[i].text, n);
		all[len + n] = '\n';
		len += n + 1;
	}
	all[len] = '\0';
	err = wq_script_target(
		all, len, wq_script_of_locale(setlocale(LC_MESSAGES, NULL)),
		&c->script);
	free(all);
	if (err) {
		c->script = WQ_SCRIPT_UNKNOWN;
		scr_status_err(s->ui, err);
		return;
	}
	convert_statements(s);
	if (c->nconverted)
		scr_status(s->ui, false,
			   /* TRANSLATORS: Simplified or Traditional; the
			    * key that shows the original again. */
			   _("statements converted to %s: %s shows the "
			     "original"),
			   c->script == WQ_SCRIPT_TRADITIONAL ? _("Traditional")
							      : _("Simplified"),
			   key);
}

static int case_act(struct screen *s, enum scr_action act, const char *name)
{
	struct casev *c = s->priv;
	struct scr_rect al = scr_layout_rect(&s->lay, SCR_AREA_CASE_ASIDE_LIST);
	size_t n = aside_count(s);
	int step = 0;

	switch (act) {
	case SCR_ACT_MOVE_DOWN: step = 1; break;
	case SCR_ACT_MOVE_UP: step = -1; break;
	case SCR_ACT_PAGE_DOWN: step = 10; break;
	case SCR_ACT_PAGE_UP: step = -10; break;
	case SCR_ACT_FIRST: step = -100000; break;
	case SCR_ACT_LAST: step = 100000; break;
	case SCR_ACT_NEXT_PANE:
		c->focus = (c->focus + 1) % PANE_COUNT;
		return SCR_HANDLED;
	case SCR_ACT_TIMELINE:
	case SCR_ACT_OFFERS: {
		enum scr_aside want = act == SCR_ACT_TIMELINE
					      ? SCR_ASIDE_TIMELINE
					      : SCR_ASIDE_OFFERS;

		s->lay.aside = s->lay.aside == want ? SCR_ASIDE_EVIDENCE
						    : want;
		c->sel = c->top = 0;
		return SCR_HANDLED;
	}
	case SCR_ACT_OPEN:
		/* a pane's statement at its top, read in full */
		if (c->focus != PANE_ASIDE && c->top_statement[c->focus] >= 0 &&
		    (size_t)c->top_statement[c->focus] < c->d->nstatements) {
			read_statement(s, (size_t)c->top_statement[c->focus]);
			return SCR_HANDLED;
		}
		if (!n)
			return SCR_HANDLED;
		if (c->focus != PANE_ASIDE) {
			c->focus = PANE_ASIDE;
			return SCR_HANDLED;
		}
		if (c->sel >= n)
			return SCR_HANDLED;
		if (s->lay.aside == SCR_ASIDE_TIMELINE)
			read_event(s, c->sel);
		else if (s->lay.aside == SCR_ASIDE_OFFERS)
			read_offer(s, c->sel);
		else
			scr_push(s->ui, &scr_pager_ops,
				 &c->d->evidence[c->sel]);
		return SCR_HANDLED;
	case SCR_ACT_RULINGS:
		rulings_menu(s);
		return SCR_HANDLED;
	case SCR_ACT_CONTACT:
		scr_contact_log(s->ui, c->number, c->d->row.id,
				c->d->row.type);
		load(s);
		return SCR_HANDLED;
	case SCR_ACT_GROUP:
		if (!c->d->group_id) {
			scr_group_offer(s->ui, c->d);
			load(s);
			return SCR_HANDLED;
		}
		scr_push(s->ui, &scr_group_ops, c->d);
		return SCR_HANDLED | SCR_RELOAD;
	case SCR_ACT_SCRIPT:
		toggle_script(s);
		return SCR_HANDLED;
	case SCR_ACT_DOCUMENTS:
		documents_menu(s);
		return SCR_HANDLED;
	case SCR_ACT_SEND_FILE:
		send_file(s);
		return SCR_HANDLED;
	case SCR_ACT_RECEIVE_FILES:
		receive_files(s);
		return SCR_HANDLED;
	case SCR_ACT_UPLOADS:
		attach_upload(s);
		return SCR_HANDLED;
	case SCR_ACT_PRINT:
		print_document(s);
		return SCR_HANDLED;
	case SCR_ACT_RULE:
		rule(s, name);
		return SCR_HANDLED;
	default:
		return 0;
	}
	if (c->focus == PANE_ASIDE) {
		long sel = (long)c->sel + step;

		if (sel >= (long)n)
			sel = (long)n - 1;
		if (sel < 0)
			sel = 0;
		c->sel = (size_t)sel;
	} else {
		int *scroll = &c->scroll[c->focus];
		int max = c->lines[c->focus] - 1;

		*scroll += step;
		if (*scroll > max)
			*scroll = max;
		if (*scroll < 0)
			*scroll = 0;
	}
	(void)al;
	return SCR_HANDLED;
}


/* The key bar shows the rulings that apply to this case for this user. */
static int case_keybar(struct screen *s, const char **items, int max)
{
	static char names[64][32];
	static const char *const file_keys[] = {"print", "send-file",
						"receive-files", "uploads"};
	const struct casev *c = s->priv;
	const struct wq_track *t =
		wq_track_for(c->d->row.type, c->d->row.status);
	int n = 0;

	/* The desk's work on a case it registered is its receipt and its
	 * files: they come first on its bar, within 80 columns. */
	if (s->ui->actor.role == WQ_ROLE_DESK) {
		items[n++] = "documents";
		for (size_t i = 0; i < sizeof(file_keys) / sizeof(*file_keys);
		     i++)
			items[n++] = file_keys[i];
	}
	/* Claiming comes first when the case is free and the user may. */
	for (int i = 0; t && i < t->action_count && n < max - 10 && n < 60;
	     i++) {
		const struct wq_action *a = &t->actions[i];

		if (!applies(s, a))
			continue;
		if (!strcmp(a->name, "claim") && *c->d->row.assignee)
			continue;
		if (!*scr_key_for(s->ops, SCR_ACT_RULE, a->name))
			continue;
		snprintf(names[n], sizeof(names[n]), "rule:%s", a->name);
		items[n] = names[n];
		n++;
	}
	items[n++] = "rulings";
	if (s->ui->actor.role != WQ_ROLE_DESK) {
		items[n++] = "documents";
		for (size_t i = 0; i < sizeof(file_keys) / sizeof(*file_keys);
		     i++)
			items[n++] = file_keys[i];
	}
	items[n++] = "next-pane";
	items[n++] = "timeline";
	items[n++] = "offers";
	items[n++] = "script";
	return n;
}

const struct screen_ops scr_case_ops = {
	.name = "case",
	.priv_size = sizeof(struct casev),
	.layout_id = SCR_SCREEN_CASE,
	.open = case_open,
	.draw = case_draw,
	.act = case_act,
	.data_changed = case_data_changed,
	.concerns = case_concerns,
	.close = case_close,
	.keybar = case_keybar,
};
