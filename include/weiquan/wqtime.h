/* weiquan: the program's idea of "now".
 *
 * Timestamps are stored as UTC "YYYY-MM-DDTHH:MM:SSZ".  Dates (working-day
 * clocks, the dashboard's days, case numbers' years, documents) are the
 * installation's: Beijing dates, whatever the zone of the server or of the
 * user, since the complaint procedure counts days as the bureaus do
 * (DOMAIN.md).  An installation that keeps another fixed offset (Xinjiang
 * time, say) records it in the database (settings key "utc_offset",
 * "+HH:MM"); the report triggers read the same setting (src/schema.c).
 * Beijing has kept no summer time since 1991, so a fixed offset is exact.  WEIQUAN_NOW (an ISO timestamp) pins the clock for tests and
 * for reproducible demos; it is ignored while the program runs privileged. */
#ifndef WEIQUAN_WQTIME_H
#define WEIQUAN_WQTIME_H

#include <stdbool.h>
#include <time.h>

time_t wq_now(void);
/* Pins wq_now() to t inside this process (0 unpins), ahead of WEIQUAN_NOW:
 * the demo replays months of rulings, each at its own plausible time, so
 * that events, statements and clocks carry realistic timestamps. */
void wq_time_pin(time_t t);
/* UTC timestamp of t, "YYYY-MM-DDTHH:MM:SSZ". */
void wq_time_format(time_t t, char out[21]);
/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]Z" (UTC) or "YYYY-MM-DD HH:MM[:SS]"
 * (the installation's time, Beijing by default).  A bare date means the end
 * of that day, installation time, so "--at 2026-03-01" shows the case as it
 * stood that evening. */
bool wq_time_parse(const char *text, time_t *out);
/* The installation's calendar day (days since 1970-01-01) of t: the Beijing
 * date by default, whatever TZ says. */
int wq_local_day(time_t t);
/* The instant the installation's calendar day `day` (days since
 * 1970-01-01, as wq_local_day gives) begins: midnight in Beijing by
 * default, whatever TZ says. */
time_t wq_local_day_start(int day);

/* UTC+8, Beijing time. */
#define WQ_ZONE_BEIJING (8 * 3600)
/* The SQL text of the installation's offset, as an SQLite date modifier:
 * the triggers' days (src/schema.c) and the core's agree. */
#define WQ_SQL_ZONE                                                            \
	"coalesce((SELECT value FROM settings WHERE key = 'utc_offset'),"    \
	" '+08:00')"
/* "+HH:MM" or "-HH:MM" into seconds east of UTC. */
bool wq_zone_parse(const char *text, int *seconds);
/* The installation's offset from UTC, set from the database when it is
 * opened (wq_store_open). */
void wq_zone_set(int seconds);
/* The installation's broken-down time of t (as gmtime_r would give for
 * its zone): for dates and clock times printed on documents. */
void wq_zone_tm(time_t t, struct tm *tm);
/* True when the process runs with other privileges than the invoking user
 * (setgid deployment): then the environment is not trusted. */
bool wq_privileged(void);

#endif
