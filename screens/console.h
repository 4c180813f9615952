/* weiquan: the console's entry point, callable from the command line
 * without including <curses.h>. */
#ifndef WEIQUAN_SCREENS_CONSOLE_H
#define WEIQUAN_SCREENS_CONSOLE_H

#include "weiquan/store.h"
#include "weiquan/user.h"

/* Runs the full-screen console until the user quits; returns the exit
 * status for main(). */
int scr_console_run(struct wq_store *store, const struct wq_user *actor);

#endif
