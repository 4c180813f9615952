/* OCR benchmark: reads each generated screenshot DIR/shot-NN.png (made by
 * tests/bench/shot) with the engine the worker uses and compares the text
 * with DIR/shot-NN.txt.  Prints, per image and in total, the character
 * accuracy (strict, and with full-width and half-width punctuation the
 * same) and the seconds each image took.
 *
 *   bench_ocr DIR N [LANGUAGES]
 *
 * BENCH_OCR_SHOW=1 prints each known and read text too.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy.h"
#include "timing.h"
#include "weiquan/ocr.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		data = malloc((size_t)n + 1);
		if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		}
		if (data) {
			data[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return data;
}

int main(int argc, char **argv)
{
	struct wq_ocr *ocr;
	size_t errs = 0, errs_loose = 0, chars = 0;
	double seconds = 0, t0;
	int n;

	if (argc < 3) {
		fputs("usage: bench_ocr DIR N [LANGUAGES]\n", stderr);
		return 2;
	}
	n = atoi(argv[2]);
	t0 = now_ms();
	if (wq_ocr_new(argc > 3 ? argv[3] : NULL, &ocr)) {
		fprintf(stderr, "bench_ocr: %s\n", wq_err_detail());
		return 1;
	}
	printf("engine: %s (loaded in %.2f s)\n", wq_ocr_engine(ocr),
	       (now_ms() - t0) / 1e3);
	for (int i = 0; i < n; i++) {
		char png[4096], txt[4096], *bytes, *known, *text;
		struct wq_ocr_result read;
		size_t len, klen, k, d, dl;
		int conf, w = 0, h = 0;
		double t;

		snprintf(png, sizeof(png), "%s/shot-%02d.png", argv[1], i);
		snprintf(txt, sizeof(txt), "%s/shot-%02d.txt", argv[1], i);
		bytes = slurp(png, &len);
		known = slurp(txt, &klen);
		if (!bytes || !known) {
			fprintf(stderr, "bench_ocr: cannot read %s or %s\n",
				png, txt);
			return 1;
		}
		wq_ocr_check_image(bytes, len, &w, &h);
		t = now_ms();
		if (wq_ocr_read(ocr, bytes, len, &read)) {
			fprintf(stderr, "bench_ocr: %s: %s\n", png,
				wq_err_detail());
			return 1;
		}
		text = read.text;
		conf = read.confidence;
		t = (now_ms() - t) / 1e3;
		d = acc_distance(known, text, false, &k);
		dl = acc_distance(known, text, true, &k);
		printf("%s %4dx%-4d %5.2f s  %3zu chars  accuracy %5.1f%%  "
		       "(punctuation folded %5.1f%%)  confidence %d %s\n",
		       png + strlen(argv[1]) + 1, w, h, t, k,
		       100.0 * (1.0 - (double)d / (double)k),
		       100.0 * (1.0 - (double)dl / (double)k), conf,
		       read.engine + strlen("tesseract ") +
			   strcspn(read.engine + strlen("tesseract "), " ") +
			   1);
		if (getenv("BENCH_OCR_SHOW"))
			printf("--- known:\n%s--- read:\n%s\n---\n", known,
			       text);
		seconds += t;
		errs += d;
		errs_loose += dl;
		chars += k;
		free(bytes);
		free(known);
		free(text);
	}
	printf("OCR: %d images, %zu characters: accuracy %.1f%% "
	       "(%.1f%% with punctuation folded), %.2f s per image\n",
	       n, chars, 100.0 * (1.0 - (double)errs / (double)chars),
	       100.0 * (1.0 - (double)errs_loose / (double)chars), seconds / n);
	wq_ocr_free(&ocr);
	return 0;
}
