/* The wlroots capture back-end against a private headless sway (pixman, as
 * the unprivileged user rdpshare-wl): open errors, the first full frame at
 * the output's size, damage and exact pixels for a window of a known
 * colour, grab() offsets, silence when still, the pointer's motion,
 * following an output resize, and a clean error when the compositor dies.
 * The tests share one compositor and one back-end and run in order; the
 * last one kills the compositor. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture/capture.h"
#include "capture_test.h"
#include "sway_headless.h"
#include "util/clock.h"

#define W 640
#define H 480
#define COLOR 0x12c034u /* R 0x12, G 0xc0, B 0x34: catches swapped channels */
static struct headless_sway sway;
static pid_t foot_pid = -1;
static struct capture *cap;

static int group_setup(void **state)
{
	(void)state;
	if (!sway_start(&sway, W, H, "xwayland disable")) {
		fprintf(stderr, "cannot start sway\n");
		return -1;
	}
	char why[256] = "";
	int err = 0;
	cap = capture_wlroots_open(sway.wayland, why, sizeof(why), &err);
	if (!cap) {
		fprintf(stderr, "capture_wlroots_open: %d: %s\n", err, why);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (cap) {
		cap->ops->destroy(cap);
	}
	sway_reap(foot_pid);
	sway_stop(&sway);
	return 0;
}

static int pump(int ms)
{
	return cap_pump(cap, ms);
}

/* Collect damage for up to ms until (x, y) is covered; the count. */
static int damage_until(struct cap_rect *all, int max, int x, int y, int ms)
{
	int n = 0;
	for (int64_t end = util_clock_ms() + ms; util_clock_ms() < end;) {
		assert_true(pump(50) >= 0);
		n += cap->ops->take_damage(cap, all + n, max - n > 64 ? 64 : max - n);
		if (cap_covered(all, n, x, y) || n >= max) {
			break;
		}
	}
	return n;
}

static void pixel(int x, int y, uint8_t px[4])
{
	struct cap_rect one = {x, y, 1, 1};
	assert_int_equal(cap->ops->grab(cap, &one, px, 4, x, y), 0);
}

static void test_open_errors(void **state)
{
	(void)state;
	char why[256] = "";
	int err = 0;
	assert_null(capture_wlroots_open("/nonexistent/wayland-9", why, sizeof(why), &err));
	assert_int_equal(err, -ENXIO);
	assert_non_null(strstr(why, "/nonexistent/wayland-9"));
	assert_int_equal(capture_wlroots_probe("/nonexistent/wayland-9", why, sizeof(why)), -ENXIO);
	assert_int_equal(capture_wlroots_probe(sway.wayland, why, sizeof(why)), 0);
}

static void test_first_damage_is_full(void **state)
{
	(void)state;
	int w = 0, h = 0;
	cap->ops->size(cap, &w, &h);
	assert_int_equal(w, W);
	assert_int_equal(h, H);
	cap_assert_full_damage(cap, W, H);
	uint8_t px[4];
	pixel(W - 1, H - 1, px); /* the background, far from the pointer */
	assert_int_equal(px[0], 0x60);
	assert_int_equal(px[1], 0x40);
	assert_int_equal(px[2], 0x20);
}

static void test_window_damage_and_pixels(void **state)
{
	(void)state;
	/* the pointer out of the way, in the top-left corner */
	struct cap_input mv = {.kind = CAP_INPUT_MOTION, .x = 0, .y = 0};
	assert_int_equal(cap->ops->inject(cap, &mv), 0);
	char *argv[] = {"foot",
	                "-o",
	                "colors.background=12c034",
	                "-o",
	                "cursor.color=12c034 12c034",
	                "sh",
	                "-c",
	                "sleep 600",
	                NULL};
	foot_pid = sway_client(&sway, argv);
	struct cap_rect all[256];
	uint8_t px[4] = {0};
	for (int64_t end = util_clock_ms() + 5000; util_clock_ms() < end;) {
		damage_until(all, 256, W / 2, H / 2, 200);
		pixel(W / 2, H / 2, px);
		if (px[1] == 0xc0) {
			break;
		}
	}
	assert_int_equal(px[0], COLOR & 0xff);
	assert_int_equal(px[1], (COLOR >> 8) & 0xff);
	assert_int_equal(px[2], (COLOR >> 16) & 0xff);

	/* a rect lands at the caller's offset */
	uint8_t buf[20 * 10 * 4];
	memset(buf, 0xaa, sizeof(buf));
	struct cap_rect r = {W - 20, H - 10, 20, 10};
	assert_int_equal(cap->ops->grab(cap, &r, buf, 20 * 4, W - 20, H - 10), 0);
	for (int i = 0; i < 20 * 10; i++) {
		assert_int_equal(buf[i * 4 + 1], 0xc0);
	}
	/* a rect reaching past the desktop is cut, nothing written outside */
	memset(buf, 0xaa, sizeof(buf));
	struct cap_rect past = {W - 10, H - 5, 20, 10};
	assert_int_equal(cap->ops->grab(cap, &past, buf, 20 * 4, W - 10, H - 5), 0);
	assert_int_equal(buf[(0 * 20 + 5) * 4 + 1], 0xc0);
	assert_int_equal(buf[(0 * 20 + 15) * 4 + 1], 0xaa);
	assert_int_equal(buf[(7 * 20 + 5) * 4 + 1], 0xaa);
}

static void test_still_is_silent(void **state)
{
	(void)state;
	struct cap_rect r[64];
	/* let the window settle */
	for (int64_t end = util_clock_ms() + 1000; util_clock_ms() < end;) {
		pump(100);
		cap->ops->take_damage(cap, r, 64);
	}
	int wakeups = 0, n = 0;
	for (int64_t end = util_clock_ms() + 1500; util_clock_ms() < end;) {
		struct pollfd p = {cap->ops->fd(cap), POLLIN, 0};
		if (poll(&p, 1, 100) > 0) {
			wakeups++;
			assert_true(cap->ops->process(cap) >= 0);
		}
		n += cap->ops->take_damage(cap, r, 64);
	}
	assert_int_equal(n, 0);
	assert_true(wakeups <= 1);
}

static void test_pointer_motion_damages(void **state)
{
	(void)state;
	struct cap_input mv = {.kind = CAP_INPUT_MOTION, .x = 400, .y = 300};
	assert_int_equal(cap->ops->inject(cap, &mv), 0);
	struct cap_rect all[256];
	int n = damage_until(all, 256, 401, 301, 3000);
	assert_true(cap_covered(all, n, 401, 301)); /* the cursor drawn at its new place */
	for (int i = 0; i < n; i++) {
		assert_true(all[i].w < W || all[i].h < H); /* damage, not whole frames */
	}
	struct cap_cursor c;
	assert_int_equal(cap->ops->cursor(cap, &c), 0);
	assert_int_equal(c.x, 400);
	assert_int_equal(c.y, 300);
	assert_false(c.visible); /* drawn into the picture, not sent apart */
	/* out-of-range motion is clamped, never an error */
	struct cap_input far = {.kind = CAP_INPUT_MOTION, .x = 99999, .y = -5};
	assert_int_equal(cap->ops->inject(cap, &far), 0);
	assert_int_equal(cap->ops->cursor(cap, &c), 0);
	assert_int_equal(c.x, W - 1);
	assert_int_equal(c.y, 0);
	struct cap_input bad = {.kind = CAP_INPUT_BUTTON, .code = 7};
	assert_int_equal(cap->ops->inject(cap, &bad), -EINVAL);
	struct cap_input nokey = {.kind = CAP_INPUT_KEY_SCANCODE, .code = 0x7f, .down = true};
	assert_int_equal(cap->ops->inject(cap, &nokey), -EINVAL);
}

static void test_output_resize(void **state)
{
	(void)state;
	char *argv[] = {"swaymsg", "-s", sway.ipc, "output HEADLESS-1 resolution 800x600", NULL};
	char out[256];
	assert_int_equal(sway_run(&sway, argv, out, sizeof(out), 5000), 0);
	int w = 0, h = 0;
	struct cap_rect r[64];
	int n = 0;
	for (int64_t end = util_clock_ms() + 5000; util_clock_ms() < end && w != 800;) {
		assert_true(pump(100) >= 0);
		cap->ops->size(cap, &w, &h);
		n = cap->ops->take_damage(cap, r, 64);
	}
	assert_int_equal(w, 800);
	assert_int_equal(h, 600);
	/* the new size arrives as one whole frame */
	assert_true(n >= 1 && cap_covered(r, n, 0, 0) && cap_covered(r, n, 799, 599));
}

static void test_compositor_death(void **state)
{
	(void)state;
	kill(sway.pid, SIGKILL);
	sway_reap(sway.pid);
	sway.pid = -1;
	int r = 0;
	for (int64_t end = util_clock_ms() + 3000; r >= 0 && util_clock_ms() < end;) {
		r = pump(100);
	}
	assert_true(r < 0);
	uint8_t px[4];
	struct cap_rect one = {0, 0, 1, 1};
	assert_true(cap->ops->grab(cap, &one, px, 4, 0, 0) < 0);
	struct cap_input mv = {.kind = CAP_INPUT_MOTION, .x = 1, .y = 1};
	assert_true(cap->ops->inject(cap, &mv) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_first_damage_is_full),
	    cmocka_unit_test(test_window_damage_and_pixels),
	    cmocka_unit_test(test_still_is_silent),
	    cmocka_unit_test(test_pointer_motion_damages),
	    cmocka_unit_test(test_output_resize),
	    cmocka_unit_test(test_compositor_death),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
