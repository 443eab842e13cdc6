/* The wlroots back-end's connection to the compositor and the globals it
 * binds: shared memory, the seat, the one output it shares (the first the
 * compositor announces, named by its version 4 name event), screencopy and
 * the virtual pointer and keyboard managers.
 *
 * Everything lives on a private event queue (q), so the back-end decides
 * when these listeners run; the one that matters after connecting is the
 * shared output's removal, reported through the listener. Works on the
 * caller's memory: init, then finish (also after a failed init). */
#ifndef RDPSHARE_WL_GLOBALS_H
#define RDPSHARE_WL_GLOBALS_H

#include <stddef.h>
#include <stdint.h>

struct wl_display;
struct wl_event_queue;
struct wl_registry;
struct wl_shm;
struct wl_seat;
struct wl_output;
struct zwlr_screencopy_manager_v1;
struct zwlr_virtual_pointer_manager_v1;
struct zwp_virtual_keyboard_manager_v1;

struct wl_globals_listener {
	void *ctx;
	/* The shared output was unplugged; runs inside a dispatch of q. */
	void (*output_removed)(void *ctx);
};

struct wl_globals {
	struct wl_display *d;
	struct wl_event_queue *q;
	struct wl_registry *reg;
	struct wl_shm *shm;
	struct wl_seat *seat; /* may be NULL */
	struct wl_output *output;
	uint32_t output_global;
	char output_name[64]; /* "" when the compositor names no output */
	struct zwlr_screencopy_manager_v1 *screencopy;
	struct zwlr_virtual_pointer_manager_v1 *pointers;  /* may be NULL */
	struct zwp_virtual_keyboard_manager_v1 *keyboards; /* may be NULL */
	struct wl_globals_listener listener;
};

/* Connect to display (NULL: $WAYLAND_DISPLAY) and learn the globals, in
 * bounded round trips. g must be zeroed. 0, or a negative errno with *why
 * saying what is missing: -ENXIO (nobody answers there), -ENOTSUP (no
 * screencopy or shared memory), -ENODEV (no output), -ETIMEDOUT, -ENOMEM. */
int wl_globals_init(struct wl_globals *g, const char *display,
                    const struct wl_globals_listener *listener, char *why, size_t why_len);

/* Destroy what init bound, flush and disconnect. */
void wl_globals_finish(struct wl_globals *g);

#endif
