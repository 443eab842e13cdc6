/* The demo capture back-end: first full frame, small damage afterwards, real
 * pixels, a cursor, visible reactions to input, damage merging. No X needed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"

#define W 320
#define H 200

static struct capture *open_demo(void)
{
	int err = 0;
	struct capture *c = capture_demo_open(W, H, 30, &err);
	assert_non_null(c);
	assert_int_equal(err, 0);
	return c;
}

static void assert_inside(const struct cap_rect *r, int n)
{
	for (int i = 0; i < n; i++) {
		assert_true(r[i].w > 0 && r[i].h > 0);
		assert_true(r[i].x >= 0 && r[i].y >= 0);
		assert_true(r[i].x + r[i].w <= W && r[i].y + r[i].h <= H);
	}
}

static bool covered(const struct cap_rect *r, int n, int x, int y)
{
	for (int i = 0; i < n; i++) {
		if (x >= r[i].x && x < r[i].x + r[i].w && y >= r[i].y && y < r[i].y + r[i].h) {
			return true;
		}
	}
	return false;
}

/* Wait for the timer and process until the back-end reports a change. */
static int process_until_change(struct capture *c)
{
	for (int i = 0; i < 100; i++) {
		struct pollfd p = {c->ops->fd(c), POLLIN, 0};
		assert_int_equal(poll(&p, 1, 1000), 1);
		int r = c->ops->process(c);
		assert_true(r >= 0);
		if (r == 1) {
			return r;
		}
	}
	fail_msg("the demo never changed");
	return 0;
}

static void test_bad_args(void **state)
{
	(void)state;
	int err = 0;
	assert_null(capture_demo_open(0, 200, 30, &err));
	assert_int_equal(err, -EINVAL);
	err = 0;
	assert_null(capture_demo_open(320, 200, 0, &err));
	assert_int_equal(err, -EINVAL);
}

static void test_first_frame_full_then_small(void **state)
{
	(void)state;
	struct capture *c = open_demo();
	int w = 0, h = 0;
	c->ops->size(c, &w, &h);
	assert_int_equal(w, W);
	assert_int_equal(h, H);

	struct cap_rect r[64];
	int n = c->ops->take_damage(c, r, 64);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].x, 0);
	assert_int_equal(r[0].y, 0);
	assert_int_equal(r[0].w, W);
	assert_int_equal(r[0].h, H);
	assert_int_equal(c->ops->take_damage(c, r, 64), 0); /* taken means gone */

	for (int frame = 0; frame < 5; frame++) {
		process_until_change(c);
		n = c->ops->take_damage(c, r, 64);
		assert_true(n > 0);
		assert_inside(r, n);
		long area = 0;
		for (int i = 0; i < n; i++) {
			area += (long)r[i].w * r[i].h;
		}
		assert_true(area < (long)W * H / 4); /* the box and a text line, not the screen */
	}
	c->ops->destroy(c);
}

static void test_pixels_not_uniform(void **state)
{
	(void)state;
	struct capture *c = open_demo();
	uint8_t *buf = calloc(1, (size_t)W * H * 4);
	assert_non_null(buf);
	struct cap_rect all = {0, 0, W, H};
	assert_int_equal(c->ops->grab(c, &all, buf, W * 4, 0, 0), 0);
	int bright = 0, distinct = 0;
	uint32_t seen[8] = {0};
	for (int i = 0; i < W * H; i++) {
		const uint8_t *p = buf + (size_t)i * 4;
		if (p[0] > 200 && p[1] > 200 && p[2] > 200) {
			bright++; /* white title text on a dark background */
		}
		uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
		bool known = false;
		for (int k = 0; k < distinct; k++) {
			known = known || seen[k] == v;
		}
		if (!known && distinct < 8) {
			seen[distinct++] = v;
		}
	}
	assert_true(bright > 100);
	assert_true(distinct >= 8);

	/* grab honours the destination origin: a 10x10 sub-rect into its own buffer */
	uint8_t small[10 * 10 * 4];
	struct cap_rect sub = {100, 50, 10, 10};
	assert_int_equal(c->ops->grab(c, &sub, small, 40, 100, 50), 0);
	for (int y = 0; y < 10; y++) {
		assert_memory_equal(small + y * 40, buf + ((size_t)(50 + y) * W + 100) * 4, 40);
	}
	free(buf);
	c->ops->destroy(c);
}

static void test_cursor(void **state)
{
	(void)state;
	struct capture *c = open_demo();
	struct cap_cursor cur;
	memset(&cur, 0, sizeof(cur));
	assert_int_equal(c->ops->cursor(c, &cur), 0);
	assert_true(cur.visible);
	assert_non_null(cur.argb);
	assert_true(cur.width > 0 && cur.width <= 96 && cur.height > 0 && cur.height <= 96);
	assert_true(cur.x >= 0 && cur.x < W && cur.y >= 0 && cur.y < H);
	int opaque = 0;
	for (int i = 0; i < cur.width * cur.height; i++) {
		opaque += (cur.argb[i] >> 24) == 0xff;
	}
	assert_true(opaque > 20);
	assert_int_equal(cur.argb[0] >> 24, 0xff); /* the hot spot is the tip */

	struct cap_input move = {CAP_INPUT_MOTION, 0, 30, 40, false, 0};
	assert_int_equal(c->ops->inject(c, &move), 0);
	assert_int_equal(c->ops->cursor(c, &cur), 0);
	assert_int_equal(cur.x, 30);
	assert_int_equal(cur.y, 40);
	c->ops->destroy(c);
}

static void test_input_damages(void **state)
{
	(void)state;
	struct capture *c = open_demo();
	struct cap_rect r[64];
	c->ops->take_damage(c, r, 64);

	struct cap_input key = {CAP_INPUT_KEY_UNICODE, 'A', 0, 0, true, 0};
	assert_int_equal(c->ops->inject(c, &key), 0);
	int n = c->ops->take_damage(c, r, 64);
	assert_true(n > 0);
	assert_inside(r, n);
	key.down = false;
	assert_int_equal(c->ops->inject(c, &key), 0);
	assert_int_equal(c->ops->take_damage(c, r, 64), 0); /* releases change nothing */

	struct cap_input scan = {CAP_INPUT_KEY_SCANCODE, 0x1e, 0, 0, true, 0}; /* 'a' */
	assert_int_equal(c->ops->inject(c, &scan), 0);
	assert_true(c->ops->take_damage(c, r, 64) > 0);

	struct cap_input click = {CAP_INPUT_BUTTON, 1, 150, 120, true, 0};
	assert_int_equal(c->ops->inject(c, &click), 0);
	n = c->ops->take_damage(c, r, 64);
	assert_true(n > 0);
	assert_inside(r, n);
	assert_true(covered(r, n, 150, 120));
	uint8_t px[4];
	struct cap_rect one = {150, 120, 1, 1};
	assert_int_equal(c->ops->grab(c, &one, px, 4, 150, 120), 0);
	assert_true(px[2] > 200 && px[1] < 120); /* the reddish dot */
	c->ops->destroy(c);
}

/* Many scattered clicks: the list stays within max and covers every click. */
static void test_damage_merge(void **state)
{
	(void)state;
	struct capture *c = open_demo();
	struct cap_rect r[64];
	c->ops->take_damage(c, r, 64);
	int xs[100], ys[100];
	for (int i = 0; i < 100; i++) {
		xs[i] = 10 + (i * 37) % 300;
		ys[i] = 60 + (i * 53) % 110;
		struct cap_input click = {CAP_INPUT_BUTTON, 1, xs[i], ys[i], true, 0};
		assert_int_equal(c->ops->inject(c, &click), 0);
	}
	struct cap_rect few[4];
	int n = c->ops->take_damage(c, few, 4);
	assert_true(n >= 1 && n <= 4);
	assert_inside(few, n);
	for (int i = 0; i < 100; i++) {
		assert_true(covered(few, n, xs[i], ys[i]));
	}
	c->ops->destroy(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_args),
	    cmocka_unit_test(test_first_frame_full_then_small),
	    cmocka_unit_test(test_pixels_not_uniform),
	    cmocka_unit_test(test_cursor),
	    cmocka_unit_test(test_input_damages),
	    cmocka_unit_test(test_damage_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
