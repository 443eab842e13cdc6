/* A Wayland round trip with a deadline (see wl_sync.h). */
#include "capture/wl_sync.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>

#include <wayland-client.h>

#include "util/clock.h"

static void done(void *data, struct wl_callback *cb, uint32_t serial)
{
	(void)cb;
	(void)serial;
	*(bool *)data = true;
}

static const struct wl_callback_listener done_listener = {.done = done};

/* Read what the socket holds into the queues, waiting at most timeout_ms. */
static int read_some(struct wl_display *d, struct wl_event_queue *q, int timeout_ms)
{
	while (wl_display_prepare_read_queue(d, q) != 0) {
		if (wl_display_dispatch_queue_pending(d, q) < 0) {
			return -EPIPE;
		}
	}
	if (wl_display_flush(d) < 0 && errno != EAGAIN) {
		wl_display_cancel_read(d);
		return -EPIPE;
	}
	struct pollfd p = {wl_display_get_fd(d), POLLIN, 0};
	int n = poll(&p, 1, timeout_ms);
	if (n <= 0) {
		wl_display_cancel_read(d);
		return n < 0 && errno != EINTR ? -errno : 0;
	}
	if (wl_display_read_events(d) < 0) {
		return -EPIPE;
	}
	return wl_display_dispatch_queue_pending(d, q) < 0 ? -EPIPE : 0;
}

int wl_sync_bounded(struct wl_display *d, struct wl_event_queue *q, int timeout_ms)
{
	struct wl_event_queue *own = NULL;
	if (!q) {
		own = wl_display_create_queue(d);
		if (!own) {
			return -ENOMEM;
		}
		q = own;
	}
	int ret = -ENOMEM;
	struct wl_display *wrapper = wl_proxy_create_wrapper(d);
	struct wl_callback *cb = NULL;
	bool finished = false;
	if (!wrapper) {
		goto out;
	}
	wl_proxy_set_queue((struct wl_proxy *)wrapper, q);
	cb = wl_display_sync(wrapper);
	if (!cb) {
		goto out;
	}
	wl_callback_add_listener(cb, &done_listener, &finished);
	int64_t end = util_clock_ms() + timeout_ms;
	ret = 0;
	while (!finished && ret == 0) {
		int64_t left = end - util_clock_ms();
		if (left <= 0) {
			ret = -ETIMEDOUT;
			break;
		}
		ret = read_some(d, q, (int)left);
	}
	if (ret == 0 && wl_display_get_error(d)) {
		ret = -EPIPE;
	}
out:
	if (cb) {
		wl_callback_destroy(cb);
	}
	if (wrapper) {
		wl_proxy_wrapper_destroy(wrapper);
	}
	if (own) {
		wl_event_queue_destroy(own);
	}
	return ret;
}
