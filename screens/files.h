/* weiquan: the console's ways of moving files across the SSH session:
 * ZMODEM (lrzsz) on the terminal, the upload folder (sftp), and printing
 * on the desk's printer through the terminal.  Shared by the case view
 * and the intake form. */
#ifndef WEIQUAN_SCREENS_FILES_H
#define WEIQUAN_SCREENS_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "screens/ui.h"
#include "weiquan/upload.h"
#include "weiquan/zmodem.h"

/* Hands the terminal over for fn(arg) (curses suspended) and takes it
 * back, redrawn. */
enum wq_err scr_on_terminal(enum wq_err (*fn)(void *), void *arg);

/* Receives files from the user's PC by rz; false (the status line says
 * why) when unavailable, cancelled or broken: then no file. */
bool scr_zmodem_receive(struct scr_ui *ui, struct wq_zmodem_file **files,
			size_t *count);

/* Lists the user's upload folder for one file to pick, and reads it;
 * false (the status line says why: no folder, empty, refused) when there
 * is none.  The caller removes it with wq_upload_remove() once attached
 * (committed), and frees it. */
bool scr_upload_pick(struct scr_ui *ui, struct wq_upload_file *file);

/* Prints text on the printer of the terminal's PC (pass-through
 * printing), in the terminal's charset; the status line says how it
 * went. */
void scr_print_text(struct scr_ui *ui, const char *what, const char *text);

#endif
