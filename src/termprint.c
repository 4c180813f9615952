#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/clean.h"
#include "weiquan/encoding.h"
#include "weiquan/termprint.h"
#include "util.h"

/* Which charset the terminal speaks; UTF-8 for one weiquan does not
 * convert to (the C locale's ASCII included, as the receipt file). */
static enum wq_encoding terminal_encoding(const char *codeset)
{
	enum wq_encoding enc;

	if (!codeset || !*codeset || wq_enc_parse(codeset, &enc) != WQ_ERR_OK ||
	    enc == WQ_ENC_UTF8_BOM || enc == WQ_ENC_UNKNOWN ||
	    enc == WQ_ENC_BINARY || enc == WQ_ENC_UTF16LE ||
	    enc == WQ_ENC_UTF16BE) {
		wq_err_clear();
		return WQ_ENC_UTF8;
	}
	return enc;
}

/* Appends one line (no LF in it) in enc, character by character where the
 * whole line does not fit, each character enc lacks as '?'. */
static void add_line(struct wq_buf *b, const char *line, size_t len,
		     enum wq_encoding enc, size_t *replaced)
{
	char *conv;
	size_t n;

	if (enc == WQ_ENC_UTF8) {
		wq_buf_add(b, line, len);
		return;
	}
	if (wq_enc_from_utf8(line, len, enc, &conv, &n) == WQ_ERR_OK) {
		wq_buf_add(b, conv, n);
		free(conv);
		return;
	}
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t step = wq_utf8_decode(line + i, len - i, &cp);

		if (step == 0)
			step = 1;
		if (wq_enc_from_utf8(line + i, step, enc, &conv, &n) ==
		    WQ_ERR_OK) {
			wq_buf_add(b, conv, n);
			free(conv);
		} else {
			wq_buf_add(b, "?", 1);
			(*replaced)++;
		}
		i += step;
	}
	wq_err_clear();
}

enum wq_err wq_termprint_job(const char *utf8, size_t len, const char *codeset,
			     char **out, size_t *outlen, size_t *replaced)
{
	enum wq_encoding enc = terminal_encoding(codeset);
	char *clean = wq_clean_text(utf8, len, WQ_CLEAN_KEEP_LINES);
	struct wq_buf b = {0};
	const char *p = clean;

	*replaced = 0;
	for (char *t = clean; *t; t++)
		if (*t == '\t')
			*t = ' ';
	wq_buf_puts(&b, WQ_TERMPRINT_ON);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t keep = n;

		/* CR LF kept by the cleaner: one CR LF on paper. */
		if (keep && p[keep - 1] == '\r')
			keep--;
		add_line(&b, p, keep, enc, replaced);
		if (nl)
			wq_buf_add(&b, "\r\n", 2);
		p += n + (nl ? 1 : 0);
	}
	wq_buf_puts(&b, "\f" WQ_TERMPRINT_OFF);
	free(clean);
	*out = b.data;
	*outlen = b.len;
	return WQ_ERR_OK;
}
