/* weiquan: files across the SSH session itself, by ZMODEM (lrzsz).
 *
 * The terminals at Chinese desks (Xshell, SecureCRT, MobaXterm) answer
 * ZMODEM on the session: Debian's sz sends a file to the user's PC, rz
 * receives files from it.  Either runs on the process's terminal (stdin
 * and stdout), which the caller hands over first (the console suspends
 * curses).  lrzsz is exec'd directly with a fixed argument list, never
 * through a shell, with the user's own rights (the installation's group
 * dropped for good in the child) in a private temporary directory (0700)
 * that is removed afterwards, whatever happened. */
#ifndef WEIQUAN_ZMODEM_H
#define WEIQUAN_ZMODEM_H

#include <stdbool.h>
#include <stddef.h>

#include "weiquan/err.h"

/* What one upload may hold: the evidence limit of the intake desk, and
 * a handful of files. */
#define WQ_ZMODEM_MAX_BYTES (64u << 20)
#define WQ_ZMODEM_MAX_FILES 16

/* Whether sz (send) or rz (receive) was found when weiquan was built. */
bool wq_zmodem_can_send(void);
bool wq_zmodem_can_receive(void);

/* Sends len bytes as file_name (a name for the PC: no directory; a '/'
 * or a leading '.' or '-' is replaced).  WQ_ERR_IO when sz failed or the
 * transfer was cancelled, WQ_ERR_INVALID when sz is missing. */
enum wq_err wq_zmodem_send(const char *file_name, const void *data,
			   size_t len);

/* The longest name wq_zmodem_pc_name() gives, in bytes: well within
 * what Windows (255 UTF-16 units) and a desk's unzip tools take, and
 * short enough to read in a download list. */
#define WQ_ZMODEM_NAME_MAX 120

/* name (UTF-8) as a file name the user's PC (Windows) can keep, with
 * ".ext" after it when ext is given: whole characters only, at most
 * WQ_ZMODEM_NAME_MAX bytes; control characters, bytes that are not UTF-8
 * and \ / : * ? " < > | as '_'; no trailing dot or space, no leading
 * dot or '-'; a device's name (CON, NUL, COM1, LPT1...) with '_' before
 * it; "weiquan" when nothing is left.  malloc'd. */
char *wq_zmodem_pc_name(const char *name, const char *ext);

/* One received file. */
struct wq_zmodem_file {
	char *name; /* as the PC named it, no directory */
	char *data;
	size_t len;
};

/* Receives the files the user sends (at most WQ_ZMODEM_MAX_FILES, each at
 * most WQ_ZMODEM_MAX_BYTES).  All or nothing: a cancelled or broken
 * transfer, or one over the limits, gives an error and no file.  Free the
 * result with wq_zmodem_files_free(). */
enum wq_err wq_zmodem_receive(struct wq_zmodem_file **files, size_t *count);
void wq_zmodem_files_free(struct wq_zmodem_file **files, size_t count);

#endif
