/* The viewer API (rdpshare_viewer) against a real sharing session in the
 * same process, on the demo desktop over loopback: arguments, the picture,
 * the certificate pin, control requests granted and denied, input only when
 * allowed, virtual channels both ways, reverse connect, and why a
 * connection ended. Both objects are owned by this thread and dispatched
 * from one poll loop, as an application that embeds both would. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rdp/client.h"
#include "rdpshare.h"

static char tmpdir[256];

/* What the viewer saw. */
struct seen {
	int cert_result, connected, authenticated, failed, disconnected;
	int reason;
	long ext;
	int width, height, frames;
	int level_changes, responses;
	enum rdpshare_ctrl_level response_level;
	long response_reason;
	int self_seen;
	int chan_open, chan_sent;
	char chan_data[64];
	int focus;
};

/* What the sharer saw. */
struct host {
	rdpshare_attendee *last;
	int requests;
	enum rdpshare_ctrl_level requested;
	int joined;
	char data[64];
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void v_cert(rdpshare_viewer *v, const struct rdpshare_viewer_certificate *c, void *ud)
{
	(void)v;
	((struct seen *)ud)->cert_result = (int)c->result;
}
static void v_connected(rdpshare_viewer *v, void *ud)
{
	(void)v;
	((struct seen *)ud)->connected++;
}
static void v_auth(rdpshare_viewer *v, void *ud)
{
	(void)v;
	((struct seen *)ud)->authenticated++;
}
static void v_failed(rdpshare_viewer *v, enum rdpshare_viewer_reason r, const char *m, void *ud)
{
	(void)v;
	(void)m;
	struct seen *s = ud;
	s->failed++;
	s->reason = (int)r;
}
static void v_disc(rdpshare_viewer *v, enum rdpshare_viewer_reason r, long ext, const char *m,
                   void *ud)
{
	(void)v;
	(void)m;
	struct seen *s = ud;
	s->disconnected++;
	s->reason = (int)r;
	s->ext = ext;
}
static void v_frame(rdpshare_viewer *v, const struct rdpshare_viewer_frame *f,
                    const struct rdpshare_viewer_rect *d, int n, void *ud)
{
	(void)v;
	struct seen *s = ud;
	assert_non_null(f->pixels);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		assert_true(d[i].x >= 0 && d[i].y >= 0 && d[i].width > 0 && d[i].height > 0);
		assert_true(d[i].x + d[i].width <= f->width && d[i].y + d[i].height <= f->height);
	}
	s->frames++;
}
static void v_size(rdpshare_viewer *v, int w, int h, int bpp, void *ud)
{
	(void)v;
	(void)bpp;
	struct seen *s = ud;
	s->width = w;
	s->height = h;
}
static void v_att(rdpshare_viewer *v, const struct rdpshare_viewer_attendee *a, void *ud)
{
	(void)v;
	if (a->self) {
		((struct seen *)ud)->self_seen++;
	}
}
static void v_level(rdpshare_viewer *v, enum rdpshare_ctrl_level l, void *ud)
{
	(void)v;
	(void)l;
	((struct seen *)ud)->level_changes++;
}
static void v_resp(rdpshare_viewer *v, enum rdpshare_ctrl_level l, long reason, void *ud)
{
	(void)v;
	struct seen *s = ud;
	s->responses++;
	s->response_level = l;
	s->response_reason = reason;
}
static void v_chan_open(rdpshare_viewer *v, const char *name, void *ud)
{
	(void)v;
	assert_string_equal(name, "chat");
	((struct seen *)ud)->chan_open++;
}
static void v_chan_data(rdpshare_viewer *v, const char *name, int id, const void *data, size_t len,
                        void *ud)
{
	(void)v;
	(void)name;
	assert_int_equal(id, RDPSHARE_ATTENDEE_ID_HOST);
	struct seen *s = ud;
	snprintf(s->chan_data, sizeof(s->chan_data), "%.*s", (int)len, (const char *)data);
}
static void v_chan_sent(rdpshare_viewer *v, const char *name, size_t len, void *ud)
{
	(void)v;
	(void)name;
	(void)len;
	((struct seen *)ud)->chan_sent++;
}
static void v_focus(rdpshare_viewer *v, int dir, void *ud)
{
	(void)v;
	((struct seen *)ud)->focus = dir;
}

static const struct rdpshare_viewer_callbacks vcb = {
    .size = sizeof(vcb),
    .certificate_checked = v_cert,
    .connected = v_connected,
    .authenticated = v_auth,
    .connection_failed = v_failed,
    .disconnected = v_disc,
    .frame = v_frame,
    .desktop_size_changed = v_size,
    .attendee_connected = v_att,
    .control_level_changed = v_level,
    .control_level_change_response = v_resp,
    .channel_opened = v_chan_open,
    .channel_data = v_chan_data,
    .channel_send_completed = v_chan_sent,
    .focus_released = v_focus,
};

static void h_connected(rdpshare_session *s, rdpshare_attendee *a, void *ud)
{
	(void)s;
	((struct host *)ud)->last = a;
}
static void h_request(rdpshare_session *s, rdpshare_attendee *a, enum rdpshare_ctrl_level l,
                      void *ud)
{
	(void)s;
	struct host *h = ud;
	h->last = a;
	h->requests++;
	h->requested = l;
}
static void h_joined(rdpshare_session *s, rdpshare_channel *ch, rdpshare_attendee *a, void *ud)
{
	(void)s;
	(void)ch;
	(void)a;
	((struct host *)ud)->joined++;
}
static void h_data(rdpshare_session *s, rdpshare_channel *ch, rdpshare_attendee *a,
                   const void *data, size_t len, void *ud)
{
	(void)s;
	(void)ch;
	(void)a;
	struct host *h = ud;
	snprintf(h->data, sizeof(h->data), "%.*s", (int)len, (const char *)data);
}

static const struct rdpshare_callbacks hcb = {
    .size = sizeof(hcb),
    .attendee_connected = h_connected,
    .control_level_change_request = h_request,
    .channel_joined = h_joined,
    .channel_data = h_data,
};

/* Dispatch both until done(ud) or ms pass. */
static bool pump(rdpshare_session *s, rdpshare_viewer *v, int ms, bool (*done)(void *), void *ud)
{
	int64_t end = now_ms() + ms;
	while (now_ms() < end) {
		struct pollfd p[2] = {{s ? rdpshare_session_get_fd(s) : -1, POLLIN, 0},
		                      {rdpshare_viewer_get_fd(v), POLLIN, 0}};
		poll(p, 2, 50);
		if (s) {
			rdpshare_session_dispatch(s);
		}
		rdpshare_viewer_dispatch(v);
		if (done && done(ud)) {
			return true;
		}
	}
	return done == NULL;
}

static struct seen *seen_of;
static struct host *host_of;
static bool got_frames(void *ud)
{
	return ((struct seen *)ud)->frames >= 3;
}
static bool got_end(void *ud)
{
	struct seen *s = ud;
	return s->failed || s->disconnected;
}
static bool got_self(void *ud)
{
	return rdpshare_viewer_get_attendee_id(ud) >= 0;
}
static bool got_request(void *ud)
{
	return ((struct host *)ud)->requests > 0;
}
static bool got_response(void *ud)
{
	return ((struct seen *)ud)->responses > 0;
}
static bool got_interactive(void *ud)
{
	return rdpshare_viewer_get_control_level(ud) == RDPSHARE_CTRL_LEVEL_INTERACTIVE;
}
static bool got_channel(void *ud)
{
	(void)ud;
	return seen_of->chan_open && host_of->joined;
}
static bool got_host_data(void *ud)
{
	return ((struct host *)ud)->data[0] != 0;
}
static bool got_viewer_data(void *ud)
{
	return ((struct seen *)ud)->chan_data[0] != 0;
}

struct fixture {
	rdpshare_session *s;
	rdpshare_invitation *inv;
	rdpshare_channel *chat;
	char *connstr;
	struct host host;
};

static void open_session_sized(struct fixture *f, long default_level, int w, int h)
{
	static char cfg_dir[300], run_dir[300];
	static const char *listen[] = {"127.0.0.1:0", NULL};
	snprintf(cfg_dir, sizeof(cfg_dir), "%s/config", tmpdir);
	snprintf(run_dir, sizeof(run_dir), "%s/run", tmpdir);
	struct rdpshare_config c = {.size = sizeof(c),
	                            .demo = true,
	                            .demo_width = w,
	                            .demo_height = h,
	                            .listen = listen,
	                            .config_dir = cfg_dir,
	                            .runtime_dir = run_dir};
	memset(&f->host, 0, sizeof(f->host));
	assert_int_equal(rdpshare_session_create(&c, &hcb, &f->host, &f->s), 0);
	assert_int_equal(
	    rdpshare_session_set_property(f->s, "DefaultAttendeeControlLevel", default_level), 0);
	assert_int_equal(rdpshare_session_create_channel(
	                     f->s, "chat", RDPSHARE_CHANNEL_PRIORITY_MED, 0, &f->chat),
	                 0);
	assert_int_equal(rdpshare_session_open(f->s), 0);
	assert_int_equal(rdpshare_session_create_invitation(f->s, NULL, "g", "pw", 8, &f->inv), 0);
	assert_int_equal(rdpshare_invitation_get_connection_string(f->inv, &f->connstr), 0);
}

static void open_session(struct fixture *f, long default_level)
{
	open_session_sized(f, default_level, 640, 480);
}

static void close_session(struct fixture *f)
{
	free(f->connstr);
	rdpshare_session_destroy(f->s);
}

static rdpshare_viewer *make_viewer(struct seen *seen, const char *kh, bool gfx)
{
	static const char *channels[] = {"chat", NULL};
	struct rdpshare_viewer_config c = {
	    .size = sizeof(c), .kh = kh, .graphics_pipeline = gfx, .channels = channels};
	rdpshare_viewer *v = NULL;
	memset(seen, 0, sizeof(*seen));
	assert_int_equal(rdpshare_viewer_create(&c, &vcb, seen, &v), 0);
	return v;
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

static void *other_thread(void *arg)
{
	rdpshare_viewer *v = arg;
	intptr_t bad =
	    rdpshare_viewer_connect(v, "127.0.0.1:3389", "n", "pw") == RDPSHARE_E_WRONG_THREAD &&
	    rdpshare_viewer_send_mouse_move(v, 1, 1) == RDPSHARE_E_WRONG_THREAD &&
	    rdpshare_viewer_dispatch(v) == RDPSHARE_E_WRONG_THREAD;
	return (void *)bad;
}

static void test_arguments(void **state)
{
	(void)state;
	rdpshare_viewer *v = NULL;
	struct rdpshare_viewer_config c = {.size = sizeof(c), .kh = "short"};
	assert_int_equal(rdpshare_viewer_create(&c, NULL, NULL, &v), RDPSHARE_E_INVALIDARG);
	const char *bad_names[][3] = {
	    {"toolong8", NULL}, {"a b", NULL}, {"x", "x", NULL}, {"", NULL}};
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		c = (struct rdpshare_viewer_config){.size = sizeof(c), .channels = bad_names[i]};
		assert_int_equal(rdpshare_viewer_create(&c, NULL, NULL, &v), RDPSHARE_E_INVALIDARG);
	}
	c = (struct rdpshare_viewer_config){.size = sizeof(c), .color_depth = 8};
	assert_int_equal(rdpshare_viewer_create(&c, NULL, NULL, &v), RDPSHARE_E_INVALIDARG);
	c = (struct rdpshare_viewer_config){.size = 1};
	assert_int_equal(rdpshare_viewer_create(&c, NULL, NULL, &v), RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_viewer_create(NULL, NULL, NULL, &v), 0);
	/* the apartment rule */
	pthread_t t;
	void *ok = NULL;
	assert_int_equal(pthread_create(&t, NULL, other_thread, v), 0);
	assert_int_equal(pthread_join(t, &ok), 0);
	assert_true(ok != NULL);
	/* HOST:PORT with nothing to check the key against */
	assert_int_equal(rdpshare_viewer_connect(v, "127.0.0.1:3389", "n", "pw"),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_viewer_connect(v, "no-port-here", "n", "pw"),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_viewer_connect(v, "<E><A/></E>", "n", "pw"),
	                 RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_viewer_connect(v, NULL, "n", "pw"), RDPSHARE_E_INVALIDARG);
	/* nothing connected */
	assert_int_equal(rdpshare_viewer_send_mouse_move(v, 1, 1), RDPSHARE_E_PENDING);
	assert_int_equal(rdpshare_viewer_request_control(v, RDPSHARE_CTRL_LEVEL_VIEW),
	                 RDPSHARE_E_PENDING);
	assert_int_equal(rdpshare_viewer_request_control(v, 7), RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_viewer_channel_send(v, "chat", "x", 1, 0, 0),
	                 RDPSHARE_E_NOT_FOUND);
	assert_int_equal(rdpshare_viewer_send_mouse_button(v, RDPSHARE_MOUSE_XBUTTON3, true, 0, 0),
	                 RDPSHARE_E_UNSUPPORTED);
	assert_int_equal(
	    rdpshare_viewer_send_keyboard(v, RDPSHARE_KBD_CODE_SCANCODE, 0x80, false, false, false),
	    RDPSHARE_E_INVALIDARG);
	assert_int_equal(rdpshare_viewer_show_window(v, 42), RDPSHARE_E_NOT_FOUND);
	assert_int_equal(rdpshare_viewer_disconnect(v), 0);
	assert_false(rdpshare_viewer_is_connected(v));
	assert_int_equal(rdpshare_viewer_get_control_level(v), RDPSHARE_CTRL_LEVEL_INVALID);
	struct rdpshare_viewer_frame f;
	assert_int_equal(rdpshare_viewer_get_frame(v, &f), 0);
	assert_null(f.pixels);
	assert_true(rdpshare_viewer_get_fd(v) >= 0);
	assert_int_equal(rdpshare_viewer_dispatch(v), 0);
	char *rs = NULL;
	/* reverse connect needs a pin: no name to record a key under */
	assert_int_equal(rdpshare_viewer_start_reverse_connect_listener(v, NULL, "n", "pw",
	                                                                "127.0.0.1:0", 0, &rs),
	                 RDPSHARE_E_INVALIDARG);
	rdpshare_viewer_destroy(v);
	/* helpers */
	assert_true(rdpshare_kh_is_valid("kO73yEKjdUcZMAqkDYE2I7mKOMk="));
	assert_false(rdpshare_kh_is_valid("kO73yEKjdUcZMAqkDYE2I7mKOMk"));
	char *e = rdpshare_escape_text("a\x1b[31mb\n", 9, RDPSHARE_ESCAPE_TERMINAL, 0);
	assert_non_null(e);
	assert_null(strchr(e, '\x1b'));
	assert_null(strchr(e, '\n'));
	free(e);
	e = rdpshare_escape_text("q\"\\", 3, RDPSHARE_ESCAPE_JSON, 0);
	assert_string_equal(e, "q\\\"\\\\");
	free(e);
}

/* The picture: after a while the title band, which the demo never
 * repaints, equals the sharer's frame buffer exactly, and most of the
 * picture does (the box and the clock move in between). */
static void check_picture(struct fixture *f, rdpshare_viewer *v)
{
	struct rdpshare_viewer_frame fr;
	assert_int_equal(rdpshare_viewer_get_frame(v, &fr), 0);
	assert_int_equal(fr.width, 640);
	assert_int_equal(fr.height, 480);
	unsigned char *host = malloc(640 * 480 * 4);
	assert_non_null(host);
	assert_int_equal(
	    rdpshare_session_get_frame_buffer_bits(f->s, 0, 0, 640, 480, host, 640 * 4), 0);
	size_t same = 0;
	for (int y = 0; y < 480; y++) {
		for (int x = 0; x < 640; x++) {
			const uint8_t *a =
			    fr.pixels + (size_t)y * (size_t)fr.stride + (size_t)x * 4;
			const uint8_t *b = host + ((size_t)y * 640 + (size_t)x) * 4;
			bool eq = memcmp(a, b, 3) == 0;
			same += eq;
			if (y < 16 && !eq) {
				fail_msg(
				    "title band differs at %d,%d: %02x%02x%02x vs %02x%02x%02x", x,
				    y, a[2], a[1], a[0], b[2], b[1], b[0]);
			}
		}
	}
	free(host);
	assert_true(same > 640 * 480 * 8 / 10);
}

static void connect_and_picture(bool gfx)
{
	struct fixture f;
	struct seen seen;
	open_session(&f, RDPSHARE_CTRL_LEVEL_VIEW);
	rdpshare_viewer *v = make_viewer(&seen, NULL, gfx);
	assert_int_equal(rdpshare_viewer_connect(v, f.connstr, "ann", "pw"), 0);
	assert_int_equal(rdpshare_viewer_connect(v, f.connstr, "ann", "pw"), RDPSHARE_E_UNEXPECTED);
	assert_true(pump(f.s, v, 15000, got_frames, &seen));
	assert_int_equal(seen.cert_result, RDPSHARE_VIEWER_CERT_PINNED);
	assert_int_equal(seen.connected, 1);
	assert_int_equal(seen.authenticated, 1);
	assert_true(rdpshare_viewer_is_connected(v));
	assert_int_equal(seen.width, 640);
	assert_true(pump(f.s, v, 5000, got_self, v));
	assert_int_equal(rdpshare_viewer_get_control_level(v), RDPSHARE_CTRL_LEVEL_VIEW);
	assert_true(seen.self_seen >= 1);
	assert_true(rdpshare_viewer_attendee_count(v) >= 1);
	assert_string_equal(rdpshare_attendee_remote_name(f.host.last), "ann");
	pump(f.s, v, 1500, NULL, NULL); /* a still spell: the lossless pass */
	check_picture(&f, v);
	struct rdpshare_viewer_stats st = {.size = sizeof(st)};
	assert_int_equal(rdpshare_viewer_get_stats(v, &st), 0);
	assert_true(st.updates >= 3 && st.bytes_received > 0 && st.first_update_us > 0);
	/* our own disconnect */
	assert_int_equal(rdpshare_viewer_disconnect(v), 0);
	assert_true(pump(f.s, v, 10000, got_end, &seen));
	assert_int_equal(seen.disconnected, 1);
	assert_int_equal(seen.reason, RDPSHARE_VIEWER_LOCAL);
	assert_false(rdpshare_viewer_is_connected(v));
	rdpshare_viewer_destroy(v);
	close_session(&f);
}

static void test_picture_bitmap(void **state)
{
	(void)state;
	connect_and_picture(false);
}

static void test_picture_gfx(void **state)
{
	(void)state;
	connect_and_picture(true);
}

/* Control: denied leaves VIEW and input is refused here; granted makes
 * INTERACTIVE and input goes through. */
static void test_control(void **state)
{
	(void)state;
	struct fixture f;
	struct seen seen;
	open_session(&f, RDPSHARE_CTRL_LEVEL_VIEW);
	rdpshare_viewer *v = make_viewer(&seen, NULL, false);
	assert_int_equal(rdpshare_viewer_connect(v, f.connstr, "bob", "pw"), 0);
	assert_true(pump(f.s, v, 15000, got_self, v));
	assert_int_equal(rdpshare_viewer_send_mouse_move(v, 5, 5), RDPSHARE_E_DENIED);
	assert_int_equal(
	    rdpshare_viewer_send_keyboard(v, RDPSHARE_KBD_CODE_UNICODE, 'a', false, false, false),
	    RDPSHARE_E_DENIED);
	/* ask, be denied */
	assert_int_equal(rdpshare_viewer_request_control(v, RDPSHARE_CTRL_LEVEL_INTERACTIVE), 0);
	assert_true(pump(f.s, v, 10000, got_request, &f.host));
	assert_int_equal(f.host.requested, RDPSHARE_CTRL_LEVEL_INTERACTIVE);
	long id = rdpshare_attendee_get_control_request(f.host.last, NULL);
	assert_true(id > 0);
	assert_int_equal(rdpshare_session_answer_control_request(f.s, id, false), 0);
	assert_true(pump(f.s, v, 10000, got_response, &seen));
	assert_int_equal(seen.response_reason, 1);
	assert_int_equal(seen.response_level, RDPSHARE_CTRL_LEVEL_INTERACTIVE);
	assert_int_equal(rdpshare_viewer_get_control_level(v), RDPSHARE_CTRL_LEVEL_VIEW);
	/* ask again, be granted */
	f.host.requests = 0;
	seen.responses = 0;
	assert_int_equal(rdpshare_viewer_request_control(v, RDPSHARE_CTRL_LEVEL_INTERACTIVE), 0);
	assert_true(pump(f.s, v, 10000, got_request, &f.host));
	id = rdpshare_attendee_get_control_request(f.host.last, NULL);
	assert_int_equal(rdpshare_session_answer_control_request(f.s, id, true), 0);
	assert_true(pump(f.s, v, 10000, got_interactive, v));
	assert_true(pump(f.s, v, 10000, got_response, &seen));
	assert_int_equal(seen.response_reason, 0);
	assert_true(seen.level_changes >= 2);
	/* input arrives at the sharer now */
	struct rdpshare_attendee_stats st = {.size = sizeof(st)};
	assert_int_equal(rdpshare_attendee_get_stats(f.host.last, &st), 0);
	uint64_t before = st.input_injected;
	assert_int_equal(rdpshare_viewer_send_mouse_move(v, 100, 100), 0);
	assert_int_equal(
	    rdpshare_viewer_send_mouse_button(v, RDPSHARE_MOUSE_BUTTON1, true, 100, 100), 0);
	assert_int_equal(
	    rdpshare_viewer_send_mouse_button(v, RDPSHARE_MOUSE_BUTTON1, false, 100, 100), 0);
	assert_int_equal(
	    rdpshare_viewer_send_keyboard(v, RDPSHARE_KBD_CODE_SCANCODE, 0x1e, false, false, false),
	    0);
	assert_int_equal(
	    rdpshare_viewer_send_keyboard(v, RDPSHARE_KBD_CODE_SCANCODE, 0x1e, true, false, false),
	    0);
	assert_int_equal(rdpshare_viewer_send_mouse_wheel(v, -240, false), 0);
	assert_int_equal(rdpshare_viewer_send_sync(v, RDPSHARE_KBD_SYNC_NUM_LOCK), 0);
	int64_t end = now_ms() + 10000;
	do {
		pump(f.s, v, 100, NULL, NULL);
		assert_int_equal(rdpshare_attendee_get_stats(f.host.last, &st), 0);
	} while (st.input_injected < before + 5 && now_ms() < end);
	assert_true(st.input_injected >= before + 5);
	assert_int_equal(st.input_dropped, 0);
	/* focus released: a local event */
	assert_int_equal(rdpshare_viewer_release_focus(v, -1), 0);
	pump(f.s, v, 200, NULL, NULL);
	assert_int_equal(seen.focus, -1);
	/* removed by the sharer */
	assert_int_equal(rdpshare_attendee_terminate(f.host.last), 0);
	assert_true(pump(f.s, v, 10000, got_end, &seen));
	assert_int_equal(seen.reason, RDPSHARE_VIEWER_BY_SERVER);
	assert_int_equal(seen.ext, RDPSHARE_VIEWER_EXT_API_DISCONNECT);
	rdpshare_viewer_destroy(v);
	close_session(&f);
}

/* A named channel both ways, once the sharer gave access. */
static void test_channel(void **state)
{
	(void)state;
	struct fixture f;
	struct seen seen;
	open_session(&f, RDPSHARE_CTRL_LEVEL_VIEW);
	rdpshare_viewer *v = make_viewer(&seen, NULL, false);
	seen_of = &seen;
	host_of = &f.host;
	assert_int_equal(rdpshare_viewer_connect(v, f.connstr, "cat", "pw"), 0);
	assert_true(pump(f.s, v, 15000, got_channel, NULL));
	int id = rdpshare_attendee_id(f.host.last);
	assert_int_equal(
	    rdpshare_channel_set_access(f.chat, id, RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE), 0);
	assert_int_equal(
	    rdpshare_viewer_channel_send(v, "chat", "hello host", 10, RDPSHARE_ATTENDEE_ID_HOST, 0),
	    0);
	assert_int_equal(rdpshare_viewer_channel_send(v, "chat", "x", 1, 3, 0),
	                 RDPSHARE_E_UNSUPPORTED);
	char big[RDPSHARE_CHANNEL_MAX_MESSAGE + 1] = {0};
	assert_int_equal(rdpshare_viewer_channel_send(v, "chat", big, sizeof(big), 0, 0),
	                 RDPSHARE_E_INVALIDARG);
	assert_true(pump(f.s, v, 10000, got_host_data, &f.host));
	assert_string_equal(f.host.data, "hello host");
	assert_true(seen.chan_sent >= 1);
	assert_int_equal(rdpshare_channel_send(f.chat, "hello viewer", 12, id, 0), 0);
	assert_true(pump(f.s, v, 10000, got_viewer_data, &seen));
	assert_string_equal(seen.chan_data, "hello viewer");
	rdpshare_viewer_destroy(v);
	close_session(&f);
}

/* Refusals: a wrong password (after the certificate was accepted), a key
 * that is not the pinned one (nothing sent), nobody at the address. */
static void test_refusals(void **state)
{
	(void)state;
	struct fixture f;
	struct seen seen;
	open_session(&f, RDPSHARE_CTRL_LEVEL_VIEW);
	rdpshare_viewer *v = make_viewer(&seen, NULL, false);
	assert_int_equal(rdpshare_viewer_connect(v, f.connstr, "eve", "wrong"), 0);
	assert_true(pump(f.s, v, 15000, got_end, &seen));
	assert_int_equal(seen.connected, 1);
	assert_int_equal(seen.disconnected, 1);
	assert_int_equal(seen.reason, RDPSHARE_VIEWER_BY_SERVER);
	assert_int_equal(seen.ext, RDPSHARE_VIEWER_EXT_INVALID_CREDENTIALS);
	/* the same viewer object connects again, to HOST:PORT with a wrong pin */
	const char *addrs[1];
	assert_int_equal(rdpshare_session_listen_addresses(f.s, addrs, 1), 1);
	rdpshare_viewer_destroy(v);
	v = make_viewer(&seen, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", false);
	assert_int_equal(rdpshare_viewer_connect(v, addrs[0], "imp", "pw"), 0);
	assert_true(pump(f.s, v, 15000, got_end, &seen));
	assert_int_equal(seen.cert_result, RDPSHARE_VIEWER_CERT_MISMATCH);
	assert_int_equal(seen.connected, 0);
	assert_int_equal(seen.failed, 1);
	assert_int_equal(seen.reason, RDPSHARE_VIEWER_BAD_CERTIFICATE);
	assert_null(f.host.last); /* the sharer never saw a logon */
	/* a peer that takes the connection and never answers: disconnect ends
	 * the wait at once, not at FreeRDP's timeout */
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
	char silent[32];
	snprintf(silent, sizeof(silent), "127.0.0.1:%d", ntohs(sa.sin_port));
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(rdpshare_viewer_connect(v, silent, "imp", "pw"), 0);
	pump(f.s, v, 500, NULL, NULL);
	assert_int_equal(seen.failed + seen.disconnected, 0);
	int64_t t0 = now_ms();
	assert_int_equal(rdpshare_viewer_disconnect(v), 0);
	assert_true(pump(f.s, v, 5000, got_end, &seen));
	assert_true(now_ms() - t0 < 3000);
	assert_int_equal(seen.reason, RDPSHARE_VIEWER_LOCAL);
	close(lfd);
	/* connect again on the same object: a port where nobody listens */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(rdpshare_viewer_connect(v, "127.0.0.1:1", "imp", "pw"), 0);
	assert_true(pump(f.s, v, 15000, got_end, &seen));
	assert_int_equal(seen.failed, 1);
	assert_int_equal(seen.reason, RDPSHARE_VIEWER_CONNECT_FAILED);
	rdpshare_viewer_destroy(v);
	close_session(&f);
}

/* Reverse connect: the viewer listens, the sharer dials its string, the
 * key is the invitation's. */
static void test_reverse(void **state)
{
	(void)state;
	struct fixture f;
	struct seen seen;
	open_session(&f, RDPSHARE_CTRL_LEVEL_VIEW);
	rdpshare_viewer *v = make_viewer(&seen, NULL, false);
	char *rs = NULL;
	assert_int_equal(rdpshare_viewer_start_reverse_connect_listener(v, f.connstr, "rev", "pw",
	                                                                "127.0.0.1:0", 10000, &rs),
	                 0);
	assert_non_null(strstr(rs, "127.0.0.1"));
	assert_int_equal(rdpshare_session_connect_to_client(f.s, rs), 0);
	free(rs);
	assert_true(pump(f.s, v, 15000, got_frames, &seen));
	assert_int_equal(seen.cert_result, RDPSHARE_VIEWER_CERT_PINNED);
	rdpshare_viewer_destroy(v);
	/* listen addresses */
	v = make_viewer(&seen, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", false);
	const char *bad[] = {"nonsense", "99999", "127.0.0.1:70000", ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(rdpshare_viewer_start_reverse_connect_listener(v, NULL, "r", "pw",
		                                                                bad[i], 0, &rs),
		                 RDPSHARE_E_INVALIDARG);
	}
	/* "0": every address, a free port; disconnect ends the wait */
	assert_int_equal(
	    rdpshare_viewer_start_reverse_connect_listener(v, NULL, "r", "pw", "0", 0, &rs), 0);
	assert_non_null(strstr(rs, "127.0.0.1"));
	free(rs);
	assert_int_equal(rdpshare_viewer_disconnect(v), 0);
	assert_true(pump(f.s, v, 5000, got_end, &seen));
	assert_int_equal(seen.disconnected, 1);
	assert_int_equal(seen.reason, RDPSHARE_VIEWER_LOCAL);
	rdpshare_viewer_destroy(v);
	/* a listener nobody calls ends with connection_failed */
	v = make_viewer(&seen, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", false);
	assert_int_equal(rdpshare_viewer_start_reverse_connect_listener(v, NULL, "rev", "pw",
	                                                                "127.0.0.1:0", 300, &rs),
	                 0);
	free(rs);
	assert_true(pump(f.s, v, 5000, got_end, &seen));
	assert_int_equal(seen.failed, 1);
	rdpshare_viewer_destroy(v);
	close_session(&f);
}

/* A sharer whose picture is larger than a viewer takes (6000x6000: over
 * the pixel cap, each side under it) is refused before the viewer
 * allocates anything for it, with a sentence that says so. */
static char end_message[256];
static void v_disc_msg(rdpshare_viewer *v, enum rdpshare_viewer_reason r, long ext, const char *m,
                       void *ud)
{
	snprintf(end_message, sizeof(end_message), "%s", m);
	v_disc(v, r, ext, m, ud);
}

static void test_too_large(void **state)
{
	(void)state;
	assert_true(rdp_client_size_ok(7680, 4320));
	assert_false(rdp_client_size_ok(6000, 6000));
	assert_false(rdp_client_size_ok(16385, 1));
	assert_false(rdp_client_size_ok(0, 10));
	assert_false(rdp_client_size_ok(65535, 65535));
	struct fixture f;
	struct seen seen = {0};
	open_session_sized(&f, RDPSHARE_CTRL_LEVEL_VIEW, 6000, 6000);
	struct rdpshare_viewer_callbacks cb = vcb;
	cb.disconnected = v_disc_msg;
	rdpshare_viewer *v = NULL;
	assert_int_equal(rdpshare_viewer_create(NULL, &cb, &seen, &v), 0);
	assert_int_equal(rdpshare_viewer_connect(v, f.connstr, "big", "pw"), 0);
	assert_true(pump(f.s, v, 20000, got_end, &seen));
	assert_int_equal(seen.frames, 0);
	assert_int_equal(seen.authenticated, 0);
	assert_int_equal(seen.reason, RDPSHARE_VIEWER_INTERNAL);
	assert_non_null(strstr(end_message, "6000x6000"));
	rdpshare_viewer_destroy(v);
	close_session(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arguments),   cmocka_unit_test(test_picture_bitmap),
	    cmocka_unit_test(test_picture_gfx), cmocka_unit_test(test_control),
	    cmocka_unit_test(test_channel),     cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_reverse),     cmocka_unit_test(test_too_large),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
