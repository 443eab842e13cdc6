/* Where rdpshare keeps its files (src/util/dirs.c): a runtime directory is
 * used only when it is private (ours, 0700, not a symbolic link), and the
 * TLS key never goes under /tmp. */
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

#include "util/dirs.h"

static char base[64];

static int setup(void **state)
{
	(void)state;
	snprintf(base, sizeof(base), "/tmp/rdpshare-unit-dirs-XXXXXX");
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_judge(void **state)
{
	(void)state;
	struct stat st = {.st_mode = S_IFDIR | 0700, .st_uid = 1000};
	char why[128] = "";
	assert_int_equal(dirs_judge(&st, 1000, why, sizeof(why)), 0);

	st.st_uid = 65534;
	assert_int_equal(dirs_judge(&st, 1000, why, sizeof(why)), -EPERM);
	assert_string_equal(why, "is owned by uid 65534, not by uid 1000");

	st.st_uid = 1000;
	st.st_mode = S_IFDIR | 0777;
	assert_int_equal(dirs_judge(&st, 1000, why, sizeof(why)), -EACCES);
	assert_string_equal(why, "has mode 0777, not 0700");
	st.st_mode = S_IFDIR | 01777; /* sticky like /tmp: still shared */
	assert_int_equal(dirs_judge(&st, 1000, why, sizeof(why)), -EACCES);
	st.st_mode = S_IFDIR | 0710;
	assert_int_equal(dirs_judge(&st, 1000, NULL, 0), -EACCES);
	st.st_mode = S_IFDIR | 0500; /* ours, but we could not make files in it */
	assert_int_equal(dirs_judge(&st, 1000, NULL, 0), -EACCES);

	st.st_mode = S_IFLNK | 0777;
	assert_int_equal(dirs_judge(&st, 1000, why, sizeof(why)), -ELOOP);
	assert_string_equal(why, "is a symbolic link");
	st.st_mode = S_IFREG | 0700;
	assert_int_equal(dirs_judge(&st, 1000, why, sizeof(why)), -ENOTDIR);

	/* why is cut to its size, never overrun */
	st.st_mode = S_IFDIR | 0700;
	st.st_uid = 65534;
	char small[8];
	memset(small, 'Q', sizeof(small));
	assert_int_equal(dirs_judge(&st, 0, small, 4), -EPERM);
	assert_string_equal(small, "is ");
	assert_int_equal(small[4], 'Q');
}

static void path(char *out, size_t n, const char *leaf)
{
	snprintf(out, n, "%s/%s", base, leaf);
}

static void test_make_private(void **state)
{
	(void)state;
	char p[128], why[128];

	/* fresh: made 0700 whatever the umask */
	path(p, sizeof(p), "fresh");
	mode_t old = umask(0277);
	assert_int_equal(dirs_make_private(p, why, sizeof(why)), 0);
	umask(old);
	struct stat st;
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* again: it exists and is private */
	assert_int_equal(dirs_make_private(p, why, sizeof(why)), 0);
	assert_int_equal(dirs_check_private(p, why, sizeof(why)), 0);

	/* open to everyone: refused, and left as it was */
	path(p, sizeof(p), "open");
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(chmod(p, 0777), 0);
	assert_int_equal(dirs_make_private(p, why, sizeof(why)), -EACCES);
	assert_string_equal(why, "has mode 0777, not 0700");
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0777);

	/* a symbolic link to a private directory is still refused */
	char link[128];
	path(p, sizeof(p), "fresh");
	path(link, sizeof(link), "link");
	assert_int_equal(symlink(p, link), 0);
	assert_int_equal(dirs_make_private(link, why, sizeof(why)), -ELOOP);
	assert_int_equal(dirs_check_private(link, why, sizeof(why)), -ELOOP);

	/* a file in its place */
	path(p, sizeof(p), "file");
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(dirs_make_private(p, why, sizeof(why)), -ENOTDIR);

	/* a missing parent: mkdir's own error, said */
	path(p, sizeof(p), "no/such");
	assert_int_equal(dirs_make_private(p, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "cannot be created"));
	assert_int_equal(dirs_check_private(p, why, sizeof(why)), -ENOENT);

	/* someone else's (needs root to arrange) */
	if (geteuid() == 0) {
		path(p, sizeof(p), "foreign");
		assert_int_equal(mkdir(p, 0700), 0);
		assert_int_equal(chown(p, 65534, 65534), 0);
		assert_int_equal(dirs_make_private(p, why, sizeof(why)), -EPERM);
		assert_string_equal(why, "is owned by uid 65534, not by uid 0");
	}
}

static void test_runtime_path(void **state)
{
	(void)state;
	char *d = dirs_runtime("/run/user/1000", "/var/tmp", 1000);
	assert_string_equal(d, "/run/user/1000");
	free(d);
	d = dirs_runtime(NULL, "/var/tmp", 1000);
	assert_string_equal(d, "/var/tmp/rdpshare-1000");
	free(d);
	/* relative or empty values are not paths to trust */
	d = dirs_runtime("run", "tmp", 7);
	assert_string_equal(d, "/tmp/rdpshare-7");
	free(d);
	d = dirs_runtime("", NULL, 0);
	assert_string_equal(d, "/tmp/rdpshare-0");
	free(d);
}

static void test_config_path(void **state)
{
	(void)state;
	char *d = NULL;
	assert_int_equal(dirs_config("/x/cfg", "/home/u", "/pw", &d), 0);
	assert_string_equal(d, "/x/cfg/rdpshare");
	free(d);
	assert_int_equal(dirs_config(NULL, "/home/u", "/pw", &d), 0);
	assert_string_equal(d, "/home/u/.config/rdpshare");
	free(d);
	assert_int_equal(dirs_config("rel", "", "/pw", &d), 0);
	assert_string_equal(d, "/pw/.config/rdpshare");
	free(d);
	/* no home at all: no directory, and never /tmp */
	d = (char *)"untouched";
	assert_int_equal(dirs_config(NULL, NULL, NULL, &d), -ENOENT);
	assert_null(d);
	assert_int_equal(dirs_config("", "relative", "", &d), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_judge),
	    cmocka_unit_test_setup_teardown(test_make_private, setup, teardown),
	    cmocka_unit_test(test_runtime_path),
	    cmocka_unit_test(test_config_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
