/* weiquan: which characters may reach a terminal as themselves.
 *
 * Statements, names, notes and file names are anyone's text, and a
 * terminal obeys what is in them: an escape sequence (ESC or a C1 control,
 * U+009B being a CSI and U+009D an OSC) changes the window title, writes
 * the clipboard, moves the cursor; a bidi control reorders the text around
 * it; a zero-width character hides itself.  wq_clean_class() is the one
 * place that sorts characters into these kinds: the console's sanitizer
 * (screens/text.c) draws by it, and the command line's text and JSON
 * output (and the receipt) write by it.
 *
 * Text is UTF-8; a byte that does not start a valid sequence is shown as
 * U+FFFD (it could be a C1 control to a terminal in an 8-bit mode). */
#ifndef WEIQUAN_CLEAN_H
#define WEIQUAN_CLEAN_H

#include <stddef.h>
#include <stdint.h>

enum wq_clean_class {
	WQ_CLEAN_PLAIN,	    /* shown as itself */
	WQ_CLEAN_C0,	    /* U+0000..U+001F and DEL: its control picture */
	WQ_CLEAN_C1,	    /* U+0080..U+009F: ESC's picture and c - 0x40 */
	WQ_CLEAN_BIDI,	    /* U+061C, U+200E, U+200F, U+202A..U+202E,
			       U+2066..U+2069: U+FFFD */
	WQ_CLEAN_INVISIBLE, /* U+200B..U+200D, U+2060, U+FEFF, U+FE0F:
			       dropped */
};

enum wq_clean_class wq_clean_class(uint32_t c);

/* The control picture of a WQ_CLEAN_C0 character: U+2400 + c ("␛" for
 * ESC), U+2421 for DEL. */
uint32_t wq_clean_control_picture(uint32_t c);

enum wq_clean_flag {
	/* LF, CR LF and TAB stay (an export's lines); a lone CR does not. */
	WQ_CLEAN_KEEP_LINES = 1 << 0,
};

/* len bytes of utf8 as the console shows them, as a new malloc'd UTF-8
 * string: a C0 control or DEL as its control picture, a C1 control as
 * "␛" and its 7-bit form ("␛[" for U+009B), so that an escape sequence's
 * own characters follow as harmless text; a bidi control and a bad byte
 * as U+FFFD; a zero-width character dropped.  flags: enum wq_clean_flag. */
char *wq_clean_text(const char *utf8, size_t len, int flags);

/* s, text in the current locale's charset (LC_CTYPE), as the console
 * shows it in that locale, as a new malloc'd string: in a UTF-8 locale
 * wq_clean_text(s, strlen(s), 0); in another (GB18030, Big5, C) a C0
 * control in caret form ("^[" for ESC), a C1 control as "^[" and its
 * 7-bit form, a bidi control and a byte the charset cannot decode as "?",
 * a zero-width character dropped. */
char *wq_clean_mbs(const char *s);

/* A JSON text with every character that is not WQ_CLEAN_PLAIN, except LF
 * and TAB (JSON's white space; inside a string they are escaped already),
 * written as a \u escape ("\u0085", "\u202e"), and a bad byte as "\ufffd":
 * the same JSON values, for valid JSON in, and nothing a terminal obeys.
 * A new malloc'd string. */
char *wq_clean_json(const char *json, size_t len);

#endif
