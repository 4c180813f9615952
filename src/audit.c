#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "weiquan/audit.h"
#include "weiquan/wqtime.h"
#include "util.h"

#define GENESIS_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"

/* Each field is length-prefixed so no choice of text can make two
 * different events hash the same input. */
static void event_hash(int64_t id, const char *at, const char *actor,
		       int64_t case_id, const char *action,
		       const char *details, const char *prev, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	struct wq_buf b = {0};
	const char *fields[] = {at, actor, action, details, prev};

	wq_buf_printf(&b, "%" PRId64 ";%" PRId64 ";", id, case_id);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		wq_buf_printf(&b, "%zu:%s;", strlen(fields[i]), fields[i]);
	EVP_Digest(b.data, b.len, md, &mdlen, EVP_sha256(), NULL);
	wq_buf_free(&b);
	for (unsigned int i = 0; i < mdlen && i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

enum wq_err wq_audit_append(struct wq_store *store, const char *actor,
			    int64_t case_id, const char *action,
			    const char *details, int64_t *event_id)
{
	sqlite3_stmt *st;
	enum wq_err err;
	char prev[65] = GENESIS_HASH, hash[65], at[21];
	int64_t id = 1;

	err = wq_store_prepare(store,
			       "SELECT id, hash FROM events ORDER BY id DESC"
			       " LIMIT 1",
			       &st);
	if (err)
		return err;
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", col_text(st, 1));
	}
	wq_store_finalize(store, st);

	wq_time_format(wq_now(), at);
	event_hash(id, at, actor, case_id, action, details, prev, hash);
	err = wq_store_prepare(store,
			       "INSERT INTO events(id, at, actor, case_id, action,"
			       " details, prev_hash, hash)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			       &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
	if (case_id)
		sqlite3_bind_int64(st, 4, case_id);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_text(st, 5, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, details, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		err = wq_store_error(store, "audit event");
	wq_store_finalize(store, st);
	if (!err && event_id)
		*event_id = id;
	return err;
}

enum wq_err wq_audit_verify(struct wq_store *store,
			    struct wq_audit_report *report)
{
	sqlite3_stmt *st;
	enum wq_err err;
	char prev[65] = GENESIS_HASH, hash[65];
	int64_t expect_id = 1;
	int rc;

	memset(report, 0, sizeof(*report));
	err = wq_store_prepare(store,
			       "SELECT id, at, actor, coalesce(case_id, 0),"
			       " action, details, prev_hash, hash"
			       " FROM events ORDER BY id",
			       &st);
	if (err)
		return err;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		if (id != expect_id) {
			report->first_bad = id;
			snprintf(report->why, sizeof(report->why),
				 "event %" PRId64 " is missing", expect_id);
			break;
		}
		if (strcmp(col_text(st, 6), prev) != 0) {
			report->first_bad = id;
			snprintf(report->why, sizeof(report->why),
				 "does not link to the previous event");
			break;
		}
		event_hash(id, col_text(st, 1), col_text(st, 2),
			   sqlite3_column_int64(st, 3), col_text(st, 4),
			   col_text(st, 5), prev, hash);
		if (strcmp(hash, col_text(st, 7)) != 0) {
			report->first_bad = id;
			snprintf(report->why, sizeof(report->why),
				 "its content does not match its hash");
			break;
		}
		memcpy(prev, hash, sizeof(prev));
		report->checked++;
		expect_id++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = wq_store_error(store, "audit verify");
	wq_store_finalize(store, st);
	if (!err && report->first_bad)
		err = wq_fail(WQ_ERR_AUDIT, "event %" PRId64 ": %s",
			      report->first_bad, report->why);
	return err;
}
