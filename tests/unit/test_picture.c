/* Unit tests of screens/picture.c without a terminal: a decoded picture
 * rendered into cells with chafa, fitted with its aspect ratio, zoomed,
 * panned, and in shapes alone without colour. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "screens/picture.h"
#include "tests/media/samples.h"
#include "weiquan/clean.h"
#include "weiquan/media.h"

static const struct scr_picture_view fit = {1, 0.5, 0.5};

static struct wq_image *decoded(int w, int h)
{
	struct sample s = sample_picture(w, h, "png");
	struct wq_image *im = NULL;
	struct wq_media_problem why;

	assert_int_equal(wq_image_decode(s.bytes, s.len, &im, &why), WQ_ERR_OK);
	sample_free(&s);
	return im;
}

static const struct scr_picture_cell *cell(const struct scr_picture *p, int x,
					   int y)
{
	return &p->cells[(size_t)y * p->cols + x];
}

/* xterm's 256 colours: 196 is pure red, 21 pure blue. */
static bool reddish(const struct scr_picture_cell *c)
{
	return c->bg == 196 || c->fg == 196 || c->bg == 160 || c->bg == 9;
}

/* A 640x480 picture in an 80x18 pane: cells are twice as tall as wide,
 * so 48x18, centred; red on the left, blue on the right. */
static void test_fit_and_aspect(void **state)
{
	struct wq_image *im = decoded(640, 480);
	struct scr_picture p = {0};

	(void)state;
	scr_picture_render(&p, im, &fit, 80, 18, SCR_PICTURE_256, true);
	assert_int_equal(p.rows, 18);
	assert_int_equal(p.cols, 48);
	assert_int_equal(p.x, 16);
	assert_int_equal(p.y, 0);
	assert_true(reddish(cell(&p, 1, 1)));
	assert_int_equal(cell(&p, p.cols - 2, 1)->bg, 21);
	/* Every symbol is chafa's, plain and narrow. */
	for (int i = 0; i < p.cols * p.rows; i++)
		assert_int_equal(wq_clean_class(p.cells[i].ch), WQ_CLEAN_PLAIN);
	/* A tall screenshot in the same pane: full height, narrow. */
	scr_picture_free(&p);
	wq_image_free(&im);
	im = decoded(360, 780);
	scr_picture_render(&p, im, &fit, 80, 18, SCR_PICTURE_256, true);
	assert_int_equal(p.rows, 18);
	assert_true(p.cols >= 14 && p.cols <= 18);
	scr_picture_free(&p);
	wq_image_free(&im);
}

/* Zoomed in 4x on the middle, the white square fills the pane; panned
 * to the left edge, the red does. */
static void test_zoom_and_pan(void **state)
{
	struct wq_image *im = decoded(640, 480);
	struct scr_picture p = {0};
	struct scr_picture_view v = {4, 0.5, 0.5};
	int white = 0;

	(void)state;
	scr_picture_render(&p, im, &v, 80, 18, SCR_PICTURE_256, true);
	for (int i = 0; i < p.cols * p.rows; i++)
		white += p.cells[i].bg == 231 || p.cells[i].bg == 15 ||
			 p.cells[i].bg == 255;
	assert_true(white > p.cols * p.rows * 9 / 10);
	scr_picture_free(&p);
	v.cx = 0;
	scr_picture_clamp(&v);
	assert_true(v.cx > 0.12 && v.cx < 0.13);
	scr_picture_render(&p, im, &v, 80, 18, SCR_PICTURE_256, true);
	assert_true(reddish(cell(&p, p.cols / 2, p.rows / 2)));
	scr_picture_free(&p);
	wq_image_free(&im);
}

static void test_clamp(void **state)
{
	struct scr_picture_view v = {0.2, -3, 7};

	(void)state;
	scr_picture_clamp(&v);
	assert_true(v.zoom == 1 && v.cx == 0.5 && v.cy == 0.5);
	v = (struct scr_picture_view){100, 1, 0};
	scr_picture_clamp(&v);
	assert_true(v.zoom == SCR_PICTURE_MAX_ZOOM);
	assert_true(v.cx < 1 && v.cy > 0);
}

/* Without colour every cell has the default colours and the picture
 * lives in its shapes: the white square differs from what is around. */
static void test_mono_shapes(void **state)
{
	struct wq_image *im = decoded(640, 480);
	struct scr_picture p = {0};
	uint32_t middle, corner;

	(void)state;
	scr_picture_render(&p, im, &fit, 80, 18, SCR_PICTURE_MONO, true);
	for (int i = 0; i < p.cols * p.rows; i++) {
		assert_int_equal(p.cells[i].fg, -1);
		assert_int_equal(p.cells[i].bg, -1);
	}
	middle = cell(&p, p.cols / 2, p.rows / 2)->ch;
	corner = cell(&p, 1, 1)->ch;
	assert_int_not_equal(middle, corner);
	scr_picture_free(&p);
	/* ASCII only where blocks cannot be shown. */
	scr_picture_render(&p, im, &fit, 80, 18, SCR_PICTURE_MONO, false);
	for (int i = 0; i < p.cols * p.rows; i++)
		assert_true(p.cells[i].ch >= 0x20 && p.cells[i].ch < 0x7f);
	scr_picture_free(&p);
	wq_image_free(&im);
}

static void test_degenerate(void **state)
{
	struct wq_image *im = decoded(1, 1);
	struct scr_picture p = {0};

	(void)state;
	scr_picture_render(&p, im, &fit, 80, 18, SCR_PICTURE_16, true);
	assert_true(p.cols >= 1 && p.rows >= 1);
	scr_picture_free(&p);
	scr_picture_render(&p, im, &fit, 0, 0, SCR_PICTURE_16, true);
	assert_null(p.cells);
	scr_picture_render(&p, NULL, &fit, 80, 18, SCR_PICTURE_16, true);
	assert_null(p.cells);
	wq_image_free(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fit_and_aspect),
	    cmocka_unit_test(test_zoom_and_pan),
	    cmocka_unit_test(test_clamp),
	    cmocka_unit_test(test_mono_shapes),
	    cmocka_unit_test(test_degenerate),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
