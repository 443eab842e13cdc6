/* The clipboard on wlroots compositors, through wlr-data-control: the
 * selection is announced to us as an offer (no polling, no focus needed),
 * read through a pipe, and owned by a data source of ours when a viewer
 * copies. One thread multiplexes the Wayland connection, the wake-up fd,
 * the transfer in and the transfers out; the transfers, non-blocking with
 * deadlines, are capture/clipboard_pipes.h's. */
#include "capture/clipboard_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wayland-client.h>

#include "wlr-data-control-unstable-v1-client.h"

#include "capture/clipboard_pipes.h"
#include "util/random.h"
#include "util/thread.h"
#include "util/wake.h"

/* the text types we read and offer, best first */
static const char *const text_mimes[] = {"text/plain;charset=utf-8", "UTF8_STRING", "text/plain"};
#define N_TEXT_MIMES 3
#define OURS (1u << N_TEXT_MIMES) /* the offer carries our marker: our own selection */

struct offer {
	struct zwlr_data_control_offer_v1 *proxy;
	struct wlr_clipboard *c;
	unsigned mimes; /* bit i: text_mimes[i]; OURS */
};

struct source {
	struct zwlr_data_control_source_v1 *proxy;
	struct wlr_clipboard *c;
	char *text;
	size_t len;
	struct source *next;
};

struct wlr_clipboard {
	struct clipboard base; /* first: text, generation, lock, on_change */
	struct wl_display *dpy;
	struct wl_registry *registry;
	struct wl_seat *seat;
	struct zwlr_data_control_manager_v1 *manager;
	struct zwlr_data_control_device_v1 *device;
	int cmd_fd;
	pthread_t thread;
	atomic_bool stop, dead;
	/* A private MIME type our sources offer besides text: the compositor
	 * echoes our own selection back as an offer, and this tells it apart
	 * without relying on the order of events. Random, so no other client
	 * (nor another instance) has it. */
	char marker[64];
	char *pending_set; /* text to own, from clipboard_set (under base.lock) */

	/* the thread's own */
	struct offer *announced;      /* the newest offer, until a selection event names it */
	struct offer *selection;      /* the current selection's offer */
	struct source *sources;       /* ours still alive, newest first */
	bool finished;                /* the compositor ended our device */
	struct clipboard_pipes pipes; /* the selection being read, pastes of ours */
};

/* ---- reading another client's selection -------------------------------- */

static void read_start(struct wlr_clipboard *c, struct offer *o)
{
	/* a newer selection replaces one still arriving */
	clipboard_pipes_read_stop(&c->pipes);
	int m = 0;
	while (m < N_TEXT_MIMES && !(o->mimes & (1u << m))) {
		m++;
	}
	int fds[2];
	if (m == N_TEXT_MIMES || pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		return; /* no text in it (an image, say): the text we had stays, as on X11 */
	}
	/* libwayland duplicates the fd when it queues the request */
	zwlr_data_control_offer_v1_receive(o->proxy, text_mimes[m], fds[1]);
	close(fds[1]);
	clipboard_pipes_read_start(&c->pipes, fds[0]);
}

static void read_some(struct wlr_clipboard *c)
{
	char *text = clipboard_pipes_read(&c->pipes);
	if (text) {
		clipboard_store(&c->base, text);
	}
}

/* ---- offers and the device --------------------------------------------- */

static void offer_destroy(struct offer *o)
{
	if (o) {
		zwlr_data_control_offer_v1_destroy(o->proxy);
		free(o);
	}
}

static void offer_mime(void *data, struct zwlr_data_control_offer_v1 *proxy, const char *mime)
{
	(void)proxy;
	struct offer *o = data;
	for (int i = 0; i < N_TEXT_MIMES; i++) {
		if (strcmp(mime, text_mimes[i]) == 0) {
			o->mimes |= 1u << i;
		}
	}
	if (strcmp(mime, o->c->marker) == 0) {
		o->mimes |= OURS;
	}
}

static const struct zwlr_data_control_offer_v1_listener offer_listener = {.offer = offer_mime};

static void device_data_offer(void *data, struct zwlr_data_control_device_v1 *device,
                              struct zwlr_data_control_offer_v1 *proxy)
{
	(void)device;
	struct wlr_clipboard *c = data;
	struct offer *o = calloc(1, sizeof(*o));
	if (!o) {
		zwlr_data_control_offer_v1_destroy(proxy);
		return;
	}
	o->proxy = proxy;
	o->c = c;
	zwlr_data_control_offer_v1_add_listener(proxy, &offer_listener, o);
	if (c->announced && c->announced != c->selection) {
		offer_destroy(c->announced);
	}
	c->announced = o;
}

static void device_selection(void *data, struct zwlr_data_control_device_v1 *device,
                             struct zwlr_data_control_offer_v1 *proxy)
{
	(void)device;
	struct wlr_clipboard *c = data;
	struct offer *o = proxy ? zwlr_data_control_offer_v1_get_user_data(proxy) : NULL;
	if (c->announced && c->announced != o) {
		offer_destroy(c->announced);
	}
	c->announced = NULL;
	if (c->selection != o) {
		offer_destroy(c->selection);
		c->selection = o;
	}
	if (!o) {
		/* cleared (its owner left): the text we had stays */
		clipboard_pipes_read_stop(&c->pipes);
	} else if (o->mimes & OURS) {
		clipboard_pipes_read_stop(&c->pipes); /* our own set coming back: nothing new */
	} else {
		read_start(c, o);
	}
}

static void device_finished(void *data, struct zwlr_data_control_device_v1 *device)
{
	(void)device;
	struct wlr_clipboard *c = data;
	c->finished = true;
}

/* only sent to version 2 devices; we bind version 1, but never leak one */
static void device_primary(void *data, struct zwlr_data_control_device_v1 *device,
                           struct zwlr_data_control_offer_v1 *proxy)
{
	struct wlr_clipboard *c = data;
	(void)device;
	struct offer *o = proxy ? zwlr_data_control_offer_v1_get_user_data(proxy) : NULL;
	if (o && o == c->announced) {
		c->announced = NULL;
		offer_destroy(o);
	}
}

static const struct zwlr_data_control_device_v1_listener device_listener = {
    .data_offer = device_data_offer,
    .selection = device_selection,
    .finished = device_finished,
    .primary_selection = device_primary,
};

/* ---- our own selection ------------------------------------------------- */

static void source_destroy(struct wlr_clipboard *c, struct source *s)
{
	for (struct source **p = &c->sources; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	zwlr_data_control_source_v1_destroy(s->proxy);
	free(s->text);
	free(s);
}

/* Another client pastes: the text for fd, written as it drains. */
static void source_send(void *data, struct zwlr_data_control_source_v1 *proxy, const char *mime,
                        int32_t fd)
{
	(void)proxy;
	struct source *s = data;
	bool text = false;
	for (int i = 0; i < N_TEXT_MIMES; i++) {
		text = text || strcmp(mime, text_mimes[i]) == 0;
	}
	clipboard_pipes_send(&s->c->pipes, fd, text ? s->text : NULL, s->len);
}

static void source_cancelled(void *data, struct zwlr_data_control_source_v1 *proxy)
{
	(void)proxy;
	struct source *s = data;
	source_destroy(s->c, s);
}

static const struct zwlr_data_control_source_v1_listener source_listener = {
    .send = source_send,
    .cancelled = source_cancelled,
};

static void take_pending(struct wlr_clipboard *c)
{
	char *t = clipboard_take_queued(&c->base, &c->pending_set);
	if (!t) {
		return;
	}
	struct source *s = calloc(1, sizeof(*s));
	if (!s || !(s->proxy = zwlr_data_control_manager_v1_create_data_source(c->manager))) {
		free(s);
		free(t);
		return;
	}
	s->c = c;
	s->text = t;
	s->len = strlen(t);
	s->next = c->sources;
	c->sources = s;
	zwlr_data_control_source_v1_add_listener(s->proxy, &source_listener, s);
	for (int i = 0; i < N_TEXT_MIMES; i++) {
		zwlr_data_control_source_v1_offer(s->proxy, text_mimes[i]);
	}
	zwlr_data_control_source_v1_offer(s->proxy, c->marker);
	/* the source it replaces is cancelled by the compositor, and freed then */
	zwlr_data_control_device_v1_set_selection(c->device, s->proxy);
}

/* ---- the thread -------------------------------------------------------- */

/* One round of the loop: false when the compositor is gone. */
static bool step(struct wlr_clipboard *c)
{
	while (wl_display_prepare_read(c->dpy) != 0) {
		if (wl_display_dispatch_pending(c->dpy) < 0) {
			return false;
		}
	}
	int flushed = wl_display_flush(c->dpy);
	if (flushed < 0 && errno != EAGAIN) {
		wl_display_cancel_read(c->dpy);
		return false;
	}
	struct pollfd p[3 + CLIPBOARD_PIPES_SENDS];
	int slot[3 + CLIPBOARD_PIPES_SENDS];
	int n = 0;
	p[n++] =
	    (struct pollfd){wl_display_get_fd(c->dpy), POLLIN | (flushed < 0 ? POLLOUT : 0), 0};
	p[n++] = (struct pollfd){c->cmd_fd, POLLIN, 0};
	if (c->pipes.in.fd >= 0) {
		p[n++] = (struct pollfd){c->pipes.in.fd, POLLIN, 0};
	}
	int first_send = n;
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS; i++) {
		if (c->pipes.out[i].fd >= 0) {
			slot[n] = i;
			p[n++] = (struct pollfd){c->pipes.out[i].fd, POLLOUT, 0};
		}
	}
	if (poll(p, (nfds_t)n, clipboard_pipes_timeout(&c->pipes)) < 0) {
		wl_display_cancel_read(c->dpy);
		return errno == EINTR;
	}
	if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
		if (wl_display_read_events(c->dpy) < 0) {
			return false;
		}
	} else {
		wl_display_cancel_read(c->dpy);
	}
	if (wl_display_dispatch_pending(c->dpy) < 0 || c->finished) {
		return false;
	}
	if (p[1].revents & POLLIN) {
		util_wake_drain(c->cmd_fd);
		take_pending(c);
	}
	/* the transfers of this round's poll, unless the events above replaced them */
	if (first_send > 2 && p[2].revents && p[2].fd == c->pipes.in.fd) {
		read_some(c);
	}
	for (int k = first_send; k < n; k++) {
		if (p[k].revents && c->pipes.out[slot[k]].fd == p[k].fd) {
			clipboard_pipes_write(&c->pipes, slot[k]);
		}
	}
	clipboard_pipes_expire(&c->pipes);
	return true;
}

static void *clip_main(void *arg)
{
	struct wlr_clipboard *c = arg;
	while (!atomic_load(&c->stop) && step(c)) {
	}
	/* the compositor went away (or we are closing): nothing more to own */
	atomic_store(&c->dead, true);
	return NULL;
}

/* ---- the shared calls -------------------------------------------------- */

static int own(struct clipboard *base, const char *utf8)
{
	struct wlr_clipboard *c = (struct wlr_clipboard *)base;
	if (atomic_load(&c->dead)) {
		return -EPIPE;
	}
	return clipboard_queue_own(&c->pending_set, utf8, c->cmd_fd);
}

/* Everything but the thread, in reverse order of acquisition. */
static void release(struct wlr_clipboard *c)
{
	clipboard_pipes_finish(&c->pipes);
	while (c->sources) {
		source_destroy(c, c->sources);
	}
	if (c->announced && c->announced != c->selection) {
		offer_destroy(c->announced);
	}
	offer_destroy(c->selection);
	if (c->device) {
		zwlr_data_control_device_v1_destroy(c->device);
	}
	if (c->manager) {
		zwlr_data_control_manager_v1_destroy(c->manager);
	}
	if (c->seat) {
		wl_seat_destroy(c->seat);
	}
	if (c->registry) {
		wl_registry_destroy(c->registry);
	}
	if (c->dpy) {
		wl_display_flush(c->dpy);
		wl_display_disconnect(c->dpy);
	}
	if (c->cmd_fd >= 0) {
		close(c->cmd_fd);
	}
	clipboard_finish(&c->base);
	free(c->pending_set);
	free(c);
}

static void destroy(struct clipboard *base)
{
	struct wlr_clipboard *c = (struct wlr_clipboard *)base;
	atomic_store(&c->stop, true);
	util_wake_poke(c->cmd_fd);
	pthread_join(c->thread, NULL);
	release(c);
}

static const struct clipboard_ops wlr_ops = {.own = own, .destroy = destroy};

static void global(void *data, struct wl_registry *registry, uint32_t name, const char *iface,
                   uint32_t version)
{
	(void)version;
	struct wlr_clipboard *c = data;
	if (!c->seat && strcmp(iface, wl_seat_interface.name) == 0) {
		c->seat = wl_registry_bind(registry, name, &wl_seat_interface, 1);
	} else if (!c->manager && strcmp(iface, zwlr_data_control_manager_v1_interface.name) == 0) {
		/* version 1: the regular selection only, no primary selection */
		c->manager =
		    wl_registry_bind(registry, name, &zwlr_data_control_manager_v1_interface, 1);
	}
}

static void global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
	(void)data;
	(void)registry;
	(void)name;
}

static const struct wl_registry_listener registry_listener = {global, global_remove};

struct clipboard *clipboard_wlr_open(const char *wayland_display, void (*on_change)(void *),
                                     void *ctx, int *err)
{
	struct wlr_clipboard *c = calloc(1, sizeof(*c));
	if (!c) {
		*err = -ENOMEM;
		return NULL;
	}
	clipboard_init(&c->base, &wlr_ops, on_change, ctx);
	clipboard_pipes_init(&c->pipes, NULL);
	char rnd[17];
	int r = util_random_string(rnd, 16, "0123456789abcdef");
	snprintf(c->marker, sizeof(c->marker), "application/x-rdpshare-own-%s", rnd);
	c->cmd_fd = r < 0 ? r : util_wake_create();
	r = c->cmd_fd < 0 ? c->cmd_fd : 0;
	if (r == 0 && !(c->dpy = wl_display_connect(wayland_display))) {
		r = -ENXIO;
	}
	if (r == 0) {
		c->registry = wl_display_get_registry(c->dpy);
		if (!c->registry) {
			r = -ENOMEM;
		} else {
			wl_registry_add_listener(c->registry, &registry_listener, c);
			r = wl_display_roundtrip(c->dpy) < 0 ? -ENXIO : 0;
		}
	}
	if (r == 0 && (!c->seat || !c->manager)) {
		r = -ENOTSUP;
	}
	if (r == 0 &&
	    !(c->device = zwlr_data_control_manager_v1_get_data_device(c->manager, c->seat))) {
		r = -ENOMEM;
	}
	if (r == 0) {
		/* the current selection arrives as the first event, like a copy */
		zwlr_data_control_device_v1_add_listener(c->device, &device_listener, c);
		r = util_thread_start(&c->thread, clip_main, c);
	}
	if (r < 0) {
		release(c);
		*err = r;
		return NULL;
	}
	return &c->base;
}
