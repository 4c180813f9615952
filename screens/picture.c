/* A picture drawn in character cells with chafa's canvas (picture.h). */
#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <chafa.h>

#include "screens/picture.h"
#include "screens/text.h"
#include "screens/ui.h"
#include "weiquan/clean.h"

/* Cell width over height: terminal fonts are about twice as tall. */
#define FONT_RATIO 0.5f
/* Colour pairs of the pictures start here, above the screens' own. */
#define FIRST_PAIR 16

void scr_picture_clamp(struct scr_picture_view *v)
{
	double half;

	if (!(v->zoom >= 1))
		v->zoom = 1;
	if (v->zoom > SCR_PICTURE_MAX_ZOOM)
		v->zoom = SCR_PICTURE_MAX_ZOOM;
	half = 0.5 / v->zoom;
	if (!(v->cx >= half))
		v->cx = half;
	if (v->cx > 1 - half)
		v->cx = 1 - half;
	if (!(v->cy >= half))
		v->cy = half;
	if (v->cy > 1 - half)
		v->cy = 1 - half;
}

static ChafaCanvasMode canvas_mode(enum scr_picture_colors colors)
{
	switch (colors) {
	case SCR_PICTURE_256:
		return CHAFA_CANVAS_MODE_INDEXED_240;
	case SCR_PICTURE_16:
		return CHAFA_CANVAS_MODE_INDEXED_16;
	case SCR_PICTURE_8:
		return CHAFA_CANVAS_MODE_INDEXED_8;
	case SCR_PICTURE_MONO:
		break;
	}
	return CHAFA_CANVAS_MODE_FGBG;
}

void scr_picture_free(struct scr_picture *pic)
{
	free(pic->cells);
	memset(pic, 0, sizeof(*pic));
}

void scr_picture_render(struct scr_picture *pic, const struct wq_image *image,
			const struct scr_picture_view *view, int width,
			int height, enum scr_picture_colors colors,
			bool unicode)
{
	struct scr_picture_view v = *view;
	ChafaSymbolMap *map;
	ChafaCanvasConfig *config;
	ChafaCanvas *canvas;
	int cw, ch, x0, y0, cols = width, rows = height;

	scr_picture_free(pic);
	pic->image = image;
	pic->view = *view;
	pic->width = width;
	pic->height = height;
	pic->colors = colors;
	pic->unicode = unicode;
	if (!image || width < 1 || height < 1)
		return;
	scr_picture_clamp(&v);
	/* The part of the picture shown: 1/zoom of each side around the
	 * centre. */
	cw = (int)(image->width / v.zoom);
	ch = (int)(image->height / v.zoom);
	if (cw < 1)
		cw = 1;
	if (ch < 1)
		ch = 1;
	x0 = (int)(v.cx * image->width) - cw / 2;
	y0 = (int)(v.cy * image->height) - ch / 2;
	if (x0 > image->width - cw)
		x0 = image->width - cw;
	if (y0 > image->height - ch)
		y0 = image->height - ch;
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	chafa_calc_canvas_geometry(cw, ch, &cols, &rows, FONT_RATIO, FALSE,
				   FALSE);
	if (cols < 1 || rows < 1 || cols > width || rows > height)
		return;

	map = chafa_symbol_map_new();
	/* Only narrow symbols: every cell is one column, whatever the
	 * text around it. */
	chafa_symbol_map_add_by_tags(
	    map,
	    unicode ? CHAFA_SYMBOL_TAG_BLOCK | CHAFA_SYMBOL_TAG_SPACE |
			  CHAFA_SYMBOL_TAG_SOLID | CHAFA_SYMBOL_TAG_HALF |
			  CHAFA_SYMBOL_TAG_QUAD |
			  (colors == SCR_PICTURE_MONO ? CHAFA_SYMBOL_TAG_STIPPLE
						      : 0)
		    : CHAFA_SYMBOL_TAG_ASCII | CHAFA_SYMBOL_TAG_SPACE);
	chafa_symbol_map_remove_by_tags(map, CHAFA_SYMBOL_TAG_WIDE);
	config = chafa_canvas_config_new();
	chafa_canvas_config_set_geometry(config, cols, rows);
	chafa_canvas_config_set_canvas_mode(config, canvas_mode(colors));
	chafa_canvas_config_set_symbol_map(config, map);
	/* Without colour, shades of grey become patterns of shapes. */
	if (colors == SCR_PICTURE_MONO)
		chafa_canvas_config_set_dither_mode(config,
						    CHAFA_DITHER_MODE_ORDERED);
	canvas = chafa_canvas_new(config);
	chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGBA8_UNASSOCIATED,
				     image->rgba + (size_t)y0 * image->stride +
					 (size_t)x0 * 4,
				     cw, ch, image->stride);

	pic->cells = calloc((size_t)cols * rows, sizeof(*pic->cells));
	if (pic->cells) {
		pic->cols = cols;
		pic->rows = rows;
		pic->x = (width - cols) / 2;
		pic->y = (height - rows) / 2;
		for (int y = 0; y < rows; y++) {
			for (int x = 0; x < cols; x++) {
				struct scr_picture_cell *c =
				    &pic->cells[(size_t)y * cols + x];
				gint fg = -1, bg = -1;

				c->ch = chafa_canvas_get_char_at(canvas, x, y);
				chafa_canvas_get_raw_colors_at(canvas, x, y,
							       &fg, &bg);
				c->fg = colors == SCR_PICTURE_MONO ? -1 : fg;
				c->bg = colors == SCR_PICTURE_MONO ? -1 : bg;
			}
		}
	}
	chafa_canvas_unref(canvas);
	chafa_canvas_config_unref(config);
	chafa_symbol_map_unref(map);
}

static enum scr_picture_colors terminal_colors(void)
{
	const char *no_color = getenv("NO_COLOR");

	if ((no_color && *no_color) || !has_colors())
		return SCR_PICTURE_MONO;
	/* Enough pairs for the pictures' colour combinations. */
	if (COLORS >= 256 && COLOR_PAIRS >= 4096)
		return SCR_PICTURE_256;
	if (COLORS >= 16 && COLOR_PAIRS >= FIRST_PAIR + 256)
		return SCR_PICTURE_16;
	if (COLORS >= 8 && COLOR_PAIRS >= FIRST_PAIR + 64)
		return SCR_PICTURE_8;
	return SCR_PICTURE_MONO;
}

/* Block symbols need a UTF-8 terminal that draws them one column wide
 * (they are East Asian ambiguous). */
static bool terminal_unicode(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0 &&
	       !scr_text_ambiguous_wide() && wcwidth(0x2580) == 1;
}

/* The pair of a colour combination, made on first use (an open-addressed
 * table, as a picture has hundreds of combinations and thousands of
 * cells); pairs run out only past the terminal's count, and then the cell
 * keeps its shape in the default colours. */
#define PAIR_SLOTS 16384 /* a power of two, over MAX_PAIRS */
#define MAX_PAIRS 8192

struct pairs {
	int n;
	int key[PAIR_SLOTS]; /* (fg + 1) << 16 | (bg + 1), 0: empty */
	int pair[PAIR_SLOTS];
};

static int pair_for(struct pairs *p, int fg, int bg)
{
	int key = (fg + 1) << 16 | (bg + 1);
	unsigned slot = ((unsigned)key * 2654435761u) & (PAIR_SLOTS - 1);
	int limit = COLOR_PAIRS - FIRST_PAIR;

	if (fg < 0 && bg < 0)
		return 0;
	while (p->key[slot] && p->key[slot] != key)
		slot = (slot + 1) & (PAIR_SLOTS - 1);
	if (p->key[slot])
		return p->pair[slot];
	if (limit > MAX_PAIRS)
		limit = MAX_PAIRS;
	if (FIRST_PAIR + p->n > 32767 || p->n >= limit)
		return 0;
	init_pair((short)(FIRST_PAIR + p->n), (short)fg, (short)bg);
	p->key[slot] = key;
	p->pair[slot] = FIRST_PAIR + p->n++;
	return p->pair[slot];
}

void scr_picture_draw(struct scr_picture *pic, const struct wq_image *image,
		      const struct scr_picture_view *view, struct scr_rect r)
{
	static struct pairs pairs;
	enum scr_picture_colors colors = terminal_colors();
	bool unicode = terminal_unicode();
	struct scr_picture_view v = *view;

	scr_picture_clamp(&v);
	if (pic->image != image || pic->width != r.w || pic->height != r.h ||
	    pic->colors != colors || pic->unicode != unicode ||
	    memcmp(&pic->view, &v, sizeof(v)) != 0)
		scr_picture_render(pic, image, &v, r.w, r.h, colors, unicode);
	/* Pairs are made anew for each drawing: the picture is the only
	 * user of them, and is drawn whole. */
	memset(&pairs, 0, sizeof(pairs));
	for (int y = 0; y < r.h; y++) {
		for (int x = 0; x < r.w; x++) {
			int py = y - pic->y, px = x - pic->x;
			const struct scr_picture_cell *c =
			    py >= 0 && py < pic->rows && px >= 0 &&
				    px < pic->cols
				? &pic->cells[(size_t)py * pic->cols + px]
				: NULL;
			wchar_t wch[2] = {L' ', L'\0'};
			cchar_t cc;
			int pair = 0;

			if (c) {
				/* chafa's symbols are plain and one column;
				 * anything else would be its bug, drawn as a
				 * blank. */
				if (wq_clean_class(c->ch) == WQ_CLEAN_PLAIN &&
				    wcwidth((wchar_t)c->ch) == 1)
					wch[0] = (wchar_t)c->ch;
				if (colors != SCR_PICTURE_MONO)
					pair = pair_for(&pairs, c->fg, c->bg);
			}
			setcchar(&cc, wch, A_NORMAL, (short)pair, NULL);
			mvwadd_wch(stdscr, r.y + y, r.x + x, &cc);
		}
	}
}
