/* Writes the sample pictures and PDFs (samples.h) into a directory, for
 * the console test and the fuzz seeds:
 *     make_samples DIR */
#include "config.h"

#include <stdio.h>

#include "tests/media/samples.h"

int main(int argc, char **argv)
{
	static const char *const scan[] = {
	    "鉴定结论：屏幕碎裂系运输所致，同意仅退款。",
	    "检验机构：华南消费品检测中心",
	};
	static const char *const report[] = {
	    "Appraisal report: screen cracked on delivery",
	    "Conclusion: refund only, order TB2026001",
	};
	struct {
		const char *name;
		struct sample s;
	} out[] = {
	    {"photo.jpg", sample_photo(640, 480, "2025:12:20 09:15:00",
				       "Xiaomi", "Xiaomi 13")},
	    {"chat.png", sample_picture(360, 780, "png")},
	    {"photo.png", sample_photo_as("png", 320, 240, "2025:12:21 10:00:00",
					  "OPPO", "Find X6")},
	    {"photo.webp",
	     sample_photo_as("webp", 320, 240, "2025:12:22 11:00:00", "vivo",
			     "X90")},
	    {"report.pdf", sample_pdf(report, 2, "2026-01-10T15:30:00+08:00")},
	    {"bomb.png", sample_png_header(20000, 20000)},
	    {"scanned.pdf", sample_scanned_pdf(scan, 2)},
	    {"truncated.png", sample_picture(300, 300, "png")},
	    {"future.jpg", sample_photo(64, 48, "2099:01:01 12:00:00", "Canon",
					"Canon EOS 80D")},
	    /* A camera name that would retitle the terminal and clear it if
	     * it reached it raw. */
	    {"hostile.jpg",
	     sample_photo(64, 48, "2026:02:01 08:00:00",
			  "\033]0;HACKED\007Evil", "\033[2J\033[31mX")},
	};
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: make_samples DIR\n");
		return 2;
	}
	out[7].s.len /= 2; /* truncated.png */
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		if (sample_write(&out[i].s, argv[1], out[i].name)) {
			perror(out[i].name);
			rc = 1;
		}
		sample_free(&out[i].s);
	}
	return rc;
}
