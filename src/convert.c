/* Simplified <-> Traditional through OpenCC's C API; see convert.h. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <opencc.h>

#include "util.h"
#include "weiquan/convert.h"
#include "weiquan/encoding.h"

#define OPENCC_FAILED ((opencc_t)-1)

/* Indexed by the forms (standard, Taiwan), then the target script. */
static const char *const config_of[2][3] = {
	{
		[WQ_SCRIPT_SIMPLIFIED] = "t2s.json",
		[WQ_SCRIPT_TRADITIONAL] = "s2t.json",
	},
	{
		[WQ_SCRIPT_SIMPLIFIED] = "tw2s.json",
		[WQ_SCRIPT_TRADITIONAL] = "s2tw.json",
	},
};

/* Indexed by the target script; NULL until first used.  They are of the
 * forms `taiwan` says. */
static opencc_t converter[3];
static char *datadir;
static bool taiwan;

const char *wq_script_name(enum wq_script script)
{
	switch (script) {
	case WQ_SCRIPT_SIMPLIFIED: return "Simplified";
	case WQ_SCRIPT_TRADITIONAL: return "Traditional";
	default: return "unknown";
	}
}

void wq_convert_close(void)
{
	for (size_t i = 0; i < sizeof(converter) / sizeof(converter[0]); i++) {
		if (converter[i])
			opencc_close(converter[i]);
		converter[i] = NULL;
	}
}

void wq_convert_set_datadir(const char *dir)
{
	wq_convert_close();
	free(datadir);
	datadir = dir ? wq_strdup(dir) : NULL;
}

void wq_convert_set_taiwan(bool on)
{
	if (on != taiwan)
		wq_convert_close();
	taiwan = on;
}

bool wq_locale_is_taiwan(const char *locale)
{
	return locale && strncmp(locale, "zh_TW", 5) == 0 &&
	       (!locale[5] || strchr(".@", locale[5]));
}

static enum wq_err open_converter(enum wq_script to, opencc_t *out)
{
	char *path;
	opencc_t cc;

	if (converter[to]) {
		*out = converter[to];
		return WQ_ERR_OK;
	}
	path = datadir ? wq_asprintf("%s/%s", datadir, config_of[taiwan][to])
		       : wq_strdup(config_of[taiwan][to]);
	cc = opencc_open(path);
	if (cc == OPENCC_FAILED) {
		/* Not cached: installing the data fixes it without a
		 * restart. */
		enum wq_err err = wq_fail(
			WQ_ERR_NOT_FOUND,
			N_("OpenCC configuration %s (Debian: libopencc-data): %s"),
			path, opencc_error());

		free(path);
		return err;
	}
	free(path);
	converter[to] = cc;
	*out = cc;
	return WQ_ERR_OK;
}

/* Length of the run of valid UTF-8 at s (n bytes), and of the invalid
 * bytes that follow it in *bad. */
static size_t valid_run(const char *s, size_t n, size_t *bad)
{
	size_t at = 0;
	uint32_t cp;

	while (at < n) {
		size_t k = wq_utf8_decode(s + at, n - at, &cp);

		if (!k)
			break;
		at += k;
	}
	*bad = 0;
	while (at + *bad < n &&
	       !wq_utf8_decode(s + at + *bad, n - at - *bad, &cp))
		(*bad)++;
	return at;
}

enum wq_err wq_convert(const char *utf8, size_t len, enum wq_script to,
		       char **out)
{
	struct wq_buf buf = {0};
	opencc_t cc = NULL;
	enum wq_err err;
	const char *nul = len ? memchr(utf8, '\0', len) : NULL;

	*out = NULL;
	if (to != WQ_SCRIPT_SIMPLIFIED && to != WQ_SCRIPT_TRADITIONAL)
		return wq_fail(WQ_ERR_INVALID, N_("no script to convert to"));
	err = open_converter(to, &cc);
	if (err)
		return err;
	if (nul)
		len = (size_t)(nul - utf8);
	/* OpenCC throws on invalid UTF-8: convert the valid runs only and
	 * keep the rest for the draw layer's placeholders. */
	while (len) {
		size_t bad, good = valid_run(utf8, len, &bad);

		if (good) {
			char *converted = opencc_convert_utf8(cc, utf8, good);

			if (!converted) {
				wq_buf_free(&buf);
				return wq_fail(WQ_ERR_ENCODING, N_("OpenCC: %s"),
					       opencc_error());
			}
			wq_buf_puts(&buf, converted);
			opencc_convert_utf8_free(converted);
		}
		wq_buf_add(&buf, utf8 + good, bad);
		utf8 += good + bad;
		len -= good + bad;
	}
	*out = buf.data ? buf.data : wq_strdup("");
	return WQ_ERR_OK;
}

/* Code points of the n bytes at a that differ from the text b at the same
 * place (the rest of the longer one counts as different). */
static size_t count_changed(const char *a, size_t na, const char *b)
{
	size_t nb = strlen(b), changed = 0;
	const char *nul = na ? memchr(a, '\0', na) : NULL;

	if (nul)
		na = (size_t)(nul - a);
	while (na || nb) {
		uint32_t ca = 0, cb = 0;
		size_t ka = na ? wq_utf8_decode(a, na, &ca) : 0;
		size_t kb = nb ? wq_utf8_decode(b, nb, &cb) : 0;

		changed += !ka || !kb || ca != cb;
		/* An invalid byte is one step, as the conversion kept it. */
		ka = na && !ka ? 1 : ka;
		kb = nb && !kb ? 1 : kb;
		a += ka;
		na -= ka;
		b += kb;
		nb -= kb;
	}
	return changed;
}

enum wq_err wq_script_guess(const char *utf8, size_t len,
			    enum wq_script *script)
{
	char *to_trad = NULL, *to_simp = NULL;
	size_t simplified, traditional;
	enum wq_err err;

	*script = WQ_SCRIPT_UNKNOWN;
	if (len > WQ_SCRIPT_GUESS_BYTES) {
		len = WQ_SCRIPT_GUESS_BYTES;
		/* Back up to the start of a character. */
		while (len && ((unsigned char)utf8[len] & 0xC0) == 0x80)
			len--;
	}
	err = wq_convert(utf8, len, WQ_SCRIPT_TRADITIONAL, &to_trad);
	if (!err)
		err = wq_convert(utf8, len, WQ_SCRIPT_SIMPLIFIED, &to_simp);
	if (err) {
		free(to_trad);
		return err;
	}
	/* Simplified characters are what the conversion to Traditional
	 * changes, and the other way round; characters both scripts share
	 * (退款) count for neither. */
	simplified = count_changed(utf8, len, to_trad);
	traditional = count_changed(utf8, len, to_simp);
	free(to_trad);
	free(to_simp);
	if (simplified > traditional)
		*script = WQ_SCRIPT_SIMPLIFIED;
	else if (traditional > simplified)
		*script = WQ_SCRIPT_TRADITIONAL;
	return WQ_ERR_OK;
}

enum wq_script wq_script_of_locale(const char *locale)
{
	if (!locale || strncmp(locale, "zh", 2) != 0 ||
	    (locale[2] && locale[2] != '_' && locale[2] != '.' &&
	     locale[2] != '@'))
		return WQ_SCRIPT_UNKNOWN;
	if (strstr(locale, "Hant") || strncmp(locale, "zh_TW", 5) == 0 ||
	    strncmp(locale, "zh_HK", 5) == 0 ||
	    strncmp(locale, "zh_MO", 5) == 0)
		return WQ_SCRIPT_TRADITIONAL;
	return WQ_SCRIPT_SIMPLIFIED;
}

enum wq_err wq_script_target(const char *utf8, size_t len,
			     enum wq_script reader, enum wq_script *to)
{
	enum wq_script written;
	enum wq_err err = wq_script_guess(utf8, len, &written);

	*to = WQ_SCRIPT_UNKNOWN;
	if (err)
		return err;
	if (written == WQ_SCRIPT_SIMPLIFIED)
		*to = WQ_SCRIPT_TRADITIONAL;
	else if (written == WQ_SCRIPT_TRADITIONAL)
		*to = WQ_SCRIPT_SIMPLIFIED;
	else
		*to = reader != WQ_SCRIPT_UNKNOWN ? reader
						  : WQ_SCRIPT_SIMPLIFIED;
	return WQ_ERR_OK;
}
