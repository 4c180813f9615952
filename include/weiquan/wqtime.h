/* weiquan: the program's idea of "now".
 *
 * Timestamps are stored as UTC "YYYY-MM-DDTHH:MM:SSZ"; working-day clocks use
 * the local date.  WEIQUAN_NOW (an ISO timestamp) pins the clock for tests and
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
 * (local time).  A bare date means the end of that day, local time, so
 * "--at 2026-03-01" shows the case as it stood that evening. */
bool wq_time_parse(const char *text, time_t *out);
/* Local calendar day (days since 1970-01-01) of t. */
int wq_local_day(time_t t);
/* True when the process runs with other privileges than the invoking user
 * (setgid deployment): then the environment is not trusted. */
bool wq_privileged(void);

#endif
