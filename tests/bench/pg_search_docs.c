/* The search index of a SQLite database as PostgreSQL's search_docs rows,
 * for tests/bench/pg_copy.sh: reads "CASE_ID<TAB>HEX" lines (a document's
 * case and its text's UTF-8 bytes in hex, as the sqlite3 shell's hex()
 * gives them: text may hold tabs and newlines) and writes COPY text lines
 * "DOC<TAB>TSVECTOR" with the tokens the PostgreSQL driver would have
 * stored (wq_fts_tsvector, the same tokenizer as SQLite's index).
 *
 * A document's number is its case id shifted left WQ_SEARCH_CASE_SHIFT
 * bits plus its ordinal in the case, counted here from 0 in the order the
 * lines come (statements, then evidence, each by id): a search reads only
 * the case from it, and the next document the core indexes takes the
 * ordinal after the case's count, as these do. */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weiquan/fts_cjk.h"
#include "weiquan/store.h"

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* COPY's text format reads a backslash as an escape and a tab or a line
 * end as the field's or the row's end. */
static void put_copy_text(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': fputs("\\\\", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		default: putchar(*s);
		}
	}
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0, ncounts = 0;
	ssize_t len;
	int64_t *counts = NULL, lineno = 0;

	while ((len = getline(&line, &cap, stdin)) > 0) {
		char *tab, *end, *text, *tokens;
		int64_t case_id;
		size_t n = 0;

		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		case_id = strtoll(line, &tab, 10);
		if (*tab != '\t' || case_id <= 0 ||
		    case_id > INT64_MAX >> WQ_SEARCH_CASE_SHIFT) {
			fprintf(stderr, "pg_search_docs: line %" PRId64
					": not CASE_ID<TAB>HEX\n",
				lineno);
			return 1;
		}
		text = tab + 1;
		end = text;
		/* Decoded in place: the text is half as long as its hex. */
		for (char *h = text; h[0] && h[1]; h += 2) {
			int hi = hex_value(h[0]), lo = hex_value(h[1]);

			if (hi < 0 || lo < 0) {
				fprintf(stderr,
					"pg_search_docs: line %" PRId64
					": not hex\n",
					lineno);
				return 1;
			}
			end[n++] = (char)(hi << 4 | lo);
		}
		end[n] = '\0';
		if ((size_t)case_id >= ncounts) {
			size_t grown = ((size_t)case_id + 1) * 2;

			counts = realloc(counts, grown * sizeof(*counts));
			if (!counts) {
				perror("pg_search_docs");
				return 1;
			}
			memset(counts + ncounts, 0,
			       (grown - ncounts) * sizeof(*counts));
			ncounts = grown;
		}
		if (counts[case_id] >= INT64_C(1) << WQ_SEARCH_CASE_SHIFT) {
			fprintf(stderr,
				"pg_search_docs: case %" PRId64
				" has more documents than a number holds\n",
				case_id);
			return 1;
		}
		tokens = wq_fts_tsvector(text);
		if (!tokens) {
			perror("pg_search_docs");
			return 1;
		}
		printf("%" PRId64 "\t",
		       (case_id << WQ_SEARCH_CASE_SHIFT) + counts[case_id]++);
		put_copy_text(tokens);
		putchar('\n');
		free(tokens);
	}
	free(line);
	free(counts);
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
