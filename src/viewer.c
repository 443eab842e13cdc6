/* rdpshare_viewer: the viewer object (IRDPSRAPIViewer, IRDPViewerInputSink)
 * on the owner thread: configuration, the public calls, and dispatch, which
 * delivers the network thread's events in order and keeps the frame buffer
 * the application reads. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdp/encomsp.h"
#include "util/knownhosts.h"
#include "util/text.h"
#include "util/wake.h"
#include "viewer_internal.h"

#define OWNER_OR(v, fail)                                                                          \
	do {                                                                                       \
		if (!(v)) {                                                                        \
			return RDPSHARE_E_INVALIDARG;                                              \
		}                                                                                  \
		if (!pthread_equal(pthread_self(), (v)->owner)) {                                  \
			return fail;                                                               \
		}                                                                                  \
	} while (0)
#define OWNER(v) OWNER_OR(v, RDPSHARE_E_WRONG_THREAD)

static bool channel_name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > RDPSHARE_CHANNEL_MAX_NAME) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] <= ' ' || s[i] > '~') {
			return false;
		}
	}
	return true;
}

static int copy_config(rdpshare_viewer *v, const struct rdpshare_viewer_config *c,
                       struct rdp_client_options *o)
{
	o->color_depth = 32;
	if (!c) {
		return RDPSHARE_OK;
	}
	if (c->size < sizeof(size_t) || c->size > sizeof(*c)) {
		return RDPSHARE_E_INVALIDARG;
	}
	struct rdpshare_viewer_config cfg = {0};
	memcpy(&cfg, c, c->size);
	if (cfg.kh && !knownhosts_valid_kh(cfg.kh)) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (cfg.color_depth != 0 && cfg.color_depth != 16 && cfg.color_depth != 24 &&
	    cfg.color_depth != 32) {
		return RDPSHARE_E_INVALIDARG;
	}
	o->color_depth = cfg.color_depth ? cfg.color_depth : 32;
	o->gfx = cfg.graphics_pipeline;
	o->remotefx = cfg.remotefx;
	v->insecure = cfg.insecure;
	if ((cfg.kh && !(v->kh = strdup(cfg.kh))) ||
	    (cfg.known_hosts && !(v->known_hosts = strdup(cfg.known_hosts)))) {
		return RDPSHARE_E_NOMEM;
	}
	for (int i = 0; cfg.channels && cfg.channels[i]; i++) {
		if (i == RDP_CLIENT_MAX_CHANNELS || !channel_name_ok(cfg.channels[i])) {
			return RDPSHARE_E_INVALIDARG;
		}
		for (int k = 0; k < i; k++) {
			if (strcmp(cfg.channels[k], cfg.channels[i]) == 0) {
				return RDPSHARE_E_INVALIDARG;
			}
		}
		if (!(v->channels[i] = strdup(cfg.channels[i]))) {
			return RDPSHARE_E_NOMEM;
		}
		o->channels[i] = v->channels[i];
		o->n_channels = v->n_channels = i + 1;
	}
	return RDPSHARE_OK;
}

int rdpshare_viewer_create(const struct rdpshare_viewer_config *config,
                           const struct rdpshare_viewer_callbacks *callbacks, void *userdata,
                           rdpshare_viewer **out)
{
	if (!out || (callbacks &&
	             (callbacks->size < sizeof(size_t) || callbacks->size > sizeof(*callbacks)))) {
		return RDPSHARE_E_INVALIDARG;
	}
	*out = NULL;
	rdpshare_viewer *v = calloc(1, sizeof(*v));
	if (!v) {
		return RDPSHARE_E_NOMEM;
	}
	v->owner = pthread_self();
	v->ud = userdata;
	v->self_id = -1;
	v->q.efd = v->stop_fd = -1;
	pthread_mutex_init(&v->lock, NULL);
	if (callbacks) {
		memcpy(&v->cb, callbacks, callbacks->size);
	}
	struct rdp_client_options o = {0};
	int r = copy_config(v, config, &o);
	if (r == 0) {
		r = event_queue_init(&v->q) < 0 ? RDPSHARE_E_IO : RDPSHARE_OK;
	}
	if (r == 0 && (v->stop_fd = util_wake_create()) < 0) {
		r = RDPSHARE_E_IO;
	}
	struct rdp_client_listener l = viewer_listener_proto;
	l.ctx = v;
	if (r == 0 && !(v->client = rdp_client_new(&l, &o))) {
		r = RDPSHARE_E_NOMEM;
	}
	if (r != 0) {
		rdpshare_viewer_destroy(v);
		return r;
	}
	*out = v;
	return RDPSHARE_OK;
}

/* Wait for the network thread and forget its connection. */
void viewer_join_net(rdpshare_viewer *v)
{
	if (!v->busy) {
		return;
	}
	pthread_join(v->thread, NULL);
	viewer_job_free(v->job);
	v->job = NULL;
	v->busy = false;
	v->authenticated = false;
}

void rdpshare_viewer_destroy(rdpshare_viewer *v)
{
	if (!v) {
		return;
	}
	if (v->busy) {
		rdp_client_stop(v->client);
		util_wake_poke(v->stop_fd);
		viewer_join_net(v);
	}
	rdp_client_free(v->client);
	if (v->q.efd >= 0) {
		event_queue_fini(&v->q);
	}
	if (v->stop_fd >= 0) {
		close(v->stop_fd);
	}
	viewer_lists_clear(v);
	for (int i = 0; i < v->n_channels; i++) {
		free(v->channels[i]);
	}
	free(v->kh);
	free(v->known_hosts);
	free(v->stage);
	free(v->front);
	pthread_mutex_destroy(&v->lock);
	free(v);
}

static int fill_job(struct viewer_job *j, const char *name, const char *password)
{
	if (!name) {
		const char *user = getenv("USER");
		name = user && user[0] ? user : "viewer";
	}
	/* the name goes as given (the sharer escapes what it shows): a
	 * friendly name is the user's business, and tests send hostile ones */
	if (!password || !name[0] || strlen(name) > VIEWER_MAX_NAME ||
	    strlen(password) > VIEWER_MAX_NAME) {
		return RDPSHARE_E_INVALIDARG;
	}
	j->name = strdup(name);
	j->password = strdup(password);
	return j->name && j->password ? RDPSHARE_OK : RDPSHARE_E_NOMEM;
}

static int begin(rdpshare_viewer *v, struct viewer_job *j, const char *name, const char *password)
{
	int r = fill_job(j, name, password);
	if (r != 0) {
		viewer_job_free(j);
		return r;
	}
	viewer_lists_clear(v);
	v->job = j;
	return viewer_start(v);
}

int rdpshare_viewer_connect(rdpshare_viewer *v, const char *target, const char *name,
                            const char *password)
{
	OWNER(v);
	if (!target) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (v->busy) {
		return RDPSHARE_E_UNEXPECTED;
	}
	struct viewer_job *j = NULL;
	int r = viewer_job_for_target(v, target, &j);
	return r ? r : begin(v, j, name, password);
}

int rdpshare_viewer_start_reverse_connect_listener(rdpshare_viewer *v, const char *invitation,
                                                   const char *name, const char *password,
                                                   const char *address, int timeout_ms,
                                                   char **reverse_string)
{
	OWNER(v);
	if (!address || !reverse_string || timeout_ms < 0) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (v->busy) {
		return RDPSHARE_E_UNEXPECTED;
	}
	*reverse_string = NULL;
	struct viewer_job *j = NULL;
	int r = RDPSHARE_OK;
	if (invitation) {
		r = viewer_job_for_target(v, invitation, &j);
		if (r == 0 && !j->expect_kh && !v->insecure) {
			r = RDPSHARE_E_INVALIDARG; /* an invitation without KH pins nothing */
		}
	} else if (!v->kh && !v->insecure) {
		/* a caller has no name to record a key under, and the first one
		 * would be trusted: known-hosts cannot serve here */
		r = RDPSHARE_E_INVALIDARG;
	} else if (!(j = calloc(1, sizeof(*j)))) {
		r = RDPSHARE_E_NOMEM;
	} else {
		j->expect_kh = v->kh ? strdup(v->kh) : NULL;
		j->expect_from = "pinned";
		j->insecure = v->insecure;
		r = v->kh && !j->expect_kh ? RDPSHARE_E_NOMEM : RDPSHARE_OK;
	}
	if (r == 0) {
		j->listen_fd = -1;
		j->known_hosts = false;
		j->timeout_ms = timeout_ms;
		r = viewer_listen(address, &j->listen_fd, reverse_string);
	}
	if (r != 0) {
		viewer_job_free(j);
		return r;
	}
	r = begin(v, j, name, password);
	if (r != 0) {
		free(*reverse_string);
		*reverse_string = NULL;
	}
	return r;
}

int rdpshare_viewer_disconnect(rdpshare_viewer *v)
{
	OWNER(v);
	if (v->busy) {
		rdp_client_stop(v->client);
		util_wake_poke(v->stop_fd);
	}
	return RDPSHARE_OK;
}

bool rdpshare_viewer_is_connected(const rdpshare_viewer *v)
{
	return v && v->authenticated;
}

int rdpshare_viewer_get_frame(rdpshare_viewer *v, struct rdpshare_viewer_frame *out)
{
	OWNER(v);
	if (!out) {
		return RDPSHARE_E_INVALIDARG;
	}
	*out = (struct rdpshare_viewer_frame){
	    v->front, v->fw, v->fh, v->fw * 4, v->front_updates, v->front_arrived_us};
	return RDPSHARE_OK;
}

/* ---- control and input ---- */

int rdpshare_viewer_request_control(rdpshare_viewer *v, enum rdpshare_ctrl_level level)
{
	OWNER(v);
	if (level != RDPSHARE_CTRL_LEVEL_NONE && level != RDPSHARE_CTRL_LEVEL_VIEW &&
	    level != RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		return RDPSHARE_E_INVALIDARG;
	}
	uint16_t flags = level == RDPSHARE_CTRL_LEVEL_INTERACTIVE
	                     ? ENCOMSP_REQUEST_VIEW | ENCOMSP_REQUEST_INTERACT
	                 : level == RDPSHARE_CTRL_LEVEL_VIEW ? ENCOMSP_REQUEST_VIEW
	                                                     : 0;
	struct encomsp_buf b = {0};
	encomsp_ctrl_change(&b, flags, v->self_id > 0 ? (uint32_t)v->self_id : 0);
	int r = b.failed ? RDPSHARE_E_NOMEM : rdpshare_viewer_debug_send_multiparty(v, b.p, b.len);
	encomsp_buf_free(&b);
	return r;
}

enum rdpshare_ctrl_level rdpshare_viewer_get_control_level(const rdpshare_viewer *v)
{
	return v ? v->level : RDPSHARE_CTRL_LEVEL_INVALID;
}

int rdpshare_viewer_get_attendee_id(const rdpshare_viewer *v)
{
	return v ? v->self_id : -1;
}

bool rdpshare_viewer_is_paused(const rdpshare_viewer *v)
{
	return v && v->paused;
}

int rdpshare_viewer_debug_send_multiparty(rdpshare_viewer *v, const void *data, size_t len)
{
	OWNER(v);
	if (!data || len == 0 || len > (1u << 20)) {
		return RDPSHARE_E_INVALIDARG;
	}
	struct rdp_client_cmd in = {.kind = RDP_IN_MULTIPARTY, .len = len, .data = malloc(len)};
	if (!in.data) {
		return RDPSHARE_E_NOMEM;
	}
	memcpy(in.data, data, len);
	int r = rdp_client_queue(v->client, &in);
	if (r != 0) {
		free(in.data);
	}
	return r;
}

static int send_input(rdpshare_viewer *v, const struct rdp_client_cmd *in)
{
	OWNER(v);
	if (!v->authenticated) {
		return RDPSHARE_E_PENDING;
	}
	if (v->level != RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		return RDPSHARE_E_DENIED;
	}
	return rdp_client_queue(v->client, in);
}

int rdpshare_viewer_send_mouse_move(rdpshare_viewer *v, int x, int y)
{
	return send_input(v, &(struct rdp_client_cmd){.kind = RDP_IN_MOVE, .x = x, .y = y});
}

int rdpshare_viewer_send_mouse_button(rdpshare_viewer *v, enum rdpshare_mouse_button button,
                                      bool down, int x, int y)
{
	if ((int)button < RDPSHARE_MOUSE_BUTTON1 || button > RDPSHARE_MOUSE_XBUTTON3) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (button == RDPSHARE_MOUSE_XBUTTON3) {
		return RDPSHARE_E_UNSUPPORTED;
	}
	return send_input(
	    v, &(struct rdp_client_cmd){
	           .kind = RDP_IN_BUTTON, .button = button, .down = down, .x = x, .y = y});
}

int rdpshare_viewer_send_mouse_wheel(rdpshare_viewer *v, int rotation, bool horizontal)
{
	if (rotation < -32768 || rotation > 32767) {
		return RDPSHARE_E_INVALIDARG;
	}
	return send_input(v, &(struct rdp_client_cmd){.kind = RDP_IN_WHEEL,
	                                              .value = rotation,
	                                              .horizontal = horizontal});
}

int rdpshare_viewer_send_keyboard(rdpshare_viewer *v, enum rdpshare_kbd_code_type type,
                                  unsigned code, bool up, bool repeat, bool extended)
{
	if ((type == RDPSHARE_KBD_CODE_SCANCODE && (code == 0 || code > 0x7f)) ||
	    (type == RDPSHARE_KBD_CODE_UNICODE && code > 0xFFFF) ||
	    (type != RDPSHARE_KBD_CODE_SCANCODE && type != RDPSHARE_KBD_CODE_UNICODE)) {
		return RDPSHARE_E_INVALIDARG;
	}
	return send_input(v, &(struct rdp_client_cmd){.kind = type == RDPSHARE_KBD_CODE_SCANCODE
	                                                          ? RDP_IN_SCANCODE
	                                                          : RDP_IN_UNICODE,
	                                              .code = code,
	                                              .up = up,
	                                              .repeat = repeat,
	                                              .extended = extended});
}

int rdpshare_viewer_send_sync(rdpshare_viewer *v, unsigned flags)
{
	if (flags > 15) {
		return RDPSHARE_E_INVALIDARG;
	}
	return send_input(v, &(struct rdp_client_cmd){.kind = RDP_IN_SYNC, .value = (int)flags});
}

int rdpshare_viewer_release_focus(rdpshare_viewer *v, int direction)
{
	OWNER(v);
	if (direction != -1 && direction != 1) {
		return RDPSHARE_E_INVALIDARG;
	}
	struct event *ev = event_new(EV_V_FOCUS);
	if (!ev) {
		return RDPSHARE_E_NOMEM;
	}
	ev->i1 = direction;
	viewer_post(v, ev);
	return RDPSHARE_OK;
}

int rdpshare_viewer_show_window(rdpshare_viewer *v, long window_id)
{
	OWNER(v);
	int i = 0;
	while (i < v->windows.n && v->windows.items[i].id != window_id) {
		i++;
	}
	if (i == v->windows.n) {
		return RDPSHARE_E_NOT_FOUND;
	}
	if (v->level != RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		return RDPSHARE_E_DENIED;
	}
	struct encomsp_buf b = {0};
	encomsp_wnd_show(&b, (uint32_t)window_id);
	int r = b.failed ? RDPSHARE_E_NOMEM : rdpshare_viewer_debug_send_multiparty(v, b.p, b.len);
	encomsp_buf_free(&b);
	return r;
}

/* ---- channels ---- */

static int channel_index(const rdpshare_viewer *v, const char *name)
{
	for (int i = 0; name && i < v->n_channels; i++) {
		if (strcmp(v->channels[i], name) == 0) {
			return i;
		}
	}
	return -1;
}

int rdpshare_viewer_channel_send(rdpshare_viewer *v, const char *name, const void *data, size_t len,
                                 int attendee_id, unsigned flags)
{
	OWNER(v);
	size_t max = (flags & RDPSHARE_CHANNEL_FLAGS_LEGACY) ? RDPSHARE_CHANNEL_MAX_MESSAGE_LEGACY
	                                                     : RDPSHARE_CHANNEL_MAX_MESSAGE;
	if (!data || len == 0 || len > max ||
	    (flags &
	     ~(unsigned)(RDPSHARE_CHANNEL_FLAGS_LEGACY | RDPSHARE_CHANNEL_FLAGS_UNCOMPRESSED))) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (attendee_id != RDPSHARE_ATTENDEE_ID_HOST) {
		return RDPSHARE_E_UNSUPPORTED; /* the wire carries a viewer's data to the sharer
		                                  only */
	}
	int i = channel_index(v, name);
	if (i < 0) {
		return RDPSHARE_E_NOT_FOUND;
	}
	int r = rdp_client_channel_send(v->client, i, data, len);
	if (r == 0) {
		struct event *ev = event_new(EV_V_CHANNEL_SENT);
		if (ev) {
			ev->i1 = i;
			ev->len = 0; /* no payload: not counted against the queue's bound */
			ev->i2 = (int)len;
		}
		viewer_post(v, ev);
	}
	return r;
}

/* ---- lists ---- */

int rdpshare_viewer_attendee_count(const rdpshare_viewer *v)
{
	return v ? v->n_att : 0;
}

const struct rdpshare_viewer_attendee *rdpshare_viewer_attendee_at(const rdpshare_viewer *v,
                                                                   int index)
{
	return v && index >= 0 && index < v->n_att ? &v->att[index] : NULL;
}

bool rdpshare_viewer_get_filter_enabled(const rdpshare_viewer *v)
{
	return v && v->filter;
}

int rdpshare_viewer_app_count(const rdpshare_viewer *v)
{
	return v ? v->apps.n : 0;
}

const struct rdpshare_viewer_share_item *rdpshare_viewer_app_at(const rdpshare_viewer *v, int index)
{
	return v && index >= 0 && index < v->apps.n ? &v->apps.items[index] : NULL;
}

int rdpshare_viewer_window_count(const rdpshare_viewer *v)
{
	return v ? v->windows.n : 0;
}

const struct rdpshare_viewer_share_item *rdpshare_viewer_window_at(const rdpshare_viewer *v,
                                                                   int index)
{
	return v && index >= 0 && index < v->windows.n ? &v->windows.items[index] : NULL;
}

int rdpshare_viewer_get_stats(const rdpshare_viewer *v, struct rdpshare_viewer_stats *out)
{
	if (!v || !out || out->size < sizeof(size_t)) {
		return RDPSHARE_E_INVALIDARG;
	}
	rdpshare_viewer *mv = (rdpshare_viewer *)v; /* the lock, not the state */
	struct rdpshare_viewer_stats s = {.size = out->size};
	pthread_mutex_lock(&mv->lock);
	s.updates = v->updates;
	s.connected_us = v->connected_us;
	s.first_update_us = v->first_update_us;
	pthread_mutex_unlock(&mv->lock);
	s.bytes_received = rdp_client_bytes_in(v->client);
	size_t n = out->size < sizeof(s) ? out->size : sizeof(s);
	memcpy(out, &s, n);
	return RDPSHARE_OK;
}

int rdpshare_viewer_get_fd(const rdpshare_viewer *v)
{
	return v ? v->q.efd : RDPSHARE_E_INVALIDARG;
}

/* ---- helpers for viewers ---- */

int rdpshare_known_hosts_default_path(char **out)
{
	if (!out) {
		return RDPSHARE_E_INVALIDARG;
	}
	int r = knownhosts_default_path(out);
	return r == -ENOMEM ? RDPSHARE_E_NOMEM : r < 0 ? RDPSHARE_E_NOT_FOUND : RDPSHARE_OK;
}

bool rdpshare_kh_is_valid(const char *s)
{
	return s && knownhosts_valid_kh(s);
}

char *rdpshare_escape_text(const char *s, size_t len, enum rdpshare_escape how, size_t max_chars)
{
	if (!s) {
		return NULL;
	}
	if (how == RDPSHARE_ESCAPE_JSON) {
		if (len > (SIZE_MAX - 1) / 6) {
			return NULL;
		}
		char *out = malloc(6 * len + 1);
		if (out) {
			text_json_body(s, len, out);
		}
		return out;
	}
	return text_terminal(s, len, max_chars ? max_chars : SIZE_MAX, TEXT_BARE);
}
