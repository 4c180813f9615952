/* weiquan: small helpers internal to the core.  Out of memory is the one
 * fatal error: these abort with a message rather than return NULL. */
#ifndef WEIQUAN_UTIL_H
#define WEIQUAN_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

void *wq_xmalloc(size_t n);
void *wq_xcalloc(size_t n, size_t size);
void *wq_xrealloc(void *p, size_t n);
char *wq_strdup(const char *s);
char *wq_strndup(const char *s, size_t n);
char *wq_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int wq_mkdir_p(const char *dir, mode_t mode);

/* The real user's own rights for a moment: a privileged (setgid) process
 * sets its effective ids to the real ones, then back (the saved set-IDs
 * allow it).  wq_ids_drop returns 0, or -1 with errno (nothing changed). */
struct wq_ids {
	uid_t euid;
	gid_t egid;
	bool dropped;
};
int wq_ids_drop(struct wq_ids *ids);
void wq_ids_restore(const struct wq_ids *ids);

/* Reads a whole file (at most max bytes) into a malloc'd, NUL-terminated
 * buffer.  Returns 0, or -1 with errno: EFBIG when larger than max,
 * WQ_ENOTREG for anything but a regular file (a FIFO, a device such as
 * /dev/zero, a directory), refused before a byte is read. */
#define WQ_ENOTREG ENODEV
int wq_read_file(const char *path, size_t max, char **data, size_t *len);
/* The same from an open file (left open), read with whatever rights
 * opened it. */
int wq_read_fd(int fd, size_t max, char **data, size_t *len);
/* strerror(), but WQ_ENOTREG reads "not a regular file". */
const char *wq_read_file_strerror(int e);

/* Whether word is one of the space-separated words of list ("" never is):
 * statuses, case types and remedies are kept as such lists. */
bool wq_word_in(const char *word, const char *list);

/* A growing string. */
struct wq_buf {
	char *data;
	size_t len, cap;
};
void wq_buf_add(struct wq_buf *b, const char *s, size_t n);
void wq_buf_puts(struct wq_buf *b, const char *s);
void wq_buf_printf(struct wq_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal (quotes included). */
void wq_buf_json_string(struct wq_buf *b, const char *s);
void wq_buf_free(struct wq_buf *b);

#endif
