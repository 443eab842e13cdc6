/* Failed-logon throttling (src/throttle.c) with a clock of our own: a
 * prefix (IPv4 /24, IPv6 /64) locks after five failures in a row, for
 * longer each time; a good logon forgets; many prefixes failing together
 * lock every logon of their kind; prefixes do not lock each other out, and
 * strangers never lock out logons that present a ticket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "throttle.h"

static struct throttle t;

static int64_t failed_from(const char *ip, int64_t now, bool *global)
{
	return throttle_failed(&t, THROTTLE_STRANGER, ip, now, global);
}

static int64_t wait_for(const char *ip, int64_t now, bool *global)
{
	return throttle_wait(&t, THROTTLE_STRANGER, ip, now, global);
}

static void test_address_lockout_doubles(void **state)
{
	(void)state;
	throttle_init(&t);
	bool g;
	int64_t now = 1000;
	for (int i = 0; i < THROTTLE_ADDR_FAILS - 1; i++) {
		assert_int_equal(failed_from("10.0.0.1", now, &g), 0);
		assert_int_equal(wait_for("10.0.0.1", now, &g), 0);
	}
	assert_int_equal(failed_from("10.0.0.1", now, &g), THROTTLE_ADDR_LOCK_MS);
	assert_false(g);
	assert_int_equal(wait_for("10.0.0.1", now + 1000, &g), THROTTLE_ADDR_LOCK_MS - 1000);
	/* the whole /24 is locked, other prefixes are not */
	assert_int_equal(wait_for("10.0.0.200", now + 1000, &g), THROTTLE_ADDR_LOCK_MS - 1000);
	assert_int_equal(wait_for("10.0.1.1", now + 1000, &g), 0);
	now += THROTTLE_ADDR_LOCK_MS;
	assert_int_equal(wait_for("10.0.0.1", now, &g), 0);
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
	throttle_succeeded(&t, THROTTLE_STRANGER, "::1");
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
		snprintf(ip, sizeof(ip), "192.0.%d.1", i); /* every guess from a new prefix */
		lock = failed_from(ip, now + i * 10, &g);
	}
	assert_int_equal(i, THROTTLE_GLOBAL_FAILS);
	assert_int_equal(lock, THROTTLE_GLOBAL_LOCK_MS);
	assert_true(g);
	assert_true(wait_for("203.0.113.9", now + 1000, &g) > 0);
	assert_true(g);
	assert_int_equal(
	    wait_for("203.0.113.9", now + 10 * THROTTLE_GLOBAL_FAILS + THROTTLE_GLOBAL_LOCK_MS, &g),
	    0);
	/* the same number spread over more than the window locks nothing */
	throttle_init(&t);
	for (i = 0; i < 2 * THROTTLE_GLOBAL_FAILS; i++) {
		snprintf(ip, sizeof(ip), "198.51.%d.1", i);
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
	/* more prefixes than remembered: the table recycles, nothing breaks,
	 * and the newest offender still locks */
	for (int i = 0; i < 3 * THROTTLE_ADDRS; i++) {
		snprintf(ip, sizeof(ip), "10.%d.%d.1", i / 256, i % 256);
		failed_from(ip, (int64_t)i * THROTTLE_GLOBAL_WINDOW_MS, &g);
	}
	int64_t now = (int64_t)4 * THROTTLE_ADDRS * THROTTLE_GLOBAL_WINDOW_MS;
	for (int i = 0; i < THROTTLE_ADDR_FAILS - 1; i++) {
		assert_int_equal(failed_from("10.9.9.9", now, &g), 0);
	}
	assert_true(failed_from("10.9.9.9", now, &g) > 0);
}

static void test_prefixes(void **state)
{
	(void)state;
	static const struct {
		const char *ip, *prefix;
	} cases[] = {
	    {"192.0.2.77", "192.0.2.0/24"},
	    {"0.0.0.0", "0.0.0.0/24"},
	    {"255.255.255.255", "255.255.255.0/24"},
	    {"::ffff:192.0.2.77", "192.0.2.0/24"}, /* IPv4 through a dual-stack socket */
	    {"::FFFF:192.0.2.1", "192.0.2.0/24"},
	    {"::ffff:c000:0201", "192.0.2.0/24"}, /* the same, written in hex */
	    {"::ffff:1.2.3.4%eth0", "1.2.3.0/24"},
	    {"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
	    {"2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"},
	    {"2001:db8::1", "2001:db8::/64"},
	    {"::1", "::/64"},
	    {"::", "::/64"},
	    {"::192.0.2.1", "::/64"}, /* IPv4-compatible: plain IPv6 */
	    {"fe80::1%lo", "fe80::/64"},
	    {"fe80::1%", "fe80::/64"},
	    /* garbage all counts for one bucket */
	    {NULL, "?"},
	    {"", "?"},
	    {"?", "?"},
	    {"%lo", "?"},
	    {"1.2.3", "?"},
	    {"1.2.3.4.5", "?"},
	    {"256.1.1.1", "?"},
	    {"1.2.3.4/24", "?"},
	    {" 1.2.3.4", "?"},
	    {"1.2.3.4 ", "?"},
	    {"01.2.3.4", "?"},
	    {"[::1]", "?"},
	    {"::g", "?"},
	    {"1::2::3", "?"},
	    {"2001:db8:1:2:3:4:5:6:7", "?"},
	    {"example.com", "?"},
	    {"1.2.3.4\n", "?"},
	    {"\x1b[31m", "?"},
	};
	char out[THROTTLE_PREFIX_LEN];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'X', sizeof(out));
		assert_ptr_equal(throttle_prefix(cases[i].ip, out, sizeof(out)), out);
		assert_string_equal(out, cases[i].prefix);
	}
	/* longer than any address, with or without a zone */
	char big[600];
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_string_equal(throttle_prefix(big, out, sizeof(out)), "?");
	big[3] = '%';
	assert_string_equal(throttle_prefix(big, out, sizeof(out)), "?");
	memcpy(big, "fe80::1%", 8);
	assert_string_equal(throttle_prefix(big, out, sizeof(out)), "fe80::/64");
	/* a short buffer is cut, never overrun */
	char small[8];
	memset(small, 'X', sizeof(small));
	throttle_prefix("192.0.2.77", small, 5);
	assert_string_equal(small, "192.");
	assert_int_equal(small[5], 'X');
	throttle_prefix("2001:db8:1:2::9", small, 1);
	assert_string_equal(small, "");
}

static void test_prefix_counts_together(void **state)
{
	(void)state;
	throttle_init(&t);
	bool g;
	char ip[64];
	/* five addresses of one /64 are one guesser */
	for (int i = 1; i < THROTTLE_ADDR_FAILS; i++) {
		snprintf(ip, sizeof(ip), "2001:db8:0:1::%x", i * 1000);
		assert_int_equal(failed_from(ip, 100, &g), 0);
	}
	assert_int_equal(failed_from("2001:db8:0:1:ffff:1:2:3", 100, &g), THROTTLE_ADDR_LOCK_MS);
	assert_false(g);
	assert_true(wait_for("2001:db8:0:1::77", 200, &g) > 0);
	assert_int_equal(wait_for("2001:db8:0:2::77", 200, &g), 0);
	assert_int_equal(wait_for("2001:db8:0:1::77", 100 + THROTTLE_ADDR_LOCK_MS, &g), 0);
	/* IPv4 and IPv4-mapped are one /24 */
	throttle_init(&t);
	for (int i = 1; i < THROTTLE_ADDR_FAILS; i++) {
		snprintf(ip, sizeof(ip), i % 2 ? "::ffff:10.0.0.%d" : "10.0.0.%d", i);
		assert_int_equal(failed_from(ip, 100, &g), 0);
	}
	assert_true(failed_from("10.0.0.250", 100, &g) > 0);
	assert_true(wait_for("::ffff:10.0.0.99", 200, &g) > 0);
	assert_int_equal(wait_for("10.0.1.99", 200, &g), 0);
	/* whatever does not parse shares one bucket (it cannot dodge by oddity) */
	throttle_init(&t);
	const char *junk[] = {NULL, "", "junk", "1.2.3", "::g"};
	for (int i = 0; i < THROTTLE_ADDR_FAILS - 1; i++) {
		assert_int_equal(failed_from(junk[i], 100, &g), 0);
	}
	assert_true(failed_from(junk[4], 100, &g) > 0);
	assert_true(wait_for("garbage", 200, &g) > 0);
	assert_int_equal(wait_for("10.0.0.1", 200, &g), 0);
	/* a good logon forgets the whole prefix */
	throttle_succeeded(&t, THROTTLE_STRANGER, "still junk");
	assert_int_equal(wait_for(NULL, 200, &g), 0);
}

static void test_ticket_beats_strangers(void **state)
{
	(void)state;
	throttle_init(&t);
	bool g;
	char ip[64];
	/* strangers spread over many prefixes renew the global lock for an hour;
	 * a ticket holder, even from a prefix they use, is never held up */
	int p = 0;
	int locks = 0;
	for (int64_t now = 0; now < 60 * 60 * 1000; now += 500) {
		snprintf(ip, sizeof(ip), "10.%d.%d.1", (p / 4) / 256 % 256, (p / 4) % 256);
		p++;
		if (wait_for(ip, now, &g) == 0 && failed_from(ip, now, &g) > 0 && g) {
			locks++;
		}
		assert_int_equal(throttle_wait(&t, THROTTLE_TICKET, ip, now, &g), 0);
		assert_int_equal(throttle_wait(&t, THROTTLE_TICKET, "10.0.0.1", now, &g), 0);
	}
	assert_true(locks > 60); /* the strangers' lock was up all along */
	/* a stranger's prefix lock does not touch ticket logons from it */
	throttle_init(&t);
	for (int i = 0; i < THROTTLE_ADDR_FAILS; i++) {
		failed_from("192.0.2.1", 100, &g);
	}
	assert_true(wait_for("192.0.2.1", 200, &g) > 0);
	assert_int_equal(throttle_wait(&t, THROTTLE_TICKET, "192.0.2.1", 200, &g), 0);
	/* ticket holders who keep failing are still limited per prefix ... */
	for (int i = 0; i < THROTTLE_ADDR_FAILS - 1; i++) {
		assert_int_equal(throttle_failed(&t, THROTTLE_TICKET, "192.0.2.9", 300, &g), 0);
	}
	assert_int_equal(throttle_failed(&t, THROTTLE_TICKET, "192.0.2.9", 300, &g),
	                 THROTTLE_ADDR_LOCK_MS);
	assert_false(g);
	assert_true(throttle_wait(&t, THROTTLE_TICKET, "192.0.2.1", 400, &g) > 0);
	assert_int_equal(throttle_wait(&t, THROTTLE_TICKET, "192.0.3.1", 400, &g), 0);
	throttle_succeeded(&t, THROTTLE_TICKET, "192.0.2.200");
	assert_int_equal(throttle_wait(&t, THROTTLE_TICKET, "192.0.2.1", 400, &g), 0);
	assert_true(wait_for("192.0.2.1", 400, &g) > 0); /* strangers' lock stays */
	/* ... and globally, among themselves: strangers go on unaffected */
	throttle_init(&t);
	int64_t lock = 0;
	int i;
	for (i = 0; i < THROTTLE_GLOBAL_FAILS && lock == 0; i++) {
		snprintf(ip, sizeof(ip), "2001:db8:%x::1", i);
		lock = throttle_failed(&t, THROTTLE_TICKET, ip, 1000 + i, &g);
	}
	assert_int_equal(i, THROTTLE_GLOBAL_FAILS);
	assert_int_equal(lock, THROTTLE_GLOBAL_LOCK_MS);
	assert_true(g);
	assert_true(throttle_wait(&t, THROTTLE_TICKET, "203.0.113.1", 2000, &g) > 0);
	assert_true(g);
	assert_int_equal(wait_for("203.0.113.1", 2000, &g), 0);
	/* an out-of-range kind counts as a stranger */
	assert_int_equal(throttle_wait(&t, (enum throttle_kind)7, "203.0.113.1", 2000, &g), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_address_lockout_doubles),
	    cmocka_unit_test(test_success_forgets),
	    cmocka_unit_test(test_global_lock),
	    cmocka_unit_test(test_many_addresses),
	    cmocka_unit_test(test_prefixes),
	    cmocka_unit_test(test_prefix_counts_together),
	    cmocka_unit_test(test_ticket_beats_strangers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
