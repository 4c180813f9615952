/* Unit tests of the details kept for a reader in another language
 * (wq_err_record(), wq_err_record_text()): every conversion the core's
 * messages use comes back as the message had it; a message without
 * arguments, positional conversions, and text stored before details were
 * kept so. */
#include "config.h"

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "weiquan/err.h"

/* Kept and read back (no catalogue: the msgid is its own text), a
 * detail reads as wq_fail() wrote it. */
static void test_round_trip(void **state)
{
	char *kept, *text;
	size_t bytes = 3000;
	int64_t id = INT64_C(1234567890123);

	(void)state;
	wq_fail(WQ_ERR_PARSE,
		"%s: %d of %u, %zu bytes, event %" PRId64
		", %.*s, %5.2f, 100%%, %c, %04X, %lld, %-6s|",
		"cut.png", -3, 7u, bytes, id, 3, "abcdef", 2.5, 'x', 0xbeefu,
		-9LL, "左");
	kept = wq_err_record();
	assert_non_null(kept);
	assert_non_null(strstr(kept, "\"msgid\":"));
	text = wq_err_record_text(kept);
	assert_string_equal(text, wq_err_detail());
	free(text);
	free(kept);
}

static void test_without_arguments(void **state)
{
	char *kept, *text;

	(void)state;
	wq_fail_msgid(WQ_ERR_PARSE, "the PDF is damaged");
	kept = wq_err_record();
	assert_string_equal(kept, "{\"msgid\":\"the PDF is damaged\","
				  "\"args\":[]}");
	text = wq_err_record_text(kept);
	assert_string_equal(text, "the PDF is damaged");
	free(text);
	free(kept);
}

/* A translation may put the arguments in another order ("%2$s"). */
static void test_positional(void **state)
{
	char *text;

	(void)state;
	text = wq_err_record_text("{\"msgid\":\"%2$s, then %1$s (%3$d)\","
				  "\"args\":[\"first\",\"second\",\"3\"]}");
	assert_string_equal(text, "second, then first (3)");
	free(text);
}

/* What is not a kept detail reads as it is: text stored by an older
 * version, something that only looks like JSON. */
static void test_plain_text(void **state)
{
	static const char *const plain[] = {
		"no worker finished reading it in 3 attempts",
		"{not json", "{\"args\":[]}", "{\"msgid\":1,\"args\":[]}", "",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char *text = wq_err_record_text(plain[i]);

		assert_string_equal(text, plain[i]);
		free(text);
	}
}

/* An argument that is not UTF-8 cannot be kept: the caller keeps the
 * text. */
static void test_not_utf8(void **state)
{
	(void)state;
	wq_fail(WQ_ERR_IO, "%s: not a regular file", "\xff\xfe.png");
	assert_null(wq_err_record());
	wq_err_clear();
	assert_null(wq_err_record());
}

/* A caller puts its context before the detail of the failure it passes
 * on: wq_fail(err, "demo intake: %s", wq_err_detail()).  The demo's
 * million-case run printed "demo intake: demo intake: ers of 2026 are used
 * up" when the detail was formatted into itself. */
static void test_wraps_its_own_detail(void **state)
{
	char *kept, *text;

	(void)state;
	wq_fail(WQ_ERR_INVALID, "the case numbers of %d are used up (%s)",
		2026, "WQ-YYYY-NNNNNN");
	wq_fail(WQ_ERR_INVALID, "demo intake: %s", wq_err_detail());
	assert_string_equal(wq_err_detail(), "demo intake: the case numbers "
					     "of 2026 are used up "
					     "(WQ-YYYY-NNNNNN)");
	kept = wq_err_record();
	assert_non_null(kept);
	text = wq_err_record_text(kept);
	assert_string_equal(text, wq_err_detail());
	free(text);
	free(kept);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_without_arguments),
		cmocka_unit_test(test_positional),
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_wraps_its_own_detail),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
