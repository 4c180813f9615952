/* The inbox screen: what is due on my cases within a working day, then
 * what others did on them (weiquan/inbox.h), unread first; Enter opens
 * the case and marks the item read.  It reads the rows it shows and a
 * few screens more, and more again as the cursor nears the last read:
 * a busy mediator's inbox holds hundreds of rows, each a case or an
 * event to read. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/inbox.h"

/* The rows read at first: a screenful and half another, however tall
 * the terminal (read_to reads on before the cursor gets there).  Each
 * due row is a case's row, on a page of its own at a million cases: the
 * 64 read before at 80x24 were three screenfuls, the first frame's
 * largest cost. */
static size_t first_rows(void)
{
	size_t n = LINES > 0 ? (size_t)LINES * 3 / 2 : 64;

	return n < 16 ? 16 : n;
}

struct inbox_screen {
	struct wq_inbox_due *due; /* the first rows */
	size_t ndue;
	size_t due_total;         /* all that is due, read or not */
	struct wq_inbox inbox;    /* the rows after them */
	int unread;
	size_t want;              /* rows to read: first_rows(), doubled */
	bool more;                /* rows past those read */
	size_t selected, top;
};

static size_t rows(const struct inbox_screen *b)
{
	return b->ndue + b->inbox.n;
}

/* What the due row says: what falls due, and when. */
static void due_text(const struct wq_inbox_due *d, char *out, size_t size)
{
	const char *what = strcmp(d->what, "follow-up") == 0
				   ? _("follow-up")
				   : scr_label(SCR_L_CLOCK, d->what);

	if (d->days_left < 0)
		/* TRANSLATORS: a clock, follow-up or performance date;
		 * working days; wd: working days. */
		snprintf(out, size, _("%s overdue by %d wd"), what,
			 -d->days_left);
	else if (d->days_left == 0)
		snprintf(out, size, _("%s due today"), what);
	else
		snprintf(out, size, _("%s due in %d wd"), what, d->days_left);
	/* A deadline from a figure not checked against the official text
	 * is never shown as law. */
	if (d->unverified) {
		size_t used = strlen(out);

		snprintf(out + used, size - used, " (%s)", _("unverified"));
	}
}

static void load(struct screen *s)
{
	struct inbox_screen *b = s->priv;
	int64_t keep = b->selected >= b->ndue && b->selected < rows(b)
			       ? b->inbox.v[b->selected - b->ndue].event_id
			       : 0;
	enum wq_err err;

	wq_inbox_free(&b->inbox);
	free(b->due);
	b->due = NULL;
	b->ndue = 0;
	b->selected = 0;
	if (b->want < first_rows())
		b->want = first_rows();
	err = wq_inbox_due_first(s->ui->store, &s->ui->actor, b->want,
				 &b->due, &b->ndue);
	if (!err)
		err = wq_inbox_due_count(s->ui->store, &s->ui->actor,
					 &b->due_total);
	if (!err)
		err = wq_inbox_unread(s->ui->store, &s->ui->actor, &b->unread);
	if (!err)
		err = wq_inbox_list_first(s->ui->store, &s->ui->actor, true,
					  b->want - b->ndue, &b->inbox);
	if (err)
		scr_status_err(s->ui, err);
	/* as many read as asked for: there may be more (the due rows and
	 * the items each stop at WQ_INBOX_MAX) */
	b->more = rows(b) == b->want && b->want < 2 * WQ_INBOX_MAX;
	for (size_t i = 0; i < b->inbox.n; i++)
		if (b->inbox.v[i].event_id == keep)
			b->selected = b->ndue + i;
}

/* Reads more rows when the cursor is to go to row `to` or near it. */
static void read_to(struct screen *s, size_t to)
{
	struct inbox_screen *b = s->priv;
	size_t selected = b->selected;

	while (b->more && to + first_rows() / 2 >= rows(b)) {
		b->want *= 2;
		load(s);
	}
	b->selected = selected < rows(b) ? selected : 0;
}

static int inbox_open(struct screen *s, const void *arg)
{
	(void)arg;
	load(s);
	return 0;
}

static void inbox_close(struct screen *s)
{
	struct inbox_screen *b = s->priv;

	wq_inbox_free(&b->inbox);
	free(b->due);
}

static void inbox_draw(struct screen *s)
{
	struct inbox_screen *b = s->priv;
	struct scr_ui *ui = s->ui;
	struct scr_rect t = scr_layout_rect(&s->lay, SCR_AREA_TITLE);
	struct scr_rect r = scr_layout_rect(&s->lay, SCR_AREA_HELP_TEXT);
	char line[1024], when[32];

	if (b->due_total)
		snprintf(line, sizeof(line),
			 /* TRANSLATORS: login, items due within a working
			  * day, unread items. */
			 _("Inbox of %s: %zu due, %d unread"), ui->actor.login,
			 b->due_total, b->unread);
	else
		snprintf(line, sizeof(line), _("Inbox of %s: %d unread"),
			 ui->actor.login, b->unread);
	scr_draw_text(stdscr, t.y, t.x, t.w, line, ui->attr[SCR_A_TITLE],
		      SCR_TEXT_PAD);
	if (r.h <= 0)
		return;
	if (!rows(b)) {
		scr_draw_text(stdscr, r.y, r.x, r.w,
			      _("Nothing others did on your cases yet"),
			      ui->attr[SCR_A_DIM], SCR_TEXT_PAD);
		return;
	}
	if (b->selected < b->top)
		b->top = b->selected;
	if (b->selected >= b->top + (size_t)r.h)
		b->top = b->selected - (size_t)r.h + 1;
	for (int row = 0; row < r.h && b->top + row < rows(b); row++) {
		size_t i = b->top + (size_t)row;
		const struct wq_inbox_item *it;
		attr_t a;

		if (i < b->ndue) {
			const struct wq_inbox_due *d = &b->due[i];
			char what[160];

			due_text(d, what, sizeof(what));
			snprintf(line, sizeof(line), "! %s %s %s", d->due_on,
				 d->number, what);
			a = i == b->selected	? ui->attr[SCR_A_SELECTED]
			    : d->days_left < 0 ? ui->attr[SCR_A_OVERDUE]
					       : ui->attr[SCR_A_DUE_SOON];
			scr_draw_text(stdscr, r.y + row, r.x, r.w, line, a,
				      SCR_TEXT_PAD);
			continue;
		}
		it = &b->inbox.v[i - b->ndue];
		a = i == b->selected ? ui->attr[SCR_A_SELECTED]
			   : it->read	    ? ui->attr[SCR_A_DIM]
					    : ui->attr[SCR_A_NORMAL];

		scr_local_time(it->at, when, sizeof(when));
		/* the comment last: it is what the width cuts */
		snprintf(line, sizeof(line), "%s %s %s %s %s  %s",
			 it->read ? " " : "*", when, it->number,
			 scr_label(SCR_L_ACTION, it->action), it->actor,
			 it->comment);
		scr_draw_text(stdscr, r.y + row, r.x, r.w, line, a,
			      SCR_TEXT_PAD | SCR_TEXT_NL_SPACE);
	}
}

static void move_to(struct inbox_screen *b, long to)
{
	if (to < 0 || !rows(b))
		to = 0;
	else if ((size_t)to >= rows(b))
		to = (long)rows(b) - 1;
	b->selected = (size_t)to;
}

static int inbox_act(struct screen *s, enum scr_action act, const char *rule)
{
	struct inbox_screen *b = s->priv;
	struct scr_rect r = scr_layout_rect(&s->lay, SCR_AREA_HELP_TEXT);
	long page = r.h > 1 ? r.h - 1 : 1;
	enum wq_err err;

	(void)rule;
	switch (act) {
	case SCR_ACT_MOVE_DOWN:
		read_to(s, b->selected + 1);
		move_to(b, (long)b->selected + 1);
		break;
	case SCR_ACT_MOVE_UP:
		move_to(b, (long)b->selected - 1);
		break;
	case SCR_ACT_PAGE_DOWN:
		read_to(s, b->selected + (size_t)page);
		move_to(b, (long)b->selected + page);
		break;
	case SCR_ACT_PAGE_UP:
		move_to(b, (long)b->selected - page);
		break;
	case SCR_ACT_FIRST:
		move_to(b, 0);
		break;
	case SCR_ACT_LAST:
		read_to(s, 2 * WQ_INBOX_MAX);
		move_to(b, (long)rows(b));
		break;
	case SCR_ACT_OPEN: {
		const struct wq_inbox_item *it;

		if (!rows(b))
			break;
		if (b->selected < b->ndue) {
			scr_push(s->ui, &scr_case_ops,
				 b->due[b->selected].number);
			return SCR_HANDLED | SCR_RELOAD;
		}
		it = &b->inbox.v[b->selected - b->ndue];
		if (!it->read) {
			err = wq_inbox_mark_read(s->ui->store, &s->ui->actor,
						 it->event_id);
			if (err) {
				scr_status_err(s->ui, err);
				return SCR_HANDLED | SCR_RELOAD;
			}
		}
		/* reloaded when the case view closes (our own commit) */
		scr_push(s->ui, &scr_case_ops, it->number);
		return SCR_HANDLED | SCR_RELOAD;
	}
	default:
		return 0;
	}
	return SCR_HANDLED;
}

static int inbox_keybar(struct screen *s, const char **items, int max)
{
	static const char *const mine[] = {"open"};
	int n = 0;

	(void)s;
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]) && n < max; i++)
		items[n++] = mine[i];
	return n;
}

const struct screen_ops scr_inbox_ops = {
    .name = "inbox",
    .priv_size = sizeof(struct inbox_screen),
    .layout_id = SCR_SCREEN_HELP,
    .open = inbox_open,
    .draw = inbox_draw,
    .act = inbox_act,
    .data_changed = load,
    .close = inbox_close,
    .keybar = inbox_keybar,
    /* TRANSLATORS: keep each line within 76 columns (a Chinese
     * character takes two). */
    .help = N_("! marks what is due on your cases within a working day "
	       "(a deadline,\n"
	       "a follow-up, an agreement's performance date), first; it goes "
	       "when the\n"
	       "case moves on.  Then what others did on the cases assigned to "
	       "you, from\n"
	       "the event that made each case yours: a send-back with the "
	       "reviewer's\n"
	       "comment, an assignment, a statement or evidence, a group "
	       "ruling.\n"
	       "* marks an unread item; unread items come first, newest "
	       "first.\n"
	       "Enter opens the case and marks the item read.\n"),
};
