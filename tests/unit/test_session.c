/* Session object rules: properties, lifecycle, single instance, threads,
 * event order, invitation admission. Uses the demo desktop (no X). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdpshare.h"
#include "session_internal.h"

static char tmpdir[256];

static struct rdpshare_config config(void)
{
	static char cfg_dir[300], run_dir[300];
	static const char *listen[] = {"127.0.0.1:0", NULL};
	snprintf(cfg_dir, sizeof(cfg_dir), "%s/config", tmpdir);
	snprintf(run_dir, sizeof(run_dir), "%s/run", tmpdir);
	struct rdpshare_config c = {.size = sizeof(struct rdpshare_config)};
	c.demo = true;
	c.demo_width = 320;
	c.demo_height = 200;
	c.listen = listen;
	c.config_dir = cfg_dir;
	c.runtime_dir = run_dir;
	return c;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/rdpshare-unit-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static rdpshare_session *make(const struct rdpshare_callbacks *cb, void *ud)
{
	struct rdpshare_config c = config();
	rdpshare_session *s = NULL;
	assert_int_equal(rdpshare_session_create(&c, cb, ud, &s), RDPSHARE_OK);
	assert_non_null(s);
	return s;
}

static void test_properties(void **state)
{
	(void)state;
	rdpshare_session *s = make(NULL, NULL);
	long v = -1;
	assert_int_equal(rdpshare_session_get_property(s, "FrameCaptureIntervalInMs", &v), 0);
	assert_int_equal(v, 33);
	assert_int_equal(rdpshare_session_get_property(s, "DefaultAttendeeControlLevel", &v), 0);
	assert_int_equal(v, RDPSHARE_CTRL_LEVEL_NONE);
	assert_int_equal(rdpshare_session_get_property(s, "EnabledTransports", &v), 0);
	assert_int_equal(v, 1);
	/* case-sensitive, unknown names */
	assert_int_equal(rdpshare_session_get_property(s, "portid", &v), RDPSHARE_E_NOT_FOUND);
	assert_int_equal(rdpshare_session_set_property(s, "ClrBkgX", 1), RDPSHARE_E_NOT_FOUND);
	/* validation */
	assert_int_equal(rdpshare_session_set_property(s, "DefaultAttendeeControlLevel", 3),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_set_property(s, "DefaultAttendeeControlLevel", 2), 0);
	assert_int_equal(rdpshare_session_set_property(s, "PortId", 70000), RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_set_property(s, "PortProtocol", 5),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_set_property(s, "PortProtocol", 2), 0);
	assert_int_equal(rdpshare_session_set_property(s, "EnabledTransports", 3),
	                 RDPSHARE_E_UNSUPPORTED);
	assert_int_equal(rdpshare_session_set_property(s, "EnableClipboardRedirect", 2),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_set_property(s, "FrameCaptureIntervalInMs", 0),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_set_property(s, "FrameCaptureIntervalInMs", 400), 0);
	assert_int_equal(rdpshare_session_set_property(s, "rdpshare.MaxFramesInFlight", 4), 0);
	/* before-Open names become read-only after Open */
	assert_int_equal(rdpshare_session_open(s), 0);
	assert_int_equal(rdpshare_session_set_property(s, "PortId", 4000), RDPSHARE_E_READONLY);
	assert_int_equal(rdpshare_session_set_property(s, "EnforceStrongEncryption", 1),
	                 RDPSHARE_E_READONLY);
	assert_int_equal(rdpshare_session_set_property(s, "FrameCaptureIntervalInMs", 100), 0);
	/* every listed name can be read */
	const char *name;
	for (int i = 0; (name = rdpshare_property_name(i, NULL, NULL)); i++) {
		assert_int_equal(rdpshare_session_get_property(s, name, &v), 0);
	}
	rdpshare_session_destroy(s);
}

static void test_single_instance(void **state)
{
	(void)state;
	rdpshare_session *a = make(NULL, NULL), *b = NULL;
	struct rdpshare_config c = config();
	assert_int_equal(rdpshare_session_create(&c, NULL, NULL, &b), RDPSHARE_E_INSTANCE);
	assert_null(b);
	rdpshare_session_destroy(a);
	assert_int_equal(rdpshare_session_create(&c, NULL, NULL, &b), RDPSHARE_OK);
	/* a closed session frees the login session for a new one */
	assert_int_equal(rdpshare_session_open(b), 0);
	assert_int_equal(rdpshare_session_close(b), 0);
	rdpshare_session *d = NULL;
	assert_int_equal(rdpshare_session_create(&c, NULL, NULL, &d), RDPSHARE_OK);
	rdpshare_session_destroy(d);
	rdpshare_session_destroy(b);
	rdpshare_session_destroy(NULL);
}

static void on_filter(rdpshare_session *s, bool enabled, void *userdata)
{
	(void)s;
	(void)enabled;
	(void)userdata;
}

static void on_throttled(rdpshare_session *s, const char *address, int seconds, void *userdata)
{
	(void)s;
	(void)address;
	(void)seconds;
	(void)userdata;
	fail_msg("a member past the caller's size was read");
}

/* The size member of the structs a caller fills: 0 and sizes past what the
 * library knows are refused; an older, smaller struct is read only up to its
 * size and the rest counts as zero. */
static void test_struct_size(void **state)
{
	(void)state;
	rdpshare_session *s = NULL;
	struct rdpshare_config c = config();
	c.size = 0;
	assert_int_equal(rdpshare_session_create(&c, NULL, NULL, &s), RDPSHARE_E_INVALIDARG);
	c.size = sizeof(size_t) - 1;
	assert_int_equal(rdpshare_session_create(&c, NULL, NULL, &s), RDPSHARE_E_INVALIDARG);
	c = config();
	struct rdpshare_callbacks cb = {.size = 0};
	assert_int_equal(rdpshare_session_create(&c, &cb, NULL, &s), RDPSHARE_E_INVALIDARG);
	assert_null(s);

	/* built against a newer header: members this library cannot honour */
	struct {
		struct rdpshare_config c;
		void *newer;
	} big_config = {.c = config()};
	big_config.c.size = sizeof(big_config);
	assert_int_equal(rdpshare_session_create(&big_config.c, NULL, NULL, &s),
	                 RDPSHARE_E_INVALIDARG);
	struct {
		struct rdpshare_callbacks cb;
		void (*newer)(void);
	} big_cb = {.cb = {.size = sizeof(big_cb)}};
	assert_int_equal(rdpshare_session_create(&c, &big_cb.cb, NULL, &s), RDPSHARE_E_INVALIDARG);
	assert_null(s);

	/* built against an older header that ended before the last member: the
	 * structs live in buffers of exactly that size (ASan sees any read past) */
	char run_dir[300];
	snprintf(run_dir, sizeof(run_dir), "%s/run", tmpdir);
	const char *old_env = getenv("XDG_RUNTIME_DIR");
	char *saved_env = old_env ? strdup(old_env) : NULL;
	assert_int_equal(setenv("XDG_RUNTIME_DIR", run_dir, 1), 0);
	size_t config_size = offsetof(struct rdpshare_config, runtime_dir);
	size_t cb_size = offsetof(struct rdpshare_callbacks, auth_throttled);
	c = config();
	c.size = config_size;
	c.runtime_dir = "/nonexistent/not-to-be-read";
	cb = (struct rdpshare_callbacks){
	    .size = cb_size, .filter_updated = on_filter, .auth_throttled = on_throttled};
	struct rdpshare_config *old_config = malloc(config_size);
	struct rdpshare_callbacks *old_cb = malloc(cb_size);
	assert_non_null(old_config);
	assert_non_null(old_cb);
	memcpy(old_config, &c, config_size);
	memcpy(old_cb, &cb, cb_size);
	assert_int_equal(rdpshare_session_create(old_config, old_cb, NULL, &s), RDPSHARE_OK);
	free(old_config);
	free(old_cb);
	assert_int_equal(s->config.demo_height, 200); /* the members it has are read */
	assert_string_equal(s->runtime_dir, run_dir); /* the default: runtime_dir was NULL */
	assert_true(s->cb.filter_updated == on_filter);
	assert_null(s->cb.auth_throttled);
	rdpshare_session_destroy(s);
	if (saved_env) {
		setenv("XDG_RUNTIME_DIR", saved_env, 1);
		free(saved_env);
	} else {
		unsetenv("XDG_RUNTIME_DIR");
	}
}

static void test_lifecycle(void **state)
{
	(void)state;
	rdpshare_session *s = make(NULL, NULL);
	assert_int_equal(rdpshare_session_close(s), 0); /* never opened: fine */
	assert_int_equal(rdpshare_session_open(s), RDPSHARE_E_CLOSED);
	rdpshare_session_destroy(s);

	s = make(NULL, NULL);
	assert_null(rdpshare_session_get_certificate_fingerprint(s));
	assert_int_equal(rdpshare_session_open(s), 0);
	assert_int_equal(rdpshare_session_open(s), RDPSHARE_E_ALREADY_OPEN);
	/* what /cert:fingerprint:sha256: takes: 64 lowercase hex digits */
	const char *fp = rdpshare_session_get_certificate_fingerprint(s);
	assert_non_null(fp);
	assert_int_equal(strlen(fp), 64);
	assert_int_equal(strspn(fp, "0123456789abcdef"), 64);
	const char *addrs[4];
	assert_int_equal(rdpshare_session_listen_addresses(s, addrs, 4), 1);
	assert_true(strncmp(addrs[0], "127.0.0.1:", 10) == 0);
	assert_true(atoi(addrs[0] + 10) > 0);
	assert_int_equal(rdpshare_session_close(s), 0);
	assert_int_equal(rdpshare_session_close(s), 0);
	assert_int_equal(rdpshare_session_open(s), RDPSHARE_E_CLOSED);
	assert_int_equal(rdpshare_session_pause(s), RDPSHARE_E_CLOSED);
	assert_ptr_equal(rdpshare_session_get_certificate_fingerprint(s), fp); /* until destroy */
	rdpshare_session_destroy(s);
}

/* The frame buffer is the shared rect of the (demo) desktop, now. */
static void test_frame_buffer(void **state)
{
	(void)state;
	rdpshare_session *s = make(NULL, NULL);
	int w, h, bpp;
	unsigned char px[16 * 8 * 4];
	assert_int_equal(rdpshare_session_get_frame_buffer_info(s, &w, &h, &bpp),
	                 RDPSHARE_E_NOT_OPEN);
	assert_int_equal(rdpshare_session_get_frame_buffer_bits(s, 0, 0, 16, 8, px, 64),
	                 RDPSHARE_E_NOT_OPEN);
	assert_int_equal(rdpshare_session_set_shared_rect(s, 10, 20, 110, 70), 0);
	assert_int_equal(rdpshare_session_open(s), 0);
	assert_int_equal(rdpshare_session_get_frame_buffer_info(s, &w, &h, &bpp), 0);
	assert_int_equal(w, 100);
	assert_int_equal(h, 50);
	assert_int_equal(bpp, 32);
	assert_int_equal(rdpshare_session_get_frame_buffer_bits(s, 90, 40, 16, 8, px, 64),
	                 RDPSHARE_E_INVALIDARG); /* past the rect */
	assert_int_equal(rdpshare_session_get_frame_buffer_bits(s, 0, 0, 16, 8, px, 32),
	                 RDPSHARE_E_INVALIDARG); /* stride too small */
	assert_int_equal(rdpshare_session_get_frame_buffer_bits(s, -1, 0, 16, 8, px, 64),
	                 RDPSHARE_E_INVALIDARG);
	memset(px, 0xAB, sizeof(px));
	assert_int_equal(rdpshare_session_get_frame_buffer_bits(s, 84, 42, 16, 8, px, 64), 0);
	bool changed = false;
	for (size_t i = 0; i < sizeof(px); i++) {
		changed = changed || px[i] != 0xAB;
	}
	assert_true(changed); /* the demo's pixels, not our fill */
	assert_int_equal(rdpshare_session_close(s), 0);
	assert_int_equal(rdpshare_session_get_frame_buffer_info(s, &w, &h, &bpp),
	                 RDPSHARE_E_CLOSED);
	rdpshare_session_destroy(s);
}

/* Channel rules of the original: names of 1..7 characters, created before
 * Open, messages of at most 1024 bytes (409600 with the legacy flag). */
static void test_channels(void **state)
{
	(void)state;
	rdpshare_session *s = make(NULL, NULL);
	rdpshare_channel *ch = NULL, *big = NULL, *other = NULL;
	assert_int_equal(
	    rdpshare_session_create_channel(s, "eightchr", RDPSHARE_CHANNEL_PRIORITY_MED, 0, &ch),
	    RDPSHARE_E_INVALIDARG);
	assert_int_equal(
	    rdpshare_session_create_channel(s, "", RDPSHARE_CHANNEL_PRIORITY_MED, 0, &ch),
	    RDPSHARE_E_INVALIDARG);
	assert_int_equal(
	    rdpshare_session_create_channel(s, "a b", RDPSHARE_CHANNEL_PRIORITY_MED, 0, &ch),
	    RDPSHARE_E_INVALIDARG);
	assert_int_equal(
	    rdpshare_session_create_channel(s, "sevench", RDPSHARE_CHANNEL_PRIORITY_LOW, 0, &ch),
	    0);
	assert_int_equal(
	    rdpshare_session_create_channel(s, "sevench", RDPSHARE_CHANNEL_PRIORITY_LOW, 0, &other),
	    RDPSHARE_E_INVALIDARG); /* names are unique */
	assert_int_equal(rdpshare_session_create_channel(s, "bulk", RDPSHARE_CHANNEL_PRIORITY_HIGH,
	                                                 RDPSHARE_CHANNEL_FLAGS_LEGACY, &big),
	                 0);
	assert_int_equal(rdpshare_session_channel_count(s), 2);
	assert_ptr_equal(rdpshare_session_find_channel(s, "bulk"), big);
	assert_string_equal(rdpshare_channel_name(rdpshare_session_channel_at(s, 0)), "sevench");
	static char msg[RDPSHARE_CHANNEL_MAX_MESSAGE_LEGACY + 1];
	assert_int_equal(rdpshare_channel_send(ch, msg, 10, RDPSHARE_ATTENDEE_EVERYONE, 0),
	                 RDPSHARE_E_NOT_OPEN);
	assert_int_equal(rdpshare_session_open(s), 0);
	assert_int_equal(
	    rdpshare_session_create_channel(s, "late", RDPSHARE_CHANNEL_PRIORITY_MED, 0, &other),
	    RDPSHARE_E_UNEXPECTED); /* only before Open */
	assert_int_equal(rdpshare_channel_send(ch, msg, 1024, RDPSHARE_ATTENDEE_EVERYONE, 0), 0);
	assert_int_equal(rdpshare_channel_send(ch, msg, 1025, RDPSHARE_ATTENDEE_EVERYONE, 0),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_channel_send(big, msg, 409600, RDPSHARE_ATTENDEE_EVERYONE, 0), 0);
	assert_int_equal(rdpshare_channel_send(big, msg, 409601, RDPSHARE_ATTENDEE_EVERYONE, 0),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_channel_send(ch, msg, 0, RDPSHARE_ATTENDEE_EVERYONE, 0),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_channel_send(ch, msg, 10, 42, 0), RDPSHARE_E_NOT_FOUND);
	assert_int_equal(rdpshare_channel_get_access(ch, 42), RDPSHARE_CHANNEL_ACCESS_NONE);
	assert_int_equal(rdpshare_channel_set_access(ch, 42, RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE),
	                 0);
	assert_int_equal(rdpshare_channel_get_access(ch, 42), RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE);
	assert_int_equal(rdpshare_channel_set_access(ch, 42, (enum rdpshare_channel_access)7),
	                 RDPSHARE_E_INVALIDARG);
	rdpshare_session_destroy(s);
}

static void test_rect_and_depth(void **state)
{
	(void)state;
	rdpshare_session *s = make(NULL, NULL);
	int l, t, r, b;
	assert_int_equal(rdpshare_session_get_shared_rect(s, &l, &t, &r, &b), 0);
	assert_int_equal(l, 0);
	assert_int_equal(t, 0);
	assert_int_equal(r, 320);
	assert_int_equal(b, 200);
	assert_int_equal(rdpshare_session_set_shared_rect(s, 10, 10, 10, 50),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_set_shared_rect(s, -1, 0, 10, 10), RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_set_shared_rect(s, 0, 0, 321, 200),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_set_shared_rect(s, 20, 30, 120, 130), 0);
	assert_int_equal(rdpshare_session_get_shared_rect(s, &l, &t, &r, &b), 0);
	assert_int_equal(l, 20);
	assert_int_equal(b, 130);
	int bpp;
	assert_int_equal(rdpshare_session_get_color_depth(s, &bpp), 0);
	assert_int_equal(bpp, 32);
	assert_int_equal(rdpshare_session_set_color_depth(s, 12), RDPSHARE_E_INVALIDARG);
	for (int d = 8; d <= 32; d++) {
		int r2 = rdpshare_session_set_color_depth(s, d);
		bool ok = d == 8 || d == 15 || d == 16 || d == 24 || d == 32;
		assert_int_equal(r2, ok ? 0 : RDPSHARE_E_INVALIDARG);
		if (ok) {
			assert_int_equal(rdpshare_session_get_color_depth(s, &bpp), 0);
			assert_int_equal(bpp, d == 8 ? 16 : d);
		}
	}
	rdpshare_session_destroy(s);
}

struct order {
	pthread_t thread;
	char log[256];
	bool wrong_thread;
};

static void note(struct order *o, const char *what)
{
	if (!pthread_equal(pthread_self(), o->thread)) {
		o->wrong_thread = true;
	}
	strncat(o->log, what, sizeof(o->log) - strlen(o->log) - 1);
}

static void ev_paused(rdpshare_session *s, void *ud)
{
	(void)s;
	note(ud, "P");
}

static void ev_resumed(rdpshare_session *s, void *ud)
{
	(void)s;
	note(ud, "R");
}

static void ev_rect(rdpshare_session *s, int l, int t, int r, int b, void *ud)
{
	(void)s;
	char buf[64];
	snprintf(buf, sizeof(buf), "[%d,%d,%d,%d]", l, t, r, b);
	note(ud, buf);
}

static void ev_refused(rdpshare_session *s, enum rdpshare_refusal why, const char *name,
                       const char *addr, void *ud)
{
	(void)s;
	(void)name;
	(void)addr;
	char buf[16];
	snprintf(buf, sizeof(buf), "X%d", (int)why);
	note(ud, buf);
}

static void *other_thread(void *arg)
{
	rdpshare_session *s = arg;
	static int results[4];
	results[0] = rdpshare_session_pause(s);
	results[1] = rdpshare_session_dispatch(s);
	results[2] = rdpshare_session_set_property(s, "PortId", 1);
	results[3] = rdpshare_session_open(s);
	return results;
}

static void test_events_in_order_on_owner(void **state)
{
	(void)state;
	struct order o = {.thread = pthread_self()};
	struct rdpshare_callbacks cb = {.size = sizeof(struct rdpshare_callbacks),
	                                .graphics_stream_paused = ev_paused,
	                                .graphics_stream_resumed = ev_resumed,
	                                .shared_rect_changed = ev_rect,
	                                .attendee_refused = ev_refused};
	rdpshare_session *s = make(&cb, &o);
	int fd = rdpshare_session_get_fd(s);
	assert_true(fd >= 0);
	struct pollfd p = {fd, POLLIN, 0};
	assert_int_equal(poll(&p, 1, 0), 0); /* nothing yet */
	assert_int_equal(rdpshare_session_pause(s), 0);
	assert_int_equal(rdpshare_session_pause(s), 0); /* no second event */
	assert_int_equal(rdpshare_session_set_shared_rect(s, 0, 0, 100, 100), 0);
	assert_int_equal(rdpshare_session_resume(s), 0);
	/* a worker thread's event lands in the same queue, after these */
	pthread_t t;
	session_post_refusal(s, RDPSHARE_REFUSED_LIMIT, "x", "127.0.0.1:1");
	assert_int_equal(poll(&p, 1, 0), 1);
	/* other threads are refused and change nothing */
	void *res;
	assert_int_equal(pthread_create(&t, NULL, other_thread, s), 0);
	pthread_join(t, &res);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(((int *)res)[i], RDPSHARE_E_WRONG_THREAD);
	}
	assert_int_equal(rdpshare_session_dispatch(s), 4);
	assert_string_equal(o.log, "P[0,0,100,100]RX3");
	assert_false(o.wrong_thread);
	assert_int_equal(poll(&p, 1, 0), 0);
	assert_int_equal(rdpshare_session_dispatch(s), 0);
	rdpshare_session_destroy(s);
}

/* ---- the application filter's objects and events ---- */

static char flog[512];

static void flog_add(const char *what, long id)
{
	size_t n = strlen(flog);
	snprintf(flog + n, sizeof(flog) - n, "%s%ld", what, id);
}

static void fa_open(rdpshare_session *s, rdpshare_app *a, void *ud)
{
	(void)s;
	(void)ud;
	flog_add("A+", rdpshare_app_id(a));
	assert_int_equal(rdpshare_app_window_count(a), 0 + (rdpshare_app_id(a) == 7 ? 2 : 1));
	if (rdpshare_app_id(a) == 7) {
		assert_int_equal(rdpshare_app_set_shared(a, true), 0); /* from inside a callback */
	}
}

static void fa_close(rdpshare_session *s, rdpshare_app *a, void *ud)
{
	(void)s;
	(void)ud;
	flog_add("A-", rdpshare_app_id(a));
	assert_null(rdpshare_session_find_app(s, rdpshare_app_id(a))); /* no longer listed */
}

static void fa_update(rdpshare_session *s, rdpshare_app *a, void *ud)
{
	(void)s;
	(void)ud;
	flog_add("Au", rdpshare_app_id(a));
}

static void fw_open(rdpshare_session *s, rdpshare_window *w, void *ud)
{
	(void)s;
	(void)ud;
	flog_add("W+", rdpshare_window_id(w));
}

static void fw_close(rdpshare_session *s, rdpshare_window *w, void *ud)
{
	(void)s;
	(void)ud;
	flog_add("W-", rdpshare_window_id(w));
}

static void fw_update(rdpshare_session *s, rdpshare_window *w, void *ud)
{
	(void)s;
	(void)ud;
	flog_add("Wu", rdpshare_window_id(w));
}

static void f_updated(rdpshare_session *s, bool on, void *ud)
{
	(void)s;
	(void)ud;
	flog_add("F", on);
}

static struct cap_window cw(uint32_t id, uint32_t app, bool listed, const char *title)
{
	struct cap_window c;
	memset(&c, 0, sizeof(c));
	c.id = id;
	c.app = app;
	c.listed = listed;
	c.viewable = true;
	c.w = c.h = 10;
	snprintf(c.title, sizeof(c.title), "%s", title);
	snprintf(c.app_name, sizeof(c.app_name), "app%u", app);
	return c;
}

/* Events in the original's order (an application opens right before its
 * first window and closes right after its last), objects that match, and
 * the filter painting everything not shown in the background colour. */
static void test_app_filter_model(void **state)
{
	(void)state;
	struct rdpshare_callbacks cb = {.size = sizeof(struct rdpshare_callbacks),
	                                .application_open = fa_open,
	                                .application_close = fa_close,
	                                .application_update = fa_update,
	                                .window_open = fw_open,
	                                .window_close = fw_close,
	                                .window_update = fw_update,
	                                .filter_updated = f_updated};
	rdpshare_session *s = make(&cb, NULL);
	flog[0] = '\0';
	struct cap_window l1[] = {cw(1, 7, true, "one"), cw(2, 7, true, "two"),
	                          cw(3, 8, true, "three"), cw(4, 7, false, "menu")};
	appfilter_post_windows(s->af, l1, 4);
	rdpshare_session_dispatch(s);
	rdpshare_session_dispatch(s); /* the update the open callback caused */
	assert_string_equal(flog, "A+7W+1W+2A+8W+3Au7");
	assert_int_equal(rdpshare_session_app_count(s), 2);
	assert_int_equal(rdpshare_session_window_count(s), 3);
	assert_null(rdpshare_session_find_window(s, 4)); /* menus are not listed */
	rdpshare_window *two = rdpshare_session_find_window(s, 2);
	assert_non_null(two);
	assert_string_equal(rdpshare_window_name(two), "two");
	assert_string_equal(rdpshare_app_name(rdpshare_window_app(two)), "app7");
	assert_true(rdpshare_app_get_shared(rdpshare_window_app(two)));

	flog[0] = '\0';
	struct cap_window l2[] = {cw(2, 7, true, "two!"), cw(5, 9, true, "five")};
	appfilter_post_windows(s->af, l2, 2);
	rdpshare_session_dispatch(s);
	assert_string_equal(flog, "W-1W-3A-8A+9W+5Wu2");
	assert_null(rdpshare_session_find_app(s, 8));
	assert_int_equal(rdpshare_session_window_count(s), 2);

	flog[0] = '\0';
	assert_false(rdpshare_session_get_filter_enabled(s));
	assert_int_equal(rdpshare_session_set_filter_enabled(s, true), 0);
	assert_int_equal(rdpshare_session_set_filter_enabled(s, true), 0); /* no second event */
	rdpshare_window *five = rdpshare_session_find_window(s, 5);
	assert_int_equal(rdpshare_window_set_shared(five, true), 0);
	assert_int_equal(rdpshare_window_show(five), RDPSHARE_E_NOT_OPEN);
	rdpshare_session_dispatch(s);
	assert_string_equal(flog, "F1Wu5");
	assert_int_equal(rdpshare_session_set_property(s, "rdpshare.BackgroundColor", 0x1000000),
	                 RDPSHARE_E_INVALIDARG);

	/* the demo desktop has no windows: with the filter on, nothing of it
	 * reaches viewers, only the background colour */
	assert_int_equal(rdpshare_session_set_property(s, "rdpshare.BackgroundColor", 0x123456), 0);
	assert_int_equal(rdpshare_session_open(s), 0);
	unsigned char px[8 * 8 * 4];
	assert_int_equal(rdpshare_session_get_frame_buffer_bits(s, 100, 100, 8, 8, px, 32), 0);
	for (int i = 0; i < 64; i++) {
		assert_int_equal(px[4 * i], 0x56);
		assert_int_equal(px[4 * i + 1], 0x34);
		assert_int_equal(px[4 * i + 2], 0x12);
	}
	assert_int_equal(rdpshare_session_set_filter_enabled(s, false), 0);
	bool demo_shows = false;
	for (int tries = 0; tries < 50 && !demo_shows; tries++) {
		assert_int_equal(rdpshare_session_get_frame_buffer_bits(s, 100, 100, 8, 8, px, 32),
		                 0);
		for (int i = 0; i < 64; i++) {
			demo_shows = demo_shows || px[4 * i] != 0x56 || px[4 * i + 2] != 0x12;
		}
		usleep(20 * 1000);
	}
	assert_true(demo_shows);
	rdpshare_session_destroy(s); /* frees the objects still listed */
}

/* Control requests never change: another level from the same viewer is a
 * new request (raised anew) that withdraws the older; an answer grants
 * exactly the level of the request id it names, never a newer one's. */
static long req_seen[8];
static int req_levels[8], n_req_seen;

static void on_ctl_request(rdpshare_session *s, rdpshare_attendee *a,
                           enum rdpshare_ctrl_level level, void *ud)
{
	(void)s;
	(void)ud;
	enum rdpshare_ctrl_level l = RDPSHARE_CTRL_LEVEL_INVALID;
	long id = rdpshare_attendee_get_control_request(a, &l);
	assert_true(id > 0);
	assert_int_equal(l, level);
	if (n_req_seen < 8) {
		req_seen[n_req_seen] = id;
		req_levels[n_req_seen++] = level;
	}
}

static void test_control_requests_immutable(void **state)
{
	(void)state;
	struct rdpshare_callbacks cb = {.size = sizeof(struct rdpshare_callbacks),
	                                .control_level_change_request = on_ctl_request};
	rdpshare_session *s = make(&cb, NULL);
	rdpshare_invitation *inv = NULL;
	assert_int_equal(rdpshare_session_create_invitation(s, "T1", NULL, "pw", 5, &inv), 0);
	assert_int_equal(rdpshare_session_open(s), 0);
	struct admission ad = {.ticket = "T1",
	                       .password = "pw",
	                       .name = "ann",
	                       .peer_ip = "127.0.0.1",
	                       .local_ip = "127.0.0.1",
	                       .peer_port = 5000,
	                       .local_port = 3389};
	rdpshare_attendee *a = NULL;
	assert_int_equal(session_admit(s, &ad, &a), 0);
	session_attendee_ready(s, a);
	rdpshare_session_dispatch(s);
	assert_ptr_equal(rdpshare_session_find_attendee(s, a->id), a);
	assert_int_equal(rdpshare_attendee_get_control_level(a), RDPSHARE_CTRL_LEVEL_NONE);
	assert_int_equal(rdpshare_attendee_get_control_request(a, NULL), 0);
	n_req_seen = 0;

	/* VIEW, VIEW again (the same request: raises nothing), then INTERACTIVE */
	session_post_control_request(s, a, RDPSHARE_CTRL_LEVEL_VIEW);
	session_post_control_request(s, a, RDPSHARE_CTRL_LEVEL_VIEW);
	session_post_control_request(s, a, RDPSHARE_CTRL_LEVEL_INTERACTIVE);
	rdpshare_session_dispatch(s);
	assert_int_equal(n_req_seen, 2);
	assert_int_equal(req_levels[0], RDPSHARE_CTRL_LEVEL_VIEW);
	assert_int_equal(req_levels[1], RDPSHARE_CTRL_LEVEL_INTERACTIVE);
	assert_true(req_seen[1] != req_seen[0]);
	/* the VIEW request was withdrawn: granting it changes nothing */
	assert_int_equal(rdpshare_session_answer_control_request(s, req_seen[0], true),
	                 RDPSHARE_E_NOT_FOUND);
	assert_int_equal(rdpshare_attendee_get_control_level(a), RDPSHARE_CTRL_LEVEL_NONE);
	enum rdpshare_ctrl_level l;
	assert_int_equal(rdpshare_attendee_get_control_request(a, &l), req_seen[1]);
	assert_int_equal(l, RDPSHARE_CTRL_LEVEL_INTERACTIVE);
	/* denied: the level stays, the request is done */
	assert_int_equal(rdpshare_session_answer_control_request(s, req_seen[1], false), 0);
	assert_int_equal(rdpshare_attendee_get_control_level(a), RDPSHARE_CTRL_LEVEL_NONE);
	assert_int_equal(rdpshare_attendee_get_control_request(a, NULL), 0);
	assert_int_equal(rdpshare_session_answer_control_request(s, req_seen[1], true),
	                 RDPSHARE_E_NOT_FOUND);
	int levels[4];
	long reasons[4];
	assert_int_equal(attendee_take_outbox(a, levels, reasons, 4), 1);
	assert_int_equal(levels[0], RDPSHARE_CTRL_LEVEL_INTERACTIVE);
	assert_int_equal(reasons[0], 1);

	/* INTERACTIVE, then VIEW: granting the VIEW one gives exactly VIEW */
	session_post_control_request(s, a, RDPSHARE_CTRL_LEVEL_INTERACTIVE);
	session_post_control_request(s, a, RDPSHARE_CTRL_LEVEL_VIEW);
	rdpshare_session_dispatch(s);
	assert_int_equal(n_req_seen, 4);
	assert_int_equal(req_levels[3], RDPSHARE_CTRL_LEVEL_VIEW);
	assert_int_equal(rdpshare_session_answer_control_request(s, req_seen[3], true), 0);
	assert_int_equal(rdpshare_attendee_get_control_level(a), RDPSHARE_CTRL_LEVEL_VIEW);
	assert_int_equal(attendee_take_outbox(a, levels, reasons, 4), 1);
	assert_int_equal(levels[0], RDPSHARE_CTRL_LEVEL_VIEW);
	assert_int_equal(reasons[0], 0);
	assert_int_equal(rdpshare_session_answer_control_request(s, req_seen[2], true),
	                 RDPSHARE_E_NOT_FOUND);
	assert_int_equal(rdpshare_attendee_get_control_level(a), RDPSHARE_CTRL_LEVEL_VIEW);
	assert_int_equal(rdpshare_session_answer_control_request(s, 0, true),
	                 RDPSHARE_E_INVALIDARG);
	session_attendee_gone(s, a, RDPSHARE_DISCONNECT_CLI, 0, true);
	rdpshare_session_dispatch(s);
	rdpshare_session_destroy(s);
}

/* Viewers on the multiparty channel are told only the mapped windows that
 * meet the shared rect, and only the applications that have one; a window
 * that leaves is withdrawn and told again when it comes back. */
static bool told_win(const struct mp_filter *f, uint32_t id)
{
	for (int i = 0; i < f->n_wins; i++) {
		if (f->wins[i].id == id) {
			return true;
		}
	}
	return false;
}

static bool told_app(const struct mp_filter *f, uint32_t id)
{
	for (int i = 0; i < f->n_apps; i++) {
		if (f->apps[i].id == id) {
			return true;
		}
	}
	return false;
}

static void test_viewers_told_what_they_see(void **state)
{
	(void)state;
	struct rdpshare_callbacks cb = {.size = sizeof(struct rdpshare_callbacks)};
	rdpshare_session *s = make(&cb, NULL);
	assert_int_equal(rdpshare_session_set_shared_rect(s, 100, 50, 200, 150), 0);
	struct cap_window l[] = {cw(1, 7, true, "inside"), cw(2, 8, true, "outside"),
	                         cw(3, 9, true, "hidden"), cw(4, 7, true, "edge")};
	l[0].x = 120, l[0].y = 60; /* in the rect */
	l[1].x = 10, l[1].y = 10;  /* 10..19: left of it */
	l[2].x = 120, l[2].y = 60; /* in it, but unmapped */
	l[2].viewable = false;
	l[3].x = 90, l[3].y = 140; /* its border meets the rect's corner (100..99 + 1) */
	l[3].w = 11;
	appfilter_post_windows(s->af, l, 4);
	rdpshare_session_dispatch(s);
	struct mp_filter f;
	uint64_t gen = appfilter_copy_for_viewers(s->af, 0, &f);
	assert_true(gen > 0);
	assert_int_equal(f.n_wins, 2);
	assert_true(told_win(&f, 1));
	assert_true(told_win(&f, 4));
	assert_false(told_win(&f, 2)); /* outside the rect */
	assert_false(told_win(&f, 3)); /* unmapped */
	assert_int_equal(f.n_apps, 1);
	assert_true(told_app(&f, 7));
	assert_false(told_app(&f, 8)); /* no window it can see: nor its process name */
	mp_filter_free(&f);
	/* the application still sees every listed window */
	assert_int_equal(rdpshare_session_window_count(s), 4);

	/* the outside window moves in, the hidden one maps, edge leaves */
	l[1].x = 150, l[1].y = 100;
	l[2].viewable = true;
	l[3].x = 0;
	appfilter_post_windows(s->af, l, 4);
	rdpshare_session_dispatch(s);
	uint64_t gen2 = appfilter_copy_for_viewers(s->af, gen, &f);
	assert_true(gen2 > gen);
	assert_true(told_win(&f, 1) && told_win(&f, 2) && told_win(&f, 3));
	assert_false(told_win(&f, 4));
	assert_true(told_app(&f, 8) && told_app(&f, 9));
	mp_filter_free(&f);
	/* a move inside the rect changes nothing viewers are told: no new copy */
	l[0].x = 121;
	appfilter_post_windows(s->af, l, 4);
	rdpshare_session_dispatch(s);
	assert_int_equal(appfilter_copy_for_viewers(s->af, gen2, &f), 0);
	mp_filter_free(&f);
	/* the rect moves off them all: everything is withdrawn */
	assert_int_equal(rdpshare_session_set_shared_rect(s, 300, 0, 320, 20), 0);
	uint64_t gen3 = appfilter_copy_for_viewers(s->af, gen2, &f);
	assert_true(gen3 > gen2);
	assert_int_equal(f.n_wins, 0);
	assert_int_equal(f.n_apps, 0);
	mp_filter_free(&f);
	rdpshare_session_destroy(s);
}

static struct admission adm(const char *ticket, const char *pw)
{
	struct admission a = {.ticket = ticket,
	                      .password = pw,
	                      .name = "bob",
	                      .peer_ip = "127.0.0.1",
	                      .local_ip = "127.0.0.1",
	                      .peer_port = 5000,
	                      .local_port = 3389};
	return a;
}

static void test_invitation_rules(void **state)
{
	(void)state;
	struct order o = {.thread = pthread_self()};
	struct rdpshare_callbacks cb = {.size = sizeof(struct rdpshare_callbacks),
	                                .attendee_refused = ev_refused};
	rdpshare_session *s = make(&cb, &o);
	rdpshare_invitation *inv = NULL, *inv2 = NULL;
	char longstr[300];
	memset(longstr, 'a', sizeof(longstr) - 1);
	longstr[sizeof(longstr) - 1] = '\0';
	assert_int_equal(rdpshare_session_create_invitation(s, longstr, NULL, "pw", 1, &inv),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_create_invitation(s, NULL, NULL, longstr, 1, &inv),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_create_invitation(s, NULL, NULL, "pw", -1, &inv),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_create_invitation(s, "T1", "g", "secret", 1, &inv), 0);
	assert_int_equal(rdpshare_session_create_invitation(s, "T1", "g", "x", 1, &inv2),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_session_create_invitation(s, NULL, NULL, "other", 2, &inv2), 0);
	assert_true(strlen(rdpshare_invitation_auth_string(inv2)) >= 16);
	assert_ptr_equal(rdpshare_session_find_invitation(s, "T1"), inv);
	assert_int_equal(rdpshare_session_invitation_count(s), 2);
	char *cs = NULL;
	assert_int_equal(rdpshare_invitation_get_connection_string(inv, &cs), RDPSHARE_E_NOT_OPEN);
	assert_int_equal(rdpshare_session_open(s), 0);
	assert_int_equal(rdpshare_invitation_get_connection_string(inv, &cs), 0);
	assert_non_null(strstr(cs, "ID=\"T1\""));
	assert_non_null(strstr(cs, "N=\"127.0.0.1\""));
	assert_non_null(strstr(cs, "KH=\""));
	assert_null(strstr(cs, "secret"));
	free(cs);

	rdpshare_attendee *a = NULL, *b = NULL;
	struct admission ad = adm("T1", "wrong");
	assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_BAD_PASSWORD);
	ad = adm("nope", "secret");
	assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_BAD_PASSWORD);
	ad = adm("T1", "secret");
	assert_int_equal(session_admit(s, &ad, &a), 0);
	assert_non_null(a);
	assert_int_equal(rdpshare_invitation_attendee_count(inv), 1);
	assert_int_equal(session_admit(s, &ad, &b), RDPSHARE_REFUSED_LIMIT);
	/* the limit counts attendees connected now: one leaving frees a place */
	session_attendee_gone(s, a, RDPSHARE_DISCONNECT_CLI, 0, false);
	assert_int_equal(rdpshare_invitation_attendee_count(inv), 0);
	assert_int_equal(session_admit(s, &ad, &a), 0);
	assert_int_equal(rdpshare_invitation_set_limit(inv, 2), 0);
	assert_int_equal(session_admit(s, &ad, &b), 0);
	session_attendee_gone(s, b, RDPSHARE_DISCONNECT_CLI, 0, false);
	/* revoked: no new joins, the connected one stays counted */
	assert_int_equal(rdpshare_invitation_set_revoked(inv, true), 0);
	assert_int_equal(session_admit(s, &ad, &b), RDPSHARE_REFUSED_REVOKED);
	assert_int_equal(rdpshare_invitation_attendee_count(inv), 1);
	session_attendee_gone(s, a, RDPSHARE_DISCONNECT_CLI, 0, false);
	/* a plain logon (no ticket) is matched by password */
	ad = adm(NULL, "other");
	assert_int_equal(session_admit(s, &ad, &a), 0);
	assert_ptr_equal(a->invitation, inv2);
	assert_int_equal(rdpshare_attendee_get_control_level(a), RDPSHARE_CTRL_LEVEL_NONE);
	/* statistics: the caller's size says how much it can take */
	atomic_store(&a->stats.frames_sent, 7);
	struct rdpshare_attendee_stats st = {.size = 0};
	assert_int_equal(rdpshare_attendee_get_stats(a, &st), RDPSHARE_E_INVALIDARG);
	st = (struct rdpshare_attendee_stats){.size = sizeof(st)};
	assert_int_equal(rdpshare_attendee_get_stats(a, &st), 0);
	assert_int_equal(st.frames_sent, 7);
	assert_int_equal(st.size, sizeof(st));
	/* a newer caller's larger struct: the tail it knows of stays as it was */
	_Alignas(struct rdpshare_attendee_stats) unsigned char big[sizeof(st) + 16];
	memset(big, 0xAB, sizeof(big));
	size_t big_size = sizeof(big);
	memcpy(big, &big_size, sizeof(big_size));
	assert_int_equal(rdpshare_attendee_get_stats(a, (struct rdpshare_attendee_stats *)big), 0);
	assert_int_equal(big[sizeof(st)], 0xAB);
	session_attendee_gone(s, a, RDPSHARE_DISCONNECT_CLI, 0, false);
	ad = adm(NULL, "secret"); /* only the revoked invitation has it */
	assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_REVOKED);
	ad = adm(NULL, "");
	assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_BAD_PASSWORD);
	assert_int_equal(rdpshare_session_dispatch(s), 6);
	assert_string_equal(o.log, "X1X1X3X2X2X1");
	rdpshare_session_destroy(s);
}

/* An invitation without a password admits only logons that carry its
 * ticket (the Remote Assistance logon), never a plain empty password. */
static void test_passwordless_invitation(void **state)
{
	(void)state;
	struct rdpshare_callbacks cb = {.size = sizeof(struct rdpshare_callbacks)};
	rdpshare_session *s = make(&cb, NULL);
	rdpshare_invitation *inv = NULL, *inv2 = NULL;
	assert_int_equal(rdpshare_session_create_invitation(s, "T0", NULL, NULL, 3, &inv), 0);
	assert_int_equal(rdpshare_session_create_invitation(s, "T9", NULL, "", 3, &inv2), 0);
	assert_int_equal(rdpshare_session_open(s), 0);
	rdpshare_attendee *a = NULL, *b = NULL;
	const char *plain[] = {"", "*", "x"};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		struct admission ad = adm(NULL, plain[i]);
		ad.peer_ip = "192.0.2.1";
		assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_BAD_PASSWORD);
		assert_null(a);
	}
	struct admission ad = adm("T0", "x"); /* a password it does not have */
	assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_BAD_PASSWORD);
	ad = adm("T1", ""); /* no such ticket */
	assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_BAD_PASSWORD);
	ad = adm("T", "");
	assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_BAD_PASSWORD);
	ad = adm("T0", ""); /* FreeRDP sends no alternate shell */
	assert_int_equal(session_admit(s, &ad, &a), 0);
	assert_ptr_equal(a->invitation, inv);
	ad = adm("T9", "*"); /* [MS-RA]: "*" when the invitation has none */
	assert_int_equal(session_admit(s, &ad, &b), 0);
	assert_ptr_equal(b->invitation, inv2);
	session_attendee_gone(s, a, RDPSHARE_DISCONNECT_CLI, 0, false);
	session_attendee_gone(s, b, RDPSHARE_DISCONNECT_CLI, 0, false);
	rdpshare_session_destroy(s);
}

static char throttled_at[64];
static void ev_throttled(rdpshare_session *s, const char *address, int seconds, void *ud)
{
	(void)s;
	(void)ud;
	(void)seconds;
	snprintf(throttled_at, sizeof(throttled_at), "%s", address ? address : "(all)");
}

/* Strangers guessing from many prefixes lock out plain logons, never a
 * logon that presents a current invitation's ticket. */
static void test_ticket_passes_strangers_lock(void **state)
{
	(void)state;
	struct rdpshare_callbacks cb = {.size = sizeof(struct rdpshare_callbacks),
	                                .auth_throttled = ev_throttled};
	rdpshare_session *s = make(&cb, NULL);
	rdpshare_invitation *inv = NULL, *old = NULL;
	assert_int_equal(rdpshare_session_create_invitation(s, "T1", NULL, "secret", 5, &inv), 0);
	assert_int_equal(rdpshare_session_create_invitation(s, "T2", NULL, "secret2", 5, &old), 0);
	assert_int_equal(rdpshare_invitation_set_revoked(old, true), 0);
	assert_int_equal(rdpshare_session_open(s), 0);
	rdpshare_attendee *a = NULL;
	char ip[64];
	/* one /24 locks after five, whatever the addresses in it */
	for (int i = 0; i < 5; i++) {
		snprintf(ip, sizeof(ip), "198.51.100.%d", i + 1);
		struct admission ad = adm(NULL, "guess");
		ad.peer_ip = ip;
		assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_BAD_PASSWORD);
	}
	struct admission ad = adm(NULL, "secret");
	ad.peer_ip = "198.51.100.77";
	assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_THROTTLED);
	assert_int_equal(rdpshare_session_dispatch(s), 7);
	assert_string_equal(throttled_at, "198.51.100.0/24");
	/* then prefixes enough for the global lock */
	int why = 0;
	for (int i = 0; i < 40 && why != RDPSHARE_REFUSED_THROTTLED; i++) {
		snprintf(ip, sizeof(ip), "10.%d.0.1", i);
		ad = adm(i % 2 ? "T2" : NULL, i % 3 ? "guess" : "*"); /* revoked: a stranger */
		ad.peer_ip = ip;
		why = session_admit(s, &ad, &a);
	}
	assert_int_equal(why, RDPSHARE_REFUSED_THROTTLED);
	rdpshare_session_dispatch(s);
	assert_string_equal(throttled_at, "(all)");
	ad = adm(NULL, "secret");
	ad.peer_ip = "203.0.113.5";
	assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_THROTTLED);
	ad = adm("nope", "secret");
	assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_THROTTLED);
	/* the ticket passes, even from the prefix locked above */
	ad = adm("T1", "secret");
	ad.peer_ip = "198.51.100.77";
	assert_int_equal(session_admit(s, &ad, &a), 0);
	session_attendee_gone(s, a, RDPSHARE_DISCONNECT_CLI, 0, false);
	/* a ticket holder failing the password is still limited per prefix */
	ad = adm("T1", "wrong");
	ad.peer_ip = "2001:db8:1:2::1";
	for (int i = 0; i < 5; i++) {
		assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_BAD_PASSWORD);
	}
	ad = adm("T1", "secret");
	ad.peer_ip = "2001:db8:1:2::99";
	assert_int_equal(session_admit(s, &ad, &a), RDPSHARE_REFUSED_THROTTLED);
	rdpshare_session_dispatch(s);
	assert_string_equal(throttled_at, "2001:db8:1:2::/64");
	ad.peer_ip = "2001:db8:1:3::99";
	assert_int_equal(session_admit(s, &ad, &a), 0);
	session_attendee_gone(s, a, RDPSHARE_DISCONNECT_CLI, 0, false);
	rdpshare_session_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_properties),
	    cmocka_unit_test(test_single_instance),
	    cmocka_unit_test(test_struct_size),
	    cmocka_unit_test(test_lifecycle),
	    cmocka_unit_test(test_rect_and_depth),
	    cmocka_unit_test(test_frame_buffer),
	    cmocka_unit_test(test_channels),
	    cmocka_unit_test(test_events_in_order_on_owner),
	    cmocka_unit_test(test_invitation_rules),
	    cmocka_unit_test(test_passwordless_invitation),
	    cmocka_unit_test(test_ticket_passes_strangers_lock),
	    cmocka_unit_test(test_app_filter_model),
	    cmocka_unit_test(test_viewers_told_what_they_see),
	    cmocka_unit_test(test_control_requests_immutable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
