/* weiquan: the command line.  Every command calls the same core functions
 * as the console's keystrokes, so whatever the console can do can be
 * scripted and tested without a terminal. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <langinfo.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <jansson.h>

#include "weiquan/audit.h"
#include "weiquan/bulk.h"
#include "weiquan/calendar.h"
#include "weiquan/case.h"
#include "weiquan/casedetail.h"
#include "weiquan/clean.h"
#include "weiquan/clock.h"
#include "weiquan/contact.h"
#include "weiquan/inbox.h"
#include "weiquan/demo.h"
#include "weiquan/document.h"
#include "weiquan/encoding.h"
#include "weiquan/files.h"
#include "weiquan/diversion.h"
#include "weiquan/group.h"
#include "weiquan/ocr.h"
#include "weiquan/intake.h"
#include "weiquan/media.h"
#include "weiquan/report.h"
#include "weiquan/rules.h"
#include "weiquan/store.h"
#include "weiquan/transfer.h"
#include "weiquan/upload.h"
#include "weiquan/user.h"
#include "weiquan/worker.h"
#include "weiquan/wqtime.h"
#include "util.h"
#include "screens/console.h"

#define _(s) gettext(s)
#define N_(s) s

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* Options any command may take, and the positional words left over. */
struct cli {
	const char *db;
	const char *user;
	const char *format, *encoding, *at, *seed, *cases, *expect, *skip;
	const char *role, *name, *out;
	const char *key, *checkpoint;
	const char *kind, *party, *facts, *reason, *lang;
	const char *channel, *said, *outcome, *follow_up;
	/* case add: what the intake records by rulings of their own */
	const char *complainant_address, *respondent_address;
	const char *platform_seat, *platform_domicile;
	const char *to;
	const char *ambiguous_width;
	const char *languages, *lease;
	struct wq_intake intake;
	struct wq_diversion diversion;
	const char *amount, *penalty, *basis;
	struct wq_filter filter;
	bool json, list, help, off, preview, progress, once, all;
	bool uploaded; /* evidence add: FILE is in the upload folder */
	int argc;
	const char *argv[64];
	struct wq_store *store;
	struct wq_user actor;
};

/* TRANSLATORS: keep the layout: a command's line starts with two spaces
 * and the command's name, its continuation lines with ten spaces or more
 * (`weiquan COMMAND --help` picks them out); keep commands, options and
 * their values untranslated. */
static const char usage_text[] = N_(
	"Usage: weiquan [--db PATH] [--user LOGIN] [COMMAND ...]\n"
	"\n"
	"A terminal console for mediating consumer disputes.\n"
	"\n"
	"Commands:\n"
	"  init                          create or migrate the database\n"
	"  demo [--cases N] [--seed S]   fill it with realistic demo cases\n"
	"  user add LOGIN --role ROLE [--name NAME]\n"
	"                                add a user (desk, mediator, supervisor, admin)\n"
	"  user list [--json]            every account: role, active or disabled,\n"
	"                                when it last opened the console\n"
	"  user role LOGIN ROLE          give a user another role\n"
	"  user disable LOGIN            the account stays in the history but can\n"
	"                                no longer log in; user enable LOGIN undoes\n"
	"                                it (each an audit event; admins only)\n"
	"  import FILE [--format csv|json]\n"
	"           [--encoding auto|utf-8|gb18030|big5|cp950]\n"
	"           [--progress] [--skip N] [--reason TEXT]\n"
	"                                checks every record, then writes them in\n"
	"                                short batches that let others work; shows\n"
	"                                progress on stderr when it is a terminal\n"
	"                                or with --progress; --skip N leaves out\n"
	"                                the first N records (an interrupted\n"
	"                                import says which N); a received_at in\n"
	"                                the past is for an admin giving the\n"
	"                                reason (--reason)\n"
	"  export [--format csv|json] [--encoding utf-8|gb18030] [FILTERS]\n"
	"  case add --case-type T --case-category C --consumer NAME\n"
	"           --merchant NAME --statement TEXT [--phone P] [--id-number N]\n"
	"           [--platform P] [--shop-id S] [--case-region R]\n"
	"           [--merchant-region R] [--order-no N] [--amount YUAN]\n"
	"           [--order-date D] [--remedy R]\n"
	"           [--complainant-address A] [--respondent-address A]\n"
	"           [--platform-seat GROUND --platform-domicile REGION]\n"
	"                                register a complaint; prints its number\n"
	"           --case-type diversion: also --brand B --authorised-region R\n"
	"           --found-region R [--batch B] [--codes C] [--clause TEXT]\n"
	"           [--penalty YUAN] [--trace TEXT] (the brand owner is the\n"
	"           consumer, the distributor the merchant); --case-type\n"
	"           report: a report (举报), the reporter as the consumer\n"
	"  case diversion NUMBER --brand B --authorised-region R\n"
	"           --found-region R [--batch B] [--codes C] [--clause TEXT]\n"
	"           [--penalty YUAN] [--trace TEXT]\n"
	"                                the details of a diversion case\n"
	"                                registered without them (intake form)\n"
	"  case list [FILTERS] [--json]  the queue\n"
	"  case find TEXT [--limit N] [--json]\n"
	"                                look a case up by its number (2026-123\n"
	"                                or 123 will do), the consumer's phone,\n"
	"                                ID number or name, the order number or\n"
	"                                the shop ID; exact or the start of it\n"
	"  case show NUMBER [--at TIME] [--json]\n"
	"                                one case, or as it stood at TIME\n"
	"  case claim|release NUMBER...  several cases in one write\n"
	"  case assign --to LOGIN NUMBER...\n"
	"  case flag --flag FLAG NUMBER...\n"
	"                                each case its own event, a case the\n"
	"                                ruling does not fit refused on its own\n"
	"  rule NUMBER ACTION [ARGS] [--expect-version N]\n"
	"  rule --list                   the actions and their arguments\n"
	"  evidence add NUMBER FILE --kind KIND --party PARTY [--encoding E]\n"
	"           [--uploaded]\n"
	"                                attach a file (original bytes kept);\n"
	"                                --uploaded: FILE is a name in your\n"
	"                                upload folder (sftp), removed from it\n"
	"                                once attached\n"
	"  uploads [--json]              the files in your upload folder, and\n"
	"                                why one cannot be attached\n"
	"  evidence show ID [--json]     a picture's or PDF's size or pages,\n"
	"                                EXIF capture time and camera, and\n"
	"                                whether its date fits the case\n"
	"  receipt NUMBER [--output FILE]\n"
	"                                the complainant's receipt, or the notice\n"
	"                                of not accepting, for the desk printer\n"
	"  document NUMBER KIND [--format text|pdf] [--output FILE]\n"
	"           [--lang zh_CN|zh_TW]\n"
	"                                issue a document of the case (receipt,\n"
	"                                acceptance, not-accepted, transfer,\n"
	"                                agreement, mediation-ended, follow-up,\n"
	"                                police-referral, report-decision; of\n"
	"                                an IP notice: ip-measures,\n"
	"                                ip-rejected, ip-declaration, ip-ended,\n"
	"                                ip-kept; of a diversion case:\n"
	"                                diversion-outcome);\n"
	"                                kept with its SHA-256 in the audit\n"
	"                                chain, the same bytes again unless\n"
	"                                the case changed\n"
	"  document NUMBER --list        the documents the case can issue\n"
	"  group create TITLE NUMBER... [--facts TEXT]\n"
	"                                group complaints against one merchant\n"
	"                                for one problem (a collective complaint)\n"
	"  group join GROUP NUMBER...    more members (GROUP as G12)\n"
	"  group leave NUMBER...         members leave their group\n"
	"  group facts GROUP TEXT        replace the shared facts\n"
	"  group evidence GROUP FILE --kind KIND [--encoding E]\n"
	"                                attach shared evidence\n"
	"  group show GROUP [--json]     facts, shared evidence and members\n"
	"  group list [--json]           the collective groups\n"
	"  group rule GROUP ACTION [ARGS] [--preview]\n"
	"                                one ruling for every member, each its\n"
	"                                own outcome; --preview writes nothing;\n"
	"                                settle, withdraw and agree leave out\n"
	"                                members without recorded consent\n"
	"  group representative GROUP NUMBER [--off]\n"
	"                                a member speaks for the group (two at\n"
	"                                most)\n"
	"  group consent GROUP NUMBER settle|withdraw|agree [--off]\n"
	"           [--reason HOW]       a member's consent to that group\n"
	"                                ruling, and how it was given\n"
	"  contact add NUMBER --party complainant|respondent\n"
	"           --channel phone|sms|email|visit|letter --said TEXT\n"
	"           [--outcome TEXT] [--follow-up YYYY-MM-DD]\n"
	"                                log a contact with a party\n"
	"  contact list NUMBER [--json]  the case's contact log\n"
	"  inbox [--json] [--all]        what is due on your cases within a\n"
	"                                working day (deadlines, follow-ups,\n"
	"                                performance dates), then what others\n"
	"                                did on them, unread first (--all:\n"
	"                                read ones too)\n"
	"  inbox read [EVENT_ID]         mark one item read, or all of them\n"
	"  conflict declare NUMBER consumer|merchant REASON\n"
	"                                recuse yourself from a party's cases\n"
	"  report [--json]               the dashboard's figures\n"
	"  merchant flag ID repeat-offender|blacklist [--off] --reason TEXT\n"
	"           [--basis TEXT]\n"
	"                                mark a merchant or lift the mark, with\n"
	"                                why and (to set it) the legal basis\n"
	"                                (supervisors; IDs in 'report --json')\n"
	"  merchant penalty ID --amount YUAN --reason DECISION --basis TEXT\n"
	"                                record a penalty on a merchant (counted\n"
	"                                in its record)\n"
	"  audit verify [--checkpoint FILE [--key FILE]]\n"
	"                                check the event chain, and every case,\n"
	"                                statement, offer, evidence file and\n"
	"                                user against what the events say\n"
	"  audit checkpoint --key FILE   print a signed line naming the chain's\n"
	"                                head, to keep outside the database\n"
	"  audit keygen FILE             a new key for checkpoints (mode 0600)\n"
	"  calendar import FILE          holidays and adjusted working days\n"
	"  clock import FILE             load a regime of clock rules\n"
	"  clock use REGIME              switch the active regime\n"
	"  damages RULE PRICE [LOSS]     statutory damages and their citation:\n"
	"                                crpl55 (fraud), crpl55-2 (death or\n"
	"                                serious injury; LOSS), fsl148 (food),\n"
	"                                dal144 (medicines)\n"
	"  backup FILE                   consistent copy while others work\n"
	"  worker [--once] [--languages L] [--lease SECONDS]\n"
	"                                read the text in attached images and PDFs\n"
	"                                (queued work; run as a service by an\n"
	"                                administrator's login), and merge the\n"
	"                                search index while idle; --once stops\n"
	"                                when neither has work left\n"
	"\n"
	"Filters: --status S|open|all --category C --region R --type T\n"
	"         --assignee LOGIN|me|none --search TEXT --order due|received|amount\n"
	"         |status|merchant|review --reverse --limit N --after CURSOR\n"
	"         --merchant-id ID --clock CLOCK --due-from DAY --due-to DAY\n"
	"         --flag FLAG --received-from DAY --received-to DAY (the cases\n"
	"         behind a figure of the dashboard; DAY is YYYY-MM-DD)\n"
	"\n"
	"Options:\n"
	"  --db PATH     the database (default $WEIQUAN_DB, else the shared\n"
	"                database if you may use it, else\n"
	"                $XDG_DATA_HOME/weiquan/weiquan.db); a\n"
	"                postgresql:// URI selects PostgreSQL, where every\n"
	"                command and the console work as on SQLite (backup\n"
	"                says to use pg_dump there)\n"
	"  --user LOGIN  act as another user (administrators only)\n"
	"  --ambiguous-width wide|narrow\n"
	"                how wide the terminal draws East Asian ambiguous\n"
	"                characters (curly quotes, circled digits, Greek) in\n"
	"                the console; default: as a UTF-8 locale says,\n"
	"                narrow in other locales\n"
	"  --help        this text\n"
	"  --version     the version\n");


/* TRANSLATORS: printed after the usage and after `weiquan case --help`;
 * keep options, commands and the examples' Latin letters as typed. */
static const char search_help_text[] = N_(
	"\n"
	"Pages: --limit N cases a page (50 unless given, at most 10000);\n"
	"  --after CURSOR gives the page after the one that printed CURSOR.\n"
	"\n"
	"Search: --search TEXT (/ in the console) lists each case whose\n"
	"  statements or evidence hold every term, newest case first.\n"
	"  Terms are separated by spaces and all must match.  Chinese matches\n"
	"  as typed, one character or more; Simplified and Traditional find\n"
	"  each other (退货, 退貨).  Latin letters and digits match whole words,\n"
	"  case-insensitively; full-width ones match half-width (ＴＢ1 = TB1).\n"
	"  Nothing is an operator: -, *, quotes, AND, OR and NOT are text;\n"
	"  punctuation inside a term separates words that must follow each\n"
	"  other (TB2026-001 finds \"TB2026 001\").\n");

/* `weiquan audit --help`: what verify proves and what it cannot. */
static const char audit_help_text[] = N_(
	"\n"
	"verify proves, from the database alone:\n"
	"  - every event's hash and its link to the one before are intact,\n"
	"    from the first event to the last;\n"
	"  - every case row is what replaying its events gives (status,\n"
	"    assignee, amount, every column the events record), and every\n"
	"    case has its events;\n"
	"  - every statement, offer and evidence file has the event that\n"
	"    added it, with the same text (SHA-256), amount, state and bytes\n"
	"    (SHA-256); every issued document has the event that issued it,\n"
	"    with the same bytes (SHA-256) of its text and PDF; every user's\n"
	"    role, merchant's marks and collective group's facts are the ones\n"
	"    their events gave.\n"
	"Each event records the acting login and the OS login that ran it.\n"
	"\n"
	"It cannot prove, without a checkpoint:\n"
	"  - that the newest events were not deleted together with what they\n"
	"    changed, nor that someone who can write the database did not\n"
	"    rewrite events and rows and re-hash the whole chain: the chain\n"
	"    only proves itself.  'audit checkpoint' prints a line naming the\n"
	"    head (event id and hash) signed with HMAC-SHA256 under a key\n"
	"    only its owner can read; kept by another account (or printed),\n"
	"    'verify --checkpoint FILE --key FILE' then proves every event up\n"
	"    to each checkpoint's head is still there, unchanged.  Events\n"
	"    after the last checkpoint are proven only by the database.\n"
	"It never proves: that an event told the truth when written; rows\n"
	"no event describes (consumers, merchants' names and counts,\n"
	"agreements, drafts, the calendar, clock rules, settings); rows\n"
	"older than the events that record them (listed under 'Not\n"
	"checked').\n");

/* ---- text output ---- */

/* Text from the database or the user (statements, names, file names,
 * values quoted in errors) is shown as the console shows it: control
 * characters, escape sequences, bidi controls and zero-width characters
 * never reach the terminal as such (weiquan/clean.h). */
static void put_clean(FILE *f, const char *s)
{
	char *clean = wq_clean_mbs(s);

	fputs(clean, f);
	free(clean);
}

/* s cleaned, for a printf argument.  It stays valid through the next
 * three calls: enough for the arguments of one message. */
static const char *shown(const char *s)
{
	static char *ring[4];
	static unsigned next;
	char **slot = &ring[next++ % 4];

	free(*slot);
	*slot = wq_clean_mbs(s);
	return *slot;
}

/* A JSON text (--json) on stdout, with the characters a terminal would
 * obey escaped: the same values. */
static void put_json(const char *json)
{
	char *clean = wq_clean_json(json, strlen(json));

	fputs(clean, stdout);
	free(clean);
}

/* A core error's detail quotes what the user gave (a value, a file name):
 * it goes through put_clean like everything else from outside. */
static int fail(enum wq_err err)
{
	const char *detail = wq_err_detail();

	fprintf(stderr, "weiquan: %s", _(wq_strerror(err)));
	if (*detail) {
		fputs(": ", stderr);
		put_clean(stderr, detail);
	}
	fputc('\n', stderr);
	return EXIT_FAIL;
}

/* fmt is one of this file's translated literals with one %s; arg is the
 * user's (an option, a value) and is printed clean. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int usage_error(const char *fmt, const char *arg)
{
	char *text = wq_asprintf(fmt, arg);

	fputs("weiquan: ", stderr);
	put_clean(stderr, text);
	free(text);
	fputs(_("\nTry 'weiquan --help'.\n"), stderr);
	return EXIT_USAGE;
}

/* --limit above what one answer holds: fmt names the most, max. */
static int limit_error(const char *fmt, int max)
{
	char *text = wq_asprintf(fmt, max);
	int rc = usage_error("%s", text);

	free(text);
	return rc;
}
#pragma GCC diagnostic pop

/* A column of the list: cleaned, clipped to width display columns (wide
 * characters never split) and padded. */
static void put_cell(const char *s, int width)
{
	char *clean = wq_clean_mbs(s);
	size_t len = strlen(clean), used = 0, n;
	mbstate_t ps;
	wchar_t wc;
	int w = 0, cw;

	memset(&ps, 0, sizeof(ps));
	while (used < len) {
		n = mbrtowc(&wc, clean + used, len - used, &ps);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&ps, 0, sizeof(ps));
			n = 1;
			cw = 1;
		} else {
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 1;
		}
		if (w + cw > width)
			break;
		used += n;
		w += cw;
	}
	fwrite(clean, 1, used, stdout);
	free(clean);
	for (; w < width; w++)
		putchar(' ');
}

/* ---- database and identity ---- */

static int open_store(struct cli *cli, enum wq_open_mode mode)
{
	char *path = NULL;
	enum wq_err err = WQ_ERR_OK;

	if (cli->db)
		path = wq_strdup(cli->db);
	else
		err = wq_store_default_path(&path);
	if (err)
		return fail(err);
	err = wq_store_open(path, mode, &cli->store);
	free(path);
	return err ? fail(err) : EXIT_OK;
}

/* The actor is the Unix login; --user lets an administrator act as
 * someone else (scripts, tests), and is refused for everyone else. */
static int identify(struct cli *cli)
{
	char login[64];
	enum wq_err err;

	err = wq_user_os_login(login, sizeof(login));
	if (!err)
		err = wq_user_lookup(cli->store, login, &cli->actor);
	if (err)
		return fail(err);
	if (cli->user && strcmp(cli->user, login) != 0) {
		if (cli->actor.role != WQ_ROLE_ADMIN) {
			fprintf(stderr,
				_("weiquan: --user is for administrators; "
				  "%s is a %s\n"),
				shown(login), wq_role_name(cli->actor.role));
			return EXIT_FAIL;
		}
		err = wq_user_lookup(cli->store, cli->user, &cli->actor);
		if (err)
			return fail(err);
	}
	return EXIT_OK;
}

static int open_as_user(struct cli *cli)
{
	int rc = open_store(cli, WQ_OPEN_EXISTING);

	return rc ? rc : identify(cli);
}

/* The shipped calendar and clock rules: $WEIQUAN_DATADIR, else where make
 * install put them, else (a build not installed) in its source tree. */
static const char *data_dir(void)
{
	const char *env = wq_privileged() ? NULL : getenv("WEIQUAN_DATADIR");
	char *installed;
	bool found;

	if (env && *env)
		return env;
	if (wq_privileged())
		return WQ_DATADIR;
	installed = wq_asprintf("%s/calendar-cn.json", WQ_DATADIR);
	found = access(installed, R_OK) == 0;
	free(installed);
	return found ? WQ_DATADIR : WQ_BUILD_DATADIR;
}

static bool shipped_data_found(void)
{
	char *cal = wq_asprintf("%s/calendar-cn.json", data_dir());
	char *rules = wq_asprintf("%s/clock-rules.json", data_dir());
	bool found = access(cal, R_OK) == 0 && access(rules, R_OK) == 0;

	free(cal);
	free(rules);
	return found;
}

/* A file the user names is opened with the user's own rights, not the
 * installation's group, which would let anyone attach, import or
 * overwrite the database itself; one it creates is the user's alone
 * (weiquan/files.h).  Returns a descriptor or -1 (errno). */
static int open_as_invoker(const char *path, int flags)
{
	return wq_file_open_as_user(path, flags);
}

/* The path under which the core reads a file the user named: itself, or
 * privileged, the descriptor open_as_invoker() got (*fd, to be closed). */
static char *invoker_path(const char *path, int *fd)
{
	*fd = -1;
	if (!wq_privileged())
		return wq_strdup(path);
	/* O_NONBLOCK: a FIFO would block the open; wq_read_file refuses
	 * it. */
	*fd = open_as_invoker(path, O_RDONLY | O_NONBLOCK);
	return *fd < 0 ? NULL : wq_asprintf("/dev/fd/%d", *fd);
}

/* Reads a file the user named, with the user's own rights (see
 * invoker_path); on failure says why. */
static int read_named_file(const char *name, char **data, size_t *len)
{
	int fd, rc = EXIT_OK;
	char *path = invoker_path(name, &fd);

	if (!path || wq_read_file(path, 64u << 20, data, len) != 0) {
		fprintf(stderr, "weiquan: %s: %s\n", shown(name),
			errno == WQ_ENOTREG ? _("not a regular file")
					    : strerror(errno));
		rc = EXIT_FAIL;
	}
	free(path);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Ends a command's write: rolled back and reported on err, else
 * committed. */
static int end_write(struct cli *cli, enum wq_err err)
{
	if (err) {
		wq_store_rollback(cli->store);
		return fail(err);
	}
	err = wq_store_commit(cli->store);
	return err ? fail(err) : EXIT_OK;
}

/* ---- commands ---- */

/* A new database gets the shipped holiday schedules and clock rules, so
 * its clocks are right from the first complaint; init run again loads
 * whatever is still missing. */
static int load_shipped_data(struct cli *cli)
{
	char regime[48];
	enum wq_err err = WQ_ERR_OK;
	struct wq_stmt *st;
	int days = 0, years = 0, have_days = 0, have_rules = 0;

	if (wq_store_prepare(cli->store,
			     "SELECT (SELECT count(*) FROM calendar_years),"
			     " (SELECT count(*) FROM clock_rules)",
			     &st) == WQ_ERR_OK) {
		if (wq_step(st) == WQ_ROW) {
			have_days = wq_column_int(st, 0);
			have_rules = wq_column_int(st, 1);
		}
		wq_store_finalize(cli->store, st);
	}
	if (cli->actor.role != WQ_ROLE_ADMIN || (have_days && have_rules))
		return EXIT_OK;
	if (!have_days) {
		char *cal = wq_asprintf("%s/calendar-cn.json", data_dir());

		err = wq_store_begin_write(cli->store);
		if (!err) {
			err = wq_cal_import(cli->store, cal, &days, &years);
			if (!err)
				err = wq_store_commit(cli->store);
			else
				wq_store_rollback(cli->store);
			wq_clock_calendar_reset(cli->store);
		}
		free(cal);
		if (err)
			return fail(err);
		printf(_("Loaded %d calendar days for %d years.\n"), days,
		       years);
	}
	/* Order No. 20, then Order No. 121 which replaced it on the day its
	 * file says: the first loaded is the active line of regimes. */
	static const char *const shipped_rules[] = {"clock-rules.json",
						    "clock-rules-121.json"};
	for (size_t i = 0; !have_rules && i < sizeof(shipped_rules) /
						      sizeof(shipped_rules[0]);
	     i++) {
		char *rules = wq_asprintf("%s/%s", data_dir(), shipped_rules[i]);

		err = wq_clock_import(cli->store, &cli->actor, rules, regime,
				      sizeof(regime));
		free(rules);
		if (err)
			return fail(err);
		printf(_("Loaded the clock rules of %s.\n"), regime);
	}
	return EXIT_OK;
}

static int init_database(struct cli *cli)
{
	char login[64];
	bool created;
	enum wq_err err;
	int rc;

	rc = open_store(cli, WQ_OPEN_INIT);
	if (rc)
		return rc;
	err = wq_user_os_login(login, sizeof(login));
	if (!err)
		err = wq_user_bootstrap(cli->store, login, &created);
	if (err)
		return fail(err);
	if (created)
		printf(_("Created %s; %s is its administrator.\n"),
		       shown(wq_store_path(cli->store)), shown(login));
	else
		printf(_("%s is at schema version %d.\n"),
		       shown(wq_store_path(cli->store)),
		       wq_store_schema_version(cli->store));
	err = wq_user_lookup(cli->store, login, &cli->actor);
	if (err == WQ_ERR_UNKNOWN_USER || err == WQ_ERR_DISABLED)
		return EXIT_OK;   /* someone else's database: nothing to load */
	if (err)
		return fail(err);
	return load_shipped_data(cli);
}

/* A new database is made whole or not at all: without its calendar and
 * clock rules every deadline would be wrong, so init first makes sure it
 * has them, and takes back a database it created when loading fails. */
static int cmd_init(struct cli *cli)
{
	char *path = NULL;
	struct stat sb;
	int rc = EXIT_OK;

	if (cli->db)
		path = wq_strdup(cli->db);
	else {
		enum wq_err err = wq_store_default_path(&path);

		if (err)
			return fail(err);
	}

	if (stat(path, &sb) != 0 && !shipped_data_found()) {
		fprintf(stderr,
			_("weiquan: the holiday calendar and clock rules are "
			  "not in %s; nothing was created.  Install weiquan "
			  "(make install), or run init with WEIQUAN_DATADIR "
			  "set to the data directory of its sources.\n"),
			data_dir());
		rc = EXIT_FAIL;
	}
	if (!rc)
		rc = init_database(cli);
	if (rc && cli->store && wq_store_created(cli->store)) {
		wq_store_discard(&cli->store);
		fprintf(stderr,
			_("weiquan: init did not finish; %s was removed\n"),
			path);
	}
	free(path);
	return rc;
}

static void demo_progress(int64_t done, int64_t total, void *data)
{
	(void)data;
	fprintf(stderr, "\r%s %" PRId64 " / %" PRId64 " (%d%%)",
		_("demo cases:"), done, total,
		total ? (int)(done * 100 / total) : 100);
	if (done == total)
		fputc('\n', stderr);
}

static int cmd_demo(struct cli *cli)
{
	struct wq_demo_opts opts = {.cases = 200, .seed = 1};
	struct wq_demo_result res;
	enum wq_err err;
	char *end;
	int rc;

	if (cli->cases) {
		opts.cases = strtoll(cli->cases, &end, 10);
		if (*end || opts.cases <= 0)
			return usage_error(_("--cases: '%s' is not a positive "
					     "number"),
					   cli->cases);
	}
	if (cli->seed) {
		opts.seed = strtoull(cli->seed, &end, 10);
		if (*end)
			return usage_error(_("--seed: '%s' is not a number"),
					   cli->seed);
	}
	if (isatty(STDERR_FILENO))
		opts.progress = demo_progress;
	rc = open_as_user(cli);
	if (rc)
		return rc;
	err = wq_demo_fill(cli->store, &cli->actor, &opts, &res);
	if (err)
		return fail(err);
	printf(_("Added %" PRId64 " demo cases (%" PRId64 " statements, %" PRId64
		 " evidence items, %" PRId64 " events).\nDemo users: %s\n"),
	       res.cases, res.statements, res.evidence, res.events,
	       res.users);
	return EXIT_OK;
}

/* A stored UTC time "YYYY-MM-DDTHH:MM:SSZ" as the local "YYYY-MM-DD
 * HH:MM", or "-" when there is none. */
static void local_minute(const char *utc, char out[20])
{
	time_t t;
	struct tm tm;

	if (!*utc || !wq_time_parse(utc, &t)) {
		snprintf(out, 20, "%s", "-");
		return;
	}
	localtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M", &tm);
}

static int user_list(struct cli *cli)
{
	struct wq_user_entry *users;
	size_t n;
	enum wq_err err = wq_user_list(cli->store, &cli->actor, &users, &n);

	if (err)
		return fail(err);
	if (cli->json) {
		struct wq_buf b = {0};

		wq_buf_puts(&b, "{\"users\":[");
		for (size_t i = 0; i < n; i++) {
			wq_buf_puts(&b, i ? ",{\"login\":" : "{\"login\":");
			wq_buf_json_string(&b, users[i].login);
			wq_buf_puts(&b, ",\"name\":");
			wq_buf_json_string(&b, users[i].name);
			wq_buf_printf(&b,
				      ",\"role\":\"%s\",\"active\":%s,"
				      "\"created_at\":\"%s\",\"last_login\":",
				      wq_role_name(users[i].role),
				      users[i].active ? "true" : "false",
				      users[i].created_at);
			if (users[i].last_login[0])
				wq_buf_printf(&b, "\"%s\"}",
					      users[i].last_login);
			else
				wq_buf_puts(&b, "null}");
		}
		wq_buf_puts(&b, "]}\n");
		fputs(b.data, stdout);
		wq_buf_free(&b);
		free(users);
		return EXIT_OK;
	}
	put_cell(_("LOGIN"), 17);
	put_cell(_("ROLE"), 11);
	put_cell(_("STATUS"), 9);
	/* TRANSLATORS: when the user last opened the console. */
	put_cell(_("LAST LOGIN"), 17);
	puts(_("NAME"));
	for (size_t i = 0; i < n; i++) {
		char last[20];

		local_minute(users[i].last_login, last);
		put_cell(users[i].login, 17);
		put_cell(wq_role_name(users[i].role), 11);
		put_cell(users[i].active ? _("active") : _("disabled"), 9);
		put_cell(last, 17);
		put_clean(stdout, users[i].name);
		putchar('\n');
	}
	free(users);
	return EXIT_OK;
}

static int cmd_user(struct cli *cli)
{
	const char *sub = cli->argc > 1 ? cli->argv[1] : "";
	enum wq_role role;
	enum wq_err err;
	int rc;

	if (strcmp(sub, "list") == 0 && cli->argc == 2) {
		rc = open_as_user(cli);
		return rc ? rc : user_list(cli);
	}
	if (strcmp(sub, "role") == 0 && cli->argc == 4) {
		if (!wq_role_parse(cli->argv[3], &role))
			return usage_error(_("'%s' is not a role: desk, "
					     "mediator, supervisor or admin"),
					   cli->argv[3]);
		rc = open_as_user(cli);
		if (rc)
			return rc;
		err = wq_user_set_role(cli->store, &cli->actor, cli->argv[2],
				       role);
		if (err)
			return fail(err);
		printf(_("%s is now %s.\n"), shown(cli->argv[2]),
		       wq_role_name(role));
		return EXIT_OK;
	}
	if ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0) &&
	    cli->argc == 3) {
		bool enable = strcmp(sub, "enable") == 0;

		rc = open_as_user(cli);
		if (rc)
			return rc;
		err = wq_user_set_active(cli->store, &cli->actor, cli->argv[2],
					 enable);
		if (err)
			return fail(err);
		printf(enable ? _("Enabled %s: the account can log in again.\n")
			      : _("Disabled %s: the account stays in the "
				  "history and can no longer log in.\n"),
		       shown(cli->argv[2]));
		return EXIT_OK;
	}
	if (strcmp(sub, "add") != 0 || cli->argc != 3)
		return usage_error("%s",
				   _("usage: weiquan user add LOGIN --role ROLE "
				     "[--name NAME] | user list [--json] | "
				     "user role LOGIN ROLE | user disable LOGIN "
				     "| user enable LOGIN"));
	if (!cli->role || !wq_role_parse(cli->role, &role))
		return usage_error(_("--role must be desk, mediator, "
				     "supervisor or admin%s"),
				   "");
	rc = open_as_user(cli);
	if (rc)
		return rc;
	err = wq_user_add(cli->store, &cli->actor, cli->argv[2], role,
			  cli->name);
	if (err)
		return fail(err);
	printf(_("Added %s as %s.\n"), shown(cli->argv[2]), wq_role_name(role));
	return EXIT_OK;
}

static void format_amount(int64_t fen, char *out, size_t size)
{
	snprintf(out, size, "%" PRId64 ".%02" PRId64, fen / 100, fen % 100);
}

/* The members of one queue row's JSON object, without its braces. */
static void put_row_members(struct wq_buf *b, const struct wq_case_row *r)
{
	wq_buf_puts(b, "\"number\":");
	wq_buf_json_string(b, r->number);
	wq_buf_puts(b, ",\"type\":");
	wq_buf_json_string(b, r->type);
	wq_buf_puts(b, ",\"status\":");
	wq_buf_json_string(b, r->status);
	wq_buf_puts(b, ",\"substate\":");
	wq_buf_json_string(b, r->substate);
	wq_buf_puts(b, ",\"category\":");
	wq_buf_json_string(b, r->category);
	wq_buf_puts(b, ",\"region\":");
	wq_buf_json_string(b, r->region);
	wq_buf_puts(b, ",\"merchant\":");
	wq_buf_json_string(b, r->merchant);
	wq_buf_printf(b,
		      ",\"merchant_repeat_offender\":%s,"
		      "\"merchant_blacklisted\":%s",
		      r->merchant_repeat ? "true" : "false",
		      r->merchant_blacklisted ? "true" : "false");
	wq_buf_printf(b, ",\"amount_fen\":%" PRId64, r->amount_fen);
	wq_buf_puts(b, ",\"received_at\":");
	wq_buf_json_string(b, r->received_at);
	wq_buf_puts(b, ",\"clock\":");
	wq_buf_json_string(b, r->clock);
	if (*r->due_on) {
		wq_buf_puts(b, ",\"due_on\":");
		wq_buf_json_string(b, r->due_on);
		/* A statutory clock counts calendar days. */
		wq_buf_printf(b,
			      ",\"%s\":%d,"
			      "\"calendar_uncertain\":%s,"
			      "\"clock_paused\":%s,"
			      "\"due_verified\":%s",
			      wq_statute_clock(r->clock)
				      ? "calendar_days_left"
				      : "working_days_left",
			      r->days_left,
			      r->days_uncertain ? "true" : "false",
			      r->clock_paused ? "true" : "false",
			      r->due_unverified ? "false" : "true");
	} else {
		wq_buf_puts(b, ",\"due_on\":null");
	}
	wq_buf_puts(b, ",\"assignee\":");
	if (*r->assignee)
		wq_buf_json_string(b, r->assignee);
	else
		wq_buf_puts(b, "null");
	wq_buf_printf(b, ",\"flags\":[");
	for (unsigned f = 0, k = 0; f < WQ_FLAG_COUNT_; f++)
		if (r->flags & (1u << f))
			wq_buf_printf(b, "%s\"%s\"", k++ ? "," : "",
				      wq_flag_name(f));
	wq_buf_printf(b, "],\"version\":%" PRId64, r->version);
	wq_buf_puts(b, ",\"follow_up_on\":");
	if (*r->follow_up_on)
		wq_buf_json_string(b, r->follow_up_on);
	else
		wq_buf_puts(b, "null");
	/* a case in review: since when, and the working days waited */
	if (*r->review_since) {
		wq_buf_puts(b, ",\"review_since\":");
		wq_buf_json_string(b, r->review_since);
		wq_buf_printf(b, ",\"review_days\":%d", r->review_days);
	}
}

static void print_rows_json(const struct wq_case_page *page)
{
	struct wq_buf b = {0};

	wq_buf_puts(&b, "{\"cases\":[");
	for (size_t i = 0; i < page->count; i++) {
		wq_buf_puts(&b, i ? ",{" : "{");
		put_row_members(&b, &page->rows[i]);
		wq_buf_puts(&b, "}");
	}
	wq_buf_puts(&b, "],\"next_cursor\":");
	if (page->next_cursor)
		wq_buf_json_string(&b, page->next_cursor);
	else
		wq_buf_puts(&b, "null");
	wq_buf_puts(&b, "}\n");
	put_json(b.data);
	wq_buf_free(&b);
}

static void print_rows_text(const struct wq_case_page *page)
{
	char amount[32], days[32];

	put_cell(_("NUMBER"), 15);
	put_cell(_("STATUS"), 19);
	put_cell(_("CATEGORY"), 12);
	put_cell(_("MERCHANT"), 23);
	put_cell(_("REGION"), 15);
	put_cell(_("AMOUNT"), 10);
	put_cell(_("DAYS"), 6);
	put_cell(_("ASSIGNEE"), 10);
	putchar('\n');
	for (size_t i = 0; i < page->count; i++) {
		const struct wq_case_row *r = &page->rows[i];
		char merchant[160];

		snprintf(merchant, sizeof(merchant), "%s%s",
			 r->merchant_blacklisted ? "!! "
			 : r->merchant_repeat	 ? "! "
						 : "",
			 r->merchant);
		format_amount(r->amount_fen, amount, sizeof(amount));
		if (*r->review_since)
			snprintf(days, sizeof(days), "R%d", r->review_days);
		else if (!*r->due_on)
			snprintf(days, sizeof(days), "-");
		else if (r->clock_paused)
			snprintf(days, sizeof(days), "||");
		else
			snprintf(days, sizeof(days), "%d%s%s", r->days_left,
				 wq_statute_clock(r->clock) ? "d"
				 : r->days_uncertain	    ? "?"
							    : "",
				 r->due_unverified ? "~" : "");
		put_cell(r->number, 15);
		put_cell(r->status, 19);
		put_cell(r->category, 12);
		put_cell(merchant, 23);
		put_cell(r->region, 15);
		printf("%9s ", amount);
		put_cell(days, 6);
		put_cell(*r->assignee ? r->assignee : "-", 10);
		putchar('\n');
	}
	for (size_t i = 0; i < page->count; i++) {
		if (page->rows[i].days_uncertain) {
			printf(_("?: counted over a year whose holiday "
				 "schedule is not loaded ('weiquan calendar "
				 "import')\n"));
			break;
		}
	}
	if (page->next_cursor)
		printf(_("More: --after %s\n"), shown(page->next_cursor));
}

static void print_found(const struct wq_find_result *found, bool json)
{
	if (json) {
		struct wq_buf b = {0};

		wq_buf_puts(&b, "{\"cases\":[");
		for (size_t i = 0; i < found->count; i++) {
			const struct wq_found *h = &found->hits[i];

			wq_buf_puts(&b, i ? ",{" : "{");
			put_row_members(&b, &h->row);
			wq_buf_puts(&b, ",\"consumer\":");
			wq_buf_json_string(&b, h->row.consumer);
			wq_buf_puts(&b, ",\"matched\":");
			wq_buf_json_string(&b, wq_find_by_name(h->by));
			wq_buf_puts(&b, ",\"matched_value\":");
			wq_buf_json_string(&b, h->value);
			wq_buf_puts(&b, "}");
		}
		wq_buf_printf(&b, "],\"more\":%s}\n",
			      found->more ? "true" : "false");
		put_json(b.data);
		wq_buf_free(&b);
		return;
	}
	put_cell(_("NUMBER"), 15);
	put_cell(_("STATUS"), 19);
	put_cell(_("CONSUMER"), 12);
	put_cell(_("MERCHANT"), 23);
	printf("%s\n", _("MATCHED"));
	for (size_t i = 0; i < found->count; i++) {
		const struct wq_found *h = &found->hits[i];

		put_cell(h->row.number, 15);
		put_cell(h->row.status, 19);
		put_cell(h->row.consumer, 12);
		put_cell(h->row.merchant, 23);
		printf("%s ", _(wq_find_by_label(h->by)));
		put_clean(stdout, h->value);
		putchar('\n');
	}
	if (found->more)
		printf("%s\n", _("More cases match: give more of the number, "
				 "phone or name."));
}

/* case add: the case and what the desk took down with it (a diversion
 * case's details, the parties' addresses, the platform operator's seat),
 * recorded in the same transaction: all of it or nothing.  For a
 * diversion case (串货) the brand owner is the complainant, the
 * distributor the respondent. */
static enum wq_err intake_with_particulars(struct cli *cli, int64_t *id,
					   char number[32])
{
	const struct {
		const char *action, *a0, *a1;
	} particulars[] = {
		{"address", "complainant", cli->complainant_address},
		{"address", "respondent", cli->respondent_address},
		{"platform-seat", cli->platform_seat, cli->platform_domicile},
	};
	enum wq_err err = wq_store_begin_write(cli->store);

	if (err)
		return err;
	err = wq_case_create_tx(cli->store, &cli->actor, &cli->intake, id,
				number);
	if (!err && cli->intake.type &&
	    strcmp(cli->intake.type, "diversion") == 0)
		err = wq_diversion_add_tx(cli->store, &cli->actor, *id,
					  &cli->diversion);
	for (size_t i = 0;
	     !err && i < sizeof(particulars) / sizeof(particulars[0]); i++) {
		const char *argv[2] = {particulars[i].a0, particulars[i].a1};
		struct wq_ruling r = {.action = particulars[i].action,
				      .argc = 2, .argv = argv};

		if (particulars[i].a1)
			err = wq_rule_tx(cli->store, &cli->actor, *id, &r,
					 NULL);
	}
	if (err) {
		wq_store_rollback(cli->store);
		return err;
	}
	return wq_store_commit(cli->store);
}

/* claim, assign, release or flag several cases in one write: each
 * case's outcome on its own line, a summary last; any refusal makes the
 * exit status non-zero (the others were still ruled on). */
static int case_bulk(struct cli *cli)
{
	const char *action = cli->argv[1], *arg = NULL;
	struct wq_ruling r = {action, 0, NULL, 0};
	struct wq_bulk_outcome *o;
	size_t n = (size_t)cli->argc - 2, done = 0;
	enum wq_err err;
	int rc;

	if (strcmp(action, "assign") == 0)
		arg = cli->to;
	else if (strcmp(action, "flag") == 0)
		arg = cli->filter.flag; /* --flag, as case list reads it */
	if (n == 0 || (!arg && (strcmp(action, "assign") == 0 ||
				strcmp(action, "flag") == 0)))
		return usage_error("%s",
				   _("usage: weiquan case claim|release "
				     "NUMBER..., case assign --to LOGIN "
				     "NUMBER..., case flag --flag FLAG "
				     "NUMBER..."));
	if (arg) {
		r.argc = 1;
		r.argv = &arg;
	}
	rc = open_as_user(cli);
	if (rc)
		return rc;
	err = wq_bulk_rule(cli->store, &cli->actor, &r, cli->argv + 2, NULL,
			   n, &o);
	if (err)
		return fail(err);
	for (size_t i = 0; i < n; i++) {
		fputs("  ", stdout);
		put_cell(o[i].number, 20);
		if (o[i].err) {
			printf(" %s: ", _("refused"));
			put_clean(stdout, o[i].why);
		} else {
			done++;
			printf(_(" %s, version %" PRId64), o[i].result.status,
			       o[i].result.version);
		}
		putchar('\n');
	}
	printf(_("%zu of %zu cases ruled on; the others are as they were.\n"),
	       done, n);
	free(o);
	return done == n ? EXIT_OK : EXIT_FAIL;
}

/* Where the JSON value at p ends: its length, or 0 if it is cut short.
 * Only spans are found here; Jansson reads what they hold. */
static size_t json_span(const char *p)
{
	size_t i = 0;
	int depth = 0;

	do {
		if (!p[i])
			return 0;
		if (p[i] == '"') {
			for (i++; p[i] && p[i] != '"'; i++)
				if (p[i] == '\\' && p[i + 1])
					i++;
			if (!p[i])
				return 0;
			i++;
		} else if (p[i] == '{' || p[i] == '[') {
			depth++;
			i++;
		} else if (p[i] == '}' || p[i] == ']') {
			depth--;
			i++;
		} else if (depth == 0) {
			while (p[i] && !strchr(",:}] \t\r\n", p[i]))
				i++;
			return i;
		} else {
			i++;
		}
	} while (depth > 0);
	return i;
}

static const char *json_skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* A member's value as case show's text form gives it, as SQLite's
 * json_each() did when it built the form: text as it is; an object as
 * the compact JSON it was written as; an array as its length; true and
 * false as 1 and 0; a number as SQL prints it; null as NULL.  malloc'd. */
static char *case_text_value(const char *span, size_t len)
{
	json_t *v = json_loadb(span, len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
			       NULL);
	struct wq_buf b = {0};
	char num[40], *e;

	switch (v ? json_typeof(v) : JSON_STRING) {
	case JSON_OBJECT:
		for (size_t i = 0, n; i < len; i += n) {
			n = span[i] == '"' ? json_span(span + i) : 1;
			if (!n)
				n = len - i;
			if (n > 1 || !strchr(" \t\r\n", span[i]))
				wq_buf_add(&b, span + i, n);
		}
		break;
	case JSON_ARRAY:
		wq_buf_printf(&b, "%zu items", json_array_size(v));
		break;
	case JSON_STRING:
		/* One Jansson cannot read (a lone surrogate escape) is
		 * shown as written. */
		if (v)
			wq_buf_puts(&b, json_string_value(v));
		else if (len >= 2)
			wq_buf_add(&b, span + 1, len - 2);
		break;
	case JSON_INTEGER:
		wq_buf_printf(&b, "%" JSON_INTEGER_FORMAT,
			      json_integer_value(v));
		break;
	case JSON_REAL:
		/* SQLite's "%!.15g": always with a decimal point. */
		snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		e = strchr(num, 'e');
		if (strchr(num, '.')) {
			wq_buf_puts(&b, num);
		} else {
			wq_buf_add(&b, num, e ? (size_t)(e - num) : strlen(num));
			wq_buf_puts(&b, ".0");
			if (e)
				wq_buf_puts(&b, e);
		}
		break;
	case JSON_TRUE:
		wq_buf_puts(&b, "1");
		break;
	case JSON_FALSE:
		wq_buf_puts(&b, "0");
		break;
	case JSON_NULL:
		json_decref(v);
		return NULL;
	}
	json_decref(v);
	return b.data ? b.data : wq_strdup("");
}

/* case show's text form: a line per member of the case's JSON, in the
 * order written (read here, not with SQL's JSON functions, so that both
 * databases give it alike). */
static void put_case_text(const char *json)
{
	json_t *root = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	const json_t *verified = json_object_get(root, "due_verified");
	/* Never shown as law: the figure it was counted from is
	 * unchecked. */
	bool due_unverified =
		json_is_false(verified) ||
		(json_is_number(verified) && json_number_value(verified) == 0);
	bool object = json_is_object(root);
	const char *p = json_skip_space(json);

	json_decref(root);
	if (!object || *p != '{')
		return;
	for (p = json_skip_space(p + 1); *p == '"';) {
		size_t klen = json_span(p), vlen = 0;
		json_t *key = klen ? json_loadb(p, klen,
					       JSON_DECODE_ANY | JSON_ALLOW_NUL,
					       NULL)
				   : NULL;
		char *value;

		p = json_skip_space(p + klen);
		if (key && *p == ':') {
			p = json_skip_space(p + 1);
			vlen = json_span(p);
		}
		if (!vlen) {
			json_decref(key);
			return;
		}
		value = case_text_value(p, vlen);
		/* A key wider than the column is written whole, a space
		 * before its value ("police_referrals 1 items"). */
		put_cell(json_string_value(key),
			 strlen(json_string_value(key)) < 14
				 ? 14
				 : (int)strlen(json_string_value(key)) + 1);
		put_clean(stdout, value ? value : "");
		if (due_unverified &&
		    strcmp(json_string_value(key), "due_on") == 0)
			printf("  (%s)", _("unverified"));
		putchar('\n');
		free(value);
		json_decref(key);
		p = json_skip_space(p + vlen);
		if (*p == ',')
			p = json_skip_space(p + 1);
	}
}

static int cmd_case(struct cli *cli)
{
	enum wq_err err;
	int rc;

	if (cli->argc < 2)
		return usage_error("%s", _("usage: weiquan case list|find|show ..."));
	if (wq_bulk_action(cli->argv[1]))
		return case_bulk(cli);
	if (strcmp(cli->argv[1], "list") == 0) {
		struct wq_case_page page;

		if (cli->argc != 2)
			return usage_error(_("unexpected '%s'"), cli->argv[2]);
		if (cli->filter.limit > WQ_LIST_LIMIT_MAX)
			return limit_error(_("--limit: a page holds at most %d cases"), WQ_LIST_LIMIT_MAX);
		rc = open_as_user(cli);
		if (rc)
			return rc;
		err = wq_case_list(cli->store, &cli->actor, &cli->filter,
				   &page);
		if (err)
			return fail(err);
		if (cli->json)
			print_rows_json(&page);
		else
			print_rows_text(&page);
		wq_case_page_free(&page);
		return EXIT_OK;
	}
	if (strcmp(cli->argv[1], "add") == 0) {
		char number[32];
		int64_t id;

		if (cli->argc != 2)
			return usage_error(_("unexpected '%s'"), cli->argv[2]);
		if (cli->amount && !wq_amount_parse(cli->amount,
						   &cli->intake.amount_fen))
			return usage_error(_("--amount: '%s' is not an amount "
					     "in yuan"),
					   cli->amount);
		if (cli->intake.type &&
		    strcmp(cli->intake.type, "diversion") == 0) {
			cli->diversion.penalty_fen = -1;
			if (cli->penalty &&
			    !wq_amount_parse(cli->penalty,
					     &cli->diversion.penalty_fen))
				return usage_error(_("--penalty: '%s' is not "
						     "an amount in yuan"),
						   cli->penalty);
		} else if (cli->diversion.brand ||
			   cli->diversion.authorised_region ||
			   cli->diversion.found_region || cli->diversion.batch ||
			   cli->diversion.codes || cli->diversion.clause ||
			   cli->penalty || cli->diversion.trace) {
			return usage_error("%s",
					   _("--brand, --authorised-region, "
					     "--found-region, --batch, --codes, "
					     "--clause, --penalty and --trace "
					     "go with --case-type diversion"));
		}
		if (!cli->platform_seat != !cli->platform_domicile)
			return usage_error("%s", _("--platform-seat GROUND and "
						   "--platform-domicile REGION "
						   "go together"));
		rc = open_as_user(cli);
		if (rc)
			return rc;
		err = intake_with_particulars(cli, &id, number);
		if (err)
			return fail(err);
		printf("%s\n", number);
		return EXIT_OK;
	}
	if (strcmp(cli->argv[1], "diversion") == 0) {
		int64_t id;

		/* The details of a diversion case registered without them
		 * (the intake form, an import). */
		if (cli->argc != 3)
			return usage_error("%s", _("usage: weiquan case diversion "
						   "NUMBER --brand B "
						   "--authorised-region R "
						   "--found-region R ..."));
		cli->diversion.penalty_fen = -1;
		if (cli->penalty && !wq_amount_parse(cli->penalty,
						     &cli->diversion.penalty_fen))
			return usage_error(_("--penalty: '%s' is not an amount "
					     "in yuan"),
					   cli->penalty);
		rc = open_as_user(cli);
		if (rc)
			return rc;
		err = wq_store_begin_write(cli->store);
		if (!err)
			err = wq_case_id_by_number(cli->store, cli->argv[2], &id);
		if (!err)
			err = wq_diversion_add_tx(cli->store, &cli->actor, id,
						  &cli->diversion);
		if (err) {
			wq_store_rollback(cli->store);
			return fail(err);
		}
		err = wq_store_commit(cli->store);
		return err ? fail(err) : EXIT_OK;
	}
	if (strcmp(cli->argv[1], "find") == 0) {
		struct wq_find_result found;

		if (cli->argc != 3)
			return usage_error("%s", _("usage: weiquan case find "
						   "TEXT [--limit N] [--json]"));
		if (cli->filter.limit > WQ_FIND_LIMIT_MAX)
			return limit_error(_("--limit: a lookup gives at most %d cases"), WQ_FIND_LIMIT_MAX);
		rc = open_as_user(cli);
		if (rc)
			return rc;
		err = wq_case_find(cli->store, &cli->actor, cli->argv[2],
				   cli->filter.limit, &found);
		if (err)
			return fail(err);
		/* like grep: nothing found is exit 1, in JSON too */
		rc = found.count ? EXIT_OK : EXIT_FAIL;
		if (found.count || cli->json)
			print_found(&found, cli->json);
		if (!found.count)
			fprintf(stderr, "weiquan: %s\n",
				_("no case matches the lookup"));
		wq_find_result_free(&found);
		return rc;
	}
	if (strcmp(cli->argv[1], "show") == 0) {
		time_t at = 0;
		char *json;

		if (cli->argc != 3)
			return usage_error("%s", _("usage: weiquan case show "
						   "NUMBER [--at TIME] "
						   "[--json]"));
		if (cli->at && !wq_time_parse(cli->at, &at))
			return usage_error(_("--at: '%s' is not a time "
					     "(YYYY-MM-DD, YYYY-MM-DD HH:MM, "
					     "or YYYY-MM-DDTHH:MM:SSZ)"),
					   cli->at);
		rc = open_as_user(cli);
		if (rc)
			return rc;
		err = wq_case_show_json(cli->store, &cli->actor, cli->argv[2],
					at, &json);
		if (err)
			return fail(err);
		if (cli->json) {
			put_json(json);
			putchar('\n');
		} else {
			/* The text form is the JSON pretty-printed; the
			 * console is the reading view. */
			put_case_text(json);
		}
		free(json);
		return EXIT_OK;
	}
	return usage_error(_("unknown case command '%s'"), cli->argv[1]);
}

/* Why a picture or PDF cannot be viewed, in words. */
static const char *media_problem(const struct wq_media_problem *why,
				 char *out, size_t size)
{
	switch (why->why) {
	case WQ_MEDIA_OK:
		snprintf(out, size, "%s",
			 why->incomplete ? _("the file ends early: the bottom "
					     "of the picture is missing")
					 : "");
		break;
	case WQ_MEDIA_TOO_LARGE:
		snprintf(out, size,
			 _("%ldx%ld: %ld megapixels, over the limit of %ld: "
			   "not decoded (a bomb?)"),
			 why->width, why->height,
			 (long)((double)why->width * why->height / 1e6),
			 why->limit / 1000000);
		break;
	case WQ_MEDIA_TOO_SLOW:
		snprintf(out, size,
			 _("decoding took over %d seconds and was stopped: "
			   "not shown"),
			 WQ_MEDIA_MAX_SECONDS);
		break;
	case WQ_MEDIA_LOCKED:
		snprintf(out, size, "%s",
			 _("this PDF needs a password: shown as hex"));
		break;
	default:
		/* TRANSLATORS: the decoder's words. */
		snprintf(out, size, _("cannot be decoded: %s"),
			 why->detail[0] ? wq_text(why->detail) : "?");
		break;
	}
	return out;
}

/* evidence show ID: what the mediator weighs about a picture or PDF:
 * kind, size or pages, EXIF capture time and camera, whether that date
 * fits the case, and whether the console can show it. */
static int evidence_show(struct cli *cli)
{
	struct wq_media_info info;
	struct wq_media_problem why = {0}, info_why;
	struct wq_image *image = NULL;
	struct wq_pdf *pdf = NULL;
	char order_date[11] = "", today[11], problem[300], *end;
	char *bytes = NULL, *text = NULL;
	size_t len = 0;
	long long id = strtoll(cli->argv[2], &end, 10);
	time_t now = wq_now();
	bool before, after;
	enum wq_err err;
	int rc;

	if (!*cli->argv[2] || *end || id == 0)
		return usage_error(_("'%s' is not an evidence id"),
				   cli->argv[2]);
	rc = open_as_user(cli);
	if (rc)
		return rc;
	err = wq_evidence_load(cli->store, &cli->actor, id, &bytes, &len,
			       &text);
	if (!err)
		err = wq_evidence_order_date(cli->store, id, order_date);
	if (err) {
		free(bytes);
		free(text);
		return fail(err);
	}
	wq_media_info_read(bytes, len, &info, &info_why);
	if (info.kind == WQ_MEDIA_PDF) {
		if (!wq_pdf_open(bytes, len, &pdf, &why))
			wq_pdf_free(&pdf);
	} else if (info.kind != WQ_MEDIA_NONE) {
		wq_image_decode(bytes, len, &image, &why);
		wq_image_free(&image);
	}
	free(bytes);
	free(text);
	wq_date_format(wq_local_day(now), today);
	before = wq_media_taken_before(&info, order_date);
	after = wq_media_taken_after(&info, today);
	media_problem(&why, problem, sizeof(problem));
	if (cli->json) {
		struct wq_buf b = {0};

		wq_buf_printf(&b, "{\"id\":%lld,\"kind\":", id);
		wq_buf_json_string(&b, wq_media_kind_name(info.kind));
		wq_buf_printf(&b,
			      ",\"width\":%ld,\"height\":%ld,\"pages\":%d,"
			      "\"taken\":",
			      info.width, info.height, info.pages);
		wq_buf_json_string(&b, info.taken);
		wq_buf_puts(&b, ",\"created\":");
		wq_buf_json_string(&b, info.created);
		wq_buf_puts(&b, ",\"camera\":");
		wq_buf_json_string(&b, info.camera);
		wq_buf_puts(&b, ",\"order_date\":");
		wq_buf_json_string(&b, order_date);
		wq_buf_printf(&b,
			      ",\"taken_before_order\":%s,"
			      "\"taken_after_today\":%s,\"viewable\":%s,"
			      "\"problem\":",
			      before ? "true" : "false",
			      after ? "true" : "false",
			      info.kind != WQ_MEDIA_NONE &&
					      why.why == WQ_MEDIA_OK
				      ? "true"
				      : "false");
		wq_buf_json_string(&b, problem);
		wq_buf_puts(&b, "}\n");
		put_json(b.data);
		wq_buf_free(&b);
		return EXIT_OK;
	}
	if (info.kind == WQ_MEDIA_NONE)
		printf(_("Evidence %lld: not a picture or PDF.\n"), id);
	else if (info.kind == WQ_MEDIA_PDF)
		printf(ngettext("Evidence %lld: PDF, %d page.\n",
				"Evidence %lld: PDF, %d pages.\n", info.pages),
		       id, info.pages);
	else
		printf(_("Evidence %lld: %s %ldx%ld.\n"), id,
		       wq_media_kind_name(info.kind), info.width, info.height);
	if (info.taken[0])
		printf(_("Taken:      %s (EXIF, the camera's clock)\n"),
		       info.taken);
	if (info.created[0])
		printf(_("Created:    %s (the PDF's metadata)\n"),
		       info.created);
	if (info.camera[0])
		printf(_("Camera:     %s\n"), shown(info.camera));
	if (order_date[0])
		printf(_("Order date: %s\n"), order_date);
	if (before)
		printf("%s\n", info.taken[0]
				       ? _("Taken before the order date: does "
					   "not fit the case.")
				       : _("Created before the order date: does "
					   "not fit the case."));
	if (after)
		printf("%s\n", _("Dated after today: the camera's clock or the "
				 "file's date is wrong."));
	if (problem[0])
		printf("%s\n", shown(problem));
	return EXIT_OK;
}

static int cmd_contact(struct cli *cli)
{
	struct wq_contact_list list;
	enum wq_err err;
	int rc;

	if (cli->argc == 3 && strcmp(cli->argv[1], "add") == 0) {
		struct wq_contact_in in = {
			.party = cli->party,
			.channel = cli->channel,
			.said = cli->said,
			.outcome = cli->outcome,
			.follow_up_on = cli->follow_up,
		};
		int64_t id;

		if (!cli->party || !cli->channel || !cli->said)
			return usage_error("%s",
					   _("usage: weiquan contact add NUMBER "
					     "--party P --channel C --said TEXT "
					     "[--outcome TEXT] [--follow-up "
					     "DATE]"));
		rc = open_as_user(cli);
		if (rc)
			return rc;
		err = wq_contact_add(cli->store, &cli->actor, cli->argv[2],
				     &in, &id);
		if (err)
			return fail(err);
		printf(_("Contact %" PRId64 " logged on %s.\n"), id,
		       shown(cli->argv[2]));
		return EXIT_OK;
	}
	if (cli->argc != 3 || strcmp(cli->argv[1], "list") != 0)
		return usage_error("%s", _("usage: weiquan contact add|list "
					   "NUMBER ..."));
	rc = open_as_user(cli);
	if (rc)
		return rc;
	err = wq_contact_list(cli->store, &cli->actor, cli->argv[2], &list);
	if (err)
		return fail(err);
	if (cli->json) {
		struct wq_buf b = {0};

		wq_buf_puts(&b, "{\"contacts\":[");
		for (size_t i = 0; i < list.n; i++) {
			const struct wq_contact *c = &list.v[i];

			wq_buf_printf(&b, "%s{\"id\":%" PRId64 ",\"party\":",
				      i ? "," : "", c->id);
			wq_buf_json_string(&b, c->party);
			wq_buf_puts(&b, ",\"channel\":");
			wq_buf_json_string(&b, c->channel);
			wq_buf_puts(&b, ",\"said\":");
			wq_buf_json_string(&b, c->said);
			wq_buf_puts(&b, ",\"outcome\":");
			wq_buf_json_string(&b, c->outcome);
			wq_buf_puts(&b, ",\"follow_up_on\":");
			if (*c->follow_up_on)
				wq_buf_json_string(&b, c->follow_up_on);
			else
				wq_buf_puts(&b, "null");
			wq_buf_puts(&b, ",\"author\":");
			wq_buf_json_string(&b, c->author);
			wq_buf_puts(&b, ",\"at\":");
			wq_buf_json_string(&b, c->at);
			wq_buf_puts(&b, "}");
		}
		wq_buf_puts(&b, "],\"follow_up_on\":");
		if (*list.follow_up_on)
			wq_buf_json_string(&b, list.follow_up_on);
		else
			wq_buf_puts(&b, "null");
		wq_buf_puts(&b, "}\n");
		put_json(b.data);
		wq_buf_free(&b);
	} else {
		for (size_t i = 0; i < list.n; i++) {
			const struct wq_contact *c = &list.v[i];

			printf("%s  %s  %s  %s\n", c->at, shown(c->author),
			       c->party, c->channel);
			fputs("  ", stdout);
			put_clean(stdout, c->said);
			putchar('\n');
			if (*c->outcome) {
				printf("  %s ", _("Outcome:"));
				put_clean(stdout, c->outcome);
				putchar('\n');
			}
			if (*c->follow_up_on)
				printf("  %s %s\n", _("Follow up on:"),
				       c->follow_up_on);
		}
		if (!list.n)
			puts(_("No contact logged."));
	}
	wq_contact_list_free(&list);
	return EXIT_OK;
}

static int inbox_read(struct cli *cli)
{
	int64_t event_id = 0;
	enum wq_err err;
	int rc;

	if (cli->argc == 3) {
		char *end;

		errno = 0;
		event_id = strtoll(cli->argv[2], &end, 10);
		if (errno || *end || end == cli->argv[2] || event_id <= 0)
			return usage_error(_("'%s' is not an event id"),
					   shown(cli->argv[2]));
	}
	rc = open_as_user(cli);
	if (rc)
		return rc;
	err = wq_inbox_mark_read(cli->store, &cli->actor, event_id);
	if (err)
		return fail(err);
	if (event_id)
		printf(_("Event %" PRId64 " marked read.\n"), event_id);
	else
		puts(_("Inbox marked read."));
	return EXIT_OK;
}

static void inbox_json(const struct wq_inbox *inbox, int unread,
		       const struct wq_inbox_due *due, size_t ndue)
{
	struct wq_buf b = {0};

	wq_buf_puts(&b, "{\"due\":[");
	for (size_t i = 0; i < ndue; i++) {
		wq_buf_puts(&b, i ? ",{\"number\":" : "{\"number\":");
		wq_buf_json_string(&b, due[i].number);
		wq_buf_puts(&b, ",\"what\":");
		wq_buf_json_string(&b, due[i].what);
		wq_buf_puts(&b, ",\"due_on\":");
		wq_buf_json_string(&b, due[i].due_on);
		wq_buf_printf(&b, ",\"days_left\":%d,\"due_verified\":%s}",
			      due[i].days_left,
			      due[i].unverified ? "false" : "true");
	}
	wq_buf_printf(&b, "],\"unread\":%d,\"items\":[", unread);
	for (size_t i = 0; i < inbox->n; i++) {
		const struct wq_inbox_item *it = &inbox->v[i];

		wq_buf_printf(&b, "%s{\"event\":%" PRId64 ",\"at\":",
			      i ? "," : "", it->event_id);
		wq_buf_json_string(&b, it->at);
		wq_buf_puts(&b, ",\"number\":");
		wq_buf_json_string(&b, it->number);
		wq_buf_puts(&b, ",\"action\":");
		wq_buf_json_string(&b, it->action);
		wq_buf_puts(&b, ",\"actor\":");
		wq_buf_json_string(&b, it->actor);
		wq_buf_puts(&b, ",\"comment\":");
		wq_buf_json_string(&b, it->comment);
		wq_buf_printf(&b, ",\"read\":%s}", it->read ? "true" : "false");
	}
	wq_buf_puts(&b, "]}\n");
	put_json(b.data);
	wq_buf_free(&b);
}

static int cmd_inbox(struct cli *cli)
{
	struct wq_inbox inbox;
	struct wq_inbox_due *due;
	size_t ndue;
	enum wq_err err;
	int unread, rc;

	if (cli->argc >= 2 && cli->argc <= 3 &&
	    strcmp(cli->argv[1], "read") == 0)
		return inbox_read(cli);
	if (cli->argc != 1)
		return usage_error("%s", _("usage: weiquan inbox [--json] "
					   "[--all]\n"
					   "       weiquan inbox read "
					   "[EVENT_ID]"));
	rc = open_as_user(cli);
	if (rc)
		return rc;
	err = wq_inbox_due(cli->store, &cli->actor, &due, &ndue);
	if (!err)
		err = wq_inbox_unread(cli->store, &cli->actor, &unread);
	if (!err)
		err = wq_inbox_list(cli->store, &cli->actor, cli->all, &inbox);
	if (err) {
		free(due);
		return fail(err);
	}
	if (cli->json) {
		inbox_json(&inbox, unread, due, ndue);
	} else {
		/* what is due first: it is what to do today */
		for (size_t i = 0; i < ndue; i++) {
			printf("! %s  ", shown(due[i].number));
			if (due[i].days_left == 0)
				printf(_("%s due %s, today"), shown(due[i].what),
				       due[i].due_on);
			else
				printf(due[i].days_left < 0
					       /* TRANSLATORS: what is due (a
						* clock, follow-up,
						* performance), its date,
						* working days. */
					       ? _("%s due %s, %d working days "
						   "overdue")
					       : _("%s due %s, in %d working "
						   "days"),
				       shown(due[i].what), due[i].due_on,
				       abs(due[i].days_left));
			if (due[i].unverified)
				printf("  (%s)", _("unverified"));
			putchar('\n');
		}
		for (size_t i = 0; i < inbox.n; i++) {
			const struct wq_inbox_item *it = &inbox.v[i];

			printf("%c %" PRId64 "  %s  %s  %s  %s\n",
			       it->read ? ' ' : '*', it->event_id, it->at,
			       shown(it->number), shown(it->action),
			       shown(it->actor));
			if (*it->comment) {
				fputs("    ", stdout);
				put_clean(stdout, it->comment);
				putchar('\n');
			}
		}
		if (!inbox.n)
			puts(cli->all ? _("The inbox is empty.")
				      : _("Nothing unread."));
	}
	free(due);
	wq_inbox_free(&inbox);
	return EXIT_OK;
}

static int cmd_evidence(struct cli *cli)
{
	enum wq_err err;
	char *data = NULL;
	size_t len;
	int64_t case_id, evidence_id = 0, earlier = 0;
	const char *base;
	struct wq_upload_file upload = {0};
	int rc;

	if (cli->argc == 3 && strcmp(cli->argv[1], "show") == 0)
		return evidence_show(cli);
	if (cli->argc != 4 || strcmp(cli->argv[1], "add") != 0 || !cli->kind ||
	    !cli->party)
		return usage_error("%s", _("usage: weiquan evidence add NUMBER "
					   "FILE --kind KIND --party PARTY "
					   "[--encoding auto|utf-8|gb18030|"
					   "big5|binary] [--uploaded]\n"
					   "       weiquan evidence show ID "
					   "[--json]"));
	if (cli->uploaded) {
		err = wq_upload_read(cli->argv[3], &upload, NULL);
		if (err)
			return fail(err);
		data = upload.data;
		len = upload.len;
		base = upload.name;
	} else {
		if (read_named_file(cli->argv[3], &data, &len))
			return EXIT_FAIL;
		base = strrchr(cli->argv[3], '/');
		base = base ? base + 1 : cli->argv[3];
	}
	rc = open_as_user(cli);
	if (!rc) {
		err = wq_store_begin_write(cli->store);
		if (!err)
			err = wq_case_id_by_number(cli->store, cli->argv[2],
						   &case_id);
		if (!err)
			err = wq_evidence_add_tx(cli->store, &cli->actor,
						 case_id, cli->kind, cli->party,
						 base, data, len, cli->encoding,
						 &evidence_id);
		rc = end_write(cli, err);
	}
	if (rc) {
		if (cli->uploaded)
			wq_upload_file_free(&upload);
		else
			free(data);
		return rc;
	}
	printf(_("Evidence %" PRId64 " attached to %s.\n"), evidence_id,
	       shown(cli->argv[2]));
	if (wq_evidence_duplicate_of(cli->store, evidence_id, &earlier) ==
		    WQ_ERR_OK &&
	    earlier)
		printf(_("Duplicate: the same file (SHA-256) as evidence "
			 "%" PRId64 " of this case.\n"),
		       earlier);
	if (cli->uploaded) {
		/* Attached: the folder lets go of it. */
		err = wq_upload_remove(&upload);
		if (err) {
			fprintf(stderr, "%s", _("weiquan: attached, but not "
						"removed from the upload "
						"folder: "));
			put_clean(stderr, wq_err_detail());
			fputc('\n', stderr);
		}
		wq_upload_file_free(&upload);
	} else {
		free(data);
	}
	return EXIT_OK;
}

/* uploads: what is in the user's upload folder, and why a file cannot be
 * attached. */
static int cmd_uploads(struct cli *cli)
{
	struct wq_uploads up;
	enum wq_err err;

	if (cli->argc != 1)
		return usage_error("%s", _("usage: weiquan uploads [--json]"));
	err = wq_uploads_list(&up);
	if (err)
		return fail(err);
	if (cli->json) {
		struct wq_buf b = {0};

		wq_buf_puts(&b, "{\"folder\": ");
		wq_buf_json_string(&b, up.dir);
		wq_buf_puts(&b, ", \"files\": [");
		for (size_t i = 0; i < up.n; i++) {
			wq_buf_puts(&b, i ? ", {\"name\": " : "{\"name\": ");
			wq_buf_json_string(&b, up.v[i].name);
			wq_buf_printf(&b, ", \"size\": %" PRId64
					  ", \"refused\": ",
				      up.v[i].size);
			if (up.v[i].refused)
				wq_buf_json_string(&b, _(up.v[i].refused));
			else
				wq_buf_puts(&b, "null");
			wq_buf_puts(&b, "}");
		}
		wq_buf_puts(&b, "]}\n");
		put_json(b.data);
		wq_buf_free(&b);
	} else {
		printf(_("Upload folder: %s\n"), shown(up.dir));
		for (size_t i = 0; i < up.n; i++) {
			printf("  %10" PRId64 "  %s", up.v[i].size,
			       shown(up.v[i].name));
			if (up.v[i].refused)
				printf(_("  (refused: %s)"),
				       _(up.v[i].refused));
			putchar('\n');
		}
		if (!up.n)
			puts(_("  (empty)"));
	}
	wq_uploads_free(&up);
	return EXIT_OK;
}

/* The rulings of a track as `rule --list` shows them. */
static void list_rulings(const struct wq_track *t)
{
	for (int i = 0; i < t->action_count; i++) {
		const struct wq_action *a = &t->actions[i];
		char left[64];
		char roles[64] = "";

		snprintf(left, sizeof(left), "%s %s", a->name, a->args);
		for (int r = 0; r < WQ_ROLE_COUNT_; r++)
			if (a->roles & WQ_ROLE_BIT(r))
				snprintf(roles + strlen(roles),
					 sizeof(roles) - strlen(roles), "%s%s",
					 *roles ? "," : "",
					 wq_role_name((enum wq_role)r));
		printf("%-34s %s\n%34s [%s; from: %s]\n", left, _(a->help), "",
		       roles, a->from + strspn(a->from, " "));
	}
}

static volatile sig_atomic_t worker_stop;

static void stop_worker(int sig)
{
	(void)sig;
	worker_stop = 1;
}

/* Does the queued work on evidence, one job at a time, each claimed and
 * recorded in its own short write; while no job waits, merges the search
 * index a step at a time (wq_store_merge_index), looking at the queue
 * between steps; when neither has work, waits a second between looks.
 * SIGTERM or SIGINT stops it between jobs or steps (a job cut short is
 * claimed again when its lease passes). */
static int cmd_worker(struct cli *cli)
{
	struct wq_ocr *ocr = NULL;
	char name[96], host[64] = "";
	long lease = WQ_JOB_LEASE_SECONDS;
	struct sigaction sa = {0};
	enum wq_err err;
	int rc;

	if (cli->argc != 1)
		return usage_error("%s", _("usage: weiquan worker [--once] "
					   "[--languages L] [--lease SECONDS]"));
	if (cli->lease) {
		char *end;

		lease = strtol(cli->lease, &end, 10);
		if (*end || end == cli->lease || lease <= 0 || lease > 86400)
			return usage_error(_("--lease: '%s' is not a number "
					     "of seconds from 1 to 86400"),
					   cli->lease);
	}
	rc = open_as_user(cli);
	if (rc)
		return rc;
	if (cli->actor.role != WQ_ROLE_ADMIN) {
		fprintf(stderr,
			_("weiquan: the worker runs under an administrator's "
			  "login; %s is a %s\n"),
			shown(cli->actor.login),
			wq_role_name(cli->actor.role));
		return EXIT_FAIL;
	}
	err = wq_ocr_new(cli->languages, &ocr);
	if (err)
		return fail(err);
	gethostname(host, sizeof(host) - 1);
	snprintf(name, sizeof(name), "%s:%ld", host, (long)getpid());
	sa.sa_handler = stop_worker;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!worker_stop) {
		bool worked = false;

		struct timespec second = {1, 0};

		err = wq_worker_step(cli->store, ocr, name, (int)lease,
				     &worked);
		if (!err && !worked)
			err = wq_store_merge_index(cli->store,
						   WQ_INDEX_MERGE_PAGES,
						   &worked);
		/* Others' writes held the database past the wait: the job
		 * is still queued (or claimed, and claimed again after its
		 * lease), so try again rather than stop. */
		if (err == WQ_ERR_BUSY) {
			err = WQ_ERR_OK;
			nanosleep(&second, NULL);
			continue;
		}
		if (err || (!worked && cli->once))
			break;
		if (!worked)
			nanosleep(&second, NULL);
	}
	wq_ocr_free(&ocr);
	return err ? fail(err) : EXIT_OK;
}

static int cmd_rule(struct cli *cli)
{
	struct wq_ruling ruling = {0};
	struct wq_ruling_result res;
	enum wq_err err;
	char *end;
	int rc;

	if (cli->list) {
		for (int t = 0; t < wq_track_count; t++) {
			const struct wq_track *tr = &wq_tracks[t];

			/* A track that shares an earlier one's table is
			 * listed there. */
			bool shared = false;

			for (int u = 0; u < t; u++)
				shared |= wq_tracks[u].actions == tr->actions;
			if (shared)
				continue;
			if (t > 0)
				printf(_("\nCases of type %s:\n"), tr->type);
			list_rulings(tr);
		}
		return EXIT_OK;
	}
	if (cli->argc < 3)
		return usage_error("%s", _("usage: weiquan rule NUMBER ACTION "
					   "[ARGS]  (see 'weiquan rule "
					   "--list')"));
	ruling.action = cli->argv[2];
	ruling.argc = cli->argc - 3;
	ruling.argv = cli->argv + 3;
	if (cli->expect) {
		ruling.expect_version = strtoll(cli->expect, &end, 10);
		if (*end || ruling.expect_version <= 0)
			return usage_error(_("--expect-version: '%s' is not "
					     "a version"),
					   cli->expect);
	}
	if (!wq_action_find(ruling.action))
		return usage_error(_("'%s' is not an action; see 'weiquan rule "
				     "--list'"),
				   ruling.action);
	rc = open_as_user(cli);
	if (rc)
		return rc;
	err = wq_rule(cli->store, &cli->actor, cli->argv[1], &ruling, &res);
	if (err)
		return fail(err);
	printf(_("%s: %s, version %" PRId64), shown(cli->argv[1]), res.status,
	       res.version);
	if (*res.due_on)
		printf(_(", next deadline %s"), res.due_on);
	if (*res.due_on && res.due_unverified)
		printf(" (%s)", _("unverified"));
	if (*res.due_on && res.due_uncertain)
		printf(_(" (counted over a year whose holiday schedule is not "
			 "loaded: check it once 'weiquan calendar import' has "
			 "that year)"));
	if (res.created_id)
		printf(_(", record %" PRId64), res.created_id);
	putchar('\n');
	return EXIT_OK;
}

struct import_progress {
	bool tty;
	bool line_open;   /* a figure waits to be overwritten */
};

/* On a terminal the figures overwrite each other; into a file or pipe
 * (--progress) each is a line of its own. */
static void import_progress(void *ctx, enum wq_import_phase phase,
			    size_t done, size_t total)
{
	struct import_progress *p = ctx;

	fprintf(stderr,
		phase == WQ_IMPORT_CHECKING ? _("import: %zu of %zu records "
						"checked")
					    : _("import: %zu of %zu records "
						"written"),
		done, total);
	p->line_open = p->tty && done < total;
	fputs(p->line_open ? "\r" : "\n", stderr);
	fflush(stderr);
}

static int cmd_import(struct cli *cli)
{
	struct wq_import_opts opts = {0};
	struct wq_import_result res;
	enum wq_err err;
	struct import_progress progress = {isatty(STDERR_FILENO), false};
	char *path, *end;
	int rc, fd;

	if (cli->argc != 2)
		return usage_error("%s", _("usage: weiquan import FILE "
					   "[--format csv|json] [--encoding "
					   "auto|utf-8|gb18030|big5|cp950] "
					   "[--progress] [--skip N] "
					   "[--reason TEXT]"));
	if (cli->skip) {
		errno = 0;
		opts.skip = (size_t)strtoull(cli->skip, &end, 10);
		if (!*cli->skip || *end || errno || cli->skip[0] == '-')
			return usage_error(_("--skip: '%s' is not a number of "
					     "records"),
					   cli->skip);
	}
	path = invoker_path(cli->argv[1], &fd);
	if (!path) {
		fprintf(stderr, "weiquan: %s: %s\n", shown(cli->argv[1]),
			strerror(errno));
		return EXIT_FAIL;
	}
	opts.path = path;
	opts.format = cli->format;
	opts.encoding = cli->encoding;
	opts.reason = cli->reason;
	if (progress.tty || cli->progress) {
		opts.progress = import_progress;
		opts.progress_ctx = &progress;
	}
	rc = open_as_user(cli);
	err = rc ? WQ_ERR_OK
		 : wq_transfer_import(cli->store, &cli->actor, &opts, &res);
	free(path);
	if (fd >= 0)
		close(fd);
	if (rc)
		return rc;
	if (progress.line_open)
		fputc('\n', stderr);
	if (err)
		return fail(err);
	printf(_("Imported %d cases from %s (%s, %s).\n"), res.cases,
	       shown(cli->argv[1]), res.format, res.encoding);
	return EXIT_OK;
}

/* An export for a person's terminal (standard output, or an --output
 * that is one), which would obey the escape sequences in stored text: made
 * in memory, then shown as the console shows it (a JSON export keeps its
 * values, escaped).  A file or a pipe gets the exact bytes. */
static enum wq_err export_to_terminal(struct cli *cli, FILE *out, int *count)
{
	enum wq_encoding enc = WQ_ENC_UTF8;
	char *raw = NULL, *utf8 = NULL, *clean = NULL, *bytes = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&raw, &len);
	enum wq_err err;

	if (!mem)
		return wq_fail(WQ_ERR_NOMEM, "%s", strerror(errno));
	err = wq_transfer_export(cli->store, &cli->actor, &cli->filter,
				 cli->format, cli->encoding, mem, count);
	if (fclose(mem) != 0 && !err)
		err = wq_fail(WQ_ERR_NOMEM, "%s", strerror(errno));
	if (!err && cli->encoding)
		err = wq_enc_parse(cli->encoding, &enc);
	if (!err)
		err = wq_enc_to_utf8(raw, len, enc, &utf8, &len);
	if (!err) {
		clean = cli->format && strcmp(cli->format, "json") == 0
			    ? wq_clean_json(utf8, len)
			    : wq_clean_text(utf8, len, WQ_CLEAN_KEEP_LINES);
		len = strlen(clean);
		if (enc != WQ_ENC_UTF8)
			err = wq_enc_from_utf8(clean, len, enc, &bytes, &len);
	}
	if (!err && (fwrite(bytes ? bytes : clean, 1, len, out) != len ||
		     fflush(out) != 0))
		err = wq_fail(WQ_ERR_IO, N_("%s: %s"),
			      cli->out ? cli->out : "stdout", strerror(errno));
	if (!err)
		fputs(_("weiquan: the export is shown as on the console, "
			"control characters as visible symbols; --output FILE "
			"or a pipe writes it exactly\n"),
		      stderr);
	free(raw);
	free(utf8);
	free(clean);
	free(bytes);
	return err;
}

static int cmd_export(struct cli *cli)
{
	enum wq_err err;
	int rc, count = 0;
	FILE *out = stdout;

	if (cli->argc != 1)
		return usage_error(_("unexpected '%s'"), cli->argv[1]);
	rc = open_as_user(cli);
	if (rc)
		return rc;
	if (cli->out) {
		int fd =
		    open_as_invoker(cli->out, O_WRONLY | O_CREAT | O_TRUNC);

		out = fd < 0 ? NULL : fdopen(fd, "wb");
		if (!out && fd >= 0)
			close(fd);
		if (!out) {
			fprintf(stderr, "weiquan: %s: %s\n", shown(cli->out),
				strerror(errno));
			return EXIT_FAIL;
		}
	}
	if (isatty(fileno(out)))
		err = export_to_terminal(cli, out, &count);
	else
		err = wq_transfer_export(cli->store, &cli->actor,
					 &cli->filter, cli->format,
					 cli->encoding, out, &count);
	if (out != stdout && fclose(out) != 0 && !err)
		err =
		    wq_fail(WQ_ERR_IO, N_("%s: %s"), cli->out, strerror(errno));
	if (err)
		return fail(err);
	if (cli->out)
		printf(_("Exported %d cases to %s.\n"), count, shown(cli->out));
	return EXIT_OK;
}

static int cmd_report(struct cli *cli)
{
	enum wq_err err;
	char *json;
	int rc = open_as_user(cli);

	if (rc)
		return rc;
	err = wq_report_json(cli->store, &cli->actor, &json);
	if (err)
		return fail(err);
	put_json(json);
	putchar('\n');
	free(json);
	return EXIT_OK;
}

/* `weiquan merchant flag ID repeat-offender|blacklist [--off] --reason
 * TEXT [--basis TEXT]`: what the dashboard's keys do; `weiquan merchant
 * penalty ID --amount YUAN --reason DECISION --basis TEXT`. */
static int cmd_merchant(struct cli *cli)
{
	enum wq_err err;
	char *end;
	long long id;
	int64_t fen = 0;
	int rc;
	bool penalty = cli->argc == 3 && strcmp(cli->argv[1], "penalty") == 0;

	if (!penalty &&
	    (cli->argc != 4 || strcmp(cli->argv[1], "flag") != 0 ||
	     (strcmp(cli->argv[3], "repeat-offender") != 0 &&
	      strcmp(cli->argv[3], "blacklist") != 0)))
		return usage_error("%s", _("usage: weiquan merchant flag ID "
					   "repeat-offender|blacklist [--off] "
					   "--reason TEXT [--basis TEXT], or "
					   "merchant penalty ID --amount YUAN "
					   "--reason DECISION --basis TEXT"));
	id = strtoll(cli->argv[2], &end, 10);
	if (*end || id <= 0)
		return usage_error(_("'%s' is not a merchant id (see 'weiquan "
				     "report --json')"),
				   cli->argv[2]);
	if (penalty && (!cli->amount || !wq_amount_parse(cli->amount, &fen)))
		return usage_error("%s", _("--amount: the penalty in yuan "
					   "(0 for one without a fine)"));
	rc = open_as_user(cli);
	if (rc)
		return rc;
	if (penalty) {
		err = wq_merchant_penalty(cli->store, &cli->actor, (int64_t)id,
					  fen, cli->reason ? cli->reason : "",
					  cli->basis ? cli->basis : "");
		if (err)
			return fail(err);
		printf(_("Merchant %lld: penalty recorded.\n"), id);
		return EXIT_OK;
	}
	err = wq_merchant_mark(cli->store, &cli->actor, (int64_t)id,
			       cli->argv[3], !cli->off, cli->reason,
			       cli->basis);
	if (err)
		return fail(err);
	if (cli->off)
		printf(_("Merchant %lld: %s lifted.\n"), id, cli->argv[3]);
	else
		printf(_("Merchant %lld: %s set.\n"), id, cli->argv[3]);
	return EXIT_OK;
}

/* Lines from the database (case numbers, logins, values) go through
 * put_clean like everything else from outside. */
static void put_lines(FILE *f, const char *lead, const char *lines,
		      int64_t count)
{
	int64_t shown = 0;

	for (const char *p = lines; p && *p; shown++) {
		size_t n = strcspn(p, "\n");
		char *line = wq_strndup(p, n);

		fputs(lead, f);
		put_clean(f, line);
		fputc('\n', f);
		free(line);
		p += n + (p[n] == '\n');
	}
	if (count > shown)
		fprintf(f, _("%s... and %" PRId64 " more\n"), lead,
			count - shown);
}

static int audit_verify(struct cli *cli, const char *key)
{
	struct wq_audit_report report;
	enum wq_err err;
	char *checkpoints = NULL;
	int fd = -1;

	if (cli->key && !cli->checkpoint)
		return usage_error("%s", _("--key goes with --checkpoint FILE"));
	if (cli->checkpoint) {
		checkpoints = invoker_path(cli->checkpoint, &fd);
		if (!checkpoints) {
			fprintf(stderr, "weiquan: %s: %s\n", cli->checkpoint,
				strerror(errno));
			return EXIT_FAIL;
		}
	}
	err = wq_audit_verify(cli->store, &report);
	if ((!err || err == WQ_ERR_AUDIT) && checkpoints) {
		enum wq_err cerr = wq_audit_check_checkpoints(
			cli->store, checkpoints, key, &report);

		if (!err || (cerr && cerr != WQ_ERR_AUDIT))
			err = cerr;
	}
	free(checkpoints);
	if (fd >= 0)
		close(fd);
	if (err && err != WQ_ERR_AUDIT) {
		wq_audit_report_free(&report);
		return fail(err);
	}
	if (err) {
		if (report.first_bad)
			fprintf(stderr,
				_("weiquan: audit chain broken at event %" PRId64
				  ": %s (%" PRId64 " events before it are "
				  "intact)\n"),
				report.first_bad, report.why, report.checked);
		fprintf(stderr,
			_("weiquan: audit verify found %" PRId64
			  " problem(s):\n"),
			report.nproblems);
		put_lines(stderr, "  ", report.problems, report.nproblems);
	} else {
		printf(_("Audit chain intact: %" PRId64 " events.\n"),
		       report.checked);
		printf(_("Head: event %" PRId64 " %s\n"), report.head_id,
		       report.head_hash);
		printf(_("Rows that agree with their events: %" PRId64
			 " cases, %" PRId64 " statements, %" PRId64
			 " offers, %" PRId64 " evidence files, %" PRId64
			 " users.\n"),
		       report.cases, report.statements, report.offers,
		       report.evidence, report.users);
		printf(_("Issued documents that agree with their events: "
			 "%" PRId64 ".\n"),
		       report.documents);
		if (report.contacts)
			printf(_("Contacts that agree with their events: "
				 "%" PRId64 ".\n"),
			       report.contacts);
		if (cli->checkpoint)
			printf(_("Checkpoints matched: %" PRId64 ".\n"),
			       report.checkpoints);
		else
			puts(_("No checkpoint given: a chain cut short or "
			       "rewritten as a whole is not detected (see "
			       "'weiquan audit --help')."));
	}
	if (report.nunchecked) {
		fprintf(err ? stderr : stdout, _("Not checked (%" PRId64 "):\n"),
			report.nunchecked);
		put_lines(err ? stderr : stdout, "  ", report.unchecked,
			  report.nunchecked);
	}
	wq_audit_report_free(&report);
	return err ? EXIT_FAIL : EXIT_OK;
}

static int cmd_audit(struct cli *cli)
{
	const char *sub = cli->argc >= 2 ? cli->argv[1] : "";
	char *key = NULL;
	enum wq_err err;
	int rc, key_fd = -1;

	if (strcmp(sub, "keygen") == 0 && cli->argc == 3) {
		/* Privileged, the key is made with the user's own group, as
		 * open_as_invoker() opens files. */
		gid_t group = getegid();

		if (wq_privileged() && setegid(getgid()) != 0)
			return fail(wq_fail(WQ_ERR_IO, "%s", strerror(errno)));
		err = wq_audit_keygen(cli->argv[2]);
		if (wq_privileged() && setegid(group) != 0)
			return fail(wq_fail(WQ_ERR_IO, "%s", strerror(errno)));
		if (err)
			return fail(err);
		printf(_("Wrote a new checkpoint key to %s (mode 0600).\n"),
		       cli->argv[2]);
		return EXIT_OK;
	}
	if (cli->argc != 2 || (strcmp(sub, "verify") != 0 &&
			       strcmp(sub, "checkpoint") != 0))
		return usage_error("%s",
				   _("usage: weiquan audit verify "
				     "[--checkpoint FILE [--key FILE]], "
				     "audit checkpoint --key FILE, "
				     "audit keygen FILE"));
	if (strcmp(sub, "checkpoint") == 0 && !cli->key)
		return usage_error("%s", _("audit checkpoint needs --key FILE"));
	rc = open_as_user(cli);
	if (rc)
		return rc;
	/* The key and the checkpoints are read with the user's own rights. */
	if (cli->key) {
		key = invoker_path(cli->key, &key_fd);
		if (!key) {
			fprintf(stderr, "weiquan: %s: %s\n", cli->key,
				strerror(errno));
			return EXIT_FAIL;
		}
	}
	if (strcmp(sub, "checkpoint") == 0) {
		char *line;

		err = wq_audit_checkpoint(cli->store, key, &line);
		if (!err) {
			puts(line);
			free(line);
		}
		rc = err ? fail(err) : EXIT_OK;
	} else {
		rc = audit_verify(cli, key);
	}
	free(key);
	if (key_fd >= 0)
		close(key_fd);
	return rc;
}

static int cmd_calendar(struct cli *cli)
{
	enum wq_err err;
	int rc, days = 0, years = 0;

	if (cli->argc != 3 || strcmp(cli->argv[1], "import") != 0)
		return usage_error("%s",
				   _("usage: weiquan calendar import FILE"));
	rc = open_as_user(cli);
	if (rc)
		return rc;
	if (cli->actor.role != WQ_ROLE_ADMIN)
		return fail(wq_fail(WQ_ERR_DENIED,
				    "%s",
				    _("only an admin imports the calendar")));
	err = wq_store_begin_write(cli->store);
	if (err)
		return fail(err);
	err = wq_cal_import(cli->store, cli->argv[2], &days, &years);
	if (!err) {
		char *details = wq_asprintf("{\"days\":%d,\"years\":%d}", days,
					    years);

		err = wq_audit_append(cli->store, cli->actor.login, 0,
				      "calendar-import", details, NULL);
		free(details);
	}
	if (err) {
		wq_store_rollback(cli->store);
		return fail(err);
	}
	err = wq_store_commit(cli->store);
	wq_clock_calendar_reset(cli->store);
	if (err)
		return fail(err);
	printf(_("Loaded %d calendar days for %d years from %s.\n"), days,
	       years, shown(cli->argv[2]));
	return EXIT_OK;
}

static int cmd_clock(struct cli *cli)
{
	enum wq_err err;
	char regime[48];
	int rc;

	if (cli->argc != 3 || (strcmp(cli->argv[1], "import") != 0 &&
			       strcmp(cli->argv[1], "use") != 0))
		return usage_error("%s", _("usage: weiquan clock import FILE | "
					   "weiquan clock use REGIME"));
	rc = open_as_user(cli);
	if (rc)
		return rc;
	if (strcmp(cli->argv[1], "import") == 0) {
		err = wq_clock_import(cli->store, &cli->actor, cli->argv[2],
				      regime, sizeof(regime));
		if (err)
			return fail(err);
		printf(_("Loaded the clock rules of %s.\n"), shown(regime));
		return EXIT_OK;
	}
	err = wq_clock_use(cli->store, &cli->actor, cli->argv[2]);
	if (err)
		return fail(err);
	printf(_("Clocks now follow %s.\n"), shown(cli->argv[2]));
	return EXIT_OK;
}

static int cmd_damages(struct cli *cli)
{
	int64_t price, loss = WQ_DAMAGES_NO_LOSS, damages;
	char citation[1024], amount[32];
	enum wq_err err;

	if (cli->argc < 3 || cli->argc > 4 ||
	    !wq_amount_parse(cli->argv[2], &price) ||
	    (cli->argc == 4 && !wq_amount_parse(cli->argv[3], &loss)))
		return usage_error("%s", _("usage: weiquan damages "
					   "crpl55|crpl55-2|fsl148|dal144 "
					   "PRICE [LOSS]  (amounts in yuan)"));
	err = wq_damages(cli->argv[1], price, loss, &damages, citation,
			 sizeof(citation));
	if (err)
		return fail(err);
	format_amount(damages, amount, sizeof(amount));
	/* TRANSLATORS: a ceiling of damages (art. 55(2): up to twice the
	 * losses). */
	printf("%s%s\n%s\n", wq_damages_ceiling(cli->argv[1]) ? _("up to ") : "",
	       amount, citation);
	return EXIT_OK;
}

static int cmd_backup(struct cli *cli)
{
	enum wq_err err;
	int rc;

	if (cli->argc != 2)
		return usage_error("%s", _("usage: weiquan backup FILE"));
	if (access(cli->argv[1], F_OK) == 0)
		return fail(wq_fail(WQ_ERR_EXISTS,
				    _("%s exists; choose a new file"),
				    cli->argv[1]));
	rc = open_as_user(cli);
	if (rc)
		return rc;
	if (cli->actor.role != WQ_ROLE_ADMIN)
		return fail(wq_fail(WQ_ERR_DENIED,
				    "%s", _("only an admin takes backups")));
	err = wq_store_backup(cli->store, cli->argv[1]);
	if (err)
		return fail(err);
	printf(_("Backed up to %s.\n"), shown(cli->argv[1]));
	return EXIT_OK;
}

/* The receipt for the desk printer, in the locale's charset (a GB18030
 * desk gets GB18030). */
static int cmd_receipt(struct cli *cli)
{
	char *text = NULL, *out = NULL;
	size_t len = 0;
	enum wq_err err;
	int rc;

	if (cli->argc != 2)
		return usage_error("%s", _("usage: weiquan receipt NUMBER "
					   "[--output FILE]"));
	rc = open_as_user(cli);
	if (rc)
		return rc;
	err = wq_receipt_text(cli->store, &cli->actor, cli->argv[1], &text);
	if (err)
		return fail(err);
	err = wq_receipt_encode(text, nl_langinfo(CODESET), &out, &len);
	if (err == WQ_ERR_ENCODING) {
		fprintf(stderr, "weiquan: %s\n",
			_("the locale's charset lacks characters of the "
			  "receipt; it is written in UTF-8"));
		free(out);
		out = wq_strdup(text);
		len = strlen(text);
		err = WQ_ERR_OK;
	}
	if (!err && cli->out)
		err = wq_intake_write_file(cli->out, out, len, true);
	else if (!err && (fwrite(out, 1, len, stdout) != len ||
			  fflush(stdout) != 0))
		err = wq_fail(WQ_ERR_IO, N_("stdout: %s"), strerror(errno));
	free(text);
	free(out);
	if (err)
		return fail(err);
	if (cli->out)
		printf(_("Receipt of %s written to %s.\n"), shown(cli->argv[1]),
		       shown(cli->out));
	return EXIT_OK;
}

/* Where the documents' templates are: the data directory's, and the
 * administrator's copies, which win (a test's own, unprivileged). */
static struct wq_document_dirs document_dirs(void)
{
	const char *env = wq_privileged() ? NULL : getenv("WEIQUAN_DOCUMENTS");
	struct wq_document_dirs dirs = {
		.data = data_dir(),
		.override = env && *env ? env : WQ_DOCUMENTS_OVERRIDE,
	};

	return dirs;
}

/* A new file for the user's eyes only: created, never replaced or
 * followed through a link, mode 0600, with the user's own group when
 * privileged (as open_as_invoker).  Returns a descriptor or -1 (errno). */
static int create_private_file(const char *path)
{
	gid_t group = getegid();
	int fd, saved;
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC;

	if (!wq_privileged())
		return open(path, flags, 0600);
	if (setegid(getgid()) != 0)
		return -1;
	fd = open(path, flags, 0600);
	saved = errno;
	if (setegid(group) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	errno = saved;
	return fd;
}

static enum wq_err write_all(int fd, const char *what, const char *p,
			     size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return wq_fail(WQ_ERR_IO, N_("%s: %s"), what,
				       strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return WQ_ERR_OK;
}

static int document_list(struct cli *cli, const char *number)
{
	unsigned kinds;
	enum wq_err err;

	err = wq_document_available(cli->store, &cli->actor, number, &kinds);
	if (err)
		return fail(err);
	/* The widest code, diversion-outcome, sets the column. */
	for (int k = 0; k < WQ_DOC_KIND_COUNT_; k++)
		if (kinds & (1u << k))
			printf("%-17s %s\n",
			       wq_document_kind_code((enum wq_document_kind)k),
			       _(wq_document_kind_label(
				       (enum wq_document_kind)k)));
	return EXIT_OK;
}

static int cmd_document(struct cli *cli)
{
	struct wq_document_dirs dirs = document_dirs();
	struct wq_issued doc;
	enum wq_document_kind kind;
	const char *format = cli->format ? cli->format : "text";
	const char *lang = cli->lang ? cli->lang
				     : wq_document_lang_for_locale(
					       setlocale(LC_MESSAGES, NULL));
	bool pdf = strcmp(format, "pdf") == 0;
	char *out = NULL;
	size_t len;
	enum wq_err err;
	int rc, fd;

	if (cli->list && cli->argc == 2) {
		rc = open_as_user(cli);
		return rc ? rc : document_list(cli, cli->argv[1]);
	}
	if (cli->argc != 3)
		return usage_error("%s", _("usage: weiquan document NUMBER KIND "
					   "[--format text|pdf] [--output FILE] "
					   "[--lang zh_CN|zh_TW], or weiquan "
					   "document NUMBER --list"));
	if (!wq_document_kind_parse(cli->argv[2], &kind))
		return usage_error(_("'%s' is not a kind of document (receipt, "
				     "acceptance, not-accepted, transfer, "
				     "agreement, "
				     "mediation-ended, follow-up, "
				     "police-referral, report-decision, "
				     "ip-measures, ip-rejected, ip-declaration, "
				     "ip-ended, ip-kept, diversion-outcome)"),
				   cli->argv[2]);
	if (!pdf && strcmp(format, "text") != 0)
		return usage_error(_("--format: '%s' is not text or pdf"),
				   format);
	if (strcmp(lang, "zh_CN") != 0 && strcmp(lang, "zh_TW") != 0)
		return usage_error(_("--lang: '%s' is not zh_CN or zh_TW"),
				   lang);
	if (pdf && !cli->out && isatty(STDOUT_FILENO))
		return usage_error("%s", _("a PDF is not for the terminal: "
					   "give --output FILE or redirect"));
	rc = open_as_user(cli);
	if (rc)
		return rc;
	err = wq_document_issue(cli->store, &cli->actor, &dirs, cli->argv[1],
				kind, lang, &doc);
	if (err)
		return fail(err);
	if (cli->out) {
		/* The bytes issued, whose SHA-256 the audit chain holds. */
		fd = create_private_file(cli->out);
		if (fd < 0)
			err =
			    wq_fail(errno == EEXIST ? WQ_ERR_EXISTS : WQ_ERR_IO,
				    N_("%s: %s"), cli->out, strerror(errno));
		else {
			err = pdf ? write_all(fd, cli->out, doc.pdf, doc.pdf_len)
				  : write_all(fd, cli->out, doc.text,
					      doc.text_len);
			if (close(fd) != 0 && !err)
				err = wq_fail(WQ_ERR_IO, N_("%s: %s"), cli->out,
					      strerror(errno));
		}
	} else if (pdf) {
		err = write_all(STDOUT_FILENO, "stdout", doc.pdf, doc.pdf_len);
	} else {
		err = wq_receipt_encode(doc.text, nl_langinfo(CODESET), &out,
					&len);
		if (err == WQ_ERR_ENCODING) {
			fprintf(stderr, "weiquan: %s\n",
				_("the locale's charset lacks characters of the "
				  "document; it is written in UTF-8"));
			free(out);
			out = wq_strdup(doc.text);
			len = doc.text_len;
			err = WQ_ERR_OK;
		}
		if (!err)
			err = write_all(STDOUT_FILENO, "stdout", out, len);
		free(out);
	}
	if (!err && cli->out)
		printf(_("%s %s (version %d, issued %s by %s) written to %s; "
			 "SHA-256 %s\n"),
		       _(wq_document_kind_label(kind)), shown(doc.number),
		       doc.version, doc.issued_at, shown(doc.issued_by),
		       shown(cli->out), pdf ? doc.pdf_sha256 : doc.text_sha256);
	wq_issued_free(&doc);
	return err ? fail(err) : EXIT_OK;
}

static int cmd_conflict(struct cli *cli)
{
	enum wq_err err;
	int rc;

	if (cli->argc != 5 || strcmp(cli->argv[1], "declare") != 0)
		return usage_error("%s", _("usage: weiquan conflict declare "
					   "NUMBER consumer|merchant REASON"));
	rc = open_as_user(cli);
	if (rc)
		return rc;
	err = wq_conflict_declare(cli->store, &cli->actor, cli->argv[2],
				  cli->argv[3], cli->argv[4]);
	if (err)
		return fail(err);
	printf(_("%s recused from the %s of %s.\n"), shown(cli->actor.login),
	       shown(cli->argv[3]), shown(cli->argv[2]));
	return EXIT_OK;
}

/* ---- collective groups ---- */

static void command_help(const char *name);

static int group_arg(const char *text, int64_t *group_id)
{
	if (!wq_group_parse_id(text, group_id))
		return usage_error(_("'%s' is not a collective group (G12)"),
				   text);
	return EXIT_OK;
}

static void group_show_text(struct cli *cli, const struct wq_group *g,
			    const struct wq_group_member *m, size_t n)
{
	struct wq_evidence_view *ev;
	size_t nev;

	printf("G%" PRId64 "  ", g->id);
	put_clean(stdout, g->title);
	printf("\n%s ", _("Merchant:"));
	put_clean(stdout, g->merchant);
	printf(_("\nCreated by %s at %s; %" PRId64 " members, %" PRId64
		 " open\n"),
	       shown(g->created_by), shown(g->created_at), g->members,
	       g->open_members);
	printf("%s\n", _("Shared facts:"));
	put_clean(stdout, *g->facts ? g->facts : _("(none)"));
	putchar('\n');
	if (wq_group_evidence_list(cli->store, g->id, &ev, &nev) == WQ_ERR_OK) {
		printf("%s\n", _("Shared evidence:"));
		for (size_t i = 0; i < nev; i++) {
			printf("  %s  ", shown(ev[i].kind));
			put_clean(stdout, ev[i].file_name);
			printf("  %" PRId64 "  %s  %.16s\n", ev[i].size,
			       shown(ev[i].encoding), ev[i].sha256);
		}
		wq_evidence_views_free(ev, nev);
	}
	printf("%s\n", _("Members:"));
	for (size_t i = 0; i < n; i++) {
		fputs("  ", stdout);
		put_cell(m[i].number, 20);
		putchar(' ');
		put_cell(m[i].status, 20);
		putchar(' ');
		put_cell(*m[i].assignee ? m[i].assignee : "-", 12);
		printf(" %10.2f", (double)m[i].amount_fen / 100);
		if (m[i].representative)
			printf("  %s", _("representative"));
		if (*m[i].consents)
			printf("  %s %s", _("consents to:"), m[i].consents);
		putchar('\n');
	}
}

static void group_show_json(const struct wq_group *g,
			    const struct wq_group_member *m, size_t n)
{
	struct wq_buf b = {0};

	wq_buf_printf(&b, "{\"group\":\"G%" PRId64 "\",\"title\":", g->id);
	wq_buf_json_string(&b, g->title);
	wq_buf_puts(&b, ",\"merchant\":");
	wq_buf_json_string(&b, g->merchant);
	wq_buf_puts(&b, ",\"facts\":");
	wq_buf_json_string(&b, g->facts);
	wq_buf_puts(&b, ",\"created_by\":");
	wq_buf_json_string(&b, g->created_by);
	wq_buf_printf(&b, ",\"created_at\":\"%s\",\"members\":[",
		      g->created_at);
	for (size_t i = 0; i < n; i++) {
		wq_buf_printf(&b, "%s{\"number\":", i ? "," : "");
		wq_buf_json_string(&b, m[i].number);
		wq_buf_printf(&b, ",\"status\":\"%s\",\"version\":%" PRId64
				  ",\"assignee\":",
			      m[i].status, m[i].version);
		wq_buf_json_string(&b, m[i].assignee);
		wq_buf_printf(&b, ",\"amount_fen\":%" PRId64
				  ",\"representative\":%s,\"consents\":\"%s\"}",
			      m[i].amount_fen,
			      m[i].representative ? "true" : "false",
			      m[i].consents);
	}
	wq_buf_puts(&b, "]}\n");
	put_json(b.data);
	wq_buf_free(&b);
}

static int group_show(struct cli *cli, int64_t id)
{
	struct wq_group g;
	struct wq_group_member *m;
	size_t n;
	enum wq_err err;

	err = wq_group_load(cli->store, &cli->actor, id, &g);
	if (err)
		return fail(err);
	err = wq_group_members(cli->store, &cli->actor, id, &m, &n);
	if (err) {
		wq_group_free(&g);
		return fail(err);
	}
	if (cli->json)
		group_show_json(&g, m, n);
	else
		group_show_text(cli, &g, m, n);
	free(m);
	wq_group_free(&g);
	return EXIT_OK;
}

static int group_list(struct cli *cli)
{
	struct wq_group *v;
	size_t n;
	enum wq_err err = wq_group_list(cli->store, 0, &v, &n);

	if (err)
		return fail(err);
	if (cli->json)
		putchar('[');
	for (size_t i = 0; i < n; i++) {
		if (cli->json) {
			struct wq_buf b = {0};

			wq_buf_printf(&b, "%s{\"group\":\"G%" PRId64
					  "\",\"title\":",
				      i ? "," : "", v[i].id);
			wq_buf_json_string(&b, v[i].title);
			wq_buf_puts(&b, ",\"merchant\":");
			wq_buf_json_string(&b, v[i].merchant);
			wq_buf_printf(&b, ",\"members\":%" PRId64
					  ",\"open\":%" PRId64 "}",
				      v[i].members, v[i].open_members);
			put_json(b.data);
			wq_buf_free(&b);
			continue;
		}
		printf("G%-6" PRId64 " %4" PRId64 " %4" PRId64 "  ", v[i].id,
		       v[i].members, v[i].open_members);
		put_cell(v[i].merchant, 24);
		putchar(' ');
		put_clean(stdout, v[i].title);
		putchar('\n');
	}
	if (cli->json)
		puts("]");
	wq_group_list_free(v, n);
	return EXIT_OK;
}

static int group_evidence(struct cli *cli, int64_t id, const char *path)
{
	enum wq_err err;
	int64_t evidence_id = 0;
	const char *base = strrchr(path, '/');
	char *data;
	size_t len;
	int rc;

	if (read_named_file(path, &data, &len))
		return EXIT_FAIL;
	err = wq_store_begin_write(cli->store);
	if (!err)
		err = wq_group_evidence_add_tx(cli->store, &cli->actor, id,
					       cli->kind, base ? base + 1 : path,
					       data, len, cli->encoding,
					       &evidence_id);
	free(data);
	rc = end_write(cli, err);
	if (rc)
		return rc;
	printf(_("Shared evidence %" PRId64 " attached to G%" PRId64 ".\n"),
	       evidence_id, id);
	return EXIT_OK;
}

/* Every member's outcome on its own line; refusals make the exit status
 * non-zero (the others were still ruled on, unless previewing). */
static int group_rule(struct cli *cli, int64_t id)
{
	struct wq_ruling r = {cli->argv[3], cli->argc - 4, cli->argv + 4, 0};
	struct wq_group_outcome *o;
	size_t n, done = 0;
	enum wq_err err;

	err = wq_group_rule(cli->store, &cli->actor, id, &r, NULL, 0,
			    cli->preview, &o, &n);
	if (err)
		return fail(err);
	for (size_t i = 0; i < n; i++) {
		fputs("  ", stdout);
		put_cell(o[i].number, 20);
		putchar(' ');
		put_cell(o[i].status_before, 20);
		if (o[i].err) {
			printf(" %s: ", _("refused"));
			put_clean(stdout, o[i].why);
		} else {
			done++;
			printf(" -> %s", o[i].result.status);
		}
		putchar('\n');
	}
	if (cli->preview)
		printf(_("Preview: %zu of %zu members would be ruled on; "
			 "nothing was written.\n"),
		       done, n);
	else
		printf(_("%zu of %zu members ruled on; the others are as "
			 "they were.\n"),
		       done, n);
	free(o);
	return done == n || cli->preview ? EXIT_OK : EXIT_FAIL;
}

static int cmd_group(struct cli *cli)
{
	const char *sub = cli->argc > 1 ? cli->argv[1] : "";
	enum wq_err err = WQ_ERR_OK;
	int64_t id = 0;
	int rc;

	if (strcmp(sub, "list") == 0 && cli->argc == 2) {
	} else if (strcmp(sub, "create") == 0 && cli->argc >= 4) {
	} else if (strcmp(sub, "leave") == 0 && cli->argc >= 3) {
	} else if ((strcmp(sub, "join") == 0 && cli->argc >= 4) ||
		   (strcmp(sub, "facts") == 0 && cli->argc == 4) ||
		   (strcmp(sub, "evidence") == 0 && cli->argc == 4 &&
		    cli->kind) ||
		   (strcmp(sub, "show") == 0 && cli->argc == 3) ||
		   (strcmp(sub, "rule") == 0 && cli->argc >= 4) ||
		   (strcmp(sub, "representative") == 0 && cli->argc == 4) ||
		   (strcmp(sub, "consent") == 0 && cli->argc == 5)) {
		rc = group_arg(cli->argv[2], &id);
		if (rc)
			return rc;
	} else {
		command_help("group");
		return EXIT_USAGE;
	}
	rc = open_as_user(cli);
	if (rc)
		return rc;
	if (strcmp(sub, "list") == 0)
		return group_list(cli);
	if (strcmp(sub, "show") == 0)
		return group_show(cli, id);
	if (strcmp(sub, "rule") == 0)
		return group_rule(cli, id);
	if (strcmp(sub, "evidence") == 0)
		return group_evidence(cli, id, cli->argv[3]);
	if (strcmp(sub, "create") == 0) {
		err = wq_group_create(cli->store, &cli->actor, cli->argv[2],
				      cli->facts, cli->argv + 3, cli->argc - 3,
				      &id);
		if (!err)
			printf("G%" PRId64 "\n", id);
	} else if (strcmp(sub, "join") == 0) {
		err = wq_group_join(cli->store, &cli->actor, id, cli->argv + 3,
				    cli->argc - 3);
	} else if (strcmp(sub, "leave") == 0) {
		err = wq_group_leave(cli->store, &cli->actor, cli->argv + 2,
				     cli->argc - 2);
	} else if (strcmp(sub, "representative") == 0) {
		err = wq_group_representative(cli->store, &cli->actor, id,
					      cli->argv[3], !cli->off);
	} else if (strcmp(sub, "consent") == 0) {
		err = wq_group_consent(cli->store, &cli->actor, id,
				       cli->argv[3], cli->argv[4], !cli->off,
				       cli->reason);
	} else {
		err = wq_group_set_facts(cli->store, &cli->actor, id,
					 cli->argv[3]);
	}
	return err ? fail(err) : EXIT_OK;
}

static int cmd_console(struct cli *cli)
{
	struct scr_console_options opts = {.documents = document_dirs()};
	int rc;

	if (cli->ambiguous_width &&
	    !scr_ambiguous_width_parse(cli->ambiguous_width,
				       &opts.ambiguous_width)) {
		char what[160];

		snprintf(what, sizeof(what),
			 _("%s: '%s' is neither wide nor narrow"),
			 "--ambiguous-width", cli->ambiguous_width);
		return usage_error("%s", what);
	}
	rc = open_as_user(cli);
	if (rc)
		return rc;
	/* Only for `user list`: a database that cannot take the write
	 * still opens the console. */
	wq_user_note_login(cli->store, cli->actor.login);
	return scr_console_run(cli->store, &cli->actor, &opts);
}

/* ---- argument parsing ---- */

struct option_def {
	const char *name;
	size_t offset;          /* of a const char * in struct cli */
};

#define OPT(n, field) {n, offsetof(struct cli, field)}
static const struct option_def value_options[] = {
	OPT("--db", db), OPT("--user", user), OPT("--format", format),
	OPT("--encoding", encoding), OPT("--at", at), OPT("--seed", seed),
	OPT("--cases", cases), OPT("--expect-version", expect),
	OPT("--skip", skip),
	OPT("--role", role), OPT("--name", name), OPT("--output", out),
	OPT("--key", key), OPT("--checkpoint", checkpoint),
	OPT("--status", filter.status), OPT("--category", filter.category),
	OPT("--region", filter.region), OPT("--type", filter.type),
	OPT("--assignee", filter.assignee), OPT("--search", filter.search),
	OPT("--order", filter.order), OPT("--after", filter.after),
	OPT("--clock", filter.clock), OPT("--due-from", filter.due_from),
	OPT("--due-to", filter.due_to), OPT("--flag", filter.flag),
	OPT("--received-from", filter.received_from),
	OPT("--received-to", filter.received_to),
	OPT("--kind", kind), OPT("--party", party), OPT("--facts", facts),
	OPT("--case-type", intake.type), OPT("--case-category", intake.category),
	OPT("--case-region", intake.region),
	OPT("--consumer", intake.consumer_name),
	OPT("--phone", intake.consumer_phone),
	OPT("--id-number", intake.consumer_id_number),
	OPT("--merchant", intake.merchant_name),
	OPT("--platform", intake.merchant_platform),
	OPT("--shop-id", intake.merchant_shop_id),
	OPT("--merchant-region", intake.merchant_region),
	OPT("--order-no", intake.order_no), OPT("--amount", amount),
	OPT("--order-date", intake.order_date), OPT("--remedy", intake.remedy),
	OPT("--statement", intake.statement),
	OPT("--ambiguous-width", ambiguous_width),
	OPT("--reason", reason), OPT("--lang", lang),
	OPT("--languages", languages), OPT("--lease", lease),
	OPT("--channel", channel), OPT("--said", said),
	OPT("--outcome", outcome), OPT("--follow-up", follow_up),
	OPT("--brand", diversion.brand),
	OPT("--authorised-region", diversion.authorised_region),
	OPT("--found-region", diversion.found_region),
	OPT("--batch", diversion.batch), OPT("--codes", diversion.codes),
	OPT("--clause", diversion.clause), OPT("--penalty", penalty),
	OPT("--trace", diversion.trace), OPT("--basis", basis),
	OPT("--complainant-address", complainant_address),
	OPT("--respondent-address", respondent_address),
	OPT("--platform-seat", platform_seat),
	OPT("--platform-domicile", platform_domicile),
	OPT("--to", to),
};
#undef OPT

static int parse_args(struct cli *cli, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *eq = strchr(a, '=');
		size_t len = eq ? (size_t)(eq - a) : strlen(a);
		bool matched = false;

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc && cli->argc < 64; i++)
				cli->argv[cli->argc++] = argv[i];
			break;
		}
		if (a[0] != '-' || a[1] != '-' || !a[2]) {
			if (cli->argc == 64)
				return usage_error("%s", _("too many arguments"));
			cli->argv[cli->argc++] = a;
			continue;
		}
		if (strcmp(a, "--json") == 0) {
			cli->json = true;
			continue;
		}
		if (strcmp(a, "--off") == 0) {
			cli->off = true;
			continue;
		}
		if (strcmp(a, "--once") == 0) {
			cli->once = true;
			continue;
		}
		if (strcmp(a, "--all") == 0) {
			cli->all = true;
			continue;
		}
		if (strcmp(a, "--uploaded") == 0) {
			cli->uploaded = true;
			continue;
		}
		if (strcmp(a, "--reverse") == 0) {
			cli->filter.reverse = true;
			continue;
		}
		if (strcmp(a, "--preview") == 0) {
			cli->preview = true;
			continue;
		}
		if (strcmp(a, "--progress") == 0) {
			cli->progress = true;
			continue;
		}
		if (strcmp(a, "--list") == 0) {
			cli->list = true;
			continue;
		}
		if (strcmp(a, "--help") == 0) {
			cli->help = true;
			continue;
		}
		if (strcmp(a, "--version") == 0) {
			printf("weiquan %s\n", PACKAGE_VERSION);
			exit(EXIT_OK);
		}
		if (strncmp(a, "--limit", len) == 0 && len == 7) {
			const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
			char *end;

			if (!v)
				return usage_error(_("%s needs a value"), "--limit");
			long limit = strtol(v, &end, 10);

			if (*end || end == v || limit <= 0)
				return usage_error(_("--limit: '%s' is not a "
						     "positive number"),
						   v);
			/* export takes any number; case list checks */
			cli->filter.limit =
				limit > INT_MAX ? INT_MAX : (int)limit;
			continue;
		}
		if (len == strlen("--merchant-id") &&
		    strncmp(a, "--merchant-id", len) == 0) {
			const char *v = eq ? eq + 1
				       : (i + 1 < argc ? argv[++i] : NULL);
			char *end;

			if (!v)
				return usage_error(_("%s needs a value"),
						   "--merchant-id");
			long long id = strtoll(v, &end, 10);

			if (*end || end == v || id <= 0)
				return usage_error(_("--merchant-id: '%s' is "
						     "not a positive number"),
						   v);
			cli->filter.merchant_id = id;
			continue;
		}
		for (size_t k = 0; k < sizeof(value_options) /
					       sizeof(value_options[0]);
		     k++) {
			const struct option_def *o = &value_options[k];

			if (strlen(o->name) != len ||
			    strncmp(o->name, a, len) != 0)
				continue;
			const char *v = eq ? eq + 1
				       : (i + 1 < argc ? argv[++i] : NULL);

			if (!v)
				return usage_error(_("%s needs a value"),
						   o->name);
			*(const char **)((char *)cli + o->offset) = v;
			matched = true;
			break;
		}
		if (!matched)
			return usage_error(_("unknown option '%s'"), a);
	}
	return EXIT_OK;
}

struct command {
	const char *name;
	int (*run)(struct cli *cli);
};

static const struct command commands[] = {
	{"init", cmd_init},	{"demo", cmd_demo},
	{"user", cmd_user},	{"import", cmd_import},
	{"export", cmd_export}, {"case", cmd_case},
	{"rule", cmd_rule},	{"report", cmd_report},
	{"audit", cmd_audit},	{"calendar", cmd_calendar},
	{"clock", cmd_clock},	{"damages", cmd_damages},
	{"backup", cmd_backup}, {"evidence", cmd_evidence},
	{"uploads", cmd_uploads},
	{"merchant", cmd_merchant},
	{"receipt", cmd_receipt}, {"conflict", cmd_conflict},
	{"group", cmd_group},	{"document", cmd_document},
	{"worker", cmd_worker},
	{"contact", cmd_contact}, {"inbox", cmd_inbox},
};

/* `weiquan COMMAND --help`: the lines of the general usage that describe
 * COMMAND, so the two texts cannot drift apart. */
static void command_help(const char *name)
{
	const char *text = _(usage_text), *line = text, *eol;
	size_t n = strlen(name);
	bool in_command = false, shown = false;

	for (; *line; line = *eol ? eol + 1 : eol) {
		eol = strchr(line, '\n');
		if (!eol)
			eol = line + strlen(line);
		if (strncmp(line, "  ", 2) == 0 && line[2] != ' ')
			in_command = strncmp(line + 2, name, n) == 0 &&
				     (line[2 + n] == ' ' || line + 2 + n == eol);
		else if (strncmp(line, "          ", 10) != 0)
			in_command = false;
		if (in_command) {
			printf("%.*s\n", (int)(eol - line), line);
			shown = true;
		}
	}
	if (!shown)
		fputs(text, stdout);
	else if (strcmp(name, "audit") == 0)
		fputs(_(audit_help_text), stdout);
	else if (strcmp(name, "case") == 0 || strcmp(name, "export") == 0) {
		/* The filters' paragraph, found by its first option so that
		 * a translated heading finds it too. */
		const char *f = strstr(text, "--status");

		while (f && f > text && f[-1] != '\n')
			f--;
		if (f)
			fputs(f, stdout);
		fputs(_(search_help_text), stdout);
	}
}

/* Under sshd's ForceCommand, weiquan runs in place of whatever command the
 * user gave to ssh, which sshd leaves in SSH_ORIGINAL_COMMAND.  That
 * command is never run; the user is told so, rather than getting a
 * console that fails for want of a terminal.  Only a request for weiquan
 * itself (someone with a shell typing `ssh -t HOST weiquan`) goes on. */
static bool ssh_command_given(void)
{
	const char *cmd = getenv("SSH_ORIGINAL_COMMAND");
	const char *end, *base;

	if (!cmd)
		return false;
	cmd += strspn(cmd, " \t");
	end = cmd + strcspn(cmd, " \t");
	if (*cmd == '\0')
		return false;
	if (end[strspn(end, " \t")] == '\0') {
		for (base = end; base > cmd && base[-1] != '/'; base--)
			;
		if (end - base == 7 && strncmp(base, "weiquan", 7) == 0)
			return false;
	}
	fputs(_("weiquan: this account opens the console only; the command "
		"given to ssh was not run\n"),
	      stderr);
	return true;
}

int main(int argc, char **argv)
{
	struct cli cli = {0};
	const char *localedir;
	int rc;

	/* Setgid, every file made for the database (itself, its lock, its
	 * -wal and -shm) is the group's to write, whoever made it. */
	if (wq_privileged())
		umask(007);
	setlocale(LC_ALL, "");
	/* A build tree's catalogues, for its tests; never where the caller
	 * could slip its own messages into a privileged program. */
	localedir = wq_privileged() ? NULL : getenv("WEIQUAN_LOCALEDIR");
	bindtextdomain(PACKAGE,
		       localedir && *localedir ? localedir : LOCALEDIR);
	textdomain(PACKAGE);

	rc = parse_args(&cli, argc, argv);
	if (rc)
		return rc;
	if (cli.help) {
		if (cli.argc > 0)
			command_help(cli.argv[0]);
		else {
			fputs(_(usage_text), stdout);
			fputs(_(search_help_text), stdout);
		}
		return EXIT_OK;
	}
	/* --user is left to identify(), which allows it to administrators
	 * of the database, known by the real uid.  A --db of the caller's
	 * choosing could name a database the caller administers. */
	if (cli.db && wq_privileged())
		return usage_error("%s", _("--db is refused in a privileged "
					   "(setgid) installation"));
	if (cli.argc == 0) {
		if (ssh_command_given())
			return EXIT_USAGE;
		rc = cmd_console(&cli);
	} else {
		const struct command *cmd = NULL;

		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]);
		     i++)
			if (strcmp(commands[i].name, cli.argv[0]) == 0)
				cmd = &commands[i];
		if (!cmd)
			return usage_error(_("unknown command '%s'"),
					   cli.argv[0]);
		rc = cmd->run(&cli);
	}
	wq_store_close(&cli.store);
	return rc;
}
