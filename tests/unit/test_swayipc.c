/* The sway IPC window list (src/capture/swayipc.c) against a real headless
 * sway: two foot windows (one floating) listed in stacking order with their
 * process, raise moves the focus, a floating move without any IPC event is
 * seen by the refresh, closing one changes the serial and the list, and
 * sway's end is an error from process(). Then against a fake IPC server:
 * an oversized reply, a wrong magic, garbage, an oversized event and
 * silence are errors, never a hang or an allocation of what was announced.
 * The sway tests share one sway and run in order; the last kills it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "capture/swayipc.h"
#include "sway_headless.h"
#include "util/clock.h"

static struct headless_sway sway;
static struct swayipc *ipc;
static pid_t foot_a = -1, foot_b = -1;

static int group_setup(void **state)
{
	(void)state;
	alarm(180); /* a hang fails the test instead of the machine's patience */
	if (!sway_start(&sway, 1280, 720,
	                "for_window [app_id=\"rdpshare-float\"] floating enable")) {
		return -1;
	}
	int err = 0;
	ipc = swayipc_create(sway.ipc, "HEADLESS-1", &err);
	if (!ipc) {
		fprintf(stderr, "swayipc_create: %d\n", err);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	swayipc_destroy(ipc);
	sway_reap(foot_a);
	sway_reap(foot_b);
	sway_stop(&sway);
	return 0;
}

typedef bool (*list_pred)(const struct cap_window *w, int n);

/* Process for up to ms until pred holds; the last process() result. */
static int pump_until(list_pred pred, int ms)
{
	int64_t end = util_clock_ms() + ms;
	int last = 0;
	while (util_clock_ms() < end) {
		const struct cap_window *w;
		uint64_t serial;
		int n = swayipc_windows(ipc, &w, &serial);
		if (pred && pred(w, n)) {
			return last;
		}
		struct pollfd p = {swayipc_fd(ipc), POLLIN, 0};
		poll(&p, 1, 100);
		last = swayipc_process(ipc);
		if (last < 0) {
			return last;
		}
	}
	return pred ? -ETIMEDOUT : last;
}

static const struct cap_window *find(const struct cap_window *w, int n, const char *title)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(w[i].title, title) == 0) {
			return &w[i];
		}
	}
	return NULL;
}

static bool has_both(const struct cap_window *w, int n)
{
	return find(w, n, "alpha") && find(w, n, "beta");
}

static void test_errors(void **unused)
{
	(void)unused;
	int err = 0;
	assert_null(swayipc_create("/nonexistent/sway.sock", NULL, &err));
	assert_int_equal(err, -ENOENT);
	assert_null(swayipc_create(sway.ipc, "NO-SUCH-OUTPUT", &err));
	assert_int_equal(err, -ENODEV);
	char *saved = getenv("SWAYSOCK") ? strdup(getenv("SWAYSOCK")) : NULL;
	unsetenv("SWAYSOCK");
	assert_null(swayipc_create(NULL, NULL, &err));
	assert_int_equal(err, -ENOENT);
	/* $SWAYSOCK and the first active output */
	setenv("SWAYSOCK", sway.ipc, 1);
	struct swayipc *s = swayipc_create(NULL, NULL, &err);
	assert_non_null(s);
	const struct cap_window *w;
	uint64_t serial = 0;
	assert_int_equal(swayipc_windows(s, &w, &serial), 0);
	assert_int_not_equal(serial, 0);
	uint32_t id;
	assert_int_equal(swayipc_focus(s, &id), -ENOENT); /* an empty workspace */
	assert_int_equal(swayipc_raise(s, 12345), -ENOENT);
	swayipc_destroy(s);
	swayipc_destroy(NULL);
	if (saved) {
		setenv("SWAYSOCK", saved, 1);
		free(saved);
	} else {
		unsetenv("SWAYSOCK");
	}
}

static void test_two_windows(void **unused)
{
	(void)unused;
	char *a[] = {"foot", "-T", "alpha", "-a", "rdpshare-tile", "sleep", "600", NULL};
	char *b[] = {"foot", "-T", "beta", "-a", "rdpshare-float", "sleep", "600", NULL};
	const struct cap_window *w;
	uint64_t serial0, serial;
	swayipc_windows(ipc, &w, &serial0);
	foot_a = sway_client(&sway, a);
	assert_true(foot_a > 0);
	/* one at a time: b must open after a so the order is known */
	int64_t end = util_clock_ms() + 15000;
	while (util_clock_ms() < end) {
		int n = swayipc_windows(ipc, &w, &serial);
		if (find(w, n, "alpha")) {
			break;
		}
		struct pollfd p = {swayipc_fd(ipc), POLLIN, 0};
		poll(&p, 1, 100);
		assert_true(swayipc_process(ipc) >= 0);
	}
	foot_b = sway_client(&sway, b);
	assert_true(foot_b > 0);
	assert_int_equal(pump_until(has_both, 15000) < 0, 0);
	int n = swayipc_windows(ipc, &w, &serial);
	assert_int_equal(n, 2);
	assert_true(serial != serial0);
	/* tiling first, the floating one above it */
	assert_string_equal(w[0].title, "alpha");
	assert_string_equal(w[1].title, "beta");
	assert_int_equal(w[0].app, (uint32_t)foot_a);
	assert_int_equal(w[1].app, (uint32_t)foot_b);
	assert_string_equal(w[0].app_name, "foot"); /* /proc/PID/comm */
	assert_string_equal(w[1].app_name, "foot");
	for (int i = 0; i < 2; i++) {
		assert_true(w[i].viewable);
		assert_true(w[i].listed);
		assert_int_equal(w[i].owner, 0);
		assert_true(w[i].x >= 0 && w[i].y >= 0 && w[i].w > 0 && w[i].h > 0);
		assert_true(w[i].x + w[i].w <= 1280 && w[i].y + w[i].h <= 720);
	}
	/* the only tiling window fills the output; the floating one does not */
	assert_int_equal(w[0].w, 1280);
	assert_int_equal(w[0].h, 720);
	assert_true(w[1].w < 1280);
	assert_true(w[0].id != w[1].id);
	/* the new window has the focus */
	uint32_t id = 0;
	assert_int_equal(swayipc_focus(ipc, &id), 0);
	assert_int_equal(id, w[1].id);
}

static uint32_t want_focus;

static bool focus_is(const struct cap_window *w, int n)
{
	(void)w;
	(void)n;
	uint32_t id = 0;
	return swayipc_focus(ipc, &id) == 0 && id == want_focus;
}

static void test_raise(void **unused)
{
	(void)unused;
	const struct cap_window *w;
	uint64_t serial;
	int n = swayipc_windows(ipc, &w, &serial);
	assert_int_equal(n, 2);
	uint32_t alpha = w[0].id, beta = w[1].id;
	assert_int_equal(swayipc_raise(ipc, alpha), 0);
	want_focus = alpha;
	assert_true(pump_until(focus_is, 5000) >= 0);
	assert_int_equal(swayipc_raise(ipc, beta), 0);
	want_focus = beta;
	assert_true(pump_until(focus_is, 5000) >= 0);
	assert_int_equal(swayipc_raise(ipc, alpha ^ beta ^ 0x7777), -ENOENT);
}

static bool beta_moved(const struct cap_window *w, int n)
{
	const struct cap_window *b = find(w, n, "beta");
	return b && b->x == 40 && b->y == 30;
}

/* sway 1.7 raises no event for a floating move: the refresh must see it */
static void test_move_without_event(void **unused)
{
	(void)unused;
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
	         "swaymsg -s '%s' '[app_id=rdpshare-float] move position 40 30' >/dev/null",
	         sway.ipc);
	assert_int_equal(system(cmd), 0);
	/* the capture back-end saw the picture change */
	swayipc_touch(ipc);
	assert_true(pump_until(beta_moved, 3000) >= 0);
}

/* nothing changes, nothing is touched: no wake-up at all */
static void test_still_is_silent(void **unused)
{
	(void)unused;
	pump_until(NULL, 500);
	struct pollfd p = {swayipc_fd(ipc), POLLIN, 0};
	assert_int_equal(poll(&p, 1, 1200), 0);
}

static bool only_beta(const struct cap_window *w, int n)
{
	return n == 1 && strcmp(w[0].title, "beta") == 0;
}

static void test_close(void **unused)
{
	(void)unused;
	const struct cap_window *w;
	uint64_t before, after;
	swayipc_windows(ipc, &w, &before);
	sway_reap(foot_a);
	foot_a = -1;
	assert_true(pump_until(only_beta, 5000) >= 0);
	swayipc_windows(ipc, &w, &after);
	assert_true(after != before);
	/* nothing changes: the serial stays */
	assert_true(pump_until(NULL, 800) >= 0);
	uint64_t later;
	swayipc_windows(ipc, &w, &later);
	assert_true(later == after);
}

static void test_sway_gone(void **unused)
{
	(void)unused;
	sway_reap(sway.pid);
	sway.pid = -1;
	int64_t t0 = util_clock_ms();
	int r = pump_until(NULL, 5000);
	assert_true(r < 0);
	assert_true(util_clock_ms() - t0 < 3000);
	assert_true(swayipc_process(ipc) < 0); /* and it stays so */
}

/* ---- a fake IPC server: what a hostile or stuck peer does ---------------- */

enum fake_mode { FAKE_HUGE, FAKE_MAGIC, FAKE_GARBAGE, FAKE_SILENT, FAKE_HUGE_EVENT };

struct fake {
	char path[108];
	int listener;
	enum fake_mode mode;
	int done[2]; /* the test writes when it is finished with the server */
	pthread_t thread;
};

static void put_header(unsigned char *h, uint32_t len, uint32_t type)
{
	memcpy(h, "i3-ipc", 6);
	memcpy(h + 6, &len, 4);
	memcpy(h + 10, &type, 4);
}

static bool read_request(int fd, uint32_t *type)
{
	unsigned char h[14];
	if (recv(fd, h, sizeof(h), MSG_WAITALL) != (ssize_t)sizeof(h)) {
		return false;
	}
	uint32_t len;
	memcpy(&len, h + 6, 4);
	memcpy(type, h + 10, 4);
	char buf[256];
	while (len > 0) {
		ssize_t r = recv(fd, buf, len < sizeof(buf) ? len : sizeof(buf), 0);
		if (r <= 0) {
			return false;
		}
		len -= (uint32_t)r;
	}
	return true;
}

static void reply(int fd, uint32_t type, const char *body)
{
	unsigned char h[14];
	put_header(h, (uint32_t)strlen(body), type);
	send(fd, h, sizeof(h), MSG_NOSIGNAL);
	send(fd, body, strlen(body), MSG_NOSIGNAL);
}

static const char tree[] =
    "{\"id\":1,\"type\":\"root\",\"nodes\":[{\"id\":3,\"type\":\"output\",\"name\":\"FAKE-1\","
    "\"active\":true,\"rect\":{\"x\":0,\"y\":0,\"width\":640,\"height\":480},\"nodes\":[]}]}";

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	uint32_t type;
	int ev = accept(f->listener, NULL, NULL);
	if (ev >= 0 && read_request(ev, &type)) {
		reply(ev, type, "{\"success\":true}");
	}
	int cmd = accept(f->listener, NULL, NULL);
	if (cmd >= 0 && read_request(cmd, &type)) {
		unsigned char h[14];
		switch (f->mode) {
		case FAKE_HUGE: /* announce 9 MiB and send nothing of it */
			put_header(h, 9u << 20, type);
			send(cmd, h, sizeof(h), MSG_NOSIGNAL);
			break;
		case FAKE_MAGIC:
			put_header(h, 2, type);
			memcpy(h, "i4-ipc", 6);
			send(cmd, h, sizeof(h), MSG_NOSIGNAL);
			break;
		case FAKE_GARBAGE:
			reply(cmd, type, "{\"nodes\":[{\"type\":\"output\",\"na");
			break;
		case FAKE_SILENT:
			break;
		case FAKE_HUGE_EVENT:
			reply(cmd, type, tree);
			put_header(h, 0xFFFFFFF0u, 0x80000003u);
			send(ev, h, sizeof(h), MSG_NOSIGNAL);
			break;
		}
	}
	char c;
	if (read(f->done[0], &c, 1) < 0) {
		perror("fake server");
	}
	if (ev >= 0) {
		close(ev);
	}
	if (cmd >= 0) {
		close(cmd);
	}
	return NULL;
}

static void fake_start(struct fake *f, enum fake_mode mode)
{
	memset(f, 0, sizeof(*f));
	f->mode = mode;
	snprintf(f->path, sizeof(f->path), "/tmp/rdpshare-fakeipc.%d.sock", (int)getpid());
	unlink(f->path);
	f->listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, f->path, strlen(f->path) + 1);
	assert_int_equal(bind(f->listener, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(f->listener, 4), 0);
	assert_int_equal(pipe(f->done), 0);
	assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
}

static void fake_stop(struct fake *f)
{
	assert_int_equal(write(f->done[1], "x", 1), 1);
	pthread_join(f->thread, NULL);
	close(f->done[0]);
	close(f->done[1]);
	close(f->listener);
	unlink(f->path);
}

static void expect_create_fails(enum fake_mode mode, int want)
{
	struct fake f;
	fake_start(&f, mode);
	int err = 0;
	int64_t t0 = util_clock_ms();
	struct swayipc *s = swayipc_create(f.path, NULL, &err);
	int64_t took = util_clock_ms() - t0;
	assert_null(s);
	assert_int_equal(err, want);
	assert_true(took < SWAYIPC_TIMEOUT_MS + 400);
	fake_stop(&f);
}

static void test_hostile_server(void **unused)
{
	(void)unused;
	expect_create_fails(FAKE_HUGE, -EPROTO);
	expect_create_fails(FAKE_MAGIC, -EPROTO);
	expect_create_fails(FAKE_GARBAGE, -EPROTO);
	expect_create_fails(FAKE_SILENT, -ETIMEDOUT);

	struct fake f;
	fake_start(&f, FAKE_HUGE_EVENT);
	int err = 0;
	struct swayipc *s = swayipc_create(f.path, NULL, &err);
	assert_non_null(s);
	const struct cap_window *w;
	uint64_t serial;
	assert_int_equal(swayipc_windows(s, &w, &serial), 0);
	struct pollfd p = {swayipc_fd(s), POLLIN, 0};
	int r = 0;
	for (int i = 0; i < 20 && r == 0; i++) {
		poll(&p, 1, 100);
		r = swayipc_process(s);
	}
	assert_int_equal(r, -EPROTO);
	swayipc_destroy(s);
	fake_stop(&f);
}

int main(void)
{
	const struct CMUnitTest sway_tests[] = {
	    cmocka_unit_test(test_errors),          cmocka_unit_test(test_two_windows),
	    cmocka_unit_test(test_raise),           cmocka_unit_test(test_move_without_event),
	    cmocka_unit_test(test_still_is_silent), cmocka_unit_test(test_close),
	    cmocka_unit_test(test_sway_gone),
	};
	const struct CMUnitTest fake_tests[] = {
	    cmocka_unit_test(test_hostile_server),
	};
	int failed = cmocka_run_group_tests_name("fake", fake_tests, NULL, NULL);
	return failed +
	       cmocka_run_group_tests_name("sway", sway_tests, group_setup, group_teardown);
}
