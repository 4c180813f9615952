/* weiquan console: a picture drawn in character cells.
 *
 * chafa's canvas turns the pixels of a photo, a screenshot or a PDF page
 * into cells, each a symbol from chafa's own table (blocks and borders, or
 * ASCII) with a foreground and a background colour; the console puts
 * those through ncurses like any other cell.  So no byte of the file
 * reaches the terminal: only symbols chafa chose and palette indexes.
 * Works in any terminal, over any SSH link; no sixel or kitty graphics.
 *
 * The picture keeps its aspect ratio (a cell taken as twice as tall as
 * wide), fits the rectangle at zoom 1, and shows the part around
 * (cx, cy), fractions of the width and height, when zoomed in.  Without
 * colour (NO_COLOR, a monochrome terminal) the shapes alone draw it. */
#ifndef WEIQUAN_SCREENS_PICTURE_H
#define WEIQUAN_SCREENS_PICTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "screens/layout.h"
#include "weiquan/media.h"

#define SCR_PICTURE_MAX_ZOOM 16.0

struct scr_picture_view {
	double zoom;   /* 1: the whole picture; 2: half its width... */
	double cx, cy; /* the centre of what is shown, 0..1 */
};

/* How the cells may be drawn. */
enum scr_picture_colors {
	SCR_PICTURE_MONO, /* shapes only */
	SCR_PICTURE_8,
	SCR_PICTURE_16,
	SCR_PICTURE_256,
};

struct scr_picture_cell {
	uint32_t ch; /* a symbol of chafa's table, one column wide */
	int fg, bg;  /* palette indexes; -1: the terminal's default */
};

/* A picture rendered for one rectangle: cols x rows cells, placed at
 * (x, y) inside it (centred), the rest blank. */
struct scr_picture {
	struct scr_picture_cell *cells;
	int cols, rows, x, y;
	/* what it was rendered for, to render again only on a change */
	const struct wq_image *image;
	struct scr_picture_view view;
	int width, height;
	enum scr_picture_colors colors;
	bool unicode;
};

/* Keeps the view within the picture: zoom 1..SCR_PICTURE_MAX_ZOOM, the
 * centre where the shown part stays inside. */
void scr_picture_clamp(struct scr_picture_view *view);

/* Renders image for a width x height rectangle (no terminal needed);
 * unicode: block symbols, else ASCII. */
void scr_picture_render(struct scr_picture *pic, const struct wq_image *image,
			const struct scr_picture_view *view, int width,
			int height, enum scr_picture_colors colors,
			bool unicode);
void scr_picture_free(struct scr_picture *pic);

/* Renders (when anything changed) and draws image in r on stdscr, in the
 * terminal's colours and the locale's symbols. */
void scr_picture_draw(struct scr_picture *pic, const struct wq_image *image,
		      const struct scr_picture_view *view, struct scr_rect r);

#endif
