#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/err.h"
#include "weiquan/encoding.h"
#include "weiquan/fts_cjk.h"
#include "util.h"

/*
 * Character classes.  Only what matters for splitting Chinese complaint
 * text is exact: ASCII, Latin-1, general and CJK punctuation, full-width
 * forms, emoji and the Han blocks.  Other scripts are classified block by
 * block, so the odd punctuation mark of, say, Tibetan counts as a letter;
 * that costs nothing but a slightly odd word, and saves a Unicode database.
 */
enum cjk_class {
	CC_END,	   /* no more input */
	CC_SEP,	   /* separates tokens; also every invalid byte */
	CC_HAN,	   /* one token per character, plus bigrams */
	CC_WORD,   /* runs of these form one token */
	CC_IGNORE, /* joiners and variation selectors: invisible, so
		    * they neither split a word nor end a Han run */
};

struct cjk_range {
	uint32_t lo, hi;
	unsigned char cls;
};

/* Sorted, non-overlapping; code points not listed (and above U+007F)
 * are separators. */
static const struct cjk_range cjk_ranges[] = {
    {0x00AA, 0x00AA, CC_WORD},
    {0x00AD, 0x00AD, CC_IGNORE}, /* soft hyphen */
    {0x00B5, 0x00B5, CC_WORD},
    {0x00BA, 0x00BA, CC_WORD},
    {0x00C0, 0x00D6, CC_WORD}, /* not U+00D7 multiplication sign */
    {0x00D8, 0x00F6, CC_WORD}, /* not U+00F7 division sign */
    {0x00F8, 0x02C1, CC_WORD}, /* Latin Extended, IPA, modifiers */
    {0x0300, 0x036F, CC_WORD}, /* combining diacritics */
    {0x0370, 0x037D, CC_WORD}, /* Greek, not U+037E question mark */
    {0x037F, 0x0386, CC_WORD}, /* not U+0387 ano teleia */
    {0x0388, 0x0481, CC_WORD}, /* Greek, Cyrillic */
    {0x0483, 0x0559, CC_WORD}, /* Cyrillic, Armenian */
    {0x0560, 0x0588, CC_WORD},
    {0x0591, 0x05F2, CC_WORD}, /* Hebrew */
    {0x0610, 0x061A, CC_WORD}, /* Arabic, not its comma and ? */
    {0x0620, 0x0669, CC_WORD},
    {0x066E, 0x06D3, CC_WORD},
    {0x06D5, 0x06FF, CC_WORD},
    {0x0700, 0x0963, CC_WORD}, /* Syriac .. Devanagari, not danda */
    {0x0966, 0x0E4E, CC_WORD}, /* .. Thai */
    {0x0E50, 0x0E59, CC_WORD},
    {0x0E81, 0x1049, CC_WORD}, /* Lao, Tibetan, Myanmar */
    {0x1050, 0x10FA, CC_WORD}, /* .. Georgian */
    {0x10FC, 0x10FF, CC_WORD},
    {0x1100, 0x11FF, CC_HAN},  /* Hangul Jamo */
    {0x1200, 0x135F, CC_WORD}, /* Ethiopic */
    {0x1369, 0x167F, CC_WORD}, /* .. Canadian syllabics */
    {0x1681, 0x169A, CC_WORD}, /* Ogham, after its space mark */
    {0x16A0, 0x17D3, CC_WORD}, /* Runic .. Khmer */
    {0x17D7, 0x17D7, CC_WORD},
    {0x17DC, 0x17FF, CC_WORD},
    {0x180B, 0x180F, CC_IGNORE}, /* Mongolian variation selectors */
    {0x1810, 0x1FFC, CC_WORD},	 /* Mongolian .. Greek Extended */
    {0x200C, 0x200D, CC_IGNORE}, /* ZWNJ, ZWJ */
    {0x2060, 0x2060, CC_IGNORE}, /* word joiner */
    {0x2160, 0x2188, CC_WORD},	 /* Roman numerals */
    {0x2C00, 0x2DFF, CC_WORD},	 /* Glagolitic .. Cyrillic Ext-A */
    {0x2E80, 0x2FDF, CC_HAN},	 /* CJK and Kangxi radicals */
    {0x3005, 0x3007, CC_HAN},	 /* 々 〆 〇 */
    {0x3021, 0x3029, CC_HAN},	 /* Hangzhou numerals */
    {0x3031, 0x3035, CC_HAN},	 /* kana repeat marks */
    {0x3038, 0x303C, CC_HAN},
    {0x3041, 0x309F, CC_HAN}, /* hiragana */
    {0x30A1, 0x30FA, CC_HAN}, /* katakana, not the middle dot ・ */
    {0x30FC, 0x30FF, CC_HAN},
    {0x3105, 0x318F, CC_HAN},  /* bopomofo, hangul compat. jamo */
    {0x31A0, 0x31BF, CC_HAN},  /* bopomofo extended */
    {0x31F0, 0x31FF, CC_HAN},  /* katakana phonetic extensions */
    {0x3400, 0x4DBF, CC_HAN},  /* Extension A */
    {0x4E00, 0x9FFF, CC_HAN},  /* URO */
    {0xA000, 0xABFF, CC_WORD}, /* Yi .. Meetei Mayek */
    {0xAC00, 0xD7FF, CC_HAN},  /* hangul syllables, jamo ext-B */
    {0xF900, 0xFAFF, CC_HAN},  /* compatibility ideographs */
    {0xFB00, 0xFD3D, CC_WORD}, /* presentation forms */
    {0xFD40, 0xFDFB, CC_WORD},
    {0xFE00, 0xFE0F, CC_IGNORE}, /* variation selectors */
    {0xFE20, 0xFE2F, CC_WORD},	 /* combining half marks */
    {0xFE70, 0xFEFC, CC_WORD},
    {0xFEFF, 0xFEFF, CC_IGNORE}, /* BOM */
    {0xFF10, 0xFF19, CC_WORD},	 /* full-width digits .. */
    {0xFF21, 0xFF3A, CC_WORD},	 /* .. and letters, folded below */
    {0xFF41, 0xFF5A, CC_WORD},
    {0xFF66, 0xFFDC, CC_HAN},	   /* half-width katakana, hangul */
    {0x10000, 0x16FFF, CC_WORD},   /* historic scripts */
    {0x17000, 0x18CFF, CC_HAN},	   /* Tangut, Khitan */
    {0x1AFF0, 0x1B2FF, CC_HAN},	   /* kana supplements, Nüshu */
    {0x1D400, 0x1D7FF, CC_WORD},   /* mathematical letters */
    {0x1E000, 0x1EFFF, CC_WORD},   /* Adlam, Mende Kikakui, ... */
    {0x20000, 0x3FFFF, CC_HAN},	   /* Extensions B-H, compat. suppl. */
    {0xE0100, 0xE01EF, CC_IGNORE}, /* variation selectors suppl. */
};

static enum cjk_class cjk_classify(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(cjk_ranges) / sizeof(cjk_ranges[0]);

	if (cp < 0x80) {
		if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		    (cp >= 'A' && cp <= 'Z'))
			return CC_WORD;
		return CC_SEP;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < cjk_ranges[mid].lo)
			hi = mid;
		else if (cp > cjk_ranges[mid].hi)
			lo = mid + 1;
		else
			return (enum cjk_class)cjk_ranges[mid].cls;
	}
	return CC_SEP;
}

/* Decodes the sequence at s[i], i < n (0: not well-formed; the caller
 * skips that one byte).  Rejecting overlong forms and surrogates keeps two
 * spellings of one character from becoming two tokens. */
static size_t utf8_decode(const unsigned char *s, size_t n, size_t i,
			  uint32_t *cp)
{
	return wq_utf8_decode(s + i, n - i, cp);
}

struct cjk_char {
	size_t start, end; /* byte offsets in the text */
	uint32_t cp;
	enum cjk_class cls;
};

/* Reads the next character that is not CC_IGNORE. */
static void cjk_next(const unsigned char *s, size_t n, size_t *pos,
		     struct cjk_char *ch)
{
	for (;;) {
		size_t len;

		ch->start = *pos;
		if (*pos >= n) {
			ch->end = n;
			ch->cls = CC_END;
			return;
		}
		len = utf8_decode(s, n, *pos, &ch->cp);
		if (len == 0) {
			*pos += 1;
			ch->cp = 0xFFFD;
			ch->cls = CC_SEP;
		} else {
			*pos += len;
			ch->cls = cjk_classify(ch->cp);
		}
		ch->end = *pos;
		if (ch->cls != CC_IGNORE)
			return;
	}
}

/* ---------------------------------------------------------------------- */
/* The tokenizer (FTS5's glue is the SQLite driver's: store_sqlite_fts5.c) */

/* Longer words are indexed by their first CJK_WORD_MAX bytes; the same cut
 * applies to queries, so they still match, and a pasted base64 blob cannot
 * bloat the index. */
#define CJK_WORD_MAX 128

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The lowercase of the capital letters of Latin-1, Latin Extended-A,
 * Greek and Cyrillic (brand and place names in complaints); other
 * characters as they are. */
static uint32_t latin_lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	if (c < 0xC0)
		return c;
	if (c <= 0xDE)
		return c == 0xD7 ? c : c + 0x20;
	if (c == 0x130)
		return 'i';
	if (c == 0x178)
		return 0xFF;
	if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
	    (c >= 0x14A && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return c + (c & 1);
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 0x25;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 0x3F;
	if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c >= 0x410 && c <= 0x42F)
		return c + 0x20;
	return c;
}

/* Appends ch, lowercased, to a word; returns the new length.  Full-width
 * ＡＢ１２ fold to ab12 because Chinese input methods produce both forms
 * for the same order number. */
static size_t cjk_fold(const struct cjk_char *ch, char *buf, size_t len)
{
	uint32_t c = ch->cp;
	char folded[4];
	size_t need;

	if (c >= 0xFF10 && c <= 0xFF19)
		c = '0' + (c - 0xFF10);
	else if (c >= 0xFF21 && c <= 0xFF3A)
		c = 'a' + (c - 0xFF21);
	else if (c >= 0xFF41 && c <= 0xFF5A)
		c = 'a' + (c - 0xFF41);
	else
		c = latin_lower(c);
	need = utf8_encode(c, folded);
	if (len + need <= CJK_WORD_MAX) {
		memcpy(buf + len, folded, need);
		len += need;
	}
	return len;
}

/* Traditional characters fold to Simplified (退貨 and 退货 are one token),
 * one character at a time as OpenCC's t2s converts a lone character: a
 * phrase-aware conversion would fold 乾 in 乾隆 but not alone, and then a
 * query could miss the text it came from. */
static const struct {
	uint32_t from, to;
} han_folds[] = {
#include "fts_fold.inc"
};

static uint32_t han_fold(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(han_folds) / sizeof(han_folds[0]);

	if (cp < han_folds[0].from)
		return cp;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < han_folds[mid].from)
			hi = mid;
		else if (cp > han_folds[mid].from)
			lo = mid + 1;
		else
			return han_folds[mid].to;
	}
	return cp;
}

int wq_fts_tokenize(void *ctx, bool query, const char *text, int ntext,
		    wq_fts_token_fn emit)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = ntext > 0 && text ? (size_t)ntext : 0;
	size_t pos = 0;
	struct cjk_char cur, nx;
	char buf[CJK_WORD_MAX];
	int rc = 0;

	cjk_next(s, n, &pos, &cur);
	while (rc == 0 && cur.cls != CC_END) {
		if (cur.cls == CC_WORD) {
			size_t start = cur.start, end, len = 0;
			int full = 0;

			do {
				/* once a character did not fit, later
				 * (shorter) ones must not either */
				if (!full) {
					size_t l = cjk_fold(&cur, buf, len);

					full = l == len;
					len = l;
				}
				end = cur.end;
				cjk_next(s, n, &pos, &cur);
			} while (cur.cls == CC_WORD);
			rc = emit(ctx, 0, buf, (int)len, (int)start, (int)end);
		} else if (cur.cls == CC_HAN) {
			char bi[8];
			int n0 = (int)utf8_encode(han_fold(cur.cp), bi);

			do {
				cjk_next(s, n, &pos, &nx);
				/*
				 * Documents get, at each position, the
				 * unigram and (colocated) the bigram it
				 * starts.  A query run becomes its bigrams
				 * and then its last character as a unigram.
				 * That unigram always follows its bigram in
				 * a document, so it narrows nothing, but it
				 * makes a run of n characters take n
				 * positions, as in the index.  Without it a
				 * word after the run would be looked for a
				 * position too early ("单号TB2026" would
				 * never match), and highlight(), which takes
				 * one document unigram's offsets per query
				 * position, would mark "[退]款".
				 */
				if (!query || nx.cls != CC_HAN)
					rc = emit(ctx, 0, bi, n0,
						  (int)cur.start, (int)cur.end);
				if (rc == 0 && nx.cls == CC_HAN) {
					int n1 = (int)utf8_encode(
					    han_fold(nx.cp), bi + n0);

					rc = emit(
					    ctx,
					    query ? 0 : WQ_FTS_TOKEN_COLOCATED,
					    bi, n0 + n1, (int)cur.start,
					    (int)nx.end);
					/* the next unigram is the bigram's
					 * second half */
					memmove(bi, bi + n0, (size_t)n1);
					n0 = n1;
				}
				cur = nx;
			} while (rc == 0 && cur.cls == CC_HAN);
		} else {
			cjk_next(s, n, &pos, &cur);
		}
	}
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Query building */

/* Unicode White_Space, so a term typed after an ideographic space (what
 * a Chinese input method types) is still a term of its own. */
static int cjk_is_space(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 ||
	       c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
	       c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Writes s[a..b) as an FTS5 string into out (when not NULL); returns its
 * length.  Invalid bytes become spaces: the tokenizer splits at both
 * alike, and the expression stays valid UTF-8 for whoever logs it. */
static size_t cjk_quote(const unsigned char *s, size_t a, size_t b, char *out)
{
	size_t len = 0;

	if (out)
		out[len] = '"';
	len++;
	while (a < b) {
		uint32_t c;
		size_t l = utf8_decode(s, b, a, &c);

		if (l == 0) {
			if (out)
				out[len] = ' ';
			len++;
			a++;
			continue;
		}
		if (out)
			memcpy(out + len, s + a, l);
		len += l;
		if (c == '"') {
			if (out)
				out[len] = '"';
			len++;
		}
		a += l;
	}
	if (out)
		out[len] = '"';
	return len + 1;
}

/* Two passes over the same code, one measuring and one writing, so the
 * size computed can never disagree with what is written. */
static size_t cjk_build(const unsigned char *s, size_t n, char *out)
{
	static const char and_op[] = " AND ";
	size_t i = 0, len = 0;
	int nterm = 0;

	while (i < n) {
		size_t start, l;
		uint32_t c;
		int searchable = 0;

		l = utf8_decode(s, n, i, &c);
		if (l > 0 && cjk_is_space(c)) {
			i += l;
			continue;
		}
		start = i;
		while (i < n) {
			l = utf8_decode(s, n, i, &c);
			if (l == 0) {
				i++;
				continue;
			}
			if (cjk_is_space(c))
				break;
			if (cjk_classify(c) == CC_HAN ||
			    cjk_classify(c) == CC_WORD)
				searchable = 1;
			i += l;
		}
		/* A phrase of no tokens would match nothing, and ANDed
		 * with the rest would empty the whole result. */
		if (!searchable)
			continue;
		if (nterm++ > 0) {
			if (out)
				memcpy(out + len, and_op, sizeof(and_op) - 1);
			len += sizeof(and_op) - 1;
		}
		len += cjk_quote(s, start, i, out ? out + len : NULL);
	}
	return len;
}

char *wq_fts_query(const char *user_text)
{
	const unsigned char *s = (const unsigned char *)user_text;
	size_t n, len;
	char *out;

	if (!user_text)
		return NULL;
	n = strlen(user_text);
	/* each byte becomes at most two, each term adds at most seven */
	if (n > (SIZE_MAX - 1) / 9) {
		wq_fail(WQ_ERR_NOMEM, N_("search text too long"));
		errno = ENOMEM;
		return NULL;
	}
	len = cjk_build(s, n, NULL);
	if (len == 0)
		return NULL;
	out = malloc(len + 1);
	if (!out) {
		wq_fail(WQ_ERR_NOMEM, N_("building a search expression"));
		errno = ENOMEM;
		return NULL;
	}
	cjk_build(s, n, out);
	out[len] = '\0';
	return out;
}

/* ---------------------------------------------------------------------- */
/* The same tokens for PostgreSQL: a tsvector and a tsquery, as text */

/* Highest position a tsvector keeps (PostgreSQL's MAXENTRYPOS - 1): a
 * later one counts as this one there. */
#define TS_POS_MAX 16383

struct ts_collect {
	struct wq_buf *out;
	int pos; /* of the last token, from 1 */
	int ntokens;
	bool phrase; /* a query term: tokens joined by <-> */
};

/* A lexeme quoted for tsvector and tsquery input: ' and \ doubled. */
static void ts_quote(struct wq_buf *b, const char *tok, int n)
{
	wq_buf_puts(b, "'");
	for (int i = 0; i < n; i++) {
		if (tok[i] == '\'' || tok[i] == '\\')
			wq_buf_add(b, &tok[i], 1);
		wq_buf_add(b, &tok[i], 1);
	}
	wq_buf_puts(b, "'");
}

static int ts_emit(void *ctx, int tflags, const char *tok, int ntok,
		   int start, int end)
{
	struct ts_collect *c = ctx;

	(void)start;
	(void)end;
	if (!(tflags & WQ_FTS_TOKEN_COLOCATED))
		c->pos++;
	if (c->ntokens++ > 0)
		wq_buf_puts(c->out, c->phrase ? " <-> " : " ");
	ts_quote(c->out, tok, ntok);
	if (!c->phrase)
		wq_buf_printf(c->out, ":%d",
			      c->pos < TS_POS_MAX ? c->pos : TS_POS_MAX);
	return 0;
}

char *wq_fts_tsvector(const char *text)
{
	struct wq_buf b = {0};
	struct ts_collect c = {.out = &b};

	wq_buf_puts(&b, "");
	wq_fts_tokenize(&c, false, text, text ? (int)strlen(text) : 0,
			ts_emit);
	return b.data;
}

char *wq_fts_tsquery(const char *user_text)
{
	const unsigned char *s = (const unsigned char *)user_text;
	struct wq_buf b = {0};
	size_t n, i = 0;
	int nterm = 0;

	if (!user_text)
		return NULL;
	n = strlen(user_text);
	/* The terms of wq_fts_query(), each a phrase of its query tokens,
	 * all of them required. */
	while (i < n) {
		size_t start, l;
		uint32_t ch;
		struct wq_buf term = {0};
		struct ts_collect c = {.out = &term, .phrase = true};

		l = utf8_decode(s, n, i, &ch);
		if (l > 0 && cjk_is_space(ch)) {
			i += l;
			continue;
		}
		start = i;
		while (i < n) {
			l = utf8_decode(s, n, i, &ch);
			if (l == 0) {
				i++;
				continue;
			}
			if (cjk_is_space(ch))
				break;
			i += l;
		}
		wq_fts_tokenize(&c, true, user_text + start, (int)(i - start),
				ts_emit);
		if (c.ntokens > 0) {
			if (nterm++ > 0)
				wq_buf_puts(&b, " & ");
			wq_buf_printf(&b, "(%s)", term.data);
		}
		wq_buf_free(&term);
	}
	return b.data;
}
