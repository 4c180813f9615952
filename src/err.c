#include "config.h"

#include <libintl.h>
#include <stdio.h>

#include "weiquan/err.h"

static const char *const messages[] = {
#define WQ_ERR_MSG(name, msg) [WQ_ERR_##name] = msg,
	WQ_ERR_LIST(WQ_ERR_MSG)
#undef WQ_ERR_MSG
};

static char detail[1024];

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
}

enum wq_err wq_fail(enum wq_err err, const char *fmt, ...)
{
	va_list ap;

	/* The detail is in the user's language, like the message it
	 * follows: the formats are marked N_() where they are written. */
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), dgettext(PACKAGE, fmt), ap);
	va_end(ap);
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
