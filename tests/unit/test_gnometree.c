/* gnome-shell's window list (src/capture/gnometree.c): a real answer of
 * gnome-shell 43 with two windows, a dialog on a second monitor with a
 * scaled stream, and hostile answers: not JSON, wrong types, huge numbers,
 * a window that owns itself, too many windows, control characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/gnometree.h"

/* tests run from the top of the tree (tests/run.sh); the files seed the fuzzer */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

static int parse(struct gnometree *t, const char *json, int w, int h)
{
	return gnometree_parse(t, json, strlen(json), w, h);
}

static void test_real_answer(void **unused)
{
	(void)unused;
	size_t len;
	const char *json = slurp("fuzz/corpus/gnometree/two_windows.json", &len);
	struct gnometree t;
	assert_int_equal(gnometree_parse(&t, json, len, 1024, 768), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.v[0].id, 387566897u);
	assert_int_equal(t.v[0].app, 27297);
	assert_string_equal(t.v[0].app_name, "unknown"); /* "window:1" is no name */
	assert_string_equal(t.v[0].title, "wlpattern");
	assert_true(t.v[0].listed && t.v[0].viewable);
	assert_int_equal(t.v[1].y, 32);
	assert_int_equal(t.v[1].w, 700);
	assert_string_equal(t.v[1].app_name, "myfoot"); /* the class first */
	assert_int_equal(t.focus, 387566898u);
	gnometree_finish(&t);
}

static void test_dialog_scaled(void **unused)
{
	(void)unused;
	size_t len;
	const char *json = slurp("fuzz/corpus/gnometree/dialog.json", &len);
	struct gnometree t;
	/* the monitor is 960x540 logical at x 1920, streamed at 1920x1080 */
	assert_int_equal(gnometree_parse(&t, json, len, 1920, 1080), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.v[0].x, 20);
	assert_int_equal(t.v[0].y, 20);
	assert_int_equal(t.v[0].w, 800);
	assert_string_equal(t.v[0].title, "Main  [31m"); /* ESC became a space */
	assert_true(t.v[0].app >= CAP_APP_SYNTHETIC);    /* no pid: grouped by class */
	assert_int_equal(t.v[1].owner, 5);
	assert_false(t.v[1].listed);
	assert_false(t.v[1].viewable);
	assert_string_equal(t.v[1].app_name, "a"); /* ".desktop" dropped */
	assert_int_equal(t.focus, 7);
	gnometree_finish(&t);
}

static void test_hostile(void **unused)
{
	(void)unused;
	struct gnometree t;
	assert_int_equal(parse(&t, "not json", 10, 10), -EINVAL);
	assert_int_equal(t.n, 0);
	assert_int_equal(parse(&t, "[1,2]", 10, 10), -EINVAL);
	assert_int_equal(parse(&t, "{\"windows\":{}}", 10, 10), -EINVAL);
	assert_int_equal(parse(&t, "{\"windows\":[]} x", 10, 10), -EINVAL);
	/* wrong types and absurd numbers: skipped or clamped, never trusted */
	assert_int_equal(
	    parse(&t,
	          "{\"focus\":9,\"windows\":[1,\"x\",{\"id\":-1},{\"id\":4294967296},"
	          "{\"id\":3,\"owner\":3,\"x\":1e300,\"y\":-1e300,\"w\":-5,\"h\":\"9\","
	          "\"title\":7,\"type\":0}]}",
	          10, 10),
	    0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.v[0].id, 3);
	assert_int_equal(t.v[0].owner, 0); /* its own owner: none */
	assert_true(t.v[0].listed);
	assert_int_equal(t.v[0].x, 0); /* no full rectangle: none at all */
	assert_int_equal(t.v[0].w, 0);
	assert_int_equal(t.focus, 0); /* 9 is not in the list */
	gnometree_finish(&t);
	assert_int_equal(
	    parse(&t, "{\"windows\":[{\"id\":1,\"x\":1e300,\"y\":-1e300,\"w\":1e9,\"h\":2}]}", 10,
	          10),
	    0);
	assert_int_equal(t.v[0].x, 1 << 24);
	assert_int_equal(t.v[0].y, -(1 << 24));
	assert_int_equal(t.v[0].w, 1 << 24);
	gnometree_finish(&t);
}

static void test_too_many(void **unused)
{
	(void)unused;
	size_t cap = 1 << 20, o = 0;
	char *json = malloc(cap);
	assert_non_null(json);
	o += (size_t)snprintf(json + o, cap - o, "{\"windows\":[");
	for (int i = 1; i <= GNOMETREE_MAX_WINDOWS + 10; i++) {
		o += (size_t)snprintf(json + o, cap - o, "%s{\"id\":%d}", i > 1 ? "," : "", i);
	}
	o += (size_t)snprintf(json + o, cap - o, "]}");
	struct gnometree t;
	assert_int_equal(gnometree_parse(&t, json, o, 10, 10), 0);
	assert_int_equal(t.n, GNOMETREE_MAX_WINDOWS);
	assert_int_equal(t.v[0].id, 11); /* the bottom-most went */
	gnometree_finish(&t);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_real_answer),
	    cmocka_unit_test(test_dialog_scaled),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_too_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
