/* The wlroots clipboard (src/capture/clipboard_wlr.c) against a real
 * headless sway with wl-clipboard as the other client (it uses
 * wlr-data-control there, so no surface needs the focus): another client's
 * copy reaches on_change and clipboard_get, our set is what wl-paste prints
 * and raises no on_change, a text over the cap is not taken (one exactly at
 * it is), a paster that never reads neither stalls the thread nor keeps its
 * descriptor past the deadline, and sway's end leaves no hang. The tests
 * share one sway and one clipboard and run in order; the last kills sway. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdatomic.h>

#include "capture/clipboard.h"
#include "clipboard_test.h"
#include "sway_headless.h"
#include "util/clock.h"

static struct headless_sway sway;

static pid_t client_in(char *const argv[], const char *in)
{
	return sway_client_io(&sway, argv, in, -1);
}

static int run(char *const argv[], char *buf, size_t size, int ms)
{
	return sway_run(&sway, argv, buf, size, ms);
}

static int group_setup(void **state)
{
	(void)state;
	alarm(240); /* a hang fails the test */
	if (!sway_start(&sway, 640, 480, NULL)) {
		return -1;
	}
	desk = (struct clip_desk){client_in, run, sway_reap, sway.dir};
	int err = 0;
	board = clipboard_wlr_open(sway.wayland, clip_on_change, &changes, &err);
	if (!board) {
		fprintf(stderr, "clipboard_wlr_open: %d\n", err);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	clipboard_close(board);
	sway_reap(copier);
	sway_stop(&sway);
	return 0;
}

static void test_open_errors(void **unused)
{
	(void)unused;
	int err = 0;
	assert_null(clipboard_wlr_open("/nonexistent/wayland-9", clip_on_change, &changes, &err));
	assert_int_equal(err, -ENXIO);
	clipboard_close(NULL);
}

static void test_copy_from_client(void **unused)
{
	(void)unused;
	int before = atomic_load(&changes);
	clip_assert_copied("hello from wl-copy \xe2\x9c\x93");
	/* a second copy replaces it */
	copy_text("second", NULL);
	assert_true(changes_reach(before + 2, 5000));
	char *text = NULL;
	clipboard_get(board, &text);
	assert_string_equal(text, "second");
	free(text);
}

static void test_sway_gone(void **unused)
{
	(void)unused;
	sway_reap(sway.pid);
	sway.pid = -1;
	sway_reap(copier);
	copier = -1;
	/* the thread ends: sets fail, what we had stays readable */
	bool failed = false;
	for (int i = 0; i < 100 && !failed; i++) {
		failed = clipboard_set(board, "after the end") == 0;
		usleep(30 * 1000);
	}
	assert_true(failed);
	char *text = NULL;
	assert_true(clipboard_get(board, &text) > 0);
	free(text);
	int64_t t0 = util_clock_ms();
	clipboard_close(board);
	board = NULL;
	assert_true(util_clock_ms() - t0 < 2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_errors),         cmocka_unit_test(test_copy_from_client),
	    cmocka_unit_test(clip_test_set_then_paste), cmocka_unit_test(clip_test_cap),
	    cmocka_unit_test(clip_test_stalled_paster), cmocka_unit_test(test_sway_gone),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
