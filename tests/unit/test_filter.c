/* The application filter's rules and pixels (src/filter_mask.c): which
 * windows are shown under the original's rules, the mask of what is on top,
 * and the background painted over everything else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "filter_mask.h"

enum { RED = 100, BLUE = 200 };

static struct cap_window win(uint32_t id, uint32_t app, int x, int y, int w, int h, bool listed,
                             uint32_t owner)
{
	struct cap_window c;
	memset(&c, 0, sizeof(c));
	c.id = id;
	c.app = app;
	c.x = x;
	c.y = y;
	c.w = w;
	c.h = h;
	c.viewable = true;
	c.listed = listed;
	c.owner = owner;
	return c;
}

static void test_rules(void **state)
{
	(void)state;
	/* red: two windows, a menu (no owner) and a dialog owned by window 2;
	 * blue: one window and a tooltip */
	struct cap_window w[] = {
	    win(1, RED, 0, 0, 10, 10, true, 0),  win(2, RED, 0, 0, 10, 10, true, 0),
	    win(3, RED, 0, 0, 10, 10, false, 0), win(4, RED, 0, 0, 10, 10, false, 2),
	    win(5, BLUE, 0, 0, 10, 10, true, 0), win(6, BLUE, 0, 0, 10, 10, false, 0),
	};
	bool sh[6];
	struct filter_policy p;
	memset(&p, 0, sizeof(p));
	filter_decide(w, 6, &p, sh); /* filter off: the whole desktop */
	for (int i = 0; i < 6; i++) {
		assert_true(sh[i]);
	}
	p.enabled = true;
	filter_decide(w, 6, &p, sh); /* on, nothing shared */
	for (int i = 0; i < 6; i++) {
		assert_false(sh[i]);
	}
	p.apps[p.n_apps++] = RED; /* the application: all its windows */
	filter_decide(w, 6, &p, sh);
	assert_true(sh[0] && sh[1] && sh[2] && sh[3]);
	assert_false(sh[4] || sh[5]);
	p.n_apps = 0;
	p.wins[p.n_wins++] = 1; /* one window: itself and its application's menus */
	filter_decide(w, 6, &p, sh);
	assert_true(sh[0]);
	assert_false(sh[1]);
	assert_true(sh[2]);  /* the menu follows the application */
	assert_false(sh[3]); /* the dialog follows its owner, window 2 */
	assert_false(sh[4] || sh[5]);
	p.wins[0] = 2;
	filter_decide(w, 6, &p, sh);
	assert_true(sh[1] && sh[3]);
	assert_false(sh[0]);
}

static void test_owner_loop_ends(void **state)
{
	(void)state;
	struct cap_window w[] = {win(1, RED, 0, 0, 4, 4, false, 2),
	                         win(2, RED, 0, 0, 4, 4, false, 1)};
	struct filter_policy p;
	memset(&p, 0, sizeof(p));
	p.enabled = true;
	bool sh[2];
	filter_decide(w, 2, &p, sh);
	assert_false(sh[0] || sh[1]);
}

static void test_mask_overlap(void **state)
{
	(void)state;
	enum { W = 40, H = 30 };
	/* shared red at the bottom, non-shared blue over part of it, a hidden
	 * red window on top that must not count */
	struct cap_window w[] = {win(1, RED, 5, 5, 20, 10, true, 0),
	                         win(2, BLUE, 15, 8, 20, 20, true, 0),
	                         win(3, RED, 0, 0, 40, 30, true, 0)};
	w[2].viewable = false;
	bool sh[] = {true, false, true};
	uint8_t *mask = malloc(W * H);
	struct cap_rect rects[4];
	int n = filter_paint(mask, W, H, w, 3, sh, rects, 4);
	assert_int_equal(n, 1);
	assert_int_equal(rects[0].x, 5);
	assert_int_equal(rects[0].w, 20);
	assert_int_equal(mask[6 * W + 6], 1);   /* red, uncovered */
	assert_int_equal(mask[9 * W + 16], 0);  /* red under blue */
	assert_int_equal(mask[20 * W + 20], 0); /* blue */
	assert_int_equal(mask[0], 0);           /* the root */
	/* blue moves away: the difference is where the overlap was */
	uint8_t *mask2 = malloc(W * H);
	w[1].x = 30;
	filter_paint(mask2, W, H, w, 3, sh, rects, 4);
	struct cap_rect d;
	assert_true(filter_mask_diff(mask, mask2, W, H, &d));
	assert_int_equal(d.x, 15);
	assert_int_equal(d.y, 8);
	assert_int_equal(d.w, 10);
	assert_int_equal(d.h, 7);
	assert_false(filter_mask_diff(mask2, mask2, W, H, &d));
	/* the pixels: masked ones become the background colour (BGRX) */
	uint32_t px[W * H];
	for (int i = 0; i < W * H; i++) {
		px[i] = 0x00FF0000u;
	}
	struct cap_rect all = {0, 0, W, H};
	filter_apply(mask, W, H, &all, (uint8_t *)px, W * 4, 0, 0, 0x303030);
	assert_int_equal(px[6 * W + 6], 0x00FF0000u);
	assert_int_equal(px[9 * W + 16], 0x303030u);
	assert_int_equal(px[0], 0x303030u);
	/* a mask smaller than the area (the desktop shrank), and no mask at all:
	 * what lies outside is hidden, nothing is read past the mask */
	px[6 * W + 6] = 0x00FF0000u;
	uint8_t small[(W / 2) * (H / 2)];
	filter_paint(small, W / 2, H / 2, w, 3, sh, rects, 4);
	filter_apply(small, W / 2, H / 2, &all, (uint8_t *)px, W * 4, 0, 0, 0x101010);
	assert_int_equal(px[6 * W + 6], 0x00FF0000u);
	assert_int_equal(px[(H - 1) * W + W - 1], 0x101010u);
	filter_apply(NULL, 0, 0, &all, (uint8_t *)px, W * 4, 0, 0, 0x202020);
	assert_int_equal(px[6 * W + 6], 0x202020u);
	free(mask);
	free(mask2);
}

static void test_offscreen_windows(void **state)
{
	(void)state;
	uint8_t mask[16];
	struct cap_window w[] = {win(1, RED, -10, -10, 5, 5, true, 0),
	                         win(2, RED, 2, 2, 100, 100, true, 0)};
	bool sh[] = {true, true};
	struct cap_rect rects[4];
	int n = filter_paint(mask, 4, 4, w, 2, sh, rects, 4);
	assert_int_equal(n, 1); /* the first lies outside the desktop */
	assert_int_equal(rects[0].w, 2);
	assert_int_equal(mask[3 * 4 + 3], 1);
	assert_int_equal(mask[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rules),
	    cmocka_unit_test(test_owner_loop_ends),
	    cmocka_unit_test(test_mask_overlap),
	    cmocka_unit_test(test_offscreen_windows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
