/* weiquan: Simplified and Traditional Chinese, converted for reading.
 *
 * A mediator on the mainland reads a Hong Kong or Taiwan party's statement
 * more easily in Simplified characters, and the other way round.  This is
 * only ever a view: converted text is shown, never stored over the
 * original, never saved as a draft, never exported.
 *
 * The conversion is Debian's OpenCC (libopencc, data in libopencc-data)
 * with its standard configurations s2t.json and t2s.json: character and
 * phrase conversion without swapping regional vocabulary (软件 stays 軟件,
 * not the Taiwanese 軟體), so the converted text says what the party
 * wrote.  A reader in Taiwan gets Taiwan's standard forms of the
 * characters (s2tw.json, tw2s.json: 这里 is 這裡 there, 這裏 elsewhere),
 * still without swapping vocabulary.  The configurations are opened on
 * first use and kept until wq_convert_close(), so nothing is loaded unless
 * someone converts. */
#ifndef WEIQUAN_CONVERT_H
#define WEIQUAN_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "weiquan/err.h"

enum wq_script {
	WQ_SCRIPT_UNKNOWN,	/* neither dominates (no Han, or as many of each) */
	WQ_SCRIPT_SIMPLIFIED,
	WQ_SCRIPT_TRADITIONAL,
};

/* "Simplified", "Traditional" or "unknown" (English; static storage). */
const char *wq_script_name(enum wq_script script);

/* Converts len bytes of UTF-8 text (stopping at a NUL byte) to the script
 * `to` into a new malloc'd NUL-terminated string in *out.  Everything but
 * Han characters (Latin, digits, emoji, punctuation, control characters)
 * comes out unchanged; bytes that are not valid UTF-8 are copied as they
 * are, for the draw layer to mark.  WQ_ERR_INVALID for WQ_SCRIPT_UNKNOWN;
 * WQ_ERR_NOT_FOUND when OpenCC or its data cannot be opened (the detail
 * names the configuration and OpenCC's reason); WQ_ERR_ENCODING if OpenCC
 * refuses the text.  *out is NULL after any failure. */
enum wq_err wq_convert(const char *utf8, size_t len, enum wq_script to,
		       char **out);

/* Which script the text is mostly written in: the one whose characters the
 * conversion to the other script changes more often.  Only the first
 * WQ_SCRIPT_GUESS_BYTES are looked at (cut at a character boundary), so
 * guessing a large file costs no more than a page.  Errors as wq_convert;
 * *script is WQ_SCRIPT_UNKNOWN after a failure. */
#define WQ_SCRIPT_GUESS_BYTES 65536
enum wq_err wq_script_guess(const char *utf8, size_t len,
			    enum wq_script *script);

/* The script a reader of this locale name ("zh_TW.UTF-8", from
 * setlocale(LC_MESSAGES, NULL)) reads: Traditional for Taiwan, Hong Kong
 * and Macau (zh_TW, zh_HK, zh_MO, or a "Hant" script modifier),
 * Simplified for any other Chinese locale, WQ_SCRIPT_UNKNOWN otherwise. */
enum wq_script wq_script_of_locale(const char *locale);

/* The script to show text in when the reader asks for the other one: the
 * opposite of the script it is mostly written in (wq_script_guess), or,
 * when neither dominates, `reader` (the reader's own script), or
 * Simplified when that is unknown too.  Errors as wq_script_guess. */
enum wq_err wq_script_target(const char *utf8, size_t len,
			     enum wq_script reader, enum wq_script *to);

/* Looks for the OpenCC configurations in dir instead of OpenCC's own data
 * directory (NULL: back to OpenCC's); closes what was open.  For tests and
 * for sites that ship their own data.  dir is copied. */
void wq_convert_set_datadir(const char *dir);

/* Taiwan's forms of the characters (on) or OpenCC's standard ones (off,
 * the default) for every later conversion, both ways; for the whole
 * process, as it has one reader.  Closes what was open when it changes. */
void wq_convert_set_taiwan(bool on);

/* Whether a reader of this locale name ("zh_TW.UTF-8", from
 * setlocale(LC_MESSAGES, NULL)) reads Taiwan's forms: zh_TW. */
bool wq_locale_is_taiwan(const char *locale);

/* Closes the configurations that were opened; the next conversion opens
 * them again. */
void wq_convert_close(void);

#endif
