/* weiquan: realistic demo cases.
 *
 * The demo does not write case rows of its own: every case is registered
 * with wq_case_create_tx() and moved only by wq_rule_tx(), acted by demo
 * users with the roles the rulings demand, so events, clocks, the merchant
 * record and the audit chain are what real work would have produced.
 *
 * Time is simulated.  Complaints arrive over the 90 days before "now", or
 * over more for a large run, at most 2,500 a day, so that no year runs out
 * of its 999,999 case numbers.  Each case follows a plan (its outcome, the
 * detours it takes) and every step
 * happens a plausible number of working days after the one before, in
 * office hours, on the real holiday calendar.  All cases advance together
 * in time order (a heap keyed by each case's next step), so event ids grow
 * with event times as they would in a live database, and wq_time_pin()
 * makes each ruling see its own moment as "now".  A step that would fall
 * after the real now is not taken: recent cases are simply still open.
 *
 * Everything random comes from one splitmix64 stream per case, seeded from
 * the run's seed and the case's arrival order, so a seed always gives the
 * same cases whatever the batch boundaries. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case_internal.h"
#include "weiquan/audit.h"
#include "weiquan/calendar.h"
#include "weiquan/case.h"
#include "weiquan/demo.h"
#include "weiquan/diversion.h"
#include "weiquan/encoding.h"
#include "weiquan/group.h"
#include "weiquan/report.h"
#include "weiquan/rules.h"
#include "weiquan/wqtime.h"
#include "util.h"

#define WINDOW_DAYS 90
/* 365 days at this rate stay under a year's 999,999 case numbers. */
#define MAX_CASES_PER_DAY 2500
#define DEFAULT_CASES 200
/* A batch ends after this many new cases, rulings or milliseconds, so
 * other sessions wait for the writers' lock well under its 10 s bound.
 * Longer batches write each hot page fewer times: on 40,000 cases, 3 s
 * batches wrote 3.3 GB where 1 s batches wrote 5.7 GB. */
#define BATCH_CASES 15000
#define BATCH_OPS 180000
#define BATCH_MS 3000
#define MERCHANTS 320
#define DISTRIBUTORS 40
#define OFFENDERS 6
#define SERIALS 6
#define DUP_RING 64
#define MAX_STEPS 40

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- randomness ---- */

static uint64_t next_u64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(((next_u64(s) >> 32) * n) >> 32) : 0;
}

static double unit(uint64_t *s)
{
	return (double)(next_u64(s) >> 11) / 9007199254740992.0;
}

static bool chance(uint64_t *s, unsigned percent)
{
	return below(s, 100) < percent;
}

/* Index into a table whose entries carry weights. */
static unsigned pick_weighted(uint64_t *s, const unsigned *w, unsigned n)
{
	unsigned total = 0, r;

	for (unsigned i = 0; i < n; i++)
		total += w[i];
	r = below(s, total);
	for (unsigned i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

#define PICK(s, table) ((table)[below((s), N_ELEMS(table))])

/* ---- the world: places, platforms, trades, goods ---- */

struct region {
	const char *full, *province, *city, *district, *code;
	unsigned weight;
};

static const struct region regions[] = {
	{"广东省广州市", "广东省", "广州市", "天河区", "440106", 14},
	{"广东省深圳市", "广东省", "深圳市", "南山区", "440305", 12},
	{"山东省济南市", "山东省", "济南市", "历下区", "370102", 7},
	{"山东省青岛市", "山东省", "青岛市", "市南区", "370202", 5},
	{"北京市朝阳区", "北京市", "北京市", "朝阳区", "110105", 10},
	{"北京市海淀区", "北京市", "北京市", "海淀区", "110108", 6},
	{"上海市浦东新区", "上海市", "上海市", "浦东新区", "310115", 11},
	{"上海市徐汇区", "上海市", "上海市", "徐汇区", "310104", 5},
	{"浙江省杭州市", "浙江省", "杭州市", "西湖区", "330106", 9},
	{"浙江省宁波市", "浙江省", "宁波市", "鄞州区", "330212", 4},
	{"四川省成都市", "四川省", "成都市", "武侯区", "510107", 8},
	{"江苏省南京市", "江苏省", "南京市", "玄武区", "320102", 7},
	{"江苏省苏州市", "江苏省", "苏州市", "姑苏区", "320508", 5},
	{"湖北省武汉市", "湖北省", "武汉市", "武昌区", "420106", 7},
	{"河南省郑州市", "河南省", "郑州市", "金水区", "410105", 5},
	{"湖南省长沙市", "湖南省", "长沙市", "岳麓区", "430104", 5},
	{"陕西省西安市", "陕西省", "西安市", "雁塔区", "610113", 5},
	{"福建省厦门市", "福建省", "厦门市", "思明区", "350203", 3},
	{"重庆市渝中区", "重庆市", "重庆市", "渝中区", "500103", 5},
	{"天津市和平区", "天津市", "天津市", "和平区", "120101", 3},
	{"辽宁省沈阳市", "辽宁省", "沈阳市", "和平区", "210102", 3},
	{"安徽省合肥市", "安徽省", "合肥市", "蜀山区", "340104", 3},
	{"云南省昆明市", "云南省", "昆明市", "五华区", "530102", 2},
	{"广西壮族自治区南宁市", "广西壮族自治区", "南宁市", "青秀区",
	 "450103", 2},
};

enum platform {
	PF_TAOBAO, PF_TMALL, PF_JD, PF_PDD, PF_DOUYIN, PF_KUAISHOU,
	PF_MEITUAN, PF_XIANYU, PF_VIP, PF_XHS, PF_COUNT
};

static const char *const platform_names[PF_COUNT] = {
	"淘宝", "天猫", "京东", "拼多多", "抖音电商", "快手", "美团", "闲鱼",
	"唯品会", "小红书",
};
static const unsigned platform_weights[PF_COUNT] = {
	20, 14, 16, 18, 12, 6, 6, 3, 2, 3,
};

enum trade {
	TR_DIGITAL, TR_APPAREL, TR_BEAUTY, TR_FOOD, TR_HOME, TR_MATERNAL,
	TR_JEWELRY, TR_LIQUOR, TR_CATERING, TR_COUNT
};

static const char *const trade_names[TR_COUNT] = {
	"数码", "服饰", "美妆", "食品", "家居", "母婴", "珠宝", "酒水", "餐饮",
};
static const unsigned trade_weights[TR_COUNT] = {
	18, 16, 12, 14, 14, 8, 4, 6, 8,
};

/* Typical shelf prices, in fen; goods are priced on this ladder. */
static const int32_t ladder[] = {
	1990, 2990, 3900, 4990, 5990, 6900, 7900, 8900, 9900, 10900, 12900,
	13900, 15900, 16900, 19900, 22900, 24900, 26900, 29900, 32900, 34900,
	39900, 45900, 49900, 54900, 59900, 69900, 79900, 89900, 99900,
	109900, 129900, 149900, 169900, 199900, 229900, 249900, 299900,
	349900, 399900, 459900, 499900, 599900, 699900, 799900, 899900,
	999900, 1299900, 1499900, 1699900, 1999900,
};

struct product {
	const char *name;
	enum trade trade;
	unsigned char lo, hi;     /* range on the ladder */
	bool food;                /* Food Safety Law damages apply */
};

static const struct product products[] = {
	{"蓝牙耳机", TR_DIGITAL, 0, 29, false},
	{"充电宝", TR_DIGITAL, 0, 14, false},
	{"智能手机", TR_DIGITAL, 26, 46, false},
	{"平板电脑", TR_DIGITAL, 29, 44, false},
	{"智能手表", TR_DIGITAL, 14, 39, false},
	{"笔记本电脑", TR_DIGITAL, 37, 50, false},
	{"机械键盘", TR_DIGITAL, 8, 27, false},
	{"羽绒服", TR_APPAREL, 14, 37, false},
	{"运动鞋", TR_APPAREL, 8, 34, false},
	{"连衣裙", TR_APPAREL, 4, 28, false},
	{"牛仔裤", TR_APPAREL, 3, 21, false},
	{"真丝围巾", TR_APPAREL, 8, 29, false},
	{"冲锋衣", TR_APPAREL, 12, 34, false},
	{"面霜", TR_BEAUTY, 4, 34, false},
	{"口红", TR_BEAUTY, 3, 23, false},
	{"精华液", TR_BEAUTY, 8, 34, false},
	{"防晒霜", TR_BEAUTY, 2, 18, false},
	{"香水", TR_BEAUTY, 14, 37, false},
	{"坚果礼盒", TR_FOOD, 2, 21, true},
	{"蜂蜜", TR_FOOD, 2, 18, true},
	{"月饼礼盒", TR_FOOD, 4, 26, true},
	{"进口牛排", TR_FOOD, 8, 26, true},
	{"即食燕窝", TR_FOOD, 14, 41, true},
	{"大闸蟹礼券", TR_FOOD, 14, 34, true},
	{"茶叶", TR_FOOD, 4, 37, true},
	{"空气炸锅", TR_HOME, 10, 28, false},
	{"扫地机器人", TR_HOME, 29, 41, false},
	{"乳胶床垫", TR_HOME, 29, 46, false},
	{"电饭煲", TR_HOME, 8, 29, false},
	{"净水器", TR_HOME, 21, 41, false},
	{"实木餐桌", TR_HOME, 31, 46, false},
	{"空调", TR_HOME, 34, 46, false},
	{"婴幼儿奶粉", TR_MATERNAL, 10, 24, true},
	{"纸尿裤", TR_MATERNAL, 4, 18, false},
	{"婴儿推车", TR_MATERNAL, 18, 39, false},
	{"儿童安全座椅", TR_MATERNAL, 21, 37, false},
	{"黄金手镯", TR_JEWELRY, 34, 50, false},
	{"翡翠吊坠", TR_JEWELRY, 18, 50, false},
	{"银项链", TR_JEWELRY, 8, 29, false},
	{"钻戒", TR_JEWELRY, 37, 50, false},
	{"白酒", TR_LIQUOR, 8, 39, true},
	{"进口红酒", TR_LIQUOR, 4, 37, true},
	{"精酿啤酒礼盒", TR_LIQUOR, 2, 14, true},
	{"外卖套餐", TR_CATERING, 0, 14, true},
	{"火锅团购券", TR_CATERING, 8, 24, true},
	{"生日蛋糕", TR_CATERING, 8, 21, true},
};

static const char *const name_cores[] = {
	"优品", "聚鑫", "美佳", "星辰", "恒达", "鼎盛", "惠民", "天成", "华美",
	"金源", "乐购", "宏图", "万家", "嘉禾", "安心", "鲜果", "云端", "蓝海",
	"晨光", "盛世", "悦享", "初心", "匠心", "橙子", "小鹿", "七彩", "拾光",
	"知足", "木子", "森林", "麦田", "花间", "暖阳", "青柠", "好物", "臻选",
	"福满", "祥瑞", "鸿运", "锦绣", "御品", "尚品", "优选", "壹号", "百佳",
	"汇通", "新视界", "伊人", "潮玩", "极客", "山野", "果园", "阿福",
	"老街", "小满", "九州", "东方", "北辰", "南山", "西子",
};

/* Brand owners: the complainants of IP notices and diversion cases. */
struct brand {
	const char *company, *brand;
	enum trade trade;
	unsigned region;
};

static const struct brand brands[] = {
	{"深圳市云帆科技有限公司", "云帆", TR_DIGITAL, 1},
	{"杭州素然服饰有限公司", "素然", TR_APPAREL, 8},
	{"上海澜肌生物科技有限公司", "澜肌", TR_BEAUTY, 6},
	{"贵州黔台酒业股份有限公司", "黔台", TR_LIQUOR, 0},
	{"山东岱宗食品有限公司", "岱宗", TR_FOOD, 2},
	{"内蒙古草原牧歌乳业有限公司", "牧歌", TR_MATERNAL, 4},
	{"广州雅韵化妆品有限公司", "雅韵", TR_BEAUTY, 0},
	{"浙江森居家居有限公司", "森居", TR_HOME, 9},
	{"江苏禾润母婴用品有限公司", "禾润", TR_MATERNAL, 11},
	{"四川川味坊食品有限公司", "川味坊", TR_FOOD, 10},
	{"北京金缕珠宝有限公司", "金缕", TR_JEWELRY, 4},
	{"青岛海湾啤酒有限公司", "海湾", TR_LIQUOR, 3},
	{"宁夏贺兰红酒庄有限公司", "贺兰红", TR_LIQUOR, 19},
	{"东莞市极光电子有限公司", "极光", TR_DIGITAL, 0},
	{"福建闽茗茶业有限公司", "闽茗", TR_FOOD, 17},
	{"武汉楚风服饰有限公司", "楚风", TR_APPAREL, 13},
};

/* ---- people ---- */

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
	"唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
	"潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
	"任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
	"石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
	"邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎",
	"贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
	"欧阳", "司马", "上官",
};

static const char *const given_chars[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
	"杰", "娟", "涛", "明", "超", "霞", "平", "刚", "英", "华", "玲", "建",
	"国", "文", "红", "辉", "鹏", "宇", "浩", "轩", "欣", "怡", "梓", "涵",
	"晨", "佳", "俊", "雨", "博", "思", "嘉", "睿", "铭", "泽", "子", "一",
	"琳", "婷", "雪", "倩", "颖", "慧", "晓", "春", "秀", "兰", "凤", "志",
	"海", "波", "斌", "鑫", "帆", "昊", "瑶", "萱", "诗", "语", "安", "宁",
};

static const char *const mobile_prefixes[] = {
	"130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
	"151", "152", "155", "156", "157", "158", "159", "166", "173", "176",
	"177", "178", "180", "181", "182", "183", "185", "186", "187", "188",
	"189", "191", "193", "195", "198", "199",
};

/* ---- what can go wrong, in the parties' words ---- */

/* Placeholders: {p} goods, {m} merchant, {f} platform, {a} amount,
 * {r} region, {q} the distributor's assigned province, {b} brand,
 * {d} a date, {k} a count, {n} a registration number, {c} a claim. */
static const char *const complaint_open[] = {
	"本人于{d}在{f}“{m}”购买{p}，实付{a}元。",
	"{d}在{f}店铺“{m}”下单购买{p}一件，支付{a}元。",
	"我在{f}上的“{m}”买了{p}，花费{a}元，{d}下单。",
};

static const char *const complaint_quality[] = {
	"收到的商品与描述不符，做工粗糙，有明显瑕疵。",
	"使用不到一周就出现故障，无法正常使用。",
	"收到时外包装破损，商品表面有划痕和污渍。",
	"存在明显质量问题，联系客服多次，商家一直推脱。",
	"商品有刺鼻异味，使用后出现过敏症状。",
	"质检报告显示不合格，商家却称是正常现象。",
	"第二次使用就损坏，怀疑是翻新或次品。",
};

static const char *const complaint_refund[] = {
	"商家拒绝七天无理由退货，称商品已拆封影响二次销售。",
	"已申请退款十余天，商家既不同意也不拒绝，一直拖延。",
	"退货已寄回并显示签收，商家迟迟不退款。",
	"商家以“定制商品”为由拒绝退货，但下单时并未说明。",
	"客服承诺退款后又反悔，还要求我承担来回运费。",
	"商家收到退货后称商品有损坏，只肯退一半货款。",
};

static const char *const complaint_advertising[] = {
	"详情页宣称“{c}”，实际收到的商品完全不符，属于虚假宣传。",
	"直播间主播承诺“买一送一”，下单后赠品一直未发。",
	"页面标注的原价系虚构，先涨价后打折，涉嫌价格欺诈。",
	"宣传使用效果“立竿见影”，实际使用一个月毫无变化。",
	"宣传页面称“{c}”，经查询并无相关认证。",
};

static const char *const complaint_counterfeit[] = {
	"经品牌官方鉴定为假冒产品，商家拒不承认。",
	"防伪码查询显示无效，包装印刷粗糙，怀疑是假货。",
	"店铺宣称正品保证，收到的商品与专柜正品明显不同。",
	"商品标签与品牌官网信息不一致，疑似仿冒。",
};

static const char *const complaint_delivery[] = {
	"订单显示已签收，但本人从未收到货物，快递员称放在驿站。",
	"商家承诺四十八小时内发货，超过十天仍未发货。",
	"物流信息一周未更新，商家推给快递公司不处理。",
	"收到的包裹被调包，里面并不是所购商品。",
	"送货上门时商品已严重损坏，商家拒绝补发。",
};

static const char *const complaint_payment[] = {
	"付款后订单被系统取消，但款项已扣除，至今未退回。",
	"客服诱导我添加微信私下转账，付款后对方失联。",
	"同一订单被重复扣款两次，商家拒绝退还多扣款项。",
	"开通的“先用后付”被自动扣款，本人事先并不知情。",
};

static const char *const complaint_service[] = {
	"客服态度恶劣，对我的问题敷衍了事，甚至出言辱骂。",
	"安装师傅上门迟到三个小时，还额外收取材料费。",
	"售后电话始终无人接听，在线客服只有机器人回复。",
	"商家私自修改订单收货时间，并拒绝道歉。",
};

static const char *const complaint_privacy[] = {
	"下单后频繁接到推销电话，对方能准确说出我的订单信息。",
	"商家未经同意将我的收货地址和电话公开在评价回复中。",
	"注册会员时被强制要求上传身份证照片，要求删除被拒绝。",
	"收到陌生短信，内容包含本人姓名和所购商品，怀疑信息泄露。",
};

static const char *const complaint_other[] = {
	"商家单方面取消订单，并拒绝按下单价格发货。",
	"所购储值卡在店铺关闭后无法使用，余额无法退还。",
	"商品降价后商家拒绝履行“保价三十天”的承诺。",
	"商家以“系统错误”为由拒绝履行已付款订单。",
};

static const char *const ad_claims[] = {
	"进口原装", "纯棉", "99%除菌", "一年质保", "专柜同款", "有机认证",
	"国家专利", "零添加", "降价保价",
};

static const char *const serial_texts[] = {
	"所购{p}标签不符合食品安全国家标准，依据《食品安全法》第一百四十八条"
	"要求退一赔十。",
	"所购{p}宣传用语违反《广告法》第九条，依据《消费者权益保护法》第五十五条"
	"要求退一赔三。",
	"所购{p}未标注生产许可证编号，属于不符合食品安全标准的食品，要求十倍赔偿。",
};

static const char *const ip_texts[] = {
	"我司系“{b}”商标权利人（注册号第{n}号），发现{f}店铺“{m}”销售的{p}"
	"未经授权使用我司商标，涉嫌假冒，请求删除链接并赔偿损失。",
	"我司对“{m}”在{f}销售的{p}进行了公证购买，经比对为仿冒“{b}”的产品，"
	"侵犯我司注册商标专用权（第{n}号）。",
	"“{m}”在{f}销售标有“{b}”商标的{p}，售价明显低于市场价，经鉴定非我司"
	"产品，请求平台处理。",
};

static const char *const diversion_texts[] = {
	"我司授权经销商“{m}”合同约定销售区域为{q}，经扫码溯源发现其通过{f}"
	"店铺向{r}销售我司{p}，违反区域约定，扰乱价格体系。",
	"经对{r}市场流通的“{b}”{p}扫码核查，共{k}件产品的物流码对应{q}经销商"
	"“{m}”，请求依约处理。",
	"“{m}”为我司{q}区域经销商，近期在{f}低价向{r}窜货销售{p}，我司已多次"
	"发函制止无果。",
};

static const char *const demand_texts[] = {
	[0] = "要求全额退款。",       /* refund */
	[1] = "要求退货退款。",       /* return */
	[2] = "要求更换同款新品。",   /* exchange */
	[3] = "要求免费维修。",       /* repair */
	[4] = "要求赔偿损失。",       /* compensation */
};
static const char *const remedy_codes[] = {
	"refund", "return", "exchange", "repair", "compensation",
};
static const char *const remedy_verbs[] = {
	"退还货款", "退货并退还货款", "更换新品并补偿", "免费维修并补偿",
	"赔偿",
};

static const char *const merchant_replies[] = {
	"已按平台规则处理，商品出库前均经过质检，不存在质量问题。",
	"商品已签收超过七天，不符合无理由退货条件。",
	"商品已拆封使用，影响二次销售，只能折价处理。",
	"同意退货退款，但来回运费需由买家承担。",
	"已多次联系买家协商，买家要求的赔偿金额过高。",
	"愿意为买家补发或换货，不同意全额退款。",
	"系物流公司原因造成，已向快递公司发起理赔。",
	"买家反映的问题属于正常使用损耗，不在保修范围内。",
	"页面描述确有不准确之处，已修改，愿意给予适当补偿。",
	"店铺所售商品均有正规进货凭证，保证正品。",
	"客服已对相关人员批评教育，愿意向买家道歉并给予补偿。",
	"订单异常系平台支付系统原因，已提交平台核实。",
	"本店从未泄露客户信息，推销电话与本店无关。",
};

static const char *const ip_replies[] = {
	"商品系从正规渠道进货，有进货发票，不构成侵权，已提交反通知。",
	"已下架涉事链接，愿与权利人协商赔偿。",
	"所售商品为平行进口正品，不同意删除链接。",
};

static const char *const diversion_replies[] = {
	"所涉货物系下游客户自行转售，我司并未跨区域销售。",
	"承认部分货物流向区域外，愿意按合同约定承担违约责任。",
	"扫码数据存在误差，请品牌方提供完整的溯源记录。",
};

static const char *const supplements[] = {
	"补充提交了订单截图、聊天记录和商品照片。",
	"已补充身份证明复印件和付款凭证。",
	"补充提交快递面单和开箱视频截图。",
	"补充说明：商家客服曾在聊天中承认商品有问题。",
};

static const char *const mediator_notes[] = {
	"已电话联系商家客服，对方表示三个工作日内给出处理意见。",
	"已告知消费者调解程序、权利义务及所需材料。",
	"商家负责人电话无人接听，已发送短信提醒其配合调解。",
	"消费者表示可以接受部分退款，具体金额待与商家协商。",
	"双方对商品是否存在质量问题各执一词，建议送检。",
	"已调取平台交易快照，页面描述与消费者所述一致。",
};

static const char *const transfer_notes[] = {
	"涉嫌违法经营，移交属地市场监管部门处理。",
	"商家注册地不在本辖区，转交商家所在地处理。",
	"涉嫌诈骗，建议消费者同时向公安机关报案。",
};

static const char *const not_accept_notes[] = {
	"经审查，不符合受理条件，已告知投诉人其他救济途径。",
	"已书面告知投诉人不予受理的理由，可向人民法院起诉或申请仲裁。",
};

static const char *const end_notes[] = {
	"双方分歧较大，经多次调解未能达成一致。",
	"商家明确表示不接受调解。",
	"消费者两次未按约参加调解。",
	"双方对检测机构的选择无法达成一致。",
};

static const char *const send_back_comments[] = {
	"请补充商家的书面答复意见后再提交。",
	"不予受理的理由请引用具体条款。",
	"调解协议金额与协议文本不一致，请核对。",
	"结案报告缺少消费者的确认记录。",
};

static const char *const reopen_reasons[] = {
	"消费者反映商家未按协议履行，申请复查。",
	"发现新的证据，需重新核查处理结果。",
};

static const char *const report_results[] = {
	"已立案调查", "不予立案", "已责令整改", "移交属地处理",
};

static const char *const chat_buyer[] = {
	"你好，我收到的{p}有问题，怎么处理？",
	"商品和页面描述不一样，我要退货。",
	"已经等了好几天了，什么时候给我处理？",
	"你们之前说好的可以退，现在怎么又不行了？",
	"照片已经发给你们了，请尽快答复。",
	"如果不处理我就投诉了。",
};

static const char *const chat_seller[] = {
	"亲，麻烦提供一下商品照片和视频哦。",
	"亲，这个需要核实一下，请耐心等待。",
	"这个属于人为损坏，不在售后范围内。",
	"亲，已经超过售后期了，没办法处理。",
	"可以给您补偿十元优惠券，您看可以吗？",
	"我们这边反馈给仓库了，有结果通知您。",
};

/* ---- the staff ---- */

enum staff {
	ST_ZHANG, ST_LI, ST_WANG, ST_LIU,      /* mediators */
	ST_CHEN, ST_ZHAO, ST_SUN,              /* supervisors */
	ST_DESK,
	STAFF_COUNT
};
#define MEDIATORS 4

static const struct {
	const char *login, *name;
	enum wq_role role;
} staff_defs[STAFF_COUNT] = {
	{"zhang.wei", "张伟", WQ_ROLE_MEDIATOR},
	{"li.na", "李娜", WQ_ROLE_MEDIATOR},
	{"wang.fang", "王芳", WQ_ROLE_MEDIATOR},
	{"liu.yang", "刘洋", WQ_ROLE_MEDIATOR},
	{"chen.jie", "陈杰", WQ_ROLE_SUPERVISOR},
	{"zhao.min", "赵敏", WQ_ROLE_SUPERVISOR},
	{"sun.li", "孙丽", WQ_ROLE_SUPERVISOR},
	{"desk.gz", "黄晓琳", WQ_ROLE_DESK},
};
static const unsigned mediator_weights[MEDIATORS] = {35, 25, 22, 18};

static bool is_supervisor(int who)
{
	return who == ST_CHEN || who == ST_ZHAO || who == ST_SUN;
}

/* ---- the run ---- */

struct merchant {
	char name[96];
	char shop_id[24];
	enum platform platform;
	enum trade trade;
	unsigned region;
	bool distributor;
};

struct person {
	char name[40], phone[16], id_number[20];
	unsigned region;
};

/* A case in flight: its plan and where it stands. */
struct sim {
	time_t next;             /* when its next step happens */
	uint32_t seq;            /* arrival order: breaks ties in time */
	int32_t base_day;        /* the local day the facts date from */
	int64_t id, dup_of, offer;
	uint64_t rng, facts_seed;
	uint8_t steps[MAX_STEPS], nsteps, pc;
	uint8_t handler, submitter, approver;
	uint8_t track;           /* 0 the case, 1 its report check */
	int8_t serial;           /* a serial complainant's index, or -1 */
	bool offer_by_consumer, slow, from_need_info;
};

struct dup_entry {
	int64_t id;
	uint64_t facts_seed;
	int32_t base_day;
	int8_t serial;
};

struct demo {
	struct wq_store *store;
	struct wq_user staff[STAFF_COUNT];
	struct wq_calendar *cal;
	struct merchant merchants[MERCHANTS];
	uint32_t merchant_cum[MERCHANTS];   /* cumulative pick weights */
	struct person serials[SERIALS];
	uint64_t seed;
	time_t now, start, last;
	struct wq_stmt *case_number;
	struct dup_entry ring[DUP_RING];
	unsigned ring_len;
	struct sim *heap;
	size_t heap_len, heap_cap;
	struct wq_demo_result *res;
	int64_t ops;
};

/* ---- text ---- */

struct text {
	char s[1536];
	size_t len;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (n > sizeof(t->s) - 1 - t->len)
		n = sizeof(t->s) - 1 - t->len;
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void text_put(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

static void text_printf(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void text_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->s + t->len, sizeof(t->s) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n < sizeof(t->s) - t->len
				  ? (size_t)n
				  : sizeof(t->s) - 1 - t->len;
}

/* The values a template's {x} placeholders stand for. */
struct vars {
	const char *v[26];
};

/* Expands a phrase template.  The templates are constant tables, so their
 * placeholders are plain lookups rather than printf formats. */
static void text_tmpl(struct text *t, const char *tmpl, const struct vars *v)
{
	const char *p = tmpl;

	while (*p) {
		const char *open = strchr(p, '{');

		if (!open || !open[1] || open[2] != '}' || open[1] < 'a' ||
		    open[1] > 'z') {
			text_put(t, p);
			return;
		}
		text_add(t, p, (size_t)(open - p));
		if (v->v[open[1] - 'a'])
			text_put(t, v->v[open[1] - 'a']);
		p = open + 3;
	}
}

static void yuan(char out[24], int64_t fen)
{
	snprintf(out, 24, "%" PRId64 ".%02d", fen / 100, (int)(fen % 100));
}

static void digits(uint64_t *s, char *out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (char)('0' + below(s, 10));
	out[n] = '\0';
}

/* ---- time ---- */

/* The moment minute_of_day past local midnight of day. */
static time_t local_time(int day, int minute_of_day, int second)
{
	struct tm tm;
	time_t t = (time_t)day * 86400;

	gmtime_r(&t, &tm);
	tm.tm_hour = minute_of_day / 60;
	tm.tm_min = minute_of_day % 60;
	tm.tm_sec = second;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* Short Chinese date "9月3日" for the parties' own words. */
static void cn_date(int day, char out[24])
{
	char iso[11];

	wq_date_format(day, iso);
	snprintf(out, 24, "%d月%d日", atoi(iso + 5), atoi(iso + 8));
}

/* Staff act in office hours on working days: a step "lo to hi working
 * days later" lands at a random office time of that day; "0 days" means
 * later the same day if the office is still open. */
static time_t office_after(struct demo *d, uint64_t *rng, time_t t, int lo,
			   int hi)
{
	int n = lo + (int)below(rng, (uint32_t)(hi - lo + 1));
	int today = wq_local_day(t);

	if (n == 0) {
		time_t soon = t + 600 + below(rng, 3 * 3600);
		struct tm tm;

		localtime_r(&soon, &tm);
		if (wq_local_day(soon) == today && tm.tm_hour >= 9 &&
		    tm.tm_hour < 18 && wq_cal_is_workday(d->cal, today))
			return soon;
		n = 1;
	}
	int day = wq_cal_add_workdays(d->cal, today, n, NULL);
	/* 9:00 to 17:59, thinner over lunch. */
	int minute = 9 * 60 + (int)below(rng, 9 * 60);

	if (minute >= 12 * 60 && minute < 13 * 60 && chance(rng, 60))
		minute += 90;
	return local_time(day, minute, (int)below(rng, 60));
}

/* Complaints arrive all week, mostly by day and in the evening. */
static const unsigned hour_weights[24] = {
	1, 1, 0, 0, 0, 0, 1, 3, 6, 9, 11, 11, 8, 8, 10, 10, 9, 8, 7, 8, 9, 8,
	5, 2,
};

static int cmp_time(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;

	return (x > y) - (x < y);
}

/* The days the complaints arrive over: WINDOW_DAYS, or as many more as
 * keep to MAX_CASES_PER_DAY. */
static int64_t arrival_days(int64_t cases)
{
	int64_t days = (cases + MAX_CASES_PER_DAY - 1) / MAX_CASES_PER_DAY;

	return days < WINDOW_DAYS ? WINDOW_DAYS : days;
}

static time_t *arrival_times(struct demo *d, int64_t n)
{
	time_t *times = wq_xcalloc((size_t)n, sizeof(*times));
	uint64_t rng = d->seed ^ 0x5eedf00dull;
	int first = wq_local_day(d->start), last = wq_local_day(d->now);

	for (int64_t i = 0; i < n; i++) {
		for (;;) {
			int day = first + (int)below(&rng,
						     (uint32_t)(last - first + 1));
			int hour = (int)pick_weighted(&rng, hour_weights, 24);
			int wd = wq_date_weekday(day);
			time_t t = local_time(day, hour * 60 +
						      (int)below(&rng, 60),
					      (int)below(&rng, 60));

			/* Weekends and holidays bring fewer complaints. */
			if ((wd >= 6 || !wq_cal_is_workday(d->cal, day)) &&
			    chance(&rng, 35))
				continue;
			if (t <= d->start || t > d->now)
				continue;
			times[i] = t;
			break;
		}
	}
	qsort(times, (size_t)n, sizeof(*times), cmp_time);
	return times;
}

/* ---- generated parties ---- */

static void make_name(uint64_t *s, char *out, size_t size)
{
	/* Common surnames are much more common. */
	unsigned i = below(s, 100) < 60 ? below(s, 20)
					 : below(s, N_ELEMS(surnames));
	const char *g1 = PICK(s, given_chars);

	if (chance(s, 70))
		snprintf(out, size, "%s%s%s", surnames[i], g1,
			 PICK(s, given_chars));
	else
		snprintf(out, size, "%s%s", surnames[i], g1);
}

static void make_phone(uint64_t *s, char out[16])
{
	char rest[9];

	digits(s, rest, 8);
	snprintf(out, 16, "%s%s", PICK(s, mobile_prefixes), rest);
}

/* A resident ID number (GB 11643): area, birth date, sequence, check. */
static void make_id_number(uint64_t *s, const char *area, char out[20])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3,
				  7, 9, 10, 5, 8, 4, 2};
	int year = 1958 + (int)below(s, 30) + (int)below(s, 18);
	int month = 1 + (int)below(s, 12), day = 1 + (int)below(s, 28);
	int sum = 0;

	snprintf(out, 20, "%.6s%04d%02d%02d%03d", area, year, month, day,
		 (int)below(s, 1000));
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* A unified social credit code (GB 32100): what a company shows where a
 * person shows an ID number. */
static void make_credit_code(uint64_t *s, const char *area, char out[20])
{
	static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20,
				  29, 25, 13, 8, 24, 10, 30, 28};
	static const int ow[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0, c;

	snprintf(out, 20, "91%.6s", area);
	digits(s, out + 8, 8);
	for (int i = 0; i < 8; i++)
		sum += (out[8 + i] - '0') * ow[i];
	c = 11 - sum % 11;
	out[16] = c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
	sum = 0;
	for (int i = 0; i < 17; i++) {
		const char *p = strchr(cs, out[i]);

		sum += (int)(p - cs) * w[i];
	}
	c = 31 - sum % 31;
	out[17] = cs[c == 31 ? 0 : c];
	out[18] = '\0';
}

static void make_shop_id(uint64_t *s, enum platform pf, char out[24])
{
	static const char alnum[] =
		"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";

	switch (pf) {
	case PF_JD:
		out[0] = '1';
		out[1] = '0';
		digits(s, out + 2, 6);
		break;
	case PF_DOUYIN:
	case PF_XHS:
		for (int i = 0; i < 8; i++)
			out[i] = alnum[below(s, sizeof(alnum) - 1)];
		out[8] = '\0';
		break;
	case PF_XIANYU:
		out[0] = '2';
		digits(s, out + 1, 12);
		break;
	case PF_KUAISHOU:
		out[0] = '1' + (char)below(s, 9);
		digits(s, out + 1, 9);
		break;
	default:
		out[0] = '1' + (char)below(s, 9);
		digits(s, out + 1, 8);
		break;
	}
}

static void make_order_no(uint64_t *s, enum platform pf, int day,
			  char out[32])
{
	char iso[11], tail[20];

	switch (pf) {
	case PF_PDD:
		wq_date_format(day, iso);
		digits(s, tail, 15);
		snprintf(out, 32, "%.2s%.2s%.2s-%s", iso + 2, iso + 5, iso + 8,
			 tail);
		break;
	case PF_JD:
		digits(s, tail, 11);
		snprintf(out, 32, "2%s", tail);
		break;
	case PF_DOUYIN:
		digits(s, tail, 17);
		snprintf(out, 32, "69%s", tail);
		break;
	case PF_MEITUAN:
		digits(s, tail, 18);
		snprintf(out, 32, "5%s", tail);
		break;
	default:
		digits(s, tail, 18);
		snprintf(out, 32, "%c%s", '1' + (char)below(s, 4), tail);
		break;
	}
}

static const char *const shop_suffixes[PF_COUNT][3] = {
	[PF_TAOBAO] = {"{c}{t}小店", "{c}的{t}铺子", "{c}{t}工作室"},
	[PF_TMALL] = {"{c}{t}旗舰店", "{c}{t}专营店", "{c}官方旗舰店"},
	[PF_JD] = {"{c}{t}专营店", "{c}官方旗舰店", "{c}{t}旗舰店"},
	[PF_PDD] = {"{c}{t}专营店", "{c}百货店", "{c}{t}工厂店"},
	[PF_DOUYIN] = {"{c}{t}官方旗舰店", "{c}严选好物", "{c}{t}直播间"},
	[PF_KUAISHOU] = {"{c}{t}好物店", "{c}源头工厂", "{c}{t}直播间"},
	[PF_MEITUAN] = {"{c}餐厅（{d}店）", "{c}火锅（{d}店）", "{c}烘焙"},
	[PF_XIANYU] = {"{c}的闲置", "{c}二手{t}", "{c}数码回收"},
	[PF_VIP] = {"{c}{t}特卖", "{c}{t}特卖会", "{c}品牌折扣"},
	[PF_XHS] = {"{c}{t}福利社", "{c}的{t}小铺", "{c}{t}买手店"},
};

static void make_merchants(struct demo *d)
{
	uint64_t rng = d->seed ^ 0x6d65726368616e74ull;
	uint32_t cum = 0;

	for (int i = 0; i < MERCHANTS; i++) {
		struct merchant *m = &d->merchants[i];
		const struct region *r;
		struct vars v = {{0}};
		struct text t = {.len = 0};

		m->distributor = i >= MERCHANTS - DISTRIBUTORS;
		m->region = pick_weighted(&rng, (const unsigned[]){
			14, 12, 7, 5, 10, 6, 11, 5, 9, 4, 8, 7, 5, 7, 5, 5,
			5, 3, 5, 3, 3, 3, 2, 2}, N_ELEMS(regions));
		r = &regions[m->region];
		m->platform = (enum platform)pick_weighted(
			&rng, platform_weights, PF_COUNT);
		m->trade = (enum trade)pick_weighted(&rng, trade_weights,
						     TR_COUNT);
		/* Restaurants sell on Meituan and Meituan sells meals. */
		if (m->trade == TR_CATERING)
			m->platform = PF_MEITUAN;
		else if (m->platform == PF_MEITUAN)
			m->trade = TR_CATERING;
		if (m->distributor) {
			static const enum trade dt[] = {
				TR_FOOD, TR_LIQUOR, TR_BEAUTY, TR_MATERNAL,
				TR_HOME, TR_DIGITAL};

			m->trade = PICK(&rng, dt);
			if (m->platform == PF_MEITUAN)
				m->platform = PF_PDD;
		}
		v.v['c' - 'a'] = PICK(&rng, name_cores);
		v.v['t' - 'a'] = trade_names[m->trade];
		v.v['d' - 'a'] = r->district;
		if (m->distributor) {
			text_put(&t, r->city);
			text_tmpl(&t, "{c}商贸有限公司", &v);
		} else {
			text_tmpl(&t, shop_suffixes[m->platform][below(&rng, 3)],
				  &v);
		}
		/* The parts are short: the name always fits. */
		memcpy(m->name, t.s, t.len < sizeof(m->name) ? t.len + 1
							     : sizeof(m->name));
		m->name[sizeof(m->name) - 1] = '\0';
		make_shop_id(&rng, m->platform, m->shop_id);

		/* A long tail, and a few shops that draw complaints by the
		 * hundred: the repeat offenders a supervisor should see. */
		uint32_t w = 600 / (1 + i / 10);

		if (i < OFFENDERS)
			w = 1500;
		cum += w + 20;
		d->merchant_cum[i] = cum;
	}
}

static unsigned pick_merchant(struct demo *d, uint64_t *s, bool distributor)
{
	if (distributor)
		return MERCHANTS - DISTRIBUTORS + below(s, DISTRIBUTORS);
	uint32_t r = below(s, d->merchant_cum[MERCHANTS - DISTRIBUTORS - 1]);
	unsigned lo = 0, hi = MERCHANTS - DISTRIBUTORS - 1;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (d->merchant_cum[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static void make_person(uint64_t *s, struct person *p)
{
	p->region = pick_weighted(s, (const unsigned[]){
		14, 12, 7, 5, 10, 6, 11, 5, 9, 4, 8, 7, 5, 7, 5, 5, 5, 3, 5,
		3, 3, 3, 2, 2}, N_ELEMS(regions));
	make_name(s, p->name, sizeof(p->name));
	make_phone(s, p->phone);
	make_id_number(s, regions[p->region].code, p->id_number);
}

/* ---- the facts of one case ---- */

enum ctype { CT_COMPLAINT, CT_IP, CT_DIVERSION };

static const char *const ctype_names[] = {"complaint", "ip", "diversion"};

enum category {
	CAT_QUALITY, CAT_REFUND, CAT_ADVERTISING, CAT_COUNTERFEIT,
	CAT_DIVERSION, CAT_DELIVERY, CAT_PAYMENT, CAT_SERVICE, CAT_PRIVACY,
	CAT_OTHER, CAT_COUNT
};

static const char *const category_codes[CAT_COUNT] = {
	"quality", "refund", "advertising", "counterfeit", "diversion",
	"delivery", "payment", "service", "privacy", "other",
};
static const unsigned category_weights[CAT_COUNT] = {
	26, 20, 9, 8, 3, 12, 5, 7, 4, 6,
};

struct facts {
	enum ctype type;
	enum category category;
	unsigned region;          /* where the case is handled */
	unsigned merchant;
	int product;
	int brand;                /* ip and diversion: the complainant */
	int serial;               /* a serial complainant, or -1 */
	unsigned assigned_region; /* diversion: the distributor's area */
	int remedy;
	int64_t amount_fen;
	int order_day;
	char order_no[32];
	struct person who;        /* the complainant */
	uint64_t text_seed;
};

static int product_of_trade(uint64_t *s, enum trade trade)
{
	int candidates[16], n = 0;

	for (int i = 0; i < (int)N_ELEMS(products) && n < 16; i++)
		if (products[i].trade == trade)
			candidates[n++] = i;
	return candidates[below(s, (uint32_t)n)];
}

static int64_t price_of(uint64_t *s, const struct product *p)
{
	double u = unit(s);
	/* Cheap goods are bought, and complained about, far more often. */
	int i = p->lo + (int)((p->hi - p->lo + 1) * u * u);
	int64_t fen;

	if (i > p->hi)
		i = p->hi;
	fen = ladder[i];
	if (fen < 100000 && chance(s, 15))
		fen *= 2;
	if (chance(s, 30)) {
		static const int coupons[] = {300, 500, 1000, 2000, 5000};
		int c = PICK(s, coupons);

		if (fen > 3 * c)
			fen -= c;
	}
	if (fen > 1999900)
		fen = 1999900;
	return fen < 1990 ? 1990 : fen;
}

/* Everything about a case but its course, from one seed, so a duplicate
 * complaint can restate the very same order. */
static void make_facts(struct demo *d, uint64_t seed, int base_day,
		       int serial, struct facts *f)
{
	uint64_t s = seed;
	const struct merchant *m;

	memset(f, 0, sizeof(*f));
	f->serial = serial;
	f->brand = -1;
	if (serial >= 0) {
		static const enum category sc[] = {
			CAT_ADVERTISING, CAT_QUALITY, CAT_COUNTERFEIT};

		f->category = PICK(&s, sc);
		f->type = CT_COMPLAINT;
	} else {
		f->category = (enum category)pick_weighted(
			&s, category_weights, CAT_COUNT);
		f->type = f->category == CAT_DIVERSION ? CT_DIVERSION
			  : f->category == CAT_COUNTERFEIT && chance(&s, 45)
				  ? CT_IP
				  : CT_COMPLAINT;
	}
	f->merchant = pick_merchant(d, &s, f->type == CT_DIVERSION);
	m = &d->merchants[f->merchant];
	if (serial >= 0) {
		static const enum trade ft[] = {TR_FOOD, TR_LIQUOR,
						TR_MATERNAL};

		f->product = product_of_trade(&s, PICK(&s, ft));
	} else {
		f->product = product_of_trade(&s, m->trade);
	}

	if (f->type == CT_COMPLAINT) {
		if (serial >= 0)
			f->who = d->serials[serial];
		else
			make_person(&s, &f->who);
		f->region = f->who.region;
	} else {
		/* The rights holder or brand owner complains as a company:
		 * its contact's mobile and its credit code. */
		int candidates[N_ELEMS(brands)], n = 0;

		for (int i = 0; i < (int)N_ELEMS(brands); i++)
			if (brands[i].trade == m->trade)
				candidates[n++] = i;
		f->brand = n ? candidates[below(&s, (uint32_t)n)]
			     : (int)below(&s, N_ELEMS(brands));
		f->product = product_of_trade(&s, brands[f->brand].trade);
		snprintf(f->who.name, sizeof(f->who.name), "%s",
			 brands[f->brand].company);
		make_phone(&s, f->who.phone);
		make_credit_code(&s, regions[brands[f->brand].region].code,
				 f->who.id_number);
		f->who.region = brands[f->brand].region;
		f->region = f->who.region;
		if (f->type == CT_DIVERSION) {
			/* Goods allotted to the distributor's province turn
			 * up somewhere else. */
			f->assigned_region = m->region;
			do {
				f->region = below(&s, N_ELEMS(regions));
			} while (strcmp(regions[f->region].province,
					regions[m->region].province) == 0);
		}
	}

	f->amount_fen = price_of(&s, &products[f->product]);
	{
		int back = 1 + (int)(unit(&s) * unit(&s) * 60);

		if (chance(&s, 3))
			back += 200 + (int)below(&s, 900);
		f->order_day = base_day - back;
	}
	make_order_no(&s, m->platform, f->order_day, f->order_no);
	switch (f->category) {
	case CAT_QUALITY:
		f->remedy = (int)below(&s, 4);
		break;
	case CAT_REFUND:
	case CAT_PAYMENT:
	case CAT_OTHER:
		f->remedy = chance(&s, 70) ? 0 : 1;
		break;
	case CAT_DELIVERY:
		f->remedy = chance(&s, 60) ? 0 : 2;
		break;
	case CAT_ADVERTISING:
	case CAT_COUNTERFEIT:
		f->remedy = chance(&s, 55) ? 4 : 1;
		break;
	default:
		f->remedy = 4;
		break;
	}
	if (f->type != CT_COMPLAINT || serial >= 0)
		f->remedy = 4;
	f->text_seed = next_u64(&s);
}

static void facts_vars(struct demo *d, const struct facts *f,
		       struct vars *v, char amount[24], char date[24],
		       char count[8], char regno[12], uint64_t *s)
{
	const struct merchant *m = &d->merchants[f->merchant];

	memset(v, 0, sizeof(*v));
	yuan(amount, f->amount_fen);
	cn_date(f->order_day, date);
	snprintf(count, 8, "%d", 20 + (int)below(s, 400));
	snprintf(regno, 12, "%d", 10000000 + (int)below(s, 60000000));
	v->v['p' - 'a'] = products[f->product].name;
	v->v['m' - 'a'] = m->name;
	v->v['f' - 'a'] = platform_names[m->platform];
	v->v['a' - 'a'] = amount;
	v->v['d' - 'a'] = date;
	v->v['r' - 'a'] = regions[f->region].full;
	v->v['q' - 'a'] = regions[f->assigned_region].province;
	v->v['b' - 'a'] = f->brand >= 0 ? brands[f->brand].brand : "";
	v->v['k' - 'a'] = count;
	v->v['n' - 'a'] = regno;
	v->v['c' - 'a'] = PICK(s, ad_claims);
}

static const char *const *category_phrases(enum category c, unsigned *n)
{
#define CASE_LIST(cat, list)                                                   \
	case cat:                                                              \
		*n = N_ELEMS(list);                                            \
		return list
	switch (c) {
	CASE_LIST(CAT_QUALITY, complaint_quality);
	CASE_LIST(CAT_REFUND, complaint_refund);
	CASE_LIST(CAT_ADVERTISING, complaint_advertising);
	CASE_LIST(CAT_COUNTERFEIT, complaint_counterfeit);
	CASE_LIST(CAT_DELIVERY, complaint_delivery);
	CASE_LIST(CAT_PAYMENT, complaint_payment);
	CASE_LIST(CAT_SERVICE, complaint_service);
	CASE_LIST(CAT_PRIVACY, complaint_privacy);
	default:
		break;
	}
	*n = N_ELEMS(complaint_other);
	return complaint_other;
#undef CASE_LIST
}

/* The complainant's first statement.  variant > 0 rewords it, as people
 * do when they file the same complaint again. */
static void complaint_text(struct demo *d, const struct facts *f,
			   unsigned variant, struct text *t)
{
	uint64_t s = f->text_seed + variant * 0x9e3779b97f4a7c15ull;
	char amount[24], date[24], count[8], regno[12];
	struct vars v;
	unsigned n;
	const char *const *list;

	facts_vars(d, f, &v, amount, date, count, regno, &s);
	if (f->type == CT_IP) {
		text_tmpl(t, PICK(&s, ip_texts), &v);
		return;
	}
	if (f->type == CT_DIVERSION) {
		text_tmpl(t, PICK(&s, diversion_texts), &v);
		return;
	}
	text_tmpl(t, PICK(&s, complaint_open), &v);
	if (f->serial >= 0) {
		text_tmpl(t, PICK(&s, serial_texts), &v);
		return;
	}
	list = category_phrases(f->category, &n);
	text_tmpl(t, list[below(&s, n)], &v);
	if (variant)
		text_put(t, "此前已投诉过，至今没有结果。");
	text_put(t, demand_texts[f->remedy]);
}

static void reply_text(const struct facts *f, uint64_t *s, struct text *t)
{
	if (f->type == CT_IP)
		text_put(t, PICK(s, ip_replies));
	else if (f->type == CT_DIVERSION)
		text_put(t, PICK(s, diversion_replies));
	else
		text_put(t, PICK(s, merchant_replies));
}

/* ---- evidence ---- */

static void chat_log(struct demo *d, const struct facts *f, uint64_t *s,
		     time_t received, struct text *t)
{
	struct vars v = {{0}};
	int lines = 2 + (int)below(s, 3);
	time_t at = local_time(f->order_day + 2 + (int)below(s, 3),
			       9 * 60 + (int)below(s, 12 * 60),
			       (int)below(s, 60));

	(void)d;
	if (at >= received)
		at = received - 86400;
	v.v['p' - 'a'] = products[f->product].name;
	for (int i = 0; i < lines; i++) {
		struct tm tm;

		localtime_r(&at, &tm);
		text_printf(t, "%04d-%02d-%02d %02d:%02d:%02d ",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec);
		text_put(t, i % 2 ? "卖家: " : "买家: ");
		text_tmpl(t, i % 2 ? PICK(s, chat_seller) : PICK(s, chat_buyer),
			  &v);
		text_put(t, "\n");
		at += 60 + below(s, 4 * 3600);
	}
}

static void order_record(struct demo *d, const struct facts *f, uint64_t *s,
			 struct text *t)
{
	const struct merchant *m = &d->merchants[f->merchant];
	char iso[11], amount[24];

	wq_date_format(f->order_day, iso);
	yuan(amount, f->amount_fen);
	text_printf(t,
		    "订单号：%s\n下单时间：%s %02d:%02d:%02d\n商品：%s\n"
		    "数量：1\n实付款：¥%s\n店铺：%s（%s）\n收货地区：%s\n",
		    f->order_no, iso, 8 + (int)below(s, 15),
		    (int)below(s, 60), (int)below(s, 60),
		    products[f->product].name, amount, m->name,
		    platform_names[m->platform], regions[f->who.region].full);
}

static void logistics_record(const struct facts *f, uint64_t *s,
			     struct text *t)
{
	char no[16], iso[11];
	static const char *const carriers[] = {"SF", "YT", "ZTO", "JD",
					       "YD"};

	digits(s, no, 12);
	text_printf(t, "运单号：%s%s\n", PICK(s, carriers), no);
	for (int i = 0; i < 3; i++) {
		static const char *const st[] = {"已揽收", "运输中",
						  "已签收，签收人：驿站代收"};

		wq_date_format(f->order_day + 1 + i, iso);
		text_printf(t, "%s %02d:%02d %s\n", iso,
			    8 + (int)below(s, 12), (int)below(s, 60), st[i]);
	}
}

static void scan_trace(const struct facts *f, uint64_t *s, struct text *t)
{
	char iso[11];
	int n = 3 + (int)below(s, 4);

	text_put(t, "溯源码,计划销售区域,扫码地点,扫码日期\n");
	for (int i = 0; i < n; i++) {
		char code[20];

		digits(s, code, 16);
		wq_date_format(f->order_day + (int)below(s, 5), iso);
		text_printf(t, "%s,%s,%s,%s\n", code,
			    regions[f->assigned_region].province,
			    regions[f->region].full, iso);
	}
}

/* ---- the course of a case ---- */

enum step {
	S_INTAKE, S_REPORT, S_CLAIM, S_REPLY, S_FLAG, S_DUPLICATE,
	S_NEED_INFO, S_INFO_RECEIVED, S_SCREEN, S_ACCEPT, S_NOT_ACCEPT,
	S_TRANSFER, S_ODR, S_ODR_SETTLED, S_ODR_FAILED, S_START, S_SESSION,
	S_TESTING, S_TESTED, S_AWAIT_CONSUMER, S_NOTE, S_OFFER, S_COUNTER,
	S_AGREE, S_WATCH, S_PERFORMED, S_UNPERFORMED, S_SETTLE, S_WITHDRAW,
	S_END, S_END_LATE, S_NOTIFY, S_REASSIGN, S_SUBMIT, S_SEND_BACK,
	S_APPROVE1, S_APPROVE2, S_REPORT_DONE, S_REOPEN, S_GIVE_UP,
	S_IP_MEASURES, S_IP_REJECT, S_IP_DECLARATION, S_IP_FORWARD,
	S_IP_ACTION_FILED, S_IP_END_MEASURES, S_IP_PUBLISH, S_IP_WRONGFUL,
	S_DV_VERIFY, S_DV_DISMISS, S_DV_PENALTY, S_DV_DISPUTE, S_DV_WITHDRAW,
	S_COUNT
};

/* How many working days after the step before each step happens. */
static const struct {
	int8_t lo, hi;
} delays[S_COUNT] = {
	[S_REPORT] = {0, 0}, [S_CLAIM] = {0, 2}, [S_REPLY] = {1, 3},
	[S_FLAG] = {0, 1}, [S_DUPLICATE] = {0, 1}, [S_NEED_INFO] = {0, 1},
	[S_INFO_RECEIVED] = {2, 6}, [S_SCREEN] = {0, 2}, [S_ACCEPT] = {0, 2},
	[S_NOT_ACCEPT] = {0, 2}, [S_TRANSFER] = {0, 2}, [S_ODR] = {0, 1},
	[S_ODR_SETTLED] = {3, 9}, [S_ODR_FAILED] = {8, 11},
	[S_START] = {1, 3}, [S_SESSION] = {2, 6}, [S_TESTING] = {1, 4},
	[S_TESTED] = {8, 20}, [S_AWAIT_CONSUMER] = {2, 5}, [S_NOTE] = {0, 3},
	[S_OFFER] = {2, 6}, [S_COUNTER] = {1, 4}, [S_AGREE] = {1, 4},
	[S_WATCH] = {0, 2}, [S_PERFORMED] = {3, 10},
	[S_UNPERFORMED] = {8, 15}, [S_SETTLE] = {3, 10},
	[S_WITHDRAW] = {1, 6}, [S_END] = {5, 15}, [S_END_LATE] = {30, 45},
	[S_NOTIFY] = {1, 5}, [S_REASSIGN] = {1, 5}, [S_SUBMIT] = {1, 3},
	[S_SEND_BACK] = {1, 3}, [S_APPROVE1] = {1, 3}, [S_APPROVE2] = {1, 4},
	[S_REPORT_DONE] = {8, 16}, [S_REOPEN] = {3, 15}, [S_GIVE_UP] = {10, 15},
	[S_IP_MEASURES] = {0, 2}, [S_IP_REJECT] = {0, 3},
	[S_IP_DECLARATION] = {2, 8}, [S_IP_FORWARD] = {0, 2},
	[S_IP_ACTION_FILED] = {3, 10},
	/* past the rights holder's 15 calendar days */
	[S_IP_END_MEASURES] = {13, 16},
	[S_IP_PUBLISH] = {0, 3}, [S_IP_WRONGFUL] = {20, 60},
	[S_DV_VERIFY] = {2, 8}, [S_DV_DISMISS] = {2, 10},
	[S_DV_PENALTY] = {5, 20}, [S_DV_DISPUTE] = {5, 20},
	[S_DV_WITHDRAW] = {1, 15},
};

enum outcome {
	O_UNCLAIMED, O_NEED_INFO_ONLY, O_NOT_ACCEPTED,
	O_TRANSFERRED, O_ODR_SETTLED, O_ODR_FAILED, O_WITHDRAWN_EARLY,
	O_AGREED, O_UNPERFORMED, O_SETTLED, O_WITHDRAWN, O_ENDED, O_STALLED,
	O_INFO_THEN_AGREED, O_COUNT
};

/* Per 1000 cases, by case type. */
static const unsigned outcome_weights[3][O_COUNT] = {
	[CT_COMPLAINT] = {30, 50, 70, 40, 50, 30, 30, 300, 30, 120, 50, 100,
			  50, 50},
	[CT_IP] = {20, 0, 100, 100, 0, 0, 0, 400, 0, 200, 50, 130, 0, 0},
	[CT_DIVERSION] = {20, 0, 150, 100, 0, 0, 0, 350, 0, 200, 30, 150, 0,
			  0},
};

static void add(struct sim *c, enum step s)
{
	if (c->nsteps < MAX_STEPS)
		c->steps[c->nsteps++] = (uint8_t)s;
}

static void plan_review(struct sim *c)
{
	add(c, S_SUBMIT);
	if (chance(&c->rng, 6)) {
		add(c, S_SEND_BACK);
		add(c, S_SUBMIT);
	}
	add(c, S_APPROVE1);
	add(c, S_APPROVE2);
	if (chance(&c->rng, 1)) {
		add(c, S_REOPEN);
		add(c, S_SUBMIT);
		add(c, S_APPROVE1);
		add(c, S_APPROVE2);
	}
}

/* Mediation, from acceptance to the outcome. */
static void plan_mediation(struct sim *c, const struct facts *f,
			   enum outcome o)
{
	uint64_t *s = &c->rng;

	add(c, S_SCREEN);
	add(c, S_ACCEPT);
	add(c, S_START);
	if (chance(s, 3))
		add(c, S_REASSIGN);
	if (o == O_STALLED) {
		add(c, S_AWAIT_CONSUMER);
		add(c, S_END_LATE);
		add(c, S_NOTIFY);
		return;
	}
	if (chance(s, 50))
		add(c, S_SESSION);
	if ((f->category == CAT_QUALITY || f->category == CAT_COUNTERFEIT) &&
	    chance(s, 25)) {
		add(c, S_TESTING);
		add(c, S_TESTED);
	}
	if (chance(s, 15))
		add(c, S_AWAIT_CONSUMER);
	if (chance(s, 30))
		add(c, S_NOTE);
	switch (o) {
	case O_AGREED:
	case O_UNPERFORMED:
	case O_ODR_FAILED:
	case O_INFO_THEN_AGREED: {
		int counters = (int)below(s, 100);

		add(c, S_OFFER);
		add(c, S_COUNTER);
		if (counters < 40)
			c->nsteps--;
		else if (counters >= 80)
			add(c, S_COUNTER);
		add(c, S_AGREE);
		add(c, S_WATCH);
		if (o == O_UNPERFORMED) {
			add(c, S_UNPERFORMED);
		} else {
			add(c, S_PERFORMED);
		}
		break;
	}
	/* Withdrawn or settled in mediation: the parties are told that
	 * mediation ended (Order No. 20 art. 21). */
	case O_SETTLED:
		if (chance(s, 50))
			add(c, S_OFFER);
		add(c, S_SETTLE);
		add(c, S_NOTIFY);
		break;
	case O_WITHDRAWN:
		add(c, S_WITHDRAW);
		add(c, S_NOTIFY);
		break;
	default:
		if (chance(s, 50))
			add(c, S_OFFER);
		add(c, S_END);
		add(c, S_NOTIFY);
		break;
	}
}

/* An IP notice (E-Commerce Law arts. 42-45): the outcomes drawn for the
 * type stand for not acting on the notice, measures without a
 * declaration, and a declaration after which the measures stay or end. */
static void plan_ip(struct sim *c, enum outcome o)
{
	uint64_t *s = &c->rng;

	if (o == O_NOT_ACCEPTED) {
		add(c, S_IP_REJECT);
		return;
	}
	add(c, S_IP_MEASURES);
	if (o == O_TRANSFERRED || o == O_WITHDRAWN) {
		if (chance(s, 50))
			add(c, S_IP_PUBLISH);
		return;
	}
	add(c, S_IP_DECLARATION);
	add(c, S_IP_FORWARD);
	add(c, o == O_AGREED ? S_IP_ACTION_FILED : S_IP_END_MEASURES);
	if (chance(s, 60))
		add(c, S_IP_PUBLISH);
	if (o == O_ENDED)
		add(c, S_IP_WRONGFUL);
}

/* A diversion dispute (串货): the brand's claim is dismissed, withdrawn,
 * or the trace is verified and the distributor pays the contract's
 * penalty or disputes it. */
static void plan_diversion(struct sim *c, enum outcome o)
{
	if (o == O_NOT_ACCEPTED) {
		add(c, S_DV_DISMISS);
		return;
	}
	if (o == O_TRANSFERRED || o == O_WITHDRAWN) {
		add(c, S_DV_WITHDRAW);
		return;
	}
	add(c, S_DV_VERIFY);
	if (o == O_ENDED)
		add(c, S_DV_DISPUTE);
	else if (o == O_AGREED || o == O_SETTLED)
		add(c, S_DV_PENALTY);
	else if (o != O_STALLED)
		add(c, S_DV_WITHDRAW);
}

static void plan(struct demo *d, struct sim *c, const struct facts *f,
		 bool duplicate)
{
	uint64_t *s = &c->rng;
	enum outcome o = (enum outcome)pick_weighted(
		s, outcome_weights[f->type], O_COUNT);

	c->nsteps = c->pc = 0;
	c->slow = chance(s, 10);
	/* Left alone only lately: nobody leaves a complaint unclaimed for
	 * months. */
	if (o == O_UNCLAIMED && c->base_day < wq_local_day(d->now) - 5)
		o = O_AGREED;
	add(c, S_INTAKE);
	if (f->type == CT_COMPLAINT &&
	    chance(s, f->category == CAT_ADVERTISING ||
				      f->category == CAT_COUNTERFEIT
			      ? 12
			      : 2))
		add(c, S_REPORT);
	if (o == O_UNCLAIMED && !duplicate)
		return;
	add(c, S_CLAIM);
	add(c, S_REPLY);
	if (f->serial >= 0 && chance(s, 70))
		add(c, S_FLAG);
	if (duplicate) {
		add(c, S_DUPLICATE);
		add(c, f->type == CT_IP		 ? S_IP_REJECT
		       : f->type == CT_DIVERSION ? S_DV_DISMISS
						 : S_NOT_ACCEPT);
		plan_review(c);
		return;
	}
	if (f->type == CT_DIVERSION) {
		plan_diversion(c, o);
		if (o != O_STALLED)
			plan_review(c);
		return;
	}
	if (f->type == CT_IP) {
		plan_ip(c, o);
		plan_review(c);
		return;
	}
	if (f->serial >= 0 && o >= O_AGREED && chance(s, 40))
		o = O_NOT_ACCEPTED;
	switch (o) {
	case O_NEED_INFO_ONLY:
		/* The complainant never brings the papers: after a couple
		 * of weeks the complaint is not accepted. */
		add(c, S_NEED_INFO);
		add(c, S_GIVE_UP);
		break;
	case O_NOT_ACCEPTED:
		if (chance(s, 60))
			add(c, S_SCREEN);
		add(c, S_NOT_ACCEPT);
		break;
	case O_TRANSFERRED:
		add(c, S_TRANSFER);
		break;
	case O_ODR_SETTLED:
		add(c, S_ODR);
		add(c, S_ODR_SETTLED);
		break;
	case O_ODR_FAILED:
		add(c, S_ODR);
		add(c, S_ODR_FAILED);
		plan_mediation(c, f, o);
		break;
	case O_WITHDRAWN_EARLY:
		if (chance(s, 50))
			add(c, S_SCREEN);
		add(c, S_WITHDRAW);
		break;
	case O_INFO_THEN_AGREED:
		add(c, S_NEED_INFO);
		add(c, S_INFO_RECEIVED);
		plan_mediation(c, f, o);
		break;
	default:
		plan_mediation(c, f, o);
		break;
	}
	plan_review(c);
}

/* ---- acting ---- */

static enum wq_err rule(struct demo *d, struct sim *c, int who,
			const char *action, int argc, const char *const *argv,
			struct wq_ruling_result *res)
{
	struct wq_ruling r = {.action = action, .argc = argc, .argv = argv};
	struct wq_ruling_result local;
	enum wq_err err;

	err = wq_rule_tx(d->store, &d->staff[who], c->id, &r,
			 res ? res : &local);
	d->ops++;
	if (err)
		return wq_fail(
		    err, N_("demo case id %" PRId64 ", %s by %s: %s"), c->id,
		    action, d->staff[who].login, wq_err_detail());
	return WQ_ERR_OK;
}

static enum wq_err rule0(struct demo *d, struct sim *c, int who,
			 const char *action)
{
	return rule(d, c, who, action, 0, NULL, NULL);
}

static enum wq_err rule1(struct demo *d, struct sim *c, int who,
			 const char *action, const char *a0)
{
	const char *argv[] = {a0};

	return rule(d, c, who, action, 1, argv, NULL);
}

static enum wq_err rule2(struct demo *d, struct sim *c, int who,
			 const char *action, const char *a0, const char *a1)
{
	const char *argv[] = {a0, a1};

	return rule(d, c, who, action, 2, argv, NULL);
}

/* Attaches evidence; the core records who added what in the audit chain. */
static enum wq_err evidence(struct demo *d, struct sim *c, int who,
			    const char *kind, const char *party,
			    const char *file_name, const struct text *t,
			    bool gb18030)
{
	char *bytes = NULL;
	size_t len = t->len;
	int64_t eid;
	enum wq_err err;

	if (gb18030) {
		/* A file saved on a mainland Windows PC: the core detects
		 * and converts it, and keeps these original bytes. */
		err = wq_enc_from_utf8(t->s, t->len, WQ_ENC_GB18030, &bytes,
				       &len);
		if (err)
			return err;
	}
	err = wq_evidence_add_tx(d->store, &d->staff[who], c->id, kind, party,
				 file_name, bytes ? bytes : t->s, len, NULL,
				 &eid);
	free(bytes);
	if (err)
		return wq_fail(err,
			       N_("demo case id %" PRId64 ", evidence: %s"),
			       c->id, wq_err_detail());
	return WQ_ERR_OK;
}

static int pick_mediator(uint64_t *s)
{
	return (int)pick_weighted(s, mediator_weights, MEDIATORS);
}

static int other_supervisor(int who)
{
	return who == ST_CHEN ? ST_ZHAO : ST_CHEN;
}

static enum wq_err do_intake(struct demo *d, struct sim *c,
			     const struct facts *f)
{
	const struct merchant *m = &d->merchants[f->merchant];
	struct wq_intake in = {0};
	struct text t = {.len = 0};
	char iso[11], at[21], number[32];
	uint64_t *s = &c->rng;
	enum wq_err err;

	complaint_text(d, f, c->dup_of ? 1 : 0, &t);
	wq_date_format(f->order_day, iso);
	wq_time_format(c->next, at);
	in.type = ctype_names[f->type];
	in.category = category_codes[f->category];
	in.region = regions[f->region].full;
	in.consumer_name = f->who.name;
	in.consumer_phone = f->who.phone;
	in.consumer_id_number = f->who.id_number;
	in.merchant_name = m->name;
	in.merchant_platform = platform_names[m->platform];
	in.merchant_shop_id = m->shop_id;
	in.merchant_region = regions[m->region].full;
	in.order_no = f->order_no;
	in.amount_fen = f->amount_fen;
	in.order_date = iso;
	in.remedy = remedy_codes[f->remedy];
	in.statement = t.s;
	in.received_at = at;
	err = wq_case_create_tx(d->store, &d->staff[ST_DESK], &in, &c->id,
				number);
	d->ops++;
	if (err)
		return wq_fail(err, N_("demo intake: %s"), wq_err_detail());
	d->res->cases++;

	/* What the complainant hands in with the complaint. */
	if (f->type == CT_DIVERSION) {
		struct text e = {.len = 0};
		int per_item = 50 + 50 * (int)below(s, 6);
		char batch[24], clause[200];

		scan_trace(f, s, &e);
		snprintf(batch, sizeof(batch), "B%s%03u", iso, below(s, 1000));
		snprintf(clause, sizeof(clause),
			 "《区域经销合同》第五条：仅限在%s范围内销售，违者按每件"
			 "%d元支付违约金。",
			 regions[f->assigned_region].province, per_item);
		err = wq_diversion_add_tx(
			d->store, &d->staff[ST_DESK], c->id,
			&(struct wq_diversion){
				.brand = brands[f->brand].brand,
				.authorised_region =
					regions[f->assigned_region].province,
				.found_region = regions[f->region].full,
				.batch = batch,
				.codes = e.s + strcspn(e.s, "\n") + 1,
				.clause = clause,
				.penalty_fen = (int64_t)per_item * 100,
				.trace = e.s});
		if (err)
			return err;
		err = evidence(d, c, ST_DESK, "scan", "complainant",
			       "扫码溯源记录.csv", &e, false);
		if (!err) {
			e.len = 0;
			text_printf(&e,
				    "《区域经销合同》第五条：乙方仅限在%s范围内"
				    "销售甲方产品，不得跨区域销售；违者按每件"
				    "%d元向甲方支付违约金。\n",
				    regions[f->assigned_region].province,
				    per_item);
			err = evidence(d, c, ST_DESK, "contract",
				       "complainant", "区域经销合同摘录.txt",
				       &e, false);
		}
		return err;
	}
	if (chance(s, 65)) {
		struct text e = {.len = 0};

		chat_log(d, f, s, c->next, &e);
		err = evidence(d, c, ST_DESK, "chat", "complainant",
			       "聊天记录.txt", &e, chance(s, 8));
		if (err)
			return err;
	}
	if (f->type == CT_IP || chance(s, 50)) {
		struct text e = {.len = 0};

		order_record(d, f, s, &e);
		err = evidence(d, c, ST_DESK, "order", "complainant",
			       f->type == CT_IP ? "公证购买订单.txt"
						: "订单详情.txt",
			       &e, false);
	}
	return err;
}

static void amount_text(char out[24], int64_t fen)
{
	yuan(out, fen < 0 ? 0 : fen);
}

/* What a party offers: the merchant starts low, the complainant asks for
 * the price or the statutory damages, and they meet in between. */
static enum wq_err do_offer(struct demo *d, struct sim *c,
			    const struct facts *f, bool counter)
{
	uint64_t *s = &c->rng;
	bool consumer = counter ? !c->offer_by_consumer : false;
	int64_t price = f->amount_fen;
	const char *remedy = remedy_codes[f->remedy];
	char amount[24], offer_id[24];
	struct text terms = {.len = 0};
	struct wq_ruling_result res;
	enum wq_err err;

	if (f->type != CT_COMPLAINT) {
		/* Compensation for an IP notice or a breach of the region
		 * clause: thousands, not the test purchase's price. */
		int64_t base = 200000 + 100000 * (int64_t)below(s, 28);

		amount_text(amount, consumer ? base * 2 : base);
		text_put(&terms, f->type == CT_IP ? "下架全部涉嫌侵权链接"
						  : "停止跨区域销售并支付违约金");
	} else if (consumer && (f->category == CAT_COUNTERFEIT ||
				f->category == CAT_ADVERTISING ||
				f->serial >= 0)) {
		/* Fraud: Consumer Rights Protection Law art. 55, or the Food
		 * Safety Law for food. */
		snprintf(amount, sizeof(amount), "%s",
			 products[f->product].food ? "fsl148" : "crpl55");
		remedy = "compensation";
		text_put(&terms, "退一赔三（食品退一赔十）");
	} else if (consumer) {
		amount_text(amount, price);
		text_put(&terms, "全额退款，运费由商家承担");
	} else {
		int pct = counter ? 60 + (int)below(s, 35)
				  : 30 + (int)below(s, 50);

		amount_text(amount, price * pct / 100 / 100 * 100);
		text_put(&terms, PICK(s, ((const char *const[]){
			"退货退款，运费由买家承担", "部分退款，商品无需退回",
			"补发新品并补偿运费", "退款后赠送优惠券"})));
	}
	if (counter) {
		const char *argv[] = {offer_id, remedy, amount, terms.s};

		snprintf(offer_id, sizeof(offer_id), "%" PRId64, c->offer);
		err = rule(d, c, c->handler, "counter", 4, argv, &res);
	} else {
		const char *argv[] = {"respondent", remedy, amount, terms.s};

		err = rule(d, c, c->handler, "offer", 4, argv, &res);
	}
	if (!err) {
		c->offer = res.created_id;
		c->offer_by_consumer = consumer;
	}
	return err;
}

static enum wq_err do_agree(struct demo *d, struct sim *c,
			    const struct facts *f)
{
	uint64_t *s = &c->rng;
	char offer_id[24], due[11], when[24];
	struct text t = {.len = 0};
	int day = wq_cal_add_workdays(d->cal, wq_local_day(c->next),
				      3 + (int)below(s, 8), NULL);
	const char *argv[] = {offer_id, "respondent", due, t.s};

	snprintf(offer_id, sizeof(offer_id), "%" PRId64, c->offer);
	wq_date_format(day, due);
	cn_date(day, when);
	text_printf(&t, "经调解，被投诉方同意于%s前%s，投诉方收到后不再就本订单主张"
		    "其他权利。", when, remedy_verbs[f->remedy]);
	return rule(d, c, c->handler, "agree", 4, argv, NULL);
}

static const char *not_accept_reason(struct sim *c, const struct facts *f)
{
	static const char *const reasons[] = {
		"materials-missing", "time-barred", "not-consumption",
		"already-handled", "outside-remit", "false-identity", "other"};
	static const unsigned weights[] = {35, 2, 15, 15, 22, 3, 8};

	if (c->dup_of)
		return "already-handled";
	if (c->from_need_info)
		return "materials-missing";
	if (f->type == CT_DIVERSION || f->serial >= 0)
		return "not-consumption";
	if (f->type == CT_IP)
		return "outside-remit";
	if (c->base_day - f->order_day > 3 * 365)
		return "time-barred";
	return reasons[pick_weighted(&c->rng, weights, N_ELEMS(weights))];
}

/* The ground as the case's regime names it: Order No. 121 splits Order
 * No. 20's "false-identity" (its art. 16 as announced). */
static const char *regime_ground(struct demo *d, struct sim *c,
				 const char *ground)
{
	const char *codes[64];
	char regime[48] = "";
	struct wq_stmt *st;

	if (wq_store_prepare(d->store,
			     "SELECT coalesce(" CASE_REGIME("c") ", '')"
			     " FROM cases c WHERE c.id = ?1",
			     &st) == WQ_ERR_OK) {
		wq_bind_int64(st, 1, c->id);
		if (wq_step(st) == WQ_ROW)
			snprintf(regime, sizeof(regime), "%s",
				 wq_column_text(st, 0));
		wq_store_finalize(d->store, st);
	}
	wq_action_reasons(wq_action_find("not-accept"), regime, codes, 64);
	for (int i = 0; codes[i]; i++)
		if (strcmp(codes[i], ground) == 0)
			return ground;
	return strcmp(ground, "false-identity") == 0 ? "identity-refused"
						     : "other";
}

static const char *transfer_body(struct demo *d, const struct facts *f,
				 uint64_t *s, char *out, size_t size)
{
	const struct region *r = &regions[d->merchants[f->merchant].region];

	if (f->type == CT_IP)
		snprintf(out, size, "%s知识产权局", r->city);
	else if (f->category == CAT_PAYMENT && chance(s, 60))
		snprintf(out, size, "%s公安局%s分局", r->city, r->district);
	else
		snprintf(out, size, "%s%s市场监督管理局",
			 strcmp(r->province, r->city) ? r->city : "",
			 r->district);
	return out;
}

static const char *report_note(const struct facts *f)
{
	switch (f->category) {
	case CAT_ADVERTISING:
		return "消费者同时举报该商家涉嫌虚假宣传。";
	case CAT_COUNTERFEIT:
		return "消费者同时举报该商家涉嫌销售假冒商品。";
	case CAT_QUALITY:
		return "消费者同时举报该商家涉嫌销售不合格产品。";
	default:
		return "消费者同时举报该商家涉嫌违法经营。";
	}
}

static enum wq_err do_step(struct demo *d, struct sim *c)
{
	uint64_t *s = &c->rng;
	struct facts f;
	struct text t = {.len = 0};
	char buf[128], when[24];
	enum wq_err err = WQ_ERR_OK;
	int h = c->handler, sup;

	make_facts(d, c->facts_seed, c->base_day, c->serial, &f);
	switch ((enum step)c->steps[c->pc]) {
	case S_INTAKE:
		return do_intake(d, c, &f);
	case S_REPORT:
		return rule1(d, c, ST_DESK, "report", report_note(&f));
	case S_CLAIM: {
		unsigned r = below(s, 100);

		if (r < 70) {
			c->handler = (uint8_t)pick_mediator(s);
			return rule0(d, c, c->handler, "claim");
		}
		sup = chance(s, 55) ? ST_CHEN : ST_ZHAO;
		if (r < 95) {
			c->handler = (uint8_t)pick_mediator(s);
			return rule1(d, c, sup, "assign",
				     d->staff[c->handler].login);
		}
		c->handler = (uint8_t)sup;
		return rule0(d, c, sup, "claim");
	}
	case S_REPLY:
		reply_text(&f, s, &t);
		err = rule2(d, c, h, "statement", "respondent", t.s);
		if (!err && chance(s, 25)) {
			struct text e = {.len = 0};
			bool logistics = f.category == CAT_DELIVERY;

			if (logistics)
				logistics_record(&f, s, &e);
			else
				chat_log(d, &f, s, c->next, &e);
			err = evidence(d, c, h, logistics ? "logistics" : "chat",
				       "respondent",
				       logistics ? "物流轨迹.txt"
						 : "商家提供的聊天记录.txt",
				       &e, chance(s, 10));
		}
		return err;
	case S_FLAG:
		err = rule1(d, c, h, "flag", "possibly-malicious");
		if (!err) {
			text_printf(&t, "该投诉人近期投诉%d次，诉求与表述高度雷同，"
				    "已标记提请人工复核，不影响依法处理。",
				    5 + (int)below(s, 60));
			err = rule1(d, c, h, "note", t.s);
		}
		return err;
	case S_DUPLICATE:
		wq_stmt_reset(d->case_number);
		wq_bind_int64(d->case_number, 1, c->dup_of);
		if (wq_step(d->case_number) != WQ_ROW)
			return wq_store_error(d->store, "demo duplicate");
		snprintf(buf, sizeof(buf), "%s",
			 wq_column_text_or_null(d->case_number, 0));
		wq_stmt_reset(d->case_number);
		return rule1(d, c, h, "duplicate-of", buf);
	case S_NEED_INFO:
		c->from_need_info = true;
		return rule1(d, c, h, "need-info",
			     "请补充提供订单截图、付款凭证及商品问题照片。");
	case S_INFO_RECEIVED: {
		struct text e = {.len = 0};
		char amount[24], iso[11];

		/* The complainant brings the papers to the desk. */
		err = rule2(d, c, ST_DESK, "statement", "complainant",
			    PICK(s, supplements));
		yuan(amount, f.amount_fen);
		wq_date_format(f.order_day, iso);
		text_printf(&e, "支付凭证\n交易时间：%s %02d:%02d\n支付方式：%s\n"
			    "金额：¥%s\n交易单号：%s\n",
			    iso, 8 + (int)below(s, 14), (int)below(s, 60),
			    PICK(s, ((const char *const[]){"支付宝", "微信支付",
							  "银行卡", "花呗"})),
			    amount, f.order_no);
		if (!err)
			err = evidence(d, c, ST_DESK, "voucher", "complainant",
				       "付款凭证.txt", &e, false);
		if (!err)
			err = rule1(d, c, ST_DESK, "info-received",
				    "投诉人已补齐材料。");
		c->from_need_info = false;
		return err;
	}
	case S_SCREEN:
		return chance(s, 70) ? rule0(d, c, h, "screen")
				     : rule1(d, c, h, "screen",
					     "材料齐全，属于本机构受理范围。");
	case S_ACCEPT:
		return rule0(d, c, h, "accept");
	case S_NOT_ACCEPT:
	case S_GIVE_UP:
		return rule2(d, c, h, "not-accept",
			     regime_ground(d, c, not_accept_reason(c, &f)),
			     PICK(s, not_accept_notes));
	case S_TRANSFER:
		return rule2(d, c, h, "transfer",
			     transfer_body(d, &f, s, buf, sizeof(buf)),
			     PICK(s, transfer_notes));
	case S_ODR:
		return rule2(d, c, h, "odr", "投诉人电话确认，愿先由商家处理。",
			     "引导投诉人通过平台在线纠纷解决（ODR）渠道与商家"
			     "协商。");
	case S_ODR_SETTLED:
		return rule1(d, c, h, "odr-settled",
			     "商家已在ODR渠道同意退款，投诉人确认。");
	case S_ODR_FAILED:
		return rule1(d, c, h, "odr-failed", "商家在ODR渠道逾期未处理。");
	case S_START:
		return rule0(d, c, h, "start");
	case S_SESSION:
		err = rule1(d, c, h, "substate", "session_scheduled");
		if (!err && chance(s, 50)) {
			cn_date(wq_cal_add_workdays(d->cal,
						    wq_local_day(c->next), 2,
						    NULL),
				when);
			text_printf(&t, "定于%s下午组织双方进行线上调解。", when);
			err = rule1(d, c, h, "note", t.s);
		}
		return err;
	case S_TESTING:
		err = rule1(d, c, h, "substate", "testing");
		if (!err)
			err = rule1(d, c, h, "note",
				    "双方同意将商品送第三方检测机构检测，检测期间"
				    "调解时限中止。");
		return err;
	case S_TESTED: {
		struct text e = {.len = 0};
		bool bad = chance(s, 65);

		text_printf(&e, "检测报告（摘要）\n样品：%s\n检测依据：相关国家标准"
			    "及产品明示标准\n检测结论：%s\n",
			    products[f.product].name,
			    bad ? "所检项目不符合标准要求"
				: "所检项目符合标准要求");
		err = evidence(d, c, h, "appraisal", "mediator",
			       "检测报告.txt", &e, false);
		if (!err)
			err = rule1(d, c, h, "substate", "awaiting_merchant");
		return err;
	}
	case S_AWAIT_CONSUMER:
		return rule1(d, c, h, "substate", "awaiting_consumer");
	case S_NOTE:
		return rule1(d, c, h, "note", PICK(s, mediator_notes));
	case S_OFFER:
		return do_offer(d, c, &f, false);
	case S_COUNTER:
		return do_offer(d, c, &f, true);
	case S_AGREE:
		return do_agree(d, c, &f);
	case S_WATCH:
		return rule0(d, c, h, "watch");
	case S_PERFORMED:
		return chance(s, 50) ? rule0(d, c, h, "performed")
				     : rule1(d, c, h, "performed",
					     "投诉人确认被投诉方已按协议履行。");
	case S_UNPERFORMED:
		return rule1(d, c, h, "unperformed",
			     "被投诉方逾期未履行调解协议。");
	case S_SETTLE:
		return rule1(d, c, h, "settle",
			     chance(s, 50) ? "双方自行和解，商家已退款。"
					   : "投诉人来电告知已与商家达成和解。");
	case S_WITHDRAW: {
		int who = chance(s, 50) ? ST_DESK : h;

		err = rule2(d, c, who, "statement", "complainant",
			    "本人已与商家协商解决，申请撤回投诉。");
		if (!err)
			err = rule1(d, c, who, "withdraw", "投诉人申请撤回。");
		return err;
	}
	case S_END:
	case S_END_LATE: {
		static const char *const reasons[] = {
			"party-absent", "no-testing-agreement",
			"agreement-impossible", "ground-found", "other"};
		static const unsigned weights[] = {30, 10, 45, 5, 10};
		const char *reason =
			c->steps[c->pc] == S_END_LATE
				? "clock-expired"
				: reasons[pick_weighted(s, weights, 5)];

		return rule2(d, c, h, "end", reason,
			     c->steps[c->pc] == S_END_LATE
				     ? "调解期限届满，双方仍未达成协议。"
				     : PICK(s, end_notes));
	}
	case S_NOTIFY:
		return rule1(d, c, h, "notify",
			     "已向双方送达终止调解告知书，告知可依法申请仲裁或"
			     "向人民法院起诉。");
	case S_REASSIGN:
		if (is_supervisor(h))
			return WQ_ERR_OK;
		c->handler = (uint8_t)((h + 1 + (int)below(s, MEDIATORS - 1)) %
				       MEDIATORS);
		return rule1(d, c, chance(s, 55) ? ST_CHEN : ST_ZHAO, "assign",
			     d->staff[c->handler].login);
	case S_SUBMIT:
		c->submitter = (uint8_t)h;
		return chance(s, 30) ? rule1(d, c, h, "submit",
					     "已办结，提交审核。")
				     : rule0(d, c, h, "submit");
	case S_SEND_BACK:
		sup = is_supervisor(c->submitter)
			      ? other_supervisor(c->submitter)
			      : chance(s, 50) ? ST_CHEN : ST_ZHAO;
		return rule1(d, c, sup, "send-back",
			     PICK(s, send_back_comments));
	case S_APPROVE1:
		/* Four eyes: whoever submitted does not approve. */
		sup = is_supervisor(c->submitter)
			      ? other_supervisor(c->submitter)
			      : chance(s, 55) ? ST_CHEN : ST_ZHAO;
		c->approver = (uint8_t)sup;
		return chance(s, 15) ? rule1(d, c, sup, "approve",
					     "材料齐全，处理得当，同意。")
				     : rule0(d, c, sup, "approve");
	case S_APPROVE2:
		/* The final reviewer is neither the first nor the
		 * submitter: sun.li reviews what the other two did. */
		sup = other_supervisor(c->approver);
		if (sup == c->submitter)
			sup = ST_SUN;
		return chance(s, 15) ? rule1(d, c, sup, "approve", "同意结案。")
				     : rule0(d, c, sup, "approve");
	case S_REPORT_DONE:
		/* The report track runs beside the case (see run()); its
		 * result is recorded by a supervisor, whoever works the
		 * complaint by then. */
		return rule1(d, c, chance(s, 55) ? ST_CHEN : ST_ZHAO,
			     "report-done", PICK(s, report_results));
	case S_REOPEN:
		return rule1(d, c, chance(s, 50) ? ST_CHEN : ST_ZHAO, "reopen",
			     PICK(s, reopen_reasons));
	case S_IP_MEASURES:
		return rule2(d, c, h, "measures",
			     PICK(s, ((const char *const[]){
				     "delete", "block", "disconnect",
				     "stop-transactions"})),
			     "已对涉嫌侵权链接采取必要措施，并将通知转送平台内"
			     "经营者。");
	case S_IP_REJECT:
		return rule2(d, c, h, "reject-notice",
			     c->dup_of ? "other" : "no-preliminary-evidence",
			     c->dup_of ? "与已处理的通知重复。"
				       : "通知未附构成侵权的初步证据，已告知"
					 "权利人补充。");
	case S_IP_DECLARATION:
		return rule1(d, c, h, "declaration",
			     "经营者提交不存在侵权行为的声明，附进货凭证及品牌"
			     "授权书。");
	case S_IP_FORWARD:
		return rule1(d, c, h, "forward-declaration",
			     "已将声明转送权利人，告知其可以向有关主管部门投诉"
			     "或者向人民法院起诉。");
	case S_IP_ACTION_FILED:
		return rule1(d, c, h, "action-filed",
			     "权利人提交了人民法院的立案通知书，措施继续。");
	case S_IP_END_MEASURES:
		return rule1(d, c, h, "end-measures",
			     "十五日内未收到权利人已投诉或起诉的通知，已终止所"
			     "采取的措施。");
	case S_IP_PUBLISH:
		return rule1(d, c, h, "publish",
			     "已在平台公示通知、声明及处理结果。");
	case S_IP_WRONGFUL:
		return rule2(d, c, h, "mark-wrongful",
			     chance(s, 20) ? "malicious-notice"
					   : "wrongful-notice",
			     "生效判决认定经营者不构成侵权。");
	case S_DV_VERIFY:
		return rule1(d, c, h, "verify-trace",
			     "扫码溯源记录显示，批次货品计划销往经销商授权区域，"
			     "实际在区域外被扫码销售。");
	case S_DV_DISMISS:
		return rule2(d, c, h, "dismiss",
			     c->dup_of ? "other" : "trace-unconfirmed",
			     c->dup_of ? "与已处理的串货投诉重复。"
				       : "溯源记录无法确认货品流出授权区域。");
	case S_DV_PENALTY:
		return rule2(d, c, h, "penalty",
			     PICK(s, ((const char *const[]){
				     "3000", "5000", "12000", "20000"})),
			     "经销商确认跨区域销售，同意按合同支付违约金并停止"
			     "区域外销售。");
	case S_DV_DISPUTE:
		return rule1(d, c, h, "dispute",
			     "经销商否认串货，称货品系终端客户自行转售，双方将"
			     "按合同约定申请仲裁。");
	case S_DV_WITHDRAW:
		return rule1(d, c, h, "withdraw",
			     "品牌方与经销商协商一致，撤回串货投诉。");
	case S_COUNT:
		break;
	}
	return WQ_ERR_OK;
}

/* ---- the simulation ---- */

static bool sooner(const struct sim *a, const struct sim *b)
{
	if (a->next != b->next)
		return a->next < b->next;
	return a->seq != b->seq ? a->seq < b->seq : a->track < b->track;
}

static void heap_push(struct demo *d, const struct sim *c)
{
	size_t i;

	if (d->heap_len == d->heap_cap) {
		d->heap_cap = d->heap_cap ? 2 * d->heap_cap : 1024;
		d->heap = wq_xrealloc(d->heap, d->heap_cap * sizeof(*d->heap));
	}
	i = d->heap_len++;
	while (i > 0 && sooner(c, &d->heap[(i - 1) / 2])) {
		d->heap[i] = d->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	d->heap[i] = *c;
}

static void heap_pop(struct demo *d, struct sim *out)
{
	struct sim last;
	size_t i = 0;

	*out = d->heap[0];
	last = d->heap[--d->heap_len];
	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= d->heap_len)
			break;
		if (child + 1 < d->heap_len &&
		    sooner(&d->heap[child + 1], &d->heap[child]))
			child++;
		if (!sooner(&d->heap[child], &last))
			break;
		d->heap[i] = d->heap[child];
		i = child;
	}
	if (d->heap_len)
		d->heap[i] = last;
}

static void new_case(struct demo *d, struct sim *c, uint32_t seq, time_t at)
{
	struct facts f;
	bool duplicate = false;

	memset(c, 0, sizeof(*c));
	c->seq = seq;
	c->next = at;
	c->rng = d->seed ^ ((uint64_t)seq * 0xd1b54a32d192ed03ull);
	next_u64(&c->rng);
	c->facts_seed = next_u64(&c->rng);
	c->base_day = wq_local_day(at);
	c->serial = (int8_t)(chance(&c->rng, 2) ? (int)below(&c->rng, SERIALS)
						 : -1);
	if (d->ring_len && chance(&c->rng, 2)) {
		/* The same complaint again, a few days later. */
		const struct dup_entry *e =
			&d->ring[below(&c->rng, d->ring_len)];

		c->dup_of = e->id;
		c->facts_seed = e->facts_seed;
		c->base_day = e->base_day;
		c->serial = e->serial;
		duplicate = true;
	}
	make_facts(d, c->facts_seed, c->base_day, c->serial, &f);
	plan(d, c, &f, duplicate);
}

static void remember(struct demo *d, const struct sim *c)
{
	struct dup_entry *e;

	if (c->dup_of)
		return;
	if (d->ring_len < DUP_RING)
		e = &d->ring[d->ring_len++];
	else
		e = &d->ring[c->seq % DUP_RING];
	e->id = c->id;
	e->facts_seed = c->facts_seed;
	e->base_day = c->base_day;
	e->serial = c->serial;
}

static int64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum wq_err run(struct demo *d, const struct wq_demo_opts *o)
{
	time_t *times = arrival_times(d, o->cases);
	int64_t k = 0, batch_cases = 0, batch_ops = 0, batch_start;
	enum wq_err err;

	err = wq_store_begin_write(d->store);
	if (err)
		goto out;
	batch_start = ms_now();
	while (k < o->cases || d->heap_len) {
		struct sim c;
		int64_t ops_before = d->ops;

		if (k < o->cases &&
		    (!d->heap_len || times[k] <= d->heap[0].next)) {
			new_case(d, &c, (uint32_t)k, times[k]);
			k++;
			batch_cases++;
		} else {
			heap_pop(d, &c);
		}
		wq_time_pin(c.next);
		err = do_step(d, &c);
		if (err)
			break;
		if (c.pc == 0 && c.track == 0)
			remember(d, &c);
		d->last = c.next;
		if (c.steps[c.pc] == S_REPORT && chance(&c.rng, 85)) {
			/* A report is checked on its own track and clock,
			 * whatever becomes of the complaint. */
			struct sim r = c;

			r.track = 1;
			r.nsteps = 1;
			r.pc = 0;
			r.steps[0] = S_REPORT_DONE;
			r.rng = next_u64(&c.rng);
			r.next = office_after(d, &r.rng, c.next,
					      delays[S_REPORT_DONE].lo,
					      delays[S_REPORT_DONE].hi);
			if (r.next <= d->now)
				heap_push(d, &r);
		}
		if (++c.pc < c.nsteps) {
			enum step next = (enum step)c.steps[c.pc];
			int lo = delays[next].lo, hi = delays[next].hi;

			/* Some cases just move slowly: a party that does
			 * not answer, a mediator with a full desk. */
			if (c.slow) {
				lo *= 2;
				hi *= 2;
			}
			c.next = office_after(d, &c.rng, c.next, lo, hi);
			if (c.next <= d->now)
				heap_push(d, &c);
		}
		batch_ops += d->ops - ops_before;
		if (batch_cases >= BATCH_CASES || batch_ops >= BATCH_OPS ||
		    ms_now() - batch_start >= BATCH_MS) {
			err = wq_store_commit(d->store);
			if (!err)
				err = wq_store_begin_write(d->store);
			if (err)
				goto out;
			/* "All done" is said once, at the very end. */
			if (o->progress)
				o->progress(k < o->cases ? k : o->cases - 1,
					    o->cases, o->progress_data);
			batch_cases = batch_ops = 0;
			batch_start = ms_now();
		}
	}
	if (err)
		wq_store_rollback(d->store);
	else
		err = wq_store_commit(d->store);
out:
	free(times);
	return err;
}

/* ---- setting the stage ---- */

static enum wq_err check_ready(struct wq_store *store)
{
	struct wq_stmt *st;
	enum wq_err err;
	int clocks = 0, years = 0;

	err = wq_store_prepare(store,
			       "SELECT (SELECT count(*) FROM clock_rules"
			       " WHERE regime = (SELECT value FROM settings"
			       " WHERE key = 'regime')),"
			       " (SELECT count(*) FROM calendar_years)",
			       &st);
	if (err)
		return err;
	if (wq_step(st) == WQ_ROW) {
		clocks = wq_column_int(st, 0);
		years = wq_column_int(st, 1);
	}
	wq_store_finalize(store, st);
	if (!clocks)
		return wq_fail(WQ_ERR_NOT_FOUND,
			       N_("no clock rules are loaded, so demo cases "
				  "would have no deadlines; run 'weiquan init' "
				  "first (it loads data/clock-rules.json)"));
	if (!years)
		return wq_fail(WQ_ERR_NOT_FOUND,
			       N_("no holiday calendar is loaded, so working "
				  "days cannot be counted; run 'weiquan init' "
				  "first (it loads data/calendar-cn.json)"));
	return WQ_ERR_OK;
}

static enum wq_err add_staff(struct demo *d, const struct wq_user *actor,
			     struct wq_demo_result *res)
{
	size_t used = 0;

	for (int i = 0; i < STAFF_COUNT; i++) {
		enum wq_err err = wq_user_lookup(d->store, staff_defs[i].login,
						 &d->staff[i]);

		if (err == WQ_ERR_UNKNOWN_USER) {
			err = wq_user_add(d->store, actor, staff_defs[i].login,
					  staff_defs[i].role,
					  staff_defs[i].name);
			if (!err)
				err = wq_user_lookup(d->store,
						     staff_defs[i].login,
						     &d->staff[i]);
		}
		if (err)
			return err;
		if (d->staff[i].role != staff_defs[i].role)
			return wq_fail(
			    WQ_ERR_INVALID,
			    N_("the demo needs %s to be a %s, but "
			       "this database has them as a %s"),
			    staff_defs[i].login,
			    wq_code_label("role",
					  wq_role_name(staff_defs[i].role)),
			    wq_code_label("role",
					  wq_role_name(d->staff[i].role)));
		used += (size_t)snprintf(res->users + used,
					 sizeof(res->users) - used, "%s%s",
					 i ? " " : "", staff_defs[i].login);
		if (used >= sizeof(res->users))
			used = sizeof(res->users) - 1;
	}
	return WQ_ERR_OK;
}

/* A supervisor marks the shops that drew the most complaints, as the
 * dashboard would prompt them to, saying why and on what basis; the worst
 * is blacklisted after a recorded penalty.  The bases are the kind a
 * supervisor would cite, not checked against the official texts. */
static enum wq_err mark_offenders(struct demo *d)
{
	const struct wq_user *sup = &d->staff[ST_CHEN];
	struct wq_stmt *st;
	enum wq_err err;
	time_t at = d->last + 1800;

	if (at > d->now)
		at = d->now;
	wq_time_pin(at);
	err = wq_store_prepare(d->store,
			       "SELECT id, complaints FROM merchants"
			       " WHERE platform = ?1 AND shop_id = ?2"
			       " AND name = ?3 AND complaints >= 3"
			       " AND repeat_offender = 0",
			       &st);
	for (int i = 0; !err && i < OFFENDERS; i++) {
		const struct merchant *m = &d->merchants[i];
		int64_t id = 0, complaints = 0;
		char reason[96];

		wq_bind_text(st, 1, platform_names[m->platform]);
		wq_bind_text(st, 2, m->shop_id);
		wq_bind_text(st, 3, m->name);
		if (wq_step(st) == WQ_ROW) {
			id = wq_column_int64(st, 0);
			complaints = wq_column_int64(st, 1);
		}
		wq_stmt_reset(st);
		if (!id)
			continue;
		snprintf(reason, sizeof(reason),
			 "近期消费投诉集中（%" PRId64 " 件），同类问题反复出现",
			 complaints);
		err = wq_merchant_mark(d->store, sup, id, "repeat-offender",
				       true, reason,
				       "本会商家信用管理规定：同类投诉反复发生");
		if (!err && i == 0)
			err = wq_merchant_penalty(
				d->store, sup, id, 5000000,
				"市场监管部门行政处罚决定书（销售假冒商品）",
				"《中华人民共和国消费者权益保护法》第五十六条");
		if (!err && i == 0)
			err = wq_merchant_mark(
				d->store, sup, id, "blacklist", true,
				"因销售假冒商品受到行政处罚",
				"《市场监督管理严重违法失信名单管理办法》");
	}
	wq_store_finalize(d->store, st);
	return err;
}

/* Open complaints against one merchant in one category are grouped by a
 * supervisor into collective complaints, as the dashboard's merchant list
 * would prompt them to: the largest few such clusters, a handful of
 * members each. */
#define DEMO_GROUPS 3
#define DEMO_GROUP_MEMBERS 6

static enum wq_err form_groups(struct demo *d)
{
	const char *numbers[DEMO_GROUP_MEMBERS];
	struct {
		char *merchant, *category, *numbers;
		int count;
	} found[DEMO_GROUPS];
	int nfound = 0;
	struct wq_stmt *st, *members;
	enum wq_err err;

	err = wq_store_prepare(
		d->store,
		"SELECT m.name, coalesce(k.name_zh, c.category), count(*),"
		" c.merchant_id, c.category"
		" FROM cases c JOIN merchants m ON m.id = c.merchant_id"
		" LEFT JOIN categories k ON k.code = c.category"
		" WHERE c.status IN ('received', 'screened', 'accepted',"
		" 'in_mediation') AND c.group_id IS NULL"
		" GROUP BY c.merchant_id, c.category, m.name, k.name_zh"
		" HAVING count(*) >= 3"
		" ORDER BY count(*) DESC, c.merchant_id, c.category LIMIT ?1",
		&st);
	if (err)
		return err;
	/* Members by status, then as registered: the order in which
	 * SQLite's group_concat() used to list them, so that a seed keeps
	 * giving the same groups. */
	err = wq_store_prepare(
		d->store,
		"SELECT number FROM cases WHERE merchant_id = ?1"
		" AND category = ?2 AND status IN ('received', 'screened',"
		" 'accepted', 'in_mediation') AND group_id IS NULL"
		" ORDER BY status, id",
		&members);
	if (err) {
		wq_store_finalize(d->store, st);
		return err;
	}
	wq_bind_int(st, 1, DEMO_GROUPS);
	while (nfound < DEMO_GROUPS && wq_step(st) == WQ_ROW) {
		struct wq_buf list = {0};

		found[nfound].merchant =
			wq_strdup(wq_column_text_or_null(st, 0));
		found[nfound].category =
			wq_strdup(wq_column_text_or_null(st, 1));
		found[nfound].count = wq_column_int(st, 2);
		wq_bind_int64(members, 1, wq_column_int64(st, 3));
		wq_bind_text_copy(members, 2, wq_column_text(st, 4));
		while (wq_step(members) == WQ_ROW)
			wq_buf_printf(&list, "%s%s", list.len ? " " : "",
				      wq_column_text(members, 0));
		wq_stmt_reset(members);
		found[nfound].numbers = list.data ? list.data : wq_strdup("");
		nfound++;
	}
	wq_store_finalize(d->store, st);
	wq_store_finalize(d->store, members);
	for (int g = 0; g < nfound; g++) {
		char *title, *facts, *save = NULL, *tok;
		int n = 0;

		for (tok = strtok_r(found[g].numbers, " ", &save);
		     tok && n < DEMO_GROUP_MEMBERS;
		     tok = strtok_r(NULL, " ", &save))
			numbers[n++] = tok;
		title = wq_asprintf("%s：%s集体投诉", found[g].merchant,
				    found[g].category);
		facts = wq_asprintf("%d 位消费者就同一类问题（%s）投诉%s，"
				    "事实相近，合并调解，各自结案。",
				    n, found[g].category, found[g].merchant);
		if (!err)
			err = wq_group_create(d->store, &d->staff[ST_CHEN],
					      title, facts, numbers, n, NULL);
		free(title);
		free(facts);
		free(found[g].merchant);
		free(found[g].category);
		free(found[g].numbers);
	}
	return err;
}

/* The last row ids of the tables the result counts: rows are only
 * appended, so the differences are what the demo added. */
static void last_ids(struct wq_store *store, int64_t ids[3])
{
	struct wq_stmt *st;

	ids[0] = ids[1] = ids[2] = 0;
	if (wq_store_prepare(store,
			     "SELECT (SELECT coalesce(max(id), 0) FROM statements),"
			     " (SELECT coalesce(max(id), 0) FROM evidence),"
			     " (SELECT coalesce(max(id), 0) FROM events)",
			     &st))
		return;
	if (wq_step(st) == WQ_ROW)
		for (int i = 0; i < 3; i++)
			ids[i] = wq_column_int64(st, i);
	wq_store_finalize(store, st);
}

enum wq_err wq_demo_fill(struct wq_store *store, const struct wq_user *actor,
			 const struct wq_demo_opts *opts,
			 struct wq_demo_result *result)
{
	struct wq_demo_opts o = {.cases = DEFAULT_CASES, .seed = 1};
	struct demo *d;
	enum wq_err err;
	int64_t before[3], after[3];

	memset(result, 0, sizeof(*result));
	if (opts)
		o = *opts;
	if (o.cases <= 0)
		o.cases = DEFAULT_CASES;
	if (o.cases > UINT32_MAX)
		return wq_fail(WQ_ERR_INVALID, N_("--cases: at most %" PRIu32),
			       UINT32_MAX);
	if (actor->role != WQ_ROLE_ADMIN)
		return wq_fail(WQ_ERR_DENIED,
			       N_("only an admin can fill a database with demo "
				  "cases"));
	err = check_ready(store);
	if (err)
		return err;

	d = wq_xcalloc(1, sizeof(*d));
	d->store = store;
	d->res = result;
	d->seed = o.seed;
	d->now = wq_now();
	d->start = d->now - (time_t)arrival_days(o.cases) * 86400;
	last_ids(store, before);
	/* A private copy: the store's cached calendar may be reloaded under
	 * us when another session imports one. */
	err = wq_cal_load(store, &d->cal);
	if (err)
		goto out;
	err = wq_store_prepare(store,
				       "SELECT number FROM cases WHERE id = ?1",
				       &d->case_number);
	if (err)
		goto out;

	/* The staff were hired before the first demo complaint came in. */
	wq_time_pin(office_after(d, &(uint64_t){d->seed}, d->start - 7 * 86400,
				 1, 1));
	err = add_staff(d, actor, result);
	if (err)
		goto out;

	make_merchants(d);
	{
		uint64_t rng = d->seed ^ 0x73657269616c73ull;

		for (int i = 0; i < SERIALS; i++)
			make_person(&rng, &d->serials[i]);
	}
	wq_store_bulk(store, true);
	err = run(d, &o);
	wq_store_bulk(store, false);
	if (!err)
		err = mark_offenders(d);
	if (!err)
		err = form_groups(d);
	if (!err && o.progress)
		o.progress(o.cases, o.cases, o.progress_data);
out:
	wq_time_pin(0);
	last_ids(store, after);
	result->statements = after[0] - before[0];
	result->evidence = after[1] - before[1];
	result->events = after[2] - before[2];
	wq_store_finalize(d->store, d->case_number);
	wq_cal_free(&d->cal);
	free(d->heap);
	free(d);
	return err;
}
