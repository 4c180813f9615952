/* weiquan: files a user names, opened with that user's own rights.
 *
 * A setgid installation runs with the database's group.  A file the user
 * names (evidence, an import, a keys file, an export, a receipt, a backup)
 * is opened without it: with the group, a path or a symlink could reach
 * the database; and a file made for the user is private to them (0600),
 * not shared with the group of their login, since it may hold personal
 * data. */
#ifndef WEIQUAN_FILES_H
#define WEIQUAN_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "weiquan/err.h"

/* open(2) with the real uid and gid (O_CLOEXEC and O_NOCTTY added); a file
 * it creates gets mode 0600.  A descriptor, or -1 with errno set. */
int wq_file_open_as_user(const char *path, int flags);

/* Opens a regular file for reading.  WQ_ERR_IO with the reason in the
 * detail and in errno; WQ_ERR_INVALID for a directory, a device or a
 * FIFO. */
enum wq_err wq_file_open_read(const char *path, int *fd);

/* Creates path (0600) for writing; an existing file is replaced only when
 * replace is true, else WQ_ERR_EXISTS (also for a symlink, even a dangling
 * one). */
enum wq_err wq_file_create(const char *path, bool replace, int *fd);

/* Writes len bytes and closes fd (also on failure); path names it in the
 * detail. */
enum wq_err wq_file_write_close(int fd, const char *path, const void *data,
				size_t len);

#endif
