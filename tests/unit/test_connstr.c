/* Unit tests for connection strings and invitation files (src/util/connstr.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/connstr.h"

#define T_OPEN "<C><T ID=\"1\" SID=\"0\">"
#define T_CLOSE "</T></C></E>"
#define A_OK "<A KH=\"kh\" ID=\"auth\"/>"
#define L_OK "<L P=\"3389\" N=\"192.168.1.10\"/>"
/* A string with one element of each kind, the base that hostile inputs vary. */
#define WRAP(a, l) "<E>" a T_OPEN l T_CLOSE

static const char valid[] = "<E><A KH=\"kh\" ID=\"auth\"/><C><T ID=\"1\" SID=\"0\">"
                            "<L P=\"3389\" N=\"192.168.1.10\"/>"
                            "<L P=\"3390\" N=\"fe80::1%eth0\"/></T></C></E>";

/* Parses from an exact-size heap copy, so that AddressSanitizer reports any
 * read past len (a string literal would hide it behind its NUL). */
static int parse_n(const char *s, size_t n, struct connstr *c)
{
	char *copy = malloc(n ? n : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, s, n);
	r = connstr_parse(copy, n, c);
	free(copy);
	return r;
}

static int parse(const char *s, struct connstr *c)
{
	return parse_n(s, strlen(s), c);
}

static void expect_reject_n(const char *s, size_t n)
{
	struct connstr c;

	memset(&c, 0x5A, sizeof(c));
	if (parse_n(s, n, &c) != -EINVAL) {
		fail_msg("accepted: %.*s", (int)n, s);
	}
	assert_null(c.auth_id);
	assert_null(c.kh);
	assert_int_equal(c.n_addrs, 0);
}

static void expect_reject(const char *s)
{
	expect_reject_n(s, strlen(s));
}

static void expect_accept(const char *s, struct connstr *c)
{
	int r = parse(s, c);

	if (r != 0) {
		fail_msg("rejected (%d): %s", r, s);
	}
}

static struct connstr_addr addr(const char *host, uint16_t port)
{
	struct connstr_addr a;

	memset(&a, 0, sizeof(a));
	snprintf(a.host, sizeof(a.host), "%s", host);
	a.port = port;
	return a;
}

static void roundtrip(const char *auth, const char *kh, const struct connstr_addr *addrs, size_t n)
{
	struct connstr c;
	char *s = NULL;

	assert_int_equal(connstr_build(auth, kh, addrs, n, &s), 0);
	assert_non_null(s);
	expect_accept(s, &c);
	assert_string_equal(c.auth_id, auth ? auth : "");
	if (kh) {
		assert_non_null(c.kh);
		assert_string_equal(c.kh, kh);
	} else {
		assert_null(c.kh);
	}
	assert_int_equal(c.sid, 0);
	assert_int_equal(c.n_addrs, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(c.addrs[i].host, addrs[i].host);
		assert_int_equal(c.addrs[i].port, addrs[i].port);
	}
	connstr_clear(&c);
	free(s);
}

/* ---- connstr_build ---- */

static void test_build_exact(void **state)
{
	struct connstr_addr a[2] = {addr("192.168.1.10", 3389), addr("fe80::1%eth0", 3390)};
	char *s = NULL;

	(void)state;
	assert_int_equal(connstr_build("auth", "kh", a, 2, &s), 0);
	assert_string_equal(s, valid);
	free(s);
	assert_int_equal(connstr_build("auth", NULL, a, 1, &s), 0);
	assert_string_equal(s, "<E><A ID=\"auth\"/>" T_OPEN L_OK T_CLOSE);
	free(s);
}

static void test_build_reverse_connect(void **state)
{
	struct connstr_addr a = addr("192.168.1.10", 3389);
	char *s = NULL;

	(void)state;
	assert_int_equal(connstr_build(NULL, NULL, &a, 1, &s), 0);
	assert_string_equal(s, "<E><A/>" T_OPEN L_OK T_CLOSE);
	free(s);
	assert_int_equal(connstr_build("", NULL, &a, 1, &s), 0);
	assert_string_equal(s, "<E><A/>" T_OPEN L_OK T_CLOSE);
	free(s);
	/* With a KH the element is no longer empty, so ID must be written or the
	 * string would read as a damaged invitation. */
	assert_int_equal(connstr_build("", "k", &a, 1, &s), 0);
	assert_string_equal(s, "<E><A KH=\"k\" ID=\"\"/>" T_OPEN L_OK T_CLOSE);
	free(s);
	roundtrip(NULL, NULL, &a, 1);
	roundtrip("", "k", &a, 1);
}

static void test_build_rejects(void **state)
{
	struct connstr_addr a[CONNSTR_MAX_ADDRS + 1];
	struct connstr_addr bad;
	char *s = (char *)"untouched";

	(void)state;
	for (size_t i = 0; i < CONNSTR_MAX_ADDRS + 1; i++) {
		a[i] = addr("192.168.1.10", 3389);
	}
	assert_int_equal(connstr_build("x", NULL, a, 0, &s), -EINVAL);
	assert_null(s);
	assert_int_equal(connstr_build("x", NULL, NULL, 1, &s), -EINVAL);
	assert_int_equal(connstr_build("x", NULL, a, CONNSTR_MAX_ADDRS + 1, &s), -EINVAL);
	assert_int_equal(connstr_build("x", NULL, a, 1, NULL), -EINVAL);

	bad = addr("192.168.1.10", 0);
	assert_int_equal(connstr_build("x", NULL, &bad, 1, &s), -EINVAL);
	bad = addr("", 1);
	assert_int_equal(connstr_build("x", NULL, &bad, 1, &s), -EINVAL);
	/* 256 bytes and no terminator inside the array. */
	memset(bad.host, 'h', sizeof(bad.host));
	assert_int_equal(connstr_build("x", NULL, &bad, 1, &s), -EINVAL);
	bad = addr("a b", 1);
	assert_int_equal(connstr_build("x", NULL, &bad, 1, &s), -EINVAL);
	bad = addr("[::1]", 1);
	assert_int_equal(connstr_build("x", NULL, &bad, 1, &s), -EINVAL);
	bad = addr("a\"b", 1);
	assert_int_equal(connstr_build("x", NULL, &bad, 1, &s), -EINVAL);

	/* Strings the parser could never return. */
	assert_int_equal(connstr_build("\xC3", NULL, a, 1, &s), -EINVAL);
	assert_int_equal(connstr_build("\xC0\x80", NULL, a, 1, &s), -EINVAL);
	assert_int_equal(connstr_build("\xED\xA0\x80", NULL, a, 1, &s), -EINVAL);
	assert_int_equal(connstr_build("a\x01", NULL, a, 1, &s), -EINVAL);
	assert_int_equal(connstr_build("x", "\x7f\xff", a, 1, &s), -EINVAL);
	assert_null(s);
}

static void test_build_too_long(void **state)
{
	struct connstr_addr a = addr("192.168.1.10", 3389);
	char *big = malloc(CONNSTR_MAX_LEN);
	char *s = NULL;

	(void)state;
	assert_non_null(big);
	/* Each '&' becomes five bytes: the result would not parse, so no result. */
	memset(big, '&', CONNSTR_MAX_LEN / 4);
	big[CONNSTR_MAX_LEN / 4] = '\0';
	assert_int_equal(connstr_build(big, NULL, &a, 1, &s), -EINVAL);
	assert_null(s);
	memset(big, 'a', CONNSTR_MAX_LEN - 200);
	big[CONNSTR_MAX_LEN - 200] = '\0';
	roundtrip(big, NULL, &a, 1);
	free(big);
}

/* ---- round trips ---- */

static void test_roundtrip_ipv4(void **state)
{
	struct connstr_addr a[3] = {addr("192.168.1.200", 49230), addr("169.254.6.170", 1),
	                            addr("255.255.255.255", 65535)};

	(void)state;
	roundtrip("+ULZ6ifjoCa6cGPMLQiGHRPwkg6VyJqGwxMnO6GcelwUh9a6/FBq3It5ADSndmLL",
	          "BNRjdu97DyczQSRuMRrDWoue+HA=", a, 3);
	roundtrip("id", NULL, a, 1);
}

static void test_roundtrip_ipv6_zone(void **state)
{
	struct connstr_addr a[4] = {addr("fe80::1032:53d9:5a01:909b%3", 49228),
	                            addr("fe80::3d8f:9b2d:6b4e:6aa%enp0s31f6", 49229),
	                            addr("::1", 3389), addr("2001:db8::ffff:192.0.2.1", 3390)};

	(void)state;
	roundtrip("id", "kh", a, 4);
}

static void test_roundtrip_hostname(void **state)
{
	struct connstr_addr a[3] = {addr("localhost", 3389), addr("desk-01.example.org", 3390),
	                            addr("under_score.lan", 3391)};
	struct connstr_addr longest;

	(void)state;
	roundtrip("id", NULL, a, 3);
	memset(&longest, 0, sizeof(longest));
	memset(longest.host, 'h', 255);
	longest.port = 4000;
	roundtrip("id", NULL, &longest, 1);
}

static void test_roundtrip_32(void **state)
{
	struct connstr_addr a[CONNSTR_MAX_ADDRS];
	char host[64];

	(void)state;
	for (int i = 0; i < CONNSTR_MAX_ADDRS; i++) {
		switch (i % 3) {
		case 0:
			snprintf(host, sizeof(host), "10.%d.0.%d", i, 255 - i);
			break;
		case 1:
			snprintf(host, sizeof(host), "fe80::%x%%eth%d", i + 1, i);
			break;
		default:
			snprintf(host, sizeof(host), "host%d.example.org", i);
			break;
		}
		a[i] = addr(host, (uint16_t)(1000 + i * 1000));
	}
	roundtrip("id", "kh", a, CONNSTR_MAX_ADDRS);
}

static void test_roundtrip_hostile_auth(void **state)
{
	static const char *const hostile[] = {
	    "\"><L P=\"1\" N=\"evil.example\"/>",
	    "' onerror='x",
	    "&amp;&lt;&#0;&#x41;&unknown;",
	    "]]><!-- --><?pi?><!DOCTYPE x>",
	    "a\tb\nc\r\nd\re",
	    "<E><A ID=\"x\"/></E>",
	    "\xC3\xA9\xE2\x98\x83\xF0\x9F\x98\x80\xEF\xBF\xBD",
	    "  leading and trailing  ",
	    "&",
	    "\"",
	    "'",
	    "<",
	    ">",
	    "&#",
	    "KH=\"x\" ID=\"y\"",
	};
	struct connstr_addr a = addr("192.168.1.10", 3389);

	(void)state;
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		roundtrip(hostile[i], NULL, &a, 1);
		roundtrip(hostile[i], hostile[(i + 1) % (sizeof(hostile) / sizeof(hostile[0]))], &a,
		          1);
		roundtrip("plain", hostile[i], &a, 1);
	}
}

/* ---- accepted variants ---- */

static void test_parse_windows_layout(void **state)
{
	/* Laid out the way Windows pretty-prints it, with attributes we ignore. */
	static const char s[] =
	    "<E>\r\n"
	    "  <A KH=\"BNRjdu97DyczQSRuMRrDWoue+HA=\" KH2=\"sha256:abc\" CE=\"x\"\r\n"
	    "     ID=\"+ULZ6ifjoCa6cGPMLQiGHRPwkg6VyJqGwxMnO6GcelwUh9a6/FBq3It5ADSndmLL\"/>\r\n"
	    "  <C>\r\n"
	    "    <T ID=\"1\" SID=\"3000000000\">\r\n"
	    "      <L P=\"49228\" N=\"fe80::1032:53d9:5a01:909b%3\"/>\r\n"
	    "      <L P=\"49230\" N=\"192.168.1.200\" U=\"1\"/>\r\n"
	    "    </T>\r\n"
	    "  </C>\r\n"
	    "</E>\r\n";
	struct connstr c;

	(void)state;
	expect_accept(s, &c);
	assert_string_equal(c.auth_id,
	                    "+ULZ6ifjoCa6cGPMLQiGHRPwkg6VyJqGwxMnO6GcelwUh9a6/FBq3It5ADSndmLL");
	assert_string_equal(c.kh, "BNRjdu97DyczQSRuMRrDWoue+HA=");
	assert_int_equal(c.sid, 3000000000u);
	assert_int_equal(c.n_addrs, 2);
	assert_string_equal(c.addrs[0].host, "fe80::1032:53d9:5a01:909b%3");
	assert_int_equal(c.addrs[0].port, 49228);
	assert_string_equal(c.addrs[1].host, "192.168.1.200");
	assert_int_equal(c.addrs[1].port, 49230);
	connstr_clear(&c);
	/* Clearing twice must be harmless: callers clear on every path. */
	connstr_clear(&c);
	connstr_clear(NULL);
}

static void test_parse_syntax_variants(void **state)
{
	static const char *const ok[] = {
	    /* whitespace around '=', before '>' and '/>' and in end tags */
	    "<E ><A  ID = \"auth\"\tKH\n=\n'kh' /><C ><T ID=\"1\" SID=\"0\" >"
	    "<L\tN=\"h.example\"  P = '3389'\n/></T ></C\n></E >",
	    /* long forms of empty elements */
	    "<E><A ID=\"auth\" KH=\"kh\"></A><C><T ID=\"1\" SID=\"0\">"
	    "<L P=\"3389\" N=\"h.example\"></L></T></C></E>",
	    /* quotes of the other kind inside a value */
	    "<E><A ID='a\"u' KH=\"k'h\"/><C><T><L P='3389' N='h.example'/></T></C></E>",
	    /* several T elements, an empty one among them */
	    "<E><A ID=\"auth\"/><C><T SID=\"7\"/><T ID=\"2\"><L P=\"3389\" N=\"h.example\"/>"
	    "</T></C></E>",
	    /* leading and trailing whitespace */
	    "\n\t <E><A ID=\"auth\"/><C><T><L P=\"3389\" N=\"h.example\"/></T></C></E>\r\n ",
	};
	struct connstr c;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		expect_accept(ok[i], &c);
		assert_int_equal(c.n_addrs, 1);
		assert_string_equal(c.addrs[0].host, "h.example");
		assert_int_equal(c.addrs[0].port, 3389);
		connstr_clear(&c);
	}
	expect_accept(ok[2], &c);
	assert_string_equal(c.auth_id, "a\"u");
	assert_string_equal(c.kh, "k'h");
	connstr_clear(&c);
	expect_accept(ok[3], &c);
	assert_int_equal(c.sid, 7);
	connstr_clear(&c);
}

static void test_parse_references(void **state)
{
	struct connstr c;

	(void)state;
	expect_accept(
	    WRAP("<A ID=\"&lt;&gt;&amp;&quot;&apos;\" KH=\"&#10;&#xA;&#x9;&#13;\"/>", L_OK), &c);
	assert_string_equal(c.auth_id, "<>&\"'");
	assert_string_equal(c.kh, "\n\n\t\r");
	connstr_clear(&c);

	expect_accept(WRAP("<A ID=\"&#233;&#x20AC;&#x1F600;&#x10FFFF;&#0000065;\"/>", L_OK), &c);
	assert_string_equal(c.auth_id, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF"
	                               "A");
	connstr_clear(&c);

	/* Literal whitespace is normalised as in any XML reader. */
	expect_accept(WRAP("<A ID=\"a\tb\nc\r\nd\"/>", L_OK), &c);
	assert_string_equal(c.auth_id, "a b c d");
	connstr_clear(&c);

	/* References in P and N are still XML. */
	expect_accept(WRAP(A_OK, "<L P=\"&#51;389\" N=\"h&#46;example\"/>"), &c);
	assert_int_equal(c.addrs[0].port, 3389);
	assert_string_equal(c.addrs[0].host, "h.example");
	connstr_clear(&c);
}

static void test_parse_reverse_connect(void **state)
{
	struct connstr c;

	(void)state;
	expect_accept(WRAP("<A/>", L_OK), &c);
	assert_string_equal(c.auth_id, "");
	assert_null(c.kh);
	connstr_clear(&c);
	expect_accept(WRAP("<A ></A>", L_OK), &c);
	assert_string_equal(c.auth_id, "");
	connstr_clear(&c);
	expect_accept(WRAP("<A ID=\"\"/>", L_OK), &c);
	assert_string_equal(c.auth_id, "");
	connstr_clear(&c);
}

/* ---- hostile input ---- */

static void test_reject_truncated(void **state)
{
	static const char pretty[] =
	    "<E>\n <A KH='k&amp;h' ID=\"a&#x41;\"></A>\n <C>\n"
	    "  <T ID=\"1\" SID=\"0\">\n   <L P=\"1\" N=\"h.example\"></L>\n"
	    "  </T>\n </C>\n</E>";
	struct connstr c;

	(void)state;
	expect_accept(valid, &c);
	connstr_clear(&c);
	for (size_t i = 0; i < strlen(valid); i++) {
		expect_reject_n(valid, i);
	}
	expect_accept(pretty, &c);
	connstr_clear(&c);
	for (size_t i = 0; i < strlen(pretty); i++) {
		expect_reject_n(pretty, i);
	}
}

static void test_reject_huge(void **state)
{
	size_t n = CONNSTR_MAX_LEN + 1;
	char *s = malloc(n + 1);
	char *junk = malloc(1 << 20);
	struct connstr c;

	(void)state;
	assert_non_null(s);
	assert_non_null(junk);
	/* A valid string padded to exactly the limit passes, one more byte not. */
	memset(s, ' ', n);
	memcpy(s, valid, strlen(valid));
	assert_int_equal(parse_n(s, CONNSTR_MAX_LEN, &c), 0);
	connstr_clear(&c);
	expect_reject_n(s, n);

	memset(junk, '<', 1 << 20);
	expect_reject_n(junk, 1 << 20);
	expect_reject_n(junk, CONNSTR_MAX_LEN);
	memset(junk, 'a', 1 << 20);
	expect_reject_n(junk, CONNSTR_MAX_LEN);
	free(junk);
	free(s);
}

static void test_reject_unbalanced_quotes(void **state)
{
	(void)state;
	expect_reject(WRAP("<A ID=\"auth/>", L_OK));
	expect_reject(WRAP("<A ID=auth\"/>", L_OK));
	expect_reject(WRAP("<A ID=auth/>", L_OK));
	expect_reject(WRAP("<A ID=\"auth'/>", L_OK));
	expect_reject(WRAP("<A ID='auth\"/>", L_OK));
	expect_reject(WRAP(A_OK, "<L P=\"3389 N=\"h.example\"/>"));
	expect_reject(WRAP(A_OK, "<L P=\"3389\" N=\"h.example/>"));
	expect_reject(WRAP(A_OK, "<L P=\"3389\" N='h.example\"/>"));
	expect_reject("<E><A ID=\"auth\"/><C><T><L P=\"1\" N=\"h.example\"/></T></C></E");
	expect_reject("<E><A ID=\"");
	expect_reject(WRAP("<A ID=\"\"\"/>", L_OK));
	expect_reject(WRAP("<A ID/>", L_OK));
	expect_reject(WRAP("<A ID=/>", L_OK));
}

static void test_reject_ports(void **state)
{
	static const char *const bad[] = {
	    "0",    "00",  "65536", "99999", "100000", "4294967297", "18446744073709551617",
	    "http", "8o",  "-1",    "+80",   " 80",    "80 ",        "0x50",
	    "080",  "1e3", "",      "3389.", "&#48;",  "&#x20;80",   "\xEF\xBC\x98",
	};
	char s[256];
	struct connstr c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(s, sizeof(s), WRAP(A_OK, "<L P=\"%s\" N=\"h.example\"/>"), bad[i]);
		expect_reject(s);
	}
	expect_accept(WRAP(A_OK, "<L P=\"1\" N=\"h.example\"/>"), &c);
	connstr_clear(&c);
	expect_accept(WRAP(A_OK, "<L P=\"65535\" N=\"h.example\"/>"), &c);
	assert_int_equal(c.addrs[0].port, 65535);
	connstr_clear(&c);
	/* T@SID is numeric too. */
	expect_reject("<E>" A_OK "<C><T SID=\"x\">" L_OK T_CLOSE);
	expect_reject("<E>" A_OK "<C><T SID=\"4294967296\">" L_OK T_CLOSE);
	expect_reject("<E>" A_OK "<C><T SID=\"-1\">" L_OK T_CLOSE);
	expect_reject("<E>" A_OK "<C><T SID=\"\">" L_OK T_CLOSE);
}

static void test_reject_missing_parts(void **state)
{
	(void)state;
	/* A without ID (but not the bare reverse-connect <A/>). */
	expect_reject(WRAP("<A KH=\"kh\"/>", L_OK));
	expect_reject(WRAP("<A U=\"x\"/>", L_OK));
	expect_reject(WRAP("<A id=\"x\"/>", L_OK));
	/* L without P, without N, with an empty N */
	expect_reject(WRAP(A_OK, "<L N=\"h.example\"/>"));
	expect_reject(WRAP(A_OK, "<L P=\"3389\"/>"));
	expect_reject(WRAP(A_OK, "<L P=\"3389\" N=\"\"/>"));
	expect_reject(WRAP(A_OK, "<L/>"));
	/* no L at all */
	expect_reject(WRAP(A_OK, ""));
	expect_reject("<E>" A_OK "<C><T/></C></E>");
	expect_reject("<E>" A_OK "<C></C></E>");
	expect_reject("<E>" A_OK "<C/></E>");
	/* no A, no C, no E */
	expect_reject("<E>" T_OPEN L_OK T_CLOSE);
	expect_reject("<E>" A_OK "</E>");
	expect_reject("<E/>");
	expect_reject(A_OK T_OPEN L_OK "</T></C>");
	expect_reject("");
	expect_reject("   \n");
}

static void test_reject_too_many_addrs(void **state)
{
	char *s = malloc(8192);
	size_t pos;
	struct connstr c;

	(void)state;
	assert_non_null(s);
	for (int n = CONNSTR_MAX_ADDRS; n <= CONNSTR_MAX_ADDRS + 1; n++) {
		pos = (size_t)sprintf(s, "<E>" A_OK T_OPEN);
		for (int i = 0; i < n; i++) {
			pos += (size_t)sprintf(s + pos, "<L P=\"%d\" N=\"10.0.0.%d\"/>", i + 1, i);
		}
		sprintf(s + pos, T_CLOSE);
		if (n == CONNSTR_MAX_ADDRS) {
			expect_accept(s, &c);
			assert_int_equal(c.n_addrs, CONNSTR_MAX_ADDRS);
			connstr_clear(&c);
		} else {
			expect_reject(s);
		}
	}
	/* The limit counts across T elements too. */
	pos = (size_t)sprintf(s, "<E>" A_OK "<C>");
	for (int i = 0; i < CONNSTR_MAX_ADDRS + 1; i++) {
		pos += (size_t)sprintf(s + pos, "<T><L P=\"%d\" N=\"10.0.0.%d\"/></T>", i + 1, i);
	}
	sprintf(s + pos, "</C></E>");
	expect_reject(s);
	free(s);
}

static void test_reject_nul(void **state)
{
	char s[sizeof(valid)];
	struct connstr c;

	(void)state;
	memcpy(s, valid, sizeof(valid));
	/* A NUL anywhere, including inside a value and between elements. */
	for (size_t i = 0; i < strlen(valid); i++) {
		s[i] = '\0';
		expect_reject_n(s, strlen(valid));
		s[i] = valid[i];
	}
	/* and just after the end: len counts it, so it is content */
	expect_reject_n(s, sizeof(valid));
	expect_reject(WRAP("<A ID=\"&#0;\"/>", L_OK));
	expect_reject(WRAP("<A ID=\"&#x0;\"/>", L_OK));
	expect_accept(valid, &c);
	connstr_clear(&c);
}

static void test_reject_entities(void **state)
{
	static const char *const bad[] = {
	    "&nbsp;",
	    "&foo;",
	    "&AMP;",
	    "&amp",
	    "& ",
	    "&",
	    "&#;",
	    "&#x;",
	    "&#",
	    "&#x",
	    "&#12",
	    "&#X41;",
	    "&#xD800;",
	    "&#xDFFF;",
	    "&#55296;",
	    "&#x110000;",
	    "&#1114112;",
	    "&#xFFFE;",
	    "&#xFFFF;",
	    "&#1;",
	    "&#x1F;",
	    "&#x7;",
	    "&#-1;",
	    "&#+65;",
	    "&#x 41;",
	    "&#4294967362;",
	    "&#x100000041;",
	    "&#99999999999999999999;",
	    "&#xG;",
	    "&lt",
	    "&;",
	    "&#65a;",
	    "&quot ;",
	};
	char s[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(s, sizeof(s), WRAP("<A ID=\"x%sy\"/>", L_OK), bad[i]);
		expect_reject(s);
		/* Ignored attributes get no leniency. */
		snprintf(s, sizeof(s), WRAP("<A ID=\"x\" U=\"%s\"/>", L_OK), bad[i]);
		expect_reject(s);
		snprintf(s, sizeof(s), WRAP(A_OK, "<L P=\"1\" N=\"h%s\"/>"), bad[i]);
		expect_reject(s);
	}
	/* '<' is never allowed raw in a value. */
	expect_reject(WRAP("<A ID=\"a<b\"/>", L_OK));
}

static void test_reject_nesting(void **state)
{
	static const char *const bad[] = {
	    "<E><E>" A_OK T_OPEN L_OK T_CLOSE "</E>",
	    "<E>" A_OK "<C><T><T>" L_OK "</T></T></C></E>",
	    "<E>" A_OK "<C>" L_OK "</C></E>",
	    "<E>" A_OK "<T>" L_OK "</T></E>",
	    "<E>" A_OK L_OK "</E>",
	    "<E>" A_OK "<C><T><L P=\"1\" N=\"h.example\">" L_OK "</L></T></C></E>",
	    "<E>" A_OK "<C><T><C>" L_OK "</C></T></C></E>",
	    "<E>" A_OK "<C>" A_OK "<T>" L_OK "</T></C></E>",
	    "<E><A ID=\"x\">" L_OK "</A>" T_OPEN L_OK T_CLOSE,
	    "<E><A ID=\"x\"><A ID=\"y\"/></A>" T_OPEN L_OK T_CLOSE,
	    "<E>" A_OK A_OK T_OPEN L_OK T_CLOSE,
	    "<E>" T_OPEN L_OK "</T></C>" A_OK "</E>",
	    "<E>" A_OK T_OPEN L_OK "</T></C><C><T>" L_OK T_CLOSE,
	    "<E>" A_OK T_OPEN L_OK T_CLOSE "<E>" A_OK T_OPEN L_OK T_CLOSE,
	    /* mismatched and stray end tags */
	    "<E>" A_OK T_OPEN L_OK "</C></T></E>",
	    "<E>" A_OK T_OPEN "<L P=\"1\" N=\"h.example\"></T></C></E>",
	    "<E>" A_OK T_OPEN L_OK "</L></T></C></E>",
	    "<E>" A_OK "</A>" T_OPEN L_OK T_CLOSE,
	    "<E>" A_OK T_OPEN L_OK "</T></C></E></E>",
	    "</E>" A_OK T_OPEN L_OK T_CLOSE,
	    /* text, markup we do not speak, trailing garbage */
	    "<E>x" A_OK T_OPEN L_OK T_CLOSE,
	    "<E>" A_OK T_OPEN L_OK "text" T_CLOSE,
	    "<E>" A_OK T_OPEN L_OK T_CLOSE "x",
	    "x<E>" A_OK T_OPEN L_OK T_CLOSE,
	    "<E><!-- c -->" A_OK T_OPEN L_OK T_CLOSE,
	    "<E>" A_OK T_OPEN "<![CDATA[x]]>" L_OK T_CLOSE,
	    "<?xml version=\"1.0\"?><E>" A_OK T_OPEN L_OK T_CLOSE,
	    "<!DOCTYPE E [<!ENTITY x \"y\">]><E>" A_OK T_OPEN L_OK T_CLOSE,
	    "<e>" A_OK T_OPEN L_OK "</T></C></e>",
	    "< E>" A_OK T_OPEN L_OK T_CLOSE,
	    "<E>" A_OK T_OPEN "< L P=\"1\" N=\"h.example\"/>" T_CLOSE,
	    "<E>" A_OK T_OPEN "<L P=\"1\" N=\"h.example\"/ >" T_CLOSE,
	    "<E>" A_OK T_OPEN L_OK "</ T>"
	    "</C></E>",
	    "<E:x>" A_OK T_OPEN L_OK "</T></C></E:x>",
	    "<E>" A_OK T_OPEN "<LL P=\"1\" N=\"h.example\"/>" T_CLOSE,
	};
	char *deep = malloc(200000);
	size_t pos = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_reject(bad[i]);
	}
	/* Deep nesting costs nothing: the first wrong tag ends it. */
	assert_non_null(deep);
	pos = (size_t)sprintf(deep, "<E>" A_OK "<C>");
	while (pos + 16 < 60000) {
		pos += (size_t)sprintf(deep + pos, "<T>");
	}
	expect_reject(deep);
	pos = 0;
	while (pos + 16 < 60000) {
		pos += (size_t)sprintf(deep + pos, "<E>");
	}
	expect_reject(deep);
	free(deep);
}

static void test_reject_misc(void **state)
{
	char host[300];
	char s[600];
	struct connstr c;

	(void)state;
	/* duplicate attributes, known or not */
	expect_reject(WRAP("<A ID=\"x\" ID=\"y\"/>", L_OK));
	expect_reject(WRAP("<A ID=\"x\" KH=\"a\" KH=\"b\"/>", L_OK));
	expect_reject(WRAP("<A ID=\"x\" U=\"a\" U=\"a\"/>", L_OK));
	expect_reject(WRAP(A_OK, "<L P=\"1\" P=\"2\" N=\"h.example\"/>"));
	/* no whitespace between attributes */
	expect_reject(WRAP(A_OK, "<L P=\"1\"N=\"h.example\"/>"));
	/* too many attributes on one element */
	expect_reject(
	    WRAP("<A ID=\"x\" a=\"\" b=\"\" c=\"\" d=\"\" e=\"\" f=\"\" g=\"\" h=\"\" i=\"\""
	         " j=\"\" k=\"\" l=\"\" m=\"\" n=\"\" o=\"\" p=\"\"/>",
	         L_OK));
	/* bad UTF-8 anywhere: truncated, overlong, surrogate, beyond U+10FFFF */
	expect_reject(WRAP("<A ID=\"\xC3\"/>", L_OK));
	expect_reject(WRAP("<A ID=\"\xC0\xAF\"/>", L_OK));
	expect_reject(WRAP("<A ID=\"\xE0\x80\xAF\"/>", L_OK));
	expect_reject(WRAP("<A ID=\"\xED\xA0\x80\"/>", L_OK));
	expect_reject(WRAP("<A ID=\"\xF4\x90\x80\x80\"/>", L_OK));
	expect_reject(WRAP("<A ID=\"\xFF\"/>", L_OK));
	expect_reject(WRAP("<A ID=\"\xEF\xBF\xBE\"/>", L_OK));
	expect_reject("<E>" A_OK T_OPEN L_OK T_CLOSE "\x80");
	/* control characters raw */
	expect_reject(WRAP("<A ID=\"a\x01\"/>", L_OK));
	expect_reject(WRAP("<A ID=\"a\x1b\"/>", L_OK));
	/* host names: characters and length */
	static const char *const bad_hosts[] = {
	    "a b", "[::1]", "h/x", "h@x", "h&amp;x", "h&#32;x", "\xC3\xA9.example", "h,x", "h;x"};
	for (size_t i = 0; i < sizeof(bad_hosts) / sizeof(bad_hosts[0]); i++) {
		snprintf(s, sizeof(s), WRAP(A_OK, "<L P=\"1\" N=\"%s\"/>"), bad_hosts[i]);
		expect_reject(s);
	}
	memset(host, 'h', 256);
	host[256] = '\0';
	snprintf(s, sizeof(s), WRAP(A_OK, "<L P=\"1\" N=\"%s\"/>"), host);
	expect_reject(s);
	host[255] = '\0';
	snprintf(s, sizeof(s), WRAP(A_OK, "<L P=\"1\" N=\"%s\"/>"), host);
	expect_accept(s, &c);
	assert_int_equal(strlen(c.addrs[0].host), 255);
	connstr_clear(&c);
	/* bad arguments */
	assert_int_equal(connstr_parse(NULL, 0, &c), -EINVAL);
	assert_null(c.auth_id);
	assert_int_equal(connstr_parse(valid, strlen(valid), NULL), -EINVAL);
}

/* ---- invitation files ---- */

struct dir {
	char path[64];
};

static int dir_setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));

	if (!d) {
		return -1;
	}
	snprintf(d->path, sizeof(d->path), "/tmp/test_connstr.XXXXXX");
	if (!mkdtemp(d->path)) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int dir_teardown(void **state)
{
	struct dir *d = *state;
	DIR *dh = opendir(d->path);
	struct dirent *e;
	char p[512];

	while (dh && (e = readdir(dh)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			snprintf(p, sizeof(p), "%s/%s", d->path, e->d_name);
			if (unlink(p) != 0) {
				rmdir(p);
			}
		}
	}
	if (dh) {
		closedir(dh);
	}
	rmdir(d->path);
	free(d);
	return 0;
}

static int count_entries(const char *path)
{
	DIR *dh = opendir(path);
	struct dirent *e;
	int n = 0;

	assert_non_null(dh);
	while ((e = readdir(dh)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			n++;
		}
	}
	closedir(dh);
	return n;
}

static void write_raw(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	assert_int_equal(close(fd), 0);
}

static void test_invfile_roundtrip(void **state)
{
	struct dir *d = *state;
	char path[128];
	char *back = NULL;
	char buf[4096];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/invite.msrcIncident", d->path);
	assert_int_equal(invfile_write(path, valid), 0);
	assert_int_equal(invfile_read(path, &back), 0);
	assert_string_equal(back, valid);
	free(back);
	/* Exactly the string and a newline: nothing else for a reader to trip on. */
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_int_equal(n, strlen(valid) + 1);
	assert_memory_equal(buf, valid, strlen(valid));
	assert_int_equal(buf[n - 1], '\n');
	/* Replacing leaves one file and the new content. */
	assert_int_equal(invfile_write(path, WRAP("<A ID=\"second\"/>", L_OK)), 0);
	assert_int_equal(invfile_read(path, &back), 0);
	assert_string_equal(back, WRAP("<A ID=\"second\"/>", L_OK));
	free(back);
	assert_int_equal(count_entries(d->path), 1);
	/* A relative path (no directory part) works too. */
	{
		char cwd[512];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_int_equal(chdir(d->path), 0);
		assert_int_equal(invfile_write("rel.msrcIncident", valid), 0);
		assert_int_equal(invfile_read("rel.msrcIncident", &back), 0);
		assert_string_equal(back, valid);
		free(back);
		assert_int_equal(chdir(cwd), 0);
	}
}

static void test_invfile_mode(void **state)
{
	struct dir *d = *state;
	char path[128];
	struct stat st;
	mode_t old;

	snprintf(path, sizeof(path), "%s/mode.msrcIncident", d->path);
	/* A permissive umask must not widen it, a restrictive one not narrow it. */
	old = umask(0);
	assert_int_equal(invfile_write(path, valid), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	umask(0277);
	assert_int_equal(invfile_write(path, valid), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	umask(old);
	/* An existing world-readable file is replaced, not rewritten in place. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(invfile_write(path, valid), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(S_ISREG(st.st_mode));
}

static void test_invfile_write_errors(void **state)
{
	struct dir *d = *state;
	char path[160];
	int r;

	snprintf(path, sizeof(path), "%s/no/such/dir/x.msrcIncident", d->path);
	r = invfile_write(path, valid);
	assert_true(r < 0);
	assert_int_equal(r, -ENOENT);

	snprintf(path, sizeof(path), "%s/bad.msrcIncident", d->path);
	assert_int_equal(invfile_write(path, "<E/>"), -EINVAL);
	assert_int_equal(invfile_write(path, NULL), -EINVAL);
	assert_int_equal(invfile_write(NULL, valid), -EINVAL);
	assert_int_equal(invfile_write("", valid), -EINVAL);
	/* The target is a directory: rename fails after the data was written. */
	snprintf(path, sizeof(path), "%s/adir", d->path);
	assert_int_equal(mkdir(path, 0700), 0);
	r = invfile_write(path, valid);
	assert_true(r < 0);
	assert_int_equal(count_entries(d->path), 1);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(count_entries(d->path), 0);
}

/* Runs fn in a child so that resource limits and mount namespaces cannot leak
 * into the other tests. The child reports through its exit status: 0 passed,
 * 77 skipped, anything else the number of the failed check. */
static int in_child(int (*fn)(const char *), const char *arg)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		_exit(fn(arg));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static char *long_string(size_t auth_len)
{
	struct connstr_addr a = addr("192.168.1.10", 3389);
	char *auth = malloc(auth_len + 1);
	char *s = NULL;

	if (!auth) {
		return NULL;
	}
	memset(auth, 'a', auth_len);
	auth[auth_len] = '\0';
	if (connstr_build(auth, NULL, &a, 1, &s) != 0) {
		s = NULL;
	}
	free(auth);
	return s;
}

static int efbig_child(const char *dir)
{
	struct rlimit rl;
	char path[160];
	char *s = long_string(20000);
	int r;

	if (!s || getrlimit(RLIMIT_FSIZE, &rl) != 0) {
		return 1;
	}
	rl.rlim_cur = 100;
	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0) {
		return 77;
	}
	snprintf(path, sizeof(path), "%s/big.msrcIncident", dir);
	r = invfile_write(path, s);
	free(s);
	if (r != -EFBIG) {
		return 2;
	}
	if (access(path, F_OK) == 0 || errno != ENOENT) {
		return 3;
	}
	return 0;
}

static void test_invfile_write_fails_cleanly(void **state)
{
	struct dir *d = *state;

	assert_int_equal(in_child(efbig_child, d->path), 0);
	/* neither the target nor a temporary file */
	assert_int_equal(count_entries(d->path), 0);
}

/* A real full disk: a one-page tmpfs in a private mount namespace, which
 * vanishes with the child. Needs CAP_SYS_ADMIN, so it is skipped without. */
static int enospc_child(const char *dir)
{
	char path[160];
	char *s = long_string(20000);
	DIR *dh;
	struct dirent *e;
	int n = 0;
	int r;

	if (!s) {
		return 1;
	}
	if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", dir, "tmpfs", 0, "size=4k,mode=0700") != 0) {
		free(s);
		return 77;
	}
	snprintf(path, sizeof(path), "%s/full.msrcIncident", dir);
	r = invfile_write(path, s);
	free(s);
	if (r != -ENOSPC) {
		return 2;
	}
	dh = opendir(dir);
	if (!dh) {
		return 3;
	}
	while ((e = readdir(dh)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			n++;
		}
	}
	closedir(dh);
	if (n != 0) {
		return 4;
	}
	/* A small file still fits: the failure above was about space only. */
	return invfile_write(path, valid) == 0 ? 0 : 5;
}

static void test_invfile_enospc(void **state)
{
	struct dir *d = *state;
	int r = in_child(enospc_child, d->path);

	if (r == 77) {
		/* needs CAP_SYS_ADMIN for a private tmpfs; the write-error paths
		 * themselves are covered by test_invfile_write_fails_cleanly */
		print_message("skipped: no mount namespace for a full tmpfs\n");
		skip();
	}
	assert_int_equal(r, 0);
	assert_int_equal(count_entries(d->path), 0);
}

/* Incident files as Windows writes them (values made up for the test). */
#define INCIDENT_HEAD "<?xml version=\"1.0\" encoding=\"Unicode\" ?><UPLOADINFO TYPE=\"Escalated\">"
#define TICKET                                                                                     \
	"65538,1,10.0.3.105:3389;desk.contoso.example:3390;fe80::5%12:49228;[fe80::6%7]:49229,*,"  \
	"Zm9vYmFyYmF6cXV4cXV1eA==,*,*,a2gta2gta2g="
static const char incident[] =
    INCIDENT_HEAD "<UPLOADDATA USERNAME=\"Administrator\" RCTICKET=\"" TICKET "\" "
                  "PassStub=\"Ab#4Cdefg*_xyz\" RCTICKETENCRYPTED=\"1\" DtStart=\"1314905741\" "
                  "DtLength=\"180\" L=\"0\"/></UPLOADINFO>";

static void check_incident_result(const char *cs)
{
	struct connstr c;

	expect_accept(cs, &c);
	assert_string_equal(c.auth_id, "Zm9vYmFyYmF6cXV4cXV1eA==");
	assert_string_equal(c.kh, "a2gta2gta2g=");
	assert_int_equal(c.n_addrs, 4);
	assert_string_equal(c.addrs[0].host, "10.0.3.105");
	assert_int_equal(c.addrs[0].port, 3389);
	assert_string_equal(c.addrs[1].host, "desk.contoso.example");
	assert_int_equal(c.addrs[1].port, 3390);
	assert_string_equal(c.addrs[2].host, "fe80::5%12");
	assert_int_equal(c.addrs[2].port, 49228);
	assert_string_equal(c.addrs[3].host, "fe80::6%7");
	assert_int_equal(c.addrs[3].port, 49229);
	connstr_clear(&c);
}

static void test_invfile_read_incident(void **state)
{
	struct dir *d = *state;
	char path[128];
	char *cs = NULL;

	snprintf(path, sizeof(path), "%s/win.msrcIncident", d->path);
	write_raw(path, incident, strlen(incident));
	assert_int_equal(invfile_read(path, &cs), 0);
	check_incident_result(cs);
	free(cs);

	/* long form of UPLOADDATA, whitespace, no KH in the ticket */
	static const char other[] = "\n<UPLOADINFO TYPE='Escalated'>\n <UPLOADDATA RCTICKET="
	                            "\"65538,1,192.168.7.20:3389,*,id&amp;x,*,*,\">"
	                            "</UPLOADDATA>\n</UPLOADINFO>\n";
	assert_int_equal(invfile_parse_buffer(other, strlen(other), &cs), 0);
	assert_string_equal(cs, "<E><A ID=\"id&amp;x\"/>" T_OPEN
	                        "<L P=\"3389\" N=\"192.168.7.20\"/>" T_CLOSE);
	free(cs);
}

/* ASCII to UTF-16 with a BOM, as Notepad or Windows' msra would save it. */
static char *utf16(const char *s, int big_endian, size_t *n)
{
	size_t len = strlen(s);
	char *u = malloc(2 * len + 2);

	assert_non_null(u);
	u[0] = big_endian ? '\xFE' : '\xFF';
	u[1] = big_endian ? '\xFF' : '\xFE';
	for (size_t i = 0; i < len; i++) {
		u[2 + 2 * i + (big_endian ? 1 : 0)] = s[i];
		u[2 + 2 * i + (big_endian ? 0 : 1)] = '\0';
	}
	*n = 2 * len + 2;
	return u;
}

static void test_invfile_read_encodings(void **state)
{
	struct dir *d = *state;
	char path[128];
	char *cs = NULL;
	size_t n;
	char *u;

	snprintf(path, sizeof(path), "%s/u16.msrcIncident", d->path);
	u = utf16(incident, 0, &n);
	write_raw(path, u, n);
	assert_int_equal(invfile_read(path, &cs), 0);
	check_incident_result(cs);
	free(cs);
	/* odd length */
	assert_int_equal(invfile_parse_buffer(u, n - 1, &cs), -EINVAL);
	assert_null(cs);
	/* a lone high surrogate at the end, and a lone low surrogate */
	u[n - 2] = '\x00';
	u[n - 1] = '\xD8';
	assert_int_equal(invfile_parse_buffer(u, n, &cs), -EINVAL);
	u[n - 1] = '\xDC';
	assert_int_equal(invfile_parse_buffer(u, n, &cs), -EINVAL);
	free(u);

	u = utf16(valid, 1, &n);
	assert_int_equal(invfile_parse_buffer(u, n, &cs), 0);
	assert_string_equal(cs, valid);
	free(cs);
	free(u);

	/* UTF-8 BOM, XML declaration, CRLF: the string comes back trimmed. */
	static const char bare[] = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
	                           "<E><A KH=\"kh\" ID=\"auth\"/><C><T ID=\"1\" SID=\"0\">"
	                           "<L P=\"3389\" N=\"192.168.1.10\"/>"
	                           "<L P=\"3390\" N=\"fe80::1%eth0\"/></T></C></E>\r\n\r\n";
	assert_int_equal(invfile_parse_buffer(bare, strlen(bare), &cs), 0);
	assert_string_equal(cs, valid);
	free(cs);
}

static void test_invfile_read_errors(void **state)
{
	struct dir *d = *state;
	static const char *const bad[] = {
	    "",
	    "\n",
	    "garbage",
	    "<E/>",
	    "<?xml version=\"1.0\"",
	    "<?xmlfoo?><E><A ID=\"a\"/><C><T><L P=\"1\" N=\"h.example\"/></T></C></E>",
	    /* an LHTICKET alone needs the password to decrypt */
	    INCIDENT_HEAD "<UPLOADDATA LHTICKET=\"20FCC407\" PassStub=\"x\"/></UPLOADINFO>",
	    /* tickets that are not Connection String 1 */
	    INCIDENT_HEAD
	    "<UPLOADDATA RCTICKET=\"65537,1,10.0.0.1:3389,*,id,*,*,kh\"/></UPLOADINFO>",
	    INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"65538,1,10.0.0.1:3389,*,id,*,*\"/></UPLOADINFO>",
	    INCIDENT_HEAD
	    "<UPLOADDATA RCTICKET=\"65538,1,10.0.0.1:3389,*,id,*,*,kh,x\"/></UPLOADINFO>",
	    INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"65538,1,10.0.0.1:3389,*,,*,*,kh\"/></UPLOADINFO>",
	    INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"65538,1,10.0.0.1,*,id,*,*,kh\"/></UPLOADINFO>",
	    INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"65538,1,10.0.0.1:0,*,id,*,*,kh\"/></UPLOADINFO>",
	    INCIDENT_HEAD
	    "<UPLOADDATA RCTICKET=\"65538,1,10.0.0.1:3389;,*,id,*,*,kh\"/></UPLOADINFO>",
	    INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"65538,1,,*,id,*,*,kh\"/></UPLOADINFO>",
	    INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"65538,1,a b:1,*,id,*,*,kh\"/></UPLOADINFO>",
	    INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"65538,1,h:1,x,id,*,*,kh\"/></UPLOADINFO>",
	    /* encrypted ticket text is not a ticket */
	    INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"3F30320ABB3641F1EFA66205F3EA\"/></UPLOADINFO>",
	    /* structure */
	    INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"65538,1,h:1,*,id,*,*,kh\"/>",
	    INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"65538,1,h:1,*,id,*,*,kh\"/></UPLOADINFO>x",
	    INCIDENT_HEAD "<X/><UPLOADDATA RCTICKET=\"65538,1,h:1,*,id,*,*,kh\"/></UPLOADINFO>",
	    INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"65538,1,h:1,*,id,*,*,kh\" RCTICKET=\"x\"/>"
	                  "</UPLOADINFO>",
	    /* both forms in one file */
	    ("<UPLOADINFO><UPLOADDATA RCTICKET=\"65538,1,h:1,*,id,*,*,kh\"/></UPLOADINFO>"
	     "<E><A ID=\"a\"/><C><T><L P=\"1\" N=\"h.example\"/></T></C></E>"),
	};
	char path[128];
	char *cs = (char *)"untouched";
	char *big;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (invfile_parse_buffer(bad[i], strlen(bad[i]), &cs) != -EINVAL) {
			fail_msg("accepted: %s", bad[i]);
		}
		assert_null(cs);
	}
	/* With 33 addresses the ticket cannot become a connection string. */
	{
		char t[2048];
		size_t pos = (size_t)sprintf(t, INCIDENT_HEAD "<UPLOADDATA RCTICKET=\"65538,1,");

		for (int i = 0; i <= CONNSTR_MAX_ADDRS; i++) {
			pos += (size_t)sprintf(t + pos, "%s10.0.0.%d:%d", i ? ";" : "", i, i + 1);
		}
		sprintf(t + pos, ",*,id,*,*,kh\"/></UPLOADINFO>");
		assert_int_equal(invfile_parse_buffer(t, strlen(t), &cs), -EINVAL);
	}
	snprintf(path, sizeof(path), "%s/none.msrcIncident", d->path);
	assert_int_equal(invfile_read(path, &cs), -ENOENT);
	assert_null(cs);
	assert_int_equal(invfile_read(d->path, &cs), -EINVAL);
	assert_int_equal(invfile_read("/dev/null", &cs), -EINVAL);
	assert_int_equal(invfile_read(NULL, &cs), -EINVAL);
	assert_int_equal(invfile_read(path, NULL), -EINVAL);
	write_raw(path, "", 0);
	assert_int_equal(invfile_read(path, &cs), -EINVAL);
	/* too large to be an invitation, even if it starts like one */
	big = malloc(5 * CONNSTR_MAX_LEN);
	assert_non_null(big);
	memset(big, ' ', 5 * CONNSTR_MAX_LEN);
	memcpy(big, valid, strlen(valid));
	write_raw(path, big, 5 * CONNSTR_MAX_LEN);
	assert_int_equal(invfile_read(path, &cs), -EINVAL);
	assert_int_equal(invfile_parse_buffer(big, 5 * CONNSTR_MAX_LEN, &cs), -EINVAL);
	free(big);
	assert_null(cs);
	assert_int_equal(unlink(path), 0);
}

static void test_invfile_truncated(void **state)
{
	char *cs = NULL;
	size_t n;
	char *u;

	(void)state;
	for (size_t i = 0; i < strlen(incident); i++) {
		char *copy = malloc(i ? i : 1);

		assert_non_null(copy);
		memcpy(copy, incident, i);
		if (invfile_parse_buffer(copy, i, &cs) != -EINVAL) {
			fail_msg("accepted %zu bytes", i);
		}
		free(copy);
	}
	u = utf16(incident, 0, &n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(invfile_parse_buffer(u, i, &cs), -EINVAL);
	}
	free(u);
	assert_null(cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_build_exact),
	    cmocka_unit_test(test_build_reverse_connect),
	    cmocka_unit_test(test_build_rejects),
	    cmocka_unit_test(test_build_too_long),
	    cmocka_unit_test(test_roundtrip_ipv4),
	    cmocka_unit_test(test_roundtrip_ipv6_zone),
	    cmocka_unit_test(test_roundtrip_hostname),
	    cmocka_unit_test(test_roundtrip_32),
	    cmocka_unit_test(test_roundtrip_hostile_auth),
	    cmocka_unit_test(test_parse_windows_layout),
	    cmocka_unit_test(test_parse_syntax_variants),
	    cmocka_unit_test(test_parse_references),
	    cmocka_unit_test(test_parse_reverse_connect),
	    cmocka_unit_test(test_reject_truncated),
	    cmocka_unit_test(test_reject_huge),
	    cmocka_unit_test(test_reject_unbalanced_quotes),
	    cmocka_unit_test(test_reject_ports),
	    cmocka_unit_test(test_reject_missing_parts),
	    cmocka_unit_test(test_reject_too_many_addrs),
	    cmocka_unit_test(test_reject_nul),
	    cmocka_unit_test(test_reject_entities),
	    cmocka_unit_test(test_reject_nesting),
	    cmocka_unit_test(test_reject_misc),
	    cmocka_unit_test_setup_teardown(test_invfile_roundtrip, dir_setup, dir_teardown),
	    cmocka_unit_test_setup_teardown(test_invfile_mode, dir_setup, dir_teardown),
	    cmocka_unit_test_setup_teardown(test_invfile_write_errors, dir_setup, dir_teardown),
	    cmocka_unit_test_setup_teardown(test_invfile_write_fails_cleanly, dir_setup,
	                                    dir_teardown),
	    cmocka_unit_test_setup_teardown(test_invfile_enospc, dir_setup, dir_teardown),
	    cmocka_unit_test_setup_teardown(test_invfile_read_incident, dir_setup, dir_teardown),
	    cmocka_unit_test_setup_teardown(test_invfile_read_encodings, dir_setup, dir_teardown),
	    cmocka_unit_test_setup_teardown(test_invfile_read_errors, dir_setup, dir_teardown),
	    cmocka_unit_test(test_invfile_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
