/* libFuzzer target: the importer (src/transfer.c) and its round trip.
 *
 * Each input is imported as a CSV file and as a JSON file, its encoding
 * detected, into a database that holds no case.  Either the import fails
 * cleanly — nothing imported, and a message that names the file and holds
 * no byte a terminal would act on — or it succeeds, and then the export
 * is a fixed point: exported as CSV and JSON, each imported into a fresh
 * database and exported again gives the same bytes in both formats, and the
 * GB18030 export is the UTF-8 one re-encoded.  A broken promise aborts, so
 * libFuzzer keeps the input as a reproducer.
 *
 * The databases live in a temporary directory made once per process; a
 * fresh one is a copy of a template made at start, so most inputs (which
 * fail to parse) cost no database set-up at all. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "weiquan/encoding.h"
#include "weiquan/store.h"
#include "weiquan/transfer.h"
#include "weiquan/user.h"
#include "weiquan/wqtime.h"
#include "tests/unit/fixture.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static char *template_bytes;
static size_t template_len;
static struct wq_user admin;

static void violated(const char *what, const char *format)
{
	fprintf(stderr, "fuzz_import: %s (importing as %s)\n  detail: %s\n",
		what, format, wq_err_detail());
	abort();
}

static void fatal(const char *what)
{
	fprintf(stderr, "fuzz_import: set-up failed: %s: %s\n", what,
		wq_err_detail());
	exit(2);
}

static char *path_of(const char *name)
{
	static char paths[4][128];
	static int next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof paths[0], "%s/%s", dir, name);
	return p;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		fatal(path);
}

static char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;

	*len = 0;
	if (!f)
		fatal(path);
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			buf = realloc(buf, cap);
			if (!buf)
				fatal("out of memory");
		}
		size_t n = fread(buf + *len, 1, cap - *len, f);

		if (n == 0)
			break;
		*len += n;
	}
	fclose(f);
	return buf;
}

/* A database with the schema and an admin, and no case. */
static struct wq_store *fresh_store(const char *name)
{
	struct wq_store *store = NULL;
	char *path = path_of(name), side[160];

	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	write_file(path, template_bytes, template_len);
	if (wq_store_open(path, WQ_OPEN_EXISTING, &store))
		fatal(path);
	return store;
}

static void remove_dir(void)
{
	fixture_remove_dir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	struct wq_store *store = NULL;
	bool created;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof dir, "%s/wq-fuzz-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		fatal("mkdtemp");
	atexit(remove_dir);
	/* Imported cases without a received_at get this time: the same in
	 * every database, so exports compare. */
	wq_time_pin(1772442000);
	if (wq_store_open(path_of("template.db"), WQ_OPEN_INIT, &store) ||
	    wq_user_bootstrap(store, "admin", &created) ||
	    wq_user_lookup(store, "admin", &admin))
		fatal("template database");
	wq_store_close(&store);
	template_bytes = read_whole(path_of("template.db"), &template_len);
	return 0;
}

static int64_t count_cases(struct wq_store *store)
{
	struct wq_stmt *st;
	int64_t n = -1;

	if (wq_store_prepare_once(store,
				  "SELECT (SELECT count(*) FROM cases) +"
				  " (SELECT count(*) FROM statements) +"
				  " (SELECT count(*) FROM consumers)",
				  &st) != WQ_ERR_OK)
		fatal("count");
	if (wq_step(st) == WQ_ROW)
		n = wq_column_int64(st, 0);
	wq_store_finalize(store, st);
	return n;
}

/* No control character (C0, DEL, C1) and nothing but UTF-8: what a
 * terminal shows without acting on it. */
static bool shows_safely(const char *s)
{
	size_t len = strlen(s);

	if (!wq_utf8_valid(s, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7F ||
		    (c == 0xC2 && i + 1 < len &&
		     (unsigned char)s[i + 1] >= 0x80 &&
		     (unsigned char)s[i + 1] <= 0x9F))
			return false;
	}
	return true;
}

static char *export(struct wq_store *store, const char *format,
		    const char *encoding, size_t *len, int *count)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		fatal("open_memstream");
	if (wq_transfer_export(store, &admin, NULL, format, encoding, f, count))
		violated("export of imported cases failed", format);
	fclose(f);
	return buf;
}

static enum wq_err import(struct wq_store *store, const char *path,
			  const char *format, struct wq_import_result *res)
{
	struct wq_import_opts opts = {
	    .path = path,
	    .format = format,
	    .encoding = "auto",
	    .reason = "fuzzed migration"};

	return wq_transfer_import(store, &admin, &opts, res);
}

static void same(const char *a, size_t alen, const char *b, size_t blen,
		 const char *what, const char *format)
{
	if (alen != blen || memcmp(a, b, alen) != 0)
		violated(what, format);
}

/* The cases just imported into *store, exported, imported again into a
 * fresh database from each format, must export to the same bytes. */
static void check_round_trip(struct wq_store **store, int cases,
			     const char *format)
{
	struct wq_import_result res;
	size_t csv_len, json_len, gb_len, again_len, utf8_len;
	char *csv, *json, *gb, *again, *utf8;
	int count = 0;
	struct wq_store *copy;

	csv = export(*store, "csv", NULL, &csv_len, &count);
	if (count != cases)
		violated("export count differs from the import's", format);
	json = export(*store, "json", NULL, &json_len, &count);
	gb = export(*store, "csv", "gb18030", &gb_len, &count);
	if (wq_enc_to_utf8(gb, gb_len, WQ_ENC_GB18030, &utf8, &utf8_len))
		violated("the GB18030 export does not decode", format);
	same(csv, csv_len, utf8, utf8_len,
	     "the GB18030 export is not the UTF-8 export", format);
	free(utf8);
	free(gb);

	write_file(path_of("export.csv"), csv, csv_len);
	write_file(path_of("export.json"), json, json_len);
	for (int f = 0; f < 2; f++) {
		const char *from = f ? "json" : "csv";

		copy = fresh_store("copy.db");
		if (import(copy, path_of(f ? "export.json" : "export.csv"),
			   from, &res))
			violated(f ? "a JSON export does not import"
				   : "a CSV export does not import",
				 format);
		if (res.cases != cases)
			violated("re-import count differs", format);
		again = export(copy, "csv", NULL, &again_len, NULL);
		same(csv, csv_len, again, again_len,
		     f ? "JSON round trip changed the CSV export"
		       : "CSV round trip changed the CSV export",
		     format);
		free(again);
		again = export(copy, "json", NULL, &again_len, NULL);
		same(json, json_len, again, again_len,
		     f ? "JSON round trip changed the JSON export"
		       : "CSV round trip changed the JSON export",
		     format);
		free(again);
		wq_store_close(&copy);
	}
	free(csv);
	free(json);
	wq_store_close(store);
	*store = fresh_store("work.db");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wq_store *store;
	static const char *const formats[] = {"csv", "json"};

	if (!store)
		store = fresh_store("work.db");
	for (size_t k = 0; k < 2; k++) {
		const char *format = formats[k];
		const char *path = path_of(k ? "input.json" : "input.csv");
		struct wq_import_result res;
		enum wq_err err;

		write_file(path, data, size);
		err = import(store, path, format, &res);
		if (err) {
			const char *detail = wq_err_detail();

			if (res.cases != 0 || count_cases(store) != 0)
				violated("a failed import left cases behind",
					 format);
			if (!strstr(detail, path))
				violated("the error does not name the file",
					 format);
			if (!shows_safely(detail))
				violated("the error holds control characters "
					 "or bad bytes",
					 format);
			continue;
		}
		if (res.cases < 0 || strcmp(res.format, format) != 0)
			violated("the result is inconsistent", format);
		check_round_trip(&store, res.cases, format);
	}
	return 0;
}
