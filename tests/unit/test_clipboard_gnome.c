/* The GNOME clipboard (src/capture/gnome_clip.c) against a private headless
 * Mutter (gnome_headless.h) with wl-clipboard as the other client: on
 * Mutter it uses the Wayland data device, which needs a keyboard on the
 * seat (the capture's session makes one) and a surface with the focus (it
 * makes its own). A thread stands in for the engine: it polls the capture
 * and runs process(), where the clipboard does its bus work, while the
 * test thread calls clipboard_get / clipboard_set as connection threads
 * do.
 *
 * Checked: another client's copy reaches on_change and clipboard_get, a
 * quick second copy replaces the first; our set is what wl-paste prints
 * and raises no on_change; a text over the cap is not taken (one exactly
 * at it is); a paster that never reads neither stalls the engine nor keeps
 * its descriptor past the deadline; the handle closed before or after its
 * capture; and Mutter's death leaves no hang. The tests share one desktop
 * and run in order; the last one kills Mutter. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>

#include "capture/clipboard.h"
#include "gnome_headless.h"
#include "util/thread.h"

static struct capture *cap;
static struct clipboard *board;
static atomic_int changes;
static pthread_t engine;
static atomic_bool engine_stop, engine_dead;
static pid_t copier = -1; /* the wl-copy serving the last copy */

static void on_change(void *ctx)
{
	atomic_fetch_add((atomic_int *)ctx, 1);
}

/* The engine's loop, reduced to the capture. */
static void *engine_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&engine_stop)) {
		struct pollfd p = {cap->ops->fd(cap), POLLIN, 0};
		if (poll(&p, 1, 50) > 0 && cap->ops->process(cap) < 0) {
			atomic_store(&engine_dead, true);
			break;
		}
	}
	return NULL;
}

static void engine_end(void)
{
	if (!atomic_exchange(&engine_stop, true)) {
		pthread_join(engine, NULL);
	}
}

/* ---- clients ---- */

/* argv as a Wayland client of Mutter in its own process group, stdin from
 * in (NULL: /dev/null), stdout to out (-1: /dev/null). */
static pid_t client(char *const argv[], const char *in, int out)
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		int null = open("/dev/null", O_RDWR);
		int fd = in ? open(in, O_RDONLY) : null;
		if (fd < 0 || null < 0) {
			_exit(126);
		}
		dup2(fd, 0);
		dup2(out >= 0 ? out : null, 1);
		dup2(null, 2);
		setenv("WAYLAND_DISPLAY", GNOME_WAYLAND, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Stop pid and its group, and reap it. */
static void reap(pid_t pid)
{
	if (pid <= 0) {
		return;
	}
	kill(-pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			kill(-pid, SIGKILL);
			return;
		}
		usleep(10 * 1000);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* What argv prints (at most size - 1 bytes) within ms; its exit status, -1
 * when it had to be stopped. */
static int run(char *const argv[], char *buf, size_t size, int ms)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		return -1;
	}
	pid_t pid = client(argv, NULL, p[1]);
	close(p[1]);
	size_t n = 0;
	struct pollfd pfd = {p[0], POLLIN, 0};
	for (int64_t end = util_clock_ms() + ms; util_clock_ms() < end && n < size - 1;) {
		if (poll(&pfd, 1, 50) <= 0) {
			continue;
		}
		ssize_t r = read(p[0], buf + n, size - 1 - n);
		if (r <= 0) {
			break;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	close(p[0]);
	int st = 0;
	for (int i = 0; i < 40; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		}
		usleep(50 * 1000);
	}
	reap(pid);
	return -1;
}

/* Another client copies text, or a file's bytes (wl-copy keeps serving). */
static void copy_text(const char *text, const char *file)
{
	reap(copier);
	char *with_text[] = {"wl-copy", "--foreground", (char *)text, NULL};
	char *from_file[] = {"wl-copy", "--foreground", NULL};
	copier = client(file ? from_file : with_text, file, -1);
	assert_true(copier > 0);
}

static bool changes_reach(int want, int ms)
{
	for (int64_t end = util_clock_ms() + ms; util_clock_ms() < end; usleep(20 * 1000)) {
		if (atomic_load(&changes) >= want) {
			return true;
		}
	}
	return atomic_load(&changes) >= want;
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

/* ---- set-up ---- */

static int group_setup(void **state)
{
	(void)state;
	alarm(300); /* a hang fails the test */
	if (gnome_desktop_start() < 0) {
		return -1;
	}
	int err = 0;
	cap = capture_gnome_open(&err);
	if (!cap) {
		fprintf(stderr, "capture_gnome_open: %d\n", err);
		return -1;
	}
	board = capture_gnome_clipboard(cap, on_change, &changes, &err);
	if (!board) {
		fprintf(stderr, "capture_gnome_clipboard: %d\n", err);
		return -1;
	}
	/* one per capture */
	struct clipboard *again = capture_gnome_clipboard(cap, on_change, &changes, &err);
	if (again || err != -EBUSY) {
		fprintf(stderr, "a second clipboard: %p %d\n", (void *)again, err);
		return -1;
	}
	/* as the engine's: no signals (a paster that left is EPIPE, not SIGPIPE) */
	return util_thread_start(&engine, engine_main, NULL) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	engine_end();
	clipboard_close(board);
	if (cap) {
		cap->ops->destroy(cap);
	}
	reap(copier);
	gnome_desktop_stop();
	return 0;
}

/* ---- tests ---- */

static void test_open_errors(void **unused)
{
	(void)unused;
	int err = 0;
	assert_null(capture_gnome_clipboard(NULL, on_change, &changes, &err));
	assert_int_equal(err, -EINVAL);
	struct capture *demo = capture_demo_open(64, 64, 10, &err);
	assert_non_null(demo);
	assert_null(capture_gnome_clipboard(demo, on_change, &changes, &err));
	assert_int_equal(err, -EINVAL);
	demo->ops->destroy(demo);
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
	/* two more in quick succession: the last one wins */
	copy_text("second", NULL);
	usleep(30 * 1000);
	copy_text("third", NULL);
	bool third = false;
	for (int64_t end = util_clock_ms() + 5000; !third && util_clock_ms() < end;) {
		clipboard_get(board, &text);
		third = text && strcmp(text, "third") == 0;
		free(text);
		usleep(20 * 1000);
	}
	assert_true(third);
}

static void test_set_then_paste(void **unused)
{
	(void)unused;
	usleep(300 * 1000); /* the last copy's change is in */
	int before = atomic_load(&changes);
	uint64_t gen = clipboard_gen(board);
	uint64_t set = clipboard_set(board, "from the viewer \xc3\xa9");
	assert_true(set > gen);
	assert_int_equal(clipboard_gen(board), set);
	char out[256];
	char *paste[] = {"wl-paste", "--no-newline", NULL};
	/* the set reaches Mutter on the engine thread: retry a moment */
	bool same = false;
	for (int i = 0; i < 50 && !same; i++) {
		run(paste, out, sizeof(out), 3000);
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
	char over[PATH_MAX + 16], at[PATH_MAX + 16];
	snprintf(over, sizeof(over), "%s/over.txt", runtime);
	snprintf(at, sizeof(at), "%s/at.txt", runtime);
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
		listed = run(list, out, sizeof(out), 3000) == 0 && strstr(out, "text/");
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

static void test_stalled_paster(void **unused)
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
	reap(copier);
	copier = -1;
	int fds = open_fds();
	char *stall[] = {"sh", "-c", "wl-paste | sleep 60", NULL};
	int64_t t0 = util_clock_ms();
	pid_t paster = client(stall, NULL, -1);
	assert_true(paster > 0);
	bool serving = false;
	for (int i = 0; i < 150 && !serving; i++) {
		serving = open_fds() > fds;
		usleep(20 * 1000);
	}
	assert_true(serving);
	/* the engine still answers: another copy arrives meanwhile */
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
	reap(paster);
}

/* A capture of its own, pumped here: the handle closed first, then the
 * capture; and the other way round, the handle outliving its capture. */
static void test_lifetimes(void **unused)
{
	(void)unused;
	for (int order = 0; order < 2; order++) {
		int err = 0;
		struct capture *c = capture_gnome_open(&err);
		assert_non_null(c);
		struct clipboard *b = capture_gnome_clipboard(c, on_change, &changes, &err);
		assert_non_null(b);
		for (int64_t end = util_clock_ms() + 500; util_clock_ms() < end;) {
			struct pollfd p = {c->ops->fd(c), POLLIN, 0};
			if (poll(&p, 1, 50) > 0) {
				assert_true(c->ops->process(c) >= 0);
			}
		}
		/* it read the clipboard as it is: the last copy */
		char *text = NULL;
		clipboard_get(b, &text);
		assert_non_null(text);
		assert_string_equal(text, "while stalled");
		free(text);
		if (order == 0) {
			clipboard_close(b);
			struct pollfd p = {c->ops->fd(c), POLLIN, 0};
			assert_int_equal(poll(&p, 1, 1000), 1); /* the close wakes it */
			assert_true(c->ops->process(c) >= 0);
			c->ops->destroy(c);
		} else {
			c->ops->destroy(c);
			assert_int_equal(clipboard_set(b, "no session"), 0);
			clipboard_get(b, &text);
			assert_string_equal(text, "while stalled");
			free(text);
			clipboard_close(b);
		}
	}
}

static void test_mutter_death(void **unused)
{
	(void)unused;
	reap(copier);
	copier = -1;
	kill(pids[P_MUTTER], SIGKILL);
	waitpid(pids[P_MUTTER], NULL, 0);
	pids[P_MUTTER] = 0;
	for (int64_t end = util_clock_ms() + 5000;
	     !atomic_load(&engine_dead) && util_clock_ms() < end;) {
		usleep(20 * 1000);
	}
	assert_true(atomic_load(&engine_dead));
	engine_end();
	/* quiet: sets fail, what we had stays readable */
	assert_int_equal(clipboard_set(board, "after the end"), 0);
	char *text = NULL;
	assert_true(clipboard_get(board, &text) > 0);
	assert_non_null(text);
	free(text);
	int64_t t0 = util_clock_ms();
	clipboard_close(board);
	board = NULL;
	cap->ops->destroy(cap);
	cap = NULL;
	assert_true(util_clock_ms() - t0 < 2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_errors),    cmocka_unit_test(test_copy_from_client),
	    cmocka_unit_test(test_set_then_paste), cmocka_unit_test(test_cap),
	    cmocka_unit_test(test_stalled_paster), cmocka_unit_test(test_lifetimes),
	    cmocka_unit_test(test_mutter_death),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
