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

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>

#include "capture/clipboard.h"
#include "clipboard_test.h"
#include "gnome_headless.h"
#include "util/thread.h"

static struct capture *cap;
static pthread_t engine;
static atomic_bool engine_stop, engine_dead;

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

static pid_t client_in(char *const argv[], const char *in)
{
	return client(argv, in, -1);
}

/* ---- set-up ---- */

static int group_setup(void **state)
{
	(void)state;
	alarm(300); /* a hang fails the test */
	if (gnome_desktop_start() < 0) {
		return -1;
	}
	desk = (struct clip_desk){client_in, run, reap, runtime};
	int err = 0;
	cap = capture_gnome_open(&err);
	if (!cap) {
		fprintf(stderr, "capture_gnome_open: %d\n", err);
		return -1;
	}
	board = capture_gnome_clipboard(cap, clip_on_change, &changes, &err);
	if (!board) {
		fprintf(stderr, "capture_gnome_clipboard: %d\n", err);
		return -1;
	}
	/* one per capture */
	struct clipboard *again = capture_gnome_clipboard(cap, clip_on_change, &changes, &err);
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
	assert_null(capture_gnome_clipboard(NULL, clip_on_change, &changes, &err));
	assert_int_equal(err, -EINVAL);
	struct capture *demo = capture_demo_open(64, 64, 10, &err);
	assert_non_null(demo);
	assert_null(capture_gnome_clipboard(demo, clip_on_change, &changes, &err));
	assert_int_equal(err, -EINVAL);
	demo->ops->destroy(demo);
	clipboard_close(NULL);
}

static void test_copy_from_client(void **unused)
{
	(void)unused;
	clip_assert_copied("hello from wl-copy \xe2\x9c\x93");
	/* two more in quick succession: the last one wins */
	copy_text("second", NULL);
	usleep(30 * 1000);
	copy_text("third", NULL);
	bool third = false;
	char *text = NULL;
	for (int64_t end = util_clock_ms() + 5000; !third && util_clock_ms() < end;) {
		clipboard_get(board, &text);
		third = text && strcmp(text, "third") == 0;
		free(text);
		usleep(20 * 1000);
	}
	assert_true(third);
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
		struct clipboard *b = capture_gnome_clipboard(c, clip_on_change, &changes, &err);
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
	    cmocka_unit_test(test_open_errors),         cmocka_unit_test(test_copy_from_client),
	    cmocka_unit_test(clip_test_set_then_paste), cmocka_unit_test(clip_test_cap),
	    cmocka_unit_test(clip_test_stalled_paster), cmocka_unit_test(test_lifetimes),
	    cmocka_unit_test(test_mutter_death),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
