/* rdpview's known-hosts file (util/knownhosts.c): entries found by host and
 * port, anything else in the file skipped, hostile contents survived, and
 * the file made, appended to and read back. And the certificate fingerprint
 * the sharer's join lines pin (util/keyhash.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/keyhash.h"
#include "util/knownhosts.h"

#define KH1 "w2QJ7aHnw0l9BNhP7m3nS2bKCkU="
#define KH2 "AAAAAAAAAAAAAAAAAAAAAAAAAAA="

/* Look host:port up in the NUL-terminated text; the found KH or NULL. */
static char *find(const char *text, const char *host, int port, int *line)
{
	char *kh = NULL;
	int l = 0;
	int r = knownhosts_find(text, strlen(text), host, port, &kh, &l);
	assert_true(r == 0 || r == 1);
	assert_int_equal(r == 1, kh != NULL);
	if (line) {
		*line = l;
	}
	return kh;
}

static void expect(const char *text, const char *host, int port, const char *want, int want_line)
{
	int line = 0;
	char *kh = find(text, host, port, &line);
	if (!want) {
		assert_null(kh);
		return;
	}
	assert_non_null(kh);
	assert_string_equal(kh, want);
	assert_int_equal(line, want_line);
	free(kh);
}

static void test_find(void **state)
{
	(void)state;
	const char *f = "# rdpview known hosts\n"
	                "\n"
	                "127.0.0.1:3389 " KH1 "\n"
	                "  Sharer.Example:40000\t" KH2 "  \r\n"
	                "[::1]:3389 " KH2 "\n"
	                "127.0.0.1:3389 " KH2 "\n"; /* a later duplicate counts for nothing */
	expect(f, "127.0.0.1", 3389, KH1, 3);
	expect(f, "sharer.example", 40000, KH2, 4); /* names compare without case */
	expect(f, "::1", 3389, KH2, 5);
	expect(f, "127.0.0.1", 3390, NULL, 0);
	expect(f, "127.0.0.10", 3389, NULL, 0);
	expect(f, "127.0.0.1", 338, NULL, 0);
	expect(f, "1", 3389, NULL, 0);
	/* the last line needs no newline */
	expect("h:1 " KH1, "h", 1, KH1, 1);
}

static void test_skipped_lines(void **state)
{
	(void)state;
	/* each of these matches nothing, and the entry after it still counts */
	const char *bad[] = {
	    "h:1\n",                               /* no KH */
	    "h:1 " KH1 " extra\n",                 /* something after the KH */
	    "h:1 w2QJ7aHnw0l9BNhP7m3nS2bKCkU\n",   /* KH too short */
	    "h:1 w2QJ7aHnw0l9BNhP7m3nS2bKCkU==\n", /* too long */
	    "h:1 w2QJ7aHnw0l9BNhP7m3nS2b!CkU=\n",  /* not base64 */
	    "#h:1 " KH1 "\n",                      /* a comment */
	    "h:1" KH1 "\n",                        /* no separator */
	    "h :1 " KH1 "\n",                      /* a blank inside */
	    "h:01 " KH1 "\n",                      /* another spelling of the port */
	    "[h]:1 " KH1 "\n",                     /* brackets only for IPv6 */
	    "\n\n\r\n \t \n",                      /* blank */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text), "%sh:1 %s\n", bad[i], KH2);
		int lines = 1;
		for (const char *p = bad[i]; *p; p++) {
			lines += *p == '\n';
		}
		expect(bad[i], "h", 1, NULL, 0);
		expect(text, "h", 1, KH2, lines);
	}
}

static void test_hostile(void **state)
{
	(void)state;
	char kh_line[] = "h:1 " KH1 "\n";
	/* a NUL inside the host field or the KH: that line is no entry */
	char nul_host[] = "h\0:1 " KH1 "\nh:1 " KH2 "\n";
	char *kh = NULL;
	int line = 0;
	assert_int_equal(knownhosts_find(nul_host, sizeof(nul_host) - 1, "h", 1, &kh, &line), 1);
	assert_string_equal(kh, KH2);
	assert_int_equal(line, 2);
	free(kh);
	char nul_kh[] = "h:1 w2QJ7aHnw0l9\0NhP7m3nS2bKCkU=\n";
	assert_int_equal(knownhosts_find(nul_kh, sizeof(nul_kh) - 1, "h", 1, &kh, &line), 0);
	assert_null(kh);
	/* len is honoured: an entry cut short is no entry, and nothing past
	 * len is read (the buffer is exactly that long) */
	for (size_t n = 0; n < strlen(kh_line); n++) {
		char *cut = malloc(n ? n : 1);
		memcpy(cut, kh_line, n);
		int r = knownhosts_find(cut, n, "h", 1, &kh, &line);
		assert_int_equal(r, n >= strlen(kh_line) - 1 ? 1 : 0);
		free(kh);
		kh = NULL;
		free(cut);
	}
	/* a very long line, no newline at all */
	size_t big = 1 << 20;
	char *junk = malloc(big);
	memset(junk, 'x', big);
	assert_int_equal(knownhosts_find(junk, big, "h", 1, &kh, &line), 0);
	/* every byte value */
	for (size_t i = 0; i < big; i++) {
		junk[i] = (char)(i * 7 + i / 255);
	}
	assert_true(knownhosts_find(junk, big, "h", 1, &kh, &line) >= 0);
	free(kh);
	free(junk);
	/* what cannot be an entry cannot be looked up */
	assert_int_equal(knownhosts_find("", 0, "", 1, &kh, &line), -EINVAL);
	assert_int_equal(knownhosts_find("", 0, "h", 0, &kh, &line), -EINVAL);
	assert_int_equal(knownhosts_find("", 0, "h", 65536, &kh, &line), -EINVAL);
	assert_int_equal(knownhosts_find("", 0, "a b", 1, &kh, &line), -EINVAL);
	assert_int_equal(knownhosts_find("", 0, "a\nb", 1, &kh, &line), -EINVAL);
	assert_int_equal(knownhosts_find("", 0, "#a", 1, &kh, &line), -EINVAL);
}

static void test_entry(void **state)
{
	(void)state;
	char *e = NULL;
	assert_int_equal(knownhosts_entry("127.0.0.1", 3389, KH1, &e), 0);
	assert_string_equal(e, "127.0.0.1:3389 " KH1 "\n");
	free(e);
	assert_int_equal(knownhosts_entry("fe80::1%eth0", 1, KH1, &e), 0);
	assert_string_equal(e, "[fe80::1%eth0]:1 " KH1 "\n");
	expect(e, "fe80::1%eth0", 1, KH1, 1); /* what is written is found */
	free(e);
	assert_int_equal(knownhosts_entry("h", 1, "not a kh", &e), -EINVAL);
	assert_null(e);
	assert_int_equal(knownhosts_entry("h", 1, KH1 "x", &e), -EINVAL);
	assert_int_equal(knownhosts_entry("h\tx", 1, KH1, &e), -EINVAL);
	assert_int_equal(knownhosts_entry("h", 0, KH1, &e), -EINVAL);
	assert_true(knownhosts_valid_kh(KH1));
	assert_false(knownhosts_valid_kh(NULL));
	assert_false(knownhosts_valid_kh(""));
}

static void test_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_knownhosts.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/config/rdpview/known_hosts", dir);
	char *kh = NULL;
	int line = 0;
	/* missing: nothing known */
	assert_int_equal(knownhosts_lookup(path, "h", 1, &kh, &line), 0);
	/* made with its directories, private */
	assert_int_equal(knownhosts_add(path, "h", 1, KH1), 0);
	assert_int_equal(knownhosts_add(path, "::1", 2, KH2), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char sub[256];
	snprintf(sub, sizeof(sub), "%s/config/rdpview", dir);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(knownhosts_lookup(path, "h", 1, &kh, &line), 1);
	assert_string_equal(kh, KH1);
	free(kh);
	assert_int_equal(knownhosts_lookup(path, "::1", 2, &kh, &line), 1);
	assert_string_equal(kh, KH2);
	assert_int_equal(line, 2);
	free(kh);
	assert_int_equal(knownhosts_add(path, "h", 1, "bad"), -EINVAL);
	/* a directory where the file should be, and a file over the cap */
	assert_int_equal(knownhosts_lookup(sub, "h", 1, &kh, &line), -EISDIR);
	FILE *f = fopen(path, "r+");
	assert_non_null(f);
	assert_int_equal(fseek(f, KNOWNHOSTS_MAX_FILE, SEEK_SET), 0);
	fputc('\n', f);
	fclose(f);
	assert_int_equal(knownhosts_lookup(path, "h", 1, &kh, &line), -EFBIG);
	assert_null(kh);
	unlink(path);
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/config", dir);
	rmdir(sub);
	rmdir(dir);
}

static void test_default_path(void **state)
{
	(void)state;
	char *old_xdg = getenv("XDG_CONFIG_HOME") ? strdup(getenv("XDG_CONFIG_HOME")) : NULL;
	char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char *p = NULL;
	setenv("XDG_CONFIG_HOME", "/x", 1);
	setenv("HOME", "/h", 1);
	assert_int_equal(knownhosts_default_path(&p), 0);
	assert_string_equal(p, "/x/rdpview/known_hosts");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1); /* ignored, as the XDG spec says */
	assert_int_equal(knownhosts_default_path(&p), 0);
	assert_string_equal(p, "/h/.config/rdpview/known_hosts");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_int_equal(knownhosts_default_path(&p), -ENOENT);
	assert_null(p);
	if (old_xdg) {
		setenv("XDG_CONFIG_HOME", old_xdg, 1);
	}
	if (old_home) {
		setenv("HOME", old_home, 1);
	}
	free(old_xdg);
	free(old_home);
}

/* A fixed certificate (openssl req -x509 -newkey ec, CN=t): its SHA-256
 * fingerprint as `openssl x509 -noout -fingerprint -sha256` prints it. */
static const char CERT[] = "-----BEGIN CERTIFICATE-----\n"
                           "MIIBbDCCAROgAwIBAgIUDpxTgY1YZc2hiMB86dK6xK2ByAMwCgYIKoZIzj0EAwIw\n"
                           "DDEKMAgGA1UEAwwBdDAeFw0yNjExMzAyMTI0MzNaFw0zNjExMjcyMTI0MzNaMAwx\n"
                           "CjAIBgNVBAMMAXQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQdRgZyw01POYUy\n"
                           "151ptYYoKeEWDZacZMr5GJJiUN5nhZRvBnH1tc4EIVH2y1AwE283N0kaaJG+VUmi\n"
                           "s8aa+iWHo1MwUTAdBgNVHQ4EFgQUAY2wmgW2yDzXM6JsyGF4H/Vmsj8wHwYDVR0j\n"
                           "BBgwFoAUAY2wmgW2yDzXM6JsyGF4H/Vmsj8wDwYDVR0TAQH/BAUwAwEB/zAKBggq\n"
                           "hkjOPQQDAgNHADBEAiAa17bVEyT+vrMwCTj0zpNU7HSxfSSA1S2EWnff+zlYhgIg\n"
                           "W7AsnIsg3YY3GNbo9cik+LJ3mqXHoMIAu05TkpiHvC4=\n"
                           "-----END CERTIFICATE-----\n";

static void test_cert_fingerprint(void **state)
{
	(void)state;
	char *fp = NULL;
	assert_int_equal(certhash_sha256_from_pem(CERT, sizeof(CERT) - 1, &fp), 0);
	assert_string_equal(fp, "242adf4f2a0297e837e485312c85352c1790a4f9f1be3c9aeba79656e38a99a6");
	free(fp);
	char *kh = NULL;
	assert_int_equal(keyhash_from_pem(CERT, sizeof(CERT) - 1, &kh), 0);
	assert_string_equal(kh, "Alamf5gTzAD9hBKAnmzfn79Ec0w=");
	free(kh);
	assert_int_equal(certhash_sha256_from_pem("junk", 4, &fp), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_skipped_lines),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_entry),
	    cmocka_unit_test(test_file),
	    cmocka_unit_test(test_default_path),
	    cmocka_unit_test(test_cert_fingerprint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
