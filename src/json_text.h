/* weiquan: JSON text as SQLite's JSON functions wrote it (not public API).
 *
 * The core builds and parses JSON in C with Jansson, not with a database's
 * JSON functions, so that its SQL runs on SQLite and PostgreSQL alike.  But
 * an event's details are hashed into the audit chain, and details and
 * documents written before were SQLite's bytes: wq_json_text() writes a
 * Jansson value exactly as SQLite's json_object() and json_quote() did
 * (compact; strings with \b \t \n \f \r, \" and \\ escaped, other control
 * characters as \u00xx in lowercase hex, everything else, invalid UTF-8
 * included, as it is).  Jansson's own json_dumps() differs (\u001B, and it
 * refuses invalid UTF-8). */
#ifndef WEIQUAN_JSON_TEXT_H
#define WEIQUAN_JSON_TEXT_H

#include <stdbool.h>

#include <jansson.h>

#include "util.h"
#include "weiquan/store.h"

/* Appends v (NULL writes null). */
void wq_buf_json(struct wq_buf *b, const json_t *v);
/* v as malloc'd text. */
char *wq_json_text(const json_t *v);
/* s as a JSON string literal (NULL: null), malloc'd: json_quote(s). */
char *wq_json_quote(const char *s);

/* New references, never NULL: a string whatever its bytes (NULL gives
 * null); column col of st's row as json_object() took it (NULL, integer or
 * text). */
json_t *wq_json_str(const char *s);
json_t *wq_json_column(struct wq_stmt *st, int col);
/* The row's columns as an object, keys[i] naming column first + i (keys
 * ends with NULL). */
json_t *wq_json_row(struct wq_stmt *st, int first, const char *const keys[]);
/* RFC 7396 merge patch, as SQLite's json_patch(): patch's members replace
 * target's in place, new ones are appended, a null removes one, objects
 * merge member by member, and a new object member keeps none of its own
 * nulls.  Returns the result (target, or a new value when patch is not an
 * object or target is not); takes target's reference, borrows patch. */
json_t *wq_json_merge_patch(json_t *target, const json_t *patch);
/* Removes the null members of obj and of the objects inside it. */
void wq_json_drop_nulls(json_t *obj);
/* Parses text as JSON (NUL escapes allowed); NULL if it is not. */
json_t *wq_json_parse(const char *text);
/* A value as json_extract() reads it as text: a string's own text, a
 * number's digits, an object or array as JSON; NULL for null or NULL.
 * malloc'd. */
char *wq_json_scalar_text(const json_t *v);
/* Argument i of an event's args ({"argv": [...]}) as text, "" when it
 * has none: malloc'd. */
char *wq_json_arg(const json_t *args, size_t i);
/* The items json_each() reads of v: an array's elements, an object's
 * members, or v itself; none for NULL or null.  Each as
 * wq_json_scalar_text() gives it (NULL for null); *n of them. */
char **wq_json_items(const json_t *v, size_t *n);
void wq_json_items_free(char **items, size_t n);
/* The items joined by sep, null ones left out, as group_concat() joined
 * them; "" when there are none.  malloc'd. */
char *wq_json_join(const json_t *v, const char *sep);
/* Whether v is a string equal to s (as json_extract(...) = ?N with a
 * text parameter compares). */
bool wq_json_equals_text(const json_t *v, const char *s);
/* Stored JSON text kept as it is written, insignificant white space
 * removed (what SQLite's json() gave of it): strings keep their escapes,
 * numbers their digits.  wq_buf_json() writes it verbatim. */
json_t *wq_json_raw(const char *text);
/* Sets obj[key] to v, taking the reference (v NULL sets null). */
void wq_json_put(json_t *obj, const char *key, json_t *v);

#endif
