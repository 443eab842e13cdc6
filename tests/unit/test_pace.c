/* Pacing without a protocol: a fake sink stands for the socket (unsent
 * bytes) and the connection thread (wake-ups). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rdp/pace.h"

struct fake {
	size_t unsent;
	int wakes;
};

static size_t fake_unsent(void *ctx)
{
	return ((struct fake *)ctx)->unsent;
}

static void fake_wake(void *ctx)
{
	((struct fake *)ctx)->wakes++;
}

static void setup(struct pace *p, struct fake *f, bool acks, int max)
{
	*f = (struct fake){0};
	struct pace_sink sink = {.ctx = f, .unsent = fake_unsent, .wake = fake_wake};
	pace_init(p, &sink, 1000);
	pace_restart(p, acks, max);
}

static void test_first_picture_is_whole(void **state)
{
	(void)state;
	struct pace p;
	struct fake f;
	setup(&p, &f, false, 2);
	uint64_t since = 99;
	/* a frame whose damage is not everything: the viewer gets its own */
	assert_int_equal(pace_plan(&p, 5, false, 0, &since), PACE_OWN);
	assert_int_equal(since, 0);
	assert_int_equal(pace_sent(&p, 5), 0);
	/* a frame that is whole anyway is shared */
	pace_need_full(&p);
	assert_int_equal(pace_plan(&p, 6, true, 0, &since), PACE_SHARED);
}

static void test_sequence_shared_skipped_own(void **state)
{
	(void)state;
	struct pace p;
	struct fake f;
	setup(&p, &f, false, 2);
	uint64_t since;
	pace_sent(&p, 1);
	assert_int_equal(pace_plan(&p, 1, false, 0, &since), PACE_IDLE);
	assert_int_equal(pace_plan(&p, 2, false, 0, &since), PACE_SHARED);
	assert_int_equal(pace_sent(&p, 2), 0);
	/* frames 3 and 4 were missed: the damage since 2, for this viewer */
	assert_int_equal(pace_plan(&p, 5, false, 0, &since), PACE_OWN);
	assert_int_equal(since, 2);
	assert_int_equal(pace_sent(&p, 5), 2);
}

static void test_in_flight_limit_and_wake(void **state)
{
	(void)state;
	struct pace p;
	struct fake f;
	setup(&p, &f, true, 2);
	uint64_t since;
	pace_sent(&p, 1);
	pace_frame_out(&p);
	pace_sent(&p, 2);
	pace_frame_out(&p);
	assert_int_equal(pace_plan(&p, 3, false, 0, &since), PACE_WAIT);
	assert_int_equal(f.wakes, 0);
	pace_acked(&p); /* the one it waited for: wakes the connection */
	assert_int_equal(f.wakes, 1);
	assert_int_equal(pace_plan(&p, 3, false, 0, &since), PACE_SHARED);
	pace_acked(&p); /* nobody waits: no wake-up */
	assert_int_equal(f.wakes, 1);
	/* more acknowledgements than frames (from before a restart) */
	pace_acked(&p);
	pace_acked(&p);
	assert_int_equal(atomic_load(&p.in_flight), 0);
	/* the limit follows the property */
	pace_set_max_in_flight(&p, 1);
	pace_sent(&p, 3);
	pace_frame_out(&p);
	assert_false(pace_may_send(&p));
	pace_set_max_in_flight(&p, 0); /* never below one */
	assert_int_equal(p.max_in_flight, 1);
}

static void test_no_acks_no_limit(void **state)
{
	(void)state;
	struct pace p;
	struct fake f;
	setup(&p, &f, false, 1);
	for (uint64_t s = 1; s <= 10; s++) {
		pace_sent(&p, s);
		pace_frame_out(&p);
	}
	assert_true(pace_may_send(&p));
	/* a viewer that suspended acknowledgements is not counted either */
	setup(&p, &f, true, 1);
	pace_suspend_acks(&p, true);
	pace_frame_out(&p);
	pace_frame_out(&p);
	assert_true(pace_may_send(&p));
	/* and stays so over a restart (a new surface after a resize): it
	 * will not acknowledge again, so nothing may wait for it */
	pace_restart(&p, true, 1);
	pace_frame_out(&p);
	assert_true(pace_may_send(&p));
	pace_suspend_acks(&p, false);
	pace_frame_out(&p);
	assert_false(pace_may_send(&p));
}

static void test_behind_on_socket(void **state)
{
	(void)state;
	struct pace p;
	struct fake f;
	setup(&p, &f, false, 2);
	uint64_t since;
	assert_int_equal(pace_timeout(&p, 0), -1);
	f.unsent = 5000;
	assert_int_equal(pace_plan(&p, 1, true, 0, &since), PACE_WAIT);
	assert_int_equal(pace_timeout(&p, 0), PACE_BEHIND_RETRY_MS);
	f.unsent = 10;
	assert_int_equal(pace_plan(&p, 1, true, 0, &since), PACE_SHARED);
}

static void test_hold_off_and_deadline(void **state)
{
	(void)state;
	struct pace p;
	struct fake f;
	setup(&p, &f, false, 2);
	uint64_t since;
	pace_hold(&p, 5000);
	assert_true(pace_held(&p, 1000));
	assert_int_equal(pace_plan(&p, 1, true, 1000, &since), PACE_WAIT);
	assert_int_equal(pace_timeout(&p, 1000), 4000);
	assert_int_equal(pace_plan(&p, 1, true, 5000, &since), PACE_SHARED);
	assert_int_equal(pace_timeout(&p, 6000), -1);
	pace_hold(&p, 9000);
	pace_hold(&p, 0); /* the pipeline came: no more hold */
	assert_false(pace_held(&p, 1));
}

static void test_restart_forgets(void **state)
{
	(void)state;
	struct pace p;
	struct fake f;
	setup(&p, &f, true, 2);
	pace_frame_out(&p);
	pace_frame_out(&p);
	assert_false(pace_may_send(&p));
	pace_restart(&p, true, 2);
	uint64_t since;
	assert_int_equal(pace_plan(&p, 3, false, 0, &since), PACE_OWN);
	assert_int_equal(since, 0);
	assert_true(pace_may_send(&p));
}

/* A viewer flooding Refresh Rect: at most one whole picture per
 * PACE_FORCED_FULL_MS; one asked for inside the window comes when it ends. */
static void test_forced_full_is_limited(void **state)
{
	(void)state;
	struct pace p;
	struct fake f;
	setup(&p, &f, false, 2);
	uint64_t since;
	int64_t t = 10000;
	assert_int_equal(pace_plan(&p, 1, false, t, &since), PACE_OWN); /* the first picture */
	pace_sent(&p, 1);
	assert_int_equal(pace_timeout(&p, t), -1);
	/* the first ask is granted at once */
	pace_force_full(&p, t);
	assert_true(pace_needs_full(&p, t));
	assert_int_equal(pace_plan(&p, 1, false, t, &since), PACE_OWN);
	assert_int_equal(since, 0);
	pace_sent(&p, 1);
	/* a flood inside the window: nothing now, one picture when it ends */
	for (int i = 1; i < 100; i++) {
		pace_force_full(&p, t + i);
		assert_int_equal(pace_plan(&p, 1, false, t + i, &since), PACE_IDLE);
	}
	assert_false(pace_needs_full(&p, t + 100));
	assert_int_equal(pace_timeout(&p, t + 100), PACE_FORCED_FULL_MS - 100);
	assert_int_equal(pace_plan(&p, 1, false, t + PACE_FORCED_FULL_MS, &since), PACE_OWN);
	assert_int_equal(since, 0);
	pace_sent(&p, 1);
	assert_int_equal(pace_timeout(&p, t + PACE_FORCED_FULL_MS), -1);
	/* and the next window starts there */
	pace_force_full(&p, t + PACE_FORCED_FULL_MS + 1);
	assert_int_equal(pace_plan(&p, 1, false, t + PACE_FORCED_FULL_MS + 1, &since), PACE_IDLE);
	assert_true(pace_needs_full(&p, t + 2 * PACE_FORCED_FULL_MS));

	/* over ten seconds of asking every millisecond: about two a second */
	setup(&p, &f, false, 2);
	pace_sent(&p, 1);
	int full = 0;
	for (int64_t now = t; now < t + 10000; now++) {
		pace_force_full(&p, now);
		if (pace_plan(&p, 1, false, now, &since) == PACE_OWN) {
			full++;
			pace_sent(&p, 1);
		}
	}
	assert_int_equal(full, 10000 / PACE_FORCED_FULL_MS);
}

/* A picture needed for other reasons (shown again, a restart) is not
 * limited, and an ask while one is due already costs nothing. */
static void test_need_full_is_not_limited(void **state)
{
	(void)state;
	struct pace p;
	struct fake f;
	setup(&p, &f, false, 2);
	uint64_t since;
	pace_sent(&p, 1);
	pace_force_full(&p, 100);
	pace_sent(&p, 1);
	pace_need_full(&p);
	assert_int_equal(pace_plan(&p, 1, false, 101, &since), PACE_OWN);
	pace_sent(&p, 1);
	/* deferred, then a restart brings the whole picture anyway */
	pace_force_full(&p, 102);
	assert_int_equal(pace_timeout(&p, 102), PACE_FORCED_FULL_MS - 2);
	pace_restart(&p, false, 2);
	assert_int_equal(pace_timeout(&p, 103), -1);
	assert_true(pace_needs_full(&p, 103));
	pace_sent(&p, 1);
	assert_false(pace_needs_full(&p, 2000));
	/* an ask while a whole picture is due does not use up the window */
	setup(&p, &f, false, 2);
	pace_force_full(&p, 5000); /* the first picture is whole anyway */
	pace_sent(&p, 1);
	pace_force_full(&p, 5001);
	assert_true(pace_needs_full(&p, 5001));
	/* a deferred ask that fell due while nothing was shown (paused) is
	 * taken by pace_timeout, which then wants no wake-up for it */
	pace_sent(&p, 1);
	pace_force_full(&p, 5002);
	assert_int_equal(pace_timeout(&p, 5002), PACE_FORCED_FULL_MS - 1);
	assert_int_equal(pace_timeout(&p, 5001 + PACE_FORCED_FULL_MS), -1);
	assert_true(p.need_full);
	/* with a hold too, the earlier of the two */
	pace_sent(&p, 1);
	int64_t granted = 5501 + PACE_FORCED_FULL_MS;
	pace_force_full(&p, granted);
	assert_true(pace_needs_full(&p, granted));
	pace_sent(&p, 1);
	pace_force_full(&p, granted + 2);
	pace_hold(&p, granted + 100);
	assert_int_equal(pace_timeout(&p, granted + 2), 98);
	pace_hold(&p, granted + 9000);
	assert_int_equal(pace_timeout(&p, granted + 2), PACE_FORCED_FULL_MS - 2);
}

/* Behind from the limit the connection sets (the socket's real buffer). */
static void test_max_unsent_follows_socket(void **state)
{
	(void)state;
	struct pace p;
	struct fake f;
	setup(&p, &f, false, 2);
	f.unsent = 900;
	assert_false(pace_behind(&p));
	pace_set_max_unsent(&p, 500);
	assert_true(pace_behind(&p));
	assert_false(pace_may_send(&p));
	f.unsent = 500;
	assert_false(pace_behind(&p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_first_picture_is_whole),
	    cmocka_unit_test(test_sequence_shared_skipped_own),
	    cmocka_unit_test(test_in_flight_limit_and_wake),
	    cmocka_unit_test(test_no_acks_no_limit),
	    cmocka_unit_test(test_behind_on_socket),
	    cmocka_unit_test(test_hold_off_and_deadline),
	    cmocka_unit_test(test_restart_forgets),
	    cmocka_unit_test(test_forced_full_is_limited),
	    cmocka_unit_test(test_need_full_is_not_limited),
	    cmocka_unit_test(test_max_unsent_follows_socket),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
