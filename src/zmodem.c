#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "weiquan/wqtime.h"
#include "weiquan/zmodem.h"
#include "util.h"

#ifdef SZ_PATH
static const char sz_path[] = SZ_PATH;
#else
static const char sz_path[] = "";
#endif
#ifdef RZ_PATH
static const char rz_path[] = RZ_PATH;
#else
static const char rz_path[] = "";
#endif

bool wq_zmodem_can_send(void)
{
	return *sz_path && access(sz_path, X_OK) == 0;
}

bool wq_zmodem_can_receive(void)
{
	return *rz_path && access(rz_path, X_OK) == 0;
}

/* The private directory: made and opened with the user's own rights,
 * and from then on reached only through its descriptor.  It is the
 * user's (0700 under /tmp), so whatever runs as the user may rename it
 * and put a symbolic link in its place while lrzsz works; by its name, a
 * setgid weiquan would then read and empty the installation's directory
 * with the group's rights.  A privileged process ignores TMPDIR (the
 * user could point it at the group's files). */
struct private_dir {
	char *path;
	int fd;
};

static enum wq_err make_private_dir(struct private_dir *dir)
{
	const char *base = wq_privileged() ? NULL : getenv("TMPDIR");
	struct wq_ids ids;
	char *path;
	int saved, fd;

	dir->path = NULL;
	dir->fd = -1;
	path = wq_asprintf("%s/weiquan-zmodem-XXXXXX",
			   base && *base ? base : "/tmp");
	if (wq_ids_drop(&ids) != 0) {
		free(path);
		return wq_fail(WQ_ERR_IO, "%s", strerror(errno));
	}
	if (!mkdtemp(path)) {
		saved = errno;
		wq_ids_restore(&ids);
		free(path);
		return wq_fail(WQ_ERR_IO, N_("temporary directory: %s"),
			       strerror(saved));
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	saved = errno;
	if (fd < 0)
		(void)rmdir(path);
	wq_ids_restore(&ids);
	if (fd < 0) {
		free(path);
		return wq_fail(WQ_ERR_IO, N_("temporary directory: %s"),
			       strerror(saved));
	}
	dir->path = path;
	dir->fd = fd;
	return WQ_ERR_OK;
}

/* Empties and removes the private directory with the user's own rights:
 * rz makes only plain files there (restricted mode: no path leaves it, no
 * directory is made).  Should its name no longer be the directory (a
 * link put there), rmdir leaves the name alone. */
static void remove_private_dir(struct private_dir *dir)
{
	struct wq_ids ids;
	DIR *d;
	struct dirent *e;
	int fd;

	if (!dir->path)
		return;
	if (wq_ids_drop(&ids) == 0) {
		fd = dup(dir->fd);
		d = fd < 0 ? NULL : fdopendir(fd);
		if (!d && fd >= 0)
			close(fd);
		if (d) {
			/* The descriptor's offset is shared with collect's. */
			rewinddir(d);
			while ((e = readdir(d)) != NULL) {
				if (!strcmp(e->d_name, ".") ||
				    !strcmp(e->d_name, ".."))
					continue;
				(void)unlinkat(dir->fd, e->d_name, 0);
			}
			closedir(d);
		}
		(void)rmdir(dir->path);
		wq_ids_restore(&ids);
	}
	close(dir->fd);
	dir->fd = -1;
	free(dir->path);
	dir->path = NULL;
}

/* Whether the bytes seen so far hold a ZFIN header: the PC's receiver
 * saying it is done ("**", ZDLE, 'B', "08").  tail keeps the last bytes
 * of the previous read, so a header cut between reads is found. */
static bool saw_zfin(char tail[4], size_t *tail_len, const char *buf,
		     size_t len)
{
	char joined[4 + 512];
	size_t n = *tail_len;
	bool found = false;

	memcpy(joined, tail, n);
	memcpy(joined + n, buf, len);
	n += len;
	for (size_t i = 0; i + 4 <= n && !found; i++)
		found = !memcmp(joined + i, "\030B08", 4);
	*tail_len = n < 3 ? n : 3;
	memcpy(tail, joined + n - *tail_len, *tail_len);
	return found;
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 +
	       (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* After lrzsz: what the terminal sent that it did not read is thrown
 * away until the terminal has been quiet for a moment (two seconds at
 * most), read without echo: the end of the protocol, a cancel's Ctrl-X
 * and backspaces come just after lrzsz exits and are not keys for the
 * console ("O" would start a counter-offer, "B" send a case back).
 * After sending, the PC's receiver waits for the sender's last word,
 * "OO": sz writes it, then flushes the terminal as it exits, which on a
 * pty discards what the other side has not read yet, so the PC may never
 * get it and repeat its ZFIN, whose bytes would be taken as keys.  The
 * word is said again here, and once more for each ZFIN that comes. */
static void drain_terminal(bool after_sending)
{
	struct termios saved, quiet;
	bool have_modes = tcgetattr(STDIN_FILENO, &saved) == 0;
	struct timespec start;
	char tail[4];
	size_t tail_len = 0;

	if (have_modes) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
		quiet.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
		quiet.c_cc[VMIN] = 0;
		quiet.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	if (after_sending)
		(void)!write(STDOUT_FILENO, "OO", 2);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (elapsed_ms(&start) < 2000) {
		struct pollfd in = {.fd = STDIN_FILENO, .events = POLLIN};
		char buf[512];
		ssize_t n;

		if (poll(&in, 1, 200) <= 0)
			break;
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (after_sending && saw_zfin(tail, &tail_len, buf, (size_t)n))
			(void)!write(STDOUT_FILENO, "OO", 2);
	}
	tcflush(STDIN_FILENO, TCIFLUSH);
	if (have_modes)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

/* Runs lrzsz on the terminal in dir and waits for it: 0 when it
 * succeeded.  The child drops the installation's group for good (real,
 * effective and saved ids: exec copies the effective into the saved),
 * leaves only the terminal open, and may write files of at most
 * max_bytes (past it the kernel stops the transfer: SIGXFSZ).  The parent
 * ignores the terminal's interrupt meanwhile, as system(3) does: Ctrl-C
 * belongs to the transfer; then it drains the terminal
 * (drain_terminal). */
static int run_on_terminal(const struct private_dir *dir,
			   const char *const argv[], rlim_t max_bytes,
			   bool sending)
{
	struct sigaction ignore = {.sa_handler = SIG_IGN}, old_int, old_quit;
	pid_t pid;
	int status = -1;

	sigemptyset(&ignore.sa_mask);
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	pid = fork();
	if (pid == 0) {
		struct rlimit fsize = {max_bytes, max_bytes};
		long maxfd = sysconf(_SC_OPEN_MAX);

		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		if (setgid(getgid()) != 0 || setuid(getuid()) != 0 ||
		    getegid() != getgid() || geteuid() != getuid())
			_exit(126);
		if (fchdir(dir->fd) != 0 ||
		    setrlimit(RLIMIT_FSIZE, &fsize) != 0)
			_exit(126);
		if (maxfd < 0 || maxfd > 65536)
			maxfd = 65536;
		for (long fd = 3; fd < maxfd; fd++)
			close((int)fd);
		umask(077);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	drain_terminal(sending && pid > 0 && WIFEXITED(status) &&
		       WEXITSTATUS(status) == 0);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (pid < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

enum wq_err wq_zmodem_send(const char *file_name, const void *data,
			   size_t len)
{
	struct private_dir dir;
	char *name;
	const char *argv[] = {sz_path, "--binary", "--", NULL, NULL};
	struct wq_ids ids;
	enum wq_err err;
	int fd, rc;

	if (!wq_zmodem_can_send())
		return wq_fail(WQ_ERR_INVALID,
			       N_("sz (lrzsz) is not installed"));
	name = wq_strdup(*file_name ? file_name : "weiquan");
	for (char *p = name; *p; p++)
		if (*p == '/' || (p == name && (*p == '.' || *p == '-')))
			*p = '_';
	err = make_private_dir(&dir);
	if (err) {
		free(name);
		return err;
	}
	fd = -1;
	if (wq_ids_drop(&ids) == 0) {
		fd = openat(
		    dir.fd, name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		wq_ids_restore(&ids);
	}
	err = fd < 0 ? wq_fail(WQ_ERR_IO, N_("%s: %s"), name, strerror(errno))
		     : WQ_ERR_OK;
	for (const char *p = data; !err && len > 0;) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err = wq_fail(WQ_ERR_IO, N_("%s: %s"), name,
				      strerror(errno));
		else
			p += n, len -= (size_t)n;
	}
	if (fd >= 0 && close(fd) != 0 && !err)
		err = wq_fail(WQ_ERR_IO, N_("%s: %s"), name, strerror(errno));
	if (!err) {
		argv[3] = name;
		rc = run_on_terminal(&dir, argv, RLIM_INFINITY, true);
		if (rc)
			err = wq_fail(WQ_ERR_IO, N_("cancelled or failed"));
	}
	remove_private_dir(&dir);
	free(name);
	return err;
}

void wq_zmodem_files_free(struct wq_zmodem_file **files, size_t count)
{
	if (!*files)
		return;
	for (size_t i = 0; i < count; i++) {
		free((*files)[i].name);
		free((*files)[i].data);
	}
	free(*files);
	*files = NULL;
}

/* Reads what rz left in the private directory, with the user's own
 * rights: plain files only (a link is not followed), within the limits. */
static enum wq_err collect(const struct private_dir *dir,
			   struct wq_zmodem_file **files, size_t *count)
{
	struct wq_ids ids;
	DIR *d;
	struct dirent *e;
	struct wq_zmodem_file *got;
	size_t n = 0;
	enum wq_err err = WQ_ERR_OK;
	int fd;

	if (wq_ids_drop(&ids) != 0)
		return wq_fail(WQ_ERR_IO, "%s", strerror(errno));
	fd = dup(dir->fd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		int saved = errno;

		if (fd >= 0)
			close(fd);
		wq_ids_restore(&ids);
		return wq_fail(WQ_ERR_IO, N_("%s: %s"), dir->path,
			       strerror(saved));
	}
	rewinddir(d);
	got = wq_xcalloc(WQ_ZMODEM_MAX_FILES, sizeof(*got));
	while (!err && (e = readdir(d)) != NULL) {
		int file;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == WQ_ZMODEM_MAX_FILES) {
			err = wq_fail(WQ_ERR_INVALID,
				      N_("more than %d files at once"),
				      WQ_ZMODEM_MAX_FILES);
			break;
		}
		/* Non-blocking: a FIFO put there is refused, not waited on. */
		file = openat(dir->fd, e->d_name,
			      O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
				      O_CLOEXEC);
		if (file < 0 && errno == ELOOP)
			err = wq_fail(WQ_ERR_INVALID,
				      N_("%s: not a regular file"), e->d_name);
		else if (file < 0 ||
			 wq_read_fd(file, WQ_ZMODEM_MAX_BYTES, &got[n].data,
				    &got[n].len) != 0)
			err = errno == WQ_ENOTREG
				  ? wq_fail(WQ_ERR_INVALID,
					    N_("%s: not a regular file"),
					    e->d_name)
				  : wq_fail(WQ_ERR_IO, N_("%s: %s"), e->d_name,
					    wq_read_file_strerror(errno));
		else
			got[n++].name = wq_strdup(e->d_name);
		if (file >= 0)
			close(file);
	}
	closedir(d);
	wq_ids_restore(&ids);
	if (!err && n == 0)
		err = wq_fail(WQ_ERR_NOT_FOUND, N_("no file was sent"));
	if (err) {
		wq_zmodem_files_free(&got, n);
		return err;
	}
	*files = got;
	*count = n;
	return WQ_ERR_OK;
}

enum wq_err wq_zmodem_receive(struct wq_zmodem_file **files, size_t *count)
{
	/* Restricted: a name with a directory or ".." is refused, and no
	 * command the sender asks for runs. */
	const char *const argv[] = {rz_path, "--binary", "--restricted", NULL};
	struct private_dir dir;
	enum wq_err err;

	*files = NULL;
	*count = 0;
	if (!wq_zmodem_can_receive())
		return wq_fail(WQ_ERR_INVALID,
			       N_("rz (lrzsz) is not installed"));
	err = make_private_dir(&dir);
	if (err)
		return err;
	if (run_on_terminal(&dir, argv, WQ_ZMODEM_MAX_BYTES, false) != 0)
		err = wq_fail(WQ_ERR_IO,
			      N_("cancelled, failed or over %u MB: nothing "
				 "attached"),
			      WQ_ZMODEM_MAX_BYTES >> 20);
	else
		err = collect(&dir, files, count);
	remove_private_dir(&dir);
	return err;
}

/* ---- names for the PC ---- */

/* The length of the valid UTF-8 sequence at p (at most left bytes), or 0
 * for a byte that starts none. */
static size_t utf8_seq(const unsigned char *p, size_t left, unsigned *cp)
{
	size_t n;
	unsigned c = p[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* A base name Windows takes for a device (CON, NUL, COM1...), whatever
 * the extension after it. */
static bool windows_device(const char *name)
{
	static const char *const devices[] = {"CON", "PRN", "AUX", "NUL",
					      "COM", "LPT", NULL};
	size_t stem = strcspn(name, ".");

	while (stem > 0 && name[stem - 1] == ' ')
		stem--;
	for (int i = 0; devices[i]; i++) {
		if (strncasecmp(name, devices[i], 3) != 0)
			continue;
		if (i < 4 && stem == 3)
			return true;
		if (i >= 4 && stem == 4 && name[3] >= '1' && name[3] <= '9')
			return true;
	}
	return false;
}

char *wq_zmodem_pc_name(const char *name, const char *ext)
{
	struct wq_buf b = {0};
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	size_t left = strlen((const char *)p);
	size_t room = WQ_ZMODEM_NAME_MAX - (ext && *ext ? strlen(ext) + 1 : 0);
	char *out;

	while (left > 0) {
		unsigned cp;
		size_t n = utf8_seq(p, left, &cp);
		bool bad = n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
			   (cp < 0x80 && strchr("\\/:*?\"<>|", (int)cp));

		if (n == 0)
			n = 1;
		/* Whole characters only, within the room left. */
		if (b.len + (bad ? 1 : n) > room)
			break;
		if (bad)
			wq_buf_add(&b, "_", 1);
		else
			wq_buf_add(&b, (const char *)p, n);
		p += n;
		left -= n;
	}
	/* Windows drops a name's trailing dots and spaces; leading ones, and
	 * a leading '-' (an option to a shell), make it hidden or odd. */
	while (b.len > 0 && (b.data[b.len - 1] == '.' || b.data[b.len - 1] == ' '))
		b.len--;
	if (b.data)
		b.data[b.len] = '\0';
	out = wq_strdup(b.data ? b.data + strspn(b.data, " ") : "");
	wq_buf_free(&b);
	if (*out == '.' || *out == '-')
		*out = '_';
	if (!*out || windows_device(out)) {
		char *named = wq_asprintf("%s%s", *out ? "_" : "weiquan", out);

		free(out);
		out = named;
	}
	if (ext && *ext) {
		char *full = wq_asprintf("%s.%s", out, ext);

		free(out);
		out = full;
	}
	return out;
}
