#include "config.h"

#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <strings.h>
#include <time.h>

#include "weiquan/case.h"
#include "weiquan/clean.h"
#include "weiquan/encoding.h"
#include "weiquan/transfer.h"
#include "weiquan/vocab.h"
#include "case_internal.h"
#include "util.h"

/* A million cases from another system fit (about 600 MB of CSV); larger
 * files are not an export, and refusing them keeps a mistaken path (a
 * disk image, a log) from eating the host's memory. */
#define MAX_IMPORT_BYTES (1u << 30)

static const char *const field_names[] = {
#define WQ_TF_NAME(f) [WQ_TF_##f] = #f,
	WQ_TRANSFER_FIELDS(WQ_TF_NAME)
#undef WQ_TF_NAME
};

const char *wq_transfer_field_name(enum wq_transfer_field field)
{
	return (unsigned)field < WQ_TF_COUNT_ ? field_names[field] : NULL;
}

/* JSON carries the amount as an integer number of fen, so a reader never
 * has to round a binary fraction. */
static const char *json_key(int f)
{
	return f == WQ_TF_amount ? "amount_fen" : field_names[f];
}

static const int required_fields[] = {
	WQ_TF_type, WQ_TF_category, WQ_TF_consumer_name, WQ_TF_merchant_name,
	WQ_TF_statement,
};

static bool is_required(int f)
{
	size_t n = sizeof(required_fields) / sizeof(required_fields[0]);

	for (size_t i = 0; i < n; i++)
		if (required_fields[i] == f)
			return true;
	return false;
}

/* Error details end up on a terminal: a value from the file is shown cut
 * short and with control characters replaced, so a hostile file cannot
 * send escape sequences through an error message. */
static void show_value(const char *s, char *out, size_t size)
{
	size_t n = 0, max = size - 4;
	const unsigned char *p = (const unsigned char *)s;

	while (*p && n < max) {
		size_t len = 1;

		if (*p >= 0xf0)
			len = 4;
		else if (*p >= 0xe0)
			len = 3;
		else if (*p >= 0xc0)
			len = 2;
		if (n + len > max)
			break;
		/* C0, DEL, and C1 (U+0080-U+009F: U+009B is a CSI). */
		if (*p < 0x20 || *p == 0x7f ||
		    (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)) {
			out[n++] = '?';
			p += *p == 0xc2 ? 2 : 1;
			continue;
		}
		for (size_t i = 0; i < len && *p; i++)
			out[n++] = (char)*p++;
	}
	out[n] = '\0';
	if (*p)
		strcat(out, "...");
}

/* The same for a message of the core, which may quote a value of the
 * file as it is (a status it does not know): control characters become
 * '?', in place. */
static void hide_controls(char *s)
{
	unsigned char *p = (unsigned char *)s, *q = p;

	while (*p) {
		if (*p < 0x20 || *p == 0x7f) {
			*q++ = '?';
			p++;
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			*q++ = '?';
			p += 2;
		} else {
			*q++ = *p++;
		}
	}
	*q = '\0';
}

/* wq_fail() formats into the buffer wq_err_detail() returns, so the detail
 * is copied before it is put behind a prefix. */
static enum wq_err prefix_detail(enum wq_err err, const char *prefix)
{
	char saved[1024];

	snprintf(saved, sizeof(saved), "%s", wq_err_detail());
	hide_controls(saved);
	if (!saved[0])
		snprintf(saved, sizeof(saved), "%s", wq_strerror(err));
	return wq_fail(err, "%s: %s", prefix, saved);
}

/* ---- values ---- */

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static bool valid_date(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !all_digits(s, 4) || !all_digits(s + 5, 2) || !all_digits(s + 8, 2))
		return false;
	y = num(s, 4);
	m = num(s + 5, 2);
	d = num(s + 8, 2);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29)
		return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	return true;
}

static bool valid_timestamp(const char *s)
{
	char date[11];

	if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    s[19] != 'Z' || !all_digits(s + 11, 2) || !all_digits(s + 14, 2) ||
	    !all_digits(s + 17, 2))
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	return valid_date(date) && num(s + 11, 2) < 24 && num(s + 14, 2) < 60 &&
	       num(s + 17, 2) < 60;
}

/* Yuan with at most two decimals, as a desk types it: "1299", "1299.5",
 * "1299.00".  No thousands separators: "12,5" is ambiguous between a
 * European decimal comma and a typo. */
static bool parse_yuan(const char *s, int64_t *fen)
{
	const char *dot = strchr(s, '.');
	size_t whole = dot ? (size_t)(dot - s) : strlen(s);
	size_t frac = dot ? strlen(dot + 1) : 0;
	int64_t v = 0;

	/* Twelve digits keep the sum below from overflowing. */
	if (whole == 0 || whole > 12 || !all_digits(s, whole))
		return false;
	if (dot && (frac < 1 || frac > 2 || !all_digits(dot + 1, frac)))
		return false;
	for (size_t i = 0; i < whole; i++)
		v = v * 10 + (s[i] - '0');
	v *= 100;
	if (frac >= 1)
		v += (dot[1] - '0') * 10;
	if (frac == 2)
		v += dot[2] - '0';
	*fen = v;
	return true;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Byte offset of the k-th character. */
static size_t char_offset(const char *s, size_t k)
{
	size_t i = 0;

	for (size_t n = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && n++ == k)
			break;
	}
	return i;
}

/* Keeps the first head and last tail characters (not bytes: a phone field
 * may hold full-width digits).  Values too short to hide anything in are
 * starred out entirely. */
static char *mask(const char *s, size_t head, size_t tail)
{
	size_t chars = utf8_chars(s), from, to;
	struct wq_buf b = {0};

	wq_buf_add(&b, "", 0);
	if (chars <= head + tail) {
		for (size_t i = 0; i < chars; i++)
			wq_buf_add(&b, "*", 1);
		return b.data;
	}
	from = char_offset(s, head);
	to = char_offset(s, chars - tail);
	wq_buf_add(&b, s, from);
	for (size_t i = 0; i < chars - head - tail; i++)
		wq_buf_add(&b, "*", 1);
	wq_buf_puts(&b, s + to);
	return b.data;
}

/* ---- records read from a file ---- */

struct record {
	int at;                      /* CSV: physical line; JSON: index */
	char *v[WQ_TF_COUNT_];       /* NULL when empty or absent */
	int64_t amount_fen;
};

struct source {
	const char *path;
	const char *reason;      /* wq_import_opts.reason */
	bool json;
	struct record *recs;
	size_t count, cap;
};

static void location(const struct source *src, int at, char *out, size_t size)
{
	if (src->json)
		snprintf(out, size, "%s:[%d]", src->path, at);
	else
		snprintf(out, size, "%s:%d", src->path, at);
}

static enum wq_err field_error(const struct source *src, int at, int f,
			       const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum wq_err field_error(const struct source *src, int at, int f,
			       const char *fmt, ...)
{
	char loc[512], what[512];
	va_list ap;

	location(src, at, loc, sizeof(loc));
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), wq_text(fmt), ap);
	va_end(ap);
	return wq_fail(WQ_ERR_PARSE, N_("%s: field %s: %s"), loc,
		       src->json ? json_key(f) : field_names[f], what);
}

static struct record *new_record(struct source *src, int at)
{
	struct record *r;

	if (src->count == src->cap) {
		src->cap = src->cap ? src->cap * 2 : 64;
		src->recs = wq_xrealloc(src->recs,
					src->cap * sizeof(*src->recs));
	}
	r = &src->recs[src->count++];
	memset(r, 0, sizeof(*r));
	r->at = at;
	return r;
}

static void free_records(struct source *src)
{
	for (size_t i = 0; i < src->count; i++)
		for (int f = 0; f < WQ_TF_COUNT_; f++)
			free(src->recs[i].v[f]);
	free(src->recs);
	src->recs = NULL;
	src->count = src->cap = 0;
}

/* Stores one text value; both readers come through here so a value means
 * the same whichever format carried it. */
static enum wq_err set_value(struct source *src, struct record *r, int f,
			     const char *s, size_t len)
{
	char shown[64];

	if (memchr(s, '\0', len))
		return field_error(src, r->at, f, N_("contains a NUL character"));
	if (!wq_utf8_valid(s, len))
		return field_error(src, r->at, f, N_("is not valid text"));
	if (len == 0)
		return WQ_ERR_OK;
	r->v[f] = wq_strndup(s, len);
	if (f == WQ_TF_amount) {
		show_value(r->v[f], shown, sizeof(shown));
		if (!parse_yuan(r->v[f], &r->amount_fen))
			return field_error(src, r->at, f,
					   N_("\"%s\" is not an amount in yuan "
					      "(like 1299.00)"),
					   shown);
		if (r->amount_fen > WQ_AMOUNT_MAX_FEN)
			return field_error(src, r->at, f,
					   N_("\"%s\" is more than %" PRId64
					      " yuan"),
					   shown, WQ_AMOUNT_MAX_FEN / 100);
	}
	return WQ_ERR_OK;
}

/* What neither format's syntax checks: required fields and the shape of
 * the values the core would otherwise refuse without naming the line. */
static enum wq_err check_record(struct source *src, struct record *r)
{
	char shown[64];

	for (int f = 0; f < WQ_TF_COUNT_; f++) {
		if (!r->v[f] && is_required(f))
			return field_error(src, r->at, f, N_("is required"));
	}
	if (wq_statement_too_long(r->v[WQ_TF_statement]))
		return field_error(src, r->at, WQ_TF_statement,
				   N_("longer than %d characters; attach longer "
				      "texts as evidence"),
				   WQ_STATEMENT_MAX_CHARS);
	show_value(r->v[WQ_TF_type], shown, sizeof(shown));
	if (!wq_word_in(r->v[WQ_TF_type], WQ_CASE_TYPES))
		return field_error(src, r->at, WQ_TF_type,
				   N_("\"%s\" is not one of: %s"), shown,
				   WQ_CASE_TYPES);
	if (r->v[WQ_TF_remedy] && !wq_word_in(r->v[WQ_TF_remedy], WQ_REMEDIES)) {
		show_value(r->v[WQ_TF_remedy], shown, sizeof(shown));
		return field_error(src, r->at, WQ_TF_remedy,
				   N_("\"%s\" is not one of: %s"), shown,
				   WQ_REMEDIES);
	}
	if (r->v[WQ_TF_order_date] && !valid_date(r->v[WQ_TF_order_date])) {
		show_value(r->v[WQ_TF_order_date], shown, sizeof(shown));
		return field_error(src, r->at, WQ_TF_order_date,
				   N_("\"%s\" is not a date (YYYY-MM-DD)"), shown);
	}
	if (r->v[WQ_TF_received_at] &&
	    !valid_timestamp(r->v[WQ_TF_received_at])) {
		show_value(r->v[WQ_TF_received_at], shown, sizeof(shown));
		return field_error(src, r->at, WQ_TF_received_at,
				   N_("\"%s\" is not a UTC time "
				      "(YYYY-MM-DDTHH:MM:SSZ)"),
				   shown);
	}
	return WQ_ERR_OK;
}

/* ---- CSV ---- */

struct csv_reader {
	struct source *src;
	enum wq_err err;
	int line;                /* physical line being fed to the parser */
	int rec_line;            /* where the record being parsed started */
	bool in_record;
	unsigned long ended;     /* records ended so far */
	char **cells;
	size_t *cell_len;
	size_t ncells, cap;
	int *column_field;       /* the header: field of each column */
	size_t ncolumns;
	bool have_header;
};

static void csv_on_field(void *s, size_t len, void *data)
{
	struct csv_reader *rd = data;

	if (rd->err)
		return;
	if (rd->ncells == rd->cap) {
		rd->cap = rd->cap ? rd->cap * 2 : 32;
		rd->cells = wq_xrealloc(rd->cells,
					rd->cap * sizeof(*rd->cells));
		rd->cell_len = wq_xrealloc(rd->cell_len,
					   rd->cap * sizeof(*rd->cell_len));
	}
	rd->cells[rd->ncells] = wq_strndup(s ? s : "", s ? len : 0);
	rd->cell_len[rd->ncells] = s ? len : 0;
	rd->ncells++;
}

static enum wq_err csv_header(struct csv_reader *rd)
{
	const char *path = rd->src->path;
	bool seen[WQ_TF_COUNT_] = {false};
	char shown[64];

	rd->column_field = wq_xcalloc(rd->ncells, sizeof(int));
	rd->ncolumns = rd->ncells;
	for (size_t c = 0; c < rd->ncells; c++) {
		int f;

		for (f = 0; f < WQ_TF_COUNT_; f++)
			if (strcmp(rd->cells[c], field_names[f]) == 0)
				break;
		show_value(rd->cells[c], shown, sizeof(shown));
		if (f == WQ_TF_COUNT_)
			return wq_fail(WQ_ERR_PARSE,
				       N_("%s:%d: unknown column \"%s\""), path,
				       rd->rec_line, shown);
		if (seen[f])
			return wq_fail(WQ_ERR_PARSE,
				       N_("%s:%d: column \"%s\" appears twice"),
				       path, rd->rec_line, shown);
		seen[f] = true;
		rd->column_field[c] = f;
	}
	/* Optional columns may be left out (a file from another system
	 * has no substate); the ones intake requires may not. */
	for (int f = 0; f < WQ_TF_COUNT_; f++) {
		if (!seen[f] && is_required(f))
			return wq_fail(WQ_ERR_PARSE,
				       N_("%s:%d: missing column \"%s\""), path,
				       rd->rec_line, field_names[f]);
	}
	rd->have_header = true;
	return WQ_ERR_OK;
}

static enum wq_err csv_record(struct csv_reader *rd)
{
	struct record *r;
	enum wq_err err;

	if (!rd->have_header)
		return csv_header(rd);
	if (rd->ncells != rd->ncolumns)
		return wq_fail(WQ_ERR_PARSE,
			       N_("%s:%d: %zu fields, but the header has %zu "
				  "columns"),
			       rd->src->path, rd->rec_line, rd->ncells,
			       rd->ncolumns);
	r = new_record(rd->src, rd->rec_line);
	for (size_t c = 0; c < rd->ncells; c++) {
		err = set_value(rd->src, r, rd->column_field[c], rd->cells[c],
				rd->cell_len[c]);
		if (err)
			return err;
	}
	return check_record(rd->src, r);
}

static void csv_on_record(int c, void *data)
{
	struct csv_reader *rd = data;

	(void)c;
	rd->ended++;
	if (!rd->err)
		rd->err = csv_record(rd);
	for (size_t i = 0; i < rd->ncells; i++)
		free(rd->cells[i]);
	rd->ncells = 0;
}

/* RFC 4180: spaces belong to the field.  libcsv would trim them by default,
 * and a name's leading space would not survive a round trip. */
static int csv_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Where a malformed record goes wrong, found by reading it again as RFC
 * 4180 from its first line: libcsv stops where the damage shows, which
 * for a quote left open is wherever the next quote happens to be. */
struct csv_fault {
	int line;        /* where the field at fault starts */
	size_t column;   /* 0-based */
	bool unclosed;   /* its opening quote is never matched */
	int shows_at;    /* the line where the stray text after its closing
			    quote is (when not unclosed) */
};

static struct csv_fault csv_find_fault(const char *p, const char *end,
				       int line)
{
	struct csv_fault f = {line, 0, false, line};

	while (p < end) {
		f.line = line;
		if (*p == '"') {
			for (p++;; p++) {
				if (p >= end) {
					f.unclosed = true;
					return f;
				}
				if (*p == '"' && p + 1 < end && p[1] == '"')
					p++;
				else if (*p == '"')
					break;
				else if (*p == '\n')
					line++;
			}
			p++;
			if (p < end && *p != ',' && *p != '\r' && *p != '\n') {
				f.shows_at = line;
				return f;
			}
		} else {
			while (p < end && *p != ',' && *p != '\r' &&
			       *p != '\n') {
				if (*p == '"') {
					f.shows_at = line;
					return f;
				}
				p++;
			}
		}
		if (p < end && *p == ',') {
			p++;
			f.column++;
			continue;
		}
		/* The end of a record: the next starts on the next line. */
		if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
			p++;
		if (p < end) {
			p++;
			line++;
			f.column = 0;
		}
	}
	return f;
}

static enum wq_err csv_fault_error(const struct csv_reader *rd,
				   const char *rec_start, const char *end)
{
	struct csv_fault f = csv_find_fault(rec_start, end, rd->rec_line);
	char column[64];

	if (rd->have_header && f.column < rd->ncolumns)
		snprintf(column, sizeof(column), wq_text(N_("field %s")),
			 field_names[rd->column_field[f.column]]);
	else
		snprintf(column, sizeof(column), wq_text(N_("column %zu")),
			 f.column + 1);
	if (f.unclosed)
		return wq_fail(WQ_ERR_PARSE,
			       N_("%s:%d: %s: a quoted field starts here and is "
				  "never closed"),
			       rd->src->path, f.line, column);
	if (f.shows_at != f.line)
		return wq_fail(WQ_ERR_PARSE,
			       N_("%s:%d: %s: a quoted field starts here and is "
				  "not closed on its line (a closing quote "
				  "missing?): the next quote, on line %d, is "
				  "followed by more text"),
			       rd->src->path, f.line, column, f.shows_at);
	return wq_fail(WQ_ERR_PARSE,
		       N_("%s:%d: %s: malformed CSV: a double quote may only "
			  "open a field, close it, or be doubled inside a "
			  "quoted field"),
		       rd->src->path, f.line, column);
}

/* libcsv reports records but not where they are, so the text is fed one
 * physical line at a time: a record starts on the first line fed while no
 * record is open, and is still open after a line that ended none. */
static enum wq_err read_csv(struct source *src, const char *text, size_t len)
{
	struct csv_parser parser;
	struct csv_reader rd = {.src = src};
	const char *p = text, *end = text + len, *rec_start = text;
	enum wq_err err = WQ_ERR_OK;

	if (csv_init(&parser,
		     CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return wq_fail(WQ_ERR_NOMEM, N_("out of memory"));
	csv_set_space_func(&parser, csv_no_space);
	for (rd.line = 1; p < end && !rd.err; rd.line++) {
		const char *q = p;
		unsigned long before = rd.ended;
		bool content = false;

		while (q < end && *q != '\n' && *q != '\r')
			q++;
		content = q > p;
		if (q < end && *q == '\r' && q + 1 < end && q[1] == '\n')
			q++;
		if (q < end)
			q++;
		if (!rd.in_record) {
			rd.rec_line = rd.line;
			rec_start = p;
		}
		if (csv_parse(&parser, p, (size_t)(q - p), csv_on_field,
			      csv_on_record, &rd) != (size_t)(q - p)) {
			if (rd.err)
				break;
			if (csv_error(&parser) == CSV_EPARSE)
				err = csv_fault_error(&rd, rec_start, q);
			else
				err = wq_fail(WQ_ERR_NOMEM,
					      N_("%s: out of memory while "
						 "reading it"),
					      src->path);
			break;
		}
		if (rd.ended == before)
			rd.in_record = rd.in_record || content;
		else
			rd.in_record = false;
		p = q;
	}
	if (!err && !rd.err &&
	    csv_fini(&parser, csv_on_field, csv_on_record, &rd) != 0)
		err = csv_fault_error(&rd, rec_start, end);
	if (!err)
		err = rd.err;
	if (!err && !rd.have_header)
		err = wq_fail(WQ_ERR_PARSE, N_("%s: empty file, no header row"),
			      src->path);
	for (size_t i = 0; i < rd.ncells; i++)
		free(rd.cells[i]);
	free(rd.cells);
	free(rd.cell_len);
	free(rd.column_field);
	csv_free(&parser);
	return err;
}

/* ---- JSON ---- */

/* JSON's types in the words the messages use. */
static const char *json_type_word(const json_t *v)
{
	const char *word;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		word = NC_("json", "object");
		break;
	case JSON_ARRAY:
		word = NC_("json", "array");
		break;
	case JSON_STRING:
		word = NC_("json", "text");
		break;
	case JSON_INTEGER:
		word = NC_("json", "integer");
		break;
	case JSON_REAL:
		word = NC_("json", "real");
		break;
	case JSON_TRUE:
		word = NC_("json", "true");
		break;
	case JSON_FALSE:
		word = NC_("json", "false");
		break;
	default:
		word = NC_("json", "null");
		break;
	}
	return wq_code_label("json", word);
}

static size_t skip_space(const char *text, size_t len, size_t pos)
{
	while (pos < len && (text[pos] == ' ' || text[pos] == '\t' ||
			     text[pos] == '\r' || text[pos] == '\n'))
		pos++;
	return pos;
}

/* The line and column (in characters) of byte offset off, as Jansson
 * counts them: the column is the characters read on the line. */
static void text_position(const char *text, size_t off, int *line,
			  int *column)
{
	*line = 1;
	*column = 0;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*column = 0;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			(*column)++;
		}
	}
}

static int field_of_key(const char *key)
{
	int f;

	for (f = 0; f < WQ_TF_COUNT_; f++)
		if (strcmp(key, json_key(f)) == 0)
			break;
	return f;
}

/* Jansson's words on an error quote the file ("near '...'"), cut at a
 * byte count that may split a character: shown as the console would show
 * them, and cut short. */
static void json_error_words(const json_error_t *jerr, char *out, size_t size)
{
	char *clean = wq_clean_text(jerr->text, strlen(jerr->text), 0);

	show_value(clean, out, size);
	free(clean);
}

/* Where in a record's text Jansson stopped at an error (n bytes in): the
 * member it was reading, and where that member's value starts (0 if it
 * had not started).  The text before n is JSON as far as it goes. */
struct json_spot {
	bool have_key;
	char key[64];      /* shown as show_value() shows a value */
	size_t value_at;
};

static void record_spot(const char *s, size_t n, struct json_spot *sp)
{
	int depth = 0;
	bool want_key = false;

	memset(sp, 0, sizeof(*sp));
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '"') {
			size_t j = i + 1;

			while (j < n && s[j] != '"')
				j += s[j] == '\\' ? 2 : 1;
			if (depth == 1 && want_key) {
				json_t *k = NULL;
				char *raw;

				want_key = false;
				if (j >= n)
					return;      /* in the key itself */
				raw = wq_strndup(s + i, j + 1 - i);
				k = json_loads(raw, JSON_DECODE_ANY |
						       JSON_ALLOW_NUL, NULL);
				show_value(json_is_string(k)
						   ? json_string_value(k)
						   : raw,
					   sp->key, sizeof(sp->key));
				json_decref(k);
				free(raw);
				sp->have_key = true;
				sp->value_at = 0;
			} else if (depth == 1 && sp->have_key && !sp->value_at) {
				sp->value_at = i;
			}
			i = j;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == 1 && sp->have_key && !sp->value_at)
				sp->value_at = i;
			if (++depth == 1)
				want_key = true;
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (depth == 1 && c == ',') {
			want_key = true;
			sp->have_key = false;
			sp->value_at = 0;
		} else if (depth == 1 && sp->have_key && !sp->value_at &&
			   c != ':' && c != ' ' && c != '\t' && c != '\r' &&
			   c != '\n') {
			sp->value_at = i;
		}
	}
}

/* Jansson's error in record [at], which starts at byte start of text:
 * named by record and field, with the line and column in the file. */
static enum wq_err record_json_error(const struct source *src,
				     const char *text, size_t len, size_t start,
				     int at, const json_error_t *jerr)
{
	struct json_spot sp;
	size_t n = jerr->position > 0 ? (size_t)jerr->position : 0;
	char why[sizeof(jerr->text) * 2], loc[512];
	int line, column, f;

	record_spot(text + start, n, &sp);
	text_position(text, start + n, &line, &column);
	json_error_words(jerr, why, sizeof(why));
	location(src, at, loc, sizeof(loc));
	f = sp.have_key ? field_of_key(sp.key) : WQ_TF_COUNT_;
	switch (json_error_code(jerr)) {
	case json_error_duplicate_key:
		if (sp.have_key)
			return wq_fail(WQ_ERR_PARSE,
				       N_("%s: key \"%s\" appears twice"), loc,
				       sp.key);
		break;
	case json_error_null_byte_in_key:
		return wq_fail(WQ_ERR_PARSE,
			       N_("%s: a key contains a NUL character"), loc);
	case json_error_numeric_overflow:
		/* Too large for 64 bits or a double: an amount says so in
		 * its own words. */
		if (f == WQ_TF_amount && sp.value_at) {
			const char *v = text + start + sp.value_at;
			size_t vlen = 0;
			bool real;

			while (start + sp.value_at + vlen < len && v[vlen] &&
			       strchr("-+0123456789.eE", v[vlen]))
				vlen++;
			real = memchr(v, '.', vlen) || memchr(v, 'e', vlen) ||
			       memchr(v, 'E', vlen);
			if (real || *v == '-')
				return field_error(
					src, at, f,
					N_("%s is not a whole, non-negative "
					   "number of fen"),
					wq_code_label("json", real ? "real"
								   : "integer"));
			return field_error(src, at, f,
					   N_("more than %" PRId64
					      " yuan (%" PRId64 " fen)"),
					   WQ_AMOUNT_MAX_FEN / 100,
					   WQ_AMOUNT_MAX_FEN);
		}
		break;
	default:
		break;
	}
	if (f < WQ_TF_COUNT_)
		return field_error(src, at, f,
				   N_("not valid JSON (line %d, column %d: "
				      "%s)"),
				   line, column, why);
	return wq_fail(WQ_ERR_PARSE,
		       N_("%s: not valid JSON (line %d, column %d: %s)"), loc,
		       line, column, why);
}

static enum wq_err json_object_record(struct source *src, int at,
				      json_t *obj)
{
	struct record *r = new_record(src, at);
	const char *key;
	json_t *value;
	char loc[512], shown[64];
	enum wq_err err = WQ_ERR_OK;

	/* Jansson keeps the members in the file's order and has refused a
	 * key given twice or holding a NUL. */
	json_object_foreach(obj, key, value) {
		int f = field_of_key(key);

		if (f == WQ_TF_COUNT_) {
			location(src, at, loc, sizeof(loc));
			show_value(key, shown, sizeof(shown));
			if (strcmp(key, "amount") == 0)
				return wq_fail(WQ_ERR_PARSE,
					       N_("%s: unknown key \"%s\" "
						  "(JSON gives amount_fen, an "
						  "integer)"),
					       loc, shown);
			return wq_fail(WQ_ERR_PARSE,
				       N_("%s: unknown key \"%s\""), loc,
				       shown);
		}
		if (json_is_null(value))
			continue;
		if (f == WQ_TF_amount) {
			if (!json_is_integer(value) ||
			    json_integer_value(value) < 0)
				return field_error(
					src, at, f,
					N_("%s is not a whole, non-negative "
					   "number of fen"),
					json_type_word(value));
			if (json_integer_value(value) > WQ_AMOUNT_MAX_FEN)
				return field_error(src, at, f,
						   N_("more than %" PRId64
						      " yuan (%" PRId64
						      " fen)"),
						   WQ_AMOUNT_MAX_FEN / 100,
						   WQ_AMOUNT_MAX_FEN);
			r->amount_fen = json_integer_value(value);
			/* Kept as yuan text so a record from either format
			 * looks the same to the rest of the import. */
			r->v[f] = wq_asprintf("%" PRId64 ".%02d",
					      r->amount_fen / 100,
					      (int)(r->amount_fen % 100));
			continue;
		}
		if (!json_is_string(value))
			return field_error(src, at, f,
					   N_("expected a string, found %s"),
					   json_type_word(value));
		/* A \u0000 escape is read (JSON_ALLOW_NUL) so that set_value()
		 * refuses it by its field. */
		err = set_value(src, r, f, json_string_value(value),
				json_string_length(value));
		if (err)
			return err;
	}
	return check_record(src, r);
}

/* Only white space may follow the array. */
static enum wq_err json_after_array(const struct source *src,
				    const char *text, size_t len, size_t pos)
{
	int line, column;

	pos = skip_space(text, len, pos);
	if (pos == len)
		return WQ_ERR_OK;
	text_position(text, pos + 1, &line, &column);
	return wq_fail(WQ_ERR_PARSE,
		       N_("%s: not valid JSON (line %d, column %d): text "
			  "follows the array's closing ']'"),
		       src->path, line, column);
}

/* Jansson reads the records one at a time (JSON_DISABLE_EOF_CHECK stops
 * after each object): a file of a million cases never becomes one tree in
 * memory, and an error is named by its record.  The array around them is
 * only brackets and commas. */
static enum wq_err read_json(struct source *src, const char *text,
			     size_t len)
{
	json_error_t jerr;
	json_t *v;
	enum wq_err err;
	size_t pos = skip_space(text, len, 0);
	int line, column, at;

	if (pos == len || text[pos] != '[') {
		v = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
			       &jerr);
		if (!v) {
			char why[sizeof(jerr.text) * 2];

			json_error_words(&jerr, why, sizeof(why));
			return wq_fail(WQ_ERR_PARSE,
				       N_("%s: not valid JSON (line %d, column "
					  "%d: %s)"),
				       src->path, jerr.line, jerr.column, why);
		}
		err = wq_fail(WQ_ERR_PARSE,
			      N_("%s: expected an array of case objects, "
				 "found %s"),
			      src->path, json_type_word(v));
		json_decref(v);
		return err;
	}
	pos = skip_space(text, len, pos + 1);
	if (pos < len && text[pos] == ']')
		return json_after_array(src, text, len, pos + 1);
	for (at = 0;; at++) {
		pos = skip_space(text, len, pos);
		if (pos < len && text[pos] != '{') {
			v = json_loadb(text + pos, len - pos,
				       JSON_DECODE_ANY |
					       JSON_DISABLE_EOF_CHECK |
					       JSON_ALLOW_NUL,
				       &jerr);
			if (!v)
				return record_json_error(src, text, len, pos,
							 at, &jerr);
			err = wq_fail(WQ_ERR_PARSE,
				      N_("%s:[%d]: expected an object, found "
					 "%s"),
				      src->path, at, json_type_word(v));
			json_decref(v);
			return err;
		}
		v = json_loadb(text + pos, len - pos,
			       JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES |
				       JSON_ALLOW_NUL,
			       &jerr);
		if (!v)
			return record_json_error(src, text, len, pos, at,
						 &jerr);
		err = json_object_record(src, at, v);
		json_decref(v);
		if (err)
			return err;
		pos = skip_space(text, len, pos + (size_t)jerr.position);
		if (pos < len && text[pos] == ',') {
			pos++;
			continue;
		}
		if (pos < len && text[pos] == ']')
			return json_after_array(src, text, len, pos + 1);
		if (pos == len) {
			text_position(text, pos, &line, &column);
			return wq_fail(WQ_ERR_PARSE,
				       N_("%s: not valid JSON (line %d, column "
					  "%d): the array ends without its "
					  "closing ']'"),
				       src->path, line, column);
		}
		text_position(text, pos + 1, &line, &column);
		return wq_fail(WQ_ERR_PARSE,
			       N_("%s: not valid JSON (line %d, column %d): "
				  "record [%d] is followed by neither ',' nor "
				  "']'"),
			       src->path, line, column, at);
	}
}

/* ---- import ---- */

static const char *extension_format(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');

	if (dot && strcasecmp(dot, ".csv") == 0)
		return "csv";
	if (dot && strcasecmp(dot, ".json") == 0)
		return "json";
	return NULL;
}

/* A JSON export starts with '['; a CSV header with a column name. */
static const char *sniff_format(const char *text)
{
	while (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')
		text++;
	return *text == '[' || *text == '{' ? "json" : "csv";
}

/* Where in the file the text before offset ends: its line, and the field
 * it is in (CSV: the header's name of the column, JSON: the last key).
 * text holds the file's first len bytes, decoded; they are valid. */
static void locate(const char *text, size_t len, bool json, int *line,
		   char *field, size_t size)
{
	const char *names[WQ_TF_COUNT_ + 1] = {NULL};
	size_t column = 0, names_len[WQ_TF_COUNT_ + 1] = {0};
	const char *cell = text, *key = NULL;
	size_t key_len = 0;
	bool quoted = false, header = true;

	*line = 1;
	snprintf(field, size, "%s", json ? "" : wq_text(N_("column 1")));
	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (c == '\n')
			(*line)++;
		if (json) {
			/* The last string followed by ':' is the key. */
			size_t j;

			if (c != '"')
				continue;
			for (j = i + 1; j < len && text[j] != '"'; j++)
				if (text[j] == '\\')
					j++;
			if (j >= len)
				break;
			for (size_t k = i + 1; k < j; k++)
				if (text[k] == '\n')
					(*line)++;
			key = text + i + 1;
			key_len = j - i - 1;
			i = j;
			for (j++; j < len && strchr(" \t\r\n", text[j]); j++)
				;
			if (j < len && text[j] != ':')
				key = NULL;
			continue;
		}
		if (c == '"') {
			quoted = !quoted;
		} else if (!quoted && (c == ',' || c == '\n')) {
			if (header && column < WQ_TF_COUNT_ + 1) {
				names[column] = cell;
				names_len[column] = (size_t)(text + i - cell);
				if (i > 0 && c == '\n' && text[i - 1] == '\r')
					names_len[column]--;
			}
			if (c == '\n') {
				header = false;
				column = 0;
			} else {
				column++;
			}
			cell = text + i + 1;
		}
	}
	if (json) {
		if (key)
			snprintf(field, size, wq_text(N_("field %.*s")), (int)key_len,
				 key);
		return;
	}
	if (!header && column < WQ_TF_COUNT_ + 1 && names[column])
		snprintf(field, size, wq_text(N_("field %.*s")),
			 (int)names_len[column],
			 names[column]);
	else
		snprintf(field, size, wq_text(N_("column %zu")), column + 1);
}

/* An encoding error names the line and field it is in, not just the
 * byte offset, which no desk's editor shows. */
static enum wq_err encoding_error(const struct wq_import_opts *opts,
				  const char *raw, size_t raw_len,
				  enum wq_encoding enc, bool given)
{
	size_t bad = wq_enc_first_invalid(raw, raw_len, enc), len = 0;
	char saved[1024], field[96], shown[80], *text = NULL;
	const char *format = opts->format ? opts->format
					  : extension_format(opts->path);
	int line = 1;

	/* The decoder's own words on what is wrong there. */
	if (wq_enc_to_utf8(raw, raw_len, enc, &text, NULL) == WQ_ERR_OK)
		snprintf(saved, sizeof(saved), wq_text(N_("offset %zu")), bad);
	else
		snprintf(saved, sizeof(saved), "%s", wq_err_detail());
	free(text);
	text = NULL;
	if (bad > raw_len)
		bad = raw_len;
	if (wq_enc_to_utf8(raw, bad, enc, &text, &len) != WQ_ERR_OK) {
		text = NULL;
		len = 0;
	}
	if (!format)
		format = sniff_format(text ? text : "");
	locate(text ? text : "", len, strcmp(format, "json") == 0, &line,
	       field, sizeof(field));
	free(text);
	show_value(field, shown, sizeof(shown));
	hide_controls(saved);
	if (given)
		return wq_fail(WQ_ERR_ENCODING,
			       N_("%s:%d:%s%s: not %s as --encoding says (%s); "
				  "try --encoding auto"),
			       opts->path, line, *shown ? " " : "", shown,
			       wq_enc_name(enc), saved);
	return wq_fail(WQ_ERR_ENCODING, "%s:%d:%s%s: %s", opts->path, line,
		       *shown ? " " : "", shown, saved);
}

static enum wq_err decode(const struct wq_import_opts *opts, const char *raw,
			  size_t raw_len, struct wq_import_result *res,
			  char **text, size_t *len)
{
	bool detect = !opts->encoding || strcmp(opts->encoding, "auto") == 0;
	enum wq_encoding enc;
	enum wq_err err;

	if (detect) {
		enc = wq_enc_detect(raw, raw_len);
		/* Detection calls text dense with control characters binary,
		 * but statements may hold them (a pasted terminal log), so
		 * an export of such cases is still UTF-8 and must import. */
		if (enc == WQ_ENC_BINARY && !memchr(raw, '\0', raw_len) &&
		    wq_utf8_valid(raw, raw_len))
			enc = WQ_ENC_UTF8;
		if (enc == WQ_ENC_BINARY)
			return wq_fail(WQ_ERR_ENCODING,
				       N_("%s is not a text file (if it is one, "
					  "name its encoding with --encoding)"),
				       opts->path);
		/* Where it stops being UTF-8 is where a desk should look
		 * first: most files are UTF-8 with one bad byte pasted in. */
		if (enc == WQ_ENC_UNKNOWN) {
			char saved[1024];

			encoding_error(opts, raw, raw_len, WQ_ENC_UTF8, false);
			snprintf(saved, sizeof(saved), "%s", wq_err_detail());
			return wq_fail(WQ_ERR_ENCODING,
				       N_("%s; the file is in none of the "
					  "encodings weiquan recognises (UTF-8, "
					  "GB18030, Big5); name it with "
					  "--encoding"),
				       saved);
		}
	} else {
		err = wq_enc_parse(opts->encoding, &enc);
		if (err)
			return err;
	}
	snprintf(res->encoding, sizeof(res->encoding), "%s", wq_enc_name(enc));
	err = wq_enc_to_utf8(raw, raw_len, enc, text, len);
	if (err == WQ_ERR_ENCODING)
		return encoding_error(opts, raw, raw_len, enc, !detect);
	if (err)
		return prefix_detail(err, opts->path);
	return WQ_ERR_OK;
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static void to_intake(const struct source *src, const struct record *r,
		      struct wq_intake *in)
{
	const char *const *v = (const char *const *)r->v;

	*in = (struct wq_intake){
		.number = or_null(v[WQ_TF_number]),
		.type = v[WQ_TF_type],
		.category = v[WQ_TF_category],
		.region = v[WQ_TF_region],
		.consumer_name = v[WQ_TF_consumer_name],
		.consumer_phone = v[WQ_TF_consumer_phone],
		.consumer_id_number = v[WQ_TF_consumer_id_number],
		.merchant_name = v[WQ_TF_merchant_name],
		.merchant_platform = v[WQ_TF_merchant_platform],
		.merchant_shop_id = v[WQ_TF_merchant_shop_id],
		.merchant_region = v[WQ_TF_merchant_region],
		.order_no = v[WQ_TF_order_no],
		.amount_fen = r->amount_fen,
		.order_date = v[WQ_TF_order_date],
		.remedy = v[WQ_TF_remedy],
		.statement = v[WQ_TF_statement],
		.received_at = v[WQ_TF_received_at],
		.received_at_reason = src->reason,
		.status = v[WQ_TF_status],
		.substate = v[WQ_TF_substate],
		.assignee = v[WQ_TF_assignee],
	};
}

/* Checks one record against the database and the core's rules, writing
 * nothing: every record is checked before the first is written. */
static enum wq_err check_against_store(struct wq_store *store,
				       const struct wq_user *actor,
				       const struct source *src,
				       const struct record *r,
				       struct wq_stmt *category,
				       struct wq_stmt *user)
{
	struct wq_intake in;
	char loc[512], shown[64];
	int64_t id;
	enum wq_err err;
	int rc;

	to_intake(src, r, &in);
	location(src, r->at, loc, sizeof(loc));
	if (in.number && !wq_case_number_valid(in.number))
		return field_error(src, r->at, WQ_TF_number,
				   N_("not a case number (%s)"),
				   WQ_CASE_NUMBER_FORMAT);
	err = wq_case_check_intake(actor, &in);
	if (err)
		return prefix_detail(err, loc);
	if (in.number) {
		err = wq_case_id_by_number(store, in.number, &id);
		show_value(in.number, shown, sizeof(shown));
		if (!err)
			return wq_fail(WQ_ERR_EXISTS,
				       N_("%s: field number: case %s already "
					  "exists"),
				       loc, shown);
		if (err != WQ_ERR_NOT_FOUND)
			return prefix_detail(err, loc);
	}
	wq_stmt_reset(category);
	wq_bind_text(category, 1, in.category);
	rc = wq_step(category);
	if (rc == WQ_DONE) {
		show_value(in.category, shown, sizeof(shown));
		return field_error(src, r->at, WQ_TF_category,
				   N_("\"%s\" is not a category code"), shown);
	}
	if (rc != WQ_ROW)
		return prefix_detail(wq_store_error(store, "category"), loc);
	if (in.assignee) {
		wq_stmt_reset(user);
		wq_bind_text(user, 1, in.assignee);
		rc = wq_step(user);
		if (rc == WQ_DONE) {
			show_value(in.assignee, shown, sizeof(shown));
			return field_error(src, r->at, WQ_TF_assignee,
					   N_("\"%s\" is not a weiquan user; add "
					      "it first (weiquan user add)"),
					   shown);
		}
		if (rc != WQ_ROW)
			return prefix_detail(wq_store_error(store, "user"),
					     loc);
	}
	return WQ_ERR_OK;
}

static int by_number(const void *a, const void *b)
{
	const struct record *const *x = a, *const *y = b;
	int c = strcmp((*x)->v[WQ_TF_number], (*y)->v[WQ_TF_number]);

	return c ? c : ((*x)->at > (*y)->at) - ((*x)->at < (*y)->at);
}

/* Two records of the file with one number would fail only when the
 * second is written. */
static enum wq_err check_numbers_unique(const struct source *src)
{
	const struct record **numbered;
	size_t n = 0;
	enum wq_err err = WQ_ERR_OK;
	char shown[64];

	numbered = wq_xcalloc(src->count, sizeof(*numbered));
	for (size_t i = 0; i < src->count; i++)
		if (or_null(src->recs[i].v[WQ_TF_number]))
			numbered[n++] = &src->recs[i];
	qsort(numbered, n, sizeof(*numbered), by_number);
	for (size_t i = 1; i < n && !err; i++) {
		if (strcmp(numbered[i]->v[WQ_TF_number],
			   numbered[i - 1]->v[WQ_TF_number]) != 0)
			continue;
		show_value(numbered[i]->v[WQ_TF_number], shown, sizeof(shown));
		err = field_error(src, numbered[i]->at, WQ_TF_number,
				  src->json ? N_("case %s appears twice in the "
						 "file (also at index %d)")
					    : N_("case %s appears twice in the "
						 "file (also at line %d)"),
				  shown, numbered[i - 1]->at);
	}
	free(numbered);
	return err;
}

static void report_progress(const struct wq_import_opts *opts,
			    enum wq_import_phase phase, size_t done,
			    size_t total)
{
	if (opts->progress)
		opts->progress(opts->progress_ctx, phase, done, total);
}

static enum wq_err check_all(struct wq_store *store,
			     const struct wq_user *actor,
			     const struct wq_import_opts *opts,
			     const struct source *src)
{
	struct wq_stmt *category = NULL, *user = NULL;
	enum wq_err err;

	err = check_numbers_unique(src);
	if (err)
		return err;
	/* One read transaction: every record is checked against the same
	 * state of the database, and no write lock is taken. */
	err = wq_store_begin_read(store);
	if (err)
		return err;
	err = wq_store_prepare(store,
			       "SELECT 1 FROM categories WHERE code = ?1",
			       &category);
	if (!err)
		err = wq_store_prepare(store,
				       "SELECT 1 FROM users WHERE login = ?1",
				       &user);
	for (size_t i = opts->skip; !err && i < src->count; i++) {
		err = check_against_store(store, actor, src, &src->recs[i],
					  category, user);
		if (!err && ((i + 1) % 10000 == 0 || i + 1 == src->count))
			report_progress(opts, WQ_IMPORT_CHECKING, i + 1,
					src->count);
	}
	wq_store_finalize(store, category);
	wq_store_finalize(store, user);
	wq_store_end_read(store);
	return err;
}

/* Is a before b as numbers of one series ("WQ-2026-" then digits)? */
static bool number_before(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return la != lb ? la < lb : strcmp(a, b) < 0;
}

/* Moves each year's counter past the highest number the file brings, so
 * that a case numbered on the way cannot take one that a later record
 * holds.  Only the highest of each series need be reserved; a file from
 * another system holds one or two years. */
static enum wq_err reserve_numbers(struct wq_store *store,
				   const struct source *src, size_t from)
{
	enum { SERIES_MAX = 64 };
	const char *highest[SERIES_MAX];
	size_t series = 0;
	enum wq_err err = WQ_ERR_OK;

	for (size_t i = from; i < src->count; i++) {
		const char *n = or_null(src->recs[i].v[WQ_TF_number]);
		size_t k;

		if (!n || strncmp(n, "WQ-", 3) != 0 || strlen(n) < 9)
			continue;
		for (k = 0; k < series; k++)
			if (strncmp(highest[k], n, 8) == 0)
				break;
		if (k == series && series == SERIES_MAX) {
			err = wq_case_number_reserve(store, n);
			if (err)
				return err;
			continue;
		}
		if (k == series)
			highest[series++] = n;
		else if (number_before(highest[k], n))
			highest[k] = n;
	}
	for (size_t k = 0; !err && k < series; k++)
		err = wq_case_number_reserve(store, highest[k]);
	return err;
}

static int64_t elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - since->tv_sec) * 1000 +
	       (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* How long one batch of an import may keep the other sessions from
 * writing: the writers' queue is first come, first served (store.c), so
 * a ruling waits at most about this long behind an import, well under
 * the writers' 10 s bound.  Shorter batches cost throughput: each commit
 * writes every index page the batch touched (the demo's batches are as
 * long, for the same reason). */
#define BATCH_MS 1000

/* Writes the checked records in batches, each its own short write
 * transaction, so that other sessions' rulings get through between them.
 *
 * Why a file still imports whole or not at all: every record has been
 * checked before the first batch (check_all: the file's syntax and
 * values, the core's rules, numbers taken in the database or twice in the
 * file, categories, assignees), so a bad record fails the import with
 * nothing written.  The first batch also moves each year's case counter
 * past the file's own numbers (reserve_numbers), so that no number the
 * import assigns can collide with one it imports later.
 *
 * What the checks cannot foresee is a failure of the host or of another
 * session while the batches are written: the disk fills, the lock is held
 * past three of the writers' waits, another import takes one of the
 * file's numbers in between.  The failing batch is rolled back whole by SQLite.  The
 * batches before it stay: they cannot be undone, since a created case has
 * its "create" event in the append-only audit chain, and a staging table
 * moved in one transaction would hold the lock as long as the original
 * single transaction did (the move is the writing of the cases, their
 * statements, search index and events).  Instead the error says how many
 * records were imported (res->cases, in file order), and --skip N imports
 * the rest once the cause is fixed. */
static enum wq_err write_all(struct wq_store *store,
			     const struct wq_user *actor,
			     const struct wq_import_opts *opts,
			     const struct source *src, size_t from,
			     int *created)
{
	enum wq_err err = WQ_ERR_OK;
	size_t i = from;
	bool first = true;
	char number[32];
	char loc[512];

	while (!err && i < src->count) {
		struct timespec start;
		size_t batch_start = i;

		/* Other sessions write in short transactions: a wait for the
		 * lock that runs out is tried again rather than leave the
		 * file half imported. */
		err = wq_store_begin_write(store);
		for (int tries = 1; err == WQ_ERR_BUSY && tries < 3; tries++)
			err = wq_store_begin_write(store);
		if (err)
			break;
		if (first)
			err = reserve_numbers(store, src, from);
		first = false;
		clock_gettime(CLOCK_MONOTONIC, &start);
		while (!err && i < src->count &&
		       (i == batch_start || elapsed_ms(&start) < BATCH_MS)) {
			struct wq_intake in;
			int64_t id;

			to_intake(src, &src->recs[i], &in);
			err = wq_case_create_tx(store, actor, &in, &id, number);
			if (err) {
				location(src, src->recs[i].at, loc,
					 sizeof(loc));
				err = prefix_detail(err, loc);
			} else {
				i++;
			}
		}
		if (err) {
			wq_store_rollback(store);
			break;
		}
		err = wq_store_commit(store);
		if (!err) {
			*created = (int)(i - from);
			report_progress(opts, WQ_IMPORT_WRITING, i,
					src->count);
		}
	}
	if (err && *created > 0) {
		char saved[1024];

		snprintf(saved, sizeof(saved), "%s", wq_err_detail());
		err = wq_fail(err,
			      N_("%s; the records before it were imported (%d "
				 "cases) and stay: import the rest with --skip "
				 "%zu"),
			      saved, *created, from + (size_t)*created);
	}
	return err;
}

enum wq_err wq_transfer_import(struct wq_store *store,
			       const struct wq_user *actor,
			       const struct wq_import_opts *opts,
			       struct wq_import_result *res)
{
	struct source src = {.path = opts->path, .reason = opts->reason};
	const char *format = opts->format;
	char *raw = NULL, *text = NULL;
	size_t raw_len, len;
	enum wq_err err;

	memset(res, 0, sizeof(*res));
	if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return wq_fail(WQ_ERR_INVALID,
			       N_("unknown format \"%s\" (csv or json)"), format);
	if (wq_read_file(opts->path, MAX_IMPORT_BYTES, &raw, &raw_len) != 0)
		return wq_fail(WQ_ERR_IO, N_("cannot read %s: %s"), opts->path,
			       errno == EFBIG ? wq_text(N_("larger than 1 GiB"))
					      : wq_read_file_strerror(errno));
	err = decode(opts, raw, raw_len, res, &text, &len);
	free(raw);
	if (err)
		return err;
	if (!format)
		format = extension_format(opts->path);
	if (!format)
		format = sniff_format(text);
	snprintf(res->format, sizeof(res->format), "%s", format);
	src.json = strcmp(format, "json") == 0;

	/* Parse and check everything before the first write. */
	if (src.json)
		err = read_json(&src, text, len);
	else
		err = read_csv(&src, text, len);
	free(text);
	if (!err && opts->skip > src.count)
		err = wq_fail(WQ_ERR_INVALID,
			      N_("--skip %zu: the file has only %zu records"),
			      opts->skip, src.count);
	if (!err)
		err = check_all(store, actor, opts, &src);
	if (!err) {
		wq_store_bulk(store, true);
		err = write_all(store, actor, opts, &src, opts->skip,
				&res->cases);
		wq_store_bulk(store, false);
	}
	free_records(&src);
	return err;
}

/* ---- export ---- */

/* %s: the search's documents (wq_store_search_docs_sql). */
static const char export_sql_format[] =
	"SELECT c.number, c.type, c.category, c.region, c.status,"
	" c.substate, coalesce(c.assignee, ''), c.received_at,"
	" co.name, co.phone, co.id_number,"
	" m.name, m.platform, m.shop_id, m.region,"
	" c.order_no, c.amount_fen, c.order_date, c.remedy,"
	" coalesce((SELECT s.text FROM statements s"
	"   WHERE s.case_id = c.id AND s.party = 'complainant'"
	"   ORDER BY s.id LIMIT 1), '')," /* the fields, then: */
	" c.clock, c.clocks"
	" FROM cases c"
	" JOIN consumers co ON co.id = c.consumer_id"
	" JOIN merchants m ON m.id = c.merchant_id"
	" WHERE (CAST(?1 AS TEXT) IS NULL OR c.status = ?1)"
	" AND (?2 = 0 OR c.status <> 'closed')"
	" AND (CAST(?3 AS TEXT) IS NULL OR c.category = ?3)"
	" AND (CAST(?4 AS TEXT) IS NULL OR c.region = ?4)"
	" AND (CAST(?5 AS TEXT) IS NULL OR c.type = ?5)"
	" AND (CAST(?6 AS TEXT) IS NULL OR c.assignee = ?6)"
	" AND (?7 = 0 OR c.assignee IS NULL)"
	" AND (CAST(?8 AS TEXT) IS NULL OR c.id IN ("
	"   SELECT " WQ_SEARCH_CASE_OF_DOC_SQL " FROM (%s) AS hits))"
	" AND (CAST(?9 AS TEXT) IS NULL OR c.created_by = ?9)"
	/* the drill-down fields: what a figure of the dashboard counts,
	 * as the queue selects it (src/caselist.c) */
	" AND (?10 = 0 OR c.merchant_id = ?10)"
	" AND (CAST(?11 AS TEXT) IS NULL OR c.clock = ?11)"
	/* (and the running clock not paused: clock_paused()) */
	" AND ((CAST(?12 AS TEXT) IS NULL AND CAST(?13 AS TEXT) IS NULL)"
	"  OR (c.due_on <> '9999-12-31'"
	"  AND (CAST(?12 AS TEXT) IS NULL OR c.due_on >= ?12)"
	"  AND (CAST(?13 AS TEXT) IS NULL OR c.due_on <= ?13)))"
	" AND (?14 = 0 OR (c.flags & ?14) <> 0)"
	" AND (CAST(?15 AS TEXT) IS NULL OR c.received_at >= ?15)"
	" AND (CAST(?16 AS TEXT) IS NULL OR c.received_at < ?16)"
	" ORDER BY c.id";

/* The columns after the fields. */
enum { EXPORT_CLOCK = WQ_TF_COUNT_, EXPORT_CLOCKS };

/* Whether the row's running clock is paused.  Its name is data (a
 * regime's clocks), so the path into the clocks is made here, not in
 * SQL. */
static bool clock_paused(struct wq_stmt *st)
{
	json_t *clocks, *paused;
	bool is;

	if (wq_column_is_null(st, EXPORT_CLOCK) ||
	    wq_column_is_null(st, EXPORT_CLOCKS))
		return false;
	clocks = json_loads(wq_column_text(st, EXPORT_CLOCKS), 0, NULL);
	paused = json_object_get(
		json_object_get(clocks, wq_column_text(st, EXPORT_CLOCK)),
		"paused");
	is = paused && !json_is_null(paused);
	json_decref(clocks);
	return is;
}

static void bind_or_null(struct wq_stmt *st, int i, const char *s)
{
	if (s && *s)
		wq_bind_text_copy(st, i, s);
	else
		wq_bind_null(st, i);
}

static enum wq_err bind_filter(struct wq_store *store, struct wq_stmt *st,
			       const struct wq_user *actor,
			       const struct wq_filter *fl)
{
	const char *status = fl ? fl->status : NULL;
	const char *assignee = fl ? fl->assignee : NULL;
	char *query = NULL, from[21], to[21];
	unsigned mask = 0;
	enum wq_err err;

	if (fl && fl->after && *fl->after)
		return wq_fail(WQ_ERR_INVALID,
			       N_("export writes every matching case; it does "
				  "not page (no --after)"));
	if (fl && (err = case_check_filter(fl, &mask)))
		return err;
	wq_bind_int64(st, 10, fl ? fl->merchant_id : 0);
	bind_or_null(st, 11, fl ? fl->clock : NULL);
	bind_or_null(st, 12, fl ? fl->due_from : NULL);
	bind_or_null(st, 13, fl ? fl->due_to : NULL);
	wq_bind_int64(st, 14, mask);
	bind_or_null(st, 15,
		     fl && fl->received_from && *fl->received_from &&
			     case_local_day_start(fl->received_from, 0, from)
			 ? from
			 : NULL);
	bind_or_null(st, 16,
		     fl && fl->received_to && *fl->received_to &&
			     case_local_day_start(fl->received_to, 1, to)
			 ? to
			 : NULL);
	if (status && (strcmp(status, "all") == 0 || !*status))
		status = NULL;
	if (status && strcmp(status, "open") == 0) {
		wq_bind_int64(st, 2, 1);
		status = NULL;
	} else {
		wq_bind_int64(st, 2, 0);
	}
	bind_or_null(st, 1, status);
	bind_or_null(st, 3, fl ? fl->category : NULL);
	bind_or_null(st, 4, fl ? fl->region : NULL);
	bind_or_null(st, 5, fl ? fl->type : NULL);
	wq_bind_int64(st, 7, 0);
	if (assignee && strcmp(assignee, "none") == 0) {
		wq_bind_int64(st, 7, 1);
		assignee = NULL;
	} else if (assignee && strcmp(assignee, "me") == 0) {
		assignee = actor->login;
	}
	bind_or_null(st, 6, assignee);
	if (fl && fl->search && *fl->search) {
		query = wq_store_search_query(store, fl->search);
		if (!query)
			return wq_fail(WQ_ERR_INVALID,
				       N_("nothing to search for in '%s'"),
				       fl->search);
		wq_bind_text_copy(st, 8, query);
		free(query);
	} else {
		wq_bind_null(st, 8);
	}
	/* The same visibility as the queue: a desk reads what it
	 * registered. */
	bind_or_null(st, 9, actor->role == WQ_ROLE_DESK ? actor->login : NULL);
	return WQ_ERR_OK;
}

struct writer {
	FILE *out;
	bool json;
	enum wq_encoding enc;
	struct wq_buf buf;
	int count;
};

static void csv_cell(struct wq_buf *b, const char *s)
{
	size_t len = strlen(s), need;
	char *q;

	/* Quote only where RFC 4180 needs it, plus edge spaces that a
	 * spreadsheet would trim, so plain values stay readable. */
	if (!strpbrk(s, ",\"\r\n") &&
	    !(len && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
		      s[len - 1] == '\t'))) {
		wq_buf_add(b, s, len);
		return;
	}
	need = csv_write(NULL, 0, s, len);
	q = wq_xmalloc(need);
	csv_write(q, need, s, len);
	wq_buf_add(b, q, need);
	free(q);
}

/* Every record goes out as it is made, converted on its own: GB18030 is
 * stateless, so the pieces concatenate to the whole file's encoding. */
static enum wq_err emit(struct writer *w, const char *number)
{
	char *bytes = NULL;
	const char *data = w->buf.data ? w->buf.data : "";
	size_t len = w->buf.len;
	enum wq_err err = WQ_ERR_OK;

	/* The encoder takes a U+FEFF at the start of its text for a stray
	 * BOM and drops it, but here it starts a record (a case number may
	 * begin with one): it is written out as GB18030's own code. */
	while (w->enc == WQ_ENC_GB18030 && len >= 3 &&
	       memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		if (fwrite("\x84\x31\x95\x33", 1, 4, w->out) != 4)
			return wq_fail(WQ_ERR_IO, N_("cannot write the export: %s"),
				       strerror(errno));
		data += 3;
		len -= 3;
	}
	if (w->enc != WQ_ENC_UTF8) {
		err = wq_enc_from_utf8(data, len, w->enc, &bytes, &len);
		if (err) {
			char what[128];

			if (number)
				snprintf(what, sizeof(what),
					 wq_text(N_("case %s cannot be written "
						    "in %s")),
					 number, wq_enc_name(w->enc));
			else
				snprintf(what, sizeof(what),
					 wq_text(N_("the header cannot be "
						    "written in %s")),
					 wq_enc_name(w->enc));
			return prefix_detail(err, what);
		}
		data = bytes;
	}
	if (len && fwrite(data, 1, len, w->out) != len)
		err = wq_fail(WQ_ERR_IO, N_("cannot write the export: %s"),
			      strerror(errno));
	free(bytes);
	w->buf.len = 0;
	return err;
}

/* One record as a JSON object, keys in the import's order: what import
 * reads back.  Stored text is UTF-8 (checked when it came in); a value that
 * is not is refused rather than written as something else. */
static enum wq_err json_row(struct writer *w, char *const *v, int64_t fen)
{
	json_t *o = json_object();
	enum wq_err err = WQ_ERR_OK;
	char *text;

	for (int f = 0; o && f < WQ_TF_COUNT_; f++) {
		json_t *value = f == WQ_TF_amount ? json_integer(fen)
			      : v[f]		  ? json_string(v[f])
						  : json_null();

		if (!value) {
			err = wq_fail(WQ_ERR_ENCODING,
				      N_("case %s: field %s is not UTF-8 text"),
				      v[WQ_TF_number], field_names[f]);
			break;
		}
		json_object_set_new(o, json_key(f), value);
	}
	text = !err && o ? json_dumps(o, JSON_COMPACT) : NULL;
	if (!err && !text)
		err = wq_fail(WQ_ERR_NOMEM, N_("export"));
	if (!err) {
		wq_buf_puts(&w->buf, w->count ? ",\n" : "[\n");
		wq_buf_puts(&w->buf, text);
	}
	free(text);
	json_decref(o);
	return err;
}

static enum wq_err write_row(struct writer *w, struct wq_stmt *st,
			     const struct wq_user *actor)
{
	char *v[WQ_TF_COUNT_];
	char amount[32];
	int64_t fen = wq_column_int64(st, WQ_TF_amount);
	enum wq_err err = WQ_ERR_OK;

	for (int f = 0; f < WQ_TF_COUNT_; f++) {
		const char *s = wq_column_text_or_null(st, f);

		v[f] = wq_strdup(s ? s : "");
	}
	if (!wq_role_sees_phone(actor->role)) {
		char *p = mask(v[WQ_TF_consumer_phone], 3, 2);

		free(v[WQ_TF_consumer_phone]);
		v[WQ_TF_consumer_phone] = p;
	}
	if (!wq_role_sees_id_number(actor->role)) {
		char *id = mask(v[WQ_TF_consumer_id_number], 4, 2);

		free(v[WQ_TF_consumer_id_number]);
		v[WQ_TF_consumer_id_number] = id;
	}
	snprintf(amount, sizeof(amount), "%" PRId64 ".%02d", fen / 100,
		 (int)(fen % 100));

	if (w->json) {
		err = json_row(w, v, fen);
	} else {
		for (int f = 0; f < WQ_TF_COUNT_; f++) {
			if (f)
				wq_buf_add(&w->buf, ",", 1);
			csv_cell(&w->buf, f == WQ_TF_amount ? amount : v[f]);
		}
		wq_buf_add(&w->buf, "\r\n", 2);
	}
	if (!err)
		err = emit(w, v[WQ_TF_number]);
	if (!err)
		w->count++;
	for (int f = 0; f < WQ_TF_COUNT_; f++)
		free(v[f]);
	return err;
}

static enum wq_err export_encoding(const char *name, enum wq_encoding *enc)
{
	enum wq_err err;

	*enc = WQ_ENC_UTF8;
	if (!name)
		return WQ_ERR_OK;
	err = wq_enc_parse(name, enc);
	/* One BOM per record would be wrong, and Big5 cannot hold most of
	 * the mainland's characters: the two a desk's tools read. */
	if (err || (*enc != WQ_ENC_UTF8 && *enc != WQ_ENC_GB18030))
		return wq_fail(WQ_ERR_INVALID,
			       N_("export writes utf-8 or gb18030, not \"%s\""),
			       name);
	return WQ_ERR_OK;
}

enum wq_err wq_transfer_export(struct wq_store *store,
			       const struct wq_user *actor,
			       const struct wq_filter *filter,
			       const char *format, const char *encoding,
			       FILE *out, int *count)
{
	struct writer w = {.out = out};
	struct wq_stmt *st = NULL;
	char *docs, *sql;
	enum wq_err err;
	int rc = WQ_DONE;
	int limit = filter && filter->limit > 0 ? filter->limit : 0;
	bool due_filter = filter && ((filter->due_from && *filter->due_from) ||
				     (filter->due_to && *filter->due_to));

	if (count)
		*count = 0;
	if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return wq_fail(WQ_ERR_INVALID,
			       N_("unknown format \"%s\" (csv or json)"), format);
	w.json = format && strcmp(format, "json") == 0;
	err = export_encoding(encoding, &w.enc);
	if (err)
		return err;

	docs = wq_store_search_docs_sql(store, 8);
	sql = wq_asprintf(export_sql_format, docs);
	err = wq_store_prepare_scan(store, sql, &st);
	free(sql);
	free(docs);
	if (!err)
		err = bind_filter(store, st, actor, filter);
	if (!err && !w.json) {
		for (int f = 0; f < WQ_TF_COUNT_; f++) {
			if (f)
				wq_buf_add(&w.buf, ",", 1);
			wq_buf_puts(&w.buf, field_names[f]);
		}
		wq_buf_add(&w.buf, "\r\n", 2);
		err = emit(&w, NULL);
	}
	/* One statement reads every row, so the export is one snapshot even
	 * while other sessions write.  The limit counts the rows written,
	 * after the filter's last test (clock_paused()). */
	while (!err && (rc = wq_step(st)) == WQ_ROW) {
		if (due_filter && clock_paused(st))
			continue;
		err = write_row(&w, st, actor);
		if (!err && limit > 0 && w.count >= limit) {
			rc = WQ_DONE;
			break;
		}
	}
	if (!err && rc != WQ_DONE)
		err = wq_store_error(store, "export");
	if (!err && w.json) {
		wq_buf_puts(&w.buf, w.count ? "\n]\n" : "[]\n");
		err = emit(&w, NULL);
	}
	if (!err && fflush(out) != 0)
		err = wq_fail(WQ_ERR_IO, N_("cannot write the export: %s"),
			      strerror(errno));
	wq_store_finalize(store, st);
	wq_buf_free(&w.buf);
	if (count)
		*count = w.count;
	return err;
}
