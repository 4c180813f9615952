#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/encoding.h"

/* iconv names.  BIG5-HKSCS rather than BIG5: Hong Kong desks type HKSCS
 * characters, and the two read the standard Big5 range alike.  Exports use
 * it too, so that whatever was read in can be written back out. */
#define ICONV_UTF8	"UTF-8"
#define ICONV_UTF16LE	"UTF-16LE"
#define ICONV_UTF16BE	"UTF-16BE"
#define ICONV_GB18030	"GB18030"
#define ICONV_BIG5	"BIG5-HKSCS"
#define ICONV_CP950	"CP950"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const names[] = {
	[WQ_ENC_UNKNOWN] = "unknown",
	[WQ_ENC_UTF8] = "utf-8",
	[WQ_ENC_UTF8_BOM] = "utf-8-bom",
	[WQ_ENC_UTF16LE] = "utf-16le",
	[WQ_ENC_UTF16BE] = "utf-16be",
	[WQ_ENC_GB18030] = "gb18030",
	[WQ_ENC_BIG5] = "big5",
	[WQ_ENC_BINARY] = "binary",
	[WQ_ENC_CP950] = "cp950",
};

const char *wq_enc_name(enum wq_encoding enc)
{
	if ((unsigned)enc >= ARRAY_LEN(names))
		return names[WQ_ENC_UNKNOWN];
	return names[enc];
}

/* Aliases in normalised form: lower case, '-' and '_' removed. */
static const struct {
	const char *name;
	enum wq_encoding enc;
} aliases[] = {
	{ "unknown", WQ_ENC_UNKNOWN },
	{ "utf8", WQ_ENC_UTF8 },
	{ "utf8bom", WQ_ENC_UTF8_BOM },
	{ "utf8sig", WQ_ENC_UTF8_BOM },
	{ "utf16le", WQ_ENC_UTF16LE },
	{ "utf16be", WQ_ENC_UTF16BE },
	{ "gb18030", WQ_ENC_GB18030 },
	{ "gbk", WQ_ENC_GB18030 },
	{ "gb2312", WQ_ENC_GB18030 },
	{ "cp936", WQ_ENC_GB18030 },
	{ "ms936", WQ_ENC_GB18030 },
	{ "windows936", WQ_ENC_GB18030 },
	{ "euccn", WQ_ENC_GB18030 },
	{ "big5", WQ_ENC_BIG5 },
	{ "big5hkscs", WQ_ENC_BIG5 },
	{ "cp950", WQ_ENC_CP950 },
	{ "ms950", WQ_ENC_CP950 },
	{ "windows950", WQ_ENC_CP950 },
	{ "binary", WQ_ENC_BINARY },
};

enum wq_err wq_enc_parse(const char *name, enum wq_encoding *out)
{
	char norm[24];
	size_t n = 0;

	if (!name)
		return wq_fail(WQ_ERR_INVALID, N_("no encoding name"));
	for (const char *p = name; *p; p++) {
		if (*p == '-' || *p == '_')
			continue;
		/* Longer than any alias: cannot match, and must not overflow. */
		if (n + 1 >= sizeof(norm))
			goto unknown;
		norm[n++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
	}
	norm[n] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(aliases); i++) {
		if (strcmp(norm, aliases[i].name) == 0) {
			*out = aliases[i].enc;
			return WQ_ERR_OK;
		}
	}
unknown:
	return wq_fail(WQ_ERR_INVALID, N_("unknown encoding '%s'"), name);
}

size_t wq_utf8_decode(const void *buf, size_t n, uint32_t *cp)
{
	const unsigned char *s = buf;
	unsigned char b = s[0], lo = 0x80, hi = 0xBF;
	size_t len, k;
	uint32_t c;

	/* Unicode's table 3-7 of well-formed sequences: each lead byte
	 * narrows the range of the second, which rules out overlong forms,
	 * surrogates and code points above U+10FFFF. */
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b < 0xC2)
		return 0;
	if (b < 0xE0) {
		len = 2;
		c = b & 0x1F;
	} else if (b < 0xF0) {
		len = 3;
		c = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0;
		else if (b == 0xED)
			hi = 0x9F;
	} else if (b < 0xF5) {
		len = 4;
		c = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if (s[k] < lo || s[k] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
		c = c << 6 | (s[k] & 0x3F);
	}
	*cp = c;
	return len;
}

static size_t utf8_seq_len(const unsigned char *p, size_t left)
{
	uint32_t cp;

	return wq_utf8_decode(p, left, &cp);
}

/* Offset of the first ill-formed sequence, or len if there is none. */
static size_t utf8_bad_offset(const unsigned char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n;

		/* ASCII dominates real files; skip it without the table. */
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_seq_len(p + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

bool wq_utf8_valid(const void *buf, size_t len)
{
	if (len == 0)
		return true;
	if (!buf)
		return false;
	return utf8_bad_offset(buf, len) == len;
}

/* Code point of the well-formed sequence at p; *n gets its length.  Only
 * for text already known to be valid UTF-8. */
static uint32_t utf8_decode(const unsigned char *p, size_t left, size_t *n)
{
	uint32_t cp;

	*n = wq_utf8_decode(p, left, &cp);
	if (*n == 0) {
		/* Not reached on valid text; step one byte so callers move on. */
		*n = 1;
		return 0xFFFD;
	}
	return cp;
}

enum conv_result {
	CONV_OK,
	CONV_NOMEM,
	CONV_ILSEQ,	/* bad input, or a character the target lacks */
	CONV_TRUNC,	/* input ends inside a multibyte sequence */
	CONV_NOCONV,	/* iconv_open failed: glibc built without gconv? */
};

/* Room kept past the output for terminating NULs: one for UTF-8 callers,
 * two so that UTF-16 output is terminated by a whole NUL code unit. */
#define NUL_ROOM 2

/* Run in[0..len) through iconv from -> to into a new buffer starting with
 * prefix[0..plen), zero-terminated with NUL_ROOM bytes.  On CONV_ILSEQ and
 * CONV_TRUNC, *bad is the offset in in of the sequence iconv stopped at. */
static enum conv_result transcode(const char *to, const char *from,
				  const char *in, size_t len,
				  const char *prefix, size_t plen,
				  char **out, size_t *outlen, size_t *bad)
{
	enum conv_result res = CONV_OK;
	iconv_t cd;
	char *buf, *ip, *op;
	size_t cap, ileft, oleft;
	bool flushing = false;

	*out = NULL;
	cd = iconv_open(to, from);
	if (cd == (iconv_t)-1)
		return errno == ENOMEM ? CONV_NOMEM : CONV_NOCONV;

	/* One and a half times the input fits most CJK -> UTF-8 output (two
	 * bytes become three); E2BIG below covers the rest. */
	if (len > (SIZE_MAX - plen - NUL_ROOM - 64) / 2) {
		iconv_close(cd);
		return CONV_NOMEM;
	}
	cap = plen + len + len / 2 + NUL_ROOM + 64;
	buf = malloc(cap);
	if (!buf) {
		iconv_close(cd);
		return CONV_NOMEM;
	}
	if (plen)
		memcpy(buf, prefix, plen);

	/* iconv's prototype lacks const but it never writes the input. */
	ip = (char *)in;
	ileft = len;
	op = buf + plen;
	oleft = cap - plen - NUL_ROOM;
	for (;;) {
		size_t r;

		/* After the input is used up, a stateful converter may still
		 * hold a character back (BIG5-HKSCS waits to see whether a
		 * combining mark follows Ê or ê), so flush it out. */
		if (flushing)
			r = iconv(cd, NULL, NULL, &op, &oleft);
		else
			r = iconv(cd, &ip, &ileft, &op, &oleft);
		if (r != (size_t)-1) {
			if (flushing)
				break;
			flushing = true;
			continue;
		}
		if (errno == E2BIG) {
			size_t used = (size_t)(op - buf);
			char *nbuf;

			if (cap > SIZE_MAX / 2) {
				res = CONV_NOMEM;
				break;
			}
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				res = CONV_NOMEM;
				break;
			}
			buf = nbuf;
			cap *= 2;
			op = buf + used;
			oleft = cap - used - NUL_ROOM;
			continue;
		}
		*bad = (size_t)(ip - in);
		/* A flush that fails has no input byte to blame: call it an
		 * incomplete end rather than point past the buffer. */
		res = errno == EINVAL || flushing ? CONV_TRUNC : CONV_ILSEQ;
		break;
	}
	iconv_close(cd);
	if (res != CONV_OK) {
		free(buf);
		return res;
	}
	memset(op, 0, NUL_ROOM);
	*out = buf;
	*outlen = (size_t)(op - buf);
	return CONV_OK;
}

static const char *iconv_name(enum wq_encoding enc)
{
	switch (enc) {
	case WQ_ENC_UTF8:
	case WQ_ENC_UTF8_BOM:
		return ICONV_UTF8;
	case WQ_ENC_UTF16LE:
		return ICONV_UTF16LE;
	case WQ_ENC_UTF16BE:
		return ICONV_UTF16BE;
	case WQ_ENC_GB18030:
		return ICONV_GB18030;
	case WQ_ENC_BIG5:
		return ICONV_BIG5;
	case WQ_ENC_CP950:
		return ICONV_CP950;
	default:
		return NULL;
	}
}

static bool starts_with_bom(const char *s, size_t len)
{
	return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

/* Decode in[0..len) to UTF-8 without the detail messages, for detection. */
static enum conv_result decode(enum wq_encoding enc, const char *in,
			       size_t len, char **out, size_t *outlen,
			       size_t *bad)
{
	return transcode(ICONV_UTF8, iconv_name(enc), in, len, NULL, 0,
			 out, outlen, bad);
}

enum wq_err wq_enc_to_utf8(const void *buf, size_t len, enum wq_encoding enc,
			   char **out, size_t *outlen)
{
	const char *in = buf;
	char *res;
	size_t reslen, bad = 0;

	*out = NULL;
	if (!in && len)
		return wq_fail(WQ_ERR_INVALID, N_("no input buffer"));
	if (!iconv_name(enc))
		return wq_fail(WQ_ERR_INVALID,
			       N_("cannot decode %s data as text"),
			       wq_enc_name(enc));

	if (enc == WQ_ENC_UTF8 || enc == WQ_ENC_UTF8_BOM) {
		/* A strict check of our own rather than iconv's: offsets are
		 * then exact and the rules the same as wq_utf8_valid's. */
		bad = len ? utf8_bad_offset(buf, len) : 0;
		if (bad < len)
			return wq_fail(WQ_ERR_ENCODING,
				       N_("invalid %s byte sequence at offset "
					  "%zu (byte 0x%02X)"),
				       wq_enc_name(enc), bad,
				       (unsigned char)in[bad]);
		if (starts_with_bom(in, len)) {
			in += 3;
			len -= 3;
		}
		res = malloc(len + 1);
		if (!res)
			return wq_fail(WQ_ERR_NOMEM, N_("decoding %zu bytes"),
				       len);
		if (len)
			memcpy(res, in, len);
		res[len] = '\0';
		reslen = len;
	} else {
		switch (decode(enc, in, len, &res, &reslen, &bad)) {
		case CONV_OK:
			break;
		case CONV_NOMEM:
			return wq_fail(WQ_ERR_NOMEM, N_("decoding %zu bytes"),
				       len);
		case CONV_ILSEQ:
			return wq_fail(WQ_ERR_ENCODING,
				       N_("invalid %s byte sequence at offset "
					  "%zu (byte 0x%02X)"),
				       wq_enc_name(enc), bad,
				       (unsigned char)in[bad]);
		case CONV_TRUNC:
			return wq_fail(WQ_ERR_ENCODING,
				       N_("truncated %s sequence at offset %zu "
					  "(end of input)"),
				       wq_enc_name(enc), bad);
		case CONV_NOCONV:
			return wq_fail(
			    WQ_ERR_ENCODING,
			    N_("this system's iconv cannot convert from %s"),
			    iconv_name(enc));
		}
		/* The UTF-16 BOM (and the GB18030 one, 84 31 95 33) comes out
		 * of iconv as U+FEFF, which is the BOM's only trace. */
		if (starts_with_bom(res, reslen)) {
			memmove(res, res + 3, reslen - 3 + 1);
			reslen -= 3;
		}
	}
	*out = res;
	if (outlen)
		*outlen = reslen;
	return WQ_ERR_OK;
}

size_t wq_enc_first_invalid(const void *buf, size_t len,
			    enum wq_encoding enc)
{
	char *out = NULL;
	size_t outlen, bad = len;

	if (!buf || !len || !iconv_name(enc))
		return len;
	if (enc == WQ_ENC_UTF8 || enc == WQ_ENC_UTF8_BOM)
		return utf8_bad_offset(buf, len);
	switch (decode(enc, buf, len, &out, &outlen, &bad)) {
	case CONV_ILSEQ:
	case CONV_TRUNC:
		return bad < len ? bad : len;	/* len: cut short at the end */
	default:
		free(out);
		return len;
	}
}

enum wq_err wq_enc_from_utf8(const char *utf8, size_t len,
			     enum wq_encoding enc, char **out, size_t *outlen)
{
	const char *prefix = NULL, *in = utf8;
	size_t plen = 0, skip = 0, bad, reslen;
	char *res;

	*out = NULL;
	if (!in && len)
		return wq_fail(WQ_ERR_INVALID, N_("no input buffer"));
	if (!iconv_name(enc))
		return wq_fail(WQ_ERR_INVALID, N_("cannot encode text as %s"),
			       wq_enc_name(enc));
	bad = len ? utf8_bad_offset((const unsigned char *)in, len) : 0;
	if (bad < len)
		return wq_fail(
		    WQ_ERR_ENCODING,
		    N_("text to export is not valid UTF-8 at offset %zu"), bad);
	if (starts_with_bom(in, len))
		skip = 3;

	switch (enc) {
	case WQ_ENC_UTF8_BOM:
		prefix = "\xEF\xBB\xBF";
		plen = 3;
		break;
	case WQ_ENC_UTF16LE:
		prefix = "\xFF\xFE";
		plen = 2;
		break;
	case WQ_ENC_UTF16BE:
		prefix = "\xFE\xFF";
		plen = 2;
		break;
	default:
		break;
	}

	/* glibc's iconv drops the tag characters U+E0000..U+E007F that a
	 * charset lacks instead of failing: Big5 has none of them, and a
	 * text must not lose characters silently on its way out. */
	if (enc == WQ_ENC_BIG5 || enc == WQ_ENC_CP950) {
		for (size_t i = skip; i + 4 <= len; i++) {
			const unsigned char *c = (const unsigned char *)in + i;

			if (c[0] == 0xF3 && c[1] == 0xA0 &&
			    (c[2] == 0x80 || c[2] == 0x81))
				return wq_fail(WQ_ERR_ENCODING,
					       N_("character U+%04X at offset "
						  "%zu has no %s code"),
					       0xE0000u + ((c[2] & 1u) << 6) +
						   (c[3] & 0x3Fu),
					       i, wq_enc_name(enc));
		}
	}

	if (enc == WQ_ENC_UTF8 || enc == WQ_ENC_UTF8_BOM) {
		reslen = plen + len - skip;
		res = malloc(reslen + NUL_ROOM);
		if (!res)
			return wq_fail(WQ_ERR_NOMEM, N_("encoding %zu bytes"),
				       len);
		if (plen)
			memcpy(res, prefix, plen);
		if (len - skip)
			memcpy(res + plen, in + skip, len - skip);
		memset(res + reslen, 0, NUL_ROOM);
	} else {
		size_t n;
		uint32_t cp;

		switch (transcode(iconv_name(enc), ICONV_UTF8, in + skip,
				  len - skip, prefix, plen, &res, &reslen,
				  &bad)) {
		case CONV_OK:
			break;
		case CONV_NOMEM:
			return wq_fail(WQ_ERR_NOMEM, N_("encoding %zu bytes"),
				       len);
		case CONV_ILSEQ:
		case CONV_TRUNC:
			/* The input is valid UTF-8, so iconv stopped at a
			 * character the target has no code for. */
			bad += skip;
			if (bad >= len)
				return wq_fail(WQ_ERR_ENCODING,
					       N_("cannot end the %s output"),
					       wq_enc_name(enc));
			cp = utf8_decode((const unsigned char *)in + bad,
					 len - bad, &n);
			return wq_fail(WQ_ERR_ENCODING,
				       N_("character U+%04X \"%.*s\" at offset "
					  "%zu has no %s code"),
				       (unsigned)cp, (int)n, in + bad, bad,
				       wq_enc_name(enc));
		case CONV_NOCONV:
			return wq_fail(
			    WQ_ERR_ENCODING,
			    N_("this system's iconv cannot convert to %s"),
			    iconv_name(enc));
		}
	}
	*out = res;
	if (outlen)
		*outlen = reslen;
	return WQ_ERR_OK;
}

/* File signatures of what desks attach besides text.  Most such files
 * hold NUL bytes anyway; these catch the ones whose first kilobytes may
 * not (PDF, JPEG) and make the verdict independent of the sample size. */
static const struct {
	const char *magic;
	size_t len;
} signatures[] = {
	{ "\x89PNG\r\n\x1A\n", 8 },
	{ "\xFF\xD8\xFF", 3 },				/* JPEG */
	{ "GIF87a", 6 },
	{ "GIF89a", 6 },
	{ "%PDF-", 5 },
	{ "PK\x03\x04", 4 },				/* zip, docx, xlsx */
	{ "PK\x05\x06", 4 },				/* empty zip */
	{ "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8 },	/* doc, xls */
	{ "Rar!\x1A\x07", 6 },
	{ "7z\xBC\xAF\x27\x1C", 6 },
	{ "\x1F\x8B", 2 },				/* gzip */
	{ "\x7F" "ELF", 4 },
};

static bool looks_binary(const unsigned char *p, size_t len)
{
	size_t ctrl = 0;

	for (size_t i = 0; i < ARRAY_LEN(signatures); i++)
		if (len >= signatures[i].len &&
		    memcmp(p, signatures[i].magic, signatures[i].len) == 0)
			return true;
	/* No text encoding we accept without a BOM uses NUL, nor C0 bytes
	 * inside multibyte characters (GB18030 and Big5 trail bytes start at
	 * 0x30 and 0x40), so C0 controls are only ever themselves.  Text has
	 * tabs, line ends, form feeds, an ESC from a terminal or a DOS ^Z at
	 * the end; anything else more often than one byte in twenty is not
	 * text. */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (c == 0)
			return true;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\v' &&
		     c != '\f' && c != '\r' && c != 0x1A && c != 0x1B) ||
		    c == 0x7F)
			ctrl++;
	}
	return ctrl > len / 20;
}

/* Frequent characters of Chinese text, to tell a GB18030 file from a Big5
 * one when both decodings succeed, as they mostly do: GB2312's byte range
 * lies inside Big5's and the reverse is nearly true of GBK.  Read in the
 * wrong charset, a text becomes a scatter of characters from all over the
 * other charset's first level, of which only a few are frequent.  Measured
 * on the zh_CN and zh_TW message catalogues of a Debian system, 97% of the
 * Chinese characters of the right decoding are in these lists against 11%
 * (GB text read as Big5) and 17% (Big5 read as GB) of the wrong one; every
 * message of eight or more Chinese characters was told apart, and 99% of
 * those of two to seven.  The lists: about 1,500 of the most frequent
 * hanzi of Simplified text plus the vocabulary of complaints, and their
 * Taiwan forms (from OpenCC's s2tw) plus a few variants.  A longer list
 * helps short texts (with 500, 92% of the two- and three-character Big5
 * messages were right; with 1,500, 98.5%) until chance hits in the wrong
 * decoding catch up. */
static const char *const common_simplified[] = {
	"的一是不了在人有我他这个们中来上大为和国",
	"地到以说时要就出会可也你对生能而子那得于",
	"着下自之年过发后作里用道行所然家种事成方",
	"多经么去法学如都同现当没动面起看定天分还",
	"进好小部其些主样理心她本前开但因只从想实",
	"日军者意无力它与长把机十民第公此已工使情",
	"明性知全三又关点正业外将两高间由问很最重",
	"并物手应战向头文体政美相见被利什二等产或",
	"新己制身果加西斯月话合回特代内信表化老给",
	"世位次度门任常先海通教儿原东声提立及比员",
	"解水名真论处走义各入几口认条平系气题活尔",
	"更别打女变四神总何电数安少报才结反受目太",
	"量再感建务做接必场件计管期市直德资命山金",
	"指克许统区保至队形社便空决治展马科司五基",
	"眼书非则听白却界达光放强即像难且权思王象",
	"完设式色路记南品住告类求据程北边死张该交",
	"规万取拉格望觉术领共确传师观清今切院让识",
	"候带导争运笑飞风步改收根干造言联持组每济",
	"车亲极林服快办议往元英士证近失转夫令准布",
	"始怎呢存未远叫台单影具罗字爱击流备兵连调",
	"深商算质团集百需价花党华城石级整府离况亚",
	"请技际约示复病息究线似官火断精满支视消越",
	"器容照须九增研写称企八功吗包片史委乎查轻",
	"易早曾除农找装广显吧阿李标谈吃图念六引历",
	"首医局突专费号尽另周较注语仅考落青随选列",
	"武红响虽推势参希古众构房半节土投某案黑维",
	"革划敌致陈律足态护七兴派孩验责营星够章音",
	"跟志底站严巴例防族供效续施留讲型料终答紧",
	"黄绝奇察母京段依批群项故按河米围江织害斗",
	"双境客纪采举杀攻父苏密低朝友诉止细愿千值",
	"仍男钱破网热助倒育属坐帝限船脸职速刻乐否",
	"刚威毛状率甚独球般普怕弹校苦创假久错承印",
	"晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤",
	"素药适波夜省初喜卫源食险待述陆习置居劳财",
	"环排福纳欢雷警获模充负云停木游龙树疑层冷",
	"洲冲射略范竟句室异激汉村哈策演简卡罪判担",
	"州静退既衣您宗积余痛检差富灵协角占配征修",
	"皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养",
	"伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控",
	"税左右份穿艺背阵草脚概恶块顿敢守酒岛托央",
	"户烈洋哥索胡款靠评版宝座释景顾弟登货互付",
	"伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮",
	"露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯",
	"测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移",
	"娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康",
	"虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶",
	"春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇",
	"招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣",
	"择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂",
	"旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶",
	"玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸",
	"诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌",
	"店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒",
	"姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞",
	"努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞",
	"街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱",
	"埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振",
	"染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁",
	"伸摩盟末乃悲拍丁赵硬麦蒋操耶阻订彩抽赞魔",
	"纷沿喊违妹浪汇币丰蓝殊献桌啦瓦莱援译夺汽",
	"烧距裁偏符勇触课敬哭懂墙袭召罚侠厅拜巧侧",
	"韩冒债曼融惯享戴童犹乘挂奖绍厚纵障讯涉彻",
	"刊丈爆乌役描洗玛患妙镜唱烦签仙彼弗症仿倾",
	"牌陷鸟轰咱菜闭奋庆撤泪茶疾缘播朗杜奶季丹",
	"狗尾仪偷奔珠虫驻孔宜艾桥淡翼恨繁寒伴叹旦",
	"愈潮粮缩罢聚径恰挑袋灰捕徐珍幕映裂泰隔启",
	"尖忠累炎暂估泛荒偿横拒瑞忆孤鼻闹羊呆厉衡",
	"胞零穷舍码赫婆魂灾洪腿胆津俗辩胸晓劲贫仁",
	"偶辑邦恢赖圈摸仰润堆碰艇稍迟辆废净凶署壁",
	"御奉旋冬矿抬蛋晨伏吹鸡倍糊秦盾杯租骑乏隆",
	"诊奴摄丧污渡旗甘耐凭扎抢绪粗肩梁幻菲皆碎",
	"宙叔岩荡综爬荷悉蒂返井壮薄悄扫敏碍殖详迪",
	"矛霍允幅撒剩凯颗骂赏液番箱贴漫酸郎腰舒眉",
	"忧浮辛恋餐吓挺励辞艘键伍峰尺昨黎辈贯侦滑",
	"券崇扰宪绕趋慈乔阅汗枝拖墨胁插箭腊粉泥氏",
	"瑕疵赠帐账霉刮痕漏锈泻骗扣刷诈赔递欺劣寄",
	"裹伪邮鉴",
};

static const char *const common_traditional[] = {
	"的一是不了在人有我他這個們中來上大為和國",
	"地到以說時要就出會可也你對生能而子那得於",
	"著下自之年過發後作裡用道行所然家種事成方",
	"多經麼去法學如都同現當沒動面起看定天分還",
	"進好小部其些主樣理心她本前開但因只從想實",
	"日軍者意無力它與長把機十民第公此已工使情",
	"明性知全三又關點正業外將兩高間由問很最重",
	"並物手應戰向頭文體政美相見被利什二等產或",
	"新己制身果加西斯月話合回特代內信表化老給",
	"世位次度門任常先海通教兒原東聲提立及比員",
	"解水名真論處走義各入幾口認條平系氣題活爾",
	"更別打女變四神總何電數安少報才結反受目太",
	"量再感建務做接必場件計管期市直德資命山金",
	"指克許統區保至隊形社便空決治展馬科司五基",
	"眼書非則聽白卻界達光放強即像難且權思王象",
	"完設式色路記南品住告類求據程北邊死張該交",
	"規萬取拉格望覺術領共確傳師觀清今切院讓識",
	"候帶導爭運笑飛風步改收根幹造言聯持組每濟",
	"車親極林服快辦議往元英士證近失轉夫令準布",
	"始怎呢存未遠叫臺單影具羅字愛擊流備兵連調",
	"深商算質團集百需價花黨華城石級整府離況亞",
	"請技際約示復病息究線似官火斷精滿支視消越",
	"器容照須九增研寫稱企八功嗎包片史委乎查輕",
	"易早曾除農找裝廣顯吧阿李標談吃圖念六引歷",
	"首醫局突專費號盡另周較注語僅考落青隨選列",
	"武紅響雖推勢參希古眾構房半節土投某案黑維",
	"革劃敵致陳律足態護七興派孩驗責營星夠章音",
	"跟志底站嚴巴例防族供效續施留講型料終答緊",
	"黃絕奇察母京段依批群項故按河米圍江織害鬥",
	"雙境客紀採舉殺攻父蘇密低朝友訴止細願千值",
	"仍男錢破網熱助倒育屬坐帝限船臉職速刻樂否",
	"剛威毛狀率甚獨球般普怕彈校苦創假久錯承印",
	"晚蘭試股拿腦預誰益陽若哪微尼繼送急血驚傷",
	"素藥適波夜省初喜衛源食險待述陸習置居勞財",
	"環排福納歡雷警獲模充負雲停木遊龍樹疑層冷",
	"洲衝射略範竟句室異激漢村哈策演簡卡罪判擔",
	"州靜退既衣您宗積餘痛檢差富靈協角佔配徵修",
	"皮揮勝降階審沉堅善媽劉讀啊超免壓銀買皇養",
	"伊懷執副亂抗犯追幫宣佛歲航優怪香田鐵控稅",
	"左右份穿藝背陣草腳概惡塊頓敢守酒島託央戶",
	"烈洋哥索胡款靠評版寶座釋景顧弟登貨互付伯",
	"慢歐換聞危忙核暗姐介壞討麗良序升監臨亮露",
	"永呼味野架域沙掉括艦魚雜誤灣吉減編楚肯測",
	"敗屋跑夢散溫困劍漸封救貴槍缺樓縣尚毫移娘",
	"朋畫班智亦耳恩短掌恐遺固席松秘謝魯遇康慮",
	"幸均銷鍾詩藏趕劇票損忽巨炮舊端探湖錄葉春",
	"鄉附吸予禮港雨呀板庭婦歸睛飯額含順輸搖招",
	"婚脫補謂督毒油療旅澤材滅逐莫筆亡鮮詞聖擇",
	"尋廠睡博勒煙授諾倫岸奧唐賣俄炸載洛健堂旁",
	"宮喝借君禁陰園謀宋避抓榮姑孫逃牙束跳頂玉",
	"鎮雪午練迫爺篇肉嘴館遍凡礎洞卷坦牛寧紙諸",
	"訓私莊祖絲翻暴森塔默握戲隱熟骨訪弱蒙歌店",
	"鬼軟典欲薩夥遭盤爸擴蓋弄雄穩忘億刺擁徒姆",
	"楊齊賽趣曲刀床迎冰虛玩析窗醒妻透購替塞努",
	"休虎揚途侵刑綠兄迅套貿畢唯谷輪庫跡尤競街",
	"促延震棄甲偉麻川申緩潛閃售燈針哲絡抵朱埃",
	"抱鼓植純夏忍頁傑築折鄭貝尊吳秀混臣雅振染",
	"盛怒舞圓搞狂措姓殘秋培迷誠寬宇猛擺梅毀伸",
	"摩盟末乃悲拍丁趙硬麥蔣操耶阻訂彩抽贊魔紛",
	"沿喊違妹浪匯幣豐藍殊獻桌啦瓦萊援譯奪汽燒",
	"距裁偏符勇觸課敬哭懂牆襲召罰俠廳拜巧側韓",
	"冒債曼融慣享戴童猶乘掛獎紹厚縱障訊涉徹刊",
	"丈爆烏役描洗瑪患妙鏡唱煩籤仙彼弗症仿傾牌",
	"陷鳥轟咱菜閉奮慶撤淚茶疾緣播朗杜奶季丹狗",
	"尾儀偷奔珠蟲駐孔宜艾橋淡翼恨繁寒伴嘆旦愈",
	"潮糧縮罷聚徑恰挑袋灰捕徐珍幕映裂泰隔啟尖",
	"忠累炎暫估泛荒償橫拒瑞憶孤鼻鬧羊呆厲衡胞",
	"零窮舍碼赫婆魂災洪腿膽津俗辯胸曉勁貧仁偶",
	"輯邦恢賴圈摸仰潤堆碰艇稍遲輛廢淨兇署壁御",
	"奉旋冬礦抬蛋晨伏吹雞倍糊秦盾杯租騎乏隆診",
	"奴攝喪汙渡旗甘耐憑扎搶緒粗肩梁幻菲皆碎宙",
	"叔巖蕩綜爬荷悉蒂返井壯薄悄掃敏礙殖詳迪矛",
	"霍允幅撒剩凱顆罵賞液番箱貼漫酸郎腰舒眉憂",
	"浮辛戀餐嚇挺勵辭艘鍵伍峰尺昨黎輩貫偵滑券",
	"崇擾憲繞趨慈喬閱汗枝拖墨脅插箭臘粉泥氏瑕",
	"疵贈帳賬黴刮痕漏鏽瀉騙扣刷詐賠遞欺劣寄裹",
	"偽郵鑑簽台乾係製複髮麵隻週檔螢瀏伺",
};

#define MAX_COMMON 2048	/* room for either list, with some to spare */

struct charset {
	uint32_t cp[MAX_COMMON];
	size_t n;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void charset_add(struct charset *set, const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;
	size_t left = strlen(utf8);

	while (left && set->n < MAX_COMMON) {
		size_t n;

		set->cp[set->n++] = utf8_decode(p, left, &n);
		p += n;
		left -= n;
	}
}

/* Built on each call rather than once into a static: it costs some
 * microseconds, next to iconv'ing the file twice, and needs no locking. */
static void charset_init(struct charset *set, const char *const *lines,
			 size_t nlines)
{
	set->n = 0;
	for (size_t i = 0; i < nlines; i++)
		charset_add(set, lines[i]);
	qsort(set->cp, set->n, sizeof(set->cp[0]), cmp_u32);
}

/* Characters that Chinese prose hardly contains but that a wrong decoding
 * is full of: Big5's commonest characters (lead bytes A4-AF) are GB's
 * kana, Greek, Cyrillic, pinyin and box-drawing rows, GB's full-width
 * punctuation is Big5's bopomofo and Greek, and stray byte pairs land in
 * private use, the CJK extensions or the compatibility ideographs. */
static bool unlikely(uint32_t cp)
{
	return (cp >= 0x00C0 && cp <= 0x02AF && cp != 0xD7 && cp != 0xF7) ||
	       (cp >= 0x0370 && cp <= 0x04FF) ||	/* Greek, Cyrillic */
	       (cp >= 0x2500 && cp <= 0x257F) ||	/* box drawing */
	       (cp >= 0x3040 && cp <= 0x312F) ||	/* kana, bopomofo */
	       (cp >= 0x3400 && cp <= 0x4DBF) ||	/* CJK extension A */
	       (cp >= 0xE000 && cp <= 0xF8FF) ||	/* private use */
	       (cp >= 0xF900 && cp <= 0xFAFF) ||	/* compatibility */
	       cp >= 0x20000;				/* extensions B.. */
}

/* One point per frequent character, minus one per unlikely one. */
static long score(const char *utf8, size_t len, const struct charset *set)
{
	const unsigned char *p = (const unsigned char *)utf8;
	long s = 0;

	while (len) {
		size_t n;
		uint32_t cp = utf8_decode(p, len, &n);

		p += n;
		len -= n;
		if (cp < 0x80)
			continue;
		if (bsearch(&cp, set->cp, set->n, sizeof(set->cp[0]), cmp_u32))
			s++;
		else if (unlikely(cp))
			s--;
	}
	return s;
}

/* The bytes read as CP950 with what it cannot decode skipped (a byte at
 * a time): how Big5-like a file is that no Big5 table decodes whole. */
static long lenient_big5_score(const char *in, size_t len,
			       const struct charset *set)
{
	long s = 0;
	size_t at = 0;

	while (at < len) {
		char *out = NULL;
		size_t outlen = 0, bad = len - at;
		enum conv_result r = decode(WQ_ENC_CP950, in + at, len - at,
					    &out, &outlen, &bad);

		if (r == CONV_NOMEM || r == CONV_NOCONV)
			break;
		if (r == CONV_OK) {
			s += score(out, outlen, set);
			free(out);
			break;
		}
		/* Score what came before the bad sequence, then step over
		 * one byte of it. */
		if (bad > 0 && decode(WQ_ENC_CP950, in + at, bad, &out,
				      &outlen, &bad) == CONV_OK) {
			s += score(out, outlen, set);
			free(out);
		}
		at += bad + 1;
	}
	return s;
}

static enum wq_encoding guess_chinese(const char *in, size_t len)
{
	struct charset simplified, traditional;
	char *gb = NULL, *hk = NULL, *cp = NULL, *b5;
	size_t gblen = 0, hklen = 0, cplen = 0, b5len, bad;
	bool gb_ok, hk_ok, cp_ok;
	long gb_score = 0, b5_score = 0;
	enum wq_encoding enc, b5_enc;

	gb_ok = decode(WQ_ENC_GB18030, in, len, &gb, &gblen, &bad) == CONV_OK;
	hk_ok = decode(WQ_ENC_BIG5, in, len, &hk, &hklen, &bad) == CONV_OK;
	cp_ok = decode(WQ_ENC_CP950, in, len, &cp, &cplen, &bad) == CONV_OK;
	/* HKSCS reads what Hong Kong desks type; where it and CP950 read
	 * the same bytes differently (～ ⊙ ￥), a Windows PC wrote them. */
	if (cp_ok && (!hk_ok || hklen != cplen || memcmp(hk, cp, cplen))) {
		b5_enc = WQ_ENC_CP950;
		b5 = cp;
		b5len = cplen;
	} else {
		b5_enc = WQ_ENC_BIG5;
		b5 = hk;
		b5len = hklen;
	}
	charset_init(&simplified, common_simplified,
		     ARRAY_LEN(common_simplified));
	charset_init(&traditional, common_traditional,
		     ARRAY_LEN(common_traditional));
	if (gb_ok)
		gb_score = score(gb, gblen, &simplified);
	if (b5)
		b5_score = score(b5, b5len, &traditional);
	if (gb_ok && b5) {
		enc = b5_score > gb_score ? b5_enc : WQ_ENC_GB18030;
	} else if (b5) {
		enc = b5_enc;
	} else if (gb_ok) {
		/* Only GB18030 decodes: it always does, nearly, so that
		 * alone says little.  Refused when it reads worse than the
		 * file does as Big5, bad characters skipped. */
		enc = lenient_big5_score(in, len, &traditional) > gb_score
			      ? WQ_ENC_UNKNOWN
			      : WQ_ENC_GB18030;
	} else {
		enc = WQ_ENC_UNKNOWN;
	}
	free(gb);
	free(hk);
	free(cp);
	return enc;
}

enum wq_encoding wq_enc_detect(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (len == 0)
		return WQ_ENC_UTF8;
	if (!p)
		return WQ_ENC_UNKNOWN;
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		return WQ_ENC_UTF8_BOM;
	if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
		return WQ_ENC_UTF16LE;
	if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		return WQ_ENC_UTF16BE;
	if (looks_binary(p, len))
		return WQ_ENC_BINARY;
	if (utf8_bad_offset(p, len) == len)
		return WQ_ENC_UTF8;
	return guess_chinese(buf, len);
}
