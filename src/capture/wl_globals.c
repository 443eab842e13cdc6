/* The wlroots back-end's registry and connection (capture/wl_globals.h). */
#include "capture/wl_globals.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wayland-client.h>

#include "capture/wl_sync.h"
#include "virtual-keyboard-unstable-v1-client.h"
#include "wlr-screencopy-unstable-v1-client.h"
#include "wlr-virtual-pointer-unstable-v1-client.h"

#define SYNC_MS 2000

static void output_name(void *data, struct wl_output *o, const char *name)
{
	(void)o;
	struct wl_globals *g = data;
	snprintf(g->output_name, sizeof(g->output_name), "%s", name);
}

static void output_geometry(void *data, struct wl_output *o, int32_t x, int32_t y, int32_t pw,
                            int32_t ph, int32_t subpixel, const char *make, const char *model,
                            int32_t transform)
{
	(void)data, (void)o, (void)x, (void)y, (void)pw, (void)ph, (void)subpixel, (void)make,
	    (void)model, (void)transform;
}

static void output_mode(void *data, struct wl_output *o, uint32_t flags, int32_t w, int32_t h,
                        int32_t refresh)
{
	(void)data, (void)o, (void)flags, (void)w, (void)h, (void)refresh;
}

static void output_done(void *data, struct wl_output *o)
{
	(void)data, (void)o;
}

static void output_scale(void *data, struct wl_output *o, int32_t factor)
{
	(void)data, (void)o, (void)factor;
}

static void output_description(void *data, struct wl_output *o, const char *desc)
{
	(void)data, (void)o, (void)desc;
}

static const struct wl_output_listener output_listener = {
    .geometry = output_geometry,
    .mode = output_mode,
    .done = output_done,
    .scale = output_scale,
    .name = output_name,
    .description = output_description,
};

static uint32_t min_u(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static void global(void *data, struct wl_registry *reg, uint32_t name, const char *iface,
                   uint32_t version)
{
	struct wl_globals *g = data;
	if (strcmp(iface, wl_shm_interface.name) == 0 && !g->shm) {
		g->shm = wl_registry_bind(reg, name, &wl_shm_interface, 1);
	} else if (strcmp(iface, wl_seat_interface.name) == 0 && !g->seat) {
		g->seat = wl_registry_bind(reg, name, &wl_seat_interface, 1);
	} else if (strcmp(iface, wl_output_interface.name) == 0 && !g->output) {
		/* the name event (version 4) tells which output this is; without it
		 * only the first can be chosen */
		g->output = wl_registry_bind(reg, name, &wl_output_interface, min_u(version, 4));
		g->output_global = name;
		wl_output_add_listener(g->output, &output_listener, g);
	} else if (strcmp(iface, zwlr_screencopy_manager_v1_interface.name) == 0) {
		g->screencopy = wl_registry_bind(reg, name, &zwlr_screencopy_manager_v1_interface,
		                                 min_u(version, 3));
	} else if (strcmp(iface, zwlr_virtual_pointer_manager_v1_interface.name) == 0) {
		g->pointers = wl_registry_bind(
		    reg, name, &zwlr_virtual_pointer_manager_v1_interface, min_u(version, 2));
	} else if (strcmp(iface, zwp_virtual_keyboard_manager_v1_interface.name) == 0) {
		g->keyboards =
		    wl_registry_bind(reg, name, &zwp_virtual_keyboard_manager_v1_interface, 1);
	}
}

static void global_remove(void *data, struct wl_registry *reg, uint32_t name)
{
	(void)reg;
	struct wl_globals *g = data;
	if (name == g->output_global && g->listener.output_removed) {
		g->listener.output_removed(g->listener.ctx);
	}
}

static const struct wl_registry_listener registry_listener = {
    .global = global,
    .global_remove = global_remove,
};

int wl_globals_init(struct wl_globals *g, const char *display,
                    const struct wl_globals_listener *listener, char *why, size_t why_len)
{
	if (listener) {
		g->listener = *listener;
	}
	g->d = wl_display_connect(display);
	if (!g->d) {
		snprintf(why, why_len, "no Wayland compositor answers at %s",
		         display ? display
		                 : (getenv("WAYLAND_DISPLAY") ? getenv("WAYLAND_DISPLAY")
		                                              : "wayland-0"));
		return -ENXIO;
	}
	g->q = wl_display_create_queue(g->d);
	struct wl_display *wrapper = g->q ? wl_proxy_create_wrapper(g->d) : NULL;
	if (!wrapper) {
		return -ENOMEM;
	}
	wl_proxy_set_queue((struct wl_proxy *)wrapper, g->q);
	g->reg = wl_display_get_registry(wrapper);
	wl_proxy_wrapper_destroy(wrapper);
	if (!g->reg) {
		return -ENOMEM;
	}
	wl_registry_add_listener(g->reg, &registry_listener, g);
	/* globals, then the events of what was bound (output name) */
	int r = wl_sync_bounded(g->d, g->q, SYNC_MS);
	if (r == 0) {
		r = wl_sync_bounded(g->d, g->q, SYNC_MS);
	}
	if (r < 0) {
		snprintf(why, why_len, "the Wayland compositor does not answer");
		return r;
	}
	if (!g->screencopy || !g->shm) {
		snprintf(why, why_len,
		         "the Wayland compositor offers no zwlr_screencopy_manager_v1 (wlroots "
		         "screen capture)");
		return -ENOTSUP;
	}
	if (!g->output) {
		snprintf(why, why_len, "the Wayland compositor has no output");
		return -ENODEV;
	}
	return 0;
}

void wl_globals_finish(struct wl_globals *g)
{
	if (g->keyboards) {
		zwp_virtual_keyboard_manager_v1_destroy(g->keyboards);
	}
	if (g->pointers) {
		zwlr_virtual_pointer_manager_v1_destroy(g->pointers);
	}
	if (g->screencopy) {
		zwlr_screencopy_manager_v1_destroy(g->screencopy);
	}
	if (g->output) {
		wl_output_destroy(g->output);
	}
	if (g->seat) {
		wl_seat_destroy(g->seat);
	}
	if (g->shm) {
		wl_shm_destroy(g->shm);
	}
	if (g->reg) {
		wl_registry_destroy(g->reg);
	}
	if (g->d) {
		wl_display_flush(g->d);
		if (g->q) {
			wl_event_queue_destroy(g->q);
		}
		wl_display_disconnect(g->d);
	}
	*g = (struct wl_globals){0};
}
