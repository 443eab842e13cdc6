/* Where a Wayland back-end's pictures come from: a "copy source" hands the
 * compositor a shared-memory buffer for one output, gets it back filled with
 * the whole output plus the rectangles that changed since the last copy, and
 * asks again at once. The compositor holds a request until something changed,
 * so a still screen costs nothing.
 *
 * wlr-screencopy-unstable-v1 (wlroots up to 0.17) is the one path today;
 * ext-image-copy-capture-v1, which replaces it in newer wlroots, fits the
 * same shape (session + frame + damage) as a second create function. Sources
 * run on the caller's event queue and report through the sink, from inside
 * the caller's dispatch. */
#ifndef RDPSHARE_WL_COPY_H
#define RDPSHARE_WL_COPY_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"

struct wl_shm;
struct wl_output;
struct zwlr_screencopy_manager_v1;

/* One filled buffer: the output's pixels (w x h, 32 bits per pixel, BGRX in
 * memory unless swap_rb says RGBX), valid only during the sink call. */
struct wl_copy_frame {
	const uint8_t *data;
	int w, h, stride;
	bool y_invert; /* row 0 of data is the bottom of the output */
	bool swap_rb;
	bool whole;                    /* everything may have changed (first frame, new size) */
	const struct cap_rect *damage; /* output coordinates, clipped; unless whole */
	int n_damage;
};

struct wl_copy_sink {
	void *ctx;
	void (*frame)(void *ctx, const struct wl_copy_frame *f);
	/* The source cannot go on (negative errno); no frame comes after. */
	void (*failed)(void *ctx, int err);
};

struct wl_copy;
struct wl_copy_ops {
	void (*destroy)(struct wl_copy *c);
};
struct wl_copy {
	const struct wl_copy_ops *ops;
};

/* Start copying output with the cursor composited in (the compositor tells
 * no cursor position). The first frame is a plain copy, so it comes even on
 * a still screen. NULL and *err on failure. */
struct wl_copy *wl_copy_screencopy_create(struct wl_shm *shm,
                                          struct zwlr_screencopy_manager_v1 *manager,
                                          struct wl_output *output, const struct wl_copy_sink *sink,
                                          int *err);

#endif
