/* weiquan: dates and the working-day calendar.
 *
 * Legal clocks in complaint handling count working days: Monday to Friday,
 * minus public holidays, plus the weekend days the State Council moves into
 * the working week (调休).  The schedule changes every year and is data
 * (tables calendar_days and calendar_years, filled by wq_cal_import), never
 * code.
 *
 * Dates are day numbers: days since 1970-01-01 in the proleptic Gregorian
 * calendar, so that "the day after" is d + 1 and spans are plain
 * subtraction.  Only years 0001 to 9999 have a text form. */
#ifndef WEIQUAN_CALENDAR_H
#define WEIQUAN_CALENDAR_H

#include <stdbool.h>

#include "weiquan/err.h"

struct wq_store;

/* Parse a strict 'YYYY-MM-DD' (exactly ten characters, nothing after,
 * real month and day, year 0001-9999) into *day.  Returns false and leaves
 * *day alone otherwise. */
bool wq_date_parse(const char *iso, int *day);

/* Write day as 'YYYY-MM-DD' and a NUL; "0000-00-00" outside 0001-9999. */
void wq_date_format(int day, char out[11]);

/* 1 = Monday .. 7 = Sunday (ISO 8601). */
int wq_date_weekday(int day);

/* The Gregorian year day falls in. */
int wq_date_year(int day);

/* In-memory copy of calendar_days and calendar_years, read once so that
 * lookups cost O(log n) with no SQL: "working days left" is computed for
 * every row of a queue page on each redraw.  Immutable after loading, and
 * a snapshot: reload after an import.  Every wq_cal_ function accepts NULL
 * and then treats every year as not loaded. */
struct wq_calendar;

/* Read the calendar tables into a new *out (set to NULL on failure).
 * WQ_ERR_DB/BUSY/NOMEM, or WQ_ERR_PARSE if a stored day is not a date. */
enum wq_err wq_cal_load(struct wq_store *store, struct wq_calendar **out);

/* Free *cal and set it to NULL; NULL and *cal == NULL are fine. */
void wq_cal_free(struct wq_calendar **cal);

/* Is the whole schedule of day's year loaded (a row in calendar_years)? */
bool wq_cal_covers(const struct wq_calendar *cal, int day);

/* Working day?  A day listed in calendar_days follows its entry (off = 1:
 * no, off = 0: yes); any other day is a working day when it is Monday to
 * Friday.  Outside the loaded years that is only a guess, see covers. */
bool wq_cal_is_workday(const struct wq_calendar *cal, int day);

/* The n-th working day after start; start itself is not counted (so for
 * n > 0 the result is a working day even when start is not), and n <= 0
 * returns start.
 * If any day examined, start + 1 .. result, lies in a year that is not
 * loaded, the result assumes plain weekends there and *uncertain is set to
 * true; otherwise it is left alone (never set to false), so one flag,
 * initialised to false, can collect several calls.  A true flag means the
 * caller must warn the user (e.g. "2027 holiday schedule not loaded").
 * uncertain may be NULL. */
int wq_cal_add_workdays(const struct wq_calendar *cal, int start, int n,
			bool *uncertain);

/* Working days in (from, to], i.e. to counts and from does not; when
 * to < from, minus the working days in (to, from].  So
 * wq_cal_workdays_between(c, s, wq_cal_add_workdays(c, s, n, NULL), NULL)
 * is n.  *uncertain as for wq_cal_add_workdays (only ever set to true),
 * over the days of that half-open span.  Cost O(log n + years spanned),
 * however long the span. */
int wq_cal_workdays_between(const struct wq_calendar *cal, int from, int to,
			    bool *uncertain);

/* Import the schedule file at path into calendar_days and calendar_years.
 *
 * Meant to run inside a transaction the caller opened; it does not BEGIN
 * or COMMIT but works under a SAVEPOINT, so that a failure halfway leaves
 * the caller's transaction as it was.
 *
 * Two formats are accepted, both UTF-8 JSON:
 *  - holiday-cn (github.com/NateScarlet/holiday-cn):
 *      {"year": 2026, "papers": ["https://..."],
 *       "days": [{"name": "元旦", "date": "2026-01-01", "isOffDay": true}]}
 *    every entry's source is the "papers" URL(s), space separated;
 *  - weiquan's own (data/calendar-cn.json), which names the notice per
 *    entry and allows several years in one file:
 *      {"format": "weiquan-calendar", "version": 1,
 *       "years": [{"year": 2026, "source": "<notice title> <URL>"}],
 *       "days": [{"date": "2026-01-01", "isOffDay": true, "name": "元旦",
 *                 "source": "<notice title> <URL>"}]}
 * isOffDay true is a holiday or bridging day off, false a weekend day worked.
 * Every date must lie in a year the file declares, once.  Other members are
 * ignored.
 *
 * Each year in the file replaces everything stored for that year (so a
 * re-import is idempotent) and is recorded in calendar_years.  Nothing is
 * written unless the whole file is valid: WQ_ERR_PARSE (not JSON, unknown
 * layout, missing or mistyped member, bad or duplicate date, date outside
 * its year) or WQ_ERR_ENCODING (not UTF-8), with a detail naming the file
 * and the entry (index and date); WQ_ERR_IO if it cannot be read.
 * *days_out and *years_out (each may be NULL) get the number of entries and
 * years loaded, 0 on failure. */
enum wq_err wq_cal_import(struct wq_store *store, const char *path,
			  int *days_out, int *years_out);

#endif
