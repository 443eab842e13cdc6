/* What the clipboard unit tests (test_clipboard_wlr against sway,
 * test_clipboard_gnome against Mutter) share: wl-clipboard as the other
 * client, and the tests that run alike on both. A test file fills desk
 * with how its desktop runs a client, opens board with clip_on_change and
 * &changes, and lists the clip_test_* tests in this order after its own
 * copy test, since they share the clipboard's text. Header only. */
#ifndef RDPSHARE_TEST_CLIPBOARD_TEST_H
#define RDPSHARE_TEST_CLIPBOARD_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture/clipboard.h"
#include "util/clock.h"

struct clip_desk {
	/* argv as a Wayland client of the desktop in its own process group,
	 * stdin from in (NULL: /dev/null); its pid */
	pid_t (*client)(char *const argv[], const char *in);
	/* what argv prints (at most size - 1 bytes) within ms; its exit
	 * status, -1 when it had to be stopped */
	int (*run)(char *const argv[], char *buf, size_t size, int ms);
	/* stop pid and its process group, and reap it */
	void (*reap)(pid_t pid);
	const char *dir; /* the desktop's own, for the test's files */
};

static struct clip_desk desk;
static struct clipboard *board;
static atomic_int changes;
static pid_t copier = -1; /* the wl-copy serving the last copy */

static inline void clip_on_change(void *ctx)
{
	atomic_fetch_add((atomic_int *)ctx, 1);
}

/* Wait up to ms for changes to reach want. */
static inline bool changes_reach(int want, int ms)
{
	int64_t end = util_clock_ms() + ms;
	while (atomic_load(&changes) < want && util_clock_ms() < end) {
		usleep(20 * 1000);
	}
	return atomic_load(&changes) >= want;
}

/* Another client copies text, or a file's bytes (wl-copy keeps serving). */
static inline void copy_text(const char *text, const char *file)
{
	desk.reap(copier);
	char *with_text[] = {"wl-copy", "--foreground", (char *)text, NULL};
	char *from_file[] = {"wl-copy", "--foreground", NULL};
	copier = desk.client(file ? from_file : with_text, file);
	assert_true(copier > 0);
}

/* Another client copies text, and it reaches on_change and clipboard_get. */
static inline void clip_assert_copied(const char *text)
{
	int before = atomic_load(&changes);
	uint64_t gen = clipboard_gen(board);
	copy_text(text, NULL);
	assert_true(changes_reach(before + 1, 5000));
	char *got = NULL;
	assert_true(clipboard_get(board, &got) > gen);
	assert_non_null(got);
	assert_string_equal(got, text);
	free(got);
}

static inline int open_fds(void)
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

static inline void write_file(const char *path, size_t len)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (size_t i = 0; i < len; i++) {
		fputc('a' + (int)(i % 26), f);
	}
	fclose(f);
}

/* Our set is what wl-paste prints and raises no on_change; one over the
 * cap is refused. */
static inline void clip_test_set_then_paste(void **unused)
{
	(void)unused;
	usleep(300 * 1000); /* the last copy's change is in (Mutter's comes late) */
	int before = atomic_load(&changes);
	uint64_t gen = clipboard_gen(board);
	uint64_t set = clipboard_set(board, "from the viewer \xc3\xa9");
	assert_true(set > gen);
	assert_int_equal(clipboard_gen(board), set);
	char out[256];
	char *paste[] = {"wl-paste", "--no-newline", NULL};
	/* the set reaches the compositor on the clipboard's thread (GNOME: the
	 * engine's): retry a moment */
	bool same = false;
	for (int i = 0; i < 50 && !same; i++) {
		desk.run(paste, out, sizeof(out), 3000);
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
	bool gone = false;
	for (int i = 0; i < 100 && !gone; i++) {
		gone = waitpid(copier, NULL, WNOHANG) == copier;
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

/* A text over the cap is not taken; one exactly at it is. */
static inline void clip_test_cap(void **unused)
{
	(void)unused;
	char over[PATH_MAX + 16], at[PATH_MAX + 16];
	snprintf(over, sizeof(over), "%s/over.txt", desk.dir);
	snprintf(at, sizeof(at), "%s/at.txt", desk.dir);
	write_file(over, CLIPBOARD_MAX_TEXT + 1);
	write_file(at, CLIPBOARD_MAX_TEXT);
	int before = atomic_load(&changes);
	uint64_t gen = clipboard_gen(board);
	copy_text(NULL, over);
	/* wl-paste sees it on the clipboard; we do not take it */
	char out[256];
	char *list[] = {"wl-paste", "--list-types", NULL};
	bool listed = false;
	for (int i = 0; i < 50 && !listed; i++) {
		listed = desk.run(list, out, sizeof(out), 3000) == 0 && strstr(out, "text/");
		usleep(50 * 1000);
	}
	assert_true(listed);
	assert_false(changes_reach(before + 1, 2000));
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

/* A paster that never reads neither stalls the clipboard's thread nor
 * keeps its descriptor past the deadline. Leaves "while stalled" copied. */
static inline void clip_test_stalled_paster(void **unused)
{
	(void)unused;
	/* we own a large text; a paster's output goes to a reader that never
	 * reads, so our writes stop once the pipes are full */
	char *big = malloc(CLIPBOARD_MAX_TEXT + 1);
	assert_non_null(big);
	memset(big, 'b', CLIPBOARD_MAX_TEXT);
	big[CLIPBOARD_MAX_TEXT] = '\0';
	assert_true(clipboard_set(board, big) > 0);
	free(big);
	usleep(500 * 1000);
	desk.reap(copier);
	copier = -1;
	int fds = open_fds();
	char *stall[] = {"sh", "-c", "wl-paste | sleep 60", NULL};
	int64_t t0 = util_clock_ms();
	pid_t paster = desk.client(stall, NULL);
	assert_true(paster > 0);
	bool serving = false;
	for (int i = 0; i < 150 && !serving; i++) {
		serving = open_fds() > fds;
		usleep(20 * 1000);
	}
	assert_true(serving);
	/* the clipboard's thread still answers: another copy arrives meanwhile */
	clip_assert_copied("while stalled");
	/* and the stalled transfer is given up at its deadline (5 s) */
	bool closed = false;
	while (!closed && util_clock_ms() - t0 < 9000) {
		closed = open_fds() <= fds;
		usleep(100 * 1000);
	}
	assert_true(closed);
	desk.reap(paster);
}

#endif
