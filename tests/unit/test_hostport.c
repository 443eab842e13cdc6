/* The address grammar shared by the library and the tools. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/hostport.h"

static void ok(const char *in, const char *host, int port)
{
	char h[64];
	int p = -1;
	assert_int_equal(hostport_split(in, h, sizeof(h), &p), 0);
	assert_string_equal(h, host);
	assert_int_equal(p, port);
}

static void bad(const char *in)
{
	char h[16];
	int p;
	assert_int_equal(hostport_split(in, h, sizeof(h), &p), -1);
}

static void test_forms(void **state)
{
	(void)state;
	ok("127.0.0.1", "127.0.0.1", 0);
	ok("127.0.0.1:3389", "127.0.0.1", 3389);
	ok("[::1]:0", "::1", 0);
	ok("[fe80::1%eth0]", "fe80::1%eth0", 0);
	ok("::1", "::1", 0); /* a bare IPv6 address has no port */
	ok("host.example:65535", "host.example", 65535);
}

static void test_errors(void **state)
{
	(void)state;
	bad("");
	bad(":3389");
	bad("127.0.0.1:http");
	bad("127.0.0.1:65536");
	bad("127.0.0.1:-1");
	bad("[::1");
	bad("[::1]x");
	bad("a-host-name-longer-than-16:1"); /* does not fit */
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_forms),
	                                   cmocka_unit_test(test_errors)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
