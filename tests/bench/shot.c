/* Phone screenshots with known text, for the OCR benchmark and tests:
 * chat conversations between a buyer and a shop's customer service, and
 * order pages, drawn with Pango and cairo in Noto Sans CJK at common phone
 * resolutions.  Each image comes with the text it shows, in reading
 * order, one line per bubble or field.
 *
 *   shot set DIR N        DIR/shot-NN.png and DIR/shot-NN.txt, N of each
 *   shot text OUT.png TEXT...
 *                         one chat screenshot whose bubbles are the TEXTs
 *                         (the merchant's and the buyer's in turn)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>

static const char *const buyer_lines[] = {
    "你好，我收到的鞋子左脚开胶了，能处理一下吗？",
    "快递到的时候外箱已经破了，里面的杯子碎了两个。",
    "这件羽绒服洗了一次就掉毛，和详情页说的不一样。",
    "我七天内申请退货，你们为什么一直不同意？",
    "商品页面写的是正品保证，可是防伪码查不到。",
    "订单显示已签收，但是我根本没有收到包裹。",
    "客服之前答应给我补发，现在又说没有库存了。",
    "请问退款什么时候能到账？已经等了五天了。",
    "充电器用了两天就发烫，我担心有安全问题。",
    "我不要换货了，麻烦直接给我办理退款吧。",
    "尺码表上写的是L码适合身高175，实际穿着很小。",
    "你们发错颜色了，我买的是黑色，收到的是灰色。",
};

static const char *const merchant_lines[] = {
    "亲，非常抱歉给您带来不便，我们马上为您处理。",
    "您好，这边可以给您仅退款，商品不用寄回了。",
    "亲，请您提供一下商品问题的照片，我们核实一下。",
    "已为您申请补偿二十元优惠券，请注意查收哦。",
    "亲，退货运费由我们承担，请您放心寄回。",
    "这个问题我们需要联系仓库核实，请耐心等待。",
    "您好，我们同意退款，款项将在三个工作日内退回。",
    "亲，这款商品是官方授权的正品，请您放心使用。",
    "很抱歉，定制商品不支持七天无理由退货。",
    "您好，补发的包裹已经发出，单号稍后发给您。",
    "亲，麻烦您先确认收货，我们再给您返现十元。",
    "好的，已经为您登记，售后专员会在今天联系您。",
};

static const char *const shops[] = {
    "优品生活旗舰店", "潮流鞋服专营店", "数码配件官方店",
    "家居百货直营店", "母婴用品专卖店", "户外运动旗舰店",
};

static const char *const goods[] = {
    "男士透气运动鞋 黑色 42码", "陶瓷马克杯 四只装",  "轻薄羽绒服 女款 白色",
    "快充充电器 20W 白色",	"纯棉四件套 1.8米床", "儿童保温水杯 500毫升",
};

static const char *const couriers[] = {"顺丰速运", "中通快递", "圆通速递",
				       "韵达快递", "京东物流"};

struct size {
	int w, h;
};

/* Android's 1080 x 2340 and 720 x 1600, an iPhone's 1170 x 2532 and
 * 828 x 1792. */
static const struct size sizes[] = {
    {1080, 2340}, {720, 1600}, {1170, 2532}, {828, 1792}};

static unsigned long seed = 20260303;

static unsigned pick(unsigned n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((seed >> 33) % n);
}

struct canvas {
	cairo_surface_t *surface;
	cairo_t *cr;
	int w, h, px; /* size, and the body text's pixel size */
	FILE *truth;
};

static void fill_rect(cairo_t *cr, double x, double y, double w, double h,
		      double r, double g, double b)
{
	cairo_set_source_rgb(cr, r, g, b);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
}

static void rounded(cairo_t *cr, double x, double y, double w, double h,
		    double rad)
{
	cairo_new_sub_path(cr);
	cairo_arc(cr, x + w - rad, y + rad, rad, -G_PI / 2, 0);
	cairo_arc(cr, x + w - rad, y + h - rad, rad, 0, G_PI / 2);
	cairo_arc(cr, x + rad, y + h - rad, rad, G_PI / 2, G_PI);
	cairo_arc(cr, x + rad, y + rad, rad, G_PI, 3 * G_PI / 2);
	cairo_close_path(cr);
}

static PangoLayout *layout(struct canvas *c, const char *text, int px,
			   int width, bool bold)
{
	PangoLayout *l = pango_cairo_create_layout(c->cr);
	PangoFontDescription *f =
	    pango_font_description_from_string("Noto Sans CJK SC");

	pango_font_description_set_absolute_size(f, px * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(f, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, f);
	pango_font_description_free(f);
	pango_layout_set_width(l, width * PANGO_SCALE);
	pango_layout_set_wrap(l, PANGO_WRAP_CHAR);
	pango_layout_set_text(l, text, -1);
	return l;
}

/* Draws text at x, y and records it; returns its height. */
static int text_at(struct canvas *c, const char *text, double x, double y,
		   int px, int width, bool bold, double grey)
{
	PangoLayout *l = layout(c, text, px, width, bold);
	int lw, lh;

	pango_layout_get_pixel_size(l, &lw, &lh);
	cairo_set_source_rgb(c->cr, grey, grey, grey);
	cairo_move_to(c->cr, x, y);
	pango_cairo_show_layout(c->cr, l);
	g_object_unref(l);
	fprintf(c->truth, "%s\n", text);
	return lh;
}

static void status_bar(struct canvas *c, const char *title)
{
	int bar = c->px * 2, top = c->px * 3 + bar;

	fill_rect(c->cr, 0, 0, c->w, top, 0.93, 0.93, 0.93);
	text_at(c, title, c->w / 2.0 - c->px * 3.5, bar + c->px * 0.6,
		(int)(c->px * 1.05), c->w, true, 0.1);
	fill_rect(c->cr, 0, top - 1, c->w, 1, 0.8, 0.8, 0.8);
}

/* One bubble; mine: the buyer's, on the right in green. */
static int bubble(struct canvas *c, const char *text, int y, bool mine)
{
	int avatar = c->px * 2, margin = c->px / 2, pad = c->px * 2 / 3;
	int maxw = c->w * 62 / 100, lw, lh, x;
	PangoLayout *l = layout(c, text, c->px, maxw, false);

	pango_layout_get_pixel_size(l, &lw, &lh);
	g_object_unref(l);
	if (mine) {
		fill_rect(c->cr, c->w - margin - avatar, y, avatar, avatar,
			  0.35, 0.55, 0.8);
		x = c->w - margin * 2 - avatar - lw - pad * 2;
		cairo_set_source_rgb(c->cr, 0.58, 0.92, 0.41);
	} else {
		fill_rect(c->cr, margin, y, avatar, avatar, 0.95, 0.55, 0.2);
		x = margin * 2 + avatar;
		cairo_set_source_rgb(c->cr, 1, 1, 1);
	}
	rounded(c->cr, x, y, lw + pad * 2, lh + pad * 2, c->px / 4.0);
	cairo_fill(c->cr);
	text_at(c, text, x + pad, y + pad, c->px, maxw, false, 0.1);
	return lh + pad * 2 + c->px;
}

static void chat(struct canvas *c, const char *const *texts, int n)
{
	int y;

	fill_rect(c->cr, 0, 0, c->w, c->h, 0.93, 0.93, 0.93);
	status_bar(c, shops[pick(6)]);
	y = c->px * 6;
	for (int i = 0; i < n && y < c->h - c->px * 6; i++)
		y += bubble(c, texts[i], y, i % 2 == 1);
}

static void random_chat(struct canvas *c)
{
	const char *texts[8];
	int n = 4 + (int)pick(4);

	for (int i = 0; i < n; i++)
		texts[i] =
		    i % 2 ? buyer_lines[pick(12)] : merchant_lines[pick(12)];
	chat(c, texts, n);
}

static void order_page(struct canvas *c)
{
	char line[200];
	int x = c->px, y, width = c->w - 2 * c->px;
	unsigned yuan = 39 + pick(900), fen = pick(100);

	fill_rect(c->cr, 0, 0, c->w, c->h, 0.96, 0.96, 0.96);
	status_bar(c, "订单详情");
	y = c->px * 6;
	fill_rect(c->cr, 0, y - c->px / 2, c->w, c->px * 20, 1, 1, 1);
	y += text_at(c, pick(2) ? "交易成功" : "卖家已发货", x, y,
		     (int)(c->px * 1.2), width, true, 0.1) +
	     c->px;
	y += text_at(c, shops[pick(6)], x, y, c->px, width, true, 0.1) +
	     c->px / 2;
	y += text_at(c, goods[pick(6)], x, y, c->px, width, false, 0.2) +
	     c->px / 2;
	snprintf(line, sizeof(line), "实付款：¥%u.%02u", yuan, fen);
	y += text_at(c, line, x, y, c->px, width, false, 0.1) + c->px;
	snprintf(line, sizeof(line), "订单编号：2026%02u%02u%08u", 1 + pick(12),
		 1 + pick(28), pick(100000000));
	y += text_at(c, line, x, y, c->px * 9 / 10, width, false, 0.4) +
	     c->px / 2;
	snprintf(line, sizeof(line), "下单时间：2026-%02u-%02u %02u:%02u:%02u",
		 1 + pick(12), 1 + pick(28), pick(24), pick(60), pick(60));
	y += text_at(c, line, x, y, c->px * 9 / 10, width, false, 0.4) +
	     c->px / 2;
	snprintf(line, sizeof(line), "物流公司：%s", couriers[pick(5)]);
	y += text_at(c, line, x, y, c->px * 9 / 10, width, false, 0.4) +
	     c->px / 2;
	snprintf(line, sizeof(line), "售后状态：%s",
		 pick(2) ? "仅退款处理中" : "退货退款已关闭");
	text_at(c, line, x, y, c->px * 9 / 10, width, false, 0.4);
}

/* fontconfig and Pango keep their font caches until the process ends, as
 * they are meant to; under LeakSanitizer (CI's sanitized build) that is
 * not this program's leak to report. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "detect_leaks=0";
}

static int canvas_open(struct canvas *c, struct size sz, const char *truth)
{
	c->w = sz.w;
	c->h = sz.h;
	c->px = sz.w / 24;
	c->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, c->w, c->h);
	c->cr = cairo_create(c->surface);
	c->truth = fopen(truth, "w");
	if (!c->truth) {
		perror(truth);
		return -1;
	}
	return 0;
}

static int canvas_save(struct canvas *c, const char *png)
{
	int bad =
	    cairo_surface_write_to_png(c->surface, png) != CAIRO_STATUS_SUCCESS;

	cairo_destroy(c->cr);
	cairo_surface_destroy(c->surface);
	bad |= fclose(c->truth) != 0;
	if (bad)
		fprintf(stderr, "shot: cannot write %s\n", png);
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct canvas c;
	char png[4096], txt[4096];

	if (argc >= 4 && strcmp(argv[1], "text") == 0) {
		snprintf(txt, sizeof(txt), "%s.txt", argv[2]);
		if (canvas_open(&c, sizes[0], txt))
			return 1;
		chat(&c, (const char *const *)argv + 3, argc - 3);
		return canvas_save(&c, argv[2]) ? 1 : 0;
	}
	if (argc == 4 && strcmp(argv[1], "set") == 0) {
		int n = atoi(argv[3]);

		for (int i = 0; i < n; i++) {
			snprintf(png, sizeof(png), "%s/shot-%02d.png", argv[2],
				 i);
			snprintf(txt, sizeof(txt), "%s/shot-%02d.txt", argv[2],
				 i);
			if (canvas_open(&c, sizes[i % 4], txt))
				return 1;
			if (i % 3 == 2)
				order_page(&c);
			else
				random_chat(&c);
			if (canvas_save(&c, png))
				return 1;
		}
		return 0;
	}
	fputs("usage: shot set DIR N | shot text OUT.png TEXT...\n", stderr);
	return 2;
}
