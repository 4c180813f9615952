#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "weiquan/files.h"
#include "weiquan/wqtime.h"
#include "util.h"

static void out_of_memory(void)
{
	fputs("weiquan: out of memory\n", stderr);
	abort();
}

void *wq_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *wq_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *wq_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *wq_strdup(const char *s)
{
	return wq_strndup(s, strlen(s));
}

char *wq_strndup(const char *s, size_t n)
{
	char *p = wq_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *wq_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		out_of_memory();
	va_end(ap);
	return p;
}

int wq_mkdir_p(const char *dir, mode_t mode)
{
	char *path = wq_strdup(dir);
	int rc = 0;

	for (char *p = path + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(path, mode) != 0 && errno != EEXIST) {
				rc = -1;
				break;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	free(path);
	return rc;
}

int wq_ids_drop(struct wq_ids *ids)
{
	int saved;

	ids->euid = geteuid();
	ids->egid = getegid();
	ids->dropped = false;
	if (!wq_privileged())
		return 0;
	if (setegid(getgid()) != 0)
		return -1;
	if (seteuid(getuid()) != 0) {
		saved = errno;
		if (setegid(ids->egid) != 0)
			abort();
		errno = saved;
		return -1;
	}
	ids->dropped = true;
	return 0;
}

void wq_ids_restore(const struct wq_ids *ids)
{
	if (!ids->dropped)
		return;
	/* Going on with the user's ids would lock them out of the database;
	 * failing here means the process's ids are not what we think. */
	if (seteuid(ids->euid) != 0 || setegid(ids->egid) != 0)
		abort();
}

int wq_file_open_as_user(const char *path, int flags)
{
	struct wq_ids ids;
	int fd, saved;

	if (wq_ids_drop(&ids) != 0)
		return -1;
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY, 0600);
	saved = errno;
	wq_ids_restore(&ids);
	errno = saved;
	return fd;
}

enum wq_err wq_file_open_read(const char *path, int *fd)
{
	struct stat sb;

	/* Non-blocking, so a FIFO cannot hold the open up; a regular file
	 * reads the same either way. */
	*fd = wq_file_open_as_user(path, O_RDONLY | O_NONBLOCK);
	if (*fd < 0) {
		int saved = errno;
		enum wq_err err =
		    wq_fail(WQ_ERR_IO, N_("%s: %s"), path, strerror(saved));

		errno = saved;
		return err;
	}
	if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(*fd);
		*fd = -1;
		return wq_fail(WQ_ERR_INVALID, N_("%s: not a regular file"),
			       path);
	}
	return WQ_ERR_OK;
}

enum wq_err wq_file_create(const char *path, bool replace, int *fd)
{
	*fd = wq_file_open_as_user(path, O_WRONLY | O_CREAT |
						 (replace ? O_TRUNC : O_EXCL));
	if (*fd < 0)
		return wq_fail(errno == EEXIST ? WQ_ERR_EXISTS : WQ_ERR_IO,
			       N_("%s: %s"), path, strerror(errno));
	return WQ_ERR_OK;
}

enum wq_err wq_file_write_close(int fd, const char *path, const void *data,
				size_t len)
{
	const char *p = data;
	int saved;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			saved = n < 0 ? errno : EIO;
			close(fd);
			return wq_fail(WQ_ERR_IO, N_("%s: %s"), path,
				       strerror(saved));
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0)
		return wq_fail(WQ_ERR_IO, N_("%s: %s"), path, strerror(errno));
	return WQ_ERR_OK;
}

int wq_read_fd(int fd, size_t max, char **data, size_t *len)
{
	struct wq_buf b = {0};
	struct stat sb;
	char chunk[65536];
	ssize_t n;

	*data = NULL;
	*len = 0;
	if (fstat(fd, &sb) != 0)
		return -1;
	if (!S_ISREG(sb.st_mode) || (uintmax_t)sb.st_size > max) {
		errno = S_ISREG(sb.st_mode) ? EFBIG : WQ_ENOTREG;
		return -1;
	}
	/* Room for the whole file at once: doubling would leave up to
	 * twice its size allocated. */
	b.cap = (size_t)sb.st_size + 1;
	b.data = wq_xmalloc(b.cap);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			wq_buf_free(&b);
			errno = saved;
			return -1;
		}
		/* The file may grow while it is read. */
		if (b.len + (size_t)n > max) {
			wq_buf_free(&b);
			errno = EFBIG;
			return -1;
		}
		wq_buf_add(&b, chunk, (size_t)n);
	}
	wq_buf_add(&b, "", 0);
	*data = b.data;
	*len = b.len;
	return 0;
}

int wq_read_file(const char *path, size_t max, char **data, size_t *len)
{
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for
	 * a writer; it is refused below like every non-regular file. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int rc, saved;

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	rc = wq_read_fd(fd, max, data, len);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

const char *wq_read_file_strerror(int e)
{
	return e == WQ_ENOTREG ? wq_text(N_("not a regular file"))
			       : strerror(e);
}

void wq_buf_add(struct wq_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = wq_xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void wq_buf_puts(struct wq_buf *b, const char *s)
{
	wq_buf_add(b, s, strlen(s));
}

void wq_buf_printf(struct wq_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	wq_buf_add(b, p, (size_t)n);
	free(p);
}

void wq_buf_json_string(struct wq_buf *b, const char *s)
{
	const char *run = s;

	wq_buf_puts(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		wq_buf_add(b, run, (size_t)(s - run));
		if (c == '"' || c == '\\')
			wq_buf_printf(b, "\\%c", c);
		else
			wq_buf_printf(b, "\\u%04x", c);
		run = s + 1;
	}
	wq_buf_add(b, run, (size_t)(s - run));
	wq_buf_puts(b, "\"");
}

void wq_buf_free(struct wq_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

bool wq_word_in(const char *word, const char *list)
{
	size_t n = strlen(word);

	if (!n)
		return false;
	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}
