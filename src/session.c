/* The session object: lifecycle, shared rect, pause, colour depth,
 * properties, and the dispatch of queued events on the owner thread. */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "capture/capture.h"
#include "capture/clipboard.h"
#include "engine.h"
#include "rdp/server.h"
#include "rdp/tls.h"
#include "session_internal.h"
#include "util/dirs.h"
#include "util/wake.h"

#define DEMO_W 1024
#define DEMO_H 768
#define DEMO_FPS 30

/* The TLS key's directory when the caller names none: never under /tmp
 * (util/dirs.h), so without $XDG_CONFIG_HOME and $HOME it comes from the
 * password database. -ENOENT when there is no home directory at all. */
static int default_config_dir(char **out)
{
	char *pw_dir = NULL;
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (!(xdg && xdg[0] == '/') && !(home && home[0] == '/')) {
		struct passwd pw, *found = NULL;
		char buf[4096];
		if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &found) == 0 && found &&
		    found->pw_dir) {
			pw_dir = strdup(found->pw_dir);
			if (!pw_dir) {
				return -ENOMEM;
			}
		}
	}
	int r = dirs_config(xdg, home, pw_dir, out);
	free(pw_dir);
	return r;
}

static char **copy_list(const char *const *in)
{
	if (!in) {
		return NULL;
	}
	int n = 0;
	while (in[n]) {
		n++;
	}
	char **out = calloc((size_t)n + 1, sizeof(char *));
	for (int i = 0; out && i < n; i++) {
		out[i] = strdup(in[i]);
		if (!out[i]) {
			for (int j = 0; j < i; j++) {
				free(out[j]);
			}
			free(out);
			return NULL;
		}
	}
	return out;
}

static void free_list(char **l, int n)
{
	if (!l) {
		return;
	}
	for (int i = 0; n < 0 ? l[i] != NULL : i < n; i++) {
		free(l[i]);
	}
	free(l);
}

/* The X clipboard got new text: the connection of the clipboard's attendee
 * offers it to its viewer. */
static void clipboard_changed(void *ctx)
{
	rdpshare_session *s = ctx;
	pthread_mutex_lock(&s->lock);
	server_poke_all(s->server);
	pthread_mutex_unlock(&s->lock);
}

static int open_capture(rdpshare_session *s)
{
	char why[512] = "";
	const char *display = s->display;
	if (display && strcmp(display, "demo") == 0) {
		s->config.backend = RDPSHARE_BACKEND_DEMO;
		display = NULL;
	}
	int r = backend_resolve(&s->config, display, &s->backend, why, sizeof(why));
	if (r == RDPSHARE_OK) {
		int w = s->config.demo_width > 0 ? s->config.demo_width : DEMO_W;
		int h = s->config.demo_height > 0 ? s->config.demo_height : DEMO_H;
		r = backend_open(s->backend, display, w, h, DEMO_FPS, clipboard_changed, s,
		                 &s->capture, &s->clipboard, why, sizeof(why));
	}
	if (r != RDPSHARE_OK) {
		return r;
	}
	s->capture->ops->size(s->capture, &s->desk_w, &s->desk_h);
	return RDPSHARE_OK;
}

bool rdpshare_session_has_window_list(const rdpshare_session *s, const char **why)
{
	bool has = s && s->capture && s->capture->ops->windows;
	if (why) {
		const struct capture_ops *ops = s && s->capture ? s->capture->ops : NULL;
		const char *own =
		    !has && ops && ops->why_no_windows ? ops->why_no_windows(s->capture) : NULL;
		*why = has   ? NULL
		       : own ? own
		             : backend_no_windows_why(s ? s->backend : RDPSHARE_BACKEND_AUTO);
	}
	return has;
}

enum rdpshare_backend rdpshare_session_get_backend(const rdpshare_session *s)
{
	return s ? s->backend : RDPSHARE_BACKEND_AUTO;
}

/* The size a caller gave a public struct: at least the size member itself,
 * at most the struct as this library knows it (a newer header's members
 * would be ignored silently otherwise). */
static bool size_known(size_t size, size_t known)
{
	return size >= sizeof(size_t) && size <= known;
}

int rdpshare_session_create(const struct rdpshare_config *config,
                            const struct rdpshare_callbacks *callbacks, void *userdata,
                            rdpshare_session **out)
{
	if (!out) {
		return RDPSHARE_E_INVALIDARG;
	}
	*out = NULL;
	if ((config && !size_known(config->size, sizeof(*config))) ||
	    (callbacks && !size_known(callbacks->size, sizeof(*callbacks)))) {
		return RDPSHARE_E_INVALIDARG;
	}
	rdpshare_session *s = calloc(1, sizeof(*s));
	if (!s) {
		return RDPSHARE_E_NOMEM;
	}
	s->owner = pthread_self();
	s->lock_fd = -1;
	s->dial_stop_fd = -1;
	s->events.efd = -1;
	pthread_mutex_init(&s->lock, NULL);
	/* a caller built against an older header has a shorter struct: read only
	 * its bytes, the members it does not know stay zero (calloc) */
	if (config) {
		memcpy(&s->config, config, config->size);
	}
	if (callbacks) {
		memcpy(&s->cb, callbacks, callbacks->size);
	}
	s->userdata = userdata;
	props_init(&s->props);
	throttle_init(&s->throttle);
	atomic_init(&s->color_depth, 32);
	atomic_init(&s->next_attendee_id, 1);
	int r = RDPSHARE_E_NOMEM;
	if (s->config.config_dir) {
		s->config_dir = strdup(s->config.config_dir);
	} else if (default_config_dir(&s->config_dir) == -ENOENT) {
		r = RDPSHARE_E_TLS; /* no home directory: nowhere to keep the key */
		goto fail;
	}
	s->runtime_dir = s->config.runtime_dir ? strdup(s->config.runtime_dir)
	                                       : dirs_runtime(getenv("XDG_RUNTIME_DIR"),
	                                                      getenv("TMPDIR"), (unsigned)getuid());
	s->display = s->config.display ? strdup(s->config.display) : NULL;
	s->listen_cfg = copy_list(s->config.listen);
	s->af = appfilter_create(s);
	if (!s->config_dir || !s->runtime_dir || (s->config.display && !s->display) ||
	    (s->config.listen && !s->listen_cfg) || !s->af) {
		goto fail;
	}
	/* Pointers into the caller's memory must not outlive this call. */
	s->config.display = NULL;
	s->config.listen = NULL;
	s->config.config_dir = NULL;
	s->config.runtime_dir = NULL;
	r = event_queue_init(&s->events) < 0 ? RDPSHARE_E_IO : RDPSHARE_OK;
	if (r == RDPSHARE_OK) {
		r = instance_lock_take(s->runtime_dir, &s->lock_fd);
	}
	if (r == RDPSHARE_OK) {
		r = open_capture(s);
	}
	if (r != RDPSHARE_OK) {
		goto fail;
	}
	s->rect_l = s->rect_t = 0;
	s->rect_r = s->desk_w;
	s->rect_b = s->desk_h;
	*out = s;
	return RDPSHARE_OK;
fail:
	rdpshare_session_destroy(s);
	return r;
}

static void unlist_all(rdpshare_session *s)
{
	for (int i = 0; i < s->n_attendees; i++) {
		s->attendees[i]->listed = false;
		attendee_unref(s->attendees[i]);
	}
	free(s->attendees);
	s->attendees = NULL;
	s->n_attendees = 0;
}

int rdpshare_session_close(rdpshare_session *s)
{
	if (!s) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (s->state != SESSION_OPEN) {
		s->state = SESSION_CLOSED;
		return RDPSHARE_OK;
	}
	pthread_mutex_lock(&s->lock);
	s->state = SESSION_CLOSED; /* admissions from now on are refused */
	struct server *srv = s->server;
	s->server = NULL; /* the clipboard thread looks at it under the lock */
	pthread_mutex_unlock(&s->lock);
	reverse_connect_stop_all(s); /* dials hand sockets to the server */
	server_stop(srv);
	engine_stop(s->engine);
	s->engine = NULL;
	/* The original raises nothing for attendees dropped by Close: the
	 * sharer already knows. Queued attendee news is moot now too. */
	struct event *ev = event_queue_take_all(&s->events), *keep = NULL, **tail = &keep;
	while (ev) {
		struct event *next = ev->next;
		ev->next = NULL;
		if (ev->attendee) {
			event_free(ev);
		} else {
			*tail = ev;
			tail = &ev->next;
		}
		ev = next;
	}
	while (keep) {
		struct event *next = keep->next;
		keep->next = NULL;
		event_queue_push(&s->events, keep);
		keep = next;
	}
	unlist_all(s);
	free_list(s->listen_addrs, s->n_listen_addrs);
	s->listen_addrs = NULL;
	s->n_listen_addrs = 0;
	/* Closed is final; the login session may start a new sharing session. */
	instance_lock_release(s->lock_fd);
	s->lock_fd = -1;
	atomic_store(&s->stop_run, true);
	return RDPSHARE_OK;
}

void rdpshare_session_destroy(rdpshare_session *s)
{
	if (!s) {
		return;
	}
	if (s->state == SESSION_OPEN && pthread_equal(pthread_self(), s->owner)) {
		rdpshare_session_close(s);
	} else if (s->state == SESSION_OPEN) {
		/* Wrong thread: still release everything rather than leak threads. */
		s->owner = pthread_self();
		rdpshare_session_close(s);
	}
	clipboard_close(s->clipboard);
	if (s->capture) {
		s->capture->ops->destroy(s->capture);
	}
	unlist_all(s);
	appfilter_destroy(s->af);
	if (s->events.efd >= 0) {
		event_queue_fini(&s->events);
	}
	for (int i = 0; i < s->n_invitations; i++) {
		invitation_free(s->invitations[i]);
	}
	free(s->invitations);
	for (int i = 0; i < s->n_channels; i++) {
		channel_free(s->channels[i]);
	}
	free_list(s->listen_addrs, s->n_listen_addrs);
	free_list(s->listen_cfg, -1);
	instance_lock_release(s->lock_fd);
	tls_identity_clear(&s->tls);
	free(s->key_hash);
	free(s->config_dir);
	free(s->runtime_dir);
	free(s->display);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

const char *rdpshare_session_get_config_dir(const rdpshare_session *s)
{
	return s ? s->config_dir : NULL;
}

const char *rdpshare_session_get_certificate_fingerprint(const rdpshare_session *s)
{
	return s ? s->tls.cert_sha256 : NULL;
}

static struct tls_identity *identity_of(rdpshare_session *s);

/* ---- what the engine reports (on the engine thread: queue it, never call
 * back into the engine) ---- */

static void engine_windows_changed(void *ctx, const struct cap_window *w, int n)
{
	rdpshare_session *s = ctx;
	appfilter_post_windows(s->af, w, n);
}

/* An unset shared rect follows the desktop (with a shared_rect_changed
 * event), as the engine's does; a set one stays (clipped when used). */
static void engine_desktop_resized(void *ctx, int w, int h)
{
	rdpshare_session *s = ctx;
	pthread_mutex_lock(&s->lock);
	s->desk_w = w;
	s->desk_h = h;
	bool follows = !s->rect_set; /* the whole desktop is shared: it is the new size */
	if (follows) {
		s->rect_l = s->rect_t = 0;
		s->rect_r = w;
		s->rect_b = h;
	}
	pthread_mutex_unlock(&s->lock);
	struct event *ev = follows ? event_new(EV_RECT_CHANGED) : NULL;
	if (ev) {
		ev->i3 = w;
		ev->i4 = h;
		event_queue_push(&s->events, ev);
	}
}

static void engine_error(void *ctx, int code, const char *message)
{
	session_post_error(ctx, code, message);
}

/* Start the engine with what the session decided so far. */
static int start_engine(rdpshare_session *s)
{
	const struct engine_listener listener = {
	    .ctx = s,
	    .windows_changed = engine_windows_changed,
	    .desktop_resized = engine_desktop_resized,
	    .error = engine_error,
	};
	int r = engine_start(s->capture, &listener, &s->engine);
	if (r != RDPSHARE_OK) {
		return r;
	}
	pthread_mutex_lock(&s->lock);
	bool set = s->rect_set;
	struct cap_rect rect = {s->rect_l, s->rect_t, s->rect_r - s->rect_l, s->rect_b - s->rect_t};
	pthread_mutex_unlock(&s->lock);
	if (set) {
		engine_set_rect(s->engine, &rect);
	}
	engine_set_paused(s->engine, atomic_load(&s->paused));
	engine_set_interval(s->engine, (int)props_get(&s->props, PROP_FRAME_CAPTURE_INTERVAL));
	appfilter_push(s->af); /* the filter holds before the first viewer can come */
	return RDPSHARE_OK;
}

int rdpshare_session_open(rdpshare_session *s)
{
	if (!s) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (s->state == SESSION_OPEN) {
		return RDPSHARE_E_ALREADY_OPEN;
	}
	if (s->state == SESSION_CLOSED) {
		return RDPSHARE_E_CLOSED;
	}
	struct tls_identity *id = identity_of(s);
	tls_identity_clear(id);
	int r = tls_identity_load(s->config_dir, id);
	if (r != RDPSHARE_OK) {
		return r;
	}
	free(s->key_hash);
	s->key_hash = strdup(id->key_hash);
	if (!s->key_hash) {
		return RDPSHARE_E_NOMEM;
	}
	r = start_engine(s);
	if (r != RDPSHARE_OK) {
		return r;
	}
	pthread_mutex_lock(&s->lock);
	s->state = SESSION_OPEN; /* before the first accept can arrive */
	pthread_mutex_unlock(&s->lock);
	struct server *srv = NULL;
	s->rdp_host = (struct rdp_host){.ops = &session_host_ops, .ctx = s};
	const struct server_config cfg = {
	    .listen = s->listen_cfg,
	    .port_id = (int)props_get(&s->props, PROP_PORT_ID),
	    .port_protocol = (int)props_get(&s->props, PROP_PORT_PROTOCOL),
	};
	r = server_start(&s->rdp_host, &cfg, s->engine, id, &srv, &s->listen_addrs,
	                 &s->n_listen_addrs);
	pthread_mutex_lock(&s->lock);
	s->server = srv;
	pthread_mutex_unlock(&s->lock);
	if (r != RDPSHARE_OK) {
		pthread_mutex_lock(&s->lock);
		s->state = SESSION_CREATED;
		pthread_mutex_unlock(&s->lock);
		engine_stop(s->engine);
		s->engine = NULL;
		return r;
	}
	atomic_store(&s->stop_run, false);
	return RDPSHARE_OK;
}

/* The identity lives as long as the session; connections read its paths. */
static struct tls_identity *identity_of(rdpshare_session *s)
{
	return &s->tls;
}

static void push_simple(rdpshare_session *s, enum event_type type)
{
	struct event *ev = event_new(type);
	if (ev) {
		event_queue_push(&s->events, ev);
	}
}

int rdpshare_session_pause(rdpshare_session *s)
{
	if (!s) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (s->state == SESSION_CLOSED) {
		return RDPSHARE_E_CLOSED;
	}
	if (!atomic_exchange(&s->paused, true)) {
		if (s->engine) {
			engine_set_paused(s->engine, true);
		}
		push_simple(s, EV_PAUSED);
		server_poke_all(s->server); /* viewers hear of it on the multiparty channel */
	}
	return RDPSHARE_OK;
}

int rdpshare_session_resume(rdpshare_session *s)
{
	if (!s) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (s->state == SESSION_CLOSED) {
		return RDPSHARE_E_CLOSED;
	}
	if (atomic_exchange(&s->paused, false)) {
		server_poke_all(s->server);
		if (s->engine) {
			engine_set_paused(s->engine, false);
			engine_refresh(s->engine);
		}
		server_poke_all(s->server);
		push_simple(s, EV_RESUMED);
	}
	return RDPSHARE_OK;
}

bool rdpshare_session_is_paused(const rdpshare_session *s)
{
	return s && atomic_load(&((rdpshare_session *)s)->paused);
}

int rdpshare_session_set_shared_rect(rdpshare_session *s, int left, int top, int right, int bottom)
{
	if (!s) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (s->state == SESSION_CLOSED) {
		return RDPSHARE_E_CLOSED;
	}
	pthread_mutex_lock(&s->lock);
	bool outside = left < 0 || top < 0 || right <= left || bottom <= top || right > s->desk_w ||
	               bottom > s->desk_h;
	if (outside) {
		pthread_mutex_unlock(&s->lock);
		return RDPSHARE_E_INVALIDARG;
	}
	s->rect_set = true;
	s->rect_l = left;
	s->rect_t = top;
	s->rect_r = right;
	s->rect_b = bottom;
	pthread_mutex_unlock(&s->lock);
	if (s->engine) {
		engine_set_rect(s->engine,
		                &(struct cap_rect){left, top, right - left, bottom - top});
	}
	appfilter_refresh_viewers(s->af); /* titles outside the new rect are withdrawn */
	struct event *ev = event_new(EV_RECT_CHANGED);
	if (ev) {
		ev->i1 = left;
		ev->i2 = top;
		ev->i3 = right;
		ev->i4 = bottom;
		event_queue_push(&s->events, ev);
	}
	return RDPSHARE_OK;
}

int rdpshare_session_get_shared_rect(rdpshare_session *s, int *left, int *top, int *right,
                                     int *bottom)
{
	if (!s || !left || !top || !right || !bottom) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	session_get_rect(s, left, top, right, bottom);
	return RDPSHARE_OK;
}

void session_get_rect(rdpshare_session *s, int *l, int *t, int *r, int *b)
{
	pthread_mutex_lock(&s->lock);
	*l = s->rect_l;
	*t = s->rect_t;
	*r = s->rect_r;
	*b = s->rect_b;
	pthread_mutex_unlock(&s->lock);
}

int rdpshare_session_set_color_depth(rdpshare_session *s, int bpp)
{
	if (!s) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (bpp != 8 && bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (s->state == SESSION_CLOSED) {
		return RDPSHARE_E_CLOSED;
	}
	/* 8 bpp needs a palette PDU, and FreeRDP's server side (2.11 and 3.10
	 * alike) has no way to send one (clients would paint every pixel black); the original's
	 * viewer maps 8 to 16 the same way (RequestColorDepthChange). */
	if (bpp == 8) {
		bpp = 16;
	}
	if (atomic_exchange(&s->color_depth, bpp) != bpp) {
		server_poke_all(s->server);
	}
	return RDPSHARE_OK;
}

int rdpshare_session_get_frame_buffer_info(rdpshare_session *s, int *width, int *height, int *bpp)
{
	if (!s || !width || !height || !bpp) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (s->state != SESSION_OPEN) {
		return s->state == SESSION_CLOSED ? RDPSHARE_E_CLOSED : RDPSHARE_E_NOT_OPEN;
	}
	int l, t, r, b;
	session_get_rect(s, &l, &t, &r, &b);
	*width = r - l;
	*height = b - t;
	*bpp = 32;
	return RDPSHARE_OK;
}

int rdpshare_session_get_frame_buffer_bits(rdpshare_session *s, int x, int y, int width, int height,
                                           unsigned char *out, int stride)
{
	if (!s || !out || width <= 0 || width > 65535 || stride < width * 4) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (s->state != SESSION_OPEN) {
		return s->state == SESSION_CLOSED ? RDPSHARE_E_CLOSED : RDPSHARE_E_NOT_OPEN;
	}
	return engine_snapshot(s->engine, x, y, width, height, out, stride);
}

int rdpshare_session_get_color_depth(rdpshare_session *s, int *bpp)
{
	if (!s || !bpp) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	*bpp = atomic_load(&s->color_depth);
	return RDPSHARE_OK;
}

int rdpshare_session_set_property(rdpshare_session *s, const char *name, long value)
{
	if (!s || !name) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (s->state == SESSION_CLOSED) {
		return RDPSHARE_E_CLOSED;
	}
	int id = props_find(name);
	if (id < 0) {
		return RDPSHARE_E_NOT_FOUND;
	}
	int r = props_set(&s->props, id, value, s->state == SESSION_OPEN);
	if (r == RDPSHARE_OK && id == PROP_BACKGROUND_COLOR) {
		appfilter_push(s->af);
	}
	if (r == RDPSHARE_OK && id == PROP_FRAME_CAPTURE_INTERVAL && s->engine) {
		engine_set_interval(s->engine, (int)value);
	}
	if (r == RDPSHARE_OK) {
		server_poke_all(s->server); /* connections act on it now */
	}
	return r;
}

int rdpshare_session_get_property(rdpshare_session *s, const char *name, long *value)
{
	if (!s || !name || !value) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	int id = props_find(name);
	if (id < 0) {
		return RDPSHARE_E_NOT_FOUND;
	}
	*value = props_get(&s->props, id);
	return RDPSHARE_OK;
}

int rdpshare_session_listen_addresses(rdpshare_session *s, const char **addrs, int max)
{
	if (!s || (!addrs && max > 0)) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	int n = 0;
	for (; n < s->n_listen_addrs && n < max; n++) {
		addrs[n] = s->listen_addrs[n];
	}
	return n;
}

/* ---- attendees on the owner thread ---- */

int rdpshare_session_attendee_count(rdpshare_session *s)
{
	if (!s) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	return s->n_attendees;
}

rdpshare_attendee *rdpshare_session_attendee_at(rdpshare_session *s, int index)
{
	if (!s || !pthread_equal(pthread_self(), s->owner) || index < 0 ||
	    index >= s->n_attendees) {
		return NULL;
	}
	return s->attendees[index];
}

static bool list_add(rdpshare_session *s, rdpshare_attendee *a)
{
	rdpshare_attendee **grown =
	    // NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
	    realloc(s->attendees, sizeof(*grown) * (size_t)(s->n_attendees + 1));
	if (!grown) {
		return false;
	}
	s->attendees = grown;
	attendee_ref(a);
	a->listed = true;
	s->attendees[s->n_attendees++] = a;
	return true;
}

static void list_remove(rdpshare_session *s, rdpshare_attendee *a)
{
	for (int i = 0; i < s->n_attendees; i++) {
		if (s->attendees[i] == a) {
			memmove(&s->attendees[i], &s->attendees[i + 1],
			        // NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
			        sizeof(*s->attendees) * (size_t)(s->n_attendees - i - 1));
			s->n_attendees--;
			a->listed = false;
			attendee_unref(a);
			return;
		}
	}
}

static void deliver(rdpshare_session *s, struct event *ev)
{
	const struct rdpshare_callbacks *cb = &s->cb;
	rdpshare_attendee *a = ev->attendee;
	switch (ev->type) {
	case EV_ATTENDEE_CONNECTED:
		if (a && list_add(s, a) && cb->attendee_connected) {
			cb->attendee_connected(s, a, s->userdata);
		}
		break;
	case EV_ATTENDEE_DISCONNECTED:
		if (a && a->listed) {
			if (cb->attendee_disconnected) {
				cb->attendee_disconnected(s, a,
				                          (enum rdpshare_disconnect_reason)ev->i1,
				                          ev->i2, s->userdata);
			}
			list_remove(s, a);
		}
		break;
	case EV_ATTENDEE_UPDATE:
		if (a && a->listed && cb->attendee_update) {
			cb->attendee_update(s, a, s->userdata);
		}
		break;
	case EV_ATTENDEE_REFUSED:
		if (cb->attendee_refused) {
			cb->attendee_refused(s, (enum rdpshare_refusal)ev->i1, ev->s1, ev->s2,
			                     s->userdata);
		}
		break;
	case EV_CONTROL_REQUEST:
		if (a && a->listed && attendee_note_request(s, a, ev->i1) &&
		    cb->control_level_change_request) {
			cb->control_level_change_request(s, a, (enum rdpshare_ctrl_level)ev->i1,
			                                 s->userdata);
		}
		break;
	case EV_PAUSED:
		if (cb->graphics_stream_paused) {
			cb->graphics_stream_paused(s, s->userdata);
		}
		break;
	case EV_RESUMED:
		if (cb->graphics_stream_resumed) {
			cb->graphics_stream_resumed(s, s->userdata);
		}
		break;
	case EV_RECT_CHANGED:
		appfilter_refresh_viewers(s->af); /* a rect that follows the desktop moved */
		if (cb->shared_rect_changed) {
			cb->shared_rect_changed(s, ev->i1, ev->i2, ev->i3, ev->i4, s->userdata);
		}
		break;
	case EV_ERROR:
		if (cb->error) {
			cb->error(s, ev->i1, ev->s1 ? ev->s1 : "", s->userdata);
		}
		break;
	case EV_CONNECTION_FAILED:
		if (cb->connection_failed) {
			cb->connection_failed(s, ev->s1 ? ev->s1 : "", s->userdata);
		}
		break;
	case EV_CHANNEL_JOINED:
		if (a && a->listed && cb->channel_joined) {
			cb->channel_joined(s, ev->channel, a, s->userdata);
		}
		break;
	case EV_CHANNEL_LEFT:
		if (a && a->listed && cb->channel_left) {
			cb->channel_left(s, ev->channel, a, s->userdata);
		}
		break;
	case EV_CHANNEL_DATA:
		if (a && a->listed && cb->channel_data) {
			cb->channel_data(s, ev->channel, a, ev->data, ev->len, s->userdata);
		}
		break;
	case EV_CHANNEL_SENT:
		if (a && a->listed && cb->channel_send_completed) {
			cb->channel_send_completed(s, ev->channel, a, ev->len, s->userdata);
		}
		break;
	case EV_WINDOWS:
		appfilter_take_windows(s->af);
		break;
	case EV_APP_UPDATE: {
		rdpshare_app *app = rdpshare_session_find_app(s, (uint32_t)ev->i1);
		if (app && cb->application_update) {
			cb->application_update(s, app, s->userdata);
		}
		break;
	}
	case EV_WINDOW_UPDATE: {
		rdpshare_window *w = rdpshare_session_find_window(s, (uint32_t)ev->i1);
		if (w && cb->window_update) {
			cb->window_update(s, w, s->userdata);
		}
		break;
	}
	case EV_FILTER_UPDATED:
		if (cb->filter_updated) {
			cb->filter_updated(s, ev->i1 != 0, s->userdata);
		}
		break;
	case EV_THROTTLED:
		if (cb->auth_throttled) {
			cb->auth_throttled(s, ev->s1, ev->i1, s->userdata);
		}
		break;
	default: /* a viewer's (viewer_dispatch.c): never queued on a session */
		break;
	}
}

int rdpshare_session_get_fd(const rdpshare_session *s)
{
	return s ? s->events.efd : RDPSHARE_E_INVALIDARG;
}

int rdpshare_session_dispatch(rdpshare_session *s)
{
	if (!s) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	int n = 0;
	struct event *ev = event_queue_take_all(&s->events);
	while (ev) {
		struct event *next = ev->next;
		deliver(s, ev);
		event_free(ev);
		n++;
		ev = next;
	}
	return n;
}

int rdpshare_session_run(rdpshare_session *s)
{
	if (!s) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	while (!atomic_load(&s->stop_run)) {
		struct pollfd pfd = {s->events.efd, POLLIN, 0};
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
			return RDPSHARE_E_IO;
		}
		int r = rdpshare_session_dispatch(s);
		if (r < 0) {
			return r;
		}
	}
	atomic_store(&s->stop_run, false);
	return RDPSHARE_OK;
}

void rdpshare_session_stop(rdpshare_session *s)
{
	if (!s) {
		return;
	}
	atomic_store(&s->stop_run, true);
	/* async-signal-safe; the fd wakes run()'s poll */
	util_wake_poke(s->events.efd);
}

int rdpshare_session_connect_to_client(rdpshare_session *s, const char *connection_string)
{
	if (!s || !connection_string) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (s->state != SESSION_OPEN) {
		return s->state == SESSION_CLOSED ? RDPSHARE_E_CLOSED : RDPSHARE_E_NOT_OPEN;
	}
	return reverse_connect_start(s, connection_string);
}

int rdpshare_session_connect_using_transport(rdpshare_session *s, int fd)
{
	if (!s || fd < 0) {
		if (fd >= 0) {
			close(fd);
		}
		return RDPSHARE_E_INVALIDARG;
	}
	if (!pthread_equal(pthread_self(), s->owner) || s->state != SESSION_OPEN) {
		int r = !pthread_equal(pthread_self(), s->owner) ? RDPSHARE_E_WRONG_THREAD
		        : s->state == SESSION_CLOSED             ? RDPSHARE_E_CLOSED
		                                                 : RDPSHARE_E_NOT_OPEN;
		close(fd); /* ours from the call on, as documented */
		return r;
	}
	return server_adopt(s->server, fd);
}
