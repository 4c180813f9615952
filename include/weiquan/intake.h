/* weiquan: intake — what the desk needs around registering a complaint.
 *
 * The checks of a form before it is saved (every problem at once, by
 * field, nothing written), the cases it may duplicate and the consumer's
 * complaint history with the serial-complaint signals of DOMAIN.md (shown
 * for a human to judge, never a reason to refuse by themselves), existing
 * merchants matched as the desk types, the save itself (case, evidence and
 * the checklist in one write transaction), and the receipt (受理回执) or,
 * for a case not accepted, the notice (不予受理告知书).
 *
 * Messages are English msgids marked N_(): whoever shows them translates
 * them with _().  The receipt is Chinese text for the consumer (UTF-8; see
 * wq_receipt_encode for the desk's charset). */
#ifndef WEIQUAN_INTAKE_H
#define WEIQUAN_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/case.h"
#include "weiquan/store.h"
#include "weiquan/user.h"

/* ---- checks ---- */

/* One problem of one field.  field is the name of the struct wq_intake
 * member ("consumer_phone", "order_date", ...), or "amount" (the amount as
 * typed), "materials" (the checklist), "evidence", "" (the form as a
 * whole).  Both strings are static. */
struct wq_intake_problem {
	const char *field;
	const char *message;      /* N_() msgid */
	bool warning;             /* shown, but does not stop the save */
};

#define WQ_INTAKE_MAX_PROBLEMS 40

struct wq_intake_report {
	struct wq_intake_problem v[WQ_INTAKE_MAX_PROBLEMS];
	int count;
	int errors;               /* problems that stop the save */
};

/* Checks every field of in without writing anything and replaces *out
 * with all the problems found, in the form's order.  Required: type,
 * category, consumer_name, merchant_name, statement.  Phone numbers are
 * mainland mobiles (11 digits, 1[3-9]...) or landlines with their area
 * code, separators and +86 allowed; an 18-character resident ID number
 * must carry a valid birth date and check digit (GB 11643), and other
 * documents (passports, permits) are 6-20 letters and digits; an order date
 * may not lie in the future (more than 3 years back is a warning: the time
 * bar is a ground for not accepting).  Returns WQ_ERR_OK when nothing stops
 * the save, WQ_ERR_INVALID when something does (the detail lists
 * "field: message" pairs), WQ_ERR_DENIED for a role that does not register
 * complaints, or a database error. */
enum wq_err wq_intake_check(struct wq_store *store, const struct wq_user *actor,
			    const struct wq_intake *in,
			    struct wq_intake_report *out);

/* Adds a problem (the caller's own fields).  Ignored past the maximum. */
void wq_intake_report_add(struct wq_intake_report *r, const char *field,
			  const char *message, bool warning);
/* The first problem of a field (errors before warnings), or NULL. */
const struct wq_intake_problem *
wq_intake_problem_of(const struct wq_intake_report *r, const char *field);

/* The amount as typed in yuan ("1299", "1299.5"; "" is 0).  On a bad
 * amount adds the "amount" problem to r (may be NULL) and returns false. */
bool wq_intake_amount(const char *text, int64_t *fen,
		      struct wq_intake_report *r);

/* A phone number as digits only: spaces, '-', '(' and ')' dropped, a
 * +86/0086 country prefix dropped.  Malloc'd; text that is not a phone
 * number comes back as it was. */
char *wq_intake_phone_normalize(const char *phone);

/* The checklist of required materials the desk saw (bits). X(id, code,
 * label).  The code is what the audit event records. */
#define WQ_MATERIAL_LIST(X)                                                    \
	X(VOUCHER, "voucher", N_("purchase voucher or invoice"))            \
	X(ORDER, "order", N_("order record"))                                \
	X(CHAT, "chat", N_("chat log with the merchant"))                    \
	X(ID, "id", N_("the complainant's ID document"))

enum wq_material_bit {
#define WQ_MATERIAL_ENUM(id, code, label) WQ_MATERIAL_BIT_##id,
	WQ_MATERIAL_LIST(WQ_MATERIAL_ENUM)
#undef WQ_MATERIAL_ENUM
	WQ_MATERIAL_COUNT_
};
#define WQ_MATERIAL(id) (1u << WQ_MATERIAL_BIT_##id)

const char *wq_material_code(unsigned bit);
const char *wq_material_label(unsigned bit);   /* N_() msgid */

/* Warnings about the checklist: no purchase voucher nor order record (or
 * an attached voucher/order file), identity not checked.  Missing
 * materials are a ground for not accepting, so the desk hears of it, but
 * a complaint is still registered. */
void wq_intake_check_materials(unsigned materials, bool voucher_file,
			       bool order_file, struct wq_intake_report *r);

/* The category codes, in their table's order (for pick lists).  A
 * NULL-terminated malloc'd array of malloc'd strings; free with
 * wq_intake_strv_free. */
enum wq_err wq_intake_categories(struct wq_store *store, char ***codes);
void wq_intake_strv_free(char ***strv);

/* ---- duplicates and history ---- */

#define WQ_INTAKE_DUPLICATE_DAYS 30

struct wq_intake_case {
	char number[32];
	char status[24];
	char received_at[21];     /* UTC timestamp */
	char merchant[128];
	char order_no[64];
	bool same_phone, same_id_number, same_name;   /* how it matched */
};

struct wq_intake_duplicates {
	struct wq_intake_case *v;
	size_t n;
};

/* Cases of the same consumer (same phone, or ID number, or name), against
 * the same merchant (by name) for the same order number (no order number
 * on either side counts as the same), received within
 * WQ_INTAKE_DUPLICATE_DAYS days before or after in->received_at (NULL:
 * now), newest first, at most 20.  The list shows every desk's cases (only
 * numbers, statuses and dates): a duplicate is often registered at
 * another desk.  The ID number is matched on only for the roles that see
 * it (wq_role_sees_id_number). */
enum wq_err wq_intake_duplicates(struct wq_store *store,
				 const struct wq_user *actor,
				 const struct wq_intake *in,
				 struct wq_intake_duplicates *out);
void wq_intake_duplicates_free(struct wq_intake_duplicates *d);

/* Serial-complaint signals (DOMAIN.md), bits of wq_intake_history.signals.
 * X(id, code, message) */
#define WQ_SIGNAL_LIST(X)                                                      \
	X(FREQUENT, "frequent",                                                \
	  N_("frequent complaints (3+ in 30 days, 6+ in 90 or 12+ in 365)")) \
	X(REPEAT_MERCHANT, "repeat-merchant",                                  \
	  N_("repeated claims against this merchant (2+ in 365 days)"))      \
	X(FORMULAIC, "formulaic",                                              \
	  N_("formulaic text: 2+ statements open alike across cases"))       \
	X(COMPENSATION, "compensation",                                        \
	  N_("compensation claimed again and again (3+ in 365 days)"))       \
	X(REFUSED, "refused",                                                  \
	  N_("half or more of the complaints not accepted or withdrawn"))

enum wq_signal_bit {
#define WQ_SIGNAL_ENUM(id, code, msg) WQ_SIGNAL_BIT_##id,
	WQ_SIGNAL_LIST(WQ_SIGNAL_ENUM)
#undef WQ_SIGNAL_ENUM
	WQ_SIGNAL_COUNT_
};
#define WQ_SIGNAL(id) (1u << WQ_SIGNAL_BIT_##id)

const char *wq_signal_code(unsigned bit);
const char *wq_signal_message(unsigned bit);   /* N_() msgid */

/* Statements count as the same text when their first this many characters
 * (white space left out) are equal. */
#define WQ_FORMULAIC_PREFIX 40

struct wq_intake_history {
	bool by_name_only;        /* no phone nor ID number to match on */
	int64_t total;            /* the consumer's complaints before this */
	int64_t last30, last90, last365;
	int64_t merchants365;     /* distinct merchants in the last 365 days */
	int64_t this_merchant365; /* against this merchant (by name) */
	int64_t not_accepted, withdrawn;      /* of total */
	int refused_percent;      /* (not accepted + withdrawn) / total */
	int64_t compensation365;  /* remedy claimed: compensation */
	int64_t formulaic;        /* earlier statements that start the same
				     as this one (or as each other) */
	unsigned signals;         /* WQ_SIGNAL() bits */
	struct wq_intake_case recent[5];      /* newest first */
	int nrecent;
};

/* The complaint history of in's consumer, counted back from
 * in->received_at (NULL: now): matched by phone or ID number when the
 * form has either, else by name (by_name_only: a weak match).  Only for
 * the roles that see ID numbers (wq_role_sees_id_number): to the others
 * WQ_ERR_DENIED, since a match would tell them the number exists. */
enum wq_err wq_intake_history(struct wq_store *store,
			      const struct wq_user *actor,
			      const struct wq_intake *in,
			      struct wq_intake_history *out);

/* ---- merchants as the desk types ---- */

struct wq_merchant_match {
	int64_t id;
	char name[128];
	char platform[64], shop_id[64], region[64];
	int64_t complaints;
	bool repeat_offender, blacklisted;
};

/* Merchants whose name starts with, then contains, text (taken literally:
 * '%', '_' and '\' are no wildcards), most complaints first, at most max
 * (<= 0: 10).  *count gets how many were written to out. */
enum wq_err wq_intake_merchants(struct wq_store *store, const char *text,
				struct wq_merchant_match *out, int max,
				int *count);

/* ---- the save ---- */

/* An evidence file handed in at the desk. */
struct wq_intake_file {
	const char *file_name;    /* kept with the evidence (no directory) */
	const void *bytes;
	size_t len;
	const char *kind;         /* an evidence kind: voucher, order, chat... */
	const char *encoding;     /* NULL or "auto": detect; else the desk's */
};

struct wq_intake_extra {
	unsigned materials;       /* WQ_MATERIAL() bits the desk checked */
	const struct wq_intake_file *files;
	size_t nfiles;
	/* What the desk was shown before saving, for the audit trail. */
	const struct wq_intake_duplicates *duplicates;
	unsigned signals;
};

/* Checks the form (as wq_intake_check; nothing is written when it finds
 * an error), then in ONE write transaction registers the case, attaches
 * each file as the complainant's evidence and records the checklist and
 * what was shown (an "intake" event).  Anything failing rolls all of it
 * back.  number receives the public case number. */
enum wq_err wq_intake_save(struct wq_store *store, const struct wq_user *actor,
			   const struct wq_intake *in,
			   const struct wq_intake_extra *extra,
			   int64_t *case_id, char number[32]);

/* ---- files on the desk's machine ---- */

/* Reads a regular file of at most max bytes with the real user's rights
 * (a setgid installation does not lend its group to it).  WQ_ERR_IO with
 * the reason in the detail; WQ_ERR_INVALID for a directory, a device or a
 * file that is too large.  *data is NUL-terminated, *len excludes it. */
enum wq_err wq_intake_read_file(const char *path, size_t max, char **data,
				size_t *len);
/* Writes len bytes to path with the real user's rights, in a file of
 * mode 0600; an existing file is replaced only when replace is true (else
 * WQ_ERR_EXISTS). */
enum wq_err wq_intake_write_file(const char *path, const void *data,
				 size_t len, bool replace);
/* Where the console writes receipts: ~/weiquan, the home being the
 * password database's when privileged, else $HOME (malloc'd; NULL without
 * a home). */
char *wq_intake_receipt_dir(void);
/* Writes len bytes to a new file (0600) `name` in the receipt directory,
 * which is made (0700) if missing, with the user's own rights.  name is a
 * file name only: a '/', a leading '.' or a control character is
 * WQ_ERR_INVALID; an existing file (or symlink) is never replaced
 * (WQ_ERR_EXISTS).  *written receives the file's path (malloc'd). */
enum wq_err wq_intake_write_receipt(const char *name, const void *data,
				    size_t len, char **written);

/* ---- the receipt ---- */

/* The receipt of a case as Chinese text (UTF-8, malloc'd in *text):
 * 受理回执 with the organisation (setting 'org_name'), the case number,
 * the time received (local time), the complainant with phone and ID
 * number masked but for their last 4 characters, the merchant, the order,
 * the amount, the remedy claimed, the materials received (each evidence
 * file with the first 16 hex digits of its SHA-256, and the checklist),
 * the acceptance clock's due date and what happens next.  For a case not
 * accepted, the notice (不予受理告知书) citing its ground and the other
 * channels of the Consumer Rights Protection Law art. 39 follows.
 * Reading rights as for the case itself (a desk reads what it
 * registered). */
enum wq_err wq_receipt_text(struct wq_store *store, const struct wq_user *actor,
			    const char *number, char **text);

/* The Chinese text of a ground for not accepting (a reason code of
 * wq_not_accept_reasons), or NULL for an unknown code. */
const char *wq_receipt_ground(const char *reason);

/* The receipt in the charset the desk's locale names (nl_langinfo(CODESET)
 * as the caller found it: "UTF-8", "GB18030", "BIG5-HKSCS"...).  UTF-8, or
 * a charset weiquan does not convert to (e.g. "ANSI_X3.4-1968"), gives the
 * UTF-8 text unchanged.  WQ_ERR_ENCODING when a character has no place in
 * the charset (Big5 lacks many simplified characters): the caller may fall
 * back to UTF-8.  *out malloc'd, *len its length. */
enum wq_err wq_receipt_encode(const char *utf8, const char *codeset,
			      char **out, size_t *len);

#endif
