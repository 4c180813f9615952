/* Character accuracy of recognised text against the text known to be in
 * the image: 1 - (edit distance / characters known), over Unicode
 * characters with white space left out (Tesseract's line breaks inside a
 * bubble are not errors).  With fold_punct, full-width and half-width
 * punctuation count as the same character and ASCII punctuation is
 * compared as such. */
#ifndef WQ_BENCH_ACCURACY_H
#define WQ_BENCH_ACCURACY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t acc_decode(const char *s, uint32_t *out, bool fold_punct)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		uint32_t c = *p;
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

		if (more)
			c &= 0x3f >> more;
		p++;
		while (more-- > 0 && (*p & 0xc0) == 0x80)
			c = (c << 6) | (*p++ & 0x3f);
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r' ||
		    c == 0x3000)
			continue;
		if (fold_punct && c >= 0xff01 && c <= 0xff5e)
			c -= 0xfee0; /* full-width forms to ASCII */
		if (fold_punct && c == 0x3002)
			c = '.';
		out[n++] = c;
	}
	return n;
}

/* Edit distance of the two texts' characters, and the known text's count. */
static size_t acc_distance(const char *known, const char *read, bool fold_punct,
			   size_t *known_chars)
{
	uint32_t *a = malloc((strlen(known) + 1) * sizeof(*a));
	uint32_t *b = malloc((strlen(read) + 1) * sizeof(*b));
	size_t na = acc_decode(known, a, fold_punct);
	size_t nb = acc_decode(read, b, fold_punct);
	size_t *row = malloc((nb + 1) * sizeof(*row)), d;

	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j],
			       best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	d = row[nb];
	*known_chars = na;
	free(a);
	free(b);
	free(row);
	return d;
}

#endif
