/* The small helpers every layer shares (src/util/): random strings for
 * secrets, the monotonic clock, the wake-up fd, the thread starter and the
 * machine's own addresses. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/clock.h"
#include "util/hostaddrs.h"
#include "util/random.h"
#include "util/ratelimit.h"
#include "util/thread.h"
#include "util/wake.h"

/* ---- random strings ---- */

static void test_random_alphabet_and_length(void **state)
{
	(void)state;
	const char *alphabet = "abc-_XYZ09";
	for (size_t len = 0; len < 100; len++) {
		char buf[128];
		memset(buf, 'Q', sizeof(buf));
		assert_int_equal(util_random_string(buf, len, alphabet), 0);
		assert_int_equal(strlen(buf), len);
		for (size_t i = 0; i < len; i++) {
			assert_non_null(strchr(alphabet, buf[i]));
		}
		assert_int_equal(buf[len + 1], 'Q'); /* nothing written past the NUL */
	}
	char one[17];
	assert_int_equal(util_random_string(one, 16, "x"), 0);
	assert_string_equal(one, "xxxxxxxxxxxxxxxx");
}

static void test_random_bad_alphabet(void **state)
{
	(void)state;
	char buf[8] = "junk";
	assert_int_equal(util_random_string(buf, 4, ""), -EINVAL);
	assert_string_equal(buf, "");
	strcpy(buf, "junk");
	/* a repeated character would come up twice as often */
	assert_int_equal(util_random_string(buf, 4, "abca"), -EINVAL);
	assert_string_equal(buf, "");
}

/* Count n * per draws over alphabet; each count must be within tol of per.
 * The tolerances below are over 5 standard deviations of a fair draw, and
 * far under the skew "byte % n" would give. */
static void check_uniform(const char *alphabet, size_t per, double tol)
{
	size_t n = strlen(alphabet), total = n * per;
	char *buf = malloc(total + 1);
	assert_non_null(buf);
	assert_int_equal(util_random_string(buf, total, alphabet), 0);
	size_t counts[256] = {0};
	for (size_t i = 0; i < total; i++) {
		counts[(unsigned char)buf[i]]++;
	}
	for (size_t i = 0; i < n; i++) {
		double c = (double)counts[(unsigned char)alphabet[i]];
		if (c < (double)per * (1 - tol) || c > (double)per * (1 + tol)) {
			fail_msg("character %zu of %zu drawn %.0f times, expected %zu", i, n, c,
			         per);
		}
	}
	free(buf);
}

static void test_random_uniform(void **state)
{
	(void)state;
	/* 49 characters: with "% 49" the first 11 would come 20 % more often */
	check_uniform("abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679", 6000, 0.08);
	/* 200 characters: with "% 200" the first 56 would come twice as often */
	char wide[201];
	for (int i = 0; i < 200; i++) {
		wide[i] = (char)(i + 1);
	}
	wide[200] = '\0';
	check_uniform(wide, 1000, 0.25);
	/* 64 characters (the auth strings): no byte is thrown away */
	check_uniform("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 2000,
	              0.15);
}

static void test_random_differs(void **state)
{
	(void)state;
	char a[33], b[33];
	assert_int_equal(util_random_string(a, 32, "0123456789abcdef"), 0);
	assert_int_equal(util_random_string(b, 32, "0123456789abcdef"), 0);
	assert_string_not_equal(a, b); /* 128 bits: equal only if broken */
}

/* ---- clock ---- */

static void test_clock_monotonic(void **state)
{
	(void)state;
	int64_t ms = util_clock_ms(), us = util_clock_us();
	assert_true(ms > 0 && us > 0);
	/* the same clock in two units */
	int64_t skew = us / 1000 - ms;
	assert_true(skew >= 0 && skew <= 5);
	for (int i = 0; i < 100000; i++) {
		int64_t ms2 = util_clock_ms(), us2 = util_clock_us();
		assert_true(ms2 >= ms);
		assert_true(us2 >= us);
		ms = ms2;
		us = us2;
	}
	usleep(20 * 1000);
	assert_true(util_clock_ms() - ms >= 20);
	assert_true(util_clock_us() - us >= 20000);
}

/* ---- wake-up fd ---- */

static bool readable(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void test_wake(void **state)
{
	(void)state;
	int fd = util_wake_create();
	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_false(readable(fd));
	assert_false(util_wake_drain(fd)); /* never blocks */
	errno = EBADMSG;
	util_wake_poke(fd);
	assert_int_equal(errno, EBADMSG); /* safe inside a signal handler */
	assert_true(readable(fd));
	util_wake_poke(fd); /* pokes add up to one wake-up */
	assert_true(util_wake_drain(fd));
	assert_false(readable(fd));
	assert_false(util_wake_drain(fd));
	close(fd);
}

/* ---- threads ---- */

static void *report_mask(void *arg)
{
	sigset_t *out = arg;
	pthread_sigmask(SIG_BLOCK, NULL, out);
	return NULL;
}

static void test_thread_blocks_signals(void **state)
{
	(void)state;
	sigset_t before, after, in_thread;
	sigemptyset(&in_thread);
	pthread_sigmask(SIG_BLOCK, NULL, &before);
	assert_false(sigismember(&before, SIGTERM));
	pthread_t t;
	assert_int_equal(util_thread_start(&t, report_mask, &in_thread), 0);
	pthread_join(t, NULL);
	assert_true(sigismember(&in_thread, SIGINT));
	assert_true(sigismember(&in_thread, SIGTERM));
	assert_true(sigismember(&in_thread, SIGHUP));
	pthread_sigmask(SIG_BLOCK, NULL, &after);
	assert_false(sigismember(&after, SIGTERM)); /* the caller's mask is back */
}

/* ---- own addresses ---- */

static void test_hostaddrs(void **state)
{
	(void)state;
	int families[] = {AF_UNSPEC, AF_INET, AF_INET6};
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		struct util_hostaddr *a;
		size_t n;
		assert_int_equal(util_hostaddrs_list(families[f], &a, &n), 0);
		assert_true(n == 0 ? a == NULL : a != NULL);
		bool seen_loopback = false;
		for (size_t i = 0; i < n; i++) {
			assert_true(a[i].family == AF_INET || a[i].family == AF_INET6);
			if (families[f] != AF_UNSPEC) {
				assert_int_equal(a[i].family, families[f]);
			}
			assert_true(a[i].host[0] != '\0');
			assert_true(strchr(a[i].host, '[') == NULL); /* no brackets */
			if (a[i].loopback) {
				seen_loopback = true;
			} else {
				assert_false(seen_loopback); /* outside addresses come first */
			}
			if (strcmp(a[i].host, "127.0.0.1") == 0 || strcmp(a[i].host, "::1") == 0) {
				assert_true(a[i].loopback);
			}
		}
		free(a);
	}
}

static void test_ratelimit(void **state)
{
	(void)state;
	struct ratelimit r = {0};
	int taken = 0;
	/* a flood within one window: only the limit passes */
	for (int i = 0; i < 1000; i++) {
		taken += ratelimit_take(&r, 5000 + i / 10, 4, 1000);
	}
	assert_int_equal(taken, 4);
	/* the next window takes again */
	assert_true(ratelimit_take(&r, 6000, 4, 1000));
	/* a slow, steady peer is never refused */
	struct ratelimit s = {0};
	for (int i = 0; i < 100; i++) {
		assert_true(ratelimit_take(&s, (int64_t)i * 300, 4, 1000));
	}
	/* time going backwards does not lock it out */
	assert_true(ratelimit_take(&s, 10, 4, 1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_alphabet_and_length),
	    cmocka_unit_test(test_random_bad_alphabet),
	    cmocka_unit_test(test_random_uniform),
	    cmocka_unit_test(test_random_differs),
	    cmocka_unit_test(test_clock_monotonic),
	    cmocka_unit_test(test_wake),
	    cmocka_unit_test(test_thread_blocks_signals),
	    cmocka_unit_test(test_hostaddrs),
	    cmocka_unit_test(test_ratelimit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
