/* weiquan: the console's entry point, callable from the command line
 * without including <curses.h>. */
#ifndef WEIQUAN_SCREENS_CONSOLE_H
#define WEIQUAN_SCREENS_CONSOLE_H

#include <stdbool.h>

#include "weiquan/document.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

/* How the user's terminal draws East Asian ambiguous characters (①, “”,
 * ×, Greek, Cyrillic...): unset leaves it to the locale's wcwidth(). */
enum scr_ambiguous_width {
	SCR_AMBIGUOUS_UNSET,
	SCR_AMBIGUOUS_NARROW,
	SCR_AMBIGUOUS_WIDE,
};

/* "narrow" or "wide" into *out; false for anything else. */
bool scr_ambiguous_width_parse(const char *name, enum scr_ambiguous_width *out);

/* What the command line says about the console; all zero: nothing, and
 * the configuration files decide. */
struct scr_console_options {
	enum scr_ambiguous_width ambiguous_width;
	struct wq_document_dirs documents; /* the documents' templates */
};

/* Runs the full-screen console until the user quits; returns the exit
 * status for main(). */
int scr_console_run(struct wq_store *store, const struct wq_user *actor,
		    const struct scr_console_options *opts);

#endif
