#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "weiquan/audit.h"
#include "weiquan/clean.h"
#include "weiquan/clock.h"
#include "weiquan/wqtime.h"
#include "util.h"

#define MAX_CLOCKS 16
#define NO_DAY (-1)

struct clock_state {
	char name[16];
	int start, due, paused, stopped;
};

struct clock_rule {
	char name[16];
	int working_days;
	char start_status[32];
	char *stop_statuses;     /* space separated */
	char *pause_substates;   /* space separated */
	bool verified;           /* checked against the official text */
	/* A ruling may extend the clock once: the status event that does,
	 * and by how many working days (clock_extensions; "" and 0: none). */
	char extend_event[32];
	int extend_days;
};

/* A regime's rules, parsed once per change of the shared version
 * (wq_store_shared_version) or of the regime asked for. */
struct wq_clock_rules {
	char regime[48];         /* as asked for: "" is the active regime */
	int count;
	struct clock_rule rules[MAX_CLOCKS];
};

const struct wq_calendar *wq_clock_calendar(struct wq_store *store)
{
	int64_t version = wq_store_shared_version(store);

	if (wq_store_cache(store)->calendar && version != wq_store_cache(store)->calendar_version)
		wq_cal_free(&wq_store_cache(store)->calendar);
	if (!wq_store_cache(store)->calendar) {
		if (wq_cal_load(store, &wq_store_cache(store)->calendar) != WQ_ERR_OK)
			return NULL;
		wq_store_cache(store)->calendar_version = version;
	}
	return wq_store_cache(store)->calendar;
}

void wq_clock_calendar_reset(struct wq_store *store)
{
	wq_cal_free(&wq_store_cache(store)->calendar);
}

static int parse_day(const char *text)
{
	int day;

	if (!text || !wq_date_parse(text, &day))
		return NO_DAY;
	return day;
}

static const char *day_member(const json_t *clock, const char *key)
{
	return json_string_value(json_object_get(clock, key));
}

/* A case's clocks as stored (states_json), in their stored order, which
 * states_json() keeps. */
static int load_states(const char *json, struct clock_state *states)
{
	json_t *root = json_loads(json && *json ? json : "{}", 0, NULL);
	const char *name;
	json_t *clock;
	int n = 0;

	json_object_foreach(root, name, clock) {
		struct clock_state *c = &states[n++];

		snprintf(c->name, sizeof(c->name), "%s", name);
		c->start = parse_day(day_member(clock, "start"));
		c->due = parse_day(day_member(clock, "due"));
		c->paused = parse_day(day_member(clock, "paused"));
		c->stopped = parse_day(day_member(clock, "stopped"));
		if (n == MAX_CLOCKS)
			break;
	}
	json_decref(root);
	return n;
}

static void add_day_field(struct wq_buf *b, const char *key, int day)
{
	char iso[11];

	if (day == NO_DAY) {
		wq_buf_printf(b, "\"%s\":null", key);
		return;
	}
	wq_date_format(day, iso);
	wq_buf_printf(b, "\"%s\":\"%s\"", key, iso);
}

static char *states_json(const struct clock_state *states, int n)
{
	struct wq_buf b = {0};

	wq_buf_puts(&b, "{");
	for (int i = 0; i < n; i++) {
		/* Clock names come from the rules table, which only admits
		 * plain identifiers (see wq_clock_import). */
		wq_buf_printf(&b, "%s\"%s\":{", i ? "," : "", states[i].name);
		add_day_field(&b, "start", states[i].start);
		wq_buf_puts(&b, ",");
		add_day_field(&b, "due", states[i].due);
		wq_buf_puts(&b, ",");
		add_day_field(&b, "paused", states[i].paused);
		wq_buf_puts(&b, ",");
		add_day_field(&b, "stopped", states[i].stopped);
		wq_buf_puts(&b, "}");
	}
	wq_buf_puts(&b, "}");
	return b.data;
}

static struct clock_state *find_state(struct clock_state *states, int *n,
				      const char *name)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(states[i].name, name) == 0)
			return &states[i];
	if (*n == MAX_CLOCKS)
		return NULL;
	memset(&states[*n], 0, sizeof(states[*n]));
	snprintf(states[*n].name, sizeof(states[*n].name), "%s", name);
	states[*n].start = states[*n].due = NO_DAY;
	states[*n].paused = states[*n].stopped = NO_DAY;
	return &states[(*n)++];
}

void wq_clock_rules_free(struct wq_clock_rules **rules)
{
	struct wq_clock_rules *r = *rules;

	if (!r)
		return;
	for (int i = 0; i < r->count; i++) {
		free(r->rules[i].stop_statuses);
		free(r->rules[i].pause_substates);
	}
	free(r);
	*rules = NULL;
}

/* A stored list of names (a JSON array, see names_json()) as the words
 * wq_word_in() looks through, space separated.  malloc'd. */
static char *words_of(const char *json)
{
	json_t *names = json_loads(json, 0, NULL);
	struct wq_buf b = {0};
	const json_t *name;
	size_t i;

	wq_buf_add(&b, "", 0);
	json_array_foreach(names, i, name) {
		if (!json_is_string(name))
			continue;
		if (b.len)
			wq_buf_puts(&b, " ");
		wq_buf_puts(&b, json_string_value(name));
	}
	json_decref(names);
	return b.data;
}

static const struct wq_clock_rules *regime_rules(struct wq_store *store,
						       const char *regime)
{
	struct wq_clock_rules *r;
	struct wq_stmt *st;
	int64_t version = wq_store_shared_version(store);

	if (!regime)
		regime = "";
	if (wq_store_cache(store)->clock_rules && version == wq_store_cache(store)->clock_rules_version &&
	    strcmp(wq_store_cache(store)->clock_rules->regime, regime) == 0)
		return wq_store_cache(store)->clock_rules;
	wq_clock_rules_free(&wq_store_cache(store)->clock_rules);
	if (wq_store_prepare(store,
			     "SELECT clock_rules.clock, clock_rules.working_days,"
			     " start_status,"
			     " stop_statuses, pause_substates,"
			     " coalesce((SELECT verified FROM clock_sources s"
			     " WHERE s.regime = clock_rules.regime"
			     " AND s.clock = clock_rules.clock), 0),"
			     " x.event, coalesce(x.working_days, 0)"
			     " FROM clock_rules LEFT JOIN clock_extensions x"
			     " ON x.regime = clock_rules.regime"
			     " AND x.clock = clock_rules.clock"
			     " WHERE clock_rules.regime = coalesce("
			     " nullif(?1, ''), (SELECT value FROM settings"
			     " WHERE key = 'regime'))"
			     " ORDER BY clock_rules.clock",
			     &st))
		return NULL;
	wq_bind_text_copy(st, 1, regime);
	r = wq_xcalloc(1, sizeof(*r));
	snprintf(r->regime, sizeof(r->regime), "%s", regime);
	while (r->count < MAX_CLOCKS && wq_step(st) == WQ_ROW) {
		struct clock_rule *c = &r->rules[r->count++];

		snprintf(c->name, sizeof(c->name), "%.15s",
			 wq_column_text_or_null(st, 0));
		c->working_days = wq_column_int(st, 1);
		snprintf(c->start_status, sizeof(c->start_status), "%s",
			 wq_column_text_or_null(st, 2));
		c->stop_statuses = words_of(wq_column_text(st, 3));
		c->pause_substates = words_of(wq_column_text(st, 4));
		c->verified = wq_column_int(st, 5) != 0;
		snprintf(c->extend_event, sizeof(c->extend_event), "%s",
			 wq_column_text_or_null(st, 6)
				 ? wq_column_text_or_null(st, 6)
				 : "");
		c->extend_days = wq_column_int(st, 7);
	}
	wq_store_finalize(store, st);
	wq_store_cache(store)->clock_rules = r;
	wq_store_cache(store)->clock_rules_version = version;
	return r;
}

const struct wq_statute_clock wq_statute_clocks[] = {
	{WQ_CLOCK_IP_WAIT, WQ_IP_WAIT_DAYS, "declaration_forwarded",
	 "measures_kept measures_ended first_review final_review closed",
	 "the rights holder has 15 days from the merchant's declaration "
	 "reaching them to show a complaint or lawsuit; the measures end "
	 "after that (calendar days, counted from the day the declaration "
	 "was forwarded)",
	 "E-Commerce Law (电子商务法, 2018) art. 43, second paragraph "
	 "(DOMAIN.md [law]: read in the statute)",
	 true},
	{NULL, 0, NULL, NULL, NULL, NULL, false},
};

const struct wq_statute_clock *wq_statute_clock(const char *name)
{
	for (const struct wq_statute_clock *s = wq_statute_clocks; s->name;
	     s++)
		if (name && strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

int wq_clock_days_left(const struct wq_calendar *cal, const char *clock,
		       int today, int due, bool *uncertain)
{
	if (wq_statute_clock(clock))
		return due - today;
	return wq_cal_workdays_between(cal, today, due, uncertain);
}

/* A statutory clock through a change of status: started on entering its
 * status, due its calendar days later, stopped on leaving for one of its
 * stop statuses.  Never paused. */
static void statute_step(const struct wq_statute_clock *s,
			 struct clock_state *c, const char *status_event,
			 int today)
{
	bool runs = c->start != NO_DAY && c->stopped == NO_DAY;

	if (!status_event)
		return;
	if (strcmp(s->start_status, status_event) == 0 && !runs) {
		c->start = today;
		c->due = today + s->calendar_days;
		c->paused = c->stopped = NO_DAY;
	} else if (runs && wq_word_in(status_event, s->stop_statuses)) {
		c->stopped = today;
	}
}

enum wq_err wq_clock_step(struct wq_store *store, const char *regime,
			  const char *clocks_json, const char *status_event,
			  const char *old_substate,
			  const char *new_substate, int today, char **out_json,
			  struct wq_clock_outcome *outcome)
{
	const struct wq_calendar *cal = wq_clock_calendar(store);
	const struct wq_clock_rules *rules = regime_rules(store, regime);
	struct clock_state states[MAX_CLOCKS];
	int n;
	bool uncertain = false;
	const struct clock_state *running = NULL;

	memset(outcome, 0, sizeof(*outcome));
	*out_json = NULL;
	if (!cal)
		return wq_fail(WQ_ERR_DB, N_("cannot load the holiday calendar"));
	if (!rules)
		return wq_store_error(store, "clock rules");
	n = load_states(clocks_json, states);

	for (int i = 0; i < rules->count; i++) {
		const struct clock_rule *r = &rules->rules[i];
		struct clock_state *c = find_state(states, &n, r->name);

		if (!c)
			continue;
		if (status_event) {
			bool runs = c->start != NO_DAY && c->stopped == NO_DAY;

			if (strcmp(r->start_status, status_event) == 0 &&
			    !runs) {
				/* Starting, or starting anew once stopped: a
				 * clock that runs on through its start status
				 * (materials completed while the acceptance
				 * clock runs) keeps its day.  A regime that
				 * restarts it stops it on the way (need_info
				 * among its stop statuses). */
				c->start = today;
				c->due = wq_cal_add_workdays(
					cal, today, r->working_days, &uncertain);
				c->paused = c->stopped = NO_DAY;
			} else if (runs && wq_word_in(status_event,
						   r->stop_statuses)) {
				c->stopped = today;
			} else if (runs && r->extend_days > 0 &&
				   strcmp(r->extend_event, status_event) == 0) {
				/* The ruling allows one extension. */
				c->due = wq_cal_add_workdays(cal, c->due,
							     r->extend_days,
							     &uncertain);
			}
		}
		if (c->start == NO_DAY || c->stopped != NO_DAY)
			continue;
		bool pause_old = old_substate &&
				 wq_word_in(old_substate, r->pause_substates);
		bool pause_new = new_substate &&
				 wq_word_in(new_substate, r->pause_substates);
		if (pause_new && c->paused == NO_DAY) {
			c->paused = today;
		} else if (!pause_new && pause_old && c->paused != NO_DAY) {
			int held = wq_cal_workdays_between(cal, c->paused,
							   today, &uncertain);

			if (held > 0)
				c->due = wq_cal_add_workdays(cal, c->due, held,
							     &uncertain);
			c->paused = NO_DAY;
		}
	}

	for (const struct wq_statute_clock *s = wq_statute_clocks; s->name;
	     s++) {
		struct clock_state *c = find_state(states, &n, s->name);

		if (c)
			statute_step(s, c, status_event, today);
	}

	/* Drop clocks that never started so the JSON stays small. */
	int kept = 0;

	for (int i = 0; i < n; i++)
		if (states[i].start != NO_DAY)
			states[kept++] = states[i];
	n = kept;
	for (int i = 0; i < n; i++) {
		const struct clock_state *c = &states[i];

		if (c->stopped != NO_DAY || c->due == NO_DAY)
			continue;
		if (!running || c->due < running->due)
			running = c;
	}
	if (running) {
		snprintf(outcome->clock, sizeof(outcome->clock), "%s",
			 running->name);
		wq_date_format(running->due, outcome->due_on);
		/* Counted earlier over a year not loaded, or landing in one;
		 * calendar days need no schedule. */
		if (wq_statute_clock(running->name))
			outcome->unverified =
				!wq_statute_clock(running->name)->verified;
		else
			uncertain |= !wq_cal_covers(cal, running->due) ||
				     !wq_cal_covers(cal, running->start);
		for (int i = 0; i < rules->count; i++)
			if (strcmp(rules->rules[i].name, running->name) == 0)
				outcome->unverified = !rules->rules[i].verified;
	}
	outcome->uncertain = uncertain && running;
	*out_json = states_json(states, n);
	return WQ_ERR_OK;
}

static bool plain_identifier(const char *s, size_t max)
{
	if (!s || !*s || strlen(s) > max)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-'))
			return false;
	return true;
}

/* A member that is text when present: *out is "" when it is absent or
 * null, and false comes back when it is something else. */
static bool text_member(const json_t *obj, const char *key, const char **out)
{
	const json_t *v = json_object_get(obj, key);

	*out = json_string_value(v);
	if (!*out)
		*out = "";
	return !v || json_is_null(v) || json_is_string(v);
}

/* An array of plain names (statuses, substates) as the JSON text the
 * table keeps; NULL when it is something else. */
static char *names_json(const json_t *array)
{
	size_t i;
	const json_t *name;

	if (!json_is_array(array))
		return NULL;
	json_array_foreach(array, i, name)
		if (!plain_identifier(json_string_value(name), 31))
			return NULL;
	return json_dumps(array, JSON_COMPACT);
}

/* The regime's own line: its title, the regime it replaces and the day
 * (Beijing date) it came into force, both or neither. */
static enum wq_err import_regime(struct wq_store *store, const char *path,
				 const json_t *root, const char *regime)
{
	struct wq_stmt *ins;
	enum wq_err err;
	const char *title, *replaces, *from;
	int day;

	if (!text_member(root, "title", &title))
		return wq_fail(WQ_ERR_PARSE, N_("%s: \"%s\" must be text"),
			       path, "title");
	if (!text_member(root, "replaces", &replaces) ||
	    !text_member(root, "in_force_from", &from) ||
	    ((*replaces || *from) &&
	     (!plain_identifier(replaces, 40) ||
	      strcmp(replaces, regime) == 0 || !wq_date_parse(from, &day))))
		return wq_fail(WQ_ERR_PARSE,
			       N_("%s: \"replaces\" (another regime's name) "
				  "and \"in_force_from\" (YYYY-MM-DD) go "
				  "together"),
			       path);
	err = wq_store_prepare(store,
			       "INSERT INTO regimes(regime, title, replaces,"
			       " in_force_from) VALUES (?1, ?2, ?3, ?4)"
			       " ON CONFLICT(regime) DO UPDATE SET"
			       " title = excluded.title,"
			       " replaces = excluded.replaces,"
			       " in_force_from = excluded.in_force_from",
			       &ins);
	if (err)
		return err;
	wq_bind_text(ins, 1, regime);
	wq_bind_text(ins, 2, title);
	wq_bind_text(ins, 3, replaces);
	wq_bind_text(ins, 4, from);
	if (wq_step(ins) != WQ_DONE)
		err = wq_store_error(store, path);
	wq_store_finalize(store, ins);
	return err;
}

/* A clock's "extension": {"event": a ruling's status event, "working_days":
 * N}. */
static enum wq_err import_extension(struct wq_store *store, const char *path,
				    const char *regime, size_t index,
				    const char *clock, const json_t *rule)
{
	const json_t *x = json_object_get(rule, "extension");
	const json_t *days = json_object_get(x, "working_days");
	const char *event = json_string_value(json_object_get(x, "event"));
	struct wq_stmt *ins;
	enum wq_err err;

	if (!x || json_is_null(x))
		return WQ_ERR_OK;
	if (!plain_identifier(event, 31) || !json_is_integer(days) ||
	    json_integer_value(days) <= 0 || json_integer_value(days) > INT_MAX)
		return wq_fail(WQ_ERR_PARSE,
			       N_("%s: clocks[%zu]: \"extension\" needs an "
				  "\"event\" (a plain name) and a positive "
				  "integer \"working_days\""),
			       path, index);
	err = wq_store_prepare(store,
			       "INSERT INTO clock_extensions(regime, clock,"
			       " event, working_days) VALUES (?1, ?2, ?3, ?4)",
			       &ins);
	if (err)
		return err;
	wq_bind_text(ins, 1, regime);
	wq_bind_text(ins, 2, clock);
	wq_bind_text(ins, 3, event);
	wq_bind_int64(ins, 4, json_integer_value(days));
	if (wq_step(ins) != WQ_DONE)
		err = wq_store_error(store, path);
	wq_store_finalize(store, ins);
	return err;
}

/* One element of "clocks": its rule, its source and its extension. */
static enum wq_err import_clock(struct wq_store *store, const char *path,
				const char *regime, size_t index,
				const json_t *rule)
{
	const char *clock = json_string_value(json_object_get(rule, "clock"));
	const char *start =
		json_string_value(json_object_get(rule, "start_status"));
	const json_t *days = json_object_get(rule, "working_days");
	const json_t *pause = json_object_get(rule, "pause_substates");
	const json_t *regulator = json_object_get(rule, "regulator_time");
	const json_t *verified = json_object_get(rule, "verified");
	const char *basis = "", *source = "";
	char *stop = NULL, *paused = NULL;
	struct wq_stmt *ins;
	enum wq_err err;

	stop = names_json(json_object_get(rule, "stop_statuses"));
	if (!plain_identifier(clock, 15) || !start || !*start ||
	    !json_is_integer(days) || json_integer_value(days) <= 0 ||
	    json_integer_value(days) > INT_MAX || !stop) {
		free(stop);
		return wq_fail(WQ_ERR_PARSE,
			       N_("%s: clocks[%zu]: needs \"clock\" (a plain "
				  "name), a positive integer "
				  "\"working_days\", \"start_status\" and "
				  "a \"stop_statuses\" array of plain names"),
			       path, index);
	}
	paused = !pause || json_is_null(pause) ? wq_strdup("[]")
					       : names_json(pause);
	if (!paused)
		err = wq_fail(WQ_ERR_PARSE,
			      N_("%s: clocks[%zu]: \"pause_substates\" must "
				 "be an array of plain names"),
			      path, index);
	else if (regulator && !json_is_null(regulator) &&
		 !json_is_boolean(regulator) &&
		 !(json_is_integer(regulator) &&
		   (json_integer_value(regulator) == 0 ||
		    json_integer_value(regulator) == 1)))
		err = wq_fail(WQ_ERR_PARSE,
			      N_("%s: clocks[%zu]: \"regulator_time\" must be "
				 "true or false"),
			      path, index);
	else if (!text_member(rule, "basis", &basis))
		err = wq_fail(WQ_ERR_PARSE,
			      N_("%s: clocks[%zu]: \"%s\" must be text"), path,
			      index, "basis");
	else if (!text_member(rule, "source", &source))
		err = wq_fail(WQ_ERR_PARSE,
			      N_("%s: clocks[%zu]: \"%s\" must be text"), path,
			      index, "source");
	else
		err = wq_store_prepare(
			store,
			"INSERT INTO clock_rules(regime, clock, working_days,"
			" start_status, stop_statuses, pause_substates,"
			" regulator_time, basis)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			&ins);
	if (!err) {
		wq_bind_text(ins, 1, regime);
		wq_bind_text(ins, 2, clock);
		wq_bind_int64(ins, 3, json_integer_value(days));
		wq_bind_text(ins, 4, start);
		wq_bind_text(ins, 5, stop);
		wq_bind_text(ins, 6, paused);
		wq_bind_int(ins, 7, json_is_boolean(regulator)
					    ? json_is_true(regulator)
				    : json_is_integer(regulator)
					    ? json_integer_value(regulator) != 0
					    : 1);
		wq_bind_text(ins, 8, basis);
		if (wq_step(ins) != WQ_DONE)
			err = wq_store_error(store, path);
		wq_store_finalize(store, ins);
	}
	if (!err)
		err = wq_store_prepare(store,
				       "INSERT INTO clock_sources(regime, clock,"
				       " verified, source) VALUES (?1, ?2, ?3, ?4)",
				       &ins);
	if (!err) {
		/* Only true says checked (an old file's 1 too). */
		wq_bind_text(ins, 1, regime);
		wq_bind_text(ins, 2, clock);
		wq_bind_int(ins, 3, json_is_true(verified) ||
					    (json_is_integer(verified) &&
					     json_integer_value(verified) == 1));
		wq_bind_text(ins, 4, source);
		if (wq_step(ins) != WQ_DONE)
			err = wq_store_error(store, path);
		wq_store_finalize(store, ins);
	}
	if (!err)
		err = import_extension(store, path, regime, index, clock, rule);
	free(stop);
	free(paused);
	return err;
}

/* An audit event's details: compact, members in the order given (Jansson
 * keeps insertion order), so the text is the same from one run to the
 * next.  NULL when out of memory. */
static char *details_text(json_t *details)
{
	char *text = details ? json_dumps(details, JSON_COMPACT) : NULL;

	json_decref(details);
	return text;
}

enum wq_err wq_clock_regime_for(struct wq_store *store, int day, char *regime,
				size_t size)
{
	struct wq_stmt *st;
	enum wq_err err;
	char iso[11];
	bool found = false;

	wq_date_format(day, iso);
	/* From the active regime, back through the ones it replaced while
	 * the day precedes their coming into force, then forward through
	 * those replacing it once in force: `clock use` picks the line of
	 * regimes, the day of receipt the one in it. */
	err = wq_store_prepare(
		store,
		"WITH RECURSIVE"
		" back(regime, depth) AS ("
		"  SELECT value, 0 FROM settings WHERE key = 'regime'"
		"  UNION SELECT r.replaces, back.depth + 1 FROM back"
		"  JOIN regimes r ON r.regime = back.regime"
		"  WHERE r.replaces <> '' AND ?1 < r.in_force_from"
		"  AND back.depth < 16),"
		" start(regime) AS (SELECT regime FROM back"
		"  ORDER BY depth DESC LIMIT 1),"
		" fwd(regime, depth) AS ("
		"  SELECT regime, 0 FROM start"
		"  UNION SELECT r.regime, fwd.depth + 1 FROM fwd"
		"  JOIN regimes r ON r.replaces = fwd.regime"
		"  WHERE ?1 >= r.in_force_from AND fwd.depth < 16)"
		" SELECT regime FROM fwd ORDER BY depth DESC LIMIT 1",
		&st);
	if (err)
		return err;
	wq_bind_text(st, 1, iso);
	if (wq_step(st) == WQ_ROW && wq_column_text_or_null(st, 0)) {
		snprintf(regime, size, "%s",
			 wq_column_text_or_null(st, 0));
		found = true;
	}
	wq_store_finalize(store, st);
	/* No regime active: no clock runs (as without rules loaded). */
	if (!found)
		snprintf(regime, size, "%s", "");
	return WQ_ERR_OK;
}

enum wq_err wq_clock_import(struct wq_store *store, const struct wq_user *actor,
			    const char *path, char *regime, size_t size)
{
	struct wq_stmt *st;
	enum wq_err err;
	char *text = NULL, *details = NULL;
	json_t *root = NULL, *clocks, *rule;
	json_error_t jerr;
	size_t len, index;
	const char *name;

	if (actor->role != WQ_ROLE_ADMIN)
		return wq_fail(WQ_ERR_DENIED,
			       N_("only an admin can load clock rules"));
	if (wq_read_file(path, 1 << 20, &text, &len) != 0)
		return wq_fail(WQ_ERR_IO, N_("cannot read %s"), path);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!root) {
		/* Jansson quotes the file, cut where it may split a
		 * character: shown as the console would show it. */
		char *why = wq_clean_text(jerr.text, strlen(jerr.text), 0);

		err = wq_fail(WQ_ERR_PARSE,
			      N_("%s: not valid JSON (line %d, column %d: "
				 "%s)"),
			      path, jerr.line, jerr.column, why);
		free(why);
		return err;
	}
	clocks = json_object_get(root, "clocks");
	name = json_string_value(json_object_get(root, "regime"));
	if (!name || !json_is_array(clocks)) {
		json_decref(root);
		return wq_fail(WQ_ERR_PARSE,
			       N_("%s: expected a JSON object with \"regime\" "
				  "and a \"clocks\" array"),
			       path);
	}
	if (!plain_identifier(name, 40)) {
		json_decref(root);
		return wq_fail(WQ_ERR_PARSE,
			       N_("%s: the regime name must be a plain name "
				  "(a-z, 0-9, '-', '_')"),
			       path);
	}
	if (json_array_size(clocks) == 0) {
		json_decref(root);
		return wq_fail(WQ_ERR_PARSE, N_("%s: no clocks"), path);
	}
	snprintf(regime, size, "%s", name);
	err = wq_store_begin_write(store);
	if (err)
		goto out;

	err = wq_store_prepare(store, "DELETE FROM clock_rules WHERE regime = ?1",
			       &st);
	if (err)
		goto rollback;
	wq_bind_text(st, 1, regime);
	wq_step(st);
	wq_store_finalize(store, st);
	err = wq_store_prepare(store,
			       "DELETE FROM clock_extensions WHERE regime = ?1",
			       &st);
	if (err)
		goto rollback;
	wq_bind_text(st, 1, regime);
	wq_step(st);
	wq_store_finalize(store, st);
	err = wq_store_prepare(store,
			       "DELETE FROM clock_sources WHERE regime = ?1", &st);
	if (err)
		goto rollback;
	wq_bind_text(st, 1, regime);
	wq_step(st);
	wq_store_finalize(store, st);
	err = import_regime(store, path, root, regime);
	if (err)
		goto rollback;
	json_array_foreach(clocks, index, rule) {
		err = import_clock(store, path, regime, index, rule);
		if (err)
			goto rollback;
	}

	/* WHERE true: SQLite would read ON as a join's otherwise. */
	err = wq_store_exec(store,
			    "INSERT INTO settings(key, value)"
			    " SELECT 'regime', regime FROM clock_rules WHERE true"
			    " LIMIT 1 ON CONFLICT(key) DO NOTHING");
	if (err)
		goto rollback;
	details = details_text(json_pack("{s:s, s:I}", "regime", regime,
					 "clocks",
					 (json_int_t)json_array_size(clocks)));
	if (!details) {
		err = wq_fail(WQ_ERR_NOMEM, N_("clock import"));
		goto rollback;
	}
	err = wq_audit_append(store, actor->login, 0, "clock-import", details,
			      NULL);
	if (err)
		goto rollback;
	err = wq_store_commit(store);
	/* Our own commits do not move the shared version: drop the cache
	 * here. */
	wq_clock_rules_free(&wq_store_cache(store)->clock_rules);
	goto out;
rollback:
	wq_store_rollback(store);
out:
	free(details);
	json_decref(root);
	return err;
}

enum wq_err wq_clock_use(struct wq_store *store, const struct wq_user *actor,
			 const char *regime)
{
	struct wq_stmt *st;
	enum wq_err err;
	char *details;
	int n = 0;

	if (actor->role != WQ_ROLE_ADMIN)
		return wq_fail(WQ_ERR_DENIED,
			       N_("only an admin can switch clock rules"));
	err = wq_store_begin_write(store);
	if (err)
		return err;
	err = wq_store_prepare(store,
			       "SELECT count(*) FROM clock_rules WHERE regime = ?1",
			       &st);
	if (!err) {
		wq_bind_text(st, 1, regime);
		if (wq_step(st) == WQ_ROW)
			n = wq_column_int(st, 0);
		wq_store_finalize(store, st);
		if (n == 0)
			err = wq_fail(WQ_ERR_NOT_FOUND,
				      N_("no clock rules loaded for regime '%s'"),
				      regime);
	}
	if (!err)
		err = wq_store_set_setting(store, "regime", regime);
	if (!err) {
		details = details_text(json_pack("{s:s}", "regime", regime));
		err = details ? wq_audit_append(store, actor->login, 0,
						"clock-use", details, NULL)
			      : wq_fail(WQ_ERR_NOMEM, N_("clock use"));
		free(details);
	}
	if (err) {
		wq_store_rollback(store);
		return err;
	}
	wq_clock_rules_free(&wq_store_cache(store)->clock_rules);
	return wq_store_commit(store);
}
