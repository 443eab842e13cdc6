#include "engine.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture.h"
#include "filter_mask.h"
#include "grab_pace.h"
#include "rdpshare.h" /* enum rdpshare_result only */
#include "util/clock.h"
#include "util/thread.h"
#include "util/wake.h"

struct engine {
	struct engine_listener listener; /* called on the engine thread */
	struct capture *cap;
	struct hub hub;
	int wake_fd;
	atomic_bool stop;
	atomic_bool refresh;
	atomic_bool exited; /* the thread ended (the display died) */
	pthread_t thread;
	/* a snapshot the owner thread waits for (snap_lock) */
	pthread_mutex_t snap_lock;
	pthread_cond_t snap_done;
	struct cap_rect snap_rect; /* desktop coordinates */
	uint8_t *snap_out;
	int snap_stride, snap_result;
	bool snap_pending;
	/* what the creator pushed (engine_set_*) */
	pthread_mutex_t rect_lock;
	struct cap_rect rect; /* the shared rect, desktop coordinates (rect_lock) */
	bool rect_whole;      /* the whole desktop, following its size (rect_lock) */
	struct cap_rect desk; /* the desktop as the engine thread last saw it (rect_lock) */
	atomic_bool paused;
	atomic_int interval_ms;
	/* input for the back-end, from connection threads (in_lock) */
	pthread_mutex_t in_lock;
	struct cap_input inq[ENGINE_INPUT_QUEUE];
	int in_head, in_count;
	bool in_backlog; /* input left queued by the last pass (engine thread) */
	uint32_t raiseq[16];
	int n_raise;
	/* the application filter's policy, from the owner thread (filter_lock) */
	pthread_mutex_t filter_lock;
	struct filter_policy policy;
	uint64_t policy_gen;
	/* engine thread only */
	struct cap_rect pending[FRAME_MAX_RECTS];
	int n_pending;
	int64_t pending_since_us; /* when the oldest pending damage was taken */
	int64_t pending_last_us;  /* ... and the newest */
	bool stale;               /* damage was dropped while nobody watched */
	struct grab_pace pace;    /* when the next frame may be grabbed */
	unsigned long last_serial;
	int desk_w, desk_h; /* the desktop size last told to the listener */
	/* the filter as the engine applies it */
	struct filter_policy cur;
	uint64_t cur_gen, win_serial;
	bool filter_dirty, filtering;
	uint8_t *mask, *scratch; /* desktop-sized, 1 = shown */
	int mask_w, mask_h;
	struct cap_rect shown[FILTER_MAX_RECTS]; /* shown windows' rectangles */
	int n_shown;
	uint32_t *shown_ids; /* windows shown (for typed keys) */
	int n_shown_ids;
	struct cap_rect mask_dirty; /* pixels that changed side since the last frame */
	bool has_mask_dirty;
};

/* The shared rect as left, top, right, bottom (exclusive). */
static void get_rect(struct engine *e, int *l, int *t, int *r, int *b)
{
	pthread_mutex_lock(&e->rect_lock);
	*l = e->rect.x;
	*t = e->rect.y;
	*r = e->rect.x + e->rect.w;
	*b = e->rect.y + e->rect.h;
	pthread_mutex_unlock(&e->rect_lock);
}

/* Grab r (desktop coordinates) into f, whose origin is share's corner.
 * Under the filter only the shown windows' pixels are grabbed and the rest
 * is painted in the background colour; damage that touches neither a shown
 * window nor a place that changed side is skipped (returns false). */
static bool grab_shown(struct engine *e, const struct cap_rect *r, struct frame *f,
                       const struct cap_rect *share, bool always)
{
	if (!e->filtering) {
		e->cap->ops->grab(e->cap, r, f->data, f->stride, share->x, share->y);
		return true;
	}
	struct cap_rect part;
	bool touches = always || (e->has_mask_dirty && rect_intersect(r, &e->mask_dirty, &part));
	for (int i = 0; i < e->n_shown && !touches; i++) {
		touches = rect_intersect(r, &e->shown[i], &part);
	}
	if (!touches) {
		return false;
	}
	filter_fill(r, f->data, f->stride, share->x, share->y, e->cur.background);
	for (int i = 0; i < e->n_shown; i++) {
		if (rect_intersect(r, &e->shown[i], &part)) {
			e->cap->ops->grab(e->cap, &part, f->data, f->stride, share->x, share->y);
			filter_apply(e->mask, e->mask_w, e->mask_h, &part, f->data, f->stride,
			             share->x, share->y, e->cur.background);
		}
	}
	return true;
}

/* Whether desktop pixel (x, y) is shown to viewers. */
static bool pixel_shown(const struct engine *e, int x, int y)
{
	if (!e->filtering) {
		return true;
	}
	return x >= 0 && y >= 0 && x < e->mask_w && y < e->mask_h &&
	       e->mask[(size_t)y * (size_t)e->mask_w + (size_t)x];
}

static void follow_windows(struct engine *e);

/* Under the filter: did the window tree change while we grabbed? The X
 * server sends events before the replies to later requests, so a change
 * the grab already shows is in the queue by now. */
static bool windows_moved_under(struct engine *e)
{
	if (!e->filtering || !e->cap->ops->windows) {
		return false;
	}
	e->cap->ops->process(e->cap); /* reads what is queued; damage stays pending */
	const struct cap_window *w;
	uint64_t serial = e->win_serial;
	e->cap->ops->windows(e->cap, &w, &serial);
	return serial != e->win_serial;
}

static void make_frame(struct engine *e, bool full)
{
	int l, t, r, b;
	get_rect(e, &l, &t, &r, &b);
	int dw, dh;
	e->cap->ops->size(e->cap, &dw, &dh);
	struct cap_rect desk = {0, 0, dw, dh};
	struct cap_rect share = {l, t, r - l, b - t};
	if (!rect_intersect(&share, &desk, &share)) {
		share = desk; /* the desktop shrank under the rect: show what exists */
	}
	struct frame *prev = hub_latest(&e->hub);
	if (!prev || prev->width != share.w || prev->height != share.h) {
		full = true;
	}
	struct frame *f = full ? frame_new(share.w, share.h) : frame_new_copy(prev);
	if (!f) {
		frame_unref(prev);
		return; /* keep the damage for the next try */
	}
	if (full) {
		f->full = true;
		f->n_rects = 1;
		f->rects[0] = (struct cap_rect){0, 0, share.w, share.h};
		grab_shown(e, &share, f, &share, true);
	} else {
		for (int i = 0; i < e->n_pending; i++) {
			struct cap_rect in;
			if (!rect_intersect(&e->pending[i], &share, &in)) {
				continue; /* damage outside the shared rect costs nothing */
			}
			if (!grab_shown(e, &in, f, &share, false)) {
				continue; /* nor does damage outside the shown windows */
			}
			in.x -= share.x;
			in.y -= share.y;
			rect_list_add(f->rects, &f->n_rects, FRAME_MAX_RECTS, &in);
		}
	}
	frame_unref(prev);
	/* a full frame answers a join or a refresh, not a change: no latency */
	f->damage_us = full ? 0 : e->pending_since_us;
	e->has_mask_dirty = false;
	e->n_pending = 0;
	e->stale = false;
	grab_pace_spend(&e->pace, (int64_t)atomic_load(&e->interval_ms) * 1000, util_clock_us());
	if (windows_moved_under(e)) {
		/* The grab may show a window raised or mapped after the mask was
		 * made: mask the frame again with the new tree. What changed side
		 * becomes damage for the next frame (follow_windows), so nothing
		 * is dropped and a long window drag cannot starve the viewers. */
		follow_windows(e);
		if (e->filtering) {
			filter_apply(e->mask, e->mask_w, e->mask_h, &share, f->data, f->stride,
			             share.x, share.y, e->cur.background);
		}
	}
	if (f->n_rects == 0) {
		frame_unref(f);
		return;
	}
	hub_publish(&e->hub, f);
}

static void update_cursor(struct engine *e)
{
	struct cap_cursor c;
	memset(&c, 0, sizeof(c));
	if (e->cap->ops->cursor(e->cap, &c) < 0) {
		return;
	}
	int l, t, r, b;
	get_rect(e, &l, &t, &r, &b);
	bool inside = c.x >= l && c.x < r && c.y >= t && c.y < b;
	/* Only hand over the shape when its serial moved (the hub copies it). */
	bool new_shape = c.argb && c.shape_serial != e->last_serial;
	e->last_serial = c.shape_serial;
	hub_set_cursor(&e->hub, c.x - l, c.y - t, c.visible && inside && pixel_shown(e, c.x, c.y),
	               new_shape ? &c : NULL);
}

/* Only the engine thread may touch the back-end: snapshots are taken here. */
static void take_snapshot(struct engine *e)
{
	pthread_mutex_lock(&e->snap_lock);
	if (e->snap_pending) {
		follow_windows(e); /* a policy set just before the request applies */
		e->snap_result = e->cap->ops->grab(e->cap, &e->snap_rect, e->snap_out,
		                                   e->snap_stride, e->snap_rect.x, e->snap_rect.y);
		if (e->filtering && e->snap_result == 0) { /* the frame buffer viewers see */
			filter_apply(e->mask, e->mask_w, e->mask_h, &e->snap_rect, e->snap_out,
			             e->snap_stride, e->snap_rect.x, e->snap_rect.y,
			             e->cur.background);
		}
		e->snap_pending = false;
		pthread_cond_broadcast(&e->snap_done);
	}
	pthread_mutex_unlock(&e->snap_lock);
}

int engine_snapshot(struct engine *e, int x, int y, int w, int h, uint8_t *out, int stride)
{
	int l, t, r, b;
	get_rect(e, &l, &t, &r, &b);
	if (x < 0 || y < 0 || w <= 0 || h <= 0 || x > r - l - w || y > b - t - h) {
		return RDPSHARE_E_INVALIDARG;
	}
	pthread_mutex_lock(&e->snap_lock);
	while (e->snap_pending) { /* one at a time */
		pthread_cond_wait(&e->snap_done, &e->snap_lock);
	}
	e->snap_rect = (struct cap_rect){l + x, t + y, w, h};
	e->snap_out = out;
	e->snap_stride = stride;
	e->snap_pending = true;
	util_wake_poke(e->wake_fd);
	while (e->snap_pending && !atomic_load(&e->exited)) {
		pthread_cond_wait(&e->snap_done, &e->snap_lock);
	}
	int res = e->snap_pending ? RDPSHARE_E_UNEXPECTED : e->snap_result;
	e->snap_pending = false;
	pthread_mutex_unlock(&e->snap_lock);
	return res < 0 ? RDPSHARE_E_DISPLAY : RDPSHARE_OK;
}

/* Only the engine thread may touch the back-end, so input waits here. */
/* A viewer cannot click, scroll or type into what it cannot see; releases
 * still go through so no key or button stays held. */
static bool hidden_target(struct engine *e, const struct cap_input *in)
{
	if (!e->filtering) {
		return false;
	}
	switch (in->kind) {
	case CAP_INPUT_WHEEL:
		return !pixel_shown(e, in->x, in->y);
	case CAP_INPUT_BUTTON:
		return in->down && !pixel_shown(e, in->x, in->y);
	case CAP_INPUT_KEY_SCANCODE:
	case CAP_INPUT_KEY_UNICODE: {
		if (!in->down) {
			return false;
		}
		uint32_t id = 0;
		int where = e->cap->ops->focus ? e->cap->ops->focus(e->cap, &id) : -ENOTSUP;
		if (where == 1) {
			struct cap_cursor c;
			memset(&c, 0, sizeof(c));
			return e->cap->ops->cursor(e->cap, &c) < 0 || !pixel_shown(e, c.x, c.y);
		}
		for (int i = 0; where == 0 && i < e->n_shown_ids; i++) {
			if (e->shown_ids[i] == id) {
				return false;
			}
		}
		return true;
	}
	default:
		return false;
	}
}

static void inject_queued(struct engine *e)
{
	pthread_mutex_lock(&e->in_lock);
	uint32_t raise[16];
	int n_raise = e->n_raise;
	memcpy(raise, e->raiseq, sizeof(raise));
	e->n_raise = 0;
	pthread_mutex_unlock(&e->in_lock);
	for (int i = 0; i < n_raise && e->cap->ops->raise; i++) {
		e->cap->ops->raise(e->cap, raise[i]);
	}
	/* A flood must not starve pictures, other viewers or a stop: at most
	 * INPUT_BUDGET_MS of injecting a pass, the rest waits for the next. */
	int64_t end = util_clock_ms() + INPUT_BUDGET_MS;
	e->in_backlog = false;
	while (!atomic_load(&e->stop)) {
		pthread_mutex_lock(&e->in_lock);
		if (e->in_count == 0) {
			pthread_mutex_unlock(&e->in_lock);
			return;
		}
		if (util_clock_ms() >= end) {
			e->in_backlog = true;
			pthread_mutex_unlock(&e->in_lock);
			return;
		}
		struct cap_input in = e->inq[e->in_head];
		/* only the last of a run of motions matters: buttons and the wheel
		 * carry their own position */
		bool superseded =
		    in.kind == CAP_INPUT_MOTION && e->in_count > 1 &&
		    e->inq[(e->in_head + 1) % ENGINE_INPUT_QUEUE].kind == CAP_INPUT_MOTION;
		e->in_head = (e->in_head + 1) % ENGINE_INPUT_QUEUE;
		e->in_count--;
		pthread_mutex_unlock(&e->in_lock);
		if (superseded || !e->cap->ops->inject || hidden_target(e, &in)) {
			continue;
		}
		if (e->cap->ops->inject(e->cap, &in) == -EAGAIN) {
			/* the desktop cannot take more now: back to the head, later */
			pthread_mutex_lock(&e->in_lock);
			if (e->in_count < ENGINE_INPUT_QUEUE) {
				e->in_head =
				    (e->in_head + ENGINE_INPUT_QUEUE - 1) % ENGINE_INPUT_QUEUE;
				e->inq[e->in_head] = in;
				e->in_count++;
			}
			e->in_backlog = true;
			pthread_mutex_unlock(&e->in_lock);
			return;
		}
	}
}

int engine_inject(struct engine *e, const struct cap_input *in)
{
	struct cap_input d = *in;
	if (d.kind == CAP_INPUT_MOTION || d.kind == CAP_INPUT_BUTTON || d.kind == CAP_INPUT_WHEEL) {
		/* viewers see the shared rect as their desktop: map back, and
		 * never let the pointer leave the rect */
		int l, t, r, b;
		get_rect(e, &l, &t, &r, &b);
		d.x = d.x < 0 ? l : d.x + l >= r ? r - 1 : d.x + l;
		d.y = d.y < 0 ? t : d.y + t >= b ? b - 1 : d.y + t;
	}
	/* the last slots are kept for releases, so a flood never leaves a key
	 * or a button held when its viewer lets go or leaves */
	bool release = !d.down && (d.kind == CAP_INPUT_KEY_SCANCODE || d.kind == CAP_INPUT_BUTTON);
	pthread_mutex_lock(&e->in_lock);
	bool full = e->in_count >= ENGINE_INPUT_QUEUE - (release ? 0 : INPUT_RESERVED);
	if (!full) {
		e->inq[(e->in_head + e->in_count) % ENGINE_INPUT_QUEUE] = d;
		e->in_count++;
	}
	pthread_mutex_unlock(&e->in_lock);
	if (full) {
		return -EAGAIN;
	}
	util_wake_poke(e->wake_fd);
	return RDPSHARE_OK;
}

/* The window list or the policy changed: tell the listener about the
 * windows, and work out again what is shown. Pixels that changed side
 * become damage, so viewers see the new arrangement at once. */
static void follow_windows(struct engine *e)
{
	const struct cap_window *w = NULL;
	uint64_t serial = 0;
	int n = e->cap->ops->windows ? e->cap->ops->windows(e->cap, &w, &serial) : 0;
	if (serial != e->win_serial) {
		e->win_serial = serial;
		if (e->listener.windows_changed) {
			e->listener.windows_changed(e->listener.ctx, w, n);
		}
		e->filter_dirty = true;
	}
	pthread_mutex_lock(&e->filter_lock);
	if (e->policy_gen != e->cur_gen) {
		e->cur = e->policy;
		e->cur_gen = e->policy_gen;
		e->filter_dirty = true;
	}
	pthread_mutex_unlock(&e->filter_lock);
	int dw, dh;
	e->cap->ops->size(e->cap, &dw, &dh);
	if (!e->filter_dirty && (!e->filtering || (dw == e->mask_w && dh == e->mask_h))) {
		return;
	}
	e->filter_dirty = false;
	bool was = e->filtering;
	e->filtering = false;
	if (!e->cur.enabled) {
		if (was) {
			atomic_store(&e->refresh, true); /* the whole desktop again */
		}
		return;
	}
	size_t size = (size_t)dw * (size_t)dh;
	bool same_size = was && dw == e->mask_w && dh == e->mask_h;
	if (!same_size) {
		free(e->mask);
		free(e->scratch);
		e->mask = malloc(size);
		e->scratch = malloc(size);
		e->mask_w = dw;
		e->mask_h = dh;
	}
	bool *shared = malloc((size_t)(n > 0 ? n : 1) * sizeof(bool));
	if (!e->mask || !e->scratch || !shared) {
		/* Without memory nothing may leak: stay filtered with nothing
		 * shown and retry on the next change. */
		free(shared);
		free(e->mask);
		free(e->scratch);
		e->mask = e->scratch = NULL;
		e->mask_w = e->mask_h = 0;
		e->n_shown = 0;
		e->n_shown_ids = 0;
		e->filtering = true;
		e->filter_dirty = true;
		atomic_store(&e->refresh, true);
		return;
	}
	filter_decide(w, n, &e->cur, shared);
	uint32_t *ids = malloc((size_t)(n > 0 ? n : 1) * sizeof(*ids));
	free(e->shown_ids);
	e->shown_ids = ids;
	e->n_shown_ids = 0;
	for (int i = 0; ids && i < n; i++) {
		if (shared[i]) {
			ids[e->n_shown_ids++] = w[i].id;
		}
	}
	e->n_shown = filter_paint(e->scratch, dw, dh, w, n, shared, e->shown, FILTER_MAX_RECTS);
	free(shared);
	struct cap_rect d;
	if (!same_size) {
		atomic_store(&e->refresh, true);
	} else if (filter_mask_diff(e->mask, e->scratch, dw, dh, &d)) {
		if (e->has_mask_dirty) {
			rect_union(&e->mask_dirty, &d);
		} else {
			e->mask_dirty = d;
			e->has_mask_dirty = true;
		}
		if (e->n_pending == 0) {
			e->pending_since_us = util_clock_us();
		}
		e->pending_last_us = util_clock_us();
		rect_list_add(e->pending, &e->n_pending, FRAME_MAX_RECTS, &d);
	}
	uint8_t *t = e->mask;
	e->mask = e->scratch;
	e->scratch = t;
	e->filtering = true;
}

/* How long the pending damage waits before it is grabbed (grab_pace.h). */
static int64_t grab_wait_us(const struct engine *e)
{
	return grab_pace_wait_us(&e->pace, (int64_t)atomic_load(&e->interval_ms) * 1000,
	                         e->pending_since_us, e->pending_last_us, util_clock_us());
}

static void *engine_main(void *arg)
{
	struct engine *e = arg;
	while (!atomic_load(&e->stop)) {
		int timeout = -1;
		bool watching = hub_subscriber_count(&e->hub) > 0;
		bool paused = atomic_load(&e->paused);
		if (e->n_pending > 0 && watching && !paused) {
			int64_t wait = grab_wait_us(e);
			timeout = (int)((wait + 999) / 1000);
		}
		if (e->in_backlog && (timeout < 0 || timeout > INPUT_RETRY_MS)) {
			timeout = INPUT_RETRY_MS; /* queued input goes on soon */
		}
		struct pollfd pfd[2] = {{e->cap->ops->fd(e->cap), POLLIN, 0},
		                        {e->wake_fd, POLLIN, 0}};
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR) {
			break;
		}
		if (pfd[1].revents & POLLIN) {
			util_wake_drain(e->wake_fd);
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			int r = e->cap->ops->process(e->cap);
			if (r < 0) {
				if (e->listener.error) {
					e->listener.error(e->listener.ctx, RDPSHARE_E_DISPLAY,
					                  "the captured display went away");
				}
				break;
			}
		}
		int dw, dh;
		e->cap->ops->size(e->cap, &dw, &dh);
		if (dw != e->desk_w || dh != e->desk_h) {
			e->desk_w = dw;
			e->desk_h = dh;
			pthread_mutex_lock(&e->rect_lock);
			e->desk = (struct cap_rect){0, 0, dw, dh};
			if (e->rect_whole) {
				e->rect = e->desk;
			}
			pthread_mutex_unlock(&e->rect_lock);
			if (e->listener.desktop_resized) {
				e->listener.desktop_resized(e->listener.ctx, dw, dh);
			}
			atomic_store(&e->refresh, true); /* every viewer gets the new size */
		}
		/* the filter first: input and snapshots obey the newest policy */
		follow_windows(e);
		inject_queued(e);
		take_snapshot(e);
		struct cap_rect got[FRAME_MAX_RECTS];
		int n = e->cap->ops->take_damage(e->cap, got, FRAME_MAX_RECTS);
		watching = hub_subscriber_count(&e->hub) > 0;
		paused = atomic_load(&e->paused);
		if (!watching || paused) {
			/* Nobody sees it now; whoever looks next gets a full frame. */
			e->stale = e->stale || n > 0;
			e->n_pending = 0;
			continue;
		}
		if (n > 0) {
			e->pending_last_us = util_clock_us();
			if (e->n_pending == 0) {
				e->pending_since_us = e->pending_last_us;
			}
		}
		for (int i = 0; i < n; i++) {
			rect_list_add(e->pending, &e->n_pending, FRAME_MAX_RECTS, &got[i]);
		}
		update_cursor(e);
		bool want_full = atomic_exchange(&e->hub.want_full, false) |
		                 atomic_exchange(&e->refresh, false) | e->stale;
		if (want_full) {
			make_frame(e, true);
			continue;
		}
		if (e->n_pending > 0 && grab_wait_us(e) == 0) {
			make_frame(e, false);
		}
	}
	pthread_mutex_lock(&e->snap_lock);
	atomic_store(&e->exited, true);
	pthread_cond_broadcast(&e->snap_done); /* nobody waits for a dead thread */
	pthread_mutex_unlock(&e->snap_lock);
	return NULL;
}

int engine_start(struct capture *cap, const struct engine_listener *listener, struct engine **out)
{
	struct engine *e = calloc(1, sizeof(*e));
	if (!e) {
		return RDPSHARE_E_NOMEM;
	}
	if (listener) {
		e->listener = *listener;
	}
	e->cap = cap;
	cap->ops->size(cap, &e->desk_w, &e->desk_h);
	e->desk = (struct cap_rect){0, 0, e->desk_w, e->desk_h};
	e->rect = e->desk;
	e->rect_whole = true;
	atomic_init(&e->paused, false);
	atomic_init(&e->interval_ms, ENGINE_DEFAULT_INTERVAL_MS);
	grab_pace_init(&e->pace, util_clock_us());
	e->stale = true;
	e->wake_fd = util_wake_create();
	if (e->wake_fd < 0) {
		free(e);
		return RDPSHARE_E_IO;
	}
	hub_init(&e->hub, e->wake_fd);
	pthread_mutex_init(&e->in_lock, NULL);
	pthread_mutex_init(&e->filter_lock, NULL);
	pthread_mutex_init(&e->snap_lock, NULL);
	pthread_mutex_init(&e->rect_lock, NULL);
	pthread_cond_init(&e->snap_done, NULL);
	if (util_thread_start(&e->thread, engine_main, e) != 0) {
		pthread_mutex_destroy(&e->in_lock);
		pthread_mutex_destroy(&e->filter_lock);
		pthread_mutex_destroy(&e->snap_lock);
		pthread_mutex_destroy(&e->rect_lock);
		pthread_cond_destroy(&e->snap_done);
		hub_fini(&e->hub);
		close(e->wake_fd);
		free(e);
		return RDPSHARE_E_NOMEM;
	}
	*out = e;
	return RDPSHARE_OK;
}

void engine_stop(struct engine *e)
{
	if (!e) {
		return;
	}
	atomic_store(&e->stop, true);
	util_wake_poke(e->wake_fd);
	pthread_join(e->thread, NULL);
	hub_fini(&e->hub);
	pthread_mutex_destroy(&e->in_lock);
	pthread_mutex_destroy(&e->filter_lock);
	pthread_mutex_destroy(&e->snap_lock);
	pthread_mutex_destroy(&e->rect_lock);
	free(e->mask);
	free(e->scratch);
	free(e->shown_ids);
	pthread_cond_destroy(&e->snap_done);
	close(e->wake_fd);
	free(e);
}

struct hub *engine_hub(struct engine *e)
{
	return &e->hub;
}

void engine_refresh(struct engine *e)
{
	atomic_store(&e->refresh, true);
	util_wake_poke(e->wake_fd);
}

void engine_set_filter(struct engine *e, const struct filter_policy *p)
{
	pthread_mutex_lock(&e->filter_lock);
	e->policy = *p;
	e->policy_gen++;
	pthread_mutex_unlock(&e->filter_lock);
	util_wake_poke(e->wake_fd);
}

void engine_raise(struct engine *e, uint32_t id)
{
	pthread_mutex_lock(&e->in_lock);
	if (e->n_raise < (int)(sizeof(e->raiseq) / sizeof(e->raiseq[0]))) {
		e->raiseq[e->n_raise++] = id;
	}
	pthread_mutex_unlock(&e->in_lock);
	util_wake_poke(e->wake_fd);
}

void engine_set_rect(struct engine *e, const struct cap_rect *r)
{
	pthread_mutex_lock(&e->rect_lock);
	e->rect_whole = r == NULL;
	e->rect = r ? *r : e->desk; /* the engine thread follows the desktop from here */
	pthread_mutex_unlock(&e->rect_lock);
	engine_refresh(e);
}

void engine_set_paused(struct engine *e, bool paused)
{
	atomic_store(&e->paused, paused);
	util_wake_poke(e->wake_fd);
}

void engine_set_interval(struct engine *e, int ms)
{
	atomic_store(&e->interval_ms, ms >= 1 ? ms : 1);
	util_wake_poke(e->wake_fd);
}
