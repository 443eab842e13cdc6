/* What the capture back-ends' unit tests (test_capture_x11, _wlroots,
 * _gnome) share: waiting on a back-end, looking at damage, and a back-end
 * whose desktop went away. Header only. */
#ifndef RDPSHARE_TEST_CAPTURE_TEST_H
#define RDPSHARE_TEST_CAPTURE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <poll.h>
#include <stdbool.h>

#include "capture/capture.h"
#include "util/clock.h"

/* Poll c for up to ms and process it when readable; the process() result,
 * or 0 when nothing came. */
static inline int cap_pump(struct capture *c, int ms)
{
	struct pollfd p = {c->ops->fd(c), POLLIN, 0};
	if (poll(&p, 1, ms) <= 0) {
		return 0;
	}
	return c->ops->process(c);
}

/* Does one of the n rectangles r cover pixel (x, y)? */
static inline bool cap_covered(const struct cap_rect *r, int n, int x, int y)
{
	for (int i = 0; i < n; i++) {
		if (x >= r[i].x && x < r[i].x + r[i].w && y >= r[i].y && y < r[i].y + r[i].h) {
			return true;
		}
	}
	return false;
}

/* The damage c has now is one rectangle, the whole w x h desktop (the
 * first a back-end reports). */
static inline void cap_assert_full_damage(struct capture *c, int w, int h)
{
	struct cap_rect r[64];
	assert_int_equal(c->ops->take_damage(c, r, 64), 1);
	assert_int_equal(r[0].x, 0);
	assert_int_equal(r[0].y, 0);
	assert_int_equal(r[0].w, w);
	assert_int_equal(r[0].h, h);
}

/* c's desktop went away: within ms process() fails, and keeps failing, and
 * so do grab, inject and cursor. */
static inline void cap_assert_dead(struct capture *c, int ms)
{
	int r = 0;
	for (int64_t end = util_clock_ms() + ms; r >= 0 && util_clock_ms() < end;) {
		r = cap_pump(c, 100);
	}
	assert_true(r < 0);
	assert_true(c->ops->process(c) < 0);
	uint8_t px[4];
	struct cap_rect one = {0, 0, 1, 1};
	assert_true(c->ops->grab(c, &one, px, 4, 0, 0) < 0);
	struct cap_input move = {CAP_INPUT_MOTION, 0, 10, 10, false, 0};
	assert_true(c->ops->inject(c, &move) < 0);
	struct cap_cursor cur;
	assert_true(c->ops->cursor(c, &cur) < 0);
}

#endif
