/* weiquan: printing on the printer of the user's own PC, through the
 * terminal.
 *
 * The desk's terminal (PuTTY, SecureCRT, Xshell) sends what comes between
 * the media-copy controls ESC [ 5 i and ESC [ 4 i to the PC's printer
 * instead of the screen ("pass-through" or "transparent" printing).  What
 * goes between them is text in the terminal's charset, as everything
 * else the console writes, and carries no control character of the stored
 * text: an ESC in a name could end the print early and send the rest of
 * the text to the screen as commands. */
#ifndef WEIQUAN_TERMPRINT_H
#define WEIQUAN_TERMPRINT_H

#include <stddef.h>

#include "weiquan/err.h"

#define WQ_TERMPRINT_ON "\033[5i"
#define WQ_TERMPRINT_OFF "\033[4i"

/* len bytes of UTF-8 text as one print job for the terminal, a new
 * malloc'd buffer: WQ_TERMPRINT_ON, the text, a form feed (the page comes
 * out), WQ_TERMPRINT_OFF.  The text is cleaned as the command line shows
 * it (weiquan/clean.h: a control character as its picture, a bidi control
 * or a bad byte as U+FFFD, zero-width characters dropped), lines end in
 * CR LF, a tab is a space, and it is encoded in codeset (nl_langinfo's
 * name; UTF-8 when weiquan does not know it); a character codeset cannot
 * hold (a Simplified one in Big5) is printed as '?' and counted in
 * *replaced. */
enum wq_err wq_termprint_job(const char *utf8, size_t len, const char *codeset,
			     char **out, size_t *outlen, size_t *replaced);

#endif
