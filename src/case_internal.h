/* weiquan: what case.c shares with rules.c (not public API). */
#ifndef WEIQUAN_CASE_INTERNAL_H
#define WEIQUAN_CASE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/case.h"

/* The mutable part of a case row: what rulings read and write. */
struct case_core {
	int64_t id;
	int64_t version;
	char number[32];
	char type[16];
	char status[24];
	char substate[24];
	char review_from[24];
	char reason[48];
	char assignee[64];       /* "" when unassigned */
	char report[48];
	unsigned flags;
	int64_t consumer_id, merchant_id;
	int64_t amount_fen;
	int64_t duplicate_of;    /* 0 when none */
	int64_t group_id;        /* 0 when none */
	char clock[16];
	char due_on[11];         /* "" when no clock runs */
	char *clocks;            /* JSON, owned */
};

enum wq_err case_core_load(struct wq_store *store, int64_t case_id,
			   struct case_core *c);
void case_core_free(struct case_core *c);

/* Writes `after` over the row if its version is still before->version,
 * bumps the version and appends the audit event whose details are
 * {"args": args_json, "set": <the fields that changed>}. */
enum wq_err case_core_save(struct wq_store *store, const char *actor,
			   const struct case_core *before,
			   struct case_core *after, const char *action,
			   const char *args_json, int64_t *event_id);

/* A JSON string literal of s (quotes included), via SQLite's quoting. */
char *case_json_quote(struct wq_store *store, const char *s);

bool case_is_closed_status(const char *status);

/* The id of case number, if actor may read it (wq_case_may_read), else
 * WQ_ERR_DENIED saying why. */
enum wq_err case_id_to_read(struct wq_store *store, const struct wq_user *actor,
			    const char *number, int64_t *case_id);

/* Evidence of case case_id, or (group_id != 0) shared evidence of a
 * collective group: the original bytes, their SHA-256, the encoding (given,
 * or detected) and the UTF-8 text, with its audit event. */
enum wq_err case_evidence_add(struct wq_store *store,
			      const struct wq_user *actor, int64_t case_id,
			      int64_t group_id, const char *kind,
			      const char *party, const char *file_name,
			      const void *bytes, size_t len,
			      const char *enc_name, int64_t *evidence_id);

/* WQ_ERR_INVALID naming field and the first bad byte unless s (or NULL)
 * is valid UTF-8: text that is not is refused, never stored changed. */
enum wq_err case_check_utf8(const char *field, const char *s);

#endif
