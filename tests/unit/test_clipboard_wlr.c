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
#include "sway_headless.h"
#include "util/clock.h"

static struct headless_sway sway;
static struct clipboard *board;
static atomic_int changes;
static pid_t copier = -1; /* the wl-copy serving the last copy */

static void on_change(void *ctx)
{
	atomic_fetch_add((atomic_int *)ctx, 1);
}

static int group_setup(void **state)
{
	(void)state;
	alarm(240); /* a hang fails the test */
	if (!sway_start(&sway, 640, 480, NULL)) {
		return -1;
	}
	int err = 0;
	board = clipboard_wlr_open(sway.wayland, on_change, &changes, &err);
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

/* Wait up to ms for changes to reach want. */
static bool changes_reach(int want, int ms)
{
	int64_t end = util_clock_ms() + ms;
	while (atomic_load(&changes) < want && util_clock_ms() < end) {
		usleep(20 * 1000);
	}
	return atomic_load(&changes) >= want;
}

/* Another client copies text (wl-copy keeps serving it in the foreground). */
static void copy_text(const char *text, const char *file)
{
	sway_reap(copier);
	if (file) {
		char *argv[] = {"wl-copy", "--foreground", NULL};
		copier = sway_client_io(&sway, argv, file, -1);
	} else {
		char *argv[] = {"wl-copy", "--foreground", (char *)text, NULL};
		copier = sway_client(&sway, argv);
	}
	assert_true(copier > 0);
}

static void test_open_errors(void **unused)
{
	(void)unused;
	int err = 0;
	assert_null(clipboard_wlr_open("/nonexistent/wayland-9", on_change, &changes, &err));
	assert_int_equal(err, -ENXIO);
	clipboard_close(NULL);
}

static void test_copy_from_client(void **unused)
{
	(void)unused;
	int before = atomic_load(&changes);
	uint64_t gen = clipboard_gen(board);
	copy_text("hello from wl-copy \xe2\x9c\x93", NULL);
	assert_true(changes_reach(before + 1, 5000));
	char *text = NULL;
	assert_true(clipboard_get(board, &text) > gen);
	assert_non_null(text);
	assert_string_equal(text, "hello from wl-copy \xe2\x9c\x93");
	free(text);
	/* a second copy replaces it */
	copy_text("second", NULL);
	assert_true(changes_reach(before + 2, 5000));
	clipboard_get(board, &text);
	assert_string_equal(text, "second");
	free(text);
}

static void test_set_then_paste(void **unused)
{
	(void)unused;
	int before = atomic_load(&changes);
	uint64_t gen = clipboard_gen(board);
	uint64_t set = clipboard_set(board, "from the viewer \xc3\xa9");
	assert_true(set > gen);
	assert_int_equal(clipboard_gen(board), set);
	char out[256];
	char *paste[] = {"wl-paste", "--no-newline", NULL};
	/* the set reaches the compositor on the clipboard's thread: retry a moment */
	bool same = false;
	for (int i = 0; i < 50 && !same; i++) {
		assert_int_equal(sway_run(&sway, paste, out, sizeof(out), 3000) >= 0, 1);
		same = strcmp(out, "from the viewer \xc3\xa9") == 0;
		if (!same) {
			usleep(100 * 1000);
		}
	}
	assert_true(same);
	/* our own set is no change from another client */
	usleep(300 * 1000);
	assert_int_equal(atomic_load(&changes), before);
	assert_int_equal(clipboard_gen(board), set);
	/* the copier we replaced saw its selection cancelled and left */
	int st;
	bool gone = false;
	for (int i = 0; i < 100 && !gone; i++) {
		gone = waitpid(copier, &st, WNOHANG) == copier;
		usleep(20 * 1000);
	}
	assert_true(gone);
	copier = -1;
	/* too long to set at all */
	char *huge = malloc(CLIPBOARD_MAX_TEXT + 2);
	assert_non_null(huge);
	memset(huge, 'x', CLIPBOARD_MAX_TEXT + 1);
	huge[CLIPBOARD_MAX_TEXT + 1] = '\0';
	assert_int_equal(clipboard_set(board, huge), 0);
	assert_int_equal(clipboard_gen(board), set);
	free(huge);
}

static void write_file(const char *path, size_t len)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (size_t i = 0; i < len; i++) {
		fputc('a' + (int)(i % 26), f);
	}
	fclose(f);
}

static void test_cap(void **unused)
{
	(void)unused;
	char over[256], at[256];
	snprintf(over, sizeof(over), "%s/over.txt", sway.dir);
	snprintf(at, sizeof(at), "%s/at.txt", sway.dir);
	write_file(over, CLIPBOARD_MAX_TEXT + 1);
	write_file(at, CLIPBOARD_MAX_TEXT);
	int before = atomic_load(&changes);
	uint64_t gen = clipboard_gen(board);
	copy_text(NULL, over);
	/* wl-paste sees it on the clipboard; we do not take it */
	char out[64];
	char *list[] = {"wl-paste", "--list-types", NULL};
	bool listed = false;
	for (int i = 0; i < 50 && !listed; i++) {
		listed = sway_run(&sway, list, out, sizeof(out), 3000) == 0 && strstr(out, "text/");
		usleep(50 * 1000);
	}
	assert_true(listed);
	assert_false(changes_reach(before + 1, 1500));
	assert_int_equal(clipboard_gen(board), gen);
	/* exactly the cap is taken */
	copy_text(NULL, at);
	assert_true(changes_reach(before + 1, 5000));
	char *text = NULL;
	clipboard_get(board, &text);
	assert_non_null(text);
	assert_int_equal(strlen(text), CLIPBOARD_MAX_TEXT);
	assert_int_equal(text[CLIPBOARD_MAX_TEXT - 1], 'a' + (CLIPBOARD_MAX_TEXT - 1) % 26);
	free(text);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	while (d && readdir(d)) {
		n++;
	}
	if (d) {
		closedir(d);
	}
	return n;
}

static void test_stalled_paster(void **unused)
{
	(void)unused;
	/* we own a large text; a paster's output goes to a reader that never
	 * reads, so our writes stop after the pipes' buffers */
	char *big = malloc(CLIPBOARD_MAX_TEXT + 1);
	assert_non_null(big);
	memset(big, 'b', CLIPBOARD_MAX_TEXT);
	big[CLIPBOARD_MAX_TEXT] = '\0';
	assert_true(clipboard_set(board, big) > 0);
	free(big);
	usleep(300 * 1000);
	sway_reap(copier);
	copier = -1;
	int fds = open_fds();
	char *stall[] = {"sh", "-c", "wl-paste | sleep 60", NULL};
	int64_t t0 = util_clock_ms();
	pid_t paster = sway_client(&sway, stall);
	assert_true(paster > 0);
	bool serving = false;
	for (int i = 0; i < 100 && !serving; i++) {
		serving = open_fds() > fds;
		usleep(20 * 1000);
	}
	assert_true(serving);
	/* the thread still answers: another copy arrives meanwhile */
	int before = atomic_load(&changes);
	copy_text("while stalled", NULL);
	assert_true(changes_reach(before + 1, 3000));
	char *text = NULL;
	clipboard_get(board, &text);
	assert_string_equal(text, "while stalled");
	free(text);
	/* and the stalled transfer is given up at its deadline (5 s) */
	bool closed = false;
	while (!closed && util_clock_ms() - t0 < 9000) {
		closed = open_fds() <= fds;
		usleep(100 * 1000);
	}
	assert_true(closed);
	sway_reap(paster);
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
	    cmocka_unit_test(test_open_errors),    cmocka_unit_test(test_copy_from_client),
	    cmocka_unit_test(test_set_then_paste), cmocka_unit_test(test_cap),
	    cmocka_unit_test(test_stalled_paster), cmocka_unit_test(test_sway_gone),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
