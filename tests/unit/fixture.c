#include "config.h"

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store_sqlite.h"
#include "weiquan/calendar.h"
#include "weiquan/clock.h"
#include "weiquan/err.h"
#include "tests/unit/fixture.h"

const char *fixture_srcdir(void)
{
	const char *s = getenv("WQ_SRCDIR");

	return s && *s ? s : ".";
}

static int load_calendar(struct wq_store *store)
{
	char path[512];
	int days = 0, years = 0;

	snprintf(path, sizeof(path), "%s/data/calendar-cn.json",
		 fixture_srcdir());
	if (wq_store_begin_write(store) != WQ_ERR_OK)
		return -1;
	if (wq_cal_import(store, path, &days, &years) != WQ_ERR_OK) {
		fprintf(stderr, "# calendar import: %s\n", wq_err_detail());
		wq_store_rollback(store);
		return -1;
	}
	if (wq_store_commit(store) != WQ_ERR_OK || years < 2)
		return -1;
	wq_clock_calendar_reset(store);
	return 0;
}

int fixture_open(const char *name, const char *now, char *dir, char *path,
		 struct wq_store **store, struct wq_user *admin)
{
	char rules[512], regime[64];
	bool created = false;

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	setenv("WEIQUAN_NOW", now, 1);
	snprintf(dir, 64, "/tmp/wq-%s-XXXXXX", name);
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, 128, "%s/wq.db", dir);
	if (wq_store_open(path, WQ_OPEN_INIT, store) != WQ_ERR_OK ||
	    wq_user_bootstrap(*store, "admin", &created) != WQ_ERR_OK ||
	    !created || wq_user_lookup(*store, "admin", admin) != WQ_ERR_OK)
		return -1;
	if (load_calendar(*store))
		return -1;
	snprintf(rules, sizeof(rules), "%s/data/clock-rules.json",
		 fixture_srcdir());
	if (wq_clock_import(*store, admin, rules, regime, sizeof(regime)) !=
	    WQ_ERR_OK) {
		fprintf(stderr, "# clock import: %s\n", wq_err_detail());
		return -1;
	}
	return 0;
}

int fixture_add_user(struct wq_store *store, const struct wq_user *admin,
		     const char *login, enum wq_role role, const char *name,
		     struct wq_user *out)
{
	if (wq_user_add(store, admin, login, role, name ? name : login) !=
	    WQ_ERR_OK)
		return -1;
	return wq_user_lookup(store, login, out) == WQ_ERR_OK ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
			struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fixture_remove_dir(const char *dir)
{
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}
