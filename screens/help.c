/* The help screen: the keys of the screen below it, generated from the
 * same binding tables the loop uses, rulings with the core's help text. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/rules.h"

struct help {
	const struct screen_ops *of;
	char lines[240][400];
	int count, top;
};

#define HELP_LINES 240

/* Every mark the screens draw beside the words, on every help screen
 * after the keys (the man page's MARKS keeps the same list). */
/* TRANSLATORS: the legend of the marks; keep each line within 76
 * columns (a Chinese character takes two) and the marks themselves as
 * they are. */
static const char legend[] = N_(
	"Marks on the screens\n"
	"Days column of the queue (working days):\n"
	"  7      left on the running clock     -2   overdue by 2 (bold)\n"
	"  3?     the holiday calendar is not loaded that far: check it\n"
	"  5~     counted from a figure not checked against the official text\n"
	"  ||     the clock is paused (testing)  -    no clock runs\n"
	"  F2     a follow-up due in 2 working days (F-1: overdue)\n"
	"  R3     waiting in review for 3 working days\n"
	"  A closed case is never shown as overdue.\n"
	"* 2026-000123  a case marked with space for an action on several\n"
	"! merchant     a repeat offender       !! merchant  blacklisted\n"
	"inbox 3        unread items in the inbox (3+: at least that many)\n"
	"Case view:\n"
	"  <            the pane Enter and the arrows act on\n"
	"  [flag]       a flag of the case beside its status\n"
	"  wd           working days; \"paused since\": a stopped clock\n"
	"  unverified   a figure not checked against the official text\n"
	"  performance  the agreement's performance date, as a clock\n"
	"  in review for 3 wd   how long the case has waited for review\n"
	"  [duplicate file] [being read] [text read] [no text read]: evidence\n"
	"  group        evidence shared by the collective group\n"
	"Text: > at a line's end: cut, Enter reads it in full; a control\n"
	"character shows as its picture (such as the one for ESC) or ^[,\n"
	"a bad byte as U+FFFD or ?.\n");

/* A screen's name (the keys file's) in the user's language. */
static const char *screen_name(const char *name)
{
	static const char *const names[] = {
		NC_("screen", "queue"),	 NC_("screen", "case"),
		NC_("screen", "pager"),	 NC_("screen", "help"),
		NC_("screen", "intake"), NC_("screen", "dashboard"),
		NC_("screen", "group"),	 NC_("screen", "inbox"),
	};
	char key[64];
	const char *t;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(names[i], name) != 0)
			continue;
		snprintf(key, sizeof(key), "screen\004%s", name);
		t = gettext(key);
		return t == key ? name : t;
	}
	return name;
}

static void add_text(struct help *h, const char *text)
{
	if (h->count < HELP_LINES)
		h->lines[h->count++][0] = '\0';
	while (*text && h->count < HELP_LINES) {
		size_t len = strcspn(text, "\n");

		snprintf(h->lines[h->count++], sizeof(h->lines[0]), "%.*s",
			 (int)len, text);
		text += len + (text[len] == '\n');
	}
}

static int help_open(struct screen *s, const void *arg)
{
	struct help *h = s->priv;
	const struct scr_binding *list[200];
	int n;

	h->of = arg;
	n = scr_bindings(h->of, list, 200);
	snprintf(h->lines[h->count++], sizeof(h->lines[0]),
		 _("Keys of the %s screen"), screen_name(h->of->name));
	snprintf(h->lines[h->count++], sizeof(h->lines[0]), "%s",
		 _("Keys underlined in the key bar do something else on "
		   "another screen: [elsewhere: ...] says what."));
	h->lines[h->count++][0] = '\0';
	for (int i = 0; i < n && h->count < HELP_LINES; i++) {
		const struct scr_binding *b = list[i];
		const char *what = scr_action_help(b->act);
		const char *name = scr_action_name(b->act);
		const char *else_;
		int pad;

		/* a ruling by its label, as the key bar and the timeline
		 * name it (the keys file takes rule: and its name) */
		if (b->act == SCR_ACT_RULE) {
			const struct wq_action *a = wq_action_find(b->rule);

			name = scr_label(SCR_L_ACTION, b->rule);
			what = a ? _(a->help) : "";
		}
		if (b->act == SCR_ACT_NONE)
			continue;
		else_ = scr_key_elsewhere(h->of, b);
		pad = 16 - scr_text_width(name);
		if (*else_)
			/* TRANSLATORS: the key, its action padded to 16
			 * columns, what it does, and what it does on other
			 * screens. */
			snprintf(h->lines[h->count++], sizeof(h->lines[0]),
				 _("%-9s %s%*s %s  [elsewhere: %s]"),
				 scr_binding_key_text(b), name,
				 pad > 0 ? pad : 0, "", what, else_);
		else
			snprintf(h->lines[h->count++], sizeof(h->lines[0]),
				 "%-9s %s%*s %s", scr_binding_key_text(b),
				 name, pad > 0 ? pad : 0, "", what);
	}
	/* the screen's own text stays last, where G finds it */
	add_text(h, _(legend));
	if (h->of->help)
		add_text(h, _(h->of->help));
	return 0;
}

static void help_draw(struct screen *s)
{
	struct help *h = s->priv;
	struct scr_rect t = scr_layout_rect(&s->lay, SCR_AREA_TITLE);
	struct scr_rect r = scr_layout_rect(&s->lay, SCR_AREA_HELP_TEXT);

	scr_draw_text(stdscr, t.y, t.x, t.w, _("weiquan help"),
		      s->ui->attr[SCR_A_TITLE], SCR_TEXT_PAD);
	if (h->top > h->count - r.h)
		h->top = h->count - r.h;
	if (h->top < 0)
		h->top = 0;
	for (int i = 0; i < r.h && h->top + i < h->count; i++)
		scr_draw_text(stdscr, r.y + i, r.x, r.w, h->lines[h->top + i],
			      s->ui->attr[i + h->top == 0 ? SCR_A_TITLE
							  : SCR_A_NORMAL],
			      SCR_TEXT_PAD);
}

static int help_act(struct screen *s, enum scr_action act, const char *rule)
{
	struct help *h = s->priv;

	(void)rule;
	switch (act) {
	case SCR_ACT_MOVE_DOWN: h->top++; break;
	case SCR_ACT_MOVE_UP: h->top--; break;
	case SCR_ACT_PAGE_DOWN: h->top += 10; break;
	case SCR_ACT_PAGE_UP: h->top -= 10; break;
	case SCR_ACT_FIRST: h->top = 0; break;
	case SCR_ACT_LAST: h->top = h->count; break;
	case SCR_ACT_HELP:
	case SCR_ACT_OPEN: return SCR_HANDLED | SCR_CLOSE;
	default: return 0;
	}
	return SCR_HANDLED;
}

const struct screen_ops scr_help_ops = {
	.name = "help",
	.priv_size = sizeof(struct help),
	.layout_id = SCR_SCREEN_HELP,
	.open = help_open,
	.draw = help_draw,
	.act = help_act,
};
