/* libFuzzer target: encoding detection and conversion (src/encoding.c).
 *
 * Whatever the bytes, detection names an encoding that then decodes, every
 * decoding is valid UTF-8 or a clean refusal, and valid UTF-8 written out
 * in an export encoding reads back as the same text (less the leading
 * U+FEFF that encoding.h says each direction drops). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/encoding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char utf8_bom[] = "\xEF\xBB\xBF";

static void violated(const char *what, enum wq_encoding enc)
{
	fprintf(stderr, "fuzz_encoding: %s (%s): %s\n", what, wq_enc_name(enc),
		wq_err_detail());
	abort();
}

/* Text less one leading U+FEFF, as the conversions drop it. */
static size_t drop_bom(const char **s, size_t len)
{
	if (len >= 3 && memcmp(*s, utf8_bom, 3) == 0) {
		*s += 3;
		return len - 3;
	}
	return len;
}

static void check_decoded(const char *out, size_t len, enum wq_encoding enc)
{
	if (!out)
		violated("success without output", enc);
	if (out[len] != '\0')
		violated("output not NUL-terminated", enc);
	if (!wq_utf8_valid(out, len))
		violated("decoded text is not valid UTF-8", enc);
}

static void check_decode_all(const char *in, size_t size,
			     enum wq_encoding detected)
{
	for (int e = WQ_ENC_UNKNOWN; e <= WQ_ENC_CP950; e++) {
		enum wq_encoding enc = (enum wq_encoding)e;
		char *out = (char *)1;
		size_t len = 0;
		enum wq_err err = wq_enc_to_utf8(in, size, enc, &out, &len);

		if (enc == WQ_ENC_UNKNOWN || enc == WQ_ENC_BINARY) {
			if (err != WQ_ERR_INVALID || out)
				violated("decoding a non-encoding", enc);
			continue;
		}
		if (err) {
			if (err != WQ_ERR_ENCODING || out || !*wq_err_detail())
				violated("a refusal that is not clean", enc);
			/* A BOM decides detection, so only a guess from
			 * the bytes themselves must decode. */
			if (enc == detected && enc != WQ_ENC_UTF8_BOM &&
			    enc != WQ_ENC_UTF16LE && enc != WQ_ENC_UTF16BE)
				violated("the detected encoding does not "
					 "decode",
					 enc);
			continue;
		}
		check_decoded(out, len, enc);
		if (enc == WQ_ENC_UTF8 || enc == WQ_ENC_UTF8_BOM) {
			const char *p = in;
			size_t n = drop_bom(&p, size);

			if (len != n || memcmp(out, p, n) != 0)
				violated("UTF-8 did not decode as itself", enc);
		}
		free(out);
	}
}

/* Valid UTF-8 out in each encoding and back. */
static void check_round_trip(const char *in, size_t size)
{
	static const enum wq_encoding targets[] = {
	    WQ_ENC_UTF8,    WQ_ENC_UTF8_BOM, WQ_ENC_UTF16LE,
	    WQ_ENC_UTF16BE, WQ_ENC_GB18030,  WQ_ENC_BIG5,
	};

	for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
		enum wq_encoding enc = targets[t];
		bool has_bom = enc == WQ_ENC_UTF8_BOM ||
			       enc == WQ_ENC_UTF16LE || enc == WQ_ENC_UTF16BE;
		const char *want = in;
		size_t want_len = drop_bom(&want, size);
		char *bytes = NULL, *back = NULL;
		size_t len = 0, back_len = 0;
		enum wq_err err;

		/* Encoding drops a stray leading U+FEFF; decoding drops the
		 * BOM it wrote, or else the next leading U+FEFF. */
		if (!has_bom)
			want_len = drop_bom(&want, want_len);
		err = wq_enc_from_utf8(in, size, enc, &bytes, &len);
		if (err) {
			if (err != WQ_ERR_ENCODING || bytes ||
			    enc != WQ_ENC_BIG5)
				violated("valid UTF-8 could not be encoded",
					 enc);
			continue;
		}
		if (bytes[len] != '\0' || bytes[len + 1] != '\0')
			violated("encoded text not followed by two NULs", enc);
		if (has_bom && wq_enc_detect(bytes, len) != enc)
			violated("the BOM written does not decide detection",
				 enc);
		err = wq_enc_to_utf8(bytes, len, enc, &back, &back_len);
		if (err)
			violated("encoded text does not decode", enc);
		check_decoded(back, back_len, enc);
		if (back_len != want_len || memcmp(back, want, want_len) != 0)
			violated("text changed on the way out and back", enc);
		free(bytes);
		free(back);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	enum wq_encoding detected = wq_enc_detect(in, size);

	if ((int)detected < WQ_ENC_UNKNOWN || detected > WQ_ENC_CP950)
		violated("detection out of range", detected);
	if (wq_utf8_valid(in, size) &&
	    !(detected == WQ_ENC_UTF8 || detected == WQ_ENC_UTF8_BOM ||
	      detected == WQ_ENC_BINARY))
		violated("valid UTF-8 detected as something else", detected);
	check_decode_all(in, size, detected);
	if (wq_utf8_valid(in, size))
		check_round_trip(in, size);
	return 0;
}
