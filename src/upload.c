#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "weiquan/clean.h"
#include "weiquan/encoding.h"
#include "weiquan/upload.h"
#include "weiquan/wqtime.h"
#include "util.h"

#ifndef WQ_UPLOAD_DIR
#define WQ_UPLOAD_DIR "/srv/weiquan-upload/%u/upload"
#endif

char *wq_upload_dir(void)
{
	const char *tmpl = wq_privileged() ? NULL : getenv("WEIQUAN_UPLOAD_DIR");
	struct passwd *pw = getpwuid(getuid());
	struct wq_buf b = {0};

	if (!tmpl || !*tmpl)
		tmpl = WQ_UPLOAD_DIR;
	if (!pw || !*pw->pw_name || strchr(pw->pw_name, '/') ||
	    pw->pw_name[0] == '.') {
		wq_fail(WQ_ERR_UNKNOWN_USER, N_("uid %u: no usable login name"),
			(unsigned)getuid());
		return NULL;
	}
	for (const char *p = tmpl; *p; p++) {
		if (p[0] == '%' && p[1] == 'u') {
			wq_buf_puts(&b, pw->pw_name);
			p++;
		} else {
			wq_buf_add(&b, p, 1);
		}
	}
	return b.data;
}

/* Why a name is refused, or NULL: anything a terminal, a file manager or
 * a reader could take for something else. */
static const char *name_refused(const char *name)
{
	size_t len = strlen(name);

	if (name[0] == '.')
		return N_("a hidden name (starting with '.'), or a file "
			  "still being uploaded");
	/* WinSCP uploads into NAME.filepart, then renames it. */
	if (len > 9 && strcmp(name + len - 9, ".filepart") == 0)
		return N_("a file still being uploaded (.filepart)");
	if (name[0] == '-')
		return N_("a name starting with '-'");
	if (len > 255)
		return N_("a name too long");
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t step = wq_utf8_decode(name + i, len - i, &cp);

		if (step == 0)
			return N_("a name that is not UTF-8 text");
		if (wq_clean_class(cp) != WQ_CLEAN_PLAIN)
			return N_("a name with control or invisible characters");
		i += step;
	}
	return NULL;
}

/* Why the file st describes is refused, or NULL. */
static const char *file_refused(const struct stat *st, time_t now)
{
	if (S_ISLNK(st->st_mode))
		return N_("a symbolic link");
	if (!S_ISREG(st->st_mode))
		return N_("not a regular file (a directory, a device or a "
			  "FIFO)");
	if (st->st_size > (off_t)WQ_UPLOAD_MAX_BYTES)
		return N_("larger than 64 MB");
	if (st->st_mtime > now - WQ_UPLOAD_SETTLE_SECONDS &&
	    st->st_mtime <= now + 60)
		return N_("still arriving: try again in a moment");
	return NULL;
}

/* Opens the folder with the user's rights. */
static enum wq_err open_dir(char **path, int *fd)
{
	struct wq_ids ids;
	int saved;

	*path = wq_upload_dir();
	if (!*path)
		return WQ_ERR_UNKNOWN_USER;
	if (wq_ids_drop(&ids) != 0)
		return wq_fail(WQ_ERR_IO, "%s", strerror(errno));
	*fd = open(*path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	saved = errno;
	wq_ids_restore(&ids);
	if (*fd < 0) {
		if (saved == ENOENT)
			return wq_fail(WQ_ERR_NOT_FOUND,
				       N_("you have no upload folder (%s)"),
				       *path);
		return wq_fail(WQ_ERR_IO, N_("%s: %s"), *path, strerror(saved));
	}
	return WQ_ERR_OK;
}

static int64_t changed_ns(const struct stat *st)
{
	return (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct wq_upload_entry *)a)->name,
		      ((const struct wq_upload_entry *)b)->name);
}

enum wq_err wq_uploads_list(struct wq_uploads *out)
{
	time_t now = time(NULL);
	struct dirent *e;
	enum wq_err err;
	DIR *d = NULL;
	int fd;

	memset(out, 0, sizeof(*out));
	err = open_dir(&out->dir, &fd);
	if (!err && (d = fdopendir(fd)) == NULL) {
		err =
		    wq_fail(WQ_ERR_IO, N_("%s: %s"), out->dir, strerror(errno));
		close(fd);
	}
	if (err) {
		free(out->dir);
		out->dir = NULL;
		return err;
	}
	out->v = wq_xcalloc(WQ_UPLOAD_MAX_ENTRIES, sizeof(*out->v));
	while (out->n < WQ_UPLOAD_MAX_ENTRIES && (e = readdir(d)) != NULL) {
		struct wq_upload_entry *u = &out->v[out->n];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		u->name = wq_strdup(e->d_name);
		u->refused = name_refused(e->d_name);
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			free(u->name);
			continue; /* gone meanwhile */
		}
		u->size = (int64_t)st.st_size;
		if (!u->refused)
			u->refused = file_refused(&st, now);
		out->n++;
	}
	closedir(d);
	qsort(out->v, out->n, sizeof(*out->v), by_name);
	return WQ_ERR_OK;
}

void wq_uploads_free(struct wq_uploads *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->v[i].name);
	free(u->v);
	free(u->dir);
	memset(u, 0, sizeof(*u));
}

static enum wq_err refuse(const char *name, const char *why,
			  const char **out_why)
{
	char *shown = wq_clean_text(name, strlen(name), 0);

	if (out_why)
		*out_why = why;
	wq_fail(WQ_ERR_INVALID, N_("%s: %s"), shown, wq_text(why));
	free(shown);
	return WQ_ERR_INVALID;
}

enum wq_err wq_upload_read(const char *name, struct wq_upload_file *file,
			   const char **why)
{
	struct wq_ids ids;
	struct stat st;
	const char *no;
	char *dir;
	enum wq_err err;
	int dfd, fd, saved;

	memset(file, 0, sizeof(*file));
	if (why)
		*why = NULL;
	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return refuse(name, N_("not a name in the upload folder"), why);
	no = name_refused(name);
	if (no)
		return refuse(name, no, why);
	err = open_dir(&dir, &dfd);
	if (err) {
		free(dir);
		return err;
	}
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		saved = errno;
		close(dfd);
		free(dir);
		if (saved == ENOENT)
			return wq_fail(
			    WQ_ERR_NOT_FOUND,
			    N_("no such file in your upload folder"));
		return wq_fail(WQ_ERR_IO, "%s", strerror(saved));
	}
	no = file_refused(&st, time(NULL));
	if (no) {
		close(dfd);
		free(dir);
		return refuse(name, no, why);
	}
	fd = -1;
	if (wq_ids_drop(&ids) == 0) {
		/* Non-blocking: a FIFO put there since is not waited on. */
		fd = openat(dfd, name,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
				    O_CLOEXEC);
		wq_ids_restore(&ids);
	}
	saved = errno;
	close(dfd);
	free(dir);
	if (fd < 0)
		return saved == ELOOP ? refuse(name, N_("a symbolic link"), why)
				      : wq_fail(WQ_ERR_IO, "%s",
						strerror(saved));
	/* The file opened, checked again: it may have been swapped. */
	if (fstat(fd, &st) != 0 ||
	    (no = file_refused(&st, time(NULL))) != NULL) {
		close(fd);
		return refuse(name, no ? no : N_("cannot be read"), why);
	}
	{
		struct wq_buf b = {0};
		char chunk[65536];
		ssize_t n;

		while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				saved = errno;
				wq_buf_free(&b);
				close(fd);
				return wq_fail(WQ_ERR_IO, "%s", strerror(saved));
			}
			if (b.len + (size_t)n > WQ_UPLOAD_MAX_BYTES) {
				wq_buf_free(&b);
				close(fd);
				return refuse(name, N_("larger than 64 MB"),
					      why);
			}
			wq_buf_add(&b, chunk, (size_t)n);
		}
		wq_buf_add(&b, "", 0);
		file->data = b.data;
		file->len = b.len;
	}
	close(fd);
	file->name = wq_strdup(name);
	file->dev = st.st_dev;
	file->ino = st.st_ino;
	file->changed_ns = changed_ns(&st);
	return WQ_ERR_OK;
}

enum wq_err wq_upload_remove(const struct wq_upload_file *file)
{
	struct wq_ids ids;
	struct stat st;
	enum wq_err err;
	char *dir;
	int dfd, rc = -1, saved = 0;

	err = open_dir(&dir, &dfd);
	free(dir);
	if (err)
		return err;
	if (fstatat(dfd, file->name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		close(dfd);
		return WQ_ERR_OK;
	}
	if (st.st_dev != file->dev || st.st_ino != file->ino ||
	    changed_ns(&st) != file->changed_ns) {
		close(dfd);
		return wq_fail(WQ_ERR_IO,
			       N_("another file took its name: kept"));
	}
	if (wq_ids_drop(&ids) == 0) {
		rc = unlinkat(dfd, file->name, 0);
		saved = errno;
		wq_ids_restore(&ids);
	}
	close(dfd);
	if (rc != 0 && saved != ENOENT)
		return wq_fail(WQ_ERR_IO, "%s", strerror(saved));
	return WQ_ERR_OK;
}

void wq_upload_file_free(struct wq_upload_file *file)
{
	free(file->name);
	free(file->data);
	memset(file, 0, sizeof(*file));
}
