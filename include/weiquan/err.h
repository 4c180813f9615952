/* weiquan: error codes shared by every core module.
 *
 * Core functions return enum wq_err; only the command line and the screens
 * turn one into a message, and only main() exits.  Details that a message
 * needs (which field, which line, who changed the case) are left in a
 * per-process "last detail" string that wq_err_detail() returns until the
 * next core call that sets it. */
#ifndef WEIQUAN_ERR_H
#define WEIQUAN_ERR_H

#include <stdarg.h>

/* Marks a string for translation where it is defined; the screens and the
 * command line translate it where they show it. */
#ifndef N_
#define N_(s) s
#endif

/* X(name, message) */
#define WQ_ERR_LIST(X)                                                         \
	X(OK, N_("success"))                                                       \
	X(NOMEM, N_("out of memory"))                                              \
	X(IO, N_("cannot read or write a file"))                                   \
	X(DB, N_("database error"))                                                \
	X(BUSY, N_("the database stayed busy; try again"))                         \
	X(SCHEMA_OLD, N_("the database is older than this program; run 'weiquan init' to migrate it")) \
	X(SCHEMA_NEW, N_("the database is newer than this program; upgrade weiquan")) \
	X(NO_DB, N_("no database at this path; run 'weiquan init' first"))       \
	X(NOT_FOUND, N_("not found"))                                              \
	X(EXISTS, N_("already exists"))                                            \
	X(INVALID, N_("invalid value"))                                            \
	X(UNKNOWN_USER, N_("this login is not a weiquan user"))                   \
	X(DENIED, N_("your role may not do this"))                                 \
	X(BAD_STATUS, N_("not allowed in the case's current status"))              \
	X(STALE, N_("the case was changed by someone else meanwhile"))             \
	X(TAKEN, N_("the case is already assigned to someone else"))              \
	X(ENCODING, N_("the text is not in the expected encoding"))                \
	X(PARSE, N_("malformed input"))                                            \
	X(CALENDAR, N_("the date is outside the loaded holiday calendar"))        \
	X(AUDIT, N_("the audit chain is broken"))                                  \
	X(CONFLICT, N_("a declared conflict of interest forbids this"))          \
	X(FULL, N_("the disk is full; nothing was written"))                     \
	X(DISABLED, N_("this weiquan account is disabled"))

enum wq_err {
#define WQ_ERR_ENUM(name, msg) WQ_ERR_##name,
	WQ_ERR_LIST(WQ_ERR_ENUM)
#undef WQ_ERR_ENUM
	WQ_ERR_COUNT_
};

/* The fixed message of an error code (English source; translated by
 * whoever shows it). */
const char *wq_strerror(enum wq_err err);

/* Free-form detail about the last error set by a core function, or "". */
const char *wq_err_detail(void);

/* Record detail and return err, so a failing path reads
 * "return wq_fail(WQ_ERR_PARSE, N_("%s:%d: field %s"), ...)".  A format
 * marked N_() is translated here, so the detail reads in the user's
 * language like the message (translated by whoever shows it) it follows;
 * the values it quotes stay as given. */
enum wq_err wq_fail(enum wq_err err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void wq_err_clear(void);

/* wq_fail() with a msgid that is no format (a message given back by
 * another module), kept as such for wq_err_record(). */
enum wq_err wq_fail_msgid(enum wq_err err, const char *msgid);

/* The last failure's detail kept for a reader in another language: its
 * msgid and its arguments, each formatted as the message has it, as JSON
 * ({"msgid": ..., "args": [...]}; malloc'd), or NULL when its format has
 * a conversion this does not keep. */
char *wq_err_record(void);

/* A detail kept by wq_err_record() in the reader's language; any other
 * text (a detail stored before details were kept so) as it is.
 * malloc'd. */
char *wq_err_record_text(const char *stored);

/* msgid, marked N_() where it is written, in the user's language.  A
 * format passed through it is still checked against its arguments. */
const char *wq_text(const char *msgid) __attribute__((format_arg(1)));

/* The translated label of a code (a status, role or ruling name) for a
 * detail: its msgid in that gettext context ("status", "role", "action"),
 * or the code itself when it has none.  Static storage. */
const char *wq_code_label(const char *context, const char *code);

#endif
