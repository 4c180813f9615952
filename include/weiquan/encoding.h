/* weiquan: character encodings of the files that desks hand in.
 *
 * Inside weiquan all text is UTF-8.  Files arrive from the desks as UTF-8
 * (with or without a BOM), UTF-16 with a BOM (Windows "Unicode"), GB18030
 * and its subsets GBK/GB2312 (mainland PCs), or Big5 (Taiwan and Hong Kong
 * PCs), usually without any label, so the encoding is guessed from the
 * bytes and the user can override the guess.  Conversion is glibc iconv;
 * Big5 is decoded as BIG5-HKSCS, glibc's superset of Big5, and CP950
 * (Windows' Big5) as glibc's CP950: the two differ on a dozen symbols
 * (CP950's ～ ⊙ ￥ are HKSCS's ∼ ☉ ¥) and CP950 has a few that HKSCS
 * lacks (￣ A1C3, € A3E1).
 *
 * Offsets in error details are byte offsets into the caller's buffer,
 * counting from 0 and including any BOM. */
#ifndef WEIQUAN_ENCODING_H
#define WEIQUAN_ENCODING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/err.h"

enum wq_encoding {
	WQ_ENC_UNKNOWN,		/* text, but none of the encodings below */
	WQ_ENC_UTF8,		/* no BOM; pure ASCII is UTF-8 too */
	WQ_ENC_UTF8_BOM,	/* starts EF BB BF */
	WQ_ENC_UTF16LE,		/* starts FF FE */
	WQ_ENC_UTF16BE,		/* starts FE FF */
	WQ_ENC_GB18030,		/* also GBK and GB2312, its subsets */
	WQ_ENC_BIG5,		/* Big5, including HKSCS */
	WQ_ENC_BINARY,		/* not text at all (images, PDF, archives) */
	WQ_ENC_CP950,		/* Windows' Big5 (code page 950) */
};

/* Canonical lower-case name: "unknown", "utf-8", "utf-8-bom", "utf-16le",
 * "utf-16be", "gb18030", "big5", "binary", "cp950"; "unknown" for an
 * out-of-range value.  Static storage. */
const char *wq_enc_name(enum wq_encoding enc);

/* Encoding named by name, case-insensitively and ignoring '-' and '_':
 * every canonical name above (so stored names read back), and the aliases
 * utf8, utf8bom, utf-8-sig, utf16le, utf16be, gbk, gb2312, cp936,
 * euc-cn, windows-936, big5-hkscs, ms950, windows-950 (the last two are
 * cp950).  "auto" is refused
 * like any other unknown name: choosing to detect is the caller's business.
 * WQ_ERR_INVALID (with the name in the detail) and *out untouched if
 * unknown. */
enum wq_err wq_enc_parse(const char *name, enum wq_encoding *out);

/* Guess the encoding of a whole file's bytes (a prefix cut in the middle
 * of a character may be judged invalid).  A BOM decides.  Then NUL bytes,
 * many control bytes or a known binary file signature mean WQ_ENC_BINARY;
 * strictly valid UTF-8 means WQ_ENC_UTF8 (also when empty); otherwise
 * GB18030 or Big5, whichever decodes without error and, when both do,
 * whose decoding contains more common Chinese characters, with a tie going
 * to GB18030 (most desks are on the mainland).  Big5 is WQ_ENC_CP950 when
 * only CP950 decodes it or the two Big5 decodings differ (a Windows PC
 * wrote it), else WQ_ENC_BIG5.  WQ_ENC_UNKNOWN if none decodes, or if only
 * GB18030 does and reads worse (fewer common, more rare characters) than
 * the bytes do as CP950 with what it cannot decode skipped: a Big5 file
 * with a character no table has must not become GB18030 mojibake. */
enum wq_encoding wq_enc_detect(const void *buf, size_t len);

/* Decode len bytes of buf from enc into a new malloc'd UTF-8 string in
 * *out (NUL-terminated; *outlen, which may be NULL, excludes the NUL; NUL
 * characters of the input are kept).  A leading BOM, or U+FEFF, is
 * dropped.  For UTF-8 the input is checked with wq_utf8_valid's rules.
 * WQ_ERR_ENCODING if the input is not valid enc, with a detail naming the
 * encoding and the offset of the first bad sequence (or of a sequence cut
 * short by the end of the input); WQ_ERR_INVALID for WQ_ENC_UNKNOWN and
 * WQ_ENC_BINARY; WQ_ERR_NOMEM.  *out is NULL after any failure. */
enum wq_err wq_enc_to_utf8(const void *buf, size_t len, enum wq_encoding enc,
			   char **out, size_t *outlen);

/* The offset of the first sequence of buf that is not valid enc (or is
 * cut short by the end), the one wq_enc_to_utf8() would report; len when
 * there is none (also for WQ_ENC_UNKNOWN and WQ_ENC_BINARY). */
size_t wq_enc_first_invalid(const void *buf, size_t len,
			    enum wq_encoding enc);

/* Encode len bytes of UTF-8 text as enc, for exports, into a new malloc'd
 * buffer in *out followed by two NUL bytes that *outlen (may be NULL) does
 * not count.  UTF-8-BOM and UTF-16 output begin with exactly one BOM; a
 * U+FEFF at the start of utf8 is a stray BOM and is dropped, whatever enc.
 * WQ_ERR_ENCODING if utf8 is not valid UTF-8 (detail: offset), or holds a
 * character that enc cannot represent, e.g. an emoji in Big5 (detail:
 * offset, code point and the character); WQ_ERR_INVALID for
 * WQ_ENC_UNKNOWN and WQ_ENC_BINARY; WQ_ERR_NOMEM.  *out is NULL after any
 * failure. */
enum wq_err wq_enc_from_utf8(const char *utf8, size_t len,
			     enum wq_encoding enc, char **out, size_t *outlen);

/* Is buf strictly valid UTF-8: no overlong forms, no surrogates
 * (U+D800-U+DFFF), nothing above U+10FFFF, no truncated sequence at the
 * end?  NUL bytes are valid.  Noncharacters such as U+FFFF are valid. */
bool wq_utf8_valid(const void *buf, size_t len);

/* Decodes the sequence at buf (n > 0 bytes available) strictly: returns
 * its length and the code point in *cp, or 0 when the first byte does not
 * start a well-formed sequence (overlong, surrogate, beyond U+10FFFF, cut
 * short).  The one decoder the tokenizer and the console's text share. */
size_t wq_utf8_decode(const void *buf, size_t n, uint32_t *cp);

#endif
