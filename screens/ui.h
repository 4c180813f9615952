/* weiquan: the console's frame — the loop that owns the terminal, the
 * stack of screens, key bindings, the status line and the key bar.
 *
 * A screen is a const struct screen_ops of hooks.  `open` and
 * `data_changed` load what the screen shows through the core; `layout`
 * only computes rectangles; `draw` paints from what was loaded and never
 * queries the database; `act` handles one action; `resized` loads what a
 * terminal grown taller shows. */
#ifndef WEIQUAN_SCREENS_UI_H
#define WEIQUAN_SCREENS_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include <curses.h>
#include <libintl.h>

#include "weiquan/changes.h"
#include "weiquan/store.h"
#include "weiquan/user.h"
#include "screens/console.h"
#include "screens/layout.h"

/* Every string the console shows is marked here, in one place:
 * _() translates where it is used, N_() marks an entry of a static table
 * (translated with _() where it is shown), NC_(context, code) marks a code
 * of one of the tables behind scr_label(). */
#ifndef _
#define _(s) gettext(s)
#endif
#ifndef N_
#define N_(s) s
#endif
#ifndef NC_
#define NC_(context, s) s
#endif

enum scr_action {
	SCR_ACT_NONE = 0,
#define X(id, name, label, help) SCR_ACT_##id,
#include "screens/actions.def"
#undef X
	SCR_ACT_RULE,     /* a ruling: the binding names the core action */
	SCR_ACT_COUNT_
};

/* The name is the identifier (bindings files); label and help come
 * translated. */
const char *scr_action_name(enum scr_action act);
const char *scr_action_label(enum scr_action act);
const char *scr_action_help(enum scr_action act);

/* Codes the core stores and the command line takes ("in_mediation",
 * "time-barred", "refund") stay codes where they are typed or parsed; where
 * the console shows one it shows its label in the user's language.  The
 * English label is the code itself, so an English console reads as the
 * command line does; a code not in the tables (a category an administrator
 * added, free text) is shown as it is.  The label lives until the program
 * ends. */
enum scr_label_kind {
	SCR_L_STATUS,     /* wq_statuses */
	SCR_L_SUBSTATE,   /* wq_substates */
	SCR_L_REASON,     /* grounds for not accepting, reasons to end */
	SCR_L_CATEGORY,   /* the categories table's codes */
	SCR_L_TYPE,       /* complaint, ip, diversion */
	SCR_L_FLAG,       /* wq_flag_name() */
	SCR_L_PARTY,      /* complainant, respondent, mediator */
	SCR_L_REMEDY,     /* refund, return, ... */
	SCR_L_EVIDENCE,   /* evidence kinds */
	SCR_L_OFFER,      /* an offer's state */
	SCR_L_REPORT,     /* the report check's track: checking, done */
	SCR_L_ROLE,       /* wq_role_name() */
	SCR_L_ACTION,     /* rulings and the other events of the timeline */
	SCR_L_CLOCK,      /* the clocks of the loaded regime */
	SCR_L_ORDER,      /* the queue's sort orders */
	SCR_L_ARG,        /* a ruling's argument: REASON, AMOUNT, ... */
	SCR_L_COUNT_
};
const char *scr_label(enum scr_label_kind kind, const char *code);
/* The codes scr_label() knows of a kind, NULL-terminated. */
const char *const *scr_label_codes(enum scr_label_kind kind);
/* A party of a case of that type, named as every screen names it: a
 * consumer complaint's complainant is the consumer and its respondent the
 * merchant; other types' parties by their role. */
const char *scr_party_label(const char *case_type, const char *party);
/* scr_label(SCR_L_STATUS, status), substates included. */
const char *scr_status_label(const char *status);

/* What a key does on a screen. */
struct scr_binding {
	wint_t key;           /* a character or a KEY_ code */
	bool function_key;    /* key is a KEY_ code (get_wch said so) */
	enum scr_action act;
	const char *rule;     /* for SCR_ACT_RULE: the core action name */
};

/* Result flags of a screen's act hook. */
enum {
	SCR_HANDLED = 1,
	SCR_REDRAW = 2,
	SCR_RELOAD = 4,
	SCR_CLOSE = 8,
	SCR_QUIT = 16,
};

/* Colour (or monochrome) attributes, chosen once at start. */
enum scr_attr {
	SCR_A_NORMAL,
	SCR_A_TITLE,
	SCR_A_SELECTED,
	SCR_A_OVERDUE,
	SCR_A_DUE_SOON,
	SCR_A_PLACEHOLDER,
	SCR_A_KEYBAR,
	SCR_A_KEY,
	SCR_A_ERROR,
	SCR_A_DIM,
	SCR_A_MARK,
	SCR_A_COUNT_
};

struct scr_ui;
struct screen;

struct screen_ops {
	const char *name;              /* for bindings files: "queue" */
	size_t priv_size;
	enum scr_screen layout_id;
	int (*open)(struct screen *s, const void *arg);
	void (*draw)(struct screen *s);
	int (*act)(struct screen *s, enum scr_action act, const char *rule);
	void (*data_changed)(struct screen *s);
	/* Whether another session's changes concern what the screen shows
	 * (data_changed follows), asked only when the cases changed can be
	 * told; NULL: every commit concerns it. */
	bool (*concerns)(struct screen *s, const struct wq_changes *changes);
	void (*close)(struct screen *s);
	/* The terminal changed size (the top screen's only): load what the
	 * new size shows and was not loaded, since draw reads nothing; NULL:
	 * nothing to load. */
	void (*resized)(struct screen *s);
	/* The screen is on the terminal and no key is waiting (the top
	 * screen's only): read ahead what the next key will likely show, so
	 * that it draws without reading; NULL: nothing to read ahead. */
	void (*idle)(struct screen *s);
	/* The key bar: the actions worth showing now, most useful first. */
	int (*keybar)(struct screen *s, const char **items, int max);
	/* More for the help screen, after the keys (N_(), lines of at most
	 * 76 columns), or NULL. */
	const char *help;
	/* A printable character that no binding of the screen takes: true
	 * when the screen used it (a form types it into the field in focus),
	 * NULL or false: "key not bound here". */
	bool (*type)(struct screen *s, wchar_t ch);
};

struct screen {
	const struct screen_ops *ops;
	void *priv;
	struct scr_ui *ui;
	struct scr_layout lay;
};

struct scr_ui {
	struct wq_store *store;
	struct wq_user actor;
	struct screen *stack[8];
	int depth;
	attr_t attr[SCR_A_COUNT_];
	char status[1536]; /* a message and the core's detail (up to 1024
			     bytes) after it, wrapped on screen */
	bool status_error;
	bool media_loaded;  /* wq_media_preload() done, after the first frame */
	int64_t data_version;
	struct wq_changes changes; /* what other sessions changed since */
	bool quit;
	struct wq_document_dirs documents; /* the documents' templates */
};

/* True once SIGHUP or SIGTERM arrived: every key loop then winds up
 * (drafts are saved on the way out). */
bool scr_hungup(void);

/* Pushes a screen; returns false (status line says why) when it could
 * not open. */
bool scr_push(struct scr_ui *ui, const struct screen_ops *ops,
	      const void *arg);
void scr_pop(struct scr_ui *ui);

/* Paints the top screen now (not refreshed), e.g. before a prompt that
 * asks about what the screen has just started to show. */
void scr_redraw(struct scr_ui *ui);

/* "2026-09-24 10:05": a stored UTC timestamp in the user's local time
 * (TZ), as every screen shows times; the text itself if it is not one. */
void scr_local_time(const char *utc, char *out, size_t size);

/* The status line: a result or an error, kept until the next key. */
void scr_status(struct scr_ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The core's last error as a status line message. */
void scr_status_err(struct scr_ui *ui, enum wq_err err);

/* The key bound to an action on a screen, for the key bar and the help
 * ("j", "^L", "Enter"); "" when unbound. */
const char *scr_key_for(const struct screen_ops *ops, enum scr_action act,
			const char *rule);
/* What the key of binding b (on the screen ops) does on the other
 * screens that bind it otherwise, as "queue: filter-category, pager:
 * encoding", or "" when it means the same or nothing there.  Static
 * storage, until the next call. */
const char *scr_key_elsewhere(const struct screen_ops *ops,
			      const struct scr_binding *b);
/* The bindings of a screen (its own, then the generic ones). */
int scr_bindings(const struct screen_ops *ops,
		 const struct scr_binding **out, int max);

/* The binding of a key on a screen (its own, then generic), or NULL. */
const struct scr_binding *scr_binding_of(const struct screen_ops *ops,
					 wint_t key, bool fkey);
/* A binding's key as text: "j", "^L", "<Enter>". */
const char *scr_binding_key_text(const struct scr_binding *b);

/* Reads bindings files: the site's, then the user's. */
void scr_keys_load(struct scr_ui *ui);
/* Parses one bindings line ("case n rule:note", "generic ^D page-down")
 * or setting line ("ambiguous-width wide"); returns false with a reason. */
bool scr_keys_parse_line(const char *line, char *why, size_t size);
/* What the last "ambiguous-width" line said (unset: none). */
enum scr_ambiguous_width scr_keys_ambiguous_width(void);

/* Modal input, each running its own key loop (resize included).  They
 * return false when the user cancelled (Esc). */
bool scr_prompt_line(struct scr_ui *ui, const char *title,
		     const char *initial, char **out);
bool scr_prompt_pick(struct scr_ui *ui, const char *title,
		     const char *const *choices, const char *const *labels,
		     int *picked);
bool scr_prompt_confirm(struct scr_ui *ui, const char *question);
/* A multi-line editor; `draft_field` names the draft kept in the store as
 * the user types (NULL: none), on case `case_id`. */
bool scr_prompt_text(struct scr_ui *ui, const char *title, int64_t case_id,
		     const char *draft_field, char **out);

/* What the document pager shows: an issued document's text form. */
struct scr_document_view {
	const char *title;  /* "调解书 消协调〔2026〕12号" */
	const char *header; /* version, issuer, time, SHA-256 */
	const char *text;
};

struct wq_filter;

/* The cases behind a figure of the dashboard (scr_queue_ops' open
 * argument): the queue lists exactly the cases the figure counts.  Empty
 * strings and 0 filter nothing. */
struct scr_drill {
	char title[192];    /* what the figure is, for the queue's title */
	char status[24], category[24], region[128], type[16], assignee[64];
	char clock[16], flag[32];
	char due_from[11], due_to[11], received_from[11], received_to[11];
	char order[16];     /* the list's order; "" for the queue's default */
	int64_t merchant_id;
};
/* The wq_filter of a drill (its strings borrowed from d). */
void scr_drill_filter(const struct scr_drill *d, struct wq_filter *f);

/* The screens. */
extern const struct screen_ops scr_queue_ops;
extern const struct screen_ops scr_case_ops;
extern const struct screen_ops scr_pager_ops;
extern const struct screen_ops scr_document_pager_ops;
extern const struct screen_ops scr_help_ops;
extern const struct screen_ops scr_intake_ops;
extern const struct screen_ops scr_dashboard_ops;
extern const struct screen_ops scr_group_ops;
extern const struct screen_ops scr_inbox_ops;

struct wq_case_detail;
struct wq_action;

/* Asks the arguments of ruling a, one prompt each (a pick list where the
 * values are known), stopping at an empty optional one.  d is the case
 * ruled on (its open offers; TEXT kept as a draft on it), or NULL for a
 * whole group.  args[] (SCR_RULING_ARGS, NULL to start) receives malloc'd
 * values, the caller frees them, even after false (cancelled);
 * *drafted says a TEXT was typed with a draft to delete once ruled. */
#define SCR_RULING_ARGS 8
bool scr_ask_ruling_args(struct scr_ui *ui, const struct wq_action *a,
			 const struct wq_case_detail *d,
			 char *args[SCR_RULING_ARGS], int *argc,
			 bool *drafted);

/* For a case in no collective group: pick one of its merchant's groups to
 * join, or start a new one with it. */
void scr_group_offer(struct scr_ui *ui, const struct wq_case_detail *d);

/* Asks for a contact with a party of the case (weiquan/contact.h) and
 * logs it; the status line says how it went. */
void scr_contact_log(struct scr_ui *ui, const char *number, int64_t case_id,
		     const char *case_type);

#endif
