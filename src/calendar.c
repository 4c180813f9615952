#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>


#include "weiquan/calendar.h"
#include "weiquan/clean.h"
#include "weiquan/store.h"
#include "weiquan/err.h"
#include "weiquan/wqtime.h"

/* Day numbers of 0001-01-01 and 9999-12-31: the range with a text form. */
#define DATE_MIN (-719162)
#define DATE_MAX 2932896

/* A schedule is a few kilobytes a year; anything this big is the wrong
 * file, and refusing it early keeps a mistaken import from eating memory. */
#define IMPORT_MAX_BYTES (4 * 1024 * 1024)

/* ---- dates ---------------------------------------------------------- */

/* Howard Hinnant's days_from_civil: exact for every proleptic Gregorian
 * date without tables or loops.  long long keeps extreme inputs from
 * overflowing. */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool wq_date_parse(const char *iso, int *day)
{
	int y, m, d;

	/* Field by field rather than sscanf, which would take "2026-1-1",
	 * " 2026-01-01" and "+2026-01-01" and ignore trailing junk. */
	if (!iso || strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-')
		return false;
	y = digits(iso, 4);
	m = digits(iso + 5, 2);
	d = digits(iso + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return false;
	*day = (int)days_from_civil(y, m, d);
	return true;
}

void wq_date_format(int day, char out[11])
{
	long long y;
	int m, d;

	if (day < DATE_MIN || day > DATE_MAX) {
		memcpy(out, "0000-00-00", 11);
		return;
	}
	civil_from_days(day, &y, &m, &d);
	/* Explicit digits: the range check bounds y, but snprintf's
	 * truncation warning cannot see that. */
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int wq_date_weekday(int day)
{
	/* 1970-01-01 was a Thursday (4). */
	long long r = ((long long)day % 7 + 7) % 7;

	return (int)((r + 3) % 7) + 1;
}

int wq_date_year(int day)
{
	long long y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	return (int)y;
}

static bool is_weekend(int day)
{
	return wq_date_weekday(day) >= 6;
}

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Monday to Friday days in [1970-01-05, day] (negative before it), so
 * that weekdays in (a, b] is weekdays_upto(b) - weekdays_upto(a). */
static long long weekdays_upto(int day)
{
	long long off = (long long)day - 4; /* 1970-01-05 was a Monday */
	long long weeks = floor_div(off, 7);
	long long rem = off - weeks * 7;

	return weeks * 5 + (rem + 1 < 5 ? rem + 1 : 5);
}

/* ---- the in-memory calendar ----------------------------------------- */

struct cal_day {
	int day;
	bool off;
};

struct wq_calendar {
	int *years;		/* sorted */
	size_t nyears;
	struct cal_day *days;	/* sorted by day */
	size_t ndays;
	/* shift[i] is how much days[0 .. i-1] move the plain Monday-Friday
	 * count (-1 for a weekday off, +1 for a weekend day worked), so any
	 * span's correction is one subtraction after two binary searches. */
	int *shift;
};

/* Room for element n of size sz in arr (capacity *cap): returns arr or its
 * reallocation, or NULL with arr untouched. */
static void *grow(void *arr, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *np;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 64;
	np = realloc(arr, ncap * sz);
	if (np)
		*cap = ncap;
	return np;
}

void wq_cal_free(struct wq_calendar **cal)
{
	if (!cal || !*cal)
		return;
	free((*cal)->years);
	free((*cal)->days);
	free((*cal)->shift);
	free(*cal);
	*cal = NULL;
}

static enum wq_err load_years(struct wq_store *store, struct wq_calendar *cal)
{
	struct wq_stmt *st;
	size_t cap = 0;
	enum wq_err err = WQ_ERR_OK;
	int rc;

	err = wq_store_prepare_once(store, "SELECT year FROM calendar_years ORDER BY year", &st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW) {
		int *np = grow(cal->years, &cap, cal->nyears, sizeof(*np));

		if (!np) {
			err = wq_fail(WQ_ERR_NOMEM, N_("loading the calendar"));
			break;
		}
		cal->years = np;
		cal->years[cal->nyears++] = wq_column_int(st, 0);
	}
	if (!err && rc != WQ_DONE)
		err = wq_store_error(store, "reading calendar_years");
	wq_store_finalize(store, st);
	return err;
}

static enum wq_err load_days(struct wq_store *store, struct wq_calendar *cal)
{
	struct wq_stmt *st;
	size_t cap = 0;
	enum wq_err err = WQ_ERR_OK;
	int rc;

	/* Text order is date order for the strict form checked below. */
	err = wq_store_prepare_once(store, "SELECT day, off FROM calendar_days ORDER BY day", &st);
	if (err)
		return err;
	while ((rc = wq_step(st)) == WQ_ROW) {
		const char *text = wq_column_text_or_null(st, 0);
		struct cal_day *np;
		int day;

		if (!wq_date_parse(text, &day)) {
			err = wq_fail(WQ_ERR_PARSE,
				      N_("calendar_days: stored day '%s' is not a YYYY-MM-DD date"),
				      text ? text : "(null)");
			break;
		}
		np = grow(cal->days, &cap, cal->ndays, sizeof(*np));
		if (!np) {
			err = wq_fail(WQ_ERR_NOMEM, N_("loading the calendar"));
			break;
		}
		cal->days = np;
		cal->days[cal->ndays].day = day;
		cal->days[cal->ndays].off = wq_column_int(st, 1) != 0;
		cal->ndays++;
	}
	if (!err && rc != WQ_DONE && rc != WQ_ROW)
		err = wq_store_error(store, "reading calendar_days");
	wq_store_finalize(store, st);
	return err;
}

enum wq_err wq_cal_load(struct wq_store *store, struct wq_calendar **out)
{
	struct wq_calendar *cal;
	enum wq_err err;

	*out = NULL;
	cal = calloc(1, sizeof(*cal));
	if (!cal)
		return wq_fail(WQ_ERR_NOMEM, N_("loading the calendar"));
	err = load_years(store, cal);
	if (!err)
		err = load_days(store, cal);
	if (!err) {
		cal->shift = malloc((cal->ndays + 1) * sizeof(*cal->shift));
		if (!cal->shift)
			err = wq_fail(WQ_ERR_NOMEM, N_("loading the calendar"));
	}
	if (err) {
		wq_cal_free(&cal);
		return err;
	}
	cal->shift[0] = 0;
	for (size_t i = 0; i < cal->ndays; i++) {
		const struct cal_day *e = &cal->days[i];
		int s = 0;

		if (e->off && !is_weekend(e->day))
			s = -1;
		else if (!e->off && is_weekend(e->day))
			s = 1;
		cal->shift[i + 1] = cal->shift[i] + s;
	}
	*out = cal;
	return WQ_ERR_OK;
}

static bool has_year(const struct wq_calendar *cal, int year)
{
	size_t lo = 0, hi;

	if (!cal)
		return false;
	hi = cal->nyears;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->years[mid] == year)
			return true;
		if (cal->years[mid] < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Index of the first entry after day (ndays if none). */
static size_t days_after(const struct wq_calendar *cal, int day)
{
	size_t lo = 0, hi = cal->ndays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->days[mid].day <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Does [first, last] touch a year that is not loaded? */
static bool span_uncertain(const struct wq_calendar *cal, int first, int last)
{
	int y0, y1;

	if (first > last)
		return false;
	if (!cal)
		return true;
	y0 = wq_date_year(first);
	y1 = wq_date_year(last);
	/* More years than are loaded cannot all be loaded, and this bounds
	 * the loop below for absurd spans. */
	if ((long long)y1 - y0 + 1 > (long long)cal->nyears)
		return true;
	for (int y = y0; y <= y1; y++)
		if (!has_year(cal, y))
			return true;
	return false;
}

bool wq_cal_covers(const struct wq_calendar *cal, int day)
{
	return has_year(cal, wq_date_year(day));
}

bool wq_cal_is_workday(const struct wq_calendar *cal, int day)
{
	if (cal) {
		size_t i = days_after(cal, day);

		if (i > 0 && cal->days[i - 1].day == day)
			return !cal->days[i - 1].off;
	}
	return !is_weekend(day);
}

int wq_cal_add_workdays(const struct wq_calendar *cal, int start, int n,
			bool *uncertain)
{
	int day = start;

	/* Day by day: deadlines are tens of days, so this stays a few hundred
	 * binary searches at worst, and it needs no bound on how long a run
	 * of days off an imported schedule may hold.  DATE_MAX stops a
	 * nonsensical n from wandering off the calendar. */
	while (n > 0 && day < DATE_MAX) {
		day++;
		if (wq_cal_is_workday(cal, day))
			n--;
	}
	if (uncertain && day > start && span_uncertain(cal, start + 1, day))
		*uncertain = true;
	return day;
}

int wq_cal_workdays_between(const struct wq_calendar *cal, int from, int to,
			    bool *uncertain)
{
	int lo = from < to ? from : to;
	int hi = from < to ? to : from;
	long long n = weekdays_upto(hi) - weekdays_upto(lo);

	if (cal)
		n += cal->shift[days_after(cal, hi)] - cal->shift[days_after(cal, lo)];
	if (uncertain && lo < hi && span_uncertain(cal, lo + 1, hi))
		*uncertain = true;
	return (int)(from <= to ? n : -n);
}

/* ---- import --------------------------------------------------------- */

struct imp_day {
	int day;
	int index;		/* position in the file's "days", for messages */
	bool off;
	char *name;
	char *source;
};

struct imp_year {
	int year;
	char *source;
};

struct import {
	struct wq_store *store;
	const char *path;
	const char *json;
	int json_len;
	json_t *root;
	struct imp_day *days;
	size_t ndays, days_cap;
	struct imp_year *years;
	size_t nyears, years_cap;
};

static void import_free(struct import *im)
{
	for (size_t i = 0; i < im->ndays; i++) {
		free(im->days[i].name);
		free(im->days[i].source);
	}
	for (size_t i = 0; i < im->nyears; i++)
		free(im->years[i].source);
	free(im->days);
	free(im->years);
	json_decref(im->root);
}

static enum wq_err read_file(const char *path, char **buf, size_t *len)
{
	FILE *f;
	char *p = NULL;
	size_t n = 0, cap = 0;
	enum wq_err err = WQ_ERR_OK;

	f = fopen(path, "rb");
	if (!f)
		return wq_fail(WQ_ERR_IO, "%s: %s", path, strerror(errno));
	for (;;) {
		size_t got;

		if (cap - n < 4096) {
			char *np;

			if (cap >= IMPORT_MAX_BYTES) {
				err = wq_fail(WQ_ERR_PARSE,
					      N_("%s: larger than %d bytes, not a holiday schedule"),
					      path, IMPORT_MAX_BYTES);
				break;
			}
			cap = cap ? cap * 2 : 16384;
			np = realloc(p, cap + 1);
			if (!np) {
				err = wq_fail(WQ_ERR_NOMEM, N_("reading %s"), path);
				break;
			}
			p = np;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				err = wq_fail(WQ_ERR_IO, N_("%s: read error"), path);
			break;
		}
	}
	fclose(f);
	if (err) {
		free(p);
		return err;
	}
	if (!p && !(p = malloc(1)))
		return wq_fail(WQ_ERR_NOMEM, N_("reading %s"), path);
	p[n] = '\0';
	*buf = p;
	*len = n;
	return WQ_ERR_OK;
}

/* Offset of the first byte that is not well-formed UTF-8, or -1.  JSON
 * parsing would take GBK bytes (what a Chinese Windows editor may save)
 * inside strings without complaint and leave mojibake in the names. */
static long bad_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			if (c == 0xe0)
				lo = 0xa0;	/* overlong */
			else if (c == 0xed)
				hi = 0x9f;	/* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			if (c == 0xf0)
				lo = 0x90;	/* overlong */
			else if (c == 0xf4)
				hi = 0x8f;	/* beyond U+10FFFF */
		} else {
			return (long)i;
		}
		if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
			return (long)i;
		for (size_t k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return (long)i;
		i += len;
	}
	return -1;
}

/* A member as a new string, or NULL when it is not a JSON string, is empty
 * or holds a NUL, which the caller reports by name; *nomem tells a failed
 * copy apart. */
static char *text_member(json_t *obj, const char *key, bool *nomem)
{
	json_t *v = json_object_get(obj, key);
	const char *s;
	char *copy;

	*nomem = false;
	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	if (json_string_length(v) == 0 || json_string_length(v) != strlen(s))
		return NULL;
	copy = strdup(s);
	if (!copy)
		*nomem = true;
	return copy;
}

/* An integer member from 1 to 9999, else 0. */
static int year_member(json_t *obj)
{
	json_t *v = json_object_get(obj, "year");
	json_int_t y;

	if (!json_is_integer(v))
		return 0;
	y = json_integer_value(v);
	return y >= 1 && y <= 9999 ? (int)y : 0;
}

static struct imp_year *find_year(struct import *im, int year)
{
	for (size_t i = 0; i < im->nyears; i++)
		if (im->years[i].year == year)
			return &im->years[i];
	return NULL;
}

static enum wq_err add_year(struct import *im, int year, char *source)
{
	struct imp_year *np = grow(im->years, &im->years_cap, im->nyears, sizeof(*np));

	if (!np) {
		free(source);
		return wq_fail(WQ_ERR_NOMEM, N_("reading %s"), im->path);
	}
	im->years = np;
	im->years[im->nyears].year = year;
	im->years[im->nyears].source = source;
	im->nyears++;
	return WQ_ERR_OK;
}

/* holiday-cn: one year, its "papers" are the source of everything. */
static enum wq_err read_holiday_cn_head(struct import *im)
{
	json_t *papers = json_object_get(im->root, "papers"), *paper;
	int year = year_member(im->root);
	char *source = NULL;
	size_t len = 0, i;

	if (!year)
		return wq_fail(WQ_ERR_PARSE, N_("%s: \"year\" is missing or not a year"), im->path);
	if (!json_is_array(papers))
		return wq_fail(WQ_ERR_PARSE, N_("%s: \"papers\" is missing or not an array of URLs"),
			       im->path);
	if (!json_is_array(json_object_get(im->root, "days")))
		return wq_fail(WQ_ERR_PARSE, N_("%s: \"days\" is missing or not an array"), im->path);
	json_array_foreach(papers, i, paper) {
		const char *url = json_string_value(paper);
		size_t ulen;
		char *ns;

		if (!url || !*url || json_string_length(paper) != strlen(url)) {
			free(source);
			return wq_fail(WQ_ERR_PARSE, N_("%s: papers[%zu] is not a URL"),
				       im->path, i);
		}
		ulen = strlen(url);
		ns = realloc(source, len + ulen + 2);
		if (!ns) {
			free(source);
			return wq_fail(WQ_ERR_NOMEM, N_("reading %s"), im->path);
		}
		source = ns;
		if (len)
			source[len++] = ' ';
		memcpy(source + len, url, ulen + 1);
		len += ulen;
	}
	if (!source)
		return wq_fail(WQ_ERR_PARSE, N_("%s: \"papers\" is empty; it should name the notice"),
			       im->path);
	return add_year(im, year, source);
}

/* weiquan-calendar: the years the file is authoritative for. */
static enum wq_err read_own_years(struct import *im)
{
	json_t *entry;
	size_t idx;
	enum wq_err err;

	json_array_foreach(json_object_get(im->root, "years"), idx, entry) {
		int year = year_member(entry);
		bool nomem;
		char *source;

		if (!json_is_object(entry))
			return wq_fail(WQ_ERR_PARSE, N_("%s: years[%zu] is not an object"),
				       im->path, idx);
		if (!year)
			return wq_fail(WQ_ERR_PARSE, N_("%s: years[%zu]: \"year\" is missing or not a year"),
				       im->path, idx);
		if (find_year(im, year))
			return wq_fail(WQ_ERR_PARSE, N_("%s: years[%zu]: year %d is listed twice"),
				       im->path, idx, year);
		source = text_member(entry, "source", &nomem);
		if (!source)
			return nomem ? wq_fail(WQ_ERR_NOMEM, N_("reading %s"), im->path)
				     : wq_fail(WQ_ERR_PARSE,
					       N_("%s: years[%zu] (%d): \"source\" is missing or not a non-empty string"),
					       im->path, idx, year);
		err = add_year(im, year, source);
		if (err)
			return err;
	}
	if (im->nyears == 0)
		return wq_fail(WQ_ERR_PARSE, N_("%s: \"years\" lists no year"), im->path);
	return WQ_ERR_OK;
}

static enum wq_err read_days(struct import *im, bool own)
{
	json_t *entry;
	size_t idx;

	json_array_foreach(json_object_get(im->root, "days"), idx, entry) {
		json_t *dv = json_object_get(entry, "date");
		json_t *ov = json_object_get(entry, "isOffDay");
		const char *date = json_string_value(dv);
		struct imp_day *e;
		struct imp_year *y;
		bool nomem;
		int day;

		if (!json_is_object(entry))
			return wq_fail(WQ_ERR_PARSE, N_("%s: days[%zu] is not an object"),
				       im->path, idx);
		if (!date)
			return wq_fail(WQ_ERR_PARSE, N_("%s: days[%zu]: \"date\" is missing or not a string"),
				       im->path, idx);
		if (!wq_date_parse(date, &day))
			return wq_fail(WQ_ERR_PARSE, N_("%s: days[%zu] (%.40s): not a YYYY-MM-DD date"),
				       im->path, idx, date);
		y = find_year(im, wq_date_year(day));
		if (!y)
			return wq_fail(WQ_ERR_PARSE,
				       own ? N_("%s: days[%zu] (%s): outside the years of the file")
					   : N_("%s: days[%zu] (%s): outside the year of the file"),
				       im->path, idx, date);
		if (!json_is_boolean(ov))
			return wq_fail(WQ_ERR_PARSE, N_("%s: days[%zu] (%s): \"isOffDay\" is missing or not true/false"),
				       im->path, idx, date);
		e = grow(im->days, &im->days_cap, im->ndays, sizeof(*e));
		if (!e)
			return wq_fail(WQ_ERR_NOMEM, N_("reading %s"), im->path);
		im->days = e;
		e = &im->days[im->ndays];
		memset(e, 0, sizeof(*e));
		e->day = day;
		e->index = (int)idx;
		e->off = json_is_true(ov);
		/* Counted now so that import_free releases what gets copied. */
		im->ndays++;
		e->name = text_member(entry, "name", &nomem);
		if (!e->name)
			return nomem ? wq_fail(WQ_ERR_NOMEM, N_("reading %s"), im->path)
				     : wq_fail(WQ_ERR_PARSE, N_("%s: days[%zu] (%s): \"name\" is missing or not a non-empty string"),
					       im->path, idx, date);
		if (own) {
			e->source = text_member(entry, "source", &nomem);
		} else {
			e->source = strdup(y->source);
			nomem = !e->source;
		}
		if (!e->source)
			return nomem ? wq_fail(WQ_ERR_NOMEM, N_("reading %s"), im->path)
				     : wq_fail(WQ_ERR_PARSE, N_("%s: days[%zu] (%s): \"source\" is missing or not a non-empty string"),
					       im->path, idx, date);
	}
	return WQ_ERR_OK;
}

static int cmp_imp_day(const void *a, const void *b)
{
	const struct imp_day *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Checks that need the whole file: one entry per date, and no declared
 * year left empty. */
static enum wq_err check_days(struct import *im)
{
	char date[11];

	if (im->ndays > 1)
		qsort(im->days, im->ndays, sizeof(*im->days), cmp_imp_day);
	for (size_t i = 1; i < im->ndays; i++) {
		if (im->days[i].day == im->days[i - 1].day) {
			wq_date_format(im->days[i].day, date);
			return wq_fail(WQ_ERR_PARSE, N_("%s: days[%d] (%s): same date as days[%d]"),
				       im->path, im->days[i].index, date,
				       im->days[i - 1].index);
		}
	}
	for (size_t k = 0; k < im->nyears; k++) {
		bool any = false;

		for (size_t i = 0; i < im->ndays && !any; i++)
			any = wq_date_year(im->days[i].day) == im->years[k].year;
		/* Every notice so far lists holidays; an empty year is far more
		 * likely a placeholder than a year without any, and loading it
		 * would silently mark all its holidays as working days. */
		if (!any)
			return wq_fail(WQ_ERR_PARSE, N_("%s: year %d has no entries"),
				       im->path, im->years[k].year);
	}
	return WQ_ERR_OK;
}

static enum wq_err exec_step(struct wq_store *store, struct wq_stmt *st, const char *what)
{
	int rc = wq_step(st);

	wq_stmt_reset(st);
	wq_stmt_clear_bindings(st);
	if (rc != WQ_DONE)
		return wq_store_error(store, what);
	return WQ_ERR_OK;
}

static enum wq_err write_import(struct import *im)
{
	struct wq_stmt *del = NULL, *ins = NULL, *yr = NULL;
	enum wq_err err = WQ_ERR_OK;
	char date[11], now[21];

	err = wq_store_prepare_once(im->store, "DELETE FROM calendar_days WHERE day BETWEEN ?1 AND ?2", &del);
	if (!err)
		err = wq_store_prepare_once(im->store,
					"INSERT INTO calendar_days(day, off, name, source) VALUES (?1, ?2, ?3, ?4)", &ins);
	if (!err)
		err = wq_store_prepare_once(im->store,
					"INSERT INTO calendar_years(year, source, loaded_at)"
					" VALUES (?1, ?2, ?3)"
					" ON CONFLICT(year) DO UPDATE SET source = excluded.source,"
					" loaded_at = excluded.loaded_at", &yr);

	wq_time_format(wq_now(), now);
	for (size_t k = 0; !err && k < im->nyears; k++) {
		char first[11], last[11];
		int y = im->years[k].year;

		wq_date_format((int)days_from_civil(y, 1, 1), first);
		wq_date_format((int)days_from_civil(y, 12, 31), last);
		wq_bind_text_copy(del, 1, first);
		wq_bind_text_copy(del, 2, last);
		err = exec_step(im->store, del, "clearing calendar_days");
		if (err)
			break;
		wq_bind_int(yr, 1, y);
		wq_bind_text(yr, 2, im->years[k].source);
		wq_bind_text(yr, 3, now);
		err = exec_step(im->store, yr, "recording calendar_years");
	}
	for (size_t i = 0; !err && i < im->ndays; i++) {
		const struct imp_day *e = &im->days[i];

		wq_date_format(e->day, date);
		wq_bind_text_copy(ins, 1, date);
		wq_bind_int(ins, 2, e->off);
		wq_bind_text(ins, 3, e->name);
		wq_bind_text(ins, 4, e->source);
		err = exec_step(im->store, ins, "inserting into calendar_days");
	}
	wq_store_finalize(im->store, del);
	wq_store_finalize(im->store, ins);
	wq_store_finalize(im->store, yr);
	return err;
}

/* Which layout, then read and check all of it before touching a table. */
static enum wq_err read_import(struct import *im)
{
	json_t *format, *version;
	json_error_t jerr;
	enum wq_err err;
	bool own;

	/* NUL in a string would cut names short where C reads them:
	 * refused (JSON_ALLOW_NUL is not given) like any invalid JSON. */
	im->root = json_loadb(im->json, (size_t)im->json_len, JSON_REJECT_DUPLICATES,
			      &jerr);
	if (!im->root) {
		/* Jansson quotes the file, cut where it may split a
		 * character: shown as the console would show it. */
		char *why = wq_clean_text(jerr.text, strlen(jerr.text), 0);

		err = wq_fail(WQ_ERR_PARSE, N_("%s: not valid JSON (line %d, column %d: %s)"),
			      im->path, jerr.line, jerr.column, why);
		free(why);
		return err;
	}
	if (!json_is_object(im->root))
		return wq_fail(WQ_ERR_PARSE, N_("%s: not a JSON object"), im->path);
	format = json_object_get(im->root, "format");
	own = format != NULL;
	if (own) {
		version = json_object_get(im->root, "version");
		if (!json_is_string(format) ||
		    strcmp(json_string_value(format), "weiquan-calendar") != 0)
			return wq_fail(WQ_ERR_PARSE, N_("%s: unknown \"format\"; expected \"weiquan-calendar\""),
				       im->path);
		if (!json_is_integer(version) || json_integer_value(version) != 1)
			return wq_fail(WQ_ERR_PARSE, N_("%s: unsupported \"version\"; this weiquan reads version 1"),
				       im->path);
		if (!json_is_array(json_object_get(im->root, "years")))
			return wq_fail(WQ_ERR_PARSE, N_("%s: \"years\" is missing or not an array"),
				       im->path);
		if (!json_is_array(json_object_get(im->root, "days")))
			return wq_fail(WQ_ERR_PARSE, N_("%s: \"days\" is missing or not an array"),
				       im->path);
	}

	/* No "format" member: holiday-cn, whose own checks report what is
	 * missing. */
	err = own ? read_own_years(im) : read_holiday_cn_head(im);
	if (!err)
		err = read_days(im, own);
	if (!err)
		err = check_days(im);
	return err;
}

enum wq_err wq_cal_import(struct wq_store *store, const char *path,
			  int *days_out, int *years_out)
{
	struct import im = { .store = store, .path = path };
	char *buf = NULL;
	size_t len = 0;
	long bad;
	enum wq_err err;

	if (days_out)
		*days_out = 0;
	if (years_out)
		*years_out = 0;
	err = read_file(path, &buf, &len);
	if (err)
		return err;
	bad = bad_utf8((const unsigned char *)buf, len);
	if (bad >= 0) {
		free(buf);
		return wq_fail(WQ_ERR_ENCODING, N_("%s: byte %ld is not UTF-8; save the file as UTF-8"),
			       path, bad);
	}
	im.json = buf;
	/* Editors on Windows like to start UTF-8 files with a BOM, which JSON
	 * does not allow. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		im.json += 3;
		len -= 3;
	}
	im.json_len = (int)len;

	err = read_import(&im);
	if (!err) {
		/* A savepoint, not a transaction: the caller owns that, and this
		 * only has to make a failure halfway leave no rows behind. */
		err = wq_store_exec(store, "SAVEPOINT wq_cal_import");
		if (!err) {
			err = write_import(&im);
			if (err)
				wq_store_exec(store, "ROLLBACK TO wq_cal_import;"
						     " RELEASE wq_cal_import");
			else
				err = wq_store_exec(store, "RELEASE wq_cal_import");
		}
	}
	if (!err) {
		if (days_out)
			*days_out = (int)im.ndays;
		if (years_out)
			*years_out = (int)im.nyears;
	}
	import_free(&im);
	free(buf);
	return err;
}
