/* Benchmark of the wq_cjk FTS5 tokenizer: builds a file database of
 * synthetic complaint statements and times typical searches.
 *
 *   bench_fts DB [ROWS] [--detail=full|column|none] [--no-optimize]
 *             [--automerge=N] [--reuse] [--cold]
 *
 * DB is deleted and rebuilt unless --reuse is given.  ROWS defaults to
 * 1,000,000.  Queries are timed on a fresh connection (SQLite's page
 * cache empty, the OS cache warm), first as built and then, unless
 * --no-optimize, after FTS5's 'optimize' has merged the index into one
 * segment.  With --cold every query gets a new connection and the
 * database file is first dropped from the OS cache (posix_fadvise, so no
 * root needed and nothing else is evicted), so "first run" is a cold
 * start from disk. */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "weiquan/err.h"
#include "store_sqlite.h"
#include "weiquan/fts_cjk.h"
#include "tests/bench/timing.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const times[] = {
    "三天前", "上周",	    "半个月前",	    "一个月前", "昨天",
    "两周前", "去年双十一", "今年春节期间", "上个月底", "前天晚上",
};
static const char *const platforms[] = {
    "淘宝",	"京东", "拼多多", "美团",   "抖音商城", "唯品会",
    "苏宁易购", "闲鱼", "携程",	  "饿了么", "小红书",	"快手小店",
};
static const char *const products[] = {
    "手机",	 "笔记本电脑", "冰箱",	      "洗衣机",	      "空调",
    "电视机",	 "运动鞋",     "羽绒服",      "化妆品",	      "奶粉",
    "外卖",	 "机票",       "酒店套餐",    "健身卡",	      "培训课程",
    "二手车",	 "沙发",       "热水器",      "蓝牙耳机",     "平板电脑",
    "iPhone 15", "iPad Air",   "MacBook Pro", "Switch游戏机", "AirPods",
    "小米14",	 "华为Mate60", "戴森吹风机",
};
static const char *const problems[] = {
    "屏幕有划痕",   "无法开机",		"与描述严重不符", "有明显质量问题",
    "发错了型号",   "缺少配件",		"外包装破损",	  "疑似假货",
    "已经过期变质", "尺码不对",		"充电时发烫",	  "漏水",
    "噪音很大",	    "颜色与图片不一致", "少发了一件",	  "使用两天就坏了",
    "是翻新机",	    "没有发票",
};
static const char *const subjects[] = {
    "商家", "卖家",	"客服",	  "快递员",   "平台",
    "店铺", "售后人员", "经销商", "物流公司", "门店经理",
};
static const char *const actions[] = {
    "拒绝退款",	      "拖延退款",	"不予换货",	"推脱责任",
    "拒绝维修",	      "不开发票",	"不予赔偿",	"要求我自付运费",
    "一直不回复",     "强制收取手续费", "擅自取消订单", "拒绝七天无理由退货",
    "只同意部分退款", "让我找厂家",
};
static const char *const attitudes[] = {
    "态度恶劣", "多次推诿", "恶意拖延", "存在虚假宣传",
    "以次充好", "出言不逊", "敷衍了事", "威胁删除差评",
};
static const char *const demands[] = {
    "要求全额退款", "要求换货",		"要求三倍赔偿", "要求退一赔三",
    "要求商家道歉", "希望平台介入处理", "请求调解",	"要求退货退款",
};
static const char *const orders[] = {"TB", "JD", "PDD", "MT", "DY"};

static uint64_t rng_state = 20260101;

/* splitmix64: deterministic, so every run indexes the same text */
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

#define PICK(list) (list[rng() % ARRAY_LEN(list)])

/* One statement, 30-70 characters; returns whether it quotes its order
 * number, which is left in order either way. */
static int sentence(char *buf, size_t cap, char *order, size_t ocap)
{
	size_t len = 0;
	int quoted;

	snprintf(order, ocap, "%s%08llu", PICK(orders),
		 (unsigned long long)(rng() % 100000000));
#define ADD(...) (len += (size_t)snprintf(buf + len, cap - len, __VA_ARGS__))
	if (rng() % 2)
		ADD("%s", PICK(times));
	ADD("我在%s购买了%s，收到后发现%s，", PICK(platforms), PICK(products),
	    PICK(problems));
	ADD("%s%s", PICK(subjects), PICK(actions));
	if (rng() % 3 == 0)
		ADD("，%s", PICK(attitudes));
	ADD("。%s", PICK(demands));
	quoted = rng() % 2;
	if (quoted)
		ADD("。订单号%s", order);
	ADD("。");
#undef ADD
	return quoted;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, err);
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static sqlite3 *open_db(const char *path)
{
	sqlite3 *db;
	enum wq_err e;

	if (sqlite3_open(path, &db) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", path, sqlite3_errmsg(db));
		exit(1);
	}
	e = wq_fts_cjk_register(db);
	if (e != WQ_ERR_OK) {
		fprintf(stderr, "%s: %s\n", wq_strerror(e), wq_err_detail());
		exit(1);
	}
	return db;
}

static long long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

#define RUNS 7

/* Runs sql with ?1 = q RUNS times; prints the first run and the median. */
static void time_query(sqlite3 *db, const char *sql, const char *label,
		       const char *typed)
{
	double t[RUNS];
	char *q = wq_fts_query(typed);
	sqlite3_stmt *st;
	int i, rows = 0, count = 0;

	if (!q || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "cannot run \"%s\": %s\n", typed,
			q ? sqlite3_errmsg(db) : "nothing searchable");
		free(q);
		return;
	}
	for (i = 0; i < RUNS; i++) {
		double t0 = now_ms();
		int rc;

		sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
		rows = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			rows++;
			count = sqlite3_column_int(st, 0);
		}
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "\"%s\": %s\n", typed,
				sqlite3_errmsg(db));
			break;
		}
		sqlite3_reset(st);
		t[i] = now_ms() - t0;
	}
	sqlite3_finalize(st);
	free(q);
	if (i < RUNS)
		return;
	{
		double first = t[0];

		qsort(t, RUNS, sizeof(t[0]), cmp_double);
		if (strstr(sql, "count(*)"))
			rows = count;
		printf("query \"%s\" %s %.2f ms (first run %.2f ms, "
		       "%d rows)\n",
		       typed, label, t[RUNS / 2], first, rows);
	}
}

static int cold;

/* Asks the kernel to forget the file's cached pages. */
static void evict(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
}

static void run_queries(const char *path, const char *order)
{
	static const char *const queries[] = {
	    "退",	"退款",	       "态度恶劣",	     "iphone",
	    "退一赔三", "退款 iphone", "拒绝七天无理由退货", "霸王条款",
	    "要求退款", NULL,
	};
	sqlite3 *db = open_db(path);
	size_t i;

	for (i = 0; i < ARRAY_LEN(queries); i++) {
		static const char *const sql[][2] = {
		    {"SELECT rowid FROM t WHERE t MATCH ?1 LIMIT 50",
		     "first 50:"},
		    {"SELECT rowid FROM t WHERE t MATCH ?1 "
		     "ORDER BY rowid DESC LIMIT 50",
		     "last 50 (rowid DESC):"},
		    {"SELECT count(*) FROM t WHERE t MATCH ?1",
		     "count(*) of all matches:"},
		};
		const char *q = queries[i] ? queries[i] : order;
		size_t k;

		for (k = 0; k < ARRAY_LEN(sql); k++) {
			if (cold) {
				sqlite3_close(db);
				evict(path);
				db = open_db(path);
			}
			time_query(db, sql[k][0], sql[k][1], q);
		}
	}
	sqlite3_close(db);
}

int main(int argc, char **argv)
{
	const char *path = NULL, *detail = "full";
	long rows = 1000000, automerge = -1;
	int optimize = 1, reuse = 0, i;
	char order[32] = "";

	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--detail=", 9))
			detail = argv[i] + 9;
		else if (!strcmp(argv[i], "--no-optimize"))
			optimize = 0;
		else if (!strncmp(argv[i], "--automerge=", 12))
			automerge = strtol(argv[i] + 12, NULL, 10);
		else if (!strcmp(argv[i], "--reuse"))
			reuse = 1;
		else if (!strcmp(argv[i], "--cold"))
			cold = 1;
		else if (!path)
			path = argv[i];
		else
			rows = strtol(argv[i], NULL, 10);
	}
	if (!path || rows <= 0) {
		fprintf(stderr,
			"usage: %s DB [ROWS] [--detail=full|column|none]"
			" [--no-optimize] [--automerge=N] [--reuse] [--cold]\n",
			argv[0]);
		return 2;
	}
	printf("sqlite %s, %ld rows, detail=%s\n", sqlite3_libversion(), rows,
	       detail);

	if (!reuse) {
		sqlite3 *db;
		sqlite3_stmt *ins;
		char sql[200], text[512];
		double t0;
		long r;

		unlink(path);
		db = open_db(path);
		snprintf(sql, sizeof(sql),
			 "CREATE VIRTUAL TABLE t USING "
			 "fts5(body, tokenize='wq_cjk', detail=%s)",
			 detail);
		if (exec(db, sql))
			return 1;
		if (automerge >= 0) {
			snprintf(sql, sizeof(sql),
				 "INSERT INTO t(t, rank) "
				 "VALUES ('automerge', %ld)",
				 automerge);
			if (exec(db, sql))
				return 1;
		}
		if (sqlite3_prepare_v2(db, "INSERT INTO t(body) VALUES (?1)",
				       -1, &ins, NULL) != SQLITE_OK) {
			fprintf(stderr, "%s\n", sqlite3_errmsg(db));
			return 1;
		}
		t0 = now_ms();
		exec(db, "BEGIN");
		for (r = 1; r <= rows; r++) {
			char o[32];

			/* search for one order number from the middle */
			if (sentence(text, sizeof(text), o, sizeof(o)) &&
			    r > rows / 2 && !order[0])
				memcpy(order, o, sizeof(order));
			sqlite3_bind_text(ins, 1, text, -1, SQLITE_STATIC);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				fprintf(stderr, "insert: %s\n",
					sqlite3_errmsg(db));
				return 1;
			}
			sqlite3_reset(ins);
		}
		sqlite3_finalize(ins);
		if (exec(db, "COMMIT"))
			return 1;
		printf("fts insert %ld rows: %.1f s, file %.0f MB "
		       "(sample: %s)\n",
		       rows, (now_ms() - t0) / 1e3, file_size(path) / 1e6,
		       text);
		sqlite3_close(db);
	} else {
		/* same generator, same order number */
		long r;
		char text[512], o[32];

		for (r = 1; r <= rows && !order[0]; r++)
			if (sentence(text, sizeof(text), o, sizeof(o)) &&
			    r > rows / 2)
				memcpy(order, o, sizeof(order));
	}

	printf("-- as inserted\n");
	run_queries(path, order);

	if (optimize) {
		sqlite3 *db = open_db(path);
		double t0 = now_ms();

		if (exec(db, "INSERT INTO t(t) VALUES ('optimize')"))
			return 1;
		printf("fts optimize: %.1f s, file %.0f MB\n",
		       (now_ms() - t0) / 1e3, file_size(path) / 1e6);
		t0 = now_ms();
		exec(db, "VACUUM");
		printf("vacuum: %.1f s, file %.0f MB\n", (now_ms() - t0) / 1e3,
		       file_size(path) / 1e6);
		sqlite3_close(db);
		printf("-- after optimize\n");
		run_queries(path, order);
	}
	return 0;
}
