/* The SQLite driver's half of full-text search: the tokenizer of
 * weiquan/fts_cjk.h registered with FTS5 as "wq_cjk". */
#include "config.h"

#include <stddef.h>

#include <sqlite3.h>

#include "store_sqlite.h"
#include "weiquan/err.h"
#include "weiquan/fts_cjk.h"

_Static_assert(WQ_FTS_TOKEN_COLOCATED == FTS5_TOKEN_COLOCATED,
	       "FTS5's callback is given the tokenizer's flags as they are");

/* FTS5 only ever sees this through pointers; the tokenizer keeps no state,
 * so one static object serves every table on every connection. */
struct Fts5Tokenizer {
	char unused;
};

static struct Fts5Tokenizer cjk_instance;

static int cjk_create(void *ctx, const char **argv, int argc,
		      Fts5Tokenizer **out)
{
	(void)ctx;
	(void)argv;
	*out = NULL;
	/* An option we would silently ignore today could change the index
	 * format once we honour it, so refuse them all. */
	if (argc > 0)
		return SQLITE_ERROR;
	*out = &cjk_instance;
	return SQLITE_OK;
}

static void cjk_delete(Fts5Tokenizer *tok)
{
	(void)tok;
}

static int cjk_tokenize(Fts5Tokenizer *tok, void *ctx, int flags,
			const char *text, int ntext,
			int (*token)(void *ctx, int tflags, const char *tok,
				     int ntok, int start, int end))
{
	int rc;

	(void)tok;
	/* AUX (highlight, snippet) must see the same positions as the
	 * index, so only a query is tokenized differently. */
	rc = wq_fts_tokenize(ctx, (flags & FTS5_TOKENIZE_QUERY) != 0, text,
			     ntext, token);
	/* SQLITE_DONE is how a callback asks to stop early, not an error. */
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static fts5_tokenizer cjk_tokenizer = {
    .xCreate = cjk_create,
    .xDelete = cjk_delete,
    .xTokenize = cjk_tokenize,
};

enum wq_err wq_fts_cjk_register(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	fts5_api *api = NULL;
	int rc;

	if (!db)
		return wq_fail(WQ_ERR_INVALID, N_("no database connection"));
	rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return wq_fail(WQ_ERR_DB, N_("this SQLite has no FTS5: %s"),
			       sqlite3_errmsg(db));
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW || !api)
		return wq_fail(WQ_ERR_DB, N_("cannot get the FTS5 API: %s"),
			       sqlite3_errmsg(db));
	if (api->iVersion < 2)
		return wq_fail(WQ_ERR_DB, N_("FTS5 API version %d is too old"),
			       api->iVersion);
	rc = api->xCreateTokenizer(api, "wq_cjk", NULL, &cjk_tokenizer, NULL);
	if (rc != SQLITE_OK)
		return wq_fail(WQ_ERR_DB,
			       N_("cannot register tokenizer wq_cjk: %s"),
			       sqlite3_errstr(rc));
	return WQ_ERR_OK;
}
