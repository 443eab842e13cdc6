/* wlroots capture back-end (sway and other compositors with the same
 * protocols): pictures from a copy source (capture/wl_copy.h, screencopy
 * today), input through a virtual pointer and keyboard (capture/wl_input.h).
 *
 * One output is shared: the one named, else the first the compositor
 * announces. Its pixels are kept in our own desktop image, updated from
 * every filled buffer by its damage, so grab() reads a complete picture at
 * any time and never waits on the compositor.
 *
 * All our Wayland objects live on a private event queue, dispatched only in
 * process(): round trips made elsewhere (a keymap upload during inject) read
 * events into it, so those calls ring an eventfd that sits beside the
 * Wayland socket in the back-end's epoll set.
 *
 * The cursor is composited into the picture by the compositor (wlroots 0.15
 * tells a client no cursor position or shape), so cursor() reports it hidden
 * at the place our own pointer last went: viewers see the one in the
 * picture and no second one. */
#include "capture/capture.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <wayland-client.h>

#include "capture/damage.h"
#include "capture/swayipc.h"
#include "capture/swaysock.h"
#include "capture/wl_copy.h"
#include "capture/wl_globals.h"
#include "capture/wl_input.h"
#include "capture/wl_sync.h"
#include "util/clock.h"
#include "util/wake.h"

#define FIRST_FRAME_MS 5000

struct wlr {
	struct capture base;
	struct capture_ops ops; /* with windows where sway's IPC answers */
	struct wl_globals g;
	int epfd, evfd;
	int dead;         /* 0 or the negative errno that ended us */
	bool out_blocked; /* the last flush left requests unsent (EAGAIN) */
	struct wl_copy *copy;
	struct wl_input *input;
	struct swayipc *ipc; /* the window list, where sway's IPC answers */
	/* the desktop as last copied */
	uint8_t *image;
	int w, h;
	bool have_frame;
	struct damage dmg;
	bool changed;
};

static struct wlr *wlr_of(struct capture *c)
{
	return (struct wlr *)c;
}

static void on_output_removed(void *ctx)
{
	struct wlr *w = ctx;
	if (!w->dead) {
		w->dead = -ENODEV; /* the shared output was unplugged */
	}
}

/* ---- pictures ---- */

static void copy_rect(struct wlr *w, const struct wl_copy_frame *f, const struct cap_rect *r)
{
	for (int y = r->y; y < r->y + r->h; y++) {
		int sy = f->y_invert ? f->h - 1 - y : y;
		const uint8_t *src = f->data + (size_t)sy * (size_t)f->stride + (size_t)r->x * 4;
		uint8_t *dst = w->image + ((size_t)y * (size_t)w->w + (size_t)r->x) * 4;
		if (!f->swap_rb) {
			memcpy(dst, src, (size_t)r->w * 4);
			continue;
		}
		for (int x = 0; x < r->w; x++, src += 4, dst += 4) {
			dst[0] = src[2];
			dst[1] = src[1];
			dst[2] = src[0];
			dst[3] = 0xff;
		}
	}
}

static void on_frame(void *ctx, const struct wl_copy_frame *f)
{
	struct wlr *w = ctx;
	bool whole = f->whole || !w->have_frame;
	if (f->w != w->w || f->h != w->h || !w->image) {
		uint8_t *img = malloc((size_t)f->w * (size_t)f->h * 4);
		if (!img) {
			w->dead = -ENOMEM;
			return;
		}
		free(w->image);
		w->image = img;
		w->w = f->w;
		w->h = f->h;
		whole = true;
	}
	if (whole) {
		struct cap_rect all = {0, 0, w->w, w->h};
		copy_rect(w, f, &all);
		damage_full(&w->dmg, w->w, w->h);
	} else {
		for (int i = 0; i < f->n_damage; i++) {
			struct cap_rect r = f->damage[i];
			if (r.w <= 0 || r.h <= 0 || r.x < 0 || r.y < 0 || r.x + r.w > w->w ||
			    r.y + r.h > w->h) {
				continue; /* damage_add clipped it already; be sure */
			}
			copy_rect(w, f, &r);
			damage_add(&w->dmg, &r, w->w, w->h);
		}
	}
	w->have_frame = true;
	w->changed = true;
	swayipc_touch(w->ipc); /* a floating window may have moved: sway says nothing */
}

static void on_copy_failed(void *ctx, int err)
{
	struct wlr *w = ctx;
	if (!w->dead) {
		w->dead = err;
	}
}

/* ---- the event loop ---- */

/* Read and dispatch what the socket holds, without blocking. */
static int pump(struct wlr *w)
{
	if (wl_display_dispatch_queue_pending(w->g.d, w->g.q) < 0) {
		return -EPIPE;
	}
	while (wl_display_prepare_read_queue(w->g.d, w->g.q) != 0) {
		if (wl_display_dispatch_queue_pending(w->g.d, w->g.q) < 0) {
			return -EPIPE;
		}
	}
	/* a full socket (EAGAIN) drains later; inject writes nothing meanwhile */
	if (wl_display_flush(w->g.d) < 0) {
		if (errno != EAGAIN) {
			wl_display_cancel_read(w->g.d);
			return -EPIPE;
		}
		w->out_blocked = true;
	} else {
		w->out_blocked = false;
	}
	struct pollfd p = {wl_display_get_fd(w->g.d), POLLIN, 0};
	if (poll(&p, 1, 0) > 0) {
		if (wl_display_read_events(w->g.d) < 0) {
			return -EPIPE;
		}
	} else {
		wl_display_cancel_read(w->g.d);
	}
	if (wl_display_dispatch_queue_pending(w->g.d, w->g.q) < 0) {
		return -EPIPE;
	}
	/* what the listeners just asked for (the next copy) goes out now: the
	 * compositor answers nothing until it has it */
	if (wl_display_flush(w->g.d) < 0) {
		if (errno != EAGAIN) {
			return -EPIPE;
		}
		w->out_blocked = true;
	}
	return wl_display_get_error(w->g.d) ? -EPIPE : 0;
}

static int wlr_process(struct capture *c)
{
	struct wlr *w = wlr_of(c);
	if (w->dead) {
		return w->dead;
	}
	util_wake_drain(w->evfd);
	int r = pump(w);
	if (r < 0 && !w->dead) {
		w->dead = r;
	}
	if (w->dead) {
		return w->dead;
	}
	bool changed = w->changed;
	w->changed = false;
	if (w->ipc) {
		r = swayipc_process(w->ipc);
		if (r == 1) {
			changed = true;
		} else if (r < 0 && r != -ETIMEDOUT) {
			w->dead = r; /* sway went away: its display with it */
			return r;
		}
	}
	return changed ? 1 : 0;
}

static int wlr_fd(struct capture *c)
{
	return wlr_of(c)->epfd;
}

static int wlr_take_damage(struct capture *c, struct cap_rect *out, int max)
{
	return damage_take(&wlr_of(c)->dmg, out, max);
}

static int wlr_grab(struct capture *c, const struct cap_rect *r, uint8_t *dst, int dst_stride,
                    int dst_x, int dst_y)
{
	struct wlr *w = wlr_of(c);
	if (w->dead) {
		return w->dead;
	}
	/* The desktop may have shrunk since the damage was taken. */
	int x0 = r->x < 0 ? 0 : r->x, y0 = r->y < 0 ? 0 : r->y;
	int x1 = r->x + r->w > w->w ? w->w : r->x + r->w;
	int y1 = r->y + r->h > w->h ? w->h : r->y + r->h;
	for (int y = y0; y < y1; y++) {
		memcpy(dst + (size_t)(y - dst_y) * (size_t)dst_stride + (size_t)(x0 - dst_x) * 4,
		       w->image + ((size_t)y * (size_t)w->w + (size_t)x0) * 4,
		       (size_t)(x1 - x0) * 4);
	}
	return 0;
}

static void wlr_size(struct capture *c, int *wp, int *hp)
{
	*wp = wlr_of(c)->w;
	*hp = wlr_of(c)->h;
}

static int wlr_cursor(struct capture *c, struct cap_cursor *out)
{
	struct wlr *w = wlr_of(c);
	if (w->dead) {
		return w->dead;
	}
	memset(out, 0, sizeof(*out));
	int x = w->w / 2, y = w->h / 2;
	if (w->input) {
		wl_input_pointer(w->input, &x, &y);
	}
	out->x = x;
	out->y = y;
	out->visible = false; /* it is in the picture */
	return 0;
}

static int wlr_inject(struct capture *c, const struct cap_input *in)
{
	struct wlr *w = wlr_of(c);
	if (w->dead) {
		return w->dead;
	}
	if (!w->input) {
		return -ENOTSUP;
	}
	/* libwayland 1.21 takes a request that finds its 4 KiB output buffer
	 * full (the compositor not reading) as a fatal error of the whole
	 * connection: nothing is written until the last flush went through. */
	if (w->out_blocked) {
		if (wl_display_flush(w->g.d) < 0) {
			if (errno == EAGAIN) {
				return -EAGAIN; /* the engine keeps the event for later */
			}
			w->dead = -EPIPE;
			util_wake_poke(w->evfd);
			return w->dead;
		}
		w->out_blocked = false;
	}
	int r = wl_input_inject(w->input, in, w->w, w->h);
	if (r == 1) {
		util_wake_poke(w->evfd); /* the round trip may have read our events */
		r = 0;
	}
	if (wl_display_flush(w->g.d) < 0) {
		if (errno == EAGAIN) {
			w->out_blocked = true;
		} else {
			w->dead = -EPIPE;
			util_wake_poke(w->evfd);
		}
	}
	return r;
}

static int wlr_windows(struct capture *c, const struct cap_window **out, uint64_t *serial)
{
	return swayipc_windows(wlr_of(c)->ipc, out, serial);
}

static int wlr_raise(struct capture *c, uint32_t id)
{
	struct wlr *w = wlr_of(c);
	return w->dead ? w->dead : swayipc_raise(w->ipc, id);
}

static int wlr_focus(struct capture *c, uint32_t *id)
{
	struct wlr *w = wlr_of(c);
	return w->dead ? w->dead : swayipc_focus(w->ipc, id);
}

static void wlr_destroy(struct capture *c)
{
	struct wlr *w = wlr_of(c);
	if (!w) {
		return;
	}
	swayipc_destroy(w->ipc);
	wl_input_destroy(w->input);
	if (w->copy) {
		w->copy->ops->destroy(w->copy);
	}
	wl_globals_finish(&w->g);
	if (w->epfd >= 0) {
		close(w->epfd);
	}
	if (w->evfd >= 0) {
		close(w->evfd);
	}
	free(w->image);
	free(w);
}

static const struct capture_ops wlr_ops = {
    .fd = wlr_fd,
    .process = wlr_process,
    .take_damage = wlr_take_damage,
    .grab = wlr_grab,
    .size = wlr_size,
    .cursor = wlr_cursor,
    .inject = wlr_inject,
    .destroy = wlr_destroy,
};

/* The window list where sway answers; without it the back-end shares the
 * picture and input alone (rdpshare_session_has_window_list says why). */
static int open_windows(struct wlr *w, const char *display)
{
	char path[600];
	if (!swaysock_find(display, path, sizeof(path))) {
		return 0;
	}
	int err = 0;
	w->ipc = swayipc_create(path, w->g.output_name[0] ? w->g.output_name : NULL, &err);
	if (!w->ipc) {
		return err == -ENOMEM ? err : 0;
	}
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = swayipc_fd(w->ipc)};
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, ev.data.fd, &ev) < 0) {
		return -errno;
	}
	/* the same operations, with sway's window list for the application filter */
	w->ops = wlr_ops;
	w->ops.windows = wlr_windows;
	w->ops.raise = wlr_raise;
	w->ops.focus = wlr_focus;
	w->base.ops = &w->ops;
	return 0;
}

/* ---- opening ---- */

static int make_fds(struct wlr *w)
{
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (w->epfd < 0) {
		return -errno;
	}
	w->evfd = util_wake_create();
	if (w->evfd < 0) {
		return w->evfd;
	}
	struct epoll_event ev = {.events = EPOLLIN};
	ev.data.fd = wl_display_get_fd(w->g.d);
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, ev.data.fd, &ev) < 0) {
		return -errno;
	}
	ev.data.fd = w->evfd;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->evfd, &ev) < 0) {
		return -errno;
	}
	return 0;
}

/* Connect and learn the globals; *why says what is missing. */
static int connect_display(struct wlr *w, const char *display, char *why, size_t why_len)
{
	struct wl_globals_listener l = {.ctx = w, .output_removed = on_output_removed};
	return wl_globals_init(&w->g, display, &l, why, why_len);
}

int capture_wlroots_probe(const char *display, char *why, size_t why_len)
{
	struct wlr *w = calloc(1, sizeof(*w));
	if (!w) {
		return -ENOMEM;
	}
	w->base.ops = &wlr_ops;
	w->epfd = -1;
	w->evfd = -1;
	int r = connect_display(w, display, why, why_len);
	wlr_destroy(&w->base);
	return r;
}

struct capture *capture_wlroots_open(const char *display, char *why, size_t why_len, int *err)
{
	struct wlr *w = calloc(1, sizeof(*w));
	if (!w) {
		*err = -ENOMEM;
		return NULL;
	}
	w->base.ops = &wlr_ops;
	w->epfd = -1;
	w->evfd = -1;
	int r = connect_display(w, display, why, why_len);
	if (r == 0) {
		r = make_fds(w);
	}
	if (r == 0) {
		r = open_windows(w, display);
	}
	if (r == 0) {
		w->input = wl_input_create(w->g.d, w->g.seat, w->g.output, w->g.pointers,
		                           w->g.keyboards, &r);
		if (!w->input) {
			snprintf(why, why_len, "remote input could not be set up (%s)",
			         strerror(-r));
		}
	}
	if (r == 0) {
		struct wl_copy_sink sink = {.ctx = w, .frame = on_frame, .failed = on_copy_failed};
		w->copy =
		    wl_copy_screencopy_create(w->g.shm, w->g.screencopy, w->g.output, &sink, &r);
	}
	/* the first picture, so size() and grab() mean something from the start */
	int64_t end = util_clock_ms() + FIRST_FRAME_MS;
	while (r == 0 && !w->have_frame && !w->dead) {
		int64_t left = end - util_clock_ms();
		if (left <= 0) {
			r = -ETIMEDOUT;
			snprintf(why, why_len, "the Wayland compositor sent no picture in %d s",
			         FIRST_FRAME_MS / 1000);
			break;
		}
		r = wl_sync_bounded(w->g.d, w->g.q, (int)left);
	}
	if (r == 0 && w->dead) {
		r = w->dead;
		snprintf(why, why_len, "the Wayland compositor refused to copy the screen (%s)",
		         strerror(-r));
	}
	if (r < 0) {
		wlr_destroy(&w->base);
		*err = r;
		return NULL;
	}
	util_wake_poke(w->evfd); /* whatever the waits above read is processed */
	return &w->base;
}
