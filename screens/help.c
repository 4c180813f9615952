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
	char lines[200][400];
	int count, top;
};

static int help_open(struct screen *s, const void *arg)
{
	struct help *h = s->priv;
	const struct scr_binding *list[200];
	int n;

	h->of = arg;
	n = scr_bindings(h->of, list, 200);
	snprintf(h->lines[h->count++], sizeof(h->lines[0]),
		 _("Keys of the %s screen"), h->of->name);
	snprintf(h->lines[h->count++], sizeof(h->lines[0]), "%s",
		 _("Keys underlined in the key bar do something else on "
		   "another screen: [elsewhere: ...] says what."));
	h->lines[h->count++][0] = '\0';
	for (int i = 0; i < n && h->count < 200; i++) {
		const struct scr_binding *b = list[i];
		const char *what = scr_action_help(b->act);
		const char *name = scr_action_name(b->act);
		const char *else_;

		if (b->act == SCR_ACT_RULE) {
			const struct wq_action *a = wq_action_find(b->rule);

			name = b->rule;
			what = a ? _(a->help) : "";
		}
		if (b->act == SCR_ACT_NONE)
			continue;
		else_ = scr_key_elsewhere(h->of, b);
		if (*else_)
			/* TRANSLATORS: the key, its action, what it does,
			 * and what it does on other screens. */
			snprintf(h->lines[h->count++], sizeof(h->lines[0]),
				 _("%-9s %-16s %s  [elsewhere: %s]"),
				 scr_binding_key_text(b), name, what, else_);
		else
			snprintf(h->lines[h->count++], sizeof(h->lines[0]),
				 "%-9s %-16s %s", scr_binding_key_text(b),
				 name, what);
	}
	if (h->of->help) {
		const char *line = _(h->of->help);

		if (h->count < 200)
			h->lines[h->count++][0] = '\0';
		while (*line && h->count < 200) {
			size_t len = strcspn(line, "\n");

			snprintf(h->lines[h->count++], sizeof(h->lines[0]),
				 "%.*s", (int)len, line);
			line += len + (line[len] == '\n');
		}
	}
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
