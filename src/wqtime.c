#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "weiquan/calendar.h"
#include "weiquan/wqtime.h"

bool wq_privileged(void)
{
	return getuid() != geteuid() || getgid() != getegid();
}

/* The installation's offset from UTC (wq_zone_set): Beijing time unless
 * the database's settings say otherwise. */
static int zone_offset = WQ_ZONE_BEIJING;

/* Set only by the program itself (wq_time_pin), so unlike WEIQUAN_NOW it
 * is trusted also when running privileged. */
static time_t pinned_now;

void wq_time_pin(time_t t)
{
	pinned_now = t;
}

time_t wq_now(void)
{
	const char *pinned;
	time_t t;

	if (pinned_now)
		return pinned_now;
	pinned = wq_privileged() ? NULL : getenv("WEIQUAN_NOW");
	if (pinned && *pinned && wq_time_parse(pinned, &t))
		return t;
	return time(NULL);
}

void wq_time_format(time_t t, char out[21])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool wq_time_parse(const char *text, time_t *out)
{
	struct tm tm;
	const char *end;
	char date[11];
	int day;
	bool utc = false;

	/* strptime takes 2026-02-30 and mktime makes it 2026-03-02: the date
	 * is checked as import checks it (wq_date_parse: YYYY-MM-DD, a day
	 * the month has). */
	if (strlen(text) < 10)
		return false;
	memcpy(date, text, 10);
	date[10] = '\0';
	if (!wq_date_parse(date, &day))
		return false;
	memset(&tm, 0, sizeof(tm));
	end = strptime(text, "%Y-%m-%d", &tm);
	if (end != text + 10)
		return false;
	if (*end == '\0') {
		tm.tm_hour = 23;
		tm.tm_min = 59;
		tm.tm_sec = 59;
	} else {
		if (*end != 'T' && *end != ' ')
			return false;
		const char *rest = strptime(end + 1, "%H:%M:%S", &tm);

		if (!rest)
			rest = strptime(end + 1, "%H:%M", &tm);
		if (!rest)
			return false;
		if (*rest == 'Z') {
			utc = true;
			rest++;
		}
		if (*rest != '\0')
			return false;
	}
	*out = timegm(&tm);
	if (*out == (time_t)-1)
		return false;
	if (!utc)
		*out -= zone_offset;
	return true;
}

bool wq_zone_parse(const char *text, int *seconds)
{
	int h, m;

	/* Exactly "+HH:MM" or "-HH:MM", the form SQLite's date() reads. */
	if (strlen(text) != 6 || (text[0] != '+' && text[0] != '-') ||
	    text[3] != ':' || !isdigit((unsigned char)text[1]) ||
	    !isdigit((unsigned char)text[2]) ||
	    !isdigit((unsigned char)text[4]) ||
	    !isdigit((unsigned char)text[5]))
		return false;
	h = (text[1] - '0') * 10 + (text[2] - '0');
	m = (text[4] - '0') * 10 + (text[5] - '0');
	if (h > 14 || m > 59)
		return false;
	*seconds = (text[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return true;
}

void wq_zone_set(int seconds)
{
	zone_offset = seconds;
}

void wq_zone_tm(time_t t, struct tm *tm)
{
	time_t shifted = t + zone_offset;

	gmtime_r(&shifted, tm);
}

int wq_local_day(time_t t)
{
	int64_t shifted = (int64_t)t + zone_offset;

	/* Floored, so that days before 1970 stay whole days too. */
	return (int)(shifted >= 0 ? shifted / 86400
				  : -((-shifted + 86399) / 86400));
}

time_t wq_local_day_start(int day)
{
	return (time_t)((int64_t)day * 86400 - zone_offset);
}
