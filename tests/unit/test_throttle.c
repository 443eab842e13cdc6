/* Failed-logon throttling (src/throttle.c) with a clock of our own: an
 * address locks after five failures in a row, for longer each time; a good
 * logon forgets; many addresses failing together lock everyone; addresses
 * do not lock each other out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "throttle.h"

static struct throttle t;

static int64_t failed_from(const char *ip, int64_t now, bool *global)
{
	return throttle_failed(&t, ip, now, global);
}

static void test_address_lockout_doubles(void **state)
{
	(void)state;
	throttle_init(&t);
	bool g;
	int64_t now = 1000;
	for (int i = 0; i < THROTTLE_ADDR_FAILS - 1; i++) {
		assert_int_equal(failed_from("10.0.0.1", now, &g), 0);
		assert_int_equal(throttle_wait(&t, "10.0.0.1", now, &g), 0);
	}
	assert_int_equal(failed_from("10.0.0.1", now, &g), THROTTLE_ADDR_LOCK_MS);
	assert_false(g);
	assert_int_equal(throttle_wait(&t, "10.0.0.1", now + 1000, &g),
	                 THROTTLE_ADDR_LOCK_MS - 1000);
	assert_int_equal(throttle_wait(&t, "10.0.0.2", now + 1000, &g), 0); /* others unaffected */
	now += THROTTLE_ADDR_LOCK_MS;
	assert_int_equal(throttle_wait(&t, "10.0.0.1", now, &g), 0);
	for (int i = 0; i < THROTTLE_ADDR_FAILS - 1; i++) {
		assert_int_equal(failed_from("10.0.0.1", now, &g), 0);
	}
	assert_int_equal(failed_from("10.0.0.1", now, &g), 2 * THROTTLE_ADDR_LOCK_MS); /* doubled */
	/* the doubling stops at the cap */
	for (int k = 0; k < 20; k++) {
		now += THROTTLE_ADDR_LOCK_MAX_MS;
		for (int i = 0; i < THROTTLE_ADDR_FAILS - 1; i++) {
			failed_from("10.0.0.1", now, &g);
		}
		int64_t lock = failed_from("10.0.0.1", now, &g);
		assert_true(lock > 0 && lock <= THROTTLE_ADDR_LOCK_MAX_MS);
	}
}

static void test_success_forgets(void **state)
{
	(void)state;
	throttle_init(&t);
	bool g;
	for (int i = 0; i < THROTTLE_ADDR_FAILS - 1; i++) {
		failed_from("::1", 10, &g);
	}
	throttle_succeeded(&t, "::1");
	for (int i = 0; i < THROTTLE_ADDR_FAILS - 1; i++) {
		assert_int_equal(failed_from("::1", 20, &g), 0);
	}
	/* an hour of quiet forgets too */
	assert_int_equal(failed_from("::1", 20 + THROTTLE_FORGET_MS + 1, &g), 0);
}

static void test_global_lock(void **state)
{
	(void)state;
	throttle_init(&t);
	bool g = false;
	char ip[32];
	int64_t now = 5000, lock = 0;
	int i;
	for (i = 0; i < THROTTLE_GLOBAL_FAILS && lock == 0; i++) {
		snprintf(ip, sizeof(ip), "192.0.2.%d", i); /* every guess from a new address */
		lock = failed_from(ip, now + i * 10, &g);
	}
	assert_int_equal(i, THROTTLE_GLOBAL_FAILS);
	assert_int_equal(lock, THROTTLE_GLOBAL_LOCK_MS);
	assert_true(g);
	assert_true(throttle_wait(&t, "203.0.113.9", now + 1000, &g) > 0);
	assert_true(g);
	assert_int_equal(throttle_wait(&t, "203.0.113.9",
	                               now + 10 * THROTTLE_GLOBAL_FAILS + THROTTLE_GLOBAL_LOCK_MS,
	                               &g),
	                 0);
	/* the same number spread over more than the window locks nothing */
	throttle_init(&t);
	for (i = 0; i < 2 * THROTTLE_GLOBAL_FAILS; i++) {
		snprintf(ip, sizeof(ip), "198.51.100.%d", i);
		assert_int_equal(failed_from(ip, (int64_t)i * (THROTTLE_GLOBAL_WINDOW_MS / 10), &g),
		                 0);
	}
}

static void test_many_addresses(void **state)
{
	(void)state;
	throttle_init(&t);
	bool g;
	char ip[32];
	/* more addresses than remembered: the table recycles, nothing breaks,
	 * and the newest offender still locks */
	for (int i = 0; i < 3 * THROTTLE_ADDRS; i++) {
		snprintf(ip, sizeof(ip), "10.1.%d.%d", i / 256, i % 256);
		failed_from(ip, (int64_t)i * THROTTLE_GLOBAL_WINDOW_MS, &g);
	}
	int64_t now = (int64_t)4 * THROTTLE_ADDRS * THROTTLE_GLOBAL_WINDOW_MS;
	for (int i = 0; i < THROTTLE_ADDR_FAILS - 1; i++) {
		assert_int_equal(failed_from("10.9.9.9", now, &g), 0);
	}
	assert_true(failed_from("10.9.9.9", now, &g) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_address_lockout_doubles),
	    cmocka_unit_test(test_success_forgets),
	    cmocka_unit_test(test_global_lock),
	    cmocka_unit_test(test_many_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
