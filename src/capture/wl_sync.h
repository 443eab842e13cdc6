/* A Wayland round trip that cannot hang: libwayland's own
 * wl_display_roundtrip waits forever for a compositor that stopped
 * answering, and runs every listener of the default queue while it waits
 * (re-entering the back-end). This one dispatches only its own queue and
 * gives up after a deadline; events it reads for other queues stay queued
 * there, so the caller must dispatch those afterwards (its fd will not say
 * so). */
#ifndef RDPSHARE_WL_SYNC_H
#define RDPSHARE_WL_SYNC_H

struct wl_display;
struct wl_event_queue;

/* Wait until the compositor has handled every request sent so far,
 * dispatching queue q (NULL: a private empty queue) meanwhile. 0, -ETIMEDOUT,
 * or another negative errno when the connection failed. */
int wl_sync_bounded(struct wl_display *d, struct wl_event_queue *q, int timeout_ms);

#endif
