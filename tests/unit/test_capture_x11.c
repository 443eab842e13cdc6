/* The X11 capture back-end against a private Xvfb: first full frame, damage
 * for a drawn window, its pixels, the cursor, XTest input, silence when idle,
 * and survival when the server dies. The tests share one server and one
 * back-end and run in order; the last one kills the server. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>

#include "capture/capture.h"
#include "capture_test.h"
#include "util/clock.h"

#define W 640
#define H 480
#define COLOR 0x12c034u /* R 0x12, G 0xc0, B 0x34: catches swapped channels */

static char display_name[16];
static pid_t xvfb_pid = -1;
static struct capture *cap;
static Display *peer; /* the test's own connection, standing in for an application */

/* Did our Xvfb win display n? Another test run may have started one on the
 * same number in the same instant; the lock file names the winner. */
static bool lock_is_ours(int n, pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/.X%d-lock", n);
	FILE *f = fopen(path, "r");
	long owner = -1;
	if (f) {
		if (fscanf(f, "%ld", &owner) != 1) {
			owner = -1;
		}
		fclose(f);
	}
	return owner == (long)pid;
}

/* The first connection that works becomes the peer. It stays open: when
 * the last client leaves, Xvfb resets and refuses connections meanwhile. */
static bool wait_for_server(int n, pid_t pid)
{
	for (int i = 0; i < 100; i++) {
		peer = XOpenDisplay(display_name);
		if (peer && lock_is_ours(n, pid)) {
			return true;
		}
		if (peer) {
			XCloseDisplay(peer);
			peer = NULL;
			break;
		}
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			return false; /* it died: the number was taken after all */
		}
		usleep(100 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return false;
}

static pid_t start_xvfb(void)
{
	for (int n = 90; n < 200; n++) {
		char path[64];
		snprintf(path, sizeof(path), "/tmp/.X11-unix/X%d", n);
		if (access(path, F_OK) == 0) {
			continue;
		}
		snprintf(path, sizeof(path), "/tmp/.X%d-lock", n);
		if (access(path, F_OK) == 0) {
			continue;
		}
		snprintf(display_name, sizeof(display_name), ":%d", n);
		pid_t pid = fork();
		if (pid < 0) {
			return -1;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_RDWR);
			dup2(fd, 1);
			dup2(fd, 2);
			execlp("Xvfb", "Xvfb", display_name, "-screen", "0", "640x480x24",
			       "-nolisten", "tcp", (char *)NULL);
			_exit(127);
		}
		if (wait_for_server(n, pid)) {
			return pid;
		}
	}
	return -1;
}

static int group_setup(void **state)
{
	(void)state;
	xvfb_pid = start_xvfb();
	if (xvfb_pid < 0) {
		fprintf(stderr, "cannot start Xvfb\n");
		return -1;
	}
	int err = 0;
	cap = capture_x11_open(display_name, &err);
	if (!cap) {
		fprintf(stderr, "capture_x11_open: %d\n", err);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (peer) {
		XCloseDisplay(peer);
	}
	if (cap) {
		cap->ops->destroy(cap);
	}
	if (xvfb_pid > 0) {
		kill(xvfb_pid, SIGTERM);
		waitpid(xvfb_pid, NULL, 0);
	}
	return 0;
}

static int pump(int ms)
{
	return cap_pump(cap, ms);
}

static void test_open_errors(void **state)
{
	(void)state;
	int err = 0;
	assert_null(capture_x11_open(":1999", &err));
	assert_int_equal(err, -ENXIO);
}

static void test_first_damage_is_full(void **state)
{
	(void)state;
	int w = 0, h = 0;
	cap->ops->size(cap, &w, &h);
	assert_int_equal(w, W);
	assert_int_equal(h, H);
	cap_assert_full_damage(cap, W, H);
}

static void test_window_damage_and_pixels(void **state)
{
	(void)state;
	XSetWindowAttributes a = {0};
	a.override_redirect = True;
	a.background_pixel = COLOR;
	Window win =
	    XCreateWindow(peer, DefaultRootWindow(peer), 100, 120, 80, 60, 0, CopyFromParent,
	                  InputOutput, CopyFromParent, CWOverrideRedirect | CWBackPixel, &a);
	XMapWindow(peer, win);
	XSync(peer, False);

	struct cap_rect all[256];
	int n = 0;
	bool done = false;
	for (int64_t end = util_clock_ms() + 3000; !done && util_clock_ms() < end;) {
		assert_true(pump(100) >= 0);
		n += cap->ops->take_damage(cap, all + n, 256 - n > 64 ? 64 : 256 - n);
		done = true;
		for (int y = 120; done && y < 180; y++) {
			for (int x = 100; done && x < 180; x++) {
				done = cap_covered(all, n, x, y);
			}
		}
	}
	assert_true(done);
	for (int i = 0; i < n; i++) {
		assert_true(all[i].x >= 0 && all[i].y >= 0 && all[i].w > 0 && all[i].h > 0);
		assert_true(all[i].x + all[i].w <= W && all[i].y + all[i].h <= H);
	}

	uint8_t px[4];
	struct cap_rect one = {130, 150, 1, 1};
	assert_int_equal(cap->ops->grab(cap, &one, px, 4, 130, 150), 0);
	assert_int_equal(px[0], COLOR & 0xff);
	assert_int_equal(px[1], (COLOR >> 8) & 0xff);
	assert_int_equal(px[2], (COLOR >> 16) & 0xff);

	/* A rect straddling the window edge lands at the right offset. */
	uint8_t buf[20 * 10 * 4];
	memset(buf, 0xaa, sizeof(buf));
	struct cap_rect edge = {90, 130, 20, 10};
	assert_int_equal(cap->ops->grab(cap, &edge, buf, 20 * 4, 90, 130), 0);
	for (int y = 0; y < 10; y++) {
		const uint8_t *inside = buf + (y * 20 + 15) * 4; /* x = 105 */
		const uint8_t *outside = buf + (y * 20 + 5) * 4; /* x = 95: root */
		assert_int_equal(inside[1], 0xc0);
		assert_true(outside[1] != 0xc0 || outside[0] != 0x34);
	}
	XDestroyWindow(peer, win);
	XSync(peer, False);
}

static void test_cursor_shape(void **state)
{
	(void)state;
	struct cap_cursor c;
	memset(&c, 0, sizeof(c));
	assert_int_equal(cap->ops->cursor(cap, &c), 0);
	assert_non_null(c.argb);
	assert_true(c.shape_serial != 0);
	assert_true(c.width > 0 && c.width <= 96 && c.height > 0 && c.height <= 96);
	assert_true(c.xhot >= 0 && c.xhot < c.width && c.yhot >= 0 && c.yhot < c.height);
	int opaque = 0;
	for (int i = 0; i < c.width * c.height; i++) {
		opaque += (c.argb[i] >> 24) != 0;
	}
	assert_true(opaque > 0);
}

/* Our requests and the peer's travel on different connections, so the server
 * may answer the peer before it has read ours: ask again for a while. */
static bool peer_pointer_at(int x, int y)
{
	for (int64_t end = util_clock_ms() + 2000; util_clock_ms() < end; usleep(10 * 1000)) {
		Window r, child;
		int rx, ry, wx, wy;
		unsigned int mask;
		if (XQueryPointer(peer, DefaultRootWindow(peer), &r, &child, &rx, &ry, &wx, &wy,
		                  &mask) &&
		    rx == x && ry == y) {
			return true;
		}
	}
	return false;
}

static bool peer_key_is(int kc, bool down)
{
	for (int64_t end = util_clock_ms() + 2000; util_clock_ms() < end; usleep(10 * 1000)) {
		char keys[32];
		XQueryKeymap(peer, keys);
		if (!!(keys[kc / 8] & (1 << (kc % 8))) == down) {
			return true;
		}
	}
	return false;
}

static bool peer_has_keysym(KeySym ks)
{
	for (int64_t end = util_clock_ms() + 2000; util_clock_ms() < end; usleep(10 * 1000)) {
		XSync(peer, False);
		while (XPending(peer)) {
			XEvent ev;
			XNextEvent(peer, &ev);
			if (ev.type == MappingNotify) {
				XRefreshKeyboardMapping(&ev.xmapping);
			}
		}
		if (XKeysymToKeycode(peer, ks) != 0) {
			return true;
		}
	}
	return false;
}

static void test_xtest_input(void **state)
{
	(void)state;
	struct cap_input move = {CAP_INPUT_MOTION, 0, 200, 150, false, 0};
	assert_int_equal(cap->ops->inject(cap, &move), 0);
	assert_true(peer_pointer_at(200, 150));

	/* The back-end learns about the move by itself (XInput2 raw motion). */
	struct cap_cursor c = {0};
	for (int64_t end = util_clock_ms() + 2000; util_clock_ms() < end;) {
		assert_true(pump(100) >= 0);
		cap->ops->cursor(cap, &c);
		if (c.x == 200 && c.y == 150) {
			break;
		}
	}
	assert_int_equal(c.x, 200);
	assert_int_equal(c.y, 150);

	/* 'a' (set 1 scancode 0x1e) is down on the server until released. */
	int kc = XKeysymToKeycode(peer, XK_a);
	struct cap_input key = {CAP_INPUT_KEY_SCANCODE, 0x1e, 0, 0, true, 0};
	assert_int_equal(cap->ops->inject(cap, &key), 0);
	assert_true(peer_key_is(kc, true));
	key.down = false;
	assert_int_equal(cap->ops->inject(cap, &key), 0);
	assert_true(peer_key_is(kc, false));

	/* Extended keys: right arrow is E0 4D. */
	kc = XKeysymToKeycode(peer, XK_Right);
	key.code = 0x14d;
	key.down = true;
	assert_int_equal(cap->ops->inject(cap, &key), 0);
	assert_true(peer_key_is(kc, true));
	key.down = false;
	assert_int_equal(cap->ops->inject(cap, &key), 0);
	assert_true(peer_key_is(kc, false));

	struct cap_input bad = {CAP_INPUT_KEY_SCANCODE, 0x1ff, 0, 0, true, 0};
	assert_int_equal(cap->ops->inject(cap, &bad), -EINVAL);

	struct cap_input button = {CAP_INPUT_BUTTON, 1, 210, 160, true, 0};
	assert_int_equal(cap->ops->inject(cap, &button), 0);
	assert_true(peer_pointer_at(210, 160));
	button.down = false;
	assert_int_equal(cap->ops->inject(cap, &button), 0);
	struct cap_input wheel = {CAP_INPUT_WHEEL, 0, 0, 0, false, -240};
	assert_int_equal(cap->ops->inject(cap, &wheel), 0);

	/* A character the keymap lacks is typed through a borrowed key code. */
	assert_int_equal(XKeysymToKeycode(peer, XK_eacute), 0);
	struct cap_input uni = {CAP_INPUT_KEY_UNICODE, 0xe9, 0, 0, true, 0};
	assert_int_equal(cap->ops->inject(cap, &uni), 0);
	uni.down = false;
	assert_int_equal(cap->ops->inject(cap, &uni), 0);
	assert_true(peer_has_keysym(XK_eacute));
	uni.code = 'A';
	uni.down = true;
	assert_int_equal(cap->ops->inject(cap, &uni), 0);
}

static const struct cap_window *find_window(uint32_t id)
{
	const struct cap_window *w;
	uint64_t serial;
	int n = cap->ops->windows(cap, &w, &serial);
	for (int i = 0; i < n; i++) {
		if (w[i].id == id) {
			return &w[i];
		}
	}
	return NULL;
}

/* Pump until cond holds on window id (or 3 s pass). */
static const struct cap_window *wait_window(uint32_t id, bool (*cond)(const struct cap_window *))
{
	for (int64_t end = util_clock_ms() + 3000; util_clock_ms() < end;) {
		assert_true(pump(100) >= 0);
		const struct cap_window *w = find_window(id);
		if (cond(w)) {
			return w;
		}
	}
	return find_window(id);
}

static bool listed_titled(const struct cap_window *w)
{
	return w && w->listed && w->viewable && strcmp(w->title, "zoë's notes") == 0;
}

static bool moved(const struct cap_window *w)
{
	return w && w->x == 300 && w->y == 40;
}

static bool retitled(const struct cap_window *w)
{
	return w && strcmp(w->title, "plain") == 0;
}

static bool gone(const struct cap_window *w)
{
	return w == NULL;
}

/* The window list for the application filter follows a real window: mapped
 * (with the process that owns it, found through the X server), moved,
 * restacked, retitled, destroyed; a transient one is not listed. */
static void test_window_tree(void **state)
{
	(void)state;
	Display *d = peer;
	Window win = XCreateSimpleWindow(d, DefaultRootWindow(d), 10, 20, 120, 90, 1, 0, 0);
	Atom utf8 = XInternAtom(d, "UTF8_STRING", False);
	const char *title = "zo\xc3\xab's notes";
	XChangeProperty(d, win, XInternAtom(d, "_NET_WM_NAME", False), utf8, 8, PropModeReplace,
	                (const unsigned char *)title, (int)strlen(title));
	XMapWindow(d, win);
	Window dialog = XCreateSimpleWindow(d, DefaultRootWindow(d), 30, 30, 40, 40, 0, 0, 0);
	XSetTransientForHint(d, dialog, win);
	XMapWindow(d, dialog);
	XSync(d, False);
	const struct cap_window *w = wait_window((uint32_t)win, listed_titled);
	assert_non_null(w);
	assert_true(listed_titled(w));
	assert_int_equal(w->app, (uint32_t)getpid());
	assert_int_equal(w->w, 122); /* border included */
	assert_int_equal(w->h, 92);
	assert_string_equal(w->app_name, "test_capture_x1"); /* comm: 15 characters */
	const struct cap_window *dw = find_window((uint32_t)dialog);
	assert_non_null(dw);
	assert_false(dw->listed);
	assert_int_equal(dw->owner, (uint32_t)win);

	uint64_t serial_before;
	const struct cap_window *list;
	cap->ops->windows(cap, &list, &serial_before);
	XMoveWindow(d, win, 300, 40);
	XRaiseWindow(d, win); /* above the dialog now */
	XSync(d, False);
	w = wait_window((uint32_t)win, moved);
	assert_true(moved(w));
	uint64_t serial;
	int n = cap->ops->windows(cap, &list, &serial);
	assert_true(serial != serial_before);
	assert_int_equal(list[n - 1].id, (uint32_t)win); /* top of the stack */

	XStoreName(d, win, "plain");
	XDeleteProperty(d, win, XInternAtom(d, "_NET_WM_NAME", False));
	XSync(d, False);
	assert_true(retitled(wait_window((uint32_t)win, retitled)));

	/* raise through the back-end puts it back on top after a restack */
	XRaiseWindow(d, dialog);
	XSync(d, False);
	for (int64_t end = util_clock_ms() + 500; util_clock_ms() < end;) {
		pump(50);
	}
	assert_int_equal(cap->ops->raise(cap, (uint32_t)win), 0);
	assert_int_equal(cap->ops->raise(cap, 0x7fffffff), -ENOENT);
	bool on_top = false;
	for (int64_t end = util_clock_ms() + 3000; !on_top && util_clock_ms() < end;) {
		pump(100);
		n = cap->ops->windows(cap, &list, &serial);
		on_top = n > 0 && list[n - 1].id == (uint32_t)win;
	}
	assert_true(on_top);

	XDestroyWindow(d, dialog);
	XDestroyWindow(d, win);
	XSync(d, False);
	assert_null(wait_window((uint32_t)win, gone));
	assert_null(find_window((uint32_t)dialog));
}

static void test_idle_is_silent(void **state)
{
	(void)state;
	/* Let the consequences of earlier tests arrive and drain them. */
	for (int64_t end = util_clock_ms() + 500; util_clock_ms() < end;) {
		assert_true(pump(100) >= 0);
	}
	struct cap_rect r[64];
	cap->ops->take_damage(cap, r, 64);
	struct pollfd p = {cap->ops->fd(cap), POLLIN, 0};
	int ready = poll(&p, 1, 700);
	if (ready > 0) {
		assert_int_equal(cap->ops->process(cap), 0);
	}
	assert_int_equal(ready, 0); /* nothing wakes the engine on a still screen */
	assert_int_equal(cap->ops->process(cap), 0);
	assert_int_equal(cap->ops->take_damage(cap, r, 64), 0);
}

static void test_server_death(void **state)
{
	(void)state;
	XCloseDisplay(peer); /* ours would exit() the test with Xlib's default handler */
	peer = NULL;
	kill(xvfb_pid, SIGTERM);
	waitpid(xvfb_pid, NULL, 0);
	xvfb_pid = -1;

	cap_assert_dead(cap, 3000);
	cap->ops->destroy(cap);
	cap = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_first_damage_is_full),
	    cmocka_unit_test(test_window_damage_and_pixels),
	    cmocka_unit_test(test_cursor_shape),
	    cmocka_unit_test(test_xtest_input),
	    cmocka_unit_test(test_window_tree),
	    cmocka_unit_test(test_idle_is_silent),
	    cmocka_unit_test(test_server_death),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
