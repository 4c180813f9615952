/* Files across the SSH session, for the screens that take or give them.
 * Nothing here reaches a shell: lrzsz is exec'd by the core with a fixed
 * argument list, the upload folder is read by the core with the user's
 * rights, and what is printed is cleaned text between the terminal's
 * media-copy controls. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "screens/files.h"
#include "weiquan/encoding.h"
#include "weiquan/termprint.h"

enum wq_err scr_on_terminal(enum wq_err (*fn)(void *), void *arg)
{
	enum wq_err err;

	def_prog_mode();
	endwin();
	fflush(stdout);
	err = fn(arg);
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	return err;
}

struct incoming {
	struct wq_zmodem_file *files;
	size_t count;
};

static enum wq_err receive_incoming(void *arg)
{
	struct incoming *in = arg;

	return wq_zmodem_receive(&in->files, &in->count);
}

/* The names as the user's terminal wrote them: a desk whose locale is
 * GB18030 or Big5 runs its ZMODEM client (Xshell, SecureCRT) in that
 * charset, and rz keeps the bytes; inside they are UTF-8, as the names
 * sent to the PC are converted the other way.  A name that does not
 * decode is left as it came (UTF-8 from a client that sends it so, or
 * refused by the core with the reason). */
static void names_from_terminal(struct wq_zmodem_file *files, size_t count)
{
	enum wq_encoding enc;

	if (wq_enc_parse(nl_langinfo(CODESET), &enc) != WQ_ERR_OK) {
		wq_err_clear();
		return;
	}
	if (enc == WQ_ENC_UTF8)
		return;
	for (size_t i = 0; i < count; i++) {
		char *utf8 = NULL;

		if (wq_enc_to_utf8(files[i].name, strlen(files[i].name), enc,
				   &utf8, NULL) != WQ_ERR_OK) {
			wq_err_clear();
			continue;
		}
		free(files[i].name);
		files[i].name = utf8;
	}
}

bool scr_zmodem_receive(struct scr_ui *ui, struct wq_zmodem_file **files,
			size_t *count)
{
	struct incoming in = {0};
	enum wq_err err;

	*files = NULL;
	*count = 0;
	if (!wq_zmodem_can_receive()) {
		scr_status(ui, true, "%s",
			   _("receiving from the PC is unavailable: lrzsz "
			     "(rz) is not installed"));
		return false;
	}
	err = scr_on_terminal(receive_incoming, &in);
	if (err) {
		scr_status_err(ui, err);
		return false;
	}
	names_from_terminal(in.files, in.count);
	*files = in.files;
	*count = in.count;
	return true;
}

bool scr_upload_pick(struct scr_ui *ui, struct wq_upload_file *file)
{
	struct wq_uploads up;
	const char **names, **labels;
	char **text;
	char title[300];
	enum wq_err err;
	int picked;
	bool ok = false;

	err = wq_uploads_list(&up);
	if (err) {
		scr_status_err(ui, err);
		return false;
	}
	if (!up.n) {
		/* TRANSLATORS: the folder's path. */
		scr_status(ui, true,
			   _("your upload folder is empty: put files there "
			     "with sftp (%s)"),
			   up.dir);
		wq_uploads_free(&up);
		return false;
	}
	names = calloc(up.n + 1, sizeof(*names));
	labels = calloc(up.n + 1, sizeof(*labels));
	text = calloc(up.n, sizeof(*text));
	if (!names || !labels || !text) {
		fputs("weiquan: out of memory\n", stderr);
		abort();
	}
	for (size_t i = 0; i < up.n; i++) {
		const struct wq_upload_entry *e = &up.v[i];
		char size[32];
		int n;

		snprintf(size, sizeof(size), "%" PRId64, e->size);
		/* The name is drawn by the prompt's sanitizing draw. */
		n = e->refused
			? snprintf(NULL, 0, _("%s  %s B  (refused: %s)"),
				   e->name, size, _(e->refused))
			: snprintf(NULL, 0, "%s  %s B", e->name, size);
		text[i] = malloc((size_t)n + 1);
		if (!text[i]) {
			fputs("weiquan: out of memory\n", stderr);
			abort();
		}
		if (e->refused)
			snprintf(text[i], (size_t)n + 1,
				 _("%s  %s B  (refused: %s)"), e->name, size,
				 _(e->refused));
		else
			snprintf(text[i], (size_t)n + 1, "%s  %s B", e->name,
				 size);
		names[i] = e->name;
		labels[i] = text[i];
	}
	snprintf(title, sizeof(title), "%s",
		 _("A file from your upload folder (sftp)"));
	if (scr_prompt_pick(ui, title, names, labels, &picked)) {
		const char *why = NULL;

		err = wq_upload_read(up.v[picked].name, file, &why);
		if (err == WQ_ERR_INVALID && why) {
			/* The status line is drawn sanitized. */
			/* TRANSLATORS: the file's name, why it is refused. */
			scr_status(ui, true, _("%s is refused: %s"),
				   up.v[picked].name, _(why));
		} else if (err) {
			scr_status_err(ui, err);
		} else {
			ok = true;
		}
	}
	for (size_t i = 0; i < up.n; i++)
		free(text[i]);
	free(text);
	free(names);
	free(labels);
	wq_uploads_free(&up);
	return ok;
}

struct print_job {
	const char *bytes;
	size_t len;
};

/* Writes the job's bytes as they are: the terminal's own line ending
 * translation (ONLCR) is off meanwhile, since the job ends its lines in
 * CR LF already. */
static enum wq_err write_job(void *arg)
{
	const struct print_job *job = arg;
	const char *p = job->bytes;
	size_t left = job->len;
	struct termios saved, raw;
	bool have = tcgetattr(STDOUT_FILENO, &saved) == 0;
	enum wq_err err = WQ_ERR_OK;

	if (have) {
		raw = saved;
		raw.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(STDOUT_FILENO, TCSADRAIN, &raw);
	}
	while (left > 0) {
		ssize_t n = write(STDOUT_FILENO, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = wq_fail(WQ_ERR_IO, N_("the terminal: %s"),
				      strerror(errno));
			break;
		}
		p += n;
		left -= (size_t)n;
	}
	if (have)
		tcsetattr(STDOUT_FILENO, TCSADRAIN, &saved);
	return err;
}

void scr_print_text(struct scr_ui *ui, const char *what, const char *text)
{
	struct print_job job;
	char *bytes = NULL;
	size_t len = 0, replaced = 0;
	enum wq_err err;

	err = wq_termprint_job(text, strlen(text), nl_langinfo(CODESET),
			       &bytes, &len, &replaced);
	if (!err) {
		job.bytes = bytes;
		job.len = len;
		err = scr_on_terminal(write_job, &job);
	}
	if (err)
		scr_status_err(ui, err);
	else if (replaced)
		scr_status(ui, false,
			   /* TRANSLATORS: how many characters, what was
			    * printed (the receipt...). */
			   ngettext("%zu character not in your charset "
				    "printed as ?; %s sent to your printer",
				    "%zu characters not in your charset "
				    "printed as ?; %s sent to your printer",
				    replaced),
			   replaced, what);
	else
		/* TRANSLATORS: what was printed (the receipt...). */
		scr_status(ui, false,
			   _("%s sent to your terminal's printer (PuTTY, "
			     "SecureCRT, Xshell: pass-through printing)"),
			   what);
	free(bytes);
}
