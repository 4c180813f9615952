/* weiquan: which characters may reach a terminal as themselves; see
 * include/weiquan/clean.h. */
#include "config.h"

#include <langinfo.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "weiquan/clean.h"
#include "weiquan/encoding.h"
#include "util.h"

#ifndef __STDC_ISO_10646__
#error "wchar_t must hold Unicode code points"
#endif

enum wq_clean_class wq_clean_class(uint32_t c)
{
	if (c < 0x20 || c == 0x7F)
		return WQ_CLEAN_C0;
	if (c >= 0x80 && c <= 0x9F)
		return WQ_CLEAN_C1;
	if (c == 0x061C || c == 0x200E || c == 0x200F ||
	    (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
		return WQ_CLEAN_BIDI;
	if ((c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF ||
	    c == 0xFE0F)
		return WQ_CLEAN_INVISIBLE;
	return WQ_CLEAN_PLAIN;
}

uint32_t wq_clean_control_picture(uint32_t c)
{
	return c == 0x7F ? 0x2421 : 0x2400 + c;
}

static void add_utf8(struct wq_buf *b, uint32_t c)
{
	char s[4];
	size_t n;

	if (c < 0x80) {
		s[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		s[0] = (char)(0xC0 | c >> 6);
		s[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		s[0] = (char)(0xE0 | c >> 12);
		s[1] = (char)(0x80 | (c >> 6 & 0x3F));
		s[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | c >> 18);
		s[1] = (char)(0x80 | (c >> 12 & 0x3F));
		s[2] = (char)(0x80 | (c >> 6 & 0x3F));
		s[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	wq_buf_add(b, s, n);
}

char *wq_clean_text(const char *utf8, size_t len, int flags)
{
	const bool lines = flags & WQ_CLEAN_KEEP_LINES;
	struct wq_buf b = {0};
	size_t i = 0, n;
	uint32_t c;

	wq_buf_add(&b, "", 0);
	while (i < len) {
		n = wq_utf8_decode(utf8 + i, len - i, &c);
		if (n == 0) {
			add_utf8(&b, 0xFFFD);
			i++;
			continue;
		}
		if (lines &&
		    (c == '\n' || c == '\t' ||
		     (c == '\r' && i + 1 < len && utf8[i + 1] == '\n'))) {
			wq_buf_add(&b, utf8 + i, n);
			i += n;
			continue;
		}
		switch (wq_clean_class(c)) {
		case WQ_CLEAN_PLAIN:
			wq_buf_add(&b, utf8 + i, n);
			break;
		case WQ_CLEAN_C0:
			add_utf8(&b, wq_clean_control_picture(c));
			break;
		case WQ_CLEAN_C1:
			add_utf8(&b, wq_clean_control_picture(0x1B));
			add_utf8(&b, c - 0x40);
			break;
		case WQ_CLEAN_BIDI:
			add_utf8(&b, 0xFFFD);
			break;
		case WQ_CLEAN_INVISIBLE:
			break;
		}
		i += n;
	}
	return b.data;
}

char *wq_clean_mbs(const char *s)
{
	const char *cs = nl_langinfo(CODESET);
	size_t left = strlen(s), n;
	struct wq_buf b = {0};
	mbstate_t st;
	wchar_t wc;

	if (cs && strcmp(cs, "UTF-8") == 0)
		return wq_clean_text(s, left, 0);
	/* The console's placeholders outside UTF-8 (screens/text.c): the
	 * control pictures are missing (Big5) or four bytes long (GB18030,
	 * which luit garbles), so carets and "?". */
	wq_buf_add(&b, "", 0);
	memset(&st, 0, sizeof(st));
	while (left) {
		n = mbrtowc(&wc, s, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			wq_buf_add(&b, "?", 1);
			memset(&st, 0, sizeof(st));
			n = 1;
		} else {
			uint32_t c = (uint32_t)wc;
			char caret[4] = {'^', '[', '\0', '\0'};

			switch (wq_clean_class(c)) {
			case WQ_CLEAN_PLAIN:
				wq_buf_add(&b, s, n);
				break;
			case WQ_CLEAN_C0:
				caret[1] = c == 0x7F ? '?' : (char)(c + 0x40);
				wq_buf_puts(&b, caret);
				break;
			case WQ_CLEAN_C1:
				caret[2] = (char)(c - 0x40);
				wq_buf_puts(&b, caret);
				break;
			case WQ_CLEAN_BIDI:
				wq_buf_add(&b, "?", 1);
				break;
			case WQ_CLEAN_INVISIBLE:
				break;
			}
		}
		s += n;
		left -= n;
	}
	return b.data;
}

char *wq_clean_json(const char *json, size_t len)
{
	struct wq_buf b = {0};
	size_t i = 0, n;
	uint32_t c;

	wq_buf_add(&b, "", 0);
	while (i < len) {
		n = wq_utf8_decode(json + i, len - i, &c);
		if (n == 0) {
			wq_buf_puts(&b, "\\ufffd");
			i++;
			continue;
		}
		/* Every class but PLAIN is in the Basic Multilingual Plane:
		 * one \u escape each. */
		if (c == '\n' || c == '\t' ||
		    wq_clean_class(c) == WQ_CLEAN_PLAIN)
			wq_buf_add(&b, json + i, n);
		else
			wq_buf_printf(&b, "\\u%04x", (unsigned)c);
		i += n;
	}
	return b.data;
}
