/* Looking a case up by what a caller gives: index lookups, exact or by
 * prefix, each streamed in its index's order so that the first hits cost
 * the same at a million cases as at a hundred. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "weiquan/case.h"
#include "weiquan/encoding.h"
#include "weiquan/err.h"
#include "weiquan/store.h"

#define DEFAULT_FIND_LIMIT 20

static const char *const find_by_names[] = {
#define WQ_FIND_BY_NAME(id, name) name,
    WQ_FIND_BY_LIST(WQ_FIND_BY_NAME)
#undef WQ_FIND_BY_NAME
};

static const char *const find_by_labels[] = {
    [WQ_FIND_BY_NUMBER] = N_("case number"),
    [WQ_FIND_BY_PHONE] = N_("phone"),
    [WQ_FIND_BY_ID_NUMBER] = N_("ID number"),
    [WQ_FIND_BY_ORDER] = N_("order number"),
    [WQ_FIND_BY_SHOP] = N_("shop ID"),
    [WQ_FIND_BY_CONSUMER] = N_("consumer"),
};

const char *wq_find_by_name(enum wq_find_by by)
{
	return (unsigned)by < WQ_FIND_BY_COUNT_ ? find_by_names[by] : "?";
}

const char *wq_find_by_label(enum wq_find_by by)
{
	return (unsigned)by < WQ_FIND_BY_COUNT_ ? find_by_labels[by] : "?";
}

/* Each kind of lookup: ?1 the lowest key, ?2 the first key past the
 * prefix (or ?1 again for an exact one); the case id and what matched,
 * in the key's order and then the case's, which SQLite reads from the
 * index as it goes and PostgreSQL gives the same.  ?3 bounds a range by
 * the most rows run_lookup() can read of it: PostgreSQL sends a query's
 * whole result before the first row is read, every case of a common
 * prefix (a phone's first three digits: tens of thousands at a million
 * cases) for the twenty shown. */
static const char *const lookup_sql[] = {
    [WQ_FIND_BY_NUMBER] = "SELECT id, number FROM cases WHERE number = ?1",
    [WQ_FIND_BY_PHONE] = "SELECT c.id, p.phone FROM consumers p"
			 " JOIN cases c ON c.consumer_id = p.id"
			 " WHERE p.phone >= ?1 AND p.phone < ?2"
			 " ORDER BY p.phone, c.id LIMIT ?3",
    [WQ_FIND_BY_ID_NUMBER] = "SELECT c.id, p.id_number FROM consumers p"
			     " JOIN cases c ON c.consumer_id = p.id"
			     " WHERE p.id_number >= ?1 AND p.id_number < ?2"
			     " ORDER BY p.id_number, c.id LIMIT ?3",
    [WQ_FIND_BY_ORDER] = "SELECT id, order_no FROM cases"
			 " WHERE order_no >= ?1 AND order_no < ?2"
			 " ORDER BY order_no, id LIMIT ?3",
    [WQ_FIND_BY_SHOP] = "SELECT c.id, m.shop_id FROM merchants m"
			" JOIN cases c ON c.merchant_id = m.id"
			" WHERE m.shop_id >= ?1 AND m.shop_id < ?2"
			" ORDER BY m.shop_id, c.id LIMIT ?3",
    [WQ_FIND_BY_CONSUMER] = "SELECT c.id, p.name FROM consumers p"
			    " JOIN cases c ON c.consumer_id = p.id"
			    " WHERE p.name >= ?1 AND p.name < ?2"
			    " ORDER BY p.name, c.id LIMIT ?3",
};

/* A desk may read only its own cases: past this many candidates that it
 * may not read, a lookup says there may be more rather than scanning on. */
#define UNREADABLE_MAX 2000

struct finder {
	struct wq_store *store;
	struct wq_case_reader *reader;
	struct wq_find_result *result;
	size_t limit;
	int unreadable;
	bool full; /* limit reached, or the unreadable bound */
};

static bool already_found(const struct wq_find_result *r, int64_t id)
{
	for (size_t i = 0; i < r->count; i++)
		if (r->hits[i].row.id == id)
			return true;
	return false;
}

/* The least text above every text that starts with the UTF-8 prefix:
 * its last character made the next one (U+10FFFF dropped and the one
 * before it raised).  Bytewise order is code point order in UTF-8, so this
 * bounds an index range on SQLite's BINARY and PostgreSQL's "C" collation
 * alike, and it is valid UTF-8, which PostgreSQL requires of any text.
 * NULL when no text is above (the prefix is all U+10FFFF). */
static char *prefix_end(const char *prefix)
{
	char *end = wq_strdup(prefix);
	size_t n = strlen(end);

	while (n > 0) {
		size_t start = n - 1;
		uint32_t cp;
		unsigned char lead;

		while (start > 0 && ((unsigned char)end[start] & 0xC0) == 0x80)
			start--;
		lead = (unsigned char)end[start];
		cp = lead < 0x80   ? lead
		     : lead < 0xE0 ? lead & 0x1Fu
		     : lead < 0xF0 ? lead & 0x0Fu
				   : lead & 0x07u;
		for (size_t i = start + 1; i < n; i++)
			cp = (cp << 6) | ((unsigned char)end[i] & 0x3Fu);
		cp = cp == 0xD7FF ? 0xE000 : cp + 1;
		n = start;
		if (cp > 0x10FFFF)
			continue;
		if (cp < 0x80) {
			end[n++] = (char)cp;
		} else if (cp < 0x800) {
			end[n++] = (char)(0xC0 | (cp >> 6));
			end[n++] = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			end[n++] = (char)(0xE0 | (cp >> 12));
			end[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			end[n++] = (char)(0x80 | (cp & 0x3F));
		} else {
			end[n++] = (char)(0xF0 | (cp >> 18));
			end[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			end[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			end[n++] = (char)(0x80 | (cp & 0x3F));
		}
		end[n] = '\0';
		return end;
	}
	free(end);
	return NULL;
}

/* Adds the cases one lookup gives, from `key` (a prefix unless exact). */
static enum wq_err run_lookup(struct finder *fd, enum wq_find_by by,
			      const char *key, bool exact)
{
	struct wq_stmt *st;
	enum wq_err err;
	char *past = NULL;
	int rc;

	if (fd->full)
		return WQ_ERR_OK;
	err = wq_store_prepare(fd->store, lookup_sql[by], &st);
	if (err)
		return err;
	wq_bind_text(st, 1, key);
	if (!exact) {
		/* An index range, where LIKE would scan. */
		past = prefix_end(key);
		/* (no text above: the range is empty, a miss) */
		wq_bind_text(st, 2, past ? past : key);
		/* each row read is found already, unreadable, added, or the
		 * one past the limit */
		wq_bind_int64(st, 3,
			      (int64_t)(fd->result->count + fd->limit) + 1 +
				  UNREADABLE_MAX);
	}
	while ((rc = wq_step(st)) == WQ_ROW) {
		int64_t id = wq_column_int64(st, 0);
		struct wq_found *hit;

		if (already_found(fd->result, id))
			continue;
		if (fd->result->count == fd->limit) {
			/* is one more readable case there? */
			struct wq_case_row row;

			err = wq_case_reader_get(fd->reader, id, &row);
			if (err == WQ_ERR_NOT_FOUND) {
				err = WQ_ERR_OK;
				if (++fd->unreadable < UNREADABLE_MAX)
					continue;
			}
			fd->result->more = err == WQ_ERR_OK;
			fd->full = true;
			break;
		}
		hit = &fd->result->hits[fd->result->count];
		err = wq_case_reader_get(fd->reader, id, &hit->row);
		if (err == WQ_ERR_NOT_FOUND) {
			err = WQ_ERR_OK;
			if (++fd->unreadable < UNREADABLE_MAX)
				continue;
			fd->result->more = true;
			fd->full = true;
			break;
		}
		if (err)
			break;
		hit->by = by;
		snprintf(hit->value, sizeof(hit->value), "%s",
			 wq_column_text(st, 1));
		fd->result->count++;
	}
	if (rc != WQ_ROW && rc != WQ_DONE && !err)
		err = wq_store_error(fd->store, "lookup");
	wq_store_finalize(fd->store, st);
	free(past);
	return err;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* "WQ-2026-000123", "wq-2026-123", "2026-123": the whole number. */
static bool number_of(const char *text, char out[32])
{
	const char *year, *dash;
	char seq[16];

	year = strncasecmp(text, "WQ-", 3) == 0 ? text + 3 : text;
	dash = strchr(year, '-');
	if (!dash || dash - year != 4)
		return false;
	snprintf(seq, sizeof(seq), "%s", dash + 1);
	if (!all_digits(seq) || strlen(seq) > 6 || strlen(dash + 1) > 6)
		return false;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)year[i]))
			return false;
	snprintf(out, 32, "WQ-%.4s-%06ld", year, strtol(seq, NULL, 10));
	return true;
}

/* A sequence alone ("123", "000123") in each year that numbered cases,
 * the newest first. */
static enum wq_err find_sequence(struct finder *fd, const char *seq)
{
	struct wq_stmt *st;
	enum wq_err err;
	int rc;

	err = wq_store_prepare(fd->store,
			       "SELECT year FROM case_numbers"
			       " ORDER BY year DESC",
			       &st);
	if (err)
		return err;
	while (!err && (rc = wq_step(st)) == WQ_ROW) {
		char number[32];

		snprintf(number, sizeof(number), "WQ-%04d-%06ld",
			 wq_column_int(st, 0), strtol(seq, NULL, 10));
		err = run_lookup(fd, WQ_FIND_BY_NUMBER, number, true);
	}
	if (!err && rc != WQ_DONE && rc != WQ_ROW)
		err = wq_store_error(fd->store, "case numbers");
	wq_store_finalize(fd->store, st);
	return err;
}

/* A phone as stored: digits only, no country code. */
static bool phone_of(const char *text, char *out, size_t size)
{
	size_t n = 0;

	if (strncmp(text, "+86", 3) == 0)
		text += 3;
	else if (strncmp(text, "0086", 4) == 0)
		text += 4;
	for (; *text; text++) {
		if (*text == ' ' || *text == '-')
			continue;
		if (!isdigit((unsigned char)*text) || n + 1 >= size)
			return false;
		out[n++] = *text;
	}
	out[n] = '\0';
	return n >= 3;
}

/* An ID number: digits and a final check character X, in capitals. */
static bool id_number_of(const char *text, char *out, size_t size)
{
	size_t n = 0;

	for (; *text; text++) {
		char ch = *text;

		if (ch == 'x')
			ch = 'X';
		if (!(isdigit((unsigned char)ch) || (ch == 'X' && !text[1])) ||
		    n + 1 >= size)
			return false;
		out[n++] = ch;
	}
	out[n] = '\0';
	return n >= 3;
}

enum wq_err wq_case_find(struct wq_store *store, const struct wq_user *actor,
			 const char *text, int limit,
			 struct wq_find_result *result)
{
	struct finder fd = {.store = store, .result = result};
	char key[128], number[32];
	size_t len;
	enum wq_err err;

	memset(result, 0, sizeof(*result));
	if (limit > WQ_FIND_LIMIT_MAX || limit < 0)
		return wq_fail(WQ_ERR_INVALID,
			       N_("a lookup gives at most %d cases, not %d"),
			       WQ_FIND_LIMIT_MAX, limit);
	while (*text == ' ' || *text == '\t')
		text++;
	len = strlen(text);
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	if (len == 0)
		return wq_fail(WQ_ERR_INVALID, N_("nothing to look up"));
	if (len >= sizeof(key))
		return wq_fail(WQ_ERR_INVALID, N_("a lookup is at most %zu bytes"),
			       sizeof(key) - 1);
	memcpy(key, text, len);
	key[len] = '\0';
	fd.limit = limit ? (size_t)limit : DEFAULT_FIND_LIMIT;
	result->hits = wq_xcalloc(fd.limit, sizeof(*result->hits));
	/* All stored text is UTF-8: other bytes match nothing, and
	 * PostgreSQL would refuse them as a parameter. */
	if (!wq_utf8_valid(key, len))
		return WQ_ERR_OK;
	err = wq_case_reader_new(store, actor, &fd.reader);
	if (err)
		return err;

	if (number_of(key, number))
		err = run_lookup(&fd, WQ_FIND_BY_NUMBER, number, true);
	else if (all_digits(key) && len <= 6)
		err = find_sequence(&fd, key);
	if (!err && wq_role_sees_phone(actor->role)) {
		char phone[32];

		if (phone_of(key, phone, sizeof(phone)))
			err = run_lookup(&fd, WQ_FIND_BY_PHONE, phone, false);
	}
	if (!err && wq_role_sees_id_number(actor->role)) {
		char id_number[32];

		if (id_number_of(key, id_number, sizeof(id_number)))
			err = run_lookup(&fd, WQ_FIND_BY_ID_NUMBER, id_number,
					 false);
	}
	if (!err && len >= 2)
		err = run_lookup(&fd, WQ_FIND_BY_ORDER, key, false);
	if (!err && len >= 2)
		err = run_lookup(&fd, WQ_FIND_BY_SHOP, key, false);
	if (!err)
		err = run_lookup(&fd, WQ_FIND_BY_CONSUMER, key, false);
	wq_case_reader_free(&fd.reader);
	if (err)
		wq_find_result_free(result);
	return err;
}

void wq_find_result_free(struct wq_find_result *result)
{
	free(result->hits);
	memset(result, 0, sizeof(*result));
}
