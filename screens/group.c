/* The collective group screen: the group's shared facts, its shared
 * evidence and its members, and one ruling applied to every member after a
 * preview (the core's wq_group_rule, run twice: once rolled back to show
 * what would happen, then for real on the members and versions the preview
 * showed). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/case.h"
#include "weiquan/casedetail.h"
#include "weiquan/draft.h"
#include "weiquan/group.h"
#include "weiquan/rules.h"

struct grp {
	char opened_from[32];       /* the case the screen was opened on */
	int64_t id;
	struct wq_group g;
	struct wq_group_member *m;
	size_t nm;
	struct wq_evidence_view *ev; /* the shared evidence */
	size_t nev;
	struct wq_group_outcome *preview;
	size_t npreview;
	char preview_action[32];
	bool applied;               /* the outcomes shown are done, not previewed */
	size_t sel;                 /* evidence first, then members */
	int top;
};

static void unload(struct grp *p)
{
	wq_group_free(&p->g);
	free(p->m);
	p->m = NULL;
	p->nm = 0;
	wq_evidence_views_free(p->ev, p->nev);
	p->ev = NULL;
	p->nev = 0;
}

static int load(struct screen *s)
{
	struct grp *p = s->priv;
	struct scr_ui *ui = s->ui;
	enum wq_err err;

	unload(p);
	err = wq_group_load(ui->store, &ui->actor, p->id, &p->g);
	if (!err)
		err = wq_group_members(ui->store, &ui->actor, p->id, &p->m,
				       &p->nm);
	if (!err)
		err = wq_group_evidence_list(ui->store, p->id, &p->ev, &p->nev);
	if (err) {
		scr_status_err(ui, err);
		return -1;
	}
	if (p->sel >= p->nev + p->nm)
		p->sel = p->nev + p->nm ? p->nev + p->nm - 1 : 0;
	return 0;
}

static int group_open(struct screen *s, const void *arg)
{
	struct grp *p = s->priv;
	const struct wq_case_detail *from = arg;

	if (!from->group_id) {
		scr_status(s->ui, true, _("%s is in no collective group"),
			   from->row.number);
		return -1;
	}
	p->id = from->group_id;
	snprintf(p->opened_from, sizeof(p->opened_from), "%s",
		 from->row.number);
	return load(s);
}

static void drop_preview(struct grp *p)
{
	p->applied = false;
	free(p->preview);
	p->preview = NULL;
	p->npreview = 0;
}

static void group_close(struct screen *s)
{
	struct grp *p = s->priv;

	drop_preview(p);
	unload(p);
}

static void group_data_changed(struct screen *s)
{
	load(s);
}

static const struct wq_group_outcome *outcome_of(const struct grp *p,
						 int64_t case_id)
{
	for (size_t i = 0; i < p->npreview; i++)
		if (p->preview[i].case_id == case_id)
			return &p->preview[i];
	return NULL;
}

/* Appends text and spaces up to w display columns (labels are Chinese in
 * a Chinese locale: printf's widths count bytes). */
static void put_col(char *buf, size_t size, const char *text, int w)
{
	size_t used = strlen(buf);
	int pad = w - scr_text_width(text);

	snprintf(buf + used, size - used, "%s%*s ", text, pad > 0 ? pad : 0,
		 "");
}

/* One member's line: number, status, assignee, amount, and during a
 * preview what the ruling would do to it. */
static void member_line(const struct grp *p, size_t i, char *buf, size_t size)
{
	const struct wq_group_member *m = &p->m[i];
	const struct wq_group_outcome *o = outcome_of(p, m->case_id);
	size_t n;

	buf[0] = '\0';
	put_col(buf, size, m->number, 15);
	put_col(buf, size, scr_status_label(m->status), 12);
	put_col(buf, size, *m->assignee ? m->assignee : "-", 10);
	n = strlen(buf);
	snprintf(buf + n, size - n, "%9" PRId64 ".%02" PRId64,
		 m->amount_fen / 100, m->amount_fen % 100);
	n = strlen(buf);
	if (!o || n + 1 >= size)
		return;
	/* The status is on the line already: a refusal for it needs no
	 * detail. */
	if (o->err)
		/* TRANSLATORS: a group ruling's preview for one member. */
		snprintf(buf + n, size - n, _("  refused: %s"),
			 o->err == WQ_ERR_BAD_STATUS ? _(wq_strerror(o->err))
						     : o->why);
	else
		snprintf(buf + n, size - n, "  -> %s",
			 scr_status_label(o->result.status));
}

static void group_draw(struct screen *s)
{
	struct grp *p = s->priv;
	struct scr_ui *ui = s->ui;
	struct scr_rect t = scr_layout_rect(&s->lay, SCR_AREA_TITLE);
	struct scr_rect r = scr_layout_rect(&s->lay, SCR_AREA_HELP_TEXT);
	struct scr_cells cells = {0};
	struct scr_lines lines = {0};
	size_t nfacts, nshared = p->nev, k;
	int row = 0, sel_row = 0, total;
	char title[512], line[640];

	/* TRANSLATORS: group, title, merchant, members, open members. */
	snprintf(title, sizeof(title),
		 _("G%lld %s  %s  %lld members, %lld open"), (long long)p->id,
		 p->g.title, p->g.merchant, (long long)p->g.members,
		 (long long)p->g.open_members);
	scr_draw_text(stdscr, t.y, t.x, t.w, title, ui->attr[SCR_A_TITLE],
		      SCR_TEXT_PAD);
	nfacts = scr_text_wrap(*p->g.facts ? p->g.facts : _("(none)"),
			       r.w > 2 ? r.w - 2 : 1, SCR_TEXT_TABS, &cells,
			       &lines);
	/* Rows: heading, facts, blank, heading, evidence, blank, heading,
	 * members.  The selected row decides the scroll. */
	total = (int)(nfacts + nshared + p->nm) + 5 + (nshared ? 0 : 1);
	sel_row = (int)nfacts + 3 +
		  (p->sel < nshared ? (int)p->sel
				    : (int)(nshared ? nshared : 1) + 2 +
					      (int)(p->sel - nshared));
	if (sel_row < p->top)
		p->top = sel_row;
	if (sel_row >= p->top + r.h)
		p->top = sel_row - r.h + 1;
	if (p->top > total - r.h)
		p->top = total - r.h > 0 ? total - r.h : 0;
	if (p->top < 0)
		p->top = 0;

#define ROW(text, attr)                                                        \
	do {                                                                   \
		if (row >= p->top && row < p->top + r.h)                       \
			scr_draw_text(stdscr, r.y + row - p->top, r.x, r.w,    \
				      (text), (attr), SCR_TEXT_PAD);           \
		row++;                                                         \
	} while (0)

	ROW(_("Shared facts:"), ui->attr[SCR_A_TITLE]);
	for (size_t i = 0; i < nfacts; i++, row++)
		if (row >= p->top && row < p->top + r.h) {
			scr_draw_text(stdscr, r.y + row - p->top, r.x, r.w, "",
				      ui->attr[SCR_A_NORMAL], SCR_TEXT_PAD);
			scr_draw_cells(stdscr, r.y + row - p->top, r.x + 2,
				       r.w - 2, cells.v + lines.v[i].first,
				       lines.v[i].count, ui->attr[SCR_A_NORMAL],
				       0);
		}
	ROW("", ui->attr[SCR_A_NORMAL]);
	ROW(_("Shared evidence:"), ui->attr[SCR_A_TITLE]);
	if (!nshared)
		ROW(_("  (none)"), ui->attr[SCR_A_DIM]);
	for (k = 0; k < nshared; k++) {
		const struct wq_evidence_view *e = &p->ev[k];

		snprintf(line, sizeof(line), "  ");
		put_col(line, sizeof(line), scr_label(SCR_L_EVIDENCE, e->kind),
			9);
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 "%8lldB %-9s %s", (long long)e->size, e->encoding,
			 e->file_name);
		ROW(line, ui->attr[p->sel == k ? SCR_A_SELECTED : SCR_A_NORMAL]);
	}
	ROW("", ui->attr[SCR_A_NORMAL]);
	if (p->npreview)
		snprintf(line, sizeof(line),
			 p->applied ? _("Members (%s done):")
				    /* TRANSLATORS: the ruling previewed. */
				    : _("Members (preview of %s):"),
			 scr_label(SCR_L_ACTION, p->preview_action));
	else
		snprintf(line, sizeof(line), "%s", _("Members:"));
	ROW(line, ui->attr[SCR_A_TITLE]);
	for (size_t i = 0; i < p->nm; i++) {
		char m[600];

		member_line(p, i, m, sizeof(m));
		snprintf(line, sizeof(line), "  %s", m);
		ROW(line, ui->attr[p->sel == nshared + i ? SCR_A_SELECTED
							  : SCR_A_NORMAL]);
	}
	while (row < p->top + r.h)
		ROW("", ui->attr[SCR_A_NORMAL]);
#undef ROW
	scr_cells_free(&cells);
	scr_lines_free(&lines);
}

/* A group ruling takes arguments that mean the same for every member:
 * an offer, an amount or a due date belong to one case. */
static bool fits_group(const struct wq_action *a)
{
	return !strstr(a->args, "OFFER") && !strstr(a->args, "AMOUNT") &&
	       !strstr(a->args, "DUE") && !strstr(a->args, "PARTY") &&
	       a->op != WQ_CASE_GROUP;
}

static void group_rule(struct screen *s, const struct wq_action *a)
{
	struct grp *p = s->priv;
	struct scr_ui *ui = s->ui;
	char *args[SCR_RULING_ARGS] = {0}, question[4096];
	const char *argv[SCR_RULING_ARGS];
	struct wq_ruling r = {0};
	struct wq_group_outcome *done = NULL;
	size_t ndone = 0, fit = 0, applied = 0, len;
	enum wq_err err;
	int argc = 0;
	bool drafted;

	/* The refusal before any question, as on the case screen: the
	 * members may have changed since the list was made. */
	err = wq_group_ready(ui->store, &ui->actor, p->id, a->name);
	if (err) {
		scr_status_err(ui, err);
		return;
	}
	if (!scr_ask_ruling_args(ui, a, NULL, args, &argc, &drafted)) {
		scr_status(ui, false, _("%s cancelled"),
			   scr_label(SCR_L_ACTION, a->name));
		goto out;
	}
	for (int i = 0; i < argc; i++)
		argv[i] = args[i];
	r.action = a->name;
	r.argc = argc;
	r.argv = argv;

	drop_preview(p);
	err = wq_group_rule(ui->store, &ui->actor, p->id, &r, p->m, p->nm,
			    true, &p->preview, &p->npreview);
	if (err) {
		scr_status_err(ui, err);
		goto out;
	}
	snprintf(p->preview_action, sizeof(p->preview_action), "%s", a->name);
	for (size_t i = 0; i < p->npreview; i++)
		fit += !p->preview[i].err;
	if (!fit) {
		scr_status(ui, true,
			   _("%s fits no member of the group; nothing was "
			     "done (see the list)"),
			   scr_label(SCR_L_ACTION, a->name));
		goto out;
	}
	/* The question repeats the preview, so it can be read even where
	 * the box covers the list. */
	/* TRANSLATORS: ruling, members it fits, members; y confirms. */
	len = (size_t)snprintf(question, sizeof(question),
			       _("%s for %zu of %zu members of G%lld. "
				 "Apply? (y/n)"),
			       scr_label(SCR_L_ACTION, a->name), fit,
			       p->npreview, (long long)p->id);
	for (size_t i = 0; i < p->nm && len < sizeof(question); i++) {
		char m[600];

		member_line(p, i, m, sizeof(m));
		len += (size_t)snprintf(question + len, sizeof(question) - len,
					"\n%s", m);
	}
	scr_redraw(ui);
	if (!scr_prompt_confirm(ui, question)) {
		scr_status(ui, false, _("%s cancelled"),
			   scr_label(SCR_L_ACTION, a->name));
		drop_preview(p);
		goto out;
	}
	/* Only the members the preview showed, at the versions it saw. */
	err = wq_group_rule(ui->store, &ui->actor, p->id, &r, p->m, p->nm,
			    false, &done, &ndone);
	drop_preview(p);
	if (err) {
		scr_status_err(ui, err);
		goto out;
	}
	for (size_t i = 0; i < ndone; i++)
		applied += !done[i].err;
	p->preview = done;
	p->npreview = ndone;
	p->applied = true;
	snprintf(p->preview_action, sizeof(p->preview_action), "%s", a->name);
	/* TRANSLATORS: ruling, members ruled on, members tried. */
	scr_status(ui, applied < fit,
		   _("%s: %zu of %zu members ruled on; the others are as they "
		     "were"),
		   scr_label(SCR_L_ACTION, a->name), applied, ndone);
	load(s);
out:
	for (int i = 0; i < SCR_RULING_ARGS; i++)
		free(args[i]);
}

static void group_rulings_menu(struct screen *s)
{
	struct grp *p = s->priv;
	const char *names[64], *labels[64];
	char text[64][320];
	int n = 0, picked;

	for (int i = 0; i < wq_action_count && n < 63; i++) {
		const struct wq_action *a = &wq_actions[i];
		bool any = false;

		if (!fits_group(a))
			continue;
		/* Role and status first (cheap), then what the core would
		 * check of each member: the case screen's rule. */
		for (size_t k = 0; k < p->nm && !any; k++)
			any = wq_action_applies(a, s->ui->actor.role,
						p->m[k].status) &&
			      /* claiming a case already held is nothing
			       * to offer, as on the case screen */
			      (strcmp(a->name, "claim") != 0 ||
			       !*p->m[k].assignee);
		if (!any || wq_group_ready(s->ui->store, &s->ui->actor, p->id,
					   a->name) != WQ_ERR_OK)
			continue;
		snprintf(text[n], sizeof(text[n]), "%s: %s",
			 scr_label(SCR_L_ACTION, a->name), _(a->help));
		names[n] = a->name;
		labels[n] = text[n];
		n++;
	}
	names[n] = labels[n] = NULL;
	/* What the checks left is no refusal of anything the user did. */
	wq_err_clear();
	if (n == 0) {
		scr_status(s->ui, false, "%s",
			   _("no group ruling applies to these members now"));
		return;
	}
	if (scr_prompt_pick(s->ui, _("Rule on every member"), names, labels,
			    &picked))
		group_rule(s, wq_action_find(names[picked]));
}

static int group_act(struct screen *s, enum scr_action act, const char *name)
{
	struct grp *p = s->priv;
	size_t n = p->nev + p->nm;

	(void)name;
	if (act != SCR_ACT_RULINGS && act != SCR_ACT_HELP)
		drop_preview(p);
	switch (act) {
	case SCR_ACT_MOVE_DOWN:
		if (p->sel + 1 < n)
			p->sel++;
		break;
	case SCR_ACT_MOVE_UP:
		if (p->sel > 0)
			p->sel--;
		break;
	case SCR_ACT_PAGE_DOWN: p->sel = n ? n - 1 : 0; break;
	case SCR_ACT_PAGE_UP:
	case SCR_ACT_FIRST: p->sel = 0; break;
	case SCR_ACT_LAST: p->sel = n ? n - 1 : 0; break;
	case SCR_ACT_OPEN:
		if (p->sel < p->nev)
			scr_push(s->ui, &scr_pager_ops, &p->ev[p->sel]);
		else if (p->sel - p->nev < p->nm &&
			 strcmp(p->m[p->sel - p->nev].number,
				p->opened_from) != 0)
			scr_push(s->ui, &scr_case_ops,
				 p->m[p->sel - p->nev].number);
		else
			return SCR_HANDLED | SCR_CLOSE;
		break;
	case SCR_ACT_RULINGS: group_rulings_menu(s); break;
	default: return 0;
	}
	return SCR_HANDLED;
}

static int group_keybar(struct screen *s, const char **items, int max)
{
	static const char *const mine[] = {"rulings", "open"};
	int n = 0;

	(void)s;
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]) && n < max; i++)
		items[n++] = mine[i];
	return n;
}

/* A case in no group: join one of its merchant's groups, or start a new
 * one with it (a desk registering the second complaint of a kind). */
void scr_group_offer(struct scr_ui *ui, const struct wq_case_detail *d)
{
	struct wq_group *groups = NULL;
	size_t n = 0, shown;
	const char *names[32], *labels[32];
	char text[32][320];
	const char *number = d->row.number;
	char *title = NULL, *facts = NULL;
	int64_t id = 0;
	enum wq_err err;
	int picked;

	err = wq_group_list(ui->store, d->merchant_id, &groups, &n);
	if (err) {
		scr_status_err(ui, err);
		return;
	}
	shown = n < 30 ? n : 30;
	for (size_t i = 0; i < shown; i++) {
		/* TRANSLATORS: group, title, members. */
		snprintf(text[i], sizeof(text[i]), _("G%lld %s (%lld members)"),
			 (long long)groups[i].id, groups[i].title,
			 (long long)groups[i].members);
		names[i] = labels[i] = text[i];
	}
	names[shown] = labels[shown] = _("a new group with this case");
	names[shown + 1] = labels[shown + 1] = NULL;
	snprintf(text[31], sizeof(text[31]),
		 _("%s is in no collective group: join one of %s"), number,
		 d->row.merchant);
	if (!scr_prompt_pick(ui, text[31], names, labels, &picked))
		goto out;
	if ((size_t)picked < shown) {
		id = groups[picked].id;
		err = wq_group_join(ui->store, &ui->actor, id, &number, 1);
	} else {
		if (!scr_prompt_line(ui, _("Title of the new collective group"),
				     "", &title) ||
		    !*title ||
		    !scr_prompt_text(ui, _("The facts the members share"),
				     d->row.id, "group-facts", &facts))
			goto out;
		err = wq_group_create(ui->store, &ui->actor, title, facts,
				      &number, 1, &id);
		if (!err)
			wq_draft_delete(ui->store, &ui->actor, d->row.id,
					"group-facts");
	}
	if (err)
		scr_status_err(ui, err);
	else
		/* TRANSLATORS: case number, group. */
		scr_status(ui, false, _("%s joined G%lld (C opens it)"), number,
			   (long long)id);
out:
	free(title);
	free(facts);
	wq_group_list_free(groups, n);
}

const struct screen_ops scr_group_ops = {
	.name = "group",
	.priv_size = sizeof(struct grp),
	/* Title, body, status line and key bar, like the help screen. */
	.layout_id = SCR_SCREEN_HELP,
	.open = group_open,
	.draw = group_draw,
	.act = group_act,
	.data_changed = group_data_changed,
	.close = group_close,
	.keybar = group_keybar,
};
