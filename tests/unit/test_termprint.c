/* Unit tests of pass-through printing (src/termprint.c) and the upload
 * folder (src/upload.c): a print job is the text between the media-copy
 * controls, lines in CR LF, in the terminal's charset, with no control
 * character of the text in it; the upload folder refuses hostile names,
 * links, FIFOs, huge and fresh files, and removes only the file read. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "weiquan/encoding.h"
#include "weiquan/err.h"
#include "weiquan/termprint.h"
#include "weiquan/upload.h"

/* The bytes between the controls, checked to be framed by them. */
static char *body_of(const char *job, size_t len, size_t *n)
{
	size_t on = strlen(WQ_TERMPRINT_ON), off = strlen(WQ_TERMPRINT_OFF);
	char *body;

	assert_true(len >= on + off);
	assert_memory_equal(job, WQ_TERMPRINT_ON, on);
	assert_memory_equal(job + len - off, WQ_TERMPRINT_OFF, off);
	*n = len - on - off;
	body = malloc(*n + 1);
	memcpy(body, job + on, *n);
	body[*n] = '\0';
	return body;
}

/* No byte a terminal obeys but CR, LF and the final form feed. */
static void assert_no_controls(const char *body, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)body[i];

		if (c == '\r' || c == '\n' || (c == '\f' && i == n - 1))
			continue;
		assert_true(c >= 0x20 && c != 0x7f);
	}
}

static void test_utf8_lines(void **state)
{
	const char text[] = "投诉登记回执\n案件编号：WQ-2026-000001\r\n\tend";
	char *job, *body;
	size_t len, n, replaced;

	(void)state;
	assert_int_equal(wq_termprint_job(text, strlen(text), "UTF-8", &job,
					  &len, &replaced),
			 WQ_ERR_OK);
	body = body_of(job, len, &n);
	assert_string_equal(body, "投诉登记回执\r\n案件编号：WQ-2026-000001"
				  "\r\n end\f");
	assert_int_equal(replaced, 0);
	free(body);
	free(job);
}

static void test_controls_never_reach_the_terminal(void **state)
{
	/* ESC [4i would end the print and send the rest to the screen;
	 * U+009B is a CSI; U+202E reorders; a bad byte may be a C1. */
	const char text[] = "张三\033[4i\033]0;pwned\a\xc2\x9b"
			    "2J\xe2\x80\xae"
			    "x\xff\x01\x7f\rz";
	char *job, *body;
	size_t len, n, replaced;

	(void)state;
	assert_int_equal(wq_termprint_job(text, strlen(text), "UTF-8", &job,
					  &len, &replaced),
			 WQ_ERR_OK);
	body = body_of(job, len, &n);
	assert_no_controls(body, n);
	assert_null(strstr(body, "\033"));
	assert_non_null(strstr(body, "张三␛[4i␛]0;pwned"));
	free(body);
	free(job);
}

static void test_gb18030(void **state)
{
	const char text[] = "投诉登记回执 ␛ 张三\n";
	char *job, *body, *back;
	size_t len, n, replaced, back_len;

	(void)state;
	assert_int_equal(wq_termprint_job(text, strlen(text), "GB18030", &job,
					  &len, &replaced),
			 WQ_ERR_OK);
	body = body_of(job, len, &n);
	assert_no_controls(body, n);
	assert_int_equal(replaced, 0);
	assert_int_equal(wq_enc_to_utf8(body, n, WQ_ENC_GB18030, &back,
					&back_len),
			 WQ_ERR_OK);
	assert_string_equal(back, "投诉登记回执 ␛ 张三\r\n\f");
	free(back);
	free(body);
	free(job);
}

static void test_big5_lacks_simplified(void **state)
{
	/* 张 and 诉 are not in Big5: each one '?'; 投 and 登 are. */
	const char text[] = "投诉登记 張三 张三\n";
	char *job, *body, *back;
	size_t len, n, replaced, back_len;

	(void)state;
	assert_int_equal(wq_termprint_job(text, strlen(text), "BIG5", &job,
					  &len, &replaced),
			 WQ_ERR_OK);
	body = body_of(job, len, &n);
	assert_no_controls(body, n);
	assert_int_equal(replaced, 3);
	assert_int_equal(wq_enc_to_utf8(body, n, WQ_ENC_BIG5, &back,
					&back_len),
			 WQ_ERR_OK);
	assert_string_equal(back, "投?登? 張三 ?三\r\n\f");
	free(back);
	free(body);
	free(job);
}

/* The Big List of Naughty Strings (and UTF-8 torture tests), the whole
 * file as one text: in every charset, nothing but CR, LF and the final
 * form feed below 0x20, no DEL. */
static void test_hostile_strings(void **state)
{
	static const char *const files[] = {"blns.txt", "UTF-8-test.txt"};
	static const char *const charsets[] = {"UTF-8", "GB18030", "BIG5"};
	const char *dir = getenv("WQ_TESTDATA");

	(void)state;
	/* configure finds the shared data beside the sources; a checkout
	 * elsewhere may have none (cmocka's skip() counts as a failure
	 * under automake's TAP driver). */
	if (!dir || !*dir) {
		fputs("# WQ_TESTDATA is not set: hostile strings not tried\n",
		      stderr);
		return;
	}
	for (size_t f = 0; f < sizeof(files) / sizeof(*files); f++) {
		char path[512], *text, *job, *body;
		size_t len, n, joblen, replaced;
		FILE *in;
		long size;

		snprintf(path, sizeof(path), "%s/%s", dir, files[f]);
		in = fopen(path, "rb");
		assert_non_null(in);
		fseek(in, 0, SEEK_END);
		size = ftell(in);
		rewind(in);
		text = malloc((size_t)size + 1);
		len = fread(text, 1, (size_t)size, in);
		text[len] = '\0';
		fclose(in);
		for (size_t c = 0; c < sizeof(charsets) / sizeof(*charsets);
		     c++) {
			assert_int_equal(wq_termprint_job(text, len,
							  charsets[c], &job,
							  &joblen, &replaced),
					 WQ_ERR_OK);
			body = body_of(job, joblen, &n);
			assert_no_controls(body, n);
			free(body);
			free(job);
		}
		free(text);
	}
}

/* ---- the upload folder ---- */

static char root[64], folder[128];

static void put(const char *name, const char *data, bool old)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", folder, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
	if (old) {
		struct timeval tv[2];

		gettimeofday(&tv[0], NULL);
		tv[0].tv_sec -= 60;
		tv[1] = tv[0];
		assert_int_equal(utimes(path, tv), 0);
	}
}

static const char *refusal(const struct wq_uploads *u, const char *name)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->v[i].name, name) == 0)
			return u->v[i].refused ? u->v[i].refused : "ok";
	return "missing";
}

static int setup_folder(void **state)
{
	char tmpl[512];

	(void)state;
	snprintf(root, sizeof(root), "/tmp/wq-upload-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(tmpl, sizeof(tmpl), "%s/%%u/upload", root);
	setenv("WEIQUAN_UPLOAD_DIR", tmpl, 1);
	return 0;
}

static int teardown_folder(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_upload_folder(void **state)
{
	struct wq_uploads u;
	struct wq_upload_file file;
	const char *why;
	char *dir, path[512], target[512];

	(void)state;
	dir = wq_upload_dir();
	assert_non_null(dir);
	snprintf(folder, sizeof(folder), "%s", dir);
	free(dir);
	assert_int_equal(wq_uploads_list(&u), WQ_ERR_NOT_FOUND);
	wq_uploads_free(&u);
	snprintf(path, sizeof(path), "%s", folder);
	*strrchr(path, '/') = '\0';
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(mkdir(folder, 0700), 0);

	put("付款截图.jpg", "JFIF", true);
	put("fresh.txt", "still coming", false);
	put("\033]0;pwned\a.txt", "x", true);
	put("bidi\xe2\x80\xae" "gpj.exe", "x", true);
	put("bad\xff.txt", "x", true);
	put(".part", "x", true);
	put("-rf", "x", true);
	put("photo.jpg.filepart", "x", true);
	snprintf(target, sizeof(target), "%s/付款截图.jpg", folder);
	snprintf(path, sizeof(path), "%s/link.jpg", folder);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/fifo", folder);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/dir", folder);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/huge.bin", folder);
	put("huge.bin", "", true);
	assert_int_equal(truncate(path, (off_t)WQ_UPLOAD_MAX_BYTES + 1), 0);
	{
		struct timeval tv[2];

		gettimeofday(&tv[0], NULL);
		tv[0].tv_sec -= 60;
		tv[1] = tv[0];
		assert_int_equal(utimes(path, tv), 0);
	}

	assert_int_equal(wq_uploads_list(&u), WQ_ERR_OK);
	assert_string_equal(refusal(&u, "付款截图.jpg"), "ok");
	assert_string_equal(refusal(&u, "fresh.txt"),
			    "still arriving: try again in a moment");
	assert_string_equal(refusal(&u, "\033]0;pwned\a.txt"),
			    "a name with control or invisible characters");
	assert_string_equal(refusal(&u, "bidi\xe2\x80\xae" "gpj.exe"),
			    "a name with control or invisible characters");
	assert_string_equal(refusal(&u, "bad\xff.txt"),
			    "a name that is not UTF-8 text");
	assert_string_equal(refusal(&u, "link.jpg"), "a symbolic link");
	assert_string_equal(refusal(&u, "fifo"),
			    "not a regular file (a directory, a device or a "
			    "FIFO)");
	assert_string_equal(refusal(&u, "dir"),
			    "not a regular file (a directory, a device or a "
			    "FIFO)");
	assert_string_equal(refusal(&u, "huge.bin"), "larger than 64 MB");
	assert_string_equal(refusal(&u, "-rf"), "a name starting with '-'");
	assert_string_equal(refusal(&u, "photo.jpg.filepart"),
			    "a file still being uploaded (.filepart)");
	assert_string_equal(refusal(&u, ".part"),
			    "a hidden name (starting with '.'), or a file "
			    "still being uploaded");
	wq_uploads_free(&u);

	/* Reading checks again, whatever the listing said. */
	const char *refused[] = {"link.jpg", "fifo", "huge.bin", "fresh.txt",
				 "../upload/付款截图.jpg", "..", "dir"};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		assert_int_equal(wq_upload_read(refused[i], &file, &why),
				 WQ_ERR_INVALID);
		assert_non_null(why);
	}
	assert_int_equal(wq_upload_read("none.jpg", &file, &why),
			 WQ_ERR_NOT_FOUND);

	assert_int_equal(wq_upload_read("付款截图.jpg", &file, &why),
			 WQ_ERR_OK);
	assert_int_equal(file.len, 4);
	assert_memory_equal(file.data, "JFIF", 4);
	/* Another file took the name meanwhile: it is not removed. */
	snprintf(path, sizeof(path), "%s/付款截图.jpg", folder);
	assert_int_equal(unlink(path), 0);
	put("付款截图.jpg", "other", true);
	assert_int_equal(wq_upload_remove(&file), WQ_ERR_IO);
	assert_int_equal(access(path, F_OK), 0);
	wq_upload_file_free(&file);
	assert_int_equal(wq_upload_read("付款截图.jpg", &file, &why),
			 WQ_ERR_OK);
	assert_int_equal(wq_upload_remove(&file), WQ_ERR_OK);
	assert_int_equal(access(path, F_OK), -1);
	/* The symlink's target was never touched; gone is gone. */
	assert_int_equal(wq_upload_remove(&file), WQ_ERR_OK);
	wq_upload_file_free(&file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_lines),
		cmocka_unit_test(test_controls_never_reach_the_terminal),
		cmocka_unit_test(test_gb18030),
		cmocka_unit_test(test_big5_lacks_simplified),
		cmocka_unit_test(test_hostile_strings),
		cmocka_unit_test_setup_teardown(test_upload_folder,
						setup_folder, teardown_folder),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
