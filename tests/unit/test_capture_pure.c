/* The pure parts of the capture back-ends: tile damage by comparison
 * (tiles.c) and pixel and cursor conversions (pixconv.c); the scancode
 * table and UTF-16 joining are in test_scancode.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/input-event-codes.h>
#include <stdlib.h>
#include <string.h>

#include "capture/damage.h"
#include "capture/pixconv.h"
#include "capture/tiles.h"

static bool covered(const struct cap_rect *r, int n, int x, int y)
{
	for (int i = 0; i < n; i++) {
		if (x >= r[i].x && x < r[i].x + r[i].w && y >= r[i].y && y < r[i].y + r[i].h) {
			return true;
		}
	}
	return false;
}

static int64_t area(const struct cap_rect *r, int n)
{
	int64_t a = 0;
	for (int i = 0; i < n; i++) {
		a += (int64_t)r[i].w * r[i].h;
	}
	return a;
}

struct pic {
	int w, h, stride;
	uint8_t *px;
};

static struct pic pic_new(int w, int h, int pad)
{
	struct pic p = {w, h, w * 4 + pad, NULL};
	p.px = calloc((size_t)p.stride, (size_t)h);
	assert_non_null(p.px);
	return p;
}

static void put(struct pic *p, int x, int y, uint32_t bgrx)
{
	memcpy(p->px + (size_t)y * (size_t)p->stride + (size_t)x * 4, &bgrx, 4);
}

static uint32_t get(const struct pic *p, int x, int y)
{
	uint32_t v;
	memcpy(&v, p->px + (size_t)y * (size_t)p->stride + (size_t)x * 4, 4);
	return v;
}

/* ---- tiles ---- */

static void test_tiles_identical_is_nothing(void **state)
{
	(void)state;
	struct pic fb = pic_new(200, 130, 0), src = pic_new(200, 130, 12);
	struct damage d = {.n = 0};
	struct cap_rect all = {0, 0, 200, 130};
	assert_false(
	    tiles_update(fb.px, fb.stride, src.px, src.stride, PIX_BGRX, 200, 130, &all, NULL, &d));
	assert_int_equal(d.n, 0);
	free(fb.px);
	free(src.px);
}

static void test_tiles_one_pixel_one_tile(void **state)
{
	(void)state;
	struct pic fb = pic_new(300, 200, 0), src = pic_new(300, 200, 8);
	struct damage d = {.n = 0};
	struct cap_rect all = {0, 0, 300, 200};
	put(&src, 130, 70, 0x12c034);
	assert_true(
	    tiles_update(fb.px, fb.stride, src.px, src.stride, PIX_BGRX, 300, 200, &all, NULL, &d));
	struct cap_rect r[8];
	int n = damage_take(&d, r, 8);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].x, 128);
	assert_int_equal(r[0].y, 64);
	assert_int_equal(r[0].w, 64);
	assert_int_equal(r[0].h, 64);
	assert_int_equal(get(&fb, 130, 70), 0x12c034);
	/* again: nothing new */
	assert_false(
	    tiles_update(fb.px, fb.stride, src.px, src.stride, PIX_BGRX, 300, 200, &all, NULL, &d));
	assert_int_equal(d.n, 0);
	free(fb.px);
	free(src.px);
}

/* A change at the ragged right and bottom edge: the tile is clipped. */
static void test_tiles_edges_clipped(void **state)
{
	(void)state;
	struct pic fb = pic_new(100, 70, 0), src = pic_new(100, 70, 0);
	struct damage d = {.n = 0};
	struct cap_rect all = {0, 0, 100, 70};
	put(&src, 99, 69, 0xffffff);
	assert_true(
	    tiles_update(fb.px, fb.stride, src.px, src.stride, PIX_BGRX, 100, 70, &all, NULL, &d));
	struct cap_rect r[8];
	int n = damage_take(&d, r, 8);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].x, 64);
	assert_int_equal(r[0].y, 64);
	assert_int_equal(r[0].w, 36);
	assert_int_equal(r[0].h, 6);
	free(fb.px);
	free(src.px);
}

/* A changed block spanning tiles becomes one rectangle of whole tiles;
 * everything in it is copied, nothing outside it is damaged. */
static void test_tiles_block_joins(void **state)
{
	(void)state;
	int w = 640, h = 480;
	struct pic fb = pic_new(w, h, 0), src = pic_new(w, h, 0);
	struct damage d = {.n = 0};
	struct cap_rect all = {0, 0, w, h};
	for (int y = 100; y < 300; y++) {
		for (int x = 150; x < 400; x++) {
			put(&src, x, y, (uint32_t)(x * 7 + y));
		}
	}
	assert_true(
	    tiles_update(fb.px, fb.stride, src.px, src.stride, PIX_BGRX, w, h, &all, NULL, &d));
	struct cap_rect r[64];
	int n = damage_take(&d, r, 64);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].x, 128);
	assert_int_equal(r[0].y, 64);
	assert_int_equal(r[0].w, 448 - 128);
	assert_int_equal(r[0].h, 320 - 64);
	assert_memory_equal(fb.px, src.px, (size_t)w * (size_t)h * 4);
	free(fb.px);
	free(src.px);
}

/* Two changes far apart stay two rectangles; a clip limits the compare. */
static void test_tiles_apart_and_clip(void **state)
{
	(void)state;
	int w = 640, h = 480;
	struct pic fb = pic_new(w, h, 0), src = pic_new(w, h, 0);
	struct damage d = {.n = 0};
	struct cap_rect all = {0, 0, w, h};
	put(&src, 5, 5, 1);
	put(&src, 600, 400, 2);
	assert_true(
	    tiles_update(fb.px, fb.stride, src.px, src.stride, PIX_BGRX, w, h, &all, NULL, &d));
	struct cap_rect r[64];
	int n = damage_take(&d, r, 64);
	assert_int_equal(n, 2);
	assert_true(covered(r, n, 5, 5));
	assert_true(covered(r, n, 600, 400));
	assert_int_equal(area(r, n), 64 * 64 * 2);

	/* outside the clip a change is neither copied nor damaged */
	put(&src, 10, 10, 3);
	put(&src, 300, 300, 4);
	struct cap_rect clip = {256, 256, 100, 100};
	assert_true(
	    tiles_update(fb.px, fb.stride, src.px, src.stride, PIX_BGRX, w, h, &clip, NULL, &d));
	n = damage_take(&d, r, 64);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].x, 256);
	assert_int_equal(r[0].y, 256);
	assert_int_equal(r[0].w, 64);
	assert_int_equal(r[0].h, 64);
	assert_int_equal(get(&fb, 300, 300), 4);
	assert_int_equal(get(&fb, 10, 10), 0);
	free(fb.px);
	free(src.px);
}

/* Frames in another layout are converted while compared. */
static void test_tiles_convert_rgbx(void **state)
{
	(void)state;
	int w = 70, h = 10;
	struct pic fb = pic_new(w, h, 0), src = pic_new(w, h, 4);
	uint8_t *row = malloc((size_t)w * 4);
	struct damage d = {.n = 0};
	struct cap_rect all = {0, 0, w, h};
	/* RGBx bytes 12 c0 34 xx are BGRX 34 c0 12 ff */
	uint8_t *p = src.px + (size_t)3 * (size_t)src.stride + 66 * 4;
	p[0] = 0x12;
	p[1] = 0xc0;
	p[2] = 0x34;
	p[3] = 0x00;
	/* the rest is black with x = 0: as BGRX 00 00 00 ff, unlike fb's zeros */
	assert_true(
	    tiles_update(fb.px, fb.stride, src.px, src.stride, PIX_RGBX, w, h, &all, row, &d));
	const uint8_t *q = fb.px + (size_t)3 * (size_t)fb.stride + 66 * 4;
	assert_int_equal(q[0], 0x34);
	assert_int_equal(q[1], 0xc0);
	assert_int_equal(q[2], 0x12);
	assert_int_equal(q[3], 0xff);
	/* a second, identical frame compares equal after conversion */
	d.n = 0;
	assert_false(
	    tiles_update(fb.px, fb.stride, src.px, src.stride, PIX_RGBX, w, h, &all, row, &d));
	free(row);
	free(fb.px);
	free(src.px);
}

/* A frame where every other tile changes: at most DAMAGE_MAX rectangles
 * are kept, and all the change is still covered. */
static void test_tiles_checkerboard_covered(void **state)
{
	(void)state;
	int w = 1920, h = 1080;
	struct pic fb = pic_new(w, h, 0), src = pic_new(w, h, 0);
	struct damage d = {.n = 0};
	struct cap_rect all = {0, 0, w, h};
	for (int ty = 0; ty * 64 < h; ty++) {
		for (int tx = 0; tx * 64 < w; tx++) {
			if ((tx + ty) % 2 == 0) {
				put(&src, tx * 64 + 3, ty * 64 + 3, 9);
			}
		}
	}
	assert_true(
	    tiles_update(fb.px, fb.stride, src.px, src.stride, PIX_BGRX, w, h, &all, NULL, &d));
	struct cap_rect r[DAMAGE_MAX];
	int n = damage_take(&d, r, DAMAGE_MAX);
	assert_true(n >= 1 && n <= DAMAGE_MAX);
	for (int ty = 0; ty * 64 < h; ty++) {
		for (int tx = 0; tx * 64 < w; tx++) {
			if ((tx + ty) % 2 == 0) {
				assert_true(covered(r, n, tx * 64 + 3, ty * 64 + 3));
			}
		}
	}
	assert_memory_equal(fb.px, src.px, (size_t)w * (size_t)h * 4);
	free(fb.px);
	free(src.px);
}

/* ---- pixel layouts ---- */

static void test_pix_layouts(void **state)
{
	(void)state;
	/* one pixel of colour r=0x12 g=0xc0 b=0x34 in each layout, alpha 0x80 */
	static const struct {
		enum pix_format f;
		uint8_t bytes[4];
	} cases[] = {
	    {PIX_BGRX, {0x34, 0xc0, 0x12, 0x80}}, {PIX_BGRA, {0x34, 0xc0, 0x12, 0x80}},
	    {PIX_RGBX, {0x12, 0xc0, 0x34, 0x80}}, {PIX_RGBA, {0x12, 0xc0, 0x34, 0x80}},
	    {PIX_XRGB, {0x80, 0x12, 0xc0, 0x34}}, {PIX_ARGB, {0x80, 0x12, 0xc0, 0x34}},
	    {PIX_XBGR, {0x80, 0x34, 0xc0, 0x12}}, {PIX_ABGR, {0x80, 0x34, 0xc0, 0x12}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t out[8] = {0};
		uint8_t in[8];
		memcpy(in, cases[i].bytes, 4);
		memcpy(in + 4, cases[i].bytes, 4);
		pix_to_bgrx(cases[i].f, in, out, 2);
		for (int k = 0; k < 2; k++) {
			assert_int_equal(out[k * 4 + 0], 0x34);
			assert_int_equal(out[k * 4 + 1], 0xc0);
			assert_int_equal(out[k * 4 + 2], 0x12);
		}
	}
	uint8_t out[4] = {1, 2, 3, 4};
	pix_to_bgrx((enum pix_format)99, out, out + 0, 1); /* unknown: nothing written */
	assert_int_equal(out[0], 1);
	pix_to_bgrx(PIX_RGBX, out, out, 0);
}

/* ---- cursors ---- */

static void test_cursor_unpremultiplies(void **state)
{
	(void)state;
	/* RGBA premultiplied: opaque red, half-alpha white (0x80 0x80 0x80 0x80),
	 * transparent with junk colour, quarter-alpha grey */
	const uint8_t px[4 * 4] = {0xff, 0,    0,    0xff, 0x80, 0x80, 0x80, 0x80,
	                           0x33, 0x44, 0x55, 0,    0x20, 0x20, 0x20, 0x40};
	uint32_t out[4];
	int ow, oh;
	int n = pix_cursor_to_argb(PIX_RGBA, true, px, 16, 4, 1, 96, out, &ow, &oh);
	assert_int_equal(n, 3);
	assert_int_equal(ow, 4);
	assert_int_equal(oh, 1);
	assert_int_equal(out[0], 0xffff0000u);
	assert_int_equal(out[1], 0x80ffffffu);
	assert_int_equal(out[2], 0u);
	assert_int_equal(out[3], 0x40808080u);
	/* straight input stays as it is */
	n = pix_cursor_to_argb(PIX_RGBA, false, px, 16, 4, 1, 96, out, &ow, &oh);
	assert_int_equal(out[1], 0x80808080u);
	/* no alpha channel: opaque */
	n = pix_cursor_to_argb(PIX_BGRX, true, px, 16, 4, 1, 96, out, &ow, &oh);
	assert_int_equal(n, 4);
	assert_int_equal(out[0], 0xff0000ffu);
}

static void test_cursor_cropped_and_hostile(void **state)
{
	(void)state;
	int w = 384, h = 200;
	uint8_t *px = calloc((size_t)w * 4, (size_t)h);
	assert_non_null(px);
	px[(5 * w + 7) * 4 + 3] = 0xff;     /* one opaque pixel inside the crop */
	px[(150 * w + 300) * 4 + 3] = 0xff; /* one outside */
	uint32_t out[96 * 96];
	int ow, oh;
	int n = pix_cursor_to_argb(PIX_BGRA, true, px, w * 4, w, h, 96, out, &ow, &oh);
	assert_int_equal(ow, 96);
	assert_int_equal(oh, 96);
	assert_int_equal(n, 1);
	assert_int_equal(out[5 * 96 + 7], 0xff000000u);
	/* a stride too short for the width, no size, an unknown layout: nothing */
	assert_int_equal(pix_cursor_to_argb(PIX_BGRA, true, px, w * 4 - 1, w, h, 96, out, &ow, &oh),
	                 0);
	assert_int_equal(ow, 0);
	assert_int_equal(pix_cursor_to_argb(PIX_BGRA, true, px, 0, 0, 0, 96, out, &ow, &oh), 0);
	assert_int_equal(
	    pix_cursor_to_argb((enum pix_format)42, true, px, w * 4, 4, 4, 96, out, &ow, &oh), 0);
	free(px);
}

/* ---- keys ---- */

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tiles_identical_is_nothing),
	    cmocka_unit_test(test_tiles_one_pixel_one_tile),
	    cmocka_unit_test(test_tiles_edges_clipped),
	    cmocka_unit_test(test_tiles_block_joins),
	    cmocka_unit_test(test_tiles_apart_and_clip),
	    cmocka_unit_test(test_tiles_convert_rgbx),
	    cmocka_unit_test(test_tiles_checkerboard_covered),
	    cmocka_unit_test(test_pix_layouts),
	    cmocka_unit_test(test_cursor_unpremultiplies),
	    cmocka_unit_test(test_cursor_cropped_and_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
