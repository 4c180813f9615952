/* weiquan: intake — checks, duplicates, history, merchant matching, the
 * save in one transaction, and the receipt.  See include/weiquan/intake.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "weiquan/audit.h"
#include "weiquan/calendar.h"
#include "weiquan/casedetail.h"
#include "weiquan/clean.h"
#include "weiquan/encoding.h"
#include "weiquan/files.h"
#include "weiquan/intake.h"
#include "weiquan/rules.h"
#include "weiquan/wqtime.h"
#include "json_text.h"
#include "util.h"

#define DAY_SECONDS 86400
/* Serial-complaint thresholds (see WQ_SIGNAL_LIST's messages). */
#define FREQUENT_30 3
#define FREQUENT_90 6
#define FREQUENT_365 12
#define REPEAT_MERCHANT_365 2
#define FORMULAIC_MIN 2
#define FORMULAIC_MIN_CHARS 10
#define COMPENSATION_365 3
#define REFUSED_MIN_TOTAL 3
#define REFUSED_PERCENT 50
/* How far back the history reads (newest first). */
#define HISTORY_ROWS 2000

static bool empty(const char *s)
{
	return !s || !*s;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

#define COPY(dst, st, i)                                                       \
	snprintf((dst), sizeof(dst), "%s", wq_column_text((st), (i)))

/* ---- the report ---- */

void wq_intake_report_add(struct wq_intake_report *r, const char *field,
			  const char *message, bool warning)
{
	if (!r || r->count >= WQ_INTAKE_MAX_PROBLEMS)
		return;
	r->v[r->count].field = field;
	r->v[r->count].message = message;
	r->v[r->count].warning = warning;
	r->count++;
	if (!warning)
		r->errors++;
}

const struct wq_intake_problem *
wq_intake_problem_of(const struct wq_intake_report *r, const char *field)
{
	const struct wq_intake_problem *warning = NULL;

	for (int i = 0; r && i < r->count; i++) {
		if (strcmp(r->v[i].field, field) != 0)
			continue;
		if (!r->v[i].warning)
			return &r->v[i];
		if (!warning)
			warning = &r->v[i];
	}
	return warning;
}

static void add(struct wq_intake_report *r, const char *field,
		const char *message)
{
	wq_intake_report_add(r, field, message, false);
}

static void warn(struct wq_intake_report *r, const char *field,
		 const char *message)
{
	wq_intake_report_add(r, field, message, true);
}

/* ---- text ---- */

enum text_kind { LINE, MULTILINE };

/* Valid UTF-8 without control characters (a statement may hold line
 * breaks and tabs); max_bytes 0: no limit.  Adds the problem and returns
 * false otherwise. */
static bool check_text(struct wq_intake_report *r, const char *field,
		       const char *s, enum text_kind kind, size_t max_bytes,
		       const char *too_long)
{
	size_t len = strlen(s);

	if (!wq_utf8_valid(s, len)) {
		add(r, field, N_("not valid UTF-8 text"));
		return false;
	}
	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		size_t n = wq_utf8_decode(s + i, len - i, &cp);

		if (!n)
			n = 1;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			if (kind == LINE || (cp != '\n' && cp != '\t' &&
					     cp != '\r')) {
				add(r, field,
				    kind == LINE
					? N_("contains control characters or a "
					     "line break")
					: N_("contains control characters"));
				return false;
			}
		}
		i += n;
	}
	if (max_bytes && len > max_bytes) {
		add(r, field, too_long);
		return false;
	}
	return true;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* ---- phone numbers and ID numbers ---- */

char *wq_intake_phone_normalize(const char *phone)
{
	struct wq_buf b = {0};
	const char *p = phone ? phone : "";

	for (; *p; p++) {
		if (*p == ' ' || *p == '-' || *p == '(' || *p == ')' ||
		    *p == '\t')
			continue;
		if (*p != '+' && !isdigit((unsigned char)*p)) {
			wq_buf_free(&b);
			return wq_strdup(phone ? phone : "");
		}
		wq_buf_add(&b, p, 1);
	}
	wq_buf_add(&b, "", 0);
	if (strncmp(b.data, "+86", 3) == 0)
		memmove(b.data, b.data + 3, strlen(b.data + 3) + 1);
	else if (strncmp(b.data, "0086", 4) == 0)
		memmove(b.data, b.data + 4, strlen(b.data + 4) + 1);
	else if (strlen(b.data) == 13 && strncmp(b.data, "86", 2) == 0 &&
		 b.data[2] == '1')
		memmove(b.data, b.data + 2, strlen(b.data + 2) + 1);
	if (strchr(b.data, '+')) {
		wq_buf_free(&b);
		return wq_strdup(phone);
	}
	return b.data;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static void check_phone(struct wq_intake_report *r, const char *phone)
{
	char *d;

	if (!check_text(r, "consumer_phone", phone, LINE, 32,
			N_("too long for a phone number")))
		return;
	d = wq_intake_phone_normalize(phone);
	if (!all_digits(d))
		add(r, "consumer_phone",
		    N_("not a phone number: digits only (spaces, '-' and "
		       "+86 allowed)"));
	else if (d[0] == '1' && strlen(d) != 11)
		add(r, "consumer_phone", N_("a mobile number has 11 digits"));
	else if (d[0] == '1' && (d[1] < '3' || d[1] > '9'))
		add(r, "consumer_phone",
		    N_("not a mobile number: the second digit is 3 to 9"));
	else if (d[0] == '0' && (strlen(d) < 10 || strlen(d) > 12))
		add(r, "consumer_phone",
		    N_("a landline number is its area code and 7 or 8 "
		       "digits"));
	else if (d[0] != '0' && d[0] != '1')
		add(r, "consumer_phone",
		    N_("give a mobile number, or a landline with its area "
		       "code"));
	free(d);
}

/* Is YYYYMMDD at p a real date between 1900-01-01 and today? */
static bool birth_date_ok(const char *p)
{
	char iso[11];
	int day;

	snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", p, p + 4, p + 6);
	if (!wq_date_parse(iso, &day))
		return false;
	return wq_date_year(day) >= 1900 && day <= wq_local_day(wq_now());
}

static void check_id_number(struct wq_intake_report *r, const char *id)
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
					3, 7, 9, 10, 5, 8, 4, 2};
	static const char checks[] = "10X98765432";
	size_t n = strlen(id), letters = 0, digits = 0;
	bool alnum = true;

	if (!check_text(r, "consumer_id_number", id, LINE, 32,
			N_("too long for an ID number")))
		return;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)id[i];

		if (isdigit(c))
			digits++;
		else if (isalpha(c) && c < 0x80)
			letters++;
		else
			alnum = false;
	}
	if (n == 18 && (digits == 18 || (digits == 17 && (id[17] == 'X' ||
							  id[17] == 'x')))) {
		int sum = 0;

		for (int i = 0; i < 17; i++) {
			if (!isdigit((unsigned char)id[i])) {
				add(r, "consumer_id_number",
				    N_("a resident ID number is 17 digits and "
				       "a digit or X"));
				return;
			}
			sum += (id[i] - '0') * weights[i];
		}
		if (!birth_date_ok(id + 6))
			add(r, "consumer_id_number",
			    N_("the birth date in the ID number is not a real "
			       "date"));
		else if (checks[sum % 11] != (char)toupper((unsigned char)id[17]))
			add(r, "consumer_id_number",
			    N_("the ID number's check digit does not match: "
			       "a typing error?"));
		return;
	}
	if (n == 15 && digits == 15) {
		char date[9];

		/* A first-generation ID card: 19YYMMDD. */
		snprintf(date, sizeof(date), "19%.6s", id + 6);
		if (!birth_date_ok(date))
			add(r, "consumer_id_number",
			    N_("the birth date in the ID number is not a real "
			       "date"));
		return;
	}
	if (alnum && letters == 0 && (n == 17 || n == 18 || n == 16))
		add(r, "consumer_id_number",
		    N_("a resident ID number is 17 digits and a digit or X"));
	else if (alnum && letters == 0 && n == 8)
		return; /* a Taiwan residents' permit (台胞证) */
	else if (!alnum || letters == 0 || n < 6 || n > 20)
		add(r, "consumer_id_number",
		    N_("not an ID number: 18 characters for a resident ID, 6 "
		       "to 20 letters and digits for a passport or permit"));
}

static void check_order_no(struct wq_intake_report *r, const char *order)
{
	if (!check_text(r, "order_no", order, LINE, 63,
			N_("too long for an order number (at most 63)")))
		return;
	for (const char *p = order; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!isalnum(c) && !strchr("-_/.#", c)) {
			add(r, "order_no",
			    N_("an order number is letters, digits and - _ / "
			       ". # only"));
			return;
		}
	}
}

static void check_order_date(struct wq_intake_report *r, const char *date,
			     time_t received)
{
	int day, today = wq_local_day(received);

	if (!wq_date_parse(date, &day)) {
		add(r, "order_date", N_("not a date: write it as YYYY-MM-DD"));
		return;
	}
	if (day > today)
		add(r, "order_date", N_("the order date lies in the future"));
	else if (day < today - 3 * 365 - 1)
		warn(r, "order_date",
		     N_("more than 3 years ago: the complaint may be "
			"time-barred"));
}

static enum wq_err category_known(struct wq_store *store, const char *code,
				  bool *known)
{
	struct wq_stmt *st;
	enum wq_err err;

	err = wq_store_prepare(store,
			       "SELECT 1 FROM categories WHERE code = ?1", &st);
	if (err)
		return err;
	wq_bind_text(st, 1, code);
	*known = wq_step(st) == WQ_ROW;
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

bool wq_intake_amount(const char *text, int64_t *fen,
		      struct wq_intake_report *r)
{
	char buf[64];
	size_t n;
	const char *p = text ? text : "";

	while (*p == ' ')
		p++;
	n = strlen(p);
	while (n && p[n - 1] == ' ')
		n--;
	if (n == 0) {
		*fen = 0;
		return true;
	}
	if (n < sizeof(buf)) {
		memcpy(buf, p, n);
		buf[n] = '\0';
		if (wq_amount_parse(buf, fen))
			return true;
	}
	add(r, "amount",
	    N_("not an amount in yuan (e.g. 1299.50)"));
	return false;
}

enum wq_err wq_intake_check(struct wq_store *store, const struct wq_user *actor,
			    const struct wq_intake *in,
			    struct wq_intake_report *out)
{
	struct wq_intake_report *r = out;
	time_t received = wq_now();
	enum wq_err err;

	memset(r, 0, sizeof(*r));
	if (actor->role != WQ_ROLE_DESK && actor->role != WQ_ROLE_MEDIATOR &&
	    actor->role != WQ_ROLE_SUPERVISOR && actor->role != WQ_ROLE_ADMIN) {
		add(r, "", N_("your role may not register complaints"));
		return wq_fail(WQ_ERR_DENIED, N_("your role cannot register "
					      "cases"));
	}
	if (!empty(in->received_at) &&
	    !wq_time_parse(in->received_at, &received))
		received = wq_now(); /* reported below, in the form's order */

	if (empty(in->type))
		add(r, "type", N_("required: complaint, IP or diversion"));
	else if (!wq_word_in(in->type, WQ_CASE_TYPES))
		add(r, "type", N_("not a case type: complaint, ip or "
				  "diversion"));

	if (empty(in->category)) {
		add(r, "category", N_("required: pick a category"));
	} else {
		bool known = false;

		err = category_known(store, in->category, &known);
		if (err)
			return err;
		if (!known)
			add(r, "category", N_("not a known category"));
	}

	if (empty(in->consumer_name))
		add(r, "consumer_name", N_("required: the complainant's name"));
	else
		check_text(r, "consumer_name", in->consumer_name, LINE, 60,
			   N_("too long: at most 20 Chinese characters (60 "
			      "bytes)"));
	if (!empty(in->consumer_phone))
		check_phone(r, in->consumer_phone);
	if (!empty(in->consumer_id_number))
		check_id_number(r, in->consumer_id_number);
	if (empty(in->consumer_phone) && empty(in->consumer_id_number) &&
	    !empty(in->consumer_name))
		warn(r, "consumer_phone",
		     N_("no phone nor ID number: the consumer cannot be "
			"reached or told apart"));
	if (!empty(in->region))
		check_text(r, "region", in->region, LINE, 60,
			   N_("too long: at most 20 Chinese characters (60 "
			      "bytes)"));

	if (empty(in->merchant_name))
		add(r, "merchant_name", N_("required: the merchant's name"));
	else
		check_text(r, "merchant_name", in->merchant_name, LINE, 120,
			   N_("too long: at most 40 Chinese characters (120 "
			      "bytes)"));
	if (!empty(in->merchant_platform))
		check_text(r, "merchant_platform", in->merchant_platform, LINE,
			   60,
			   N_("too long: at most 20 Chinese characters (60 "
			      "bytes)"));
	if (!empty(in->merchant_shop_id))
		check_text(r, "merchant_shop_id", in->merchant_shop_id, LINE,
			   60,
			   N_("too long: at most 20 Chinese characters (60 "
			      "bytes)"));
	if (!empty(in->merchant_region))
		check_text(r, "merchant_region", in->merchant_region, LINE, 60,
			   N_("too long: at most 20 Chinese characters (60 "
			      "bytes)"));

	if (!empty(in->order_no))
		check_order_no(r, in->order_no);
	if (in->amount_fen < 0)
		add(r, "amount", N_("cannot be negative"));
	else if (in->amount_fen > WQ_AMOUNT_MAX_FEN)
		add(r, "amount", N_("more than 100 million yuan: check the "
				    "amount"));
	else if (in->amount_fen > (int64_t)1000000 * 100)
		warn(r, "amount", N_("more than a million yuan: check the "
				     "amount"));
	if (!empty(in->order_date))
		check_order_date(r, in->order_date, received);
	if (!empty(in->remedy) && !wq_word_in(in->remedy, WQ_REMEDIES))
		add(r, "remedy", N_("not a remedy: refund, return, exchange, "
				    "repair or compensation"));

	if (empty(in->statement))
		add(r, "statement",
		    N_("required: what happened, in the complainant's words"));
	else if (!check_text(r, "statement", in->statement, MULTILINE, 0, NULL))
		;
	else if (wq_statement_too_long(in->statement))
		add(r, "statement", N_("too long: at most 20000 characters; "
				       "attach longer texts as evidence"));
	else if (utf8_chars(in->statement) < 10)
		warn(r, "statement",
		     N_("very short: say what happened, when, and what the "
			"consumer wants"));

	if (!empty(in->received_at) &&
	    !wq_time_parse(in->received_at, &received))
		add(r, "received_at", N_("not a time (YYYY-MM-DDTHH:MM:SSZ)"));
	if ((!empty(in->status) && strcmp(in->status, "received") != 0) ||
	    !empty(in->substate) || !empty(in->assignee)) {
		if (actor->role != WQ_ROLE_ADMIN)
			add(r, "status",
			    N_("only an administrator's import sets a status, "
			       "sub-state or assignee"));
	}

	if (r->errors) {
		struct wq_buf b = {0};

		for (int i = 0; i < r->count; i++)
			if (!r->v[i].warning)
				wq_buf_printf(&b, "%s%s: %s", b.len ? "; " : "",
					      *r->v[i].field ? r->v[i].field
							     : "form",
					      r->v[i].message);
		err = wq_fail(WQ_ERR_INVALID, "%s", b.data);
		wq_buf_free(&b);
		return err;
	}
	return WQ_ERR_OK;
}

/* ---- the checklist ---- */

static const char *const material_codes[] = {
#define WQ_MATERIAL_CODE(id, code, label) [WQ_MATERIAL_BIT_##id] = code,
	WQ_MATERIAL_LIST(WQ_MATERIAL_CODE)
#undef WQ_MATERIAL_CODE
};
static const char *const material_labels[] = {
#define WQ_MATERIAL_LABEL(id, code, label) [WQ_MATERIAL_BIT_##id] = label,
	WQ_MATERIAL_LIST(WQ_MATERIAL_LABEL)
#undef WQ_MATERIAL_LABEL
};
static const char *const material_zh[] = {
	[WQ_MATERIAL_BIT_VOUCHER] = "购物凭证或发票",
	[WQ_MATERIAL_BIT_ORDER] = "订单记录",
	[WQ_MATERIAL_BIT_CHAT] = "与经营者的聊天记录",
	[WQ_MATERIAL_BIT_ID] = "投诉人身份证明",
};

const char *wq_material_code(unsigned bit)
{
	return bit < WQ_MATERIAL_COUNT_ ? material_codes[bit] : "?";
}

const char *wq_material_label(unsigned bit)
{
	return bit < WQ_MATERIAL_COUNT_ ? material_labels[bit] : "?";
}

void wq_intake_check_materials(unsigned materials, bool voucher_file,
			       bool order_file, struct wq_intake_report *r)
{
	if (!(materials & (WQ_MATERIAL(VOUCHER) | WQ_MATERIAL(ORDER))) &&
	    !voucher_file && !order_file)
		warn(r, "materials",
		     N_("no purchase voucher nor order record: missing "
			"materials are a ground for not accepting"));
	if (!(materials & WQ_MATERIAL(ID)))
		warn(r, "materials",
		     N_("identity not checked against an ID document"));
}

/* ---- signals ---- */

static const char *const signal_codes[] = {
#define WQ_SIGNAL_CODE(id, code, msg) [WQ_SIGNAL_BIT_##id] = code,
	WQ_SIGNAL_LIST(WQ_SIGNAL_CODE)
#undef WQ_SIGNAL_CODE
};
static const char *const signal_messages[] = {
#define WQ_SIGNAL_MSG(id, code, msg) [WQ_SIGNAL_BIT_##id] = msg,
	WQ_SIGNAL_LIST(WQ_SIGNAL_MSG)
#undef WQ_SIGNAL_MSG
};

const char *wq_signal_code(unsigned bit)
{
	return bit < WQ_SIGNAL_COUNT_ ? signal_codes[bit] : "?";
}

const char *wq_signal_message(unsigned bit)
{
	return bit < WQ_SIGNAL_COUNT_ ? signal_messages[bit] : "?";
}

/* ---- categories ---- */

void wq_intake_strv_free(char ***strv)
{
	if (!*strv)
		return;
	for (char **p = *strv; *p; p++)
		free(*p);
	free(*strv);
	*strv = NULL;
}

enum wq_err wq_intake_categories(struct wq_store *store, char ***codes)
{
	struct wq_stmt *st;
	enum wq_err err;
	size_t n = 0;
	char **v = wq_xcalloc(1, sizeof(*v));

	*codes = NULL;
	err = wq_store_prepare(store,
			       "SELECT code FROM categories ORDER BY sort, code",
			       &st);
	if (err) {
		free(v);
		return err;
	}
	while (wq_step(st) == WQ_ROW) {
		v = wq_xrealloc(v, (n + 2) * sizeof(*v));
		v[n++] = wq_strdup(wq_column_text(st, 0));
		v[n] = NULL;
	}
	wq_store_finalize(store, st);
	*codes = v;
	return WQ_ERR_OK;
}

/* ---- who the consumer is ---- */

/* The forms a phone number or an ID number may have been stored in, so
 * the lookups can use the consumers' indexes. */
struct consumer_keys {
	char phone[4][40];
	char id[2][40];
	const char *name;
	bool has_phone, has_id;
};

static void consumer_keys(const struct wq_intake *in, struct consumer_keys *k)
{
	memset(k, 0, sizeof(*k));
	k->name = or_empty(in->consumer_name);
	if (!empty(in->consumer_phone)) {
		char *d = wq_intake_phone_normalize(in->consumer_phone);

		k->has_phone = true;
		snprintf(k->phone[0], sizeof(k->phone[0]), "%s", d);
		snprintf(k->phone[1], sizeof(k->phone[1]), "%s",
			 in->consumer_phone);
		if (strlen(d) == 11 && all_digits(d)) {
			snprintf(k->phone[2], sizeof(k->phone[2]),
				 "%.3s-%.4s-%.4s", d, d + 3, d + 7);
			snprintf(k->phone[3], sizeof(k->phone[3]),
				 "%.3s %.4s %.4s", d, d + 3, d + 7);
		} else {
			snprintf(k->phone[2], sizeof(k->phone[2]), "%s", d);
			snprintf(k->phone[3], sizeof(k->phone[3]), "%s", d);
		}
		free(d);
	}
	if (!empty(in->consumer_id_number)) {
		size_t n;

		k->has_id = true;
		snprintf(k->id[0], sizeof(k->id[0]), "%s",
			 in->consumer_id_number);
		snprintf(k->id[1], sizeof(k->id[1]), "%s",
			 in->consumer_id_number);
		n = strlen(k->id[0]);
		if (n) {
			k->id[0][n - 1] =
				(char)toupper((unsigned char)k->id[0][n - 1]);
			k->id[1][n - 1] =
				(char)tolower((unsigned char)k->id[1][n - 1]);
		}
	}
}

/* Binds ?B..?B+3 (phones, "" when none), ?B+4..?B+5 (ID forms), ?B+6
 * (name), B being first.  The statement's numbers follow its own without
 * a gap: PostgreSQL cannot type a parameter the SQL never mentions. */
static void bind_consumer(struct wq_stmt *st, int first,
			  const struct consumer_keys *k)
{
	for (int i = 0; i < 4; i++)
		wq_bind_text(st, first + i, k->has_phone ? k->phone[i] : "");
	for (int i = 0; i < 2; i++)
		wq_bind_text(st, first + 4 + i, k->has_id ? k->id[i] : "");
	wq_bind_text(st, first + 6, k->name);
}

static time_t received_of(const struct wq_intake *in)
{
	time_t t;

	if (!empty(in->received_at) && wq_time_parse(in->received_at, &t))
		return t;
	return wq_now();
}

/* ---- duplicates ---- */

void wq_intake_duplicates_free(struct wq_intake_duplicates *d)
{
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

enum wq_err wq_intake_duplicates(struct wq_store *store,
				 const struct wq_user *actor,
				 const struct wq_intake *in,
				 struct wq_intake_duplicates *out)
{
	struct consumer_keys k;
	struct wq_stmt *st;
	enum wq_err err;
	time_t t = received_of(in);
	char from[21], to[21];
	int rc;

	memset(out, 0, sizeof(*out));
	if (empty(in->merchant_name) ||
	    (empty(in->consumer_name) && empty(in->consumer_phone) &&
	     empty(in->consumer_id_number)))
		return WQ_ERR_OK;
	consumer_keys(in, &k);
	/* A match on an ID number tells that it exists: only the roles that
	 * see ID numbers match on them. */
	if (!wq_role_sees_id_number(actor->role))
		k.has_id = false;
	wq_time_format(t - (time_t)WQ_INTAKE_DUPLICATE_DAYS * DAY_SECONDS,
		       from);
	wq_time_format(t + (time_t)WQ_INTAKE_DUPLICATE_DAYS * DAY_SECONDS, to);
	/* From the merchant (indexed by name) to its cases in the window
	 * (indexed by merchant and time), then the consumer. */
	err = wq_store_prepare(
		store,
		"SELECT c.number, c.status, c.received_at, m.name, c.order_no,"
		" ?5 <> '' AND p.phone IN (?5, ?6, ?7, ?8),"
		" ?9 <> '' AND p.id_number IN (?9, ?10),"
		" ?11 <> '' AND p.name = ?11"
		" FROM merchants m JOIN cases c ON c.merchant_id = m.id"
		" JOIN consumers p ON p.id = c.consumer_id"
		" WHERE m.name = ?1 AND c.order_no = ?2"
		" AND c.received_at BETWEEN ?3 AND ?4"
		" AND ((?5 <> '' AND p.phone IN (?5, ?6, ?7, ?8))"
		" OR (?9 <> '' AND p.id_number IN (?9, ?10))"
		" OR (?11 <> '' AND p.name = ?11))"
		" ORDER BY c.received_at DESC, c.id DESC LIMIT 20",
		&st);
	if (err)
		return err;
	wq_bind_text(st, 1, in->merchant_name);
	wq_bind_text(st, 2, or_empty(in->order_no));
	wq_bind_text(st, 3, from);
	wq_bind_text(st, 4, to);
	bind_consumer(st, 5, &k);
	while ((rc = wq_step(st)) == WQ_ROW) {
		struct wq_intake_case *c;

		out->v = wq_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		c = &out->v[out->n++];
		memset(c, 0, sizeof(*c));
		COPY(c->number, st, 0);
		COPY(c->status, st, 1);
		COPY(c->received_at, st, 2);
		COPY(c->merchant, st, 3);
		COPY(c->order_no, st, 4);
		c->same_phone = wq_column_int(st, 5);
		c->same_id_number = wq_column_int(st, 6);
		c->same_name = wq_column_int(st, 7);
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "duplicates");
	wq_store_finalize(store, st);
	if (err)
		wq_intake_duplicates_free(out);
	return err;
}

/* ---- history ---- */

/* The opening of a statement that formulaic texts share: the first
 * WQ_FORMULAIC_PREFIX characters, white space (ASCII and U+3000) left
 * out.  Returns the characters kept. */
static size_t statement_key(const char *s, char *key, size_t size)
{
	size_t len = strlen(s), used = 0, chars = 0;

	key[0] = '\0';
	for (size_t i = 0; i < len && chars < WQ_FORMULAIC_PREFIX;) {
		uint32_t cp = 0;
		size_t n = wq_utf8_decode(s + i, len - i, &cp);

		if (!n) {
			i++;
			continue;
		}
		if (cp != ' ' && cp != '\t' && cp != '\n' && cp != '\r' &&
		    cp != 0x3000 && used + n < size) {
			memcpy(key + used, s + i, n);
			used += n;
			chars++;
		}
		i += n;
	}
	key[used] = '\0';
	return chars;
}

struct past_case {
	time_t at;
	char merchant[128];
	char key[4 * WQ_FORMULAIC_PREFIX + 1];
	bool key_ok;              /* long enough to compare */
	bool compensation;
};

/* A past case of the consumer: what the history shows of it, and whether
 * it was refused or withdrawn (the serial-complaint signals). */
#define HISTORY_FROM                                                           \
	"SELECT c.number, c.status, c.received_at, m.name, c.order_no,"       \
	" c.remedy, (SELECT s.text FROM statements s WHERE"                    \
	" s.case_id = c.id AND s.party = 'complainant' ORDER BY s.id"          \
	" LIMIT 1),"                                                           \
	" EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id AND"           \
	" e.action = 'not-accept'),"                                           \
	" EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id AND"           \
	" e.action = 'withdraw')"                                              \
	" FROM consumers p JOIN cases c ON c.consumer_id = p.id"               \
	" JOIN merchants m ON m.id = c.merchant_id"

enum wq_err wq_intake_history(struct wq_store *store,
			      const struct wq_user *actor,
			      const struct wq_intake *in,
			      struct wq_intake_history *out)
{
	static const char by_keys[] =
		HISTORY_FROM
		" WHERE ((?3 <> '' AND p.phone IN (?3, ?4, ?5, ?6))"
		" OR (?7 <> '' AND p.id_number IN (?7, ?8)))"
		" AND c.received_at <= ?1"
		" ORDER BY c.received_at DESC, c.id DESC LIMIT ?2";
	/* Only for a consumer without phone and ID number. */
	static const char by_name[] =
		HISTORY_FROM
		" WHERE p.name = ?3"
		" AND c.received_at <= ?1"
		" ORDER BY c.received_at DESC, c.id DESC LIMIT ?2";
	struct consumer_keys k;
	struct past_case *past = NULL;
	size_t npast = 0;
	struct wq_stmt *st;
	enum wq_err err;
	time_t ref = received_of(in);
	char ref_text[21], new_key[4 * WQ_FORMULAIC_PREFIX + 1];
	bool new_key_ok = false;
	int64_t refused;
	int rc;

	memset(out, 0, sizeof(*out));
	/* The history answers "has this ID number complained before": a
	 * role that may not see ID numbers would learn one exists. */
	if (!wq_role_sees_id_number(actor->role))
		return wq_fail(WQ_ERR_DENIED,
			       N_("the consumer's history is for the roles that "
			       "see ID numbers"));
	consumer_keys(in, &k);
	if (!k.has_phone && !k.has_id && !*k.name)
		return WQ_ERR_OK;
	out->by_name_only = !k.has_phone && !k.has_id;
	wq_time_format(ref, ref_text);
	err = wq_store_prepare(store, out->by_name_only ? by_name : by_keys,
			       &st);
	if (err)
		return err;
	wq_bind_text(st, 1, ref_text);
	wq_bind_int(st, 2, HISTORY_ROWS);
	if (out->by_name_only)
		wq_bind_text(st, 3, k.name);
	else
		bind_consumer(st, 3, &k);
	while ((rc = wq_step(st)) == WQ_ROW) {
		struct past_case *p;
		time_t at = 0;
		int64_t age;

		past = wq_xrealloc(past, (npast + 1) * sizeof(*past));
		p = &past[npast++];
		memset(p, 0, sizeof(*p));
		wq_time_parse(wq_column_text(st, 2), &at);
		p->at = at;
		COPY(p->merchant, st, 3);
		p->key_ok =
		    statement_key(wq_column_text(st, 6), p->key,
				  sizeof(p->key)) >= FORMULAIC_MIN_CHARS;
		p->compensation =
		    strcmp(wq_column_text(st, 5), "compensation") == 0;
		out->total++;
		age = (int64_t)(ref - at);
		if (age <= 30 * (int64_t)DAY_SECONDS)
			out->last30++;
		if (age <= 90 * (int64_t)DAY_SECONDS)
			out->last90++;
		if (age <= 365 * (int64_t)DAY_SECONDS) {
			bool seen = false;

			out->last365++;
			for (size_t i = 0; i + 1 < npast; i++)
				if (past[i].at >= ref - 365 * (time_t)DAY_SECONDS &&
				    strcmp(past[i].merchant, p->merchant) == 0)
					seen = true;
			if (!seen)
				out->merchants365++;
			if (!empty(in->merchant_name) &&
			    strcmp(p->merchant, in->merchant_name) == 0)
				out->this_merchant365++;
			if (p->compensation)
				out->compensation365++;
		}
		if (wq_column_int(st, 7))
			out->not_accepted++;
		else if (wq_column_int(st, 8))
			out->withdrawn++;
		if (out->nrecent < 5) {
			struct wq_intake_case *c = &out->recent[out->nrecent++];

			COPY(c->number, st, 0);
			COPY(c->status, st, 1);
			COPY(c->received_at, st, 2);
			COPY(c->merchant, st, 3);
			COPY(c->order_no, st, 4);
		}
	}
	if (rc != WQ_DONE)
		err = wq_store_error(store, "history");
	wq_store_finalize(store, st);
	if (err) {
		free(past);
		return err;
	}

	/* Formulaic text: earlier statements whose opening another of the
	 * consumer's statements (the new one included) shares. */
	if (!empty(in->statement))
		new_key_ok = statement_key(in->statement, new_key,
					   sizeof(new_key)) >=
			     FORMULAIC_MIN_CHARS;
	for (size_t i = 0; i < npast; i++) {
		bool shared = false;

		if (!past[i].key_ok)
			continue;
		if (new_key_ok && strcmp(past[i].key, new_key) == 0)
			shared = true;
		for (size_t j = 0; !shared && j < npast; j++)
			if (j != i && past[j].key_ok &&
			    strcmp(past[i].key, past[j].key) == 0)
				shared = true;
		if (shared)
			out->formulaic++;
	}
	free(past);

	refused = out->not_accepted + out->withdrawn;
	out->refused_percent =
		out->total ? (int)(refused * 100 / out->total) : 0;
	if (out->last30 >= FREQUENT_30 || out->last90 >= FREQUENT_90 ||
	    out->last365 >= FREQUENT_365)
		out->signals |= WQ_SIGNAL(FREQUENT);
	if (out->this_merchant365 >= REPEAT_MERCHANT_365)
		out->signals |= WQ_SIGNAL(REPEAT_MERCHANT);
	if (out->formulaic >= FORMULAIC_MIN)
		out->signals |= WQ_SIGNAL(FORMULAIC);
	if (out->compensation365 >= COMPENSATION_365)
		out->signals |= WQ_SIGNAL(COMPENSATION);
	if (out->total >= REFUSED_MIN_TOTAL &&
	    out->refused_percent >= REFUSED_PERCENT)
		out->signals |= WQ_SIGNAL(REFUSED);
	return WQ_ERR_OK;
}

/* ---- merchants ---- */

/* text with LIKE's wildcards and the escape character escaped. */
static char *like_escape(const char *text)
{
	struct wq_buf b = {0};

	for (const char *p = text; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			wq_buf_add(&b, "\\", 1);
		wq_buf_add(&b, p, 1);
	}
	wq_buf_add(&b, "", 0);
	return b.data;
}

enum wq_err wq_intake_merchants(struct wq_store *store, const char *text,
				struct wq_merchant_match *out, int max,
				int *count)
{
	struct wq_stmt *st;
	enum wq_err err;
	char *esc, *prefix, *anywhere;

	*count = 0;
	if (max <= 0)
		max = 10;
	if (empty(text))
		return WQ_ERR_OK;
	esc = like_escape(text);
	prefix = wq_asprintf("%s%%", esc);
	anywhere = wq_asprintf("%%%s%%", esc);
	free(esc);
	err = wq_store_prepare(
		store,
		"SELECT id, name, platform, shop_id, region, complaints,"
		" repeat_offender, blacklisted FROM merchants"
		/* lower() both sides: SQLite's LIKE folds ASCII case,
		 * PostgreSQL's does not. */
		" WHERE lower(name) LIKE lower(?1) ESCAPE '\\'"
		" ORDER BY lower(name) LIKE lower(?2) ESCAPE '\\' DESC,"
		" complaints DESC,"
		" name, id LIMIT ?3",
		&st);
	if (!err) {
		wq_bind_text(st, 1, anywhere);
		wq_bind_text(st, 2, prefix);
		wq_bind_int(st, 3, max);
		while (*count < max && wq_step(st) == WQ_ROW) {
			struct wq_merchant_match *m = &out[(*count)++];

			memset(m, 0, sizeof(*m));
			m->id = wq_column_int64(st, 0);
			COPY(m->name, st, 1);
			COPY(m->platform, st, 2);
			COPY(m->shop_id, st, 3);
			COPY(m->region, st, 4);
			m->complaints = wq_column_int64(st, 5);
			m->repeat_offender = wq_column_int(st, 6);
			m->blacklisted = wq_column_int(st, 7);
		}
		wq_store_finalize(store, st);
	}
	free(prefix);
	free(anywhere);
	return err;
}

/* ---- the save ---- */

static char *intake_details(const struct wq_intake_extra *x)
{
	struct wq_buf b = {0};
	bool first = true;

	/* args.argv is what the timeline shows: the materials seen. */
	wq_buf_puts(&b, "{\"args\":{\"argv\":[");
	for (unsigned i = 0; i < WQ_MATERIAL_COUNT_; i++) {
		if (!(x->materials & (1u << i)))
			continue;
		wq_buf_printf(&b, "%s\"%s\"", first ? "" : ",", material_codes[i]);
		first = false;
	}
	wq_buf_printf(&b, "]},\"files\":%zu,\"duplicates_shown\":[", x->nfiles);
	for (size_t i = 0; x->duplicates && i < x->duplicates->n; i++) {
		if (i)
			wq_buf_puts(&b, ",");
		wq_buf_json_string(&b, x->duplicates->v[i].number);
	}
	wq_buf_puts(&b, "],\"signals\":[");
	first = true;
	for (unsigned i = 0; i < WQ_SIGNAL_COUNT_; i++) {
		if (!(x->signals & (1u << i)))
			continue;
		wq_buf_printf(&b, "%s\"%s\"", first ? "" : ",", signal_codes[i]);
		first = false;
	}
	wq_buf_puts(&b, "]}");
	return b.data;
}

enum wq_err wq_intake_save(struct wq_store *store, const struct wq_user *actor,
			   const struct wq_intake *in,
			   const struct wq_intake_extra *extra,
			   int64_t *case_id, char number[32])
{
	static const struct wq_intake_extra none = {0};
	struct wq_intake_report report;
	const struct wq_intake_extra *x = extra ? extra : &none;
	enum wq_err err;
	int64_t id = 0;
	char *details;

	number[0] = '\0';
	err = wq_intake_check(store, actor, in, &report);
	if (err)
		return err;
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_case_create_tx(store, actor, in, &id, number);
	for (size_t i = 0; !err && i < x->nfiles; i++) {
		const struct wq_intake_file *f = &x->files[i];

		err = wq_evidence_add_tx(store, actor, id,
					 f->kind ? f->kind : "other",
					 "complainant",
					 f->file_name ? f->file_name : "file",
					 f->bytes, f->len, f->encoding, NULL);
		if (err) {
			char *why = wq_strdup(wq_err_detail());

			err = wq_fail(err, N_("%s: %s"),
				      f->file_name ? f->file_name : "file",
				      *why ? why : wq_strerror(err));
			free(why);
		}
	}
	if (!err) {
		details = intake_details(x);
		err = wq_audit_append(store, actor->login, id, "intake",
				      details, NULL);
		free(details);
	}
	if (err) {
		wq_store_rollback(store);
		number[0] = '\0';
		return err;
	}
	err = wq_store_commit(store);
	if (err) {
		number[0] = '\0';
		return err;
	}
	if (case_id)
		*case_id = id;
	return WQ_ERR_OK;
}

/* ---- files, with the real user's rights (weiquan/files.h) ---- */

enum wq_err wq_intake_read_file(const char *path, size_t max, char **data,
				size_t *len)
{
	struct stat sb;
	enum wq_err err;
	size_t cap, got = 0;
	char *buf;
	int fd, saved;

	*data = NULL;
	*len = 0;
	err = wq_file_open_read(path, &fd);
	if (err)
		return err;
	if (fstat(fd, &sb) != 0 || (uint64_t)sb.st_size > max) {
		close(fd);
		return wq_fail(WQ_ERR_INVALID,
			       N_("%s: larger than %zu MB"), path, max >> 20);
	}
	cap = (size_t)sb.st_size + 1;
	buf = wq_xmalloc(cap + 1);
	for (;;) {
		ssize_t n;

		if (got == cap) {
			if (cap > max) {
				close(fd);
				free(buf);
				return wq_fail(WQ_ERR_INVALID,
					       N_("%s: larger than %zu MB"), path,
					       max >> 20);
			}
			cap *= 2;
			buf = wq_xrealloc(buf, cap + 1);
		}
		n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			close(fd);
			free(buf);
			return wq_fail(WQ_ERR_IO, N_("%s: %s"), path,
				       strerror(saved));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got > max) {
		free(buf);
		return wq_fail(WQ_ERR_INVALID, N_("%s: larger than %zu MB"), path,
			       max >> 20);
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return WQ_ERR_OK;
}

enum wq_err wq_intake_write_file(const char *path, const void *data,
				 size_t len, bool replace)
{
	int fd;
	enum wq_err err = wq_file_create(path, replace, &fd);

	return err ? err : wq_file_write_close(fd, path, data, len);
}

/* The user's own home: privileged, the password database's (the
 * environment is the caller's to set), else $HOME. */
static char *home_dir(void)
{
	const char *home = wq_privileged() ? NULL : getenv("HOME");
	struct passwd *pw;

	if (home && *home == '/')
		return wq_strdup(home);
	pw = getpwuid(getuid());
	return pw && pw->pw_dir && *pw->pw_dir == '/' ? wq_strdup(pw->pw_dir)
						      : NULL;
}

char *wq_intake_receipt_dir(void)
{
	char *home = home_dir(), *dir;

	if (!home)
		return NULL;
	dir = wq_asprintf("%s/weiquan", home);
	free(home);
	return dir;
}

static bool plain_file_name(const char *name)
{
	if (!*name || *name == '.' || strlen(name) > 200)
		return false;
	for (const char *p = name; *p; p++)
		if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

enum wq_err wq_intake_write_receipt(const char *name, const void *data,
				    size_t len, char **written)
{
	struct wq_ids ids;
	char *dir;
	int dir_fd, fd = -1, saved = 0;
	enum wq_err err = WQ_ERR_OK;

	*written = NULL;
	if (!plain_file_name(name))
		return wq_fail(WQ_ERR_INVALID,
			       N_("%s: a file name only, without '/' and not "
			       "starting with '.'"),
			       name);
	dir = wq_intake_receipt_dir();
	if (!dir)
		return wq_fail(WQ_ERR_IO, N_("no home directory"));
	if (wq_ids_drop(&ids) != 0) {
		err = wq_fail(WQ_ERR_IO, N_("cannot take the user's own rights: %s"),
			      strerror(errno));
		free(dir);
		return err;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		saved = errno;
	/* The directory itself, not whatever a symlink of that name points
	 * to; a file in it only new, never one replaced. */
	dir_fd = saved ? -1
		       : open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					   O_CLOEXEC);
	if (!saved && dir_fd < 0)
		saved = errno;
	if (dir_fd >= 0) {
		fd = openat(dir_fd, name,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				    O_NOCTTY | O_CLOEXEC,
			    0600);
		if (fd < 0)
			saved = errno;
		close(dir_fd);
	}
	wq_ids_restore(&ids);
	*written = wq_asprintf("%s/%s", dir, name);
	free(dir);
	if (fd < 0) {
		err = wq_fail(saved == EEXIST ? WQ_ERR_EXISTS : WQ_ERR_IO,
			      N_("%s: %s"), *written, strerror(saved));
		free(*written);
		*written = NULL;
		return err;
	}
	err = wq_file_write_close(fd, *written, data, len);
	if (err) {
		free(*written);
		*written = NULL;
	}
	return err;
}

/* ---- the receipt ---- */

static const struct {
	const char *code, *zh;
} grounds[] = {
	{"outside-remit", "该投诉不属于本机构的处理范围"},
	{"already-handled",
	 "该争议已由人民法院、仲裁机构、其他行政机关或者消费者组织受理或者处理"},
	{"not-consumption",
	 "该投诉不是为生活消费需要购买、使用商品或者接受服务而产生，"
	 "或者未能证明与被投诉人之间存在消费者权益争议"},
	{"time-barred", "自您知道或者应当知道权益受到侵害之日起已超过三年"},
	{"materials-missing", "未按要求提供必要的投诉材料"},
	{"false-identity", "存在冒用他人身份投诉或者拒绝核实身份信息的情形"},
	{"false-materials", "您提供的投诉材料不真实"},
	{"impersonation", "存在冒用他人名义投诉的情形"},
	{"identity-refused", "您拒绝核实身份信息"},
	{"other", "存在其他不符合受理条件的情形"},
};

/* The fields the rule requires (weiquan/vocab.h, WQ_REQUIRED_FIELD_LIST)
 * as the notice names them. */
static const char *const required_field_zh[][2] = {
	{"complainant-name", "投诉人姓名"},
	{"complainant-phone", "投诉人电话号码"},
	{"complainant-address", "投诉人通讯地址"},
	{"respondent-name", "被投诉人名称（姓名）"},
	{"respondent-address", "被投诉人地址"},
	{"claim", "具体的投诉请求"},
	{"facts", "消费者权益争议事实"},
	{NULL, NULL},
};

const char *wq_receipt_ground(const char *reason)
{
	for (size_t i = 0; reason && i < sizeof(grounds) / sizeof(grounds[0]);
	     i++)
		if (strcmp(grounds[i].code, reason) == 0)
			return grounds[i].zh;
	return NULL;
}

static const char *zh_of(const char *const table[][2], const char *code)
{
	for (int i = 0; table[i][0]; i++)
		if (strcmp(table[i][0], code) == 0)
			return table[i][1];
	return code;
}

static const char *const status_zh[][2] = {
	{"received", "已登记，待审查是否受理"},
	{"need_info", "待补充材料"},
	{"screened", "审查中"},
	{"accepted", "已受理"},
	{"not_accepted", "不予受理"},
	{"transferred", "已移送有关部门"},
	{"odr", "已转经营者自行处理（ODR）"},
	{"in_mediation", "调解中"},
	{"agreement", "已达成调解协议"},
	{"performance_watch", "调解协议履行中"},
	{"unperformed", "调解协议未履行"},
	{"settled", "双方已和解"},
	{"withdrawn", "已撤回"},
	{"mediation_ended", "调解终止"},
	{"termination_notice", "已告知调解终止"},
	{"first_review", "结案审核中"},
	{"final_review", "结案审核中"},
	{"closed", "已结案"},
	/* the IP-notice track */
	{"notice_received", "已收到权利人通知"},
	{"notice_rejected", "通知不予处理"},
	{"measures_taken", "已采取必要措施并转送经营者"},
	{"declared", "已收到不存在侵权行为的声明"},
	{"declaration_forwarded", "声明已转送权利人"},
	{"measures_kept", "权利人已投诉或起诉，措施继续"},
	{"measures_ended", "已终止所采取的措施"},
	/* the report track */
	{"report_received", "举报已收到，核查中"},
	{"report_filed", "已立案"},
	{"report_not_filed", "不予立案"},
	{"report_merged", "已并入此前的举报处理"},
	{"report_repeated", "重复举报，不再处理"},
	/* the cross-region diversion track */
	{"diversion_received", "串货投诉已收到"},
	{"trace_verified", "溯源记录已核实"},
	{"diversion_dismissed", "投诉不成立"},
	{"penalty_agreed", "经销商同意支付违约金"},
	{"diversion_disputed", "经销商有异议，按合同约定处理"},
	{"diversion_withdrawn", "品牌方已撤回投诉"},
	{NULL, NULL},
};
static const char *const type_zh[][2] = {
	{"complaint", "消费投诉"},
	{"ip", "知识产权侵权投诉"},
	{"diversion", "跨区域串货纠纷"},
	{"report", "举报"},
	{NULL, NULL},
};
static const char *const remedy_zh[][2] = {
	{"refund", "退款"},   {"return", "退货"},
	{"exchange", "换货"}, {"repair", "维修"},
	{"compensation", "赔偿"}, {NULL, NULL},
};
static const char *const kind_zh[][2] = {
	{"voucher", "购物凭证"},   {"order", "订单记录"},
	{"chat", "聊天记录"},      {"photo", "照片"},
	{"contract", "合同"},      {"logistics", "物流记录"},
	{"scan", "扫码记录"},      {"appraisal", "检测鉴定报告"},
	{"other", "其他材料"},     {NULL, NULL},
};

/* All but the last 4 characters (half of a short one) as '*'. */
static void put_masked(struct wq_buf *b, const char *s)
{
	size_t n = strlen(s), keep = n >= 8 ? 4 : n / 2;

	for (size_t i = 0; i < n - keep; i++)
		wq_buf_add(b, "*", 1);
	wq_buf_add(b, s + n - keep, keep);
}

/* "2026年09月24日 10:05" (local time) of a UTC timestamp. */
static void local_time(const char *utc, bool with_time, char *out,
		       size_t size)
{
	time_t t;
	struct tm tm;

	if (!wq_time_parse(utc, &t)) {
		snprintf(out, size, "%s", utc);
		return;
	}
	/* Beijing time on the receipt, as the procedure counts from it. */
	wq_zone_tm(t, &tm);
	if (with_time)
		strftime(out, size, "%Y年%m月%d日 %H:%M", &tm);
	else
		strftime(out, size, "%Y年%m月%d日", &tm);
}

static void iso_day_zh(const char *iso, char *out, size_t size)
{
	int y, m, d;

	if (sscanf(iso, "%d-%d-%d", &y, &m, &d) == 3)
		snprintf(out, size, "%04d年%02d月%02d日", y, m, d);
	else
		snprintf(out, size, "%s", iso);
}

/* What the receipt needs beyond wq_case_detail. */
struct receipt_extra {
	char *phone, *id_number;      /* unmasked, masked when printed */
	char *org, *desk_name, *category_zh;
	int accept_days, mediation_days;
	/* Whether the case's regime marks each figure checked against the
	 * official text: a receipt goes to the complainant, so an unchecked
	 * one carries FIGURE_UNVERIFIED, never stands as law. */
	bool accept_verified, mediation_verified;
	unsigned materials;
	bool intake_seen;
	char decided_at[21];          /* the not-accept event */
	char *note;
	char *missing;                /* the fields it named, space
					 separated ("" before they were) */
};

static void receipt_extra_free(struct receipt_extra *x)
{
	free(x->phone);
	free(x->id_number);
	free(x->missing);
	free(x->org);
	free(x->desk_name);
	free(x->category_zh);
	free(x->note);
}

static enum wq_err load_receipt_extra(struct wq_store *store, int64_t id,
				      const char *regime,
				      struct receipt_extra *x)
{
	struct wq_stmt *st;
	enum wq_err err;

	memset(x, 0, sizeof(*x));
	err = wq_store_prepare(
		store,
		"SELECT p.phone, p.id_number, coalesce(u.name, ''),"
		" c.created_by, coalesce(k.name_zh, c.category)"
		" FROM cases c JOIN consumers p ON p.id = c.consumer_id"
		" LEFT JOIN users u ON u.login = c.created_by"
		" LEFT JOIN categories k ON k.code = c.category"
		" WHERE c.id = ?1",
		&st);
	if (err)
		return err;
	wq_bind_int64(st, 1, id);
	if (wq_step(st) == WQ_ROW) {
		x->phone = wq_strdup(wq_column_text(st, 0));
		x->id_number = wq_strdup(wq_column_text(st, 1));
		x->desk_name =
		    wq_strdup(*wq_column_text(st, 2) ? wq_column_text(st, 2)
						     : wq_column_text(st, 3));
		x->category_zh = wq_strdup(wq_column_text(st, 4));
	}
	wq_store_finalize(store, st);
	if (!x->phone)
		return wq_fail(WQ_ERR_NOT_FOUND, N_("case %" PRId64 " is gone"),
			       id);

	err = wq_store_get_setting(store, "org_name", &x->org);
	if (err == WQ_ERR_NOT_FOUND) {
		x->org = NULL;
		err = WQ_ERR_OK;
	}
	if (err)
		return err;

	/* The figures of the regime the case was received under (the
	 * active one may be another since `clock use`), as its deadlines
	 * were counted. */
	err = wq_store_prepare(
		store,
		"SELECT r.clock, r.working_days, coalesce(s.verified, 0)"
		" FROM clock_rules r LEFT JOIN clock_sources s"
		" ON s.regime = r.regime AND s.clock = r.clock"
		" WHERE r.regime = ?1",
		&st);
	if (err)
		return err;
	wq_bind_text(st, 1, regime);
	while (wq_step(st) == WQ_ROW) {
		bool verified = wq_column_int(st, 2) != 0;

		if (strcmp(wq_column_text(st, 0), "accept") == 0) {
			x->accept_days = wq_column_int(st, 1);
			x->accept_verified = verified;
		} else if (strcmp(wq_column_text(st, 0), "mediation") == 0) {
			x->mediation_days = wq_column_int(st, 1);
			x->mediation_verified = verified;
		}
	}
	wq_store_finalize(store, st);

	err = wq_store_prepare(
		store,
		"SELECT action, at, json_extract(details, '$.args')"
		" FROM events WHERE case_id = ?1 AND action IN ('intake',"
		" 'not-accept') ORDER BY id",
		&st);
	if (err)
		return err;
	wq_bind_int64(st, 1, id);
	while (wq_step(st) == WQ_ROW) {
		/* The arguments joined by unit separators (read in C: the SQL
		 * both databases speak does not walk arrays). */
		json_t *args = wq_json_parse(wq_column_text_or_null(st, 2));
		char *argv = wq_json_join(json_object_get(args, "argv"),
					  "\x1f");

		if (strcmp(wq_column_text(st, 0), "intake") == 0) {
			x->intake_seen = true;
			x->materials = 0;
			for (unsigned b = 0; b < WQ_MATERIAL_COUNT_; b++) {
				const char *p = argv;
				size_t n = strlen(material_codes[b]);

				for (; (p = strstr(p, material_codes[b]));
				     p += n)
					if ((p == argv || p[-1] == '\x1f') &&
					    (p[n] == '\x1f' || !p[n]))
						x->materials |= 1u << b;
			}
		} else {
			const char *sep = strchr(argv, '\x1f');

			COPY(x->decided_at, st, 1);
			free(x->missing);
			x->missing = wq_json_join(
				json_object_get(args, "missing"), " ");
			free(x->note);
			x->note = sep && sep[1] ? wq_strdup(sep + 1) : NULL;
			if (x->note)
				for (char *p = x->note; *p; p++)
					if (*p == '\x1f')
						*p = ' ';
		}
		free(argv);
		json_decref(args);
	}
	wq_store_finalize(store, st);
	return WQ_ERR_OK;
}

static void line(struct wq_buf *b, const char *label, const char *value)
{
	if (empty(value))
		return;
	wq_buf_printf(b, "%s：%s\n", label, value);
}

static void receipt_notice(struct wq_buf *b, const struct wq_case_detail *d,
			   const struct receipt_extra *x)
{
	const char *ground = wq_receipt_ground(d->reason);
	char when[64], decided[64];

	local_time(d->row.received_at, false, when, sizeof(when));
	wq_buf_puts(b, "\n----------------------------------------\n");
	wq_buf_puts(b, "不予受理告知书\n\n");
	wq_buf_printf(b, "%s：\n", d->consumer_name);
	wq_buf_printf(b,
		      "    您于%s提出的投诉（案件编号：%s，被投诉经营者：%s），"
		      "经审查，%s，本机构决定不予受理。\n",
		      when, d->row.number, d->row.merchant,
		      ground ? ground : "存在不符合受理条件的情形");
	/* The fields the rule requires that the refusal named (rules.c
	 * computed them from the case), not the desk's checklist of
	 * evidence: a refusal from before they were named names none. */
	if (strcmp(d->reason, "materials-missing") == 0 && x->missing &&
	    *x->missing) {
		bool first = true;

		for (int i = 0; required_field_zh[i][0]; i++) {
			if (!wq_word_in(required_field_zh[i][0], x->missing))
				continue;
			wq_buf_printf(b, "%s%s", first ? "    未提供的材料：" : "、",
				      required_field_zh[i][1]);
			first = false;
		}
		if (!first)
			wq_buf_puts(b, "。\n");
	}
	if (x->note)
		wq_buf_printf(b, "    说明：%s\n", x->note);
	wq_buf_puts(b,
		    "    根据《中华人民共和国消费者权益保护法》第三十九条，"
		    "消费者和经营者发生消费者权益争议的，可以通过下列途径"
		    "解决：\n"
		    "    （一）与经营者协商和解；\n"
		    "    （二）请求消费者协会或者依法成立的其他调解组织调解；\n"
		    "    （三）向有关行政部门投诉；\n"
		    "    （四）根据与经营者达成的仲裁协议提请仲裁机构仲裁；\n"
		    "    （五）向人民法院提起诉讼。\n");
	if (strcmp(d->reason, "materials-missing") == 0)
		wq_buf_puts(b, "    补齐材料后，您可以重新提出投诉。\n");
	wq_buf_puts(b, "\n");
	if (x->org && *x->org)
		wq_buf_printf(b, "%s\n", x->org);
	if (*x->decided_at) {
		local_time(x->decided_at, false, decided, sizeof(decided));
		wq_buf_printf(b, "%s\n", decided);
	}
}

static const struct wq_clock_view *clock_of(const struct wq_case_detail *d,
					    const char *name)
{
	for (int i = 0; i < d->nclocks; i++)
		if (strcmp(d->clocks[i].name, name) == 0)
			return &d->clocks[i];
	return NULL;
}

/* Beside a figure, or a deadline counted from one, that the regime does
 * not mark checked against the official text (the documents' citations
 * carry their own mark, data/documents/LANG/grounds.txt). */
#define FIGURE_UNVERIFIED "〔该期限未经与官方文本核对〕"

static const char *unverified_mark(bool unverified)
{
	return unverified ? FIGURE_UNVERIFIED : "";
}

static void receipt_clocks(struct wq_buf *b, const struct wq_case_detail *d,
			   const struct receipt_extra *x)
{
	const struct wq_clock_view *acc = clock_of(d, "accept");
	const struct wq_clock_view *med = clock_of(d, "mediation");
	char day[64], days[64] = "";

	wq_buf_puts(b, "\n【办理时限】\n");
	if (x->accept_days > 0)
		snprintf(days, sizeof(days), "自收到投诉之日起%d个工作日内",
			 x->accept_days);
	if (acc && *acc->stopped) {
		iso_day_zh(acc->stopped, day, sizeof(day));
		wq_buf_printf(b, "是否受理：已于%s作出决定（%s）。\n", day,
			      zh_of(status_zh, d->row.status));
	} else if (acc && *acc->due) {
		iso_day_zh(acc->due, day, sizeof(day));
		wq_buf_printf(b,
			      "是否受理：本机构%s决定是否受理并告知您，最迟于%s%s。"
			      "%s\n",
			      *days ? days : "在规定期限内", day,
			      unverified_mark(acc->unverified),
			      acc->uncertain ? "（该日期所在年度的节假日安排尚未"
					       "公布，日期可能调整。）"
					     : "");
	} else {
		wq_buf_printf(b, "是否受理：本机构%s%s决定是否受理并告知您。\n",
			      *days ? days : "在规定期限内",
			      unverified_mark(*days && !x->accept_verified));
	}
	if (med && *med->start && !*med->stopped && *med->due) {
		iso_day_zh(med->due, day, sizeof(day));
		wq_buf_printf(b, "调解期限：至%s", day);
		if (x->mediation_days > 0)
			wq_buf_printf(b, "（受理之日起%d个工作日，检测、鉴定时间"
					 "不计算在内）",
				      x->mediation_days);
		wq_buf_printf(b, "%s。\n", unverified_mark(med->unverified));
	}
	wq_buf_puts(b, "（工作日不含法定节假日，调休上班日计入。）\n");
}

static void receipt_next(struct wq_buf *b, const struct receipt_extra *x)
{
	wq_buf_puts(b, "\n【后续程序】\n");
	wq_buf_puts(b, "1. 本机构将审查您的投诉并决定是否受理；需要补充材料的，"
		       "工作人员会通过您留下的联系方式与您联系。\n");
	if (x->mediation_days > 0)
		wq_buf_printf(b,
			      "2. 受理后，本机构将组织您与经营者调解，一般在受理"
			      "之日起%d个工作日内完成（检测、鉴定时间不计算在"
			      "内）%s。\n",
			      x->mediation_days,
			      unverified_mark(!x->mediation_verified));
	else
		wq_buf_puts(b, "2. 受理后，本机构将组织您与经营者调解。\n");
	wq_buf_puts(b, "3. 查询办理进度时，请提供上述案件编号。\n");
	wq_buf_puts(b, "4. 调解不成的，您还可以依法申请仲裁或者向人民法院提起"
		       "诉讼。\n");
	wq_buf_puts(b, "\n本回执仅证明您的投诉已经登记，不表示投诉已被受理。\n");
}

/* The receipt goes to terminals and printers: what users typed into it
 * (names, notes) must not carry control characters, escape sequences,
 * bidi controls, zero-width characters or bytes that are not UTF-8
 * (weiquan/clean.h says which).  Line breaks stay; the others become a
 * "?" that every printer and charset has, zero-width ones nothing. */
static char *printable(const char *s)
{
	struct wq_buf b = {0};
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		size_t n = wq_utf8_decode(s + i, len - i, &cp);

		if (!n) {
			wq_buf_puts(&b, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		if (cp == '\n' || wq_clean_class(cp) == WQ_CLEAN_PLAIN)
			wq_buf_add(&b, s + i, n);
		else if (wq_clean_class(cp) != WQ_CLEAN_INVISIBLE)
			wq_buf_add(&b, "?", 1);
		i += n;
	}
	wq_buf_add(&b, "", 0);
	return b.data;
}

/* A receipt speaks of the parties of the case's own track: a report's
 * reporter and the one reported (举报人, 被举报人), a diversion
 * dispute's brand owner and distributor (串货: a contract dispute between
 * them, no complaint procedure's clocks), else a complaint's. */
struct receipt_words {
	const char *title, *party, *respondent, *matter, *type, *category;
};

static const struct receipt_words complaint_words = {
    "投诉登记回执", "【投诉人】", "【被投诉经营者】", "【消费及投诉信息】",
    "投诉类型", "投诉类别"};
static const struct receipt_words report_words = {
    "举报登记回执", "【举报人】", "【被举报人】", "【举报信息】",
    "举报类型", "举报类别"};
static const struct receipt_words diversion_words = {
    "串货纠纷登记回执", "【品牌方】", "【经销商】", "【纠纷信息】",
    "纠纷类型", "纠纷类别"};

/* The report check's time, and what follows, on a report's receipt. */
static void receipt_report_next(struct wq_buf *b,
				const struct wq_case_detail *d)
{
	const struct wq_clock_view *check = clock_of(d, "report_check");
	char day[64];

	wq_buf_puts(b, "\n【办理时限】\n");
	if (check && *check->stopped) {
		iso_day_zh(check->stopped, day, sizeof(day));
		wq_buf_printf(b, "是否立案：已于%s作出决定（%s）。\n", day,
			      zh_of(status_zh, d->row.status));
	} else if (check && *check->due) {
		iso_day_zh(check->due, day, sizeof(day));
		wq_buf_printf(b, "是否立案：本机构核查后决定是否立案，最迟于%s"
				 "（检测、鉴定时间不计算在内）%s。\n",
			      day, unverified_mark(check->unverified));
	} else {
		wq_buf_puts(b, "是否立案：本机构在规定期限内核查并决定是否"
			       "立案。\n");
	}
	wq_buf_puts(b, "（工作日不含法定节假日，调休上班日计入。）\n");
	wq_buf_puts(b, "\n【后续程序】\n");
	wq_buf_puts(b, "1. 实名举报的，本机构将告知您是否立案。\n");
	wq_buf_puts(b, "2. 查询办理进度时，请提供上述案件编号。\n");
	wq_buf_puts(b, "\n本回执仅证明您的举报已经登记，不表示举报已被立案。\n");
}

enum wq_err wq_receipt_text(struct wq_store *store, const struct wq_user *actor,
			    const char *number, char **text)
{
	const struct receipt_words *words = &complaint_words;
	bool complaint;
	struct wq_case_detail *d = NULL;
	struct receipt_extra x;
	struct wq_buf b = {0};
	enum wq_err err;
	char when[64], amount[40], day[64];
	bool accepted_or_later;

	*text = NULL;
	err = wq_case_detail_load(store, actor, number, &d);
	if (err)
		return err;
	err = load_receipt_extra(store, d->row.id, d->regime, &x);
	if (err) {
		receipt_extra_free(&x);
		wq_case_detail_free(&d);
		return err;
	}
	if (strcmp(d->row.type, "report") == 0)
		words = &report_words;
	else if (strcmp(d->row.type, "diversion") == 0)
		words = &diversion_words;
	complaint = words == &complaint_words;
	accepted_or_later = strcmp(d->row.status, "received") != 0 &&
			    strcmp(d->row.status, "need_info") != 0 &&
			    strcmp(d->row.status, "screened") != 0 &&
			    strcmp(d->row.status, "not_accepted") != 0 &&
			    strcmp(d->row.status, "transferred") != 0 &&
			    strcmp(d->row.status, "odr") != 0;

	if (x.org && *x.org)
		wq_buf_printf(&b, "%s\n", x.org);
	wq_buf_printf(&b, "%s\n",
		      complaint && accepted_or_later ? "受理回执" : words->title);
	wq_buf_puts(&b, "========================================\n");
	line(&b, "案件编号", d->row.number);
	local_time(d->row.received_at, true, when, sizeof(when));
	line(&b, "登记时间", when);
	line(&b, "登记人员", x.desk_name);
	line(&b, "办理状态", zh_of(status_zh, d->row.status));

	wq_buf_printf(&b, "\n%s\n", words->party);
	line(&b, "姓名", d->consumer_name);
	if (*x.phone) {
		wq_buf_puts(&b, "联系电话：");
		put_masked(&b, x.phone);
		wq_buf_puts(&b, "\n");
	}
	if (*x.id_number) {
		wq_buf_puts(&b, "证件号码：");
		put_masked(&b, x.id_number);
		wq_buf_puts(&b, "\n");
	}
	line(&b, "所在地区", d->row.region);

	wq_buf_printf(&b, "\n%s\n", words->respondent);
	line(&b, "名称", d->row.merchant);
	line(&b, "平台", d->merchant_platform);
	line(&b, "店铺编号", d->merchant_shop_id);
	line(&b, "所在地区", d->merchant_region);

	wq_buf_printf(&b, "\n%s\n", words->matter);
	line(&b, "订单编号", d->order_no);
	if (d->row.amount_fen > 0) {
		snprintf(amount, sizeof(amount), "%" PRId64 ".%02" PRId64 " 元",
			 d->row.amount_fen / 100, d->row.amount_fen % 100);
		line(&b, "订单金额", amount);
	}
	if (*d->order_date) {
		iso_day_zh(d->order_date, day, sizeof(day));
		line(&b, "下单日期", day);
	}
	line(&b, words->type, zh_of(type_zh, d->row.type));
	line(&b, words->category, x.category_zh);
	line(&b, "诉求", *d->remedy ? zh_of(remedy_zh, d->remedy) : "");

	wq_buf_puts(&b, "\n【已收到的材料】\n");
	if (d->nevidence == 0)
		wq_buf_puts(&b, "（未提交电子材料）\n");
	for (size_t i = 0; i < d->nevidence; i++) {
		const struct wq_evidence_view *e = &d->evidence[i];

		wq_buf_printf(&b, "%zu. %s（%s，%" PRId64 " 字节）SHA-256：%.16s\n",
			      i + 1, e->file_name, zh_of(kind_zh, e->kind),
			      e->size, e->sha256);
	}
	if (d->nevidence)
		wq_buf_puts(&b, "（SHA-256 是文件内容的指纹，可用于核对材料"
				"未被改动。）\n");
	if (x.intake_seen) {
		wq_buf_puts(&b, "现场核对：");
		for (unsigned i = 0; i < WQ_MATERIAL_COUNT_; i++)
			wq_buf_printf(&b, "%s%s %s", i ? "；" : "",
				      material_zh[i],
				      x.materials & (1u << i) ? "已出示"
							      : "未出示");
		wq_buf_puts(&b, "\n");
	}

	if (words == &report_words) {
		receipt_report_next(&b, d);
	} else if (words == &diversion_words) {
		wq_buf_puts(&b, "\n查询办理进度时，请提供上述案件编号。\n"
				"\n本回执仅证明该纠纷已经登记。\n");
	} else if (strcmp(d->row.status, "not_accepted") != 0) {
		receipt_clocks(&b, d, &x);
		if (!accepted_or_later)
			receipt_next(&b, &x);
		else
			wq_buf_puts(&b, "\n查询办理进度时，请提供上述案件"
					"编号。\n");
	} else {
		receipt_notice(&b, d, &x);
	}
	if (x.org && *x.org && strcmp(d->row.status, "not_accepted") != 0)
		wq_buf_printf(&b, "\n%s\n", x.org);
	{
		char printed[21], now_zh[64];

		wq_time_format(wq_now(), printed);
		local_time(printed, true, now_zh, sizeof(now_zh));
		wq_buf_printf(&b, "打印时间：%s\n", now_zh);
	}
	receipt_extra_free(&x);
	wq_case_detail_free(&d);
	*text = printable(b.data);
	wq_buf_free(&b);
	return WQ_ERR_OK;
}

enum wq_err wq_receipt_encode(const char *utf8, const char *codeset,
			      char **out, size_t *len)
{
	enum wq_encoding enc;
	size_t n = strlen(utf8);

	*out = NULL;
	*len = 0;
	if (empty(codeset) || wq_enc_parse(codeset, &enc) != WQ_ERR_OK ||
	    enc == WQ_ENC_UTF8 || enc == WQ_ENC_UTF8_BOM ||
	    enc == WQ_ENC_UNKNOWN || enc == WQ_ENC_BINARY) {
		wq_err_clear();
		*out = wq_strndup(utf8, n);
		*len = n;
		return WQ_ERR_OK;
	}
	return wq_enc_from_utf8(utf8, n, enc, out, len);
}
