/* Key bindings: compiled-in defaults per screen with a generic fallback,
 * and lines from a site file and a user file that rebind them.  The help
 * screen and the key bar read the same tables.  The same files also say
 * how the user's terminal draws ambiguous characters: like the keys, a
 * property of the terminal, not of the data. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "screens/ui.h"
#include "weiquan/files.h"
#include "weiquan/rules.h"
#include "weiquan/wqtime.h"

#define CTRL(c) ((c) & 0x1f)
#define MAX_BINDINGS 160

static const char *const action_names[] = {
	[SCR_ACT_NONE] = "none",
#define X(id, name, label, help) [SCR_ACT_##id] = name,
#include "screens/actions.def"
#undef X
	[SCR_ACT_RULE] = "rule",
};

static const char *const action_labels[] = {
	[SCR_ACT_NONE] = "",
#define X(id, name, label, help) [SCR_ACT_##id] = label,
#include "screens/actions.def"
#undef X
	[SCR_ACT_RULE] = "",
};

static const char *const action_helps[] = {
	[SCR_ACT_NONE] = "",
#define X(id, name, label, help) [SCR_ACT_##id] = help,
#include "screens/actions.def"
#undef X
	[SCR_ACT_RULE] = "",
};

const char *scr_action_name(enum scr_action act)
{
	return (unsigned)act < SCR_ACT_COUNT_ ? action_names[act] : "?";
}

/* gettext("") would be the catalogue's header. */
static const char *translated(const char *s)
{
	return *s ? _(s) : s;
}

const char *scr_action_label(enum scr_action act)
{
	return (unsigned)act < SCR_ACT_COUNT_ ? translated(action_labels[act])
					      : "";
}

const char *scr_action_help(enum scr_action act)
{
	return (unsigned)act < SCR_ACT_COUNT_ ? translated(action_helps[act])
					      : "";
}

/* The defaults, as the text a bindings file would hold. */
static const char default_bindings[] =
	"generic j move-down\n"
	"generic <Down> move-down\n"
	"generic k move-up\n"
	"generic <Up> move-up\n"
	"generic <Space> page-down\n"
	"generic <PgDn> page-down\n"
	"generic ^F page-down\n"
	"generic <PgUp> page-up\n"
	"generic ^B page-up\n"
	"generic g first\n"
	"generic <Home> first\n"
	"generic G last\n"
	"generic <End> last\n"
	"generic <Enter> open\n"
	"generic q back\n"
	"generic Q quit\n"
	"generic ? help\n"
	"generic <F1> help\n"
	"generic ^L refresh\n"
	"generic / search\n"
	"queue v view\n"
	"queue o sort\n"
	"queue O reverse\n"
	"queue s filter-status\n"
	"queue c filter-category\n"
	"queue r filter-region\n"
	"queue t filter-type\n"
	"queue x clear-filters\n"
	"queue D dashboard\n"
	"dashboard r merchant-repeat\n"
	"dashboard b merchant-blacklist\n"
	"dashboard <Tab> next-figure\n"
	"dashboard <BTab> prev-figure\n"
	"dashboard e export-figure\n"
	"queue i intake\n"
	"queue f find\n"
	"queue a filter-assignee\n"
	"queue M inbox\n"
	"queue <Space> mark\n"
	"queue : bulk\n"
	"case <Tab> next-pane\n"
	"case t timeline\n"
	"case L offers\n"
	"case : rulings\n"
	"case T contact\n"
	"case c rule:claim\n"
	"case = rule:assign\n"
	"case - rule:release\n"
	"case i rule:need-info\n"
	"case I rule:info-received\n"
	"case s rule:screen\n"
	"case a rule:accept\n"
	"case N rule:not-accept\n"
	"case X rule:transfer\n"
	"case D rule:odr\n"
	"case m rule:start\n"
	"case u rule:substate\n"
	"case p rule:statement\n"
	"case o rule:offer\n"
	"case O rule:counter\n"
	"case y rule:agree\n"
	"case W rule:watch\n"
	"case P rule:performed\n"
	"case U rule:unperformed\n"
	"case S rule:settle\n"
	"case w rule:withdraw\n"
	"case E rule:end\n"
	"case F rule:notify\n"
	"case R rule:submit\n"
	"case V rule:approve\n"
	"case B rule:send-back\n"
	"case Z rule:reopen\n"
	"case d rule:duplicate-of\n"
	"case ! rule:flag\n"
	"case r rule:report\n"
	"case n rule:note\n"
	"case C group\n"
	"case f documents\n"
	"case > send-file\n"
	"case < receive-files\n"
	"case A uploads\n"
	"case ^P print\n"
	"group : rulings\n"
	"case z script\n"
	"pager n search-next\n"
	"pager z script\n"
	"pager e encoding\n"
	"pager p picture\n"
	"pager + zoom-in\n"
	"pager = zoom-in\n"
	"pager - zoom-out\n"
	"pager <Left> pan-left\n"
	"pager h pan-left\n"
	"pager <Right> pan-right\n"
	"pager l pan-right\n"
	"intake <Tab> move-down\n"
	"intake <Space> toggle\n"
	"intake a attach\n"
	"intake < receive-files\n"
	"intake A uploads\n"
	"intake S save\n";

struct bound {
	char screen[16];
	struct scr_binding b;
	char rule[24];
};

static struct bound table[MAX_BINDINGS];
static int table_count;
static bool defaults_loaded;
/* The last "ambiguous-width" line read. */
static enum scr_ambiguous_width file_ambiguous_width;

bool scr_ambiguous_width_parse(const char *name,
			       enum scr_ambiguous_width *out)
{
	if (strcmp(name, "narrow") == 0)
		*out = SCR_AMBIGUOUS_NARROW;
	else if (strcmp(name, "wide") == 0)
		*out = SCR_AMBIGUOUS_WIDE;
	else
		return false;
	return true;
}

enum scr_ambiguous_width scr_keys_ambiguous_width(void)
{
	return file_ambiguous_width;
}

static const struct {
	const char *name;
	wint_t key;
	bool function_key;
} named_keys[] = {
	{"<Enter>", '\n', false},   {"<Tab>", '\t', false},
	{"<Space>", ' ', false},    {"<Esc>", 27, false},
	{"<BTab>", KEY_BTAB, true},
	{"<Down>", KEY_DOWN, true}, {"<Up>", KEY_UP, true},
	{"<Left>", KEY_LEFT, true}, {"<Right>", KEY_RIGHT, true},
	{"<PgDn>", KEY_NPAGE, true}, {"<PgUp>", KEY_PPAGE, true},
	{"<Home>", KEY_HOME, true}, {"<End>", KEY_END, true},
	{"<F1>", KEY_F(1), true},   {"<F2>", KEY_F(2), true},
	{"<F3>", KEY_F(3), true},   {"<F4>", KEY_F(4), true},
	{"<F5>", KEY_F(5), true},   {"<F10>", KEY_F(10), true},
	{"<Backspace>", KEY_BACKSPACE, true},
};

static bool parse_key(const char *text, wint_t *key, bool *fkey)
{
	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++) {
		if (strcasecmp(text, named_keys[i].name) == 0) {
			*key = named_keys[i].key;
			*fkey = named_keys[i].function_key;
			return true;
		}
	}
	if (text[0] == '^' && text[1] && !text[2] &&
	    isalpha((unsigned char)text[1])) {
		*key = CTRL(toupper((unsigned char)text[1]));
		*fkey = false;
		return true;
	}
	if ((unsigned char)text[0] > ' ' && (unsigned char)text[0] < 0x7f &&
	    !text[1]) {
		*key = (unsigned char)text[0];
		*fkey = false;
		return true;
	}
	return false;
}

static const char *key_text(wint_t key, bool fkey)
{
	static char buf[16];

	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
		if (named_keys[i].key == key &&
		    named_keys[i].function_key == fkey)
			return named_keys[i].name;
	if (!fkey && key < 32) {
		snprintf(buf, sizeof(buf), "^%c", (int)key + '@');
		return buf;
	}
	snprintf(buf, sizeof(buf), "%lc", (wint_t)key);
	return buf;
}

static bool known_screen(const char *name)
{
	return strcmp(name, "generic") == 0 || strcmp(name, "queue") == 0 ||
	       strcmp(name, "case") == 0 || strcmp(name, "pager") == 0 ||
	       strcmp(name, "help") == 0 || strcmp(name, "intake") == 0 ||
	       strcmp(name, "dashboard") == 0 || strcmp(name, "group") == 0;
}

static bool add_binding(const char *screen, const char *keyname,
			const char *action, char *why, size_t size)
{
	struct bound nb = {0};
	int slot = -1;

	if (!known_screen(screen)) {
		snprintf(why, size, _("unknown screen '%s'"), screen);
		return false;
	}
	if (!parse_key(keyname, &nb.b.key, &nb.b.function_key)) {
		snprintf(why, size, _("unknown key '%s'"), keyname);
		return false;
	}
	if (strncmp(action, "rule:", 5) == 0) {
		if (!wq_action_find(action + 5)) {
			snprintf(why, size, _("unknown ruling '%s'"),
				 action + 5);
			return false;
		}
		nb.b.act = SCR_ACT_RULE;
		snprintf(nb.rule, sizeof(nb.rule), "%s", action + 5);
	} else {
		for (int a = 0; a < SCR_ACT_COUNT_; a++)
			if (strcmp(action_names[a], action) == 0)
				nb.b.act = (enum scr_action)a;
		if (nb.b.act == SCR_ACT_NONE && strcmp(action, "none") != 0) {
			snprintf(why, size, _("unknown action '%s'"), action);
			return false;
		}
	}
	snprintf(nb.screen, sizeof(nb.screen), "%s", screen);
	/* A later line for the same key on the same screen replaces it. */
	for (int i = 0; i < table_count; i++)
		if (strcmp(table[i].screen, screen) == 0 &&
		    table[i].b.key == nb.b.key &&
		    table[i].b.function_key == nb.b.function_key)
			slot = i;
	if (slot < 0) {
		if (table_count == MAX_BINDINGS) {
			snprintf(why, size, "%s", _("too many bindings"));
			return false;
		}
		slot = table_count++;
	}
	table[slot] = nb;
	table[slot].b.rule = table[slot].b.act == SCR_ACT_RULE
				     ? table[slot].rule
				     : NULL;
	return true;
}

bool scr_keys_parse_line(const char *line, char *why, size_t size)
{
	char screen[32], key[32], action[48], extra[8];
	int n;

	while (isspace((unsigned char)*line))
		line++;
	if (!*line || *line == '#')
		return true;
	if (strncmp(line, "ambiguous-width", 15) == 0 &&
	    (isspace((unsigned char)line[15]) || !line[15])) {
		n = sscanf(line + 15, "%31s %7s", key, extra);
		if (n != 1 ||
		    !scr_ambiguous_width_parse(key, &file_ambiguous_width)) {
			snprintf(why, size, "%s",
				 _("expected: ambiguous-width wide|narrow"));
			return false;
		}
		return true;
	}
	if (strncmp(line, "bind ", 5) == 0)
		line += 5;
	n = sscanf(line, "%31s %31s %47s %7s", screen, key, action, extra);
	if (n != 3) {
		snprintf(why, size, "%s",
			 _("expected: [bind] SCREEN KEY ACTION"));
		return false;
	}
	return add_binding(screen, key, action, why, size);
}

static void load_text(const char *text)
{
	char why[128];
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char line[160];

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		scr_keys_parse_line(line, why, sizeof(why));
		p += n + (eol ? 1 : 0);
	}
}

static void ensure_defaults(void)
{
	if (defaults_loaded)
		return;
	defaults_loaded = true;
	load_text(default_bindings);
}

/* The site's file and the user's own are read with the user's rights
 * (weiquan/files.h): a setgid console lends its group to neither, so a
 * symlink named keys reaches nothing the user could not read. */
static void load_file(struct scr_ui *ui, const char *path)
{
	FILE *f;
	char line[256], why[128];
	int lineno = 0, fd;
	enum wq_err err = wq_file_open_read(path, &fd);

	if (err) {
		if (!(err == WQ_ERR_IO && errno == ENOENT) && !ui->status_error)
			scr_status_err(ui, err);
		return;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!scr_keys_parse_line(line, why, sizeof(why)) &&
		    !ui->status_error)
			scr_status(ui, true, "%s:%d: %s", path, lineno, why);
	}
	fclose(f);
}

void scr_keys_load(struct scr_ui *ui)
{
	const char *xdg, *home;
	char path[512];

	ensure_defaults();
	load_file(ui, "/etc/weiquan/keys");
	/* A privileged (setgid) console still reads its user's own keys:
	 * bindings cannot reach anything the user may not do anyway, and
	 * load_file() opens the file with the user's rights. */
	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(path, sizeof(path), "%s/weiquan/keys", xdg);
	else if (home && *home)
		snprintf(path, sizeof(path), "%s/.config/weiquan/keys", home);
	else
		return;
	load_file(ui, path);
}

int scr_bindings(const struct screen_ops *ops, const struct scr_binding **out,
		 int max)
{
	int n = 0;

	ensure_defaults();
	for (int pass = 0; pass < 2; pass++) {
		const char *screen = pass == 0 ? ops->name : "generic";

		for (int i = 0; i < table_count && n < max; i++) {
			bool shadowed = false;

			if (strcmp(table[i].screen, screen) != 0)
				continue;
			/* A screen's own binding hides the generic one. */
			for (int j = 0; pass == 1 && j < n; j++)
				shadowed |= out[j]->key == table[i].b.key &&
					    out[j]->function_key ==
						    table[i].b.function_key;
			if (!shadowed)
				out[n++] = &table[i].b;
		}
	}
	return n;
}

const char *scr_key_for(const struct screen_ops *ops, enum scr_action act,
			const char *rule)
{
	const struct scr_binding *list[MAX_BINDINGS];
	int n = scr_bindings(ops, list, MAX_BINDINGS);

	for (int i = 0; i < n; i++) {
		if (list[i]->act != act)
			continue;
		if (act == SCR_ACT_RULE &&
		    (!rule || !list[i]->rule || strcmp(rule, list[i]->rule)))
			continue;
		return key_text(list[i]->key, list[i]->function_key);
	}
	return "";
}

/* A screen's name in the user's language (msgctxt "screen", as the
 * help names it). */
static const char *screen_label(const char *name)
{
	char key[64];
	const char *t;

	snprintf(key, sizeof(key), "screen\004%s", name);
	t = gettext(key);
	return t == key ? name : t;
}

const char *scr_key_elsewhere(const struct screen_ops *ops,
			      const struct scr_binding *b)
{
	static char out[160];
	size_t used = 0;

	ensure_defaults();
	out[0] = '\0';
	for (int i = 0; i < table_count && used < sizeof(out); i++) {
		const struct bound *o = &table[i];
		const char *what;

		if (!strcmp(o->screen, ops->name) ||
		    !strcmp(o->screen, "generic") ||
		    o->b.key != b->key ||
		    o->b.function_key != b->function_key ||
		    (o->b.act == b->act &&
		     (b->act != SCR_ACT_RULE ||
		      (b->rule && o->b.rule && !strcmp(b->rule, o->b.rule)))))
			continue;
		what = o->b.act == SCR_ACT_RULE
			       ? scr_label(SCR_L_ACTION, o->b.rule)
			       : scr_action_name(o->b.act);
		used += (size_t)snprintf(out + used, sizeof(out) - used,
					 "%s%s: %s", used ? ", " : "",
					 screen_label(o->screen), what);
	}
	return out;
}

const struct scr_binding *scr_binding_of(const struct screen_ops *ops,
					 wint_t key, bool fkey)
{
	const struct scr_binding *list[MAX_BINDINGS];
	int n = scr_bindings(ops, list, MAX_BINDINGS);

	if (!fkey && key == '\r')
		key = '\n';
	if (fkey && key == KEY_ENTER) {
		key = '\n';
		fkey = false;
	}
	for (int i = 0; i < n; i++)
		if (list[i]->key == key && list[i]->function_key == fkey)
			return list[i];
	return NULL;
}

const char *scr_binding_key_text(const struct scr_binding *b)
{
	return key_text(b->key, b->function_key);
}
