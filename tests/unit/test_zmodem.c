/* Unit tests of the names files get on the user's PC
 * (wq_zmodem_pc_name()): a document's name as given, Chinese included;
 * what Windows refuses made safe; a length in bytes that never cuts a
 * character; and every hostile string of the test data giving a name
 * Windows can keep. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "weiquan/zmodem.h"

static void test_names(void **state)
{
	static const struct {
		const char *name, *ext, *want;
	} cases[] = {
		{"WQ-2026-000001 登记回执 第1版", "txt",
		 "WQ-2026-000001 登记回执 第1版.txt"},
		{"WQ-2026-000001 Registration receipt v2", "pdf",
		 "WQ-2026-000001 Registration receipt v2.pdf"},
		{"a\\b/c:d*e?f\"g<h>i|j", "txt", "a_b_c_d_e_f_g_h_i_j.txt"},
		{"line\nbreak\ttab\x1b[31m", NULL, "line_break_tab_[31m"},
		{"C1 \xc2\x85 control", NULL, "C1 _ control"},
		{"bad \xff\xfe bytes \xe4\xb8", NULL, "bad __ bytes __"},
		{"trailing dots... ", "txt", "trailing dots.txt"},
		{"  leading spaces", NULL, "leading spaces"},
		{".hidden", NULL, "_hidden"},
		{"-rf", NULL, "_rf"},
		{"CON", "txt", "_CON.txt"},
		{"nul", NULL, "_nul"},
		{"com1.tar", "gz", "_com1.tar.gz"},
		{"LPT9 ", "txt", "_LPT9.txt"},
		{"CONSOLE", "txt", "CONSOLE.txt"},
		{"COM0", NULL, "COM0"},
		{"", "txt", "weiquan.txt"},
		{"...", NULL, "weiquan"},
		{NULL, "pdf", "weiquan.pdf"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = wq_zmodem_pc_name(cases[i].name, cases[i].ext);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, got,
				 cases[i].want);
		free(got);
	}
}

/* Whole characters within WQ_ZMODEM_NAME_MAX bytes, the extension
 * kept. */
static void test_length(void **state)
{
	char name[1024] = "";
	char *got;

	(void)state;
	for (int i = 0; i < 100; i++)
		strcat(name, "维权"); /* 6 bytes each pair */
	got = wq_zmodem_pc_name(name, "pdf");
	assert_true(strlen(got) <= WQ_ZMODEM_NAME_MAX);
	assert_int_equal((strlen(got) - 4) % 3, 0);
	assert_string_equal(got + strlen(got) - 4, ".pdf");
	assert_int_equal(strncmp(got, "维权维权", 12), 0);
	free(got);
}

static bool valid_utf8(const unsigned char *p)
{
	while (*p) {
		int n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2
				: (*p & 0xf0) == 0xe0	     ? 3
				: (*p & 0xf8) == 0xf0	     ? 4
							     : 0;
		if (!n)
			return false;
		for (int i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += n;
	}
	return true;
}

/* Every line of the naughty strings (and each with a device's name
 * before it) gives a name Windows keeps as it is. */
static void test_hostile(void **state)
{
	const char *dir = getenv("WQ_TESTDATA");
	char path[512], line[8192];
	FILE *f;
	int lines = 0;

	(void)state;
	/* cmocka's skip() counts as a failure under Automake's TAP driver. */
	if (!dir || !*dir) {
		printf("# SKIP WQ_TESTDATA (the hostile strings) is not set\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/blns.txt", dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *got;
		size_t len;

		line[strcspn(line, "\n")] = '\0';
		got = wq_zmodem_pc_name(line, "txt");
		len = strlen(got);
		if (!*got || len > WQ_ZMODEM_NAME_MAX || !valid_utf8(
			    (const unsigned char *)got) ||
		    strpbrk(got, "\\/:*?\"<>|") || got[0] == '.' ||
		    got[0] == '-' || got[0] == ' ' ||
		    strcmp(got + len - 4, ".txt") != 0 ||
		    got[len - 5] == '.' || got[len - 5] == ' ')
			fail_msg("line %d: \"%s\" gave \"%s\"", lines + 1, line,
				 got);
		for (const unsigned char *p = (const unsigned char *)got; *p;
		     p++)
			if (*p < 0x20 || *p == 0x7f)
				fail_msg("line %d: a control byte in \"%s\"",
					 lines + 1, got);
		if (strncasecmp(got, "CON.", 4) == 0 ||
		    strncasecmp(got, "NUL.", 4) == 0)
			fail_msg("line %d: a device's name \"%s\"", lines + 1,
				 got);
		free(got);
		lines++;
	}
	fclose(f);
	assert_true(lines > 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_hostile),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zmodem", tests, NULL, NULL);
}
