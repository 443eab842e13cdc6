/* What multiparty viewers may be told of the windows (src/mp_filter.c):
 * only mapped windows whose outer geometry, clipped to the shared rect
 * (itself clipped to the desktop), keeps an area, and that the filter shows;
 * hostile geometry does not wrap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>

#include <cmocka.h>

#include "mp_filter.h"

static bool seen(int x, int y, int w, int h, const struct cap_rect *shown)
{
	const struct cap_rect geo = {x, y, w, h};
	return mp_window_seen(&geo, true, false, &shown[0]);
}

static void test_rect_rule(void **state)
{
	(void)state;
	const struct cap_rect rect = {100, 100, 200, 100}; /* 100..299 x 100..199 */
	assert_true(seen(150, 120, 20, 20, &rect));        /* inside */
	assert_true(seen(0, 0, 101, 101, &rect));          /* one pixel in the corner */
	assert_false(seen(0, 0, 100, 100, &rect));         /* touches the corner only */
	assert_false(seen(300, 150, 50, 10, &rect));       /* right of it, edge-adjacent */
	assert_true(seen(299, 150, 50, 10, &rect));        /* one column in */
	assert_false(seen(150, 200, 10, 10, &rect));       /* just below */
	assert_true(seen(0, 0, 1000, 1000, &rect));        /* covers the rect */
	assert_false(seen(150, 120, 0, 20, &rect));        /* no area */
	assert_false(seen(150, 120, -5, 20, &rect));       /* nonsense size */
	/* mapped state and the filter decide too */
	const struct cap_rect in = {150, 120, 20, 20};
	assert_false(mp_window_seen(&in, false, false, &rect)); /* unmapped */
	assert_false(mp_window_seen(&in, true, true, &rect));   /* filtered out */
	/* an empty rect shows nothing */
	const struct cap_rect none = {0, 0, 0, 0};
	assert_false(seen(0, 0, 1000, 1000, &none));
}

static void test_shown_rect(void **state)
{
	(void)state;
	/* a rect set on a larger desktop that then shrank: clipped when used */
	const struct cap_rect r = {500, 400, 300, 300};
	struct cap_rect s = mp_shown_rect(&r, 640, 480);
	assert_int_equal(s.x, 500);
	assert_int_equal(s.y, 400);
	assert_int_equal(s.w, 140);
	assert_int_equal(s.h, 80);
	assert_false(seen(0, 0, 500, 480, &s)); /* left of what is left of it */
	assert_true(seen(600, 450, 100, 100, &s));
	/* wholly off the desktop: nothing shown, nothing told */
	const struct cap_rect off = {700, 0, 10, 10};
	s = mp_shown_rect(&off, 640, 480);
	assert_true(s.w == 0 || s.h == 0);
	assert_false(seen(0, 0, 2000, 2000, &s));
	s = mp_shown_rect(&r, 0, 0);
	assert_true(s.w == 0 || s.h == 0);
}

static void test_hostile_geometry(void **state)
{
	(void)state;
	const struct cap_rect rect = {0, 0, 640, 480};
	/* x + w past INT_MAX must not wrap round into the rect */
	assert_false(seen(INT_MAX - 10, 0, INT_MAX, 100, &rect));
	assert_false(seen(0, INT_MAX, 100, INT_MAX, &rect));
	assert_true(seen(INT_MIN, INT_MIN, INT_MAX, INT_MAX, &(struct cap_rect){-5, -5, 10, 10}));
	assert_false(seen(INT_MIN, 0, INT_MAX, 100, &rect)); /* ends at -1 */
	assert_true(seen(-100, -100, 101, 101, &rect));      /* its last pixel is (0,0) */
	const struct cap_rect huge = {INT_MIN, INT_MIN, INT_MAX, INT_MAX};
	struct cap_rect s = mp_shown_rect(&huge, 640, 480);
	assert_true(s.w == 0 || s.h == 0); /* ends at (-1,-1) */
}

static void test_equal(void **state)
{
	(void)state;
	struct mp_app apps[2] = {{1, 1, "red"}, {2, 0, "blue"}};
	struct mp_wnd wins[2] = {{10, 1, 1, "red main"}, {20, 2, 0, "blue main"}};
	struct mp_app apps2[2];
	struct mp_wnd wins2[2];
	memcpy(apps2, apps, sizeof(apps));
	memcpy(wins2, wins, sizeof(wins));
	struct mp_filter a = {false, 2, 2, apps, wins}, b = {false, 2, 2, apps2, wins2};
	assert_true(mp_filter_equal(&a, &b));
	b.enabled = true;
	assert_false(mp_filter_equal(&a, &b));
	b.enabled = false;
	strcpy(wins2[1].name, "blue other");
	assert_false(mp_filter_equal(&a, &b));
	memcpy(wins2, wins, sizeof(wins));
	b.n_wins = 1; /* a window withdrawn */
	assert_false(mp_filter_equal(&a, &b));
	b.n_wins = 2;
	apps2[0].flags = 0;
	assert_false(mp_filter_equal(&a, &b));
	struct mp_filter e1 = {0}, e2 = {0};
	assert_true(mp_filter_equal(&e1, &e2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rect_rule),
	    cmocka_unit_test(test_shown_rect),
	    cmocka_unit_test(test_hostile_geometry),
	    cmocka_unit_test(test_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
