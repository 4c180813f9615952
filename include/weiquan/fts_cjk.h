/* weiquan: full-text search over Chinese complaint text.
 *
 * FTS5's trigram tokenizer cannot find 1- or 2-character queries, and most
 * Chinese words are two characters, so statements are indexed with our own
 * tokenizer "wq_cjk":
 *
 *   - every Han character (also kana, hangul, bopomofo) is a token, and the
 *     bigram it starts with the next Han character is indexed at the same
 *     position, so a 1-character query looks up one unigram and a longer
 *     query becomes a phrase of bigrams that must be consecutive;
 *   - Traditional characters are folded to Simplified, one character at a
 *     time as OpenCC's t2s converts it alone (src/fts_fold.inc, made by
 *     `make fts-fold`), in documents and queries alike, so 退貨 and 退货
 *     find each other; offsets stay those of the text as written;
 *   - runs of other letters and digits are words, lowercased (ASCII,
 *     Latin-1, Latin Extended-A, Greek, Cyrillic), with full-width
 *     ＡＢＣ１２３ folded to abc123 first;
 *   - everything else (punctuation, spaces, emoji, invalid UTF-8) separates.
 *
 * Tables must use detail=full (the default): multi-character Chinese queries
 * are phrase queries.
 *
 *   CREATE VIRTUAL TABLE t USING fts5(body, tokenize='wq_cjk');
 *   SELECT rowid FROM t WHERE t MATCH ?1   -- ?1 from wq_fts_query() */
#ifndef WEIQUAN_FTS_CJK_H
#define WEIQUAN_FTS_CJK_H

#include <stdbool.h>

#include "weiquan/err.h"

/* The SQLite driver registers the tokenizer with FTS5 on every connection
 * it opens (wq_fts_cjk_register() in src/store_sqlite.h, the glue in
 * src/store_sqlite_fts5.c); PostgreSQL's driver stores the same tokens
 * (wq_fts_tsvector() below).  Neither database's types appear here. */

/* A token's flag: at the position of the token before it (a bigram beside
 * its first character).  FTS5's FTS5_TOKEN_COLOCATED has this value, so
 * FTS5's callback can be passed as it is. */
#define WQ_FTS_TOKEN_COLOCATED 0x0001

/* Called with each token: its text (folded, not NUL-terminated) and the
 * byte offsets [start, end) of the text it came from.  Nonzero stops the
 * tokenizing, which returns that value. */
typedef int (*wq_fts_token_fn)(void *ctx, int flags, const char *token, int len,
			       int start, int end);

/* Gives emit every token of text[0..len), in order; 0 when all were given.
 * A query (query true) gets each run of Han characters as its bigrams and
 * then its last character, none colocated, so that a phrase of them
 * matches a document's tokens (a document: each character and, colocated,
 * the bigram it starts). */
int wq_fts_tokenize(void *ctx, bool query, const char *text, int len,
		    wq_fts_token_fn emit);

/* Turns what a user typed into a safe FTS5 MATCH expression (malloc'd,
 * caller frees), or NULL when the text holds nothing searchable.  Every
 * whitespace-separated term becomes a double-quoted phrase (embedded "
 * doubled), terms joined by AND, so quotes, parentheses, NEAR, *, - or
 * column filters typed by a user can never cause an FTS5 syntax error or
 * change the query's meaning.  Terms with nothing searchable in them (only
 * punctuation, say) are dropped; invalid UTF-8 bytes become spaces.
 * Unicode spaces such as the ideographic space U+3000 separate terms too.
 * Also NULL when out of memory; errno is then ENOMEM. */
char *wq_fts_query(const char *user_text);

/* The same tokens for PostgreSQL (src/store_pg.c), as input text of its
 * types (malloc'd).  wq_fts_tsvector(): a document's tokens, each at its
 * position as the tokenizer gives it to FTS5 (a Han character and the
 * bigram it starts share one), positions past 16383 counting as 16383,
 * where a tsvector stops (and it keeps 256 positions of one token): a
 * phrase beyond those in a very long text can be missed there.
 * wq_fts_tsquery(): wq_fts_query()'s terms, each the phrase of its query
 * tokens (a <-> b), all required (&); NULL when nothing is searchable. */
char *wq_fts_tsvector(const char *text);
char *wq_fts_tsquery(const char *user_text);

#endif
