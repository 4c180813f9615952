/* weiquan: the upload folder, for terminals without ZMODEM.
 *
 * Each user has a folder on the server that they reach only by sftp,
 * chrooted by sshd (README: "Files across SSH"); what they put there, the
 * console lists and attaches as evidence, and once attached (committed)
 * the file leaves the folder.  The folder is the user's own: it is read
 * and emptied with the user's rights, never the installation's group.
 * Its path is a template where %u is the login of the process's real
 * user: configure's --with-upload-dir, or $WEIQUAN_UPLOAD_DIR where
 * weiquan does not run privileged.
 *
 * The files are anyone's: a name with a control character, a bidi
 * control, an invisible character, bytes that are not UTF-8, or a leading
 * '.' (hidden) or '-', or ends in ".filepart" (WinSCP's name for a
 * file it is still uploading); a
 * symbolic link; anything but a regular file; a file over the limit; and
 * one still being written are listed with the reason they are refused,
 * never opened. */
#ifndef WEIQUAN_UPLOAD_H
#define WEIQUAN_UPLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "weiquan/err.h"

/* What one file may hold: the evidence limit of the intake desk. */
#define WQ_UPLOAD_MAX_BYTES (64u << 20)
/* The most entries a listing reads. */
#define WQ_UPLOAD_MAX_ENTRIES 200
/* A file changed this recently may still be arriving. */
#define WQ_UPLOAD_SETTLE_SECONDS 2

struct wq_upload_entry {
	char *name;	    /* as in the folder: show it cleaned */
	int64_t size;
	const char *refused; /* NULL, or N_(): why it cannot be attached */
};

struct wq_uploads {
	char *dir;
	struct wq_upload_entry *v;
	size_t n;
};

/* The folder's path for this user (malloc'd), or NULL with the reason in
 * the error detail. */
char *wq_upload_dir(void);

/* Lists the folder, names in byte order.  WQ_ERR_NOT_FOUND when the user
 * has no folder (detail: its path). */
enum wq_err wq_uploads_list(struct wq_uploads *out);
void wq_uploads_free(struct wq_uploads *u);

/* One file taken from the folder: its bytes, and which file it was (so
 * the one removed is the one read, even if another took its name). */
struct wq_upload_file {
	char *name;
	char *data;
	size_t len;
	dev_t dev;
	ino_t ino;
	int64_t changed_ns; /* its ctime: an inode number may be reused */
};

/* Reads the file name of the folder, checked again as it is opened.
 * WQ_ERR_INVALID with the reason in the detail (in the user's language) and in
 * *why (N_(), may be NULL) when it is refused. */
enum wq_err wq_upload_read(const char *name, struct wq_upload_file *file,
			   const char **why);

/* Removes the file read, once it is attached; WQ_ERR_OK when it is gone
 * already, WQ_ERR_IO when it could not be removed or was replaced. */
enum wq_err wq_upload_remove(const struct wq_upload_file *file);
void wq_upload_file_free(struct wq_upload_file *file);

#endif
