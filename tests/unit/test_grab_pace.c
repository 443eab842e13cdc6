/* grab_pace: when the engine grabs (src/grab_pace.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "grab_pace.h"

#define MS 1000
#define IV (33 * MS)
#define QUIET GRAB_PACE_QUIET_US
#define SETTLE_MAX GRAB_PACE_SETTLE_MAX_US

/* The first change after a quiet spell waits only until the damage has
 * been quiet for a moment. */
static void test_first_change_waits_for_quiet(void **state)
{
	(void)state;
	struct grab_pace p;
	grab_pace_init(&p, 0);
	int64_t t = 10 * 1000 * MS;
	assert_int_equal(grab_pace_wait_us(&p, IV, t, t, t), QUIET);
	assert_int_equal(grab_pace_wait_us(&p, IV, t, t, t + 1 * MS), QUIET - 1 * MS);
	assert_int_equal(grab_pace_wait_us(&p, IV, t, t, t + QUIET), 0);
	/* more damage of the same drawing pushes the grab back ... */
	assert_int_equal(grab_pace_wait_us(&p, IV, t, t + 3 * MS, t + 3 * MS), QUIET);
	/* ... but never past the settle limit after the first */
	int64_t late = t + SETTLE_MAX - 1 * MS;
	assert_int_equal(grab_pace_wait_us(&p, IV, t, late, late), 1 * MS);
	assert_int_equal(grab_pace_wait_us(&p, IV, t, late, t + SETTLE_MAX), 0);
	/* damage older than that goes at once */
	assert_int_equal(grab_pace_wait_us(&p, IV, t - 50 * MS, t - 50 * MS, t), 0);
}

/* Damage just after a grab no longer waits a whole interval when the
 * credit saved in a quiet spell covers it; a second one right after does
 * wait, for the rest of the credit. */
static void test_burst_after_quiet(void **state)
{
	(void)state;
	struct grab_pace p;
	grab_pace_init(&p, 0);
	int64_t t = 1000 * MS;
	grab_pace_spend(&p, IV, t); /* full credit 1.5 IV, half left */
	int64_t t2 = t + 1 * MS;
	/* half an interval of credit plus 1 ms: the rest must be waited for */
	assert_int_equal(grab_pace_wait_us(&p, IV, t2, t2, t2 + QUIET), IV / 2 - 1 * MS - QUIET);
	int64_t t3 = t + IV / 2;
	assert_int_equal(grab_pace_wait_us(&p, IV, t3 - QUIET, t3 - QUIET, t3), 0);
	grab_pace_spend(&p, IV, t3); /* credit now 0 */
	assert_int_equal(grab_pace_wait_us(&p, IV, t3, t3, t3 + QUIET), IV - QUIET);
}

/* A source a little slower than the capture rate (30 fps against 33 ms)
 * has every frame grabbed a settle time after it is drawn: no drift
 * against fixed slots, no frame lost. */
static void test_steady_source_keeps_every_frame(void **state)
{
	(void)state;
	struct grab_pace p;
	grab_pace_init(&p, 0);
	int64_t period = 33333;
	int grabbed = 0;
	for (int i = 0; i < 3000; i++) {
		int64_t drawn = 1000 * MS + i * period;
		int64_t wait = grab_pace_wait_us(&p, IV, drawn, drawn, drawn);
		assert_true(wait <= QUIET);
		grab_pace_spend(&p, IV, drawn + wait);
		grabbed++;
	}
	assert_int_equal(grabbed, 3000);
}

/* Damage that never stops (a video) is grabbed no more often than once
 * an interval on average, whatever the burst allows at first. */
static void test_rate_limit(void **state)
{
	(void)state;
	struct grab_pace p;
	grab_pace_init(&p, 0);
	int64_t t = 5000 * MS, start = t;
	int grabs = 0;
	while (t < start + 10 * 1000 * MS) {
		/* damage pending since long ago: only credit limits */
		int64_t wait = grab_pace_wait_us(&p, IV, start, start, t);
		t += wait;
		grab_pace_spend(&p, IV, t);
		grabs++;
		t += 100; /* the next damage comes 0.1 ms later */
	}
	/* 10 s at 33 ms: 303, plus the burst's one early frame */
	assert_in_range(grabs, 302, 305);
}

/* A forced grab (a newcomer's full frame) with no credit left makes the
 * next change wait, but never more than two intervals. */
static void test_forced_grab_bounded(void **state)
{
	(void)state;
	struct grab_pace p;
	grab_pace_init(&p, 0);
	int64_t t = 1000 * MS;
	for (int i = 0; i < 10; i++) {
		grab_pace_spend(&p, IV, t); /* ten forced grabs at once */
	}
	int64_t w = grab_pace_wait_us(&p, IV, t, t, t);
	assert_int_equal(w, 2 * IV);
}

/* A shorter or longer interval set later applies at once. */
static void test_interval_change(void **state)
{
	(void)state;
	struct grab_pace p;
	grab_pace_init(&p, 0);
	int64_t t = 1000 * MS;
	grab_pace_spend(&p, 100 * MS, t);
	grab_pace_spend(&p, 100 * MS, t); /* credit 150 - 200 = -50 ms */
	assert_int_equal(grab_pace_wait_us(&p, 100 * MS, t, t, t), 150 * MS);
	assert_int_equal(grab_pace_wait_us(&p, 10 * MS, t, t, t), 60 * MS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_first_change_waits_for_quiet),
	    cmocka_unit_test(test_burst_after_quiet),
	    cmocka_unit_test(test_steady_source_keeps_every_frame),
	    cmocka_unit_test(test_rate_limit),
	    cmocka_unit_test(test_forced_grab_bounded),
	    cmocka_unit_test(test_interval_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
