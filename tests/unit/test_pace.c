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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
