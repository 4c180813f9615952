/* The console's loop: owns the terminal, keeps the stack of screens,
 * turns keys into actions, polls for other sessions' commits and redraws.
 * Drawing goes to stdscr and ncurses sends only what changed, so moving
 * the cursor costs a few bytes on a slow SSH link. */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>
#include <wctype.h>

#include "screens/console.h"
#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/clean.h"
#include "weiquan/convert.h"
#include "weiquan/encoding.h"
#include "weiquan/media.h"
#include "weiquan/err.h"
#include "weiquan/rules.h"
#include "weiquan/vocab.h"
#include "weiquan/wqtime.h"

/* How often the console looks for other sessions' commits: once a
 * second on SQLite (data_version, then the events since); five times a
 * second where the database tells them itself (PostgreSQL's
 * notifications, looked for without a round trip; one when some came),
 * so that a ruling made on another application host shows within a
 * second. */
#define POLL_MS 1000
#define POLL_TOLD_MS 200

static volatile sig_atomic_t hangup;

static void on_hangup(int sig)
{
	(void)sig;
	hangup = 1;
}

bool scr_hungup(void)
{
	return hangup != 0;
}

void scr_status(struct scr_ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_error = error;
}

void scr_status_err(struct scr_ui *ui, enum wq_err err)
{
	const char *detail = wq_err_detail();

	if (*detail)
		scr_status(ui, true, "%s: %s", _(wq_strerror(err)), detail);
	else
		scr_status(ui, true, "%s", _(wq_strerror(err)));
}

/* ---- labels of codes ---- */

/* The codes, each table in its gettext context. */
/* The codes, each table in its gettext context; the vocabularies' codes
 * are marked in weiquan/vocab.h. */
static const char *const status_codes[] = {
	/* TRANSLATORS: the msgids with a context (status, substate, reason,
	 * category, ...) are codes the command line takes, e.g. `weiquan
	 * case list --status in_mediation`; translate what they mean, as a
	 * short label for a column or a pick list. */
	WQ_STATUS_LIST(WQ_STATUS_CODE) WQ_IP_STATUS_LIST(WQ_STATUS_CODE)
	WQ_REPORT_STATUS_LIST(WQ_STATUS_CODE)
	WQ_DIVERSION_STATUS_LIST(WQ_STATUS_CODE) NULL,
};
static const char *const substate_codes[] = {
	WQ_SUBSTATE_LIST(WQ_CODE) NULL,
};
static const char *const reason_codes[] = {
	WQ_NOT_ACCEPT_LIST(WQ_CODE) WQ_END_REASON_LIST(WQ_CODE)
	WQ_OTHER_REASON_LIST(WQ_CODE) WQ_IP_MEASURE_LIST(WQ_CODE)
	WQ_IP_REJECT_LIST(WQ_CODE) WQ_REPORT_NOT_FILE_LIST(WQ_CODE)
	WQ_DIVERSION_DISMISS_LIST(WQ_CODE) WQ_NOT_ACCEPT_121_LIST(WQ_CODE)
	WQ_FOLLOW_UP_LIST(WQ_CODE) WQ_SEAT_GROUND_LIST(WQ_CODE) NULL,
};
static const char *const category_codes[] = {
	NC_("category", "quality"), NC_("category", "refund"),
	NC_("category", "advertising"), NC_("category", "counterfeit"),
	NC_("category", "diversion"), NC_("category", "delivery"),
	NC_("category", "payment"), NC_("category", "service"),
	NC_("category", "privacy"), NC_("category", "other"), NULL,
};
static const char *const type_codes[] = {
	NC_("type", "complaint"), NC_("type", "ip"), NC_("type", "diversion"),
	NC_("type", "report"), NULL,
};
static const char *const flag_codes[] = {
	WQ_FLAG_LIST(WQ_FLAG_CODE) NULL,
};
static const char *const party_codes[] = {
	NC_("party", "complainant"), NC_("party", "respondent"),
	NC_("party", "mediator"), NULL,
};
static const char *const remedy_codes[] = {
	NC_("remedy", "refund"), NC_("remedy", "return"),
	NC_("remedy", "exchange"), NC_("remedy", "repair"),
	NC_("remedy", "compensation"), NULL,
};
static const char *const evidence_codes[] = {
	NC_("evidence", "voucher"), NC_("evidence", "order"),
	NC_("evidence", "chat"), NC_("evidence", "photo"),
	NC_("evidence", "contract"), NC_("evidence", "logistics"),
	NC_("evidence", "scan"), NC_("evidence", "appraisal"),
	NC_("evidence", "other"), NULL,
};
static const char *const offer_codes[] = {
	NC_("offer", "open"), NC_("offer", "accepted"),
	NC_("offer", "countered"), NULL,
};
static const char *const report_codes[] = {
	NC_("report", "checking"), NC_("report", "done"), NULL,
};
static const char *const role_codes[] = {
	NC_("role", "desk"), NC_("role", "mediator"),
	NC_("role", "supervisor"), NC_("role", "admin"), NULL,
};
/* The actions: every track's rulings (their names are marked in the
 * ruling tables, rules.c) and the other events of a timeline. */
static const char *const other_event_codes[] = {
	NC_("action", "create"), NC_("action", "evidence"),
	NC_("action", "intake"), NC_("action", "contact"), NULL,
};
static const char *const clock_codes[] = {
	NC_("clock", "accept"), NC_("clock", "odr"), NC_("clock", "mediation"),
	NC_("clock", "notice"), NC_("clock", "report"),
	NC_("clock", "report_check"), NC_("clock", "report_tell"),
	NC_("clock", "ip_wait"),
	/* an agreement's performance date (weiquan/casedetail.h) */
	NC_("clock", "performance"), NULL,
};
static const char *const order_codes[] = {
	NC_("order", "due"), NC_("order", "received"), NC_("order", "amount"),
	NC_("order", "status"), NC_("order", "merchant"),
	NC_("order", "review"), NULL,
};
static const char *const arg_codes[] = {
	NC_("arg", "LOGIN"), NC_("arg", "NOTE"), NC_("arg", "REASON"),
	NC_("arg", "BODY"), NC_("arg", "SUBSTATE"), NC_("arg", "PARTY"),
	NC_("arg", "TEXT"), NC_("arg", "REMEDY"), NC_("arg", "AMOUNT"),
	NC_("arg", "TERMS"), NC_("arg", "OFFER"), NC_("arg", "PERFORMER"),
	NC_("arg", "DUE"), NC_("arg", "COMMENT"), NC_("arg", "NUMBER"),
	NC_("arg", "FLAG"), NC_("arg", "RESULT"), NC_("arg", "MEASURE"),
	NC_("arg", "CHOICE"), NC_("arg", "ADDRESS"), NC_("arg", "REGION"),
	NC_("arg", "BUREAU"), NC_("arg", "SENT"), NULL,
};

static const struct {
	const char *context;
	const char *const *codes;
} label_tables[SCR_L_COUNT_] = {
	[SCR_L_STATUS] = {"status", status_codes},
	[SCR_L_SUBSTATE] = {"substate", substate_codes},
	[SCR_L_REASON] = {"reason", reason_codes},
	[SCR_L_CATEGORY] = {"category", category_codes},
	[SCR_L_TYPE] = {"type", type_codes},
	[SCR_L_FLAG] = {"flag", flag_codes},
	[SCR_L_PARTY] = {"party", party_codes},
	[SCR_L_REMEDY] = {"remedy", remedy_codes},
	[SCR_L_EVIDENCE] = {"evidence", evidence_codes},
	[SCR_L_OFFER] = {"offer", offer_codes},
	[SCR_L_REPORT] = {"report", report_codes},
	[SCR_L_ROLE] = {"role", role_codes},
	[SCR_L_ACTION] = {"action", other_event_codes},
	[SCR_L_CLOCK] = {"clock", clock_codes},
	[SCR_L_ORDER] = {"order", order_codes},
	[SCR_L_ARG] = {"arg", arg_codes},
};

/* Where no catalogue translates a code (an English console), the code
 * is still no label: "in_mediation" reads "in mediation", "LOGIN"
 * "login", and the few a reader could not guess are spelled out.  Made
 * once per code and kept, as scr_label() promises. */
static const char *english_label(enum scr_label_kind kind, const char *code)
{
	static const struct {
		const char *code, *label;
	} spelled[] = {
		{"ip", "IP notice"},
		{"odr", "merchant's own channel (ODR)"},
		{"odr-settled", "settled in the merchant's channel"},
		{"odr-failed", "failed in the merchant's channel"},
		{"review", "time waiting in review"},
	};
	static struct made {
		struct made *next;
		enum scr_label_kind kind;
		char *code, *label;
	} *made;
	struct made *m;
	char *label;

	for (size_t i = 0; i < sizeof(spelled) / sizeof(spelled[0]); i++)
		if (strcmp(spelled[i].code, code) == 0)
			return spelled[i].label;
	for (m = made; m; m = m->next)
		if (m->kind == kind && strcmp(m->code, code) == 0)
			return m->label;
	m = malloc(sizeof(*m));
	label = strdup(code);
	if (!m || !label || !(m->code = strdup(code))) {
		free(m);
		free(label);
		return code;
	}
	for (char *p = label; *p; p++)
		if (*p == '_' || *p == '-')
			*p = ' ';
		else if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	m->kind = kind;
	m->label = label;
	m->next = made;
	made = m;
	return label;
}

const char *scr_label(enum scr_label_kind kind, const char *code)
{
	char key[96];
	const char *t;

	bool known;

	if (!code || (unsigned)kind >= SCR_L_COUNT_)
		return code ? code : "";
	known = kind == SCR_L_ACTION && wq_action_find(code);
	for (const char *const *c = label_tables[kind].codes; !known && *c;
	     c++)
		known = strcmp(*c, code) == 0;
	if (!known)
		return code;
	/* gettext's msgctxt: "context\004msgid". */
	if ((size_t)snprintf(key, sizeof(key), "%s\004%s",
			     label_tables[kind].context, code) >= sizeof(key))
		return code;
	t = gettext(key);
	return t == key ? english_label(kind, code) : t;
}

const char *scr_party_label(const char *case_type, const char *party)
{
	/* a consumer complaint's parties, as its header names them */
	if (case_type && strcmp(case_type, "complaint") == 0) {
		if (strcmp(party, "complainant") == 0)
			return _("consumer");
		if (strcmp(party, "respondent") == 0)
			return _("merchant");
	}
	return scr_label(SCR_L_PARTY, party);
}

const char *const *scr_label_codes(enum scr_label_kind kind)
{
	static const char *const none[] = {NULL};

	return (unsigned)kind < SCR_L_COUNT_ ? label_tables[kind].codes
					     : none;
}

const char *scr_status_label(const char *status)
{
	const char *l = scr_label(SCR_L_STATUS, status);

	return l == status ? scr_label(SCR_L_SUBSTATE, status) : l;
}

bool scr_push(struct scr_ui *ui, const struct screen_ops *ops,
	      const void *arg)
{
	struct screen *s;

	if (ui->depth == (int)(sizeof(ui->stack) / sizeof(ui->stack[0])))
		return false;
	s = calloc(1, sizeof(*s));
	if (!s)
		return false;
	s->ops = ops;
	s->ui = ui;
	s->priv = ops->priv_size ? calloc(1, ops->priv_size) : NULL;
	if (ops->priv_size && !s->priv) {
		free(s);
		return false;
	}
	ui->stack[ui->depth++] = s;
	if (ops->open && ops->open(s, arg) != 0) {
		scr_pop(ui);
		return false;
	}
	return true;
}

void scr_pop(struct scr_ui *ui)
{
	struct screen *s;

	if (ui->depth == 0)
		return;
	s = ui->stack[--ui->depth];
	if (s->ops->close)
		s->ops->close(s);
	free(s->priv);
	free(s);
}

static void init_attrs(struct scr_ui *ui)
{
	const char *no_color = getenv("NO_COLOR");
	bool color = has_colors() && !(no_color && *no_color);

	ui->attr[SCR_A_NORMAL] = A_NORMAL;
	ui->attr[SCR_A_TITLE] = A_BOLD;
	ui->attr[SCR_A_SELECTED] = A_REVERSE;
	ui->attr[SCR_A_OVERDUE] = A_BOLD;
	ui->attr[SCR_A_DUE_SOON] = A_UNDERLINE;
	ui->attr[SCR_A_PLACEHOLDER] = A_DIM | A_UNDERLINE;
	ui->attr[SCR_A_KEYBAR] = A_REVERSE;
	ui->attr[SCR_A_KEY] = A_REVERSE | A_BOLD;
	ui->attr[SCR_A_ERROR] = A_BOLD;
	ui->attr[SCR_A_DIM] = A_DIM;
	ui->attr[SCR_A_MARK] = A_BOLD;
	if (!color)
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_RED, -1);
	init_pair(2, COLOR_YELLOW, -1);
	init_pair(3, COLOR_CYAN, -1);
	init_pair(4, COLOR_BLACK, COLOR_CYAN);
	init_pair(5, COLOR_WHITE, COLOR_RED);
	init_pair(6, COLOR_MAGENTA, -1);
	ui->attr[SCR_A_TITLE] = A_BOLD | COLOR_PAIR(3);
	ui->attr[SCR_A_OVERDUE] = A_BOLD | COLOR_PAIR(1);
	ui->attr[SCR_A_DUE_SOON] = COLOR_PAIR(2);
	ui->attr[SCR_A_PLACEHOLDER] = COLOR_PAIR(6);
	ui->attr[SCR_A_KEYBAR] = COLOR_PAIR(4);
	ui->attr[SCR_A_KEY] = COLOR_PAIR(4) | A_BOLD;
	ui->attr[SCR_A_ERROR] = A_BOLD | COLOR_PAIR(5);
	ui->attr[SCR_A_MARK] = A_BOLD | COLOR_PAIR(1);
}

static void draw_too_small(void)
{
	const char *msg = _("enlarge the terminal");
	int y = LINES / 2, x = (COLS - scr_text_width(msg)) / 2;

	erase();
	if (x < 0)
		x = 0;
	scr_draw_text(stdscr, y < 0 ? 0 : y, x, COLS - x, msg, A_NORMAL, 0);
	if (LINES > 1) {
		char size[48];

		snprintf(size, sizeof(size), "%dx%d < %dx%d", COLS, LINES,
			 SCR_MIN_COLS, SCR_MIN_ROWS);
		x = (COLS - (int)strlen(size)) / 2;
		if (x < 0)
			x = 0;
		scr_draw_text(stdscr, y + 1, x, COLS - x, size, A_NORMAL, 0);
	}
}

static bool key_elsewhere(const struct screen *s, enum scr_action act,
			  const char *rule)
{
	const struct scr_binding *list[256];
	int n = scr_bindings(s->ops, list, 256);

	for (int i = 0; i < n; i++)
		if (list[i]->act == act &&
		    (act != SCR_ACT_RULE ||
		     (rule && list[i]->rule && !strcmp(rule, list[i]->rule))))
			return *scr_key_elsewhere(s->ops, list[i]) != '\0';
	return false;
}

static void draw_keybar(struct screen *s)
{
	struct scr_ui *ui = s->ui;
	struct scr_rect r = scr_layout_rect(&s->lay, SCR_AREA_KEYBAR);
	const char *items[48];
	int n = 0, x = r.x;

	move(r.y, r.x);
	attrset(ui->attr[SCR_A_KEYBAR]);
	hline(' ', r.w);
	if (s->ops->keybar)
		n = s->ops->keybar(s, items, 44);
	items[n++] = "help";
	items[n++] = "back";
	for (int i = 0; i < n && x < r.x + r.w; i++) {
		const char *rule = NULL, *label;
		enum scr_action act = SCR_ACT_NONE;
		const char *key;
		int kw, lw;

		if (strncmp(items[i], "rule:", 5) == 0) {
			act = SCR_ACT_RULE;
			rule = items[i] + 5;
			label = scr_label(SCR_L_ACTION, rule);
		} else {
			for (int a = 1; a < SCR_ACT_COUNT_; a++)
				if (strcmp(scr_action_name(
						   (enum scr_action)a),
					   items[i]) == 0)
					act = (enum scr_action)a;
			label = scr_action_label(act);
		}
		key = scr_key_for(s->ops, act, rule);
		if (!*key)
			continue;
		kw = scr_text_width(key);
		lw = scr_text_width(label);
		if (x + kw + 1 + lw > r.x + r.w)
			break;
		/* A key that does something else on another screen is
		 * underlined (the help says what). */
		x += scr_draw_text(stdscr, r.y, x, kw, key,
				   ui->attr[SCR_A_KEY] |
					   (key_elsewhere(s, act, rule)
						    ? A_UNDERLINE
						    : 0),
				   0);
		x += scr_draw_text(stdscr, r.y, x, 1 + lw + 1, label,
				   ui->attr[SCR_A_KEYBAR], 0) + 0;
		mvaddch(r.y, x, ' ');
		x += 2;
		move(r.y, x - 1);
	}
	attrset(A_NORMAL);
}

/* A message longer than the status line (a refusal with its reason, a
 * Chinese one two columns a character) is not cut: it wraps upwards over
 * the bottom of the screen, which the next key gives back. */
static void draw_status(struct screen *s)
{
	struct scr_ui *ui = s->ui;
	struct scr_rect r = scr_layout_rect(&s->lay, SCR_AREA_STATUS);
	struct scr_cells cells = {0};
	struct scr_lines lines = {0};
	attr_t attr = ui->attr[ui->status_error ? SCR_A_ERROR : SCR_A_NORMAL];
	size_t n, rows;

	move(r.y, r.x);
	clrtoeol();
	if (!ui->status[0])
		return;
	n = scr_text_wrap(ui->status, r.w, 0, &cells, &lines);
	/* Below the header line at most; the last line shown carries the
	 * cut mark if even that is not enough. */
	rows = n < (size_t)r.y ? n : (size_t)r.y;
	for (size_t i = 0; i < rows; i++) {
		int y = r.y - (int)(rows - 1 - i);

		move(y, r.x);
		clrtoeol();
		if (i + 1 == rows && rows < n)
			scr_draw_text(stdscr, y, r.x, r.w,
				      ui->status + cells.v[lines.v[i].first].off,
				      attr, SCR_TEXT_PAD);
		else
			scr_draw_cells(stdscr, y, r.x, r.w,
				       cells.v + lines.v[i].first,
				       lines.v[i].count, attr, SCR_TEXT_PAD);
	}
	scr_cells_free(&cells);
	scr_lines_free(&lines);
}

static void draw(struct scr_ui *ui)
{
	struct screen *s = ui->stack[ui->depth - 1];

	if (scr_layout_too_small(LINES, COLS)) {
		draw_too_small();
		return;
	}
	erase();
	scr_layout_compute(&s->lay, s->ops->layout_id, LINES, COLS,
			   s->lay.aside);
	s->ops->draw(s);
	draw_status(s);
	draw_keybar(s);
}

void scr_local_time(const char *utc, char *out, size_t size)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (!utc || !strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		snprintf(out, size, "%s", utc ? utc : "");
		return;
	}
	t = timegm(&tm);
	localtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%d %H:%M", &tm);
}

void scr_redraw(struct scr_ui *ui)
{
	draw(ui);
}

static void poll_changes(struct scr_ui *ui)
{
	int64_t v = wq_store_data_version(ui->store);

	if (v == ui->data_version)
		return;
	ui->data_version = v;
	if (wq_changes_next(ui->store, &ui->changes))
		ui->changes.everything = true;
	for (int i = 0; i < ui->depth; i++) {
		struct screen *s = ui->stack[i];

		if (!s->ops->data_changed)
			continue;
		if (s->ops->concerns && !ui->changes.everything &&
		    !s->ops->concerns(s, &ui->changes))
			continue;
		s->ops->data_changed(s);
	}
}

/* Between a drawn screen and the next key: the top screen reads ahead,
 * unless a key is already waiting, which comes first. */
static void read_ahead(struct scr_ui *ui)
{
	struct screen *top = ui->stack[ui->depth - 1];
	struct pollfd key = {.fd = STDIN_FILENO, .events = POLLIN};

	if (poll(&key, 1, 0) > 0)
		return;
	/* The media code once, after the first screen: a photo opened
	 * later then draws at once instead of loading it first. */
	if (!ui->media_loaded) {
		ui->media_loaded = true;
		wq_media_preload();
		if (poll(&key, 1, 0) > 0)
			return;
	}
	if (!top->ops->idle || scr_layout_too_small(LINES, COLS))
		return;
	top->ops->idle(top);
}

static void run_action(struct scr_ui *ui, const struct scr_binding *b)
{
	struct screen *s = ui->stack[ui->depth - 1];
	int flags = s->ops->act ? s->ops->act(s, b->act, b->rule) : 0;

	if (!(flags & SCR_HANDLED)) {
		switch (b->act) {
		case SCR_ACT_QUIT:
			flags |= SCR_QUIT;
			break;
		case SCR_ACT_BACK:
			flags |= ui->depth > 1 ? SCR_CLOSE : SCR_QUIT;
			break;
		case SCR_ACT_HELP:
			scr_push(ui, &scr_help_ops, s->ops);
			break;
		case SCR_ACT_REFRESH:
			clearok(curscr, TRUE);
			flags |= SCR_RELOAD;
			break;
		default:
			break;
		}
	}
	if (flags & SCR_RELOAD && s->ops->data_changed)
		s->ops->data_changed(s);
	if (flags & SCR_CLOSE) {
		scr_pop(ui);
		/* Our own commits do not move data_version: the screen we
		 * return to reloads, so it shows what was just done. */
		if (ui->depth && ui->stack[ui->depth - 1]->ops->data_changed)
			ui->stack[ui->depth - 1]->ops->data_changed(
				ui->stack[ui->depth - 1]);
	}
	if (flags & SCR_QUIT)
		ui->quit = true;
	/* Whatever changed on disk, every screen below sees it too. */
	poll_changes(ui);
}

/* A message the console made (UTF-8) on a stream in the locale's charset,
 * "?" for what the charset lacks. */
static void put_utf8(FILE *f, const char *utf8)
{
	size_t len = strlen(utf8), i = 0, k, n;
	char mb[MB_LEN_MAX];
	mbstate_t st;
	uint32_t c;

	memset(&st, 0, sizeof(st));
	while (i < len) {
		k = wq_utf8_decode(utf8 + i, len - i, &c);
		n = k ? wcrtomb(mb, (wchar_t)c, &st) : (size_t)-1;
		if (n == (size_t)-1) {
			memset(&st, 0, sizeof(st));
			fputc('?', f);
		} else {
			fwrite(mb, 1, n, f);
		}
		i += k ? k : 1;
	}
}

/* The command line, else $WEIQUAN_AMBIGUOUS_WIDTH (not in a privileged
 * installation, like every variable), else the keys files.  Unset, a
 * UTF-8 locale's widths stand (1, as most terminals draw them); a GB18030
 * or Big5 locale says 2, which luit, PuTTY and most desk terminals do not
 * draw, so there the default is narrow: look-alikes of one column, which
 * every terminal draws alike.  Before the first draw: every width
 * measured from here on follows it. */
static void apply_ambiguous_width(struct scr_ui *ui,
				  const struct scr_console_options *opts)
{
	enum scr_ambiguous_width how = opts ? opts->ambiguous_width
					    : SCR_AMBIGUOUS_UNSET;
	const char *env = wq_privileged() ? NULL
					  : getenv("WEIQUAN_AMBIGUOUS_WIDTH");

	if (how == SCR_AMBIGUOUS_UNSET && env && *env &&
	    !scr_ambiguous_width_parse(env, &how) && !ui->status_error)
		scr_status(ui, true, _("%s: '%s' is neither wide nor narrow"),
			   "WEIQUAN_AMBIGUOUS_WIDTH", env);
	if (how == SCR_AMBIGUOUS_UNSET)
		how = scr_keys_ambiguous_width();
	if (how == SCR_AMBIGUOUS_UNSET &&
	    strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		how = SCR_AMBIGUOUS_NARROW;
	scr_text_set_ambiguous_wide(how == SCR_AMBIGUOUS_WIDE);
	scr_text_set_ambiguous_narrow(how == SCR_AMBIGUOUS_NARROW);
}

int scr_console_run(struct wq_store *store, const struct wq_user *actor,
		    const struct scr_console_options *opts)
{
	struct scr_ui ui;
	SCREEN *term;
	struct sigaction sa;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "weiquan: %s\n",
			_("the console needs a terminal; 'weiquan case list' "
			  "prints the queue"));
		return 1;
	}
	term = newterm(NULL, stdout, stdin);
	if (!term) {
		/* TERM is anyone's text too: shown, not obeyed. */
		char *name = wq_clean_mbs(getenv("TERM") ? getenv("TERM") : "");

		fprintf(stderr, "weiquan: ");
		fprintf(stderr, _("cannot use the terminal type '%s'"), name);
		fputc('\n', stderr);
		free(name);
		return 1;
	}
	set_term(term);
	/* The console is UTF-8 inside whatever the locale, its messages
	 * included: gettext would hand them over in GB18030 or Big5. */
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	/* Converted text reads in the reader's own forms. */
	wq_convert_set_taiwan(
		wq_locale_is_taiwan(setlocale(LC_MESSAGES, NULL)));
	memset(&ui, 0, sizeof(ui));
	ui.store = store;
	ui.actor = *actor;
	ui.documents = opts->documents;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_hangup;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	/* Let ncurses scroll the terminal instead of repainting lines. */
	idlok(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	timeout(wq_store_tells_changes(store) ? POLL_TOLD_MS : POLL_MS);
	init_attrs(&ui);
	scr_keys_load(&ui);
	apply_ambiguous_width(&ui, opts);
	ui.data_version = wq_store_data_version(store);
	if (wq_changes_start(store, &ui.changes))
		ui.changes.everything = true;

	if (!scr_push(&ui, &scr_queue_ops, NULL)) {
		endwin();
		delscreen(term);
		bind_textdomain_codeset(PACKAGE, nl_langinfo(CODESET));
		fputs("weiquan: ", stderr);
		put_utf8(stderr, ui.status);
		fputc('\n', stderr);
		return 1;
	}
	while (ui.depth > 0 && !ui.quit && !hangup) {
		const struct scr_binding *b;
		wint_t ch;
		int rc;

		draw(&ui);
		refresh();
		read_ahead(&ui);
		rc = get_wch(&ch);
		if (rc == ERR) {
			poll_changes(&ui);
			continue;
		}
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
			struct screen *top = ui.stack[ui.depth - 1];

			if (top->ops->resized &&
			    !scr_layout_too_small(LINES, COLS))
				top->ops->resized(top);
			continue;
		}
		ui.status[0] = '\0';
		ui.status_error = false;
		if (scr_layout_too_small(LINES, COLS)) {
			/* Only leaving works until the terminal grows. */
			b = scr_binding_of(ui.stack[ui.depth - 1]->ops, ch,
					   rc == KEY_CODE_YES);
			if (b && b->act == SCR_ACT_QUIT)
				ui.quit = true;
			continue;
		}
		b = scr_binding_of(ui.stack[ui.depth - 1]->ops, ch,
				   rc == KEY_CODE_YES);
		if (!b && rc == OK && iswprint((wint_t)ch) &&
		    ui.stack[ui.depth - 1]->ops->type &&
		    ui.stack[ui.depth - 1]->ops->type(ui.stack[ui.depth - 1],
						      (wchar_t)ch))
			continue;
		if (!b) {
			scr_status(&ui, false, "%s",
				   _("key not bound here; ? shows the keys"));
			continue;
		}
		run_action(&ui, b);
	}
	while (ui.depth > 0)
		scr_pop(&ui);
	wq_changes_free(&ui.changes);
	endwin();
	delscreen(term);
	bind_textdomain_codeset(PACKAGE, nl_langinfo(CODESET));
	return 0;
}
