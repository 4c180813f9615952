#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_text.h"

static void put_string(struct wq_buf *b, const char *s, size_t n)
{
	static const char short_escape[32] = {
	    ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f',
	    ['\r'] = 'r'};
	size_t run = 0;

	wq_buf_puts(b, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		wq_buf_add(b, s + run, i - run);
		if (c == '"' || c == '\\')
			wq_buf_printf(b, "\\%c", c);
		else if (short_escape[c])
			wq_buf_printf(b, "\\%c", short_escape[c]);
		else
			wq_buf_printf(b, "\\u%04x", c);
		run = i + 1;
	}
	wq_buf_add(b, s + run, n - run);
	wq_buf_puts(b, "\"");
}

/* SQLite's "%!.15g": 15 significant digits, and always a decimal point
 * (1.0, 1.0e+20). */
static void put_real(struct wq_buf *b, double x)
{
	char text[40], *e;

	snprintf(text, sizeof(text), "%.15g", x);
	e = strpbrk(text, "eE");
	if (strchr(text, '.') || strpbrk(text, "ni")) {
		wq_buf_puts(b, text);
	} else if (e) {
		wq_buf_add(b, text, (size_t)(e - text));
		wq_buf_puts(b, ".0");
		wq_buf_puts(b, e);
	} else {
		wq_buf_puts(b, text);
		wq_buf_puts(b, ".0");
	}
}

/* A raw value is an object of this one member, a key no JSON the core
 * builds has. */
#define RAW_KEY "\001raw"

static const char *raw_text(const json_t *v)
{
	if (!json_is_object(v) || json_object_size(v) != 1)
		return NULL;
	return json_string_value(json_object_get(v, RAW_KEY));
}

void wq_buf_json(struct wq_buf *b, const json_t *v)
{
	const char *key;
	json_t *member;
	size_t i;

	if (raw_text(v)) {
		wq_buf_puts(b, raw_text(v));
		return;
	}
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT:
		wq_buf_puts(b, "{");
		i = 0;
		json_object_foreach((json_t *)v, key, member) {
			if (i++)
				wq_buf_puts(b, ",");
			put_string(b, key, strlen(key));
			wq_buf_puts(b, ":");
			wq_buf_json(b, member);
		}
		wq_buf_puts(b, "}");
		break;
	case JSON_ARRAY:
		wq_buf_puts(b, "[");
		json_array_foreach(v, i, member) {
			if (i)
				wq_buf_puts(b, ",");
			wq_buf_json(b, member);
		}
		wq_buf_puts(b, "]");
		break;
	case JSON_STRING:
		put_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		wq_buf_printf(b, "%" PRId64, (int64_t)json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(b, json_real_value(v));
		break;
	case JSON_TRUE:
		wq_buf_puts(b, "true");
		break;
	case JSON_FALSE:
		wq_buf_puts(b, "false");
		break;
	case JSON_NULL:
		wq_buf_puts(b, "null");
		break;
	}
}

char *wq_json_text(const json_t *v)
{
	struct wq_buf b = {0};

	wq_buf_json(&b, v);
	return b.data;
}

char *wq_json_quote(const char *s)
{
	struct wq_buf b = {0};

	if (s)
		put_string(&b, s, strlen(s));
	else
		wq_buf_puts(&b, "null");
	return b.data;
}

static json_t *checked(json_t *v)
{
	if (!v) {
		fputs("weiquan: out of memory\n", stderr);
		abort();
	}
	return v;
}

json_t *wq_json_str(const char *s)
{
	return checked(s ? json_stringn_nocheck(s, strlen(s)) : json_null());
}

json_t *wq_json_column(struct wq_stmt *st, int col)
{
	if (wq_column_is_null(st, col))
		return json_null();
	if (wq_column_is_integer(st, col))
		return checked(json_integer(wq_column_int64(st, col)));
	return checked(json_stringn_nocheck(wq_column_text(st, col),
					    (size_t)wq_column_bytes(st, col)));
}

void wq_json_put(json_t *obj, const char *key, json_t *v)
{
	json_object_set_new_nocheck(obj, key, v ? v : json_null());
}

json_t *wq_json_row(struct wq_stmt *st, int first, const char *const keys[])
{
	json_t *obj = checked(json_object());

	for (int i = 0; keys[i]; i++)
		wq_json_put(obj, keys[i], wq_json_column(st, first + i));
	return obj;
}

void wq_json_drop_nulls(json_t *obj)
{
	const char *key;
	json_t *member;
	void *tmp;

	if (!json_is_object(obj))
		return;
	json_object_foreach_safe(obj, tmp, key, member) {
		if (json_is_null(member))
			json_object_del(obj, key);
		else
			wq_json_drop_nulls(member);
	}
}

json_t *wq_json_merge_patch(json_t *target, const json_t *patch)
{
	const char *key;
	json_t *member;

	if (!json_is_object(patch)) {
		json_decref(target);
		return checked(json_deep_copy(patch));
	}
	if (!json_is_object(target)) {
		json_t *copy = checked(json_deep_copy(patch));

		json_decref(target);
		wq_json_drop_nulls(copy);
		return copy;
	}
	json_object_foreach((json_t *)patch, key, member) {
		json_t *old = json_object_get(target, key);

		if (json_is_null(member)) {
			json_object_del(target, key);
		} else if (json_is_object(member)) {
			json_incref(old);
			wq_json_put(target, key,
				    wq_json_merge_patch(old, member));
		} else {
			wq_json_put(target, key,
				    checked(json_deep_copy(member)));
		}
	}
	return target;
}

json_t *wq_json_parse(const char *text)
{
	return text ? json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL)
		    : NULL;
}

char *wq_json_scalar_text(const json_t *v)
{
	struct wq_buf b = {0};

	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return wq_strndup(json_string_value(v), json_string_length(v));
	if (json_is_true(v))
		return wq_strdup("true");
	if (json_is_false(v))
		return wq_strdup("false");
	wq_buf_json(&b, v);
	return b.data;
}

bool wq_json_equals_text(const json_t *v, const char *s)
{
	return json_is_string(v) && s &&
	       json_string_length(v) == strlen(s) &&
	       memcmp(json_string_value(v), s, strlen(s)) == 0;
}

char *wq_json_arg(const json_t *args, size_t i)
{
	char *text = wq_json_scalar_text(
		json_array_get(json_object_get(args, "argv"), i));

	return text ? text : wq_strdup("");
}

char **wq_json_items(const json_t *v, size_t *n)
{
	char **items = NULL;
	const json_t *item;
	const char *key;
	size_t i;

	*n = 0;
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_array(v)) {
		items = wq_xcalloc(json_array_size(v) + 1, sizeof(*items));
		json_array_foreach(v, i, item)
			items[(*n)++] = wq_json_scalar_text(item);
	} else if (json_is_object(v)) {
		items = wq_xcalloc(json_object_size(v) + 1, sizeof(*items));
		json_object_foreach((json_t *)v, key, item)
			items[(*n)++] = wq_json_scalar_text(item);
	} else {
		items = wq_xcalloc(1, sizeof(*items));
		items[(*n)++] = wq_json_scalar_text(v);
	}
	return items;
}

void wq_json_items_free(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

char *wq_json_join(const json_t *v, const char *sep)
{
	struct wq_buf b = {0};
	size_t n, joined = 0;
	char **items = wq_json_items(v, &n);

	wq_buf_puts(&b, "");
	for (size_t i = 0; i < n; i++)
		if (items[i])
			wq_buf_printf(&b, "%s%s", joined++ ? sep : "",
				      items[i]);
	wq_json_items_free(items, n);
	return b.data;
}

json_t *wq_json_raw(const char *text)
{
	struct wq_buf b = {0};
	bool in_string = false;
	json_t *obj;

	wq_buf_puts(&b, "");
	for (const char *p = text ? text : "null"; *p; p++) {
		if (in_string) {
			if (*p == '\\' && p[1]) {
				wq_buf_add(&b, p, 2);
				p++;
				continue;
			}
			in_string = *p != '"';
		} else if (*p == ' ' || *p == '\t' || *p == '\n' ||
			   *p == '\r') {
			continue;
		} else {
			in_string = *p == '"';
		}
		wq_buf_add(&b, p, 1);
	}
	obj = checked(json_object());
	json_object_set_new_nocheck(
		obj, RAW_KEY, checked(json_stringn_nocheck(b.data, b.len)));
	free(b.data);
	return obj;
}
