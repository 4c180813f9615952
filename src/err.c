#include "config.h"

#include <ctype.h>
#include <libintl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <jansson.h>

#include "weiquan/err.h"

static const char *const messages[] = {
#define WQ_ERR_MSG(name, msg) [WQ_ERR_##name] = msg,
	WQ_ERR_LIST(WQ_ERR_MSG)
#undef WQ_ERR_MSG
};

static char detail[1024];

/* The last failure's msgid and arguments (wq_err_record()). */
#define RECORD_ARGS 16

static struct {
	bool kept;
	char msgid[512];
	int nargs;
	char args[RECORD_ARGS][256];
} last;

static void record(const char *fmt, va_list ap);

const char *wq_strerror(enum wq_err err)
{
	if ((unsigned)err >= WQ_ERR_COUNT_)
		return "unknown error";
	return messages[err];
}

const char *wq_err_detail(void)
{
	return detail;
}

void wq_err_clear(void)
{
	detail[0] = '\0';
	last.kept = false;
}

enum wq_err wq_fail(enum wq_err err, const char *fmt, ...)
{
	char text[sizeof(detail)];
	va_list ap;

	/* The detail is in the user's language, like the message it
	 * follows: the formats are marked N_() where they are written.
	 * An argument may be the current detail (a caller adding its
	 * context), so both the text and the record are made before the
	 * detail changes. */
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), dgettext(PACKAGE, fmt), ap);
	va_end(ap);
	va_start(ap, fmt);
	record(fmt, ap);
	va_end(ap);
	memcpy(detail, text, sizeof(detail));
	return err;
}


const char *wq_text(const char *msgid)
{
	/* gettext("") is the catalogue's header, not an empty text. */
	if (!msgid || !*msgid)
		return msgid;
	return dgettext(PACKAGE, msgid);
}

const char *wq_code_label(const char *context, const char *code)
{
	char key[96];
	const char *t;

	/* gettext's msgctxt: "context\004msgid". */
	if ((size_t)snprintf(key, sizeof(key), "%s\004%s", context, code) >=
	    sizeof(key))
		return code;
	t = dgettext(PACKAGE, key);
	return t == key ? code : t;
}

/* ---- details kept for a reader in another language ----
 *
 * A detail written to the database (a job's failure, read later in
 * whoever's language opens it) is kept as its msgid and its arguments,
 * each argument formatted by its own conversion as the message would
 * have it. */


static bool is_flag(char c)
{
	return c && strchr("-+ #0'", c);
}

/* Records fmt's arguments from ap; false at a conversion it does not
 * know (nothing of the record is used then). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static bool record_args(const char *fmt, va_list ap)
{
	const char *p = fmt;

	last.nargs = 0;
	while ((p = strchr(p, '%'))) {
		const char *start = p++;
		bool star_w = false, star_p = false;
		int w = 0, prec = 0, longs = 0;
		char spec[32], conv, *out;
		size_t n, size = sizeof(last.args[0]);
		bool size_t_ = false, max_t = false, diff_t = false;

		if (*p == '%') {
			p++;
			continue;
		}
		while (is_flag(*p))
			p++;
		if (*p == '*') {
			star_w = true;
			p++;
		}
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '$')
			return false;
		if (*p == '.') {
			p++;
			if (*p == '*') {
				star_p = true;
				p++;
			}
			while (isdigit((unsigned char)*p))
				p++;
		}
		for (;; p++) {
			if (*p == 'l')
				longs++;
			else if (*p == 'h')
				;
			else if (*p == 'z')
				size_t_ = true;
			else if (*p == 'j')
				max_t = true;
			else if (*p == 't')
				diff_t = true;
			else
				break;
		}
		conv = *p++;
		n = (size_t)(p - start);
		if (!conv || n >= sizeof(spec) || last.nargs == RECORD_ARGS)
			return false;
		memcpy(spec, start, n);
		spec[n] = '\0';
		if (star_w)
			w = va_arg(ap, int);
		if (star_p)
			prec = va_arg(ap, int);
		out = last.args[last.nargs++];
#define PUT(v)                                                                 \
	(star_w && star_p ? snprintf(out, size, spec, w, prec, v)              \
	 : star_w	  ? snprintf(out, size, spec, w, v)                    \
	 : star_p	  ? snprintf(out, size, spec, prec, v)                 \
			  : snprintf(out, size, spec, v))
		switch (conv) {
		case 'd':
		case 'i':
			if (size_t_)
				PUT(va_arg(ap, ssize_t));
			else if (max_t)
				PUT(va_arg(ap, intmax_t));
			else if (diff_t)
				PUT(va_arg(ap, ptrdiff_t));
			else if (longs >= 2)
				PUT(va_arg(ap, long long));
			else if (longs)
				PUT(va_arg(ap, long));
			else
				PUT(va_arg(ap, int));
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (size_t_)
				PUT(va_arg(ap, size_t));
			else if (max_t)
				PUT(va_arg(ap, uintmax_t));
			else if (diff_t)
				PUT(va_arg(ap, ptrdiff_t));
			else if (longs >= 2)
				PUT(va_arg(ap, unsigned long long));
			else if (longs)
				PUT(va_arg(ap, unsigned long));
			else
				PUT(va_arg(ap, unsigned));
			break;
		case 'c':
			if (longs)
				return false;
			PUT(va_arg(ap, int));
			break;
		case 's':
			if (longs)
				return false;
			PUT(va_arg(ap, const char *));
			break;
		case 'f':
		case 'g':
		case 'e':
		case 'F':
		case 'G':
		case 'E':
			PUT(va_arg(ap, double));
			break;
		default:
			return false;
		}
#undef PUT
	}
	return true;
}
#pragma GCC diagnostic pop

static void record(const char *fmt, va_list ap)
{
	last.kept = strlen(fmt) < sizeof(last.msgid);
	if (last.kept) {
		memcpy(last.msgid, fmt, strlen(fmt) + 1);
		last.kept = record_args(fmt, ap);
	}
}

char *wq_err_record(void)
{
	json_t *o, *args;
	char *text;

	if (!last.kept)
		return NULL;
	args = json_array();
	for (int i = 0; i < last.nargs; i++) {
		json_t *arg = json_string(last.args[i]);

		/* An argument that is not UTF-8 (a file's name) cannot be
		 * kept in JSON: then the detail's text is kept instead. */
		if (!arg) {
			json_decref(args);
			return NULL;
		}
		json_array_append_new(args, arg);
	}
	o = json_pack("{s:s, s:o}", "msgid", last.msgid, "args", args);
	text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return text;
}

char *wq_err_record_text(const char *stored)
{
	json_t *o = stored && *stored == '{'
			    ? json_loads(stored, JSON_REJECT_DUPLICATES, NULL)
			    : NULL;
	const char *msgid = json_string_value(json_object_get(o, "msgid"));
	json_t *args = json_object_get(o, "args");
	struct {
		char *data;
		size_t len, size;
	} b = {0};
	FILE *out;
	const char *p;
	size_t next = 0;

	if (!msgid || !json_is_array(args)) {
		json_decref(o);
		return strdup(stored ? stored : "");
	}
	out = open_memstream(&b.data, &b.size);
	if (!out) {
		json_decref(o);
		return NULL;
	}
	/* The translation's conversions, in its order (or by the "%N$"
	 * they name), each replaced by the argument as it was formatted. */
	for (p = wq_text(msgid); *p;) {
		size_t index;
		const char *arg;

		if (*p != '%') {
			fputc(*p++, out);
			continue;
		}
		p++;
		if (*p == '%') {
			fputc(*p++, out);
			continue;
		}
		index = next++;
		if (isdigit((unsigned char)*p)) {
			const char *q = p;
			size_t pos = 0;

			while (isdigit((unsigned char)*q))
				pos = pos * 10 + (size_t)(*q++ - '0');
			if (*q == '$' && pos > 0) {
				index = pos - 1;
				p = q + 1;
			}
		}
		while (*p && !isalpha((unsigned char)*p))
			p++;
		while (*p && strchr("hlLqjzt", *p))
			p++;
		if (*p)
			p++;
		arg = json_string_value(json_array_get(args, index));
		fputs(arg ? arg : "?", out);
	}
	fclose(out);
	json_decref(o);
	return b.data;
}

enum wq_err wq_fail_msgid(enum wq_err err, const char *msgid)
{
	snprintf(detail, sizeof(detail), "%s", wq_text(msgid));
	last.kept = strlen(msgid) < sizeof(last.msgid);
	if (last.kept)
		memcpy(last.msgid, msgid, strlen(msgid) + 1);
	last.nargs = 0;
	return err;
}
